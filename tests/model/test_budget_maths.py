"""Budget maths: coefficients, PPN, the rounding rule, account subtotals, totals, typed input."""

from decimal import Decimal

import pytest

from mpp_planner.model import BudgetLine, ValidationError, money
from mpp_planner.model.budget_input import (check_title_template, format_title, parse_coefficient, parse_money,
                                            parse_rate)
from mpp_planner.model.budget_summary import (CeilingCheck, account_chain, budgeted_years, flatten, group_by_account,
                                              totals, totals_by_priority, totals_by_room)


def line(code="5.2.02.05.02.0001", factors=(("2", "Unit"),), price="1000000", ppn=True, rate="11", status="requested",
         approved=None, priority=2, room=1, position=1, ident=1, need=None, year=2024):
    return BudgetLine(id=ident, fiscal_year=year, account_code=code, description="Kursi",
                      factors=[list(f) for f in factors], unit="Unit", unit_price=Decimal(price), ppn_applied=ppn,
                      ppn_rate=Decimal(rate), status=status,
                      approved_amount=None if approved is None else Decimal(approved),
                      priority=priority, room_id=room, position=position, need_id=need)


def test_coefficient_of_up_to_four_factors():
    b = line(factors=(("2", "Unit"), ("12", "Bulan")), price="85000")
    assert b.coefficient == 24
    assert b.coefficient_text == "2 Unit x 12 Bulan"
    assert b.base_amount == Decimal("2040000.00")
    assert line(factors=(("1,5", "m2"), ("2", "Lapis"), ("3", "Kali"), ("4", "Hari"))).coefficient == 36
    assert line(factors=(("1.5", "m2"),)).coefficient_text == "1,5 m2"


def test_ppn_on_and_off_and_rate():
    assert line(price="4000000", factors=(("1", "Unit"),)).amount == Decimal("4440000.00")
    assert line(price="4000000", factors=(("1", "Unit"),), ppn=False).amount == Decimal("4000000.00")
    assert line(price="1000000", factors=(("1", "Unit"),), rate="12").ppn_amount == Decimal("120000.00")


def test_rounding_rule_each_line_to_the_sen_then_exact_sums():
    # Rp333.333 x 3 = 999.999 exactly; 1,000 such lines sum to exactly 999.999.000
    lines = [line(price="333333", factors=(("3", "Unit"),), ppn=False, ident=i) for i in range(1000)]
    assert money.total(b.amount for b in lines) == Decimal("999999000.00")
    # with PPN each line rounds its PPN half-up to the sen: 999.999 x 11 % = 109.999,89
    with_ppn = [line(price="333333", factors=(("3", "Unit"),), ident=i) for i in range(1000)]
    assert with_ppn[0].ppn_amount == Decimal("109999.89")
    assert money.total(b.amount for b in with_ppn) == Decimal("1109998890.00")
    # half a sen rounds up: 0,005 -> 0,01
    assert line(price="0.01", factors=(("0.5", "Unit"),), ppn=False).amount == Decimal("0.01")


def test_account_chain_and_tree_subtotals():
    names = {"5.2.02": "Modal Peralatan", "5.2.02.05": "Alat Kantor dan RT", "5.2.02.05.02": "Alat RT",
             "5.2.02.05.02.0001": "Mebel", "5.2.02.05.02.0004": "Pendingin", "5.2.03": "Gedung"}
    assert account_chain("5.2.02.05.02.0001", names) == ["5.2.02", "5.2.02.05", "5.2.02.05.02", "5.2.02.05.02.0001"]
    assert account_chain("5.2.03.01.01.0001", names) == ["5.2.03", "5.2.03.01.01.0001"]
    lines = [line("5.2.02.05.02.0004", price="1000000", ident=1, position=2),
             line("5.2.02.05.02.0001", price="500000", ident=2, position=1),
             line("5.2.03.01.01.0001", price="10000000", ident=3, position=3, ppn=False),
             line("5.2.02.05.02.0001", price="999", ident=4, position=4, status="rejected"),
             line("5.2.02.05.02.0001", price="100000", ident=5, position=5, status="approved", approved="200000")]
    roots = group_by_account(lines, names)
    assert [r.code for r in roots] == ["5.2.02", "5.2.03"]
    equipment = roots[0]
    # 2 x 1.000.000 x 1,11 + 2 x 500.000 x 1,11 + 2 x 100.000 x 1,11; the rejected line counts nowhere
    assert equipment.requested == Decimal("2220000.00") + Decimal("1110000.00") + Decimal("222000.00")
    assert equipment.approved == Decimal("200000.00")
    assert equipment.line_count == 3
    leaf = equipment.children[0].children[0].children
    assert [n.code for n in leaf] == ["5.2.02.05.02.0001", "5.2.02.05.02.0004"]
    assert [b.id for b in leaf[0].lines] == [2, 4, 5]
    assert roots[1].requested == Decimal("20000000.00")
    assert sum((r.requested for r in roots), Decimal(0)) == totals(lines).requested
    rows = flatten(group_by_account(lines, names, include_rejected=False))
    assert [r.number for r in rows if r.kind == "line"] == [1, 2, 3, 4]
    assert [r.line.id for r in rows if r.kind == "line"] == [2, 5, 1, 3]


