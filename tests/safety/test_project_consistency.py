"""Two bugs the command fuzzer found, pinned down: loaded collections follow edits made by id, and
deleting a parent whose children are loaded in memory works."""

from mpp_planner.commands import AddObjects, DeleteObjects, History, MacroCommand, SetFields
from mpp_planner.model import Agency, Counter, Floor, Room, Service, ValidationError

from tests.helpers import rect


def test_collections_follow_rows_added_moved_and_removed_by_id(demo_project):
    p = demo_project
    first, second = p.all(Floor, Floor.order)
    assert first.rooms and second.counters  # loaded
    h = History(p)
    h.push(AddObjects("room", [Room(floor_id=first.id, name="Baru", kind="storage", outline=rect(0, 0, 2000, 2000))]))
    assert "Baru" in [r.name for r in first.rooms]
    counter = second.counters[0]
    h.push(SetFields("move to floor 1", Counter, {counter.id: {"floor_id": first.id}}))
    assert counter in first.counters and counter not in second.counters
    h.undo()
    assert counter in second.counters and counter not in first.counters
    h.undo()
    assert "Baru" not in [r.name for r in first.rooms]


def test_deleting_an_agency_with_its_services_loaded(demo_project):
    p = demo_project
    agency = p.all(Agency)[0]
    assert agency.services  # loaded: the cascade expunges them with the agency
    n = len(p.all(Service))
    h = History(p)
    h.push(DeleteObjects("delete", Agency, [agency.id]))
    assert len(p.all(Service)) < n
    h.undo()
    assert len(p.all(Service)) == n


def test_macro_failing_halfway_takes_back_its_first_part(demo_project):
    p = demo_project
    counter = p.all(Counter)[0]
    agency = Agency(name="Instansi Uji", short_name="IU", tier="pusat")
    agency.services.append(Service(name="Layanan"))
    n = len(p.all(Agency))
    macro = MacroCommand("two", [AddObjects("add", [agency]), SetFields("bad", Counter, {counter.id: {"width": 0}})])
    h = History(p)
    try:
        h.push(macro)
    except ValidationError:
        pass
    assert len(p.all(Agency)) == n and h.done == []
