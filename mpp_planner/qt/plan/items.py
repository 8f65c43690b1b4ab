"""Graphics items: each shows one model object and is refreshed from it, never the reverse.

While a tool drags, items show a preview (an offset, a new outline, a new box); the model
changes only when the tool pushes its command, and the refresh that follows puts the item
exactly where the model says.
"""

from __future__ import annotations

import math
from functools import lru_cache

from PySide6.QtCore import QByteArray, QBuffer, QIODevice, QLineF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (QBrush, QColor, QFontMetricsF, QImageReader, QPainter, QPainterPath, QPen,
                           QPixmap, QPolygonF)
from PySide6.QtWidgets import (QGraphicsEllipseItem, QGraphicsItem, QGraphicsPixmapItem, QGraphicsPolygonItem,
                               QGraphicsRectItem, QStyle)

from mpp_planner.commands.plan import text_box
from mpp_planner.commands.snap import Box, rotated_bounds
from mpp_planner.formats import area as fmt_area
from mpp_planner.formats import number
from mpp_planner.model import geometry, symbols
from mpp_planner.qt.plan import style

CACHE = QGraphicsItem.DeviceCoordinateCache
MAX_BACKGROUND_SIDE = 8192  # px kept in memory for drawing; the file keeps the full image


def metres(mm: float) -> str:
    return f"{number(mm / 1000.0, 2)} m"


class PlanItem:
    """What the tools need from every plan object's item."""

    kind = ""
    object_id = 0
    model_box = Box(0, 0, 0, 0)

    @property
    def ref(self) -> tuple[str, int]:
        return (self.kind, self.object_id)

    def snap_vertices(self) -> list:
        return []

    def set_preview_offset(self, dx: float, dy: float) -> None:
        raise NotImplementedError

    def clear_preview(self) -> None:
        self.set_preview_offset(0, 0)


# --- rooms ----------------------------------------------------------------------------------

def moved_by(before, after) -> tuple[float, float] | None:
    """(dx, dy) when the outline ``after`` is ``before`` moved as a whole (or not at all), else None."""
    d = (after[0][0] - before[0][0], after[0][1] - before[0][1]) if before and len(before) == len(after) else None
    return d if d and all(b[0] - a[0] == d[0] and b[1] - a[1] == d[1] for a, b in zip(before, after)) else None


