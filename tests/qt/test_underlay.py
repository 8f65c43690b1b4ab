"""A floor's underlay drawing (an imported CAD plan) on the plan: drawn under the rooms and above the scan,
never picked, shown and hidden through an undoable toggle kept in the file, following the model, and fast
with 100,000 paths."""

from __future__ import annotations

import math
import random
import statistics
import time

import pytest
from PySide6.QtCore import QPointF, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QGraphicsItem

from mpp_planner.model import Floor, FloorUnderlay, Underlay, UnderlayPath, UnderlayText
from mpp_planner.project import Project
from mpp_planner.qt.plan.underlay_item import UNDERLAY_Z, UnderlayItem
from tests.qt.plan_helpers import build_plan, open_window, reopened

HATCH = (18000, 0, 26000, 8000)  # a store room right of the rooms (0..16 m), drawn only in the underlay


def drawing() -> Underlay:
    """The walls around the plan's rooms, a hatched store room beside them and its name."""
    paths = [UnderlayPath("A-WALL", ((-200, -200), (16200, -200), (16200, 8200), (-200, 8200)), True),
             UnderlayPath("A-WALL", ((10000, 0), (10000, 8000)))]
    x0, y0, x1, y1 = HATCH
    paths.append(UnderlayPath("A-WALL", ((x0, y0), (x1, y0), (x1, y1), (x0, y1)), True))
    paths += [UnderlayPath("A-HATCH", ((x, y0), (x, y1))) for x in range(x0 + 200, x1, 200)]
    return Underlay(paths, [UnderlayText("A-TEXT", x0 + 500, y1 + 900, 600, "GUDANG")])


def put_underlay(project: Project, floor_id: int, underlay: Underlay, *, visible: bool = True) -> None:
    """Through the model, as an import would leave it."""
    with project.edit() as s:
        row = s.get(FloorUnderlay, floor_id)
        if row is None:
            row = FloorUnderlay(floor_id=floor_id, source="denah.dxf", visible=visible)
            s.add(row)
        row.set_drawing(underlay)
        row.visible = visible


def first_floor(project) -> int:
    return project.all(Floor, Floor.order)[0].id


@pytest.fixture
def plan_with_underlay(tmp_path):
    path = build_plan(tmp_path / "underlay.mpplan")
    project = Project.open(path)
    put_underlay(project, first_floor(project), drawing())
    project.close()
    return path


@pytest.fixture
def window(qtbot, plan_with_underlay):
    w = open_window(qtbot, plan_with_underlay)
    yield w
    w.close()


@pytest.fixture
def tab(window):
    return window.tab_widgets["plan"]


def underlay_row(project) -> FloorUnderlay | None:
    return project.get(FloorUnderlay, first_floor(project))


def grey_pixels(image: QImage, rect: QRect, darker_than: int = 215) -> int:
    """Pixels in ``rect`` darker than the grid's lines (the underlay's grey, or anything darker)."""
    n = 0
    for y in range(rect.top(), rect.bottom() + 1, 1):
        for x in range(rect.left(), rect.right() + 1, 1):
            c = QColor(image.pixel(x, y))
            if c.red() < darker_than and c.green() < darker_than and c.blue() < darker_than:
                n += 1
    return n


def test_the_underlay_is_drawn_under_the_rooms_and_above_the_scan(tab):
    scene = tab.view.scene()
    item = scene.underlay
    assert isinstance(item, UnderlayItem) and item.scene() is scene and item.isVisible()
    assert item.paths == len(drawing().paths) and item.texts == 1
    assert set(item.layers) == {"A-WALL", "A-HATCH"}
    assert item.plan_rect.left() == -200 and item.plan_rect.right() == HATCH[2]
    rooms = [i for (kind, _id), i in scene.items_by_key.items() if kind == "room"]
    assert rooms and all(UNDERLAY_Z < r.zValue() for r in rooms)
    assert UNDERLAY_Z > -1000  # the background scan's level
    # in the lobby the room is on top; the underlay is under it and never picked
    stacked = scene.items(QPointF(5000, 4000), Qt.IntersectsItemShape, Qt.DescendingOrder)
    assert stacked.index(item) > max(stacked.index(r) for r in rooms if r.name == "Lobi")
    assert tab.editor.hit(QPointF(22000, 4000)) is None  # on the hatch: nothing to pick
    assert not item.acceptedMouseButtons() and not (item.flags() & QGraphicsItem.ItemIsSelectable)
    # fitting shows the store room, which only the underlay has
    assert scene.content_rect().right() >= HATCH[2]
    assert tab.act_underlay_show.isEnabled() and tab.act_underlay_show.isChecked()
    assert not tab.act_underlay_print.isChecked()


