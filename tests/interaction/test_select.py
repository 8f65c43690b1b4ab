"""The select tool's rules without Qt: clicks, Shift/Ctrl, rubber bands, moving by drag, the
drag threshold, Escape, nudges — asserting the commands pushed (in mm) and what the view was
asked to show."""

from mpp_planner.commands.plan import MoveObjects
from mpp_planner.commands.snap import Box
from mpp_planner.interaction import Button, Cursor, Keys, Mod, SelectTool
from mpp_planner.model import Counter, Room
from tests.interaction.fakes import FakeView, click, double_click, drag, key, move, press, release


def test_click_selects_and_shift_or_ctrl_click_toggles(view, counters):
    tool = SelectTool(view)
    c0, c1, _c2 = counters
    click(tool, 11000, 2000)
    assert view.selected == [c0]
    click(tool, 13000, 2000, Mod.SHIFT)
    assert view.selected == [c0, c1]
    click(tool, 11000, 2000, Mod.CTRL)  # Ctrl toggles too
    assert view.selected == [c1]
    click(tool, 16500, 9000)  # nothing there: a click clears the selection
    assert view.selected == []
    assert view.pushed == []


def test_a_click_inside_an_unselected_room_selects_it_on_release(view, rooms):
    tool = SelectTool(view)
    hall = rooms["Ruang Layanan"]
    press(tool, 12000, 6000)
    assert view.selected == []  # not yet: this press may become a rubber band
    release(tool, 12000, 6000)
    assert view.selected == [hall]
    assert view.pushed == []


def test_a_drag_inside_an_unselected_room_is_a_rubber_band(view, rooms, counters):
    tool = SelectTool(view)
    press(tool, 10050, 1000)
    move(tool, 12000, 2000)
    assert view.band == Box(10050, 1000, 12000, 2000)
    move(tool, 15950, 3000)
    release(tool, 15950, 3000)
    assert view.band is None
    assert view.selected == counters  # wholly inside the band; the hall is not
    assert view.pushed == []


def test_a_press_on_a_counter_in_an_unselected_room_picks_the_counter_and_a_drag_moves_it(view, counters, plan):
    tool = SelectTool(view)
    c1 = counters[1]
    press(tool, 13000, 2000)
    assert view.selected == [c1]  # the counter, on top of the hall, is selected at once
    for y in (2500, 3000, 4000):
        move(tool, 13000, y)
    release(tool, 13000, 4000)
    (cmd,) = view.pushed
    assert isinstance(cmd, MoveObjects) and cmd.deltas == {c1: (0, 2000)}
    assert (plan.get(Counter, c1[1]).x, plan.get(Counter, c1[1]).y) == (13000, 4000)


def test_a_selected_room_moves_by_drag(view, rooms, plan):
    tool = SelectTool(view)
    desk = rooms["Meja Info"]
    click(tool, 2000, 2000)  # the desk room lies on the lobby: the upper one is picked
    assert view.selected == [desk]
    drag(tool, (2000, 2000), (2000, 4000))
    (cmd,) = view.pushed
    assert cmd.deltas == {desk: (0, 2000)} and cmd.text == "Move room"
    assert plan.get(Room, desk[1]).outline == [[1000, 3000], [3000, 3000], [3000, 5000], [1000, 5000]]


def test_dragging_the_selection_previews_and_pushes_one_command_on_release(plan, counters):
    view = FakeView(plan, scale=0.1)  # walls 10 cm away do not pull at this zoom
    tool = SelectTool(view)
    drag(tool, (10050, 1000), (15950, 3000))
    assert view.selected == counters
    press(tool, 13000, 2000)
    for y in (2500, 3000, 3500, 4000, 4500):
        move(tool, 13000, y)
        assert view.pushed == []  # nothing until the release
    assert view.asked("preview_move")[-1] == (counters, 0, 2500)
    assert view.handles_on is False
    move(tool, 13000, 5000)
    release(tool, 13000, 5000)
    (cmd,) = view.pushed
    assert isinstance(cmd, MoveObjects) and cmd.deltas == {ref: (0, 3000) for ref in counters}
    assert cmd.text == "Move 3 counters"
    assert [(c.x, c.y) for c in plan.all(Counter, Counter.id)] == [(11000, 5000), (13000, 5000), (15000, 5000)]
    assert view.handles_on is True and view.guides == (None, None)
    assert view.asked("status")[-1] == ("",)
    assert view.selected == counters  # the selection survives the move


