"""The SSH price import dialog driven like a user, with SIPD's SSH export: the matched rows, the rows
nothing matched each with its combo box (the closest name chosen), a row mapped and one created, Import
as one undo step; a mapping that cannot be done told in the dialog; the file after reopening."""

from decimal import Decimal

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from mpp_planner.importers.prices import SKIP
from mpp_planner.model import ItemType
from mpp_planner.qt.inventory import ssh_import
from mpp_planner.qt.inventory.ssh_import import CREATE_CHOICE, PriceImportDialog
from mpp_planner.qt.jobs import running_jobs
from tests.importers.test_ssh_import import FRIDGE, ROWS, STAND, sipd_csv
from tests.qt.plan_helpers import reopened

DISPENSER_ROW = ("14,1.1.7.01.03.01.001.00555,Dispenser Air Galon Bawah Hemat Listrik,,unit,2400000,,"
                 "Alat Rumah Tangga,1,,2025,5.2.02.05.02.0006")
NEW_KEY = "ssh_1_1_7_01_03_02_001_00077"


@pytest.fixture
def window(demo_window):
    demo_window.show_tab("inventory")
    with demo_window.project.edit() as s:  # no SSH codes yet: the rows match by name
        for it in s.scalars(select(ItemType)):
            it.standard_price_code, it.allowed_accounts = "", []
    return demo_window


def finish(qtbot, handle):
    assert handle is not None
    qtbot.waitUntil(lambda: handle not in running_jobs(), timeout=60_000)
    return handle


def item(project, key) -> ItemType | None:
    return project.session.scalar(select(ItemType).where(ItemType.key == key).execution_options(
        populate_existing=True))


def count(project) -> int:
    return project.session.scalar(select(func.count()).select_from(ItemType))


def open_dialog(window, qtbot, path) -> PriceImportDialog:
    dialog = PriceImportDialog(window.project, window.undo_stack, window.tab_widgets["inventory"], source=path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    finish(qtbot, dialog.job)  # read and matched in a worker
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)  # the table of unmatched rows laid out
    return dialog


def test_map_one_create_one_import_undo_and_reopen(window, qtbot, tmp_path):
    p = window.project
    before = count(p)
    dialog = open_dialog(window, qtbot, sipd_csv(tmp_path / "ssh.csv", *ROWS, DISPENSER_ROW))
    assert dialog.model.rowCount() == 2  # kulkas and kursi_lipat, by name
    assert dialog.unmatched_box.isVisible() and dialog.unmatched_model.rowCount() == 2
    assert "2 row(s) of the list match no catalog item" in dialog.unmatched_label.text()
    stand, dispenser = dialog.combo_of(5), dialog.combo_of(6)
    assert stand.currentData() == SKIP and stand.currentText() == "Skip"
    dispenser_type = item(p, "dispenser")
    assert dispenser.currentData() == dispenser_type.id  # the closest name, chosen for the user
    assert dispenser.currentText() == dispenser_type.name  # its name, not its key
    assert "1 mapped to an item type, 0 new item type(s), 1 skipped" in dialog.status.text()

    stand.setCurrentIndex(stand.findText("Create new item type"))
    assert dialog.targets[5] == CREATE_CHOICE
    assert "1 mapped to an item type, 1 new item type(s), 0 skipped" in dialog.status.text()
    account = dialog.unmatched_model.columns.index(next(c for c in dialog.unmatched_model.columns
                                                         if c.field == "account"))
    assert dialog.unmatched_model.index(0, account).data() == "5.1.02.01.01.0024"  # the first allowed one
    assert dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted

    assert count(p) == before + 1
    made = item(p, NEW_KEY)
    assert (made.name, made.unit, made.ref_price, made.standard_price_code, made.account_code) == (
        "Standing Banner Roll Up 80x200", "buah", Decimal("550000.00"), STAND, "5.1.02.01.01.0024")
    assert item(p, "dispenser").ref_price == Decimal("2400000.00")
    assert item(p, "kulkas").standard_price_code == FRIDGE
    assert window.act_undo.text().endswith("Import 3 price(s) and 1 new item type(s) from ssh.csv")
    window.act_undo.trigger()
    assert count(p) == before and item(p, NEW_KEY) is None
    assert item(p, "dispenser").ref_price == Decimal("2350000.00") and item(p, "kulkas").standard_price_code == ""
    window.act_redo.trigger()
    with reopened(window) as again:
        assert item(again, NEW_KEY).allowed_accounts == ["5.1.02.01.01.0024"]
        assert item(again, "dispenser").standard_price_code == "1.1.7.01.03.01.001.00555"
        assert item(again, "kulkas").allowed_accounts == ["5.1.02.01.01.0052", "5.2.02.05.02.0004"]


