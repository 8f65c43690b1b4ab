"""The allocation list as a signed landscape PDF on A4 or F4: the "Lampiran" block, the table
grouped by tier, the recap per tier, notes, the signature, and an appendix with a plan of each
floor — counters in agency colours, hatched by tier and labelled with the agency's short name,
so that a black-and-white copy still tells them apart.

The long parts are drawn with :mod:`pdf_draw` — the table (an agency serving hundreds of
counters has a cell of many lines, continued on the next page) and the floor plans (a
platypus Drawing of thousands of shapes per document took seconds). Columns reflow to the
paper: fixed columns keep their width, the text columns share the rest; fonts never shrink.
Imported only when a PDF is made (ReportLab).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Spacer, Table, TableStyle

from mpp_planner.formats import long_date
from mpp_planner.model import geometry
from mpp_planner.model.agency import Tier
from mpp_planner.model.paper import paper as paper_named
from mpp_planner.reports import pdf_draw as d
from mpp_planner.reports.allocations import (LESS_SHARED_ID, LESS_SHARED_TIERS_ID, ROMAN, SHARED_MARK,
                                             SHARED_NOTE_ID, TIER_ID, UNALLOCATED_ID, AllocationReport, Attachment,
                                             FloorPlan, _id_number, _site_like, any_shared, area_shares,
                                             attachment_lines_id, counted_more_than_once, days_id)
from mpp_planner.reports.output import write_atomically
from mpp_planner.reports.pdf import (GRID, HEADER_BG, SUBTOTAL_BG, P, SheetDoc, Signer, T, esc, header_table,
                                     letterhead, place_and_date, signature_block)

TITLE = "DAFTAR ALOKASI LOKET INSTANSI"
AREA_HEAD = "Luas Meja Loket (m²)"
AREA_NOTE = ("Luas Meja Loket adalah luas tapak meja loket (lebar × kedalaman meja), bukan luas area layanan yang "
             "diberikan kepada instansi.")


@dataclass(frozen=True)
class Column:
    head: str
    mm: float  # the width, or for a text column (weight > 0) the least width
    weight: float = 0.0  # text columns share what the fixed ones leave, in these proportions
    align: str = d.LEFT


COLUMNS = (
    Column("No", 8, align=d.RIGHT),
    Column("Instansi", 38, 3),
    Column("Singkatan", 23),
    Column("Loket (hari layanan)", 34, 3),
    Column("Jml Loket", 12, align=d.RIGHT),
    Column("Lantai", 17),
    Column("Hari Layanan", 21),
    Column("Jenis Layanan", 38, 4),
    Column("Jml Layanan", 15, align=d.RIGHT),
    Column("Petugas", 15, align=d.RIGHT),
    Column(AREA_HEAD, 17, align=d.RIGHT),
)
HEADS = tuple(c.head for c in COLUMNS)
LAST = len(COLUMNS) - 1
SIZE, LEADING = 8.0, 9.76  # the "cell" paragraph style
EMPTY_ROW = 16.0  # a row that held an empty plain cell in the platypus table was 16 pt high
NOTE_SIZE, NOTE_LEADING = 7.5, 9.15  # the "small" paragraph style
TIER_BG = colors.HexColor("#EEF1F6")
TOTAL_BG = colors.HexColor("#DDE3EA")
ROOM_FILL, ROOM_LINE, ROOM_TEXT = colors.HexColor("#F7F8FA"), colors.HexColor("#3C4650"), colors.HexColor("#5A6470")
COUNTER_LINE = colors.HexColor("#2C3E50")
UNALLOCATED_FILL = "#FFFFFF"
MIN_TEXT = 2 * mm  # no text on the plan smaller than 2 mm
#: how each tier's counters are hatched, so that tiers are told apart without colour
HATCH = {
    Tier.PUSAT.value: "vertical",
    Tier.PROVINSI.value: "horizontal",
    Tier.KAB_KOTA.value: "diagonal",
    Tier.BUMN.value: "back_diagonal",
    Tier.BUMD.value: "cross",
    Tier.BADAN_HUKUM_PUBLIK.value: "diagonal_cross",
    Tier.SWASTA.value: "dots",
}
HATCH_STEP = 1.3 * mm
HATCH_WIDTH = 0.35


def write_pdf(report: AllocationReport, out: Path, paper: str | None = None) -> None:
    sheet = paper_named(paper or report.paper)

    def produce(tmp: Path) -> None:
        doc = SheetDoc(str(tmp), orientation="landscape", pagesize=sheet.points,
                       title=f"{TITLE} — {report.site.name}",
                       footer_left=f"Daftar Alokasi Loket Instansi · {report.site.name}")
        doc.build_story(lambda: story(report, doc))

    write_atomically(out, produce)


def story(report: AllocationReport, doc: SheetDoc) -> list:
    a = report.allocation
    site = report.site
    width = doc.body_width
    flow: list = []
    if report.attachment is not None:
        flow.append(attachment_block(report.attachment))
    flow += [*letterhead(site, width), P(TITLE, "title"), P(esc(site.name.upper()), "subtitle"),
             P(esc(f"Keadaan per {long_date(report.when, lang='id')}"), "subtitle")]
    flow.append(allocation_table(report, width))
    flow.append(Spacer(1, 5 * mm))
    flow.append(recap(report))
    flow.append(Spacer(1, 4 * mm))

    # notes, then the signature, which keeps the last note with it (never alone on a page)
    notes = []
    if a.unassigned:
        notes.append(f"{UNALLOCATED_ID}: " + esc(", ".join(a.counter_name(c) for c in a.unassigned)) + ".")
    if a.idle_agencies:
        notes.append("Instansi yang belum memiliki loket: "
                     + esc(", ".join(x.short_name for x in a.idle_agencies)) + ".")
    for dbl in a.double_bookings:
        notes.append(f"Jadwal ganda di loket {esc(a.counter_name(dbl.counter))} hari {esc(days_id(dbl.weekdays))}: "
                     + esc(", ".join(x.short_name for x in dbl.agencies)) + ".")
    notes.append(f"Jumlah loket menghitung setiap loket satu kali; loket bersama (bertanda {SHARED_MARK}) yang "
                 "tercantum pada lebih dari satu baris dikurangkan sebelum jumlah. Petugas dihitung per instansi: "
                 "loket bersama dilayani petugas yang berbeda pada hari yang berbeda.")
    notes.append(AREA_NOTE + " Luas meja loket yang dipakai bersama pada hari berbeda dibagi menurut jumlah hari "
                 "layanan masing-masing instansi.")
    note_flow = [P("<b>Catatan:</b>", "small")]
    note_flow += [P(f"{i}. {text}", "small") for i, text in enumerate(notes, start=1)]
    signer = Signer(place_and_date(_site_like(site), report.when), report.signer.title, report.signer.name,
                    report.signer.nip, report.signer.rank)
    block = signature_block([signer], 95 * mm)
    block.hAlign = "RIGHT"
    first = note_flow[:-1] if len(note_flow) > 2 else []  # "Catatan:" stays with a note
    if first:
        flow.append(KeepTogether(first))
    flow.append(KeepTogether([*note_flow[len(first):], Spacer(1, 6 * mm), block]))

    if report.floors:
        flow.append(PageBreak())
        heading = [P("LAMPIRAN: DENAH ALOKASI LOKET", "title"), P(esc(site.name), "subtitle")]
        flow += heading
        heading_h = sum(p.wrap(width, doc.height)[1] + p.getSpaceBefore() + p.getSpaceAfter() for p in heading)
        for i, fl in enumerate(report.floors):
            if i:
                flow.append(PageBreak())  # a floor to a page, its plan as large as the page allows
            flow.extend(floor_blocks(fl, width, doc.height - heading_h - 2 * mm))
    return flow


def attachment_block(att: Attachment) -> Table:
    """"Lampiran / Keputusan … / Nomor : … / Tanggal : …" at the top right of the first page."""
    label_w, width = 16 * mm, 100 * mm
    rows = []
    spans = []
    for i, (label, text) in enumerate(attachment_lines_id(att)):
        if label:
            rows.append([T(label), T(": " + text)])
        else:
            rows.append([T(text), ""])
            spans.append(("SPAN", (0, i), (1, i)))
    table = Table(rows, colWidths=[label_w, width - label_w], hAlign="RIGHT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1), *spans]))
    table.spaceAfter = 3 * mm
    return table


def recap(report: AllocationReport) -> KeepTogether:
    """Per tier: agencies, counters, services, staff, desk area and its share, adding up to the
    totals (shared counters counted once)."""
    a = report.allocation
    rhead = [P(h, "head") for h in ("Tingkat Instansi", "Jml Instansi", "Instansi Berloket", "Jml Loket",
                                    "Jml Layanan", "Petugas", AREA_HEAD, "Porsi Luas")]
    rrows = [rhead]
    shares = area_shares(a)
    for t, share in zip(a.tiers, shares):
        rrows.append([T(TIER_ID.get(t.tier, t.tier)), P(str(t.agencies), "cell_right"),
                      P(str(t.agencies_with_counter), "cell_right"), P(str(t.counters), "cell_right"),
                      P(str(t.services), "cell_right"), P(str(t.staff), "cell_right"),
                      P(_id_number(t.area_m2, 2), "cell_right"), P(_percent(share), "cell_right")])
    rrows.append([T(UNALLOCATED_ID), P("–", "cell_right"), P("–", "cell_right"),
                  P(str(len(a.unassigned)), "cell_right"), P("–", "cell_right"), P("–", "cell_right"),
                  P(_id_number(a.unassigned_area_m2, 2), "cell_right"), P(_percent(shares[-1]), "cell_right")])
    less = counted_more_than_once(a)
    if less:
        rrows.append([T(LESS_SHARED_TIERS_ID), P("", "cell_right"), P("", "cell_right"), P(f"-{less}", "cell_right"),
                      P("", "cell_right"), P("", "cell_right"), P("", "cell_right"), P("", "cell_right")])
    rrows.append([P("Jumlah", "cell_bold"), P(str(len(a.agencies)), "cell_bold_right"),
                  P(str(sum(t.agencies_with_counter for t in a.tiers)), "cell_bold_right"),
                  P(str(len(a.counters)), "cell_bold_right"), P(str(a.total_services), "cell_bold_right"),
                  P(str(a.total_staff), "cell_bold_right"), P(_id_number(a.total_area_m2, 2), "cell_bold_right"),
                  P(_percent(a.total_share), "cell_bold_right")])
    rw = [w * mm for w in (105, 18, 20, 16, 18, 16, 24, 18)]
    table = header_table(rrows, rw, extra_styles=[("BACKGROUND", (0, len(rrows) - 1), (-1, len(rrows) - 1), TOTAL_BG)])
    table.hAlign = "LEFT"
    parts = [P("<b>Rekapitulasi per Tingkat Instansi</b>", "body"), Spacer(1, 1.5 * mm), table]
    if less:
        parts += [Spacer(1, 1 * mm), P(esc(SHARED_NOTE_ID), "small")]
    return KeepTogether(parts)


def _percent(share: Decimal) -> str:
    return _id_number(share * 100, 1) + "%"


# --- the table ------------------------------------------------------------------------------

def column_edges(width: float) -> list[float]:
    """The x of each column's left edge and of the table's right edge, filling ``width``: fixed
    columns as drawn, text columns sharing the rest by weight (never under their least width)."""
    fixed = sum(c.mm * mm for c in COLUMNS if not c.weight)
    flexible = [c for c in COLUMNS if c.weight]
    spare = width - fixed - sum(c.mm * mm for c in flexible)
    total_weight = sum(c.weight for c in flexible)
    xs = [0.0]
    for c in COLUMNS:
        w = c.mm * mm + (max(spare, 0.0) * c.weight / total_weight if c.weight else 0.0)
        xs.append(xs[-1] + w)
    return xs


class NotedTable(d.DrawnTable):
    """The allocation table with a note under its rows on every page it fills whose rows carry
    the shared-counter mark, so that the mark is explained on the page that shows it. The
    note's height is kept free on each page."""

    def __init__(self, *args, note: d.Text | None = None, **kw):
        super().__init__(*args, **kw)
        self.note = note
        self.note_height = note.height + 1.5 * mm if note is not None else 0.0

    def _natural_height(self) -> float:
        return super()._natural_height() + self.note_height

    def _part(self, rows, *, closing, fill_to=None, body=None) -> NotedTable:
        return NotedTable(self.xs, self.header, rows, self.style, closing=closing, gap=self.gap,
                          tail_rows=self.tail_rows, split_rows_over=self.split_rows_over, _body_height=body,
                          _fill_to=None if fill_to is None else fill_to + self.note_height, note=self.note)

    def split(self, avail_width, avail_height):
        return super().split(avail_width, avail_height - self.note_height)

    def marked(self) -> bool:
        return any(SHARED_MARK in line for row in self.rows for cell in row.cells if cell.text is not None
                   for line in cell.text.lines)

    def draw(self):
        painter = d.Painter(self.canv)
        bottom = d.paint_grid(painter, self.xs, [*self.header, *self.rows], 0.0, self.height, self.style)
        if self.closing is not None:
            self.closing.paint(painter, 0.0, bottom - self.gap)
            bottom -= self.gap + self.closing.height
        if self.note is not None and self.marked():
            self.note.paint(painter, 0.0, self.width, bottom - 1.5 * mm)
        painter.flush()


