"""Page setup shared by the spreadsheets meant for paper (budget request, KIR), and the writer they use.

Landscape, fit to one page wide (as many tall as needed), the table's header rows repeated
on every page, "Halaman N dari M" in the footer, margins for A4. The paper is one constant:
``PAPER`` (spreadsheet paper index: 9 = A4, 14 = Folio/F4 215 x 330 mm, MPP_REFERENCE.md §9).
Works on openpyxl and XlsxWriter worksheets; no Qt, imports nothing heavy.

:class:`XlsxBook` writes such workbooks as a stream (issue 22): each sheet's rows go into the zip as they
are made, so time and memory grow with the rows and not with the sheets written before (XlsxWriter keeps
every sheet until the end: 26 s and 500 MB for the 5,600 room cards of a scale-200 MPP; openpyxl spends
seconds on style objects compared field by field). It knows what the printed sheets need and no more.
"""

from __future__ import annotations

import re
import zipfile
from datetime import datetime, timezone
from typing import Any, NamedTuple

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


# --- the streamed workbook ------------------------------------------------------------------------

def char_width(chars: float) -> float:
    """The column width stored for ``chars`` characters of the default font, as XlsxWriter and Excel's own
    dialog count them (the cell padding added): 4 -> 4.7109375."""
    if chars <= 0:
        return 0.0
    pixels = int(chars * 12 + 0.5) if chars < 1 else int(chars * 7 + 0.5) + 5
    return int(pixels / 7 * 256) / 256


class Formula(NamedTuple):
    """A formula (without "=") and, when known, its result, shown until the spreadsheet calculates."""

    text: str
    value: Any = None


_NS = ('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # no XML file can hold them
_BAD_NAME = re.compile(r"[\[\]:*?/\\]")
_HALIGN = {"center_across": "centerContinuous"}
_VALIGN = {"vcenter": "center"}
_BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "@": 49}
_COLUMNS: list[str] = []


def _letters(c: int) -> str:
    """Column letters of 0-based column ``c`` (0 -> A, 26 -> AA)."""
    while len(_COLUMNS) <= c:
        n, out = len(_COLUMNS) + 1, ""
        while n:
            n, rest = divmod(n - 1, 26)
            out = chr(65 + rest) + out
        _COLUMNS.append(out)
    return _COLUMNS[c]


def xml_text(text: str) -> str:
    """``text`` escaped for XML, without the characters XLSX cannot hold."""
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    return xml_text(text).replace('"', "&quot;")


def _color(value: str) -> str:
    return "FF" + value.lstrip("#").upper()


