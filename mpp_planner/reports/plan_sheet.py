"""A sheet composed into paper primitives: the plan at its scale inside the drawing area, the
title block, the scale bar, and on tiled sheets the assembly marks; on a key sheet the tile grid.

Everything is in millimetres from the sheet's top-left corner (y down). The PDF, SVG and PNG
backends only paint these few primitive kinds, so the three look alike; text is fitted here
with the metrics of the font every backend uses (Bitstream Vera, shipped with ReportLab; DejaVu
Sans has the same metrics). Fixed sheet texts are Indonesian: the sheet is an official document.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from mpp_planner.model import geometry
from mpp_planner.reports import plan_drawing as pd
from mpp_planner.reports.plan_layout import OVERLAP, Rect, Sheet, row_name

FONT_FAMILY_SVG = "'Bitstream Vera Sans', 'DejaVu Sans', Verdana, sans-serif"
LINE_HEIGHT = 1.22  # of the font size
INK = "#1B1F23"
GREY = "#5D6D7E"
GRID_BLUE = "#1F4E99"


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
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text_width(text[:mid].rstrip() + "…", size, bold) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…" if lo else ""


def wrap(text: str, size: float, bold: bool, width: float, max_lines: int = 3) -> list[str]:
    words: list[str] = []
    for word in text.split():
        if words and len(word) <= 2:  # keep "Lt. 1" together: no lone "1" on a line
            words[-1] += " " + word
        else:
            words.append(word)
    if not words:
        return [text]
    lines, current = [], words[0]
    for word in words[1:]:
        trial = current + " " + word
        if text_width(trial, size, bold) <= width:
            current = trial
        else:
            lines.append(current)
            current = word
    lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines - 1] + [" ".join(lines[max_lines - 1:])]
    return lines


# --- paper primitives ---------------------------------------------------------------------
@dataclass
class PShape:
    points: list[tuple[float, float]]
    fill: str | None = None
    stroke: str | None = INK
    width: float = 0.25
    closed: bool = True
    dash: tuple[float, float] | None = None
    ref: pd.Ref | None = None


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
class PGroup:
    items: list
    name: str = ""
    clip: Rect | None = None


class PrimitiveWalker:
    """Base of the PDF, SVG and PNG backends: walks a sheet's primitives and calls ``group``,
    ``shape``, ``text`` and ``draw_image`` on the subclass, one method per kind."""

    def items(self, items) -> None:
        for item in items:
            if isinstance(item, PGroup):
                self.group(item)
            elif isinstance(item, PShape):
                self.shape(item)
            elif isinstance(item, PText):
                self.text(item)
            elif isinstance(item, PImage):
                self.draw_image(item)


@dataclass
class Page:
    width: float
    height: float
    items: list
    title: str
    label: str


@dataclass
class Heading:
    """What the title block says besides the drawing: the MPP, its office, the date."""

    mpp_name: str
    office: str = ""
    when: date = field(default_factory=date.today)
    paper: str = "A3"


def heading_from(project, paper: str, when: date | None = None) -> Heading:
    site = project.site
    office = site.operator_office or site.government_name or ""
    if site.city and office and site.city.lower() not in office.lower():
        office = f"{office} {site.city}"
    return Heading(site.name, office, when or date.today(), paper)


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


def fit_block(lines, size: float, box_w: float, box_h: float, min_size: float, wrap_lines: bool = False):
    """(size, laid lines) of the largest text that fits the box, or None when nothing legible fits."""
    s = size
    while True:
        laid = _lay(lines, s, box_w, wrap_lines)
        w, h = block_size(laid)
        if w <= box_w + 1e-6 and h <= box_h + 1e-6:
            return s, laid
        if s <= min_size:
            break
        s = max(min_size, s * 0.9)
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


# --- composing a sheet ----------------------------------------------------------------------
def compose(sheet: Sheet, heading: Heading) -> Page:
    f = sheet.frame
    drawing = sheet.drawing
    plan = PGroup(_plan_items(sheet), name="plan", clip=f.area)
    items: list = [plan]
    if drawing.bounds() is None:  # nothing drawn on this floor (yet): say so rather than print a blank
        a = f.area
        items.append(PText(a.x + a.w / 2, a.y + a.h / 2, "Lantai ini belum memiliki gambar denah.", 4.0, False,
                           GREY, "middle"))
    if sheet.kind == "key":
        items.append(PGroup(_key_grid(sheet), name="sheet-grid", clip=f.area))
    items.append(PGroup([PShape(_rect_pts(f.area), None, INK, 0.35)], name="frame"))
    if sheet.kind == "tile":
        items.append(PGroup(_assembly_marks(sheet), name="assembly-marks"))
    items.append(PGroup(_title_block(sheet, heading), name="title-block"))
    label = drawing.floor_name if sheet.tile is None else f"{drawing.floor_name} — {sheet.tile.label}"
    if sheet.kind == "key":
        label = f"{drawing.floor_name} — lembar kunci"
    title = f"Denah {drawing.floor_name} — {heading.mpp_name}"
    return Page(f.width, f.height, items, title, label)


def _rect_pts(r: Rect) -> list[tuple[float, float]]:
    return [(r.x, r.y), (r.right, r.y), (r.right, r.bottom), (r.x, r.bottom)]


def _visible(sheet: Sheet, bbox, margin: float = 0.0) -> bool:
    vx0, vy0, vx1, vy1 = sheet.view
    x0, y0, x1, y1 = bbox
    return not (x1 < vx0 - margin or x0 > vx1 + margin or y1 < vy0 - margin or y0 > vy1 + margin)


def _plan_items(sheet: Sheet) -> list:
    drawing = sheet.drawing
    groups: dict[str, list] = {}
    order: list[str] = []
    slack = 20 * sheet.scale  # text may reach this far (plan mm) beyond its anchor

    def add(name, *things):
        if name not in groups:
            groups[name] = []
            order.append(name)
        groups[name].extend(things)

    to_paper = sheet.to_paper
    for item in drawing.items:
        if isinstance(item, pd.Picture):
            image = _background(item, sheet)
            if image is not None:
                add("background", image)
        elif isinstance(item, pd.Polygon):
            if _visible(sheet, geometry.bounds(item.points)):
                add(item.layer, PShape([to_paper(x, y) for x, y in item.points], item.fill, item.stroke,
                                       item.stroke_mm, ref=item.ref))
        elif isinstance(item, pd.Box):
            if not _visible(sheet, item.bbox()):
                continue
            corners = [to_paper(x, y) for x, y in item.corners()]
            if len(item.fills) == 1:
                add(item.layer, PShape(corners, item.fills[0], item.stroke, item.stroke_mm, ref=item.ref))
            else:
                for colour, pts in item.stripes():
                    add(item.layer, PShape([to_paper(x, y) for x, y in pts], colour, None, 0))
                add(item.layer, PShape(corners, None, item.stroke, item.stroke_mm, ref=item.ref))
        elif isinstance(item, pd.Line):
            add(item.layer, PShape([to_paper(item.x1, item.y1), to_paper(item.x2, item.y2)], None, item.stroke,
                                   item.stroke_mm, closed=False))
        elif isinstance(item, pd.Dimension):
            if _visible(sheet, geometry.bounds([(item.x1, item.y1), (item.x2, item.y2)]), slack):
                add(item.layer, *_dimension(item, sheet))
        elif isinstance(item, pd.Text):
            if not _visible(sheet, (item.x, item.y, item.x, item.y), slack + (item.size_mm if item.plan_size else 0)):
                continue
            name = item.layer + "-text" if item.layer in ("rooms", "counters", "furniture") else item.layer
            add(name, *_text(item, sheet))
    return [PGroup(groups[name], name=name) for name in order]


def _text(item: pd.Text, sheet: Sheet) -> list[PText]:
    n = sheet.scale
    size = item.size_mm / n if item.plan_size else item.size_mm
    if item.plan_size:
        size = max(item.min_size_mm, size)
    if item.region is not None:
        region = _visible_region(item.region, sheet)
        if region is None:
            return []
        if region is not item.region:
            x, y = pd.label_point(region)
            item = pd.Text(item.layer, x, y, item.lines, item.size_mm, item.colour, item.rotation, item.valign,
                           item.fit, region, item.min_size_mm, item.plan_size, item.wrap)
        placed = _place_in_region(item, sheet, size)
        if placed is None:
            return []
        (x, y), laid = placed
        px, py = sheet.to_paper(x, y)
        return block_texts(px, py, laid, item.colour)
    if item.fit is not None:
        fitted = fit_block(item.lines, size, item.fit[0] / n, item.fit[1] / n, item.min_size_mm, item.wrap)
        if fitted is None:
            return []
        laid = fitted[1]
    else:
        laid = [(line.text, size * line.scale, line.bold) for line in item.lines]
    px, py = sheet.to_paper(item.x, item.y)
    if item.valign == "top":
        return block_texts(px, py, laid, item.colour, item.rotation, "top", "start")
    return block_texts(px, py, laid, item.colour, item.rotation)


def _visible_region(region, sheet: Sheet):
    """The room as far as this sheet shows it: the whole room, the visible part of a room cut by a
    tile's edge (when at least a quarter of it shows), or None."""
    vx0, vy0, vx1, vy1 = sheet.view
    inset = 3.0 * sheet.scale
    box = (vx0 + inset, vy0 + inset, vx1 - inset, vy1 - inset)
    bx0, by0, bx1, by1 = geometry.bounds(region)
    if bx0 >= box[0] and by0 >= box[1] and bx1 <= box[2] and by1 <= box[3]:
        return region
    part = geometry.clip_to_box(region, *box)
    if len(part) < 3 or geometry.polygon_area_mm2(part) < 0.25 * geometry.polygon_area_mm2(region):
        return None
    return part


