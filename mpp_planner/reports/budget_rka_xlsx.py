"""The RKA rincian belanja as a workbook (see :mod:`mpp_planner.reports.budget_rka` for the form): a Ringkasan
sheet and one sheet per sub kegiatan with live formulas, set up to print on the form's paper."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from mpp_planner.formats import nip as fmt_nip
from mpp_planner.model.paper import paper as paper_named
from mpp_planner.reports.budget_rka import (HEADERS, TITLE, TOTAL_LABEL, RkaForm, RkaRow, RkaSection,  # noqa: F401
                                            spec_text)
from mpp_planner.reports.output import xlsx_safe

XLSX_HEADER = ("Kode Rekening", "Uraian", "Koefisien", "Volume", "Satuan", "Harga (Rp)", "PPN (%)", "PPN (Rp)",
               "Jumlah (Rp)")
# widths in characters of the default font; 9 pt text: about 1.25 characters per width unit
XLSX_WIDTHS = (17, 46, 16, 8, 9, 13, 7, 12, 15)
CHARS_PER_UNIT = 1.25


def sheet_name(code: str) -> str:
    """A worksheet name for a sub kegiatan code (digits and dots: valid as it is, at most 31 characters)."""
    return "".join(ch for ch in code if ch not in "[]:*?/\\'")[:31] or "Sub Kegiatan"


def build_xlsx(form: RkaForm, target) -> None:
    """A workbook finance staff can go on with: a "Ringkasan" sheet listing the sub kegiatan with their
    totals (formulas reading each section's total), then one sheet per sub kegiatan named by its code.
    Jumlah = ROUND(Volume x Harga) + PPN; each account's and room group's subtotal and the section total
    are SUBTOTAL(9, ...) formulas (nested subtotals are not counted twice); Alokasi Tahun n reads the
    total. Set up to print (reports.xlsx_page): landscape, fit to width, the column headings on every
    page, page numbers in the footer, 9 pt text that wraps."""
    from openpyxl import Workbook

    wb = Workbook()
    summary = wb.active
    summary.title = "Ringkasan"
    st = _Styles(form)
    totals = [(section, _section_sheet(wb.create_sheet(sheet_name(section.sub.code)), form, section, st))
              for section in form.sections]
    _summary_sheet(summary, form, totals, st)
    wb.properties.title = f"RKA Rincian Belanja Sub Kegiatan TA {form.year}"
    wb.properties.creator = "MPP Planner"
    wb.save(target)


class _Styles:
    """The cell looks of the workbook, each combination resolved once: openpyxl looks every style object
    up in the workbook's lists on each assignment, seconds for a few thousand rows; copying the resolved
    style of the first cell that had it is instant."""

    def __init__(self, form: RkaForm):
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        from mpp_planner.reports.xlsx_page import FONT_SIZE

        thin = Side(style="thin", color="888888")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.money = "#,##0.00" if form.with_sen else "#,##0"
        self.rupiah = '"Rp"' + self.money
        self.font = Font(name="Calibri", size=FONT_SIZE)
        self.bold = Font(name="Calibri", size=FONT_SIZE, bold=True)
        self.italic = Font(name="Calibri", size=FONT_SIZE, italic=True)
        self.title = Font(name="Calibri", size=12, bold=True)
        self.signed = Font(name="Calibri", size=FONT_SIZE + 1, bold=True, underline="single")
        self.head_fill = PatternFill("solid", fgColor="E4E9F0")
        self.top_fill = PatternFill("solid", fgColor="DDE3EC")
        self.account_fill = PatternFill("solid", fgColor="F3F5F8")
        self._alignment = Alignment
        self._aligns: dict[tuple, Any] = {}
        self._resolved: dict[tuple, Any] = {}

    def align(self, horizontal=None, indent=0, vertical="top", wrap=True):
        """Wrapping text at the top of its cell unless told otherwise; an indent shows only with a
        horizontal alignment."""
        key = (horizontal or ("left" if indent else None), indent, vertical, wrap)
        found = self._aligns.get(key)
        if found is None:
            found = self._aligns[key] = self._alignment(horizontal=key[0], indent=indent, vertical=vertical,
                                                        wrap_text=wrap)
        return found

    def apply(self, cell, font=None, fill=None, align=None, fmt=None, border=True) -> None:
        from copy import copy

        font, align = font or self.font, align or self.align()
        key = (id(font), id(fill), id(align), fmt, border)
        resolved = self._resolved.get(key)
        if resolved is not None:
            cell._style = copy(resolved)
            return
        cell.font, cell.alignment = font, align
        if fill is not None:
            cell.fill = fill
        if fmt:
            cell.number_format = fmt
        if border:
            cell.border = self.border
        self._resolved[key] = copy(cell._style)


def _put(ws, r: int, c: int, value, st: _Styles, **style):
    """A number, a formula of the app's own, or None, with its look."""
    cell = ws.cell(r, c, value)
    st.apply(cell, **style)
    return cell


def _text_cell(ws, r: int, c: int, value: str, st: _Styles, **style):
    """User text: never a formula, even when it starts with "=" (see ``output.xlsx_safe``)."""
    cell = _put(ws, r, c, None, st, **style)
    if value:
        xlsx_safe(cell, value)
    return cell


def _merge(ws, r: int, c0: int, c1: int) -> None:
    """One cell over columns c0..c1 of row r, showing the look of its first cell (borders on its edges)."""
    ws.merge_cells(start_row=r, start_column=c0, end_row=r, end_column=c1)


def _height(ws, r: int, texts: list[tuple[str, float]]) -> None:
    """Row ``r`` as tall as its longest wrapped text; texts: (text, width in character units)."""
    from mpp_planner.reports.xlsx_page import LINE_PT, wrapped_lines

    lines = max((wrapped_lines(t, max(1, int(w * CHARS_PER_UNIT))) for t, w in texts if t), default=1)
    if lines > 1:
        ws.row_dimensions[r].height = LINE_PT * lines + 3


def _title_rows(ws, form: RkaForm, st: _Styles, last_col: int) -> int:
    """Title, year and office across the sheet; returns the next free row."""
    office = " · ".join(x for x in (form.site.government_name, form.site.operator_office) if x)
    for r, (value, font) in enumerate(((TITLE[0], st.title), (TITLE[1], st.title),
                                       (f"Tahun Anggaran {form.year}", st.bold), (office, st.font)), start=1):
        _text_cell(ws, r, 1, value, st, font=font, align=st.align("center", wrap=False), border=False)
        _merge(ws, r, 1, last_col)
    return 6


def _print_setup(ws, form: RkaForm, header_row: int) -> None:
    from mpp_planner.reports.xlsx_page import setup_openpyxl

    setup_openpyxl(ws, header_row, header_row)
    ws.page_setup.paperSize = paper_named(form.paper).xlsx_index


def _section_sheet(ws, form: RkaForm, section: RkaSection, st: _Styles) -> str:
    """One sub kegiatan's form; returns the cell holding its total ("I57")."""
    from openpyxl.utils import get_column_letter

    n = len(XLSX_HEADER)
    r = _title_rows(ws, form, st, n)
    value_width = sum(XLSX_WIDTHS[1:])
    alloc_row = None
    for label, value, amount in section.context(form.rupiah_text):
        _text_cell(ws, r, 1, label, st, font=st.bold)
        if label == f"Alokasi Tahun {form.year}":  # live: reads the total below
            alloc_row = r
        elif amount is not None:
            _put(ws, r, 2, amount, st, fmt=st.rupiah, align=st.align("left"))
        else:
            _text_cell(ws, r, 2, value, st, font=st.bold if label == "Sub Kegiatan" else st.font)
        _merge(ws, r, 2, n)
        _height(ws, r, [(label, XLSX_WIDTHS[0]), (value, value_width)])
        r += 1
    header_row = r + 1
    for c, h in enumerate(XLSX_HEADER, start=1):
        _text_cell(ws, header_row, c, h, st, font=st.bold, fill=st.head_fill,
                   align=st.align("center", vertical="center"))
    ws.row_dimensions[header_row].height = 27
    first = header_row + 1
    for i, row in enumerate(section.rows):
        r = first + i
        if row.kind == "line":
            b = row.line
            uraian = b.description + ("\n" + spec_text(b) if b.specification else "")
            _put(ws, r, 1, None, st)
            _text_cell(ws, r, 2, uraian, st, align=st.align(indent=min(row.depth, 8)))
            _text_cell(ws, r, 3, b.coefficient_text, st)
            _put(ws, r, 4, b.coefficient, st)
            _text_cell(ws, r, 5, b.unit, st)
            _put(ws, r, 6, b.unit_price, st, fmt=st.money)
            _put(ws, r, 7, b.ppn_rate if b.ppn_applied else Decimal(0), st)
            _put(ws, r, 8, f"=ROUND(ROUND(D{r}*F{r},2)*G{r}/100,2)", st, fmt=st.money)
            _put(ws, r, 9, f"=ROUND(D{r}*F{r},2)+H{r}", st, fmt=st.money)
            _height(ws, r, [(uraian, XLSX_WIDTHS[1] - row.depth), (b.coefficient_text, XLSX_WIDTHS[2])])
            continue
        account = row.kind == "account"
        font = st.bold if account else st.italic
        fill = (st.top_fill if row.depth < 2 else st.account_fill) if account else None
        _text_cell(ws, r, 1, row.code, st, font=font, fill=fill)
        _text_cell(ws, r, 2, row.name, st, font=font, fill=fill, align=st.align(indent=row.depth))
        _merge(ws, r, 2, n - 1)
        _put(ws, r, n, f"=SUBTOTAL(9,I{r + 1}:I{first + row.last})", st, font=font, fill=fill, fmt=st.money)
        _height(ws, r, [(row.name, value_width - XLSX_WIDTHS[-1] - row.depth)])
    total_row = first + len(section.rows)
    _text_cell(ws, total_row, 1, TOTAL_LABEL, st, font=st.bold, fill=st.head_fill, align=st.align("right"))
    _merge(ws, total_row, 1, n - 1)
    _put(ws, total_row, n, f"=SUBTOTAL(9,I{first}:I{total_row - 1})", st, font=st.bold, fill=st.head_fill,
         fmt=st.money)
    if alloc_row is not None:
        _put(ws, alloc_row, 2, f"=I{total_row}", st, fmt=st.rupiah, align=st.align("left"))
    _signature_rows(ws, form, st, total_row + 2, 6, n)
    for i, w in enumerate(XLSX_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    _print_setup(ws, form, header_row)
    return f"I{total_row}"


def _signature_rows(ws, form: RkaForm, st: _Styles, r: int, c0: int, c1: int) -> None:
    """Place and date, title, room to sign, name underlined, rank, NIP: centred over columns c0..c1."""
    head = form.head
    lines = [(form.place_and_date, st.font), (head.title if head else "", st.font), ("", None), ("", None),
             ("", None), (head.name if head else "(" + "." * 45 + ")", st.signed)]
    if head is not None and head.rank:
        lines.append((head.rank, st.font))
    lines.append(("NIP. " + (fmt_nip(head.nip) if head is not None and head.nip else ""), st.font))
    width = sum(XLSX_WIDTHS[c0 - 1:c1])
    for i, (text, font) in enumerate(lines):
        if text:
            _text_cell(ws, r + i, c0, text, st, font=font, border=False, align=st.align("center"))
            _height(ws, r + i, [(text, width)])
        _merge(ws, r + i, c0, c1)


def _summary_sheet(ws, form: RkaForm, totals: list[tuple[RkaSection, str]], st: _Styles) -> None:
    """No · Kode Sub Kegiatan · Nama Sub Kegiatan · Jumlah (Rp) (each read from its sheet) and the sum."""
    r = _title_rows(ws, form, st, 4)
    header_row = r
    for c, h in enumerate(("No", "Kode Sub Kegiatan", "Nama Sub Kegiatan", "Jumlah (Rp)"), start=1):
        _text_cell(ws, r, c, h, st, font=st.bold, fill=st.head_fill, align=st.align("center", vertical="center"))
    for i, (section, cell) in enumerate(totals, start=1):
        r += 1
        _put(ws, r, 1, i, st)
        _text_cell(ws, r, 2, section.sub.code, st)
        _text_cell(ws, r, 3, section.sub.name, st)
        _put(ws, r, 4, f"='{sheet_name(section.sub.code)}'!{cell}", st, fmt=st.money)
        _height(ws, r, [(section.sub.name, 60)])
    r += 1
    _text_cell(ws, r, 1, "Jumlah", st, font=st.bold, fill=st.head_fill, align=st.align("right"))
    _merge(ws, r, 1, 3)
    _put(ws, r, 4, f"=SUM(D{header_row + 1}:D{r - 1})", st, font=st.bold, fill=st.head_fill, fmt=st.money)
    for letter, w in zip("ABCD", (5, 20, 60, 18)):
        ws.column_dimensions[letter].width = w
    _print_setup(ws, form, header_row)


