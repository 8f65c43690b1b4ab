"""The RKA-SKPD *Rincian Belanja Sub Kegiatan* form (MPP_REFERENCE §7): one section per sub kegiatan of
a fiscal year, in SIPD's layout, as a signed PDF, a spreadsheet with live formulas, or CSV.

Each section: the letterhead and title, the context block (urusan, bidang urusan, program, kegiatan,
organisasi, unit, sub kegiatan, sumber pendanaan, lokasi, waktu pelaksanaan, keluaran, alokasi n-1 / n /
n+1), then the table down the account hierarchy from the top (5 BELANJA DAERAH, 5.1 / 5.2, jenis, objek,
rincian objek, sub rincian objek: every level of every code, each with the official name from the
account list and the subtotal of all lines below), a group row per room ("[#] Ruang Laktasi", SIPD's
subs_bl_teks), the item rows, "Jumlah Anggaran Sub Kegiatan", and the signature of the head of the SKPD.
The same lines as the usulan sheet (rejected ones left out), the same money rule (``model.money``).
Fixed labels are Indonesian whatever the UI language.

``mpp-planner export budget FILE --year 2024 --form rka [--sub-kegiatan CODE] -o OUT.pdf|.xlsx|.csv``
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mpp_planner.formats import long_date, nip as fmt_nip, rupiah
from mpp_planner.i18n import _
from mpp_planner.model import AccountCode, BudgetLine, Signatory, SubActivity
from mpp_planner.model.budget_summary import code_key, is_requested
from mpp_planner.model.money import ZERO, total
from mpp_planner.model.nomenclature import parent_codes
from mpp_planner.model.paper import paper as paper_named
from mpp_planner.reports.output import write_atomically, write_csv

FORMATS = ("pdf", "xlsx", "csv")
TITLE = ("RENCANA KERJA DAN ANGGARAN SATUAN KERJA PERANGKAT DAERAH", "RINCIAN BELANJA SUB KEGIATAN")
HEADERS = ("Kode Rekening", "Uraian", "Koefisien", "Satuan", "Harga (Rp)", "PPN (Rp)", "Jumlah (Rp)")
TOTAL_LABEL = "Jumlah Anggaran Sub Kegiatan"


def write(project, out, fmt: str, *, year: int, sign_date: date | None = None, sub_activity: str | None = None,
          paper: str | None = None) -> Path:
    """Write the form of ``year`` (every sub kegiatan with lines, or the one coded ``sub_activity``) to
    ``out`` (all or nothing). ``paper``: "A4" or "F4" (default: the project's paper)."""
    form = collect(project, year, sign_date, sub_activity, paper)
    if fmt == "pdf":
        return write_atomically(out, lambda tmp: build_pdf(form, tmp))
    if fmt == "xlsx":
        from mpp_planner.reports.budget_rka_xlsx import build_xlsx

        return write_atomically(out, lambda tmp: build_xlsx(form, tmp))
    if fmt == "csv":
        return write_csv(out, CSV_HEADER, csv_rows(form))
    raise ValueError(_("Unknown format '{fmt}'.").format(fmt=fmt))


def recorded_pages(project, year: int, sign_date: date | None = None, sub_activity: str | None = None,
                   paper: str | None = None):
    """The form's pages as drawing operators (for printing from the GUI) — the same PDF."""
    from io import BytesIO

    from mpp_planner.reports.recording import RecordingCanvas

    doc = build_pdf(collect(project, year, sign_date, sub_activity, paper), BytesIO(), canvasmaker=RecordingCanvas)
    return doc.canv.recorded


# --- the data of the form -------------------------------------------------------------------

@dataclass
class RkaRow:
    """One printed row: an account (every level of the code), a room group, or an item (``line``)."""

    kind: str  # "account" | "group" | "line"
    depth: int  # accounts: 0 for "5" .. 5 for a sub rincian objek; groups and items sit below their account
    code: str = ""  # accounts only
    name: str = ""  # the account's official name ("" when not in the list) or the group heading
    amount: Decimal = ZERO  # the line's amount, or the exact sum of every line below
    line: Any = None
    last: int = 0  # accounts and groups: index of the last row below them


@dataclass
class RkaSection:
    sub: SubActivity
    rows: list[RkaRow]
    total: Decimal

    @property
    def lines(self) -> list:
        return [r.line for r in self.rows if r.kind == "line"]

    def context(self, money) -> list[tuple[str, str, Decimal | None]]:
        """The block above the table: (label, value, the amount an Alokasi row prints); ``money`` prints
        an amount."""
        sub, codes, year = self.sub, parent_codes(self.sub.code), self.sub.fiscal_year

        def coded(code: str, name: str) -> str:
            return f"{code} {name}".strip()

        def allocation(label: str, value: Decimal | None) -> tuple[str, str, Decimal | None]:
            return label, "-" if value is None else money(value), value

        output = "\n".join(x for x in (f"Tolok Ukur: {sub.output_indicator}" if sub.output_indicator else "",
                                       f"Target: {sub.output_target}" if sub.output_target else "") if x)
        texts = [("Urusan Pemerintahan", coded(codes["affair"], sub.affair)),
                 ("Bidang Urusan", coded(codes["affair_field"], sub.affair_field)),
                 ("Program", coded(codes["program"], sub.program)),
                 ("Kegiatan", coded(codes["activity"], sub.activity)),
                 ("Organisasi", sub.organisation), ("Unit", sub.unit),
                 ("Sub Kegiatan", coded(sub.code, sub.name)),
                 ("Sumber Pendanaan", sub.funding_source), ("Lokasi", sub.location),
                 ("Waktu Pelaksanaan", sub.schedule), ("Keluaran Sub Kegiatan", output)]
        return [(label, value or "-", None) for label, value in texts] + [
            allocation(f"Alokasi Tahun {year - 1}", sub.allocation_prev),
            allocation(f"Alokasi Tahun {year}", self.total),
            allocation(f"Alokasi Tahun {year + 1}", sub.allocation_next)]


@dataclass
class RkaForm:
    site: Any
    year: int
    sections: list[RkaSection]
    head: Signatory | None  # "head": the head of the SKPD signs the RKA
    sign_date: date
    with_sen: bool  # some amount has sen: print every amount with two decimals
    paper: str = "A4"

    def money(self, value: Decimal) -> str:
        return rupiah(value, cents=self.with_sen, symbol=False, lang="id")

    def rupiah_text(self, value: Decimal) -> str:
        return rupiah(value, cents=self.with_sen, lang="id")

    @property
    def place_and_date(self) -> str:
        when = long_date(self.sign_date, lang="id")
        return f"{self.site.city}, {when}" if self.site.city else when


def collect(project, year: int, sign_date: date | None = None, sub_activity: str | None = None,
            paper: str | None = None) -> RkaForm:
    """Everything the form shows, read in a few batched queries. Refused (ValueError) when the year, or
    the chosen sub kegiatan, has no line to request, or the sub kegiatan is not in the year."""
    s = project.session
    query = select(SubActivity).where(SubActivity.fiscal_year == year)
    code = (sub_activity or "").strip()
    if code:
        query = query.where(SubActivity.code == code)
    subs = s.scalars(query.order_by(SubActivity.position, SubActivity.code)).all()
    if code and not subs:
        raise ValueError(_("There is no sub kegiatan {code} in {year}.").format(code=code, year=year))
    lines_query = select(BudgetLine).where(BudgetLine.fiscal_year == year)
    if code:
        lines_query = lines_query.where(BudgetLine.sub_activity_id == subs[0].id)
    lines = [b for b in s.scalars(lines_query.options(selectinload(BudgetLine.room))
                                  .order_by(BudgetLine.position, BudgetLine.id)) if is_requested(b)]
    if not lines:
        if code:
            raise ValueError(_("The sub kegiatan {code} has no budget lines to request in {year}.").format(
                code=code, year=year))
        raise ValueError(_("There are no budget lines to request in {year}.").format(year=year))
    names = dict(s.execute(select(AccountCode.code, AccountCode.name)).all())
    by_sub: dict[int, list] = {}
    for b in lines:
        by_sub.setdefault(b.sub_activity_id, []).append(b)
    sections = []
    for sub in subs:
        if sub.id in by_sub:
            rows = account_rows(by_sub[sub.id], names)
            sections.append(RkaSection(sub, rows, total(r.amount for r in rows if r.kind == "line")))
    head = s.scalar(select(Signatory).where(Signatory.role == "head"))
    site = project.site
    with_sen = any(not _whole(r.amount) or not _whole(r.line.unit_price) or (r.line.ppn_applied and not _whole(
        r.line.ppn_amount)) for section in sections for r in section.rows if r.kind == "line") or any(
        v is not None and not _whole(v) for section in sections
        for v in (section.sub.allocation_prev, section.sub.allocation_next))
    return RkaForm(site=site, year=year, sections=sections, head=head, sign_date=sign_date or date.today(),
                   with_sen=with_sen, paper=paper_named(paper or getattr(site, "paper", None)).name)


def _whole(value: Decimal) -> bool:
    return value == value.to_integral_value()


def account_rows(lines: list, names: dict[str, str]) -> list[RkaRow]:
    """The rows of one section in print order: each account from the top level down (every prefix of
    the codes used: 5, 5.2, 5.2.02, 5.2.02.05, ...), its own lines (those without a room first, then one
    group per room in order of appearance), then its sub-accounts in code order."""
    amount = {id(b): b.amount for b in lines}  # worked out once: each line counts at every level above it
    amounts: dict[str, Decimal] = {}
    children: dict[str, list[str]] = {}
    own: dict[str, list] = {}
    roots: list[str] = []
    for b in lines:  # in position order
        parts = b.account_code.split(".")
        parent = None
        for n in range(1, len(parts) + 1):
            code = ".".join(parts[:n])
            if code not in amounts:
                amounts[code] = ZERO
                (children.setdefault(parent, []) if parent is not None else roots).append(code)
            amounts[code] += amount[id(b)]
            parent = code
        own.setdefault(b.account_code, []).append(b)
    rows: list[RkaRow] = []

    def close(start: int) -> None:
        rows[start].last = len(rows) - 1

    def visit(code: str) -> None:
        start, depth = len(rows), code.count(".")
        rows.append(RkaRow("account", depth, code, names.get(code, ""), amounts[code]))
        groups: dict[int, list] = {}
        for b in own.get(code, ()):
            if b.room is None:
                rows.append(RkaRow("line", depth + 1, amount=amount[id(b)], line=b))
            else:
                groups.setdefault(b.room_id, []).append(b)
        for members in groups.values():
            at = len(rows)
            rows.append(RkaRow("group", depth + 1, name="[#] " + members[0].room.name,
                               amount=total(amount[id(b)] for b in members)))
            rows.extend(RkaRow("line", depth + 2, amount=amount[id(b)], line=b) for b in members)
            close(at)
        for child in sorted(children.get(code, ()), key=code_key):
            visit(child)
        close(start)

    for root in sorted(roots, key=code_key):
        visit(root)
    return rows


def spec_text(line) -> str:
    return f"Spesifikasi: {line.specification}" if line.specification else ""


# --- PDF ----------------------------------------------------------------------------------

MARGINS_MM = (15, 15, 14, 18)
WIDTHS = (92, 300, 100, 54, 78, 66, 86)  # relative: Kode Rekening ... Jumlah
INDENT = 5.0  # points per account level in the Uraian column
SIZE, SMALL = 8.0, 7.0


def build_pdf(form: RkaForm, target, *, canvasmaker=None):
    """Write the PDF to ``target`` (path or file object); returns the doc (its canvas holds the
    recorded pages when ``canvasmaker`` is :class:`reports.recording.RecordingCanvas`)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Spacer

    from mpp_planner.reports import pdf, pdf_draw as d

    doc = _doc_class()(str(target) if isinstance(target, Path) else target, form)
    width = doc.body_width
    xs = [0.0]
    for w in WIDTHS:
        xs.append(xs[-1] + w * width / sum(WIDTHS))
    style = d.GridStyle(rule_colour=pdf.GRID)

    def story():
        flow: list = []
        for i, section in enumerate(form.sections):
            if i:
                flow.append(PageBreak())
            start = len(flow)
            flow.extend(pdf.letterhead(form.site, width))
            flow[start].rka_section = (i, section.sub.code)  # the doc learns which form its pages belong to
            flow.extend(pdf.P(pdf.esc(t), "title") for t in TITLE)
            flow.append(pdf.P(f"Tahun Anggaran {form.year}", "subtitle"))
            flow.append(_context_block(section.context(form.rupiah_text), width))
            flow.append(Spacer(1, 4 * mm))
            rows = _table_rows(form, section, xs, style)
            flow.append(d.DrawnTable(xs, [_header_row(xs, style)], rows, style, closing=_signature_class()(form, width),
                                     gap=6 * mm, tail_rows=min(3, len(rows)), split_rows_over=doc.height / 3))
        return flow

    doc.build_story(story, canvasmaker)
    return doc


@lru_cache(maxsize=1)
def _doc_class():
    """The document class, made when the first PDF is (it subclasses ReportLab's): a landscape SheetDoc
    on the form's paper whose footer names the sub kegiatan and numbers the pages of each sub kegiatan's
    form on their own ("Halaman 2 dari 3" of that form)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Frame, PageTemplate

    from mpp_planner.reports.pdf import FONT, FOOTER_INK, SheetDoc

    class RkaDoc(SheetDoc):
        def __init__(self, filename, form: RkaForm):
            super().__init__(filename, orientation="landscape", margins_mm=MARGINS_MM,
                             title=f"RKA Rincian Belanja Sub Kegiatan TA {form.year} — {form.site.name}")
            self.form = form
            self.section, self.section_code = 0, ""
            self.sections_of_page: dict[int, int] = {}
            if form.paper != "A4":  # SheetDoc lays out A4: the same frame on the form's paper
                self.pagesize = paper_named(form.paper).landscape()
                self._calc()
                frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                              leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
                self.pageTemplates: list = []
                self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._footer)])

        def afterFlowable(self, flowable):  # noqa: N802 - ReportLab's hook
            mark = getattr(flowable, "rka_section", None)
            if mark is not None:
                self.section, self.section_code = mark

        def afterPage(self):  # noqa: N802 - ReportLab's hook: the page's section is known by now
            self.sections_of_page[self.page] = self.section
            c = self.canv
            c.saveState()
            c.setFont(FONT, 7.5)
            c.setFillColor(FOOTER_INK)
            c.drawString(self.leftMargin, self.bottomMargin - 9 * mm, f"RKA Rincian Belanja · {self.section_code} "
                         f"· {self.form.site.name} · TA {self.form.year}")
            c.restoreState()

        def draw_page_number(self, canvas, page: int, pages: int) -> None:
            section = self.sections_of_page.get(page, 0)
            own = [p for p, s in self.sections_of_page.items() if s == section] or [page]
            super().draw_page_number(canvas, page - min(own) + 1, len(own))

    return RkaDoc


