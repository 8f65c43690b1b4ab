"""Paper primitives of a plan sheet and the text metrics they are fitted with.

Everything is in millimetres from the sheet's top-left corner (y down). The PDF, SVG and PNG
backends only paint these few primitive kinds (a walker calls one method per kind), so the three
look alike; text is fitted with the metrics of the font every backend uses (Bitstream Vera, shipped
with ReportLab; DejaVu Sans has the same metrics).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from functools import lru_cache

from mpp_planner.reports import plan_drawing as pd
from mpp_planner.reports.plan_layout import Rect

FONT_FAMILY_SVG = "'Bitstream Vera Sans', 'DejaVu Sans', Verdana, sans-serif"
LINE_HEIGHT = 1.22  # of the font size
MIN_TEXT_MM = 2.0  # no text on a plan sheet is smaller (font size on paper); what would be goes to the numbered key
INK = "#1B1F23"
GREY = "#5D6D7E"

# --- fonts ------------------------------------------------------------------------------
def font_path(bold: bool = False) -> str:
    import reportlab

    return os.path.join(os.path.dirname(reportlab.__file__), "fonts", "VeraBd.ttf" if bold else "Vera.ttf")


@lru_cache(maxsize=1)
def register_fonts() -> tuple[str, str]:
    """ReportLab names of the regular and bold sheet fonts (registered once)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("MppSans", font_path(False)))
    pdfmetrics.registerFont(TTFont("MppSans-Bold", font_path(True)))
    return "MppSans", "MppSans-Bold"


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Advance width of ``text`` at font size ``size`` (same unit as the size)."""
    return _unit_width(text, bold) * size


@lru_cache(maxsize=20_000)
def _unit_width(text: str, bold: bool) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    regular, heavy = register_fonts()
    return stringWidth(text, heavy if bold else regular, 1000.0) / 1000.0


def elide(text: str, size: float, bold: bool, width: float) -> str:
    if text_width(text, size, bold) <= width:
        return text
    shortened = _shortened_widths(text, bold)  # the same widths text_width gives, measured once per text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if shortened[mid] * size <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…" if lo else ""


@lru_cache(maxsize=4096)
def _shortened_widths(text: str, bold: bool) -> tuple[float, ...]:
    """The unit width of ``text[:n].rstrip() + "…"`` for every n: what :func:`elide` compares."""
    return tuple(_unit_width(text[:n].rstrip() + "…", bold) for n in range(len(text) + 1))


@lru_cache(maxsize=4096)
def wrap_words(text: str) -> tuple[str, ...]:
    """The words :func:`wrap` keeps whole: a word of one or two letters stays with the one before
    ("Lt. 1": no lone "1" on a line)."""
    words: list[str] = []
    for word in text.split():
        if words and len(word) <= 2:
            words[-1] += " " + word
        else:
            words.append(word)
    return tuple(words)


@lru_cache(maxsize=4096)
def _joined_widths(text: str, bold: bool) -> dict[tuple[int, int], float]:
    """Unit widths of runs of the text's words (first, last) -> width, filled in as :func:`wrap` asks."""
    return {}


def wrap(text: str, size: float, bold: bool, width: float, max_lines: int = 3) -> list[str]:
    words = wrap_words(text)
    if not words:
        return [text]
    joined = _joined_widths(text, bold)
    lines: list[str] = []
    start = 0
    for k in range(1, len(words)):  # the line so far (words start..k-1) with word k added: does it fit?
        unit = joined.get((start, k))
        if unit is None:
            unit = joined[start, k] = _unit_width(" ".join(words[start:k + 1]), bold)
        if unit * size > width:
            lines.append(" ".join(words[start:k]))
            start = k
    lines.append(" ".join(words[start:]))
    if len(lines) > max_lines:
        lines = lines[:max_lines - 1] + [" ".join(lines[max_lines - 1:])]
    return lines


