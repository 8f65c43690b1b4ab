"""Preferences ▸ language: saved for the next start; Qt's own buttons and menus speak Indonesian too."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLineEdit, QMainWindow, QMessageBox

from mpp_planner import i18n, settings
from mpp_planner.qt import preferences
from mpp_planner.qt.preferences import PreferencesDialog, preferences_action


@pytest.fixture
def config(tmp_path, monkeypatch):
    """A fresh settings folder and no MPP_PLANNER_LANG, as on a user's machine."""
    monkeypatch.setenv("MPP_PLANNER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("MPP_PLANNER_LANG", raising=False)
    return tmp_path / "config" / "settings.json"


@pytest.fixture
def indonesian():
    i18n.set_language("id")
    yield
    i18n.set_language("en")


def choose(dialog: PreferencesDialog, code: str) -> None:
    dialog.language.setCurrentIndex(dialog.language.findData(code))


def test_first_start_is_indonesian_and_the_choice_is_saved_for_the_next_start(qtbot, config, indonesian):
    assert settings.preferred_language() == "id"  # nothing saved yet
    dialog = PreferencesDialog()
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Preferensi"
    assert [dialog.language.itemText(i) for i in range(dialog.language.count())] == ["Bahasa Indonesia", "English"]
    assert dialog.chosen_language() == "id"
    assert dialog.restart_note.isHidden()
    choose(dialog, "en")
    assert not dialog.restart_note.isHidden()
    assert "Jalankan ulang" in dialog.restart_note.text()  # restart needed, said in the current language
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert dialog.result() == QDialog.Accepted
    assert json.loads(config.read_text(encoding="utf-8"))["language"] == "en"
    assert settings.preferred_language() == "en"
    assert i18n.current_language() == "id"  # this session keeps its language until restarted


def test_cancel_saves_nothing_and_other_settings_are_kept(qtbot, config):
    settings.save({"recent": ["/x.mpplan"], "language": "id"})
    dialog = PreferencesDialog()
    qtbot.addWidget(dialog)
    assert dialog.chosen_language() == "id"  # the saved choice, even though this session runs in English
    choose(dialog, "en")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Cancel), Qt.LeftButton)
    assert settings.load()["language"] == "id"
    dialog = PreferencesDialog()
    qtbot.addWidget(dialog)
    choose(dialog, "en")
    dialog.accept()
    assert settings.load() == {"recent": ["/x.mpplan"], "language": "en"}


def test_environment_variable_wins_and_the_dialog_says_so(qtbot, config, monkeypatch):
    monkeypatch.setenv("MPP_PLANNER_LANG", "en")
    dialog = PreferencesDialog()
    qtbot.addWidget(dialog)
    assert "MPP_PLANNER_LANG" in dialog.restart_note.text()
    choose(dialog, "id")
    dialog.accept()
    assert settings.load()["language"] == "id"
    assert settings.preferred_language() == "en"


def test_action_opens_the_dialog_from_a_window(qtbot, config, monkeypatch):
    window = QMainWindow()
    qtbot.addWidget(window)
    act = preferences_action(window)
    assert act.text() == "&Preferences…"
    shown = []

    def fake_exec(dialog):
        shown.append(dialog.parent())
        choose(dialog, "id")
        dialog.accept()
        return QDialog.Accepted

    monkeypatch.setattr(PreferencesDialog, "exec", fake_exec)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append("restart message"))
    act.trigger()
    assert shown == [window, "restart message"]  # English session, Indonesian chosen: restart needed
    assert settings.load()["language"] == "id"


def test_unwritable_settings_are_reported_and_the_dialog_stays_open(qtbot, config, monkeypatch):
    dialog = PreferencesDialog()
    qtbot.addWidget(dialog)
    warnings = []
    monkeypatch.setattr(preferences.settings, "save", lambda values: (_ for _ in ()).throw(OSError("read-only")))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    dialog.accept()
    assert warnings == ["read-only"] and dialog.result() != QDialog.Accepted


def test_qt_standard_buttons_and_edit_menu_use_the_catalogue(qtbot, indonesian):
    from mpp_planner.qt.qt_translation import CatalogueTranslator

    app = QApplication.instance()
    translator = CatalogueTranslator()
    app.installTranslator(translator)
    try:
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        qtbot.addWidget(buttons)
        assert buttons.button(QDialogButtonBox.Cancel).text() == "Batal"
        box = QMessageBox(QMessageBox.Question, "t", "x", QMessageBox.Yes | QMessageBox.No)
        qtbot.addWidget(box)
        assert {box.button(QMessageBox.Yes).text(), box.button(QMessageBox.No).text()} == {"&Ya", "&Tidak"}
        edit = QLineEdit()
        qtbot.addWidget(edit)
        texts = [a.text().split("\t")[0] for a in edit.createStandardContextMenu().actions()]
        assert "&Salin" in texts and "&Tempel" in texts and "Pilih Semua" in texts
        # strings not listed keep Qt's English rather than a wrong guess (or an empty text)
        assert QCoreApplication.translate("QPlatformTheme", "Open") == "Open"
        assert QKeySequence("Ctrl+C").toString(QKeySequence.NativeText) == "Ctrl+C"
    finally:
        app.removeTranslator(translator)
    i18n.set_language("en")
    assert QDialogButtonBox(QDialogButtonBox.Cancel).button(QDialogButtonBox.Cancel).text() == "Cancel"

