"""Import the architect's plan from a DXF (or DWG) drawing: rooms from its closed shapes, the rest as the
floor's underlay drawing (``mpp_planner.importers.dxf``).

Pick a file; it is scanned in a worker (``run_job``): its layers with their entities and closed shapes (the
layers that look like rooms ticked), its units (the drawing's own, or a guess from its size) and a preview
of everything in it, the closed shapes on the ticked layers filled as the rooms they will become. The user
chooses the layers, the units (the drawing's size in metres is shown, with a warning when no building is
that size) and the floor (an existing one, or a new name). *Import* reads the drawing in a worker with
progress and Cancel, then makes ONE undoable step on the main undo stack (``ImportPlan``); the plan then
shows that floor fitted. A drawing that cannot be imported is told in the dialog and changes nothing.
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QGraphicsItem,
                               QGraphicsPathItem, QGraphicsScene, QGraphicsSimpleTextItem, QGraphicsView,
                               QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMessageBox, QPushButton,
                               QSplitter, QVBoxLayout, QWidget)

from mpp_planner.formats import number
from mpp_planner.i18n import _, ngettext
from mpp_planner.model import geometry
from mpp_planner.qt.jobs import run_job, show_job_error
from mpp_planner.qt.plan.underlay_item import UnderlayItem
from mpp_planner.qt.undo import REFUSALS, refusal_text
from mpp_planner.reads.plan import floor_list, floor_underlay

ORIGIN = "plan"
UNIT_CHOICES = ("mm", "cm", "m", "in", "ft")
#: a drawing whose longer side is outside this range (mm) is no building: the units are probably wrong
PLAUSIBLE_MM = (3_000, 1_000_000)
TYPICAL_MM = 50_000  # when the drawing does not say its units, the guess makes it about this large
WARN = "color: #A04000;"
ERROR = "color: #B03A2E;"
MAX_LABELS = 500  # room names shown in the preview
ROOM_FILL = QColor(41, 128, 185, 70)
ROOM_LINE = QColor("#2471A3")
OTHER_LINE = QColor("#98A2AD")


def unit_names() -> dict[str, str]:
    return {"mm": _("millimetres (mm)"), "cm": _("centimetres (cm)"), "m": _("metres (m)"),
            "in": _("inches (in)"), "ft": _("feet (ft)")}


def guess_units(size: float) -> str:
    """The units (mm, cm or m) that make a drawing ``size`` units across most like a building."""
    from mpp_planner.importers.dxf import UNITS

    if size <= 0:
        return "mm"
    return min(("mm", "cm", "m"), key=lambda u: abs(math.log(size * UNITS[u] / TYPICAL_MM)))


def scan(path: Path):
    """The worker's part of choosing a file: what the drawing holds, its size in drawing units, the units
    to start with, and the preview (the drawing read as it would be imported) or why there is none."""
    from mpp_planner.importers.dxf import UNITS, DxfError, read_dxf, scan_dxf

    summary = scan_dxf(path)
    if summary.units is not None:
        units = summary.units
        size = summary.extents_mm
        raw = (size[2] - size[0], size[3] - size[1]) if size else (0, 0)
        raw = (raw[0] / UNITS[units], raw[1] / UNITS[units])
    else:  # the drawing does not say: measure it in its own units (1 unit = 1 mm) and guess
        sized = scan_dxf(path, units="mm")
        box = sized.extents_mm or (0, 0, 0, 0)
        raw = (box[2] - box[0], box[3] - box[1])
        units = guess_units(max(raw))
    # the preview: read as the import would with the suggested layers (or the layer with most closed shapes);
    # the closed shapes of the other layers come in the underlay, so any layer can be shown as rooms
    rooms = list(summary.suggested_room_layers)
    if not rooms and any(layer.closed_shapes for layer in summary.layers):
        rooms = [max(summary.layers, key=lambda layer: layer.closed_shapes).name]
    preview, problem = None, ""
    try:
        preview = read_dxf(path, room_layers=rooms, units=None if summary.units_from_header else units)
    except DxfError as exc:
        problem = str(exc)
    return summary, raw, units, (preview, rooms), problem


class DxfImportDialog(QDialog):
    """Choose a drawing, its room layers, units and floor; import it as one undoable step."""

    imported = Signal(int)  # the floor the plan was imported to

    def __init__(self, project, undo_stack, parent=None, *, floor_id: int | None = None,
                 source: str | Path | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Import plan from DXF"))
        self.setObjectName("dxf_import")
        self.project, self.undo_stack = project, undo_stack
        self.source: Path | None = None
        self.summary = None
        self.raw_size: tuple[float, float] = (0.0, 0.0)  # in drawing units
        self.detected: str | None = None  # the drawing's own units
        self.preview_plan = None
        self.preview_as: tuple[set[str], str | None] = (set(), None)
        self.job = None  # the last scan or read (a JobHandle)
        self.floor_id_done: int | None = None
        self.warnings: list[str] = []
        self.layer_items: dict[str, QGraphicsPathItem] = {}  # layer (casefolded) -> its closed shapes
        self._labels: list[tuple[str, float, QGraphicsSimpleTextItem]] = []  # room names: layer, room's width

        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.path.setPlaceholderText(_("Choose the architect's drawing (DXF, or DWG)"))
        browse = QPushButton(_("Choose file…"))
        browse.clicked.connect(self.choose)
        self.found = QLabel(_("No file chosen."))
        self.found.setWordWrap(True)

        self.preview_scene = QGraphicsScene(self)
        self.preview_scene.setBackgroundBrush(QBrush(QColor("#FFFFFF")))
        self.preview = QGraphicsView(self.preview_scene)
        self.preview.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
        self.preview.setMinimumSize(420, 320)
        self.preview.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.preview.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.preview.setToolTip(_("The drawing; closed shapes on the ticked layers, filled, become rooms"))

        self.layers = QListWidget()
        self.layers.setToolTip(_("Tick the layers whose closed shapes are rooms; the rest is drawn under the plan"))
        self.layers.itemChanged.connect(lambda _item: self._layers_changed())
        self.units = QComboBox()
        for key, name in unit_names().items():
            self.units.addItem(name, key)
        self.units.currentIndexChanged.connect(lambda _i: self._show_size())
        self.size_label = QLabel()
        self.size_label.setWordWrap(True)
        self.floor = QComboBox()
        self.floor.setEditable(True)
        self.floor.setInsertPolicy(QComboBox.NoInsert)
        self.floor.currentTextChanged.connect(lambda _t: self._show_outcome())
        self.floor_note = QLabel()
        self.floor_note.setWordWrap(True)
        self.rooms_label = QLabel()
        self.rooms_label.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("dxf_message")
        self.message.setStyleSheet(ERROR)
        self.message.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.Cancel)
        self.import_button = self.buttons.addButton(_("Import"), QDialogButtonBox.AcceptRole)
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.do_import)
        self.buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(self.path, 1)
        top.addWidget(browse)
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel(_("Room layers:")))
        column.addWidget(self.layers, 1)
        for label, field, note in ((_("Units:"), self.units, self.size_label),
                                   (_("Floor:"), self.floor, self.floor_note)):
            row = QFormLayout()
            row.addRow(label, field)
            column.addLayout(row)
            column.addWidget(note)
        split = QSplitter(Qt.Horizontal)
        split.addWidget(self.preview)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.found)
        layout.addWidget(split, 1)
        layout.addWidget(self.rooms_label)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(1000, 620)
        self._fill_floors(floor_id)
        self._set_enabled(False)
        if source is not None:
            self.load(source)

    # --- choosing a file ---------------------------------------------------------------------
    def choose(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Import plan from DXF"), "",
                                                    _("CAD drawings (*.dxf *.dwg)") + ";;" + _("All files (*)"))
        if path:
            self.load(path)

    def load(self, path):
        """Scan the drawing in a worker, then show what it holds; returns the job."""
        self.source = Path(path)
        self.path.setText(str(path))
        self.summary = self.preview_plan = None
        self._set_enabled(False)
        self._tell("")
        self.found.setText(_("Reading…"))
        self.layers.clear()
        self.preview_scene.clear()
        self.layer_items, self._labels = {}, []
        self.size_label.setText("")
        self.rooms_label.setText("")
        source = self.source
        self.job = run_job(self, _("Import plan from DXF"), lambda: scan(source), on_done=self._scanned,
                           on_failed=self._failed)
        self.job.finished.connect(lambda handle=self.job: self._job_ended(handle))
        return self.job

    def _failed(self, exc: BaseException) -> None:
        from mpp_planner.importers.dxf import DxfError

        if isinstance(exc, DxfError):
            self._tell(str(exc))
            if self.summary is None:
                self.found.setText(_("Nothing will be imported."))
        elif isinstance(exc, REFUSALS):  # e.g. a floor name the model refuses
            self._tell(refusal_text(exc))
        else:
            show_job_error(self, _("Import plan from DXF"), exc)
        self._update_import_button()

    def _job_ended(self, handle) -> None:
        if handle.cancelled:
            self._tell(_("Cancelled; nothing was changed."), error=False)
            if self.summary is None:
                self.found.setText(_("No file read."))
            self._update_import_button()

    def _tell(self, text: str, error: bool = True) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR if error else WARN)
        self.message.setVisible(bool(text))

    # --- what the drawing holds -------------------------------------------------------------
    def _scanned(self, result) -> None:
        summary, raw, units, (preview, preview_layers), problem = result
        self.summary, self.raw_size, self.preview_plan = summary, raw, preview
        self.preview_as = ({name.casefold() for name in preview_layers}, units)  # how the preview was read
        self.detected = summary.units if summary.units_from_header else None
        suggested = {name.casefold() for name in summary.suggested_room_layers}
        self.layers.blockSignals(True)
        self.layers.clear()
        for layer in summary.layers:
            counts = ngettext("{n} object", "{n} objects", layer.entities).format(n=number(layer.entities))
            closed = ngettext("{n} closed shape", "{n} closed shapes", layer.closed_shapes).format(
                n=number(layer.closed_shapes))
            item = QListWidgetItem(_("{name}  ({objects}, {closed})").format(name=layer.name, objects=counts,
                                                                            closed=closed))
            item.setData(Qt.UserRole, layer.name)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked if layer.name.casefold() in suggested else Qt.Unchecked)
            if not layer.closed_shapes:
                item.setForeground(QBrush(QColor("#8A8A8A")))
            self.layers.addItem(item)
        self.layers.blockSignals(False)
        self.units.blockSignals(True)
        self.units.setCurrentIndex(max(0, self.units.findData(units)))
        self.units.blockSignals(False)
        if self.detected:
            where = _("units {units} from the drawing").format(units=self.detected)
        else:
            where = _("the drawing does not say its units: {units} guessed from its size").format(units=units)
        self.found.setText(_("{n} objects on {k} layers; {where}.").format(
            n=number(summary.entities), k=len(summary.layers), where=where))
        self._draw_preview()
        self._tell(problem)
        self._set_enabled(True)
        self._show_size()
        self._layers_changed()

    def _draw_preview(self) -> None:
        self.preview_scene.clear()
        self.layer_items, self._labels = {}, []
        plan = self.preview_plan
        if plan is None:
            return
        under = UnderlayItem()
        under.set_drawing(plan.underlay)
        self.preview_scene.addItem(under)
        shapes: dict[str, QPainterPath] = {}

        def add(layer: str, points) -> None:
            path = shapes.setdefault(layer.casefold(), QPainterPath())
            path.addPolygon(QPolygonF([QPointF(x, y) for x, y in points]))
            path.closeSubpath()

        for room in plan.rooms:
            add(room.layer, room.outline)
        for p in plan.underlay.paths:
            if p.closed:
                add(p.layer, p.points)
        rect = under.plan_rect
        for layer, path in shapes.items():
            item = QGraphicsPathItem(path)
            item.setZValue(1)
            self.preview_scene.addItem(item)
            self.layer_items[layer] = item
            rect = rect.united(item.boundingRect()) if not rect.isEmpty() else item.boundingRect()
        for room in plan.rooms[:MAX_LABELS]:  # named as the import names them (on the suggested layers)
            label = QGraphicsSimpleTextItem(room.name)  # a fixed size on screen, at the room's middle
            label.setFlag(QGraphicsItem.ItemIgnoresTransformations, True)
            label.setBrush(QBrush(QColor("#1B4F72")))
            label.setZValue(2)
            cx, cy = geometry.centroid(room.outline) if len(room.outline) >= 3 else room.outline[0]
            label.setPos(cx, cy)
            box = label.boundingRect()
            label.setTransform(label.transform().translate(-box.width() / 2, -box.height() / 2))
            self.preview_scene.addItem(label)
            width = max(x for x, _y in room.outline) - min(x for x, _y in room.outline)
            self._labels.append((room.layer.casefold(), width, label))
        self.preview_scene.setSceneRect(rect)
        self._fit_preview()

    def _fit_preview(self) -> None:
        rect = self.preview_scene.sceneRect()
        if rect.width() > 0 and rect.height() > 0:
            m = max(rect.width(), rect.height()) * 0.03
            self.preview.fitInView(rect.adjusted(-m, -m, m, m), Qt.KeepAspectRatio)
        self._show_labels()

    def _show_labels(self) -> None:
        """A room's name shows when its layer is ticked and the name fits in the room."""
        chosen = {name.casefold() for name in self.chosen_layers()}
        scale = self.preview.transform().m11()
        for layer, width, label in self._labels:
            label.setVisible(layer in chosen and width * scale >= label.boundingRect().width())

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_preview()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self._fit_preview()

    def chosen_layers(self) -> list[str]:
        return [self.layers.item(i).data(Qt.UserRole) for i in range(self.layers.count())
                if self.layers.item(i).checkState() == Qt.Checked]

    def set_layers(self, names) -> None:
        """Tick exactly the layers ``names`` (as a user would, one by one)."""
        wanted = {n.casefold() for n in names}
        for i in range(self.layers.count()):
            item = self.layers.item(i)
            item.setCheckState(Qt.Checked if item.data(Qt.UserRole).casefold() in wanted else Qt.Unchecked)

    def _layers_changed(self) -> None:
        chosen = {name.casefold() for name in self.chosen_layers()}
        pen_room = QPen(ROOM_LINE, 0)
        pen_room.setCosmetic(True)
        pen_other = QPen(OTHER_LINE, 0)
        pen_other.setCosmetic(True)
        for layer, item in self.layer_items.items():
            room = layer in chosen
            item.setPen(pen_room if room else pen_other)
            item.setBrush(QBrush(ROOM_FILL) if room else Qt.NoBrush)
        self._show_labels()
        if self.summary is not None:
            shapes = sum(layer.closed_shapes for layer in self.summary.layers if layer.name.casefold() in chosen)
            if not chosen:
                self.rooms_label.setText(_("Tick the layer(s) whose closed shapes are the rooms."))
            else:
                self.rooms_label.setText(_("{n} closed shape(s) on the ticked layers become rooms; everything else "
                                           "is drawn under the plan as the underlay drawing.").format(n=number(shapes)))
        self._update_import_button()

    def chosen_units(self) -> str:
        return self.units.currentData()

    def drawing_size_mm(self) -> tuple[float, float]:
        from mpp_planner.importers.dxf import UNITS

        k = UNITS[self.chosen_units()]
        return self.raw_size[0] * k, self.raw_size[1] * k

    def _show_size(self) -> None:
        if self.summary is None:
            return
        w, h = self.drawing_size_mm()
        text = _("Drawing size: {w} × {h} m").format(w=number(w / 1000, 1), h=number(h / 1000, 1))
        longest = max(w, h)
        if longest < PLAUSIBLE_MM[0]:
            text += " — " + _("far too small for a building: check the units.")
            self.size_label.setStyleSheet(WARN)
        elif longest > PLAUSIBLE_MM[1]:
            text += " — " + _("far too large for a building: check the units.")
            self.size_label.setStyleSheet(WARN)
        else:
            self.size_label.setStyleSheet("")
        if self.detected and self.chosen_units() != self.detected:
            text += " " + _("(the drawing says {units})").format(units=self.detected)
        self.size_label.setText(text)

    # --- the floor -------------------------------------------------------------------------------
    def _fill_floors(self, floor_id: int | None) -> None:
        floors = floor_list(self.project)
        self._floors = {f.name: f.id for f in floors}
        self.floor.blockSignals(True)
        self.floor.clear()
        for f in floors:
            self.floor.addItem(f.name, f.id)
        current = next((f.name for f in floors if f.id == floor_id), None)
        if current is not None:
            self.floor.setCurrentText(current)
        elif floors:
            self.floor.setCurrentIndex(0)
        else:
            self.floor.setEditText(_("Floor {n}").format(n=1))
        self.floor.blockSignals(False)
        self._show_outcome()

    def floor_name(self) -> str:
        return " ".join(self.floor.currentText().split())

    def _show_outcome(self) -> None:
        name = self.floor_name()
        fid = self._floors.get(name)
        if not name:
            self.floor_note.setText(_("Name the floor the plan goes to."))
        elif fid is None:
            self.floor_note.setText(_("A new floor “{name}” will be added.").format(name=name))
        elif floor_underlay(self.project, fid) is not None:
            self.floor_note.setText(_("The rooms are added to floor “{name}”; its underlay drawing is replaced.")
                                    .format(name=name))
        else:
            self.floor_note.setText(_("The rooms are added to floor “{name}”.").format(name=name))
        self._update_import_button()

    # --- importing -------------------------------------------------------------------------------
    def _set_enabled(self, on: bool) -> None:
        for w in (self.layers, self.units):
            w.setEnabled(on)
        self._update_import_button()

    def _update_import_button(self) -> None:
        busy = self.job is not None and self.job.running
        self.import_button.setEnabled(self.summary is not None and not busy and bool(self.chosen_layers())
                                      and bool(self.floor_name()))

    def do_import(self):
        """Read the drawing with the chosen layers and units in a worker (the import's command is made there
        too: it packs the drawing), then make the import one undoable step; returns the job."""
        if self.summary is None or not self.import_button.isEnabled():
            return None
        assert self.source is not None
        source, layers, units, name = self.source, self.chosen_layers(), self.chosen_units(), self.floor_name()
        same = units == self.detected  # the drawing's own units: what the scan read is used again
        # chosen as the preview was read: that is the plan already
        ready = self.preview_plan if self.preview_as == ({n.casefold() for n in layers}, units) else None

        def work():
            from mpp_planner.commands.plan import ImportPlan
            from mpp_planner.importers.dxf import read_dxf

            plan = ready or read_dxf(source, room_layers=layers, units=None if same else units)
            return plan, ImportPlan(name, plan, source.name)

        self._tell("")
        self.import_button.setEnabled(False)
        self.job = run_job(self, _("Import plan from DXF"), work, on_done=self._read_done, on_failed=self._failed)
        self.job.finished.connect(lambda handle=self.job: self._job_ended(handle))
        return self.job

    def _read_done(self, result) -> None:
        plan, command = result
        if not self.undo_stack.run(command, origin=ORIGIN, report=self._tell, parent=self):
            self._update_import_button()
            return
        self.floor_id_done = command.floor_id
        self.warnings = list(plan.warnings)
        if self.floor_id_done is not None:
            self.imported.emit(self.floor_id_done)
        if self.warnings:
            box = QMessageBox(QMessageBox.Information, _("Import plan from DXF"),
                              _("The plan was imported with {n} room(s). Please note:").format(n=len(plan.rooms)),
                              QMessageBox.Ok, self.parentWidget())
            box.setObjectName("dxf_import_notes")
            box.setInformativeText("\n".join(self.warnings[:5]))
            if len(self.warnings) > 5:
                box.setDetailedText("\n".join(self.warnings))
            box.setAttribute(Qt.WA_DeleteOnClose, True)
            box.open()
        self.accept()


def open_dxf_import(window):
    """From the main window: show the plan tab and open the dialog for its floor; returns the dialog."""
    if getattr(window, "project", None) is None:
        return None
    window.show_tab("plan")
    return window.tab_widgets["plan"].import_dxf()


def dxf_import_action(window) -> QAction:
    """*File ▸ Import ▸ Plan from DXF…*"""
    act = QAction(_("Plan from DXF…"), window)
    act.setObjectName("plan_dxf_import")
    act.setStatusTip(_("Rooms and the drawing under them from the architect's DXF (or DWG) file"))
    act.triggered.connect(lambda: open_dxf_import(window))
    return act


__all__ = ["DxfImportDialog", "dxf_import_action", "open_dxf_import", "guess_units", "scan"]
