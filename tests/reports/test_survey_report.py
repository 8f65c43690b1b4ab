"""The SKM documents read back: report and poster PDF text (pdfplumber) and page size, the workbook's formulas
(and LibreOffice's recalculation of them), the CSV columns, the CLI's exit codes and the timing of 20,000 forms."""

import csv
import random
import re
import shutil
import subprocess
import time
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from mpp_planner.model import Agency
from mpp_planner.model.paper import PAPERS
from mpp_planner.model.skm import compute
from mpp_planner.model.survey import SurveyAction, SurveyPeriod, SurveyResponse
from mpp_planner.reports import survey as report_mod

ROOT = Path(__file__).resolve().parents[2]
SIGNED = date(2024, 7, 10)
PERIOD = "Uji 2024 I"  # not a demo period name
# a hand-made period: 6 forms, unsur 4 left empty on one form; NRR of U1..U9 below
FORMS = [
    [4, 3, 3, 4, 3, 4, 3, 3, 2],
    [3, 3, 4, 3, 3, 4, 3, 4, 2],
    [4, 4, 3, None, 3, 3, 2, 3, 3],
    [3, 3, 3, 4, 4, 4, 3, 3, 2],
    [4, 3, 4, 3, 3, 4, 3, 4, 3],
    [3, 4, 3, 3, 3, 3, 3, 3, 2],
]


def add_period(project, name=PERIOD, forms=FORMS, *, position=101, population=40, with_agency=True, actions=True):
    """A period with ``forms`` through the model; the first forms name the demo's first agency."""
    with project.edit() as s:
        agency = s.scalars(select(Agency.id).order_by(Agency.id)).first() if with_agency else None
        period = SurveyPeriod(name=name, start_date=date(2024, 1, 1), end_date=date(2024, 6, 30),
                              population=population, position=position)
        s.add(period)
        s.flush()
        for i, answers in enumerate(forms, start=1):
            s.add(SurveyResponse(period_id=period.id, number=i, date=date(2024, 3, i % 28 + 1),
                                 gender="LP"[i % 2], age_band=("20–29 tahun", "30–39 tahun")[i % 2 == 0],
                                 education="SMA/SMK", occupation="Wiraswasta" if i % 3 else "PNS",
                                 agency_id=agency if i <= 3 else None, answers=list(answers),
                                 note="=HYPERLINK(\"x\")" if i == 1 else ""))
        if actions:
            s.add(SurveyAction(period_id=period.id, unsur=9, action="Menambah kursi tunggu di ruang layanan",
                               owner="Kasubbag Umum", deadline=date(2024, 9, 30), status="in_progress"))
    return period.id