def _header_row(xs, style):
    from mpp_planner.reports import pdf, pdf_draw as d

    cells = [d.Cell(i, i, d.Text.wrapped(h, xs[i + 1] - xs[i] - style.pad_left - style.pad_right, d.BOLD, SIZE,
                                         align=d.CENTER), d.MIDDLE) for i, h in enumerate(HEADERS)]
    return d.Row(cells, style, pdf.HEADER_BG)


class _Stack:
    """Texts one under another in one cell (an item's name, then its specification in smaller italics),
    moved right by ``indent``; it has what ``pdf_draw`` asks of a cell's text, splitting included."""

    __slots__ = ("parts", "indent", "lines", "height", "leading")

    def __init__(self, parts, indent: float = 0.0):
        self.parts = tuple(p for p in parts if p.lines)
        self.indent = indent
        self.lines = tuple((i, line) for i, p in enumerate(self.parts) for line in p.lines)
        self.height = sum(p.height for p in self.parts)
        self.leading = max((p.leading for p in self.parts), default=SIZE)  # a split counts the tallest line

    def with_lines(self, lines) -> _Stack:
        return _Stack([p.with_lines([t for j, t in lines if j == i]) for i, p in enumerate(self.parts)],
                      self.indent)

    def paint(self, painter, x0: float, x1: float, top: float) -> None:
        for p in self.parts:
            p.paint(painter, x0 + self.indent, x1, top)
            top -= p.height


