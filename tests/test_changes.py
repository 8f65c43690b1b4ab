"""Change notices by meaning: what an edit did (topics and verbs), ids per topic, who made it, and
listeners that hear only the topics they asked for. Qt-free."""

from __future__ import annotations

from mpp_planner.model import Agency, Room
from mpp_planner.project import Changes, Meaning, Topic
from tests.helpers import add_floor_with_room


def heard(project, *topics):
    got: list[Changes] = []
    project.subscribe(got.append, *topics)
    return got


def test_an_edit_is_told_by_topic_and_verb_with_the_ids_of_the_topic(empty_project):
    got = heard(empty_project)
    _floor, room = add_floor_with_room(empty_project)
    changes = got[-1]
    assert changes.about(Topic.ROOMS) and changes.about(Topic.FLOORS)
    assert not changes.about(Topic.BUDGET, Topic.AGENCIES)
    assert Meaning(Topic.ROOMS, "added") in changes.meanings
    assert changes.ids(Topic.ROOMS, "added") == {room.id}
    assert changes.ids(Topic.ROOMS, "removed") == set()

    with empty_project.edit():
        room.name = "Ruang Tunggu"
    assert got[-1].did(Topic.ROOMS, "changed")
    assert got[-1].ids(Topic.ROOMS) == {room.id}


def test_listeners_hear_only_the_topics_they_asked_for(empty_project):
    rooms_only = heard(empty_project, Topic.ROOMS)
    agencies_only = heard(empty_project, Topic.AGENCIES)
    add_floor_with_room(empty_project)
    assert len(rooms_only) == 1 and agencies_only == []
    with empty_project.edit() as s:
        s.add(Agency(name="Kantor Pertanahan", short_name="BPN", tier="pusat"))
    assert len(rooms_only) == 1 and len(agencies_only) == 1


def test_origin_names_the_screen_and_commands_declare_what_they_mean(empty_project):
    got = heard(empty_project)
    _floor, room = add_floor_with_room(empty_project)
    with empty_project.acting_for("plan"):
        with empty_project.edit():
            room.outline = [[0, 0], [5000, 0], [5000, 5000], [0, 5000]]
            empty_project.declare(Topic.ROOMS, "moved")
    assert got[-1].origin == "plan"
    assert got[-1].did(Topic.ROOMS, "moved") and got[-1].did(Topic.ROOMS, "changed")
    with empty_project.edit():
        room.name = "X"
    assert got[-1].origin is None  # outside acting_for nobody is named


def test_a_failed_edit_is_not_announced_and_a_reset_is_about_everything(empty_project):
    got = heard(empty_project, Topic.ROOMS)
    try:
        with empty_project.edit() as s:
            s.add(Room(name="Lost", kind="back_office", outline=[[0, 0], [1000, 0], [1000, 1000]], floor_id=999))
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert got == []
    empty_project.announce_reset("budget")
    assert got[-1].reset and got[-1].about(Topic.ROOMS) and got[-1].origin == "budget"


def test_notices_merge_for_a_screen_that_catches_up_later():
    a = Changes(origin="plan")
    a.added["room"].add(1)
    b = Changes(origin="budget")
    b.removed["budget_line"].add(7)
    b.declared.add(Meaning(Topic.BUDGET, "moved"))
    merged = a.merge(b)
    assert merged.about(Topic.ROOMS) and merged.about(Topic.BUDGET)
    assert merged.ids(Topic.BUDGET, "removed") == {7} and merged.did(Topic.BUDGET, "moved")
    assert merged.origin is None  # two screens made it


def test_every_table_of_the_model_has_a_topic():
    from mpp_planner.model import Base
    from mpp_planner.project import TOPIC_TABLES

    covered = {t for tables in TOPIC_TABLES.values() for t in tables}
    assert set(Base.metadata.tables) - {"alembic_version"} <= covered


def test_commands_say_what_they_did_beyond_the_rows(demo_project):
    """A move says "counters moved", an assignment "allocation assigned" (and undo says it again)."""
    from mpp_planner.commands.agencies import AssignAgency, UnassignAgency
    from mpp_planner.commands.base import History
    from mpp_planner.commands.plan import MoveObjects
    from mpp_planner.model import Counter

    got = heard(demo_project)
    history = History(demo_project)
    counter = demo_project.all(Counter)[0]
    history.push(MoveObjects([("counter", counter.id)], 100, 0))
    assert got[-1].did(Topic.COUNTERS, "moved") and not got[-1].did(Topic.ROOMS, "moved")
    history.undo()
    assert got[-1].did(Topic.COUNTERS, "moved")
    agency = demo_project.all(Agency)[0]
    history.push(UnassignAgency([counter.id]))
    assert got[-1].did(Topic.ALLOCATION, "unassigned")
    history.push(AssignAgency([counter.id], agency.id, 0b11111))
    assert got[-1].did(Topic.ALLOCATION, "assigned") and got[-1].about(Topic.ALLOCATION)
    assert not got[-1].about(Topic.BUDGET)
