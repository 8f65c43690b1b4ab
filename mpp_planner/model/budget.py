"""Budget request lines per fiscal year (RKA style)."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

import re

from sqlalchemy import ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from mpp_planner.i18n import N_, _
from mpp_planner.model import money
from mpp_planner.model.base import (Base, JSONList, Money, MultiLine, Rate, SingleLine, ValidationError, clean_choice,
                                    clean_flag, clean_int, clean_money, clean_name, clean_text, one_line)
from mpp_planner.model.inventory import MAX_QUANTITY
from mpp_planner.model.site import clean_account_code, clean_standard_price_code

MAX_FACTORS = 4
#: Kepmendagri 050-5889/2021 sub kegiatan code: urusan . bidang . program . level . kegiatan . sub kegiatan,
#: e.g. ``2.18.01.2.07.0005`` (Pengadaan Mebel); level 1 = provinsi, 2 = kabupaten/kota
SUB_ACTIVITY_CODE_RE = re.compile(r"^\d\.\d{2}\.\d{2}\.\d\.\d{2}\.\d{4}$")


def clean_sub_activity_code(value) -> str:
    code = one_line(value)
    if not SUB_ACTIVITY_CODE_RE.match(code):
        raise ValidationError("code", _(
            "Sub kegiatan code '{code}' does not match the Kepmendagri 050-5889/2021 pattern, "
            "e.g. 2.18.01.2.07.0005.").format(code=code))
    return code


class BudgetStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return _(BUDGET_STATUS_LABELS[self])


BUDGET_STATUS_LABELS = {BudgetStatus.REQUESTED: N_("Requested"), BudgetStatus.APPROVED: N_("Approved"),
                        BudgetStatus.REJECTED: N_("Rejected")}


def clean_factors(value) -> list[list[str]]:
    """Up to four (quantity, unit) factors; quantities positive, stored as decimal strings."""
    if isinstance(value, (str, bytes)) or (value and not isinstance(value, (list, tuple))):
        raise ValidationError("factors", _("A coefficient is a list of (quantity, unit) factors."))
    if not value:
        raise ValidationError("factors", _("A budget line needs at least one coefficient factor."))
    if len(value) > MAX_FACTORS:
        raise ValidationError("factors", _("A coefficient has at most four factors."))
    out = []
    for factor in value:
        try:
            qty_raw, unit = factor
            qty = Decimal(str(qty_raw).strip().replace(",", "."))
        except Exception:
            raise ValidationError("factors", _("Coefficient factor '{f}' is not 'number unit'.").format(
                f=factor)) from None
        if not qty.is_finite() or qty <= 0 or qty > MAX_QUANTITY:
            raise ValidationError("factors", _("Coefficient quantity must be above 0 and at most {max}.").format(
                max=MAX_QUANTITY))
        unit_text = clean_name("unit", unit, max_len=30)
        out.append([format(qty.normalize(), "f"), unit_text])
    return out


class SubActivity(Base):
    """A sub kegiatan of one fiscal year's budget (RKA rincian belanja context block)."""

    __tablename__ = "sub_activity"
    __table_args__ = (UniqueConstraint("fiscal_year", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    code: Mapped[str] = mapped_column(SingleLine(40))
    name: Mapped[str] = mapped_column(SingleLine(300))
    # names above the sub kegiatan (their codes are prefixes of ``code``)
    affair: Mapped[str] = mapped_column(SingleLine(300), default="")  # urusan pemerintahan
    affair_field: Mapped[str] = mapped_column(SingleLine(300), default="")  # bidang urusan
    program: Mapped[str] = mapped_column(SingleLine(300), default="")
    activity: Mapped[str] = mapped_column(SingleLine(300), default="")  # kegiatan
    organisation: Mapped[str] = mapped_column(SingleLine(300), default="")  # organisasi (code and name)
    unit: Mapped[str] = mapped_column(SingleLine(300), default="")
    funding_source: Mapped[str] = mapped_column(SingleLine(300), default="")  # sumber pendanaan
    location: Mapped[str] = mapped_column(SingleLine(300), default="")
    schedule: Mapped[str] = mapped_column(SingleLine(200), default="")  # waktu pelaksanaan
    output_indicator: Mapped[str] = mapped_column(MultiLine, default="")  # keluaran: tolok ukur
    output_target: Mapped[str] = mapped_column(SingleLine(200), default="")  # keluaran: target
    allocation_prev: Mapped[Decimal | None] = mapped_column(Money, default=None)  # alokasi tahun n-1
    allocation_next: Mapped[Decimal | None] = mapped_column(Money, default=None)  # alokasi tahun n+1
    position: Mapped[int] = mapped_column(Integer, default=0)

    @validates("fiscal_year")
    def _v_year(self, key, value):
        return clean_int(key, value, 2000, 2100)

    @validates("code")
    def _v_code(self, key, value):
        return clean_sub_activity_code(value)

    @validates("name")
    def _v_name(self, key, value):
        return clean_name(key, value, max_len=300)

    @validates("affair", "affair_field", "program", "activity", "organisation", "unit", "funding_source",
               "location")
    def _v_context(self, key, value):
        return clean_name(key, value, required=False, max_len=300)

    @validates("schedule", "output_target")
    def _v_short(self, key, value):
        return clean_name(key, value, required=False, max_len=200)

    @validates("output_indicator")
    def _v_indicator(self, key, value):
        return clean_text(key, value)

    @validates("allocation_prev", "allocation_next")
    def _v_alloc(self, key, value):
        return clean_money(key, value, allow_none=True)

    @validates("position")
    def _v_position(self, key, value):
        return clean_int(key, value, 0, 1_000_000)

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


class BudgetLine(Base):
    __tablename__ = "budget_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    sub_activity_id: Mapped[int] = mapped_column(ForeignKey("sub_activity.id", ondelete="CASCADE"), index=True)
    account_code: Mapped[str] = mapped_column(SingleLine(40), index=True)
    standard_price_code: Mapped[str] = mapped_column(SingleLine(60), default="")  # SIPD kode_standar_harga
    description: Mapped[str] = mapped_column(SingleLine(300))
    specification: Mapped[str] = mapped_column(MultiLine, default="")
    room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id", ondelete="SET NULL"), index=True)
    factors: Mapped[list] = mapped_column(JSONList)
    unit: Mapped[str] = mapped_column(SingleLine(30), default="Unit")
    unit_price: Mapped[Decimal] = mapped_column(Money)
    ppn_applied: Mapped[bool] = mapped_column(default=True)
    ppn_rate: Mapped[Decimal] = mapped_column(Rate, default=Decimal("11.00"))
    priority: Mapped[int] = mapped_column(Integer, default=2)
    status: Mapped[str] = mapped_column(SingleLine(20), default=BudgetStatus.REQUESTED.value)
    approved_amount: Mapped[Decimal | None] = mapped_column(Money, default=None)
    justification: Mapped[str] = mapped_column(MultiLine, default="")
    need_id: Mapped[int | None] = mapped_column(ForeignKey("need.id", ondelete="SET NULL"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    room = relationship("Room")
    need = relationship("Need")
    sub_activity: Mapped[SubActivity] = relationship()

    @validates("fiscal_year")
    def _v_year(self, key, value):
        return clean_int(key, value, 2000, 2100)

    @validates("account_code")
    def _v_code(self, key, value):
        return clean_account_code(value)

    @validates("standard_price_code")
    def _v_ssh(self, key, value):
        return clean_standard_price_code(value)

    @validates("sub_activity_id")
    def _v_sub(self, key, value):
        if value is None:
            raise ValidationError(key, _("Every budget line belongs to a sub kegiatan."))
        return clean_int(key, value, 1, 2**62)

    @validates("description")
    def _v_desc(self, key, value):
        return clean_name(key, value, max_len=300)

    @validates("specification", "justification")
    def _v_text(self, key, value):
        return clean_text(key, value)

    @validates("factors")
    def _v_factors(self, key, value):
        return clean_factors(value)

    @validates("unit")
    def _v_unit(self, key, value):
        return clean_name(key, value, max_len=30)

    @validates("unit_price", "approved_amount")
    def _v_money(self, key, value):
        return clean_money(key, value, allow_none=(key == "approved_amount"))

    @validates("ppn_rate")
    def _v_rate(self, key, value):
        rate = clean_money(key, value)
        if rate > 100:
            raise ValidationError(key, _("PPN rate must be between 0 and 100 %."))
        return rate

    @validates("priority")
    def _v_prio(self, key, value):
        return clean_int(key, value, 1, 3)

    @validates("ppn_applied")
    def _v_ppn(self, key, value):
        return clean_flag(key, value)

    @validates("position")
    def _v_position(self, key, value):
        return clean_int(key, value, 0, 1_000_000)

    @validates("status")
    def _v_status(self, key, value):
        return clean_choice(key, value, BudgetStatus)

    # --- derived amounts (see model.money for the rounding rule) ---
    @property
    def coefficient(self) -> Decimal:
        return money.coefficient(self.factors)

    @property
    def coefficient_text(self) -> str:
        return money.coefficient_text(self.factors)

    @property
    def base_amount(self) -> Decimal:
        return money.line_base(self.factors, self.unit_price)

    @property
    def ppn_amount(self) -> Decimal:
        return money.line_ppn(self.base_amount, self.ppn_rate, self.ppn_applied)

    @property
    def amount(self) -> Decimal:
        return self.base_amount + self.ppn_amount