def allocation_table(report: AllocationReport, width: float) -> NotedTable:
    """One row per agency under its tier's heading, a "less: listed more than once" row where its
    rows list a shared counter twice, a subtotal per tier, the grand total: each total is the sum
    of the rows above it."""
    a = report.allocation
    xs = column_edges(width)
    style = d.GridStyle(rule_colour=GRID)

    def inner(c0, c1=None):
        return xs[(c1 if c1 is not None else c0) + 1] - xs[c0] - style.pad_left - style.pad_right

    def cell(c0, c1, text, font=d.FONT, align=d.LEFT, valign=d.TOP):
        return d.Cell(c0, c1, d.Text.wrapped(text, inner(c0, c1), font, SIZE, LEADING, align), valign)

    header = [d.Row([cell(i, i, h, d.BOLD, d.CENTER, d.MIDDLE) for i, h in enumerate(HEADS)], style, HEADER_BG)]
    rows: list[d.Row] = []
    n = 0
    for gi, tier in enumerate(a.tiers):
        name = TIER_ID.get(tier.tier, tier.tier)
        rows.append(d.Row([cell(0, LAST, f"{ROMAN[gi] if gi < len(ROMAN) else gi + 1}. {name}", d.BOLD)], style,
                          TIER_BG, min_height=EMPTY_ROW, keep_with_next=True))
        for line in a.lines_of(tier.tier):
            n += 1
            texts = (str(n), line.agency.name, line.agency.short_name,
                     a.counters_text(line, days_id, SHARED_MARK) or "–", str(len(line.slots)),
                     ", ".join(line.floors) or "–", days_id(line.weekdays), "; ".join(line.agency.services) or "–",
                     str(line.service_count), str(line.staff), _id_number(line.area_m2, 2))
            rows.append(d.Row([cell(i, i, t, align=COLUMNS[i].align) for i, t in enumerate(texts)], style))
        less = counted_more_than_once(a, tier)
        if less:
            rows.append(_less_row(LESS_SHARED_ID, less, cell, style))
        rows.append(_sum_row(f"Jumlah {name}", tier.counters, tier.services, tier.staff, tier.area_m2, cell, style,
                             SUBTOTAL_BG))
    less = counted_more_than_once(a)
    if less:
        rows.append(_less_row(LESS_SHARED_TIERS_ID, less, cell, style))
    assigned_area = sum((t.area_m2 for t in a.tiers), Decimal("0.00"))
    rows.append(_sum_row("JUMLAH SELURUHNYA", a.assigned_counters, a.total_services, a.total_staff, assigned_area,
                         cell, style, TOTAL_BG))
    note = d.Text.wrapped(SHARED_NOTE_ID, width, d.FONT, NOTE_SIZE, NOTE_LEADING) if any_shared(a) else None
    return NotedTable(xs, header, rows, style, split_rows_over=60.0, note=note)


