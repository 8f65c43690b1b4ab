"""Rupiah, dates, NIP and numbers as Indonesian offices write them (MPP_REFERENCE §5),
and as English readers expect when the UI is in English."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from mpp_planner.i18n import current_language

MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")


_ID_MARKS = str.maketrans(",.", ".,")  # "1,234.5" as Indonesian writes it: "1.234,5"
_STEPS: dict[int, Decimal] = {}


def number(value, decimals: int = 0, *, lang: str | None = None) -> str:
    """1234567.5 -> "1.234.567,5" (id) or "1,234,567.5" (en); halves rounded up (away from zero)."""
    if value.__class__ is int and not decimals:
        text = format(value, ",")
    else:
        step = _STEPS.get(decimals)
        if step is None:
            step = _STEPS[decimals] = Decimal(1).scaleb(-decimals)
        d = (value if value.__class__ is Decimal else Decimal(str(value))).quantize(step, rounding=ROUND_HALF_UP)
        text = format(d if d else abs(d), ",f")  # no "-0"
    return text.translate(_ID_MARKS) if (lang or current_language()) == "id" else text


def rupiah(value: Decimal, *, cents: bool = False, symbol: bool = True, lang: str | None = None) -> str:
    """Rp1.250.000 or Rp1.250.000,00 (PUEBI: no dot or space after Rp)."""
    text = number(value, 2 if cents else 0, lang=lang)
    return ("Rp" + text) if symbol else text


def long_date(d: date, *, lang: str | None = None) -> str:
    """"15 Desember 2023" (id) or "15 December 2023" (en)."""
    lang = lang or current_language()
    months = MONTHS_ID if lang == "id" else MONTHS_EN
    return f"{d.day} {months[d.month - 1]} {d.year}"


def nip(digits: str) -> str:
    """"197809032007012001" -> "19780903 200701 2 001"; anything else is returned as is."""
    if len(digits) == 18 and digits.isdigit():
        return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"
    return digits


def area(m2: float, *, lang: str | None = None) -> str:
    return f"{number(m2, 2, lang=lang)} m²"
