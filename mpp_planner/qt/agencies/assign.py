""""Assign to…": one agency at the selected counters on chosen weekdays, with the counters'
current schedules shown and clashes spelled out before anything changes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel,
                               QTableWidget, QTableWidgetItem, QVBoxLayout)

from mpp_planner.i18n import _
from mpp_planner.model.agency import WEEKDAY_SHORT, Weekday
from mpp_planner.model.allocation import Allocation, days_text

WORKDAYS = int(Weekday.workdays())


def days_ui(mask: int) -> str:
    return days_text(mask, [_(n) for n in WEEKDAY_SHORT], _("Mon–Fri"))


def ink_for(colour: QColor) -> QColor:
    luminance = 0.299 * colour.red() + 0.587 * colour.green() + 0.114 * colour.blue()
    return QColor("#1B1F23") if luminance > 150 else QColor("#FFFFFF")


class AssignDialog(QDialog):
    """Choose agency, weekdays and whether those days are taken from the others."""

    def __init__(self, allocation: Allocation, counter_ids: list[int], agency_id: int | None = None,
                 parent=None):
        super().__init__(parent)
        self.allocation = allocation
        self.counter_ids = list(counter_ids)
        counters = {c.id: c for c in allocation.counters}
        self.counters = [counters[i] for i in self.counter_ids if i in counters]
        self.setWindowTitle(_("Assign counters to an agency"))
        self.setMinimumWidth(560)

        self.agency = QComboBox()
        self.agency.setEditable(True)
        self.agency.setInsertPolicy(QComboBox.NoInsert)
        self.agency.completer().setFilterMode(Qt.MatchContains)
        self.agency.completer().setCompletionMode(self.agency.completer().CompletionMode.PopupCompletion)
        for line in sorted(allocation.agencies, key=lambda ln: ln.agency.short_name.casefold()):
            a = line.agency
            self.agency.addItem(f"{a.short_name} — {a.name}", a.id)
        self.agency.setMinimumContentsLength(40)
        self.days = []
        days_row = QHBoxLayout()
        for name in WEEKDAY_SHORT:
            box = QCheckBox(_(name))
            box.toggled.connect(self._update)
            days_row.addWidget(box)
            self.days.append(box)
        days_row.addStretch(1)
        self.exclusive = QCheckBox(_("Take these days from other agencies at these counters"))
        self.exclusive.setChecked(True)
        self.exclusive.toggled.connect(self._update)

        self.schedule = QTableWidget(len(self.counters), 8)
        self.schedule.setHorizontalHeaderLabels([_("Counter")] + [_(n) for n in WEEKDAY_SHORT])
        self.schedule.verticalHeader().setVisible(False)
        self.schedule.setEditTriggers(QTableWidget.NoEditTriggers)
        self.schedule.setSelectionMode(QTableWidget.NoSelection)
        self.schedule.setMaximumHeight(26 * min(len(self.counters), 6) + 34)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setMinimumHeight(36)

        form = QFormLayout()
        form.addRow(_("Agency:"), self.agency)
        form.addRow(_("Weekdays:"), days_row)
        form.addRow("", self.exclusive)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText(_("Assign"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.Ok)
        layout = QVBoxLayout(self)
        labels = ", ".join(allocation.counter_name(c) for c in self.counters)
        head = QLabel(_("Counters: {labels}").format(labels=labels))
        head.setWordWrap(True)
        head.setStyleSheet("font-weight: bold;")
        layout.addWidget(head)
        layout.addWidget(QLabel(_("Current schedule:")))
        layout.addWidget(self.schedule)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self._fill_schedule()
        if agency_id is not None:
            self.agency.setCurrentIndex(max(0, self.agency.findData(agency_id)))
        self.agency.currentIndexChanged.connect(self._update)
        self.set_days(self.free_workdays() or WORKDAYS)
        self.agency.lineEdit().setCursorPosition(0)
        self._update()

    def _fill_schedule(self) -> None:
        for r, counter in enumerate(self.counters):
            self.schedule.setItem(r, 0, QTableWidgetItem(self.allocation.counter_name(counter)))
            for d in range(7):
                who = [a for a, mask in self.allocation.schedule.get(counter.id, []) if mask & (1 << d)]
                item = QTableWidgetItem(" / ".join(a.short_name for a in who))
                if who:
                    colour = QColor(who[0].colour if len(who) == 1 else "#E74C3C")
                    item.setBackground(colour)
                    item.setForeground(ink_for(colour))
                self.schedule.setItem(r, d + 1, item)
        self.schedule.resizeColumnsToContents()
        for col in range(1, 8):
            self.schedule.setColumnWidth(col, max(self.schedule.columnWidth(col), 64))

    def free_workdays(self) -> int:
        """Working days on which none of the counters has another agency."""
        agency_id = self.agency.currentData()
        taken = 0
        for c in self.counters:
            for a, mask in self.allocation.schedule.get(c.id, []):
                if a.id != agency_id:
                    taken |= mask
        return WORKDAYS & ~taken

    def set_days(self, mask: int) -> None:
        for i, box in enumerate(self.days):
            box.setChecked(bool(mask & (1 << i)))

    def weekdays(self) -> int:
        return sum(1 << i for i, box in enumerate(self.days) if box.isChecked())

    def agency_id(self) -> int | None:
        # an edited text that names no agency exactly leaves no choice
        text = self.agency.currentText()
        index = self.agency.findText(text)
        return self.agency.itemData(index) if index >= 0 else None

    def clashes(self) -> list[tuple[str, str, int]]:
        """(counter, other agency, days) where the chosen days meet another agency."""
        mask, me = self.weekdays(), self.agency_id()
        out = []
        for c in self.counters:
            for a, days in self.allocation.schedule.get(c.id, []):
                if a.id != me and days & mask:
                    out.append((self.allocation.counter_name(c), a.short_name, days & mask))
        return out

    def _update(self) -> None:
        mask = self.weekdays()
        ok = bool(mask) and self.agency_id() is not None
        self.ok_button.setEnabled(ok)
        if not mask:
            self.note.setText(_("Choose at least one weekday."))
            self.note.setStyleSheet("color: #B03A2E;")
            return
        clashes = self.clashes()
        if not clashes:
            self.note.setText(_("No other agency serves at these counters on these days."))
            self.note.setStyleSheet("color: #1E7B4A;")
            return
        parts = [_("{agency} at {counter} on {days}").format(agency=a, counter=c, days=days_ui(d))
                 for c, a, d in clashes]
        if self.exclusive.isChecked():
            self.note.setText(_("These days will be taken from: {list}.").format(list="; ".join(parts)))
            self.note.setStyleSheet("color: #8A5A00;")
        else:
            self.note.setText(_("Double booking: {list}.").format(list="; ".join(parts)))
            self.note.setStyleSheet("color: #B03A2E; font-weight: bold;")


class ScheduleDialog(QDialog):
    """One counter's whole week: a row per agency, a tick per weekday; clashes shown in red."""

    def __init__(self, allocation: Allocation, counter_id: int, parent=None):
        super().__init__(parent)
        from PySide6.QtWidgets import QPushButton

        self.allocation = allocation
        self.counter = next(c for c in allocation.counters if c.id == counter_id)
        self.setWindowTitle(_("Schedule of counter {label}").format(label=allocation.counter_name(self.counter)))
        self.setMinimumWidth(720)
        self.choices = sorted((ln.agency for ln in allocation.agencies), key=lambda a: a.short_name.casefold())
        self.table = QTableWidget(0, 8)
        self.table.setHorizontalHeaderLabels([_("Agency")] + [_(n) for n in WEEKDAY_SHORT])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.itemChanged.connect(lambda _i: self._update())
        add = QPushButton(_("Add agency"))
        add.clicked.connect(lambda: self.add_row(None, 0))
        remove = QPushButton(_("Remove agency"))
        remove.clicked.connect(self.remove_selected)
        self.note = QLabel()
        self.note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.Ok)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("{label} on {floor}: who serves here on which weekday.").format(
            label=allocation.counter_name(self.counter), floor=self.counter.floor_name)))
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        for agency, mask in allocation.schedule.get(counter_id, []):
            self.add_row(agency.id, mask)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(0, 330)
        self.table.clearSelection()
        self._update()

    def add_row(self, agency_id: int | None, mask: int) -> None:
        self.table.blockSignals(True)
        r = self.table.rowCount()
        self.table.insertRow(r)
        combo = QComboBox()
        for a in self.choices:
            combo.addItem(f"{a.short_name} — {a.name}", a.id)
        if agency_id is not None:
            combo.setCurrentIndex(max(0, combo.findData(agency_id)))
        combo.currentIndexChanged.connect(lambda _i: self._update())
        self.table.setCellWidget(r, 0, combo)
        for d in range(7):
            item = QTableWidgetItem()
            item.setFlags(Qt.ItemIsUserCheckable | Qt.ItemIsEnabled | Qt.ItemIsSelectable)
            item.setCheckState(Qt.Checked if mask & (1 << d) else Qt.Unchecked)
            self.table.setItem(r, d + 1, item)
        self.table.blockSignals(False)
        self._update()

    def remove_selected(self) -> None:
        for r in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(r)
        self._update()

    def schedule(self) -> dict[int, int]:
        out: dict[int, int] = {}
        for r in range(self.table.rowCount()):
            agency_id = self.table.cellWidget(r, 0).currentData()
            mask = sum(1 << d for d in range(7) if self.table.item(r, d + 1).checkState() == Qt.Checked)
            out[agency_id] = out.get(agency_id, 0) | mask
        return out

    def set_day(self, row: int, day: int, on: bool) -> None:
        self.table.item(row, day + 1).setCheckState(Qt.Checked if on else Qt.Unchecked)

    def _update(self) -> None:
        if not hasattr(self, "note"):
            return
        clash_days = 0
        for d in range(7):
            n = sum(1 for r in range(self.table.rowCount())
                    if self.table.item(r, d + 1) is not None and self.table.item(r, d + 1).checkState() == Qt.Checked)
            if n > 1:
                clash_days |= 1 << d
        self.table.blockSignals(True)
        for r in range(self.table.rowCount()):
            for d in range(7):
                item = self.table.item(r, d + 1)
                if item is not None:
                    item.setBackground(QColor("#F5B7B1") if clash_days & (1 << d) and item.checkState() == Qt.Checked
                                       else QColor(0, 0, 0, 0))
        self.table.blockSignals(False)
        if clash_days:
            self.note.setText(_("Double booking on {days}.").format(days=days_ui(clash_days)))
            self.note.setStyleSheet("color: #B03A2E; font-weight: bold;")
        elif not self.table.rowCount():
            self.note.setText(_("Nobody will serve at this counter."))
            self.note.setStyleSheet("color: #8A5A00;")
        else:
            self.note.setText("")
