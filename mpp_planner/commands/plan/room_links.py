"""Furniture counts in the room under its centre (``model.plan.room_under``): which items a move,
a reshaped, new or deleted room puts in another room. The commands relink them in the same step."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Set as AbstractSet

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from mpp_planner.commands.snap import Box
from mpp_planner.model import InventoryItem, Room
from mpp_planner.model.plan import RoomShape, room_under


def floor_rooms(session: Session, floor_id: int) -> list[RoomShape[int]]:
    """The floor's rooms, keyed by room id, ready for :func:`room_under`."""
    rows = session.execute(select(Room.id, Room.outline).where(Room.floor_id == floor_id)).all()
    return [RoomShape.of(rid, outline) for rid, outline in rows]


def relinked_rooms(session: Session, items: Iterable[InventoryItem]) -> dict[int, int | None]:
    """``{item id: room id}`` for items on the plan whose centre now lies in another room."""
    by_floor: dict[int, list[tuple[InventoryItem, int, int]]] = defaultdict(list)
    for it in items:
        if it.x is not None and it.y is not None and it.floor_id is not None:
            by_floor[it.floor_id].append((it, it.x, it.y))
    out: dict[int, int | None] = {}
    for floor_id, its in by_floor.items():
        rooms = floor_rooms(session, floor_id)
        for it, x, y in its:
            rid = room_under(x, y, rooms)
            if rid != it.room_id:
                out[it.id] = rid
    return out


def items_near_rooms(session: Session, rooms: Iterable[Room],
                     exclude: AbstractSet[int] = frozenset()) -> list[InventoryItem]:
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
