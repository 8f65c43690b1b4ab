"""Who changed what (schema 0009) on a file: one change_log row per row an edit wrote, in the same transaction,
with the user, computer, UTC time and the command's text; undo and redo log their own rows; row versions go up
with every update; a row someone else changed meanwhile refuses the edit or the undo (EditConflict)."""

from __future__ import annotations

import getpass
import platform
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from mpp_planner.commands import DeleteObjects, History, SetFields
from mpp_planner.commands.agencies import AssignAgency
from mpp_planner.model import Agency, ChangeLog, Counter, Room
from mpp_planner.model.history import BULK_KEY, BULK_ROWS
from mpp_planner.project import EditConflict, Project
from mpp_planner.reads.history import history, last_change, recent
from tests.conftest import reopen
from tests.helpers import file_rows

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def log_rows(path) -> list[tuple]:
    """(table, row key, verb, command, fields) of the file's change log, oldest first, read with plain sqlite3."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute('SELECT table_name, row_key, verb, command, fields FROM change_log ORDER BY id').fetchall()
    finally:
        con.close()


def someone_else(path, sql: str, table: str, ident) -> None:
    """Another writer of the file (what a second user does on a server): ``sql`` on row ``ident`` of ``table``,
    and the log row naming her."""
    con = sqlite3.connect(path)
    try:
        con.execute(sql, (ident,))
        con.execute('INSERT INTO change_log (at, "user", computer, table_name, row_key, verb, command, fields) '
                    "VALUES (?, 'alice', 'PC-ALICE', ?, ?, 'update', 'Rename', '[\"name\"]')",
                    (datetime.now(timezone.utc).replace(tzinfo=None).isoformat(sep=" "), table, str(ident)))
        con.commit()
    finally:
        con.close()


def test_an_edit_logs_each_row_it_wrote_with_who_where_when_and_the_command(demo_project):
    path = demo_project.path
    before = len(log_rows(path))
    room = demo_project.all(Room)[0]
    version = room.row_version
    t0 = datetime.now(timezone.utc)
    History(demo_project).push(SetFields("Rename room", Room, {room.id: {"name": "Ruang Rapat", "location_code": "X"}}))
    assert room.row_version == version + 1
    new = log_rows(path)[before:]
    assert new == [("room", str(room.id), "update", "Rename room", '["location_code","name"]')]
    entry = last_change(demo_project, "room", room.id)
    assert (entry.user, entry.computer) == (getpass.getuser(), platform.node())
    assert entry.at.tzinfo is not None and t0 - timedelta(seconds=1) <= entry.at <= datetime.now(timezone.utc)
    assert entry.fields == ("location_code", "name") and entry.command == "Rename room"
    project = reopen(demo_project)  # on disk, with the version
    try:
        assert project.get(Room, room.id).row_version == version + 1
        assert [e.command for e in history(project, "room", room.id)][:1] == ["Rename room"]
    finally:
        project.close()


def test_undo_and_redo_log_their_own_rows(demo_project):
    h = History(demo_project)
    counter = demo_project.all(Counter)[0]
    h.push(SetFields("Move counter L1-01", Counter, {counter.id: {"x": counter.x + 500}}))
    h.undo()
    h.redo()
    commands = [e.command for e in history(demo_project, "counter", counter.id, limit=3)]
    assert commands == ["Redo: Move counter L1-01", "Undo: Move counter L1-01", "Move counter L1-01"]
    assert counter.row_version >= 4


def test_a_delete_logs_every_row_that_went_with_it_and_its_undo_puts_them_back(demo_project):
    agency = next(a for a in demo_project.all(Agency) if a.services and a.assignments)
    services = sorted(s.id for s in agency.services)
    before = len(log_rows(demo_project.path))
    h = History(demo_project)
    h.push(DeleteObjects("Delete agency", Agency, [agency.id]))
    gone = log_rows(demo_project.path)[before:]
    assert ("agency", str(agency.id), "delete", "Delete agency", "[]") in gone
    assert sorted(int(k) for t, k, v, _c, _f in gone if t == "service") == services
    assert {v for _t, _k, v, _c, _f in gone} == {"delete", "update"}  # (the rows whose links were nulled)
    h.undo()
    back = log_rows(demo_project.path)[before + len(gone):]
    assert {(t, v) for t, _k, v, _c, _f in back} >= {("agency", "insert"), ("service", "insert")}
    assert {c for *_r, c, _f in back} == {"Undo: Delete agency"}


def test_a_refused_edit_logs_nothing(demo_project):
    before = log_rows(demo_project.path)
    room = demo_project.all(Room)[0]
    with pytest.raises(ValueError):
        History(demo_project).push(SetFields("Rename room", Room, {room.id: {"name": ""}}))
    assert log_rows(demo_project.path) == before


def test_a_bulk_import_writes_one_summary_row_per_table(demo_project, tmp_path):
    from mpp_planner.importers.survey import prepare

    source = tmp_path / "forms.csv"
    lines = ["No,Tanggal,U1,U2,U3,U4,U5,U6,U7,U8,U9"]
    lines += [f"{i},2024-03-05,4,3,3,4,3,4,4,3,3" for i in range(1, BULK_ROWS + 101)]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = len(log_rows(demo_project.path))
    History(demo_project).push(prepare(demo_project, source, period="Bulk", create_period=True))
    rows = log_rows(demo_project.path)[before:]
    summary = [r for r in rows if r[0] == "survey_response"]
    assert len(summary) == 1 and summary[0][1] == BULK_KEY and summary[0][2] == "insert"
    count, span = summary[0][4].strip("[]").replace('"', "").split(",")
    assert count == str(BULK_ROWS + 100)
    lo, hi = (int(x) for x in span.split("-"))
    assert hi - lo + 1 == BULK_ROWS + 100
    assert [e.summary for e in history(demo_project, "survey_response", lo + 7)] == [True]  # the form's history
    assert history(demo_project, "survey_response", hi + 1) == []  # ...and not any other
    assert [r[0] for r in rows if r[0] == "survey_period"] == ["survey_period"]  # a few rows: one each


def test_schedule_changes_bump_the_counter_version_and_log_the_counter(demo_project):
    h = History(demo_project)
    counter = demo_project.all(Counter)[0]
    agency = demo_project.all(Agency)[0]
    version = demo_project.get(Counter, counter.id).row_version
    h.push(AssignAgency([counter.id], agency.id, 0b11, exclusive=True))
    assert demo_project.get(Counter, counter.id).row_version == version + 1
    assert last_change(demo_project, "counter", counter.id).command.startswith("Assign")
    h.undo()
    assert demo_project.get(Counter, counter.id).row_version == version + 2


def test_a_row_changed_by_someone_else_refuses_the_edit_naming_who_and_resets_the_screens(demo_project):
    room = demo_project.all(Room)[0]
    heard = []
    demo_project.subscribe(heard.append)
    someone_else(demo_project.path, "UPDATE room SET name = 'Lobi Utama', row_version = row_version + 1 WHERE id = ?",
                 "room", room.id)
    before = log_rows(demo_project.path)
    with pytest.raises(EditConflict) as err:
        History(demo_project).push(SetFields("Rename room", Room, {room.id: {"name": "Ruang Saya"}}))
    text = str(err.value)
    assert text.startswith("alice changed room Lobi Utama at ") and "your change was not saved" in text
    assert err.value.user == "alice" and err.value.table == "room" and err.value.ident == room.id
    assert heard and heard[-1].reset
    assert demo_project.get(Room, room.id).name == "Lobi Utama"  # read afresh: theirs
    assert log_rows(demo_project.path) == before
    History(demo_project).push(SetFields("Rename room", Room, {room.id: {"name": "Ruang Saya"}}))  # now it goes
    assert demo_project.get(Room, room.id).name == "Ruang Saya"


def test_undo_is_refused_when_someone_else_changed_the_object_since(demo_project):
    h = History(demo_project)
    room = demo_project.all(Room)[0]
    h.push(SetFields("Rename room", Room, {room.id: {"name": "Ruang A"}}))
    someone_else(demo_project.path, "UPDATE room SET name = 'Ruang B', row_version = row_version + 1 WHERE id = ?",
                 "room", room.id)
    demo_project.session.expire_all()  # even when the project has read their version meanwhile (live refresh)
    with pytest.raises(EditConflict, match="alice changed room Ruang B"):
        h.undo()
    assert len(h.done) == 1 and not h.undone  # the history stays where it was
    assert demo_project.get(Room, room.id).name == "Ruang B"


def test_our_own_later_edits_do_not_refuse_an_earlier_undo(demo_project):
    h = History(demo_project)
    room = demo_project.all(Room)[0]
    old = room.name
    h.push(SetFields("Rename room", Room, {room.id: {"name": "Ruang A"}}))
    h.push(SetFields("Rename room", Room, {room.id: {"location_code": "L9"}}))
    assert h.undo() and h.undo()
    assert demo_project.get(Room, room.id).name == old
    assert h.redo() and h.redo()


def test_a_restore_bumps_the_versions_of_the_links_it_sets_back(demo_project):
    from mpp_planner.model import BudgetLine

    line = next(b for b in demo_project.all(BudgetLine) if b.room_id is not None)
    version = line.row_version
    h = History(demo_project)
    h.push(DeleteObjects("Delete room", Room, [line.room_id]))
    h.undo()
    assert demo_project.get(BudgetLine, line.id).row_version > version  # +1 per link set back


def test_the_0009_fixture_keeps_its_history(tmp_path):
    path = tmp_path / "f.mpplan"
    shutil.copy2(FIXTURES / "schema-0009.mpplan", path)
    project = Project.open(path)
    try:
        entry = last_change(project, "room", 1)
        assert (entry.user, entry.computer, entry.command, entry.fields) == (
            "alice", "PC-UPT-01", "Rename room Ruang Pelayanan", ("name",))
        assert entry.at == datetime(2024, 3, 5, 8, 15, tzinfo=timezone.utc)
        assert project.get(Room, 1).row_version == 3 and project.get(Room, 2).row_version == 1
        assert [e.user for e in history(project, "survey_response", 2)] == ["budi"]
        assert history(project, "counter_service", (1, 2))[0].verb == "insert"
        assert [e.user for e in recent(project)] == ["alice", "budi", "alice"]
        assert project.session.get(ChangeLog, 1).table_name == "room"
    finally:
        project.close()


def test_history_command_lists_the_changes_of_a_project_and_of_one_object(demo_project):
    path = demo_project.path
    room = demo_project.all(Room)[0]
    History(demo_project).push(SetFields("Rename room", Room, {room.id: {"name": "Ruang Rapat"}}))
    demo_project.close()
    run = [sys.executable, "-m", "mpp_planner", "--lang", "en", "history", str(path)]
    out = subprocess.run([*run, "--table", "room", "--id", str(room.id)], capture_output=True, text=True, check=True)
    first = out.stdout.splitlines()[0]
    assert f"{getpass.getuser()}@{platform.node()}  changed room Ruang Rapat  · Rename room  [name]" in first
    out = subprocess.run([*run, "--limit", "3"], capture_output=True, text=True, check=True)
    assert len(out.stdout.splitlines()) == 3
    bad = subprocess.run([*run, "--id", "1"], capture_output=True, text=True)
    assert bad.returncode == 2 and "--id needs --table" in bad.stderr
    assert file_rows(path, "alembic_version") == [("0009",)]


def test_a_delete_of_something_someone_else_changed_since_it_was_read_is_refused(demo_project):
    room = demo_project.all(Room)[-1]  # held, as the plan holds what it draws
    someone_else(demo_project.path, "UPDATE room SET name = 'Ruang Baru', row_version = row_version + 1 WHERE id = ?",
                 "room", room.id)
    with pytest.raises(EditConflict, match="^alice changed room Ruang Baru at "):
        History(demo_project).push(DeleteObjects("Delete room", Room, [room.id]))
    assert room.id in [r[0] for r in file_rows(demo_project.path, "room")]  # still there
    History(demo_project).push(DeleteObjects("Delete room", Room, [room.id]))  # seen now: deleted
    assert demo_project.get(Room, room.id) is None
