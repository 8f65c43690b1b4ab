"""Counters and furniture standing in each other on a floor: which rotated boxes really overlap.

Two boxes overlap when their areas share more than a sliver: a counter pushed against the next
one (edges touching, or within ``TOUCH_MM`` after rounding) does not. The test is exact for
rotated boxes (the separating-axis test on the four edge directions of the two boxes), not a
comparison of their bounds. To check a floor of a thousand pieces at once, every box is filed in
the cells of a square grid it covers and only boxes sharing a cell are compared.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from mpp_planner.commands.snap import Box
from mpp_planner.model.geometry import Point, box_corners

K = TypeVar("K", bound=Hashable)

#: boxes that overlap by no more than this (mm) only touch: rounding to whole millimetres and
#: rotations by odd angles leave slivers of a fraction of a millimetre between neighbours
TOUCH_MM = 1.0
MIN_CELL = 500.0  # mm: the grid's cells are never smaller (a floor of small items)
MAX_CELLS_PER_BOX = 4096  # a box wider than this many cells is compared with everything instead


#: x, y (centre), width, depth, rotation in degrees — the way counters and items store their place
BoxSpec = tuple[float, float, float, float, float]


@dataclass(frozen=True)
class Overlap(Generic[K]):
    """Two boxes that overlap: ``first`` comes before ``second`` in the order they were given."""

    first: K
    second: K


def _axes(corners: Sequence[Point]) -> list[Point]:
    """The two edge directions of a box (the normals of the other two edges), as unit vectors."""
    out = []
    for a, b in ((corners[0], corners[1]), (corners[1], corners[2])):
        dx, dy = b[0] - a[0], b[1] - a[1]
        length = math.hypot(dx, dy) or 1.0
        out.append((dx / length, dy / length))
    return out


def _project(corners: Sequence[Point], axis: Point) -> tuple[float, float]:
    values = [x * axis[0] + y * axis[1] for x, y in corners]
    return min(values), max(values)


def corners_overlap(a: Sequence[Point], b: Sequence[Point], touch: float = TOUCH_MM) -> bool:
    """Whether two convex quadrilaterals (a box's corners, in order) share more than an edge: on
    every edge direction of either box their shadows overlap by more than ``touch`` mm."""
    for axis in _axes(a) + _axes(b):
        lo_a, hi_a = _project(a, axis)
        lo_b, hi_b = _project(b, axis)
        if min(hi_a, hi_b) - max(lo_a, lo_b) <= touch:
            return False  # a gap, or only touching, along this direction: they are apart
    return True


def boxes_overlap(a: BoxSpec, b: BoxSpec, touch: float = TOUCH_MM) -> bool:
    """Whether two rotated boxes (x, y, width, depth, rotation) really overlap (touching is fine)."""
    return corners_overlap(box_corners(*a), box_corners(*b), touch)


def _cells(bounds: Box, size: float) -> list[tuple[int, int]]:
    x0, x1 = math.floor(bounds.left / size), math.floor(bounds.right / size)
    y0, y1 = math.floor(bounds.top / size), math.floor(bounds.bottom / size)
    return [(i, j) for i in range(x0, x1 + 1) for j in range(y0, y1 + 1)]


def cell_size(bounds: Iterable[Box]) -> float:
    """A grid cell about twice the typical box (the median of the boxes' longer sides)."""
    sides = sorted(max(b.width, b.height) for b in bounds)
    if not sides:
        return MIN_CELL
    return max(MIN_CELL, 2 * sides[len(sides) // 2])


def find_overlaps(boxes: Mapping[K, BoxSpec], touch: float = TOUCH_MM) -> list[Overlap[K]]:
    """Every pair of ``boxes`` (key -> x, y, width, depth, rotation) that overlaps, each pair once,
    in the order of the mapping (the first key of a pair is the one given first)."""
    keys = list(boxes)
    order = {key: i for i, key in enumerate(keys)}
    corners = {key: box_corners(*boxes[key]) for key in keys}
    bounds = {key: Box.around(c) for key, c in corners.items()}  # rotated_bounds(), from the corners at hand
    size = cell_size(bounds.values())
    grid: dict[tuple[int, int], list[K]] = defaultdict(list)
    huge: list[K] = []  # boxes too large to file cell by cell: compared with every other box
    candidates: set[tuple[int, int]] = set()
    for key in keys:
        cells = _cells(bounds[key], size)
        if len(cells) > MAX_CELLS_PER_BOX:
            huge.append(key)
            continue
        for cell in cells:
            here = grid[cell]
            for other in here:
                candidates.add((order[other], order[key]))
            here.append(key)
    for key in huge:
        for other in keys:
            if other != key:
                i, j = sorted((order[key], order[other]))
                candidates.add((i, j))
    found = []
    for i, j in sorted(candidates):
        a, b = keys[i], keys[j]
        ba, bb = bounds[a], bounds[b]
        if (min(ba.right, bb.right) - max(ba.left, bb.left) <= touch
                or min(ba.bottom, bb.bottom) - max(ba.top, bb.top) <= touch):
            continue  # their bounds do not even overlap
        if corners_overlap(corners[a], corners[b], touch):
            found.append(Overlap(a, b))
    return found


def overlapping(pairs: Iterable[Overlap[K]]) -> set[K]:
    """The keys that take part in any of ``pairs``."""
    out: set[K] = set()
    for pair in pairs:
        out.update((pair.first, pair.second))
    return out


__all__ = ["TOUCH_MM", "BoxSpec", "Overlap", "boxes_overlap", "corners_overlap", "find_overlaps", "overlapping",
           "cell_size"]
