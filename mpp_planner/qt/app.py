"""Start the GUI: pick the project (argument, last opened, or the demo), show the window."""

from __future__ import annotations

import gc
import logging
import os
import re
import sys
from contextlib import contextmanager
from pathlib import Path

from mpp_planner import APP_NAME, settings
from mpp_planner.i18n import _

log = logging.getLogger(__name__)


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


@contextmanager
def startup_memory():
    """No cyclic garbage collection while the app starts; afterwards, start-up objects are frozen.

    Start-up creates ~100,000 objects that live as long as the app (modules, classes, SQLAlchemy
    mappers, widgets) and next to no cyclic garbage (under 1,000 objects, measured): the ~200
    collections Python would run meanwhile cost 40-80 ms and free nothing. ``gc.freeze`` then
    moves those objects to the permanent generation, so later full collections (during edits and
    big exports) do not walk them again. When that first project is closed, the main window
    unfreezes them so its objects can be freed.
    """
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def run_gui(args) -> int:
    from mpp_planner.logs import install_excepthook, setup_logging

    setup_logging()
    install_excepthook()  # logged (and one line on a console) until the GUI can show errors
    try:
        with startup_memory():
            started = _start(args)
    except Exception as exc:
        if args.screenshot:
            raise
        from mpp_planner.qt.crash import start_up_failed

        return start_up_failed(exc)  # no event loop runs yet to show the error later
    if isinstance(started, int):
        return started
    app, window = started
    if getattr(args, "quit_after_show", False):
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, app.quit)
    code = app.exec()
    log.info("MPP Planner closed (exit code %d)", code)
    return code


def _start(args):
    """Create the application and show the main window (or take the screenshot): the window and
    its application, or an exit code."""
    if args.screenshot and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    first_copy = None
    from mpp_planner.qt import single_instance

    # a server project's address is not handed over (the hand-over passes file paths): it opens in this copy
    address = args.file if args.file and "://" in args.file else None
    if single_instance.enabled(args) and address is None:  # before the core is imported: a second copy exits at once
        first_copy = single_instance.start_or_hand_over(args.file)
        if first_copy is None:
            return 0  # the running copy shows the file
    # The core (SQLAlchemy, the model, the project file) is imported and the project opened before
    # PySide6 is imported on purpose: PySide6 installs an import hook that reads the source of
    # every module imported after it (~0.15 s for the core's modules).
    import mpp_planner.commands  # noqa: F401
    from mpp_planner.project import Project
    from mpp_planner.store import ProjectFileError

    path, project, problem = None, None, None
    try:
        headless = args.screenshot or getattr(args, "quit_after_show", False)  # no dialog: opened before the window
        path = startup_file(args.file) if address is None else (address if headless else None)
    except ProjectFileError as exc:  # the demo could not be made
        log.warning("Cannot make the demo project: %s", exc)
        problem = exc
    if path is not None:
        try:
            project = Project.open(path)
            log.info("Opened %s at start-up", path)
        except ProjectFileError as exc:  # asked or explained below, once there is a GUI
            log.warning("Cannot open %s at start-up: %s", path, exc)
            problem = exc
    from PySide6.QtWidgets import QApplication, QMessageBox

    from mpp_planner.qt.file_safety import answer_open_failure
    from mpp_planner.qt.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    if not args.screenshot:  # headless: errors are logged and printed, no dialog
        from mpp_planner.qt import crash

        crash.install(app, lambda: next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)), None))
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("DPMPTSP")
    from mpp_planner.qt.qt_translation import install as install_qt_translation

    install_qt_translation(app)
    from mpp_planner.qt.a11y import install_focus_ring

    install_focus_ring(app)  # keyboard focus always shows
    from PySide6.QtGui import QIcon

    from mpp_planner.resources_path import resource

    app.setWindowIcon(QIcon(str(resource("icons", "mpp-planner.png"))))
    server = first_copy.listen(app) if first_copy is not None else None  # before any question is asked
    if args.screenshot:  # headless: no questions and no backups
        if project is None:
            print(f"mpp-planner: {problem}", file=sys.stderr)
            return 2
        return _screenshot(app, MainWindow(project), args)
    if project is None and path is not None:  # locked (offer read-only), damaged, foreign...
        project = answer_open_failure(None, path, problem)
    elif project is None and problem is not None:  # the demo could not be made
        QMessageBox.critical(None, _("Cannot open project"), str(problem))
    window = MainWindow(project)
    window.after_open()
    window.show()
    if address is not None and path is None:  # opened as a job in the window: the dialog asks for a missing password
        window.open_path(address)
    if server is not None:  # files handed over meanwhile, then from now on
        server.serve(lambda request: single_instance.open_in_window(window, request))
    return app, window


MIN_SIZE, MAX_SIZE = 200, 10_000  # a window (and a screenshot) from 200x200 to 10000x10000 pixels


def parse_size(text: str) -> tuple[int, int]:
    """``"1400x900"`` -> (1400, 900); ValueError with the user's message for anything else (the
    command line's ``--size`` is checked with it as it is parsed)."""
    m = re.fullmatch(r"\s*([0-9]{1,9})\s*[xX]\s*([0-9]{1,9})\s*", text)
    if m is None:
        raise ValueError(_("--size must look like 1400x900 (got {value}).").format(value=text))
    w, h = int(m[1]), int(m[2])
    if not (MIN_SIZE <= w <= MAX_SIZE and MIN_SIZE <= h <= MAX_SIZE):
        raise ValueError(_("--size must be from {min}x{min} to {max}x{max} pixels (got {value}).").format(
            min=MIN_SIZE, max=MAX_SIZE, value=text))
    return w, h


def _screenshot(app, window, args) -> int:
    try:
        w, h = parse_size(args.size) if isinstance(args.size, str) else args.size
    except ValueError as exc:
        print(f"mpp-planner: {exc}", file=sys.stderr)
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
