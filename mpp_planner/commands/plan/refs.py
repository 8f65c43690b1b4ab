"""Plan objects by reference ``(kind, id)`` for the commands: naming them in undo texts, their
bounds and moved positions, and setting their fields. The kinds and batched loading are the model's
(``model.plan_refs``); they are importable from here as well."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from mpp_planner.commands.snap import Box, rotated_bounds
from mpp_planner.i18n import _, ngettext
from mpp_planner.model import InventoryItem
from mpp_planner.model.plan import AnnotationKind
from mpp_planner.model.plan_refs import (KIND_MODEL, KIND_TABLE, RECENT_LIMIT, TABLE_KIND, Ref, held_object,
                                         load_objects)

__all__ = ["KIND_MODEL", "KIND_TABLE", "RECENT_LIMIT", "TABLE_KIND", "Ref", "held_object", "load_objects", "describe",
           "text_box", "object_box", "shifted_fields", "resized_outline", "set_fields", "apply_fields"]


# --- readable undo texts ------------------------------------------------------------------

def _noun(kind: str, n: int) -> str:
    if n == 1:
        return {"room": _("room"), "counter": _("counter"), "item": _("item"), "annotation": _("annotation"),
                "wall": _("wall"), "opening": _("door or window")}.get(kind, _("object"))
    if kind == "room":
        return ngettext("{n} room", "{n} rooms", n).format(n=n)
    if kind == "counter":
        return ngettext("{n} counter", "{n} counters", n).format(n=n)
    if kind == "item":
        return ngettext("{n} item", "{n} items", n).format(n=n)
    if kind == "annotation":
        return ngettext("{n} annotation", "{n} annotations", n).format(n=n)
    if kind == "wall":
        return ngettext("{n} wall", "{n} walls", n).format(n=n)
    if kind == "opening":
        return ngettext("{n} door or window", "{n} doors and windows", n).format(n=n)
    return ngettext("{n} object", "{n} objects", n).format(n=n)


def describe(refs: Iterable[Ref]) -> str:
    """"3 counters", "room", "5 objects": what a command works on, for its undo text."""
    refs = list(refs)
    kinds = {kind for kind, _id in refs}
    return _noun(kinds.pop() if len(kinds) == 1 else "object", len(refs))


# --- where objects are --------------------------------------------------------------------

def text_box(x: float, y: float, text: str, height: float) -> Box:
    """Rough bounds of a text annotation centred on (x, y)."""
    lines = (text or " ").splitlines() or [" "]
    width = max(len(line) for line in lines) * height * 0.6 + height * 0.4
    total = len(lines) * height * 1.25
    return Box(x - width / 2, y - total / 2, x + width / 2, y + total / 2)


def object_box(kind: str, obj) -> Box:
    """Axis-aligned bounds of a plan object (rotated boxes included)."""
    if kind == "room":
        return Box.around(obj.outline)
    if kind == "counter":
        return rotated_bounds(obj.x, obj.y, obj.width, obj.depth, obj.rotation)
    if kind == "item":
        return rotated_bounds(obj.x, obj.y, obj.plan_width, obj.plan_depth, obj.rotation)
    if kind == "wall":
        box = Box.around(obj.points)
        half = obj.thickness / 2
        return Box(box.left - half, box.top - half, box.right + half, box.bottom + half)
    if kind == "opening":
        return opening_box(obj)
    if obj.kind == AnnotationKind.DIMENSION.value:
        return Box.around([(obj.x1, obj.y1), (obj.x2, obj.y2)])
    return text_box(obj.x1, obj.y1, obj.text, obj.font_size)


def opening_box(opening) -> Box:
    """Bounds of a door or window: its width along its wall, the wall's thickness across."""
    from mpp_planner.model.wall_geometry import point_at

    wall = opening.wall
    x, y, ux, uy, _segment = point_at(wall.points, opening.offset)
    half_w, half_t = opening.width / 2, wall.thickness / 2
    corners = [(x + ux * a - uy * b, y + uy * a + ux * b) for a in (-half_w, half_w) for b in (-half_t, half_t)]
    return Box.around(corners)


def shifted_fields(kind: str, obj, dx: int, dy: int) -> dict[str, Any]:
    """The position fields of ``obj`` moved by (dx, dy)."""
    if kind == "room":
        return {"outline": [[x + dx, y + dy] for x, y in obj.outline]}
    if kind in ("counter", "item"):
        return {"x": obj.x + dx, "y": obj.y + dy}
    if kind == "wall":
        return {"points": [[x + dx, y + dy] for x, y in obj.points]}
    if kind == "opening":  # it moves with its wall (along it: a change of offset)
        return {}
    fields = {"x1": obj.x1 + dx, "y1": obj.y1 + dy}
    if obj.kind == AnnotationKind.DIMENSION.value:
        fields.update(x2=obj.x2 + dx, y2=obj.y2 + dy)
    return fields


def resized_outline(outline: Sequence[Sequence[float]], width: float, height: float) -> list[list[int]]:
    """``outline`` scaled about its top-left corner to the given bounding width and height (mm)."""
    box = Box.around(outline)
    fx = width / box.width if box.width else 1.0
    fy = height / box.height if box.height else 1.0
    return [[round(box.left + (x - box.left) * fx), round(box.top + (y - box.top) * fy)] for x, y in outline]


# --- writing fields -----------------------------------------------------------------------

def set_fields(session: Session, obj, fields: Mapping[str, Any]) -> None:
    """Set model fields (validated by the model); a changed room link also drops the loaded
    ``room`` so that nobody reads the old room from memory."""
    for f, v in fields.items():
        setattr(obj, f, v)
    if "room_id" in fields and isinstance(obj, InventoryItem):
        session.expire(obj, ["room"])


def apply_fields(session: Session, values: Mapping[Ref, Mapping[str, Any]]) -> None:
    """Set ``{(kind, id): {field: value}}`` on objects that must still exist (redo and undo)."""
    objs = load_objects(session, values)
    for ref, fields in values.items():
        obj = objs.get(ref)
        if obj is None:
            raise LookupError(_("The {what} no longer exists.").format(what=_noun(ref[0], 1)))
        set_fields(session, obj, fields)
