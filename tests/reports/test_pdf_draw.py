"""Drawn tables (reports.pdf_draw) and the one-pass page numbering of SheetDoc."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from mpp_planner.reports import pdf_draw as d
from mpp_planner.reports.pdf import STYLES, SheetDoc


def page_texts(data: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(data)).pages]


@pytest.mark.parametrize("width", [40.0, 75.0, 120.0, 300.0])
def test_wrap_breaks_lines_as_a_paragraph_does(width):
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    style = ParagraphStyle("t", parent=STYLES["cell"], fontSize=7.5, leading=9.2)
    for text in ("Kursi Kerja Petugas Layanan", "Banner Berdiri (Roll Up Banner) 80 x 200 cm",
                 "02.06.02.01.04.0022", "Satu-satunya tempat duduk; tanpa sandaran", "Kamera CCTV IP Dome 4 MP",
                 "PC layanan DPMPTSP, Dispendukcapil, BPKAD (milik Pemkot)", "Lenovo IdeaCentre AIO 3", "x",
                 "Sangatpanjangsekalitanpaspasi" * 3):
        para = Paragraph(text, style)
        para.wrap(width, 1000)
        expected = [" ".join(line.words if hasattr(line, "words") else line[1]) for line in para.blPara.lines]
        assert list(d.wrap(text, d.FONT, 7.5, width)) == expected, (text, width)


def test_wrap_keeps_newlines_and_empty_text():
    assert d.wrap("", d.FONT, 8, 100) == ()
    assert d.wrap("a\n\nb", d.FONT, 8, 100) == ("a", "", "b")


STYLE = d.GridStyle()
XS = [0.0, 100.0, 300.0]


def row(lines: int, label: str = "r") -> d.Row:
    text = d.Text([f"{label} {i}" for i in range(lines)], d.FONT, 8.0, 10.0)
    return d.Row([d.Cell(0, 0, d.Text([label], d.FONT, 8.0, 10.0)), d.Cell(1, 1, text)], STYLE)


class Closing(d.Block):
    height = 60.0

    def paint(self, painter, x, top):
        painter.show(x, top - 10, "SIGNED", d.FONT, 8)


def table(rows, **kw):
    header = [d.Row([d.Cell(0, 1, d.Text(["HEAD"], d.BOLD, 8.0, 10.0))], STYLE)]
    return d.DrawnTable(XS, header, rows, STYLE, **kw)


def test_closing_never_alone_and_a_split_part_fills_its_page():
    rows = [row(1, f"r{i}") for i in range(10)]  # 14 pt each, header 14 pt
    t = table(rows, closing=Closing(), gap=5.0, tail_rows=3)
    natural = t.wrap(300, 1000)[1]
    assert natural == pytest.approx(14 + 140 + 65)
    for avail in range(30, int(natural)):
        parts = t.split(300, avail)
        if not parts:
            continue
        assert len(parts) == 2
        first, rest = parts
        assert first.closing is None and rest.closing is not None
        assert rest.rows, "the signatures always come with rows of the table"
        assert first.wrap(300, avail)[1] == pytest.approx(avail)  # nothing else goes under it
        assert [r for p in parts for r in p.rows] == rows
        if len(first.rows) + 3 >= len(rows) and natural - 65 <= avail:  # rows fit, signatures do not
            assert len(rest.rows) == 3


def test_tall_row_continues_on_the_next_part():
    rows = [row(1, "a"), row(40, "tall"), row(1, "b")]
    t = table(rows, split_rows_over=60)
    first, rest = t.split(300, 200)
    assert len(first.rows) == 2 and len(rest.rows) == 2
    head, tail = first.rows[1], rest.rows[0]
    lines = head.cells[1].text.lines + tail.cells[1].text.lines
    assert lines == rows[1].cells[1].text.lines  # every line once, in order
    assert head.cells[0].text.lines == ("tall",) and not tail.cells[0].text.lines
    assert first.header_height + sum(r.height for r in first.rows) <= 200


def drawn_document(n_rows: int, canvasmaker=None) -> tuple[bytes, SheetDoc]:
    out = BytesIO()
    doc = SheetDoc(out, title="Uji", footer_left="Uji")
    rows = [row(2, f"baris{i}") for i in range(n_rows)]
    doc.build_story(lambda: [table(rows, closing=Closing(), gap=5.0)], canvasmaker)
    return out.getvalue(), doc


def test_one_pass_numbering_and_header_once_per_page():
    data, doc = drawn_document(150)
    pages = page_texts(data)
    assert len(pages) > 3 and doc.total_pages == len(pages)
    for i, text in enumerate(pages, start=1):
        assert f"Halaman {i} dari {len(pages)}" in text
        assert text.count("HEAD") == 1  # the header repeated on every page, once
    assert "SIGNED" in pages[-1] and "baris149" in pages[-1]
    lines = " ".join(pages)
    for i in range(150):
        assert lines.count(f"baris{i} ") == 3  # the label and both lines of the row: a row is never split


def test_one_pass_numbering_with_a_recording_canvas():
    from mpp_planner.reports.recording import RecordingCanvas

    out = BytesIO()
    doc = SheetDoc(out, title="Uji")
    doc.build_story(lambda: [table([row(3, f"r{i}") for i in range(120)])], RecordingCanvas)
    pages = page_texts(out.getvalue())
    assert len(doc.canv.recorded) == len(pages) > 1
    assert all(f"(Halaman {i} dari {len(pages)})" in p.stream for i, p in enumerate(doc.canv.recorded, start=1))


def test_kir_pages_repeat_the_header_once_and_keep_signatures_with_the_table(demo_project, tmp_path):
    from types import SimpleNamespace

    from mpp_planner.reports import kir

    out = tmp_path / "kir.pdf"
    kir.export(demo_project, out, "pdf", SimpleNamespace(room=None, date="2024-01-15"))
    pages = page_texts(out.read_bytes())
    for i, text in enumerate(pages, start=1):
        assert text.count("Nama/Jenis Barang") == 1, i  # never a second header under a page's rows
        assert f"Halaman {i} dari {len(pages)}" in text
        if "Mengetahui," in text:
            assert "JUMLAH" in text, i  # the signatures share a page with the end of their table
    assert any("(lanjutan)" in text for text in pages)


def test_allocation_signature_shares_its_page(demo_project, tmp_path):
    from datetime import date

    from mpp_planner.reports.allocations import collect, render

    out = tmp_path / "alokasi.pdf"
    render(collect(demo_project, date(2024, 1, 15)), out, "pdf")
    pages = page_texts(out.read_bytes())
    signed = [text for text in pages if "NIP. 19680512 199403 1 007" in text]
    assert len(signed) == 1 and "Luas meja loket yang dipakai bersama" in signed[0]
    assert all(text.count("Loket (hari layanan)") <= 1 for text in pages)
