"""Issue 22, the inventory and budget screens on big projects: what the speed-ups must not change.

The text filter finds exactly the rows Qt's own filter found (any column's text, any case, accents too);
typing quickly filters once; sorting orders rows as Qt's proxy did; a long KIR table is handed to the view
a batch at a time yet every row can be reached; the KIR rows read as plain rows hold what the mapped
objects hold; an edit reaches the shown row in place; and showing a tab again runs no query at all.
No timings here: ``python -m benchmarks.tabs_bench`` measures them.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QSortFilterProxyModel, Qt

from mpp_planner.commands.inventory import edit_inventory_item
from mpp_planner.model import InventoryItem, Need
from mpp_planner.qt import tables
from mpp_planner.qt.tables import SORT_ROLE, Column, RowTableModel, SortFilterProxy, fit_columns, make_table_view
from mpp_planner.reads import inventory as reads
from tests.helpers import sql_statements


@pytest.fixture
def window(demo_window):
    demo_window.show_tab("inventory")
    return demo_window


def tab_of(window):
    return window.tab_widgets["inventory"]


def qt_filtered(model, text: str) -> list[int]:
    """The ids of the rows Qt's own fixed-string filter keeps (what the tab did before issue 22)."""
    reference = QSortFilterProxyModel()
    reference.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    reference.setFilterKeyColumn(-1)
    reference.setSourceModel(model)
    reference.setFilterFixedString(text)
    return [model.rows[reference.mapToSource(reference.index(r, 0)).row()].id for r in range(reference.rowCount())]


def shown_ids(proxy) -> list[int]:
    model = proxy.sourceModel()
    return [model.rows[proxy.mapToSource(proxy.index(r, 0)).row()].id for r in range(proxy.rowCount())]


def choose_room(tab, name):
    tree = tab.rooms
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        for c in range(top.childCount()):
            if top.child(c).text(0) == name:
                tree.setCurrentItem(top.child(c))
                return
    raise AssertionError(name)


# --- the filter ---------------------------------------------------------------------------------

TEXTS = ["kursi", "KURSI", "KuRsI", "lemari es", "café", "CAFÉ", "électrique", "ÉLECTRIQUE", "über", "ÜBER", "b",
         "2019", ",", " ", "laktasi", "zzz-nothing", ""]


def test_the_filter_keeps_the_rows_qt_kept_for_every_text_case_and_accent(window):
    tab = tab_of(window)
    some = tab.items_model.rows[3]
    assert window.undo_stack.run(edit_inventory_item(some.id, {"brand_model": "Café Électrique Über"}))
    assert some.brand_model == "Café Électrique Über"  # the shown row was brought up to date in place
    for text in TEXTS:
        tab.items_filter.setText(text)  # set by the program: filtered at once
        assert shown_ids(tab.items_proxy) == qt_filtered(tab.items_model, text), text
    assert shown_ids(tab.items_proxy) == [i.id for i in tab.items_model.rows]  # "" shows every row
    tab.items_filter.setText("électrique")
    assert shown_ids(tab.items_proxy) == [some.id]


def test_the_filter_looks_within_one_column_as_qt_did_and_goes_with_the_other_filters(window):
    tab = tab_of(window)
    choose_room(tab, "Ruang Pelayanan Lt. 1")
    model = tab.items_model
    first = model.texts(0)
    across = first[1][-2:] + first[2][:1]  # the end of one column and the start of the next: no row has it
    tab.items_filter.setText(across)
    assert shown_ids(tab.items_proxy) == qt_filtered(model, across)
    tab.items_filter.setText("pc")
    tab.condition_filter.setCurrentIndex(tab.condition_filter.findData("B"))
    expected = [i for i in qt_filtered(model, "pc") if next(r for r in model.rows if r.id == i).condition == "B"]
    assert shown_ids(tab.items_proxy) == expected and expected


def test_typing_filters_once_when_the_keys_stop_and_a_cleared_field_at_once(window, qtbot):
    tab = tab_of(window)
    applied = []
    apply = tab.items_filter_delay.apply
    tab.items_filter_delay.apply = lambda text: (applied.append(text), apply(text))
    everything = tab.items_proxy.rowCount()
    tab.items_filter.setFocus()
    qtbot.keyClicks(tab.items_filter, "kursi")
    assert applied == [] and tab.items_proxy.rowCount() == everything  # still typing: nothing filtered yet
    qtbot.waitUntil(lambda: applied == ["kursi"], timeout=3000)
    assert shown_ids(tab.items_proxy) == qt_filtered(tab.items_model, "kursi")
    qtbot.keyClicks(tab.items_filter, " t")
    qtbot.waitUntil(lambda: applied == ["kursi", "kursi t"], timeout=3000)
    tab.items_filter.clear()  # the clear button and the program: at once
    assert applied[-1] == "" and tab.items_proxy.rowCount() == everything


