"""Walls and the doors and windows in them, through the plan commands on a real project file: the model,
undo and redo (the very same ids), refusals that change nothing, and the file as another program reads it
(plain sqlite3) and after reopening."""

from __future__ import annotations

import json
import sqlite3

import pytest
from sqlalchemy import func, select

from mpp_planner.commands import History
from mpp_planner.commands.plan import (AddFloor, AddRoomFromWalls, AddWall, DeleteFloor, DeletePlanObjects, EditOpening,
                                       EditWall, MoveObjects, PasteObjects, PlaceItem, PlaceOpening, WallsAroundRoom,
                                       copy_payload, floor_contents)
from mpp_planner.commands.plan.walls import EditOpenings, EditWalls
from mpp_planner.model import Floor, InventoryItem, ItemType, Room, ValidationError, Wall, WallOpening
from tests.conftest import reopen
from tests.helpers import add_plan, rect

STRAIGHT = [[0, -3000], [6000, -3000]]  # 6 m, above the lobby
ELL = [[20000, 0], [26000, 0], [26000, 4000]]  # 6 m then 4 m down, right of the service hall
LOOP = [[20000, 0], [26000, 0], [26000, 4000], [20000, 4000], [20000, 0]]  # 6 x 4 m around its centreline


@pytest.fixture
def plan(empty_project):
    """The plan of ``tests.helpers.add_plan``: a lobby 10 x 8 m with a desk room, a service hall beside it."""
    add_plan(empty_project)
    return empty_project


def fid_of(project) -> int:
    return project.all(Floor)[0].id


def on_disk(project) -> tuple[dict, dict]:
    """(walls, openings) as the file holds them, read with plain sqlite3 (no app code):
    walls {id: (floor_id, points, thickness)}, openings {id: (wall_id, floor_id, kind, offset, width, hinge, side)}."""
    con = sqlite3.connect(f"file:{project.path}?mode=ro", uri=True)
    try:
        walls = {i: (f, json.loads(p), t) for i, f, p, t in con.execute(
            "SELECT id, floor_id, points, thickness FROM wall")}
        openings = {row[0]: tuple(row[1:]) for row in con.execute(
            "SELECT id, wall_id, floor_id, kind, offset, width, hinge, side FROM wall_opening")}
    finally:
        con.close()
    return walls, openings


def in_model(project) -> tuple[dict, dict]:
    """The same as :func:`on_disk`, from the project's session."""
    walls = {w.id: (w.floor_id, [list(p) for p in w.points], w.thickness) for w in project.all(Wall)}
    openings = {o.id: (o.wall_id, o.floor_id, o.kind, o.offset, o.width, o.hinge, o.side)
                for o in project.all(WallOpening)}
    return walls, openings


def same_everywhere(project) -> tuple[dict, dict]:
    """The state in the model, checked to be the file's too."""
    state = in_model(project)
    assert on_disk(project) == state
    return state


def wall_with_door(plan, h, points=STRAIGHT, offset=3000, **door):
    fid = fid_of(plan)
    add = AddWall(fid, points)
    h.push(add)
    (_k, wall_id), = add.created
    place = PlaceOpening(wall_id, door.pop("kind", "door"), offset, **door)
    h.push(place)
    (_k, opening_id), = place.created
    return wall_id, opening_id


# --- drawing a wall ---------------------------------------------------------------------------------

def test_draw_a_wall_undo_and_redo_keep_the_same_row(plan):
    h = History(plan)
    fid = fid_of(plan)
    add = AddWall(fid, [[0, -2000], [6000, -2000], [6000.4, -5000], [6000, -5000]], 200)  # a repeat is dropped
    h.push(add)
    assert add.text == "Draw wall"
    (kind, wall_id), = add.created
    assert kind == "wall"
    walls, openings = same_everywhere(plan)
    assert walls == {wall_id: (fid, [[0, -2000], [6000, -2000], [6000, -5000]], 200)} and openings == {}
    assert plan.get(Wall, wall_id).length == 9000
    h.undo()
    assert same_everywhere(plan) == ({}, {})
    h.redo()
    assert same_everywhere(plan) == (walls, openings)
    plan = reopen(plan)
    try:
        assert in_model(plan) == (walls, {})
        assert AddWall(fid, STRAIGHT).thickness == 150  # the default
    finally:
        plan.close()


