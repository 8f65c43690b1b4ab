"""The allocation list as a signed A4 landscape PDF: the table grouped by tier, the recap per
tier, notes, the signature, and an appendix with a small plan of each floor in agency colours.

The long parts are drawn with :mod:`pdf_draw` — the table (an agency serving hundreds of
counters has a cell of many lines, continued on the next page) and the floor plans (a
platypus Drawing of thousands of shapes per document took seconds). Sizes, fonts and colours
are those of the platypus sheet it replaces. Imported only when a PDF is made (ReportLab).
"""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Spacer

from mpp_planner.formats import long_date
from mpp_planner.model import geometry
from mpp_planner.reports import pdf_draw as d
from mpp_planner.reports.allocations import (ROMAN, TIER_ID, AllocationReport, FloorPlan, _id_number, _ink_on,
                                             _site_like, days_id)
from mpp_planner.reports.output import write_atomically
from mpp_planner.reports.pdf import (GRID, HEADER_BG, SUBTOTAL_BG, P, SheetDoc, Signer, T, esc, header_table,
                                     letterhead, place_and_date, signature_block)

TITLE = "DAFTAR ALOKASI LOKET INSTANSI"
COLUMN_MM = (9, 62, 25, 58, 13, 22, 26, 14, 14, 18)
HEADS = ("No", "Instansi", "Singkatan", "Loket (hari layanan)", "Jml Loket", "Lantai", "Hari Layanan", "Jml Layanan",
         "Petugas", "Luas Loket (m²)")
SIZE, LEADING = 8.0, 9.76  # the "cell" paragraph style
EMPTY_ROW = 16.0  # a row that held an empty plain cell in the platypus table was 16 pt high
TIER_BG = colors.HexColor("#EEF1F6")
TOTAL_BG = colors.HexColor("#DDE3EA")
ROOM_FILL, ROOM_LINE, ROOM_TEXT = colors.HexColor("#F7F8FA"), colors.HexColor("#3C4650"), colors.HexColor("#5A6470")
COUNTER_LINE, NO_AGENCY = colors.HexColor("#2C3E50"), "#D5D8DC"


def write_pdf(report: AllocationReport, out: Path) -> None:
    def produce(tmp: Path) -> None:
        doc = SheetDoc(str(tmp), orientation="landscape", title=f"{TITLE} — {report.site.name}",
                       footer_left=f"Daftar Alokasi Loket Instansi · {report.site.name}")
        doc.build_story(lambda: story(report, doc))

    write_atomically(out, produce)


