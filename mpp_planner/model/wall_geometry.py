"""The shapes of walls, doors and windows, worked out from the model's numbers (plan mm, y down).

Pure functions over duck-typed inputs: a wall has ``id``, ``points`` (a polyline; a closed loop repeats its
first point at the end) and ``thickness`` (centred on the polyline); an opening has ``id``, ``wall_id``,
``kind``, ``offset`` (mm along its wall's polyline, from the first point to the opening's centre),
``width``, ``hinge`` ("start"/"end": the jamb nearer the wall's first or last point) and ``side``
("left"/"right": the face, looking from the wall's first point to its last, a door swings towards).
ORM rows and the small :class:`WallShape` / :class:`OpeningShape` dataclasses both do.

Walls are joined where they meet (``model.wall_joins``: mitred corners, T junctions reaching the far face,
hubs where three or more ends meet), so that the union of their bodies is one clean mass. The polyline
measures (``point_at``, ``project``, ``polyline_length``) come from ``model.polyline``. shapely (GEOS) is
imported on first use.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from mpp_planner.model.polyline import (EPS, Point, clean, cross, is_closed, placed, point_at, polyline_length,
                                       project, segments)
from mpp_planner.model.wall_joins import (DEFAULT_THICKNESS, MITRE_LIMIT, OVERLAP, Layout, layout, meet, shift,
                                         thickness_of)

CUT_MARGIN = 1.0  # mm a door's or window's gap reaches past each face of its wall
ARC_STEPS = 16  # segments of a quarter-circle door swing


@dataclass(frozen=True)
class WallShape:
    """A wall for the functions here (tests, previews): its polyline and thickness in mm."""

    id: int
    points: Sequence[Sequence[float]]
    thickness: float = DEFAULT_THICKNESS


@dataclass(frozen=True)
class OpeningShape:
    """A door or window for the functions here; see the module docstring for the fields."""

    id: int
    wall_id: int
    kind: str
    offset: float
    width: float
    hinge: str = "start"
    side: str = "left"


class Area(NamedTuple):
    """A filled region: its outer boundary and its holes, each a ring of points (first not repeated)."""

    exterior: list[Point]
    holes: list[list[Point]]


@dataclass(frozen=True)
class OpeningFrame:
    """Where an opening sits in its wall: centre, unit direction along the wall (first point to last),
    unit normal towards the wall's left face, and the jamb points (``start`` is the jamb nearer the wall's
    first point; ``_left``/``_right`` are on the faces, the bare ones on the centreline)."""

    centre: Point
    direction: Point
    normal: Point
    width: float
    thickness: float
    segment: int
    start: Point
    end: Point
    start_left: Point
    start_right: Point
    end_left: Point
    end_right: Point

    def jamb(self, which: str, side: str | None = None) -> Point:
        """The jamb ``which`` ("start"/"end") on the face ``side`` ("left"/"right"; None = centreline)."""
        if side is None:
            return self.start if which == "start" else self.end
        return {("start", "left"): self.start_left, ("start", "right"): self.start_right,
                ("end", "left"): self.end_left, ("end", "right"): self.end_right}[(which, side)]

    def facing(self, side: str) -> Point:
        """Unit normal pointing out of the face ``side``."""
        s = 1.0 if side == "left" else -1.0
        return (self.normal[0] * s, self.normal[1] * s)


@dataclass(frozen=True)
class OpeningPath:
    """One stroke of an opening's symbol. ``role`` says what it is, for the pen: "jamb" (closes the wall
    at the gap), "leaf" (a door leaf, open at 90°), "swing" (its quarter-circle path), "panel" (a sliding
    panel, closed), "arrow" (which way it slides), "sill" (a window's face lines), "glass"."""

    points: list[Point]
    closed: bool = False
    dashed: bool = False
    role: str = ""


def _gaps(lay: Layout, openings: Iterable) -> dict[int, list[tuple[float, float]]]:
    """By wall index: the spans (offsets along the wall) of the openings that fit it, merged, in order."""
    by_id = {w.id: k for k, w in enumerate(lay.walls)}
    spans: dict[int, list[tuple[float, float]]] = {}
    for o in openings:
        k = by_id.get(o.wall_id)
        if k is None or float(o.width) <= 0:
            continue
        lo, hi = float(o.offset) - float(o.width) / 2, float(o.offset) + float(o.width) / 2
        if placed(lay.polylines[k], float(o.offset), float(o.width)) is not None:
            spans.setdefault(k, []).append((lo, hi))
    for k, found in spans.items():
        found.sort()
        merged = [found[0]]
        for lo, hi in found[1:]:
            if lo <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
            else:
                merged.append((lo, hi))
        spans[k] = merged
    return spans


def _area2(ring: Sequence[Point]) -> float:
    return sum(cross(*ring[i - 1], *ring[i]) for i in range(len(ring)))


def _straight_pieces(lay: Layout, k: int, gaps: list[tuple[float, float]]) -> list[list[Point]] | None:
    """A one-segment wall's body as quadrilaterals between its gaps (None: leave it to shapely)."""
    first, last = lay.arms[k]
    h = lay.thicknesses[k] / 2
    ux, uy = first.ax, first.ay
    nx, ny = uy, -ux  # the left face
    left_start, right_start = first.cut or (first.face(-1.0), first.face(1.0))
    right_end, left_end = last.cut or (last.face(-1.0), last.face(1.0))
    if not gaps:
        return [[left_start, left_end, right_end, right_start]]
    if gaps[0][0] < shift(first) + EPS or gaps[-1][1] > first.room - shift(last) - EPS:
        return None  # an opening reaching into a joint
    out = []
    for lo, hi in gaps:
        a = (first.x + ux * lo, first.y + uy * lo)
        out.append([left_start, (a[0] + nx * h, a[1] + ny * h), (a[0] - nx * h, a[1] - ny * h), right_start])
        b = (first.x + ux * hi, first.y + uy * hi)
        left_start, right_start = (b[0] + nx * h, b[1] + ny * h), (b[0] - nx * h, b[1] - ny * h)
    out.append([left_start, left_end, right_end, right_start])
    return [ring for ring in out if abs(_area2(ring)) > EPS]


def _shaped_pieces(lay: Layout, k: int, gaps: list[tuple[float, float]]) -> list:
    """Any wall's body as shapely geometries: its polyline buffered (ends moved to their cuts), a piece at
    each joined end, less the gaps of its openings."""
    import shapely

    pts = list(lay.polylines[k])
    t = lay.thicknesses[k]
    parts = []
    for arm in lay.arms[k]:
        if arm.cut is None:
            continue
        s = shift(arm)
        pts[0 if arm.end == 0 else -1] = (arm.x + arm.ax * s, arm.y + arm.ay * s)
        far, h = s + OVERLAP, t / 2
        fm = (arm.x + arm.ax * far - arm.px * h, arm.y + arm.ay * far - arm.py * h)
        fp = (arm.x + arm.ax * far + arm.px * h, arm.y + arm.ay * far + arm.py * h)
        parts.append(shapely.Polygon([arm.cut[0], fm, fp, arm.cut[1]]))
    line = shapely.linestrings(pts)
    if pts[0] == pts[-1]:  # a loop left unjoined: two lines, else GEOS would buffer it as a ring
        mid = ((pts[0][0] + pts[1][0]) / 2, (pts[0][1] + pts[1][1]) / 2)
        line = shapely.multilinestrings([shapely.linestrings([mid, *pts[1:]]), shapely.linestrings([pts[0], mid])])
    body = shapely.buffer(line, t / 2, cap_style="flat", join_style="mitre", mitre_limit=MITRE_LIMIT)
    if not gaps:
        return [body, *parts]
    cuts = []
    for lo, hi in gaps:
        seg = placed(lay.polylines[k], (lo + hi) / 2, hi - lo)
        if seg is None:
            continue
        (ax, ay), (ux, uy), h = seg.a, (seg.ux, seg.uy), t / 2 + CUT_MARGIN
        cuts.append([(ax + ux * (at - seg.start) + uy * d, ay + uy * (at - seg.start) - ux * d)
                     for at, d in ((lo, h), (hi, h), (hi, -h), (lo, -h))])
    whole = shapely.union_all([body, *parts])
    return [shapely.difference(whole, shapely.union_all(shapely.polygons(cuts)))] if cuts else [whole]


def _pieces(lay: Layout, gaps: dict[int, list[tuple[float, float]]]) -> tuple[list[list[list[Point]]], list[list]]:
    """Per wall: its body (less its gaps) as rings of points where it is plain quadrilaterals, and as
    shapely geometries otherwise; hubs are added to the wall that carries them, as rings."""
    rings: list[list[list[Point]]] = []
    shapes: list[list] = []
    for k in range(len(lay.walls)):
        wall_gaps = gaps.get(k, [])
        quads = _straight_pieces(lay, k, wall_gaps) if len(lay.polylines[k]) == 2 else None
        rings.append([*(quads or []), *lay.hubs.get(k, [])])
        shapes.append(_shaped_pieces(lay, k, wall_gaps) if quads is None else [])
    return rings, shapes


def _union(rings: Iterable[list[list[Point]]], shapes: Iterable[list]):
    """The union of all pieces (GEOS buffer by 0 of them all as one multipolygon: faster than a union)."""
    import numpy as np
    import shapely

    flat = [r for rs in rings for r in rs]
    quads = [r for r in flat if len(r) == 4]
    parts = list(shapely.polygons(np.array(quads, dtype=float))) if quads else []
    parts += [shapely.Polygon(r) for r in flat if len(r) != 4]
    for geoms in shapes:
        for g in geoms:
            parts.extend(p for p in shapely.get_parts(g) if p.geom_type == "Polygon" and not p.is_empty)
    if not parts:
        return shapely.Polygon()
    merged = shapely.buffer(shapely.multipolygons(parts), 0)
    if not shapely.is_valid(merged):  # pieces meeting within rounding error can leave a self-touching ring
        merged = shapely.union_all(parts)
    return merged


def body_geometries(walls: Iterable) -> dict[int, Any]:
    """Each wall's joined body as a shapely geometry, by wall id."""
    lay = layout(walls)
    rings, shapes = _pieces(lay, {})
    return {w.id: _union([r], [s]) for w, r, s in zip(lay.walls, rings, shapes)}


def _areas(geom) -> list[Area]:
    import shapely

    out = []
    for poly in shapely.get_parts(geom):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        exterior = [tuple(p) for p in shapely.get_coordinates(poly.exterior).tolist()[:-1]]
        holes = [[tuple(p) for p in shapely.get_coordinates(r).tolist()[:-1]] for r in poly.interiors]
        out.append(Area(exterior, holes))
    return out


def wall_bodies(walls: Iterable) -> dict[int, list[list[Point]]]:
    """Each wall's body outline, by wall id: its rings (outer boundaries and holes, as a closed loop has;
    fill them even-odd), thickness centred on the polyline, mitred at its own corners, joined to the walls
    it meets (see the module docstring). Points are not repeated at the end of a ring."""
    lay = layout(walls)
    rings, shapes = _pieces(lay, {})
    out = {}
    for w, r, s in zip(lay.walls, rings, shapes):
        whole = _spliced(r[0], r[1:]) if r and not s else None
        if whole is not None:
            out[w.id] = [whole]
        else:
            out[w.id] = [ring for area in _areas(_union([r], [s])) for ring in (area.exterior, *area.holes)]
    return out


def _spliced(quad: list[Point], hubs: list[list[Point]]) -> list[Point] | None:
    """A straight wall's quadrilateral with the hubs it carries let in along the cuts they share with it
    (None when a hub does not share a cut: leave it to shapely)."""
    ring = list(quad)
    for hub in hubs:
        n = len(hub)
        for i in range(len(ring)):
            a, b = ring[i], ring[(i + 1) % len(ring)]
            k = next((k for k in range(n) if hub[k] == b and hub[(k + 1) % n] == a), None)
            if k is not None:
                ring[i + 1:i + 1] = [hub[(k + m) % n] for m in range(2, n)]  # round the hub from a to b
                break
        else:
            return None
    return ring


def mass_geometry(walls: Iterable, openings: Iterable = ()):
    """The union of all wall bodies less the gaps of the openings that fit their walls (shapely)."""
    lay = layout(walls)
    return _union(*_pieces(lay, _gaps(lay, openings)))


def wall_mass(walls: Iterable, openings: Iterable = ()) -> list[Area]:
    """What is filled dark on the plan: all walls as one mass, with a gap at every door and window that
    fits its wall (through the whole thickness, the opening's width)."""
    return _areas(mass_geometry(walls, openings))


# --- doors and windows ------------------------------------------------------------------------------


def fits(wall, offset: float, width: float) -> bool:
    """Whether an opening ``width`` wide centred ``offset`` mm along the wall lies on one of its straight
    segments (not past an end, not round a corner)."""
    return width > 0 and placed(wall.points, offset, width) is not None


def clamp_offset(wall, offset: float, width: float) -> int | None:
    """The whole-mm offset nearest to ``offset`` where an opening ``width`` wide fits the wall (slid along
    its segment, or onto the nearest segment long enough); None when no segment is long enough."""
    best: tuple[float, int] | None = None
    for s in segments(wall.points):
        lo, hi = math.ceil(s.start + width / 2 - EPS), math.floor(s.start + s.length - width / 2 + EPS)
        if lo > hi:
            continue
        at = min(max(round(offset), lo), hi)
        if best is None or abs(at - offset) < best[0]:
            best = (abs(at - offset), at)
    return None if best is None else best[1]


def opening_frame(wall, opening) -> OpeningFrame | None:
    """Where the opening sits in its wall, or None when it does not fit (see :func:`fits`)."""
    w = float(opening.width)
    s = placed(wall.points, float(opening.offset), w) if w > 0 else None
    if s is None:
        return None
    t = thickness_of(wall)
    ux, uy = s.ux, s.uy
    nx, ny = uy, -ux  # left of the way from the first point to the last (y down)
    at = float(opening.offset) - s.start
    cx, cy = s.a[0] + ux * at, s.a[1] + uy * at
    a = (cx - ux * w / 2, cy - uy * w / 2)
    b = (cx + ux * w / 2, cy + uy * w / 2)
    h = t / 2
    return OpeningFrame((cx, cy), (ux, uy), (nx, ny), w, t, s.number, a, b,
                        (a[0] + nx * h, a[1] + ny * h), (a[0] - nx * h, a[1] - ny * h),
                        (b[0] + nx * h, b[1] + ny * h), (b[0] - nx * h, b[1] - ny * h))


def _swing(hinge: Point, leaf: float, out: Point, along: Point) -> list[OpeningPath]:
    """A leaf ``leaf`` long hinged at ``hinge``, open at 90° (along ``out``), and its quarter-circle swing
    back to the wall (along ``along``)."""
    tip = (hinge[0] + out[0] * leaf, hinge[1] + out[1] * leaf)
    arc = []
    for k in range(ARC_STEPS + 1):
        phi = math.pi / 2 * k / ARC_STEPS
        c, s = math.cos(phi), math.sin(phi)
        arc.append((hinge[0] + leaf * (out[0] * c + along[0] * s), hinge[1] + leaf * (out[1] * c + along[1] * s)))
    return [OpeningPath([hinge, tip], role="leaf"), OpeningPath(arc, role="swing")]


def _strip(f: OpeningFrame, start: float, end: float, lateral: float, depth: float) -> list[Point]:
    """A rectangle along the wall from ``start`` to ``end`` mm (from the opening's centre), centred
    ``lateral`` mm towards the left face, ``depth`` across."""
    (cx, cy), (ux, uy), (nx, ny) = f.centre, f.direction, f.normal
    return [(cx + ux * s + nx * (lateral + d), cy + uy * s + ny * (lateral + d))
            for s, d in ((start, -depth / 2), (end, -depth / 2), (end, depth / 2), (start, depth / 2))]


def opening_paths(wall, opening) -> list[OpeningPath]:
    """The strokes of an opening's plan symbol (empty when it does not fit its wall).

    Every opening closes the wall at its two jambs. A door's leaf is drawn open at 90° on its ``side``
    face, hinged at its ``hinge`` jamb, with the quarter circle it sweeps; a double door has two leaves of
    half the width, one at each jamb. A sliding door has two overlapping panels in the wall: the one on
    the ``side`` half runs towards the ``hinge`` jamb, as the arrow beside that face shows. A window has
    its two face lines and the glass on the centreline.
    """
    f = opening_frame(wall, opening)
    if f is None:
        return []
    paths = [OpeningPath([f.start_left, f.start_right], role="jamb"),
             OpeningPath([f.end_left, f.end_right], role="jamb")]
    kind = str(getattr(opening, "kind", "door"))
    side = "right" if getattr(opening, "side", "left") == "right" else "left"
    hinge = "end" if getattr(opening, "hinge", "start") == "end" else "start"
    other = "start" if hinge == "end" else "end"
    out = f.facing(side)
    ux, uy = f.direction
    if kind == "window":
        paths += [OpeningPath([f.start_left, f.end_left], role="sill"),
                  OpeningPath([f.start_right, f.end_right], role="sill"),
                  OpeningPath([f.start, f.end], role="glass")]
    elif kind == "double_door":
        paths += _swing(f.jamb("start", side), f.width / 2, out, (ux, uy))
        paths += _swing(f.jamb("end", side), f.width / 2, out, (-ux, -uy))
    elif kind == "sliding_door":
        w, sign = f.width / 2, (1.0 if side == "left" else -1.0)
        depth = max(10.0, min(40.0, f.thickness / 4))
        lap = min(100.0, f.width / 10)
        towards = 1.0 if hinge == "end" else -1.0  # along the wall, the way the running panel opens
        moving = (-w, lap / 2) if towards > 0 else (-lap / 2, w)
        fixed = (-lap / 2, w) if towards > 0 else (-w, lap / 2)
        paths += [OpeningPath(_strip(f, *fixed, -sign * depth / 2, depth), closed=True, role="panel"),
                  OpeningPath(_strip(f, *moving, sign * depth / 2, depth), closed=True, role="panel")]
        (cx, cy), (nx, ny) = f.centre, out
        gap = f.thickness / 2 + min(150.0, f.width / 6)
        length, head = f.width / 3, min(80.0, f.width / 10)
        bx, by = cx + nx * gap - ux * towards * length / 2, cy + ny * gap - uy * towards * length / 2
        tx, ty = bx + ux * towards * length, by + uy * towards * length
        back = (-ux * towards * head, -uy * towards * head)
        paths += [OpeningPath([(bx, by), (tx, ty)], role="arrow"),
                  OpeningPath([(tx + back[0] + nx * head / 2, ty + back[1] + ny * head / 2), (tx, ty),
                               (tx + back[0] - nx * head / 2, ty + back[1] - ny * head / 2)], role="arrow")]
    else:  # a single swing door
        a, b = f.jamb(hinge, side), f.jamb(other, side)
        along = ((b[0] - a[0]) / f.width, (b[1] - a[1]) / f.width)
        paths += _swing(a, f.width, out, along)
    return paths


# --- rooms from walls -------------------------------------------------------------------------------


def _tidy_ring(coords: Iterable[Sequence[float]]) -> list[tuple[int, int]]:
    """Whole mm, no repeated point, no point on the straight line between its neighbours; positive
    shoelace area (clockwise on the screen, y down), starting at the top-most, then left-most, point."""
    pts: list[tuple[int, int]] = []
    for x, y in coords:
        q = (round(x), round(y))
        if not pts or q != pts[-1]:
            pts.append(q)
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    changed = True
    while changed and len(pts) > 3:
        changed = False
        for i in range(len(pts)):
            a, b, c = pts[i - 1], pts[i], pts[(i + 1) % len(pts)]
            base = math.dist(a, c)
            if a == c or abs(cross(b[0] - a[0], b[1] - a[1], c[0] - a[0], c[1] - a[1])) <= 0.5 * max(base, 1.0):
                del pts[i]
                changed = True
                break
    area = sum(cross(pts[i - 1][0], pts[i - 1][1], pts[i][0], pts[i][1]) for i in range(len(pts)))
    if area < 0:
        pts.reverse()
    first = min(range(len(pts)), key=lambda i: (pts[i][1], pts[i][0]))
    return pts[first:] + pts[:first]


def room_at(walls: Iterable, x: float, y: float) -> list[tuple[int, int]] | None:
    """The room outline the walls enclose around (x, y), bounded by their faces (doors do not count as
    openings here), or None when (x, y) is inside a wall or not enclosed."""
    import shapely

    mass = mass_geometry(walls)
    if mass.is_empty or shapely.covers(mass, shapely.Point(x, y)):
        return None
    holes = [ring for poly in getattr(mass, "geoms", [mass]) if poly.geom_type == "Polygon"
             for ring in poly.interiors]
    if not holes:
        return None
    faces = shapely.polygons(holes)
    inside = shapely.contains_xy(faces, x, y)
    found = [(shapely.area(face), ring) for face, ring, hit in zip(faces, holes, inside) if hit]
    if not found:
        return None
    ring = min(found, key=lambda f: f[0])[1]
    return _tidy_ring(ring.coords)


def walls_around(outline: Sequence[Sequence[float]], thickness: float = DEFAULT_THICKNESS) -> list[list[int]]:
    """The polyline of a closed wall loop whose inner face follows a room outline (its first point
    repeated at the end, as the model stores a loop), whole mm, starting by the outline's first corner."""
    pts = clean(outline)
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    keep = [p for i, p in enumerate(pts)
            if abs(cross(p[0] - pts[i - 1][0], p[1] - pts[i - 1][1],
                          pts[(i + 1) % len(pts)][0] - p[0], pts[(i + 1) % len(pts)][1] - p[1])) > EPS]
    pts = keep
    if len(pts) < 3:
        raise ValueError("a room outline needs three corners")
    area = sum(cross(pts[i - 1][0], pts[i - 1][1], pts[i][0], pts[i][1]) for i in range(len(pts)))
    sign = 1.0 if area > 0 else -1.0
    h = thickness / 2
    edges = []  # each edge moved outwards by half the thickness: (point, direction)
    for i in range(len(pts)):
        (ax, ay), (bx, by) = pts[i], pts[(i + 1) % len(pts)]
        length = math.hypot(bx - ax, by - ay)
        dx, dy = (bx - ax) / length, (by - ay) / length
        ox, oy = dy * sign, -dx * sign
        edges.append(((ax + ox * h, ay + oy * h), (dx, dy)))
    out = []
    for i in range(len(pts)):
        (p, d), (q, e) = edges[i - 1], edges[i]
        c = meet(p, d, q, e)
        out.append([round(c[0]), round(c[1])] if c is not None else [round(q[0]), round(q[1])])
    return [*out, out[0]]


__all__ = ["Area", "OpeningFrame", "OpeningPath", "OpeningShape", "WallShape", "body_geometries", "clamp_offset",
           "fits", "is_closed", "mass_geometry", "opening_frame", "opening_paths", "point_at",
           "polyline_length", "project", "room_at", "wall_bodies", "wall_mass", "walls_around"]
