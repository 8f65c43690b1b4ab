"""SIPD exchange from the budget tab: the year's rincian in SIPD's field set (to key in or upload without
retyping), and budget lines read back from such a file or from the request sheet's own CSV.

Both run their work in a job (``run_job``) on a reader connection. The import shows what the file would add
(lines, total, the sub kegiatan they go to, new ones marked) or every row error (row, column, problem) with
*Import* disabled; *Import* adds every line or none as ONE undoable step on the main undo stack.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from mpp_planner.formats import rupiah
from mpp_planner.i18n import _
from mpp_planner.importers import ImportRefused, RowError
from mpp_planner.importers.budget_lines import LinePlan, preview
from mpp_planner.qt.budget.model import ORIGIN
from mpp_planner.qt.jobs import JobHandle, run_job, show_job_error
from mpp_planner.qt.message_line import WARN

RIGHT = Qt.AlignRight | Qt.AlignVCenter


def _money(value: Decimal, symbol: bool = True) -> str:
    return rupiah(value, cents=value != value.to_integral_value(), symbol=symbol)


def _show_written(parent: QWidget | None, written: Path) -> None:
    window = parent.window() if parent is not None else None
    if window is not None and hasattr(window, "statusBar"):
        window.statusBar().showMessage(_("Written: {path}").format(path=written), 8000)


# --- export -----------------------------------------------------------------------------------

def export_sipd(parent: QWidget | None, project, year: int, sub_activity: str | None = None) -> JobHandle | None:
    """Ask where, then write the rincian of ``year`` (or of the sub kegiatan with code ``sub_activity``) in a
    job; the status line says where it went. None when the user cancels or the path is refused."""
    from mpp_planner.reports.budget_sipd import FORMATS
    from mpp_planner.reports.output import OutputError, check_output_path

    title = _("Export for SIPD")
    suggested = project.path.with_name(f"rincian-sipd-{year}.xlsx")
    xlsx_filter, csv_filter = _("Excel workbooks (*.xlsx)"), _("CSV files (*.csv)")
    path, chosen = QFileDialog.getSaveFileName(parent, title, str(suggested), f"{xlsx_filter};;{csv_filter}")
    if not path:
        return None
    if Path(path).suffix.lower().lstrip(".") not in FORMATS:
        path += ".csv" if chosen == csv_filter else ".xlsx"
    try:
        target, fmt = check_output_path(path, FORMATS)
    except OutputError as exc:
        show_job_error(parent, _("Cannot export"), exc)
        return None

    def work(reader) -> Path:
        from mpp_planner.reports.budget_sipd import write

        return write(reader, target, fmt, year=year, sub_activity=sub_activity)

    return run_job(parent, title, work, project=project, on_done=lambda written: _show_written(parent, written),
                   on_failed=lambda exc: show_job_error(parent, _("Cannot export"), exc))


# --- import -----------------------------------------------------------------------------------

FILE_FILTER = "{lines} (*.xlsx *.csv);;{all} (*)"


def choose_lines_file(parent: QWidget | None, project) -> str:
    """The file to read lines from ("" when the user cancels)."""
    path, _chosen = QFileDialog.getOpenFileName(
        parent, _("Import budget lines"), str(project.path.parent),
        FILE_FILTER.format(lines=_("SIPD rincian or request CSV"), all=_("All files")))
    return path


def import_lines(parent: QWidget | None, project, undo_stack, year: int) -> None:
    """Choose a file, then check it in the import dialog (window-modal; this returns at once)."""
    path = choose_lines_file(parent, project)
    if not path:
        return
    dialog = BudgetLinesImportDialog(project, undo_stack, year, parent)
    dialog.setAttribute(Qt.WA_DeleteOnClose)
    dialog.open()
    dialog.load(path)


class BudgetLinesImportDialog(QDialog):
    """What a lines file would add to one fiscal year (or why it cannot), then Import: all lines or none."""

    def __init__(self, project, undo_stack, year: int, parent=None):
        super().__init__(parent)
        self.setObjectName("budget_lines_import")
        self.setWindowTitle(_("Import budget lines into {year}").format(year=year))
        self.project, self.undo_stack, self.year = project, undo_stack, year
        self.plan: LinePlan | None = None
        self.job: JobHandle | None = None

        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.path.setPlaceholderText(_("A SIPD rincian file (kode_akun, nama_komponen, harga_satuan, vol_1, sat_1 …) "
                                       "or the budget request CSV"))
        browse = QPushButton(_("Choose file…"))
        browse.clicked.connect(self.choose)
        self.summary = QLabel(_("No file chosen."))
        self.summary.setWordWrap(True)
        self.subs = self._table([_("Sub kegiatan"), _("Name"), _("Lines"), _("Total (Rp)")])
        self.subs.setObjectName("sub_activities")
        self.errors = self._table([_("Row"), _("Column"), _("Problem")])
        self.errors.setObjectName("row_errors")
        self.errors.hide()
        self.notes = QPlainTextEdit()
        self.notes.setReadOnly(True)
        self.notes.setMaximumHeight(90)
        self.notes.hide()
        self.replace = QCheckBox()
        self.replace.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Cancel)
        self.import_button = self.buttons.addButton(_("Import"), QDialogButtonBox.AcceptRole)
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.do_import)
        self.buttons.rejected.connect(self.reject)

        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.subs, 1)
        layout.addWidget(self.errors, 2)
        layout.addWidget(self.notes)
        layout.addWidget(self.replace)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(900, 480)

    @staticmethod
    def _table(headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectRows)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        table.setWordWrap(True)
        return table

    @staticmethod
    def _fill(table: QTableWidget, rows: list[list[str]], right: tuple[int, ...] = ()) -> None:
        table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c in right:
                    item.setTextAlignment(RIGHT)
                table.setItem(r, c, item)
        table.resizeRowsToContents()

    # --- reading ---------------------------------------------------------------------------
    def choose(self) -> None:
        path = choose_lines_file(self, self.project)
        if path:
            self.load(path)

    def load(self, path) -> JobHandle:
        """Read and check the file in a worker, then show what it would add; returns the job."""
        source, year = Path(path), self.year
        self.path.setText(str(path))
        self.plan = None
        self.import_button.setEnabled(False)
        self.status.setText(_("Reading…"))
        self.job = run_job(self, _("Import budget lines"), lambda reader: preview(reader, source, year=year),
                           project=self.project, on_done=self._show, on_failed=self._failed)
        return self.job

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ImportRefused):
            self._show_errors(exc.errors)
        else:
            self.status.setText("")
            show_job_error(self, _("Import budget lines"), exc)

    # --- the preview -------------------------------------------------------------------------
    def _show(self, plan: LinePlan) -> None:
        self.plan = plan
        if plan.errors:
            self._show_errors(plan.errors)
            return
        self.errors.hide()
        self.subs.show()
        self._fill(self.subs, [[s.code, s.name + ("  " + _("(new: made from the sub kegiatan list)") if s.new else ""),
                                str(s.lines), _money(s.total, symbol=False)] for s in plan.subs.values()], right=(2, 3))
        self.summary.setText(_("{n} line(s), {total} in all, will be added to the budget of {year}.").format(
            n=len(plan.lines), total=_money(plan.total), year=plan.year))
        if plan.notes:
            self.notes.setPlainText("\n".join(str(n) for n in plan.notes))
        self.notes.setVisible(bool(plan.notes))
        self.replace.setText(_("Replace the {n} line(s) the budget of {year} has now ({total})").format(
            n=plan.existing_lines, year=plan.year, total=_money(plan.existing_total)))
        self.replace.setVisible(plan.existing_lines > 0)
        self.status.setStyleSheet("")
        self.status.setText(_("The import is one step you can undo."))
        self.import_button.setEnabled(plan.ok)

    def _show_errors(self, errors: list[RowError]) -> None:
        self.subs.hide()
        self.notes.hide()
        self.replace.hide()
        self._fill(self.errors, [[str(e.row) if e.row else "—", e.column, e.message] for e in errors], right=(0,))
        self.errors.show()
        self.summary.setText(_("Nothing will be imported: {n} problem(s). Correct the file and choose it again."
                               ).format(n=len(errors)))
        self.status.setText("")
        self.import_button.setEnabled(False)

    # --- importing ---------------------------------------------------------------------------
    def do_import(self) -> None:
        plan = self.plan
        if plan is None or not plan.ok:
            return
        replace = self.replace.isVisible() and self.replace.isChecked()
        if self.undo_stack.run(lambda: plan.command(self.project, replace=replace), origin=ORIGIN,
                               report=self._import_refused, parent=self):
            self.accept()

    def _import_refused(self, text: str) -> None:
        self.status.setStyleSheet(WARN)
        self.status.setText(text)
