"""Where walls meet, how their ends are cut (plan mm, y down), so that all walls fill as one clean mass.

Ends within half the thicker wall's thickness of each other are joined: each end is cut along the line
from the corner its faces make with the arm on one side to the corner with the arm on the other (two ends:
a mitre through the crossings of their faces; bevelled when very sharp), and three or more ends share the
hub polygon between their cuts. A wall running through such a junction takes part in it without being
cut. A single end on the middle of another wall (a T) reaches that wall's far face. Ends meeting at a
very shallow angle, or walls too short for their cut, are left as drawn.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from mpp_planner.model.polyline import EPS, Point, clean, cross, point_at, polyline_length, project, segments

DEFAULT_THICKNESS = 150
MITRE_LIMIT = 5.0  # a corner's mitre reaching further than this many half-thicknesses is bevelled
STRAIGHT = 1e-6  # |sin| of the angle between two wall ends below which their faces count as parallel
MIN_T_ANGLE = math.sin(math.radians(10))  # an end meeting another wall at a shallower angle is not joined
OVERLAP = 1.0  # mm a joint's piece reaches into its wall's body, so the union has no seam


def thickness_of(wall) -> float:
    return float(getattr(wall, "thickness", None) or DEFAULT_THICKNESS)


@dataclass
class Arm:
    """One end of a wall, seen from the joint: ``a`` points from the end into the wall, ``p`` is the
    normal to its "plus" side (the side of growing angle); the cut is (point on the minus face, point on
    the plus face)."""

    wall: int  # index into the list of walls
    end: int  # 0 = first point, 1 = last point, -1 = a wall running through the junction (never cut)
    x: float
    y: float
    ax: float
    ay: float
    t: float
    room: float  # length of the end segment (how far a cut may reach into the wall)
    angle: float = 0.0
    cut: tuple[Point, Point] | None = None

    @property
    def px(self) -> float:
        return -self.ay

    @property
    def py(self) -> float:
        return self.ax

    def face(self, sign: float) -> Point:
        return self.at(0.0, sign)

    def at(self, s: float, sign: float) -> Point:
        """The point ``s`` mm into the wall on its plus (sign 1) or minus (-1) face."""
        h = sign * self.t / 2
        return (self.x + self.ax * s + self.px * h, self.y + self.ay * s + self.py * h)


def along(arm: Arm, p: Point) -> float:
    return (p[0] - arm.x) * arm.ax + (p[1] - arm.y) * arm.ay


def meet(p: Point, d: tuple[float, float], q: Point, e: tuple[float, float]) -> Point | None:
    """Where the line through p along d crosses the line through q along e (None if parallel)."""
    den = cross(d[0], d[1], e[0], e[1])
    if abs(den) < STRAIGHT:
        return None
    s = cross(q[0] - p[0], q[1] - p[1], e[0], e[1]) / den
    return (p[0] + d[0] * s, p[1] + d[1] * s)


def _corner_points(i: Arm, j: Arm, gap: float) -> list[Point] | None:
    """The corner(s) between arm i's plus face and arm j's minus face, j following i by ``gap`` radians
    (None when the two faces are parallel)."""
    pi, pj = i.face(1.0), j.face(-1.0)
    c = meet(pi, (i.ax, i.ay), pj, (j.ax, j.ay))
    if c is None:
        return None
    mx, my = (i.x + j.x) / 2, (i.y + j.y) / 2
    if gap > math.pi and math.hypot(c[0] - mx, c[1] - my) > MITRE_LIMIT * max(i.t, j.t) / 2:
        return [pi, pj]  # bevel
    return [c]


def _join_cluster(arms: list[Arm]) -> list[Point] | None:
    """Cut the ends meeting at one place; the hub polygon between three or more of them (or a bevel).

    Two arms straight on from each other are cut square where the arms beside them meet their faces
    (a wall running through a junction), or, with no arm beside, half-way between their two ends."""
    for arm in arms:
        arm.angle, arm.cut = math.atan2(arm.ay, arm.ax), None
    arms.sort(key=lambda a: a.angle)
    n = len(arms)
    gaps: list[list[Point] | None] = []
    for k in range(n):
        i, j = arms[k], arms[(k + 1) % n]
        gap = (j.angle - i.angle) % (2 * math.pi)
        if n == 1 or gap < math.radians(1) or gap > 2 * math.pi - math.radians(1):
            return None  # two ends lying along each other: leave them as drawn
        gaps.append(_corner_points(i, j, gap))
    for k in range(n):
        if gaps[k] is not None:
            continue
        i, j = arms[k], arms[(k + 1) % n]
        before, after = gaps[k - 1], gaps[(k + 1) % n]
        if n > 2 and before is not None and after is not None:
            si, sj = along(i, before[-1]), along(j, after[0])
        else:
            mx, my = (i.x + j.x) / 2, (i.y + j.y) / 2
            si, sj = along(i, (mx, my)), along(j, (mx, my))
        gaps[k] = [i.at(si, 1.0), j.at(sj, -1.0)]
    done = [g for g in gaps if g is not None]
    for k, arm in enumerate(arms):
        arm.cut = (done[k - 1][-1], done[k][0])
    hub = [p for g in done for p in g]
    return hub if len(hub) >= 3 else None


def _t_cut(arm: Arm, wall_pts: list[Point], other_t: float) -> tuple[Point, Point] | None:
    """The cut of an end lying on the middle of another wall: that wall's far face."""
    offset, _d = project(wall_pts, arm.x, arm.y)
    fx, fy, ux, uy, _seg = point_at(wall_pts, offset)
    nx, ny = -uy, ux
    side = arm.ax * nx + arm.ay * ny  # > 0: the arm's wall lies on the +n side of the other wall
    if abs(side) < MIN_T_ANGLE:
        return None
    s = -1.0 if side > 0 else 1.0
    far = (fx + nx * s * other_t / 2, fy + ny * s * other_t / 2)
    cm = meet(arm.face(-1.0), (arm.ax, arm.ay), far, (ux, uy))
    cp = meet(arm.face(1.0), (arm.ax, arm.ay), far, (ux, uy))
    if cm is None or cp is None or not (_on_wall(cm, wall_pts, other_t) and _on_wall(cp, wall_pts, other_t)):
        return None  # the far face there is past the other wall's end
    return (cm, cp)


