"""CSV delimiters are told by the header line only (issue 23): a comma file whose cells hold ";" ("A; B; C"),
a ";" file with decimal commas ("1.500.000,00"), tab and "|" files, a BOM and CRLF line ends are read alike
by every importer; a missing column is named as a user of the interface language writes it."""

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from mpp_planner import i18n
from mpp_planner.commands import History
from mpp_planner.importers import ImportRefused, accounts, agencies, budget_lines, inventory, prices, survey
from mpp_planner.importers.budget_lines import parse_number
from mpp_planner.importers.table import load_sheet, read_table, sniff_delimiter
from tests.conftest import reopen

# (id, delimiter, BOM, CRLF, quote every cell)
VARIANTS = [
    ("comma", ",", False, False, False),
    ("comma-quoted", ",", False, False, True),
    ("semicolon", ";", False, False, False),
    ("tab", "\t", False, False, False),
    ("pipe", "|", False, False, False),
    ("bom-crlf-comma", ",", True, True, False),
    ("bom-crlf-semicolon", ";", True, True, False),
]
IDS = [v[0] for v in VARIANTS]


def encode(header, rows, delimiter, bom=False, crlf=False, quote_all=False) -> bytes:
    """The file as a spreadsheet writes it: a cell is quoted only when it holds the delimiter (or a quote),
    so ";" and "," inside cells stand bare in the other delimiter's files."""
    def cell(value) -> str:
        text = str(value)
        if quote_all or delimiter in text or '"' in text:
            return '"' + text.replace('"', '""') + '"'
        return text

    eol = "\r\n" if crlf else "\n"
    text = eol.join(delimiter.join(cell(c) for c in row) for row in [header, *rows]) + eol
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def write(tmp_path, name, header, rows, variant) -> Path:
    _id, delimiter, bom, crlf, quote_all = variant
    path = tmp_path / name
    path.write_bytes(encode(header, rows, delimiter, bom, crlf, quote_all))
    return path


def write_xlsx(path, header, rows):
    wb = Workbook()
    for row in [header, *rows]:
        wb.active.append(list(row))
    wb.save(path)
    return path


# --- agencies: the issue's file -----------------------------------------------------------------

AGENCY_HEADER = ["Nama Instansi", "Singkatan", "Tingkat", "Layanan"]
AGENCY_ROWS = [
    ["Kantor Imigrasi Malang", "Imigrasi", "Vertikal", "Paspor baru; Penggantian paspor; Visa; Izin tinggal; ITAS"],
    ["UPT Samsat Probolinggo", "Samsat", "Provinsi", "PKB; BBNKB; SWDKLLJ; Mutasi; Balik nama"],
    ["Dinas Sosial", "Dinsos", "Kab/Kota", "DTKS; Bansos; KIS; PKH; Rehabilitasi sosial"],
    ["Bank Jatim", "Bank Jatim", "BUMD", "Rekening; Kredit; Pajak daerah; Retribusi; Tabungan"],
    ["BPJS Kesehatan", "BPJS Kes", "Badan Hukum Publik", "Kepesertaan; Mutasi; Klaim; Pengaduan; Kartu"],
    ["PT Taspen", "Taspen", "BUMN", "Pensiun; THT; Klaim; Otentikasi; Data peserta"],
]


@pytest.mark.parametrize("variant", VARIANTS, ids=IDS)
def test_agencies_with_semicolons_in_cells(empty_project, tmp_path, variant):
    src = write(tmp_path, "instansi.csv", AGENCY_HEADER, AGENCY_ROWS, variant)
    History(empty_project).push(agencies.prepare(empty_project, src))
    project = reopen(empty_project)
    try:
        from sqlalchemy import select

        from mpp_planner.model import Agency

        got = {a.short_name: sorted(s.name for s in a.services) for a in project.session.scalars(select(Agency))}
        assert set(got) == {row[1] for row in AGENCY_ROWS}
        assert got["Imigrasi"] == sorted(["Paspor baru", "Penggantian paspor", "Visa", "Izin tinggal", "ITAS"])
        assert all(len(services) == 5 for services in got.values())
    finally:
        project.close()


