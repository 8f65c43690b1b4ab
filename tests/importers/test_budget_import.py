"""``import budget``: SIPD rincian files (and the request sheet's own CSV) back into a fiscal year, every row or
none, as one undo step (issue 17)."""

import csv
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from mpp_planner.commands import History
from mpp_planner.commands import budget as cmd
from mpp_planner.importers import ImportRefused
from mpp_planner.importers import budget_lines
from mpp_planner.importers.budget_lines import parse_coefficient, parse_number
from mpp_planner.project import Project
from mpp_planner.reports import budget as usulan
from mpp_planner.reports import budget_sipd
from tests.conftest import reopen
from tests.helpers import file_rows
from tests.reports.test_budget_sipd import BOOKS, FRIDGE, SERVICE, SSH, add_sample_lines

ROOT = Path(__file__).resolve().parents[2]
MAINTENANCE = "2.18.01.2.09.0006"
PROCUREMENT = "2.18.01.2.07.0006"
FURNITURE = "2.18.01.2.07.0005"  # in the nomenclature, not in the demo's 2024 budget


def snapshot(project, year=2024) -> list[tuple]:
    """What the round trip must keep of every requested line, in a stable order."""
    rows = []
    for b in cmd.lines_of_year(project, year):
        if b.status == "rejected":
            continue
        rows.append((b.sub_activity.code, b.account_code, b.description, b.specification,
                     tuple(tuple(f) for f in b.factors), b.unit, b.unit_price, b.ppn_applied, b.ppn_rate, b.room_id,
                     b.standard_price_code, b.justification, b.amount))
    return sorted(rows, key=repr)


def totals(project, year=2024) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for b in cmd.lines_of_year(project, year):
        if b.status != "rejected":
            out[b.sub_activity.code] = out.get(b.sub_activity.code, Decimal(0)) + b.amount
    out["all"] = sum(out.values(), Decimal(0))
    return out


def delete_year(project, year=2024) -> None:
    History(project).push(cmd.delete_lines([b.id for b in cmd.lines_of_year(project, year)]))


def line_count(path) -> int:
    return len(file_rows(path, "budget_line"))


def write_rows(path: Path, header, rows) -> Path:
    if path.suffix == ".xlsx":
        wb = Workbook()
        ws = wb.active
        ws.append(list(header))
        for row in rows:
            ws.append(list(row))
        wb.save(path)
    else:
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(rows)
    return path


