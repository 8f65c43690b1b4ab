"""The inventory register import driven like a user: Import… on the KIR toolbar, the preview with
the header row found, a column mapped by its combo box, unknown rooms created by ticking the box,
one undo step; refusals shown in the dialog, a storage failure in one dialog with nothing changed."""

from decimal import Decimal

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QPushButton
from sqlalchemy import func, select

from mpp_planner.importers.register import IGNORE
from mpp_planner.model import Floor, InventoryItem, Room
from mpp_planner.qt.inventory.register_import import HEADER_COLOUR, RegisterImportDialog
from mpp_planner.qt.jobs import running_jobs
from tests.helpers import file_rows, storage_fails
from tests.importers.test_register_import import register_xlsx
from tests.qt.plan_helpers import reopened


@pytest.fixture
def window(demo_window):
    demo_window.show_tab("inventory")
    return demo_window


def finish(qtbot, handle):
    assert handle is not None
    qtbot.waitUntil(lambda: handle not in running_jobs(), timeout=60_000)
    return handle


def count(project, cls) -> int:
    return project.session.scalar(select(func.count()).select_from(cls))


def room_tree(window) -> dict[str, list[str]]:
    """The inventory tab's room list: floor -> its rooms."""
    tree = window.tab_widgets["inventory"].rooms
    tops = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    return {t.text(0): [t.child(c).text(0) for c in range(t.childCount())] for t in tops}


def own_register(path):
    """A hand-kept register: a title, then a header whose item column has a name no alias knows."""
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "DAFTAR INVENTARIS MPP 2024"
    ws.merge_cells("A1:E1")
    ws.append([])
    ws.append(["No", "Uraian Aset", "Ruangan", "Jumlah", "Kondisi"])
    ws.append([1, "Lemari Es / Kulkas 2 Pintu", "Ruang Laktasi", 1, "Baik"])
    ws.append([2, "Filing Cabinet Besi 4 Laci", "Ruang Arsip Kepegawaian", 3, "Kurang Baik"])
    ws.append([3, "Kursi Rapat", "Ruang Arsip Kepegawaian", 4, "B"])
    ws.append(["Jumlah", None, None, 8, None])
    wb.save(path)
    return path


def open_from_toolbar(window, qtbot, monkeypatch, path) -> RegisterImportDialog:
    tab = window.tab_widgets["inventory"]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    button = next(b for b in tab.findChildren(QPushButton) if b.text() == "Import…")
    qtbot.mouseClick(button, Qt.LeftButton)
    dialog = tab.register_dialog
    qtbot.addWidget(dialog)
    finish(qtbot, dialog.job)  # read and checked in a worker
    return dialog


