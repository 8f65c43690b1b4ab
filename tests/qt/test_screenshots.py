"""``mpp-planner FILE --screenshot`` renders every tab with real content."""

import subprocess
import sys

import pytest
from PySide6.QtGui import QImage


@pytest.mark.parametrize("tab", ["plan", "agencies", "inventory", "budget"])
def test_screenshot_each_tab(tmp_path, demo_file, tab):
    out = tmp_path / f"{tab}.png"
    result = subprocess.run([sys.executable, "-m", "mpp_planner", str(demo_file), "--screenshot", str(out),
                             "--tab", tab, "--lang", "en"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    img = QImage(str(out))
    assert (img.width(), img.height()) == (1400, 900)
    colours = {img.pixel(x, y) for x in range(0, 1400, 37) for y in range(0, 900, 29)}
    assert len(colours) > 12, "the window shows content, not a blank surface"