class RoomItem(PlanItem, QGraphicsPolygonItem):
    """A room: its outline filled by kind, its name and area (m²) in the middle. The label
    follows a preview outline while a corner is dragged."""

    kind = "room"

    def __init__(self, room):
        QGraphicsPolygonItem.__init__(self)
        self.object_id = room.id
        self.setZValue(0)
        self.setFlag(QGraphicsItem.ItemIsSelectable, True)
        self.setCacheMode(CACHE)
        pen = QPen(style.WALL, 120)
        pen.setJoinStyle(Qt.MiterJoin)
        self.setPen(pen)
        self.name = ""
        self.area_text = ""
        self.outline: list = []
        self.invalid = False
        self.refresh(room)

    def refresh(self, room) -> None:
        old = getattr(self, "_key", None)
        shift = moved_by(self._drawn, room.outline) if old and old[:2] == (room.name, room.kind) else None
        self._key = (room.name, room.kind, [list(p) for p in room.outline])
        if shift is not None and not self.invalid:  # moved as a whole: the same drawing (and cache), placed there
            self.outline, self._shift = [list(p) for p in room.outline], shift
            self.model_box = Box.around(self.outline)
            self.setPos(*shift)
            return
        self.name = room.name
        self.room_kind = room.kind
        self.outline = [list(p) for p in room.outline]
        fill = style.room_fill(room.kind)
        fill.setAlpha(style.ROOM_ALPHA)  # a scanned drawing under the floor shows through
        self.setBrush(QBrush(fill))
        self.setToolTip(f"{room.name}\n{room.room_kind.label}")
        self._show_outline(self.outline, True)

    def _show_outline(self, outline, valid: bool) -> None:
        self.prepareGeometryChange()
        self._drawn, self._shift = [tuple(p) for p in outline], (0, 0)
        self.setPos(0, 0)
        self.invalid = not valid
        self.setPolygon(QPolygonF([QPointF(x, y) for x, y in outline]))
        self.model_box = Box.around(outline) if outline else Box(0, 0, 0, 0)
        self.area_text = fmt_area(geometry.area_m2(outline))
        self._layout_label(outline)
        self.update()

    def set_preview_outline(self, outline, valid: bool = True) -> None:
        """Show ``outline`` (a corner being dragged) with its live area; not the model."""
        self._show_outline(outline, valid)

    def set_preview_offset(self, dx: float, dy: float) -> None:
        self.setPos(self._shift[0] + dx, self._shift[1] + dy)

    def clear_preview(self) -> None:
        self._show_outline(self.outline, True)

    def snap_vertices(self) -> list:
        return self.outline

    def _layout_label(self, outline) -> None:
        """Fit the name into the room once (shrink, then wrap) rather than at every paint."""
        cx, cy = geometry.centroid(outline) if len(outline) >= 3 else (0.0, 0.0)
        bounds = self.polygon().boundingRect()
        avail = max(1.0, bounds.width() * 0.9)
        size = 360.0
        font = style.scene_font(size, bold=True)
        width = QFontMetricsF(font).horizontalAdvance(self.name)
        if width > avail:
            size = max(160.0, size * avail / width)
            font = style.scene_font(size, bold=True)
        self._name_font = font
        self._area_font = style.scene_font(size * 0.82)
        self._name_box = QRectF(cx - avail / 2, cy - size * 3.2, avail, size * 3.1)
        self._area_box = QRectF(cx - avail / 2, cy + size * 0.15, avail, size * 1.3)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        selected = option.state & QStyle.State_Selected
        if self.invalid:
            painter.setPen(QPen(style.INVALID_LINE, 160, Qt.DashLine))
        else:
            painter.setPen(QPen(style.SELECTION, 200) if selected else self.pen())
        painter.setBrush(self.brush())
        painter.drawPolygon(self.polygon())
        painter.setPen(QColor("#2C3E50"))
        painter.setFont(self._name_font)
        painter.drawText(self._name_box, Qt.AlignHCenter | Qt.AlignBottom | Qt.TextWordWrap, self.name)
        painter.setFont(self._area_font)
        painter.drawText(self._area_box, Qt.AlignHCenter | Qt.AlignTop, self.area_text)


# --- counters and furniture -----------------------------------------------------------------

class BoxItem(PlanItem, QGraphicsRectItem):
    """A rotated box centred on its position (counters and furniture)."""

    def __init__(self):
        QGraphicsRectItem.__init__(self)
        self.setFlag(QGraphicsItem.ItemIsSelectable, True)
        self.setCacheMode(CACHE)
        self.box = (0, 0, 0, 0, 0.0)  # x, y, width, depth, rotation (the model's)

    def set_box(self, x: float, y: float, width: float, depth: float, rotation: float) -> bool:
        """Place the box; True when its size changed (a move alone keeps the cached drawing)."""
        rect = QRectF(-width / 2, -depth / 2, width, depth)
        resized = rect != self.rect()
        if resized:
            self.prepareGeometryChange()
            self.setRect(rect)
        self.setPos(x, y)
        if rotation != self.rotation():
            self.setRotation(rotation)
        return resized

    def set_model_box(self, x, y, width, depth, rotation) -> None:
        self.box = (x, y, width, depth, rotation)
        self.model_box = rotated_bounds(x, y, width, depth, rotation)
        self.set_box(x, y, width, depth, rotation)

    def set_preview_offset(self, dx: float, dy: float) -> None:
        self.setPos(self.box[0] + dx, self.box[1] + dy)

    def clear_preview(self) -> None:
        self.set_box(*self.box)


