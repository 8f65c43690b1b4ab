"""Gap = required - usable, per need, per room and in total, with cost at reference prices."""

from decimal import Decimal
from types import SimpleNamespace as NS

from mpp_planner.model.gaps import GapTotal, compute_gaps, gap_cost, gap_totals

D = Decimal
CHAIR = NS(id=1, ref_price=D("850000"))
MAT = NS(id=2, ref_price=D("1333.335"))  # a price with a half sen to round


def need(id_, room, it, qty):
    return NS(id=id_, room_id=room, item_type_id=it.id, item_type=it, quantity=D(qty))


def item(room, it, qty, cond="B"):
    return NS(room_id=room, item_type_id=it.id, quantity=D(qty), condition=cond)


def test_gap_is_required_minus_usable_and_never_negative():
    needs = [need(1, 10, CHAIR, 6), need(2, 11, CHAIR, 2)]
    items = [item(10, CHAIR, 4), item(11, CHAIR, 5)]
    gaps = compute_gaps(needs, items)
    assert (gaps[1].usable, gaps[1].missing) == (D(4), D(2))
    assert (gaps[2].usable, gaps[2].missing) == (D(2), D(0))


def test_only_good_items_are_usable_unless_fair_ones_are_counted():
    needs = [need(1, 10, CHAIR, 6)]
    items = [item(10, CHAIR, 2), item(10, CHAIR, 3, "KB"), item(10, CHAIR, 4, "RB"), item(None, CHAIR, 9)]
    assert compute_gaps(needs, items)[1].missing == D(4)
    assert compute_gaps(needs, items, count_kb=True)[1].missing == D(1)  # RB never counts


def test_several_needs_share_the_stock_in_order():
    needs = [need(2, 10, CHAIR, 3), need(1, 10, CHAIR, 3)]
    gaps = compute_gaps(needs, [item(10, CHAIR, 4)])
    assert (gaps[1].usable, gaps[1].missing) == (D(3), D(0))  # the older need is served first
    assert (gaps[2].usable, gaps[2].missing) == (D(1), D(2))


def test_totals_per_room_and_overall_with_cost_rounded_to_the_sen():
    needs = [need(1, 10, CHAIR, 6), need(2, 10, MAT, 1), need(3, 11, CHAIR, 1), need(4, 12, CHAIR, 1)]
    items = [item(10, CHAIR, 4), item(12, CHAIR, 1)]
    gaps = compute_gaps(needs, items)
    assert gap_cost(needs[1], gaps[2]) == D("1333.34")  # half-up
    per_room, total = gap_totals(needs, gaps)
    assert per_room[10] == GapTotal(2, D("1700000.00") + D("1333.34"))
    assert per_room[11] == GapTotal(1, D("850000.00"))
    assert 12 not in per_room  # no open gap there
    assert total == GapTotal(3, D("2551333.34"))
    assert total.cost == sum(t.cost for t in per_room.values())
