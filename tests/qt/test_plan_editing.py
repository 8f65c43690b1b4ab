"""Selecting and editing on the plan: drags, nudges, handles, align/distribute, clipboard,
properties, lock and snapping — each asserting the model, undo/redo and the file."""

import pytest
from PySide6.QtCore import QPointF, Qt
from sqlalchemy import func, select

from mpp_planner.commands.plan import PlaceCounter
from mpp_planner.model import Counter, Floor, Room
from tests.qt.plan_helpers import (reopened, click, drag, key, move, plan_file, press, release, tab,  # noqa: F401
                                   window, zoom)


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


def pos(project, cid):
    c = project.get(Counter, cid)
    return (c.x, c.y)


def selected(tab):
    return set(tab.view.scene().selected_refs())


def test_click_shift_click_and_rubber_band_select(tab, window, counters):
    view = tab.view
    click(view, 11000, 2000)
    assert selected(tab) == {("counter", counters[0])}
    click(view, 13000, 2000, Qt.ShiftModifier)
    assert selected(tab) == {("counter", counters[0]), ("counter", counters[1])}
    click(view, 11000, 2000, Qt.ControlModifier)  # Ctrl toggles too
    assert selected(tab) == {("counter", counters[1])}
    # a click on a room selects it; a drag starting in an unselected room is a rubber band
    click(view, 12000, 6000)
    room = window.project.session.scalar(select(Room).where(Room.name == "Ruang Layanan"))
    assert selected(tab) == {("room", room.id)}
    key(view, Qt.Key_Escape)
    drag(view, (10050, 1000), (15950, 3000))
    assert selected(tab) == {("counter", c) for c in counters}
    assert window.undo_stack.count() == 0
    key(view, Qt.Key_Escape)
    assert selected(tab) == set()


def test_moving_a_selection_by_drag_is_one_undo_step(tab, window, counters):
    view = tab.view
    project = window.project
    zoom(view, 0.1, (13000, 3500))  # walls 10 cm away do not pull at this zoom
    drag(view, (10050, 1000), (15950, 3000))
    assert len(selected(tab)) == 3
    drag(view, (13000, 2000), (13000, 5000), steps=6)
    assert [pos(project, c) for c in counters] == [(11000, 5000), (13000, 5000), (15000, 5000)]
    assert window.undo_stack.count() == 1
    assert window.act_undo.text() == "&Undo Move 3 counters"
    assert len(selected(tab)) == 3  # the selection survives the move
    window.act_undo.trigger()
    assert [pos(project, c) for c in counters] == [(11000, 2000), (13000, 2000), (15000, 2000)]
    item = view.scene().item_for(("counter", counters[0]))
    assert (item.pos().x(), item.pos().y()) == (11000, 2000)
    window.act_redo.trigger()
    with reopened(window) as again:
        assert [pos(again, c) for c in counters] == [(11000, 5000), (13000, 5000), (15000, 5000)]


def test_a_room_moves_only_once_selected(tab, window):
    view = tab.view
    project = window.project
    room = project.session.scalar(select(Room).where(Room.name == "Meja Info"))
    click(view, 2000, 2000)
    drag(view, (2000, 2000), (2000, 4000))
    assert project.get(Room, room.id).outline == [[1000, 3000], [3000, 3000], [3000, 5000], [1000, 5000]]
    assert window.undo_stack.undoText() == "Move room"


def test_arrow_nudges_merge_into_one_undo_step(tab, window, counters):
    view = tab.view
    project = window.project
    click(view, 11000, 2000)
    for _ in range(5):
        key(view, Qt.Key_Right)
    key(view, Qt.Key_Down, Qt.ShiftModifier)
    assert pos(project, counters[0]) == (11500, 3000)  # a grid step (100 mm), Shift: ten
    assert window.undo_stack.count() == 1
    window.act_undo.trigger()
    assert pos(project, counters[0]) == (11000, 2000)
    # another selection starts another step
    window.act_redo.trigger()
    click(view, 13000, 2000)
    key(view, Qt.Key_Left)
    assert window.undo_stack.count() == 2
    assert pos(project, counters[1]) == (12900, 2000)


def test_resize_and_rotate_handles(tab, window, counters):
    view = tab.view
    project = window.project
    zoom(view, 0.1, (12000, 2500))
    click(view, 11000, 2000)
    scene = view.scene()
    grips = {(h.role, h.spec): h for h in scene.handles}
    assert len(grips) == 9
    corner = grips[("resize", (1, 1))].pos()
    assert (corner.x(), corner.y()) == (11900, 2400)
    drag(view, (11900, 2400), (12400, 2600))
    c = project.get(Counter, counters[0])
    assert (c.width, c.depth, c.x, c.y) == (2300, 1000, 11250, 2100)
    assert window.undo_stack.undoText() == "Resize counter"
    rotate = [h for h in scene.handles if h.role == "rotate"][0].pos()
    drag(view, (rotate.x(), rotate.y()), (13500, 2100))
    assert project.get(Counter, counters[0]).rotation == 90
    assert window.undo_stack.undoText() == "Rotate counter"
    window.act_undo.trigger()
    window.act_undo.trigger()
    c = project.get(Counter, counters[0])
    assert (c.width, c.depth, c.rotation) == (1800, 800, 0)