def test_map_a_column_create_the_rooms_import_and_undo(window, qtbot, monkeypatch, tmp_path):
    p = window.project
    rooms, floors, items = count(p, Room), count(p, Floor), count(p, InventoryItem)
    dialog = open_from_toolbar(window, qtbot, monkeypatch, own_register(tmp_path / "aset.xlsx"))
    assert dialog.isVisible()
    # the preview: the header found in row 3 (highlighted), the totals row ends the data
    assert dialog.header_spin.value() == 3
    assert dialog.table.item(3, 1).text() == "Uraian Aset"
    assert dialog.table.item(3, 1).background().color().name().upper() == HEADER_COLOUR.upper()
    assert dialog.table.item(1, 0).background().color().name().upper() != HEADER_COLOUR.upper()
    assert "rows 4–6" in dialog.found.text() and "totals row 7" in dialog.found.text()
    assert "not imported: No, Uraian Aset" in dialog.found.text()
    assert [c.currentData() for c in dialog.combos] == [IGNORE, IGNORE, "room", "quantity", "condition"]
    assert not dialog.import_button.isEnabled() and "Missing column(s): Item (name)" in dialog.errors.toPlainText()

    # the user says which column holds the item; the rows are checked again
    combo = dialog.combos[1]
    combo.setCurrentIndex(combo.findData("name"))
    finish(qtbot, dialog.job)
    assert dialog.combos[1].currentData() == "name"
    assert dialog.create_rooms.isVisible() and "Ruang Arsip Kepegawaian" in dialog.rooms_label.text()
    assert not dialog.import_button.isEnabled()
    assert "row 5, Ruangan: unknown room 'Ruang Arsip Kepegawaian'." in dialog.errors.toPlainText()

    dialog.create_rooms.setChecked(True)
    assert dialog.import_button.isEnabled() and dialog.errors.isHidden()
    assert "3 row(s) and 1 new room(s) will be added" in dialog.status.text()
    qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
    assert not dialog.isVisible()
    assert (count(p, Room), count(p, Floor), count(p, InventoryItem)) == (rooms + 1, floors + 1, items + 3)
    archive = p.session.scalar(select(Room).where(Room.name == "Ruang Arsip Kepegawaian"))
    assert archive.floor.name == "Belum ditempatkan"
    assert "Import 3 inventory row(s) and 1 new room(s) from aset.xlsx" in window.act_undo.text()
    assert room_tree(window)["Belum ditempatkan"] == ["Ruang Arsip Kepegawaian"]  # the tab heard the change

    window.act_undo.trigger()
    assert (count(p, Room), count(p, Floor), count(p, InventoryItem)) == (rooms, floors, items)
    assert "Belum ditempatkan" not in room_tree(window)
    window.act_redo.trigger()
    with reopened(window) as again:
        assert (count(again, Room), count(again, Floor), count(again, InventoryItem)) == (
            rooms + 1, floors + 1, items + 3)
        chairs = again.session.scalar(select(InventoryItem).join(Room).where(
            Room.name == "Ruang Arsip Kepegawaian", InventoryItem.quantity == 4))
        assert (chairs.item_type.key, chairs.condition) == ("kursi_rapat", "B")
        cabinet = again.session.scalar(select(InventoryItem).join(Room).where(
            Room.name == "Ruang Arsip Kepegawaian", InventoryItem.quantity == 3))
        assert (cabinet.item_type.key, cabinet.condition, cabinet.quantity) == ("filing_cabinet", "KB", Decimal("3"))


def test_simda_register_previews_its_two_row_header(window, qtbot, tmp_path):
    p = window.project
    dialog = RegisterImportDialog(p, window.undo_stack, window.tab_widgets["inventory"],
                                  source=register_xlsx(tmp_path / "kir.xlsx"))
    qtbot.addWidget(dialog)
    finish(qtbot, dialog.job)
    assert "rows 5–6" in dialog.found.text()
    for row in (5, 6):  # both header rows highlighted
        assert dialog.table.item(row, 3).background().color().name().upper() == HEADER_COLOUR.upper()
    assert dialog.combos[1].currentData() == "asset_code" and dialog.combos[10].currentData() == "total_price"
    assert dialog.import_button.isEnabled() and not dialog.create_rooms.isVisible()
    assert "4 row(s) will be added" in dialog.status.text()


def test_bad_rows_keep_the_dialog_open_and_nothing_changes(window, qtbot, monkeypatch, tmp_path, dialog_texts):
    from tests.importers.test_register_import import ROWS

    p = window.project
    before = file_rows(p.path, "inventory_item")
    rows = list(ROWS)
    rows[2] = rows[2][:11] + ("Rusak Ringan",) + rows[2][12:]
    dialog = RegisterImportDialog(p, window.undo_stack, window.tab_widgets["inventory"],
                                  source=register_xlsx(tmp_path / "bad.xlsx", rows))
    qtbot.addWidget(dialog)
    dialog.show()
    finish(qtbot, dialog.job)
    assert not dialog.import_button.isEnabled()
    assert "row 10, Kondisi: 'Rusak Ringan' is not B, KB or RB" in dialog.errors.toPlainText()
    # leaving the condition out makes the rest importable
    dialog.combos[11].setCurrentIndex(dialog.combos[11].findData(IGNORE))
    finish(qtbot, dialog.job)
    assert dialog.import_button.isEnabled()
    # the file cannot be written: one dialog, nothing changed, the dialog stays open
    count_before = count(p, InventoryItem)
    steps = window.undo_stack.count()
    storage_fails(monkeypatch, p, "full")
    qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
    [(title, text)] = dialog_texts  # one dialog, nothing else
    assert title == "Change not saved" and "The disk is full" in text and "Nothing was changed" in text
    assert dialog.isVisible() and window.undo_stack.count() == steps
    assert count(p, InventoryItem) == count_before
    assert file_rows(p.path, "inventory_item") == before
    monkeypatch.undo()
    with reopened(window) as again:
        assert count(again, InventoryItem) == count_before
