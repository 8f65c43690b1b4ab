"""Rough edges of the plan editor found by a new user (issue 21, part A): calibrating right after a
background import, one length unit in the Properties panel (a preference), grid snapping that stays on
the grid, Zoom to Selection on a small object, a dimension's typed length, a validation message that
goes once a good value is typed, and wheel zoom without Ctrl (a preference)."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel

from mpp_planner import i18n, settings
from mpp_planner.commands.plan import AddAnnotation, PlaceCounter, PlaceItem, SetProperties
from mpp_planner.model import Annotation, Counter, Floor, FloorBackground, ItemType, Room
from mpp_planner.qt.preferences import PreferencesDialog
from tests.qt.plan_helpers import click, key, open_window, reopened, zoom
from tests.qt.plan_helpers import plan_file, tab, window  # noqa: F401
from tests.qt.test_plan_background import make_png


@pytest.fixture(autouse=True)
def config(tmp_path, monkeypatch):
    """Each test has its own settings file (the session's is shared by every test)."""
    monkeypatch.setenv("MPP_PLANNER_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path / "config" / "settings.json"


def floor_id(window) -> int:
    return window.project.all(Floor)[0].id


def push(window, cmd):
    window.undo_stack.push_command(cmd)
    window.undo_stack.clear()
    return cmd.created[0]


def choose_preferences(qtbot, unit: str | None = None, wheel: str | None = None) -> PreferencesDialog:
    """Preferences as the user sets them: pick, then Save."""
    dialog = PreferencesDialog()
    qtbot.addWidget(dialog)
    if unit is not None:
        dialog.length_unit.setCurrentIndex(dialog.length_unit.findData(unit))
    if wheel is not None:
        dialog.wheel.setCurrentIndex(dialog.wheel.findData(wheel))
    dialog.accept()
    return dialog


# --- 1. importing a background starts the calibrate tool ------------------------------------------

@pytest.fixture
def imported(tab, window, tmp_path, monkeypatch):
    """File ▸ plan background ▸ Import Image… with a PNG chosen in the file dialog."""
    png = make_png(tmp_path / "denah.png")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(png), ""))
    assert tab.background_menu.import_background()
    return png


def test_importing_a_background_starts_calibrating_and_the_banner_says_how(tab, window, imported, monkeypatch):
    view = tab.view
    assert tab.editor.tool.key == "calibrate" and tab.tool_actions["calibrate"].isChecked()
    assert view.banner.isVisible() and "click two points on the background" in view.banner.text()
    assert "Esc" in view.banner.text()
    assert not view.banner.timer.isActive()  # it stays while calibrating
    assert "type the distance" in tab.hint_label.text()
    # the clicks calibrate (they did nothing before: the tool stayed on Select)
    monkeypatch.setattr(tab.editor, "ask_distance", lambda: "8")
    zoom(view, 0.05, (8000, 6000))
    click(view, 0, 0)
    click(view, 4000, 0)
    bg = window.project.get(FloorBackground, floor_id(window))
    assert bg.mm_per_px == pytest.approx(80.0)
    assert tab.editor.tool.key == "select" and view.banner.text() == "Background calibrated."
    assert window.undo_stack.undoText() == "Calibrate background"
    with reopened(window) as again:
        assert again.get(FloorBackground, again.all(Floor)[0].id).mm_per_px == pytest.approx(80.0)


def test_escape_leaves_calibrating_cleanly(tab, window, imported):
    view = tab.view
    zoom(view, 0.05, (8000, 6000))
    click(view, 0, 0)  # a first point, then Escape twice: the point, then the tool
    key(view, Qt.Key_Escape)
    assert tab.editor.tool.key == "calibrate" and tab.editor.tool.rules.start is None
    key(view, Qt.Key_Escape)
    assert tab.editor.tool.key == "select" and tab.tool_actions["select"].isChecked()
    assert not view.banner.isVisible()  # no "click two points" left behind
    assert window.undo_stack.undoText() == "Import background image" and window.undo_stack.count() == 1
    bg = window.project.get(FloorBackground, floor_id(window))
    assert bg.mm_per_px == pytest.approx(40.0)  # as imported, not calibrated
    click(view, 4000, 0)  # a click now selects, it does not calibrate
    assert window.project.get(FloorBackground, floor_id(window)).mm_per_px == pytest.approx(40.0)


# --- 2. one length unit in the Properties panel, chosen in Preferences ---------------------------

@pytest.fixture
def objects(tab, window):
    """A counter at (11, 2) m, a chair at (5, 5) m and a dimension (0, -1) m → (3, -5) m (5 m long)."""
    fid = floor_id(window)
    chair = window.project.session.query(ItemType).filter_by(key="kursi").one()
    return {"counter": push(window, PlaceCounter(fid, 11000, 2000)),
            "item": push(window, PlaceItem(fid, chair.id, 5000, 5000)),
            "dimension": push(window, AddAnnotation(fid, "dimension", 0, -1000, 3000, -5000))}


