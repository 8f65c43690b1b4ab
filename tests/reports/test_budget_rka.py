"""The RKA rincian belanja form read back: PDF text (pdfplumber), XLSX formulas (openpyxl, and LibreOffice
when installed), CSV; amounts checked against totals computed here from the model, not by the report."""

import csv
import re
import shutil
import subprocess
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pdfplumber
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from mpp_planner.formats import rupiah
from mpp_planner.model import AccountCode, BudgetLine, SubActivity
from mpp_planner.model.budget_summary import code_key
from mpp_planner.reports import budget as usulan_mod
from mpp_planner.reports import budget_rka as rka
from tests.conftest import reopen

SIGNED = date(2023, 12, 15)
PROCUREMENT, MAINTENANCE = "2.18.01.2.07.0006", "2.18.01.2.09.0006"
HEADER = "Kode Rekening Uraian Koefisien Satuan Harga (Rp) PPN (Rp) Jumlah (Rp)"


def money(value: Decimal) -> str:
    return rupiah(value, symbol=False, lang="id")


def requested(project, code: str) -> list[BudgetLine]:
    """The lines of a sub kegiatan of 2024 that are requested (not rejected), straight from the model."""
    return list(project.session.scalars(
        select(BudgetLine).join(SubActivity).where(SubActivity.code == code, BudgetLine.fiscal_year == 2024,
                                                   BudgetLine.status != "rejected")))


def sub_activity(project, code: str) -> SubActivity:
    return project.session.scalar(select(SubActivity).where(SubActivity.code == code, SubActivity.fiscal_year == 2024))


def levels(lines) -> dict[str, Decimal]:
    """Every level of every code used (5, 5.2, 5.2.02, ...) -> the sum of all lines booked on it or below."""
    codes = {".".join(b.account_code.split(".")[:n]) for b in lines for n in range(1, b.account_code.count(".") + 2)}
    return {code: sum((b.amount for b in lines if b.account_code == code or b.account_code.startswith(code + ".")),
                      Decimal(0)) for code in codes}


def pdf_pages(path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() for page in pdf.pages]


def sections_of(pages: list[str]) -> dict[str, list[str]]:
    """Pages by the sub kegiatan code their footer names."""
    out: dict[str, list[str]] = {}
    for page in pages:
        code = re.search(r"RKA Rincian Belanja · (\S+) ·", page).group(1)
        out.setdefault(code, []).append(page)
    return out


