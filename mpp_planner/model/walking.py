"""Walking routes on one floor: the shortest path from room to room through the doors.

The free space of a floor is where a person can walk: the drawn rooms and the door openings through the
walls, less the wall bodies (windows stay shut: they are cut from the walls for drawing, never walked
through). With no walls on the floor it is the union of the rooms, so a shared room edge is passable.

A route is the exact shortest polyline inside the free space. Such a path bends only at the free space's
reflex corners (door jambs, wall ends), along lines tangent to the corner at both ends, so it is found by
A* over that reduced visibility graph. Sight lines are tested many at once with shapely's vectorised
``intersects`` against the prepared complement of the free space: the whole graph in one go on a floor
of up to FULL_GRAPH corners, else a corner's lines when a search first reaches it; either way kept for
the next route. Route ends are the rooms' centroids (see :meth:`WalkingMap.point_of`). shapely (GEOS)
and numpy are imported on first use.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from mpp_planner.model import geometry

Point = tuple[float, float]

DOOR_REACH = 50  # mm a door's passage reaches past each face of its wall (rooms drawn short of the wall)
SLIVER = 20  # mm: free strips thinner than twice this (a room drawn past a wall's face) are dropped
VISIBILITY_SLACK = 0.5  # mm of tolerance when testing sight lines (a line grazing a corner or along a wall)
FULL_GRAPH = 600  # corners up to which the whole visibility graph is built at once (180,000 sight lines)
STRAIGHT = 1e-9  # |sin| of a turn below which a corner counts as straight (not a bend of any route)


@dataclass(frozen=True)
class Route:
    """A walking path: its points from start to end (plan mm, y down) and its length in mm."""

    points: tuple[Point, ...]
    length_mm: float

    @property
    def length_m(self) -> float:
        return self.length_mm / 1000.0


def _passage(frame) -> list[Point]:
    """A door's passage: its gap through the wall (``wall_geometry.OpeningFrame``), reaching a little past
    both faces."""
    (nx, ny), r = frame.normal, DOOR_REACH
    return [(frame.start_left[0] + nx * r, frame.start_left[1] + ny * r),
            (frame.end_left[0] + nx * r, frame.end_left[1] + ny * r),
            (frame.end_right[0] - nx * r, frame.end_right[1] - ny * r),
            (frame.start_right[0] - nx * r, frame.start_right[1] - ny * r)]


def free_space(room_outlines: Iterable[Sequence[Sequence[float]]], walls: Iterable = (), openings: Iterable = ()):
    """Where one can walk (a shapely geometry): rooms ∪ door passages − walls (joined and cut as drawn,
    ``model.wall_geometry``); windows stay shut, and an opening that does not fit its wall is not there."""
    import shapely
    from shapely.geometry import Polygon

    from mpp_planner.model.wall_geometry import mass_geometry, opening_frame

    rooms = [Polygon(o) for o in room_outlines if len(o) >= 3]
    rooms = [p if p.is_valid else p.buffer(0) for p in rooms]
    space = shapely.unary_union(rooms) if rooms else Polygon()
    walls = list(walls)
    if not walls:
        return space
    by_id = {w.id: w for w in walls}
    doors = [o for o in openings if str(o.kind) != "window" and o.wall_id in by_id]
    frames = [opening_frame(by_id[o.wall_id], o) for o in doors]
    passages = [Polygon(_passage(f)) for f in frames if f is not None]
    if passages:
        space = shapely.union(space, shapely.unary_union(passages))
    space = space.difference(mass_geometry(walls, doors))
    # drop the slivers a room drawn a little past a wall leaves outside it (they would join rooms around walls)
    return space.buffer(-SLIVER, join_style="mitre").buffer(SLIVER, join_style="mitre")


class WalkingMap:
    """Shortest walking routes on one floor (see the module's docstring)."""

    def __init__(self, free) -> None:
        import numpy as np
        import shapely
        from shapely.geometry.polygon import orient

        self.free = free
        shapely.prepare(free)
        # what a sight line may not touch: everything but the free space, shrunk a hair so that a line
        # grazing a corner or running along a wall still passes
        outside = shapely.box(*free.bounds).buffer(1000, join_style="mitre") if not free.is_empty else None
        self._blocked = outside.difference(free).buffer(-VISIBILITY_SLACK, join_style="mitre") \
            if outside is not None else None
        if self._blocked is not None:
            shapely.prepare(self._blocked)
        corners: list[tuple[Point, Point, Point]] = []  # (corner, previous vertex, next vertex)
        for poly in getattr(free, "geoms", [free]):
            if poly.is_empty or poly.geom_type != "Polygon":
                continue
            poly = orient(poly, 1.0)  # free space on the left of every ring
            for ring in (poly.exterior, *poly.interiors):
                corners.extend(_reflex_corners(list(ring.coords)[:-1]))
        arr = np.array(corners, dtype=float).reshape(-1, 3, 2)
        self._xy = arr[:, 0, :]
        prev, nxt = arr[:, 1, :] - arr[:, 0, :], arr[:, 2, :] - arr[:, 0, :]
        self._prev = prev / np.hypot(prev[:, 0], prev[:, 1])[:, None]  # unit vectors along the corner's walls
        self._next = nxt / np.hypot(nxt[:, 0], nxt[:, 1])[:, None]
        self._rows: dict[int, tuple[Any, Any]] = {}  # corner -> (corners it sees, their distances)

    @classmethod
    def of(cls, room_outlines: Iterable[Sequence[Sequence[float]]], walls: Iterable = (),
           openings: Iterable = ()) -> WalkingMap:
        """The map of a floor from its rooms' outlines, its walls (``points``, ``thickness``, ``id``) and the
        openings in them (``wall_id``, ``kind``, ``offset``, ``width``)."""
        return cls(free_space(room_outlines, walls, openings))

    @property
    def corner_count(self) -> int:
        return len(self._xy)

    def contains(self, p: Point) -> bool:
        import shapely

        return bool(shapely.covers(self.free, shapely.points(p[0], p[1])))

    def point_of(self, outline: Sequence[Sequence[float]]) -> Point | None:
        """Where a route to a room starts: its centroid if that is in the room and one can stand there, else
        a point of the room one can stand on (``None`` if walls fill the whole room)."""
        from shapely.geometry import Polygon

        if len(outline) < 3:
            return None
        c = geometry.centroid(outline)
        if geometry.point_in_polygon(c[0], c[1], outline) and self.contains(c):
            return c
        poly = Polygon(outline)
        inside = self.free.intersection(poly if poly.is_valid else poly.buffer(0))
        if inside.is_empty or inside.area <= 0:
            return None
        p = inside.point_on_surface()
        return (p.x, p.y)

    def route(self, a: Point, b: Point) -> Route | None:
        """The shortest walking route from ``a`` to ``b``; ``None`` when one is not reachable from the other."""
        found = self.nearest(a, [b])
        return found[1] if found is not None else None

    def room_route(self, a_outline, b_outline) -> Route | None:
        """The route between two rooms' representative points (:meth:`point_of`)."""
        found = self.nearest_room(a_outline, [b_outline])
        return found[1] if found is not None else None

    def nearest_room(self, a_outline, b_outlines: Sequence) -> tuple[int, Route] | None:
        """The room of ``b_outlines`` nearest on foot to room ``a_outline``: its index and the route."""
        a = self.point_of(a_outline)
        if a is None:
            return None
        ends = [self.point_of(o) for o in b_outlines]
        index = [i for i, p in enumerate(ends) if p is not None]
        found = self.nearest(a, [p for p in ends if p is not None])
        return (index[found[0]], found[1]) if found is not None else None

    def nearest(self, a: Point, goals: Sequence[Point]) -> tuple[int, Route] | None:
        """The goal nearest on foot to ``a`` (its index in ``goals``) and the route to it; ``None`` if none is
        reachable. One A* search serves all the goals (its estimate: the straight line to the nearest)."""
        import numpy as np

        goals = [g for g in goals]
        if not goals or not self.contains(a):
            return None
        n, m = len(self._xy), len(goals)
        start = n + m  # node ids: corners 0..n-1, goals n..n+m-1, the start n+m
        goal_xy = np.array(goals, dtype=float).reshape(-1, 2)
        usable = np.array([self.contains(g) for g in goals])
        if not usable.any():
            return None
        here = np.array(a, dtype=float)
        # which corners see each goal, and whether the start sees it
        sees_goal = np.zeros((m, n), dtype=bool)
        for goal in np.flatnonzero(usable).tolist():
            sees_goal[goal, self._visible_corners(goal_xy[goal], None)[0]] = True
        direct = np.zeros(m, dtype=bool)
        direct[usable] = self._clear(np.broadcast_to(here, goal_xy[usable].shape), goal_xy[usable])
        dx = self._xy[:, None, 0] - goal_xy[usable, 0]
        dy = self._xy[:, None, 1] - goal_xy[usable, 1]
        estimate = np.hypot(dx, dy).min(axis=1) if n else np.zeros(0)
        g_score = np.full(n + m + 1, math.inf)
        g_score[start] = 0.0
        parent: dict[int, int] = {}
        heap: list[tuple[float, int]] = [(0.0, start)]
        done = np.zeros(n + m + 1, dtype=bool)
        while heap:
            _f, node = heapq.heappop(heap)
            if done[node]:
                continue
            done[node] = True
            if n <= node < start:
                return node - n, self._route(node, parent, float(g_score[node]), a, goals)
            if node == start:
                idx, dist = self._visible_corners(here, None)
                from_xy, reach = here, direct
            else:
                idx, dist = self._row(node)
                from_xy, reach = self._xy[node], sees_goal[:, node]
            base = float(g_score[node])
            new = base + dist
            better = new < g_score[idx]
            for j, g in zip(idx[better].tolist(), new[better].tolist()):
                g_score[j], parent[j] = g, node
                heapq.heappush(heap, (g + float(estimate[j]), j))
            for goal in np.flatnonzero(reach).tolist():
                g = base + math.dist(from_xy, goal_xy[goal])
                if g < g_score[n + goal]:
                    g_score[n + goal], parent[n + goal] = g, node
                    heapq.heappush(heap, (g, n + goal))
        return None

    # --- the visibility graph -------------------------------------------------------------------------
    def _route(self, goal: int, parent: dict[int, int], length: float, a: Point, goals: Sequence[Point]) -> Route:
        n = len(self._xy)
        chain = [goal]
        while chain[-1] in parent:
            chain.append(parent[chain[-1]])
        pts: list[Point] = []
        for node in reversed(chain):
            if node < n:
                pts.append((float(self._xy[node, 0]), float(self._xy[node, 1])))
            elif node < n + len(goals):
                pts.append((float(goals[node - n][0]), float(goals[node - n][1])))
            else:
                pts.append((float(a[0]), float(a[1])))
        return Route(tuple(pts), length)

    def _clear(self, starts, ends):
        """Whether each straight line ``starts[i]`` → ``ends[i]`` stays inside the free space."""
        import numpy as np
        import shapely

        if not len(starts):
            return np.zeros(0, dtype=bool)
        if self._blocked is None:
            return np.zeros(len(starts), dtype=bool)
        return ~shapely.intersects(self._blocked, shapely.linestrings(np.stack([starts, ends], axis=1)))

    def _tangent(self, corners, d):
        """For each of ``corners``, whether the line through it along ``d`` (one direction per corner) leaves
        the corner's two walls on one side: only such lines can be part of a shortest route."""
        import numpy as np

        pv, nv = self._prev[corners], self._next[corners]
        length = np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-300)
        s1 = (d[:, 0] * pv[:, 1] - d[:, 1] * pv[:, 0]) / length
        s2 = (d[:, 0] * nv[:, 1] - d[:, 1] * nv[:, 0]) / length
        s1[np.abs(s1) <= STRAIGHT] = 0.0
        s2[np.abs(s2) <= STRAIGHT] = 0.0
        return s1 * s2 >= 0

    def _visible_corners(self, here, corner: int | None):
        """The corners a line from ``here`` (corner ``corner``, if it is one) reaches inside the free space,
        tangent at both ends, and their distances."""
        import numpy as np

        idx = np.arange(len(self._xy))
        if corner is not None:
            idx = idx[idx != corner]
        d = self._xy[idx] - here
        keep = self._tangent(idx, d)
        if corner is not None:
            keep &= self._tangent(np.full(len(idx), corner), d)
        idx, d = idx[keep], d[keep]
        seen = self._clear(np.broadcast_to(here, d.shape), self._xy[idx])
        idx, d = idx[seen], d[seen]
        return idx, np.hypot(d[:, 0], d[:, 1])

    def _row(self, corner: int):
        """The corners ``corner`` sees: on a floor of up to FULL_GRAPH corners, the whole graph is worked out
        at once on first use (one vectorised test is cheaper than a row per corner); on a bigger floor, each
        row when a search first reaches its corner. Either way kept for the next route."""
        if not self._rows and len(self._xy) <= FULL_GRAPH:
            self._whole_graph()
        found = self._rows.get(corner)
        if found is None:
            found = self._rows[corner] = self._visible_corners(self._xy[corner], corner)
        return found

    def _whole_graph(self) -> None:
        import numpy as np

        xy, n = self._xy, len(self._xy)
        ii, jj = np.triu_indices(n, 1)
        d = xy[jj] - xy[ii]
        keep = self._tangent(ii, d) & self._tangent(jj, d)
        ii, jj = ii[keep], jj[keep]
        seen = self._clear(xy[ii], xy[jj])
        src, dst = np.concatenate([ii[seen], jj[seen]]), np.concatenate([jj[seen], ii[seen]])
        order = np.argsort(src, kind="stable")
        src, dst = src[order], dst[order]
        dist = np.hypot(xy[dst, 0] - xy[src, 0], xy[dst, 1] - xy[src, 1])
        bounds = np.searchsorted(src, np.arange(n + 1))
        for i in range(n):
            self._rows[i] = (dst[bounds[i]:bounds[i + 1]], dist[bounds[i]:bounds[i + 1]])


def _reflex_corners(ring: list[tuple[float, float]]) -> list[tuple[Point, Point, Point]]:
    """The vertices of a ring (free space on its left) where it turns right: the corners routes bend at."""
    out = []
    m = len(ring)
    for i in range(m):
        p, c, q = ring[i - 1], ring[i], ring[(i + 1) % m]
        ax, ay, bx, by = c[0] - p[0], c[1] - p[1], q[0] - c[0], q[1] - c[1]
        cross = ax * by - ay * bx
        if cross < -STRAIGHT * math.hypot(ax, ay) * math.hypot(bx, by):
            out.append(((c[0], c[1]), (p[0], p[1]), (q[0], q[1])))
    return out
