"""The plan as DXF for the architect's CAD program (ezdxf), in millimetres ($INSUNITS = 4).

One layer per kind of thing: rooms are closed LWPOLYLINEs on MPP-RUANG with their names as TEXT on
MPP-LABEL (and their areas on MPP-LUAS); counters are rectangles on MPP-LOKET, in their agency's
colour, labelled with the counter and the agencies' short names; furniture rectangles on
MPP-PERABOT with the item's name; dimension lines on MPP-DIMENSI; text labels on MPP-TEKS; a floor's
vector underlay on its own layers, each prefixed DASAR-; each floor's name on MPP-LANTAI. Walls are
the closed outlines of their joined mass (less the gaps of their doors and windows) on DINDING, filled
with a SOLID hatch; doors (leaf, and its swing as an ARC; sliding panels) on PINTU; windows (the two
faces and the glass) on JENDELA: the layer names an architect's drawing uses.

Plan (x, y) (y down) is written as (x, -y): a single floor keeps its plan coordinates. With several
floors, the first stays in place and each next floor sits to the right of the one before, 5 m or
more apart, its name written above it; a named view per floor (VIEW ▸ Named Views in CAD) jumps to
it. The scanned raster background is not written (a DXF would only refer to an image file).

Text is cleaned for DXF: control characters go, line breaks become spaces (TEXT) or paragraph
breaks (MTEXT), and the CAD escapes ^, %% (and \\, { } in MTEXT) are escaped, so a name reads back
exactly as it was. Import only when writing a DXF: it loads ezdxf.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from mpp_planner.i18n import _
from mpp_planner.jobs import checkpoint
from mpp_planner.model import geometry
from mpp_planner.reports import plan_drawing as pd

DXF_LAYERS = ("rooms", "walls", "counters", "furniture", "dimensions", "labels", "underlay")  # all it can hold

LAYER_ROOMS = "MPP-RUANG"
LAYER_ROOM_NAMES = "MPP-LABEL"
LAYER_AREAS = "MPP-LUAS"
LAYER_COUNTERS = "MPP-LOKET"
LAYER_FURNITURE = "MPP-PERABOT"
LAYER_DIMENSIONS = "MPP-DIMENSI"
LAYER_TEXTS = "MPP-TEKS"
LAYER_FLOORS = "MPP-LANTAI"
LAYER_WALLS = "DINDING"
LAYER_DOORS = "PINTU"
LAYER_WINDOWS = "JENDELA"
WALL_HATCH_COLOUR = 8  # grey: the wall mass as architects hatch it
UNDERLAY_PREFIX = "DASAR-"
# ACI colours: 7 black/white, 5 blue, 30 orange, 3 green, 8 grey, 1 red
LAYER_COLOURS = {LAYER_ROOMS: 7, LAYER_ROOM_NAMES: 7, LAYER_AREAS: 8, LAYER_COUNTERS: 5, LAYER_FURNITURE: 30,
                 LAYER_DIMENSIONS: 3, LAYER_TEXTS: 7, LAYER_FLOORS: 1, LAYER_WALLS: 7, LAYER_DOORS: 4, LAYER_WINDOWS: 5}
UNDERLAY_COLOUR = 8
DIMSTYLE = "MPP"
FLOOR_GAP = 5000  # mm between floors side by side (at least)
TEXT_MAX = 250  # characters of one TEXT (CAD programs cut at 256)
REPORT_EVERY = 500  # objects between progress reports

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_BAD_TABLE_NAME = re.compile(r'[<>/\\":;?*|=`\x00-\x1f\x7f]')


def clean_text(text: str, *, mtext: bool = False) -> str:
    """``text`` as a DXF TEXT (one line) or MTEXT value that reads back as the same characters."""
    s = _CONTROL.sub("", str(text)).replace("\t", " ").replace("\r\n", "\n").replace("\r", "\n")
    if mtext:
        s = s.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")
        s = "\\P".join(line.strip() for line in s.split("\n"))
    else:
        s = " ".join(part.strip() for part in s.split("\n") if part.strip())
        if len(s) > TEXT_MAX:
            s = s[:TEXT_MAX - 1].rstrip() + "…"
    s = s.replace("^", "^ ")  # a caret followed by a character is a control code; "^ " is the caret
    if "%%" in s:
        s = s.replace("%", "%%%")  # "%%d" would print a degree sign; "%%%" is one percent sign
    return s


def table_name(name: str, fallback: str = "0") -> str:
    """A valid DXF layer or view name: the characters CAD refuses become "_"."""
    cleaned = _BAD_TABLE_NAME.sub("_", _CONTROL.sub("", str(name))).strip()[:255]
    return cleaned or fallback


def write_dxf(project, out, *, floors: Iterable[int | str] | None = None, layers: Iterable[str] | None = None,
              progress: Callable[[int, int], None] | None = None) -> Path:
    """Write the given floors (ids or names; None: every floor) to ``out`` atomically.

    ``layers`` are the plan layers to write (default :data:`DXF_LAYERS`); raises ValueError for an
    unknown floor or a project without floors."""
    from mpp_planner.reports.output import write_atomically
    from mpp_planner.reports.plan import floor_choices, resolve_floors

    if floors is None:
        ids = [fid for fid, _name in floor_choices(project)]
        if not ids:
            raise ValueError(_("This project has no floors to draw."))
    else:
        ids = []
        for floor in floors:
            for fid in ([floor] if isinstance(floor, int) else resolve_floors(project, str(floor))):
                if fid not in ids:
                    ids.append(fid)
    drawings = pd.build_drawings(project, ids, tuple(layers) if layers is not None else DXF_LAYERS)
    title = project.site.name

    def produce(tmp: Path) -> None:
        write_drawings(drawings, tmp, title=title, progress=progress)

    return write_atomically(out, produce)


def write_drawings(drawings: list[pd.FloorDrawing], path, *, title: str = "",
                   progress: Callable[[int, int], None] | None = None) -> int:
    """Write floor drawings (plain data, see plan_drawing) as one DXF file; returns the entity count.

    Calls :func:`mpp_planner.jobs.checkpoint` while building and while saving (each about half the
    time), so a cancelled job stops there."""
    writer = _Writer(title, progress)
    doc = writer.document(drawings)
    with open(path, "w", encoding=doc.output_encoding, errors="dxfreplace") as fp:  # as Drawing.saveas does
        doc.write(_Tally(fp, writer.saved))
    writer.finish()
    return len(doc.modelspace())


class _Tally:
    """A text stream that counts the entities ezdxf writes through it ("  0" tags), for progress."""

    def __init__(self, fp, tell: Callable[[int], None]):
        self.fp = fp
        self.tell = tell
        self.count = 0

    def write(self, text: str) -> int:
        if text.startswith("  0\n"):
            self.count += 1
            if self.count % REPORT_EVERY == 0:
                self.tell(self.count)
        return self.fp.write(text)


def label_spot(outline, rooms, obstacles=(), steps: int = 16) -> tuple[float, float]:
    """Where a room's name goes: inside the room and outside every other room (a room drawn inside
    it, such as a desk area in the lobby, would otherwise get its name when the DXF is read back),
    clear of counters and furniture when it can be, nearest the usual label point."""
    start = pd.label_point(outline)
    bx0, by0, bx1, by1 = geometry.bounds(outline)
    others = [r for r in rooms if r is not outline and (b := geometry.bounds(r))[0] < bx1 and b[2] > bx0
              and b[1] < by1 and b[3] > by0]
    blocks = [o for o in obstacles if o[0] < bx1 and o[2] > bx0 and o[1] < by1 and o[3] > by0]
    grid = [(bx0 + (bx1 - bx0) * (i + 0.5) / steps, by0 + (by1 - by0) * (j + 0.5) / steps)
            for i in range(steps) for j in range(steps)]
    grid.sort(key=lambda p: (p[0] - start[0]) ** 2 + (p[1] - start[1]) ** 2)
    fallback = None
    for x, y in [start, *grid]:
        if not geometry.point_in_polygon(x, y, outline) or any(geometry.point_in_polygon(x, y, r) for r in others):
            continue
        if any(o[0] <= x <= o[2] and o[1] <= y <= o[3] for o in blocks):
            fallback = fallback or (x, y)
            continue
        return x, y
    return fallback or start


def fit_height(text: str, width: float) -> float:
    """The text height at which ``text`` is about ``width`` long (CAD fonts: ~0.65 of the height a character)."""
    return width / (0.65 * max(1, len(text))) if text else math.inf


def _extent(drawing: pd.FloorDrawing) -> tuple[float, float, float, float] | None:
    """Everything the DXF holds of a floor, the underlay included."""
    boxes = [b for b in [drawing.bounds()] + [i.bounds for i in drawing.items if isinstance(i, pd.Vectors)]
             if b is not None]
    if not boxes:
        return None
    return min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)


def _objects(drawing: pd.FloorDrawing) -> int:
    return sum(len(i) if isinstance(i, pd.Vectors) else 1 for i in drawing.items)


class _Writer:
    def __init__(self, title: str, progress: Callable[[int, int], None] | None):
        self.title = title
        self.progress = progress
        self.done = 0
        self.total = 0
        self.dx = 0.0
        self.layers: set[str] = set()

    # --- the document ------------------------------------------------------------------
    def document(self, drawings: list[pd.FloorDrawing]):
        import ezdxf

        doc = ezdxf.new("R2013", setup=["styles", "linetypes"])
        doc.units = ezdxf.units.MM  # $INSUNITS = 4
        doc.header["$MEASUREMENT"] = 1  # metric
        doc.header["$LUNITS"] = 2  # decimal
        if self.title:
            doc.header["$PROJECTNAME"] = clean_text(self.title)
        self.doc = doc
        self.msp = doc.modelspace()
        for name, colour in LAYER_COLOURS.items():
            doc.layers.add(name, color=colour)
        doc.dimstyles.new(DIMSTYLE, dxfattribs={
            "dimtxt": 200, "dimasz": 150, "dimtsz": 120, "dimexe": 100, "dimexo": 0, "dimgap": 60, "dimdec": 0,
            "dimtad": 1, "dimtih": 0, "dimtoh": 0, "dimclrd": 256, "dimclre": 256, "dimclrt": 256})
        self.objects = sum(_objects(d) for d in drawings)
        self.total = 2 * self.objects + 1  # built, then saved
        self._tell()
        extents = []
        views: set[str] = set()
        left = 0.0
        for i, drawing in enumerate(drawings):
            box = _extent(drawing) or (0.0, 0.0, 10_000.0, 10_000.0)
            self.dx = 0.0 if i == 0 else left - box[0]
            x0, y0, x1, y1 = box[0] + self.dx, -box[3], box[2] + self.dx, -box[1]  # DXF: y up
            self._floor(drawing)
            size = max(300.0, min(2000.0, (x1 - x0) / 30))
            self._text(LAYER_FLOORS, drawing.floor_name, x0, y1 + size, size, align="BOTTOM_LEFT")
            y1 += size * 2.2
            extents.append((x0, y0, x1, y1))
            name = table_name(drawing.floor_name, f"LANTAI {i + 1}")
            while name.casefold() in views:
                name += "_"
            views.add(name.casefold())
            doc.views.new(name, dxfattribs={"center": ((x0 + x1) / 2, (y0 + y1) / 2), "width": (x1 - x0) * 1.1,
                                            "height": (y1 - y0) * 1.1, "direction": (0, 0, 1)})
            left = x1 + max(FLOOR_GAP, (x1 - x0) * 0.15)
        x0, y0 = min(e[0] for e in extents), min(e[1] for e in extents)
        x1, y1 = max(e[2] for e in extents), max(e[3] for e in extents)
        doc.header["$EXTMIN"] = (x0, y0, 0)
        doc.header["$EXTMAX"] = (x1, y1, 0)
        doc.set_modelspace_vport(height=max(1.0, (y1 - y0) * 1.1, (x1 - x0) * 0.6), center=((x0 + x1) / 2,
                                                                                            (y0 + y1) / 2))
        return doc

    def saved(self, entities: int) -> None:
        self.done = self.objects + min(self.objects, entities)
        self._tell()

    def finish(self) -> None:
        self.done = self.total
        self._tell()

    def _tell(self, step: int = 0) -> None:
        before = self.done
        self.done += step
        if step and before // REPORT_EVERY == self.done // REPORT_EVERY and self.done < self.total:
            return
        checkpoint(self.done, self.total, _("Writing the DXF…"))
        if self.progress is not None:
            self.progress(self.done, self.total)

    # --- one floor ---------------------------------------------------------------------
    def _floor(self, drawing: pd.FloorDrawing) -> None:
        self.rooms = [i.points for i in drawing.items
                      if isinstance(i, pd.Polygon) and i.ref is not None and i.ref.kind == "room"]
        self.obstacles = drawing.obstacles
        for item in drawing.items:
            if isinstance(item, pd.Vectors):
                self._underlay(item)
                continue
            if isinstance(item, pd.Polygon) and item.ref is not None and item.ref.kind == "room":
                self._room(item)
            elif isinstance(item, pd.WallMass):
                self._walls(item)
            elif isinstance(item, pd.Opening):
                self._opening(item)
            elif isinstance(item, pd.Box) and item.layer == "counters":
                self._counter(item)
            elif isinstance(item, pd.Box) and item.layer == "furniture":
                self._furniture(item)
            elif isinstance(item, pd.Dimension):
                self._dimension(item)
            elif isinstance(item, pd.Text) and item.layer == "labels":
                self._label(item)
            # room, counter and furniture texts are written with their shapes; the scan is not written
            self._tell(1)

    def pt(self, x: float, y: float) -> tuple[float, float]:
        return x + self.dx, -y

    def _polyline(self, layer: str, points, closed: bool = True):
        return self.msp.add_lwpolyline([self.pt(x, y) for x, y in points], format="xy", close=closed,
                                       dxfattribs={"layer": layer})

    def _text(self, layer: str, text: str, x: float, y: float, height: float, rotation: float = 0.0,
              align: str = "MIDDLE_CENTER", **attribs):
        """A one-line TEXT at DXF point (x, y) (already converted)."""
        from ezdxf.enums import TextEntityAlignment

        value = clean_text(text)
        if not value:
            return None
        attribs.update(layer=layer, height=height, rotation=rotation % 360.0)
        entity = self.msp.add_text(value, dxfattribs=attribs)
        entity.set_placement((x, y), align=TextEntityAlignment[align])
        return entity

    def _room(self, item: pd.Polygon) -> None:
        self._polyline(LAYER_ROOMS, item.points)
        name, area = (item.ref.name, item.ref.info) if item.ref is not None else ("", "")
        x0, y0, x1, y1 = geometry.bounds(item.points)
        # as wide as the room allows, but never below 200 mm: above any counter or furniture text inside
        # (reading a DXF back, a room takes its largest text as its name)
        height = max(200.0, min(350.0, min(x1 - x0, y1 - y0) / 8, fit_height(name, (x1 - x0) * 0.9)))
        x, y = self.pt(*label_spot(item.points, self.rooms, self.obstacles))
        self._text(LAYER_ROOM_NAMES, name, x, y, height)
        if area:
            self._text(LAYER_AREAS, area, x, y - height * 1.4, height * 0.75)

    def _walls(self, mass: pd.WallMass) -> None:
        """The mass's rings as closed outlines, and a SOLID hatch of the mass (its holes left open)."""
        from ezdxf import const

        rings = [mass.exterior, *mass.holes]
        for ring in rings:
            self._polyline(LAYER_WALLS, ring)
        hatch = self.msp.add_hatch(color=WALL_HATCH_COLOUR, dxfattribs={"layer": LAYER_WALLS})
        for k, ring in enumerate(rings):
            hatch.paths.add_polyline_path([self.pt(x, y) for x, y in ring], is_closed=True,
                                          flags=const.BOUNDARY_PATH_EXTERNAL if k == 0 else const.BOUNDARY_PATH_DEFAULT)

    def _opening(self, item: pd.Opening) -> None:
        """A door's leaves and sliding panels on PINTU, each swing an ARC; a window's lines on JENDELA."""
        layer = LAYER_WINDOWS if item.kind == "window" else LAYER_DOORS
        for path in item.paths:
            self._polyline(layer, path.points, path.closed)
        for swing in item.swings:  # the plan's y points down: angles turn the other way in CAD
            a, b = -swing.start, -(swing.start + swing.sweep)
            start, end = (b, a) if swing.sweep > 0 else (a, b)
            self.msp.add_arc(self.pt(swing.cx, swing.cy), swing.r, start % 360.0, end % 360.0,
                             dxfattribs={"layer": layer})

    def _box_text(self, box: pd.Box) -> tuple[float, float, float, float]:
        """(x, y, rotation, short side) for text along a box's long side, never upside down."""
        long_side = box.width >= box.depth
        rotation = -pd.upright(box.rotation + (0 if long_side else 90))  # the plan turns clockwise, CAD not
        x, y = self.pt(box.cx, box.cy)
        return x, y, rotation, min(box.width, box.depth)

    def _counter(self, box: pd.Box) -> None:
        outline = self._polyline(LAYER_COUNTERS, box.corners())
        colour = (box.fills or (pd.UNASSIGNED,))[0]
        outline.rgb = tuple(int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
        x, y, rotation, short = self._box_text(box)
        long = max(box.width, box.depth) * 0.92
        height = max(40.0, min(150.0, short * 0.22, fit_height(box.ref.name if box.ref else "", long),
                               fit_height(box.ref.info if box.ref else "", long) / 0.8))
        label = box.ref.name if box.ref is not None else ""
        names = box.ref.info if box.ref is not None else ""
        if names:
            r = math.radians(rotation)
            off = height * 0.7
            self._text(LAYER_COUNTERS, label, x - math.sin(r) * off, y + math.cos(r) * off, height, rotation)
            self._text(LAYER_COUNTERS, names, x + math.sin(r) * off, y - math.cos(r) * off, height * 0.8, rotation)
        else:
            self._text(LAYER_COUNTERS, label, x, y, height, rotation)

    def _furniture(self, box: pd.Box) -> None:
        self._polyline(LAYER_FURNITURE, box.corners())
        if box.ref is not None:
            x, y, rotation, short = self._box_text(box)
            height = max(30.0, min(100.0, short * 0.3, fit_height(box.ref.name, max(box.width, box.depth) * 0.92)))
            self._text(LAYER_FURNITURE, box.ref.name, x, y, height, rotation)

    def _dimension(self, item: pd.Dimension) -> None:
        length = math.hypot(item.x2 - item.x1, item.y2 - item.y1)
        text = "<>" if item.text == pd.metres(length) else clean_text(item.text)  # "<>": CAD measures it
        dim = self.msp.add_aligned_dim(p1=self.pt(item.x1, item.y1), p2=self.pt(item.x2, item.y2), distance=0.001,
                                       text=text, dimstyle=DIMSTYLE, dxfattribs={"layer": LAYER_DIMENSIONS})
        dim.render()

    def _label(self, item: pd.Text) -> None:
        from ezdxf.enums import MTextEntityAlignment

        text = clean_text("\n".join(line.text for line in item.lines), mtext=True)
        if not text:
            return
        height = item.size_mm if item.plan_size else item.size_mm * 100
        mtext = self.msp.add_mtext(text, dxfattribs={"layer": LAYER_TEXTS, "char_height": height})
        mtext.set_location(self.pt(item.x, item.y), rotation=-item.rotation,
                           attachment_point=MTextEntityAlignment.TOP_LEFT)

    def _layer(self, name: str) -> str:
        layer = table_name(UNDERLAY_PREFIX + name, UNDERLAY_PREFIX + "0")
        if layer not in self.layers:
            self.layers.add(layer)
            if not self.doc.layers.has_entry(layer):
                self.doc.layers.add(layer, color=UNDERLAY_COLOUR)
        return layer

    def _underlay(self, vec: pd.Vectors) -> None:
        add = self.msp.add_lwpolyline
        dx = self.dx
        layers: dict[str, str] = {}
        for n, path in enumerate(vec.paths, start=1):
            layer = layers.get(path.layer) or layers.setdefault(path.layer, self._layer(path.layer))
            add([(x + dx, -y) for x, y in path.points], format="xy", close=path.closed, dxfattribs={"layer": layer})
            if n % REPORT_EVERY == 0:
                self._tell(REPORT_EVERY)
        self._tell(len(vec.paths) % REPORT_EVERY)
        for t in vec.texts:
            layer = layers.get(t.layer) or layers.setdefault(t.layer, self._layer(t.layer))
            x, y = self.pt(t.x, t.y)
            self._text(layer, t.text, x, y, max(1.0, float(t.height)), t.rotation, align="LEFT")
            self._tell(1)
