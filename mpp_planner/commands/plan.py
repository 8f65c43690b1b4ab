"""Undoable plan edits: rooms, counters, furniture, annotations, floors and floor backgrounds.

A plan object is named by a reference ``(kind, id)`` with kind one of ``room``, ``counter``,
``item`` (an inventory item drawn on the plan) or ``annotation``. Every command runs in one
transaction of the project facade (validated by the model, committed at once). Furniture
always counts in the room under its centre: placing, moving or pasting an item, or drawing,
reshaping or deleting a room, moves the affected items in the inventory in the same step.
"""

from __future__ import annotations

import math
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, selectinload

from mpp_planner.commands.base import Command
from mpp_planner.commands.generic import DeleteObjects, SetFields
from mpp_planner.commands.snap import Box, align_deltas, distribute_deltas, next_label, rotated_bounds
from mpp_planner.i18n import N_, _, ngettext
from mpp_planner.model import (Annotation, Base, Counter, Floor, FloorBackground, InventoryItem, ItemType, Room,
                               ValidationError)
from mpp_planner.model import geometry
from mpp_planner.model.base import clean_name
from mpp_planner.model.plan import AnnotationKind, RoomKind, clean_coord
from mpp_planner.project import Project, RowSnapshot

Ref = tuple[str, int]

KIND_MODEL = {"room": Room, "counter": Counter, "item": InventoryItem, "annotation": Annotation}
TABLE_KIND = {"room": "room", "counter": "counter", "inventory_item": "item", "annotation": "annotation"}
KIND_TABLE = {kind: table for table, kind in TABLE_KIND.items()}

DEFAULT_COUNTER_SIZE = (1800, 800)  # a standard service desk, mm
DEFAULT_TEXT_HEIGHT = 300  # mm


# --- readable undo texts ------------------------------------------------------------------

def _noun(kind: str, n: int) -> str:
    if n == 1:
        return {"room": _("room"), "counter": _("counter"), "item": _("item"),
                "annotation": _("annotation")}.get(kind, _("object"))
    if kind == "room":
        return ngettext("{n} room", "{n} rooms", n).format(n=n)
    if kind == "counter":
        return ngettext("{n} counter", "{n} counters", n).format(n=n)
    if kind == "item":
        return ngettext("{n} item", "{n} items", n).format(n=n)
    if kind == "annotation":
        return ngettext("{n} annotation", "{n} annotations", n).format(n=n)
    return ngettext("{n} object", "{n} objects", n).format(n=n)


def describe(refs: Iterable[Ref]) -> str:
    """"3 counters", "room", "5 objects": what a command works on, for its undo text."""
    refs = list(refs)
    kinds = {kind for kind, _id in refs}
    return _noun(kinds.pop() if len(kinds) == 1 else "object", len(refs))


# --- reading plan objects -----------------------------------------------------------------

def _chunks(ids: Sequence, size: int = 500):
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def held_object(session: Session, cls, ident, needs: Iterable[str] = ()):
    """The object if the session already holds it fully loaded (no query needed), else None."""
    obj = session.identity_map.get(session.identity_key(cls, ident))
    if obj is None:
        return None
    state = sa_inspect(obj)
    if state.expired_attributes or not all(n in state.dict for n in needs):
        return None
    return obj


def load_objects(session: Session, refs: Iterable[Ref]) -> dict[Ref, Any]:
    """The ORM objects for ``refs``: those the session holds, then one query per kind for the
    rest (never one query per object)."""
    by_kind: dict[str, list[int]] = defaultdict(list)
    out: dict[Ref, Any] = {}
    for kind, ident in refs:
        cls = KIND_MODEL[kind]
        obj = held_object(session, cls, ident, ("item_type",) if cls is InventoryItem else ())
        if obj is not None:
            out[(kind, ident)] = obj
        else:
            by_kind[kind].append(ident)
    for kind, ids in by_kind.items():
        cls = KIND_MODEL[kind]
        for chunk in _chunks(sorted(set(ids))):
            stmt = select(cls).where(cls.id.in_(chunk))
            if cls is InventoryItem:
                stmt = stmt.options(selectinload(InventoryItem.item_type))
            for obj in session.scalars(stmt):
                out[(kind, obj.id)] = obj
    _keep_recent(session, out)
    return out


