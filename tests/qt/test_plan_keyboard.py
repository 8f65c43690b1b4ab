"""The plan with the keyboard alone: Tab and Shift+Tab walk the selection through the floor's objects
and keep the focus on the plan, scrolling each into view; arrows move the selection a grid step
(Shift: ten); Enter opens the properties as a double-click does; Escape clears the selection. The
model and the file after reopening are checked."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from mpp_planner.commands.plan import AddFloor, PlaceCounter
from mpp_planner.model import Counter, Floor, Room
from tests.qt.plan_helpers import plan_file, reopened, tab, window, zoom  # noqa: F401


@pytest.fixture
def counters(tab, window):
    """Three counters in the service hall at x = 11, 13, 15 m, y = 2 m."""
    fid = window.project.all(Floor)[0].id
    ids = []
    for x in (11000, 13000, 15000):
        cmd = PlaceCounter(fid, x, 2000)
        window.undo_stack.push_command(cmd)
        ids.append(cmd.created[0][1])
    window.undo_stack.clear()
    return ids


@pytest.fixture
def focused(qtbot, tab, window, counters):
    """The plan view with the keyboard focus, as after clicking into it or tabbing to it."""
    window.activateWindow()
    tab.view.setFocus(Qt.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tab.view)
    return tab.view


def press_key(key, modifiers=Qt.NoModifier):
    """A key pressed where the keyboard focus is, as the user does."""
    QTest.keyClick(QApplication.focusWidget(), key, modifiers)


def selected(tab):
    return tab.view.scene().selected_refs()


def rooms(project):
    return {r.name: ("room", r.id) for r in project.session.scalars(select(Room))}


def test_tab_and_shift_tab_walk_the_selection_and_keep_the_focus_on_the_plan(tab, window, counters, focused):
    r = rooms(window.project)
    order = [r["Meja Info"], r["Lobi"], r["Ruang Layanan"]] + [("counter", c) for c in counters]
    seen = []
    for _ in range(len(order) + 1):
        press_key(Qt.Key_Tab)
        seen.append(selected(tab))
        assert QApplication.focusWidget() is focused  # the focus never left the plan
    assert seen == [[ref] for ref in order + order[:1]]
    press_key(Qt.Key_Tab, Qt.ShiftModifier)
    assert selected(tab) == [order[-1]]
    press_key(Qt.Key_Backtab, Qt.ShiftModifier)  # what most keyboards send for Shift+Tab
    assert selected(tab) == [order[-2]]
    assert QApplication.focusWidget() is focused
    assert tab.properties.title.text() == "Counter L1-02"  # the properties follow the selection
    assert window.undo_stack.count() == 0


def test_tab_scrolls_the_object_into_view(tab, window, counters, focused):
    view = tab.view
    zoom(view, 0.4, (2000, 2000))  # close up on the desk room, far from the counters
    for _ in range(4):
        press_key(Qt.Key_Tab)
    assert selected(tab) == [("counter", counters[0])]
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    assert shown.contains(view.scene().item_for(("counter", counters[0])).sceneBoundingRect())
    # a room larger than the view is centred on
    press_key(Qt.Key_Tab, Qt.ShiftModifier)
    hall = view.scene().item_for(rooms(window.project)["Ruang Layanan"]).sceneBoundingRect()
    centre = view.mapToScene(view.viewport().rect().center())
    assert abs(centre.x() - hall.center().x()) < 50 and abs(centre.y() - hall.center().y()) < 50


def test_arrows_move_the_selection_a_grid_step_and_shift_ten(tab, window, counters, focused):
    project = window.project
    for _ in range(4):
        press_key(Qt.Key_Tab)
    assert selected(tab) == [("counter", counters[0])]
    assert tab.editor.grid_size == 100
    press_key(Qt.Key_Right)
    press_key(Qt.Key_Right)
    press_key(Qt.Key_Down, Qt.ShiftModifier)
    c = project.get(Counter, counters[0])
    assert (c.x, c.y) == (11200, 3000)
    assert window.undo_stack.count() == 1  # a run of arrow keys is one step
    tab.act_snap.trigger()  # snapping off: fine steps of 10 mm
    press_key(Qt.Key_Left)
    assert (c.x, c.y) == (11190, 3000)
    window.act_undo.trigger()
    assert (project.get(Counter, counters[0]).x, project.get(Counter, counters[0]).y) == (11000, 2000)
    window.act_redo.trigger()
    with reopened(window) as again:
        moved = again.get(Counter, counters[0])
        assert (moved.x, moved.y) == (11190, 3000)


def test_enter_opens_the_properties_and_escape_clears_the_selection(tab, window, counters, focused):
    panel = tab.properties
    tab.docks["properties"].hide()
    press_key(Qt.Key_Return)  # nothing selected: nothing opens
    assert not tab.docks["properties"].isVisible()
    for _ in range(5):
        press_key(Qt.Key_Tab)
    assert panel.title.text() == "Counter L1-02"
    press_key(Qt.Key_Return)
    assert tab.docks["properties"].isVisible()  # as a double-click does: the panel, its first field
    assert QApplication.focusWidget() is next(iter(panel.widgets.values()))
    focused.setFocus(Qt.TabFocusReason)
    press_key(Qt.Key_Escape)
    assert selected(tab) == []
    assert window.undo_stack.count() == 0


def test_with_another_tool_tab_keeps_the_focus_and_picks_nothing(tab, window, counters, focused):
    tab.editor.set_tool("room")
    press_key(Qt.Key_Tab)
    assert selected(tab) == [] and QApplication.focusWidget() is focused


def test_on_an_empty_floor_tab_moves_the_focus_on(qtbot, tab, window, focused):
    window.undo_stack.run(AddFloor("Lantai 2"), origin="plan")
    empty = window.project.session.scalar(select(Floor).where(Floor.name == "Lantai 2"))
    tab.show_floor(empty.id)
    focused.setFocus(Qt.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is focused)
    press_key(Qt.Key_Tab)
    assert QApplication.focusWidget() is not focused
