"""Edits that work on plan objects of any kind: set fields, move, align, distribute, resize,
rotate; and the two shapes every add and delete takes (:class:`CreatePlanObjects`,
:class:`DeletePlanObjects`). Each keeps furniture in the room under its centre."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mpp_planner.commands.base import Command
from mpp_planner.commands.plan.refs import (KIND_TABLE, Ref, apply_fields, describe, load_objects, object_box,
                                            set_fields, shifted_fields)
from mpp_planner.commands.plan.room_links import items_near_rooms, relinked_rooms
from mpp_planner.commands.snap import align_deltas, distribute_deltas
from mpp_planner.i18n import N_, _
from mpp_planner.model import Base, Floor, InventoryItem
from mpp_planner.project import Project, RowSnapshot, Topic


# --- editing fields of existing objects ------------------------------------------------------

class EditPlan(Command):
    """Set fields on plan objects of any kinds as one step: ``{(kind, id): {field: value}}``.

    Old values are read when first done; moved furniture and furniture in reshaped rooms is
    relinked to the room under it in the same step. With a ``merge_key``, consecutive edits
    of the same objects merge (a run of arrow-key nudges is one undo step).
    """

    def __init__(self, text: str, changes: Mapping[Ref, Mapping[str, Any]] | None = None, merge_key=None):
        self.text = text
        self.new: dict[Ref, dict[str, Any]] = {ref: dict(f) for ref, f in (changes or {}).items()}
        self.old: dict[Ref, dict[str, Any]] | None = None
        self.targets: frozenset[Ref] = frozenset(self.new)
        self.merge_key = merge_key

    def compute(self, session: Session, objs: dict[Ref, Any]) -> dict[Ref, dict[str, Any]]:
        """The new field values, from the objects as they are now (subclasses override)."""
        return self.new

    def redo(self, project: Project) -> None:
        with project.edit() as s:
            if self.old is not None:
                apply_fields(s, self.new)
                return
            objs = load_objects(s, self.targets)
            if len(objs) != len(self.targets):
                raise LookupError(_("Some of the selected objects no longer exist."))
            new = {ref: dict(fields) for ref, fields in self.compute(s, objs).items()}
            old: dict[Ref, dict[str, Any]] = {}
            for ref, fields in new.items():
                obj = objs[ref]
                old[ref] = {f: getattr(obj, f) for f in fields}
                for f, v in fields.items():
                    setattr(obj, f, v)
            moved = {obj.id: obj for ref, obj in objs.items()
                     if ref[0] == "item" and ref in new and new[ref].keys() & {"x", "y", "floor_id"}}
            reshaped = [obj for ref, obj in objs.items() if ref[0] == "room" and "outline" in new.get(ref, {})]
            if reshaped:
                s.flush()
                for it in items_near_rooms(s, reshaped, set(moved)):
                    moved[it.id] = it
            for item_id, room_id in relinked_rooms(s, moved.values()).items():
                ref = ("item", item_id)
                old.setdefault(ref, {}).setdefault("room_id", moved[item_id].room_id)
                new.setdefault(ref, {})["room_id"] = room_id
                set_fields(s, moved[item_id], {"room_id": room_id})
            self.new, self.old = new, old

    def undo(self, project: Project) -> None:
        with project.edit() as s:
            apply_fields(s, self.old or {})

    def merge(self, other: Command) -> bool:
        if (type(other) is not type(self) or other.targets != self.targets
                or self.old is None or other.old is None):
            return False
        for ref, fields in other.new.items():
            self.new.setdefault(ref, {}).update(fields)
        for ref, fields in other.old.items():
            for f, v in fields.items():
                self.old.setdefault(ref, {}).setdefault(f, v)
        return True


class SetProperties(EditPlan):
    """Values typed in the properties panel, for one object or several."""

    def __init__(self, changes: Mapping[Ref, Mapping[str, Any]], text: str | None = None):
        super().__init__(text or _("Edit {what}").format(what=describe(changes)), changes)


class ShiftObjects(EditPlan):
    """Move each object by its own (dx, dy) in mm."""

    def __init__(self, deltas: Mapping[Ref, tuple[int, int]], text: str | None = None, merge_key=None):
        super().__init__(text or _("Move {what}").format(what=describe(deltas)), None, merge_key)
        self.deltas = {ref: (round(dx), round(dy)) for ref, (dx, dy) in deltas.items()}
        self.targets = frozenset(self.deltas)

    def compute(self, session, objs):
        return {ref: shifted_fields(ref[0], objs[ref], dx, dy) for ref, (dx, dy) in self.deltas.items()}

    def redo(self, project: Project) -> None:
        with project.edit():  # one transaction with the moves: the notice says "rooms moved" too
            super().redo(project)
            declare_moved(project, self.deltas)

    def undo(self, project: Project) -> None:
        with project.edit():
            super().undo(project)
            declare_moved(project, self.deltas)


KIND_TOPICS = {"room": Topic.ROOMS, "counter": Topic.COUNTERS, "item": Topic.INVENTORY,
               "annotation": Topic.ANNOTATIONS, "wall": Topic.WALLS, "opening": Topic.WALLS}


def declare_moved(project: Project, refs) -> None:
    """Say in the edit's notice that objects of these kinds moved (a screen may follow only moves)."""
    for kind in {ref[0] for ref in refs}:
        if kind in KIND_TOPICS:
            project.declare(KIND_TOPICS[kind], "moved")


