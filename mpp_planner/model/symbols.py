"""Plan symbols of furniture: what an architect draws for a chair, a sofa, a desk, a sink... at the
item's real size.

A symbol is chosen once per catalog entry from its key, tags, category and name (Indonesian or
English words). Its paths are plain geometry in the item's own frame: centre at (0, 0), x along the
width, y along the depth (y down, as on the plan), so the back of a chair or a sofa is at -y and its
front at +y. The scene and the printed sheets draw the same paths; arcs are polylines fine enough to
look round on an A3 sheet at 1:50.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

Point = tuple[float, float]

LIGHT, DARK = "light", "dark"  # fill tones: the paper white of a piece of furniture, a dark solid (a screen)
THIN, NORMAL = "thin", "normal"  # stroke weights: details, outline

GENERIC = "box"  # what an unknown kind is drawn as: its box, as before symbols


@dataclass(frozen=True)
class SymbolPath:
    """One polyline of a symbol; ``fill`` is LIGHT, DARK or None (lines only); open paths are never filled."""

    points: tuple[Point, ...]
    closed: bool = True
    fill: str | None = LIGHT
    weight: str = NORMAL


# --- choosing a symbol ------------------------------------------------------------------------

# In order: the first rule with a word of the item wins, so the specific ones come first ("Kursi
# Roda" is a wheelchair before it is a chair, "Lemari Es" a refrigerator before a cabinet, the
# "Perekam CCTV" a recorder box before a camera). Words are catalog tags, parts of the key, and
# words of the name and the category; "a b" is a phrase of the name.
RULES: tuple[tuple[str, frozenset[str]], ...] = tuple((symbol, frozenset(words.split(","))) for symbol, words in (
    ("bar", "grab_bar,grab,pegangan,handrail"),
    ("wheelchair", "wheelchair,roda"),
    ("ramp", "ramp"),
    ("guide_strip", "guiding_block,guiding,pemandu,tactile"),
    ("counter", "counter_desk,information_desk,priority_counter,counter,loket,resepsionis,reception,receptionist"),
    ("kiosk", "queue_kiosk,survey_kiosk,kiosk,kios,anjungan"),
    ("equipment", "nvr,dvr,recorder,perekam,router,server,ups,sterilizer,sterilisator,charging,equipment"),
    ("computer", "pc,computer,komputer,laptop,notebook"),
    ("screen", "tv,television,televisi,display,led_screen,videotron,monitor,layar,screen"),
    ("printer", "printer,scanner,pemindai,fotokopi,photocopier,copier"),
    ("ac", "ac,air_conditioner,pendingin"),
    ("fan", "fan,kipas"),
    ("refrigerator", "refrigerator,fridge,kulkas,freezer,lemari es"),
    ("sink", "sink,wastafel,westafel,washbasin,basin"),
    ("toilet", "toilet,kloset,closet,wc,urinal,urinoir"),
    ("dispenser", "dispenser,galon,water_dispenser"),
    ("bin", "bin,sampah,trash,rubbish,waste"),
    ("extinguisher", "fire_extinguisher,extinguisher,apar,pemadam"),
    ("round_device", "cctv,camera,kamera,wifi,access_point,detector,detektor"),
    ("speaker", "speaker,pengeras,sound_system,loudspeaker"),
    ("curtain", "curtain,tirai,gorden,gordyn,korden"),
    ("banner", "banner,spanduk,roll_up"),
    ("panel", "signage,acrylic_frame,partition,partisi,sekat,mural,papan,pigora,rambu,sign,braille,whiteboard"),
    ("plant", "plant,tanaman,pot,pohon,bunga,planter"),
    ("beanbag", "beanbag,bean bag"),
    ("toys", "toys,toy,permainan,perosotan,playground,slide"),
    ("play_mat", "play_mat,evamat,puzzle"),
    ("mat", "prayer_mat,sajadah,karpet,carpet,rug,mat,permadani"),
    ("bed", "mattress,bed,kasur,matras,ranjang,tempat tidur"),
    ("sofa", "sofa,couch,settee"),
    ("stool", "stool,dingklik"),
    ("office_chair", "officer_chair,office_chair,swivel,kursi kerja,kursi putar,office chair"),
    ("bench", "bench,bangku"),
    ("chair", "chair,seat,kursi,chair_backrest,folding_chair,meeting_chair,applicant_chair,priority_seat,armchair"),
    ("cabinet", "cabinet,kabinet,lemari,locker,loker,wardrobe,filing,brankas,safe"),
    ("shelf", "shelf,bookshelf,rak,rack,shelving"),
    ("desk", "desk,workstation,meja kerja"),
    ("table", "table,meja"),
))
ROUND = frozenset(("bundar", "bulat", "round", "circular"))
OVAL = frozenset(("oval", "elips"))
STANDING = frozenset(("standing", "floor_standing"))
EQUIPMENT_CATEGORIES = ("elektronik", "electronic", "peralatan", "equipment", "keamanan", "security")


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^0-9a-z]+", text.lower()) if w]


@lru_cache(maxsize=4096)
def symbol_for(key: str = "", tags: str = "", category: str = "", name: str = "", seats: int = 0) -> str:
    """The symbol of a catalog entry (one of SYMBOLS); GENERIC when nothing says what it is. The
    category is asked last: "Meja & Kursi" says what a piece may be, not which one it is."""
    name_words = _words(name)
    tokens = set(tags.lower().split()) | set(_words(key)) | {key.lower()} | set(name_words)
    symbol = _match(tokens, " " + " ".join(name_words) + " ") or _match(set(_words(category)), "")
    if symbol is None:
        low = category.lower()
        return "equipment" if any(word in low for word in EQUIPMENT_CATEGORIES) else GENERIC
    if symbol == "table" and tokens & ROUND:
        return "table_round"
    if symbol == "table" and tokens & OVAL:
        return "table_oval"
    if symbol == "ac" and tokens & STANDING:
        return "ac_floor"
    if symbol == "chair" and seats > 1:
        return "seat_row"
    return symbol


def _match(tokens: set[str], phrase: str) -> str | None:
    for symbol, words in RULES:
        if any((" " + w + " " in phrase) if " " in w else w in tokens for w in words):
            return symbol
    return None


def symbol_of(item_type) -> str:
    """The symbol of an ItemType (or anything with its key, tags, category, name and seats)."""
    return symbol_for(getattr(item_type, "key", "") or "", getattr(item_type, "tags", "") or "",
                      getattr(item_type, "category", "") or "", getattr(item_type, "name", "") or "",
                      int(getattr(item_type, "seats", 0) or 0))


# --- shapes -----------------------------------------------------------------------------------
CHORD_ERROR = 1.5  # mm on the plan: 0.03 mm on paper at 1:50, a curve looks round


def _segments(radius: float, sweep: float = 2 * math.pi) -> int:
    full = math.ceil(math.pi / math.acos(1 - CHORD_ERROR / radius)) if radius > CHORD_ERROR else 8
    return max(3, min(96, math.ceil(max(8, full) * sweep / (2 * math.pi))))


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def ellipse(cx: float, cy: float, rx: float, ry: float, a0: float = 0.0, a1: float = 360.0) -> list[Point]:
    """Points of an ellipse (or of its arc from ``a0`` to ``a1`` degrees, clockwise on screen)."""
    sweep = math.radians(a1 - a0)
    n = _segments(max(rx, ry), abs(sweep))
    full = abs(a1 - a0) >= 360.0
    count = n if full else n + 1
    start = math.radians(a0)
    return [(cx + rx * math.cos(start + sweep * i / n), cy + ry * math.sin(start + sweep * i / n))
            for i in range(count)]


def rect(x0: float, y0: float, x1: float, y1: float) -> list[Point]:
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def rounded(x0: float, y0: float, x1: float, y1: float, r: float) -> list[Point]:
    """A rectangle with round corners of radius ``r`` (a stadium when ``r`` is half its short side)."""
    r = max(0.0, min(r, (x1 - x0) / 2, (y1 - y0) / 2))
    if r < 1.0:
        return rect(x0, y0, x1, y1)
    out: list[Point] = []
    for cx, cy, a in ((x1 - r, y0 + r, 270), (x1 - r, y1 - r, 0), (x0 + r, y1 - r, 90), (x0 + r, y0 + r, 180)):
        out.extend(ellipse(cx, cy, r, r, a, a + 90))
    return out


def _clockwise(points: list[Point]) -> tuple[Point, ...]:
    """Filled outlines all turn one way (clockwise on screen), so nested ones fill together."""
    area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]))
    return tuple(points if area >= 0 else points[::-1])


def shape(points: list[Point], fill: str | None = LIGHT, weight: str = NORMAL) -> SymbolPath:
    return SymbolPath(_clockwise(points), True, fill, weight)


def outline(points: list[Point], weight: str = THIN) -> SymbolPath:
    """A closed outline that is not filled (a basin's rim, a table's edge)."""
    return SymbolPath(tuple(points), True, None, weight)


def line(*points: Point, weight: str = THIN) -> SymbolPath:
    return SymbolPath(tuple(points), False, None, weight)


def _transposed(paths: list[SymbolPath]) -> list[SymbolPath]:
    """Paths drawn for a depth x width box, turned to a width x depth one (x and y swapped)."""
    return [SymbolPath(_clockwise([(y, x) for x, y in p.points]) if p.fill else tuple((y, x) for x, y in p.points),
                       p.closed, p.fill, p.weight) for p in paths]


# --- the symbols (w = width, d = depth; back at -y, front at +y) --------------------------------
Paths = list[SymbolPath]


def _box(w: float, d: float) -> Paths:
    return [shape(rect(-w / 2, -d / 2, w / 2, d / 2))]


def _equipment(w: float, d: float) -> Paths:
    hw, hd = w / 2, d / 2
    return [*_box(w, d), line((-hw, -hd), (hw, hd)), line((hw, -hd), (-hw, hd))]


def _chair(w: float, d: float, cx: float = 0.0) -> Paths:
    hw, hd = w / 2, d / 2
    back = _clamp(d * 0.18, min(30.0, d * 0.3), 120.0)
    r = min(w, d) * 0.12
    return [shape(rounded(cx - hw * 0.88, -hd + back, cx + hw * 0.88, hd, r)),
            shape(rounded(cx - hw, -hd, cx + hw, -hd + back, back * 0.45))]


def _seat_row(w: float, d: float) -> Paths:
    n = max(1, round(w / 600.0))
    cell = w / n
    gap = min(30.0, cell * 0.05)
    out: Paths = []
    for i in range(n):
        out.extend(_chair(cell - gap, d, -w / 2 + cell * (i + 0.5)))
    return out


def _office_chair(w: float, d: float) -> Paths:
    hw, hd = w / 2, d / 2
    outer = ellipse(0, 0, hw, hd, 200, 340)
    inner = ellipse(0, 0, hw * 0.8, hd * 0.8, 200, 340)
    return [shape(ellipse(0, hd * 0.1, hw * 0.8, hd * 0.8)), shape(outer + inner[::-1])]


def _stool(w: float, d: float) -> Paths:
    return [shape(ellipse(0, 0, w / 2, d / 2)), outline(ellipse(0, 0, w * 0.3, d * 0.3))]


def _bench(w: float, d: float) -> Paths:
    hw, hd = w / 2, d / 2
    return [shape(rect(-hw, -hd, hw, hd)), line((-hw, -hd / 3), (hw, -hd / 3)), line((-hw, hd / 3), (hw, hd / 3))]


def _sofa(w: float, d: float) -> Paths:
    hw, hd = w / 2, d / 2
    arm = min(_clamp(w * 0.1, 70.0, 200.0), w * 0.2)
    back = min(_clamp(d * 0.22, 90.0, 220.0), d * 0.4)
    out = [shape(rounded(-hw, -hd, hw, hd, min(arm, back) * 0.6)),
           line((-hw + arm, hd), (-hw + arm, -hd + back), (hw - arm, -hd + back), (hw - arm, hd))]
    seat = w - 2 * arm
    n = max(1, round(seat / 550.0))
    for i in range(1, n):
        x = -hw + arm + seat * i / n
        out.append(line((x, -hd + back), (x, hd)))
    return out


def _desk(w: float, d: float) -> Paths:
    hd = d / 2
    mw, md = min(w * 0.4, 560.0) / 2, _clamp(d * 0.06, 15.0, 40.0)
    my = -hd + d * 0.12
    return [*_box(w, d), shape(rect(-mw, my, mw, my + md), DARK)]


def _counter(w: float, d: float) -> Paths:
    hw, hd = w / 2, d / 2
    top = min(_clamp(d * 0.28, 100.0, 300.0), d * 0.45)
    mw, md = min(w * 0.25, 500.0) / 2, _clamp(d * 0.05, 15.0, 40.0)
    my = -hd + top + min(60.0, d * 0.08)
    return [*_box(w, d), line((-hw, -hd + top), (hw, -hd + top)), shape(rect(-mw, my, mw, my + md), DARK)]


def _table(w: float, d: float) -> Paths:
    return [*_box(w, d), outline(rect(*_inset(w, d)))]


def _table_round(w: float, d: float) -> Paths:
    o = _clamp(min(w, d) * 0.06, 5.0, 50.0)
    return [shape(ellipse(0, 0, w / 2, d / 2)), outline(ellipse(0, 0, w / 2 - o, d / 2 - o))]


def _table_oval(w: float, d: float) -> Paths:
    hw, hd = w / 2, d / 2
    o = _clamp(min(w, d) * 0.06, 5.0, 50.0)
    return [shape(rounded(-hw, -hd, hw, hd, min(w, d) / 2)),
            outline(rounded(-hw + o, -hd + o, hw - o, hd - o, min(w, d) / 2 - o))]


def _cabinet(w: float, d: float) -> Paths:
    hw, hd = w / 2, d / 2
    door = hd - _clamp(d * 0.12, 10.0, 60.0)
    return [*_box(w, d), line((-hw, door), (hw, door)), line((-hw, -hd), (hw, door)), line((hw, -hd), (-hw, door))]


def _shelf(w: float, d: float) -> Paths:
    hw, hd = w / 2, d / 2
    front = hd - _clamp(d * 0.12, 10.0, 50.0)
    out = [*_box(w, d), line((-hw, front), (hw, front))]
    n = max(1, round(w / 500.0))
    out.extend(line((-hw + w * i / n, -hd), (-hw + w * i / n, front)) for i in range(1, n))
    return out


def _refrigerator(w: float, d: float) -> Paths:
    hw, hd = w / 2, d / 2
    door = hd - _clamp(d * 0.1, 10.0, 80.0)
    o = _clamp(min(w, d) * 0.08, 5.0, 60.0)
    return [*_box(w, d), line((-hw, door), (hw, door)), line((0, door), (0, hd)),
            outline(rect(-hw + o, -hd + o, hw - o, door - o))]


def _sink(w: float, d: float) -> Paths:
    hw, hd = w / 2, d / 2
    m = _clamp(min(w, d) * 0.1, 10.0, 60.0)
    bx0, by0, bx1, by1 = -hw + m, -hd + d * 0.25, hw - m, hd - m
    r = min(bx1 - bx0, by1 - by0) * 0.4
    tap = _clamp(min(w, d) * 0.04, 6.0, 25.0)
    drain = _clamp(min(w, d) * 0.035, 5.0, 20.0)
    cy = (by0 + by1) / 2
    return [*_box(w, d), shape(rounded(bx0, by0, bx1, by1, r)), outline(ellipse(0, cy, drain, drain)),
            shape(ellipse(0, -hd + d * 0.13, tap, tap), DARK)]


def _toilet(w: float, d: float) -> Paths:
    hw, hd = w / 2, d / 2
    tank = min(_clamp(d * 0.25, 60.0, 220.0), d * 0.4)
    top = -hd + tank
    cy, ry = (top + hd) / 2, (hd - top) / 2
    return [shape(rounded(-hw, -hd, hw, top, min(w, d) * 0.05)), shape(ellipse(0, cy, hw * 0.85, ry)),
            outline(ellipse(0, cy + ry * 0.12, hw * 0.55, ry * 0.68))]


def _bed(w: float, d: float) -> Paths:
    if w > d:
        return _transposed(_bed(d, w))
    hw, hd = w / 2, d / 2
    m = _clamp(w * 0.08, 10.0, 80.0)
    pillow = _clamp(d * 0.14, 40.0, 250.0)
    fold = -hd + m + pillow + d * 0.12
    return [shape(rounded(-hw, -hd, hw, hd, min(w, d) * 0.05)),
            outline(rounded(-hw + m, -hd + m, hw - m, -hd + m + pillow, pillow * 0.4)),
            line((-hw, fold), (hw, fold)), line((hw - w * 0.35, fold), (hw, fold + w * 0.35))]


def _mat(w: float, d: float) -> Paths:
    return [*_box(w, d), outline(rect(*_inset(w, d)))]


def _play_mat(w: float, d: float) -> Paths:
    hw, hd = w / 2, d / 2
    out = _box(w, d)
    nx, ny = max(2, round(w / 600.0)), max(2, round(d / 600.0))
    out.extend(line((-hw + w * i / nx, -hd), (-hw + w * i / nx, hd)) for i in range(1, nx))
    out.extend(line((-hw, -hd + d * j / ny), (hw, -hd + d * j / ny)) for j in range(1, ny))
    return out


def _ac(w: float, d: float) -> Paths:
    hw, hd = w / 2, d / 2
    return [*_box(w, d), line((-hw, hd - d * 0.35), (hw, hd - d * 0.35)),
            line((-hw * 0.85, hd - d * 0.17), (hw * 0.85, hd - d * 0.17))]


def _ac_floor(w: float, d: float) -> Paths:
    r = min(w, d) * 0.32
    return [*_box(w, d), outline(ellipse(0, 0, r, r)), line((-r, 0), (r, 0)), line((0, -r), (0, r))]


def _fan(w: float, d: float) -> Paths:
    rx, ry = w / 2, d / 2
    out = [shape(ellipse(0, 0, rx, ry))]
    blade = ellipse(0, 0, 0.45, 0.16)
    for angle in (0, 120, 240):
        pts = placed_points([(x + 0.5, y) for x, y in blade], 0.0, 0.0, angle)
        out.append(outline([(x * rx, y * ry) for x, y in pts]))
    hub = min(rx, ry) * 0.12
    out.append(shape(ellipse(0, 0, hub, hub), DARK))
    return out


def _screen(w: float, d: float) -> Paths:
    hw, hd = w / 2, d / 2
    panel = min(d, max(min(d, 30.0), min(90.0, d * 0.3)))
    out: Paths = []
    if d - panel > 20:
        fw = min(w * 0.3, 450.0) / 2
        out.append(shape(rect(-fw, -hd + panel, fw, hd), LIGHT, THIN))
    out.append(shape(rect(-hw, -hd, hw, -hd + panel), DARK))
    return out


def _printer(w: float, d: float) -> Paths:
    hw, hd = w / 2, d / 2
    return [*_box(w, d), line((-hw, -hd + d * 0.3), (hw, -hd + d * 0.3)),
            outline(rect(-w * 0.3, hd - d * 0.28, w * 0.3, hd))]


def _dispenser(w: float, d: float) -> Paths:
    hw, hd = w / 2, d / 2
    r = min(w, d) * 0.36
    t = min(w, d) * 0.08
    return [shape(rounded(-hw, -hd, hw, hd, min(w, d) * 0.08)), outline(ellipse(0, -d * 0.04, r, r)),
            shape(rect(-w * 0.15 - t / 2, hd - t * 1.4, -w * 0.15 + t / 2, hd - t * 0.4), DARK),
            shape(rect(w * 0.15 - t / 2, hd - t * 1.4, w * 0.15 + t / 2, hd - t * 0.4), DARK)]


def _bin(w: float, d: float) -> Paths:
    hw, hd = w / 2, d / 2
    n = max(1, round(w / d)) if w >= 1.6 * d else 1
    if n == 1:
        return [shape(ellipse(0, 0, hw, hd)), outline(ellipse(0, 0, hw * 0.75, hd * 0.75))]
    out = [shape(rounded(-hw, -hd, hw, hd, d * 0.1))]
    cell = w / n
    r = min(cell, d) * 0.34
    for i in range(n):
        cx = -hw + cell * (i + 0.5)
        if i:
            out.append(line((cx - cell / 2, -hd), (cx - cell / 2, hd)))
        out.append(outline(ellipse(cx, 0, r, r)))
    return out


def _extinguisher(w: float, d: float) -> Paths:
    rx, ry = w * 0.42, d * 0.42
    return [shape(ellipse(0, 0, rx, ry)), shape(ellipse(0, 0, rx * 0.55, ry * 0.55), DARK),
            line((rx * 0.55, 0), (w / 2, d / 2))]


def _round_device(w: float, d: float) -> Paths:
    rx, ry = w / 2, d / 2
    return [shape(ellipse(0, 0, rx, ry)), outline(ellipse(0, 0, rx * 0.58, ry * 0.58)),
            shape(ellipse(0, 0, rx * 0.2, ry * 0.2), DARK)]


def _speaker(w: float, d: float) -> Paths:
    r = min(w, d) * 0.34
    return [*_box(w, d), outline(ellipse(0, 0, r, r)), shape(ellipse(0, 0, r * 0.3, r * 0.3), DARK)]


def _wheelchair(w: float, d: float) -> Paths:
    hw, hd = w / 2, d / 2
    wheel = _clamp(w * 0.08, 15.0, 60.0)
    gap = wheel * 0.5
    seat0, seat1 = -hd + d * 0.12, -hd + d * 0.6
    foot = _clamp(d * 0.12, 20.0, 140.0)
    fx0, fx1 = w * 0.06, w * 0.3
    return [shape(rounded(-hw, -hd + d * 0.05, -hw + wheel, -hd + d * 0.68, wheel / 2)),
            shape(rounded(hw - wheel, -hd + d * 0.05, hw, -hd + d * 0.68, wheel / 2)),
            shape(rect(-hw + wheel + gap, seat0, hw - wheel - gap, seat1)),
            line((-hw + wheel + gap, seat0), (hw - wheel - gap, seat0), weight=NORMAL),
            line((-(fx0 + fx1) / 2, seat1), (-(fx0 + fx1) / 2, hd - foot)),
            line(((fx0 + fx1) / 2, seat1), ((fx0 + fx1) / 2, hd - foot)),
            outline(rect(-fx1, hd - foot, -fx0, hd)), outline(rect(fx0, hd - foot, fx1, hd))]


def _arrow(x0: float, y0: float, x1: float, y1: float, head: float) -> Paths:
    length = math.hypot(x1 - x0, y1 - y0) or 1.0
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    left = (x1 - head * (ux - uy * 0.5), y1 - head * (uy + ux * 0.5))
    right = (x1 - head * (ux + uy * 0.5), y1 - head * (uy - ux * 0.5))
    return [line((x0, y0), (x1, y1), weight=NORMAL), line(left, (x1, y1), right, weight=NORMAL)]


def _ramp(w: float, d: float) -> Paths:
    if w > d:
        return _transposed(_ramp(d, w))
    hw, hd = w / 2, d / 2
    o = min(50.0, w * 0.05)
    return [*_box(w, d), line((-hw + o, -hd), (-hw + o, hd)), line((hw - o, -hd), (hw - o, hd)),
            *_arrow(0, hd * 0.8, 0, -hd * 0.8, min(w * 0.25, 300.0))]


def _guide_strip(w: float, d: float) -> Paths:
    if w > d:
        return _transposed(_guide_strip(d, w))
    hw, hd = w / 2, d / 2
    return [*_box(w, d), *(line((-hw + w * i / 5, -hd), (-hw + w * i / 5, hd)) for i in range(1, 5))]


def _panel(w: float, d: float) -> Paths:
    return [shape(rect(-w / 2, -d / 2, w / 2, d / 2), DARK)]


def _bar(w: float, d: float) -> Paths:
    hw, hd = w / 2, d / 2
    r = min(w, d) / 2
    return [shape(rounded(-hw, -hd, hw, hd, r)), outline(ellipse(-hw + r, 0, r * 0.5, r * 0.5)),
            outline(ellipse(hw - r, 0, r * 0.5, r * 0.5))]


def _banner(w: float, d: float) -> Paths:
    hw, hd = w / 2, d / 2
    return [shape(rect(-hw, -hd * 0.3, hw, hd * 0.3)), line((-hw * 0.85, -hd), (-hw * 0.85, hd)),
            line((hw * 0.85, -hd), (hw * 0.85, hd)), shape(rect(-hw * 0.95, -hd * 0.06, hw * 0.95, hd * 0.06), DARK)]


def _curtain(w: float, d: float) -> Paths:
    hw, hd = w / 2, d / 2
    amplitude = min(hd * 0.7, 60.0)
    waves = max(1, round(w / 150.0))
    n = waves * 8
    wave = [(-hw + w * i / n, amplitude * math.sin(2 * math.pi * waves * i / n)) for i in range(n + 1)]
    return [line((-hw, -hd), (hw, -hd)), SymbolPath(tuple(wave), False, None, NORMAL)]


def _kiosk(w: float, d: float) -> Paths:
    hd = d / 2
    sy = -hd + d * 0.15
    return [*_box(w, d), shape(rect(-w * 0.35, sy, w * 0.35, sy + _clamp(d * 0.12, 15.0, 60.0)), DARK),
            line((-w * 0.25, hd - d * 0.15), (w * 0.25, hd - d * 0.15))]


def _beanbag(w: float, d: float) -> Paths:
    rx, ry = w / 2, d / 2
    n = _segments(max(rx, ry))
    blob = [(rx * (0.93 + 0.07 * math.sin(3 * a)) * math.cos(a), ry * (0.93 + 0.07 * math.sin(3 * a)) * math.sin(a))
            for a in (2 * math.pi * i / n for i in range(n))]
    return [shape(blob), outline(ellipse(rx * 0.08, ry * 0.12, rx * 0.5, ry * 0.45))]


def _plant(w: float, d: float) -> Paths:
    rx, ry = w / 2, d / 2
    n = 84
    leaves = [(rx * (0.72 + 0.28 * abs(math.cos(3.5 * a))) * math.cos(a),
               ry * (0.72 + 0.28 * abs(math.cos(3.5 * a))) * math.sin(a))
              for a in (2 * math.pi * i / n for i in range(n))]
    out = [shape(leaves), outline(ellipse(0, 0, rx * 0.28, ry * 0.28))]
    for k in range(7):
        a = 2 * math.pi * k / 7
        out.append(line((rx * 0.28 * math.cos(a), ry * 0.28 * math.sin(a)), (rx * 0.85 * math.cos(a),
                                                                               ry * 0.85 * math.sin(a))))
    return out


def _toys(w: float, d: float) -> Paths:
    hw, hd = w / 2, d / 2
    s = min(w / 3, d) * 0.28
    cx = w / 3
    return [shape(rounded(-hw, -hd, hw, hd, min(w, d) * 0.08)), outline(ellipse(-cx, 0, s, s)),
            outline([(0, -s), (s * 1.1, s * 0.8), (-s * 1.1, s * 0.8)]), outline(rect(cx - s, -s, cx + s, s))]


DRAW: dict[str, Callable[[float, float], Paths]] = {
    "box": _box, "equipment": _equipment, "chair": _chair, "seat_row": _seat_row, "office_chair": _office_chair,
    "stool": _stool, "bench": _bench, "sofa": _sofa, "desk": _desk, "counter": _counter, "table": _table,
    "table_round": _table_round, "table_oval": _table_oval, "cabinet": _cabinet, "shelf": _shelf,
    "refrigerator": _refrigerator, "sink": _sink, "toilet": _toilet, "bed": _bed, "mat": _mat,
    "play_mat": _play_mat, "ac": _ac, "ac_floor": _ac_floor, "fan": _fan, "screen": _screen, "computer": _screen,
    "printer": _printer, "dispenser": _dispenser, "bin": _bin, "extinguisher": _extinguisher,
    "round_device": _round_device, "speaker": _speaker, "wheelchair": _wheelchair, "ramp": _ramp,
    "guide_strip": _guide_strip, "panel": _panel, "bar": _bar, "banner": _banner, "curtain": _curtain,
    "kiosk": _kiosk, "beanbag": _beanbag, "plant": _plant, "toys": _toys,
}
SYMBOLS = tuple(DRAW)


# --- where a name goes: a part of the symbol free of its lines (x0, y0, x1, y1 in its frame) -----
Zone = tuple[float, float, float, float]


def _chair_seat(w: float, d: float, cx: float = 0.0) -> Zone:
    back = _clamp(d * 0.18, min(30.0, d * 0.3), 120.0)
    inset = min(w, d) * 0.12 * 0.3  # clear of the seat's round corners
    return cx - w * 0.44 + inset, -d / 2 + back + inset, cx + w * 0.44 - inset, d / 2 - inset


def _seat_row_zone(w: float, d: float) -> Zone:
    n = max(1, round(w / 600.0))
    cell = w / n
    return _chair_seat(cell - min(30.0, cell * 0.05), d, -w / 2 + cell * (n // 2 + 0.5))


def _sofa_zone(w: float, d: float) -> Zone:
    arm = min(_clamp(w * 0.1, 70.0, 200.0), w * 0.2)
    back = min(_clamp(d * 0.22, 90.0, 220.0), d * 0.4)
    n = max(1, round((w - 2 * arm) / 550.0))
    cushion = (w - 2 * arm) / n
    x0 = -w / 2 + arm + cushion * (n // 2)
    return x0, -d / 2 + back, x0 + cushion, d / 2


def _inset(w: float, d: float) -> Zone:
    o = _clamp(min(w, d) * 0.06, 5.0, 50.0)
    return -w / 2 + o, -d / 2 + o, w / 2 - o, d / 2 - o


def _scaled(zone: Zone, k: float) -> Zone:
    return zone[0] * k, zone[1] * k, zone[2] * k, zone[3] * k


def _oval_zone(w: float, d: float) -> Zone:
    if d > w:
        x0, y0, x1, y1 = _oval_zone(d, w)
        return y0, x0, y1, x1
    o = _clamp(d * 0.06, 5.0, 50.0)
    return -w / 2 + d * 0.3, -(d / 2 - o) * 0.8, w / 2 - d * 0.3, (d / 2 - o) * 0.8


def _toilet_zone(w: float, d: float) -> Zone:
    tank = min(_clamp(d * 0.25, 60.0, 220.0), d * 0.4)
    top = -d / 2 + tank
    cy, ry = (top + d / 2) / 2, (d / 2 - top) / 2
    cy += ry * 0.12
    return -w * 0.55 * 0.35, cy - ry * 0.68 * 0.7, w * 0.55 * 0.35, cy + ry * 0.68 * 0.7


def _bed_zone(w: float, d: float) -> Zone:
    if w > d:
        x0, y0, x1, y1 = _bed_zone(d, w)
        return y0, x0, y1, x1
    fold = -d / 2 + _clamp(w * 0.08, 10.0, 80.0) + _clamp(d * 0.14, 40.0, 250.0) + d * 0.12
    r = min(w, d) * 0.05  # the round corners
    return -w / 2 + r, fold + w * 0.35, w / 2 - r, d / 2 - r


def _ramp_zone(w: float, d: float) -> Zone:
    if w > d:
        x0, y0, x1, y1 = _ramp_zone(d, w)
        return y0, x0, y1, x1
    return min(w * 0.25, 300.0) * 0.6, -d / 2, w / 2 - min(50.0, w * 0.05), d / 2  # beside the arrow


def _refrigerator_zone(w: float, d: float) -> Zone:
    o = _clamp(min(w, d) * 0.08, 5.0, 60.0)
    return -w / 2 + o, -d / 2 + o, w / 2 - o, d / 2 - _clamp(d * 0.1, 10.0, 80.0) - o


ZONES: dict[str, Callable[[float, float], Zone]] = {
    "chair": _chair_seat, "seat_row": _seat_row_zone, "sofa": _sofa_zone,
    "desk": lambda w, d: (-w / 2, -d / 2 + d * 0.12 + _clamp(d * 0.06, 15.0, 40.0), w / 2, d / 2),  # before its screen
    "counter": lambda w, d: (-w / 2, -d / 2 + min(_clamp(d * 0.28, 100.0, 300.0), d * 0.45) + min(60.0, d * 0.08)
                             + _clamp(d * 0.05, 15.0, 40.0), w / 2, d / 2),
    "ac": lambda w, d: (-w / 2, -d / 2, w / 2, d / 2 - d * 0.35), "table": _inset,
    "mat": _inset, "table_round": lambda w, d: _scaled(_inset(w, d), 0.7), "table_oval": _oval_zone,
    "toilet": _toilet_zone, "bed": _bed_zone, "refrigerator": _refrigerator_zone, "ramp": _ramp_zone,
    "printer": lambda w, d: (-w / 2, -d / 2 + d * 0.3, w / 2, d / 2 - d * 0.28),
    "kiosk": lambda w, d: (-w / 2, -d / 2 + d * 0.15 + _clamp(d * 0.12, 15.0, 60.0), w / 2, d / 2 - d * 0.15),
    "screen": lambda w, d: (min(w * 0.3, 450.0) / 2, -d / 2 + min(d, max(min(d, 30.0), min(90.0, d * 0.3))), w / 2,
                            d / 2),  # in front of the screen, beside its foot
}
ZONES["computer"] = ZONES["screen"]
ZONES["wheelchair"] = lambda w, d: (-w / 2 + _clamp(w * 0.08, 15.0, 60.0) * 1.5, -d / 2 + d * 0.12,
                                    w / 2 - _clamp(w * 0.08, 15.0, 60.0) * 1.5, -d / 2 + d * 0.6)  # its seat
ZONES["stool"] = lambda w, d: (-w * 0.2, -d * 0.2, w * 0.2, d * 0.2)
ZONES["toys"] = lambda w, d: (-w / 2 + min(w, d) * 0.08, -d / 2 + min(w, d) * 0.08, w / 2 - min(w, d) * 0.08,
                              -min(w / 3, d) * 0.28)  # above the toys
for _dark_middle in ("extinguisher", "round_device", "speaker", "fan", "panel", "banner"):
    ZONES[_dark_middle] = lambda w, d: (0.0, 0.0, 0.0, 0.0)  # no room for a name: a number beside it on paper


@lru_cache(maxsize=2048)
def label_box(symbol: str, width: float, depth: float) -> tuple[float, float, float, float]:
    """Where the piece's name goes, in its frame: (centre x, centre y, width, depth) of a part of the
    symbol free of its lines where it has one (a chair's seat, a desk before its screen), nothing where
    a name would cover a dark middle (an extinguisher), else its box."""
    zone = ZONES.get(symbol)
    if zone is None or not (width > 0 and depth > 0):
        return 0.0, 0.0, float(width), float(depth)
    x0, y0, x1, y1 = zone(float(width), float(depth))
    return (x0 + x1) / 2, (y0 + y1) / 2, max(0.0, x1 - x0), max(0.0, y1 - y0)


@lru_cache(maxsize=2048)
def symbol_paths(symbol: str, width: float, depth: float) -> tuple[SymbolPath, ...]:
    """The symbol's paths for a ``width`` x ``depth`` box in its own frame (centre 0, 0; mm); an
    unknown symbol draws as GENERIC, an empty box as nothing."""
    if not (width > 0 and depth > 0):
        return ()
    draw = DRAW.get(symbol, _box)
    return tuple(draw(float(width), float(depth)))


def placed_points(points, x: float, y: float, rotation: float) -> tuple[Point, ...]:
    """Points of an item's frame on the plan: turned by ``rotation`` (degrees, clockwise on screen)
    about the item's centre and moved to (x, y)."""
    r = math.radians(rotation)
    c, s = math.cos(r), math.sin(r)
    return tuple((x + px * c - py * s, y + px * s + py * c) for px, py in points)


def placed_paths(symbol: str, x: float, y: float, width: float, depth: float,
                 rotation: float) -> list[SymbolPath]:
    """The symbol's paths on the plan, for an item at (x, y) turned by ``rotation``."""
    return [SymbolPath(placed_points(p.points, x, y, rotation), p.closed, p.fill, p.weight)
            for p in symbol_paths(symbol, width, depth)]
