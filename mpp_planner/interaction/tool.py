"""The base of every tool: event dispatch, Escape, the drag threshold, snapping a point."""

from __future__ import annotations

from typing import cast

from mpp_planner.commands.snap import Box, Snapper
from mpp_planner.formats import number
from mpp_planner.i18n import _
from mpp_planner.interaction.events import Event, Key, Keys, Mod, Move, Point, Press, Release
from mpp_planner.interaction.view import Cursor, ToolView

DRAG_PX = 4  # a press that moves less than this (pixels on screen) is a click
_EPSILON = 1e-6  # mm: a move of exactly DRAG_PX is a drag whatever the float rounding


def metres(mm: float) -> str:
    return f"{number(mm / 1000.0, 2)} m"


class Tool:
    """A mouse mode over plan mm. Subclasses override ``press``/``move``/``release``/
    ``double_click``/``key_press`` and ``cancel``; ``handle`` routes an event to them."""

    key = ""
    cursor = Cursor.ARROW
    pans = False  # a left drag pans the view (the view does that itself)

    def __init__(self, view: ToolView):
        self.view = view

    def hint(self) -> str:
        return ""

    def activate(self) -> None:
        pass

    def deactivate(self) -> None:
        self.cancel()

    def handle(self, event: Event) -> bool:
        """Deliver one event; True when a key was used. Mouse events are ignored while no
        floor is shown."""
        if isinstance(event, Key):
            return self.key_press(event)
        if self.view.floor_id() is None:
            return False
        if isinstance(event, Press):
            if event.click_count >= 2:
                self.double_click(event)
            else:
                self.press(event)
        elif isinstance(event, Move):
            self.move(event)
        elif isinstance(event, Release):
            self.release(event)
        return False

    def press(self, ev: Press) -> None:
        pass

    def move(self, ev: Move) -> None:
        pass

    def release(self, ev: Release) -> None:
        pass

    def double_click(self, ev: Press) -> None:
        pass

    def cancel(self) -> bool:
        """Drop a gesture in progress; False when there was none."""
        return False

    def key_press(self, ev: Key) -> bool:
        """Escape cancels what is in progress; with nothing in progress, back to the select tool."""
        if ev.name == Keys.ESCAPE:
            if not self.cancel():
                self.view.set_tool("select")
            return True
        return False

    # --- helpers ------------------------------------------------------------------------
    def floor(self) -> int:
        """The floor on screen (the mouse events that make commands come only while there is one)."""
        return cast(int, self.view.floor_id())

    def far(self, a, b) -> bool:
        """Whether the pointer went from ``a`` to ``b`` far enough on screen to be a drag."""
        return abs(b.x - a.x) + abs(b.y - a.y) >= self.view.pixels_to_mm(DRAG_PX) - _EPSILON

    def snap_on(self, modifiers: Mod) -> bool:
        """Snapping is on unless switched off or Alt is held."""
        return self.view.snapping() and Mod.ALT not in modifiers

    def snapped(self, ev, snapper: Snapper, reach: Box | None = None) -> Point:
        """The event's point snapped (or not, see ``snap_on``); shows the guides it lines up with."""
        snapper.enabled = self.snap_on(ev.modifiers)
        r = snapper.point(ev.x, ev.y, reach)
        self.view.show_guides(r.guide_x, r.guide_y)
        return (r.x, r.y)


class PanTool(Tool):
    key = "pan"
    cursor = Cursor.OPEN_HAND
    pans = True

    def hint(self) -> str:
        return _("Drag to move the plan. (Middle button or Space-drag pan with any tool.)")


class State:
    """One phase of a gesture (Sweet Home 3D's controller states): the tool delivers the moves
    and the release to its current state, which previews, pushes, or hands over to another."""

    busy = False  # something to cancel (Escape, a right-click)

    def __init__(self, tool: Tool):
        self.tool = tool
        self.view = tool.view

    def move(self, ev: Move) -> None:
        pass

    def release(self, ev: Release) -> None:
        pass

    def cancel(self) -> None:
        """Take back the preview (the tool returns to its idle state)."""
