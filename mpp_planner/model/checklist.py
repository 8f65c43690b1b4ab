"""Checklist items the plan cannot show (a lockable lactation-room door, ventilation, signage and floor
markings, an assembly point …), ticked per room or for the whole site, with the date and who ticked them.
Which items exist is data (``resources/checklist.toml``); a tick names its item by key."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, validates

from mpp_planner.i18n import _
from mpp_planner.model.base import (Base, MultiLine, SingleLine, ValidationError, clean_date, clean_flag, clean_name,
                                    clean_text)


def clean_checklist_key(value) -> str:
    key = clean_name("key", value, max_len=60)
    if not all(c.isalnum() or c in "_-." for c in key):
        raise ValidationError("key", _("A checklist key holds letters, digits, '_', '-' and '.' only."))
    return key


class ChecklistTick(Base):
    """One checklist item's state for one room (``room_id``) or the whole site (``room_id`` empty)."""

    __tablename__ = "checklist_tick"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(SingleLine(60), index=True)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id", ondelete="CASCADE"), index=True)
    ticked: Mapped[bool] = mapped_column(default=True)
    date: Mapped[date | None] = mapped_column(Date, default=None)
    checked_by: Mapped[str] = mapped_column(SingleLine(200), default="")
    note: Mapped[str] = mapped_column(MultiLine, default="")

    @validates("key")
    def _v_key(self, key, value):
        return clean_checklist_key(value)

    @validates("ticked")
    def _v_ticked(self, key, value):
        return clean_flag(key, value)

    @validates("date")
    def _v_date(self, key, value):
        return clean_date(key, value, allow_none=True)

    @validates("checked_by")
    def _v_by(self, key, value):
        return clean_name(key, value, required=False)

    @validates("note")
    def _v_note(self, key, value):
        return clean_text(key, value)
