"""Counters and furniture standing in each other: after the edit that makes them overlap, the plan's
message line names them and the plan outlines them, until an edit (or an undo) parts them. Touching
is fine; an overlap that was already there is not told again on every edit."""

import pytest
from PySide6.QtCore import QPointF
from sqlalchemy import select

from mpp_planner.commands.plan import MoveObjects, Overlap, PlaceCounter, RotateObject
from mpp_planner.model import Counter, Floor, InventoryItem, ItemType
from mpp_planner.qt.plan.scene import OVERLAP_TAG
from tests.qt.plan_helpers import drag, plan_file, reopened, tab, window, zoom  # noqa: F401


@pytest.fixture
def counters(tab, window):
    """Three counters in the service hall at x = 11, 13, 15 m, y = 2 m (1.8 x 0.8 m, 20 cm apart)."""
    fid = window.project.all(Floor)[0].id
    refs = []
    for x in (11000, 13000, 15000):
        cmd = PlaceCounter(fid, x, 2000)
        window.undo_stack.push_command(cmd)
        refs.append(cmd.created[0])
    window.undo_stack.clear()
    tab.view.banner.hide()
    return refs


def outlined(tab) -> dict:
    """The overlap outlines on the plan: ref -> the outline's bounds."""
    scene = tab.view.scene()
    return {item.data(1): item.sceneBoundingRect() for item in scene.items() if item.data(0) == OVERLAP_TAG}


def run(window, command) -> bool:
    return window.undo_stack.run(command, origin="plan")


def test_dragging_a_counter_into_another_names_both_and_outlines_them_until_parted(tab, window, counters):
    view = tab.view
    project = window.project
    c1, c2, c3 = counters
    zoom(view, 0.1, (13000, 3500))
    drag(view, (13000, 2000), (12500, 2000), steps=6)  # L1-02 half a metre left: into L1-01
    assert (project.get(Counter, c2[1]).x, project.get(Counter, c2[1]).y) == (12500, 2000)
    assert view.banner.isVisible() and view.banner.text() == "L1-02 overlaps L1-01."
    assert tab.overlaps_shown() == [Overlap(c1, c2)]
    shapes = outlined(tab)
    assert set(shapes) == {c1, c2}
    box = view.scene().item_for(c2).sceneBoundingRect()
    assert abs(shapes[c2].center().x() - box.center().x()) < 1 and shapes[c2].width() >= 1800
    # another edit elsewhere: the overlap is not told again, the outline stays
    view.banner.hide()
    assert run(window, MoveObjects([c3], 0, 1000))
    assert not view.banner.isVisible() and set(outlined(tab)) == {c1, c2}
    # edge to edge is fine: the outline goes
    assert run(window, MoveObjects([c2], 300, 0))  # L1-02 at 12.8 m: its left edge on L1-01's right edge
    assert outlined(tab) == {} and tab.overlaps_shown() == [] and not view.banner.isVisible()
    # undo brings the overlap back, and says so; undo again parts them
    window.act_undo.trigger()
    assert view.banner.text() == "L1-02 overlaps L1-01." and set(outlined(tab)) == {c1, c2}
    window.act_undo.trigger()
    window.act_undo.trigger()
    assert project.get(Counter, c2[1]).x == 13000 and outlined(tab) == {}
    with reopened(window) as again:
        assert [again.get(Counter, c[1]).x for c in counters] == [11000, 13000, 15000]


def test_an_item_dropped_on_a_counter_and_a_turned_counter(tab, window, counters):
    view = tab.view
    project = window.project
    c1, c2, c3 = counters
    chair = project.session.scalar(select(ItemType).where(ItemType.key == "kursi"))
    tab._item_dropped(chair.id, QPointF(11000, 2300))  # a chair dropped on the counter's desk
    item = project.session.scalar(select(InventoryItem))
    assert item.x == 11000 and 1600 < item.y < 2400 + 250  # snapped, but standing in the counter
    assert view.banner.text() == "Kursi Tunggu overlaps L1-01."
    assert set(outlined(tab)) == {c1, ("item", item.id)}
    # L1-03 pushed into L1-02, then turned on its centre (0.8 m wide now): edge to edge with it
    view.banner.hide()
    assert run(window, MoveObjects([c3], -700, 0))  # at 14.3 m: 13.4..15.2 m, into L1-02 (to 13.9 m)
    assert view.banner.text() == "L1-03 overlaps L1-02."
    assert set(outlined(tab)) == {c1, c2, c3, ("item", item.id)}
    assert run(window, RotateObject(c3, 90.0))  # 13.9..14.7 m
    assert set(outlined(tab)) == {c1, ("item", item.id)}
    assert run(window, MoveObjects([c3], -500, 0))  # 13.4..14.2 m
    assert view.banner.text() == "L1-03 overlaps L1-02."
    assert len(tab.overlaps_shown()) == 2
    # taking the chair off the plan parts it
    tab.view.scene().select_refs([("item", item.id)])
    tab.editor.remove_from_plan()
    assert set(outlined(tab)) == {c2, c3}
    with reopened(window) as again:
        assert again.get(InventoryItem, item.id).x is None
        turned = again.get(Counter, c3[1])
        assert (turned.x, turned.rotation) == (13800, 90.0)


def test_several_overlaps_are_counted_after_the_third(tab, window, counters):
    fid = window.project.all(Floor)[0].id
    refs = []
    for x in (11000, 11100, 11200, 11300, 11400):  # five counters piled up in one step each
        cmd = PlaceCounter(fid, x, 5000)
        window.undo_stack.push_command(cmd)
        refs.append(cmd.created[0])
    assert run(window, MoveObjects(refs, 0, -3000))  # all five moved onto L1-01 at once
    text = tab.view.banner.text()
    assert text.count("overlaps") == 3 and text.endswith("more.")
    # each pair of the five, each of them with L1-01, and the two right-most with L1-02 too
    assert len(tab.overlaps_shown()) == 10 + 5 + 2
