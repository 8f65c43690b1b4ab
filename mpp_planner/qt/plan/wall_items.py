"""Walls, doors and windows on the plan.

The walls of a floor are filled dark as ONE item (:class:`WallMassItem`, from ``wall_geometry.wall_mass``:
clean joins, a gap at every door and window), so corners and T junctions show no seam. Each wall also has a
:class:`WallItem` to pick, select and reshape it: its shape is its joined body, and it draws only an outline
when hovered or selected (else Qt does not even call it: the mass shows the wall). Each door or window is an
:class:`OpeningItem` with its plan symbol (leaf and swing, sliding panels, window glass), all of them drawn
by one :class:`OpeningsLayer` in a few strokes. Lines are cosmetic (the same width in pixels at every zoom)
and every path is built once per refresh, never per paint.

:class:`WallPreview` (the wall being drawn) and :class:`OpeningGhost` (where a door would go) are the tools'
previews. :func:`refresh_walls` is what the scene calls after walls or openings changed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPainterPathStroker, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem

from mpp_planner.commands.snap import Box
from mpp_planner.i18n import _
from mpp_planner.model.wall_geometry import (OpeningShape, WallShape, opening_frame, opening_paths, point_at,
                                             wall_bodies, wall_mass)
from mpp_planner.model.walls import OpeningKind
from mpp_planner.qt.plan import style
from mpp_planner.qt.plan.items import PlanItem, metres

MASS_Z = 5  # above room fills (0), under furniture (10) and counters (20)
WALL_Z = 6
OPENING_Z = 7
PREVIEW_Z = 5000
HOVER = QColor("#5DADE2")
GLASS = QColor("#2E86C1")
GAP_FILL = QColor("#FFFFFF")


def _pen(colour, width: float = 1.0, dashed: bool = False) -> QPen:
    pen = QPen(QColor(colour), width)
    pen.setCosmetic(True)  # the same look at every zoom
    pen.setJoinStyle(Qt.MiterJoin)
    if dashed:
        pen.setStyle(Qt.DashLine)
    return pen


INK = style.WALL
PENS = {"jamb": _pen(INK, 1.2), "leaf": _pen(INK, 1.8), "swing": _pen(INK, 1.0), "panel": _pen(INK, 1.0),
        "arrow": _pen(INK, 0.8), "sill": _pen(INK, 1.0), "glass": _pen(GLASS, 1.2)}
ROLE_ORDER = ("panel", "jamb", "sill", "glass", "swing", "leaf", "arrow")
SELECTED_PEN = _pen(style.SELECTION, 2.0)
HOVER_PEN = _pen(HOVER, 1.5)
PREVIEW_PEN = _pen(style.PREVIEW_LINE, 1.5)
PREVIEW_DASH = _pen(style.PREVIEW_LINE, 1.0, dashed=True)
MOVING_FILL = QColor(60, 70, 80, 110)  # a wall dragged: its body where it would go


def polygon(points: Iterable[Sequence[float]]) -> QPolygonF:
    return QPolygonF([QPointF(float(x), float(y)) for x, y in points])


def rings_path(rings: Iterable[Sequence[Sequence[float]]]) -> QPainterPath:
    """Rings (outer boundaries and holes) as one path, filled even-odd."""
    path = QPainterPath()
    path.setFillRule(Qt.OddEvenFill)
    for ring in rings:
        if len(ring) >= 3:
            path.addPolygon(polygon(ring))
            path.closeSubpath()
    return path


def stroked_body(points: Sequence[Sequence[float]], thickness: float) -> QPainterPath:
    """A wall's body on its own (no joins with others): its polyline stroked ``thickness`` wide, mitred at
    its corners, flat at its ends; a loop closed round. For previews, and until the joined body is known."""
    pts = [(float(x), float(y)) for x, y in points]
    line = QPainterPath()
    if len(pts) < 2:
        return line
    closed = len(pts) > 2 and pts[0] == pts[-1]
    line.moveTo(*pts[0])
    for p in pts[1:-1] if closed else pts[1:]:
        line.lineTo(*p)
    if closed:
        line.closeSubpath()
    stroker = QPainterPathStroker()
    stroker.setWidth(max(1.0, float(thickness)))
    stroker.setCapStyle(Qt.FlatCap)
    stroker.setJoinStyle(Qt.MiterJoin)
    stroker.setMiterLimit(4.0)
    return stroker.createStroke(line)


def wall_box(points: Sequence[Sequence[float]], thickness: float) -> Box:
    box = Box.around(points)
    half = thickness / 2
    return Box(box.left - half, box.top - half, box.right + half, box.bottom + half)


class WallItem(PlanItem, QGraphicsPathItem):
    """A wall to pick and select: its path (and shape) is its joined body. It draws an outline when hovered
    or selected, and its body while dragged or reshaped; otherwise nothing (the wall mass shows it). Its
    bounds and shape are Qt's own (no Python call per repaint)."""

    kind = "wall"

    def __init__(self, wall):
        QGraphicsPathItem.__init__(self)
        self.setPen(Qt.NoPen)  # the outline's pen is chosen in paint(); bounds: the path's
        self.object_id = wall.id
        self.setZValue(WALL_Z)
        self.setFlag(QGraphicsItem.ItemIsSelectable, True)
        self.hovered = False
        self.points: list[list[int]] = []
        self.thickness = 0
        self._body: QPainterPath | None = None  # joined to the walls it meets (None: on its own, made when asked)
        self._preview: QPainterPath | None = None  # a reshape being dragged
        self._moved = False  # a move being dragged (shown at its offset)
        self.refresh(wall)

    # --- the model's wall -------------------------------------------------------------
    def refresh(self, wall) -> None:
        points, thickness = [list(p) for p in wall.points], wall.thickness
        self.setPos(0, 0)
        self._moved = False
        if (points, thickness) != (self.points, self.thickness) or self._preview is not None:
            self.points, self.thickness = points, thickness
            self.model_box = wall_box(points, thickness)
            self.setToolTip(_("Wall {length}, {thickness} mm thick").format(length=metres(wall_length(points)),
                                                                            thickness=thickness))
            self._preview = None
            self.set_body(None)
        self._show()

    @property
    def shape_data(self) -> WallShape:
        return WallShape(self.object_id, self.points, self.thickness)

    @property
    def closed(self) -> bool:
        return len(self.points) > 2 and self.points[0] == self.points[-1]

    def set_body(self, rings) -> None:
        """Its outline joined to the walls it meets (``wall_geometry.wall_bodies``); None: on its own."""
        self._body = rings_path(rings) if rings else None
        self._reshaped()

    def _reshaped(self) -> None:
        self.setPath(self._preview if self._preview is not None else self.body)
        self._show()

    @property
    def body(self) -> QPainterPath:
        if self._body is None:
            self._body = stroked_body(self.points, self.thickness)
        return self._body

    def snap_vertices(self) -> list:
        return self.points[:-1] if self.closed else self.points

    # --- previews -----------------------------------------------------------------------
    def set_preview_offset(self, dx: float, dy: float) -> None:
        self.setPos(dx, dy)
        self._moved = bool(dx or dy)
        self._show()

    def set_preview_points(self, points) -> None:
        """Show the wall reshaped to ``points`` (a corner being dragged); not the model."""
        self._preview = stroked_body(points, self.thickness)
        self._reshaped()

    def clear_preview(self) -> None:
        self.setPos(0, 0)
        self._moved = False
        if self._preview is not None:
            self._preview = None
            self._reshaped()
        self._show()

    def set_hovered(self, on: bool) -> None:
        if on != self.hovered:
            self.hovered = on
            self._show()

    # --- drawing ----------------------------------------------------------------------
    def _show(self) -> None:
        """Drawn only when there is something to draw: Qt skips the others at every repaint."""
        busy = self.hovered or self.isSelected() or self._moved or self._preview is not None
        self.setFlag(QGraphicsItem.ItemHasNoContents, not busy)
        self.update()

    def itemChange(self, change, value):  # noqa: N802
        if change == QGraphicsItem.ItemSelectedHasChanged:
            self._show()
        return super().itemChange(change, value)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        body = self.path()
        if self._preview is not None or self._moved:
            painter.setPen(PREVIEW_PEN)
            painter.setBrush(MOVING_FILL)
        else:
            painter.setPen(SELECTED_PEN if self.isSelected() else HOVER_PEN)
            painter.setBrush(Qt.NoBrush)
        painter.drawPath(body)


