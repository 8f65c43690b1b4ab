"""Wall geometry (``model.wall_geometry``, ``model.wall_joins``, ``model.polyline``): bodies joined cleanly at
L corners, T junctions and crossings, door and window gaps, the door and window symbols, rooms found from
walls, and walls drawn round a room. Exact numbers in plan mm (y down)."""

from __future__ import annotations

import math

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mpp_planner.model import wall_geometry as wg
from mpp_planner.model.wall_geometry import OpeningShape as Opening
from mpp_planner.model.wall_geometry import WallShape as Wall


def box_walls(left, top, right, bottom, t=150, first_id=1):
    """Four two-point walls on a rectangle's centreline, meeting end to end at its corners."""
    corners = [(left, top), (right, top), (right, bottom), (left, bottom)]
    return [Wall(first_id + i, [corners[i], corners[(i + 1) % 4]], t) for i in range(4)]


def corners_of(ring):
    """A ring's corners in whole mm with points on straight runs dropped, as a set."""
    return set(wg._tidy_ring(ring))


def mass(walls, openings=()):
    geom = wg.mass_geometry(walls, openings)
    assert geom.is_valid
    return geom


# --- polylines --------------------------------------------------------------------------------------

def test_polyline_measures():
    pts = [(0, 0), (4000, 0), (4000, 3000)]
    assert wg.polyline_length(pts) == 7000
    assert wg.point_at(pts, 1000) == (1000, 0, 1, 0, 0)
    assert wg.point_at(pts, 5000) == (4000, 1000, 0, 1, 1)
    assert wg.point_at(pts, -50)[:2] == (0, 0) and wg.point_at(pts, 9000)[:2] == (4000, 3000)  # clamped
    assert wg.project(pts, 2000, -300) == (2000, 300)
    assert wg.project(pts, 4500, 1000) == (5000, 500)
    assert wg.is_closed([(0, 0), (10, 0), (10, 10), (0, 0)]) and not wg.is_closed(pts)


# --- joins ------------------------------------------------------------------------------------------

def test_l_corner_is_one_mitred_body_without_notch_or_spike():
    walls = [Wall(1, [(0, 0), (4000, 0)]), Wall(2, [(4000, 0), (4000, 3000)])]
    bodies = wg.body_geometries(walls)
    assert (bodies[1].area, bodies[2].area) == (150 * 4000, 150 * 3000)  # each its own centreline x thickness
    assert bodies[1].intersection(bodies[2]).area == 0  # they meet on the mitre, no overlap
    m = mass(walls)
    assert m.geom_type == "Polygon" and not m.interiors
    assert m.area == 150 * 7000
    assert corners_of(m.exterior.coords) == {(0, -75), (4075, -75), (4075, 3000), (3925, 3000), (3925, 75), (0, 75)}
    # the mitre line runs from the outer corner to the inner one
    assert {(4075, -75), (3925, 75)} <= corners_of(wg.wall_bodies(walls)[1][0])


def test_t_junction_reaches_the_far_face():
    walls = [Wall(1, [(0, 0), (4000, 0)]), Wall(2, [(2000, 0), (2000, 3000)])]
    stem = wg.body_geometries(walls)[2]
    assert stem.bounds == (1925, -75, 2075, 3000)
    m = mass(walls)
    assert m.area == 150 * 4000 + 150 * (3000 - 75)
    assert corners_of(m.exterior.coords) == {(0, -75), (4000, -75), (4000, 75), (2075, 75), (2075, 3000),
                                             (1925, 3000), (1925, 75), (0, 75)}


def test_t_junction_made_of_three_ends_and_a_cross_of_four_ends_are_clean():
    three = [Wall(1, [(0, 0), (2000, 0)]), Wall(2, [(2000, 0), (4000, 0)]), Wall(3, [(2000, 0), (2000, 3000)])]
    m = mass(three)
    assert m.area == 150 * 4000 + 150 * (3000 - 75)
    assert len(corners_of(m.exterior.coords)) == 8
    four = [Wall(1, [(0, 0), (2000, 0)]), Wall(2, [(2000, 0), (4000, 0)]), Wall(3, [(2000, 0), (2000, 2000)]),
            Wall(4, [(2000, 0), (2000, -2000)])]
    m = mass(four)
    assert m.area == 150 * 4000 + 2 * 150 * (2000 - 75)
    assert len(corners_of(m.exterior.coords)) == 12
    # the hub between them belongs to one wall, so no piece is lost
    assert sum(b.area for b in wg.body_geometries(four).values()) == m.area