RECENT_LIMIT = 5000


def _keep_recent(session: Session, objs: Mapping[Ref, Any]) -> None:
    """Hold the objects last edited on the plan strongly: the session's identity map is weak, so
    without this a drag or a run of nudges would load the same objects again at every step."""
    recent = session.info.setdefault("plan_recent", OrderedDict())
    for ref, obj in objs.items():
        recent[ref] = obj
        recent.move_to_end(ref)
    while len(recent) > RECENT_LIMIT:
        recent.popitem(last=False)


def text_box(x: float, y: float, text: str, height: float) -> Box:
    """Rough bounds of a text annotation centred on (x, y)."""
    lines = (text or " ").splitlines() or [" "]
    width = max(len(line) for line in lines) * height * 0.6 + height * 0.4
    total = len(lines) * height * 1.25
    return Box(x - width / 2, y - total / 2, x + width / 2, y + total / 2)


def object_box(kind: str, obj) -> Box:
    """Axis-aligned bounds of a plan object (rotated boxes included)."""
    if kind == "room":
        return Box.around(obj.outline)
    if kind == "counter":
        return rotated_bounds(obj.x, obj.y, obj.width, obj.depth, obj.rotation)
    if kind == "item":
        return rotated_bounds(obj.x, obj.y, obj.plan_width, obj.plan_depth, obj.rotation)
    if obj.kind == AnnotationKind.DIMENSION.value:
        return Box.around([(obj.x1, obj.y1), (obj.x2, obj.y2)])
    return text_box(obj.x1, obj.y1, obj.text, obj.font_size)


def shifted_fields(kind: str, obj, dx: int, dy: int) -> dict[str, Any]:
    """The position fields of ``obj`` moved by (dx, dy)."""
    if kind == "room":
        return {"outline": [[x + dx, y + dy] for x, y in obj.outline]}
    if kind in ("counter", "item"):
        return {"x": obj.x + dx, "y": obj.y + dy}
    fields = {"x1": obj.x1 + dx, "y1": obj.y1 + dy}
    if obj.kind == AnnotationKind.DIMENSION.value:
        fields.update(x2=obj.x2 + dx, y2=obj.y2 + dy)
    return fields


def resized_outline(outline: Sequence[Sequence[float]], width: float, height: float) -> list[list[int]]:
    """``outline`` scaled about its top-left corner to the given bounding width and height (mm)."""
    box = Box.around(outline)
    fx = width / box.width if box.width else 1.0
    fy = height / box.height if box.height else 1.0
    return [[round(box.left + (x - box.left) * fx), round(box.top + (y - box.top) * fy)] for x, y in outline]


# --- furniture follows the room under it ----------------------------------------------------

@dataclass
class _RoomShape:
    id: int
    outline: list
    area: float
    box: Box


def floor_rooms(session: Session, floor_id: int) -> list[_RoomShape]:
    rows = session.execute(select(Room.id, Room.outline).where(Room.floor_id == floor_id)).all()
    return [_RoomShape(rid, outline, geometry.polygon_area_mm2(outline), Box.around(outline))
            for rid, outline in rows]


def room_at(rooms: Iterable[_RoomShape], x: float, y: float) -> int | None:
    """The smallest room containing (x, y) (a desk inside a lobby counts in the desk's room)."""
    best: _RoomShape | None = None
    for r in rooms:
        b = r.box
        if b.left <= x <= b.right and b.top <= y <= b.bottom and geometry.point_in_polygon(x, y, r.outline):
            if best is None or r.area < best.area:
                best = r
    return best.id if best else None


