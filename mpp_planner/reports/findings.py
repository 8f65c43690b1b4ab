"""Facility standards findings: PDF grouped by severity, each with a plan excerpt of the room
concerned, ending with the signatures; or CSV.

The excerpts are drawn from the model: each floor's rooms and counters once per document as PDF
operators (:class:`FloorArt`), placed and clipped for each finding on that floor with the room
concerned drawn over them (:func:`draw_excerpt`); :func:`plan_excerpt` draws the same picture as a
ReportLab Drawing of its own, for one excerpt.

Fixed labels are Indonesian (printed sheets always are); the finding messages are rendered
through the Indonesian gettext catalogue (English msgids where it has no translation yet). Rules
are named by their Indonesian names (``name_id`` in the rule file), never by their internal ids;
counts read as Indonesian writes them ("3 unit Kamera CCTV", never "3 × cctv").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from mpp_planner.formats import long_date, number, rupiah
from mpp_planner.i18n import N_, _
from mpp_planner.model import geometry
from mpp_planner.reports.output import add_paper_argument, date_option, iso_date

FORMATS = ("pdf", "csv")
HELP = N_("the facility standards findings, grouped by severity, with plan excerpts")

SEVERITY_COLOURS = {"high": ("#C0392B", "#FADBD8"), "medium": ("#E67E22", "#FDEBD0"), "low": ("#B7950B", "#FCF3CF")}
SEVERITY_TITLES = {"high": "Prioritas Tinggi", "medium": "Prioritas Sedang", "low": "Prioritas Rendah"}


def add_arguments(parser) -> None:
    parser.add_argument("--rules", metavar="RULES.toml",
                        help=_("rule file to check against (default: the shipped one)"))
    parser.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD",
                        help=_("date printed on the report (default: today)"))
    add_paper_argument(parser)


@dataclass
class Report:
    site: object
    findings: list
    ctx: object  # standards.context.CheckContext
    when: date
    item_types: dict
    paper: str = "A4"
    head: object | None = None  # Signatory "head": Mengetahui
    proposer: object | None = None  # Signatory "proposer": place, date and the one who reports

    @property
    def ppn_rate(self) -> Decimal:
        return Decimal(getattr(self.site, "ppn_rate", 0) or 0)


def collect(project, rules=None, when: date | None = None, paper: str | None = None) -> Report:
    """Check ``project`` and gather what the sheet prints; an unknown ``paper`` is refused
    (ValidationError) before anything is checked."""
    from sqlalchemy import select

    from mpp_planner.model import Signatory
    from mpp_planner.model.paper import SHEET_PAPERS, clean_paper
    from mpp_planner.standards import load_rules, run_rules
    from mpp_planner.standards.context import CheckContext

    site = project.site
    paper_name = clean_paper(paper if paper else getattr(site, "paper", None) or "A4", SHEET_PAPERS)
    ruleset = load_rules(rules)
    ctx = CheckContext.load(project)
    signers = {sig.role: sig for sig in project.session.scalars(
        select(Signatory).where(Signatory.role.in_(("head", "proposer"))))}
    return Report(site, run_rules(ruleset, ctx), ctx, when or date.today(), ctx.item_types, paper_name,
                  signers.get("head"), signers.get("proposer"))


def export(project, out: Path, fmt: str, args) -> None:
    from mpp_planner.reports.output import write_atomically
    from mpp_planner.standards import RuleFileError

    when = date_option(args)
    try:
        report = collect(project, getattr(args, "rules", None), when, getattr(args, "paper", None))
    except RuleFileError as exc:
        raise ValueError(str(exc)) from None
    if fmt == "pdf":
        write_atomically(out, lambda tmp: write_pdf(report, tmp))
    else:
        write_csv_file(report, out)


# --- words ----------------------------------------------------------------------------------

_TIMES = re.compile(r"(\{\w+\}) × (\{\w+\})")


def sheet_gettext(tr):
    """``tr`` (the Indonesian catalogue) with counts written before what they count, as Indonesian
    does ("memiliki 1 kamera CCTV"), also for a rule file whose own texts still say "{have} × {what}"."""
    return lambda msgid: _TIMES.sub(r"\1 \2", tr(msgid))


def sheet_message(finding, tr) -> str:
    """The finding's message as the sheet prints it (Indonesian, counts in words)."""
    return finding.render(sheet_gettext(tr), "id")


