"""Screen readers and keyboards: accessible names and descriptions for the controls of a tab, tool tips with
their shortcut on tool buttons, and a focus ring that can always be seen.

:func:`name_controls` runs once per tab when the tab is built (the main window calls it). It names what has
no name of its own from what a sighted user reads next to it: a tool button from its action's text, a field
from the label before it (which becomes the label's buddy), a filter box from its placeholder, a table from
the group box or page around it. :data:`EXPLICIT` names the controls whose surroundings say too little.
Every tool button gets a tool tip with its shortcut, e.g. "Wall (W)".

:func:`install_focus_ring` draws a ring in the highlight colour round the button, field, list or table that has
the keyboard focus (the plan draws its own, ``qt/plan/view.py``): Windows hides its dotted focus rectangle
until a key has been pressed, and Fusion's is faint.
"""

from __future__ import annotations

import re
from typing import cast

import shiboken6
from PySide6.QtCore import QObject, QRectF
from PySide6.QtGui import QAction, QColor, QKeySequence, QPainter, QPen, Qt, QTextDocumentFragment
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QApplication, QBoxLayout,
                               QComboBox, QDockWidget, QFocusFrame, QGraphicsView, QGridLayout, QGroupBox, QHeaderView,
                               QLabel, QLayout, QLineEdit, QPlainTextEdit, QTabBar, QTabWidget, QTextEdit, QToolBar,
                               QToolButton, QWidget)

from mpp_planner.i18n import N_, _

#: controls whose surroundings say too little, named by hand: tab class -> attribute path -> (name, description),
#: in English (translated when set); the others are named by :func:`name_controls` from what is around them
EXPLICIT: dict[str, dict[str, tuple[str, str]]] = {
    "PlanTab": {
        "floor_bar": (N_("Floors"), N_("Double-click a floor to rename it; drag a floor to reorder.")),
        "palette.tree": (N_("Catalog"), N_("Choose an item, then click on the plan to place it.")),
    },
    "AgencyTab": {
        "view": (N_("Agency register"), N_("Drag an agency onto a counter on the plan to assign it.")),
    },
    "InventoryTab": {
        "items_view": (N_("Inventory (KIR)"), N_("F2 or typing edits a cell; Delete removes the selected rows.")),
        "needs_view": (N_("Needs and gaps"), N_("F2 or typing edits a cell; Delete removes the selected rows.")),
        "condition_filter": (N_("Condition"), N_("Show the inventory rows in this condition only")),
    },
    "BudgetTab": {
        "view": (N_("Budget lines"), N_("F2 or typing edits a cell; Delete removes the selected lines.")),
        "priority_table": (N_("Totals per priority"), ""),
        "room_table": (N_("Totals per location"), ""),
    },
    "SurveyTab": {
        "view": (N_("Survey forms"), N_("1–4 per unsur, 0 or Space for no answer; Enter saves the form.")),
        "results.nrr_table": (N_("NRR per unsur"), ""),
        "results.group_table": (N_("IKM per group"), ""),
    },
}

#: what can be typed in, chosen or read as a list: these need a name
INPUTS = (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QPlainTextEdit, QTextEdit)
_MNEMONIC = re.compile(r"&(&?)")


def plain(text: str) -> str:
    """A label's words as a name: no "&" mnemonic ("&&" stays "&"), no markup, no trailing "…" or ":"."""
    if Qt.mightBeRichText(text):
        text = QTextDocumentFragment.fromHtml(text).toPlainText()
    text = _MNEMONIC.sub(lambda m: m.group(1), text)
    text = " ".join(text.split())
    for end in ("…", "...", ":"):
        text = text.removesuffix(end).rstrip()
    return text


def shortcut_text(act: QAction) -> str:
    keys = act.shortcut()
    return keys.toString(QKeySequence.SequenceFormat.NativeText) if not keys.isEmpty() else ""


def action_tip(act: QAction) -> str:
    """The tool tip of a tool button's action: what it says (or its text), then its shortcut: "Zoom in (Ctrl++)"."""
    tip = act.toolTip() or plain(act.text())
    keys = shortcut_text(act)
    if keys and f"({keys})" not in tip:
        tip = f"{tip} ({keys})"
    return tip


