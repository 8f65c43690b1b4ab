"""Tool icons drawn with QPainter (no image files to ship or translate)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPen, QPixmap, QPolygonF

INK = QColor("#2C3E50")
ACCENT = QColor("#2980B9")
SIZE = 32


def _icon(draw) -> QIcon:
    pix = QPixmap(SIZE, SIZE)
    pix.fill(Qt.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.Antialiasing)
    p.setPen(QPen(INK, 2, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin))
    draw(p)
    p.end()
    return QIcon(pix)


def _poly(*pts) -> QPolygonF:
    return QPolygonF([QPointF(x, y) for x, y in pts])


def select_icon() -> QIcon:
    def draw(p):
        p.setBrush(QColor("#FFFFFF"))
        p.drawPolygon(_poly((9, 4), (9, 26), (14, 21), (18, 29), (22, 27), (18, 19), (25, 19)))
    return _icon(draw)


def pan_icon() -> QIcon:
    def draw(p):
        p.drawLine(16, 4, 16, 28)
        p.drawLine(4, 16, 28, 16)
        for a, b, c in (((12, 8), (16, 4), (20, 8)), ((12, 24), (16, 28), (20, 24)),
                        ((8, 12), (4, 16), (8, 20)), ((24, 12), (28, 16), (24, 20))):
            p.drawPolyline(_poly(a, b, c))
    return _icon(draw)


def room_icon() -> QIcon:
    def draw(p):
        p.setBrush(QColor("#EEF3FA"))
        p.setPen(QPen(INK, 3, Qt.SolidLine, Qt.SquareCap, Qt.MiterJoin))
        p.drawPolygon(_poly((4, 6), (20, 6), (20, 14), (28, 14), (28, 27), (4, 27)))
    return _icon(draw)


def counter_icon() -> QIcon:
    def draw(p):
        p.setBrush(QColor("#1F4E99"))
        p.drawRect(QRectF(3, 10, 26, 12))
        p.setPen(QColor("#FFFFFF"))
        f = QFont()
        f.setPixelSize(8)
        f.setBold(True)
        p.setFont(f)
        p.drawText(QRectF(3, 10, 26, 12), Qt.AlignCenter, "L-01")
    return _icon(draw)


def item_icon() -> QIcon:
    def draw(p):
        p.setBrush(QColor("#FFFFFF"))
        p.drawRect(QRectF(8, 9, 16, 16))
        p.setBrush(INK)
        p.drawRect(QRectF(8, 6, 16, 4))
    return _icon(draw)


def dimension_icon() -> QIcon:
    def draw(p):
        p.drawLine(4, 20, 28, 20)
        p.drawLine(4, 14, 4, 26)
        p.drawLine(28, 14, 28, 26)
        p.drawLine(2, 23, 7, 17)
        p.drawLine(25, 23, 30, 17)
        f = QFont()
        f.setPixelSize(9)
        p.setFont(f)
        p.drawText(QRectF(4, 4, 24, 12), Qt.AlignCenter, "5 m")
    return _icon(draw)


def text_icon() -> QIcon:
    def draw(p):
        f = QFont()
        f.setPixelSize(24)
        f.setBold(True)
        p.setFont(f)
        p.drawText(QRectF(0, 0, SIZE, SIZE), Qt.AlignCenter, "T")
    return _icon(draw)


def calibrate_icon() -> QIcon:
    def draw(p):
        p.setBrush(QColor("#F6E7B0"))
        p.drawRect(QRectF(3, 11, 26, 10))
        for x in range(7, 28, 4):
            p.drawLine(x, 11, x, 15 if (x // 4) % 2 else 17)
        p.setPen(QPen(QColor("#8E44AD"), 2))
        p.drawEllipse(QPointF(6, 26), 2.5, 2.5)
        p.drawEllipse(QPointF(26, 26), 2.5, 2.5)
    return _icon(draw)


def origin_icon() -> QIcon:
    def draw(p):
        p.drawLine(16, 3, 16, 29)
        p.drawLine(3, 16, 29, 16)
        p.setPen(QPen(QColor("#8E44AD"), 2))
        p.drawEllipse(QPointF(16, 16), 6, 6)
    return _icon(draw)


WALL_INK = QColor("#3C4650")


def wall_icon() -> QIcon:
    """An L of thick wall, as the plan fills it."""
    def draw(p):
        p.setPen(Qt.NoPen)
        p.setBrush(WALL_INK)
        p.drawPolygon(_poly((4, 4), (28, 4), (28, 10), (10, 10), (10, 28), (4, 28)))
        p.setPen(QPen(ACCENT, 2))
        p.drawEllipse(QPointF(28, 28), 2.5, 2.5)
    return _icon(draw)


def door_icon(kind: str = "door") -> QIcon:
    """A wall with a gap and the door's leaf and swing (two of each for a double door; panels for a
    sliding one)."""
    def draw(p):
        p.setPen(Qt.NoPen)
        p.setBrush(WALL_INK)
        p.drawRect(QRectF(2, 24, 6, 5))
        p.drawRect(QRectF(24, 24, 6, 5))
        p.setBrush(Qt.NoBrush)
        if kind == "sliding_door":
            p.setPen(QPen(INK, 1.5))
            p.drawRect(QRectF(8, 24, 10, 2.5))
            p.drawRect(QRectF(14, 26.5, 10, 2.5))
            p.drawLine(10, 18, 22, 18)
            p.drawPolyline(_poly((19, 15), (22, 18), (19, 21)))
            return
        leaves = [(8, 16, 1)] if kind == "door" else [(8, 8, 1), (24, 8, -1)]
        for x, length, sign in leaves:
            p.setPen(QPen(INK, 2))
            p.drawLine(QPointF(x, 24), QPointF(x, 24 - length))
            p.setPen(QPen(INK, 1, Qt.SolidLine))
            rect = QRectF(x - length, 24 - length, 2 * length, 2 * length)
            p.drawArc(rect, 0 if sign > 0 else 90 * 16, 90 * 16)
    return _icon(draw)


def window_icon() -> QIcon:
    """A wall with a window: its two sills and the glass between."""
    def draw(p):
        p.setPen(Qt.NoPen)
        p.setBrush(WALL_INK)
        p.drawRect(QRectF(2, 12, 6, 8))
        p.drawRect(QRectF(24, 12, 6, 8))
        p.setBrush(QColor("#FFFFFF"))
        p.setPen(QPen(INK, 1.5))
        p.drawRect(QRectF(8, 12, 16, 8))
        p.setPen(QPen(ACCENT, 2))
        p.drawLine(8, 16, 24, 16)
    return _icon(draw)


TOOL_ICONS = {"select": select_icon, "pan": pan_icon, "room": room_icon, "counter": counter_icon,
              "item": item_icon, "dimension": dimension_icon, "text": text_icon, "calibrate": calibrate_icon,
              "origin": origin_icon, "wall": wall_icon, "door": door_icon, "window": window_icon}
