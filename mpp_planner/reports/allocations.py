"""The agency allocation list (daftar alokasi loket): which agency serves at which counters, on
which weekdays, with staff, services and counter area; grouped by tier.

CSV (UTF-8, one row per agency), XLSX (formatted, subtotals per tier, a tier summary and notes)
and a signed PDF on A4 or F4 (``paper``: the project's unless chosen) with a plan of each floor
coloured by agency and hatched by tier. Every (counter, agency) assignment appears exactly once in
the table of each format: in the counters cell of its agency, with its weekdays in brackets when
the agency's counters do not all have the same days.

Totals add up on the page: a counter several agencies share is listed on each of their rows,
marked :data:`SHARED_MARK`, and counted once in every total — a "less: listed more than once"
row between the rows and their total says by how many (see :func:`counted_more_than_once`).
The area is the counter *desk's* footprint (width × depth), split between the agencies sharing it.

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
from mpp_planner.model.allocation import Allocation, AgencyLine, TierLine, days_text, load_allocation
from mpp_planner.model.paper import clean_paper
from mpp_planner.reports.output import date_option, iso_date

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
#: follows the label of a counter more than one agency serves; the note under the tables explains it
SHARED_MARK = "*"
SHARED_NOTE_ID = f"{SHARED_MARK} Loket dipakai bersama oleh lebih dari satu instansi; dihitung satu kali dalam jumlah."
LESS_SHARED_ID = f"Dikurangi: loket bersama{SHARED_MARK} yang terhitung lebih dari sekali"
LESS_SHARED_TIERS_ID = f"Dikurangi: loket bersama{SHARED_MARK} antartingkat yang terhitung lebih dari sekali"
UNALLOCATED_ID = "Loket belum dialokasikan"


def days_id(mask: int) -> str:
    return days_text(mask, DAYS_ID, WORKWEEK_ID) if mask else "–"


def days_ui(mask: int) -> str:
    return days_text(mask, [_(n) for n in WEEKDAY_SHORT], _("Mon–Fri")) if mask else ""


def tier_ui(tier: str) -> str:
    try:
        return Tier(tier).label
    except ValueError:
        return tier


def paper_option(text: str) -> str:
    """argparse ``type`` for ``--paper``: the model's check, its reason as the error."""
    import argparse

    from mpp_planner.model import ValidationError

    try:
        return clean_paper(text)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def decree_date_option(text: str) -> date:
    """argparse ``type`` for ``--decree-date YYYY-MM-DD``."""
    import argparse

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("--decree-date must look like 2024-01-31 (got '{value}').").format(value=text)) from None


def add_arguments(parser) -> None:
    parser.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD",
                        help=_("date written above the signature (default: today)"))
    parser.add_argument("--paper", type=paper_option, metavar="A4|F4",
                        help=_("paper of the PDF and of the spreadsheet's page setup (default: the project's)"))
    parser.add_argument("--decree-title", metavar="TEXT",
                        help=_("the decree or letter the list is attached to, e.g. \"Keputusan Kepala DPMPTSP Kota "
                               "Probolinggo\" (default: the project's)"))
    parser.add_argument("--decree-number", "--reference", dest="decree_number", metavar="TEXT",
                        help=_("its number, printed as \"Lampiran … Nomor … Tanggal …\" at the top (default: the "
                               "project's; none: no attachment line)"))
    parser.add_argument("--decree-date", type=decree_date_option, metavar="YYYY-MM-DD",
                        help=_("its date (default: the project's)"))


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
class Attachment:
    """The decree or letter the list is attached to: "Lampiran <title> Nomor : … Tanggal : …"."""

    title: str = ""
    number: str = ""
    dated: date | None = None


@dataclass
class Occupant:
    """One agency serving at a counter, as the plan draws it: colour, tier (the hatching), name."""

    colour: str
    tier: str
    short_name: str


@dataclass
class CounterShape:
    label: str
    x: int
    y: int
    width: int
    depth: int
    rotation: float
    occupants: list[Occupant]  # one per agency serving here, in schedule order; empty: not allocated


@dataclass
class LegendEntry:
    colour: str
    tier: str
    short_name: str
    counters: list[str]  # its counters' labels on this floor


@dataclass
class FloorPlan:
    name: str
    rooms: list[tuple[str, list]]  # (name, outline in mm)
    counters: list[CounterShape]
    agencies: list[LegendEntry]  # serving on this floor, by short name

    @property
    def unallocated(self) -> list[str]:
        return [c.label for c in self.counters if not c.occupants]


