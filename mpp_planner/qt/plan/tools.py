"""The plan tools on the Qt side: they convert the view's mouse and key events into the plain
events of ``mpp_planner.interaction`` (where each tool's rules live, over plan millimetres),
and show what a tool asks for with scene items (previews, ghost boxes, markers, cursors; the wall
being drawn and the door being placed). With the select tool, the wall, door or window under the
pointer is outlined.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt

from mpp_planner.interaction import TOOLS as RULES
from mpp_planner.interaction import Button, Cursor, Handle, HandleRole, Key, Keys, Mod, Move, PlanObject, Press, Release
from mpp_planner.qt.plan.items import BoxItem, DimensionItem, GhostBox, HandleItem, MarkerItem, PreviewPolygon, RoomItem
from mpp_planner.qt.plan.wall_items import OpeningGhost, OpeningItem, WallItem, WallPreview

KEYS = {Qt.Key_Escape: Keys.ESCAPE, Qt.Key_Return: Keys.ENTER, Qt.Key_Enter: Keys.ENTER,
        Qt.Key_Backspace: Keys.BACKSPACE, Qt.Key_Left: Keys.LEFT, Qt.Key_Right: Keys.RIGHT, Qt.Key_Up: Keys.UP,
        Qt.Key_Down: Keys.DOWN}
MODIFIERS = ((Qt.ShiftModifier, Mod.SHIFT), (Qt.ControlModifier, Mod.CTRL), (Qt.AltModifier, Mod.ALT),
             (Qt.MetaModifier, Mod.META))
BUTTONS = ((Qt.LeftButton, Button.LEFT), (Qt.MiddleButton, Button.MIDDLE), (Qt.RightButton, Button.RIGHT))
CURSORS = {Cursor.ARROW: Qt.ArrowCursor, Cursor.CROSS: Qt.CrossCursor, Cursor.IBEAM: Qt.IBeamCursor,
           Cursor.OPEN_HAND: Qt.OpenHandCursor, Cursor.MOVE: Qt.SizeAllCursor, Cursor.POINT: Qt.PointingHandCursor,
           Cursor.SIZE_HOR: Qt.SizeHorCursor, Cursor.SIZE_VER: Qt.SizeVerCursor,
           Cursor.SIZE_FDIAG: Qt.SizeFDiagCursor, Cursor.SIZE_BDIAG: Qt.SizeBDiagCursor}


def modifiers(qt_modifiers) -> Mod:
    out = Mod.NONE
    for qt, mod in MODIFIERS:
        if qt_modifiers & qt:
            out |= mod
    return out


def buttons(qt_buttons) -> Button:
    out = Button.NONE
    for qt, button in BUTTONS:
        if qt_buttons & qt:
            out |= button
    return out


def snapshot(item) -> PlanObject:
    """What the interaction layer knows of a plan item: its model values, not its preview."""
    if isinstance(item, WallItem):
        return PlanObject(item.ref, item.model_box, item.isSelected(), points=tuple(tuple(p) for p in item.points),
                          thickness=item.thickness)
    if isinstance(item, OpeningItem):  # with its wall: it slides along it
        return PlanObject(item.ref, item.model_box, item.isSelected(),
                          points=tuple(tuple(p) for p in item.wall.points), thickness=item.wall.thickness,
                          opening=item.opening)
    return PlanObject(item.ref, item.model_box, item.isSelected(),
                      box=item.box if isinstance(item, BoxItem) else None,
                      outline=tuple(tuple(p) for p in item.outline) if isinstance(item, RoomItem) else None,
                      points=tuple(tuple(p) for p in item.points) if isinstance(item, DimensionItem) else None)


def _remove(item) -> None:
    try:
        if item is not None and item.scene() is not None:
            item.scene().removeItem(item)
    except RuntimeError:  # its scene was cleared (a reload) and took it along
        pass


def _polygon(points) -> list:
    return [tuple(p) for p in points]


class SceneToolView:
    """``interaction.ToolView`` over the editor, its view and the current floor's scene. Each
    tool has its own, holding that tool's preview items."""

    def __init__(self, editor):
        self.editor = editor
        self.band: PreviewPolygon | None = None  # a rubber band
        self.preview: PreviewPolygon | None = None  # a room being drawn
        self.ghost: GhostBox | None = None
        self.marker: MarkerItem | None = None
        self.line: PreviewPolygon | None = None
        self.wall: WallPreview | None = None  # a wall being drawn
        self.opening: OpeningGhost | None = None  # where a door or window would go
        self.picked = None  # the item the last pick found (the select tool outlines a wall under the pointer)
        self._moving: tuple[list, list] = ([], [])  # refs and their items during a move
        self._walls: tuple[tuple, list[PlanObject]] = ((), [])  # (scene, its walls' version), the walls

    @property
    def scene(self):
        return self.editor.scene

    def _add(self, item):
        self.scene.addItem(item)
        return item

    # --- the plan as shown --------------------------------------------------------------
    def floor_id(self):
        return self.editor.floor_id

    def has_background(self) -> bool:
        return self.scene is not None and self.scene.background is not None

    def pick(self, x, y):
        hit = self.picked = self.editor.hit(QPointF(x, y))
        if isinstance(hit, HandleItem):
            return Handle(HandleRole(hit.role), hit.spec)
        return snapshot(hit) if hit is not None else None

    def selection(self) -> list[PlanObject]:
        scene = self.scene
        return [snapshot(i) for i in scene.selected_plan_items()] if scene is not None else []

    def objects_in(self, box) -> list:
        scene = self.scene
        rect = QRectF(box.left, box.top, box.width, box.height)
        return [i.ref for i in scene.items(rect, Qt.ContainsItemShape) if scene.pickable(i)]

    def pixels_to_mm(self, px: float) -> float:
        return px / max(self.editor.view.current_scale(), 1e-9)

    def snapping(self) -> bool:
        return self.editor.snapping

    def snapper(self, exclude=(), extra_vertices=()):
        return self.editor.snapper(exclude=exclude, extra_vertices=extra_vertices)

    # --- selection ----------------------------------------------------------------------
    def select(self, refs, extend: bool = False) -> None:
        if self.scene is not None:
            self.scene.select_refs(list(refs), add=extend)

    # --- feedback -----------------------------------------------------------------------
    def _items(self, refs) -> list:
        """The items of ``refs``, and the doors and windows of the walls among them (they move along)."""
        if self._moving[0] is not refs:  # a drag asks for the same refs at every move
            scene = self.scene
            items = [i for i in map(scene.item_for, refs) if i is not None]
            walls = [i.object_id for i in items if isinstance(i, WallItem)]
            items += [i for i in scene.openings_of(walls) if i not in items] if walls else []
            self._moving = (refs, items)
        return self._moving[1]

    def show_rubber_band(self, box) -> None:
        if box is None:
            _remove(self.band)
            self.band = None
            return
        if self.band is None:
            self.band = self._add(PreviewPolygon(closed=True, show_area=False))
        self.band.set_points([(box.left, box.top), (box.right, box.top), (box.right, box.bottom),
                              (box.left, box.bottom)])

    def preview_move(self, refs, dx, dy) -> None:
        for item in self._items(refs):
            item.set_preview_offset(dx, dy)

    def preview_box(self, ref, x, y, width, depth, rotation) -> None:
        self.scene.item_for(ref).set_box(x, y, width, depth, rotation)

    def preview_outline(self, ref, outline, ok) -> None:
        self.scene.item_for(ref).set_preview_outline(outline, ok)

    def preview_points(self, ref, points) -> None:
        self.scene.item_for(ref).set_preview_points(points)

    def clear_preview(self, refs) -> None:
        scene = self.scene
        items = [scene.item_for(ref) for ref in refs] if scene is not None else []
        walls = [i.object_id for i in items if isinstance(i, WallItem)]
        for item in items + (scene.openings_of(walls) if walls else []):
            if item is not None:
                item.clear_preview()
        self._moving = ([], [])

    def show_handles(self, on: bool) -> None:
        if self.scene is not None:
            self.scene.set_handles_enabled(on)
        self._moving = ([], [])

    def show_guides(self, x, y) -> None:
        if self.scene is not None:
            self.scene.set_guides(x, y)

    def show_outline(self, points, ok: bool = True) -> None:
        if points is None:
            _remove(self.preview)
            self.preview = None
            return
        if self.preview is None:
            self.preview = self._add(PreviewPolygon())
        self.preview.set_points(_polygon(points), ok)

    def show_ghost(self, centre, size=(0, 0), label: str = "") -> None:
        if centre is None:
            _remove(self.ghost)
            self.ghost = None
            return
        if self.ghost is None or self.ghost.scene() is not self.scene:
            self.ghost = self._add(GhostBox(size[0], size[1], label))
        self.ghost.setPos(QPointF(*centre))

    def show_measure(self, start, end=None) -> None:
        if start is None:
            _remove(self.marker)
            _remove(self.line)
            self.marker = self.line = None
            return
        if self.marker is None or self.line is None:
            self.marker = self._add(MarkerItem(QPointF(*start)))
            self.line = self._add(PreviewPolygon(closed=False, show_area=True))
        self.marker.setPos(QPointF(*start))
        self.line.set_points([start, end] if end is not None else [])

    # --- walls, doors and windows ----------------------------------------------------------
    def walls(self) -> list[PlanObject]:
        """The floor's walls, read again only after they changed (a door tool asks at every move)."""
        scene = self.scene
        if scene is None:
            return []
        if self._walls[0] != (id(scene), scene.walls_version):
            self._walls = ((id(scene), scene.walls_version),
                           [snapshot(i) for i in scene.items_by_key.values() if isinstance(i, WallItem)])
        return self._walls[1]

    def wall_thickness(self) -> int:
        return self.editor.wall_thickness

    def door_kind(self) -> str:
        return self.editor.door_kind

    def show_wall(self, points, thickness: float = 0) -> None:
        if points is None:
            _remove(self.wall)
            self.wall = None
            return
        if self.wall is None or self.wall.scene() is not self.scene:
            self.wall = self._add(WallPreview())
        self.wall.set_wall(points, thickness)

    def show_opening(self, wall, opening=None) -> None:
        if wall is None or opening is None:
            _remove(self.opening)
            self.opening = None
            return
        if self.opening is None or self.opening.scene() is not self.scene:
            self.opening = self._add(OpeningGhost())
        self.opening.set_opening(wall, opening)

    def preview_opening(self, ref, offset: float) -> None:
        self.scene.item_for(ref).set_preview_along(offset)

    def set_cursor(self, cursor: Cursor) -> None:
        self.editor.view.viewport().setCursor(CURSORS[cursor])

    def status(self, text: str) -> None:
        self.editor.show_status(text)

    def report(self, text: str, error: bool = True) -> None:
        self.editor.report(text, error)

    # --- doing --------------------------------------------------------------------------
    def push(self, command) -> bool:
        return self.editor.push(command)

    def set_tool(self, name: str) -> None:
        self.editor.set_tool(name)

    def edit_object(self, ref) -> None:
        item = self.scene.item_for(ref) if self.scene is not None else None
        if item is not None:
            self.editor.edit_object(item)

    def nudge(self, sx: int, sy: int, big: bool) -> bool:
        return self.editor.nudge(sx, sy, big)

    def ask_text(self, title: str, label: str):
        return self.editor.ask_text(title, label)

    def ask_distance(self):
        return self.editor.ask_distance()