def test_pdf_sections_context_hierarchy_totals_and_signature(demo_project, tmp_path):
    out = rka.write(demo_project, tmp_path / "rka.pdf", "pdf", year=2024, sign_date=SIGNED)
    sections = sections_of(pdf_pages(out))
    assert list(sections) == [PROCUREMENT, MAINTENANCE]
    names = dict(demo_project.session.execute(select(AccountCode.code, AccountCode.name)).all())
    for code, pages in sections.items():
        sub, lines = sub_activity(demo_project, code), requested(demo_project, code)
        text = "\n".join(pages)
        first = pages[0]
        # letterhead, title, context block
        assert "PEMERINTAH KOTA PROBOLINGGO" in first
        assert "RENCANA KERJA DAN ANGGARAN SATUAN KERJA PERANGKAT DAERAH\nRINCIAN BELANJA SUB KEGIATAN\n" \
               "Tahun Anggaran 2024" in first
        section_total = sum((b.amount for b in lines), Decimal(0))
        for expected in (f"Urusan Pemerintahan : 2 {sub.affair}", f"Bidang Urusan : 2.18 {sub.affair_field}",
                         f"Program : 2.18.01 {sub.program}", f"Kegiatan : {code[:12]} {sub.activity}",
                         f"Organisasi : {sub.organisation}", f"Unit : {sub.unit}",
                         f"Sub Kegiatan : {code} {sub.name}", f"Sumber Pendanaan : {sub.funding_source}",
                         f"Lokasi : {sub.location}", f"Waktu Pelaksanaan : {sub.schedule}",
                         f"Keluaran Sub Kegiatan : Tolok Ukur: {sub.output_indicator}", f"Target: {sub.output_target}",
                         f"Alokasi Tahun 2023 : Rp{money(sub.allocation_prev)}",
                         f"Alokasi Tahun 2024 : Rp{money(section_total)}",
                         f"Alokasi Tahun 2025 : Rp{money(sub.allocation_next)}"):
            assert expected in first, expected
        # the account hierarchy from 5 down to every sub rincian objek, in code order, with its subtotal
        expected_levels = levels(lines)
        assert {"5", "5.1", "5.1.02"} <= set(expected_levels)
        account_lines = [line for line in text.splitlines() if re.match(r"^5(\.\d+)* ", line)]
        printed = [line.split(" ")[0] for line in account_lines]
        assert printed == sorted(expected_levels, key=code_key)
        for line, code_ in zip(account_lines, printed):
            assert line == f"{code_} {names[code_]} {money(expected_levels[code_])}", line
        assert f"Jumlah Anggaran Sub Kegiatan {money(section_total)}" in pages[-1]
        # only this sub kegiatan's lines; item rows with coefficient, unit, price, PPN and amount
        rows = text.splitlines()
        for b in lines:  # a long coefficient wraps in its cell: the rest of the row is on the first line
            tail = f"{money(b.unit_price)} {money(b.ppn_amount) if b.ppn_applied else '-'} {money(b.amount)}"
            assert any(row.startswith(f"{b.description} {b.coefficient_text[:8]}") and row.endswith(f"{b.unit} {tail}")
                       for row in rows), b.description
        others = requested(demo_project, MAINTENANCE if code == PROCUREMENT else PROCUREMENT)
        assert not any(f"\n{b.description} {b.coefficient_text}" in text for b in others)
        # each section is its own form: its own page numbers, the header on every page, signed at the end
        for i, page in enumerate(pages, start=1):
            assert f"Halaman {i} dari {len(pages)}" in page
            assert HEADER in page
        last = pages[-1]
        assert "Probolinggo, 15 Desember 2023" in last
        assert "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu" in last
        assert "Muhammad Abas" in last and "NIP. 19680512 199403 1 007" in last
    assert "Videotron" not in "".join(p for ps in sections.values() for p in ps)  # rejected: not requested
    assert "[#] Ruang Laktasi" in "\n".join(sections[PROCUREMENT])  # the room groups (SIPD's subs_bl_teks)


def test_totals_agree_with_the_usulan_sheet(demo_project):
    form = rka.collect(demo_project, 2024)
    sheet = usulan_mod.collect(demo_project, 2024)
    assert sum((s.total for s in form.sections), Decimal(0)) == sheet.total
    assert sorted(id(b) for s in form.sections for b in s.lines) == sorted(id(b) for b in sheet.lines)
    # the same account's subtotal, summed over the sub kegiatan, is the usulan's subtotal
    for row in sheet.rows:
        if row.kind == "account":
            node = row.node
            rka_sum = sum((r.amount for s in form.sections for r in s.rows
                           if r.kind == "account" and r.code == node.code), Decimal(0))
            assert rka_sum == node.requested, node.code
    # every group's subtotal is the sum of its items
    for section in form.sections:
        for i, r in enumerate(section.rows):
            if r.kind == "group":
                items = section.rows[i + 1:r.last + 1]
                assert all(x.kind == "line" for x in items)
                assert r.amount == sum((x.amount for x in items), Decimal(0))


def test_one_sub_kegiatan_and_refusals(demo_project, tmp_path):
    out = rka.write(demo_project, tmp_path / "one.pdf", "pdf", year=2024, sub_activity=MAINTENANCE, sign_date=SIGNED)
    pages = pdf_pages(out)
    assert list(sections_of(pages)) == [MAINTENANCE]
    assert f"Halaman {len(pages)} dari {len(pages)}" in pages[-1]
    with pytest.raises(ValueError, match=r"There is no sub kegiatan 2\.18\.01\.2\.07\.0099 in 2024"):
        rka.write(demo_project, tmp_path / "x.pdf", "pdf", year=2024, sub_activity="2.18.01.2.07.0099")
    with pytest.raises(ValueError, match="There are no budget lines to request in 2031"):
        rka.write(demo_project, tmp_path / "x.pdf", "pdf", year=2031)
    with demo_project.edit():  # a sub kegiatan whose lines are all rejected has nothing to request
        for b in requested(demo_project, MAINTENANCE):
            b.status = "rejected"
    with pytest.raises(ValueError, match=r"2\.18\.01\.2\.09\.0006 has no budget lines to request in 2024"):
        rka.write(demo_project, tmp_path / "x.xlsx", "xlsx", year=2024, sub_activity=MAINTENANCE)
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "x.xlsx").exists()
    # the year still prints: the other sub kegiatan only
    out = rka.write(demo_project, tmp_path / "rest.csv", "csv", year=2024)
    assert {row["kode_sub_kegiatan"] for row in csv_rows(out)} == {PROCUREMENT}


