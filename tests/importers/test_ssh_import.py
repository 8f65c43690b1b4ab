"""SIPD's SSH export as the price list: matched by code, then key, then name; codes and allowed accounts
kept; unmatched rows reported, then mapped to an item type, created, or skipped; one undo step; bad rows
refuse everything; the command line warns about what it skipped."""

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mpp_planner.commands import History
from mpp_planner.importers import ImportRefused
from mpp_planner.importers import prices
from mpp_planner.model import ItemType, ValidationError
from mpp_planner.project import Project
from tests.conftest import reopen
from tests.helpers import file_rows

ROOT = Path(__file__).resolve().parents[2]
HEADER = ("id_standar_harga,kode_standar_harga,nama_standar_harga,spek,satuan,harga,kode_kel_standar_harga,"
          "nama_kel_standar_harga,kelompok,tkdn,tahun_anggaran,kode_akun\n")
FRIDGE = "1.1.7.01.03.01.001.00012"
CHAIR = "1.1.7.01.03.02.001.00031"
STAND = "1.1.7.01.03.02.001.00077"
MODAL, GOODS = "5.2.02.05.02.0004", "5.1.02.01.01.0052"


def sipd_csv(path: Path, *rows: str) -> Path:
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


# kulkas (by name, on two rows: two accounts), kursi_lipat (by name, accounts in one cell, with their names),
# and a stand no item type matches
ROWS = (
    f"11,{FRIDGE},Lemari Es / Kulkas 2 Pintu,Kulkas 2 pintu 230 L,Unit,4350000,1.1.7.01.03.01,Alat Rumah Tangga,1,"
    f"40,2025,{MODAL}",
    f"11,{FRIDGE},Lemari Es / Kulkas 2 Pintu,Kulkas 2 pintu 230 L,Unit,4350000,1.1.7.01.03.01,Alat Rumah Tangga,1,"
    f"40,2025,{GOODS}",
    f"12,{CHAIR},Kursi Lipat Besi,,unit,375000.00,1.1.7.01.03.02,Mebel,1,0,2025,"
    "\"5.1.02.01.01.0030 Belanja Alat/Bahan untuk Kegiatan Kantor, Perabot; 5.2.02.05.01.0005\"",
    f"13,{STAND},Standing Banner Roll Up 80x200,Alumunium,buah,550000,1.1.7.01.03.02,Alat Promosi,1,0,2025,"
    "5.1.02.01.01.0024",
)


@pytest.fixture
def project(demo_project):
    """The demo with the item types these tests price carrying no SSH code nor allowed accounts yet."""
    with demo_project.edit() as s:
        for it in s.scalars(select(ItemType)):
            it.standard_price_code = ""
            it.allowed_accounts = []
    return demo_project


def item(project, key) -> ItemType:
    return project.session.scalar(select(ItemType).where(ItemType.key == key).execution_options(
        populate_existing=True))


def count(project) -> int:
    return project.session.scalar(select(func.count()).select_from(ItemType))


def test_sipd_csv_keeps_codes_and_accounts_and_reports_unmatched_rows(project, tmp_path):
    p = project
    plan = prices.preview(p, sipd_csv(tmp_path / "ssh.csv", *ROWS))
    assert plan.sipd and plan.ok and plan.year == 2025 and plan.errors == []
    assert [(c.row, c.key, c.how) for c in plan.changes] == [(2, "kulkas", "by name"), (4, "kursi_lipat", "by name")]
    fridge = plan.changes[0]
    assert fridge.fields == {"ref_price": Decimal("4350000"), "specification": "Kulkas 2 pintu 230 L",
                             "standard_price_code": FRIDGE, "allowed_accounts": [GOODS, MODAL]}
    # kursi_lipat's own account is allowed; a name after a code (even with a comma in it) is not a code
    assert plan.changes[1].fields["allowed_accounts"] == ["5.1.02.01.01.0030", "5.2.02.05.01.0005"]
    assert "account_code" not in plan.changes[1].fields
    [stand] = plan.unmatched
    assert (stand.row, stand.code, stand.name, stand.specification, stand.unit, stand.price, stand.accounts) == (
        5, STAND, "Standing Banner Roll Up 80x200", "Alumunium", "buah", Decimal("550000"), ["5.1.02.01.01.0024"])
    before = count(p)
    h = History(p)
    h.push(plan.command({}, p))  # the unmatched row skipped
    assert count(p) == before
    fridge_type = item(p, "kulkas")
    assert (fridge_type.ref_price, fridge_type.standard_price_code, fridge_type.allowed_accounts) == (
        Decimal("4350000.00"), FRIDGE, [GOODS, MODAL])
    h.undo()
    fridge_type = item(p, "kulkas")
    assert (fridge_type.ref_price, fridge_type.standard_price_code, fridge_type.allowed_accounts) == (
        Decimal("4000000.00"), "", [])
    h.redo()
    p = reopen(p)
    try:
        assert item(p, "kulkas").standard_price_code == FRIDGE
        assert item(p, "kursi_lipat").allowed_accounts == ["5.1.02.01.01.0030", "5.2.02.05.01.0005"]
        assert item(p, "kursi_lipat").ref_price == Decimal("375000.00")
    finally:
        p.close()


