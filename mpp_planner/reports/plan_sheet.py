"""A sheet composed into paper primitives: the plan at its scale inside the drawing area, the
title block (plan_title), and on tiled sheets the assembly marks; on a key sheet the tile grid.

Everything is in millimetres from the sheet's top-left corner (y down); the primitives and the
text metrics live in plan_primitives. Fixed sheet texts are Indonesian: the sheet is an official
document.
"""

from __future__ import annotations

import math
from bisect import bisect_right

from mpp_planner.model import geometry
from mpp_planner.reports import plan_drawing as pd
from mpp_planner.reports.plan_layout import OVERLAP, Rect, Sheet
from mpp_planner.reports.plan_primitives import (  # noqa: F401 - the backends' and tests' names, kept here too
    FIT_SLACK, FONT_FAMILY_SVG, GREY, INK, LINE_HEIGHT, MIN_TEXT_MM, Page, PGroup, PImage, PPaths, PrimitiveWalker,
    PShape, PText, block_size, block_texts, boxes_meet, elide, fit_block, fit_steps, font_path, rect_pts,
    register_fonts, text_box, text_width, wrap)
from mpp_planner.reports.plan_title import Heading, heading_from, scale_bar, title_block  # noqa: F401
from mpp_planner.reports.plan_walls import SWING_MM

GRID_BLUE = "#1F4E99"


# --- composing a sheet ----------------------------------------------------------------------
def compose(sheet: Sheet, heading: Heading) -> Page:
    from mpp_planner.reports import plan_key

    f = sheet.frame
    drawing = sheet.drawing
    title = f"Denah {drawing.floor_name} — {heading.mpp_name}"
    if sheet.kind == "notes":
        notes = [PGroup(plan_key.notes_items(sheet), name="notes"),
                 PGroup([PShape(rect_pts(f.area), None, INK, 0.35)], name="frame"),
                 PGroup(title_block(sheet, heading), name="title-block")]
        return Page(f.width, f.height, notes, title, f"{drawing.floor_name} — keterangan")
    occupied: list[tuple[float, float, float, float]] = []  # paper boxes of the room names drawn
    plan = PGroup(_plan_items(sheet, occupied), name="plan", clip=f.area)
    items: list = [plan]
    if drawing.bounds() is None:  # nothing drawn on this floor (yet): say so rather than print a blank
        a = f.area
        items.append(PText(a.x + a.w / 2, a.y + a.h / 2, "Lantai ini belum memiliki gambar denah.", 4.0, False,
                           GREY, "middle"))
    if sheet.kind == "key":
        items.append(PGroup(_key_grid(sheet, occupied), name="sheet-grid", clip=f.area))
    if sheet.key_box is not None:
        items.append(PGroup(plan_key.key_items(sheet), name="numbered-key"))
    items.append(PGroup([PShape(rect_pts(f.area), None, INK, 0.35)], name="frame"))
    if sheet.kind == "tile":
        items.append(PGroup(_assembly_marks(sheet), name="assembly-marks"))
    items.append(PGroup(title_block(sheet, heading), name="title-block"))
    label = drawing.floor_name if sheet.tile is None else f"{drawing.floor_name} — {sheet.tile.label}"
    if sheet.kind == "key":
        label = f"{drawing.floor_name} — lembar kunci"
    return Page(f.width, f.height, items, title, label)


def _visible(sheet: Sheet, bbox, margin: float = 0.0) -> bool:
    vx0, vy0, vx1, vy1 = sheet.view
    x0, y0, x1, y1 = bbox
    return not (x1 < vx0 - margin or x0 > vx1 + margin or y1 < vy0 - margin or y0 > vy1 + margin)


