"""The architect's plan from a DXF (or, through the ODA File Converter, a DWG) drawing.

Closed shapes on the chosen layers (closed LWPOLYLINE/POLYLINE, hatch boundaries; also inside
block references) become rooms, named by the TEXT, MTEXT or block attribute whose insertion point
lies in them; everything else becomes the floor's vector underlay (paths and texts). Coordinates
become plan millimetres with the y axis down, the drawing's top-left corner at (0, 0).

Reading is the slow part of a large drawing, so the plain entities of the model space (LINE,
LWPOLYLINE without arcs, ARC, CIRCLE, TEXT, POINT) are read straight from the file's group codes
and only the rest (blocks, hatches, dimensions, MTEXT, splines ...) goes through ``ezdxf``; both
ways give the same result (a test compares them). Binary and damaged files go through ``ezdxf``
alone (``ezdxf.recover`` for damaged ones). What was read last is kept for the next call, so the
preview (:func:`scan_dxf`) and the import (:func:`read_dxf`) read a file once.

This module opens the file (DXF, or DWG through the converter), keeps what was read, and makes the
rooms and the underlay of it; turning the model space into shapes and texts is
:mod:`mpp_planner.importers.dxf_read`'s.
"""

from __future__ import annotations

import io
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mpp_planner.formats import number
from mpp_planner.i18n import _, ngettext
from mpp_planner.importers.dxf_read import _Content, _Reader, _Shape, _Text, _fast_read
from mpp_planner.jobs import checkpoint
from mpp_planner.model import geometry
from mpp_planner.model.base import ValidationError
from mpp_planner.model.plan import clean_outline
from mpp_planner.model.underlay import Underlay, UnderlayPath, UnderlayText

# the reader's other names, importable from here as they were before it had a module of its own
from mpp_planner.importers.dxf_read import (
    _CONTROL as _CONTROL, _SURROGATE as _SURROGATE, EXPLODED_TYPES as EXPLODED_TYPES, FAST_TYPES as FAST_TYPES,
    PROGRESS_EVERY as PROGRESS_EVERY, SUB_RECORDS as SUB_RECORDS, THREE_D_TYPES as THREE_D_TYPES, _Codes as _Codes,
    _Fast as _Fast, _clean_text as _clean_text, _default_ocs as _default_ocs, _fast_item as _fast_item,
    _find_section as _find_section, _inherit_shape as _inherit_shape, _inherit_text as _inherit_text)

UNITS = {"mm": 1.0, "cm": 10.0, "m": 1000.0, "in": 25.4, "ft": 304.8}
HEADER_UNITS = {1: "in", 2: "ft", 4: "mm", 5: "cm", 6: "m"}  # $INSUNITS codes we take as they are
FLATTEN_MM = 5.0  # arcs, circles and splines become polylines at most this far from the curve
MIN_EXTENT_MM = 1_000  # a building smaller than 1 m, or
MAX_EXTENT_MM = 5_000_000  # larger than 5 km, means the units are wrong
MAX_FILE_BYTES = 250 * 1024 * 1024
ODA_TIMEOUT_S = 300
FAST_READ = True  # False: ezdxf reads every entity (the tests compare both ways)

ROOM_LAYER_WORDS = frozenset({"ruang", "ruangan", "room", "rooms", "area", "areas", "space", "spaces", "zona",
                              "zone", "zones", "rg"})
NOT_ROOM_LAYER_WORDS = ("wall", "dinding", "tembok", "furn", "perabot", "mebel", "kolom", "column", "col", "door",
                        "pintu", "window", "jendela", "dim", "text", "teks", "hatch", "arsir", "grid", "axis",
                        "struk", "struct", "title", "kop", "border", "frame", "defpoints", "sanitair", "plumb",
                        "elec", "listrik", "lamp", "stair", "tangga")


class DxfError(Exception):
    """The drawing cannot be imported; ``str()`` is the message for the user. Nothing was changed.
    ``units_problem`` says that other units would help, ``layers_problem`` other room layers (the
    command line then names ``--units`` or ``--layers``)."""

    def __init__(self, message: str, *, units_problem: bool = False, layers_problem: bool = False):
        super().__init__(message)
        self.units_problem = units_problem
        self.layers_problem = layers_problem


@dataclass(frozen=True)
class LayerInfo:
    name: str
    entities: int  # paths and texts on the layer, block references exploded
    closed_shapes: int  # closed polylines / hatch boundaries on it (room candidates)