class CounterItem(BoxItem):
    """A counter: its label and its agencies' short names, filled in the first agency's colour
    (or its tier's colour)."""

    kind = "counter"

    def __init__(self, counter, colour_mode: str = "agency"):
        super().__init__()
        self.object_id = counter.id
        self.setZValue(20)
        self.colour_mode = colour_mode
        self.refresh(counter)

    def refresh(self, counter) -> None:
        self.set_model_box(counter.x, counter.y, counter.width, counter.depth, counter.rotation)
        agencies = counter.agencies
        if agencies:
            first = agencies[0]
            fill = first.colour if self.colour_mode == "agency" else style.tier_colour(first.tier)
            self.agency_text = " / ".join(a.short_name for a in agencies)
        else:
            fill = style.UNASSIGNED
            self.agency_text = ""
        look = (fill, self.agency_text, counter.label, counter.width, counter.depth)
        if look == getattr(self, "_look", None):
            return
        self._look = look
        self.fill = QColor(fill)
        self.label = counter.label
        self.setToolTip(f"{counter.label}\n{self.agency_text}" if self.agency_text else counter.label)
        self._layout()
        self.update()

    def _layout(self) -> None:
        rect = self.rect()
        self._label_font = style.scene_font(min(240, rect.height() * 0.32), bold=True)
        self._label_box = QRectF(rect.left(), rect.top() + rect.height() * 0.08, rect.width(), rect.height() * 0.42)
        self._agency_font = style.scene_font(min(200, rect.height() * 0.26))
        self._agency_box = QRectF(rect.left() + 40, rect.center().y(), rect.width() - 80, rect.height() * 0.45)
        self._agency_line = QFontMetricsF(self._agency_font).elidedText(
            self.agency_text, Qt.ElideRight, max(1.0, self._agency_box.width()))
        self._text_colour = style.text_on(self.fill)

    def set_box(self, x, y, width, depth, rotation) -> bool:
        resized = super().set_box(x, y, width, depth, rotation)
        if resized and hasattr(self, "agency_text"):
            self._layout()
        return resized

    def paint(self, painter: QPainter, option, widget=None) -> None:
        rect = self.rect()
        selected = option.state & QStyle.State_Selected
        painter.setBrush(self.fill)
        painter.setPen(QPen(style.SELECTION if selected else QColor("#2C3E50"), 80 if selected else 30))
        painter.drawRect(rect)
        if 90 < self.rotation() % 360 <= 270:
            painter.rotate(180)  # keep the text upright for counters facing the other way
        painter.setPen(self._text_colour)
        painter.setFont(self._label_font)
        painter.drawText(self._label_box, Qt.AlignCenter, self.label)
        if self.agency_text:
            painter.setFont(self._agency_font)
            painter.drawText(self._agency_box, Qt.AlignCenter, self._agency_line)


SYMBOL_PEN = {symbols.NORMAL: 20.0, symbols.THIN: 10.0}  # mm on the plan
SYMBOL_BRUSH = {symbols.LIGHT: QBrush(style.FURNITURE_FILL), symbols.DARK: QBrush(style.FURNITURE_LINE), None: QBrush()}
LABEL_SHARE = 0.5  # of a piece of furniture's short side at most: its name never hides its symbol
LABEL_SIZES = (160.0, 40.0)  # mm on the plan, largest and smallest
LABEL_MIN_PX = 7.0  # smaller on screen is not read: left out at that zoom
DETAIL_PX = 12.0  # a piece smaller on screen is drawn without its fine lines
SELECTED_PEN = QPen(style.SELECTION, 40)


@lru_cache(maxsize=1024)
def symbol_groups(symbol: str, width: float, depth: float) -> tuple[tuple[QPainterPath, QPen, QBrush], ...]:
    """The symbol as at most four painter paths, one per look (fill, weight), shared by every item
    of that symbol and size: light fills first, then lines, then dark solids on top."""
    paths: dict[tuple[str | None, str], QPainterPath] = {}
    for p in symbols.symbol_paths(symbol, width, depth):
        look = (p.fill if p.closed else None, p.weight)
        if look not in paths:
            paths[look] = QPainterPath()
            paths[look].setFillRule(Qt.WindingFill)  # nested outlines (a basin in a sink) fill together
        paths[look].addPolygon(QPolygonF([QPointF(x, y) for x, y in p.points]))
        if p.closed:
            paths[look].closeSubpath()
    order = {symbols.LIGHT: 0, None: 1, symbols.DARK: 2}
    return tuple((path, QPen(Qt.NoPen) if fill == symbols.DARK else QPen(style.FURNITURE_LINE, SYMBOL_PEN[weight]),
                  SYMBOL_BRUSH[fill]) for (fill, weight), path in sorted(paths.items(), key=lambda kv: order[kv[0][0]]))


