"""One QGraphicsScene per floor, kept in step with the model by change notifications.

The scene holds the items (projections of rooms, walls, doors and windows, counters, furniture,
annotations, the background scan and the underlay drawing), draws the grid and the snap guides, and
shows the handles of a single selected object. It never changes the model: tools push commands. The
floor's walls are also filled as one dark mass (``wall_items``), made again when walls or doors change.

Overlays drawn over the plan by others (the standards findings, tagged ``KEPT_OVERLAYS`` in their
``data(0)``) stay when the scene reloads; the outlines of counters and furniture standing in each
other (:meth:`PlanScene.show_overlaps`) are its own and are drawn again after a reload.
"""

from __future__ import annotations

import logging
import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsScene

from mpp_planner.commands.snap import Box, to_scene
from mpp_planner.model.geometry import box_corners
from mpp_planner.model.plan import AnnotationKind
from mpp_planner.project import Changes, Project, Topic
from mpp_planner.qt.plan import style
from mpp_planner.qt.plan.items import (BackgroundItem, BoxItem, CounterItem, DimensionItem, FurnitureItem,
                                       HandleItem, PlanItem, RoomItem, TextItem)
from mpp_planner.qt.plan.underlay_item import UnderlayItem
from mpp_planner.qt.plan.wall_items import OpeningItem, OpeningsLayer, WallItem, WallMassItem, refresh_walls
from mpp_planner.reads.plan import PLAN_KINDS, floor_background, floor_objects, floor_underlay

log = logging.getLogger(__name__)

EMPTY_FLOOR = QRectF(0, 0, 20000, 15000)  # what an empty floor shows: 20 x 15 m
SCROLL_STEP = 5000  # mm: the scene's sides lie on multiples of this (see _update_rect)
ROTATE_HANDLE_PX = 26  # how far above a box its rotation grip sits, in pixels
KINDS = PLAN_KINDS
TOPICS = {"room": Topic.ROOMS, "counter": Topic.COUNTERS, "item": Topic.INVENTORY, "annotation": Topic.ANNOTATIONS,
          "wall": Topic.WALLS, "opening": Topic.WALLS}
WALL_TABLES = {"wall": "wall", "opening": "wall_opening"}  # Topic.WALLS holds both: their ids by table

