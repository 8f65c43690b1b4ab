"""Agency and schedule commands: validation, undo/redo to the exact rows, the file on disk."""

from datetime import date

import pytest
from sqlalchemy import func, select

from mpp_planner.commands import History
from mpp_planner.commands.agencies import (AddAgency, AssignAgency, DeleteAgency, EditAgency, SetSchedule,
                                           UnassignAgency)
from mpp_planner.model import Agency, Counter, CounterAssignment, Service, ValidationError, Weekday
from mpp_planner.model.agency import counter_service
from mpp_planner.model.allocation import load_allocation
from tests.conftest import reopen

MON, TUE, WED, THU, FRI = 1, 2, 4, 8, 16
WORK = int(Weekday.workdays())


def rows(project, counter_id=None):
    stmt = select(CounterAssignment.id, CounterAssignment.counter_id, CounterAssignment.agency_id,
                  CounterAssignment.weekdays).order_by(CounterAssignment.id)
    if counter_id is not None:
        stmt = stmt.where(CounterAssignment.counter_id == counter_id)
    return [tuple(r) for r in project.session.execute(stmt)]


def links(project):
    return set(project.session.execute(select(counter_service.c.counter_id, counter_service.c.service_id)))


def counter(project, label):
    return project.session.scalar(select(Counter).where(Counter.label == label))


def agency(project, short):
    return project.session.scalar(select(Agency).where(Agency.short_name == short))


def test_add_edit_delete_agency_with_undo_and_reopen(demo_project):
    h = History(demo_project)
    n0 = demo_project.session.scalar(select(func.count()).select_from(Agency))
    cmd = AddAgency({"name": "Badan Narkotika Nasional Kota Probolinggo", "short_name": "BNN", "tier": "pusat",
                     "colour": "#123abc", "mou_number": "PKS/01/2024", "mou_date": date(2024, 2, 1)},
                    ["Tes urine", "Konsultasi"])
    h.push(cmd)
    aid = cmd.agency_id
    a = demo_project.get(Agency, aid)
    assert a.colour == "#123ABC" and [s.name for s in a.services] == ["Tes urine", "Konsultasi"]
    sids = [s.id for s in a.services]
    edit = EditAgency(aid, {"phone": "0335-1", "short_name": "BNNK"},
                      [(sids[1], "Konsultasi P4GN"), (None, "Rehabilitasi")])
    h.push(edit)
    a = demo_project.get(Agency, aid)
    assert a.short_name == "BNNK" and a.phone == "0335-1"
    assert [s.name for s in a.services] == ["Konsultasi P4GN", "Rehabilitasi"]
    h.undo()
    a = demo_project.get(Agency, aid)
    assert a.short_name == "BNN" and [(s.id, s.name) for s in a.services] == [(sids[0], "Tes urine"),
                                                                               (sids[1], "Konsultasi")]
    h.redo()
    h.undo()
    h.undo()
    assert demo_project.get(Agency, aid) is None
    h.redo()
    h.redo()
    project = reopen(demo_project)
    try:
        a = project.get(Agency, aid)
        assert a.short_name == "BNNK" and a.mou_date == date(2024, 2, 1) and len(a.services) == 2
        assert project.session.scalar(select(func.count()).select_from(Agency)) == n0 + 1
    finally:
        project.close()


@pytest.mark.parametrize("fields, field", [
    ({"name": "polres probolinggo  kota", "short_name": "X1", "tier": "pusat"}, "name"),
    ({"name": "Baru", "short_name": "bpjs kesehatan", "tier": "pusat"}, "short_name"),
    ({"name": "Baru", "short_name": "B", "tier": "kecamatan"}, "tier"),
    ({"name": "Baru", "short_name": "B", "tier": "pusat", "colour": "merah"}, "colour"),
    ({"name": "  ", "short_name": "B", "tier": "pusat"}, "name"),
])
def test_add_agency_refuses_bad_input_and_changes_nothing(demo_project, fields, field):
    before = demo_project.session.scalar(select(func.count()).select_from(Agency))
    with pytest.raises(ValidationError) as exc:
        History(demo_project).push(AddAgency(fields, ["x"]))
    assert exc.value.field == field
    demo_project.session.rollback()
    assert demo_project.session.scalar(select(func.count()).select_from(Agency)) == before


def test_edit_to_a_duplicate_name_is_refused(demo_project):
    pos = agency(demo_project, "Pos")
    with pytest.raises(ValidationError):
        History(demo_project).push(EditAgency(pos.id, {"name": "PT Taspen (Persero) Cabang Malang"}))
    assert demo_project.get(Agency, pos.id).name != "PT Taspen (Persero) Cabang Malang"