# --- paper primitives ---------------------------------------------------------------------
@dataclass
class PShape:
    """A polyline or polygon; a polygon with ``holes`` (rings cut out of it, as a wall mass has) is
    filled even-odd."""

    points: list[tuple[float, float]]
    fill: str | None = None
    stroke: str | None = INK
    width: float = 0.25
    closed: bool = True
    dash: tuple[float, float] | None = None
    ref: pd.Ref | None = None
    holes: list[list[tuple[float, float]]] = field(default_factory=list)


@dataclass
class PText:
    """One line of text; (x, y) is on its baseline at the ``anchor`` ("start", "middle", "end")."""

    x: float
    y: float
    text: str
    size: float
    bold: bool = False
    colour: str = INK
    anchor: str = "start"
    rotation: float = 0.0  # degrees, clockwise on the sheet


@dataclass
class PImage:
    data: bytes  # PNG
    x: float
    y: float
    w: float
    h: float


@dataclass
class PPaths:
    """Many thin polylines with one stroke (a vector underlay): one primitive, so a backend can
    write them as one path instead of one object each. ``closed[i]`` closes ``lines[i]``."""

    lines: list[list[tuple[float, float]]]
    closed: list[bool]
    stroke: str = GREY
    width: float = 0.1


@dataclass
class PGroup:
    items: list
    name: str = ""
    clip: Rect | None = None


class PrimitiveWalker:
    """Base of the PDF, SVG and PNG backends: walks a sheet's primitives and calls ``group``,
    ``shape``, ``paths``, ``text`` and ``draw_image`` on the subclass, one method per kind."""

    def items(self, items) -> None:
        for item in items:
            if isinstance(item, PGroup):
                self.group(item)
            elif isinstance(item, PShape):
                self.shape(item)
            elif isinstance(item, PText):
                self.text(item)
            elif isinstance(item, PPaths):
                self.paths(item)
            elif isinstance(item, PImage):
                self.draw_image(item)

    def paths(self, p: PPaths) -> None:
        """One shape per polyline; a backend that can draw them together overrides this."""
        for points, closed in zip(p.lines, p.closed):
            self.shape(PShape(points, None, p.stroke, p.width, closed))

    def group(self, group: PGroup) -> None:  # pragma: no cover - every backend implements these
        raise NotImplementedError

    def shape(self, shape: PShape) -> None:  # pragma: no cover
        raise NotImplementedError

    def text(self, text: PText) -> None:  # pragma: no cover
        raise NotImplementedError

    def draw_image(self, image: PImage) -> None:  # pragma: no cover
        raise NotImplementedError


@dataclass
class Page:
    width: float
    height: float
    items: list
    title: str
    label: str


# --- text fitting --------------------------------------------------------------------------
def _lay(lines, size: float, width: float, wrap_lines: bool) -> list[tuple[str, float, bool]]:
    laid = []
    for line in lines:
        s = size * line.scale
        if wrap_lines and text_width(line.text, s, line.bold) > width:
            laid.extend((t, s, line.bold) for t in wrap(line.text, s, line.bold, width))
        else:
            laid.append((line.text, s, line.bold))
    return laid


def block_size(laid) -> tuple[float, float]:
    w = max((text_width(t, s, b) for t, s, b in laid), default=0.0)
    h = sum(s * LINE_HEIGHT for _t, s, _b in laid)
    return w, h


@dataclass(frozen=True)
class FitSteps:
    """What :func:`fit_block` tries for some lines from a size down to the least: each size, largest
    first, with the least height of the block there (its lines unwrapped: wrapping only adds lines),
    the width of its widest word (a wrapped line is no narrower) and its lines unwrapped with their
    width and height."""

    sizes: tuple[float, ...]
    heights: tuple[float, ...]
    words: tuple[float, ...]
    widths: tuple[float, ...]
    laid: tuple[tuple[tuple[str, float, bool], ...], ...]
    laid_heights: tuple[float, ...]


FIT_SLACK = 1e-9  # mm: float sums taken in another order may differ in the last place


