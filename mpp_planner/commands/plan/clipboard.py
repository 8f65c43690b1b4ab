"""Copy, paste and duplicate: a selection as plain JSON-able data, and new objects made from it."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from mpp_planner.commands.plan.counters import counter_labels
from mpp_planner.commands.plan.floors import floor_position
from mpp_planner.commands.plan.objects import CreatePlanObjects
from mpp_planner.commands.plan.refs import Ref, describe, load_objects, object_box
from mpp_planner.commands.snap import Box, next_label
from mpp_planner.i18n import _
from mpp_planner.model import (Annotation, Counter, InventoryItem, ItemType, Room, ValidationError, Wall,
                               WallOpening)
from mpp_planner.project import Project

CLIPBOARD_FORMAT = "mpp-plan/1"
COPY_FIELDS = {
    "room": ("name", "kind", "outline"),
    "counter": ("label", "x", "y", "width", "depth", "rotation", "staff_count", "notes"),
    "item": ("item_type_id", "x", "y", "width", "depth", "rotation", "quantity", "condition", "brand_model",
             "size", "material", "year", "purchase_price"),
    "annotation": ("kind", "x1", "y1", "x2", "y2", "text", "font_size"),
    "wall": ("points", "thickness"),  # with its doors and windows (OPENING_FIELDS) under "openings"
}
OPENING_FIELDS = ("kind", "offset", "width", "hinge", "side")


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value


def copy_payload(project: Project, refs: Iterable[Ref]) -> dict:
    """The selection as plain JSON-able data for the clipboard (ids and links left out)."""
    objs = load_objects(project.session, refs)
    objs = {ref: obj for ref, obj in objs.items() if ref[0] in COPY_FIELDS}  # a door goes with its wall
    order = {"wall": 0, "room": 1, "annotation": 2, "counter": 3, "item": 4}
    objects = []
    for (kind, _id), obj in sorted(objs.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])):
        fields = {f: _plain(getattr(obj, f)) for f in COPY_FIELDS[kind]}
        if kind == "wall":
            fields["openings"] = [{f: getattr(o, f) for f in OPENING_FIELDS} for o in obj.openings]
        objects.append({"kind": kind, "fields": fields})
    box = Box.union(object_box(ref[0], obj) for ref, obj in objs.items()) if objs else Box(0, 0, 0, 0)
    return {"format": CLIPBOARD_FORMAT, "objects": objects, "bounds": [box.left, box.top, box.right, box.bottom]}


def payload_bounds(payload: dict) -> Box:
    left, top, right, bottom = payload.get("bounds") or (0, 0, 0, 0)
    return Box(left, top, right, bottom)


class PasteObjects(CreatePlanObjects):
    """Copies of clipboard objects on ``floor_id``, moved by (dx, dy) mm. Counters get the next
    free label; items become new inventory rows in the room under them."""

    def __init__(self, floor_id: int, payload: dict, dx: int = 0, dy: int = 0, duplicate: bool = False):
        if not isinstance(payload, dict) or payload.get("format") != CLIPBOARD_FORMAT \
                or not isinstance(payload.get("objects"), list):
            raise ValidationError("clipboard", _("The clipboard does not hold plan objects."))
        objects = payload["objects"]
        if not objects or not all(isinstance(o, dict) and o.get("kind") in COPY_FIELDS
                                  and isinstance(o.get("fields"), dict) for o in objects):
            raise ValidationError("clipboard", _("The clipboard does not hold plan objects."))
        refs = [(o["kind"], 0) for o in objects]
        verb = _("Duplicate {what}") if duplicate else _("Paste {what}")
        super().__init__(verb.format(what=describe(refs)), floor_id)
        self.objects = objects
        self.dx, self.dy = round(dx), round(dy)

    def build(self, session):
        labels = set(counter_labels(session, self.floor_id))
        prefix = f"L{floor_position(session, self.floor_id)}-"
        pairs: list[tuple[str, Any]] = []
        for data in self.objects:
            kind = data["kind"]
            values = {f: data["fields"][f] for f in COPY_FIELDS[kind] if f in data["fields"]}
            if kind == "wall":
                values["points"] = [[x + self.dx, y + self.dy] for x, y in values.get("points") or []]
                wall = Wall(floor_id=self.floor_id, **values)
                pairs.append(("wall", wall))
                for o in data["fields"].get("openings") or []:
                    if not isinstance(o, dict):
                        raise ValidationError("clipboard", _("The clipboard does not hold plan objects."))
                    opening = WallOpening(wall=wall, floor_id=self.floor_id,
                                          **{f: o[f] for f in OPENING_FIELDS if f in o})
                    pairs.append(("opening", opening))
            elif kind == "room":
                values["outline"] = [[x + self.dx, y + self.dy] for x, y in values.get("outline") or []]
                pairs.append(("room", Room(floor_id=self.floor_id, **values)))
            elif kind == "annotation":
                for f in ("x1", "x2"):
                    values[f] = values.get(f, 0) + self.dx
                for f in ("y1", "y2"):
                    values[f] = values.get(f, 0) + self.dy
                pairs.append(("annotation", Annotation(floor_id=self.floor_id, **values)))
            elif kind == "counter":
                values["x"] = values.get("x", 0) + self.dx
                values["y"] = values.get("y", 0) + self.dy
                label = str(values.get("label") or "")
                if not label or label in labels:
                    label = next_label(labels, prefix)
                labels.add(label)
                values["label"] = label
                pairs.append(("counter", Counter(floor_id=self.floor_id, **values)))
            else:
                it = session.get(ItemType, values.pop("item_type_id", None))
                if it is None:
                    raise LookupError(_("A copied item's catalog entry no longer exists."))
                values["x"] = values.get("x", 0) + self.dx
                values["y"] = values.get("y", 0) + self.dy
                values.setdefault("quantity", "1")
                item = InventoryItem(item_type=it, floor_id=self.floor_id)
                for f, v in values.items():  # item_type first: quantity checks its unit
                    setattr(item, f, v)
                pairs.append(("item", item))
        return pairs