def _less_row(label, count, cell, style) -> d.Row:
    return d.Row([cell(0, 3, label), cell(4, 4, f"-{count}", align=d.RIGHT), d.Cell(5, LAST, None)], style,
                 min_height=EMPTY_ROW)


def _sum_row(label, counters, services, staff, area, cell, style, fill) -> d.Row:
    return d.Row([cell(0, 3, label, d.BOLD), cell(4, 4, str(counters), d.BOLD, d.RIGHT), d.Cell(5, 7, None),
                  cell(8, 8, str(services), d.BOLD, d.RIGHT), cell(9, 9, str(staff), d.BOLD, d.RIGHT),
                  cell(10, 10, _id_number(area, 2), d.BOLD, d.RIGHT)], style, fill, min_height=EMPTY_ROW)


# --- the plan appendix ----------------------------------------------------------------------

_HEX: dict[str, colors.Color] = {}


def _hex(value: str) -> colors.Color:
    colour = _HEX.get(value)
    if colour is None:
        colour = _HEX[value] = colors.HexColor(value)
    return colour


def _light(colour: str) -> bool:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b > 150


def floor_blocks(fl: FloorPlan, width: float, avail: float) -> list:
    """The floor's name with its plan, then the legend: the plan as large as ``avail`` points
    allow once the name and legend are placed (kept on one page when they fit)."""
    name = d.Text.wrapped(fl.name, width, d.BOLD, 9.0, 10.98)
    legend_h, paint_legend = legend(fl, width)
    box_h = max(50 * mm, avail - name.height - 1 * mm - 2.5 * mm - legend_h - 1)
    plan_h, paint_plan = plan(fl, width, box_h)

    def paint_top(painter: d.Painter, w: float, h: float) -> None:
        name.paint(painter, 0.0, w, h)
        paint_plan(painter, 0.0)

    top = d.Drawn(width, name.height + 1 * mm + plan_h, paint_top)
    key = d.Drawn(width, legend_h + 1.5 * mm, lambda painter, w, h: paint_legend(painter, 0.0))
    return [KeepTogether([top, Spacer(1, 1 * mm), key])]


