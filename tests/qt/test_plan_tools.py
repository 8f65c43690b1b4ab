"""Drawing rooms, placing counters and items, dimensions and text, with the mouse in plan mm."""

from PySide6.QtCore import Qt
from sqlalchemy import func, select

from mpp_planner.model import Annotation, Counter, InventoryItem, ItemType, Room
from mpp_planner.qt.plan.items import RoomItem
from tests.conftest import reopen
from tests.helpers import rect
from tests.qt.plan_helpers import (reopened, click, double_click, drag, key, move, plan_file, press, release, tab,  # noqa: F401
                                   window)


def rooms(project):
    return {r.name: r for r in project.all(Room, Room.id)}


def count(project, cls):
    return project.session.scalar(select(func.count()).select_from(cls))


def test_draw_a_rectangle_room_by_dragging(tab, window):
    project = window.project
    tab.tool_actions["room"].trigger()
    drag(tab.view, (2000, 9000), (6000, 12000))
    new = rooms(project)["Room 1"]
    assert new.outline == rect(2000, 9000, 4000, 3000)
    assert new.area_m2 == 12.0
    item = tab.view.scene().item_for(("room", new.id))
    assert isinstance(item, RoomItem) and item.area_text == "12.00 m²" and item.isSelected()
    assert window.undo_stack.undoText() == "Draw room"
    window.act_undo.trigger()
    assert "Room 1" not in rooms(project)
    assert tab.view.scene().item_for(("room", new.id)) is None
    window.act_redo.trigger()
    with reopened(window) as again:
        assert rooms(again)["Room 1"].outline == rect(2000, 9000, 4000, 3000)


def test_draw_a_polygon_room_by_clicks_closed_by_double_click(tab, window):
    tab.tool_actions["room"].trigger()
    view = tab.view
    for x, y in ((0, 9000), (6000, 9000), (6000, 11000), (3000, 11000), (3000, 13000)):
        click(view, x, y)
    # the live preview shows the area while drawing
    move(view, 0, 13000, buttons=Qt.NoButton)
    assert tab.editor.tool.preview is not None and len(tab.editor.tool.preview.points) == 6
    double_click(view, 0, 13000)
    new = rooms(window.project)["Room 1"]
    assert new.outline == [[0, 9000], [6000, 9000], [6000, 11000], [3000, 11000], [3000, 13000], [0, 13000]]
    assert new.area_m2 == 18.0
    assert tab.editor.tool.preview is None


def test_polygon_closes_with_enter_and_esc_cancels(tab, window):
    tab.tool_actions["room"].trigger()
    view = tab.view
    for x, y in ((0, 9000), (4000, 9000), (4000, 12000)):
        click(view, x, y)
    key(view, Qt.Key_Escape)
    assert count(window.project, Room) == 3
    for x, y in ((0, 9000), (4000, 9000), (4000, 12000), (0, 12000)):
        click(view, x, y)
    key(view, Qt.Key_Backspace)  # drop the last corner: a triangle
    key(view, Qt.Key_Return)
    assert rooms(window.project)["Room 1"].outline == [[0, 9000], [4000, 9000], [4000, 12000]]
    key(view, Qt.Key_Escape)  # nothing in progress: back to the select tool
    assert tab.editor.tool.key == "select" and tab.tool_actions["select"].isChecked()


def test_a_self_intersecting_outline_is_refused_with_a_message(tab, window):
    project = window.project
    tab.tool_actions["room"].trigger()
    view = tab.view
    for x, y in ((0, 9000), (4000, 12000), (4000, 9000), (0, 12000)):
        click(view, x, y)
    key(view, Qt.Key_Return)
    assert count(project, Room) == 3
    assert view.banner.isVisible() and "must not cross itself" in view.banner.text()
    assert "must not cross itself" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == 0
    project = reopen(project)
    assert count(project, Room) == 3
    project.close()


def test_a_zero_area_outline_is_refused(tab, window):
    tab.tool_actions["room"].trigger()
    view = tab.view
    for x, y in ((0, 9000), (2000, 9000), (4000, 9000)):
        click(view, x, y)
    key(view, Qt.Key_Return)
    assert count(window.project, Room) == 3
    assert "must enclose an area" in view.banner.text()


