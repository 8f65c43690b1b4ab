"""The plan export and print dialog: options on the left, a live preview of the sheets on the right.

The project is read on the GUI thread (a few batched queries into plain data); laying out,
rendering and writing the files run in a worker thread behind a progress dialog, so a big plan
does not freeze the window. Printing renders each sheet at the printer's resolution (up to 300 dpi)
onto a full page of the sheet's paper size, so the print keeps the scale at 100 %.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFileDialog, QFormLayout, QGridLayout, QGroupBox,
                               QHBoxLayout, QLabel, QMessageBox, QProgressDialog, QPushButton, QSizePolicy,
                               QSpinBox, QVBoxLayout, QWidget)

from mpp_planner.i18n import N_, _
from mpp_planner.reports import plan as plan_report
from mpp_planner.reports import plan_layout

LAYER_LABELS = (("background", N_("Background image")), ("rooms", N_("Rooms with areas")),
                ("counters", N_("Counters with agencies")), ("furniture", N_("Furniture")),
                ("dimensions", N_("Dimensions")), ("labels", N_("Text labels")))
SCALES = (("1:50", "1:50"), ("1:100", "1:100"), ("1:200", "1:200"), ("fit", N_("Fit to paper")))
PAPER_SIZES = {"A4": QPageSize.A4, "A3": QPageSize.A3, "A2": QPageSize.A2}
PREVIEW_LONG_SIDE = 1100  # pixels of the preview image's long side


class SheetPreview(QWidget):
    """Shows one rendered sheet, scaled to fit, on a grey desk with a shadow like paper."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.pixmap: QPixmap | None = None
        self.message = ""
        self.setMinimumSize(QSize(420, 320))
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setAutoFillBackground(True)
        pal = self.palette()
        pal.setColor(QPalette.Window, QColor("#8A9099"))
        self.setPalette(pal)

    def set_image(self, pixmap: QPixmap | None, message: str = "") -> None:
        self.pixmap, self.message = pixmap, message
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        if self.pixmap is None or self.pixmap.isNull():
            painter.setPen(QColor("#FFFFFF"))
            painter.drawText(self.rect().adjusted(20, 20, -20, -20), Qt.AlignCenter | Qt.TextWordWrap, self.message)
            return
        margin = 14
        avail = self.rect().adjusted(margin, margin, -margin, -margin)
        size = self.pixmap.size().scaled(avail.size(), Qt.KeepAspectRatio)
        x = avail.x() + (avail.width() - size.width()) // 2
        y = avail.y() + (avail.height() - size.height()) // 2
        painter.fillRect(x + 4, y + 4, size.width(), size.height(), QColor(0, 0, 0, 70))
        painter.setRenderHint(QPainter.SmoothPixmapTransform, True)
        painter.drawPixmap(x, y, size.width(), size.height(), self.pixmap)


class ExportThread(QThread):
    """Lays out, renders and writes the files of a prepared job away from the GUI thread."""

    progressed = Signal(int, int)
    finished_ok = Signal(list)
    failed = Signal(str)

    def __init__(self, job, out: Path, fmt: str, parent=None):
        super().__init__(parent)
        self.job, self.out, self.fmt = job, out, fmt
        self._cancel = False

    def cancel(self) -> None:
        self._cancel = True

    def run(self) -> None:
        from mpp_planner.reports.output import OutputError

        try:
            paths = plan_report.write(self.job, self.out, self.fmt, progress=self.progressed.emit,
                                      cancelled=lambda: self._cancel)
        except plan_report.Cancelled:
            self.failed.emit("")
        except (ValueError, OutputError) as exc:
            self.failed.emit(str(exc))
        except OSError as exc:
            self.failed.emit(_("Cannot write '{path}': {error}").format(path=self.out, error=exc.strerror or exc))
        else:
            self.finished_ok.emit([str(p) for p in paths])


