"""The Agencies tab's reads, without Qt: the register, one agency, several, and the allocation —
each in a fixed number of queries, whatever the number of agencies."""

from __future__ import annotations



from mpp_planner.commands.agencies import AddAgency, AssignAgency
from mpp_planner.model import Counter, Floor
from mpp_planner.reads import agencies as reads
from tests.helpers import sql_statements


def test_register_lists_every_agency_by_name_with_its_services_in_two_queries(demo_project):
    with sql_statements(demo_project) as queries:
        rows = reads.register(demo_project)
        services = {a.short_name: [s.name for s in a.services] for a in rows}  # already loaded
    assert len(queries) == 2
    names = [a.name for a in rows]
    assert names == sorted(names) and len(rows) > 20
    assert len(services["Dispendukcapil"]) == 5


def test_one_agency_and_several_in_the_order_asked(demo_project):
    rows = reads.register(demo_project)
    first, last = rows[0], rows[-1]
    assert reads.agency(demo_project, first.id) is first
    assert reads.agency(demo_project, 10_000) is None
    assert reads.agencies(demo_project, [last.id, 10_000, first.id, last.id]) == [last, first]
    assert reads.agencies(demo_project, []) == []


def test_allocation_answers_the_overview_in_four_queries(demo_project):
    with sql_statements(demo_project) as queries:
        allocation = reads.allocation(demo_project)
    assert len(queries) == 4
    by_short = {line.agency.short_name: line for line in allocation.agencies}
    assert len(by_short) == len(reads.register(demo_project))
    capil = by_short["Dispendukcapil"]
    assert [c.label for c in capil.counters][:3] == ["L1-03", "L1-04", "L1-05"]
    l202 = next(c for c in allocation.counters if c.label == "L2-02")
    assert {a.short_name: days for a, days in allocation.schedule[l202.id]} == {"Imigrasi": 2 | 8, "Taspen": 4}
    assert [a.short_name for a in allocation.idle_agencies] == ["BPS", "PLN", "INI"]


def test_reads_follow_the_edits(empty_project):
    with empty_project.edit() as s:
        floor = Floor(name="Lantai 1", order=1)
        floor.counters.append(Counter(label="A1", x=0, y=0, width=1600, depth=800))
        s.add(floor)
    assert reads.register(empty_project) == [] and reads.allocation(empty_project).unassigned
    add = AddAgency({"name": "Badan Pusat Statistik", "short_name": "BPS", "tier": "pusat", "colour": "#123456"},
                    ["Data"])
    add.redo(empty_project)
    [bps] = reads.register(empty_project)
    assert bps.short_name == "BPS" and [s.name for s in bps.services] == ["Data"]
    counter_id = floor.counters[0].id
    AssignAgency([counter_id], bps.id, 1).redo(empty_project)
    allocation = reads.allocation(empty_project)
    assert allocation.unassigned == [] and allocation.schedule[counter_id][0][1] == 1
