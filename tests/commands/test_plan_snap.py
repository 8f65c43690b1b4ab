"""Snapping, align/distribute and handle geometry: pure functions, no Qt, no project."""

import pytest

from mpp_planner.commands.snap import (Box, Snapper, align_deltas, distribute_deltas, edge_lines, next_label,
                                       resize_box, rotation_towards, rotated_bounds, snap_to_grid)


def test_grid_snap_of_points_and_moves():
    snap = Snapper(grid=100)
    assert (snap.point(1234, 1260).x, snap.point(1234, 1260).y) == (1200, 1300)
    box = Box(1000, 1000, 2800, 1800)
    r = snap.move(box, 437, -26)  # the nearest of its edges and centre lands on the grid
    assert (r.x, r.y) == (400, 0)  # for a move, x and y are the snapped delta
    assert snap_to_grid(149, 100) == 100 and snap_to_grid(151, 100) == 200


def test_edges_of_other_objects_win_over_the_grid_within_tolerance():
    xs, ys = edge_lines([Box(5000, 2000, 6800, 2800)])
    snap = Snapper(grid=100, xs=xs, ys=ys, tolerance=80)
    box = Box(0, 0, 1800, 800)
    # the moved box's right edge comes within 30 mm of the other box's left edge: it snaps there
    r = snap.move(box, 3170, 2010)
    assert r.x == 3200 and r.guide_x == 5000
    assert r.y == 2000 and r.guide_y == 2000  # top edge onto the other top edge
    # out of tolerance: grid
    r = snap.move(box, 2950, 2400)
    assert (r.x, r.guide_x) == (3000, None)


def test_disabled_snapper_leaves_values_alone():
    snap = Snapper(grid=100, xs=[5000], ys=[2000], tolerance=500, enabled=False)
    assert (snap.point(1234, 1999).x, snap.point(1234, 1999).y) == (1234, 1999)
    r = snap.move(Box(0, 0, 10, 10), 37, 41)
    assert (r.x, r.y) == (37, 41)


def test_no_grid_and_no_lines_means_free():
    r = Snapper(grid=None).point(12.4, 7.6)
    assert (r.x, r.y) == (12, 8)


def test_align_left_right_top_bottom():
    boxes = {"a": Box(0, 0, 100, 100), "b": Box(250, 40, 300, 90), "c": Box(120, -10, 200, 60)}
    assert align_deltas(boxes, "left") == {"b": (-250, 0), "c": (-120, 0)}
    assert align_deltas(boxes, "right") == {"a": (200, 0), "c": (100, 0)}
    assert align_deltas(boxes, "top") == {"a": (0, -10), "b": (0, -50)}
    assert align_deltas(boxes, "bottom") == {"b": (0, 10), "c": (0, 40)}
    assert align_deltas({"a": Box(0, 0, 1, 1)}, "left") == {}
    with pytest.raises(ValueError):
        align_deltas(boxes, "sideways")


def test_distribute_gives_equal_gaps_and_keeps_the_ends():
    boxes = {"a": Box(0, 0, 100, 50), "b": Box(130, 0, 230, 50), "c": Box(900, 0, 1000, 50),
             "d": Box(400, 0, 500, 50)}
    d = distribute_deltas(boxes, "horizontal")
    assert "a" not in d and "c" not in d
    lefts = {k: b.left + d.get(k, (0, 0))[0] for k, b in boxes.items()}
    assert lefts == {"a": 0, "b": 300, "d": 600, "c": 900}
    assert distribute_deltas({"a": Box(0, 0, 1, 1), "b": Box(5, 5, 6, 6)}, "vertical") == {}
    v = distribute_deltas({"a": Box(0, 0, 10, 10), "b": Box(0, 15, 10, 25), "c": Box(0, 100, 10, 110)}, "vertical")
    assert v == {"b": (0, 35)}  # gaps of 40 mm: b starts at 50


def test_resize_by_corner_keeps_the_opposite_corner():
    # unrotated 1800 x 800 box centred at (1000, 1000); drag bottom-right corner to (2500, 1600)
    x, y, w, d = resize_box(1000, 1000, 1800, 800, 0, (1, 1), 2500, 1600)
    assert (w, d) == (2400, 1000)
    assert (x - w / 2, y - d / 2) == (100, 600)  # top-left unchanged
    # an edge handle changes one axis only
    x, y, w, d = resize_box(1000, 1000, 1800, 800, 0, (0, -1), 5000, 0)
    assert (w, d) == (1800, 1400) and x == 1000 and y + d / 2 == 1400
    # never smaller than the minimum
    assert resize_box(0, 0, 1000, 1000, 0, (1, 1), -5000, -5000)[2:] == (50, 50)


def test_resize_of_a_rotated_box_works_in_its_own_frame():
    # rotated 90°: the local x axis points down on screen
    x, y, w, d = resize_box(0, 0, 1000, 500, 90, (1, 0), 0, 1500)
    assert (w, d) == (2000, 500)
    assert (x, y) == (0, 500)


def test_rotation_towards_the_pointer_snaps_to_steps():
    assert rotation_towards(0, 0, 0, -100) == 0
    assert rotation_towards(0, 0, 100, 0) == 90
    assert rotation_towards(0, 0, 0, 100) == 180
    assert rotation_towards(0, 0, 100, -90, step=15) == 45
    assert rotation_towards(0, 0, 100, -90, step=None) == pytest.approx(48.013, abs=0.01)


def test_rotated_bounds():
    b = rotated_bounds(0, 0, 1000, 200, 90)
    assert (round(b.left), round(b.top), round(b.right), round(b.bottom)) == (-100, -500, 100, 500)


def test_next_label_follows_the_numbering():
    assert next_label(["L1-01", "L1-02", "L1-18"]) == "L1-19"
    assert next_label(["Loket 9"]) == "Loket 10"
    assert next_label([], "L2-") == "L2-01"
    assert next_label(["Informasi"], "L1-") == "L1-01"
