"""Counter allocation maths: who serves at which counter on which weekdays, totals per agency
and per tier, and the warnings a manager must see (agencies without a counter, counters without
an agency, double bookings).

Pure functions of plain records; :func:`load_allocation` reads those records from a session with
a few batched queries. No Qt, no report library.

Rules (also shown to users in the exports' notes):

- An agency's *counter area* is its share of each counter it serves: a counter shared on
  different weekdays is split by the days served (Imigrasi Tue+Thu and Taspen Wed on one counter
  get 2/3 and 1/3 of its area); on a double-booked day the agencies split that day.
- An agency's *staff* is the staff count of every counter it serves (the officers of a shared
  counter are different people on different days).
- A tier's *counters* are the distinct counters its agencies serve, so a counter two agencies of
  one tier share counts once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from mpp_planner.model.agency import Tier, Weekday

CENT = Decimal("0.01")
WORKDAYS = int(Weekday.workdays())
ALL_DAYS = 127
TIER_ORDER = {t.value: i for i, t in enumerate(Tier)}


# --- input records ---------------------------------------------------------------------

@dataclass(frozen=True)
class AgencyRec:
    id: int
    name: str
    short_name: str
    tier: str
    colour: str = "#7F8C8D"
    services: tuple[str, ...] = ()


@dataclass(frozen=True)
class CounterRec:
    id: int
    label: str
    floor_id: int
    floor_name: str
    floor_order: int = 0
    width: int = 1600
    depth: int = 800
    staff: int = 1

    @property
    def area_mm2(self) -> int:
        return self.width * self.depth

    @property
    def area_m2(self) -> Decimal:
        return _m2(Fraction(self.area_mm2))

    @property
    def sort_key(self):
        return (self.floor_order, self.floor_id, natural_key(self.label), self.id)


@dataclass(frozen=True)
class AssignmentRec:
    counter_id: int
    agency_id: int
    weekdays: int


# --- results -----------------------------------------------------------------------------

@dataclass
class Slot:
    """One agency at one counter, on ``weekdays``."""

    counter: CounterRec
    weekdays: int
    area: Fraction  # mm², this agency's share of the counter
    shared: bool  # other agencies serve at this counter too (on any day)


@dataclass
class AgencyLine:
    agency: AgencyRec
    slots: list[Slot] = field(default_factory=list)

    @property
    def weekdays(self) -> int:
        mask = 0
        for s in self.slots:
            mask |= s.weekdays
        return mask

    @property
    def counters(self) -> list[CounterRec]:
        return [s.counter for s in self.slots]

    @property
    def floors(self) -> list[str]:
        seen: list[str] = []
        for s in self.slots:
            if s.counter.floor_name not in seen:
                seen.append(s.counter.floor_name)
        return seen

    @property
    def area_m2(self) -> Decimal:
        return _m2(sum((s.area for s in self.slots), Fraction(0)))

    @property
    def staff(self) -> int:
        return sum(s.counter.staff for s in self.slots)

    @property
    def service_count(self) -> int:
        return len(self.agency.services)

    @property
    def uniform_days(self) -> bool:
        """All its counters have the same days (then one weekday column says it all)."""
        return len({s.weekdays for s in self.slots}) <= 1


@dataclass
class TierLine:
    tier: str
    agencies: int = 0
    agencies_with_counter: int = 0
    counters: int = 0
    services: int = 0
    staff: int = 0
    area_m2: Decimal = Decimal("0.00")
    share: Decimal = Decimal("0")  # fraction of all counter area, 0..1


@dataclass
class DoubleBooking:
    counter: CounterRec
    weekdays: int  # the days on which these agencies collide
    agencies: tuple[AgencyRec, ...]


@dataclass
class Allocation:
    agencies: list[AgencyLine]  # every agency, tier order then name
    tiers: list[TierLine]  # tiers that have agencies, in tier order
    counters: list[CounterRec]  # every counter, floor order then label
    schedule: dict[int, list[tuple[AgencyRec, int]]]  # counter id -> [(agency, weekdays)]
    unassigned: list[CounterRec]
    idle_agencies: list[AgencyRec]
    double_bookings: list[DoubleBooking]
    ambiguous_labels: set[str]  # labels used on more than one floor

    @property
    def total_area_m2(self) -> Decimal:
        """All counter area, assigned or not (sum of the rounded parts shown)."""
        return sum((t.area_m2 for t in self.tiers), Decimal("0.00")) + self.unassigned_area_m2

    @property
    def unassigned_area_m2(self) -> Decimal:
        return _m2(sum((Fraction(c.area_mm2) for c in self.unassigned), Fraction(0)))

    @property
    def unassigned_share(self) -> Decimal:
        total = sum(Fraction(c.area_mm2) for c in self.counters)
        if not total:
            return Decimal(0)
        return _ratio(sum((Fraction(c.area_mm2) for c in self.unassigned), Fraction(0)) / total)

    @property
    def total_share(self) -> Decimal:
        """The whole counter area: 1 (100 %), or 0 without counters; not a sum of rounded shares."""
        return Decimal(1) if any(c.area_mm2 for c in self.counters) else Decimal(0)

    @property
    def assigned_counters(self) -> int:
        return len(self.counters) - len(self.unassigned)

    @property
    def total_staff(self) -> int:
        return sum(line.staff for line in self.agencies)

    @property
    def total_services(self) -> int:
        return sum(line.service_count for line in self.agencies)

    @property
    def assignment_count(self) -> int:
        return sum(len(line.slots) for line in self.agencies)

    def lines_of(self, tier: str) -> list[AgencyLine]:
        return [line for line in self.agencies if line.agency.tier == tier]

    def counter_name(self, counter: CounterRec) -> str:
        """The label, qualified by its floor when the same label is used on several floors."""
        if counter.label in self.ambiguous_labels:
            return f"{counter.label} [{counter.floor_name}]"
        return counter.label

    def counters_text(self, line: AgencyLine, days_text, shared_mark: str = "") -> str:
        """"L1-03, L1-04"; "L2-02 (Tue, Thu), L2-05 (Mon)" when its counters have different days;
        grouped by floor ("Lantai 1: L1-03; Lantai 2: L2-01") when it serves on several floors or a
        label is used on several floors. Every (counter, agency) assignment appears exactly once.
        ``days_text(mask)`` formats weekdays; ``shared_mark`` follows the label of a counter other
        agencies serve too ("L2-03*")."""
        def token(slot: Slot) -> str:
            label = slot.counter.label + (shared_mark if slot.shared else "")
            return label if line.uniform_days else f"{label} ({days_text(slot.weekdays)})"

        ambiguous = any(s.counter.label in self.ambiguous_labels for s in line.slots)
        if len(line.floors) <= 1 and not ambiguous:
            return ", ".join(token(s) for s in line.slots)
        groups: dict[int, list[Slot]] = {}
        for s in line.slots:
            groups.setdefault(s.counter.floor_id, []).append(s)
        return "; ".join(f"{slots[0].counter.floor_name}: " + ", ".join(token(s) for s in slots)
                         for slots in groups.values())


# --- maths ---------------------------------------------------------------------------------

def natural_key(text: str):
    """"L1-2" sorts before "L1-10"."""
    import re

    return [int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", text)]


def _m2(mm2: Fraction) -> Decimal:
    value = Decimal(mm2.numerator) / Decimal(mm2.denominator) / Decimal(1_000_000)
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _ratio(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def day_bits(mask: int) -> list[int]:
    return [1 << i for i in range(7) if mask & (1 << i)]


def compute_allocation(agencies: Iterable[AgencyRec], counters: Iterable[CounterRec],
                       assignments: Iterable[AssignmentRec]) -> Allocation:
    agency_by_id = {a.id: a for a in agencies}
    counter_list = sorted(counters, key=lambda c: c.sort_key)
    counter_by_id = {c.id: c for c in counter_list}

    # per counter: agency -> days (several rows of one agency on one counter are one schedule)
    per_counter: dict[int, dict[int, int]] = defaultdict(dict)
    for a in assignments:
        if a.counter_id in counter_by_id and a.agency_id in agency_by_id and a.weekdays:
            agency_days = per_counter[a.counter_id]
            agency_days[a.agency_id] = agency_days.get(a.agency_id, 0) | (a.weekdays & ALL_DAYS)

    lines = {aid: AgencyLine(agency) for aid, agency in agency_by_id.items()}
    schedule: dict[int, list[tuple[AgencyRec, int]]] = {}
    double: list[DoubleBooking] = []
    for counter in counter_list:
        days = per_counter.get(counter.id)
        if not days:
            continue
        order = sorted(days, key=lambda aid: (day_bits(days[aid])[0], agency_by_id[aid].short_name.casefold()))
        schedule[counter.id] = [(agency_by_id[aid], days[aid]) for aid in order]
        union = 0
        for mask in days.values():
            union |= mask
        served = day_bits(union)
        takers = {d: [aid for aid in order if days[aid] & d] for d in served}
        for aid in order:
            share = sum((Fraction(1, len(takers[d])) for d in day_bits(days[aid])), Fraction(0))
            area = Fraction(counter.area_mm2) * share / len(served)
            lines[aid].slots.append(Slot(counter, days[aid], area, shared=len(days) > 1))
        # collisions: days on which more than one agency is booked, grouped by who collides
        clashes: dict[tuple[int, ...], int] = {}
        for d in served:
            if len(takers[d]) > 1:
                who = tuple(takers[d])
                clashes[who] = clashes.get(who, 0) | d
        for who, mask in clashes.items():
            double.append(DoubleBooking(counter, mask, tuple(agency_by_id[a] for a in who)))

    ordered = sorted(lines.values(), key=lambda ln: (TIER_ORDER.get(ln.agency.tier, 99),
                                                     ln.agency.name.casefold(), ln.agency.id))
    total_area = sum((Fraction(c.area_mm2) for c in counter_list), Fraction(0))
    tiers: list[TierLine] = []
    for tier in sorted({ln.agency.tier for ln in ordered}, key=lambda t: TIER_ORDER.get(t, 99)):
        members = [ln for ln in ordered if ln.agency.tier == tier]
        exact = sum((s.area for ln in members for s in ln.slots), Fraction(0))
        tiers.append(TierLine(
            tier=tier, agencies=len(members), agencies_with_counter=sum(1 for ln in members if ln.slots),
            counters=len({s.counter.id for ln in members for s in ln.slots}),
            services=sum(ln.service_count for ln in members), staff=sum(ln.staff for ln in members),
            area_m2=sum((ln.area_m2 for ln in members), Decimal("0.00")),
            share=_ratio(exact / total_area) if total_area else Decimal(0)))

    labels: dict[str, set[int]] = defaultdict(set)
    for c in counter_list:
        labels[c.label].add(c.floor_id)
    return Allocation(
        agencies=ordered, tiers=tiers, counters=counter_list, schedule=schedule,
        unassigned=[c for c in counter_list if c.id not in schedule],
        idle_agencies=[ln.agency for ln in ordered if not ln.slots],
        double_bookings=double,
        ambiguous_labels={label for label, floors in labels.items() if len(floors) > 1})


# --- text ---------------------------------------------------------------------------------

def days_text(mask: int, names: Sequence[str], workweek: str) -> str:
    """Weekdays as short names, runs of three or more as ranges: "Mon–Wed, Fri"; ``workweek``
    for exactly Monday to Friday."""
    if mask == WORKDAYS:
        return workweek
    runs: list[list[int]] = []
    for i in range(7):
        if mask & (1 << i):
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{names[run[0]]}–{names[run[-1]]}")
        else:
            parts.extend(names[i] for i in run)
    return ", ".join(parts)


# --- reading a project ---------------------------------------------------------------------

def load_allocation(session) -> Allocation:
    """Read agencies, services, counters and assignments in four queries and compute."""
    from sqlalchemy import select

    from mpp_planner.model.agency import Agency, CounterAssignment, Service
    from mpp_planner.model.plan import Counter, Floor

    services: dict[int, list[str]] = defaultdict(list)
    for agency_id, name in session.execute(select(Service.agency_id, Service.name).order_by(Service.id)):
        services[agency_id].append(name)
    agencies = [AgencyRec(r.id, r.name, r.short_name, r.tier, r.colour, tuple(services.get(r.id, ())))
                for r in session.execute(select(Agency.id, Agency.name, Agency.short_name, Agency.tier,
                                                Agency.colour))]
    counters = [CounterRec(r.id, r.label, r.floor_id, r.name, r.order or 0, r.width, r.depth, r.staff_count)
                for r in session.execute(
                    select(Counter.id, Counter.label, Counter.floor_id, Floor.name, Floor.order, Counter.width,
                           Counter.depth, Counter.staff_count).join(Floor, Floor.id == Counter.floor_id))]
    assignments = [AssignmentRec(r.counter_id, r.agency_id, r.weekdays) for r in session.execute(
        select(CounterAssignment.counter_id, CounterAssignment.agency_id, CounterAssignment.weekdays))]
    return compute_allocation(agencies, counters, assignments)
