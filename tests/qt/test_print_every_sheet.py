"""Print… and Print preview… of the official sheets go through the print service: the paper chosen in the
dialog comes out (F4 stays F4), and the File ▸ Print menu lists them."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

POINTS_PER_MM = 72 / 25.4


def sizes_mm(path: Path) -> set[tuple[int, int]]:
    return {(round(float(p.mediabox.width) / POINTS_PER_MM), round(float(p.mediabox.height) / POINTS_PER_MM))
            for p in PdfReader(str(path)).pages}


def print_through_dialog(qtbot, printing_of, tmp_path, monkeypatch, paper: str) -> Path:
    """Open Print… of a tab, choose ``paper`` and a PDF file in the (replaced) dialog; the written file."""
    from mpp_planner.qt.sheet_print import SheetPrinting, page_size

    out = tmp_path / f"printed-{paper}.pdf"

    def dialog(self, printer, count):
        printer.setOutputFormat(printer.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setPageSize(page_size(paper))
        return True

    monkeypatch.setattr(SheetPrinting, "exec_dialog", dialog)
    handle = printing_of()
    assert handle.wait(60_000)
    qtbot.waitUntil(lambda: out.exists() and out.stat().st_size > 0 and len(PdfReader(str(out)).pages) > 0,
                    timeout=60_000)
    return out


@pytest.mark.parametrize("paper, size", [("F4", (330, 216)), ("A4", (297, 210))])
def test_allocation_list_prints_on_the_paper_chosen(qtbot, demo_window, tmp_path, monkeypatch, paper, size):
    tab = demo_window.tab_widgets["agencies"]
    out = print_through_dialog(qtbot, tab.print_dialog, tmp_path, monkeypatch, paper)
    qtbot.waitUntil(lambda: tab.printing.paper == paper, timeout=30_000)
    qtbot.wait(200)
    assert sizes_mm(out) == {size}
    assert "Loket" in PdfReader(str(out)).pages[0].extract_text()


def test_file_print_menu_lists_a_print_for_every_sheet(qtbot, demo_window):
    demo_window.build_all_tabs()
    demo_window.print_menu.aboutToShow.emit()
    texts = [a.text().replace("&", "") for a in demo_window.print_menu.actions() if not a.isSeparator()]
    for wanted in ("Allocation", "budget request", "RKA"):
        assert any(wanted.lower() in t.lower() for t in texts), (wanted, texts)


@pytest.mark.parametrize("kind, words", [("kir", "KARTU INVENTARIS RUANGAN"), ("findings", "")])
def test_inventory_sheets_print_on_f4(qtbot, demo_window, tmp_path, monkeypatch, kind, words):
    tab = demo_window.tab_widgets["inventory"]
    out = print_through_dialog(qtbot, lambda: tab.sheet_printing(kind).print_dialog(), tmp_path, monkeypatch, "F4")
    qtbot.waitUntil(lambda: tab.printing.paper == "F4", timeout=30_000)
    qtbot.wait(200)
    assert sizes_mm(out) <= {(330, 216), (216, 330)}
    assert words in " ".join(PdfReader(str(out)).pages[0].extract_text().split())
