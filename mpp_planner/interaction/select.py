"""The select tool: click, Shift/Ctrl-click and rubber-band selection; a drag moves the
selection; grips resize, rotate and reshape; arrow keys nudge.

Rules worth knowing: a press inside a room that is not selected only selects it on release,
and a drag from there is a rubber band, so a room is never moved by accident while picking
what stands in it (a room moves once selected). A press that moves less than ``DRAG_PX``
pixels is a click and pushes nothing. A door or window dragged alone slides along its wall
(``walls.SlideOpening``); a wall's doors and windows move with it.

The keyboard alone does the same: Tab and Shift+Tab walk the selection through the floor's
objects (:func:`tab_order`), arrows move it a grid step (:func:`nudge_step`), Enter opens the
selected object as a double-click does, Escape clears the selection.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from mpp_planner.commands.plan import MoveObjects
from mpp_planner.commands.snap import Box
from mpp_planner.i18n import _
from mpp_planner.interaction.events import Key, Keys, Mod, Press
from mpp_planner.interaction.handles import begin_drag
from mpp_planner.interaction.tool import State, Tool, metres
from mpp_planner.interaction.view import Cursor, Handle, PlanObject, Ref, handle_cursor
from mpp_planner.interaction.walls import SlideOpening

NUDGES = {Keys.LEFT: (-1, 0), Keys.RIGHT: (1, 0), Keys.UP: (0, -1), Keys.DOWN: (0, 1)}
#: the order Tab visits the kinds of object in (walls and their openings come after the rooms)
TAB_KINDS = ("room", "wall", "opening", "counter", "item", "annotation")
FINE_NUDGE_MM = 10  # an arrow key's step with snapping off
BIG_NUDGE = 10  # Shift+arrow: this many steps at once


def tab_order(objects: Iterable[PlanObject]) -> list[Ref]:
    """The order Tab visits the floor's objects in: rooms, (walls, openings,) counters, items and
    annotations, each kind by position — top to bottom, then left to right (by centre)."""
    def key(o: PlanObject):
        rank = TAB_KINDS.index(o.kind) if o.kind in TAB_KINDS else len(TAB_KINDS)
        return (rank, round(o.bounds.cy), round(o.bounds.cx), o.object_id)

    return [o.ref for o in sorted(objects, key=key)]


def next_in_order(order: Sequence[Ref], selected: Iterable[Ref], backwards: bool = False) -> Ref | None:
    """The object Tab (or Shift+Tab, ``backwards``) selects next: the one after the last selected
    (before the first), round the end; with nothing selected the first (the last). None: no objects."""
    if not order:
        return None
    index = {ref: i for i, ref in enumerate(order)}
    at = sorted(index[r] for r in selected if r in index)
    if not at:
        return order[-1] if backwards else order[0]
    return order[(at[0] - 1) % len(order)] if backwards else order[(at[-1] + 1) % len(order)]


def nudge_step(grid: float | None, snapping: bool, big: bool) -> int:
    """How far an arrow key moves the selection (mm): a grid step (10 mm with snapping off or no grid);
    with Shift, ten steps."""
    step = round(grid) if snapping and grid and grid > 0 else FINE_NUDGE_MM
    return step * (BIG_NUDGE if big else 1)


def band_box(a, b) -> Box:
    return Box(min(a.x, b.x), min(a.y, b.y), max(a.x, b.x), max(a.y, b.y))


class SelectState(State):
    tool: SelectTool


class Idle(SelectState):
    """Nothing pressed: the pointer shows what a press would do."""

    def move(self, ev) -> None:
        hit = self.view.pick(ev.x, ev.y)
        if isinstance(hit, Handle):
            cursor = handle_cursor(hit)
        elif hit is not None:
            cursor = Cursor.MOVE
        else:
            cursor = self.tool.cursor
        self.view.set_cursor(cursor)


class Pending(SelectState):
    """Pressed on a selected object: a click, or the start of a move once the pointer goes
    far enough. A click on one of several selected objects keeps only that one."""

    def __init__(self, tool, press: Press, reselect: PlanObject | None = None):
        super().__init__(tool)
        self.press = press
        self.reselect = reselect

    def move(self, ev) -> None:
        if self.tool.far(self.press, ev):
            selection = self.view.selection()
            if len(selection) == 1 and selection[0].opening is not None:  # a door or window: along its wall
                self.tool.state = SlideOpening(self.tool, self.press, selection[0])
            else:
                self.tool.state = Moving(self.tool, self.press)
            self.tool.state.move(ev)

    def release(self, ev) -> None:
        if self.reselect is not None:
            self.view.select([self.reselect.ref])


class OnRoom(SelectState):
    """Pressed inside a room that is not selected: a click selects it, a drag is a rubber band."""

    def __init__(self, tool, press: Press, room: PlanObject):
        super().__init__(tool)
        self.press = press
        self.room = room

    def move(self, ev) -> None:
        if self.tool.far(self.press, ev):
            self.tool.state = Banding(self.tool, self.press, extend=False)
            self.tool.state.move(ev)

    def release(self, ev) -> None:
        self.view.select([self.room.ref])


class Moving(SelectState):
    """Dragging the selection: a snapped preview, one MoveObjects on release."""

    busy = True

    def __init__(self, tool, press: Press):
        super().__init__(tool)
        self.press = press
        selection = self.view.selection()
        self.refs = [o.ref for o in selection]
        self.box = Box.union(o.bounds for o in selection)
        self.snapper = self.view.snapper(exclude=set(self.refs))
        self.view.show_handles(False)
        self.delta = (0, 0)

    def move(self, ev) -> None:
        self.snapper.enabled = self.tool.snap_on(ev.modifiers)
        r = self.snapper.move(self.box, ev.x - self.press.x, ev.y - self.press.y)
        self.delta = (round(r.x), round(r.y))
        self.view.preview_move(self.refs, r.x, r.y)
        self.view.show_guides(r.guide_x, r.guide_y)
        self.view.status(_("Move by {dx}, {dy}").format(dx=metres(r.x), dy=metres(r.y)))

    def release(self, ev) -> None:
        dx, dy = self.delta
        if not (dx or dy) or not self.view.push(MoveObjects(self.refs, dx, dy)):
            self.view.clear_preview(self.refs)
        self.view.show_handles(True)
        self.view.status("")

    def cancel(self) -> None:
        self.view.clear_preview(self.refs)
        self.view.show_handles(True)


class Banding(SelectState):
    """A rubber band: on release, what lies wholly inside is selected (added to the selection
    before the press with Shift/Ctrl). A band too small to be a drag selects nothing."""

    busy = True

    def __init__(self, tool, press: Press, extend: bool):
        super().__init__(tool)
        self.press = press
        self.extend = extend
        if not extend:
            self.view.select([])
        self.before = [o.ref for o in self.view.selection()]

    def move(self, ev) -> None:
        self.view.show_rubber_band(band_box(self.press, ev))

    def release(self, ev) -> None:
        self.view.show_rubber_band(None)
        if self.tool.far(self.press, ev):
            inside = self.view.objects_in(band_box(self.press, ev))
            self.view.select((self.before if self.extend else []) + inside)

    def cancel(self) -> None:
        self.view.show_rubber_band(None)


class SelectTool(Tool):
    key = "select"

    def __init__(self, view):
        super().__init__(view)
        self.state: State = Idle(self)

    def hint(self) -> str:
        return _("Click to select, Shift/Ctrl-click to add, drag a box around objects; drag the selection to "
                 "move it (a room once selected). Keys: Tab picks the next object, arrows move (Shift: 10×), "
                 "Enter edits.")

    def press(self, ev: Press) -> None:
        if self.state.busy:
            self.cancel()
        extend = bool(ev.modifiers & (Mod.SHIFT | Mod.CTRL))
        hit = self.view.pick(ev.x, ev.y)
        if isinstance(hit, Handle):
            self.state = begin_drag(self, self.view.selection()[0], hit)
        elif hit is None:
            self.state = Banding(self, ev, extend)
        elif extend:  # Shift/Ctrl toggles; a press that leaves it selected may still move
            current = [o.ref for o in self.view.selection()]
            if hit.selected:
                self.view.select([r for r in current if r != hit.ref])
                self.state = Idle(self)
            else:
                self.view.select([hit.ref], extend=True)
                self.state = Pending(self, ev)
        elif hit.kind == "room" and not hit.selected:
            self.state = OnRoom(self, ev, hit)
        elif hit.selected:
            several = len(self.view.selection()) > 1
            self.state = Pending(self, ev, reselect=hit if several else None)
        else:
            self.view.select([hit.ref])
            self.state = Pending(self, ev)

    def move(self, ev) -> None:
        self.state.move(ev)

    def release(self, ev) -> None:
        state, self.state = self.state, Idle(self)
        self.view.show_guides(None, None)
        state.release(ev)

    def double_click(self, ev) -> None:
        hit = self.view.pick(ev.x, ev.y)
        if isinstance(hit, PlanObject):
            self.view.edit_object(hit.ref)

    def cancel(self) -> bool:
        state, self.state = self.state, Idle(self)
        state.cancel()
        self.view.show_guides(None, None)
        return state.busy

    def key_press(self, ev: Key) -> bool:
        """Arrows nudge (Shift: ten times as far); Enter edits the selected object (the first of
        several) as a double-click does; Escape cancels a gesture, else clears the selection."""
        if ev.name in NUDGES and isinstance(self.state, Idle):
            sx, sy = NUDGES[Keys(ev.name)]
            self.view.nudge(sx, sy, Mod.SHIFT in ev.modifiers)
            return True
        if ev.name == Keys.ENTER and isinstance(self.state, Idle):
            selection = self.view.selection()
            if not selection:
                return False
            self.view.edit_object(selection[0].ref)
            return True
        if ev.name == Keys.ESCAPE:
            if not self.cancel():
                self.view.select([])
            return True
        return False

    def cycle(self, objects: Iterable[PlanObject], backwards: bool = False) -> Ref | None:
        """Tab (Shift+Tab: ``backwards``): select the next of ``objects`` (the pickable objects on the
        floor, as shown) in :func:`tab_order`. Nothing happens during a gesture. Returns what is
        selected now, or None."""
        if self.state.busy:
            return None
        objects = list(objects)
        ref = next_in_order(tab_order(objects), [o.ref for o in objects if o.selected], backwards)
        if ref is not None:
            self.view.select([ref])
        return ref
