"""One floor of the plan as backend-neutral drawing primitives in plan millimetres.

The PDF, SVG and PNG backends and the GUI preview all draw from this, so the three files show
the same thing. Everything here is plain data (no ORM objects), built with a few batched queries,
so it can be handed to a worker thread. Sizes of strokes and text are on paper (mm); positions
and shapes are on the plan (mm, y pointing down as on screen).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from mpp_planner.model import geometry
from mpp_planner.model.agency import TIER_COLOURS, Tier

# shown unless chosen otherwise
LAYERS = ("background", "rooms", "walls", "counters", "furniture", "dimensions", "labels")
UNDERLAY = "underlay"  # the architect's vector drawing: only when chosen, or when its floor marks it to print
ALL_LAYERS = (*LAYERS, UNDERLAY)
COLOUR_MODES = ("agency", "tier")

# Print palette: light room fills so that counters, furniture and text stand out on paper.
ROOM_FILL = {
    "counter_hall": "#EEF3FA", "waiting_area": "#F3F7EC", "lactation_room": "#FCEFF4", "play_area": "#FFF6DC",
    "toilet": "#EDF4F7", "accessible_toilet": "#E3EFF6", "prayer_room": "#EEF5EE", "information_desk": "#F0ECF7",
    "complaint_room": "#F7EFE8", "reading_corner": "#F6F1E4", "meeting_room": "#EFEFF4", "back_office": "#F2F2F2",
    "storage": "#EBEBEB", "corridor": "#FAFAFA", "other": "#F5F5F5",
}
WALL = "#3C4650"  # room outlines, and the wall mass filled dark
ROOM_LINE_WALLED = "#A4AEB8"  # a room's outline on a floor with walls: thin and light, the walls read as walls
OPENING_LINE = "#1B1F23"  # door leaves, swings and window glass: thin ink
UNASSIGNED = "#D5D8DC"
COUNTER_LINE = "#2C3E50"
FURNITURE_FILL = "#FFFFFF"
FURNITURE_LINE = "#6C7A89"
TEXT = "#1B1F23"
ROOM_TEXT = "#2C3E50"
DIMENSION = "#34495E"
UNDERLAY_LINE = "#8E99A4"  # thin grey, under everything else
UNDERLAY_TEXT = "#7F8C96"

# Official sheets are in Indonesian whatever the UI language.
TIER_LABELS_ID = {
    Tier.PUSAT: "Instansi pusat / vertikal",
    Tier.PROVINSI: "Pemerintah provinsi",
    Tier.KAB_KOTA: "Pemerintah kabupaten/kota",
    Tier.BUMN: "BUMN",
    Tier.BUMD: "BUMD",
    Tier.BADAN_HUKUM_PUBLIK: "Badan hukum publik",
    Tier.SWASTA: "Swasta",
}
UNASSIGNED_LABEL_ID = "Loket belum dialokasikan"  # PUEBI; the term the allocation list uses


@dataclass(frozen=True)
class Ref:
    """What a shape shows, for SVG ids and data attributes: kind ("room", "counter"...), id, name."""

    kind: str
    id: int
    name: str = ""
    info: str = ""


@dataclass
class Polygon:
    layer: str
    points: list[tuple[float, float]]
    fill: str | None
    stroke: str | None
    stroke_mm: float = 0.3
    ref: Ref | None = None
    closed: bool = True  # False: an open polyline (never filled)


@dataclass
class Box:
    """A rotated rectangle centred on (cx, cy); several fills make stripes along its width."""

    layer: str
    cx: float
    cy: float
    width: float
    depth: float
    rotation: float
    fills: tuple[str, ...]
    stroke: str
    stroke_mm: float = 0.2
    ref: Ref | None = None

    def corners(self) -> list[tuple[float, float]]:
        return geometry.box_corners(self.cx, self.cy, self.width, self.depth, self.rotation)

    def stripes(self) -> list[tuple[str, list[tuple[float, float]]]]:
        """(colour, corners) of each stripe, left to right along the box's width."""
        n = max(1, len(self.fills))
        part = self.width / n
        out = []
        for i, colour in enumerate(self.fills or (UNASSIGNED,)):
            offset = -self.width / 2 + part * (i + 0.5)
            r = math.radians(self.rotation)
            cx = self.cx + offset * math.cos(r)
            cy = self.cy + offset * math.sin(r)
            out.append((colour, geometry.box_corners(cx, cy, part, self.depth, self.rotation)))
        return out

    def bbox(self) -> tuple[float, float, float, float]:
        return geometry.bounds(self.corners())


