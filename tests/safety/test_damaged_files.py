"""Damaged and foreign files: a clear message, and the file left exactly as it was (no -wal, -shm
or lock beside it). Plus hypothesis: random damage to a real project never gets past the checks
as anything but a ProjectFileError."""

import hashlib
import os
import random
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mpp_planner.store.file import SCHEMA_HEAD
from mpp_planner.project import Project
from mpp_planner.store import DamagedProjectError, NewerSchemaError, NotAProjectError, ProjectFileError

from tests.safety.damage import crashed_with_wal, overwrite_pages, page_size, table_pages

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / f"schema-{SCHEMA_HEAD}.mpplan"
STATS = {"open_fuzz": 0}


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sql(path, *statements):
    con = sqlite3.connect(path)
    for st_ in statements:
        con.execute(st_)
    con.commit()
    con.close()


def _rebuild_without_column(path):
    _sql(path, "PRAGMA foreign_keys=OFF", "ALTER TABLE counter DROP COLUMN notes")


def _truncate(path, n):
    data = path.read_bytes()
    path.write_bytes(data[:n] if n >= 0 else data[:len(data) // 2])


def _garbage_pages(path):
    pages = table_pages(path, "room")
    overwrite_pages(path, pages[:1], seed=7)


def _zero_middle(path):
    size = page_size(path)
    n = path.stat().st_size // size
    with open(path, "r+b") as fh:
        fh.seek((n // 2) * size)
        fh.write(bytes(size * 3))


def _other_db_with_our_id(path):
    path.unlink()
    _sql(path, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)", "PRAGMA application_id=1297109068")


def _ours_then_garbage(path):
    data = path.read_bytes()
    size = page_size(path)
    rng = random.Random(3)
    path.write_bytes(data[:size] + bytes(rng.getrandbits(8) for _ in range(len(data) - size)))


def _random_with_magic(path):
    rng = random.Random(5)
    path.write_bytes(b"SQLite format 3\x00" + bytes(rng.getrandbits(8) for _ in range(8192)))


def _other_program(path):
    path.unlink()
    _sql(path, "CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)", "INSERT INTO contacts VALUES (1, 'x')")


CASES = {
    # name: (how to damage a copy of the demo, error class, words in the message)
    "truncated_half": (lambda p: _truncate(p, -1), DamagedProjectError, "damaged"),
    "truncated_header": (lambda p: _truncate(p, 100), DamagedProjectError, "damaged"),
    "truncated_short": (lambda p: _truncate(p, 60), DamagedProjectError, "truncated"),
    "random_bytes": (lambda p: p.write_bytes(os.urandom(20000)), NotAProjectError, "not an MPP Planner project"),
    "random_with_sqlite_magic": (_random_with_magic, ProjectFileError, "'"),
    "first_page_ours_rest_garbage": (_ours_then_garbage, DamagedProjectError, "damaged"),
    "other_program": (_other_program, NotAProjectError, "another program"),
    "other_db_with_our_id": (_other_db_with_our_id, DamagedProjectError, "schema version is missing"),
    "missing_counter_table": (lambda p: _sql(p, "DROP TABLE counter_service", "DROP TABLE counter_assignment",
                                             "DROP TABLE counter"), DamagedProjectError,
                              "Missing table(s): counter, counter_assignment, counter_service"),
    "extra_table": (lambda p: _sql(p, "CREATE TABLE foo (x)"), DamagedProjectError, "Unexpected table(s): foo"),
    "missing_column": (_rebuild_without_column, DamagedProjectError, "Table counter has other columns"),
    "garbage_pages": (_garbage_pages, DamagedProjectError, "damaged"),
    "zeroed_pages": (_zero_middle, DamagedProjectError, "damaged"),
    "newer": (lambda p: _sql(p, "UPDATE alembic_version SET version_num='i77z'"), NewerSchemaError, "i77z"),
    "text": (lambda p: p.write_text("Nama;Instansi\nA;B\n", encoding="utf-8"), NotAProjectError, "not an MPP"),
    "empty": (lambda p: p.write_bytes(b""), NotAProjectError, "empty"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_damaged_or_foreign_file_is_refused_and_left_untouched(case, tmp_path, demo_master):
    damage, error, words = CASES[case]
    folder = tmp_path / "f"
    folder.mkdir()
    bad = folder / "proyek.mpplan"
    shutil.copy2(demo_master, bad)
    damage(bad)
    before = sha(bad)
    for readonly in (False, True):
        with pytest.raises(error) as err:
            Project.open(bad, readonly=readonly)
        message = str(err.value)
        assert words in message, message
        assert "\n" not in message and len(message) < 600
        assert sha(bad) == before
        assert [p.name for p in folder.iterdir()] == ["proyek.mpplan"]


def test_damage_message_points_to_backups_and_repair(tmp_path, demo_master):
    bad = tmp_path / "x.mpplan"
    shutil.copy2(demo_master, bad)
    _garbage_pages(bad)
    with pytest.raises(DamagedProjectError) as err:
        Project.open(bad)
    assert "backup" in str(err.value) and "mpp-planner repair" in str(err.value)


def test_a_crashed_file_with_its_wal_still_opens(tmp_path, demo_master):
    """A -wal beside the file is not damage: the committed edits in it are read."""
    crashed = crashed_with_wal(demo_master, tmp_path)
    ro = Project.open(crashed, readonly=True)
    assert ro.site.city == "Kota Baru"
    ro.close()
    p = Project.open(crashed)
    assert p.site.city == "Kota Baru"
    p.close()
    assert sorted(x.name for x in crashed.parent.iterdir()) == ["c.mpplan"]


def _mutate(data: bytes, ops) -> bytes:
    buf = bytearray(data)
    for kind, pos, value in ops:
        if not buf:
            break
        i = pos % len(buf)
        if kind == "flip":
            buf[i] ^= 1 << (value % 8)
        elif kind == "byte":
            buf[i] = value % 256
        elif kind == "zero_page":
            start = (i // 1024) * 1024
            buf[start:start + 1024] = bytes(len(buf[start:start + 1024]))
        elif kind == "truncate":
            del buf[i:]
    return bytes(buf)


OPS = st.lists(st.tuples(st.sampled_from(["flip", "byte", "zero_page", "truncate"]),
                         st.integers(0, 10 ** 6), st.integers(0, 255)), min_size=1, max_size=6)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_random_damage_is_refused_cleanly_or_opens(tmp_path_factory, ops):
    STATS["open_fuzz"] += 1
    folder = tmp_path_factory.mktemp("fz")
    path = folder / "f.mpplan"
    path.write_bytes(_mutate(FIXTURE.read_bytes(), ops))
    before = sha(path)
    try:
        project = Project.open(path)
    except ProjectFileError as exc:
        assert str(exc) and "\n" not in str(exc)
        assert sha(path) == before
        assert [p.name for p in folder.iterdir()] == ["f.mpplan"]
        return
    project.close()
    assert [p.name for p in folder.iterdir()] == ["f.mpplan"]


def test_report_open_fuzz_examples(capsys):
    with capsys.disabled():
        print(f"\n[file opening fuzz] {STATS['open_fuzz']} damaged files tried")