def relinked_rooms(session: Session, items: Iterable[InventoryItem]) -> dict[int, int | None]:
    """``{item id: room id}`` for items on the plan whose centre now lies in another room."""
    by_floor: dict[int, list[InventoryItem]] = defaultdict(list)
    for it in items:
        if it.x is not None and it.y is not None and it.floor_id is not None:
            by_floor[it.floor_id].append(it)
    out: dict[int, int | None] = {}
    for floor_id, its in by_floor.items():
        rooms = floor_rooms(session, floor_id)
        for it in its:
            rid = room_at(rooms, it.x, it.y)
            if rid != it.room_id:
                out[it.id] = rid
    return out


def items_near_rooms(session: Session, rooms: Iterable[Room], exclude: set[int] = frozenset()) -> list[InventoryItem]:
    """Items on the plan that belong to ``rooms`` or stand inside their outlines."""
    by_floor: dict[int, list[Room]] = defaultdict(list)
    for r in rooms:
        by_floor[r.floor_id].append(r)
    out: list[InventoryItem] = []
    for floor_id, rs in by_floor.items():
        inside = []
        for r in rs:
            b = Box.around(r.outline)
            inside.append(and_(InventoryItem.x.between(b.left, b.right), InventoryItem.y.between(b.top, b.bottom)))
        stmt = (select(InventoryItem)
                .where(InventoryItem.floor_id == floor_id, InventoryItem.x.is_not(None),
                       or_(InventoryItem.room_id.in_([r.id for r in rs if r.id is not None]), *inside)))
        out.extend(it for it in session.scalars(stmt) if it.id not in exclude)
    return out


def set_fields(session: Session, obj, fields: Mapping[str, Any]) -> None:
    """Set model fields (validated by the model); a changed room link also drops the loaded
    ``room`` so that nobody reads the old room from memory."""
    for f, v in fields.items():
        setattr(obj, f, v)
    if "room_id" in fields and isinstance(obj, InventoryItem):
        session.expire(obj, ["room"])


def _apply(session: Session, values: Mapping[Ref, Mapping[str, Any]]) -> None:
    objs = load_objects(session, values)
    for ref, fields in values.items():
        obj = objs.get(ref)
        if obj is None:
            raise LookupError(_("The {what} no longer exists.").format(what=_noun(ref[0], 1)))
        set_fields(session, obj, fields)


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

    def compute(self, session: Session, objs: Mapping[Ref, Any]) -> dict[Ref, dict[str, Any]]:
        """The new field values, from the objects as they are now (subclasses override)."""
        return self.new

    def redo(self, project: Project) -> None:
        with project.edit() as s:
            if self.old is not None:
                _apply(s, self.new)
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
            _apply(s, self.old or {})

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


class EditRoomOutline(EditPlan):
    """A room's corners moved (vertex handles); furniture follows the new outline."""

    def __init__(self, room_id: int, outline: Sequence[Sequence[int]]):
        super().__init__(_("Reshape room"), {("room", room_id): {"outline": [list(p) for p in outline]}})


class RemoveFromPlan(EditPlan):
    """Take furniture off the plan but keep it in its room's inventory."""

    def __init__(self, refs: Iterable[Ref]):
        refs = [r for r in refs if r[0] == "item"]
        super().__init__(_("Remove {what} from the plan").format(what=describe(refs)),
                         {ref: {"x": None, "y": None, "floor_id": None} for ref in refs})


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
                _apply(s, self._links_new)
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
            _apply(s, self._links_old)
            for table in [t.name for t in Base.metadata.sorted_tables if t.name in by_table]:
                part = project.delete_rows(table, by_table[table])
                snap.rows.extend(part.rows)
                snap.nulled.extend(part.nulled)
        self._snapshot = snap


def _unique_name(base: str, taken: set[str]) -> str:
    n = 1
    while base.format(n=n) in taken:
        n += 1
    return base.format(n=n)