@lru_cache(maxsize=4096)
def fit_label(name: str, width: float, depth: float):
    """(font, lines, turned) of the largest label that fits whole inside a width x depth box (on one
    line or two, along its long side) centred on the label's spot, or None: a name is never cut short."""
    words = name.split()
    cut = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))), default=0)
    turned = depth > width  # along the long side, as on the printed sheet
    long, short = (depth, width) if turned else (width, depth)
    ref, best = QFontMetricsF(style.scene_font(100)), None
    for lines in ([name], [" ".join(words[:cut]), " ".join(words[cut:])]) if cut else ([name],):
        size = min(LABEL_SIZES[0], short * LABEL_SHARE / (len(lines) * ref.height() / 100),
                   long * 0.9 / (max(ref.horizontalAdvance(line) for line in lines) / 100 or 1))
        while size >= LABEL_SIZES[1] and (best is None or size > best[0].pixelSize()) and name.strip():
            fm = QFontMetricsF(style.scene_font(size))
            if max(fm.horizontalAdvance(line) for line in lines) <= long * 0.92 and \
                    fm.height() * len(lines) <= short * LABEL_SHARE:
                best = (style.scene_font(size), lines, turned)
                break
            size -= max(1.0, size * 0.05)
    return best


class FurnitureItem(BoxItem):
    """An inventory item on the plan: the plan symbol of its kind (a chair, a desk, a sink...) at its
    real size, and its catalog name when the whole name fits inside (never cut short)."""

    kind = "item"
    labels_shown = True  # the View menu's switch; set_furniture_labels() repaints a scene after it

    def __init__(self, item):
        super().__init__()
        self.object_id = item.id
        self.setZValue(10)
        self.refresh(item)

    def refresh(self, item) -> None:
        self.set_model_box(item.x, item.y, item.plan_width, item.plan_depth, item.rotation)
        t = item.item_type
        look = (t.key, t.name, t.category, t.seats, t.tags, item.condition, item.plan_width, item.plan_depth)
        if look == getattr(self, "_look", None):
            return
        self._look = look
        self.name = t.name
        self.symbol = symbols.symbol_of(t)
        self.setToolTip(f"{t.name} ({item.condition})")
        self._layout()
        self.update()

    def _layout(self) -> None:
        """The symbol's paths and the label's font and lines for the box's size, once per change."""
        rect = self.rect()
        self._groups = symbol_groups(self.symbol, rect.width(), rect.height())
        cx, cy, zone_w, zone_d = symbols.label_box(self.symbol, rect.width(), rect.height())
        self._label, self._label_at = fit_label(self.name, zone_w, zone_d), QPointF(cx, cy)  # clear of its lines
        self._label_path: QPainterPath | None = None  # made when first shown large enough to read
        self._size = max(rect.width(), rect.height())
        self._solid = tuple(g for g in self._groups if g[2].style() != Qt.NoBrush)

    def set_box(self, x, y, width, depth, rotation) -> bool:
        resized = super().set_box(x, y, width, depth, rotation)
        if resized and hasattr(self, "name"):
            self._layout()
        return resized

    def paint(self, painter: QPainter, option, widget=None) -> None:
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        groups = self._groups if lod * self._size > DETAIL_PX else self._solid  # a few pixels: no fine lines
        for path, pen, brush in groups:
            painter.setPen(pen)
            painter.setBrush(brush)
            painter.drawPath(path)
        if self.isSelected():
            painter.setBrush(Qt.NoBrush)
            painter.setPen(SELECTED_PEN)
            painter.drawRect(self.rect())
        label = self._label if self.labels_shown else None
        if label is not None and label[0].pixelSize() * lod >= LABEL_MIN_PX:
            font, lines, turned = label
            if self._label_path is None:
                fm, self._label_path = QFontMetricsF(font), QPainterPath()
                for i, line in enumerate(lines):
                    self._label_path.addText(-fm.horizontalAdvance(line) / 2,
                                             fm.ascent() + (i - len(lines) / 2) * fm.height(), font, line)
            painter.save()
            painter.translate(self._label_at)
            angle = (90 if turned else 0) + self.rotation()
            painter.rotate(angle + (180 if 90 < angle % 360 <= 270 else 0) - self.rotation())  # upright
            pad = font.pixelSize() * 0.12
            painter.setPen(Qt.NoPen)
            painter.setBrush(QColor(255, 255, 255, 215))  # a wipeout: the symbol's lines stop at the text
            painter.drawRect(self._label_path.boundingRect().adjusted(-pad, -pad, pad, pad))
            painter.fillPath(self._label_path, QColor("#34495E"))
            painter.restore()


