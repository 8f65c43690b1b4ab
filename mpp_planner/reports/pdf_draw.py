"""Plain-text tables drawn straight onto a ReportLab canvas, for sheets with thousands of rows.

A platypus ``Table`` with a ``Paragraph`` per cell costs about a millisecond per cell; a KIR of
1,400 rooms or an allocation list of 1,700 counters then takes a minute. Here each cell's text
is wrapped once with the fonts' metrics (cached, since the same names recur on every page) and
each table part is written as plain PDF operators in one group — the approach of
``budget_pdf`` — so the text stays text, searchable and copyable. Rows, spans, fills, padding
and rules follow the platypus tables they replace, so the sheets look as before.

Import only when making a PDF: it loads ReportLab.
"""

from __future__ import annotations

import math
from functools import lru_cache

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus.flowables import Flowable

FONT, BOLD, ITALIC = "Helvetica", "Helvetica-Bold", "Helvetica-Oblique"
LEFT, RIGHT, CENTER = "left", "right", "center"
TOP, MIDDLE, BOTTOM = "top", "middle", "bottom"
BLACK = colors.black
FUZZ = 1e-6
SPACE_SHRINKAGE = rl_config.spaceShrinkage

# --- text metrics: the standard fonts' AFM widths, looked up per character ------------------

_WIDTHS: dict[str, dict[str, float]] = {}


def _width_table(font: str) -> dict[str, float]:
    table = _WIDTHS.get(font)
    if table is None:
        widths = pdfmetrics.getFont(font).widths
        table = {}
        for code in range(32, 256):
            try:
                table[bytes([code]).decode("cp1252")] = widths[code] / 1000
            except UnicodeDecodeError:
                continue
        _WIDTHS[font] = table
    return table


def text_width(text: str, font: str, size: float) -> float:
    """ReportLab's stringWidth for the standard fonts, without its per-call cost."""
    table = _width_table(font)
    try:
        return sum(map(table.__getitem__, text)) * size
    except KeyError:
        return stringWidth(text, font, size)


@lru_cache(maxsize=65536)
def wrap(text: str, font: str, size: float, width: float, shrinkage: float = SPACE_SHRINKAGE) -> tuple[str, ...]:
    """Lines of ``text`` no wider than ``width``, broken as a Paragraph breaks them: at spaces,
    a word too long for a line cut inside, every newline a line of its own. Empty text: no line.
    ``shrinkage``: how much of each space a line may give up to fit (a Paragraph's; 0 for strict)."""
    if not text:
        return ()
    out: list[str] = []
    for para in text.split("\n"):
        out.extend(_break(para, font, size, width, shrinkage) or [""])
    return tuple(out)


def _break(text: str, font: str, size: float, width: float, shrinkage: float) -> list[str]:
    space = text_width(" ", font, size)
    shrink = shrinkage * space  # a Paragraph lets each space of a line shrink this much to fit
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for word in text.split():
        w = text_width(word, font, size)
        if current and used + space + w <= width + shrink * len(current) + FUZZ:
            current.append(word)
            used += space + w
            continue
        if current:
            lines.append(" ".join(current))
        if w <= width + FUZZ:
            current, used = [word], w
        else:
            pieces = _hard_break(word, font, size, width)
            lines.extend(pieces[:-1])
            current, used = [pieces[-1]], text_width(pieces[-1], font, size)
    if current:
        lines.append(" ".join(current))
    return lines


def _hard_break(word: str, font: str, size: float, width: float) -> list[str]:
    parts, current = [], ""
    for ch in word:
        if current and text_width(current + ch, font, size) > width + FUZZ:
            parts.append(current)
            current = ch
        else:
            current += ch
    return [*parts, current] if current else parts


# --- PDF operators --------------------------------------------------------------------------

_ESCAPES = {ord("\\"): "\\\\", ord("("): "\\(", ord(")"): "\\)"}
_ASCII_ESCAPES = str.maketrans({"\\": "\\\\", "(": "\\(", ")": "\\)"})