def _on_wall(p: Point, wall_pts: list[Point], t: float) -> bool:
    """Whether p lies on the wall's body, off its ends."""
    offset, d = project(wall_pts, p[0], p[1])
    return d <= t / 2 + EPS and 0 < offset < polyline_length(wall_pts)


def _arms(pts: list[Point], k: int, t: float) -> list[Arm]:
    segs = segments(pts)
    first, last = segs[0], segs[-1]
    b = (last.a[0] + last.ux * last.length, last.a[1] + last.uy * last.length)
    return [Arm(k, 0, first.a[0], first.a[1], first.ux, first.uy, t, first.length),
            Arm(k, 1, b[0], b[1], -last.ux, -last.uy, t, last.length)]


def _joints(polylines: list[list[Point]],
            thicknesses: list[float]) -> tuple[list[list[Arm]], list[tuple[list[Arm], list[Point] | None]]]:
    """Each wall's two arms (with their cuts set where they are joined) and the junctions of two or more
    ends (their arms, and their hub ring if any)."""
    import numpy as np
    import shapely

    arms = [_arms(pts, k, t) for k, (pts, t) in enumerate(zip(polylines, thicknesses))]
    flat = [a for pair in arms for a in pair]
    if not flat:
        return arms, []
    reach = max(thicknesses) / 2 + EPS
    xy = np.array([(a.x, a.y) for a in flat])
    half = np.array([a.t / 2 for a in flat])
    ends = shapely.points(xy)
    i, j = shapely.STRtree(ends).query(ends, predicate="dwithin", distance=reach)
    near = (i < j) & (np.hypot(*(xy[i] - xy[j]).T) <= np.maximum(half[i], half[j]) + EPS)
    parent = list(range(len(flat)))

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for n, m in zip(i[near].tolist(), j[near].tolist()):
        parent[root(m)] = root(n)
    clusters: dict[int, list[Arm]] = {}
    for n, a in enumerate(flat):
        clusters.setdefault(root(n), []).append(a)
    groups = list(clusters.values())
    lonely = [g[0] for g in groups if len(g) == 1]
    joined = [g for g in groups if len(g) > 1]
    tree: Any = None
    if lonely or joined:
        coords = [p for pts in polylines for p in pts]
        owner = [k for k, pts in enumerate(polylines) for _p in pts]
        tree = shapely.STRtree(shapely.linestrings(coords, indices=owner))
    junctions: list[tuple[list[Arm], list[Point] | None]] = []
    if joined:  # a wall running through where ends meet takes part as two arms that are not cut
        centres = [(sum(a.x for a in g) / len(g), sum(a.y for a in g) / len(g)) for g in joined]
        hits = tree.query(shapely.points(centres), predicate="dwithin", distance=reach)
        through: dict[int, list[Arm]] = {}
        for n, k in zip(hits[0].tolist(), hits[1].tolist()):
            group, (cx, cy) = joined[n], centres[n]
            if any(a.wall == k for a in group):
                continue
            offset, d = project(polylines[k], cx, cy)
            t = thicknesses[k]
            inside = t / 2 < offset < polyline_length(polylines[k]) - t / 2  # not by one of its ends
            if d > max(t, *(a.t for a in group)) / 2 + EPS or not inside:
                continue
            fx, fy, ux, uy, _seg = point_at(polylines[k], offset)
            through.setdefault(n, []).extend([Arm(k, -1, fx, fy, ux, uy, t, math.inf),
                                               Arm(k, -1, fx, fy, -ux, -uy, t, math.inf)])
        for n, group in enumerate(joined):
            crossing = through.get(n, [])
            hub = _join_cluster(group + crossing)
            if crossing and not all(_on_wall(p, polylines[a.wall], a.t) for a in crossing for p in a.cut or ()):
                hub = _join_cluster(group)  # the corners would reach past the end of the wall running through
            junctions.append((group, hub))
    if lonely:  # ends on the middle of another wall
        hits = tree.query(shapely.points([(a.x, a.y) for a in lonely]), predicate="dwithin", distance=reach)
        best: dict[int, tuple[float, int]] = {}
        for n, k in zip(hits[0].tolist(), hits[1].tolist()):
            a = lonely[n]
            if k == a.wall:
                continue
            d = project(polylines[k], a.x, a.y)[1]
            if d <= max(a.t, thicknesses[k]) / 2 + EPS and d < best.get(n, (math.inf, -1))[0]:
                best[n] = (d, k)
        for n, (_d, k) in best.items():
            lonely[n].cut = _t_cut(lonely[n], polylines[k], thicknesses[k])
    return arms, junctions