@pytest.mark.parametrize("points, thickness, message", [
    ([[0, 0]], 150, "two distinct points"),
    ([[0, 0], [0, 0]], 150, "two distinct points"),
    ([[0, 0], [50, 0]], 150, "at least 10 cm long"),
    ("0,0 5,5", 150, "list of points"),
    ([[0, 0], [5000, 0]], 40, r"Wall thickness \(mm\) must be between 50 and 1000"),
    ([[0, 0], [5000, 0]], 1500, r"Wall thickness \(mm\) must be between 50 and 1000"),
])
def test_a_bad_wall_is_refused_and_nothing_changes(plan, points, thickness, message):
    h = History(plan)
    with pytest.raises(ValidationError, match=message):
        h.push(AddWall(fid_of(plan), points, thickness))
    assert h.done == [] and same_everywhere(plan) == ({}, {})


# --- thickness and shape ----------------------------------------------------------------------------

def test_thickness_edit_with_undo_and_a_refusal(plan):
    h = History(plan)
    wall_id, _door = wall_with_door(plan, h)
    edit = EditWall(wall_id, thickness=250)
    h.push(edit)
    assert edit.text == "Edit wall"
    assert same_everywhere(plan)[0][wall_id][2] == 250
    with pytest.raises(ValidationError, match=r"Wall thickness \(mm\) must be between 50 and 1000"):
        h.push(EditWall(wall_id, thickness=20))
    assert same_everywhere(plan)[0][wall_id][2] == 250 and h.done[-1] is edit
    h.undo()
    assert same_everywhere(plan)[0][wall_id][2] == 150
    h.redo()
    plan = reopen(plan)
    try:
        assert plan.get(Wall, wall_id).thickness == 250
    finally:
        plan.close()


def test_several_walls_thickened_in_one_step(plan):
    h = History(plan)
    fid = fid_of(plan)
    h.push(AddWall(fid, STRAIGHT))
    h.push(AddWall(fid, ELL, 100))
    a, b = (cmd.created[0][1] for cmd in h.done)
    edit = EditWalls({a: {"thickness": 300}, b: {"thickness": 300}})
    h.push(edit)
    assert edit.text == "Edit 2 walls"
    assert {i: w[2] for i, w in same_everywhere(plan)[0].items()} == {a: 300, b: 300}
    h.undo()
    assert {i: w[2] for i, w in same_everywhere(plan)[0].items()} == {a: 150, b: 100}


def test_a_reshape_slides_a_door_back_onto_the_shorter_wall(plan):
    h = History(plan)
    wall_id, door_id = wall_with_door(plan, h, offset=5000)
    before = same_everywhere(plan)
    reshape = EditWall(wall_id, points=[[0, -3000], [4000, -3000]])
    h.push(reshape)
    assert reshape.text == "Reshape wall"
    walls, openings = same_everywhere(plan)
    assert walls[wall_id][1] == [[0, -3000], [4000, -3000]]
    assert openings[door_id][3] == 4000 - 450  # slid back until its far jamb is the wall's end
    h.undo()  # the wall and the door's place, both
    assert same_everywhere(plan) == before
    h.redo()
    assert same_everywhere(plan) == (walls, openings)
    # a corner where the door was: it slides onto the nearest segment long enough
    h.push(EditWall(wall_id, points=[[0, -3000], [3400, -3000], [3400, -6000]]))  # the door was 3100..4000
    assert same_everywhere(plan)[1][door_id][3] == 3400 + 450  # 300 mm on, rather than 600 mm back
    h.undo()
    plan = reopen(plan)
    try:
        assert in_model(plan) == (walls, openings)
    finally:
        plan.close()