def _floor_position(session: Session, floor_id: int) -> int:
    """1 for the first floor in tab order, 2 for the next..."""
    ids = list(session.scalars(select(Floor.id).order_by(Floor.order, Floor.id)))
    return ids.index(floor_id) + 1 if floor_id in ids else 1


class AddRoom(CreatePlanObjects):
    """A room drawn on the plan (rectangle or polygon); named "Room N" until renamed."""

    def __init__(self, floor_id: int, outline: Sequence[Sequence[int]], name: str | None = None,
                 kind: str = RoomKind.OTHER.value):
        super().__init__(_("Draw room"), floor_id)
        self.outline = [list(p) for p in outline]
        self.name = name
        self.kind = kind

    def build(self, session):
        names = set(session.scalars(select(Room.name).where(Room.floor_id == self.floor_id)))
        name = self.name or _unique_name(_("Room {n}"), names)
        return [("room", Room(floor_id=self.floor_id, name=name, kind=self.kind, outline=self.outline))]


def counter_labels(session: Session, floor_id: int) -> list[str]:
    return list(session.scalars(select(Counter.label).where(Counter.floor_id == floor_id)))


class PlaceCounter(CreatePlanObjects):
    """A new counter centred on (x, y), labelled with the floor's next number (L1-19)."""

    def __init__(self, floor_id: int, x: int, y: int, rotation: float = 0.0, label: str | None = None,
                 size: tuple[int, int] = DEFAULT_COUNTER_SIZE):
        super().__init__(_("Place counter"), floor_id)
        self.x, self.y, self.rotation, self.label, self.size = x, y, rotation, label, size

    def build(self, session):
        label = self.label or next_label(counter_labels(session, self.floor_id),
                                         f"L{_floor_position(session, self.floor_id)}-")
        return [("counter", Counter(floor_id=self.floor_id, label=label, x=self.x, y=self.y, width=self.size[0],
                                    depth=self.size[1], rotation=self.rotation))]


class PlaceItem(CreatePlanObjects):
    """A catalog item put on the plan: a new inventory row (quantity 1, condition B) in the
    room under it."""

    def __init__(self, floor_id: int, item_type_id: int, x: int, y: int, rotation: float = 0.0):
        super().__init__(_("Place item"), floor_id)
        self.item_type_id, self.x, self.y, self.rotation = item_type_id, x, y, rotation

    def build(self, session):
        it = session.get(ItemType, self.item_type_id)
        if it is None:
            raise LookupError(_("This catalog item no longer exists."))
        self.text = _("Place {name}").format(name=it.name)
        return [("item", InventoryItem(item_type=it, floor_id=self.floor_id, x=self.x, y=self.y,
                                       rotation=self.rotation, quantity=Decimal("1"), condition="B"))]


class AddAnnotation(CreatePlanObjects):
    """A dimension line from (x1, y1) to (x2, y2), or a text label centred on (x1, y1)."""

    def __init__(self, floor_id: int, kind: str, x1: int, y1: int, x2: int = 0, y2: int = 0, text: str = "",
                 font_size: int = DEFAULT_TEXT_HEIGHT):
        super().__init__(_("Add dimension") if kind == AnnotationKind.DIMENSION.value else _("Add text"), floor_id)
        if kind == AnnotationKind.DIMENSION.value and (x1, y1) == (x2, y2):
            raise ValidationError("annotation", _("A dimension line needs two different points."))
        if kind == AnnotationKind.TEXT.value and not str(text).strip():
            raise ValidationError("text", _("A text label needs some text."))
        self.values = dict(kind=kind, x1=x1, y1=y1, x2=x2, y2=y2, text=text, font_size=font_size)

    def build(self, session):
        return [("annotation", Annotation(floor_id=self.floor_id, **self.values))]


# --- clipboard: copy, paste, duplicate --------------------------------------------------------