def test_dragging_a_room_corner_shows_the_live_area_and_reshapes_it(tab, window):
    view = tab.view
    project = window.project
    zoom(view, 0.1, (3000, 3000))
    room = project.session.scalar(select(Room).where(Room.name == "Meja Info"))
    click(view, 2000, 2000)
    scene = view.scene()
    assert len([h for h in scene.handles if h.role == "vertex"]) == 4
    item = scene.item_for(("room", room.id))
    press(view, 3000, 3000)
    move(view, 3500, 3500)
    move(view, 4000, 4000)
    assert item.area_text == "6.00 m²"  # 2x2 m with one corner pulled out to (4,4)
    release(view, 4000, 4000)
    assert project.get(Room, room.id).outline == [[1000, 1000], [3000, 1000], [4000, 4000], [1000, 3000]]
    assert window.undo_stack.undoText() == "Reshape room"
    # pulling a corner across the outline is refused and changes nothing
    click(view, 2000, 2000)
    drag(view, (4000, 4000), (4000, 0))
    assert project.get(Room, room.id).outline == [[1000, 1000], [3000, 1000], [4000, 4000], [1000, 3000]]
    assert "must not cross itself" in view.banner.text()
    assert item.area_text == "6.00 m²"


def test_align_and_distribute(tab, window, counters):
    project = window.project
    with project.edit():
        project.get(Counter, counters[1]).y = 2600
        project.get(Counter, counters[2]).x = 14200
    tab.editor.select_all()
    tab.act_lock.trigger()  # rooms are no longer picked
    tab.editor.select_all()
    assert selected(tab) == {("counter", c) for c in counters}
    assert tab.align_menu.isEnabled() and tab.distribute_menu.isEnabled()
    tab.align_actions["top"].trigger()
    assert {pos(project, c)[1] for c in counters} == {2000}
    tab.distribute_actions["horizontal"].trigger()
    assert [pos(project, c)[0] for c in counters] == [11000, 12600, 14200]
    assert window.undo_stack.undoText() == "Distribute 3 counters horizontally"
    window.act_undo.trigger()
    assert pos(project, counters[1])[0] == 13000
    window.act_undo.trigger()
    assert pos(project, counters[1])[1] == 2600
    window.act_redo.trigger()
    window.act_redo.trigger()
    with reopened(window) as again:
        assert [pos(again, c) for c in counters] == [(11000, 2000), (12600, 2000), (14200, 2000)]


def test_copy_paste_duplicate_cut_delete(tab, window, counters):
    view = tab.view
    project = window.project
    click(view, 11000, 2000)
    assert window.tab_widgets["plan"].act_copy.isEnabled()
    tab.act_copy.trigger()
    assert tab.act_paste.isEnabled()
    tab.act_paste.trigger()
    labels = {c.label: (c.x, c.y) for c in project.all(Counter)}
    assert labels["L1-04"] == (11500, 2500)
    assert selected(tab) == {("counter", project.session.scalar(select(Counter.id).where(Counter.label == "L1-04")))}
    tab.act_duplicate.trigger()
    labels = {c.label: (c.x, c.y) for c in project.all(Counter)}
    assert labels["L1-05"] == (12000, 3000)
    assert window.undo_stack.undoText() == "Duplicate counter"
    tab.editor.paste(at=QPointF(12000, 5000))  # "Paste here" from the context menu
    labels = {c.label: (c.x, c.y) for c in project.all(Counter)}
    assert labels["L1-06"] == (12900, 5400)  # the copy's top-left corner lands on the point
    tab.act_cut.trigger()
    assert "L1-06" not in {c.label for c in project.all(Counter)}
    assert window.undo_stack.undoText() == "Cut counter"
    tab.act_delete.trigger()  # nothing selected any more
    n = project.session.scalar(select(func.count()).select_from(Counter))
    assert n == 5
    click(view, 15000, 2000)
    tab.act_delete.trigger()
    assert project.session.scalar(select(func.count()).select_from(Counter)) == 4
    window.act_undo.trigger()
    assert project.session.scalar(select(func.count()).select_from(Counter)) == 5
    with reopened(window) as again:
        assert sorted(c.label for c in again.all(Counter)) == ["L1-01", "L1-02", "L1-03", "L1-04", "L1-05"]


def test_edit_actions_are_in_the_edit_menu_and_follow_the_tab(tab, window, counters):
    texts = [a.text() for a in window.menu_edit.actions()]
    for text in ("Cu&t", "&Copy", "&Paste", "D&uplicate", "&Delete", "Select &All"):
        assert text in texts
    click(tab.view, 11000, 2000)
    assert tab.act_delete.isEnabled()
    window.show_tab("agencies")
    assert not tab.act_delete.isEnabled() and not tab.act_select_all.isEnabled()
    window.show_tab("plan")
    assert tab.act_delete.isEnabled()