def test_search_strings_are_made_while_idle_and_again_after_an_edit(window, qtbot):
    tab = tab_of(window)
    model = tab.items_model
    qtbot.waitUntil(lambda: None not in model._search, timeout=5000)
    row = model.rows[0]
    assert model.search_string(0) == tables.SEPARATOR.join(model.texts(0)).lower()
    assert window.undo_stack.run(edit_inventory_item(row.id, {"notes": "Dicek ULANG"}))
    assert "dicek ulang" in model.search_string(model.rows.index(row))


# --- sorting --------------------------------------------------------------------------------------

def test_sorting_orders_rows_as_qts_proxy_did_for_every_column(window):
    tab = tab_of(window)
    model, view = tab.items_model, tab.items_view
    for column in range(model.columnCount()):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            view.sortByColumn(column, order)
            reference = QtSorted()
            reference.setSourceModel(_copy_of(model))
            reference.sort(column, order)
            copy = reference.sourceModel()
            expected = [copy.rows[reference.mapToSource(reference.index(r, 0)).row()].id
                        for r in range(reference.rowCount())]
            assert shown_ids(tab.items_proxy) == expected, (column, order)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # back to the order read
    assert [i.id for i in model.rows] == [i.id for i in tab.all_items]


class QtSorted(QSortFilterProxyModel):
    """Sorting as the tables did before issue 22: Qt's proxy comparing each pair's sort keys."""

    def __init__(self):
        super().__init__()
        self.setSortRole(SORT_ROLE)

    def lessThan(self, left, right) -> bool:  # noqa: N802
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        try:
            return a < b
        except TypeError:
            return str(a) < str(b)


def _copy_of(model: RowTableModel) -> RowTableModel:
    """The same rows and columns in the order they were read, sorted by Qt (not by the model)."""
    copy = RowTableModel(model.columns)
    copy.set_rows(model._given)
    return copy


def test_a_sorted_table_keeps_its_order_when_the_filter_widens_and_after_an_edit(window):
    tab = tab_of(window)
    qty = next(i for i, c in enumerate(tab.items_model.columns) if c.header == "Qty")
    tab.items_view.sortByColumn(qty, Qt.SortOrder.DescendingOrder)
    everything = shown_ids(tab.items_proxy)
    tab.items_filter.setText("kursi")
    tab.items_filter.setText("")
    assert shown_ids(tab.items_proxy) == everything
    last = tab.items_model.rows[-1]
    assert window.undo_stack.run(edit_inventory_item(last.id, {"quantity": "999"}))
    assert shown_ids(tab.items_proxy)[0] == last.id  # the edited row moves where the sort puts it


# --- a long table, a batch at a time ----------------------------------------------------------------

def test_a_long_kir_is_handed_out_in_batches_and_every_row_is_reached_by_scrolling(demo_window, qtbot, monkeypatch):
    from mpp_planner.qt.inventory import tab as inventory_tab

    monkeypatch.setattr(inventory_tab, "KIR_BATCH", 40)
    demo_window.show_tab("inventory")
    tab = tab_of(demo_window)
    everything = [i.id for i in tab.all_items]
    assert len(everything) == 145 and tab.items_proxy.rowCount() == 40
    assert tab.items_summary.text().startswith("145 rows")  # the totals count every row, fetched or not
    bar = tab.items_view.verticalScrollBar()
    for _ in range(10):
        bar.setValue(bar.maximum())
        qtbot.wait(10)
    assert shown_ids(tab.items_proxy) == everything
    tab.items_filter.setText("kursi")  # a filter looks at every row
    assert shown_ids(tab.items_proxy) == qt_filtered(tab.items_model, "kursi")


def test_a_row_chosen_far_down_stays_chosen_after_a_reload(demo_window, monkeypatch):
    from mpp_planner.qt.inventory import tab as inventory_tab

    monkeypatch.setattr(inventory_tab, "KIR_BATCH", 40)
    demo_window.show_tab("inventory")
    tab = tab_of(demo_window)
    tab.items_model.fetch(145)
    far = tab.items_model.rows[120]
    tab.items_view.selectRow(tab.items_proxy.mapFromSource(tab.items_model.index(120, 0)).row())
    tab.reload_tables()  # as after a row was added elsewhere
    assert tab.items_proxy.rowCount() >= 121 and [i.id for i in tab.selected_items()] == [far.id]


# --- plain rows, brought up to date in place ------------------------------------------------------------

