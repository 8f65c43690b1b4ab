"""Every released schema has a frozen fixture file; each one opens, migrates and reads back."""

import re
import shutil
import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mpp_planner.model import (AccountCode, Agency, Annotation, Base, BudgetCeiling, BudgetLine, Counter,
                               CounterAssignment, Floor, FloorBackground, InventoryItem, ItemType, Need, Room,
                               Service, Signatory, Visit, VisitFinding)
from mpp_planner.project import Project
from mpp_planner.store import DamagedProjectError, NewerSchemaError
from mpp_planner.store import file as store_file
from mpp_planner.store.file import SCHEMA_HEAD, SCHEMA_REVISIONS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def fixture_files():
    return sorted(FIXTURES.glob("schema-*.mpplan"))


def revision_of(path):
    return re.fullmatch(r"schema-(.+)\.mpplan", path.name).group(1)


def test_every_released_schema_has_a_frozen_fixture():
    have = {revision_of(p) for p in fixture_files()}
    missing = sorted(set(SCHEMA_REVISIONS) - have)
    assert not missing, (f"schema {missing} has no frozen fixture: run "
                         f"'python -m tests.fixtures.make_schema_fixture {missing[0]}' and commit the file")
    for p in fixture_files():
        assert p.stat().st_size < 200_000, "keep fixtures small"