def hatch(painter: d.Painter, outline, pattern: str | None, ink: colors.Color) -> None:
    """Lines (or dots) of ``pattern`` over the polygon ``outline``, clipped to it, in page
    directions (a turned counter keeps the legend's hatching)."""
    if not pattern:
        return
    x0, y0, x1, y1 = geometry.bounds(outline)
    step = HATCH_STEP
    clip = " ".join([f"{outline[0][0]:.2f} {outline[0][1]:.2f} m",
                     *(f"{x:.2f} {y:.2f} l" for x, y in outline[1:]), "h W n"])
    ops: list[str] = []
    span = (x1 - x0) + (y1 - y0)
    if pattern in ("vertical", "cross"):
        ops += [f"{x:.2f} {y0:.2f} m {x:.2f} {y1:.2f} l" for x in _steps(x0, x1, step)]
    if pattern in ("horizontal", "cross"):
        ops += [f"{x0:.2f} {y:.2f} m {x1:.2f} {y:.2f} l" for y in _steps(y0, y1, step)]
    if pattern in ("diagonal", "diagonal_cross"):  # rising to the right: x - y constant
        ops += [f"{x0 + t:.2f} {y0:.2f} m {x0 + t + span:.2f} {y0 + span:.2f} l" for t in _steps(-span, x1 - x0, step)]
    if pattern in ("back_diagonal", "diagonal_cross"):  # falling to the right: x + y constant
        ops += [f"{x0 + t:.2f} {y0:.2f} m {x0 + t - span:.2f} {y0 + span:.2f} l"
                for t in _steps(0.0, (x1 - x0) + span, step)]
    colour = d.rgb(ink)
    if pattern == "dots":
        dot = 0.9
        ops = [f"{x - dot / 2:.2f} {y - dot / 2:.2f} {dot:.2f} {dot:.2f} re"
               for i, y in enumerate(_steps(y0, y1, step)) for x in _steps(x0 + (step / 2 if i % 2 else 0), x1, step)]
        painter.seq.append(f"q {clip} {colour} rg {' '.join(ops)} f Q")
        return
    painter.seq.append(f"q {clip} {HATCH_WIDTH:.2f} w {colour} RG {' '.join(ops)} S Q")


