"""Dragging a grip of the single selected object: resize, rotate, a room corner, a wall's corner or
end, a dimension end. Each previews while the mouse moves and pushes one command on release."""

from __future__ import annotations

from typing import Any

from mpp_planner.commands.plan import EditPlan, EditRoomOutline, ResizeObject, RotateObject
from mpp_planner.commands.plan.walls import EditWall
from mpp_planner.commands.snap import ROTATION_STEP, resize_box, rotated_bounds, rotation_towards
from mpp_planner.formats import area as fmt_area
from mpp_planner.i18n import _
from mpp_planner.interaction.draw import outline_ok
from mpp_planner.interaction.tool import State, metres
from mpp_planner.interaction.view import Handle, HandleRole, PlanObject
from mpp_planner.model import geometry
from mpp_planner.model.polyline import is_closed, polyline_length


class HandleDrag(State):
    busy = True

    def __init__(self, tool, target: PlanObject, handle: Handle, extra_vertices=()):
        super().__init__(tool)
        self.target: Any = target  # a PlanObject with the fields its kind has (box, outline, points)
        self.spec: Any = handle.spec
        self.snapper = self.view.snapper(exclude={target.ref}, extra_vertices=extra_vertices)
        self.view.show_handles(False)
        self.result: Any = None

    def command(self):
        """The command for ``self.result`` (None when nothing changed)."""
        raise NotImplementedError

    def release(self, ev) -> None:
        cmd = self.command() if self.result is not None else None
        if cmd is None or not self.view.push(cmd):
            self.view.clear_preview([self.target.ref])
        self.view.show_handles(True)

    def cancel(self) -> None:
        self.view.clear_preview([self.target.ref])
        self.view.show_handles(True)


class ResizeDrag(HandleDrag):
    """A corner or edge grip of a counter or item; the opposite side stays put. Snaps only
    while the box is square to the grid."""

    def move(self, ev) -> None:
        x, y, w, d, rot = self.target.box
        sides = rotated_bounds(*resize_box(x, y, w, d, rot, self.spec, ev.x, ev.y), rot)  # the edges beside pull
        px, py = self.tool.snapped(ev, self.snapper, sides) if rot % 90 == 0 else (ev.x, ev.y)
        self.result = resize_box(x, y, w, d, rot, self.spec, px, py)
        nx, ny, nw, nd = self.result
        self.view.preview_box(self.target.ref, nx, ny, nw, nd, rot)
        self.view.status(_("Size {w} × {d} mm").format(w=self.result[2], d=self.result[3]))

    def command(self):
        if tuple(self.result) != tuple(self.target.box[:4]):
            return ResizeObject(self.target.ref, *self.result)
        return None


class RotateDrag(HandleDrag):
    """The grip above a box: its top turns towards the pointer, in 15° steps when snapping."""

    def move(self, ev) -> None:
        x, y, w, d, _rot = self.target.box
        step = ROTATION_STEP if self.tool.snap_on(ev.modifiers) else None
        self.result = rotation_towards(x, y, ev.x, ev.y, step)
        self.view.preview_box(self.target.ref, x, y, w, d, self.result)
        self.view.status(_("Rotation {deg}°").format(deg=f"{self.result:g}"))

    def command(self):
        return RotateObject(self.target.ref, self.result) if self.result != self.target.box[4] else None


class VertexDrag(HandleDrag):
    """A room corner: the outline and its area follow live; the model refuses a crossing one."""

    def __init__(self, tool, target, handle):
        others = [p for i, p in enumerate(target.outline) if i != handle.spec]
        super().__init__(tool, target, handle, others)

    def move(self, ev) -> None:
        x, y = self.tool.snapped(ev, self.snapper)
        outline = [list(p) for p in self.target.outline]
        outline[self.spec] = [round(x), round(y)]
        self.view.preview_outline(self.target.ref, outline, outline_ok(outline))
        self.result = outline
        self.view.status(fmt_area(geometry.area_m2(outline)))

    def command(self):
        if self.result != [list(p) for p in self.target.outline]:
            return EditRoomOutline(self.target.object_id, self.result)
        return None


class WallVertexDrag(HandleDrag):
    """A wall's corner or end: the wall follows live (a loop's first and last point together); its doors
    and windows stay on it (the command slides them back onto it where needed)."""

    def __init__(self, tool, target, handle):
        self.closed = is_closed(target.points)
        others = [p for i, p in enumerate(target.points) if i != handle.spec
                  and not (self.closed and handle.spec == 0 and i == len(target.points) - 1)]
        super().__init__(tool, target, handle, others)

    def move(self, ev) -> None:
        x, y = self.tool.snapped(ev, self.snapper)
        points = [list(p) for p in self.target.points]
        points[self.spec] = [round(x), round(y)]
        if self.closed and self.spec == 0:
            points[-1] = list(points[0])
        self.view.preview_points(self.target.ref, points)
        self.result = points
        self.view.status(_("Wall length {length}").format(length=metres(polyline_length(points))))

    def command(self):
        if self.result == [list(p) for p in self.target.points]:
            return None
        wall_id, points = self.target.object_id, self.result
        return lambda: EditWall(wall_id, points=points)  # built when pushed: a refusal is reported


class EndDrag(HandleDrag):
    """One end of a dimension line."""

    def move(self, ev) -> None:
        x, y = self.tool.snapped(ev, self.snapper)
        points = [list(p) for p in self.target.points]
        points[self.spec] = [round(x), round(y)]
        self.view.preview_points(self.target.ref, points)
        self.result = points

    def command(self):
        if self.result != [list(p) for p in self.target.points]:
            (x1, y1), (x2, y2) = self.result
            return EditPlan(_("Move dimension end"), {self.target.ref: {"x1": x1, "y1": y1, "x2": x2, "y2": y2}})
        return None


DRAGS = {HandleRole.RESIZE: ResizeDrag, HandleRole.ROTATE: RotateDrag, HandleRole.VERTEX: VertexDrag,
         HandleRole.END: EndDrag}


def begin_drag(tool, target: PlanObject, handle: Handle) -> HandleDrag:
    if target.kind == "wall" and handle.role is HandleRole.VERTEX:
        return WallVertexDrag(tool, target, handle)
    return DRAGS[handle.role](tool, target, handle)
