"""Diagnostics that survive a build without a console: a rotating log file, fatal-crash dumps,
a hook that logs every unhandled exception, and the error report a user can send.

The Windows build runs without a console (pythonw, a windowed PyInstaller build), so ``sys.stderr``
may be None and anything printed there is lost. Everything here goes to files in :func:`log_dir`
instead, never fails start-up, and imports no Qt: the GUI passes its dialog in as a callback.
"""

from __future__ import annotations

import faulthandler
import logging
import os
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from mpp_planner import APP_NAME
from mpp_planner.i18n import _

log = logging.getLogger(__name__)

LOG_NAME = "mpp-planner.log"
FAULTS_NAME = "faults.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
LEVEL_ENV = "MPP_PLANNER_LOG"  # "debug" for DEBUG; INFO otherwise
FULL_REPEATS = 3  # the same error (type and place) is logged with its traceback this often
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

OnError = Callable[[type[BaseException], BaseException, object], None]


def log_dir(platform: str | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """Where the logs belong for this user: ``%LOCALAPPDATA%\\MPP Planner\\Logs`` on Windows,
    ``~/Library/Logs/MPP Planner`` on macOS, ``$XDG_STATE_HOME/mpp-planner`` elsewhere (and on
    macOS when set), by default ``~/.local/state/mpp-planner``.

    ``platform`` (a ``sys.platform`` value) and ``environ`` default to this machine's."""
    platform = sys.platform if platform is None else platform
    environ = os.environ if environ is None else environ
    if platform == "win32":
        base = environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / APP_NAME / "Logs"
    if platform == "darwin" and not environ.get("XDG_STATE_HOME"):
        return Path.home() / "Library" / "Logs" / APP_NAME
    return Path(environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "mpp-planner"


def fallback_log_dir() -> Path:
    """A folder in the temporary directory, for when :func:`log_dir` cannot be written (read-only
    home, full disk); per user where the temporary directory is shared."""
    import tempfile

    suffix = f"-{os.getuid()}" if hasattr(os, "getuid") else ""
    return Path(tempfile.gettempdir()) / f"mpp-planner-logs{suffix}"


@dataclass
class _Active:
    folder: Path
    handlers: list[logging.Handler]  # the file, and the console with MPP_PLANNER_LOG=debug
    faults: IO[str] | None  # kept open: faulthandler writes to its descriptor when the process dies
    previous_level: int


_active: _Active | None = None


def setup_logging() -> Path | None:
    """Send the root logger to a rotating ``mpp-planner.log`` (1 MB x 5) and fatal crashes to
    ``faults.log``; the folder used, or None when no folder could be written at all.

    Idempotent. Never raises: when the usual folder cannot be made, a temporary one is used."""
    global _active
    if _active is not None:
        return _active.folder
    from logging.handlers import RotatingFileHandler

    for folder in (log_dir(), fallback_log_dir()):
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            handler = RotatingFileHandler(folder / LOG_NAME, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT,
                                          encoding="utf-8")
        except OSError:
            continue
        break
    else:
        return None
    handlers: list[logging.Handler] = [handler]
    level = logging.DEBUG if os.environ.get(LEVEL_ENV, "").strip().lower() == "debug" else logging.INFO
    if level == logging.DEBUG and sys.stderr is not None:  # a developer at a console sees it all
        handlers.append(logging.StreamHandler())
    root = logging.getLogger()
    _active = _Active(folder, handlers, _enable_faulthandler(folder), root.level)
    for each in handlers:
        each.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(each)
    root.setLevel(level)
    logging.captureWarnings(True)  # warnings.warn would print to a console there may not be
    log.info("%s %s starting: Python %s on %s, pid %d", APP_NAME, _app_version(), sys.version.split()[0],
             sys.platform, os.getpid())
    if folder != log_dir():
        log.warning("Cannot write logs in %s; using %s", log_dir(), folder)
    return folder


def _enable_faulthandler(folder: Path) -> IO[str] | None:
    """Dump the Python stacks into ``faults.log`` on a hard crash, unless someone already asked
    for them elsewhere (``python -X faulthandler``, the test runner)."""
    if faulthandler.is_enabled():
        return None
    try:
        faults = open(folder / FAULTS_NAME, "a", encoding="utf-8")  # noqa: SIM115 - stays open
        faulthandler.enable(faults)
    except (OSError, RuntimeError, ValueError):
        return None
    return faults


def close_logging() -> None:
    """Undo :func:`setup_logging`: detach and close the log files (tests, and before the files move)."""
    global _active
    if _active is None:
        return
    active, _active = _active, None
    root = logging.getLogger()
    for handler in active.handlers:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(active.previous_level)
    logging.captureWarnings(False)
    if active.faults is not None:
        faulthandler.disable()
        active.faults.close()


def current_log_file() -> Path | None:
    """The file being written now, or None before :func:`setup_logging` (or when it found no folder)."""
    return None if _active is None else _active.folder / LOG_NAME


def log_files() -> list[Path]:
    """The log, its rotated copies and the crash dumps that exist, oldest rotation last."""
    folder = _active.folder if _active is not None else log_dir()
    names = [LOG_NAME] + [f"{LOG_NAME}.{n}" for n in range(1, BACKUP_COUNT + 1)] + [FAULTS_NAME]
    return [folder / name for name in names if (folder / name).is_file()]


# --- unhandled exceptions ---------------------------------------------------------------------

def summary(exc: BaseException | None, limit: int = 300) -> str:
    """``ZeroDivisionError: division by zero``, cut to ``limit`` characters."""
    if exc is None:  # a thread's hook may get the type alone
        return "?"
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def install_excepthook(on_error: OnError | None = None) -> None:
    """Log every unhandled exception (main thread, other threads, Qt slots) with its traceback,
    then call ``on_error(type, value, traceback)`` - the GUI shows its dialog there. Headless
    (``on_error`` None) one line goes to stderr too, when there is a stderr."""

    seen: dict[tuple, int] = {}  # where an error was raised -> how often

    def hook(exc_type, exc, tb, *, thread: str | None = None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        key = (exc_type, _raised_at(tb))
        count = seen[key] = seen.get(key, 0) + 1
        where = f" in thread {thread}" if thread else ""
        if count <= FULL_REPEATS:
            log.critical("Unhandled exception%s", where, exc_info=(exc_type, exc, tb))
        elif count % 100 == 0:  # an error in a paint event repeats: keep its first traceback in the log
            log.critical("Unhandled exception%s, %d times now: %s", where, count, summary(exc))
        if on_error is not None:
            try:
                on_error(exc_type, exc, tb)
            except Exception:  # the handler must not raise into the hook that called it
                log.exception("The error handler failed")
            return
        _tell_console(exc)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:  # as threading's own hook: a thread may end that way
            return
        name = args.thread.name if args.thread is not None else None
        hook(args.exc_type, args.exc_value, args.exc_traceback, thread=name)

    sys.excepthook = hook
    threading.excepthook = thread_hook


def _raised_at(tb) -> tuple[str, int] | None:
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return None if tb is None else (tb.tb_frame.f_code.co_filename, tb.tb_lineno)


def _tell_console(exc: BaseException | None) -> None:
    if sys.stderr is None:  # windowed build: the log is all there is
        return
    path = current_log_file()
    message = (_("Unexpected error: {summary}. Details are in {path}").format(summary=summary(exc), path=path)
               if path else _("Unexpected error: {summary}").format(summary=summary(exc)))
    try:
        sys.stderr.write(f"mpp-planner: {message}\n")
    except (OSError, ValueError):  # closed or broken stream
        pass


# --- the error report -------------------------------------------------------------------------

def _app_version() -> str:
    import mpp_planner

    version = getattr(mpp_planner, "__version__", None)
    if version:
        return version
    return _distribution_version("mpp-planner")


def _distribution_version(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def version_text(qt_version: str | None = None) -> str:
    """What ran: the app, Python, the system, Qt (when the GUI passes it), SQLAlchemy, and when."""
    import platform
    from datetime import datetime

    lines = [f"{APP_NAME} {_app_version()}" + (" (installed build)" if getattr(sys, "frozen", False) else ""),
             f"Python {platform.python_version()} ({platform.python_implementation()})",
             f"Platform {platform.platform()}"]
    if qt_version:
        lines.append(f"Qt {qt_version}")
    lines += [f"SQLAlchemy {_distribution_version('SQLAlchemy')}",
              f"Time {datetime.now().astimezone().isoformat(timespec='seconds')}"]
    return "\n".join(lines) + "\n"


def make_error_report(dest_zip: str | os.PathLike, *, project_path: str | os.PathLike | None = None,
                      qt_version: str | None = None) -> Path:
    """Write ``dest_zip``: the log files, ``version.txt`` and - only when ``project_path`` is given,
    because the user ticked it - a consistent copy of the project file. Nothing else: no settings,
    no other project data. Written to a temporary file first, so a failure leaves no half zip."""
    import tempfile
    import zipfile

    dest = Path(dest_zip)
    log.info("Writing an error report to %s (project file %s)", dest, "included" if project_path else "left out")
    if _active is not None:
        for handler in _active.handlers:
            handler.flush()
        if _active.faults is not None:
            _active.faults.flush()
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.stem}-", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for path in log_files():
                try:
                    zf.write(path, path.name)
                except OSError as exc:  # rotated away meanwhile, unreadable: the rest still helps
                    log.warning("Cannot add %s to the error report: %s", path, exc)
            zf.writestr("version.txt", version_text(qt_version))
            if project_path is not None:
                _add_project(zf, Path(project_path))
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return dest


def _add_project(zf, project: Path) -> None:
    """A copy through SQLite's backup API (it holds the edits still in the write-ahead log); the
    raw bytes when the file is too damaged for that - a damaged file is worth sending."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="mpp-planner-report-") as folder:
        copy = Path(folder) / project.name
        try:
            from mpp_planner.store import backup_copy

            backup_copy(project, copy)
        except Exception as exc:  # noqa: BLE001 - sqlite3 and OSError alike: fall back to the bytes
            log.warning("Cannot copy %s through SQLite (%s); adding the file as it is", project, exc)
            copy = project
        zf.write(copy, project.name)
