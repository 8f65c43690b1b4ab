"""The agency allocation list (daftar alokasi loket): which agency serves at which counters, on
which weekdays, with staff, services and counter area; grouped by tier.

CSV (UTF-8, one row per agency), XLSX (formatted, subtotals per tier, a tier summary and notes)
and a signed A4 PDF with a small plan per floor coloured by agency. Every (counter, agency)
assignment appears exactly once in the table of each format: in the counters cell of its agency,
with its weekdays in brackets when the agency's counters do not all have the same days.

:func:`collect` reads the project into plain values (quick, needs the session);
:func:`render` writes a file from them (slow for big PDFs, touches no session, so the GUI can run
it on a worker thread). :func:`export` does both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from mpp_planner.formats import long_date
from mpp_planner.formats import number as fmt_number
from mpp_planner.i18n import N_, _
from mpp_planner.model.agency import WEEKDAY_SHORT, Tier
from mpp_planner.model.allocation import Allocation, AgencyLine, days_text, load_allocation

FORMATS = ("csv", "xlsx", "pdf")
HELP = N_("agency allocation list: counters, weekdays, staff, services and area per agency (CSV, XLSX, PDF)")

# Official sheets are in Indonesian whatever the UI language.
TIER_ID = {
    Tier.PUSAT.value: "Instansi Pusat/Vertikal",
    Tier.PROVINSI.value: "Pemerintah Provinsi",
    Tier.KAB_KOTA.value: "Pemerintah Kabupaten/Kota",
    Tier.BUMN.value: "Badan Usaha Milik Negara (BUMN)",
    Tier.BUMD.value: "Badan Usaha Milik Daerah (BUMD)",
    Tier.BADAN_HUKUM_PUBLIK.value: "Badan Hukum Publik",
    Tier.SWASTA.value: "Swasta",
}
DAYS_ID = ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min")
WORKWEEK_ID = "Senin–Jumat"
ROMAN = "ABCDEFGHIJ"


def days_id(mask: int) -> str:
    return days_text(mask, DAYS_ID, WORKWEEK_ID) if mask else "–"


def days_ui(mask: int) -> str:
    return days_text(mask, [_(n) for n in WEEKDAY_SHORT], _("Mon–Fri")) if mask else ""


def tier_ui(tier: str) -> str:
    try:
        return Tier(tier).label
    except ValueError:
        return tier


def add_arguments(parser) -> None:
    parser.add_argument("--date", metavar="YYYY-MM-DD", help=_("date written above the signature (default: today)"))


# --- plain data ------------------------------------------------------------------------------

@dataclass
class SiteInfo:
    name: str
    city: str
    government_name: str = ""
    operator_office: str = ""
    address: str = ""
    letterhead: list = field(default_factory=list)
    logo: bytes | None = None


@dataclass
class SignerInfo:
    title: str = ""
    name: str = ""
    nip: str = ""
    rank: str = ""


@dataclass
class CounterShape:
    label: str
    x: int
    y: int
    width: int
    depth: int
    rotation: float
    colours: list[str]  # one per agency serving here, in schedule order; empty: no agency


@dataclass
class FloorPlan:
    name: str
    rooms: list[tuple[str, list]]  # (name, outline in mm)
    counters: list[CounterShape]
    agencies: list[tuple[str, str]]  # (colour, short name) serving on this floor


@dataclass
class AllocationReport:
    allocation: Allocation
    site: SiteInfo
    signer: SignerInfo
    when: date
    floors: list[FloorPlan]


def collect(project, when: date | None = None, *, plans: bool = True) -> AllocationReport:
    """Everything the documents show, read in a handful of batched queries."""
    from sqlalchemy import select

    from mpp_planner.model import Counter, Floor, Room, Signatory

    s = project.session
    allocation = load_allocation(s)
    site = project.site
    info = SiteInfo(site.name, site.city or "", site.government_name or "", site.operator_office or "",
                    site.address or "", list(site.letterhead or []), site.logo)
    head = s.scalar(select(Signatory).where(Signatory.role == "head"))
    signer = SignerInfo(head.title, head.name, head.nip, head.rank) if head else SignerInfo()
    floors: list[FloorPlan] = []
    if plans:
        rooms: dict[int, list] = {}
        for floor_id, name, outline in s.execute(select(Room.floor_id, Room.name, Room.outline).order_by(Room.id)):
            rooms.setdefault(floor_id, []).append((name, outline))
        shapes: dict[int, list] = {}
        for r in s.execute(select(Counter.id, Counter.floor_id, Counter.label, Counter.x, Counter.y, Counter.width,
                                  Counter.depth, Counter.rotation).order_by(Counter.id)):
            colours = [a.colour for a, _m in allocation.schedule.get(r.id, [])]
            shapes.setdefault(r.floor_id, []).append(
                CounterShape(r.label, r.x, r.y, r.width, r.depth, r.rotation or 0.0, colours))
        serving: dict[int, dict[str, str]] = {}
        for counter in allocation.counters:
            for agency, _m in allocation.schedule.get(counter.id, []):
                serving.setdefault(counter.floor_id, {})[agency.short_name] = agency.colour
        for fid, name in s.execute(select(Floor.id, Floor.name).order_by(Floor.order, Floor.id)):
            if rooms.get(fid) or shapes.get(fid):
                legend = sorted(((c, n) for n, c in serving.get(fid, {}).items()), key=lambda cn: cn[1].casefold())
                floors.append(FloorPlan(name, rooms.get(fid, []), shapes.get(fid, []), legend))
    return AllocationReport(allocation, info, signer, when or date.today(), floors)


def export(project, out: Path, fmt: str, args=None) -> None:
    when = None
    text = getattr(args, "date", None) if args is not None else None
    if text:
        try:
            when = date.fromisoformat(text)
        except ValueError:
            raise ValueError(_("--date must look like 2024-01-31 (got '{value}').").format(value=text)) from None
    render(collect(project, when, plans=fmt == "pdf"), out, fmt)


def render(report: AllocationReport, out: Path, fmt: str) -> None:
    {"csv": write_csv_file, "xlsx": write_xlsx, "pdf": write_pdf}[fmt](report, Path(out))


# --- table rows shared by CSV and XLSX --------------------------------------------------------

def ui_header() -> list[str]:
    return [_("No"), _("Tier"), _("Agency"), _("Short name"), _("Counters"), _("Number of counters"), _("Floor(s)"),
            _("Weekdays"), _("Number of services"), _("Services"), _("Staff"), _("Area (m²)")]


def ui_row(report: AllocationReport, n: int, line: AgencyLine) -> list:
    a = report.allocation
    return [n, tier_ui(line.agency.tier), line.agency.name, line.agency.short_name, a.counters_text(line, days_ui),
            len(line.slots), ", ".join(line.floors), days_ui(line.weekdays), line.service_count,
            "; ".join(line.agency.services), line.staff, line.area_m2]


def write_csv_file(report: AllocationReport, out: Path) -> None:
    from mpp_planner.reports.output import write_csv

    rows = [ui_row(report, n, line) for n, line in enumerate(report.allocation.agencies, start=1)]
    write_csv(out, ui_header(), ([*r[:-1], f"{r[-1]:.2f}"] for r in rows))


def write_xlsx(report: AllocationReport, out: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from mpp_planner.reports.output import neutralise, write_atomically

    a = report.allocation
    wb = Workbook()
    ws = wb.active
    ws.title = _("Allocation")[:31]
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="E4E9F0")
    sub_fill = PatternFill("solid", fgColor="F3F5F8")
    total_fill = PatternFill("solid", fgColor="DDE3EA")
    thin = Side(style="thin", color="999999")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    header = ui_header()
    ws.append([neutralise(report.site.name + " — " + _("Agency counter allocation"))])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([_("As of {date}").format(date=long_date(report.when))])
    ws.append([])
    ws.append(header)
    head_row = ws.max_row
    for cell in ws[head_row]:
        cell.font = bold
        cell.fill = head_fill
        cell.border = box
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    int_cols = {1, 6, 9, 11}
    area_col = 12

    def style_row(row: int, fill=None, font=None) -> None:
        for col in range(1, len(header) + 1):
            cell = ws.cell(row, col)
            cell.border = box
            cell.alignment = wrap
            if col in int_cols:
                cell.number_format = "0"
            if col == area_col:
                cell.number_format = "#,##0.00"
            if fill:
                cell.fill = fill
            if font:
                cell.font = font

    n = 0
    for tier in a.tiers:
        for line in a.lines_of(tier.tier):
            n += 1
            ws.append([neutralise(v) for v in ui_row(report, n, line)])
            style_row(ws.max_row)
            ws.row_dimensions[ws.max_row].outline_level = 1
        ws.append(["", tier_ui(tier.tier), _("Subtotal {tier}").format(tier=tier_ui(tier.tier)), "", "",
                   tier.counters, "", "", tier.services, "", tier.staff, tier.area_m2])
        style_row(ws.max_row, sub_fill, bold)
    ws.append(["", "", _("Total"), "", "", a.assigned_counters, "", "", a.total_services, "", a.total_staff,
               sum((t.area_m2 for t in a.tiers), Decimal("0.00"))])
    style_row(ws.max_row, total_fill, bold)
    last = ws.max_row
    widths = [5, 22, 44, 16, 30, 11, 14, 16, 11, 50, 8, 11]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = ws.cell(head_row + 1, 1)
    ws.auto_filter.ref = f"A{head_row}:{get_column_letter(len(header))}{last}"
    ws.print_title_rows = f"{head_row}:{head_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.sheet_properties.outlinePr.summaryBelow = True

    # per tier
    wt = wb.create_sheet(_("Per tier")[:31])
    theader = [_("Tier"), _("Agencies"), _("With a counter"), _("Counters"), _("Services"), _("Staff"),
               _("Area (m²)"), _("Share of counter area")]
    wt.append(theader)
    for cell in wt[1]:
        cell.font = bold
        cell.fill = head_fill
        cell.border = box
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for t in a.tiers:
        wt.append([tier_ui(t.tier), t.agencies, t.agencies_with_counter, t.counters, t.services, t.staff, t.area_m2,
                   t.share])
    wt.append([_("No agency"), "", "", len(a.unassigned), "", "", a.unassigned_area_m2, a.unassigned_share])
    wt.append([_("Total"), len(a.agencies), sum(t.agencies_with_counter for t in a.tiers), len(a.counters),
               a.total_services, a.total_staff, a.total_area_m2, a.total_share])
    for row in wt.iter_rows(min_row=2, max_row=wt.max_row):
        for cell in row:
            cell.border = box
            if cell.column in (2, 3, 4, 5, 6):
                cell.number_format = "0"
            elif cell.column == 7:
                cell.number_format = "#,##0.00"
            elif cell.column == 8:
                cell.number_format = "0.0%"
    for cell in wt[wt.max_row]:
        cell.font = bold
        cell.fill = total_fill
    for i, w in enumerate([34, 10, 14, 10, 10, 8, 11, 14], start=1):
        wt.column_dimensions[get_column_letter(i)].width = w
    wt.freeze_panes = "A2"

    # notes and warnings
    wn = wb.create_sheet(_("Notes")[:31])
    wn.column_dimensions["A"].width = 34
    wn.column_dimensions["B"].width = 100
    for title, text in notes_ui(a):
        wn.append([title, text])
        wn.cell(wn.max_row, 1).font = bold
        wn.cell(wn.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
        wn.cell(wn.max_row, 1).alignment = Alignment(vertical="top")

    write_atomically(out, lambda tmp: wb.save(tmp))


def notes_ui(a: Allocation) -> list[tuple[str, str]]:
    notes = [
        (_("Counters without an agency"), ", ".join(a.counter_name(c) for c in a.unassigned) or _("none")),
        (_("Agencies without a counter"), ", ".join(x.short_name for x in a.idle_agencies) or _("none")),
        (_("Double bookings"), "; ".join(
            _("{counter} on {days}: {agencies}").format(counter=a.counter_name(d.counter), days=days_ui(d.weekdays),
                                                       agencies=", ".join(x.short_name for x in d.agencies))
            for d in a.double_bookings) or _("none")),
        (_("Area"), _("A counter shared on different weekdays is split between its agencies by the days each "
                      "serves; on a double-booked day the agencies split that day.")),
        (_("Counters and staff"), _("A subtotal counts each counter once; an agency's staff are the staff of "
                                    "every counter it serves (a shared counter has other officers on other days).")),
    ]
    return notes


# --- PDF -------------------------------------------------------------------------------------

def _id_number(value, decimals=0) -> str:
    return fmt_number(value, decimals, lang="id")


def write_pdf(report: AllocationReport, out: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Paragraph, Spacer

    from mpp_planner.reports import pdf
    from mpp_planner.reports.output import write_atomically
    from mpp_planner.reports.pdf import P, STYLES, SheetDoc, Signer, T, esc, header_table, letterhead, \
        place_and_date, signature_block

    a = report.allocation
    site = report.site
    title = "DAFTAR ALOKASI LOKET INSTANSI"

    def story() -> list:
        doc_width = doc.body_width
        flow: list = [*letterhead(site, doc_width), P(title, "title"),
                      P(esc(site.name.upper()), "subtitle"),
                      P(esc(f"Keadaan per {long_date(report.when, lang='id')}"), "subtitle")]
        cols = [9, 62, 25, 58, 13, 22, 26, 14, 14, 18]
        widths = [w * mm for w in cols]
        scale = doc_width / sum(widths)
        widths = [w * scale for w in widths]
        head = [P(h, "head") for h in ("No", "Instansi", "Singkatan", "Loket (hari layanan)", "Jml Loket", "Lantai",
                                       "Hari Layanan", "Jml Layanan", "Petugas", "Luas Loket (m²)")]
        rows = [head]
        extra = []
        n = 0
        for gi, tier in enumerate(a.tiers):
            r = len(rows)
            rows.append([P(f"<b>{ROMAN[gi] if gi < len(ROMAN) else gi + 1}. {esc(TIER_ID.get(tier.tier, tier.tier))}"
                           "</b>", "cell")] + [""] * 9)
            extra += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), colors.HexColor("#EEF1F6"))]
            for line in a.lines_of(tier.tier):
                n += 1
                rows.append([
                    P(str(n), "cell_right"), T(line.agency.name), T(line.agency.short_name),
                    T(a.counters_text(line, days_id) or "–"), P(str(len(line.slots)), "cell_right"),
                    T(", ".join(line.floors) or "–"), T(days_id(line.weekdays)),
                    P(str(line.service_count), "cell_right"), P(str(line.staff), "cell_right"),
                    P(_id_number(line.area_m2, 2), "cell_right")])
            r = len(rows)
            rows.append([P(f"Jumlah {esc(TIER_ID.get(tier.tier, tier.tier))}", "cell_bold"), "", "", "",
                         P(str(tier.counters), "cell_bold_right"), "", "", P(str(tier.services), "cell_bold_right"),
                         P(str(tier.staff), "cell_bold_right"), P(_id_number(tier.area_m2, 2), "cell_bold_right")])
            extra += [("SPAN", (0, r), (3, r)), ("SPAN", (5, r), (6, r)),
                      ("BACKGROUND", (0, r), (-1, r), pdf.SUBTOTAL_BG)]
        r = len(rows)
        assigned_area = sum((t.area_m2 for t in a.tiers), Decimal("0.00"))
        rows.append([P("JUMLAH SELURUHNYA", "cell_bold"), "", "", "", P(str(a.assigned_counters), "cell_bold_right"),
                     "", "", P(str(a.total_services), "cell_bold_right"), P(str(a.total_staff), "cell_bold_right"),
                     P(_id_number(assigned_area, 2), "cell_bold_right")])
        extra += [("SPAN", (0, r), (3, r)), ("SPAN", (5, r), (6, r)),
                  ("BACKGROUND", (0, r), (-1, r), colors.HexColor("#DDE3EA"))]
        table = header_table(rows, widths, extra_styles=extra)
        table.splitInRow = 1  # an agency with hundreds of counters may run over a page
        flow.append(table)
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
        share_total = a.total_share
        rrows.append([P("Jumlah", "cell_bold"), P(str(len(a.agencies)), "cell_bold_right"),
                      P(str(sum(t.agencies_with_counter for t in a.tiers)), "cell_bold_right"),
                      P(str(len(a.counters)), "cell_bold_right"), P(str(a.total_services), "cell_bold_right"),
                      P(str(a.total_staff), "cell_bold_right"), P(_id_number(a.total_area_m2, 2), "cell_bold_right"),
                      P(_id_number(share_total * 100, 1) + "%", "cell_bold_right")])
        rw = [w * mm for w in (70, 20, 22, 18, 20, 18, 24, 20)]
        recap = header_table(rrows, rw, extra_styles=[("BACKGROUND", (0, len(rrows) - 1), (-1, len(rrows) - 1),
                                                       colors.HexColor("#DDE3EA"))])
        recap.hAlign = "LEFT"
        flow.append(KeepTogether([P("<b>Rekapitulasi per Tingkat Instansi</b>", "body"), Spacer(1, 1.5 * mm), recap]))
        flow.append(Spacer(1, 4 * mm))

        # notes
        notes = []
        if a.unassigned:
            notes.append("Loket belum dialokasikan: " + esc(", ".join(a.counter_name(c) for c in a.unassigned)) + ".")
        if a.idle_agencies:
            notes.append("Instansi belum memiliki loket: " + esc(", ".join(x.short_name for x in a.idle_agencies))
                         + ".")
        for d in a.double_bookings:
            notes.append(f"Jadwal ganda di loket {esc(a.counter_name(d.counter))} hari {esc(days_id(d.weekdays))}: "
                         + esc(", ".join(x.short_name for x in d.agencies)) + ".")
        notes.append("Luas loket yang dipakai bersama pada hari berbeda dibagi menurut jumlah hari layanan "
                     "masing-masing instansi. Jumlah loket per tingkat menghitung setiap loket satu kali.")
        note_flow = [P("<b>Catatan:</b>", "small")]
        note_flow += [P(f"{i}. {text}", "small") for i, text in enumerate(notes, start=1)]
        flow.append(KeepTogether(note_flow))
        flow.append(Spacer(1, 6 * mm))

        signer = Signer(place_and_date(_site_like(site), report.when), report.signer.title, report.signer.name,
                        report.signer.nip, report.signer.rank)
        block = signature_block([signer], 95 * mm)
        block.hAlign = "RIGHT"
        flow.append(CondPageBreak(60 * mm))
        flow.append(block)

        if report.floors:
            flow.append(PageBreak())
            flow.append(P("LAMPIRAN: DENAH ALOKASI LOKET", "title"))
            flow.append(P(esc(site.name), "subtitle"))
            frame_h = doc.height
            box_h = min(118 * mm, frame_h - 40 * mm)
            for fl in report.floors:
                drawing = plan_drawing(fl, doc_width, box_h)
                legend = plan_legend(fl, doc_width)
                flow.append(KeepTogether([P(f"<b>{esc(fl.name)}</b>", "body"), Spacer(1, 1 * mm), drawing,
                                          Spacer(1, 1.5 * mm), legend, Spacer(1, 5 * mm)]))
        return flow

    def produce(tmp: Path) -> None:
        nonlocal doc
        doc = SheetDoc(str(tmp), orientation="landscape", title=f"{title} — {site.name}",
                       footer_left=f"Daftar Alokasi Loket Instansi · {site.name}")
        doc.build_story(story)

    doc = None
    write_atomically(out, produce)


def _site_like(site: SiteInfo):
    """pdf.place_and_date wants an object with ``city``; our site info has one."""
    if not site.city:
        site = SiteInfo(**{**site.__dict__, "city": site.name})
    return site


def plan_drawing(fl: FloorPlan, width: float, height: float):
    """The floor scaled to fit ``width`` x ``height`` points: rooms, counters in agency colours, labels."""
    import math

    from reportlab.graphics.shapes import Drawing, Group, Polygon, String, mmult, rotate, translate
    from reportlab.lib import colors
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from mpp_planner.model import geometry

    points = [p for _n, outline in fl.rooms for p in outline]
    for c in fl.counters:
        points += geometry.box_corners(c.x, c.y, c.width, c.depth, c.rotation)
    drawing = Drawing(width, height)
    if not points:
        return drawing
    x0, y0, x1, y1 = geometry.bounds(points)
    pad = 4.0
    scale = min((width - 2 * pad) / max(x1 - x0, 1), (height - 2 * pad) / max(y1 - y0, 1))
    used_w, used_h = (x1 - x0) * scale, (y1 - y0) * scale
    ox, oy = (width - used_w) / 2, (height - used_h) / 2
    drawing.height = used_h + 2 * pad  # no empty band under a wide, flat floor
    oy = pad

    def tx(x, y):
        return ox + (x - x0) * scale, oy + (y1 - y) * scale  # plan y grows down, PDF y grows up

    for name, outline in fl.rooms:
        pts = [v for p in outline for v in tx(*p)]
        drawing.add(Polygon(pts, fillColor=colors.HexColor("#F7F8FA"), strokeColor=colors.HexColor("#3C4650"),
                            strokeWidth=0.8))
    for name, outline in fl.rooms:
        bx0, by0, bx1, by1 = geometry.bounds(outline)
        size = 5.5
        px, py = tx(bx0, by0)
        room_w = (bx1 - bx0) * scale
        text = name
        while stringWidth(text, "Helvetica", size) > room_w - 4 and size > 3.5:
            size -= 0.5
        if stringWidth(text, "Helvetica", size) > room_w - 4:
            continue
        drawing.add(String(px + 2, py - size - 1.5, text, fontName="Helvetica", fontSize=size,
                           fillColor=colors.HexColor("#5A6470")))
    for c in fl.counters:
        fills = c.colours or ["#D5D8DC"]
        n = len(fills)
        for i, colour in enumerate(fills):
            # stripe i of n along the counter's width, rotated with it
            r = math.radians(c.rotation)
            off = -c.width / 2 + (i + 0.5) * c.width / n
            cx, cy = c.x + off * math.cos(r), c.y + off * math.sin(r)
            corners = geometry.box_corners(cx, cy, c.width / n, c.depth, c.rotation)
            drawing.add(Polygon([v for p in corners for v in tx(*p)], fillColor=colors.HexColor(colour),
                                strokeColor=None, strokeWidth=0))
        outline = geometry.box_corners(c.x, c.y, c.width, c.depth, c.rotation)
        drawing.add(Polygon([v for p in outline for v in tx(*p)], fillColor=None,
                            strokeColor=colors.HexColor("#2C3E50"), strokeWidth=0.4))
        # the label runs along the counter's width, kept upright
        angle = -(c.rotation % 180.0)
        if angle < -90:
            angle += 180.0
        size = min(6.0, c.depth * scale * 0.62)
        while stringWidth(c.label, "Helvetica-Bold", size) > c.width * scale * 0.9 and size > 2.0:
            size -= 0.25
        px, py = tx(c.x, c.y)
        label = String(0, -size * 0.35, c.label, fontName="Helvetica-Bold", fontSize=size,
                       fillColor=colors.HexColor(_ink_on(fills[0])), textAnchor="middle")
        drawing.add(Group(label, transform=mmult(translate(px, py), rotate(angle))))
    return drawing


def _ink_on(colour: str) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#1B1F23" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#FFFFFF"


def plan_legend(fl: FloorPlan, width: float):
    """Colour swatches with short names, in rows."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Table, TableStyle

    from mpp_planner.reports.pdf import T

    entries = list(fl.agencies) + [("#D5D8DC", "Belum dialokasikan")]
    per_row = 6
    cell_w = width / per_row
    cells, styles = [], [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 1),
                         ("RIGHTPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 0), (-1, -1), 1),
                         ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]
    row: list = []
    for i, (colour, name) in enumerate(entries):
        r, c = divmod(i, per_row)
        row += ["", T(name, "small")]
        styles.append(("BACKGROUND", (2 * c, r), (2 * c, r), colors.HexColor(colour)))
        styles.append(("BOX", (2 * c, r), (2 * c, r), 0.3, colors.HexColor("#2C3E50")))
        if len(row) == 2 * per_row:
            cells.append(row)
            row = []
    if row:
        cells.append(row + [""] * (2 * per_row - len(row)))
    table = Table(cells, colWidths=[4 * mm, cell_w - 4 * mm] * per_row, rowHeights=[4.2 * mm] * len(cells))
    table.setStyle(TableStyle(styles))
    table.hAlign = "LEFT"
    return table
