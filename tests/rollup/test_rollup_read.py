"""The roll-up reads every MPP of a folder into summaries whose numbers are the files' own exports; it skips
what it cannot read with why, flags two files of one MPP, reads an older schema through a copy, and never
writes to an input."""

from __future__ import annotations

import csv
import os
import shutil
import sqlite3
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from mpp_planner.jobs import Cancelled
from mpp_planner.model.rollup import (SKIP_DAMAGED, SKIP_MISSING, SKIP_NEWER, SKIP_NOT_PROJECT, TIER_GROUPS, Rollup,
                                      tier_group)
from mpp_planner.reads.rollup import expand, rollup, summarise
from tests.rollup.conftest import DAMAGED, GOOD, TEXT, YEAR, cli, sha256

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def csv_rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def money(text: str) -> Decimal:
    return Decimal(text) if text else Decimal(0)


def exported_budget(path: Path, tmp: Path) -> tuple[Decimal, Decimal, int]:
    """Requested, approved and line count of ``mpp-planner export budget --year 2024`` (the CSV form)."""
    out = tmp / f"{path.stem}-budget.csv"
    assert cli("export", "budget", path, "--year", YEAR, "--date", "2023-12-15", "-o", out) == 0
    rows = csv_rows(out)
    return (sum((money(r["Jumlah (Rp)"]) for r in rows), Decimal(0)),
            sum((money(r["Disetujui (Rp)"]) for r in rows), Decimal(0)), len(rows))


def exported_allocation(path: Path, tmp: Path) -> dict:
    """From ``mpp-planner export allocations`` (XLSX, sheet "Per tier"): agencies and services per tier group,
    the counters in all and those not yet allocated."""
    from openpyxl import load_workbook

    from mpp_planner.model.agency import TIER_LABELS

    out = tmp / f"{path.stem}-alloc.xlsx"
    assert cli("export", "allocations", path, "-o", out) == 0
    sheet = load_workbook(out)["Per tier"]
    group_of = {label: tier_group(tier.value) for tier, label in TIER_LABELS.items()}
    found: dict = {"agencies": dict.fromkeys(TIER_GROUPS, 0), "services": dict.fromkeys(TIER_GROUPS, 0)}
    for row in sheet.iter_rows(min_row=2, values_only=True):
        label = row[0]
        if label in group_of:
            found["agencies"][group_of[label]] += row[1]
            found["services"][group_of[label]] += row[4]
        elif label == "Counters not yet allocated":
            found["unallocated"] = row[3]
        elif label == "Total":
            found["counters"] = row[3]
    return found


def checked_findings(path: Path, capsys) -> int:
    capsys.readouterr()
    assert cli("check", path) in (0, 1)
    last = capsys.readouterr().out.strip().splitlines()[-1]
    return 0 if last.startswith("No findings") else int(last.split()[0])


@pytest.fixture(scope="module")
def folder_rollup(mpp_master) -> Rollup:
    return rollup([mpp_master], YEAR)


def test_a_folder_is_read_and_what_is_not_a_project_is_skipped_with_why(folder_rollup, mpp_master):
    r = folder_rollup
    assert r.year == YEAR
    assert sorted(Path(s.source.path).name for s in r.summaries) == sorted(GOOD)
    assert [s.identity.name for s in r.summaries] == ["MPP Kabupaten Malang", "MPP Kota Batu", "MPP Kota Probolinggo"]
    reasons = {Path(s.path).name: s.reason for s in r.skipped}
    assert reasons == {DAMAGED: SKIP_DAMAGED, TEXT: SKIP_NOT_PROJECT}
    damaged = next(s for s in r.skipped if s.reason == SKIP_DAMAGED)
    assert "damaged" in damaged.message and damaged.detail  # the store's sentence and SQLite's own words
    assert damaged.sha256 == sha256(mpp_master / DAMAGED)
    assert r.duplicates == []