def count_words(sug, item_types, lang: str | None = "id") -> str:
    """"3 unit Kursi Tunggu 4 Dudukan": quantity, the catalog unit and name; an item the catalog
    does not hold reads "3 kursi tunggu" (its key in words)."""
    q = sug.quantity
    qty = number(q, 0 if q == q.to_integral_value() else 2, lang=lang)
    it = item_types.get(sug.item_key)
    if it is None:
        return f"{qty} {sug.item_key.replace('_', ' ')}"
    unit = (it.unit or "").strip()
    return f"{qty} {unit} {it.name}" if unit else f"{qty} {it.name}"


def suggestion_text(finding, item_types, lang: str = "id") -> tuple[str, Decimal | None]:
    """"1 unit Lemari Es / Kulkas 2 Pintu" and the estimated cost at the reference price (no PPN)."""
    sug = finding.suggestion
    if sug is None:
        return "", None
    it = item_types.get(sug.item_key)
    text = count_words(sug, item_types, lang)
    if it is None:
        return text, None
    return text, (it.ref_price * sug.quantity).quantize(Decimal("0.01"))


def ppn_note(report: Report) -> str:
    """"belum termasuk PPN 11%" when the project charges PPN on its purchases, else ""."""
    rate = report.ppn_rate
    if rate <= 0:
        return ""
    return f"belum termasuk PPN {number(rate, 0 if rate == rate.to_integral_value() else 2, lang='id')}%"


# --- the plan excerpt ----------------------------------------------------------------------

@dataclass
class ExcerptView:
    """What a finding's excerpt shows: the plan window (x0, y0, x1, y1 in mm) drawn ``scale`` points
    per millimetre into a width × height box, and the rooms and counters it marks."""

    x0: float
    y0: float
    x1: float
    y1: float
    scale: float
    width: float
    height: float
    rooms: list  # every room of the floor
    focus: list  # the room concerned
    related: list  # rooms it refers to (the play corner of a waiting room, ...)
    counters: list  # every counter of the floor
    marked: set  # ids of the counters concerned

    def to_box(self, p) -> tuple[float, float]:
        """A plan point in the excerpt's box (points, y up)."""
        return (p[0] - self.x0) * self.scale, self.height - (p[1] - self.y0) * self.scale


def excerpt_view(report: Report, finding, width: float, height: float) -> ExcerptView | None:
    """The floor around the room concerned (``None`` for site-wide findings and empty floors)."""
    ctx: Any = report.ctx
    if finding.floor_id is None:
        return None
    rooms = ctx.rooms_by_floor.get(finding.floor_id, [])
    if not rooms:
        return None
    focus = [ctx.room_by_id[i] for i in ((finding.room_id,) if finding.room_id else ()) if i in ctx.room_by_id]
    related = [ctx.room_by_id[i] for i in finding.related_room_ids if i in ctx.room_by_id]
    shown = focus + related or rooms
    pts = [p for r in shown for p in r.outline]
    bx0, by0, bx1, by1 = geometry.bounds(pts)
    margin = max(2000.0, 0.25 * max(bx1 - bx0, by1 - by0))
    if not (focus or related):
        margin = 500.0
    vx0, vy0, vx1, vy1 = bx0 - margin, by0 - margin, bx1 + margin, by1 + margin
    # keep the drawing's aspect: widen the view in the short direction
    vw, vh = vx1 - vx0, vy1 - vy0
    if vw / vh < width / height:
        extra = vh * width / height - vw
        vx0, vx1 = vx0 - extra / 2, vx1 + extra / 2
    else:
        extra = vw * height / width - vh
        vy0, vy1 = vy0 - extra / 2, vy1 + extra / 2
    return ExcerptView(vx0, vy0, vx1, vy1, width / (vx1 - vx0), width, height, rooms, focus, related,
                       list(ctx.counters_by_floor.get(finding.floor_id, [])), set(finding.counter_ids))


ROOM_FILL, ROOM_LINE, ROOM_WIDTH = "#F4F5F7", "#7F8C8D", 0.6
RELATED_FILL, RELATED_LINE, RELATED_WIDTH, RELATED_DASH = "#EAF2FB", "#2E86C1", 1.2, (3, 2)
COUNTER_FILL, COUNTER_LINE, COUNTER_WIDTH = "#D5D8DC", "#566573", 0.3
MARKED_LINE, MARKED_WIDTH = "#1B2631", 0.8
LABEL_INK = "#1B2631"