def test_toggle_hides_and_shows_through_undo_and_survives_reopening(qtbot, tab, window):
    scene = tab.view.scene()
    tab.act_underlay_show.trigger()
    assert not scene.underlay.isVisible() and not tab.act_underlay_show.isChecked()
    assert underlay_row(window.project).visible is False
    assert window.undo_stack.undoText() == "Hide underlay drawing"
    assert scene.content_rect().right() < HATCH[0]  # a hidden drawing does not count for fitting
    window.act_undo.trigger()
    assert scene.underlay.isVisible() and tab.act_underlay_show.isChecked()
    assert underlay_row(window.project).visible is True
    tab.act_underlay_print.trigger()
    assert underlay_row(window.project).printed is True
    assert window.undo_stack.undoText() == "Print underlay drawing"
    tab.act_underlay_show.trigger()
    path = window.project.path
    with reopened(window) as again:
        row = underlay_row(again)
        assert (row.visible, row.printed, row.source) == (False, True, "denah.dxf")
        assert len(row.drawing().paths) == len(drawing().paths)
    other = open_window(qtbot, path)
    try:
        t2 = other.tab_widgets["plan"]
        assert not t2.view.scene().underlay.isVisible()
        assert not t2.act_underlay_show.isChecked() and t2.act_underlay_print.isChecked()
        t2.act_underlay_show.trigger()
        assert t2.view.scene().underlay.isVisible()
    finally:
        other.close()


def test_the_scene_follows_the_model_on_backgrounds_notices(tab, window):
    """Topic.BACKGROUNDS: a new drawing, a removed one (and its undo), and a floor shown later."""
    scene = tab.view.scene()
    item = scene.underlay
    bigger = drawing()
    bigger.paths.append(UnderlayPath("A-NEW", ((30000, 0), (40000, 9000))))
    put_underlay(window.project, first_floor(window.project), bigger)  # announced as any edit is
    assert scene.underlay is item and item.paths == len(bigger.paths) and "A-NEW" in item.layers
    assert scene.content_rect().right() >= 40000
    # a reload (after a failed edit, or a floor shown again) keeps the prepared drawing
    chunks = item.chunks
    scene.reload()
    assert scene.underlay is item and item.chunks is chunks and item.scene() is scene
    tab.act_underlay_remove.trigger()
    assert scene.underlay is None and underlay_row(window.project) is None
    assert not tab.act_underlay_show.isEnabled()
    assert window.undo_stack.undoText() == "Remove underlay drawing"
    window.act_undo.trigger()
    assert scene.underlay is not None and scene.underlay.paths == len(bigger.paths)
    assert tab.act_underlay_show.isChecked()
    # another floor: its scene draws its own underlay when shown
    with window.project.edit() as s:
        s.add(Floor(name="Lantai 2", order=2))
    second = window.project.all(Floor, Floor.order)[1].id
    put_underlay(window.project, second, Underlay([UnderlayPath("X", ((0, 0), (5000, 5000)))], []))
    tab.floor_bar.setCurrentIndex(tab.floor_ids.index(second))
    assert tab.view.scene().floor_id == second and tab.view.scene().underlay.paths == 1
    assert tab.act_underlay_show.isChecked()


def test_the_underlay_shows_in_the_rendered_plan(qtbot, tab, window, tmp_path):
    """Render the plan to PNG: the hatched store room (only in the underlay) has the underlay's lines;
    hidden, it has none."""
    tab.fit()
    qtbot.wait(50)
    view = tab.view
    x0, y0, x1, y1 = HATCH
    area = QRect(view.mapFromScene(QPointF(x0 + 300, y0 + 300)), view.mapFromScene(QPointF(x1 - 300, y1 - 300)))
    shown = view.viewport().grab().toImage()
    shown.save(str(tmp_path / "underlay-shown.png"))
    lines = grey_pixels(shown, area)
    # 39 hatch lines over the store room's height
    assert lines >= 0.5 * 39 * area.height(), (lines, area)
    tab.act_underlay_show.trigger()
    qtbot.wait(50)
    hidden = view.viewport().grab().toImage()
    hidden.save(str(tmp_path / "underlay-hidden.png"))
    assert grey_pixels(hidden, area) == 0
    # the lobby: the room is painted over the wall line under it, which still shows through
    tab.act_underlay_show.trigger()
    qtbot.wait(50)
    zoomed = QImage(view.viewport().size(), QImage.Format_ARGB32_Premultiplied)
    zoomed.fill(0)
    painter = QPainter(zoomed)
    view.render(painter)
    painter.end()
    zoomed.save(str(tmp_path / "underlay-render.png"))
    assert grey_pixels(zoomed, area) >= 0.5 * 39 * area.height()


