"""The RKA-style table of the budget request sheet as one fast ReportLab flowable.

Platypus ``Table`` with a ``Paragraph`` per cell takes ~10 s for 5,000 lines; this flowable
wraps each cell once with the font metrics, splits between rows (never after an account row,
so an account is not left alone at the foot of a page), repeats the header on every page and
draws plain text, so the PDF stays searchable. Imported only when a PDF is made.
"""

from __future__ import annotations

from io import BytesIO

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.flowables import Flowable

from mpp_planner.reports.pdf import GRID, HEADER_BG, SheetDoc
from mpp_planner.reports.pdf_draw import pdf_literal, rgb, text_width, wrap

FONT, BOLD, ITALIC = "Helvetica", "Helvetica-Bold", "Helvetica-Oblique"
SIZE, SMALL = 8.0, 7.0
PAD_X, PAD_TOP, PAD_BOTTOM = 3.0, 2.6, 2.8
LEFT, RIGHT, CENTER = 0, 1, 2
ROOT_BG = colors.HexColor("#DDE3EC")
ACCOUNT_BG = colors.HexColor("#F1F3F7")
TEXT = colors.black
SPEC = colors.HexColor("#333333")

# No, Kode Rekening, Uraian, Lokasi, Koefisien, Satuan, Harga, PPN, Jumlah (relative widths)
WIDTHS = (22, 86, 226, 92, 76, 54, 68, 62, 78)
HEADERS = ("No", "Kode Rekening", "Uraian", "Lokasi", "Koefisien", "Satuan", "Harga (Rp)", "PPN (Rp)", "Jumlah (Rp)")


class Box:
    """Text in the cells c0..c1 of a row: [(text, font, size, leading, colour)], aligned."""

    __slots__ = ("c0", "c1", "lines", "align", "height")

    def __init__(self, c0, c1, lines, align):
        self.c0, self.c1, self.lines, self.align = c0, c1, lines, align
        self.height = sum(line[3] for line in lines)


class Row:
    __slots__ = ("boxes", "height", "fill", "keep_with_next", "valign_middle", "continued")

    def __init__(self, boxes, fill=None, keep_with_next=False, valign_middle=False, continued=None):
        self.boxes = boxes
        self.continued = continued  # an item row: the "(lanjutan)" row of its account, for a page top
        self.fill = fill
        self.keep_with_next = keep_with_next
        self.valign_middle = valign_middle
        self.height = max((b.height for b in boxes), default=SIZE) + PAD_TOP + PAD_BOTTOM


class RkaTable(Flowable):
    """Rows of boxes on a fixed column grid; the header row is drawn at the top of every part.

    ``closing`` (the total in words and the signatures) is drawn right below the last row and
    never on a page of its own: when it does not fit under the last rows, the last
    ``TAIL_ROWS`` rows move to the next page with it, so what is signed shares a page with the
    table it signs.
    """

    TAIL_ROWS = 3

    def __init__(self, xs, header: Row, rows: list[Row], closing=(), closing_height=None, body_height=None):
        super().__init__()
        self.xs = xs  # column boundaries, len = columns + 1
        self.header = header
        self.rows = rows
        self.closing = list(closing)
        self._body_height = sum(r.height for r in rows) if body_height is None else body_height
        self._closing_height = closing_height if self.closing else 0.0

    def _closing_h(self) -> float:
        if self._closing_height is None:
            self._closing_height = sum(f.wrap(self.xs[-1], 10_000)[1] for f in self.closing)
        return self._closing_height

    def wrap(self, avail_width, avail_height):
        self.width = self.xs[-1]
        self.height = self.header.height + self._body_height + self._closing_h()
        return self.width, self.height

    def split(self, avail_width, avail_height):
        room = avail_height - self.header.height
        used, k = 0.0, 0
        while k < len(self.rows) and used + self.rows[k].height <= room:
            used += self.rows[k].height
            k += 1
        if k == len(self.rows):
            if used + self._closing_h() <= room:
                return [self]
            k = max(0, len(self.rows) - self.TAIL_ROWS)
        while k > 0 and self.rows[k - 1].keep_with_next:
            k -= 1
        if k == 0:
            return []
        head = sum(r.height for r in self.rows[:k])  # one page of rows, not the whole rest each time
        rest, rest_height = self.rows[k:], self._body_height - head
        if rest[0].continued is not None:  # a page that starts inside an account names it again
            rest = [rest[0].continued, *rest]
            rest_height += rest[0].height
        return [RkaTable(self.xs, self.header, self.rows[:k], body_height=head),
                RkaTable(self.xs, self.header, rest, self.closing, self._closing_h(), body_height=rest_height)]

    def draw(self):
        canv = self.canv
        y = self.header.height + self._body_height + self._closing_h()
        if not getattr(canv, "counting_only", False):
            _PartPainter(canv, self.xs).paint([self.header, *self.rows], y)
        y -= self.header.height + self._body_height
        for flowable in self.closing:
            _w, h = flowable.wrap(self.xs[-1], 10_000)
            flowable.drawOn(canv, 0, y - h)
            y -= h


