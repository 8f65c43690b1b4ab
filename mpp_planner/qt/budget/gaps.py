"""The budget tab's "Budget open gaps" dialog: the needs not yet met, each with its missing quantity at the
catalog price, checked ones become budget lines under the chosen sub kegiatan with the chosen priority (or the
priority of the standards finding behind the need), as one undoable step."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QHBoxLayout,
                               QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout)

from mpp_planner.commands import budget as cmd
from mpp_planner.formats import rupiah
from mpp_planner.i18n import _
from mpp_planner.model import ValidationError
from mpp_planner.qt.budget.delegates import priority_choices
from mpp_planner.qt.budget.dialogs import (ERROR_STYLE, _buttons, _note, added_line_ids, sub_activity_combo)
from mpp_planner.qt.budget.model import ORIGIN
from mpp_planner.reads import budget as reads


class GapsDialog(QDialog):
    """Open gaps (needs not yet met by usable items) to turn into budget lines of ``year``.

    Each line takes the priority of the need's standards finding (high 1, medium 2, low 3) unless the
    user chooses one for all; needs without a finding get the chosen default. The lines go under the
    chosen sub kegiatan of the year. ``command`` is the edit made (``line_ids`` are the new lines), None
    until the lines were added."""

    COLUMNS = (("room", 0), ("item", 1), ("gap", 2), ("price", 3), ("cost", 4), ("code", 5), ("years", 6),
               ("priority", 7))

    def __init__(self, project, undo_stack, year: int, parent=None, sub_activity_id: int | None = None):
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.year = year
        self.setWindowTitle(_("Budget open gaps in {year}").format(year=year))
        self.command = None
        self.count_kb = QCheckBox(_("Count fair (KB) items as usable"))
        self.count_kb.toggled.connect(self.reload)
        self.sub_activity = sub_activity_combo(project, year, sub_activity_id)
        self.priority = QComboBox()
        self.priority.setObjectName("priority")
        self.priority.addItem(_("From the finding (high → 1)"), None)
        self.priority.setToolTip(_("A finding of high severity gives priority 1, medium 2, low 3; or choose one "
                                   "priority for every line."))
        for label, value in priority_choices():
            self.priority.addItem(label, value)
        self.default_priority = QComboBox()
        self.default_priority.setObjectName("default_priority")
        for label, value in priority_choices():
            self.default_priority.addItem(label, value)
        self.default_priority.setCurrentIndex(self.default_priority.findData(2))
        self.priority.currentIndexChanged.connect(lambda _i: self._show_priorities())
        self.default_priority.currentIndexChanged.connect(lambda _i: self._show_priorities())
        self.table = QTableWidget(0, 8)
        self.table.setHorizontalHeaderLabels([_("Room"), _("Item"), _("Gap"), _("Catalog price (Rp)"),
                                              _("Cost (Rp)"), _("Account code"), _("Budgeted in"), _("Priority")])
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.table.setSelectionMode(QAbstractItemView.NoSelection)
        self.table.itemChanged.connect(lambda _i: self._update_total())
        select_all = QPushButton(_("Select all"))
        select_all.clicked.connect(lambda: self._check_all(True))
        select_none = QPushButton(_("Select none"))
        select_none.clicked.connect(lambda: self._check_all(False))
        self.total = QLabel()
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.count_kb)
        top.addStretch(1)
        top.addWidget(select_all)
        top.addWidget(select_none)
        where = QHBoxLayout()
        where.addWidget(QLabel(_("Sub kegiatan:")))
        where.addWidget(self.sub_activity, 1)
        choose = QHBoxLayout()
        choose.addWidget(QLabel(_("Priority:")))
        choose.addWidget(self.priority)
        choose.addSpacing(12)
        choose.addWidget(QLabel(_("Needs without a finding:")))
        choose.addWidget(self.default_priority)
        choose.addStretch(1)
        self.buttons = _buttons(self, _("Create budget lines"))
        layout = QVBoxLayout(self)
        layout.addWidget(_note(_("Each checked need becomes a budget line for its missing quantity at the catalog "
                                 "price, on the catalog's account code. Needs already budgeted are not checked.")))
        layout.addLayout(top)
        layout.addLayout(where)
        layout.addLayout(choose)
        layout.addWidget(self.table)
        layout.addWidget(self.total)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(980, 560)
        self.gaps = []
        self.from_findings: dict[int, int] = {}
        self.reload()

    @property
    def line_ids(self) -> list[int]:
        """The new lines (empty until they were added)."""
        return added_line_ids(self.command) if self.command is not None else []

    def reload(self) -> None:
        self.gaps = reads.open_gaps(self.project, count_kb=self.count_kb.isChecked())
        try:
            self.from_findings = reads.finding_priorities([g.need for g in self.gaps])
        except ValidationError as exc:  # the rule file cannot be read: told here, and again if "from the finding"
            self.from_findings = {}
            self.error.setText(str(exc))
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.gaps))
        for r, g in enumerate(self.gaps):
            it = g.need.item_type
            check = QTableWidgetItem(g.need.room.name)
            check.setFlags(Qt.ItemIsEnabled | Qt.ItemIsUserCheckable)
            check.setCheckState(Qt.Unchecked if g.years else Qt.Checked)
            check.setData(Qt.UserRole, g.need.id)
            cells = [check, QTableWidgetItem(it.name),
                     QTableWidgetItem(f"{_qty(g.missing)} {cmd.unit_label(it.unit)}"),
                     QTableWidgetItem(rupiah(it.ref_price, symbol=False)),
                     QTableWidgetItem(rupiah(g.cost, symbol=False)), QTableWidgetItem(it.account_code),
                     QTableWidgetItem(", ".join(str(y) for y in g.years) or _("not budgeted")), QTableWidgetItem()]
            for c, cell in enumerate(cells):
                if c:
                    cell.setFlags(Qt.ItemIsEnabled)
                if c in (2, 3, 4):
                    cell.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(r, c, cell)
        self.table.blockSignals(False)
        self._show_priorities()
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self._update_total()

    def chosen_priority(self) -> int | None:
        """1/2/3 for every line, or None: each line from its need's finding."""
        return self.priority.currentData()

    def _show_priorities(self) -> None:
        """The priority column: what each line will get with the current choice."""
        chosen = self.chosen_priority()
        self.default_priority.setEnabled(chosen is None)
        labels = dict((value, label) for label, value in priority_choices())
        self.table.blockSignals(True)
        for r, g in enumerate(self.gaps):
            value = chosen if chosen is not None else self.from_findings.get(g.need.id,
                                                                               self.default_priority.currentData())
            self.table.item(r, 7).setText(labels[value])
        self.table.blockSignals(False)

    def _check_all(self, on: bool) -> None:
        self.table.blockSignals(True)
        for r in range(self.table.rowCount()):
            self.table.item(r, 0).setCheckState(Qt.Checked if on else Qt.Unchecked)
        self.table.blockSignals(False)
        self._update_total()

    def checked_ids(self) -> list[int]:
        return [self.table.item(r, 0).data(Qt.UserRole) for r in range(self.table.rowCount())
                if self.table.item(r, 0).checkState() == Qt.Checked]

    def set_checked(self, need_ids) -> None:
        wanted = set(need_ids)
        self.table.blockSignals(True)
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            item.setCheckState(Qt.Checked if item.data(Qt.UserRole) in wanted else Qt.Unchecked)
        self.table.blockSignals(False)
        self._update_total()

    def _update_total(self) -> None:
        ids = set(self.checked_ids())
        cost = sum((g.cost for g in self.gaps if g.need.id in ids), Decimal(0))
        self.total.setText(_("{n} of {m} open gaps checked · {cost} before PPN").format(
            n=len(ids), m=len(self.gaps), cost=rupiah(cost)))
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(bool(ids))

    def accept(self) -> None:
        self.error.clear()
        ids, count_kb = self.checked_ids(), self.count_kb.isChecked()
        made = []

        def build():
            made.append(cmd.budget_gaps(self.project, ids, self.year, count_kb=count_kb,
                                        priority=self.chosen_priority(),
                                        default_priority=self.default_priority.currentData(),
                                        sub_activity_id=self.sub_activity.currentData()))
            return made[-1]

        if self.undo_stack.run(build, origin=ORIGIN, report=self.error.setText, parent=self):
            self.command = made[-1]
            super().accept()


def _qty(value: Decimal) -> str:
    from mpp_planner.formats import number

    return number(value, 0) if value == value.to_integral_value() else number(value, 2)