def test_a_press_that_moves_less_than_the_drag_threshold_is_a_click(view, counters):
    tool = SelectTool(view)
    c0 = counters[0]
    click(tool, 11000, 2000)
    press(tool, 11000, 2000, Mod.ALT)
    move(tool, 11030, 2020, Mod.ALT)  # 50 mm = 2.5 px at this zoom; the threshold is 4 px
    release(tool, 11030, 2020, Mod.ALT)
    assert view.pushed == [] and view.asked("preview_move") == []
    press(tool, 11000, 2000, Mod.ALT)
    move(tool, 11050, 2030, Mod.ALT)  # 80 mm = 4 px: a drag (Alt: not snapped)
    release(tool, 11050, 2030, Mod.ALT)
    (cmd,) = view.pushed
    assert cmd.deltas == {c0: (50, 30)}


def test_a_move_back_to_the_start_pushes_nothing(view, counters):
    tool = SelectTool(view)
    click(tool, 13000, 2000)
    press(tool, 13000, 2000)
    move(tool, 13500, 2000)
    move(tool, 13010, 2000)  # snaps back to no move at all
    release(tool, 13010, 2000)
    assert view.pushed == []
    assert view.asked("clear_preview")[-1] == ([counters[1]],)


def test_a_click_on_one_of_several_selected_keeps_it_and_a_drag_moves_them_all(view, counters):
    tool = SelectTool(view)
    drag(tool, (10050, 1000), (15950, 3000))
    click(tool, 13000, 2000)
    assert view.selected == [counters[1]]
    drag(tool, (10050, 1000), (15950, 3000))
    drag(tool, (13000, 2000), (13000, 6000))
    (cmd,) = view.pushed
    assert set(cmd.deltas) == set(counters)


def test_escape_cancels_a_move_then_clears_the_selection(view, counters):
    tool = SelectTool(view)
    c1 = counters[1]
    click(tool, 13000, 2000)
    press(tool, 13000, 2000)
    move(tool, 13000, 3000)
    assert view.previews == {c1: ("offset", 0, 1000)} and view.handles_on is False
    assert key(tool, Keys.ESCAPE)
    assert view.previews == {} and view.handles_on is True
    release(tool, 13000, 3000)
    assert view.pushed == [] and view.selected == [c1]
    key(tool, Keys.ESCAPE)  # nothing in progress: the selection goes
    assert view.selected == [] and view.tool is None


def test_escape_cancels_a_rubber_band(view):
    tool = SelectTool(view)
    press(tool, 16500, 9000)
    move(tool, 12000, 1000)
    assert view.band is not None
    key(tool, Keys.ESCAPE)
    assert view.band is None
    release(tool, 10000, 1000)
    assert view.selected == []


def test_shift_drag_adds_a_band_to_the_selection_and_a_tiny_band_selects_nothing(view, counters):
    tool = SelectTool(view)
    click(tool, 11000, 2000)
    drag(tool, (16500, 1000), (12050, 3000), Mod.SHIFT)
    assert view.selected == counters
    drag(tool, (16500, 9000), (16520, 9010))  # below the threshold: a click on nothing
    assert view.selected == []


def test_arrow_keys_nudge_when_no_gesture_is_on(view, counters):
    tool = SelectTool(view)
    click(tool, 11000, 2000)
    assert key(tool, Keys.LEFT)
    key(tool, Keys.DOWN, Mod.SHIFT)
    assert view.asked("nudge") == [(-1, 0, False), (0, 1, True)]
    press(tool, 11000, 2000)
    assert not key(tool, Keys.RIGHT)  # during a press: not a nudge
    assert len(view.asked("nudge")) == 2


def test_double_click_edits_the_object(view, counters):
    tool = SelectTool(view)
    double_click(tool, 13000, 2000)
    assert view.asked("edit") == [(counters[1],)]
    assert view.pushed == []


def test_the_pointer_shows_what_a_press_would_do(view, counters):
    tool = SelectTool(view)
    move(tool, 11000, 2000, buttons=Button.NONE)
    move(tool, 16500, 9000, buttons=Button.NONE)
    click(tool, 11000, 2000)
    move(tool, 11900, 2400, buttons=Button.NONE)  # the bottom-right grip
    move(tool, 11000, 2000 - 400 - 26 / 0.05, buttons=Button.NONE)  # the rotation grip above
    assert [c[0] for c in view.asked("cursor")] == [Cursor.MOVE, Cursor.ARROW, Cursor.SIZE_FDIAG, Cursor.POINT]


def test_without_a_floor_the_mouse_is_ignored(view):
    tool = SelectTool(view)
    view.floor = None
    drag(tool, (16500, 9000), (10000, 1000))
    click(tool, 11000, 2000)
    assert view.calls == []