def shown(tab, ref) -> dict[str, str]:
    tab.view.scene().select_refs([ref])
    panel = tab.properties
    return {k: w.text() for k, w in panel.widgets.items() if k in ("x", "y", "width", "depth", "room_width",
                                                                      "room_height", "length")}


def test_every_length_is_in_metres_by_default(tab, window, objects):
    room = window.project.session.query(Room).filter_by(name="Meja Info").one()
    assert shown(tab, ("room", room.id)) == {"x": "1.00", "y": "1.00", "room_width": "2.00", "room_height": "2.00"}
    assert shown(tab, objects["counter"]) == {"x": "11.00", "y": "2.00", "width": "1.80", "depth": "0.80"}
    assert shown(tab, objects["item"]) == {"x": "5.00", "y": "5.00", "width": "0.50", "depth": "0.50"}
    assert shown(tab, objects["dimension"]) == {"x": "0.00", "y": "-1.00", "length": "5.00"}
    units = {label.text() for label in tab.properties.form_host.findChildren(QLabel)}
    assert "m" in units and "mm" not in units  # the unit beside each length


def test_the_unit_follows_preferences_at_once_and_typed_values_are_read_in_it(qtbot, tab, window, objects,
                                                                              config):
    project = window.project
    panel = tab.properties
    shown(tab, objects["counter"])
    choose_preferences(qtbot, unit="cm")
    assert json.loads(config.read_text(encoding="utf-8"))["length_unit"] == "cm"
    assert panel.widgets["width"].text() == "180" and panel.widgets["x"].text() == "1100"  # the panel follows
    panel.widgets["width"].setText("192,5")
    panel.widgets["width"].editingFinished.emit()
    assert project.get(Counter, objects["counter"][1]).width == 1925
    assert panel.widgets["width"].text() == "192.5"
    choose_preferences(qtbot, unit="mm")
    assert panel.widgets["width"].text() == "1925" and panel.widgets["y"].text() == "2000"
    panel.widgets["x"].setText("12.500")  # whole millimetres: the dot groups digits
    panel.widgets["x"].editingFinished.emit()
    assert project.get(Counter, objects["counter"][1]).x == 12500
    choose_preferences(qtbot, unit="m")
    panel.widgets["depth"].setText("0,9")
    panel.widgets["depth"].editingFinished.emit()
    c = project.get(Counter, objects["counter"][1])
    assert (c.x, c.width, c.depth) == (12500, 1925, 900)
    assert panel.widgets["width"].text() == "1.925"  # millimetres are never hidden by rounding
    with reopened(window) as again:
        c = again.get(Counter, objects["counter"][1])
        assert (c.x, c.width, c.depth) == (12500, 1925, 900)


def test_a_hidden_properties_panel_follows_the_unit_when_shown_again(qtbot, tab, window, objects):
    shown(tab, objects["counter"])
    tab.docks["properties"].hide()
    choose_preferences(qtbot, unit="mm")
    tab.docks["properties"].show()
    assert tab.properties.widgets["width"].text() == "1800"


def test_indonesian_shows_a_decimal_comma(tab, window, objects):
    i18n.set_language("id")
    try:
        assert shown(tab, objects["counter"])["width"] == "1,80"
    finally:
        i18n.set_language("en")


def test_the_unit_and_wheel_preferences_survive_a_restart(qtbot, config):
    assert settings.length_unit() == "m" and settings.wheel_mode() == settings.WHEEL_SCROLLS  # the defaults
    choose_preferences(qtbot, unit="mm", wheel=settings.WHEEL_ZOOMS)
    saved = json.loads(config.read_text(encoding="utf-8"))
    assert (saved["length_unit"], saved["wheel"]) == ("mm", "zoom")
    again = PreferencesDialog()  # what the next start reads from the same file
    qtbot.addWidget(again)
    assert again.length_unit.currentData() == "mm" and again.wheel.currentData() == "zoom"
    assert settings.length_unit() == "mm" and settings.wheel_mode() == "zoom"
    config.write_text(json.dumps({"length_unit": "yards", "wheel": 3}), encoding="utf-8")  # hand-edited
    assert settings.length_unit() == "m" and settings.wheel_mode() == "scroll"


def test_a_new_window_shows_the_saved_unit(qtbot, plan_file):  # noqa: F811
    settings.set_length_unit("cm")
    window = open_window(qtbot, plan_file)
    try:
        tab = window.tab_widgets["plan"]
        room = window.project.session.query(Room).filter_by(name="Meja Info").one()
        assert shown(tab, ("room", room.id))["room_width"] == "200"
    finally:
        window.close()