def test_kir_and_need_rows_hold_what_the_mapped_objects_hold(demo_project):
    with sql_statements(demo_project) as seen:
        items, needs = reads.kir_rows(demo_project), reads.need_rows(demo_project)
    assert len(seen) == 8  # each: item types, floors, rooms, the rows
    mapped = reads.inventory_items(demo_project)
    assert [i.id for i in items] == [i.id for i in mapped]
    for row, obj in zip(items, mapped):
        assert {f: getattr(row, f) for f in reads._ITEM_FIELDS} == {f: getattr(obj, f) for f in reads._ITEM_FIELDS}
        assert (row.kode_barang, row.on_plan, row.item_type.name, row.item_type.unit) == (
            obj.kode_barang, obj.on_plan, obj.item_type.name, obj.item_type.unit)
        assert (row.room and (row.room.name, row.room.floor.name)) == (obj.room and (obj.room.name,
                                                                                     obj.room.floor.name))
    for row, obj in zip(needs, reads.needs(demo_project)):
        assert (row.id, row.quantity, row.item_type.ref_price, row.room.name) == (
            obj.id, obj.quantity, obj.item_type.ref_price, obj.room.name)
    some = [items[0].id, items[5].id]
    assert [r.id for r in reads.kir_rows(demo_project, some)] == some


def test_an_edit_updates_the_shown_row_in_place_and_keeps_the_selection(window):
    tab = tab_of(window)
    choose_room(tab, "Ruang Laktasi")
    row = tab.items_model.rows[1]
    tab.items_view.selectRow(tab.items_proxy.mapFromSource(tab.items_model.index(1, 0)).row())
    resets = []
    tab.items_model.modelReset.connect(lambda: resets.append(1))
    assert window.undo_stack.run(edit_inventory_item(row.id, {"quantity": "7"}))
    assert row.quantity == Decimal("7.00") and resets == []
    assert tab.selected_items() == [row]
    window.undo_stack.undo()
    assert row.quantity != Decimal("7.00") and resets == []
    with window.project.reader() as reader:
        assert reader.session.get(InventoryItem, row.id).quantity == row.quantity


# --- showing a tab again ---------------------------------------------------------------------------------

def test_showing_a_tab_again_with_nothing_changed_runs_no_query(window, qtbot):
    window.show_tab("budget")
    window.tab_widgets["inventory"].pages.setCurrentIndex(3)  # the checklist page: read when first shown
    for key in ("plan", "inventory", "budget", "agencies", "survey", "assessment"):
        window.show_tab(key)
        qtbot.wait(1)
    with sql_statements(window.project) as seen:
        for _ in range(2):
            for key in ("plan", "inventory", "budget", "agencies", "survey", "assessment"):
                window.show_tab(key)
                qtbot.wait(1)
    assert seen == []


def test_a_tab_behind_another_catches_up_when_shown(window, qtbot):
    tab = tab_of(window)
    need = tab.needs_model.rows[0]
    window.show_tab("budget")
    assert window.undo_stack.run(lambda: _edit_need(need.id, "12"))
    assert need.quantity != Decimal("12.00")  # nothing read while it cannot be seen
    with sql_statements(window.project) as seen:
        window.show_tab("inventory")
    assert seen and need.quantity == Decimal("12.00")


def _edit_need(need_id: int, quantity: str):
    from mpp_planner.commands.inventory import edit_need

    return edit_need(need_id, {"quantity": quantity})


# --- column widths ------------------------------------------------------------------------------------

def test_columns_fit_their_texts_as_qt_would_without_asking_every_cell(qtbot):
    rows = [{"name": "Kursi tunggu " + "x" * (i % 30), "qty": str(i), "note": f"baris {i}\nkedua"} for i in range(500)]
    columns = [Column("Name", lambda r: r["name"]), Column("Fixed", str, width=77), Column("Qty", lambda r: r["qty"]),
               Column("Catatan", lambda r: r["note"]), Column("Last", lambda r: "")]
    widths = []
    for fit in (fit_columns, None):
        model = RowTableModel(columns)
        model.set_rows(rows)
        view, _proxy = make_table_view(model)  # the same header (a sort indicator is room too)
        qtbot.addWidget(view)
        if fit is not None:
            fit(view, model)
        else:  # what Qt measures asking the delegate for every cell of the first rows
            view.horizontalHeader().setResizeContentsPrecision(tables.FIT_SAMPLE)
            view.resizeColumnsToContents()
            view.setColumnWidth(1, 77)
        widths.append([view.columnWidth(c) for c in range(4)])
    ours, qt = widths
    assert all(abs(a - min(b, 360)) <= 3 for a, b in zip(ours, qt)), (ours, qt)
    assert ours[1] == 77 and ours[0] > ours[2]


def test_a_proxy_over_another_model_filters_as_qt_does(qtbot):
    from PySide6.QtGui import QStandardItem, QStandardItemModel

    source = QStandardItemModel()
    for text in ("Kursi", "Meja", "kursi lipat"):
        source.appendRow([QStandardItem(text)])
    proxy = SortFilterProxy()
    proxy.setSourceModel(source)
    proxy.setFilterFixedString("KURSI")
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["Kursi", "kursi lipat"]


def test_needs_read_with_the_mapped_values_after_an_edit_behind_the_session(demo_project):
    need = reads.need_rows(demo_project)[0]
    with demo_project.edit() as s:
        s.execute(Need.__table__.update().where(Need.id == need.id).values(quantity=Decimal(42)))
    assert reads.need_rows(demo_project, [need.id])[0].quantity == Decimal("42.00")