@dataclass(frozen=True)
class DxfSummary:
    """What the import dialog shows before importing."""

    layers: list[LayerInfo]
    units: str | None  # the units asked for, else the drawing's; None when the drawing does not say
    units_from_header: bool  # the units are the drawing's own ($INSUNITS)
    extents_mm: tuple[int, int, int, int] | None  # (0, 0, width, height) as imported; None without units
    entities: int  # entities in the model space
    suggested_room_layers: list[str]


@dataclass(frozen=True)
class DxfRoom:
    name: str
    outline: list[tuple[int, int]]
    layer: str


@dataclass
class DxfPlan:
    rooms: list[DxfRoom]
    underlay: Underlay
    units: str
    warnings: list[str] = field(default_factory=list)
    _data: bytes | None = field(default=None, init=False, repr=False, compare=False)

    def underlay_data(self) -> bytes:
        """The underlay packed for storing, once (``read_dxf`` packs it in its worker, so the
        import command does not in the window's thread). Change no part of the plan after it."""
        if self._data is None:
            self._data = self.underlay.encode()
        return self._data

# --- entry points -------------------------------------------------------------------------

def scan_dxf(path: str | os.PathLike, *, units: str | None = None) -> DxfSummary:
    """Layers, units, size and suggested room layers of a drawing (DxfError when it cannot be read)."""
    units = _check_units(units)
    content = _content(Path(path), units)
    header = HEADER_UNITS.get(content.insunits)
    use = units or header
    per_layer: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for s in content.shapes:
        per_layer[s.layer][0] += 1
        per_layer[s.layer][1] += s.candidate
    for t in content.texts:
        per_layer[t.layer][0] += 1
    layers = [LayerInfo(name, n, closed)
              for name, (n, closed) in sorted(per_layer.items(), key=lambda kv: kv[0].casefold())]
    extents = None
    if use is not None:
        box = _extents(content.shapes, content.texts, UNITS[use])
        if box is not None:
            extents = (0, 0, round(box[2] - box[0]), round(box[3] - box[1]))
    return DxfSummary(layers, use, header is not None and use == header, extents, content.entities,
                      _suggest_room_layers(content))


def read_dxf(path: str | os.PathLike, *, room_layers: Iterable[str] | None = None,
             units: str | None = None) -> DxfPlan:
    """Rooms and underlay of a drawing in plan millimetres. ``room_layers`` None takes the suggested
    ones. DxfError when the drawing cannot be read, has no units (and none are given), no usable
    closed shape on the room layers, or a size no building has."""
    units = _check_units(units)
    content = _content(Path(path), units)
    use = units or HEADER_UNITS.get(content.insunits)
    if use is None:
        if content.insunits:
            raise DxfError(_("The drawing's units (code {code}) are not ones the import knows; give them as mm, "
                             "cm or m.").format(code=content.insunits), units_problem=True)
        raise DxfError(_("The drawing does not say its units; give them as mm, cm or m."), units_problem=True)
    chosen = _suggest_room_layers(content) if room_layers is None else list(room_layers)
    checkpoint(0, 0, _("Finding the rooms…"))
    plan = _assemble(content, UNITS[use], use, chosen)
    checkpoint(0, 0, _("Packing the underlay…"))
    plan.underlay_data()
    return plan


def _check_units(units: str | None) -> str | None:
    if units is not None and units not in UNITS:
        raise DxfError(_("Unknown units “{units}”; use one of {choices}.").format(
            units=units, choices=", ".join(UNITS)), units_problem=True)
    return units


# --- opening the file ---------------------------------------------------------------------

_cache_lock = threading.Lock()
_cache: dict[tuple, tuple[float, _Content]] = {}  # file -> (mm per unit it was read at, content)


def forget_cache() -> None:
    """Drop the drawing kept from the last read (memory)."""
    with _cache_lock:
        _cache.clear()