class XlsxBook:
    """A workbook of printed sheets written straight into its zip: a sheet is finished (and its memory
    freed) when the next one starts. Rows are 0-based and must come in order, as must the sheets.

    Styles take XlsxWriter's property names (``bold``, ``italic``, ``underline``, ``font_size``,
    ``font_color``, ``bg_color``, ``border`` with ``border_color``, ``align`` incl. ``center_across``,
    ``valign``, ``text_wrap``, ``indent``, ``num_format``); :meth:`style` gives the number a cell takes.
    Text is stored as text, never as a formula (the caller neutralises user text).
    """

    def __init__(self, target, *, title: str = "", creator: str = "") -> None:
        self._zip = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6)
        self.title, self.creator = title, creator
        self._fonts: dict[tuple, int] = {("Calibri", 11, False, False, False, None): 0}
        self._fills: dict[str | None, int] = {None: 0, "gray125": 1}
        self._borders: dict[tuple, int] = {(0, None): 0}
        self._formats: dict[str, int] = {}
        self._xfs: dict[tuple, int] = {(0, 0, 0, 0, None, None, False, 0): 0}
        self._styles: dict[tuple, int] = {}
        self._sheets: list[tuple[str, str | None]] = []  # (name, print titles as "$10:$11")
        self._names: set[str] = {"history"}  # a name Excel keeps for itself
        self._sheet: XlsxSheet | None = None

    def style(self, **props) -> int:
        key = tuple(sorted(props.items()))
        found = self._styles.get(key)
        if found is not None:
            return found
        font = (props.get("font_name", "Calibri"), props.get("font_size", 11), bool(props.get("bold")),
                bool(props.get("italic")), bool(props.get("underline")), props.get("font_color"))
        fill = props.get("bg_color")
        border = (props.get("border", 0), props.get("border_color") if props.get("border") else None)
        fmt = props.get("num_format", "General")
        number = _BUILTIN_FORMATS.get(fmt)
        if number is None:
            number = self._formats.setdefault(fmt, 164 + len(self._formats))
        xf = (self._fonts.setdefault(font, len(self._fonts)), self._fills.setdefault(fill, len(self._fills)),
              self._borders.setdefault(border, len(self._borders)), number,
              _HALIGN.get(props.get("align", ""), props.get("align")), _VALIGN.get(props.get("valign", ""),
                                                                                   props.get("valign")),
              bool(props.get("text_wrap")), int(props.get("indent", 0)))
        found = self._styles[key] = self._xfs.setdefault(xf, len(self._xfs))
        return found

    def sheet(self, name: str, widths=(), *, titles: tuple[int, int] | None = None, paper: int = PAPER,
              freeze: int = 0, grid: bool = False) -> XlsxSheet:
        """Start the next sheet (finishing the one before): ``widths`` as stored (see :func:`char_width`),
        ``titles`` the first and last row printed on every page, ``freeze`` the rows kept in view,
        ``grid`` prints the cell grid."""
        if (not name or len(name) > 31 or _BAD_NAME.search(name) or name[0] == "'" or name[-1] == "'"
                or name.lower() in self._names):
            raise ValueError(f"not a new sheet name: {name!r}")
        self._finish_sheet()
        self._names.add(name.lower())
        self._sheets.append((name, f"${titles[0] + 1}:${titles[1] + 1}" if titles else None))
        self._sheet = XlsxSheet(self._zip.open(f"xl/worksheets/sheet{len(self._sheets)}.xml", "w"),
                                widths, paper, freeze, grid, selected=len(self._sheets) == 1)
        return self._sheet

    def _finish_sheet(self) -> None:
        if self._sheet is not None:
            self._sheet.close()
            self._sheet = None

    def close(self) -> None:
        """Finish the last sheet and write the workbook's own parts."""
        self._finish_sheet()
        if not self._sheets:
            raise ValueError("a workbook needs a sheet")
        n = len(self._sheets)
        put = self._zip.writestr
        put("[Content_Types].xml", _HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                      f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, n + 1))
            + "</Types>")
        put("_rels/.rels", _HEAD + f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships"><Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/></Relationships>')
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        put("docProps/core.xml", _HEAD + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
            '2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            + (f"<dc:title>{xml_text(self.title)}</dc:title>" if self.title else "")
            + f"<dc:creator>{xml_text(self.creator)}</dc:creator>"
            + f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')
        put("docProps/app.xml", _HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            'extended-properties"><Application>MPP Planner</Application></Properties>')
        sheets = "".join(f'<sheet name="{_attr(name)}" sheetId="{i}" r:id="rId{i}"/>'
                         for i, (name, _t) in enumerate(self._sheets, 1))
        titles = "".join(f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
                         f"{xml_text(quote_sheet(name))}!{rows}</definedName>"
                         for i, (name, rows) in enumerate(self._sheets) if rows)
        put("xl/workbook.xml", _HEAD + f"<workbook {_NS}><workbookPr/><bookViews><workbookView/></bookViews>"
            f"<sheets>{sheets}</sheets>" + (f"<definedNames>{titles}</definedNames>" if titles else "")
            + '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')
        put("xl/_rels/workbook.xml.rels", _HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                      for i in range(1, n + 1))
            + f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>')
        put("xl/styles.xml", self._styles_xml())
        self._zip.close()

    def abandon(self) -> None:
        """Close the zip after a failure (the caller removes the half-written file), writing nothing more:
        on a full disk that would fail again (and, left to the garbage collector, print a stray trace)."""
        from mpp_planner.reports.output import abandon_zip

        self._sheet = None
        abandon_zip(self._zip)

    def __enter__(self) -> XlsxBook:
        return self

    def __exit__(self, kind, _value, _tb) -> None:
        if kind is None:
            try:
                self.close()
            except BaseException:  # finishing failed (a full disk)
                self.abandon()
                raise
        else:
            self.abandon()

    def _styles_xml(self) -> str:
        formats = "".join(f'<numFmt numFmtId="{n}" formatCode="{_attr(code)}"/>' for code, n in self._formats.items())
        fonts = []
        for name, size, bold, italic, underline, color in self._fonts:
            fonts.append("<font>" + ("<b/>" if bold else "") + ("<i/>" if italic else "")
                         + ('<u/>' if underline else "") + f'<sz val="{size}"/>'
                         + (f'<color rgb="{_color(color)}"/>' if color else "")
                         + f'<name val="{_attr(name)}"/><family val="2"/></font>')
        fills = ['<fill><patternFill patternType="none"/></fill>', '<fill><patternFill patternType="gray125"/></fill>']
        fills += [f'<fill><patternFill patternType="solid"><fgColor rgb="{_color(c)}"/><bgColor indexed="64"/>'
                  f"</patternFill></fill>" for c in list(self._fills)[2:] if c]
        borders = []
        for kind, color in self._borders:
            if not kind:
                borders.append("<border><left/><right/><top/><bottom/><diagonal/></border>")
                continue
            side = f'style="thin"><color rgb="{_color(color or "#000000")}"/>'
            borders.append("<border>" + "".join(f"<{s} {side}</{s}>" for s in ("left", "right", "top", "bottom"))
                           + "<diagonal/></border>")
        xfs = []
        for font, fill, border, number, horizontal, vertical, wrap, indent in self._xfs:
            align = "".join(f' {k}="{v}"' for k, v in (("horizontal", horizontal), ("vertical", vertical),
                                                       ("wrapText", "1" if wrap else None),
                                                       ("indent", indent or None)) if v)
            xfs.append(f'<xf numFmtId="{number}" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0"'
                       + (' applyNumberFormat="1"' if number else "") + (' applyFont="1"' if font else "")
                       + (' applyFill="1"' if fill else "") + (' applyBorder="1"' if border else "")
                       + (f' applyAlignment="1"><alignment{align}/></xf>' if align else "/>"))
        return (_HEAD + '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                + (f'<numFmts count="{len(self._formats)}">{formats}</numFmts>' if formats else "")
                + f'<fonts count="{len(fonts)}">{"".join(fonts)}</fonts>'
                + f'<fills count="{len(fills)}">{"".join(fills)}</fills>'
                + f'<borders count="{len(borders)}">{"".join(borders)}</borders>'
                + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                + f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
                + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                + '<dxfs count="0"/><tableStyles count="0"/></styleSheet>')


def quote_sheet(name: str) -> str:
    """A sheet name as formulas write it: 'Ruang Ka''bah'."""
    return "'" + name.replace("'", "''") + "'"


class XlsxSheet:
    """One sheet of an :class:`XlsxBook`, its rows written as they come (0-based rows and columns)."""

    def __init__(self, stream, widths, paper: int, freeze: int, grid: bool, selected: bool) -> None:
        self.stream = stream
        self.paper, self.grid = paper, grid
        self._row = -1  # the row being filled
        self._cells: list[tuple[int, str]] = []  # (column, XML) of that row
        self._heights: dict[int, float] = {}
        self._blanks: dict[int, list[tuple[int, int]]] = {}  # row -> (column, style) of merged cells below
        self._merges: list[str] = []
        self._out: list[str] = []  # the sheet's XML from <sheetData> on
        self._bounds = [-1, -1, 1 << 20, -1]  # first and last row, first and last column with a cell
        view = '<sheetView workbookViewId="0"' + (' tabSelected="1"' if selected else "")
        if freeze:
            cell = f"A{freeze + 1}"
            view += (f'><pane ySplit="{freeze}" topLeftCell="{cell}" activePane="bottomLeft" state="frozen"/>'
                     f'<selection pane="bottomLeft" activeCell="{cell}" sqref="{cell}"/></sheetView>')
        else:
            view += "/>"
        cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, 1) if w)
        self._head = (f"<sheetViews>{view}</sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>"
                      + (f"<cols>{cols}</cols>" if cols else "") + "<sheetData>")

    # -- cells --------------------------------------------------------------------------------
    def cell(self, r: int, c: int, value: Any = None, style: int = 0) -> None:
        """Write one cell: text, a number, a :class:`Formula`, or None (a blank showing its style only)."""
        if r != self._row:
            self._start_row(r)
        ref = _letters(c) + str(r + 1)
        s = f' s="{style}"' if style else ""
        if value is None:
            if style:
                self._cells.append((c, f'<c r="{ref}"{s}/>'))
        elif isinstance(value, str):
            space = ' xml:space="preserve"' if value[:1].isspace() or value[-1:].isspace() else ""
            self._cells.append((c, f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{xml_text(value)}</t></is></c>'))
        elif isinstance(value, Formula):
            cached = "" if value.value is None else f"<v>{_number(value.value)}</v>"
            self._cells.append((c, f'<c r="{ref}"{s}><f>{xml_text(value.text)}</f>{cached}</c>'))
        else:
            self._cells.append((c, f'<c r="{ref}"{s}><v>{_number(value)}</v></c>'))

    def row(self, r: int, values, styles, first: int = 0) -> None:
        """Write the cells of row ``r`` from column ``first`` on; ``styles``: one per value, or one for all."""
        each = not isinstance(styles, int)
        for i, value in enumerate(values):
            self.cell(r, first + i, value, styles[i] if each else styles)

    def height(self, r: int, points: float) -> None:
        """Row ``r`` this tall (set before a later row is written), on the screen's pixel grid (0.75 pt) as
        Excel keeps it."""
        if r < self._row:
            raise ValueError(f"row {r + 1} is already written")
        self._heights[r] = int(points * 4 / 3 + 0.5) * 0.75

    def merge(self, r1: int, c1: int, r2: int, c2: int, value: Any = None, style: int = 0) -> None:
        """One cell over rows r1..r2 and columns c1..c2 holding ``value``; every cell of it takes ``style``
        (borders show along the whole edge); the cells in later rows are written when those rows come."""
        self._merges.append(f"{_letters(c1)}{r1 + 1}:{_letters(c2)}{r2 + 1}")
        self.cell(r1, c1, value, style)
        for c in range(c1 + 1, c2 + 1):
            self.cell(r1, c, None, style)
        if style:
            for r in range(r1 + 1, r2 + 1):
                self._blanks.setdefault(r, []).extend((c, style) for c in range(c1, c2 + 1))

    # -- rows ---------------------------------------------------------------------------------
    def _start_row(self, r: int) -> None:
        if r < self._row:
            raise ValueError(f"row {r + 1} comes after row {self._row + 1}")
        self._flush_row()
        for waiting in sorted(w for w in {*self._heights, *self._blanks} if w < r):  # rows nothing was written to
            self._row = waiting
            self._flush_row()
        self._row = r
        for c, style in self._blanks.pop(r, ()):
            self._cells.append((c, f'<c r="{_letters(c)}{r + 1}" s="{style}"/>'))

    def _flush_row(self) -> None:
        r = self._row
        if r < 0:
            return
        cells, height = self._cells, self._heights.pop(r, None)
        if r in self._blanks:
            cells += [(c, f'<c r="{_letters(c)}{r + 1}" s="{style}"/>') for c, style in self._blanks.pop(r)]
        if cells or height is not None:
            if any(cells[i][0] >= cells[i + 1][0] for i in range(len(cells) - 1)):
                cells = sorted(dict(cells).items())  # in column order; a cell written twice keeps the last
            if cells:
                bounds = self._bounds
                if bounds[0] < 0:
                    bounds[0] = r
                bounds[1] = r
                bounds[2] = min(bounds[2], cells[0][0])
                bounds[3] = max(bounds[3], cells[-1][0])
            ht = f' ht="{_number(height)}" customHeight="1"' if height is not None else ""
            self._out.append(f'<row r="{r + 1}"{ht}>' + "".join(xml for _c, xml in cells) + "</row>")
        self._cells = []

    def close(self) -> None:
        """Finish the sheet: the last rows, the merged ranges and the print set-up; the sheet goes into the
        zip (kept until here for the used range, which comes first: some readers size the sheet by it)."""
        self._start_row(max([self._row + 1, *self._heights, *self._blanks]) + 1)
        self._out.append("</sheetData>")
        if self._merges:
            self._out.append(f'<mergeCells count="{len(self._merges)}">'
                             + "".join(f'<mergeCell ref="{m}"/>' for m in self._merges) + "</mergeCells>")
        left, right, top, bottom, header, footer = MARGINS
        self._out.append(('<printOptions gridLines="1"/>' if self.grid else "")
                         + f'<pageMargins left="{left}" right="{right}" top="{top}" bottom="{bottom}" '
                         f'header="{header}" footer="{footer}"/>'
                         f'<pageSetup paperSize="{self.paper}" orientation="landscape" fitToHeight="0"/>'
                         f"<headerFooter><oddFooter>&amp;C&amp;{FONT_SIZE}{xml_text(FOOTER)}</oddFooter></headerFooter>"
                         "</worksheet>")
        first, last, first_col, last_col = self._bounds
        used = f"{_letters(first_col)}{first + 1}:{_letters(last_col)}{last + 1}" if first >= 0 else "A1"
        self.stream.write((f'{_HEAD}<worksheet {_NS}><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
                           f'<dimension ref="{used}"/>{self._head}').encode("utf-8"))
        self.stream.write("".join(self._out).encode("utf-8"))
        self._out = []
        self.stream.close()


def _number(value) -> str:
    if isinstance(value, float):
        return repr(value) if value != int(value) or abs(value) >= 1e15 else str(int(value))
    if isinstance(value, int):
        return str(value)
    return format(value, "f")  # Decimal: exact, never "1E+3"
