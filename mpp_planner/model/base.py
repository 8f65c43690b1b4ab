"""Declarative base, value types and the validation error used at the model boundary."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, overload

from sqlalchemy import BigInteger, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
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
# DEL, and lone surrogates that cannot be written as UTF-8); the DXF reader still uses it
BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
TEXT_TYPES = (str, int, float, Decimal)

# --- what a text field may hold ---------------------------------------------------------
#
# Every text that reaches the file is normalised by one rule, whatever its source (a form, the command
# line, an importer, a DXF drawing, an undo, a repair), so that no printer, spreadsheet or font shaper
# meets an invisible control character (a "\r" in a name made Pillow's raqm layout fail, issue 23):
#
# * single-line fields (names, codes, short names, units, …) — :func:`one_line`: CR, LF, CRLF, tab,
#   VT, FF, NEL and U+2028/2029 become one space and runs of spaces collapse to one; the ends are trimmed.
# * multi-line fields (notes, descriptions, addresses) — :func:`multi_line`: CRLF and CR become LF, VT,
#   FF, NEL and U+2028/2029 too; a tab becomes one space; spaces at line ends and blank ends are trimmed.
# * both: the other C0 and C1 controls and DEL, and every format character (Unicode category Cf:
#   zero-width space/joiners and direction marks U+200B–U+200F, bidi embeddings and overrides
#   U+202A–U+202E, isolates U+2066–U+2069, word joiner U+2060, BOM U+FEFF, soft hyphen, …) are removed,
#   and the text is NFC-normalised (a composed "é" and "e" + combining accent are the same name).
#
# Normalised rather than refused: these characters arrive unseen with pasted or exported text (a CR from
# a Mac-made CSV cell, a zero-width space from a web page, a BOM from Notepad); the user can neither see
# nor delete them, so refusing would block an edit or a whole import over nothing. Lone surrogates
# (broken text that cannot be written as UTF-8) are still refused by the validators.
#
# Two layers apply it: the validators (:func:`clean_name`, :func:`clean_text`), which every model
# attribute goes through, and the column types :class:`SingleLine` / :class:`MultiLine` (and
# :class:`JSONList`) under every text column, which apply the same rule to whatever is written by Core
# statements that skip the validators (undo, repair) and to what is read from files written before it.
_FORMAT_CHARS = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
                 "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
                 "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f")
_INVISIBLE = re.compile(f"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f{_FORMAT_CHARS}]+")
_LINE_BREAKS = "\n\x0b\x0c\r\x85\u2028\u2029"
_SPACE_RUNS = re.compile(f"[ \t{_LINE_BREAKS}]+")
_OTHER_BREAKS = re.compile("[\x0b\x0c\r\x85\u2028\u2029]")
_PLAIN_LINE = re.compile(r"(?:[!-~]+(?: [!-~]+)*)?")  # printable ASCII, single spaces, trimmed: nothing to do
_SURROGATES = re.compile("[\ud800-\udfff]")


def one_line(value: Any) -> str:
    """``value`` as the text of a single-line field (see the rule above)."""
    text = "" if value is None else str(value)
    if _PLAIN_LINE.fullmatch(text):
        return text
    text = _SPACE_RUNS.sub(" ", _INVISIBLE.sub("", text))
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return text.strip()


def multi_line(value: Any) -> str:
    """``value`` as the text of a multi-line field: line breaks kept as LF (see the rule above)."""
    text = "" if value is None else str(value)
    if _PLAIN_LINE.fullmatch(text):
        return text
    text = _OTHER_BREAKS.sub("\n", _INVISIBLE.sub("", text.replace("\r\n", "\n"))).replace("\t", " ")
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def storable(text: str) -> str:
    """``text`` with lone surrogates replaced by U+FFFD, so that it can be written as UTF-8."""
    return _SURROGATES.sub("\ufffd", text) if _SURROGATES.search(text) else text


class ValidationError(ValueError):
    """A value refused at the model boundary; ``field`` names what was wrong."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