def _steps(start: float, stop: float, step: float) -> list[float]:
    out, v = [], start + step / 2
    while v < stop:
        out.append(v)
        v += step
    return out


def plated_text(painter: d.Painter, x: float, y: float, angle: float, dx: float, dy: float, text: str,
                font: str, size: float) -> None:
    """Black text on a white plate just its size, turned ``angle`` degrees about (x, y): legible
    over any colour or hatching, which still shows around it."""
    r = math.radians(angle)
    c, s = math.cos(r), math.sin(r)
    w = d.text_width(text, font, size)
    u0, u1, v0, v1 = dx - 0.8, dx + w + 0.8, dy - size * 0.24, dy + size * 0.8
    plate = [(x + u * c - v * s, y + u * s + v * c) for u, v in ((u0, v0), (u1, v0), (u1, v1), (u0, v1))]
    painter.polygon(plate, fill=colors.white)
    painter.show_turned(x, y, angle, dx, dy, text, font, size, colors.black)


def shortenings(name: str) -> list[str]:
    """``name`` cut shorter step by step: the longest word after the first loses a letter
    ("BPJS Kesehatan", "BPJS Kesehata.", … "BPJS K."), then the first word ("Dispendukc.")."""
    words = name.split()
    stems = list(words)
    out = [name]
    while True:
        rest = [i for i in range(1, len(stems)) if len(stems[i]) > 1]
        i = max(rest, key=lambda j: (len(stems[j]), j)) if rest else 0
        if len(stems[i]) <= 1:
            return out
        stems[i] = stems[i][:-1].rstrip()
        out.append(" ".join(s if s == w else s + "." for s, w in zip(stems, words)))


