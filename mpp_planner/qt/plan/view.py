"""The plan view: rulers in metres, zoom at the cursor with Ctrl+wheel, fit to view, pan with
the middle button or Space-drag, and the active tool, which gets the mouse and keys. Tab and
Shift+Tab walk the selection through the floor's objects (the focus stays on the plan while it
has any), scrolling each into view."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QPainter, QPen, QRegion
from PySide6.QtWidgets import QFrame, QGraphicsView, QLabel, QWidget

from mpp_planner.formats import number
from mpp_planner.i18n import N_, _
from mpp_planner.interaction import SelectTool
from mpp_planner.qt.a11y import draw_focus_ring, focus_colour
from mpp_planner.qt.plan import style
from mpp_planner.qt.plan.tools import snapshot

RULER = 22  # px
SHOW_MARGIN_PX = 40  # an object picked with Tab is scrolled this far inside the view's edge
ITEM_TYPE_MIME = "application/x-mpp-item-type"
FOCUS_RING_PX = 3
#: what a screen reader says of the plan besides its name
KEYS_HELP = N_("Tab and Shift+Tab pick the next or previous object; arrow keys move it (with Shift ten steps); Enter "
               "edits it; Delete removes it; Escape cancels; Ctrl+plus and Ctrl+minus zoom, Ctrl+0 fits the plan; "
               "V, H, R, W, D, C, M and T choose a tool.")


@dataclass
class ToolEvent:
    """A mouse event as the tools see it: where on the plan (mm), where on screen, which keys."""

    pos: QPointF
    view_pos: QPoint
    button: Qt.MouseButton
    buttons: Qt.MouseButtons
    modifiers: Qt.KeyboardModifiers


class Ruler(QWidget):
    """A ruler along the top or the left of the view, in metres, following scroll and zoom."""

    def __init__(self, view: "PlanView", horizontal: bool):
        super().__init__(view)
        self.view = view
        self.horizontal = horizontal
        self.cursor_pos: float | None = None
        self.setAttribute(Qt.WA_OpaquePaintEvent)

    @staticmethod
    def step_for(px_per_mm: float, min_px: float = 70) -> float:
        """A round step in mm (0.1, 0.2, 0.5, 1, 2, 5... m) at least ``min_px`` apart."""
        for metres in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000):
            if metres * 1000 * px_per_mm >= min_px:
                return metres * 1000
        return 1_000_000

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.fillRect(self.rect(), style.RULER_BG)
        p.setPen(style.RULER_LINE)
        if self.horizontal:
            p.drawLine(0, self.height() - 1, self.width(), self.height() - 1)
        else:
            p.drawLine(self.width() - 1, 0, self.width() - 1, self.height())
        view = self.view
        scale = view.current_scale()
        if scale <= 0:
            return
        vp = view.viewport()
        a = view.mapToScene(QPoint(0, 0))
        b = view.mapToScene(QPoint(vp.width(), vp.height()))
        lo, hi = (a.x(), b.x()) if self.horizontal else (a.y(), b.y())
        step = self.step_for(scale)
        minor = step / 5
        font = QFont(self.font())
        font.setPixelSize(10)
        p.setFont(font)
        start = math.floor(lo / minor) * minor
        v = start
        decimals = 0 if step >= 1000 else 1
        while v <= hi:
            px = (v - lo) * scale
            major = abs(v / step - round(v / step)) < 1e-6
            length = 9 if major else 4
            p.setPen(style.RULER_LINE)
            if self.horizontal:
                p.drawLine(QPointF(px, RULER - 1 - length), QPointF(px, RULER - 1))
            else:
                p.drawLine(QPointF(RULER - 1 - length, px), QPointF(RULER - 1, px))
            if major:
                p.setPen(style.RULER_TEXT)
                text = number(v / 1000.0, decimals)
                if self.horizontal:
                    p.drawText(QPointF(px + 3, 11), text)
                else:
                    p.save()
                    p.translate(11, px - 3)
                    p.rotate(-90)
                    p.drawText(QPointF(0, 0), text)
                    p.restore()
            v += minor
        if self.cursor_pos is not None:
            px = (self.cursor_pos - lo) * scale
            p.setPen(QPen(style.GUIDE, 1))
            if self.horizontal:
                p.drawLine(QPointF(px, 0), QPointF(px, RULER))
            else:
                p.drawLine(QPointF(0, px), QPointF(RULER, px))
        p.end()


class Banner(QLabel):
    """A message over the top of the plan that fades out by itself (errors stay longer)."""

    def __init__(self, parent):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignCenter)
        self.setMargin(8)
        self.hide()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.hide)

    def show_message(self, text: str, error: bool = True) -> None:
        colours = ("#FDEDEC", "#C0392B", "#922B21") if error else ("#EAF2F8", "#2E86C1", "#1B4F72")
        self.setStyleSheet(f"QLabel {{ background: {colours[0]}; border: 1px solid {colours[1]};"
                           f" color: {colours[2]}; border-radius: 4px; font-weight: bold; }}")
        self.setText(text)
        area = self.parentWidget().viewport().geometry()  # over the plan, not a child of it (it scrolls)
        width = min(area.width() - 40, 640)
        self.setFixedWidth(max(200, width))
        self.adjustSize()
        self.move(area.left() + (area.width() - self.width()) // 2, area.top() + 12)
        self.show()
        self.raise_()
        self.timer.start(8000 if error else 4000)


class PlanView(QGraphicsView):
    MIN_SCALE = 0.002  # px per mm
    MAX_SCALE = 2.0

    zoomed = Signal()
    cursor_moved = Signal(QPointF)
    context_menu = Signal(QPoint, QPointF)  # global position, plan position
    item_type_dropped = Signal(int, QPointF)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.SmartViewportUpdate)
        self.setOptimizationFlags(QGraphicsView.DontSavePainterState)
        self.setCacheMode(QGraphicsView.CacheBackground)  # the grid is drawn once per zoom/scroll
        self.setDragMode(QGraphicsView.NoDrag)
        self.setMouseTracking(True)
        self.setFrameShape(QFrame.NoFrame)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.StrongFocus)
        self.update_name()
        self.setViewportMargins(RULER, RULER, 0, 0)
        self.h_ruler = Ruler(self, True)
        self.v_ruler = Ruler(self, False)
        self.corner = QWidget(self)
        self.corner.setAutoFillBackground(True)
        pal = self.corner.palette()
        pal.setColor(self.corner.backgroundRole(), style.RULER_BG)
        self.corner.setPalette(pal)
        self.banner = Banner(self)
        self.tool = None
        self._fitted = False
        self._panning: QPoint | None = None
        self._space = False
        self.horizontalScrollBar().valueChanged.connect(self._rulers_changed)
        self.verticalScrollBar().valueChanged.connect(self._rulers_changed)

    # --- tools ------------------------------------------------------------------------
    def set_tool(self, tool) -> None:
        if self.tool is not None:
            self.tool.deactivate()
        self.tool = tool
        if tool is not None:
            tool.activate()
            self.viewport().setCursor(tool.cursor)

    def _event(self, event) -> ToolEvent:
        pos = event.position().toPoint()
        return ToolEvent(self.mapToScene(pos), pos, event.button(), event.buttons(), event.modifiers())

    def mousePressEvent(self, event) -> None:  # noqa: N802
        self.setFocus(Qt.MouseFocusReason)
        if event.button() == Qt.MiddleButton or (event.button() == Qt.LeftButton and (
                self._space or getattr(self.tool, "pans", False))):
            self._panning = event.position().toPoint()
            self.viewport().setCursor(Qt.ClosedHandCursor)
            event.accept()
            return
        if event.button() == Qt.LeftButton and self.tool is not None:
            self.tool.press(self._event(event))
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        if self._panning is not None:
            pos = event.position().toPoint()
            delta = pos - self._panning
            self._panning = pos
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())
            event.accept()
            return
        ev = self._event(event)
        self.h_ruler.cursor_pos, self.v_ruler.cursor_pos = ev.pos.x(), ev.pos.y()
        self.h_ruler.update()
        self.v_ruler.update()
        self.cursor_moved.emit(ev.pos)
        if self.tool is not None:
            self.tool.move(ev)
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        if self._panning is not None and event.button() in (Qt.MiddleButton, Qt.LeftButton):
            self._panning = None
            cursor = Qt.OpenHandCursor if self._space else (self.tool.cursor if self.tool else Qt.ArrowCursor)
            self.viewport().setCursor(cursor)
            event.accept()
            return
        if event.button() == Qt.LeftButton and self.tool is not None:
            self.tool.release(self._event(event))
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.LeftButton and self.tool is not None:
            self.tool.double_click(self._event(event))
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def contextMenuEvent(self, event) -> None:  # noqa: N802
        if self.tool is not None and self.tool.cancel():
            event.accept()
            return
        self.context_menu.emit(event.globalPos(), self.mapToScene(event.pos()))
        event.accept()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        key = event.key()
        if key == Qt.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.viewport().setCursor(Qt.OpenHandCursor)
            event.accept()
            return
        if self.tool is not None and self.tool.key_press(event):
            event.accept()
            return
        super().keyPressEvent(event)

    def event(self, event) -> bool:
        """Tab and Shift+Tab (not with Ctrl or Alt) pick the next object while the floor has any,
        before the scene or the focus chain see them."""
        if (event.type() == QEvent.KeyPress and event.key() in (Qt.Key_Tab, Qt.Key_Backtab)
                and not event.modifiers() & (Qt.ControlModifier | Qt.AltModifier)):
            backwards = event.key() == Qt.Key_Backtab or bool(event.modifiers() & Qt.ShiftModifier)
            if self.cycle_selection(backwards):
                event.accept()
                return True
        return super().event(event)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 - Qt's names
        """The focus stays on the plan while it has objects to pick: Tab picks the next one."""
        if self.cycle_selection(backwards=not next):
            return True
        return super().focusNextPrevChild(next)

    def cycle_selection(self, backwards: bool = False) -> bool:
        """Select the floor's next object in Tab order (``backwards``: the one before) with the
        select tool, and scroll it into view. False when the floor has no object to pick: Tab then
        moves the focus on as anywhere else. (Another tool keeps the key and picks nothing.)"""
        scene = self.scene()
        if scene is None or not hasattr(scene, "plan_items"):
            return False
        pickable = [item for item in scene.plan_items() if scene.pickable(item)]
        if not pickable:
            return False
        rules = getattr(self.tool, "rules", None)
        if isinstance(rules, SelectTool):
            ref = rules.cycle([snapshot(item) for item in pickable], backwards)
            if ref is not None:
                self.show_object(scene.item_for(ref))
        return True

    def show_object(self, item) -> None:
        """Scroll so that ``item`` is in view (centred when larger than the view)."""
        if item is None:
            return
        rect = item.sceneBoundingRect()
        shown = self.mapToScene(self.viewport().rect()).boundingRect()
        if shown.contains(rect):
            return
        scale = max(self.current_scale(), 1e-9)
        room = 2 * SHOW_MARGIN_PX / scale
        if rect.width() + room <= shown.width() and rect.height() + room <= shown.height():
            self.ensureVisible(rect, SHOW_MARGIN_PX, SHOW_MARGIN_PX)
        else:
            self.centerOn(rect.center())

    def keyReleaseEvent(self, event) -> None:  # noqa: N802
        if event.key() == Qt.Key_Space and not event.isAutoRepeat():
            self._space = False
            self._panning = None
            self.viewport().setCursor(self.tool.cursor if self.tool else Qt.ArrowCursor)
            event.accept()
            return
        super().keyReleaseEvent(event)

    # --- drops from the catalog -------------------------------------------------------
    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasFormat(ITEM_TYPE_MIME):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasFormat(ITEM_TYPE_MIME):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802
        data = event.mimeData()
        if data.hasFormat(ITEM_TYPE_MIME):
            try:
                type_id = int(bytes(data.data(ITEM_TYPE_MIME)).decode())
            except ValueError:
                return
            self.item_type_dropped.emit(type_id, self.mapToScene(event.position().toPoint()))
            event.acceptProposedAction()
            return
        super().dropEvent(event)

    # --- what a screen reader says, and where the keyboard is ----------------------------
    def setScene(self, scene) -> None:  # noqa: N802 - Qt's name
        super().setScene(scene)
        self.update_name()

    def update_name(self) -> None:
        """Name the plan after the floor shown ("Floor plan of Lantai 1"); the description lists its keys."""
        from mpp_planner.reads.plan import floor_name

        scene = self.scene()
        project, floor_id = getattr(scene, "project", None), getattr(scene, "floor_id", None)
        floor = floor_name(project, floor_id) if project is not None and floor_id is not None else None
        self.setAccessibleName(_("Floor plan of {floor}").format(floor=floor) if floor else _("Floor plan"))
        self.setAccessibleDescription(_(KEYS_HELP))

    def focusInEvent(self, event) -> None:  # noqa: N802
        self.update_name()  # the floor may have been renamed since
        super().focusInEvent(event)
        self.viewport().update()

    def focusOutEvent(self, event) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.viewport().update()

    def paintEvent(self, event) -> None:  # noqa: N802
        """The plan, and a ring round it while it has the keyboard focus."""
        super().paintEvent(event)
        if self.hasFocus():
            painter = QPainter(self.viewport())
            draw_focus_ring(painter, self.viewport().rect(), focus_colour(self), FOCUS_RING_PX)
            painter.end()

    # --- zoom -------------------------------------------------------------------------
    def current_scale(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float, anchor: QPoint | None = None) -> None:
        """Zoom keeping the plan point under ``anchor`` (a viewport position; default the
        centre) where it is."""
        new = self.current_scale() * factor
        if not self.MIN_SCALE <= new <= self.MAX_SCALE:
            return
        if anchor is None:
            anchor = self.viewport().rect().center()
        fixed = self.mapToScene(anchor)
        self.setTransformationAnchor(QGraphicsView.NoAnchor)
        self.scale(factor, factor)
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        moved = self.mapFromScene(fixed) - anchor
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + moved.x())
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + moved.y())
        self._fitted = False
        self._rulers_changed()
        self.zoomed.emit()

    def wheelEvent(self, event) -> None:  # noqa: N802
        """Ctrl+wheel zooms at the cursor; the plain wheel scrolls, or zooms when the user chose so in
        Preferences (Sweet Home 3D's way; Shift+wheel and sideways scrolling still scroll)."""
        from mpp_planner import settings

        delta = event.angleDelta().y()
        mods = event.modifiers()
        zooms = bool(mods & Qt.ControlModifier) or (
            settings.wheel_mode() == settings.WHEEL_ZOOMS and not mods & (Qt.ShiftModifier | Qt.AltModifier))
        if zooms and delta:
            self.zoom_by(1.15 if delta > 0 else 1 / 1.15, event.position().toPoint())
            event.accept()
        elif zooms and mods & Qt.ControlModifier:
            event.accept()  # a sideways Ctrl+wheel: nothing
        else:
            super().wheelEvent(event)

    def zoom_to(self, rect: QRectF, margin: float = 0.06, min_size: float = 0.0) -> None:
        """Show ``rect`` (plan mm) with a margin around it, at least ``min_size`` mm across both ways
        (one small object does not fill the view)."""
        if rect.width() < 0 or rect.height() < 0 or (rect.isNull() and min_size <= 0):
            return  # nothing to show (a flat rectangle, e.g. one level dimension line, is something)
        m = max(rect.width(), rect.height()) * margin + 300
        rect = rect.adjusted(-m, -m, m, m)
        grow_w, grow_h = max(0.0, min_size - rect.width()) / 2, max(0.0, min_size - rect.height()) / 2
        self.fitInView(rect.adjusted(-grow_w, -grow_h, grow_w, grow_h), Qt.KeepAspectRatio)
        scale = self.current_scale()
        if scale > self.MAX_SCALE:
            self.scale(self.MAX_SCALE / scale, self.MAX_SCALE / scale)
        self._rulers_changed()
        self.zoomed.emit()

    def fit(self) -> None:
        scene = self.scene()
        if scene is not None:
            rect = scene.content_rect() if hasattr(scene, "content_rect") else scene.sceneRect()
            self.zoom_to(rect, 0.03)
            self._fitted = True

    def show_message(self, text: str, error: bool = True) -> None:
        self.banner.show_message(text, error)

    # --- rulers -----------------------------------------------------------------------
    def _rulers_changed(self, *_args) -> None:
        self.h_ruler.update()
        self.v_ruler.update()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        vp = self.viewport().geometry()
        self.h_ruler.setGeometry(vp.left(), vp.top() - RULER, vp.width(), RULER)
        self.v_ruler.setGeometry(vp.left() - RULER, vp.top(), RULER, vp.height())
        self.corner.setGeometry(vp.left() - RULER, vp.top() - RULER, RULER, RULER)
        if self._fitted:
            self.fit()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._fitted and self.current_scale() == 1.0:
            self.fit()

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802
        super().scrollContentsBy(dx, dy)
        self._rulers_changed()
        if self.hasFocus():  # the scrolled pixels took the focus ring along: paint it again where it was and is
            rect = self.viewport().rect()
            ring = QRegion(rect).subtracted(QRegion(rect.adjusted(FOCUS_RING_PX, FOCUS_RING_PX, -FOCUS_RING_PX,
                                                                  -FOCUS_RING_PX)))
            self.viewport().update(ring.united(ring.translated(dx, dy)))


__all__ = ["PlanView", "ToolEvent", "Ruler", "Banner", "ITEM_TYPE_MIME", "RULER"]
