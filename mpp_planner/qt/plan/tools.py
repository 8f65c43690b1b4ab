"""Mouse modes of the plan editor, one class per tool: an explicit state machine.

A tool previews on the scene while the mouse moves and pushes ONE command when the gesture
ends (a drag, a resize, a room outline). The scene's items then refresh from the model.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt

from mpp_planner.commands.plan import (AddAnnotation, AddRoom, CalibrateBackground, EditPlan, EditRoomOutline,
                                       MoveObjects, PlaceCounter, PlaceItem, ResizeObject, RotateObject,
                                       SetBackgroundOrigin)
from mpp_planner.commands.snap import ROTATION_STEP, Box, resize_box, rotation_towards
from mpp_planner.formats import area as fmt_area
from mpp_planner.i18n import _
from mpp_planner.model import geometry
from mpp_planner.qt.plan.items import GhostBox, HandleItem, MarkerItem, PreviewPolygon, metres

DRAG_PX = 4  # a press that moves less than this is a click
CLOSE_PX = 9  # clicking this close to the first corner closes a room outline


def outline_ok(points) -> bool:
    """What the model will accept (for the preview colour; the model still decides)."""
    return len(points) >= 3 and geometry.is_simple_polygon(points) and geometry.polygon_area_mm2(points) >= 10_000


class Tool:
    key = ""
    cursor = Qt.ArrowCursor
    pans = False

    def __init__(self, editor):
        self.editor = editor

    @property
    def scene(self):
        return self.editor.scene

    @property
    def view(self):
        return self.editor.view

    def hint(self) -> str:
        return ""

    def activate(self) -> None:
        pass

    def deactivate(self) -> None:
        self.cancel()

    def press(self, ev) -> None:
        pass

    def move(self, ev) -> None:
        pass

    def release(self, ev) -> None:
        pass

    def double_click(self, ev) -> None:
        pass

    def cancel(self) -> bool:
        """Drop a gesture in progress; False when there was none."""
        return False

    def key_press(self, event) -> bool:
        if event.key() == Qt.Key_Escape:
            if not self.cancel():
                self.editor.set_tool("select")
            return True
        return False

    # helpers
    def snapped(self, ev, snapper) -> QPointF:
        snapper.enabled = self.editor.snap_on(ev.modifiers)
        r = snapper.point(ev.pos.x(), ev.pos.y())
        if self.scene is not None:
            self.scene.set_guides(r.guide_x, r.guide_y)
        return QPointF(r.x, r.y)

    def _remove(self, item) -> None:
        if item is not None and item.scene() is not None:
            item.scene().removeItem(item)


class PanTool(Tool):
    key = "pan"
    cursor = Qt.OpenHandCursor
    pans = True

    def hint(self) -> str:
        return _("Drag to move the plan. (Middle button or Space-drag pan with any tool.)")


class SelectTool(Tool):
    """Click, Shift/Ctrl-click and rubber band select; drag moves; handles resize, rotate and
    reshape; arrow keys nudge."""

    key = "select"

    def __init__(self, editor):
        super().__init__(editor)
        self.state = "idle"
        self.band: PreviewPolygon | None = None

    def hint(self) -> str:
        return _("Click to select, Shift/Ctrl-click to add, drag a box around objects; drag the selection to "
                 "move it (a room once selected); arrows nudge (Shift: 10×).")

    # --- press --------------------------------------------------------------------------
    def press(self, ev) -> None:
        scene = self.scene
        if scene is None:
            return
        self.press_ev = ev
        extend = bool(ev.modifiers & (Qt.ShiftModifier | Qt.ControlModifier))
        hit = self.editor.hit(ev.pos)
        if isinstance(hit, HandleItem):
            self._begin_handle(hit)
            return
        self.reselect = None
        if hit is not None and hit.kind == "room" and not hit.isSelected() and not extend:
            # a click selects the room; a drag from inside an unselected room is a rubber band
            # (so a room is never moved by accident while picking what stands in it)
            self.state = "room"
            self.room_hit = hit
            return
        if hit is not None:
            if extend:
                hit.setSelected(not hit.isSelected())
                self.state = "pending" if hit.isSelected() else "idle"
            else:
                if hit.isSelected():
                    if len(scene.selected_plan_items()) > 1:
                        self.reselect = hit  # a click without a drag keeps only this one
                else:
                    scene.select_refs([hit.ref])
                self.state = "pending"
            return
        self._start_band(extend)

    def _start_band(self, extend: bool) -> None:
        scene = self.scene
        if not extend:
            scene.clearSelection()
        self.state = "rubber"
        self.extend = extend
        self.before = scene.selected_refs()
        self.band = PreviewPolygon(closed=True, show_area=False)
        scene.addItem(self.band)

    def _far(self, ev) -> bool:
        return (ev.view_pos - self.press_ev.view_pos).manhattanLength() >= DRAG_PX

    # --- move ---------------------------------------------------------------------------
    def move(self, ev) -> None:
        if self.state == "idle":
            self._hover(ev)
        elif self.state == "pending":
            if self._far(ev):
                self._begin_move()
                self._drag_move(ev)
        elif self.state == "room":
            if self._far(ev):
                self._start_band(False)
                self.move(ev)
        elif self.state == "moving":
            self._drag_move(ev)
        elif self.state == "handle":
            self._drag_handle(ev)
        elif self.state == "rubber":
            r = QRectF(self.press_ev.pos, ev.pos).normalized()
            self.band.set_points([(r.left(), r.top()), (r.right(), r.top()), (r.right(), r.bottom()),
                                  (r.left(), r.bottom())])

    def _hover(self, ev) -> None:
        hit = self.editor.hit(ev.pos)
        if isinstance(hit, HandleItem):
            cursor = hit.cursor()
        elif hit is not None:
            cursor = Qt.SizeAllCursor
        else:
            cursor = self.cursor
        self.view.viewport().setCursor(cursor)

    def _begin_move(self) -> None:
        self.moving = self.scene.selected_plan_items()
        self.refs = [i.ref for i in self.moving]
        self.box = Box.union(i.model_box for i in self.moving)
        self.snapper = self.editor.snapper(exclude=set(self.refs))
        self.scene.set_handles_enabled(False)
        self.delta = (0, 0)
        self.state = "moving"

    def _drag_move(self, ev) -> None:
        dx = ev.pos.x() - self.press_ev.pos.x()
        dy = ev.pos.y() - self.press_ev.pos.y()
        self.snapper.enabled = self.editor.snap_on(ev.modifiers)
        r = self.snapper.move(self.box, dx, dy)
        self.delta = (r.x, r.y)
        for item in self.moving:
            item.set_preview_offset(r.x, r.y)
        self.scene.set_guides(r.guide_x, r.guide_y)
        self.editor.show_status(_("Move by {dx}, {dy}").format(dx=metres(r.x), dy=metres(r.y)))

    # --- handles ------------------------------------------------------------------------
    def _begin_handle(self, handle: HandleItem) -> None:
        self.target = self.scene.selected_plan_items()[0]
        self.handle = (handle.role, handle.spec)
        extra = []
        if handle.role == "vertex":
            extra = [p for i, p in enumerate(self.target.outline) if i != handle.spec]
        self.snapper = self.editor.snapper(exclude={self.target.ref}, extra_vertices=extra)
        self.scene.set_handles_enabled(False)
        self.result = None
        self.state = "handle"

    def _drag_handle(self, ev) -> None:
        role, spec = self.handle
        t = self.target
        if role == "resize":
            x, y, w, d, rot = t.box
            p = self.snapped(ev, self.snapper) if rot % 90 == 0 else ev.pos
            self.result = resize_box(x, y, w, d, rot, spec, p.x(), p.y())
            t.set_box(*self.result, rot)
            self.editor.show_status(_("Size {w} × {d} mm").format(w=self.result[2], d=self.result[3]))
        elif role == "rotate":
            x, y = t.box[:2]
            step = ROTATION_STEP if self.editor.snap_on(ev.modifiers) else None
            self.result = rotation_towards(x, y, ev.pos.x(), ev.pos.y(), step)
            t.setRotation(self.result)
            self.editor.show_status(_("Rotation {deg}°").format(deg=f"{self.result:g}"))
        elif role == "vertex":
            p = self.snapped(ev, self.snapper)
            outline = [list(q) for q in t.outline]
            outline[spec] = [round(p.x()), round(p.y())]
            t.set_preview_outline(outline, outline_ok(outline))
            self.result = outline
            self.editor.show_status(fmt_area(geometry.area_m2(outline)))
        elif role == "end":
            p = self.snapped(ev, self.snapper)
            points = [list(q) for q in t.points]
            points[spec] = [round(p.x()), round(p.y())]
            t.set_preview_points(points)
            self.result = points

    def _commit_handle(self) -> None:
        role, _spec = self.handle
        t = self.target
        cmd = None
        if self.result is not None:
            if role == "resize" and tuple(self.result) != tuple(t.box[:4]):
                cmd = ResizeObject(t.ref, *self.result)
            elif role == "rotate" and self.result != t.box[4]:
                cmd = RotateObject(t.ref, self.result)
            elif role == "vertex" and self.result != t.outline:
                cmd = EditRoomOutline(t.object_id, self.result)
            elif role == "end" and [list(p) for p in self.result] != [list(p) for p in t.points]:
                (x1, y1), (x2, y2) = self.result
                cmd = EditPlan(_("Move dimension end"), {t.ref: {"x1": x1, "y1": y1, "x2": x2, "y2": y2}})
        if cmd is None or not self.editor.push(cmd):
            t.clear_preview()
        self.scene.set_handles_enabled(True)

    # --- release ------------------------------------------------------------------------
    def release(self, ev) -> None:
        state, self.state = self.state, "idle"
        scene = self.scene
        if scene is None:
            return
        scene.set_guides(None, None)
        if state == "moving":
            dx, dy = self.delta
            if not (dx or dy) or not self.editor.push(MoveObjects(self.refs, dx, dy)):
                for item in self.moving:
                    item.clear_preview()
            scene.set_handles_enabled(True)
            self.editor.show_status("")
        elif state == "pending":
            if self.reselect is not None:
                scene.select_refs([self.reselect.ref])
        elif state == "room":
            scene.select_refs([self.room_hit.ref])
        elif state == "handle":
            self._commit_handle()
        elif state == "rubber":
            rect = QRectF(self.press_ev.pos, ev.pos).normalized()
            self._remove(self.band)
            self.band = None
            if self._far(ev):
                inside = [i.ref for i in scene.items(rect, Qt.ContainsItemShape) if scene.pickable(i)]
                scene.select_refs((self.before if self.extend else []) + inside)

    def double_click(self, ev) -> None:
        hit = self.editor.hit(ev.pos)
        if hit is not None and not isinstance(hit, HandleItem):
            self.editor.edit_object(hit)

    def cancel(self) -> bool:
        state, self.state = self.state, "idle"
        if state == "moving":
            for item in self.moving:
                item.clear_preview()
            self.scene.set_handles_enabled(True)
        elif state == "handle":
            self.target.clear_preview()
            self.scene.set_handles_enabled(True)
        elif state == "rubber":
            self._remove(self.band)
            self.band = None
        if self.scene is not None:
            self.scene.set_guides(None, None)
        return state not in ("idle", "pending", "room")

    def key_press(self, event) -> bool:
        key = event.key()
        steps = {Qt.Key_Left: (-1, 0), Qt.Key_Right: (1, 0), Qt.Key_Up: (0, -1), Qt.Key_Down: (0, 1)}
        if key in steps and self.state == "idle":
            big = bool(event.modifiers() & Qt.ShiftModifier)
            sx, sy = steps[key]
            self.editor.nudge(sx, sy, big)
            return True
        if key == Qt.Key_Escape:
            if not self.cancel() and self.scene is not None:
                self.scene.clearSelection()
            return True
        return False


class DrawRoomTool(Tool):
    """Drag for a rectangular room; or click corners and close with a double-click, Enter,
    or a click on the first corner. Backspace removes the last corner, Esc cancels."""

    key = "room"
    cursor = Qt.CrossCursor

    def __init__(self, editor):
        super().__init__(editor)
        self.points: list[list[int]] = []
        self.press_ev = None
        self.dragging = False
        self.preview: PreviewPolygon | None = None
        self.snapper_ = None

    def hint(self) -> str:
        return _("Drag a rectangle, or click the corners and double-click (or Enter) to close. "
                 "Backspace: remove a corner. Esc: cancel.")

    def _snapper(self):
        if self.snapper_ is None:
            self.snapper_ = self.editor.snapper(extra_vertices=self.points)
        return self.snapper_

    def _show(self, points, closed=True) -> None:
        if self.preview is None:
            self.preview = PreviewPolygon()
            self.scene.addItem(self.preview)
        self.preview.closed = closed
        self.preview.set_points(points, outline_ok(points) if len(points) >= 3 else True)

    def press(self, ev) -> None:
        self.press_ev = ev
        self.start = self.snapped(ev, self._snapper())
        self.dragging = False

    def move(self, ev) -> None:
        if self.scene is None:
            return
        p = self.snapped(ev, self._snapper())
        if self.press_ev is not None and not self.points and ev.buttons & Qt.LeftButton and (
                ev.view_pos - self.press_ev.view_pos).manhattanLength() >= DRAG_PX:
            self.dragging = True
        if self.dragging:
            r = QRectF(self.start, p).normalized()
            pts = [[r.left(), r.top()], [r.right(), r.top()], [r.right(), r.bottom()], [r.left(), r.bottom()]]
            self._show(pts)
            self.editor.show_status(_("{w} × {h}").format(w=metres(r.width()), h=metres(r.height())))
        elif self.points:
            pts = self.points + [[round(p.x()), round(p.y())]]
            self._show(pts)
            self.editor.show_status(fmt_area(geometry.area_m2(pts)) if len(pts) >= 3 else "")

    def release(self, ev) -> None:
        if self.press_ev is None:
            return
        self.press_ev = None
        p = self.snapped(ev, self._snapper())
        if self.dragging:
            self.dragging = False
            r = QRectF(self.start, p).normalized()
            self._create([[r.left(), r.top()], [r.right(), r.top()], [r.right(), r.bottom()], [r.left(), r.bottom()]])
            self._clear()
            return
        point = [round(p.x()), round(p.y())]
        if len(self.points) >= 3:
            first = self.view.mapFromScene(QPointF(*self.points[0]))
            if (first - ev.view_pos).manhattanLength() <= CLOSE_PX:
                self.finish()
                return
        if not self.points or self.points[-1] != point:
            self.points.append(point)
            self.snapper_ = None  # the new corner is something to line up with
        self._show(self.points + [point], closed=True)

    def double_click(self, ev) -> None:
        self.press_ev = None
        p = self.snapped(ev, self._snapper())
        point = [round(p.x()), round(p.y())]
        if not self.points or self.points[-1] != point:
            self.points.append(point)
        self.finish()

    def finish(self) -> None:
        if len(self.points) < 3:
            if self.points:
                self.editor.report(_("A room needs at least three corners."))
            return
        if self._create(self.points):
            self._clear()

    def _create(self, outline) -> bool:
        outline = [[round(x), round(y)] for x, y in outline]
        cmd = AddRoom(self.editor.floor_id, outline)
        if self.editor.push(cmd):
            self.scene.select_refs(cmd.created)
            return True
        return False

    def _clear(self) -> None:
        self.points = []
        self.dragging = False
        self.press_ev = None
        self.snapper_ = None
        self._remove(self.preview)
        self.preview = None
        if self.scene is not None:
            self.scene.set_guides(None, None)

    def cancel(self) -> bool:
        busy = bool(self.points) or self.dragging
        self._clear()
        return busy

    def key_press(self, event) -> bool:
        if event.key() in (Qt.Key_Return, Qt.Key_Enter):
            self.finish()
            return True
        if event.key() == Qt.Key_Backspace and self.points:
            self.points.pop()
            self.snapper_ = None
            if self.points:
                self._show(self.points)
            else:
                self._clear()
            return True
        return super().key_press(event)


class PlaceTool(Tool):
    """Shows where the new object lands, snapped; a click places it (the tool stays on)."""

    cursor = Qt.CrossCursor

    def __init__(self, editor):
        super().__init__(editor)
        self.ghost: GhostBox | None = None
        self.snapper_ = None

    def size(self) -> tuple[int, int]:
        raise NotImplementedError

    def label(self) -> str:
        return ""

    def make(self, x: int, y: int):
        raise NotImplementedError

    def _centre(self, ev) -> QPointF:
        if self.snapper_ is None:
            self.snapper_ = self.editor.snapper()
        self.snapper_.enabled = self.editor.snap_on(ev.modifiers)
        w, d = self.size()
        x, y = ev.pos.x(), ev.pos.y()
        r = self.snapper_.move(Box(x - w / 2, y - d / 2, x + w / 2, y + d / 2), 0, 0)
        self.scene.set_guides(r.guide_x, r.guide_y)
        return QPointF(round(x + r.x), round(y + r.y))

    def move(self, ev) -> None:
        if self.scene is None:
            return
        if self.ghost is None or self.ghost.scene() is not self.scene:
            w, d = self.size()
            self.ghost = GhostBox(w, d, self.label())
            self.scene.addItem(self.ghost)
        self.ghost.setPos(self._centre(ev))

    def release(self, ev) -> None:
        if self.scene is None:
            return
        c = self._centre(ev)
        cmd = self.make(round(c.x()), round(c.y()))
        if self.editor.push(cmd):
            self.scene.select_refs(cmd.created)
        self.snapper_ = None
        self.scene.set_guides(None, None)

    def deactivate(self) -> None:
        self._remove(self.ghost)
        self.ghost = None
        self.snapper_ = None
        if self.scene is not None:
            self.scene.set_guides(None, None)


class PlaceCounterTool(PlaceTool):
    key = "counter"

    def hint(self) -> str:
        return _("Click to place a counter (1.80 × 0.80 m); it gets the floor's next number.")

    def size(self):
        from mpp_planner.commands.plan import DEFAULT_COUNTER_SIZE

        return DEFAULT_COUNTER_SIZE

    def label(self) -> str:
        return _("Counter")

    def make(self, x, y):
        return PlaceCounter(self.editor.floor_id, x, y)


class PlaceItemTool(PlaceTool):
    key = "item"

    def __init__(self, editor, item_type_id: int, name: str, width: int, depth: int):
        super().__init__(editor)
        self.item_type_id, self.name, self.width, self.depth = item_type_id, name, width, depth

    def hint(self) -> str:
        return _("Click to place “{name}”; it joins the inventory of the room under it.").format(name=self.name)

    def size(self):
        return (self.width, self.depth)

    def label(self) -> str:
        return self.name

    def make(self, x, y):
        return PlaceItem(self.editor.floor_id, self.item_type_id, x, y)


class TwoPointTool(Tool):
    """Click two points (or press, drag, release): dimension lines and calibration."""

    cursor = Qt.CrossCursor
    snap = True

    def __init__(self, editor):
        super().__init__(editor)
        self.start: QPointF | None = None
        self.waiting = False
        self.marker = None
        self.line: PreviewPolygon | None = None
        self.snapper_ = None

    def point(self, ev) -> QPointF:
        if not self.snap:
            return QPointF(round(ev.pos.x()), round(ev.pos.y()))
        if self.snapper_ is None:
            self.snapper_ = self.editor.snapper()
        p = self.snapped(ev, self.snapper_)
        if self.start is not None and ev.modifiers & Qt.ShiftModifier:  # Shift: straight across or down
            if abs(p.x() - self.start.x()) >= abs(p.y() - self.start.y()):
                p.setY(self.start.y())
            else:
                p.setX(self.start.x())
        return p

    def press(self, ev) -> None:
        if not self.ready():
            return
        if self.start is None:
            self.start = self.point(ev)
            self.press_ev = ev
            self.marker = MarkerItem(self.start)
            self.scene.addItem(self.marker)
            self.line = PreviewPolygon(closed=False, show_area=True)
            self.scene.addItem(self.line)

    def move(self, ev) -> None:
        if self.start is not None and self.line is not None:
            p = self.point(ev)
            self.line.set_points([(self.start.x(), self.start.y()), (p.x(), p.y())])
            self.editor.show_status(metres(geometry.distance((self.start.x(), self.start.y()), (p.x(), p.y()))))

    def release(self, ev) -> None:
        if self.start is None:
            return
        dragged = (ev.view_pos - self.press_ev.view_pos).manhattanLength() >= DRAG_PX
        if not dragged and not self.waiting:
            self.waiting = True  # a click: the next click ends the line
            return
        end = self.point(ev)
        start = self.start
        self._clear()
        self.done(start, end)

    def ready(self) -> bool:
        return self.scene is not None

    def done(self, start: QPointF, end: QPointF) -> None:
        raise NotImplementedError

    def _clear(self) -> None:
        self._remove(self.marker)
        self._remove(self.line)
        self.marker = self.line = None
        self.start = None
        self.waiting = False
        self.snapper_ = None
        if self.scene is not None:
            self.scene.set_guides(None, None)

    def cancel(self) -> bool:
        busy = self.start is not None
        self._clear()
        return busy


class DimensionTool(TwoPointTool):
    key = "dimension"

    def hint(self) -> str:
        return _("Click the two ends of the dimension line (Shift: straight).")

    def done(self, start, end) -> None:
        if (round(start.x()), round(start.y())) == (round(end.x()), round(end.y())):
            return
        cmd = AddAnnotation(self.editor.floor_id, "dimension", round(start.x()), round(start.y()),
                            round(end.x()), round(end.y()))
        if self.editor.push(cmd):
            self.scene.select_refs(cmd.created)


class CalibrateTool(TwoPointTool):
    """Click two points of the scan whose real distance you know, then type it in metres."""

    key = "calibrate"
    snap = False

    def hint(self) -> str:
        return _("Click two points on the background whose real distance you know; then type the distance.")

    def ready(self) -> bool:
        if self.scene is None or self.scene.background is None:
            self.editor.report(_("This floor has no background image; import one first."))
            return False
        return True

    def done(self, start, end) -> None:
        metres_text = self.editor.ask_distance()
        if metres_text is None:
            return
        floor_id = self.editor.floor_id
        if self.editor.push(lambda: CalibrateBackground(floor_id, (start.x(), start.y()), (end.x(), end.y()),
                                                        metres_text)):
            self.editor.report(_("Background calibrated."), error=False)
            self.editor.set_tool("select")


class SetOriginTool(Tool):
    """Click the point of the scan that is the plan's origin (0, 0), e.g. a building corner."""

    key = "origin"
    cursor = Qt.CrossCursor

    def hint(self) -> str:
        return _("Click the point of the background that should be the plan's origin (0, 0).")

    def release(self, ev) -> None:
        if self.scene is None or self.scene.background is None:
            self.editor.report(_("This floor has no background image; import one first."))
            return
        if self.editor.push(SetBackgroundOrigin(self.editor.floor_id, round(ev.pos.x()), round(ev.pos.y()))):
            self.editor.set_tool("select")


class TextTool(Tool):
    key = "text"
    cursor = Qt.IBeamCursor

    def hint(self) -> str:
        return _("Click where the text label goes.")

    def release(self, ev) -> None:
        if self.scene is None:
            return
        r = self.editor.snapper()
        r.enabled = self.editor.snap_on(ev.modifiers)
        p = r.point(ev.pos.x(), ev.pos.y())
        text = self.editor.ask_text(_("Text label"), _("Text:"))
        if text is None or not text.strip():
            return
        floor_id = self.editor.floor_id
        cmd = None

        def make():
            nonlocal cmd
            cmd = AddAnnotation(floor_id, "text", p.x, p.y, text=text.strip())
            return cmd

        if self.editor.push(make):
            self.scene.select_refs(cmd.created)


TOOLS = {cls.key: cls for cls in (SelectTool, PanTool, DrawRoomTool, PlaceCounterTool, DimensionTool, TextTool,
                                  CalibrateTool, SetOriginTool)}
