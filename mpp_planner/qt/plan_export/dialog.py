"""The plan export and print dialog: options on the left, a live preview of the sheets on the right.

The preview reads the project on the GUI thread (a few batched queries into plain data). Exporting
and printing run as jobs (:func:`mpp_planner.qt.jobs.run_job`): the worker reads the plan on its own
connection, lays out and renders the sheets behind a progress dialog with Cancel, so a big plan does
not freeze the window, and a cancelled export leaves no file. Printing renders each sheet at the
printer's resolution (up to 300 dpi) in the worker, then puts the images on full pages of the sheet's
paper size, so the print keeps the scale at 100 %.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFileDialog, QFormLayout, QGridLayout, QGroupBox,
                               QHBoxLayout, QLabel, QMessageBox, QPushButton, QSizePolicy, QSpinBox, QVBoxLayout,
                               QWidget)

from mpp_planner.i18n import N_, _
from mpp_planner.jobs import checkpoint
from mpp_planner.qt.jobs import JobHandle, run_job, show_job_error
from mpp_planner.reads.plan import floor_list, underlay_flags
from mpp_planner.reports import plan as plan_report
from mpp_planner.reports import plan_layout

LAYER_LABELS = (("background", N_("Background image")), ("rooms", N_("Rooms with areas")),
                ("walls", N_("Walls, doors and windows")),
                ("counters", N_("Counters with agencies")), ("furniture", N_("Furniture")),
                ("dimensions", N_("Dimensions")), ("labels", N_("Text labels")),
                ("underlay", N_("Architect's drawing (underlay)")))
SCALES = (("1:50", "1:50"), ("1:100", "1:100"), ("1:200", "1:200"), ("fit", N_("Fit to paper")))
# F4/Folio 215 x 330 mm is Qt's 8,5 x 13 in sheet (FanFoldGermanLegal)
PAPER_SIZES = {"A4": QPageSize.A4, "F4": QPageSize.FanFoldGermanLegal, "A3": QPageSize.A3, "A2": QPageSize.A2}
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


def export_work(options: plan_report.PlanOptions, floor_ids: list[int] | None, out: Path, fmt: str):
    """The export job: read the plan through the worker's own connection, lay it out, write the files."""

    def progress(done: int, total: int) -> None:
        checkpoint(done, total, _("Writing sheet {x} of {y}…").format(x=min(done + 1, total), y=total))

    def work(reader) -> list[str]:
        job = plan_report.prepare(reader, options, floor_ids=floor_ids)
        return [str(p) for p in plan_report.write(job, out, fmt, progress=progress)]

    return work


def print_work(options: plan_report.PlanOptions, floor_ids: list[int] | None, indexes: list[int], dpi: int):
    """The rendering half of printing: the chosen sheets as (paper, orientation, PNG bytes), drawn in
    the worker; the GUI thread only puts them on the printer's pages."""

    def work(reader) -> list[tuple[str, str, bytes]]:
        from mpp_planner.reports.plan_png import png_bytes
        from mpp_planner.reports.plan_sheet import compose

        job = plan_report.prepare(reader, options, floor_ids=floor_ids)
        sheets = job.sheets()
        pages = []
        for n, index in enumerate(i for i in indexes if i < len(sheets)):  # never past the last sheet
            checkpoint(n, len(indexes), _("Drawing sheet {x} of {y}…").format(x=n + 1, y=len(indexes)))
            sheet = sheets[index]
            pages.append((sheet.frame.paper, sheet.frame.orientation, png_bytes(compose(sheet, job.heading), dpi)))
        checkpoint(len(indexes), len(indexes))
        return pages

    return work