def wall_length(points) -> float:
    return sum(math.dist(points[i - 1], points[i]) for i in range(1, len(points)))


class OpeningItem(PlanItem, QGraphicsPathItem):
    """A door or window in its wall: the jambs, then a door's leaf open at 90° and its swing, a sliding
    door's panels and arrow, or a window's sills and glass. Its shape is its box in the wall. The floor's
    :class:`OpeningsLayer` draws every symbol in a few strokes; the item draws itself only when selected,
    hovered or dragged (else Qt does not call it). Its path holds all its strokes: Qt's own bounds."""

    kind = "opening"

    def __init__(self, opening):
        QGraphicsPathItem.__init__(self)
        self.setPen(Qt.NoPen)
        self.object_id = opening.id
        self.setZValue(OPENING_Z + 0.5)
        self.setFlag(QGraphicsItem.ItemIsSelectable, True)
        self.hovered = False
        self.previewing = False  # shown away from where the model has it: the layer leaves it out
        self._key = None
        self.refresh(opening)

    def refresh(self, opening) -> None:
        wall = opening.wall
        self.wall_id = opening.wall_id
        self.wall = WallShape(wall.id, [list(p) for p in wall.points], wall.thickness)
        self.opening = OpeningShape(opening.id, opening.wall_id, opening.kind, opening.offset, opening.width,
                                    opening.hinge, opening.side)
        key = (self.wall, self.opening)
        if key != self._key:
            self._key = key
            self._build(self.opening)
            self.setToolTip(_("{kind}, {width} mm wide").format(kind=OpeningKind(opening.kind).label,
                                                                width=opening.width))
        self.setPos(0, 0)
        self._set_previewing(False)

    def _build(self, opening: OpeningShape) -> None:
        """The symbol's paths, grouped by pen, and the box (once per change, not per paint)."""
        frame = opening_frame(self.wall, opening)
        groups: dict[str, QPainterPath] = {}
        for p in opening_paths(self.wall, opening):
            path = groups.setdefault(p.role if p.role in PENS else "jamb", QPainterPath())
            path.addPolygon(polygon(p.points))
            if p.closed:
                path.closeSubpath()
        self.groups = groups
        self._box = QPainterPath()
        if frame is not None:
            corners = [frame.start_left, frame.end_left, frame.end_right, frame.start_right]
            self._box.addPolygon(polygon(corners))
            self._box.closeSubpath()
            self.model_box = Box.around(corners)
        else:  # it does not fit its wall (yet): a box where it would be
            x, y, _ux, _uy, _s = point_at(self.wall.points, opening.offset)
            half = max(opening.width, self.wall.thickness) / 2
            self.model_box = Box(x - half, y - half, x + half, y + half)
            self._box.addRect(QRectF(x - half, y - half, 2 * half, 2 * half))
        self.window = opening.kind == "window"
        everything = QPainterPath(self._box)
        for path in groups.values():
            everything.addPath(path)
        self.setPath(everything)

    @property
    def box_path(self) -> QPainterPath:
        return self._box

    # --- previews -----------------------------------------------------------------------
    def set_preview_offset(self, dx: float, dy: float) -> None:
        self.setPos(dx, dy)  # its wall is being moved
        self._set_previewing(bool(dx or dy))

    def set_preview_along(self, offset: float) -> None:
        """Show it slid along its wall to ``offset`` (a drag); not the model."""
        o = self.opening
        self._build(OpeningShape(o.id, o.wall_id, o.kind, offset, o.width, o.hinge, o.side))
        self._set_previewing(offset != o.offset)

    def clear_preview(self) -> None:
        self.setPos(0, 0)
        if self.previewing:
            self._build(self.opening)
        self._set_previewing(False)

    def _set_previewing(self, on: bool) -> None:
        if on != self.previewing:
            self.previewing = on
            layer = getattr(self.scene(), "openings_layer", None)
            if layer is not None:  # it draws itself while away from its place; the layer leaves it out
                layer.rebuild()
        self._show()

    def set_hovered(self, on: bool) -> None:
        if on != self.hovered:
            self.hovered = on
            self._show()

    # --- drawing ----------------------------------------------------------------------
    def _show(self) -> None:
        busy = self.hovered or self.isSelected() or self.previewing
        self.setFlag(QGraphicsItem.ItemHasNoContents, not busy)
        self.update()

    def itemChange(self, change, value):  # noqa: N802
        if change == QGraphicsItem.ItemSelectedHasChanged:
            self._show()
        return super().itemChange(change, value)

    def shape(self) -> QPainterPath:
        return self._box

    def paint(self, painter: QPainter, option, widget=None) -> None:
        paint_symbols(painter, self.groups, self._box if self.window else None)
        if self.isSelected() or self.hovered:
            painter.setBrush(Qt.NoBrush)
            painter.setPen(SELECTED_PEN if self.isSelected() else HOVER_PEN)
            painter.drawPath(self._box)