def pdf_pages(path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [" ".join((p.extract_text() or "").split()) for p in pdf.pages]


def page_sizes(path) -> list[tuple[float, float]]:
    with pdfplumber.open(path) as pdf:
        return [(float(p.width), float(p.height)) for p in pdf.pages]


def test_report_text_period_ikm_nrr_weakest_signature(demo_project, tmp_path):
    add_period(demo_project, "Uji 2023 II", [[3] * 9, [2, 3, 3, 3, 3, 3, 3, 3, 2]], position=100,
               actions=False)
    add_period(demo_project)
    out = tmp_path / "skm.pdf"
    report_mod.write(demo_project, out, "pdf", period=PERIOD, sign_date=SIGNED)
    pages = pdf_pages(out)
    text = " ".join(pages)
    res = compute(FORMS)
    # hand-computed: NRR U1 = 21/6 = 3,5; U4 = 17/5 = 3,4 (one form left it empty); U9 = 14/6 = 2,3333
    assert [u.nrr_decimal for u in res.unsur][:4] == [Decimal("3.5000"), Decimal("3.3333"), Decimal("3.3333"),
                                                       Decimal("3.4000")]
    assert "LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT (SKM)" in text
    assert "Periode Uji 2024 I (1 Januari 2024 – 30 Juni 2024)" in text
    ikm = format(res.ikm, "f").replace(".", ",")
    assert ikm == "80,28" and res.mutu == "B"  # index = (153/6 + 17/5) / 9 = 3,2111...
    assert f"IKM = nilai indeks × 25 = {ikm}" in text
    assert "Mutu pelayanan B (kinerja unit pelayanan Baik)" in text
    # the NRR table: unsur, jumlah nilai, responden menjawab, NRR, NRR tertimbang, mutu unsur
    assert "1 Persyaratan 21 6 3,5000 0,3889 B" in text
    assert "4 Biaya/Tarif 17 5 3,4000 0,3778 B" in text
    assert "9 Sarana dan Prasarana 14 6 2,3333 0,2593 D" in text
    for u in res.unsur:
        assert format(u.nrr_decimal, "f").replace(".", ",") in text
    # the three weakest (ties: the lower unsur first) and the follow-up
    weak = [u.unsur for u in res.weakest(3)]
    assert weak == [9, 7, 5]
    assert "1 U9 Sarana dan Prasarana 2,3333 58,33 D" in text
    assert "2 U7 Perilaku Pelaksana 2,8333 70,83 C" in text
    assert "3 U5 Produk Spesifikasi Jenis Pelayanan 3,1667 79,17 B" in text
    assert "U9 Sarana dan Prasarana Menambah kursi tunggu di ruang layanan Kasubbag Umum 30 September 2024 " \
        "Sedang berjalan" in text
    # profile, sample, per agency, trend
    assert "Laki-laki 3 50,0%" in text and "Perempuan 3 50,0%" in text
    assert "sampel minimum menurut tabel Krejcie–Morgan 36 responden" in text
    assert "belum memenuhi (kurang 30 responden)" in text
    assert "IKM per instansi" in text and "Tidak diisi 3" in text
    assert "Grafik 2. Perkembangan IKM" in text and "Uji 2023 II" in text
    # the signature of the head of office
    assert "Probolinggo, 10 Juli 2024" in pages[-1]
    assert "Muhammad Abas" in pages[-1] and "NIP. 19680512 199403 1 007" in pages[-1]
    for i, page in enumerate(pages, start=1):
        assert f"Halaman {i} dari {len(pages)}" in page


def test_report_on_a4_and_f4(demo_project, tmp_path):
    add_period(demo_project)
    for name in ("A4", "F4"):
        out = tmp_path / f"skm-{name}.pdf"
        report_mod.write(demo_project, out, "pdf", period=PERIOD, paper=name, sign_date=SIGNED)
        want = PAPERS[name].points
        for w, h in page_sizes(out):
            assert (round(w), round(h)) == (round(want[0]), round(want[1]))  # portrait
    # without --paper: the project's paper
    demo_project.site.paper = "F4"
    demo_project.session.flush()
    out = tmp_path / "default.pdf"
    report_mod.write(demo_project, out, "pdf", period=PERIOD, paper=None, sign_date=SIGNED)
    assert round(page_sizes(out)[0][1]) == round(PAPERS["F4"].points[1])


def test_poster_is_one_page_with_the_ikm_and_mutu(demo_project, tmp_path):
    add_period(demo_project)
    out = tmp_path / "poster.pdf"
    report_mod.write(demo_project, out, "pdf", period=PERIOD, poster=True, sign_date=SIGNED)
    pages = pdf_pages(out)
    assert len(pages) == 1
    text = pages[0]
    assert "INDEKS KEPUASAN MASYARAKAT (IKM)" in text
    assert "MPP KOTA PROBOLINGGO" in text and "Periode Uji 2024 I" in text
    assert "80,28" in text and "Mutu Pelayanan: B (Baik)" in text
    assert "Berdasarkan 6 responden" in text
    assert "Terima kasih atas partisipasi Anda" in text and "10 Juli 2024" in text
    assert "U9 Sarana dan Prasarana" in text and "2,33" in text
    # the IKM is the largest text on the page
    with pdfplumber.open(out) as pdf:
        chars = pdf.pages[0].chars
    biggest = max(chars, key=lambda ch: ch["size"])
    assert biggest["size"] >= 100 and biggest["text"] in "80,28"


def _recalc_profile(folder: Path) -> str:
    """A LibreOffice user profile that recalculates every formula of an XLSX on load."""
    user = folder / "user"
    user.mkdir(parents=True)
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '<item oor:path="/org.openoffice.Office.Calc/Formula/Load">'
        '<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>\n'
        '</oor:items>\n', encoding="utf-8")
    return folder.as_uri()


@pytest.fixture
def survey_book(demo_project, tmp_path):
    add_period(demo_project)
    out = tmp_path / "skm.xlsx"
    report_mod.write(demo_project, out, "xlsx", period=PERIOD)
    return out


def _rows_by_label(ws) -> dict[str, int]:
    return {ws.cell(r, 2).value: r for r in range(1, ws.max_row + 1) if isinstance(ws.cell(r, 2).value, str)}