def _missing_level_project(project):
    """A project whose line is booked on a code with levels the account list lacks (5.2.02.99 ...)."""
    from mpp_planner.demo import load_account_codes
    from tests.helpers import year_sub_activity

    with project.edit() as s:
        load_account_codes(s)
        project.site.city = "Probolinggo"
        sub = year_sub_activity(s)
        s.add(BudgetLine(fiscal_year=2024, account_code="5.2.02.99.98.0001", description="Barang <b>baru</b> & lain",
                         specification="", factors=[["3", "Unit"]], unit="Unit", unit_price=Decimal("333.33"),
                         ppn_applied=True, ppn_rate=Decimal("11"), sub_activity=sub))
        s.add(BudgetLine(fiscal_year=2024, account_code="5.2.02.05.02.0001", description="=HYPERLINK(\"x\")",
                         specification="+1 kursi", factors=[["2", "Unit"], ["1", "Paket"]], unit="Unit",
                         unit_price=Decimal("1000000"), ppn_applied=False, sub_activity=sub))
    return reopen(project)


def test_an_account_level_missing_from_the_list_still_prints(empty_project, tmp_path):
    project = _missing_level_project(empty_project)
    try:
        form = rka.collect(project, 2024, SIGNED)
        codes = [(r.code, r.name) for r in form.sections[0].rows if r.kind == "account"]
        assert ("5.2.02.99", "") in codes and ("5.2.02.99.98", "") in codes and ("5.2.02.99.98.0001", "") in codes
        assert codes[:3] == [("5", "BELANJA DAERAH"), ("5.2", "BELANJA MODAL"), ("5.2.02", "Belanja Modal Peralatan "
                                                                                           "dan Mesin")]
        text = "\n".join(pdf_pages(rka.write(project, tmp_path / "m.pdf", "pdf", year=2024, sign_date=SIGNED)))
        assert "5.2.02.99 1.109,99" in text and "5.2.02.99.98.0001 1.109,99" in text  # 999,99 + PPN 110,00
        assert "Barang <b>baru</b> & lain" in text  # printed as typed
        assert "Jumlah Anggaran Sub Kegiatan 2.001.109,99" in text
        assert "NIP." in text  # no signatory: a dotted line, nothing crashes
        rows = list(csv_rows(rka.write(project, tmp_path / "m.csv", "csv", year=2024)))
        assert any(r["kode_rekening"] == "5.2.02.99.98" and r["uraian"] == "" and r["jumlah"] == "1109.99"
                   for r in rows)
        assert any(r["uraian"] == "'=HYPERLINK(\"x\")" and r["spesifikasi"] == "'+1 kursi" for r in rows)
        ws = load_workbook(rka.write(project, tmp_path / "m.xlsx", "xlsx", year=2024))[form.sections[0].sub.code]
        texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        assert any(t.startswith("'=HYPERLINK") for t in texts)
        assert not any(t.startswith("=HYPERLINK") for t in texts)
    finally:
        project.close()


def test_long_text_wraps_inside_its_cell(demo_project, tmp_path):
    line = requested(demo_project, PROCUREMENT)[0]
    with demo_project.edit():
        line.description = "Perlengkapan " * 12 + "Ruang Laktasi dan Ruang Bermain Anak"
        line.specification = "Spesifikasi panjang " * 40
    out = rka.write(demo_project, tmp_path / "long.pdf", "pdf", year=2024, sub_activity=PROCUREMENT)
    left = rka.MARGINS_MM[0] * 72 / 25.4
    with pdfplumber.open(out) as pdf:
        width = pdf.pages[0].width - 2 * left
        uraian = (left + rka.WIDTHS[0] * width / sum(rka.WIDTHS), left + sum(rka.WIDTHS[:2]) * width / sum(rka.WIDTHS))
        words = [w for page in pdf.pages for w in page.extract_words() if w["text"] in ("Perlengkapan", "panjang")]
    assert len(words) >= 12 + 40
    assert all(uraian[0] < w["x0"] and w["x1"] < uraian[1] for w in words)


