"""The allocation list a bureau files as it is (issue 18): A4 or F4 with the table reflowed, totals
that add up on the page (a shared counter counted once, marked, explained on the same page), each
agency's services, the "Lampiran … Nomor … Tanggal …" block, a plan appendix legible in black and
white, one set of terms, and an unknown paper refused with no file."""

import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from mpp_planner.commands import History
from mpp_planner.commands.site import edit_settings
from mpp_planner.model.agency import Tier
from mpp_planner.model.allocation import load_allocation
from mpp_planner.model.paper import PAPERS
from mpp_planner.reports.allocations import (LESS_SHARED_ID, LESS_SHARED_TIERS_ID, SHARED_NOTE_ID, UNALLOCATED_ID,
                                             area_shares, collect, counted_more_than_once, render)

ROOT = Path(__file__).resolve().parents[2]
MM = 72 / 25.4
DECREE = "Keputusan Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Probolinggo"


def number(text) -> Decimal:
    """"1.234,56" / "-2" / "21,4%" as printed in the sheet."""
    return Decimal(str(text).strip().rstrip("%").replace(".", "").replace(",", "."))


def pdf(project, tmp_path, paper=None, name="alokasi.pdf", **kw):
    out = tmp_path / name
    render(collect(project, date(2024, 1, 15), paper=paper, **kw), out, "pdf")
    return out


def table_rows(path):
    """The rows of the allocation table on every page before the recap, as pdfplumber reads the
    ruled grid, with the text of the page each row is on."""
    import pdfplumber

    rows = []
    with pdfplumber.open(path) as doc:
        for page in doc.pages:
            text = page.extract_text()
            tables = page.extract_tables()
            if not tables or "Rekapitulasi per Tingkat Instansi" in text and tables[0][0][0] != "No":
                break
            for row in tables[0]:
                if row[0] != "No":
                    rows.append((row, text))
            if "JUMLAH SELURUHNYA" in text:
                break
    return rows


# --- paper ----------------------------------------------------------------------------------

@pytest.mark.parametrize("paper", ["A4", "F4"])
def test_pdf_pages_are_the_paper_in_landscape_and_the_table_fills_its_width(demo_project, tmp_path, paper):
    import pdfplumber

    out = pdf(demo_project, tmp_path, paper)
    sheet = PAPERS[paper]
    with pdfplumber.open(out) as doc:
        assert len(doc.pages) >= 3
        for page in doc.pages:
            assert page.width == pytest.approx(sheet.height_mm * MM, abs=0.5)
            assert page.height == pytest.approx(sheet.width_mm * MM, abs=0.5)
        first = doc.pages[0]
        rules = [ln for ln in first.lines if abs(ln["top"] - ln["bottom"]) < 0.1 and ln["x1"] - ln["x0"] > 100]
        assert min(ln["x0"] for ln in rules) == pytest.approx(15 * MM, abs=1)  # margin to margin, not scaled
        assert max(ln["x1"] for ln in rules) == pytest.approx(first.width - 15 * MM, abs=1)
        x0, top, x1, bottom = first.find_tables()[0].bbox
        cells = [c for c in first.chars if x0 <= c["x0"] <= x1 and top <= c["top"] <= bottom]
        assert cells and {round(c["size"], 1) for c in cells} == {8.0}  # the same font on either paper


def test_f4_reflows_the_text_columns_instead_of_scaling(demo_project, tmp_path):
    import pdfplumber

    edges = {}
    for paper in ("A4", "F4"):
        with pdfplumber.open(pdf(demo_project, tmp_path, paper, name=f"{paper}.pdf")) as doc:
            table = doc.pages[0].find_tables()[0]
            xs = sorted({round(c[0], 1) for c in table.cells} | {round(c[2], 1) for c in table.cells})
            edges[paper] = [b - a for a, b in zip(xs, xs[1:])]
    assert len(edges["A4"]) == len(edges["F4"]) == 11
    fixed = [0, 2, 4, 5, 6, 8, 9, 10]  # No, Singkatan, Jml Loket, Lantai, Hari, Jml Layanan, Petugas, Luas
    for i in fixed:
        assert edges["F4"][i] == pytest.approx(edges["A4"][i], abs=0.2)
    for i in (1, 3, 7):  # Instansi, Loket, Jenis Layanan take the F4's extra 33 mm
        assert edges["F4"][i] > edges["A4"][i] + 5
    assert sum(edges["F4"]) - sum(edges["A4"]) == pytest.approx(33 * MM, abs=0.5)


