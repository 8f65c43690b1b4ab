"""Child side of the crash test: a small fork server that runs scripted, committed edits.

Started once by tests/safety/test_crash.py (so the imports are paid once). For every line
``run PATH`` on stdin it forks a worker that opens the project and applies edit after edit
through the undoable commands, writing ``committed N`` after each commit. The parent SIGKILLs
the worker at a random moment; this server reaps it and writes ``exited PID``. All output goes
through os.write on one pipe, so lines arrive whole and in order.
"""

from __future__ import annotations

import os
import sys
from decimal import Decimal

from mpp_planner.commands import AddObjects, DeleteObjects, History, SetFields
from mpp_planner.model import BudgetLine, Counter, Floor, Room
from mpp_planner.project import Project
from tests.helpers import year_sub_activity

ACCOUNT = "5.1.02.01.01.0024"


def say(text: str) -> None:
    os.write(1, (text + "\n").encode())


def base_project(path) -> None:
    """The project every crash run continues to edit: one floor, one room."""
    p = Project.create(path, site_name="MPP Uji Crash")
    with p.edit() as s:
        floor = Floor(name="Lantai 1", order=1)
        floor.rooms.append(Room(name="Aula", kind="counter_hall",
                                outline=[[0, 0], [20000, 0], [20000, 10000], [0, 10000]]))
        s.add(floor)
        year_sub_activity(s, 2025)
    p.close()


def edit_command(project: Project, k: int):
    """Edit number ``k`` (1, 2, 3 ...): a deterministic cycle of add / rename / add / delete."""
    floor = project.all(Floor)[0]
    room = project.all(Room)[0]
    if k % 4 == 1:
        return AddObjects("add counter", [Counter(floor_id=floor.id, label=f"K{k}", x=(k * 137) % 18000 + 1000,
                                                  y=(k * 71) % 8000 + 1000)])
    if k % 4 == 2:
        return SetFields("rename room", Room, {room.id: {"name": f"Ruang {k}"}})
    if k % 4 == 3:
        return AddObjects("add budget line", [BudgetLine(
            fiscal_year=2025, account_code=ACCOUNT, description=f"B{k}", factors=[["1", "Unit"]],
            unit_price=Decimal(k) + Decimal("0.50"), sub_activity_id=1)])
    victim = project.session.scalars(
        Counter.__table__.select().where(Counter.label == f"K{k - 3}").with_only_columns(Counter.id)).one()
    return DeleteObjects("delete counter", Counter, [victim])


def expected_state(n: int) -> dict:
    """What the file must hold after edits 1..n."""
    counters = {f"K{k}" for k in range(1, n + 1) if k % 4 == 1 and k + 3 > n}
    renames = [k for k in range(1, n + 1) if k % 4 == 2]
    lines = {f"B{k}": Decimal(k) + Decimal("0.50") for k in range(1, n + 1) if k % 4 == 3}
    return {"n": n, "counters": counters, "room": f"Ruang {renames[-1]}" if renames else "Aula", "lines": lines}


def actual_state(project: Project) -> dict:
    city = project.site.city
    return {"n": int(city) if city else 0,
            "counters": {c.label for c in project.all(Counter)},
            "room": project.all(Room)[0].name,
            "lines": {b.description: b.unit_price for b in project.all(BudgetLine)}}


def work(path: str) -> None:
    project = Project.open(path)
    history = History(project)
    k = int(project.site.city or 0)
    say(f"ready {k}")
    while True:
        k += 1
        with project.edit():  # the command and the edit counter commit together
            history.push(edit_command(project, k))
            project.site.city = str(k)
        say(f"committed {k}")


def serve() -> None:
    for line in sys.stdin:
        cmd, _, arg = line.strip().partition(" ")
        if cmd != "run":
            break
        pid = os.fork()
        if pid == 0:
            try:
                work(arg)
            except BaseException as exc:  # noqa: BLE001 - report and leave without cleanup
                say(f"error {type(exc).__name__}: {exc}")
            finally:
                os._exit(1)
        say(f"pid {pid}")
        _, status = os.waitpid(pid, 0)
        say(f"exited {pid} {status}")


if __name__ == "__main__":
    serve()