@pytest.mark.parametrize("points", [
    [[0, -3000], [600, -3000]],  # shorter than the 900 mm door
    [[0, -3000], [800, -3000], [800, -3800]],  # long enough in all, but no straight piece holds it
])
def test_a_reshape_too_short_for_the_door_is_refused_and_nothing_changes(plan, points):
    h = History(plan)
    wall_id, _door = wall_with_door(plan, h, offset=5000)
    before = same_everywhere(plan)
    with pytest.raises(ValidationError, match=r"The wall would be shorter than its door \(900 mm\)"):
        h.push(EditWall(wall_id, points=points))
    assert same_everywhere(plan) == before and len(h.done) == 2


# --- doors and windows ------------------------------------------------------------------------------

def test_place_doors_and_windows_clamped_to_fit(plan):
    h = History(plan)
    fid = fid_of(plan)
    h.push(AddWall(fid, ELL))
    wall_id = h.done[-1].created[0][1]
    placed = {}
    for name, kind, offset in (("door", "door", 100), ("window", "window", 5900), ("double", "double_door", 6100),
                               ("sliding", "sliding_door", 9990)):
        cmd = PlaceOpening(wall_id, kind, offset, hinge="end", side="right")
        h.push(cmd)
        placed[name] = cmd.created[0][1]
        assert cmd.text == ("Place window" if kind == "window" else "Place door")
    openings = same_everywhere(plan)[1]
    assert openings[placed["door"]] == (wall_id, fid, "door", 450, 900, "end", "right")  # slid off the end
    assert openings[placed["window"]] == (wall_id, fid, "window", 5400, 1200, "end", "right")  # off the corner
    # 6100 is round the corner (100 mm down): the whole 1.6 m door goes on the second segment
    assert openings[placed["double"]][3:5] == (6000 + 800, 1600)
    assert openings[placed["sliding"]][3:5] == (10000 - 600, 1200)
    h.undo()
    h.redo()  # the very same row again
    assert same_everywhere(plan)[1] == openings
    plan = reopen(plan)
    try:
        assert in_model(plan)[1] == openings
    finally:
        plan.close()


@pytest.mark.parametrize("points, kind, width, hinge, message", [
    ([[0, 0], [600, 0]], "door", None, "start", r"shorter than the opening \(900 mm\)"),
    ([[0, 0], [800, 0], [800, 800]], "door", None, "start", "does not fit on this wall"),
    ([[0, 0], [5000, 0]], "gate", None, "start", "Kind"),
    ([[0, 0], [5000, 0]], "door", 100, "start", "Width must be between 300 and 6000"),
    ([[0, 0], [5000, 0]], "door", 900, "middle", "Hinge"),
])
def test_a_door_that_cannot_go_in_is_refused_and_nothing_changes(plan, points, kind, width, hinge, message):
    h = History(plan)
    h.push(AddWall(fid_of(plan), points))
    wall_id = h.done[-1].created[0][1]
    before = same_everywhere(plan)
    with pytest.raises(ValidationError, match=message):
        h.push(PlaceOpening(wall_id, kind, 300, width=width, hinge=hinge))
    assert same_everywhere(plan) == before and len(h.done) == 1


def test_a_door_in_a_wall_that_is_gone_is_refused(plan):
    h = History(plan)
    h.push(AddWall(fid_of(plan), STRAIGHT))
    wall_id = h.done[-1].created[0][1]
    h.undo()
    with pytest.raises(LookupError, match="wall no longer exists"):
        h.push(PlaceOpening(wall_id, "door", 3000))