CLIPBOARD_FORMAT = "mpp-plan/1"
COPY_FIELDS = {
    "room": ("name", "kind", "outline"),
    "counter": ("label", "x", "y", "width", "depth", "rotation", "staff_count", "notes"),
    "item": ("item_type_id", "x", "y", "width", "depth", "rotation", "quantity", "condition", "brand_model",
             "size", "material", "year", "purchase_price"),
    "annotation": ("kind", "x1", "y1", "x2", "y2", "text", "font_size"),
}


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value


def copy_payload(project: Project, refs: Iterable[Ref]) -> dict:
    """The selection as plain JSON-able data for the clipboard (ids and links left out)."""
    objs = load_objects(project.session, refs)
    order = {"room": 0, "annotation": 1, "counter": 2, "item": 3}
    objects = []
    for (kind, _id), obj in sorted(objs.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])):
        objects.append({"kind": kind, "fields": {f: _plain(getattr(obj, f)) for f in COPY_FIELDS[kind]}})
    box = Box.union(object_box(ref[0], obj) for ref, obj in objs.items()) if objs else Box(0, 0, 0, 0)
    return {"format": CLIPBOARD_FORMAT, "objects": objects, "bounds": [box.left, box.top, box.right, box.bottom]}


def payload_bounds(payload: dict) -> Box:
    left, top, right, bottom = payload.get("bounds") or (0, 0, 0, 0)
    return Box(left, top, right, bottom)


class PasteObjects(CreatePlanObjects):
    """Copies of clipboard objects on ``floor_id``, moved by (dx, dy) mm. Counters get the next
    free label; items become new inventory rows in the room under them."""

    def __init__(self, floor_id: int, payload: dict, dx: int = 0, dy: int = 0, duplicate: bool = False):
        if not isinstance(payload, dict) or payload.get("format") != CLIPBOARD_FORMAT \
                or not isinstance(payload.get("objects"), list):
            raise ValidationError("clipboard", _("The clipboard does not hold plan objects."))
        objects = payload["objects"]
        if not objects or not all(isinstance(o, dict) and o.get("kind") in COPY_FIELDS
                                  and isinstance(o.get("fields"), dict) for o in objects):
            raise ValidationError("clipboard", _("The clipboard does not hold plan objects."))
        refs = [(o["kind"], 0) for o in objects]
        verb = _("Duplicate {what}") if duplicate else _("Paste {what}")
        super().__init__(verb.format(what=describe(refs)), floor_id)
        self.objects = objects
        self.dx, self.dy = round(dx), round(dy)

    def build(self, session):
        labels = set(counter_labels(session, self.floor_id))
        prefix = f"L{_floor_position(session, self.floor_id)}-"
        pairs = []
        for data in self.objects:
            kind = data["kind"]
            values = {f: data["fields"][f] for f in COPY_FIELDS[kind] if f in data["fields"]}
            if kind == "room":
                values["outline"] = [[x + self.dx, y + self.dy] for x, y in values.get("outline") or []]
                pairs.append(("room", Room(floor_id=self.floor_id, **values)))
            elif kind == "annotation":
                for f in ("x1", "x2"):
                    values[f] = values.get(f, 0) + self.dx
                for f in ("y1", "y2"):
                    values[f] = values.get(f, 0) + self.dy
                pairs.append(("annotation", Annotation(floor_id=self.floor_id, **values)))
            elif kind == "counter":
                values["x"] = values.get("x", 0) + self.dx
                values["y"] = values.get("y", 0) + self.dy
                label = str(values.get("label") or "")
                if not label or label in labels:
                    label = next_label(labels, prefix)
                labels.add(label)
                values["label"] = label
                pairs.append(("counter", Counter(floor_id=self.floor_id, **values)))
            else:
                it = session.get(ItemType, values.pop("item_type_id", None))
                if it is None:
                    raise LookupError(_("A copied item's catalog entry no longer exists."))
                values["x"] = values.get("x", 0) + self.dx
                values["y"] = values.get("y", 0) + self.dy
                values.setdefault("quantity", "1")
                item = InventoryItem(item_type=it, floor_id=self.floor_id)
                for f, v in values.items():  # item_type first: quantity checks its unit
                    setattr(item, f, v)
                pairs.append(("item", item))
        return pairs


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
            _apply(s, self._links)
            self._snapshot = snap

    def undo(self, project: Project) -> None:
        with project.edit() as s:
            _apply(s, {ref: {"room_id": None} for ref in self._links or {}})
            if self._snapshot is not None:
                project.restore_rows(self._snapshot)


