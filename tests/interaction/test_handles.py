"""Grips of the single selected object: resize, rotate, a room corner, a dimension end."""

import math

import pytest

from mpp_planner.commands.plan import AddAnnotation, EditPlan, EditRoomOutline, ResizeObject, RotateObject
from mpp_planner.interaction import Keys, Mod, SelectTool
from mpp_planner.model import Annotation, Counter, Room
from tests.interaction.fakes import FakeView, click, drag, key, move, press, release


@pytest.fixture
def near(plan):
    """At 0.1 px/mm, as the GUI test of the grips: the rotation grip sits 260 mm above a box."""
    return FakeView(plan, scale=0.1)


def test_a_corner_grip_resizes_with_the_opposite_corner_in_place(near, counters, plan):
    tool = SelectTool(near)
    c0 = counters[0]
    click(tool, 11000, 2000)
    press(tool, 11900, 2400)  # the bottom-right grip
    move(tool, 12150, 2500)  # the right edge snaps onto the next counter's left edge (12.1 m)
    assert near.handles_on is False
    assert near.previews[c0] == ("box", (11100, 2050, 2000, 900, 0))
    assert near.guides == (12100, None)
    move(tool, 12400, 2600)
    assert near.asked("status")[-1] == ("Size 2300 × 1000 mm",)
    assert near.pushed == []
    release(tool, 12400, 2600)
    (cmd,) = near.pushed
    assert isinstance(cmd, ResizeObject) and cmd.text == "Resize counter"
    assert cmd.new == {c0: {"x": 11250, "y": 2100, "width": 2300, "depth": 1000}}
    c = plan.get(Counter, c0[1])
    assert (c.x, c.y, c.width, c.depth) == (11250, 2100, 2300, 1000)
    assert near.handles_on is True


def test_the_rotation_grip_turns_in_15_degree_steps_and_freely_with_alt(near, counters, plan):
    tool = SelectTool(near)
    c0 = counters[0]
    click(tool, 11000, 2000)
    top = 2000 - 400 - 260
    drag(tool, (11000, top), (13500, 1900))  # 85° from straight up: snaps to 90°
    (cmd,) = near.pushed
    assert isinstance(cmd, RotateObject) and cmd.new == {c0: {"rotation": 90.0}}
    assert plan.get(Counter, c0[1]).rotation == 90
    # now the grip is on the right of the turned box
    drag(tool, (11000 + 400 + 260, 2000), (11000, 4000), Mod.ALT)
    assert near.pushed[-1].new == {c0: {"rotation": 180.0}}
    drag(tool, (11000, 2000 + 400 + 260), (9000, 2000 + 1900), Mod.ALT)
    expected = round(math.degrees(math.atan2(-2000, -1900)) % 360, 3)
    assert near.pushed[-1].new == {c0: {"rotation": expected}} and expected % 15


def test_a_grip_let_go_where_it_was_pushes_nothing_and_escape_takes_the_preview_back(near, counters):
    tool = SelectTool(near)
    c0 = counters[0]
    click(tool, 11000, 2000)
    press(tool, 11900, 2400)
    release(tool, 11900, 2400)
    drag(tool, (11900, 2400), (11900, 2400))
    assert near.pushed == []
    press(tool, 11900, 2400)
    move(tool, 12500, 2800)
    assert c0 in near.previews
    key(tool, Keys.ESCAPE)
    assert near.previews == {} and near.handles_on is True
    release(tool, 12500, 2800)
    assert near.pushed == [] and near.selected == [c0]


def test_a_room_corner_follows_with_its_area_and_a_crossing_outline_is_refused(near, rooms, plan):
    tool = SelectTool(near)
    desk = rooms["Meja Info"]
    click(tool, 2000, 2000)
    press(tool, 3000, 3000)
    move(tool, 3500, 3500)
    move(tool, 4000, 4000)
    reshaped = [[1000, 1000], [3000, 1000], [4000, 4000], [1000, 3000]]
    assert near.previews[desk] == ("outline", reshaped, True)
    assert near.asked("status")[-1] == ("6.00 m²",)
    release(tool, 4000, 4000)
    (cmd,) = near.pushed
    assert isinstance(cmd, EditRoomOutline) and cmd.text == "Reshape room"
    assert cmd.new[desk] == {"outline": reshaped}
    assert plan.get(Room, desk[1]).outline == reshaped
    # pulling that corner across the outline: shown as refused, then refused by the model
    press(tool, 4000, 4000)
    move(tool, 4000, 2000)
    move(tool, 4000, 0)
    assert near.previews[desk] == ("outline", [[1000, 1000], [3000, 1000], [4000, 0], [1000, 3000]], False)
    release(tool, 4000, 0)
    assert len(near.pushed) == 1 and len(near.refused) == 1
    assert "must not cross itself" in near.messages[-1][0]
    assert near.previews == {} and near.handles_on is True
    assert plan.get(Room, desk[1]).outline == reshaped


def test_a_dimension_end_moves_alone(near, plan):
    near.push(AddAnnotation(near.floor, "dimension", 0, -1000, 10000, -1000))
    (note,) = [ref for ref in near.objects if ref[0] == "annotation"]
    tool = SelectTool(near)
    click(tool, 5000, -1000)
    assert near.selected == [note]
    drag(tool, (10000, -1000), (12000, -1000))
    cmd = near.pushed[-1]
    assert isinstance(cmd, EditPlan) and cmd.text == "Move dimension end"
    assert cmd.new == {note: {"x1": 0, "y1": -1000, "x2": 12000, "y2": -1000}}
    a = plan.get(Annotation, note[1])
    assert (a.x1, a.y1, a.x2, a.y2) == (0, -1000, 12000, -1000)
