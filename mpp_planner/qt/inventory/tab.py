"""The Inventory & Needs tab: the KIR per room (editable, undoable), needs with their gaps per
room and in total, the facility standards check, and visitation notes.

The tab reads through ``mpp_planner.reads``, runs every edit with ``undo_stack.run`` (a refusal is
told on the tab's message line) and every export or check with ``run_job``."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QMessageBox, QPushButton, QSplitter, QTableView, QTabWidget, QVBoxLayout, QWidget)

from mpp_planner.commands.inventory import delete_inventory_items, delete_needs, edit_inventory_item, edit_need
from mpp_planner.formats import number, rupiah
from mpp_planner.i18n import _, current_language
from mpp_planner.importers.prices import parse_price
from mpp_planner.model import Condition, NeedSource, ValidationError
from mpp_planner.model.gaps import GapTotal, compute_gaps, gap_cost, gap_totals
from mpp_planner.project import Changes, Topic
from mpp_planner.qt.inventory.catalog import CatalogDialog, PriceImportDialog
from mpp_planner.qt.inventory.dialogs import InventoryItemDialog, NeedDialog, qty_edit_text
from mpp_planner.qt.inventory.editing import (ORIGIN, EditableRowModel, EditColumn, FilterProxy, InlineDelegate,
                                              say_written)
from mpp_planner.qt.inventory.checklist_panel import ChecklistPanel
from mpp_planner.qt.inventory.findings_panel import WATCHED, FindingsPanel
from mpp_planner.qt.inventory.room_tree import ALL_ROOMS, RoomTree
from mpp_planner.qt.inventory.visits_panel import VisitsPanel
from mpp_planner.qt.jobs import run_job
from mpp_planner.qt.message_line import MessageLine
from mpp_planner.qt.signals import connect_when_visible
from mpp_planner.qt.tables import CENTER, RIGHT, FilterDelay, fit_columns, make_table_view
from mpp_planner.reads import catalog as catalog_reads
from mpp_planner.reads import inventory as reads

FIT_SAMPLE_ROWS = 80  # column widths fit the first rows only: instant on large projects
KIR_BATCH = 300  # KIR rows handed to the table at a time (more as it scrolls): a big project shows at once
CONDITION_COLOURS = {"B": "#27AE60", "KB": "#E67E22", "RB": "#C0392B"}
#: what the tab shows: the rooms, their KIR rows and needs (with item types), and its two panels
TOPICS = tuple(dict.fromkeys((Topic.ROOMS, Topic.FLOORS, Topic.INVENTORY, Topic.NEEDS, Topic.CATALOG,
                              *WATCHED, *VisitsPanel.TOPICS, *ChecklistPanel.TOPICS)))
#: edits after which the tables are read again (rows came or went; a delete also drops loaded objects)
ROWS = (Topic.INVENTORY, Topic.NEEDS, Topic.CATALOG, Topic.VISITS)


_QTY_TEXTS: dict[tuple[Decimal, str], str] = {}  # few quantities recur across thousands of KIR rows


def qty(value: Decimal) -> str:
    key = (value, current_language())
    text = _QTY_TEXTS.get(key)
    if text is None:
        if len(_QTY_TEXTS) > 5000:
            _QTY_TEXTS.clear()
        text = _QTY_TEXTS[key] = number(value, 0) if value == value.to_integral_value() else number(value, 2)
    return text


def asset_code_tip(item: reads.KirRow) -> str:
    """The kode barang's name, and whether the row has its own or shows its item type's."""
    code = item.kode_barang
    if not code:
        return _("No kode barang: give the row one, or its item type in the catalog.")
    name = catalog_reads.asset_code_name(code)
    text = f"{code} — {name}" if name else code
    return text if item.asset_code else _("{code} (from the item type)").format(code=text)


def table_view(model, parent) -> tuple[QTableView, FilterProxy]:
    """A sortable, filterable table (``qt.tables.make_table_view``) whose cells are edited in place."""
    view, proxy = make_table_view(model, parent, FilterProxy)
    view.setEditTriggers(QTableView.DoubleClicked | QTableView.EditKeyPressed | QTableView.AnyKeyPressed)
    view.setItemDelegate(InlineDelegate(view))
    view.horizontalHeader().setResizeContentsPrecision(FIT_SAMPLE_ROWS)
    return view, proxy


def _button(text: str, slot, tip: str = "") -> QPushButton:
    b = QPushButton(text)
    b.clicked.connect(slot)
    if tip:
        b.setToolTip(tip)
    return b


class InventoryTab(QWidget):
    def __init__(self, project, signals, undo_stack, parent=None):
        super().__init__(parent)
        self.project = project
        self.signals = signals
        self.undo_stack = undo_stack
        self.gaps = {}
        self.all_items: list[reads.KirRow] = []  # every KIR row and need, plain rows kept up to date in place
        self.all_needs: list[reads.NeedRow] = []
        self.room_totals: dict[int, GapTotal] = {}
        self.total = GapTotal()
        self.export_job = None  # the last KIR export (a JobHandle)

        # --- rooms ---
        self.rooms = RoomTree()
        self.rooms.currentItemChanged.connect(lambda *_a: self.show_room())

        self.count_kb = QCheckBox(_("Count fair (KB) items as usable"))
        self.count_kb.toggled.connect(lambda _c: self.recompute())

        # --- inventory ---
        conditions = [(c.label, c.value) for c in Condition]
        self.items_model = EditableRowModel([
            EditColumn(_("Room"), lambda i: i.room.name if i.room else "—"),
            EditColumn(_("Item"), lambda i: i.item_type.name, width=260, tooltip=lambda i: i.item_type.specification),
            EditColumn(_("Qty"), lambda i: qty(i.quantity), align=RIGHT, sort=lambda i: i.quantity, field="quantity",
                       edit_value=lambda i: qty_edit_text(i.quantity)),
            EditColumn(_("Unit"), lambda i: i.item_type.unit),
            EditColumn(_("Condition"), lambda i: i.condition, align=CENTER, field="condition",
                       colour=lambda i: CONDITION_COLOURS.get(i.condition),
                       tooltip=lambda i: Condition(i.condition).label, choices=lambda: conditions),
            EditColumn(_("Brand / model"), lambda i: i.brand_model, field="brand_model"),
            EditColumn(_("Year"), lambda i: i.year or "", align=CENTER, sort=lambda i: i.year or 0, field="year"),
            EditColumn(_("Asset code"), lambda i: i.kode_barang, field="asset_code", edit_value=lambda i: i.asset_code,
                       tooltip=asset_code_tip),
            EditColumn(_("Register number"), lambda i: i.register_code, field="register_code"),
            EditColumn(_("Purchase price (Rp)"), lambda i: rupiah(i.purchase_price, symbol=False)
                       if i.purchase_price is not None else "", align=RIGHT,
                       sort=lambda i: i.purchase_price or 0, field="purchase_price",
                       edit_value=lambda i: qty_edit_text(i.purchase_price)),
            EditColumn(_("Serial no."), lambda i: i.serial_no, field="serial_no"),
            EditColumn(_("Size"), lambda i: i.size, field="size"),
            EditColumn(_("Material"), lambda i: i.material, field="material"),
            EditColumn(_("On plan"), lambda i: _("yes") if i.on_plan else "", align=CENTER,
                       tooltip=lambda i: _("Drawn on the plan: counted automatically, its room follows its position.")
                       if i.on_plan else ""),
            EditColumn(_("Notes"), lambda i: i.notes, field="notes", tooltip=lambda i: i.notes),
        ], self._commit_item, self, batch=KIR_BATCH)
        self.items_view, self.items_proxy = table_view(self.items_model, self)
        self.items_view.doubleClicked.connect(
            lambda index: self.edit_item() if not (self.items_proxy.flags(index) & Qt.ItemIsEditable) else None)
        self.items_filter = QLineEdit()
        self.items_filter.setPlaceholderText(_("Filter inventory…"))
        self.items_filter.setClearButtonEnabled(True)
        self.items_filter_delay = FilterDelay(self.items_filter, self.items_proxy.setFilterFixedString)
        self.items_model.prepare_search()  # what the filter looks in is made while idle
        self.condition_filter = QComboBox()
        self.condition_filter.addItem(_("All conditions"), None)
        for c in Condition:
            self.condition_filter.addItem(c.label, c.value)
        self.condition_filter.currentIndexChanged.connect(self._filter_condition)
        self.items_summary = QLabel()

        # --- needs ---
        sources = [(s.label, s.value) for s in NeedSource]
        self.needs_model = EditableRowModel([
            EditColumn(_("Room"), lambda n: n.room.name),
            EditColumn(_("Item"), lambda n: n.item_type.name, width=260),
            EditColumn(_("Required"), lambda n: qty(n.quantity), align=RIGHT, sort=lambda n: n.quantity,
                       field="quantity", edit_value=lambda n: qty_edit_text(n.quantity)),
            EditColumn(_("Usable"), lambda n: qty(self.gaps[n.id].usable), align=RIGHT,
                       sort=lambda n: self.gaps[n.id].usable),
            EditColumn(_("Gap"), lambda n: qty(self.gaps[n.id].missing), align=RIGHT,
                       sort=lambda n: self.gaps[n.id].missing,
                       colour=lambda n: "#C0392B" if self.gaps[n.id].missing > 0 else "#27AE60"),
            EditColumn(_("Unit"), lambda n: n.item_type.unit),
            EditColumn(_("Reference price (Rp)"), lambda n: rupiah(n.item_type.ref_price, symbol=False), align=RIGHT,
                       sort=lambda n: n.item_type.ref_price),
            EditColumn(_("Gap cost (Rp)"), lambda n: rupiah(gap_cost(n, self.gaps[n.id]), symbol=False), align=RIGHT,
                       sort=lambda n: gap_cost(n, self.gaps[n.id])),
            EditColumn(_("Source"), lambda n: NeedSource(n.source).label, field="source", choices=lambda: sources),
            EditColumn(_("Reason"), lambda n: n.reason, width=360, field="reason", tooltip=lambda n: n.reason),
        ], self._commit_need, self)
        self.needs_view, self.needs_proxy = table_view(self.needs_model, self)
        self.needs_view.doubleClicked.connect(
            lambda index: self.edit_need() if not (self.needs_proxy.flags(index) & Qt.ItemIsEditable) else None)
        self.open_only = QCheckBox(_("Only open gaps"))
        self.open_only.toggled.connect(self._filter_open)
        self.needs_total = QLabel()
        self.needs_total.setTextInteractionFlags(Qt.TextSelectableByMouse)

        inv_box = QGroupBox(_("Inventory (KIR)"))
        iv = QVBoxLayout(inv_box)
        row = QHBoxLayout()
        for b in (_button(_("Add…"), self.add_item, _("Add an inventory row to the selected room")),
                  _button(_("Edit…"), self.edit_item), _button(_("Delete"), self.delete_items),
                  _button(_("Catalog…"), self.open_catalog, _("Item types with reference prices (SSH)")),
                  _button(_("Import…"), lambda: self.import_register(),
                          _("Add the rows of an asset register (KIR, SIMDA/SIMBADA export, Excel)")),
                  _button(_("Print KIR…"), lambda: self.sheet_printing("kir").preview(),
                          _("Print preview of the room inventory card of the chosen room (all rooms: every card); "
                            "print from there"))):
            row.addWidget(b)
        row.addSpacing(12)
        row.addWidget(self.items_filter, 1)
        row.addWidget(self.condition_filter)
        iv.addLayout(row)
        iv.addWidget(self.items_view)
        iv.addWidget(self.items_summary)

        needs_box = QGroupBox(_("Needs and gaps"))
        nv = QVBoxLayout(needs_box)
        row = QHBoxLayout()
        for b in (_button(_("Add need…"), self.add_need), _button(_("Edit…"), self.edit_need),
                  _button(_("Delete"), self.delete_needs)):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.open_only)
        row.addWidget(self.count_kb)
        nv.addLayout(row)
        nv.addWidget(self.needs_view)
        nv.addWidget(self.needs_total)

        right = QSplitter(Qt.Vertical)
        right.addWidget(inv_box)
        right.addWidget(needs_box)
        right.setSizes([480, 360])
        left = QGroupBox(_("Rooms"))
        QVBoxLayout(left).addWidget(self.rooms)
        split = QSplitter(Qt.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([375, 1025])  # room names stay readable beside "Kekurangan (Rp)"
        page = QWidget()
        QVBoxLayout(page).addWidget(split)

        self.message = MessageLine()  # why the last edit was refused, under whichever page is shown
        self.findings_panel = FindingsPanel(project, undo_stack, self.count_kb.isChecked, self,
                                            report=self.show_message)
        self.visits_panel = VisitsPanel(project, undo_stack, self, report=self.show_message)
        self.pages = QTabWidget()
        self.pages.addTab(page, _("Inventory and needs"))
        self.pages.addTab(self.findings_panel, _("Standards check"))
        self.pages.addTab(self.visits_panel, _("Visits"))
        self.checklist_panel = ChecklistPanel(project, undo_stack, self, report=self.show_message)
        self.pages.addTab(self.checklist_panel, _("Checklist"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.pages)
        layout.addWidget(self.message)
        undo_stack.indexChanged.connect(self.message.hide)  # an edit, undo or redo went through

        for view, slot in ((self.items_view, self.delete_items), (self.needs_view, self.delete_needs)):
            shortcut = QShortcut(QKeySequence.Delete, view, context=Qt.WidgetShortcut)
            shortcut.activated.connect(slot)

        self.act_catalog = QAction(_("Item &catalog…"), self, triggered=self.open_catalog)
        self.act_prices = QAction(_("Import SSH &prices…"), self, triggered=self.import_prices)
        self.act_check = QAction(_("Check facility &standards"), self, triggered=self.check_standards)
        self.act_export_kir = QAction(_("Room inventory cards (&KIR)…"), self, triggered=self.export_kir)
        self.act_export_findings = QAction(_("Standards &findings…"), self,
                                           triggered=self.findings_panel.export_pdf)
        self.act_print_kir = QAction(_("Print room inventory cards (KIR)…"), self,
                                     triggered=lambda: self.sheet_printing("kir").print_dialog())
        self.act_preview_kir = QAction(_("Print preview of the room inventory cards (KIR)…"), self,
                                       triggered=lambda: self.sheet_printing("kir").preview())
        self.act_print_findings = QAction(_("Print standards findings…"), self,
                                          triggered=lambda: self.sheet_printing("findings").print_dialog())
        self.act_preview_findings = QAction(_("Print preview of the standards findings…"), self,
                                            triggered=lambda: self.sheet_printing("findings").preview())

        self.reload_rooms()
        fit_columns(self.items_view, self.items_model)
        fit_columns(self.needs_view, self.needs_model)
        connect_when_visible(signals, self, self.apply_changes, *TOPICS)

    # --- menu entries for the main window ------------------------------------------------
    def edit_actions(self) -> list[QAction]:
        return [self.act_catalog, self.act_prices, self.act_check]

    def export_actions(self) -> list[QAction]:
        return [self.act_export_kir, self.act_export_findings]

    def print_actions(self) -> list[QAction]:
        return [self.act_print_kir, self.act_preview_kir, self.act_print_findings, self.act_preview_findings]

    # --- printing through the print service (qt/sheet_print) ------------------------------------
    def sheet_printing(self, kind: str = "kir"):
        """The KIR (of the chosen room, else every room with inventory) or the standards findings, laid out on
        the project's paper and printed as the print dialog sets them."""
        from mpp_planner.qt.sheet_print import SheetPrinting
        from mpp_planner.reads.site import sheet_paper

        if kind == "kir":
            from mpp_planner.reports import kir as module

            item = self.rooms.currentItem()
            room = item.text(0) if item is not None and self.selected_room_id() != ALL_ROOMS else None
            title = _("Room inventory card (KIR)") if room else _("Room inventory cards (KIR)")
        else:
            from mpp_planner.reports import findings as module

            room, title = None, _("Standards findings")

        def write(reader, path: Path, paper: str):
            return module.export(reader, path, "pdf", SimpleNamespace(room=room, date=None, paper=paper))

        self.printing = SheetPrinting(self, self.project, title, write, default_paper=sheet_paper(self.project),
                                      on_refused=lambda text: QMessageBox.warning(self, title, text))
        return self.printing

    # --- loading -------------------------------------------------------------------------
    def selected_room_id(self) -> int:
        """The chosen room's id, or ALL_ROOMS for "All rooms" and for a floor."""
        return self.rooms.room_id()

    def selected_floor_id(self) -> int | None:
        return self.rooms.floor_id()

    def _shown_test(self):
        """Whether a row belongs to the chosen room or floor (None: every row does)."""
        floor_id = self.selected_floor_id()
        if floor_id is not None:
            return lambda obj: obj.room is not None and obj.room.floor_id == floor_id
        room_id = self.selected_room_id()
        return None if room_id == ALL_ROOMS else (lambda obj: obj.room_id == room_id)

    def reload_rooms(self) -> None:
        self.rooms.fill(reads.rooms_by_floor(self.project))
        self.reload_tables()

    def reload_tables(self) -> None:
        """Read every inventory row and need once (batched, as plain rows), then show the selected room."""
        self.all_items = reads.kir_rows(self.project)
        self.all_needs = reads.need_rows(self.project)
        self.show_room()

    def show_room(self) -> None:
        test = self._shown_test()
        items = self.all_items if test is None else [i for i in self.all_items if test(i)]
        needs = self.all_needs if test is None else [n for n in self.all_needs if test(n)]
        one_room = self.selected_room_id() != ALL_ROOMS
        self.items_view.setColumnHidden(0, one_room)
        self.needs_view.setColumnHidden(0, one_room)
        self._compute_gaps()
        keep_items = self._selected_ids(self.items_view, self.items_proxy, self.items_model)
        keep_needs = self._selected_ids(self.needs_view, self.needs_proxy, self.needs_model)
        self.items_model.set_rows(items)
        self.needs_model.set_rows(needs)
        self._reselect(self.items_view, self.items_proxy, self.items_model, keep_items)
        self._reselect(self.needs_view, self.needs_proxy, self.needs_model, keep_needs)
        self._update_totals()

    def _compute_gaps(self) -> None:
        self.gaps = compute_gaps(self.all_needs, self.all_items, count_kb=self.count_kb.isChecked())
        self.room_totals, self.total = gap_totals(self.all_needs, self.gaps)

    def recompute(self) -> None:
        """Quantities or conditions changed, or KB counts now: new gaps, same rows."""
        self._compute_gaps()
        self.needs_model.refresh_all()  # usable, gap and its cost
        self._update_totals()

    def _update_totals(self) -> None:
        counts: dict[int, int] = {}
        for i in self.all_items:
            if i.room_id is not None:
                counts[i.room_id] = counts.get(i.room_id, 0) + 1
        self.rooms.show_totals(counts, len(self.all_items), self.room_totals, self.total)
        room_id, floor_id = self.selected_room_id(), self.selected_floor_id()
        shown = self.needs_model.rows
        if room_id != ALL_ROOMS:
            here = self.room_totals.get(room_id, GapTotal())
        else:
            here = sum((self.room_totals.get(n.room_id, GapTotal()) for n in {n.room_id: n for n in shown}.values()),
                       GapTotal()) if floor_id is not None else self.total
        text = _("{n} open gaps, cost at reference prices: {cost}").format(n=here.open_needs, cost=rupiah(here.cost))
        if room_id != ALL_ROOMS or floor_id is not None:
            where = _("This room") if room_id != ALL_ROOMS else _("This floor")
            text = f"{where}: {text} · " + _("all rooms: {n} open gaps, {cost}").format(
                n=self.total.open_needs, cost=rupiah(self.total.cost))
        self.needs_total.setText(text)
        value = sum(((i.purchase_price or Decimal(0)) * i.quantity for i in self.items_model.rows), Decimal(0))
        self.items_summary.setText(_("{n} rows · acquisition value {value} · {m} needs shown").format(
            n=len(self.items_model.rows), value=rupiah(value), m=len(shown)))

    @staticmethod
    def _selected_ids(view, proxy, model) -> set:
        sel = view.selectionModel()
        if sel is None:
            return set()
        return {model.row_object(proxy.mapToSource(i).row()).id for i in sel.selectedRows()
                if proxy.mapToSource(i).row() < len(model.rows)}

    @staticmethod
    def _reselect(view, proxy, model, ids) -> None:
        if not ids:
            return
        sel = view.selectionModel()
        first = None
        rows = [row for row, obj in enumerate(model.rows) if obj.id in ids]
        if rows:
            model.fetch(rows[-1] + 1)  # a row chosen far down stays chosen: hand out the rows down to it
        for row in rows:
            index = proxy.mapFromSource(model.index(row, 0))
            if not index.isValid():
                continue
            if first is None:
                view.selectRow(index.row())
                first = index
            else:
                sel.select(index, QItemSelectionModel.Select | QItemSelectionModel.Rows)
        if first is not None:
            view.scrollTo(first)

    def apply_changes(self, changes: Changes) -> None:
        self.findings_panel.apply_changes(changes)
        self.visits_panel.apply_changes(changes)
        self.checklist_panel.apply_changes(changes)
        if changes.about(Topic.ROOMS, Topic.FLOORS):
            self.reload_rooms()
            return
        if any(changes.did(topic, verb) for topic in ROWS for verb in ("added", "removed")):
            self.reload_tables()  # rows came or went (a delete also expires loaded objects)
        elif changes.about(Topic.INVENTORY, Topic.NEEDS, Topic.CATALOG):
            self._refresh_in_place(changes)

    def _refresh_in_place(self, changes: Changes) -> None:
        """Rows were edited: read those rows again (after a change to the catalog, or when the edit does not
        say which rows, every row) and bring the loaded ones up to date in place: the tables keep their rows
        (and the user's selection) and repaint what changed."""
        every = changes.reset or changes.about(Topic.CATALOG)

        def to_read(topic: Topic) -> set | None:  # None: every row
            if every:
                return None
            return changes.ids(topic, "updated") or None if changes.about(topic) else set()

        test = self._shown_test()
        moved = False
        for ids, rows, read, model in ((to_read(Topic.INVENTORY), self.all_items, reads.kir_rows, self.items_model),
                                       (to_read(Topic.NEEDS), self.all_needs, reads.need_rows, self.needs_model)):
            if ids == set():
                continue
            by_id = {row.id: row for row in rows}
            fresh_rows = read(self.project, ids)
            if ids is None and {row.id for row in fresh_rows} != set(by_id):
                self.reload_tables()  # rows came or went after all
                return
            shown = {row.id for row in model.rows}
            for fresh in fresh_rows:
                row = by_id.get(fresh.id)
                if row is None:
                    continue
                row.update(fresh)
                moved = moved or (test is not None and (fresh.id in shown) != test(row))
            if not moved:
                if ids is None:
                    model.refresh_all()
                else:
                    model.refresh_ids(ids)
        if moved:
            self.show_room()  # a row moved to another room
        else:
            self.recompute()

    def _filter_condition(self) -> None:
        value = self.condition_filter.currentData()
        self.items_proxy.set_predicate(None if value is None else (lambda i: i.condition == value))

    def _filter_open(self, on: bool) -> None:
        self.needs_proxy.set_predicate((lambda n: self.gaps[n.id].missing > 0) if on else None)

    # --- editing ------------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        """Tell why an edit did not happen, under the page the user is on."""
        self.message.tell(text)

    def _run(self, command) -> bool:
        """Run an edit of this tab (a command, or a function making one): see ``UndoStack.run``."""
        self.message.hide()
        return self.undo_stack.run(command, origin=ORIGIN, report=self.show_message, parent=self)

    def _commit_item(self, item: reads.KirRow, field: str, value) -> bool:
        def command():
            typed = value
            if field == "year":
                typed = str(value).strip() or None
            elif field == "purchase_price":
                text = str(value).strip()
                try:
                    typed = parse_price(text) if text else None
                except ValueError:
                    raise ValidationError(field, _("'{value}' is not a price.").format(value=text)) from None
            return edit_inventory_item(item.id, {field: typed})

        return self._run(command)

    def _commit_need(self, need: reads.NeedRow, field: str, value) -> bool:
        return self._run(edit_need(need.id, {field: value}))

    def _selected(self, view, proxy, model) -> list:
        rows = sorted({proxy.mapToSource(i).row() for i in view.selectionModel().selectedRows()})
        if not rows and view.currentIndex().isValid():
            rows = [proxy.mapToSource(view.currentIndex()).row()]
        return [model.row_object(r) for r in rows]

    def selected_items(self) -> list[reads.KirRow]:
        return self._selected(self.items_view, self.items_proxy, self.items_model)

    def selected_needs(self) -> list[reads.NeedRow]:
        return self._selected(self.needs_view, self.needs_proxy, self.needs_model)

    def _room_for_new(self) -> int | None:
        rid = self.selected_room_id()
        return None if rid == ALL_ROOMS else rid

    def add_item(self) -> None:
        InventoryItemDialog(self.project, self.undo_stack, None, self._room_for_new(), self).exec()

    def edit_item(self) -> None:
        chosen = self.selected_items()
        if chosen:
            InventoryItemDialog(self.project, self.undo_stack, chosen[0], None, self).exec()

    def delete_items(self) -> None:
        chosen = self.selected_items()
        if chosen:
            self._run(delete_inventory_items([i.id for i in chosen]))

    def add_need(self) -> None:
        NeedDialog(self.project, self.undo_stack, None, self._room_for_new(), self).exec()

    def edit_need(self) -> None:
        chosen = self.selected_needs()
        if chosen:
            NeedDialog(self.project, self.undo_stack, chosen[0], None, self).exec()

    def delete_needs(self) -> None:
        chosen = self.selected_needs()
        if chosen:
            self._run(delete_needs([n.id for n in chosen]))

    def open_catalog(self) -> None:
        CatalogDialog(self.project, self.signals, self.undo_stack, self).exec()

    def import_prices(self) -> None:
        PriceImportDialog(self.project, self.undo_stack, self).exec()

    def import_register(self, path=None):
        """Open the register import (on ``path``, else the user picks a file there); returns the dialog."""
        from mpp_planner.qt.inventory.register_import import RegisterImportDialog

        self.register_dialog = RegisterImportDialog(self.project, self.undo_stack, self, source=path)
        self.register_dialog.open()
        if path is None:
            self.register_dialog.choose()
        return self.register_dialog

    def check_standards(self):
        """Show the standards page and check there; returns the check's job."""
        self.pages.setCurrentWidget(self.findings_panel)
        window = self.window()
        if hasattr(window, "show_tab"):
            window.show_tab("inventory")
        return self.findings_panel.run_check()

    # --- export ---------------------------------------------------------------------------
    def export_kir(self) -> None:
        item = self.rooms.currentItem()
        room = item.text(0) if item is not None and self.selected_room_id() != ALL_ROOMS else None
        if room is not None:
            answer = QMessageBox.question(
                self, _("Export KIR"), _("Export the card of “{room}” only? (No: every room with inventory)").format(
                    room=room), QMessageBox.Yes | QMessageBox.No | QMessageBox.Cancel)
            if answer == QMessageBox.Cancel:
                return
            if answer == QMessageBox.No:
                room = None
        path, _filter = QFileDialog.getSaveFileName(self, _("Export KIR"), "kir.pdf",
                                                    _("PDF (*.pdf);;Excel (*.xlsx);;CSV (*.csv)"))
        if path:
            self.export_kir_to(path, room)

    def export_kir_to(self, path, room_name: str | None = None):
        """Write the KIR (of one room, or every room with inventory) in a worker; returns the job, or
        None when the file cannot be written there."""
        from mpp_planner.reports import kir
        from mpp_planner.reports.output import OutputError, check_output_path

        try:
            out, fmt = check_output_path(path, kir.FORMATS)
        except OutputError as exc:
            QMessageBox.critical(self, _("Cannot export"), str(exc))
            return None
        args = SimpleNamespace(room=room_name, date=None)
        self.export_job = run_job(self, _("Export KIR"), lambda reader: kir.export(reader, out, fmt, args),
                                  project=self.project, on_done=lambda _r: say_written(self, out))
        return self.export_job
