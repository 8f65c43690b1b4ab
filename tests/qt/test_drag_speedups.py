"""Dragging many plan objects at once (issue 22): what made it fast leaves the result as it was.

A drag of a floor's counters, furniture and rooms through the select tool moves exactly them, by the
delta shown, in the model and in the file; the plan shows each object where the model has it (a moved
room keeps its drawing and is only placed further); the overlap outlines are those the model's boxes
give; the status line follows the pointer without laying the window out again; the scene's scroll
area stays put for a small move and follows a far one.
"""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from mpp_planner.commands.plan import MoveObjects, find_overlaps
from mpp_planner.commands.plan.overlaps import boxes_overlap
from mpp_planner.commands.plan.room_links import relinked_rooms
from mpp_planner.commands.snap import Box, rotated_bounds
from mpp_planner.model import Counter, InventoryItem, Room
from mpp_planner.model.geometry import box_corners
from mpp_planner.qt.plan.items import BoxItem, RoomItem
from mpp_planner.reads.plan import placed_boxes
from tests.qt.plan_helpers import drag, key, move, press, release, reopened, zoom

D = (2000, 1000)  # the drag, mm: whole pixels at 0.05 px per mm


def positions(project, floor_id) -> dict:
    """Every counter's and placed item's (x, y) and every room's outline on the floor, from the model."""
    s = project.session
    out: dict = {("counter", c.id): (c.x, c.y) for c in s.scalars(select(Counter).where(Counter.floor_id == floor_id))}
    out.update({("item", i.id): (i.x, i.y) for i in s.scalars(
        select(InventoryItem).where(InventoryItem.floor_id == floor_id, InventoryItem.x.is_not(None)))})
    out.update({("room", r.id): [tuple(p) for p in r.outline]
                for r in s.scalars(select(Room).where(Room.floor_id == floor_id))})
    return out


def moved(where, refs, dx, dy) -> dict:
    out = dict(where)
    for ref in refs:
        value = where[ref]
        out[ref] = [(x + dx, y + dy) for x, y in value] if ref[0] == "room" else (value[0] + dx, value[1] + dy)
    return out


def shown(scene) -> dict:
    """Where the plan draws each counter, item and room (a room: its drawn outline mapped to the plan)."""
    out: dict = {}
    for ref, item in scene.items_by_key.items():
        if isinstance(item, BoxItem):
            out[ref] = (item.pos().x(), item.pos().y())
        elif isinstance(item, RoomItem):
            out[ref] = [(p.x(), p.y()) for p in item.mapToScene(item.polygon()).toList()]
    return out


def assert_shows_model(scene, where) -> None:
    drawn = shown(scene)
    assert drawn == {ref: where[ref] for ref in drawn}
    for ref, item in scene.items_by_key.items():  # what snapping and the tools read agrees too
        if isinstance(item, RoomItem):
            assert [tuple(p) for p in item.outline] == where[ref]
            assert item.model_box == Box.around(where[ref])


def lead_counter(tab, scene):
    """A counter that a press at its centre picks (nothing else on top of it there)."""
    for ref, item in scene.items_by_key.items():
        if ref[0] == "counter":
            centre = QPointF(item.model_box.cx, item.model_box.cy)
            if tab.editor.hit(centre) is item:
                return ref, (centre.x(), centre.y())
    raise AssertionError("no counter to press on")


@pytest.fixture
def plan(demo_window):
    window = demo_window
    window.show_tab("plan")
    tab = window.tab_widgets["plan"]
    tab.editor.snapping = False  # the delta is the pointer's, exactly
    return window, tab, tab.view.scene()


def test_dragging_a_floors_counters_furniture_and_rooms_moves_exactly_them(plan):
    window, tab, scene = plan
    project, fid = window.project, scene.floor_id
    before = positions(project, fid)
    lead, start = lead_counter(tab, scene)
    refs = [r for r in scene.items_by_key if r[0] in ("counter", "item")] + \
        [r for r in scene.items_by_key if r[0] == "room"][:15]
    assert len(refs) == 100
    zoom(tab.view, 0.05, start)
    scene.select_refs(refs)
    drag(tab.view, start, (start[0] + D[0], start[1] + D[1]), steps=10)

    after = moved(before, refs, *D)
    assert positions(project, fid) == after  # the rest of the floor (5 rooms) stayed
    assert sorted(scene.selected_refs()) == sorted(refs)
    assert window.undo_stack.undoText() == "Move 100 objects"
    assert_shows_model(scene, after)
    # the overlaps outlined are those of the model's boxes that the drag made
    now = find_overlaps({b.ref: b.box for b in placed_boxes(project, fid)})
    assert tab.overlaps_shown() == [p for p in now if p.first in refs or p.second in refs]
    # furniture counts in the room under it, as a fresh look at the model finds
    items = project.session.scalars(select(InventoryItem).where(InventoryItem.floor_id == fid)).all()
    assert relinked_rooms(project.session, items) == {}
    links = {i.id: i.room_id for i in items}

    window.act_undo.trigger()
    assert positions(project, fid) == before
    assert_shows_model(scene, before)
    window.act_redo.trigger()
    assert_shows_model(scene, after)
    with reopened(window) as again:
        assert positions(again, fid) == after
        assert {i.id: i.room_id for i in again.session.scalars(
            select(InventoryItem).where(InventoryItem.floor_id == fid))} == links


