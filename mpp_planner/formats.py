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


def _group(integer_digits: str, sep: str) -> str:
    out: list[str] = []
    while len(integer_digits) > 3:
        out.insert(0, integer_digits[-3:])
        integer_digits = integer_digits[:-3]
    out.insert(0, integer_digits)
    return sep.join(out)


def number(value, decimals: int = 0, *, lang: str | None = None) -> str:
    """1234567.5 -> "1.234.567,5" (id) or "1,234,567.5" (en)."""
    lang = lang or current_language()
    thousands, point = (".", ",") if lang == "id" else (",", ".")
    d = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if d < 0 else ""
    text = format(abs(d), "f")
    whole, _, frac = text.partition(".")
    result = _group(whole, thousands)
    if decimals:
        result += point + frac
    return sign + result


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
