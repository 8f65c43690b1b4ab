"""Team mode: two people on one server database (issue 25). A change to an object the other changed meanwhile
is refused naming who and when, and the screen is reset to theirs; an undo of something the other changed
since is refused the same way; two people assigning one counter on overlapping weekdays never both succeed;
the history of an object names both. Alice and Bob are real database roles, each with a project of their own.

"Meanwhile" is since the project read the object: the plan holds the objects it draws (rooms, counters ...),
as the tests do here by keeping them in a variable.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy.engine import make_url

from mpp_planner.cli import main
from mpp_planner.commands import History, SetFields
from mpp_planner.commands.agencies import AssignAgency, UnassignAgency
from mpp_planner.model import Agency, Counter, CounterAssignment, Room
from mpp_planner.model.allocation import load_allocation
from mpp_planner.project import EditConflict, Project
from mpp_planner.reads.history import history
from mpp_planner.store.copy import copy_project

DEADLINE_S = 30.0
MESSAGE_END = "while you were editing it; your change was not saved and the screen now shows theirs."


def _role(con, name: str) -> None:
    if con.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone() is None:
        con.execute(f'CREATE ROLE "{name}" LOGIN')


@pytest.fixture
def team(pg_server, server_url, demo_file):
    """The demo on the server, opened by alice and by bob (two database roles allowed to edit it)."""
    copy_project(demo_file, server_url)
    database = make_url(server_url).database
    with pg_server.connect() as con:
        for name in ("alice", "bob"):
            _role(con, name)
    with pg_server.connect(database) as con:
        con.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO alice, bob")
        con.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO alice, bob")
    alice = Project.open(pg_server.url(database, "alice"))
    bob = Project.open(pg_server.url(database, "bob"))
    yield alice, bob
    alice.close()
    bob.close()


def rename(room_id: int, name: str) -> SetFields:
    return SetFields(f"Rename room {name}", Room, {room_id: {"name": name}})


def test_the_same_room_edited_by_two_people_refuses_the_second_naming_the_first(team, capsys):
    alice, bob = team
    room = alice.all(Room)[0]
    shown = bob.get(Room, room.id)  # both screens show the room
    assert shown.name == room.name
    History(alice).push(rename(room.id, "Ruang Alice"))
    heard = []
    bob.subscribe(heard.append)
    with pytest.raises(EditConflict) as err:
        History(bob).push(rename(room.id, "Ruang Bob"))
    text = str(err.value)
    assert text.startswith("alice changed room Ruang Alice at ") and text.endswith(MESSAGE_END)
    assert err.value.user == "alice"
    assert heard and heard[-1].reset  # bob's screens read again
    assert shown.name == "Ruang Alice"  # ...and show alice's change
    History(bob).push(rename(room.id, "Ruang Bob"))  # on what he now sees, bob's change goes through
    assert [(e.user, e.command) for e in history(alice, "room", room.id, limit=2)] == [
        ("bob", "Rename room Ruang Bob"), ("alice", "Rename room Ruang Alice")]
    alice.session.expire_all()
    assert alice.get(Room, room.id).name == "Ruang Bob"
    assert main(["--lang", "en", "history", alice.file.url, "--table", "room", "--id", str(room.id)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "  bob@" in lines[0] and "changed room Ruang Bob  · Rename room Ruang Bob  [name]" in lines[0]
    assert "  alice@" in lines[1] and "· Rename room Ruang Alice" in lines[1]


def test_an_undo_of_something_the_other_changed_since_is_refused(team):
    alice, bob = team
    room = alice.all(Room)[1]
    mine = History(alice)
    mine.push(rename(room.id, "Ruang Alice"))
    History(bob).push(rename(room.id, "Ruang Bob"))
    with pytest.raises(EditConflict, match="^bob changed room Ruang Bob at "):
        mine.undo()
    assert len(mine.done) == 1 and not mine.undone
    alice.session.expire_all()  # as after a live refresh: what alice holds is bob's version now
    with pytest.raises(EditConflict, match="^bob changed room Ruang Bob at "):
        mine.undo()
    bob.session.expire_all()
    assert bob.get(Room, room.id).name == "Ruang Bob"


def test_an_undo_nobody_interfered_with_goes_through(team):
    alice, bob = team
    room = alice.all(Room)[2]
    old = room.name
    mine = History(alice)
    mine.push(rename(room.id, "Ruang Alice"))
    History(bob).push(rename(alice.all(Room)[3].id, "Ruang Lain"))  # another room
    assert mine.undo() and alice.get(Room, room.id).name == old
    assert history(bob, "room", room.id, limit=1)[0].command == "Undo: Rename room Ruang Alice"


def _clash_free_counter(alice, bob) -> tuple[Counter, Counter]:
    """A counter with nobody assigned, as both plans show it (the objects they hold)."""
    counter = alice.all(Counter)[0]
    History(alice).push(UnassignAgency([counter.id]))
    bob.session.expire_all()
    shown = alice.get(Counter, counter.id), bob.get(Counter, counter.id)
    assert shown[0].row_version == shown[1].row_version
    return shown


def _served(project, counter_id) -> dict[int, int]:
    project.session.expire_all()
    return {a.agency_id: a.weekdays for a in project.all(CounterAssignment) if a.counter_id == counter_id}


def test_two_people_assigning_one_counter_on_overlapping_days_never_both_succeed(team):
    alice, bob = team
    shown = _clash_free_counter(alice, bob)
    cid = shown[0].id
    first, second = alice.all(Agency)[:2]
    start = threading.Barrier(2)
    results: dict[str, BaseException | None] = {}

    def assign(name: str, project: Project, agency_id: int, days: int) -> None:
        command = AssignAgency([cid], agency_id, days)  # not exclusive: alone, a clash would be kept and shown
        start.wait()
        try:
            History(project).push(command)
            results[name] = None
        except EditConflict as exc:
            results[name] = exc

    threads = [threading.Thread(target=assign, args=("alice", alice, first.id, 0b00111)),
               threading.Thread(target=assign, args=("bob", bob, second.id, 0b01100))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(DEADLINE_S)
    assert sorted(r is None for r in results.values()) == [False, True]  # exactly one succeeded
    loser = next(name for name, r in results.items() if r is not None)
    winner = "bob" if loser == "alice" else "alice"
    message = str(results[loser])
    assert message.startswith(f"{winner} changed counter ") and message.endswith(MESSAGE_END)
    served = _served(alice, cid)
    assert len(served) == 1  # one agency at the counter: no double booking
    assert not [d for d in load_allocation(alice.session).double_bookings if d.counter.id == cid]


def _waiting_for_a_lock(pg_server, database) -> bool:
    with pg_server.connect(database) as con:
        return con.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
                           (database,)).fetchone()[0] > 0


def test_the_second_assignment_waits_for_the_first_and_is_refused(pg_server, team):
    """Bob's window had not read the counter: his edit waits for alice's lock, then sees her assignment."""
    alice, bob = team
    cid = _clash_free_counter(alice, bob)[0].id
    bob.session.expire_all()  # (and holds nothing)
    first, second = alice.all(Agency)[:2]
    locked, go = threading.Event(), threading.Event()
    mine = AssignAgency([cid], first.id, 0b00011)
    plan = mine.plan

    def plan_slowly(session, rows):  # alice holds the counter's lock, her change not committed yet
        locked.set()
        assert go.wait(DEADLINE_S)
        return plan(session, rows)

    mine.plan = plan_slowly  # type: ignore[method-assign]
    results: dict[str, BaseException | None] = {}

    def run(name, project, command) -> None:
        try:
            History(project).push(command)
            results[name] = None
        except EditConflict as exc:
            results[name] = exc

    a = threading.Thread(target=run, args=("alice", alice, mine))
    a.start()
    assert locked.wait(DEADLINE_S)
    b = threading.Thread(target=run, args=("bob", bob, AssignAgency([cid], second.id, 0b00110)))
    b.start()
    database = make_url(alice.file.url).database
    end = time.monotonic() + DEADLINE_S
    while not _waiting_for_a_lock(pg_server, database) and time.monotonic() < end:
        time.sleep(0.05)
    assert b.is_alive()  # bob waits for alice
    go.set()
    a.join(DEADLINE_S)
    b.join(DEADLINE_S)
    assert results["alice"] is None
    assert str(results["bob"]).startswith("alice changed counter ")
    assert _served(bob, cid) == {first.id: 0b00011}
