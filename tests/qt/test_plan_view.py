"""The view: middle-button pan, Ctrl+wheel zoom at the cursor, fit, zoom to selection, rulers,
the context menu, and the legend toggle."""

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from mpp_planner.qt.plan.view import Ruler
from tests.qt.plan_helpers import at, click, plan_file, tab, window  # noqa: F401


def test_middle_button_pans(tab):
    view = tab.view
    before = view.mapToScene(view.viewport().rect().center())
    QTest.mousePress(view.viewport(), Qt.MiddleButton, Qt.NoModifier, at(view, 5000, 5000))
    from tests.qt.plan_helpers import move

    move(view, 5000, 8000, buttons=Qt.MiddleButton)
    QTest.mouseRelease(view.viewport(), Qt.MiddleButton, Qt.NoModifier, at(view, 5000, 8000))
    after = view.mapToScene(view.viewport().rect().center())
    assert after.y() < before.y() - 2000


def test_ctrl_wheel_zooms_at_the_cursor(tab):
    view = tab.view
    target = QPointF(12000, 3000)
    pos = QPointF(at(view, target.x(), target.y()))
    scale = view.current_scale()
    event = QWheelEvent(pos, QPointF(view.viewport().mapToGlobal(pos.toPoint())), QPoint(), QPoint(0, 120),
                        Qt.NoButton, Qt.ControlModifier, Qt.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), event)
    assert view.current_scale() > scale
    under = view.mapToScene(pos.toPoint())
    assert abs(under.x() - target.x()) < 60 and abs(under.y() - target.y()) < 60  # the point stays put


def test_fit_and_zoom_to_selection(tab):
    view = tab.view
    tab.act_fit.trigger()
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    assert shown.contains(tab.view.scene().content_rect())
    click(view, 2000, 2000)  # the desk room
    tab.act_zoom_sel.trigger()
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    assert shown.width() < 8000 and shown.contains(QPointF(2000, 2000))


def test_ruler_steps_are_round_metres():
    assert Ruler.step_for(0.02) == 5000  # 5 m apart at 0.02 px/mm
    assert Ruler.step_for(0.2) == 500
    assert Ruler.step_for(2.0) == 100


def test_context_menu_offers_the_main_actions(tab, window):
    click(tab.view, 2000, 2000)
    tab._context_menu(tab.view.mapToGlobal(QPoint(10, 10)), QPointF(2000, 2000))
    texts = [a.text() for a in tab.context.actions()]
    for text in ("Cu&t", "&Copy", "Paste Here", "D&uplicate", "&Delete", "A&lign", "Dist&ribute", "Select &All"):
        assert text in texts
    tab.context.close()


def test_colour_by_tier_and_legend(tab, window):
    tab.act_by_tier.trigger()
    assert tab.legend.mode == "tier" and tab.view.scene().colour_mode == "tier"
    tab.act_by_agency.trigger()
    assert tab.legend.mode == "agency"
