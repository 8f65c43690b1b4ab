"""The view protocol: what a tool reads from the plan on screen and what it asks it to show.

The tools in this package own the rules (what a press, a drag, a key means); a ``ToolView``
owns the drawing. ``mpp_planner.qt.plan.tools.SceneToolView`` implements it with scene items;
the tests implement it with plain Python. Everything is in plan millimetres.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Protocol, cast

from mpp_planner.commands import Command
from mpp_planner.commands.snap import Box, Snapper
from mpp_planner.interaction.events import Point
from mpp_planner.model.wall_geometry import OpeningShape, WallShape

Ref = tuple[str, int]  # ("room" | "wall" | "opening" | "counter" | "item" | "annotation", id)


@dataclass(frozen=True)
class PlanObject:
    """A plan object as the view shows it now (before any preview)."""

    ref: Ref
    bounds: Box  # axis-aligned, rotation included
    selected: bool = False
    box: tuple[float, float, float, float, float] | None = None  # x, y, width, depth, rotation (counters, items)
    outline: tuple[Point, ...] | None = None  # a room's corners
    points: tuple[Point, ...] | None = None  # a dimension line's two ends; a wall's polyline (a door's: its wall's)
    thickness: float | None = None  # a wall's (a door's or window's: its wall's)
    opening: OpeningShape | None = None  # a door or window: where it sits in its wall

    @property
    def kind(self) -> str:
        return self.ref[0]

    @property
    def wall(self) -> WallShape:
        """A wall (or the wall of a door or window) as the wall geometry reads it."""
        ident = self.opening.wall_id if self.opening is not None else self.object_id
        return WallShape(ident, self.points or (), self.thickness or 0)

    @property
    def object_id(self) -> int:
        return self.ref[1]


class HandleRole(Enum):
    RESIZE = "resize"  # spec: (sx, sy), the grip's side of the box, each -1, 0 or 1
    ROTATE = "rotate"  # spec: None
    VERTEX = "vertex"  # spec: the room corner's index (a wall's: its point's)
    END = "end"  # spec: the dimension end's index


@dataclass(frozen=True)
class Handle:
    """A grip of the single selected object."""

    role: HandleRole
    spec: tuple[int, int] | int | None = None


class Cursor(Enum):
    ARROW = "arrow"
    CROSS = "cross"
    IBEAM = "ibeam"
    OPEN_HAND = "open_hand"
    MOVE = "move"  # over an object that a drag would move
    POINT = "point"  # over the rotation grip
    SIZE_HOR = "size_hor"
    SIZE_VER = "size_ver"
    SIZE_FDIAG = "size_fdiag"  # top-left to bottom-right
    SIZE_BDIAG = "size_bdiag"


def handle_cursor(handle: Handle) -> Cursor:
    """The pointer shown over a grip."""
    if handle.role is HandleRole.ROTATE:
        return Cursor.POINT
    if handle.role is HandleRole.RESIZE:
        sx, sy = cast(tuple[int, int], handle.spec)
        if not sx:
            return Cursor.SIZE_VER
        if not sy:
            return Cursor.SIZE_HOR
        return Cursor.SIZE_FDIAG if sx == sy else Cursor.SIZE_BDIAG
    return Cursor.CROSS


class ToolView(Protocol):
    """What the tools need from the plan editor on screen."""

    # --- the plan as shown --------------------------------------------------------------
    def floor_id(self) -> int | None:
        """The floor on screen (None: no floor, the tools ignore the mouse)."""

    def has_background(self) -> bool:
        """Whether that floor has a scanned drawing under it."""

    def pick(self, x: float, y: float) -> Handle | PlanObject | None:
        """The grip or pickable object under (x, y), topmost first."""

    def selection(self) -> list[PlanObject]:
        ...

    def objects_in(self, box: Box) -> list[Ref]:
        """Pickable objects lying wholly inside ``box``."""

    def pixels_to_mm(self, px: float) -> float:
        """How many mm ``px`` screen pixels span at the current zoom."""

    def snapping(self) -> bool:
        """Snapping switched on (Alt still frees a single gesture)."""

    def snapper(self, exclude: Iterable[Ref] = (), extra_vertices: Iterable[Point] = ()) -> Snapper:
        """A snapper to the grid and to the edges of the objects on screen but ``exclude``."""

    # --- selection ----------------------------------------------------------------------
    def select(self, refs: Iterable[Ref], extend: bool = False) -> None:
        """Select ``refs`` (added to the selection with ``extend``, else instead of it)."""

    # --- feedback while a gesture is on ---------------------------------------------------
    def show_rubber_band(self, box: Box | None) -> None: ...

    def preview_move(self, refs: Sequence[Ref], dx: float, dy: float) -> None: ...

    def preview_box(self, ref: Ref, x: float, y: float, width: float, depth: float, rotation: float) -> None: ...

    def preview_outline(self, ref: Ref, outline: Sequence[Sequence[float]], ok: bool) -> None: ...

    def preview_points(self, ref: Ref, points: Sequence[Sequence[float]]) -> None: ...

    def clear_preview(self, refs: Iterable[Ref]) -> None:
        """Show these objects as the model has them again."""

    def show_handles(self, on: bool) -> None:
        """Hide the grips during a drag; show them again after."""

    def show_guides(self, x: float | None, y: float | None) -> None:
        """The edge lines a snapped point lines up with (None: none)."""

    def show_outline(self, points: Sequence[Sequence[float]] | None, ok: bool = True) -> None:
        """The room being drawn (None: nothing); ``ok`` False draws it as refused."""

    def show_ghost(self, centre: Point | None, size: tuple[float, float] = (0, 0), label: str = "") -> None:
        """Where a counter or item would land (None: nothing)."""

    def show_measure(self, start: Point | None, end: Point | None = None) -> None:
        """A two-point tool's first point and the line to ``end`` (None: nothing)."""

    # --- walls, doors and windows ---------------------------------------------------------
    def walls(self) -> list[PlanObject]:
        """The walls on the floor shown (with their points and thickness)."""

    def wall_thickness(self) -> int:
        """The thickness a new wall gets (mm), as chosen on the toolbar."""

    def door_kind(self) -> str:
        """The kind of door the door tool places ("door", "double_door", "sliding_door")."""

    def show_wall(self, points: Sequence[Sequence[float]] | None, thickness: float = 0) -> None:
        """The wall being drawn, with the length of its last segment (None: nothing)."""

    def show_opening(self, wall: WallShape | None, opening: OpeningShape | None = None) -> None:
        """Where a door or window would go in ``wall`` (None: nothing)."""

    def preview_opening(self, ref: Ref, offset: float) -> None:
        """A door or window shown slid along its wall to ``offset``."""

    def set_cursor(self, cursor: Cursor) -> None: ...

    def status(self, text: str) -> None:
        """A live figure (size, distance) in the status line."""

    def report(self, text: str, error: bool = True) -> None:
        """A message where the user looks (a refusal, a confirmation)."""

    # --- doing ----------------------------------------------------------------------------
    def push(self, command: Command | Callable[[], Command]) -> bool:
        """Run a command (or build it first: building may refuse); False when refused."""

    def set_tool(self, name: str) -> None: ...

    def edit_object(self, ref: Ref) -> None:
        """A double-click: edit the object (its text in place, or its properties)."""

    def nudge(self, sx: int, sy: int, big: bool) -> bool:
        """Arrow keys: move the selection a step (a run of nudges is one undo step)."""

    def ask_text(self, title: str, label: str) -> str | None: ...

    def ask_distance(self) -> str | None:
        """The real distance between two calibration points, as typed (metres)."""
