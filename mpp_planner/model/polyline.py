"""Polylines in plan millimetres (y down): length, the point at a distance along one, the nearest point.

Walls are polylines (``model.walls``); these are the measures their doors, windows and joins are placed by.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

Point = tuple[float, float]
EPS = 1e-6


def clean(points: Sequence[Sequence[float]]) -> list[Point]:
    """The points as float pairs, without consecutive repeats."""
    out: list[Point] = []
    for p in points:
        q = (float(p[0]), float(p[1]))
        if not out or q != out[-1]:
            out.append(q)
    return out


def is_closed(points: Sequence[Sequence[float]]) -> bool:
    """A closed loop: three or more points, the last equal to the first."""
    return len(points) > 2 and tuple(points[0]) == tuple(points[-1])


def polyline_length(points: Sequence[Sequence[float]]) -> float:
    return sum(math.dist(points[i - 1], points[i]) for i in range(1, len(points)))


class Segment(NamedTuple):
    """One straight piece of a polyline: from ``a``, ``length`` mm along the unit direction (ux, uy)."""

    number: int  # of the segment (of its first point in the polyline without repeated points)
    a: Point
    start: float  # offset of ``a`` along the polyline
    length: float
    ux: float
    uy: float


def segments(points: Sequence[Sequence[float]]) -> list[Segment]:
    """The polyline's segments, repeated points skipped."""
    pts = clean(points)
    out, at = [], 0.0
    for i in range(1, len(pts)):
        (ax, ay), (bx, by) = pts[i - 1], pts[i]
        length = math.hypot(bx - ax, by - ay)
        out.append(Segment(i - 1, pts[i - 1], at, length, (bx - ax) / length, (by - ay) / length))
        at += length
    return out


def point_at(points: Sequence[Sequence[float]], offset: float) -> tuple[float, float, float, float, int]:
    """(x, y, ux, uy, segment) ``offset`` mm along the polyline (clamped to its ends): the position, the
    unit direction there and the index of the segment (of the polyline without repeated points)."""
    segs = segments(points)
    if not segs:
        p = points[0] if len(points) else (0.0, 0.0)
        return float(p[0]), float(p[1]), 1.0, 0.0, 0
    for s in segs:
        if offset <= s.start + s.length or s is segs[-1]:
            t = min(max(offset - s.start, 0.0), s.length)
            return s.a[0] + s.ux * t, s.a[1] + s.uy * t, s.ux, s.uy, s.number
    raise AssertionError("unreachable")


def project(points: Sequence[Sequence[float]], x: float, y: float) -> tuple[float, float]:
    """(offset along the polyline, distance) of the polyline's point nearest to (x, y)."""
    best = (0.0, math.inf)
    segs = segments(points)
    if not segs:
        return (0.0, math.dist(points[0], (x, y))) if len(points) else best
    for s in segs:
        t = min(max((x - s.a[0]) * s.ux + (y - s.a[1]) * s.uy, 0.0), s.length)
        d = math.hypot(s.a[0] + s.ux * t - x, s.a[1] + s.uy * t - y)
        if d < best[1]:
            best = (s.start + t, d)
    return best


def placed(points: Sequence[Sequence[float]], offset: float, width: float) -> Segment | None:
    """The segment holding the whole span offset ± width/2, or None (off the wall, or round a corner)."""
    lo, hi = offset - width / 2, offset + width / 2
    for s in segments(points):
        if s.start - EPS <= lo and hi <= s.start + s.length + EPS:
            return s
    return None


def cross(ax: float, ay: float, bx: float, by: float) -> float:
    """The z of the cross product of two vectors (twice the signed area they span)."""
    return ax * by - ay * bx
