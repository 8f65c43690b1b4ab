"""Amounts in Indonesian words (*terbilang*) for signed sheets: "dua juta sembilan ratus lima
puluh ribu rupiah".

Rules, stated once:

* whole Rupiah are spelled by three-digit groups (num2words, ``lang="id"``) with the scale
  words ribu, juta, miliar, triliun, kuadriliun; a thousands group of one is "seribu" even
  after a larger group ("satu juta seribu", where num2words alone says "satu juta satu ribu");
* " rupiah" follows the whole part; zero is "nol rupiah";
* sen (hundredths) are not written as "koma": when an amount has sen they follow as their
  own number with " sen" ("seratus rupiah lima puluh sen"), the way receipts and SPM forms
  write them; amounts are first rounded half-up to the sen;
* a negative amount starts with "minus".
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

SCALES = ((10 ** 15, "kuadriliun"), (10 ** 12, "triliun"), (10 ** 9, "miliar"), (10 ** 6, "juta"), (10 ** 3, "ribu"))


def _below_thousand(n: int) -> str:
    from num2words import num2words

    return num2words(n, lang="id")


def words(n: int) -> str:
    """A whole number in Indonesian words: 1001000 -> "satu juta seribu"."""
    if n < 0:
        return "minus " + words(-n)
    if n == 0:
        return "nol"
    if n >= 1000 * SCALES[0][0]:
        raise ValueError("number too large to spell")
    parts = []
    for size, name in SCALES:
        group, n = divmod(n, size)
        if group:
            parts.append("seribu" if (group == 1 and name == "ribu") else f"{_below_thousand(group)} {name}")
    if n:
        parts.append(_below_thousand(n))
    return " ".join(parts)


def terbilang(amount, currency: str = "rupiah") -> str:
    """Decimal("2950000") -> "dua juta sembilan ratus lima puluh ribu rupiah"."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "minus " if value < 0 else ""
    value = abs(value)
    whole = int(value)
    sen = int((value - whole) * 100)
    text = f"{sign}{words(whole)} {currency}"
    if sen:
        text += f" {words(sen)} sen"
    return text
