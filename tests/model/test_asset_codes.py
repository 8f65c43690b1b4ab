"""The kode barang list (Permendagri 108/2016) in resources/asset_codes.csv: every code has the
regulation's shape at its level and hangs under listed parents, the forms get the full codes, and the
catalog's codes (and a new project's, loaded from catalog.csv) are listed ones."""

import csv
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from mpp_planner import seed
from mpp_planner.model import ItemType, ValidationError, asset_codes
from mpp_planner.model.site import ASSET_CODE_RE
from mpp_planner.resources_path import resource

#: digits per dotted group: akun, kelompok, jenis, objek, rincian objek, sub rincian objek, sub-sub rincian objek
GROUP_DIGITS = (1, 1, 1, 2, 2, 2, 3)


def level_pattern(level: int) -> re.Pattern:
    return re.compile(r"^" + r"\.".join(rf"\d{{{n}}}" for n in GROUP_DIGITS[:level]) + r"$")


def csv_rows(name: str) -> list[dict[str, str]]:
    with open(resource(name), newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def test_every_code_has_the_shape_of_its_level_and_a_name():
    rows = csv_rows("asset_codes.csv")
    assert len(rows) == len(asset_codes.entries()) > 100  # no code twice (the dict would hide it)
    for row in rows:
        code, name = row["code"].strip(), row["name"].strip()
        level = code.count(".") + 1
        assert 1 <= level <= 7, code
        assert level_pattern(level).match(code), f"{code} is not a level-{level} kode barang"
        assert name and name == row["name"], code  # named, no stray spaces
        entry = asset_codes.entries()[code]
        assert entry.level == level and entry.full == (level == 7) == bool(ASSET_CODE_RE.match(code))


def test_every_code_hangs_under_listed_parents():
    known = asset_codes.entries()
    for code in known:
        for parent in asset_codes.parent_codes(code):
            assert parent in known, f"{code}: its parent {parent} is not listed"
    # the heads the brief names, with the regulation's names
    assert known["1.3.2"].name == "PERALATAN DAN MESIN"
    assert known["1.3.2.05"].name == "ALAT KANTOR DAN RUMAH TANGGA"
    assert known["1.3.2.05.01"].name == "ALAT KANTOR" and known["1.3.2.05.02"].name == "ALAT RUMAH TANGGA"
    assert known["1.3.2.10"].name == "KOMPUTER" and known["1.3.3"].name == "GEDUNG DAN BANGUNAN"


@pytest.mark.parametrize("code, name", [
    ("1.3.2.05.01.04.001", "Lemari Besi/Metal"), ("1.3.2.05.01.04.005", "Filling Cabinet Besi"),
    ("1.3.2.05.01.05.002", "CCTV - Camera Control Television System"), ("1.3.2.05.01.05.075", "Mesin Antrian"),
    ("1.3.2.05.01.05.043", "LCD Projector/Infocus"), ("1.3.2.05.02.01.048", "Sofa"),
    ("1.3.2.05.02.04.004", "AC Split"), ("1.3.2.05.02.04.001", "Lemari Es"), ("1.3.2.05.02.06.038", "Dispenser"),
    ("1.3.2.05.02.06.002", "Televisi"), ("1.3.2.05.02.07.001", "Alat Pemadam/Portable"),
    ("1.3.2.10.01.02.001", "PC Unit"), ("1.3.2.10.01.02.002", "Laptop"), ("1.3.2.10.02.03.002", "Monitor"),
    ("1.3.2.10.02.03.003", "Printer (Peralatan Personal Komputer)"),
    ("1.3.3.01.01.01.001", "Bangunan Gedung Kantor Permanen"),
])
def test_the_codes_an_mpp_uses_are_listed_with_the_regulations_names(code, name):
    assert asset_codes.name_of(code) == name
    assert asset_codes.name_of(f" {code} ") == name


def test_choices_are_the_full_codes_in_code_order():
    choices = asset_codes.choices()
    assert choices and all(c.full for c in choices)
    assert len(choices) == sum(1 for e in asset_codes.entries().values() if e.full)
    keys = [[int(p) for p in c.code.split(".")] for c in choices]
    assert keys == sorted(keys)
    lemari = next(c for c in choices if c.code == "1.3.2.05.01.04.001")
    assert lemari.label == "1.3.2.05.01.04.001 — Lemari Besi/Metal"
    assert asset_codes.code_of(lemari.label) == "1.3.2.05.01.04.001" == asset_codes.code_of(" 1.3.2.05.01.04.001 ")
    assert asset_codes.name_of("1.3.2.05.01.04.999") == "" and asset_codes.name_of("") == ""


def test_every_catalog_asset_code_is_a_listed_full_code():
    rows = csv_rows("catalog.csv")
    given = {row["key"]: (row.get("asset_code") or "").strip() for row in rows}
    known = asset_codes.entries()
    for key, code in given.items():
        if code:  # the column and its values may come later; each value present must be a listed item code
            assert ASSET_CODE_RE.match(code) and code in known, f"catalog item {key}: kode barang {code}"


def test_a_new_project_takes_the_catalogs_codes(tmp_path, monkeypatch):
    """load_catalog reads the optional standard_price_code and asset_code columns (absent: empty)."""
    catalog = tmp_path / "catalog.csv"
    catalog.write_text(
        "key,name,category,unit,ref_price,account_code,standard_price_code,asset_code,specification,tags\n"
        "lemari,Lemari Arsip,Penunjang,unit,2500000,5.2.02.05.01.0005,1.1.7.01.03.01.001.00012,"
        "1.3.2.05.01.04.001,,\n"
        "kursi,Kursi Lipat,Penunjang,unit,300000,5.2.02.05.02.0001,,,,\n", encoding="utf-8")
    real = seed.resource
    monkeypatch.setattr(seed, "resource", lambda name: catalog if name == "catalog.csv" else real(name))
    project = seed.new_project(tmp_path / "baru.mpplan", name="MPP Baru")
    try:
        types = {t.key: t for t in project.all(ItemType)}
        assert (types["lemari"].asset_code, types["lemari"].standard_price_code) == (
            "1.3.2.05.01.04.001", "1.1.7.01.03.01.001.00012")
        assert (types["kursi"].asset_code, types["kursi"].standard_price_code) == ("", "")
    finally:
        project.close()
    # a catalog without the columns (as before schema 0004) still loads
    catalog.write_text("key,name,category,unit,ref_price,account_code\n"
                       "meja,Meja,Penunjang,unit,1000000,5.2.02.05.02.0001\n", encoding="utf-8")
    project = seed.new_project(tmp_path / "lama.mpplan", name="MPP Lama")
    try:
        [meja] = project.all(ItemType)
        assert (meja.asset_code, meja.standard_price_code, meja.ref_price) == ("", "", Decimal("1000000"))
    finally:
        project.close()


def test_a_bad_code_in_the_catalog_file_refuses_the_new_project(tmp_path, monkeypatch):
    catalog = tmp_path / "catalog.csv"
    catalog.write_text("key,name,category,unit,ref_price,account_code,asset_code\n"
                       "meja,Meja,Penunjang,unit,1000000,5.2.02.05.02.0001,02.06.01.02.04\n", encoding="utf-8")
    real = seed.resource
    monkeypatch.setattr(seed, "resource", lambda name: catalog if name == "catalog.csv" else real(name))
    with pytest.raises(ValidationError, match="Permendagri 108/2016 pattern"):
        seed.new_project(tmp_path / "x.mpplan", name="MPP X")
    assert not (tmp_path / "x.mpplan").exists()


def test_the_forms_read_the_codes_through_the_catalog_reads(demo_project):
    from mpp_planner.reads import catalog

    with demo_project.edit() as s:
        fridge = s.scalar(select(ItemType).where(ItemType.key == "kulkas"))
        fridge.asset_code = "1.3.2.05.02.04.001"
    choice = next(c for c in catalog.item_type_choices(demo_project) if c.key == "kulkas")
    assert choice.asset_code == "1.3.2.05.02.04.001"
    assert catalog.asset_code_choices() == asset_codes.choices()
    assert catalog.asset_code_name("1.3.2.05.02.04.001") == "Lemari Es" and catalog.asset_code_name("9") == ""
