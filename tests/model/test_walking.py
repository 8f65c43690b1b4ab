"""Walking routes on a floor: exact shortest paths through the doors, on fixtures whose answer is known."""

from __future__ import annotations

import heapq
import math
import random

import pytest

from mpp_planner.model import Wall, WallOpening
from mpp_planner.model.walking import Route, WalkingMap, free_space
from tests.helpers import rect

LEFT, RIGHT = rect(0, 0, 4000, 4000), rect(4000, 0, 4000, 4000)  # centres (2000, 2000) and (6000, 2000)


def wall(points, thickness=150, wall_id=1) -> Wall:
    return Wall(id=wall_id, points=points, thickness=thickness)


def opening(offset, width=1000, kind="door", wall_id=1) -> WallOpening:
    return WallOpening(wall_id=wall_id, kind=kind, offset=offset, width=width)


def between(offset=None, width=1000, kind="door", thickness=150) -> WalkingMap:
    """LEFT and RIGHT with a wall on their shared edge (x = 4000, drawn top to bottom), and a door in it
    centred ``offset`` mm from the wall's top."""
    openings = [opening(offset, width, kind)] if offset is not None else []
    return WalkingMap.of([LEFT, RIGHT], [wall([[4000, 0], [4000, 4000]], thickness)], openings)


def test_through_a_door_the_route_turns_at_its_near_jambs():
    # the door spans y 2500..3500: past the jamb corners (3925, 2500) and (4075, 2500)
    route = between(3000).room_route(LEFT, RIGHT)
    assert route.points == ((2000, 2000), (3925, 2500), (4075, 2500), (6000, 2000))
    assert route.length_mm == pytest.approx(2 * math.hypot(1925, 500) + 150, abs=1e-6)


def test_moving_the_door_changes_the_distance_as_computed():
    near, far = between(3000).room_route(LEFT, RIGHT), between(3400).room_route(LEFT, RIGHT)
    assert far.length_mm == pytest.approx(2 * math.hypot(1925, 900) + 150, abs=1e-6)
    assert far.length_mm > near.length_mm
    # a door across the line between the centres: straight through it
    assert between(2000).room_route(LEFT, RIGHT) == Route(((2000, 2000), (6000, 2000)), 4000)


@pytest.mark.parametrize("kind", ["door", "double_door", "sliding_door"])
def test_every_kind_of_door_lets_people_through(kind):
    assert between(3000, kind=kind).room_route(LEFT, RIGHT) is not None


def test_no_door_or_only_a_window_no_route():
    assert between().room_route(LEFT, RIGHT) is None
    assert between(2000, kind="window").room_route(LEFT, RIGHT) is None  # cut in the wall, but shut


def test_no_walls_straight_through_the_rooms_union():
    assert WalkingMap.of([LEFT, RIGHT]).room_route(LEFT, RIGHT) == Route(((2000, 2000), (6000, 2000)), 4000)


def test_rooms_that_do_not_touch_have_no_route():
    assert WalkingMap.of([LEFT, rect(5000, 0, 4000, 4000)]).room_route(LEFT, rect(5000, 0, 4000, 4000)) is None


def test_l_shaped_corridor_turns_at_its_inner_corner():
    corridor = [rect(0, 0, 10000, 2000), rect(8000, 2000, 2000, 8000)]
    walk = WalkingMap.of(corridor)
    route = walk.route((1000, 1000), (9000, 9000))
    assert route.points == ((1000, 1000), (8000, 2000), (9000, 9000))
    assert route.length_mm == pytest.approx(2 * math.hypot(7000, 1000))
    assert walk.route((1000, 1000), (7000, 1500)).length_mm == pytest.approx(math.hypot(6000, 500))  # in sight


def test_rooms_drawn_to_the_wall_faces_meet_through_the_door():
    # rooms stop at the faces of a 200 mm wall; the door's passage joins them
    left, right = rect(0, 0, 3900, 4000), rect(4100, 0, 3900, 4000)
    walk = WalkingMap.of([left, right], [wall([[4000, 0], [4000, 4000]], 200)], [opening(3000)])
    route = walk.room_route(left, right)
    assert route.points == ((1950, 2000), (3900, 2500), (4100, 2500), (6050, 2000))
    assert route.length_mm == pytest.approx(2 * math.hypot(1950, 500) + 200)


def test_a_room_drawn_a_little_past_the_outer_wall_does_not_open_a_way_round():
    # two rooms with a door each in the outer wall along y = 0; drawn 30 mm past its outer face, they would
    # meet outside it (out of one door, along the strip, in at the other)
    left, right = rect(0, -105, 4000, 4105), rect(4000, -105, 4000, 4105)
    walls = [wall([[0, 0], [8000, 0]], 150, 1), wall([[4000, 0], [4000, 4000]], 150, 2)]
    doors = [opening(2000, 900, wall_id=1), opening(6000, 900, wall_id=1)]
    assert WalkingMap.of([left, right], walls, doors).room_route(left, right) is None