def sipd_rows(path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


# --- the round trip ------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_sipd_export_then_import_gives_identical_lines_and_totals(demo_project, tmp_path, fmt):
    add_sample_lines(demo_project)
    before, sums = snapshot(demo_project), totals(demo_project)
    out = budget_sipd.write(demo_project, tmp_path / f"rincian.{fmt}", fmt, year=2024)
    delete_year(demo_project)
    assert cmd.lines_of_year(demo_project, 2024) == []

    plan = budget_lines.preview(demo_project, out, year=2024)
    assert plan.ok and not plan.errors and not plan.notes
    assert len(plan.lines) == len(before) and plan.total == sums["all"]
    assert {code: (s.lines, s.total, s.new) for code, s in plan.subs.items()} == {
        code: (sum(1 for r in before if r[0] == code), sums[code], False) for code in (PROCUREMENT, MAINTENANCE)}
    History(demo_project).push(budget_lines.prepare(demo_project, out, year=2024))

    demo_project = reopen(demo_project)
    assert snapshot(demo_project) == before
    assert totals(demo_project) == sums
    assert {b.status for b in cmd.lines_of_year(demo_project, 2024)} == {"requested"}  # new requests


def test_the_import_is_one_undo_step(demo_project, tmp_path):
    out = budget_sipd.write(demo_project, tmp_path / "rincian.csv", "csv", year=2024)
    delete_year(demo_project)
    history = History(demo_project)
    history.push(budget_lines.prepare(demo_project, out, year=2024))
    count = len(cmd.lines_of_year(demo_project, 2024))
    assert count == len(list(csv.reader(out.open(encoding="utf-8-sig")))) - 1
    assert history.undo()
    assert cmd.lines_of_year(demo_project, 2024) == []
    assert history.redo()
    assert len(cmd.lines_of_year(reopen(demo_project), 2024)) == count


def test_the_request_sheet_csv_imports_too(demo_project, tmp_path):
    add_sample_lines(demo_project)
    with demo_project.edit():
        next(b for b in cmd.lines_of_year(demo_project, 2024) if b.description == FRIDGE).priority = 1
    before = snapshot(demo_project)
    out = usulan.write(demo_project, tmp_path / "usulan.csv", "csv", year=2024)
    delete_year(demo_project)
    # the request CSV names no sub kegiatan: every line goes to --sub-kegiatan (else the year's first)
    History(demo_project).push(budget_lines.prepare(demo_project, out, year=2024, sub_activity=MAINTENANCE))
    demo_project = reopen(demo_project)
    after = snapshot(demo_project)
    assert {row[0] for row in after} == {MAINTENANCE}
    # SSH codes are not in the request sheet; everything else is
    assert sorted((r[1:10] + r[11:] for r in after), key=repr) == sorted((r[1:10] + r[11:] for r in before), key=repr)
    priorities = {b.description: b.priority for b in cmd.lines_of_year(demo_project, 2024)}
    assert (priorities[FRIDGE], priorities[SERVICE], priorities[BOOKS]) == (1, 2, 2)
    assert SSH not in {b.standard_price_code for b in cmd.lines_of_year(demo_project, 2024)}


def test_add_to_the_year_or_replace_its_lines(demo_project, tmp_path):
    out = budget_sipd.write(demo_project, tmp_path / "rincian.csv", "csv", year=2024, sub_activity=MAINTENANCE)
    before = snapshot(demo_project)
    count, imported = len(cmd.lines_of_year(demo_project, 2024)), sum(1 for r in before if r[0] == MAINTENANCE)
    history = History(demo_project)
    history.push(budget_lines.prepare(demo_project, out, year=2024))
    assert len(cmd.lines_of_year(demo_project, 2024)) == count + imported
    assert history.undo()
    history.push(budget_lines.prepare(demo_project, out, year=2024, replace=True))
    lines = cmd.lines_of_year(demo_project, 2024)
    assert len(lines) == imported and [b.position for b in lines] == list(range(1, imported + 1))
    assert {b.sub_activity.code for b in lines} == {MAINTENANCE}
    assert history.undo()  # one step brings the old lines back
    assert snapshot(demo_project) == before and len(cmd.lines_of_year(demo_project, 2024)) == count
    assert history.redo()
    assert len(cmd.lines_of_year(reopen(demo_project), 2024)) == imported


def test_an_unknown_year_gets_its_sub_kegiatan_from_the_nomenclature(demo_project, tmp_path):
    header, rows = sipd_rows(budget_sipd.write(demo_project, tmp_path / "r.csv", "csv", year=2024))
    i = header.index("kode_sub_kegiatan")
    for row in rows[:3]:
        row[i] = FURNITURE
    source = write_rows(tmp_path / "2025.csv", header, rows)
    plan = budget_lines.preview(demo_project, source, year=2025)
    assert plan.ok and plan.subs[FURNITURE].new and plan.subs[FURNITURE].name == "Pengadaan Mebel"
    assert plan.subs[FURNITURE].lines == 3 and plan.subs[PROCUREMENT].new  # new in 2025 too
    history = History(demo_project)
    history.push(plan.command(demo_project))
    subs = {s.code: s for s in cmd.sub_activities_of_year(demo_project, 2025)}
    assert set(subs) == {FURNITURE, PROCUREMENT, MAINTENANCE}
    assert subs[FURNITURE].program.startswith("PROGRAM PENUNJANG") and subs[FURNITURE].fiscal_year == 2025
    assert len({s.position for s in subs.values()}) == 3
    assert history.undo()
    assert cmd.sub_activities_of_year(demo_project, 2025) == [] and cmd.lines_of_year(demo_project, 2025) == []


def test_koefisien_text_indonesian_numbers_and_a_heading_that_is_no_room(demo_project, tmp_path):
    header = ["Kode Akun", "Nama Komponen", "Satuan", "Harga Satuan", "Koefisien", "Pajak", "Rincian",
              "Subs BL Teks", "Ket BL Teks"]
    rows = [["5.2.02.05.02.0001", "Kursi Lipat", "Unit", "1.250.000", "2 Unit x 1,5 Paket", "11%", "4.162.500",
             "[#] Ruang Laktasi", "Untuk ibu menyusui"],
            ["5.1.02.01.01.0024", "Kertas HVS", "Rim", "52000,50", "10 Rim", "0", "", "[#] Belanja ATK", ""]]
    source = write_rows(tmp_path / "tangan.xlsx", header, rows)
    plan = budget_lines.preview(demo_project, source, year=2024)
    assert plan.ok, plan.errors
    chair, paper = plan.lines
    assert chair.fields["factors"] == [["2", "Unit"], ["1.5", "Paket"]]
    assert chair.fields["unit_price"] == Decimal("1250000.00") and chair.fields["ppn_rate"] == Decimal("11.00")
    assert chair.amount == Decimal("4162500.00") and chair.room == "Ruang Laktasi"
    assert chair.sub_activity == PROCUREMENT  # the year's first sub kegiatan
    assert paper.fields["ppn_applied"] is False and paper.fields["unit_price"] == Decimal("52000.50")
    assert paper.fields["room_id"] is None and paper.fields["justification"] == "Kelompok: Belanja ATK"
    assert [(n.row, n.column) for n in plan.notes] == [(3, "Subs BL Teks")]
    command = plan.command(demo_project)
    assert command.warnings and "Belanja ATK" in command.warnings[0]


@pytest.mark.parametrize("text, value", [("1.234,5", "1234.5"), ("1234.5", "1234.5"), ("1.500", "1500"),
                                         ("0.125", "0.125"), ("1,5", "1.5"), ("Rp1.250.000,00", "1250000.00"),
                                         ("1,250,000.50", "1250000.50"), ("11%", "11"), ("12", "12")])
def test_numbers_in_indonesian_or_with_a_decimal_point(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["dua", "", "1.2.3", "1,2.3", "12a", "1e5"])
def test_text_is_not_a_number(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_coefficient_text():
    assert parse_coefficient("2 Unit x 12 Bulan") == [[Decimal(2), "Unit"], [Decimal(12), "Bulan"]]
    assert parse_coefficient("1,5 m2 × 3 Lapis") == [[Decimal("1.5"), "m2"], [Decimal(3), "Lapis"]]
    for bad in ("Unit", "2", "2 Unit x Bulan"):
        with pytest.raises(ValueError):
            parse_coefficient(bad)


# --- bad input: the row and the column named, nothing imported -------------------------------

def spoil(field, value, row=2):
    def change(header, rows):
        rows[row - 2][header.index(field)] = value
        return header, rows
    return change


def drop(field):
    def change(header, rows):
        i = header.index(field)
        return header[:i] + header[i + 1:], [r[:i] + r[i + 1:] for r in rows]
    return change


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("change, row, column, words", [
    (spoil("kode_sub_kegiatan", "2.18.01.2.07.9999", 4), 4, "kode_sub_kegiatan",
     "unknown sub kegiatan 2.18.01.2.07.9999"),
    (spoil("kode_sub_kegiatan", "2.18.1.07", 3), 3, "kode_sub_kegiatan", "Kepmendagri"),
    (spoil("kode_akun", "5.2.02.05.02.0999", 5), 5, "kode_akun", "not in the account code list"),
    (spoil("kode_akun", "5.2", 2), 2, "kode_akun", "does not match the pattern"),
    (spoil("vol_1", "dua", 6), 6, "vol_1", "'dua' is not a number"),
    (spoil("harga_satuan", "seribu", 7), 7, "harga_satuan", "'seribu' is not a number"),
    (spoil("rincian", "1000000", 2), 2, "rincian", "rincian 1,000,000 does not equal koefisien × harga + pajak = "),
    (spoil("sat_1", "", 9), 9, "sat_1", "needs its unit"),
    (spoil("koefisien", "9999 Bulan", 2), 2, "koefisien", "does not match the volumes"),
    (spoil("kode_standar_harga", "SSH-01!", 2), 2, "kode_standar_harga", "not an SSH code"),
    (spoil("pajak", "150", 2), 2, "pajak", "between 0 and 100"),
    (drop("harga_satuan"), 1, "", "Missing column(s): harga_satuan"),
])
def test_bad_input_is_refused_with_row_and_column_and_nothing_changes(demo_project, tmp_path, fmt, change, row,
                                                                       column, words):
    header, rows = sipd_rows(budget_sipd.write(demo_project, tmp_path / "r.csv", "csv", year=2024))
    header, rows = change(header, rows)
    source = write_rows(tmp_path / f"bad.{fmt}", header, rows)
    path, count = demo_project.path, line_count(demo_project.path)
    with pytest.raises(ImportRefused) as refused:
        budget_lines.prepare(demo_project, source, year=2024)
    errors = refused.value.errors
    assert len(errors) == 1, errors
    assert (errors[0].row, errors[0].column) == (row, column) and words in errors[0].message, errors[0]
    demo_project.close()
    assert line_count(path) == count


def test_a_rincian_that_does_not_match_names_both_amounts(demo_project, tmp_path):
    header = ["kode_akun", "nama_komponen", "satuan", "harga_satuan", "vol_1", "sat_1", "pajak", "rincian"]
    source = write_rows(tmp_path / "r.csv", header, [
        ["5.2.02.05.02.0004", "Kulkas", "Unit", "4000000", "1", "Unit", "11", "4440000,4"],  # within Rp1
        ["5.2.02.05.02.0004", "Kulkas", "Unit", "4000000", "1", "Unit", "11", "4000000"]])
    with pytest.raises(ImportRefused) as refused:
        budget_lines.prepare(demo_project, source, year=2024)
    assert [str(e) for e in refused.value.errors] == [
        "row 3, rincian: rincian 4,000,000 does not equal koefisien × harga + pajak = 4,440,000."]


def test_every_bad_row_is_told_at_once(demo_project, tmp_path):
    header, rows = sipd_rows(budget_sipd.write(demo_project, tmp_path / "r.csv", "csv", year=2024))
    rows[0][header.index("kode_akun")] = "5.2"
    rows[4][header.index("vol_1")] = "dua"
    rows[4][header.index("harga_satuan")] = "mahal"
    with pytest.raises(ImportRefused) as refused:
        budget_lines.prepare(demo_project, write_rows(tmp_path / "bad.csv", header, rows), year=2024)
    assert [(e.row, e.column) for e in refused.value.errors] == [(2, "kode_akun"), (6, "vol_1"), (6, "harga_satuan")]


@pytest.mark.parametrize("text, words", [
    ("kode,nama\n1,2\n", "No header row"),
    ("kode_akun,nama_komponen,satuan,harga_satuan,koefisien\n", "no budget lines"),
    ("kode_akun,nama_komponen,satuan\n5.2.02.05.02.0001,Kursi,Unit\n", "harga_satuan, vol_1 or koefisien"),
])
def test_file_level_refusals(demo_project, tmp_path, text, words):
    source = tmp_path / "x.csv"
    source.write_text(text, encoding="utf-8")
    with pytest.raises(ImportRefused, match=words):
        budget_lines.prepare(demo_project, source, year=2024)


def test_a_bad_sub_kegiatan_option_is_refused(demo_project, tmp_path):
    out = usulan.write(demo_project, tmp_path / "usulan.csv", "csv", year=2024)
    with pytest.raises(ImportRefused, match="unknown sub kegiatan 2.18.01.2.07.0099"):
        budget_lines.prepare(demo_project, out, year=2024, sub_activity="2.18.01.2.07.0099")


# --- the command line ------------------------------------------------------------------------

def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "mpp_planner", *args, "--lang", "en"], cwd=ROOT,
                          capture_output=True, text=True)


def test_cli_import_budget_exit_codes(demo_file, tmp_path):
    project = Project.open(demo_file)
    good = budget_sipd.write(project, tmp_path / "rincian.csv", "csv", year=2024, sub_activity=MAINTENANCE)
    header, rows = sipd_rows(good)
    rows[2][header.index("kode_akun")] = "5.2"
    bad = write_rows(tmp_path / "bad.csv", header, rows)
    project.close()
    count = line_count(demo_file)

    result = run_cli("import", "budget", str(demo_file), "--year", "2024", "--from", str(bad))
    assert result.returncode == 1
    assert "Nothing was imported" in result.stderr and "row 4, kode_akun" in result.stderr and "5.2" in result.stderr
    assert line_count(demo_file) == count

    result = run_cli("import", "budget", str(demo_file), "--year", "2024", "--from", str(good))
    assert result.returncode == 0, result.stderr
    imported = len(sipd_rows(good)[1])
    assert f"Import {imported} budget lines from rincian.csv" in result.stderr
    assert line_count(demo_file) == count + imported

    result = run_cli("import", "budget", str(demo_file), "--year", "20x4", "--from", str(good))
    assert result.returncode == 2 and "Traceback" not in result.stderr
