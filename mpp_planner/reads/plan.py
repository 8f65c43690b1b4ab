"""What the plan editor shows: the floors, the objects drawn on one floor, its background scan and
underlay drawing, the catalog palette, the colour legend and the selection's objects for the
properties panel.

The plan draws model objects (rooms, walls and the doors and windows in them, counters, furniture,
annotations), so :func:`floor_objects` returns them with everything their items read already loaded
(a door's wall too): one query per kind, never one per object. After an edit the objects a command
just changed are usually still loaded in the session; those are taken as they are, without a query,
which keeps a drag's refresh cheap.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sqlalchemy import func, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import selectinload

from mpp_planner.model import (Agency, Annotation, Counter, CounterAssignment, Floor, FloorBackground, FloorUnderlay,
                               InventoryItem, ItemType, Room, Underlay, Wall, WallOpening)
from mpp_planner.model.plan_refs import Ref, held_object, load_objects
from mpp_planner.project import Project

#: the kinds of object drawn on a floor, in the order the plan adds them ("opening": a door or window in a wall)
PLAN_KINDS = ("room", "wall", "opening", "counter", "item", "annotation")

#: what a kind's plan item reads: the class and the attributes that must be loaded
#: a class drawn on the plan
DrawnClass = type[Room] | type[Counter] | type[InventoryItem] | type[Annotation] | type[Wall] | type[WallOpening]
DRAWN: dict[str, tuple[DrawnClass, frozenset[str]]] = {
    "room": (Room, frozenset({"name", "kind", "outline", "floor_id"})),
    "wall": (Wall, frozenset({"points", "thickness", "floor_id"})),
    "opening": (WallOpening, frozenset({"kind", "offset", "width", "hinge", "side", "wall_id", "floor_id", "wall"})),
    "counter": (Counter, frozenset({"label", "x", "y", "width", "depth", "rotation", "floor_id", "assignments"})),
    "item": (InventoryItem, frozenset({"x", "y", "width", "depth", "rotation", "floor_id", "condition", "item_type"})),
    "annotation": (Annotation, frozenset({"kind", "x1", "y1", "x2", "y2", "text", "font_size", "floor_id"})),
}
_CHUNK = 500  # ids per IN (...) list, well below SQLite's limit on bound values


# --- floors -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FloorRow:
    id: int
    name: str


def floor_list(project: Project) -> list[FloorRow]:
    """The floors in the order of their tabs."""
    rows = project.session.execute(select(Floor.id, Floor.name).order_by(Floor.order, Floor.id))
    return [FloorRow(fid, name) for fid, name in rows]


def floor_name(project: Project, floor_id: int) -> str | None:
    return project.session.scalar(select(Floor.name).where(Floor.id == floor_id))


@dataclass(frozen=True)
class FloorContents:
    """What deleting a floor would take with it (for the question before)."""

    rooms: int
    counters: int
    items: int
    annotations: int
    background: bool
    walls: int = 0

    def __bool__(self) -> bool:
        return bool(self.rooms or self.counters or self.items or self.annotations or self.background or self.walls)


def floor_contents(project: Project, floor_id: int) -> FloorContents:
    """Rooms, counters, inventory items, annotations and walls on a floor, and whether it has a scan: one query."""
    counts = [select(func.count()).select_from(cls).where(cls.floor_id == floor_id).scalar_subquery()
              for cls in (Room, Counter, InventoryItem, Annotation, FloorBackground, Wall)]
    rooms, counters, items, annotations, background, walls = project.session.execute(select(*counts)).one()
    return FloorContents(rooms, counters, items, annotations, bool(background), walls)


def floor_background(project: Project, floor_id: int) -> FloorBackground | None:
    """The floor's scanned drawing (with its image), or None; no query when it is loaded already."""
    return project.session.get(FloorBackground, floor_id)


@dataclass(frozen=True)
class UnderlayShown:
    """A floor's vector underlay as the plan draws it: the drawing (decoded when first asked for, so a
    screen that only compares ``data`` with what it shows pays nothing) and its flags."""

    floor_id: int
    source: str
    data: bytes
    layers: tuple[str, ...]
    entities: int
    visible: bool
    printed: bool

    @cached_property
    def drawing(self) -> Underlay:
        """The paths and texts (raises ValueError when the stored drawing is damaged)."""
        return Underlay.decode(self.data)


def floor_underlay(project: Project, floor_id: int) -> UnderlayShown | None:
    """The floor's underlay drawing and whether it shows (and prints), or None; no query when loaded."""
    row = project.session.get(FloorUnderlay, floor_id)
    if row is None:
        return None
    return UnderlayShown(floor_id, row.source or "", row.data, tuple(row.layers or ()), row.entities or 0,
                         bool(row.visible), bool(row.printed))


def underlay_flags(project: Project) -> tuple[bool, bool]:
    """(any floor has an underlay drawing, any is marked to print): what the plan export offers."""
    rows = project.session.execute(select(FloorUnderlay.printed)).scalars().all()
    return bool(rows), any(rows)


# --- objects on a floor ---------------------------------------------------------------------------

def _select(kind: str):
    """The kind's objects with what their items read loaded in the same round (no query per object)."""
    stmt = select(DRAWN[kind][0])
    if kind == "counter":
        stmt = stmt.options(selectinload(Counter.assignments).selectinload(CounterAssignment.agency))
    elif kind == "item":
        stmt = stmt.options(selectinload(InventoryItem.item_type))
    elif kind == "opening":  # drawn in its wall
        stmt = stmt.options(selectinload(WallOpening.wall))
    return stmt


