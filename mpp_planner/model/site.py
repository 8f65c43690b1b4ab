"""The MPP itself: identity, letterhead, signatories, account codes and ceilings."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, validates

from mpp_planner.i18n import _
from mpp_planner.model.base import (Base, JSONList, Money, MultiLine, Rate, SingleLine, ValidationError, clean_date,
                                    clean_int, clean_money, clean_name, clean_text, one_line)
from mpp_planner.model.paper import clean_paper

NIP_DIGITS = 18
MAX_LETTERHEAD_LINES = 8
DEFAULT_CAPITALISATION_THRESHOLD = Decimal("1000000.00")  # a common Perwali/Perbup figure; each project sets its own
MAX_LOGO_BYTES = 2 * 1024 * 1024
#: Permendagri 90/2019 account structure, one level per group: akun ``5`` · kelompok ``5.1`` · jenis ``5.1.02`` ·
#: objek ``5.1.02.01`` · rincian objek ``5.1.02.01.01`` · sub rincian objek ``5.1.02.01.01.0001``
ACCOUNT_CODE_STRUCTURE_RE = re.compile(r"^\d(\.\d(\.\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?)?)?$")
#: lines and catalog items are booked on a jenis or below (5.2.02 ... 5.2.02.05.02.0001)
BOOKING_MIN_LEVEL = 3


def clean_nip(value) -> str:
    """An 18-digit NIP; spaces and dots typed by users are dropped. Empty is allowed."""
    digits = re.sub(r"[\s.]", "", one_line(value))
    if not digits:
        return ""
    if not digits.isdigit() or len(digits) != NIP_DIGITS:
        raise ValidationError("nip", _("NIP must have exactly 18 digits (got '{value}').").format(value=value))
    return digits


def clean_account_code(value, *, min_level: int = BOOKING_MIN_LEVEL) -> str:
    """A code in the 90/2019 structure (see :data:`ACCOUNT_CODE_STRUCTURE_RE`) with at least ``min_level``
    levels: lines and items need a jenis or below; the account list itself also holds 5 and 5.1."""
    code = one_line(value)
    if not ACCOUNT_CODE_STRUCTURE_RE.match(code) or code.count(".") + 1 < min_level:
        if min_level <= 1:
            raise ValidationError("code", _(
                "Account code '{code}' does not match the Permendagri 90/2019 pattern: 5, 5.1, 5.1.02, 5.1.02.01, "
                "5.1.02.01.01 or 5.1.02.01.01.0001.").format(code=code))
        raise ValidationError("account_code", _(
            "Account code '{code}' does not match the pattern 5.2.02 or 5.2.02.05.02.0001.").format(code=code))
    return code


#: SIPD's kode_standar_harga (SSH, SBU, HSPK, ASB): dotted groups of digits, e.g. ``1.1.7.01.03.01.001.00012``
STANDARD_PRICE_CODE_RE = re.compile(r"^[0-9A-Za-z]+([.\-][0-9A-Za-z]+)*$")
MAX_STANDARD_PRICE_CODE = 60


#: Permendagri 108/2016 kode barang: akun . kelompok . jenis . objek . rincian objek . sub rincian objek .
#: sub-sub rincian objek, e.g. ``1.3.2.05.01.04.001`` (Lemari Besi/Metal)
ASSET_CODE_RE = re.compile(r"^\d\.\d\.\d\.\d{2}\.\d{2}\.\d{2}\.\d{3}$")


def clean_standard_price_code(value) -> str:
    """A kode_standar_harga from SIPD, or empty when the item has none yet."""
    code = one_line(value)
    if code and (len(code) > MAX_STANDARD_PRICE_CODE or not STANDARD_PRICE_CODE_RE.match(code)):
        raise ValidationError("standard_price_code", _(
            "Standard price code '{code}' is not an SSH code (digits and letters in groups separated by dots, "
            "e.g. 1.1.7.01.03.01.001.00012).").format(code=code[:80]))
    return code


def clean_asset_code(value) -> str:
    """A full kode barang (Permendagri 108/2016, seven levels), or empty."""
    code = one_line(value)
    if code and not ASSET_CODE_RE.match(code):
        raise ValidationError("asset_code", _(
            "Asset code '{code}' does not match the Permendagri 108/2016 pattern 1.3.2.05.01.05.001.").format(
                code=code[:80]))
    return code


class Site(Base):
    """One row: the MPP this project file plans."""

    __tablename__ = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(SingleLine(200))
    city: Mapped[str] = mapped_column(SingleLine(200), default="")
    province: Mapped[str] = mapped_column(SingleLine(200), default="")
    government_name: Mapped[str] = mapped_column(SingleLine(200), default="")
    operator_office: Mapped[str] = mapped_column(SingleLine(200), default="")
    upt_name: Mapped[str] = mapped_column(SingleLine(200), default="")
    address: Mapped[str] = mapped_column(MultiLine, default="")
    fiscal_year: Mapped[int] = mapped_column(Integer, default=2024)
    letterhead: Mapped[list] = mapped_column(JSONList, default=list)
    logo: Mapped[bytes | None] = mapped_column(default=None)
    ppn_rate: Mapped[Decimal] = mapped_column(Rate, default=Decimal("11.00"))
    #: items cheaper than this are goods spending (5.1.02), not capital (5.2): set by the region's Perwali/Perbup
    capitalisation_threshold: Mapped[Decimal] = mapped_column(Money, default=DEFAULT_CAPITALISATION_THRESHOLD)
    budget_title: Mapped[str] = mapped_column(
        MultiLine, default="USULAN KEBUTUHAN SARANA DAN PRASARANA {mpp} TAHUN ANGGARAN {year}")
    #: the paper official sheets print on unless the user picks another (A4 or F4)
    paper: Mapped[str] = mapped_column(SingleLine(10), default="A4")
    #: the decree or letter the allocation list is attached to ("Lampiran Keputusan ... Nomor ... Tanggal ...")
    decree_title: Mapped[str] = mapped_column(SingleLine(300), default="")
    decree_number: Mapped[str] = mapped_column(SingleLine(100), default="")
    decree_date: Mapped[date | None] = mapped_column(Date, default=None)

    @validates("name")
    def _v_name(self, key, value):
        return clean_name(key, value)

    @validates("city", "province", "government_name", "operator_office", "upt_name")
    def _v_optional(self, key, value):
        return clean_name(key, value, required=False)

    @validates("address", "budget_title")
    def _v_text(self, key, value):
        return clean_text(key, value)

    @validates("fiscal_year")
    def _v_year(self, key, value):
        return clean_int(key, value, 2000, 2100)

    @validates("paper")
    def _v_paper(self, key, value):
        return clean_paper(value)

    @validates("decree_title")
    def _v_decree_title(self, key, value):
        return clean_name(key, value, required=False, max_len=300)

    @validates("decree_number")
    def _v_decree_number(self, key, value):
        return clean_name(key, value, required=False, max_len=100)

    @validates("decree_date")
    def _v_decree_date(self, key, value):
        return clean_date(key, value, allow_none=True)

    @validates("letterhead")
    def _v_letterhead(self, key, value):
        if value is None:
            return []
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            raise ValidationError(key, _("The letterhead is a list of lines."))
        if len(value) > MAX_LETTERHEAD_LINES:
            raise ValidationError(key, _("The letterhead has at most {n} lines.").format(n=MAX_LETTERHEAD_LINES))
        return [clean_name(key, line, required=False, max_len=300) for line in value]

    @validates("capitalisation_threshold")
    def _v_threshold(self, key, value):
        return clean_money(key, value)

    @validates("logo")
    def _v_logo(self, key, value):
        if value is None:
            return None
        if not isinstance(value, (bytes, bytearray)):
            raise ValidationError(key, _("The logo must be an image file."))
        if len(value) > MAX_LOGO_BYTES:
            raise ValidationError(key, _("The logo is too large (at most {mb} MB).").format(
                mb=MAX_LOGO_BYTES // (1024 * 1024)))
        return bytes(value) or None

    @validates("ppn_rate")
    def _v_rate(self, key, value):
        rate = clean_money(key, value)
        if rate > 100:
            raise ValidationError(key, _("PPN rate must be between 0 and 100 %."))
        return rate


class Signatory(Base):
    """Who signs the printed sheets: role key (head, proposer, goods_admin...), title, name, NIP."""

    __tablename__ = "signatory"

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(SingleLine(40), unique=True)
    title: Mapped[str] = mapped_column(SingleLine(200))
    name: Mapped[str] = mapped_column(SingleLine(200))
    rank: Mapped[str] = mapped_column(SingleLine(200), default="")
    nip: Mapped[str] = mapped_column(SingleLine(18), default="")

    @validates("role")
    def _v_role(self, key, value):
        return clean_name(key, value, max_len=40)

    @validates("title", "name")
    def _v_required(self, key, value):
        return clean_name(key, value)

    @validates("rank")
    def _v_rank(self, key, value):
        return clean_name(key, value, required=False)

    @validates("nip")
    def _v_nip(self, key, value):
        return clean_nip(value)


class AccountCode(Base):
    """An account (kode rekening) from Permendagri 90/2019, kept as editable data."""

    __tablename__ = "account_code"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)  # a key: a strict pattern
    name: Mapped[str] = mapped_column(SingleLine(300))

    @validates("code")
    def _v_code(self, key, value):
        return clean_account_code(value, min_level=1)  # the hierarchy rows 5 and 5.1 are accounts too

    @validates("name")
    def _v_name(self, key, value):
        return clean_name(key, value, max_len=300)


class BudgetCeiling(Base):
    """The ceiling (pagu) for one fiscal year."""

    __tablename__ = "budget_ceiling"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Money)

    @validates("year")
    def _v_year(self, key, value):
        return clean_int(key, value, 2000, 2100)

    @validates("amount")
    def _v_amount(self, key, value):
        return clean_money(key, value)


__all__ = ["Site", "Signatory", "AccountCode", "BudgetCeiling", "clean_nip", "clean_account_code"]
