"""The print service every official sheet uses: what the print dialog sets is what comes out."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from mpp_planner.model.paper import PAPERS

pytest.importorskip("PySide6.QtPrintSupport")

POINTS_PER_MM = 72 / 25.4


def sheet_writer(calls: list):
    """A three-page landscape sheet laid out for the paper it is given (records which paper each time)."""

    def write(reader, path: Path, paper: str):
        from reportlab.platypus import PageBreak, Paragraph

        from mpp_planner.reports.pdf import STYLES, SheetDoc

        calls.append(paper)
        doc = SheetDoc(str(path), orientation="landscape", pagesize=PAPERS[paper].points, title="Uji")
        body = STYLES["body"]
        doc.build_story(lambda: [Paragraph(f"Halaman 1 di kertas {paper}", body), PageBreak(),
                                 Paragraph("dua", body), PageBreak(), Paragraph("tiga", body)])
        return path

    return write


@pytest.fixture
def printing(qtbot, demo_project):
    from PySide6.QtWidgets import QWidget

    from mpp_planner.qt.sheet_print import SheetPrinting

    parent = QWidget()
    qtbot.addWidget(parent)
    calls: list[str] = []
    refused: list[str] = []
    sp = SheetPrinting(parent, demo_project, "Lembar uji", sheet_writer(calls), default_paper="A4",
                       on_refused=refused.append)
    sp.calls, sp.refused = calls, refused
    return sp


def pdf_printer(sp, out: Path, paper: str):
    from PySide6.QtPrintSupport import QPrinter

    printer = sp.make_printer("A4")
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    from mpp_planner.qt.sheet_print import page_size

    printer.setPageSize(page_size(paper))
    return printer


def page_sizes_mm(path: Path) -> list[tuple[int, int]]:
    return [(round(float(p.mediabox.width) / POINTS_PER_MM), round(float(p.mediabox.height) / POINTS_PER_MM))
            for p in PdfReader(str(path)).pages]


def wait(qtbot, handle):
    if handle is not None:
        assert handle.wait(20000)


def test_f4_chosen_in_the_print_dialog_stays_f4_and_the_sheet_is_laid_out_for_it(qtbot, printing, tmp_path,
                                                                                  monkeypatch):
    out = tmp_path / "cetak.pdf"

    def dialog(printer, count):
        assert count == 3
        from mpp_planner.qt.sheet_print import page_size

        printer.setOutputFormat(printer.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setPageSize(page_size("F4"))
        return True

    monkeypatch.setattr(printing, "exec_dialog", dialog)
    wait(qtbot, printing.print_dialog())
    qtbot.waitUntil(lambda: out.exists() and printing.calls == ["A4", "F4"], timeout=20000)
    qtbot.waitUntil(lambda: len(page_sizes_mm(out)) == 3, timeout=20000)
    assert set(page_sizes_mm(out)) == {(330, 216)}  # F4 landscape (Qt's 8,5 x 13 in sheet)
    assert printing.refused == []


def test_the_page_range_and_copies_of_the_dialog_are_honoured(qtbot, printing, tmp_path, monkeypatch):
    out = tmp_path / "range.pdf"

    def dialog(printer, count):
        printer.setOutputFormat(printer.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setFromTo(2, 3)
        printer.setCopyCount(2)
        return True

    monkeypatch.setattr(printing, "exec_dialog", dialog)
    wait(qtbot, printing.print_dialog())
    qtbot.waitUntil(lambda: out.exists() and len(PdfReader(str(out)).pages) >= 2, timeout=20000)
    pages = PdfReader(str(out)).pages
    texts = [p.extract_text() for p in pages]
    assert len(pages) in (2, 4)  # 2 when the driver makes the copies, else painted twice
    assert all("Halaman 1" not in t for t in texts) and "dua" in texts[0]
    assert set(page_sizes_mm(out)) == {(297, 210)}  # A4 landscape, as the project's paper


def test_a_cancelled_dialog_prints_nothing(qtbot, printing, tmp_path, monkeypatch):
    monkeypatch.setattr(printing, "exec_dialog", lambda printer, count: False)
    wait(qtbot, printing.print_dialog())
    assert printing.calls == ["A4"] and not list(tmp_path.glob("*.pdf"))


def test_a_paper_the_sheet_cannot_be_laid_out_on_is_printed_scaled_not_refused(qtbot, printing, tmp_path):
    from PySide6.QtGui import QPageSize

    out = tmp_path / "letter.pdf"
    wait(qtbot, printing.lay_out("A4", lambda pages: None))
    qtbot.waitUntil(lambda: len(printing.pages) == 3, timeout=20000)
    printer = pdf_printer(printing, out, "A4")
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    assert printing.print_to(printer) is None  # no new layout for Letter
    assert set(page_sizes_mm(out)) == {(279, 216)} and printing.calls == ["A4"]


def test_a_page_range_beyond_the_sheet_is_told(qtbot, printing, tmp_path):
    out = tmp_path / "none.pdf"
    wait(qtbot, printing.lay_out("A4", lambda pages: None))
    qtbot.waitUntil(lambda: len(printing.pages) == 3, timeout=20000)
    printer = pdf_printer(printing, out, "A4")
    printer.setFromTo(7, 9)
    printing.print_to(printer)
    assert printing.refused and "3" in printing.refused[0]
