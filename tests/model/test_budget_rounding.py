"""The README's rounding promise: a line's base and its PPN are rounded half-up to the sen.

1,5 x Rp333 = Rp499,50; PPN 11 % of that is 54,945, which half-up makes 54,95 (banker's rounding,
Python's Decimal default, would give 54,94). Held in the model's line amounts and in the exported sheet.
"""

import csv
from decimal import Decimal

from mpp_planner.model import BudgetLine, money
from mpp_planner.reports import budget as sheet_mod
from tests.helpers import year_sub_activity

FACTORS = [["1.5", "Unit"]]
PRICE = Decimal(333)


def test_line_amounts_round_half_up_to_the_sen():
    base = money.line_base(FACTORS, PRICE)
    assert base == Decimal("499.50")
    assert money.line_ppn(base, Decimal(11), True) == Decimal("54.95")
    line = BudgetLine(fiscal_year=2024, account_code="5.2.02.05.02.0001", description="Map", factors=FACTORS,
                      unit="Unit", unit_price=PRICE, ppn_applied=True, ppn_rate=Decimal(11))
    assert (line.base_amount, line.ppn_amount, line.amount) == (Decimal("499.50"), Decimal("54.95"),
                                                                 Decimal("554.45"))


def test_half_a_sen_of_base_rounds_up():
    # 0,5 x Rp0,01 = 0,005 -> 0,01 (half-even would give 0,00)
    assert money.line_base([["0.5", "Unit"]], Decimal("0.01")) == Decimal("0.01")
    # 2,5 x Rp0,01 = 0,025 -> 0,03 (half-even: 0,02)
    assert money.line_base([["2.5", "Unit"]], Decimal("0.01")) == Decimal("0.03")


def test_exported_csv_carries_the_half_up_ppn(empty_project, tmp_path):
    """Stored in the file, read back and written out: the same 54,95 reaches the sheet."""
    with empty_project.edit() as s:
        s.add(BudgetLine(fiscal_year=2024, account_code="5.2.02.05.02.0001", description="Map", factors=FACTORS,
                         unit="Unit", unit_price=PRICE, ppn_applied=True, ppn_rate=Decimal(11), position=1,
                         sub_activity=year_sub_activity(s)))
    out = sheet_mod.write(empty_project, tmp_path / "usulan.csv", "csv", year=2024)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 1
    assert (rows[0]["Harga (Rp)"], rows[0]["PPN (Rp)"], rows[0]["Jumlah (Rp)"]) == ("333.00", "54.95", "554.45")