def _content(path: Path, units: str | None) -> _Content:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise DxfError(_("The file {name} does not exist.").format(name=path.name)) from None
    except OSError as exc:
        raise _unreadable(path.name, exc) from None
    if not path.is_file():
        raise DxfError(_("{name} is not a file.").format(name=path.name))
    if st.st_size > MAX_FILE_BYTES:
        raise DxfError(_("The drawing {name} is too large ({mb} MB, at most {max} MB).").format(
            name=path.name, mb=st.st_size // (1024 * 1024), max=MAX_FILE_BYTES // (1024 * 1024)))
    head = _head(path)
    is_dwg = path.suffix.lower() == ".dwg" or re.match(rb"AC\d{4}", head) is not None  # "AC1032": AutoCAD 2018
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    with _cache_lock:
        if key in _cache:
            k_read, content = _cache[key]
            if UNITS[units or HEADER_UNITS.get(content.insunits, "mm")] == k_read:
                return content
    if is_dwg:
        with tempfile.TemporaryDirectory(prefix="mpp-dwg-") as tmp:
            dxf = convert_dwg(path, out_dir=Path(tmp))
            content = _read_content(dxf, units, shown_name=path.name)
    else:
        content = _read_content(path, units, shown_name=path.name, head=head)
    with _cache_lock:
        _cache.clear()
        _cache[key] = (UNITS[units or HEADER_UNITS.get(content.insunits, "mm")], content)
    return content


def _unreadable(name: str, exc: OSError) -> DxfError:
    return DxfError(_("The file {name} cannot be read: {error}").format(name=name, error=exc.strerror or exc))


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(4096)
    except OSError as exc:
        raise _unreadable(path.name, exc) from None


BINARY_SENTINEL = b"AutoCAD Binary DXF\r\n\x1a\x00"


def _looks_like_dxf(head: bytes) -> bool:
    """An ASCII DXF starts with group code 0 (SECTION) or a 999 comment."""
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    first = text.split(b"\n", 1)[0].strip()
    return first in (b"0", b"999")


def _ends_with_eof(path: Path) -> bool:
    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        f.seek(max(0, size - 256))
        tail = f.read()
    words = tail.rstrip(b"\x00\x1a").split()  # old DOS files end with ^Z
    return len(words) >= 2 and words[-1] == b"EOF" and words[-2] == b"0"


def _read_content(path: Path, units: str | None, *, shown_name: str, head: bytes | None = None) -> _Content:
    import ezdxf
    from ezdxf import recover
    from ezdxf.lldxf.const import DXFError as EzdxfError

    head = _head(path) if head is None else head
    binary = head.startswith(BINARY_SENTINEL)
    if not binary and not _looks_like_dxf(head):
        raise DxfError(_("{name} is not a DXF drawing.").format(name=shown_name))
    if not binary and not _ends_with_eof(path):
        raise DxfError(_("The drawing {name} is incomplete: the file ends before the end of the drawing (cut off "
                         "while copying or saving?). Save it again from the CAD program.").format(name=shown_name))
    checkpoint(0, 0, _("Reading the drawing…"))
    fast = _fast_read(path) if FAST_READ and not binary else None
    repaired = False
    try:
        try:
            doc = ezdxf.read(io.StringIO(fast.rest)) if fast is not None else ezdxf.readfile(path)
        except (EzdxfError, ValueError, KeyError, IndexError, TypeError, AttributeError):
            fast = None
            doc, auditor = recover.readfile(path)
            repaired = bool(auditor.has_errors or auditor.has_fixes)
    except (EzdxfError, ValueError, KeyError, IndexError, TypeError, AttributeError, UnicodeError) as exc:
        detail = " ".join(str(exc).split())[:200] or type(exc).__name__  # one line
        raise DxfError(_("The drawing {name} is damaged and cannot be read ({error}).").format(
            name=shown_name, error=detail)) from None
    except OSError as exc:
        raise _unreadable(shown_name, exc) from None
    k = UNITS.get(units or HEADER_UNITS.get(_insunits(doc), "mm"), 1.0)
    reader = _Reader(doc, FLATTEN_MM / k)
    content = reader.read(fast)
    content.insunits = _insunits(doc)
    content.repaired = repaired
    if content.entities and content.three_d == content.entities:
        raise DxfError(_("The drawing {name} holds only 3D objects (3D faces, meshes or solids). Save a 2D floor "
                         "plan view of it as DXF (e.g. with FLATSHOT) and import that.").format(name=shown_name))
    if not content.shapes and not content.texts:
        if content.three_d:
            raise DxfError(_("The drawing {name} holds only 3D objects (3D faces, meshes or solids). Save a 2D floor "
                             "plan view of it as DXF (e.g. with FLATSHOT) and import that.").format(name=shown_name))
        raise DxfError(_("The drawing {name} is empty: its model space holds nothing to import.").format(
            name=shown_name))
    return content


def _insunits(doc) -> int:
    try:
        return int(doc.header.get("$INSUNITS", 0) or 0)
    except (TypeError, ValueError):
        return 0


# --- DWG ------------------------------------------------------------------------------------

ODA_EXE = "ODAFileConverter"


def find_oda_converter() -> Path | None:
    """The ODA File Converter: on PATH, else in its usual install folders."""
    found = shutil.which(ODA_EXE)
    if found:
        return Path(found)
    candidates: list[Path] = []
    if sys.platform.startswith("win"):
        for var, default in (("ProgramFiles", r"C:\Program Files"), ("ProgramFiles(x86)", r"C:\Program Files (x86)")):
            base = Path(os.environ.get(var) or default) / "ODA"
            if base.is_dir():  # one folder per version, e.g. "ODAFileConverter 25.12.0": newest first
                candidates += sorted(base.glob(f"{ODA_EXE}*/{ODA_EXE}.exe"), reverse=True,
                                     key=lambda exe: [int(n) for n in re.findall(r"\d+", exe.parent.name)])
    elif sys.platform == "darwin":
        candidates.append(Path(f"/Applications/{ODA_EXE}.app/Contents/MacOS/{ODA_EXE}"))
    else:
        candidates += [Path(folder) / ODA_EXE for folder in ("/usr/bin", "/usr/local/bin", "/opt/ODAFileConverter")]
    return next((c for c in candidates if c.is_file()), None)


def convert_dwg(path: str | os.PathLike, out_dir: str | os.PathLike | None = None) -> Path:
    """A DXF copy of the DWG ``path`` made by the ODA File Converter, in ``out_dir`` (by default a
    new temporary folder the caller removes). DxfError saying to save it as DXF when the
    converter is not installed or fails."""
    path = Path(path)
    exe = find_oda_converter()
    if exe is None:
        raise DxfError(_("{name} is a DWG drawing. Open it in the CAD program and save it as DXF (or install the "
                         "free ODA File Converter to import DWG files directly).").format(name=path.name))
    out = Path(out_dir) if out_dir is not None else Path(tempfile.mkdtemp(prefix="mpp-dwg-"))
    out.mkdir(parents=True, exist_ok=True)
    src = Path(tempfile.mkdtemp(prefix="in-", dir=out))
    try:
        shutil.copyfile(path, src / "drawing.dwg")  # a folder of its own: the converter converts whole folders
        args = [str(exe), str(src), str(out), "ACAD2018", "DXF", "0", "1", "drawing.dwg"]
        kwargs: dict[str, Any] = {"capture_output": True, "timeout": ODA_TIMEOUT_S}
        if sys.platform.startswith("win"):
            kwargs["creationflags"] = getattr(subprocess, "CREATE_NO_WINDOW", 0)
        checkpoint(0, 0, _("Converting the DWG drawing…"))
        result = subprocess.run(args, **kwargs)
        made = out / "drawing.dxf"
        if result.returncode != 0 or not made.is_file() or made.stat().st_size == 0:
            raise DxfError(_("The ODA File Converter could not convert {name}. Open it in the CAD program and save "
                             "it as DXF.").format(name=path.name))
        return made
    except subprocess.TimeoutExpired:
        raise DxfError(_("The ODA File Converter took too long to convert {name}. Open it in the CAD program and "
                         "save it as DXF.").format(name=path.name)) from None
    except OSError as exc:
        raise DxfError(_("The ODA File Converter could not be run ({error}). Open {name} in the CAD program and "
                         "save it as DXF.").format(name=path.name, error=exc.strerror or exc)) from None
    finally:
        shutil.rmtree(src, ignore_errors=True)


# --- which layers hold rooms -------------------------------------------------------------------

def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[^0-9a-z]+", name.casefold()) if w]


def _suggest_room_layers(content: _Content) -> list[str]:
    """Layers whose names say rooms (RUANG, ROOM, AREA ...) and hold closed shapes; else the layer
    whose closed shapes most often hold a text (not walls, furniture, doors ...); else none."""
    counts: dict[str, int] = defaultdict(int)
    for s in content.shapes:
        if s.candidate:
            counts[s.layer] += 1
    named = [layer for layer in counts if ROOM_LAYER_WORDS & set(_words(layer))]
    if named:
        return sorted(named, key=str.casefold)
    others = [layer for layer in counts
              if not any(w.startswith(bad) for w in _words(layer) for bad in NOT_ROOM_LAYER_WORDS)]
    if not others:
        return []
    polys = [(s.layer, list(zip(s.coords[0::2], s.coords[1::2]))) for s in content.shapes
             if s.candidate and s.layer in others]
    holding = _holders([(t.x, t.y) for t in content.texts if t.naming], [p for _layer, p in polys])
    with_text: dict[str, int] = defaultdict(int)
    for i in {h for h in holding if h is not None}:
        with_text[polys[i][0]] += 1
    if not with_text:
        return []
    best = max(with_text.values())
    return [min((layer for layer, n in with_text.items() if n == best), key=str.casefold)]


def _holders(points: Sequence[tuple[float, float]], polygons: Sequence[Sequence[tuple[float, float]]]
             ) -> list[int | None]:
    """For each point the index of the smallest polygon holding it (None: in none); a grid of
    cells keeps it fast for many points and polygons."""
    if not points or not polygons:
        return [None] * len(points)
    boxes = [geometry.bounds(p) for p in polygons]
    areas = [geometry.polygon_area_mm2(p) for p in polygons]
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[2] for b in boxes)
    y1 = max(b[3] for b in boxes)
    n = max(1, min(256, int(math.sqrt(len(polygons))) * 2))
    cw = (x1 - x0) / n or 1.0
    ch = (y1 - y0) / n or 1.0
    grid: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, (bx0, by0, bx1, by1) in enumerate(boxes):
        for gx in range(int((bx0 - x0) / cw), min(n, int((bx1 - x0) / cw) + 1)):
            for gy in range(int((by0 - y0) / ch), min(n, int((by1 - y0) / ch) + 1)):
                grid[gx, gy].append(i)
    out: list[int | None] = []
    for x, y in points:
        best = None
        if x0 <= x <= x1 and y0 <= y <= y1:
            cell = grid.get((min(n - 1, int((x - x0) / cw)), min(n - 1, int((y - y0) / ch))), ())
            for i in cell:
                b = boxes[i]
                if (b[0] <= x <= b[2] and b[1] <= y <= b[3] and (best is None or areas[i] < areas[best])
                        and geometry.point_in_polygon(x, y, polygons[i])):
                    best = i
        out.append(best)
    return out


# --- from drawing units to the plan ------------------------------------------------------------

def _extents(shapes: Sequence[_Shape], texts: Sequence[_Text], k: float) -> tuple[float, float, float, float] | None:
    """(min x, min y, max x, max y) in plan millimetres (y down) over every finite point."""
    xs: list[float] = []
    ys: list[float] = []
    for s in shapes:
        if s.coords:
            xs.append(min(s.coords[0::2]))
            xs.append(max(s.coords[0::2]))
            ys.append(min(s.coords[1::2]))
            ys.append(max(s.coords[1::2]))
    xs += [t.x for t in texts]
    ys += [t.y for t in texts]
    xs = [x for x in xs if math.isfinite(x)]
    ys = [y for y in ys if math.isfinite(y)]
    if not xs or not ys:
        return None
    return min(xs) * k, -max(ys) * k, max(xs) * k, -min(ys) * k


def _finite(coords: Sequence[float]) -> bool:
    return math.isfinite(sum(coords))  # NaN and infinity carry through a sum


def _metres(mm: float) -> str:
    return number(mm / 1000, 2)


def _assemble(content: _Content, k: float, units: str, room_layers: list[str]) -> DxfPlan:
    wanted = {layer.casefold() for layer in room_layers}
    warnings: list[str] = []
    shapes = [s for s in content.shapes if _finite(s.coords)]
    texts = [t for t in content.texts if math.isfinite(t.x) and math.isfinite(t.y) and math.isfinite(t.height)]
    bad = (len(content.shapes) - len(shapes)) + (len(content.texts) - len(texts)) + content.unreadable
    candidates = [s for s in shapes if s.candidate and s.layer.casefold() in wanted]
    if not candidates:
        having = sorted({s.layer for s in shapes if s.candidate}, key=str.casefold)
        chosen = ", ".join(room_layers) if room_layers else _("(none)")
        if having:
            raise DxfError(_("No closed shapes (closed polylines or hatches) on the room layers {chosen}. Choose "
                             "the room layers among these, which have closed shapes: {layers}.").format(
                                 chosen=chosen, layers=", ".join(having)), layers_problem=True)
        raise DxfError(_("The drawing has no closed shapes (closed polylines or hatches) to make rooms from."))
    box = _extents(shapes, texts, k)
    assert box is not None  # there are candidates
    width, height = box[2] - box[0], box[3] - box[1]
    size = max(width, height)
    if size < MIN_EXTENT_MM:
        raise DxfError(_("Read in {units}, the drawing measures {w} × {h} m: far too small for a building. Check "
                         "the drawing's units.").format(units=units, w=_metres(width), h=_metres(height)),
                       units_problem=True)
    if size > MAX_EXTENT_MM:
        raise DxfError(_("Read in {units}, the drawing measures {w} × {h} m: far too large for a building. Check "
                         "the drawing's units (or look for objects far away from the plan).").format(
                             units=units, w=_metres(width), h=_metres(height)), units_problem=True)
    ox, oy = box[0], box[1]

    def plan_points(coords: Sequence[float]) -> list[tuple[int, int]]:
        pts = [(round(x * k - ox), round(-y * k - oy)) for x, y in zip(coords[0::2], coords[1::2])]
        return [p for i, p in enumerate(pts) if i == 0 or p != pts[i - 1]]

    # rooms: every closed shape on the room layers, once, as the model allows it
    outlines: list[tuple[_Shape, list[tuple[int, int]]]] = []
    seen: set[tuple] = set()
    for s in candidates:
        pts = plan_points(s.coords)
        if len(pts) > 1 and pts[0] == pts[-1]:
            pts.pop()
        key = tuple(sorted(pts))
        if key in seen:  # a room drawn twice (its polyline and its hatch)
            continue
        seen.add(key)
        outlines.append((s, pts))
    naming = [t for t in texts if t.naming]
    tx = [(t.x * k - ox, -t.y * k - oy) for t in naming]
    holder = _holders(tx, [pts for _s, pts in outlines])
    best: dict[int, _Text] = {}
    for t, h in zip(naming, holder):
        if h is not None and (h not in best or t.height > best[h].height):
            best[h] = t
    rooms: list[DxfRoom] = []
    used: set[int] = set()
    skipped_shapes: list[_Shape] = []
    unnamed = 0
    for i, (s, pts) in enumerate(outlines):
        label = best.get(i)
        name = " ".join(label.text.split())[:200] if label is not None else ""
        try:
            clean_outline([list(p) for p in pts])
        except ValidationError as exc:
            cx, cy = geometry.centroid(pts) if pts else (0.0, 0.0)
            what = f"“{name}”" if name else _("without a name")
            warnings.append(_("The closed shape {what} on layer “{layer}” at {x} m, {y} m was not imported as a "
                              "room: {reason}").format(what=what, layer=s.layer, x=_metres(cx), y=_metres(cy),
                                                       reason=exc.message))
            skipped_shapes.append(s)
            continue
        if label is not None:
            used.add(id(label))
        else:
            unnamed += 1
            name = _("Room {n}").format(n=unnamed)
        rooms.append(DxfRoom(name, pts, s.layer))
    if not rooms:
        raise DxfError(ngettext("The {n} closed shape on the room layers cannot be a room. {first}",
                                "None of the {n} closed shapes on the room layers can be a room. {first}",
                                len(outlines)).format(
            n=len(outlines), first=warnings[0] if warnings else ""))
    room_shapes = {id(s) for s, _pts in outlines} - {id(s) for s in skipped_shapes}
    in_rooms = {id(s) for s in candidates} - {id(s) for s in skipped_shapes}
    paths: list[UnderlayPath] = []
    for s in shapes:
        if id(s) in in_rooms or id(s) in room_shapes:
            continue
        pts = plan_points(s.coords)
        if s.closed and len(pts) > 1 and pts[0] == pts[-1]:
            pts.pop()
        if len(pts) < 2:
            continue
        paths.append(UnderlayPath(s.layer, tuple(pts), s.closed and len(pts) >= 3))
    under_texts = [UnderlayText(t.layer, round(t.x * k - ox), round(-t.y * k - oy), max(1, round(t.height * k)),
                                t.text, round(t.rotation % 360.0, 2))
                   for t in texts if id(t) not in used]
    if bad:
        warnings.append(ngettext("{n} drawing object could not be read and was left out.",
                                 "{n} drawing objects could not be read and were left out.", bad).format(n=bad))
    if content.repaired:
        warnings.append(_("The drawing had errors that were repaired while reading it; check the imported plan."))
    return DxfPlan(rooms, Underlay(paths, under_texts), units, warnings)