def _table_rows(form: RkaForm, section: RkaSection, xs, style) -> list:
    from reportlab.lib import colors

    from mpp_planner.reports import pdf, pdf_draw as d

    def inner(c0: int, c1: int) -> float:
        return xs[c1 + 1] - xs[c0] - style.pad_left - style.pad_right

    def text(value, c0, c1=None, font=d.FONT, align=d.LEFT, size=SIZE):
        return d.Text.wrapped(value, inner(c0, c0 if c1 is None else c1), font, size, align=align)

    def stack(texts, c0, c1, indent):
        width = inner(c0, c1) - indent
        return _Stack([d.Text.wrapped(t, width, font, size, colour=colour) for t, font, size, colour in texts if t],
                      indent)

    top_bg, account_bg = colors.HexColor("#DDE3EC"), colors.HexColor("#F1F3F7")
    spec_ink = colors.HexColor("#333333")
    rows = []
    for r in section.rows:
        indent = INDENT * r.depth
        if r.kind == "account":
            cells = [d.Cell(0, 0, text(r.code, 0, font=d.BOLD)),
                     d.Cell(1, 5, stack([(r.name, d.BOLD, SIZE, None)], 1, 5, indent)),
                     d.Cell(6, 6, text(form.money(r.amount), 6, font=d.BOLD, align=d.RIGHT))]
            rows.append(d.Row(cells, style, top_bg if r.depth < 2 else account_bg, keep_with_next=True))
        elif r.kind == "group":
            cells = [d.Cell(0, 0, None), d.Cell(1, 5, stack([(r.name, d.ITALIC, SIZE, None)], 1, 5, indent)),
                     d.Cell(6, 6, text(form.money(r.amount), 6, font=d.ITALIC, align=d.RIGHT))]
            rows.append(d.Row(cells, style, keep_with_next=True))
        else:
            b = r.line
            uraian = [(b.description, d.FONT, SIZE, None), (spec_text(b), d.ITALIC, SMALL, spec_ink)]
            cells = [d.Cell(0, 0, None), d.Cell(1, 1, stack(uraian, 1, 1, min(indent, inner(1, 1) / 4))),
                     d.Cell(2, 2, text(b.coefficient_text, 2)), d.Cell(3, 3, text(b.unit, 3)),
                     d.Cell(4, 4, text(form.money(b.unit_price), 4, align=d.RIGHT)),
                     d.Cell(5, 5, text(form.money(b.ppn_amount) if b.ppn_applied else "-", 5, align=d.RIGHT)),
                     d.Cell(6, 6, text(form.money(b.amount), 6, align=d.RIGHT))]
            rows.append(d.Row(cells, style))
    for row in rows[-2:]:  # the total comes with the last two rows at least, so a page never holds it alone
        row.keep_with_next = True
    rows.append(d.Row([d.Cell(0, 5, text(TOTAL_LABEL, 0, 5, font=d.BOLD, align=d.RIGHT)),
                       d.Cell(6, 6, text(form.money(section.total), 6, font=d.BOLD, align=d.RIGHT))],
                      style, pdf.HEADER_BG))
    return rows