class PlanExportDialog(QDialog):
    """Choose floor, scale, paper, layers and colours; see the sheets; export or print them."""

    def __init__(self, project, parent=None, *, floor_id: int | None = None, for_print: bool = False):
        super().__init__(parent)
        self.project = project
        self.setWindowTitle(_("Print plan") if for_print else _("Export plan"))
        self.sheet_index = 0
        self.sheets: list = []
        self.job = None  # the preview's sheets (read on the GUI thread)
        self.export_job: JobHandle | None = None  # an export or a print running
        self.last_written: list[str] = []
        self.last_printed = 0
        self.error = ""
        self._page_cache: dict[int, QPixmap] = {}

        self.floor = QComboBox()
        for floor in floor_list(project):
            self.floor.addItem(floor.name, floor.id)
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
        for name in PAPER_SIZES:
            self.paper.addItem(name, name)
        self.paper.setCurrentIndex(self.paper.findData("A3"))
        self.orientation = QComboBox()
        for value, label in (("auto", _("Automatic")), ("portrait", _("Portrait")), ("landscape", _("Landscape"))):
            self.orientation.addItem(label, value)
        self.colour = QComboBox()
        self.colour.addItem(_("By agency"), "agency")
        self.colour.addItem(_("By tier"), "tier")
        self.layer_boxes: dict[str, QCheckBox] = {}
        layers = QGroupBox(_("Show"))
        grid = QGridLayout(layers)
        has_underlay, underlay_printed = underlay_flags(project)
        for i, (key, label) in enumerate(LAYER_LABELS):
            box = QCheckBox(_(label))
            box.setChecked(underlay_printed if key == "underlay" else True)
            box.setVisible(key != "underlay" or has_underlay)  # only where an architect's DXF was imported
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
        ok = bool(self.sheets) and not self.error and self.export_job is None
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
        """Start writing ``path`` as a job; False when it cannot start (message shown)."""
        from mpp_planner.reports.output import OutputError, check_output_path

        if self.export_job is not None:
            return False
        try:
            out, fmt = check_output_path(path, plan_report.FORMATS)
            options = self.options()
        except (OutputError, ValueError) as exc:
            QMessageBox.warning(self, _("Cannot export the plan"), str(exc))
            return False
        self.last_written = []
        self._start(run_job(self, _("Export plan"), export_work(options, self.floor_ids(), out, fmt),
                            project=self.project, label=_("Writing the plan…"), on_done=self._exported,
                            on_failed=lambda exc: self._export_failed(exc, out)))
        return True

    def _start(self, handle: JobHandle) -> None:
        self.export_job = handle
        handle.finished.connect(self._job_done)
        self._update_buttons()

    def _exported(self, paths: list) -> None:
        self.last_written = list(paths)
        names = "\n".join(Path(p).name for p in paths[:12])
        if len(paths) > 12:
            names += "\n…"
        self.summary.setText(self._describe() + "\n\n" + _("Written: {path}").format(path=", ".join(
            Path(p).name for p in paths[:3]) + (" …" if len(paths) > 3 else "")))
        self.summary.setToolTip(names)

    def _export_failed(self, exc: BaseException, out: Path) -> None:
        from mpp_planner.reports.output import OutputError

        if isinstance(exc, (ValueError, OutputError)):  # a floor gone, a PNG too large to draw...
            QMessageBox.warning(self, _("Cannot export the plan"), str(exc))
        elif isinstance(exc, OSError):  # the target, not the project: say which file
            QMessageBox.warning(self, _("Cannot export the plan"), _("Cannot write '{path}': {error}").format(
                path=out, error=exc.strerror or exc))
        else:
            show_job_error(self, _("Export plan"), exc)

    def _job_done(self) -> None:
        self.export_job = None
        self._update_buttons()

    def done(self, result: int) -> None:
        """Closing while a file is being written stops the writing first (nothing is left behind)."""
        if self.export_job is not None:
            self.export_job.cancel()
            self.export_job.wait()
        super().done(result)

    def wait_for_export(self, timeout_ms: int = 60_000) -> bool:
        """Block until the running export or print has ended (its results arrive with the next events)."""
        return self.export_job.wait(timeout_ms) if self.export_job is not None else True

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
        PlanExportDialog._set_paper(printer, sheet.frame.paper, sheet.frame.orientation)

    @staticmethod
    def _set_paper(printer, paper: str, orientation: str) -> None:
        printer.setFullPage(True)
        printer.setPageSize(QPageSize(PAPER_SIZES[paper]))
        printer.setPageOrientation(QPageLayout.Landscape if orientation == "landscape" else QPageLayout.Portrait)

    def print_to(self, printer) -> JobHandle | None:
        """Print the sheets (or the chosen page range) at their paper size, as a job: the sheets are drawn
        in the worker, then put on the pages; :attr:`last_printed` says how many. None: nothing to print."""
        first, last = printer.fromPage(), printer.toPage()
        indexes = [i for i in range(len(self.sheets)) if not first or first - 1 <= i <= (last or len(self.sheets)) - 1]
        if not indexes or self.export_job is not None:
            return None
        try:
            options = self.options()
        except ValueError as exc:
            QMessageBox.warning(self, _("Cannot print the plan"), str(exc))
            return None
        self.last_printed = 0
        dpi = min(300, max(72, printer.resolution()))
        handle = run_job(self, _("Print plan"), print_work(options, self.floor_ids(), indexes, dpi),
                         project=self.project, label=_("Printing the plan…"),
                         on_done=lambda pages: self._put_on_paper(printer, pages))  # holds the printer till then
        self._start(handle)
        return handle

    def _put_on_paper(self, printer, pages: list[tuple[str, str, bytes]]) -> None:
        if not pages:
            return
        self._set_paper(printer, *pages[0][:2])
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(self, _("Cannot print the plan"), _("The printer could not be started."))
            return
        try:
            for n, (paper, orientation, png) in enumerate(pages):
                if n:
                    self._set_paper(printer, paper, orientation)
                    printer.newPage()
                target = printer.pageLayout().fullRectPixels(printer.resolution())
                painter.drawImage(target, QImage.fromData(png, "PNG"))
                self.last_printed = n + 1
        finally:
            painter.end()
