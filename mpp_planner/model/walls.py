"""Walls drawn on the plan as polylines with a thickness, and the doors and windows set in them.

A wall is a polyline of whole millimetres (y down, like the rest of the plan) with a thickness centred
on it; a closed loop repeats its first point at the end. A door or window (:class:`WallOpening`) sits in
one wall at a distance along it (``offset``, from the wall's first point to the opening's centre), so it
moves with the wall. The shapes drawn (wall mass with joins and gaps, door swings, window glass) are
worked out in ``model.wall_geometry``.
"""

from __future__ import annotations

import math
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from mpp_planner.i18n import N_, _
from mpp_planner.model.base import Base, JSONList, SingleLine, ValidationError, clean_choice, clean_int
from mpp_planner.model.plan import MAX_COORD, clean_coord

DEFAULT_THICKNESS = 150
MIN_THICKNESS = 50
MAX_THICKNESS = 1000
MAX_WALL_POINTS = 200
MIN_WALL_LENGTH = 100  # 10 cm
MIN_OPENING = 300
MAX_OPENING = 6000


class OpeningKind(StrEnum):
    DOOR = "door"  # a single swing door
    DOUBLE_DOOR = "double_door"
    SLIDING_DOOR = "sliding_door"
    WINDOW = "window"

    @property
    def label(self) -> str:
        return _(OPENING_KIND_LABELS[self])

    @property
    def is_door(self) -> bool:
        return self is not OpeningKind.WINDOW


OPENING_KIND_LABELS = {
    OpeningKind.DOOR: N_("Door"),
    OpeningKind.DOUBLE_DOOR: N_("Double door"),
    OpeningKind.SLIDING_DOOR: N_("Sliding door"),
    OpeningKind.WINDOW: N_("Window"),
}

#: the width a new opening of each kind gets (mm)
DEFAULT_OPENING_WIDTH = {OpeningKind.DOOR: 900, OpeningKind.DOUBLE_DOOR: 1600, OpeningKind.SLIDING_DOOR: 1200,
                         OpeningKind.WINDOW: 1200}

HINGES = ("start", "end")  # the jamb nearer the wall's first or last point carries the hinge
SIDES = ("left", "right")  # the face of the wall, looking from its first point to its last, a door swings to


def clean_wall_points(points) -> list[list[int]]:
    """A wall's polyline: at least two distinct points, no zero-length segment, at least 10 cm long."""
    if not isinstance(points, (list, tuple)) or not all(
            isinstance(p, (list, tuple)) and len(p) == 2
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in p) for p in points):
        raise ValidationError("points", _("A wall is a list of points."))
    if len(points) > MAX_WALL_POINTS:
        raise ValidationError("points", _("A wall has at most {n} points.").format(n=MAX_WALL_POINTS))
    pts = [[clean_coord("points", p[0]), clean_coord("points", p[1])] for p in points]
    cleaned = [p for i, p in enumerate(pts) if i == 0 or p != pts[i - 1]]
    if len(cleaned) < 2:
        raise ValidationError("points", _("A wall needs two distinct points."))
    if wall_length(cleaned) < MIN_WALL_LENGTH:
        raise ValidationError("points", _("A wall must be at least {cm} cm long.").format(cm=MIN_WALL_LENGTH // 10))
    return cleaned


def wall_length(points) -> float:
    """Length of a polyline in mm."""
    return sum(math.dist(points[i - 1], points[i]) for i in range(1, len(points)))


class Wall(Base):
    __tablename__ = "wall"

    id: Mapped[int] = mapped_column(primary_key=True)
    floor_id: Mapped[int] = mapped_column(ForeignKey("floor.id", ondelete="CASCADE"), index=True)
    points: Mapped[list] = mapped_column(JSONList)
    thickness: Mapped[int] = mapped_column(Integer, default=DEFAULT_THICKNESS)

    openings: Mapped[list[WallOpening]] = relationship(back_populates="wall", cascade="all, delete-orphan",
                                                      passive_deletes=True, order_by="WallOpening.id")

    @validates("points")
    def _v_points(self, key, value):
        return clean_wall_points(value)

    @validates("thickness")
    def _v_thickness(self, key, value):
        if isinstance(value, float) and value == value and abs(value) != float("inf"):
            value = round(value)
        return clean_int(key, value, MIN_THICKNESS, MAX_THICKNESS)

    @property
    def length(self) -> float:
        return wall_length(self.points)

    @property
    def closed(self) -> bool:
        """A loop: its last point is its first."""
        return len(self.points) > 2 and list(self.points[0]) == list(self.points[-1])


class WallOpening(Base):
    """A door or window in a wall, centred ``offset`` mm along it from its first point."""

    __tablename__ = "wall_opening"

    id: Mapped[int] = mapped_column(primary_key=True)
    wall_id: Mapped[int] = mapped_column(ForeignKey("wall.id", ondelete="CASCADE"), index=True)
    floor_id: Mapped[int] = mapped_column(ForeignKey("floor.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(SingleLine(20), default=OpeningKind.DOOR.value)
    offset: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer, default=900)
    hinge: Mapped[str] = mapped_column(SingleLine(10), default="start")
    side: Mapped[str] = mapped_column(SingleLine(10), default="left")

    wall: Mapped[Wall] = relationship(back_populates="openings")

    @validates("kind")
    def _v_kind(self, key, value):
        return clean_choice(key, value, OpeningKind)

    @validates("offset")
    def _v_offset(self, key, value):
        if isinstance(value, float) and value == value and abs(value) != float("inf"):
            value = round(value)
        return clean_int(key, value, 0, 4 * MAX_COORD)

    @validates("width")
    def _v_width(self, key, value):
        if isinstance(value, float) and value == value and abs(value) != float("inf"):
            value = round(value)
        return clean_int(key, value, MIN_OPENING, MAX_OPENING)

    @validates("hinge")
    def _v_hinge(self, key, value):
        return clean_choice(key, value, HINGES)

    @validates("side")
    def _v_side(self, key, value):
        return clean_choice(key, value, SIDES)

    @property
    def opening_kind(self) -> OpeningKind:
        return OpeningKind(self.kind)
