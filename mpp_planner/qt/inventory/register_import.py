"""Import an asset register (KIR, SIMDA BMD / SIMBADA export, Excel kept by hand) into the inventory.

Pick a file; it is read and checked in a worker (``run_job``). The preview shows the sheet's first
rows as they are, the header row(s) found highlighted, and above each column the field it goes to
(a combo box the user can change; the check runs again). Rooms the plan does not have are listed
with a box to create them. *Import* adds every row or none, as ONE undoable step on the main undo
stack (``undo_stack.run``); a refusal stays in the dialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel,
                               QLineEdit, QPlainTextEdit, QPushButton, QSpinBox, QTableWidget, QTableWidgetItem,
                               QVBoxLayout)

from mpp_planner.i18n import _
from mpp_planner.importers import ImportRefused
from mpp_planner.importers.inventory import (FIELDS, UNPLACED_FLOOR, InventoryPlan, check, layout_of, read_register,
                                            require_rooms_and_catalog)
from mpp_planner.importers.register import IGNORE, Layout, Sheet, column_letter
from mpp_planner.qt.inventory.editing import ORIGIN, WARN
from mpp_planner.qt.jobs import run_job, show_job_error

PREVIEW_ROWS = 25  # data rows shown under the header (the check covers every row)
HEADER_COLOUR = "#FCE8B2"
OUTSIDE_COLOUR = "#8A8A8A"  # title block, totals, signatures: not imported


def read_and_check(reader, source: Path, names: dict[str, str], header_row: int | None):
    """The worker's part: read the file, find its table, check every row against the project."""
    require_rooms_and_catalog(reader, create_rooms=True)  # an empty catalog: say so (rooms may be created here)
    sheet, layout = read_register(source, names, header_row)
    return sheet, layout, check(reader, sheet, layout)


def recheck(reader, sheet: Sheet, names: dict[str, str], header_row: int | None):
    """The worker's part after the user changed the mapping or the header row (no new reading)."""
    layout = layout_of(sheet, names, header_row)
    return sheet, layout, check(reader, sheet, layout)