def _free_span(region, obstacles, x: float, y: float, band: float) -> tuple[float, float]:
    """Half-widths (left, right) free around x on the line at y inside the region, clear of obstacles."""
    span = None
    for a, b in pd.inside_spans(region, y):
        if a <= x <= b:
            span = (a, b)
    if span is None:
        return 0.0, 0.0
    a, b = span
    for ox0, oy0, ox1, oy1 in obstacles:
        if oy1 < y - band or oy0 > y + band:
            continue
        if ox0 <= x <= ox1:
            return 0.0, 0.0
        if ox1 < x:
            a = max(a, ox1)
        elif ox0 > x:
            b = min(b, ox0)
    return x - a, b - x


def _free_height(region, obstacles, x: float, y: float, band: float) -> float:
    """Free height (plan mm) centred on y at x, limited by the room's walls and obstacles."""
    xs = [(p[1], p[0]) for p in region]  # swap axes and reuse the span finder
    lo, hi = _free_span(xs, [(o[1], o[0], o[3], o[2]) for o in obstacles], y, x, band)
    return 2 * min(lo, hi)


def _rect_clear(rect, region, obstacles) -> bool:
    x0, y0, x1, y1 = rect
    for cx, cy in ((x0, y0), (x1, y0), (x1, y1), (x0, y1)):
        if not geometry.point_in_polygon(cx, cy, region):
            return False
    for px, py in region:
        if x0 < px < x1 and y0 < py < y1:
            return False
    for ox0, oy0, ox1, oy1 in obstacles:
        if ox0 < x1 and ox1 > x0 and oy0 < y1 and oy1 > y0:
            return False
    return True


