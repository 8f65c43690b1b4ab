"""Editing pieces of the Inventory tab: an editable table model whose ``setData`` runs a
command, a delegate with combo boxes for choice columns, and a form-dialog base that keeps
itself open with the model's message when an edit is refused.

Every edit goes through ``undo_stack.run`` (``mpp_planner.qt.undo``) with :data:`ORIGIN`: a refusal
is shown where the user is, a storage failure in the one storage dialog."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QStyledItemDelegate,
                               QVBoxLayout)

from mpp_planner.commands import Command
from mpp_planner.i18n import _
from mpp_planner.qt.tables import DISPLAY, EDIT, Column, RowTableModel, SortFilterProxy

#: the screen the Inventory tab's edits are announced from (``Changes.origin``)
ORIGIN = "inventory"

WARN = "color: #B03A2E;"
EDITABLE = Qt.ItemFlag.ItemIsEditable


def say_written(widget, path) -> None:
    """Tell in the window's status bar that an export is done (as every screen does)."""
    window = widget.window()
    if hasattr(window, "statusBar"):
        window.statusBar().showMessage(_("Written: {path}").format(path=path), 8000)


@dataclass
class EditColumn(Column):
    field: str | None = None  # the model field this column edits in place
    edit_value: Callable[[Any], Any] | None = None  # the raw value put in the editor
    choices: Callable[[], list[tuple[str, Any]]] | None = None  # (label, value) for a combo editor


class EditableRowModel(RowTableModel):
    """Rows of model objects; an edited cell calls ``commit(obj, field, text)`` which runs a
    command and returns False when the edit did not happen (the cell then keeps its value)."""

    def __init__(self, columns, commit: Callable[[Any, str, Any], bool], parent=None, batch: int | None = None):
        super().__init__(columns, parent, batch)
        self.commit = commit
        self._flags: dict[int, Qt.ItemFlag] = {}  # per column: what every valid cell of it allows

    def column_of(self, index: QModelIndex):
        return self.columns[index.column()]

    def flags(self, index):
        if not index.isValid():
            return super().flags(index)
        column = index.column()
        cached = self._flags.get(column)  # Qt asks for every cell painted; Qt's flag arithmetic is slow in Python
        if cached is None:
            cached = super().flags(index)
            if getattr(self.columns[column], "field", None):
                cached |= EDITABLE
            self._flags[column] = cached
        return cached

    def data(self, index, role=DISPLAY):
        if role == EDIT and index.isValid():
            col = self.columns[index.column()]
            obj = self.rows[index.row()]
            if getattr(col, "edit_value", None) is not None:
                value = col.edit_value(obj)
            elif getattr(col, "field", None):
                value = getattr(obj, col.field)
            else:
                value = col.value(obj)
            if getattr(col, "choices", None):
                return value
            return "" if value is None else str(value)
        return super().data(index, role)

    def setData(self, index, value, role=EDIT) -> bool:  # noqa: N802
        if role != EDIT or not index.isValid():
            return False
        col = self.columns[index.column()]
        if not getattr(col, "field", None):
            return False
        if value == self.data(index, EDIT):
            return False
        return bool(self.commit(self.rows[index.row()], col.field, value))

    def index_of(self, obj_id) -> int | None:
        for i, obj in enumerate(self.rows):
            if obj.id == obj_id:
                return i
        return None



class InlineDelegate(QStyledItemDelegate):
    """A combo box for columns with choices; the default line edit elsewhere."""

    def _column(self, index):
        model = index.model()
        while isinstance(model, QSortFilterProxyModel):
            index = model.mapToSource(index)
            model = model.sourceModel()
        return model.columns[index.column()] if isinstance(model, EditableRowModel) else None

    def createEditor(self, parent, option, index):  # noqa: N802
        col = self._column(index)
        if col is not None and getattr(col, "choices", None):
            combo = QComboBox(parent)
            for label, value in col.choices():
                combo.addItem(label, value)
            return combo
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor, index):  # noqa: N802
        if isinstance(editor, QComboBox):
            i = editor.findData(index.data(Qt.EditRole))
            editor.setCurrentIndex(max(0, i))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor, model, index):  # noqa: N802
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.EditRole)
            return
        super().setModelData(editor, model, index)


class FilterProxy(SortFilterProxy):
    """Text filter over all columns plus an optional predicate on the row object."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.predicate: Callable[[Any], bool] | None = None

    def set_predicate(self, predicate: Callable[[Any], bool] | None) -> None:
        self.change_filter(lambda: setattr(self, "predicate", predicate))

    def filtering(self) -> bool:
        return self.predicate is not None or super().filtering()

    def filterAcceptsRow(self, row, parent) -> bool:  # noqa: N802
        model = self._rows
        if model is None:
            return super().filterAcceptsRow(row, parent)
        if self.predicate is not None and not self.predicate(model.rows[row]):
            return False
        return self.matches(model, row)


class FormDialog(QDialog):
    """A form with OK/Cancel. On OK, :meth:`command` builds the one command for what the form says
    (None: nothing changed, the form just closes) and it runs on ``undo_stack``; a refusal, from
    the form's own parsing or from the model, is shown in the form, which stays open."""

    def __init__(self, title: str, undo_stack, parent=None):
        super().__init__(parent)
        self.undo_stack = undo_stack
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.ExpandingFieldsGrow)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(WARN)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def command(self) -> Command | None:
        """The command for the form's values, None when nothing changed; raises a refusal
        (``ValidationError``...) for a value the form cannot read."""
        raise NotImplementedError

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def accept(self) -> None:
        self.error.hide()
        try:
            command = self.command()
        except Exception as exc:  # noqa: BLE001 - the stack's one handler: a refusal is shown here, a bug re-raised
            self.undo_stack.failed(exc, report=self.show_error, parent=self, origin=ORIGIN)
            return
        if command is None or self.undo_stack.run(command, origin=ORIGIN, report=self.show_error, parent=self):
            super().accept()
