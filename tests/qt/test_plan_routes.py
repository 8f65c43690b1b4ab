"""Walking distances on the plan: the "Walking distances" toggle draws each distance rule's route on the floor
shown, dashed, with its length and the rule's limit, green-grey within it and red over it; the routes are
measured again after edits of rooms, walls and doors, and follow the floor shown. A distance finding
highlighted on the plan draws its route too."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem
from sqlalchemy import select

from mpp_planner import settings
from mpp_planner.commands.plan import EditOpening
from mpp_planner.i18n import set_language
from mpp_planner.model import Floor, Room, Wall, WallOpening
from mpp_planner.project import Project
from mpp_planner.qt.inventory.plan_overlay import TAG as FINDINGS_TAG
from mpp_planner.qt.jobs import running_jobs
from mpp_planner.qt.plan import routes_overlay
from mpp_planner.qt.plan.routes_overlay import OVER_COLOUR, SETTING, TAG, WITHIN_COLOUR, length_text
from mpp_planner.standards import parse_rules, walking_routes
from tests.helpers import rect
from tests.qt.plan_helpers import open_window, zoom

THROUGH_DOOR = ((2000, 2000), (3925, 2500), (4075, 2500), (6000, 2000))  # round the door's near jambs
THROUGH_MOVED = ((2000, 2000), (3925, 2900), (4075, 2900), (6000, 2000))  # the door 40 cm further down
RULE = """
[rules.near]
name = "Lactation room near the play area"
kind = "room_near"
severity = "medium"
room_kinds = ["lactation_room"]
target_kinds = ["play_area"]
max_distance_m = {max}
method = "walking"
"""


def build(path):
    """Lantai 1: a lactation room (0..4 m) and a play area (4..8 m), a 150 mm wall between them at x = 4 m
    (drawn top to bottom) with a 1 m door centred 3 m from the top. Lantai 2: the same rooms, no wall."""
    project = Project.create(path, site_name="MPP Uji")
    with project.edit() as s:
        one, two = Floor(name="Lantai 1", order=1), Floor(name="Lantai 2", order=2)
        s.add_all([one, two])
        s.flush()
        for floor in (one, two):
            s.add_all([Room(name="Ruang Laktasi", kind="lactation_room", outline=rect(0, 0, 4000, 4000),
                            floor_id=floor.id),
                       Room(name="Ruang Bermain Anak", kind="play_area", outline=rect(4000, 0, 4000, 4000),
                            floor_id=floor.id)])
        wall = Wall(floor_id=one.id, points=[[4000, 0], [4000, 4000]], thickness=150)
        s.add(wall)
        s.flush()
        s.add(WallOpening(wall_id=wall.id, floor_id=one.id, kind="door", offset=3000, width=1000))
    project.close()
    return path


@pytest.fixture(autouse=True)
def _routes_off():
    """The toggle is remembered in the (test session's) settings: off before and after each test."""
    settings.save({SETTING: False})
    yield
    settings.save({SETTING: False})


@pytest.fixture
def window(qtbot, tmp_path):
    w = open_window(qtbot, build(tmp_path / "routes.mpplan"))
    yield w
    w.close()


@pytest.fixture
def tab(window):
    t = window.tab_widgets["plan"]
    zoom(t.view, 0.1, (4000, 2000))
    return t


def door_id(window) -> int:
    return window.project.all(WallOpening)[0].id


def drawn(scene, tag=TAG) -> list[tuple[QGraphicsPathItem, QGraphicsItem]]:
    """The routes drawn with ``tag``: (dashed line, label) pairs."""
    items = [i for i in scene.items(Qt.AscendingOrder) if i.data(0) == tag]
    lines = [i for i in items
             if isinstance(i, QGraphicsPathItem) and (i.data(1) or ("",))[0] not in ("room", "counter")]
    assert all(i.pen().style() == Qt.DashLine and i.brush().style() == Qt.NoBrush for i in lines)
    labels = [i for i in items if isinstance(i, routes_overlay.RouteLabel)]
    assert len(lines) == len(labels)
    return list(zip(lines, labels))


def points(line: QGraphicsPathItem) -> tuple:
    path = line.path()
    return tuple((round(path.elementAt(i).x, 3), round(path.elementAt(i).y, 3)) for i in range(path.elementCount()))


def length(pts) -> float:
    return sum(math.dist(a, b) for a, b in zip(pts, pts[1:]))


def halfway(pts) -> tuple[float, float]:
    half = length(pts) / 2
    for a, b in zip(pts, pts[1:]):
        step = math.dist(a, b)
        if half <= step:
            return (a[0] + (b[0] - a[0]) * half / step, a[1] + (b[1] - a[1]) * half / step)
        half -= step
    return pts[-1]


def remeasured(qtbot, tab, before):
    """Wait for the routes measured after the edits (a moment after the last one)."""
    qtbot.waitUntil(lambda: not tab.routes.timer.isActive() and tab.routes.items and tab.routes.items[0] is not before,
                    timeout=5000)


def test_the_toggle_draws_the_walk_through_the_door_and_is_remembered(qtbot, tmp_path, window, tab):
    scene = tab.view.scene()
    assert not tab.act_routes.isChecked() and drawn(scene) == []
    assert tab.act_routes in tab.view_bar.actions()
    tab.act_routes.trigger()
    [(line, label)] = drawn(scene)
    assert points(line) == THROUGH_DOOR
    assert line.pen().isCosmetic() and line.pen().color().name() == WITHIN_COLOUR.lower()
    assert label.text == "4.1 m / max 10 m"  # the shipped rule: at most 10 m
    assert label.flags() & QGraphicsItem.ItemIgnoresTransformations
    mid = halfway(THROUGH_DOOR)
    assert label.pos().x() == pytest.approx(mid[0], abs=0.5) and label.pos().y() == pytest.approx(mid[1], abs=0.5)
    assert "Ruang Laktasi → Ruang Bermain Anak" in label.toolTip() and "(walking)" in label.toolTip()
    [route] = tab.routes.routes
    assert route.route == THROUGH_DOOR and route.ok and length(THROUGH_DOOR) == pytest.approx(route.length_mm)
    assert settings.load()[SETTING] is True
    # the routes take no clicks: a click there still picks the room under it
    assert tab.editor.hit(line.path().pointAtPercent(0.1)).ref[0] == "room"
    # the plan drawn anew (as after a reset): the routes stay
    scene.reload()
    assert [points(line) for line, _label in drawn(scene)] == [THROUGH_DOOR]

    # the next window opens with the routes shown
    path = window.project.path
    window.close()
    again = open_window(qtbot, path)
    try:
        plan = again.tab_widgets["plan"]
        assert plan.act_routes.isChecked()
        qtbot.waitUntil(lambda: bool(drawn(plan.view.scene())), timeout=5000)
        assert [points(line) for line, _label in drawn(plan.view.scene())] == [THROUGH_DOOR]
        plan.act_routes.trigger()  # off: gone, and remembered
        assert drawn(plan.view.scene()) == [] and settings.load()[SETTING] is False
    finally:
        again.close()


def test_moving_the_door_measures_the_route_again(qtbot, window, tab, monkeypatch):
    tab.routes.rules = parse_rules(RULE.format(max=4.2))
    tab.routes.set_enabled(True)
    scene = tab.view.scene()
    [(line, label)] = drawn(scene)
    assert points(line) == THROUGH_DOOR and label.text == "4.1 m / max 4.2 m"
    assert line.pen().color().name() == WITHIN_COLOUR.lower()

    measured = []
    real = walking_routes.distance_routes
    monkeypatch.setattr(walking_routes, "distance_routes", lambda *a, **k: measured.append(1) or real(*a, **k))
    before = tab.routes.items[0]
    for offset in (3100, 3200, 3400):  # a run of edits: measured once, after the last
        assert window.undo_stack.run(EditOpening(door_id(window), {"offset": offset}), origin="plan")
    assert points(drawn(scene)[0][0]) == THROUGH_DOOR  # not yet
    remeasured(qtbot, tab, before)
    assert measured == [1]
    [(line, label)] = drawn(scene)
    assert points(line) == THROUGH_MOVED
    assert label.text == "4.4 m / max 4.2 m" and line.pen().color().name() == OVER_COLOUR.lower()
    assert not tab.routes.routes[0].ok

    before = tab.routes.items[0]
    for _ in range(3):
        window.act_undo.trigger()
    remeasured(qtbot, tab, before)
    [(line, label)] = drawn(scene)
    assert points(line) == THROUGH_DOOR and label.text == "4.1 m / max 4.2 m"

    tab.act_routes.trigger()  # off
    assert drawn(scene) == [] and tab.routes.items == []
    window.undo_stack.run(EditOpening(door_id(window), {"offset": 3400}), origin="plan")
    qtbot.wait(routes_overlay.REDRAW_MS + 100)
    assert drawn(scene) == [] and not tab.routes.timer.isActive()


def test_each_floor_shows_its_own_routes(qtbot, window, tab):
    tab.routes.set_enabled(True)
    first = tab.view.scene()
    assert [points(line) for line, _label in drawn(first)] == [THROUGH_DOOR]
    tab.floor_bar.setCurrentIndex(1)  # Lantai 2: no wall, straight across the shared edge
    second = tab.view.scene()
    assert second is not first and drawn(first) == []
    [(line, label)] = drawn(second)
    assert points(line) == ((2000, 2000), (6000, 2000)) and label.text == "4.0 m / max 10 m"
    tab.floor_bar.setCurrentIndex(0)
    assert drawn(second) == [] and [points(line) for line, _label in drawn(first)] == [THROUGH_DOOR]


def test_a_floor_without_a_distance_rule_says_so(qtbot, window, tab):
    with window.project.edit() as s:
        for room in s.scalars(select(Room)):
            room.kind = "waiting_area"
    tab.act_routes.trigger()
    assert tab.routes.routes == [] and drawn(tab.view.scene()) == []
    assert "No walking distance to show on this floor" in tab.view.banner.text()


def test_a_distance_finding_highlighted_on_the_plan_draws_its_route(qtbot, window, tab, tmp_path):
    rules = tmp_path / "near.toml"
    rules.write_text(RULE.format(max=4), encoding="utf-8")
    window.show_tab("inventory")
    panel = window.tab_widgets["inventory"].findings_panel
    panel.rules_path = rules
    job = panel.run_check()
    qtbot.waitUntil(lambda: job not in running_jobs(), timeout=60_000)
    [finding] = [f for f in panel.findings if f.rule_id == "near" and f.floor_name == "Lantai 1"]
    assert finding.route == THROUGH_DOOR
    window.show_tab("plan")
    scene = tab.scene_for(finding.floor_id)
    [(line, label)] = drawn(scene, FINDINGS_TAG)
    assert points(line) == THROUGH_DOOR and line.data(1) == ("route", finding.room_id)
    assert line.pen().isCosmetic() and line.pen().color().name() == "#e67e22"  # medium severity
    assert label.text == "4.1 m" and "4.1 m from Ruang Bermain Anak" in label.toolTip()
    # the door moved: checked again, the route follows
    before = panel.job
    assert window.undo_stack.run(EditOpening(door_id(window), {"offset": 3400}), origin="plan")
    qtbot.waitUntil(lambda: panel.job is not before and panel.job not in running_jobs(), timeout=10_000)
    [(line, label)] = drawn(scene, FINDINGS_TAG)
    assert points(line) == THROUGH_MOVED and label.text == "4.4 m"
    panel.highlight.setChecked(False)
    assert drawn(scene, FINDINGS_TAG) == []


def test_lengths_read_in_the_ui_language():
    assert length_text(42000) == "42.0 m" and length_text(12345, 10000) == "12.3 m / max 10 m"
    set_language("id")
    try:
        assert length_text(42000) == "42,0 m"
        assert length_text(12345, 10000) == "12,3 m / maks 10 m"
        assert length_text(8050, 7500) == "8,1 m / maks 7,5 m"
    finally:
        set_language("en")
