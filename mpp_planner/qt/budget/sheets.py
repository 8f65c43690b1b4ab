"""The budget tab's sheets: the Usulan Kebutuhan and the RKA rincian belanja printed (through the print service,
:mod:`mpp_planner.qt.sheet_print`) and exported in jobs, and the SIPD exchange. A mixin of
:class:`mpp_planner.qt.budget.tab.BudgetTab`, which provides ``project``, ``undo_stack``, ``current_year``,
``scope_code``, ``message`` and ``show_message``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from mpp_planner.i18n import _
from mpp_planner.qt.jobs import JobHandle, run_job, show_job_error


#: the stem of the file names the export dialogs suggest, per form ("usulan-2024.pdf", "rka-2024.xlsx")
FILE_STEMS = {"usulan": "usulan", "rka": "rka"}


class BudgetSheets:
    # --- printing and exporting ----------------------------------------------------------
    def _form_args(self, form: str) -> dict:
        """What the report functions take to make ``form`` (the usulan is their default: nothing)."""
        return {} if form == "usulan" else {"form": form, "sub_activity": self.scope_code}

    @staticmethod
    def form_title(form: str, year: int) -> str:
        return (_("RKA rincian belanja {year}") if form == "rka" else _("Budget request {year}")).format(year=year)

    def sheet_printing(self, form: str = "usulan", sign_date: date | None = None):
        """The print service for the sheet of ``form`` of the shown year (qt/sheet_print): laid out in a job on
        the project's paper, printed with what the print dialog sets. A sheet dated outside the year's
        preparation period is told on the message line first."""
        from mpp_planner.qt.sheet_print import SheetPrinting
        from mpp_planner.reads.site import sheet_paper

        year = self.current_year
        args = self._form_args(form)
        self.message.hide()
        self.warn_sign_date(sign_date)

        def write(reader, path: Path, paper: str):
            from mpp_planner.reports.budget import write as write_sheet

            return write_sheet(reader, path, "pdf", year=year, sign_date=sign_date, paper=paper, **args)

        self.printing = SheetPrinting(self, self.project, self.form_title(form, year), write,
                                      default_paper=sheet_paper(self.project), on_refused=self.show_message)
        return self.printing

    def warn_sign_date(self, sign_date: date | None) -> None:
        from mpp_planner.reports.budget import sign_date_problem

        problem = sign_date_problem(self.current_year, sign_date or date.today())
        if problem:
            self.show_message(problem)

    def paint_sheet(self, printer, sign_date: date | None = None, form: str = "usulan") -> JobHandle:
        """Paint the sheet of ``form`` for the shown year on ``printer`` as it is set up (the same pages as the
        PDF, laid out for the printer's paper when it is A4 or F4)."""
        from mpp_planner.model.paper import SHEET_PAPERS
        from mpp_planner.qt.sheet_print import paper_of

        printing = self.sheet_printing(form, sign_date)
        return printing.lay_out(paper_of(printer, SHEET_PAPERS) or printing.default_paper,
                                lambda pages: printing.print_to(printer))

    def print_preview(self, form: str = "usulan") -> JobHandle:
        return self.sheet_printing(form).preview()

    def print_dialog(self, form: str = "usulan") -> JobHandle:
        return self.sheet_printing(form).print_dialog()

    def export_to(self, path: str | Path, fmt: str, form: str = "usulan") -> JobHandle | None:
        """Write the sheet of ``form`` for the shown year to ``path`` in a job (read on its own connection);
        the status line says where it went. None when the path is refused (told at once)."""
        from mpp_planner.reports.output import OutputError, check_output_path

        try:
            target, fmt = check_output_path(path, (fmt,))
        except OutputError as exc:
            show_job_error(self, _("Cannot export"), exc)
            return None
        year = self.current_year
        args = self._form_args(form)

        self.message.hide()
        self.warn_sign_date(None)

        def work(reader) -> Path:
            from mpp_planner.reports.budget import write

            return write(reader, target, fmt, year=year, **args)

        title = _("Export RKA rincian belanja") if form == "rka" else _("Export budget request")
        return run_job(self, title, work, project=self.project, on_done=self._written,
                       on_failed=lambda exc: show_job_error(self, _("Cannot export"), exc))

    def _written(self, written: Path) -> None:
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(_("Written: {path}").format(path=written), 8000)

    def suggested_name(self, fmt: str, form: str = "usulan") -> str:
        """``usulan-2024.pdf``, ``rka-2024.xlsx``; one sub kegiatan's RKA gets its code too."""
        stem = f"{FILE_STEMS[form]}-{self.current_year}"
        if form == "rka" and self.scope_code:
            stem += "-" + self.scope_code
        return f"{stem}.{fmt}"

    def export_dialog(self, fmt: str, form: str = "usulan") -> JobHandle | None:
        filters = {"pdf": _("PDF files (*.pdf)"), "xlsx": _("Excel workbooks (*.xlsx)"), "csv": _("CSV files (*.csv)")}
        suggested = str(self.project.path.with_name(self.suggested_name(fmt, form)))
        caption = _("Export RKA rincian belanja") if form == "rka" else _("Export budget request")
        path, _filter = QFileDialog.getSaveFileName(self, caption, suggested, filters[fmt])
        if not path:
            return None
        if not path.lower().endswith("." + fmt):
            path += "." + fmt
        return self.export_to(path, fmt, form)

    # --- the SIPD exchange -----------------------------------------------------------------
    def export_sipd(self):
        """The lines of the shown year (or of the sub kegiatan chosen for the forms) in SIPD's field set."""
        from mpp_planner.qt.budget import sipd

        return sipd.export_sipd(self, self.project, self.current_year, sub_activity=self.scope_code)

    def import_lines(self) -> None:
        """Add lines from a SIPD rincian file or this program's CSV (previewed first; one undo step)."""
        from mpp_planner.qt.budget import sipd

        sipd.import_lines(self, self.project, self.undo_stack, self.current_year)