def test_crossing_walls_overlap_once():
    walls = [Wall(1, [(0, 0), (4000, 0)]), Wall(2, [(2000, -1000), (2000, 1000)])]
    assert mass(walls).area == 150 * 4000 + 150 * 2000 - 150 * 150


def test_two_ends_on_the_middle_of_a_third_wall_stay_inside_it():
    """A V whose tip sits on a straight wall: no mitre tip pokes out of the far face."""
    walls = [Wall(1, [(0, 0), (4000, 0)]), Wall(2, [(2000, 0), (4000, 2000)]), Wall(3, [(2000, 0), (0, 2000)])]
    m = mass(walls)
    assert m.bounds[1] == -75
    assert m.geom_type == "Polygon" and len(m.interiors) == 0


def test_corner_of_walls_of_different_thickness_meets_on_their_face_crossings():
    walls = [Wall(1, [(0, 0), (4000, 0)], 100), Wall(2, [(4000, 0), (4000, 3000)], 300)]
    m = mass(walls)
    assert corners_of(m.exterior.coords) == {(0, -50), (4150, -50), (4150, 3000), (3850, 3000), (3850, 50),
                                             (0, 50)}
    assert m.area == 100 * 3850 + 300 * 3050


def test_ends_a_little_apart_still_join():
    walls = [Wall(1, [(0, 0), (4000, 0)]), Wall(2, [(4000, 60), (4000, 3000)])]  # 60 mm < 75 mm
    m = mass(walls)
    assert corners_of(m.exterior.coords) == {(0, -75), (4075, -75), (4075, 3000), (3925, 3000), (3925, 75), (0, 75)}


def test_very_sharp_corner_is_bevelled():
    walls = [Wall(1, [(0, 0), (4000, 0)]), Wall(2, [(4000, 0), (0, 400)])]
    m = mass(walls)
    assert m.geom_type == "Polygon" and m.bounds[2] < 4000 + 150  # no long mitre tip past the corner


def test_rectangle_of_four_walls_and_a_closed_loop_give_the_same_mass():
    four = mass(box_walls(0, 0, 4150, 3150))
    loop = mass([Wall(1, [(0, 0), (4150, 0), (4150, 3150), (0, 3150), (0, 0)])])
    outer, inner = 4300 * 3300, 4000 * 3000
    assert four.area == loop.area == outer - inner
    assert len(four.interiors) == len(loop.interiors) == 1
    assert corners_of(loop.interiors[0].coords) == {(75, 75), (4075, 75), (4075, 3075), (75, 3075)}
    # a loop's body is a ring: its outline and its hole
    assert len(wg.wall_bodies([Wall(1, [(0, 0), (4150, 0), (4150, 3150), (0, 3150), (0, 0)])])[1]) == 2
    # a loop starting in the middle of a side has no seam there
    mid = mass([Wall(1, [(2000, 0), (4150, 0), (4150, 3150), (0, 3150), (0, 0), (2000, 0)])])
    assert mid.area == outer - inner
    assert corners_of(mid.exterior.coords) == {(-75, -75), (4225, -75), (4225, 3225), (-75, 3225)}


def test_polyline_wall_is_mitred_at_its_own_corners():
    walls = [Wall(1, [(0, 0), (4000, 0), (4000, 3000)])]
    assert mass(walls).area == 150 * 7000
    assert len(wg.wall_bodies(walls)[1][0]) == 6


# --- openings ---------------------------------------------------------------------------------------

