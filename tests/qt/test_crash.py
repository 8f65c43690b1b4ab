"""The GUI's crash handling: an exception in a slot (or a thread) is logged and shown in one
dialog, more errors are counted in it, the dialog saves an error report (the project only when
ticked), a failing dialog does not loop, and Qt's own warnings reach the log."""

from __future__ import annotations

import argparse
import sys
import threading
import zipfile
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QTimer, qWarning
from PySide6.QtWidgets import QApplication, QFileDialog

from mpp_planner import i18n, logs
from mpp_planner.qt import crash


@pytest.fixture
def log_file(tmp_path, monkeypatch):
    """Logging set up afresh under ``tmp_path``; the log file."""
    logs.close_logging()
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv(logs.LEVEL_ENV, raising=False)
    folder = logs.setup_logging()
    yield folder / logs.LOG_NAME
    logs.close_logging()


@pytest.fixture
def installed(qapp, log_file):
    """crash.install as the app does it, with a window whose project is ``holder.project``; the Qt
    message handler pytest-qt had is put back afterwards."""
    from PySide6.QtCore import qInstallMessageHandler

    holder = SimpleNamespace(window=None)
    reporter = crash.install(qapp, lambda: holder.window)
    yield reporter, holder
    if reporter.dialog is not None:
        reporter.dialog.close()
    reporter.broken = False
    qInstallMessageHandler(None)


def crash_dialogs() -> list[crash.CrashDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, crash.CrashDialog) and w.isVisible()]


def boom():
    raise ZeroDivisionError("division by zero in a slot")


def test_an_exception_in_a_slot_is_logged_and_shown_once(qtbot, installed, log_file):
    reporter, _holder = installed
    QTimer.singleShot(0, boom)
    qtbot.waitUntil(lambda: len(crash_dialogs()) == 1)
    text = log_file.read_text()
    assert "CRITICAL mpp_planner.logs [MainThread] Unhandled exception" in text
    assert "in boom" in text and "ZeroDivisionError: division by zero in a slot" in text
    dialog = crash_dialogs()[0]
    assert dialog.windowTitle() == "Unexpected error"
    assert dialog.summary.text() == "ZeroDivisionError: division by zero in a slot"
    assert not dialog.include_project.isEnabled()  # no project open: nothing to include
    assert not dialog.repeats.isVisible()
    for _i in range(2):
        QTimer.singleShot(0, boom)
    qtbot.waitUntil(lambda: dialog.count == 3)
    assert crash_dialogs() == [dialog]
    assert dialog.repeats.isVisible() and dialog.repeats.text() == "This happened 3 times."
    dialog.close()
    qtbot.waitUntil(lambda: reporter.dialog is None)
    QTimer.singleShot(0, boom)  # after closing, the next error gets a dialog again
    qtbot.waitUntil(lambda: len(crash_dialogs()) == 1)
    assert crash_dialogs()[0] is not dialog


def test_an_exception_in_a_thread_is_shown_by_the_gui_thread(qtbot, installed, log_file):
    worker = threading.Thread(target=boom, name="worker-1")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(crash_dialogs()) == 1)
    assert crash_dialogs()[0].thread() is QApplication.instance().thread()
    assert "Unhandled exception in thread worker-1" in log_file.read_text()


def test_the_dialog_speaks_indonesian(qtbot, installed):
    i18n.set_language("id")
    try:
        QTimer.singleShot(0, boom)
        qtbot.waitUntil(lambda: len(crash_dialogs()) == 1)
    finally:
        i18n.set_language("en")
    dialog = crash_dialogs()[0]
    assert dialog.windowTitle() == "Galat tak terduga"
    assert dialog.save_button.text() == "Simpan laporan galat…"
    assert dialog.include_project.text() == "Sertakan berkas proyek"


