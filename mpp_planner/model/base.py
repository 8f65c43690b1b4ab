"""Declarative base, value types and the validation error used at the model boundary."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, overload

from sqlalchemy import Integer, MetaData, Text
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from mpp_planner.i18n import _

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

CENT = Decimal("0.01")
MAX_MONEY = Decimal("1000000000000000")  # Rp 1 000 triliun: anything above is a typo
MAX_NAME = 200
MAX_TEXT = 4000
MIN_YEAR, MAX_YEAR = 1900, 2100
# characters that cannot be stored in XLSX/XML or printed (C0 controls but tab and line breaks,
# DEL, and lone surrogates that cannot be written as UTF-8)
BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
TEXT_TYPES = (str, int, float, Decimal)


class ValidationError(ValueError):
    """A value refused at the model boundary; ``field`` names what was wrong."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)

    def column_values(self) -> dict[str, Any]:
        """Plain values of every column, as stored (for undo snapshots and copies)."""
        return {c.key: getattr(self, c.key) for c in self.__mapper__.column_attrs}


class Money(TypeDecorator):
    """Rupiah as ``Decimal`` with two decimals, stored exactly as integer sen."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return int((Decimal(value) * 100).to_integral_value())

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(CENT)


class Rate(TypeDecorator):
    """A percentage such as PPN 11 %, stored exactly as basis points."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return int((Decimal(value) * 100).to_integral_value())

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(CENT)


class JSONList(TypeDecorator):
    """A JSON list (outline points, letterhead lines, coefficient factors)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return json.loads(value)


# --- validators shared by the model classes -------------------------------------------

def clean_name(field: str, value: Any, *, required: bool = True, max_len: int = MAX_NAME) -> str:
    if value is not None and (isinstance(value, bool) or not isinstance(value, TEXT_TYPES)):
        raise ValidationError(field, _("{field} must be text.").format(field=field_label(field)))
    text = "" if value is None else str(value).strip()
    if BAD_CHARS.search(text):
        raise ValidationError(field, _("{field} contains control characters that cannot be saved.").format(
            field=field_label(field)))
    if required and not text:
        raise ValidationError(field, _("{field} must not be empty.").format(field=field_label(field)))
    if len(text) > max_len:
        raise ValidationError(
            field, _("{field} is too long ({n} characters, at most {max}).").format(
                field=field_label(field), n=len(text), max=max_len))
    return text


def clean_text(field: str, value: Any, max_len: int = MAX_TEXT) -> str:
    return clean_name(field, value, required=False, max_len=max_len)


@overload
def clean_money(field: str, value: Any, *, allow_none: Literal[False] = False) -> Decimal: ...
@overload
def clean_money(field: str, value: Any, *, allow_none: bool) -> Decimal | None: ...


def clean_money(field: str, value: Any, *, allow_none: bool = False) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_none:
            return None
        raise ValidationError(field, _("{field} must be a number.").format(field=field_label(field)))
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise ValidationError(field, _("{field} must be a number.").format(field=field_label(field))) from None
    if not amount.is_finite():
        raise ValidationError(field, _("{field} must be a number.").format(field=field_label(field)))
    if amount < 0:
        raise ValidationError(field, _("{field} must not be negative.").format(field=field_label(field)))
    if amount > MAX_MONEY:
        raise ValidationError(field, _("{field} is too large.").format(field=field_label(field)))
    return amount.quantize(CENT)


def clean_int(field: str, value: Any, lo: int, hi: int) -> int:
    try:
        if isinstance(value, float) and not value.is_integer():
            raise ValueError
        if isinstance(value, Decimal) and (not value.is_finite() or value != value.to_integral_value()):
            raise ValueError
        if isinstance(value, (bytes, bytearray)):
            raise TypeError
        number = int(str(value).strip()) if isinstance(value, str) else int(value)
    except (TypeError, ValueError, OverflowError, InvalidOperation):
        raise ValidationError(field, _("{field} must be a whole number.").format(field=field_label(field))) from None
    if not lo <= number <= hi:
        raise ValidationError(field, _("{field} must be between {lo} and {hi}.").format(
            field=field_label(field), lo=lo, hi=hi))
    return number


def clean_date(field: str, value: Any, *, allow_none: bool = False) -> date | None:
    """A calendar date between 1900 and 2100; a datetime keeps its date, ISO text is read."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_none:
            return None
        raise ValidationError(field, _("{field} must be a valid date.").format(field=field_label(field)))
    if isinstance(value, datetime):
        value = value.date()
    elif isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(field, _("{field} must be a valid date (YYYY-MM-DD).").format(
                field=field_label(field))) from None
    if not isinstance(value, date):
        raise ValidationError(field, _("{field} must be a valid date.").format(field=field_label(field)))
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(field, _("{field} must be between {lo} and {hi}.").format(
            field=field_label(field), lo=MIN_YEAR, hi=MAX_YEAR))
    return value


def clean_flag(field: str, value: Any) -> bool:
    """Yes/no: a bool, or 0/1."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise ValidationError(field, _("{field} must be yes or no.").format(field=field_label(field)))


def clean_float(field: str, value: Any, lo: float, hi: float) -> float:
    try:
        if isinstance(value, (bool, bytes, bytearray)):
            raise TypeError
        number = float(str(value).strip().replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(field, _("{field} must be a number.").format(field=field_label(field))) from None
    if number != number or not lo <= number <= hi:
        raise ValidationError(field, _("{field} must be between {lo} and {hi}.").format(
            field=field_label(field), lo=lo, hi=hi))
    return number


def clean_choice(field: str, value: Any, choices) -> str:
    text = str(value.value if hasattr(value, "value") else value).strip()
    allowed = [c.value if hasattr(c, "value") else c for c in choices]
    if text not in allowed:
        raise ValidationError(field, _("{field}: unknown value '{value}' (allowed: {allowed}).").format(
            field=field_label(field), value=text, allowed=", ".join(allowed)))
    return text


def field_label(field: str) -> str:
    """A readable, translated name for a model field used in messages."""
    from mpp_planner.model.labels import FIELD_LABELS

    return _(FIELD_LABELS.get(field, field.replace("_", " ").capitalize()))
