"""Walls, doors and windows, as Sweet Home 3D draws them: click from corner to corner to draw a wall;
point at a wall to set a door or window in it; drag a door or window along its wall.

Rules worth knowing: each click of the wall tool adds a point, snapped to the grid, to wall ends and room
corners (and onto a wall's centreline, for a T junction); Shift keeps the new segment to 15° steps. A
double-click or Enter finishes the wall, a click on its first point closes it into a loop, Backspace takes
the last point back and Escape drops it. A door or window follows the pointer along the wall under it (its
centre snapped to the grid along the wall, slid to fit between the wall's corners) and swings towards the
face the pointer is on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from mpp_planner.commands.plan.walls import AddWall, EditOpening, PlaceOpening
from mpp_planner.commands.snap import snap_to_grid
from mpp_planner.i18n import _
from mpp_planner.interaction.events import Button, Key, Keys, Mod, Press
from mpp_planner.interaction.tool import State, Tool, metres
from mpp_planner.interaction.view import Cursor, PlanObject
from mpp_planner.model.wall_geometry import OpeningShape, clamp_offset, point_at, project
from mpp_planner.model.walls import DEFAULT_OPENING_WIDTH, OpeningKind

CLOSE_PX = 9  # a click this close (pixels on screen) to the first point closes the wall into a loop
ANGLE_STEP = 15.0  # degrees, with Shift
WALL_REACH_PX = 8  # a point this close to a wall's centreline goes onto it; a door finds a wall this near
OFFSET_STEP = 10  # mm: a door's place along its wall with snapping off


def angle_of(a: Sequence[float], b: Sequence[float]) -> float:
    """The direction from ``a`` to ``b`` in degrees as seen on screen: 0° = right, 90° = up."""
    return math.degrees(math.atan2(-(b[1] - a[1]), b[0] - a[0])) % 360.0


def constrained(a: Sequence[float], x: float, y: float, step: float = ANGLE_STEP,
                grid: float | None = None) -> tuple[int, int]:
    """(x, y) turned about ``a`` onto the nearest ``step``-degree direction (its length a whole number of
    ``grid`` steps, when given)."""
    length = math.hypot(x - a[0], y - a[1])
    if grid:
        length = snap_to_grid(length, grid)
    angle = math.radians(round(math.degrees(math.atan2(y - a[1], x - a[0])) / step) * step)
    return round(a[0] + length * math.cos(angle)), round(a[1] + length * math.sin(angle))


def nearest_wall(walls, x: float, y: float, reach: float) -> tuple[PlanObject, float, float] | None:
    """(wall, offset along it, distance) of the wall whose centreline is nearest to (x, y), within its
    half thickness plus ``reach`` mm; None when no wall is that near."""
    best = None
    for wall in walls:
        offset, dist = project(wall.points or (), x, y)
        if dist <= (wall.thickness or 0) / 2 + reach and (best is None or dist < best[2]):
            best = (wall, offset, dist)
    return best


def side_of(wall: PlanObject, offset: float, x: float, y: float) -> str:
    """The face of the wall ("left"/"right", looking from its first point to its last) (x, y) is on."""
    px, py, ux, uy, _segment = point_at(wall.points or (), offset)
    return "left" if (x - px) * uy - (y - py) * ux >= 0 else "right"


class DrawWallTool(Tool):
    """Click the wall's corners; double-click or Enter to finish; click the first point to close a loop.
    Backspace removes the last point, Escape cancels. The thickness is the toolbar's."""

    key = "wall"
    cursor = Cursor.CROSS

    def __init__(self, view):
        super().__init__(view)
        self.points: list[list[int]] = []  # clicked so far
        self.press_at: Press | None = None
        self._snapper = None
        self._walls: list[PlanObject] = []

    def hint(self) -> str:
        return _("Click where the wall starts and at each corner; double-click or Enter to finish, click the "
                 "first point to close a loop. Shift: 15° steps. Backspace: remove the last point. Esc: cancel.")

    # --- where a click lands --------------------------------------------------------------
    def point(self, ev) -> tuple[int, int]:
        """The pointer snapped: to the grid, wall ends and room corners (and the points drawn so far), onto
        a wall's centreline near it; with Shift, the segment from the last point turned to 15° steps."""
        if self._snapper is None:
            self._snapper = self.view.snapper(extra_vertices=[(float(x), float(y)) for x, y in self.points])
            self._walls = self.view.walls()  # read once per point, not at every move
        snapping = self.snap_on(ev.modifiers)
        if self.points and Mod.SHIFT in ev.modifiers:
            self.view.show_guides(None, None)
            return constrained(self.points[-1], ev.x, ev.y, grid=self._snapper.grid if snapping else None)
        self._snapper.enabled = snapping
        r = self._snapper.point(ev.x, ev.y)
        self.view.show_guides(r.guide_x, r.guide_y)
        if snapping and r.guide_x is None and r.guide_y is None:  # nothing to line up with: a wall near?
            near = nearest_wall(self._walls, ev.x, ev.y, self.view.pixels_to_mm(WALL_REACH_PX))
            if near is not None and near[2] <= self.view.pixels_to_mm(WALL_REACH_PX):
                line = near[0].points or ()
                offset, _dist = project(line, r.x, r.y)  # the grid point, onto the centreline
                x, y, *_rest = point_at(line, offset)
                return round(x), round(y)
        return round(r.x), round(r.y)

    def _show(self, pointer: tuple[int, int] | None) -> None:
        points = self.points + ([list(pointer)] if pointer is not None else [])
        self.view.show_wall(points, self.view.wall_thickness())
        if len(points) >= 2:
            a, b = points[-2], points[-1]
            self.view.status(_("Length {length}, angle {angle}°").format(
                length=metres(math.dist(a, b)), angle=f"{angle_of(a, b):.0f}"))

    # --- events ---------------------------------------------------------------------------
    def press(self, ev) -> None:
        self.press_at = ev

    def move(self, ev) -> None:
        p = self.point(ev)
        if self.press_at is not None and not self.points and Button.LEFT in ev.buttons \
                and self.far(self.press_at, ev):  # pressed and dragged: the press is the first point
            self.points.append(list(self.point(self.press_at)))
            self._snapper = None
        if self.points:
            self._show(p)

    def release(self, ev) -> None:
        if self.press_at is None:
            return
        self.press_at = None
        p = self.point(ev)
        if len(self.points) >= 3:
            fx, fy = self.points[0]
            if abs(fx - ev.x) + abs(fy - ev.y) <= self.view.pixels_to_mm(CLOSE_PX):
                self.finish(close=True)
                return
        if not self.points or self.points[-1] != list(p):
            self.points.append(list(p))
            self._snapper = None  # the new corner is something to line up with
        self._show(None)

    def double_click(self, ev) -> None:
        self.press_at = None
        if not self.points:  # its first click closed a loop: done already
            return
        p = list(self.point(ev))
        if self.points[-1] != p:
            self.points.append(p)
        self.finish()

    def finish(self, close: bool = False) -> bool:
        """The wall drawn so far (a loop back to its first point with ``close``), when the model takes it."""
        if len(self.points) < 2:
            if self.points:
                self.view.report(_("A wall needs a second point: click where it ends."))
            return False
        points = self.points + [self.points[0]] if close else list(self.points)
        made: list[AddWall] = []

        def make():
            made.append(AddWall(self.floor(), points, self.view.wall_thickness()))
            return made[0]

        if not self.view.push(make):
            return False
        self.view.select(made[0].created)
        self._clear()
        return True

    def _clear(self) -> None:
        self.points = []
        self.press_at = None
        self._snapper = None
        self.view.show_wall(None)
        self.view.show_guides(None, None)
        self.view.status("")

    def cancel(self) -> bool:
        busy = bool(self.points)
        self._clear()
        return busy

    def deactivate(self) -> None:
        self._clear()

    def key_press(self, ev: Key) -> bool:
        if ev.name == Keys.ENTER:
            self.finish()
            return True
        if ev.name == Keys.BACKSPACE and self.points:
            self.points.pop()
            self._snapper = None
            if self.points:
                self._show(None)
            else:
                self._clear()
            return True
        return super().key_press(ev)


