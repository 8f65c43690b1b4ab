"""Dragging a grip of the single selected object: resize, rotate, a room corner, a dimension
end. Each previews while the mouse moves and pushes one command on release."""

from __future__ import annotations

from typing import Any

from mpp_planner.commands.plan import EditPlan, EditRoomOutline, ResizeObject, RotateObject
from mpp_planner.commands.snap import ROTATION_STEP, resize_box, rotation_towards
from mpp_planner.formats import area as fmt_area
from mpp_planner.i18n import _
from mpp_planner.interaction.draw import outline_ok
from mpp_planner.interaction.tool import State
from mpp_planner.interaction.view import Handle, HandleRole, PlanObject
from mpp_planner.model import geometry


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
        px, py = self.tool.snapped(ev, self.snapper) if rot % 90 == 0 else (ev.x, ev.y)
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
    return DRAGS[handle.role](tool, target, handle)
