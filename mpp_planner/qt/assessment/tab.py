"""The Evaluasi tab (PEKPPP self-assessment): one table per aspect — each indicator's score as N/5 with a small
bar, the score it would reach if the open needs were all met (before/after), and the next step — the total, and
a detail pane with the evidence (the rooms and items that counted) and the suggested needs of the chosen indicator.

The assessment is read in a job (``reads.assessment.before_after``) and read again after edits of what it counts;
"Create needs from the assessment" is one undoable command; the sheet is exported and printed as jobs."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QAction, QColor, QPainter
from PySide6.QtWidgets import (QFileDialog, QFrame, QHBoxLayout, QHeaderView, QLabel, QListWidget, QMessageBox,
                               QPushButton, QScrollArea, QSplitter, QStyledItemDelegate, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from mpp_planner.formats import number
from mpp_planner.i18n import _
from mpp_planner.model.labels import item_name
from mpp_planner.project import Changes, Topic
from mpp_planner.qt.jobs import JobHandle, run_job, show_job_error
from mpp_planner.qt.message_line import MessageLine
from mpp_planner.qt.signals import connect_when_visible
from mpp_planner.reads import assessment as reads

ORIGIN = "assessment"
#: what the indicators count: rooms and their floors, items placed and listed, needs, the survey, the checklist
WATCHED = (Topic.ROOMS, Topic.FLOORS, Topic.COUNTERS, Topic.INVENTORY, Topic.CATALOG, Topic.NEEDS, Topic.SURVEY,
           Topic.SURVEY_ACTIONS, Topic.CHECKLIST)
COL_NAME, COL_SCORE, COL_AFTER, COL_NEXT = range(4)
SCORE_ROLE = Qt.UserRole + 1  # the score (int) a score cell draws as a bar
MAX_ROLE = Qt.UserRole + 2
KEY_ROLE = Qt.UserRole + 3  # the indicator's key, on the name cell
#: bar colours by score: weak (0-1), fair (2-3), good (4-5)
BAR_COLOURS = ("#C0392B", "#C0392B", "#D68910", "#D68910", "#1E8449", "#1E8449")
RAISED_BG = QColor("#E8F6EE")  # a score the open needs would raise


def score_text(score: int, max_score: int = 5) -> str:
    return f"{score}/{max_score}"


def write_assessment(reader, out: Path, fmt: str, rules: Path | None, paper: str | None = None) -> Path:
    """The worker's part of the assessment sheet: read through the job's reader, write atomically."""
    from mpp_planner.reports.assessment import write

    return write(reader, out, fmt, rules=rules, paper=paper)


class ScoreDelegate(QStyledItemDelegate):
    """Draws a score cell as its text ("3/5") beside a small bar filled to the score."""

    def paint(self, painter: QPainter, option, index) -> None:
        score = index.data(SCORE_ROLE)
        if score is None:
            super().paint(painter, option, index)
            return
        top = index.data(MAX_ROLE) or 5
        background = index.data(Qt.BackgroundRole)
        painter.save()
        if background is not None:
            painter.fillRect(option.rect, background)
        r = option.rect.adjusted(6, 0, -6, 0)
        text_w = option.fontMetrics.horizontalAdvance("5/5") + 8
        painter.drawText(QRect(r.left(), r.top(), text_w, r.height()), int(Qt.AlignLeft | Qt.AlignVCenter),
                         str(index.data(Qt.DisplayRole)))
        bar = QRect(r.left() + text_w, r.center().y() - 4, max(10, r.width() - text_w), 8)
        painter.setPen(QColor("#AAB7B8"))
        painter.setBrush(QColor("#F2F3F4"))
        painter.drawRect(bar)
        filled = int(bar.width() * max(0, min(score, top)) / top)
        if filled:
            painter.fillRect(QRect(bar.left() + 1, bar.top() + 1, filled - 1, bar.height() - 1),
                             QColor(BAR_COLOURS[max(0, min(score, 5))]))
        painter.restore()


def cell(text: str, tooltip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemIsEditable)
    if tooltip:
        item.setToolTip(tooltip)
    return item


class AssessmentTab(QWidget):
    #: emitted each time a new assessment is shown
    computed = Signal()

    def __init__(self, project, signals, undo_stack, parent=None):
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.rules_path: Path | None = None
        self.result: reads.BeforeAfter | None = None
        self.job: JobHandle | None = None  # the last assessment job
        self.jobs: list[JobHandle] = []  # exports still running
        self._generation = 0  # only the newest job's result is shown
        self.busy = False  # an assessment job is running
        self.aspect_tables: dict[str, QTableWidget] = {}
        self.delegate = ScoreDelegate(self)

        self._build_actions()
        self.message = MessageLine()
        self.btn_needs = QPushButton(_("Create needs from the assessment"))
        self.btn_needs.setToolTip(_("Add a need for every suggested item that is not planned yet (one step you can "
                                    "undo)."))
        self.btn_needs.clicked.connect(lambda: self.create_needs())
        self.btn_needs.setEnabled(False)
        self.btn_rules = QPushButton(_("Rule file…"))
        self.btn_rules.setToolTip(_("Assess with another PEKPPP instrument file (TOML)"))
        self.btn_rules.clicked.connect(self.choose_rules)
        self.rules_label = QLabel()
        self.rules_label.setStyleSheet("color: #566573;")
        self.btn_export = QPushButton(_("Export…"))
        self.btn_export.setToolTip(_("The assessment sheet as PDF, XLSX or CSV"))
        self.btn_export.clicked.connect(self.export_dialog)
        self.btn_print = QPushButton(_("Print…"))
        self.btn_print.clicked.connect(lambda: self.print_dialog())
        self.btn_preview = QPushButton(_("Print preview…"))
        self.btn_preview.clicked.connect(lambda: self.print_preview())
        top = QHBoxLayout()
        for b in (self.btn_needs, self.btn_export, self.btn_print, self.btn_preview):
            top.addWidget(b)
        top.addStretch(1)
        top.addWidget(self.rules_label)
        top.addWidget(self.btn_rules)

        self.total = QLabel("–")
        self.total.setObjectName("total")
        font = self.total.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.total.setFont(font)
        self.total_after = QLabel()
        self.total_after.setObjectName("total_after")
        self.status = QLabel(_("Assessing…"))
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #5A6470;")
        totals = QHBoxLayout()
        totals.addWidget(self.total)
        totals.addSpacing(24)
        totals.addWidget(self.total_after)
        totals.addStretch(1)

        self.aspects = QWidget()
        self.aspects_layout = QVBoxLayout(self.aspects)
        self.aspects_layout.setContentsMargins(0, 0, 0, 0)
        self.aspects_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setWidget(self.aspects)

        # the detail pane: what earned the chosen indicator its score, and what the next level needs
        self.detail_title = QLabel(_("Choose an indicator to see its evidence."))
        self.detail_title.setWordWrap(True)
        bold = self.detail_title.font()
        bold.setBold(True)
        self.detail_title.setFont(bold)
        self.evidence = QListWidget()
        self.evidence.setObjectName("evidence")
        self.evidence.setWordWrap(True)
        self.next_step = QLabel()
        self.next_step.setObjectName("next_step")
        self.next_step.setWordWrap(True)
        self.suggestions = QListWidget()
        self.suggestions.setObjectName("suggestions")
        self.suggestions.setWordWrap(True)
        detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(6, 0, 0, 0)
        dl.addWidget(self.detail_title)
        dl.addWidget(QLabel(_("Evidence (rooms and items counted):")))
        dl.addWidget(self.evidence, 2)
        dl.addWidget(QLabel(_("Next step:")))
        dl.addWidget(self.next_step)
        dl.addWidget(QLabel(_("Suggested needs:")))
        dl.addWidget(self.suggestions, 1)

        split = QSplitter()
        split.addWidget(scroll)
        split.addWidget(detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([950, 380])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.message)
        layout.addLayout(top)
        layout.addLayout(totals)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        self._show_rules_name()
        connect_when_visible(signals, self, self.apply_changes, *WATCHED)
        self.recompute()

    # --- actions for the File menus ---------------------------------------------------------
    def _build_actions(self) -> None:
        self.act_export = QAction(_("Assessment Sheet (PDF, XLSX, CSV)…"), self, triggered=self.export_dialog)
        self.act_print = QAction(_("Print Assessment Sheet…"), self, triggered=lambda: self.print_dialog())
        self.act_preview = QAction(_("Print Preview of the Assessment Sheet…"), self,
                                   triggered=lambda: self.print_preview())

    def export_actions(self) -> list[QAction]:
        return [self.act_export]

    def print_actions(self) -> list[QAction]:
        return [self.act_print, self.act_preview]

    # --- the assessment -------------------------------------------------------------------------
    def _show_rules_name(self) -> None:
        name = self.rules_path.name if self.rules_path else _("shipped PEKPPP instrument")
        self.rules_label.setText(_("Instrument: {name}").format(name=name))

    def choose_rules(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("PEKPPP instrument file"), "",
                                                    _("Rule files (*.toml);;All files (*)"))
        if path:
            self.use_rules(Path(path))

    def use_rules(self, path: Path | None) -> JobHandle:
        """Assess with the instrument ``path`` (None: the shipped one); kept only when it can be read — a broken
        file is told with its line and the former instrument stays."""
        return self._assess(path)

    def recompute(self) -> JobHandle:
        """Read the assessment (now and with the open needs met) in a job; shown when done."""
        return self._assess(self.rules_path)

    def _assess(self, path: Path | None) -> JobHandle:
        self._generation += 1
        generation = self._generation
        if self.job is not None and self.busy:
            self.job.cancel()  # its result would be stale anyway
        self.btn_needs.setEnabled(False)
        self.status.setText(_("Assessing…"))

        def done(result: reads.BeforeAfter) -> None:
            if generation != self._generation:
                return
            self.rules_path = path
            self._show_rules_name()
            self.show_result(result)

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self._show_status()
            self.btn_needs.setEnabled(self._has_suggestions())
            from mpp_planner.standards import RuleFileError

            if isinstance(exc, RuleFileError):
                self.message.tell(str(exc))
                QMessageBox.warning(self, _("Cannot assess"), str(exc))
            else:
                show_job_error(self, _("Assessment"), exc)

        self.busy = True
        handle = self.job = run_job(self, _("Assessment"), lambda reader: reads.before_after(reader, path),
                                    project=self.project, on_done=done, on_failed=failed)
        handle.finished.connect(lambda: self._ended(handle))
        return handle

    def _ended(self, handle: JobHandle) -> None:
        if handle is self.job:
            self.busy = False

    def apply_changes(self, changes: Changes) -> None:
        self.recompute()

    # --- showing it -------------------------------------------------------------------------------
    def show_result(self, result: reads.BeforeAfter) -> None:
        self.result = result
        self.message.hide()
        now = result.now
        selected = self.selected_key()
        while self.aspects_layout.count() > 1:  # the aspects of the last assessment go (the stretch stays)
            item = self.aspects_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.aspect_tables = {}
        by_aspect: dict[str, list] = {}
        for ind in now.indicators:
            by_aspect.setdefault(ind.aspect, []).append(ind)
        aspects = now.by_aspect
        for i, (aspect, indicators) in enumerate(by_aspect.items()):
            self.aspects_layout.insertWidget(2 * i, self._aspect_title(aspects[aspect].name, indicators))
            table = self._aspect_table(indicators, result)
            table.setAccessibleName(aspects[aspect].name)  # what a screen reader calls the table
            self.aspect_tables[aspect] = table
            self.aspects_layout.insertWidget(2 * i + 1, table)
        self._show_totals()
        self._show_status()
        self.btn_needs.setEnabled(self._has_suggestions())
        if not self.select_key(selected) and now.indicators:
            self.select_key(now.indicators[0].key)
        self.computed.emit()

    def _aspect_title(self, name: str, indicators) -> QLabel:
        got = sum(r.score for r in indicators)
        top = sum(r.max_score for r in indicators)
        title = QLabel(f"<b>{html.escape(name)}</b> — " + _("{got} of {top} points").format(got=got, top=top))
        title.setObjectName("aspect_title")
        title.setContentsMargins(0, 8, 0, 2)
        return title

    def _aspect_table(self, indicators, result: reads.BeforeAfter) -> QTableWidget:
        table = QTableWidget(len(indicators), 4)
        table.setObjectName("aspect_table")
        table.setHorizontalHeaderLabels([_("Indicator"), _("Score"), _("If open needs are met"), _("Next step")])
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QTableWidget.NoEditTriggers)
        table.setSelectionBehavior(QTableWidget.SelectRows)
        table.setSelectionMode(QTableWidget.SingleSelection)
        table.setWordWrap(True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.Interactive)
        header.setSectionResizeMode(COL_NEXT, QHeaderView.Stretch)
        table.setColumnWidth(COL_NAME, 300)
        table.setColumnWidth(COL_SCORE, 130)
        table.setColumnWidth(COL_AFTER, 175)
        table.setItemDelegateForColumn(COL_SCORE, self.delegate)
        table.setItemDelegateForColumn(COL_AFTER, self.delegate)
        for row, ind in enumerate(indicators):
            name = cell(ind.name, ind.name)
            name.setData(KEY_ROLE, ind.key)
            table.setItem(row, COL_NAME, name)
            table.setItem(row, COL_SCORE, self._score_cell(ind.score, ind.max_score))
            after = result.after_score(ind.key)
            after_cell = self._score_cell(after if after is not None else ind.score, ind.max_score)
            if after is not None and after > ind.score:
                after_cell.setBackground(RAISED_BG)
                after_cell.setToolTip(_("The open needs would raise this score from {a} to {b}.").format(
                    a=score_text(ind.score, ind.max_score), b=score_text(after, ind.max_score)))
            table.setItem(row, COL_AFTER, after_cell)
            step = ind.next_step or _("Highest level reached.")
            table.setItem(row, COL_NEXT, cell(step, step))
        table.verticalHeader().setDefaultSectionSize(36)  # two lines of a long name; the tooltip has it all
        height = table.horizontalHeader().height() + sum(table.rowHeight(r) for r in range(table.rowCount())) + 4
        table.setFixedHeight(height)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        table.itemSelectionChanged.connect(lambda t=table: self._selection_changed(t))
        return table

    @staticmethod
    def _score_cell(score: int, max_score: int) -> QTableWidgetItem:
        item = cell(score_text(score, max_score))
        item.setData(SCORE_ROLE, score)
        item.setData(MAX_ROLE, max_score)
        return item

    def _show_totals(self) -> None:
        if self.result is None:
            return
        now, after = self.result.now, self.result.after
        self.total.setText(_("Total: {got} of {top} points (index {index}/5)").format(
            got=now.total, top=now.max_total, index=number(now.weighted_index, 2)))
        if after.total > now.total:
            self.total_after.setText(_("With the open needs met: {got} points (index {index}/5)").format(
                got=after.total, index=number(after.weighted_index, 2)))
            self.total_after.setStyleSheet("color: #1E7B4A; font-weight: bold;")
        else:
            self.total_after.setText(_("The open needs raise no score."))
            self.total_after.setStyleSheet("color: #5A6470;")

    def _show_status(self) -> None:
        if self.result is None:
            self.status.setText(_("No assessment yet."))
            return
        inds = self.result.now.indicators
        below = sum(1 for r in inds if r.score < r.max_score)
        self.status.setText(_("{n} indicators, {m} below the highest level. Choose one to see its evidence.").format(
            n=len(inds), m=below))

    def _has_suggestions(self) -> bool:
        return self.result is not None and any(r.suggestions for r in self.result.now.indicators)

    # --- the detail pane --------------------------------------------------------------------------
    def indicator(self, key: str | None):
        if self.result is None or key is None:
            return None
        return next((r for r in self.result.now.indicators if r.key == key), None)

    def selected_key(self) -> str | None:
        for table in self.aspect_tables.values():
            rows = table.selectionModel().selectedRows() if table.selectionModel() else []
            if rows:
                return table.item(rows[0].row(), COL_NAME).data(KEY_ROLE)
        return None

    def select_key(self, key: str | None) -> bool:
        """Select the indicator ``key`` (its row, in its aspect's table); False when it is not shown."""
        for table in self.aspect_tables.values():
            for row in range(table.rowCount()):
                if table.item(row, COL_NAME).data(KEY_ROLE) == key:
                    table.selectRow(row)
                    self._show_detail(key)
                    return True
        return False

    def _selection_changed(self, table: QTableWidget) -> None:
        rows = table.selectionModel().selectedRows()
        if not rows:
            return
        for other in self.aspect_tables.values():  # one indicator chosen at a time, across the aspects
            if other is not table:
                other.blockSignals(True)
                other.clearSelection()
                other.blockSignals(False)
        self._show_detail(table.item(rows[0].row(), COL_NAME).data(KEY_ROLE))

    def _show_detail(self, key: str | None) -> None:
        ind = self.indicator(key)
        self.evidence.clear()
        self.suggestions.clear()
        if ind is None:
            self.detail_title.setText(_("Choose an indicator to see its evidence."))
            self.next_step.setText("")
            return
        self.detail_title.setText(f"{ind.name} — {score_text(ind.score, ind.max_score)}")
        self.evidence.addItems(list(ind.evidence) or [_("(nothing counted)")])
        self.next_step.setText(ind.next_step or _("Highest level reached."))
        for sug in ind.suggestions:
            qty = format(sug.quantity.normalize(), "f") if hasattr(sug.quantity, "normalize") else str(sug.quantity)
            name = item_name(sug.item_key, self.result.item_names if self.result else {})
            self.suggestions.addItem(f"{name} × {qty}")

    # --- needs ------------------------------------------------------------------------------------
    def create_needs(self) -> bool:
        """Add the assessment's suggested needs not planned yet, as one undoable step; tell how many."""
        from mpp_planner.commands.assessment import create_needs

        result = self.result
        if result is None:
            return False
        title = _("Create needs from the assessment")
        command = create_needs(self.project, result.now)
        if not command.objects:
            QMessageBox.information(self, title, _("No need was added: the open needs already cover every "
                                                   "suggestion."))
            return False
        if not self.undo_stack.run(command, origin=ORIGIN, report=self.message.tell, parent=self):
            return False
        text = _("{n} need(s) added; see Inventory & Needs.").format(n=len(command.objects))
        self.status.setText(text)
        QMessageBox.information(self, title, text)
        return True

    # --- export and print -------------------------------------------------------------------------
    def export_dialog(self) -> None:
        folder = self.project.path.parent
        path, chosen = QFileDialog.getSaveFileName(
            self, _("Export assessment sheet"), str(folder / "Evaluasi PEKPPP.pdf"),
            _("PDF (*.pdf)") + ";;" + _("Excel workbook (*.xlsx)") + ";;" + _("CSV (*.csv)"))
        if not path:
            return
        if not Path(path).suffix:
            path += {"xlsx": ".xlsx", "csv": ".csv"}.get(next((k for k in ("xlsx", "csv") if k in chosen.lower()),
                                                              ""), ".pdf")
        self.start_export(Path(path))

    def start_export(self, out: Path) -> JobHandle | None:
        """Write the assessment sheet as a job (off the GUI thread, with Cancel)."""
        from mpp_planner.reports.assessment import FORMATS
        from mpp_planner.reports.output import OutputError, check_output_path

        try:
            out, fmt = check_output_path(out, FORMATS)
        except OutputError as exc:
            QMessageBox.warning(self, _("Cannot export"), str(exc))
            return None
        rules = self.rules_path
        handle = run_job(self, _("Export"), lambda reader: write_assessment(reader, out, fmt, rules),
                         project=self.project, label=_("Writing {file}…").format(file=out.name),
                         on_done=lambda written: self.status.setText(_("Written: {path}").format(path=written)),
                         on_failed=lambda exc: show_job_error(self, _("Cannot export"), exc))
        self.jobs.append(handle)
        handle.finished.connect(lambda: self.jobs.remove(handle) if handle in self.jobs else None)
        return handle

    def sheet_printing(self):
        """The assessment sheet through the print service (qt/sheet_print), on the project's paper."""
        from mpp_planner.qt.sheet_print import SheetPrinting
        from mpp_planner.reads.site import sheet_paper

        rules = self.rules_path
        self.printing = SheetPrinting(self, self.project, _("PEKPPP self-assessment"),
                                      lambda reader, path, paper: write_assessment(reader, path, "pdf", rules, paper),
                                      default_paper=sheet_paper(self.project), landscape=False,
                                      on_refused=self.message.tell)
        return self.printing

    def print_dialog(self):
        return self.sheet_printing().print_dialog()

    def print_preview(self):
        return self.sheet_printing().preview()
