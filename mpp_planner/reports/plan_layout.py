"""Putting floor drawings on paper: paper size and orientation, scale, the title block's place,
and tiling a plan that does not fit one sheet into overlapping sheets with a key sheet.

All lengths on paper are millimetres measured from the sheet's top-left corner.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mpp_planner.i18n import _
from mpp_planner.model import paper as papers
from mpp_planner.reports.plan_drawing import FloorDrawing

if TYPE_CHECKING:
    from mpp_planner.reports.plan_key import LabelPlan

# portrait width, height of the papers a plan may go on (A4, F4, A3, A2)
PAPERS = {name: (papers.PAPERS[name].width_mm, papers.PAPERS[name].height_mm) for name in papers.PLAN_PAPERS}
DEFAULT_PAPER = "A3"
ORIENTATIONS = ("auto", "portrait", "landscape")
SCALE_CHOICES = ("1:50", "1:100", "1:200", "fit")
MAX_SCALE = 10_000
MARGIN = 10.0  # white edge of every sheet (printers cannot print to the edge; marks live here)
GAP = 8.0  # between the drawing area and the title block
OVERLAP = 10.0  # shared strip between neighbouring tiles, for glueing
PAD = 4.0  # white around the plan inside the drawing area
MAX_SHEETS = 500  # one floor's tiles: more is a scale or paper chosen by mistake
MAX_EXPORT_SHEETS = 2000  # one export (the sheets are drawn one at a time; the PDF holds them all until written)
# depth of the title block strip: at the bottom (height) or on the right (width); it holds the sign-off
# boxes (Digambar, Diperiksa, Disetujui) and the drawing number besides the legend and the scale
TITLE_STRIP = {"A4": {"bottom": 58.0, "right": 72.0}, "F4": {"bottom": 58.0, "right": 72.0},
               "A3": {"bottom": 62.0, "right": 82.0}, "A2": {"bottom": 66.0, "right": 92.0}}
STANDARD_SCALES = (20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000)  # what a refusal suggests

_SCALE_RE = re.compile(r"^\s*1\s*:\s*(\d+)\s*$")


def parse_scale(text) -> int | None:
    """"1:100" -> 100; "fit" -> None. Any 1:N with N from 1 to 10000."""
    raw = "" if text is None else str(text).strip()
    if raw.lower() == "fit":
        return None
    m = _SCALE_RE.match(raw)
    n = int(m.group(1)) if m else 0
    if not 1 <= n <= MAX_SCALE:
        raise ValueError(_("Scale '{scale}' is not valid; use 1:50, 1:100, 1:200, fit, or 1:N with N from 1 to "
                           "{max}.").format(scale=raw, max=MAX_SCALE))
    return n


def parse_paper(text) -> str:
    """"a3" -> "A3"; "Folio" -> "F4"; anything but A4, F4, A3 and A2 is refused."""
    from mpp_planner.model import ValidationError

    try:
        return papers.clean_paper(text, papers.PLAN_PAPERS)
    except ValidationError:
        raise ValueError(_("Paper '{paper}' is not available; use {papers}.").format(
            paper=str(text).strip(), papers=", ".join(PAPERS))) from None


def parse_orientation(text) -> str:
    raw = "" if text is None else str(text).strip().lower()
    if raw not in ORIENTATIONS:
        raise ValueError(_("Orientation '{value}' is not valid; use {choices}.").format(
            value=str(text).strip(), choices=", ".join(ORIENTATIONS)))
    return raw


def scale_text(n: int) -> str:
    return f"1:{n}"


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass(frozen=True)
class Frame:
    """A sheet's geometry: paper, where the plan goes and where the title block goes."""

    paper: str
    orientation: str
    width: float
    height: float
    strip: str  # "bottom" or "right"
    area: Rect
    title: Rect