def label_text(room) -> str:
    return room.name if len(room.name) <= 28 else room.name[:27] + "…"


def scale_step(view: ExcerptView) -> int:
    """The scale bar's length: a round number of metres, about a quarter of the width."""
    metres = (view.x1 - view.x0) / 1000 / 4
    return next((s for s in (1, 2, 5, 10, 20, 50, 100) if s >= metres * 0.6), 100)


def plan_excerpt(report: Report, finding, width: float, height: float):
    """One excerpt as a ReportLab Drawing of its own, every shape clipped to the view (``None`` for
    site-wide findings). The sheet draws the same picture with :class:`FloorArt` instead: the floor
    once per document, reused by each finding on it."""
    from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
    from reportlab.lib import colors

    view = excerpt_view(report, finding, width, height)
    if view is None:
        return None
    tx = view.to_box

    def poly(points, **kw):
        clipped = geometry.clip_to_box(points, view.x0, view.y0, view.x1, view.y1)
        if len(clipped) < 3:
            return None
        return Polygon([v for p in clipped for v in tx(p)], **kw)

    focus, related = view.focus, view.related
    stroke, fill = SEVERITY_COLOURS.get(finding.severity.value, ("#C0392B", "#FADBD8"))
    d = Drawing(width, height)
    d.add(Rect(0, 0, width, height, fillColor=colors.white, strokeColor=colors.HexColor("#999999"),
               strokeWidth=0.5))
    shapes = [poly(r.outline, fillColor=colors.HexColor(ROOM_FILL), strokeColor=colors.HexColor(ROOM_LINE),
                   strokeWidth=ROOM_WIDTH) for r in view.rooms if r not in focus and r not in related]
    shapes += [poly(r.outline, fillColor=colors.HexColor(RELATED_FILL), strokeColor=colors.HexColor(RELATED_LINE),
                    strokeWidth=RELATED_WIDTH, strokeDashArray=list(RELATED_DASH)) for r in related]
    shapes += [poly(r.outline, fillColor=colors.HexColor(fill), strokeColor=colors.HexColor(stroke), strokeWidth=2)
               for r in focus]
    for c in view.counters:
        mark = c.id in view.marked
        shapes.append(poly(geometry.box_corners(c.x, c.y, c.width, c.depth, c.rotation),
                           fillColor=colors.HexColor(stroke if mark else COUNTER_FILL),
                           strokeColor=colors.HexColor(MARKED_LINE if mark else COUNTER_LINE),
                           strokeWidth=MARKED_WIDTH if mark else COUNTER_WIDTH))
    shapes += [poly(corners, fillColor=colors.white, strokeColor=colors.HexColor(COUNTER_LINE), strokeWidth=0.3)
               for corners in _item_boxes(report.ctx, focus)]
    for shape in shapes:
        if shape is not None:
            d.add(shape)
    if focus and related and finding.rule_id and len(focus) == 1:
        a, b = tx(geometry.centroid(focus[0].outline)), tx(geometry.centroid(related[0].outline))
        d.add(Line(a[0], a[1], b[0], b[1], strokeColor=colors.HexColor(RELATED_LINE), strokeWidth=0.8,
                   strokeDashArray=[2, 2]))
    for room in focus + related:
        cx, cy = tx(geometry.centroid(room.outline))
        if 0 <= cx <= width and 0 <= cy <= height:
            label = label_text(room)
            d.add(Rect(cx - len(label) * 1.75 - 1.5, cy - 2.5, len(label) * 3.5 + 3, 8,
                       fillColor=colors.Color(1, 1, 1, alpha=0.8), strokeColor=None))
            d.add(String(cx, cy, label, fontName="Helvetica-Bold", fontSize=6, textAnchor="middle",
                         fillColor=colors.HexColor(LABEL_INK)))
    step = scale_step(view)
    bar = step * 1000 * view.scale
    d.add(Line(4, 4, 4 + bar, 4, strokeColor=colors.black, strokeWidth=1))
    d.add(Line(4, 2.5, 4, 5.5, strokeColor=colors.black, strokeWidth=0.8))
    d.add(Line(4 + bar, 2.5, 4 + bar, 5.5, strokeColor=colors.black, strokeWidth=0.8))
    d.add(String(6 + bar, 2.8, f"{step} m", fontName="Helvetica", fontSize=5.5))
    return d


