"""Allocation maths: weekday schedules, double bookings, totals per agency and tier."""

from decimal import Decimal

from mpp_planner.model.agency import Weekday
from mpp_planner.model.allocation import (AgencyRec, AssignmentRec, CounterRec, compute_allocation, days_text,
                                          load_allocation)

MON, TUE, WED, THU, FRI, SAT = (int(d) for d in (Weekday.MON, Weekday.TUE, Weekday.WED, Weekday.THU, Weekday.FRI,
                                                 Weekday.SAT))
WORK = MON | TUE | WED | THU | FRI
NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

IMI = AgencyRec(1, "Kantor Imigrasi", "Imigrasi", "pusat", "#111111", ("Paspor",))
TAS = AgencyRec(2, "PT Taspen", "Taspen", "bumn", "#222222", ("Pensiun", "Klaim"))
CAP = AgencyRec(3, "Dispendukcapil", "Capil", "kab_kota", "#333333", ("KTP", "KK", "Akta"))
BPS = AgencyRec(4, "Badan Pusat Statistik", "BPS", "pusat", "#444444", ())
KEJ = AgencyRec(5, "Kejaksaan Negeri", "Kejari", "pusat", "#555555", ("Tilang",))

C1 = CounterRec(10, "L1-01", 1, "Lantai 1", 1, 2000, 1000, 2)  # 2 m²
C2 = CounterRec(11, "L1-02", 1, "Lantai 1", 1, 1500, 1000, 1)  # 1.5 m²
C3 = CounterRec(12, "L2-01", 2, "Lantai 2", 2, 3000, 1000, 2)  # 3 m²
C4 = CounterRec(13, "L2-02", 2, "Lantai 2", 2, 1000, 1000, 1)  # 1 m², nobody


def alloc(*assignments):
    return compute_allocation([IMI, TAS, CAP, BPS, KEJ], [C1, C2, C3, C4],
                              [AssignmentRec(c.id, a.id, d) for c, a, d in assignments])


def line(allocation, agency):
    return next(ln for ln in allocation.agencies if ln.agency.id == agency.id)


def test_shared_counter_on_different_days_is_no_double_booking_and_area_splits_by_days():
    a = alloc((C3, IMI, TUE | THU), (C3, TAS, WED), (C1, CAP, WORK), (C2, CAP, WORK))
    assert a.double_bookings == []
    imi, tas, cap = line(a, IMI), line(a, TAS), line(a, CAP)
    assert imi.area_m2 == Decimal("2.00") and tas.area_m2 == Decimal("1.00")  # 3 m² split 2:1
    assert cap.area_m2 == Decimal("3.50")
    assert imi.staff == 2 and tas.staff == 2 and cap.staff == 3  # officers of a shared counter differ by day
    assert imi.weekdays == TUE | THU and cap.weekdays == WORK
    assert [c.label for c in cap.counters] == ["L1-01", "L1-02"] and cap.floors == ["Lantai 1"]
    assert imi.slots[0].shared and not cap.slots[0].shared
    assert [c.label for c in a.unassigned] == ["L2-02"]
    assert [x.short_name for x in a.idle_agencies] == ["BPS", "Kejari"]
    assert a.schedule[C3.id] == [(IMI, TUE | THU), (TAS, WED)]


def test_double_booking_is_found_per_counter_and_day_and_splits_the_day():
    a = alloc((C3, IMI, MON | TUE | WED), (C3, KEJ, WED | THU), (C1, CAP, WORK), (C1, TAS, FRI))
    found = {(d.counter.label, d.weekdays, tuple(x.short_name for x in d.agencies)) for d in a.double_bookings}
    assert found == {("L2-01", WED, ("Imigrasi", "Kejari")), ("L1-01", FRI, ("Capil", "Taspen"))}
    # L2-01 3 m² over 4 days: Imigrasi 2.5 days, Kejari 1.5 days
    assert line(a, IMI).area_m2 == Decimal("1.88") and line(a, KEJ).area_m2 == Decimal("1.13")
    # L1-01 2 m² over 5 days: Capil 4.5, Taspen 0.5
    assert line(a, CAP).area_m2 == Decimal("1.80") and line(a, TAS).area_m2 == Decimal("0.20")