# --- floors -----------------------------------------------------------------------------------

class AddFloor(Command):
    """A new floor after the last one."""

    def __init__(self, name: str):
        self.name = clean_name("name", name, max_len=100)
        self.text = _("Add floor {name}").format(name=self.name)
        self.floor_id: int | None = None

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
    """How many rooms, counters, items and annotations a floor holds (for the delete question)."""
    s = project.session
    count = {}
    for key, cls in (("rooms", Room), ("counters", Counter), ("items", InventoryItem), ("annotations", Annotation)):
        count[key] = s.scalar(select(func.count()).select_from(cls).where(cls.floor_id == floor_id)) or 0
    count["background"] = 1 if s.get(FloorBackground, floor_id) is not None else 0
    return count


# --- floor backgrounds ------------------------------------------------------------------------

MAX_IMAGE_SIDE = 20_000  # px
MAX_IMAGE_PIXELS = 100_000_000  # a 100 MP scan already needs 400 MB once decoded
MIN_MM_PER_PX, MAX_MM_PER_PX = 0.01, 10_000.0
IMAGE_FORMATS = ("png", "jpeg")


def image_info(data: bytes) -> tuple[str, int, int] | None:
    """(format, width, height) read from a PNG or JPEG header without decoding; None otherwise."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR" and len(data) >= 24:
        return "png", int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if data[:3] == b"\xff\xd8\xff":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                return None
            marker = data[i + 1]
            if marker == 0xFF:
                i += 1
                continue
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                i += 2
                continue
            length = int.from_bytes(data[i + 2:i + 4], "big")
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                h = int.from_bytes(data[i + 5:i + 7], "big")
                w = int.from_bytes(data[i + 7:i + 9], "big")
                return "jpeg", w, h
            if length < 2:
                return None
            i += 2 + length
    return None


def check_image_size(width: int, height: int) -> None:
    """Refuse images too large to show (checked from the header, before decoding)."""
    if width <= 0 or height <= 0:
        raise ValidationError("image", _("The image has no pixels."))
    if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
        raise ValidationError("image", _(
            "The image is too large ({w} × {h} pixels). Use an image of at most {side} pixels on a side "
            "and {mp} megapixels, e.g. scan at a lower resolution.").format(
                w=f"{width:,}", h=f"{height:,}", side=f"{MAX_IMAGE_SIDE:,}", mp=MAX_IMAGE_PIXELS // 1_000_000))


def check_image(data: bytes) -> tuple[str, int, int]:
    """The format and size of a background image file, or a ValidationError saying why not."""
    info = image_info(bytes(data[:65536])) if data else None
    if info is None and data and data[:3] == b"\xff\xd8\xff":
        info = image_info(bytes(data))  # a JPEG with large metadata before its frame header
    if info is None:
        raise ValidationError("image", _("This file is not a PNG or JPEG image."))
    check_image_size(info[1], info[2])
    return info


def clean_scale(value) -> float:
    try:
        scale = float(value)
    except (TypeError, ValueError):
        raise ValidationError("mm_per_px", _("The scale must be a number.")) from None
    if not math.isfinite(scale) or not MIN_MM_PER_PX <= scale <= MAX_MM_PER_PX:
        raise ValidationError("mm_per_px", _("The scale must be between {lo} and {hi} mm per pixel.").format(
            lo=MIN_MM_PER_PX, hi=f"{MAX_MM_PER_PX:,.0f}"))
    return scale


def clean_opacity(value) -> float:
    try:
        opacity = float(value)
    except (TypeError, ValueError):
        raise ValidationError("opacity", _("Opacity must be a number between 0 and 1.")) from None
    if not math.isfinite(opacity) or not 0.0 <= opacity <= 1.0:
        raise ValidationError("opacity", _("Opacity must be a number between 0 and 1."))
    return round(opacity, 3)


def parse_distance_m(value) -> float:
    """A typed distance in metres ("12,5" or "12.5"), positive and finite."""
    try:
        metres = float(str(value).strip().replace(",", "."))
    except (TypeError, ValueError):
        raise ValidationError("distance", _("The distance must be a number of metres.")) from None
    if not math.isfinite(metres) or metres <= 0:
        raise ValidationError("distance", _("The distance must be more than 0 m."))
    if metres > 1000:
        raise ValidationError("distance", _("The distance must be at most 1000 m."))
    return metres


def calibrated_scale(p1: Sequence[float], p2: Sequence[float], metres, mm_per_px: float) -> float:
    """The image scale (mm per pixel) that makes the two clicked points ``metres`` apart."""
    metres = parse_distance_m(metres)
    pixels = geometry.distance(p1, p2) / mm_per_px
    if pixels < 2:
        raise ValidationError("points", _("The two points are the same; click two points some distance apart."))
    return clean_scale(metres * 1000.0 / pixels)


def _clean_background(fields: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for f, v in fields.items():
        if f == "mm_per_px":
            out[f] = clean_scale(v)
        elif f in ("origin_x", "origin_y"):
            out[f] = clean_coord(f, round(float(v)))
        elif f == "opacity":
            out[f] = clean_opacity(v)
        elif f == "visible":
            out[f] = bool(v)
        elif f == "image":
            fmt, _w, _h = check_image(v)
            out[f] = bytes(v)
            out["image_format"] = fmt
        elif f == "image_format":
            continue
        else:
            raise KeyError(f)
    return out


class SetBackground(Command):
    """Change a floor background's scale, origin, opacity or visibility (validated here: the
    model has no rules for these)."""

    def __init__(self, floor_id: int, fields: Mapping[str, Any], text: str, merge_key=None):
        self.floor_id = floor_id
        self.new = _clean_background(fields)
        self.old: dict[str, Any] | None = None
        self.text = text
        self.merge_key = merge_key

    def compute(self, bg: FloorBackground) -> dict[str, Any]:
        return self.new

    def redo(self, project: Project) -> None:
        with project.edit() as s:
            bg = s.get(FloorBackground, self.floor_id)
            if bg is None:
                raise LookupError(_("This floor has no background image."))
            if self.old is None:
                self.new = _clean_background(self.compute(bg))
                self.old = {f: getattr(bg, f) for f in self.new}
            for f, v in self.new.items():
                setattr(bg, f, v)

    def undo(self, project: Project) -> None:
        with project.edit() as s:
            bg = s.get(FloorBackground, self.floor_id)
            for f, v in (self.old or {}).items():
                setattr(bg, f, v)

    def merge(self, other: Command) -> bool:
        if not isinstance(other, SetBackground) or other.floor_id != self.floor_id or self.old is None:
            return False
        self.new.update(other.new)
        for f, v in (other.old or {}).items():
            self.old.setdefault(f, v)
        return True


def SetBackgroundOpacity(floor_id: int, opacity: float) -> SetBackground:  # noqa: N802
    """Merges while the slider moves (one undo step per drag)."""
    return SetBackground(floor_id, {"opacity": opacity}, _("Change background opacity"),
                         merge_key=("background-opacity", floor_id))


def SetBackgroundVisible(floor_id: int, visible: bool) -> SetBackground:  # noqa: N802
    return SetBackground(floor_id, {"visible": visible}, _("Show background") if visible else _("Hide background"))


class SetBackgroundOrigin(SetBackground):
    """Shift the background so the clicked point (x, y) becomes the plan's origin (0, 0)."""

    def __init__(self, floor_id: int, x: int, y: int):
        super().__init__(floor_id, {}, _("Set background origin"))
        self.point = (x, y)

    def compute(self, bg):
        return {"origin_x": bg.origin_x - self.point[0], "origin_y": bg.origin_y - self.point[1]}


