"""Plane geometry in millimetres: polygon area, simplicity, containment, clipping, rotated boxes."""

from __future__ import annotations

import math
from collections.abc import Sequence

Point = tuple[float, float]


def polygon_area_mm2(points: Sequence[Sequence[float]]) -> float:
    """Unsigned area by the shoelace formula."""
    n = len(points)
    if n < 3:
        return 0.0
    s = 0.0
    for i in range(n):
        x1, y1 = points[i]
        x2, y2 = points[(i + 1) % n]
        s += x1 * y2 - x2 * y1
    return abs(s) / 2.0


def area_m2(points: Sequence[Sequence[float]]) -> float:
    return polygon_area_mm2(points) / 1_000_000.0


def centroid(points: Sequence[Sequence[float]]) -> Point:
    """Area centroid; falls back to the vertex mean for degenerate outlines."""
    a = 0.0
    cx = cy = 0.0
    n = len(points)
    for i in range(n):
        x1, y1 = points[i]
        x2, y2 = points[(i + 1) % n]
        cross = x1 * y2 - x2 * y1
        a += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(a) < 1e-9:
        return (sum(p[0] for p in points) / max(n, 1), sum(p[1] for p in points) / max(n, 1))
    return (cx / (3 * a), cy / (3 * a))


def _orient(a: Sequence[float], b: Sequence[float], c: Sequence[float]) -> float:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def _segments_cross(p1, p2, q1, q2) -> bool:
    d1, d2 = _orient(q1, q2, p1), _orient(q1, q2, p2)
    d3, d4 = _orient(p1, p2, q1), _orient(p1, p2, q2)
    if ((d1 > 0 > d2) or (d1 < 0 < d2)) and ((d3 > 0 > d4) or (d3 < 0 < d4)):
        return True

    def on_seg(a, b, c):
        return (min(a[0], b[0]) <= c[0] <= max(a[0], b[0])
                and min(a[1], b[1]) <= c[1] <= max(a[1], b[1]))

    return ((d1 == 0 and on_seg(q1, q2, p1)) or (d2 == 0 and on_seg(q1, q2, p2))
            or (d3 == 0 and on_seg(p1, p2, q1)) or (d4 == 0 and on_seg(p1, p2, q2)))


def is_simple_polygon(points: Sequence[Sequence[float]]) -> bool:
    """True when no two non-adjacent edges touch (no self-intersection)."""
    n = len(points)
    if n < 3:
        return False
    edges = [(points[i], points[(i + 1) % n]) for i in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            if j == i + 1 or (i == 0 and j == n - 1):
                continue
            if _segments_cross(*edges[i], *edges[j]):
                return False
    return True


def point_in_polygon(x: float, y: float, points: Sequence[Sequence[float]]) -> bool:
    inside = False
    n = len(points)
    j = n - 1
    for i in range(n):
        xi, yi = points[i]
        xj, yj = points[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / ((yj - yi) or 1e-12) + xi:
            inside = not inside
        j = i
    return inside


def bounds(points: Sequence[Sequence[float]]) -> tuple[float, float, float, float]:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def box_corners(cx: float, cy: float, width: float, depth: float, rotation_deg: float) -> list[Point]:
    """Corners of a width x depth box centred on (cx, cy), rotated clockwise on screen."""
    r = math.radians(rotation_deg)
    c, s = math.cos(r), math.sin(r)
    out = []
    for dx, dy in ((-width / 2, -depth / 2), (width / 2, -depth / 2), (width / 2, depth / 2), (-width / 2, depth / 2)):
        out.append((cx + dx * c - dy * s, cy + dx * s + dy * c))
    return out


def distance(a: Sequence[float], b: Sequence[float]) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def clip_to_box(points: Sequence[Sequence[float]], x0: float, y0: float, x1: float, y1: float) -> list[Point]:
    """The part of a polygon inside the axis-parallel box x0..x1, y0..y1 (Sutherland–Hodgman);
    an empty list when nothing of it is inside."""
    def cut_x(x):  # where the edge a-b crosses the vertical line at x (a and b lie on either side)
        return lambda a, b: (x, a[1] + (x - a[0]) / (b[0] - a[0]) * (b[1] - a[1]))

    def cut_y(y):
        return lambda a, b: (a[0] + (y - a[1]) / (b[1] - a[1]) * (b[0] - a[0]), y)

    out = [(float(p[0]), float(p[1])) for p in points]
    for inside, cut in ((lambda p: p[0] >= x0, cut_x(x0)), (lambda p: p[0] <= x1, cut_x(x1)),
                        (lambda p: p[1] >= y0, cut_y(y0)), (lambda p: p[1] <= y1, cut_y(y1))):
        src, out = out, []
        for i, cur in enumerate(src):
            prev = src[i - 1]
            if inside(cur):
                if not inside(prev):
                    out.append(cut(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cut(prev, cur))
        if not out:
            return []
    return out
