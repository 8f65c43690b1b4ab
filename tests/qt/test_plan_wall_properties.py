"""The properties panel for walls, doors and windows (issue 21): what a selected wall or door shows, in the
unit chosen in Preferences, values typed as a user types them, the model and the file after reopening; bad
values get the model's message and change nothing. And the floor delete question counts walls."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit

from mpp_planner import settings
from mpp_planner.commands.plan import AddFloor, AddWall, PlaceOpening
from mpp_planner.model import Floor, Wall, WallOpening
from tests.helpers import file_rows
from tests.qt.plan_helpers import plan_file, reopened, tab, window  # noqa: F401

STRAIGHT = [[0, -3000], [6000, -3000]]  # drawn left to right, above the lobby
ELL = [[20000, 0], [26000, 0], [26000, 4000]]  # 6 m to the right, then 4 m down
LOOP = [[30000, 0], [34000, 0], [34000, 3000], [30000, 3000], [30000, 0]]
SHORT = [[0, -6000], [2000, -6000]]


@pytest.fixture(autouse=True)
def config(tmp_path, monkeypatch):
    """Each test has its own settings file (the session's is shared by every test)."""
    monkeypatch.setenv("MPP_PLANNER_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path / "config" / "settings.json"


def push(window, cmd):
    window.undo_stack.push_command(cmd)
    return cmd.created[0]


@pytest.fixture
def walls(tab, window):
    """A 6 m wall with a door (2 m along) and a window (4.5 m along), an L-shaped wall 200 mm thick with a
    door in its downward leg, a closed loop and a 2 m wall with a door; the history cleared."""
    fid = window.project.all(Floor)[0].id
    out = {"wall": push(window, AddWall(fid, STRAIGHT)), "ell": push(window, AddWall(fid, ELL, 200)),
           "loop": push(window, AddWall(fid, LOOP)), "short": push(window, AddWall(fid, SHORT))}
    out["door"] = push(window, PlaceOpening(out["wall"][1], "door", 2000))
    out["window"] = push(window, PlaceOpening(out["wall"][1], "window", 4500))
    out["ell_door"] = push(window, PlaceOpening(out["ell"][1], "door", 8000))
    out["short_door"] = push(window, PlaceOpening(out["short"][1], "door", 1000))
    window.undo_stack.clear()
    return out


def select(tab, *refs):
    """Select on the plan, as a click does (straight into the panel while the scene draws no walls)."""
    tab.view.scene().select_refs(list(refs))
    if tab.properties.refs != list(refs):
        tab.properties.set_selection(list(refs))
    return tab.properties


def texts(panel) -> dict[str, str]:
    out = {}
    for key, w in panel.widgets.items():
        out[key] = w.currentText() if isinstance(w, QComboBox) else w.text()
    return out


def type_in(qtbot, field: QLineEdit, text: str) -> None:
    """Type over the field's text and press Enter, as the user does."""
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key_Return)


def choose(field: QComboBox, text: str) -> None:
    """Pick an entry by its words, as the user does."""
    index = field.findText(text)
    assert index >= 0, [field.itemText(i) for i in range(field.count())]
    field.setCurrentIndex(index)
    field.activated.emit(index)


def wall_row(project, ref):
    w = project.get(Wall, ref[1])
    return [list(p) for p in w.points], w.thickness


def opening_row(project, ref):
    o = project.get(WallOpening, ref[1])
    return o.kind, o.offset, o.width, o.hinge, o.side


# --- a wall -----------------------------------------------------------------------------------------

def test_a_wall_shows_its_thickness_and_length_in_the_chosen_unit(tab, window, walls):
    panel = select(tab, walls["wall"])
    assert panel.title.text() == "Wall"
    assert texts(panel) == {"thickness": "0.15", "wall_length": "6.00"}
    units = {label.text() for label in panel.form_host.findChildren(QLabel)}
    assert "m" in units and "mm" not in units
    assert "last point" in panel.widgets["wall_length"].toolTip()
    settings.set_length_unit("cm")
    panel.refresh()
    assert texts(panel) == {"thickness": "15", "wall_length": "600"}
    settings.set_length_unit("mm")
    panel = select(tab, walls["ell"])
    assert texts(panel) == {"thickness": "200", "wall_length": "10000"}


def test_typing_a_walls_thickness_and_length(qtbot, tab, window, walls):
    project = window.project
    panel = select(tab, walls["wall"])
    type_in(qtbot, panel.widgets["thickness"], "0,25")
    assert wall_row(project, walls["wall"]) == (STRAIGHT, 250)
    assert window.undo_stack.undoText() == "Edit wall" and not panel.error.isVisibleTo(panel)
    assert panel.widgets["thickness"].text() == "0.25"
    # shorter: the last point comes back along the wall, and the window slides back onto it
    type_in(qtbot, panel.widgets["wall_length"], "4")
    assert wall_row(project, walls["wall"]) == ([[0, -3000], [4000, -3000]], 250)
    assert opening_row(project, walls["window"])[1] == 4000 - 600
    assert opening_row(project, walls["door"])[1] == 2000
    assert window.undo_stack.undoText() == "Reshape wall" and panel.widgets["wall_length"].text() == "4.00"
    # an L: only its last leg changes
    panel = select(tab, walls["ell"])
    type_in(qtbot, panel.widgets["wall_length"], "8,2")
    assert wall_row(project, walls["ell"]) == ([[20000, 0], [26000, 0], [26000, 2200]], 200)
    assert opening_row(project, walls["ell_door"])[1] == 8200 - 450  # slid back with the end
    window.act_undo.trigger()
    assert wall_row(project, walls["ell"]) == (ELL, 200) and opening_row(project, walls["ell_door"])[1] == 8000
    assert panel.widgets["wall_length"].text() == "10.00"
    window.act_redo.trigger()
    with reopened(window) as again:
        assert wall_row(again, walls["wall"]) == ([[0, -3000], [4000, -3000]], 250)
        assert wall_row(again, walls["ell"]) == ([[20000, 0], [26000, 0], [26000, 2200]], 200)
        assert opening_row(again, walls["window"])[1] == 3400 and opening_row(again, walls["ell_door"])[1] == 7750


@pytest.mark.parametrize("key, text, message", [
    ("thickness", "0,02", "Wall thickness (mm) must be between 50 and 1000."),
    ("thickness", "2", "Wall thickness (mm) must be between 50 and 1000."),
    ("thickness", "tebal", "Thickness must be a number."),
    ("wall_length", "0,5", "The wall would be shorter than its door (900 mm)."),
    ("wall_length", "0", "A wall's length must be more than 0.00 m"),
    ("wall_length", "panjang", "Length must be a number."),
])
def test_a_bad_wall_value_gets_the_models_message_and_nothing_changes(qtbot, tab, window, walls, key, text,
                                                                       message):
    project = window.project
    panel = select(tab, walls["wall"])
    before = file_rows(project.path, "wall"), file_rows(project.path, "wall_opening")
    shown = texts(panel)
    type_in(qtbot, panel.widgets[key], text)
    assert message in panel.error.text() and panel.error.isVisibleTo(panel)
    assert texts(panel) == shown  # the saved value back in the field
    assert window.undo_stack.count() == 0
    assert wall_row(project, walls["wall"]) == (STRAIGHT, 150)
    assert (file_rows(project.path, "wall"), file_rows(project.path, "wall_opening")) == before


def test_an_l_shaped_walls_length_cannot_go_below_its_first_leg(qtbot, tab, window, walls):
    panel = select(tab, walls["ell"])
    type_in(qtbot, panel.widgets["wall_length"], "5")
    assert "A wall's length must be more than 6.00 m" in panel.error.text()
    assert wall_row(window.project, walls["ell"]) == (ELL, 200) and window.undo_stack.count() == 0


def test_a_closed_wall_shows_its_length_read_only(qtbot, tab, window, walls):
    panel = select(tab, walls["loop"])
    assert list(panel.widgets) == ["thickness", "loop_length"]
    assert isinstance(panel.widgets["loop_length"], QLabel) and panel.widgets["loop_length"].text() == "14.00 m"
    type_in(qtbot, panel.widgets["thickness"], "0,1")
    assert wall_row(window.project, walls["loop"]) == (LOOP, 100)


def test_several_walls_take_one_thickness_in_one_step(qtbot, tab, window, walls):
    project = window.project
    panel = select(tab, walls["wall"], walls["ell"], walls["loop"])
    assert panel.title.text() == "3 walls selected"
    assert list(panel.widgets) == ["thickness"]
    field = panel.widgets["thickness"]
    assert field.text() == "" and field.placeholderText() == "(several values)"
    type_in(qtbot, field, "0,3")
    assert [wall_row(project, walls[k])[1] for k in ("wall", "ell", "loop")] == [300, 300, 300]
    assert window.undo_stack.count() == 1 and window.undo_stack.undoText() == "Edit 3 walls"
    assert field.text() == "0.30"
    window.act_undo.trigger()
    assert [wall_row(project, walls[k])[1] for k in ("wall", "ell", "loop")] == [150, 200, 150]
    window.act_redo.trigger()
    with reopened(window) as again:
        assert {w.thickness for w in again.all(Wall)} == {300, 150}  # the short wall was not selected


# --- a door or window -------------------------------------------------------------------------------

def test_a_door_shows_kind_width_place_hinge_and_swing_side(tab, window, walls):
    panel = select(tab, walls["door"])
    assert panel.title.text() == "Door"
    # in words read off the plan: the wall was drawn left to right, its first jamb is on the left and
    # its left face (looking along it) is the top
    assert texts(panel) == {"opening_kind": "Door", "opening_width": "0.90", "position": "2.00",
                            "hinge": "Left jamb", "side": "Top side"}
    side, hinge = panel.widgets["side"], panel.widgets["hinge"]
    assert [side.itemText(i) for i in range(side.count())] == ["Top side", "Bottom side"]
    assert [hinge.itemText(i) for i in range(hinge.count())] == ["Left jamb", "Right jamb"]
    assert "as the plan is shown" in hinge.toolTip()
    panel = select(tab, walls["ell_door"])  # in the leg going down: its first jamb is the top one
    assert texts(panel)["side"] == "Right side" and texts(panel)["hinge"] == "Top jamb"
    side, hinge = panel.widgets["side"], panel.widgets["hinge"]
    assert [side.itemText(i) for i in range(side.count())] == ["Right side", "Left side"]
    assert [hinge.itemText(i) for i in range(hinge.count())] == ["Top jamb", "Bottom jamb"]
    settings.set_length_unit("mm")
    panel.refresh()
    assert texts(panel)["opening_width"] == "900" and texts(panel)["position"] == "8000"


def test_choosing_and_typing_a_doors_values(qtbot, tab, window, walls):
    project = window.project
    panel = select(tab, walls["door"])
    choose(panel.widgets["hinge"], "Right jamb")
    assert opening_row(project, walls["door"]) == ("door", 2000, 900, "end", "left")
    assert window.undo_stack.undoText() == "Edit door or window"
    choose(panel.widgets["side"], "Bottom side")  # the hinge stays where it is
    assert opening_row(project, walls["door"]) == ("door", 2000, 900, "end", "right")
    assert texts(panel)["hinge"] == "Right jamb" and texts(panel)["side"] == "Bottom side"
    type_in(qtbot, panel.widgets["opening_width"], "1,2")
    type_in(qtbot, panel.widgets["position"], "0,1")  # slid until it fits the wall
    assert opening_row(project, walls["door"]) == ("door", 600, 1200, "end", "right")
    assert texts(panel)["position"] == "0.60" and not panel.error.isVisibleTo(panel)
    choose(panel.widgets["opening_kind"], "Double door")  # both jambs hinge: no hinge to choose
    assert list(panel.widgets) == ["opening_kind", "opening_width", "position", "side"]
    choose(panel.widgets["opening_kind"], "Sliding door")
    assert list(panel.widgets) == ["opening_kind", "opening_width", "position", "slides_to", "panel_side"]
    assert texts(panel)["slides_to"] == "Right jamb" and texts(panel)["panel_side"] == "Bottom side"
    choose(panel.widgets["slides_to"], "Left jamb")
    assert opening_row(project, walls["door"]) == ("sliding_door", 600, 1200, "start", "right")
    assert window.undo_stack.count() == 7
    for _step in range(3):
        window.act_undo.trigger()
    assert opening_row(project, walls["door"]) == ("door", 600, 1200, "end", "right")
    assert panel.title.text() == "Door" and "hinge" in panel.widgets
    for _step in range(3):
        window.act_redo.trigger()
    with reopened(window) as again:
        assert opening_row(again, walls["door"]) == ("sliding_door", 600, 1200, "start", "right")


def test_a_window_has_no_hinge_or_swing_side(qtbot, tab, window, walls):
    panel = select(tab, walls["window"])
    assert panel.title.text() == "Window"
    assert texts(panel) == {"opening_kind": "Window", "opening_width": "1.20", "position": "4.50"}
    type_in(qtbot, panel.widgets["position"], "5,9")
    assert opening_row(window.project, walls["window"])[1] == 5400  # its far side at the wall's end


@pytest.mark.parametrize("key, text, message", [
    ("opening_width", "2,5", "The wall is shorter than the opening (2500 mm)."),
    ("opening_width", "0,1", "Width must be between 300 and 6000."),
    ("opening_width", "7", "Width must be between 300 and 6000."),
    ("opening_width", "lebar", "Width must be a number."),
    ("position", "tengah", "From wall start must be a number."),
])
def test_a_bad_door_value_gets_the_models_message_and_nothing_changes(qtbot, tab, window, walls, key, text,
                                                                       message):
    project = window.project
    panel = select(tab, walls["short_door"])
    before = file_rows(project.path, "wall_opening")
    shown = texts(panel)
    type_in(qtbot, panel.widgets[key], text)
    assert message in panel.error.text() and panel.error.isVisibleTo(panel)
    assert texts(panel) == shown and window.undo_stack.count() == 0
    assert opening_row(project, walls["short_door"]) == ("door", 1000, 900, "start", "left")
    assert file_rows(project.path, "wall_opening") == before
    type_in(qtbot, panel.widgets["opening_width"], "1")  # a good value: the message goes
    assert opening_row(project, walls["short_door"])[2] == 1000 and not panel.error.isVisibleTo(panel)


def test_several_doors_and_windows_take_a_width_in_one_step(qtbot, tab, window, walls):
    project = window.project
    panel = select(tab, walls["door"], walls["window"])
    assert list(panel.widgets) == ["opening_kind", "opening_width"]  # no place along the wall for several
    assert panel.widgets["opening_kind"].currentText() == "(several)"
    type_in(qtbot, panel.widgets["opening_width"], "1")
    assert [opening_row(project, walls[k])[2] for k in ("door", "window")] == [1000, 1000]
    assert window.undo_stack.count() == 1 and window.undo_stack.undoText() == "Edit 2 doors and windows"
    panel = select(tab, walls["door"], walls["ell_door"])  # in walls running different ways
    assert list(panel.widgets) == ["opening_kind", "opening_width", "hinge", "side"]
    hinge = panel.widgets["hinge"]
    assert [hinge.itemText(i) for i in range(hinge.count())] == ["Jamb at wall start", "Jamb at wall end"]
    side = panel.widgets["side"]
    assert [side.itemText(i) for i in range(side.count())] == ["Left (from wall start)",
                                                               "Right (from wall start)"]
    choose(side, "Right (from wall start)")
    assert {opening_row(project, walls[k])[4] for k in ("door", "ell_door")} == {"right"}
    with reopened(window) as again:
        assert opening_row(again, walls["window"])[2] == 1000
        assert opening_row(again, walls["ell_door"])[4] == "right"


# --- the floor delete question ----------------------------------------------------------------------

def test_the_floor_delete_question_counts_walls(tab, window, walls, monkeypatch):
    project = window.project
    asked: list[str] = []
    monkeypatch.setattr(tab.editor, "confirm", lambda title, text: asked.append(text) or False)
    assert not tab.floor_menu.delete_floor()
    assert "3 rooms, 4 walls" in asked[0]
    assert len(project.all(Wall)) == 4
    # a floor with nothing but a wall is asked about too
    window.undo_stack.push_command(AddFloor("Lantai 2"))
    f2 = project.all(Floor)[-1].id
    tab.floor_bar.setCurrentIndex(tab.floor_ids.index(f2))
    window.undo_stack.push_command(AddWall(f2, STRAIGHT))
    asked.clear()
    assert not tab.floor_menu.delete_floor()
    assert "holds 1 wall." in asked[0]
    monkeypatch.setattr(tab.editor, "confirm", lambda title, text: True)
    tab.floor_bar.setCurrentIndex(0)
    assert tab.floor_menu.delete_floor()
    assert project.all(Wall) == [w for w in project.all(Wall) if w.floor_id == f2]
    assert project.all(WallOpening) == []
    window.act_undo.trigger()
    assert len(project.all(Wall)) == 5 and len(project.all(WallOpening)) == 4
    with reopened(window) as again:
        assert len(again.all(Wall)) == 5 and len(again.all(WallOpening)) == 4
        assert json.dumps(sorted(w.thickness for w in again.all(Wall))) == "[150, 150, 150, 150, 200]"


def test_indonesian_words_and_a_decimal_comma(tab, window, walls):
    from mpp_planner import i18n

    i18n.set_language("id")
    try:
        panel = select(tab, walls["door"])
        assert texts(panel) == {"opening_kind": i18n._("Door"), "opening_width": "0,90", "position": "2,00",
                                "hinge": "Kusen kiri", "side": "Sisi atas"}
        panel = select(tab, walls["wall"])
        assert panel.title.text() == "Dinding" and texts(panel) == {"thickness": "0,15", "wall_length": "6,00"}
    finally:
        i18n.set_language("en")
