"""Needs from a PEKPPP self-assessment: one undoable step adding what the next score of each indicator
asks for (source "standard"), skipping what an open need already covers."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mpp_planner.commands.generic import AddObjects
from mpp_planner.i18n import _
from mpp_planner.model import ItemType, Need, Room
from mpp_planner.model.inventory import NeedSource
from mpp_planner.project import Project


def create_needs(project: Project, assessment) -> AddObjects:
    """An :class:`AddObjects` step adding one need per suggestion of ``assessment`` (``standards.assessment``)
    not already planned: a need in the same room for the same item, or for an item with one of the
    suggestion's tags. Suggestions without a room or with an item the catalog lacks are left out. The step's
    ``objects`` are the new needs (empty: nothing to add)."""
    s = project.session
    types = {t.key: t for t in s.scalars(select(ItemType))}
    planned: dict[int, list[ItemType]] = {}
    for n in s.scalars(select(Need).options(selectinload(Need.item_type))):
        planned.setdefault(n.room_id, []).append(n.item_type)
    created: list[Need] = []
    for result in assessment.indicators:
        for sug in result.suggestions:
            it = types.get(sug.item_key)
            if it is None or sug.room_id is None:
                continue
            wanted = set(sug.tags)
            if any(t.id == it.id or (wanted and t.tag_set & wanted) for t in planned.get(sug.room_id, [])):
                continue
            room = project.get(Room, sug.room_id)
            if room is None:
                continue
            need = Need(source=NeedSource.STANDARD.value)
            need.item_type = it
            need.room = room
            need.quantity = sug.quantity
            need.rule_id = f"pekppp.{result.key}"[:60]
            need.reason = _("PEKPPP {name}: {step}").format(name=result.name, step=result.next_step)
            created.append(need)
            planned.setdefault(room.id, []).append(it)
    return AddObjects(_("Create {n} need(s) from the self-assessment").format(n=len(created)), created)