def shift(arm: Arm) -> float:
    """How far the arm's cut reaches into its wall (negative: out past its end)."""
    return max(along(arm, arm.cut[0]), along(arm, arm.cut[1])) if arm.cut is not None else 0.0


class Layout(NamedTuple):
    """The walls of a floor made ready for drawing: their cleaned polylines, thicknesses, cut ends and hubs."""

    walls: list  # the walls drawn: at least two distinct points
    polylines: list[list[Point]]
    thicknesses: list[float]
    arms: list[list[Arm]]  # each wall's [first end, last end], cut where joined (else ``cut`` is None)
    hubs: dict[int, list[list[Point]]]  # by wall index: the hub polygons it carries


def layout(walls: Iterable) -> Layout:
    """Join the walls (those with two distinct points or more; the others are left out)."""
    kept, polylines, thicknesses = [], [], []
    for w in walls:
        pts = clean(w.points)
        if len(pts) >= 2:
            kept.append(w)
            polylines.append(pts)
            thicknesses.append(thickness_of(w))
    arms, junctions = _joints(polylines, thicknesses)
    short: set[int] = set()  # ends whose wall is too short for their cut (by id of the arm)
    for pts, pair in zip(polylines, arms):
        shifts = [shift(a) for a in pair]
        both = max(shifts[0], 0.0) + max(shifts[1], 0.0) if len(pts) == 2 else 0.0  # one segment cut at both ends
        short.update(id(a) for a in pair if a.cut is not None and max(shifts[a.end], both) >= a.room - 2 * OVERLAP)
    hubs: dict[int, list[list[Point]]] = {}
    for group, ring in junctions:
        if any(id(a) in short for a in group):
            short.update(id(a) for a in group)  # the whole junction stays as drawn
        elif ring is not None and abs(sum(cross(*ring[i - 1], *ring[i]) for i in range(len(ring)))) > EPS:
            hubs.setdefault(min(a.wall for a in group), []).append(ring)
    for pair in arms:
        for arm in pair:
            if id(arm) in short:
                arm.cut = None
    return Layout(kept, polylines, thicknesses, arms, hubs)
