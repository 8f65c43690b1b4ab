"""SSH price lists and KIR spreadsheets: matched by key or name, all rows or none, one undo step."""

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mpp_planner.commands import History
from mpp_planner.importers import ImportRefused
from mpp_planner.importers import inventory as inventory_import
from mpp_planner.importers import prices
from mpp_planner.model import InventoryItem, ItemType
from tests.conftest import reopen

ROOT = Path(__file__).resolve().parents[2]


def price_of(project, key) -> Decimal:
    return project.session.scalar(select(ItemType.ref_price).where(ItemType.key == key))


def write(path: Path, text: str, encoding="utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


@pytest.mark.parametrize("text, expected", [
    ("Rp1.250.000", "1250000"), ("1.250.000,00", "1250000.00"), ("1,250,000.50", "1250000.50"),
    ("1250000", "1250000"), ("  Rp 4.000.000 ", "4000000"), ("12,5", "12.5"), ("12.5", "12.5"),
    ("1250000.5", "1250000.5"),
])
def test_parse_price(text, expected):
    assert prices.parse_price(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "1.2.3,4,5", "Rp", "inf"])
def test_parse_price_refuses(text):
    with pytest.raises(ValueError):
        prices.parse_price(text)


def test_indonesian_csv_by_key_is_one_undoable_step(demo_project, tmp_path):
    p = demo_project
    src = write(tmp_path / "ssh.csv", "Kode;Nama Barang;Satuan;Harga Satuan\n"
                                       "kulkas;Lemari Es;unit;Rp4.350.000\n"
                                       "wastafel;Wastafel;Unit;3.400.000,00\n")
    plan = prices.preview(p, src)
    assert plan.ok and [c.key for c in plan.changes] == ["kulkas", "wastafel"]
    assert plan.changes[0].old_price == Decimal("4000000.00") and plan.changes[0].new_price == Decimal("4350000")
    h = History(p)
    h.push(prices.prepare(p, src))
    assert (price_of(p, "kulkas"), price_of(p, "wastafel")) == (Decimal("4350000.00"), Decimal("3400000.00"))
    h.undo()
    assert (price_of(p, "kulkas"), price_of(p, "wastafel")) == (Decimal("4000000.00"), Decimal("3250000.00"))
    h.redo()
    p = reopen(p)
    assert price_of(p, "kulkas") == Decimal("4350000.00")
    p.close()


def test_english_xlsx_by_name(demo_project, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Name", "Unit", "Price", "Specification"])
    ws.append(["  lemari es / KULKAS 2 pintu ", "unit", 4100000, "Kulkas 2 pintu 200 L"])
    ws.append([None, None, None, None])
    ws.append(["AC Split 2 PK", "unit", 8999999.5, None])
    wb.save(tmp_path / "ssh.xlsx")
    p = demo_project
    History(p).push(prices.prepare(p, tmp_path / "ssh.xlsx"))
    assert price_of(p, "kulkas") == Decimal("4100000.00")
    assert price_of(p, "ac_split_2pk") == Decimal("8999999.50")
    assert p.session.scalar(select(ItemType.specification).where(ItemType.key == "kulkas")) == "Kulkas 2 pintu 200 L"


def test_bad_rows_refuse_the_whole_list(demo_project, tmp_path):
    p = demo_project
    src = write(tmp_path / "ssh.csv", "kode,harga,satuan\n"
                                       "kulkas,4350000,unit\n"
                                       "kulkas_3_pintu,9000000,unit\n"
                                       "wastafel,-5,unit\n"
                                       "kasur_bayi,1500000,set\n"
                                       "dispenser,banyak,unit\n"
                                       "kulkas,4400000,unit\n")
    with pytest.raises(ImportRefused) as info:
        prices.prepare(p, src)
    by_row = {e.row: e for e in info.value.errors}
    assert set(by_row) == {3, 4, 5, 6, 7}
    assert "unknown item type 'kulkas_3_pintu'" in str(by_row[3])
    assert "negative" in by_row[4].message
    assert "per 'set'" in by_row[5].message
    assert "not a price" in by_row[6].message
    assert "row 2" in by_row[7].message
    assert price_of(p, "kulkas") == Decimal("4000000.00")  # nothing imported


def test_missing_columns(demo_project, tmp_path):
    with pytest.raises(ImportRefused, match="Missing column"):
        prices.prepare(demo_project, write(tmp_path / "a.csv", "kode,satuan\nkulkas,unit\n"))
    with pytest.raises(ImportRefused, match="key column"):
        prices.prepare(demo_project, write(tmp_path / "b.csv", "satuan,harga\nunit,5\n"))



def test_simple_list_keeps_its_rules_beside_the_sipd_shape(demo_project, tmp_path):
    """A list without SIPD's columns is read as before: an unknown key is a row error (not an unmatched row);
    ``spek`` and ``kode_akun`` are read as the specification and the item type's own account."""
    p = demo_project
    src = write(tmp_path / "ssh.csv", "kode,harga,spek,kode_akun\n"
                                       "kulkas,4350000,Kulkas 2 pintu 230 L,5.2.02.05.02.0004\n"
                                       "wastafel,3250000,,5.1.02.01.01.0052\n")
    allowed = p.session.scalar(select(ItemType.allowed_accounts).where(ItemType.key == "wastafel"))
    plan = prices.preview(p, src)
    assert not plan.sipd and plan.unmatched == [] and plan.errors == []
    assert plan.changes[0].fields == {"ref_price": Decimal("4350000"), "specification": "Kulkas 2 pintu 230 L"}
    assert plan.changes[1].fields == {"account_code": "5.1.02.01.01.0052"}
    command = plan.command()
    assert command.warnings == [] and command.text == "Import 2 price(s) from ssh.csv"
    History(p).push(command)
    assert p.session.scalar(select(ItemType.account_code).where(ItemType.key == "wastafel")) == "5.1.02.01.01.0052"
    assert p.session.scalar(select(ItemType.allowed_accounts).where(ItemType.key == "wastafel")) == allowed
    with pytest.raises(ImportRefused, match="unknown item type 'kulkas_mini'"):
        prices.prepare(p, write(tmp_path / "bad.csv", "kode,harga\nkulkas_mini,1\n"))


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "mpp_planner", *args, "--lang", "en"], cwd=ROOT,
                          capture_output=True, text=True)