def _place_in_region(item: pd.Text, sheet: Sheet, size: float):
    """The spot in the room where its label is largest, nearest the middle, clear of counters."""
    n = sheet.scale
    region = item.region
    bx0, by0, bx1, by1 = geometry.bounds(region)
    obstacles = [o for o in sheet.drawing.obstacles if o[0] < bx1 and o[2] > bx0 and o[1] < by1 and o[3] > by0]
    nominal = block_size([(line.text, size * line.scale, line.bold) for line in item.lines])
    band = nominal[1] * n / 2
    candidates = [(item.x, item.y)]
    steps = 12
    grid = []
    for i in range(steps):
        for j in range(steps):
            x = bx0 + (bx1 - bx0) * (i + 0.5) / steps
            y = by0 + (by1 - by0) * (j + 0.5) / steps
            if geometry.point_in_polygon(x, y, region):
                grid.append((x, y))
    grid.sort(key=lambda p: (p[0] - item.x) ** 2 + (p[1] - item.y) ** 2)
    candidates.extend(grid)
    best = None
    for x, y in candidates:
        left, right = _free_span(region, obstacles, x, y, band)
        w = 2 * min(left, right) * 0.92
        h = _free_height(region, obstacles, x, y, w / 2) * 0.9
        if w <= 0 or h <= 0:
            continue
        if best is not None and min(w / n, h / n) < best[0] * 0.5:
            continue
        fitted = fit_block(item.lines, size, w / n, h / n, item.min_size_mm, item.wrap)
        if fitted is None:
            continue
        s, laid = fitted
        bw, bh = block_size(laid)
        rect = (x - bw * n / 2, y - bh * n / 2, x + bw * n / 2, y + bh * n / 2)
        if not _rect_clear(rect, region, obstacles):
            continue
        full = len(laid) >= len(item.lines) and all(not t.endswith("…") for t, _s, _b in laid)
        score = (full, round(s, 3), -len(laid))
        if best is None or score > best[1]:
            best = (s, score, (x, y), laid)
        if full and s >= size - 1e-6 and len(laid) == len(item.lines):
            break
    if best is None:
        fitted = fit_block(item.lines, size, (bx1 - bx0) * 0.9 / n, (by1 - by0) * 0.9 / n, item.min_size_mm,
                           item.wrap)
        return None if fitted is None else ((item.x, item.y), fitted[1])
    return best[2], best[3]