def fit_label(names: list[str], room: float, font: str = d.BOLD, largest: float = 7.0,
              more_room: float | None = None) -> tuple[str, float]:
    """The agencies' short names joined by "/" at the largest size from ``largest`` down to 2 mm
    that fits ``room`` points; else at 2 mm in ``more_room`` (reaching past the counter), the
    widest name cut shorter (:func:`shortenings`) until they fit — never smaller than 2 mm, at
    worst one letter per name."""
    full = "/".join(names)
    size = largest
    while size >= MIN_TEXT:
        if d.text_width(full, font, size) <= room:
            return full, size
        size -= 0.25
    size = MIN_TEXT
    room = max(room, more_room or 0.0)
    steps = [shortenings(n) for n in names]
    at = [0] * len(names)
    while True:
        parts = [s[k] for s, k in zip(steps, at)]
        text = "/".join(parts)
        if d.text_width(text, font, size) <= room:
            return text, size
        can = [i for i in range(len(names)) if at[i] + 1 < len(steps[i])]
        if not can:
            return text, size
        widest = max(can, key=lambda i: d.text_width(parts[i], font, size))
        at[widest] += 1


def label_room(fl: FloorPlan) -> list[float]:
    """For each counter, the length (mm) its label may take along the counter: its width plus up
    to half the clear gap to the next counter in line on either side (shared with that counter's
    label), at most a third of its width each side."""
    boxes = [(c, math.cos(math.radians(c.rotation)), math.sin(math.radians(c.rotation))) for c in fl.counters]
    corners = [geometry.box_corners(c.x, c.y, c.width, c.depth, c.rotation) for c in fl.counters]
    rooms = []
    for i, (c, cos, sin) in enumerate(boxes):
        reach = c.width * 0.5 + c.width / 3
        gap = c.width / 3 * 2  # half of it is free each side
        for j, other in enumerate(fl.counters):
            if j == i or abs(other.x - c.x) + abs(other.y - c.y) > reach + other.width + other.depth + c.depth:
                continue
            us, vs = [], []
            for x, y in corners[j]:
                dx, dy = x - c.x, y - c.y
                us.append(dx * cos + dy * sin)
                vs.append(-dx * sin + dy * cos)
            if max(vs) <= -c.depth / 2 or min(vs) >= c.depth / 2:
                continue  # not in line with this counter
            if min(us) >= 0:
                gap = min(gap, max(0.0, min(us) - c.width / 2))
            elif max(us) <= 0:
                gap = min(gap, max(0.0, -max(us) - c.width / 2))
            else:
                gap = 0.0  # overlapping counters: keep within its own width
        rooms.append(c.width + gap)
    return rooms