class CalibrateBackground(SetBackground):
    """Scale the background so the points p1 and p2 (plan mm) are ``metres`` apart; p1 stays
    where it is on the plan."""

    def __init__(self, floor_id: int, p1: Sequence[float], p2: Sequence[float], metres):
        super().__init__(floor_id, {}, _("Calibrate background"))
        self.p1, self.p2 = tuple(p1), tuple(p2)
        self.metres = parse_distance_m(metres)
        if geometry.distance(self.p1, self.p2) < 1:
            raise ValidationError("points", _("The two points are the same; click two points some distance apart."))

    def compute(self, bg):
        scale = calibrated_scale(self.p1, self.p2, self.metres, bg.mm_per_px)
        f = scale / bg.mm_per_px
        ox = self.p1[0] - (self.p1[0] - bg.origin_x) * f
        oy = self.p1[1] - (self.p1[1] - bg.origin_y) * f
        return {"mm_per_px": scale, "origin_x": ox, "origin_y": oy}


class ImportBackground(Command):
    """Put a PNG/JPEG scan under a floor (replacing any earlier one); the file's bytes are
    stored in the project. Checked before anything changes: not an image, or too large, is
    refused with a message."""

    def __init__(self, floor_id: int, data: bytes, mm_per_px: float = 10.0, origin: tuple[int, int] = (0, 0)):
        self.floor_id = floor_id
        fmt, self.width_px, self.height_px = check_image(data)
        self.new = {"image": bytes(data), "image_format": fmt, "mm_per_px": clean_scale(mm_per_px),
                    "origin_x": clean_coord("origin_x", origin[0]), "origin_y": clean_coord("origin_y", origin[1]),
                    "opacity": 0.5, "visible": True}
        self.old: dict[str, Any] | None = None
        self._first = True
        self.text = _("Import background image")

    def redo(self, project: Project) -> None:
        with project.edit() as s:
            if s.get(Floor, self.floor_id) is None:
                raise LookupError(_("The floor no longer exists."))
            bg = s.get(FloorBackground, self.floor_id)
            if self._first:
                self.old = bg.column_values() if bg is not None else None
                self._first = False
            if bg is None:
                s.add(FloorBackground(floor_id=self.floor_id, **self.new))
            else:
                for f, v in self.new.items():
                    setattr(bg, f, v)

    def undo(self, project: Project) -> None:
        with project.edit() as s:
            bg = s.get(FloorBackground, self.floor_id)
            if self.old is None:
                if bg is not None:
                    s.delete(bg)
            else:
                for f, v in self.old.items():
                    if f != "floor_id":
                        setattr(bg, f, v)


def RemoveBackground(floor_id: int) -> DeleteObjects:  # noqa: N802
    return DeleteObjects(_("Remove background image"), FloorBackground, [floor_id])


__all__ = [
    "Ref", "KIND_MODEL", "describe", "load_objects", "object_box", "shifted_fields", "resized_outline", "room_at",
    "EditPlan", "SetProperties", "ShiftObjects", "MoveObjects", "AlignObjects", "DistributeObjects", "ResizeObject",
    "RotateObject", "RotateObjects", "EditRoomOutline", "RemoveFromPlan", "CreatePlanObjects", "AddRoom",
    "PlaceCounter", "PlaceItem", "AddAnnotation", "copy_payload", "payload_bounds", "PasteObjects",
    "DeletePlanObjects", "AddFloor", "RenameFloor", "ReorderFloors", "DeleteFloor", "floor_contents",
    "check_image", "check_image_size", "image_info", "calibrated_scale", "parse_distance_m", "SetBackground",
    "SetBackgroundOpacity", "SetBackgroundVisible", "SetBackgroundOrigin", "CalibrateBackground",
    "ImportBackground", "RemoveBackground",
]