def test_the_issue_file_was_refused_by_counting_semicolons(tmp_path):
    """The file of the report: more ";" than "," in its first lines, yet a comma file."""
    src = write(tmp_path, "a.csv", AGENCY_HEADER, AGENCY_ROWS, VARIANTS[0])
    text = src.read_text(encoding="utf-8")
    assert text.count(";") > text.count(",")  # what used to decide it
    table = read_table(src, agencies.ALIASES, agencies.REQUIRED)
    assert table.delimiter == "," and len(table.rows) == 6
    assert table.rows[0][1]["services"] == AGENCY_ROWS[0][3]


def test_missing_columns_are_named_in_the_interface_language(tmp_path):
    src = tmp_path / "a.csv"
    src.write_bytes(encode(["Instansi", "Kota", "Layanan"], [["Dinas Sosial", "Probolinggo", "A; B; C"]], ","))
    with pytest.raises(ImportRefused) as info:
        read_table(src, agencies.ALIASES, agencies.REQUIRED)
    assert str(info.value) == "row 1: Missing column(s): short_name, tier. Found: Instansi, Kota, Layanan."
    i18n.set_language("id")
    try:
        with pytest.raises(ImportRefused) as info:
            read_table(src, agencies.ALIASES, agencies.REQUIRED)
        assert "Kolom tidak ada: singkatan, tingkat. Kolom yang ditemukan: Instansi, Kota, Layanan." in str(info.value)
        with pytest.raises(ImportRefused) as info:  # prices list the English key first: still "harga"
            read_table(src, prices.ALIASES, ["price"])
        assert "Kolom tidak ada: harga." in str(info.value)
    finally:
        i18n.set_language("en")


def test_unknown_headers_fall_back_to_the_sniffer_then_comma():
    def nothing(_row):
        return 0

    assert sniff_delimiter("foo;bar;baz\n1,5;2,5;3\n", nothing, rows=1) == ";"
    assert sniff_delimiter("foo\tbar\n", nothing, rows=1) == "\t"
    assert sniff_delimiter("foo\n1;2;3;4\n", nothing, rows=1) == ","
    assert sniff_delimiter("", nothing) == ","


# --- prices: decimal commas in a ";" file ---------------------------------------------------------

PRICE_HEADER = ["Kode", "Nama Barang", "Satuan", "Harga Satuan", "Spesifikasi"]
PRICE_ROWS = [["kulkas", "Lemari Es", "unit", "4.350.000,00", "2 pintu, 200 L; hemat listrik"],
              ["wastafel", "Wastafel", "unit", "3.400.000,50", "Keramik, 1 lubang; kran; sifon"]]


@pytest.mark.parametrize("variant", VARIANTS, ids=IDS)
def test_prices_with_decimal_commas_and_semicolons(demo_project, tmp_path, variant):
    plan = prices.preview(demo_project, write(tmp_path, "ssh.csv", PRICE_HEADER, PRICE_ROWS, variant))
    assert plan.ok, plan.errors
    assert [(c.key, c.new_price) for c in plan.changes] == [("kulkas", Decimal("4350000.00")),
                                                           ("wastafel", Decimal("3400000.50"))]


# --- accounts ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("variant", VARIANTS, ids=IDS)
def test_accounts(tmp_path, variant):
    rows = [["5.1.02.01.01.0024", "Belanja Alat/Bahan; Alat Tulis Kantor, revisi"],
            ["5.1.02.01.01.0025", "Belanja Alat/Bahan; Kertas dan Cover, A4; F4"]]
    got, code_header, name_header = accounts.read_rows(write(tmp_path, "akun.csv", ["Kode Rekening", "Uraian"], rows,
                                                             variant))
    assert [(code, name) for _n, code, name in got] == [tuple(r) for r in rows]
    assert (code_header, name_header) == ("Kode Rekening", "Uraian")