def _item_boxes(ctx, rooms) -> list:
    """The outlines of the placed inventory of ``rooms`` (drawn in the room concerned)."""
    return [geometry.box_corners(item.x, item.y, item.plan_width, item.plan_depth, item.rotation)
            for room in rooms for item in ctx.items_by_room.get(room.id, [])
            if item.x is not None and item.y is not None]


@lru_cache(maxsize=64)
def _rgb(hex_colour: str) -> str:
    """"0.105882 0.14902 0.192157": a colour's components as ReportLab writes them."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.rl_accel import fp_str

    c = HexColor(hex_colour)
    return fp_str(c.red, c.green, c.blue)


def _path(points, to=None) -> str:
    """"x y m x y l … h": a closed polygon's path operators (``to`` maps each point first)."""
    pts = [to(p) for p in points] if to is not None else list(points)
    if not pts:
        return ""
    (x0, y0), rest = pts[0], pts[1:]
    return " ".join([f"{x0:.2f} {y0:.2f} m", *(f"{x:.2f} {y:.2f} l" for x, y in rest), "h"])


class FloorArt:
    """Each floor's rooms and counters (and each room's furniture) as PDF path operators in plan
    millimetres, made the first time a finding shows them and reused by every other: an excerpt places
    them with one transformation and clips them to its box, instead of building and clipping each
    shape again. The labels' text operators are kept too (per document: they name its fonts)."""

    def __init__(self, report: Report):
        self.ctx: Any = report.ctx
        self._floors: dict[int, tuple[str, str]] = {}
        self._items: dict[int, str] = {}
        self._doc: object = None
        self._texts: dict[tuple[str, float, str], tuple[str, float]] = {}

    def layers(self, floor_id: int) -> tuple[str, str]:
        """(rooms, counters): fill and stroke colours set, each shape filled and stroked (line width
        left to the caller: it is in plan millimetres, which differ from excerpt to excerpt)."""
        found = self._floors.get(floor_id)
        if found is None:
            rooms = [f"{_rgb(ROOM_FILL)} rg {_rgb(ROOM_LINE)} RG"]
            rooms += [_path(r.outline) + " B*" for r in self.ctx.rooms_by_floor.get(floor_id, [])
                      if len(r.outline) >= 3]
            counters = [f"{_rgb(COUNTER_FILL)} rg {_rgb(COUNTER_LINE)} RG"]
            counters += [_path(geometry.box_corners(c.x, c.y, c.width, c.depth, c.rotation)) + " B*"
                         for c in self.ctx.counters_by_floor.get(floor_id, [])]
            found = self._floors[floor_id] = ("\n".join(rooms), "\n".join(counters))
        return found

    def items(self, room) -> str:
        """The room's placed inventory, white boxes (as :func:`plan_excerpt` draws them)."""
        found = self._items.get(room.id)
        if found is None:
            boxes = [_path(corners) + " B*" for corners in _item_boxes(self.ctx, [room])]
            found = self._items[room.id] = "\n".join([f"1 1 1 rg {_rgb(COUNTER_LINE)} RG", *boxes]) if boxes else ""
        return found

    def text(self, canvas, font: str, size: float, text: str) -> tuple[str, float]:
        """("/F1 6 Tf (…) Tj", width): a line of a standard font as ReportLab's drawString writes it."""
        from reportlab.pdfbase import pdfmetrics

        doc = canvas._doc
        if doc is not self._doc:
            self._doc, self._texts = doc, {}
        found = self._texts.get((font, size, text))
        if found is None:
            face = pdfmetrics.getFont(font)
            points = f"{size:g}"
            shown = " ".join(f"{doc.getInternalFontName(f.fontName)} {points} Tf ({canvas._escape(t)}) Tj"
                             for f, t in pdfmetrics.unicode2T1(text, [face, *face.substitutionFonts]))
            found = self._texts[font, size, text] = (shown, pdfmetrics.stringWidth(text, font, size))
        return found


