"""Budget arithmetic on Decimal. The rounding rule, stated once:

* a line's base = coefficient x unit price, rounded half-up to whole sen (Rp0,01);
* its PPN = base x rate / 100, rounded half-up to whole sen, only where the line applies PPN;
* its amount = base + PPN; every subtotal and total is the exact sum of line amounts
  (never recomputed from rounded parts), so printed columns always add up.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from collections.abc import Iterable, Sequence

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_sen(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def coefficient(factors: Sequence[Sequence]) -> Decimal:
    """Product of the factor quantities ("2 Unit x 12 Bulan" -> 24); no factors -> 0."""
    if not factors:
        return ZERO
    result = Decimal(1)
    for qty, _unit in factors:
        result *= Decimal(str(qty))
    return result


def coefficient_text(factors: Sequence[Sequence]) -> str:
    """"2 Unit x 12 Bulan" with Indonesian decimal commas."""
    parts = []
    for qty, unit in factors:
        q = Decimal(str(qty))
        q_text = (format(q.normalize(), "f") if q == q.to_integral_value()
                  else format(q.normalize(), "f").replace(".", ","))
        parts.append(f"{q_text} {unit}".strip())
    return " x ".join(parts)


def line_base(factors, unit_price: Decimal) -> Decimal:
    return to_sen(coefficient(factors) * unit_price)


def line_ppn(base: Decimal, rate: Decimal, applied: bool) -> Decimal:
    return to_sen(base * rate / 100) if applied else ZERO


def total(amounts: Iterable[Decimal]) -> Decimal:
    return sum(amounts, ZERO)