def test_save_report_writes_the_zip_with_the_project_only_when_ticked(qtbot, installed, demo_window, tmp_path,
                                                                      monkeypatch):
    from PySide6.QtCore import Qt

    _reporter, holder = installed
    holder.window = demo_window
    asked = []

    def save_as(parent, title, suggested, filters):
        asked.append((title, filters))
        return str(tmp_path / f"report{len(asked)}"), filters  # no suffix typed: .zip is added

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_as))
    QTimer.singleShot(0, boom)
    qtbot.waitUntil(lambda: len(crash_dialogs()) == 1)
    dialog = crash_dialogs()[0]
    assert dialog.parent() is demo_window
    assert dialog.include_project.isEnabled() and not dialog.include_project.isChecked()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert asked == [("Save error report", "ZIP archives (*.zip)")]
    with zipfile.ZipFile(tmp_path / "report1.zip") as zf:
        assert sorted(zf.namelist()) == ["mpp-planner.log", "version.txt"]
        assert "ZeroDivisionError" in zf.read("mpp-planner.log").decode()
        assert "\nQt 6." in zf.read("version.txt").decode()
    assert dialog.saved.text() == f"Report saved: {tmp_path / 'report1.zip'}"
    dialog.include_project.setChecked(True)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    with zipfile.ZipFile(tmp_path / "report2.zip") as zf:
        assert sorted(zf.namelist()) == ["demo.mpplan", "mpp-planner.log", "version.txt"]


def test_a_report_that_cannot_be_written_is_explained(qtbot, installed, tmp_path, monkeypatch, dialog_texts):
    from PySide6.QtCore import Qt

    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a: (str(tmp_path / "no such folder" / "r.zip"), "")))
    QTimer.singleShot(0, boom)
    qtbot.waitUntil(lambda: len(crash_dialogs()) == 1)
    dialog = crash_dialogs()[0]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog_texts[0][0] == "Save error report"
    assert dialog_texts[0][1].startswith("Cannot write the error report: ")
    assert dialog.isVisible() and not dialog.saved.isVisible()


def test_a_failing_dialog_is_logged_once_and_does_not_loop(qtbot, installed, log_file, monkeypatch):
    reporter, _holder = installed

    def broken_dialog(*_args, **_kwargs):
        raise RuntimeError("no dialog today")

    monkeypatch.setattr(crash, "CrashDialog", broken_dialog)
    QTimer.singleShot(0, boom)
    qtbot.waitUntil(lambda: reporter.broken)
    QTimer.singleShot(0, boom)
    qtbot.wait(50)
    text = log_file.read_text()
    assert text.count("Cannot show the error dialog") == 1 and "no dialog today" in text
    assert text.count("ZeroDivisionError: division by zero in a slot") == 2  # still logged


def test_qt_warnings_go_to_the_log_and_the_console(installed, log_file, capsys):
    qWarning("a warning from Qt")
    assert "WARNING qt [MainThread] a warning from Qt" in log_file.read_text()
    assert "a warning from Qt" in capsys.readouterr().err


def test_qt_warnings_with_no_console(qtbot, installed, log_file, monkeypatch):
    monkeypatch.setattr(sys, "stderr", None)
    qWarning("nobody is watching")
    qtbot.wait(20)
    text = log_file.read_text()
    assert "nobody is watching" in text
    assert "Unhandled" not in text and crash_dialogs() == []


def test_a_failed_start_up_is_shown_before_any_event_loop(qtbot, log_file, monkeypatch):
    from mpp_planner.qt import app as gui_app

    shown = []
    monkeypatch.setattr(crash.CrashDialog, "exec", lambda self: shown.append(self.summary.text()) or 0)

    def broken_start(_args):
        raise KeyError("the window broke")

    monkeypatch.setattr(gui_app, "_start", broken_start)
    args = argparse.Namespace(file=None, screenshot=None, tab="plan", size="1400x900", quit_after_show=True)
    assert gui_app.run_gui(args) == 1
    assert shown == ["KeyError: 'the window broke'"]
    assert "Start-up failed" in log_file.read_text() and "in broken_start" in log_file.read_text()