def _has_words(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


# --- names ------------------------------------------------------------------------------------
def name_controls(root: QWidget) -> None:
    """Give every control under ``root`` that a screen reader meets a name (and a description where its tool tip
    says more), and every tool button a tool tip; names already set are kept."""
    _name_explicit(root)
    for label, field in _label_pairs(root):
        if label.buddy() is None:
            label.setBuddy(field)
    labels = {id(label.buddy()): label for label in root.findChildren(QLabel) if label.buddy() is not None}
    for button in root.findChildren(QToolButton):
        _name_tool_button(button)
    for other in root.findChildren(QAbstractButton):
        if not isinstance(other, QToolButton) and not other.accessibleName() and not _has_words(other.text()):
            _set_name(other, plain(other.toolTip()))
    for widget in root.findChildren(QWidget):
        if not is_control(widget):
            continue
        if not widget.accessibleName():
            label = labels.get(id(widget))
            _set_name(widget, field_name(widget, plain(label.text()) if label is not None else ""))
        tip = plain(widget.toolTip())
        if tip and tip != widget.accessibleName() and not widget.accessibleDescription():
            widget.setAccessibleDescription(tip)


def is_control(widget: QWidget) -> bool:
    """A field, list or table of its own (not a table's header, the line edit inside a combo or spin box, nor
    the list of a combo's pop-up)."""
    if not isinstance(widget, INPUTS) or isinstance(widget, QHeaderView):
        return False
    parent = widget.parentWidget()
    if isinstance(widget, QLineEdit) and isinstance(parent, QComboBox | QAbstractSpinBox):
        return False
    while parent is not None:
        if isinstance(parent, QComboBox):
            return False
        parent = parent.parentWidget()
    return True


def _set_name(widget: QWidget, name: str) -> None:
    if name:
        widget.setAccessibleName(name)


def _name_explicit(root: QWidget) -> None:
    for path, (name, description) in EXPLICIT.get(type(root).__name__, {}).items():
        widget: object = root
        for part in path.split("."):
            widget = getattr(widget, part, None)
        if isinstance(widget, QWidget):
            widget.setAccessibleName(_(name))
            if description:
                widget.setAccessibleDescription(_(description))


def _name_tool_button(button: QToolButton) -> None:
    act = button.defaultAction()
    if act is not None and not act.isSeparator():
        if not act.text() and not act.toolTip() and isinstance(button.parentWidget(), QLineEdit):
            act.setToolTip(_("Clear the field"))  # the clear button of a search or filter box
        said = plain(act.toolTip())  # what the tip says; a screen reader tells the shortcut apart
        keys = shortcut_text(act)
        if keys:
            said = said.removesuffix(f"({keys})").rstrip()
        tip = action_tip(act)
        if act.toolTip() != tip:
            act.setToolTip(tip)
        text = plain(act.text())
        if not _has_words(button.text()) and not button.accessibleName():
            _set_name(button, text or said)
        if said and said != plain(button.accessibleName() or text) and not button.accessibleDescription():
            button.setAccessibleDescription(said)
        return
    if button.objectName() == "qt_toolbar_ext_button":  # the arrow a tool bar shows when its buttons do not fit
        button.setToolTip(button.toolTip() or _("More tools"))
    if not button.toolTip():
        button.setToolTip(plain(button.text()) or plain(button.accessibleName()))
    if not button.accessibleName() and not _has_words(button.text()):
        _set_name(button, plain(button.toolTip()))
    said = plain(button.toolTip())
    if said and said != plain(button.accessibleName() or button.text()) and not button.accessibleDescription():
        button.setAccessibleDescription(said)


def field_name(widget: QWidget, label: str = "") -> str:
    """A name for a field, list or table: its ``label`` (a placeholder that says more, "Search agencies…" after
    "Search:", wins), else its placeholder, the group box, dock or page holding it alone, else its tool tip."""
    placeholder = plain(widget.placeholderText()) if isinstance(widget, QLineEdit) else ""
    if label and not placeholder.casefold().startswith(label.casefold()):
        return label
    if placeholder:
        return placeholder
    if isinstance(widget, QAbstractItemView):
        title = _container_title(widget)
        if title:
            return title
    return plain(widget.toolTip())


def _container_title(view: QAbstractItemView) -> str:
    """The title of the group box, dock or tab page that holds ``view`` as its only list or table."""
    parent = view.parentWidget()
    while parent is not None:
        if isinstance(parent, QGroupBox | QDockWidget) and _only_view(parent, view):
            return plain(parent.title() if isinstance(parent, QGroupBox) else parent.windowTitle())
        holder = parent.parentWidget()
        tabs = holder.parentWidget() if holder is not None else None
        if isinstance(tabs, QTabWidget) and tabs.indexOf(parent) >= 0 and _only_view(parent, view):
            return plain(tabs.tabText(tabs.indexOf(parent)))
        parent = holder
    return ""


def _only_view(container: QWidget, view: QAbstractItemView) -> bool:
    return [v for v in container.findChildren(QAbstractItemView) if is_control(v)] == [view]


def _label_pairs(root: QWidget):
    """(label, field) where a label ending with ":" stands just before a field, in a row, a grid or a tool bar."""
    for layout in root.findChildren(QLayout):
        items = [layout.itemAt(i) for i in range(layout.count())]
        widgets = [item.widget() if item is not None else None for item in items]
        if isinstance(layout, QBoxLayout):
            yield from _pair(widgets)
        elif isinstance(layout, QGridLayout):
            cells: dict[tuple[int, int], QWidget | None] = {}
            for i, widget in enumerate(widgets):
                row, col, _rows, _cols = cast(tuple[int, int, int, int], layout.getItemPosition(i))
                cells[(row, col)] = widget
            for (row, col), widget in cells.items():
                yield from _pair([widget, cells.get((row, col + 1))])
    for bar in root.findChildren(QToolBar):
        yield from _pair([bar.widgetForAction(act) for act in bar.actions()])


def _pair(row):
    for label, field in zip(row, row[1:]):
        if (isinstance(label, QLabel) and isinstance(field, INPUTS)
                and label.text().strip().endswith(":") and not label.text().strip().startswith("<")):
            yield label, field


# --- the focus ring -----------------------------------------------------------------------------
RING_WIDTH = 2
#: what gets the ring when it has the keyboard focus (the plan draws its own: ``qt/plan/view.py``)
RINGED = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QPlainTextEdit, QTextEdit,
          QTabBar)


