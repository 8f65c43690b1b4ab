"""User text reaching ReportLab is escaped: markup-like descriptions print literally and never
break the PDF."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

NASTY = [
    "<b>Kursi & Meja</b> < 5",
    "AC 1,5 PK > 2 unit & <i>split</i>",
    "<para>tidak</para> <font color=red>merah</font>",
    "&amp; &lt; &#169; &nbsp; & ;",
    "<br/> <img src='x.png'/> <a href='http://x'>tautan</a>",
    "<unclosed <b> ]]> <!-- komentar",
]
STATS = {"pdf": 0}


def build_sheet(path, texts):
    from reportlab.lib.units import mm

    from mpp_planner.reports.pdf import SheetDoc, T, header_table

    doc = SheetDoc(str(path), title="Uji", footer_left="Uji escaping")
    width = doc.body_width

    def story():
        rows = [[T("No", "head"), T("Uraian", "head")]]
        rows += [[T(str(i + 1)), T(text)] for i, text in enumerate(texts)]
        return [T("<judul> & 'kutip'", "title"), header_table(rows, [12 * mm, width - 12 * mm])]

    doc.build_story(story)
    return path


def pdf_text(path):
    text = "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)
    return re.sub(r"\s+", " ", text)


def test_markup_like_text_prints_literally(tmp_path):
    path = build_sheet(tmp_path / "x.pdf", NASTY)
    text = pdf_text(path)
    for nasty in NASTY:
        assert re.sub(r"\s+", " ", nasty) in text, nasty
    assert "<judul> & 'kutip'" in text
    assert "Halaman 1 dari 1" in text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.text(st.characters(codec="latin-1", exclude_categories=("Cc",)), min_size=1, max_size=60),
                      min_size=1, max_size=4))
def test_any_text_builds_a_readable_pdf(tmp_path_factory, texts):
    STATS["pdf"] += 1
    path = build_sheet(tmp_path_factory.mktemp("pdf") / "x.pdf", texts)
    text = pdf_text(path)
    for t in texts:
        words = [w for w in re.split(r"\s+", t) if w and w.isascii() and w.isprintable()]
        for w in words[:3]:
            assert w in text.replace(" ", "") or w in text


@pytest.mark.parametrize("text", ["baris satu\nbaris dua", "a\tb", "x" * 3000])
def test_line_breaks_tabs_and_long_text_do_not_break_the_sheet(tmp_path, text):
    path = build_sheet(tmp_path / "x.pdf", [text])
    assert PdfReader(str(path)).pages


def test_report_pdf_examples(capsys):
    with capsys.disabled():
        print(f"\n[pdf escaping fuzz] {STATS['pdf']} random texts built into sheets")