def _query(kind: str, floor_id: int):
    cls = DRAWN[kind][0]
    stmt = _select(kind).where(cls.floor_id == floor_id)
    if kind == "item":  # furniture is drawn once it has a place; the rest is inventory only
        stmt = stmt.where(InventoryItem.x.is_not(None), InventoryItem.y.is_not(None))
    return stmt


def _by_id(project: Project, kind: str, stmt, ids: Iterable[int]) -> dict[int, Any]:
    """``stmt`` narrowed to ``ids``, a few hundred at a time."""
    cls = DRAWN[kind][0]
    wanted = sorted(ids)
    out: dict[int, Any] = {}
    for i in range(0, len(wanted), _CHUNK):
        out.update((obj.id, obj) for obj in project.session.scalars(stmt.where(cls.id.in_(wanted[i:i + _CHUNK]))))
    return out


def _held(project: Project, kind: str, ids: Iterable[int]) -> tuple[dict[int, Any], set[int]]:
    """Objects the session already holds with everything the plan reads (a command just changed
    them): no query needed. Returns those and the ids still to load."""
    cls, needs = DRAWN[kind]
    found: dict[int, Any] = {}
    missing: set[int] = set()
    for ident in ids:
        obj = held_object(project.session, cls, ident, needs)
        if obj is None or (kind == "counter" and not all("agency" in sa_inspect(a).dict for a in obj.assignments)) \
                or (kind == "opening" and sa_inspect(obj.wall).expired_attributes):
            missing.add(ident)
        else:
            found[ident] = obj
    return found, missing


def _on_floor(kind: str, obj, floor_id: int) -> bool:
    if obj.floor_id != floor_id:
        return False
    return kind != "item" or (obj.x is not None and obj.y is not None)


def floor_objects(project: Project, floor_id: int, kind: str, ids: Iterable[int] | None = None) -> dict[int, Any]:
    """The ``kind`` objects drawn on the floor (furniture: only what has a place), by id, with what
    their items read loaded (a counter's agencies, an item's catalog type).

    With ``ids``, only those of them that are (still) on this floor: an id missing from the answer
    was deleted, moved to another floor or taken off the plan.
    """
    if ids is None:
        return {obj.id: obj for obj in project.session.scalars(_query(kind, floor_id))}
    held, missing = _held(project, kind, ids)
    out = {ident: obj for ident, obj in held.items() if _on_floor(kind, obj, floor_id)}
    out.update(_by_id(project, kind, _query(kind, floor_id), missing))
    return out


def plan_objects(project: Project, refs: Iterable[Ref]) -> dict[Ref, Any]:
    """The objects of a selection by reference ``(kind, id)`` (for the properties panel): those loaded
    already without a query, the rest with one query per kind. A ref missing from the answer no longer
    exists."""
    return load_objects(project.session, refs)


# --- palette and legend ---------------------------------------------------------------------------

@dataclass(frozen=True)
class CatalogEntry:
    """An item type as the palette lists it (and the place-item tool draws it)."""

    id: int
    key: str
    name: str
    category: str
    tags: str
    width: int
    depth: int


def catalog_entries(project: Project) -> list[CatalogEntry]:
    """Every item type, by category then name."""
    rows = project.session.execute(
        select(ItemType.id, ItemType.key, ItemType.name, ItemType.category, ItemType.tags, ItemType.width,
               ItemType.depth).order_by(ItemType.category, ItemType.name))
    return [CatalogEntry(*row) for row in rows]


@dataclass(frozen=True)
class LegendEntry:
    short_name: str
    colour: str


def legend_agencies(project: Project) -> list[LegendEntry]:
    """The agencies that serve at a counter somewhere, by short name, with their colours."""
    serving = select(CounterAssignment.agency_id).distinct()
    rows = project.session.execute(
        select(Agency.short_name, Agency.colour).where(Agency.id.in_(serving)).order_by(Agency.short_name))
    return [LegendEntry(short, colour) for short, colour in rows]


# --- counters and furniture as boxes (overlap warnings) -------------------------------------------

@dataclass(frozen=True)
class PlacedBox:
    """A counter or a piece of furniture on a floor as a box: its reference, its name (a counter's label,
    an item's catalog name) and its place (centre x, y, width, depth, rotation in mm and degrees)."""

    ref: Ref
    name: str
    x: int
    y: int
    width: int
    depth: int
    rotation: float

    @property
    def box(self) -> tuple[int, int, int, int, float]:
        return (self.x, self.y, self.width, self.depth, self.rotation)


def placed_boxes(project: Project, floor_id: int) -> list[PlacedBox]:
    """The counters (by label) and the furniture with a place (by name) on a floor: two queries."""
    s = project.session
    out = [PlacedBox(("counter", cid), label, x, y, w, d, rot or 0.0) for cid, label, x, y, w, d, rot in s.execute(
        select(Counter.id, Counter.label, Counter.x, Counter.y, Counter.width, Counter.depth, Counter.rotation)
        .where(Counter.floor_id == floor_id).order_by(Counter.id))]
    rows = s.execute(
        select(InventoryItem.id, ItemType.name, InventoryItem.x, InventoryItem.y,
               func.coalesce(InventoryItem.width, ItemType.width), func.coalesce(InventoryItem.depth, ItemType.depth),
               InventoryItem.rotation)
        .join(ItemType, InventoryItem.item_type_id == ItemType.id)
        .where(InventoryItem.floor_id == floor_id, InventoryItem.x.is_not(None), InventoryItem.y.is_not(None))
        .order_by(InventoryItem.id))
    out += [PlacedBox(("item", iid), name, x or 0, y or 0, w, d, rot or 0.0)  # x, y: never None here (the query)
            for iid, name, x, y, w, d, rot in rows]
    return out