def _dimension(item: pd.Dimension, sheet: Sheet) -> list:
    (x1, y1), (x2, y2) = sheet.to_paper(item.x1, item.y1), sheet.to_paper(item.x2, item.y2)
    angle = math.degrees(math.atan2(y2 - y1, x2 - x1))
    if angle > 90:
        angle -= 180
    elif angle <= -90:
        angle += 180
    r = math.radians(angle)
    ux, uy = math.cos(r), math.sin(r)
    nx, ny = uy, -ux  # "up" for the upright text
    out: list = [PShape([(x1, y1), (x2, y2)], None, pd.DIMENSION, 0.2, closed=False)]
    tick = 1.2
    d = math.hypot(x2 - x1, y2 - y1)
    ex, ey = ((x2 - x1) / d, (y2 - y1) / d) if d else (1.0, 0.0)
    for px, py in ((x1, y1), (x2, y2)):
        # architectural tick: a short slash at 45 degrees, and a short extension line across
        tx, ty = (ex - ey) / math.sqrt(2), (ey + ex) / math.sqrt(2)
        out.append(PShape([(px - tx * tick, py - ty * tick), (px + tx * tick, py + ty * tick)], None, pd.DIMENSION,
                          0.35, closed=False))
        out.append(PShape([(px - nx * 1.5, py - ny * 1.5), (px + nx * 1.5, py + ny * 1.5)], None, pd.DIMENSION,
                          0.15, closed=False))
    size = 2.0
    mx, my = (x1 + x2) / 2 + nx * 0.8, (y1 + y2) / 2 + ny * 0.8
    out.append(PText(mx, my, item.text, size, False, pd.DIMENSION, "middle", angle))
    return out