def test_a_mapping_that_cannot_be_done_is_told_in_the_dialog(window, qtbot, tmp_path):
    p = window.project
    dialog = open_dialog(window, qtbot, sipd_csv(tmp_path / "ssh.csv", *ROWS))
    stand = dialog.combo_of(5)
    kulkas = item(p, "kulkas")
    stand.setCurrentIndex(stand.findData(kulkas.id))  # already priced by row 2, and counted in 'unit'
    qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
    assert dialog.isVisible() and dialog.errors.isVisible()
    assert "row 5" in dialog.errors.toPlainText() and "row 2" in dialog.errors.toPlainText()
    assert item(p, "kulkas").ref_price == Decimal("4000000.00")  # nothing imported
    # skip it instead: the matched rows import alone
    qtbot.mouseClick(next(b for b in dialog.findChildren(ssh_import.QPushButton) if b.text() == "Skip all"),
                     Qt.LeftButton)
    assert stand.currentData() == SKIP and dialog.mapping() == {}
    qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
    assert not dialog.isVisible()
    assert item(p, "kulkas").ref_price == Decimal("4350000.00")


def test_create_all_skipped_and_a_row_without_an_account(window, qtbot, tmp_path):
    p = window.project
    before = count(p)
    dialog = open_dialog(window, qtbot, sipd_csv(tmp_path / "ssh.csv", ROWS[0],
                                                 "20,1.1.9.20,Papan Nama Loket Akrilik,,buah,275000,,,1,,2025,"))
    assert dialog.targets == {3: SKIP}
    qtbot.mouseClick(next(b for b in dialog.findChildren(ssh_import.QPushButton)
                          if b.text() == "Create all skipped"), Qt.LeftButton)
    assert dialog.combo_of(3).currentData() == CREATE_CHOICE
    qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
    assert "names no account" in dialog.errors.toPlainText() and count(p) == before
    # the user types the account of the new item type in its cell
    column = next(i for i, c in enumerate(dialog.unmatched_model.columns) if c.field == "account")
    index = dialog.unmatched_proxy.index(0, column)
    assert dialog.unmatched_proxy.setData(index, "5.1.02.01.01.0024", Qt.EditRole)
    qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
    assert not dialog.isVisible() and count(p) == before + 1
    assert item(p, "ssh_1_1_9_20").account_code == "5.1.02.01.01.0024"


def test_the_inventory_tab_and_the_catalog_open_the_dialog(window, monkeypatch):
    shown = []
    monkeypatch.setattr(PriceImportDialog, "exec", lambda self: shown.append(self))
    tab = window.tab_widgets["inventory"]
    tab.act_prices.trigger()
    from mpp_planner.qt.inventory.catalog import CatalogDialog

    catalog = CatalogDialog(window.project, window.signals, window.undo_stack, tab)
    try:
        catalog.import_prices()
    finally:
        catalog.reject()
    assert len(shown) == 2 and all(isinstance(d, PriceImportDialog) for d in shown)
    for d in shown:
        d.reject()