def excerpt_flowable(view: ExcerptView, art: FloorArt, finding, report: Report, step: tuple[int, int] = (0, 0)):
    """A finding's plan excerpt as a flowable for the sheet (see :func:`draw_excerpt`); drawing it reports
    ``step`` (this finding's number, how many there are) to the job that writes the sheet."""
    return _excerpt_class()(view, art, finding, report, step)


@lru_cache(maxsize=1)
def _excerpt_class() -> type:
    from reportlab.platypus import Flowable

    from mpp_planner.jobs import checkpoint

    class Excerpt(Flowable):
        def __init__(self, view: ExcerptView, art: FloorArt, finding, report: Report, step: tuple[int, int]):
            super().__init__()
            self.view, self.art, self.finding, self.report, self.step = view, art, finding, report, step
            self.width, self.height = view.width, view.height

        def wrap(self, avail_width, avail_height):
            return self.width, self.height

        def draw(self) -> None:
            checkpoint(*self.step)
            draw_excerpt(self.canv, self.view, self.art, self.finding, self.report)

    return Excerpt


@lru_cache(maxsize=1)
def _wrap_once_paragraph() -> type:
    """A Paragraph that breaks its lines once per width: a finding's table measures its cells and then
    draws them, and ReportLab would break every paragraph again for the drawing."""
    from reportlab.platypus import Paragraph

    class WrapOnce(Paragraph):
        _wrapped_for: float | None = None

        def wrap(self, avail_width, avail_height):  # the lines do not depend on the height
            if self._wrapped_for == avail_width:
                return self.width, self.height
            size = super().wrap(avail_width, avail_height)
            self._wrapped_for = avail_width
            return size

        def split(self, avail_width, avail_height):
            self._wrapped_for = None
            return super().split(avail_width, avail_height)

    return WrapOnce


def draw_excerpt(c, v: ExcerptView, art: FloorArt, f, report: Report) -> None:
    """A finding's plan excerpt at the canvas's origin: the floor from :class:`FloorArt`, the room
    concerned, the rooms it refers to and the counters concerned drawn over it, then the labels and a
    scale bar. Looks as :func:`plan_excerpt` does."""
    from reportlab.lib import colors

    w, h, s = v.width, v.height, v.scale
    stroke, fill = SEVERITY_COLOURS.get(f.severity.value, ("#C0392B", "#FADBD8"))
    rooms, counters = art.layers(f.floor_id)
    to_plan = f"{s:.6g} 0 0 {-s:.6g} {-v.x0 * s:.4f} {h + v.y0 * s:.4f} cm"
    ops = ["q", f"1 1 1 rg 0 0 {w:.2f} {h:.2f} re f", f"0 0 {w:.2f} {h:.2f} re W n",
           f"q {to_plan} {ROOM_WIDTH / s:.4g} w 0 j 0 J [] 0 d", rooms, "Q"]
    ops.append(f"{_rgb(RELATED_FILL)} rg {_rgb(RELATED_LINE)} RG {RELATED_WIDTH} w "
               f"[{RELATED_DASH[0]} {RELATED_DASH[1]}] 0 d")
    ops += [_path(r.outline, v.to_box) + " B*" for r in v.related]
    ops.append(f"{_rgb(fill)} rg {_rgb(stroke)} RG 2 w [] 0 d")
    ops += [_path(r.outline, v.to_box) + " B*" for r in v.focus]
    ops += [f"q {to_plan} {COUNTER_WIDTH / s:.4g} w", counters, "Q"]
    marked = [b for b in v.counters if b.id in v.marked]
    if marked:
        ops.append(f"{_rgb(stroke)} rg {_rgb(MARKED_LINE)} RG {MARKED_WIDTH} w")
        ops += [_path(geometry.box_corners(b.x, b.y, b.width, b.depth, b.rotation), v.to_box) + " B*"
                for b in marked]
    furniture = [art.items(room) for room in v.focus]
    if any(furniture):
        ops += [f"q {to_plan} {0.3 / s:.4g} w", *furniture, "Q"]
    if v.focus and v.related and f.rule_id and len(v.focus) == 1:
        (ax, ay), (bx, by) = (v.to_box(geometry.centroid(r.outline)) for r in (v.focus[0], v.related[0]))
        ops.append(f"{_rgb(RELATED_LINE)} RG 0.8 w [2 2] 0 d {ax:.2f} {ay:.2f} m {bx:.2f} {by:.2f} l S [] 0 d")
    ops.append("Q")  # the clip ends: labels and the scale bar may reach beyond the box, as on the plan
    words = []
    for room in v.focus + v.related:
        cx, cy = v.to_box(geometry.centroid(room.outline))
        if 0 <= cx <= w and 0 <= cy <= h:
            label = label_text(room)
            shown, width = art.text(c, "Helvetica-Bold", 6, label)
            words.append((cx - len(label) * 1.75 - 1.5, cy, cx - width / 2, shown, len(label)))
    step = scale_step(v)
    bar = step * 1000 * s
    ops.append(f"0 0 0 RG [] 0 d 1 w 4 4 m {4 + bar:.2f} 4 l S 0.8 w 4 2.5 m 4 5.5 l S "
               f"{4 + bar:.2f} 2.5 m {4 + bar:.2f} 5.5 l S")
    c.addLiteral("\n".join(ops))
    if words:  # white plates, 80 % opaque, under the room names
        c.saveState()
        c.setFillColor(colors.Color(1, 1, 1, alpha=0.8))
        for x, cy, _tx, _shown, n in words:
            c.rect(x, cy - 2.5, n * 3.5 + 3, 8, stroke=0, fill=1)
        c.restoreState()
    shown_bar, _width = art.text(c, "Helvetica", 5.5, f"{step} m")
    texts = [f"BT {_rgb(LABEL_INK)} rg 1 0 0 1 {tx:.3f} {cy:.3f} Tm {shown} ET" for _x, cy, tx, shown, _n in words]
    texts.append(f"BT 0 0 0 rg 1 0 0 1 {6 + bar:.3f} 2.8 Tm {shown_bar} ET")
    c.addLiteral("\n".join(["q", *texts, "Q", f"{_rgb('#999999')} RG 0.5 w 0 0 {w:.2f} {h:.2f} re S"]))