def test_a_counter_dragged_onto_furniture_is_outlined_as_the_models_boxes_say(plan):
    window, tab, scene = plan
    project, fid = window.project, scene.floor_id
    lead, start = lead_counter(tab, scene)
    chair = next(i for r, i in scene.items_by_key.items() if r[0] == "item" and i.box[4] == 0)
    target = (chair.box[0], chair.box[1])
    zoom(tab.view, 0.05, start)
    scene.select_refs([lead])
    drag(tab.view, start, (start[0] + round(target[0] - start[0], -2), start[1] + round(target[1] - start[1], -2)))
    now = find_overlaps({b.ref: b.box for b in placed_boxes(project, fid)})
    new = [p for p in now if lead in (p.first, p.second)]
    assert any(chair.ref in (p.first, p.second) for p in new)
    assert tab.overlaps_shown() == new and all(p.first[0] == "counter" for p in new)
    assert {item.data(1) for item in scene.overlap_items} == {r for p in new for r in (p.first, p.second)}
    names = {b.ref: b.name for b in placed_boxes(project, fid)}
    other = new[0].second if new[0].first == lead else new[0].first
    assert tab.view.banner.text().startswith(f"{names[lead]} overlaps {names[other]}")


def spot(tab, item) -> tuple[float, float]:
    """A point on the plan where a press picks ``item`` (nothing else on top of it there)."""
    box = item.model_box
    for i in range(1, 10):
        for j in range(1, 10):
            at = (box.left + box.width * i / 10, box.top + box.height * j / 10)
            if tab.editor.hit(QPointF(*at)) is item:
                return at
    raise AssertionError(f"no free spot on {item.ref}")


def test_a_moved_room_cancelled_moved_again_and_reshaped_shows_where_the_model_has_it(plan):
    window, tab, scene = plan
    project, fid = window.project, scene.floor_id
    room = next(r for r in scene.items_by_key if r[0] == "room")
    item = scene.item_for(room)
    corner = tuple(item.outline[0])
    zoom(tab.view, 0.05, (item.model_box.cx, item.model_box.cy))
    scene.select_refs([room])
    inside = spot(tab, item)
    drag(tab.view, inside, (inside[0] + D[0], inside[1] + D[1]))
    where = positions(project, fid)
    assert where[room][0] == (corner[0] + D[0], corner[1] + D[1])
    assert item.pos() == QPointF(*D)  # the same drawing, placed further
    assert_shows_model(scene, where)

    # a second drag, given up with Escape: back where the model has it
    inside = spot(tab, item)
    press(tab.view, *inside)
    for step in (1, 2, 3):
        move(tab.view, inside[0] + 500 * step, inside[1])
    assert shown(scene)[room][0] == (corner[0] + D[0] + 1500, corner[1] + D[1])
    key(tab.view, Qt.Key_Escape)
    release(tab.view, inside[0] + 1500, inside[1])
    assert positions(project, fid) == where
    assert_shows_model(scene, where)

    # and one more: it moves on from where it is
    inside = spot(tab, item)
    drag(tab.view, inside, (inside[0] - 1000, inside[1]))
    where = positions(project, fid)
    assert where[room][0] == (corner[0] + D[0] - 1000, corner[1] + D[1])
    assert_shows_model(scene, where)

    # its corner dragged by the grip: the outline drawn anew, where the model has it
    grip = where[room][0]
    zoom(tab.view, 0.05, grip)
    drag(tab.view, grip, (grip[0] - 1000, grip[1]))
    where = positions(project, fid)
    assert where[room][0] == (grip[0] - 1000, grip[1])
    assert item.pos() == QPointF(0, 0)
    assert_shows_model(scene, where)
    for _ in range(3):
        window.act_undo.trigger()
    assert_shows_model(scene, positions(project, fid))
    assert positions(project, fid)[room][0] == corner