def hundred_thousand_paths(seed: int = 16) -> Underlay:
    """A busy architect's floor: 100,000 paths (furniture, door swings, hatching) on 60 x 40 m."""
    rnd = random.Random(seed)
    paths = []
    for gx in range(10):
        for gy in range(8):
            x, y = gx * 6000, gy * 5000
            paths.append(UnderlayPath("A-WALL", ((x, y), (x + 6000, y), (x + 6000, y + 5000), (x, y + 5000)), True))
    while len(paths) < 100_000:
        x, y, r = rnd.randrange(60000), rnd.randrange(40000), rnd.random()
        if r < 0.45:
            w, h = rnd.randrange(400, 1800), rnd.randrange(400, 900)
            paths.append(UnderlayPath("A-FURN", ((x, y), (x + w, y), (x + w, y + h), (x, y + h)), True))
        elif r < 0.6:
            rad = rnd.randrange(150, 900)
            arc = tuple((x + round(rad * math.cos(a * math.pi / 24)), y - round(rad * math.sin(a * math.pi / 24)))
                        for a in range(13))
            paths.append(UnderlayPath("A-DOOR", arc))
        else:
            end = (x + rnd.randrange(200, 1200), y + rnd.randrange(-300, 300))
            paths.append(UnderlayPath("A-HATCH", ((x, y), end)))
    texts = [UnderlayText("A-TEXT", rnd.randrange(60000), rnd.randrange(40000), 250, f"R.{i}") for i in range(2000)]
    return Underlay(paths, texts)


def test_a_hundred_thousand_paths_repaint_fast_at_fit(qtbot, tab, window):
    """The plan's target: a repaint at fit-to-view within 50 ms, with 100,000 paths under the floor."""
    put_underlay(window.project, first_floor(window.project), hundred_thousand_paths())
    scene = tab.view.scene()
    assert scene.underlay.paths == 100_000
    tab.fit()
    view = tab.view
    view.viewport().repaint()  # the first paint at this zoom prepares the picture drawn when zoomed out
    image = QImage(view.viewport().size(), QImage.Format_ARGB32_Premultiplied)

    def render() -> float:
        image.fill(0)
        t0 = time.perf_counter()
        painter = QPainter(image)
        view.render(painter)
        painter.end()
        return (time.perf_counter() - t0) * 1000

    renders = [render() for _ in range(5)]
    repaints = []
    for _ in range(5):
        t0 = time.perf_counter()
        view.viewport().repaint()
        repaints.append((time.perf_counter() - t0) * 1000)
    assert statistics.median(renders) <= 50, renders
    assert statistics.median(repaints) <= 50, repaints
    assert grey_pixels(image, QRect(view.mapFromScene(QPointF(20000, 10000)),
                                    view.mapFromScene(QPointF(40000, 30000)))) > 1000


def test_plan_export_dialog_offers_the_underlay_where_there_is_one(qtbot, tmp_path):
    """The export's layer list shows the architect's drawing only when a floor has one, ticked when a
    floor's underlay is marked to print; unticked, the sheets leave it out."""
    from mpp_planner.model import Floor, FloorUnderlay, Underlay, UnderlayPath
    from mpp_planner.project import Project
    from mpp_planner.qt.plan_export.dialog import PlanExportDialog

    project = Project.create(tmp_path / "u.mpplan", site_name="MPP Uji")
    try:
        with project.edit() as s:
            s.add(Floor(name="Lantai 1", order=1))
        dialog = PlanExportDialog(project)
        qtbot.addWidget(dialog)
        assert dialog.layer_boxes["underlay"].isHidden()
        floor = project.all(Floor)[0]
        with project.edit() as s:
            row = FloorUnderlay(floor_id=floor.id, printed=True)
            row.set_drawing(Underlay([UnderlayPath("DINDING", ((0, 0), (1000, 0)))]))
            s.add(row)
        dialog = PlanExportDialog(project)
        qtbot.addWidget(dialog)
        box = dialog.layer_boxes["underlay"]
        assert not box.isHidden() and box.isChecked()
        assert "underlay" in dialog.options().layers
        box.setChecked(False)
        assert "underlay" not in dialog.options().layers and not dialog.options().printed_underlays
    finally:
        project.close()
