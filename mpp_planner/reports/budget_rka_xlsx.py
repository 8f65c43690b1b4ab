"""The RKA rincian belanja as a workbook (see :mod:`mpp_planner.reports.budget_rka` for the form): a Ringkasan
sheet and one sheet per sub kegiatan with live formulas, set up to print on the form's paper."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from mpp_planner.formats import nip as fmt_nip
from mpp_planner.i18n import _
from mpp_planner.model.paper import paper as paper_named
from mpp_planner.reports.budget_rka import (HEADERS, TITLE, TOTAL_LABEL, RkaForm, RkaRow, RkaSection,  # noqa: F401
                                            spec_text)
from mpp_planner.reports.output import neutralise

XLSX_HEADER = ("Kode Rekening", "Uraian", "Koefisien", "Volume", "Satuan", "Harga (Rp)", "PPN (%)", "PPN (Rp)",
               "Jumlah (Rp)")
# widths in characters of the default font; 9 pt text: about 1.25 characters per width unit
XLSX_WIDTHS = (17, 46, 16, 8, 9, 13, 7, 12, 15)
CHARS_PER_UNIT = 1.25
CONTEXT_TOP = 5  # the context block starts below the four title rows and a blank one (0-based)


def sheet_name(code: str) -> str:
    """A worksheet name for a sub kegiatan code (digits and dots: valid as it is, at most 31 characters)."""
    return "".join(ch for ch in code if ch not in "[]:*?/\\'")[:31] or "Sub Kegiatan"


def build_xlsx(form: RkaForm, target) -> None:
    """A workbook finance staff can go on with: a "Ringkasan" sheet listing the sub kegiatan with their
    totals (formulas reading each section's total), then one sheet per sub kegiatan named by its code.
    Jumlah = ROUND(Volume x Harga) + PPN; each account's and room group's subtotal and the section total
    are SUBTOTAL(9, ...) formulas (nested subtotals are not counted twice); Alokasi Tahun n reads the
    total; the model's amounts are the formulas' cached results. Set up to print (reports.xlsx_page):
    landscape, fit to width, the column headings on every page, page numbers in the footer, 9 pt text that
    wraps. Streamed sheet by sheet (``xlsx_page.XlsxBook``): where each section's total lands is worked out
    first, so the Ringkasan comes first without waiting for the sheets it reads."""
    from mpp_planner.jobs import checkpoint
    from mpp_planner.reports.xlsx_page import XlsxBook

    with XlsxBook(target, title=f"RKA Rincian Belanja Sub Kegiatan TA {form.year}", creator="MPP Planner") as book:
        st = _Styles(form, book)
        layouts = [_Layout(form, section) for section in form.sections]
        _summary_sheet(book, form, layouts, st)
        for done, layout in enumerate(layouts):
            checkpoint(done, len(layouts), _("Writing the RKA rincian belanja…"))
            _section_sheet(book, form, layout, st)


class _Layout:
    """Where a section's parts land on its sheet (0-based rows), known before anything is written."""

    def __init__(self, form: RkaForm, section: RkaSection) -> None:
        self.section = section
        self.name = sheet_name(section.sub.code)
        self.context = section.context(form.rupiah_text)
        self.header_row = CONTEXT_TOP + len(self.context) + 1
        self.first = self.header_row + 1
        self.total_row = self.first + len(section.rows)

    @property
    def total_cell(self) -> str:
        return f"I{self.total_row + 1}"


class _Styles:
    """The cell looks of the workbook, each combination resolved once."""

    def __init__(self, form: RkaForm, book) -> None:
        from mpp_planner.reports.xlsx_page import FONT_SIZE

        self.book = book
        self.money = "#,##0.00" if form.with_sen else "#,##0"
        self.rupiah = '"Rp"' + self.money
        self.font = {"font_size": FONT_SIZE}
        self.bold = {"font_size": FONT_SIZE, "bold": True}
        self.italic = {"font_size": FONT_SIZE, "italic": True}
        self.title = {"font_size": 12, "bold": True}
        self.signed = {"font_size": FONT_SIZE + 1, "bold": True, "underline": 1}
        self.head_fill, self.top_fill, self.account_fill = "#E4E9F0", "#DDE3EC", "#F3F5F8"
        self._found: dict[tuple, int] = {}

    def align(self, horizontal=None, indent=0, vertical="top", wrap=True) -> tuple:
        """Wrapping text at the top of its cell unless told otherwise; an indent shows only with a
        horizontal alignment."""
        return horizontal or ("left" if indent else None), indent, vertical, wrap

    def __call__(self, font=None, fill=None, align=None, fmt=None, border=True) -> int:
        """The style number of this look (the font one of the dicts above)."""
        font, align = font or self.font, align or self.align()
        key = (id(font), fill, align, fmt, border)
        found = self._found.get(key)
        if found is None:
            horizontal, indent, vertical, wrap = align
            props: dict[str, Any] = dict(font, valign={"center": "vcenter"}.get(vertical, vertical))
            if horizontal:
                props["align"] = horizontal
            if indent:
                props["indent"] = indent
            if wrap:
                props["text_wrap"] = True
            if fill:
                props["bg_color"] = fill
            if fmt:
                props["num_format"] = fmt
            if border:
                props.update(border=1, border_color="#888888")
            found = self._found[key] = self.book.style(**props)
        return found


def _text(value: str) -> str | None:
    """User text: never a formula, even when it starts with "=" (see ``output.neutralise``)."""
    return neutralise(value) if value else None


def _height(ws, r: int, texts: list[tuple[str, float]]) -> None:
    """Row ``r`` as tall as its longest wrapped text; texts: (text, width in character units)."""
    from mpp_planner.reports.xlsx_page import LINE_PT, wrapped_lines

    lines = max((wrapped_lines(t, max(1, int(w * CHARS_PER_UNIT))) for t, w in texts if t), default=1)
    if lines > 1:
        ws.height(r, LINE_PT * lines + 3)


def _title_rows(ws, form: RkaForm, st: _Styles, last_col: int) -> None:
    """Title, year and office across the sheet (rows 0 to 3)."""
    office = " · ".join(x for x in (form.site.government_name, form.site.operator_office) if x)
    for r, (value, font) in enumerate(((TITLE[0], st.title), (TITLE[1], st.title),
                                       (f"Tahun Anggaran {form.year}", st.bold), (office, st.font))):
        ws.merge(r, 0, r, last_col - 1, _text(value), st(font=font, align=st.align("center", wrap=False),
                                                        border=False))


def _sheet(book, name: str, form: RkaForm, widths, header_row: int):
    """A sheet set up to print on the form's paper, the table's heading row on every page."""
    return book.sheet(name, widths, titles=(header_row, header_row), paper=paper_named(form.paper).xlsx_index)


def _section_sheet(book, form: RkaForm, layout: _Layout, st: _Styles) -> None:
    """One sub kegiatan's form."""
    from mpp_planner.reports.xlsx_page import Formula

    section, n = layout.section, len(XLSX_HEADER)
    ws = _sheet(book, layout.name, form, XLSX_WIDTHS, layout.header_row)
    _title_rows(ws, form, st, n)
    value_width = sum(XLSX_WIDTHS[1:])
    for r, (label, value, amount) in enumerate(layout.context, CONTEXT_TOP):
        ws.cell(r, 0, _text(label), st(font=st.bold))
        if label == f"Alokasi Tahun {form.year}":  # live: reads the total below
            ws.merge(r, 1, r, n - 1, Formula(layout.total_cell, section.total), st(fmt=st.rupiah,
                                                                                      align=st.align("left")))
        elif amount is not None:
            ws.merge(r, 1, r, n - 1, amount, st(fmt=st.rupiah, align=st.align("left")))
        else:
            ws.merge(r, 1, r, n - 1, _text(value), st(font=st.bold if label == "Sub Kegiatan" else st.font))
        _height(ws, r, [(label, XLSX_WIDTHS[0]), (value, value_width)])
    header_row, first = layout.header_row, layout.first
    ws.height(header_row, 27)
    ws.row(header_row, XLSX_HEADER, st(font=st.bold, fill=st.head_fill, align=st.align("center", vertical="center")))
    plain, money = st(), st(fmt=st.money)
    for i, row in enumerate(section.rows):
        r = first + i
        x = r + 1  # the row as formulas name it
        if row.kind == "line":
            b = row.line
            uraian = b.description + ("\n" + spec_text(b) if b.specification else "")
            _height(ws, r, [(uraian, XLSX_WIDTHS[1] - row.depth), (b.coefficient_text, XLSX_WIDTHS[2])])
            ppn = b.ppn_amount
            ws.row(r, [None, _text(uraian), _text(b.coefficient_text), b.coefficient, _text(b.unit), b.unit_price,
                       b.ppn_rate if b.ppn_applied else Decimal(0),
                       Formula(f"ROUND(ROUND(D{x}*F{x},2)*G{x}/100,2)", ppn),
                       Formula(f"ROUND(D{x}*F{x},2)+H{x}", b.base_amount + ppn)],
                   [plain, st(align=st.align(indent=min(row.depth, 8))), plain, plain, plain, money, plain, money,
                    money])
            continue
        account = row.kind == "account"
        font = st.bold if account else st.italic
        fill = (st.top_fill if row.depth < 2 else st.account_fill) if account else None
        _height(ws, r, [(row.name, value_width - XLSX_WIDTHS[-1] - row.depth)])
        ws.cell(r, 0, _text(row.code), st(font=font, fill=fill))
        ws.merge(r, 1, r, n - 2, _text(row.name), st(font=font, fill=fill, align=st.align(indent=row.depth)))
        ws.cell(r, n - 1, Formula(f"SUBTOTAL(9,I{x + 1}:I{first + row.last + 1})", row.amount),
                st(font=font, fill=fill, fmt=st.money))
    total_row = layout.total_row
    ws.merge(total_row, 0, total_row, n - 2, TOTAL_LABEL, st(font=st.bold, fill=st.head_fill, align=st.align("right")))
    ws.cell(total_row, n - 1, Formula(f"SUBTOTAL(9,I{first + 1}:I{total_row})", section.total),
            st(font=st.bold, fill=st.head_fill, fmt=st.money))
    _signature_rows(ws, form, st, total_row + 2, 5, n - 1)


def _signature_rows(ws, form: RkaForm, st: _Styles, r: int, c0: int, c1: int) -> None:
    """Place and date, title, room to sign, name underlined, rank, NIP: centred over columns c0..c1."""
    head = form.head
    lines = [(form.place_and_date, st.font), (head.title if head else "", st.font), ("", None), ("", None),
             ("", None), (head.name if head else "(" + "." * 45 + ")", st.signed)]
    if head is not None and head.rank:
        lines.append((head.rank, st.font))
    lines.append(("NIP. " + (fmt_nip(head.nip) if head is not None and head.nip else ""), st.font))
    width = sum(XLSX_WIDTHS[c0:c1 + 1])
    for i, (text, font) in enumerate(lines):
        if text:
            _height(ws, r + i, [(text, width)])
            ws.merge(r + i, c0, r + i, c1, _text(text), st(font=font, border=False, align=st.align("center")))
        else:
            ws.merge(r + i, c0, r + i, c1)


def _summary_sheet(book, form: RkaForm, layouts: list[_Layout], st: _Styles) -> None:
    """No · Kode Sub Kegiatan · Nama Sub Kegiatan · Jumlah (Rp) (each read from its sheet) and the sum."""
    from mpp_planner.reports.xlsx_page import Formula, quote_sheet

    header_row = CONTEXT_TOP
    ws = _sheet(book, "Ringkasan", form, (5, 20, 60, 18), header_row)
    _title_rows(ws, form, st, 4)
    ws.row(header_row, ("No", "Kode Sub Kegiatan", "Nama Sub Kegiatan", "Jumlah (Rp)"),
           st(font=st.bold, fill=st.head_fill, align=st.align("center", vertical="center")))
    plain, money = st(), st(fmt=st.money)
    grand = Decimal(0)
    r = header_row
    for i, layout in enumerate(layouts, start=1):
        r += 1
        sub = layout.section.sub
        _height(ws, r, [(sub.name, 60)])
        ws.row(r, [i, _text(sub.code), _text(sub.name),
                   Formula(f"{quote_sheet(layout.name)}!{layout.total_cell}", layout.section.total)],
               [plain, plain, plain, money])
        grand += layout.section.total
    r += 1
    ws.merge(r, 0, r, 2, "Jumlah", st(font=st.bold, fill=st.head_fill, align=st.align("right")))
    ws.cell(r, 3, Formula(f"SUM(D{header_row + 2}:D{r})", grand), st(font=st.bold, fill=st.head_fill, fmt=st.money))
