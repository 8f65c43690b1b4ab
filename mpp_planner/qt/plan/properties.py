"""The properties panel: typed values of the selection in real units. Positions, sizes and lengths
are all in the unit chosen in Preferences (m, cm or mm), and typed values are read in it; angles in
degrees. A wall shows its thickness and length (typing a length moves its last point along its last
segment); a door or window its kind, width, place along the wall, hinge jamb and the side it opens to,
in words a manager reads off the plan as it is shown ("left jamb", "top side"). Walls and doors are edited
through their own commands, which keep doors on their walls.

With several objects selected it shows the fields they share; a field whose values differ
is empty and says so. Each finished edit is one command; a refused value shows the model's
message and the field goes back to what is saved; the message goes once a value is accepted.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QScrollArea,
                               QVBoxLayout, QWidget)

from mpp_planner import settings
from mpp_planner.commands.plan import SetProperties, resized_outline, shifted_fields
from mpp_planner.commands.plan.walls import EditOpenings, EditWalls
from mpp_planner.commands.snap import Box
from mpp_planner.formats import area as fmt_area
from mpp_planner.i18n import N_, _, current_language
from mpp_planner.model import ValidationError, geometry
from mpp_planner.model.inventory import Condition
from mpp_planner.model.plan import RoomKind
from mpp_planner.model.wall_geometry import point_at
from mpp_planner.model.walls import OpeningKind, wall_length
from mpp_planner.qt.preferences import preference_signals
from mpp_planner.reads.plan import plan_objects

BOXES = ("counter", "item")
LENGTHS = ("length", "mm", "metres")  # field types shown in the chosen unit ("mm", "metres": older names)


OPENING_SUB_KINDS = {"door": "door", "double_door": "double", "sliding_door": "sliding", "window": "window"}
OPENINGS = ("door", "double", "sliding", "window")


def sub_kind(ref, obj) -> str:
    """room, counter, item, text or dimension; wall or loop (a closed wall); door, double, sliding
    or window."""
    if ref[0] == "annotation":
        return obj.kind
    if ref[0] == "wall":
        return "loop" if obj.closed else "wall"
    if ref[0] == "opening":
        return OPENING_SUB_KINDS.get(obj.kind, "door")
    return ref[0]


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


MM_PER_UNIT = {"m": 1000, "cm": 10, "mm": 1}


def fmt_length(mm: float, unit: str) -> str:
    """A length or position in ``unit``: metres with 2 decimals (3 when there are millimetres),
    centimetres with 1 decimal when needed, whole millimetres; a decimal comma in Indonesian."""
    mm = round(mm)
    if unit == "mm":
        text = str(mm)
    elif unit == "cm":
        text = f"{mm / 10:.0f}" if mm % 10 == 0 else f"{mm / 10:.1f}"
    else:
        text = f"{mm / 1000:.2f}" if mm % 10 == 0 else f"{mm / 1000:.3f}"
    return text.replace(".", ",") if current_language() == "id" else text


def parse_length(text: str, label: str, unit: str) -> int:
    """Typed in ``unit``, as whole mm: "2,5" m or "2.5" m = 2500; in mm, "1.800" = 1800 (grouping)."""
    if unit == "mm":
        return parse_whole(text, label)
    return round(parse_decimal(text, label) * MM_PER_UNIT[unit])


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
    unit: str = ""  # "°", "people" or "" (text); a length shows the unit chosen in Preferences
    type: str = "text"  # text, length (mm in the model), angle, int, choice, readonly
    choices: Callable[[], list[tuple[str, str]]] | None = None
    single: bool = False  # a name or label: shown for one object only, never set on several at once
    tip: str = ""  # N_() marked
    choice_texts: Callable[[list], dict[str, str]] | None = None  # choices' words for the objects shown


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


def _dimension_length(obj) -> float:
    return geometry.distance((obj.x1, obj.y1), (obj.x2, obj.y2))


def _dimension_resized(obj, length: int) -> dict:
    """The second end moved along the line so that it is ``length`` mm long (the first end stays)."""
    if length <= 0:
        raise ValidationError("length", _("A dimension line's length must be more than 0."))
    dx, dy = obj.x2 - obj.x1, obj.y2 - obj.y1
    now = math.hypot(dx, dy)
    ux, uy = (dx / now, dy / now) if now else (1.0, 0.0)
    return {"x2": round(obj.x1 + ux * length), "y2": round(obj.y1 + uy * length)}


def _wall_lengthened(obj, length: int) -> dict:
    """The wall's last point moved along its last segment so that the wall is ``length`` mm long."""
    points = [list(p) for p in obj.points]
    before = wall_length(points[:-1])
    (ax, ay), (bx, by) = points[-2], points[-1]
    now = math.hypot(bx - ax, by - ay)
    last = length - before
    end = [round(ax + (bx - ax) / now * last), round(ay + (by - ay) / now * last)] if last > 0 else [ax, ay]
    if end == [ax, ay]:
        unit = settings.length_unit()
        raise ValidationError("points", _("A wall's length must be more than {length} {unit} (its length without "
                                          "its last segment).").format(length=fmt_length(before, unit), unit=unit))
    return {"points": [*points[:-1], end]}