def test_totals_per_room_priority_requested_approved_and_ceiling():
    lines = [line(priority=1, room=1, ident=1, status="approved"),  # approved as requested
             line(priority=1, room=2, ident=2, status="approved", approved="1000000"),
             line(priority=3, room=None, ident=3),
             line(priority=2, room=1, ident=4, status="rejected")]
    t = totals(lines)
    assert t.requested == Decimal("6660000.00")
    assert t.approved == Decimal("2220000.00") + Decimal("1000000.00")
    assert t.difference == t.requested - t.approved
    assert (t.lines, t.rejected) == (3, 1)
    prio = totals_by_priority(lines)
    assert list(prio) == [1, 2, 3]
    assert prio[2].requested == 0 and prio[2].rejected == 1
    rooms = totals_by_room(lines)
    assert rooms[None].requested == Decimal("2220000.00")
    over = CeilingCheck(Decimal("5000000"), t.requested)
    assert over.exceeded and over.over == Decimal("1660000.00")
    assert not CeilingCheck(Decimal("7000000"), t.requested).exceeded
    assert CeilingCheck(None, t.requested).over == 0


def test_budgeted_years_ignore_rejected_lines():
    lines = [line(need=7, year=2024), line(need=7, year=2025), line(need=8, status="rejected"), line(need=None)]
    assert budgeted_years(lines) == {7: [2024, 2025]}


@pytest.mark.parametrize("text, factors", [
    ("2 Unit x 12 Bulan", [["2", "Unit"], ["12", "Bulan"]]),
    ("2 unit × 12 bulan", [["2", "unit"], ["12", "bulan"]]),
    ("2x12", [["2", "Paket"], ["12", "Paket"]]),
    ("1,5 m2", [["1.5", "m2"]]),
    ("1.000 Lembar", [["1000", "Lembar"]]),
    ("1 Box", [["1", "Box"]]),
    ("3", [["3", "Paket"]]),
])
def test_parse_coefficient(text, factors):
    assert parse_coefficient(text, default_unit="Paket") == factors


@pytest.mark.parametrize("text, words", [
    ("", "empty"), ("dua unit", "does not start with a number"), ("0 Unit", "above 0"), ("-2 Unit", "above 0"),
    ("1 a x 2 b x 3 c x 4 d x 5 e", "at most four"), ("1000001 Unit", "too large"), ("2 Unit x", "empty factor"),
    ("1e16 Unit", "not 'number unit'"), ("0,001 Unit", "two decimals"),
])
def test_parse_coefficient_refuses(text, words):
    with pytest.raises(ValidationError) as err:
        parse_coefficient(text)
    assert err.value.field == "factors"
    assert words in err.value.message


@pytest.mark.parametrize("text, value", [
    ("1.250.000", "1250000.00"), ("Rp1.250.000,50", "1250000.50"), ("1250000", "1250000.00"),
    ("1,250,000", "1250000.00"), ("1.500", "1500.00"), ("1.5", "1.50"), ("1 250 000", "1250000.00"),
    ("1000000000000000", "1000000000000000.00"),
])
def test_parse_money(text, value):
    assert parse_money(text) == Decimal(value)


@pytest.mark.parametrize("text, words", [
    ("abc", "must be a number"), ("-5", "negative"), ("1e16", "must be a number"), ("", "empty"),
    ("10000000000000000", "too large"), ("1,234", "two decimals"), ("1.2.3,4.5", "must be a number"),
])
def test_parse_money_refuses(text, words):
    with pytest.raises(ValidationError) as err:
        parse_money(text, "unit_price")
    assert words in err.value.message
    assert "Unit price" in err.value.message


def test_parse_rate_and_title_template():
    assert parse_rate("11") == Decimal("11.00")
    assert parse_rate("11,5 %") == Decimal("11.50")
    with pytest.raises(ValidationError, match="between 0 and 100"):
        parse_rate("111")
    assert format_title("USULAN {mpp} TAHUN ANGGARAN {year}", "MPP Kota Probolinggo", 2024) == \
        "USULAN MPP KOTA PROBOLINGGO TAHUN ANGGARAN 2024"
    for bad, words in (("USULAN {kota}", "Unknown placeholder"), ("USULAN {mpp", "unmatched"), ("  ", "empty")):
        with pytest.raises(ValidationError, match=words):
            check_title_template(bad)
    assert format_title("USULAN {mpp", "MPP X", 2024) == "USULAN {mpp"  # printed as typed, never a crash


def test_model_refuses_absurd_price_and_empty_description():
    with pytest.raises(ValidationError, match="too large"):
        line(price="1e16")
    with pytest.raises(ValidationError, match="negative"):
        line(price="-1")
    with pytest.raises(ValidationError, match="must not be empty"):
        BudgetLine(description="  ")
