"""The roll-up's documents: the workbook (a sheet per topic with live province rows, rankings, three charts, the
files read and skipped), the PDF (the same tables and charts, in Indonesian) and the flat CSV."""

from __future__ import annotations

import csv
import shutil
import subprocess
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from mpp_planner.model.rollup import Rollup
from mpp_planner.reads.rollup import rollup
from mpp_planner.reports.rollup_tables import write
from tests.rollup.conftest import DAMAGED, GOOD, TEXT, YEAR, sha256

SHEETS = ["Ringkasan", "Denah", "Loket", "Instansi", "Temuan", "Kebutuhan", "Anggaran", "Rekening", "Sub Kegiatan",
          "SKM", "PEKPPP", "Peringkat", "Grafik", "Berkas"]


@pytest.fixture(scope="module")
def folder_rollup(mpp_master) -> Rollup:
    return rollup([mpp_master], YEAR)


@pytest.fixture(scope="module")
def workbook(folder_rollup, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("rollup_xlsx") / "Rekap MPP 2024.xlsx"
    write(folder_rollup, out, "xlsx")
    return out


def test_a_sheet_per_topic_with_the_mpps_as_rows_and_live_province_rows(workbook, folder_rollup):
    from openpyxl import load_workbook

    wb = load_workbook(workbook)
    assert wb.sheetnames == SHEETS
    ws = wb["Anggaran"]
    assert [c.value for c in ws[4]][:5] == ["No", "MPP", "Kabupaten/Kota", "Pagu (Rp)", "Usulan (Rp)"]
    assert [ws.cell(r, 2).value for r in (5, 6, 7)] == ["MPP Kabupaten Malang", "MPP Kota Batu", "MPP Kota Probolinggo"]
    assert (ws.cell(8, 2).value, ws.cell(8, 5).value) == ("Jumlah Provinsi", "=SUM(E5:E7)")
    assert (ws.cell(9, 2).value, ws.cell(9, 5).value) == ("Rata-rata", '=IFERROR(AVERAGE(E5:E7),"")')
    requested = [float(s.budget(YEAR).requested) for s in folder_rollup.summaries]
    assert [ws.cell(r, 5).value for r in (5, 6, 7)] == requested
    ranks = wb["Peringkat"]
    formulas = [c.value for c in ranks["A"] if isinstance(c.value, str) and c.value.startswith("=RANK(")]
    # IKM ranks the two MPPs with a survey; the other six rankings all three
    assert len(formulas) == 2 + 6 * 3 and formulas[:3] == ["=RANK(D6,$D$6:$D$7,0)", "=RANK(D7,$D$6:$D$7,0)",
                                                           "=RANK(D13,$D$13:$D$15,0)"]
    with zipfile.ZipFile(workbook) as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        assert charts == ["xl/charts/chart1.xml", "xl/charts/chart2.xml", "xl/charts/chart3.xml"]
        stacked = z.read("xl/charts/chart1.xml").decode()
        assert '<c:grouping val="stacked"/>' in stacked and "Instansi!$D$5:$D$7" in stacked


def test_the_files_sheet_lists_time_checksum_and_the_skipped_with_why(workbook, mpp_master):
    from openpyxl import load_workbook

    ws = load_workbook(workbook)["Berkas"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    read = {r[1]: r for r in rows[:3]}
    assert sorted(read) == sorted(GOOD)
    for name, row in read.items():
        path = mpp_master / name
        assert row[6] == sha256(path)
        assert abs((row[5] - datetime.fromtimestamp(path.stat().st_mtime)).total_seconds()) < 1
        assert row[4] == path.stat().st_size
    skipped = {r[1]: r[3] for r in rows if r[1] in (DAMAGED, TEXT)}
    assert skipped[DAMAGED].startswith("Berkas rusak") and skipped[TEXT] == "Bukan berkas proyek MPP Planner"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_formulas_compute_in_a_spreadsheet_program(workbook, folder_rollup, tmp_path):
    """The workbook without its cached results (openpyxl drops them), recalculated by LibreOffice: the province
    rows come out as the sums and means of the MPPs' figures."""
    from openpyxl import load_workbook

    bare = tmp_path / "tanpa-cache.xlsx"
    load_workbook(workbook).save(bare)
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1",
                    "--outdir", str(tmp_path), str(bare)], check=True, capture_output=True, timeout=240)
    with open(tmp_path / "tanpa-cache-Anggaran.csv", newline="", encoding="utf-8") as fh:
        rows = {r[1]: r for r in csv.reader(fh) if len(r) > 4}
    requested = [s.budget(YEAR).requested for s in folder_rollup.summaries]
    assert Decimal(rows["Jumlah Provinsi"][4]) == sum(requested)
    assert abs(Decimal(rows["Rata-rata"][4]) - sum(requested) / 3) < Decimal("0.01")
    with open(tmp_path / "tanpa-cache-Peringkat.csv", newline="", encoding="utf-8") as fh:
        computed = [(r[0], r[1]) for r in csv.reader(fh) if r and r[0].isdigit()]
    from mpp_planner.reports.rollup_tables import mpp_name, ranked, rankings

    expected = [(str(rank), mpp_name(folder_rollup, s)) for ranking in rankings(folder_rollup)
                for rank, s, _v in ranked(folder_rollup, ranking)]
    assert computed == expected and len(set(computed)) > 3  # RANK() agrees with the ranks printed


def test_the_pdf_shows_the_tables_charts_and_files_in_indonesian(folder_rollup, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "rekap.pdf"
    write(folder_rollup, out, "pdf")
    reader = PdfReader(out)
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    for words in ("REKAPITULASI MAL PELAYANAN PUBLIK", "Provinsi Jawa Timur · Tahun Anggaran 2024", "Jumlah Provinsi",
                  "Rata-rata", "Instansi per Tingkat", "Usulan Anggaran per MPP", "Indeks Kepuasan Masyarakat per MPP",
                  "Peringkat", "Berkas yang Dibaca", "Berkas yang Dilewati (2)", "Bukan berkas proyek MPP Planner",
                  "MPP Kabupaten Malang", "MPP Kota Batu"):
        assert words in text, words
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
    for s in folder_rollup.summaries:
        assert s.source.sha256 in text.replace("\n", "")


def test_the_csv_is_one_flat_row_per_mpp(folder_rollup, tmp_path):
    out = tmp_path / "rekap.csv"
    write(folder_rollup, out, "csv")
    with open(out, newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["MPP"] for r in rows] == ["MPP Kabupaten Malang", "MPP Kota Batu", "MPP Kota Probolinggo"]
    for row, s in zip(rows, folder_rollup.summaries):
        assert Decimal(row["Anggaran: Usulan (Rp)"]) == s.budget(YEAR).requested
        assert int(row["Loket: Jumlah Loket"]) == s.counters
        assert row["SHA-256"] == s.source.sha256
