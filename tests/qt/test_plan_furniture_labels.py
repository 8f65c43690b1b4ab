"""View ▸ Furniture names: names drawn on furniture or not, on every floor, remembered."""

from __future__ import annotations

from PySide6.QtGui import QImage, QPainter

from mpp_planner import settings
from mpp_planner.qt.plan.items import FurnitureItem
from mpp_planner.qt.plan.tab import FURNITURE_LABELS
from tests.qt.plan_helpers import open_window


def render(view) -> QImage:
    image = QImage(view.viewport().size(), QImage.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    view.render(painter)
    painter.end()
    return image


def test_furniture_names_switch_off_on_every_floor_and_stay_off(qtbot, demo_file):
    window = open_window(qtbot, demo_file)
    try:
        tab = window.tab_widgets["plan"]
        assert tab.act_labels.isChecked() and FurnitureItem.labels_shown
        assert tab.act_labels in window.menu_view.actions()  # View ▸ Furniture names
        chair = next(i for i in tab.view.scene().items() if isinstance(i, FurnitureItem) and i._label)
        tab.view.resetTransform()
        tab.view.scale(0.4, 0.4)  # close enough for a name to fit
        tab.view.centerOn(chair)
        with_names = render(tab.view)
        tab.act_labels.trigger()
        assert not FurnitureItem.labels_shown and settings.load()[FURNITURE_LABELS] is False
        without = render(tab.view)
        assert with_names != without  # the names were drawn and now are not
        tab.show_floor(tab.floor_ids[1])  # another floor's scene follows the switch too
        assert not FurnitureItem.labels_shown
    finally:
        window.close()
    again = open_window(qtbot, demo_file)
    try:
        assert not again.tab_widgets["plan"].act_labels.isChecked()
        again.tab_widgets["plan"].act_labels.trigger()
        assert FurnitureItem.labels_shown and settings.load()[FURNITURE_LABELS] is True
    finally:
        again.close()