def test_place_a_counter(tab, window):
    project = window.project
    tab.tool_actions["counter"].trigger()
    move(tab.view, 12030, 2040, buttons=Qt.NoButton)
    assert tab.editor.tool.ghost is not None and tab.editor.tool.ghost.isVisible()
    click(tab.view, 12030, 2040)
    counter = project.all(Counter)[0]
    assert (counter.label, counter.x, counter.y, counter.width, counter.depth) == ("L1-01", 12000, 2000, 1800, 800)
    click(tab.view, 12030, 4040)
    assert sorted(c.label for c in project.all(Counter)) == ["L1-01", "L1-02"]
    assert window.undo_stack.undoText() == "Place counter"
    window.act_undo.trigger()
    assert [c.label for c in project.all(Counter)] == ["L1-01"]


def test_place_an_item_from_the_palette_and_move_it_into_another_room(tab, window):
    project = window.project
    r = rooms(project)
    chair = project.session.scalar(select(ItemType).where(ItemType.key == "kursi"))
    # searching the catalog
    tab.palette.search.setText("kursi")
    assert tab.palette.visible_names() == ["Kursi Tunggu"]
    tab.palette.search.setText("ac")  # the start of a word
    assert tab.palette.visible_names() == ["AC Split 1,5 PK"]
    tab.palette.search.setText("elek")  # a category
    assert tab.palette.visible_names() == ["AC Split 1,5 PK"]
    tab.palette.search.setText("")
    assert set(tab.palette.visible_names()) == {"Kursi Tunggu", "AC Split 1,5 PK"}
    tab.palette.choose(chair.id)
    assert tab.editor.tool.key == "item" and tab.tool_actions["item"].isChecked()
    click(tab.view, 5000, 5000)
    item = project.session.scalars(select(InventoryItem)).one()
    assert (item.x, item.y, item.room_id, item.floor_id) == (5000, 5000, r["Lobi"].id, r["Lobi"].floor_id)
    assert str(item.quantity) == "1.00" and item.condition == "B"
    # the inventory tab counts it in the lobby
    inventory = window.tab_widgets["inventory"]
    assert inventory.items_model.rowCount() == 1
    # drag it into the service hall with the select tool
    tab.tool_actions["select"].trigger()
    drag(tab.view, (5000, 5000), (13000, 5000))
    item = project.get(InventoryItem, item.id)
    assert (item.x, item.room_id) == (13000, r["Ruang Layanan"].id)
    assert window.undo_stack.undoText() == "Move item"
    # what the other screens show follows too (a tab behind another catches up when it is shown)
    window.show_tab("inventory")
    assert inventory.items_model.rows[0].room.name == "Ruang Layanan"
    window.show_tab("plan")
    assert tab.properties.widgets["in_room"].text() == "Ruang Layanan"
    window.act_undo.trigger()
    assert project.get(InventoryItem, item.id).room_id == r["Lobi"].id
    window.show_tab("inventory")
    assert inventory.items_model.rows[0].room.name == "Lobi"
    window.show_tab("plan")
    assert tab.properties.widgets["in_room"].text() == "Lobi"
    window.act_redo.trigger()
    item_id = item.id
    with reopened(window) as again:
        assert again.get(InventoryItem, item_id).room_id == r["Ruang Layanan"].id


def test_dragging_an_item_from_the_catalog_onto_the_plan(tab, window):
    chair = window.project.session.scalar(select(ItemType).where(ItemType.key == "ac"))
    from PySide6.QtCore import QPointF

    tab.view.item_type_dropped.emit(chair.id, QPointF(2040, 2030))
    item = window.project.session.scalars(select(InventoryItem)).one()
    assert (item.x, item.y, item.room.name) == (2000, 2000, "Meja Info")