def story(report: AllocationReport, doc: SheetDoc) -> list:
    a = report.allocation
    site = report.site
    width = doc.body_width
    flow: list = [*letterhead(site, width), P(TITLE, "title"), P(esc(site.name.upper()), "subtitle"),
                  P(esc(f"Keadaan per {long_date(report.when, lang='id')}"), "subtitle")]
    flow.append(allocation_table(report, width))
    flow.append(Spacer(1, 5 * mm))

    # recap per tier
    rhead = [P(h, "head") for h in ("Tingkat Instansi", "Jml Instansi", "Instansi ber-Loket", "Jml Loket",
                                    "Jml Layanan", "Petugas", "Luas Loket (m²)", "Porsi Luas")]
    rrows = [rhead]
    for t in a.tiers:
        rrows.append([T(TIER_ID.get(t.tier, t.tier)), P(str(t.agencies), "cell_right"),
                      P(str(t.agencies_with_counter), "cell_right"), P(str(t.counters), "cell_right"),
                      P(str(t.services), "cell_right"), P(str(t.staff), "cell_right"),
                      P(_id_number(t.area_m2, 2), "cell_right"), P(_id_number(t.share * 100, 1) + "%", "cell_right")])
    rrows.append([T("Loket belum dialokasikan"), P("–", "cell_right"), P("–", "cell_right"),
                  P(str(len(a.unassigned)), "cell_right"), P("–", "cell_right"), P("–", "cell_right"),
                  P(_id_number(a.unassigned_area_m2, 2), "cell_right"),
                  P(_id_number(a.unassigned_share * 100, 1) + "%", "cell_right")])
    rrows.append([P("Jumlah", "cell_bold"), P(str(len(a.agencies)), "cell_bold_right"),
                  P(str(sum(t.agencies_with_counter for t in a.tiers)), "cell_bold_right"),
                  P(str(len(a.counters)), "cell_bold_right"), P(str(a.total_services), "cell_bold_right"),
                  P(str(a.total_staff), "cell_bold_right"), P(_id_number(a.total_area_m2, 2), "cell_bold_right"),
                  P(_id_number(a.total_share * 100, 1) + "%", "cell_bold_right")])
    rw = [w * mm for w in (70, 20, 22, 18, 20, 18, 24, 20)]
    recap = header_table(rrows, rw, extra_styles=[("BACKGROUND", (0, len(rrows) - 1), (-1, len(rrows) - 1), TOTAL_BG)])
    recap.hAlign = "LEFT"
    flow.append(KeepTogether([P("<b>Rekapitulasi per Tingkat Instansi</b>", "body"), Spacer(1, 1.5 * mm), recap]))
    flow.append(Spacer(1, 4 * mm))

    # notes, then the signature, which keeps the last note with it (never alone on a page)
    notes = []
    if a.unassigned:
        notes.append("Loket belum dialokasikan: " + esc(", ".join(a.counter_name(c) for c in a.unassigned)) + ".")
    if a.idle_agencies:
        notes.append("Instansi belum memiliki loket: " + esc(", ".join(x.short_name for x in a.idle_agencies)) + ".")
    for dbl in a.double_bookings:
        notes.append(f"Jadwal ganda di loket {esc(a.counter_name(dbl.counter))} hari {esc(days_id(dbl.weekdays))}: "
                     + esc(", ".join(x.short_name for x in dbl.agencies)) + ".")
    notes.append("Luas loket yang dipakai bersama pada hari berbeda dibagi menurut jumlah hari layanan "
                 "masing-masing instansi. Jumlah loket per tingkat menghitung setiap loket satu kali.")
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
        flow.append(P("LAMPIRAN: DENAH ALOKASI LOKET", "title"))
        flow.append(P(esc(site.name), "subtitle"))
        box_h = min(118 * mm, doc.height - 40 * mm)
        flow.extend(floor_block(fl, width, box_h) for fl in report.floors)
    return flow


# --- the table ------------------------------------------------------------------------------

def allocation_table(report: AllocationReport, width: float) -> d.DrawnTable:
    """One row per agency under its tier's heading, a subtotal per tier, the grand total."""
    a = report.allocation
    scale = width / sum(COLUMN_MM)
    xs = [0.0]
    for w in COLUMN_MM:
        xs.append(xs[-1] + w * scale)
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
        rows.append(d.Row([cell(0, 9, f"{ROMAN[gi] if gi < len(ROMAN) else gi + 1}. {name}", d.BOLD)], style,
                          TIER_BG, min_height=EMPTY_ROW, keep_with_next=True))
        for line in a.lines_of(tier.tier):
            n += 1
            texts = (str(n), line.agency.name, line.agency.short_name, a.counters_text(line, days_id) or "–",
                     str(len(line.slots)), ", ".join(line.floors) or "–", days_id(line.weekdays),
                     str(line.service_count), str(line.staff), _id_number(line.area_m2, 2))
            rows.append(d.Row([cell(i, i, t, align=d.RIGHT if i in (0, 4, 7, 8, 9) else d.LEFT)
                               for i, t in enumerate(texts)], style))
        rows.append(_sum_row(f"Jumlah {name}", tier.counters, tier.services, tier.staff, tier.area_m2, cell, style,
                             SUBTOTAL_BG))
    assigned_area = sum((t.area_m2 for t in a.tiers), Decimal("0.00"))
    rows.append(_sum_row("JUMLAH SELURUHNYA", a.assigned_counters, a.total_services, a.total_staff, assigned_area,
                         cell, style, TOTAL_BG))
    return d.DrawnTable(xs, header, rows, style, split_rows_over=60.0)


def _sum_row(label, counters, services, staff, area, cell, style, fill) -> d.Row:
    return d.Row([cell(0, 3, label, d.BOLD), cell(4, 4, str(counters), d.BOLD, d.RIGHT), d.Cell(5, 6, None),
                  cell(7, 7, str(services), d.BOLD, d.RIGHT), cell(8, 8, str(staff), d.BOLD, d.RIGHT),
                  cell(9, 9, _id_number(area, 2), d.BOLD, d.RIGHT)], style, fill, min_height=EMPTY_ROW)


