"""Furnishing catalog, the per-room inventory (KIR), needs and inspection visits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Date, Float, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from mpp_planner.i18n import N_, _
from mpp_planner.model.base import (Base, JSONList, Money, MultiLine, SingleLine, ValidationError, clean_choice,
                                    clean_date, clean_int, clean_money, clean_name, clean_text)
from mpp_planner.model.plan import clean_coord, clean_rotation, clean_size
from mpp_planner.model.site import clean_account_code, clean_asset_code, clean_standard_price_code

MAX_QUANTITY = 100_000
WHOLE_UNITS = frozenset({"unit", "buah", "set", "paket", "lembar", "orang", "titik", "pasang", "bulan", "kali"})


class Condition(StrEnum):
    """KIR condition: Baik, Kurang Baik, Rusak Berat."""

    B = "B"
    KB = "KB"
    RB = "RB"

    @property
    def label(self) -> str:
        return _(CONDITION_LABELS[self])


CONDITION_LABELS = {Condition.B: N_("Good (B)"), Condition.KB: N_("Fair (KB)"), Condition.RB: N_("Broken (RB)")}


class NeedSource(StrEnum):
    STANDARD = "standard"
    VISITATION = "visitation"
    MANUAL = "manual"

    @property
    def label(self) -> str:
        return _(NEED_SOURCE_LABELS[self])


NEED_SOURCE_LABELS = {NeedSource.STANDARD: N_("Standard rule"), NeedSource.VISITATION: N_("Visitation note"),
                      NeedSource.MANUAL: N_("Manual")}


class FollowUp(StrEnum):
    OPEN = "open"
    BUDGETED = "budgeted"
    DONE = "done"


def clean_quantity(field: str, value, unit: str | None) -> Decimal:
    """A positive quantity; whole units (unit, set, paket...) take whole numbers only."""
    try:
        qty = Decimal(str(value).strip().replace(",", ".")) if not isinstance(value, Decimal) else value
    except Exception:
        raise ValidationError(field, _("Quantity must be a number.")) from None
    if not qty.is_finite() or qty < 0:
        raise ValidationError(field, _("Quantity must not be negative."))
    if qty > MAX_QUANTITY:
        raise ValidationError(field, _("Quantity {qty} is too large (at most {max}).").format(
            qty=qty, max=MAX_QUANTITY))
    if unit and unit.lower() in WHOLE_UNITS and qty != qty.to_integral_value():
        raise ValidationError(field, _("Quantity in '{unit}' must be a whole number.").format(unit=unit))
    return qty.quantize(Decimal("0.01"))


class ItemType(Base):
    """A catalog entry: what can stand in a room or be budgeted, with its SSH reference price."""

    __tablename__ = "item_type"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(SingleLine(60), unique=True)
    name: Mapped[str] = mapped_column(SingleLine(200))
    category: Mapped[str] = mapped_column(SingleLine(100))
    unit: Mapped[str] = mapped_column(SingleLine(30), default="unit")
    ref_price: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    account_code: Mapped[str] = mapped_column(SingleLine(40))
    standard_price_code: Mapped[str] = mapped_column(SingleLine(60), default="")  # SIPD kode_standar_harga
    #: the accounts its SSH entry allows it to be booked on (empty: not known, nothing checked)
    allowed_accounts: Mapped[list] = mapped_column(JSONList, default=list)
    asset_code: Mapped[str] = mapped_column(SingleLine(40), default="")  # kode barang, Permendagri 108/2016
    specification: Mapped[str] = mapped_column(MultiLine, default="")
    tags: Mapped[str] = mapped_column(SingleLine(300), default="")  # space separated, read by the standards rules
    seats: Mapped[int] = mapped_column(Integer, default=0)
    width: Mapped[int] = mapped_column(Integer, default=600)  # plan symbol size, mm
    depth: Mapped[int] = mapped_column(Integer, default=600)

    @validates("key")
    def _v_key(self, key, value):
        text = clean_name(key, value, max_len=60)
        if not all(c.isalnum() or c in "_-" for c in text):
            raise ValidationError(key, _("Key may hold letters, digits, '_' and '-' only."))
        return text

    @validates("name", "category")
    def _v_name(self, key, value):
        return clean_name(key, value)

    @validates("unit")
    def _v_unit(self, key, value):
        return clean_name(key, value, max_len=30)

    @validates("ref_price")
    def _v_price(self, key, value):
        return clean_money(key, value)

    @validates("account_code")
    def _v_code(self, key, value):
        return clean_account_code(value)

    @validates("standard_price_code")
    def _v_ssh(self, key, value):
        return clean_standard_price_code(value)

    @validates("allowed_accounts")
    def _v_allowed(self, key, value):
        if value is None:
            return []
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            raise ValidationError(key, _("Allowed accounts must be a list of account codes."))
        return sorted({clean_account_code(code) for code in value})

    @validates("asset_code")
    def _v_asset(self, key, value):
        return clean_asset_code(value)

    @validates("specification")
    def _v_spec(self, key, value):
        return clean_text(key, value)

    @validates("tags")
    def _v_tags(self, key, value):
        return " ".join(clean_text(key, value, max_len=300).split())

    @validates("seats")
    def _v_seats(self, key, value):
        return clean_int(key, value, 0, 100)

    @validates("width", "depth")
    def _v_size(self, key, value):
        return clean_size(key, value)

    @property
    def tag_set(self) -> frozenset[str]:
        return frozenset(self.tags.split())


class InventoryItem(Base):
    """A KIR row. With a plan position it is drawn on its floor and its room follows its position."""

    __tablename__ = "inventory_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_type_id: Mapped[int] = mapped_column(ForeignKey("item_type.id", ondelete="RESTRICT"), index=True)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id", ondelete="SET NULL"), index=True)
    floor_id: Mapped[int | None] = mapped_column(ForeignKey("floor.id", ondelete="CASCADE"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Money, default=Decimal("1"))
    condition: Mapped[str] = mapped_column(SingleLine(2), default=Condition.B.value)
    brand_model: Mapped[str] = mapped_column(SingleLine(200), default="")
    serial_no: Mapped[str] = mapped_column(SingleLine(200), default="")
    size: Mapped[str] = mapped_column(SingleLine(100), default="")
    material: Mapped[str] = mapped_column(SingleLine(100), default="")
    year: Mapped[int | None] = mapped_column(Integer, default=None)
    register_code: Mapped[str] = mapped_column(SingleLine(100), default="")
    asset_code: Mapped[str] = mapped_column(SingleLine(40), default="")  # kode barang; empty: the item type's
    purchase_price: Mapped[Decimal | None] = mapped_column(Money, default=None)
    notes: Mapped[str] = mapped_column(MultiLine, default="")
    # plan position (None = not drawn on the plan)
    x: Mapped[int | None] = mapped_column(Integer, default=None)
    y: Mapped[int | None] = mapped_column(Integer, default=None)
    width: Mapped[int | None] = mapped_column(Integer, default=None)
    depth: Mapped[int | None] = mapped_column(Integer, default=None)
    rotation: Mapped[float] = mapped_column(Float, default=0.0)

    item_type: Mapped[ItemType] = relationship()
    room = relationship("Room")

    @validates("quantity")
    def _v_qty(self, key, value):
        unit = self.item_type.unit if self.item_type is not None else None
        return clean_quantity(key, value, unit)

    @validates("condition")
    def _v_cond(self, key, value):
        return clean_choice(key, value, Condition)

    @validates("brand_model", "serial_no")
    def _v_opt(self, key, value):
        return clean_name(key, value, required=False)

    @validates("size", "material", "register_code")
    def _v_short(self, key, value):
        return clean_name(key, value, required=False, max_len=100)

    @validates("year")
    def _v_year(self, key, value):
        return None if value in (None, "") else clean_int(key, value, 1900, 2100)

    @validates("asset_code")
    def _v_asset(self, key, value):
        return clean_asset_code(value)

    @validates("purchase_price")
    def _v_price(self, key, value):
        return clean_money(key, value, allow_none=True)

    @validates("notes")
    def _v_notes(self, key, value):
        return clean_text(key, value)

    @validates("x", "y")
    def _v_xy(self, key, value):
        return None if value is None else clean_coord(key, value)

    @validates("width", "depth")
    def _v_size(self, key, value):
        return None if value is None else clean_size(key, value)

    @validates("rotation")
    def _v_rot(self, key, value):
        return clean_rotation(value)

    @property
    def kode_barang(self) -> str:
        """The asset code printed on the KIR: the row's own, else its item type's."""
        return self.asset_code or (self.item_type.asset_code if self.item_type is not None else "")

    @property
    def on_plan(self) -> bool:
        return self.x is not None and self.y is not None and self.floor_id is not None

    @property
    def plan_width(self) -> int:
        return self.width or self.item_type.width

    @property
    def plan_depth(self) -> int:
        return self.depth or self.item_type.depth


class Visit(Base):
    """An inspection or coaching visit (visitasi) and what it recorded."""

    __tablename__ = "visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[date] = mapped_column(Date)
    office: Mapped[str] = mapped_column(SingleLine(200))
    visitor: Mapped[str] = mapped_column(SingleLine(200), default="")
    notes: Mapped[str] = mapped_column(MultiLine, default="")

    findings: Mapped[list[VisitFinding]] = relationship(back_populates="visit", cascade="all, delete-orphan",
                                                        passive_deletes=True, order_by="VisitFinding.id")

    @validates("office")
    def _v_office(self, key, value):
        return clean_name(key, value)

    @validates("visitor")
    def _v_visitor(self, key, value):
        return clean_name(key, value, required=False)

    @validates("notes")
    def _v_notes(self, key, value):
        return clean_text(key, value)

    @validates("date")
    def _v_date(self, key, value):
        return clean_date(key, value)


class VisitFinding(Base):
    __tablename__ = "visit_finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(MultiLine)
    status: Mapped[str] = mapped_column(SingleLine(20), default=FollowUp.OPEN.value)
    planned_year: Mapped[int | None] = mapped_column(Integer, default=None)

    visit: Mapped[Visit] = relationship(back_populates="findings")
    room = relationship("Room")

    @validates("text")
    def _v_text(self, key, value):
        return clean_name(key, value, max_len=2000, multiline=True)  # typed in a multi-line box

    @validates("status")
    def _v_status(self, key, value):
        return clean_choice(key, value, FollowUp)

    @validates("planned_year")
    def _v_year(self, key, value):
        return None if value in (None, "") else clean_int(key, value, 2000, 2100)


class Need(Base):
    """Room R requires Q of item type T, because of a rule, a visit finding or the manager."""

    __tablename__ = "need"

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id", ondelete="CASCADE"), index=True)
    item_type_id: Mapped[int] = mapped_column(ForeignKey("item_type.id", ondelete="RESTRICT"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Money, default=Decimal("1"))
    reason: Mapped[str] = mapped_column(MultiLine, default="")
    source: Mapped[str] = mapped_column(SingleLine(20), default=NeedSource.MANUAL.value)
    rule_id: Mapped[str] = mapped_column(SingleLine(60), default="")
    visit_finding_id: Mapped[int | None] = mapped_column(ForeignKey("visit_finding.id", ondelete="SET NULL"),
                                                         index=True)

    room = relationship("Room")
    item_type: Mapped[ItemType] = relationship()
    visit_finding: Mapped[VisitFinding | None] = relationship()

    @validates("quantity")
    def _v_qty(self, key, value):
        unit = self.item_type.unit if self.item_type is not None else None
        qty = clean_quantity(key, value, unit)
        if qty <= 0:
            raise ValidationError(key, _("A need must require at least one item."))
        return qty

    @validates("reason")
    def _v_reason(self, key, value):
        return clean_text(key, value)

    @validates("source")
    def _v_source(self, key, value):
        return clean_choice(key, value, NeedSource)

    @validates("rule_id")
    def _v_rule(self, key, value):
        return clean_name(key, value, required=False, max_len=60)


__all__ = ["ItemType", "InventoryItem", "Condition", "Need", "NeedSource", "Visit", "VisitFinding", "FollowUp",
           "clean_quantity", "Float"]
