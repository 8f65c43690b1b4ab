"""The allocation overview: per agency, per tier, each counter's weekday schedule, and warnings."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QGroupBox, QLabel, QListWidget, QListWidgetItem, QSplitter, QStyle,
                               QTableView, QVBoxLayout, QWidget)

from mpp_planner.formats import number
from mpp_planner.i18n import _
from mpp_planner.model.agency import WEEKDAY_SHORT
from mpp_planner.model.allocation import AgencyRec, Allocation
from mpp_planner.qt.agencies.assign import days_ui, ink_for
from mpp_planner.qt.agencies.lines import NO_LINE, LineTexts, texts_by_agency
from mpp_planner.qt.agencies.widths import fit_rows, fit_to_texts
from mpp_planner.qt.tables import RIGHT, Column, RowTableModel, make_table_view
from mpp_planner.reports.allocations import desk_area_note_ui, tier_ui

CLASH = "#E74C3C"
COUNTER_ROLE = Qt.UserRole + 20
# roles as plain ints: data() runs for every cell the view paints, and each ``Qt.DisplayRole`` there
# would be an attribute look-up on a Shiboken type
DISPLAY, ALIGNMENT, BACKGROUND, FOREGROUND, TOOLTIP = (
    int(r) for r in (Qt.DisplayRole, Qt.TextAlignmentRole, Qt.BackgroundRole, Qt.ForegroundRole, Qt.ToolTipRole))
CENTRED, RIGHT_ALIGNED = int(Qt.AlignCenter), int(RIGHT)


def area(value) -> str:
    return number(value, 2)


class DayCell(NamedTuple):
    """What one weekday of one counter shows: who serves (names), their colour (red on a double
    booking) with a readable ink, and the agencies' full names as a tooltip."""

    text: str
    background: QColor | None = None
    ink: QColor | None = None
    tooltip: str | None = None


class ScheduleRow(NamedTuple):
    counter_id: int
    name: str
    floor: str
    staff: str
    days: tuple[DayCell, ...]


def day_cells(schedule: list[tuple[AgencyRec, int]], days: int,
              colours: dict[str, tuple[QColor, QColor]]) -> tuple[DayCell, ...]:
    """A counter's week, one cell per day shown; ``colours`` caches each colour with its ink."""
    cells = []
    for day in range(days):
        who = [a for a, mask in schedule if mask & (1 << day)]
        if not who:
            cells.append(DayCell(""))
            continue
        name = who[0].colour if len(who) == 1 else CLASH
        if name not in colours:
            colour = QColor(name)
            colours[name] = (colour, ink_for(colour))
        colour, ink = colours[name]
        tip = (_("Double booking: {agencies}").format(agencies=", ".join(a.name for a in who)) if len(who) > 1
               else who[0].name)
        cells.append(DayCell(" / ".join(a.short_name for a in who), colour, ink, tip))
    return tuple(cells)


class ScheduleModel(QAbstractTableModel):
    """Rows: counters. Columns: counter, floor, one per weekday (Mon–Sat, Sun when used), staff.

    Every row's texts and colours are made once when the allocation is set (counters with the same
    schedule share their week's cells), so painting and measuring a column only look them up."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.allocation: Allocation | None = None
        self.days = 6
        self.rows: list[ScheduleRow] = []

    def set_allocation(self, allocation: Allocation) -> None:
        self.beginResetModel()
        self.allocation = allocation
        sunday = any(mask & 64 for rows in allocation.schedule.values() for _a, mask in rows)
        self.days = 7 if sunday else 6
        self.rows = self._rows(allocation)
        self.endResetModel()

    def _rows(self, allocation: Allocation) -> list[ScheduleRow]:
        weeks: dict[tuple[tuple[int, int], ...], tuple[DayCell, ...]] = {}
        colours: dict[str, tuple[QColor, QColor]] = {}
        rows = []
        for counter in allocation.counters:
            schedule = allocation.schedule.get(counter.id, [])
            key = tuple((a.id, mask) for a, mask in schedule)
            week = weeks.get(key)
            if week is None:
                week = weeks[key] = day_cells(schedule, self.days, colours)
            rows.append(ScheduleRow(counter.id, allocation.counter_name(counter), counter.floor_name,
                                    str(counter.staff), week))
        return rows

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 3 + self.days

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation != Qt.Horizontal or role != DISPLAY:
            return None
        if section == 0:
            return _("Counter")
        if section == 1:
            return _("Floor")
        if section == 2 + self.days:
            return _("Staff")
        return _(WEEKDAY_SHORT[section - 2])

    def texts(self, column: int) -> list[str]:
        """The text of every row in ``column`` (what the column must be wide enough for)."""
        if column == 0:
            return [r.name for r in self.rows]
        if column == 1:
            return [r.floor for r in self.rows]
        if column == 2 + self.days:
            return [r.staff for r in self.rows]
        return [r.days[column - 2].text for r in self.rows]

    def data(self, index: QModelIndex, role=DISPLAY):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == COUNTER_ROLE:
            return row.counter_id
        if col < 2:
            return (row.floor if col else row.name) if role == DISPLAY else None
        if col == 2 + self.days:
            if role == DISPLAY:
                return row.staff
            return RIGHT_ALIGNED if role == ALIGNMENT else None
        cell = row.days[col - 2]
        if role == DISPLAY:
            return cell.text
        if role == ALIGNMENT:
            return CENTRED
        if role == BACKGROUND:
            return cell.background
        if role == FOREGROUND:
            return cell.ink
        if role == TOOLTIP:
            return cell.tooltip
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

        self._texts: dict[int, LineTexts] = {}  # agency id -> what its line shows (made once per allocation)

        def texts(ln) -> LineTexts:
            return self._texts.get(ln.agency.id, NO_LINE)

        self.agency_model = RowTableModel([
            Column(_("Agency"), lambda ln: ln.agency.short_name, tooltip=lambda ln: ln.agency.name,
                   colour=lambda ln: ln.agency.colour),
            Column(_("Tier"), lambda ln: tier_ui(ln.agency.tier)),
            Column(_("Counters"), lambda ln: texts(ln).counters or "—", sort=lambda ln: texts(ln).slots),
            Column(_("Floors"), lambda ln: texts(ln).floors),
            Column(_("Weekdays"), lambda ln: texts(ln).weekdays or "—", sort=lambda ln: texts(ln).days),
            Column(_("Desk area (m²)"), lambda ln: area(texts(ln).area_m2), align=RIGHT,
                   sort=lambda ln: texts(ln).area_m2, tooltip=lambda ln: desk_area_note_ui()),
            Column(_("Staff"), lambda ln: texts(ln).staff, align=RIGHT),
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

    def set_allocation(self, allocation: Allocation, texts: dict[int, LineTexts] | None = None) -> None:
        """Show ``allocation``; ``texts`` is what each agency's line shows, when the caller made it already."""
        self.allocation = allocation
        self._texts = texts if texts is not None else texts_by_agency(allocation)
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
            fit_rows(self.agency_view, self.agency_model)
            self.tier_view.resizeColumnsToContents()
            self.fit_schedule()
            self.tier_view.horizontalHeader().setStretchLastSection(True)
            self._fitted = True

    def fit_schedule(self) -> None:
        """Counter and floor columns as wide as their widest text, weekdays at least 80 px."""
        model = self.schedule_model
        for col in range(model.columnCount()):
            fit_to_texts(self.schedule_view, col, model.texts(col), 80 if 2 <= col < 2 + model.days else 0)

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
