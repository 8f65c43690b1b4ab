"""Plan editing geometry without Qt: snapping to a grid and to other objects' edges,
align/distribute, resizing and rotating boxes by their handles. Millimetres throughout."""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from mpp_planner.model.geometry import box_corners
from mpp_planner.model.plan import MAX_SIZE, MIN_SIZE

#: whatever the caller keys its boxes by (a plan ref, a name); the deltas come back keyed the same way
K = TypeVar("K", bound=Hashable)

DEFAULT_GRID = 100  # mm
ROTATION_STEP = 15.0  # degrees, when snapping is on


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle: the bounds of a plan object."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def cx(self) -> float:
        return (self.left + self.right) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    def moved(self, dx: float, dy: float) -> "Box":
        return Box(self.left + dx, self.top + dy, self.right + dx, self.bottom + dy)

    @staticmethod
    def around(points: Iterable[Sequence[float]]) -> "Box":
        pts = list(points)
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        return Box(min(xs), min(ys), max(xs), max(ys))

    @staticmethod
    def union(boxes: Iterable["Box"]) -> "Box":
        it = iter(boxes)
        first = next(it)
        left, top, right, bottom = first.left, first.top, first.right, first.bottom
        for b in it:
            left, top = min(left, b.left), min(top, b.top)
            right, bottom = max(right, b.right), max(bottom, b.bottom)
        return Box(left, top, right, bottom)


def snap_to_grid(value: float, grid: float) -> float:
    return round(value / grid) * grid if grid and grid > 0 else value


@dataclass(frozen=True)
class SnapLine:
    """A line another object offers: x = ``value`` (in ``xs``) or y = ``value`` (in ``ys``), along
    ``lo``..``hi`` of the other axis. It pulls only what comes within the tolerance of that stretch
    (an edge, a corner), so the edge of an object across the floor never pulls a point off the grid.
    Unbounded, it is an alignment line (the corners of the outline being drawn)."""

    value: float
    lo: float = -math.inf
    hi: float = math.inf

    def reaches(self, lo: float, hi: float, tolerance: float) -> bool:
        """Whether the stretch ``lo``..``hi`` of the other axis comes within ``tolerance`` of this line's."""
        return self.lo - tolerance <= hi and lo <= self.hi + tolerance


def edge_lines(boxes: Iterable[Box], vertices: Iterable[Sequence[float]] = (),
               outlines: Iterable[Sequence[Sequence[float]]] = (),
               aligned: Iterable[Sequence[float]] = ()) -> tuple[list[SnapLine], list[SnapLine]]:
    """The vertical (x) and horizontal (y) lines other objects offer to snap to: each box's edges and
    centre lines (along the box), each vertex (at that point), each straight-across or straight-down
    side of an outline (along the side), and the points in ``aligned`` (across the whole plan)."""
    xs: set[SnapLine] = set()
    ys: set[SnapLine] = set()
    for b in boxes:
        xs.update(SnapLine(x, b.top, b.bottom) for x in (b.left, b.cx, b.right))
        ys.update(SnapLine(y, b.left, b.right) for y in (b.top, b.cy, b.bottom))
    for x, y in vertices:
        xs.add(SnapLine(x, y, y))
        ys.add(SnapLine(y, x, x))
    for outline in outlines:
        pts = list(outline)
        for (x1, y1), (x2, y2) in zip(pts, pts[1:] + pts[:1]):
            xs.add(SnapLine(x1, y1, y1))
            ys.add(SnapLine(y1, x1, x1))
            if x1 == x2:
                xs.add(SnapLine(x1, min(y1, y2), max(y1, y2)))
            if y1 == y2:
                ys.add(SnapLine(y1, min(x1, x2), max(x1, x2)))
    for x, y in aligned:
        xs.add(SnapLine(x))
        ys.add(SnapLine(y))
    return sorted(xs, key=_by_value), sorted(ys, key=_by_value)


def _by_value(line: SnapLine) -> float:
    return line.value


def _as_line(line: float | SnapLine) -> SnapLine:
    return line if isinstance(line, SnapLine) else SnapLine(line)


@dataclass
class SnapResult:
    x: float
    y: float
    guide_x: float | None = None  # an object edge the result lines up with (shown as a guide)
    guide_y: float | None = None


