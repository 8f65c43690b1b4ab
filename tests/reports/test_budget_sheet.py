"""The budget request sheet read back: PDF text (pypdf), XLSX formulas (openpyxl), CSV, CLI."""

import csv
import re
import subprocess
import sys
from datetime import date
from decimal import Decimal

from mpp_planner.reports.terbilang import terbilang
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from mpp_planner.commands import budget as cmd
from mpp_planner.model import BudgetLine
from mpp_planner.model.budget_summary import totals
from mpp_planner.reports import budget as sheet_mod
from tests.helpers import year_sub_activity

ROOT = Path(__file__).resolve().parents[2]
SIGNED = date(2023, 12, 15)


def pdf_text(path) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(path).pages]


def add_lines(project, n, year=2024):
    with project.edit() as s:
        for i in range(n):
            s.add(BudgetLine(fiscal_year=year, account_code="5.2.02.05.02.0001", description=f"Kursi tambahan {i + 1}",
                             specification="Kursi lipat rangka besi, dudukan busa", factors=[["2", "Unit"]],
                             unit="Unit", unit_price=Decimal("850000"), ppn_applied=True, ppn_rate=Decimal("11"),
                             position=1000 + i, sub_activity=year_sub_activity(s, year)))


def test_pdf_title_table_totals_words_signatures(demo_project, tmp_path):
    out = tmp_path / "usulan.pdf"
    sheet_mod.write(demo_project, out, "pdf", year=2024, sign_date=SIGNED)
    pages = pdf_text(out)
    text = " ".join(pages)
    lines = cmd.lines_of_year(demo_project, 2024)
    total = totals(lines).requested
    assert "USULAN KEBUTUHAN SARANA DAN PRASARANA MPP KOTA PROBOLINGGO TAHUN ANGGARAN 2024" in text
    assert "PEMERINTAH KOTA PROBOLINGGO" in pages[0]
    assert f"JUMLAH TOTAL {sheet_mod.rupiah(total, symbol=False, lang='id')}" in text
    assert f"Terbilang: {terbilang(total)}" in text
    assert terbilang(total).startswith("dua miliar empat ratus")
    assert total == sum((b.amount for b in lines if b.status != "rejected"), Decimal(0))
    assert "Mengetahui," in text and "Probolinggo, 15 Desember 2023" in text
    assert "Muhammad Abas" in text and "NIP. 19680512 199403 1 007" in text
    assert "NIP. 19740315 200003 2 004" in text
    # account rows with name and subtotal, item rows with specification
    assert "5.2.03 Belanja Modal Gedung dan Bangunan 1.889.553.000" in text
    assert "Spesifikasi: Kulkas 2 pintu" in text
    # rejected lines are not requested
    assert "Videotron" not in text
    for i, page in enumerate(pages, start=1):
        assert f"Halaman {i} dari {len(pages)}" in page
        assert "Kode Rekening Uraian Lokasi Koefisien Satuan Harga (Rp) PPN (Rp) Jumlah (Rp)" in page


def test_pdf_many_pages_header_repeated_and_signature_not_alone(demo_project, tmp_path):
    add_lines(demo_project, 150)
    out = tmp_path / "panjang.pdf"
    sheet_mod.write(demo_project, out, "pdf", year=2024, sign_date=SIGNED)
    pages = pdf_text(out)
    assert len(pages) >= 6
    for i, page in enumerate(pages, start=1):
        assert "No Kode Rekening Uraian" in page, f"header missing on page {i}"
        assert f"Halaman {i} dari {len(pages)}" in page
    last = pages[-1]
    assert "Terbilang:" in last and "JUMLAH TOTAL" in last
    assert "Guiding Block Lanjutan Lantai 1 dan 2" in last, "the last rows share the page with the signatures"
    assert "5.2.02.05.02.0001 Belanja Modal Mebel (lanjutan)" in " ".join(pages[1:])
    numbers = [int(n) for n in re.findall(r"(\d+) Kursi tambahan \d+", " ".join(pages))]
    assert numbers == sorted(numbers)


def test_pdf_with_sen_and_long_words_and_markup_is_printed_as_typed(empty_project, tmp_path):
    p = empty_project
    from mpp_planner.demo import load_account_codes

    with p.edit() as s:
        load_account_codes(s)
        p.site.city = "Probolinggo"
        s.add(BudgetLine(fiscal_year=2024, account_code="5.1.02.01.01.0024", description="Kertas <b>A4</b> & map",
                         specification="X" * 120, factors=[["3", "Rim"]], unit="Rim", unit_price=Decimal("333.33"),
                         ppn_applied=True, ppn_rate=Decimal("11"), sub_activity=year_sub_activity(s)))
    out = tmp_path / "sen.pdf"
    sheet_mod.write(p, out, "pdf", year=2024, sign_date=SIGNED)
    text = " ".join(pdf_text(out))
    assert "Kertas <b>A4</b> & map" in text
    assert "1.109,99" in text  # 999,99 + PPN 110,00 (109,9989 rounded half-up)
    assert "Terbilang: seribu seratus sembilan rupiah sembilan puluh sembilan sen" in text
    assert "NIP." in text  # no signatories: dotted lines, nothing crashes