def focus_colour(widget: QWidget | None = None) -> QColor:
    palette = widget.palette() if widget is not None else QApplication.palette()
    return palette.color(palette.ColorRole.Highlight)


def draw_focus_ring(painter: QPainter, rect, colour: QColor, width: int = RING_WIDTH) -> None:
    """A solid ring just inside ``rect``."""
    painter.save()
    pen = QPen(colour, width)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    half = width / 2
    painter.drawRect(QRectF(rect).adjusted(half, half, -half, -half))
    painter.restore()


def ring_target(widget: QWidget | None) -> QWidget | None:
    """The control to draw the ring round when ``widget`` has the focus: the combo or spin box round its line
    edit, the control itself, or none (the plan, labels, the window)."""
    if widget is None or isinstance(widget, QGraphicsView | QHeaderView):
        return None
    parent = widget.parentWidget()
    if isinstance(widget, QLineEdit) and isinstance(parent, QComboBox | QAbstractSpinBox):
        return parent
    return widget if isinstance(widget, RINGED) else None


class RingFrame(QFocusFrame):
    """Qt's focus frame (a widget above the control, letting the mouse through), painted as a ring of our own
    whatever the style: half outside the control, half over its edge (still seen where the control touches the
    edge of what holds it)."""

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        target = self.widget()
        if target is None:
            return
        margin = max(1, (self.width() - target.width()) // 2)
        painter = QPainter(self)
        draw_focus_ring(painter, self.rect(), focus_colour(target), 2 * margin)
        painter.end()


class FocusRing(QObject):
    """A ring in the highlight colour round the control that has the keyboard focus, in every window: Windows
    hides its dotted focus rectangle until a key has been pressed, and Fusion's is faint. One :class:`RingFrame`
    follows the focus (a widget of its own beside the control: nothing else is painted differently)."""

    def __init__(self, app: QApplication):
        super().__init__(app)
        self.frame: RingFrame | None = None
        app.focusChanged.connect(self.follow)
        self.follow(None, app.focusWidget())

    def follow(self, _old: QWidget | None, new: QWidget | None) -> None:
        target = ring_target(new)
        frame = self.frame
        if frame is None or not shiboken6.isValid(frame):  # went with the window it was last in
            if target is None:
                return
            frame = self.frame = RingFrame()
        frame.setWidget(target)  # type: ignore[arg-type]  # None (no control) hides it, as in C++


_ring: FocusRing | None = None


def install_focus_ring(app: QApplication) -> FocusRing:
    """Keyboard focus is always seen (once per application)."""
    global _ring
    if _ring is None or not shiboken6.isValid(_ring):
        _ring = FocusRing(app)
    return _ring


__all__ = ["EXPLICIT", "FocusRing", "RingFrame", "action_tip", "draw_focus_ring", "field_name", "install_focus_ring",
           "name_controls", "plain"]
