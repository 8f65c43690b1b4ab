"""Random sequences of undoable edits with undo and redo (hypothesis).

After every step the open project's objects must equal what a fresh reader sees in the file, its
relationship collections must match the rows on disk, a refused edit must change nothing, and at
the end undoing everything must give back the initial file exactly (and redoing everything the
final one)."""

import os
import shutil
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mpp_planner.store.file import SCHEMA_HEAD
from mpp_planner.commands import AddObjects, DeleteObjects, History, MacroCommand, SetFields
from mpp_planner.model import (Agency, BudgetLine, Counter, CounterAssignment, Floor, Room, Service,
                               ValidationError)
from mpp_planner.project import Project
from mpp_planner.store.file import make_engine

from tests.safety.dump import content, dump_file, dump_memory
from tests.helpers import year_sub_activity

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / f"schema-{SCHEMA_HEAD}.mpplan"
# a modest number in `make test`; FUZZ_EXAMPLES=200 for a longer hunt
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
STATS = {"examples": 0, "steps": 0, "refused": 0, "undo": 0, "redo": 0}


def rect(x, y, w, h):
    return [[x, y], [x + w, y], [x + w, y + h], [x, y + h]]


def ids(project, cls):
    return list(project.session.scalars(select(cls.id).order_by(cls.id)))


class Fuzzer:
    def __init__(self, project, data):
        self.p = project
        self.data = data
        self.history = History(project)
        self.n = 0
        with project.edit() as s:
            sub = year_sub_activity(s, 2025)
            s.flush()
            self.sub_activity_id = sub.id

    def pick(self, cls):
        choices = ids(self.p, cls)
        return self.data.draw(st.sampled_from(choices)) if choices else None

    def name(self, prefix):
        self.n += 1
        return f"{prefix} {self.n}"

    # each returns a command, or None when it does not apply now
    def add_counter(self):
        floor = self.pick(Floor)
        if floor is None:
            return None
        x, y = self.data.draw(st.integers(-5000, 30000)), self.data.draw(st.integers(-5000, 30000))
        return AddObjects("add counter", [Counter(floor_id=floor, label=self.name("L"), x=x, y=y)])

    def move_counter(self):
        c = self.pick(Counter)
        if c is None:
            return None
        dx = self.data.draw(st.sampled_from([-100, 100, 250]))
        cur = self.p.get(Counter, c)
        return SetFields("move", Counter, {c: {"x": cur.x + dx, "y": cur.y - dx}}, merge_key=("move", c))

    def rename_counter(self):
        c = self.pick(Counter)
        return None if c is None else SetFields("rename", Counter, {c: {"label": self.name("K")}})

    def delete_counter(self):
        c = self.pick(Counter)
        return None if c is None else DeleteObjects("delete counter", Counter, [c])

    def add_room(self):
        floor = self.pick(Floor)
        if floor is None:
            return None
        kind = self.data.draw(st.sampled_from(["toilet", "waiting_area", "storage"]))
        return AddObjects("add room", [Room(floor_id=floor, name=self.name("Ruang"), kind=kind,
                                            outline=rect(0, 0, 3000, 2500))])

    def edit_room(self):
        r = self.pick(Room)
        if r is None:
            return None
        return SetFields("room", Room, {r: {"name": self.name("R"), "kind": "prayer_room",
                                            "outline": rect(100, 100, 4000, 3000)}})

    def delete_room(self):
        r = self.pick(Room)
        return None if r is None else DeleteObjects("delete room", Room, [r])

    def add_floor(self):
        floor = Floor(name=self.name("Lantai"), order=self.n)
        floor.rooms.append(Room(name=self.name("Aula"), kind="counter_hall", outline=rect(0, 0, 9000, 7000)))
        floor.counters.append(Counter(label=self.name("F"), x=1000, y=1000))
        return AddObjects("add floor", [floor])

    def delete_floor(self):
        f = self.pick(Floor)
        return None if f is None else DeleteObjects("delete floor", Floor, [f])

    def add_agency(self):
        agency = Agency(name=self.name("Instansi"), short_name="I", tier="pusat")
        agency.services.append(Service(name="Layanan"))
        return AddObjects("add agency", [agency])

    def rename_agency(self):
        a = self.pick(Agency)
        if a is None:
            return None
        other = self.pick(Agency)  # sometimes the name of another agency: refused by the database
        name = self.p.get(Agency, other).name if self.data.draw(st.booleans()) else self.name("Dinas")
        return SetFields("rename agency", Agency, {a: {"name": name}})

    def delete_agency(self):
        a = self.pick(Agency)
        return None if a is None else DeleteObjects("delete agency", Agency, [a])

    def assign(self):
        c, a = self.pick(Counter), self.pick(Agency)
        if c is None or a is None:
            return None
        days = self.data.draw(st.integers(1, 127))
        return AddObjects("assign", [CounterAssignment(counter_id=c, agency_id=a, weekdays=days)])

    def unassign(self):
        x = self.pick(CounterAssignment)
        return None if x is None else DeleteObjects("unassign", CounterAssignment, [x])

    def add_budget_line(self):
        room = self.pick(Room)
        return AddObjects("budget", [BudgetLine(
            fiscal_year=2025, account_code="5.1.02.01.01.0024", description=self.name("Belanja"), room_id=room,
            factors=[["2", "Unit"]], unit_price=Decimal(self.data.draw(st.integers(0, 10 ** 9))) / 100,
            sub_activity_id=self.sub_activity_id)])

    def price_budget_line(self):
        b = self.pick(BudgetLine)
        if b is None:
            return None
        return SetFields("price", BudgetLine, {b: {"unit_price": Decimal("12345.67"), "ppn_applied": False}},
                         merge_key=("price", b))

    def delete_budget_line(self):
        b = self.pick(BudgetLine)
        return None if b is None else DeleteObjects("delete line", BudgetLine, [b])

    def invalid_edit(self):
        c = self.pick(Counter)
        if c is None:
            return None
        bad = self.data.draw(st.sampled_from([{"width": -1}, {"label": ""}, {"x": float("nan")},
                                              {"rotation": "miring"}]))
        return SetFields("bad", Counter, {c: bad})

    def macro(self):
        parts = [cmd for cmd in (self.add_floor(), self.add_agency(), self.rename_counter()) if cmd is not None]
        return MacroCommand("several", parts)

    def macro_failing_halfway(self):
        c = self.pick(Counter)
        if c is None:
            return None
        return MacroCommand("half", [self.add_agency(), SetFields("bad", Counter, {c: {"width": 0}})])


