"""Driving the plan editor like a user: mouse events in plan coordinates (mm) on the viewport."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from mpp_planner.project import Project
from mpp_planner.qt.main_window import MainWindow
from tests.helpers import add_plan


def build_plan(path):
    """The plan of ``tests.helpers.add_plan`` in a new project file."""
    project = Project.create(path, site_name="MPP Uji")
    add_plan(project)
    project.close()
    return path


@contextmanager
def reopened(window):
    """Close the window's project (as File ▸ Close does) and open its file again: what is on disk,
    not what is in memory."""
    path = window.project.path
    window.close_project()
    again = Project.open(path)
    try:
        yield again
    finally:
        again.close()


def open_window(qtbot, path) -> MainWindow:
    window = MainWindow(Project.open(path))
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    return window


def zoom(view, scale=0.05, centre=(8000, 6000)):
    """A known zoom (px per mm) so that clicks land where the test says."""
    view.resetTransform()
    view.scale(scale, scale)
    view.centerOn(QPointF(*centre))
    view._fitted = False


def at(view, x, y):
    return view.mapFromScene(QPointF(x, y))


def click(view, x, y, modifiers=Qt.NoModifier):
    QTest.mouseClick(view.viewport(), Qt.LeftButton, modifiers, at(view, x, y))


def press(view, x, y, modifiers=Qt.NoModifier):
    QTest.mousePress(view.viewport(), Qt.LeftButton, modifiers, at(view, x, y))


def release(view, x, y, modifiers=Qt.NoModifier):
    QTest.mouseRelease(view.viewport(), Qt.LeftButton, modifiers, at(view, x, y))


def move(view, x, y, buttons=Qt.LeftButton, modifiers=Qt.NoModifier):
    """A mouse move with the given buttons held and keys down (QTest cannot say which keys)."""
    pos = QPointF(at(view, x, y))
    event = QMouseEvent(QMouseEvent.MouseMove, pos, QPointF(view.viewport().mapToGlobal(pos.toPoint())),
                        Qt.NoButton, buttons, modifiers)
    QApplication.sendEvent(view.viewport(), event)


def drag(view, start, end, modifiers=Qt.NoModifier, steps=4):
    press(view, *start, modifiers)
    for i in range(1, steps + 1):
        move(view, start[0] + (end[0] - start[0]) * i / steps, start[1] + (end[1] - start[1]) * i / steps,
             modifiers=modifiers)
    release(view, *end, modifiers)


def double_click(view, x, y):
    QTest.mouseDClick(view.viewport(), Qt.LeftButton, Qt.NoModifier, at(view, x, y))


def key(view, k, modifiers=Qt.NoModifier):
    QTest.keyClick(view.viewport(), k, modifiers)


@pytest.fixture
def plan_file(tmp_path):
    return build_plan(tmp_path / "plan.mpplan")


@pytest.fixture
def window(qtbot, plan_file):
    w = open_window(qtbot, plan_file)
    yield w
    w.close()


@pytest.fixture
def tab(window):
    t = window.tab_widgets["plan"]
    zoom(t.view)
    return t