def _background(pic: pd.Picture, sheet: Sheet) -> PImage | None:
    """The visible part of the scan, at most ~300 dpi on paper, blended with white by its opacity."""
    from io import BytesIO

    from PIL import Image

    vx0, vy0, vx1, vy1 = sheet.view
    x0, y0 = max(vx0, pic.x), max(vy0, pic.y)
    x1, y1 = min(vx1, pic.x + pic.width), min(vy1, pic.y + pic.height)
    if x1 <= x0 or y1 <= y0:
        return None
    left = int(math.floor((x0 - pic.x) / pic.mm_per_px))
    top = int(math.floor((y0 - pic.y) / pic.mm_per_px))
    right = int(math.ceil((x1 - pic.x) / pic.mm_per_px))
    bottom = int(math.ceil((y1 - pic.y) / pic.mm_per_px))
    right, bottom = min(pic.px_width, max(right, left + 1)), min(pic.px_height, max(bottom, top + 1))
    try:
        with Image.open(BytesIO(pic.data)) as src:
            img = src.convert("RGBA").crop((left, top, right, bottom))
    except Exception:  # noqa: BLE001 - a damaged scan is left out
        return None
    px0, py0 = sheet.to_paper(pic.x + left * pic.mm_per_px, pic.y + top * pic.mm_per_px)
    px1, py1 = sheet.to_paper(pic.x + right * pic.mm_per_px, pic.y + bottom * pic.mm_per_px)
    w_mm, h_mm = px1 - px0, py1 - py0
    max_px = (max(1, int(w_mm * 12)), max(1, int(h_mm * 12)))  # about 300 dpi
    if img.width > max_px[0] or img.height > max_px[1]:
        img = img.resize((min(img.width, max_px[0]), min(img.height, max_px[1])), Image.LANCZOS)
    white = Image.new("RGBA", img.size, (255, 255, 255, 255))
    alpha = img.getchannel("A").point(lambda a: int(a * pic.opacity))
    white.paste(img.convert("RGB"), (0, 0), alpha)
    buf = BytesIO()
    white.convert("RGB").save(buf, "PNG", optimize=False)
    return PImage(buf.getvalue(), px0, py0, w_mm, h_mm)


def circle(cx: float, cy: float, r: float, n: int = 36) -> list[tuple[float, float]]:
    return [(cx + r * math.cos(2 * math.pi * i / n), cy + r * math.sin(2 * math.pi * i / n)) for i in range(n)]


def _target(cx: float, cy: float) -> list[PShape]:
    """A registration mark: a circle with a cross, the same plan spot on both neighbouring sheets."""
    return [PShape(circle(cx, cy, 2.0), None, INK, 0.2),
            PShape([(cx - 3.2, cy), (cx + 3.2, cy)], None, INK, 0.2, closed=False),
            PShape([(cx, cy - 3.2), (cx, cy + 3.2)], None, INK, 0.2, closed=False)]


def _arrow(cx: float, cy: float, direction: str, size: float = 2.6) -> PShape:
    dx, dy = {"left": (-1, 0), "right": (1, 0), "up": (0, -1), "down": (0, 1)}[direction]
    px, py = -dy, dx
    tip = (cx + dx * size, cy + dy * size)
    back = (cx - dx * size * 0.4, cy - dy * size * 0.4)
    return PShape([tip, (back[0] + px * size * 0.8, back[1] + py * size * 0.8),
                   (back[0] - px * size * 0.8, back[1] - py * size * 0.8)], INK, None, 0)


