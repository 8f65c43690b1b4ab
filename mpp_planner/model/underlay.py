"""A floor's vector underlay: the architect's drawing (walls, doors, furniture lines, texts) that is not a
room, kept as plain paths and texts in plan millimetres and drawn under the plan like the scanned
background. Stored compactly (zlib-compressed JSON), since a drawing may hold 100,000 entities.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import ForeignKey, Integer, LargeBinary
from sqlalchemy.orm import Mapped, mapped_column, validates

from mpp_planner.i18n import _
from mpp_planner.model.base import (Base, JSONList, SingleLine, ValidationError, clean_flag, clean_int, clean_name,
                                    multi_line, one_line, storable)

MAX_UNDERLAY_BYTES = 64 * 1024 * 1024  # compressed; a 100,000-entity drawing is a few MB
MAX_LAYER_NAME = 255


@lru_cache(maxsize=4096)
def layer_name(name: str) -> str:
    """A CAD layer name as the plan keeps it: one line of text (the text rule in ``model/base.py``), "0" when
    nothing is left, so the layer picker's names and the drawing's layers stay the same strings."""
    return storable(one_line(name)[:MAX_LAYER_NAME].strip()) or "0"


@dataclass(frozen=True)
class UnderlayPath:
    """A polyline (arcs and circles arrive flattened) on a layer, in plan millimetres."""

    layer: str
    points: tuple[tuple[int, int], ...]
    closed: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "layer", layer_name(self.layer))


@dataclass(frozen=True)
class UnderlayText:
    layer: str
    x: int
    y: int
    height: int  # mm
    text: str
    rotation: float = 0.0  # degrees, counter-clockwise as in CAD (the plan's y axis points down)

    def __post_init__(self) -> None:
        object.__setattr__(self, "layer", layer_name(self.layer))
        object.__setattr__(self, "text", storable(multi_line(self.text)))


@dataclass
class Underlay:
    """Everything drawn under a floor: paths and texts, each on a named layer."""

    paths: list[UnderlayPath] = field(default_factory=list)
    texts: list[UnderlayText] = field(default_factory=list)

    @property
    def layers(self) -> list[str]:
        return sorted({p.layer for p in self.paths} | {t.layer for t in self.texts})

    def bounds(self) -> tuple[int, int, int, int] | None:
        """(min x, min y, max x, max y) over every point and text anchor, or None when empty."""
        xs = [x for p in self.paths for x, _y in p.points] + [t.x for t in self.texts]
        ys = [y for p in self.paths for _x, y in p.points] + [t.y for t in self.texts]
        if not xs:
            return None
        return min(xs), min(ys), max(xs), max(ys)

    def __len__(self) -> int:
        return len(self.paths) + len(self.texts)

    def encode(self) -> bytes:
        data = {"v": 1,
                "p": [[p.layer, 1 if p.closed else 0, [c for pt in p.points for c in pt]] for p in self.paths],
                "t": [[t.layer, t.x, t.y, t.height, t.text, t.rotation] for t in self.texts]}
        return zlib.compress(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8"), 6)

    @classmethod
    def decode(cls, blob: bytes) -> "Underlay":
        try:
            data = json.loads(zlib.decompress(blob).decode("utf-8"))
            paths = [UnderlayPath(layer, tuple(zip(flat[0::2], flat[1::2])), bool(closed))
                     for layer, closed, flat in data["p"]]
            texts = [UnderlayText(layer, x, y, h, text, rot) for layer, x, y, h, text, rot in data["t"]]
        except (zlib.error, ValueError, KeyError, TypeError) as exc:
            raise ValueError(_("The floor's underlay drawing is damaged.")) from exc
        return cls(paths, texts)


class FloorUnderlay(Base):
    """The vector underlay of one floor (at most one), with where it came from and whether it shows."""

    __tablename__ = "floor_underlay"

    floor_id: Mapped[int] = mapped_column(ForeignKey("floor.id", ondelete="CASCADE"), primary_key=True)
    source: Mapped[str] = mapped_column(SingleLine(260), default="")  # the drawing's file name
    data: Mapped[bytes] = mapped_column(LargeBinary)  # Underlay.encode()
    layers: Mapped[list] = mapped_column(JSONList, default=list)  # layer names, for the layer picker
    entities: Mapped[int] = mapped_column(Integer, default=0)
    visible: Mapped[bool] = mapped_column(default=True)
    printed: Mapped[bool] = mapped_column(default=False)  # drawn on plan sheets too

    @validates("data")
    def _v_data(self, key, value):
        if not isinstance(value, (bytes, bytearray)):
            raise ValidationError(key, _("The underlay drawing must be stored as bytes."))
        if len(value) > MAX_UNDERLAY_BYTES:
            raise ValidationError(key, _("The underlay drawing is too large (at most {mb} MB).").format(
                mb=MAX_UNDERLAY_BYTES // (1024 * 1024)))
        return bytes(value)

    @validates("source")
    def _v_source(self, key, value):
        return clean_name(key, value, required=False, max_len=260)

    @validates("layers")
    def _v_layers(self, key, value):
        if not isinstance(value, (list, tuple)):
            raise ValidationError(key, _("The layer list must be a list of names."))
        return [clean_name(key, v, max_len=MAX_LAYER_NAME) for v in value]

    @validates("entities")
    def _v_entities(self, key, value):
        return clean_int(key, value, 0, 10_000_000)

    @validates("visible", "printed")
    def _v_flag(self, key, value):
        return clean_flag(key, value)

    def drawing(self) -> Underlay:
        return Underlay.decode(self.data)

    def set_drawing(self, underlay: Underlay) -> None:
        self.data = underlay.encode()
        self.layers = underlay.layers
        self.entities = len(underlay)