def test_xlsx_data_and_live_formulas(survey_book):
    res = compute(FORMS)
    book, cached = load_workbook(survey_book), load_workbook(survey_book, data_only=True)
    data = book["Data"]
    assert [c.value for c in data[1]] == list(report_mod.DATA_HEADER)
    assert data.max_row == len(FORMS) + 1
    u4 = [data.cell(r, 13).value for r in range(2, len(FORMS) + 2)]
    assert u4 == [4, 3, None, 4, 3, 3]  # numbers; empty where not answered
    assert data.cell(2, 19).value == "'=HYPERLINK(\"x\")"  # user text never runs as a formula
    calc, calc_cached = book["Perhitungan"], cached["Perhitungan"]
    first = next(r for r in range(1, 20) if calc.cell(r, 1).value == 1)
    for i, u in enumerate(res.unsur):
        r = first + i
        col = "JKLMNOPQR"[i]
        assert calc.cell(r, 3).value == f"=COUNT(Data!{col}2:{col}7)"
        assert calc.cell(r, 5).value == f"=SUM(Data!{col}2:{col}7)"
        assert calc.cell(r, 6).value == f"=E{r}/C{r}"
        assert calc.cell(r, 7).value == f"=F{r}/9"
        assert calc.cell(r, 8).value.startswith("=IF(ROUND(F")
        assert calc_cached.cell(r, 3).value == u.answered and calc_cached.cell(r, 5).value == u.total
        assert Decimal(str(calc_cached.cell(r, 6).value)).quantize(Decimal("0.0001")) == u.nrr_decimal
    labels = _rows_by_label(calc)
    ikm_row = labels["IKM (indeks × 25)"]
    index_row = labels["Indeks (jumlah NRR tertimbang)"]
    assert calc.cell(index_row, 7).value == f"=SUM(G{first}:G{first + 8})"
    assert calc.cell(ikm_row, 3).value == f"=ROUND(G{index_row}*25,2)"
    assert calc.cell(labels["Mutu pelayanan"], 3).value == \
        f'=IF(C{ikm_row}>=88.31,"A",IF(C{ikm_row}>=76.61,"B",IF(C{ikm_row}>=65.00,"C","D")))'
    assert Decimal(str(calc_cached.cell(ikm_row, 3).value)) == res.ikm
    assert calc_cached.cell(labels["Mutu pelayanan"], 3).value == "B"
    assert calc_cached.cell(labels["Jumlah responden"], 3).value == 6
    # set up to print on the project's paper
    assert int(calc.page_setup.paperSize) == PAPERS["A4"].xlsx_index and calc.page_setup.orientation == "portrait"
    assert int(data.page_setup.paperSize) == PAPERS["A4"].xlsx_index and data.print_title_rows == "$1:$1"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_xlsx_formulas_compute_the_same_ikm_in_libreoffice(survey_book, tmp_path):
    res = compute(FORMS)
    # spoil the cached results so only a recalculation can give the right numbers
    spoiled = tmp_path / "spoiled.xlsx"
    with zipfile.ZipFile(survey_book) as src, zipfile.ZipFile(spoiled, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                text = re.sub(r"(</f><v>)[^<]*(</v>)", r"\g<1>0\g<2>", data.decode("utf-8"))
                text = re.sub(r'(<c [^>]*t="str"[^>]*><f>[^<]*</f><v>)[^<]*(</v>)', r"\g<1>X\g<2>", text)
                data = text.encode("utf-8")
            dst.writestr(info, data)
    out = tmp_path / "csv"
    # sheet 2 (Perhitungan) to CSV, numbers as shown unformatted
    filt = "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,2"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={_recalc_profile(tmp_path / 'lo')}",
                    "--convert-to", filt, "--outdir", str(out), str(spoiled)],
                   check=True, capture_output=True, timeout=240)
    files = list(out.glob("*.csv"))
    assert files, "LibreOffice wrote no CSV"
    with files[0].open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    by_label = {row[1]: row for row in rows if len(row) > 2}
    assert Decimal(by_label["IKM (indeks × 25)"][2]) == res.ikm
    assert by_label["Mutu pelayanan"][2] == "B" and by_label["Kinerja unit pelayanan"][2] == "Baik"
    assert by_label["Jumlah responden"][2] == "6"
    assert Decimal(by_label["Biaya/Tarif"][5]).quantize(Decimal("0.0001")) == Decimal("3.4000")
    assert by_label["Biaya/Tarif"][3] == "1"  # one form left it empty
    assert by_label["Sarana dan Prasarana"][7] == "D"