def test_second_import_matches_by_code_after_a_rename(project, tmp_path):
    p = project
    History(p).push(prices.prepare(p, sipd_csv(tmp_path / "ssh.csv", *ROWS[:2])))
    with p.edit():
        item(p, "kulkas").name = "Kulkas ASI ruang laktasi"  # renamed in the catalog
    again = sipd_csv(tmp_path / "ssh2.csv", f"11,{FRIDGE},Lemari Es / Kulkas 2 Pintu,,Unit,4400000,,,1,,2025,{MODAL}")
    plan = prices.preview(p, again)
    assert [(c.key, c.how, c.new_price) for c in plan.changes] == [("kulkas", "by SSH code", Decimal("4400000"))]
    assert plan.changes[0].fields == {"ref_price": Decimal("4400000"), "allowed_accounts": [MODAL]}
    History(p).push(plan.command())
    assert item(p, "kulkas").ref_price == Decimal("4400000.00")


def test_a_code_taken_by_code_is_not_given_to_a_row_of_the_same_name(project, tmp_path):
    p = project
    with p.edit():
        item(p, "kulkas").standard_price_code = FRIDGE
    plan = prices.preview(p, sipd_csv(tmp_path / "ssh.csv",
                                      f"1,1.1.9.99,Lemari Es / Kulkas 2 Pintu,,unit,10,,,1,,2025,{MODAL}",
                                      f"2,{FRIDGE},Kulkas,,unit,4100000,,,1,,2025,{MODAL}"))
    assert [(c.row, c.key, c.how) for c in plan.changes] == [(3, "kulkas", "by SSH code")]
    assert [e.row for e in plan.unmatched] == [2]


def test_the_item_types_own_account_follows_the_ssh_when_not_allowed(project, tmp_path):
    p = project
    plan = prices.preview(p, sipd_csv(tmp_path / "ssh.csv", f"11,{FRIDGE},Lemari Es / Kulkas 2 Pintu,,unit,4000000,,"
                                                            f",1,,2025,\"{GOODS}\n5.1.02.01.01.0053\""))
    assert plan.changes[0].fields["account_code"] == GOODS  # 5.2.02.05.02.0004 is not allowed any more
    assert plan.changes[0].fields["allowed_accounts"] == [GOODS, "5.1.02.01.01.0053"]


