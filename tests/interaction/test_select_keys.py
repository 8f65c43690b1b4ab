"""The plan with the keyboard alone, without Qt: Tab and Shift+Tab walk the selection through the
floor's objects in a sensible order, Enter edits the selection as a double-click does, Escape clears
it, and an arrow key's step is a grid step."""

from mpp_planner.interaction import Keys, Mod, SelectTool
from mpp_planner.interaction.select import next_in_order, nudge_step, tab_order
from tests.interaction.fakes import FakeView, box, dimension, key, press, room


def test_tab_order_is_rooms_counters_items_annotations_each_top_to_bottom_then_left_to_right():
    objects = [box("item", 7, 500, 500, 400, 400), dimension(3, (0, 9000), (4000, 9000)),
               box("counter", 2, 13000, 2000), box("counter", 1, 11000, 2000), box("counter", 9, 11000, 4000),
               room(5, [(10000, 0), (16000, 0), (16000, 8000), (10000, 8000)]),
               room(4, [(0, 0), (10000, 0), (10000, 8000), (0, 8000)]),
               box("wall", 6, 5000, 0, 10000, 150)]
    assert tab_order(objects) == [("room", 4), ("room", 5), ("wall", 6), ("counter", 1), ("counter", 2),
                                  ("counter", 9), ("item", 7), ("annotation", 3)]


def test_next_in_order_goes_round_both_ways():
    order = [("room", 1), ("counter", 2), ("item", 3)]
    assert next_in_order(order, []) == ("room", 1)
    assert next_in_order(order, [], backwards=True) == ("item", 3)
    assert next_in_order(order, [("room", 1)]) == ("counter", 2)
    assert next_in_order(order, [("item", 3)]) == ("room", 1)  # round the end
    assert next_in_order(order, [("room", 1)], backwards=True) == ("item", 3)
    # several selected: on from the last of them, back from the first
    assert next_in_order(order, [("counter", 2), ("room", 1)]) == ("item", 3)
    assert next_in_order(order, [("counter", 2), ("item", 3)], backwards=True) == ("room", 1)
    assert next_in_order(order, [("room", 99)]) == ("room", 1)  # a selection no longer shown
    assert next_in_order([], [("room", 1)]) is None


def test_tab_cycles_the_selection_through_the_floor(view, rooms, counters):
    tool = SelectTool(view)
    objects = lambda: [view._shown(ref) for ref in view.objects]  # noqa: E731 - what the scene shows
    # by centre: the desk room (centre 2, 2 m) before the lobby around it (5, 4 m), then the hall (13, 4 m)
    expected = [rooms["Meja Info"], rooms["Lobi"], rooms["Ruang Layanan"], *counters]
    assert tab_order(objects()) == expected
    seen = []
    for _ in range(len(expected) + 1):
        seen.append(tool.cycle(objects()))
        assert view.selected == [seen[-1]]
    assert seen == expected + expected[:1]  # round the end, back to the first
    assert tool.cycle(objects(), backwards=True) == counters[-1]
    assert tool.cycle(objects(), backwards=True) == counters[-2]
    assert view.selected == [counters[-2]]
    assert view.pushed == []


def test_tab_does_nothing_during_a_gesture_or_on_an_empty_floor(view, counters):
    tool = SelectTool(view)
    objects = [view._shown(ref) for ref in view.objects]
    press(tool, 16500, 9000)  # a rubber band begins
    assert tool.cycle(objects) is None
    assert SelectTool(FakeView()).cycle([]) is None


def test_enter_edits_the_selected_object_as_a_double_click_does(view, counters):
    tool = SelectTool(view)
    assert not key(tool, Keys.ENTER)  # nothing selected: the key is not used
    assert view.asked("edit") == []
    view.select([counters[1]])
    assert key(tool, Keys.ENTER)
    assert view.asked("edit") == [(counters[1],)]
    view.select([counters[2], counters[0]])
    assert key(tool, Keys.ENTER)  # several: the first of them (the properties show them all)
    assert view.asked("edit")[-1] == (counters[2],)
    press(tool, 16500, 9000)
    assert not key(tool, Keys.ENTER)  # during a gesture: not an edit
    assert len(view.asked("edit")) == 2


def test_escape_clears_the_selection_and_arrows_nudge(view, counters):
    tool = SelectTool(view)
    view.select(counters)
    assert key(tool, Keys.LEFT) and key(tool, Keys.DOWN, Mod.SHIFT)
    assert view.asked("nudge") == [(-1, 0, False), (0, 1, True)]
    assert key(tool, Keys.ESCAPE)
    assert view.selected == []


def test_an_arrow_moves_a_grid_step_and_shift_ten():
    assert nudge_step(100, True, False) == 100
    assert nudge_step(100, True, True) == 1000
    assert nudge_step(250, True, False) == 250
    assert nudge_step(100, False, False) == 10  # snapping off: fine steps
    assert nudge_step(100, False, True) == 100
    assert nudge_step(None, True, False) == 10
