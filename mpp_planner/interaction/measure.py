"""Two-point tools (dimension lines, calibrating the background) and setting the
background's origin."""

from __future__ import annotations

from mpp_planner.commands.plan import AddAnnotation, CalibrateBackground, SetBackgroundOrigin
from mpp_planner.i18n import _
from mpp_planner.interaction.events import Mod
from mpp_planner.interaction.tool import Tool, metres
from mpp_planner.interaction.view import Cursor
from mpp_planner.model import geometry


class TwoPointTool(Tool):
    """Click two points (or press, drag, release). A click that does not move waits for the
    second click; Shift keeps the line straight across or down."""

    cursor = Cursor.CROSS
    snap = True

    def __init__(self, view):
        super().__init__(view)
        self.start = None  # the first point, snapped
        self.press_at = None
        self.waiting = False  # the first click is done: the next one ends the line
        self._snapper = None

    def point(self, ev) -> tuple[float, float]:
        if not self.snap:
            return (round(ev.x), round(ev.y))
        if self._snapper is None:  # the first point is something to line up with
            self._snapper = self.view.snapper(extra_vertices=[self.start] if self.start is not None else ())
        x, y = self.snapped(ev, self._snapper)
        if self.start is not None and Mod.SHIFT in ev.modifiers:
            if abs(x - self.start[0]) >= abs(y - self.start[1]):
                y = self.start[1]
            else:
                x = self.start[0]
        return (x, y)

    def ready(self) -> bool:
        return True

    def press(self, ev) -> None:
        if self.start is None and self.ready():
            self.start = self.point(ev)
            self._snapper = None
            self.press_at = ev
            self.view.show_measure(self.start)

    def move(self, ev) -> None:
        if self.start is not None:
            p = self.point(ev)
            self.view.show_measure(self.start, p)
            self.view.status(metres(geometry.distance(self.start, p)))

    def release(self, ev) -> None:
        if self.start is None:
            return
        if not self.far(self.press_at, ev) and not self.waiting:
            self.waiting = True
            return
        end = self.point(ev)
        start = self.start
        self._clear()
        self.done(start, end)

    def done(self, start, end) -> None:
        raise NotImplementedError

    def _clear(self) -> None:
        self.start = self.press_at = None
        self.waiting = False
        self._snapper = None
        self.view.show_measure(None)
        self.view.show_guides(None, None)

    def cancel(self) -> bool:
        busy = self.start is not None
        self._clear()
        return busy


class DimensionTool(TwoPointTool):
    key = "dimension"

    def hint(self) -> str:
        return _("Click the two ends of the dimension line (Shift: straight).")

    def done(self, start, end) -> None:
        (x1, y1), (x2, y2) = [(round(x), round(y)) for x, y in (start, end)]
        if (x1, y1) == (x2, y2):
            return
        cmd = AddAnnotation(self.floor(), "dimension", x1, y1, x2, y2)
        if self.view.push(cmd):
            self.view.select(cmd.created)


def no_background(view) -> bool:
    if not view.has_background():
        view.report(_("This floor has no background image; import one first."))
        return True
    return False


class CalibrateTool(TwoPointTool):
    """Click two points of the scan whose real distance you know, then type it in metres."""

    key = "calibrate"
    snap = False

    def hint(self) -> str:
        return _("Click two points on the background whose real distance you know; then type the distance.")

    def ready(self) -> bool:
        return not no_background(self.view)

    def done(self, start, end) -> None:
        metres_text = self.view.ask_distance()
        if metres_text is None:
            return
        floor_id = self.floor()
        if self.view.push(lambda: CalibrateBackground(floor_id, start, end, metres_text)):
            self.view.report(_("Background calibrated."), error=False)
            self.view.set_tool("select")


class SetOriginTool(Tool):
    """Click the point of the scan that is the plan's origin (0, 0), e.g. a building corner."""

    key = "origin"
    cursor = Cursor.CROSS

    def hint(self) -> str:
        return _("Click the point of the background that should be the plan's origin (0, 0).")

    def release(self, ev) -> None:
        if no_background(self.view):
            return
        if self.view.push(SetBackgroundOrigin(self.floor(), round(ev.x), round(ev.y))):
            self.view.set_tool("select")