def _assembly_marks(sheet: Sheet) -> list:
    a = sheet.frame.area
    tile = sheet.tile
    out: list = []
    # crop marks at the corners, in the margin
    for x, y, sx, sy in ((a.x, a.y, -1, -1), (a.right, a.y, 1, -1), (a.right, a.bottom, 1, 1), (a.x, a.bottom, -1, 1)):
        out.append(PShape([(x + sx * 1.5, y), (x + sx * 7, y)], None, INK, 0.2, closed=False))
        out.append(PShape([(x, y + sy * 1.5), (x, y + sy * 7)], None, INK, 0.2, closed=False))
    # the overlap strips: a dashed line where the neighbour's part begins, and registration targets
    o = OVERLAP
    for side, neighbour in tile.neighbours.items():
        if side == "right":
            line = [(a.right - o, a.y), (a.right - o, a.bottom)]
            marks = [(a.right - o / 2, a.y + a.h * k) for k in (0.25, 0.75)]
            arrow, text_at = (a.right + 3.0, a.y + a.h / 2), (a.right + 3.0, a.y + a.h / 2 + 6.5)
        elif side == "left":
            line = [(a.x + o, a.y), (a.x + o, a.bottom)]
            marks = [(a.x + o / 2, a.y + a.h * k) for k in (0.25, 0.75)]
            arrow, text_at = (a.x - 4.0, a.y + a.h / 2), (a.x - 4.0, a.y + a.h / 2 + 6.5)
        elif side == "up":
            line = [(a.x, a.y + o), (a.right, a.y + o)]
            marks = [(a.x + a.w * k, a.y + o / 2) for k in (0.25, 0.75)]
            arrow, text_at = (a.x + a.w / 2, a.y - 4.5), (a.x + a.w / 2 + 7.0, a.y - 3.4)
        else:
            line = [(a.x, a.bottom - o), (a.right, a.bottom - o)]
            marks = [(a.x + a.w * k, a.bottom - o / 2) for k in (0.25, 0.75)]
            arrow, text_at = (a.x + a.w / 2, a.bottom + 4.5), (a.x + a.w / 2 + 7.0, a.bottom + 5.6)
        out.append(PShape(line, None, GRID_BLUE, 0.3, closed=False, dash=(2.0, 1.5)))
        for mx, my in marks:
            out.extend(_target(mx, my))
        out.append(_arrow(arrow[0], arrow[1], side))
        out.append(PText(text_at[0], text_at[1], neighbour, 3.0, True, INK, "middle"))
    # the sheet's own label in the top-left margin
    out.append(PText(a.x + 2.5, a.y - 3.0, f"Bagian {tile.label}", 3.2, True, INK, "start"))
    return out


def _key_grid(sheet: Sheet) -> list:
    out: list = []
    for _tile, (x0, y0, x1, y1) in sheet.grid:
        p0, p1 = sheet.to_paper(x0, y0), sheet.to_paper(x1, y1)
        out.append(PShape([p0, (p1[0], p0[1]), p1, (p0[0], p1[1])], None, GRID_BLUE, 0.45, dash=(3.0, 1.5)))
    for tile, (x0, y0, x1, y1) in sheet.grid:
        p0, p1 = sheet.to_paper(x0, y0), sheet.to_paper(x1, y1)
        size = max(3.0, min(9.0, (p1[0] - p0[0]) * 0.22, (p1[1] - p0[1]) * 0.3))
        cx, cy = (p0[0] + p1[0]) / 2, (p0[1] + p1[1]) / 2
        w = text_width(tile.label, size, True)
        plate = Rect(cx - w / 2 - size * 0.35, cy - size * 0.65, w + size * 0.7, size * 1.3)
        out.append(PShape(_rect_pts(plate), "#FFFFFF", GRID_BLUE, 0.3))
        out.append(PText(cx, cy + size * 0.36, tile.label, size, True, GRID_BLUE, "middle"))
    return out


