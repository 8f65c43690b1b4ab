"""Imports: read_table takes any file and either returns a Table or refuses it with ImportRefused.
Exports: text that a spreadsheet would run as a formula is neutralised in CSV and XLSX."""

import csv
import io
import zipfile
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mpp_planner.importers import ImportRefused, Table, read_table
from mpp_planner.reports.output import neutralise, write_csv, xlsx_append, xlsx_safe

ALIASES = {"name": ["nama", "nama instansi"], "short_name": ["singkatan"], "price": ["harga", "harga satuan"]}
REQUIRED = ["name"]
STATS = {"read_table": 0}
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def attempt(path, aliases=ALIASES, required=REQUIRED):
    STATS["read_table"] += 1
    try:
        table = read_table(path, aliases, required)
    except ImportRefused as refused:
        assert refused.errors and all(str(e) for e in refused.errors)
        return None
    assert isinstance(table, Table)
    return table


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".txt", ".xlsx", ".xlsm", ".ods", ""]))
def test_random_bytes_are_read_or_refused(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("rb") / f"data{suffix}"
    path.write_bytes(data)
    attempt(path)


@FUZZ
@given(text=st.text(max_size=2000), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_random_text_in_any_encoding_is_read_or_refused(tmp_path_factory, text, encoding):
    path = tmp_path_factory.mktemp("rt") / "data.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    attempt(path)


@FUZZ
@given(header=st.lists(st.text(max_size=30), min_size=1, max_size=6),
       rows=st.lists(st.lists(st.text(max_size=20), max_size=7), max_size=6),
       delimiter=st.sampled_from([",", ";"]))
def test_random_headers_are_mapped_or_the_missing_column_is_named(tmp_path_factory, header, rows, delimiter):
    path = tmp_path_factory.mktemp("rh") / "data.csv"
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode("utf-8"))
    table = attempt(path)
    if table is not None:
        assert set(table.columns) <= set(ALIASES)


CELL_ALPHABET = st.characters(codec="cp1252", exclude_characters=",;\x00", exclude_categories=("Cs",))
CELL = st.text(CELL_ALPHABET, max_size=15)
HEADER_NAME = {"name": ["name", "Nama", "NAMA INSTANSI", " nama  instansi "],
               "short_name": ["short_name", "Singkatan"], "price": ["Harga Satuan", "price", "harga"]}


@FUZZ
@given(columns=st.permutations(["name", "short_name", "price"]), spelling=st.data(),
       rows=st.lists(st.tuples(CELL, CELL, CELL), min_size=1, max_size=8),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]), delimiter=st.sampled_from([",", ";"]),
       newline=st.sampled_from(["\n", "\r\n", "\r"]))
def test_well_formed_csv_reads_back_exactly_in_each_encoding(tmp_path_factory, columns, spelling, rows, encoding,
                                                             delimiter, newline):
    header = [spelling.draw(st.sampled_from(HEADER_NAME[c])) for c in columns]
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    assume(rows)
    buf = io.StringIO()
    # the csv module quotes only the line terminator's own characters; quote all so a stray CR is kept
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=newline, quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    writer.writerows(rows)
    data = buf.getvalue().encode(encoding)
    if encoding == "cp1252" and not data.isascii():
        try:
            data.decode("utf-8")
            assume(False)  # bytes that are also valid UTF-8 are read as UTF-8, by design
        except UnicodeDecodeError:
            pass
    path = tmp_path_factory.mktemp("wf") / "data.csv"
    path.write_bytes(data)
    table = attempt(path)
    assert table is not None
    assert table.encoding == ("cp1252" if encoding == "cp1252" and not data.isascii() else "utf-8-sig")
    got = [tuple(values[c] for c in columns) for _n, values in table.rows]
    assert got == [tuple(cell.strip() for cell in r) for r in rows]


XLSX_VALUE = st.one_of(st.none(), st.text(max_size=20), st.integers(-10 ** 9, 10 ** 9), st.booleans(),
                       st.floats(allow_nan=False, allow_infinity=False, width=32),
                       st.dates(min_value=date(1901, 1, 1), max_value=date(2100, 1, 1)),
                       st.datetimes(min_value=datetime(1901, 1, 1), max_value=datetime(2100, 1, 1)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.lists(st.sampled_from(["Nama", "Singkatan", "Harga", "lain", ""]), min_size=1, max_size=4),
       rows=st.lists(st.lists(XLSX_VALUE, max_size=5), max_size=5))
def test_random_spreadsheets_are_read_or_refused(tmp_path_factory, header, rows):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    xlsx_append(ws, header)
    for r in rows:
        xlsx_append(ws, r)
    path = tmp_path_factory.mktemp("xl") / "data.xlsx"
    wb.save(path)
    table = attempt(path)
    if "Nama" in header:
        assert table is not None


@pytest.mark.parametrize("data, words", [
    (b'nama\n"' + b"x" * 200_000 + b'"\n', "cannot be read"),  # a cell beyond the csv module's limit
    (b"\x00\x01\x02nama", "not a text"),
    (b"", "empty"),
    (b"\n\n  \n", "empty"),
    (b"instansi,kota\nA,B\n", "Missing column(s): name"),
])
def test_refusals_name_the_problem(tmp_path, data, words):
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    with pytest.raises(ImportRefused) as err:
        read_table(path, ALIASES, REQUIRED)
    assert words in str(err.value)


def test_old_mac_line_endings_and_quoted_line_breaks(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b'nama;singkatan\r"Dinas\rSosial";Dinsos\rBPJS;BPJS\r')
    table = read_table(path, ALIASES, REQUIRED)
    assert [v["name"] for _n, v in table.rows] == ["Dinas\rSosial", "BPJS"]


def test_report_read_table_examples(capsys):
    with capsys.disabled():
        print(f"\n[import fuzz] read_table tried on {STATS['read_table']} generated files")


# --- exports -------------------------------------------------------------------------------------

FORMULAS = ["=1+2", "+62 812", "-5", "@SUM(A1:A9)", "\t=cmd", "\r=x", "=HYPERLINK(\"http://x\")"]


def test_csv_neutralises_formula_cells(tmp_path):
    out = write_csv(tmp_path / "x.csv", ["=judul", "b"], [[f, 5] for f in FORMULAS] + [["biasa", -5]])
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["'=judul", "b"]
    assert [r[0] for r in rows[1:-1]] == ["'" + f for f in FORMULAS]
    assert rows[-1] == ["biasa", "-5"]  # numbers stay numbers
    for r in rows:
        assert not r[0].startswith(("=", "+", "-", "@", "\t", "\r"))


@given(st.text(max_size=30))
def test_neutralise_never_leaves_a_formula_start(text):
    out = neutralise(text)
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert out == text or out == "'" + text


def test_xlsx_safe_stores_formula_like_text_as_neutral_strings(tmp_path):
    from openpyxl import Workbook, load_workbook

    wb = Workbook()
    ws = wb.active
    xlsx_append(ws, FORMULAS)
    xlsx_append(ws, [5, 2.5, None, date(2024, 1, 2), "teks", "a\x01b\x1fc"])
    cell = xlsx_safe(ws.cell(row=3, column=1), "=1/0")
    assert (cell.value, cell.data_type) == ("'=1/0", "s")
    path = tmp_path / "x.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet  # no formula anywhere in the file
    back = load_workbook(path).active
    assert [c.value for c in back[1]] == ["'" + f.replace("\r", "\n") for f in FORMULAS]  # XML reads CR as LF
    assert all(c.data_type == "s" for c in back[1])
    assert [c.value for c in back[2]][:2] == [5, 2.5] and back.cell(2, 6).value == "abc"