# --- the plan appendix ----------------------------------------------------------------------

_HEX: dict[str, colors.Color] = {}


def _hex(value: str) -> colors.Color:
    colour = _HEX.get(value)
    if colour is None:
        colour = _HEX[value] = colors.HexColor(value)
    return colour


def floor_block(fl: FloorPlan, width: float, box_h: float) -> d.Drawn:
    """The floor's name, its plan and the colour legend, kept together on one page (the name in
    the "body" style, 1 mm, the plan, 1.5 mm, the legend, 5 mm below)."""
    name = d.Text.wrapped(fl.name, width, d.BOLD, 9.0, 10.98)
    plan_h, paint_plan = plan(fl, width, box_h)
    legend_h, paint_legend = legend(fl, width)
    height = name.height + 1 * mm + plan_h + 1.5 * mm + legend_h + 5 * mm

    def paint(painter: d.Painter, w: float, h: float) -> None:
        name.paint(painter, 0.0, w, h)
        top = h - name.height - 1 * mm
        paint_plan(painter, top - plan_h)
        paint_legend(painter, top - plan_h - 1.5 * mm - legend_h)

    return d.Drawn(width, height, paint)


def plan(fl: FloorPlan, width: float, height: float):
    """Height and painter of the floor scaled to fit ``width`` x ``height`` points: rooms,
    counters striped in the colours of their agencies, labels kept upright."""
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
            size = 5.5
            while d.text_width(name, d.FONT, size) > room_w - 4 and size > 3.5:
                size -= 0.5
            if d.text_width(name, d.FONT, size) > room_w - 4:
                continue
            painter.show(px + 2, py - size - 1.5, name, d.FONT, size, ROOM_TEXT)
        for c in fl.counters:
            fills = c.colours or [NO_AGENCY]
            n = len(fills)
            r = math.radians(c.rotation)
            for i, colour in enumerate(fills):  # stripe i of n along the counter's width, rotated with it
                off = -c.width / 2 + (i + 0.5) * c.width / n
                corners = geometry.box_corners(c.x + off * math.cos(r), c.y + off * math.sin(r), c.width / n, c.depth,
                                               c.rotation)
                painter.polygon([tx(*p) for p in corners], fill=_hex(colour))
            painter.polygon([tx(*p) for p in geometry.box_corners(c.x, c.y, c.width, c.depth, c.rotation)],
                            stroke=COUNTER_LINE, width=0.4)
            angle = -(c.rotation % 180.0)  # the label runs along the counter's width, kept upright
            if angle < -90:
                angle += 180.0
            size = min(6.0, c.depth * scale * 0.62)
            while d.text_width(c.label, d.BOLD, size) > c.width * scale * 0.9 and size > 2.0:
                size -= 0.25
            px, py = tx(c.x, c.y)
            w = d.text_width(c.label, d.BOLD, size)
            painter.show_turned(px, py, angle, -w / 2, -size * 0.35, c.label, d.BOLD, size, _hex(_ink_on(fills[0])))

    return used_h + 2 * pad, paint


def legend(fl: FloorPlan, width: float):
    """Height and painter of the colour swatches with short names, six to a row."""
    entries = list(fl.agencies) + [(NO_AGENCY, "Belum dialokasikan")]
    per_row = 6
    cell_w = width / per_row
    row_h = 4.2 * mm
    rows = (len(entries) + per_row - 1) // per_row
    texts = [d.Text.wrapped(name, cell_w - 4 * mm - 3, d.FONT, 7.5, 9.15) for _c, name in entries]

    def paint(painter: d.Painter, bottom: float) -> None:
        for i, ((colour, _name), text) in enumerate(zip(entries, texts)):
            r, c = divmod(i, per_row)
            x = c * cell_w
            y = bottom + (rows - 1 - r) * row_h
            painter.fill(_hex(colour), x, y, 4 * mm, row_h)
            painter.rect(x, y, 4 * mm, row_h, COUNTER_LINE, 0.3)
            top = y + (row_h + 1 - 1 + text.height) / 2  # middle, 1 pt padding above and below
            text.paint(painter, x + 4 * mm + 1, x + cell_w - 2, top)

    return rows * row_h, paint
