"""What a screen reader and a keyboard user meet: every tool button of every tab has a name and a tool tip
(with its shortcut), the plan, the tables and the filter boxes have names, Ctrl+Tab walks the main tabs, and
keyboard focus can always be seen."""

import pytest
import shiboken6
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QLineEdit, QPushButton, QTableWidget, QToolBar,
                               QToolButton, QVBoxLayout, QWidget)

from mpp_planner.qt import a11y
from mpp_planner.qt.main_window import TAB_KEYS


@pytest.fixture
def window(demo_window, qtbot):
    """The demo's main window with every tab built, the active window (keys and focus go to it)."""
    demo_window.build_all_tabs()
    activate(qtbot, demo_window)
    return demo_window


def activate(qtbot, window) -> None:
    """Make ``window`` the active window; another top-level window left by an earlier test (a help or server
    window) may take the activation first, so ask again before giving up."""
    for _attempt in range(3):
        window.raise_()
        window.activateWindow()
        try:
            qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
            return
        except Exception:  # noqa: BLE001 - pytest-qt's TimeoutError: ask again
            QApplication.processEvents()
    QApplication.setActiveWindow(window)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def give_focus(qtbot, widget) -> None:
    """Focus ``widget`` as a click would: its window active first (keys and focus go to the active window)."""
    window = widget.window()
    activate(qtbot, window)
    widget.setFocus(Qt.OtherFocusReason)
    qtbot.waitUntil(widget.hasFocus)


def toolbar_buttons(tab):
    return [b for bar in tab.findChildren(QToolBar) for b in bar.findChildren(QToolButton)
            if b.isVisibleTo(bar) or b.defaultAction() is not None]


def test_every_tool_button_of_every_tab_has_a_name_and_a_tool_tip(window):
    checked = 0
    for key in TAB_KEYS:
        tab = window.tab_widgets[key]
        for button in toolbar_buttons(tab):
            act = button.defaultAction()
            if act is not None and act.isSeparator():
                continue
            said = f"{key}: {button.text()!r} {button.objectName()}"
            assert button.accessibleName() or button.text().strip(), said
            assert (act.toolTip() if act is not None else button.toolTip()), said
            checked += 1
        for bar in tab.findChildren(QToolBar):
            for act in bar.actions():
                if not act.isSeparator() and bar.widgetForAction(act) is not None and act.text():
                    assert act.toolTip(), f"{key}: {act.text()}"
    assert checked > 40


def test_tool_tips_carry_the_shortcut(window):
    plan = window.tab_widgets["plan"]
    assert plan.tool_actions["wall"].toolTip() == "Wall (W)"
    assert plan.act_zoom_in.toolTip() == "Zoom in (Ctrl++)"
    assert plan.act_fit.toolTip() == "Fit to view (Ctrl+0)"
    agencies = window.tab_widgets["agencies"]
    assert agencies.act_delete.toolTip() == "Delete (Del)"
    # a button showing a sign, not words, is named after its tool tip
    add_floor = next(b for b in plan.findChildren(QToolButton) if b.text() == "+")
    assert add_floor.accessibleName() == "Add a floor"


def test_the_plan_tables_and_filter_boxes_have_names(window, qtbot):
    plan = window.tab_widgets["plan"]
    assert plan.view.accessibleName() == "Floor plan of Lantai 1"
    assert "Tab and Shift+Tab pick the next" in plan.view.accessibleDescription()
    plan.floor_bar.setCurrentIndex(1)
    assert plan.view.accessibleName() == "Floor plan of Lantai 2"
    assert plan.floor_bar.accessibleName() == "Floors"
    for key in TAB_KEYS:
        tab = window.tab_widgets[key]
        for view in tab.findChildren(QAbstractItemView):
            if a11y.is_control(view):
                assert view.accessibleName(), f"{key}: {type(view).__name__} {view.objectName()}"
        for edit in tab.findChildren(QLineEdit):
            if a11y.is_control(edit):
                assert edit.accessibleName(), f"{key}: line edit {edit.placeholderText()!r}"
    agencies, inventory = window.tab_widgets["agencies"], window.tab_widgets["inventory"]
    assert agencies.view.accessibleName() == "Agency register"
    assert agencies.search.accessibleName() == "Search agencies"
    assert agencies.tier_filter.accessibleName() == "Tier"  # from the label before it, now its buddy
    assert inventory.items_filter.accessibleName() == "Filter inventory"
    assert inventory.items_view.accessibleName() == "Inventory (KIR)"
    assert inventory.condition_filter.accessibleName() == "Condition"
    budget = window.tab_widgets["budget"]
    assert budget.view.accessibleName() == "Budget lines"
    assert budget.form.accessibleName() == "Form"
    assert budget.form.accessibleDescription() == "The form that Print, Print preview and Export make"
    survey = window.tab_widgets["survey"]
    assert survey.results.nrr_table.accessibleName() == "NRR per unsur"
    assessment = window.tab_widgets["assessment"]
    qtbot.waitUntil(lambda: bool(assessment.aspect_tables))
    assert all(t.accessibleName() for t in assessment.aspect_tables.values())


def test_the_plan_renamed_floor_is_told_when_the_plan_gets_the_focus(window, qtbot, monkeypatch):
    plan = window.tab_widgets["plan"]
    monkeypatch.setattr(plan.editor, "ask_text", lambda *a: "Lantai Dasar")
    give_focus(qtbot, plan.floor_bar)
    assert plan.rename_floor()
    give_focus(qtbot, plan.view)
    assert plan.view.accessibleName() == "Floor plan of Lantai Dasar"


