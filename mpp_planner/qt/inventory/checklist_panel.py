"""The checklist page: what the plan cannot show (a lockable lactation-room door, ventilation, signs and
floor markings, the assembly point …), for the whole site or for one room, each with a tick box, who
checked it and when. Ticking (by mouse or the space bar) is one undoable edit."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDateEdit, QFormLayout, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from mpp_planner.commands.checklist import tick
from mpp_planner.formats import long_date
from mpp_planner.i18n import _
from mpp_planner.project import Changes, Topic
from mpp_planner.qt.inventory.editing import ORIGIN
from mpp_planner.reads import checklist as reads
from mpp_planner.standards.findings import Severity

SITE = None  # the "whole site" entry of the place box
KEY_ROLE = Qt.ItemDataRole.UserRole
# flags and states as constants: PySide6 finds short names such as ``Qt.ItemIsEnabled`` slowly (~10 µs each)
READ_ONLY = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
TICKABLE = READ_ONLY | Qt.ItemFlag.ItemIsUserCheckable
CHECKED, UNCHECKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked


class ChecklistPanel(QWidget):
    """``report(text)`` tells why an edit was refused (the tab's message line); without it, a box."""

    TOPICS = (Topic.CHECKLIST, Topic.ROOMS, Topic.SITE)

    def __init__(self, project, undo_stack, parent=None, report=None):
        super().__init__(parent)
        self.project, self.undo_stack, self.report = project, undo_stack, report
        self.rows: list[reads.ChecklistRow] = []
        self._loading = False
        self._loaded = False  # read when the page is first shown (it sits behind the inventory page)

        self.place = QComboBox()
        self.place.currentIndexChanged.connect(lambda _i: self.reload_items())
        self.checker = QLineEdit(reads.default_checker(project))
        self.checker.setPlaceholderText(_("Name of who checked"))
        self.when = QDateEdit(QDate.currentDate())
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("dd/MM/yyyy")

        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([_("Item to check"), _("Regulation"), _("Checked by"), _("Date")])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        for c in (1, 2, 3):
            header.setSectionResizeMode(c, QHeaderView.ResizeToContents)
        self.table.itemChanged.connect(self._item_changed)

        self.summary = QLabel()
        top = QHBoxLayout()
        form = QFormLayout()
        form.addRow(_("Place:"), self.place)
        top.addLayout(form, 2)
        who = QFormLayout()
        who.addRow(_("Checked by:"), self.checker)
        top.addLayout(who, 2)
        day = QFormLayout()
        day.addRow(_("Date:"), self.when)
        top.addLayout(day, 1)
        hint = QLabel(_("What the plan cannot show. Tick an item (click its box or press Space) once it has been "
                        "checked on site; the standards check lists every item not ticked."))
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if not self._loaded:
            self.reload()
        super().showEvent(event)

    # --- loading -------------------------------------------------------------------------
    def current_room_id(self) -> int | None:
        return self.place.currentData()

    def set_room(self, room_id: int | None) -> bool:
        """Show ``room_id`` (None: the site) when the checklist has items for it; return whether it does."""
        if not self._loaded:
            self.reload()
        i = self.place.findData(room_id)
        if i < 0:
            return False
        self.place.setCurrentIndex(i)
        return True

    def reload(self) -> None:
        self._loaded = True
        current = self.current_room_id()
        self.place.blockSignals(True)
        self.place.clear()
        self.place.addItem(_("Whole site"), SITE)
        for room_id, name in reads.rooms_with_items(self.project):
            self.place.addItem(name, room_id)
        i = self.place.findData(current)
        self.place.setCurrentIndex(max(i, 0))
        self.place.blockSignals(False)
        self.reload_items()

    def reload_items(self) -> None:
        selected = self.table.currentRow()
        self.rows = reads.checklist_rows(self.project, self.current_room_id())
        self._loading = True
        try:
            self.table.setRowCount(len(self.rows))
            for r, row in enumerate(self.rows):
                name = QTableWidgetItem(row.name)
                name.setFlags(TICKABLE)
                name.setCheckState(CHECKED if row.ticked else UNCHECKED)
                name.setData(KEY_ROLE, row.key)
                if row.optional:
                    name.setToolTip(_("Evidence for the self-assessment; not a finding while not ticked."))
                    italic = name.font()
                    italic.setItalic(True)
                    name.setFont(italic)
                else:
                    name.setToolTip(_("Severity while not ticked: {severity}").format(
                        severity=Severity(row.severity).label))
                self.table.setItem(r, 0, name)
                shown = row.date is not None or row.checked_by
                for c, text in ((1, row.source), (2, row.checked_by if shown else ""),
                                (3, long_date(row.date) if row.date else "")):
                    cell = QTableWidgetItem(text)
                    cell.setFlags(READ_ONLY)
                    self.table.setItem(r, c, cell)
            self.table.resizeRowsToContents()
        finally:
            self._loading = False
        if 0 <= selected < len(self.rows):
            self.table.setCurrentCell(selected, 0)
        done = sum(1 for r in self.rows if r.ticked)
        self.summary.setText(_("{done} of {n} item(s) ticked.").format(done=done, n=len(self.rows)))

    def apply_changes(self, changes: Changes) -> None:
        if not self._loaded:
            return  # read when first shown
        if changes.about(Topic.ROOMS, Topic.FLOORS):
            self.reload()
        elif changes.about(Topic.CHECKLIST, Topic.SITE):
            self.reload_items()

    # --- editing -------------------------------------------------------------------------
    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading or item.column() != 0:
            return
        self.set_ticked(item.row(), item.checkState() == CHECKED)

    def set_ticked(self, row: int, ticked: bool) -> bool:
        """Tick (or untick) the item on ``row`` as one undoable edit, by the name and date above."""
        if not 0 <= row < len(self.rows):
            return False
        key, room_id = self.rows[row].key, self.current_room_id()
        d = self.when.date()
        when = date(d.year(), d.month(), d.day())
        by = self.checker.text().strip()
        done = self.undo_stack.run(lambda: tick(self.project, key, room_id, ticked, by, when), origin=ORIGIN,
                                   report=self.report, parent=self)
        if not done:
            self.reload_items()  # the box goes back to what the file holds
        return done