class RegisterImportDialog(QDialog):
    """Choose a register, check the columns found, then import all rows or none."""

    def __init__(self, project, undo_stack, parent=None, source: str | Path | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Import inventory register"))
        self.project, self.undo_stack = project, undo_stack
        self.source: Path | None = None
        self.sheet: Sheet | None = None
        self.layout_: Layout | None = None
        self.plan: InventoryPlan | None = None
        self.names: dict[str, str] = {}  # column letter -> field, as the user chose
        self.header_row: int | None = None  # as the user chose; None = found automatically
        self.job = None  # the last reading or check (a JobHandle)
        self.combos: list[QComboBox] = []

        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.path.setPlaceholderText(_("Choose the register (XLSX or CSV) as the asset officer keeps it"))
        browse = QPushButton(_("Choose file…"))
        browse.clicked.connect(self.choose)
        self.header_spin = QSpinBox()
        self.header_spin.setRange(1, 1)
        self.header_spin.setEnabled(False)
        self.header_spin.setToolTip(_("The (last) row of the column headings; found automatically"))
        self.header_spin.editingFinished.connect(self._header_chosen)
        self.found = QLabel(_("No file chosen."))
        self.found.setWordWrap(True)
        self.table = QTableWidget(0, 0)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setWordWrap(False)
        self.rooms_label = QLabel()
        self.rooms_label.setWordWrap(True)
        self.create_rooms = QCheckBox(_("Create these rooms (on the floor the row names, else on the floor “{floor}”; "
                                        "reshape them on the plan later)").format(floor=UNPLACED_FLOOR))
        self.create_rooms.toggled.connect(lambda _on: self._show_outcome())
        self.errors = QPlainTextEdit()
        self.errors.setReadOnly(True)
        self.errors.setStyleSheet(WARN)
        self.errors.setMaximumHeight(140)
        self.errors.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Cancel)
        self.import_button = self.buttons.addButton(_("Import"), QDialogButtonBox.AcceptRole)
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.do_import)
        self.buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(self.path, 1)
        top.addWidget(browse)
        top.addSpacing(12)
        top.addWidget(QLabel(_("Header row:")))
        top.addWidget(self.header_spin)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.found)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.rooms_label)
        layout.addWidget(self.create_rooms)
        layout.addWidget(self.errors)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.rooms_label.hide()
        self.create_rooms.hide()
        self.resize(1100, 640)
        if source is not None:
            self.load(source)

    # --- reading ---------------------------------------------------------------------------
    def choose(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Inventory register"), "",
                                                    _("Registers (*.xlsx *.csv);;All files (*)"))
        if path:
            self.load(path)

    def load(self, path):
        """Read and check the file in a worker, then show the preview; returns the job."""
        self.source = Path(path)
        self.path.setText(str(path))
        self.names, self.header_row = {}, None
        self.sheet = self.layout_ = self.plan = None
        self._busy()
        source = self.source
        self.job = run_job(self, _("Import inventory register"),
                           lambda reader: read_and_check(reader, source, {}, None),
                           project=self.project, on_done=self._show, on_failed=self._failed)
        return self.job

    def check_again(self):
        """Check again with the user's mapping and header row (the file is not read again); returns the job."""
        if self.sheet is None:
            return None
        self._busy()
        sheet, names, header_row = self.sheet, dict(self.names), self.header_row
        self.job = run_job(self, _("Import inventory register"),
                           lambda reader: recheck(reader, sheet, names, header_row), project=self.project,
                           on_done=self._show, on_failed=self._failed)
        return self.job

    def _busy(self) -> None:
        self.import_button.setEnabled(False)
        self.status.setText(_("Reading…"))

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ImportRefused):
            self.errors.setPlainText("\n".join(str(e) for e in exc.errors))
            self.errors.show()
            self.status.setText(_("Nothing will be imported. Correct the file or the mapping."))
            self.import_button.setEnabled(False)
        else:
            show_job_error(self, _("Import inventory register"), exc)

    # --- the preview -----------------------------------------------------------------------
    def _show(self, result) -> None:
        self.sheet, self.layout_, self.plan = result
        self._fill_table()
        self._show_outcome()

    def _fill_table(self) -> None:
        sheet, lay = self.sheet, self.layout_
        assert sheet is not None and lay is not None
        self.header_spin.blockSignals(True)
        self.header_spin.setRange(1, max(1, min(len(sheet.rows), 200)))
        self.header_spin.setValue(lay.header_row)
        self.header_spin.setEnabled(True)
        self.header_spin.blockSignals(False)
        shown = lay.data_rows[:PREVIEW_ROWS]
        last_shown = shown[-1] if shown else lay.header_row
        if lay.end_row and lay.end_row <= last_shown + 3:
            last_shown = lay.end_row  # the totals row that ended the data
        last_shown = min(len(sheet.rows), last_shown + 1)
        width = max(len(lay.headers), max((len(sheet.rows[r]) for r in range(last_shown)), default=0))
        self.table.clear()
        self.table.setColumnCount(width)
        self.table.setRowCount(last_shown + 1)
        self.table.setHorizontalHeaderLabels([column_letter(c) for c in range(width)])
        self.table.setVerticalHeaderLabels([_("Field"), *(str(r) for r in range(1, last_shown + 1))])
        data = set(lay.data_rows)
        header_brush = QBrush(QColor(HEADER_COLOUR))
        outside = QBrush(QColor(OUTSIDE_COLOUR))
        bold = QFont()
        bold.setBold(True)
        for r in range(1, last_shown + 1):
            in_header = lay.header_top <= r <= lay.header_row
            for c in range(width):
                item = QTableWidgetItem(sheet.cell(r, c))
                if in_header:
                    item.setBackground(header_brush)
                    item.setFont(bold)
                elif r not in data:
                    item.setForeground(outside)
                self.table.setItem(r, c, item)
        for top, left, bottom, right in sheet.merges:  # shown merged, as in the spreadsheet
            bottom, right = min(bottom, last_shown), min(right, width)
            if top <= bottom and left <= right and (bottom > top or right > left):
                self.table.setSpan(top, left - 1, bottom - top + 1, right - left + 1)
        self.combos = []
        for c in range(width):
            combo = QComboBox()
            combo.addItem(_("— not imported —"), IGNORE)
            for name, label in FIELDS.items():
                combo.addItem(_(label), name)
            combo.setCurrentIndex(max(0, combo.findData(lay.mapping.get(c, IGNORE))))
            combo.currentIndexChanged.connect(lambda _i, col=c: self._field_chosen(col))
            self.table.setCellWidget(0, c, combo)
            self.combos.append(combo)
        self.table.resizeColumnsToContents()
        for c in range(width):
            self.table.setColumnWidth(c, min(max(self.table.columnWidth(c), 120), 260))

    def _field_chosen(self, col: int) -> None:
        self.names[column_letter(col)] = self.combos[col].currentData()
        self.check_again()

    def _header_chosen(self) -> None:
        if self.layout_ is not None and self.header_spin.value() != self.layout_.header_row:
            self.header_row = self.header_spin.value()
            self.names = {}  # the columns are those of the new header row
            self.check_again()

    def _show_outcome(self) -> None:
        plan, lay = self.plan, self.layout_
        if plan is None or lay is None:
            return
        header = (_("row {row}").format(row=lay.header_row) if lay.header_top == lay.header_row
                  else _("rows {top}–{bottom}").format(top=lay.header_top, bottom=lay.header_row))
        parts = [_("Column headings in {where}; {n} data row(s)").format(where=header, n=len(lay.data_rows))]
        if lay.data_rows:
            parts[-1] += " " + _("(rows {first}–{last})").format(first=lay.data_rows[0], last=lay.data_rows[-1])
        if lay.end_reason == "totals":
            parts.append(_("the totals row {row} ends the data").format(row=lay.end_row))
        if not lay.found:
            parts.append(_("no row looked like column headings: choose the header row and the fields"))
        for name in ("room", "floor"):
            if lay.title.get(name) and name not in lay.mapping.values():
                parts.append(_("{field} from the title: {value}").format(field=_(FIELDS[name]), value=lay.title[name]))
        unmapped = [lay.headers[c] for c in lay.unmapped]
        if unmapped:
            parts.append(_("not imported: {cols}").format(cols=", ".join(unmapped)))
        self.found.setText("; ".join(parts) + ".")
        if plan.new_rooms:
            self.rooms_label.setText(_("Rooms not in the plan: {rooms}").format(rooms=plan.unknown_rooms_text()))
        self.rooms_label.setVisible(bool(plan.new_rooms))
        self.create_rooms.setVisible(bool(plan.new_rooms))
        errors = plan.errors(self.create_rooms.isChecked())
        if errors:
            lines = [str(e) for e in errors]
            if plan.new_rooms and not self.create_rooms.isChecked():
                lines.insert(0, _("Unknown rooms: tick “Create these rooms” or draw them in the Plan tab."))
            self.errors.setPlainText("\n".join(lines))
            self.errors.show()
            self.status.setText(_("Nothing will be imported: {n} problem(s). Correct the file or the mapping."
                                  ).format(n=len(errors)))
        else:
            self.errors.hide()
            if plan.new_rooms and self.create_rooms.isChecked():
                text = _("{n} row(s) and {r} new room(s) will be added. The import is one step you can undo.")
            else:
                text = _("{n} row(s) will be added. The import is one step you can undo.")
            self.status.setText(text.format(n=len(plan.rows), r=len(plan.new_rooms)))
        self.import_button.setEnabled(not errors)

    # --- importing -------------------------------------------------------------------------
    def _command(self):
        assert self.plan is not None
        try:
            return self.plan.command(self.project, self.create_rooms.isChecked())
        except ImportRefused as refused:  # the project changed since the check
            raise ValueError("\n".join(str(e) for e in refused.errors)) from None

    def do_import(self) -> None:
        if self.plan is None or not self.plan.ok(self.create_rooms.isChecked()):
            return
        if self.undo_stack.run(self._command, origin=ORIGIN, report=self._import_refused, parent=self):
            self.accept()

    def _import_refused(self, text: str) -> None:
        self.errors.setPlainText(text)
        self.errors.show()
