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

from mpp_planner.reports.output import date_option, iso_date
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
    parser.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD",
                        help=_("date written above the signature (default: today)"))


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
    render(collect(project, date_option(args), plans=fmt == "pdf"), out, fmt)


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
    """The signed A4 landscape sheet with the plan appendix (see :mod:`allocations_pdf`)."""
    from mpp_planner.reports.allocations_pdf import write_pdf as write

    write(report, out)


def _site_like(site: SiteInfo):
    """pdf.place_and_date wants an object with ``city``; our site info has one."""
    if not site.city:
        site = SiteInfo(**{**site.__dict__, "city": site.name})
    return site


def _ink_on(colour: str) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#1B1F23" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#FFFFFF"
