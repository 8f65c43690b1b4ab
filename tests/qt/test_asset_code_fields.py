"""Kode barang (Permendagri 108/2016) in the forms: the KIR row dialog and the item type dialog take a
code typed or picked from a completer that offers "code — name"; the model refuses a code of the wrong
shape in the form, which stays open; a good code reaches the file. The catalog editor and the inventory
table show the codes (a row without its own shows its item type's)."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from mpp_planner.model import InventoryItem, ItemType
from mpp_planner.qt.inventory.catalog import CatalogDialog, ItemTypeDialog
from mpp_planner.qt.inventory.dialogs import InventoryItemDialog
from tests.conftest import reopen
from tests.qt.test_inventory_tab import cell, choose_room, tab_of, type_into_cell

REFUSED = "does not match the Permendagri 108/2016 pattern 1.3.2.05.01.05.001"


@pytest.fixture
def window(demo_window):
    demo_window.show_tab("inventory")
    return demo_window


def laktasi_chair(project) -> InventoryItem:
    return project.session.scalar(select(InventoryItem).join(ItemType).where(ItemType.key == "kursi_plastik"))


def completions(field, prefix: str) -> list[str]:
    field.completer.setCompletionPrefix(prefix)
    model = field.completer.completionModel()
    return [model.index(i, 0).data() for i in range(model.rowCount())]


def test_completer_offers_codes_by_name_or_number_and_puts_the_code_in_the_field(window, qtbot):
    p = window.project
    dialog = InventoryItemDialog(p, window.undo_stack, laktasi_chair(p), None, tab_of(window))
    qtbot.addWidget(dialog)
    field = dialog.asset_code
    assert "1.3.2.05.01.04.001 — Lemari Besi/Metal" in completions(field, "lemari")
    assert "1.3.2.05.02.04.001 — Lemari Es" in completions(field, "LEMARI ES")  # any case, inside the name
    assert completions(field, "1.3.2.10.01.02.00")[:2] == ["1.3.2.10.01.02.001 — PC Unit",
                                                          "1.3.2.10.01.02.002 — Laptop"]
    assert all(" — " in text and text.count(".") >= 6 for text in completions(field, "kursi"))  # item codes only
    # typing a name opens the list; choosing an entry leaves the code, its name shown below
    dialog.show()
    field.edit.setFocus()
    qtbot.keyClicks(field.edit, "kursi lipat")
    popup = field.completer.popup()
    qtbot.waitUntil(popup.isVisible)
    assert popup.model().index(0, 0).data() == "1.3.2.05.02.01.036 — Kursi Lipat"
    qtbot.keyClick(popup, Qt.Key_Down)
    qtbot.keyClick(popup, Qt.Key_Return)
    assert field.edit.text() == "1.3.2.05.02.01.036"
    assert field.code() == "1.3.2.05.02.01.036"
    assert field.hint.isVisibleTo(dialog) and field.hint.text() == "Kursi Lipat"
    field.edit.setText("1.3.2.05.02.01.999")  # the right shape, not in the list: accepted, and said so
    assert "not in the kode barang list" in field.hint.text()
    field.edit.setText("")
    assert not field.hint.isVisibleTo(dialog)


def test_item_dialog_refuses_a_bad_code_in_the_form_and_saves_a_good_one(window, qtbot):
    p = window.project
    tab = tab_of(window)
    with p.edit() as s:  # whatever the catalog file gives: the chair's type has a code, the fridge's none
        types = {t.key: t for t in s.scalars(select(ItemType))}
        types["kursi_plastik"].asset_code = "1.3.2.05.02.01.029"
        types["kulkas"].asset_code = ""
    chair = laktasi_chair(p)
    dialog = InventoryItemDialog(p, window.undo_stack, chair, None, tab)
    qtbot.addWidget(dialog)
    # empty: the item type's code, shown as the placeholder; another item type shows its own
    assert dialog.asset_code.edit.text() == ""
    assert dialog.asset_code.edit.placeholderText() == "from the item type: 1.3.2.05.02.01.029"
    dialog.item_type.setCurrentIndex(dialog.item_type.findText("Lemari Es / Kulkas 2 Pintu"))
    assert dialog.asset_code.edit.placeholderText() == "the item type has no kode barang"
    dialog.item_type.setCurrentIndex(dialog.item_type.findText("Kursi Plastik (Bangku)"))
    steps = window.undo_stack.count()
    qtbot.keyClicks(dialog.asset_code.edit, "1.3.2.5.2.1.29")
    dialog.accept()
    assert dialog.isVisible() or dialog.result() != QDialog.DialogCode.Accepted
    assert not dialog.error.isHidden() and REFUSED in dialog.error.text()
    assert "'1.3.2.5.2.1.29'" in dialog.error.text()
    assert window.undo_stack.count() == steps and chair.asset_code == ""
    dialog.asset_code.edit.setText("1.3.2.05.02.01.033 — Kursi Biasa")  # what the completer's list says
    dialog.register.setText("0007")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert (chair.asset_code, chair.register_code, chair.kode_barang) == ("1.3.2.05.02.01.033", "0007",
                                                                           "1.3.2.05.02.01.033")
    # the table shows the row's code; its tooltip names it
    choose_room(tab, "Ruang Laktasi")
    index = cell(tab.items_view, tab.items_model, lambda i: i.id == chair.id, "Asset code")
    assert index.data() == "1.3.2.05.02.01.033"
    assert index.data(Qt.ToolTipRole) == "1.3.2.05.02.01.033 — Kursi Biasa"
    assert cell(tab.items_view, tab.items_model, lambda i: i.id == chair.id, "Register number").data() == "0007"
    chair_id = chair.id
    window.act_undo.trigger()
    assert chair.asset_code == "" and index.data() == "1.3.2.05.02.01.029"  # the type's again
    assert index.data(Qt.ToolTipRole) == "1.3.2.05.02.01.029 — Kursi Fiber Glass/Plastik (from the item type)"
    window.act_redo.trigger()
    again = reopen(window.project)
    try:
        saved = again.get(InventoryItem, chair_id)
        assert (saved.asset_code, saved.register_code) == ("1.3.2.05.02.01.033", "0007")
    finally:
        again.close()


def test_typing_a_code_into_the_inventory_table(window, qtbot):
    tab = tab_of(window)
    choose_room(tab, "Ruang Laktasi")
    chair = laktasi_chair(window.project)
    index = cell(tab.items_view, tab.items_model, lambda i: i.id == chair.id, "Asset code")
    steps = window.undo_stack.count()
    type_into_cell(qtbot, tab.items_view, index, "13.2.05")
    assert tab.message.isVisible() and REFUSED in tab.message.text()
    assert window.undo_stack.count() == steps
    type_into_cell(qtbot, tab.items_view, index, "1.3.2.05.02.01.004")
    assert chair.asset_code == "1.3.2.05.02.01.004" and index.data() == "1.3.2.05.02.01.004"
    chair_id = chair.id
    again = reopen(window.project)
    try:
        assert again.get(InventoryItem, chair_id).asset_code == "1.3.2.05.02.01.004"
    finally:
        again.close()


def test_item_type_dialog_takes_a_kode_barang_and_the_catalog_shows_it(window, qtbot):
    p = window.project
    tab = tab_of(window)
    with p.edit() as s:
        chairs = s.scalar(select(ItemType).where(ItemType.key == "kursi_plastik"))
        chairs.asset_code = ""
    dialog = ItemTypeDialog(p, window.undo_stack, chairs, tab)
    qtbot.addWidget(dialog)
    assert "1.3.2.05.02.01.029 — Kursi Fiber Glass/Plastik" in completions(dialog.asset_code, "plastik")
    steps = window.undo_stack.count()
    dialog.asset_code.edit.setText("1.3.2.05.02.01")  # a head, not an item's code
    dialog.accept()
    assert not dialog.error.isHidden() and REFUSED in dialog.error.text()
    assert window.undo_stack.count() == steps and chairs.asset_code == ""
    dialog.asset_code.edit.setText("1.3.2.05.02.01.029")
    assert dialog.asset_code.hint.text() == "Kursi Fiber Glass/Plastik"
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert chairs.asset_code == "1.3.2.05.02.01.029"
    # the KIR rows of such chairs without a code of their own show the type's
    choose_room(tab, "Ruang Laktasi")
    rows = [i for i in tab.items_model.rows if i.item_type.key == "kursi_plastik"]
    assert rows and all(i.kode_barang == "1.3.2.05.02.01.029" for i in rows)
    index = cell(tab.items_view, tab.items_model, lambda i: i.id == rows[0].id, "Asset code")
    assert index.data() == "1.3.2.05.02.01.029"

    catalog = CatalogDialog(p, window.signals, window.undo_stack, tab)
    qtbot.addWidget(catalog)
    catalog.show()
    catalog.search.setText("kursi_plastik")
    assert catalog.proxy.rowCount() == 1
    headers = [c.header for c in catalog.model.columns]
    code_col, ssh_col = headers.index("Asset code"), headers.index("SSH code")
    code = catalog.proxy.index(0, code_col)
    assert code.data() == "1.3.2.05.02.01.029" and code.data(Qt.ToolTipRole) == "Kursi Fiber Glass/Plastik"
    assert not (catalog.proxy.flags(catalog.proxy.index(0, ssh_col)) & Qt.ItemIsEditable)  # shown, not edited
    type_into_cell(qtbot, catalog.view, code, "1.3.2.05.02.01.033")
    assert chairs.asset_code == "1.3.2.05.02.01.033"
    assert index.data() == "1.3.2.05.02.01.033"  # the inventory table heard the catalog change
    type_into_cell(qtbot, catalog.view, code, "kursi biasa")
    assert catalog.message.isVisible() and REFUSED in catalog.message.text()
    assert chairs.asset_code == "1.3.2.05.02.01.033"
    catalog.close()
    again = reopen(window.project)
    try:
        assert again.session.scalar(select(ItemType.asset_code).where(ItemType.key == "kursi_plastik")) == \
            "1.3.2.05.02.01.033"
    finally:
        again.close()
