"""Helpers for tests (importable as tests.helpers)."""

from __future__ import annotations

from decimal import Decimal

from mpp_planner.model import Floor, ItemType, Room


def rect(x, y, w, h):
    return [[x, y], [x + w, y], [x + w, y + h], [x, y + h]]


def add_floor_with_room(project, name="Lantai 1", kind="counter_hall", outline=None):
    with project.edit() as s:
        floor = Floor(name=name, order=1)
        room = Room(name="Aula", kind=kind, outline=outline or rect(0, 0, 10000, 8000))
        floor.rooms.append(room)
        s.add(floor)
    return floor, room


def add_plan(project) -> None:
    """A floor with a lobby 10 x 8 m holding a 2 x 2 m desk room at (1, 1) m, a service hall 6 x 8 m
    to its right (10..16 m), and a chair and an AC in the catalog (the chair first)."""
    with project.edit() as s:
        floor = Floor(name="Lantai 1", order=1)
        floor.rooms.append(Room(name="Lobi", kind="waiting_area", outline=rect(0, 0, 10000, 8000)))
        floor.rooms.append(Room(name="Meja Info", kind="information_desk", outline=rect(1000, 1000, 2000, 2000)))
        floor.rooms.append(Room(name="Ruang Layanan", kind="counter_hall", outline=rect(10000, 0, 6000, 8000)))
        s.add(floor)
        s.add(ItemType(key="kursi", name="Kursi Tunggu", category="Ruang Tunggu", unit="unit", ref_price=Decimal(1),
                       account_code="5.2.02.05.02.0001", width=500, depth=500, seats=1))
        s.add(ItemType(key="ac", name="AC Split 1,5 PK", category="Elektronik", unit="unit", ref_price=Decimal(1),
                       account_code="5.2.02.05.02.0001", width=900, depth=300))


def deny_lock_files(monkeypatch) -> None:
    """Creating a ``.lock`` file fails as it does in a read-only folder (as root, real folder
    permissions do not stop us)."""
    import os

    from mpp_planner.store import lock as locking

    real_open = os.open

    def deny_locks(path, *args, **kwargs):
        if ".lock" in str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(locking.os, "open", deny_locks)


STORAGE_FAILURE_TEXT = {"full": "database or disk is full", "locked": "database is locked",
                        "readonly": "attempt to write a readonly database", "io": "disk I/O error"}


def storage_fails(monkeypatch, project, kind: str = "full") -> None:
    """Every commit of ``project`` fails from now on as SQLite fails on a full disk (``kind`` "full"),
    a file held by another program ("locked"), a file that became read-only ("readonly") or a lost
    disk ("io"): SQLAlchemy's OperationalError around the driver's own error, raised where SQLite
    raises it. The transaction is rolled back as it would be for real."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    def failing_commit():
        raise OperationalError("COMMIT", {}, sqlite3.OperationalError(STORAGE_FAILURE_TEXT[kind]))

    monkeypatch.setattr(project.session, "commit", failing_commit)


def file_rows(path, table: str) -> list[tuple]:
    """All rows of ``table`` in the project file at ``path``, read with plain sqlite3 (no app code)."""
    import sqlite3

    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return sorted(con.execute(f"SELECT * FROM {table}").fetchall(), key=repr)  # noqa: S608 - test tables
    finally:
        con.close()


def file_tables(path) -> dict[str, list[tuple]]:
    """Every table of the file at ``path`` (its stored form, all columns), as :func:`file_rows` reads one."""
    import sqlite3

    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
    finally:
        con.close()
    return {name: file_rows(path, name) for name in names}


import contextlib  # noqa: E402 - appended with the helper that uses it


@contextlib.contextmanager
def sql_statements(project):
    """The SQL statements ``project``'s connection runs inside the block (a list, filled as they run):
    for tests that a read is batched (a fixed number of queries, none per row)."""
    from sqlalchemy import event

    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        seen.append(statement)

    engine = project.file.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


@contextlib.contextmanager
def open_for_screen(path, *, readonly: bool = False):
    """A project opened as a screen gets it in the app: (project, signals, undo stack); closed afterwards in
    the app's order (the history dropped while its commands are alive, see UndoStack.dispose)."""
    from mpp_planner.project import Project
    from mpp_planner.qt.signals import ProjectSignals
    from mpp_planner.qt.undo import UndoStack

    project = Project.open(path, readonly=readonly)
    signals = ProjectSignals(project)
    stack = UndoStack(project)
    try:
        yield project, signals, stack
    finally:
        stack.dispose()
        signals.detach()
        project.close()


def year_sub_activity(session, year: int = 2024):
    """The first sub kegiatan of ``year`` in an open session, made when the year has none (for tests that
    add budget lines straight through the session)."""
    from sqlalchemy import select

    from mpp_planner.model import SubActivity

    found = session.scalar(select(SubActivity).where(SubActivity.fiscal_year == year).order_by(SubActivity.position))
    if found is None:
        found = SubActivity(fiscal_year=year, code="2.18.01.2.07.0006", name="Pengadaan Peralatan dan Mesin Lainnya")
        session.add(found)
    return found
