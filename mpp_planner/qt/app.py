"""Start the GUI: pick the project (argument, last opened, or the demo), show the window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mpp_planner import APP_NAME, settings
from mpp_planner.i18n import _


def demo_path() -> Path:
    """The demo project in the user's data folder, made on first use."""
    from mpp_planner.demo import build_demo

    path = settings.data_dir() / "MPP Kota Probolinggo (demo).mpplan"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        build_demo(path)
    return path


def startup_file(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    last = settings.last_project()
    if last and Path(last).exists():
        return Path(last)
    return demo_path()


def run_gui(args) -> int:
    if args.screenshot and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # The core (SQLAlchemy and the model) is imported before PySide6 on purpose: PySide6 installs
    # an import hook that reads the source of every module imported after it (~0.15 s here).
    import mpp_planner.commands  # noqa: F401
    import mpp_planner.project  # noqa: F401
    from PySide6.QtWidgets import QApplication, QMessageBox

    from mpp_planner.project import Project
    from mpp_planner.qt.file_safety import open_project_interactive
    from mpp_planner.qt.main_window import MainWindow
    from mpp_planner.store import ProjectFileError

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("DPMPTSP")
    from mpp_planner.qt.qt_translation import install as install_qt_translation

    install_qt_translation(app)
    from PySide6.QtGui import QIcon

    from mpp_planner.resources_path import resource

    app.setWindowIcon(QIcon(str(resource("icons", "mpp-planner.png"))))
    if args.screenshot:  # headless: no questions and no backups
        try:
            project = Project.open(startup_file(args.file))
        except ProjectFileError as exc:
            print(f"mpp-planner: {exc}", file=sys.stderr)
            return 2
        return _screenshot(app, MainWindow(project), args)
    try:
        path = startup_file(args.file)
    except ProjectFileError as exc:  # the demo could not be made
        QMessageBox.critical(None, _("Cannot open project"), str(exc))
        path = None
    project = open_project_interactive(None, path) if path is not None else None
    window = MainWindow(project)
    window.after_open()
    window.show()
    if getattr(args, "quit_after_show", False):
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, app.quit)
    return app.exec()


def _screenshot(app, window, args) -> int:
    try:
        w, h = (int(v) for v in args.size.lower().split("x"))
    except ValueError:
        print("mpp-planner: " + _("--size must look like 1400x900 (got {value}).").format(value=args.size),
              file=sys.stderr)
        return 2
    window.resize(w, h)
    window.show_tab(args.tab)
    window.show()
    for _round in range(5):
        app.processEvents()
    plan = window.tab_widgets.get("plan")
    if plan is not None and args.tab == "plan":
        plan.fit()
        app.processEvents()
    ok = window.grab().save(args.screenshot)
    window.close()
    if not ok:
        print("mpp-planner: " + _("Cannot write '{path}'.").format(path=args.screenshot), file=sys.stderr)
        return 2
    return 0
