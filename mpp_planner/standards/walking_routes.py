"""The routes of the distance rules on one floor, for the plan to draw as dashed lines with their lengths.

``distance_routes(project, floor_id)`` measures, for every enabled ``room_near`` rule, each of the rule's
rooms on the floor to its nearest target room, the way the check does (walking through the doors, or
straight), passing or not. Only the floor's rooms, walls and doors are read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from sqlalchemy import select

from mpp_planner.model import Floor, Room, Wall, WallOpening
from mpp_planner.standards.context import CheckContext
from mpp_planner.standards.ruleset import RuleSet, load_rules

Point = tuple[float, float]


@dataclass(frozen=True)
class DistanceRoute:
    """One room of a distance rule and its nearest target room, with the route between them (plan mm)."""

    rule_id: str
    rule_name: str  # in the UI language
    room_id: int
    room_name: str
    target_id: int
    target_name: str
    route: tuple[Point, ...]
    length_mm: float
    limit_mm: float
    ok: bool  # within the rule's limit
    walking: bool  # measured walking (False: in a straight line)

    @property
    def midpoint(self) -> Point:
        """Half-way along the route: where the plan writes its length."""
        half, pts = self.length_mm / 2, self.route
        for a, b in zip(pts, pts[1:]):
            step = ((b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2) ** 0.5
            if step and half <= step:
                t = half / step
                return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
            half -= step
        return pts[-1] if pts else (0.0, 0.0)


def distance_routes(project, floor_id: int, rules: RuleSet | str | os.PathLike | None = None) -> list[DistanceRoute]:
    """Every distance rule's routes on the floor (rooms with no target, or no way to one, have none)."""
    from mpp_planner.i18n import current_language
    from mpp_planner.standards.kinds import KINDS, RoomNear

    ruleset = rules if isinstance(rules, RuleSet) else load_rules(rules)
    near = [r for r in ruleset.enabled if r.kind == RoomNear.name]
    if not near:
        return []
    s = project.session
    floors = list(s.scalars(select(Floor).where(Floor.id == floor_id)))
    rooms = list(s.scalars(select(Room).where(Room.floor_id == floor_id).order_by(Room.id)))
    ctx = CheckContext.build(floors, rooms, [], [], {})
    ctx.add_walls(s.scalars(select(Wall).where(Wall.floor_id == floor_id).order_by(Wall.id)),
                  s.scalars(select(WallOpening).where(WallOpening.floor_id == floor_id).order_by(WallOpening.id)))
    kind = KINDS[RoomNear.name]
    assert isinstance(kind, RoomNear)
    lang = current_language()
    out = []
    for rule in near:
        limit = rule["max_distance_m"] * 1000
        for room, _targets, target, route in kind.pairs(rule, ctx, floor_id):
            if target is None or route is None:
                continue
            out.append(DistanceRoute(rule.id, rule.title(lang), room.id, room.name, target.id, target.name,
                                     route.points, route.length_mm, limit, route.length_mm <= limit + 1e-6,
                                     rule["method"] == "walking"))
    return out