# --- title block --------------------------------------------------------------------------
def _nice_bar(scale: int, max_len_mm: float) -> tuple[float, int]:
    """(length in metres, segments) of the longest round scale bar that fits ``max_len_mm``."""
    best = (1.0, 4)
    for metres in (0.5, 1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if metres * 1000 / scale <= max_len_mm:
            best = (float(metres), 4 if str(metres)[0] == "2" else 5)
    return best


def scale_bar(x: float, y: float, scale: int, max_len: float) -> list:
    """Alternating black and white segments with metre marks, true to the sheet's scale."""
    metres, segments = _nice_bar(scale, max_len)
    length = metres * 1000 / scale
    seg = length / segments
    h = 1.6
    out: list = []
    for i in range(segments):
        out.append(PShape(_rect_pts(Rect(x + i * seg, y, seg, h)), INK if i % 2 == 0 else "#FFFFFF", INK, 0.15))

    def num(v):
        from mpp_planner.formats import number

        return number(v, 0 if float(v).is_integer() else 1, lang="id")

    out.append(PText(x, y + h + 2.6, "0", 2.0, False, INK, "middle"))
    out.append(PText(x + length / 2, y + h + 2.6, num(metres / 2), 2.0, False, INK, "middle"))
    out.append(PText(x + length, y + h + 2.6, f"{num(metres)} m", 2.0, False, INK, "middle"))
    return out


def _fit_line(text: str, size: float, bold: bool, width: float, min_size: float) -> tuple[str, float]:
    s = size
    while s > min_size and text_width(text, s, bold) > width:
        s = max(min_size, s * 0.92)
    return elide(text, s, bold, width), s


def _title_block(sheet: Sheet, heading: Heading) -> list:
    from mpp_planner.formats import long_date

    t = sheet.frame.title
    out: list = [PShape(_rect_pts(t), "#FFFFFF", INK, 0.35)]
    drawing = sheet.drawing
    pad = 3.0
    if sheet.kind == "key":
        what = f"Lembar kunci: susunan {len(sheet.grid)} bagian"
        scale_value = f"1:{sheet.scale}"
        scale_note = f"bagian A1–{sheet.grid[-1][0].label} pada skala 1:{sheet.tile_scale}"
    elif sheet.kind == "tile":
        what = f"Bagian {sheet.tile.label} (baris {row_name(sheet.tile.row)}, kolom {sheet.tile.col + 1})"
        scale_value = f"1:{sheet.scale}"
        scale_note = ""
    else:
        what = ""
        scale_value = f"1:{sheet.scale}"
        scale_note = ""
    note = ""
    if sheet.kind == "tile":
        note = (f"Tepi lembar bertumpang tindih {OVERLAP:.0f} mm dengan lembar sebelah: potong pada garis "
                "putus-putus biru, lalu impitkan tanda lingkaran-silang.")
    cells = [("SKALA", scale_value),
             ("KERTAS", f"{heading.paper} {'lanskap' if sheet.frame.orientation == 'landscape' else 'potret'}"),
             ("TANGGAL", long_date(heading.when, lang="id")), ("LEMBAR", f"Lembar {sheet.number} dari {sheet.count}")]

    if sheet.frame.strip == "right":
        x, w = t.x + pad, t.w - 2 * pad
        y = t.y + pad
        y = _identity(out, heading, drawing, what, x, y, w, note)
        # bottom part: scale bar and the cells, anchored to the bottom
        cell_h = 9.0
        cells_top = t.bottom - 2 * cell_h
        bar_top = cells_top - (13.0 if not scale_note else 16.0)
        out.append(PShape([(t.x, bar_top - 3.0), (t.right, bar_top - 3.0)], None, INK, 0.25, closed=False))
        out.extend(scale_bar(x + 1.0, bar_top + 1.0, sheet.scale, w - 8.0))
        if scale_note:
            out.append(PText(x, bar_top + 9.4, *(_fit_line(scale_note, 2.0, False, w, 1.4)), False, GREY))
        _cells(out, cells, Rect(t.x, cells_top, t.w, 2 * cell_h), 2)
        _legend(out, drawing, Rect(x, y + 1.0, w, bar_top - 4.0 - (y + 1.0)))
    else:
        col1 = t.w * 0.36
        col3 = min(t.w * 0.30, 80.0)
        x1, w1 = t.x + pad, col1 - 2 * pad
        _identity(out, heading, drawing, what, x1, t.y + pad, w1, note)
        right = Rect(t.right - col3, t.y, col3, t.h)
        out.append(PShape([(right.x, t.y), (right.x, t.bottom)], None, INK, 0.25, closed=False))
        out.append(PShape([(t.x + col1, t.y), (t.x + col1, t.bottom)], None, INK, 0.25, closed=False))
        cell_h = 9.0
        cells_top = t.bottom - 2 * cell_h
        out.extend(scale_bar(right.x + pad + 1.0, t.y + pad + 1.5, sheet.scale, right.w - 2 * pad - 8.0))
        if scale_note:
            out.append(PText(right.x + pad, t.y + pad + 10.0, *(_fit_line(scale_note, 2.0, False, right.w - 2 * pad,
                                                                          1.4)), False, GREY))
        _cells(out, cells, Rect(right.x, cells_top, right.w, 2 * cell_h), 2)
        _legend(out, drawing, Rect(t.x + col1 + pad, t.y + pad, t.w - col1 - col3 - 2 * pad, t.h - 2 * pad))
    return out


def _identity(out: list, heading: Heading, drawing, what: str, x: float, y: float, w: float, note: str = "") -> float:
    """MPP name, office, "DENAH <floor>" and what this sheet is; returns the y below them."""
    for line in wrap(heading.mpp_name.upper(), 3.6, True, w, 2):
        text, size = _fit_line(line, 3.6, True, w, 2.4)
        y += size * 1.05
        out.append(PText(x, y, text, size, True, INK))
        y += size * 0.25
    if heading.office:
        for line in wrap(heading.office, 2.3, False, w, 2):
            text, size = _fit_line(line, 2.3, False, w, 1.6)
            y += size * 1.15
            out.append(PText(x, y, text, size, False, GREY))
    y += 4.2
    text, size = _fit_line(f"DENAH {drawing.floor_name.upper()}", 4.0, True, w, 2.4)
    y += size * 0.9
    out.append(PText(x, y, text, size, True, INK))
    if what:
        text, size = _fit_line(what, 2.4, False, w, 1.6)
        y += size * 1.5
        out.append(PText(x, y, text, size, False, INK))
    if note:
        y += 0.8
        for line in wrap(note, 1.9, False, w, 4):
            y += 1.9 * 1.3
            out.append(PText(x, y, elide(line, 1.9, False, w), 1.9, False, GREY))
    return y + 2.5


def _cells(out: list, cells, box: Rect, columns: int) -> None:
    rows = (len(cells) + columns - 1) // columns
    cw, ch = box.w / columns, box.h / rows
    out.append(PShape([(box.x, box.y), (box.right, box.y)], None, INK, 0.25, closed=False))
    for r in range(1, rows):
        out.append(PShape([(box.x, box.y + r * ch), (box.right, box.y + r * ch)], None, INK, 0.2, closed=False))
    for c in range(1, columns):
        out.append(PShape([(box.x + c * cw, box.y), (box.x + c * cw, box.bottom)], None, INK, 0.2, closed=False))
    for i, (caption, value) in enumerate(cells):
        r, c = divmod(i, columns)
        x, y = box.x + c * cw + 2.0, box.y + r * ch
        out.append(PText(x, y + 2.9, caption, 1.8, False, GREY))
        text, size = _fit_line(value, 3.0, True, cw - 4.0, 1.8)
        out.append(PText(x, y + ch - 2.0, text, size, True, INK))


def _legend(out: list, drawing, box: Rect) -> None:
    entries = drawing.legend
    if not entries or box.h < 8 or box.w < 20:
        return
    out.append(PText(box.x, box.y + 2.6, drawing.legend_title, 2.4, True, INK))
    top = box.y + 5.0
    avail_h = box.bottom - top
    for size in (2.4, 2.2, 2.0, 1.8, 1.6):
        row_h = size * 1.55
        rows = max(1, int(avail_h // row_h))
        cols = (len(entries) + rows - 1) // rows
        col_w = box.w / cols
        if col_w >= size * 12 or size == 1.6:
            break
    shown = entries
    if col_w < size * 12:  # too many even at the smallest size: show what fits, say how many are left
        cols = max(1, int(box.w // (size * 12)))
        col_w = box.w / cols
        keep = rows * cols - 1
        shown = entries[:keep] + [pd.LegendEntry("#FFFFFF", f"dan {len(entries) - keep} lainnya")]
    rows = max(1, (len(shown) + cols - 1) // cols)
    sw = size * 1.5
    room = col_w - sw - 2.5
    # one style for the whole legend: "DPMPTSP — Dinas ..." when the columns are wide, else short names
    short = col_w < size * 22 and any(text_width(e.label, size, False) > room for e in shown)
    for i, entry in enumerate(shown):
        c, r = divmod(i, rows)
        x, y = box.x + c * col_w, top + r * row_h
        out.append(PShape(_rect_pts(Rect(x, y, sw, size * 1.05)), entry.colour, INK, 0.12))
        text = elide(entry.short if short and entry.short else entry.label, size, False, room)
        out.append(PText(x + sw + 1.2, y + size * 0.9, text, size, False, INK))
