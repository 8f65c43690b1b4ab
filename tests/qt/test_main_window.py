"""The main window on the demo project: real content in every tab, undo, file errors."""

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from mpp_planner.commands import SetFields
from mpp_planner.model import Agency, BudgetLine, Counter, Floor, InventoryItem, Need
from mpp_planner.project import Project
from mpp_planner.qt.main_window import MainWindow
from mpp_planner.qt.plan.items import CounterItem, RoomItem
from tests.qt.plan_helpers import reopened


@pytest.fixture
def window(demo_window):
    return demo_window


def count(project, cls):
    return project.session.scalar(select(func.count()).select_from(cls))


def test_title_tabs_and_status(window, demo_file):
    assert "MPP Kota Probolinggo" in window.windowTitle()
    assert demo_file.name in window.windowTitle()
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "Plan", "Agencies", "Inventory && Needs", "Budget", "Survey", "Assessment"]
    assert window.status_label.text() == "2 floors · 36 rooms · 34 counters · 31 agencies"


def test_plan_tab_draws_rooms_and_counters_of_the_first_floor(window):
    project = window.project
    plan = window.tab_widgets["plan"]
    floors = project.all(Floor, Floor.order)
    assert plan.floor_bar.count() == len(floors) == 2
    scene = plan.view.scene()
    rooms = [i for i in scene.items() if isinstance(i, RoomItem)]
    counters = [i for i in scene.items() if isinstance(i, CounterItem)]
    first = floors[0]
    assert len(rooms) == len(first.rooms)
    assert len(counters) == len(first.counters) > 0
    assert all(r.area_text.endswith("m²") for r in rooms)
    assigned = [c for c in counters if c.agency_text]
    assert assigned, "counters show their agency"
    # the item's colour is its agency's colour
    c = assigned[0]
    counter = project.get(Counter, c.object_id)
    assert c.fill.name().upper() == counter.primary_agency.colour
    plan.floor_bar.setCurrentIndex(1)
    assert plan.view.scene().floor_id == floors[1].id


def test_agency_inventory_budget_tables_show_data(window):
    project = window.project
    assert window.tab_widgets["agencies"].model.rowCount() == count(project, Agency)
    inv = window.tab_widgets["inventory"]
    assert inv.items_model.rowCount() == count(project, InventoryItem)
    assert inv.needs_model.rowCount() == count(project, Need)
    assert "open gaps" in inv.needs_total.text()
    budget = window.tab_widgets["budget"]
    assert budget.year.currentData() == 2024
    assert budget.line_count() == count(project, BudgetLine)
    assert "requested Rp" in budget.totals.text()


def test_agency_search_filters(window, qtbot):
    tab = window.tab_widgets["agencies"]
    qtbot.keyClicks(tab.search, "BPJS")
    assert tab.proxy.rowCount() == 2


def test_undo_redo_of_a_move_updates_plan_and_file(window):
    project = window.project
    plan = window.tab_widgets["plan"]
    item = next(i for i in plan.view.scene().items() if isinstance(i, CounterItem))
    cid = item.object_id
    x0 = project.get(Counter, cid).x
    window.undo_stack.push_command(SetFields("Move counter", Counter, {cid: {"x": x0 + 500}}))
    assert item.pos().x() == x0 + 500
    assert window.act_undo.isEnabled() and "Move counter" in window.act_undo.text()
    window.act_undo.trigger()
    assert item.pos().x() == x0
    window.act_redo.trigger()
    with reopened(window) as again:
        assert again.get(Counter, cid).x == x0 + 500


def test_opening_a_bad_file_shows_a_message_and_keeps_the_project(window, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: shown.append(a[2]))
    bad = tmp_path / "bad.mpplan"
    bad.write_bytes(b"not a project at all")
    current = window.project
    assert window.open_path(bad) is False
    assert shown and "not an MPP Planner project" in shown[0]
    assert window.project is current
    assert bad.read_bytes() == b"not a project at all"


def test_close_and_welcome(window):
    window.close_project()
    assert window.project is None
    assert window.windowTitle() == "MPP Planner"
    assert not window.act_save_as.isEnabled()


def test_save_as_and_reopen(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    dest = tmp_path / "salinan.mpplan"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(dest), ""))
    handle = window.save_as()  # a job: the copy is read on its own connection, then opened
    with qtbot.waitSignal(handle.finished, timeout=20_000):
        pass
    assert window.project.path == dest
    assert count(window.project, Counter) > 30


def test_save_as_cancelled_leaves_no_copy_and_keeps_the_project(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    dest = tmp_path / "salinan.mpplan"
    before = window.project
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(dest), ""))
    handle = window.save_as()
    handle.cancel()  # before the worker reaches its first checkpoint
    with qtbot.waitSignal(handle.finished, timeout=20_000):
        pass
    assert handle.cancelled and window.project is before
    assert not dest.exists() and not list(tmp_path.glob(".mpplan-*"))


def test_save_as_on_a_full_disk_says_so_and_keeps_the_project(qtbot, window, tmp_path, monkeypatch, dialog_texts):
    import errno

    from PySide6.QtWidgets import QFileDialog

    from mpp_planner.store import file as store_file

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    dest = tmp_path / "salinan.mpplan"
    before = window.project
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(dest), ""))
    monkeypatch.setattr(store_file, "_backup_connection", full)
    handle = window.save_as()
    with qtbot.waitSignal(handle.finished, timeout=20_000):
        pass
    assert window.project is before and not dest.exists()
    assert "disk is full" in dialog_texts[-1][1]


def test_back_up_now_runs_as_a_job_and_confirms_where_the_copy_went(qtbot, window, dialog_texts):
    handle = window.backup_now()
    with qtbot.waitSignal(handle.finished, timeout=20_000):
        pass
    copies = list((window.project.path.parent / "Cadangan").glob("*.mpplan"))
    assert handle.result in copies and dialog_texts[-1][0] == "Backup saved"


def test_tabs_are_built_when_first_needed(qtbot, demo_file):
    w = MainWindow(Project.open(demo_file))
    qtbot.addWidget(w)
    assert set(w.tab_widgets) == {"plan"}
    w.show_tab("budget")
    assert "budget" in w.tab_widgets and w.tab_widgets["budget"].line_count() > 30  # the demo's 2024 request
    w.build_all_tabs()
    assert set(w.tab_widgets) == {"plan", "agencies", "inventory", "budget", "survey", "assessment"}
    w.close()
