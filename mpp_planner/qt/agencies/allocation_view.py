"""The allocation overview: per agency, per tier, each counter's weekday schedule, and warnings."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QGroupBox, QLabel, QListWidget, QListWidgetItem, QSplitter, QStyle,
                               QTableView, QVBoxLayout, QWidget)

from mpp_planner.formats import number
from mpp_planner.i18n import _
from mpp_planner.model.agency import WEEKDAY_SHORT
from mpp_planner.model.allocation import Allocation
from mpp_planner.qt.agencies.assign import days_ui, ink_for
from mpp_planner.qt.tables import RIGHT, Column, RowTableModel, fit_columns, make_table_view
from mpp_planner.reports.allocations import desk_area_note_ui, tier_ui

CLASH = "#E74C3C"
COUNTER_ROLE = Qt.UserRole + 20


def area(value) -> str:
    return number(value, 2)


class ScheduleModel(QAbstractTableModel):
    """Rows: counters. Columns: counter, floor, one per weekday (Mon–Sat, Sun when used), staff."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.allocation: Allocation | None = None
        self.days = 6

    def set_allocation(self, allocation: Allocation) -> None:
        self.beginResetModel()
        self.allocation = allocation
        sunday = any(mask & 64 for rows in allocation.schedule.values() for _a, mask in rows)
        self.days = 7 if sunday else 6
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() or self.allocation is None else len(self.allocation.counters)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 3 + self.days

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation != Qt.Horizontal or role != Qt.DisplayRole:
            return None
        if section == 0:
            return _("Counter")
        if section == 1:
            return _("Floor")
        if section == 2 + self.days:
            return _("Staff")
        return _(WEEKDAY_SHORT[section - 2])

    def who(self, row: int, day: int):
        counter = self.allocation.counters[row]
        return [a for a, mask in self.allocation.schedule.get(counter.id, []) if mask & (1 << day)]

    def data(self, index: QModelIndex, role=Qt.DisplayRole):
        if not index.isValid() or self.allocation is None:
            return None
        counter = self.allocation.counters[index.row()]
        col = index.column()
        if role == COUNTER_ROLE:
            return counter.id
        if col == 0:
            return self.allocation.counter_name(counter) if role == Qt.DisplayRole else None
        if col == 1:
            return counter.floor_name if role == Qt.DisplayRole else None
        if col == 2 + self.days:
            if role == Qt.DisplayRole:
                return str(counter.staff)
            return int(RIGHT) if role == Qt.TextAlignmentRole else None
        who = self.who(index.row(), col - 2)
        if role == Qt.DisplayRole:
            return " / ".join(a.short_name for a in who)
        if role == Qt.TextAlignmentRole:
            return int(Qt.AlignCenter)
        if role in (Qt.BackgroundRole, Qt.ForegroundRole) and who:
            colour = QColor(who[0].colour if len(who) == 1 else CLASH)
            return colour if role == Qt.BackgroundRole else ink_for(colour)
        if role == Qt.ToolTipRole and len(who) > 1:
            return _("Double booking: {agencies}").format(agencies=", ".join(a.name for a in who))
        if role == Qt.ToolTipRole and who:
            return who[0].name
        return None