def set_furniture_labels(scene, on: bool) -> None:
    """Show or hide the names of furniture (every floor follows the switch) and repaint ``scene``'s."""
    FurnitureItem.labels_shown = bool(on)
    for item in scene.items():
        if isinstance(item, FurnitureItem):
            item.update()


# --- annotations ----------------------------------------------------------------------------

class DimensionItem(PlanItem, QGraphicsItem):
    """A dimension line with end ticks and its length in metres (or its own text)."""

    kind = "annotation"
    TICK = 150.0

    def __init__(self, note):
        QGraphicsItem.__init__(self)
        self.object_id = note.id
        self.setZValue(30)
        self.setFlag(QGraphicsItem.ItemIsSelectable, True)
        self.refresh(note)

    def refresh(self, note) -> None:
        self.points = ((note.x1, note.y1), (note.x2, note.y2))
        self.custom_text = note.text
        self.font_size = note.font_size
        self.setPos(0, 0)
        self._show(self.points)

    def _show(self, points) -> None:
        self.prepareGeometryChange()
        self.shown = points
        (x1, y1), (x2, y2) = points
        self.model_box = Box.around(points)
        self.text = self.custom_text or metres(geometry.distance(points[0], points[1]))
        self.font = style.scene_font(min(self.font_size, 400))
        fm = QFontMetricsF(self.font)
        self.text_width = fm.horizontalAdvance(self.text)
        pad = self.TICK + fm.height() * 1.6
        self._bounds = QRectF(QPointF(min(x1, x2), min(y1, y2)), QPointF(max(x1, x2), max(y1, y2))).adjusted(
            -pad - self.text_width / 2, -pad, pad + self.text_width / 2, pad)
        self.update()

    def set_preview_points(self, points) -> None:
        self._show(points)

    def set_preview_offset(self, dx: float, dy: float) -> None:
        self.setPos(dx, dy)

    def clear_preview(self) -> None:
        self.setPos(0, 0)
        self._show(self.points)

    def snap_vertices(self) -> list:
        return [list(p) for p in self.points]

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        (x1, y1), (x2, y2) = self.shown
        path.moveTo(x1, y1)
        path.lineTo(x2, y2)
        from PySide6.QtGui import QPainterPathStroker

        stroker = QPainterPathStroker()
        stroker.setWidth(max(self.TICK * 2, 300))
        return stroker.createStroke(path)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        selected = option.state & QStyle.State_Selected
        (x1, y1), (x2, y2) = self.shown
        colour = style.SELECTION if selected else style.DIMENSION
        painter.setPen(QPen(colour, 40 if not selected else 70))
        line = QLineF(x1, y1, x2, y2)
        painter.drawLine(line)
        length = line.length() or 1.0
        nx, ny = -(y2 - y1) / length, (x2 - x1) / length  # unit normal
        for x, y in ((x1, y1), (x2, y2)):
            painter.drawLine(QPointF(x - nx * self.TICK, y - ny * self.TICK),
                             QPointF(x + nx * self.TICK, y + ny * self.TICK))
            # a short slash, as architects draw it
            painter.drawLine(QPointF(x - 80, y + 80), QPointF(x + 80, y - 80))
        angle = math.degrees(math.atan2(y2 - y1, x2 - x1))
        if angle > 90 or angle <= -90:
            angle += 180
        painter.save()
        painter.translate((x1 + x2) / 2, (y1 + y2) / 2)
        painter.rotate(angle)
        painter.setFont(self.font)
        h = QFontMetricsF(self.font).height()
        painter.setPen(colour)
        painter.drawText(QRectF(-self.text_width / 2 - h, -h * 1.3, self.text_width + 2 * h, h * 1.2),
                         Qt.AlignCenter, self.text)
        painter.restore()