def _loop_length(obj) -> str:
    unit = settings.length_unit()
    return f"{fmt_length(obj.length, unit)} {unit}"


TOWARDS = {"top": N_("Top side"), "bottom": N_("Bottom side"), "left": N_("Left side"), "right": N_("Right side")}
JAMBS = {"top": N_("Top jamb"), "bottom": N_("Bottom jamb"), "left": N_("Left jamb"), "right": N_("Right jamb")}


def _towards(nx: float, ny: float) -> str:
    """The way a vector points on the screen (y down): top, bottom, left or right."""
    if abs(ny) >= abs(nx):
        return "top" if ny < 0 else "bottom"
    return "left" if nx < 0 else "right"


def _directions(objs) -> set[tuple[float, float]]:
    """The directions (first point to last, rounded) of the walls at the doors shown."""
    out = set()
    for obj in objs:
        _x, _y, ux, uy, _segment = point_at(obj.wall.points, obj.offset)
        out.add((round(ux, 6), round(uy, 6)))
    return out


def _screen_words(objs, words: dict[str, str], fallback: Callable[[], list[tuple[str, str]]],
                  start: Callable[[float, float], tuple[float, float]]) -> dict[str, str]:
    """Names for a door's two faces or two jambs as the plan shows them ("top side", "left jamb") when
    every door shown sits in a wall running the same way; otherwise the fallback's, which go by the wall's
    first point. ``start`` turns the wall's direction into the way the "left"/"start" one lies."""
    ways = {(_towards(*start(ux, uy)), _towards(*(-v for v in start(ux, uy)))) for ux, uy in _directions(objs)}
    if len(ways) != 1:
        return dict(fallback())
    first, second = ways.pop()
    return dict(zip([key for key, _text in fallback()], (_(words[first]), _(words[second])), strict=True))


def _side_choices() -> list[tuple[str, str]]:
    return [("left", _("Left (from wall start)")), ("right", _("Right (from wall start)"))]


def _hinge_choices() -> list[tuple[str, str]]:
    return [("start", _("Jamb at wall start")), ("end", _("Jamb at wall end"))]


def _side_texts(objs) -> dict[str, str]:
    return _screen_words(objs, TOWARDS, _side_choices, lambda ux, uy: (uy, -ux))  # the left face's normal


def _hinge_texts(objs) -> dict[str, str]:
    return _screen_words(objs, JAMBS, _hinge_choices, lambda ux, uy: (-ux, -uy))  # the start jamb lies back


