"""The PEKPPP sheet read back: PDF (pdfplumber), XLSX (openpyxl) and CSV, with the before/after column."""

import csv

import pdfplumber
import pytest
from openpyxl import load_workbook

from mpp_planner.commands.assessment import create_needs
from mpp_planner.reports.assessment import write
from mpp_planner.standards.assessment import assess, load_instrument


@pytest.fixture
def planned(demo_project):
    """The demo with the assessment's suggestions planned as needs."""
    cmd = create_needs(demo_project, assess(demo_project))
    with demo_project.edit():
        cmd.redo(demo_project)
    return demo_project


def test_csv_has_every_indicator_and_after_scores_rise(planned, tmp_path):
    path = write(planned, tmp_path / "a.csv", "csv")
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert rows[0] == ["Aspek", "Indikator", "Nilai", "Nilai setelah usulan", "Bukti", "Langkah berikutnya"]
    names = [i.name for i in load_instrument().indicators]
    assert [r[1] for r in rows[1:-1]] == names
    before = {r[1]: int(r[2].split("/")[0]) for r in rows[1:-1]}
    after = {r[1]: int(r[3].split("/")[0]) for r in rows[1:-1]}
    assert all(after[n] >= before[n] for n in names)
    assert any(after[n] > before[n] for n in names)
    assert rows[-1][0] == "Jumlah"


def test_pdf_and_xlsx_read_back(planned, tmp_path):
    pdf = write(planned, tmp_path / "a.pdf", "pdf", paper="F4")
    with pdfplumber.open(pdf) as doc:
        text = " ".join(" ".join(p.extract_text() or "" for p in doc.pages).split())
        assert abs(doc.pages[0].width - 330 / 25.4 * 72) < 2  # F4 landscape
    assert "PENILAIAN MANDIRI" in text and all(w in text for w in ("khusus", "rentan", "Nilai setelah"))
    assert "Jumlah" in text and "Mengetahui" in text
    xlsx = write(planned, tmp_path / "a.xlsx", "xlsx")
    ws = load_workbook(xlsx).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    header = values.index(["Aspek", "Indikator", "Nilai", "Nilai setelah usulan", "Bukti", "Langkah berikutnya"])
    assert values[header + 1][1] == load_instrument().indicators[0].name
    assert values[-1][0] == "Jumlah"
