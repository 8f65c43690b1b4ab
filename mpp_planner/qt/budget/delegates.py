"""Typed cell editors for budget lines: pick lists for account code, room, need, priority and
status; a line edit for text and numbers (parsed and checked by the model's ``setData``).

When a value is refused the tab reopens the editor with what was typed (``pending_text``),
so the user corrects it in place instead of typing it again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QStyledItemDelegate

from mpp_planner.i18n import _
from mpp_planner.model import BudgetStatus
from mpp_planner.qt.budget.model import COLUMNS, LINE_ID_ROLE, PRIORITY_LABELS

PICK_COLUMNS = ("account_code", "location", "need", "priority", "status")


class BudgetDelegate(QStyledItemDelegate):
    def __init__(self, choices, parent=None):
        super().__init__(parent)
        self.choices = choices  # callable: key -> [(label, value)]
        self.pending_text: dict[tuple[int, str], str] = {}

    def createEditor(self, parent, option, index):  # noqa: N802
        key = COLUMNS[index.column()].key
        if key in PICK_COLUMNS:
            combo = QComboBox(parent)
            combo.setObjectName(f"editor_{key}")
            for label, value in self.choices(key):
                combo.addItem(label, value)
            combo.setMaxVisibleItems(20)
            return combo
        edit = QLineEdit(parent)
        edit.setObjectName(f"editor_{key}")
        placeholders = {"coefficient": _("e.g. 2 Unit x 12 Bulan"), "unit_price": _("e.g. 1.250.000"),
                        "approved_amount": _("empty = as requested")}
        if key in placeholders:
            edit.setPlaceholderText(placeholders[key])
        return edit

    def setEditorData(self, editor, index):  # noqa: N802
        key = COLUMNS[index.column()].key
        value = index.data(Qt.EditRole)
        if isinstance(editor, QComboBox):
            at = editor.findData(value)
            editor.setCurrentIndex(max(0, at))
            return
        pending = self.pending_text.pop((index.data(LINE_ID_ROLE), key), None)
        editor.setText(pending if pending is not None else ("" if value is None else str(value)))
        editor.selectAll()

    def setModelData(self, editor, model, index):  # noqa: N802
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.EditRole)
        else:
            model.setData(index, editor.text(), Qt.EditRole)


def priority_choices():
    return [(_(label), value) for value, label in PRIORITY_LABELS.items()]


def status_choices():
    return [(s.label, s.value) for s in BudgetStatus]