def _context_block(pairs: list[tuple[str, str, Decimal | None]], width: float):
    """Label : value rows in a ruled box (values wrap), as SIPD prints them above the table."""
    from reportlab.lib.units import mm

    from mpp_planner.reports import pdf, pdf_draw as d

    label_w, colon_w, pad, size, leading = 44 * mm, 4 * mm, 4.0, 8.5, 10.4
    value_w = width - label_w - colon_w - 2 * pad
    rows = []
    for label, value, _amount in pairs:
        bold = label == "Sub Kegiatan"
        cells = (d.Text.wrapped(label, label_w - 2, d.FONT, size, leading),
                 d.Text.wrapped(":", colon_w, d.FONT, size, leading),
                 d.Text.wrapped(value or "-", value_w, d.BOLD if bold else d.FONT, size, leading))
        rows.append((max(c.height for c in cells) + 1.6, cells))
    height = sum(h for h, _c in rows) + 2 * pad

    def paint(painter, w, h):
        painter.rect(0, 0, w, h, pdf.GRID, 0.5)
        y = h - pad
        for row_height, cells in rows:
            for x, cell in zip((pad, pad + label_w, pad + label_w + colon_w), cells):
                cell.paint(painter, x, x + (value_w if cell is cells[2] else label_w), y - 0.8)
            y -= row_height

    return d.Drawn(width, height, paint, ordered=False)


