"""The DXF import dialog, driven like a user: choose a drawing made here with ezdxf, pick the room layers,
correct the units, name the floor, import (one undoable step), and the refusals (a bad file, Cancel) that
change nothing."""

from __future__ import annotations

import time

import ezdxf
import pytest
import shiboken6
from PySide6.QtCore import QRectF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QPushButton

from mpp_planner.model import Floor, FloorUnderlay, Room
from mpp_planner.qt.plan.dxf_import import DxfImportDialog, guess_units
from tests.qt.plan_helpers import plan_file, reopened, window  # noqa: F401 - fixtures

JOB_MS = 30_000


def make_dxf(path, insunits: int = 4):
    """A small service hall drawn in centimetres: 20 x 9 m. Its header says ``insunits`` (4 = mm: wrong on
    purpose, the user corrects it; 0 = nothing). Rooms on RUANG-A (two, named by texts) and RUANG-B (one),
    walls and a wall outline on DINDING, a desk on PERABOT, a title on TEKS."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = insunits
    for name in ("RUANG-A", "RUANG-B", "DINDING", "PERABOT", "TEKS"):
        doc.layers.add(name)
    msp = doc.modelspace()
    x0, y0 = 100_000, 50_000  # survey coordinates: the import moves the drawing to (0, 0)

    def box(x, y, w, h, layer):
        msp.add_lwpolyline([(x0 + x, y0 + y), (x0 + x + w, y0 + y), (x0 + x + w, y0 + y + h), (x0 + x, y0 + y + h)],
                           close=True, dxfattribs={"layer": layer})

    box(0, 0, 1200, 900, "RUANG-A")  # 12 x 9 m: the hall
    box(1200, 0, 400, 900, "RUANG-A")  # 4 x 9 m: the toilet
    box(1600, 0, 400, 900, "RUANG-B")  # 4 x 9 m: a store
    box(-20, -20, 2040, 940, "DINDING")  # the outer wall, closed but not a room
    for x in (1200, 1600):
        msp.add_line((x0 + x, y0), (x0 + x, y0 + 900), dxfattribs={"layer": "DINDING"})
    box(300, 300, 160, 80, "PERABOT")
    msp.add_arc((x0 + 1200, y0 + 450), 90, 0, 90, dxfattribs={"layer": "DINDING"})  # a door swing
    for text, x in (("Aula Pelayanan", 400), ("Toilet", 1300), ("Gudang", 1700)):
        msp.add_text(text, dxfattribs={"layer": "TEKS", "height": 25, "insert": (x0 + x, y0 + 450)})
    msp.add_text("DENAH LANTAI 2", dxfattribs={"layer": "TEKS", "height": 40, "insert": (x0, y0 - 120)})
    doc.saveas(path)
    return path


@pytest.fixture
def dialog(qtbot, window):
    tab = window.tab_widgets["plan"]
    d = tab.import_dxf()  # deletes itself when closed
    qtbot.waitExposed(d)
    yield d
    job = d.job
    if job is not None and shiboken6.isValid(job) and job.running:
        job.cancel()
        job.wait()


def finish(qtbot, job):
    """Wait until a job of the dialog has ended and its outcome was shown."""
    if job.dialog is not None or job.running:
        with qtbot.waitSignal(job.finished, timeout=JOB_MS):
            pass


def state(project):
    """What an import would change, read from the model."""
    floors = [(f.name, f.order) for f in project.all(Floor, Floor.order)]
    rooms = sorted((r.floor_id, r.name) for r in project.all(Room))
    return floors, rooms, len(project.all(FloorUnderlay))


def test_units_are_guessed_from_the_size_when_the_drawing_says_nothing():
    assert guess_units(42_000) == "mm"
    assert guess_units(4_200) == "cm"
    assert guess_units(42) == "m"


def test_choose_layers_units_and_floor_then_import_and_undo(qtbot, window, dialog, tmp_path, monkeypatch):
    dxf = make_dxf(tmp_path / "denah.dxf")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(dxf), "")))
    before = state(window.project)
    dialog.choose()  # the "Choose file…" button's file picker
    finish(qtbot, dialog.job)
    assert not dialog.message.isVisible(), dialog.message.text()
    layers = {dialog.layers.item(i).data(Qt.UserRole): dialog.layers.item(i) for i in range(dialog.layers.count())}
    assert set(layers) == {"RUANG-A", "RUANG-B", "DINDING", "PERABOT", "TEKS"}
    assert "2 closed shapes" in layers["RUANG-A"].text() and "RUANG-A" in layers["RUANG-A"].text()
    assert sorted(dialog.chosen_layers()) == ["RUANG-A", "RUANG-B"]  # the suggested ones are ticked
    # the drawing says mm: a 2 m building, which the size line questions
    assert dialog.chosen_units() == "mm" and "units mm from the drawing" in dialog.found.text()
    assert dialog.size_label.text().startswith("Drawing size: 2.0 × 1.0 m") and "too small" in dialog.size_label.text()
    # the preview shows the drawing with its three closed shapes on room layers filled
    assert {"ruang-a", "ruang-b", "dinding", "perabot"} <= set(dialog.layer_items)
    filled = {layer for layer, item in dialog.layer_items.items() if item.brush().style() != Qt.NoBrush}
    assert filled == {"ruang-a", "ruang-b"}
    assert {label.text() for _layer, _w, label in dialog._labels if label.isVisible()} == {"Aula Pelayanan", "Toilet",
                                                                                       "Gudang"}
    dialog.grab().save(str(tmp_path / "dialog.png"))

    dialog.units.setCurrentIndex(dialog.units.findData("cm"))
    assert dialog.size_label.text().startswith("Drawing size: 20.4 × 10.4 m")  # the outer wall, the title under it
    assert "too small" not in dialog.size_label.text() and "(the drawing says mm)" in dialog.size_label.text()
    layers["RUANG-B"].setCheckState(Qt.Unchecked)  # the store is not a room of ours: drawn under the plan
    assert dialog.chosen_layers() == ["RUANG-A"]
    assert dialog.rooms_label.text().startswith("2 closed shape(s) on the ticked layers become rooms")
    assert [layer for layer, i in dialog.layer_items.items() if i.brush().style() != Qt.NoBrush] == ["ruang-a"]
    assert {label.text() for _layer, _w, label in dialog._labels if label.isVisible()} == {"Aula Pelayanan", "Toilet"}
    assert dialog.floor.currentText() == "Lantai 1"  # the floor shown in the plan
    dialog.floor.lineEdit().clear()
    QTest.keyClicks(dialog.floor.lineEdit(), "Lantai 2")
    assert "A new floor “Lantai 2” will be added." in dialog.floor_note.text()
    assert state(window.project) == before  # nothing changes before Import

    dialog.import_button.click()
    job = dialog.job
    finish(qtbot, job)
    assert dialog.floor_id_done is not None, dialog.message.text()
    floor = next(f for f in window.project.all(Floor) if f.name == "Lantai 2")
    rooms = {r.name: r for r in window.project.all(Room) if r.floor_id == floor.id}
    assert set(rooms) == {"Aula Pelayanan", "Toilet"}
    # cm -> mm, y down, the drawing's top-left corner (the outer wall's) at (0, 0)
    assert sorted(map(tuple, rooms["Aula Pelayanan"].outline)) == [(200, 200), (200, 9200), (12200, 200),
                                                                   (12200, 9200)]
    assert rooms["Toilet"].kind == "toilet" and rooms["Aula Pelayanan"].kind == "counter_hall"
    under = window.project.get(FloorUnderlay, floor.id)
    assert under is not None and under.source == "denah.dxf" and under.visible
    assert {"DINDING", "PERABOT", "RUANG-B"} <= set(under.layers)
    assert "Gudang" in {t.text for t in under.drawing().texts}  # the store's name stays in the drawing
    # the plan shows that floor, fitted, with its underlay
    tab = window.tab_widgets["plan"]
    assert tab.current_floor_id() == floor.id and tab.view.scene().floor_id == floor.id
    scene = tab.view.scene()
    assert scene.underlay is not None and scene.underlay.isVisible()
    seen = tab.view.mapToScene(tab.view.viewport().rect()).boundingRect()
    assert seen.contains(QRectF(0, 0, 20400, 10400))
    assert seen.width() < 3 * 20400 or seen.height() < 3 * 10400  # fitted, not lost in the distance
    assert window.undo_stack.undoText() == "Import plan denah.dxf onto Lantai 2"
    tab.view.viewport().grab().save(str(tmp_path / "plan.png"))

    with reopened(window) as again:
        floor2 = next(f for f in again.all(Floor) if f.name == "Lantai 2")
        assert sorted(r.name for r in again.all(Room) if r.floor_id == floor2.id) == ["Aula Pelayanan", "Toilet"]
        assert len(again.get(FloorUnderlay, floor2.id).drawing().paths) == len(under.drawing().paths)


def test_undo_removes_what_the_import_added(qtbot, window, dialog, tmp_path):
    before = state(window.project)
    dialog.load(make_dxf(tmp_path / "denah.dxf", insunits=5))  # cm, said by the drawing
    finish(qtbot, dialog.job)
    assert dialog.chosen_units() == "cm" and not dialog.size_label.styleSheet()
    dialog.floor.setEditText("Lantai Dua")
    dialog.import_button.click()
    finish(qtbot, dialog.job)
    after = state(window.project)
    assert after != before and ("Lantai Dua", 2) in after[0] and after[2] == 1
    assert len(after[1]) == len(before[1]) + 3
    window.act_undo.trigger()
    assert state(window.project) == before
    window.act_redo.trigger()
    assert state(window.project) == after
    window.act_undo.trigger()
    with reopened(window) as again:
        assert state(again) == before


def test_into_an_existing_floor_its_underlay_is_replaced(qtbot, window, dialog, tmp_path):
    dialog.load(make_dxf(tmp_path / "denah.dxf", insunits=5))
    finish(qtbot, dialog.job)
    assert dialog.floor.currentText() == "Lantai 1"
    assert dialog.floor_note.text() == "The rooms are added to floor “Lantai 1”."
    dialog.import_button.click()
    finish(qtbot, dialog.job)
    fid = window.project.all(Floor)[0].id
    assert len(window.project.all(Floor)) == 1
    assert {"Aula Pelayanan", "Toilet", "Gudang", "Lobi"} <= {r.name for r in window.project.all(Room)}
    assert window.project.get(FloorUnderlay, fid) is not None
    again = window.tab_widgets["plan"].import_dxf()
    assert "its underlay drawing is replaced" in again.floor_note.text()
    again.reject()


def test_a_drawing_without_units_gets_them_guessed(qtbot, window, dialog, tmp_path):
    dialog.load(make_dxf(tmp_path / "denah.dxf", insunits=0))
    finish(qtbot, dialog.job)
    assert dialog.chosen_units() == "cm"
    assert "does not say its units: cm guessed" in dialog.found.text()
    assert dialog.size_label.text().startswith("Drawing size: 20.4 × 10.4 m")


@pytest.mark.parametrize("name, content, says", [
    ("rusak.dxf", b"this is not a drawing at all\n", "is not a DXF drawing"),
    ("rusak.dxf", b"  0\nSECTION\n  2\nHEADER\n", "incomplete"),
    ("denah.dwg", b"AC1032" + bytes(200), "DWG"),  # without the ODA File Converter: save it as DXF
])
def test_a_bad_file_shows_the_message_and_changes_nothing(qtbot, window, dialog, tmp_path, monkeypatch, name,
                                                           content, says):
    import mpp_planner.importers.dxf as dxf_module

    monkeypatch.setattr(dxf_module, "find_oda_converter", lambda: None)
    before = state(window.project)
    bad = tmp_path / name
    bad.write_bytes(content)
    dialog.load(bad)
    finish(qtbot, dialog.job)
    assert dialog.message.isVisible() and says in dialog.message.text()
    assert not dialog.import_button.isEnabled() and dialog.layers.count() == 0
    assert "Nothing will be imported" in dialog.found.text()
    dialog.reject()
    assert state(window.project) == before
    with reopened(window) as again:
        assert state(again) == before


def test_a_drawing_whose_room_layers_hold_no_room_is_refused_in_the_dialog(qtbot, window, dialog, tmp_path):
    before = state(window.project)
    dialog.load(make_dxf(tmp_path / "denah.dxf", insunits=5))
    finish(qtbot, dialog.job)
    dialog.set_layers(["TEKS"])  # texts only: no closed shape
    dialog.import_button.click()
    finish(qtbot, dialog.job)
    assert dialog.isVisible() and dialog.message.isVisible() and "No closed shapes" in dialog.message.text()
    assert state(window.project) == before


def test_cancel_leaves_the_project_unchanged(qtbot, window, dialog, tmp_path, monkeypatch):
    import mpp_planner.importers.dxf as dxf_module
    from mpp_planner.jobs import checkpoint

    before = state(window.project)
    dialog.load(make_dxf(tmp_path / "denah.dxf", insunits=5))
    finish(qtbot, dialog.job)
    real = dxf_module.read_dxf
    started = []

    def slow_read(*args, **kwargs):  # a large drawing: reading takes a while, with progress
        started.append(True)
        for i in range(1000):
            checkpoint(i, 1000, "Reading the drawing…")
            time.sleep(0.01)
        return real(*args, **kwargs)

    monkeypatch.setattr(dxf_module, "read_dxf", slow_read)
    dialog.set_layers(["RUANG-A"])  # not as the preview was read: the drawing is read again
    dialog.import_button.click()
    job = dialog.job
    qtbot.waitUntil(lambda: bool(started), timeout=JOB_MS)
    qtbot.waitUntil(lambda: job.dialog is not None and job.dialog.isVisible(), timeout=JOB_MS)
    job.dialog.findChild(QPushButton).click()  # the progress dialog's Cancel button
    finish(qtbot, job)
    assert job.cancelled
    assert dialog.isVisible() and "Cancelled; nothing was changed." in dialog.message.text()
    assert dialog.import_button.isEnabled()  # the user may try again
    assert state(window.project) == before
    dialog.reject()  # and the dialog's own Cancel
    assert state(window.project) == before
    with reopened(window) as again:
        assert state(again) == before


def test_the_menus_open_the_dialog(qtbot, window):
    act = window.findChild(type(window.act_open), "plan_dxf_import")
    assert act is not None and act in window.import_menu.actions()
    assert act.text() == "Plan from DXF…" and window.import_menu.title() == "&Import"
    window.show_tab("budget")
    act.trigger()
    found = window.findChildren(DxfImportDialog)
    assert found and found[-1].isVisible() and window.tabs.currentIndex() == 0
    found[-1].reject()
    tab = window.tab_widgets["plan"]
    assert tab.act_dxf_import in tab.background_menu.actions()
    tab.act_dxf_import.trigger()
    assert len([d for d in window.findChildren(DxfImportDialog) if d.isVisible()]) == 1