def test_a_closed_loop_of_walls_with_a_door_and_a_window():
    # a 6 x 6 m room walled all round inside a 14 x 10 m hall; door on the bottom side, window on top
    hall, room = rect(0, 0, 14000, 10000), rect(4000, 2000, 6000, 6000)
    loop = wall([[4000, 2000], [10000, 2000], [10000, 8000], [4000, 8000], [4000, 2000]], 200)
    # the loop runs top (0..6000), right (6000..12000), bottom (12000..18000) from right to left
    walk = WalkingMap.of([hall, room], [loop], [opening(14000, 1000), opening(3000, 1200, "window")])
    route = walk.route((7000, 5000), (7000, 500))  # from the room's centre to the hall above it
    # out through the door (x 7500..8500 at y 8000) past its outer jamb, round the loop's corners, up
    assert route.points == ((7000, 5000), (8500, 8100), (10100, 8100), (10100, 1900), (7000, 500))
    assert route.length_mm == pytest.approx(math.hypot(1500, 3100) + 1600 + 6200 + math.hypot(3100, 1400))
    # through the window it would be 4.5 m: windows stay shut
    assert route.length_mm > 14000


def test_the_route_starts_inside_the_room_when_its_centre_is_outside_it():
    # an L-shaped room whose centroid (1.86 m, 1.86 m) lies in the room filling its notch
    room, notch = [[0, 0], [6000, 0], [6000, 1000], [1000, 1000], [1000, 6000], [0, 6000]], rect(1000, 1000, 5000, 5000)
    walk = WalkingMap.of([room, notch])
    start = walk.point_of(room)
    assert start is not None and not (start[0] > 1000 and start[1] > 1000)
    assert walk.point_of(notch) == (3500, 3500)


def test_the_route_starts_inside_the_room_when_its_centre_is_in_a_wall():
    # an L-shaped room whose centroid falls inside the wall drawn across its corner
    room = [[0, 0], [6000, 0], [6000, 1000], [1000, 1000], [1000, 6000], [0, 6000]]
    walk = WalkingMap.of([room, rect(6000, 0, 3000, 3000)], [wall([[1500, 1500], [1500, 1600]], 1000)])
    start = walk.point_of(room)
    assert start is not None and walk.contains(start)
    assert walk.room_route(room, rect(6000, 0, 3000, 3000)) is not None


def test_nearest_of_several_targets_on_foot_not_in_a_straight_line():
    # target A is 3 m away through a wall with no door; target B is 5 m away in the open
    walls = [wall([[4000, 0], [4000, 4000]], 150)]
    walk = WalkingMap.of([rect(0, 0, 4000, 4000), rect(4000, 0, 4000, 4000), rect(0, 4000, 4000, 4000)], walls)
    index, route = walk.nearest((2000, 2000), [(5000, 2000), (2000, 7000)])
    assert index == 1 and route.length_mm == pytest.approx(5000)
    assert walk.nearest((2000, 2000), [(5000, 2000)]) is None
    assert walk.nearest((-500, 0), [(2000, 7000)]) is None  # the start is outside


def brute_force(free, a, b) -> float | None:
    """Dijkstra over every vertex of the free space with every sight line tested: slow but plainly right."""
    import numpy as np
    import shapely

    sight = free.buffer(0.5, join_style="mitre")
    pts = [a, b] + [c for poly in getattr(free, "geoms", [free]) for ring in (poly.exterior, *poly.interiors)
                    for c in list(ring.coords)[:-1]]
    xy = np.array(pts)
    i, j = np.triu_indices(len(pts), 1)
    ok = shapely.covers(sight, shapely.linestrings(np.stack([xy[i], xy[j]], axis=1)))
    adj: list[list[tuple[int, float]]] = [[] for _ in pts]
    for u, v in zip(i[ok], j[ok]):
        d = math.dist(pts[u], pts[v])
        adj[u].append((v, d))
        adj[v].append((u, d))
    dist, heap = {0: 0.0}, [(0.0, 0)]
    while heap:
        d, u = heapq.heappop(heap)
        if u == 1:
            return d
        for v, w in adj[u]:
            if d + w < dist.get(v, math.inf):
                dist[v] = d + w
                heapq.heappush(heap, (d + w, v))
    return None


@pytest.mark.parametrize("seed", range(4))
def test_routes_match_a_brute_force_search_on_random_floors(seed):
    # a 3 x 3 grid of rooms with walls on every edge (some slanted) and doors at random places
    rng = random.Random(seed)
    rooms = [rect(x * 5000, y * 4000, 5000, 4000) for x in range(3) for y in range(3)]
    walls, openings = [], []
    for n, (p, q) in enumerate([((5000, 0), (5000, 12000)), ((10000, 0), (10000, 12000)),
                                ((0, 4000), (15000, 4000)), ((0, 8000), (15000, 8000))], start=1):
        walls.append(wall([list(p), list(q)], rng.choice([100, 150, 250]), n))
        length = math.dist(p, q)
        for _k in range(3):
            openings.append(opening(rng.uniform(600, length - 600), rng.choice([800, 1200]),
                                    rng.choice(["door", "door", "window"]), n))
    walls.append(wall([[2000, 9000], [4000, 11000], [6500, 10000]], 120, 9))  # slanted partitions
    walls.append(wall([[11000, 1000], [13000, 3000]], 200, 10))
    free = free_space(rooms, walls, openings)
    walk = WalkingMap(free)
    points = [walk.point_of(r) for r in rooms]
    for _k in range(6):
        a, b = rng.sample([p for p in points if p is not None], 2)
        route = walk.route(a, b)
        expected = brute_force(free, a, b)
        if expected is None:
            assert route is None
        else:
            assert route is not None and route.length_mm == pytest.approx(expected, abs=1e-6)
            assert route.length_mm == pytest.approx(sum(math.dist(p, q) for p, q in zip(route.points,
                                                                                          route.points[1:])))
