"""The Inventory tab's Checklist page: tick by mouse or keyboard, one undo step each, kept in the file."""

import datetime

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from sqlalchemy import select

from mpp_planner.model.checklist import ChecklistTick
from mpp_planner.project import Project
from tests.helpers import file_rows


@pytest.fixture
def panel(demo_window):
    # the demo ships with the goods administrator's 2024 ticks: start from a list nobody has ticked yet
    project = demo_window.project
    project.delete_rows("checklist_tick", [t.id for t in project.all(ChecklistTick)])
    demo_window.show_tab("inventory")
    tab = demo_window.tab_widgets["inventory"]
    tab.pages.setCurrentWidget(tab.checklist_panel)
    tab.checklist_panel.reload()
    return tab.checklist_panel


def row_of(panel, key):
    return next(i for i, r in enumerate(panel.rows) if r.key == key)


def click_box(qtbot, panel, row):
    rect = panel.table.visualItemRect(panel.table.item(row, 0))
    # the check box sits at the left of the cell
    qtbot.mouseClick(panel.table.viewport(), Qt.LeftButton, pos=QPoint(rect.left() + 12, rect.center().y()))


def test_places_and_items(panel):
    places = [panel.place.itemText(i) for i in range(panel.place.count())]
    assert places == ["Whole site", "Ruang Laktasi"]
    keys = {r.key for r in panel.rows}
    assert {"titik_kumpul", "rambu_marka", "skm.dipublikasikan"} <= keys
    assert panel.checker.text() == "Pengurus Barang" or panel.checker.text()
    assert panel.set_room(panel.place.itemData(1))
    assert "laktasi.pintu_terkunci" in {r.key for r in panel.rows}
    assert "0 of 6 item(s) ticked." == panel.summary.text()


def test_tick_by_mouse_is_one_undo_step_and_is_in_the_file(qtbot, demo_window, panel):
    path = demo_window.project.path
    panel.set_room(panel.place.itemData(1))
    panel.checker.setText("Sri Wahyuni")
    panel.when.setDate(QDate(2025, 3, 4))
    steps = demo_window.undo_stack.count()
    row = row_of(panel, "laktasi.ventilasi")
    click_box(qtbot, panel, row)
    assert demo_window.undo_stack.count() == steps + 1
    assert panel.table.item(row, 0).checkState() == Qt.Checked
    assert panel.table.item(row, 2).text() == "Sri Wahyuni"
    rows = file_rows(path, "checklist_tick")
    assert [(r[1], r[3], r[4], r[5]) for r in rows] == [("laktasi.ventilasi", 1, "2025-03-04", "Sri Wahyuni")]
    assert panel.summary.text() == "1 of 6 item(s) ticked."

    demo_window.undo_stack.undo()
    assert file_rows(path, "checklist_tick") == []
    assert panel.table.item(row_of(panel, "laktasi.ventilasi"), 0).checkState() == Qt.Unchecked
    demo_window.undo_stack.redo()
    assert panel.table.item(row_of(panel, "laktasi.ventilasi"), 0).checkState() == Qt.Checked

    demo_window.close()
    project = Project.open(path)
    try:
        [tick] = project.session.scalars(select(ChecklistTick)).all()
        assert (tick.key, tick.ticked, tick.date, tick.checked_by) == (
            "laktasi.ventilasi", True, datetime.date(2025, 3, 4), "Sri Wahyuni")
        assert tick.room_id is not None
    finally:
        project.close()


def test_tick_and_untick_by_keyboard_on_the_site(qtbot, demo_window, panel):
    path = demo_window.project.path
    row = row_of(panel, "titik_kumpul")
    panel.table.setFocus()
    panel.table.setCurrentCell(row, 0)
    qtbot.keyClick(panel.table, Qt.Key_Space)
    assert panel.table.item(row, 0).checkState() == Qt.Checked
    [tick] = file_rows(path, "checklist_tick")
    assert tick[1] == "titik_kumpul" and tick[2] is None and tick[3] == 1
    assert tick[4] == datetime.date.today().isoformat()
    steps = demo_window.undo_stack.count()
    qtbot.keyClick(panel.table, Qt.Key_Space)
    assert demo_window.undo_stack.count() == steps + 1
    [tick] = file_rows(path, "checklist_tick")  # the same row, updated
    assert tick[3] == 0
    demo_window.undo_stack.undo()
    assert file_rows(path, "checklist_tick")[0][3] == 1
    assert panel.table.item(row, 0).checkState() == Qt.Checked