# --- 3. grid snapping lands on grid multiples -----------------------------------------------------

def test_a_far_edge_does_not_pull_a_point_off_the_grid(tab, window):
    """A counter 1.85 m wide at x = 11 m has its right edge at 11.925 m. A dimension clicked 7 m below it
    lands on the 100 mm grid (it landed on 11.925 m); next to the counter it snaps onto the edge."""
    fid = floor_id(window)
    ref = push(window, PlaceCounter(fid, 11000, 2000))
    window.undo_stack.push_command(SetProperties({ref: {"width": 1850}}))
    zoom(tab.view, 0.05, (12000, 6000))  # 8 px = 160 mm
    tab.tool_actions["dimension"].trigger()
    click(tab.view, 11930, 9030)
    click(tab.view, 14040, 9010)
    far = window.project.session.query(Annotation).one()
    assert (far.x1, far.y1, far.x2, far.y2) == (11900, 9000, 14000, 9000)
    click(tab.view, 11930, 2620)  # 220 mm below the counter: still the grid
    click(tab.view, 11930, 4000)
    assert window.project.session.query(Annotation).order_by(Annotation.id.desc()).first().x1 == 11900
    click(tab.view, 11930, 2500)  # 100 mm below its corner: onto its edge
    click(tab.view, 11930, 4000)  # far from the counter, but in line with the first end
    near = window.project.session.query(Annotation).order_by(Annotation.id.desc()).first()
    assert (near.x1, near.y1, near.x2, near.y2) == (11925, 2400, 11925, 4000)


def test_on_the_demo_a_point_is_off_the_grid_only_next_to_an_object(demo_window):
    """Clicks anywhere on the demo's ground floor at fit zoom (8 px = about 460 mm): a coordinate off the
    100 mm grid comes from an object within reach (and shows its guide); most land on the grid."""
    import random

    tab = demo_window.tab_widgets["plan"]
    demo_window.show_tab("plan")
    tab.view.fit()
    editor = tab.editor
    snapper = editor.snapper()
    boxes = [item.model_box for item in editor.scene.items_by_key.values()]
    tol = snapper.tolerance
    area = editor.scene.content_rect()
    rng = random.Random(21)
    on_grid = 0
    for _i in range(400):
        x, y = rng.uniform(area.left(), area.right()), rng.uniform(area.top(), area.bottom())
        r = snapper.point(x, y)
        if r.x % 100 == 0 and r.y % 100 == 0:
            on_grid += 1
            continue
        assert (r.x % 100 == 0 or r.guide_x is not None) and (r.y % 100 == 0 or r.guide_y is not None)
        assert any(b.left - tol <= x <= b.right + tol and b.top - tol <= y <= b.bottom + tol for b in boxes), (x, y)
    assert on_grid >= 300  # it was about 230 when the edges of every object pulled across the floor


# --- 4. Zoom to Selection keeps a sensible extent -------------------------------------------------

def visible(view):
    return view.mapToScene(view.viewport().rect()).boundingRect()


def test_zoom_to_selection_on_a_small_item_keeps_5_m_around_it(tab, window, objects):
    view = tab.view
    view.scene().select_refs([objects["item"]])  # a 0.5 m chair
    tab.act_zoom_sel.trigger()
    rect = visible(view)
    assert rect.width() >= 5000 and rect.height() >= 5000
    assert rect.contains(QPointF(5000, 5000)) and abs(rect.center().x() - 5000) < 50
    assert 500 * view.current_scale() < view.viewport().width() / 6  # a small thing on screen
    # a flat selection (a level dimension line) zooms too; a large one is shown whole
    dim = push(window, AddAnnotation(floor_id(window), "dimension", 20000, 0, 21000, 0))
    view.scene().select_refs([dim])
    tab.act_zoom_sel.trigger()
    assert visible(view).contains(QPointF(20500, 0)) and visible(view).width() >= 5000
    rooms = [("room", r.id) for r in window.project.all(Room)]
    view.scene().select_refs(rooms)
    tab.act_zoom_sel.trigger()
    assert visible(view).contains(view.scene().content_rect().adjusted(0, 0, -1, -1).center())
    assert visible(view).width() >= 16000


# --- 5. a dimension's length can be typed ---------------------------------------------------------