def test_door_and_window_gaps_cut_width_by_thickness():
    walls = box_walls(0, 0, 4150, 3150)
    whole = mass(walls).area
    door = Opening(1, 1, "door", 1000, 900)
    window = Opening(2, 2, "window", 1500, 1200)
    assert mass(walls, [door]).area == pytest.approx(whole - 900 * 150)
    both = mass(walls, [door, window])
    assert both.area == pytest.approx(whole - 900 * 150 - 1200 * 150)
    assert both.geom_type == "MultiPolygon" and len(both.geoms) == 2  # the ring is cut twice
    gap = shapely.box(1000 - 450 + 1, -75, 1000 + 450 - 1, 75)
    assert both.intersection(gap).area == 0  # through the whole thickness
    areas = wg.wall_mass(walls, [door, window])
    assert len(areas) == 2 and all(not a.holes for a in areas)
    # an opening that does not fit its wall leaves no gap; one on an unknown wall is ignored
    assert mass(walls, [Opening(3, 1, "door", 100, 900), Opening(4, 99, "door", 1000, 900)]).area == whole


def test_gap_near_a_joint_and_in_a_polyline_wall():
    corner = [Wall(1, [(0, 0), (4000, 0)]), Wall(2, [(4000, 0), (4000, 3000)])]
    near = mass(corner, [Opening(1, 1, "door", 3500, 900)])  # reaches into the mitre: cut by shapely
    assert near.is_valid and near.geom_type == "MultiPolygon"
    poly = [Wall(1, [(0, 0), (4000, 0), (4000, 3000)])]
    assert mass(poly, [Opening(1, 1, "door", 5500, 900)]).area == pytest.approx(150 * 7000 - 900 * 150)


def test_opening_frame_fits_or_not():
    wall = Wall(1, [(0, 0), (4000, 0), (4000, 3000)], 200)
    f = wg.opening_frame(wall, Opening(1, 1, "door", 1000, 900))
    assert f is not None
    assert (f.centre, f.direction, f.normal, f.width, f.thickness, f.segment) == \
        ((1000, 0), (1, 0), (0, -1), 900, 200, 0)  # going east, the left face is up (y down)
    assert (f.start, f.end) == ((550, 0), (1450, 0))
    assert (f.start_left, f.start_right, f.end_left, f.end_right) == ((550, -100), (550, 100), (1450, -100),
                                                                      (1450, 100))
    down = wg.opening_frame(wall, Opening(2, 1, "window", 5000, 1200))
    assert down.centre == (4000, 1000) and down.normal == (1, 0) and down.segment == 1  # going south, left is east
    for offset in (400, 3700, 4100, 6700):  # past the start, round the corner (twice), past the end
        assert wg.opening_frame(wall, Opening(3, 1, "door", offset, 900)) is None
        assert not wg.fits(wall, offset, 900)
    assert wg.fits(wall, 450, 900) and wg.fits(wall, 3550, 900) and wg.fits(wall, 4450, 900)


def test_clamp_offset_slides_an_opening_onto_its_wall():
    wall = Wall(1, [(0, 0), (4000, 0), (4000, 1000)])
    assert wg.clamp_offset(wall, 100, 900) == 450
    assert wg.clamp_offset(wall, 3900, 900) == 3550  # kept on the long segment, clear of the corner
    assert wg.clamp_offset(wall, 2000.4, 900) == 2000
    assert wg.clamp_offset(wall, 4700, 800) == 4600  # the short segment holds an 800 mm door
    assert wg.clamp_offset(wall, 100, 5000) is None


def by_role(paths, role):
    return [p for p in paths if p.role == role]


