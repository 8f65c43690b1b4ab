"""The Agencies tab: the register (sortable, filterable, searchable; add, edit, delete, import) and
the allocation overview, plus the ways to put agencies on counters: drag a register row onto a
counter on the plan, Edit ▸ Assign Counters to Agency… on the plan's selection, or double-click a
counter in the overview's schedule. Every change is one undoable command."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QSortFilterProxyModel, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QMenu,
                               QMessageBox, QProgressDialog, QTabWidget, QToolBar, QVBoxLayout, QWidget)
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mpp_planner.commands.agencies import (AddAgency, AssignAgency, DeleteAgency, EditAgency, SetSchedule,
                                           UnassignAgency)
from mpp_planner.formats import long_date
from mpp_planner.i18n import _, ngettext
from mpp_planner.model import Agency, ValidationError
from mpp_planner.model.agency import Tier, Weekday
from mpp_planner.model.allocation import load_allocation
from mpp_planner.project import Changes
from mpp_planner.qt.agencies.allocation_view import AllocationView
from mpp_planner.qt.agencies.assign import AssignDialog, ScheduleDialog, days_ui
from mpp_planner.qt.agencies.dialog import AgencyDialog
from mpp_planner.qt.agencies.drop import AGENCY_MIME, AgencyDropFilter, SpringLoadedTabs
from mpp_planner.qt.tables import RIGHT, Column, RowTableModel, SortFilterProxy, fit_columns

TIER_ORDER = {t.value: i for i, t in enumerate(Tier)}
WORKDAYS = int(Weekday.workdays())
WATCHED = ("agency", "service", "counter_assignment", "counter", "floor", "counter_service")


class AgencyTableModel(RowTableModel):
    """Register rows; a row can be dragged (its agency id travels as :data:`AGENCY_MIME`)."""

    def flags(self, index):
        flags = super().flags(index)
        return flags | Qt.ItemIsDragEnabled if index.isValid() else flags

    def mimeTypes(self):  # noqa: N802
        return [AGENCY_MIME]

    def supportedDragActions(self):  # noqa: N802
        return Qt.CopyAction

    def mimeData(self, indexes):  # noqa: N802
        agencies = []
        for index in indexes:
            agency = self.rows[index.row()]
            if agency not in agencies:
                agencies.append(agency)
        mime = QMimeData()
        if agencies:
            mime.setData(AGENCY_MIME, str(agencies[0].id).encode("ascii"))
            mime.setText(agencies[0].short_name)
        return mime


class RegisterProxy(SortFilterProxy):
    """Text search over every column plus a tier filter."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.tier: str | None = None

    def set_tier(self, tier: str | None) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10+
            self.beginFilterChange()
            self.tier = tier
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.tier = tier
            self.invalidateFilter()

    def filterAcceptsRow(self, row, parent) -> bool:  # noqa: N802
        if self.tier is not None and self.sourceModel().rows[row].tier != self.tier:
            return False
        return super().filterAcceptsRow(row, parent)


class ExportJob(QThread):
    """Writes an export file from collected data, off the GUI thread."""

    succeeded = Signal(str)
    failed = Signal(str)

    def __init__(self, report, out: Path, fmt: str, parent=None):
        super().__init__(parent)
        self.report, self.out, self.fmt = report, out, fmt

    def run(self) -> None:
        from mpp_planner.reports.allocations import render

        try:
            render(self.report, self.out, self.fmt)
        except Exception as exc:  # noqa: BLE001 - reported to the user, nothing half-written
            self.failed.emit(str(exc) or type(exc).__name__)
        else:
            self.succeeded.emit(str(self.out))


