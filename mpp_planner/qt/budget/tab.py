"""The budget tab: the lines of one fiscal year grouped by sub kegiatan and along the account codes,
edited in place (every edit one undoable command), with totals per room and priority, requested vs
approved, the ceiling (pagu) check, budgeting open gaps, the sub kegiatan list, the two printed forms
(Usulan Kebutuhan and RKA Rincian Belanja) and the SIPD exchange."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QTimer, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QGroupBox, QHBoxLayout, QHeaderView,
                               QInputDialog, QLabel, QMenu, QSplitter, QStyle, QTableWidget, QTableWidgetItem, QToolBar,
                               QToolButton, QToolTip, QTreeView, QVBoxLayout, QWidget)

from mpp_planner.commands import budget as cmd
from mpp_planner.formats import rupiah
from mpp_planner.i18n import N_, _, ngettext
from mpp_planner.model import BudgetLine
from mpp_planner.model.budget_summary import CeilingCheck, totals, totals_by_priority, totals_by_room
from mpp_planner.project import Changes, Topic
from mpp_planner.qt.jobs import JobHandle, run_job, show_job_error
from mpp_planner.qt.signals import connect_when_visible
from mpp_planner.qt.budget.checks import BudgetChecksDialog
from mpp_planner.qt.budget.delegates import BudgetDelegate, priority_choices, status_choices
from mpp_planner.qt.budget.dialogs import (AccountCodesDialog, BudgetLineDialog, BudgetSettingsDialog, CopyYearDialog,
                                           account_choices)
from mpp_planner.qt.budget.gaps import GapsDialog
from mpp_planner.qt.budget.sheets import BudgetSheets
from mpp_planner.qt.budget.model import COLUMN_INDEX, COLUMNS, KIND_ROLE, LINE_ID_ROLE, ORIGIN, PRIORITY_LABELS, \
    RIGHT, SUB_ACTIVITY_ROLE, TOOLTIP, BudgetTreeModel
from mpp_planner.qt.budget.sub_activities import SubActivitiesDialog, SubActivityDialog
from mpp_planner.qt.message_line import WARN, MessageLine
from mpp_planner.reads import budget as reads

NOTE = "color: #1E6B34;"  # the message line telling what was done (refusals are in WARN)

#: what the tab shows: its lines, the names they refer to, the ceilings and the settings
SHOWN = (Topic.BUDGET, Topic.CEILINGS, Topic.ACCOUNTS, Topic.SITE, Topic.ROOMS, Topic.NEEDS, Topic.CATALOG)

#: the printed forms: the request sheet of the whole year, and SIPD's RKA rincian belanja per sub kegiatan
FORMS = {"usulan": N_("Usulan Kebutuhan (request sheet)"), "rka": N_("RKA Rincian Belanja (per sub kegiatan)")}
#: what a form's file is called by default ("usulan-2024.pdf")


class BudgetTab(BudgetSheets, QWidget):
    def __init__(self, project, signals, undo_stack, parent=None):
        super().__init__(parent)
        self.project = project
        self.signals = signals
        self.undo_stack = undo_stack
        self.extra_years: set[int] = set()
        self.lines: list[BudgetLine] = []
        self.priced: list[reads.PricedLine] = []  # the lines as the totals read them
        self.room_names: dict[int, str] = {}
        self.need_names: dict[int, str] = {}
        self.ceiling: Decimal | None = None
        self.sub_activities: list[reads.SubActivityRow] = []
        self._collapsed: set[tuple] = set()
        self._restoring = False
        self.checks: BudgetChecksDialog | None = None  # the window of the budget checks, made when first used

        self.year = QComboBox()
        self.year.setObjectName("year")
        self.year.setMinimumWidth(80)
        self.year.currentIndexChanged.connect(lambda _i: self.reload())
        self.form = QComboBox()
        self.form.setObjectName("form")
        for key, label in FORMS.items():
            self.form.addItem(_(label), key)
        self.form.setToolTip(_("The form that Print, Print preview and Export make"))
        self.scope = QComboBox()
        self.scope.setObjectName("scope")
        self.scope.setToolTip(_("The sub kegiatan the RKA rincian belanja and the SIPD export cover (the usulan "
                                "sheet always covers the whole year)"))
        self.scope.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.scope.setMinimumContentsLength(22)
        self._build_actions()

        self.model = BudgetTreeModel(project, undo_stack, self)
        self.model.refused.connect(self.show_refusal)
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(False)
        self.view.setUniformRowHeights(True)
        self.view.setIndentation(14)
        self.view.setTextElideMode(Qt.ElideMiddle)  # official account names share a long prefix: keep their end
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
        self.view.doubleClicked.connect(self._double_clicked)
        self.view.setContextMenuPolicy(Qt.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)

        self.message = MessageLine()

        toolbar = QToolBar()  # the lines
        toolbar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        toolbar.addWidget(QLabel(_("Fiscal year:") + " "))
        toolbar.addWidget(self.year)
        for act in (self.act_add_year, None, self.act_sub_activities, None, self.act_add, self.act_edit,
                    self.act_delete, self.act_up, self.act_down, self.act_move_sub, None, self.act_copy,
                    self.act_gaps):
            if act is None:
                toolbar.addSeparator()
            else:
                toolbar.addAction(act)
        sheets = QToolBar()  # the printed forms, the SIPD exchange, the checks and settings
        sheets.setToolButtonStyle(Qt.ToolButtonTextOnly)
        sheets.addWidget(QLabel(_("Form:") + " "))
        sheets.addWidget(self.form)
        sheets.addWidget(QLabel("  " + _("Sub kegiatan:") + " "))
        sheets.addWidget(self.scope)
        sheets.addSeparator()
        for act in (self.act_preview, self.act_print_form):
            sheets.addAction(act)
        self.export_button = self._menu_button("export_button", _("Export"), self.act_export_form.values())
        sheets.addWidget(self.export_button)
        self.sipd_button = self._menu_button("sipd_button", _("SIPD"), (self.act_export_sipd, self.act_import))
        self.sipd_button.setToolTip(_("Export the lines for SIPD, or import budget lines from a file"))
        sheets.addWidget(self.sipd_button)
        for act in (None, self.act_check, None, self.act_codes, self.act_settings):
            if act is None:
                sheets.addSeparator()
            else:
                sheets.addAction(act)

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
        layout.setSpacing(2)
        layout.addWidget(toolbar)
        layout.addWidget(sheets)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)

        self.reload_years()
        connect_when_visible(signals, self, self.apply_changes, *SHOWN)

    def _remember_expansion(self, index: QModelIndex, expanded: bool) -> None:
        if self._restoring:
            return
        item = self.model.item(index)
        if item is not None and item.key is not None:
            (self._collapsed.discard if expanded else self._collapsed.add)(item.key)

    # --- actions ------------------------------------------------------------------------
    def _menu_button(self, name: str, text: str, actions) -> QToolButton:
        """A toolbar button that opens a menu of ``actions``."""
        button = QToolButton()
        button.setObjectName(name)
        button.setText(text)
        button.setPopupMode(QToolButton.InstantPopup)
        menu = QMenu(button)
        for act in actions:
            menu.addAction(act)
        button.setMenu(menu)
        return button

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
        self.act_sub_activities = self._action(_("Sub kegiatan…"), self.edit_sub_activities,
                                               tip=_("The sub kegiatan of this year: add, edit their context, "
                                                     "delete"))
        self.act_move_sub = self._action(_("Move to sub kegiatan…"), self.move_to_sub_activity,
                                         tip=_("Put the selected lines under another sub kegiatan of this year"))
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
        # the toolbar's: the form chosen in the toolbar
        self.act_preview = self._action(_("Print preview…"), lambda: self.print_preview(self.current_form))
        self.act_print_form = self._action(_("Print…"), lambda: self.print_dialog(self.current_form))
        self.act_export_form = {fmt: self._action(label, lambda f=fmt: self.export_dialog(f, self.current_form))
                                for fmt, label in (("pdf", _("PDF…")), ("xlsx", _("XLSX with formulas…")),
                                                   ("csv", _("CSV…")))}
        # the main window's menus: each form by name
        self.act_print = self._action(_("Print budget request…"), lambda: self.print_dialog("usulan"))
        self.act_preview_menu = self._action(_("Print preview of the budget request…"),
                                             lambda: self.print_preview("usulan"))
        self.act_print_rka = self._action(_("Print RKA rincian belanja…"), lambda: self.print_dialog("rka"))
        self.act_preview_rka = self._action(_("Print preview of the RKA rincian belanja…"),
                                            lambda: self.print_preview("rka"))
        self.act_export = {fmt: self._action(label, lambda f=fmt: self.export_dialog(f)) for fmt, label in (
            ("pdf", _("Budget request sheet (PDF)…")), ("xlsx", _("Budget request with formulas (XLSX)…")),
            ("csv", _("Budget lines (CSV)…")))}
        self.act_export_rka = {fmt: self._action(label, lambda f=fmt: self.export_dialog(f, "rka"))
                               for fmt, label in (("pdf", _("RKA rincian belanja (PDF)…")),
                                                  ("xlsx", _("RKA rincian belanja with formulas (XLSX)…")),
                                                  ("csv", _("RKA rincian belanja (CSV)…")))}
        self.act_export_sipd = self._action(_("Export for SIPD (XLSX/CSV)…"), self.export_sipd,
                                            tip=_("The lines in SIPD's field set, to key in or upload without "
                                                  "retyping"))
        self.act_import = self._action(_("Import budget lines…"), self.import_lines,
                                       tip=_("Add lines from a SIPD rincian file or a CSV exported by this program"))

    def export_actions(self) -> list[QAction]:
        return [*self.act_export.values(), *self.act_export_rka.values(), self.act_export_sipd]

    def print_actions(self) -> list[QAction]:
        return [self.act_print, self.act_preview_menu, self.act_print_rka, self.act_preview_rka]

    @property
    def current_form(self) -> str:
        return self.form.currentData() or "usulan"

    @property
    def scope_code(self) -> str | None:
        """The sub kegiatan code the RKA and the SIPD export are made for; None: all of the year."""
        return self.scope.currentData()

    def _update_enabled(self) -> None:
        writable = not self.project.readonly
        ids = self.selected_line_ids()
        for act in (self.act_add, self.act_copy, self.act_gaps, self.act_codes, self.act_settings, self.act_import):
            act.setEnabled(writable)
        self.act_edit.setEnabled(writable and len(ids) == 1)
        for act in (self.act_delete, self.act_up, self.act_down):
            act.setEnabled(writable and bool(ids))
        self.act_move_sub.setEnabled(writable and bool(ids) and len(self.sub_activities) > 1)
        has_lines = any(b.status != "rejected" for b in self.lines)
        for act in (self.act_print, self.act_preview, self.act_preview_menu, self.act_print_form, self.act_print_rka,
                    self.act_preview_rka, self.act_export_sipd, *self.act_export.values(),
                    *self.act_export_rka.values(), *self.act_export_form.values()):
            act.setEnabled(has_lines)
        self.export_button.setEnabled(has_lines)
        self.scope.setEnabled(bool(self.sub_activities))

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
        self.priced = shown.priced
        self.ceiling = shown.ceiling
        self.sub_activities = shown.sub_activities
        self.model.set_lines(self.priced, shown.account_names, self.room_names, self.need_names, self.sub_activities)
        self._fill_scope()
        self._restoring = True
        self.view.expandAll()
        for key in list(self._collapsed):
            index = self.model.index_of_key(key)
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

    def _fill_scope(self) -> None:
        """The sub kegiatan pick list of the forms: all of the year, or one (kept across reloads)."""
        chosen = self.scope.currentData()
        self.scope.blockSignals(True)
        self.scope.clear()
        self.scope.addItem(_("(all of the year)"), None)
        for sub in self.sub_activities:
            self.scope.addItem(sub.label, sub.code)
            self.scope.setItemData(self.scope.count() - 1, sub.label, TOOLTIP)
        self.scope.setCurrentIndex(max(0, self.scope.findData(chosen)))
        self.scope.blockSignals(False)

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
        t = totals(self.priced)
        check = CeilingCheck(self.ceiling, t.requested)
        parts = [ngettext("{n} line · requested {req} · approved {app} · difference {diff}",
                          "{n} lines · requested {req} · approved {app} · difference {diff}", t.lines).format(
            n=t.lines, req=rupiah(t.requested), app=rupiah(t.approved), diff=rupiah(t.difference))]
        if t.rejected:
            parts.append(ngettext("{n} rejected line is not part of the request and is not printed.",
                                  "{n} rejected lines are not part of the request and are not printed.",
                                  t.rejected).format(n=t.rejected))
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
        prio = totals_by_priority(self.priced)
        self._fill(self.priority_table, [(_(PRIORITY_LABELS[p]), v) for p, v in prio.items()])
        rooms = totals_by_room(self.priced)
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
        """Fill a summary table; its number columns are as wide as their widest text (measured here, not
        asked of every cell again)."""
        table.setRowCount(len(rows))
        widest = [0] * table.columnCount()
        metrics = table.fontMetrics()
        for r, (label, t) in enumerate(rows):
            cells = [label, str(t.lines), rupiah(t.requested, symbol=False), rupiah(t.approved, symbol=False)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(RIGHT)
                    widest[c] = max(widest[c], metrics.horizontalAdvance(text))
                table.setItem(r, c, item)
        margin = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1) + 2
        header = table.horizontalHeader()
        for c in range(1, table.columnCount()):
            table.setColumnWidth(c, max(widest[c] + margin, header.sectionSizeHint(c)))

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

    def reveal_lines(self, ids) -> None:
        """Select lines, open the sub kegiatan and accounts they are under and scroll to the first."""
        self.select_lines(ids)
        for ident in ids:
            parent = self.model.index_of_line(ident).parent()
            while parent.isValid():
                self.view.expand(parent)
                parent = parent.parent()
        first = self.model.index_of_line(ids[0]) if ids else QModelIndex()
        if first.isValid():
            self.view.scrollTo(first)

    def current_sub_activity_id(self) -> int | None:
        """The sub kegiatan of the current row (a sub kegiatan, an account under it, a line), else of the
        first selected line."""
        index = self.view.currentIndex()
        sub_id = index.data(SUB_ACTIVITY_ROLE) if index.isValid() else None
        if sub_id is None:
            rows = self.view.selectionModel().selectedRows(0)
            sub_id = rows[0].data(SUB_ACTIVITY_ROLE) if rows else None
        return sub_id

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
        item = self.model.item(self.view.currentIndex())
        if item is None:
            return None
        if item.kind == "account":
            return item.node.code
        return item.line.account_code if item.kind == "line" else None

    def add_line(self) -> None:
        """The line dialog, on the account and under the sub kegiatan of the current row. A year without
        sub kegiatan gets the default one with its first line."""
        dialog = BudgetLineDialog(self.project, self.undo_stack, self.current_year, self.choices,
                                  account_code=self._selected_code(),
                                  sub_activity_id=self.current_sub_activity_id(), parent=self)
        if dialog.exec() and dialog.line_ids:
            self.reveal_lines(dialog.line_ids)

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
        dialog = GapsDialog(self.project, self.undo_stack, self.current_year, self,
                            sub_activity_id=self.current_sub_activity_id())
        if dialog.exec() and dialog.command is not None:
            self.show_added(dialog.line_ids)

    def show_added(self, ids) -> None:
        """Select new lines (opening what they are under), scroll to the first and say how many were added."""
        self.reveal_lines(ids)
        self.tell(ngettext("{n} line added", "{n} lines added", len(ids)).format(n=len(ids)))

    def tell(self, text: str) -> None:
        """Say what was done on the message line (until the next edit or undo)."""
        self.message.setStyleSheet(NOTE)
        self.message.setText(text)
        self.message.show()

    # --- sub kegiatan ----------------------------------------------------------------------
    def edit_sub_activities(self) -> None:
        """The list of the year's sub kegiatan (the one of the current row chosen)."""
        dialog = SubActivitiesDialog(self.project, self.undo_stack, self.current_year, self.signals, self,
                                     current=self.current_sub_activity_id())
        dialog.exec()
        dialog.deleteLater()  # it listens to the project's changes while it lives

    def edit_sub_activity(self, sub_id: int) -> None:
        """The form of one sub kegiatan (a double-click on its row)."""
        row = next((sub for sub in self.sub_activities if sub.id == sub_id), None)
        if row is not None:
            dialog = SubActivityDialog(self.project, self.undo_stack, self.current_year, sub=row, parent=self)
            dialog.exec()
            dialog.deleteLater()

    def choose_sub_activity(self, ids) -> int | None:
        """Ask which sub kegiatan the lines ``ids`` go to (the first other than the current line's is offered)."""
        labels = [sub.label for sub in self.sub_activities]
        here = self.model.index_of_line(ids[0]).data(SUB_ACTIVITY_ROLE)
        offered = next((i for i, sub in enumerate(self.sub_activities) if sub.id != here), 0)
        label, ok = QInputDialog.getItem(self, _("Move to sub kegiatan"), ngettext(
            "Move {n} line to sub kegiatan:", "Move {n} lines to sub kegiatan:", len(ids)).format(n=len(ids)),
            labels, offered, False)
        if not ok or label not in labels:
            return None
        return self.sub_activities[labels.index(label)].id

    def move_to_sub_activity(self, sub_id: int | None = None) -> bool:
        """Move the selected lines under another sub kegiatan (asked when not given); one undo step."""
        ids = self.selected_line_ids()
        if not ids:
            return False
        if sub_id is None:
            sub_id = self.choose_sub_activity(ids)
            if sub_id is None:
                return False
        target = next((sub for sub in self.sub_activities if sub.id == sub_id), None)
        if not self._run(lambda: cmd.move_to_sub_activity(self.project, ids, sub_id)):
            return False
        self.reveal_lines(ids)
        self.tell(ngettext("{n} line moved to sub kegiatan {code}", "{n} lines moved to sub kegiatan {code}",
                           len(ids)).format(n=len(ids), code=target.code if target else sub_id))
        return True

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.data(KIND_ROLE) == "sub_activity":
            self.edit_sub_activity(index.data(SUB_ACTIVITY_ROLE))

    def _context_menu(self, pos) -> None:
        menu = QMenu(self)
        index = self.view.indexAt(pos)
        if index.data(KIND_ROLE) == "sub_activity":
            sub_id = index.data(SUB_ACTIVITY_ROLE)
            act = menu.addAction(_("Edit sub kegiatan {code}…").format(code=index.siblingAtColumn(0).data()))
            act.triggered.connect(lambda: self.edit_sub_activity(sub_id))
            menu.addSeparator()
        for act in (self.act_add, self.act_edit, self.act_delete, self.act_move_sub):
            menu.addAction(act)
        menu.addSeparator()
        menu.addAction(self.act_sub_activities)
        menu.exec(self.view.viewport().mapToGlobal(pos))

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

    # --- convenience for tests and the main window ------------------------------------------
    def line_count(self) -> int:
        return len(self.lines)

    def index_for(self, line_id: int, key: str) -> QModelIndex:
        return self.model.index_of_line(line_id, COLUMN_INDEX[key])

    def is_account_row(self, index: QModelIndex) -> bool:
        return index.data(KIND_ROLE) == "account"
