"""One QGraphicsScene per floor, kept in step with the model by change notifications."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QGraphicsScene
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mpp_planner.model import Counter, CounterAssignment, InventoryItem, Room
from mpp_planner.project import Changes, Project
from mpp_planner.qt.plan.items import CounterItem, FurnitureItem, RoomItem

MARGIN = 3000  # mm of empty space around the drawing


class PlanScene(QGraphicsScene):
    def __init__(self, project: Project, floor_id: int, colour_mode: str = "agency", parent=None):
        super().__init__(parent)
        self.project = project
        self.floor_id = floor_id
        self.colour_mode = colour_mode
        self.setBackgroundBrush(QBrush(QColor("#FFFFFF")))
        self.items_by_key: dict[tuple[str, int], object] = {}
        self.reload()

    # --- loading ----------------------------------------------------------------------
    def _load_rooms(self, ids=None):
        stmt = select(Room).where(Room.floor_id == self.floor_id)
        if ids is not None:
            stmt = stmt.where(Room.id.in_(ids))
        return self.project.session.scalars(stmt).all()

    def _load_counters(self, ids=None):
        stmt = (select(Counter).where(Counter.floor_id == self.floor_id)
                .options(selectinload(Counter.assignments).selectinload(CounterAssignment.agency)))
        if ids is not None:
            stmt = stmt.where(Counter.id.in_(ids))
        return self.project.session.scalars(stmt).all()

    def _load_items(self, ids=None):
        stmt = (select(InventoryItem)
                .where(InventoryItem.floor_id == self.floor_id, InventoryItem.x.is_not(None))
                .options(selectinload(InventoryItem.item_type)))
        if ids is not None:
            stmt = stmt.where(InventoryItem.id.in_(ids))
        return self.project.session.scalars(stmt).all()

    def reload(self) -> None:
        self.clear()
        self.items_by_key.clear()
        for room in self._load_rooms():
            self._add(RoomItem(room), "room", room.id)
        for counter in self._load_counters():
            self._add(CounterItem(counter, self.colour_mode), "counter", counter.id)
        for item in self._load_items():
            self._add(FurnitureItem(item), "item", item.id)
        self._update_rect()

    def _add(self, item, kind: str, ident: int) -> None:
        self.addItem(item)
        self.items_by_key[(kind, ident)] = item

    def _update_rect(self) -> None:
        rect = self.itemsBoundingRect()
        if rect.isNull():
            rect = QRectF(0, 0, 20000, 15000)
        self.setSceneRect(rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN))

    def set_colour_mode(self, mode: str) -> None:
        self.colour_mode = mode
        for (kind, _id), item in self.items_by_key.items():
            if kind == "counter":
                item.colour_mode = mode
        self._refresh_kind("counter", None)

    # --- following the model ----------------------------------------------------------
    def apply_changes(self, changes: Changes) -> None:
        if changes.reset:
            self.reload()
            return
        if changes.touches("room"):
            self._sync("room", changes, "room")
        if changes.touches("counter"):
            self._sync("counter", changes, "counter")
        if changes.touches("counter_assignment", "agency"):
            self._refresh_kind("counter", None)
        if changes.touches("inventory_item"):
            self._sync("item", changes, "inventory_item")
        if changes.touches("item_type"):
            self._refresh_kind("item", None)
        self._update_rect()

    def _loader(self, kind: str):
        return {"room": self._load_rooms, "counter": self._load_counters, "item": self._load_items}[kind]

    def _make(self, kind: str, obj):
        if kind == "room":
            return RoomItem(obj)
        if kind == "counter":
            return CounterItem(obj, self.colour_mode)
        return FurnitureItem(obj)

    def _sync(self, kind: str, changes: Changes, table: str) -> None:
        for ident in changes.removed.get(table, ()):
            item = self.items_by_key.pop((kind, ident), None)
            if item is not None:
                self.removeItem(item)
        wanted = set(changes.added.get(table, ())) | set(changes.updated.get(table, ()))
        if not wanted:
            return
        found = {obj.id: obj for obj in self._loader(kind)(wanted)}
        for ident in wanted:
            obj = found.get(ident)
            item = self.items_by_key.get((kind, ident))
            if obj is None:  # moved to another floor or off the plan
                if item is not None:
                    self.removeItem(self.items_by_key.pop((kind, ident)))
            elif item is None:
                self._add(self._make(kind, obj), kind, ident)
            else:
                item.refresh(obj)

    def _refresh_kind(self, kind: str, _ids) -> None:
        for obj in self._loader(kind)():
            item = self.items_by_key.get((kind, obj.id))
            if item is not None:
                item.refresh(obj)
