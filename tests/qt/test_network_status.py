"""The window on a project in a network folder (issue 23): the status bar says that the file is held
exclusively, and the jobs that read on their own connection (Save As, Back Up Now) still work, although the
writer's lock keeps every other connection out (``store.network``)."""

import pytest
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import func, select

from mpp_planner.model import Counter
from mpp_planner.store import network
from tests.qt.plan_helpers import open_window


@pytest.fixture
def network_window(qtbot, demo_file, monkeypatch):
    monkeypatch.setenv(network.NETWORK_ENV, "1")
    window = open_window(qtbot, demo_file)
    yield window
    window.close()


def test_status_bar_names_the_exclusive_mode(network_window):
    network_window._update_status()
    assert network_window.project.file.network
    assert "Network folder: exclusive mode" in network_window.statusBar().currentMessage()


def test_a_local_project_says_nothing_about_networks(demo_window):
    demo_window._update_status()
    assert "Network" not in demo_window.statusBar().currentMessage()


def test_save_as_and_back_up_now_work_while_the_file_is_held(qtbot, network_window, tmp_path, monkeypatch,
                                                             dialog_texts):
    handle = network_window.backup_now()
    with qtbot.waitSignal(handle.finished, timeout=20_000):
        pass
    assert handle.error is None and handle.result.exists()
    dest = tmp_path / "salinan jaringan.mpplan"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(dest), ""))
    handle = network_window.save_as()
    with qtbot.waitSignal(handle.finished, timeout=20_000):
        pass
    assert handle.error is None
    project = network_window.project
    assert project.path == dest and project.file.network
    assert project.session.scalar(select(func.count()).select_from(Counter)) > 30