class MoveObjects(ShiftObjects):
    """Move a selection by (dx, dy) mm: a drag (one command on release) or a nudge
    (pushed with a merge key, so a run of nudges is one undo step)."""

    def __init__(self, refs: Iterable[Ref], dx: int, dy: int, merge_key=None):
        super().__init__({ref: (dx, dy) for ref in refs}, merge_key=merge_key)


ALIGN_TEXTS = {
    "left": N_("Align {what} left"),
    "right": N_("Align {what} right"),
    "top": N_("Align {what} to the top"),
    "bottom": N_("Align {what} to the bottom"),
    "hcenter": N_("Centre {what} horizontally"),
    "vcenter": N_("Centre {what} vertically"),
}
DISTRIBUTE_TEXTS = {
    "horizontal": N_("Distribute {what} horizontally"),
    "vertical": N_("Distribute {what} vertically"),
}


class AlignObjects(EditPlan):
    """Line up the selection on its outermost left/right/top/bottom edge (or centre)."""

    def __init__(self, refs: Iterable[Ref], mode: str):
        refs = list(refs)
        super().__init__(_(ALIGN_TEXTS[mode]).format(what=describe(refs)))
        self.mode = mode
        self.targets = frozenset(refs)

    def compute(self, session, objs):
        deltas = align_deltas({ref: object_box(ref[0], obj) for ref, obj in objs.items()}, self.mode)
        return {ref: shifted_fields(ref[0], objs[ref], dx, dy) for ref, (dx, dy) in deltas.items()}


class DistributeObjects(EditPlan):
    """Equal gaps between three or more objects (a row of counters or chairs)."""

    def __init__(self, refs: Iterable[Ref], axis: str):
        refs = list(refs)
        super().__init__(_(DISTRIBUTE_TEXTS[axis]).format(what=describe(refs)))
        self.axis = axis
        self.targets = frozenset(refs)

    def compute(self, session, objs):
        deltas = distribute_deltas({ref: object_box(ref[0], obj) for ref, obj in objs.items()}, self.axis)
        return {ref: shifted_fields(ref[0], objs[ref], dx, dy) for ref, (dx, dy) in deltas.items()}


class ResizeObject(EditPlan):
    """A counter or item dragged by a resize handle: new centre and size in mm."""

    def __init__(self, ref: Ref, x: int, y: int, width: int, depth: int):
        super().__init__(_("Resize {what}").format(what=describe([ref])),
                         {ref: {"x": x, "y": y, "width": width, "depth": depth}})


class RotateObject(EditPlan):
    """A counter or item turned by its rotation handle (degrees, clockwise)."""

    def __init__(self, ref: Ref, rotation: float):
        super().__init__(_("Rotate {what}").format(what=describe([ref])), {ref: {"rotation": rotation}})


class RotateObjects(EditPlan):
    """Turn each counter and item of the selection by ``by`` degrees about its own centre."""

    def __init__(self, refs: Iterable[Ref], by: float = 90.0):
        refs = [r for r in refs if r[0] in ("counter", "item")]
        super().__init__(_("Rotate {what}").format(what=describe(refs)))
        self.by = by
        self.targets = frozenset(refs)

    def compute(self, session, objs):
        return {ref: {"rotation": obj.rotation + self.by} for ref, obj in objs.items()}


