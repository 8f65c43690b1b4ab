"""Starting the GUI the way ``mpp-planner FILE`` does: the project is opened before the window is
built, a project held elsewhere still gets the read-only question, a file that cannot be opened
gets an error and an empty window, and no garbage collection runs until the window is shown."""

import argparse
import gc
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from mpp_planner.qt import app as gui_app
from mpp_planner.store.lock import lock_path_for
from tests.qt.test_file_safety import other_computer_holds, press_in_dialog


def gui_args(path) -> argparse.Namespace:
    return argparse.Namespace(file=str(path), screenshot=None, tab="plan", size="1400x900", quit_after_show=True)


@pytest.fixture
def started(qtbot):
    """Run the start-up of the GUI in this process; the window it showed is closed afterwards."""
    shown = []

    def start(path):
        result = gui_app._start(gui_args(path))
        assert not isinstance(result, int), result
        _app, window = result
        qtbot.addWidget(window)
        shown.append(window)
        return window

    yield start
    for window in shown:
        window.close()


def test_start_opens_the_project_for_editing_and_backs_it_up(started, demo_file):
    window = started(demo_file)
    assert window.isVisible()
    assert window.project is not None and not window.project.readonly
    assert window.project.path == demo_file
    assert window.status_label.text() == "2 floors · 36 rooms · 34 counters · 31 agencies"
    assert len(list((demo_file.parent / "Cadangan").glob("*.mpplan"))) == 1


def test_start_on_a_project_open_elsewhere_asks_and_opens_read_only(started, demo_file):
    other_computer_holds(demo_file)
    seen = []
    press_in_dialog("Open Read-Only", seen)
    window = started(demo_file)
    assert "already open in another MPP Planner" in seen[0]
    assert window.project.readonly
    assert "[read-only]" in window.windowTitle()
    assert json.loads(lock_path_for(demo_file).read_text())["user"] == "sari"


def test_start_on_a_damaged_file_explains_and_shows_an_empty_window(started, tmp_path):
    bad = tmp_path / "rusak.mpplan"
    bad.write_bytes(b"SQLite format 3\x00" + os.urandom(3000))
    before = bad.read_bytes()
    seen = []
    press_in_dialog("OK", seen)
    window = started(bad)
    assert "rusak.mpplan" in seen[0]
    assert window.project is None
    assert bad.read_bytes() == before


def test_no_garbage_collection_during_start_up_then_start_up_objects_are_frozen():
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    try:
        with gui_app.startup_memory():
            assert not gc.isenabled()
            kept = [[i] for i in range(1000)]
        assert gc.isenabled()
        assert gc.get_freeze_count() >= frozen + len(kept)
        with pytest.raises(RuntimeError):
            with gui_app.startup_memory():
                raise RuntimeError("the project could not be opened")
        assert gc.isenabled()
    finally:
        gc.unfreeze()


def test_mpp_planner_file_shows_the_window_and_leaves_a_sound_file(demo_file, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", MPP_PLANNER_CONFIG_DIR=str(tmp_path / "config"),
               MPP_PLANNER_DATA_DIR=str(tmp_path / "data"), MPP_PLANNER_LANG="en")
    result = subprocess.run([sys.executable, "-m", "mpp_planner", str(demo_file), "--quit-after-show"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert not lock_path_for(demo_file).exists()
    con = sqlite3.connect(demo_file)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT count(*) FROM counter").fetchone()[0] == 34
    finally:
        con.close()
    assert json.loads((tmp_path / "config" / "settings.json").read_text())["last_project"] == str(demo_file)


def test_closing_the_start_up_project_gives_its_objects_back_to_the_collector(started, demo_file):
    try:
        with gui_app.startup_memory():
            window = started(demo_file)
        assert gc.get_freeze_count() > 0
        window.close_project()
        assert window.project is None
        assert gc.get_freeze_count() == 0  # the first project's objects can be collected again
    finally:
        gc.unfreeze()
