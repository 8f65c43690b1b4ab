"""Graphics items: each shows one model object and is refreshed from it, never the reverse."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPolygonItem, QGraphicsRectItem, QStyle

from mpp_planner.formats import area as fmt_area
from mpp_planner.model import geometry
from mpp_planner.qt.plan import style


class RoomItem(QGraphicsPolygonItem):
    kind = "room"

    def __init__(self, room):
        super().__init__()
        self.object_id = room.id
        self.setZValue(0)
        self.setFlag(QGraphicsItem.ItemIsSelectable, True)
        self.name = ""
        self.area_text = ""
        self.label_pos = QPointF()
        self.refresh(room)

    def refresh(self, room) -> None:
        self.prepareGeometryChange()
        self.setPolygon(QPolygonF([QPointF(x, y) for x, y in room.outline]))
        self.setBrush(QBrush(style.room_fill(room.kind)))
        pen = QPen(style.WALL, 120)
        pen.setJoinStyle(Qt.MiterJoin)
        self.setPen(pen)
        self.name = room.name
        self.area_text = fmt_area(room.area_m2)
        cx, cy = geometry.centroid(room.outline)
        self.label_pos = QPointF(cx, cy)
        self.update()

    def paint(self, painter: QPainter, option, widget=None) -> None:
        selected = option.state & QStyle.State_Selected
        painter.setPen(QPen(style.SELECTION, 200) if selected else self.pen())
        painter.setBrush(self.brush())
        painter.drawPolygon(self.polygon())
        # the label fits the room: shrink the font, then wrap, never spill over the walls
        bounds = self.polygon().boundingRect()
        avail = bounds.width() * 0.9
        size = 360.0
        font = style.scene_font(size, bold=True)
        width = QFontMetricsF(font).horizontalAdvance(self.name)
        if width > avail:
            size = max(160.0, size * avail / width)
            font = style.scene_font(size, bold=True)
        painter.setPen(QColor("#2C3E50"))
        painter.setFont(font)
        box = QRectF(self.label_pos.x() - avail / 2, self.label_pos.y() - size * 3.2, avail, size * 3.1)
        painter.drawText(box, Qt.AlignHCenter | Qt.AlignBottom | Qt.TextWordWrap, self.name)
        painter.setFont(style.scene_font(size * 0.82))
        box = QRectF(self.label_pos.x() - avail / 2, self.label_pos.y() + size * 0.15, avail, size * 1.3)
        painter.drawText(box, Qt.AlignHCenter | Qt.AlignTop, self.area_text)


class BoxItem(QGraphicsRectItem):
    """A rotated box centred on its position (counters and furniture)."""

    kind = "box"

    def __init__(self):
        super().__init__()
        self.setFlag(QGraphicsItem.ItemIsSelectable, True)

    def set_box(self, x: float, y: float, width: float, depth: float, rotation: float) -> None:
        self.prepareGeometryChange()
        self.setRect(QRectF(-width / 2, -depth / 2, width, depth))
        self.setPos(x, y)
        self.setRotation(rotation)


class CounterItem(BoxItem):
    kind = "counter"

    def __init__(self, counter, colour_mode: str = "agency"):
        super().__init__()
        self.object_id = counter.id
        self.setZValue(20)
        self.colour_mode = colour_mode
        self.refresh(counter)

    def refresh(self, counter) -> None:
        self.set_box(counter.x, counter.y, counter.width, counter.depth, counter.rotation)
        agencies = counter.agencies
        if agencies:
            first = agencies[0]
            fill = first.colour if self.colour_mode == "agency" else style.tier_colour(first.tier)
            self.agency_text = " / ".join(a.short_name for a in agencies)
        else:
            fill = style.UNASSIGNED
            self.agency_text = ""
        self.fill = QColor(fill)
        self.label = counter.label
        self.setToolTip(f"{counter.label}\n{self.agency_text}" if self.agency_text else counter.label)
        self.update()

    def paint(self, painter: QPainter, option, widget=None) -> None:
        rect = self.rect()
        selected = option.state & QStyle.State_Selected
        painter.setBrush(self.fill)
        painter.setPen(QPen(style.SELECTION if selected else QColor("#2C3E50"), 80 if selected else 30))
        painter.drawRect(rect)
        if 90 < self.rotation() % 360 <= 270:
            painter.rotate(180)  # keep the text upright for counters facing the other way
        painter.setPen(style.text_on(self.fill))
        painter.setFont(style.scene_font(min(240, rect.height() * 0.32), bold=True))
        top = QRectF(rect.left(), rect.top() + rect.height() * 0.08, rect.width(), rect.height() * 0.42)
        painter.drawText(top, Qt.AlignCenter, self.label)
        if self.agency_text:
            painter.setFont(style.scene_font(min(200, rect.height() * 0.26)))
            bottom = QRectF(rect.left() + 40, rect.center().y(), rect.width() - 80, rect.height() * 0.45)
            text = painter.fontMetrics().elidedText(self.agency_text, Qt.ElideRight, int(bottom.width()))
            painter.drawText(bottom, Qt.AlignCenter, text)


class FurnitureItem(BoxItem):
    kind = "item"

    def __init__(self, item):
        super().__init__()
        self.object_id = item.id
        self.setZValue(10)
        self.refresh(item)

    def refresh(self, item) -> None:
        self.set_box(item.x, item.y, item.plan_width, item.plan_depth, item.rotation)
        self.name = item.item_type.name
        self.setToolTip(f"{item.item_type.name} ({item.condition})")
        self.update()

    def paint(self, painter: QPainter, option, widget=None) -> None:
        rect = self.rect()
        selected = option.state & QStyle.State_Selected
        painter.setBrush(style.FURNITURE_FILL)
        painter.setPen(QPen(style.SELECTION if selected else style.FURNITURE_LINE, 60 if selected else 20))
        painter.drawRect(rect)
        painter.setPen(QColor("#34495E"))
        size = min(160, rect.height() * 0.4, rect.width() * 0.2)
        if size >= 40:
            painter.setFont(style.scene_font(size))
            text = painter.fontMetrics().elidedText(self.name, Qt.ElideRight, int(rect.width() - 20))
            painter.drawText(rect, Qt.AlignCenter, text)
