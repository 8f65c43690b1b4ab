"""The survey's charts, painted with QPainter (PySide6-Essentials has no QtCharts): NRR per unsur on the grade
bands, the IKM across periods, and the respondents by gender, age, education and occupation.

Each chart is a plain widget that is given its numbers (``set_data``) and paints them; nothing is read while
painting. Numbers are written as the UI language writes them (``formats.number``: 3,2456 in Indonesian)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from mpp_planner.formats import number
from mpp_planner.i18n import _

#: the grade bands on the 1..4 answer scale (IKM 88,31 / 76,61 / 65,00 divided by 25), best first
NRR_BANDS = ((Decimal("3.5324"), Decimal("4"), "A", "#DDF0E3"), (Decimal("3.0644"), Decimal("3.5324"), "B", "#E8F3D6"),
             (Decimal("2.60"), Decimal("3.0644"), "C", "#FBF0D3"), (Decimal("1"), Decimal("2.60"), "D", "#F8DEDA"))
#: the same bands on the IKM scale (25..100)
IKM_BANDS = ((Decimal("88.31"), Decimal("100"), "A", "#DDF0E3"), (Decimal("76.61"), Decimal("88.31"), "B", "#E8F3D6"),
             (Decimal("65.00"), Decimal("76.61"), "C", "#FBF0D3"), (Decimal("25"), Decimal("65.00"), "D", "#F8DEDA"))
BAR = QColor("#2E6DA4")
WEAK = QColor("#C0392B")
TEXT = QColor("#1F2933")
MUTED = QColor("#5A6470")
GRID = QColor("#C8CED6")
GRADE_COLOURS = {"A": "#1E7B4A", "B": "#4F8A1F", "C": "#B7791F", "D": "#B03A2E"}


def decimal_text(value, places: int) -> str:
    return "–" if value is None else number(value, places)


class Chart(QWidget):
    """Common parts: a title, padding, and a size that suits a dashboard."""

    def __init__(self, title: str = "", parent=None):
        super().__init__(parent)
        self.title = title
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        self.setMinimumHeight(160)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(460, 260)

    def title_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        return font

    def paint_frame(self, p: QPainter) -> QRectF:
        """White card with the title; returns the area left for the chart."""
        p.setRenderHint(QPainter.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        p.setPen(QPen(GRID))
        p.setBrush(QColor("white"))
        p.drawRoundedRect(rect, 6, 6)
        p.setFont(self.title_font())
        p.setPen(TEXT)
        fm = QFontMetrics(p.font())
        p.drawText(rect.adjusted(10, 6, -10, 0), Qt.AlignLeft | Qt.AlignTop, self.title)
        p.setFont(self.font())
        return rect.adjusted(10, fm.height() + 12, -12, -8)

    def paint_empty(self, p: QPainter, area: QRectF, text: str) -> None:
        p.setPen(MUTED)
        p.drawText(area, Qt.AlignCenter | Qt.TextWordWrap, text)


class NrrChart(Chart):
    """Horizontal bars: the NRR of each unsur on the 1..4 scale over the A/B/C/D bands; the weakest in red."""

    def __init__(self, parent=None):
        super().__init__(_("NRR per unsur"), parent)
        self.rows: list[tuple[str, Decimal | None, bool]] = []  # (label, NRR, weak)
        self.setMinimumHeight(300)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(560, 340)

    def set_data(self, rows: Sequence[tuple[str, Decimal | None, bool]]) -> None:
        self.rows = list(rows)
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        area = self.paint_frame(p)
        if not self.rows or all(v is None for _l, v, _w in self.rows):
            self.paint_empty(p, area, _("No answers yet."))
            return
        fm = QFontMetrics(p.font())
        label_w = min(max(fm.horizontalAdvance(label) for label, _v, _w in self.rows) + 14, area.width() * 0.45)
        value_w = fm.horizontalAdvance("0,0000") + 8
        axis_h = fm.height() + 4
        plot = QRectF(area.left() + label_w, area.top(), area.width() - label_w - value_w, area.height() - axis_h)
        low, high = Decimal(1), Decimal(4)

        def x_of(v) -> float:
            return plot.left() + float((Decimal(v) - low) / (high - low)) * plot.width()

        for lo, hi, grade, colour in NRR_BANDS:
            band = QRectF(x_of(lo), plot.top(), x_of(hi) - x_of(lo), plot.height())
            p.fillRect(band, QColor(colour))
            p.setPen(QColor(GRADE_COLOURS[grade]))
            p.drawText(band.adjusted(0, 0, 0, 0), Qt.AlignHCenter | Qt.AlignTop, grade)
        p.setPen(QPen(GRID, 1, Qt.DashLine))
        for lo, _hi, _g, _c in NRR_BANDS[:-1]:
            p.drawLine(QPointF(x_of(lo), plot.top()), QPointF(x_of(lo), plot.bottom()))
        p.setPen(MUTED)
        for tick in (1, 2, 3, 4):
            x = x_of(tick)
            p.drawText(QRectF(x - 20, plot.bottom() + 2, 40, axis_h), Qt.AlignHCenter | Qt.AlignTop, str(tick))
        top_pad = fm.height()  # the band letters
        row_h = (plot.height() - top_pad) / len(self.rows)
        for i, (label, value, weak) in enumerate(self.rows):
            y = plot.top() + top_pad + i * row_h
            p.setPen(WEAK if weak else TEXT)
            elided = fm.elidedText(label, Qt.ElideRight, int(label_w - 8))
            p.drawText(QRectF(area.left(), y, label_w - 8, row_h), Qt.AlignRight | Qt.AlignVCenter, elided)
            if value is None:
                continue
            bar = QRectF(plot.left(), y + row_h * 0.18, x_of(value) - plot.left(), row_h * 0.64)
            p.fillRect(bar, WEAK if weak else BAR)
            p.setPen(WEAK if weak else TEXT)
            p.drawText(QRectF(bar.right() + 4, y, value_w + 40, row_h), Qt.AlignLeft | Qt.AlignVCenter,
                       decimal_text(value, 4))


class TrendChart(Chart):
    """The IKM of each period (in period order) as a line over the grade bands, with each value written."""

    def __init__(self, parent=None):
        super().__init__(_("IKM across periods"), parent)
        self.points: list[tuple[str, Decimal | None, str]] = []  # (period, IKM, mutu)

    def set_data(self, points: Sequence[tuple[str, Decimal | None, str]]) -> None:
        self.points = list(points)
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        area = self.paint_frame(p)
        known = [(n, v, m) for n, v, m in self.points if v is not None]
        if not known:
            self.paint_empty(p, area, _("No period has a result yet."))
            return
        fm = QFontMetrics(p.font())
        axis_w = fm.horizontalAdvance("100") + 8
        axis_h = fm.height() * 2 + 4
        plot = QRectF(area.left() + axis_w, area.top() + fm.height(), area.width() - axis_w,
                      area.height() - axis_h - fm.height())
        low = min(Decimal(50), min(v for _n, v, _m in known) - 5)
        low = max(Decimal(25), (low // 5) * 5)
        high = Decimal(100)

        def y_of(v) -> float:
            return plot.bottom() - float((Decimal(v) - low) / (high - low)) * plot.height()

        for lo, hi, grade, colour in IKM_BANDS:
            lo, hi = max(lo, low), min(hi, high)
            if hi <= lo:
                continue
            band = QRectF(plot.left(), y_of(hi), plot.width(), y_of(lo) - y_of(hi))
            p.fillRect(band, QColor(colour))
            p.setPen(QColor(GRADE_COLOURS[grade]))
            p.drawText(band.adjusted(0, 0, -4, 0), Qt.AlignRight | Qt.AlignVCenter, grade)
        p.setPen(MUTED)
        for tick in range(int(low), 101, 10 if high - low > 40 else 5):
            y = y_of(tick)
            p.drawText(QRectF(area.left(), y - fm.height() / 2, axis_w - 4, fm.height()),
                       Qt.AlignRight | Qt.AlignVCenter, str(tick))
        n = len(self.points)
        step = plot.width() / n
        path = QPainterPath()
        started = False
        dots = []
        for i, (name, value, mutu) in enumerate(self.points):
            x = plot.left() + step * (i + 0.5)
            p.setPen(TEXT)
            label = fm.elidedText(name, Qt.ElideRight, int(step - 4))
            p.drawText(QRectF(x - step / 2, plot.bottom() + 2, step, fm.height() * 2), Qt.AlignHCenter | Qt.AlignTop,
                       label)
            if value is None:
                continue
            point = QPointF(x, y_of(value))
            if started:
                path.lineTo(point)
            else:
                path.moveTo(point)
                started = True
            dots.append((point, value, mutu))
        p.setPen(QPen(BAR, 2.5))
        p.setBrush(Qt.NoBrush)
        p.drawPath(path)
        bold = QFont(self.font())
        bold.setBold(True)
        p.setFont(bold)
        for point, value, mutu in dots:
            p.setPen(QPen(QColor("white"), 2))
            p.setBrush(QColor(GRADE_COLOURS.get(mutu, "#2E6DA4")))
            p.drawEllipse(point, 5.5, 5.5)
            p.setPen(TEXT)
            p.drawText(QRectF(point.x() - 60, point.y() - fm.height() - 8, 120, fm.height()),
                       Qt.AlignHCenter | Qt.AlignBottom, f"{number(value, 2)} ({mutu})")


class CountChart(Chart):
    """Horizontal bars of counts (respondents by one profile field), each with its number and share."""

    def __init__(self, title: str, parent=None):
        super().__init__(title, parent)
        self.rows: list[tuple[str, int]] = []

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(300, 60 + 26 * max(3, len(self.rows)))

    def set_data(self, rows: Sequence[tuple[str, int]]) -> None:
        self.rows = list(rows)
        self.setMinimumHeight(60 + 22 * max(2, len(self.rows)))
        self.updateGeometry()
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        area = self.paint_frame(p)
        total = sum(c for _l, c in self.rows)
        if not total:
            self.paint_empty(p, area, _("No respondents yet."))
            return
        fm = QFontMetrics(p.font())
        label_w = min(max(fm.horizontalAdvance(label) for label, _c in self.rows) + 14, area.width() * 0.45)
        value_w = fm.horizontalAdvance("9.999 (100%)") + 8
        plot_w = max(10.0, area.width() - label_w - value_w)
        most = max(c for _l, c in self.rows) or 1
        row_h = min(26.0, area.height() / len(self.rows))
        for i, (label, count) in enumerate(self.rows):
            y = area.top() + i * row_h
            p.setPen(TEXT)
            p.drawText(QRectF(area.left(), y, label_w - 8, row_h), Qt.AlignRight | Qt.AlignVCenter,
                       fm.elidedText(label, Qt.ElideRight, int(label_w - 8)))
            width = plot_w * count / most
            p.fillRect(QRectF(area.left() + label_w, y + row_h * 0.2, width, row_h * 0.6), BAR)
            share = number(Decimal(count * 100) / Decimal(total), 0)
            p.drawText(QRectF(area.left() + label_w + width + 4, y, value_w, row_h), Qt.AlignLeft | Qt.AlignVCenter,
                       f"{number(count)} ({share}%)")