@dataclass
class AllocationReport:
    allocation: Allocation
    site: SiteInfo
    signer: SignerInfo
    when: date
    floors: list[FloorPlan]
    paper: str = "A4"  # A4 or F4: the PDF's page and the spreadsheet's page setup
    attachment: Attachment | None = None  # None: no "Lampiran … Nomor …" block (no number known)


def collect(project, when: date | None = None, *, plans: bool = True, paper: str | None = None,
            decree_title: str | None = None, decree_number: str | None = None,
            decree_date: date | None = None) -> AllocationReport:
    """Everything the documents show, read in a handful of batched queries. ``paper`` and the
    decree's title, number and date default to the project's settings."""
    from sqlalchemy import select

    from mpp_planner.model import Counter, Floor, Room, Signatory

    s = project.session
    allocation = load_allocation(s)
    site = project.site
    info = SiteInfo(site.name, site.city or "", site.government_name or "", site.operator_office or "",
                    site.address or "", list(site.letterhead or []), site.logo)
    head = s.scalar(select(Signatory).where(Signatory.role == "head"))
    signer = SignerInfo(head.title, head.name, head.nip, head.rank) if head else SignerInfo()
    chosen_paper = clean_paper(paper if paper else (site.paper or "A4"))
    number = (site.decree_number if decree_number is None else decree_number).strip()
    attachment = Attachment((site.decree_title if decree_title is None else decree_title).strip(), number,
                            site.decree_date if decree_date is None else decree_date) if number else None
    floors: list[FloorPlan] = []
    if plans:
        rooms: dict[int, list] = {}
        for floor_id, name, outline in s.execute(select(Room.floor_id, Room.name, Room.outline).order_by(Room.id)):
            rooms.setdefault(floor_id, []).append((name, outline))
        shapes: dict[int, list] = {}
        for r in s.execute(select(Counter.id, Counter.floor_id, Counter.label, Counter.x, Counter.y, Counter.width,
                                  Counter.depth, Counter.rotation).order_by(Counter.id)):
            occupants = [Occupant(a.colour, a.tier, a.short_name) for a, _m in allocation.schedule.get(r.id, [])]
            shapes.setdefault(r.floor_id, []).append(
                CounterShape(r.label, r.x, r.y, r.width, r.depth, r.rotation or 0.0, occupants))
        serving: dict[int, dict[int, LegendEntry]] = {}
        for counter in allocation.counters:
            for agency, _m in allocation.schedule.get(counter.id, []):
                entry = serving.setdefault(counter.floor_id, {}).setdefault(
                    agency.id, LegendEntry(agency.colour, agency.tier, agency.short_name, []))
                entry.counters.append(counter.label)
        for fid, name in s.execute(select(Floor.id, Floor.name).order_by(Floor.order, Floor.id)):
            if rooms.get(fid) or shapes.get(fid):
                legend = sorted(serving.get(fid, {}).values(), key=lambda e: e.short_name.casefold())
                floors.append(FloorPlan(name, rooms.get(fid, []), shapes.get(fid, []), legend))
    return AllocationReport(allocation, info, signer, when or date.today(), floors, chosen_paper, attachment)


def export(project, out: Path, fmt: str, args=None) -> None:
    decree_date = getattr(args, "decree_date", None)
    if isinstance(decree_date, str):  # arguments built by hand are held to the command line's rule
        import argparse

        try:
            decree_date = decree_date_option(decree_date)
        except argparse.ArgumentTypeError as exc:
            raise ValueError(str(exc)) from None
    report = collect(project, date_option(args), plans=fmt == "pdf", paper=getattr(args, "paper", None),
                     decree_title=getattr(args, "decree_title", None),
                     decree_number=getattr(args, "decree_number", None), decree_date=decree_date)
    render(report, out, fmt)


def render(report: AllocationReport, out: Path, fmt: str, paper: str | None = None) -> None:
    """Write ``report`` as ``fmt``; ``paper`` (A4/F4) overrides the report's."""
    if fmt == "csv":
        write_csv_file(report, Path(out))
    else:
        {"xlsx": write_xlsx, "pdf": write_pdf}[fmt](report, Path(out), paper)


# --- totals that add up -----------------------------------------------------------------------

def counted_more_than_once(a: Allocation, tier: TierLine | None = None) -> int:
    """How many counters the rows list more than once (shared counters) beyond the total, which
    counts each counter once: within ``tier`` (its rows against its subtotal) or, without one,
    across tiers (the subtotals against the grand total)."""
    if tier is not None:
        return sum(len(line.slots) for line in a.lines_of(tier.tier)) - tier.counters
    return sum(t.counters for t in a.tiers) - a.assigned_counters


def any_shared(a: Allocation) -> bool:
    return any(slot.shared for line in a.agencies for slot in line.slots)