class PlaceOpeningTool(Tool):
    """Point at a wall: the door or window shows where it would go (its centre under the pointer, along
    the wall; swinging to the pointer's side); a click sets it there. The tool stays on for the next."""

    cursor = Cursor.CROSS

    def __init__(self, view):
        super().__init__(view)
        self._grid: float | None = None

    def kind(self) -> str:
        raise NotImplementedError

    def spot(self, ev) -> tuple[PlanObject, OpeningShape | None] | None:
        """The wall under the pointer and the opening as it would go in it (None: the wall is too short
        for it); None: no wall there."""
        near = nearest_wall(self.view.walls(), ev.x, ev.y, self.view.pixels_to_mm(WALL_REACH_PX))
        if near is None:
            return None
        wall, offset, _dist = near
        kind = self.kind()
        width = DEFAULT_OPENING_WIDTH[OpeningKind(kind)]
        if self._grid is None:
            self._grid = self.view.snapper().grid or OFFSET_STEP
        offset = snap_to_grid(offset, self._grid if self.snap_on(ev.modifiers) else OFFSET_STEP)
        at = clamp_offset(wall.wall, offset, width)
        if at is None:
            return wall, None
        side = side_of(wall, at, ev.x, ev.y) if kind != OpeningKind.WINDOW.value else "left"
        return wall, OpeningShape(0, wall.object_id, kind, at, width, "start", side)

    def _too_short(self) -> str:
        width = DEFAULT_OPENING_WIDTH[OpeningKind(self.kind())]
        return _("This wall is too short for it ({width} wide).").format(width=metres(width))

    def move(self, ev) -> None:
        wall, opening = self.spot(ev) or (None, None)
        if wall is None or opening is None:
            self.view.show_opening(None)
            self.view.status(_("Point at a wall.") if wall is None else self._too_short())
            return
        self.view.show_opening(wall.wall, opening)
        self.view.status(_("{what} {width} wide, {at} from the wall's start").format(
            what=OpeningKind(opening.kind).label, width=metres(opening.width), at=metres(opening.offset)))

    def release(self, ev) -> None:
        wall, o = self.spot(ev) or (None, None)
        if wall is None or o is None:
            self.view.report(_("Point at a wall: doors and windows are set in walls.") if wall is None
                             else self._too_short())
            return
        cmd = PlaceOpening(wall.object_id, o.kind, o.offset, round(o.width), o.hinge, o.side)
        if self.view.push(cmd):
            self.view.select(cmd.created)

    def deactivate(self) -> None:
        self.view.show_opening(None)
        self.view.status("")