def plan(fl: FloorPlan, width: float, height: float):
    """Height and painter of the floor scaled to fit ``width`` x ``height`` points: rooms,
    counters striped in the colours of their agencies and hatched by tier, each labelled with
    its agencies' short names (kept upright; at least 2 mm high)."""
    points = [p for _n, outline in fl.rooms for p in outline]
    for c in fl.counters:
        points += geometry.box_corners(c.x, c.y, c.width, c.depth, c.rotation)
    if not points:
        return height, lambda painter, y: None
    x0, y0, x1, y1 = geometry.bounds(points)
    pad = 4.0
    scale = min((width - 2 * pad) / max(x1 - x0, 1), (height - 2 * pad) / max(y1 - y0, 1))
    used_w, used_h = (x1 - x0) * scale, (y1 - y0) * scale
    ox = (width - used_w) / 2

    def paint(painter: d.Painter, bottom: float) -> None:
        oy = bottom + pad

        def tx(x, y):
            return ox + (x - x0) * scale, oy + (y1 - y) * scale  # plan y grows down, PDF y grows up

        for _name, outline in fl.rooms:
            painter.polygon([tx(*p) for p in outline], fill=ROOM_FILL, stroke=ROOM_LINE, width=0.8)
        for name, outline in fl.rooms:
            bx0, by0, bx1, _by1 = geometry.bounds(outline)
            px, py = tx(bx0, by0)
            room_w = (bx1 - bx0) * scale
            size = 6.5
            while d.text_width(name, d.FONT, size) > room_w - 4 and size > MIN_TEXT:
                size = max(MIN_TEXT, size - 0.25)
            if d.text_width(name, d.FONT, size) > room_w - 4:
                continue
            painter.show(px + 2, py - size - 1.5, name, d.FONT, size, ROOM_TEXT)
        rooms = label_room(fl)
        for c, room in zip(fl.counters, rooms):
            n = max(1, len(c.occupants))
            r = math.radians(c.rotation)
            for i in range(n):  # stripe i of n along the counter's width, rotated with it
                off = -c.width / 2 + (i + 0.5) * c.width / n
                corners = [tx(*p) for p in geometry.box_corners(c.x + off * math.cos(r), c.y + off * math.sin(r),
                                                                 c.width / n, c.depth, c.rotation)]
                if c.occupants:
                    who = c.occupants[i]
                    painter.polygon(corners, fill=_hex(who.colour))
                    hatch(painter, corners, HATCH.get(who.tier),
                          _hex("#1B1F23") if _light(who.colour) else colors.white)
                else:
                    painter.polygon(corners, fill=_hex(UNALLOCATED_FILL))
            painter.polygon([tx(*p) for p in geometry.box_corners(c.x, c.y, c.width, c.depth, c.rotation)],
                            stroke=COUNTER_LINE, width=0.5)
            if not c.occupants:
                continue
            angle = -(c.rotation % 180.0)  # the label runs along the counter's width, kept upright
            if angle < -90:
                angle += 180.0
            largest = max(MIN_TEXT, min(7.0, c.depth * scale * 0.75))
            label, size = fit_label([o.short_name for o in c.occupants], c.width * scale - 2, largest=largest,
                                    more_room=room * scale - 2)
            px, py = tx(c.x, c.y)
            w = d.text_width(label, d.BOLD, size)
            plated_text(painter, px, py, angle, -w / 2, -size * 0.35, label, d.BOLD, size)

    return used_h + 2 * pad, paint