@pytest.mark.parametrize("paper, index", [("A4", 9), ("F4", 14)])
def test_xlsx_page_setup_uses_the_paper(demo_project, tmp_path, paper, index):
    from openpyxl import load_workbook

    out = tmp_path / "alokasi.xlsx"
    render(collect(demo_project, date(2024, 1, 15)), out, "xlsx", paper=paper)
    wb = load_workbook(out)
    assert [int(ws.page_setup.paperSize) for ws in wb.worksheets] == [index] * 3
    assert wb.worksheets[0].page_setup.orientation == "landscape"


def test_the_project_setting_chooses_the_default_paper(demo_project, tmp_path):
    import pdfplumber

    History(demo_project).push(edit_settings(demo_project, {"paper": "F4"}, {}))
    report = collect(demo_project, date(2024, 1, 15))
    assert report.paper == "F4"
    out = tmp_path / "a.pdf"
    render(report, out, "pdf")
    with pdfplumber.open(out) as doc:
        assert doc.pages[0].width == pytest.approx(330 * MM, abs=0.5)
    render(report, out, "pdf", paper="A4")  # a choice for this export wins
    with pdfplumber.open(out) as doc:
        assert doc.pages[0].width == pytest.approx(297 * MM, abs=0.5)


# --- totals that add up ---------------------------------------------------------------------

def test_pdf_totals_equal_the_sum_of_the_rows_above_them(demo_project, tmp_path):
    rows = table_rows(pdf(demo_project, tmp_path))
    alloc = load_allocation(demo_project.session)
    block = {"counters": Decimal(0), "services": Decimal(0), "staff": Decimal(0), "area": Decimal(0)}
    subtotals = []
    seen_less = []
    for row, _text in rows:
        first = (row[0] or "").strip()
        if first.isdigit():  # an agency
            block["counters"] += number(row[4])
            block["services"] += number(row[8])
            block["staff"] += number(row[9])
            block["area"] += number(row[10])
        elif first.startswith("Dikurangi"):
            seen_less.append(first)
            block["counters"] += number(row[4])
            if first == LESS_SHARED_TIERS_ID:
                grand_less = number(row[4])
        elif first.startswith("Jumlah "):
            values = [v for v in row[4:] if v not in (None, "")]
            got = {"counters": number(values[0]), "services": number(values[1]), "staff": number(values[2]),
                   "area": number(values[3])}
            assert got == block, first
            subtotals.append(got)
            block = {k: Decimal(0) for k in block}
        elif first == "JUMLAH SELURUHNYA":
            values = [v for v in row[4:] if v not in (None, "")]
            assert number(values[0]) == sum(s["counters"] for s in subtotals) + grand_less
            assert number(values[1]) == sum(s["services"] for s in subtotals)
            assert number(values[2]) == sum(s["staff"] for s in subtotals)
            assert number(values[3]) == sum(s["area"] for s in subtotals)
            assert number(values[0]) == alloc.assigned_counters  # each counter once
    assert len(subtotals) == len(alloc.tiers)
    # the demo shares a counter within a tier (BPN and PA) and across tiers (Imigrasi and Taspen)
    assert LESS_SHARED_ID in seen_less and LESS_SHARED_TIERS_ID in seen_less
    assert grand_less == -counted_more_than_once(alloc) == -2


def test_pdf_recap_adds_up_to_every_counter_and_a_hundred_percent(demo_project, tmp_path):
    import pdfplumber

    out = pdf(demo_project, tmp_path)
    alloc = load_allocation(demo_project.session)
    with pdfplumber.open(out) as doc:
        page = next(p for p in doc.pages if "Rekapitulasi per Tingkat Instansi" in (p.extract_text() or ""))
        text = page.extract_text()
        recap = next(t for t in page.extract_tables() if t[0][0] == "Tingkat Instansi")
    body, total = recap[1:-1], recap[-1]
    labels = [" ".join((r[0] or "").split()) for r in body]
    assert total[0] == "Jumlah" and labels[-2:] == [UNALLOCATED_ID, LESS_SHARED_TIERS_ID]
    for col in (1, 2, 3, 4, 5, 6):
        values = [number(r[col]) for r in body if r[col] not in ("", "–", None)]
        assert sum(values) == number(total[col]), recap[0][col]
    assert number(total[3]) == len(alloc.counters)
    assert sum(number(r[7]) for r in body if r[7]) == Decimal(100) == number(total[7])
    assert SHARED_NOTE_ID in text  # the "*" of the less row is explained on its page


