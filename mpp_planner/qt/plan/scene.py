"""One QGraphicsScene per floor, kept in step with the model by change notifications.

The scene holds the items (projections of rooms, counters, furniture, annotations, the
background scan and the underlay drawing), draws the grid and the snap guides, and shows the
handles of a single selected object. It never changes the model: tools push commands.
"""

from __future__ import annotations

import logging
import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsScene

from mpp_planner.commands.snap import Box, to_scene
from mpp_planner.model.plan import AnnotationKind
from mpp_planner.project import Changes, Project, Topic
from mpp_planner.qt.plan import style
from mpp_planner.qt.plan.items import (BackgroundItem, CounterItem, DimensionItem, FurnitureItem, HandleItem,
                                       PlanItem, RoomItem, TextItem)
from mpp_planner.qt.plan.underlay_item import UnderlayItem
from mpp_planner.reads.plan import PLAN_KINDS, floor_background, floor_objects, floor_underlay

log = logging.getLogger(__name__)

EMPTY_FLOOR = QRectF(0, 0, 20000, 15000)  # what an empty floor shows: 20 x 15 m
ROTATE_HANDLE_PX = 26  # how far above a box its rotation grip sits, in pixels
KINDS = PLAN_KINDS
TOPICS = {"room": Topic.ROOMS, "counter": Topic.COUNTERS, "item": Topic.INVENTORY, "annotation": Topic.ANNOTATIONS}

RESIZE_GRIPS = {  # (sx, sy) -> cursor
    (-1, -1): Qt.SizeFDiagCursor, (1, 1): Qt.SizeFDiagCursor, (1, -1): Qt.SizeBDiagCursor,
    (-1, 1): Qt.SizeBDiagCursor, (0, -1): Qt.SizeVerCursor, (0, 1): Qt.SizeVerCursor,
    (-1, 0): Qt.SizeHorCursor, (1, 0): Qt.SizeHorCursor,
}


