"""The architect's plan as one undoable step: the floor (made when the project has none of that
name), its rooms (names made unique, kinds guessed from the names) and its vector underlay
(replacing an earlier one). The drawing comes read by ``mpp_planner.importers.dxf``; any object
with ``rooms`` (name, outline) and ``underlay`` does (this layer does not import the importers).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from mpp_planner.commands.base import Command
from mpp_planner.commands.plan.floors import AddFloor
from mpp_planner.commands.plan.objects import CreatePlanObjects
from mpp_planner.i18n import _
from mpp_planner.model import Floor, Room
from mpp_planner.model.base import clean_name
from mpp_planner.model.plan import (ACCESSIBLE_WORDS as ACCESSIBLE_WORDS, KIND_PHRASES as KIND_PHRASES,
                                    TOILET_WORDS as TOILET_WORDS, _normalised as _normalised, _says as _says,
                                    guess_room_kind)  # a domain rule; importable from here as before
from mpp_planner.model.underlay import FloorUnderlay, Underlay
from mpp_planner.project import Project


class DrawingRoom(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def outline(self) -> Sequence[tuple[int, int]]: ...


class Drawing(Protocol):
    """What :class:`ImportPlan` needs of a read drawing (``importers.dxf.DxfPlan``)."""

    @property
    def rooms(self) -> Sequence[DrawingRoom]: ...

    @property
    def underlay(self) -> Underlay: ...


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or "name (2)", "name (3)" ... when taken (compared without case); adds it to ``taken``."""
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = name[:200 - len(suffix)].rstrip() + suffix
    taken.add(candidate.casefold())
    return candidate


# --- the command ------------------------------------------------------------------------------

class _AddImportedRooms(CreatePlanObjects):
    """The drawing's rooms, named uniquely in the whole project (the inventory finds rooms by name)."""

    def __init__(self, floor_id: int, rooms: list[tuple[str, list[list[int]], str]]):
        super().__init__(_("Import rooms"), floor_id)
        self.rooms = rooms

    def build(self, session: Session) -> list[tuple[str, Any]]:
        taken = {n.casefold() for n in session.scalars(select(Room.name))}
        return [("room", Room(floor_id=self.floor_id, name=unique_name(name, taken), kind=kind, outline=outline))
                for name, outline, kind in self.rooms]


class _PutUnderlay(Command):
    """The floor's underlay set, or replaced (keeping whether it shows and prints); undo puts back the old."""

    def __init__(self, floor_id: int, fields: dict[str, Any]):
        self.floor_id = floor_id
        self.new = fields
        self.old: dict[str, Any] | None = None
        self._first = True

    def redo(self, project: Project) -> None:
        with project.edit() as s:
            if s.get(Floor, self.floor_id) is None:
                raise LookupError(_("The floor no longer exists."))
            current = s.get(FloorUnderlay, self.floor_id)
            if self._first:
                self.old = current.column_values() if current is not None else None
                if self.old is not None:
                    self.new = {**self.new, "visible": self.old["visible"], "printed": self.old["printed"]}
                self._first = False
            if current is None:
                s.add(FloorUnderlay(floor_id=self.floor_id, **self.new))
            else:
                for f, v in self.new.items():
                    setattr(current, f, v)

    def undo(self, project: Project) -> None:
        with project.edit() as s:
            current = s.get(FloorUnderlay, self.floor_id)
            if self.old is None:
                if current is not None:
                    s.delete(current)
            elif current is not None:
                for f, v in self.old.items():
                    if f != "floor_id":
                        setattr(current, f, v)


class ImportPlan(Command):
    """A drawing's rooms and underlay onto the floor named ``floor_name`` (made when missing), as
    one step: all or nothing; undo removes exactly what it added and puts back a replaced underlay."""

    def __init__(self, floor_name: str, plan: Drawing, source: str):
        self.floor_name = clean_name("name", floor_name, max_len=100)
        self.source = clean_name("source", PurePath(str(source)).name, required=False, max_len=260)
        self.rooms = [(str(r.name), [[int(x), int(y)] for x, y in r.outline], guess_room_kind(str(r.name)))
                      for r in plan.rooms]
        underlay = plan.underlay
        encoded = getattr(plan, "underlay_data", None)  # DxfPlan packs it while reading (in the worker)
        self.underlay = {"data": encoded() if callable(encoded) else underlay.encode(), "layers": underlay.layers,
                         "entities": len(underlay), "source": self.source, "visible": True, "printed": False}
        self.text = _("Import plan {source} onto {floor}").format(source=self.source or "DXF", floor=self.floor_name)
        self.floor_id: int | None = None
        self.floor_created = False
        self._parts: list[Command] | None = None

    @property
    def room_ids(self) -> list[int]:
        if not self._parts:
            return []
        rooms = next(p for p in self._parts if isinstance(p, _AddImportedRooms))
        return [ident for kind, ident in rooms.created if kind == "room"]

    def redo(self, project: Project) -> None:
        with project.edit() as s:
            if self._parts is not None:
                for part in self._parts:
                    part.redo(project)
                return
            key = self.floor_name.casefold()
            floor = next((f for f in s.scalars(select(Floor).order_by(Floor.order, Floor.id))
                          if f.name.strip().casefold() == key), None)
            parts: list[Command] = []
            if floor is None:
                add = AddFloor(self.floor_name)
                add.redo(project)
                parts.append(add)
                assert add.floor_id is not None
                floor_id = add.floor_id
            else:
                floor_id = floor.id
            parts += [_AddImportedRooms(floor_id, self.rooms), _PutUnderlay(floor_id, dict(self.underlay))]
            for part in parts[-2:]:
                part.redo(project)
            self._parts, self.floor_id, self.floor_created = parts, floor_id, floor is None

    def undo(self, project: Project) -> None:
        with project.edit():
            for part in reversed(self._parts or []):
                part.undo(project)