def frame(paper: str, orientation: str, strip: str) -> Frame:
    pw, ph = PAPERS[paper]
    w, h = (pw, ph) if orientation == "portrait" else (ph, pw)
    depth = TITLE_STRIP[paper][strip]
    inner = Rect(MARGIN, MARGIN, w - 2 * MARGIN, h - 2 * MARGIN)
    if strip == "bottom":
        area = Rect(inner.x, inner.y, inner.w, inner.h - depth - GAP)
        title = Rect(inner.x, inner.bottom - depth, inner.w, depth)
    else:
        area = Rect(inner.x, inner.y, inner.w - depth - GAP, inner.h)
        title = Rect(inner.right - depth, inner.y, depth, inner.h)
    return Frame(paper, orientation, w, h, strip, area, title)


def frames(paper: str, orientation: str) -> list[Frame]:
    """Every frame the options allow, in order of preference."""
    orients = ("landscape", "portrait") if orientation == "auto" else (orientation,)
    return [frame(paper, o, strip) for o in orients for strip in ("right", "bottom")]


@dataclass(frozen=True)
class Tile:
    label: str  # "A1": row letter, column number
    row: int
    col: int
    rows: int
    cols: int
    neighbours: dict = field(default_factory=dict, hash=False, compare=False)  # "left"/"right"/"up"/"down" -> label


@dataclass
class Sheet:
    """One page: a floor drawing seen through ``frame.area`` at 1:``scale`` from plan point ``origin``."""

    frame: Frame
    drawing: FloorDrawing
    scale: int
    origin: tuple[float, float]  # plan mm at the top-left of the drawing area
    kind: str = "single"  # "single", "key" (how the tiles fit), "tile" or "notes" (the numbered key)
    tile: Tile | None = None
    grid: list[tuple[Tile, tuple[float, float, float, float]]] = field(default_factory=list)  # key sheet
    tile_scale: int | None = None  # key sheet: the scale of its tiles
    number: int = 1
    count: int = 1
    labels: LabelPlan | None = None  # which labels are drawn by number (set by plan_key)
    notes: list = field(default_factory=list)  # "notes" sheet: the plan_key.KeyEntry it lists
    notes_sheet: int | None = None  # the number of the sheet that lists this sheet's numbered labels
    explains: tuple[int, ...] = ()  # "notes" sheet: the numbers of the sheets whose numbers it lists
    drawing_number: str = ""  # "MPP-01-1": set when the sheets are numbered
    key_box: Rect | None = None  # where the numbered key goes inside the drawing area, beside the plan
    fitted: bool = False  # the scale was chosen to fit the paper (it may shrink to make room for the key)

    @property
    def view(self) -> tuple[float, float, float, float]:
        """The plan rectangle shown in the drawing area."""
        x0, y0 = self.origin
        return x0, y0, x0 + self.frame.area.w * self.scale, y0 + self.frame.area.h * self.scale

    def to_paper(self, x: float, y: float) -> tuple[float, float]:
        a = self.frame.area
        return a.x + (x - self.origin[0]) / self.scale, a.y + (y - self.origin[1]) / self.scale

    def points_to_paper(self, points) -> list[tuple[float, float]]:
        """:meth:`to_paper` of every point (the same numbers, without a call per point)."""
        ax, ay = self.frame.area.x, self.frame.area.y
        ox, oy = self.origin
        n = self.scale
        return [(ax + (x - ox) / n, ay + (y - oy) / n) for x, y in points]