def test_totals_equal_the_per_file_exports(folder_rollup, mpp_master, tmp_path, capsys):
    r = folder_rollup
    by_file = {Path(s.source.path).name: s for s in r.summaries}
    sums = {"requested": Decimal(0), "approved": Decimal(0), "counters": 0, "unallocated": 0, "findings": 0}
    for name in GOOD:
        path = mpp_master / name
        s = by_file[name]
        requested, approved, lines = exported_budget(path, tmp_path)
        budget = s.budget(YEAR)
        assert (budget.requested, budget.approved, budget.lines) == (requested, approved, lines), name
        # per account level and per sub kegiatan, the request adds up to the same total
        assert sum((a.requested for a in budget.accounts if a.code.count(".") == 1), Decimal(0)) == requested
        assert sum((a.requested for a in budget.sub_activities), Decimal(0)) == requested
        alloc = exported_allocation(path, tmp_path)
        assert (s.counters, s.counters_unallocated) == (alloc["counters"], alloc["unallocated"]), name
        assert {t.group: t.agencies for t in s.tiers} == alloc["agencies"], name
        assert {t.group: t.services for t in s.tiers} == alloc["services"], name
        assert s.findings_of() == checked_findings(path, capsys), name
        sums["requested"] += requested
        sums["approved"] += approved
        sums["counters"] += alloc["counters"]
        sums["unallocated"] += alloc["unallocated"]
        sums["findings"] += s.findings_of()
    from mpp_planner.reports.rollup_tables import column_total, column_values, topics

    columns = {c.heading: c for t in topics(r) for c in t.columns}
    assert column_total(column_values(r, columns["Usulan (Rp)"])) == sums["requested"]
    assert column_total(column_values(r, columns["Disetujui (Rp)"])) == sums["approved"]
    assert column_total(column_values(r, columns["Jumlah Loket"])) == sums["counters"]
    assert column_total(column_values(r, columns["Loket Belum Teralokasi"])) == sums["unallocated"]
    assert column_total(column_values(r, columns["Jumlah Temuan"])) == sums["findings"]
    assert sums["requested"] > 0 and sums["approved"] > 0 and sums["unallocated"] > 0


def test_plan_needs_survey_and_assessment_match_the_project(folder_rollup, mpp_master, capsys):
    from mpp_planner.model import InventoryItem, Need, Room
    from mpp_planner.model.gaps import compute_gaps, gap_totals
    from mpp_planner.project import Project

    for s in folder_rollup.summaries:
        project = Project.open(s.source.path, readonly=True)
        try:
            rooms = project.all(Room)
            needs = project.all(Need, Need.id)
            _per_room, gap = gap_totals(needs, compute_gaps(needs, project.all(InventoryItem)))
        finally:
            project.close()
        assert s.rooms == len(rooms)
        assert abs(s.room_area_m2 - Decimal(str(round(sum(r.area_m2 for r in rooms), 2)))) <= Decimal("0.01")
        assert 0 < s.service_area_m2 <= s.room_area_m2
        assert (s.open_needs, s.open_needs_cost) == (gap.open_needs, gap.cost)  # as the inventory tab adds it
        capsys.readouterr()
        assert cli("assess", s.source.path) == 0
        printed = capsys.readouterr().out
        for score in s.facilities:
            assert f"{score.name}: {score.score}/{score.max_score}" in printed
    demo = next(s for s in folder_rollup.summaries if s.identity.name == "MPP Kota Probolinggo")
    period = demo.skm(YEAR)
    assert period is not None and period.name == "2024 Semester II"  # the latest period of the year
    capsys.readouterr()
    assert cli("survey", demo.source.path, "--period", period.name) == 0
    assert f"IKM: {period.ikm} " in capsys.readouterr().out
    malang = next(s for s in folder_rollup.summaries if s.identity.name == "MPP Kabupaten Malang")
    assert malang.skm(YEAR) is None and malang.budget(YEAR).rejected == 1


def test_nothing_is_written_to_any_input(mpp_folder):
    before = {p.name: (sha256(p), p.stat().st_mtime_ns) for p in mpp_folder.iterdir()}
    r = rollup([mpp_folder], YEAR)
    after = {p.name: (sha256(p), p.stat().st_mtime_ns) for p in mpp_folder.iterdir()}
    assert after == before  # the same files (no lock, journal or backup left beside them), byte for byte
    assert {Path(s.source.path).name: s.source.sha256 for s in r.summaries} == {n: before[n][0] for n in GOOD}
    assert all(s.source.modified == (mpp_folder / Path(s.source.path).name).stat().st_mtime for s in r.summaries)


def test_two_files_of_one_mpp_are_flagged(mpp_folder):
    shutil.copy2(mpp_folder / "probolinggo.mpplan", mpp_folder / "probolinggo (salinan email).mpplan")
    r = rollup([mpp_folder], YEAR)
    assert len(r.summaries) == 4
    [group] = r.duplicates
    assert sorted(Path(s.source.path).name for s in group) == ["probolinggo (salinan email).mpplan",
                                                               "probolinggo.mpplan"]
    assert all(r.is_duplicate(s) for s in group)
    assert not any(r.is_duplicate(s) for s in r.summaries if s not in group)