class PlanTool:
    """One tool of ``mpp_planner.interaction`` in the plan view: the view delivers its
    ``ToolEvent``s and key events here; they go on to the tool in plan mm."""

    key = property(lambda self: self.rules.key)
    pans = property(lambda self: self.rules.pans)
    cursor = property(lambda self: CURSORS[self.rules.cursor])
    preview = property(lambda self: self.screen.preview)  # what a test may look at
    ghost = property(lambda self: self.screen.ghost)

    def __init__(self, editor, rules, *args):
        """``rules``: a tool class of ``mpp_planner.interaction`` or its key ("select")."""
        self.screen = SceneToolView(editor)
        self.rules = (RULES[rules] if isinstance(rules, str) else rules)(self.screen, *args)

    def hint(self) -> str:
        return self.rules.hint()

    def activate(self) -> None:
        self.rules.activate()

    def deactivate(self) -> None:
        self.rules.deactivate()
        if self.screen.scene is not None:
            self.screen.scene.show_hover(None)

    def cancel(self) -> bool:
        return self.rules.cancel()

    def press(self, ev) -> None:
        self.rules.handle(Press(ev.pos.x(), ev.pos.y(), buttons(ev.button), modifiers(ev.modifiers)))

    def double_click(self, ev) -> None:
        self.rules.handle(Press(ev.pos.x(), ev.pos.y(), buttons(ev.button), modifiers(ev.modifiers), 2))

    def move(self, ev) -> None:
        self.screen.picked = None
        self.rules.handle(Move(ev.pos.x(), ev.pos.y(), buttons(ev.buttons), modifiers(ev.modifiers)))
        scene = self.screen.scene
        if scene is not None:  # what a click of the select tool would pick, outlined
            scene.show_hover(self.screen.picked if self.rules.key == "select" else None)

    def release(self, ev) -> None:
        self.rules.handle(Release(ev.pos.x(), ev.pos.y(), buttons(ev.button), modifiers(ev.modifiers)))

    def key_press(self, event) -> bool:
        name = KEYS.get(event.key())
        return name is not None and self.rules.handle(Key(name, modifiers(event.modifiers())))
