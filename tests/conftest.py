"""Shared fixtures: an isolated settings folder, the demo project built once and copied per test."""

from __future__ import annotations

import os
import shutil
import sys
import threading

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True, scope="session")
def _isolated_settings(tmp_path_factory):
    base = tmp_path_factory.mktemp("user")
    os.environ["MPP_PLANNER_CONFIG_DIR"] = str(base / "config")
    os.environ["MPP_PLANNER_DATA_DIR"] = str(base / "data")
    os.environ["MPP_PLANNER_LANG"] = "en"  # tests read English messages unless they ask for Indonesian
    from mpp_planner.i18n import set_language

    set_language("en")
    yield


@pytest.fixture(autouse=True)
def _isolated_logs(monkeypatch, tmp_path_factory):
    """Logs go to a temporary folder, never the real home; the error hooks a command or the GUI
    installs (sys.excepthook, threading.excepthook) are put back after each test."""
    for name in ("XDG_STATE_HOME", "LOCALAPPDATA"):
        monkeypatch.setenv(name, str(tmp_path_factory.getbasetemp() / "state"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)


@pytest.fixture(scope="session")
def demo_master(tmp_path_factory):
    from mpp_planner.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.mpplan"
    build_demo(path)
    return path


@pytest.fixture
def demo_file(demo_master, tmp_path):
    """A fresh copy of the demo project for one test."""
    dest = tmp_path / "demo.mpplan"
    shutil.copy2(demo_master, dest)
    return dest


@pytest.fixture
def demo_project(demo_file):
    from mpp_planner.project import Project

    project = Project.open(demo_file)
    yield project
    project.close()


@pytest.fixture
def empty_project(tmp_path):
    from mpp_planner.project import Project

    project = Project.create(tmp_path / "empty.mpplan", site_name="MPP Uji")
    yield project
    project.close()


def reopen(project):
    """Close ``project`` and open its file again: what is on disk, not what is in memory."""
    from mpp_planner.project import Project

    path = project.path
    project.close()
    return Project.open(path)
