"""Floors: add, rename, reorder and delete them (a floor's tab order numbers its counters)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mpp_planner.commands.base import Command
from mpp_planner.commands.generic import DeleteObjects, SetFields
from mpp_planner.i18n import _
from mpp_planner.model import Annotation, Counter, Floor, FloorBackground, InventoryItem, Room, Wall
from mpp_planner.model.base import clean_name
from mpp_planner.project import Project


def floor_position(session: Session, floor_id: int) -> int:
    """1 for the first floor in tab order, 2 for the next..."""
    ids = list(session.scalars(select(Floor.id).order_by(Floor.order, Floor.id)))
    return ids.index(floor_id) + 1 if floor_id in ids else 1


class AddFloor(Command):
    """A new floor after the last one."""

    def __init__(self, name: str):
        self.name = clean_name("name", name, max_len=100)
        self.text = _("Add floor {name}").format(name=self.name)
        self.floor_id: int | None = None
        self.order = 0  # set when first done

    def redo(self, project: Project) -> None:
        with project.edit() as s:
            if self.floor_id is not None:
                s.add(Floor(id=self.floor_id, name=self.name, order=self.order))
                return
            self.order = (s.scalar(select(func.max(Floor.order))) or 0) + 1
            floor = Floor(name=self.name, order=self.order)
            s.add(floor)
            s.flush()
            self.floor_id = floor.id

    def undo(self, project: Project) -> None:
        project.delete_rows("floor", [self.floor_id])


def RenameFloor(floor_id: int, name: str) -> SetFields:  # noqa: N802 - a command, named like one
    return SetFields(_("Rename floor to {name}").format(name=str(name).strip()), Floor, {floor_id: {"name": name}})


def ReorderFloors(floor_ids: Sequence[int], merge_key=None) -> SetFields:  # noqa: N802
    """The floors in this tab order (with a merge key, the steps of one tab drag are one)."""
    return SetFields(_("Reorder floors"), Floor, {fid: {"order": i + 1} for i, fid in enumerate(floor_ids)},
                     merge_key=merge_key)


def DeleteFloor(project: Project, floor_id: int) -> DeleteObjects:  # noqa: N802
    """The floor with everything on it (rooms, counters, furniture, annotations, background)."""
    floor = project.get(Floor, floor_id)
    name = floor.name if floor is not None else "?"
    return DeleteObjects(_("Delete floor {name}").format(name=name), Floor, [floor_id])


def floor_contents(project: Project, floor_id: int) -> dict[str, int]:
    """How many rooms, counters, items, annotations and walls a floor holds (for the delete question)."""
    s = project.session
    count = {}
    for key, cls in (("rooms", Room), ("counters", Counter), ("items", InventoryItem), ("annotations", Annotation),
                       ("walls", Wall)):
        count[key] = s.scalar(select(func.count()).select_from(cls).where(cls.floor_id == floor_id)) or 0
    count["background"] = 1 if s.get(FloorBackground, floor_id) is not None else 0
    return count
