"""Gap = required - usable, per room and item type (usable: condition B, and KB if chosen)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from mpp_planner.model.inventory import Condition


@dataclass(frozen=True)
class Gap:
    room_id: int
    item_type_id: int
    required: Decimal
    usable: Decimal

    @property
    def missing(self) -> Decimal:
        return max(self.required - self.usable, Decimal(0))


def usable_quantities(items: Iterable, *, count_kb: bool = False) -> dict[tuple[int, int], Decimal]:
    """Sum of usable quantities per (room_id, item_type_id)."""
    ok = {Condition.B.value} | ({Condition.KB.value} if count_kb else set())
    totals: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for item in items:
        if item.room_id is not None and item.condition in ok:
            totals[(item.room_id, item.item_type_id)] += item.quantity
    return totals


def compute_gaps(needs: Iterable, items: Iterable, *, count_kb: bool = False) -> dict[int, Gap]:
    """Gap per need id. Several needs for the same room and type share the usable stock in order."""
    usable = usable_quantities(items, count_kb=count_kb)
    left = dict(usable)
    out: dict[int, Gap] = {}
    for need in sorted(needs, key=lambda n: n.id):
        key = (need.room_id, need.item_type_id)
        have = left.get(key, Decimal(0))
        used = min(have, need.quantity)
        left[key] = have - used
        out[need.id] = Gap(need.room_id, need.item_type_id, need.quantity, used)
    return out


@dataclass(frozen=True)
class GapTotal:
    """Open needs (gap above zero) and the cost of their gaps at reference prices."""

    open_needs: int = 0
    cost: Decimal = Decimal("0.00")

    def __add__(self, other: "GapTotal") -> "GapTotal":
        return GapTotal(self.open_needs + other.open_needs, self.cost + other.cost)


def gap_cost(need, gap: Gap) -> Decimal:
    """Missing quantity x the item type's reference price, rounded half-up to the sen."""
    from mpp_planner.model.money import to_sen

    return to_sen(gap.missing * need.item_type.ref_price)


def gap_totals(needs: Iterable, gaps: dict[int, Gap]) -> tuple[dict[int, GapTotal], GapTotal]:
    """Per room and overall: how many needs are open and what closing their gaps costs."""
    per_room: dict[int, GapTotal] = defaultdict(GapTotal)
    for need in needs:
        gap = gaps[need.id]
        if gap.missing > 0:
            per_room[need.room_id] += GapTotal(1, gap_cost(need, gap))
    total = sum(per_room.values(), GapTotal())
    return dict(per_room), total
