"""Overlapping counters and furniture: rotated boxes tested exactly (touching is fine, bounds that
overlap are not enough), every pair once, a thousand boxes at once; and a floor of a real project
read back as boxes with names."""

import math
import random

import pytest

from mpp_planner.commands import History
from mpp_planner.commands.plan import (MoveObjects, Overlap, PlaceCounter, PlaceItem, RotateObject, boxes_overlap,
                                       find_overlaps, overlapping)
from mpp_planner.model import Floor, ItemType
from mpp_planner.reads.plan import placed_boxes
from tests.helpers import add_plan


def test_boxes_side_by_side_touch_and_a_millimetre_more_overlaps():
    a = (1000, 1000, 1800, 800, 0.0)
    assert not boxes_overlap(a, (2800, 1000, 1800, 800, 0.0))  # edge to edge: a row of counters
    assert not boxes_overlap(a, (2800.4, 1000, 1800, 800, 0.0))  # a rounding sliver apart
    assert boxes_overlap(a, (2790, 1000, 1800, 800, 0.0))  # 10 mm into each other
    assert boxes_overlap(a, (1000, 1000, 400, 400, 0.0))  # wholly inside
    assert not boxes_overlap(a, (1000, 1800, 1800, 800, 0.0))  # one behind the other, touching
    assert not boxes_overlap(a, (5000, 1000, 1800, 800, 0.0))  # far apart


def test_rotated_boxes_are_tested_by_their_shapes_not_their_bounds():
    # two 2 m x 0.2 m boards at 45°, side by side with a 100 mm gap: their bounds overlap widely
    a = (0, 0, 2000, 200, 45.0)
    shift = 300 / math.sqrt(2)  # 300 mm apart across the boards (200 thick + 100 gap)
    b = (-shift, shift, 2000, 200, 45.0)
    assert not boxes_overlap(a, b)
    assert not boxes_overlap(a, (-200 / math.sqrt(2), 200 / math.sqrt(2), 2000, 200, 45.0))  # touching
    assert boxes_overlap(a, (-150 / math.sqrt(2), 150 / math.sqrt(2), 2000, 200, 45.0))  # 50 mm into it
    # a counter turned 90° is as deep as it was wide
    assert boxes_overlap((0, 0, 1800, 800, 90.0), (0, 1200, 800, 800, 0.0))
    assert not boxes_overlap((0, 0, 1800, 800, 0.0), (0, 1200, 800, 800, 0.0))


def test_find_overlaps_gives_each_pair_once_in_the_order_given():
    boxes = {"L1": (1000, 1000, 1800, 800, 0.0), "L2": (2800, 1000, 1800, 800, 0.0),
             "L3": (4500, 1000, 1800, 800, 0.0), "kursi": (1000, 1300, 500, 500, 0.0),
             "far": (50_000, 50_000, 500, 500, 30.0)}
    pairs = find_overlaps(boxes)
    assert pairs == [Overlap("L1", "kursi"), Overlap("L2", "L3")]
    assert overlapping(pairs) == {"L1", "L2", "L3", "kursi"}
    assert find_overlaps({}) == [] and find_overlaps({"one": boxes["L1"]}) == []


@pytest.mark.parametrize("size", [(60_000, 50), (100_000, 100_000)])
def test_a_very_large_box_is_compared_with_everything(size):
    boxes = {f"chair{i}": (i * 1000, 0, 500, 500, 0.0) for i in range(50)}
    boxes["big"] = (25_000, 0, *size, 0.0)  # far larger than the grid's cells (the largest: too many cells)
    boxes["apart"] = (25_000, 30_000 + size[1] / 2, 500, 500, 0.0)
    pairs = find_overlaps(boxes)
    assert {p.first for p in pairs} == {f"chair{i}" for i in range(50)} and {p.second for p in pairs} == {"big"}


def brute_force(boxes):
    """Every pair tested by its shapes (only pairs whose centres are too far apart to touch skipped)."""
    keys = list(boxes)
    reach = {k: math.hypot(w, d) / 2 for k, (_x, _y, w, d, _r) in boxes.items()}
    return [Overlap(a, b) for i, a in enumerate(keys) for b in keys[i + 1:]
            if math.dist(boxes[a][:2], boxes[b][:2]) < reach[a] + reach[b] and boxes_overlap(boxes[a], boxes[b])]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_thousand_boxes_give_what_a_pair_by_pair_check_finds(seed):
    """(Its speed is measured in benchmarks/plan_paint_bench.py, not asserted here.)"""
    rng = random.Random(seed)
    boxes = {i: (rng.uniform(0, 60_000), rng.uniform(0, 40_000), rng.choice((450, 600, 1200, 1800)),
                 rng.choice((450, 600, 800)), rng.choice((0.0, 0.0, 90.0, 45.0, rng.uniform(0, 360))))
             for i in range(1000)}
    pairs = find_overlaps(boxes)
    assert pairs == brute_force(boxes)
    assert 10 < len(pairs) < 2000  # the fixture does have overlaps, not everything overlaps


def test_a_floor_as_boxes_with_names(empty_project):
    add_plan(empty_project)
    project = empty_project
    h = History(project)
    fid = project.all(Floor)[0].id
    chair = project.all(ItemType)[0]
    ids = []
    for x in (11000, 12800, 14000):  # L1-01 and L1-02 touch; L1-03 stands in L1-02
        cmd = PlaceCounter(fid, x, 2000)
        h.push(cmd)
        ids.append(cmd.created[0])
    place = PlaceItem(fid, chair.id, 5000, 5000, rotation=30.0)
    h.push(place)
    item = place.created[0]
    boxes = placed_boxes(project, fid)
    assert [b.ref for b in boxes] == ids + [item]
    by_ref = {b.ref: b for b in boxes}
    assert by_ref[item].name == chair.name and by_ref[item].box == (5000, 5000, chair.width, chair.depth, 30.0)
    assert [by_ref[r].name for r in ids] == ["L1-01", "L1-02", "L1-03"]
    assert find_overlaps({b.ref: b.box for b in boxes}) == [Overlap(ids[1], ids[2])]
    h.push(MoveObjects([ids[2]], 1000, 0))  # apart again
    h.push(MoveObjects([item], 6000, -3000))  # the chair into L1-01 (at 11 m, 2 m)
    assert find_overlaps({b.ref: b.box for b in placed_boxes(project, fid)}) == [Overlap(ids[0], item)]
    h.push(RotateObject(item, 0.0))
    assert [b.box[4] for b in placed_boxes(project, fid) if b.ref == item] == [0.0]
    assert placed_boxes(project, fid + 999) == []
