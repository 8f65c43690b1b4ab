"""The GUI side of file safety: the "open elsewhere" question, automatic backups on open,
File ▸ Back Up Now and the backup settings dialog."""

import json

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from mpp_planner import settings
from mpp_planner.project import Project
from mpp_planner.qt.file_safety import BackupSettingsDialog
from mpp_planner.qt.main_window import MainWindow
from mpp_planner.store import backup as backups
from mpp_planner.store.lock import lock_path_for
from tests.helpers import deny_lock_files


@pytest.fixture
def window(qtbot):
    w = MainWindow(None)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


@pytest.fixture(autouse=True)
def keep_default_backup_setting():
    yield
    settings.set_backup_keep(settings.DEFAULT_BACKUP_KEEP)


def press_in_dialog(label, seen):
    """Click the button whose text contains ``label`` in the next modal dialog; note what it said."""
    def act():
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, act)
            return
        if isinstance(box, QMessageBox):
            seen.append(box.text() + "\n" + box.informativeText())
        for button in box.findChildren(QPushButton):
            if label in button.text().replace("&", ""):
                button.click()
                return
        raise AssertionError(f"no button {label!r}")
    QTimer.singleShot(0, act)


def other_computer_holds(path):
    lock_path_for(path).write_text(json.dumps({
        "host": "LAPTOP-KASUBAG", "pid": 321, "user": "sari", "app_version": "0.1.0",
        "time": "2024-05-02T08:15:00+07:00", "token": "t"}), encoding="utf-8")


def test_project_open_elsewhere_can_be_opened_read_only(window, demo_file):
    other_computer_holds(demo_file)
    seen = []
    press_in_dialog("Open Read-Only", seen)
    assert window.open_path(demo_file)
    assert "already open in another MPP Planner" in seen[0] and "sari on LAPTOP-KASUBAG" in seen[0]
    assert window.project.readonly
    assert "[read-only]" in window.windowTitle()
    # nothing was written: no backup of a file we may not change, the other lock untouched
    assert not (demo_file.parent / "Cadangan").exists()
    assert json.loads(lock_path_for(demo_file).read_text())["user"] == "sari"


def test_cancel_leaves_the_current_project_open(window, demo_file, tmp_path):
    other = tmp_path / "lain.mpplan"
    other.write_bytes(demo_file.read_bytes())
    assert window.open_path(other)
    other_computer_holds(demo_file)
    seen = []
    press_in_dialog("Cancel", seen)
    assert not window.open_path(demo_file)
    assert window.project.path == other and not window.project.readonly


def test_damaged_file_gets_an_error_not_the_lock_question(window, tmp_path):
    bad = tmp_path / "rusak.mpplan"
    bad.write_bytes(b"SQLite format 3\x00" + bytes(200))
    seen = []
    press_in_dialog("OK", seen)
    assert not window.open_path(bad)
    assert "damaged" in seen[0] or "not an MPP Planner" in seen[0]
    assert window.project is None


def test_opening_makes_a_rotating_automatic_backup(window, demo_file):
    settings.set_backup_keep(2)
    for i in range(4):
        assert window.open_path(demo_file)
        with window.project.edit():
            window.project.site.city = f"Kota {i}"
        window.close_project()
    folder = demo_file.parent / "Cadangan"
    kept = backups.auto_backups(folder, demo_file)
    assert len(kept) == 2
    assert [Project.open(p, readonly=True).site.city for p in kept] == ["Kota 1", "Kota 2"]


def test_back_up_now_from_the_file_menu(qtbot, window, demo_file):
    assert window.open_path(demo_file)
    assert window.act_backup.isEnabled() and window.act_backup in window.menu_file.actions()
    seen = []
    press_in_dialog("OK", seen)
    window.act_backup.trigger()  # a job: the confirmation comes when the copy is complete
    qtbot.waitUntil(lambda: bool(seen), timeout=20_000)
    assert "was saved as" in seen[0]
    manual = [p for p in (demo_file.parent / "Cadangan").iterdir() if ".auto-" not in p.name]
    assert len(manual) == 1
    copy = Project.open(manual[0], readonly=True)
    assert copy.site.name == window.project.site.name
    copy.close()


def test_backup_settings_dialog_stores_how_many_to_keep(qtbot, demo_project):
    dialog = BackupSettingsDialog(demo_project)
    qtbot.addWidget(dialog)
    assert dialog.keep.value() == settings.DEFAULT_BACKUP_KEEP
    assert dialog.folder() == demo_project.path.parent / "Cadangan"
    dialog.show()
    dialog.keep.setValue(3)
    dialog.accept()
    assert settings.backup_keep() == 3
    dialog2 = BackupSettingsDialog(None)
    qtbot.addWidget(dialog2)
    dialog2.keep.setValue(0)
    dialog2.accept()
    assert settings.backup_keep() == 0
    assert not dialog2.open_folder.isEnabled()


def test_unwritable_folder_offers_read_only(window, demo_file, monkeypatch):
    deny_lock_files(monkeypatch)
    seen = []
    press_in_dialog("Open Read-Only", seen)
    assert window.open_path(demo_file)
    assert "cannot be written to" in seen[0]
    assert window.project.readonly