def test_delete_agency_unassigns_its_counters_and_undo_restores_rows_and_links(demo_project):
    h = History(demo_project)
    capil = agency(demo_project, "Dispendukcapil")
    before_rows, before_links = rows(demo_project), links(demo_project)
    mine = [r for r in before_rows if r[2] == capil.id]
    assert len(mine) == 3
    h.push(DeleteAgency([capil.id], ["Dispendukcapil"]))
    assert [r for r in rows(demo_project) if r[2] == capil.id] == []
    assert demo_project.session.scalar(select(func.count()).select_from(Service)
                                       .where(Service.agency_id == capil.id)) == 0
    h.undo()
    assert rows(demo_project) == before_rows and links(demo_project) == before_links
    h.redo()
    project = reopen(demo_project)
    try:
        assert project.get(Agency, capil.id) is None
        assert load_allocation(project.session).unassigned  # its counters are free now
    finally:
        project.close()


def test_assign_shares_a_counter_on_other_days_and_undo_restores_exact_rows(demo_project):
    h = History(demo_project)
    c = counter(demo_project, "L2-14")  # empty in the demo
    imi, tas = agency(demo_project, "Imigrasi"), agency(demo_project, "Taspen")
    h.push(AssignAgency([c.id], imi.id, TUE | THU))
    h.push(AssignAgency([c.id], tas.id, WED))
    got = rows(demo_project, c.id)
    assert [(r[2], r[3]) for r in got] == [(imi.id, TUE | THU), (tas.id, WED)]
    alloc = load_allocation(demo_project.session)
    assert not [d for d in alloc.double_bookings if d.counter.id == c.id]
    # services followed the agencies
    svc = {s.id for s in imi.services} | {s.id for s in tas.services}
    assert {sid for cid, sid in links(demo_project) if cid == c.id} == svc
    h.undo()
    assert rows(demo_project, c.id) == got[:1]
    h.undo()
    assert rows(demo_project, c.id) == [] and not [1 for cid, _s in links(demo_project) if cid == c.id]
    h.redo()
    h.redo()
    assert rows(demo_project, c.id) == got  # same ids again
    project = reopen(demo_project)
    try:
        assert rows(project, c.id) == got
    finally:
        project.close()


def test_assign_overlapping_days_is_a_double_booking_unless_exclusive(demo_project):
    h = History(demo_project)
    c = counter(demo_project, "L2-02")  # Imigrasi Tue+Thu, Taspen Wed
    kej = agency(demo_project, "Kejari")
    h.push(AssignAgency([c.id], kej.id, THU | FRI))
    clash = [d for d in load_allocation(demo_project.session).double_bookings if d.counter.id == c.id]
    assert len(clash) == 1 and clash[0].weekdays == THU
    h.undo()
    h.push(AssignAgency([c.id], kej.id, THU | FRI, exclusive=True))
    by_agency = {demo_project.get(Agency, r[2]).short_name: r[3] for r in rows(demo_project, c.id)}
    assert by_agency == {"Imigrasi": TUE, "Taspen": WED, "Kejari": THU | FRI}
    h.push(AssignAgency([c.id], kej.id, WORK, exclusive=True))  # takes every day: the others leave
    assert [demo_project.get(Agency, r[2]).short_name for r in rows(demo_project, c.id)] == ["Kejari"]
    h.undo()
    assert {demo_project.get(Agency, r[2]).short_name: r[3] for r in rows(demo_project, c.id)} == by_agency


def test_unassign_days_agency_and_all(demo_project):
    h = History(demo_project)
    c = counter(demo_project, "L2-02")
    imi = agency(demo_project, "Imigrasi")
    before = rows(demo_project, c.id)
    h.push(UnassignAgency([c.id], imi.id, THU))
    assert {r[2]: r[3] for r in rows(demo_project, c.id)}[imi.id] == TUE
    h.push(UnassignAgency([c.id], imi.id))
    assert imi.id not in {r[2] for r in rows(demo_project, c.id)}
    h.push(UnassignAgency([c.id]))
    assert rows(demo_project, c.id) == []
    for _ in range(3):
        h.undo()
    assert rows(demo_project, c.id) == before


def test_set_schedule_and_refusals(demo_project):
    h = History(demo_project)
    c = counter(demo_project, "L2-05")
    kej, dishub = agency(demo_project, "Kejari"), agency(demo_project, "Dishub")
    before = rows(demo_project, c.id)
    h.push(SetSchedule(c.id, {dishub.id: MON | TUE, kej.id: WED | THU | FRI}))
    got = {r[2]: (r[0], r[3]) for r in rows(demo_project, c.id)}
    assert got[kej.id][1] == WED | THU | FRI and got[dishub.id][1] == MON | TUE
    assert {r[0] for r in rows(demo_project, c.id)} == {r[0] for r in before}  # rows kept, days changed
    h.undo()
    assert rows(demo_project, c.id) == before
    with pytest.raises(ValidationError):
        h.push(AssignAgency([c.id], kej.id, 0))
    with pytest.raises(LookupError):
        h.push(AssignAgency([c.id], 99999, MON))
    with pytest.raises(LookupError):
        h.push(AssignAgency([99999], kej.id, MON))
    assert rows(demo_project, c.id) == before