def paint_symbols(painter: QPainter, groups: dict[str, QPainterPath], glass: QPainterPath | None) -> None:
    """Doors' and windows' strokes, one path per role: a window's box white first (its glass reads on it),
    sliding panels filled white."""
    if glass is not None and not glass.isEmpty():
        painter.fillPath(glass, GAP_FILL)
    for role in ROLE_ORDER:
        path = groups.get(role)
        if path is not None:
            painter.setPen(PENS[role])
            painter.setBrush(GAP_FILL if role == "panel" else Qt.NoBrush)
            painter.drawPath(path)


class OpeningsLayer(QGraphicsItem):
    """Every door and window symbol of the floor, merged by role: a handful of strokes at each repaint
    instead of a few per opening. Made again when openings change (a dragged one is left out: its own
    item shows it where it goes)."""

    def __init__(self):
        super().__init__()
        self.setZValue(OPENING_Z)
        self.setAcceptedMouseButtons(Qt.NoButton)
        self.items: list[OpeningItem] = []
        self._groups: dict[str, QPainterPath] = {}
        self._glass = QPainterPath()
        self._bounds = QRectF()

    def set_items(self, items: Iterable[OpeningItem]) -> None:
        self.items = list(items)
        self.rebuild()

    def rebuild(self) -> None:
        self.prepareGeometryChange()
        groups: dict[str, QPainterPath] = {}
        glass = QPainterPath()
        for item in self.items:
            if item.previewing:
                continue
            for role, path in item.groups.items():
                groups.setdefault(role, QPainterPath()).addPath(path)
            if item.window:
                glass.addPath(item.box_path)
        self._groups, self._glass = groups, glass
        bounds = glass.boundingRect()
        for path in groups.values():
            bounds = bounds.united(path.boundingRect())
        self._bounds = bounds.adjusted(-40, -40, 40, 40)
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._bounds

    def paint(self, painter: QPainter, option, widget=None) -> None:
        paint_symbols(painter, self._groups, self._glass)


