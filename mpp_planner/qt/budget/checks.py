"""The findings of the budget checks (``standards.budget_checks``) of one fiscal year, in a small
window beside the budget tab; double-clicking a finding selects its lines in the tab's tree."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QDialog, QDialogButtonBox, QLabel, QTreeWidget, QTreeWidgetItem, \
    QVBoxLayout

from mpp_planner.i18n import _

IDS_ROLE = Qt.UserRole + 1


class BudgetChecksDialog(QDialog):
    """Lists findings; ``lines_chosen(ids)`` when one is double-clicked (or Enter pressed on it)."""

    lines_chosen = Signal(list)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("budget_checks")
        self.setModal(False)
        self.resize(960, 420)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.list = QTreeWidget()
        self.list.setObjectName("findings")
        self.list.setColumnCount(4)
        self.list.setHeaderLabels([_("Severity"), _("Lines"), _("Finding"), _("What to do")])
        self.list.setRootIsDecorated(False)
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QAbstractItemView.SingleSelection)
        for col, width in enumerate((70, 90, 460)):
            self.list.setColumnWidth(col, width)
        self.list.itemActivated.connect(self._chosen)
        self.list.itemDoubleClicked.connect(self._chosen)
        self.list.currentItemChanged.connect(self._show_detail)
        self.detail = QLabel()  # the chosen finding in full: the columns cut long sentences
        self.detail.setObjectName("detail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextSelectableByMouse)
        buttons = QDialogButtonBox()
        close = buttons.addButton(_("Close"), QDialogButtonBox.RejectRole)  # Qt's own word stays English
        close.setDefault(True)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.detail)
        layout.addWidget(QLabel(_("Double-click a finding to select its lines.")))
        layout.addWidget(buttons)

    def _show_detail(self, item: QTreeWidgetItem | None, _previous=None) -> None:
        self.detail.setText("" if item is None else f"{item.text(2)}\n→ {item.text(3)}")

    def show_findings(self, year: int, findings) -> None:
        self.setWindowTitle(_("Budget checks {year}").format(year=year))
        self.list.clear()
        for f in findings:
            item = QTreeWidgetItem([f.severity.label, ", ".join(f"#{i}" for i in f.line_ids), f.message, f.advice])
            item.setData(0, IDS_ROLE, list(f.line_ids))
            for col in (2, 3):
                item.setToolTip(col, item.text(col))
            self.list.addTopLevelItem(item)
        self.summary.setText(_("{n} finding(s) in the request of {year}.").format(n=len(findings), year=year)
                             if findings else _("No findings in the request of {year}.").format(year=year))
        self.list.setCurrentItem(self.list.topLevelItem(0))
        self._show_detail(self.list.currentItem())

    def _chosen(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        ids = item.data(0, IDS_ROLE) or []
        if ids:
            self.lines_chosen.emit(list(ids))
