"""Floors as tabs: add, rename, reorder (menu and drag), delete with a question; all undoable."""

from sqlalchemy import func, select

from mpp_planner.commands.plan import PlaceCounter
from mpp_planner.model import Counter, Floor, Room
from tests.qt.plan_helpers import reopened, plan_file, tab, window  # noqa: F401


def names(project):
    return [f.name for f in project.all(Floor, Floor.order, Floor.id)]


def tabs(tab):
    return [tab.floor_bar.tabText(i) for i in range(tab.floor_bar.count())]


def test_add_rename_reorder_and_undo(tab, window, monkeypatch):
    project = window.project
    monkeypatch.setattr(tab.editor, "ask_text", lambda title, label, text="": text)  # accept the proposal
    assert tab.floor_bar.count() == 1
    assert tab.add_floor()
    assert names(project) == ["Lantai 1", "Floor 2"] == tabs(tab)
    assert tab.floor_bar.currentIndex() == 1 and tab.view.scene().floor_id == tab.floor_ids[1]
    assert tab.view.scene().items_by_key == {}
    monkeypatch.setattr(tab.editor, "ask_text", lambda *a, **k: "Lantai Dasar")
    assert tab.rename_floor()
    assert tabs(tab) == ["Lantai 1", "Lantai Dasar"]
    assert window.undo_stack.undoText() == "Rename floor to Lantai Dasar"
    monkeypatch.setattr(tab.editor, "ask_text", lambda *a, **k: "  ")
    assert not tab.rename_floor()
    assert "must not be empty" in tab.view.banner.text()
    assert tab.move_floor(-1)
    assert tabs(tab) == ["Lantai Dasar", "Lantai 1"] == names(project)
    assert tab.floor_bar.currentIndex() == 0 and tab.current_floor_id() == tab.floor_ids[0]
    # dragging a tab reorders too
    tab.floor_bar.moveTab(0, 1)
    assert names(project) == ["Lantai 1", "Lantai Dasar"]
    window.act_undo.trigger()
    assert names(project) == ["Lantai Dasar", "Lantai 1"] == tabs(tab)
    window.act_undo.trigger()
    window.act_undo.trigger()
    assert tabs(tab) == ["Lantai 1", "Floor 2"]
    window.act_undo.trigger()
    assert tabs(tab) == ["Lantai 1"]
    window.act_redo.trigger()
    window.act_redo.trigger()
    with reopened(window) as again:
        assert names(again) == ["Lantai 1", "Lantai Dasar"]


def test_delete_asks_when_the_floor_holds_objects(tab, window, monkeypatch):
    project = window.project
    fid = tab.current_floor_id()
    window.undo_stack.push_command(PlaceCounter(fid, 12000, 2000))
    asked = []
    monkeypatch.setattr(tab.editor, "confirm", lambda title, text: asked.append(text) or False)
    assert not tab.delete_floor()
    assert "3 rooms" in asked[0] and "1 counter" in asked[0]
    assert names(project) == ["Lantai 1"]
    monkeypatch.setattr(tab.editor, "confirm", lambda title, text: True)
    assert tab.delete_floor()
    assert names(project) == [] and tabs(tab) == []
    assert tab.view.scene() is None
    assert project.session.scalar(select(func.count()).select_from(Room)) == 0
    window.act_undo.trigger()
    assert tabs(tab) == ["Lantai 1"]
    assert len(tab.view.scene().items_by_key) == 4
    assert project.session.scalar(select(func.count()).select_from(Counter)) == 1
    # an empty floor goes without a question
    monkeypatch.setattr(tab.editor, "ask_text", lambda *a, **k: "Atap")
    tab.add_floor()
    asked.clear()
    monkeypatch.setattr(tab.editor, "confirm", lambda title, text: asked.append(text) or False)
    assert tab.delete_floor()
    assert asked == [] and names(project) == ["Lantai 1"]
    with reopened(window) as again:
        assert names(again) == ["Lantai 1"]
        assert again.session.scalar(select(func.count()).select_from(Room)) == 3


def test_floors_switch_scenes_and_keep_their_own_view(tab, window, monkeypatch):
    monkeypatch.setattr(tab.editor, "ask_text", lambda *a, **k: "Lantai 2")
    tab.add_floor()
    first = tab.scenes[tab.floor_ids[0]]
    tab.floor_bar.setCurrentIndex(0)
    assert tab.view.scene() is first
    tab.view.zoom_by(2)
    scale = tab.view.current_scale()
    tab.floor_bar.setCurrentIndex(1)
    tab.floor_bar.setCurrentIndex(0)
    assert tab.view.current_scale() == scale
    # an edit on a floor not shown reaches its scene when it is shown again
    window.undo_stack.push_command(PlaceCounter(tab.floor_ids[1], 1000, 1000))
    tab.floor_bar.setCurrentIndex(1)
    assert [k for k, _i in tab.view.scene().items_by_key] == ["counter"]