@pytest.mark.parametrize("hinge, side, hinge_at, out", [
    ("start", "left", (550, -75), (0, -1)),
    ("start", "right", (550, 75), (0, 1)),
    ("end", "left", (1450, -75), (0, -1)),
    ("end", "right", (1450, 75), (0, 1)),
])
def test_door_swings_on_its_side_from_its_hinge(hinge, side, hinge_at, out):
    wall = Wall(1, [(0, 0), (4000, 0)])
    paths = wg.opening_paths(wall, Opening(1, 1, "door", 1000, 900, hinge, side))
    jambs = by_role(paths, "jamb")
    assert [j.points for j in jambs] == [[(550, -75), (550, 75)], [(1450, -75), (1450, 75)]]
    (leaf,), (arc,) = by_role(paths, "leaf"), by_role(paths, "swing")
    assert leaf.points[0] == hinge_at
    tip = leaf.points[1]
    assert tip == pytest.approx((hinge_at[0] + out[0] * 900, hinge_at[1] + out[1] * 900))  # open at 90°
    assert arc.points[0] == pytest.approx(tip)
    other = (1450 if hinge == "start" else 550, hinge_at[1])
    assert arc.points[-1] == pytest.approx(other)  # closes on the other jamb
    assert all(math.dist(p, hinge_at) == pytest.approx(900) for p in arc.points)
    assert all((p[1] - hinge_at[1]) * out[1] >= -1e-9 for p in arc.points)  # all on the swing side


def test_double_sliding_door_and_window_symbols():
    wall = Wall(1, [(0, 0), (0, 4000)], 200)  # going south: left is east
    double = wg.opening_paths(wall, Opening(1, 1, "double_door", 2000, 1600, "start", "left"))
    leaves = by_role(double, "leaf")
    assert [leaf.points for leaf in leaves] == [[(100, 1200), (900, 1200)], [(100, 2800), (900, 2800)]]
    assert len(by_role(double, "swing")) == 2
    sliding = wg.opening_paths(wall, Opening(2, 1, "sliding_door", 2000, 1200, "end", "right"))
    panels = by_role(sliding, "panel")
    assert len(panels) == 2 and all(p.closed and len(p.points) == 4 for p in panels)
    assert all(-100 < x < 100 for p in panels for x, _y in p.points)  # inside the wall
    shaft = by_role(sliding, "arrow")[0].points
    assert shaft[0][0] < -100 and shaft[1][1] > shaft[0][1]  # west of the wall (right face), pointing south
    window = wg.opening_paths(wall, Opening(3, 1, "window", 2000, 1200))
    assert [p.points for p in by_role(window, "sill")] == [[(100, 1400), (100, 2600)], [(-100, 1400), (-100, 2600)]]
    assert [p.points for p in by_role(window, "glass")] == [[(0, 1400), (0, 2600)]]
    assert wg.opening_paths(wall, Opening(4, 1, "window", 100, 1200)) == []  # does not fit


# --- rooms from walls -------------------------------------------------------------------------------

def test_room_at_inside_a_box_is_its_inner_faces():
    walls = box_walls(0, 0, 4150, 3150)
    assert wg.room_at(walls, 2000, 1500) == [(75, 75), (4075, 75), (4075, 3075), (75, 3075)]
    assert wg.room_at(walls, 6000, 1500) is None  # outside
    assert wg.room_at(walls, 0, 1500) is None  # in a wall
    assert wg.room_at(walls[:3], 2000, 1500) is None  # one side open: not enclosed
    door = Opening(1, 1, "door", 2000, 900)
    assert wg.room_at(walls + [Wall(9, [(0, 9000), (10, 9000)])], 2000, 1500) is not None
    assert wg.mass_geometry(walls, [door]).geom_type == "Polygon"  # the door breaks the ring ...
    assert wg.room_at(walls, 2000, 1500) == [(75, 75), (4075, 75), (4075, 3075), (75, 3075)]  # ... not the room


def test_room_at_picks_the_room_around_the_point():
    walls = [*box_walls(0, 0, 8000, 5000), Wall(5, [(4000, 0), (4000, 5000)], 100)]
    assert wg.room_at(walls, 1000, 1000) == [(75, 75), (3950, 75), (3950, 4925), (75, 4925)]
    assert wg.room_at(walls, 7000, 1000) == [(4050, 75), (7925, 75), (7925, 4925), (4050, 4925)]
    island = walls + [Wall(6, [(1000, 2000), (3000, 2000)])]  # a free-standing wall inside the left room
    assert wg.room_at(island, 1000, 1000) == [(75, 75), (3950, 75), (3950, 4925), (75, 4925)]