def test_csv_has_the_importer_columns(demo_project, tmp_path):
    add_period(demo_project)
    out = tmp_path / "skm.csv"
    report_mod.write(demo_project, out, "csv", period=PERIOD)
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["no", "tanggal", "jenis_kelamin", "usia", "pendidikan", "pekerjaan", "instansi", "layanan",
                       "loket", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9", "catatan"]
    assert len(rows) == len(FORMS) + 1
    first, third = rows[1], rows[3]
    assert first[:3] == ["1", "2024-03-02", "P"] and first[9:18] == ["4", "3", "3", "4", "3", "4", "3", "3", "2"]
    assert first[6]  # the agency's short name
    assert third[12] == ""  # unsur 4 not answered
    assert first[18] == "'=HYPERLINK(\"x\")"


def test_csv_round_trips_through_the_importer(demo_project, tmp_path):
    importer = pytest.importorskip("mpp_planner.importers.survey")
    add_period(demo_project)
    out = tmp_path / "skm.csv"
    report_mod.write(demo_project, out, "csv", period=PERIOD)
    with demo_project.edit() as s:
        s.add(SurveyPeriod(name="Salinan", position=5))
    try:
        command = importer.prepare(demo_project, out, period="Salinan")
    except Exception as exc:  # the importer is another helper's work in progress
        pytest.skip(f"survey importer not ready: {exc}")
    command.redo(demo_project)
    demo_project.session.flush()
    copy = report_mod.collect(demo_project, "Salinan")
    original = report_mod.collect(demo_project, PERIOD)
    assert [f.answers for f in copy.forms] == [f.answers for f in original.forms]
    assert copy.result.ikm == original.result.ikm
    assert [(f.gender, f.age_band, f.agency) for f in copy.forms] == \
        [(f.gender, f.age_band, f.agency) for f in original.forms]


def test_refusals(demo_project, tmp_path):
    add_period(demo_project)
    with demo_project.edit() as s:
        s.add(SurveyPeriod(name="Uji 2025 I", position=109))
    with pytest.raises(ValueError, match=r'no survey period "2026".*"Uji 2024 I", "Uji 2025 I"'):
        report_mod.write(demo_project, tmp_path / "x.pdf", "pdf", period="2026")
    with pytest.raises(ValueError, match="has no forms yet"):
        report_mod.write(demo_project, tmp_path / "x.pdf", "pdf", period="Uji 2025 I")
    with pytest.raises(ValueError, match="poster is a PDF"):
        report_mod.write(demo_project, tmp_path / "x.xlsx", "xlsx", period=PERIOD, poster=True)
    assert not list(tmp_path.glob("x.*")) and not list(tmp_path.glob(".mpp-*"))


def _cli(capsys, *args) -> tuple[int, str]:
    """(exit code, stderr) of ``mpp-planner ARGS`` run in this process."""
    from mpp_planner.cli import main

    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse refusals
        code = exc.code
    return code, capsys.readouterr().err


def test_cli_export_survey(demo_project, tmp_path, capsys):
    add_period(demo_project)
    path = str(demo_project.path)
    demo_project.close()
    code, err = _cli(capsys, "export", "survey", path, "--period", PERIOD, "-o", str(tmp_path / "skm.pdf"),
                     "--paper", "F4", "--date", "2024-07-10")
    assert code == 0, err
    assert round(page_sizes(tmp_path / "skm.pdf")[0][1]) == round(PAPERS["F4"].points[1])
    assert "Probolinggo, 10 Juli 2024" in " ".join(pdf_pages(tmp_path / "skm.pdf"))
    code, err = _cli(capsys, "export", "survey", path, "--period", PERIOD, "-o", str(tmp_path / "poster.pdf"),
                     "--poster")
    assert code == 0, err
    assert len(pdf_pages(tmp_path / "poster.pdf")) == 1
    code, err = _cli(capsys, "export", "survey", path, "--period", "Tidak ada", "-o", str(tmp_path / "x.pdf"))
    assert code == 2 and "Tidak ada" in err and PERIOD in err
    code, err = _cli(capsys, "export", "survey", path, "--period", PERIOD, "-o", str(tmp_path / "x.xlsx"),
                     "--poster")
    assert code == 2 and ".pdf" in err
    code, err = _cli(capsys, "export", "survey", path, "-o", str(tmp_path / "x.pdf"))
    assert code == 2 and "--period" in err
    code, err = _cli(capsys, "export", "survey", path, "--period", PERIOD, "-o", str(tmp_path / "x.pdf"),
                     "--paper", "A3")
    assert code == 2 and "A3" in err
    assert not list(tmp_path.glob("x.*"))


def test_timing_of_20000_forms(demo_project, tmp_path):
    """The issue asks for the report in ≤ 3 s at 20,000 forms: the timings are printed (no assertion)."""
    rng = random.Random(19)
    forms = [[rng.choice((2, 3, 3, 3, 4, 4)) for _ in range(9)] for _ in range(20_000)]
    add_period(demo_project, forms=forms, population=30_000)
    times = {}
    for fmt, poster in (("pdf", False), ("pdf", True), ("xlsx", False), ("csv", False)):
        start = time.perf_counter()
        report_mod.write(demo_project, tmp_path / f"big{'-poster' if poster else ''}.{fmt}", fmt, period=PERIOD,
                         poster=poster, sign_date=SIGNED)
        times[f"{fmt}{' poster' if poster else ''}"] = time.perf_counter() - start
    start = time.perf_counter()
    report = report_mod.collect(demo_project, PERIOD)
    times["collect"] = time.perf_counter() - start
    assert report.result.respondents == 20_000 and report.result.ikm == compute(forms).ikm
    print("\nSKM documents of 20,000 forms: " + ", ".join(f"{k} {v:.2f} s" for k, v in times.items()))
