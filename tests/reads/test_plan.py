"""The plan editor's reads: floors, what a floor draws (batched, and without a query for what a command
just loaded), the selection's objects, the palette and the legend. No Qt."""

from __future__ import annotations


import pytest
from sqlalchemy import select

from mpp_planner.model import (Agency, Annotation, Counter, CounterAssignment, Floor, FloorBackground, InventoryItem,
                               ItemType, Room, Wall, WallOpening)
from mpp_planner.project import Project
from mpp_planner.reads.plan import (PLAN_KINDS, catalog_entries, floor_background, floor_contents, floor_list,
                                    floor_name, floor_objects, legend_agencies, plan_objects)
from tests.conftest import reopen
from tests.helpers import add_plan, sql_statements

PNG_1PX = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@pytest.fixture
def plan(tmp_path):
    """The rooms of tests.helpers.add_plan on "Lantai 1", plus three counters (one served by BPS), a
    placed chair, a chair kept in the store (no place), a label, a wall with a door, and an empty "Lantai 2"
    listed first."""
    project = Project.create(tmp_path / "plan.mpplan", site_name="MPP Uji")
    add_plan(project)
    with project.edit() as s:
        floor = s.scalar(select(Floor))
        s.add(Floor(name="Lantai 2", order=0))
        chair = s.scalar(select(ItemType).where(ItemType.key == "kursi"))
        bps = Agency(name="Badan Pusat Statistik", short_name="BPS", tier="pusat", colour="#123456")
        idle = Agency(name="Perusahaan Listrik Negara", short_name="PLN", tier="bumn", colour="#654321")
        s.add_all([bps, idle])
        counters = [Counter(floor_id=floor.id, label=f"L1-0{i}", x=11000 + 2000 * i, y=2000) for i in range(3)]
        s.add_all(counters)
        s.flush()
        s.add(CounterAssignment(counter_id=counters[0].id, agency_id=bps.id))
        s.add(InventoryItem(item_type_id=chair.id, floor_id=floor.id, x=5000, y=5000))
        s.add(InventoryItem(item_type_id=chair.id, floor_id=floor.id))
        s.add(Annotation(floor_id=floor.id, kind="text", x1=2000, y1=7000, text="Pintu masuk", font_size=300))
        wall = Wall(floor_id=floor.id, points=[[0, 0], [10000, 0]], thickness=150)
        s.add(wall)
        s.flush()
        s.add(WallOpening(wall_id=wall.id, floor_id=floor.id, kind="door", offset=5000, width=900))
    project.close()
    project = Project.open(tmp_path / "plan.mpplan")  # nothing loaded yet
    yield project
    project.close()


def first_floor(project) -> int:
    return next(f.id for f in floor_list(project) if f.name == "Lantai 1")


def test_floors_in_tab_order_with_their_names(plan):
    assert [f.name for f in floor_list(plan)] == ["Lantai 2", "Lantai 1"]
    fid = first_floor(plan)
    assert floor_name(plan, fid) == "Lantai 1"
    assert floor_name(plan, 9999) is None


def test_floor_contents_counts_everything_deleting_the_floor_would_take(plan):
    fid = first_floor(plan)
    held = floor_contents(plan, fid)
    assert (held.rooms, held.counters, held.items, held.annotations, held.background) == (3, 3, 2, 1, False)
    empty = next(f.id for f in floor_list(plan) if f.name == "Lantai 2")
    assert not floor_contents(plan, empty)
    with plan.edit() as s:
        s.add(FloorBackground(floor_id=empty, image=PNG_1PX))
    assert floor_contents(plan, empty).background and floor_contents(plan, empty)
    assert floor_background(plan, empty).image == PNG_1PX
    assert floor_background(plan, fid) is None


