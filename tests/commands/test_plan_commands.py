"""Plan commands against a real project file: model, file after reopening, undo/redo."""

import struct
import zlib
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from mpp_planner.commands import History
from mpp_planner.commands.plan import (AddAnnotation, AddFloor, AddRoom, AlignObjects, CalibrateBackground,
                                       DeleteFloor, DeletePlanObjects, DistributeObjects, EditRoomOutline,
                                       ImportBackground, MoveObjects, PasteObjects, PlaceCounter, PlaceItem,
                                       RemoveBackground, RemoveFromPlan, RenameFloor, ReorderFloors, ResizeObject,
                                       RotateObject, RotateObjects, SetBackgroundOpacity, SetBackgroundOrigin,
                                       SetBackgroundVisible, SetProperties, check_image, copy_payload, describe,
                                       floor_contents)
from mpp_planner.model import (Annotation, Counter, CounterAssignment, Floor, FloorBackground, InventoryItem, ItemType,
                               Need, Room, ValidationError)
from tests.conftest import reopen
from tests.helpers import add_plan, rect


def png_bytes(width=40, height=20, claimed=None):
    """A real PNG (grey pixels); ``claimed`` puts another size in the header."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    w, h = claimed or (width, height)
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def count(project, cls, *where):
    return project.session.scalar(select(func.count()).select_from(cls).where(*where))


@pytest.fixture
def plan(empty_project):
    """The plan of ``tests.helpers.add_plan``: a lobby with a desk room, a service hall, a chair type."""
    add_plan(empty_project)
    return empty_project


def ids(project):
    floor = project.all(Floor)[0]
    rooms = {r.name: r.id for r in project.all(Room)}
    chair = project.all(ItemType)[0].id
    return floor.id, rooms, chair


def test_place_item_counts_in_the_room_under_it_and_moving_it_moves_it_in_the_inventory(plan):
    h = History(plan)
    fid, rooms, chair = ids(plan)
    place = PlaceItem(fid, chair, 5000, 5000)
    h.push(place)
    (kind, item_id), = place.created
    item = plan.get(InventoryItem, item_id)
    assert kind == "item" and item.room_id == rooms["Lobi"]
    assert (item.quantity, item.condition, item.floor_id) == (Decimal("1.00"), "B", fid)
    assert "Kursi Tunggu" in place.text
    # inside the desk room (which lies inside the lobby): the smaller room wins
    h.push(MoveObjects([("item", item_id)], -3000, -3000))
    assert plan.get(InventoryItem, item_id).room_id == rooms["Meja Info"]
    h.push(MoveObjects([("item", item_id)], 10000, 0))
    assert plan.get(InventoryItem, item_id).room_id == rooms["Ruang Layanan"]
    plan = reopen(plan)
    it = plan.get(InventoryItem, item_id)
    assert (it.x, it.y, it.room_id) == (12000, 2000, rooms["Ruang Layanan"])
    h = History(plan)
    h.done = []  # a fresh history cannot undo across a reopen; check undo on a new run instead
    cmd = MoveObjects([("item", item_id)], -10000, 3000)
    h.push(cmd)
    assert plan.get(InventoryItem, item_id).room_id == rooms["Lobi"]
    h.undo()
    assert plan.get(InventoryItem, item_id).room_id == rooms["Ruang Layanan"]
    h.redo()
    assert plan.get(InventoryItem, item_id).room_id == rooms["Lobi"]
    plan.close()


def test_place_item_undo_and_redo_keep_the_same_row(plan):
    h = History(plan)
    fid, rooms, chair = ids(plan)
    place = PlaceItem(fid, chair, 12000, 4000, rotation=90)
    h.push(place)
    item_id = place.created[0][1]
    h.undo()
    assert plan.get(InventoryItem, item_id) is None
    h.redo()
    item = plan.get(InventoryItem, item_id)
    assert (item.room_id, item.rotation) == (rooms["Ruang Layanan"], 90)
    plan = reopen(plan)
    assert plan.get(InventoryItem, item_id).room_id == rooms["Ruang Layanan"]
    plan.close()


def test_move_of_a_selection_is_one_step_with_a_readable_text(demo_project):
    h = History(demo_project)
    counters = demo_project.all(Counter, Counter.id)[:3]
    before = {c.id: (c.x, c.y) for c in counters}
    cmd = MoveObjects([("counter", c.id) for c in counters], 500, -200)
    assert cmd.text == "Move 3 counters"
    h.push(cmd)
    assert all((demo_project.get(Counter, i).x, demo_project.get(Counter, i).y) == (x + 500, y - 200)
               for i, (x, y) in before.items())
    h.undo()
    assert {i: (demo_project.get(Counter, i).x, demo_project.get(Counter, i).y) for i in before} == before
    h.redo()
    p = reopen(demo_project)
    try:
        assert {i: (p.get(Counter, i).x, p.get(Counter, i).y) for i in before} == {
            i: (x + 500, y - 200) for i, (x, y) in before.items()}
    finally:
        p.close()


def test_nudges_with_one_key_merge_into_one_undo_step(plan):
    h = History(plan)
    fid, rooms, chair = ids(plan)
    h.push(PlaceItem(fid, chair, 9700, 4000))
    item_id = h.done[-1].created[0][1]
    refs = [("item", item_id)]
    for _ in range(5):
        h.push(MoveObjects(refs, 100, 0, merge_key=("nudge", 1, frozenset(refs))))
    assert len(h.done) == 2
    item = plan.get(InventoryItem, item_id)
    assert (item.x, item.room_id) == (10200, rooms["Ruang Layanan"])
    h.undo()
    item = plan.get(InventoryItem, item_id)
    assert (item.x, item.room_id) == (9700, rooms["Lobi"])
    h.redo()
    assert plan.get(InventoryItem, item_id).room_id == rooms["Ruang Layanan"]
    # another selection or another run does not merge
    h.push(MoveObjects(refs, 100, 0, merge_key=("nudge", 2, frozenset(refs))))
    assert len(h.done) == 3


def test_describe_names_kinds_and_counts():
    assert describe([("counter", 1)]) == "counter"
    assert describe([("counter", 1), ("counter", 2)]) == "2 counters"
    assert describe([("room", 1), ("item", 2), ("item", 3)]) == "3 objects"


def test_draw_room_names_it_and_takes_in_the_furniture_inside(plan):
    h = History(plan)
    fid, rooms, chair = ids(plan)
    h.push(PlaceItem(fid, chair, 6000, 6000))
    item_id = h.done[-1].created[0][1]
    add = AddRoom(fid, rect(5000, 5000, 3000, 2000))
    h.push(add)
    room_id = add.created[0][1]
    room = plan.get(Room, room_id)
    assert room.name == "Room 1" and room.area_m2 == 6.0
    assert plan.get(InventoryItem, item_id).room_id == room_id
    h.undo()
    assert plan.get(Room, room_id) is None
    assert plan.get(InventoryItem, item_id).room_id == rooms["Lobi"]
    h.redo()
    assert plan.get(InventoryItem, item_id).room_id == room_id
    plan = reopen(plan)
    assert plan.get(Room, room_id).outline == rect(5000, 5000, 3000, 2000)
    assert plan.get(InventoryItem, item_id).room_id == room_id
    plan.close()


@pytest.mark.parametrize("outline, message", [
    ([[0, 0], [4000, 4000], [4000, 0], [0, 4000]], "must not cross itself"),
    ([[0, 0], [4000, 0], [8000, 0]], "must enclose an area"),
    ([[0, 0], [4000, 0]], "at least three"),
])
def test_bad_outlines_are_refused_and_nothing_changes(plan, outline, message):
    h = History(plan)
    fid, rooms, _chair = ids(plan)
    before = plan.path.read_bytes()
    with pytest.raises(ValidationError, match=message):
        h.push(AddRoom(fid, outline))
    with pytest.raises(ValidationError, match=message):
        h.push(EditRoomOutline(rooms["Lobi"], outline))
    assert h.done == []
    assert count(plan, Room) == 3
    assert plan.get(Room, rooms["Lobi"]).outline == rect(0, 0, 10000, 8000)
    plan = reopen(plan)
    assert count(plan, Room) == 3 and plan.get(Room, rooms["Lobi"]).outline == rect(0, 0, 10000, 8000)
    plan.close()
    assert before  # the file was there all along


def test_reshaping_a_room_moves_furniture_that_falls_outside(plan):
    h = History(plan)
    fid, rooms, chair = ids(plan)
    h.push(PlaceItem(fid, chair, 2500, 2500))
    item_id = h.done[-1].created[0][1]
    assert plan.get(InventoryItem, item_id).room_id == rooms["Meja Info"]
    h.push(EditRoomOutline(rooms["Meja Info"], rect(1000, 1000, 1000, 1000)))
    assert plan.get(InventoryItem, item_id).room_id == rooms["Lobi"]
    assert plan.get(Room, rooms["Meja Info"]).area_m2 == 1.0
    h.undo()
    assert plan.get(InventoryItem, item_id).room_id == rooms["Meja Info"]
    assert plan.get(Room, rooms["Meja Info"]).area_m2 == 4.0


def test_deleting_a_room_hands_its_furniture_to_the_room_around_it(plan):
    h = History(plan)
    fid, rooms, chair = ids(plan)
    h.push(PlaceItem(fid, chair, 2500, 2500))
    item_id = h.done[-1].created[0][1]
    with plan.edit() as s:
        s.add(Need(room_id=rooms["Meja Info"], item_type_id=chair, quantity=Decimal(2)))
    cmd = DeletePlanObjects([("room", rooms["Meja Info"])])
    assert cmd.text == "Delete room"
    h.push(cmd)
    assert plan.get(Room, rooms["Meja Info"]) is None
    assert plan.get(InventoryItem, item_id).room_id == rooms["Lobi"]
    assert count(plan, Need) == 0
    h.undo()
    assert plan.get(Room, rooms["Meja Info"]).name == "Meja Info"
    assert plan.get(InventoryItem, item_id).room_id == rooms["Meja Info"]
    assert count(plan, Need) == 1
    h.redo()
    plan = reopen(plan)
    assert plan.get(Room, rooms["Meja Info"]) is None
    assert plan.get(InventoryItem, item_id).room_id == rooms["Lobi"]
    plan.close()


def test_delete_a_mixed_selection_and_undo(demo_project):
    h = History(demo_project)
    counter = demo_project.all(Counter, Counter.id)[0]
    n_assign = count(demo_project, CounterAssignment)
    item = demo_project.session.scalars(select(InventoryItem).where(InventoryItem.x.is_not(None))).first()
    counter_id, label, item_id, room_id = counter.id, counter.label, item.id, item.room_id
    cmd = DeletePlanObjects([("counter", counter_id), ("item", item_id)])
    assert cmd.text == "Delete 2 objects"
    h.push(cmd)
    assert demo_project.get(Counter, counter_id) is None and demo_project.get(InventoryItem, item_id) is None
    assert count(demo_project, CounterAssignment) < n_assign
    h.undo()
    assert demo_project.get(Counter, counter_id).label == label
    assert demo_project.get(InventoryItem, item_id).room_id == room_id
    assert count(demo_project, CounterAssignment) == n_assign


def test_remove_from_plan_keeps_the_item_in_its_room(plan):
    h = History(plan)
    fid, rooms, chair = ids(plan)
    h.push(PlaceItem(fid, chair, 12000, 3000))
    item_id = h.done[-1].created[0][1]
    h.push(RemoveFromPlan([("item", item_id)]))
    item = plan.get(InventoryItem, item_id)
    assert (item.x, item.floor_id, item.room_id) == (None, None, rooms["Ruang Layanan"])
    h.undo()
    assert plan.get(InventoryItem, item_id).x == 12000


def test_resize_rotate_and_properties(demo_project):
    h = History(demo_project)
    c = demo_project.all(Counter, Counter.id)[0]
    cid = c.id
    ref = ("counter", cid)
    x0, y0, w0, d0 = c.x, c.y, c.width, c.depth
    h.push(ResizeObject(ref, x0 + 100, y0, w0 + 200, d0))
    h.push(RotateObject(ref, 45))
    h.push(SetProperties({ref: {"label": "L1-99", "staff_count": 3}}))
    with pytest.raises(ValidationError):
        h.push(SetProperties({ref: {"width": 10}}))  # smaller than 5 cm
    with pytest.raises(ValidationError):
        h.push(SetProperties({ref: {"label": "  "}}))
    assert len(h.done) == 3
    p = reopen(demo_project)
    c2 = p.get(Counter, cid)
    assert (c2.x, c2.width, c2.rotation, c2.label, c2.staff_count) == (x0 + 100, w0 + 200, 45, "L1-99", 3)
    h = History(p)
    h.push(RotateObjects([ref], 90))
    assert p.get(Counter, cid).rotation == 135
    h.undo()
    assert p.get(Counter, cid).rotation == 45
    p.close()


def test_align_and_distribute_counters(demo_project):
    h = History(demo_project)
    counters = demo_project.all(Counter, Counter.id)[:4]
    refs = [("counter", c.id) for c in counters]
    with demo_project.edit():
        for i, c in enumerate(counters):
            c.y = 5000 + 137 * i
            c.x = 8000 + 2500 * i + (300 if i == 1 else 0)
            c.rotation = 0
            c.width, c.depth = 1800, 800
    h.push(AlignObjects(refs, "top"))
    assert {demo_project.get(Counter, c.id).y for c in counters} == {5000}
    h.push(DistributeObjects(refs, "horizontal"))
    xs = sorted(demo_project.get(Counter, c.id).x for c in counters)
    assert xs == [8000, 10500, 13000, 15500]
    assert h.done[-1].text == "Distribute 4 counters horizontally"
    h.undo()
    assert sorted(demo_project.get(Counter, c.id).x for c in counters)[1] == 10800
    h.undo()
    assert demo_project.get(Counter, counters[3].id).y == 5000 + 137 * 3
    h.push(AlignObjects(refs, "right"))
    rights = {demo_project.get(Counter, c.id).x + 900 for c in counters}
    assert rights == {8000 + 2500 * 3 + 900}


def test_copy_paste_and_duplicate(plan):
    h = History(plan)
    fid, rooms, chair = ids(plan)
    h.push(PlaceCounter(fid, 12000, 2000))
    counter_id = h.done[-1].created[0][1]
    assert plan.get(Counter, counter_id).label == "L1-01"
    h.push(PlaceItem(fid, chair, 12000, 2500))
    item_id = h.done[-1].created[0][1]
    h.push(AddAnnotation(fid, "text", 12000, 5000, text="Loket"))
    note_id = h.done[-1].created[0][1]
    refs = [("counter", counter_id), ("item", item_id), ("annotation", note_id), ("room", rooms["Meja Info"])]
    payload = copy_payload(plan, refs)
    dup = PasteObjects(fid, payload, -10000, 0, duplicate=True)
    assert dup.text == "Duplicate 4 objects"
    h.push(dup)
    created = dict((k, i) for k, i in dup.created)
    new_counter = plan.get(Counter, created["counter"])
    assert (new_counter.label, new_counter.x) == ("L1-02", 2000)
    new_item = plan.get(InventoryItem, created["item"])
    assert new_item.room_id == rooms["Meja Info"]  # 2000, 2500 lies in the desk room
    new_room = plan.get(Room, created["room"])
    assert new_room.outline == rect(-9000, 1000, 2000, 2000) and new_room.name == "Meja Info"
    assert plan.get(Annotation, created["annotation"]).x1 == 2000
    assert count(plan, InventoryItem) == 2
    h.undo()
    assert count(plan, InventoryItem) == 1 and count(plan, Counter) == 1 and count(plan, Room) == 3
    h.redo()
    # paste onto another floor keeps labels that are free there
    h.push(AddFloor("Lantai 2"))
    f2 = h.done[-1].floor_id
    h.push(PasteObjects(f2, payload))
    labels = set(plan.session.scalars(select(Counter.label).where(Counter.floor_id == f2)))
    assert labels == {"L1-01"}
    plan = reopen(plan)
    assert count(plan, InventoryItem) == 3 and count(plan, Counter) == 3
    plan.close()


def test_paste_refuses_foreign_clipboard_content(plan):
    fid, _rooms, _chair = ids(plan)
    for bad in ({}, {"format": "x"}, {"format": "mpp-plan/1", "objects": []},
                {"format": "mpp-plan/1", "objects": [{"kind": "staircase", "fields": {}}]},
                {"format": "mpp-plan/1", "objects": [{"kind": "room"}]}):
        with pytest.raises(ValidationError, match="clipboard"):
            PasteObjects(fid, bad)


def test_annotations_and_their_refusals(plan):
    h = History(plan)
    fid, _rooms, _chair = ids(plan)
    with pytest.raises(ValidationError):
        AddAnnotation(fid, "dimension", 0, 0, 0, 0)
    with pytest.raises(ValidationError):
        AddAnnotation(fid, "text", 0, 0, text="  ")
    h.push(AddAnnotation(fid, "dimension", 0, -500, 10000, -500))
    a = h.done[-1].created[0]
    h.push(MoveObjects([a], 0, -100))
    note = plan.get(Annotation, a[1])
    assert (note.y1, note.y2, note.x2) == (-600, -600, 10000)
    assert h.done[-1].text == "Move annotation"


def test_floors_add_rename_reorder_delete_with_undo(demo_project):
    h = History(demo_project)
    floors = demo_project.all(Floor, Floor.order)
    add = AddFloor("Lantai 3")
    h.push(add)
    f3 = add.floor_id
    assert [f.name for f in demo_project.all(Floor, Floor.order)] == ["Lantai 1", "Lantai 2", "Lantai 3"]
    h.push(RenameFloor(f3, "Rooftop"))
    with pytest.raises(ValidationError):
        h.push(RenameFloor(f3, "   "))
    h.push(ReorderFloors([f3, floors[0].id, floors[1].id]))
    assert [f.name for f in demo_project.all(Floor, Floor.order)] == ["Rooftop", "Lantai 1", "Lantai 2"]
    h.undo()
    assert [f.name for f in demo_project.all(Floor, Floor.order)] == ["Lantai 1", "Lantai 2", "Rooftop"]
    h.redo()
    before = {cls: count(demo_project, cls) for cls in (Room, Counter, InventoryItem, CounterAssignment, Need)}
    contents = floor_contents(demo_project, floors[0].id)
    assert contents["rooms"] > 10 and contents["counters"] > 10 and contents["items"] > 10
    h.push(DeleteFloor(demo_project, floors[0].id))
    assert count(demo_project, Room) < before[Room]
    assert demo_project.get(Floor, floors[0].id) is None
    h.undo()
    assert {cls: count(demo_project, cls) for cls in before} == before
    h.undo()
    h.undo()
    h.undo()
    assert demo_project.get(Floor, f3) is None
    h.redo()
    assert demo_project.get(Floor, f3).name == "Lantai 3"
    p = reopen(demo_project)
    try:
        assert [f.name for f in p.all(Floor, Floor.order)] == ["Lantai 1", "Lantai 2", "Lantai 3"]
        assert {cls: count(p, cls) for cls in before} == before
    finally:
        p.close()


def test_background_import_calibrate_origin_opacity_visibility_remove(plan):
    h = History(plan)
    fid, _rooms, _chair = ids(plan)
    data = png_bytes(400, 200)
    h.push(ImportBackground(fid, data))
    bg = plan.get(FloorBackground, fid)
    assert (bg.image_format, bg.mm_per_px, bg.visible) == ("png", 10.0, True)
    # two points 100 px apart on the image are 5 m apart: 50 mm per px; the first point stays put
    h.push(CalibrateBackground(fid, (1000, 1000), (2000, 1000), "5"))
    bg = plan.get(FloorBackground, fid)
    assert bg.mm_per_px == pytest.approx(50.0)
    assert (bg.origin_x, bg.origin_y) == (-4000, -4000)
    h.push(SetBackgroundOrigin(fid, 1000, 2000))
    assert (plan.get(FloorBackground, fid).origin_x, plan.get(FloorBackground, fid).origin_y) == (-5000, -6000)
    h.push(SetBackgroundOpacity(fid, 0.3))
    h.push(SetBackgroundOpacity(fid, 0.8))
    assert len(h.done) == 4  # the slider run merged
    h.push(SetBackgroundVisible(fid, False))
    plan = reopen(plan)
    bg = plan.get(FloorBackground, fid)
    assert (bg.image, bg.opacity, bg.visible, bg.mm_per_px) == (data, 0.8, False, 50.0)
    h = History(plan)
    h.push(RemoveBackground(fid))
    assert plan.get(FloorBackground, fid) is None
    h.undo()
    assert plan.get(FloorBackground, fid).image == data
    # importing another image replaces it; undo brings the calibrated one back
    h.push(ImportBackground(fid, png_bytes(10, 10)))
    assert plan.get(FloorBackground, fid).mm_per_px == 10.0
    h.undo()
    assert plan.get(FloorBackground, fid).mm_per_px == 50.0 and plan.get(FloorBackground, fid).image == data
    h.redo()
    h.undo()
    plan.close()


@pytest.mark.parametrize("data, message", [
    (b"", "not a PNG or JPEG"),
    (b"%PDF-1.4 this is a document", "not a PNG or JPEG"),
    (png_bytes(4, 4, claimed=(30000, 30000)), "too large"),
    (png_bytes(4, 4, claimed=(15000, 15000)), "too large"),  # 225 MP
])
def test_background_refusals_change_nothing(plan, data, message):
    fid, _rooms, _chair = ids(plan)
    with pytest.raises(ValidationError, match=message):
        ImportBackground(fid, data)
    assert plan.get(FloorBackground, fid) is None


@pytest.mark.parametrize("p2, metres, message", [
    ((1000, 1000), "5", "same"),
    ((2000, 1000), "0", "more than 0"),
    ((2000, 1000), "-3", "more than 0"),
    ((2000, 1000), "lima", "number"),
])
def test_bad_calibration_is_refused(plan, p2, metres, message):
    h = History(plan)
    fid, _rooms, _chair = ids(plan)
    h.push(ImportBackground(fid, png_bytes()))
    with pytest.raises(ValidationError, match=message):
        h.push(CalibrateBackground(fid, (1000, 1000), p2, metres))
    assert plan.get(FloorBackground, fid).mm_per_px == 10.0 and len(h.done) == 1


def test_jpeg_header_is_read_without_decoding():
    sof = b"\xff\xc0\x00\x11\x08" + struct.pack(">HH", 3000, 4000) + b"\x03" + b"\x00" * 9
    data = b"\xff\xd8" + b"\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 9 + sof + b"\xff\xd9"
    assert check_image(data) == ("jpeg", 4000, 3000)
