"""The budget request sheet (*Usulan Kebutuhan Sarana dan Prasarana ... Tahun Anggaran N*)
of one fiscal year, as a signed PDF (RKA-style table), a spreadsheet with live formulas, or CSV.

The request holds every line of the year that is not rejected (rejected lines stay in the
project but are not requested, so they are neither printed nor counted). Lines are grouped
along the account-code hierarchy with a subtotal on every account row; the grand total is
also written in words (*terbilang*). Money follows ``model.money``: each line rounded to
the sen, totals are exact sums. Fixed labels are Indonesian whatever the UI language.

``mpp-planner export budget FILE --year 2024 -o OUT.pdf|.xlsx|.csv``; ``--form rka`` gives the RKA
rincian belanja form instead (``budget_rka``), ``--form sipd`` the rincian in SIPD's fields (``budget_sipd``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mpp_planner.formats import long_date, nip as fmt_nip, number, rupiah
from mpp_planner.i18n import N_, _
from mpp_planner.model import AccountCode, BudgetLine, BudgetStatus, Signatory
from mpp_planner.model.budget_input import format_title
from mpp_planner.model.budget_summary import SheetRow, flatten, group_by_account, is_requested
from mpp_planner.model.money import total
from mpp_planner.model.paper import paper as paper_named
from mpp_planner.reports.output import (add_paper_argument, date_option, fiscal_year, iso_date, neutralise,
                                        paper_option, write_atomically, write_csv)
from mpp_planner.reports.terbilang import terbilang

FORMATS = ("pdf", "xlsx", "csv")
FORMS = ("usulan", "rka", "sipd")  # the request sheet, the RKA rincian belanja, the SIPD rincian
HELP = N_("budget request sheet of one fiscal year (PDF, XLSX with formulas, CSV)")

STATUS_ID = {BudgetStatus.REQUESTED.value: "Diusulkan", BudgetStatus.APPROVED.value: "Disetujui",
             BudgetStatus.REJECTED.value: "Ditolak"}
HEADERS = ("No", "Kode Rekening", "Uraian", "Lokasi", "Koefisien", "Satuan", "Harga (Rp)", "PPN (Rp)", "Jumlah (Rp)")


def add_arguments(parser) -> None:
    parser.add_argument("--year", type=fiscal_year, metavar="YEAR",
                        help=_("fiscal year (default: the project's fiscal year)"))
    parser.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD",
                        help=_("date printed above the proposer's signature (default: today)"))
    parser.add_argument("--form", choices=FORMS, default="usulan",
                        help=_("usulan: the request sheet (default); rka: the RKA rincian belanja form, one "
                               "section per sub kegiatan; sipd: the rincian in SIPD's fields (.xlsx or .csv)"))
    add_paper_argument(parser)
    parser.add_argument("--sub-kegiatan", dest="sub_activity", metavar="CODE",
                        help=_("only this sub kegiatan, e.g. 2.18.01.2.07.0006 (rka and sipd forms; default: all "
                               "of the year)"))


def export(project, out: Path, fmt: str, args) -> None:
    year = getattr(args, "year", None) or project.site.fiscal_year
    write(project, out, fmt, year=year, sign_date=date_option(args), form=getattr(args, "form", None) or "usulan",
          sub_activity=getattr(args, "sub_activity", None), paper=paper_option(args, project))


def warnings(project, args) -> list[str]:
    """What the command line says before writing: a signed form dated outside its preparation period."""
    if (getattr(args, "form", None) or "usulan") == "sipd":
        return []
    year = getattr(args, "year", None) or project.site.fiscal_year
    problem = sign_date_problem(year, date_option(args) or date.today())
    return [problem] if problem else []


def sign_date_problem(year: int, sign_date: date) -> str | None:
    """The request for fiscal year N is prepared and signed in year N-1: a date outside it is told (the
    sheet is still made — a revised budget may be signed later — but never silently with today's date)."""
    if sign_date.year == year - 1:
        return None
    return _("The sheet of fiscal year {year} is dated {date}, outside its preparation period (the year {prev}); "
             "give the signing date (--date YYYY-MM-DD).").format(
                 year=year, date=long_date(sign_date), prev=year - 1)


def _check_form(form: str, fmt: str, sub_activity: str | None) -> None:
    if form not in FORMS:
        raise ValueError(_("Unknown form '{form}'; use {forms}.").format(form=form, forms=", ".join(FORMS)))
    if form == "sipd" and fmt == "pdf":
        raise ValueError(_("The SIPD form is a data file: use .xlsx or .csv."))
    if form == "usulan" and sub_activity:
        raise ValueError(_("The usulan sheet covers the whole year; choose the rka or sipd form for one "
                           "sub kegiatan."))


def write(project, out, fmt: str, *, year: int, sign_date: date | None = None, form: str = "usulan",
          sub_activity: str | None = None, paper: str | None = None) -> Path:
    """Write the ``form`` of ``year`` to ``out`` (all or nothing): the usulan sheet (this module), the RKA
    rincian belanja (``budget_rka``) or the SIPD rincian (``budget_sipd``); ``sub_activity``: one sub
    kegiatan's code (rka, sipd) or None for all of the year."""
    _check_form(form, fmt, sub_activity)
    if form == "rka":
        from mpp_planner.reports import budget_rka

        return budget_rka.write(project, out, fmt, year=year, sign_date=sign_date, sub_activity=sub_activity,
                                paper=paper)
    if form == "sipd":
        from mpp_planner.reports import budget_sipd

        return budget_sipd.write(project, out, fmt, year=year, sub_activity=sub_activity)
    sheet = collect(project, year, sign_date, paper)
    if fmt == "pdf":
        return write_atomically(out, lambda tmp: build_pdf(sheet, tmp))
    if fmt == "xlsx":
        return write_atomically(out, lambda tmp: build_xlsx(sheet, tmp))
    if fmt == "csv":
        return write_csv(out, CSV_HEADER, csv_rows(sheet))
    raise ValueError(_("Unknown format '{fmt}'.").format(fmt=fmt))


# --- the data of one sheet ----------------------------------------------------------------

@dataclass
class BudgetSheet:
    site: object
    year: int
    title: str
    rows: list[SheetRow]  # accounts and lines in print order
    lines: list  # the lines in the request (not rejected), in print order
    total: Decimal
    words: str
    head: object | None  # Signatory "head" (Mengetahui, Kepala Dinas)
    proposer: object | None  # Signatory "proposer"
    sign_date: date
    with_sen: bool  # some amount has sen: print every amount with two decimals
    paper: str = "A4"  # A4 or F4 (model.paper)

    def money(self, value: Decimal) -> str:
        return rupiah(value, cents=self.with_sen, symbol=False, lang="id")

    @property
    def place_and_date(self) -> str:
        city = self.site.city or ""
        return f"{city}, {long_date(self.sign_date, lang='id')}" if city else long_date(self.sign_date, lang="id")


def collect(project, year: int, sign_date: date | None = None, paper: str | None = None) -> BudgetSheet:
    """Everything the sheet shows, read in a few batched queries."""
    s = project.session
    all_lines = s.scalars(select(BudgetLine).where(BudgetLine.fiscal_year == year)
                          .options(selectinload(BudgetLine.room))
                          .order_by(BudgetLine.position, BudgetLine.id)).all()
    lines = [b for b in all_lines if is_requested(b)]
    if not lines:
        raise ValueError(_("There are no budget lines to request in {year}.").format(year=year))
    names = dict(s.execute(select(AccountCode.code, AccountCode.name)).all())
    rows = flatten(group_by_account(lines, names, include_rejected=False))
    signers = {sig.role: sig for sig in s.scalars(select(Signatory).where(Signatory.role.in_(("head", "proposer"))))}
    grand = total(b.amount for b in lines)
    site = project.site
    printed = [r.line for r in rows if r.kind == "line"]
    with_sen = any(v != v.to_integral_value() for b in lines for v in (b.unit_price, b.ppn_amount, b.amount))
    return BudgetSheet(site=site, year=year, title=format_title(site.budget_title, site.name, year), rows=rows,
                       lines=printed, total=grand, words=terbilang(grand), head=signers.get("head"),
                       proposer=signers.get("proposer"), sign_date=sign_date or date.today(), with_sen=with_sen,
                       paper=paper_named(paper or site.paper).name)


def quantity_text(value: Decimal) -> str:
    return number(value, 0, lang="id") if value == value.to_integral_value() else \
        number(value, 2, lang="id").rstrip("0").rstrip(",")


def ppn_cell(sheet: BudgetSheet, line) -> str:
    return sheet.money(line.ppn_amount) if line.ppn_applied else "-"


# --- PDF ----------------------------------------------------------------------------------

def build_pdf(sheet: BudgetSheet, target, *, canvasmaker=None):
    """Write the PDF to ``target`` (path or file object); returns the doc (its canvas holds the
    recorded pages when ``canvasmaker`` is :class:`reports.recording.RecordingCanvas`)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    from mpp_planner.reports import pdf
    from mpp_planner.reports.budget_pdf import BudgetSheetDoc, RkaTable, rka_rows

    if isinstance(target, Path):
        target = str(target)
    doc = BudgetSheetDoc(target, orientation="landscape", title=sheet.title, pagesize=paper_named(sheet.paper).points,
                         footer_left=f"Usulan Kebutuhan Sarana dan Prasarana · {sheet.site.name} · TA {sheet.year}",
                         margins_mm=(15, 15, 14, 18))
    width = doc.body_width
    xs, header, rows = rka_rows(sheet, width, doc.height)

    def story():
        flow = list(pdf.letterhead(sheet.site, width))
        flow.append(pdf.P(pdf.esc(sheet.title), "title"))
        flow.append(Spacer(1, 3 * mm))
        closing = [Spacer(1, 3 * mm),
                   pdf.P("Terbilang: <i>" + pdf.esc(sheet.words) + "</i>", "body"),
                   Spacer(1, 6 * mm),
                   pdf.signature_block([pdf.signer_from(sheet.head, "Mengetahui,"),
                                        pdf.signer_from(sheet.proposer, sheet.place_and_date)], width)]
        flow.append(RkaTable(xs, header, rows, closing))
        return flow

    doc.build_story(story, canvasmaker)
    return doc


def recorded_pages(project, year: int, sign_date: date | None = None, form: str = "usulan",
                   sub_activity: str | None = None, paper: str | None = None):
    """The sheet's pages as drawing operators (for printing from the GUI) — the same PDF; ``form``
    "rka" gives the RKA rincian belanja (of one sub kegiatan, or all of the year)."""
    from io import BytesIO

    _check_form(form, "pdf", sub_activity)
    if form == "rka":
        from mpp_planner.reports import budget_rka

        return budget_rka.recorded_pages(project, year, sign_date, sub_activity, paper)
    from mpp_planner.reports.recording import RecordingCanvas

    doc = build_pdf(collect(project, year, sign_date, paper), BytesIO(), canvasmaker=RecordingCanvas)
    return doc.canv.recorded


# --- XLSX ---------------------------------------------------------------------------------

XLSX_HEADER = ("No", "Kode Rekening", "Uraian", "Spesifikasi", "Lokasi", "Koefisien", "Volume", "Satuan",
               "Harga (Rp)", "PPN (%)", "PPN (Rp)", "Jumlah (Rp)", "Prioritas", "Status", "Keterangan")
# widths in characters of the default font, for 9 pt text: about 176 together, so fit-to-width
# prints A4 landscape at about 80 % (F4 about 90 %); the long text columns wrap
XLSX_WIDTHS = (4, 14, 20, 22, 11, 10, 7, 7, 11, 5, 10, 12, 8, 8, 20)
# (0-based column, 9 pt characters one line holds) of the wrapping columns, for the row heights
XLSX_WRAP = ((2, 25), (3, 28), (4, 13), (5, 12), (14, 26))
HEADER_ROW = 4


def build_xlsx(sheet: BudgetSheet, target) -> None:
    """A workbook finance staff can go on with: Jumlah = ROUND(Volume x Harga) + PPN,
    account subtotals and the total as SUBTOTAL(9, ...) formulas (nested subtotals are not
    counted twice), thousands grouped in the reader's locale; the model's amounts are the formulas'
    cached results. Set up to print: A4 landscape, fit to width, the column headings on every page,
    page numbers in the footer, 9 pt text that wraps in the long columns. Streamed row by row
    (``xlsx_page.XlsxBook``)."""
    from mpp_planner.jobs import checkpoint
    from mpp_planner.reports.xlsx_page import FONT_SIZE, LINE_PT, Formula, XlsxBook, wrapped_lines

    with XlsxBook(target, title=sheet.title, creator="MPP Planner") as book:
        money_fmt = "#,##0.00" if sheet.with_sen else "#,##0"
        font = {"font_size": FONT_SIZE}
        bold = {"font_size": FONT_SIZE, "bold": True}
        border = {"border": 1, "border_color": "#888888"}
        head_fill, acct_fill = {"bg_color": "#E4E9F0"}, {"bg_color": "#F3F5F8"}
        head = book.style(**bold, **head_fill, **border, align="center", valign="vcenter", text_wrap=True)
        # line rows carry no border (on paper the printed grid draws it); the long text columns (Uraian,
        # Spesifikasi, Lokasi, Koefisien, Keterangan) wrap
        text = book.style(**font, valign="top", text_wrap=True)
        number = book.style(**font, valign="top")
        money = book.style(**font, valign="top", num_format=money_fmt)
        account = book.style(**bold, **acct_fill, **border, valign="top")
        account_text = book.style(**bold, **acct_fill, **border, valign="top", text_wrap=True)
        account_money = book.style(**bold, **acct_fill, **border, valign="top", num_format=money_fmt)
        total_style = book.style(**bold, **head_fill, **border)
        total_money = book.style(**bold, **head_fill, **border, num_format=money_fmt)
        line_styles = [number, number, text, text, text, text, number, number, money, number, money, money, number,
                       number, text]
        account_styles = [account, account, account_text] + [account] * 8 + [account_money] + [account] * 3
        total_styles = [total_style] * 11 + [total_money] + [total_style] * 3

        ws = book.sheet(f"Usulan {sheet.year}", XLSX_WIDTHS, titles=(HEADER_ROW - 1, HEADER_ROW - 1),
                        paper=paper_named(sheet.paper).xlsx_index, freeze=HEADER_ROW, grid=True)
        ws.cell(0, 0, neutralise(sheet.title) or None, book.style(bold=True, font_size=12))
        office = " · ".join(x for x in (sheet.site.government_name, sheet.site.operator_office) if x)
        ws.cell(1, 0, neutralise(office) or None, book.style(font_size=FONT_SIZE + 1))
        ws.height(HEADER_ROW - 1, 27)  # two lines of bold 9 pt headings
        ws.row(HEADER_ROW - 1, XLSX_HEADER, head)

        first = HEADER_ROW + 1  # spreadsheet rows count from 1 in the formulas
        spans = _row_spans(sheet.rows, first)
        count = len(sheet.rows)
        for i, row in enumerate(sheet.rows):
            r = first + i
            if i % 500 == 0:
                checkpoint(i, count, _("Writing the budget request…"))
            if row.node is not None:  # an account row
                node = row.node
                values = [None, node.code, neutralise(node.name)] + [None] * 8 + \
                    [Formula(f"SUBTOTAL(9,L{r + 1}:L{spans[id(node)]})", node.requested)] + [None] * 3
                styles = account_styles
            else:
                b = row.line
                ppn = b.ppn_amount
                values = [row.number, b.account_code, neutralise(b.description), neutralise(b.specification),
                          neutralise(b.room.name if b.room else ""), neutralise(b.coefficient_text), b.coefficient,
                          neutralise(b.unit), b.unit_price, b.ppn_rate if b.ppn_applied else Decimal(0),
                          Formula(f"ROUND(ROUND(G{r}*I{r},2)*J{r}/100,2)", ppn),
                          Formula(f"ROUND(G{r}*I{r},2)+K{r}", b.base_amount + ppn), b.priority,
                          STATUS_ID.get(b.status, b.status), neutralise(b.justification)]
                styles = line_styles
            # row heights for the wrapped text (not every program fits rows to their text)
            lines = 1
            for c, chars in XLSX_WRAP:
                value = values[c]
                if value and len(value) > chars:
                    lines = max(lines, wrapped_lines(value, chars))
            if lines > 1:
                ws.height(r - 1, LINE_PT * lines + 3)
            ws.row(r - 1, [None if v == "" else v for v in values], styles)
        total_row = first + count
        ws.row(total_row - 1, [None, None, "JUMLAH TOTAL"] + [None] * 8
               + [Formula(f"SUBTOTAL(9,L{first}:L{total_row - 1})", sheet.total)] + [None] * 3, total_styles)
        ws.cell(total_row + 1, 2, neutralise("Terbilang: " + sheet.words), book.style(italic=True,
                                                                                      font_size=FONT_SIZE + 1))
        ws.cell(total_row + 2, 2, "Jumlah = ROUND(Volume × Harga) + PPN; "
                                  "PPN = ROUND(ROUND(Volume × Harga) × PPN (%) / 100).",
                book.style(font_size=FONT_SIZE, font_color="#555555"))
        r = total_row + 4
        signers = ((2, "Mengetahui,", sheet.head), (11, sheet.place_and_date, sheet.proposer))
        signed = book.style(bold=True, underline=1)
        for col, heading, _signer in signers:
            ws.cell(r, col, neutralise(heading) or None)
        for col, _heading, signer in signers:
            ws.cell(r + 1, col, neutralise(signer.title if signer else "") or None)
        for col, _heading, signer in signers:
            ws.cell(r + 5, col, neutralise(signer.name if signer else "") or None, signed)
        for col, _heading, signer in signers:
            ws.cell(r + 6, col, "NIP. " + (fmt_nip(signer.nip) if signer and signer.nip else ""))


def _row_spans(rows: list[SheetRow], first: int) -> dict[int, int]:
    """id(account node) -> the spreadsheet row of the last row below it."""
    ends: dict[int, int] = {}
    stack: list[tuple[int, object]] = []  # (depth, node)
    for i, row in enumerate(rows):
        r = first + i
        if row.kind == "account":
            while stack and stack[-1][0] >= row.depth:
                stack.pop()
            stack.append((row.depth, row.node))
        for _depth, node in stack:
            ends[id(node)] = r
    return ends


# --- CSV ----------------------------------------------------------------------------------

CSV_HEADER = ("No", "Kode Rekening", "Nama Rekening", "Uraian", "Spesifikasi", "Lokasi", "Koefisien", "Volume",
              "Satuan", "Harga (Rp)", "PPN (%)", "PPN (Rp)", "Jumlah (Rp)", "Prioritas", "Status",
              "Disetujui (Rp)", "Keterangan")


def csv_rows(sheet: BudgetSheet):
    """One row per requested line (plain numbers with a decimal point, for other programs)."""
    names = {}
    for row in sheet.rows:
        if row.kind == "account":
            names[row.node.code] = row.node.name
    for row in sheet.rows:
        if row.kind != "line":
            continue
        b = row.line
        approved = "" if b.status != BudgetStatus.APPROVED.value else str(
            b.approved_amount if b.approved_amount is not None else b.amount)
        yield [row.number, b.account_code, names.get(b.account_code, ""), b.description, b.specification,
               b.room.name if b.room else "", b.coefficient_text, format(b.coefficient.normalize(), "f"), b.unit,
               str(b.unit_price), str(b.ppn_rate if b.ppn_applied else Decimal("0.00")), str(b.ppn_amount),
               str(b.amount), b.priority, STATUS_ID.get(b.status, b.status), approved, b.justification]