class _PartPainter:
    """Writes one table part as plain PDF operators (fills, text, rules) in a q/Q group: the
    canvas API formats every number through Python code and would take seconds here. Text
    with characters outside WinAnsi goes through ReportLab's own drawString."""

    def __init__(self, canv, xs):
        self.canv = canv
        self.xs = xs
        self.refs = {name: canv._doc.getInternalFontName(name) for name in (FONT, BOLD, ITALIC)}

    def paint(self, rows: list[Row], y: float) -> None:
        xs = self.xs
        fills, text, rules, slow = [], [], [], []
        colour = font = None
        left, right = xs[0], xs[-1]
        top_of_part = y
        for row in rows:
            bottom = y - row.height
            if row.fill is not None:
                fills.append(f"{rgb(row.fill)} rg {left:.2f} {bottom:.2f} {right - left:.2f} {row.height:.2f} re f")
            for box in row.boxes:
                x0, x1 = xs[box.c0], xs[box.c1 + 1]
                rules.append(f"{x0:.2f} {y:.2f} m {x0:.2f} {bottom:.2f} l")
                top = y - PAD_TOP
                if row.valign_middle:
                    top -= (row.height - PAD_TOP - PAD_BOTTOM - box.height) / 2
                for line_text, fnt, size, leading, col in box.lines:
                    baseline = top - size * 0.86
                    top -= leading
                    if not line_text:
                        continue
                    if box.align == RIGHT:
                        x = x1 - PAD_X - text_width(line_text, fnt, size)
                    elif box.align == CENTER:
                        x = (x0 + x1 - text_width(line_text, fnt, size)) / 2
                    else:
                        x = x0 + PAD_X
                    literal = pdf_literal(line_text)
                    if literal is None:
                        slow.append((x, baseline, line_text, fnt, size, col))
                        continue
                    if col is not colour:
                        text.append(f"{rgb(col)} rg")
                        colour = col
                    if (fnt, size) != font:
                        text.append(f"{self.refs[fnt]} {size:.2f} Tf")
                        font = (fnt, size)
                    text.append(f"1 0 0 1 {x:.2f} {baseline:.2f} Tm {literal} Tj")
            rules.append(f"{right:.2f} {y:.2f} m {right:.2f} {bottom:.2f} l")
            rules.append(f"{left:.2f} {bottom:.2f} m {right:.2f} {bottom:.2f} l")
            y = bottom
        rules.append(f"{left:.2f} {top_of_part:.2f} m {right:.2f} {top_of_part:.2f} l")
        ops = ["q", *fills, "BT", *text, "ET", f"0.5 w {rgb(GRID)} RG", *rules, "S", "Q"]
        self.canv._code.append("\n".join(ops))
        for x, baseline, line_text, fnt, size, col in slow:
            self.canv.setFillColor(col)
            self.canv.setFont(fnt, size)
            self.canv.drawString(x, baseline, line_text)


def _wrap(text, font, size, width, colour=TEXT, leading=None) -> list:
    """Lines of ``text`` that fit ``width`` as (text, font, size, leading, colour)."""
    leading = leading or round(size * 1.2, 2)
    if not text:
        return []
    out = []
    for para in str(text).splitlines():
        for part in wrap(para, font, size, width, shrinkage=0) or ("",):  # drawn as is: no space may shrink
            out.append((part, font, size, leading, colour))
    return out


def _fit(text, font, size, width, colour=TEXT) -> list:
    """One line that shrinks (down to 5 pt) rather than spill over its cell."""
    w = text_width(text, font, size)
    if w > width:
        size = max(5.0, size * width / w)
    return [(text, font, size, round(SIZE * 1.2, 2), colour)]