def test_dimension_line_by_two_clicks_and_by_drag(tab, window):
    project = window.project
    tab.tool_actions["dimension"].trigger()
    click(tab.view, 0, -1000)
    click(tab.view, 10000, -1000)
    drag(tab.view, (0, -2000), (5000, -2000))
    dims = project.all(Annotation, Annotation.id)
    assert [(d.kind, d.x1, d.y1, d.x2, d.y2) for d in dims] == [
        ("dimension", 0, -1000, 10000, -1000), ("dimension", 0, -2000, 5000, -2000)]
    item = tab.view.scene().item_for(("annotation", dims[0].id))
    assert item.text == "10.00 m"
    # its ends are handles
    tab.tool_actions["select"].trigger()
    click(tab.view, 5000, -1000)
    assert {h.role for h in tab.view.scene().handles} == {"end"}
    drag(tab.view, (10000, -1000), (12000, -1000))
    note = project.get(Annotation, dims[0].id)
    assert (note.x1, note.x2) == (0, 12000) and item.text == "12.00 m"
    assert window.undo_stack.undoText() == "Move dimension end"
    window.act_undo.trigger()
    assert project.get(Annotation, dims[0].id).x2 == 10000 and item.text == "10.00 m"


def test_text_label(tab, window, monkeypatch):
    monkeypatch.setattr(tab.editor, "ask_text", lambda *a, **k: "Pintu Masuk")
    tab.tool_actions["text"].trigger()
    click(tab.view, 5000, 8600)
    note = window.project.all(Annotation)[0]
    assert (note.kind, note.text, note.x1, note.y1) == ("text", "Pintu Masuk", 5000, 8600)
    monkeypatch.setattr(tab.editor, "ask_text", lambda *a, **k: "   ")
    click(tab.view, 5000, 9000)
    assert count(window.project, Annotation) == 1
    # double-click edits the text
    tab.tool_actions["select"].trigger()
    monkeypatch.setattr(tab.editor, "ask_text", lambda *a, **k: "Pintu Keluar")
    double_click(tab.view, 5000, 8600)
    assert window.project.all(Annotation)[0].text == "Pintu Keluar"


def test_pan_tool_and_space_drag_move_the_view_not_the_plan(tab, window):
    view = tab.view
    tab.tool_actions["pan"].trigger()
    before = view.mapToScene(view.viewport().rect().center())
    drag(view, (5000, 5000), (7000, 5000))
    after = view.mapToScene(view.viewport().rect().center())
    assert after.x() < before.x() - 1000
    assert window.undo_stack.count() == 0
    tab.tool_actions["select"].trigger()
    key(view, Qt.Key_Space)  # a press and a release; hold it instead
    from PySide6.QtTest import QTest

    QTest.keyPress(view.viewport(), Qt.Key_Space)
    before = view.mapToScene(view.viewport().rect().center())
    press(view, 5000, 5000)
    move(view, 5000, 7000)
    release(view, 5000, 7000)
    QTest.keyRelease(view.viewport(), Qt.Key_Space)
    after = view.mapToScene(view.viewport().rect().center())
    assert after.y() < before.y() - 1000
    assert window.undo_stack.count() == 0


def test_escape_in_the_catalog_disarms_placing(qtbot, tab, window):
    """Enter on a catalog item arms placing; Escape in the catalog puts it down, so a later click on the plan
    places nothing (before, a click minutes later silently added an item and a KIR row)."""
    project = window.project
    tree = tab.palette.tree
    tree.setFocus()
    groups = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    chair = next(g.child(j) for g in groups for j in range(g.childCount()) if g.child(j).text(0) == "Kursi Tunggu")
    tree.setCurrentItem(chair)
    qtbot.keyClick(tree, Qt.Key_Return)
    assert tab.editor.tool.key == "item"
    qtbot.keyClick(tree, Qt.Key_Escape)
    assert tab.editor.tool.key == "select" and tab.tool_actions["select"].isChecked()
    click(tab.view, 5000, 5000)
    assert project.session.scalars(select(InventoryItem)).all() == []


def test_redo_answers_ctrl_y_and_ctrl_shift_z(window):
    from PySide6.QtGui import QKeySequence

    keys = {k.toString() for k in window.act_redo.shortcuts()}
    assert {"Ctrl+Y", "Ctrl+Shift+Z"} <= keys
    assert QKeySequence(QKeySequence.Undo).toString() in {k.toString() for k in window.act_undo.shortcuts()}