class WallMassItem(QGraphicsPathItem):
    """All the floor's walls as one dark mass, with a gap at each door and window. Not pickable itself:
    the walls' own items are."""

    def __init__(self):
        super().__init__()
        self.setZValue(MASS_Z)
        self.setAcceptedMouseButtons(Qt.NoButton)
        self.setBrush(QBrush(style.WALL))
        self.setPen(_pen(style.WALL, 1.0))  # no hairline seams between the mass and the jambs
        self.areas: list = []
        self.key: tuple | None = None  # the walls and gaps it was made from

    def set_areas(self, areas) -> None:
        self.areas = areas
        self.setPath(rings_path(ring for area in areas for ring in (area.exterior, *area.holes)))

    def shape(self) -> QPainterPath:
        return self.path()  # not its outline stroked with the pen: picking under it stays cheap


# --- what the tools show ------------------------------------------------------------------

class WallPreview(QGraphicsItem):
    """The wall being drawn: its body, its centreline and the length of its last segment."""

    def __init__(self):
        super().__init__()
        self.setZValue(PREVIEW_Z)
        self.points: list = []
        self.thickness = 0.0
        self._body = QPainterPath()
        self._line = QPainterPath()

    def set_wall(self, points, thickness: float) -> None:
        self.prepareGeometryChange()
        self.points = [(float(x), float(y)) for x, y in points]
        self.thickness = float(thickness)
        self._body = stroked_body(self.points, thickness)
        self._line = QPainterPath()
        if self.points:
            self._line.addPolygon(polygon(self.points))
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        grow = 20000.0  # room for the length label at any zoom
        return self._body.boundingRect().united(self._line.boundingRect()).adjusted(-grow, -grow, grow, grow)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setPen(PREVIEW_PEN)
        painter.setBrush(style.PREVIEW_FILL)
        painter.drawPath(self._body)
        painter.setPen(PREVIEW_DASH)
        painter.setBrush(Qt.NoBrush)
        painter.drawPath(self._line)
        if len(self.points) < 2:
            return
        (x1, y1), (x2, y2) = self.points[-2], self.points[-1]
        scale = max(painter.worldTransform().m11(), 1e-6)
        font = style.scene_font(max(120.0, 13 / scale))
        h = font.pixelSize()
        length = math.hypot(x2 - x1, y2 - y1)
        if length <= 0:
            return
        nx, ny = (y2 - y1) / length, -(x2 - x1) / length  # beside the wall, on its left face
        off = self.thickness / 2 + h
        cx, cy = (x1 + x2) / 2 + nx * off, (y1 + y2) / 2 + ny * off
        painter.setFont(font)
        painter.setPen(style.PREVIEW_LINE)
        painter.drawText(QRectF(cx - 10 * h, cy - 0.7 * h, 20 * h, 1.4 * h), Qt.AlignCenter, metres(length))