def evaluate(ws, first: int, last: int) -> dict[int, Decimal]:
    """Column I of rows first..last: ROUND and SUBTOTAL formulas computed with Decimal (half-up, as Excel)."""
    def rnd(v):
        return v.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    amounts: dict[int, Decimal] = {}
    subtotals = set()
    for r in range(first, last + 1):
        f = ws.cell(r, 9).value
        if isinstance(f, str) and f.startswith("=ROUND("):
            assert f == f"=ROUND(D{r}*F{r},2)+H{r}" and ws.cell(r, 8).value == f"=ROUND(ROUND(D{r}*F{r},2)*G{r}/100,2)"
            d, price, rate = (Decimal(str(ws.cell(r, c).value)) for c in (4, 6, 7))
            base = rnd(d * price)
            amounts[r] = base + rnd(base * rate / 100)
    for r in range(last, first - 1, -1):  # nested SUBTOTALs ignore each other
        f = ws.cell(r, 9).value
        if isinstance(f, str) and f.startswith("=SUBTOTAL"):
            a, b = map(int, re.match(r"=SUBTOTAL\(9,I(\d+):I(\d+)\)$", f).groups())
            amounts[r] = sum((amounts.get(k, Decimal(0)) for k in range(a, b + 1) if k not in subtotals), Decimal(0))
            subtotals.add(r)
    return amounts


