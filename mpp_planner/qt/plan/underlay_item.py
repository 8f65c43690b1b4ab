"""The floor's underlay drawing (an imported CAD plan): thin grey lines and texts under the rooms.

A drawing may hold 100,000 entities, so the item prepares its geometry once (when the drawing changes)
and keeps every paint cheap:

- the paths are grouped per layer into chunks by where they lie (a grid of tiles over the drawing) and
  by how large they are, each chunk one cached ``QPainterPath``; a paint draws only the chunks that
  meet the exposed area and whose paths are at least a pixel on screen (level of detail);
- texts are drawn only when they would be readable (a few pixels high);
- zoomed out (the whole drawing at most ``OVERVIEW_PX`` pixels across) it draws a picture of itself
  instead, made once per halving of the zoom when first needed, so zooming in and out is cheap;
- the item is cached in device coordinates, so repaints that do not zoom (a room moved over it, a
  selection, scrolling) copy pixels instead of drawing the lines again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

UNDERLAY_Z = -500  # above the background scan (-1000), under the rooms (0)
LINE = QColor("#98A2AD")
TEXT = QColor("#7F8A96")
TILES = 12  # the drawing is cut into at most TILES x TILES parts: zoomed in, only what shows is drawn
MIN_TILE_MM = 2000
MIN_PATH_PX = 0.75  # a path smaller than this on screen is left out (it would be a dot)
MIN_TEXT_PX = 4.0  # a text lower than this on screen is left out (unreadable)
OVERVIEW_PX = 2048  # the largest picture of the whole drawing (pixels on its longer side)
MIN_OVERVIEW_PX = 256
CAP_HEIGHT = 0.72  # of the font's pixel size: a CAD text's height is the height of its capitals
TEXT_WIDTH = 0.65  # of the height per character: a generous guess of a text's length for its bounds


@dataclass
class PathChunk:
    """Paths of one layer that lie in one tile and are about the same size, as one path."""

    layer: str
    size: float  # its paths are less than this many mm across
    rect: QRectF
    path: QPainterPath


@dataclass
class TextChunk:
    """Texts of one layer in one tile with the same height."""

    layer: str
    height: int  # mm
    rect: QRectF
    font: QFont
    texts: list[tuple[QPointF, float, str]] = field(default_factory=list)  # anchor, rotation (CAD), text


class UnderlayItem(QGraphicsItem):
    """The floor's underlay, one item for the whole drawing; it is never picked or selected."""

    kind = "underlay"

    def __init__(self, shown=None):
        super().__init__()
        self.setZValue(UNDERLAY_Z)
        self.setAcceptedMouseButtons(Qt.NoButton)
        self.setAcceptHoverEvents(False)
        self.setFlag(QGraphicsItem.ItemUsesExtendedStyleOption, True)
        self.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        pen = QPen(LINE, 0)
        pen.setCosmetic(True)
        self._pen = pen
        self.drawn_data: bytes | None = None  # the stored drawing shown (to know when it changed)
        self._rect = QRectF()
        self.bounds = QRectF()
        self.layers: dict[str, list[PathChunk]] = {}
        self.chunks: list[PathChunk] = []  # every layer's, largest paths first
        self.text_chunks: list[TextChunk] = []  # tallest first
        self.paths = 0
        self.texts = 0
        self.overviews: dict[int, QImage] = {}  # halvings below OVERVIEW_PX -> picture of the drawing
        if shown is not None:
            self.refresh(shown)

    # --- following the model ------------------------------------------------------------
    def refresh(self, shown) -> None:
        """Show ``shown`` (a ``reads.plan.UnderlayShown``); the geometry is rebuilt only when the drawing
        itself changed, not when it was merely shown or hidden."""
        if shown.data != self.drawn_data:
            self.set_drawing(shown.drawing)
            self.drawn_data = shown.data
        self.setVisible(bool(shown.visible))

    def set_drawing(self, drawing) -> None:
        """Draw ``drawing`` (a ``model.Underlay``): its geometry is prepared here, once."""
        self.prepareGeometryChange()
        self.overviews = {}
        self._build(drawing)
        self.update()

    @property
    def plan_rect(self) -> QRectF:
        """What the drawing covers (its points and text anchors), in plan mm."""
        return QRectF(self.bounds)

    def _build(self, drawing) -> None:
        box = drawing.bounds()
        if box is None:
            self.bounds = QRectF()
            self._rect = QRectF()
            self.layers, self.chunks, self.text_chunks = {}, [], []
            self.paths = self.texts = 0
            return
        x0, y0, x1, y1 = box
        self.bounds = QRectF(x0, y0, max(1, x1 - x0), max(1, y1 - y0))
        tile = max(MIN_TILE_MM, math.ceil(max(x1 - x0, y1 - y0) / TILES))

        groups: dict[tuple, QPainterPath] = {}
        for p in drawing.paths:
            pts = p.points
            if not pts:
                continue
            xs, ys = zip(*pts)
            lo_x, lo_y = min(xs), min(ys)
            # size class b: the paths are less than 2**b mm across
            key = (p.layer, (lo_x - x0) // tile, (lo_y - y0) // tile,
                   max(1, max(max(xs) - lo_x, max(ys) - lo_y)).bit_length())
            path = groups.get(key)
            if path is None:
                path = groups[key] = QPainterPath()
            path.moveTo(*pts[0])
            for pt in pts[1:]:
                path.lineTo(*pt)
            if p.closed and len(pts) > 2:
                path.closeSubpath()
            elif len(pts) == 1:
                path.lineTo(pts[0][0] + 1, pts[0][1])  # a point: a dot one millimetre long
        chunks = [PathChunk(layer, float(1 << size), path.controlPointRect().adjusted(-1, -1, 1, 1), path)
                  for (layer, _tx, _ty, size), path in groups.items()]
        chunks.sort(key=lambda c: -c.size)
        self.chunks = chunks
        self.layers = {}
        for chunk in chunks:
            self.layers.setdefault(chunk.layer, []).append(chunk)
        self.paths = len(drawing.paths)

        texts: dict[tuple, TextChunk] = {}
        rect = QRectF(self.bounds)
        for t in drawing.texts:
            if not t.text.strip() or t.height <= 0:
                continue
            key = (t.layer, (t.x - x0) // tile, (t.y - y0) // tile, t.height)
            chunk = texts.get(key)
            reach = t.height * (1 + TEXT_WIDTH * len(t.text))  # any rotation stays within this
            around = QRectF(t.x - reach, t.y - reach, 2 * reach, 2 * reach)
            if chunk is None:
                font = QFont("DejaVu Sans")
                font.setPixelSize(max(1, round(t.height / CAP_HEIGHT)))
                chunk = texts[key] = TextChunk(t.layer, t.height, around, font)
            else:
                chunk.rect = chunk.rect.united(around)
            chunk.texts.append((QPointF(t.x, t.y), float(t.rotation or 0.0), t.text))
            rect = rect.united(around)
        self.text_chunks = sorted(texts.values(), key=lambda c: -c.height)
        self.texts = sum(len(c.texts) for c in self.text_chunks)
        self._rect = rect.adjusted(-2, -2, 2, 2)

    # --- drawing ---------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        if not self.chunks and not self.text_chunks:
            return
        lod = option.levelOfDetailFromTransform(painter.worldTransform()) or 1.0
        device = painter.device()
        lod *= device.devicePixelRatioF() if device is not None else 1.0  # pixels of the screen, not points
        level = self._overview_level(lod)
        if level is not None:
            image = self._overview(level)
            smooth = painter.testRenderHint(QPainter.SmoothPixmapTransform)
            painter.setRenderHint(QPainter.SmoothPixmapTransform, True)
            painter.drawImage(self._rect, image)
            painter.setRenderHint(QPainter.SmoothPixmapTransform, smooth)
            return
        self.draw(painter, lod, self._painted_area(painter, option))

    def _painted_area(self, painter: QPainter, option: QStyleOptionGraphicsItem) -> QRectF:
        """What of the drawing this paint can show: the exposed part, within the clip and the device (a
        render of the view to an image exposes the whole item but shows only the view's part)."""
        area = option.exposedRect if not option.exposedRect.isEmpty() else QRectF(self._rect)
        if painter.hasClipping():
            area = area.intersected(painter.clipBoundingRect())
        device = painter.device()
        inverse, invertible = painter.worldTransform().inverted()
        if device is not None and invertible:
            area = area.intersected(inverse.mapRect(QRectF(0, 0, device.width(), device.height())))
        return area

    def draw(self, painter: QPainter, lod: float, exposed: QRectF) -> None:
        """Draw the lines and texts that meet ``exposed`` and show at ``lod`` pixels per mm."""
        aa, text_aa = painter.testRenderHint(QPainter.Antialiasing), painter.testRenderHint(QPainter.TextAntialiasing)
        painter.setRenderHint(QPainter.Antialiasing, False)  # hairlines: crisp and much faster
        painter.setPen(self._pen)
        painter.setBrush(Qt.NoBrush)
        smallest = MIN_PATH_PX / lod
        for chunk in self.chunks:
            if chunk.size < smallest:
                break  # the rest are smaller still
            if chunk.rect.intersects(exposed):
                painter.drawPath(chunk.path)
        lowest = MIN_TEXT_PX / lod
        if self.text_chunks and self.text_chunks[0].height >= lowest:
            painter.setRenderHint(QPainter.TextAntialiasing, True)
            painter.setPen(TEXT)
            for chunk in self.text_chunks:
                if chunk.height < lowest:
                    break
                if not chunk.rect.intersects(exposed):
                    continue
                painter.setFont(chunk.font)
                for anchor, rotation, text in chunk.texts:
                    if rotation:
                        painter.save()
                        painter.translate(anchor)
                        painter.rotate(-rotation)  # counter-clockwise in CAD; the plan's y axis points down
                        painter.drawText(QPointF(0, 0), text)
                        painter.restore()
                    else:
                        painter.drawText(anchor, text)
        painter.setRenderHint(QPainter.Antialiasing, aa)  # the view does not save the painter's state
        painter.setRenderHint(QPainter.TextAntialiasing, text_aa)

    # --- the pictures for zooming out ---------------------------------------------------------
    def _overview_level(self, lod: float) -> int | None:
        """Which picture shows the drawing at ``lod`` px/mm (never enlarged), or None: draw the lines."""
        longest = max(self._rect.width(), self._rect.height())
        if longest <= 0 or lod * longest > OVERVIEW_PX:
            return None
        level = 0
        while OVERVIEW_PX >> (level + 1) >= MIN_OVERVIEW_PX and (OVERVIEW_PX >> (level + 1)) >= lod * longest:
            level += 1
        return level

    def _overview(self, level: int) -> QImage:
        image = self.overviews.get(level)
        if image is None:
            rect = self._rect
            scale = (OVERVIEW_PX >> level) / max(rect.width(), rect.height())
            image = QImage(max(1, math.ceil(rect.width() * scale)), max(1, math.ceil(rect.height() * scale)),
                           QImage.Format_ARGB32_Premultiplied)
            image.fill(Qt.transparent)
            p = QPainter(image)
            p.scale(image.width() / rect.width(), image.height() / rect.height())
            p.translate(-rect.topLeft())
            self.draw(p, scale, rect)
            p.end()
            self.overviews[level] = image
        return image


__all__ = ["UnderlayItem", "UNDERLAY_Z", "PathChunk", "TextChunk"]
