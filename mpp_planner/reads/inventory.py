"""What the Inventory & Needs screen shows: the rooms grouped by floor, every KIR row and every need
(with their item type and room, for the gaps) as plain rows, and the pick lists of its forms. Each answer
is read in a few batched queries (no query per row)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import KW_ONLY, dataclass, fields
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mpp_planner.model import Floor, InventoryItem, ItemType, Need, Room
from mpp_planner.project import Project


class RoomRow(NamedTuple):
    """A room with the floor it is on, in the order of the room tree."""

    id: int
    name: str
    floor_id: int
    floor_name: str


def rooms_by_floor(project: Project) -> list[RoomRow]:
    """Every room, floor by floor (in the floors' order), by name within a floor."""
    rows = project.session.execute(select(Room.id, Room.name, Floor.id, Floor.name).join(Floor)
                                   .order_by(Floor.order, Floor.id, Room.name)).all()
    return [RoomRow(*row) for row in rows]


def inventory_items(project: Project) -> list[InventoryItem]:
    """Every KIR row as a mapped object with its item type and room, by room; loaded afresh (the screen reads
    the lighter :func:`kir_rows`)."""
    return list(project.session.scalars(
        select(InventoryItem).options(selectinload(InventoryItem.item_type), selectinload(InventoryItem.room))
        .order_by(InventoryItem.room_id, InventoryItem.id).execution_options(populate_existing=True)))


def needs(project: Project) -> list[Need]:
    """Every need as a mapped object with its item type and room, by room; loaded afresh (the screen reads
    :func:`need_rows`)."""
    return list(project.session.scalars(
        select(Need).options(selectinload(Need.item_type), selectinload(Need.room))
        .order_by(Need.room_id, Need.id).execution_options(populate_existing=True)))


# --- the tables of the screen as plain rows -------------------------------------------------------
# The screen shows every KIR row of the project (7,000 at scale 50): plain rows read in one query each
# are made about five times faster than mapped objects, and the screen reads them again after an edit.

class FloorRef(NamedTuple):
    id: int
    name: str


class RoomRef(NamedTuple):
    """What the screen shows of a room."""

    id: int
    name: str
    floor_id: int
    floor: FloorRef


class ItemTypeRef(NamedTuple):
    """What the screen shows of an item type."""

    id: int
    key: str
    name: str
    category: str
    unit: str
    ref_price: Decimal
    asset_code: str
    specification: str


@dataclass(slots=True, eq=False)
class KirRow:
    """A KIR row (an ``InventoryItem``'s fields) with its item type and room. The screen keeps one per row
    and brings it up to date in place (:meth:`update`) after an edit."""

    id: int
    item_type_id: int
    room_id: int | None
    floor_id: int | None
    quantity: Decimal
    condition: str
    brand_model: str
    serial_no: str
    size: str
    material: str
    year: int | None
    register_code: str
    asset_code: str
    purchase_price: Decimal | None
    notes: str
    x: int | None
    y: int | None
    _: KW_ONLY
    item_type: ItemTypeRef
    room: RoomRef | None

    @property
    def kode_barang(self) -> str:
        """The asset code printed on the KIR: the row's own, else its item type's."""
        return self.asset_code or self.item_type.asset_code

    @property
    def on_plan(self) -> bool:
        return self.x is not None and self.y is not None and self.floor_id is not None

    def update(self, fresh: KirRow) -> None:
        """Take the values of ``fresh`` (the same row read again)."""
        for name in self.__slots__:
            setattr(self, name, getattr(fresh, name))


@dataclass(slots=True, eq=False)
class NeedRow:
    """A need (a ``Need``'s fields) with its item type and room, kept and brought up to date like
    :class:`KirRow`."""

    id: int
    room_id: int
    item_type_id: int
    quantity: Decimal
    reason: str
    source: str
    rule_id: str
    visit_finding_id: int | None
    _: KW_ONLY
    item_type: ItemTypeRef
    room: RoomRef

    def update(self, fresh: NeedRow) -> None:
        for name in self.__slots__:
            setattr(self, name, getattr(fresh, name))


_ITEM_FIELDS = tuple(f.name for f in fields(KirRow) if f.name not in ("item_type", "room"))
_NEED_FIELDS = tuple(f.name for f in fields(NeedRow) if f.name not in ("item_type", "room"))


def _refs(project: Project) -> tuple[dict[int, ItemTypeRef], dict[int, RoomRef]]:
    s = project.session
    types = {row[0]: ItemTypeRef(*row) for row in s.execute(select(
        ItemType.id, ItemType.key, ItemType.name, ItemType.category, ItemType.unit, ItemType.ref_price,
        ItemType.asset_code, ItemType.specification))}
    floors = {fid: FloorRef(fid, name) for fid, name in s.execute(select(Floor.id, Floor.name))}
    rooms = {rid: RoomRef(rid, name, fid, floors[fid])
             for rid, name, fid in s.execute(select(Room.id, Room.name, Room.floor_id))}
    return types, rooms


def kir_rows(project: Project, ids: Iterable[int] | None = None) -> list[KirRow]:
    """Every KIR row (or those of ``ids``) by room, with its item type and room; in four queries, read
    afresh from the file."""
    types, rooms = _refs(project)
    table = InventoryItem.__table__
    query = select(*(table.c[name] for name in _ITEM_FIELDS)).order_by(table.c.room_id, table.c.id)
    if ids is not None:
        query = query.where(table.c.id.in_(list(ids)))
    return [KirRow(*row, item_type=types[row[1]], room=rooms.get(row[2]))
            for row in project.session.execute(query).all()]


def need_rows(project: Project, ids: Iterable[int] | None = None) -> list[NeedRow]:
    """Every need (or those of ``ids``) by room, with its item type and room; in four queries."""
    types, rooms = _refs(project)
    table = Need.__table__
    query = select(*(table.c[name] for name in _NEED_FIELDS)).order_by(table.c.room_id, table.c.id)
    if ids is not None:
        query = query.where(table.c.id.in_(list(ids)))
    return [NeedRow(*row, item_type=types[row[2]], room=rooms[row[1]]) for row in project.session.execute(query).all()]
