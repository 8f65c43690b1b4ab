"""``mpp-planner repair FILE -o NEW.mpplan``: salvage from damaged files, report, exit codes."""

import hashlib
import os
import shutil
import sqlite3

import pytest

from mpp_planner.cli import main
from mpp_planner.project import Project
from mpp_planner.store import DamagedProjectError

from tests.safety.damage import crashed_with_wal, garble_middle, overwrite_pages, table_pages
from tests.safety.dump import dump_file


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def repair(src, out, capsys):
    rc = main(["repair", str(src), "-o", str(out)])
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


@pytest.fixture
def damaged(tmp_path, demo_master):
    folder = tmp_path / "src"
    folder.mkdir()
    path = folder / "rusak.mpplan"
    shutil.copy2(demo_master, path)
    return path


def sound(path):
    con = sqlite3.connect(path)
    try:
        return (con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                and con.execute("PRAGMA foreign_key_check").fetchall() == [])
    finally:
        con.close()


def test_sound_file_is_copied_completely(damaged, tmp_path, capsys):
    out = tmp_path / "baru.mpplan"
    rc, report, err = repair(damaged, out, capsys)
    assert rc == 0, err
    assert "Counters: 34 kept." in report and "Everything was recovered" in err
    assert "did not need a repair" in err
    assert dump_file(out) == dump_file(damaged)
    assert sound(out)