def _plan_items(sheet: Sheet, occupied: list | None = None) -> list:
    from mpp_planner.reports import plan_key

    drawing = sheet.drawing
    labels = sheet.labels if sheet.labels is not None else plan_key.labels_for(sheet)
    occupied = occupied if occupied is not None else []
    groups: dict[str, list] = {}
    order: list[str] = []
    slack = 20 * sheet.scale  # text may reach this far (plan mm) beyond its anchor

    def add(name, *things):
        if name not in groups:
            groups[name] = []
            order.append(name)
        groups[name].extend(things)

    to_paper, paper = sheet.to_paper, sheet.points_to_paper
    for index, item in enumerate(drawing.items):
        if isinstance(item, pd.Picture):
            image = _background(item, sheet)
            if image is not None:
                add("background", image)
        elif isinstance(item, pd.Vectors):
            things = _underlay(item, sheet)
            if things:
                add(item.layer, *things)
        elif isinstance(item, pd.Polygon):
            if _visible(sheet, geometry.bounds(item.points)):
                add(item.layer, PShape(paper(item.points), item.fill, item.stroke, item.stroke_mm, item.closed,
                                       ref=item.ref))
        elif isinstance(item, pd.WallMass):
            if _visible(sheet, item.bbox()):
                add(item.layer, PShape(paper(item.exterior), item.fill, None, 0,
                                       holes=[paper(ring) for ring in item.holes]))
        elif isinstance(item, pd.Opening):  # the first stroke names the door or window (SVG)
            if _visible(sheet, item.bbox()):
                add(item.layer, *_opening(item, sheet))
        elif isinstance(item, pd.Furniture):  # its symbol's paths; the first one names the item (SVG)
            if _visible(sheet, item.bbox()):
                add(item.layer, *(PShape(paper(p.points), p.fill, p.stroke, p.stroke_mm, p.closed,
                                         ref=item.ref if i == 0 else None) for i, p in enumerate(item.paths)))
        elif isinstance(item, pd.Box):
            if not _visible(sheet, item.bbox()):
                continue
            corners = paper(item.corners())
            if len(item.fills) == 1:
                add(item.layer, PShape(corners, item.fills[0], item.stroke, item.stroke_mm, ref=item.ref))
            else:
                for colour, pts in item.stripes():
                    add(item.layer, PShape(paper(pts), colour, None, 0))
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
            add(name, *_text(item, sheet, labels.numbers.get(index), labels.placed.get(index), occupied))
    return [PGroup(groups[name], name=name) for name in order]


SWING_STEP_MM = 0.6  # a door's swing is drawn in chords at most about this long on paper


def _opening(item: pd.Opening, sheet: Sheet) -> list[PShape]:
    """A door's or window's strokes on paper, its swings as fine polylines."""
    paper = sheet.points_to_paper
    out = [PShape(paper(p.points), p.fill, p.stroke, p.stroke_mm, p.closed) for p in item.paths]
    for swing in item.swings:
        chord = abs(math.radians(swing.sweep)) * swing.r / sheet.scale
        steps = max(8, min(90, math.ceil(chord / SWING_STEP_MM)))
        out.append(PShape(paper(swing.points(steps)), None, pd.OPENING_LINE, SWING_MM, closed=False))
    if out:
        out[0].ref = item.ref
    return out


def _text(item: pd.Text, sheet: Sheet, number: int | None = None, placed=None, occupied: list | None = None) -> list:
    """The text's lines on paper, never under MIN_TEXT_MM; ``number`` (from the sheet's LabelPlan)
    draws the key number instead (0: left out); ``placed`` is the room label's spot worked out for
    the whole room. The paper boxes of room names drawn are added to ``occupied``."""
    from mpp_planner.reports.plan_key import complete, min_size

    n = sheet.scale
    occupied = occupied if occupied is not None else []
    smallest = min_size(item)
    size = item.size_mm / n if item.plan_size else item.size_mm
    size = max(size, smallest)
    if number == 0:
        return []
    if item.region is not None:
        region = _visible_region(item.region, sheet)
        if region is None:
            return []
        if number is not None:
            return _number_in_region(str(number), region, sheet, occupied)
        if placed is None or region is not item.region:
            x, y = pd.label_point(region) if region is not item.region else (item.x, item.y)
            moved = pd.Text(item.layer, x, y, item.lines, item.size_mm, item.colour, item.rotation, item.valign,
                            item.fit, region, item.min_size_mm, item.plan_size, item.wrap)
            placed = place_in_region(moved, n, sheet.drawing.obstacles, size, smallest)
            if placed is None or not complete(placed[1], item.lines):
                return []
        (x, y), laid = placed
        px, py = sheet.to_paper(x, y)
        texts = block_texts(px, py, laid, item.colour)
        occupied.extend(text_box(t, 0.6) for t in texts)
        return texts
    if item.fit is not None:
        if number is not None:
            return _number_in_box(str(number), item, sheet, occupied)
        fitted = fit_block(item.lines, size, item.fit[0] / n, item.fit[1] / n, smallest, item.wrap)
        if fitted is None or not complete(fitted[1], item.lines):
            return []
        laid = fitted[1]
    else:
        laid = [(line.text, size * line.scale, line.bold) for line in item.lines]
    px, py = sheet.to_paper(item.x, item.y)
    if item.valign == "top":
        return block_texts(px, py, laid, item.colour, item.rotation, "top", "start")
    return block_texts(px, py, laid, item.colour, item.rotation)


