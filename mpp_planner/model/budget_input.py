"""Reading what users type into budget fields: coefficients ("2 Unit x 12 Bulan"), Rupiah
amounts ("1.250.000", "Rp1.250.000,50") and percentages ("11", "11,5 %").

Indonesian number writing comes first: "." groups thousands and "," is the decimal mark.
A lone "." followed by exactly three digits ("1.500") is read as thousands; any other lone
"." ("1.5") as a decimal point, so English-style input still works. Anything that is not a
number (words, "1e16", two signs) is refused with a message naming the field.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from mpp_planner.i18n import _
from mpp_planner.model.base import MAX_MONEY, ValidationError, clean_name
from mpp_planner.model.inventory import MAX_QUANTITY

MAX_FACTORS = 4
_NUMBER_RE = re.compile(r"^[0-9][0-9.,]*$")
_THOUSANDS_DOT_RE = re.compile(r"^\d{1,3}(\.\d{3})+$")
_THOUSANDS_COMMA_RE = re.compile(r"^\d{1,3}(,\d{3}){2,}$")
# "x", "X", "×" or "*" between factors; "x" needs spaces or a digit right after it so units like "box" survive
_FACTOR_SPLIT_RE = re.compile(r"\s+[xX×*]\s+|\s*[×*]\s*|(?<=\s)[xX](?=\d)|(?<=\d)[xX](?=\s*\d)")
_FACTOR_RE = re.compile(r"^\s*(?P<qty>[0-9][0-9.,]*)\s*(?P<unit>.*?)\s*$")


def parse_number(text: str, field: str) -> Decimal:
    """A non-negative number written the Indonesian or the English way; refuses everything else."""
    raw = "" if text is None else str(text).strip().replace(" ", "").replace("\u00a0", "")
    if raw.startswith("-"):
        raise ValidationError(field, _("{field} must not be negative.").format(field=_field(field)))
    if not raw or not _NUMBER_RE.match(raw):
        raise ValidationError(field, _("{field} must be a number, e.g. 1.250.000 or 2,5 (got '{text}').").format(
            field=_field(field), text=text))
    if "." in raw and "," in raw:
        if raw.rfind(",") < raw.rfind("."):  # 1,250,000.50 (English)
            normal = raw.replace(",", "")
        else:  # 1.250.000,50 (Indonesian)
            normal = raw.replace(".", "").replace(",", ".")
    elif "," in raw:
        normal = raw.replace(",", "") if _THOUSANDS_COMMA_RE.match(raw) else raw.replace(",", ".")
    elif "." in raw:
        normal = raw.replace(".", "") if _THOUSANDS_DOT_RE.match(raw) else raw
    else:
        normal = raw
    if normal.count(".") > 1:
        raise ValidationError(field, _("{field} must be a number, e.g. 1.250.000 or 2,5 (got '{text}').").format(
            field=_field(field), text=text))
    try:
        value = Decimal(normal)
    except InvalidOperation:
        raise ValidationError(field, _("{field} must be a number, e.g. 1.250.000 or 2,5 (got '{text}').").format(
            field=_field(field), text=text)) from None
    return value


def parse_money(text: str, field: str = "unit_price", *, allow_empty: bool = False) -> Decimal | None:
    """"Rp1.250.000" -> Decimal("1250000.00"); at most Rp1.000 triliun and two decimals."""
    raw = "" if text is None else str(text).strip()
    raw = re.sub(r"^[Rr][Pp]\.?\s*", "", raw)
    if not raw:
        if allow_empty:
            return None
        raise ValidationError(field, _("{field} must not be empty.").format(field=_field(field)))
    value = parse_number(raw, field)
    if value > MAX_MONEY:
        raise ValidationError(field, _("{field} is too large (at most Rp1.000 triliun).").format(field=_field(field)))
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(field, _("{field} has at most two decimals (sen).").format(field=_field(field)))
    return value.quantize(Decimal("0.01"))


def parse_rate(text: str, field: str = "ppn_rate") -> Decimal:
    """A percentage from 0 to 100: "11", "11 %", "11,5"."""
    raw = ("" if text is None else str(text)).strip().rstrip("%").strip()
    value = parse_number(raw, field)
    if value > 100:
        raise ValidationError(field, _("{field} must be between 0 and 100 %.").format(field=_field(field)))
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(field, _("{field} has at most two decimals.").format(field=_field(field)))
    return value.quantize(Decimal("0.01"))


def parse_coefficient(text: str, default_unit: str = "Unit") -> list[list[str]]:
    """"2 Unit x 12 Bulan" -> [["2", "Unit"], ["12", "Bulan"]]; up to four factors.

    A factor without a unit takes ``default_unit``. Each quantity must be above 0 and at most
    100.000; words, zero, negative numbers and a fifth factor are refused.
    """
    raw = "" if text is None else str(text).strip()
    if not raw:
        raise ValidationError("factors", _("Coefficient must not be empty; write e.g. '2 Unit x 12 Bulan'."))
    parts = _FACTOR_SPLIT_RE.split(raw)
    if any(not p.strip() for p in parts) or re.search(r"(^|\s)[xX×*]$|^[xX×*](\s|$)", raw):
        raise ValidationError("factors", _("Coefficient '{text}' has an empty factor; write e.g. "
                                           "'2 Unit x 12 Bulan'.").format(text=raw))
    if len(parts) > MAX_FACTORS:
        raise ValidationError("factors", _("A coefficient has at most four factors (got {n}).").format(n=len(parts)))
    factors = []
    for part in parts:
        if part.strip().startswith("-"):
            raise ValidationError("factors", _("Coefficient quantities must be above 0 (got '{part}').").format(
                part=part.strip()))
        match = _FACTOR_RE.match(part)
        if not match:
            raise ValidationError("factors", _("Coefficient factor '{part}' does not start with a number; write "
                                               "e.g. '2 Unit x 12 Bulan'.").format(part=part.strip()))
        if re.match(r"^[eE][+-]?\d", match["unit"]):
            raise ValidationError("factors", _("Coefficient factor '{part}' is not 'number unit'; write the "
                                               "quantity as a plain number.").format(part=part.strip()))
        qty = parse_number(match["qty"], "factors")
        if qty <= 0:
            raise ValidationError("factors", _("Coefficient quantities must be above 0 (got '{part}').").format(
                part=part.strip()))
        if qty > MAX_QUANTITY:
            raise ValidationError("factors", _("Coefficient quantity {qty} is too large (at most {max}).").format(
                qty=match["qty"], max=f"{MAX_QUANTITY:,}".replace(",", ".")))
        if qty != qty.quantize(Decimal("0.01")):
            raise ValidationError("factors", _("Coefficient quantities have at most two decimals."))
        unit = match["unit"] or default_unit
        if any(ch.isdigit() for ch in unit[:1]):
            raise ValidationError("factors", _("Coefficient factor '{part}' is not 'number unit'.").format(
                part=part.strip()))
        unit = clean_name("unit", unit, max_len=30)
        factors.append([format(qty.normalize(), "f"), unit])
    return factors


def _field(field: str) -> str:
    from mpp_planner.model.base import field_label

    return field_label(field)


TITLE_FIELDS = ("mpp", "year")


def check_title_template(text: str) -> str:
    """The sheet title wording: free text with the placeholders {mpp} and {year} only."""
    import string

    template = ("" if text is None else str(text)).strip()
    if not template:
        raise ValidationError("budget_title", _("The sheet title must not be empty."))
    if len(template) > 400:
        raise ValidationError("budget_title", _("The sheet title is too long (at most 400 characters)."))
    try:
        names = [name for _lit, name, _spec, _conv in string.Formatter().parse(template) if name is not None]
    except ValueError:
        raise ValidationError("budget_title", _("The sheet title has an unmatched curly bracket; the "
                                                "placeholders are {mpp} and {year}.")) from None
    unknown = [n for n in names if n not in TITLE_FIELDS]
    if unknown:
        raise ValidationError("budget_title", _("Unknown placeholder '{{{name}}}' in the sheet title; use {{mpp}} "
                                                "and {{year}}.").format(name=unknown[0]))
    return template


def format_title(template: str, mpp: str, year: int) -> str:
    """Fill {mpp} (the MPP name in capitals) and {year}; a broken template prints as typed."""
    try:
        return check_title_template(template).format(mpp=mpp.upper(), year=year)
    except (ValidationError, ValueError, IndexError, KeyError):
        return str(template).replace("{mpp}", mpp.upper()).replace("{year}", str(year))