@pytest.mark.parametrize("fixture", fixture_files(), ids=lambda p: p.name)
def test_fixture_opens_migrates_and_reads_every_table(fixture, tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    path = tmp_path / fixture.name
    shutil.copy2(fixture, path)
    old_rev = revision_of(fixture)
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    stored = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for (t,) in con.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'")}
    con.close()
    project = Project.open(path)
    try:
        s = project.session
        for table, n in stored.items():  # every row of the old file is still there after the upgrade
            assert s.scalar(select(func.count()).select_from(Base.metadata.tables[table])) == n, table
        with project.file.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == SCHEMA_HEAD
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    finally:
        project.close()
    backups = list(tmp_path.glob(f"{path.stem}.backup-*-schema{old_rev}{path.suffix}"))
    assert len(backups) == (0 if old_rev == SCHEMA_HEAD else 1)


def test_schema_0001_rows_read_back_with_their_values(tmp_path):
    path = tmp_path / "f.mpplan"
    shutil.copy2(FIXTURES / "schema-0001.mpplan", path)
    p = Project.open(path)
    try:
        site = p.site
        assert site.name == "MPP Fixture 0001" and site.ppn_rate == Decimal("11.00")
        assert site.letterhead == ["PEMERINTAH KOTA PROBOLINGGO", "DPMPTSP"] and site.logo.startswith(b"\x89PNG")
        assert {x.role: x.nip for x in p.all(Signatory)} == {"head": "197001011990031001", "proposer": ""}
        assert p.get(AccountCode, "5.2.02.05.01.0005").name.startswith("Belanja Modal")
        assert p.get(BudgetCeiling, 2024).amount == Decimal("150000000.00")
        assert [f.name for f in p.all(Floor, Floor.order)] == ["Lantai 1", "Lantai 2"]
        bg = p.get(FloorBackground, 1)
        assert (bg.mm_per_px, bg.origin_x, bg.opacity, bg.visible) == (12.5, -100, 0.4, True)
        hall = p.get(Room, 1)
        assert hall.area_m2 == pytest.approx(240.0) and hall.officer_nip == "198505052010012002"
        c2 = p.get(Counter, 2)
        assert (c2.label, c2.rotation, c2.notes) == ("L-02", 90.0, "dekat pintu")
        assert [s.name for s in p.get(Counter, 1).services] == ["KTP elektronik", "Kartu Keluarga"]
        assert p.get(CounterAssignment, 2).weekdays == 5 and p.get(CounterAssignment, 2).agency.short_name == "BPJS Kes"
        assert p.get(Agency, 1).mou_date == date(2023, 3, 1) and p.get(Agency, 2).mou_date is None
        assert len(p.all(Service)) == 3 and p.get(Annotation, 2).text == "Pintu masuk"
        chair = p.get(ItemType, 1)
        assert chair.ref_price == Decimal("2500000.00") and chair.tag_set == {"seating", "public"}
        inv = p.get(InventoryItem, 1)
        assert inv.quantity == Decimal("4.00") and inv.purchase_price == Decimal("2400000.00") and inv.on_plan
        assert p.get(InventoryItem, 2).quantity == Decimal("10.50") and not p.get(InventoryItem, 2).on_plan
        assert p.get(Visit, 1).date == date(2023, 11, 14)
        assert p.get(VisitFinding, 1).room.name == "Ruang Laktasi"
        assert p.get(Need, 2).visit_finding.text.startswith("Ruang laktasi")
        line = p.get(BudgetLine, 1)
        assert line.amount == Decimal("5550000.00") and line.approved_amount == Decimal("5550000.00")
        paper = p.get(BudgetLine, 2)
        assert paper.coefficient == 120 and paper.unit_price == Decimal("55500.50")
        assert paper.amount == Decimal("6660060.00")
    finally:
        p.close()


# --- the upgrade path, with an older release simulated -------------------------------------------

def _stamp(path, revision):
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    con.commit()
    con.close()


@pytest.fixture
def older_release(monkeypatch):
    """Pretend "0000" was released before the current head; its upgrade is stubbed per test."""
    monkeypatch.setattr(store_file, "SCHEMA_REVISIONS", ("0000", *SCHEMA_REVISIONS))
    calls = []

    def fake_upgrade(path):
        calls.append(path)
        _stamp(path, SCHEMA_HEAD)

    monkeypatch.setattr(store_file, "upgrade", fake_upgrade)
    return calls


def test_older_file_gets_a_timestamped_backup_beside_it_then_upgrades(tmp_path, older_release):
    path = tmp_path / "tua.mpplan"
    shutil.copy2(FIXTURES / f"schema-{SCHEMA_HEAD}.mpplan", path)
    _stamp(path, "0000")
    original = path.read_bytes()
    project = Project.open(path)
    project.close()
    assert older_release == [path]
    backups = list(tmp_path.glob("tua.backup-*-schema0000.mpplan"))
    assert len(backups) == 1
    assert re.fullmatch(r"tua\.backup-\d{8}-\d{6}-schema0000\.mpplan", backups[0].name)
    assert backups[0].read_bytes() == original
    assert store_file.inspect_file(path).revision == SCHEMA_HEAD


def test_read_only_open_of_an_older_file_is_refused_untouched(tmp_path, older_release):
    path = tmp_path / "tua.mpplan"
    shutil.copy2(FIXTURES / f"schema-{SCHEMA_HEAD}.mpplan", path)
    _stamp(path, "0000")
    before = path.read_bytes()
    with pytest.raises(store_file.ProjectFileError, match="needs an upgrade"):
        Project.open(path, readonly=True)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tua.mpplan"]


def test_failed_upgrade_puts_the_original_back(tmp_path, older_release, monkeypatch):
    path = tmp_path / "tua.mpplan"
    shutil.copy2(FIXTURES / f"schema-{SCHEMA_HEAD}.mpplan", path)
    _stamp(path, "0000")
    before = path.read_bytes()

    def half_done_upgrade(p):
        con = sqlite3.connect(p)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("DROP TABLE annotation")
        con.commit()
        con.close()
        raise RuntimeError("migration script failed")

    monkeypatch.setattr(store_file, "upgrade", half_done_upgrade)
    with pytest.raises(DamagedProjectError, match="could not be upgraded"):
        Project.open(path)
    assert path.read_bytes() == before
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names[0].startswith("tua.backup-") and names[1:] == ["tua.mpplan"]


def test_upgrade_that_leaves_a_wrong_schema_is_undone(tmp_path, older_release, monkeypatch):
    path = tmp_path / "tua.mpplan"
    shutil.copy2(FIXTURES / f"schema-{SCHEMA_HEAD}.mpplan", path)
    _stamp(path, "0000")
    before = path.read_bytes()

    def sloppy_upgrade(p):
        con = sqlite3.connect(p)
        con.execute("ALTER TABLE counter ADD COLUMN colour TEXT")
        con.execute("UPDATE alembic_version SET version_num = ?", (SCHEMA_HEAD,))
        con.commit()
        con.close()

    monkeypatch.setattr(store_file, "upgrade", sloppy_upgrade)
    with pytest.raises(DamagedProjectError, match="colour"):
        Project.open(path)
    assert path.read_bytes() == before


def test_newer_fixture_is_refused_naming_both_versions(tmp_path):
    path = tmp_path / "baru.mpplan"
    shutil.copy2(FIXTURES / f"schema-{SCHEMA_HEAD}.mpplan", path)
    _stamp(path, "i99z")
    before = path.read_bytes()
    with pytest.raises(NewerSchemaError) as err:
        Project.open(path)
    assert "i99z" in str(err.value) and SCHEMA_HEAD in str(err.value) and "0.1.0" in str(err.value)
    assert path.read_bytes() == before
