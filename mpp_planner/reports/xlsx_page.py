"""Page setup shared by the spreadsheets meant for paper (budget request, KIR).

Landscape, fit to one page wide (as many tall as needed), the table's header rows repeated
on every page, "Halaman N dari M" in the footer, margins for A4. The paper is one constant:
``PAPER`` (spreadsheet paper index: 9 = A4, 14 = Folio/F4 215 x 330 mm, MPP_REFERENCE.md §9).
Works on openpyxl and XlsxWriter worksheets; no Qt, imports nothing heavy.
"""

from __future__ import annotations

PAPER_A4 = 9
PAPER_F4 = 14
PAPER = PAPER_A4

FOOTER = "Halaman &P dari &N"
FONT_SIZE = 9  # points; body text of printed sheets
LINE_PT = 12.0  # row height of one line of 9 pt text
# inches: left, right, top, bottom, header, footer (about 10 / 10 / 15 / 15 / 8 / 8 mm)
MARGINS = (0.4, 0.4, 0.6, 0.6, 0.3, 0.3)


def wrapped_lines(text: str, chars: int) -> int:
    """How many lines ``text`` takes when wrapped at word boundaries into ``chars`` characters."""
    if not text:
        return 1
    total = 0
    for para in text.split("\n"):
        lines, used = 1, 0
        for word in para.split(" "):
            n = len(word)
            if used and used + 1 + n > chars:
                lines += 1
                used = 0
            if used:
                used += 1
            while n > chars:  # a word longer than the column is broken
                lines += 1
                n -= chars
            used += n
        total += lines
    return total


def setup_xlsxwriter(ws, first_title_row: int, last_title_row: int, paper: int = PAPER) -> None:
    """XlsxWriter worksheet: rows are 0-based, as XlsxWriter counts them. ``paper``: the page-setup paper
    number (``model.paper.Paper.xlsx_index``)."""
    ws.set_landscape()
    ws.set_paper(paper)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(first_title_row, last_title_row)
    left, right, top, bottom, header, footer = MARGINS
    ws.set_margins(left=left, right=right, top=top, bottom=bottom)
    ws.set_header("", {"margin": header})
    ws.set_footer(f"&C&{FONT_SIZE}{FOOTER}", {"margin": footer})


def setup_openpyxl(ws, first_title_row: int, last_title_row: int, paper: int = PAPER) -> None:
    """openpyxl worksheet: rows are 1-based."""
    from openpyxl.worksheet.page import PageMargins

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = paper
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{first_title_row}:{last_title_row}"
    left, right, top, bottom, header, footer = MARGINS
    ws.page_margins = PageMargins(left=left, right=right, top=top, bottom=bottom, header=header, footer=footer)
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.size = FONT_SIZE