def row_name(i: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def nice_scale(needed: float) -> int:
    """The next round scale at or above ``needed``: 1:137.4 -> 1:140."""
    step = 1 if needed <= 10 else 5 if needed <= 100 else 10 if needed <= 1000 else 50
    return max(1, min(MAX_SCALE, int(math.ceil(needed / step - 1e-9) * step)))


def _extent(bounds) -> tuple[float, float, float, float]:
    return bounds if bounds is not None else (0.0, 0.0, 10_000.0, 10_000.0)


def fit_scale(bounds, area: Rect) -> int:
    x0, y0, x1, y1 = _extent(bounds)
    needed = max((x1 - x0) / max(1.0, area.w - 2 * PAD), (y1 - y0) / max(1.0, area.h - 2 * PAD), 1.0)
    return nice_scale(needed)


def tile_counts(bounds, area: Rect, scale: int) -> tuple[int, int]:
    """(columns, rows) of sheets needed to show ``bounds`` at 1:``scale`` in ``area``."""
    x0, y0, x1, y1 = _extent(bounds)
    ew, eh = (x1 - x0) / scale + 2 * PAD, (y1 - y0) / scale + 2 * PAD

    def count(extent, size):
        if extent <= size + 1e-6:
            return 1
        return int(math.ceil((extent - size) / (size - OVERLAP) - 1e-9)) + 1

    return count(ew, area.w), count(eh, area.h)


def choose(bounds, paper: str, orientation: str, scale: int | None) -> tuple[Frame, int, int, int]:
    """(frame, scale, columns, rows): the frame that needs fewest sheets (fit: the largest scale)."""
    best = None
    for f in frames(paper, orientation):
        n = scale if scale is not None else fit_scale(bounds, f.area)
        cols, rows = tile_counts(bounds, f.area, n)
        x0, y0, x1, y1 = _extent(bounds)
        used = ((x1 - x0) / n * (y1 - y0) / n) / (f.area.w * f.area.h * cols * rows)
        joints = round((cols - 1) * (y1 - y0) / n + (rows - 1) * (x1 - x0) / n)  # edges to glue, paper mm
        key = (n, cols * rows, -used) if scale is None else (cols * rows, joints, -used)
        if best is None or key < best[0]:
            best = (key, f, n, cols, rows)
    _key, f, n, cols, rows = best
    return f, n, cols, rows


def centred_origin(bounds, area: Rect, scale: int) -> tuple[float, float]:
    x0, y0, x1, y1 = _extent(bounds)
    return (x0 + x1) / 2 - area.w * scale / 2, (y0 + y1) / 2 - area.h * scale / 2


def _size_text(metres: float) -> str:
    from mpp_planner.formats import number

    return number(metres, 0 if abs(metres - round(metres)) < 0.05 else 1)


def fits_one_sheet(bounds, paper: str, orientation: str, scale: int) -> bool:
    return any(tile_counts(bounds, f.area, scale) == (1, 1) for f in frames(paper, orientation))


def does_not_fit(drawing: FloorDrawing, bounds, paper: str, orientation: str, scale: int) -> str:
    """"Lantai 1 (42 × 26 m) does not fit on A4 at 1:100; choose A3 or 1:200 ...": the message for a
    floor the paper cannot hold at that scale, with the smallest paper and the largest usual scale
    that would."""
    x0, y0, x1, y1 = _extent(bounds)
    names = list(PAPERS)
    bigger = next((p for p in names[names.index(paper) + 1:] if PAPERS[p][1] > PAPERS[paper][1]
                   and fits_one_sheet(bounds, p, orientation, scale)), None)
    smaller_scale = next((n for n in STANDARD_SCALES if n > scale and fits_one_sheet(bounds, paper, orientation, n)),
                         None)
    choices = [c for c in (bigger, scale_text(smaller_scale) if smaller_scale else None) if c]
    choice = _("{a} or {b}").format(a=choices[0], b=choices[1]) if len(choices) == 2 else (choices or ["fit"])[0]
    return _("{floor} ({w} × {h} m) does not fit on {paper} at 1:{scale}; choose {choice} (or --tiles to print it "
             "on several sheets to glue together).").format(
        floor=drawing.floor_name, w=_size_text((x1 - x0) / 1000), h=_size_text((y1 - y0) / 1000), paper=paper,
        scale=scale, choice=choice)


def layout(drawings: list[FloorDrawing], *, paper: str = DEFAULT_PAPER, orientation: str = "auto",
           scale: int | None = 100, tiles: bool = True) -> list[Sheet]:
    """Every sheet of the export, numbered: per floor one sheet, or (with ``tiles``) a key sheet and
    its tiles. Without ``tiles`` a floor that does not fit one sheet at ``scale`` is refused
    (ValueError naming the floor, its size, and a paper or scale that would do). A floor of more than
    MAX_SHEETS sheets is refused naming that floor; an export of more than MAX_EXPORT_SHEETS sheets in
    all is refused saying so (no floor is to blame: there are many of them)."""
    sheets: list[Sheet] = []
    for drawing in drawings:
        bounds = drawing.bounds()
        f, n, cols, rows = choose(bounds, paper, orientation, scale)
        if cols * rows == 1:
            sheets.append(Sheet(f, drawing, n, centred_origin(bounds, f.area, n), fitted=scale is None))
        else:
            if not tiles:
                raise ValueError(does_not_fit(drawing, bounds, paper, orientation, n))
            if cols * rows + 1 > MAX_SHEETS:
                raise ValueError(_("The plan of '{floor}' needs {n} sheets at 1:{scale} on {paper}; choose a smaller "
                                   "scale (such as 1:200 or fit) or a larger paper.").format(
                    floor=drawing.floor_name, n=cols * rows + 1, scale=n, paper=paper))
            sheets.extend(_tiles(drawing, bounds, f, n, cols, rows))
    if len(sheets) > MAX_EXPORT_SHEETS:
        raise ValueError(too_many_sheets(len(sheets), len(drawings), paper, scale))
    for i, sheet in enumerate(sheets, start=1):
        sheet.number, sheet.count = i, len(sheets)
    return sheets


def too_many_sheets(count: int, floors: int, paper: str, scale: int | None) -> str:
    """The refusal of an export whose floors together need more sheets than one export holds."""
    at = _("at 1:{scale} on {paper}").format(scale=scale, paper=paper) if scale else _("on {paper}").format(paper=paper)
    return _("The {floors} floors need {n} sheets {at}, more than the {max} one export holds; export fewer floors "
             "at a time, or choose a smaller scale (such as 1:200 or fit) or a larger paper.").format(
        floors=floors, n=count, at=at, max=MAX_EXPORT_SHEETS)


def _tiles(drawing, bounds, f: Frame, n: int, cols: int, rows: int) -> list[Sheet]:
    x0, y0, x1, y1 = _extent(bounds)
    a = f.area
    step_w, step_h = a.w - OVERLAP, a.h - OVERLAP
    ew, eh = (x1 - x0) / n + 2 * PAD, (y1 - y0) / n + 2 * PAD
    off_x = ((cols - 1) * step_w + a.w - ew) / 2
    off_y = ((rows - 1) * step_h + a.h - eh) / 2
    tiles = []
    grid = []
    for r in range(rows):
        for c in range(cols):
            label = f"{row_name(r)}{c + 1}"
            neighbours = {}
            if c > 0:
                neighbours["left"] = f"{row_name(r)}{c}"
            if c < cols - 1:
                neighbours["right"] = f"{row_name(r)}{c + 2}"
            if r > 0:
                neighbours["up"] = f"{row_name(r - 1)}{c + 1}"
            if r < rows - 1:
                neighbours["down"] = f"{row_name(r + 1)}{c + 1}"
            tile = Tile(label, r, c, rows, cols, neighbours)
            origin = (x0 - PAD * n + (c * step_w - off_x) * n, y0 - PAD * n + (r * step_h - off_y) * n)
            sheet = Sheet(f, drawing, n, origin, kind="tile", tile=tile)
            tiles.append(sheet)
            grid.append((tile, sheet.view))
    views = [view for _tile, view in grid]
    whole = (min(v[0] for v in views), min(v[1] for v in views), max(v[2] for v in views), max(v[3] for v in views))
    key_scale = fit_scale(whole, f.area)
    key = Sheet(f, drawing, key_scale, centred_origin(whole, f.area, key_scale), kind="key", grid=grid,
                tile_scale=n)
    return [key, *tiles]
