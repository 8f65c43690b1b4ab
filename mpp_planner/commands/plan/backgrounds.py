"""Floor backgrounds: a PNG/JPEG scan under a floor, checked from its header before decoding;
its scale (calibrated from two clicked points), origin, opacity and visibility; and whether a floor's
vector underlay (an imported CAD drawing) shows and prints."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from mpp_planner.commands.base import Command
from mpp_planner.commands.generic import DeleteObjects, SetFields
from mpp_planner.i18n import _
from mpp_planner.model import Floor, FloorBackground, FloorUnderlay, ValidationError
from mpp_planner.model import geometry
from mpp_planner.model.plan import clean_coord
from mpp_planner.project import Project

MAX_IMAGE_SIDE = 20_000  # px
MAX_IMAGE_PIXELS = 100_000_000  # a 100 MP scan already needs 400 MB once decoded
MIN_MM_PER_PX, MAX_MM_PER_PX = 0.01, 10_000.0
IMAGE_FORMATS = ("png", "jpeg")


def image_info(data: bytes) -> tuple[str, int, int] | None:
    """(format, width, height) read from a PNG or JPEG header without decoding; None otherwise."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR" and len(data) >= 24:
        return "png", int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if data[:3] == b"\xff\xd8\xff":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                return None
            marker = data[i + 1]
            if marker == 0xFF:
                i += 1
                continue
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                i += 2
                continue
            length = int.from_bytes(data[i + 2:i + 4], "big")
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                h = int.from_bytes(data[i + 5:i + 7], "big")
                w = int.from_bytes(data[i + 7:i + 9], "big")
                return "jpeg", w, h
            if length < 2:
                return None
            i += 2 + length
    return None