class Snapper:
    """Snaps points and moves. The edges and corners of objects within ``tolerance`` win over the grid;
    else the grid does, so a value is a grid multiple unless it lies on something near. ``xs``/``ys``
    are :class:`SnapLine`s (see :func:`edge_lines`) or plain values (lines across the whole plan).
    ``enabled=False`` (the modifier held, or snapping switched off) leaves values alone."""

    def __init__(self, grid: float | None = DEFAULT_GRID, xs: Sequence[float | SnapLine] = (),
                 ys: Sequence[float | SnapLine] = (), tolerance: float = 0.0, enabled: bool = True):
        self.grid = grid
        self.xs = sorted(map(_as_line, xs), key=_by_value)
        self.ys = sorted(map(_as_line, ys), key=_by_value)
        self._x_values = [line.value for line in self.xs]
        self._y_values = [line.value for line in self.ys]
        self.tolerance = tolerance
        self.enabled = enabled

    def _nearest(self, lines: Sequence[SnapLine], values: Sequence[float], v: float, lo: float,
                 hi: float) -> tuple[SnapLine | None, float]:
        """The line nearest ``v`` (within the tolerance) whose stretch reaches ``lo``..``hi``."""
        best, dist = None, math.inf
        for i in range(bisect_left(values, v - self.tolerance), len(values)):
            line = lines[i]
            if line.value > v + self.tolerance:
                break
            d = abs(line.value - v)
            if d < dist and line.reaches(lo, hi, self.tolerance):
                best, dist = line, d
        return best, dist

    def _axis(self, values: Sequence[float], lines: Sequence[SnapLine], line_values: Sequence[float],
              lo: float, hi: float) -> tuple[float, float | None]:
        """The smallest correction that puts one of ``values`` on a line of an object near ``lo``..``hi``
        of the other axis (within the tolerance), else on the grid."""
        best_d, best_line, best_shift = math.inf, None, 0.0
        for v in values:
            line, d = self._nearest(lines, line_values, v, lo, hi)
            if line is not None and d < best_d:
                best_d, best_line, best_shift = d, line.value, line.value - v
        if best_line is not None:
            return best_shift, best_line
        if self.grid:
            shifts = [snap_to_grid(v, self.grid) - v for v in values]
            return min(shifts, key=abs), None
        return 0.0, None

    def point(self, x: float, y: float, reach: Box | None = None) -> SnapResult:
        """Snap a point; ``reach``: the stretch that moves with it (the sides of a box being resized),
        which the objects it snaps onto must come near (default: the point itself)."""
        if not self.enabled:
            return SnapResult(round(x), round(y))
        r = reach if reach is not None else Box(x, y, x, y)
        sx, gx = self._axis((x,), self.xs, self._x_values, r.top, r.bottom)
        sy, gy = self._axis((y,), self.ys, self._y_values, r.left, r.right)
        return SnapResult(round(x + sx), round(y + sy), gx, gy)

    def move(self, box: Box, dx: float, dy: float) -> SnapResult:
        """Snap the move of ``box`` by (dx, dy): its edges or centre onto the lines of objects beside it,
        else onto the grid (whichever of them is nearest). Returns the snapped (dx, dy)."""
        if not self.enabled:
            return SnapResult(round(dx), round(dy))
        moved = box.moved(dx, dy)
        sx, gx = self._axis((moved.left, moved.cx, moved.right), self.xs, self._x_values, moved.top, moved.bottom)
        sy, gy = self._axis((moved.top, moved.cy, moved.bottom), self.ys, self._y_values, moved.left, moved.right)
        return SnapResult(round(dx + sx), round(dy + sy), gx, gy)


# --- align and distribute -----------------------------------------------------------------

ALIGN_MODES = ("left", "right", "top", "bottom", "hcenter", "vcenter")


def align_deltas(boxes: Mapping[K, Box], mode: str) -> dict[K, tuple[int, int]]:
    """How far to move each box so their left/right/top/bottom edges (or centres) line up
    with the outermost one. Boxes already in place are left out."""
    if mode not in ALIGN_MODES:
        raise ValueError(mode)
    if len(boxes) < 2:
        return {}
    bs = boxes.values()
    target = {"left": min(b.left for b in bs), "right": max(b.right for b in bs),
              "top": min(b.top for b in bs), "bottom": max(b.bottom for b in bs),
              "hcenter": Box.union(bs).cx, "vcenter": Box.union(bs).cy}[mode]
    out: dict[K, tuple[int, int]] = {}
    for key, b in boxes.items():
        if mode in ("left", "right", "hcenter"):
            d = (round(target - {"left": b.left, "right": b.right, "hcenter": b.cx}[mode]), 0)
        else:
            d = (0, round(target - {"top": b.top, "bottom": b.bottom, "vcenter": b.cy}[mode]))
        if d != (0, 0):
            out[key] = d
    return out