class TextItem(PlanItem, QGraphicsItem):
    """A text label centred on its point; its height is a plan length (mm)."""

    kind = "annotation"

    def __init__(self, note):
        QGraphicsItem.__init__(self)
        self.object_id = note.id
        self.setZValue(30)
        self.setFlag(QGraphicsItem.ItemIsSelectable, True)
        self.setCacheMode(CACHE)
        self.refresh(note)

    def refresh(self, note) -> None:
        self.prepareGeometryChange()
        self.anchor = (note.x1, note.y1)
        self.text = note.text
        self.font = style.scene_font(note.font_size)
        self.model_box = text_box(note.x1, note.y1, note.text, note.font_size)
        b = self.model_box
        self._rect = QRectF(b.left - note.x1, b.top - note.y1, b.width, b.height)
        self.setPos(*self.anchor)
        self.update()

    def set_preview_offset(self, dx: float, dy: float) -> None:
        self.setPos(self.anchor[0] + dx, self.anchor[1] + dy)

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._rect.adjusted(-60, -60, 60, 60)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        if option.state & QStyle.State_Selected:
            painter.setPen(QPen(style.SELECTION, 40, Qt.DashLine))
            painter.setBrush(Qt.NoBrush)
            painter.drawRect(self._rect)
        painter.setPen(style.ANNOTATION_TEXT)
        painter.setFont(self.font)
        painter.drawText(self._rect, Qt.AlignCenter, self.text)


# --- the background scan --------------------------------------------------------------------

def decode_image(data: bytes, max_side: int = MAX_BACKGROUND_SIDE) -> tuple[QPixmap, QSize]:
    """The image for drawing (scaled down to ``max_side`` if larger) and its full size."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    full = reader.size()
    if full.isValid() and max(full.width(), full.height()) > max_side:
        reader.setScaledSize(full.scaled(max_side, max_side, Qt.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        return QPixmap(), full
    if not full.isValid():
        full = image.size()
    return QPixmap.fromImage(image), full


class BackgroundItem(QGraphicsPixmapItem):
    """The floor's scanned drawing, scaled by its calibration, under everything else."""

    kind = "background"

    def __init__(self, bg):
        super().__init__()
        self.setZValue(-1000)
        self.setTransformationMode(Qt.SmoothTransformation)
        self.setAcceptedMouseButtons(Qt.NoButton)
        self._data: bytes | None = None
        self.full_size = QSize()
        self.refresh(bg)

    def refresh(self, bg) -> None:
        if bg.image != self._data:
            self._data = bg.image
            pixmap, self.full_size = decode_image(bg.image)
            self.setPixmap(pixmap)
        shown = self.pixmap().width() or 1
        full = self.full_size.width() or shown
        self.mm_per_px = bg.mm_per_px
        self.setScale(bg.mm_per_px * full / shown)
        self.setPos(bg.origin_x, bg.origin_y)
        self.setOpacity(bg.opacity)
        self.setVisible(bool(bg.visible))

    @property
    def plan_rect(self) -> QRectF:
        return self.mapRectToScene(self.boundingRect())


# --- handles and previews -------------------------------------------------------------------

class HandleItem(QGraphicsRectItem):
    """A grip of the single selected object: resize (corners, edges), rotate, a room corner,
    a dimension end. Drawn at a fixed size in pixels whatever the zoom."""

    SIZE = 9

    def __init__(self, role: str, spec, pos: QPointF, cursor=Qt.SizeAllCursor):
        s = self.SIZE
        super().__init__(-s / 2, -s / 2, s, s)
        self.role = role
        self.spec = spec  # (sx, sy) of a resize grip, a corner index, an end index
        self.setFlag(QGraphicsItem.ItemIgnoresTransformations, True)
        self.setZValue(10_000)
        self.setPos(pos)
        self.setBrush(style.HANDLE_FILL)
        self.setPen(QPen(style.HANDLE_LINE, 1.5))
        self.setCursor(cursor)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.Antialiasing, True)
        painter.setBrush(self.brush())
        painter.setPen(self.pen())
        if self.role == "rotate":
            painter.drawEllipse(self.rect())
        else:
            painter.drawRect(self.rect())


