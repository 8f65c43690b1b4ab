"""The standards findings outlined on the plan follow the edits made there: at once, the outlines move
with their rooms and a deleted room's goes; a moment after a run of edits (one check, not one per
edit) the rules run again and the outlines and the list show what they find now."""

import pytest
from PySide6.QtCore import QPointF

from mpp_planner.commands.plan import DeletePlanObjects, EditRoomOutline, MoveObjects
from mpp_planner.qt.inventory import findings_panel as panel_module
from mpp_planner.qt.inventory.plan_overlay import TAG
from mpp_planner.qt.jobs import running_jobs

LAKTASI = 1  # the demo's lactation room, 2.5 x 3.5 m at the floor's corner: too small, no fridge...
MEJA_INFO = 18  # the information desk, 18..24 m x 21..23.5 m: no AC
LAKTASI_AT = QPointF(1250, 1750)


@pytest.fixture
def window(demo_window):
    return demo_window


@pytest.fixture
def panel(window, qtbot):
    """The findings of the shipped rules, outlined on the plan; the plan tab shown, as after a
    double-click on a finding."""
    window.show_tab("inventory")
    panel = window.tab_widgets["inventory"].findings_panel
    done(qtbot, panel.run_check())
    window.show_tab("plan")
    return panel


def done(qtbot, handle):
    assert handle is not None
    qtbot.waitUntil(lambda: handle not in running_jobs(), timeout=60_000)
    return handle


def rechecked(qtbot, panel, before):
    """Wait for the check that follows the edits (the timer, then the job)."""
    qtbot.waitUntil(lambda: panel.job is not before and panel.job not in running_jobs(), timeout=10_000)
    assert not panel.outdated


def outlines(window, kind="room"):
    """What the findings outline on the first floor: ref id -> the outline's bounds."""
    scene = window.tab_widgets["plan"].scene_for(1)
    return {item.data(1)[1]: item.sceneBoundingRect() for item in scene.items()
            if item.data(0) == TAG and item.data(1) and item.data(1)[0] == kind}


def messages(panel, room_id):
    return [f.message for f in panel.findings if f.room_id == room_id]


def run(window, command):
    assert window.undo_stack.run(command, origin="plan")


def test_a_moved_room_takes_its_outline_along_and_the_check_runs_again(window, qtbot, panel):
    assert outlines(window)[LAKTASI].contains(LAKTASI_AT)
    assert any("8.75 m²" in m for m in messages(panel, LAKTASI))
    assert any("42.7 m" in m for m in messages(panel, LAKTASI))  # from the play area
    before = panel.job
    run(window, MoveObjects([("room", LAKTASI)], 0, 30000))  # out of the building, 30 m down
    shown = outlines(window)
    assert not shown[LAKTASI].contains(LAKTASI_AT)  # at once: no outline left where the room was
    assert shown[LAKTASI].contains(LAKTASI_AT + QPointF(0, 30000))
    assert panel.outdated and "check again" in panel.status.text()
    rechecked(qtbot, panel, before)
    assert not any("42.7 m" in m for m in messages(panel, LAKTASI))  # the distance to the play area: from here now
    assert outlines(window)[LAKTASI].contains(LAKTASI_AT + QPointF(0, 30000))
    # undo: back where it was, checked again
    before = panel.job
    window.act_undo.trigger()
    rechecked(qtbot, panel, before)
    assert outlines(window)[LAKTASI].contains(LAKTASI_AT)
    assert any("42.7 m" in m for m in messages(panel, LAKTASI))
    # the plan draws itself anew (as after a reset, or a floor edited while another was shown): the
    # outlines stay
    window.tab_widgets["plan"].scene_for(1).reload()
    assert outlines(window)[LAKTASI].contains(LAKTASI_AT)


def test_a_deleted_room_loses_its_outline_and_a_fixed_finding_goes(window, qtbot, panel):
    assert MEJA_INFO in outlines(window)
    before = panel.job
    run(window, DeletePlanObjects([("room", MEJA_INFO)]))
    assert MEJA_INFO not in outlines(window)  # at once
    # the lactation room made large enough (4 x 3.5 m = 14 m²) in the same run of edits
    run(window, EditRoomOutline(LAKTASI, [[0, 0], [4000, 0], [4000, 3500], [0, 3500]]))
    assert outlines(window)[LAKTASI].width() >= 4000
    rechecked(qtbot, panel, before)
    assert messages(panel, MEJA_INFO) == [] and MEJA_INFO not in outlines(window)
    assert not any("m²" in m and "12 m²" in m for m in messages(panel, LAKTASI))
    assert messages(panel, LAKTASI)  # its other findings stay outlined
    assert all("8.75 m²" not in item.toolTip() for item in window.tab_widgets["plan"].scene_for(1).items()
               if item.data(0) == TAG)
    assert panel.model.rowCount() == len(panel.findings)


def test_a_run_of_edits_is_checked_once(window, qtbot, panel, monkeypatch):
    jobs = []
    real = panel_module.run_job

    def counting(*args, **kwargs):
        jobs.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(panel_module, "run_job", counting)
    before = panel.job
    plan = window.tab_widgets["plan"]
    plan.view.scene().select_refs([("room", LAKTASI)])
    for _ in range(5):  # arrow presses a tenth of a second apart
        plan.editor.nudge(1, 0)
        qtbot.wait(100)
    rechecked(qtbot, panel, before)
    qtbot.wait(panel_module.REFRESH_MS + 200)
    assert len(jobs) == 1


def test_no_check_while_the_findings_are_not_on_the_plan(window, qtbot, panel, monkeypatch):
    panel.highlight.setChecked(False)
    started = []
    monkeypatch.setattr(panel_module, "run_job", lambda *a, **k: started.append(a))
    run(window, MoveObjects([("room", LAKTASI)], 0, 30000))
    qtbot.wait(panel_module.REFRESH_MS + 200)
    assert started == [] and outlines(window) == {}
