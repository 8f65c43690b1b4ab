"""A plain-Python ``ToolView`` for driving the plan tools without Qt, and mouse helpers in mm.

The fake shows a floor of a real project (rooms, counters, items, dimension lines, read
back after every command it runs) or objects a test adds by hand; it picks like the scene
(grips first, then the topmost object), and logs what the tool asked it to show.
"""

from __future__ import annotations

import math
from dataclasses import replace

from sqlalchemy import select

from mpp_planner.commands import Command, History
from mpp_planner.commands.plan import text_box
from mpp_planner.commands.snap import Box, Snapper, edge_lines, rotated_bounds, to_local, to_scene
from mpp_planner.interaction import Button, Handle, HandleRole, Key, Mod, Move, PlanObject, Press, Release
from mpp_planner.model import Annotation, Counter, Floor, InventoryItem, Room, ValidationError, geometry

SCALE = 0.05  # px per mm, as in the GUI tests: 4 px (a drag) = 80 mm, 9 px = 180 mm
GRIP_PX = 8
ROTATE_GRIP_PX = 26
Z_ORDER = {"annotation": 3, "counter": 2, "item": 1, "room": 0}  # topmost first when picking
RESIZE_GRIPS = [(-1, -1), (1, 1), (1, -1), (-1, 1), (0, -1), (0, 1), (-1, 0), (1, 0)]


def room(ident: int, outline) -> PlanObject:
    outline = tuple(tuple(p) for p in outline)
    return PlanObject(("room", ident), Box.around(outline), outline=outline)


def box(kind: str, ident: int, x, y, width=1800, depth=800, rotation=0.0) -> PlanObject:
    return PlanObject((kind, ident), rotated_bounds(x, y, width, depth, rotation), box=(x, y, width, depth, rotation))


def dimension(ident: int, a, b) -> PlanObject:
    points = (tuple(a), tuple(b))
    return PlanObject(("annotation", ident), Box.around(points), points=points)