def test_floor_objects_are_what_the_floor_draws_one_query_per_kind(plan):
    fid = first_floor(plan)
    with sql_statements(plan) as seen:
        drawn = {kind: floor_objects(plan, fid, kind) for kind in PLAN_KINDS}
        names = sorted(r.name for r in drawn["room"].values())
        agencies = {c.label: [a.short_name for a in c.agencies] for c in drawn["counter"].values()}
        types = [i.item_type.name for i in drawn["item"].values()]
        door_in = [o.wall.points for o in drawn["opening"].values()]
    assert names == ["Lobi", "Meja Info", "Ruang Layanan"]
    assert agencies == {"L1-00": ["BPS"], "L1-01": [], "L1-02": []}
    assert types == ["Kursi Tunggu"]  # the chair in the store has no place on the plan
    assert [a.text for a in drawn["annotation"].values()] == ["Pintu masuk"]
    assert door_in == [[[0, 0], [10000, 0]]] and len(drawn["wall"]) == 1
    # rooms, walls, annotations: one each; counters: + assignments + agencies; furniture: + item types;
    # doors and windows: + their walls
    assert len(seen) == 1 + 1 + 3 + 2 + 2 + 1


def test_floor_objects_by_id_answer_only_what_is_still_on_the_floor(plan):
    fid = first_floor(plan)
    other = next(f.id for f in floor_list(plan) if f.name == "Lantai 2")
    counters = sorted(floor_objects(plan, fid, "counter"))
    with plan.edit() as s:
        s.get(Counter, counters[1]).floor_id = other
    assert sorted(floor_objects(plan, fid, "counter", counters + [9999])) == [counters[0], counters[2]]
    assert sorted(floor_objects(plan, other, "counter", counters)) == [counters[1]]
    items = plan.session.scalars(select(InventoryItem.id)).all()
    assert len(floor_objects(plan, fid, "item", items)) == 1  # the unplaced chair is not drawn


def test_objects_a_command_just_loaded_need_no_query_and_the_rest_one_per_kind(plan):
    fid = first_floor(plan)
    counters = floor_objects(plan, fid, "counter")
    with plan.edit():
        for c in counters.values():
            c.x += 100  # as a move command does: the objects stay loaded after the commit
    with sql_statements(plan) as seen:
        again = floor_objects(plan, fid, "counter", list(counters))
    assert again == counters and seen == []
    fresh = reopen(plan)  # (the fixture's close of the first one is then a no-op)
    try:
        with sql_statements(fresh) as seen:
            loaded = floor_objects(fresh, fid, "counter", list(counters))
            [c.agencies for c in loaded.values()]
        assert sorted(loaded) == sorted(counters) and len(seen) == 3  # not one per counter
    finally:
        fresh.close()


def test_plan_objects_of_a_selection_skip_what_is_gone(plan):
    fid = first_floor(plan)
    room = next(iter(floor_objects(plan, fid, "room")))
    plan.session.expunge_all()  # nothing loaded: one query per kind
    notes = plan.session.scalars(select(Annotation.id)).all()
    refs = [("annotation", notes[0]), ("counter", 9999), ("room", room)]
    with sql_statements(plan) as seen:
        objs = plan_objects(plan, refs)
    assert set(objs) == {("annotation", notes[0]), ("room", room)}
    assert isinstance(objs[("room", room)], Room) and objs[("annotation", notes[0])].text == "Pintu masuk"
    assert len(seen) == 3  # annotations, counters, rooms
    counters = floor_objects(plan, fid, "counter")
    with sql_statements(plan) as seen:  # what the plan shows is loaded already: no query at all
        objs = plan_objects(plan, [("counter", c) for c in counters] + [("room", room)])
    assert seen == [] and len(objs) == 4


def test_catalog_by_category_then_name(plan):
    entries = catalog_entries(plan)
    assert [(e.category, e.name) for e in entries] == [("Elektronik", "AC Split 1,5 PK"),
                                                      ("Ruang Tunggu", "Kursi Tunggu")]
    chair = entries[1]
    assert (chair.key, chair.width, chair.depth) == ("kursi", 500, 500)


def test_legend_lists_only_agencies_that_serve_at_a_counter(plan):
    assert [(a.short_name, a.colour) for a in legend_agencies(plan)] == [("BPS", "#123456")]


def test_the_demo_legend_and_floors(demo_project):
    floors = floor_list(demo_project)
    assert [f.name for f in floors][:2] == ["Lantai 1", "Lantai 2"]
    legend = [a.short_name for a in legend_agencies(demo_project)]
    assert legend == sorted(legend) and len(legend) > 5
    drawn = floor_objects(demo_project, floors[0].id, "room")
    assert drawn and all(r.floor_id == floors[0].id for r in drawn.values())
