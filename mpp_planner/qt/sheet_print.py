"""*Print…* and *Print preview…* for every official sheet, through ``QPrinter`` to real printers.

A sheet is printed as the very PDF its export writes: the sheet's writer runs in a job on a reader connection
inside :func:`mpp_planner.reports.recording.record_pages`, and the recorded pages are painted on the printer
(:func:`mpp_planner.qt.budget.printing.print_pages`). The printer starts on the project's paper (A4 or F4) in the
sheet's orientation; what the user then picks in the print dialog — paper, orientation, page range, copies — is
honoured, never reset. When the chosen paper is one the sheet supports, the sheet is laid out again for it (the
layout reflows, it is not scaled); any other paper gets the sheet scaled to fit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QAction, QPageLayout, QPageSize
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from mpp_planner.i18n import _
from mpp_planner.model.paper import PAPERS, SHEET_PAPERS
from mpp_planner.qt.jobs import JobHandle, run_job, show_job_error

#: ``write(reader, path, paper)`` writes the sheet as a PDF on ``paper`` ("A4", "F4", ...)
SheetWriter = Callable[[Any, Path, str], Any]
#: how far (mm) a printer's paper may differ from ours and still be taken for it (Qt's F4 is 215,9 x 330,2 mm)
PAPER_TOLERANCE_MM = 2.0


def page_size(name: str) -> QPageSize:
    return QPageSize(getattr(QPageSize.PageSizeId, PAPERS[name].qt_page_size))


def paper_of(printer, allowed: tuple[str, ...]) -> str | None:
    """The name of the paper ``printer`` is set to when it is one of ``allowed`` (by size, either orientation)."""
    size = printer.pageLayout().pageSize().size(QPageSize.Unit.Millimeter)
    got = sorted((size.width(), size.height()))
    for name in allowed:
        want = sorted((PAPERS[name].width_mm, PAPERS[name].height_mm))
        if all(abs(a - b) <= PAPER_TOLERANCE_MM for a, b in zip(got, want)):
            return name
    return None


class SheetPrinting:
    """Print and preview one sheet. ``write(reader, path, paper)`` makes its PDF; ``default_paper`` is the
    project's setting, ``papers`` the sizes the sheet can be laid out on."""

    def __init__(self, parent: QWidget, project, title: str, write: SheetWriter, *, default_paper: str,
                 papers: tuple[str, ...] = SHEET_PAPERS, landscape: bool = True,
                 on_refused: Callable[[str], None] | None = None):
        self.parent = parent
        self.project = project
        self.title = title
        self.write = write
        self.default_paper = default_paper if default_paper in papers else papers[0]
        self.papers = papers
        self.landscape = landscape
        self.on_refused = on_refused
        self.printer: QPrinter | None = None  # the last one used, kept alive while Qt may still use it
        self.pages: list = []
        self.paper = self.default_paper

    # --- the printer ----------------------------------------------------------------------
    def make_printer(self, paper: str | None = None) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        orientation = QPageLayout.Orientation.Landscape if self.landscape else QPageLayout.Orientation.Portrait
        printer.setPageLayout(QPageLayout(page_size(paper or self.default_paper), orientation, QMarginsF(0, 0, 0, 0)))
        printer.setFullPage(True)
        printer.setDocName(self.title)
        self.printer = printer
        return printer

    # --- laying out in a job --------------------------------------------------------------
    def lay_out(self, paper: str, then: Callable[[list], None]) -> JobHandle:
        write = self.write

        def work(reader):
            from mpp_planner.reports.recording import record_pages

            return record_pages(lambda path: write(reader, path, paper))

        def done(pages) -> None:
            self.pages, self.paper = pages, paper
            if not pages:
                self._refused(_("The sheet has no pages to print."))
                return
            then(pages)

        return run_job(self.parent, self.title, work, project=self.project, on_done=done, on_failed=self._failed)

    def _failed(self, exc: BaseException) -> None:
        from mpp_planner.qt.undo import REFUSALS, refusal_text

        if isinstance(exc, REFUSALS) and self.on_refused is not None:
            self.on_refused(refusal_text(exc))
        else:
            show_job_error(self.parent, self.title, exc)

    def _refused(self, text: str) -> None:
        if self.on_refused is not None:
            self.on_refused(text)
        else:
            show_job_error(self.parent, self.title, ValueError(text))

    # --- print, preview -------------------------------------------------------------------
    def print_dialog(self) -> JobHandle:
        """Lay out on the project's paper, ask the print dialog, lay out again when another supported paper was
        chosen, then print with what the dialog set."""
        return self.lay_out(self.default_paper, self._ask)

    def _ask(self, pages) -> None:
        printer = self.make_printer(self.paper)
        if not self.exec_dialog(printer, len(pages)):
            return
        self.print_to(printer)

    def exec_dialog(self, printer: QPrinter, page_count: int) -> bool:
        """Show the system print dialog for ``printer`` (page range 1..page_count); True when accepted."""
        dialog = QPrintDialog(printer, self.parent)
        dialog.setWindowTitle(_("Print — {title}").format(title=self.title))
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCollateCopies, True)
        dialog.setMinMax(1, max(1, page_count))
        return bool(dialog.exec())

    def print_to(self, printer: QPrinter) -> JobHandle | None:
        """Print on ``printer`` as it is set up now; a supported paper other than the laid-out one is laid out
        again first. Returns the job when one was needed."""
        chosen = paper_of(printer, self.papers)
        if chosen is not None and chosen != self.paper:
            return self.lay_out(chosen, lambda pages: self._paint(printer, pages))
        self._paint(printer, self.pages)
        return None

    def _paint(self, printer: QPrinter, pages) -> None:
        from mpp_planner.qt.budget.printing import print_pages

        self.printer = printer
        try:
            print_pages(printer, pages)
        except OSError as exc:
            self._refused(str(exc))
            return
        window = self.parent.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(_("Sent to the printer: {title}").format(title=self.title), 8000)

    def preview(self) -> JobHandle:
        return self.lay_out(self.default_paper, self._preview)

    def _preview(self, pages) -> None:
        from mpp_planner.qt.budget.printing import print_pages

        printer = self.make_printer(self.paper)
        dialog = QPrintPreviewDialog(printer, self.parent)
        dialog.setWindowTitle(_("Print preview — {title}").format(title=self.title))
        dialog.paintRequested.connect(lambda device: print_pages(device, self.pages))
        dialog.resize(1200, 850)
        self.preview_dialog = dialog
        dialog.exec()

    # --- actions for a tab and the File ▸ Print menu ------------------------------------
    def actions(self, owner: QWidget, print_text: str, preview_text: str) -> tuple[QAction, QAction]:
        act_print = QAction(print_text, owner)
        act_print.triggered.connect(lambda: self.print_dialog())
        act_preview = QAction(preview_text, owner)
        act_preview.triggered.connect(lambda: self.preview())
        return act_print, act_preview