@lru_cache(maxsize=1)
def _signature_class():
    """The closing block class, made with the first PDF (it subclasses ``pdf_draw.Block``)."""
    from mpp_planner.reports import pdf_draw as d

    class Signature(d.Block):
        """The head of the SKPD signs at the right: place and date, title, room to sign, name underlined,
        rank, NIP (centred, 9.5 pt, as the other signed sheets)."""

        def __init__(self, form: RkaForm, width: float):
            size, leading = 9.5, 11.59
            self.x0, self.x1 = width / 2 + 10.0, width - 10.0
            head = form.head

            def line(value, font=d.FONT, underline=False):
                return d.Text.wrapped(value, self.x1 - self.x0, font, size, leading, d.CENTER, underline=underline)

            self.texts = [line(form.place_and_date), line(head.title if head else ""),
                          d.Text(["", "", ""], d.FONT, size, leading),
                          line(head.name, d.BOLD, True) if head is not None else line("(" + "." * 45 + ")", d.BOLD)]
            if head is not None and head.rank:
                self.texts.append(line(head.rank))
            self.texts.append(line("NIP. " + fmt_nip(head.nip) if head is not None and head.nip else "NIP. "))
            self.height = sum(t.height for t in self.texts) + 2.0

        def paint(self, painter, x: float, top: float) -> None:
            y = top - 1.0
            for t in self.texts:
                t.paint(painter, x + self.x0, x + self.x1, y)
                y -= t.height

    return Signature