@dataclass
class Furniture(Box):
    """A piece of furniture: its box (extent, ref, what the DXF writes) drawn on sheets as the plan
    symbol of its kind, ``paths`` (plan mm, painted in order)."""

    symbol: str = "box"
    paths: list[Polygon] = field(default_factory=list)


@dataclass
class WallMass:
    """Walls joined into one filled mass (``model.wall_geometry.wall_mass``): its outer ring and its holes,
    plan mm, filled even-odd; the gaps of the doors and windows are left open."""

    layer: str
    exterior: list[tuple[float, float]]
    holes: list[list[tuple[float, float]]]
    fill: str = WALL

    def bbox(self) -> tuple[float, float, float, float]:
        return geometry.bounds(self.exterior)


@dataclass(frozen=True)
class Swing:
    """A door leaf's quarter circle: centre (the hinge), radius, start angle and sweep (degrees, plan
    axes, y down: a positive sweep turns clockwise on the sheet)."""

    cx: float
    cy: float
    r: float
    start: float
    sweep: float

    def points(self, steps: int) -> list[tuple[float, float]]:
        return [(self.cx + self.r * math.cos(math.radians(self.start + self.sweep * k / steps)),
                 self.cy + self.r * math.sin(math.radians(self.start + self.sweep * k / steps)))
                for k in range(steps + 1)]


@dataclass
class Opening:
    """A door or window in a wall: its strokes in thin ink (leaves, sliding panels, window lines) and
    the swings of its leaves (drawn as arcs: polylines on paper, ARC entities in the DXF)."""

    layer: str
    kind: str  # model.walls.OpeningKind's value
    paths: list[Polygon]
    swings: list[Swing] = field(default_factory=list)
    ref: Ref | None = None

    def points(self) -> list[tuple[float, float]]:
        pts = [p for path in self.paths for p in path.points]
        for s in self.swings:
            pts.extend(s.points(4))
        return pts

    def bbox(self) -> tuple[float, float, float, float]:
        return geometry.bounds(self.points())


@dataclass
class Line:
    layer: str
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = DIMENSION
    stroke_mm: float = 0.2


@dataclass
class Dimension:
    """A measured distance: a line with end ticks and its length written along it."""

    layer: str
    x1: float
    y1: float
    x2: float
    y2: float
    text: str
    ref: Ref | None = None


@dataclass(frozen=True)
class TextLine:
    text: str
    scale: float = 1.0  # of the label's size
    bold: bool = False


@dataclass
class Text:
    """Text anchored at (x, y).

    ``size_mm`` is the font size on paper; with ``plan_size`` it is on the plan instead (scaled
    with the drawing, as a user-sized text label is). ``fit`` is a (width, height) box in plan mm,
    centred on (x, y) and turned with the text, that the text must stay inside: it shrinks down
    to ``min_size_mm``, then long lines are shortened with "…". ``region`` lets the label move
    inside that polygon to keep clear of ``FloorDrawing.obstacles``.
    """

    layer: str
    x: float
    y: float
    lines: tuple[TextLine, ...]
    size_mm: float
    colour: str = TEXT
    rotation: float = 0.0
    valign: str = "middle"  # "middle": (x, y) is the centre of the block; "top": its top-left
    fit: tuple[float, float] | None = None
    region: list[tuple[float, float]] | None = None
    min_size_mm: float = 2.0  # never below plan_primitives.MIN_TEXT_MM on paper
    plan_size: bool = False
    wrap: bool = False
    key_label: str = ""  # what the numbered key lists when the text does not fit at 2 mm ("" = never numbered)
    shared_key: bool = False  # texts with the same key_label share one number (furniture of one type)


