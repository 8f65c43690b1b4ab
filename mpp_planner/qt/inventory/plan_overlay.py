"""Findings drawn over a floor plan: rooms with findings outlined in red / orange / amber by their
most severe finding, counters without an agency outlined too, each with the messages as tooltip; a
distance finding (a room too far from its target room) also draws its route, dashed in its severity's
colour, with its length in metres half-way along it (``qt.plan.routes_overlay.route_items``).

The overlay adds its own graphics items to a given scene (any QGraphicsScene in plan
millimetres) and removes them again; it knows nothing of the plan editor's items. Outlines
come from the model, passed in by the caller.
"""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem

from mpp_planner.model import geometry
from mpp_planner.qt.plan.routes_overlay import length_text, route_items

SEVERITY_COLOURS = {"high": "#C0392B", "medium": "#E67E22", "low": "#D4AC0D"}
SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}
ROOM_Z = 5  # above room fills (0), under furniture (10) and counters (20)
COUNTER_Z = 25
ROUTE_Z = 42  # above counters, and above the walking distances (40) when both are shown
TAG = "findings-overlay"  # the items' data(0): the plan scene keeps them when it reloads


def _alive(item) -> bool:
    try:
        from shiboken6 import isValid

        return isValid(item)
    except ImportError:  # pragma: no cover - shiboken ships with PySide6
        return True


class FindingsOverlay:
    """The highlight of one floor's findings on one scene."""

    def __init__(self, scene, floor_id: int):
        self.scene = scene
        self.floor_id = floor_id
        self.items: list[QGraphicsItem] = []

    def show(self, findings, outlines: dict[int, list], counters: dict[int, tuple] | None = None) -> int:
        """Outline the rooms (room id -> outline) and counters (id -> (x, y, w, d, rot)) of the
        findings on this floor; returns how many shapes were added."""
        self.clear()
        counters = counters or {}
        by_room: dict[int, list] = defaultdict(list)
        by_counter: dict[int, list] = defaultdict(list)
        for f in findings:
            if f.floor_id != self.floor_id:
                continue
            if f.room_id is not None and f.room_id in outlines:
                by_room[f.room_id].append(f)
            for cid in f.counter_ids:
                if cid in counters:
                    by_counter[cid].append(f)
        for room_id, group in by_room.items():
            path = QPainterPath()
            path.addPolygon(QPolygonF([QPointF(x, y) for x, y in outlines[room_id]]))
            path.closeSubpath()
            self._add(path, group, ROOM_Z, fill_alpha=46, width=5, ref=("room", room_id))
        for cid, group in by_counter.items():
            x, y, w, d, rot = counters[cid]
            corners = geometry.box_corners(x, y, w + 300, d + 300, rot)
            path = QPainterPath()
            path.addPolygon(QPolygonF([QPointF(px, py) for px, py in corners]))
            path.closeSubpath()
            self._add(path, group, COUNTER_Z, fill_alpha=0, width=4, dashed=True, ref=("counter", cid))
        for f in findings:
            if f.floor_id == self.floor_id and len(f.route) >= 2 and f.route_length_mm is not None:
                colour = SEVERITY_COLOURS.get(f.severity.value, "#C0392B")
                self.items += route_items(self.scene, f.route, colour, length_text(f.route_length_mm),
                                          tooltip=f"• {f.message}", tag=TAG, z=ROUTE_Z, ref=("route", f.room_id))
        return len(self.items)

    def _add(self, path: QPainterPath, group, z: float, *, fill_alpha: int, width: int, dashed: bool = False,
             ref: tuple[str, int] | None = None) -> None:
        worst = min(group, key=lambda f: SEVERITY_RANK.get(f.severity.value, 9))
        colour = QColor(SEVERITY_COLOURS.get(worst.severity.value, "#C0392B"))
        item = QGraphicsPathItem(path)
        pen = QPen(colour, width)
        pen.setCosmetic(True)  # the same width at every zoom
        pen.setJoinStyle(Qt.RoundJoin)
        if dashed:
            pen.setStyle(Qt.DashLine)
        item.setPen(pen)
        fill = QColor(colour)
        fill.setAlpha(fill_alpha)
        item.setBrush(QBrush(fill) if fill_alpha else Qt.NoBrush)
        item.setZValue(z)
        item.setAcceptedMouseButtons(Qt.NoButton)  # clicks go to the plan items underneath
        item.setToolTip("\n".join(f"• {f.message}" for f in sorted(group, key=lambda f: f.sort_key())))
        item.setData(0, TAG)
        item.setData(1, ref)  # the room or counter outlined
        item.severity = worst.severity.value
        self.scene.addItem(item)
        self.items.append(item)

    def clear(self) -> None:
        """Remove what this overlay added (items the scene already dropped are skipped)."""
        for item in self.items:
            if _alive(item) and item.scene() is self.scene:
                self.scene.removeItem(item)
        self.items.clear()
