"""Fixtures shared by the GUI tests."""

import pytest

from tests.qt.plan_helpers import open_window


@pytest.fixture
def stack(qtbot, empty_project):
    """The undo stack of an empty project, over a widget for its boxes; disposed afterwards."""
    from PySide6.QtWidgets import QWidget

    from mpp_planner.qt.undo import UndoStack

    parent = QWidget()
    qtbot.addWidget(parent)
    stack = UndoStack(empty_project, parent)
    yield stack
    stack.dispose()


@pytest.fixture
def demo_window(qtbot, demo_file):
    """The main window on a fresh copy of the demo, shown at 1400 x 900; closed afterwards."""
    w = open_window(qtbot, demo_file)
    yield w
    w.close()


@pytest.fixture
def dialog_texts(qtbot, monkeypatch):
    """Message boxes are recorded (title, text) and answered at once instead of waiting for a click:
    ``dialog_texts`` is the list, newest last."""
    from PySide6.QtWidgets import QMessageBox

    seen: list[tuple[str, str]] = []

    def record(box, *args, **kwargs):
        seen.append((box.windowTitle(), box.text()))
        return QMessageBox.Ok

    def static(kind):
        def answer(parent, title, text, *args, **kwargs):
            seen.append((title, text))
            return QMessageBox.Ok
        return answer

    monkeypatch.setattr(QMessageBox, "exec", record)
    for kind in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(static(kind)))
    return seen