# --- inventory (a register with a title line) --------------------------------------------------------

@pytest.mark.parametrize("variant", VARIANTS, ids=IDS)
def test_inventory_register(tmp_path, variant):
    header = ["Ruangan", "Nama Barang", "Merk/Type", "Jumlah", "Harga Satuan", "Keterangan"]
    rows = [["Ruang Rapat", "AC Split 1,5 PK", "Daikin; FTKC35", "1", "5.250.000,00", "bocor; servis, 2024"],
            ["Mushola", "Karpet Sajadah Masjid", "-", "4", "1.500.000,00", "baru; hibah; 2023"]]
    src = write(tmp_path, "kir.csv", header, rows, variant)
    src.write_bytes(b"KARTU INVENTARIS RUANGAN\r\n" + src.read_bytes().removeprefix(b"\xef\xbb\xbf"))
    sheet, layout = inventory.read_register(src)
    assert sheet.delimiter == variant[1]
    assert layout.header_row == 2 and layout.data_rows == [3, 4]
    values = layout.values(sheet, 3)
    assert (values["name"], values["brand_model"], values["purchase_price"], values["notes"]) == (
        "AC Split 1,5 PK", "Daikin; FTKC35", "5.250.000,00", "bocor; servis, 2024")


# --- budget lines --------------------------------------------------------------------------------------

@pytest.mark.parametrize("variant", VARIANTS, ids=IDS)
def test_budget_lines(tmp_path, variant):
    header = ["kode_akun", "nama_komponen", "spek_komponen", "harga_satuan", "vol_1", "sat_1"]
    rows = [["5.1.02.01.01.0024", "Kertas HVS", "A4, 70 gram; putih", "1.500.000,00", "2,5", "Rim"],
            ["5.1.02.01.01.0025", "Map; Ordner", "Folio, biru", "25.000", "10", "Buah"]]
    table = budget_lines.read_lines(write(tmp_path, "rincian.csv", header, rows, variant))
    assert [n for n, _v in table.rows] == [2, 3]
    first = table.rows[0][1]
    assert (first["spek_komponen"], parse_number(first["harga_satuan"]), parse_number(first["vol_1"])) == (
        "A4, 70 gram; putih", Decimal("1500000.00"), Decimal("2.5"))
    assert table.rows[1][1]["nama_komponen"] == "Map; Ordner"


# --- survey forms ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("variant", VARIANTS, ids=IDS)
def test_survey_forms(demo_project, tmp_path, variant):
    header = ["No", "Tanggal", "Jenis Kelamin", *[f"U{i}" for i in range(1, 10)], "Saran"]
    rows = [["2001", "05/03/2024", "P", "4", "3", "2", "4", "3", "3", "4", "3", "2", "AC dingin; antre cepat, ramah"],
            ["2002", "06/03/2024", "L", "3", "3", "3", "4", "3", "4", "4", "3", "1", "Parkir sempit; toilet, kotor"]]
    plan = survey.preview(demo_project, write(tmp_path, "skm.csv", header, rows, variant), "2024 Semester I")
    assert plan.ok, plan.errors
    assert plan.count == 2 and plan.mapping["note"] == "Saran" and plan.mapping["u9"] == "U9"


# --- XLSX is not touched by any of this ---------------------------------------------------------------

def test_xlsx_sources_are_read_as_before(empty_project, tmp_path):
    src = write_xlsx(tmp_path / "instansi.xlsx", AGENCY_HEADER, AGENCY_ROWS)
    table = read_table(src, agencies.ALIASES, agencies.REQUIRED)
    assert table.delimiter == "" and table.encoding == "xlsx" and len(table.rows) == 6
    sheet = load_sheet(write_xlsx(tmp_path / "akun.xlsx", ["Kode", "Uraian"], [["5.1", "A; B, C"]]))
    assert sheet.delimiter == "" and sheet.rows[1] == ["5.1", "A; B, C"]