NUMBER_SIZE = 2.4  # mm: the key numbers drawn in place of labels that do not fit


def _number_in_region(text: str, region, sheet: Sheet, occupied: list) -> list[PText]:
    """A room's key number, placed as its name would be (clear of counters and furniture)."""
    x, y = pd.label_point(region)
    item = pd.Text("rooms", x, y, (pd.TextLine(text, 1.0, True),), NUMBER_SIZE, pd.ROOM_TEXT, region=region)
    placed = place_in_region(item, sheet.scale, sheet.drawing.obstacles, NUMBER_SIZE, MIN_TEXT_MM)
    (x, y), laid = placed if placed is not None else ((x, y), [(text, NUMBER_SIZE, True)])
    px, py = sheet.to_paper(x, y)
    texts = block_texts(px, py, laid, pd.ROOM_TEXT)
    occupied.extend(text_box(t, 0.6) for t in texts)
    return texts


def _number_in_box(text: str, item: pd.Text, sheet: Sheet, occupied: list) -> list:
    """A counter's or a piece of furniture's key number: inside its box when it fits there, else on a
    white plate beside the box where it covers no room name and no other number."""
    n = sheet.scale
    fit = item.fit or (0.0, 0.0)
    w, h = fit[0] / n, fit[1] / n
    r = item.rotation % 180.0
    inner_w, inner_h = (w, h) if r < 1e-6 or abs(r - 180) < 1e-6 else (h, w) if abs(r - 90) < 1e-6 else (min(w, h),) * 2
    px, py = sheet.to_paper(item.x, item.y)
    size = NUMBER_SIZE
    tw, th = text_width(text, size, True), size * LINE_HEIGHT
    if tw <= inner_w + 1e-6 and th <= inner_h + 1e-6:
        return block_texts(px, py, [(text, size, True)], item.colour)
    # half the box's extent on paper, whatever its turn
    rad = math.radians(item.rotation)
    half_x = (abs(math.cos(rad)) * w + abs(math.sin(rad)) * h) / 2
    half_y = (abs(math.sin(rad)) * w + abs(math.cos(rad)) * h) / 2
    pw, ph = tw + 1.0, th + 0.4
    gap = 0.6
    spots = [(px + half_x + gap + pw / 2, py), (px - half_x - gap - pw / 2, py),
             (px, py - half_y - gap - ph / 2), (px, py + half_y + gap + ph / 2), (px, py)]
    for cx, cy in spots:
        box = (cx - pw / 2, cy - ph / 2, cx + pw / 2, cy + ph / 2)
        if not any(boxes_meet(box, o) for o in occupied) or (cx, cy) == (px, py):
            occupied.append(box)
            plate = PShape([(box[0], box[1]), (box[2], box[1]), (box[2], box[3]), (box[0], box[3])], "#FFFFFF",
                           pd.FURNITURE_LINE, 0.12)
            return [plate, *block_texts(cx, cy, [(text, size, True)], INK)]
    return []


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


def _span_clear(spans, obstacles, x: float, y: float, band: float) -> tuple[float, float]:
    """Half-widths (left, right) free around x on the line at y inside the region (whose inside
    ``spans`` on that line are given), clear of obstacles."""
    span = None
    for a, b in spans:
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


class _RoomScan:
    """One room's outline and the obstacles in it, for the ~145 spots tried for its label: the free
    width around a spot (:meth:`free_span`) and the free height (:meth:`free_height`: the same with x
    and y swapped). The spots lie on 13 rows and 13 columns, so the inside spans of each row and column
    (and the obstacles near each row) are worked out once, not once per spot."""

    def __init__(self, region, obstacles, band: float):
        self.region, self.obstacles, self.band = region, obstacles, band
        self.swapped = [(p[1], p[0]) for p in region]
        self.swapped_obstacles = [(o[1], o[0], o[3], o[2]) for o in obstacles]
        self._rows: dict[float, tuple[list, list]] = {}
        self._columns: dict[float, list] = {}

    def free_span(self, x: float, y: float) -> tuple[float, float]:
        row = self._rows.get(y)
        if row is None:
            band = self.band
            row = self._rows[y] = (pd.inside_spans(self.region, y),
                                   [o for o in self.obstacles if not (o[3] < y - band or o[1] > y + band)])
        return _span_clear(row[0], row[1], x, y, self.band)

    def free_height(self, x: float, y: float, band: float) -> float:
        spans = self._columns.get(x)
        if spans is None:
            spans = self._columns[x] = pd.inside_spans(self.swapped, x)
        lo, hi = _span_clear(spans, self.swapped_obstacles, y, x, band)
        return 2 * min(lo, hi)