def test_xlsx_keeps_live_formulas(demo_project, tmp_path):
    out = tmp_path / "usulan.xlsx"
    sheet_mod.write(demo_project, out, "xlsx", year=2024, sign_date=SIGNED)
    wb = load_workbook(out)
    ws = wb.active
    assert ws.title == "Usulan 2024"
    assert ws["A1"].value.startswith("USULAN KEBUTUHAN SARANA DAN PRASARANA MPP KOTA PROBOLINGGO")
    header = [c.value for c in ws[4]]
    assert header[:3] == ["No", "Kode Rekening", "Uraian"] and "Jumlah (Rp)" in header
    assert ws.freeze_panes == "A5"
    rows = list(ws.iter_rows(min_row=5, values_only=False))
    total_row = None
    for row in rows:
        r = row[0].row
        if row[2].value == "JUMLAH TOTAL":
            total_row = r
            break
        if isinstance(row[0].value, int):  # a line row
            assert row[10].value == f"=ROUND(ROUND(G{r}*I{r},2)*J{r}/100,2)"
            assert row[11].value == f"=ROUND(G{r}*I{r},2)+K{r}"
            assert row[8].number_format == "#,##0"
        else:
            assert row[11].value.startswith(f"=SUBTOTAL(9,L{r + 1}:L")
    assert total_row is not None
    assert ws.cell(total_row, 12).value == f"=SUBTOTAL(9,L5:L{total_row - 1})"
    assert ws.cell(total_row + 2, 3).value.startswith("Terbilang: dua miliar")
    # evaluate the formulas the simple way and compare with the app's totals
    evaluated = evaluate(ws, total_row)
    lines = [b for b in cmd.lines_of_year(demo_project, 2024) if b.status != "rejected"]
    assert evaluated[total_row] == totals(lines).requested
    for b, r in zip(sorted_sheet_lines(demo_project), [r for r in range(5, total_row)
                                                        if isinstance(ws.cell(r, 1).value, int)]):
        assert evaluated[r] == b.amount, ws.cell(r, 3).value
    assert any(ws.cell(r, 2).value == "5.2.03" and evaluated[r] == Decimal("1889553000.00")
               for r in range(5, total_row))


def sorted_sheet_lines(project):
    sheet = sheet_mod.collect(project, 2024)
    return sheet.lines


def evaluate(ws, last_row) -> dict[int, Decimal]:
    """Column L of every row: ROUND/SUBTOTAL formulas computed with Decimal (half-up, as Excel)."""
    from decimal import ROUND_HALF_UP

    def rnd(v):
        return v.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    amounts: dict[int, Decimal] = {}
    subtotal_rows = set()
    for r in range(5, last_row + 1):
        f = ws.cell(r, 12).value
        if f and f.startswith("=ROUND("):
            g, i, j = (Decimal(str(ws.cell(r, c).value)) for c in (7, 9, 10))
            base = rnd(g * i)
            amounts[r] = base + rnd(base * j / 100)
    for r in range(last_row, 4, -1):  # nested SUBTOTALs ignore each other
        f = ws.cell(r, 12).value
        if f and f.startswith("=SUBTOTAL"):
            a, b = re.match(r"=SUBTOTAL\(9,L(\d+):L(\d+)\)", f).groups()
            amounts[r] = sum((amounts.get(k, Decimal(0)) for k in range(int(a), int(b) + 1)
                              if k not in subtotal_rows), Decimal("0.00"))
            subtotal_rows.add(r)
    return amounts


def test_xlsx_and_csv_neutralise_formula_text(demo_project, tmp_path):
    line = cmd.lines_of_year(demo_project, 2024)[0]
    with demo_project.edit():
        line.description = "=HYPERLINK(\"http://x\")"
        line.justification = "+1 tambahan"
    xlsx, csv_path = tmp_path / "x.xlsx", tmp_path / "x.csv"
    sheet_mod.write(demo_project, xlsx, "xlsx", year=2024)
    sheet_mod.write(demo_project, csv_path, "csv", year=2024)
    ws = load_workbook(xlsx).active
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'=HYPERLINK(\"http://x\")" in texts and "'+1 tambahan" in texts
    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:4] == ["No", "Kode Rekening", "Nama Rekening", "Uraian"]
    assert any(r[3] == "'=HYPERLINK(\"http://x\")" for r in rows[1:])
    amounts = sum((Decimal(r[12]) for r in rows[1:]), Decimal(0))
    assert amounts == totals(cmd.lines_of_year(demo_project, 2024)).requested
    assert not any(r[14] == "Ditolak" for r in rows[1:])


def test_cli_export_year_and_bad_input(demo_file, tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "mpp_planner", "export", "budget", str(demo_file), *args],
                              capture_output=True, text=True, cwd=ROOT)

    for ext in ("pdf", "xlsx", "csv"):
        out = tmp_path / f"u.{ext}"
        result = run("--year", "2024", "--date", "2023-12-15", "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert out.stat().st_size > 0
    result = run("-o", str(tmp_path / "default.pdf"))  # the project's fiscal year
    assert result.returncode == 0
    assert "TAHUN ANGGARAN 2024" in " ".join(pdf_text(tmp_path / "default.pdf"))
    for args, words in ((["--year", "2031", "-o", str(tmp_path / "n.pdf")], "no budget lines"),
                        (["--year", "dua ribu", "-o", str(tmp_path / "n.pdf")], "not a year"),
                        (["-o", str(tmp_path / "n.docx")], "Unknown output format"),
                        (["-o", str(tmp_path / "nope" / "n.pdf")], "does not exist")):
        result = run(*args)
        assert result.returncode == 2, args
        assert words in result.stderr and "Traceback" not in result.stderr
        assert not (tmp_path / "n.pdf").exists()


def test_logo_is_drawn(demo_project, tmp_path):
    from PIL import Image  # noqa: F401 - ReportLab reads PNG through Pillow

    png = tmp_path / "logo.png"
    Image.new("RGB", (40, 40), (200, 30, 30)).save(png)
    with demo_project.edit():
        demo_project.site.logo = png.read_bytes()
    out = tmp_path / "logo.pdf"
    sheet_mod.write(demo_project, out, "pdf", year=2024, sign_date=SIGNED)
    page = PdfReader(out).pages[0]
    assert page["/Resources"]["/XObject"], "the logo is an image on the first page"
