"""The rule "furniture (or a counter) counts in the room under its centre", written once in
``model.plan.room_under`` and used by the plan commands and the standards checks."""

import pytest

from mpp_planner.model.plan import RoomShape, room_under


def rect(left, top, right, bottom):
    return [[left, top], [right, top], [right, bottom], [left, bottom]]


LOBBY = RoomShape.of("lobby", rect(0, 0, 10_000, 8_000))
DESK = RoomShape.of("desk", rect(2_000, 2_000, 4_000, 4_000))  # drawn inside the lobby
HALL = RoomShape.of("hall", rect(10_000, 0, 20_000, 8_000))  # shares the lobby's right wall
L_ROOM = RoomShape.of("l", [[0, 10_000], [6_000, 10_000], [6_000, 12_000], [2_000, 12_000], [2_000, 15_000],
                            [0, 15_000]])


def test_shape_keeps_key_area_and_bounds():
    assert (DESK.key, DESK.area, DESK.bounds) == ("desk", 4_000_000, (2_000, 2_000, 4_000, 4_000))


@pytest.mark.parametrize("point, room", [
    ((5_000, 6_000), "lobby"),  # centre inside one room
    ((15_000, 1_000), "hall"),
    ((1_000, 14_000), "l"),  # inside the L's upright
    ((4_000, 14_000), None),  # in the L's bounding box but outside the L
    ((25_000, 4_000), None),  # in no room
    ((5_000, -1), None),  # just outside the lobby's top wall
])
def test_room_under_a_point(point, room):
    assert room_under(*point, [LOBBY, DESK, HALL, L_ROOM]) == room


def test_the_smallest_of_nested_rooms_wins_whatever_the_order():
    for rooms in ([LOBBY, DESK], [DESK, LOBBY]):
        assert room_under(3_000, 3_000, rooms) == "desk"
    assert room_under(5_000, 5_000, [DESK, LOBBY]) == "lobby"


def test_of_two_equal_overlapping_rooms_the_first_wins():
    twin = RoomShape.of("twin", LOBBY.outline)
    assert room_under(5_000, 4_000, [LOBBY, twin]) == "lobby"
    assert room_under(5_000, 4_000, [twin, LOBBY]) == "twin"


def test_a_point_on_a_wall_counts_in_exactly_one_room():
    """Left and top edges belong to a room, right and bottom edges do not: a desk standing on the
    wall between the lobby and the hall counts in the hall, never in both or neither."""
    assert room_under(10_000, 4_000, [LOBBY, HALL]) == "hall"
    assert room_under(10_000, 4_000, [HALL, LOBBY]) == "hall"
    assert room_under(0, 4_000, [LOBBY]) == "lobby"  # left wall
    assert room_under(5_000, 0, [LOBBY]) == "lobby"  # top wall
    assert room_under(5_000, 8_000, [LOBBY]) is None  # bottom wall
    assert room_under(20_000, 4_000, [HALL]) is None  # right wall


def test_no_rooms_and_an_empty_outline_hold_nothing():
    assert room_under(0, 0, []) is None
    assert room_under(0, 0, [RoomShape.of("broken", [])]) is None