class AgencyTab(QWidget):
    def __init__(self, project, signals, undo_stack, parent=None):
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.allocation = None
        self.lines: dict[int, object] = {}
        self.jobs: list[ExportJob] = []
        self.drop_filter: AgencyDropFilter | None = None
        self.spring: SpringLoadedTabs | None = None

        self._build_actions()
        # --- register ----------------------------------------------------------------
        self.model = AgencyTableModel(self.agency_columns(), self)
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

        self.pages = QTabWidget()
        self.pages.addTab(register, _("Register"))
        self.pages.addTab(self.overview, _("Allocation"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.pages)
        self.reload()
        fit_columns(self.view, self.model)
        signals.changed.connect(self.apply_changes)
        if not self.install_drop():
            QTimer.singleShot(0, self.install_drop)

    # --- columns and actions --------------------------------------------------------------
    def agency_columns(self) -> list[Column]:
        def line(a):
            return self.lines.get(a.id)

        return [
            Column(_("Name"), lambda a: a.name, width=330),
            Column(_("Short name"), lambda a: a.short_name),
            Column(_("Tier"), lambda a: Tier(a.tier).label, sort=lambda a: TIER_ORDER.get(a.tier, 99)),
            Column(_("Colour"), lambda a: a.colour, colour=lambda a: a.colour),
            Column(_("Counters"), lambda a: (self.allocation.counters_text(line(a), days_ui) if line(a) and
                                             line(a).slots else "—"),
                   sort=lambda a: len(line(a).slots) if line(a) else 0),
            Column(_("Weekdays"), lambda a: days_ui(line(a).weekdays) if line(a) and line(a).weekdays else "",
                   sort=lambda a: bin(line(a).weekdays if line(a) else 0).count("1")),
            Column(_("Contact person"), lambda a: a.contact_person),
            Column(_("Phone"), lambda a: a.phone),
            Column(_("MoU/PKS number"), lambda a: a.mou_number),
            Column(_("MoU/PKS date"), lambda a: long_date(a.mou_date) if a.mou_date else "",
                   sort=lambda a: a.mou_date.isoformat() if a.mou_date else ""),
            Column(_("Services"), lambda a: len(a.services), align=RIGHT,
                   tooltip=lambda a: "\n".join(s.name for s in a.services)),
        ]

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

    def edit_actions(self) -> list[QAction]:
        return [self.act_assign, self.act_unassign]

    def export_actions(self) -> list[QAction]:
        return [self.act_export]

    def _update_actions(self) -> None:
        n = len(self.selected_ids())
        self.act_edit.setEnabled(n == 1)
        self.act_delete.setEnabled(n > 0)

    # --- data -------------------------------------------------------------------------------
    def reload(self) -> None:
        selected = self.selected_ids()
        agencies = self.project.session.scalars(
            select(Agency).order_by(Agency.name).options(selectinload(Agency.services))).all()
        self.allocation = load_allocation(self.project.session)
        self.lines = {ln.agency.id: ln for ln in self.allocation.agencies}
        self.model.set_rows(agencies)
        self.overview.set_allocation(self.allocation)
        self.summary.setText(_("{n} agencies, {m} without a counter").format(
            n=len(agencies), m=len(self.allocation.idle_agencies)))
        self.select_ids(selected)
        self._update_actions()

    def apply_changes(self, changes: Changes) -> None:
        if changes.touches(*WATCHED):
            self.reload()

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

    def push(self, command) -> bool:
        """Run a command on the undo stack; a refused edit is shown and changes nothing."""
        try:
            self.undo_stack.push_command(command)
        except (ValidationError, LookupError, ValueError) as exc:
            QMessageBox.warning(self, _("Not changed"), getattr(exc, "message", None) or str(exc))
            return False
        return True

    # --- register edits ---------------------------------------------------------------------
    def run_dialog(self, dialog) -> int:
        """Show a modal dialog (tests replace this to drive it)."""
        return dialog.exec()

    def add_agency(self) -> None:
        used = {a.colour.upper() for a in self.model.rows}
        created = []

        def apply(fields, services):
            cmd = AddAgency(fields, [name for _i, name in services])
            self.undo_stack.push_command(cmd)
            created.append(cmd.agency_id)

        dialog = AgencyDialog(self, used_colours=used, on_accept=apply)
        self.run_dialog(dialog)
        if created:
            self.select_ids(created)

    def edit_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 1:
            return
        self.edit_agency(ids[0])

    def edit_agency(self, agency_id: int) -> None:
        agency = self.project.get(Agency, agency_id)
        if agency is None:
            return

        def apply(fields, services):
            cmd = EditAgency(agency_id, fields, services)
            self.undo_stack.push_command(cmd)

        self.run_dialog(AgencyDialog(self, agency=agency, on_accept=apply))

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        agencies = [self.project.get(Agency, i) for i in ids]
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
        if self.push(DeleteAgency(ids, [agencies[0].short_name])):
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
            act.triggered.connect(lambda: self.push(UnassignAgency([c.id for c in line.counters], ids[0])))
        menu.addSeparator()
        menu.addAction(self.act_add)
        menu.exec(self.view.viewport().mapToGlobal(pos))

    # --- import -----------------------------------------------------------------------------
    def import_agencies(self, path: str | Path | None = None) -> bool:
        from mpp_planner.importers import ImportRefused
        from mpp_planner.importers.agencies import read
        from mpp_planner.qt.agencies.import_dialog import ImportPreviewDialog

        if path is None:
            path, _filter = QFileDialog.getOpenFileName(
                self, _("Import agencies"), "", _("Tables (*.csv *.xlsx);;All files (*)"))
            if not path:
                return False
        try:
            plan = read(self.project, path)
        except ImportRefused as refused:
            QMessageBox.warning(self, _("Cannot import"), "\n".join(str(e) for e in refused.errors))
            return False
        dialog = ImportPreviewDialog(plan, self)
        if not self.run_dialog(dialog):
            return False
        try:
            command = plan.command()
        except ImportRefused as refused:
            QMessageBox.warning(self, _("Cannot import"), "\n".join(str(e) for e in refused.errors))
            return False
        if self.push(command):
            self.pages.setCurrentIndex(0)
            self.select_ids(command.created_ids)
            self.status(command.text)
            return True
        return False

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
        return self.push(AssignAgency(counter_ids, chosen, dialog.weekdays(), exclusive=dialog.exclusive.isChecked()))

    def unassign_selected(self) -> None:
        counters = self.selected_counter_ids()
        if not counters:
            QMessageBox.information(self, _("Unassign counters"),
                                    _("Select one or more counters on the plan first."))
            return
        if not any(self.allocation.schedule.get(c) for c in counters):
            self.status(_("The selected counters have no agency."))
            return
        self.push(UnassignAgency(counters))

    def drop_on_counter(self, agency_id: int, counter_id: int) -> None:
        """An agency was dropped on a counter: a free counter gets it Mon–Fri at once; a counter that
        others serve opens "Assign to…" with the free days ticked (after the drag has ended)."""
        schedule = self.allocation.schedule.get(counter_id, []) if self.allocation else []
        others = [a for a, _m in schedule if a.id != agency_id]
        if not schedule:
            if self.push(AssignAgency([counter_id], agency_id, WORKDAYS)):
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
        return self.push(SetSchedule(counter_id, dialog.schedule()))

    # --- export -----------------------------------------------------------------------------
    def export_dialog(self) -> None:
        name = f"Alokasi Loket - {self.project.site.name}.pdf"
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

    def start_export(self, out: Path) -> ExportJob | None:
        from mpp_planner.reports.allocations import FORMATS, collect
        from mpp_planner.reports.output import OutputError, check_output_path

        try:
            out, fmt = check_output_path(out, FORMATS)
        except OutputError as exc:
            QMessageBox.warning(self, _("Cannot export"), str(exc))
            return None
        report = collect(self.project, plans=fmt == "pdf")
        job = ExportJob(report, out, fmt, self)
        progress = QProgressDialog(_("Writing {file}…").format(file=out.name), "", 0, 0, self)
        progress.setCancelButton(None)
        progress.setWindowTitle(_("Export"))
        progress.setMinimumDuration(500)
        progress.setWindowModality(Qt.WindowModal)

        def finished() -> None:
            progress.close()
            progress.deleteLater()
            if job in self.jobs:
                self.jobs.remove(job)
            job.deleteLater()

        job.succeeded.connect(lambda p: self.status(_("Written: {path}").format(path=p)))
        job.failed.connect(lambda msg: QMessageBox.critical(self, _("Cannot export"), msg))
        job.finished.connect(finished)
        self.jobs.append(job)
        job.start()
        return job
