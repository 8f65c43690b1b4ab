"""Value types and validation at the model boundary (no Qt, no file)."""

from datetime import date
from decimal import Decimal

import pytest

from mpp_planner import formats
from mpp_planner.model import Agency, BudgetLine, Counter, InventoryItem, ItemType, Room, Signatory, ValidationError
from mpp_planner.model import geometry, money
from mpp_planner.model.gaps import compute_gaps


def test_polygon_area_and_centroid():
    square = [[0, 0], [4000, 0], [4000, 3000], [0, 3000]]
    assert geometry.area_m2(square) == 12.0
    assert geometry.centroid(square) == (2000, 1500)
    l_shape = [[0, 0], [6000, 0], [6000, 2000], [2000, 2000], [2000, 5000], [0, 5000]]
    assert geometry.area_m2(l_shape) == pytest.approx(12 + 6)


def test_self_intersection_detected():
    bowtie = [[0, 0], [4000, 4000], [4000, 0], [0, 4000]]
    assert not geometry.is_simple_polygon(bowtie)
    assert geometry.is_simple_polygon([[0, 0], [4000, 0], [4000, 4000], [0, 4000]])


@pytest.mark.parametrize("outline, message", [
    ([[0, 0], [1000, 0]], "three"),
    ([[0, 0], [1000, 0], [2000, 0]], "area"),
    ([[0, 0], [4000, 4000], [4000, 0], [0, 4000]], "cross"),
    ("not points", "list of points"),
])
def test_room_outline_refused(outline, message):
    with pytest.raises(ValidationError) as err:
        Room(name="X", kind="other", outline=outline)
    assert message in str(err.value)


def test_room_kind_and_name_validated():
    with pytest.raises(ValidationError):
        Room(name="  ", kind="other", outline=[[0, 0], [1000, 0], [1000, 1000]])
    with pytest.raises(ValidationError, match="unknown value"):
        Room(name="R", kind="ballroom", outline=[[0, 0], [1000, 0], [1000, 1000]])


def test_counter_bounds():
    c = Counter(label="A1", x=1000.4, y=-5, width=1600, depth=800, rotation=450)
    assert (c.x, c.y, c.rotation) == (1000, -5, 90.0)
    with pytest.raises(ValidationError):
        Counter(label="A1", x=10**9, y=0)
    with pytest.raises(ValidationError):
        Counter(label="A1", x=0, y=0, width=0)
    with pytest.raises(ValidationError):
        Counter(label="A1", x=0, y=0, rotation="abc")


def test_agency_colour_tier_and_date():
    a = Agency(name="Dinas X", short_name="DX", tier="kab_kota", colour="#1f4e99", mou_date=date(2019, 5, 20))
    assert a.colour == "#1F4E99"
    with pytest.raises(ValidationError, match="colour"):
        Agency(name="Dinas X", short_name="DX", tier="kab_kota", colour="blue-ish")
    with pytest.raises(ValidationError, match="unknown value"):
        Agency(name="Dinas X", short_name="DX", tier="kecamatan")
    with pytest.raises(ValidationError):
        Agency(name="Dinas X", short_name="DX", tier="pusat", mou_date="31-02-2019")


def test_nip_must_have_18_digits():
    s = Signatory(role="head", title="Kepala", name="A", nip="19780903 200701 2 001")
    assert s.nip == "197809032007012001"
    assert formats.nip(s.nip) == "19780903 200701 2 001"
    with pytest.raises(ValidationError, match="18 digits"):
        Signatory(role="head", title="Kepala", name="A", nip="12345")


def test_money_and_quantities():
    it = ItemType(key="kursi", name="Kursi", category="Mebel", unit="unit", ref_price="3500000",
                  account_code="5.2.02.05.02.0001")
    assert it.ref_price == Decimal("3500000.00")
    for bad in ("-1", "abc", "1e17", float("nan")):
        with pytest.raises(ValidationError):
            ItemType(key="k", name="K", category="C", unit="unit", ref_price=bad, account_code="5.2.02")
    with pytest.raises(ValidationError, match="pattern"):
        ItemType(key="k", name="K", category="C", unit="unit", ref_price=1, account_code="52.02")
    with pytest.raises(ValidationError, match="whole number"):
        InventoryItem(item_type=it, quantity="1.5")
    with pytest.raises(ValidationError, match="negative"):
        InventoryItem(item_type=it, quantity=-2)


def test_budget_line_amounts_and_rounding():
    line = BudgetLine(fiscal_year=2024, account_code="5.1.02.03.02.0121", description="Pemeliharaan AC",
                      factors=[["2", "Unit"], ["12", "Bulan"]], unit="Unit/Bulan", unit_price="150000",
                      ppn_applied=True, ppn_rate="11")
    assert line.coefficient == 24
    assert line.coefficient_text == "2 Unit x 12 Bulan"
    assert line.base_amount == Decimal("3600000.00")
    assert line.ppn_amount == Decimal("396000.00")
    assert line.amount == Decimal("3996000.00")
    # 1,000 lines of Rp333.333 x 3 add up exactly
    lines = [money.line_base([["3", "Unit"]], Decimal("333333")) for _ in range(1000)]
    assert money.total(lines) == Decimal("999999000")
    # half-up to the sen
    assert money.line_ppn(Decimal("0.05"), Decimal("11"), True) == Decimal("0.01")
    with pytest.raises(ValidationError):
        BudgetLine(fiscal_year=2024, account_code="5.2.02", description="x", factors=[], unit_price=1)
    with pytest.raises(ValidationError):
        BudgetLine(fiscal_year=2024, account_code="5.2.02", description="x", factors=[["-2", "Unit"]], unit_price=1)


def test_formats_indonesian_and_english():
    assert formats.rupiah(Decimal("1250000"), lang="id") == "Rp1.250.000"
    assert formats.rupiah(Decimal("1250000"), cents=True, lang="id") == "Rp1.250.000,00"
    assert formats.rupiah(Decimal("1250000"), lang="en") == "Rp1,250,000"
    assert formats.long_date(date(2023, 12, 15), lang="id") == "15 Desember 2023"
    assert formats.long_date(date(2023, 12, 15), lang="en") == "15 December 2023"
    assert formats.area(12.5, lang="id") == "12,50 m²"


class _N:
    def __init__(self, id, room_id, item_type_id, quantity):
        self.id, self.room_id, self.item_type_id, self.quantity = id, room_id, item_type_id, Decimal(quantity)


class _I:
    def __init__(self, room_id, item_type_id, quantity, condition):
        self.room_id, self.item_type_id = room_id, item_type_id
        self.quantity, self.condition = Decimal(quantity), condition


def test_gap_counts_usable_items_only():
    needs = [_N(1, 10, 5, 4)]
    items = [_I(10, 5, 1, "B"), _I(10, 5, 2, "KB"), _I(10, 5, 3, "RB"), _I(11, 5, 9, "B")]
    assert compute_gaps(needs, items)[1].missing == 3
    assert compute_gaps(needs, items, count_kb=True)[1].missing == 1


def test_clip_to_box_keeps_the_inside_part():
    square = [(0, 0), (10, 0), (10, 10), (0, 10)]
    clipped = geometry.clip_to_box(square, 5, -5, 20, 5)
    assert sorted(clipped) == [(5, 0), (5, 5), (10, 0), (10, 5)]
    diamond = [(0, 5), (5, 0), (10, 5), (5, 10)]
    assert geometry.area_m2(geometry.clip_to_box(diamond, 0, 0, 5, 10)) == geometry.area_m2(diamond) / 2
    assert geometry.clip_to_box(square, 20, 20, 30, 30) == []