def test_properties_panel_edits_in_real_units(tab, window, counters):
    view = tab.view
    project = window.project
    panel = tab.properties
    click(view, 11000, 2000)
    assert panel.title.text() == "Counter L1-01"
    assert panel.widgets["x"].text() == "11.00" and panel.widgets["width"].text() == "1.80"  # metres (Preferences)
    panel.widgets["x"].setText("11,25")
    panel.widgets["x"].editingFinished.emit()
    assert pos(project, counters[0]) == (11250, 2000)
    panel.widgets["width"].setText("2")
    panel.widgets["width"].editingFinished.emit()
    assert project.get(Counter, counters[0]).width == 2000
    assert window.undo_stack.undoText() == "Edit counter"
    # refused: not a number, and below the model's minimum; nothing changes
    n = window.undo_stack.count()
    panel.widgets["width"].setText("lebar")
    panel.widgets["width"].editingFinished.emit()
    assert "must be a number" in panel.error.text()
    panel.widgets["depth"].setText("0,01")
    panel.widgets["depth"].editingFinished.emit()
    assert "Depth must be between 50 and 100000" in panel.error.text()
    assert "Depth must be between" in view.banner.text()
    assert project.get(Counter, counters[0]).depth == 800 and panel.widgets["depth"].text() == "0.80"
    assert window.undo_stack.count() == n
    # several counters: shared fields, differing values left empty; one edit is one step
    click(view, 13000, 2000, Qt.ShiftModifier)
    assert panel.title.text() == "2 counters selected"
    assert panel.widgets["y"].text() == "2.00" and panel.widgets["x"].text() == ""
    assert panel.widgets["x"].placeholderText() == "(several values)"
    panel.widgets["staff"].setText("3")
    panel.widgets["staff"].editingFinished.emit()
    assert [project.get(Counter, c).staff_count for c in counters[:2]] == [3, 3]
    assert window.undo_stack.undoText() == "Edit 2 counters"
    window.act_undo.trigger()
    assert [project.get(Counter, c).staff_count for c in counters[:2]] == [1, 1]


def test_properties_of_a_room_name_kind_and_size(tab, window):
    view = tab.view
    project = window.project
    room = project.session.scalar(select(Room).where(Room.name == "Meja Info"))
    click(view, 2000, 2000)
    panel = tab.properties
    assert panel.widgets["area"].text() == "4.00 m²"
    panel.widgets["name"].setText("Meja Informasi")
    panel.widgets["name"].editingFinished.emit()
    combo = panel.widgets["room_kind"]
    combo.setCurrentIndex(combo.findData("complaint_room"))
    combo.activated.emit(combo.currentIndex())
    panel.widgets["room_width"].setText("3")
    panel.widgets["room_width"].editingFinished.emit()
    r = project.get(Room, room.id)
    assert (r.name, r.kind, r.area_m2) == ("Meja Informasi", "complaint_room", 6.0)
    assert panel.widgets["area"].text() == "6.00 m²"
    panel.widgets["name"].setText("  ")
    panel.widgets["name"].editingFinished.emit()
    assert "Name must not be empty" in panel.error.text()
    assert project.get(Room, room.id).name == "Meja Informasi"
    panel.widgets["room_width"].setText("-3")
    panel.widgets["room_width"].editingFinished.emit()
    assert "more than 0 m" in panel.error.text() and project.get(Room, room.id).area_m2 == 6.0


def test_lock_base_layer_keeps_rooms_from_being_picked(tab, window, counters):
    view = tab.view
    tab.act_lock.trigger()
    click(view, 12000, 6000)
    assert selected(tab) == set()
    drag(view, (10050, 1000), (15950, 3000))  # a rubber band right away
    assert selected(tab) == {("counter", c) for c in counters}
    tab.act_lock.trigger()
    click(view, 12000, 6000)
    assert len(selected(tab)) == 1


def test_snapping_on_off_and_alt(tab, window, counters):
    view = tab.view
    project = window.project
    zoom(view, 0.1, (12000, 2500))
    assert "hold Alt" in tab.snap_label.text()
    click(view, 11000, 2000)
    drag(view, (11000, 2000), (11537, 2000))  # 540 mm on screen: snaps to the grid
    assert pos(project, counters[0]) == (11500, 2000)
    window.act_undo.trigger()
    drag(view, (11000, 2000), (11537, 2000), modifiers=Qt.AltModifier)  # Alt: free
    assert pos(project, counters[0]) == (11540, 2000)
    window.act_undo.trigger()
    tab.act_snap.trigger()
    assert tab.snap_label.text() == "Snap off"
    drag(view, (11000, 2000), (11537, 2000))
    assert pos(project, counters[0]) == (11540, 2000)
    window.act_undo.trigger()
    tab.act_snap.trigger()
    # other objects' edges pull within 8 px: the right edge lands on the next counter's left edge
    drag(view, (11000, 2000), (11230, 2000))
    assert pos(project, counters[0])[0] + 900 == 13000 - 900
    assert view.scene().guides == (None, None)  # the guide goes away after the drag
