"""Ticking a checklist item: one undoable step, one row per (item, room), kept in the file."""

import datetime

import pytest
from sqlalchemy import select

from mpp_planner.commands import History
from mpp_planner.commands.checklist import tick
from mpp_planner.model import Room, ValidationError
from mpp_planner.model.checklist import ChecklistTick
from mpp_planner.reads.checklist import checklist_rows, rooms_with_items
from tests.conftest import reopen
from tests.helpers import file_rows

DAY = datetime.date(2025, 3, 4)


@pytest.fixture
def demo_project(demo_project):
    """The demo without its 2024 walk-round ticks: these tests start from an empty checklist."""
    demo_project.delete_rows("checklist_tick", [t.id for t in demo_project.all(ChecklistTick)])
    return demo_project


def lactation_id(project):
    return project.session.scalars(select(Room.id).where(Room.kind == "lactation_room")).first()


def test_tick_adds_then_updates_one_row_with_undo(demo_project):
    room_id = lactation_id(demo_project)
    history = History(demo_project)
    history.push(tick(demo_project, "laktasi.ventilasi", room_id, True, "Sri Wahyuni", DAY))
    rows = file_rows(demo_project.path, "checklist_tick")
    assert [(r[1], r[2], r[3], r[4], r[5]) for r in rows] == [("laktasi.ventilasi", room_id, 1, "2025-03-04",
                                                               "Sri Wahyuni")]
    history.push(tick(demo_project, "laktasi.ventilasi", room_id, False, "Budi", DAY + datetime.timedelta(1)))
    rows = file_rows(demo_project.path, "checklist_tick")
    assert len(rows) == 1 and rows[0][3] == 0 and rows[0][5] == "Budi"
    history.undo()
    rows = file_rows(demo_project.path, "checklist_tick")
    assert len(rows) == 1 and rows[0][3] == 1 and rows[0][5] == "Sri Wahyuni"
    history.undo()
    assert file_rows(demo_project.path, "checklist_tick") == []
    history.redo()
    history.redo()
    project = reopen(demo_project)
    try:
        [row] = project.session.scalars(select(ChecklistTick)).all()
        assert (row.key, row.room_id, row.ticked, row.checked_by) == ("laktasi.ventilasi", room_id, False, "Budi")
        [state] = [r for r in checklist_rows(project, room_id) if r.key == "laktasi.ventilasi"]
        assert not state.ticked and state.checked_by == "Budi"
    finally:
        project.close()


def test_site_and_room_ticks_are_separate_and_date_defaults_to_today(demo_project):
    history = History(demo_project)
    history.push(tick(demo_project, "titik_kumpul", None, True, "Pengurus Barang"))
    site = {r.key: r for r in checklist_rows(demo_project, None)}
    assert site["titik_kumpul"].ticked and site["titik_kumpul"].date == datetime.date.today()
    assert not site["parkir.tersedia"].ticked and site["toilet.bersih"].optional
    assert "laktasi.ventilasi" not in site
    room = {r.key for r in checklist_rows(demo_project, lactation_id(demo_project))}
    assert "laktasi.pintu_terkunci" in room and "titik_kumpul" not in room
    assert [name for _id, name in rooms_with_items(demo_project)] == ["Ruang Laktasi"]


def test_unknown_or_misplaced_items_are_refused(demo_project):
    with pytest.raises(ValidationError, match="no item 'laktasi.ventilasi'"):
        tick(demo_project, "laktasi.ventilasi", None, True, "x")
    with pytest.raises(ValidationError, match="no item 'nope'"):
        tick(demo_project, "nope", lactation_id(demo_project), True, "x")
    with pytest.raises(ValidationError):
        tick(demo_project, "titik_kumpul", 999999, True, "x")
    assert file_rows(demo_project.path, "checklist_tick") == []