class PreviewPolygon(QGraphicsPolygonItem):
    """What a tool is drawing (a room outline, a rubber band): with a live area label."""

    def __init__(self, closed: bool = True, show_area: bool = True):
        super().__init__()
        self.setZValue(5000)
        self.closed = closed
        self.show_area = show_area
        self.valid = True
        self.points: list = []
        pen = QPen(style.PREVIEW_LINE, 0)
        pen.setCosmetic(True)
        pen.setWidthF(1.5)
        self.setPen(pen)
        self.setBrush(style.PREVIEW_FILL)

    def set_points(self, points, valid: bool = True) -> None:
        self.prepareGeometryChange()
        self.points = [list(p) for p in points]
        self.valid = valid
        self.setPolygon(QPolygonF([QPointF(x, y) for x, y in self.points]))
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        grow = 3500 if self.closed else 20000  # room for the length label at any zoom
        return super().boundingRect().adjusted(-grow, -grow, grow, grow)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        pen = QPen(self.pen())
        if not self.valid:
            pen.setColor(style.INVALID_LINE)
            pen.setStyle(Qt.DashLine)
        painter.setPen(pen)
        poly = self.polygon()
        if self.closed and len(self.points) >= 3:
            painter.setBrush(self.brush())
            painter.drawPolygon(poly)
        else:
            painter.drawPolyline(poly)
        if self.show_area and not self.closed and len(self.points) == 2:
            (x1, y1), (x2, y2) = self.points
            font = style.scene_font(max(120.0, 13 / max(painter.worldTransform().m11(), 1e-6)))
            painter.setFont(font)
            painter.setPen(style.PREVIEW_LINE)
            h = font.pixelSize()
            painter.drawText(QRectF((x1 + x2) / 2 - 10 * h, (y1 + y2) / 2 - 1.6 * h, 20 * h, 1.4 * h),
                             Qt.AlignCenter, metres(geometry.distance(self.points[0], self.points[1])))
        if self.show_area and self.closed and len(self.points) >= 3:
            cx, cy = geometry.centroid(self.points)
            font = style.scene_font(300, bold=True)
            painter.setFont(font)
            painter.setPen(style.PREVIEW_LINE if self.valid else style.INVALID_LINE)
            painter.drawText(QRectF(cx - 3000, cy - 250, 6000, 500), Qt.AlignCenter,
                             fmt_area(geometry.area_m2(self.points)))


class GhostBox(QGraphicsRectItem):
    """Where a counter or item will land (follows the pointer of a placing tool)."""

    def __init__(self, width: float, depth: float, label: str = ""):
        super().__init__(-width / 2, -depth / 2, width, depth)
        self.setZValue(5000)
        self.label = label
        pen = QPen(style.PREVIEW_LINE)
        pen.setCosmetic(True)
        pen.setWidthF(1.5)
        pen.setStyle(Qt.DashLine)
        self.setPen(pen)
        self.setBrush(style.PREVIEW_FILL)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        super().paint(painter, option, widget)
        if self.label:
            rect = self.rect()
            painter.setPen(style.PREVIEW_LINE)
            painter.setFont(style.scene_font(min(200, rect.height() * 0.3)))
            painter.drawText(rect, Qt.AlignCenter, self.label)


class MarkerItem(QGraphicsEllipseItem):
    """A clicked point (calibration, dimension start), fixed size in pixels."""

    def __init__(self, pos: QPointF, colour: QColor = style.CALIBRATION):
        super().__init__(-5, -5, 10, 10)
        self.setFlag(QGraphicsItem.ItemIgnoresTransformations, True)
        self.setZValue(10_000)
        self.setPos(pos)
        self.setPen(QPen(colour, 2))
        self.setBrush(QColor(255, 255, 255, 200))


__all__ = ["PlanItem", "RoomItem", "BoxItem", "CounterItem", "FurnitureItem", "set_furniture_labels", "DimensionItem",
           "TextItem", "BackgroundItem", "HandleItem", "PreviewPolygon", "GhostBox", "MarkerItem", "decode_image",
           "metres"]
