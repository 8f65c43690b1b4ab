"""The distance rule walks through the doors of the walls drawn on the plan, and reports its route."""

from __future__ import annotations

import math

import pytest

from mpp_planner.model import Floor, Room, Wall, WallOpening
from mpp_planner.standards import parse_rules, run_checks, run_rules
from mpp_planner.standards.context import CheckContext
from mpp_planner.standards.walking_routes import distance_routes
from tests.conftest import reopen
from tests.helpers import rect

RULE = """
[rules.near]
name = "Lactation room near the play area"
kind = "room_near"
room_kinds = ["lactation_room"]
target_kinds = ["play_area"]
max_distance_m = {max}
method = "{method}"
"""
THROUGH_DOOR = 2 * math.hypot(1925, 500) + 150  # centre, near jambs of the door (y 2500), centre: 4.13 m


def rules(max_m=4, method="walking"):
    return parse_rules(RULE.format(max=max_m, method=method))


class Plan:
    """Lantai 1: a lactation room (0..4 m) and a play area (4..8 m) with a wall between them (x = 4 m,
    150 mm, drawn top to bottom) and a 1 m door in it centred 3 m from the top. Lantai 2: the same
    rooms with the same wall and no door."""

    def __init__(self, project):
        self.project = project
        with project.edit() as s:
            self.floor, self.upstairs = Floor(name="Lantai 1", order=1), Floor(name="Lantai 2", order=2)
            s.add_all([self.floor, self.upstairs])
            s.flush()
            self.lactation = Room(name="Ruang Laktasi", kind="lactation_room", outline=rect(0, 0, 4000, 4000),
                                  floor_id=self.floor.id)
            self.play = Room(name="Ruang Bermain Anak", kind="play_area", outline=rect(4000, 0, 4000, 4000),
                             floor_id=self.floor.id)
            self.wall = Wall(floor_id=self.floor.id, points=[[4000, 0], [4000, 4000]], thickness=150)
            s.add_all([self.lactation, self.play, self.wall])
            s.flush()
            self.door = WallOpening(wall_id=self.wall.id, floor_id=self.floor.id, kind="door", offset=3000,
                                    width=1000)
            s.add(self.door)
            s.add_all([Room(name="Laktasi Lt. 2", kind="lactation_room", outline=rect(0, 0, 4000, 4000),
                            floor_id=self.upstairs.id),
                       Room(name="Bermain Lt. 2", kind="play_area", outline=rect(4000, 0, 4000, 4000),
                            floor_id=self.upstairs.id),
                       Wall(floor_id=self.upstairs.id, points=[[4000, 0], [4000, 4000]], thickness=150)])

    def findings(self, ruleset, floor=None):
        out = run_rules(ruleset, CheckContext.load(self.project))
        floor = floor or self.floor
        return [f for f in out if f.floor_id == floor.id]


@pytest.fixture
def plan(empty_project):
    return Plan(empty_project)


def test_the_walk_goes_through_the_door_and_the_finding_carries_its_route(plan):
    [far] = plan.findings(rules(max_m=4))
    assert far.room_id == plan.lactation.id and far.related_room_ids == (plan.play.id,)
    assert far.route == ((2000, 2000), (3925, 2500), (4075, 2500), (6000, 2000))
    assert far.route_length_mm == pytest.approx(THROUGH_DOOR)
    assert "4.1 m from Ruang Bermain Anak (walking)" in far.message
    assert plan.findings(rules(max_m=4.2)) == []


def test_moving_the_door_changes_the_distance(plan):
    with plan.project.edit():
        plan.door.offset = 3400  # door now spans y 2900..3900
    [far] = plan.findings(rules(max_m=4.2))
    assert far.route_length_mm == pytest.approx(2 * math.hypot(1925, 900) + 150)
    assert "4.4 m" in far.message


def test_without_a_door_there_is_no_walking_path(plan):
    plan.project.delete_rows("wall_opening", [plan.door.id])
    [none] = plan.findings(rules(max_m=50))
    assert "has no walking path to a Children's play area" in none.message
    assert none.route == () and none.route_length_mm is None
    # the floor above has the wall and no door either; a window does not help
    [upstairs] = plan.findings(rules(max_m=50), plan.upstairs)
    assert "no walking path" in upstairs.message


def test_a_window_is_not_a_way_through(plan):
    with plan.project.edit():
        plan.door.kind = "window"
    [none] = plan.findings(rules(max_m=50))
    assert "no walking path" in none.message


def test_straight_line_stays_available_and_goes_through_the_wall(plan):
    [far] = plan.findings(rules(max_m=3.5, method="straight"))
    assert far.route == ((2000, 2000), (6000, 2000)) and far.route_length_mm == pytest.approx(4000)
    assert "4 m from Ruang Bermain Anak (straight line)" in far.message
    assert plan.findings(rules(max_m=4, method="straight")) == []


def test_the_check_reads_walls_and_doors_from_the_file(plan):
    project = reopen(plan.project)
    try:
        ctx = CheckContext.load(project)
        assert [len(ctx.walls_by_floor[f.id]) for f in ctx.floors] == [1, 1]
        assert [len(ctx.openings_by_floor.get(f.id, [])) for f in ctx.floors] == [1, 0]
        [far] = [f for f in run_rules(rules(max_m=4), ctx) if f.floor_name == "Lantai 1"]
        assert far.route_length_mm == pytest.approx(THROUGH_DOOR)
    finally:
        project.close()


def test_the_shipped_rule_walks(plan):
    with plan.project.edit():
        plan.play.outline = rect(4000, 0, 16000, 4000)  # a long play area: its centre 10 m from the lactation's
        plan.door.offset, plan.door.width = 3500, 600  # the door spans y 3200..3800
    [far] = [f for f in run_checks(plan.project) if f.rule_id == "lactation_near_play_area"
             and f.floor_name == "Lantai 1"]
    assert far.route == ((2000, 2000), (3925, 3200), (4075, 3200), (12000, 2000))
    assert far.route_length_mm == pytest.approx(math.hypot(1925, 1200) + 150 + math.hypot(7925, 1200))
    assert "10.4 m" in far.message
    assert "(walking)" in far.message


def test_distance_routes_for_the_plan(plan):
    [near] = distance_routes(plan.project, plan.floor.id, rules(max_m=5))
    assert (near.room_id, near.target_id, near.ok, near.walking) == (plan.lactation.id, plan.play.id, True, True)
    assert near.route == ((2000, 2000), (3925, 2500), (4075, 2500), (6000, 2000))
    assert near.length_mm == pytest.approx(THROUGH_DOOR) and near.limit_mm == 5000
    assert near.rule_name == "Lactation room near the play area"
    assert near.midpoint == pytest.approx((4000, 2500))
    [far] = distance_routes(plan.project, plan.floor.id, rules(max_m=4))
    assert not far.ok
    # no door upstairs: no route to draw; the shipped rules by default
    assert distance_routes(plan.project, plan.upstairs.id, rules(max_m=5)) == []
    [shipped] = distance_routes(plan.project, plan.floor.id)
    assert shipped.rule_id == "lactation_near_play_area" and shipped.ok and shipped.limit_mm == 10000
    [straight] = distance_routes(plan.project, plan.upstairs.id, rules(max_m=3, method="straight"))
    assert straight.route == ((2000, 2000), (6000, 2000)) and not straight.ok and not straight.walking
