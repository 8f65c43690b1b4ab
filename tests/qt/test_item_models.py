"""Every item model of the GUI passes Qt's ``QAbstractItemModelTester`` on the demo project, while it
is built, while the user edits through the undo stack, undoes, filters and sorts.

Models are taken from the built tabs' views (``view.model()`` and its source models), so the test
holds whatever the tabs show, however they load it. The tester reports in Warning mode (Fatal mode
aborts the interpreter, which would end the whole test run without a report); every warning it
logs fails the test at the step that caused it (pytest-qt also fails a test on any such warning).
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QAbstractItemModel, QAbstractProxyModel, QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QAbstractItemView

from mpp_planner.commands.agencies import AddAgency
from mpp_planner.qt.agencies.allocation_view import ScheduleModel
from mpp_planner.qt.agencies.tab import AgencyTableModel, RegisterProxy
from mpp_planner.qt.budget.model import LINE_ID_ROLE, BudgetTreeModel
from mpp_planner.qt.inventory.catalog import CatalogDialog, PriceImportDialog
from mpp_planner.qt.inventory.editing import EditableRowModel, FilterProxy
from mpp_planner.qt.tables import RowTableModel, SortFilterProxy

MODEL_TEST = "qt.modeltest"


class Watch:
    """Qt's model tester on each model handed to it, kept alive for the whole test."""

    def __init__(self, qtlog):
        self.qtlog = qtlog
        self.testers: list[QAbstractItemModelTester] = []
        self.models: list[QAbstractItemModel] = []
        self.seen = 0  # log records already looked at

    def view(self, view: QAbstractItemView) -> list[QAbstractItemModel]:
        """Test the view's model and every source model beneath it; returns them, outermost first."""
        chain = []
        model = view.model()
        while model is not None:
            chain.append(model)
            model = model.sourceModel() if isinstance(model, QAbstractProxyModel) else None
        for model in chain:
            self.model(model)
        return chain

    def model(self, model: QAbstractItemModel) -> None:
        if any(m is model for m in self.models):
            return
        self.models.append(model)
        self.testers.append(QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning))
        self.check(f"building the tester on {type(model).__name__}")

    def check(self, step: str) -> None:
        records = self.qtlog.records
        found = [r.message for r in records[self.seen:] if r.context is not None and r.context.category == MODEL_TEST]
        self.seen = len(records)
        assert not found, f"model tester after {step}:\n" + "\n".join(found)

    def kinds(self) -> set[type]:
        return {type(m) for m in self.models}


@pytest.fixture
def watch(qtlog):
    w = Watch(qtlog)
    yield w
    w.check("the end of the test")


def walk(model: QAbstractItemModel, parent: QModelIndex | None = None):
    """Every index in column 0, depth first."""
    parent = parent if parent is not None else QModelIndex()
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        yield index
        yield from walk(model, index)


def column_of(model: QAbstractItemModel, header: str) -> int:
    return next(c for c in range(model.columnCount()) if model.headerData(c, Qt.Horizontal) == header)


def sort_every_column(watch: Watch, view: QAbstractItemView, name: str) -> None:
    model = view.model()
    for col in range(model.columnCount()):
        for order in (Qt.AscendingOrder, Qt.DescendingOrder):
            model.sort(col, order)
    model.sort(-1)
    watch.check(f"sorting {name}")


def test_agency_models(demo_window, watch, qtbot):
    window = demo_window
    window.show_tab("agencies")
    tab = window.tab_widgets["agencies"]
    register = watch.view(tab.view)
    overview = tab.overview
    watch.view(overview.agency_view)
    watch.view(overview.tier_view)
    watch.view(overview.schedule_view)
    assert register[0].rowCount() > 10 and overview.schedule_view.model().rowCount() > 0

    sort_every_column(watch, tab.view, "the register")
    sort_every_column(watch, overview.agency_view, "the agencies of the overview")
    for tier in ("pusat", None):
        register[0].set_tier(tier)
    register[0].setFilterFixedString("kota")
    register[0].setFilterFixedString("")
    watch.check("filtering the register")

    before = register[-1].rowCount()
    window.undo_stack.push_command(AddAgency({"name": "Badan Narkotika Nasional Kota Probolinggo",
                                              "short_name": "BNN", "tier": "pusat", "colour": "#123abc",
                                              "mou_number": "PKS/01/2024", "mou_date": date(2024, 2, 1)},
                                             ["Tes urine"]))
    qtbot.waitUntil(lambda: register[-1].rowCount() == before + 1)  # the tab may refresh later
    watch.check("adding an agency")
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: register[-1].rowCount() == before)
    watch.check("undoing the new agency")
    window.undo_stack.redo()
    qtbot.waitUntil(lambda: register[-1].rowCount() == before + 1)
    watch.check("redoing the new agency")
    assert watch.kinds() >= {RegisterProxy, AgencyTableModel, SortFilterProxy, RowTableModel, ScheduleModel}