def test_demo_corrupted_in_the_middle_is_salvaged(damaged, tmp_path, capsys):
    original = dump_file(damaged)
    pages = garble_middle(damaged, fraction=0.1, seed=11)
    assert pages
    before = sha(damaged)
    with pytest.raises(DamagedProjectError):  # it no longer opens
        Project.open(damaged)
    out = tmp_path / "baru.mpplan"
    rc, report, err = repair(damaged, out, capsys)
    assert rc == 1, err
    assert "some data was lost" in err and "Traceback" not in err
    # the damaged file is only read
    assert sha(damaged) == before
    assert sorted(p.name for p in damaged.parent.iterdir()) == ["rusak.mpplan"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baru.mpplan", "src"]
    # the new file is a sound project holding a part of the original rows, unchanged
    assert sound(out)
    project = Project.open(out)
    assert project.site.name == "MPP Kota Probolinggo"
    project.close()
    salvaged = dump_file(out)
    kept = sum(len(v) for v in salvaged.values())
    assert 0 < kept < sum(len(v) for v in original.values())
    for table, rows in salvaged.items():
        old = set(original[table])
        for row in rows:
            assert row in old or _with_links_cleared(row, old), (table, row)
    lost = [line for line in report.splitlines() if "could not be read" in line or "lost" in line]
    assert lost, report


def _with_links_cleared(row, old):
    return any(all(a == b or a is None for a, b in zip(row, o)) for o in old)


def test_one_damaged_leaf_loses_only_its_rows(damaged, tmp_path, capsys):
    pages = table_pages(damaged, "inventory_item")
    assert len(pages) >= 3, "demo inventory spans several pages"
    total = len(dump_file(damaged)["inventory_item"])
    overwrite_pages(damaged, [pages[2]], seed=5)  # a leaf in the middle, not the root
    out = tmp_path / "baru.mpplan"
    rc, report, _err = repair(damaged, out, capsys)
    assert rc == 1
    line = next(ln for ln in report.splitlines() if ln.startswith("Inventory items"))
    kept = len(dump_file(out)["inventory_item"])
    assert 0 < kept < total
    assert f"{kept} kept; up to {total - kept} lost in damaged parts" in line


def test_invalid_and_orphaned_rows_are_refused_or_unlinked(damaged, tmp_path, capsys):
    con = sqlite3.connect(damaged)
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("UPDATE counter SET width = -5 WHERE id = 1")  # fails model validation
    con.execute("UPDATE signatory SET nip = '12345' WHERE id = 1")
    con.execute("UPDATE budget_line SET room_id = 9999 WHERE id = 1")  # optional link to nothing
    con.execute("UPDATE counter SET floor_id = 9999 WHERE id = 2")  # required link to nothing
    con.commit()
    con.close()
    out = tmp_path / "baru.mpplan"
    rc, report, _err = repair(damaged, out, capsys)
    assert rc == 1
    assert "Counters: 32 kept; 2 refused." in report
    assert "must be between 50 and 100000" in report and "belongs to a lost floors row" in report
    assert "NIP must have exactly 18 digits" in report
    n_lines = len(dump_file(damaged)["budget_line"])
    assert f"Budget lines: {n_lines} kept; 1 link to lost rows cleared." in report
    rows = dump_file(out)
    assert 1 not in [r[0] for r in rows["counter"]] and 2 not in [r[0] for r in rows["counter"]]
    # assignments of the refused counters go with them
    assert all(r[1] not in (1, 2) for r in rows["counter_assignment"])
    assert sound(out)


def test_missing_table_is_reported_and_dependants_follow(damaged, tmp_path, capsys):
    con = sqlite3.connect(damaged)
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("DROP TABLE counter")
    con.commit()
    con.close()
    out = tmp_path / "baru.mpplan"
    rc, report, _err = repair(damaged, out, capsys)
    assert rc == 1
    assert "Counters: could not be read; all its rows are lost." in report
    assert "Counter assignments: 0 kept; 34 refused." in report
    assert sound(out)


def test_lost_identity_gets_a_placeholder(damaged, tmp_path, capsys):
    con = sqlite3.connect(damaged)
    con.execute("DELETE FROM site")
    con.commit()
    con.close()
    out = tmp_path / "baru.mpplan"
    rc, report, _err = repair(damaged, out, capsys)
    assert rc == 1 and "placeholder" in report
    p = Project.open(out)
    assert p.site.name == "Recovered project"
    p.close()


@pytest.mark.parametrize("case, words", [
    ("random", "not a database"),
    ("first_page_garbage", "Nothing can be read"),
    ("other_program", "no MPP Planner tables"),
    ("missing", "does not exist"),
    ("output_exists", "already exists"),
    ("output_folder_missing", "does not exist"),
    ("output_not_mpplan", ".mpplan file"),
])
def test_cannot_run_exits_2_with_one_line(case, words, damaged, tmp_path, capsys):
    src, out = damaged, tmp_path / "baru.mpplan"
    if case == "random":
        src.write_bytes(os.urandom(8192))
    elif case == "first_page_garbage":
        overwrite_pages(src, [1], seed=2)
        src.write_bytes(b"SQLite format 3\x00" + src.read_bytes()[16:])
    elif case == "other_program":
        src.unlink()
        con = sqlite3.connect(src)
        con.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY)")
        con.close()
    elif case == "missing":
        src = tmp_path / "nope.mpplan"
    elif case == "output_exists":
        out.write_text("keep")
    elif case == "output_folder_missing":
        out = tmp_path / "no" / "baru.mpplan"
    elif case == "output_not_mpplan":
        out = tmp_path / "baru.txt"
    before = src.read_bytes() if src.exists() else None
    rc, report, err = repair(src, out, capsys)
    assert rc == 2
    assert words in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    if case == "output_exists":
        assert out.read_text() == "keep"
    else:
        assert not out.exists()
    if before is not None:
        assert src.read_bytes() == before
    assert not [p for p in tmp_path.rglob(".repair-*")]


def test_repair_of_a_crashed_file_reads_its_wal(tmp_path, demo_master, capsys):
    crashed = crashed_with_wal(demo_master, tmp_path)
    out = tmp_path / "baru.mpplan"
    rc, _report, _err = repair(crashed, out, capsys)
    assert rc == 0
    p = Project.open(out)
    assert p.site.city == "Kota Baru"
    p.close()
