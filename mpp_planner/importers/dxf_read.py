"""Reading a drawing's model space into shapes and texts, in drawing units (y up), for
:mod:`mpp_planner.importers.dxf` (which opens the file, keeps what was read and makes the rooms).

The plain entities of the model space (LINE, LWPOLYLINE without arcs, ARC, CIRCLE, TEXT, POINT)
are read straight from the file's group codes (:func:`_fast_read`); the rest (blocks, hatches,
dimensions, MTEXT, splines ...) and every entity of a file the fast way cannot read go through
``ezdxf`` (:class:`_Reader`). Both ways give the same result (a test compares them).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from mpp_planner.i18n import _
from mpp_planner.jobs import checkpoint
from mpp_planner.model import geometry
from mpp_planner.model.base import BAD_CHARS
from mpp_planner.model.underlay import layer_name

PROGRESS_EVERY = 1000

THREE_D_TYPES = frozenset({"3DFACE", "MESH", "3DSOLID", "BODY", "REGION", "SURFACE", "EXTRUDEDSURFACE",
                           "LOFTEDSURFACE", "REVOLVEDSURFACE", "SWEPTSURFACE", "PLANESURFACE", "NURBSURFACE"})
EXPLODED_TYPES = frozenset({"DIMENSION", "ARC_DIMENSION", "LARGE_RADIAL_DIMENSION", "LEADER", "MULTILEADER",
                            "MLEADER", "ACAD_TABLE", "ACAD_PROXY_ENTITY"})


# --- what a drawing holds, in drawing units (y up), before units and room layers are chosen ----

@dataclass(slots=True)
class _Shape:
    layer: str
    coords: list[float]  # x0, y0, x1, y1, ...
    closed: bool
    candidate: bool  # a closed polyline or a hatch's outer boundary: may become a room
    seq: int = 0  # the model space entity it came from (file order)


@dataclass(slots=True)
class _Text:
    layer: str
    x: float
    y: float
    height: float
    text: str
    rotation: float
    naming: bool  # TEXT, MTEXT or ATTRIB (not a dimension's figure): may name the room it stands in
    seq: int = 0


@dataclass
class _Content:
    shapes: list[_Shape] = field(default_factory=list)
    texts: list[_Text] = field(default_factory=list)
    entities: int = 0  # model space entities
    three_d: int = 0  # of them 3D only (3DFACE, MESH, 3DSOLID ...)
    unreadable: int = 0
    insunits: int = 0
    repaired: bool = False


# --- the fast way through the model space ---------------------------------------------------

FAST_TYPES = frozenset({"LINE", "LWPOLYLINE", "ARC", "CIRCLE", "TEXT", "POINT"})
SUB_RECORDS = frozenset({"VERTEX", "ATTRIB", "SEQEND"})


@dataclass
class _Fast:
    """The plain model space entities read from the group codes (``items``, see :func:`_fast_item`)
    and the file without them (``rest``, for ezdxf); ``others`` are the seqs of the entities left in."""

    items: list[tuple]
    others: list[int]
    rest: str
    entities: int


def _fast_read(path: Path) -> _Fast | None:
    """None when the file is not laid out as expected: ezdxf then reads it all."""
    from ezdxf.filemanagement import dxf_file_info

    try:
        encoding = dxf_file_info(str(path)).encoding
        with open(path, encoding=encoding, errors="surrogateescape", newline=None) as f:
            lines = f.read().split("\n")
    except (OSError, LookupError, ValueError, StopIteration):
        return None
    codes = list(map(_Codes().__getitem__, lines[0::2]))  # one string per distinct code: memory
    values = lines[1::2]
    del lines
    n = min(len(codes), len(values))
    start = _find_section(codes, values, n, "ENTITIES")
    if start is None:
        return None
    end = start
    while end < n and not (values[end] == "ENDSEC" and codes[end] == "0"):
        end += 1
    if end >= n:
        return None
    # an entity runs to the next one; the VERTEXes of a POLYLINE and the ATTRIBs of an INSERT belong to it
    heads = [i for i in range(start, end) if codes[i] == "0" and values[i] not in SUB_RECORDS]
    if heads and heads[0] != start:
        return None
    heads.append(end)
    items: list[tuple] = []
    others: list[int] = []
    kept = [(0, start)]
    total = len(heads) - 1
    text = _("Reading the drawing…")
    for seq in range(total):
        if seq % PROGRESS_EVERY == 0:
            checkpoint(seq, total, text)
        a, b = heads[seq], heads[seq + 1]
        kind = values[a]
        if kind in FAST_TYPES:
            item = _fast_item(seq, kind, codes, values, a + 1, b)
            if item is not None:
                if item:  # () is paper space
                    items.append(item)
                continue
        elif "67" in codes[a + 1:b] and any(codes[i] == "67" and values[i].strip() == "1" for i in range(a + 1, b)):
            continue  # paper space (a viewport, a title block): not read, and not left for ezdxf
        others.append(seq)
        kept.append((a, b))
    kept.append((end, n))
    rest = "\n".join(line for a, b in kept for i in range(a, b) for line in (codes[i], values[i]))
    return _Fast(items, others, rest, total)


class _Codes(dict):
    def __missing__(self, code: str) -> str:
        self[code] = code.strip()
        return self[code]


def _find_section(codes: list[str], values: list[str], n: int, name: str) -> int | None:
    i = 0
    while True:
        try:
            i = values.index(name, i, n)
        except ValueError:
            return None
        if i > 0 and values[i - 1] == "SECTION" and codes[i] == "2" and codes[i - 1] == "0":
            return i + 1
        i += 1


def _fast_item(seq: int, kind: str, codes: list[str], values: list[str], a: int, b: int) -> tuple | None:
    """(seq, kind, layer, numbers, extra) of a plain entity read exactly as ezdxf reads it; () for
    one in paper space; None when ezdxf must read it (object coordinate system, arcs in a
    polyline, an embedded object, something unreadable)."""
    sub = codes[a:b]
    if "101" in sub or "0" in sub:
        return None
    d = dict(zip(sub, values[a:b]))
    try:
        if d.get("67", "0").strip() == "1":
            return ()
        if kind != "LINE" and ("210" in d or "220" in d or "230" in d) and (
                float(d.get("210", 0)), float(d.get("220", 0)), float(d.get("230", 1))) != (0.0, 0.0, 1.0):
            return None
        layer = d.get("8", "0")
        if d.get("60", "0").strip() == "1":  # invisible
            return seq, "POINT", layer, (), None
        if kind == "LINE":
            return seq, kind, layer, (float(d.get("10", 0)), float(d.get("20", 0)), float(d.get("11", 0)),
                                      float(d.get("21", 0))), None
        if kind == "LWPOLYLINE":
            if any(float(values[i]) != 0.0 for i in range(a, b) if codes[i] == "42"):
                return None
            xs = [float(values[i]) for i in range(a, b) if codes[i] == "10"]
            ys = [float(values[i]) for i in range(a, b) if codes[i] == "20"]
            if len(xs) != len(ys):
                return None
            coords = [0.0] * (2 * len(xs))
            coords[0::2], coords[1::2] = xs, ys
            return seq, kind, layer, coords, int(d.get("70", 0)) & 1 == 1
        if kind == "ARC":
            return seq, kind, layer, (float(d.get("10", 0)), float(d.get("20", 0)), float(d.get("40", 1)),
                                      float(d.get("50", 0)), float(d.get("51", 360))), None
        if kind == "CIRCLE":
            return seq, kind, layer, (float(d.get("10", 0)), float(d.get("20", 0)), float(d.get("40", 1))), None
        if kind == "TEXT":
            align = (float(d.get("11", 0)), float(d.get("21", 0))) if "11" in d else None
            return seq, kind, layer, ((float(d.get("10", 0)), float(d.get("20", 0))), align, float(d.get("40", 2.5)),
                                      float(d.get("50", 0)), int(d.get("72", 0)), int(d.get("73", 0))), d.get("1", "")
        return seq, "POINT", layer, (), None
    except ValueError:
        return None


# --- turning entities into shapes and texts --------------------------------------------------

class _Reader:
    """Shapes and texts of the model space; block definitions read once per scale and reused."""

    def __init__(self, doc, tol: float):
        self.doc = doc
        self.tol = tol
        self.eps = tol / 100
        self.content = _Content()
        self.blocks: dict[tuple[str, int], tuple[list[_Shape], list[_Text]]] = {}
        self._busy: set[str] = set()
        self._layers: dict[str, str] = {}

    def layer(self, name: str) -> str:
        """Layer names compare without case (as in CAD); the first spelling met is kept."""
        key = name.casefold()
        found = self._layers.get(key)
        if found is None:
            found = self._layers[key] = layer_name(_clean_text(name))  # one line, as the floor's layer list keeps it
        return found

    def read(self, fast: _Fast | None) -> _Content:
        msp = list(self.doc.modelspace())
        c = self.content
        if fast is None:
            seqs = list(range(len(msp)))
        elif len(msp) == len(fast.others):
            seqs = fast.others
        else:  # ezdxf left out or added something: its entities come after the fast ones
            seqs = [fast.entities + i for i in range(len(msp))]
        c.entities = len(msp) + (len(fast.items) if fast is not None else 0)
        total, done = c.entities, 0
        text = _("Sorting out the drawing's objects…")
        for item in (fast.items if fast is not None else ()):
            if done % PROGRESS_EVERY == 0:
                checkpoint(done, total, text)
            done += 1
            self._fast_entity(item)
        for seq, e in zip(seqs, msp):
            if done % PROGRESS_EVERY == 0:
                checkpoint(done, total, text)
            done += 1
            shapes: list[_Shape] = []
            texts: list[_Text] = []
            try:
                self.entity(e, shapes, texts, naming=True)
            except Exception:  # noqa: BLE001 - a damaged entity is left out and counted, the rest goes on
                c.unreadable += 1
                continue
            for s in shapes:
                s.seq = seq
            for t in texts:
                t.seq = seq
            c.shapes += shapes
            c.texts += texts
        c.shapes.sort(key=lambda s: s.seq)
        c.texts.sort(key=lambda t: t.seq)
        return c

    # --- the fast entities ----------------------------------------------------------------
    def _fast_entity(self, item: tuple) -> None:
        seq, kind, layer, nums, extra = item
        if kind == "POINT":
            return
        layer = self.layer(layer)
        c = self.content
        if kind == "LINE":
            c.shapes.append(_Shape(layer, list(nums), False, False, seq))
        elif kind == "LWPOLYLINE":
            self._polyline(nums, extra, layer, c.shapes, seq)
        elif kind == "ARC":
            cx, cy, r, start, end = nums
            self._arc(cx, cy, r, start, end, False, layer, c.shapes, seq)
        elif kind == "CIRCLE":
            cx, cy, r = nums
            self._arc(cx, cy, r, 0.0, 360.0, True, layer, c.shapes, seq)
        elif kind == "TEXT":
            insert, align, height, rotation, halign, valign = nums
            x, y = self._text_anchor(insert, align, halign, valign)
            self._text(layer, x, y, height, extra, rotation, True, c.texts, seq, plain=True)

    # --- any entity through ezdxf -----------------------------------------------------------
    def entity(self, e, shapes: list[_Shape], texts: list[_Text], naming: bool) -> None:
        kind = e.dxftype()
        dxf = e.dxf
        if dxf.get("invisible", 0):
            return
        layer = self.layer(dxf.get("layer", "0"))
        if kind == "LINE":
            s, t = dxf.start, dxf.end
            shapes.append(_Shape(layer, [s.x, s.y, t.x, t.y], False, False))
        elif kind == "LWPOLYLINE":
            if _default_ocs(e) and not e.has_arc:
                self._polyline([float(v) for x, y in e.get_points("xy") for v in (x, y)], e.closed, layer, shapes)
            else:
                self._path(e, layer, e.closed, True, shapes)
        elif kind == "POLYLINE":
            if e.is_2d_polyline or e.is_3d_polyline:
                self._path(e, layer, e.is_closed, True, shapes)
            else:  # polyface and polygon meshes
                self.content.three_d += 1
        elif kind in ("ARC", "CIRCLE"):
            start, end = (dxf.start_angle, dxf.end_angle) if kind == "ARC" else (0.0, 360.0)
            if _default_ocs(e):
                self._arc(dxf.center.x, dxf.center.y, dxf.radius, start, end, kind == "CIRCLE", layer, shapes)
            else:
                self._path(e, layer, kind == "CIRCLE", False, shapes)
        elif kind in ("ELLIPSE", "SPLINE", "HELIX"):
            self._path(e, layer, False, False, shapes)
        elif kind in ("HATCH", "MPOLYGON"):
            self._hatch(e, layer, shapes)
        elif kind in ("SOLID", "TRACE"):
            pts = [v for p in e.wcs_vertices() for v in (p.x, p.y)]
            self._polyline(pts, True, layer, shapes, candidate=False)
        elif kind in ("TEXT", "ATTRIB"):
            if kind == "ATTRIB" and e.is_invisible:
                return
            insert = dxf.get("insert")
            align = dxf.get("align_point")
            x, y = self._text_anchor((insert.x, insert.y) if insert is not None else (0.0, 0.0),
                                     (align.x, align.y) if align is not None else None,
                                     dxf.get("halign", 0), dxf.get("valign", 0))
            rotation = dxf.get("rotation", 0.0)
            if not _default_ocs(e):
                ocs = e.ocs()
                p = ocs.to_wcs((x, y, 0))
                d = ocs.to_wcs((math.cos(math.radians(rotation)), math.sin(math.radians(rotation)), 0))
                x, y, rotation = p.x, p.y, math.degrees(math.atan2(d.y, d.x))
            self._text(layer, x, y, dxf.get("height", 2.5), dxf.get("text", ""), rotation, naming, texts, plain=True)
        elif kind == "MTEXT":
            p = dxf.get("insert")
            self._text(layer, p.x, p.y, dxf.get("char_height", 2.5), e.plain_text(split=False), e.get_rotation(),
                       naming, texts)
        elif kind == "INSERT":
            self._insert(e, layer, shapes, texts)
        elif kind in EXPLODED_TYPES:
            sub_s: list[_Shape] = []
            sub_t: list[_Text] = []
            for part in e.virtual_entities():
                self.entity(part, sub_s, sub_t, naming=False)
            shapes += [_inherit_shape(s, layer) for s in sub_s]
            texts += [_inherit_text(t, layer) for t in sub_t]
        elif kind in THREE_D_TYPES:
            self.content.three_d += 1
        # POINT, IMAGE, WIPEOUT, VIEWPORT, XLINE, RAY, OLE frames ...: not part of the underlay

    def _insert(self, e, layer: str, shapes: list[_Shape], texts: list[_Text]) -> None:
        name = e.dxf.name
        for ref in (e.multi_insert() if e.mcount > 1 else [e]):
            m = ref.matrix44()
            a, b, _z0, _w0 = m.get_row(0)
            c, d, _z1, _w1 = m.get_row(1)
            tx, ty, _z3, _w3 = m.get_row(3)
            scale = math.sqrt(abs(a * d - b * c)) or 1.0
            block = self._block(name, self.tol / scale)
            if block is None:
                break
            for s in block[0]:
                xs, ys = s.coords[0::2], s.coords[1::2]
                coords = [0.0] * len(s.coords)
                coords[0::2] = [a * x + c * y + tx for x, y in zip(xs, ys)]
                coords[1::2] = [b * x + d * y + ty for x, y in zip(xs, ys)]
                shapes.append(_Shape(layer if s.layer == "0" else s.layer, coords, s.closed, s.candidate))
            for t in block[1]:
                r = math.radians(t.rotation)
                dx, dy = math.cos(r), math.sin(r)
                ux, uy = -dy * t.height, dx * t.height
                texts.append(_Text(layer if t.layer == "0" else t.layer, a * t.x + c * t.y + tx,
                                   b * t.x + d * t.y + ty, math.hypot(a * ux + c * uy, b * ux + d * uy), t.text,
                                   round(math.degrees(math.atan2(b * dx + d * dy, a * dx + c * dy)), 6), t.naming))
        for attrib in e.attribs:
            self.entity(attrib, shapes, texts, naming=True)

    def _block(self, name: str, tol: float) -> tuple[list[_Shape], list[_Text]] | None:
        key = (name.casefold(), round(math.log2(tol)) if tol > 0 else 0)
        if key in self.blocks:
            return self.blocks[key]
        block = self.doc.blocks.get(name)
        if block is None or key[0] in self._busy:  # missing, or a block holding itself
            return None
        self._busy.add(key[0])
        saved = self.tol, self.eps
        self.tol, self.eps = 2.0 ** key[1], 2.0 ** key[1] / 100
        shapes: list[_Shape] = []
        texts: list[_Text] = []
        try:
            for e in block:
                if e.dxftype() == "ATTDEF":  # templates: the reference's ATTRIBs hold the values
                    continue
                try:
                    self.entity(e, shapes, texts, naming=True)
                except Exception:  # noqa: BLE001 - as in the model space
                    self.content.unreadable += 1
        finally:
            self._busy.discard(key[0])
            self.tol, self.eps = saved
        self.blocks[key] = (shapes, texts)
        return shapes, texts

    # --- geometry helpers ----------------------------------------------------------------------
    def _polyline(self, coords: list[float], closed: bool, layer: str, out: list[_Shape], seq: int = 0,
                  candidate: bool = True) -> None:
        if len(coords) < 4:
            return
        eps = self.eps
        if len(coords) >= 8 and abs(coords[0] - coords[-2]) <= eps and abs(coords[1] - coords[-1]) <= eps:
            closed = True  # drawn back to its first point
            coords = coords[:-2]
        closed = closed and len(coords) >= 6
        out.append(_Shape(layer, coords, closed, closed and candidate, seq))

    def _arc(self, cx: float, cy: float, r: float, start: float, end: float, full: bool, layer: str,
             out: list[_Shape], seq: int = 0) -> None:
        if not r > 0 or not math.isfinite(r):
            return
        a0 = math.radians(start)
        sweep = 2 * math.pi if full else math.radians((end - start) % 360.0) or 2 * math.pi
        step = 2 * math.acos(max(-1.0, 1 - self.tol / r)) if self.tol < r else math.pi / 4
        n = max(8 if full else 2, math.ceil(sweep / min(step, math.pi / 4)))
        n = min(n, 720)
        pts = [cx + r * math.cos(a0 + sweep * i / n) for i in range(n + (0 if full else 1))]
        qts = [cy + r * math.sin(a0 + sweep * i / n) for i in range(n + (0 if full else 1))]
        coords = [0.0] * (2 * len(pts))
        coords[0::2], coords[1::2] = pts, qts
        out.append(_Shape(layer, coords, full, False, seq))

    def _path(self, e, layer: str, closed: bool, candidate: bool, out: list[_Shape]) -> None:
        from ezdxf import path as ezpath

        p = ezpath.make_path(e)
        coords = [v for q in p.flattening(self.tol, segments=2) for v in (q.x, q.y)]
        self._polyline(coords, closed, layer, out, candidate=candidate)

    def _hatch(self, e, layer: str, out: list[_Shape]) -> None:
        """Each boundary path a closed shape; those inside another of the same hatch are its holes."""
        from ezdxf import path as ezpath

        rings = []
        for p in ezpath.from_hatch(e):
            coords = [v for q in p.flattening(self.tol, segments=2) for v in (q.x, q.y)]
            if len(coords) >= 8 and abs(coords[0] - coords[-2]) <= self.eps and abs(coords[1] - coords[-1]) <= self.eps:
                coords = coords[:-2]
            if len(coords) >= 6:
                rings.append(coords)
        pts = [list(zip(r[0::2], r[1::2])) for r in rings]
        areas = [geometry.polygon_area_mm2(p) for p in pts]
        for i, ring in enumerate(rings):
            hole = any(j != i and areas[j] > areas[i] and geometry.point_in_polygon(*pts[i][0], pts[j])
                       for j in range(len(rings)))
            out.append(_Shape(layer, ring, True, not hole))

    @staticmethod
    def _text_anchor(insert: tuple[float, float], align: tuple[float, float] | None, halign: int,
                     valign: int) -> tuple[float, float]:
        """Where a TEXT stands: its insertion point when left-aligned, else its alignment point (the
        middle of both for ALIGNED and FIT), as ezdxf's ``get_placement`` says."""
        if halign > 2:
            valign = 0
        if align is None or (halign, valign) == (0, 0) or not (0 <= halign <= 5 and 0 <= valign <= 3):
            return insert
        if halign in (3, 5):
            return (insert[0] + align[0]) / 2, (insert[1] + align[1]) / 2
        return align

    def _text(self, layer: str, x: float, y: float, height: float, text: str, rotation: float, naming: bool,
              out: list[_Text], seq: int = 0, plain: bool = False) -> None:
        if plain:
            from ezdxf.lldxf.encoding import decode_dxf_unicode
            from ezdxf.tools.text import plain_text

            if "\\U+" in text:
                text = decode_dxf_unicode(text)
            text = plain_text(text)
        text = _clean_text(text).strip()
        if text:
            out.append(_Text(layer, x, y, abs(height), text, rotation, naming, seq))


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean_text(text: str) -> str:
    """Bytes the file's encoding could not read become U+FFFD; control characters go (the model
    refuses them in names)."""
    if BAD_CHARS.search(text):
        text = _CONTROL.sub("", _SURROGATE.sub("\ufffd", text))
    return text


def _default_ocs(e) -> bool:
    ex = e.dxf.get("extrusion")
    return ex is None or (ex[0] == 0 and ex[1] == 0 and ex[2] > 0)


def _inherit_shape(s: _Shape, layer: str) -> _Shape:
    if s.layer == "0" and layer != "0":
        s.layer = layer
    return s


def _inherit_text(t: _Text, layer: str) -> _Text:
    if t.layer == "0" and layer != "0":
        t.layer = layer
    return t
