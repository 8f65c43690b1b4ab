"""Walls, and the doors and windows in them: draw a wall, reshape or thicken it, set a door or window
in it, find a room from the walls around a point, put walls around a drawn room.

A door or window sits in one wall at a distance along it, so moving or reshaping the wall takes it along;
one that no longer fits its wall after a reshape is slid back onto the wall in the same step (or, when the
wall became too short, reported before anything changes)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select

from mpp_planner.commands.plan.objects import CreatePlanObjects, EditPlan
from mpp_planner.commands.plan.refs import Ref, describe, load_objects
from mpp_planner.i18n import _
from mpp_planner.model import Room, ValidationError, Wall, WallOpening
from mpp_planner.model.base import clean_int
from mpp_planner.model.plan import MAX_COORD
from mpp_planner.model.walls import (DEFAULT_OPENING_WIDTH, DEFAULT_THICKNESS, MAX_OPENING, MIN_OPENING,
                                      OpeningKind, clean_wall_points)


class AddWall(CreatePlanObjects):
    """A wall drawn on the plan: a polyline (a closed loop repeats its first point) with a thickness."""

    def __init__(self, floor_id: int, points: Sequence[Sequence[int]], thickness: int = DEFAULT_THICKNESS):
        super().__init__(_("Draw wall"), floor_id)
        self.points = clean_wall_points([list(p) for p in points])
        self.thickness = thickness

    def build(self, session):
        return [("wall", Wall(floor_id=self.floor_id, points=self.points, thickness=self.thickness))]


def _clamped(points, offset: float, width: int) -> int | None:
    """``offset`` slid so that an opening ``width`` wide fits the polyline ``points`` (None: nowhere)."""
    from mpp_planner.model.wall_geometry import WallShape, clamp_offset

    return clamp_offset(WallShape(0, points), offset, width)


def _fitted_openings(session, wall_id: int, points) -> dict[Ref, dict[str, Any]]:
    """The doors and windows of a wall slid back onto ``points`` (its new polyline) where they no longer
    fit; refused when the wall is now too short for one of them."""
    from mpp_planner.model.wall_geometry import polyline_length

    out: dict[Ref, dict[str, Any]] = {}
    length = polyline_length(points)
    for opening in session.scalars(select(WallOpening).where(WallOpening.wall_id == wall_id)):
        offset = _clamped(points, opening.offset, opening.width) if opening.width <= length else None
        if offset is None:
            raise ValidationError("points", _("The wall would be shorter than its {what} ({width} mm).").format(
                what=OpeningKind(opening.kind).label.lower(), width=opening.width))
        if offset != opening.offset:
            out[("opening", opening.id)] = {"offset": offset}
    return out


class EditWalls(EditPlan):
    """Walls' points or thickness changed (handles or the properties panel, several walls at once: one
    step), ``{wall_id: {"points": ..., "thickness": ...}}``; their doors and windows stay on them."""

    def __init__(self, changes: Mapping[int, Mapping[str, Any]], text: str | None = None):
        fields: dict[Ref, dict[str, Any]] = {}
        for wall_id, values in changes.items():
            values = dict(values)
            if values.get("points") is not None:
                values["points"] = clean_wall_points([list(p) for p in values["points"]])
            fields[("wall", wall_id)] = {f: v for f, v in values.items() if v is not None}
        reshaped = any("points" in f for f in fields.values())
        super().__init__(text or (_("Reshape wall") if reshaped else _("Edit {what}").format(what=describe(fields))),
                         fields)

    def compute(self, session, objs):
        new = dict(self.new)
        for (kind, wall_id), fields in self.new.items():
            points = fields.get("points")
            if kind == "wall" and points is not None:
                extra = _fitted_openings(session, wall_id, points)
                objs.update(load_objects(session, extra))  # loaded here so that undo puts their offsets back
                new.update(extra)
        return new


class EditWall(EditWalls):
    """A wall's points or thickness changed (handles or the properties panel); its doors and windows
    stay on it."""

    def __init__(self, wall_id: int, points: Sequence[Sequence[int]] | None = None, thickness: int | None = None,
                 text: str | None = None):
        super().__init__({wall_id: {"points": points, "thickness": thickness}}, text)
        self.wall_id = wall_id


def _default_width(kind: str) -> int:
    try:
        return DEFAULT_OPENING_WIDTH[OpeningKind(kind)]
    except ValueError:  # the model refuses the kind with its own message
        return 900


LIMIT = 4 * MAX_COORD  # of an offset typed or pointed at (slid onto the wall afterwards)


def _whole(field: str, value, lo: int, hi: int) -> int:
    """A whole number of mm as the model takes it (a float rounded), checked before an opening is fitted."""
    if isinstance(value, float) and value == value and abs(value) != float("inf"):
        value = round(value)
    return clean_int(field, value, lo, hi)


def _clean_width(width) -> int:
    return _whole("width", width, MIN_OPENING, MAX_OPENING)


class PlaceOpening(CreatePlanObjects):
    """A door or window set in a wall, centred ``offset`` mm along it (slid to fit when it overhangs an end
    or a corner of the wall)."""

    def __init__(self, wall_id: int, kind: str, offset: float, width: int | None = None, hinge: str = "start",
                 side: str = "left"):
        super().__init__(_("Place window") if kind == OpeningKind.WINDOW.value else _("Place door"), 0)
        self.wall_id = wall_id
        self.values: dict[str, Any] = dict(kind=kind, offset=offset, width=width or _default_width(kind),
                                           hinge=hinge, side=side)

    def redo(self, project) -> None:
        if self._snapshot is None:
            wall = project.session.get(Wall, self.wall_id)
            if wall is None:
                raise LookupError(_("The wall no longer exists."))
            self.floor_id = wall.floor_id
        super().redo(project)

    def build(self, session):
        from mpp_planner.model.wall_geometry import polyline_length

        wall = session.get(Wall, self.wall_id)
        values = dict(self.values)
        values["width"] = _clean_width(values["width"])
        values["offset"] = _whole("offset", values["offset"], -LIMIT, LIMIT)
        if values["width"] > polyline_length(wall.points):
            raise ValidationError("width", _("The wall is shorter than the opening ({width} mm).").format(
                width=values["width"]))
        offset = _clamped(wall.points, values["offset"], values["width"])
        if offset is None:
            raise ValidationError("offset", _("The opening does not fit on this wall."))
        values["offset"] = offset
        return [("opening", WallOpening(wall_id=wall.id, floor_id=wall.floor_id, **values))]


class EditOpenings(EditPlan):
    """Doors and windows changed, ``{opening_id: {field: value}}`` (several at once: one step): slid along
    their walls, widened, hinge or swing side flipped, kind changed. Offsets are slid to fit the wall."""

    def __init__(self, changes: Mapping[int, Mapping[str, Any]], text: str | None = None, merge_key=None):
        refs = {("opening", opening_id): dict(fields) for opening_id, fields in changes.items()}
        super().__init__(text or _("Edit {what}").format(what=describe(refs)), refs, merge_key)

    def compute(self, session, objs):
        from mpp_planner.model.wall_geometry import polyline_length

        out = {}
        for ref, fields in self.new.items():
            opening = objs[ref]
            fields = dict(fields)
            if "width" in fields:
                fields["width"] = _clean_width(fields["width"])
            width = fields.get("width", opening.width)
            points = opening.wall.points
            if width > polyline_length(points):
                raise ValidationError("width", _("The wall is shorter than the opening ({width} mm).").format(
                    width=width))
            if "offset" in fields or "width" in fields:
                offset = _clamped(points, _whole("offset", fields.get("offset", opening.offset), -LIMIT, LIMIT),
                                  width)
                if offset is None:
                    raise ValidationError("offset", _("The opening does not fit on this wall."))
                fields["offset"] = offset
            out[ref] = fields
        return out


class EditOpening(EditOpenings):
    """A door or window changed: slid along its wall, widened, hinge or swing side flipped, kind changed.
    The offset is slid to fit the wall."""

    def __init__(self, opening_id: int, fields: dict[str, Any], text: str | None = None, merge_key=None):
        super().__init__({opening_id: fields}, text or _("Edit door or window"), merge_key)
        self.opening_id = opening_id


class AddRoomFromWalls(CreatePlanObjects):
    """The room enclosed by walls around a point (double-click inside with the room tool)."""

    def __init__(self, floor_id: int, x: float, y: float, name: str | None = None):
        super().__init__(_("Draw room"), floor_id)
        self.x, self.y, self.name = x, y, name

    def build(self, session):
        from mpp_planner.commands.plan.rooms import AddRoom
        from mpp_planner.model.wall_geometry import room_at

        walls = list(session.scalars(select(Wall).where(Wall.floor_id == self.floor_id)))
        outline = room_at(walls, self.x, self.y) if walls else None
        if outline is None:
            raise ValidationError("outline", _("No walls enclose this point: draw the room's corners instead."))
        return AddRoom(self.floor_id, outline, self.name).build(session)


class WallsAroundRoom(CreatePlanObjects):
    """Walls whose inner face follows a room's outline (a closed loop)."""

    def __init__(self, room_id: int, thickness: int = DEFAULT_THICKNESS):
        super().__init__(_("Walls around room"), 0)
        self.room_id, self.thickness = room_id, thickness

    def redo(self, project) -> None:
        if self._snapshot is None:
            room = project.session.get(Room, self.room_id)
            if room is None:
                raise LookupError(_("The room no longer exists."))
            self.floor_id = room.floor_id
        super().redo(project)

    def build(self, session):
        from mpp_planner.model.wall_geometry import walls_around

        room = session.get(Room, self.room_id)
        points = walls_around(room.outline, self.thickness)
        return [("wall", Wall(floor_id=room.floor_id, points=points, thickness=self.thickness))]