def area_shares(a: Allocation) -> list[Decimal]:
    """Each tier's share of the counter desk area, then the unallocated counters', in tenths of a
    percent (as printed) that add up to exactly 100 % (largest remainders get the rounding)."""
    parts = [t.area_m2 for t in a.tiers] + [a.unassigned_area_m2]
    total = sum(parts, Decimal(0))
    if not total:
        return [Decimal("0.000") for _p in parts]
    raw = [p * 1000 / total for p in parts]
    units = [int(r) for r in raw]  # floor: parts are never negative
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - units[i]), i))
    for i in order[:1000 - sum(units)]:
        units[i] += 1
    return [Decimal(u) / 1000 for u in units]


# --- table rows shared by CSV and XLSX --------------------------------------------------------

def ui_header() -> list[str]:
    return [_("No"), _("Tier"), _("Agency"), _("Short name"), _("Counters"), _("Number of counters"), _("Floor(s)"),
            _("Weekdays"), _("Number of services"), _("Services"), _("Staff"), _("Desk area (m²)")]


def ui_row(report: AllocationReport, n: int, line: AgencyLine, shared_mark: str = "") -> list:
    """A row of the CSV (no mark: data) or of the spreadsheet (shared counters marked)."""
    a = report.allocation
    return [n, tier_ui(line.agency.tier), line.agency.name, line.agency.short_name,
            a.counters_text(line, days_ui, shared_mark), len(line.slots), ", ".join(line.floors),
            days_ui(line.weekdays), line.service_count, "; ".join(line.agency.services), line.staff, line.area_m2]


def write_csv_file(report: AllocationReport, out: Path) -> None:
    from mpp_planner.reports.output import write_csv

    rows = [ui_row(report, n, line) for n, line in enumerate(report.allocation.agencies, start=1)]
    write_csv(out, ui_header(), ([*r[:-1], f"{r[-1]:.2f}"] for r in rows))