# --- PDF -----------------------------------------------------------------------------------

def write_pdf(report: Report, path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, KeepTogether, Spacer, Table, TableStyle

    from mpp_planner.model.paper import PAPERS
    from mpp_planner.reports.pdf import (GRID, HEADER_BG, STYLES, P, SheetDoc, esc, header_table, letterhead,
                                         place_and_date, signature_block, signer_from)
    from mpp_planner.standards import Severity, gettext_for

    tr = gettext_for("id")
    site = report.site
    doc = SheetDoc(str(path), title=f"Hasil Pemeriksaan Standar Sarana dan Prasarana — {site.name}",
                   footer_left=f"Hasil pemeriksaan standar sarana dan prasarana · {site.name}",
                   pagesize=PAPERS[report.paper].points)
    width = doc.body_width
    ex_w, ex_h = 62 * mm, 44 * mm
    no_ppn = ppn_note(report)
    art = FloorArt(report)
    paragraph = _wrap_once_paragraph()

    def para(text: str, style: str):
        return paragraph(text, STYLES[style])

    def excerpt_for(report: Report, finding, w: float, h: float, number: int):
        view = excerpt_view(report, finding, w, h)
        return None if view is None else excerpt_flowable(view, art, finding, report, (number, len(report.findings)))

    def story():
        flow = letterhead(site, width)
        flow.append(P("HASIL PEMERIKSAAN STANDAR SARANA DAN PRASARANA", "title"))
        flow.append(P(f"{esc(site.name.upper())}<br/>Keadaan per {long_date(report.when, lang='id')}", "subtitle"))
        counts = {s: sum(1 for f in report.findings if f.severity == s) for s in Severity}
        total_cost = sum((suggestion_text(f, report.item_types)[1] or Decimal(0) for f in report.findings),
                         Decimal(0))
        summary = [[P("Tingkat", "head"), P("Jumlah temuan", "head")]]
        for s in Severity:
            summary.append([P(SEVERITY_TITLES[s.value], "cell"), P(str(counts[s]), "cell_right")])
        summary.append([P("Jumlah", "cell_bold"), P(str(len(report.findings)), "cell_bold_right")])
        flow.append(header_table(summary, [60 * mm, 30 * mm], extra_styles=[
            ("BACKGROUND", (0, len(summary) - 1), (-1, len(summary) - 1), colors.HexColor("#F3F5F8"))]))
        flow.append(Spacer(1, 2 * mm))
        if report.findings:
            basis = f"harga referensi SSH, {no_ppn}" if no_ppn else "harga referensi SSH"
            flow.append(P(f"Perkiraan biaya usulan pemenuhan ({basis}): "
                          f"<b>{rupiah(total_cost, lang='id')}</b>. Temuan tanpa usulan barang memerlukan "
                          f"penataan ruang atau tindak lanjut administrasi.", "body"))
        else:
            flow.append(P("Tidak ada temuan: seluruh aturan standar terpenuhi.", "body"))
        number_ = 0
        for s in Severity:
            group = [f for f in report.findings if f.severity == s]
            if not group:
                continue
            stroke, fill = SEVERITY_COLOURS[s.value]
            heading = Table([[P(f"<font color='white'><b>{SEVERITY_TITLES[s.value]} ({len(group)} temuan)</b></font>",
                                "body")]], colWidths=[width])
            heading.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(stroke)),
                                         ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
            blocks = []
            for f in group:
                number_ += 1
                excerpt = excerpt_for(report, f, ex_w, ex_h, number_)
                sug, cost = suggestion_text(f, report.item_types)
                place = f.place or "Seluruh gedung"
                lines = [para(f"<b>{number_}. {esc(sheet_message(f, tr))}</b>", "body"),
                         para(f"Lokasi: {esc(place)}", "small"),
                         para(f"Aturan: {esc(f.rule_title('id'))}", "small")]
                if sug:
                    cost_text = ""
                    if cost is not None:
                        cost_text = f" — perkiraan {rupiah(cost, lang='id')}" + (f" ({no_ppn})" if no_ppn else "")
                    lines.append(para(f"Usulan kebutuhan: {esc(sug)}{cost_text}", "small"))
                cell = excerpt if excerpt is not None else para("<i>(berlaku untuk seluruh gedung)</i>", "small")
                row = Table([[cell, lines]], colWidths=[ex_w + 4 * mm, width - ex_w - 4 * mm])
                row.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                         ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID),
                                         ("LEFTPADDING", (0, 0), (0, 0), 0),
                                         ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
                blocks.append(row)
            flow.append(Spacer(1, 5 * mm))
            flow.append(KeepTogether([heading, blocks[0]]))
            flow.extend(blocks[1:])
        flow.append(Spacer(1, 4 * mm))
        legend = Table([[P("Keterangan gambar: ruangan yang bersangkutan diberi warna sesuai tingkat temuan; "
                           "ruangan terkait (misalnya ruang bermain anak) bergaris putus-putus biru; loket yang "
                           "belum dialokasikan berwarna sesuai tingkat temuan.", "small")]], colWidths=[width])
        legend.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), HEADER_BG)]))
        flow.append(legend)
        # the signatures: who acknowledges (left) and who reports, with place and date (right)
        flow.append(Spacer(1, 6 * mm))
        flow.append(CondPageBreak(48 * mm))
        flow.append(signature_block([signer_from(report.head, "Mengetahui,"),
                                     signer_from(report.proposer, place_and_date(site, report.when)
                                                 if getattr(site, "city", "") else long_date(report.when, lang="id"))],
                                    width))
        return flow

    doc.build_story(story)


# --- CSV -----------------------------------------------------------------------------------

def write_csv_file(report: Report, path: Path) -> None:
    from mpp_planner.reports.output import write_csv
    from mpp_planner.standards import gettext_for
    from mpp_planner.standards.findings import SEVERITY_ID

    tr = gettext_for("id")
    rows = []
    for f in report.findings:
        sug, cost = suggestion_text(f, report.item_types)
        rows.append([SEVERITY_ID[f.severity], f.rule_title("id"), f.floor_name, f.room_name, sheet_message(f, tr),
                     f.suggestion.item_key if f.suggestion else "",
                     format(f.suggestion.quantity, "f") if f.suggestion else "", sug,
                     format(cost, "f") if cost is not None else ""])
    cost_head = "Perkiraan biaya (Rp)"
    if ppn_note(report):
        cost_head = f"Perkiraan biaya (Rp, {ppn_note(report)})"
    write_csv(path, ("Tingkat", "Aturan", "Lantai", "Ruangan", "Temuan", "Kode barang usulan", "Jumlah usulan",
                     "Usulan kebutuhan", cost_head), rows)