# --- CSV ----------------------------------------------------------------------------------

CSV_HEADER = ("kode_sub_kegiatan", "baris", "tingkat", "kode_rekening", "uraian", "spesifikasi", "koefisien",
              "volume", "satuan", "harga", "ppn_persen", "ppn", "jumlah")
CSV_KINDS = {"account": "akun", "group": "kelompok", "line": "rincian"}


def csv_rows(form: RkaForm) -> Iterator[list]:
    """Each section as a block of rows, every row with its sub kegiatan code: accounts (code, name and
    subtotal), room groups, items, then the section total ("jumlah"); plain numbers with a decimal point."""
    for section in form.sections:
        code, account = section.sub.code, ""
        for r in section.rows:
            if r.kind != "line":
                account = r.code or account  # a room group: the account it sits under
                yield [code, CSV_KINDS[r.kind], r.depth, account, r.name, "", "", "", "", "", "", "", str(r.amount)]
                continue
            b = r.line
            yield [code, "rincian", r.depth, b.account_code, b.description, b.specification, b.coefficient_text,
                   format(b.coefficient.normalize(), "f"), b.unit, str(b.unit_price),
                   str(b.ppn_rate if b.ppn_applied else Decimal("0.00")), str(b.ppn_amount), str(b.amount)]
        yield [code, "jumlah", "", "", TOTAL_LABEL, "", "", "", "", "", "", "", str(section.total)]