def legend(fl: FloorPlan, width: float):
    """Height and painter of the key: the hatching of each tier on this floor and the white of a
    counter not yet allocated, then each agency's swatch with its short name and counters."""
    tiers = [t for t in HATCH if any(e.tier == t for e in fl.agencies)]
    tier_entries = [(UNALLOCATED_FILL, t, TIER_ID.get(t, t)) for t in tiers]
    unallocated = fl.unallocated
    tier_entries.append((UNALLOCATED_FILL, "", UNALLOCATED_ID + (": " + ", ".join(unallocated)
                                                                  if unallocated else "")))
    agency_entries = [(e.colour, e.tier, f"{e.short_name}: {', '.join(e.counters)}") for e in fl.agencies]
    swatch_w, swatch_h, gap = 7 * mm, 4 * mm, 1.5 * mm
    per_row = max(2, int(width // (62 * mm)))
    cell_w = width / per_row

    def grid(entries):
        texts = [d.Text.wrapped(text, cell_w - swatch_w - gap - 3, d.FONT, 7.5, 9.15) for _c, _t, text in entries]
        heights = []
        for start in range(0, len(entries), per_row):
            heights.append(max([swatch_h + 1.5] + [t.height + 1.5 for t in texts[start:start + per_row]]))
        return texts, heights

    tier_texts, tier_heights = grid(tier_entries)
    agency_texts, agency_heights = grid(agency_entries)
    caption = 10.0
    height = caption + sum(tier_heights) + (3.0 + caption + sum(agency_heights) if agency_entries else 0.0)

    def paint(painter: d.Painter, bottom: float) -> None:
        y = bottom + height

        def block(title, entries, texts, heights):
            nonlocal y
            painter.show(0.0, y - 7.5, title, d.BOLD, 7.5)
            y -= caption
            for r, row_h in enumerate(heights):
                for k in range(per_row):
                    i = r * per_row + k
                    if i >= len(entries):
                        break
                    colour, tier, _text = entries[i]
                    x = k * cell_w
                    box = [(x, y - swatch_h), (x + swatch_w, y - swatch_h), (x + swatch_w, y), (x, y)]
                    painter.polygon(box, fill=_hex(colour))
                    hatch(painter, box, HATCH.get(tier), _hex("#1B1F23") if _light(colour) else colors.white)
                    painter.polygon(box, stroke=COUNTER_LINE, width=0.5)
                    texts[i].paint(painter, x + swatch_w + gap, x + cell_w - 3, y - (swatch_h - 7.5) / 2 + 1.0)
                y -= row_h

        block("Tingkat instansi (arsiran):", tier_entries, tier_texts, tier_heights)
        if agency_entries:
            y -= 3.0
            block("Instansi dan loketnya (warna):", agency_entries, agency_texts, agency_heights)

    return height, paint
