"""Visitation notes: visits (date, visiting office, visitor, notes) and their findings with room,
linked needs, follow-up status (open / budgeted / done) and the fiscal year planned for."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QSplitter, QTextBrowser, QVBoxLayout, QWidget

from mpp_planner.commands.inventory import delete_visit, delete_visit_findings, edit_visit_finding
from mpp_planner.formats import long_date
from mpp_planner.i18n import _
from mpp_planner.model import FollowUp, Need, NeedSource, Visit, VisitFinding
from mpp_planner.project import Changes, Topic
from mpp_planner.qt.inventory.dialogs import NeedDialog, VisitDialog, VisitFindingDialog, follow_up_label, qty_edit_text
from mpp_planner.qt.inventory.editing import ORIGIN, EditableRowModel, EditColumn, InlineDelegate
from mpp_planner.qt.tables import CENTER, RIGHT, Column, RowTableModel, fit_columns, make_table_view
from mpp_planner.reads import visits as reads

STATUS_COLOURS = {FollowUp.OPEN.value: "#C0392B", FollowUp.BUDGETED.value: "#E67E22", FollowUp.DONE.value: "#27AE60"}


def _html(text: str) -> str:
    from html import escape

    return escape(text or "").replace("\n", "<br>")


class VisitsPanel(QWidget):
    """``report(text)`` tells why an edit was refused (the tab's message line); without it, a box."""

    #: what the visits, their findings and the linked needs show
    TOPICS = (Topic.VISITS, Topic.NEEDS, Topic.ROOMS, Topic.CATALOG)

    def __init__(self, project, undo_stack, parent=None, report=None):
        super().__init__(parent)
        self.project, self.undo_stack, self.report = project, undo_stack, report
        self.needs_by_finding: dict[int, list[Need]] = {}

        self.visits_model = RowTableModel([
            Column(_("Date"), lambda v: long_date(v.date), sort=lambda v: v.date.isoformat()),
            Column(_("Visiting office"), lambda v: v.office, width=320),
            Column(_("Visitor"), lambda v: v.visitor, width=300),
            Column(_("Findings"), lambda v: len(v.findings), align=RIGHT),
            Column(_("Open"), lambda v: sum(1 for f in v.findings if f.status == FollowUp.OPEN.value), align=RIGHT),
        ], self)
        self.visits_view, self.visits_proxy = make_table_view(self.visits_model, self)
        self.visits_view.horizontalHeader().setResizeContentsPrecision(80)
        self.visits_view.selectionModel().currentRowChanged.connect(lambda *_a: self.show_visit())
        self.visits_view.doubleClicked.connect(lambda _i: self.edit_visit())
        self.notes = QTextBrowser()
        self.notes.setMaximumHeight(110)

        years = [("—", None)] + [(str(y), y) for y in range(2020, 2041)]
        self.findings_model = EditableRowModel([
            EditColumn(_("Finding"), lambda f: f.text, width=460, tooltip=lambda f: f.text),
            EditColumn(_("Room"), lambda f: f.room.name if f.room else "—"),
            EditColumn(_("Follow-up"), lambda f: follow_up_label(f.status), field="status",
                       colour=lambda f: STATUS_COLOURS.get(f.status),
                       choices=lambda: [(follow_up_label(s.value), s.value) for s in FollowUp]),
            EditColumn(_("Planned for"), lambda f: f.planned_year or "—", align=CENTER, field="planned_year",
                       sort=lambda f: f.planned_year or 0, choices=lambda: years),
            EditColumn(_("Linked needs"), self._needs_text, width=360,
                       tooltip=lambda f: "\n".join(self._need_line(n) for n in self.needs_by_finding.get(f.id, []))),
        ], self._commit_finding, self)
        self.findings_view, self.findings_proxy = make_table_view(self.findings_model, self)
        self.findings_view.horizontalHeader().setResizeContentsPrecision(80)
        self.findings_view.setItemDelegate(InlineDelegate(self.findings_view))
        self.findings_view.doubleClicked.connect(self._finding_double_clicked)

        def button(text, slot, tip=""):
            b = QPushButton(text)
            b.clicked.connect(slot)
            if tip:
                b.setToolTip(tip)
            return b

        visits_box = QGroupBox(_("Visits"))
        vb = QVBoxLayout(visits_box)
        row = QHBoxLayout()
        row.addWidget(button(_("Record visit…"), self.add_visit))
        row.addWidget(button(_("Edit…"), self.edit_visit))
        row.addWidget(button(_("Delete"), self.delete_visit, _("Delete the visit with its findings (undoable)")))
        row.addStretch(1)
        vb.addLayout(row)
        vb.addWidget(self.visits_view)
        vb.addWidget(QLabel(_("Notes:")))
        vb.addWidget(self.notes)

        findings_box = QGroupBox(_("Findings of the visit"))
        fb = QVBoxLayout(findings_box)
        row = QHBoxLayout()
        self.btn_add_finding = button(_("Add finding…"), self.add_finding)
        row.addWidget(self.btn_add_finding)
        row.addWidget(button(_("Edit…"), self.edit_finding))
        row.addWidget(button(_("Delete"), self.delete_findings))
        row.addWidget(button(_("Create need…"), self.create_need,
                             _("Add a need for the selected finding, linked to it")))
        row.addStretch(1)
        self.summary = QLabel()
        row.addWidget(self.summary)
        fb.addLayout(row)
        fb.addWidget(self.findings_view)

        split = QSplitter(Qt.Vertical)
        split.addWidget(visits_box)
        split.addWidget(findings_box)
        split.setSizes([300, 420])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self.reload()
        fit_columns(self.visits_view, self.visits_model)
        fit_columns(self.findings_view, self.findings_model)

    # --- loading ----------------------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        current = self.current_visit()
        current_id = select_id or (current.id if current is not None else None)
        visits = reads.visits(self.project)
        self.needs_by_finding = reads.needs_by_finding(self.project)
        self.visits_model.set_rows(visits)
        row = next((i for i, v in enumerate(visits) if v.id == current_id), 0 if visits else None)
        if row is not None:
            index = self.visits_proxy.mapFromSource(self.visits_model.index(row, 0))
            self.visits_view.setCurrentIndex(index)
            self.visits_view.selectRow(index.row())
        self.show_visit()

    def current_visit(self) -> Visit | None:
        index = self.visits_view.currentIndex()
        if not index.isValid():
            return None
        return self.visits_model.row_object(self.visits_proxy.mapToSource(index).row())

    def show_visit(self) -> None:
        visit = self.current_visit()
        self.btn_add_finding.setEnabled(visit is not None)
        if visit is None:
            self.notes.setHtml("")
            self.findings_model.set_rows([])
            self.summary.setText("")
            return
        self.notes.setHtml(f"<b>{_html(visit.office)}</b> — {_html(visit.visitor)}<br>{_html(visit.notes)}")
        self.findings_model.set_rows(list(visit.findings))
        counts = {s: sum(1 for f in visit.findings if f.status == s.value) for s in FollowUp}
        self.summary.setText(" · ".join(f"{follow_up_label(s.value)}: {n}" for s, n in counts.items()))

    def apply_changes(self, changes: Changes) -> None:
        if changes.about(*self.TOPICS):
            added = changes.ids(Topic.VISITS, "added")
            self.reload(max(added) if added else None)  # a new visit is shown at once

    def _need_line(self, n: Need) -> str:
        return f"{n.item_type.name} × {qty_edit_text(n.quantity)} ({n.room.name})"

    def _needs_text(self, f: VisitFinding) -> str:
        needs = self.needs_by_finding.get(f.id, [])
        if not needs:
            return "—"
        return "; ".join(f"{n.item_type.name} × {qty_edit_text(n.quantity)}" for n in needs)

    # --- visits -------------------------------------------------------------------------------
    def add_visit(self) -> None:
        VisitDialog(self.project, self.undo_stack, None, self).exec()

    def edit_visit(self) -> None:
        visit = self.current_visit()
        if visit is not None:
            VisitDialog(self.project, self.undo_stack, visit, self).exec()

    def delete_visit(self) -> None:
        visit = self.current_visit()
        if visit is not None:
            self._run(delete_visit(visit.id))

    def _run(self, command) -> bool:
        return self.undo_stack.run(command, origin=ORIGIN, report=self.report, parent=self)

    # --- findings -----------------------------------------------------------------------------
    def selected_findings(self) -> list[VisitFinding]:
        rows = sorted({self.findings_proxy.mapToSource(i).row()
                       for i in self.findings_view.selectionModel().selectedRows()})
        if not rows and self.findings_view.currentIndex().isValid():
            rows = [self.findings_proxy.mapToSource(self.findings_view.currentIndex()).row()]
        return [self.findings_model.row_object(r) for r in rows]

    def _commit_finding(self, finding: VisitFinding, field: str, value) -> bool:
        return self._run(lambda: edit_visit_finding(self.project, finding.id, {field: value}))

    def _finding_double_clicked(self, index) -> None:
        if not (self.findings_proxy.flags(index) & Qt.ItemIsEditable):
            self.edit_finding()

    def add_finding(self) -> None:
        visit = self.current_visit()
        if visit is not None:
            VisitFindingDialog(self.project, self.undo_stack, visit.id, None, self).exec()

    def edit_finding(self) -> None:
        chosen = self.selected_findings()
        if chosen:
            VisitFindingDialog(self.project, self.undo_stack, chosen[0].visit_id, chosen[0], self).exec()

    def delete_findings(self) -> None:
        chosen = self.selected_findings()
        if chosen:
            self._run(delete_visit_findings([f.id for f in chosen]))

    def create_need(self) -> None:
        chosen = self.selected_findings()
        if not chosen:
            return
        f = chosen[0]
        preset = {"room_id": f.room_id, "source": NeedSource.VISITATION.value, "visit_finding_id": f.id,
                  "reason": f"{f.visit.office}, {long_date(f.visit.date)}: {f.text}"}
        NeedDialog(self.project, self.undo_stack, None, f.room_id, self, preset=preset).exec()