class FakeView:
    """What the Qt scene does for a tool, in plain Python."""

    def __init__(self, project=None, scale: float = SCALE, background: bool = False):
        self.project = project
        self.history = History(project) if project is not None else None
        self.floor = project.all(Floor)[0].id if project is not None else 1
        self.scale = scale
        self.background = background
        self.snapping_on = True
        self.grid = 100
        self.objects: dict = {}
        self.selected: list = []
        self.calls: list[tuple] = []  # every preview, cursor, status... the tool asked for
        self.pushed: list[Command] = []  # commands that ran
        self.refused: list = []
        self.messages: list[tuple[str, bool]] = []
        self.answers = {"text": None, "distance": None}
        self.tool = None  # the tool the tool asked for
        self.handles_on = True
        self.band = self.outline = self.ghost = self.measure = None
        self.guides = (None, None)
        self.previews: dict = {}
        if project is not None:
            self.load()

    # --- the fake's own plan ------------------------------------------------------------
    def add(self, *objects: PlanObject) -> None:
        for obj in objects:
            self.objects[obj.ref] = obj

    def load(self) -> None:
        """Read the floor back from the model, as the scene does after a change."""
        s, fid = self.project.session, self.floor
        self.objects = {}
        for r in s.scalars(select(Room).where(Room.floor_id == fid)):
            self.add(room(r.id, r.outline))
        for c in s.scalars(select(Counter).where(Counter.floor_id == fid)):
            self.add(box("counter", c.id, c.x, c.y, c.width, c.depth, c.rotation))
        for i in s.scalars(select(InventoryItem).where(InventoryItem.floor_id == fid, InventoryItem.x.is_not(None))):
            self.add(box("item", i.id, i.x, i.y, i.plan_width, i.plan_depth, i.rotation))
        for a in s.scalars(select(Annotation).where(Annotation.floor_id == fid)):
            if a.kind == "dimension":
                self.add(dimension(a.id, (a.x1, a.y1), (a.x2, a.y2)))
            else:
                self.add(PlanObject(("annotation", a.id), text_box(a.x1, a.y1, a.text, a.font_size)))
        self.selected = [r for r in self.selected if r in self.objects]

    def grips(self) -> list[tuple[Handle, tuple[float, float]]]:
        """The grips of the single selected object, where the scene draws them."""
        if not self.handles_on or len(self.selected) != 1:
            return []
        obj = self.objects[self.selected[0]]
        if obj.box is not None:
            x, y, w, d, rot = obj.box
            out = [(Handle(HandleRole.RESIZE, s), to_scene(x, y, rot, s[0] * w / 2, s[1] * d / 2))
                   for s in RESIZE_GRIPS]
            off = ROTATE_GRIP_PX / self.scale
            return out + [(Handle(HandleRole.ROTATE), to_scene(x, y, rot, 0, -d / 2 - off))]
        if obj.outline is not None:
            return [(Handle(HandleRole.VERTEX, i), p) for i, p in enumerate(obj.outline)]
        if obj.points is not None:
            return [(Handle(HandleRole.END, i), p) for i, p in enumerate(obj.points)]
        return []

    def _under(self, obj: PlanObject, x, y) -> bool:
        if obj.box is not None:
            cx, cy, w, d, rot = obj.box
            lx, ly = to_local(cx, cy, rot, x, y)
            return abs(lx) <= w / 2 and abs(ly) <= d / 2
        if obj.outline is not None:
            return geometry.point_in_polygon(x, y, obj.outline)
        if obj.points is None:  # a text label
            b = obj.bounds
            return b.left <= x <= b.right and b.top <= y <= b.bottom
        (x1, y1), (x2, y2) = obj.points
        length = math.hypot(x2 - x1, y2 - y1) or 1
        t = max(0.0, min(1.0, ((x - x1) * (x2 - x1) + (y - y1) * (y2 - y1)) / length ** 2))
        return math.hypot(x - x1 - t * (x2 - x1), y - y1 - t * (y2 - y1)) <= 150

    def _shown(self, ref) -> PlanObject:
        return replace(self.objects[ref], selected=ref in self.selected)

    # --- ToolView: the plan as shown ----------------------------------------------------
    def floor_id(self):
        return self.floor

    def has_background(self) -> bool:
        return self.background

    def pick(self, x, y):
        for handle, (hx, hy) in self.grips():
            if abs(hx - x) + abs(hy - y) <= GRIP_PX / self.scale:
                return handle
        stack = sorted(enumerate(self.objects.values()), key=lambda t: (-Z_ORDER[t[1].kind], -t[0]))
        for _i, obj in stack:  # of the same kind, the one added last is on top
            if self._under(obj, x, y):
                return self._shown(obj.ref)
        return None

    def selection(self) -> list[PlanObject]:
        return [self._shown(r) for r in self.selected]

    def objects_in(self, band: Box) -> list:
        return [o.ref for o in self.objects.values() if band.left <= o.bounds.left and o.bounds.right <= band.right
                and band.top <= o.bounds.top and o.bounds.bottom <= band.bottom]

    def pixels_to_mm(self, px: float) -> float:
        return px / self.scale

    def snapping(self) -> bool:
        return self.snapping_on

    def snapper(self, exclude=(), extra_vertices=()) -> Snapper:
        boxes, outlines = [], []
        for ref, obj in self.objects.items():
            if ref in set(exclude):
                continue
            if obj.outline is not None:
                outlines.append(obj.outline)
            else:
                boxes.append(obj.bounds)
        xs, ys = edge_lines(boxes, (), outlines, aligned=[tuple(p) for p in extra_vertices])
        return Snapper(grid=self.grid, xs=xs, ys=ys, tolerance=GRIP_PX / self.scale, enabled=self.snapping_on)

    # --- ToolView: selection ------------------------------------------------------------
    def select(self, refs, extend: bool = False) -> None:
        refs = [tuple(r) for r in refs]
        self.calls.append(("select", refs, extend))
        if not extend:
            self.selected = []
        self.selected += [r for r in refs if r in self.objects and r not in self.selected]

    # --- ToolView: feedback -------------------------------------------------------------
    def show_rubber_band(self, band) -> None:
        self.calls.append(("rubber_band", band))
        self.band = band

    def preview_move(self, refs, dx, dy) -> None:
        self.calls.append(("preview_move", list(refs), dx, dy))
        for ref in refs:
            self.previews[ref] = ("offset", dx, dy)

    def preview_box(self, ref, x, y, width, depth, rotation) -> None:
        self.calls.append(("preview_box", ref, (x, y, width, depth, rotation)))
        self.previews[ref] = ("box", (x, y, width, depth, rotation))

    def preview_outline(self, ref, outline, ok) -> None:
        self.calls.append(("preview_outline", ref, [list(p) for p in outline], ok))
        self.previews[ref] = ("outline", [list(p) for p in outline], ok)

    def preview_points(self, ref, points) -> None:
        self.calls.append(("preview_points", ref, [list(p) for p in points]))
        self.previews[ref] = ("points", [list(p) for p in points])

    def clear_preview(self, refs) -> None:
        refs = list(refs)
        self.calls.append(("clear_preview", refs))
        for ref in refs:
            self.previews.pop(ref, None)

    def show_handles(self, on: bool) -> None:
        self.calls.append(("handles", on))
        self.handles_on = on

    def show_guides(self, x, y) -> None:
        self.guides = (x, y)

    def show_outline(self, points, ok: bool = True) -> None:
        self.calls.append(("outline", None if points is None else [list(p) for p in points], ok))
        self.outline = None if points is None else ([list(p) for p in points], ok)

    def show_ghost(self, centre, size=(0, 0), label: str = "") -> None:
        self.calls.append(("ghost", centre, size, label))
        self.ghost = None if centre is None else (centre, tuple(size), label)

    def show_measure(self, start, end=None) -> None:
        self.calls.append(("measure", start, end))
        self.measure = None if start is None else (start, end)

    def set_cursor(self, cursor) -> None:
        self.calls.append(("cursor", cursor))

    def status(self, text: str) -> None:
        self.calls.append(("status", text))

    def report(self, text: str, error: bool = True) -> None:
        self.messages.append((text, error))

    # --- ToolView: doing ----------------------------------------------------------------
    def push(self, command) -> bool:
        """As the editor does: build, run, and on refusal report why (nothing changes)."""
        try:
            cmd = command if isinstance(command, Command) else command()
            if self.history is not None:
                self.history.push(cmd)
        except ValidationError as exc:
            self.refused.append(command)
            self.report(exc.message)
            return False
        except (LookupError, ValueError) as exc:
            self.refused.append(command)
            self.report(str(exc))
            return False
        self.pushed.append(cmd)
        if self.project is not None:
            self.load()
        return True

    def set_tool(self, name: str) -> None:
        self.tool = name

    def edit_object(self, ref) -> None:
        self.calls.append(("edit", ref))

    def nudge(self, sx: int, sy: int, big: bool) -> bool:
        self.calls.append(("nudge", sx, sy, big))
        return True

    def ask_text(self, title: str, label: str):
        return self.answers["text"]

    def ask_distance(self):
        return self.answers["distance"]

    # --- reading the log ----------------------------------------------------------------
    def asked(self, name: str) -> list[tuple]:
        return [c[1:] for c in self.calls if c[0] == name]


# --- the mouse, in plan mm (as tests/qt/plan_helpers does with pixels) ------------------------

def press(tool, x, y, mods=Mod.NONE):
    tool.handle(Press(x, y, Button.LEFT, mods))


def move(tool, x, y, mods=Mod.NONE, buttons=Button.LEFT):
    tool.handle(Move(x, y, buttons, mods))


def release(tool, x, y, mods=Mod.NONE):
    tool.handle(Release(x, y, Button.LEFT, mods))


def click(tool, x, y, mods=Mod.NONE):
    press(tool, x, y, mods)
    release(tool, x, y, mods)


def double_click(tool, x, y):
    click(tool, x, y)
    tool.handle(Press(x, y, Button.LEFT, Mod.NONE, click_count=2))
    release(tool, x, y)


def drag(tool, start, end, mods=Mod.NONE, steps=4):
    press(tool, *start, mods)
    for i in range(1, steps + 1):
        move(tool, start[0] + (end[0] - start[0]) * i / steps, start[1] + (end[1] - start[1]) * i / steps, mods)
    release(tool, *end, mods)


def key(tool, name, mods=Mod.NONE) -> bool:
    return tool.handle(Key(name, mods))