def test_xlsx_totals_equal_the_sum_of_the_rows_above_them(demo_project, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "alokasi.xlsx"
    render(collect(demo_project, date(2024, 1, 15)), out, "xlsx")
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    header_row = next(r for r in range(1, 12) if ws.cell(r, 1).value == "No")
    col = {c.value: c.column - 1 for c in ws[header_row]}
    keys = ("Number of counters", "Number of services", "Staff", "Desk area (m²)")
    running = dict.fromkeys(keys, Decimal(0))
    subtotals, grand_less, total = [], Decimal(0), None
    notes_below = []
    for row in ws.iter_rows(min_row=header_row + 1, values_only=True):
        label = str(row[col["Agency"]] or "")
        if isinstance(row[0], int) or label.startswith("Less:") and not label.endswith("tier"):
            for k in keys:
                running[k] += Decimal(str(row[col[k]] or 0))
        if label.startswith("Less:") and label.endswith("tier"):
            grand_less = Decimal(row[col["Number of counters"]])
        elif label.startswith("Subtotal"):
            assert {k: Decimal(str(row[col[k]])) for k in keys} == running, label
            subtotals.append(dict(running))
            running = dict.fromkeys(keys, Decimal(0))
        elif label == "Total":
            total = {k: Decimal(str(row[col[k]])) for k in keys}
        elif total is not None and row[0]:
            notes_below.append(row[0])
    alloc = load_allocation(demo_project.session)
    assert len(subtotals) == len(alloc.tiers) and grand_less == -2
    assert total["Number of counters"] == sum(s["Number of counters"] for s in subtotals) + grand_less \
        == alloc.assigned_counters
    for k in keys[1:]:
        assert total[k] == sum(s[k] for s in subtotals)
    assert notes_below[0] == "* Counter shared by more than one agency; counted once in the totals."
    assert any("footprint of the counter desk" in n for n in notes_below)
    marked = [c for c in ws["E"] if c.value and "*" in str(c.value)]
    assert {m.value for m in marked} >= {"L2-03*", "L2-02*", "L2-05*", "L2-13*"}

    per_tier = wb["Per tier"]
    rows = list(per_tier.iter_rows(min_row=2, values_only=True))
    total_row = next(r for r in rows if r[0] == "Total")
    body = rows[:rows.index(total_row)]
    assert body[-2][0] == "Counters not yet allocated" and body[-1][3] == -2
    assert sum(r[3] for r in body) == total_row[3] == len(alloc.counters)
    assert sum(Decimal(str(r[7])) for r in body if r[7] is not None) == Decimal(1) == Decimal(str(total_row[7]))


def test_area_shares_add_up_to_exactly_one(demo_project):
    alloc = load_allocation(demo_project.session)
    shares = area_shares(alloc)
    assert sum(shares) == Decimal(1) and len(shares) == len(alloc.tiers) + 1
    exact = [t.area_m2 / alloc.total_area_m2 for t in alloc.tiers]
    assert all(abs(s - e) < Decimal("0.001") for s, e in zip(shares, exact))


def test_every_marked_row_has_its_explanation_on_the_same_page(demo_project, tmp_path):
    rows = table_rows(pdf(demo_project, tmp_path))
    marked = [(row, text) for row, text in rows if (row[0] or "").isdigit() and "*" in (row[3] or "")]
    assert {row[2] for row, _t in marked} >= {"Imigrasi", "BPN", "PA", "Kejari", "Dishub", "Taspen"}
    for row, text in marked:
        assert SHARED_NOTE_ID in " ".join(text.split()), row[2]
    unshared = [row for row, _t in rows if (row[0] or "").isdigit() and row[2] in ("Kemenag", "Polres")]
    assert unshared and all("*" not in row[3] for row in unshared)


# --- what the sheet shows ------------------------------------------------------------------

def test_pdf_shows_each_agencys_services_and_what_the_area_measures(demo_project, tmp_path):
    rows = table_rows(pdf(demo_project, tmp_path))
    alloc = load_allocation(demo_project.session)
    printed = {" ".join(row[2].split()): " ".join(row[7].split()) for row, _t in rows if (row[0] or "").isdigit()}
    for line in alloc.agencies:
        assert printed[line.agency.short_name] == ("; ".join(line.agency.services) or "–")
    from pypdf import PdfReader

    text = " ".join(" ".join(p.extract_text() for p in PdfReader(tmp_path / "alokasi.pdf").pages).split())
    assert "Luas Meja Loket (m²)" in text and "Luas Loket (m²)" not in text
    assert "tapak meja loket (lebar × kedalaman meja), bukan luas area layanan" in text


def test_the_attachment_block_from_the_project_settings(demo_project, tmp_path):
    import pdfplumber

    History(demo_project).push(edit_settings(demo_project, {
        "decree_title": DECREE, "decree_number": "503/12/2024", "decree_date": date(2024, 1, 10)}, {}))
    out = pdf(demo_project, tmp_path)
    with pdfplumber.open(out) as doc:
        page = doc.pages[0]
        text = page.extract_text()
        words = page.extract_words()
    lines = text.splitlines()
    assert lines[0].strip() == "Lampiran"
    assert "Nomor : 503/12/2024" in text and "Tanggal : 10 Januari 2024" in text
    assert "Keputusan Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu" in text
    lampiran = next(w for w in words if w["text"] == "Lampiran")
    government = next(w for w in words if w["text"] == "PEMERINTAH")
    assert lampiran["x0"] > page.width / 2 and lampiran["top"] < government["top"]  # top right, above the kop


def test_command_line_decree_options_override_the_project(demo_file, tmp_path):
    out = tmp_path / "a.pdf"
    result = run("export", "allocations", str(demo_file), "-o", str(out), "--date", "2024-01-15",
                 "--decree-title", "Surat Kepala DPMPTSP", "--reference", "800/7/2024", "--decree-date", "2024-02-01")
    assert result.returncode == 0, result.stderr
    from pypdf import PdfReader

    first = " ".join(PdfReader(out).pages[0].extract_text().split())
    assert "Lampiran Surat Kepala DPMPTSP Nomor : 800/7/2024 Tanggal : 1 Februari 2024" in first


def test_no_number_no_attachment_block(demo_project, tmp_path):
    from pypdf import PdfReader

    History(demo_project).push(edit_settings(demo_project, {"decree_title": DECREE}, {}))
    first = PdfReader(pdf(demo_project, tmp_path)).pages[0].extract_text()
    assert "Lampiran" not in first and "Nomor" not in first
    # a number without a date leaves the date to be written by hand
    first = PdfReader(pdf(demo_project, tmp_path, decree_number="503/12/2024", name="b.pdf")).pages[0].extract_text()
    assert "Lampiran" in first and "Tanggal : ……" in " ".join(first.split())


# --- the plan appendix ------------------------------------------------------------------------

def appendix_pages(path):
    import pdfplumber

    doc = pdfplumber.open(path)
    start = next(i for i, p in enumerate(doc.pages) if "LAMPIRAN: DENAH ALOKASI LOKET" in (p.extract_text() or ""))
    return doc, doc.pages[start:]


def test_plan_counters_carry_agency_names_no_text_under_2_mm(demo_project, tmp_path):
    doc, pages = appendix_pages(pdf(demo_project, tmp_path))
    with doc:
        assert len(pages) == 2  # a floor to a page
        for page in pages:
            # pdfplumber gives a turned character's size as its advance: its font size is its box's width
            small = [c["text"] for c in page.chars
                     if (c["size"] if c["upright"] else c["x1"] - c["x0"]) * 25.4 / 72 < 2.0 - 1e-3]
            assert not small, small[:20]
        lantai1 = " ".join(pages[0].extract_text().split())
        key = lantai1.split("Tingkat instansi (arsiran):")[1]
        drawing = lantai1.split("Tingkat instansi (arsiran):")[0]
    for name in ("DPMPTSP", "Samsat", "Polres", "PDAM", "BPKAD", "Pos", "BPJS TK"):
        assert name in drawing  # fits on its counter: written in full
    assert "Dispendukc." in drawing  # too long for its counter at 2 mm: cut short, not shrunk
    assert "L1-01" not in drawing and "DPMPTSP: L1-01, L1-02" in key  # counters are named in the key
    assert f"{UNALLOCATED_ID}: L1-18" in key


def test_tiers_are_told_apart_by_hatching(demo_project, tmp_path):
    from mpp_planner.reports import allocations_pdf as ap

    assert set(ap.HATCH) == {t.value for t in Tier} and len(set(ap.HATCH.values())) == len(Tier)

    class Recorder:
        def __init__(self):
            self.seq = []

    drawn = {}
    square = [(0.0, 0.0), (30.0, 0.0), (30.0, 30.0), (0.0, 30.0)]
    for tier, pattern in ap.HATCH.items():
        rec = Recorder()
        ap.hatch(rec, square, pattern, ap.colors.black)
        assert len(rec.seq) == 1 and " W n " in rec.seq[0]  # clipped to the shape
        drawn[tier] = rec.seq[0]
    assert len(set(drawn.values())) == len(Tier)
    # a grey copy: the legend's tier swatches differ from one another and from the white of an unallocated counter
    doc, pages = appendix_pages(pdf(demo_project, tmp_path))
    with doc:
        page = pages[0]
        image = page.to_image(resolution=150).original.convert("L")
        scale = 150 / 72
        words = page.extract_words(keep_blank_chars=True)
        tiles = []
        for label in ("Instansi Pusat/Vertikal", "Pemerintah Provinsi", "Pemerintah Kabupaten/Kota",
                      "Badan Usaha Milik Negara (BUMN)", "Badan Hukum Publik", UNALLOCATED_ID):
            w = next(w for w in words if w["text"].startswith(label))
            box = (int((w["x0"] - 7 * MM - 1.5 * MM + 2) * scale), int((w["top"] - 1) * scale),
                   int((w["x0"] - 1.5 * MM - 2) * scale), int((w["bottom"] - 1) * scale))
            tiles.append(tuple(image.crop(box).resize((12, 6)).tobytes()))
    assert len(set(tiles)) == len(tiles)
    assert all(v > 240 for v in tiles[-1])  # not yet allocated: white


def test_shortening_keeps_the_first_word_longest():
    from mpp_planner.reports.allocations_pdf import MIN_TEXT, fit_label, shortenings

    assert shortenings("BPJS Kesehatan")[:3] == ["BPJS Kesehatan", "BPJS Kesehata.", "BPJS Kesehat."]
    assert "BPJS K." in shortenings("BPJS Kesehatan") and shortenings("Pos") == ["Pos", "Po.", "P."]
    text, size = fit_label(["Imigrasi", "Taspen"], 30.0)
    assert size == pytest.approx(MIN_TEXT) and "/" in text and text.startswith("Im") and "T" in text
    assert fit_label(["PDAM"], 40.0) == ("PDAM", 7.0)


# --- terms and bad input ------------------------------------------------------------------------

def test_one_term_for_a_counter_not_yet_allocated(demo_project, tmp_path):
    from pypdf import PdfReader

    from mpp_planner import i18n
    from mpp_planner.i18n import _

    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf(demo_project, tmp_path)).pages).split())
    assert text.count(UNALLOCATED_ID) >= 3  # recap, notes, each floor's key
    for variant in ("Belum dialokasikan", "ber-Loket", "ber-loket", "tidak terisi", "Loket kosong"):
        assert variant not in text
    assert "Instansi Berloket" in text
    i18n.set_language("id")
    try:
        assert _("Counters not yet allocated") == UNALLOCATED_ID
        assert _("{n} counter(s) not yet allocated: {labels}").startswith("{n} loket belum dialokasikan")
        assert _("Agencies with a counter") == "Instansi berloket"
        assert _("Desk area (m²)") == "Luas meja loket (m²)"
    finally:
        i18n.set_language("en")


def run(*args):
    return subprocess.run([sys.executable, "-m", "mpp_planner", "--lang", "en", *args], cwd=ROOT,
                          capture_output=True, text=True)


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_unknown_paper_is_refused_with_the_reason_and_no_file(demo_file, tmp_path, fmt):
    out = tmp_path / f"a.{fmt}"
    result = run("export", "allocations", str(demo_file), "-o", str(out), "--paper", "B5")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--paper" in result.stderr and "Unknown paper 'B5' (choose A4, F4)." in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.mpplan"]


def test_paper_names_are_read_as_the_model_reads_them(demo_file, tmp_path):
    import pdfplumber

    out = tmp_path / "a.pdf"
    result = run("export", "allocations", str(demo_file), "-o", str(out), "--paper", "folio", "--date", "2024-01-15")
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(out) as doc:
        assert doc.pages[0].width == pytest.approx(330 * MM, abs=0.5)
    result = run("export", "allocations", str(demo_file), "-o", str(tmp_path / "b.pdf"), "--decree-date", "1/2/24")
    assert result.returncode == 2 and "--decree-date must look like 2024-01-31" in result.stderr
    assert not (tmp_path / "b.pdf").exists()