VERSION_COLUMN = "row_version"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)

    #: Optimistic concurrency (schema 0009), on every table: SQLAlchemy's ``version_id_col``. Every UPDATE of
    #: a row sets it one higher and matches only the version this session read; so does a DELETE. A row
    #: someone else changed meanwhile matches nothing: ``StaleDataError``, which ``Project.edit`` turns into
    #: ``EditConflict``. Core statements that update rows bump it themselves (``Project.restore_rows``).
    row_version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1", sort_order=1000)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - a class-level directive
        return {"version_id_col": cls.__table__.c[VERSION_COLUMN]}

    def column_values(self) -> dict[str, Any]:
        """Plain values of every column, as stored (for undo snapshots and copies); not the row's version,
        which is the database's business (setting it back would hide a later change from the version check)."""
        return {c.key: getattr(self, c.key) for c in self.__mapper__.column_attrs if c.key != VERSION_COLUMN}


class Money(TypeDecorator):
    """Rupiah as ``Decimal`` with two decimals, stored exactly as integer sen (64-bit: SQLite's INTEGER,
    PostgreSQL's BIGINT — Rp 1 000 triliun is 10^17 sen; a 32-bit column ends at Rp 21 juta)."""

    impl = Integer
    cache_ok = True

    def load_dialect_impl(self, dialect):
        return dialect.type_descriptor(BigInteger() if dialect.name == "postgresql" else Integer())

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
        return json.dumps(_json_texts(value, storable), ensure_ascii=False, separators=(",", ":"))

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return _json_texts(json.loads(value))


def _json_texts(value: Any, last=None) -> Any:
    """``value`` with every string in it (at any depth) cleaned as multi-line text."""
    if isinstance(value, str):
        text = multi_line(value)
        return last(text) if last else text
    if isinstance(value, (list, tuple)):
        return [_json_texts(v, last) for v in value]
    if isinstance(value, dict):
        return {k: _json_texts(v, last) for k, v in value.items()}
    return value


class SingleLine(TypeDecorator):
    """The column type of every single-line text column (``SingleLine(200)`` for ``String(200)``): what
    is written or read is :func:`one_line` text, whatever path it took (see the rule above)."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else storable(one_line(value))

    def process_result_value(self, value, dialect):
        return None if value is None else one_line(value)


class MultiLine(TypeDecorator):
    """The column type of every multi-line text column (notes, descriptions): :func:`multi_line` text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else storable(multi_line(value))

    def process_result_value(self, value, dialect):
        return None if value is None else multi_line(value)


# --- validators shared by the model classes -------------------------------------------

def clean_name(field: str, value: Any, *, required: bool = True, max_len: int = MAX_NAME,
               multiline: bool = False) -> str:
    """A single-line text field (``multiline``: a multi-line one), normalised by the rule above."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, TEXT_TYPES)):
        raise ValidationError(field, _("{field} must be text.").format(field=field_label(field)))
    text = "" if value is None else str(value)
    if _SURROGATES.search(text):
        # half of a character pair: broken text (a bad decode), not a character to drop unseen
        raise ValidationError(field, _("{field} contains control characters that cannot be saved.").format(
            field=field_label(field)))
    text = multi_line(text) if multiline else one_line(text)
    if required and not text:
        raise ValidationError(field, _("{field} must not be empty.").format(field=field_label(field)))
    if len(text) > max_len:
        raise ValidationError(
            field, _("{field} is too long ({n} characters, at most {max}).").format(
                field=field_label(field), n=len(text), max=max_len))
    return text


def clean_text(field: str, value: Any, max_len: int = MAX_TEXT) -> str:
    """A multi-line text field (notes, descriptions), empty allowed."""
    return clean_name(field, value, required=False, max_len=max_len, multiline=True)


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
    text = one_line(value.value if hasattr(value, "value") else value)
    allowed = [c.value if hasattr(c, "value") else c for c in choices]
    if text not in allowed:
        raise ValidationError(field, _("{field}: unknown value '{value}' (allowed: {allowed}).").format(
            field=field_label(field), value=text, allowed=", ".join(allowed)))
    return text


def field_label(field: str) -> str:
    """A readable, translated name for a model field used in messages."""
    from mpp_planner.model.labels import FIELD_LABELS

    return _(FIELD_LABELS.get(field, field.replace("_", " ").capitalize()))
