"""The plan editor's state shared by its tools and actions: the current floor's scene, the
active tool, snapping, the clipboard, and pushing commands with a clear message when the
model refuses one (nothing changes then)."""

from __future__ import annotations

import atexit
import json
import os
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QGuiApplication, QImageReader
from PySide6.QtWidgets import QInputDialog, QMessageBox

from mpp_planner.commands.plan import (MAX_MM_PER_PX, MIN_MM_PER_PX, AlignObjects, DeletePlanObjects,
                                       DistributeObjects, EditPlan, ImportBackground, MoveObjects, PasteObjects,
                                       RemoveFromPlan, RotateObjects, check_image_size, copy_payload, describe,
                                       payload_bounds)
from mpp_planner.commands.snap import Box, Snapper, edge_lines, snap_to_grid
from mpp_planner.i18n import _
from mpp_planner.interaction import PlaceItemTool
from mpp_planner.interaction.select import nudge_step
from mpp_planner.interaction.walls import arrow_slide
from mpp_planner.model import ValidationError
from mpp_planner.model.walls import DEFAULT_THICKNESS
from mpp_planner.qt.plan.items import HandleItem, PlanItem, TextItem, decode_image
from mpp_planner.qt.plan.tools import PlanTool, snapshot

PLAN_MIME = "application/x-mpp-plan+json"
SNAP_PX = 8  # object edges within this many pixels pull
HANDLE_PICK_PX = 8
PASTE_OFFSET_MM = 500
MAX_IMAGE_FILE = 200 * 1024 * 1024  # bytes
MIN_ZOOM_EXTENT_MM = 5000  # Zoom to Selection shows at least this much of the plan both ways


_cleanup_registered = False


def _release_clipboard() -> None:
    """Drop our plan objects from the clipboard while Qt is still alive: leaving them to be
    destroyed with the application crashes some Qt builds on exit (PySide6 6.11, offscreen)."""
    if QGuiApplication.instance() is None:
        return
    clipboard = QGuiApplication.clipboard()
    mime = clipboard.mimeData()
    if mime is not None and mime.hasFormat(PLAN_MIME):
        clipboard.clear()


def _register_clipboard_cleanup() -> None:
    global _cleanup_registered
    if not _cleanup_registered:
        _cleanup_registered = True
        atexit.register(_release_clipboard)
        QGuiApplication.instance().aboutToQuit.connect(_release_clipboard)