class OpeningGhost(QGraphicsItem):
    """Where a door or window would go in the wall under the pointer."""

    def __init__(self):
        super().__init__()
        self.setZValue(PREVIEW_Z)
        self._paths = QPainterPath()
        self._box = QPainterPath()

    def set_opening(self, wall: WallShape, opening: OpeningShape) -> None:
        self.prepareGeometryChange()
        self._paths = QPainterPath()
        for p in opening_paths(wall, opening):
            self._paths.addPolygon(polygon(p.points))
            if p.closed:
                self._paths.closeSubpath()
        self._box = QPainterPath()
        frame = opening_frame(wall, opening)
        if frame is not None:
            self._box.addPolygon(polygon([frame.start_left, frame.end_left, frame.end_right, frame.start_right]))
            self._box.closeSubpath()
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._paths.boundingRect().united(self._box.boundingRect()).adjusted(-60, -60, 60, 60)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setPen(PREVIEW_PEN)
        painter.setBrush(QColor(255, 255, 255, 230))
        painter.drawPath(self._box)
        painter.setBrush(Qt.NoBrush)
        painter.drawPath(self._paths)


# --- keeping a floor's walls in step --------------------------------------------------------

def _touches(a: Box, b: Box, reach: float) -> bool:
    return a.left - reach <= b.right and b.left - reach <= a.right and a.top - reach <= b.bottom \
        and b.top - reach <= a.bottom


def refresh_walls(mass: WallMassItem, layer: OpeningsLayer, walls: dict[int, WallItem],
                  openings: Iterable[OpeningItem], changed: Iterable[int] | None = None,
                  old_boxes: Iterable[Box] = ()) -> None:
    """After walls or doors changed: the mass again (all walls, every gap), the doors' and windows' symbols,
    and the joined bodies of the ``changed`` walls and of those they meet or met (``old_boxes``: where changed
    walls were before); None: every wall's."""
    openings = list(openings)
    layer.set_items(openings)
    shapes = {wid: item.shape_data for wid, item in walls.items()}
    cut = [o.opening for o in openings]
    key = (tuple((w.id, tuple(map(tuple, w.points)), w.thickness) for w in shapes.values()),
           tuple(sorted((o.wall_id, o.offset, o.width) for o in cut)))
    if key != mass.key:  # a door flipped, a window made a door: the same mass
        mass.key = key
        mass.set_areas(wall_mass(list(shapes.values()), cut) if shapes else [])
    if not shapes:
        return
    if changed is None:
        affected = set(walls)
        context = list(shapes.values())
    else:
        reach = max(item.thickness for item in walls.values())
        zones = [walls[w].model_box for w in changed if w in walls] + list(old_boxes)
        affected = {wid for wid, item in walls.items() if any(_touches(item.model_box, z, reach) for z in zones)}
        if not affected:
            return
        near = [walls[w].model_box for w in affected]
        context = [shapes[wid] for wid, item in walls.items()
                   if wid in affected or any(_touches(item.model_box, z, reach) for z in near)]
    bodies = wall_bodies(context)
    for wid in affected:
        walls[wid].set_body(bodies.get(wid))


__all__ = ["WallItem", "OpeningItem", "OpeningsLayer", "WallMassItem", "WallPreview", "OpeningGhost",
           "refresh_walls", "paint_symbols", "stroked_body", "rings_path"]