def test_edit_a_door_offset_width_hinge_side_kind(plan):
    h = History(plan)
    wall_id, door_id = wall_with_door(plan, h, offset=3000)
    fid = fid_of(plan)

    def door():
        return same_everywhere(plan)[1][door_id]

    steps = [({"offset": 1000}, (wall_id, fid, "door", 1000, 900, "start", "left")),
             ({"offset": -700.4}, (wall_id, fid, "door", 450, 900, "start", "left")),  # slid to fit
             ({"width": 1500}, (wall_id, fid, "door", 750, 1500, "start", "left")),  # wider: slid again
             ({"hinge": "end", "side": "right"}, (wall_id, fid, "door", 750, 1500, "end", "right")),
             ({"kind": "sliding_door", "offset": 5999.6}, (wall_id, fid, "sliding_door", 5250, 1500, "end", "right"))]
    for fields, expected in steps:
        edit = EditOpening(door_id, fields)
        h.push(edit)
        assert door() == expected and edit.text == "Edit door or window"
    for _fields, expected in reversed([((), (wall_id, fid, "door", 3000, 900, "start", "left")), *steps[:-1]]):
        h.undo()
        assert door() == expected
    for _fields, expected in steps:
        h.redo()
        assert door() == expected
    plan = reopen(plan)
    try:
        assert in_model(plan)[1][door_id] == steps[-1][1]
    finally:
        plan.close()


@pytest.mark.parametrize("fields, message", [
    ({"width": 5500}, r"The wall is shorter than the opening \(5500 mm\)"),
    ({"width": 5000}, None),  # exactly the wall
    ({"width": 7000}, "Width must be between 300 and 6000"),
    ({"width": 200}, "Width must be between 300 and 6000"),
    ({"width": "lebar"}, "Width must be a whole number"),
    ({"side": "up"}, "Opening side"),
    ({"offset": "tengah"}, r"Position along the wall \(mm\) must be a whole number"),
    ({"offset": float("nan")}, r"Position along the wall \(mm\) must be a whole number"),
    ({"kind": "gate"}, "Kind"),
])
def test_bad_door_edits_are_refused_and_nothing_changes(plan, fields, message):
    h = History(plan)
    _wall, door_id = wall_with_door(plan, h, [[0, -3000], [5000, -3000]], offset=2000)
    before = same_everywhere(plan)
    if message is None:
        h.push(EditOpening(door_id, fields))
        assert same_everywhere(plan)[1][door_id][3:5] == (2500, 5000)
        return
    with pytest.raises(ValidationError, match=message):
        h.push(EditOpening(door_id, fields))
    assert same_everywhere(plan) == before and len(h.done) == 2


def test_several_doors_edited_in_one_step(plan):
    h = History(plan)
    wall_id, a = wall_with_door(plan, h, offset=1000)
    h.push(PlaceOpening(wall_id, "window", 4000))
    b = h.done[-1].created[0][1]
    edit = EditOpenings({a: {"side": "right"}, b: {"side": "right"}})
    h.push(edit)
    assert edit.text == "Edit 2 doors and windows"
    assert {o[6] for o in same_everywhere(plan)[1].values()} == {"right"}
    h.undo()
    assert {o[6] for o in same_everywhere(plan)[1].values()} == {"left"}


# --- moving, deleting, copying ----------------------------------------------------------------------

def test_moving_a_wall_takes_its_door_along(plan):
    h = History(plan)
    wall_id, door_id = wall_with_door(plan, h, offset=2000)
    before = same_everywhere(plan)
    move = MoveObjects([("wall", wall_id)], 1000, -500)
    h.push(move)
    assert move.text == "Move wall"
    walls, openings = same_everywhere(plan)
    assert walls[wall_id][1] == [[1000, -3500], [7000, -3500]]
    assert openings == before[1]  # the door keeps its place along the wall
    h.undo()
    assert same_everywhere(plan) == before
    h.push(MoveObjects([("wall", wall_id), ("opening", door_id)], 0, 100))  # the door selected with it
    assert same_everywhere(plan) == ({wall_id: (before[0][wall_id][0], [[0, -2900], [6000, -2900]], 150)},
                                     before[1])
    plan = reopen(plan)
    try:
        assert in_model(plan)[0][wall_id][1] == [[0, -2900], [6000, -2900]]
    finally:
        plan.close()


