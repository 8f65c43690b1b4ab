"""A scanned drawing under a floor: import, calibrate, origin, opacity, show/hide, remove,
and the refusals (not an image, too large, bad calibration) that change nothing."""

import struct
import zlib

import pytest
from PySide6.QtGui import QColor, QImage, QPainter

from mpp_planner.model import Floor, FloorBackground
from tests.qt.plan_helpers import reopened, click, plan_file, tab, window, zoom  # noqa: F401


def make_png(path, width=400, height=300):
    image = QImage(width, height, QImage.Format_RGB32)
    image.fill(QColor("#FFFFFF"))
    p = QPainter(image)
    p.setPen(QColor("#000000"))
    p.drawRect(10, 10, width - 20, height - 20)
    p.drawLine(10, height // 2, width - 10, height // 2)
    p.end()
    assert image.save(str(path), "PNG")
    return path


def fake_png(path, width, height):
    """A PNG file whose header claims a size (the pixels are not there)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))
    path.write_bytes(data)
    return path


@pytest.fixture
def imported(tab, window, tmp_path):
    png = make_png(tmp_path / "denah.png")
    assert tab.editor.import_background(png)
    return png


def background(window):
    return window.project.get(FloorBackground, window.project.all(Floor)[0].id)


def test_import_stores_the_file_and_shows_it_fitted_to_the_rooms(tab, window, imported):
    bg = background(window)
    assert bg.image == imported.read_bytes() and bg.image_format == "png"
    assert bg.mm_per_px == pytest.approx(16000 / 400)  # the rooms are 16 m wide
    assert (bg.origin_x, bg.origin_y, bg.opacity, bg.visible) == (0, 0, 0.5, True)
    item = tab.view.scene().background
    assert item is not None and item.isVisible() and item.opacity() == 0.5
    rect = item.plan_rect
    assert (rect.width(), rect.height()) == (16000, 12000)
    assert tab.act_bg_calibrate.isEnabled() and tab.act_bg_remove.isEnabled()
    assert window.undo_stack.undoText() == "Import background image"
    window.act_undo.trigger()
    assert background(window) is None and tab.view.scene().background is None
    assert not tab.act_bg_calibrate.isEnabled()
    window.act_redo.trigger()
    assert tab.view.scene().background is not None


def test_two_point_calibration(tab, window, imported, monkeypatch):
    view = tab.view
    zoom(view, 0.05, (8000, 6000))
    monkeypatch.setattr(tab.editor, "ask_distance", lambda: "8")
    tab.act_bg_calibrate.trigger()
    assert tab.editor.tool.key == "calibrate"
    click(view, 0, 0)
    click(view, 4000, 0)  # 100 px of the image apart; really 8 m
    bg = background(window)
    assert bg.mm_per_px == pytest.approx(80.0)
    assert (bg.origin_x, bg.origin_y) == (0, 0)  # the first point stays put
    assert tab.view.scene().background.plan_rect.width() == pytest.approx(32000)
    assert tab.editor.tool.key == "select"
    assert window.undo_stack.undoText() == "Calibrate background"
    window.act_undo.trigger()
    assert background(window).mm_per_px == pytest.approx(40.0)
    window.act_redo.trigger()
    with reopened(window) as again:
        assert again.all(FloorBackground)[0].mm_per_px == pytest.approx(80.0)


@pytest.mark.parametrize("second, answer, message", [
    ((1000, 1000), "5", "The two points are the same"),
    ((5000, 1000), "0", "more than 0 m"),
    ((5000, 1000), "-2", "more than 0 m"),
    ((5000, 1000), "delapan", "must be a number"),
])
def test_bad_calibration_is_refused(tab, window, imported, monkeypatch, second, answer, message):
    view = tab.view
    zoom(view, 0.05, (8000, 6000))
    n = window.undo_stack.count()
    monkeypatch.setattr(tab.editor, "ask_distance", lambda: answer)
    tab.act_bg_calibrate.trigger()
    click(view, 1000, 1000)
    click(view, *second)
    assert message in view.banner.text()
    assert background(window).mm_per_px == pytest.approx(40.0)
    assert window.undo_stack.count() == n


def test_calibration_cancelled_changes_nothing(tab, window, imported, monkeypatch):
    monkeypatch.setattr(tab.editor, "ask_distance", lambda: None)
    tab.act_bg_calibrate.trigger()
    click(tab.view, 1000, 1000)
    click(tab.view, 5000, 1000)
    assert background(window).mm_per_px == pytest.approx(40.0)


def test_origin_opacity_visibility_and_remove(tab, window, imported):
    view = tab.view
    tab.act_bg_origin.trigger()
    click(view, 2000, 1000)
    bg = background(window)
    assert (bg.origin_x, bg.origin_y) == (-2000, -1000)
    assert tab.view.scene().background.pos().x() == -2000
    n = window.undo_stack.count()
    for value in (40, 30, 20):
        tab.opacity.setValue(value)
    assert background(window).opacity == 0.2 and tab.view.scene().background.opacity() == pytest.approx(0.2)
    assert window.undo_stack.count() == n + 1  # one step for the slider run
    tab.act_bg_show.trigger()
    assert background(window).visible is False and not tab.view.scene().background.isVisible()
    tab.act_bg_remove.trigger()
    assert background(window) is None and tab.view.scene().background is None
    window.act_undo.trigger()
    assert background(window).visible is False
    window.act_undo.trigger()
    assert tab.view.scene().background.isVisible()
    window.act_undo.trigger()
    assert background(window).opacity == 0.5


def test_not_an_image_is_refused(tab, window, tmp_path):
    text = tmp_path / "denah.png"
    text.write_text("Denah lantai 1 (bukan gambar)")
    assert not tab.editor.import_background(text)
    assert "is not a PNG or JPEG image" in tab.view.banner.text()
    assert background(window) is None and window.undo_stack.count() == 0


def test_an_enormous_image_is_refused_before_decoding(tab, window, tmp_path):
    huge = fake_png(tmp_path / "scan.png", 30000, 30000)
    assert not tab.editor.import_background(huge)
    assert "too large (30,000 × 30,000 pixels)" in tab.view.banner.text()
    assert background(window) is None and window.undo_stack.count() == 0
    with reopened(window) as again:
        assert again.all(FloorBackground) == []


def test_calibrate_without_a_background_says_so(tab, window):
    tab.editor.set_tool("calibrate")
    click(tab.view, 1000, 1000)
    assert "no background image" in tab.view.banner.text()