def write_xlsx(report: AllocationReport, out: Path, paper: str | None = None) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from mpp_planner.model.paper import paper as paper_named
    from mpp_planner.reports.output import neutralise, write_atomically

    a = report.allocation
    sheet_paper = paper_named(paper or report.paper)
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
    if report.attachment is not None:  # "Attachment to … Number: … Date: …" at the top right
        for row, text in enumerate(attachment_lines_ui(report.attachment), start=1):
            ws.cell(row, 10, neutralise(text)).alignment = Alignment(wrap_text=True, vertical="top")
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
            ws.append([neutralise(v) for v in ui_row(report, n, line, SHARED_MARK)])
            style_row(ws.max_row)
            ws.row_dimensions[ws.max_row].outline_level = 1
        less = counted_more_than_once(a, tier)
        if less:
            ws.append(["", tier_ui(tier.tier), less_shared_ui(), "", "", -less, "", "", "", "", "", ""])
            style_row(ws.max_row)
            ws.row_dimensions[ws.max_row].outline_level = 1
        ws.append(["", tier_ui(tier.tier), _("Subtotal {tier}").format(tier=tier_ui(tier.tier)), "", "",
                   tier.counters, "", "", tier.services, "", tier.staff, tier.area_m2])
        style_row(ws.max_row, sub_fill, bold)
    less = counted_more_than_once(a)
    if less:
        ws.append(["", "", less_shared_tiers_ui(), "", "", -less, "", "", "", "", "", ""])
        style_row(ws.max_row)
    ws.append(["", "", _("Total"), "", "", a.assigned_counters, "", "", a.total_services, "", a.total_staff,
               sum((t.area_m2 for t in a.tiers), Decimal("0.00"))])
    style_row(ws.max_row, total_fill, bold)
    last = ws.max_row
    for text in table_notes_ui(a):  # directly under the table, on the page that shows the marks
        ws.append([text])
        ws.cell(ws.max_row, 1).font = Font(italic=True, size=9)
    widths = [5, 22, 44, 16, 30, 11, 14, 16, 11, 50, 8, 11]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = ws.cell(head_row + 1, 1)
    ws.auto_filter.ref = f"A{head_row}:{get_column_letter(len(header))}{last}"
    ws.print_title_rows = f"{head_row}:{head_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = sheet_paper.xlsx_index
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.sheet_properties.outlinePr.summaryBelow = True

    # per tier
    wt = wb.create_sheet(_("Per tier")[:31])
    theader = [_("Tier"), _("Agencies"), _("Agencies with a counter"), _("Counters"), _("Services"), _("Staff"),
               _("Desk area (m²)"), _("Share of desk area")]
    wt.append(theader)
    for cell in wt[1]:
        cell.font = bold
        cell.fill = head_fill
        cell.border = box
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    shares = area_shares(a)
    for t, share in zip(a.tiers, shares):
        wt.append([tier_ui(t.tier), t.agencies, t.agencies_with_counter, t.counters, t.services, t.staff, t.area_m2,
                   share])
    wt.append([_("Counters not yet allocated"), "", "", len(a.unassigned), "", "", a.unassigned_area_m2, shares[-1]])
    less = counted_more_than_once(a)
    if less:
        wt.append([less_shared_tiers_ui(), "", "", -less, "", "", "", ""])
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
    if less:
        wt.append([])
        wt.append([shared_note_ui()])
        wt.cell(wt.max_row, 1).font = Font(italic=True, size=9)

    # notes and warnings
    wn = wb.create_sheet(_("Notes")[:31])
    wn.column_dimensions["A"].width = 34
    wn.column_dimensions["B"].width = 100
    for title, text in notes_ui(a):
        wn.append([title, text])
        wn.cell(wn.max_row, 1).font = bold
        wn.cell(wn.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
        wn.cell(wn.max_row, 1).alignment = Alignment(vertical="top")
    for sheet, orientation in ((wt, "portrait"), (wn, "landscape")):
        sheet.page_setup.orientation = orientation
        sheet.page_setup.paperSize = sheet_paper.xlsx_index
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True

    write_atomically(out, lambda tmp: wb.save(tmp))


def attachment_lines_ui(att: Attachment) -> list[str]:
    lines = [_("Attachment to")]
    if att.title:
        lines.append(att.title)
    lines.append(_("Number: {number}").format(number=att.number))
    lines.append(_("Date: {date}").format(date=long_date(att.dated) if att.dated else "…"))
    return lines


def less_shared_ui() -> str:
    return _("Less: shared counters{mark} listed more than once").format(mark=SHARED_MARK)


def less_shared_tiers_ui() -> str:
    return _("Less: shared counters{mark} listed in more than one tier").format(mark=SHARED_MARK)


def shared_note_ui() -> str:
    return _("{mark} Counter shared by more than one agency; counted once in the totals.").format(mark=SHARED_MARK)


def table_notes_ui(a: Allocation) -> list[str]:
    """The notes printed directly under the spreadsheet's table."""
    notes = [shared_note_ui()] if any_shared(a) else []
    return notes + [desk_area_note_ui()]


def desk_area_note_ui() -> str:
    return _("Desk area: the footprint of the counter desk (width × depth), not the area allotted to the agency.")


def notes_ui(a: Allocation) -> list[tuple[str, str]]:
    notes = [
        (_("Counters not yet allocated"), ", ".join(a.counter_name(c) for c in a.unassigned) or _("none")),
        (_("Agencies without a counter yet"), ", ".join(x.short_name for x in a.idle_agencies) or _("none")),
        (_("Double bookings"), "; ".join(
            _("{counter} on {days}: {agencies}").format(counter=a.counter_name(d.counter), days=days_ui(d.weekdays),
                                                       agencies=", ".join(x.short_name for x in d.agencies))
            for d in a.double_bookings) or _("none")),
        (_("Desk area"), desk_area_note_ui() + " " + _(
            "A counter shared on different weekdays is split between its agencies by the days each serves; on a "
            "double-booked day the agencies split that day.")),
        (_("Counters and staff"), shared_note_ui() + " " + _(
            "A \"less\" row before a subtotal or the total takes off the shared counters listed more than once, so "
            "the rows add up to it. An agency's staff are the staff of every counter it serves (a shared counter "
            "has other officers on other days).")),
    ]
    return notes


# --- PDF -------------------------------------------------------------------------------------

def _id_number(value, decimals=0) -> str:
    return fmt_number(value, decimals, lang="id")


def write_pdf(report: AllocationReport, out: Path, paper: str | None = None) -> None:
    """The signed landscape sheet on ``paper`` (default the report's) with the plan appendix (see
    :mod:`allocations_pdf`)."""
    from mpp_planner.reports.allocations_pdf import write_pdf as write

    write(report, out, paper)


def attachment_lines_id(att: Attachment) -> list[tuple[str, str]]:
    """The "Lampiran" block of the PDF: (label, text) lines; an empty label: a line of its own."""
    lines = [("", "Lampiran")]
    if att.title:
        lines.append(("", att.title))
    lines.append(("Nomor", att.number))
    lines.append(("Tanggal", long_date(att.dated, lang="id") if att.dated else "…………………………"))
    return lines


def _site_like(site: SiteInfo):
    """pdf.place_and_date wants an object with ``city``; our site info has one."""
    if not site.city:
        site = SiteInfo(**{**site.__dict__, "city": site.name})
    return site