def test_deleting_a_wall_takes_its_doors_and_undo_brings_both_back(plan):
    h = History(plan)
    wall_id, door_id = wall_with_door(plan, h)
    h.push(PlaceOpening(wall_id, "window", 5000))
    before = same_everywhere(plan)
    assert len(before[1]) == 2
    delete = DeletePlanObjects([("wall", wall_id)])
    h.push(delete)
    assert delete.text == "Delete wall"
    assert same_everywhere(plan) == ({}, {})
    h.undo()
    assert same_everywhere(plan) == before  # the same ids, the same fields
    h.redo()
    assert same_everywhere(plan) == ({}, {})
    h.undo()
    # deleting the door alone leaves the wall
    h.push(DeletePlanObjects([("opening", door_id)]))
    assert same_everywhere(plan) == (before[0], {k: v for k, v in before[1].items() if k != door_id})
    h.undo()
    plan = reopen(plan)
    try:
        assert in_model(plan) == before
    finally:
        plan.close()


def test_copy_and_paste_a_wall_with_its_door(plan):
    h = History(plan)
    fid = fid_of(plan)
    wall_id, door_id = wall_with_door(plan, h, offset=2000, kind="double_door", hinge="end", side="right")
    payload = json.loads(json.dumps(copy_payload(plan, [("wall", wall_id), ("opening", door_id)])))  # as text
    assert [o["kind"] for o in payload["objects"]] == ["wall"]  # the door goes with its wall, once
    assert payload["objects"][0]["fields"]["openings"] == [
        {"kind": "double_door", "offset": 2000, "width": 1600, "hinge": "end", "side": "right"}]
    paste = PasteObjects(fid, payload, 0, 1000)
    assert paste.text == "Paste wall"
    h.push(paste)
    created = dict(paste.created)
    assert set(created) == {"wall", "opening"}
    walls, openings = same_everywhere(plan)
    assert walls[created["wall"]] == (fid, [[0, -2000], [6000, -2000]], 150)
    assert openings[created["opening"]] == (created["wall"], fid, "double_door", 2000, 1600, "end", "right")
    h.undo()
    assert set(same_everywhere(plan)[0]) == {wall_id} and set(same_everywhere(plan)[1]) == {door_id}
    h.redo()
    assert same_everywhere(plan) == (walls, openings)
    # onto another floor: the door is on that floor too
    h.push(AddFloor("Lantai 2"))
    f2 = h.done[-1].floor_id
    again = PasteObjects(f2, payload)
    h.push(again)
    created2 = dict(again.created)
    assert same_everywhere(plan)[1][created2["opening"]][:2] == (created2["wall"], f2)
    # a door alone is not copied (it cannot stand without its wall)
    with pytest.raises(ValidationError, match="clipboard"):
        PasteObjects(fid, copy_payload(plan, [("opening", door_id)]))
    plan = reopen(plan)
    try:
        assert plan.session.scalar(select(func.count()).select_from(Wall)) == 3
        assert plan.session.scalar(select(func.count()).select_from(WallOpening)) == 3
    finally:
        plan.close()


# --- rooms and walls --------------------------------------------------------------------------------