def pdf_literal(text: str) -> str | None:
    """A PDF string literal for the standard fonts (WinAnsi); None when a character has no code."""
    if text.isascii() and text.isprintable():
        return "(" + text.translate(_ASCII_ESCAPES) + ")"
    try:
        data = text.encode("cp1252")
    except UnicodeEncodeError:
        return None
    out = []
    for byte in data:
        if byte in _ESCAPES:
            out.append(_ESCAPES[byte])
        elif 32 <= byte < 127:
            out.append(chr(byte))
        else:
            out.append(f"\\{byte:03o}")
    return "(" + "".join(out) + ")"


_RGB: dict[tuple, str] = {}


def rgb(colour) -> str:
    key = (colour.red, colour.green, colour.blue)
    value = _RGB.get(key)
    if value is None:
        value = _RGB[key] = f"{colour.red:.3f} {colour.green:.3f} {colour.blue:.3f}"
    return value


class Painter:
    """Collects fills, text and strokes in the canvas' current coordinates and writes them as one
    ``q … Q`` group: fills first, then text, then strokes (grouped by width and colour) — right
    for tables, whose text and rules never overlap. ``ordered=True`` keeps the calls' order
    instead (drawings where shapes lie on one another). Text with characters outside WinAnsi
    goes through ReportLab's own ``drawString``, after the group."""

    def __init__(self, canv, ordered: bool = False):
        self.canv = canv
        doc = canv._doc
        self.refs = {name: doc.getInternalFontName(name) for name in (FONT, BOLD, ITALIC)}
        self.ordered = ordered
        self.fills: list[str] = []
        self.text: list[str] = []
        self.strokes: dict[tuple[float, str], list[str]] = {}
        self.seq: list[str] = []
        self.slow: list[tuple] = []
        self._font = self._colour = None

    def fill(self, colour, x: float, y: float, w: float, h: float) -> None:
        (self.seq if self.ordered else self.fills).append(f"{rgb(colour)} rg {x:.2f} {y:.2f} {w:.2f} {h:.2f} re f")

    def rect(self, x: float, y: float, w: float, h: float, colour=BLACK, width: float = 0.5) -> None:
        """The outline of a rectangle."""
        self.seq.append(f"{width:.2f} w {rgb(colour)} RG {x:.2f} {y:.2f} {w:.2f} {h:.2f} re S")

    def polygon(self, points, *, fill=None, stroke=None, width: float = 0.5) -> None:
        """A closed path through ``points``, filled and/or outlined (always in call order)."""
        if fill is None and stroke is None:
            return
        ops = [f"{rgb(fill)} rg" if fill is not None else "", f"{width:.2f} w {rgb(stroke)} RG" if stroke is not None
               else ""]
        (x, y), rest = points[0], points[1:]
        path = [f"{x:.2f} {y:.2f} m", *(f"{x:.2f} {y:.2f} l" for x, y in rest), "h"]
        op = "B" if fill is not None and stroke is not None else "f" if fill is not None else "S"
        self.seq.append(" ".join([*ops, *path, op]))

    def show(self, x: float, y: float, text: str, font: str, size: float, colour=BLACK) -> None:
        """``text`` with its baseline's left end at (x, y)."""
        literal = pdf_literal(text)
        if literal is None or font not in self.refs:
            self.slow.append((x, y, 0.0, text, font, size, colour))
            return
        self.show_literal(x, y, literal, font, size, colour)

    def show_literal(self, x: float, y: float, literal: str, font: str, size: float, colour=BLACK) -> None:
        """A PDF string literal (see :func:`pdf_literal`) in one of the standard fonts at (x, y)."""
        if self.ordered:  # each text in its own frame, so text extraction sees separate words
            self.seq.append(f"q 1 0 0 1 {x:.2f} {y:.2f} cm BT {self.refs[font]} {size:.2f} Tf {size * 1.2:.2f} TL "
                            f"{rgb(colour)} rg {literal} Tj T* ET Q")
            return
        if colour is not self._colour:
            self.text.append(f"{rgb(colour)} rg")
            self._colour = colour
        if (font, size) != self._font:
            self.text.append(f"{self.refs[font]} {size:.2f} Tf")
            self._font = (font, size)
        self.text.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm {literal} Tj")

    def show_turned(self, x: float, y: float, angle: float, dx: float, dy: float, text: str, font: str,
                    size: float, colour=BLACK) -> None:
        """``text`` turned ``angle`` degrees anticlockwise about (x, y), its baseline starting
        at (dx, dy) in the turned frame."""
        r = math.radians(angle)
        c, s = math.cos(r), math.sin(r)
        literal = pdf_literal(text)
        if literal is None or font not in self.refs:
            self.slow.append((x + dx * c - dy * s, y + dx * s + dy * c, angle, text, font, size, colour))
            return
        self.seq.append(f"q {c:.4f} {s:.4f} {-s:.4f} {c:.4f} {x:.2f} {y:.2f} cm BT {self.refs[font]} {size:.2f} Tf "
                        f"{size * 1.2:.2f} TL {rgb(colour)} rg {dx:.2f} {dy:.2f} Td {literal} Tj T* ET Q")

    def line(self, x0: float, y0: float, x1: float, y1: float, width: float = 0.5, colour=BLACK) -> None:
        if self.ordered:
            self.seq.append(f"{width:.2f} w {rgb(colour)} RG {x0:.2f} {y0:.2f} m {x1:.2f} {y1:.2f} l S")
            return
        key = (width, rgb(colour))
        path = self.strokes.get(key)
        if path is None:
            path = self.strokes[key] = []
        path.append(f"{x0:.2f} {y0:.2f} m {x1:.2f} {y1:.2f} l")

    def flush(self) -> None:
        ops = ["q", *self.fills]
        if self.text:
            ops += ["BT", *self.text, "ET"]
        for (width, colour), path in self.strokes.items():
            ops += [f"{width:.2f} w {colour} RG", *path, "S"]
        ops += self.seq
        ops.append("Q")
        self.canv._code.append("\n".join(ops))
        for x, y, angle, text, font, size, colour in self.slow:
            self.canv.saveState()
            self.canv.setFillColor(colour)
            self.canv.setFont(font, size)
            self.canv.translate(x, y)
            self.canv.rotate(angle)
            self.canv.drawString(0, 0, text)
            self.canv.restoreState()
        self.fills, self.text, self.strokes, self.seq, self.slow = [], [], {}, [], []
        self._font = self._colour = None


