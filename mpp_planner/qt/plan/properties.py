"""The properties panel: typed values of the selection in real units (m, mm, degrees).

With several objects selected it shows the fields they share; a field whose values differ
is empty and says so. Each finished edit is one command; a refused value shows the model's
message and the field goes back to what is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QScrollArea,
                               QVBoxLayout, QWidget)

from mpp_planner.commands.plan import SetProperties, resized_outline, shifted_fields
from mpp_planner.commands.snap import Box
from mpp_planner.formats import area as fmt_area
from mpp_planner.i18n import N_, _, current_language
from mpp_planner.model import ValidationError, geometry
from mpp_planner.model.inventory import Condition
from mpp_planner.model.plan import RoomKind
from mpp_planner.reads.plan import plan_objects

BOXES = ("counter", "item")


def sub_kind(ref, obj) -> str:
    """room, counter, item, text or dimension."""
    return obj.kind if ref[0] == "annotation" else ref[0]


def fmt_decimal(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    if decimals:
        text = text.rstrip("0").rstrip(".") if "." in text else text
    return text.replace(".", ",") if current_language() == "id" else text


def parse_decimal(text: str, label: str) -> float:
    """"12,5" or "12.5" (a decimal comma or point)."""
    cleaned = text.strip().replace(" ", "")
    if "," in cleaned and "." in cleaned:  # 1.234,5 or 1,234.5: the last one is the decimal mark
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    else:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValidationError("value", _("{field} must be a number.").format(field=label)) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValidationError("value", _("{field} must be a number.").format(field=label))
    return value


def parse_whole(text: str, label: str) -> int:
    """Whole millimetres or counts: dots, commas and spaces are digit grouping (1.800 = 1800)."""
    cleaned = text.strip().replace(" ", "").replace(".", "").replace(",", "")
    try:
        return int(cleaned)
    except ValueError:
        raise ValidationError("value", _("{field} must be a whole number.").format(field=label)) from None


@dataclass
class Field:
    key: str
    label: str  # N_() marked; translated when shown
    kinds: tuple[str, ...]
    get: Callable[[str, Any], Any]
    set: Callable[[str, Any, Any], dict] | None = None  # None: read-only
    unit: str = ""  # "m", "mm", "°", "m²" or "" (text / a count)
    type: str = "text"  # text, metres, mm, angle, int, choice, readonly
    choices: Callable[[], list[tuple[str, str]]] | None = None
    single: bool = False  # a name or label: shown for one object only, never set on several at once


def _box_left(kind, obj) -> float:
    return Box.around(obj.outline).left


def _box_top(kind, obj) -> float:
    return Box.around(obj.outline).top


def _get_x(kind, obj):
    return {"room": lambda: _box_left(kind, obj), "counter": lambda: obj.x, "item": lambda: obj.x}.get(
        kind, lambda: obj.x1)()


def _get_y(kind, obj):
    return {"room": lambda: _box_top(kind, obj), "counter": lambda: obj.y, "item": lambda: obj.y}.get(
        kind, lambda: obj.y1)()


def _set_x(kind, obj, value):
    dx = value - _get_x(kind, obj)
    return shifted_fields("annotation" if kind in ("text", "dimension") else kind, obj, round(dx), 0)


def _set_y(kind, obj, value):
    dy = value - _get_y(kind, obj)
    return shifted_fields("annotation" if kind in ("text", "dimension") else kind, obj, 0, round(dy))


def _room_size(obj) -> Box:
    return Box.around(obj.outline)


def _room_resized(obj, width: float, height: float) -> dict:
    if width <= 0 or height <= 0:
        raise ValidationError("outline", _("A room's width and depth must be more than 0 m."))
    return {"outline": resized_outline(obj.outline, width, height)}


FIELDS = [
    Field("name", N_("Name"), ("room",), lambda k, o: o.name, lambda k, o, v: {"name": v}, single=True),
    Field("room_kind", N_("Kind"), ("room",), lambda k, o: o.kind, lambda k, o, v: {"kind": v}, type="choice",
          choices=lambda: [(k.value, k.label) for k in RoomKind]),
    Field("label", N_("Label"), ("counter",), lambda k, o: o.label, lambda k, o, v: {"label": v}, single=True),
    Field("staff", N_("Staff"), ("counter",), lambda k, o: o.staff_count, lambda k, o, v: {"staff_count": v},
          type="int", unit=N_("people")),
    Field("agencies", N_("Agencies"), ("counter",),
          lambda k, o: " / ".join(a.short_name for a in o.agencies) or "—", type="readonly"),
    Field("item_type", N_("Item"), ("item",), lambda k, o: o.item_type.name, type="readonly"),
    Field("in_room", N_("In room"), ("item",), lambda k, o: o.room.name if o.room else "—", type="readonly"),
    Field("condition", N_("Condition"), ("item",), lambda k, o: o.condition, lambda k, o, v: {"condition": v},
          type="choice", choices=lambda: [(c.value, c.label) for c in Condition]),
    Field("text", N_("Text"), ("text",), lambda k, o: o.text, lambda k, o, v: {"text": v}, single=True),
    Field("font", N_("Text height"), ("text",), lambda k, o: o.font_size, lambda k, o, v: {"font_size": v},
          type="mm", unit="mm"),
    Field("x", N_("X"), ("room", "counter", "item", "text", "dimension"), _get_x, _set_x, type="metres", unit="m"),
    Field("y", N_("Y"), ("room", "counter", "item", "text", "dimension"), _get_y, _set_y, type="metres", unit="m"),
    Field("width", N_("Width"), BOXES, lambda k, o: o.width if k == "counter" else o.plan_width,
          lambda k, o, v: {"width": v}, type="mm", unit="mm"),
    Field("depth", N_("Depth"), BOXES, lambda k, o: o.depth if k == "counter" else o.plan_depth,
          lambda k, o, v: {"depth": v}, type="mm", unit="mm"),
    Field("rotation", N_("Rotation"), BOXES, lambda k, o: o.rotation, lambda k, o, v: {"rotation": v},
          type="angle", unit="°"),
    Field("room_width", N_("Width"), ("room",), lambda k, o: _room_size(o).width,
          lambda k, o, v: _room_resized(o, v, _room_size(o).height), type="metres", unit="m"),
    Field("room_height", N_("Depth"), ("room",), lambda k, o: _room_size(o).height,
          lambda k, o, v: _room_resized(o, _room_size(o).width, v), type="metres", unit="m"),
    Field("area", N_("Area"), ("room",), lambda k, o: fmt_area(o.area_m2), type="readonly"),
    Field("length", N_("Length"), ("dimension",),
          lambda k, o: fmt_decimal(geometry.distance((o.x1, o.y1), (o.x2, o.y2)) / 1000, 2) + " m", type="readonly"),
]


class PropertiesPanel(QWidget):
    """Shows and edits the selected objects' fields; pushes one command per finished edit."""

    refused = Signal(str)

    def __init__(self, editor, parent=None):
        super().__init__(parent)
        self.editor = editor
        self.refs: list = []
        self.objs: dict = {}
        self.widgets: dict[str, QWidget] = {}
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold;")
        self.title.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #C0392B;")
        self.error.hide()
        self.form_host = QWidget()
        self.form = QFormLayout(self.form_host)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setWidget(self.form_host)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        self.set_selection([])

    # --- which fields -----------------------------------------------------------------
    def set_selection(self, refs) -> None:
        self.refs = list(refs)
        self.error.hide()
        self.refresh()

    def refresh(self) -> None:
        """Show the selection's values; when the same fields are shown, update them in place
        (a field being edited keeps its focus)."""
        self.objs = plan_objects(self.editor.project, self.refs) if self.refs else {}
        self.refs = [r for r in self.refs if r in self.objs]
        rows = []
        if self.refs:
            kinds = {sub_kind(ref, obj) for ref, obj in self.objs.items()}
            for f in FIELDS:
                if kinds <= set(f.kinds) and not (f.single and len(self.refs) > 1):
                    values = [f.get(sub_kind(ref, obj), obj) for ref, obj in self.objs.items()]
                    same = all(v == values[0] for v in values)
                    rows.append((f, values[0] if same else None, same))
        if len(self.refs) == 1:
            (ref, obj), = self.objs.items()
            self.title.setText(self._title_one(ref, obj))
        elif self.refs:
            from mpp_planner.commands.plan import describe

            text = _("{what} selected").format(what=describe(self.refs))
            self.title.setText(text[:1].upper() + text[1:])
        else:
            self.title.setText(_("Nothing selected"))
        if [f.key for f, _v, _s in rows] == list(self.widgets) and rows:
            for f, value, same in rows:
                self._set_value(f, self.widgets[f.key], value, same)
            return
        while self.form.rowCount():
            self.form.removeRow(0)
        self.widgets = {}
        if not rows:
            hint = QLabel(_("Select a room, counter, item or label on the plan to see and change its values."))
            hint.setWordWrap(True)
            hint.setStyleSheet("color: #6C7A89;")
            self.form.addRow(hint)
            return
        for f, value, same in rows:
            self._add_row(f, value, same)

    def _set_value(self, f: Field, w, value, same: bool) -> None:
        if f.type == "readonly":
            w.setText(str(value) if same else _("(several)"))
        elif f.type == "choice":
            w.blockSignals(True)
            several = 0 if w.count() and w.itemData(0) is None else -1
            if same:
                if several >= 0:
                    w.removeItem(0)
                w.setCurrentIndex(w.findData(value))
            else:
                if several < 0:
                    w.insertItem(0, _("(several)"), None)
                w.setCurrentIndex(0)
            w.blockSignals(False)
        else:
            w.setText(self._display(f, value) if same else "")
            w.setPlaceholderText("" if same else _("(several values)"))
            w.shown = w.text()

    def _title_one(self, ref, obj) -> str:
        kind = sub_kind(ref, obj)
        if kind == "room":
            return _("Room: {name}").format(name=obj.name)
        if kind == "counter":
            return _("Counter {label}").format(label=obj.label)
        if kind == "item":
            return obj.item_type.name
        return _("Text label") if kind == "text" else _("Dimension line")

    def _display(self, f: Field, value) -> str:
        if value is None:
            return ""
        if f.type == "metres":
            return fmt_decimal(value / 1000.0, 3)
        if f.type == "angle":
            return fmt_decimal(value, 1)
        return str(value)

    def _add_row(self, f: Field, value, same: bool) -> None:
        label = _(f.label)
        if f.type == "readonly":
            w = QLabel()
            self._set_value(f, w, value, same)
            w.setWordWrap(True)
            w.setTextInteractionFlags(Qt.TextSelectableByMouse)
            self.widgets[f.key] = w
            if f.key == "agencies":  # the counter's weekday schedule is edited in its own dialog
                row = QHBoxLayout()
                row.setSpacing(4)
                row.addWidget(w, 1)
                button = QPushButton(_("Schedule…"))
                button.setToolTip(_("Assign agencies to the selected counters, per weekday"))
                button.clicked.connect(self.edit_schedule)
                row.addWidget(button)
                self.form.addRow(label, row)
                return
            self.form.addRow(label, w)
            return
        if f.type == "choice":
            w = QComboBox()
            w.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            w.setMinimumContentsLength(8)
            for data, text in f.choices():
                w.addItem(text, data)
            self._set_value(f, w, value, same)
            w.activated.connect(lambda _i, f=f, w=w: self._commit_choice(f, w))
            self.form.addRow(label, w)
            self.widgets[f.key] = w
            return
        w = QLineEdit()
        w.setMinimumWidth(60)
        self._set_value(f, w, value, same)
        w.editingFinished.connect(lambda f=f, w=w: self._commit_text(f, w))
        self.widgets[f.key] = w
        if f.unit:
            row = QHBoxLayout()
            row.setSpacing(4)
            row.addWidget(w, 1)
            unit = QLabel(_(f.unit))
            unit.setMinimumWidth(24)
            row.addWidget(unit)
            self.form.addRow(label, row)
        else:
            self.form.addRow(label, w)

    # --- edits ------------------------------------------------------------------------
    def edit_schedule(self) -> bool:
        """Open the agencies' weekday schedule for the selected counter(s) (one undo step)."""
        window = self.window()
        tabs = getattr(window, "tab_widgets", None)
        counter_ids = [ref[1] for ref in self.refs if ref[0] == "counter"]
        if tabs is None or not counter_ids:
            return False
        agencies = tabs["agencies"]
        if len(counter_ids) == 1:
            return agencies.edit_counter_schedule(counter_ids[0])
        return agencies.assign_dialog(counter_ids)

    def _parse(self, f: Field, text: str):
        label = _(f.label)
        if f.type == "metres":
            return round(parse_decimal(text, label) * 1000)
        if f.type == "mm" or f.type == "int":
            return parse_whole(text, label)
        if f.type == "angle":
            return parse_decimal(text, label)
        return text

    def _commit_text(self, f: Field, w: QLineEdit) -> None:
        if w.text() == w.shown or not self.refs:
            return
        try:
            value = self._parse(f, w.text())
        except ValidationError as exc:
            self._refuse(exc.message)
            return
        self._commit(f, value)

    def _commit_choice(self, f: Field, w: QComboBox) -> None:
        value = w.currentData()
        if value is None:
            return
        self._commit(f, value)

    def _commit(self, f: Field, value) -> None:
        try:
            changes = {ref: f.set(sub_kind(ref, obj), obj, value) for ref, obj in self.objs.items()}
        except ValidationError as exc:
            self._refuse(exc.message)
            return
        changes = {ref: c for ref, c in changes.items() if c}
        if not changes:
            return
        if self.editor.push(SetProperties(changes)):
            self.error.hide()
        else:
            self.refresh()
            self.error.setText(self.editor.last_error)
            self.error.setVisible(bool(self.error.text()))

    def _refuse(self, message: str) -> None:
        self.editor.report(message)
        self.refresh()
        self.error.setText(message)
        self.error.show()