def test_inventory_models(demo_window, watch, qtbot):
    window = demo_window
    window.show_tab("inventory")
    tab = window.tab_widgets["inventory"]
    items = watch.view(tab.items_view)
    watch.view(tab.needs_view)
    watch.view(tab.findings_panel.view)
    watch.view(tab.visits_panel.visits_view)
    watch.view(tab.visits_panel.findings_view)

    # every room in turn, then all rooms: the tables are reset each time
    tree = tab.rooms
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        tree.setCurrentItem(top)
        for c in range(min(top.childCount(), 3)):
            tree.setCurrentItem(top.child(c))
    tree.setCurrentItem(tree.topLevelItem(0))
    watch.check("choosing rooms")
    sort_every_column(watch, tab.items_view, "the inventory")
    sort_every_column(watch, tab.needs_view, "the needs")
    tab.items_filter.setText("kursi")
    tab.open_only.setChecked(True)
    tab.items_filter.setText("")
    tab.open_only.setChecked(False)
    watch.check("filtering")

    # an edit typed into a cell goes through the undo stack; the tables refresh from the change
    proxy, source = items[0], items[-1]
    qty = column_of(source, "Qty")
    index = next(proxy.index(r, qty) for r in range(proxy.rowCount()) if proxy.flags(proxy.index(r, qty))
                 & Qt.ItemIsEditable)
    row = proxy.mapToSource(index).row()
    old = index.data(Qt.EditRole)
    new = str(int(float(old.replace(",", "."))) + 3)
    assert proxy.setData(index, new, Qt.EditRole)
    qtbot.waitUntil(lambda: source.index(row, qty).data(Qt.EditRole) == new)
    watch.check("editing a quantity")
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: source.index(row, qty).data(Qt.EditRole) == old)
    watch.check("undoing the quantity")

    tab.check_standards()  # may run as a job: the findings arrive when it is done
    qtbot.waitUntil(lambda: tab.findings_panel.view.model().rowCount() > 0, timeout=20_000)
    watch.check("running the standards check")
    sort_every_column(watch, tab.findings_panel.view, "the findings")

    visits = tab.visits_panel.visits_view
    for r in range(visits.model().rowCount()):
        visits.setCurrentIndex(visits.model().index(r, 0))
    watch.check("choosing visits")
    assert watch.kinds() >= {EditableRowModel, SortFilterProxy, RowTableModel}


def test_catalog_and_price_import_models(demo_window, watch):
    window = demo_window
    window.show_tab("inventory")
    tab = window.tab_widgets["inventory"]
    dialog = CatalogDialog(window.project, window.signals, window.undo_stack, tab)
    try:
        proxy, source = watch.view(dialog.view)
        sort_every_column(watch, dialog.view, "the catalog")
        dialog.search.setText("kursi")
        assert 0 < proxy.rowCount() < source.rowCount()
        dialog.search.setText("")
        watch.check("filtering the catalog")
        name = column_of(source, "Name")
        index = proxy.index(0, name)
        assert proxy.setData(index, index.data(Qt.EditRole) + " baru", Qt.EditRole)
        watch.check("renaming an item type")
        window.undo_stack.undo()
        watch.check("undoing the new name")
        assert {FilterProxy, EditableRowModel} <= watch.kinds()
    finally:
        dialog.reject()
    prices = PriceImportDialog(window.project, window.undo_stack, tab)
    try:
        watch.view(prices.view)  # empty until a file is chosen
    finally:
        prices.reject()


def test_budget_tree_model(demo_window, watch, qtbot):
    window = demo_window
    window.show_tab("budget")
    tab = window.tab_widgets["budget"]
    (model,) = watch.view(tab.view)
    assert isinstance(model, BudgetTreeModel)
    lines = [i for i in walk(model) if not model.hasChildren(i)]
    assert len(lines) > 10

    description = column_of(model, "Description")
    line = lines[0].siblingAtColumn(description)
    line_id = line.data(LINE_ID_ROLE)

    def shown_description():
        return next(i.siblingAtColumn(description).data() for i in walk(model) if i.data(LINE_ID_ROLE) == line_id)

    old = shown_description()
    assert model.setData(line, "Kursi tunggu 3 dudukan (baru)", Qt.EditRole)
    qtbot.waitUntil(lambda: shown_description() == "Kursi tunggu 3 dudukan (baru)")
    watch.check("editing a description")
    line = next(i for i in walk(model) if i.data(LINE_ID_ROLE) == line_id).siblingAtColumn(description)
    ppn = line.siblingAtColumn(column_of(model, "PPN"))
    checked = ppn.data(Qt.CheckStateRole)
    model.setData(ppn, Qt.Unchecked if checked == Qt.Checked else Qt.Checked, Qt.CheckStateRole)
    watch.check("toggling PPN")
    window.undo_stack.undo()
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: shown_description() == old)
    watch.check("undoing the edits")

    tab.view.collapseAll()
    tab.view.expandAll()
    for i in range(tab.year.count()):
        tab.year.setCurrentIndex(i)
    watch.check("switching years")