@pytest.mark.parametrize("revision", ["0001", "0007"])
def test_an_older_schema_is_read_through_a_copy_and_left_as_it_was(tmp_path, revision):
    folder = tmp_path / "lama"
    folder.mkdir()
    old = folder / f"schema-{revision}.mpplan"
    shutil.copy2(FIXTURES / f"schema-{revision}.mpplan", old)
    before = sha256(old)
    s = summarise(old, YEAR)
    assert (s.source.schema, s.source.via_copy, s.source.sha256) == (revision, True, before)
    assert s.identity.name == "MPP Fixture 0001" and s.counters == 2 and s.agencies == 2
    assert sha256(old) == before and sorted(p.name for p in folder.iterdir()) == [old.name]
    with sqlite3.connect(f"file:{old}?mode=ro", uri=True) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == revision


def test_a_file_open_in_the_app_is_read_and_a_newer_one_is_skipped(mpp_folder):
    from mpp_planner.project import Project

    newer = mpp_folder / "dari versi baru.mpplan"
    shutil.copy2(mpp_folder / "probolinggo.mpplan", newer)
    with sqlite3.connect(newer) as con:
        con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.close()
    held = Project.open(mpp_folder / "malang.mpplan")  # locked by "another MPP Planner", in WAL mode
    try:
        r = rollup([mpp_folder], YEAR)
        assert (mpp_folder / "malang.mpplan.lock").exists()
    finally:
        held.close()
    assert "MPP Kabupaten Malang" in [s.identity.name for s in r.summaries]
    skipped = {Path(s.path).name: s for s in r.skipped}
    assert skipped["dari versi baru.mpplan"].reason == SKIP_NEWER and skipped["dari versi baru.mpplan"].detail == "9999"


def test_files_and_folders_together_each_file_once_and_a_missing_one_told(mpp_folder):
    files, missing = expand([mpp_folder, mpp_folder / "batu.mpplan", mpp_folder / "hilang.mpplan"])
    assert sorted(p.name for p in files) == sorted([*GOOD, DAMAGED, TEXT])
    assert [Path(m.path).name for m in missing] == ["hilang.mpplan"] and missing[0].reason == SKIP_MISSING


def test_worker_processes_and_this_process_give_the_same_summaries(mpp_master):
    told: list[tuple[int, int]] = []
    parallel = rollup([mpp_master], YEAR, progress=lambda done, total, _text: told.append((done, total)), workers=2)
    here = rollup([mpp_master], YEAR, workers=1)
    assert parallel.summaries == here.summaries and parallel.skipped == here.skipped
    assert told[0] == (0, 5) and told[-1] == (5, 5) and len(told) == 6


def test_the_year_defaults_to_the_one_most_files_plan_for(mpp_master):
    r = rollup([mpp_master / name for name in GOOD], None, workers=1)
    assert r.year == YEAR
    assert all(s.budget(YEAR).lines for s in r.summaries)


def test_cancel_stops_the_roll_up(mpp_master):
    asked = []

    def cancel() -> bool:
        asked.append(True)
        return len(asked) > 1

    with pytest.raises(Cancelled):
        rollup([mpp_master], YEAR, cancel=cancel, workers=2)
    with pytest.raises(Cancelled):
        rollup([mpp_master], YEAR, cancel=lambda: True, workers=1)


def test_a_project_held_for_editing_in_a_network_folder_is_skipped_as_locked(mpp_folder, monkeypatch):
    pytest.importorskip("mpp_planner.store.network")
    from mpp_planner.model.rollup import SKIP_LOCKED
    from mpp_planner.project import Project

    monkeypatch.setenv("MPP_PLANNER_NETWORK", "1")  # the folder is a shared one (the workers see it too)
    held = Project.open(mpp_folder / "batu.mpplan")  # its writer holds the whole file there
    try:
        r = rollup([mpp_folder / name for name in GOOD], YEAR, workers=2)
    finally:
        held.close()
    assert [Path(s.path).name for s in r.skipped] == ["batu.mpplan"]
    assert r.skipped[0].reason == SKIP_LOCKED and "being edited by" in r.skipped[0].message
    assert len(r.summaries) == 2


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX program that exits at once")
def test_workers_that_cannot_start_leave_the_files_to_this_process(mpp_master, monkeypatch):
    """As in a frozen build whose entry point lacks freeze_support(): every file is still read, here."""
    import multiprocessing.spawn

    monkeypatch.setattr(multiprocessing.spawn, "_python_exe", os.fsencode("/bin/false"))
    r = rollup([mpp_master], YEAR, workers=2)
    assert sorted(Path(s.source.path).name for s in r.summaries) == sorted(GOOD) and len(r.skipped) == 2