@lru_cache(maxsize=4096)
def fit_steps(lines: tuple, size: float, min_size: float, wrap_lines: bool) -> FitSteps:
    sizes = []
    s = size
    while True:
        sizes.append(s)
        if s <= min_size:
            break
        s = max(min_size, s * 0.9)
    heights, words, widths, laid, laid_heights = [], [], [], [], []
    for s in sizes:
        unwrapped = tuple((line.text, s * line.scale, line.bold) for line in lines)
        w, h = block_size(unwrapped)
        heights.append(sum(s * line.scale * LINE_HEIGHT for line in lines))
        words.append(max((text_width(word, s * line.scale, line.bold) for line in lines
                          for word in (wrap_words(line.text) or (line.text,) if wrap_lines else (line.text,))),
                         default=0.0))
        widths.append(w)
        laid.append(unwrapped)
        laid_heights.append(h)
    return FitSteps(tuple(sizes), tuple(heights), tuple(words), tuple(widths), tuple(laid), tuple(laid_heights))


def fit_block(lines, size: float, box_w: float, box_h: float, min_size: float, wrap_lines: bool = False):
    """(size, laid lines) of the largest text that fits the box, or None when nothing legible fits.

    Each size is tried as it always was, but with what does not depend on the box worked out once
    per text (:func:`fit_steps`): a size whose least height or widest word cannot fit is passed over
    unlaid, and lines that need no wrapping are not laid again."""
    steps = fit_steps(tuple(lines), size, min_size, wrap_lines)
    room_w, room_h = box_w + 1e-6, box_h + 1e-6
    for k, s in enumerate(steps.sizes):
        if steps.heights[k] > room_h + FIT_SLACK or steps.words[k] > room_w + FIT_SLACK:
            continue  # this size cannot fit, however its lines are laid
        if not wrap_lines or steps.widths[k] <= box_w:  # no line is wrapped: as laid once
            if steps.widths[k] <= room_w and steps.laid_heights[k] <= room_h:
                return s, list(steps.laid[k])
            continue
        laid = _lay(lines, s, box_w, wrap_lines)
        w, h = block_size(laid)
        if w <= room_w and h <= room_h:
            return s, laid
    s = steps.sizes[-1]
    laid = [(elide(t, ls, b, box_w), ls, b) for t, ls, b in _lay(lines, s, box_w, wrap_lines)]
    laid = [entry for entry in laid if entry[0]]
    while laid and block_size(laid)[1] > box_h + 1e-6:
        laid.pop()
    return (s, laid) if laid else None


def block_texts(cx: float, cy: float, laid, colour: str, rotation: float = 0.0, valign: str = "middle",
                anchor: str = "middle") -> list[PText]:
    """Lines of a block centred on (cx, cy) (or hanging from it with valign "top"), turned by ``rotation``."""
    _w, h = block_size(laid)
    top = -h / 2 if valign == "middle" else 0.0
    r = math.radians(rotation)
    c, s = math.cos(r), math.sin(r)
    out = []
    y = top
    for text, size, bold in laid:
        base = y + size * 0.95
        lx, ly = 0.0, base
        out.append(PText(cx + lx * c - ly * s, cy + lx * s + ly * c, text, size, bold, colour, anchor, rotation))
        y += size * LINE_HEIGHT
    return out



def text_box(t: PText, pad: float = 0.0) -> tuple[float, float, float, float]:
    """The paper rectangle (x0, y0, x1, y1) an unturned line of text covers (turned text: its
    turned box's bounds), grown by ``pad``."""
    w = text_width(t.text, t.size, t.bold)
    left = {"start": 0.0, "middle": -w / 2, "end": -w}[t.anchor]
    corners = [(left, -t.size * 0.95), (left + w, -t.size * 0.95), (left + w, t.size * 0.27), (left, t.size * 0.27)]
    if t.rotation:
        r = math.radians(t.rotation)
        c, s = math.cos(r), math.sin(r)
        corners = [(x * c - y * s, x * s + y * c) for x, y in corners]
    xs = [t.x + x for x, _y in corners]
    ys = [t.y + y for _x, y in corners]
    return min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad


def boxes_meet(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def rect_pts(r: Rect) -> list[tuple[float, float]]:
    return [(r.x, r.y), (r.right, r.y), (r.right, r.bottom), (r.x, r.bottom)]
