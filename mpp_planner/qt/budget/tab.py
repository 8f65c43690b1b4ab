"""The budget tab: the lines of one fiscal year grouped along the account codes, edited in
place (every edit one undoable command), with totals per room and priority, requested vs
approved, the ceiling (pagu) check, budgeting open gaps, and the printed request sheet."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QTimer, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QGroupBox, QHBoxLayout, QHeaderView,
                               QInputDialog, QLabel, QSplitter, QTableWidget, QTableWidgetItem, QToolBar, QToolTip,
                               QTreeView, QVBoxLayout, QWidget)

from mpp_planner.commands import budget as cmd
from mpp_planner.formats import rupiah
from mpp_planner.i18n import _, ngettext
from mpp_planner.model import BudgetLine
from mpp_planner.model.budget_summary import CeilingCheck, totals, totals_by_priority, totals_by_room
from mpp_planner.project import Changes, Topic
from mpp_planner.qt.jobs import JobHandle, run_job, show_job_error
from mpp_planner.qt.signals import connect_when_visible
from mpp_planner.qt.undo import REFUSALS, refusal_text
from mpp_planner.qt.budget.checks import BudgetChecksDialog
from mpp_planner.qt.budget.delegates import BudgetDelegate, priority_choices, status_choices
from mpp_planner.qt.budget.dialogs import (AccountCodesDialog, BudgetLineDialog, BudgetSettingsDialog, CopyYearDialog,
                                           GapsDialog, account_choices)
from mpp_planner.qt.budget.model import COLUMN_INDEX, COLUMNS, KIND_ROLE, LINE_ID_ROLE, ORIGIN, PRIORITY_LABELS, \
    BudgetTreeModel
from mpp_planner.qt.message_line import WARN, MessageLine
from mpp_planner.reads import budget as reads

NOTE = "color: #1E6B34;"  # the message line telling what was done (refusals are in WARN)

#: what the tab shows: its lines, the names they refer to, the ceilings and the settings
SHOWN = (Topic.BUDGET, Topic.CEILINGS, Topic.ACCOUNTS, Topic.SITE, Topic.ROOMS, Topic.NEEDS, Topic.CATALOG)


class BudgetTab(QWidget):
    def __init__(self, project, signals, undo_stack, parent=None):
        super().__init__(parent)
        self.project = project
        self.signals = signals
        self.undo_stack = undo_stack
        self.extra_years: set[int] = set()
        self.lines: list[BudgetLine] = []
        self.room_names: dict[int, str] = {}
        self.need_names: dict[int, str] = {}
        self.ceiling: Decimal | None = None
        self._collapsed: set[str] = set()
        self._restoring = False
        self.checks: BudgetChecksDialog | None = None  # the window of the budget checks, made when first used

        self.year = QComboBox()
        self.year.setObjectName("year")
        self.year.setMinimumWidth(80)
        self.year.currentIndexChanged.connect(lambda _i: self.reload())
        self._build_actions()

        self.model = BudgetTreeModel(project, undo_stack, self)
        self.model.refused.connect(self.show_refusal)
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(False)
        self.view.setUniformRowHeights(True)
        self.view.setIndentation(14)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed
                                  | QAbstractItemView.AnyKeyPressed)
        self.delegate = BudgetDelegate(self.choices, self.view)
        self.view.setItemDelegate(self.delegate)
        self.view.header().setSectionResizeMode(QHeaderView.Interactive)
        self.view.header().setStretchLastSection(True)
        metrics = self.view.header().fontMetrics()
        for i, col in enumerate(COLUMNS):  # never narrower than the (translated) header text
            self.view.setColumnWidth(i, max(col.width, metrics.horizontalAdvance(_(col.header)) + 20))
        self.view.collapsed.connect(lambda ix: self._remember_expansion(ix, False))
        self.view.expanded.connect(lambda ix: self._remember_expansion(ix, True))
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._update_enabled())

        self.message = MessageLine()

        toolbar = QToolBar()
        toolbar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        toolbar.addWidget(QLabel(_("Fiscal year:") + " "))
        toolbar.addWidget(self.year)
        for act in (self.act_add_year, None, self.act_add, self.act_edit, self.act_delete, self.act_up,
                    self.act_down, None, self.act_copy, self.act_gaps, None, self.act_codes, self.act_settings,
                    None, self.act_check, self.act_preview):
            if act is None:
                toolbar.addSeparator()
            else:
                toolbar.addAction(act)

        # --- summary: totals, per priority, per room ---
        self.totals = QLabel()
        self.totals.setObjectName("totals")
        self.totals.setWordWrap(True)
        self.totals.setTextFormat(Qt.RichText)
        self.ceiling_label = QLabel()
        self.ceiling_label.setObjectName("ceiling")
        self.ceiling_label.setWordWrap(True)
        totals_box = QGroupBox(_("Request"))
        tv = QVBoxLayout(totals_box)
        tv.addWidget(self.totals)
        tv.addWidget(self.ceiling_label)
        tv.addStretch(1)
        self.priority_table = self._summary_table([_("Priority"), _("Lines"), _("Requested (Rp)"),
                                                   _("Approved (Rp)")])
        self.room_table = self._summary_table([_("Location"), _("Lines"), _("Requested (Rp)"), _("Approved (Rp)")])
        prio_box = QGroupBox(_("Per priority"))
        QVBoxLayout(prio_box).addWidget(self.priority_table)
        room_box = QGroupBox(_("Per location"))
        QVBoxLayout(room_box).addWidget(self.room_table)
        summary = QWidget()
        sh = QHBoxLayout(summary)
        sh.setContentsMargins(0, 0, 0, 0)
        sh.addWidget(totals_box, 3)
        sh.addWidget(prio_box, 3)
        sh.addWidget(room_box, 4)

        split = QSplitter(Qt.Vertical)
        split.addWidget(self.view)
        split.addWidget(summary)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([560, 220])
        layout = QVBoxLayout(self)
        layout.addWidget(toolbar)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)

        self.reload_years()
        connect_when_visible(signals, self, self.apply_changes, *SHOWN)

    def _remember_expansion(self, index: QModelIndex, expanded: bool) -> None:
        if self._restoring:
            return
        item = self.model.item(index)
        if item is not None and item.kind == "account":
            (self._collapsed.discard if expanded else self._collapsed.add)(item.node.code)

    # --- actions ------------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        act = QAction(text, self)
        act.triggered.connect(lambda _checked=False: slot())
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
            act.setShortcutContext(Qt.WidgetWithChildrenShortcut)
        if tip:
            act.setToolTip(tip)
        self.addAction(act)
        return act

    def _build_actions(self) -> None:
        self.act_add_year = self._action(_("Add year…"), self.add_year, tip=_("Show another fiscal year"))
        self.act_add = self._action(_("Add line…"), self.add_line, "Ctrl+Shift+N")
        self.act_edit = self._action(_("Edit line…"), self.edit_line, "Ctrl+E")
        self.act_delete = self._action(_("Delete"), self.delete_lines, QKeySequence.Delete)
        self.act_up = self._action(_("Move up"), lambda: self.move(-1), "Alt+Up")
        self.act_down = self._action(_("Move down"), lambda: self.move(1), "Alt+Down")
        self.act_copy = self._action(_("Copy to another year…"), self.copy_year,
                                     tip=_("Copy this year's lines to the next year as new requests"))
        self.act_gaps = self._action(_("Budget open gaps…"), self.budget_gaps,
                                     tip=_("Turn needs that are not yet met into budget lines"))
        self.act_codes = self._action(_("Account codes…"), self.edit_account_codes)
        self.act_settings = self._action(_("Settings…"), self.edit_settings,
                                         tip=_("PPN rate, ceiling (pagu) and sheet title"))
        self.act_check = self._action(_("Check"), self.check_budget,
                                      tip=_("Check the request as a finance verifier would: duplicates, "
                                            "capitalisation, SSH prices"))
        self.act_preview = self._action(_("Print preview…"), self.print_preview)
        self.act_print = self._action(_("Print budget request…"), self.print_dialog)
        self.act_preview_menu = self._action(_("Print preview of the budget request…"), self.print_preview)
        self.act_export = {fmt: self._action(label, lambda f=fmt: self.export_dialog(f)) for fmt, label in (
            ("pdf", _("Budget request sheet (PDF)…")), ("xlsx", _("Budget request with formulas (XLSX)…")),
            ("csv", _("Budget lines (CSV)…")))}

    def export_actions(self) -> list[QAction]:
        return list(self.act_export.values())

    def print_actions(self) -> list[QAction]:
        return [self.act_print, self.act_preview_menu]

    def _update_enabled(self) -> None:
        writable = not self.project.readonly
        ids = self.selected_line_ids()
        for act in (self.act_add, self.act_copy, self.act_gaps, self.act_codes, self.act_settings):
            act.setEnabled(writable)
        self.act_edit.setEnabled(writable and len(ids) == 1)
        for act in (self.act_delete, self.act_up, self.act_down):
            act.setEnabled(writable and bool(ids))
        has_lines = any(b.status != "rejected" for b in self.lines)
        for act in (self.act_print, self.act_preview, self.act_preview_menu, *self.act_export.values()):
            act.setEnabled(has_lines)

    # --- reading the project --------------------------------------------------------------
    @property
    def current_year(self) -> int:
        year = self.year.currentData()
        return year if year is not None else reads.default_year(self.project)

    def reload_years(self) -> None:
        years = set(reads.budget_years(self.project)) | self.extra_years
        current = self.year.currentData() or reads.default_year(self.project)
        self.year.blockSignals(True)
        self.year.clear()
        for y in sorted(years):
            self.year.addItem(str(y), y)
        self.year.setCurrentIndex(max(0, self.year.findData(current)))
        self.year.blockSignals(False)
        self.reload()

    def set_year(self, year: int) -> None:
        if self.year.findData(year) < 0:
            self.extra_years.add(year)
            self.reload_years()
        self.year.setCurrentIndex(self.year.findData(year))

    def reload(self) -> None:
        year = self.current_year
        selected = self.selected_line_ids()
        current = self.view.currentIndex()
        current_line = current.data(LINE_ID_ROLE) if current.isValid() else None
        current_col = current.column() if current.isValid() else 0
        scroll = self.view.verticalScrollBar().value()
        shown = reads.budget_year(self.project, year)
        self.lines, self.room_names, self.need_names = shown.lines, shown.room_names, shown.need_names
        self.ceiling = shown.ceiling
        self.model.set_lines(self.lines, shown.account_names, self.room_names, self.need_names)
        self._restoring = True
        self.view.expandAll()
        for code in list(self._collapsed):
            index = self.model.index_of_code(code)
            if index.isValid():
                self.view.collapse(index)
        self._restoring = False
        sel = self.view.selectionModel()
        for ident in selected:
            index = self.model.index_of_line(ident)
            if index.isValid():
                sel.select(index, QItemSelectionModel.Select | QItemSelectionModel.Rows)
        if current_line is not None:
            index = self.model.index_of_line(current_line, current_col)
            if index.isValid():
                sel.setCurrentIndex(index, QItemSelectionModel.NoUpdate)
        self.view.verticalScrollBar().setValue(scroll)
        self._update_summary()
        self._update_enabled()

    def choices(self, key: str) -> list[tuple[str, object]]:
        """The pick lists of the typed editors (account code, location, need, priority, status)."""
        if key == "account_code":
            return account_choices(self.project)
        if key == "location":
            return [(_("(whole MPP)"), None)] + [(f"{r.room} — {r.floor}", r.room_id)
                                                 for r in reads.locations(self.project)]
        if key == "need":
            return [(_("(none)"), None)] + [
                (n.name + (f"  [{', '.join(map(str, n.years))}]" if n.years else ""), n.need_id)
                for n in reads.need_choices(self.project)]
        if key == "priority":
            return priority_choices()
        if key == "status":
            return status_choices()
        return []

    def _update_summary(self) -> None:
        year = self.current_year
        t = totals(self.lines)
        check = CeilingCheck(self.ceiling, t.requested)
        parts = [_("{n} lines · requested {req} · approved {app} · difference {diff}").format(
            n=t.lines, req=rupiah(t.requested), app=rupiah(t.approved), diff=rupiah(t.difference))]
        if t.rejected:
            parts.append(_("{n} rejected lines are not part of the request and are not printed.").format(
                n=t.rejected))
        self.totals.setText("<br>".join(parts))
        if check.ceiling is None:
            self.ceiling_label.setText(_("No ceiling (pagu) set for {year}.").format(year=year))
            self.ceiling_label.setStyleSheet("color: #555;")
        elif check.exceeded:
            self.ceiling_label.setText(_("⚠ The request exceeds the ceiling (pagu) {pagu} by {over}.").format(
                pagu=rupiah(check.ceiling), over=rupiah(check.over)))
            self.ceiling_label.setStyleSheet(WARN)
        else:
            self.ceiling_label.setText(_("Ceiling (pagu) {pagu}: {left} left.").format(
                pagu=rupiah(check.ceiling), left=rupiah(check.remaining)))
            self.ceiling_label.setStyleSheet("color: #1E7B34;")
        prio = totals_by_priority(self.lines)
        self._fill(self.priority_table, [(_(PRIORITY_LABELS[p]), v) for p, v in prio.items()])
        rooms = totals_by_room(self.lines)
        rows = sorted(((self.room_names.get(k, "?") if k is not None else _("(whole MPP)"), v)
                       for k, v in rooms.items() if v.lines), key=lambda kv: -kv[1].requested)
        self._fill(self.room_table, rows)

    @staticmethod
    def _summary_table(headers) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.NoSelection)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        table.verticalHeader().setDefaultSectionSize(22)
        return table

    @staticmethod
    def _fill(table: QTableWidget, rows) -> None:
        table.setRowCount(len(rows))
        for r, (label, t) in enumerate(rows):
            cells = [label, str(t.lines), rupiah(t.requested, symbol=False), rupiah(t.approved, symbol=False)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                table.setItem(r, c, item)
        for c in range(1, table.columnCount()):
            table.resizeColumnToContents(c)

    def apply_changes(self, changes: Changes) -> None:
        if changes.about(*SHOWN):
            if self.message.styleSheet() == NOTE:  # "lines added" is out of date after the next edit or undo
                self.message.hide()
            self.reload_years()

    # --- selection -----------------------------------------------------------------------
    def selected_line_ids(self) -> list[int]:
        ids = []
        for index in self.view.selectionModel().selectedRows(0) if self.view.selectionModel() else []:
            ident = index.data(LINE_ID_ROLE)
            if ident is not None:
                ids.append(ident)
        return ids

    def select_lines(self, ids) -> None:
        sel = self.view.selectionModel()
        sel.clearSelection()
        for ident in ids:
            index = self.model.index_of_line(ident)
            if index.isValid():
                sel.select(index, QItemSelectionModel.Select | QItemSelectionModel.Rows)
                sel.setCurrentIndex(index, QItemSelectionModel.NoUpdate)

    # --- editing -------------------------------------------------------------------------
    def _run(self, command) -> bool:
        """Run an edit of this tab; a refusal is told on the tab's message line."""
        self.message.hide()
        return self.undo_stack.run(command, origin=ORIGIN, report=self.show_message, parent=self)

    def show_message(self, text: str) -> None:
        self.message.setStyleSheet(WARN)  # after a note of lines added
        self.message.tell(text)

    def show_refusal(self, index: QModelIndex, message: str, typed: str) -> None:
        """A value was refused: say why next to the cell and reopen the editor with what was typed."""
        self.show_message(message)
        key = COLUMNS[index.column()].key
        line_id = index.data(LINE_ID_ROLE)
        rect = self.view.visualRect(index)
        QToolTip.showText(self.view.viewport().mapToGlobal(rect.bottomLeft()), message, self.view)

        def reopen():
            target = self.model.index_of_line(line_id, index.column())
            if target.isValid() and key not in ("ppn",):
                self.delegate.pending_text[(line_id, key)] = typed
                self.view.setCurrentIndex(target)
                self.view.edit(target)

        QTimer.singleShot(0, reopen)

    def add_year(self) -> None:
        year, ok = QInputDialog.getInt(self, _("Add year"), _("Fiscal year:"), self.current_year + 1, 2000, 2100)
        if ok:
            self.set_year(year)

    def _selected_code(self) -> str | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        item = self.model.item(index)
        return item.node.code if item.kind == "account" else item.line.account_code

    def add_line(self) -> None:
        dialog = BudgetLineDialog(self.project, self.undo_stack, self.current_year, self.choices,
                                  account_code=self._selected_code(), parent=self)
        if dialog.exec() and dialog.command is not None:
            self.select_lines(dialog.command.created_ids)

    def edit_line(self) -> None:
        ids = self.selected_line_ids()
        if len(ids) != 1:
            return
        line = reads.budget_line(self.project, ids[0])
        if line is None:
            return
        BudgetLineDialog(self.project, self.undo_stack, self.current_year, self.choices, line=line,
                         parent=self).exec()

    def delete_lines(self) -> None:
        ids = self.selected_line_ids()
        if ids:
            self._run(cmd.delete_lines(ids))

    def move(self, step: int) -> None:
        ids = self.selected_line_ids()
        command = cmd.move_lines(self.project, self.current_year, ids, step) if ids else None
        if command is not None and self._run(command):
            self.select_lines(ids)

    def copy_year(self) -> None:
        dialog = CopyYearDialog(self.project, self.undo_stack, self.current_year, self)
        if dialog.exec():
            self.set_year(dialog.target.value())

    def budget_gaps(self) -> None:
        """Budget open gaps; the new lines are selected afterwards and counted on the message line."""
        dialog = GapsDialog(self.project, self.undo_stack, self.current_year, self)
        if dialog.exec() and dialog.command is not None:
            self.show_added(dialog.command.created_ids)

    def show_added(self, ids) -> None:
        """Select new lines, scroll to the first and say how many were added."""
        self.select_lines(ids)
        first = self.model.index_of_line(ids[0]) if ids else QModelIndex()
        if first.isValid():
            self.view.scrollTo(first)
        self.message.setStyleSheet(NOTE)
        self.message.setText(ngettext("{n} line added", "{n} lines added", len(ids)).format(n=len(ids)))
        self.message.show()

    def edit_account_codes(self) -> None:
        AccountCodesDialog(self.project, self.undo_stack, self.signals, self).exec()

    def edit_settings(self) -> None:
        BudgetSettingsDialog(self.project, self.undo_stack, self.current_year, self).exec()

    # --- the budget checks ----------------------------------------------------------------
    def check_budget(self) -> JobHandle:
        """Run the budget checks of the shown year in a job, then list the findings in the checks window."""
        year = self.current_year
        title = _("Budget checks {year}").format(year=year)

        def work(reader):
            from mpp_planner.standards.budget_checks import check_budget

            return check_budget(reader, year)

        def show(findings) -> None:
            if self.checks is None:
                self.checks = BudgetChecksDialog(self)
                self.checks.lines_chosen.connect(self._select_found)
            self.checks.show_findings(year, findings)
            self.checks.show()
            self.checks.raise_()

        return run_job(self, title, work, project=self.project, on_done=show,
                       on_failed=lambda exc: show_job_error(self, title, exc))

    def _select_found(self, ids) -> None:
        self.select_lines(ids)
        first = self.model.index_of_line(ids[0]) if ids else QModelIndex()
        if first.isValid():
            self.view.scrollTo(first)

    # --- printing and exporting ----------------------------------------------------------
    def laid_out(self, then, sign_date: date | None = None) -> JobHandle:
        """Lay out the request sheet of the shown year in a job (read on its own connection), then
        ``then(pages)`` in the GUI thread, where painting must happen. A year with nothing to request
        is told on the message line."""
        year = self.current_year
        title = _("Budget request {year}").format(year=year)

        def work(reader):
            from mpp_planner.reports.budget import recorded_pages

            return recorded_pages(reader, year, sign_date)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, REFUSALS):
                self.show_message(refusal_text(exc))
            else:
                show_job_error(self, title, exc)

        self.message.hide()
        return run_job(self, title, work, project=self.project, on_done=then, on_failed=failed)

    def paint_sheet(self, printer, sign_date: date | None = None) -> JobHandle:
        """Paint the request sheet of the shown year on ``printer`` (the same pages as the PDF)."""
        return self.laid_out(lambda pages: self._print(printer, pages), sign_date)

    def _print(self, printer, pages) -> None:
        from mpp_planner.qt.budget.printing import print_pages

        try:
            print_pages(printer, pages)
        except OSError as exc:  # the printer could not be started
            self.show_message(str(exc))

    def _printer(self):
        from PySide6.QtGui import QPageLayout
        from PySide6.QtPrintSupport import QPrinter

        printer = QPrinter(QPrinter.HighResolution)
        printer.setPageOrientation(QPageLayout.Landscape)
        printer.setDocName(_("Budget request {year}").format(year=self.current_year))
        return printer

    def print_preview(self) -> JobHandle:
        return self.laid_out(self._preview)

    def _preview(self, pages) -> None:
        from PySide6.QtPrintSupport import QPrintPreviewDialog

        from mpp_planner.qt.budget.printing import print_pages

        printer = self._printer()  # kept alive while the dialog runs: the dialog does not own it
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setWindowTitle(_("Print preview — budget request {year}").format(year=self.current_year))
        dialog.paintRequested.connect(lambda printer: print_pages(printer, pages))
        dialog.resize(1200, 850)
        dialog.exec()

    def print_dialog(self) -> JobHandle:
        return self.laid_out(self._print_with_dialog)

    def _print_with_dialog(self, pages) -> None:
        from PySide6.QtPrintSupport import QPrintDialog

        printer = self._printer()
        if QPrintDialog(printer, self).exec():
            self._print(printer, pages)

    def export_to(self, path: str | Path, fmt: str) -> JobHandle | None:
        """Write the sheet of the shown year to ``path`` in a job (read on its own connection); the
        status line says where it went. None when the path is refused (told at once)."""
        from mpp_planner.reports.output import OutputError, check_output_path

        try:
            target, fmt = check_output_path(path, (fmt,))
        except OutputError as exc:
            show_job_error(self, _("Cannot export"), exc)
            return None
        year = self.current_year

        def work(reader) -> Path:
            from mpp_planner.reports.budget import write

            return write(reader, target, fmt, year=year)

        return run_job(self, _("Export budget request"), work, project=self.project, on_done=self._written,
                       on_failed=lambda exc: show_job_error(self, _("Cannot export"), exc))

    def _written(self, written: Path) -> None:
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(_("Written: {path}").format(path=written), 8000)

    def export_dialog(self, fmt: str) -> JobHandle | None:
        filters = {"pdf": _("PDF files (*.pdf)"), "xlsx": _("Excel workbooks (*.xlsx)"), "csv": _("CSV files (*.csv)")}
        suggested = str(self.project.path.with_name(f"usulan-{self.current_year}.{fmt}"))
        path, _filter = QFileDialog.getSaveFileName(self, _("Export budget request"), suggested, filters[fmt])
        if not path:
            return None
        if not path.lower().endswith("." + fmt):
            path += "." + fmt
        return self.export_to(path, fmt)

    # --- convenience for tests and the main window ------------------------------------------
    def line_count(self) -> int:
        return len(self.lines)

    def index_for(self, line_id: int, key: str) -> QModelIndex:
        return self.model.index_of_line(line_id, COLUMN_INDEX[key])

    def is_account_row(self, index: QModelIndex) -> bool:
        return index.data(KIND_ROLE) == "account"