class PlaceDoorTool(PlaceOpeningTool):
    """A door of the kind chosen on the toolbar (single, double or sliding)."""

    key = "door"

    def hint(self) -> str:
        return _("Point at a wall and click to set a {what} in it; it opens towards the side the pointer is on. "
                 "Other kinds: the arrow beside the Door button.").format(what=OpeningKind(self.kind()).label.lower())

    def kind(self) -> str:
        kind = self.view.door_kind()
        return kind if kind in {k.value for k in OpeningKind if k.is_door} else OpeningKind.DOOR.value


class PlaceWindowTool(PlaceOpeningTool):
    key = "window"

    def hint(self) -> str:
        return _("Point at a wall and click to set a window in it.")

    def kind(self) -> str:
        return OpeningKind.WINDOW.value


def arrow_slide(target: PlanObject, sx: int, sy: int, step: float, merge_key=None) -> EditOpening | None:
    """An arrow key on a selected door or window: a ``step`` along its wall, the way the arrow points (none
    when the arrow is across the wall, or the opening is at the end already)."""
    o = target.opening
    if o is None:
        return None
    _x, _y, ux, uy, _segment = point_at(target.points or (), o.offset)
    along = sx * ux + sy * uy
    if abs(along) < 0.5:
        return None
    fitted = clamp_offset(target.wall, o.offset + math.copysign(step, along), o.width)
    if fitted is None or fitted == o.offset:
        return None
    text = _("Slide window") if o.kind == OpeningKind.WINDOW.value else _("Slide door")
    return EditOpening(target.object_id, {"offset": fitted}, text, merge_key=merge_key)


class SlideOpening(State):
    """Dragging a door or window with the select tool: it slides along its wall (round a corner onto the
    next segment when it fits there), snapped to the grid along the wall; one EditOpening on release."""

    busy = True

    def __init__(self, tool, press: Press, target: PlanObject):
        super().__init__(tool)
        self.target = target
        self.opening: OpeningShape = target.opening  # type: ignore[assignment]  # an opening's snapshot has it
        self.line = target.points or ()  # its wall's
        self.start = project(self.line, press.x, press.y)[0]
        self.offset = self.opening.offset
        self.grid = self.view.snapper().grid or OFFSET_STEP
        self.view.show_handles(False)

    def move(self, ev) -> None:
        at = project(self.line, ev.x, ev.y)[0]
        offset = self.opening.offset + at - self.start
        offset = snap_to_grid(offset, self.grid if self.tool.snap_on(ev.modifiers) else 1)
        fitted = clamp_offset(self.target.wall, offset, self.opening.width)
        if fitted is None:
            return
        self.offset = fitted
        self.view.preview_opening(self.target.ref, fitted)
        self.view.status(_("{at} from the wall's start").format(at=metres(fitted)))

    def release(self, ev) -> None:
        window = self.opening.kind == OpeningKind.WINDOW.value
        text = _("Slide window") if window else _("Slide door")
        if self.offset == self.opening.offset or not self.view.push(
                EditOpening(self.target.object_id, {"offset": self.offset}, text)):
            self.view.clear_preview([self.target.ref])
        self.view.show_handles(True)
        self.view.status("")

    def cancel(self) -> None:
        self.view.clear_preview([self.target.ref])
        self.view.show_handles(True)


__all__ = ["DrawWallTool", "PlaceOpeningTool", "PlaceDoorTool", "PlaceWindowTool", "SlideOpening", "arrow_slide",
           "constrained", "nearest_wall", "side_of", "angle_of"]