class Painted(QObject):
    """The widgets of a window that paint (or are laid out again) while it listens."""

    def __init__(self, window):
        super().__init__()
        self.window, self.on, self.widgets = window, False, set()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if self.on and event.type() in (QEvent.Type.Paint, QEvent.Type.LayoutRequest) and obj.isWidgetType() \
                and obj.window() is self.window:
            self.widgets.add(obj)
        return False


def test_the_status_line_follows_the_pointer_and_nothing_else_repaints(plan, qtbot):
    """At each move only the plan, its rulers and the status texts repaint (their parents only behind
    them): a status text that changed size used to lay out and repaint the whole window (toolbars, docks,
    scroll bars) at every move."""
    window, tab, scene = plan
    lead, start = lead_counter(tab, scene)
    zoom(tab.view, 0.05, start)
    scene.select_refs([lead])
    painted = Painted(window)
    shown = {tab.view.viewport(), tab.view.h_ruler, tab.view.v_ruler, tab.hint_label, tab.coords_label}
    behind = {w for label in (tab.hint_label, tab.coords_label) for w in ancestors(label)}
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(painted)
    try:
        for step in range(1, 4):  # what the selection and the first moves set going is done after
            move(tab.view, start[0] + 1000 * step, start[1] + 320 * step, buttons=Qt.NoButton)
            qtbot.wait(20)
        painted.on = True
        for step in range(4, 9):  # the pointer over the plan
            move(tab.view, start[0] + 1000 * step, start[1] + 320 * step, buttons=Qt.NoButton)
            QApplication.processEvents()
            assert tab.coords_label.text() == "X {:.2f} m   Y {:.2f} m".format(
                (start[0] + 1000 * step) / 1000, (start[1] + 320 * step) / 1000)
        hovering, painted.widgets, painted.on = painted.widgets, set(), False
        press(tab.view, *start)
        move(tab.view, start[0] + 100, start[1] + 1000)
        qtbot.wait(50)
        painted.on = True
        for step in range(2, 7):  # a drag
            move(tab.view, start[0] + 100 * step, start[1] + 1000 * step)
            QApplication.processEvents()
        assert tab.hint_label.text() == "Move by 0.60 m, 6.00 m"
        assert tab.coords_label.text() == "X {:.2f} m   Y {:.2f} m".format(
            (start[0] + 600) / 1000, (start[1] + 6000) / 1000)
        dragging, painted.on = painted.widgets, False
        release(tab.view, start[0] + 600, start[1] + 6000)
    finally:
        app.removeEventFilter(painted)
    for seen in (hovering, dragging):
        assert shown & seen and seen <= shown | behind
    assert tab.hint_label.text() == ""
    assert window.project.get(Counter, lead[1]).y == round(start[1]) + 6000
    assert tab.coords_label.width() >= tab.coords_label.fontMetrics().horizontalAdvance(tab.coords_label.text())
    assert tab.hint_label.width() > 200  # the status line's room is the hint's


def ancestors(widget) -> list:
    out = []
    while widget.parentWidget() is not None:
        widget = widget.parentWidget()
        out.append(widget)
    return out


def test_the_scroll_area_stays_for_a_small_move_and_follows_a_far_one(plan):
    window, tab, scene = plan
    rect = scene.sceneRect()
    refs = [r for r in scene.items_by_key if r[0] in ("counter", "item", "room")]
    assert window.undo_stack.run(MoveObjects(refs, 1500, -700))
    assert scene.sceneRect() == rect
    assert rect.contains(scene.content_rect())
    assert window.undo_stack.run(MoveObjects(refs, 150000, 0))  # 150 m to the right
    far = scene.sceneRect()
    content = scene.content_rect()
    assert far.contains(content.adjusted(-10000, -10000, 10000, 10000))
    for side in (far.left(), far.top(), far.right(), far.bottom()):
        assert side % 5000 == 0
    window.act_undo.trigger()
    back = scene.sceneRect()  # not left as large as the far move made it
    assert back.width() <= rect.width() + 5000 and back.height() == rect.height()
    assert back.contains(scene.content_rect())


def test_overlaps_and_rotated_bounds_are_as_computed_one_pair_at_a_time():
    rng = random.Random(22)
    boxes = {i: (rng.randint(0, 20000), rng.randint(0, 15000), rng.randint(300, 3000), rng.randint(300, 3000),
                 rng.choice((0.0, 90.0, 45.0, 30.0, rng.uniform(0, 360)))) for i in range(300)}
    pairs = [(a, b) for a in boxes for b in boxes if a < b and boxes_overlap(boxes[a], boxes[b])]
    assert pairs and [(p.first, p.second) for p in find_overlaps(boxes)] == pairs
    for box in boxes.values():
        assert rotated_bounds(*box) == Box.around(box_corners(*box))
