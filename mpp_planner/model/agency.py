"""Participating bodies (instansi), their services and their weekday schedule at counters."""

from __future__ import annotations

import re
from datetime import date
from enum import IntFlag, StrEnum

from sqlalchemy import Date, ForeignKey, Integer, Table, Column
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from mpp_planner.i18n import N_, _
from mpp_planner.model.base import (Base, MultiLine, SingleLine, ValidationError, clean_choice, clean_date,
                                    clean_int, clean_name, clean_text, one_line)

COLOUR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")


class Tier(StrEnum):
    PUSAT = "pusat"
    PROVINSI = "provinsi"
    KAB_KOTA = "kab_kota"
    BUMN = "bumn"
    BUMD = "bumd"
    BADAN_HUKUM_PUBLIK = "badan_hukum_publik"
    SWASTA = "swasta"

    @property
    def label(self) -> str:
        return _(TIER_LABELS[self])


TIER_LABELS = {
    Tier.PUSAT: N_("Central / vertical"),
    Tier.PROVINSI: N_("Province"),
    Tier.KAB_KOTA: N_("City / regency"),
    Tier.BUMN: N_("BUMN (state company)"),
    Tier.BUMD: N_("BUMD (regional company)"),
    Tier.BADAN_HUKUM_PUBLIK: N_("Public legal body"),
    Tier.SWASTA: N_("Private"),
}

TIER_COLOURS = {
    Tier.PUSAT: "#1F4E99",
    Tier.PROVINSI: "#2E8B57",
    Tier.KAB_KOTA: "#D98E04",
    Tier.BUMN: "#8E44AD",
    Tier.BUMD: "#C0392B",
    Tier.BADAN_HUKUM_PUBLIK: "#16A085",
    Tier.SWASTA: "#7F8C8D",
}


class Weekday(IntFlag):
    """Service days as a bit set; Monday = 1 ... Sunday = 64."""

    MON = 1
    TUE = 2
    WED = 4
    THU = 8
    FRI = 16
    SAT = 32
    SUN = 64

    @classmethod
    def workdays(cls) -> "Weekday":
        return cls.MON | cls.TUE | cls.WED | cls.THU | cls.FRI


WEEKDAY_SHORT = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def weekdays_text(mask: int) -> str:
    """"Mon, Tue, Thu" in the UI language; "Mon–Fri" for the full working week."""
    if mask == int(Weekday.workdays()):
        return _("Mon–Fri")
    return ", ".join(_(name) for i, name in enumerate(WEEKDAY_SHORT) if mask & (1 << i))


def clean_colour(value) -> str:
    text = one_line(value)
    if not COLOUR_RE.match(text):
        raise ValidationError("colour", _("'{value}' is not a colour; use #RRGGBB, e.g. #1F4E99.").format(value=text))
    return text.upper()


class Agency(Base):
    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(SingleLine(200), unique=True)
    short_name: Mapped[str] = mapped_column(SingleLine(60))
    tier: Mapped[str] = mapped_column(SingleLine(30))
    colour: Mapped[str] = mapped_column(SingleLine(7), default="#7F8C8D")
    contact_person: Mapped[str] = mapped_column(SingleLine(200), default="")
    phone: Mapped[str] = mapped_column(SingleLine(60), default="")
    email: Mapped[str] = mapped_column(SingleLine(200), default="")
    mou_number: Mapped[str] = mapped_column(SingleLine(200), default="")
    mou_date: Mapped[date | None] = mapped_column(Date, default=None)
    notes: Mapped[str] = mapped_column(MultiLine, default="")

    services: Mapped[list[Service]] = relationship(back_populates="agency", cascade="all, delete-orphan",
                                                   passive_deletes=True, order_by="Service.id")
    assignments: Mapped[list[CounterAssignment]] = relationship(back_populates="agency",
                                                                cascade="all, delete-orphan",
                                                                passive_deletes=True)

    @validates("name")
    def _v_name(self, key, value):
        return clean_name(key, value)

    @validates("short_name")
    def _v_short(self, key, value):
        return clean_name(key, value, max_len=60)

    @validates("tier")
    def _v_tier(self, key, value):
        return clean_choice(key, value, Tier)

    @validates("colour")
    def _v_colour(self, key, value):
        return clean_colour(value)

    @validates("contact_person", "email", "mou_number")
    def _v_opt(self, key, value):
        return clean_name(key, value, required=False)

    @validates("phone")
    def _v_phone(self, key, value):
        return clean_name(key, value, required=False, max_len=60)

    @validates("mou_date")
    def _v_date(self, key, value):
        return clean_date(key, value, allow_none=True)

    @validates("notes")
    def _v_notes(self, key, value):
        return clean_text(key, value)


class Service(Base):
    __tablename__ = "service"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(SingleLine(300))

    agency: Mapped[Agency] = relationship(back_populates="services")

    @validates("name")
    def _v_name(self, key, value):
        return clean_name(key, value, max_len=300)


counter_service = Table(
    "counter_service",
    Base.metadata,
    Column("counter_id", ForeignKey("counter.id", ondelete="CASCADE"), primary_key=True),
    Column("service_id", ForeignKey("service.id", ondelete="CASCADE"), primary_key=True, index=True),
    # every table has a row version (schema 0009); links are only added and removed, so it stays 1
    Column("row_version", Integer, nullable=False, server_default="1"),
)


class CounterAssignment(Base):
    """Agency X serves at counter Y on these weekdays (a shared counter has several rows)."""

    __tablename__ = "counter_assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counter.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"), index=True)
    weekdays: Mapped[int] = mapped_column(Integer, default=int(Weekday.workdays()))

    counter = relationship("Counter", back_populates="assignments")
    agency: Mapped[Agency] = relationship(back_populates="assignments")

    @validates("weekdays")
    def _v_days(self, key, value):
        mask = clean_int(key, int(value) if isinstance(value, Weekday) else value, 0, 127)
        if not mask:
            raise ValidationError(key, _("Choose at least one weekday."))
        return mask
