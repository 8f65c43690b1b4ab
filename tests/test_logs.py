"""Logs and error reports without Qt: where the log lives on each system, rotation, a folder that
cannot be written, the hook for unhandled exceptions (also with no stderr, as in the Windows
build), and what an error report holds - the project file only when asked."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import zipfile
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from mpp_planner import __version__, logs

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def state(tmp_path, monkeypatch):
    """A fresh, unconfigured logging set-up writing under ``tmp_path``; undone afterwards."""
    logs.close_logging()
    folder = tmp_path / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(folder))
    monkeypatch.setenv("LOCALAPPDATA", str(folder))
    monkeypatch.delenv(logs.LEVEL_ENV, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    yield folder / "mpp-planner"
    logs.close_logging()


def read_log(folder: Path) -> str:
    return (folder / logs.LOG_NAME).read_text(encoding="utf-8")


# --- where the logs live -------------------------------------------------------------------------

def test_log_dir_on_linux_follows_xdg_state_home_with_a_default(tmp_path, monkeypatch):
    assert logs.log_dir("linux", {"XDG_STATE_HOME": str(tmp_path)}) == tmp_path / "mpp-planner"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert logs.log_dir("linux", {}) == tmp_path / "home" / ".local" / "state" / "mpp-planner"
    assert logs.log_dir("linux", {"XDG_STATE_HOME": ""}) == tmp_path / "home" / ".local" / "state" / "mpp-planner"


def test_log_dir_on_windows_is_under_local_app_data(tmp_path, monkeypatch):
    local = tmp_path / "AppData" / "Local"
    env = {"LOCALAPPDATA": str(local), "XDG_STATE_HOME": str(tmp_path / "ignored")}
    assert logs.log_dir("win32", env) == local / "MPP Planner" / "Logs"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # no LOCALAPPDATA: the usual place under the profile
    assert logs.log_dir("win32", {}) == tmp_path / "home" / "AppData" / "Local" / "MPP Planner" / "Logs"


def test_log_dir_on_macos_is_library_logs(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert logs.log_dir("darwin", {}) == tmp_path / "Library" / "Logs" / "MPP Planner"


def test_log_dir_defaults_to_this_machine(state, monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    assert logs.log_dir() == state.parent / "MPP Planner" / "Logs"  # from the LOCALAPPDATA the fixture set


# --- setting up ----------------------------------------------------------------------------------

def test_setup_writes_the_log_at_info_and_is_idempotent(state):
    assert logs.setup_logging() == state
    assert logs.setup_logging() == state
    logging.getLogger("mpp_planner.test").info("project opened")
    logging.getLogger("mpp_planner.test").debug("not at info level")
    text = read_log(state)
    assert f"MPP Planner {__version__} starting" in text
    assert "INFO mpp_planner.test [MainThread] project opened" in text
    assert "not at info level" not in text
    assert text.count("starting") == 1  # one handler, not two
    assert logs.current_log_file() == state / logs.LOG_NAME


def test_debug_level_on_request(state, monkeypatch):
    monkeypatch.setenv(logs.LEVEL_ENV, "debug")
    logs.setup_logging()
    logging.getLogger("mpp_planner.test").debug("every detail")
    assert "DEBUG mpp_planner.test [MainThread] every detail" in read_log(state)


def test_the_log_rotates_and_keeps_five_old_files(state, monkeypatch):
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    logs.setup_logging()
    for i in range(200):
        logging.getLogger("mpp_planner.test").info("line %03d %s", i, "x" * 60)
    names = sorted(p.name for p in state.iterdir() if p.name.startswith(logs.LOG_NAME))
    assert names == [logs.LOG_NAME] + [f"{logs.LOG_NAME}.{n}" for n in range(1, 6)]
    assert all(p.stat().st_size <= 2_000 for p in state.iterdir())
    assert "line 199" in read_log(state)


def test_an_unwritable_folder_falls_back_to_the_temporary_folder(state, tmp_path, monkeypatch):
    state.parent.mkdir()
    state.write_text("a file where the folder should be")  # as good as a read-only home for mkdir
    monkeypatch.setattr(logs, "fallback_log_dir", lambda: tmp_path / "temp" / "mpp-planner-logs")
    folder = logs.setup_logging()
    assert folder == tmp_path / "temp" / "mpp-planner-logs"
    assert f"Cannot write logs in {state}" in read_log(folder)


def test_no_folder_at_all_still_starts(state, tmp_path, monkeypatch):
    state.parent.mkdir()
    state.write_text("not a folder")
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder either")
    monkeypatch.setattr(logs, "fallback_log_dir", lambda: blocked / "logs")
    assert logs.setup_logging() is None
    assert logs.current_log_file() is None
    logging.getLogger("mpp_planner.test").info("goes nowhere, breaks nothing")


def test_a_hard_crash_leaves_its_stack_in_faults_log(tmp_path):
    env = dict(os.environ, XDG_STATE_HOME=str(tmp_path))
    env.pop("PYTHONFAULTHANDLER", None)
    code = ("import faulthandler, mpp_planner.logs as l\n"
            "assert not faulthandler.is_enabled()\n"
            "l.setup_logging()\n"
            "assert faulthandler.is_enabled()\n"
            "faulthandler._sigsegv()\n")
    result = subprocess.run([sys.executable, "-c", code], check=False, cwd=ROOT, env=env, capture_output=True,
                            text=True)
    assert result.returncode != 0
    faults = (tmp_path / "mpp-planner" / logs.FAULTS_NAME).read_text()
    assert "Fatal Python error: Segmentation fault" in faults
    assert "<string>" in faults  # the Python stack of the crash


# --- unhandled exceptions ------------------------------------------------------------------------

def raise_and_hook(exc: Exception) -> None:
    try:
        raise exc
    except Exception as caught:
        sys.excepthook(type(caught), caught, caught.__traceback__)


def test_excepthook_logs_the_traceback_then_calls_back(state):
    logs.setup_logging()
    seen = []
    logs.install_excepthook(lambda t, e, tb: seen.append((t, str(e), tb is not None)))
    raise_and_hook(ZeroDivisionError("division by zero"))
    assert seen == [(ZeroDivisionError, "division by zero", True)]
    text = read_log(state)
    assert "CRITICAL mpp_planner.logs [MainThread] Unhandled exception" in text
    assert "Traceback (most recent call last)" in text and "in raise_and_hook" in text


def test_a_failing_callback_is_logged_not_raised(state):
    logs.setup_logging()

    def broken(*_args):
        raise RuntimeError("the dialog broke")

    logs.install_excepthook(broken)
    raise_and_hook(ValueError("first"))
    text = read_log(state)
    assert "ValueError: first" in text and "The error handler failed" in text and "the dialog broke" in text


def test_headless_one_line_on_stderr(state, capsys):
    logs.setup_logging()
    logs.install_excepthook(None)
    raise_and_hook(KeyError("floor 3"))
    err = capsys.readouterr().err
    assert err == f"mpp-planner: Unexpected error: KeyError: 'floor 3'. Details are in {state / logs.LOG_NAME}\n"
    assert "Traceback" in read_log(state)


def test_no_console_as_in_the_windowed_build(state, monkeypatch):
    monkeypatch.setattr(sys, "stderr", None)
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setenv(logs.LEVEL_ENV, "debug")  # would add a console handler if there were a console
    assert logs.setup_logging() == state
    assert [type(h) for h in logs._active.handlers] == [RotatingFileHandler]
    logs.install_excepthook(None)
    raise_and_hook(OSError("disk gone"))
    assert "OSError: disk gone" in read_log(state)


def test_an_error_in_a_thread_is_logged_with_the_thread_name(state):
    logs.setup_logging()
    seen = []
    logs.install_excepthook(lambda t, e, tb: seen.append(t))
    worker = threading.Thread(target=lambda: 1 / 0, name="export-worker")
    worker.start()
    worker.join()
    assert seen == [ZeroDivisionError]
    assert "Unhandled exception in thread export-worker" in read_log(state)


def test_the_same_error_again_and_again_keeps_the_log_small(state):
    logs.setup_logging()
    logs.install_excepthook(lambda *a: None)
    for _i in range(250):
        raise_and_hook(ValueError("paint"))
    text = read_log(state)
    assert text.count("Traceback") == logs.FULL_REPEATS
    assert "200 times now: ValueError: paint" in text


# --- the error report ----------------------------------------------------------------------------

def test_report_holds_the_logs_and_versions_but_no_project(state, tmp_path, demo_file):
    logs.setup_logging()
    logging.getLogger("mpp_planner.test").warning("storage failed")
    dest = logs.make_error_report(tmp_path / "report.zip", qt_version="6.9.9")
    with zipfile.ZipFile(dest) as zf:
        assert sorted(zf.namelist()) == [logs.LOG_NAME, "version.txt"]
        version = zf.read("version.txt").decode()
        log_text = zf.read(logs.LOG_NAME).decode()
    assert version.startswith(f"MPP Planner {__version__}\nPython {sys.version.split()[0]}")
    assert "Qt 6.9.9" in version and "SQLAlchemy 2." in version and "Time 20" in version
    assert "storage failed" in log_text
    assert [p.name for p in tmp_path.iterdir() if p.suffix in (".tmp", ".zip")] == ["report.zip"]  # no leftovers


def test_report_with_the_project_holds_its_committed_edits(state, tmp_path, demo_project):
    import sqlite3

    logs.setup_logging()
    demo_project.site.name = "MPP dari laporan"
    demo_project.session.commit()  # still in the write-ahead log of the open file
    (state / f"{logs.LOG_NAME}.1").write_text("an older log\n")
    (state / logs.FAULTS_NAME).write_text("Fatal Python error: earlier\n")
    dest = logs.make_error_report(tmp_path / "report.zip", project_path=demo_project.path)
    with zipfile.ZipFile(dest) as zf:
        assert sorted(zf.namelist()) == sorted([logs.LOG_NAME, f"{logs.LOG_NAME}.1", logs.FAULTS_NAME,
                                                "version.txt", "demo.mpplan"])
        zf.extract("demo.mpplan", tmp_path / "unzipped")
    con = sqlite3.connect(tmp_path / "unzipped" / "demo.mpplan")
    try:
        assert con.execute("select name from site").fetchone() == ("MPP dari laporan",)
    finally:
        con.close()


def test_a_report_that_fails_leaves_no_half_zip_and_keeps_the_old_one(state, tmp_path):
    logs.setup_logging()
    (tmp_path / "report.zip").write_bytes(b"an earlier report")
    with pytest.raises(OSError):  # the ticked project file has gone meanwhile
        logs.make_error_report(tmp_path / "report.zip", project_path=tmp_path / "gone.mpplan")
    assert (tmp_path / "report.zip").read_bytes() == b"an earlier report"
    assert list(tmp_path.glob(".*tmp")) == []


def test_report_without_setup_reads_the_usual_folder(state, tmp_path):
    state.mkdir(parents=True)
    (state / logs.LOG_NAME).write_text("from a session that ended\n")
    dest = logs.make_error_report(tmp_path / "r.zip")
    with zipfile.ZipFile(dest) as zf:
        assert zf.read(logs.LOG_NAME) == b"from a session that ended\n"


def test_summary_is_short():
    assert logs.summary(ValueError("x" * 1000)).startswith("ValueError: xxx")
    assert len(logs.summary(ValueError("x" * 1000))) == 300
    assert logs.summary(KeyboardInterrupt()) == "KeyboardInterrupt"
