"""The Agencies tab: the register (sortable, filterable, searchable; add, edit, delete, import) and
the allocation overview, plus the ways to put agencies on counters: drag a register row onto a
counter on the plan, Edit ▸ Assign Counters to Agency… on the plan's selection, or double-click a
counter in the overview's schedule. Every change is one undoable command, run by the undo stack
(a refusal is shown on the tab's message line and in the status bar); the tab reads through
:mod:`mpp_planner.reads.agencies`, and exports and imports run as jobs off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QMenu,
                               QMessageBox, QTabWidget, QToolBar, QVBoxLayout, QWidget)

from mpp_planner.commands.agencies import AddAgency, AssignAgency, DeleteAgency, EditAgency, SetSchedule, UnassignAgency
from mpp_planner.i18n import _, ngettext
from mpp_planner.jobs import checkpoint
from mpp_planner.model.agency import Tier, Weekday
from mpp_planner.model.allocation import Allocation
from mpp_planner.project import Changes, Topic
from mpp_planner.qt.agencies.allocation_view import AllocationView
from mpp_planner.qt.agencies.assign import AssignDialog, ScheduleDialog, days_ui
from mpp_planner.qt.agencies.dialog import AgencyDialog
from mpp_planner.qt.agencies.drop import AgencyDropFilter, SpringLoadedTabs
from mpp_planner.qt.agencies.lines import NO_LINE, LineTexts, texts_by_agency
from mpp_planner.qt.agencies.register import AgencyTableModel, RegisterProxy, register_columns
from mpp_planner.qt.agencies.widths import fit_rows
from mpp_planner.qt.jobs import JobHandle, run_job, show_job_error
from mpp_planner.qt.message_line import MessageLine
from mpp_planner.qt.signals import connect_when_visible
from mpp_planner.reads import agencies as reads
from mpp_planner.reads.site import site_name

ORIGIN = "agencies"  # how this tab's edits are announced (Changes.origin)
WORKDAYS = int(Weekday.workdays())
#: what the register and the overview show: agencies, who serves where, counters' labels and sizes, floor names
WATCHED = (Topic.AGENCIES, Topic.ALLOCATION, Topic.COUNTERS, Topic.FLOORS)


def write_allocation_list(reader, out: Path, fmt: str, paper: str | None = None) -> Path:
    """The worker's part of the allocation list export: read the project through the job's own
    read-only connection, then write the file (atomically: a cancelled job leaves none) on
    ``paper`` (A4/F4; default the project's setting, as is the decree it is attached to)."""
    from mpp_planner.reports.allocations import collect, render

    checkpoint(0, 2)
    report = collect(reader, plans=fmt == "pdf", paper=paper)
    checkpoint(1, 2)
    render(report, out, fmt)
    return out


def read_import(reader, path: Path):
    """The worker's part of an agency import: read and check every row of the file (no change yet)."""
    from mpp_planner.importers.agencies import read

    return read(reader, path)


class AgencyTab(QWidget):
    def __init__(self, project, signals, undo_stack, parent=None):
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self._allocation: Allocation | None = None
        self._lines: dict[int, object] = {}
        self._texts: dict[int, LineTexts] = {}  # agency id -> what the tables show of its line
        self._stale = False  # edits arrived while the tab was hidden: reload before the data is used
        self.jobs: list[JobHandle] = []
        self.drop_filter: AgencyDropFilter | None = None
        self.spring: SpringLoadedTabs | None = None

        self._build_actions()
        # --- register ----------------------------------------------------------------
        # the cells show what was read with the rows (never a read in the middle of a paint)
        self.model = AgencyTableModel(register_columns(lambda a: self._texts.get(a.id, NO_LINE)), self)
        self.proxy = RegisterProxy(self)
        self.proxy.setSourceModel(self.model)
        from PySide6.QtWidgets import QHeaderView, QTableView

        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QTableView.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.view.sortByColumn(-1, Qt.AscendingOrder)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragOnly)
        self.view.setDefaultDropAction(Qt.CopyAction)
        self.view.doubleClicked.connect(lambda _i: self.edit_selected())
        self.view.setContextMenuPolicy(Qt.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._update_actions())
        self.view.setToolTip(_("Drag an agency onto a counter on the plan to assign it."))

        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search agencies…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.tier_filter = QComboBox()
        self.tier_filter.addItem(_("All tiers"), None)
        for t in Tier:
            self.tier_filter.addItem(t.label, t.value)
        self.tier_filter.currentIndexChanged.connect(lambda _i: self.proxy.set_tier(self.tier_filter.currentData()))
        self.summary = QLabel()

        toolbar = QToolBar(_("Agencies"))
        toolbar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        for act in (self.act_add, self.act_edit, self.act_delete):
            toolbar.addAction(act)
        toolbar.addSeparator()
        toolbar.addAction(self.act_import)
        toolbar.addAction(self.act_preview_short)
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(_("Tier:") + " "))
        toolbar.addWidget(self.tier_filter)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Search:")))
        top.addWidget(self.search, 1)
        top.addWidget(self.summary)
        register = QWidget()
        rl = QVBoxLayout(register)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(toolbar)
        rl.addLayout(top)
        rl.addWidget(self.view)
        hint = QLabel(_("Tip: drag an agency onto a counter on the plan (hover the Plan tab while dragging), or "
                        "select counters on the plan and choose Edit ▸ Assign Counters to Agency…"))
        hint.setStyleSheet("color: #5A6470;")
        hint.setWordWrap(True)
        rl.addWidget(hint)

        # --- allocation overview -----------------------------------------------------
        self.overview = AllocationView()
        self.overview.counter_activated.connect(self.edit_counter_schedule)

        # why the last edit was refused (hidden again by the next edit made)
        self.message = MessageLine()

        self.pages = QTabWidget()
        self.pages.addTab(register, _("Register"))
        self.pages.addTab(self.overview, _("Allocation"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.message)
        layout.addWidget(self.pages)
        self.reload()
        fit_rows(self.view, self.model)
        signals.changed.connect(self._note_changes)  # first: the data is known stale at once
        connect_when_visible(signals, self, self.apply_changes, *WATCHED)  # repaint when seen
        if not self.install_drop():
            QTimer.singleShot(0, self.install_drop)

    # --- actions ------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        self.act_add = QAction(_("Add…"), self, triggered=self.add_agency)
        self.act_add.setToolTip(_("Add an agency"))
        self.act_edit = QAction(_("Edit…"), self, triggered=self.edit_selected)
        self.act_delete = QAction(_("Delete"), self, triggered=self.delete_selected)
        self.act_delete.setShortcut(QKeySequence.Delete)
        self.act_delete.setShortcutContext(Qt.WidgetWithChildrenShortcut)
        self.addAction(self.act_delete)
        self.act_import = QAction(_("Import…"), self, triggered=lambda: self.import_agencies())
        self.act_import.setToolTip(_("Import agencies from a CSV or XLSX file"))
        self.act_assign = QAction(_("Assign Counters to Agency…"), self, triggered=lambda: self.assign_selected())
        self.act_assign.setShortcut("Ctrl+Shift+A")
        self.act_unassign = QAction(_("Unassign Counters"), self, triggered=self.unassign_selected)
        self.act_export = QAction(_("Agency Allocation List (PDF, XLSX, CSV)…"), self,
                                  triggered=lambda: self.export_dialog())
        self.act_print = QAction(_("Print Agency Allocation List…"), self, triggered=lambda: self.print_dialog())
        self.act_preview = QAction(_("Print Preview of the Agency Allocation List…"), self,
                                   triggered=lambda: self.print_preview())
        self.act_preview_short = QAction(_("Print preview…"), self, triggered=lambda: self.print_preview())
        self.act_preview_short.setToolTip(_("Print preview of the agency allocation list"))

    def edit_actions(self) -> list[QAction]:
        return [self.act_assign, self.act_unassign]

    def export_actions(self) -> list[QAction]:
        return [self.act_export]

    def print_actions(self) -> list[QAction]:
        return [self.act_print, self.act_preview]

    def sheet_printing(self):
        """The allocation list through the print service (qt/sheet_print): on the project's paper, then as the
        print dialog sets it."""
        from mpp_planner.qt.sheet_print import SheetPrinting
        from mpp_planner.reads.site import sheet_paper

        self.printing = SheetPrinting(self, self.project, _("Agency allocation list"),
                                      lambda reader, path, paper: write_allocation_list(reader, path, "pdf", paper),
                                      default_paper=sheet_paper(self.project), on_refused=self.show_refusal)
        return self.printing

    def print_dialog(self):
        return self.sheet_printing().print_dialog()

    def print_preview(self):
        return self.sheet_printing().preview()

    def _update_actions(self) -> None:
        n = len(self.selected_ids())
        self.act_edit.setEnabled(n == 1)
        self.act_delete.setEnabled(n > 0)

    # --- data -------------------------------------------------------------------------------
    @property
    def allocation(self) -> Allocation | None:
        """The current allocation (read again first if edits arrived while the tab was hidden: the
        plan drops agencies on counters and opens the schedule dialogs while this tab is not shown)."""
        self.refresh()
        return self._allocation

    @property
    def lines(self) -> dict[int, object]:
        """Agency id -> its allocation line."""
        self.refresh()
        return self._lines

    def reload(self) -> None:
        self._stale = False
        selected = self.selected_ids()
        agencies = reads.register(self.project)
        allocation = self._allocation = reads.allocation(self.project)
        self._lines = {ln.agency.id: ln for ln in allocation.agencies}
        self._texts = texts_by_agency(allocation)
        self.model.set_rows(agencies)
        self.overview.set_allocation(allocation, self._texts)
        self.summary.setText(ngettext("{n} agency, {m} without a counter", "{n} agencies, {m} without a counter",
                                      len(agencies)).format(
            n=len(agencies), m=len(allocation.idle_agencies)))
        self.select_ids(selected)
        self._update_actions()

    def refresh(self) -> None:
        """Reload now if edits arrived since the last reload."""
        if self._stale:
            self.reload()

    def _note_changes(self, changes: Changes) -> None:
        if changes.about(*WATCHED):
            self._stale = True

    def apply_changes(self, changes: Changes) -> None:
        self.refresh()

    def selected_ids(self) -> list[int]:
        if not hasattr(self, "view"):
            return []
        rows = {self.proxy.mapToSource(i).row() for i in self.view.selectionModel().selectedRows()}
        return [self.model.rows[r].id for r in sorted(rows) if r < len(self.model.rows)]

    def select_ids(self, ids) -> None:
        from PySide6.QtCore import QItemSelectionModel

        wanted = set(ids)
        sel = self.view.selectionModel()
        sel.clearSelection()
        for r, agency in enumerate(self.model.rows):
            if agency.id in wanted:
                index = self.proxy.mapFromSource(self.model.index(r, 0))
                if index.isValid():
                    sel.select(index, QItemSelectionModel.Select | QItemSelectionModel.Rows)

    def status(self, text: str) -> None:
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(text, 6000)

    def show_refusal(self, text: str) -> None:
        """Why an edit was refused: on the tab's message line, and in the status bar, which is seen
        from the plan too (where agencies are dropped on counters)."""
        self.message.tell(text)
        self.status(text)

    def run(self, command) -> bool:
        """Run a command (or a function that builds it) on the undo stack; True when it was made."""
        self.message.hide()
        return self.undo_stack.run(command, origin=ORIGIN, report=self.show_refusal, parent=self)

    # --- register edits ---------------------------------------------------------------------
    def run_dialog(self, dialog) -> int:
        """Show a modal dialog (tests replace this to drive it)."""
        return dialog.exec()

    def add_agency(self) -> None:
        self.refresh()
        used = {a.colour.upper() for a in self.model.rows}
        made: list[AddAgency] = []

        def apply(fields, services) -> bool:
            def build() -> AddAgency:
                made.append(AddAgency(fields, [name for _i, name in services]))
                return made[-1]

            # a refusal or a failed save keeps the dialog open, the reason shown in it
            return self.undo_stack.run(build, origin=ORIGIN, report=dialog.show_error, parent=dialog)

        dialog = AgencyDialog(self, used_colours=used, on_accept=apply)
        if self.run_dialog(dialog) and made:
            self.refresh()
            self.select_ids([made[-1].agency_id])

    def edit_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 1:
            return
        self.edit_agency(ids[0])

    def edit_agency(self, agency_id: int) -> None:
        agency = reads.agency(self.project, agency_id)
        if agency is None:
            return

        def apply(fields, services) -> bool:
            return self.undo_stack.run(lambda: EditAgency(agency_id, fields, services), origin=ORIGIN,
                                       report=dialog.show_error, parent=dialog)

        dialog = AgencyDialog(self, agency=agency, on_accept=apply)
        self.run_dialog(dialog)

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        agencies = reads.agencies(self.project, ids)
        if not agencies:
            return
        holding = [(a, self.lines[a.id]) for a in agencies if a.id in self.lines and self.lines[a.id].slots]
        if holding:
            text = "\n".join(_("{agency}: {counters}").format(
                agency=a.short_name, counters=self.allocation.counters_text(ln, days_ui)) for a, ln in holding)
            answer = self.ask(_("Delete agency"), ngettext(
                "This agency serves at counters, which will have no agency afterwards:",
                "These agencies serve at counters, which will have no agency afterwards:", len(holding))
                + "\n\n" + text + "\n\n" + _("Delete and unassign? (You can undo this.)"))
            if not answer:
                return
        if self.run(lambda: DeleteAgency([a.id for a in agencies], [agencies[0].short_name])):
            self.status(_("Deleted. Edit ▸ Undo brings it back."))

    def ask(self, title: str, text: str) -> bool:
        return QMessageBox.question(self, title, text, QMessageBox.Yes | QMessageBox.No,
                                    QMessageBox.No) == QMessageBox.Yes

    def _context_menu(self, pos) -> None:
        menu = QMenu(self)
        menu.addAction(self.act_edit)
        menu.addAction(self.act_delete)
        ids = self.selected_ids()
        if len(ids) == 1 and ids[0] in self.lines and self.lines[ids[0]].slots:
            line = self.lines[ids[0]]
            act = menu.addAction(_("Unassign from all its counters"))
            act.triggered.connect(lambda: self.run(lambda: UnassignAgency([c.id for c in line.counters], ids[0])))
        menu.addSeparator()
        menu.addAction(self.act_add)
        menu.exec(self.view.viewport().mapToGlobal(pos))

    # --- import -----------------------------------------------------------------------------
    def import_agencies(self, path: str | Path | None = None) -> JobHandle | None:
        """Read and check the file as a job (a big workbook takes a while), then show the preview
        (:meth:`review_import`); None when no file was chosen."""
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(
                self, _("Import agencies"), "", _("Tables (*.csv *.xlsx);;All files (*)"))
            if not path:
                return None
        path = Path(path)
        handle = run_job(self, _("Import agencies"), lambda reader: read_import(reader, path), project=self.project,
                         on_done=self.review_import, on_failed=self._import_failed)
        self._keep(handle)
        return handle

    def _import_failed(self, exc: BaseException) -> None:
        from mpp_planner.importers import ImportRefused

        if isinstance(exc, ImportRefused):
            QMessageBox.warning(self, _("Cannot import"), "\n".join(str(e) for e in exc.errors))
        else:
            show_job_error(self, _("Cannot import"), exc)

    def review_import(self, plan) -> bool:
        """Show what the import would add; on OK add every row as one undoable step."""
        from mpp_planner.importers import ImportRefused
        from mpp_planner.qt.agencies.import_dialog import ImportPreviewDialog

        dialog = ImportPreviewDialog(plan, self)
        if not self.run_dialog(dialog):
            return False
        try:
            command = plan.command()
        except ImportRefused as refused:
            QMessageBox.warning(self, _("Cannot import"), "\n".join(str(e) for e in refused.errors))
            return False
        if not self.run(command):
            return False
        self.refresh()
        self.pages.setCurrentIndex(0)
        self.select_ids(command.created_ids)
        self.status(command.text)
        return True

    # --- counters ---------------------------------------------------------------------------
    def plan_view(self):
        window = self.window()
        plan = getattr(window, "tab_widgets", {}).get("plan")
        return getattr(plan, "view", None)

    def install_drop(self) -> bool:
        if self.drop_filter is not None:
            return True
        view = self.plan_view()
        if view is None:
            return False
        self.drop_filter = AgencyDropFilter(view, self.drop_on_counter, self)
        tabs = getattr(self.window(), "tabs", None)
        if isinstance(tabs, QTabWidget):
            self.spring = SpringLoadedTabs(tabs, self)
        return True

    def selected_counter_ids(self) -> list[int]:
        view = self.plan_view()
        scene = view.scene() if view is not None else None
        if scene is None:
            return []
        ids = []
        for item in scene.selectedItems():
            while item is not None and getattr(item, "kind", None) != "counter":
                item = item.parentItem()
            if item is not None and getattr(item, "object_id", None) is not None and item.object_id not in ids:
                ids.append(item.object_id)
        return ids

    def assign_selected(self, agency_id: int | None = None) -> None:
        self.refresh()  # the register's selection names the agency: it must be current
        counters = self.selected_counter_ids()
        if not counters:
            QMessageBox.information(self, _("Assign counters"), _(
                "Select one or more counters on the plan first (click, Shift+click or drag a frame), "
                "then choose Assign Counters to Agency… again."))
            return
        if agency_id is None and len(self.selected_ids()) == 1:
            agency_id = self.selected_ids()[0]
        self.assign_dialog(counters, agency_id)

    def assign_dialog(self, counter_ids: list[int], agency_id: int | None = None) -> bool:
        dialog = AssignDialog(self.allocation, counter_ids, agency_id, self)
        if not self.run_dialog(dialog):
            return False
        chosen = dialog.agency_id()
        if chosen is None or not dialog.weekdays():
            return False
        days, exclusive = dialog.weekdays(), dialog.exclusive.isChecked()
        return self.run(lambda: AssignAgency(counter_ids, chosen, days, exclusive=exclusive))

    def unassign_selected(self) -> None:
        counters = self.selected_counter_ids()
        if not counters:
            QMessageBox.information(self, _("Unassign counters"),
                                    _("Select one or more counters on the plan first."))
            return
        if not any(self.allocation.schedule.get(c) for c in counters):
            self.status(_("The selected counters are not yet allocated."))
            return
        self.run(lambda: UnassignAgency(counters))

    def drop_on_counter(self, agency_id: int, counter_id: int) -> None:
        """An agency was dropped on a counter: a free counter gets it Mon–Fri at once; a counter that
        others serve opens "Assign to…" with the free days ticked (after the drag has ended)."""
        schedule = self.allocation.schedule.get(counter_id, []) if self.allocation else []
        others = [a for a, _m in schedule if a.id != agency_id]
        if not schedule:
            if self.run(lambda: AssignAgency([counter_id], agency_id, WORKDAYS)):
                self.status(self.undo_stack.undoText())
            return
        if not others:
            self.status(_("This agency already serves at that counter."))
            return
        QTimer.singleShot(0, lambda: self.assign_dialog([counter_id], agency_id))

    def edit_counter_schedule(self, counter_id: int) -> bool:
        if self.allocation is None or not any(c.id == counter_id for c in self.allocation.counters):
            return False
        dialog = ScheduleDialog(self.allocation, counter_id, self)
        if not self.run_dialog(dialog):
            return False
        wanted = dialog.schedule()
        return self.run(lambda: SetSchedule(counter_id, wanted))

    # --- export -----------------------------------------------------------------------------
    def export_dialog(self) -> None:
        name = f"Alokasi Loket - {site_name(self.project)}.pdf"
        folder = self.project.path.parent
        path, chosen = QFileDialog.getSaveFileName(
            self, _("Export agency allocation list"), str(folder / name),
            _("PDF (*.pdf)") + ";;" + _("Excel workbook (*.xlsx)") + ";;" + _("CSV (*.csv)"))
        if not path:
            return
        if not Path(path).suffix:
            path += {"xlsx": ".xlsx", "csv": ".csv"}.get(next((k for k in ("xlsx", "csv") if k in chosen.lower()),
                                                              ""), ".pdf")
        self.start_export(Path(path))

    def start_export(self, out: Path) -> JobHandle | None:
        """Write the allocation list as a job: read and written off the GUI thread, with Cancel."""
        from mpp_planner.reports.allocations import FORMATS
        from mpp_planner.reports.output import OutputError, check_output_path

        try:
            out, fmt = check_output_path(out, FORMATS)
        except OutputError as exc:
            QMessageBox.warning(self, _("Cannot export"), str(exc))
            return None
        handle = run_job(self, _("Export"), lambda reader: write_allocation_list(reader, out, fmt),
                         project=self.project, label=_("Writing {file}…").format(file=out.name),
                         on_done=lambda written: self.status(_("Written: {path}").format(path=written)),
                         on_failed=lambda exc: show_job_error(self, _("Cannot export"), exc))
        self._keep(handle)
        return handle

    def _keep(self, handle: JobHandle) -> None:
        """Hold a running job (``jobs``) until it ended."""
        self.jobs.append(handle)
        handle.finished.connect(lambda: self.jobs.remove(handle) if handle in self.jobs else None)
