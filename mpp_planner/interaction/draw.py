"""Drawing a room: drag a rectangle, or click the corners and close the outline; or double-click inside
walls for the room they enclose (as Sweet Home 3D does)."""

from __future__ import annotations

from mpp_planner.commands.plan import AddRoom, AddRoomFromWalls
from mpp_planner.formats import area as fmt_area
from mpp_planner.i18n import _
from mpp_planner.interaction.events import Button, Key, Keys, Point, Press
from mpp_planner.interaction.tool import Tool, metres
from mpp_planner.interaction.view import Cursor
from mpp_planner.model import geometry

CLOSE_PX = 9  # a click this close (pixels on screen) to the first corner closes the outline
MIN_ROOM_MM2 = 10_000


def outline_ok(points) -> bool:
    """What the model will accept (for the preview colour; the model still decides)."""
    return len(points) >= 3 and geometry.is_simple_polygon(points) and geometry.polygon_area_mm2(points) >= MIN_ROOM_MM2


def rectangle(a, b) -> list[list[float]]:
    (x1, y1), (x2, y2) = a, b
    left, right, top, bottom = min(x1, x2), max(x1, x2), min(y1, y2), max(y1, y2)
    return [[left, top], [right, top], [right, bottom], [left, bottom]]


class DrawRoomTool(Tool):
    """Drag for a rectangular room; or click corners and close with a double-click, Enter,
    or a click on the first corner. Backspace removes the last corner, Esc cancels. A double-click with no
    corners placed (but the one its first click put down) makes the room the walls around it enclose.

    The outline is pushed as it is: a crossing or empty one is refused by the model, with its
    message, and the corners stay for the user to fix."""

    key = "room"
    cursor = Cursor.CROSS

    def __init__(self, view):
        super().__init__(view)
        self.points: list[list[int]] = []  # corners clicked so far
        self.press_at: Press | None = None  # the press of a click or drag in progress
        self.start: Point = (0, 0)  # where that press snapped to
        self.dragging = False  # a rectangle is being dragged
        self._snapper = None

    def hint(self) -> str:
        return _("Drag a rectangle, or click the corners and double-click (or Enter) to close; double-click "
                 "inside walls for the room they enclose. Backspace: remove a corner. Esc: cancel.")

    def _snap(self, ev):
        if self._snapper is None:  # the corners drawn so far are something to line up with
            self._snapper = self.view.snapper(extra_vertices=[(x, y) for x, y in self.points])
        return self.snapped(ev, self._snapper)

    def _show(self, points) -> None:
        self.view.show_outline(points, outline_ok(points) if len(points) >= 3 else True)

    def press(self, ev) -> None:
        self.press_at = ev
        self.start = self._snap(ev)
        self.dragging = False

    def move(self, ev) -> None:
        p = self._snap(ev)
        if (self.press_at is not None and not self.points and Button.LEFT in ev.buttons
                and self.far(self.press_at, ev)):
            self.dragging = True
        if self.dragging:
            self._show(rectangle(self.start, p))
            self.view.status(_("{w} × {h}").format(w=metres(abs(p[0] - self.start[0])),
                                                   h=metres(abs(p[1] - self.start[1]))))
        elif self.points:
            pts = self.points + [[round(p[0]), round(p[1])]]
            self._show(pts)
            self.view.status(fmt_area(geometry.area_m2(pts)) if len(pts) >= 3 else "")

    def release(self, ev) -> None:
        if self.press_at is None:
            return
        self.press_at = None
        p = self._snap(ev)
        if self.dragging:
            self.dragging = False
            self._create(rectangle(self.start, p))
            self._clear()
            return
        point = [round(p[0]), round(p[1])]
        if len(self.points) >= 3:
            fx, fy = self.points[0]
            if abs(fx - ev.x) + abs(fy - ev.y) <= self.view.pixels_to_mm(CLOSE_PX):
                self.finish()
                return
        if not self.points or self.points[-1] != point:
            self.points.append(point)
            self._snapper = None
        self._show(self.points + [point])

    def double_click(self, ev) -> None:
        self.press_at = None
        p = self._snap(ev)
        point = [round(p[0]), round(p[1])]
        if len(self.points) <= 1 and self.points in ([], [point]):  # no corners: the room the walls enclose
            self._from_walls(ev.x, ev.y)
            return
        if not self.points or self.points[-1] != point:
            self.points.append(point)
        self.finish()

    def _from_walls(self, x: float, y: float) -> None:
        cmd = AddRoomFromWalls(self.floor(), round(x), round(y))
        if self.view.push(cmd):
            self.view.select(cmd.created)
        self._clear()

    def finish(self) -> None:
        """Close the outline: a room when the model accepts it."""
        if len(self.points) < 3:
            if self.points:
                self.view.report(_("A room needs at least three corners."))
            return
        if self._create(self.points):
            self._clear()

    def _create(self, outline) -> bool:
        cmd = AddRoom(self.floor(), [[round(x), round(y)] for x, y in outline])
        if self.view.push(cmd):
            self.view.select(cmd.created)
            return True
        return False

    def _clear(self) -> None:
        self.points = []
        self.dragging = False
        self.press_at = None
        self._snapper = None
        self.view.show_outline(None)
        self.view.show_guides(None, None)

    def cancel(self) -> bool:
        busy = bool(self.points) or self.dragging
        self._clear()
        return busy

    def key_press(self, ev: Key) -> bool:
        if ev.name == Keys.ENTER:
            self.finish()
            return True
        if ev.name == Keys.BACKSPACE and self.points:
            self.points.pop()
            self._snapper = None
            if self.points:
                self._show(self.points)
            else:
                self._clear()
            return True
        return super().key_press(ev)
