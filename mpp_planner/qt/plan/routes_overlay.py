"""Walking distances on the plan: each distance rule's route drawn dashed, with its length at its midpoint.

:class:`RoutesOverlay` follows the plan view's floor. While on (the plan tab's "Walking distances" toggle) it
draws the routes ``standards.walking_routes.distance_routes`` measures there: green-grey within the rule's
limit, red over it, each labelled "12.3 m / max 10 m"; a moment after the last of a run of edits to rooms,
walls, doors or floors it measures them again. Measuring runs on the GUI thread: once the edits pause it takes
~40-80 ms on a floor of 50 rooms with 65 walls and 50 doors (measured; the first also imports shapely), less
than a job's progress dialog would cost.

:func:`route_items` draws one route (the findings overlay uses it for a distance finding). The lines use a
cosmetic pen and the labels ignore the view's zoom, so both read the same at every zoom. The items are tagged
``TAG`` in their ``data(0)``: the plan scene keeps them when it reloads.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QFont, QFontMetricsF, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QGraphicsRectItem

from mpp_planner import settings
from mpp_planner.formats import number
from mpp_planner.i18n import _
from mpp_planner.project import Changes, Topic

log = logging.getLogger(__name__)

TAG = "routes-overlay"  # the items' data(0)
SETTING = "plan_walking_routes"  # the toggle, remembered
WITHIN_COLOUR = "#6F8F78"  # green-grey: within the rule's limit
OVER_COLOUR = "#C0392B"  # red: over it
ROUTE_Z = 40  # above counters (20), furniture (10) and the overlap outlines (30)
LINE_PX = 2.5
LABEL_PX = 11  # the label's text height on screen, at every zoom
REDRAW_MS = 250  # the routes are measured again this long after the last edit of a run
#: edits that can change a route or its rule's rooms (a room's kind, name or outline; a wall or a door)
TOPICS = (Topic.ROOMS, Topic.WALLS, Topic.FLOORS)

Point = tuple[float, float]


def metres(length_mm: float, decimals: int = 1) -> str:
    """A length in metres the way the UI language writes it: "42.0" (en), "42,0" (id)."""
    return number(length_mm / 1000, decimals)


def length_text(length_mm: float, limit_mm: float | None = None) -> str:
    """ "12.3 m", or with the rule's limit "12.3 m / max 10 m"."""
    if limit_mm is None:
        return _("{length} m").format(length=metres(length_mm))
    return _("{length} m / max {limit} m").format(length=metres(length_mm), limit=limit_metres(limit_mm))


def limit_metres(limit_mm: float) -> str:
    """A rule's limit in metres: "10", "7.5"."""
    return metres(limit_mm, 0 if float(limit_mm / 1000).is_integer() else 1)


class RouteLabel(QGraphicsRectItem):
    """A route's length in a small white box (pen: the route's colour) centred on its midpoint, the same size at
    every zoom."""

    def __init__(self, text: str, colour: QColor, parent=None):
        super().__init__(parent)
        self.text = text
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self._font = QFont("DejaVu Sans")
        self._font.setPixelSize(LABEL_PX)
        self._font.setBold(True)
        metrics = QFontMetricsF(self._font)
        w, h = metrics.horizontalAdvance(text) + 8, metrics.height() + 4
        self.setRect(QRectF(-w / 2, -h / 2, w, h))
        self.setPen(QPen(QColor(colour), 1))
        back = QColor("#FFFFFF")
        back.setAlpha(230)
        self.setBrush(back)

    def paint(self, painter, option, widget=None) -> None:
        painter.setPen(self.pen())
        painter.setBrush(self.brush())
        painter.drawRoundedRect(self.rect(), 3, 3)
        painter.setFont(self._font)
        painter.setPen(self.pen().color().darker(130))
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.text)


def route_path(points: Sequence[Point]) -> QPainterPath:
    path = QPainterPath()
    if points:
        path.moveTo(QPointF(*points[0]))
        for p in points[1:]:
            path.lineTo(QPointF(*p))
    return path


