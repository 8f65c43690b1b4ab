"""Preview of an agency import: every row with what it adds or why it cannot; all or nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel, QTableWidget,
                               QTableWidgetItem, QVBoxLayout)

from mpp_planner.i18n import N_, _, ngettext
from mpp_planner.importers.agencies import ImportPlan, SERVICE_SPLIT, parse_tier
from mpp_planner.model.agency import Tier

ERROR_BG = QColor("#FDECEA")


class ImportPreviewDialog(QDialog):
    HEADERS = (N_("Row"), N_("Name"), N_("Short name"), N_("Tier"), N_("Colour"), N_("Services"), N_("Status"))

    def __init__(self, plan: ImportPlan, parent=None):
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(_("Import agencies — {file}").format(file=plan.source.name))
        self.resize(1000, 560)
        bad = [r for r in plan.rows if not r.ok]
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        if not plan.rows:
            self.summary.setText(_("The file has no agency rows."))
            self.summary.setStyleSheet("color: #B03A2E; font-weight: bold;")
        elif bad:
            self.summary.setText(ngettext(
                "{n} row has problems, so nothing will be imported. Correct the file and import it again.",
                "{n} rows have problems, so nothing will be imported. Correct the file and import it again.",
                len(bad)).format(n=len(bad)))
            self.summary.setStyleSheet("color: #B03A2E; font-weight: bold;")
        else:
            self.summary.setText(ngettext("{n} agency is ready to be added (one step you can undo).",
                                          "{n} agencies are ready to be added (one step you can undo).",
                                          len(plan.rows)).format(n=len(plan.rows)))
            self.summary.setStyleSheet("color: #1E7B4A; font-weight: bold;")
        self.only_bad = QCheckBox(_("Show only rows with problems"))
        self.only_bad.setEnabled(bool(bad))
        self.only_bad.toggled.connect(self._filter)

        self.table = QTableWidget(len(plan.rows), len(self.HEADERS))
        self.table.setHorizontalHeaderLabels([_(h) for h in self.HEADERS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.setWordWrap(True)
        for r, row in enumerate(plan.rows):
            v = row.values
            tier = parse_tier(v.get("tier", ""))
            colour = row.agency.colour if row.agency is not None else v.get("colour", "")
            services = [s.strip() for s in SERVICE_SPLIT.split(v.get("services", "")) if s.strip()]
            status = _("OK") if row.ok else "\n".join(f"{e.column}: {e.message}" if e.column else e.message
                                                      for e in row.errors)
            cells = [str(row.row), v.get("name", ""), v.get("short_name", ""),
                     Tier(tier).label if tier else v.get("tier", ""), colour, str(len(services)), status]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 0 or c == 5:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                if c == 5 and services:
                    item.setToolTip("\n".join(services))
                if c == 4 and row.agency is not None:
                    item.setData(Qt.DecorationRole, QColor(colour))
                    if row.auto_colour:
                        item.setToolTip(_("Chosen automatically (the file gives no colour)."))
                if not row.ok:
                    item.setBackground(ERROR_BG)
                    if c == 6:
                        item.setForeground(QColor("#B03A2E"))
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(1, min(self.table.columnWidth(1), 330))
        self.table.setColumnWidth(6, 380)
        header.setSectionResizeMode(6, QHeaderView.Stretch)

        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.import_button = buttons.button(QDialogButtonBox.Ok)
        self.import_button.setText(_("Import"))
        self.import_button.setEnabled(bool(plan.rows) and not bad)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.only_bad)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        kinds = {"utf-8-sig": _("UTF-8 text"), "cp1252": _("Windows-1252 text"), "latin-1": _("Latin-1 text"),
                 "xlsx": _("Excel workbook")}
        enc = QLabel(_("Read as: {kind}").format(kind=kinds.get(plan.encoding, plan.encoding or "?")))
        enc.setStyleSheet("color: #5A6470;")
        layout.addWidget(enc)
        layout.addWidget(buttons)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.table.resizeRowsToContents()  # now that the status column has its real width

    def _filter(self, only_bad: bool) -> None:
        for r, row in enumerate(self.plan.rows):
            self.table.setRowHidden(r, only_bad and row.ok)