# --- creating objects -------------------------------------------------------------------------

class CreatePlanObjects(Command):
    """Add new plan objects as one step. New furniture counts in the room under it; a new
    room takes in the furniture standing inside it. Undo removes exactly what was added;
    redo puts back the very same rows (same ids)."""

    def __init__(self, text: str, floor_id: int):
        self.text = text
        self.floor_id = floor_id
        self.created: list[Ref] = []
        self._snapshot: RowSnapshot | None = None
        self._links_old: dict[Ref, dict] = {}
        self._links_new: dict[Ref, dict] = {}

    def build(self, session: Session) -> list[tuple[str, Any]]:
        raise NotImplementedError

    def redo(self, project: Project) -> None:
        with project.edit() as s:
            if self._snapshot is not None:
                project.restore_rows(self._snapshot)
                apply_fields(s, self._links_new)
                return
            if s.get(Floor, self.floor_id) is None:
                raise LookupError(_("The floor no longer exists."))
            pairs = self.build(s)
            s.add_all([obj for _kind, obj in pairs])
            s.flush()
            self.created = [(kind, obj.id) for kind, obj in pairs]
            items = {obj.id: obj for kind, obj in pairs if kind == "item"}
            new_ids = set(items)
            rooms = [obj for kind, obj in pairs if kind == "room"]
            if rooms:
                for it in items_near_rooms(s, rooms, new_ids):
                    items[it.id] = it
            for item_id, room_id in relinked_rooms(s, items.values()).items():
                obj = items[item_id]
                if item_id not in new_ids:
                    self._links_old[("item", item_id)] = {"room_id": obj.room_id}
                    self._links_new[("item", item_id)] = {"room_id": room_id}
                set_fields(s, obj, {"room_id": room_id})

    def undo(self, project: Project) -> None:
        by_table: dict[str, list[int]] = defaultdict(list)
        for kind, ident in self.created:
            by_table[KIND_TABLE[kind]].append(ident)
        snap = RowSnapshot()
        with project.edit() as s:
            apply_fields(s, self._links_old)
            for table in [t.name for t in Base.metadata.sorted_tables if t.name in by_table]:
                part = project.delete_rows(table, by_table[table])
                snap.rows.extend(part.rows)
                snap.nulled.extend(part.nulled)
        self._snapshot = snap


# --- deleting ---------------------------------------------------------------------------------

class DeletePlanObjects(Command):
    """Delete plan objects (a deleted item leaves the inventory too; everything comes back on
    undo). Furniture that stood in a deleted room moves to the room around it, if any."""

    def __init__(self, refs: Iterable[Ref]):
        self.refs = list(dict.fromkeys(refs))
        self.text = _("Delete {what}").format(what=describe(self.refs))
        self._snapshot: RowSnapshot | None = None
        self._links: dict[Ref, dict] | None = None

    def redo(self, project: Project) -> None:
        by_table: dict[str, list[int]] = defaultdict(list)
        for kind, ident in self.refs:
            by_table[KIND_TABLE[kind]].append(ident)
        with project.edit() as s:
            orphans: list[int] = []
            if self._links is None and by_table.get("room"):
                gone_items = set(by_table.get("inventory_item", ()))
                orphans = [i for i in s.scalars(select(InventoryItem.id).where(
                    InventoryItem.room_id.in_(by_table["room"]), InventoryItem.x.is_not(None)))
                    if i not in gone_items]
            snap = RowSnapshot()
            for table in [t.name for t in Base.metadata.sorted_tables if t.name in by_table]:
                part = project.delete_rows(table, by_table[table])
                snap.rows.extend(part.rows)
                snap.nulled.extend(part.nulled)
            if self._links is None:
                items = load_objects(s, [("item", i) for i in orphans]).values()
                self._links = {("item", i): {"room_id": r} for i, r in relinked_rooms(s, items).items()}
            apply_fields(s, self._links)
            self._snapshot = snap

    def undo(self, project: Project) -> None:
        with project.edit() as s:
            apply_fields(s, {ref: {"room_id": None} for ref in self._links or {}})
            if self._snapshot is not None:
                project.restore_rows(self._snapshot)