def rka_rows(sheet, width: float, frame_height: float) -> tuple[list[float], Row, list[Row]]:
    """Column boundaries, header row and body rows of the sheet, wrapped once and reused by
    both passes of the build."""
    scale = width / sum(WIDTHS)
    xs = [0.0]
    for w in WIDTHS:
        xs.append(xs[-1] + w * scale)
    inner = [xs[i + 1] - xs[i] - 2 * PAD_X for i in range(len(WIDTHS))]
    header = Row([Box(i, i, _wrap(h, BOLD, SIZE, inner[i]), CENTER) for i, h in enumerate(HEADERS)],
                 fill=HEADER_BG, valign_middle=True)
    span_inner = xs[8] - xs[2] - 2 * PAD_X
    rows: list[Row] = []
    continued = None
    for r in sheet.rows:
        if r.kind == "account":
            node = r.node
            continued = Row([
                Box(0, 0, [], LEFT),
                Box(1, 1, _fit(node.code, BOLD, SIZE, inner[1]), LEFT),
                Box(2, 7, _wrap(node.name + " (lanjutan)", BOLD, SIZE, span_inner), LEFT),
                Box(8, 8, [], RIGHT),
            ], fill=ACCOUNT_BG, keep_with_next=True)
            rows.append(Row([
                Box(0, 0, [], LEFT),
                Box(1, 1, _fit(node.code, BOLD, SIZE, inner[1]), LEFT),
                Box(2, 7, _wrap(node.name, BOLD, SIZE, span_inner), LEFT),
                Box(8, 8, _fit(sheet.money(node.requested), BOLD, SIZE, inner[8]), RIGHT),
            ], fill=ROOT_BG if node.depth == 0 else ACCOUNT_BG, keep_with_next=True))
            continue
        b = r.line
        uraian = _wrap(b.description, FONT, SIZE, inner[2])
        if b.specification:
            uraian += _wrap("Spesifikasi: " + b.specification, ITALIC, SMALL, inner[2], SPEC)
        rows.append(Row([
            Box(0, 0, _fit(str(r.number), FONT, SIZE, inner[0]), CENTER),
            Box(1, 1, [], LEFT),
            Box(2, 2, uraian, LEFT),
            Box(3, 3, _wrap(b.room.name if b.room else "", FONT, SIZE, inner[3]), LEFT),
            Box(4, 4, _wrap(b.coefficient_text, FONT, SIZE, inner[4]), LEFT),
            Box(5, 5, _wrap(b.unit, FONT, SIZE, inner[5]), LEFT),
            Box(6, 6, _fit(sheet.money(b.unit_price), FONT, SIZE, inner[6]), RIGHT),
            Box(7, 7, _fit(sheet.money(b.ppn_amount) if b.ppn_applied else "-", FONT, SIZE, inner[7]), RIGHT),
            Box(8, 8, _fit(sheet.money(b.amount), FONT, SIZE, inner[8]), RIGHT),
        ], continued=continued))
    rows.append(Row([Box(0, 7, [("JUMLAH TOTAL", BOLD, SIZE, round(SIZE * 1.2, 2), TEXT)], RIGHT),
                     Box(8, 8, _fit(sheet.money(sheet.total), BOLD, SIZE, inner[8]), RIGHT)], fill=HEADER_BG))
    limit = frame_height - header.height - 40
    return xs, header, _split_tall(rows, limit)


def _split_tall(rows: list[Row], limit: float) -> list[Row]:
    """A row taller than a page (a very long specification) continues on the next rows."""
    out = []
    for row in rows:
        if row.height <= limit:
            out.append(row)
            continue
        per = max(1, int((limit - PAD_TOP - PAD_BOTTOM) // max(line[3] for b in row.boxes for line in b.lines)))
        chunks = max((len(b.lines) + per - 1) // per for b in row.boxes)
        for i in range(chunks):
            boxes = [Box(b.c0, b.c1, b.lines[i * per:(i + 1) * per], b.align) for b in row.boxes]
            out.append(Row(boxes, row.fill, keep_with_next=False, continued=row.continued))
    return out


class _CountingCanvas(Canvas):
    """The first pass only counts pages: tables are laid out but not drawn, nothing is saved."""

    counting_only = True

    def save(self):
        pass


class BudgetSheetDoc(SheetDoc):
    def build_story(self, story_factory, canvasmaker=None) -> None:
        """SheetDoc's two passes (the first only counts pages for "Halaman x dari y"), with a
        chosen canvas class for the real one: the recording canvas when the GUI prints."""
        from reportlab import rl_config

        from mpp_planner.reports.recording import canvas_class

        target = self.filename
        self.filename = BytesIO()
        SheetDoc.build(self, story_factory(), canvasmaker=_CountingCanvas)
        self.total_pages = self.page
        self.filename = target
        a85 = rl_config.useA85
        rl_config.useA85 = 0  # binary (zlib) page streams: ASCII85 in pure Python costs seconds on long sheets
        try:
            SheetDoc.build(self, story_factory(), canvasmaker=canvasmaker or canvas_class(Canvas))
        finally:
            rl_config.useA85 = a85