def test_two_rows_of_one_agency_on_one_counter_are_one_schedule_without_clash():
    a = alloc((C1, CAP, MON | TUE), (C1, CAP, TUE | WED))
    assert a.double_bookings == []
    assert line(a, CAP).slots[0].weekdays == MON | TUE | WED
    assert len(line(a, CAP).slots) == 1


def test_tier_totals_count_distinct_counters_and_shares_sum_to_one():
    a = alloc((C3, IMI, TUE | THU), (C3, KEJ, MON), (C3, TAS, WED), (C1, CAP, WORK), (C2, CAP, WORK))
    tiers = {t.tier: t for t in a.tiers}
    assert list(tiers) == ["pusat", "kab_kota", "bumn"]  # tier order, only tiers with agencies
    pusat = tiers["pusat"]
    assert pusat.agencies == 3 and pusat.agencies_with_counter == 2
    assert pusat.counters == 1  # Imigrasi and Kejari share L2-01: counted once
    assert pusat.services == 2 and pusat.staff == 4
    assert pusat.area_m2 == line(a, IMI).area_m2 + line(a, KEJ).area_m2 == Decimal("2.25")
    assert tiers["kab_kota"].counters == 2 and tiers["kab_kota"].services == 3
    total_share = sum(t.share for t in a.tiers) + a.unassigned_share
    assert abs(total_share - 1) <= Decimal("0.0003")
    assert a.unassigned_area_m2 == Decimal("1.00")
    assert a.total_area_m2 == Decimal("7.50")
    assert a.assigned_counters == 3 and a.assignment_count == 5
    assert a.total_staff == sum(ln.staff for ln in a.agencies)


def test_counters_text_lists_each_assignment_once_with_days_when_they_differ():
    a = alloc((C3, IMI, TUE | THU), (C4, IMI, MON), (C1, CAP, WORK), (C2, CAP, WORK))
    fmt = lambda m: days_text(m, NAMES, "Mon–Fri")  # noqa: E731
    assert a.counters_text(line(a, IMI), fmt) == "L2-01 (Tue, Thu), L2-02 (Mon)"
    assert a.counters_text(line(a, CAP), fmt) == "L1-01, L1-02"


def test_same_label_on_two_floors_is_qualified():
    twin = CounterRec(20, "L1-01", 2, "Lantai 2", 2)
    a = compute_allocation([CAP], [C1, twin], [AssignmentRec(C1.id, CAP.id, WORK), AssignmentRec(20, CAP.id, WORK)])
    assert a.counters_text(a.agencies[0], str) == "Lantai 1: L1-01; Lantai 2: L1-01"
    assert a.counter_name(twin) == "L1-01 [Lantai 2]"


def test_an_agency_on_two_floors_lists_its_counters_by_floor():
    a = alloc((C1, IMI, MON), (C2, IMI, MON), (C3, IMI, TUE))
    fmt = lambda m: days_text(m, NAMES, "Mon–Fri")  # noqa: E731
    assert a.counters_text(line(a, IMI), fmt) == "Lantai 1: L1-01 (Mon), L1-02 (Mon); Lantai 2: L2-01 (Tue)"


def test_days_text():
    assert days_text(WORK, NAMES, "Mon–Fri") == "Mon–Fri"
    assert days_text(MON | TUE | WED, NAMES, "x") == "Mon–Wed"
    assert days_text(TUE | THU, NAMES, "x") == "Tue, Thu"
    assert days_text(WORK | SAT, NAMES, "x") == "Mon–Sat"
    assert days_text(MON | WED | THU | FRI, NAMES, "x") == "Mon, Wed–Fri"


def test_empty_project_allocation(empty_project):
    a = load_allocation(empty_project.session)
    assert a.agencies == [] and a.tiers == [] and a.total_area_m2 == 0 and a.unassigned_share == 0


def test_demo_allocation_matches_the_demo_schedule(demo_project):
    a = load_allocation(demo_project.session)
    by_short = {ln.agency.short_name: ln for ln in a.agencies}
    imi = by_short["Imigrasi"]
    assert [(s.counter.label, s.weekdays) for s in imi.slots] == [("L2-02", TUE | THU)]
    assert {c.label for c in a.unassigned} == {"L1-18", "L2-14", "L2-15", "L2-16"}
    assert a.double_bookings == []
    assert "BPS" in {x.short_name for x in a.idle_agencies}
    assert sum(len(v) for v in a.schedule.values()) == a.assignment_count