OVERLAP_TAG = "overlaps-overlay"  # data(0) of the outlines of overlapping counters and furniture
OVERLAP_COLOUR = "#D35400"
OVERLAP_Z = 30  # above counters (20) and furniture (10)
KEPT_OVERLAYS = ("findings-overlay", "routes-overlay")  # data(0) of items others draw over the plan: kept on a reload

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
        self.overlap_refs: set[tuple[str, int]] = set()  # counters and furniture outlined as overlapping
        self.overlap_items: list[QGraphicsPathItem] = []
        self.wall_mass = WallMassItem()  # the walls filled dark, one item
        self.openings_layer = OpeningsLayer()  # the doors' and windows' symbols, one item
        self.walls_version = 0  # counts changes of the walls and their doors (the tools' copies follow it)
        self.hovered: PlanItem | None = None
        self._scroll_rect: QRectF | None = None  # the scene's rect as last set (see _update_rect)
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
        if kind == "wall":
            return WallItem(obj)
        if kind == "opening":
            return OpeningItem(obj)
        return DimensionItem(obj) if obj.kind == AnnotationKind.DIMENSION.value else TextItem(obj)

    def reload(self) -> None:
        self.handles.clear()
        if self.underlay is not None:  # kept: its geometry is costly to prepare and rarely changes
            self.removeItem(self.underlay)
        kept = [item for item in self.items() if item.data(0) in KEPT_OVERLAYS]
        for item in kept:  # others' overlays (the findings): taken out, put back after
            self.removeItem(item)
        self.overlap_items = []  # cleared with the rest, drawn again below
        for layer in (self.wall_mass, self.openings_layer):  # kept, made again below
            if layer.scene() is self:
                self.removeItem(layer)
        self.hovered = None
        self.clear()
        self.items_by_key.clear()
        self.background = None
        for kind in KINDS:
            for ident, obj in self._load(kind).items():
                self._add(self._make(kind, obj), kind, ident)
        self.addItem(self.wall_mass)
        self.addItem(self.openings_layer)
        self._refresh_walls()
        self._load_background()
        self._load_underlay()
        for item in kept:
            self.addItem(item)
        self.dirty = False
        self._scroll_rect = None
        self._update_rect()
        self._draw_overlaps()

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
        """Room to scroll and draw around the content (half its size, 20 m at least), its sides on whole
        ``SCROLL_STEP``s: an edit that moves a few objects leaves it as it is (a new one rescales the
        scroll bars and repaints the whole view)."""
        rect = self.content_rect().united(EMPTY_FLOOR)
        margin = max(20000.0, rect.width() / 2, rect.height() / 2)
        kept = self._scroll_rect
        if (kept is not None and kept.contains(rect.adjusted(-margin / 2, -margin / 2, margin / 2, margin / 2))
                and kept.width() * kept.height() <= 2 * (rect.width() + 2 * margin) * (rect.height() + 2 * margin)):
            return
        left, top = (math.floor((v - margin) / SCROLL_STEP) * SCROLL_STEP for v in (rect.left(), rect.top()))
        right, bottom = (math.ceil((v + margin) / SCROLL_STEP) * SCROLL_STEP for v in (rect.right(), rect.bottom()))
        self._scroll_rect = QRectF(left, top, right - left, bottom - top)
        self.setSceneRect(self._scroll_rect)

    # --- selection --------------------------------------------------------------------
    def plan_items(self) -> list[PlanItem]:
        return list(self.items_by_key.values())

    def item_for(self, ref) -> PlanItem | None:
        return self.items_by_key.get(tuple(ref))

    def box_items(self) -> list[BoxItem]:
        """The counters and pieces of furniture shown, counters first, each kind by id (the order of
        ``reads.plan.placed_boxes``)."""
        return sorted((i for i in self.items_by_key.values() if isinstance(i, BoxItem)),
                      key=lambda i: (i.kind != "counter", i.object_id))

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
        elif isinstance(item, WallItem):  # its corners and ends (a loop's first point once)
            for i, (x, y) in enumerate(item.snap_vertices()):
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

    # --- counters and furniture standing in each other ----------------------------------
    def show_overlaps(self, refs) -> None:
        """Outline these counters and pieces of furniture as overlapping, where they are now (none: no
        outline)."""
        self.overlap_refs = {tuple(r) for r in refs}
        self._draw_overlaps()

    def _draw_overlaps(self) -> None:
        for item in self.overlap_items:
            if item.scene() is self:
                self.removeItem(item)
        self.overlap_items = []
        pen = QPen(QColor(OVERLAP_COLOUR), 3, Qt.DashLine)
        pen.setCosmetic(True)  # the same width at every zoom
        fill = QColor(OVERLAP_COLOUR)
        fill.setAlpha(40)
        for ref in sorted(self.overlap_refs):
            shown = self.items_by_key.get(ref)
            if not isinstance(shown, BoxItem):
                continue
            path = QPainterPath()
            path.addPolygon(QPolygonF([QPointF(x, y) for x, y in box_corners(*shown.box)]))
            path.closeSubpath()
            item = QGraphicsPathItem(path)
            item.setPen(pen)
            item.setBrush(QBrush(fill))
            item.setZValue(OVERLAP_Z)
            item.setAcceptedMouseButtons(Qt.NoButton)  # clicks go to the objects underneath
            item.setData(0, OVERLAP_TAG)
            item.setData(1, ref)
            self.addItem(item)
            self.overlap_items.append(item)

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
        touched = self._sync_walls(changes)
        for kind in KINDS:
            if kind in WALL_TABLES:
                continue
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

    # --- walls, doors and windows -------------------------------------------------------
    def _kind_items(self, kind: str) -> dict:
        return {ident: item for (k, ident), item in self.items_by_key.items() if k == kind}

    def _refresh_walls(self, changed=None, old_boxes=()) -> None:
        """The mass again, and the joined outlines of the ``changed`` walls and their neighbours (None: all)."""
        self.walls_version += 1
        refresh_walls(self.wall_mass, self.openings_layer, self._kind_items("wall"),
                      self._kind_items("opening").values(), changed, old_boxes)

    def _sync_walls(self, changes: Changes) -> bool:
        """Walls and openings added, changed or removed; the doors and windows of a changed wall follow it.
        True when anything on the floor changed."""
        if not changes.about(Topic.WALLS):
            return False
        ids = {(kind, verb): set(getattr(changes, verb).get(table, ())) for kind, table in WALL_TABLES.items()
               for verb in ("added", "updated", "removed")}
        removed = ids[("wall", "removed")]
        wanted = ids[("wall", "added")] | ids[("wall", "updated")]
        gone_openings = ids[("opening", "removed")]
        wanted_openings = ids[("opening", "added")] | ids[("opening", "updated")]
        if not (removed or wanted or gone_openings or wanted_openings):
            return False
        walls = self._kind_items("wall")
        old_boxes = [walls[w].model_box for w in removed | wanted if w in walls]
        self._sync("wall", removed, wanted)
        followers = {ident for ident, item in self._kind_items("opening").items() if item.wall_id in removed | wanted}
        self._sync("opening", gone_openings, (wanted_openings | followers) - gone_openings)
        if self.hovered is not None and self.hovered.scene() is not self:
            self.hovered = None
        self._refresh_walls(wanted, old_boxes)
        return True

    def openings_of(self, wall_ids) -> list[OpeningItem]:
        """The door and window items in these walls (they follow a wall being dragged)."""
        wanted = set(wall_ids)
        return [item for item in self._kind_items("opening").values() if item.wall_id in wanted]

    def show_hover(self, item) -> None:
        """Outline the wall, door or window under the pointer (the select tool; None: nothing)."""
        item = item if isinstance(item, (WallItem, OpeningItem)) else None
        if item is self.hovered:
            return
        if self.hovered is not None and self.hovered.scene() is self:
            self.hovered.set_hovered(False)
        self.hovered = item
        if item is not None:
            item.set_hovered(True)

    def _refresh_kind(self, kind: str) -> None:
        for ident, obj in self._load(kind).items():
            item = self.items_by_key.get((kind, ident))
            if item is not None:
                item.refresh(obj)