class _BestScore:
    """The highest score :func:`place_in_region` could give a spot whose free box is w × h (paper mm),
    from two things every fitted block obeys (:class:`plan_primitives.FitSteps`): it is no lower than
    its lines unwrapped, and no narrower than its widest word. A spot that cannot beat the best found
    so far is not fitted at all; the spot chosen stays the same."""

    def __init__(self, lines, size: float, min_size: float, wrap_lines: bool):
        steps = fit_steps(tuple(lines), size, min_size, wrap_lines)
        self.count = len(lines)
        self.fallback = (True, round(steps.sizes[-1], 3), -self.count)  # lines shortened or cut at the least size
        self.steps = [(round(s, 3), steps.heights[k], steps.widths[k], steps.words[k])
                      for k, s in enumerate(steps.sizes)]

    def at_most(self, box_w: float, box_h: float) -> tuple:
        best = self.fallback
        room_w, room_h = box_w + 1e-6 + FIT_SLACK, box_h + 1e-6 + FIT_SLACK
        for rounded, height, whole, word in self.steps:
            if height > room_h or word > room_w:
                continue
            score = (True, rounded, -self.count if whole <= room_w else -self.count - 1)
            if score > best:
                best = score
        return best


def _crossings(points, y: float) -> list[float]:
    """Where the polygon's edges cross the line at y, worked out as geometry.point_in_polygon does: (x, y)
    is inside when an odd number of them lie right of x."""
    out = []
    j = len(points) - 1
    for i in range(len(points)):
        xi, yi = points[i]
        xj, yj = points[j]
        if (yi > y) != (yj > y):
            out.append((xj - xi) * (y - yi) / ((yj - yi) or 1e-12) + xi)
        j = i
    return out


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


def place_in_region(item: pd.Text, scale: int, obstacles, size: float, min_size: float):
    """The spot in the room (``item.region``) where its label is largest, nearest the middle, clear of
    ``obstacles`` (counters, furniture), at 1:``scale``, between ``size`` and ``min_size`` mm:
    ((x, y) on the plan, laid lines), or None when nothing legible fits."""
    n = scale
    region = item.region
    bx0, by0, bx1, by1 = geometry.bounds(region)
    obstacles = [o for o in obstacles if o[0] < bx1 and o[2] > bx0 and o[1] < by1 and o[3] > by0]
    nominal = block_size([(line.text, size * line.scale, line.bold) for line in item.lines])
    band = nominal[1] * n / 2
    scan = _RoomScan(region, obstacles, band)
    bound = _BestScore(item.lines, size, min_size, item.wrap)
    candidates = [(item.x, item.y)]
    steps = 12
    grid = []
    ys = [by0 + (by1 - by0) * (j + 0.5) / steps for j in range(steps)]
    rows = [sorted(_crossings(region, y)) for y in ys]  # point_in_polygon's edge crossings, once per row
    for i in range(steps):
        x = bx0 + (bx1 - bx0) * (i + 0.5) / steps
        for y, crossings in zip(ys, rows):
            if (len(crossings) - bisect_right(crossings, x)) % 2:  # crossings right of x: odd is inside
                grid.append((x, y))
    grid.sort(key=lambda p: (p[0] - item.x) ** 2 + (p[1] - item.y) ** 2)
    candidates.extend(grid)
    best = None
    for x, y in candidates:
        left, right = scan.free_span(x, y)
        w = 2 * min(left, right) * 0.92
        if w <= 0 or best is not None and (w / n < best[0] * 0.5 or bound.at_most(w / n, math.inf) <= best[1]):
            continue  # too narrow to beat the best spot however high it is
        h = scan.free_height(x, y, w / 2) * 0.9
        if h <= 0:
            continue
        if best is not None and (h / n < best[0] * 0.5 or bound.at_most(w / n, h / n) <= best[1]):
            continue
        fitted = fit_block(item.lines, size, w / n, h / n, min_size, item.wrap)
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
        fitted = fit_block(item.lines, size, (bx1 - bx0) * 0.9 / n, (by1 - by0) * 0.9 / n, min_size, item.wrap)
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


UNDERLAY_WIDTH = 0.1  # mm on paper: a hairline that prints
CAP_HEIGHT = 0.72  # of the font size: CAD text heights are capital heights
MIN_UNDERLAY_TEXT = MIN_TEXT_MM  # mm on paper: the architect's smaller notes stay in the DXF, not on the sheet