def route_items(scene, points: Sequence[Point], colour: str, text: str, *, tooltip: str = "", tag: str = TAG,
                z: float = ROUTE_Z, ref=None) -> list[QGraphicsItem]:
    """Draw a route on ``scene`` (plan mm): a dashed line and its label half-way along it. Returns the two
    items, added to the scene; they take no clicks (those go to the plan underneath)."""
    if len(points) < 2:
        return []
    path = route_path(points)
    line = QGraphicsPathItem(path)
    pen = QPen(QColor(colour), LINE_PX)
    pen.setCosmetic(True)  # the same width at every zoom
    pen.setStyle(Qt.PenStyle.DashLine)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    line.setPen(pen)
    line.setBrush(Qt.BrushStyle.NoBrush)
    line.setZValue(z)
    label = RouteLabel(text, QColor(colour))
    label.setPos(path.pointAtPercent(0.5))  # half-way along (Qt measures the percentage by length)
    label.setZValue(z + 1)
    for item in (line, label):
        item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        item.setToolTip(tooltip)
        item.setData(0, tag)
        item.setData(1, ref)
        scene.addItem(item)
    return [line, label]


def _alive(item) -> bool:
    from shiboken6 import isValid

    return isValid(item)


class RoutesOverlay(QObject):
    """The walking distances of the floor a plan view shows (see the module's docstring), switched by
    ``action`` (checkable; remembered in the settings as ``SETTING``)."""

    def __init__(self, project, view, parent=None, *, report=None, rules=None):
        """``report(text, error=False)``: where "nothing to show here" is told; ``rules``: a rule file or
        RuleSet (default: the shipped standards)."""
        super().__init__(parent)
        self.project, self.view, self.rules, self.report = project, view, rules, report
        self.enabled = False
        self.scene = None  # where the items are
        self.items: list[QGraphicsItem] = []
        self.routes: list = []  # the DistanceRoutes drawn
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(REDRAW_MS)
        self.timer.timeout.connect(self.redraw)
        self.action = QAction(_("Walking distances"), parent)
        self.action.setCheckable(True)
        tip = _("Show each distance rule's route on this floor, dashed, with its length (red: farther than "
                "the rule allows)")
        self.action.setToolTip(tip)
        self.action.setStatusTip(tip)
        if settings.load().get(SETTING):
            self.enabled = True
            self.action.setChecked(True)
            self.timer.start()  # the plan opens first: measured a moment later
        self.action.toggled.connect(self._toggled)

    def set_enabled(self, on: bool) -> list:
        """Switch the routes on (measured now) or off, as the action does; returns those drawn."""
        if self.action.isChecked() != on:
            self.action.setChecked(on)
        elif on:
            self.redraw()
        return self.routes

    def _toggled(self, on: bool) -> None:
        settings.save({SETTING: on})
        self.enabled = on
        if not on:
            self.timer.stop()
            self.clear()
        elif not self.redraw() and self.view.scene() is not None and self.report is not None:
            self.report(_("No walking distance to show on this floor: none of its rooms is in a distance rule "
                          "(or no way leads from them to their target)."), error=False)

    def follow(self) -> None:
        """The view shows another floor: draw its routes there."""
        if self.enabled and self.view.scene() is not self.scene:
            self.redraw()

    def apply_changes(self, changes: Changes) -> None:
        if self.enabled and (changes.reset or changes.about(*TOPICS)):
            self.timer.start()  # (again): measured once the edits pause

    def redraw(self) -> list:
        """Measure the routes of the floor shown and draw them; returns them."""
        from mpp_planner.standards.walking_routes import distance_routes

        self.timer.stop()
        self.clear()
        scene = self.view.scene()
        if not self.enabled or scene is None:
            return []
        try:
            self.routes = distance_routes(self.project, scene.floor_id, self.rules)
        except Exception:  # noqa: BLE001 - a drawing aid: no routes rather than a broken plan
            log.exception("walking distances of floor %s not measured", scene.floor_id)
            self.routes = []
        self.scene = scene
        for r in self.routes:
            how = _("walking") if r.walking else _("straight line")
            tip = _("{rule}: {room} → {target}, {length} m ({method}); at most {limit} m").format(
                rule=r.rule_name, room=r.room_name, target=r.target_name, length=metres(r.length_mm), method=how,
                limit=limit_metres(r.limit_mm))
            self.items += route_items(scene, r.route, WITHIN_COLOUR if r.ok else OVER_COLOUR,
                                      length_text(r.length_mm, r.limit_mm), tooltip=tip,
                                      ref=(r.rule_id, r.room_id, r.target_id))
        return self.routes

    def clear(self) -> None:
        """Remove the routes drawn (items the scene already dropped are skipped)."""
        for item in self.items:
            if _alive(item) and item.scene() is not None:
                item.scene().removeItem(item)
        self.items.clear()
        self.routes = []
        self.scene = None


__all__ = ["RoutesOverlay", "TAG", "length_text", "route_items"]