def test_cli_import_prices_exit_codes(demo_file, tmp_path):
    good = write(tmp_path / "good.csv", "kode,harga\nkulkas,4350000\n")
    bad = write(tmp_path / "bad.csv", "kode,harga\nkulkas,4350000\ntidak_ada,1\n")
    result = run_cli("import", "prices", str(demo_file), "--from", str(bad))
    assert result.returncode == 1
    assert "Nothing was imported" in result.stderr and "row 3" in result.stderr and "tidak_ada" in result.stderr
    result = run_cli("import", "prices", str(demo_file), "--from", str(tmp_path / "missing.csv"))
    assert result.returncode == 2 and "does not exist" in result.stderr  # cannot run: exit 2 (issue 23)
    result = run_cli("import", "prices", str(tmp_path / "nope.mpplan"), "--from", str(good))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    result = run_cli("import", "prices", str(demo_file), "--from", str(good))
    assert result.returncode == 0, result.stderr
    from mpp_planner.project import Project

    p = Project.open(demo_file, readonly=True)
    try:
        assert price_of(p, "kulkas") == Decimal("4350000.00")
    finally:
        p.close()


# --- KIR spreadsheets -----------------------------------------------------------------------

def items(project) -> int:
    return project.session.scalar(select(func.count()).select_from(InventoryItem))


def test_inventory_import_adds_all_rows(demo_project, tmp_path):
    p = demo_project
    before = items(p)
    src = write(tmp_path / "kir.csv",
                "Lantai;Ruangan;Nama Barang;Jumlah;Keadaan;Merk/Model;Tahun;Harga Beli;Keterangan\n"
                "Lantai 1;Ruang Laktasi;Lemari Es / Kulkas 2 Pintu;1;Baik;Sharp SJ-195;2024;3.950.000;Hibah\n"
                "Lantai 1;Mushola;Karpet Sajadah Masjid;12,5;KB;;2020;;\n")
    h = History(p)
    h.push(inventory_import.prepare(p, src))
    assert items(p) == before + 2
    fridge = p.session.scalar(select(InventoryItem).where(InventoryItem.brand_model == "Sharp SJ-195"))
    assert (fridge.room.name, fridge.condition, fridge.year, fridge.purchase_price) == (
        "Ruang Laktasi", "B", 2024, Decimal("3950000.00"))
    h.undo()
    assert items(p) == before


def test_inventory_import_refuses_unknown_rooms_types_and_fractions(demo_project, tmp_path):
    p = demo_project
    before = items(p)
    src = write(tmp_path / "kir.csv",
                "ruangan,kode,jumlah,kondisi\n"
                "Ruang Laktasi,kulkas,1,B\n"
                "Ruang Menyusui,kulkas,1,B\n"
                "Ruang Laktasi,kulkas_mini,1,B\n"
                "Ruang Laktasi,kulkas,1.5,B\n"
                "Ruang Laktasi,kulkas,-2,B\n"
                "Ruang Laktasi,kulkas,1,rusak sedikit\n"
                "Gudang Lt. 1,kulkas,1,B\n")
    with pytest.raises(ImportRefused) as info:
        inventory_import.prepare(p, src)
    by_row = {e.row: e.message for e in info.value.errors}
    assert set(by_row) == {3, 4, 5, 6, 7}
    assert "unknown room 'Ruang Menyusui'" in by_row[3]
    assert "unknown item type 'kulkas_mini'" in by_row[4]
    assert "whole number" in by_row[5]
    assert "negative" in by_row[6]
    assert "rusak sedikit" in by_row[7]
    assert items(p) == before


def test_cli_import_inventory_refused_changes_nothing(demo_file, tmp_path):
    import sqlite3

    src = write(tmp_path / "kir.csv", "ruangan,kode,jumlah\nRuang Laktasi,kulkas,1\nRuang X,kulkas,1\n")

    def rows():
        con = sqlite3.connect(demo_file)
        try:
            return con.execute("SELECT * FROM inventory_item ORDER BY id").fetchall()
        finally:
            con.close()

    before = rows()
    result = run_cli("import", "inventory", str(demo_file), "--from", str(src))
    assert result.returncode == 1 and "unknown room 'Ruang X'" in result.stderr
    assert rows() == before
