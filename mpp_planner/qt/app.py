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
    from PySide6.QtWidgets import QApplication, QMessageBox

    from mpp_planner.project import Project
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
    try:
        path = startup_file(args.file)
        project = Project.open(path)
    except ProjectFileError as exc:
        if args.screenshot:
            print(f"mpp-planner: {exc}", file=sys.stderr)
            return 2
        project = None
        QMessageBox.critical(None, _("Cannot open project"), str(exc))
    window = MainWindow(project)
    if args.screenshot:
        return _screenshot(app, window, args)
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