# --- text boxes and grids -------------------------------------------------------------------

class Text:
    """Lines in one font, aligned in a box; ``underline`` as a Paragraph's ``<u>``. Each line's
    PDF string and width are worked out once, when first drawn (texts are shared, see ``wrapped``)."""

    __slots__ = ("lines", "font", "size", "leading", "align", "colour", "underline", "height", "_drawn")

    def __init__(self, lines, font=FONT, size=8.0, leading=None, align=LEFT, colour=None, underline=False):
        self.lines = tuple(lines)
        self.font, self.size = font, size
        self.leading = leading if leading is not None else round(size * 1.22, 2)
        self.align, self.colour, self.underline = align, colour if colour is not None else BLACK, underline
        self.height = len(self.lines) * self.leading
        self._drawn = None

    @staticmethod
    def wrapped(text, width: float, font=FONT, size=8.0, leading=None, align=LEFT, colour=None,
                underline=False) -> Text:
        """``text`` broken into lines no wider than ``width``; the same arguments give the same
        (shared, never changed) object, since names and numbers recur on every page."""
        return _wrapped("" if text is None else str(text), width, font, size, leading, align, colour, underline)

    def with_lines(self, lines) -> Text:
        return Text(lines, self.font, self.size, self.leading, self.align, self.colour, self.underline)

    def _prepare(self) -> list:
        out = []
        for line in self.lines:
            if not line:
                out.append(None)
                continue
            out.append((line, pdf_literal(line) if self.font in _STANDARD else None,
                        text_width(line, self.font, self.size)))
        self._drawn = out
        return out

    def paint(self, painter: Painter, x0: float, x1: float, top: float) -> None:
        """Lines from ``top`` down between x0 and x1 (padding already taken off): the first
        baseline one font size below the top, as ReportLab's paragraphs place it."""
        drawn = self._drawn if self._drawn is not None else self._prepare()
        y = top - self.size
        align, font, size, colour = self.align, self.font, self.size, self.colour
        for item in drawn:
            if item is not None:
                line, literal, w = item
                x = x0 if align == LEFT else x1 - w if align == RIGHT else x0 + (x1 - x0 - w) / 2
                if literal is None:
                    painter.show(x, y, line, font, size, colour)
                else:
                    painter.show_literal(x, y, literal, font, size, colour)
                if self.underline:
                    under = y - 0.125 * size
                    painter.line(x, under, x + w, under, 1.0, colour)
            y -= self.leading


