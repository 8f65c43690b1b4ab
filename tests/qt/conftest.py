"""Fixtures shared by the GUI tests."""

import pytest

from tests.qt.plan_helpers import open_window


@pytest.fixture
def demo_window(qtbot, demo_file):
    """The main window on a fresh copy of the demo, shown at 1400 x 900; closed afterwards."""
    w = open_window(qtbot, demo_file)
    yield w
    w.close()
