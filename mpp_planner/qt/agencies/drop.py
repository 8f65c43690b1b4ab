"""Drag an agency from the register onto a counter on the plan.

The register's rows carry the MIME type :data:`AGENCY_MIME` (the agency id as text). Two event
filters do the rest without the plan editor knowing about agencies:

- :class:`AgencyDropFilter`, installed on the plan view's viewport, accepts the drag only over a
  counter (an item with ``kind == "counter"`` and an ``object_id``), outlines that counter while
  hovering, and calls back with (agency id, counter id) on drop;
- :class:`SpringLoadedTabs`, installed on the main window's tab bar, switches to the tab under
  the cursor while an agency is dragged over it (the register and the plan are different tabs).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsView, QTabBar, QTabWidget

AGENCY_MIME = "application/x-mpp-agency-id"


def agency_id_from(mime) -> int | None:
    if mime is None or not mime.hasFormat(AGENCY_MIME):
        return None
    try:
        return int(bytes(mime.data(AGENCY_MIME)).decode("ascii").split(",")[0])
    except (ValueError, UnicodeDecodeError):
        return None


def counter_at(view: QGraphicsView, pos) -> tuple[int, object] | None:
    """(counter id, item) of the topmost counter under a viewport position, or None."""
    scene = view.scene()
    if scene is None:
        return None
    point = view.mapToScene(pos.toPoint() if isinstance(pos, QPointF) else pos)
    for item in scene.items(point):
        while item is not None:
            if getattr(item, "kind", None) == "counter" and getattr(item, "object_id", None) is not None:
                return item.object_id, item
            item = item.parentItem()
    return None


def _event_pos(event):
    return event.position() if hasattr(event, "position") else event.pos()


class AgencyDropFilter(QObject):
    """Accepts agency drops on counters of a plan view."""

    def __init__(self, view: QGraphicsView, on_drop: Callable[[int, int], None], parent=None):
        super().__init__(parent)
        self.view = view
        self.on_drop = on_drop
        self._outline: QGraphicsRectItem | None = None
        self._hover: int | None = None
        view.setAcceptDrops(True)
        view.viewport().setAcceptDrops(True)
        view.viewport().installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind not in (QEvent.DragEnter, QEvent.DragMove, QEvent.DragLeave, QEvent.Drop):
            return False
        if kind == QEvent.DragLeave:
            self._clear()
            return False
        agency_id = agency_id_from(event.mimeData())
        if agency_id is None:
            return False  # not ours: the plan editor may handle other drags
        if kind == QEvent.DragEnter:
            event.setDropAction(Qt.CopyAction)
            event.accept()
            return True
        hit = counter_at(self.view, _event_pos(event))
        if kind == QEvent.DragMove:
            if hit is None:
                self._clear()
                event.ignore()
            else:
                self._show(hit[1])
                event.setDropAction(Qt.CopyAction)
                event.accept()
            return True
        # drop
        self._clear()
        if hit is None:
            event.ignore()
            return True
        event.setDropAction(Qt.CopyAction)
        event.accept()
        self.on_drop(agency_id, hit[0])
        return True

    def _show(self, item) -> None:
        if self._hover == item.object_id and self._outline is not None and self._outline.scene() is not None:
            return
        self._clear()
        scene = item.scene()
        outline = QGraphicsRectItem(item.sceneBoundingRect().adjusted(-150, -150, 150, 150))
        pen = QPen(Qt.darkGreen, 0)
        pen.setCosmetic(True)
        pen.setWidth(3)
        pen.setStyle(Qt.DashLine)
        outline.setPen(pen)
        outline.setZValue(10_000)
        outline.setAcceptedMouseButtons(Qt.NoButton)
        scene.addItem(outline)
        self._outline, self._hover = outline, item.object_id

    def _clear(self) -> None:
        outline, self._outline, self._hover = self._outline, None, None
        if outline is not None:
            try:
                if outline.scene() is not None:
                    outline.scene().removeItem(outline)
            except RuntimeError:  # the scene was cleared and the item deleted with it
                pass

    def detach(self) -> None:
        self._clear()
        try:
            self.view.viewport().removeEventFilter(self)
        except RuntimeError:
            pass


class SpringLoadedTabs(QObject):
    """While an agency is dragged over a tab of ``tabs``, that tab opens."""

    def __init__(self, tabs: QTabWidget, parent=None):
        super().__init__(parent)
        self.tabs = tabs
        self.bar: QTabBar = tabs.tabBar()
        self.bar.setAcceptDrops(True)
        self.bar.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() in (QEvent.DragEnter, QEvent.DragMove) and agency_id_from(event.mimeData()) is not None:
            index = self.bar.tabAt(_event_pos(event).toPoint())
            if index >= 0 and index != self.tabs.currentIndex():
                self.tabs.setCurrentIndex(index)
            event.accept()  # keep receiving moves; a drop here does nothing
            return True
        if event.type() == QEvent.Drop and agency_id_from(event.mimeData()) is not None:
            event.ignore()
            return True
        return False

    def detach(self) -> None:
        try:
            self.bar.removeEventFilter(self)
        except RuntimeError:
            pass