@dataclass
class Picture:
    """A scanned drawing under the plan: image bytes placed at (x, y) with ``mm_per_px``."""

    layer: str
    data: bytes
    x: float
    y: float
    px_width: int
    px_height: int
    mm_per_px: float
    opacity: float

    @property
    def width(self) -> float:
        return self.px_width * self.mm_per_px

    @property
    def height(self) -> float:
        return self.px_height * self.mm_per_px


class Vectors:
    """A floor's vector underlay (plain data), with each path's bounds and a coarse grid over them so
    that a sheet or tile picks the paths it shows without looking at the other 100,000."""

    GRID = 64  # cells per side of the grid
    BIG = 16  # a path spanning more cells than this (a border, a long wall) is checked on every sheet

    def __init__(self, underlay, layer: str = UNDERLAY):
        self.layer = layer
        self.underlay = underlay
        self.paths = [p for p in underlay.paths if len(p.points) >= 2]
        self.texts = list(underlay.texts)
        self.boxes: list[tuple[int, int, int, int]] = []
        for p in self.paths:
            xs = [x for x, _y in p.points]
            ys = [y for _x, y in p.points]
            self.boxes.append((min(xs), min(ys), max(xs), max(ys)))
        points = self.boxes + [(t.x, t.y, t.x, t.y) for t in self.texts]
        self.bounds = (min(b[0] for b in points), min(b[1] for b in points), max(b[2] for b in points),
                       max(b[3] for b in points)) if points else None
        self._grid: dict[tuple[int, int], list[int]] | None = None
        self._big: list[int] = []

    def __len__(self) -> int:
        return len(self.paths) + len(self.texts)

    def _cell(self) -> tuple[float, float]:
        x0, y0, x1, y1 = self.bounds or (0, 0, 1, 1)
        return max(1.0, (x1 - x0) / self.GRID), max(1.0, (y1 - y0) / self.GRID)

    def _index(self) -> dict[tuple[int, int], list[int]]:
        if self._grid is None:
            grid: dict[tuple[int, int], list[int]] = defaultdict(list)
            x0, y0 = (self.bounds or (0, 0))[:2]
            cw, ch = self._cell()
            for i, (bx0, by0, bx1, by1) in enumerate(self.boxes):
                c0, c1 = int((bx0 - x0) // cw), int((bx1 - x0) // cw)
                r0, r1 = int((by0 - y0) // ch), int((by1 - y0) // ch)
                if (c1 - c0 + 1) * (r1 - r0 + 1) > self.BIG:
                    self._big.append(i)
                    continue
                for c in range(c0, c1 + 1):
                    for r in range(r0, r1 + 1):
                        grid[(c, r)].append(i)
            self._grid = grid
        return self._grid

    def paths_in(self, view: tuple[float, float, float, float]) -> list[int]:
        """Indexes (in drawing order) of the paths whose bounds meet the plan rectangle ``view``."""
        if self.bounds is None:
            return []
        vx0, vy0, vx1, vy1 = view
        x0, y0, x1, y1 = self.bounds
        if vx0 <= x0 and vy0 <= y0 and vx1 >= x1 and vy1 >= y1:
            return list(range(len(self.paths)))
        if vx1 < x0 or vx0 > x1 or vy1 < y0 or vy0 > y1:
            return []
        grid = self._index()
        cw, ch = self._cell()
        c0, c1 = max(0, int((vx0 - x0) // cw)), min(self.GRID, int((vx1 - x0) // cw))
        r0, r1 = max(0, int((vy0 - y0) // ch)), min(self.GRID, int((vy1 - y0) // ch))
        found = set(self._big)
        for c in range(c0, c1 + 1):
            for r in range(r0, r1 + 1):
                found.update(grid.get((c, r), ()))
        boxes = self.boxes
        return sorted(i for i in found
                      if not (boxes[i][2] < vx0 or boxes[i][0] > vx1 or boxes[i][3] < vy0 or boxes[i][1] > vy1))


@dataclass(frozen=True)
class LegendEntry:
    colour: str
    label: str
    short: str = ""  # used when the label does not fit


@dataclass
class FloorDrawing:
    floor_id: int
    floor_name: str
    items: list = field(default_factory=list)
    legend: list[LegendEntry] = field(default_factory=list)
    legend_title: str = ""
    obstacles: list[tuple[float, float, float, float]] = field(default_factory=list)  # bboxes labels avoid
    layers: tuple[str, ...] = LAYERS
    position: int = 1  # the floor's place in the project (1 = first), for the drawing number

    def bounds(self) -> tuple[float, float, float, float] | None:
        """Extent of the plan (rooms, walls, counters, furniture, notes); the background and the underlay
        only when alone (an architect's drawing may reach far beyond the building)."""
        pts: list[tuple[float, float]] = []
        pictures = []
        vectors = []
        for item in self.items:
            if isinstance(item, Polygon):
                pts.extend(item.points)
            elif isinstance(item, WallMass):
                pts.extend(item.exterior)
            elif isinstance(item, Opening):
                pts.extend(item.points())
            elif isinstance(item, Box):
                pts.extend(item.corners())
            elif isinstance(item, (Line, Dimension)):
                pts.extend(((item.x1, item.y1), (item.x2, item.y2)))
            elif isinstance(item, Text):
                pts.append((item.x, item.y))
            elif isinstance(item, Picture):
                pictures.append(item)
            elif isinstance(item, Vectors) and item.bounds is not None:
                vectors.append(item.bounds)
        if not pts:
            for pic in pictures:
                pts.extend(((pic.x, pic.y), (pic.x + pic.width, pic.y + pic.height)))
            for x0, y0, x1, y1 in vectors:
                pts.extend(((x0, y0), (x1, y1)))
        if not pts:
            return None
        return geometry.bounds(pts)


def parse_layers(text: str | None) -> tuple[str, ...]:
    """"rooms,counters" -> ("rooms", "counters"); empty -> the usual layers (all but the underlay);
    "all" -> every layer, the underlay too."""
    from mpp_planner.i18n import _

    if text is None or not str(text).strip():
        return LAYERS
    if str(text).strip().lower() == "all":
        return ALL_LAYERS
    chosen = []
    for part in str(text).split(","):
        name = part.strip().lower()
        if not name:
            continue
        if name not in ALL_LAYERS:
            raise ValueError(_("Unknown layer '{name}'; choose from {layers}.").format(
                name=part.strip(), layers=", ".join(ALL_LAYERS)))
        if name not in chosen:
            chosen.append(name)
    if not chosen:
        raise ValueError(_("Choose at least one layer from {layers}.").format(layers=", ".join(ALL_LAYERS)))
    return tuple(name for name in ALL_LAYERS if name in chosen)


def tier_colour(tier: str) -> str:
    try:
        return TIER_COLOURS[Tier(tier)]
    except ValueError:
        return UNASSIGNED


def metres(length_mm: float) -> str:
    """10000 -> "10,00 m" (Indonesian decimal comma, as on the sheet)."""
    from mpp_planner.formats import number

    return f"{number(length_mm / 1000.0, 2, lang='id')} m"


def label_point(outline) -> tuple[float, float]:
    """Where a room's name goes: its centroid, or the middle of its widest inside span."""
    cx, cy = geometry.centroid(outline)
    if geometry.point_in_polygon(cx, cy, outline):
        return cx, cy
    x0, y0, x1, y1 = geometry.bounds(outline)
    best, best_w = (cx, cy), -1.0
    for k in range(1, 10):
        y = y0 + (y1 - y0) * k / 10
        for a, b in inside_spans(outline, y):
            if b - a > best_w:
                best, best_w = ((a + b) / 2, y), b - a
    return best


def inside_spans(outline, y: float) -> list[tuple[float, float]]:
    """The x-intervals of the horizontal line at ``y`` that lie inside the polygon."""
    xs = []
    n = len(outline)
    for i in range(n):
        (xa, ya), (xb, yb) = outline[i], outline[(i + 1) % n]
        if (ya > y) != (yb > y):
            xs.append(xa + (y - ya) * (xb - xa) / (yb - ya))
    xs.sort()
    return [(xs[i], xs[i + 1]) for i in range(0, len(xs) - 1, 2)]


def build_drawings(project, floor_ids: list[int], layers=LAYERS, colour: str = "agency", *,
                   printed_underlays: bool = False, positions: dict[int, int] | None = None,
                   furniture_labels: bool = True) -> list[FloorDrawing]:
    """Drawings of the given floors, in that order, with a fixed number of queries.

    The underlay of a floor is drawn when ``layers`` holds "underlay", or with ``printed_underlays``
    when the floor's underlay is marked to print (FloorUnderlay.printed). Without ``furniture_labels``
    furniture is drawn by its symbols alone (no names, no key numbers)."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from mpp_planner.model import Annotation, Counter, CounterAssignment, Floor, FloorBackground, InventoryItem, Room
    from mpp_planner.model.underlay import FloorUnderlay

    if colour not in COLOUR_MODES:
        raise ValueError(colour)
    s = project.session
    floors = {f.id: f for f in s.scalars(select(Floor).where(Floor.id.in_(floor_ids)))}
    rooms = defaultdict(list)
    counters = defaultdict(list)
    items = defaultdict(list)
    notes = defaultdict(list)
    backgrounds = {}
    walls: dict = {}
    if "walls" in layers:
        from mpp_planner.reports.plan_walls import load_walls

        walls = load_walls(s, floor_ids)
    if "rooms" in layers:
        for room in s.scalars(select(Room).where(Room.floor_id.in_(floor_ids)).order_by(Room.id)):
            rooms[room.floor_id].append(room)
    if "counters" in layers:
        stmt = (select(Counter).where(Counter.floor_id.in_(floor_ids)).order_by(Counter.id)
                .options(selectinload(Counter.assignments).selectinload(CounterAssignment.agency)))
        for counter in s.scalars(stmt):
            counters[counter.floor_id].append(counter)
    if "furniture" in layers:
        stmt = (select(InventoryItem).where(InventoryItem.floor_id.in_(floor_ids), InventoryItem.x.is_not(None),
                                            InventoryItem.y.is_not(None))
                .order_by(InventoryItem.id).options(selectinload(InventoryItem.item_type)))
        for item in s.scalars(stmt):
            items[item.floor_id].append(item)
    kinds = [k for k, layer in (("dimension", "dimensions"), ("text", "labels")) if layer in layers]
    if kinds:
        stmt = select(Annotation).where(Annotation.floor_id.in_(floor_ids), Annotation.kind.in_(kinds))
        for note in s.scalars(stmt.order_by(Annotation.id)):
            notes[note.floor_id].append(note)
    if "background" in layers:
        stmt = select(FloorBackground).where(FloorBackground.floor_id.in_(floor_ids), FloorBackground.visible)
        for bg in s.scalars(stmt):
            backgrounds[bg.floor_id] = bg
    underlays: dict[int, Vectors] = {}
    if UNDERLAY in layers or printed_underlays:
        stmt = select(FloorUnderlay).where(FloorUnderlay.floor_id.in_(floor_ids))
        if UNDERLAY not in layers:
            stmt = stmt.where(FloorUnderlay.printed)
        for row in s.scalars(stmt):
            try:
                vectors = Vectors(row.drawing())
            except ValueError:  # a damaged underlay is left out, the plan still prints
                continue
            if len(vectors):
                underlays[row.floor_id] = vectors

    out = []
    for fid in floor_ids:
        floor = floors[fid]
        vectors = underlays.get(fid)
        shown = tuple(layers) if vectors is None or UNDERLAY in layers else (*layers, UNDERLAY)
        drawing = FloorDrawing(fid, floor.name, layers=shown, position=(positions or {}).get(fid, floor.order or 1))
        bg = backgrounds.get(fid)
        picture = _picture(bg) if bg is not None else None
        if picture is not None:
            drawing.items.append(picture)
        if vectors is not None:
            drawing.items.append(vectors)
        _add_rooms(drawing, rooms[fid], filled=picture is None and vectors is None,  # no fill hides what is under
                   walled=fid in walls)
        _add_furniture(drawing, items[fid], labels=furniture_labels)
        _add_counters(drawing, counters[fid], colour)
        if fid in walls:
            from mpp_planner.reports.plan_walls import add_walls

            add_walls(drawing, *walls[fid])
        _add_notes(drawing, notes[fid])
        _order(drawing)
        out.append(drawing)
    return out


def _picture(bg) -> Picture | None:
    from io import BytesIO

    from PIL import Image

    try:
        with Image.open(BytesIO(bg.image)) as img:
            w, h = img.size
    except Exception:  # noqa: BLE001 - an unreadable scan is left out, the plan still prints
        return None
    if w <= 0 or h <= 0 or not bg.mm_per_px or bg.mm_per_px <= 0:
        return None
    return Picture("background", bg.image, bg.origin_x, bg.origin_y, w, h, float(bg.mm_per_px),
                   min(1.0, max(0.0, float(bg.opacity))))


def _add_rooms(drawing: FloorDrawing, rooms, *, filled: bool, walled: bool = False) -> None:
    """Each room's area and its name; on a floor with walls its outline is a thin light line (the walls
    are drawn as walls, an open side stays open)."""
    from mpp_planner.formats import area

    line, width = (ROOM_LINE_WALLED, 0.15) if walled else (WALL, 0.5)

    for room in rooms:
        pts = [(float(x), float(y)) for x, y in room.outline]
        fill = ROOM_FILL.get(room.kind, ROOM_FILL["other"]) if filled else None
        ref = Ref("room", room.id, room.name, area(room.area_m2, lang="id"))
        drawing.items.append(Polygon("rooms", pts, fill, line, width, ref))
        x, y = label_point(pts)
        size = area(room.area_m2, lang="id")
        drawing.items.append(Text("rooms", x, y, (TextLine(room.name, 1.0, True), TextLine(size, 0.8)),
                                  3.0, ROOM_TEXT, region=pts, min_size_mm=2.5, wrap=True,
                                  key_label=f"{room.name} ({size})"))


def upright(rotation: float) -> float:
    """The text angle for a box turned by ``rotation``, never upside down."""
    r = rotation % 360.0
    return r - 180.0 if 90.0 < r <= 270.0 else r


def _add_counters(drawing: FloorDrawing, counters, colour: str) -> None:
    used: dict[str, LegendEntry] = {}
    unassigned = False
    for counter in counters:
        agencies = counter.agencies
        if colour == "agency":
            fills = tuple(a.colour for a in agencies)
        else:
            fills = tuple(dict.fromkeys(tier_colour(a.tier) for a in agencies))
        names = " / ".join(a.short_name for a in agencies)
        if not agencies:
            unassigned = True
        for a in agencies:
            if colour == "agency":
                label = f"{a.short_name} — {a.name}" if a.name != a.short_name else a.short_name
                used.setdefault(a.short_name.lower() + f"\0{a.id}", LegendEntry(a.colour, label, a.short_name))
            else:
                try:
                    tier = Tier(a.tier)
                except ValueError:
                    continue
                used.setdefault(f"{list(Tier).index(tier):02d}", LegendEntry(TIER_COLOURS[tier],
                                                                             TIER_LABELS_ID[tier]))
        box = Box("counters", counter.x, counter.y, counter.width, counter.depth, counter.rotation,
                  fills or (UNASSIGNED,), COUNTER_LINE, 0.2, Ref("counter", counter.id, counter.label, names))
        drawing.items.append(box)
        drawing.obstacles.append(box.bbox())
        lines = [TextLine(counter.label, 1.0, True)]
        lines.append(TextLine(names or "–", 0.82))  # unassigned counters keep the same label size
        long_side = counter.width >= counter.depth
        w, d = (counter.width, counter.depth) if long_side else (counter.depth, counter.width)
        rotation = upright(counter.rotation + (0 if long_side else 90))
        drawing.items.append(Text("counters", counter.x, counter.y, tuple(lines), 2.5, _text_on(fills),
                                  rotation=rotation, fit=(w * 0.92, d * 0.86), min_size_mm=2.0 / 0.82,
                                  key_label=f"Loket {counter.label}: {names}" if names
                                  else f"Loket {counter.label} (belum dialokasikan)"))
    if "counters" in drawing.layers:
        drawing.legend = [used[k] for k in sorted(used)]
        if unassigned:
            drawing.legend.append(LegendEntry(UNASSIGNED, UNASSIGNED_LABEL_ID))
        drawing.legend_title = ("Warna loket menurut instansi" if colour == "agency"
                                else "Warna loket menurut tingkat instansi")


SYMBOL_STROKE = {"normal": 0.15, "thin": 0.1}  # mm on paper
SYMBOL_FILL = {"light": FURNITURE_FILL, "dark": FURNITURE_LINE}


def _add_furniture(drawing: FloorDrawing, items, *, labels: bool = True) -> None:
    """Each item as the plan symbol of its kind at its size and turn; its name inside when it fits
    whole, else (``labels``) a number of the key."""
    from mpp_planner.model import symbols

    for item in items:
        name = item.item_type.name
        symbol = symbols.symbol_of(item.item_type)
        paths = [Polygon("furniture", list(p.points), SYMBOL_FILL[p.fill] if p.fill and p.closed else None,
                         FURNITURE_LINE if p.fill != "dark" else None, SYMBOL_STROKE[p.weight], closed=p.closed)
                 for p in symbols.placed_paths(symbol, item.x, item.y, item.plan_width, item.plan_depth,
                                               item.rotation)]
        box = Furniture("furniture", item.x, item.y, item.plan_width, item.plan_depth, item.rotation,
                        (FURNITURE_FILL,), FURNITURE_LINE, 0.15, Ref("item", item.id, name, item.condition),
                        symbol, paths)
        drawing.items.append(box)
        drawing.obstacles.append(box.bbox())
        if not labels:
            continue
        cx, cy, zone_w, zone_d = symbols.label_box(symbol, item.plan_width, item.plan_depth)  # clear of its lines
        x, y = symbols.placed_points(((cx, cy),), item.x, item.y, item.rotation)[0]
        long_side = zone_w >= zone_d
        w, d = (zone_w, zone_d) if long_side else (zone_d, zone_w)
        drawing.items.append(Text("furniture", x, y, (TextLine(name),), 2.0, "#34495E",
                                  rotation=upright(item.rotation + (0 if long_side else 90)),
                                  fit=(w * 0.9, d * 0.8), min_size_mm=2.0, key_label=name, shared_key=True))


def _add_notes(drawing: FloorDrawing, notes) -> None:
    for note in notes:
        if note.kind == "dimension":
            length = geometry.distance((note.x1, note.y1), (note.x2, note.y2))
            if length <= 0:
                continue
            text = note.text.strip() or metres(length)
            drawing.items.append(Dimension("dimensions", note.x1, note.y1, note.x2, note.y2, text,
                                           Ref("dimension", note.id, text)))
        elif note.text.strip():
            lines = tuple(TextLine(line) for line in note.text.splitlines() if line.strip()) or (TextLine(""),)
            drawing.items.append(Text("labels", note.x1, note.y1, lines, float(note.font_size), TEXT,
                                      valign="top", plan_size=True, min_size_mm=2.0))


def _order(drawing: FloorDrawing) -> None:
    """Paint order: background, underlay, room areas, furniture, counters, walls with their doors and
    windows, dimensions, then all text."""
    rank = {Picture: 0, Vectors: 0.5, Polygon: 1, Box: 2, Furniture: 2, WallMass: 3.5, Opening: 3.6, Line: 4,
            Dimension: 4, Text: 6}

    def key(item):
        r = rank[type(item)]
        if isinstance(item, Box) and item.layer == "counters":
            r = 3
        if isinstance(item, Text) and item.layer == "labels":
            r = 7
        return r

    drawing.items.sort(key=key)


def _luminance(colour: str) -> float:
    c = colour.lstrip("#")
    r, g, b = int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)
    return 0.299 * r + 0.587 * g + 0.114 * b


def _text_on(fills) -> str:
    """Dark or white text, whichever reads better on these fills."""
    if not fills:
        return TEXT
    average = sum(_luminance(c) for c in fills) / len(fills)
    return TEXT if average > 150 else "#FFFFFF"