class PlanScene(QGraphicsScene):
    def __init__(self, project: Project, floor_id: int, colour_mode: str = "agency", parent=None):
        super().__init__(parent)
        self.project = project
        self.floor_id = floor_id
        self.colour_mode = colour_mode
        self.setItemIndexMethod(QGraphicsScene.BspTreeIndex)
        self.setBackgroundBrush(QBrush(QColor("#FFFFFF")))
        self.items_by_key: dict[tuple[str, int], PlanItem] = {}
        self.background: BackgroundItem | None = None
        self.underlay: UnderlayItem | None = None
        self.handles: list[HandleItem] = []
        self.handles_enabled = True
        self.grid_size = 100
        self.show_grid = True
        self.locked = False
        self.guides: tuple[float | None, float | None] = (None, None)
        self.dirty = False  # changed while not shown: reload before showing
        self.reload()
        self.selectionChanged.connect(self.update_handles)

    # --- loading ----------------------------------------------------------------------
    def _load(self, kind: str, ids=None) -> dict:
        return floor_objects(self.project, self.floor_id, kind, ids)

    def _make(self, kind: str, obj) -> PlanItem:
        if kind == "room":
            item = RoomItem(obj)
            item.setFlag(RoomItem.ItemIsSelectable, not self.locked)
            return item
        if kind == "counter":
            return CounterItem(obj, self.colour_mode)
        if kind == "item":
            return FurnitureItem(obj)
        return DimensionItem(obj) if obj.kind == AnnotationKind.DIMENSION.value else TextItem(obj)

    def reload(self) -> None:
        self.handles.clear()
        if self.underlay is not None:  # kept: its geometry is costly to prepare and rarely changes
            self.removeItem(self.underlay)
        self.clear()
        self.items_by_key.clear()
        self.background = None
        for kind in KINDS:
            for ident, obj in self._load(kind).items():
                self._add(self._make(kind, obj), kind, ident)
        self._load_background()
        self._load_underlay()
        self.dirty = False
        self._update_rect()

    def _add(self, item, kind: str, ident: int) -> None:
        self.addItem(item)
        self.items_by_key[(kind, ident)] = item

    def _load_background(self) -> None:
        bg = floor_background(self.project, self.floor_id)
        if bg is None:
            if self.background is not None:
                self.removeItem(self.background)
                self.background = None
            return
        if self.background is None:
            self.background = BackgroundItem(bg)
            self.addItem(self.background)
        else:
            self.background.refresh(bg)

    def _load_underlay(self) -> bool:
        """Show the floor's underlay drawing as the model has it; True when what is drawn changed."""
        shown = floor_underlay(self.project, self.floor_id)
        item = self.underlay
        if shown is None:
            if item is None:
                return False
            if item.scene() is self:
                self.removeItem(item)
            self.underlay = None
            return True
        before = (item.scene() is self, item.isVisible(), item.drawn_data) if item is not None else None
        try:
            if item is None:
                item = self.underlay = UnderlayItem(shown)
            else:
                item.refresh(shown)
        except ValueError as exc:  # a damaged drawing: the plan opens without it
            log.warning("floor %s: underlay not shown: %s", self.floor_id, exc)
            return False
        if item.scene() is not self:
            self.addItem(item)
        return before != (True, item.isVisible(), item.drawn_data)

    # --- geometry ---------------------------------------------------------------------
    def content_rect(self) -> QRectF:
        """What is drawn on this floor (objects, the background scan and the underlay drawing)."""
        boxes = [item.model_box for item in self.items_by_key.values()]
        rect = QRectF()
        if boxes:
            b = Box.union(boxes)
            rect = QRectF(b.left, b.top, b.width, b.height)
        for extra in (self.background, self.underlay):
            if extra is not None and extra.isVisible() and not extra.plan_rect.isEmpty():
                rect = rect.united(extra.plan_rect) if not rect.isNull() else extra.plan_rect
        return rect if not rect.isNull() and rect.width() > 0 and rect.height() > 0 else QRectF(EMPTY_FLOOR)

    def _update_rect(self) -> None:
        """Room to scroll and draw around the content (half its size, 20 m at least)."""
        rect = self.content_rect().united(EMPTY_FLOOR)
        margin = max(20000.0, rect.width() / 2, rect.height() / 2)
        self.setSceneRect(rect.adjusted(-margin, -margin, margin, margin))

    # --- selection --------------------------------------------------------------------
    def plan_items(self) -> list[PlanItem]:
        return list(self.items_by_key.values())

    def item_for(self, ref) -> PlanItem | None:
        return self.items_by_key.get(tuple(ref))

    def pickable(self, item) -> bool:
        return isinstance(item, PlanItem) and not (self.locked and item.kind == "room")

    def selected_plan_items(self) -> list[PlanItem]:
        return [i for i in self.selectedItems() if isinstance(i, PlanItem)]

    def selected_refs(self) -> list[tuple[str, int]]:
        return [i.ref for i in self.selected_plan_items()]

    def select_refs(self, refs, add: bool = False) -> None:
        self.blockSignals(True)
        if not add:
            self.clearSelection()
        for ref in refs:
            item = self.items_by_key.get(tuple(ref))
            if item is not None and self.pickable(item):
                item.setSelected(True)
        self.blockSignals(False)
        self.selectionChanged.emit()

    def set_locked(self, locked: bool) -> None:
        """Lock the base layer: rooms (and the background, never pickable) cannot be picked."""
        self.locked = locked
        for (kind, _id), item in self.items_by_key.items():
            if kind == "room":
                if locked:
                    item.setSelected(False)
                item.setFlag(RoomItem.ItemIsSelectable, not locked)

    def set_colour_mode(self, mode: str) -> None:
        self.colour_mode = mode
        for (kind, _id), item in self.items_by_key.items():
            if kind == "counter":
                item.colour_mode = mode
        self._refresh_kind("counter")

    # --- handles ----------------------------------------------------------------------
    def view_scale(self) -> float:
        views = self.views()
        return views[0].transform().m11() if views else 1.0

    def update_handles(self) -> None:
        for h in self.handles:
            if h.scene() is self:
                self.removeItem(h)
        self.handles = []
        selected = self.selected_plan_items()
        if not self.handles_enabled or len(selected) != 1:
            return
        item = selected[0]
        if item.kind in ("counter", "item"):
            x, y, w, d, rot = item.box
            for (sx, sy), cursor in RESIZE_GRIPS.items():
                self._handle("resize", (sx, sy), to_scene(x, y, rot, sx * w / 2, sy * d / 2), cursor)
            off = ROTATE_HANDLE_PX / max(self.view_scale(), 1e-6)
            self._handle("rotate", None, to_scene(x, y, rot, 0, -d / 2 - off), Qt.PointingHandCursor)
        elif item.kind == "room":
            for i, (x, y) in enumerate(item.outline):
                self._handle("vertex", i, (x, y), Qt.CrossCursor)
        elif isinstance(item, DimensionItem):
            for i, (x, y) in enumerate(item.points):
                self._handle("end", i, (x, y), Qt.CrossCursor)

    def _handle(self, role, spec, pos, cursor) -> None:
        h = HandleItem(role, spec, QPointF(*pos), cursor)
        self.addItem(h)
        self.handles.append(h)

    def set_handles_enabled(self, enabled: bool) -> None:
        self.handles_enabled = enabled
        self.update_handles()

    # --- guides and grid --------------------------------------------------------------
    def set_guides(self, x: float | None, y: float | None) -> None:
        if (x, y) != self.guides:
            self.guides = (x, y)
            self.update()

    def drawBackground(self, painter, rect: QRectF) -> None:  # noqa: N802
        painter.fillRect(rect, self.backgroundBrush())
        if not self.show_grid:
            return
        scale = painter.worldTransform().m11() or 1.0
        painter.setRenderHint(QPainter.Antialiasing, False)  # hairlines: crisp and much faster
        for spacing, colour in ((self.grid_size, style.GRID_MINOR), (1000, style.GRID_MAJOR)):
            while spacing * scale < 8:  # never denser than 8 px
                spacing *= 10 if spacing >= 1000 else 5
            pen = QPen(colour, 0)
            pen.setCosmetic(True)
            painter.setPen(pen)
            x0 = math.floor(rect.left() / spacing) * spacing
            y0 = math.floor(rect.top() / spacing) * spacing
            lines = []
            x = x0
            while x <= rect.right():
                lines.append(QLineF(x, rect.top(), x, rect.bottom()))
                x += spacing
            y = y0
            while y <= rect.bottom():
                lines.append(QLineF(rect.left(), y, rect.right(), y))
                y += spacing
            painter.drawLines(lines)

    def drawForeground(self, painter, rect: QRectF) -> None:  # noqa: N802
        gx, gy = self.guides
        if gx is None and gy is None:
            return
        pen = QPen(style.GUIDE, 0, Qt.DashLine)
        pen.setCosmetic(True)
        painter.setPen(pen)
        if gx is not None:
            painter.drawLine(QLineF(gx, rect.top(), gx, rect.bottom()))
        if gy is not None:
            painter.drawLine(QLineF(rect.left(), gy, rect.right(), gy))

    # --- following the model ----------------------------------------------------------
    def apply_changes(self, changes: Changes) -> None:
        if changes.reset:
            self.reload()
            return
        touched = False
        for kind in KINDS:
            topic = TOPICS[kind]
            removed = changes.ids(topic, "removed")
            wanted = changes.ids(topic, "added") | changes.ids(topic, "updated")
            if removed or wanted:
                self._sync(kind, removed, wanted)
                touched = True
        if changes.about(Topic.ALLOCATION, Topic.AGENCIES):
            self._refresh_kind("counter")
        if changes.about(Topic.CATALOG):
            self._refresh_kind("item")
        if self.floor_id in changes.ids(Topic.BACKGROUNDS):
            self._load_background()
            touched = True
        # the topic's ids are the scans'; whether the underlay changed is found by comparing
        if changes.about(Topic.BACKGROUNDS) and self._load_underlay():
            touched = True
        if touched:
            self._update_rect()
            self.update_handles()

    def _sync(self, kind: str, removed: set, wanted: set) -> None:
        for ident in removed:
            item = self.items_by_key.pop((kind, ident), None)
            if item is not None:
                self.removeItem(item)
        if not wanted:
            return
        found = self._load(kind, wanted)
        for ident in wanted:
            obj = found.get(ident)
            item = self.items_by_key.get((kind, ident))
            if obj is None:  # on another floor, or taken off the plan
                if item is not None:
                    self.removeItem(self.items_by_key.pop((kind, ident)))
            elif item is None:
                self._add(self._make(kind, obj), kind, ident)
            elif kind == "annotation" and isinstance(item, DimensionItem) != (obj.kind == "dimension"):
                selected = item.isSelected()
                self.removeItem(item)
                self._add(self._make(kind, obj), kind, ident)
                self.items_by_key[(kind, ident)].setSelected(selected)
            else:
                item.refresh(obj)

    def _refresh_kind(self, kind: str) -> None:
        for ident, obj in self._load(kind).items():
            item = self.items_by_key.get((kind, ident))
            if item is not None:
                item.refresh(obj)
