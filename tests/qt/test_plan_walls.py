"""Walls, doors and windows in the plan editor, driven with the mouse in plan mm: drawing walls (an L, a
loop), placing doors and windows, moving a wall (its door follows), sliding a door, reshaping and deleting a
wall, the room a double-click finds inside walls, the context menu's entries; the model and the file after
reopening, undo and redo of each; and the scene rendered and looked at."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QGraphicsItem
from sqlalchemy import select

from mpp_planner.commands.plan import AddWall, PlaceOpening
from mpp_planner.model import Room, Wall, WallOpening
from mpp_planner.qt.plan.wall_items import OpeningGhost, OpeningItem, WallItem, WallPreview
from tests.qt.plan_helpers import (click, double_click, drag, key, move, plan_file, reopened, tab,  # noqa: F401
                                   window, zoom)

BOX = [[2000, 12000], [8000, 12000], [8000, 17000], [2000, 17000]]  # 6 x 5 m, below the rooms
LOOP = BOX + [BOX[0]]


@pytest.fixture
def wtab(tab):
    """The plan tab zoomed (0.05 px/mm) on the empty ground below the rooms."""
    zoom(tab.view, 0.05, centre=(8000, 15000))
    return tab


def walls(project) -> list[Wall]:
    return list(project.session.scalars(select(Wall).order_by(Wall.id)))


def openings(project) -> list[WallOpening]:
    return list(project.session.scalars(select(WallOpening).order_by(WallOpening.id)))


def add_loop(tab, thickness=150) -> int:
    cmd = AddWall(tab.editor.floor_id, LOOP, thickness)
    assert tab.editor.push(cmd)
    return cmd.created[0][1]


def add_door(tab, wall_id, offset=3000, kind="door", side="right") -> int:
    cmd = PlaceOpening(wall_id, kind, offset, side=side)
    assert tab.editor.push(cmd)
    return cmd.created[0][1]


def scene_item(tab, ref):
    return tab.view.scene().item_for(ref)


def in_mass(tab, x, y) -> bool:
    return tab.view.scene().wall_mass.path().contains(QPointF(x, y))


# --- drawing walls ----------------------------------------------------------------------------

def test_draw_an_l_wall_and_a_closed_loop(qtbot, wtab, window):
    project, tab, view = window.project, wtab, wtab.view
    assert not tab.walls.thickness.isVisibleTo(tab)
    tab.tool_actions["wall"].trigger()
    assert tab.editor.tool.key == "wall" and tab.tool_actions["wall"].isChecked()
    qtbot.waitUntil(lambda: tab.walls.thickness.isVisibleTo(tab))  # on the toolbar while walls are drawn
    assert tab.walls.thickness.value() == 150
    tab.walls.thickness.setValue(200)
    click(view, 2000, 12000)
    click(view, 8000, 12000)
    move(view, 8000, 17000, buttons=Qt.NoButton)
    preview = tab.editor.tool.screen.wall
    assert isinstance(preview, WallPreview) and preview.points == [(2000, 12000), (8000, 12000), (8000, 17000)]
    assert preview.thickness == 200 and "Length 5.00 m" in tab.hint_label.text()
    double_click(view, 8000, 17000)
    (wall,) = walls(project)
    assert (wall.points, wall.thickness) == ([[2000, 12000], [8000, 12000], [8000, 17000]], 200)
    item = scene_item(tab, ("wall", wall.id))
    assert isinstance(item, WallItem) and item.isSelected() and tab.editor.tool.screen.wall is None
    assert in_mass(tab, 5000, 12000) and in_mass(tab, 8000, 12000) and not in_mass(tab, 5000, 12200)
    assert window.undo_stack.undoText() == "Draw wall"
    window.act_undo.trigger()
    assert walls(project) == [] and scene_item(tab, ("wall", wall.id)) is None and not in_mass(tab, 5000, 12000)
    window.act_redo.trigger()
    assert scene_item(tab, ("wall", wall.id)) is not None and in_mass(tab, 5000, 12000)
    # a loop: back to the first point
    for x, y in ((10000, 13000), (14000, 13000), (14000, 16000), (10000, 16000), (10000, 13000)):
        click(view, x, y)
    loop = walls(project)[1]
    assert loop.points == [[10000, 13000], [14000, 13000], [14000, 16000], [10000, 16000], [10000, 13000]]
    assert loop.closed and not in_mass(tab, 12000, 14500)  # a hole in the mass: the room inside
    tab.walls.thickness.setValue(150)
    key(view, Qt.Key_Escape)
    assert tab.editor.tool.key == "select"
    qtbot.waitUntil(lambda: not tab.walls.thickness.isVisibleTo(tab))
    with reopened(window) as again:
        assert [(w.points, w.thickness) for w in walls(again)] == [
            ([[2000, 12000], [8000, 12000], [8000, 17000]], 200), (loop.points, 200)]


def test_backspace_takes_a_point_back_and_enter_finishes(wtab, window):
    view = wtab.view
    view.setFocus()
    key(view, Qt.Key_W)  # the wall tool's key
    assert wtab.editor.tool.key == "wall"
    for x, y in ((2000, 12000), (8000, 12000), (8000, 17000)):
        click(view, x, y)
    key(view, Qt.Key_Backspace)
    key(view, Qt.Key_Return)
    assert [w.points for w in walls(window.project)] == [[[2000, 12000], [8000, 12000]]]


# --- doors and windows ------------------------------------------------------------------------

def test_place_a_door_a_sliding_door_and_a_window(wtab, window):
    project, tab, view = window.project, wtab, wtab.view
    wall_id = add_loop(tab)
    tab.tool_actions["door"].trigger()
    move(view, 5020, 12060, buttons=Qt.NoButton)  # inside the box: the wall's right face (looking east)
    ghost = tab.editor.tool.screen.opening
    assert isinstance(ghost, OpeningGhost) and ghost.scene() is view.scene()
    click(view, 5020, 12060)
    (door,) = openings(project)
    assert (door.wall_id, door.kind, door.offset, door.width, door.hinge, door.side) == \
        (wall_id, "door", 3000, 900, "start", "right")
    assert isinstance(scene_item(tab, ("opening", door.id)), OpeningItem)
    assert not in_mass(tab, 5000, 12000) and in_mass(tab, 4000, 12000)  # a gap at the door
    assert window.undo_stack.undoText() == "Place door"
    # the door kind from the Door button's menu
    tab.walls.door_actions["sliding_door"].trigger()
    assert tab.editor.tool.key == "door" and tab.editor.door_kind == "sliding_door"
    click(view, 8050, 14500)
    tab.tool_actions["window"].trigger()
    click(view, 5000, 16980)
    assert [(o.kind, o.offset, o.width) for o in openings(project)] == [
        ("door", 3000, 900), ("sliding_door", 8500, 1200), ("window", 14000, 1200)]
    window.act_undo.trigger()
    assert [o.kind for o in openings(project)] == ["door", "sliding_door"]
    assert in_mass(tab, 5000, 17000)  # the window's gap is closed again
    window.act_redo.trigger()
    with reopened(window) as again:
        assert [(o.kind, o.offset) for o in openings(again)] == [("door", 3000), ("sliding_door", 8500),
                                                                 ("window", 14000)]


def test_the_door_tool_away_from_walls_says_point_at_a_wall(wtab, window):
    add_loop(wtab)
    wtab.tool_actions["door"].trigger()
    move(wtab.view, 12000, 20000, buttons=Qt.NoButton)
    assert wtab.editor.tool.screen.opening is None and wtab.hint_label.text() == "Point at a wall."
    click(wtab.view, 12000, 20000)
    assert openings(window.project) == []
    assert "Point at a wall" in wtab.view.banner.text()


# --- with the select tool -----------------------------------------------------------------------

def test_moving_a_wall_takes_its_door_along(wtab, window):
    project, tab, view = window.project, wtab, wtab.view
    wall_id = add_loop(tab)
    door_id = add_door(tab, wall_id)
    tab.tool_actions["select"].trigger()
    door_item = scene_item(tab, ("opening", door_id))
    assert (door_item.model_box.cx, door_item.model_box.cy) == (5000, 12000)
    drag(view, (2000, 14500), (3000, 15000))
    assert walls(project)[0].points == [[x + 1000, y + 500] for x, y in LOOP]
    assert project.session.get(WallOpening, door_id).offset == 3000
    assert (door_item.model_box.cx, door_item.model_box.cy) == (6000, 12500) and door_item.pos() == QPointF(0, 0)
    assert in_mass(tab, 3000, 12500) and not in_mass(tab, 6000, 12500)
    assert window.undo_stack.undoText() == "Move wall"
    window.act_undo.trigger()
    assert walls(project)[0].points == LOOP and (door_item.model_box.cx, door_item.model_box.cy) == (5000, 12000)
    window.act_redo.trigger()
    with reopened(window) as again:
        assert walls(again)[0].points[0] == [3000, 12500] and openings(again)[0].offset == 3000


def test_sliding_a_door_along_its_wall(wtab, window):
    project, tab, view = window.project, wtab, wtab.view
    wall_id = add_loop(tab)
    door_id = add_door(tab, wall_id)
    tab.tool_actions["select"].trigger()
    click(view, 5000, 12000)
    assert tab.editor.selected_refs() == [("opening", door_id)]
    drag(view, (5000, 12000), (6520, 12100))
    assert project.session.get(WallOpening, door_id).offset == 4500
    assert window.undo_stack.undoText() == "Slide door"
    assert scene_item(tab, ("opening", door_id)).model_box.cx == 6500 and not in_mass(tab, 6500, 12000)
    drag(view, (6500, 12000), (9500, 12000))  # past the corner: as far as it fits on this side
    assert project.session.get(WallOpening, door_id).offset == 5550
    window.act_undo.trigger()
    window.act_undo.trigger()
    assert project.session.get(WallOpening, door_id).offset == 3000
    assert in_mass(tab, 6500, 12000) and not in_mass(tab, 5000, 12000)
    window.act_redo.trigger()
    with reopened(window) as again:
        assert openings(again)[0].offset == 4500


def test_reshaping_a_wall_by_a_corner_handle(wtab, window):
    project, tab, view = window.project, wtab, wtab.view
    wall_id = add_loop(tab)
    tab.tool_actions["select"].trigger()
    click(view, 2000, 14500)
    assert tab.editor.selected_refs() == [("wall", wall_id)]
    scene = view.scene()
    assert [(h.role, h.spec) for h in scene.handles] == [("vertex", 0), ("vertex", 1), ("vertex", 2), ("vertex", 3)]
    drag(view, (8000, 17000), (9000, 18000))
    assert walls(project)[0].points == [[2000, 12000], [8000, 12000], [9000, 18000], [2000, 17000], [2000, 12000]]
    assert window.undo_stack.undoText() == "Reshape wall"
    assert in_mass(tab, 8500, 15000)
    window.act_undo.trigger()
    assert walls(project)[0].points == LOOP and not in_mass(tab, 8500, 15000)
    window.act_redo.trigger()
    with reopened(window) as again:
        assert walls(again)[0].points[2] == [9000, 18000]


def test_deleting_a_wall_takes_its_doors_and_undo_brings_both_back(wtab, window):
    project, tab, view = window.project, wtab, wtab.view
    wall_id = add_loop(tab)
    door_id = add_door(tab, wall_id)
    tab.tool_actions["select"].trigger()
    click(view, 2000, 14500)
    tab.act_delete.trigger()
    assert walls(project) == [] and openings(project) == []
    assert scene_item(tab, ("wall", wall_id)) is None and scene_item(tab, ("opening", door_id)) is None
    assert view.scene().wall_mass.path().isEmpty()
    window.act_undo.trigger()
    assert [w.id for w in walls(project)] == [wall_id] and [o.id for o in openings(project)] == [door_id]
    assert isinstance(scene_item(tab, ("opening", door_id)), OpeningItem) and in_mass(tab, 2000, 14500)
    window.act_redo.trigger()
    assert scene_item(tab, ("opening", door_id)) is None
    window.act_undo.trigger()
    with reopened(window) as again:
        assert len(walls(again)) == 1 and len(openings(again)) == 1


def test_arrow_keys_slide_a_door_along_its_wall(wtab, window):
    project, tab, view = window.project, wtab, wtab.view
    door_id = add_door(tab, add_loop(tab))
    tab.tool_actions["select"].trigger()
    click(view, 5000, 12000)
    view.setFocus()
    steps = window.undo_stack.count()
    key(view, Qt.Key_Right)
    key(view, Qt.Key_Right)
    key(view, Qt.Key_Left, Qt.ShiftModifier)  # ten steps back
    assert project.session.get(WallOpening, door_id).offset == 2200
    assert window.undo_stack.count() == steps + 1 and window.undo_stack.undoText() == "Slide door"
    key(view, Qt.Key_Up)  # across the wall: nothing (no empty undo step)
    assert window.undo_stack.count() == steps + 1 and project.session.get(WallOpening, door_id).offset == 2200
    window.act_undo.trigger()
    assert project.session.get(WallOpening, door_id).offset == 3000


def test_copy_paste_a_wall_with_its_door_and_delete_a_door(wtab, window):
    project, tab, view = window.project, wtab, wtab.view
    door_id = add_door(tab, add_loop(tab))
    tab.tool_actions["select"].trigger()
    click(view, 2000, 14500)
    tab.act_copy.trigger()
    tab.act_paste.trigger()
    assert len(walls(project)) == 2 and len(openings(project)) == 2
    new_door = openings(project)[1]
    assert sorted(tab.editor.selected_refs()) == [("opening", new_door.id), ("wall", new_door.wall_id)]
    assert isinstance(scene_item(tab, ("opening", new_door.id)), OpeningItem)
    assert not in_mass(tab, 5500, 12500)  # the pasted door's gap, 0.5 m off
    click(view, 5000, 12000)
    assert tab.editor.selected_refs() == [("opening", door_id)]
    tab.act_delete.trigger()
    assert scene_item(tab, ("opening", door_id)) is None and in_mass(tab, 5000, 12000)
    assert window.undo_stack.undoText() == "Delete door or window"
    window.act_undo.trigger()
    assert not in_mass(tab, 5000, 12000)


def test_the_wall_under_the_pointer_is_outlined(wtab, window):
    wall_id = add_loop(wtab)
    wtab.tool_actions["select"].trigger()
    item = scene_item(wtab, ("wall", wall_id))
    assert item.flags() & QGraphicsItem.ItemHasNoContents  # the mass draws it: Qt does not call it
    move(wtab.view, 2000, 14500, buttons=Qt.NoButton)
    assert wtab.view.scene().hovered is item and item.hovered
    assert not item.flags() & QGraphicsItem.ItemHasNoContents
    move(wtab.view, 5000, 14500, buttons=Qt.NoButton)
    assert wtab.view.scene().hovered is None and not item.hovered
    move(wtab.view, 2000, 14500, buttons=Qt.NoButton)
    wtab.tool_actions["wall"].trigger()  # another tool: no outline
    assert wtab.view.scene().hovered is None and not item.hovered


# --- rooms and the context menu ---------------------------------------------------------------

def test_a_double_click_inside_walls_makes_the_room(wtab, window):
    project, tab, view = window.project, wtab, wtab.view
    add_loop(tab)
    tab.tool_actions["room"].trigger()
    assert "double-click inside walls" in tab.hint_label.text()
    double_click(view, 5000, 14500)
    room = project.session.scalars(select(Room).order_by(Room.id.desc())).first()
    assert room.outline == [[2075, 12075], [7925, 12075], [7925, 16925], [2075, 16925]]
    assert scene_item(tab, ("room", room.id)).isSelected()
    assert window.undo_stack.undoText() == "Draw room"
    window.act_undo.trigger()
    assert project.session.get(Room, room.id) is None
    window.act_redo.trigger()
    with reopened(window) as again:
        assert again.session.get(Room, room.id).outline[0] == [2075, 12075]


def test_context_menu_flips_a_door_and_puts_walls_around_a_room(wtab, window):
    project, tab, view = window.project, wtab, wtab.view
    door_id = add_door(tab, add_loop(tab))
    tab.tool_actions["select"].trigger()
    tab._context_menu(view.mapToGlobal(QPoint(0, 0)), QPointF(5000, 12000))
    texts = [a.text() for a in tab.context.actions()]
    tab.context.close()
    assert "Flip Hinge" in texts and "Flip Swing Side" in texts and "Walls Around Room" not in texts
    tab.walls.act_flip_hinge.trigger()
    tab.walls.act_flip_side.trigger()
    door = project.session.get(WallOpening, door_id)
    assert (door.hinge, door.side) == ("end", "left") and window.undo_stack.undoText() == "Flip swing side"
    window.act_undo.trigger()
    assert project.session.get(WallOpening, door_id).side == "right"
    # a room: walls around it
    lobby = next(r for r in project.all(Room) if r.name == "Lobi")
    tab.view.scene().select_refs([("room", lobby.id)])
    assert tab.walls.menu_actions() == [tab.walls.act_walls_around]
    tab.walls.act_walls_around.trigger()
    around = walls(project)[-1]
    assert around.closed and around.points[0] == [-75, -75] and window.undo_stack.undoText() == "Walls around room"
    with reopened(window) as again:
        assert walls(again)[-1].points == around.points and openings(again)[0].hinge == "end"


# --- how it looks -----------------------------------------------------------------------------

def render(scene, box: QRectF, scale: float = 0.1) -> QImage:
    image = QImage(int(box.width() * scale), int(box.height() * scale), QImage.Format_ARGB32)
    image.fill(QColor("#FFFFFF"))
    painter = QPainter(image)
    scene.render(painter, QRectF(0, 0, image.width(), image.height()), box)
    painter.end()
    return image


def dark(image: QImage, x_mm: float, y_mm: float, box: QRectF, scale: float = 0.1) -> bool:
    c = image.pixelColor(int((x_mm - box.left()) * scale), int((y_mm - box.top()) * scale))
    return c.lightness() < 100


def test_walls_render_dark_and_joined_with_door_arcs(wtab, window, tmp_path):
    tab = wtab
    wall_id = add_loop(tab, 200)
    partition = AddWall(tab.editor.floor_id, [[5000, 12000], [5000, 17000]], 150)  # a T at both ends
    assert tab.editor.push(partition)
    add_door(tab, wall_id, 1500, "door", "right")
    add_door(tab, partition.created[0][1], 2500, "double_door", "left")
    add_door(tab, wall_id, 13000, "window")
    tab.view.scene().clearSelection()
    box = QRectF(1000, 11000, 8000, 7000)
    image = render(tab.view.scene(), box)
    image.save(str(tmp_path / "walls.png"))
    # the wall mass: dark along every wall, at the corners and at the T junctions
    for x, y in ((2000, 14500), (8000, 14500), (7500, 17000), (2000, 12000), (8000, 17000), (5000, 12000),
                 (5000, 17000), (5000, 13500)):
        assert dark(image, x, y, box), (x, y)
    # the gaps: the door, the double door in the partition, the window (its glass line is not dark)
    for x, y in ((3500, 12000), (5000, 14500), (6000, 17000)):
        assert not dark(image, x, y, box), (x, y)
    # a door's swing: its arc crosses the diagonal from its hinge (at 3050, 12100) into the room
    px, py = round((3050 + 900 * 0.7071 - box.left()) * 0.1), round((12100 + 900 * 0.7071 - box.top()) * 0.1)
    assert min(image.pixelColor(px + i, py + j).lightness() for i in (-1, 0, 1) for j in (-1, 0, 1)) < 200
    inside = image.pixelColor(int((3400 - box.left()) * 0.1), int((12400 - box.top()) * 0.1))
    assert inside.lightness() > 200  # no fill inside the swing