class PlanExportDialog(QDialog):
    """Choose floor, scale, paper, layers and colours; see the sheets; export or print them."""

    def __init__(self, project, parent=None, *, floor_id: int | None = None, for_print: bool = False):
        super().__init__(parent)
        self.project = project
        self.setWindowTitle(_("Print plan") if for_print else _("Export plan"))
        self.sheet_index = 0
        self.sheets: list = []
        self.job = None
        self.thread: ExportThread | None = None
        self.last_written: list[str] = []
        self.error = ""
        self._page_cache: dict[int, QPixmap] = {}

        self.floor = QComboBox()
        for fid, name in plan_report.floor_choices(project):
            self.floor.addItem(name, fid)
        self.floor.addItem(_("All floors"), "all")
        if floor_id is not None and self.floor.findData(floor_id) >= 0:
            self.floor.setCurrentIndex(self.floor.findData(floor_id))
        self.scale = QComboBox()
        self.scale.setEditable(True)
        self.scale.setInsertPolicy(QComboBox.NoInsert)
        for value, label in SCALES:
            self.scale.addItem(_(label), value)
        self.scale.setCurrentIndex(1)
        self.scale.setToolTip(_("1:50, 1:100, 1:200, fit to paper, or type any scale such as 1:75"))
        self.paper = QComboBox()
        for name in ("A4", "A3", "A2"):
            self.paper.addItem(name, name)
        self.paper.setCurrentIndex(1)
        self.orientation = QComboBox()
        for value, label in (("auto", _("Automatic")), ("portrait", _("Portrait")), ("landscape", _("Landscape"))):
            self.orientation.addItem(label, value)
        self.colour = QComboBox()
        self.colour.addItem(_("By agency"), "agency")
        self.colour.addItem(_("By tier"), "tier")
        self.layer_boxes: dict[str, QCheckBox] = {}
        layers = QGroupBox(_("Show"))
        grid = QGridLayout(layers)
        for i, (key, label) in enumerate(LAYER_LABELS):
            box = QCheckBox(_(label))
            box.setChecked(True)
            self.layer_boxes[key] = box
            grid.addWidget(box, i // 2, i % 2)
        self.format = QComboBox()
        for value, label in (("pdf", _("PDF (all sheets in one file)")), ("svg", _("SVG (one file per sheet)")),
                             ("png", _("PNG image (one file per sheet)"))):
            self.format.addItem(label, value)
        self.dpi = QSpinBox()
        self.dpi.setRange(1, 1200)
        self.dpi.setValue(plan_report.DEFAULT_DPI)
        self.dpi.setSuffix(" dpi")

        form = QFormLayout()
        form.addRow(_("Floor:"), self.floor)
        form.addRow(_("Scale:"), self.scale)
        form.addRow(_("Paper:"), self.paper)
        form.addRow(_("Orientation:"), self.orientation)
        form.addRow(_("Counter colours:"), self.colour)
        out_form = QFormLayout()
        out_form.addRow(_("Format:"), self.format)
        out_form.addRow(_("Resolution:"), self.dpi)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #B03A2E;")
        self.problem.hide()

        self.preview = SheetPreview()
        self.prev_button = QPushButton("◀")
        self.next_button = QPushButton("▶")
        for b in (self.prev_button, self.next_button):
            b.setFixedWidth(40)
        self.prev_button.clicked.connect(lambda: self.show_sheet(self.sheet_index - 1))
        self.next_button.clicked.connect(lambda: self.show_sheet(self.sheet_index + 1))
        self.sheet_label = QLabel()
        self.sheet_label.setAlignment(Qt.AlignCenter)
        nav = QHBoxLayout()
        nav.addWidget(self.prev_button)
        nav.addWidget(self.sheet_label, 1)
        nav.addWidget(self.next_button)

        self.export_button = QPushButton(_("Export…"))
        self.print_button = QPushButton(_("Print…"))
        self.close_button = QPushButton(_("Close"))
        self.export_button.clicked.connect(self.choose_file_and_export)
        self.print_button.clicked.connect(self.choose_printer_and_print)
        self.close_button.clicked.connect(self.reject)

        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(layers)
        output = QGroupBox(_("File"))
        output.setLayout(out_form)
        left.addWidget(output)
        left.addWidget(self.summary)
        left.addWidget(self.problem)
        left.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        left.addLayout(buttons)
        left_widget = QWidget()
        left_widget.setLayout(left)
        left_widget.setFixedWidth(390)
        right = QVBoxLayout()
        right.addWidget(self.preview, 1)
        right.addLayout(nav)
        layout = QHBoxLayout(self)
        layout.addWidget(left_widget)
        layout.addLayout(right, 1)
        self.resize(1180, 760)
        (self.print_button if for_print else self.export_button).setDefault(True)  # once inside the dialog

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(150)
        self.timer.timeout.connect(self.refresh)
        for combo in (self.floor, self.paper, self.orientation, self.colour, self.scale):
            combo.currentIndexChanged.connect(self.timer.start)
        self.scale.editTextChanged.connect(self.timer.start)
        for box in self.layer_boxes.values():
            box.toggled.connect(self.timer.start)
        self.format.currentIndexChanged.connect(self._format_changed)
        self._format_changed()
        self.refresh()

    # --- options ------------------------------------------------------------------------
    def scale_text(self) -> str:
        text = self.scale.currentText().strip()
        index = self.scale.findText(text)
        if index >= 0 and self.scale.itemData(index):
            return self.scale.itemData(index)
        return text

    def options(self) -> plan_report.PlanOptions:
        """The chosen options; a ValueError names what is wrong."""
        from argparse import Namespace

        layers = ",".join(k for k, box in self.layer_boxes.items() if box.isChecked())
        floor = self.floor.currentData()
        return plan_report.options_from_args(Namespace(
            floor="all" if floor == "all" else None, scale=self.scale_text(), paper=self.paper.currentData(),
            orientation=self.orientation.currentData(), layers=layers, colour=self.colour.currentData(),
            dpi=str(self.dpi.value())))

    def floor_ids(self) -> list[int] | None:
        floor = self.floor.currentData()
        return None if floor == "all" or floor is None else [floor]

    def _format_changed(self) -> None:
        self.dpi.setEnabled(self.format.currentData() == "png")

    # --- preview ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the project, lay out the sheets and show the current one."""
        self.timer.stop()
        self._page_cache.clear()
        try:
            options = self.options()
            self.job = plan_report.prepare(self.project, options, floor_ids=self.floor_ids())
            self.sheets = self.job.sheets()
        except ValueError as exc:
            self.error = str(exc)
            self.job, self.sheets = None, []
            self.problem.setText(self.error)
            self.problem.show()
            self.summary.setText("")
            self.preview.set_image(None, self.error)
            self._update_buttons()
            return
        self.error = ""
        self.problem.hide()
        self.summary.setText(self._describe())
        self.show_sheet(min(self.sheet_index, len(self.sheets) - 1))

    def _describe(self) -> str:
        sheets = self.sheets
        floors = len({s.drawing.floor_id for s in sheets})
        tiles = sum(1 for s in sheets if s.kind == "tile")
        first = sheets[0]
        scales = sorted({s.scale for s in sheets if s.kind != "key"})
        text = _("{n} sheet(s), {paper}, scale {scales}.").format(
            n=len(sheets), paper=first.frame.paper, scales=", ".join(f"1:{n}" for n in scales))
        if tiles:
            text += " " + _("The plan does not fit one sheet at this scale: {tiles} part-sheets with {overlap} mm "
                            "overlap, plus a key sheet showing how they fit together.").format(
                tiles=tiles, overlap=int(plan_layout.OVERLAP))
        if floors > 1:
            text += " " + _("{n} floors.").format(n=floors)
        return text

    def show_sheet(self, index: int) -> None:
        if not self.sheets:
            return
        index = max(0, min(index, len(self.sheets) - 1))
        self.sheet_index = index
        pixmap = self._page_cache.get(index)
        if pixmap is None:
            pixmap = self.render_sheet(index, None)
            self._page_cache[index] = pixmap
        self.preview.set_image(pixmap)
        sheet = self.sheets[index]
        what = sheet.drawing.floor_name
        if sheet.kind == "key":
            what += " — " + _("key sheet")
        elif sheet.tile is not None:
            what += " — " + sheet.tile.label
        self.sheet_label.setText(_("Sheet {x} of {y}: {what}").format(x=index + 1, y=len(self.sheets), what=what))
        self._update_buttons()

    def render_sheet(self, index: int, dpi: float | None) -> QPixmap:
        """One sheet as a pixmap; without ``dpi``, sized for the preview."""
        from mpp_planner.reports.plan_png import png_bytes
        from mpp_planner.reports.plan_sheet import compose

        sheet = self.sheets[index]
        if dpi is None:
            dpi = max(20, int(PREVIEW_LONG_SIDE / (max(sheet.frame.width, sheet.frame.height) / 25.4)))
        page = compose(sheet, self.job.heading)
        image = QImage.fromData(png_bytes(page, int(dpi)), "PNG")
        return QPixmap.fromImage(image)

    def _update_buttons(self) -> None:
        ok = bool(self.sheets) and not self.error and self.thread is None
        self.export_button.setEnabled(ok)
        self.print_button.setEnabled(ok)
        self.prev_button.setEnabled(ok and self.sheet_index > 0)
        self.next_button.setEnabled(ok and self.sheet_index < len(self.sheets) - 1)
        if not self.sheets:
            self.sheet_label.setText("")

    # --- export -------------------------------------------------------------------------
    def choose_file_and_export(self) -> None:
        fmt = self.format.currentData()
        filters = {"pdf": _("PDF files (*.pdf)"), "svg": _("SVG drawings (*.svg)"), "png": _("PNG images (*.png)")}
        floor = self.floor.currentText() if self.floor.currentData() != "all" else _("all floors")
        suggested = str(Path(self.project.path).with_name(f"Denah {floor}.{fmt}"))
        path, _filter = QFileDialog.getSaveFileName(self, _("Export plan"), suggested, filters[fmt])
        if path:
            if not path.lower().endswith("." + fmt):
                path += "." + fmt
            self.export_to(path)

    def export_to(self, path: str | Path) -> bool:
        """Start writing ``path`` in a worker thread; False when it cannot start (message shown)."""
        from mpp_planner.reports.output import OutputError, check_output_path

        if self.thread is not None:
            return False
        try:
            out, fmt = check_output_path(path, plan_report.FORMATS)
            options = self.options()
            job = plan_report.prepare(self.project, options, floor_ids=self.floor_ids())
        except (OutputError, ValueError) as exc:
            QMessageBox.warning(self, _("Cannot export the plan"), str(exc))
            return False
        self.last_written = []
        self.thread = ExportThread(job, out, fmt, self)
        self.progress = QProgressDialog(_("Writing the plan…"), _("Cancel"), 0, max(1, len(self.sheets)), self)
        self.progress.setWindowTitle(_("Export plan"))
        self.progress.setWindowModality(Qt.WindowModal)
        self.progress.setMinimumDuration(400)
        self.progress.canceled.connect(self.thread.cancel)
        self.thread.progressed.connect(self._progressed)
        self.thread.finished_ok.connect(self._exported)
        self.thread.failed.connect(self._export_failed)
        self.thread.finished.connect(self._thread_done)
        self._update_buttons()
        self.thread.start()
        return True

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(1, total))
        self.progress.setValue(done)
        self.progress.setLabelText(_("Writing sheet {x} of {y}…").format(x=min(done + 1, total), y=total))

    def _exported(self, paths: list) -> None:
        self.last_written = list(paths)
        self.progress.reset()
        names = "\n".join(Path(p).name for p in paths[:12])
        if len(paths) > 12:
            names += "\n…"
        self.summary.setText(self._describe() + "\n\n" + _("Written: {path}").format(path=", ".join(
            Path(p).name for p in paths[:3]) + (" …" if len(paths) > 3 else "")))
        self.summary.setToolTip(names)

    def _export_failed(self, message: str) -> None:
        self.progress.reset()
        if message:
            QMessageBox.warning(self, _("Cannot export the plan"), message)

    def _thread_done(self) -> None:
        thread, self.thread = self.thread, None
        if thread is not None:
            thread.deleteLater()
        self._update_buttons()

    def done(self, result: int) -> None:
        """Closing while a file is being written stops the writing first (nothing is left behind)."""
        if self.thread is not None:
            self.thread.cancel()
            self.thread.wait()
        super().done(result)

    def wait_for_export(self, timeout_ms: int = 60_000) -> None:
        if self.thread is not None:
            self.thread.wait(timeout_ms)

    # --- print --------------------------------------------------------------------------
    def choose_printer_and_print(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        if not self.sheets:
            return
        printer = QPrinter(QPrinter.HighResolution)
        self._set_page(printer, self.sheets[0])
        printer.setDocName(self.job.heading.mpp_name)
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, len(self.sheets))
        dialog.setOption(QPrintDialog.PrintPageRange, True)
        if dialog.exec() == QDialog.Accepted:
            self.print_to(printer)

    @staticmethod
    def _set_page(printer, sheet) -> None:
        printer.setFullPage(True)
        printer.setPageSize(QPageSize(PAPER_SIZES[sheet.frame.paper]))
        printer.setPageOrientation(QPageLayout.Landscape if sheet.frame.orientation == "landscape"
                                   else QPageLayout.Portrait)

    def print_to(self, printer) -> int:
        """Print the sheets (or the chosen page range) at their paper size; returns pages printed."""
        from PySide6.QtWidgets import QApplication

        first, last = printer.fromPage(), printer.toPage()
        indexes = [i for i in range(len(self.sheets)) if not first or first - 1 <= i <= (last or len(self.sheets)) - 1]
        if not indexes:
            return 0
        self._set_page(printer, self.sheets[indexes[0]])
        dpi = min(300, max(72, printer.resolution()))
        progress = QProgressDialog(_("Printing the plan…"), _("Cancel"), 0, len(indexes), self)
        progress.setWindowModality(Qt.WindowModal)
        progress.setMinimumDuration(400)
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(self, _("Cannot print the plan"), _("The printer could not be started."))
            return 0
        printed = 0
        try:
            for n, index in enumerate(indexes):
                if progress.wasCanceled():
                    break
                if n:
                    self._set_page(printer, self.sheets[index])
                    printer.newPage()
                pixmap = self.render_sheet(index, dpi)
                target = printer.pageLayout().fullRectPixels(printer.resolution())
                painter.drawPixmap(target, pixmap)
                printed += 1
                progress.setValue(n + 1)
                QApplication.processEvents()
        finally:
            painter.end()
            progress.reset()
        return printed


