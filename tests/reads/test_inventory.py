"""The Inventory & Needs screen's reads, without Qt: the room tree, the KIR rows and needs, the catalog
and its pick lists, the standards check as plain data (also on a worker's read-only view) and the
visits — each in a fixed number of queries, none per row."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from mpp_planner.commands import History
from mpp_planner.commands.inventory import add_need, needs_from_findings
from mpp_planner.jobs import Cancelled, Job
from mpp_planner.model import AccountCode, Floor, InventoryItem, ItemType, Need, Room, Visit, VisitFinding, geometry
from mpp_planner.reads import catalog, findings, inventory, visits
from mpp_planner.standards import RuleFileError, run_checks
from tests.helpers import sql_statements


def count(project, cls, *where):
    return project.session.scalar(select(func.count()).select_from(cls).where(*where))


# --- rooms, KIR rows and needs -------------------------------------------------------------------

def test_rooms_come_floor_by_floor_then_by_name_in_one_query(demo_project):
    with sql_statements(demo_project) as seen:
        rows = inventory.rooms_by_floor(demo_project)
    assert len(seen) == 1 and len(rows) == count(demo_project, Room)
    order = {f.id: (f.order, f.id) for f in demo_project.session.scalars(select(Floor))}
    assert [(order[r.floor_id], r.name) for r in rows] == sorted((order[r.floor_id], r.name) for r in rows)
    rid, name, floor_id, floor_name = rows[0]  # plain rows the tree unpacks
    room = demo_project.get(Room, rid)
    assert (name, floor_id, floor_name) == (room.name, room.floor_id, room.floor.name)


def test_kir_rows_and_needs_are_read_with_what_the_gaps_need_in_three_queries_each(demo_project):
    with sql_statements(demo_project) as seen:
        items = inventory.inventory_items(demo_project)
        needs = inventory.needs(demo_project)
        shown = [(i.item_type.name, i.item_type.unit, i.room.name if i.room else None, i.room_id) for i in items]
        shown += [(n.item_type.ref_price, n.room.name, n.room.floor_id) for n in needs]
    assert len(seen) == 6  # each: the rows, their item types, their rooms
    assert len(items) == count(demo_project, InventoryItem) == 145 and len(needs) == count(demo_project, Need) == 22
    assert [(i.room_id or 0, i.id) for i in items] == sorted((i.room_id or 0, i.id) for i in items)
    assert [(n.room_id, n.id) for n in needs] == sorted((n.room_id, n.id) for n in needs)
    assert len(shown) == len(items) + len(needs)


def test_kir_rows_are_read_afresh_after_a_change_behind_the_session(demo_project):
    item = inventory.inventory_items(demo_project)[0]
    with demo_project.edit() as s:
        s.execute(InventoryItem.__table__.update().where(InventoryItem.id == item.id).values(quantity=Decimal(42)))
    again = inventory.inventory_items(demo_project)
    assert again[0] is item and item.quantity == Decimal(42)


# --- the catalog ---------------------------------------------------------------------------------

def test_the_catalog_with_its_use_in_three_queries(demo_project):
    with sql_statements(demo_project) as seen:
        types = catalog.item_types(demo_project)
        usage = catalog.item_type_usage(demo_project)
    assert len(seen) == 3
    assert len(types) == count(demo_project, ItemType)
    assert [(t.category, t.name) for t in types] == sorted((t.category, t.name) for t in types)
    for t in types[:10]:
        used = count(demo_project, InventoryItem, InventoryItem.item_type_id == t.id) + count(
            demo_project, Need, Need.item_type_id == t.id)
        assert usage.get(t.id, 0) == used
    assert sum(usage.values()) == 145 + 22 and 0 not in usage.values()


def test_pick_lists_of_the_forms(demo_project):
    choices = catalog.item_type_choices(demo_project)
    assert [c.id for c in choices] == [t.id for t in catalog.item_types(demo_project)]
    kulkas = next(c for c in choices if c.key == "kulkas")
    assert (kulkas.name, kulkas.unit) == ("Lemari Es / Kulkas 2 Pintu", "unit")
    cats = catalog.categories(demo_project)
    assert cats == sorted(set(cats)) and "Elektronik" in cats
    assert catalog.units(demo_project) == ["buah", "m2", "paket", "set", "titik", "unit"]
    codes = catalog.account_codes(demo_project)
    assert len(codes) == count(demo_project, AccountCode) and [c for c, _n in codes] == sorted(c for c, _n in codes)


def test_an_empty_project_has_empty_lists(empty_project):
    assert inventory.rooms_by_floor(empty_project) == []
    assert inventory.inventory_items(empty_project) == [] and inventory.needs(empty_project) == []
    assert catalog.item_type_usage(empty_project) == {} and catalog.units(empty_project) == []
    assert visits.visits(empty_project) == [] and visits.needs_by_finding(empty_project) == {}
    assert findings.finding_shapes(empty_project, []) == findings.FindingShapes()


# --- the standards check --------------------------------------------------------------------------

def test_the_check_hands_back_plain_findings_with_the_names_they_suggest(demo_project):
    result = findings.check_standards(demo_project)
    expected = run_checks(demo_project)
    assert [(f.rule_id, f.room_id, f.message) for f in result.findings] == [
        (f.rule_id, f.room_id, f.message) for f in expected]
    suggested = {f.suggestion.item_key for f in result.findings if f.suggestion}
    assert suggested and suggested <= set(result.item_names)
    assert all(isinstance(name, str) for name in result.item_names.values())  # no ORM object leaves the worker
    assert result.covered == findings.covered_findings(demo_project, result.findings)


def test_the_check_runs_on_a_workers_read_only_view(demo_project):
    with demo_project.reader() as reader:
        result = findings.check_standards(reader)
    assert [f.message for f in result.findings] == [f.message for f in findings.check_standards(demo_project).findings]


def test_a_cancelled_check_stops_between_its_steps(demo_project):
    job = Job(title="check")
    job.TELL_EVERY = 0  # every step told (the screen gets at most one per 50 ms)
    steps = []
    job.on_progress = lambda done, total, _text: (steps.append((done, total)), done == 2 and job.cancel())
    with pytest.raises(Cancelled):
        job.run(lambda: findings.check_standards(demo_project))
    assert steps == [(0, 0), (1, 3), (2, 3)]


def test_a_broken_rule_file_raises_before_reading_the_project(demo_project, tmp_path):
    bad = tmp_path / "rules.toml"
    bad.write_text('[rules.x]\nkind = "room_min_area"\nroom_kinds = ["lactation_room"]\nmin_area = 12\n')
    with sql_statements(demo_project) as seen, pytest.raises(RuleFileError, match="line 4"):
        findings.check_standards(demo_project, bad)
    assert seen == []


def test_a_finding_is_covered_once_its_need_is_planned(demo_project):
    found = findings.check_standards(demo_project).findings
    before = findings.covered_findings(demo_project, found)
    open_ = [i for i, f in enumerate(found) if f.suggestion and f.suggestion.room_id and i not in before]
    assert open_
    result = needs_from_findings(demo_project, found)
    History(demo_project).push(result.command)
    with sql_statements(demo_project) as seen:
        after = findings.covered_findings(demo_project, found)
    assert len(seen) == 1 and before < after and set(open_) <= after


def test_a_need_with_an_item_of_the_same_purpose_covers_a_finding(demo_project):
    found = findings.check_standards(demo_project).findings
    covered = findings.covered_findings(demo_project, found)
    types = catalog.item_types(demo_project)
    i, f, alike = next((i, f, t) for i, f in enumerate(found) if f.suggestion and f.suggestion.room_id
                       and i not in covered for t in types
                       if t.key != f.suggestion.item_key and t.tag_set & set(f.suggestion.tags))
    History(demo_project).push(add_need(demo_project, {"room_id": f.suggestion.room_id, "item_type_id": alike.id,
                                                       "quantity": "1"}))
    assert i in findings.covered_findings(demo_project, found)


def test_shapes_outline_the_rooms_and_counters_of_the_findings_in_two_queries(demo_project):
    found = findings.check_standards(demo_project).findings
    with sql_statements(demo_project) as seen:
        shapes = findings.finding_shapes(demo_project, found)
    assert len(seen) == 2
    assert set(shapes.outlines) == {f.room_id for f in found if f.room_id is not None}
    assert set(shapes.counters) == {c for f in found for c in f.counter_ids}
    room = demo_project.get(Room, next(iter(shapes.outlines)))
    assert shapes.outlines[room.id] == room.outline
    assert findings.room_centre(demo_project, room.id) == pytest.approx(geometry.centroid(room.outline))
    assert findings.room_centre(demo_project, 10_000_000) is None


# --- visits --------------------------------------------------------------------------------------

def test_visits_come_newest_first_with_their_findings_and_linked_needs_in_five_queries(demo_project):
    with sql_statements(demo_project) as seen:
        shown = visits.visits(demo_project)
        linked = visits.needs_by_finding(demo_project)
        texts = [(f.text, f.room.name if f.room else None) for v in shown for f in v.findings]
        texts += [(n.item_type.name, n.room.name) for ns in linked.values() for n in ns]
    assert len(seen) == 6  # visits, findings, rooms; needs, item types, rooms
    assert len(shown) == count(demo_project, Visit)
    assert [v.date for v in shown] == sorted((v.date for v in shown), reverse=True)
    assert sum(len(v.findings) for v in shown) == count(demo_project, VisitFinding)
    assert {k: len(ns) for k, ns in linked.items()} == {
        fid: count(demo_project, Need, Need.visit_finding_id == fid) for fid in linked}
    assert texts


def test_pick_lists_of_the_need_and_finding_forms(demo_project):
    choices = visits.finding_choices(demo_project)
    assert len(choices) == count(demo_project, VisitFinding)
    first = demo_project.get(VisitFinding, choices[0].id)
    assert (choices[0].visit_date, choices[0].text) == (first.visit.date, first.text)
    needs = visits.need_choices(demo_project)
    assert len(needs) == count(demo_project, Need)
    need = demo_project.get(Need, needs[0].id)
    assert needs[0] == visits.NeedChoice(need.id, need.room.name, need.item_type.name, need.quantity,
                                         need.visit_finding_id)
    assert visits.default_planned_year(demo_project) == demo_project.site.fiscal_year == 2024