class AllocationView(QWidget):
    """Read-only overview; double-clicking a counter asks the tab to edit its schedule."""

    counter_activated = Signal(int)  # counter id

    def __init__(self, parent=None):
        super().__init__(parent)
        self.allocation: Allocation | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: bold;")

        self.agency_model = RowTableModel([
            Column(_("Agency"), lambda ln: ln.agency.short_name, tooltip=lambda ln: ln.agency.name,
                   colour=lambda ln: ln.agency.colour),
            Column(_("Tier"), lambda ln: tier_ui(ln.agency.tier)),
            Column(_("Counters"), lambda ln: self.allocation.counters_text(ln, days_ui) or "—",
                   sort=lambda ln: len(ln.slots)),
            Column(_("Floors"), lambda ln: ", ".join(ln.floors)),
            Column(_("Weekdays"), lambda ln: days_ui(ln.weekdays) if ln.weekdays else "—",
                   sort=lambda ln: bin(ln.weekdays).count("1")),
            Column(_("Desk area (m²)"), lambda ln: area(ln.area_m2), align=RIGHT, sort=lambda ln: ln.area_m2,
                   tooltip=lambda ln: desk_area_note_ui()),
            Column(_("Staff"), lambda ln: ln.staff, align=RIGHT),
            Column(_("Services"), lambda ln: ln.service_count, align=RIGHT,
                   tooltip=lambda ln: "\n".join(ln.agency.services)),
        ], self)
        self.agency_view, self.agency_proxy = make_table_view(self.agency_model, self)

        self.tier_model = RowTableModel([
            Column(_("Tier"), lambda t: tier_ui(t.tier) if t.tier else _("Counters not yet allocated")),
            Column(_("Agencies"), lambda t: t.agencies if t.tier else "—", align=RIGHT),
            Column(_("Agencies with a counter"), lambda t: t.agencies_with_counter if t.tier else "—", align=RIGHT),
            Column(_("Counters"), lambda t: t.counters, align=RIGHT),
            Column(_("Services"), lambda t: t.services if t.tier else "—", align=RIGHT),
            Column(_("Desk area (m²)"), lambda t: area(t.area_m2), align=RIGHT, sort=lambda t: t.area_m2,
                   tooltip=lambda t: desk_area_note_ui()),
            Column(_("Share of desk area"), lambda t: number(t.share * 100, 1) + " %", align=RIGHT,
                   sort=lambda t: t.share),
        ], self)
        self.tier_view, _proxy = make_table_view(self.tier_model, self)

        self.schedule_model = ScheduleModel(self)
        self.schedule_view = QTableView()
        self.schedule_view.setModel(self.schedule_model)
        self.schedule_view.setAlternatingRowColors(True)
        self.schedule_view.setSelectionBehavior(QTableView.SelectRows)
        self.schedule_view.verticalHeader().setVisible(False)
        self.schedule_view.verticalHeader().setDefaultSectionSize(24)
        self.schedule_view.horizontalHeader().setStretchLastSection(False)
        self.schedule_view.doubleClicked.connect(self._activated)
        self.schedule_view.setToolTip(_("Double-click a counter to change its schedule."))

        self.warnings = QListWidget()
        self.warnings.setWordWrap(True)
        self.warnings.itemDoubleClicked.connect(self._warning_activated)

        per_agency = QGroupBox(_("Per agency"))
        QVBoxLayout(per_agency).addWidget(self.agency_view)
        per_tier = QGroupBox(_("Per tier"))
        QVBoxLayout(per_tier).addWidget(self.tier_view)
        schedule = QGroupBox(_("Counter schedule"))
        QVBoxLayout(schedule).addWidget(self.schedule_view)
        warn = QGroupBox(_("Warnings"))
        QVBoxLayout(warn).addWidget(self.warnings)

        top = QSplitter(Qt.Horizontal)
        top.addWidget(per_agency)
        top.addWidget(per_tier)
        top.setSizes([620, 740])
        bottom = QSplitter(Qt.Horizontal)
        bottom.addWidget(schedule)
        bottom.addWidget(warn)
        bottom.setSizes([900, 460])
        split = QSplitter(Qt.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setSizes([380, 420])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        self._fitted = False

    def set_allocation(self, allocation: Allocation) -> None:
        self.allocation = allocation
        self.agency_model.set_rows(allocation.agencies)
        from mpp_planner.model.allocation import TierLine

        free = TierLine("", counters=len(allocation.unassigned), area_m2=allocation.unassigned_area_m2,
                        share=allocation.unassigned_share)
        self.tier_model.set_rows([*allocation.tiers, free])
        self.schedule_model.set_allocation(allocation)
        self._fill_warnings(allocation)
        a = allocation
        self.summary.setText(_(
            "{assigned} of {counters} counters allocated · {agencies} agencies, {idle} without a counter yet · "
            "{clashes} double booking(s)").format(assigned=a.assigned_counters, counters=len(a.counters),
                                                   agencies=len(a.agencies), idle=len(a.idle_agencies),
                                                   clashes=len(a.double_bookings)))
        if not self._fitted:
            fit_columns(self.agency_view, self.agency_model)
            self.tier_view.resizeColumnsToContents()
            self.schedule_view.resizeColumnsToContents()
            for col in range(2, 2 + self.schedule_model.days):
                self.schedule_view.setColumnWidth(col, max(self.schedule_view.columnWidth(col), 80))
            self.tier_view.horizontalHeader().setStretchLastSection(True)
            self._fitted = True

    def _fill_warnings(self, a: Allocation) -> None:
        self.warnings.clear()
        style = self.style()
        bad = style.standardIcon(QStyle.SP_MessageBoxCritical)
        warn = style.standardIcon(QStyle.SP_MessageBoxWarning)
        info = style.standardIcon(QStyle.SP_MessageBoxInformation)
        for d in a.double_bookings:
            item = QListWidgetItem(bad, _("Double booking at {counter} on {days}: {agencies}").format(
                counter=a.counter_name(d.counter), days=days_ui(d.weekdays),
                agencies=", ".join(x.short_name for x in d.agencies)))
            item.setData(COUNTER_ROLE, d.counter.id)
            self.warnings.addItem(item)
        if a.unassigned:
            item = QListWidgetItem(warn, _("{n} counter(s) not yet allocated: {labels}").format(
                n=len(a.unassigned), labels=", ".join(a.counter_name(c) for c in a.unassigned)))
            item.setData(COUNTER_ROLE, a.unassigned[0].id)
            self.warnings.addItem(item)
        if a.idle_agencies:
            self.warnings.addItem(QListWidgetItem(warn, _("{n} agency(ies) without a counter yet: {names}").format(
                n=len(a.idle_agencies), names=", ".join(x.short_name for x in a.idle_agencies))))
        if not self.warnings.count():
            self.warnings.addItem(QListWidgetItem(info, _("Every counter is allocated, every agency has a counter, "
                                                          "and no counter is double-booked.")))

    def _activated(self, index: QModelIndex) -> None:
        ident = index.data(COUNTER_ROLE)
        if ident is not None:
            self.counter_activated.emit(int(ident))

    def _warning_activated(self, item: QListWidgetItem) -> None:
        ident = item.data(COUNTER_ROLE)
        if ident is not None:
            self.counter_activated.emit(int(ident))
