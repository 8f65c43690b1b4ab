"""Preferences: the interface language (Bahasa Indonesia or English), used from the next start; the
unit of lengths in the plan's Properties panel and what the mouse wheel does over the plan, used at once.

The choices are kept in the user's settings file (``mpp_planner.settings``), which the program reads
before any window is built; ``MPP_PLANNER_LANG`` and ``--lang`` still win over the language.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QMessageBox,
                               QVBoxLayout)

from mpp_planner import settings
from mpp_planner.i18n import N_, _, current_language

# Each language is named in its own words, so a user who chose the wrong one can find the way back.
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
LENGTH_UNIT_NAMES = {"m": N_("metres (m)"), "cm": N_("centimetres (cm)"), "mm": N_("millimetres (mm)")}
WHEEL_MODE_NAMES = {settings.WHEEL_SCROLLS: N_("scrolls (Ctrl+wheel zooms)"), settings.WHEEL_ZOOMS: N_("zooms")}


class PreferenceSignals(QObject):
    """Told when saved preferences change, so that open windows follow them at once."""

    changed = Signal()


_signals: PreferenceSignals | None = None


def preference_signals() -> PreferenceSignals:
    global _signals
    if _signals is None:
        _signals = PreferenceSignals()
    return _signals


class PreferencesDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("Preferences"))
        self.language = QComboBox()
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.saved_language = settings.load().get("language")
        start = self.saved_language if self.saved_language in LANGUAGE_NAMES else current_language()
        self.language.setCurrentIndex(max(0, self.language.findData(start)))
        self.language.currentIndexChanged.connect(self._update_note)
        self.length_unit = QComboBox()
        for code, name in LENGTH_UNIT_NAMES.items():
            self.length_unit.addItem(_(name), code)
        self.length_unit.setCurrentIndex(max(0, self.length_unit.findData(settings.length_unit())))
        self.length_unit.setToolTip(_("Positions, sizes and lengths in the plan's Properties panel"))
        self.wheel = QComboBox()
        for code, name in WHEEL_MODE_NAMES.items():
            self.wheel.addItem(_(name), code)
        self.wheel.setCurrentIndex(max(0, self.wheel.findData(settings.wheel_mode())))

        form = QFormLayout()
        form.addRow(_("Interface language:"), self.language)
        note = QLabel(_("Menus, dialogs and messages use this language from the next start of MPP Planner. "
                        "Printed reports (budget request, KIR, allocation list, plan sheets) are always in "
                        "Indonesian."))
        note.setWordWrap(True)
        note.setObjectName("language-note")
        self.restart_note = QLabel()
        self.restart_note.setWordWrap(True)
        self.restart_note.setObjectName("restart-note")
        self.restart_note.setStyleSheet("color: #8A4B00;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        plan_form = QFormLayout()
        plan_form.addRow(_("Plan lengths in:"), self.length_unit)
        plan_form.addRow(_("Mouse wheel over the plan:"), self.wheel)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.restart_note)
        layout.addSpacing(8)
        layout.addLayout(plan_form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self._update_note()

    def chosen_language(self) -> str:
        return self.language.currentData()

    def needs_restart(self) -> bool:
        return self.chosen_language() != current_language()

    def _update_note(self) -> None:
        lines = []
        if self.needs_restart():
            lines.append(_("Restart MPP Planner to see the new language."))
        if os.environ.get("MPP_PLANNER_LANG") in LANGUAGE_NAMES:
            lines.append(_("The environment variable MPP_PLANNER_LANG is set, so it decides the language "
                           "until it is removed."))
        self.restart_note.setText("\n".join(lines))
        self.restart_note.setVisible(bool(lines))

    def changed_values(self) -> dict:
        """The plan preferences that differ from the saved (or default) ones."""
        changed = {}
        if self.length_unit.currentData() != settings.length_unit():
            changed["length_unit"] = self.length_unit.currentData()
        if self.wheel.currentData() != settings.wheel_mode():
            changed["wheel"] = self.wheel.currentData()
        return changed

    def accept(self) -> None:
        changed = self.changed_values()
        try:
            settings.save({"language": self.chosen_language(), **changed})
        except OSError as exc:
            QMessageBox.warning(self, _("Cannot save the preferences"), str(exc))
            return
        super().accept()
        if changed:
            preference_signals().changed.emit()


def show_preferences(parent=None) -> bool:
    """Open the dialog; True when a language was saved."""
    dialog = PreferencesDialog(parent)
    if dialog.exec() != QDialog.Accepted:
        return False
    if dialog.needs_restart():
        QMessageBox.information(parent, _("Preferences"), _("The new language is used from the next start."))
    return True


PREFERENCES_TEXT = N_("&Preferences…")


def preferences_action(window) -> QAction:
    """File ▸ Preferences… for the main window (opens :class:`PreferencesDialog`)."""
    act = QAction(_(PREFERENCES_TEXT), window)
    act.setShortcut(QKeySequence.Preferences)
    act.setMenuRole(QAction.PreferencesRole)
    act.setStatusTip(_("Interface language, plan units and the mouse wheel"))
    act.triggered.connect(lambda _checked=False: show_preferences(window))
    return act
