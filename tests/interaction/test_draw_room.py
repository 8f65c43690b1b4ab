"""Drawing a room: a dragged rectangle, or corners closed by a double-click, Enter or a click
on the first corner; Backspace, Escape, and outlines the model refuses."""

from mpp_planner.commands.plan import AddRoom
from mpp_planner.interaction import Button, DrawRoomTool, Keys
from mpp_planner.model import Room
from tests.helpers import rect
from tests.interaction.fakes import click, double_click, key, move, press, release


def new_room(plan, name="Room 1"):
    return {r.name: r for r in plan.all(Room)}.get(name)


def corners(tool, points):
    for x, y in points:
        click(tool, x, y)


def test_a_dragged_rectangle_is_a_room_and_is_selected(view, plan):
    tool = DrawRoomTool(view)
    press(tool, 2000, 9000)
    move(tool, 4000, 10000)
    move(tool, 6030, 11980)
    assert view.outline == (rect(2000, 9000, 4000, 3000), True)  # snapped to the grid
    assert view.asked("status")[-1] == ("4.00 m × 3.00 m",)
    release(tool, 6030, 11980)
    (cmd,) = view.pushed
    assert isinstance(cmd, AddRoom) and cmd.outline == rect(2000, 9000, 4000, 3000)
    room = new_room(plan)
    assert room.outline == rect(2000, 9000, 4000, 3000) and room.area_m2 == 12.0
    assert view.selected == [("room", room.id)]
    assert view.outline is None and view.guides == (None, None)


def test_corners_closed_by_a_double_click(view, plan):
    tool = DrawRoomTool(view)
    corners(tool, [(0, 9000), (6000, 9000), (6000, 11000), (3000, 11000), (3000, 13000)])
    assert view.pushed == []
    move(tool, 0, 13000, buttons=Button.NONE)  # the live preview, closed back to the first corner
    shape = [[0, 9000], [6000, 9000], [6000, 11000], [3000, 11000], [3000, 13000], [0, 13000]]
    assert view.outline == (shape, True)
    assert view.asked("status")[-1] == ("18.00 m²",)
    double_click(tool, 0, 13000)
    (cmd,) = view.pushed
    assert cmd.outline == shape and new_room(plan).area_m2 == 18.0
    assert view.outline is None and tool.points == []


def test_a_click_near_the_first_corner_closes_the_outline(view, plan):
    tool = DrawRoomTool(view)
    corners(tool, [(0, 9000), (4000, 9000), (4000, 12000), (0, 12000)])
    click(tool, 100, 9070)  # 170 mm = 8.5 px from the first corner: within 9 px
    (cmd,) = view.pushed
    assert cmd.outline == rect(0, 9000, 4000, 3000)


def test_enter_closes_and_backspace_takes_the_last_corner_back(view, plan):
    tool = DrawRoomTool(view)
    corners(tool, [(0, 9000), (4000, 9000), (4000, 12000), (0, 12000)])
    assert key(tool, Keys.BACKSPACE)
    assert view.outline == ([[0, 9000], [4000, 9000], [4000, 12000]], True)
    assert key(tool, Keys.ENTER)
    assert new_room(plan).outline == [[0, 9000], [4000, 9000], [4000, 12000]]


def test_escape_drops_the_outline_and_a_second_escape_returns_to_select(view, plan):
    tool = DrawRoomTool(view)
    corners(tool, [(0, 9000), (4000, 9000), (4000, 12000)])
    key(tool, Keys.ESCAPE)
    assert view.outline is None and tool.points == [] and view.tool is None
    key(tool, Keys.ENTER)  # nothing left to close
    assert view.pushed == [] and new_room(plan) is None
    key(tool, Keys.ESCAPE)
    assert view.tool == "select"


def test_a_crossing_outline_is_refused_with_a_message_and_its_corners_stay(view, plan):
    tool = DrawRoomTool(view)
    corners(tool, [(0, 9000), (4000, 12000), (4000, 9000)])
    move(tool, 0, 12000, buttons=Button.NONE)
    assert view.outline[1] is False  # drawn as refused before the model says so
    click(tool, 0, 12000)
    key(tool, Keys.ENTER)
    assert view.pushed == [] and len(view.refused) == 1
    assert "must not cross itself" in view.messages[-1][0]
    assert len(tool.points) == 4 and view.outline is not None
    key(tool, Keys.BACKSPACE)  # fixed: a triangle
    key(tool, Keys.ENTER)
    assert new_room(plan).outline == [[0, 9000], [4000, 12000], [4000, 9000]]


def test_a_zero_area_outline_and_too_few_corners_are_refused(view, plan):
    tool = DrawRoomTool(view)
    corners(tool, [(0, 9000), (2000, 9000), (4000, 9000)])
    key(tool, Keys.ENTER)
    assert "must enclose an area" in view.messages[-1][0]
    key(tool, Keys.ESCAPE)
    corners(tool, [(0, 9000), (2000, 9000)])
    key(tool, Keys.ENTER)
    assert view.messages[-1] == ("A room needs at least three corners.", True)
    assert view.pushed == [] and new_room(plan) is None
