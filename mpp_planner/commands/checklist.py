"""Ticking checklist items (what the plan cannot show), one undoable step each."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from mpp_planner.commands.base import Command
from mpp_planner.commands.generic import AddObjects, SetFields
from mpp_planner.i18n import _
from mpp_planner.model import Room, ValidationError
from mpp_planner.model.checklist import ChecklistTick
from mpp_planner.project import Project
from mpp_planner.standards.checklist import ChecklistItem, applicable, load_checklist


def tick_of(project: Project, key: str, room_id: int | None) -> ChecklistTick | None:
    """The stored state of item ``key`` for ``room_id`` (None: the site), if any."""
    where = ChecklistTick.room_id.is_(None) if room_id is None else ChecklistTick.room_id == room_id
    return project.session.scalars(select(ChecklistTick).where(ChecklistTick.key == key, where)
                                   .order_by(ChecklistTick.id)).first()


def tick(project: Project, key: str, room_id: int | None, ticked: bool, by: str = "",
         when: date | None = None, *, items: list[ChecklistItem] | None = None) -> Command:
    """The command that sets item ``key`` for room ``room_id`` (None: the whole site) ticked or not, with
    who checked it and when (default: today). One row per (key, room): an existing one is updated.
    Raises ValidationError for an item the checklist does not have or that does not apply there."""
    room = None
    if room_id is not None:
        room = project.session.get(Room, room_id)
        if room is None:
            raise ValidationError("room_id", _("The room no longer exists."))
    items = load_checklist() if items is None else items
    if key not in {i.key for i in applicable(items, room)}:
        where = room.name if room is not None else _("the site")
        raise ValidationError("key", _("The checklist has no item '{key}' for {where}.").format(key=key, where=where))
    when = when if when is not None else date.today()
    fields = {"ticked": bool(ticked), "date": when, "checked_by": by or ""}
    text = _("Tick checklist item") if ticked else _("Untick checklist item")
    row = tick_of(project, key, room_id)
    if row is not None:
        return SetFields(text, ChecklistTick, {row.id: fields})
    new = ChecklistTick(key=key, room_id=room_id, **fields)
    return AddObjects(text, [new])
