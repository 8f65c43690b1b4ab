"""Placing things with a click: counters, catalog items (a ghost box shows where they land,
snapped) and text labels. The tool stays on for the next one."""

from __future__ import annotations

from mpp_planner.commands.plan import DEFAULT_COUNTER_SIZE, AddAnnotation, PlaceCounter, PlaceItem
from mpp_planner.commands.snap import Box
from mpp_planner.i18n import _
from mpp_planner.interaction.tool import Tool
from mpp_planner.interaction.view import Cursor


class PlaceTool(Tool):
    """Shows where the new object lands, snapped; a click places it and selects it."""

    cursor = Cursor.CROSS

    def __init__(self, view):
        super().__init__(view)
        self._snapper = None

    def size(self) -> tuple[int, int]:
        raise NotImplementedError

    def label(self) -> str:
        return ""

    def make(self, x: int, y: int):
        raise NotImplementedError

    def centre(self, ev) -> tuple[int, int]:
        """Where the object's centre lands: its edges or centre snapped like a moved box."""
        if self._snapper is None:
            self._snapper = self.view.snapper()
        self._snapper.enabled = self.snap_on(ev.modifiers)
        w, d = self.size()
        r = self._snapper.move(Box(ev.x - w / 2, ev.y - d / 2, ev.x + w / 2, ev.y + d / 2), 0, 0)
        self.view.show_guides(r.guide_x, r.guide_y)
        return round(ev.x + r.x), round(ev.y + r.y)

    def move(self, ev) -> None:
        self.view.show_ghost(self.centre(ev), self.size(), self.label())

    def release(self, ev) -> None:
        cmd = self.make(*self.centre(ev))
        if self.view.push(cmd):
            self.view.select(cmd.created)
        self._snapper = None  # the new object is something to line up with
        self.view.show_guides(None, None)

    def deactivate(self) -> None:
        self.view.show_ghost(None)
        self._snapper = None
        self.view.show_guides(None, None)


class PlaceCounterTool(PlaceTool):
    key = "counter"

    def hint(self) -> str:
        return _("Click to place a counter (1.80 × 0.80 m); it gets the floor's next number.")

    def size(self):
        return DEFAULT_COUNTER_SIZE

    def label(self) -> str:
        return _("Counter")

    def make(self, x, y):
        return PlaceCounter(self.floor(), x, y)


class PlaceItemTool(PlaceTool):
    """A catalog item; the model puts it in the inventory of the room under it."""

    key = "item"

    def __init__(self, view, item_type_id: int, name: str, width: int, depth: int):
        super().__init__(view)
        self.item_type_id, self.name, self.width, self.depth = item_type_id, name, width, depth

    def hint(self) -> str:
        return _("Click to place “{name}”; it joins the inventory of the room under it.").format(name=self.name)

    def size(self):
        return (self.width, self.depth)

    def label(self) -> str:
        return self.name

    def make(self, x, y):
        return PlaceItem(self.floor(), self.item_type_id, x, y)


class TextTool(Tool):
    """A click asks for the text; the label is centred on the snapped point."""

    key = "text"
    cursor = Cursor.IBEAM

    def hint(self) -> str:
        return _("Click where the text label goes.")

    def release(self, ev) -> None:
        snapper = self.view.snapper()
        snapper.enabled = self.snap_on(ev.modifiers)
        p = snapper.point(ev.x, ev.y)
        text = self.view.ask_text(_("Text label"), _("Text:"))
        if text is None or not text.strip():
            return
        floor_id = self.floor()
        made = []

        def make():
            made.append(AddAnnotation(floor_id, "text", round(p.x), round(p.y), text=text.strip()))
            return made[0]

        if self.view.push(make):
            self.view.select(made[0].created)
