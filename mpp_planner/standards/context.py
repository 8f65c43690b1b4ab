"""Everything the rules read, loaded from the project once with a few batched queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mpp_planner.model import Counter, CounterAssignment, Floor, InventoryItem, ItemType, Room, Wall, WallOpening
from mpp_planner.model.checklist import ChecklistTick
from mpp_planner.model.plan import RoomShape, room_under
from mpp_planner.model.walking import WalkingMap


@dataclass
class CheckContext:
    floors: list[Floor]
    rooms: list[Room]
    counters: list[Counter]
    items: list[InventoryItem]
    item_types: dict[str, ItemType]
    rooms_by_floor: dict[int, list[Room]] = field(default_factory=dict)
    counters_by_floor: dict[int, list[Counter]] = field(default_factory=dict)
    items_by_room: dict[int, list[InventoryItem]] = field(default_factory=dict)
    items_by_floor: dict[int, list[InventoryItem]] = field(default_factory=dict)
    room_by_id: dict[int, Room] = field(default_factory=dict)
    floor_by_id: dict[int, Floor] = field(default_factory=dict)
    _room_shapes: dict[int, list[RoomShape[Room]]] = field(default_factory=dict, repr=False)
    checklist_ticks: list = field(default_factory=list)  # model.checklist.ChecklistTick rows
    walls_by_floor: dict[int, list[Wall]] = field(default_factory=dict)
    openings_by_floor: dict[int, list[WallOpening]] = field(default_factory=dict)
    _walking: dict[int, WalkingMap] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, project) -> "CheckContext":
        s = project.session
        floors = list(s.scalars(select(Floor).order_by(Floor.order, Floor.id)))
        rooms = list(s.scalars(select(Room).order_by(Room.floor_id, Room.id)))
        counters = list(s.scalars(select(Counter).order_by(Counter.floor_id, Counter.id).options(
            selectinload(Counter.assignments).selectinload(CounterAssignment.agency))))
        items = list(s.scalars(select(InventoryItem).order_by(InventoryItem.id).options(
            selectinload(InventoryItem.item_type))))
        types = {t.key: t for t in s.scalars(select(ItemType))}
        ctx = cls.build(floors, rooms, counters, items, types)
        ctx.checklist_ticks = list(s.scalars(select(ChecklistTick)))
        ctx.add_walls(s.scalars(select(Wall).order_by(Wall.floor_id, Wall.id)),
                      s.scalars(select(WallOpening).order_by(WallOpening.floor_id, WallOpening.id)))
        return ctx

    @classmethod
    def build(cls, floors, rooms, counters, items, types) -> "CheckContext":
        ctx = cls(list(floors), list(rooms), list(counters), list(items), dict(types))
        ctx.floor_by_id = {f.id: f for f in ctx.floors}
        ctx.room_by_id = {r.id: r for r in ctx.rooms}
        by_floor: dict[int, list] = defaultdict(list)
        for r in ctx.rooms:
            by_floor[r.floor_id].append(r)
        ctx.rooms_by_floor = dict(by_floor)
        by_floor = defaultdict(list)
        for c in ctx.counters:
            by_floor[c.floor_id].append(c)
        ctx.counters_by_floor = dict(by_floor)
        by_room: dict[int, list] = defaultdict(list)
        items_floor: dict[int, list] = defaultdict(list)
        for item in ctx.items:
            room = ctx.room_by_id.get(item.room_id) if item.room_id is not None else None
            if room is not None:
                by_room[room.id].append(item)
                items_floor[room.floor_id].append(item)
            elif item.floor_id is not None:
                items_floor[item.floor_id].append(item)
        ctx.items_by_room = dict(by_room)
        ctx.items_by_floor = dict(items_floor)
        return ctx

    def add_walls(self, walls, openings) -> None:
        """The floors' walls and the doors and windows in them (walking distances go through the doors)."""
        by_floor: dict[int, list] = defaultdict(list)
        for w in walls:
            by_floor[w.floor_id].append(w)
        self.walls_by_floor = dict(by_floor)
        by_floor = defaultdict(list)
        for o in openings:
            by_floor[o.floor_id].append(o)
        self.openings_by_floor = dict(by_floor)
        self._walking.clear()

    # --- questions the rules ask ---------------------------------------------------
    def floor_name(self, floor_id: int | None) -> str:
        floor = self.floor_by_id.get(floor_id) if floor_id is not None else None
        return floor.name if floor is not None else ""

    def rooms_of_kinds(self, kinds, floor_id: int | None = None) -> list[Room]:
        rooms = self.rooms if floor_id is None else self.rooms_by_floor.get(floor_id, [])
        return [r for r in rooms if r.kind in kinds]

    @staticmethod
    def matching(items, tags, conditions) -> list[InventoryItem]:
        wanted = set(tags)
        return [i for i in items if i.condition in conditions and i.item_type.tag_set & wanted]

    def quantity_in_room(self, room_id: int, tags, conditions) -> Decimal:
        return sum((i.quantity for i in self.matching(self.items_by_room.get(room_id, []), tags, conditions)),
                   Decimal(0))

    def quantity_on_floor(self, floor_id: int, tags, conditions) -> Decimal:
        return sum((i.quantity for i in self.matching(self.items_by_floor.get(floor_id, []), tags, conditions)),
                   Decimal(0))

    def quantity_anywhere(self, tags, conditions) -> Decimal:
        return sum((i.quantity for i in self.matching(self.items, tags, conditions)), Decimal(0))

    def floor_area_m2(self, floor_id: int) -> float:
        return sum(r.area_m2 for r in self.rooms_by_floor.get(floor_id, []))

    def room_at(self, floor_id: int, x: float, y: float) -> Room | None:
        """The room on the floor that a thing centred on (x, y) counts in (``model.plan.room_under``)."""
        shapes = self._room_shapes.get(floor_id)
        if shapes is None:
            shapes = [RoomShape.of(r, r.outline) for r in self.rooms_by_floor.get(floor_id, [])]
            self._room_shapes[floor_id] = shapes
        return room_under(x, y, shapes)

    def walking_map(self, floor_id: int) -> WalkingMap:
        """Where one can walk on the floor and the routes through it, worked out once per check."""
        found = self._walking.get(floor_id)
        if found is None:
            found = self._walking[floor_id] = WalkingMap.of(
                [r.outline for r in self.rooms_by_floor.get(floor_id, [])],
                self.walls_by_floor.get(floor_id, []), self.openings_by_floor.get(floor_id, []))
        return found

    def largest_room(self, floor_id: int, kinds=None) -> Room | None:
        rooms = self.rooms_by_floor.get(floor_id, [])
        if kinds:
            rooms = [r for r in rooms if r.kind in kinds]
        return max(rooms, key=lambda r: r.area_m2) if rooms else None

    def first_floor_id(self) -> int | None:
        return self.floors[0].id if self.floors else None