def test_typing_a_dimensions_length_moves_its_second_end_along_the_line(tab, window, objects):
    project = window.project
    panel = tab.properties
    ref = objects["dimension"]
    shown(tab, ref)
    assert panel.title.text() == "Dimension line"
    n = window.undo_stack.count()
    panel.widgets["length"].setText("2,5")
    panel.widgets["length"].editingFinished.emit()
    a = project.get(Annotation, ref[1])
    assert (a.x1, a.y1, a.x2, a.y2) == (0, -1000, 1500, -3000)  # 3-4-5 along the same line
    assert window.undo_stack.count() == n + 1 and window.undo_stack.undoText() == "Edit annotation"
    assert panel.widgets["length"].text() == "2.50"
    assert [list(p) for p in tab.view.scene().item_for(ref).points] == [[0, -1000], [1500, -3000]]
    # refused: zero, not a number; nothing changes and the panel says why
    for text, message in (("0", "more than 0"), ("panjang", "must be a number")):
        panel.widgets["length"].setText(text)
        panel.widgets["length"].editingFinished.emit()
        assert message in panel.error.text() and panel.error.isVisibleTo(panel)
        assert panel.widgets["length"].text() == "2.50"
    assert window.undo_stack.count() == n + 1
    window.act_undo.trigger()
    a = project.get(Annotation, ref[1])
    assert (a.x2, a.y2) == (3000, -5000) and panel.widgets["length"].text() == "5.00"
    window.act_redo.trigger()
    with reopened(window) as again:
        a = again.get(Annotation, ref[1])
        assert (a.x1, a.y1, a.x2, a.y2) == (0, -1000, 1500, -3000)


# --- 6. the validation message goes once a good value is typed ------------------------------------

def type_in(qtbot, field, text: str) -> None:
    """Type over the field's text and press Enter, as the user does."""
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key_Return)


def test_a_validation_message_goes_when_a_valid_value_is_entered(qtbot, tab, window, objects):
    project = window.project
    panel = tab.properties
    shown(tab, objects["counter"])
    width, depth, staff = panel.widgets["width"], panel.widgets["depth"], panel.widgets["staff"]
    type_in(qtbot, width, "lebar")
    assert "must be a number" in panel.error.text() and panel.error.isVisibleTo(panel)
    width.editingFinished.emit()  # the focus leaving the field it put back: the message stays
    assert panel.error.isVisibleTo(panel)
    type_in(qtbot, width, "2")
    assert project.get(Counter, objects["counter"][1]).width == 2000
    assert not panel.error.isVisibleTo(panel)
    # refused by the model, then a good value: the message goes
    type_in(qtbot, depth, "0,01")
    assert "Depth must be between 50 and 100000" in panel.error.text() and panel.error.isVisibleTo(panel)
    type_in(qtbot, depth, "0,9")
    assert project.get(Counter, objects["counter"][1]).depth == 900 and not panel.error.isVisibleTo(panel)
    # refused, then the value it has typed back in: nothing to change, but nothing wrong either
    type_in(qtbot, staff, "banyak")
    assert panel.error.isVisibleTo(panel) and staff.text() == "1"
    type_in(qtbot, staff, "1")
    assert not panel.error.isVisibleTo(panel)
    type_in(qtbot, depth, "0")
    assert panel.error.isVisibleTo(panel)
    type_in(qtbot, depth, "0,90")  # the same length written another way
    assert not panel.error.isVisibleTo(panel) and project.get(Counter, objects["counter"][1]).depth == 900


# --- 7. wheel zoom without Ctrl, as a preference --------------------------------------------------

def wheel(view, up: bool = True, modifiers=Qt.NoModifier) -> None:
    pos = QPointF(view.viewport().rect().center())
    event = QWheelEvent(pos, QPointF(view.viewport().mapToGlobal(pos.toPoint())), QPoint(0, 0),
                        QPoint(0, 120 if up else -120), Qt.NoButton, modifiers, Qt.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), event)


def test_the_wheel_scrolls_by_default_and_zooms_when_chosen(qtbot, tab, window):
    view = tab.view
    zoom(view, 0.05, (8000, 6000))
    bar = view.verticalScrollBar()
    scale, top = view.current_scale(), bar.value()
    wheel(view, up=False)
    assert view.current_scale() == scale and bar.value() > top  # scrolled down
    wheel(view, up=True, modifiers=Qt.ControlModifier)
    assert view.current_scale() == pytest.approx(scale * 1.15)  # Ctrl+wheel zooms, as before
    choose_preferences(qtbot, wheel=settings.WHEEL_ZOOMS)
    scale, top = view.current_scale(), bar.value()
    wheel(view, up=True)
    assert view.current_scale() == pytest.approx(scale * 1.15)
    wheel(view, up=False)
    wheel(view, up=False)
    assert view.current_scale() == pytest.approx(scale / 1.15)
    scale = view.current_scale()
    wheel(view, up=False, modifiers=Qt.ShiftModifier)  # Shift+wheel still scrolls
    assert view.current_scale() == scale
    wheel(view, up=True, modifiers=Qt.ControlModifier)
    assert view.current_scale() == pytest.approx(scale * 1.15)