def test_ctrl_tab_walks_the_main_tabs_and_wraps(window, qtbot):
    tabs = window.tabs

    def press(key, modifiers=Qt.ControlModifier) -> str:
        """``key`` pressed where the keyboard focus is (the window active, as under the user's hands)."""
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        QTest.keyClick(QApplication.focusWidget() or window, key, modifiers)
        return TAB_KEYS[tabs.currentIndex()]

    window.show_tab("plan")
    give_focus(qtbot, window.tab_widgets["plan"].view)
    assert [press(Qt.Key_Tab) for _step in TAB_KEYS] == list(TAB_KEYS[1:]) + ["plan"]
    assert press(Qt.Key_Backtab, Qt.ControlModifier | Qt.ShiftModifier) == "assessment"
    assert press(Qt.Key_PageUp) == "survey"
    assert press(Qt.Key_PageDown) == "assessment"
    # from a table inside a tab that has tabs of its own, too
    window.show_tab("agencies")
    give_focus(qtbot, window.tab_widgets["agencies"].view)
    assert press(Qt.Key_Tab) == "inventory"
    give_focus(qtbot, window.tab_widgets["inventory"].items_view)
    assert press(Qt.Key_Tab) == "budget"


# --- the focus ring ---------------------------------------------------------------------------------
def highlight_pixels(image: QImage, colour: QColor) -> int:
    rgb = colour.rgb()
    return sum(1 for x in range(image.width()) for y in range(image.height()) if image.pixel(x, y) == rgb)


@pytest.fixture
def form(qtbot):
    """A label, a button, a line edit, a combo box and a table in a window in the Windows style (whose focus
    rectangle shows only after a key press, dotted); the focus on the label."""
    from PySide6.QtWidgets import QComboBox, QLabel, QStyleFactory

    style = QStyleFactory.create("Windows")
    w = QWidget()
    w.setStyle(style)
    layout = QVBoxLayout(w)
    w.label = QLabel("Isian")
    w.label.setFocusPolicy(Qt.StrongFocus)
    w.button, w.edit, w.combo, w.table = QPushButton("Simpan"), QLineEdit("teks"), QComboBox(), QTableWidget(3, 2)
    w.combo.setEditable(True)
    for child in (w.label, w.button, w.edit, w.combo, w.table):
        child.setStyle(style)
        layout.addWidget(child)
    w.resize(300, 360)
    qtbot.addWidget(w)
    w.show()
    give_focus(qtbot, w.label)
    return w


def ring_gain(qtbot, w, part) -> int:
    """How many more pixels of the highlight colour the window shows round ``part`` with the focus there."""
    widget = getattr(w, part)
    colour = a11y.focus_colour(widget)
    around = widget.geometry().adjusted(-3, -3, 3, 3)
    give_focus(qtbot, w.label)
    before = highlight_pixels(w.grab(around).toImage(), colour)
    give_focus(qtbot, widget.lineEdit() if part == "combo" else widget)
    return highlight_pixels(w.grab(around).toImage(), colour) - before


@pytest.fixture
def ring(qapp):
    ring = a11y.install_focus_ring(qapp)
    assert a11y.install_focus_ring(qapp) is ring  # once
    return ring


@pytest.mark.parametrize("part", ["button", "edit", "combo", "table"])
def test_a_focused_control_shows_a_ring(form, qtbot, ring, part):
    widget = getattr(w := form, part)
    assert ring_gain(qtbot, w, part) >= widget.width() + widget.height()  # at least half a ring's worth
    give_focus(qtbot, w.label)
    assert not ring.frame.isVisible()  # nothing round a label


def test_without_the_ring_the_windows_style_shows_little_focus(form, qtbot, qapp):
    ring = a11y.install_focus_ring(qapp)
    qapp.focusChanged.disconnect(ring.follow)
    try:
        if ring.frame is not None and shiboken6.isValid(ring.frame):
            ring.frame.setWidget(None)
        assert ring_gain(qtbot, form, "button") < form.button.width()  # what the ring is for
    finally:
        qapp.focusChanged.connect(ring.follow)


def test_the_plan_draws_a_ring_while_it_has_the_focus(window, qtbot):
    view = window.tab_widgets["plan"].view
    colour = a11y.focus_colour(view)
    give_focus(qtbot, window.tab_widgets["plan"].floor_bar)
    before = highlight_pixels(view.viewport().grab().toImage(), colour)
    give_focus(qtbot, view)
    after = highlight_pixels(view.viewport().grab().toImage(), colour)
    assert after - before >= view.viewport().width()


def test_the_plan_ring_stays_at_the_edge_when_the_plan_scrolls(window, qtbot):
    """Scrolling moves the pixels on screen, the ring with them: it is painted again at the edge."""
    view = window.tab_widgets["plan"].view
    colour = a11y.focus_colour(view)
    give_focus(qtbot, view)
    view.scale(4, 4)  # room to scroll
    QApplication.processEvents()

    def on_screen() -> QImage:  # what the window shows (not painted afresh as grab() would)
        shot = window.screen().grabWindow(window.winId()).toImage()
        return shot.copy(view.viewport().rect().translated(view.viewport().mapTo(window, QPoint(0, 0))))

    ringed = highlight_pixels(on_screen(), colour)
    for _step in range(3):
        view.horizontalScrollBar().setValue(view.horizontalScrollBar().value() + 37)
        view.verticalScrollBar().setValue(view.verticalScrollBar().value() + 23)
        QApplication.processEvents()
    shown = on_screen()
    inside = shown.copy(shown.rect().adjusted(8, 8, -8, -8))
    assert ringed >= view.viewport().width()
    assert highlight_pixels(inside, colour) < view.viewport().width() // 4  # no ring dragged inwards
