"""XLSX export speed (issue 22): the KIR at scale 50 and 200, the usulan sheet of 5,150 lines and the RKA
rincian of the same lines, each beside the writer it replaced, measured in the same run.

The baselines are the writers as they were before issue 22, kept below: the KIR through XlsxWriter (every
one of its 1,400 / 5,600 sheets held until the workbook closes), the usulan sheet and the RKA through
openpyxl (style objects compared field by field, merged ranges formatted cell by cell). The new writers
stream each sheet into the zip (``reports/xlsx_page.XlsxBook``). Each run is one export (reading included)
in a child process of its own, so one writer's garbage never slows the other, with openpyxl and XlsxWriter
imported before the clock starts; runs alternate between old and new so a busy spell on the shared machine
hits both alike. Medians of CPU seconds (and of wall seconds). Peak memory: Python's traced peak while
writing (the project read before). Numbers only, no assertions.

    python -m benchmarks.xlsx_bench [--file big.mpplan] [--file200 big200.mpplan] [--no-200] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from mpp_planner.formats import nip as fmt_nip
from mpp_planner.model.paper import paper as paper_named
from mpp_planner.reports.budget import HEADER_ROW as U_HEADER_ROW, STATUS_ID, XLSX_HEADER as U_HEADER, \
    XLSX_WIDTHS as U_WIDTHS, XLSX_WRAP as U_WRAP, _row_spans
from mpp_planner.reports.budget_rka import TITLE, TOTAL_LABEL, spec_text
from mpp_planner.reports.budget_rka_xlsx import CHARS_PER_UNIT, XLSX_HEADER as RKA_HEADER, \
    XLSX_WIDTHS as RKA_WIDTHS, sheet_name
from mpp_planner.reports.kir import (COLUMNS, CONDITIONS, KIR_WIDTHS, KIR_WRAP, SIGN_BLOCKS, SIGN_CHARS,
                                     TITLE as KIR_TITLE, code_text, row_value, sheet_title)
from mpp_planner.reports.output import neutralise, xlsx_safe

LINES = 5150  # budget lines of the fiscal year (the scale-50 demo has 2,100: the rest are added)
SIGNED = date(2023, 12, 15)


# --- the writers as they were: the baselines ------------------------------------------------------

def legacy_kir_xlsx(kir, path: Path) -> None:
    """The KIR workbook before issue 22 (XlsxWriter, every sheet kept until the end)."""
    import xlsxwriter
    from xlsxwriter.utility import xl_rowcol_to_cell

    from mpp_planner.reports.output import neutralise
    from mpp_planner.reports.xlsx_page import FONT_SIZE, LINE_PT, setup_xlsxwriter, wrapped_lines

    class Workbook(xlsxwriter.Workbook):

        def __init__(self, *args, **kwargs) -> None:
            self.seen: set[str] = set()
            super().__init__(*args, **kwargs)

        def _check_sheetname(self, sheetname, is_chartsheet=False):
            key = (sheetname or "").lower()
            if (is_chartsheet or not key or key in self.seen or len(sheetname.encode("utf-16-le")) > 62
                    or re.search(r"[\[\]:*?/\\]", sheetname) or sheetname[0] == "'" or sheetname[-1] == "'"):
                return super()._check_sheetname(sheetname, is_chartsheet)
            self.sheetname_count += 1
            self.seen.add(key)
            return sheetname

    wb = Workbook(str(path), {"in_memory": True, "strings_to_formulas": False,
                              "strings_to_numbers": False, "strings_to_urls": False})
    border = {"border": 1, "border_color": "#444444", "font_size": FONT_SIZE}
    title_style = wb.add_format({"bold": True, "font_size": 12, "align": "center"})
    label_style = wb.add_format({"bold": True, "font_size": FONT_SIZE + 1})
    value_style = wb.add_format({"font_size": FONT_SIZE + 1})
    head_style = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True,
                                "bg_color": "#E4E9F0", **border})
    body_style = wb.add_format({"text_wrap": True, "valign": "top", **border})
    center_style = wb.add_format({"align": "center", "valign": "top", **border})
    code_style = wb.add_format({"text_wrap": True, "valign": "top", "num_format": "@", **border})
    number_style = wb.add_format({"valign": "top", **border})
    money_style = wb.add_format({"valign": "top", "num_format": "#,##0", **border})
    total_style = wb.add_format({"bold": True, "align": "center", **border})
    total_number_style = wb.add_format({"bold": True, **border})
    total_money_style = wb.add_format({"bold": True, "num_format": "#,##0", **border})
    sign_style = wb.add_format({"align": "center", "valign": "top", "text_wrap": True, "font_size": FONT_SIZE + 1})
    across_style = wb.add_format({"align": "center_across", "font_size": FONT_SIZE + 1})
    name_style = wb.add_format({"align": "center_across", "bold": True, "underline": 1,
                                "font_size": FONT_SIZE + 1})
    styles = [center_style, body_style, body_style, body_style, body_style, body_style, center_style,
              code_style, number_style, money_style, number_style, number_style, number_style, body_style]
    wrap_columns = tuple(KIR_WRAP.items())
    used: set[str] = {"history"}  # a name Excel keeps for itself
    for card in kir.cards:
        ws = wb.add_worksheet(sheet_title(card.room.name, used))
        for i, w in enumerate(KIR_WIDTHS):
            ws.set_column(i, i, w)
        ws.merge_range(0, 0, 0, 13, KIR_TITLE, title_style)
        r = 2
        for label, value in kir.header(card):
            ws.write_string(r, 0, label, label_style)  # runs on over the empty column B
            ws.write_string(r, 2, ": " + value if value else ":", value_style)
            r += 1
        r += 1
        top = r
        for c in range(10):
            ws.merge_range(r, c, r + 1, c, COLUMNS[c], head_style)
        ws.merge_range(r, 10, r, 12, "Keadaan Barang", head_style)
        for j, condition in enumerate(CONDITIONS):
            ws.write_string(r + 1, 10 + j, condition, head_style)
        ws.merge_range(r, 13, r + 1, 13, "Keterangan", head_style)
        ws.set_row(r, 36)
        r += 2
        setup_xlsxwriter(ws, top, r - 1, paper_named(kir.paper).xlsx_index)
        first = r
        for n, item in enumerate(card.items, 1):
            value = row_value(item)
            quantity = float(item.quantity) if item.quantity % 1 else int(item.quantity)
            values = [n, item.item_type.name, item.brand_model, item.serial_no, item.size, item.material,
                      item.year, code_text(item), quantity, float(value) if value is not None else None,
                      None, None, None, item.notes]
            values[10 + CONDITIONS.index(item.condition)] = quantity
            lines = 1
            for c, chars in wrap_columns:
                v = values[c]
                if v and isinstance(v, str) and len(v) > chars:
                    lines = max(lines, wrapped_lines(v, chars))
            if lines > 1:
                ws.set_row(r, LINE_PT * lines + 3)
            for c, v in enumerate(values):
                fmt = styles[c]
                if v is None or v == "":
                    ws.write_blank(r, c, None, fmt)
                elif isinstance(v, str):
                    ws.write_string(r, c, neutralise(v), fmt)
                else:
                    ws.write_number(r, c, v, fmt)
            r += 1
        ws.merge_range(r, 0, r, 7, "JUMLAH", total_style)
        by_condition = {c: Decimal(0) for c in CONDITIONS}
        for item in card.items:
            by_condition[item.condition] += item.quantity
        totals = [card.total_quantity, card.total_value, *by_condition.values()]
        for c, cached in zip((8, 9, 10, 11, 12), totals, strict=True):
            fmt = total_money_style if c == 9 else total_number_style
            if r > first:
                span = f"{xl_rowcol_to_cell(first, c)}:{xl_rowcol_to_cell(r - 1, c)}"
                ws.write_formula(r, c, f"=SUM({span})", fmt, float(cached) if cached % 1 else int(cached))
            else:
                ws.write_number(r, c, 0, fmt)
        ws.write_blank(r, 13, None, total_style)
        r += 3
        signers = kir.signers(card)
        title_lines = max(2, *(wrapped_lines(sg.title, chars) for sg, chars in zip(signers, SIGN_CHARS, strict=True)))
        ws.set_row(r + 1, round(LINE_PT * (FONT_SIZE + 1) / FONT_SIZE * title_lines + 3, 1))
        for (left, right), signer in zip(SIGN_BLOCKS, signers, strict=True):
            for k, text in enumerate((signer.heading, signer.title, "", "", "", signer.name,
                                      "NIP. " + fmt_nip(signer.nip) if signer.nip else "NIP.")):
                if k == 1:
                    ws.merge_range(r + k, left, r + k, right, neutralise(text), sign_style)
                elif text:  # one line: centred across the block (cheaper than a merge)
                    fmt = name_style if k == 5 else across_style
                    ws.write_string(r + k, left, neutralise(text), fmt)
                    for c in range(left + 1, right + 1):
                        ws.write_blank(r + k, c, None, fmt)
    wb.close()


def legacy_usulan_xlsx(sheet, target) -> None:
    """The usulan workbook before issue 22 (openpyxl with named styles)."""
    from copy import copy

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from mpp_planner.reports.xlsx_page import FONT_SIZE, LINE_PT, setup_openpyxl, wrapped_lines

    wb = Workbook()
    ws = wb.active
    ws.title = f"Usulan {sheet.year}"
    money_fmt = "#,##0.00" if sheet.with_sen else "#,##0"
    thin = Side(style="thin", color="888888")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_fill = PatternFill("solid", fgColor="E4E9F0")
    acct_fill = PatternFill("solid", fgColor="F3F5F8")
    styles = {}
    font, bold = Font(name="Calibri", size=FONT_SIZE), Font(name="Calibri", size=FONT_SIZE, bold=True)
    top, wrap = Alignment(vertical="top"), Alignment(vertical="top", wrap_text=True)
    for name, kw in {
        "rka_head": dict(font=bold, fill=head_fill,
                         alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)),
        "rka_text": dict(font=font, alignment=wrap),
        "rka_number": dict(font=font, alignment=top),
        "rka_money": dict(font=font, alignment=top, number_format=money_fmt),
        "rka_account": dict(font=bold, fill=acct_fill, alignment=top),
        "rka_account_text": dict(font=bold, fill=acct_fill, alignment=wrap),
        "rka_account_money": dict(font=bold, fill=acct_fill, alignment=top, number_format=money_fmt),
        "rka_total": dict(font=bold, fill=head_fill),
        "rka_total_money": dict(font=bold, fill=head_fill, number_format=money_fmt),
    }.items():
        style = NamedStyle(name=name, border=Border() if name in ("rka_text", "rka_number", "rka_money")
                           else border, **kw)
        wb.add_named_style(style)
        styles[name] = name
    line_styles = ("rka_number", "rka_number", "rka_text", "rka_text", "rka_text", "rka_text", "rka_number",
                   "rka_number", "rka_money", "rka_number", "rka_money", "rka_money", "rka_number", "rka_number",
                   "rka_text")
    account_styles = ["rka_account", "rka_account", "rka_account_text"] + ["rka_account"] * 8 + \
        ["rka_account_money"] + ["rka_account"] * 3
    total_styles = ["rka_total"] * 11 + ["rka_total_money"] + ["rka_total"] * 3
    resolved: dict[str, object] = {}  # named style -> its style array (setting .style by name is slow)

    def put(r: int, values, row_styles=None) -> None:
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            if row_styles is not None and row_styles[c - 1] is not None:
                name = row_styles[c - 1]
                if name in resolved:
                    cell._style = copy(resolved[name])
                else:
                    cell.style = name
                    resolved[name] = copy(cell._style)

    put(1, [neutralise(sheet.title)])
    ws.cell(1, 1).font = Font(name="Calibri", bold=True, size=12)
    ws.cell(2, 1).font = Font(name="Calibri", size=FONT_SIZE + 1)
    office = " · ".join(x for x in (sheet.site.government_name, sheet.site.operator_office) if x)
    put(2, [neutralise(office)])
    put(U_HEADER_ROW, U_HEADER, ["rka_head"] * len(U_HEADER))

    first = U_HEADER_ROW + 1
    spans = _row_spans(sheet.rows, first)
    r = first
    for row in sheet.rows:
        if row.kind == "account":
            node = row.node
            values = [None, node.code, neutralise(node.name)] + [None] * 8 + \
                [f"=SUBTOTAL(9,L{r + 1}:L{spans[id(node)]})"] + [None] * 3
            put(r, values, account_styles)
        else:
            b = row.line
            values = [row.number, b.account_code, neutralise(b.description), neutralise(b.specification),
                      neutralise(b.room.name if b.room else ""), neutralise(b.coefficient_text), b.coefficient,
                      neutralise(b.unit), b.unit_price, b.ppn_rate if b.ppn_applied else Decimal(0),
                      f"=ROUND(ROUND(G{r}*I{r},2)*J{r}/100,2)", f"=ROUND(G{r}*I{r},2)+K{r}", b.priority,
                      STATUS_ID.get(b.status, b.status), neutralise(b.justification)]
            put(r, values, line_styles)
        lines = 1
        for c, chars in U_WRAP:
            text = values[c]
            if text and len(text) > chars:
                lines = max(lines, wrapped_lines(text, chars))
        if lines > 1:
            ws.row_dimensions[r].height = LINE_PT * lines + 3
        r += 1
    last = r - 1
    put(r, [None, None, "JUMLAH TOTAL"] + [None] * 8 + [f"=SUBTOTAL(9,L{first}:L{last})"] + [None] * 3,
        total_styles)
    total_row = r
    put(total_row + 2, [None, None, neutralise("Terbilang: " + sheet.words)])
    ws.cell(total_row + 2, 3).font = Font(name="Calibri", italic=True, size=FONT_SIZE + 1)
    put(total_row + 3, [None, None, "Jumlah = ROUND(Volume × Harga) + PPN; "
                                    "PPN = ROUND(ROUND(Volume × Harga) × PPN (%) / 100)."])
    ws.cell(total_row + 3, 3).font = Font(name="Calibri", size=FONT_SIZE, color="555555")
    r = total_row + 5
    for col, heading, signer in ((3, "Mengetahui,", sheet.head), (12, sheet.place_and_date, sheet.proposer)):
        ws.cell(r, col, neutralise(heading))
        ws.cell(r + 1, col, neutralise(signer.title if signer else ""))
        name = ws.cell(r + 5, col, neutralise(signer.name if signer else ""))
        name.font = Font(bold=True, underline="single")
        ws.cell(r + 6, col, "NIP. " + (fmt_nip(signer.nip) if signer and signer.nip else ""))

    for i, w in enumerate(U_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = ws.cell(U_HEADER_ROW + 1, 1)
    ws.row_dimensions[U_HEADER_ROW].height = 27  # two lines of bold 9 pt headings
    ws.print_options.gridLines = True
    setup_openpyxl(ws, U_HEADER_ROW, U_HEADER_ROW, paper_named(sheet.paper).xlsx_index)
    wb.properties.title = sheet.title
    wb.properties.creator = "MPP Planner"
    wb.save(target)


def legacy_rka_xlsx(form, target) -> None:
    """The RKA workbook before issue 22 (openpyxl, merged ranges formatted by openpyxl)."""
    from openpyxl import Workbook

    wb = Workbook()
    summary = wb.active
    summary.title = "Ringkasan"
    st = _LegacyStyles(form)
    totals = [(section, _old_section_sheet(wb.create_sheet(sheet_name(section.sub.code)), form, section, st))
              for section in form.sections]
    _old_summary_sheet(summary, form, totals, st)
    wb.properties.title = f"RKA Rincian Belanja Sub Kegiatan TA {form.year}"
    wb.properties.creator = "MPP Planner"
    wb.save(target)


class _LegacyStyles:

    def __init__(self, form):
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


def _old_put(ws, r: int, c: int, value, st: _LegacyStyles, **style):
    cell = ws.cell(r, c, value)
    st.apply(cell, **style)
    return cell


def _old_text_cell(ws, r: int, c: int, value: str, st: _LegacyStyles, **style):
    cell = _old_put(ws, r, c, None, st, **style)
    if value:
        xlsx_safe(cell, value)
    return cell


def _old_merge(ws, r: int, c0: int, c1: int) -> None:
    ws.merge_cells(start_row=r, start_column=c0, end_row=r, end_column=c1)


def _old_height(ws, r: int, texts: list[tuple[str, float]]) -> None:
    from mpp_planner.reports.xlsx_page import LINE_PT, wrapped_lines

    lines = max((wrapped_lines(t, max(1, int(w * CHARS_PER_UNIT))) for t, w in texts if t), default=1)
    if lines > 1:
        ws.row_dimensions[r].height = LINE_PT * lines + 3


def _old_title_rows(ws, form, st: _LegacyStyles, last_col: int) -> int:
    office = " · ".join(x for x in (form.site.government_name, form.site.operator_office) if x)
    for r, (value, font) in enumerate(((TITLE[0], st.title), (TITLE[1], st.title),
                                       (f"Tahun Anggaran {form.year}", st.bold), (office, st.font)), start=1):
        _old_text_cell(ws, r, 1, value, st, font=font, align=st.align("center", wrap=False), border=False)
        _old_merge(ws, r, 1, last_col)
    return 6


def _old_print_setup(ws, form, header_row: int) -> None:
    from mpp_planner.reports.xlsx_page import setup_openpyxl

    setup_openpyxl(ws, header_row, header_row)
    ws.page_setup.paperSize = paper_named(form.paper).xlsx_index


def _old_section_sheet(ws, form, section, st: _LegacyStyles) -> str:
    from openpyxl.utils import get_column_letter

    n = len(RKA_HEADER)
    r = _old_title_rows(ws, form, st, n)
    value_width = sum(RKA_WIDTHS[1:])
    alloc_row = None
    for label, value, amount in section.context(form.rupiah_text):
        _old_text_cell(ws, r, 1, label, st, font=st.bold)
        if label == f"Alokasi Tahun {form.year}":  # live: reads the total below
            alloc_row = r
        elif amount is not None:
            _old_put(ws, r, 2, amount, st, fmt=st.rupiah, align=st.align("left"))
        else:
            _old_text_cell(ws, r, 2, value, st, font=st.bold if label == "Sub Kegiatan" else st.font)
        _old_merge(ws, r, 2, n)
        _old_height(ws, r, [(label, RKA_WIDTHS[0]), (value, value_width)])
        r += 1
    header_row = r + 1
    for c, h in enumerate(RKA_HEADER, start=1):
        _old_text_cell(ws, header_row, c, h, st, font=st.bold, fill=st.head_fill,
                   align=st.align("center", vertical="center"))
    ws.row_dimensions[header_row].height = 27
    first = header_row + 1
    for i, row in enumerate(section.rows):
        r = first + i
        if row.kind == "line":
            b = row.line
            uraian = b.description + ("\n" + spec_text(b) if b.specification else "")
            _old_put(ws, r, 1, None, st)
            _old_text_cell(ws, r, 2, uraian, st, align=st.align(indent=min(row.depth, 8)))
            _old_text_cell(ws, r, 3, b.coefficient_text, st)
            _old_put(ws, r, 4, b.coefficient, st)
            _old_text_cell(ws, r, 5, b.unit, st)
            _old_put(ws, r, 6, b.unit_price, st, fmt=st.money)
            _old_put(ws, r, 7, b.ppn_rate if b.ppn_applied else Decimal(0), st)
            _old_put(ws, r, 8, f"=ROUND(ROUND(D{r}*F{r},2)*G{r}/100,2)", st, fmt=st.money)
            _old_put(ws, r, 9, f"=ROUND(D{r}*F{r},2)+H{r}", st, fmt=st.money)
            _old_height(ws, r, [(uraian, RKA_WIDTHS[1] - row.depth), (b.coefficient_text, RKA_WIDTHS[2])])
            continue
        account = row.kind == "account"
        font = st.bold if account else st.italic
        fill = (st.top_fill if row.depth < 2 else st.account_fill) if account else None
        _old_text_cell(ws, r, 1, row.code, st, font=font, fill=fill)
        _old_text_cell(ws, r, 2, row.name, st, font=font, fill=fill, align=st.align(indent=row.depth))
        _old_merge(ws, r, 2, n - 1)
        _old_put(ws, r, n, f"=SUBTOTAL(9,I{r + 1}:I{first + row.last})", st, font=font, fill=fill, fmt=st.money)
        _old_height(ws, r, [(row.name, value_width - RKA_WIDTHS[-1] - row.depth)])
    total_row = first + len(section.rows)
    _old_text_cell(ws, total_row, 1, TOTAL_LABEL, st, font=st.bold, fill=st.head_fill, align=st.align("right"))
    _old_merge(ws, total_row, 1, n - 1)
    _old_put(ws, total_row, n, f"=SUBTOTAL(9,I{first}:I{total_row - 1})", st, font=st.bold, fill=st.head_fill,
         fmt=st.money)
    if alloc_row is not None:
        _old_put(ws, alloc_row, 2, f"=I{total_row}", st, fmt=st.rupiah, align=st.align("left"))
    _old_signature_rows(ws, form, st, total_row + 2, 6, n)
    for i, w in enumerate(RKA_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    _old_print_setup(ws, form, header_row)
    return f"I{total_row}"


def _old_signature_rows(ws, form, st: _LegacyStyles, r: int, c0: int, c1: int) -> None:
    head = form.head
    lines = [(form.place_and_date, st.font), (head.title if head else "", st.font), ("", None), ("", None),
             ("", None), (head.name if head else "(" + "." * 45 + ")", st.signed)]
    if head is not None and head.rank:
        lines.append((head.rank, st.font))
    lines.append(("NIP. " + (fmt_nip(head.nip) if head is not None and head.nip else ""), st.font))
    width = sum(RKA_WIDTHS[c0 - 1:c1])
    for i, (text, font) in enumerate(lines):
        if text:
            _old_text_cell(ws, r + i, c0, text, st, font=font, border=False, align=st.align("center"))
            _old_height(ws, r + i, [(text, width)])
        _old_merge(ws, r + i, c0, c1)


def _old_summary_sheet(ws, form, totals: list, st: _LegacyStyles) -> None:
    r = _old_title_rows(ws, form, st, 4)
    header_row = r
    for c, h in enumerate(("No", "Kode Sub Kegiatan", "Nama Sub Kegiatan", "Jumlah (Rp)"), start=1):
        _old_text_cell(ws, r, c, h, st, font=st.bold, fill=st.head_fill, align=st.align("center", vertical="center"))
    for i, (section, cell) in enumerate(totals, start=1):
        r += 1
        _old_put(ws, r, 1, i, st)
        _old_text_cell(ws, r, 2, section.sub.code, st)
        _old_text_cell(ws, r, 3, section.sub.name, st)
        _old_put(ws, r, 4, f"='{sheet_name(section.sub.code)}'!{cell}", st, fmt=st.money)
        _old_height(ws, r, [(section.sub.name, 60)])
    r += 1
    _old_text_cell(ws, r, 1, "Jumlah", st, font=st.bold, fill=st.head_fill, align=st.align("right"))
    _old_merge(ws, r, 1, 3)
    _old_put(ws, r, 4, f"=SUM(D{header_row + 1}:D{r - 1})", st, font=st.bold, fill=st.head_fill, fmt=st.money)
    for letter, w in zip("ABCD", (5, 20, 60, 18)):
        ws.column_dimensions[letter].width = w
    _old_print_setup(ws, form, header_row)


# --- the measurements -----------------------------------------------------------------------------

def add_lines(path: Path, lines: int = LINES) -> int:
    """Budget lines of the fiscal year up to ``lines`` (spread over its sub kegiatan); returns the count."""
    from sqlalchemy import func, select

    from mpp_planner.model import BudgetLine, ItemType, Room, SubActivity
    from mpp_planner.project import Project

    project = Project.open(path)
    try:
        year, s = project.site.fiscal_year, project.session
        have = s.scalar(select(func.count()).select_from(BudgetLine).where(BudgetLine.fiscal_year == year))
        types = s.scalars(select(ItemType).order_by(ItemType.id)).all()
        rooms = s.scalars(select(Room).order_by(Room.id)).all()
        subs = s.scalars(select(SubActivity).where(SubActivity.fiscal_year == year)).all()
        with project.edit():
            for i in range(lines - have):
                it, room = types[i % len(types)], rooms[i % len(rooms)]
                s.add(BudgetLine(
                    fiscal_year=year, sub_activity_id=subs[i % len(subs)].id, account_code=it.account_code,
                    description=f"{it.name} {room.name} #{i + 1}", specification=it.specification, room_id=room.id,
                    factors=[[str(1 + i % 7), "Unit"]] + ([[str(1 + i % 12), "Bulan"]] if i % 5 == 0 else []),
                    unit="Unit", unit_price=it.ref_price or Decimal("100000"), ppn_applied=i % 9 != 0,
                    ppn_rate=Decimal("11"), priority=1 + i % 3, status="requested", position=have + i + 1))
        return max(have, lines)
    finally:
        project.close()


def export(project, kind: str, which: str, target: Path):
    """The export of ``kind`` the ``which`` ("old" or "new") way: read what it prints, write the workbook."""
    from mpp_planner.reports import budget, budget_rka, kir
    from mpp_planner.reports.budget_rka_xlsx import build_xlsx as rka_xlsx

    year = project.site.fiscal_year
    if kind == "kir":
        return lambda: (legacy_kir_xlsx if which == "old" else kir.write_xlsx)(kir.collect(project, when=SIGNED),
                                                                              target)
    if kind == "usulan":
        return lambda: (legacy_usulan_xlsx if which == "old" else budget.build_xlsx)(
            budget.collect(project, year, SIGNED), target)
    return lambda: (legacy_rka_xlsx if which == "old" else rka_xlsx)(budget_rka.collect(project, year, SIGNED),
                                                                      target)


def child(path: Path, kind: str, which: str, memory: bool) -> None:
    """(In a child process of its own, so one writer's garbage never slows the other) one export, timed, or
    the traced peak of its writing only (the project read before): JSON on stdout."""
    import openpyxl  # noqa: F401 - imported before the clock starts, as the app has it by then
    import xlsxwriter  # noqa: F401

    from mpp_planner.project import Project
    from mpp_planner.reports import kir

    project = Project.open(path, readonly=True)
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "out.xlsx"
        if memory:
            import tracemalloc

            card = kir.collect(project, when=SIGNED)
            tracemalloc.start()
            (legacy_kir_xlsx if which == "old" else kir.write_xlsx)(card, target)
            result = {"peak_mb": tracemalloc.get_traced_memory()[1] / 2**20}
            tracemalloc.stop()
        else:
            fn = export(project, kind, which, target)
            wall, cpu = time.perf_counter(), time.process_time()
            fn()
            result = {"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall}
    project.close()
    print(json.dumps(result))


def run_child(path: Path, kind: str, which: str, memory: bool = False) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-m", "benchmarks.xlsx_bench", "--child", str(path), kind, which]
                          + (["--memory"] if memory else []), capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def side_by_side(path: Path, kind: str, runs: int) -> dict[str, tuple[float, float]]:
    """{"old"/"new": (median CPU s, median wall s)}, old and new runs alternating."""
    samples: dict[str, list[dict[str, float]]] = {"old": [], "new": []}
    for _ in range(runs):
        for which in ("old", "new"):
            samples[which].append(run_child(path, kind, which))
    found = {k: (statistics.median(x["cpu"] for x in v), statistics.median(x["wall"] for x in v))
             for k, v in samples.items()}
    print(f"  {kind} {path.name}: " + ", ".join(f"{k} {c:.2f} s CPU / {w:.2f} s wall" for k, (c, w) in found.items()),
          flush=True)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", type=Path, help="a scale-50 project (copied; default: built)")
    parser.add_argument("--file200", type=Path, help="a scale-200 project (default: built)")
    parser.add_argument("--no-200", dest="big", action="store_false", help="leave out the scale-200 rows")
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "5")))
    parser.add_argument("--child", nargs=3, metavar=("FILE", "KIND", "WHICH"), help=argparse.SUPPRESS)
    parser.add_argument("--memory", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), args.child[1], args.child[2], args.memory)
        return 0
    from mpp_planner.demo import build_demo
    from mpp_planner.i18n import set_language

    set_language("en")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        big = folder / "big.mpplan"
        if args.file:
            shutil.copy2(args.file, big)
        else:
            build_demo(big, scale=50)
        lines = add_lines(big)
        big200 = args.file200 or (folder / "big200.mpplan")
        if args.big and not args.file200:
            build_demo(big200, scale=200)
        print(f"projects ready in {time.perf_counter() - t0:.0f} s; medians of {args.runs} runs (RKA and scale 200: "
              f"{max(3, args.runs // 2)}), old and new alternating, each run in a process of its own")
        at50 = {kind: side_by_side(big, kind, args.runs if kind != "rka" else max(3, args.runs // 2))
                for kind in ("kir", "usulan", "rka")}
        at200 = {"kir": side_by_side(big200, "kir", max(3, args.runs // 2))} if args.big else {}
        memory = {(scale, which): run_child(path, "kir", which, memory=True)["peak_mb"]
                  for scale, path in (("50", big), ("200", big200)) if scale == "50" or args.big
                  for which in ("old", "new")}
    rows: list[tuple[str, str, str, str]] = []

    def seconds(label: str, found: dict, target: str) -> None:
        (oc, ow), (nc, nw) = found["old"], found["new"]
        rows.append((label, f"{oc:.2f} s ({ow:.2f})", f"{nc:.2f} s ({nw:.2f})", target))

    seconds("KIR XLSX, scale 50 (1,400 sheets, 7,250 rows)", at50["kir"], "<= 3 s")
    if at200:
        seconds("KIR XLSX, scale 200 (5,600 sheets, 29,000 rows)", at200["kir"], "linear")
        grow = [at200["kir"][k][0] / at50["kir"][k][0] for k in ("old", "new")]
        rows.append(("  growth of the KIR's CPU time, scale 50 -> 200 (data x4)", f"x{grow[0]:.1f}",
                     f"x{grow[1]:.1f}", "x4 (linear)"))
    rows.append(("peak memory writing the KIR, scale 50", f"{memory['50', 'old']:.0f} MB",
                 f"{memory['50', 'new']:.0f} MB", "flat"))
    if args.big:
        rows.append(("peak memory writing the KIR, scale 200", f"{memory['200', 'old']:.0f} MB",
                     f"{memory['200', 'new']:.0f} MB", "flat"))
    seconds(f"budget usulan XLSX, {lines:,} lines", at50["usulan"], "<= 2 s")
    seconds(f"budget RKA rincian XLSX, {lines:,} lines (100 sub kegiatan)", at50["rka"], "<= 3 s")
    load = f"load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    width = max(len(r[0]) for r in rows)
    print(f"\nXLSX exports, CPU seconds (wall in brackets), {load}:")
    print(f"{'what'.ljust(width)}  {'before-style (same run)':>24}  {'now':>18}  target")
    for what, before, now, target in rows:
        print(f"{what.ljust(width)}  {before:>24}  {now:>18}  {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