def test_xlsx_sheets_formulas_and_print_setup(demo_project, tmp_path):
    out = rka.write(demo_project, tmp_path / "rka.xlsx", "xlsx", year=2024, sign_date=SIGNED)
    wb = load_workbook(out)
    assert wb.sheetnames == ["Ringkasan", PROCUREMENT, MAINTENANCE]
    totals = {}
    for code in (PROCUREMENT, MAINTENANCE):
        ws, lines = wb[code], requested(demo_project, code)
        head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Kode Rekening")
        assert [c.value for c in ws[head]] == ["Kode Rekening", "Uraian", "Koefisien", "Volume", "Satuan",
                                               "Harga (Rp)", "PPN (%)", "PPN (Rp)", "Jumlah (Rp)"]
        total_row = next(r for r in range(head, ws.max_row + 1)
                         if ws.cell(r, 1).value == "Jumlah Anggaran Sub Kegiatan")
        assert ws.cell(total_row, 9).value == f"=SUBTOTAL(9,I{head + 1}:I{total_row - 1})"
        amounts = evaluate(ws, head + 1, total_row)
        section_total = sum((b.amount for b in lines), Decimal(0))
        assert amounts[total_row] == section_total
        expected_levels = levels(lines)
        accounts = {ws.cell(r, 1).value: amounts[r] for r in range(head + 1, total_row) if ws.cell(r, 1).value}
        assert list(accounts) == sorted(expected_levels, key=code_key)
        assert accounts == expected_levels
        items = [r for r in range(head + 1, total_row) if str(ws.cell(r, 9).value).startswith("=ROUND(")]
        assert len(items) == len(lines)
        assert sorted(amounts[r] for r in items) == sorted(b.amount for b in lines)
        # context block: values, and Alokasi Tahun 2024 reads the total
        labels = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, head)}
        assert labels["Sub Kegiatan"] == f"{code} {sub_activity(demo_project, code).name}"
        assert labels["Alokasi Tahun 2024"] == f"=I{total_row}"
        assert labels["Alokasi Tahun 2023"] == sub_activity(demo_project, code).allocation_prev
        assert any(ws.cell(r, 6).value == "Muhammad Abas" for r in range(total_row, ws.max_row + 1))
        # set up to print
        ps = ws.page_setup
        assert ps.orientation == "landscape" and int(ps.paperSize) == 9
        assert int(ps.fitToWidth if ps.fitToWidth is not None else 1) == 1 and int(ps.fitToHeight) == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == f"${head}:${head}"
        assert ws.oddFooter.center.text == "Halaman &P dari &N"
        assert ws.cell(head + 1, 2).font.sz == 9 and ws.cell(head + 1, 2).alignment.wrap_text
        totals[code] = (total_row, section_total)
    summary = wb["Ringkasan"]
    refs = [summary.cell(r, 4).value for r in range(1, summary.max_row + 1)
            if str(summary.cell(r, 4).value).startswith("='")]
    assert refs == [f"='{code}'!I{totals[code][0]}" for code in (PROCUREMENT, MAINTENANCE)]
    assert summary.print_title_rows


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_xlsx_formulas_computed_by_libreoffice_equal_the_model(demo_project, tmp_path):
    rka.write(demo_project, tmp_path / "rka.xlsx", "xlsx", year=2024, sign_date=SIGNED)
    subprocess.run(["soffice", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1",
                    "--outdir", str(tmp_path / "lo"), str(tmp_path / "rka.xlsx")],
                   capture_output=True, timeout=180, check=True)
    grand = Decimal(0)
    for code in (PROCUREMENT, MAINTENANCE):
        with open(tmp_path / "lo" / f"rka-{code}.csv", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        section_total = sum((b.amount for b in requested(demo_project, code)), Decimal(0))
        grand += section_total
        assert [Decimal(r[8]) for r in rows if r[0] == "Jumlah Anggaran Sub Kegiatan"] == [section_total]
        assert [Decimal(r[1]) for r in rows if r[0] == "Alokasi Tahun 2024"] == [section_total]
        expected_levels = levels(requested(demo_project, code))
        assert {r[0]: Decimal(r[8]) for r in rows if r[0] in expected_levels} == expected_levels
    with open(tmp_path / "lo" / "rka-Ringkasan.csv", encoding="utf-8") as fh:
        assert [Decimal(r[3]) for r in csv.reader(fh) if r and r[0] == "Jumlah"] == [grand]


def csv_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        yield from csv.DictReader(fh)


def test_csv_one_block_per_sub_kegiatan(demo_project, tmp_path):
    rows = list(csv_rows(rka.write(demo_project, tmp_path / "rka.csv", "csv", year=2024)))
    assert list(rows[0]) == list(rka.CSV_HEADER)
    assert [r["kode_sub_kegiatan"] for r in rows] == sorted((r["kode_sub_kegiatan"] for r in rows),
                                                            key=[PROCUREMENT, MAINTENANCE].index)
    for code in (PROCUREMENT, MAINTENANCE):
        block = [r for r in rows if r["kode_sub_kegiatan"] == code]
        lines = requested(demo_project, code)
        items = [r for r in block if r["baris"] == "rincian"]
        assert sorted(Decimal(r["jumlah"]) for r in items) == sorted(b.amount for b in lines)
        assert block[-1]["baris"] == "jumlah" and Decimal(block[-1]["jumlah"]) == sum((b.amount for b in lines),
                                                                                        Decimal(0))
        accounts = {r["kode_rekening"]: Decimal(r["jumlah"]) for r in block if r["baris"] == "akun"}
        assert accounts == levels(lines)
        groups = [r for r in block if r["baris"] == "kelompok"]
        assert groups and all(r["uraian"].startswith("[#] ") for r in groups)


def test_paper_f4_and_recorded_pages(demo_project, tmp_path):
    out = rka.write(demo_project, tmp_path / "f4.pdf", "pdf", year=2024, sub_activity=MAINTENANCE, paper="F4")
    with pdfplumber.open(out) as pdf:
        assert (round(pdf.pages[0].width), round(pdf.pages[0].height)) == (935, 609)  # 330 x 215 mm
        count = len(pdf.pages)
    xlsx = rka.write(demo_project, tmp_path / "f4.xlsx", "xlsx", year=2024, paper="F4")
    assert {int(ws.page_setup.paperSize) for ws in load_workbook(xlsx).worksheets} == {14}
    with demo_project.edit():
        demo_project.site.paper = "F4"  # the project's paper is the default
    pages = usulan_mod.recorded_pages(demo_project, 2024, SIGNED, form="rka", sub_activity=MAINTENANCE)
    assert len(pages) == count and round(pages[0].width) == 935
    assert f"Halaman {count} dari {count}" in pages[-1].stream