def test_a_room_from_the_walls_around_a_point(plan):
    h = History(plan)
    fid = fid_of(plan)
    chair = plan.session.scalar(select(ItemType).where(ItemType.key == "kursi"))
    h.push(PlaceItem(fid, chair.id, 24000, 2000))  # outside every room so far
    item_id = h.done[-1].created[0][1]
    assert plan.get(InventoryItem, item_id).room_id is None
    h.push(AddWall(fid, LOOP, 200))
    h.push(AddWall(fid, [[23000, 0], [23000, 4000]], 100))  # a partition: two rooms
    rooms_before = len(plan.all(Room))
    with pytest.raises(ValidationError, match="No walls enclose this point"):
        h.push(AddRoomFromWalls(fid, 30000, 2000))  # outside
    with pytest.raises(ValidationError, match="No walls enclose this point"):
        h.push(AddRoomFromWalls(fid, 23020, 2000))  # inside the partition
    assert len(plan.all(Room)) == rooms_before
    left = AddRoomFromWalls(fid, 21000, 2000, "Laktasi")
    h.push(left)
    assert left.text == "Draw room"
    right = AddRoomFromWalls(fid, 24000, 2000)
    h.push(right)
    left_room, right_room = plan.get(Room, left.created[0][1]), plan.get(Room, right.created[0][1])
    assert left_room.name == "Laktasi"
    assert [list(p) for p in left_room.outline] == rect(20100, 100, 2850, 3800)  # the walls' inner faces
    assert [list(p) for p in right_room.outline] == rect(23050, 100, 2850, 3800)
    assert plan.get(InventoryItem, item_id).room_id == right_room.id  # the chair inside counts in it
    h.undo()
    assert plan.get(Room, right.created[0][1]) is None and plan.get(InventoryItem, item_id).room_id is None
    h.redo()
    plan = reopen(plan)
    try:
        assert [list(p) for p in plan.get(Room, left.created[0][1]).outline] == rect(20100, 100, 2850, 3800)
        assert plan.get(InventoryItem, item_id).room_id == right.created[0][1]
    finally:
        plan.close()


def test_walls_around_a_room_and_the_room_found_in_them_again(plan):
    h = History(plan)
    fid = fid_of(plan)
    desk = plan.session.scalar(select(Room).where(Room.name == "Meja Info"))
    around = WallsAroundRoom(desk.id, 100)
    h.push(around)
    assert around.text == "Walls around room"
    (_k, wall_id), = around.created
    walls = same_everywhere(plan)[0]
    assert walls == {wall_id: (fid, [[950, 950], [3050, 950], [3050, 3050], [950, 3050], [950, 950]], 100)}
    assert plan.get(Wall, wall_id).closed
    found = AddRoomFromWalls(fid, 2000, 2000)
    h.push(found)
    assert [list(p) for p in plan.get(Room, found.created[0][1]).outline] == rect(1000, 1000, 2000, 2000)
    h.undo()
    h.undo()
    assert same_everywhere(plan) == ({}, {})
    h.redo()
    assert same_everywhere(plan)[0] == walls  # the same row again
    h.push(DeletePlanObjects([("room", desk.id)]))
    with pytest.raises(LookupError, match="room no longer exists"):
        h.push(WallsAroundRoom(desk.id))
    plan = reopen(plan)
    try:
        assert in_model(plan)[0] == walls
    finally:
        plan.close()


# --- a floor with walls -----------------------------------------------------------------------------

def test_deleting_a_floor_with_walls_and_undo(plan):
    h = History(plan)
    fid = fid_of(plan)
    wall_id, door_id = wall_with_door(plan, h)
    h.push(AddWall(fid, ELL))
    before = same_everywhere(plan)
    assert floor_contents(plan, fid)["walls"] == 2
    delete = DeleteFloor(plan, fid)
    h.push(delete)
    assert same_everywhere(plan) == ({}, {}) and plan.get(Floor, fid) is None
    h.undo()
    assert same_everywhere(plan) == before
    assert plan.get(WallOpening, door_id).wall.id == wall_id
    h.redo()
    assert same_everywhere(plan) == ({}, {})
    h.undo()
    plan = reopen(plan)
    try:
        assert in_model(plan) == before
    finally:
        plan.close()