def test_sipd_xlsx_as_exported(project, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(HEADER.strip().split(","))
    ws.append([11, FRIDGE, "Lemari Es / Kulkas 2 Pintu", "", "Unit", 4350000.0, "1.1.7.01.03.01", "Alat Rumah Tangga",
               1, 40.5, 2025, f"{MODAL};{GOODS}"])
    ws.append([13, STAND, "Standing Banner Roll Up 80x200", "Alumunium", "buah", 550000, None, "Alat Promosi", 1, 0,
               2025, "5.1.02.01.01.0024\n5.1.02.01.01.0026"])
    wb.save(tmp_path / "ssh.xlsx")
    plan = prices.preview(project, tmp_path / "ssh.xlsx")
    assert plan.errors == [] and plan.changes[0].fields["allowed_accounts"] == [GOODS, MODAL]
    assert plan.unmatched[0].accounts == ["5.1.02.01.01.0024", "5.1.02.01.01.0026"]


def test_map_one_row_create_another_and_undo_restores_all(project, tmp_path):
    p = project
    rows = (*ROWS, f"14,1.1.7.01.03.01.001.00555,Dispenser Air Galon Bawah Hemat Listrik,,unit,2400000,,"
                   f"Alat Rumah Tangga,1,,2025,{MODAL}")
    plan = prices.preview(p, sipd_csv(tmp_path / "ssh.csv", *rows))
    assert [e.row for e in plan.unmatched] == [5, 6]
    dispenser = item(p, "dispenser")
    assert plan.unmatched[1].guess == dispenser.id  # "Dispenser Air Minum Galon Bawah": the closest name
    assert plan.unmatched[0].guess is None
    before, before_file = count(p), file_rows(p.path, "item_type")
    h = History(p)
    command = plan.command({5: prices.CREATE, 6: dispenser.id}, p)
    assert command.text == "Import 3 price(s) and 1 new item type(s) from ssh.csv"
    h.push(command)
    assert count(p) == before + 1
    new = item(p, "ssh_1_1_7_01_03_02_001_00077")
    assert (new.name, new.category, new.unit, new.ref_price, new.account_code, new.standard_price_code,
            new.allowed_accounts, new.specification, new.width, new.depth) == (
        "Standing Banner Roll Up 80x200", "Alat Promosi", "buah", Decimal("550000.00"), "5.1.02.01.01.0024", STAND,
        ["5.1.02.01.01.0024"], "Alumunium", 600, 600)
    dispenser = item(p, "dispenser")
    assert (dispenser.ref_price, dispenser.standard_price_code) == (Decimal("2400000.00"), "1.1.7.01.03.01.001.00555")
    h.undo()
    assert count(p) == before and item(p, "dispenser").ref_price == Decimal("2350000.00")
    # the file too: everything back (the row versions went on counting)
    assert [r[:-1] for r in file_rows(p.path, "item_type")] == [r[:-1] for r in before_file]
    h.redo()
    p = reopen(p)
    try:
        assert item(p, "ssh_1_1_7_01_03_02_001_00077").standard_price_code == STAND
        assert item(p, "dispenser").standard_price_code == "1.1.7.01.03.01.001.00555"
    finally:
        p.close()


def test_key_match_and_a_new_item_type_with_a_free_key_and_the_chosen_account(project, tmp_path):
    p = project
    with p.edit() as s:
        s.add(ItemType(key="ssh_1_1_7_01_03_02_001_00077", name="Lain", category="X", unit="unit",
                       account_code=MODAL))
        s.add(ItemType(key="banner", name="Spanduk", category="X", unit="buah", account_code=MODAL))
    # the key a code gives matches: in another unit, that is a row error as for any match
    plan = prices.preview(p, sipd_csv(tmp_path / "ssh.csv", ROWS[3]))
    assert plan.changes == [] and [(e.row, e.column) for e in plan.errors] == [(2, "satuan")]
    plan = prices.preview(p, sipd_csv(tmp_path / "ssh.csv", ROWS[3].replace("buah", "unit")))
    assert [(c.key, c.how) for c in plan.changes] == [("ssh_1_1_7_01_03_02_001_00077", "by key")]
    # a row without a code: its key comes from its name, kept apart from the keys in use
    plan = prices.preview(p, sipd_csv(tmp_path / "ssh2.csv", "13,,Banner,,buah,1,,,1,,2025,"))
    assert [e.row for e in plan.unmatched] == [2]
    with pytest.raises(ImportRefused) as info:
        plan.command({2: prices.CREATE}, p)
    assert info.value.errors[0].row == 2 and "names no account" in info.value.errors[0].message
    History(p).push(plan.command({2: prices.Create("5.1.02.01.01.0024")}, p))
    made = item(p, "banner_2")
    assert (made.name, made.account_code, made.allowed_accounts, made.category, made.standard_price_code) == (
        "Banner", "5.1.02.01.01.0024", [], "SSH", "")


def test_a_mapping_that_cannot_be_done_names_the_row(project, tmp_path):
    p = project
    plan = prices.preview(p, sipd_csv(tmp_path / "ssh.csv", *ROWS))
    fridge, wastafel = item(p, "kulkas"), item(p, "wastafel")
    with pytest.raises(ImportRefused) as info:
        plan.command({5: fridge.id}, p)  # already priced by row 2, and counted in 'unit'
    assert info.value.errors[0].row == 5 and "row 2" in info.value.errors[0].message
    with pytest.raises(ImportRefused) as info:
        plan.command({5: wastafel.id}, p)
    assert (info.value.errors[0].column, info.value.errors[0].row) == ("satuan", 5)
    assert "per 'buah'" in info.value.errors[0].message
    with pytest.raises(ValueError):
        plan.command({2: prices.CREATE}, p)  # row 2 is matched, not unmatched
    assert item(p, "kulkas").ref_price == Decimal("4000000.00")


def test_bad_rows_refuse_everything(project, tmp_path):
    p = project
    src = sipd_csv(tmp_path / "ssh.csv", *ROWS,
                   f"15,{FRIDGE},Lemari Es / Kulkas 2 Pintu,,Unit,4500000,,,1,,2025,{MODAL}",  # another price
                   "16,1.1..7,Meja,,unit,100,,,1,,2025,5.1.02.01.01.0024",  # not an SSH code
                   "17,1.1.9.1,Meja,,unit,banyak,,,1,,2025,5.1.02.01.01.0024",  # not a price
                   "18,1.1.9.2,Meja,,unit,100,,,1,,2025,5.1.2.01",  # not an account code
                   "19,1.1.9.3,Meja,,unit,100,,,1,,2025,Belanja Modal",  # no account code
                   "20,1.1.9.4,Meja,,unit,100,,,1,,dua ribu,5.1.02.01.01.0024",  # not a year
                   "21,,,,unit,100,,,1,,2025,")  # neither code nor name
    with pytest.raises(ImportRefused) as info:
        prices.prepare(p, src)
    by_row = {e.row: e for e in info.value.errors}
    assert set(by_row) == {6, 7, 8, 9, 10, 11, 12}
    assert by_row[6].column == "harga" and "row 2" in by_row[6].message
    assert by_row[7].column == "kode_standar_harga" and "not an SSH code" in by_row[7].message
    assert by_row[8].column == "harga" and "not a price" in by_row[8].message
    assert by_row[9].column == "kode_akun" and "5.1.2.01" in by_row[9].message
    assert by_row[10].column == "kode_akun" and "no account code" in by_row[10].message
    assert by_row[11].column == "tahun_anggaran"
    assert "neither" in by_row[12].message
    assert item(p, "kulkas").ref_price == Decimal("4000000.00") and item(p, "kulkas").standard_price_code == ""


def test_several_years_and_unit_mismatch_refuse(project, tmp_path):
    plan = prices.preview(project, sipd_csv(tmp_path / "ssh.csv", ROWS[0], ROWS[2].replace(",2025,", ",2024,")))
    assert any(e.column == "tahun_anggaran" and "2024, 2025" in e.message for e in plan.errors)
    plan = prices.preview(project, sipd_csv(tmp_path / "ssh.csv", ROWS[0].replace(",Unit,", ",m2,")))
    assert [(e.row, e.column) for e in plan.errors] == [(2, "satuan")]
    assert "per 'm2'" in plan.errors[0].message


@pytest.mark.parametrize("text, codes", [
    ("5.1.02.01.01.0024", ["5.1.02.01.01.0024"]),
    ("5.1.02.01.01.0024; 5.2.02.05.02.0001,5.1.02.01.01.0024", ["5.1.02.01.01.0024", "5.2.02.05.02.0001"]),
    ("5.1.02.01.01.0024 Belanja Alat Tulis, Kantor\n5.1.02.01.01.0026 - Kertas", ["5.1.02.01.01.0024",
                                                                                  "5.1.02.01.01.0026"]),
    ("", []),
])
def test_parse_accounts(text, codes):
    assert prices.parse_accounts(text) == codes


@pytest.mark.parametrize("text, error", [("Belanja Modal", ValueError), ("5.1.2", ValidationError),
                                         ("5.1.02x", ValidationError)])
def test_parse_accounts_refuses(text, error):
    with pytest.raises(error):
        prices.parse_accounts(text)


# --- the command line ----------------------------------------------------------------------------

def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "mpp_planner", *args, "--lang", "en"], cwd=ROOT,
                          capture_output=True, text=True)