class PlanEditor(QObject):
    message = Signal(str, bool)  # text, is_error
    status = Signal(str)
    selection_changed = Signal()
    tool_changed = Signal(str)
    edit_requested = Signal(object)  # a plan item double-clicked

    def __init__(self, project, undo_stack, view, parent=None):
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.view = view
        view.editor = self
        self.snapping = True
        self.grid_size = 100
        self.locked = False
        self.tool = None
        self._nudge_run = 0
        self._nudge_index = None
        self._nudge_refs = None
        self._paste_count = 0
        self.last_error = ""
        self.wall_thickness = DEFAULT_THICKNESS  # what the wall tool draws (the toolbar's spin box)
        self.door_kind = "door"  # what the door tool places (the toolbar's choice)

    # --- scene and tool ---------------------------------------------------------------
    @property
    def scene(self):
        return self.view.scene()

    @property
    def floor_id(self) -> int | None:
        scene = self.scene
        return scene.floor_id if scene is not None else None

    def set_scene(self, scene) -> None:
        if self.tool is not None:
            self.tool.cancel()
            self.tool.deactivate()
        old = self.scene
        if old is not None:
            try:
                old.selectionChanged.disconnect(self._on_selection)
            except (RuntimeError, TypeError):
                pass
        self.view.setScene(scene)
        if scene is not None:
            scene.grid_size = self.grid_size
            scene.set_locked(self.locked)
            scene.selectionChanged.connect(self._on_selection)
        if self.tool is not None:
            self.tool.activate()
        self._on_selection()

    def _on_selection(self) -> None:
        self._nudge_run += 1
        self.selection_changed.emit()

    def set_tool(self, tool) -> None:
        if isinstance(tool, str):
            tool = PlanTool(self, tool)
        if self.tool is not None:
            self.tool.deactivate()
        self.tool = tool
        self.view.set_tool(tool)
        self.tool_changed.emit(tool.key)
        self.show_status(tool.hint())

    def place_item_tool(self, item_type) -> None:
        self.set_tool(PlanTool(self, PlaceItemTool, item_type.id, item_type.name, item_type.width, item_type.depth))

    # --- picking and snapping ---------------------------------------------------------
    def hit(self, pos: QPointF):
        """The handle or pickable object under ``pos`` (topmost first), or None."""
        scene = self.scene
        if scene is None:
            return None
        at = self.view.mapFromScene(pos)
        for h in scene.handles:
            if (self.view.mapFromScene(h.pos()) - at).manhattanLength() <= HANDLE_PICK_PX:
                return h
        for item in scene.items(pos, Qt.IntersectsItemShape, Qt.DescendingOrder, self.view.transform()):
            if isinstance(item, HandleItem):
                return item
            if isinstance(item, PlanItem) and scene.pickable(item):
                return item
        return None

    def snap_on(self, modifiers) -> bool:
        """Snapping is on unless switched off or Alt is held."""
        return self.snapping and not (modifiers & Qt.AltModifier)

    def snapper(self, exclude=(), extra_vertices=()) -> Snapper:
        """Snapping for a gesture: onto the edges and corners of the objects near the pointer (a room's
        sides, not the middle of a hall), else onto the grid; ``extra_vertices`` (the outline being drawn
        or edited) line up across the whole plan."""
        scene = self.scene
        boxes, vertices, outlines = [], [], []
        if scene is not None:
            for ref, item in scene.items_by_key.items():
                if ref in exclude:
                    continue
                corners = [tuple(p) for p in item.snap_vertices()]
                if ref[0] == "room":
                    outlines.append(corners)
                elif ref[0] == "wall":  # its ends and corners, not its box
                    vertices.extend(corners)
                elif ref[0] != "opening":
                    boxes.append(item.model_box)
                    vertices.extend(corners)
        xs, ys = edge_lines(boxes, vertices, outlines, aligned=[tuple(p) for p in extra_vertices])
        tolerance = SNAP_PX / max(self.view.current_scale(), 1e-6)
        return Snapper(grid=self.grid_size, xs=xs, ys=ys, tolerance=tolerance, enabled=self.snapping)

    # --- commands and messages --------------------------------------------------------
    def push(self, command) -> bool:
        """Run a command (or build it first, when given a function) through the one edit runner: a
        refusal is told on the plan's message line, a storage failure in the storage dialog."""
        self.last_error = ""
        return self.undo_stack.run(command, origin="plan", report=self.report)

    def report(self, text: str, error: bool = True) -> None:
        self.last_error = text if error else ""
        self.view.show_message(text, error)
        self.message.emit(text, error)

    def show_status(self, text: str) -> None:
        self.status.emit(text)

    # --- selection actions ------------------------------------------------------------
    def selected_refs(self) -> list:
        return self.scene.selected_refs() if self.scene is not None else []

    def select_all(self) -> None:
        scene = self.scene
        if scene is not None:
            scene.select_refs([ref for ref, item in scene.items_by_key.items() if scene.pickable(item)])

    def delete_selection(self, text: str | None = None) -> bool:
        refs = self.selected_refs()
        if not refs:
            return False
        cmd = DeletePlanObjects(refs)
        if text:
            cmd.text = text
        return self.push(cmd)

    def copy_selection(self) -> bool:
        refs = self.selected_refs()
        if not refs:
            return False
        payload = copy_payload(self.project, refs)
        payload["floor_id"] = self.floor_id
        mime = QMimeData()
        mime.setData(PLAN_MIME, QByteArray(json.dumps(payload).encode("utf-8")))
        mime.setText(_("{what} from the MPP plan").format(what=describe(refs)))
        _register_clipboard_cleanup()
        QGuiApplication.clipboard().setMimeData(mime)
        self._paste_count = 0
        return True

    def cut_selection(self) -> bool:
        refs = self.selected_refs()
        if not refs or not self.copy_selection():
            return False
        return self.delete_selection(_("Cut {what}").format(what=describe(refs)))

    @staticmethod
    def clipboard_has_plan() -> bool:
        mime = QGuiApplication.clipboard().mimeData()
        return mime is not None and mime.hasFormat(PLAN_MIME)

    @staticmethod
    def clipboard_payload() -> dict | None:
        mime = QGuiApplication.clipboard().mimeData()
        if mime is None or not mime.hasFormat(PLAN_MIME):
            return None
        try:
            return json.loads(bytes(mime.data(PLAN_MIME)).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None

    def paste(self, at: QPointF | None = None) -> bool:
        """Paste the clipboard: at ``at`` (its top-left corner there), else a little offset
        from the originals when they are on this floor, else in the same place."""
        payload = self.clipboard_payload()
        if payload is None or self.scene is None:
            self.report(_("The clipboard does not hold plan objects."))
            return False
        box = payload_bounds(payload)
        if at is not None:
            grid = self.grid_size if self.snapping else 1
            dx = snap_to_grid(at.x(), grid) - snap_to_grid(box.left, grid)
            dy = snap_to_grid(at.y(), grid) - snap_to_grid(box.top, grid)
        elif payload.get("floor_id") == self.floor_id:
            self._paste_count += 1
            dx = dy = PASTE_OFFSET_MM * self._paste_count
        else:
            dx = dy = 0
        cmd = None

        def make():
            nonlocal cmd
            cmd = PasteObjects(self.floor_id, payload, dx, dy)
            return cmd

        if self.push(make):
            self.scene.select_refs(cmd.created)
            return True
        return False

    def duplicate_selection(self) -> bool:
        refs = self.selected_refs()
        if not refs:
            return False
        cmd = PasteObjects(self.floor_id, copy_payload(self.project, refs), PASTE_OFFSET_MM, PASTE_OFFSET_MM,
                           duplicate=True)
        if self.push(cmd):
            self.scene.select_refs(cmd.created)
            return True
        return False

    def align(self, mode: str) -> bool:
        refs = self.selected_refs()
        return len(refs) >= 2 and self.push(AlignObjects(refs, mode))

    def distribute(self, axis: str) -> bool:
        refs = self.selected_refs()
        return len(refs) >= 3 and self.push(DistributeObjects(refs, axis))

    def rotate_selection(self, by: float = 90.0) -> bool:
        refs = [r for r in self.selected_refs() if r[0] in ("counter", "item")]
        return bool(refs) and self.push(RotateObjects(refs, by))

    def remove_from_plan(self) -> bool:
        refs = [r for r in self.selected_refs() if r[0] == "item"]
        return bool(refs) and self.push(RemoveFromPlan(refs))

    def nudge(self, sx: int, sy: int, big: bool = False) -> bool:
        """Arrow keys: a grid step (Shift: ten). A run of nudges of one selection is one undo step."""
        refs = self.selected_refs()
        if not refs:
            return False
        if self._nudge_index != self.undo_stack.index() or self._nudge_refs != refs:
            self._nudge_run += 1
        step = nudge_step(self.grid_size, self.snapping, big)  # a grid step (snapping off: 10 mm)
        key = ("nudge", self._nudge_run, frozenset(refs))
        if len(refs) == 1 and refs[0][0] == "opening":  # a door or window: along its wall
            cmd = arrow_slide(snapshot(self.scene.item_for(refs[0])), sx, sy, step, merge_key=key)
            ok = cmd is not None and self.push(cmd)
        else:  # doors and windows with others: they go with their walls
            ok = self.push(MoveObjects(refs, sx * step, sy * step, merge_key=key))
        self._nudge_index = self.undo_stack.index()
        self._nudge_refs = refs
        return ok

    def selection_rect(self) -> QRectF | None:
        items = self.scene.selected_plan_items() if self.scene is not None else []
        if not items:
            return None
        b = Box.union(i.model_box for i in items)
        return QRectF(b.left, b.top, b.width, b.height)

    def zoom_to_selection(self) -> None:
        """Show the selection with some room around it: at least 5 m across, so one chair does not
        fill the view."""
        rect = self.selection_rect()
        if rect is not None:
            self.view.zoom_to(rect, 0.25, min_size=MIN_ZOOM_EXTENT_MM)

    def edit_object(self, item) -> None:
        """Double-click: edit a text label in place; for others, go to the properties."""
        if isinstance(item, TextItem):
            text = self.ask_text(_("Text label"), _("Text:"), item.text)
            if text is not None and text.strip() and text != item.text:
                self.push(EditPlan(_("Edit text"), {item.ref: {"text": text.strip()}}))
            return
        self.edit_requested.emit(item)

    # --- background -------------------------------------------------------------------
    def import_background(self, path: str | os.PathLike) -> bool:
        """Check the file (a PNG or JPEG, not too large — read from its header, before
        decoding), then store it under the current floor, roughly fitted to its rooms."""
        if self.floor_id is None:
            return False
        path = Path(path)
        try:
            if path.stat().st_size > MAX_IMAGE_FILE:
                self.report(_("The file is too large for a background image (more than 200 MB)."))
                return False
            data = path.read_bytes()
        except OSError as exc:
            self.report(_("Cannot read {file}: {error}").format(file=path.name, error=exc.strerror or exc))
            return False
        buffer = QBuffer()
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.ReadOnly)
        reader = QImageReader(buffer)
        fmt = bytes(reader.format()).decode().lower()
        if not reader.canRead() or fmt not in ("png", "jpeg", "jpg"):
            self.report(_("{file} is not a PNG or JPEG image.").format(file=path.name))
            return False
        size = reader.size()
        try:
            check_image_size(size.width(), size.height())
        except ValidationError as exc:
            self.report(exc.message)
            return False
        pixmap, full = decode_image(data)
        if pixmap.isNull():
            self.report(_("{file} could not be read as an image: {error}").format(
                file=path.name, error=reader.errorString()))
            return False
        mm_per_px, origin = 10.0, (0, 0)
        if self.scene is not None and self.scene.items_by_key:
            content = self.scene.content_rect()
            mm_per_px = min(MAX_MM_PER_PX, max(MIN_MM_PER_PX, content.width() / max(1, full.width())))
            origin = (round(content.left()), round(content.top()))
        ok = self.push(lambda: ImportBackground(self.floor_id, data, mm_per_px, origin))
        if ok:  # straight on to calibrating: the banner says how, and stays until the tool is left (Esc)
            self.set_tool("calibrate")
            self.view.setFocus(Qt.OtherFocusReason)
            text = _("Background imported. Calibrate it: click two points on the background whose real "
                     "distance you know, then type the distance. Esc: skip.")
            self.report(text, error=False)
            banner = self.view.banner
            banner.timer.stop()

            def tool_left(key: str) -> None:
                if key != "calibrate":
                    self.tool_changed.disconnect(tool_left)
                    if banner.text() == text:
                        banner.hide()

            self.tool_changed.connect(tool_left)
        return ok

    # --- questions (tests replace these) ----------------------------------------------
    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(self.view, title, label, text=text)
        return value if ok else None

    def ask_distance(self) -> str | None:
        value, ok = QInputDialog.getText(self.view, _("Calibrate background"),
                                         _("Real distance between the two points, in metres:"))
        return value if ok else None

    def confirm(self, title: str, text: str) -> bool:
        return QMessageBox.question(self.view, title, text, QMessageBox.Yes | QMessageBox.No,
                                    QMessageBox.No) == QMessageBox.Yes
