"""The floor plan: floors, rooms (polygon outlines), counters and annotations, in millimetres."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar
from typing import TYPE_CHECKING

from sqlalchemy import Float, ForeignKey, Integer, LargeBinary
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from mpp_planner.i18n import N_, _
from mpp_planner.model import geometry
from mpp_planner.model.base import (Base, JSONList, MultiLine, SingleLine, ValidationError, clean_choice, clean_flag,
                                    clean_float, clean_int, clean_name, clean_text)

if TYPE_CHECKING:  # the other side of relationships declared by name
    from mpp_planner.model.agency import CounterAssignment, Service

MAX_COORD = 1_000_000  # 1 km: no MPP is larger
MIN_SIZE = 50  # 5 cm
MAX_SIZE = 100_000  # 100 m
MAX_OUTLINE_POINTS = 1000
MAX_IMAGE_BYTES = 30 * 1024 * 1024
IMAGE_FORMATS = ("png", "jpg", "jpeg", "bmp", "gif", "webp")


class RoomKind(StrEnum):
    COUNTER_HALL = "counter_hall"
    WAITING_AREA = "waiting_area"
    LACTATION_ROOM = "lactation_room"
    PLAY_AREA = "play_area"
    TOILET = "toilet"
    ACCESSIBLE_TOILET = "accessible_toilet"
    PRAYER_ROOM = "prayer_room"
    INFORMATION_DESK = "information_desk"
    COMPLAINT_ROOM = "complaint_room"
    READING_CORNER = "reading_corner"
    MEETING_ROOM = "meeting_room"
    BACK_OFFICE = "back_office"
    STORAGE = "storage"
    CORRIDOR = "corridor"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _(ROOM_KIND_LABELS[self])


ROOM_KIND_LABELS = {
    RoomKind.COUNTER_HALL: N_("Counter hall"),
    RoomKind.WAITING_AREA: N_("Waiting area"),
    RoomKind.LACTATION_ROOM: N_("Lactation room"),
    RoomKind.PLAY_AREA: N_("Children's play area"),
    RoomKind.TOILET: N_("Toilet"),
    RoomKind.ACCESSIBLE_TOILET: N_("Accessible toilet"),
    RoomKind.PRAYER_ROOM: N_("Prayer room"),
    RoomKind.INFORMATION_DESK: N_("Information desk"),
    RoomKind.COMPLAINT_ROOM: N_("Complaint / consultation room"),
    RoomKind.READING_CORNER: N_("Reading corner"),
    RoomKind.MEETING_ROOM: N_("Meeting room"),
    RoomKind.BACK_OFFICE: N_("Back office"),
    RoomKind.STORAGE: N_("Storage"),
    RoomKind.CORRIDOR: N_("Corridor"),
    RoomKind.OTHER: N_("Other"),
}

# Rooms the public uses (for AC and seating rules).
PUBLIC_ROOM_KINDS = frozenset({
    RoomKind.COUNTER_HALL, RoomKind.WAITING_AREA, RoomKind.LACTATION_ROOM, RoomKind.PLAY_AREA,
    RoomKind.PRAYER_ROOM, RoomKind.INFORMATION_DESK, RoomKind.COMPLAINT_ROOM, RoomKind.READING_CORNER,
})


# --- room kinds from room names ------------------------------------------------------------

# (kind, phrases): the first kind with a phrase in the name wins; phrases match whole words
KIND_PHRASES: list[tuple[RoomKind, tuple[str, ...]]] = [
    (RoomKind.LACTATION_ROOM, ("laktasi", "menyusui", "ruang asi", "pojok asi", "lactation", "nursing room")),
    (RoomKind.PLAY_AREA, ("bermain", "ruang anak", "area anak", "pojok anak", "playground", "play area",
                          "play room", "kids")),
    (RoomKind.PRAYER_ROOM, ("mushola", "musholla", "musholah", "mushala", "mushalla", "musala", "musalla", "masjid",
                            "surau", "ibadah", "prayer")),
    (RoomKind.COMPLAINT_ROOM, ("pengaduan", "konsultasi", "complaint", "consultation")),
    (RoomKind.WAITING_AREA, ("tunggu", "waiting")),
    (RoomKind.INFORMATION_DESK, ("informasi", "info", "help desk", "helpdesk", "resepsionis", "receptionist",
                                 "reception", "customer service", "front office", "front desk")),
    (RoomKind.READING_CORNER, ("baca", "perpustakaan", "library", "reading")),
    (RoomKind.MEETING_ROOM, ("rapat", "meeting")),
    (RoomKind.STORAGE, ("gudang", "arsip", "penyimpanan", "storage", "store room", "storeroom", "archive")),
    (RoomKind.BACK_OFFICE, ("back office", "backoffice", "pengelola", "kantor", "staf", "staff", "office")),
    (RoomKind.COUNTER_HALL, ("pelayanan", "loket", "counter", "service hall")),
    (RoomKind.CORRIDOR, ("koridor", "selasar", "lobi", "lobby", "corridor", "hallway")),
]
TOILET_WORDS = ("toilet", "wc", "kamar mandi", "km", "kamar kecil", "lavatory", "restroom", "urinoir")
ACCESSIBLE_WORDS = ("difabel", "disabilitas", "disabilities", "disabled", "kursi roda", "wheelchair",
                    "accessible", "penyandang")


def _normalised(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return " " + " ".join(re.findall(r"[0-9a-z]+", "".join(c for c in text if not unicodedata.combining(c)))) + " "


def _says(name: str, phrases: Sequence[str]) -> bool:
    return any(f" {p} " in name for p in phrases)


def guess_room_kind(name: str) -> str:
    """The room kind a name says ("Toilet Difabel" -> accessible_toilet, "Ruang Tunggu" ->
    waiting_area ...); "other" when it says none."""
    words = _normalised(name)
    if _says(words, TOILET_WORDS):
        return (RoomKind.ACCESSIBLE_TOILET if _says(words, ACCESSIBLE_WORDS) else RoomKind.TOILET).value
    for kind, phrases in KIND_PHRASES:
        if _says(words, phrases):
            return kind.value
    return RoomKind.OTHER.value


def _rounded(value):
    """Floats (from the scene) are rounded to whole millimetres; NaN and infinity stay refused."""
    if isinstance(value, float) and value == value and abs(value) != float("inf"):
        return round(value)
    return value


def clean_coord(field: str, value) -> int:
    return clean_int(field, _rounded(value), -MAX_COORD, MAX_COORD)


def clean_size(field: str, value) -> int:
    return clean_int(field, _rounded(value), MIN_SIZE, MAX_SIZE)


def clean_rotation(value) -> float:
    try:
        if isinstance(value, (bytes, bytearray)):
            raise TypeError
        angle = float(value)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError("rotation", _("Rotation must be a number of degrees.")) from None
    if angle != angle or abs(angle) == float("inf"):
        raise ValidationError("rotation", _("Rotation must be a number of degrees."))
    return round(angle % 360.0, 3)


def clean_outline(points) -> list[list[int]]:
    """A room outline: at least three points, no self-intersection, some area."""
    if not isinstance(points, (list, tuple)) or not all(
            isinstance(p, (list, tuple)) and len(p) == 2 and all(isinstance(v, (int, float)) for v in p)
            for p in (points or [])):
        raise ValidationError("outline", _("A room outline is a list of points."))
    if len(points) > MAX_OUTLINE_POINTS:
        raise ValidationError("outline", _("A room outline has at most {n} corners.").format(n=MAX_OUTLINE_POINTS))
    pts = [[clean_coord("outline", p[0]), clean_coord("outline", p[1])] for p in points]
    # drop repeated consecutive points
    cleaned = [p for i, p in enumerate(pts) if p != pts[i - 1]] if len(pts) > 1 else pts
    if len(cleaned) < 3:
        raise ValidationError("outline", _("A room needs at least three distinct corners."))
    if not geometry.is_simple_polygon(cleaned):
        raise ValidationError("outline", _("A room outline must not cross itself."))
    if geometry.polygon_area_mm2(cleaned) < 10_000:  # 0.01 m²
        raise ValidationError("outline", _("A room outline must enclose an area (this one has none)."))
    return cleaned


# --- which room a thing stands in ---------------------------------------------------------------

RoomKey = TypeVar("RoomKey")


@dataclass(frozen=True)
class RoomShape(Generic[RoomKey]):
    """A room outline made ready for point look-ups (area and bounds worked out once); ``key`` is
    what :func:`room_under` answers with: a room id, or the ``Room`` itself."""

    key: RoomKey
    outline: Sequence[Sequence[float]]
    area: float
    bounds: tuple[float, float, float, float]

    @classmethod
    def of(cls, key: RoomKey, outline: Sequence[Sequence[float]]) -> RoomShape[RoomKey]:
        # an empty outline (only in a damaged file) holds no point
        bounds = geometry.bounds(outline) if outline else (math.inf, math.inf, -math.inf, -math.inf)
        return cls(key, outline, geometry.polygon_area_mm2(outline), bounds)


def room_under(x: float, y: float, rooms: Iterable[RoomShape[RoomKey]]) -> RoomKey | None:
    """The room that furniture or a counter centred on (x, y) counts in; None outside every room.

    Rooms may nest (a desk area drawn inside the lobby), so the smallest room holding the point wins;
    of equal rooms, the first. On a wall shared by two rooms the point counts in one of them only:
    left and top edges belong to a room, right and bottom edges do not (``geometry.point_in_polygon``).
    """
    best: RoomShape[RoomKey] | None = None
    for r in rooms:
        left, top, right, bottom = r.bounds
        if left <= x <= right and top <= y <= bottom and geometry.point_in_polygon(x, y, r.outline):
            if best is None or r.area < best.area:
                best = r
    return best.key if best is not None else None


class Floor(Base):
    __tablename__ = "floor"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(SingleLine(100))
    order: Mapped[int] = mapped_column("sort_order", Integer, default=0)

    rooms: Mapped[list[Room]] = relationship(back_populates="floor", cascade="all, delete-orphan",
                                             passive_deletes=True, order_by="Room.id")
    counters: Mapped[list[Counter]] = relationship(back_populates="floor", cascade="all, delete-orphan",
                                                   passive_deletes=True, order_by="Counter.id")

    @validates("name")
    def _v_name(self, key, value):
        return clean_name(key, value, max_len=100)

    @validates("order")
    def _v_order(self, key, value):
        return clean_int(key, value, -10_000, 10_000)


class FloorBackground(Base):
    """A scanned drawing under a floor: image bytes, scale (mm per pixel), origin, opacity."""

    __tablename__ = "floor_background"

    floor_id: Mapped[int] = mapped_column(ForeignKey("floor.id", ondelete="CASCADE"), primary_key=True)
    image: Mapped[bytes] = mapped_column(LargeBinary)
    image_format: Mapped[str] = mapped_column(SingleLine(10), default="png")
    mm_per_px: Mapped[float] = mapped_column(Float, default=10.0)
    origin_x: Mapped[int] = mapped_column(Integer, default=0)
    origin_y: Mapped[int] = mapped_column(Integer, default=0)
    opacity: Mapped[float] = mapped_column(Float, default=0.5)
    visible: Mapped[bool] = mapped_column(default=True)

    @validates("image")
    def _v_image(self, key, value):
        if not isinstance(value, (bytes, bytearray)) or not value:
            raise ValidationError(key, _("The background must be an image file."))
        if len(value) > MAX_IMAGE_BYTES:
            raise ValidationError(key, _("The background image is too large (at most {mb} MB).").format(
                mb=MAX_IMAGE_BYTES // (1024 * 1024)))
        return bytes(value)

    @validates("image_format")
    def _v_format(self, key, value):
        return clean_choice(key, str(value).lower() if isinstance(value, str) else value, IMAGE_FORMATS)

    @validates("mm_per_px")
    def _v_scale(self, key, value):
        scale = clean_float(key, value, 0.0, 100_000.0)
        if scale <= 0:
            raise ValidationError(key, _("The drawing scale must be above zero."))
        return scale

    @validates("origin_x", "origin_y")
    def _v_origin(self, key, value):
        return clean_coord(key, value)

    @validates("opacity")
    def _v_opacity(self, key, value):
        return clean_float(key, value, 0.0, 1.0)

    @validates("visible")
    def _v_visible(self, key, value):
        return clean_flag(key, value)


class Room(Base):
    __tablename__ = "room"

    id: Mapped[int] = mapped_column(primary_key=True)
    floor_id: Mapped[int] = mapped_column(ForeignKey("floor.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(SingleLine(200))
    kind: Mapped[str] = mapped_column(SingleLine(40), default=RoomKind.OTHER.value)
    outline: Mapped[list] = mapped_column(JSONList)
    location_code: Mapped[str] = mapped_column(SingleLine(60), default="")
    officer_name: Mapped[str] = mapped_column(SingleLine(200), default="")
    officer_nip: Mapped[str] = mapped_column(SingleLine(18), default="")

    floor: Mapped[Floor] = relationship(back_populates="rooms")

    @validates("name")
    def _v_name(self, key, value):
        return clean_name(key, value)

    @validates("kind")
    def _v_kind(self, key, value):
        return clean_choice(key, value, RoomKind)

    @validates("outline")
    def _v_outline(self, key, value):
        return clean_outline(value)

    @validates("location_code")
    def _v_code(self, key, value):
        return clean_name(key, value, required=False, max_len=60)

    @validates("officer_name")
    def _v_opt(self, key, value):
        return clean_name(key, value, required=False)

    @validates("officer_nip")
    def _v_nip(self, key, value):
        from mpp_planner.model.site import clean_nip

        return clean_nip(value)

    @property
    def area_m2(self) -> float:
        return geometry.area_m2(self.outline)

    @property
    def room_kind(self) -> RoomKind:
        return RoomKind(self.kind)


class Counter(Base):
    """A service counter (loket): a box centred at (x, y) on a floor."""

    __tablename__ = "counter"

    id: Mapped[int] = mapped_column(primary_key=True)
    floor_id: Mapped[int] = mapped_column(ForeignKey("floor.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(SingleLine(40))
    x: Mapped[int] = mapped_column(Integer)
    y: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer, default=1600)
    depth: Mapped[int] = mapped_column(Integer, default=800)
    rotation: Mapped[float] = mapped_column(Float, default=0.0)
    staff_count: Mapped[int] = mapped_column(Integer, default=1)
    notes: Mapped[str] = mapped_column(MultiLine, default="")

    floor: Mapped[Floor] = relationship(back_populates="counters")
    assignments: Mapped[list["CounterAssignment"]] = relationship(
        back_populates="counter", cascade="all, delete-orphan", passive_deletes=True,
        order_by="CounterAssignment.id")
    services: Mapped[list["Service"]] = relationship(secondary="counter_service", order_by="Service.id")

    @validates("label")
    def _v_label(self, key, value):
        return clean_name(key, value, max_len=40)

    @validates("x", "y")
    def _v_xy(self, key, value):
        return clean_coord(key, value)

    @validates("width", "depth")
    def _v_size(self, key, value):
        return clean_size(key, value)

    @validates("rotation")
    def _v_rot(self, key, value):
        return clean_rotation(value)

    @validates("staff_count")
    def _v_staff(self, key, value):
        return clean_int(key, value, 0, 50)

    @validates("notes")
    def _v_notes(self, key, value):
        return clean_text(key, value)

    @property
    def area_m2(self) -> float:
        return self.width * self.depth / 1_000_000.0

    @property
    def agencies(self):
        """Agencies serving here, in schedule order, without repeats."""
        seen = []
        for a in self.assignments:
            if a.agency not in seen:
                seen.append(a.agency)
        return seen

    @property
    def primary_agency(self):
        return self.assignments[0].agency if self.assignments else None


class AnnotationKind(StrEnum):
    DIMENSION = "dimension"
    TEXT = "text"


class Annotation(Base):
    """A dimension line (x1,y1)-(x2,y2) or a text label at (x1,y1)."""

    __tablename__ = "annotation"

    id: Mapped[int] = mapped_column(primary_key=True)
    floor_id: Mapped[int] = mapped_column(ForeignKey("floor.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(SingleLine(20))
    x1: Mapped[int] = mapped_column(Integer)
    y1: Mapped[int] = mapped_column(Integer)
    x2: Mapped[int] = mapped_column(Integer, default=0)
    y2: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(MultiLine, default="")
    font_size: Mapped[int] = mapped_column(Integer, default=300)  # text height, mm on the plan

    @validates("kind")
    def _v_kind(self, key, value):
        return clean_choice(key, value, AnnotationKind)

    @validates("x1", "y1", "x2", "y2")
    def _v_xy(self, key, value):
        return clean_coord(key, value)

    @validates("text")
    def _v_text(self, key, value):
        return clean_text(key, value, max_len=500)

    @validates("font_size")
    def _v_font(self, key, value):
        return clean_int(key, value, 20, 5000)
