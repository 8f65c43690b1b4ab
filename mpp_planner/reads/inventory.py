"""What the Inventory & Needs screen shows: the rooms grouped by floor, every KIR row and every need
(with their item type and room loaded, for the gaps), and the pick lists of its forms. Each answer is
read in a few batched queries (no query per row)."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mpp_planner.model import Floor, InventoryItem, Need, Room
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
    """Every KIR row with its item type and room, by room; loaded afresh (the screen edits them in place)."""
    return list(project.session.scalars(
        select(InventoryItem).options(selectinload(InventoryItem.item_type), selectinload(InventoryItem.room))
        .order_by(InventoryItem.room_id, InventoryItem.id).execution_options(populate_existing=True)))


def needs(project: Project) -> list[Need]:
    """Every need with its item type and room, by room; loaded afresh."""
    return list(project.session.scalars(
        select(Need).options(selectinload(Need.item_type), selectinload(Need.room))
        .order_by(Need.room_id, Need.id).execution_options(populate_existing=True)))
