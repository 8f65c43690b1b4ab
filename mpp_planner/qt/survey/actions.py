"""Follow-up actions (rencana tindak lanjut) of a survey period: for each weak unsur, what is done, by whom, by
when, and how far it is. An action on Sarana dan Prasarana (unsur 9) may point at a visit finding, a need and a
budget line, so the survey leads to the budget in the same file ("Go to" shows the linked line or need)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QPushButton, QVBoxLayout, QWidget)

from mpp_planner.formats import long_date
from mpp_planner.i18n import _
from mpp_planner.model.survey import ActionStatus, UNSUR_COUNT
from mpp_planner.qt.message_line import MessageLine
from mpp_planner.qt.survey.periods import date_edit, date_of
from mpp_planner.qt.tables import Column, make_table_view
from mpp_planner.reads.survey import ActionRow, LinkChoices

SARANA = 9  # the unsur whose actions link to findings, needs and budget lines


def status_label(status: str) -> str:
    try:
        return ActionStatus(status).label
    except ValueError:
        return status


def action_columns() -> list[Column]:
    return [Column(_("Unsur"), lambda a: f"U{a.unsur} {a.unsur_name}", sort=lambda a: (a.unsur, a.id)),
            Column(_("Action"), lambda a: a.action, width=320),
            Column(_("Owner"), lambda a: a.owner),
            Column(_("Deadline"), lambda a: long_date(a.deadline) if a.deadline else "",
                   sort=lambda a: a.deadline.toordinal() if a.deadline else 0),
            Column(_("Status"), lambda a: status_label(a.status),
                   colour=lambda a: {"done": "#1E7B4A", "in_progress": "#B7791F"}.get(a.status, "#B03A2E")),
            Column(_("Linked to"), lambda a: a.link)]


class ActionDialog(QDialog):
    """Add or edit one action. ``on_accept(fields) -> bool`` makes the edit (a refusal keeps the dialog open)."""

    def __init__(self, parent=None, *, unsur_names: list[str], links: LinkChoices, action: ActionRow | None = None,
                 unsur: int = 1, on_accept: Callable[[dict], bool] | None = None):
        super().__init__(parent)
        self.on_accept = on_accept
        self.setWindowTitle(_("Edit follow-up action") if action else _("New follow-up action"))
        self.resize(640, 420)
        self.message = MessageLine()
        self.unsur = QComboBox()
        for n in range(1, UNSUR_COUNT + 1):
            name = unsur_names[n - 1] if n - 1 < len(unsur_names) else ""
            self.unsur.addItem(f"U{n} {name}", n)
        self.unsur.setCurrentIndex((action.unsur if action else unsur) - 1)
        self.text = QPlainTextEdit(action.action if action else "")
        self.text.setPlaceholderText(_("What will be done, e.g. add 20 waiting chairs in the hall"))
        self.text.setTabChangesFocus(True)
        self.owner = QLineEdit(action.owner if action else "")
        self.owner.setPlaceholderText(_("Who is responsible"))
        self.deadline = date_edit(action.deadline if action else None)
        self.status = QComboBox()
        for s in ActionStatus:
            self.status.addItem(s.label, s.value)
        self.status.setCurrentIndex(max(0, self.status.findData(action.status if action else "planned")))
        self.finding = self._link_combo(links.findings, action.finding_id if action else None)
        self.need = self._link_combo(links.needs, action.need_id if action else None)
        self.budget_line = self._link_combo(links.budget_lines, action.budget_line_id if action else None)
        form = QFormLayout()
        form.addRow(_("Unsur:"), self.unsur)
        form.addRow(_("Action:"), self.text)
        form.addRow(_("Owner:"), self.owner)
        form.addRow(_("Deadline:"), self.deadline)
        form.addRow(_("Status:"), self.status)
        self.link_hint = QLabel(_("Facilities (unsur 9): link the action to what carries it out."))
        self.link_hint.setStyleSheet("color: #5A6470;")
        form.addRow(self.link_hint)
        form.addRow(_("Visit finding:"), self.finding)
        form.addRow(_("Need:"), self.need)
        form.addRow(_("Budget line:"), self.budget_line)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.unsur.currentIndexChanged.connect(lambda _i: self._links_enabled())
        self._links_enabled()

    @staticmethod
    def _link_combo(choices: list[tuple[int, str]], current: int | None) -> QComboBox:
        combo = QComboBox()
        combo.addItem(_("(none)"), None)
        for ident, text in choices:
            combo.addItem(text, ident)
        combo.setMaximumWidth(480)
        if current is not None:
            index = combo.findData(current)
            if index < 0:  # linked to something no longer offered (a closed finding): keep it
                combo.addItem(_("(linked item {id})").format(id=current), current)
                index = combo.count() - 1
            combo.setCurrentIndex(index)
        return combo

    def _links_enabled(self) -> None:
        on = self.unsur.currentData() == SARANA
        for w in (self.link_hint, self.finding, self.need, self.budget_line):
            w.setEnabled(on)

    def fields(self) -> dict:
        sarana = self.unsur.currentData() == SARANA
        return {"unsur": self.unsur.currentData(), "action": self.text.toPlainText().strip(),
                "owner": self.owner.text().strip(), "deadline": date_of(self.deadline),
                "status": self.status.currentData(),
                "finding_id": self.finding.currentData() if sarana else None,
                "need_id": self.need.currentData() if sarana else None,
                "budget_line_id": self.budget_line.currentData() if sarana else None}

    def show_error(self, text: str) -> None:
        self.message.tell(text)

    def accept(self) -> None:
        fields = self.fields()
        if not fields["action"]:
            self.show_error(_("Say what will be done."))
            self.text.setFocus()
            return
        if self.on_accept is not None and not self.on_accept(fields):
            return
        super().accept()


class ActionsPanel(QWidget):
    """The table of a period's actions with Add / Edit / Delete / Go to; the tab runs the edits."""

    add_requested = Signal()
    edit_requested = Signal(int)
    delete_requested = Signal(list)
    go_to_requested = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        from mpp_planner.qt.tables import RowTableModel

        self.model = RowTableModel(action_columns(), self)
        self.view, self.proxy = make_table_view(self.model, self)
        self.view.setObjectName("survey_actions")
        self.view.doubleClicked.connect(lambda _i: self._edit())
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._update())
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #5A6470;")
        self.add_button = QPushButton(_("Add…"))
        self.add_button.setToolTip(_("A new action, on the weakest unsur to begin with"))
        self.edit_button = QPushButton(_("Edit…"))
        self.delete_button = QPushButton(_("Delete"))
        self.go_button = QPushButton(_("Go to linked item"))
        self.go_button.setToolTip(_("Show the linked budget line or need in its tab"))
        self.add_button.clicked.connect(self.add_requested)
        self.edit_button.clicked.connect(self._edit)
        self.delete_button.clicked.connect(lambda: self.delete_requested.emit(self.selected_ids()))
        self.go_button.clicked.connect(lambda: self._go())
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.delete_button, self.go_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.hint)
        layout.addWidget(self.view, 1)
        self._update()

    def set_rows(self, rows: list[ActionRow], weakest: list[str]) -> None:
        selected = self.selected_ids()
        self.model.set_rows(rows)
        self.hint.setText(_("Weakest unsur: {names}. Plan at least one action for each.").format(
            names=", ".join(weakest)) if weakest else _("No results yet: the weakest unsur show once forms are in."))
        self.select_ids(selected)
        self.view.resizeColumnsToContents()
        self.view.setColumnWidth(1, min(self.view.columnWidth(1), 360))
        self._update()

    def selected_ids(self) -> list[int]:
        rows = {self.proxy.mapToSource(i).row() for i in self.view.selectionModel().selectedRows()}
        return [self.model.rows[r].id for r in sorted(rows) if r < len(self.model.rows)]

    def select_ids(self, ids) -> None:
        from PySide6.QtCore import QItemSelectionModel

        sel = self.view.selectionModel()
        sel.clearSelection()
        for r, row in enumerate(self.model.rows):
            if row.id in set(ids):
                sel.select(self.proxy.mapFromSource(self.model.index(r, 0)),
                           QItemSelectionModel.Select | QItemSelectionModel.Rows)

    def selected_rows(self) -> list[ActionRow]:
        wanted = set(self.selected_ids())
        return [r for r in self.model.rows if r.id in wanted]

    def _edit(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 1:
            self.edit_requested.emit(ids[0])

    def _go(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 1:
            self.go_to_requested.emit(ids[0])

    def _update(self) -> None:
        rows = self.selected_rows()
        self.edit_button.setEnabled(len(rows) == 1)
        self.delete_button.setEnabled(bool(rows))
        self.go_button.setEnabled(len(rows) == 1 and (rows[0].budget_line_id is not None
                                                      or rows[0].need_id is not None))