def check_image_size(width: int, height: int) -> None:
    """Refuse images too large to show (checked from the header, before decoding)."""
    if width <= 0 or height <= 0:
        raise ValidationError("image", _("The image has no pixels."))
    if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
        raise ValidationError("image", _(
            "The image is too large ({w} × {h} pixels). Use an image of at most {side} pixels on a side "
            "and {mp} megapixels, e.g. scan at a lower resolution.").format(
                w=f"{width:,}", h=f"{height:,}", side=f"{MAX_IMAGE_SIDE:,}", mp=MAX_IMAGE_PIXELS // 1_000_000))


def check_image(data: bytes) -> tuple[str, int, int]:
    """The format and size of a background image file, or a ValidationError saying why not."""
    info = image_info(bytes(data[:65536])) if data else None
    if info is None and data and data[:3] == b"\xff\xd8\xff":
        info = image_info(bytes(data))  # a JPEG with large metadata before its frame header
    if info is None:
        raise ValidationError("image", _("This file is not a PNG or JPEG image."))
    check_image_size(info[1], info[2])
    return info


def clean_scale(value) -> float:
    try:
        scale = float(value)
    except (TypeError, ValueError):
        raise ValidationError("mm_per_px", _("The scale must be a number.")) from None
    if not math.isfinite(scale) or not MIN_MM_PER_PX <= scale <= MAX_MM_PER_PX:
        raise ValidationError("mm_per_px", _("The scale must be between {lo} and {hi} mm per pixel.").format(
            lo=MIN_MM_PER_PX, hi=f"{MAX_MM_PER_PX:,.0f}"))
    return scale


def clean_opacity(value) -> float:
    try:
        opacity = float(value)
    except (TypeError, ValueError):
        raise ValidationError("opacity", _("Opacity must be a number between 0 and 1.")) from None
    if not math.isfinite(opacity) or not 0.0 <= opacity <= 1.0:
        raise ValidationError("opacity", _("Opacity must be a number between 0 and 1."))
    return round(opacity, 3)


def parse_distance_m(value) -> float:
    """A typed distance in metres ("12,5" or "12.5"), positive and finite."""
    try:
        metres = float(str(value).strip().replace(",", "."))
    except (TypeError, ValueError):
        raise ValidationError("distance", _("The distance must be a number of metres.")) from None
    if not math.isfinite(metres) or metres <= 0:
        raise ValidationError("distance", _("The distance must be more than 0 m."))
    if metres > 1000:
        raise ValidationError("distance", _("The distance must be at most 1000 m."))
    return metres


def calibrated_scale(p1: Sequence[float], p2: Sequence[float], metres, mm_per_px: float) -> float:
    """The image scale (mm per pixel) that makes the two clicked points ``metres`` apart."""
    metres = parse_distance_m(metres)
    pixels = geometry.distance(p1, p2) / mm_per_px
    if pixels < 2:
        raise ValidationError("points", _("The two points are the same; click two points some distance apart."))
    return clean_scale(metres * 1000.0 / pixels)


def _clean_background(fields: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f, v in fields.items():
        if f == "mm_per_px":
            out[f] = clean_scale(v)
        elif f in ("origin_x", "origin_y"):
            out[f] = clean_coord(f, round(float(v)))
        elif f == "opacity":
            out[f] = clean_opacity(v)
        elif f == "visible":
            out[f] = bool(v)
        elif f == "image":
            fmt, _w, _h = check_image(v)
            out[f] = bytes(v)
            out["image_format"] = fmt
        elif f == "image_format":
            continue
        else:
            raise KeyError(f)
    return out


class SetBackground(Command):
    """Change a floor background's scale, origin, opacity or visibility (validated here: the
    model has no rules for these)."""

    def __init__(self, floor_id: int, fields: Mapping[str, Any], text: str, merge_key=None):
        self.floor_id = floor_id
        self.new = _clean_background(fields)
        self.old: dict[str, Any] | None = None
        self.text = text
        self.merge_key = merge_key

    def compute(self, bg: FloorBackground) -> dict[str, Any]:
        return self.new

    def redo(self, project: Project) -> None:
        with project.edit() as s:
            bg = s.get(FloorBackground, self.floor_id)
            if bg is None:
                raise LookupError(_("This floor has no background image."))
            if self.old is None:
                self.new = _clean_background(self.compute(bg))
                self.old = {f: getattr(bg, f) for f in self.new}
            for f, v in self.new.items():
                setattr(bg, f, v)

    def undo(self, project: Project) -> None:
        with project.edit() as s:
            bg = s.get(FloorBackground, self.floor_id)
            for f, v in (self.old or {}).items():
                setattr(bg, f, v)

    def merge(self, other: Command) -> bool:
        if not isinstance(other, SetBackground) or other.floor_id != self.floor_id or self.old is None:
            return False
        self.new.update(other.new)
        for f, v in (other.old or {}).items():
            self.old.setdefault(f, v)
        return True


def SetBackgroundOpacity(floor_id: int, opacity: float) -> SetBackground:  # noqa: N802
    """Merges while the slider moves (one undo step per drag)."""
    return SetBackground(floor_id, {"opacity": opacity}, _("Change background opacity"),
                         merge_key=("background-opacity", floor_id))


def SetBackgroundVisible(floor_id: int, visible: bool) -> SetBackground:  # noqa: N802
    return SetBackground(floor_id, {"visible": visible}, _("Show background") if visible else _("Hide background"))


class SetBackgroundOrigin(SetBackground):
    """Shift the background so the clicked point (x, y) becomes the plan's origin (0, 0)."""

    def __init__(self, floor_id: int, x: int, y: int):
        super().__init__(floor_id, {}, _("Set background origin"))
        self.point = (x, y)

    def compute(self, bg):
        return {"origin_x": bg.origin_x - self.point[0], "origin_y": bg.origin_y - self.point[1]}


class CalibrateBackground(SetBackground):
    """Scale the background so the points p1 and p2 (plan mm) are ``metres`` apart; p1 stays
    where it is on the plan."""

    def __init__(self, floor_id: int, p1: Sequence[float], p2: Sequence[float], metres):
        super().__init__(floor_id, {}, _("Calibrate background"))
        self.p1, self.p2 = tuple(p1), tuple(p2)
        self.metres = parse_distance_m(metres)
        if geometry.distance(self.p1, self.p2) < 1:
            raise ValidationError("points", _("The two points are the same; click two points some distance apart."))

    def compute(self, bg):
        scale = calibrated_scale(self.p1, self.p2, self.metres, bg.mm_per_px)
        f = scale / bg.mm_per_px
        ox = self.p1[0] - (self.p1[0] - bg.origin_x) * f
        oy = self.p1[1] - (self.p1[1] - bg.origin_y) * f
        return {"mm_per_px": scale, "origin_x": ox, "origin_y": oy}


class ImportBackground(Command):
    """Put a PNG/JPEG scan under a floor (replacing any earlier one); the file's bytes are
    stored in the project. Checked before anything changes: not an image, or too large, is
    refused with a message."""

    def __init__(self, floor_id: int, data: bytes, mm_per_px: float = 10.0, origin: tuple[int, int] = (0, 0)):
        self.floor_id = floor_id
        fmt, self.width_px, self.height_px = check_image(data)
        self.new = {"image": bytes(data), "image_format": fmt, "mm_per_px": clean_scale(mm_per_px),
                    "origin_x": clean_coord("origin_x", origin[0]), "origin_y": clean_coord("origin_y", origin[1]),
                    "opacity": 0.5, "visible": True}
        self.old: dict[str, Any] | None = None
        self._first = True
        self.text = _("Import background image")

    def redo(self, project: Project) -> None:
        with project.edit() as s:
            if s.get(Floor, self.floor_id) is None:
                raise LookupError(_("The floor no longer exists."))
            bg = s.get(FloorBackground, self.floor_id)
            if self._first:
                self.old = bg.column_values() if bg is not None else None
                self._first = False
            if bg is None:
                s.add(FloorBackground(floor_id=self.floor_id, **self.new))
            else:
                for f, v in self.new.items():
                    setattr(bg, f, v)

    def undo(self, project: Project) -> None:
        with project.edit() as s:
            bg = s.get(FloorBackground, self.floor_id)
            if self.old is None:
                if bg is not None:
                    s.delete(bg)
            else:
                for f, v in self.old.items():
                    if f != "floor_id":
                        setattr(bg, f, v)


def RemoveBackground(floor_id: int) -> DeleteObjects:  # noqa: N802
    return DeleteObjects(_("Remove background image"), FloorBackground, [floor_id])


class SetUnderlay(SetFields):
    """Show or hide a floor's underlay drawing on the plan (``visible``) and on plan sheets (``printed``);
    None leaves a flag as it is."""

    def __init__(self, floor_id: int, visible: bool | None = None, printed: bool | None = None):
        fields = {f: bool(v) for f, v in (("visible", visible), ("printed", printed)) if v is not None}
        if not fields:
            raise ValueError("SetUnderlay needs visible or printed")
        if "printed" not in fields:
            text = _("Show underlay drawing") if visible else _("Hide underlay drawing")
        elif "visible" not in fields:
            text = _("Print underlay drawing") if printed else _("Do not print underlay drawing")
        else:
            text = _("Change underlay drawing")
        super().__init__(text, FloorUnderlay, {floor_id: fields})
        self.floor_id = floor_id

    def redo(self, project: Project) -> None:
        if project.get(FloorUnderlay, self.floor_id) is None:
            raise LookupError(_("This floor has no underlay drawing."))
        super().redo(project)


def RemoveUnderlay(floor_id: int) -> DeleteObjects:  # noqa: N802
    return DeleteObjects(_("Remove underlay drawing"), FloorUnderlay, [floor_id])