HINGE_TIP = N_("The jamb the door hangs on, as the plan is shown.")
SLIDE_TIP = N_("The jamb the sliding panel opens towards, as the plan is shown.")

WALL_FIELDS = [
    Field("thickness", N_("Thickness"), ("wall", "loop"), lambda k, o: o.thickness,
          lambda k, o, v: {"thickness": v}, type="length"),
    Field("wall_length", N_("Length"), ("wall",), lambda k, o: o.length, lambda k, o, v: _wall_lengthened(o, v),
          type="length", single=True, tip=N_("Typing a length moves the wall's last point along its last segment.")),
    Field("loop_length", N_("Length"), ("loop",), lambda k, o: _loop_length(o), type="readonly", single=True),
    Field("opening_kind", N_("Kind"), OPENINGS, lambda k, o: o.kind, lambda k, o, v: {"kind": v}, type="choice",
          choices=lambda: [(k.value, k.label) for k in OpeningKind]),
    Field("opening_width", N_("Width"), OPENINGS, lambda k, o: o.width, lambda k, o, v: {"width": v},
          type="length"),
    Field("position", N_("From wall start"), OPENINGS, lambda k, o: o.offset,
          lambda k, o, v: {"offset": v}, type="length", single=True,
          tip=N_("From the wall's first point to the middle of the door or window.")),
    Field("hinge", N_("Hinge"), ("door",), lambda k, o: o.hinge, lambda k, o, v: {"hinge": v}, type="choice",
          choices=_hinge_choices, choice_texts=_hinge_texts, tip=HINGE_TIP),
    Field("slides_to", N_("Slides towards"), ("sliding",), lambda k, o: o.hinge, lambda k, o, v: {"hinge": v},
          type="choice", choices=_hinge_choices, choice_texts=_hinge_texts, tip=SLIDE_TIP),
    Field("side", N_("Opens to"), ("door", "double"), lambda k, o: o.side, lambda k, o, v: {"side": v},
          type="choice", choices=_side_choices, choice_texts=_side_texts,
          tip=N_("The side of the wall the door opens to, as the plan is shown.")),
    Field("panel_side", N_("Panel side"), ("sliding",), lambda k, o: o.side, lambda k, o, v: {"side": v},
          type="choice", choices=_side_choices, choice_texts=_side_texts,
          tip=N_("The side of the wall the sliding panel runs on, as the plan is shown.")),
]

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
          type="length"),
    Field("x", N_("X"), ("room", "counter", "item", "text", "dimension"), _get_x, _set_x, type="length"),
    Field("y", N_("Y"), ("room", "counter", "item", "text", "dimension"), _get_y, _set_y, type="length"),
    Field("width", N_("Width"), BOXES, lambda k, o: o.width if k == "counter" else o.plan_width,
          lambda k, o, v: {"width": v}, type="length"),
    Field("depth", N_("Depth"), BOXES, lambda k, o: o.depth if k == "counter" else o.plan_depth,
          lambda k, o, v: {"depth": v}, type="length"),
    Field("rotation", N_("Rotation"), BOXES, lambda k, o: o.rotation, lambda k, o, v: {"rotation": v},
          type="angle", unit="°"),
    Field("room_width", N_("Width"), ("room",), lambda k, o: _room_size(o).width,
          lambda k, o, v: _room_resized(o, v, _room_size(o).height), type="length"),
    Field("room_height", N_("Depth"), ("room",), lambda k, o: _room_size(o).height,
          lambda k, o, v: _room_resized(o, _room_size(o).width, v), type="length"),
    Field("area", N_("Area"), ("room",), lambda k, o: fmt_area(o.area_m2), type="readonly"),
    Field("length", N_("Length"), ("dimension",), lambda k, o: _dimension_length(o),
          lambda k, o, v: _dimension_resized(o, v), type="length"),
    *WALL_FIELDS,
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
        self.unit = settings.length_unit()  # of the lengths shown
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
        preference_signals().changed.connect(self._preferences_changed)
        self.set_selection([])

    def _preferences_changed(self) -> None:
        """Another length unit chosen: shown at once (a hidden panel, or one whose project is closing,
        follows when it is shown again)."""
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if settings.length_unit() != self.unit:
            self.refresh()

    # --- which fields -----------------------------------------------------------------
    def set_selection(self, refs) -> None:
        self.refs = list(refs)
        self.error.hide()
        self.refresh()

    def refresh(self) -> None:
        """Show the selection's values; when the same fields are shown, update them in place
        (a field being edited keeps its focus)."""
        self.objs = plan_objects(self.editor.project, self.refs) if self.refs else {}
        unit = settings.length_unit()
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
        if [f.key for f, _v, _s in rows] == list(self.widgets) and rows and unit == self.unit:
            for f, value, same in rows:
                self._set_value(f, self.widgets[f.key], value, same)
            return
        self.unit = unit
        while self.form.rowCount():
            self.form.removeRow(0)
        self.widgets = {}
        if not rows:
            hint = QLabel(_("Select a room, counter, item, wall, door or label on the plan to see and change its "
                            "values."))
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
            if f.choice_texts is not None:
                for data, text in f.choice_texts(list(self.objs.values())).items():
                    if w.findData(data) >= 0:
                        w.setItemText(w.findData(data), text)
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
        if kind in ("wall", "loop"):
            return _("Wall")
        if kind in OPENINGS:
            return OpeningKind(obj.kind).label
        return _("Text label") if kind == "text" else _("Dimension line")

    def _display(self, f: Field, value) -> str:
        if value is None:
            return ""
        if f.type in LENGTHS:
            return fmt_length(value, self.unit)
        if f.type == "angle":
            return fmt_decimal(value, 1)
        return str(value)

    def _add_row(self, f: Field, value, same: bool) -> None:
        label = QLabel(_(f.label))
        if f.tip:
            label.setToolTip(_(f.tip))
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
            if f.tip:
                w.setToolTip(_(f.tip))
            self.form.addRow(label, w)
            self.widgets[f.key] = w
            return
        w = QLineEdit()
        w.setMinimumWidth(60)
        self._set_value(f, w, value, same)
        w.editingFinished.connect(lambda f=f, w=w: self._commit_text(f, w))
        if f.tip:
            w.setToolTip(_(f.tip))
        self.widgets[f.key] = w
        if f.unit or f.type in LENGTHS:
            row = QHBoxLayout()
            row.setSpacing(4)
            row.addWidget(w, 1)
            unit = QLabel(self.unit if f.type in LENGTHS else _(f.unit))
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
        if f.type in LENGTHS:
            return parse_length(text, label, self.unit)
        if f.type == "int":
            return parse_whole(text, label)
        if f.type == "angle":
            return parse_decimal(text, label)
        return text

    def _commit_text(self, f: Field, w: QLineEdit) -> None:
        if w.text() == w.shown or not self.refs:
            if w.isModified():  # the saved value typed again: nothing to change, and nothing wrong
                self.error.hide()
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
            self.error.hide()
            return
        if self.editor.push(self._command(changes)):
            self.error.hide()
            self.refresh()
        else:
            self.refresh()
            self.error.setText(self.editor.last_error)
            self.error.setVisible(bool(self.error.text()))

    @staticmethod
    def _command(changes: dict):
        """Walls and doors through their own commands (a door stays on its wall); the rest as properties."""
        kinds = {kind for kind, _id in changes}
        if kinds == {"wall"}:
            return EditWalls({ident: fields for (_k, ident), fields in changes.items()})
        if kinds == {"opening"}:
            return EditOpenings({ident: fields for (_k, ident), fields in changes.items()})
        return SetProperties(changes)

    def _refuse(self, message: str) -> None:
        self.editor.report(message)
        self.refresh()
        self.error.setText(message)
        self.error.show()