def distribute_deltas(boxes: Mapping[K, Box], axis: str) -> dict[K, tuple[int, int]]:
    """Equal gaps between boxes along ``axis`` ("horizontal" or "vertical"); the first and
    last (by centre) stay where they are. Needs three boxes or more."""
    if axis not in ("horizontal", "vertical"):
        raise ValueError(axis)
    if len(boxes) < 3:
        return {}
    horizontal = axis == "horizontal"
    order = sorted(boxes.items(), key=lambda kv: (kv[1].cx, kv[1].cy) if horizontal else (kv[1].cy, kv[1].cx))
    lo = order[0][1].left if horizontal else order[0][1].top
    hi = order[-1][1].right if horizontal else order[-1][1].bottom
    sizes = [b.width if horizontal else b.height for _k, b in order]
    gap = (hi - lo - sum(sizes)) / (len(order) - 1)
    out: dict[K, tuple[int, int]] = {}
    pos = lo
    for (key, b), size in zip(order, sizes):
        start = b.left if horizontal else b.top
        d = round(pos - start)
        if d:
            out[key] = (d, 0) if horizontal else (0, d)
        pos += size + gap
    return out


# --- handles: resize and rotate a box ------------------------------------------------------

def to_local(cx: float, cy: float, rotation: float, px: float, py: float) -> tuple[float, float]:
    """Scene point -> the box's own frame (centre at 0, unrotated)."""
    r = math.radians(rotation)
    c, s = math.cos(r), math.sin(r)
    dx, dy = px - cx, py - cy
    return dx * c + dy * s, -dx * s + dy * c


def to_scene(cx: float, cy: float, rotation: float, lx: float, ly: float) -> tuple[float, float]:
    r = math.radians(rotation)
    c, s = math.cos(r), math.sin(r)
    return cx + lx * c - ly * s, cy + lx * s + ly * c


def resize_box(cx: float, cy: float, width: float, depth: float, rotation: float, handle: tuple[int, int],
               px: float, py: float, min_size: int = MIN_SIZE) -> tuple[int, int, int, int]:
    """Drag the handle at local sign (sx, sy) — corners (±1, ±1), edges with a 0 — to the scene
    point (px, py); the opposite side stays put. Returns the new centre x, y, width, depth."""
    sx, sy = handle
    lx, ly = to_local(cx, cy, rotation, px, py)
    ax, ay = -sx * width / 2, -sy * depth / 2  # the anchored side
    new_w = min(MAX_SIZE, max(min_size, sx * (lx - ax))) if sx else width
    new_d = min(MAX_SIZE, max(min_size, sy * (ly - ay))) if sy else depth
    ncx = ax + sx * new_w / 2 if sx else 0.0
    ncy = ay + sy * new_d / 2 if sy else 0.0
    x, y = to_scene(cx, cy, rotation, ncx, ncy)
    return round(x), round(y), round(new_w), round(new_d)


def rotation_towards(cx: float, cy: float, px: float, py: float, step: float | None = ROTATION_STEP) -> float:
    """The rotation that points a box's top towards (px, py): 0° = up, clockwise on screen."""
    angle = math.degrees(math.atan2(px - cx, -(py - cy))) % 360.0
    if step:
        angle = (round(angle / step) * step) % 360.0
    return round(angle, 3)


def rotated_bounds(cx: float, cy: float, width: float, depth: float, rotation: float) -> Box:
    return Box.around(box_corners(cx, cy, width, depth, rotation))


# --- counter labels -------------------------------------------------------------------------

_NUMBERED = re.compile(r"^(.*?)(\d+)$")


def next_label(existing: Iterable[str], fallback_prefix: str = "L-") -> str:
    """The next free label in the floor's numbering: L1-07 after L1-06, "Loket 10" after
    "Loket 9"; ``fallback_prefix`` + 01 when no label ends in a number."""
    taken = set(existing)
    best: tuple[int, str, int] | None = None  # number, prefix, digits
    for label in taken:
        m = _NUMBERED.match(label)
        if m and (best is None or int(m.group(2)) > best[0]):
            best = (int(m.group(2)), m.group(1), len(m.group(2)))
    number, prefix, digits = best if best else (0, fallback_prefix, 2)
    while True:
        number += 1
        label = f"{prefix}{number:0{digits}d}"
        if label not in taken:
            return label
