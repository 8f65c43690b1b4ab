"""Driving the plan editor like a user: mouse events in plan coordinates (mm) on the viewport."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from mpp_planner.model import Floor, ItemType, Room
from mpp_planner.project import Project
from mpp_planner.qt.main_window import MainWindow
from tests.helpers import rect


def build_plan(path):
    """A floor with a lobby 10 x 8 m holding a 2 x 2 m desk room, a service hall 6 x 8 m to its
    right, and a chair in the catalog."""
    project = Project.create(path, site_name="MPP Uji")
    with project.edit() as s:
        floor = Floor(name="Lantai 1", order=1)
        floor.rooms.append(Room(name="Lobi", kind="waiting_area", outline=rect(0, 0, 10000, 8000)))
        floor.rooms.append(Room(name="Meja Info", kind="information_desk", outline=rect(1000, 1000, 2000, 2000)))
        floor.rooms.append(Room(name="Ruang Layanan", kind="counter_hall", outline=rect(10000, 0, 6000, 8000)))
        s.add(floor)
        s.add(ItemType(key="kursi", name="Kursi Tunggu", category="Ruang Tunggu", unit="unit", ref_price=Decimal(1),
                       account_code="5.2.02.05.02.0001", width=500, depth=500, seats=1))
        s.add(ItemType(key="ac", name="AC Split 1,5 PK", category="Elektronik", unit="unit", ref_price=Decimal(1),
                       account_code="5.2.02.05.02.0001", width=900, depth=300))
    project.close()
    return path


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