def _underlay(vec: pd.Vectors, sheet: Sheet) -> list:
    """The paths of the underlay that meet this sheet's view as one thin grey PPaths, and its texts."""
    vx0, vy0, vx1, vy1 = view = sheet.view
    a = sheet.frame.area
    ox, oy = sheet.origin
    k = 1.0 / sheet.scale
    dot = 0.05 * sheet.scale  # a path smaller than this on paper (plan mm) would not show
    lines, closed = [], []
    for i in vec.paths_in(view):
        bx0, by0, bx1, by1 = vec.boxes[i]
        if bx1 - bx0 < dot and by1 - by0 < dot:
            continue
        path = vec.paths[i]
        lines.append([(a.x + (x - ox) * k, a.y + (y - oy) * k) for x, y in path.points])
        closed.append(path.closed)
    out: list = [PPaths(lines, closed, pd.UNDERLAY_LINE, UNDERLAY_WIDTH)] if lines else []
    for t in vec.texts:
        size = t.height * k / CAP_HEIGHT
        reach = len(t.text) * t.height
        if size < MIN_UNDERLAY_TEXT or not t.text.strip() or not (
                vx0 - reach <= t.x <= vx1 + reach and vy0 - reach <= t.y <= vy1 + reach):
            continue
        out.append(PText(a.x + (t.x - ox) * k, a.y + (t.y - oy) * k, t.text, size, False, pd.UNDERLAY_TEXT, "start",
                         -t.rotation))
    return out


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


def _key_grid(sheet: Sheet, occupied: list | None = None) -> list:
    """The tiles' outlines on the key sheet and their names on white plates; a plate never covers a
    room name (``occupied``): it moves inside its tile to a free spot, smaller down to 3 mm, and is
    left out (the tile sheet itself carries its name) when no spot is free."""
    occupied = list(occupied or [])
    a = sheet.frame.area
    out: list = []
    for _tile, (x0, y0, x1, y1) in sheet.grid:
        p0, p1 = sheet.to_paper(x0, y0), sheet.to_paper(x1, y1)
        out.append(PShape([p0, (p1[0], p0[1]), p1, (p0[0], p1[1])], None, GRID_BLUE, 0.45, dash=(3.0, 1.5)))
    for tile, (x0, y0, x1, y1) in sheet.grid:
        p0, p1 = sheet.to_paper(x0, y0), sheet.to_paper(x1, y1)
        # the part of the tile inside the drawing area
        tx0, ty0, tx1, ty1 = max(p0[0], a.x), max(p0[1], a.y), min(p1[0], a.right), min(p1[1], a.bottom)
        nominal = max(3.0, min(9.0, (p1[0] - p0[0]) * 0.22, (p1[1] - p0[1]) * 0.3))
        spot = _free_plate(tile.label, (tx0, ty0, tx1, ty1), nominal, occupied)
        if spot is None:
            continue
        cx, cy, size, plate = spot
        occupied.append((plate.x, plate.y, plate.right, plate.bottom))
        out.append(PShape(rect_pts(plate), "#FFFFFF", GRID_BLUE, 0.3))
        out.append(PText(cx, cy + size * 0.36, tile.label, size, True, GRID_BLUE, "middle"))
    return out


def _free_plate(label: str, box, nominal: float, occupied: list):
    """(x, y, size, plate) of the largest plate for ``label`` nearest the middle of ``box`` that meets
    none of ``occupied``; None when there is none."""
    x0, y0, x1, y1 = box
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    size = nominal
    while size >= 3.0 - 1e-9:
        w = text_width(label, size, True)
        pw, ph = w + size * 0.7, size * 1.3
        spots = [(x0 + pw / 2 + (x1 - x0 - pw) * i / 8, y0 + ph / 2 + (y1 - y0 - ph) * j / 8)
                 for i in range(9) for j in range(9)] if x1 - x0 > pw and y1 - y0 > ph else []
        spots.sort(key=lambda p: (p[0] - mx) ** 2 + (p[1] - my) ** 2)
        for cx, cy in [(mx, my), *spots]:
            plate = Rect(cx - pw / 2, cy - ph / 2, pw, ph)
            if plate.x < x0 - 1e-6 or plate.right > x1 + 1e-6 or plate.y < y0 - 1e-6 or plate.bottom > y1 + 1e-6:
                continue
            if not any(boxes_meet((plate.x, plate.y, plate.right, plate.bottom), o) for o in occupied):
                return cx, cy, size, plate
        size = max(3.0, size - 1.0) if size > 3.0 + 1e-9 else 0.0
    return None