ACTIONS = [name for name in vars(Fuzzer) if not name.startswith("_") and name not in ("pick", "name")]


def check(project, reader):
    on_disk = dump_file(project.path, reader)
    assert dump_memory(project) == on_disk
    # collections held in memory match the rows on disk
    counter_floor = {r[0]: r[1] for r in on_disk["counter"]}
    room_floor = {r[0]: r[1] for r in on_disk["room"]}
    for floor in project.all(Floor):
        assert sorted(c.id for c in floor.counters) == sorted(k for k, f in counter_floor.items() if f == floor.id)
        assert sorted(r.id for r in floor.rooms) == sorted(k for k, f in room_floor.items() if f == floor.id)
    assign_counter = {r[0]: r[1] for r in on_disk["counter_assignment"]}
    for counter in project.all(Counter):
        assert sorted(a.id for a in counter.assignments) == sorted(
            k for k, c in assign_counter.items() if c == counter.id)
    return on_disk


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=st.data())
def test_random_edit_sequences_with_undo_redo_stay_consistent_with_the_file(tmp_path_factory, data):
    STATS["examples"] += 1
    path = tmp_path_factory.mktemp("cmd") / "f.mpplan"
    shutil.copy2(FIXTURE, path)
    project = Project.open(path)
    reader = make_engine(path, readonly=True)
    try:
        fz = Fuzzer(project, data)
        initial = before = check(project, reader)
        steps = data.draw(st.integers(1, 20), label="steps")
        for _ in range(steps):
            STATS["steps"] += 1
            action = data.draw(st.sampled_from(ACTIONS + ["undo"] * 4 + ["redo"] * 3), label="action")
            if action == "undo":
                STATS["undo"] += 1
                fz.history.undo()
            elif action == "redo":
                STATS["redo"] += 1
                fz.history.redo()
            else:
                command = getattr(fz, action)()
                if command is None:
                    continue
                depth = len(fz.history.done)
                try:
                    fz.history.push(command)
                except (ValidationError, IntegrityError):
                    STATS["refused"] += 1
                    assert len(fz.history.done) == depth
                    assert dump_file(path, reader) == before, f"refused {action} changed the file"
            before = check(project, reader)
        final = dump_file(path, reader)
        done = len(fz.history.done)
        while fz.history.undo():
            check(project, reader)
        assert content(dump_file(path, reader)) == content(initial)  # (row versions and the change log grew)
        for _ in range(done):
            assert fz.history.redo()
        assert content(check(project, reader)) == content(final)
    finally:
        reader.dispose()
        project.close()


def test_report_command_fuzz(capsys):
    with capsys.disabled():
        print(f"\n[command fuzz] {STATS['examples']} sequences, {STATS['steps']} steps "
              f"({STATS['undo']} undo, {STATS['redo']} redo, {STATS['refused']} refused edits)")