def test_walls_around_a_room_have_their_inner_face_on_its_outline():
    outline = [(0, 0), (4000, 0), (4000, 3000), (0, 3000)]
    loop = wg.walls_around(outline, 150)
    assert loop == [[-75, -75], [4075, -75], [4075, 3075], [-75, 3075], [-75, -75]]
    assert wg.walls_around(list(reversed(outline)), 150)[0] == [-75, 3075]  # either way round
    assert wg.room_at([Wall(1, loop, 150)], 2000, 1500) == outline
    l_room = [(0, 0), (6000, 0), (6000, 2000), (2000, 2000), (2000, 5000), (0, 5000)]
    loop = wg.walls_around(l_room, 200)
    assert loop[0] == loop[-1] and len(loop) == 7
    assert wg.room_at([Wall(1, loop, 200)], 500, 500) == l_room


def test_real_model_rows_work_as_inputs():
    from mpp_planner.model import Wall as WallRow
    from mpp_planner.model import WallOpening

    wall = WallRow(id=7, points=[[0, 0], [4000, 0]], thickness=150)
    door = WallOpening(id=1, wall_id=7, kind="door", offset=1000, width=900, hinge="start", side="left")
    assert wg.opening_frame(wall, door).centre == (1000, 0)
    assert wg.mass_geometry([wall], [door]).area == 150 * 4000 - 150 * 900


# --- random walls never break it ---------------------------------------------------------------------

coords = st.integers(0, 60).map(lambda v: v * 100)  # a coarse grid so that ends often meet
polylines = st.lists(st.tuples(coords, coords), min_size=2, max_size=5).filter(
    lambda pts: any(pts[i] != pts[i - 1] for i in range(1, len(pts))))
walls_st = st.lists(st.tuples(polylines, st.integers(50, 1000)), min_size=1, max_size=5)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(walls_st, st.lists(st.tuples(st.integers(0, 4), st.sampled_from(["door", "double_door", "sliding_door",
                                                                         "window"]),
                                    st.integers(0, 20000), st.integers(300, 3000)), max_size=4))
def test_random_walls_give_valid_bodies_and_mass(raw, raw_openings):
    walls = [Wall(i + 1, pts, t) for i, (pts, t) in enumerate(raw)]
    openings = [Opening(n + 1, w % len(walls) + 1, kind, off, width)
                for n, (w, kind, off, width) in enumerate(raw_openings)]
    bodies = wg.body_geometries(walls)
    for body in bodies.values():
        assert body.is_valid and not body.is_empty
    whole = mass(walls)
    with_gaps = mass(walls, openings)
    assert with_gaps.area <= whole.area * (1 + 1e-9)
    plain = shapely.union_all([shapely.buffer(shapely.linestrings(w.points), w.thickness / 2, cap_style="flat")
                               for w in walls])
    # every centreline lies in the mass (but where an end is trimmed to the far face of a wall it meets), and
    # the mass keeps near the walls (no long spikes)
    widest = max(w.thickness for w in walls)
    ends = shapely.union_all([shapely.points(w.points[i]).buffer(3 * widest) for w in walls for i in (0, -1)])
    for w in walls:
        middle = shapely.linestrings(w.points).difference(ends)
        assert middle.is_empty or whole.buffer(1e-3).covers(middle)
    limit = shapely.union_all([shapely.buffer(shapely.linestrings(pair), (wg.MITRE_LIMIT + 1) * w.thickness / 2 + 1)
                               for w in walls for pair in zip(w.points, w.points[1:]) if pair[0] != pair[1]])
    assert limit.covers(whole)
    assert whole.area >= plain.area * 0.5
    for o in openings:
        for path in wg.opening_paths(walls[o.wall_id - 1], o):
            assert len(path.points) >= 2
    for wid, rings in wg.wall_bodies(walls).items():  # the outlines drawn: the same shapes
        drawn = shapely.Polygon(rings[0], rings[1:]) if len(rings) < 3 else None
        if drawn is not None and bodies[wid].geom_type == "Polygon":
            assert drawn.is_valid
            assert drawn.symmetric_difference(bodies[wid]).area <= 1e-6 * max(1.0, drawn.area)
    wg.room_at(walls, 3000, 3000)