def clear_codes(path):
    project = Project.open(path)
    try:
        with project.edit() as s:
            for it in s.scalars(select(ItemType)):
                it.standard_price_code, it.allowed_accounts = "", []
    finally:
        project.close()


def test_cli_skips_unmatched_rows_with_a_warning_or_creates_them(demo_file, tmp_path):
    clear_codes(demo_file)
    src = sipd_csv(tmp_path / "ssh.csv", *ROWS)
    result = run_cli("import", "prices", str(demo_file), "--from", str(src))
    assert result.returncode == 0, result.stderr
    assert "Import 2 price(s) from ssh.csv" in result.stderr
    assert "Warning: 1 SSH row(s) match no catalog item" in result.stderr
    assert f"Warning: row 5: {STAND} 'Standing Banner Roll Up 80x200' (buah, Rp550,000)" in result.stderr
    names = [row[2] for row in file_rows(demo_file, "item_type")]
    assert "Standing Banner Roll Up 80x200" not in names
    result = run_cli("import", "prices", str(demo_file), "--from", str(src), "--create-unmatched")
    assert result.returncode == 0, result.stderr
    assert "Import 0 price(s) and 1 new item type(s) from ssh.csv" in result.stderr and "Warning" not in result.stderr
    project = Project.open(demo_file, readonly=True)
    try:
        assert item(project, "ssh_1_1_7_01_03_02_001_00077").name == "Standing Banner Roll Up 80x200"
        assert item(project, "kulkas").allowed_accounts == [GOODS, MODAL]
    finally:
        project.close()


def test_cli_nothing_matched_is_a_refusal(demo_file, tmp_path):
    src = sipd_csv(tmp_path / "ssh.csv", ROWS[3])
    result = run_cli("import", "prices", str(demo_file), "--from", str(src))
    assert result.returncode == 1
    assert "Nothing was imported" in result.stderr and "row 5" not in result.stderr and "row 2" in result.stderr
    assert "--create-unmatched" in result.stderr