_STANDARD = frozenset((FONT, BOLD, ITALIC))


@lru_cache(maxsize=65536)
def _wrapped(text, width, font, size, leading, align, colour, underline) -> Text:
    return Text(wrap(text, font, size, width), font, size, leading, align, colour, underline)


class GridStyle:
    """Cell padding and rules of a table (``header_table`` in reports.pdf: 3/3/2/2 pt, 0.5 pt grid)."""

    def __init__(self, pad_left=3.0, pad_right=3.0, pad_top=2.0, pad_bottom=2.0, rule=0.5, rule_colour=None):
        self.pad_left, self.pad_right, self.pad_top, self.pad_bottom = pad_left, pad_right, pad_top, pad_bottom
        self.rule = rule
        self.rule_colour = rule_colour if rule_colour is not None else BLACK


class Cell:
    """Text in columns c0..c1, over ``rows`` rows of its grid (header blocks span rows)."""

    __slots__ = ("c0", "c1", "text", "valign", "rows")

    def __init__(self, c0: int, c1: int, text: Text | None, valign: str = TOP, rows: int = 1):
        self.c0, self.c1, self.text, self.valign, self.rows = c0, c1, text, valign, rows


class Row:
    """One table row: its cells left to right covering every column, its height and fill.

    ``min_height``: the platypus tables sized a row holding an empty plain-string cell at 16 pt;
    rows that had one keep that height so the sheets look as they did.
    """

    __slots__ = ("cells", "height", "fill", "keep_with_next", "pad")

    def __init__(self, cells: list[Cell], style: GridStyle, fill=None, min_height: float = 0.0,
                 keep_with_next: bool = False, height: float | None = None):
        self.cells = cells
        self.fill = fill
        self.keep_with_next = keep_with_next
        self.pad = (style.pad_top, style.pad_bottom)
        if height is None:
            content = max((c.text.height for c in cells if c.text is not None and c.rows == 1), default=0.0)
            height = max(min_height, content + style.pad_top + style.pad_bottom)
        self.height = height

    def split(self, avail: float, style: GridStyle) -> tuple[Row, Row] | None:
        """The lines that fit ``avail`` points and the rest, as two rows (a very tall cell
        continues on the next page); None when not one line fits."""
        room = avail - style.pad_top - style.pad_bottom
        heads, tails, moved = [], [], False
        for cell in self.cells:
            text = cell.text
            if text is None or not text.lines:
                heads.append(cell)
                tails.append(Cell(cell.c0, cell.c1, None, cell.valign))
                continue
            n = int((room + FUZZ) // text.leading)
            if n < 1:
                return None
            if n < len(text.lines):
                moved = True
            heads.append(Cell(cell.c0, cell.c1, text.with_lines(text.lines[:n]), cell.valign))
            tails.append(Cell(cell.c0, cell.c1, text.with_lines(text.lines[n:]), cell.valign))
        if not moved:
            return None
        return (Row(heads, style, self.fill), Row(tails, style, self.fill, keep_with_next=self.keep_with_next))


def paint_grid(painter: Painter, xs, rows: list[Row], x: float, top: float, style: GridStyle) -> float:
    """Rows from ``top`` down, starting at ``x``: fills, text, and the grid — each cell's left and
    bottom edge, so spanned cells have no rule inside, then the table's top and right edge; runs
    of the same rule over many rows are drawn as one line. Returns the y of the bottom."""
    tops = [top]
    for row in rows:
        tops.append(tops[-1] - row.height)
    left, right = x + xs[0], x + xs[-1]
    rule, colour = style.rule, style.rule_colour
    line = painter.line
    runs: dict[int, list[float]] = {}  # column -> [top, bottom] of the vertical rule being drawn
    pad_left, pad_right, pad_top, pad_bottom = style.pad_left, style.pad_right, style.pad_top, style.pad_bottom
    n = len(rows)
    spans_to = 0  # the row below which the deepest cell so far ends
    for i, row in enumerate(rows):
        y0, y1 = tops[i], tops[i + 1]
        if row.fill is not None:
            painter.fill(row.fill, left, y1, right - left, y0 - y1)
        full = spans_to <= i + 1
        for cell in row.cells:
            bottom = y1 if cell.rows == 1 else tops[min(i + cell.rows, n)]
            run = runs.get(cell.c0)
            if run is not None and abs(run[1] - y0) < 0.01:
                run[1] = bottom
            else:
                if run is not None:
                    line(x + xs[cell.c0], run[0], x + xs[cell.c0], run[1], rule, colour)
                runs[cell.c0] = [y0, bottom]
            if cell.rows != 1:
                full = False
                spans_to = max(spans_to, i + cell.rows)
                line(x + xs[cell.c0], bottom, x + xs[cell.c1 + 1], bottom, rule, colour)
            text = cell.text
            if text is None or not text.lines:
                continue
            if cell.valign == TOP:
                text_top = y0 - pad_top
            elif cell.valign == BOTTOM:
                text_top = bottom + pad_bottom + text.height
            else:
                text_top = bottom + (y0 - bottom + pad_bottom - pad_top + text.height) / 2
            text.paint(painter, x + xs[cell.c0] + pad_left, x + xs[cell.c1 + 1] - pad_right, text_top)
        if full:
            line(left, y1, right, y1, rule, colour)
        else:  # the cells of this row that end here (the others span further down)
            for cell in row.cells:
                if cell.rows == 1:
                    line(x + xs[cell.c0], y1, x + xs[cell.c1 + 1], y1, rule, colour)
    for c, (y0, y1) in runs.items():
        line(x + xs[c], y0, x + xs[c], y1, rule, colour)
    line(left, top, right, top, rule, colour)
    line(right, top, right, tops[-1], rule, colour)
    return tops[-1]


def fix_spans(heights: list[float], spans: list[tuple[int, int, float]]) -> list[float]:
    """Grow rows so each cell spanning rows r0..r1 gets ``need`` points, the shortfall shared
    equally by the rows it spans (platypus' rule)."""
    heights = list(heights)
    for r0, r1, need in sorted(spans, key=lambda s: -s[2]):
        have = sum(heights[r0:r1 + 1])
        if have < need - FUZZ:
            extra = (need - have) / (r1 - r0 + 1)
            for r in range(r0, r1 + 1):
                heights[r] += extra
    return heights


# --- a table as one flowable ------------------------------------------------------------------

class Block:
    """Something drawn below a table's last row (the signatures): a height and a painter."""

    height: float = 0.0

    def paint(self, painter: Painter, x: float, top: float) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class DrawnTable(Flowable):
    """Header rows (repeated at the top of every part) and body rows on a fixed column grid.

    Splits between rows; a row taller than ``split_rows_over`` points continues on the next
    page rather than leaving a gap. ``closing`` (e.g. the signatures) is drawn ``gap`` points
    below the last row and never alone: when it does not fit under the last rows, the last
    ``tail_rows`` rows move to the next page with it. A part that ends a page fills the rest of
    the frame, so a continuation always starts on a new page under its repeated header.
    """

    def __init__(self, xs, header: list[Row], rows: list[Row], style: GridStyle, *, closing: Block | None = None,
                 gap: float = 0.0, tail_rows: int = 3, split_rows_over: float | None = None,
                 _body_height: float | None = None, _fill_to: float | None = None):
        super().__init__()
        self.xs = xs
        self.header = header
        self.rows = rows
        self.style = style
        self.closing = closing
        self.gap = gap
        self.tail_rows = tail_rows
        self.split_rows_over = split_rows_over
        self.header_height = sum(r.height for r in header)
        self.body_height = sum(r.height for r in rows) if _body_height is None else _body_height
        self.fill_to = _fill_to
        self.width = xs[-1] - xs[0]

    def _closing_height(self) -> float:
        return self.closing.height + self.gap if self.closing is not None else 0.0

    def _natural_height(self) -> float:
        return self.header_height + self.body_height + self._closing_height()

    def wrap(self, avail_width, avail_height):
        self.height = max(self._natural_height(), self.fill_to or 0.0)
        return self.width, self.height

    def _part(self, rows, *, closing, fill_to=None, body=None) -> DrawnTable:
        return DrawnTable(self.xs, self.header, rows, self.style, closing=closing, gap=self.gap,
                          tail_rows=self.tail_rows, split_rows_over=self.split_rows_over, _body_height=body,
                          _fill_to=fill_to)

    def split(self, avail_width, avail_height):
        rows = self.rows
        room = avail_height - self.header_height
        used, k = 0.0, 0
        while k < len(rows) and used + rows[k].height <= room + FUZZ:
            used += rows[k].height
            k += 1
        if k == len(rows):
            if used + self._closing_height() <= room + FUZZ:
                return [self]
            k = max(0, len(rows) - self.tail_rows)
            while k > 0 and rows[k - 1].keep_with_next:
                k -= 1
            if k == 0:
                return []
            head = rows[:k]
            return [self._part(head, closing=None, fill_to=avail_height),
                    self._part(rows[k:], closing=self.closing)]
        row = rows[k]
        if self.split_rows_over is not None and row.height > self.split_rows_over:
            pieces = row.split(room - used, self.style)
            if pieces is not None:
                return [self._part([*rows[:k], pieces[0]], closing=None, fill_to=avail_height),
                        self._part([pieces[1], *rows[k + 1:]], closing=self.closing)]
        while k > 0 and rows[k - 1].keep_with_next:
            k -= 1
        if k == 0:
            return []
        head_height = sum(r.height for r in rows[:k])
        return [self._part(rows[:k], closing=None, fill_to=avail_height, body=head_height),
                self._part(rows[k:], closing=self.closing, body=self.body_height - head_height)]

    def draw(self):
        painter = Painter(self.canv)
        top = self.height
        bottom = paint_grid(painter, self.xs, [*self.header, *self.rows], 0.0, top, self.style)
        if self.closing is not None:
            self.closing.paint(painter, 0.0, bottom - self.gap)
        painter.flush()


class Drawn(Flowable):
    """A fixed block of drawing (a heading, a plan, a legend): ``paint(painter, width, height)``
    draws it with (0, 0) at its bottom left."""

    def __init__(self, width: float, height: float, paint, *, ordered: bool = True):
        super().__init__()
        self.width, self.height = width, height
        self._paint = paint
        self._ordered = ordered

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def draw(self):
        painter = Painter(self.canv, self._ordered)
        self._paint(painter, self.width, self.height)
        painter.flush()
