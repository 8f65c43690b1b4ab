"""Agency register: searchable, sortable table of the participating bodies."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mpp_planner.formats import long_date
from mpp_planner.i18n import _
from mpp_planner.model import Agency, CounterAssignment
from mpp_planner.model.agency import Tier
from mpp_planner.project import Changes
from mpp_planner.qt.tables import RIGHT, Column, RowTableModel, fit_columns, make_table_view

TIER_ORDER = {t.value: i for i, t in enumerate(Tier)}


def agency_columns() -> list[Column]:
    return [
        Column(_("Name"), lambda a: a.name, width=330),
        Column(_("Short name"), lambda a: a.short_name),
        Column(_("Tier"), lambda a: Tier(a.tier).label, sort=lambda a: TIER_ORDER.get(a.tier, 99)),
        Column(_("Colour"), lambda a: a.colour, colour=lambda a: a.colour),
        Column(_("Counters"), lambda a: ", ".join(sorted({x.counter.label for x in a.assignments})) or "—",
               sort=lambda a: len(a.assignments)),
        Column(_("Contact person"), lambda a: a.contact_person),
        Column(_("Phone"), lambda a: a.phone),
        Column(_("MoU/PKS number"), lambda a: a.mou_number),
        Column(_("MoU date"), lambda a: long_date(a.mou_date) if a.mou_date else "",
               sort=lambda a: a.mou_date.isoformat() if a.mou_date else ""),
        Column(_("Services"), lambda a: len(a.services), align=RIGHT,
               tooltip=lambda a: "\n".join(s.name for s in a.services)),
    ]


class AgencyTab(QWidget):
    def __init__(self, project, signals, undo_stack, parent=None):
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.model = RowTableModel(agency_columns(), self)
        self.view, self.proxy = make_table_view(self.model, self)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search agencies…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.summary = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Search:")))
        top.addWidget(self.search, 1)
        top.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view)
        self.reload()
        fit_columns(self.view, self.model)
        signals.changed.connect(self.apply_changes)

    def reload(self) -> None:
        agencies = self.project.session.scalars(
            select(Agency).order_by(Agency.name)
            .options(selectinload(Agency.services),
                     selectinload(Agency.assignments).selectinload(CounterAssignment.counter))).all()
        self.model.set_rows(agencies)
        without = sum(1 for a in agencies if not a.assignments)
        self.summary.setText(_("{n} agencies, {m} without a counter").format(n=len(agencies), m=without))

    def apply_changes(self, changes: Changes) -> None:
        if changes.touches("agency", "service", "counter_assignment", "counter"):
            self.reload()
