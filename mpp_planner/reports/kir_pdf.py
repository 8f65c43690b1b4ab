"""The KIR as a PDF: A4 landscape, one card per room, drawn with :mod:`pdf_draw` — a platypus
Table of Paragraphs per room took a minute for 1,400 rooms. Sizes, fonts and rules are those of
the platypus sheet it replaces. Imported only when a PDF is made (it loads ReportLab).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak
from reportlab.platypus.flowables import Flowable

from mpp_planner.formats import nip as fmt_nip, rupiah
from mpp_planner.reports import pdf_draw as d
from mpp_planner.reports.kir import COLUMNS, CONDITIONS, TITLE, Kir, RoomCard, Signer, qty_text, table_rows
from mpp_planner.model.paper import paper as paper_named
from mpp_planner.reports.pdf import FONT_BOLD, GRID, HEADER_BG, SUBTOTAL_BG, SheetDoc


MARGINS_MM = (12, 12, 12, 16)
COLUMN_MM = (7, 41, 26, 24, 16, 18, 20, 31, 15, 22, 8, 8, 8)  # on A4; "Keterangan" takes the rest
A4_BODY_MM = 297 - MARGINS_MM[0] - MARGINS_MM[1]
#: where a longer paper's extra width goes (the text columns that wrap most): name, brand, Keterangan
EXTRA_SHARE = {1: 0.4, 2: 0.2, 7: 0.1}  # the rest (0.3) stays with Keterangan


def column_widths_mm(body_mm: float) -> list[float]:
    """The fixed columns for a body ``body_mm`` wide: A4's widths, the extra of a longer paper (F4) spread over
    the text columns so the card reflows instead of being scaled."""
    extra = max(0.0, body_mm - A4_BODY_MM)
    return [w + extra * EXTRA_SHARE.get(i, 0.0) for i, w in enumerate(COLUMN_MM)]
CELL_SIZE, CELL_LEADING = 7.5, 9.2
INFO_SIZE, INFO_LEADING = 8.0, 9.76
SIGN_SIZE, SIGN_LEADING = 9.5, 11.59
RIGHT_COLUMNS = frozenset({8, 9})
CENTRE_COLUMNS = frozenset({0, 6, 10, 11, 12})
EMPTY_ROW = 16.0  # a row that held an empty plain cell in the platypus table was 16 pt high


class KirDoc(SheetDoc):
    """Marks pages that continue a room's card with the room's name at the top."""

    room_text = ""
    room_first_page = 0

    def afterPage(self):  # noqa: N802 - ReportLab's hook
        if self.room_text and self.page > self.room_first_page:
            c = self.canv
            c.saveState()
            c.setFont(FONT_BOLD, 8)
            c.drawString(self.leftMargin, self.pagesize[1] - self.topMargin + 3 * mm,
                         f"{TITLE} · RUANGAN: {self.room_text} (lanjutan)")
            c.restoreState()


class RoomMark(Flowable):
    """Tells the document which room's card the following pages belong to."""

    def __init__(self, text):
        super().__init__()
        self.text = text

    def wrap(self, aw, ah):
        return 0, 0

    def draw(self):
        doc = self.canv._doctemplate
        doc.room_text = self.text
        doc.room_first_page = doc.page


def write_pdf(kir: Kir, path: Path) -> None:
    doc = KirDoc(str(path), orientation="landscape", title=f"{TITLE} — {kir.site.name}",
                 footer_left=f"Kartu Inventaris Ruangan · {kir.site.name}", margins_mm=MARGINS_MM,
                 pagesize=paper_named(kir.paper).points)
    width = doc.body_width
    xs = [0.0]
    for w in column_widths_mm(width / mm):
        xs.append(xs[-1] + w * mm)
    xs.append(width)
    style = d.GridStyle(rule_colour=GRID)
    header = _header_rows(xs, style)
    story: list = []
    for index, card in enumerate(kir.cards):
        if index:
            story.append(PageBreak())
        story.append(RoomMark(f"{card.room.name} ({card.floor.name})".upper()))
        story.append(_card_head(kir, card, width))
        rows = _body_rows(card, xs, style)
        story.append(d.DrawnTable(xs, header, rows, style, closing=_Signatures(kir.signers(card), width),
                                  gap=6 * mm, tail_rows=min(3, len(rows)), split_rows_over=doc.height / 3))
    doc.build_story(lambda: story)


def _text(text, width, *, font=d.FONT, align=d.LEFT, size=CELL_SIZE, leading=CELL_LEADING) -> d.Text:
    return d.Text.wrapped(text, width, font, size, leading, align)


def _header_rows(xs, style):
    """The three header rows: the column names (condition split into B / KB / RB), then the
    column numbers; heights as platypus spread the tall names over the first two rows."""
    def inner(c0, c1):
        return xs[c1 + 1] - xs[c0] - style.pad_left - style.pad_right

    def head(c0, c1, text, rows=1):
        return d.Cell(c0, c1, _text(text, inner(c0, c1), font=d.BOLD, align=d.CENTER), d.MIDDLE, rows)

    first = [head(i, i, COLUMNS[i], 2) for i in range(10)] + [head(10, 12, "Keadaan Barang"),
                                                              head(13, 13, "Keterangan", 2)]
    second = [head(10 + i, 10 + i, c) for i, c in enumerate(CONDITIONS)]
    numbers = [d.Cell(i, i, _text(str(i + 1), inner(i, i), align=d.CENTER), d.MIDDLE) for i in range(14)]
    pad = style.pad_top + style.pad_bottom
    natural = [max(EMPTY_ROW, max(c.text.height for c in first if c.rows == 1) + pad),
               max(c.text.height for c in second) + pad,
               max(c.text.height for c in numbers) + pad]
    heights = d.fix_spans(natural, [(0, 1, c.text.height + pad) for c in first if c.rows == 2])
    return [d.Row(first, style, HEADER_BG, height=heights[0]), d.Row(second, style, HEADER_BG, height=heights[1]),
            d.Row(numbers, style, height=heights[2])]


def _body_rows(card: RoomCard, xs, style):
    """One row per item, then the JUMLAH row (or a line saying the room holds nothing)."""
    inner = [xs[i + 1] - xs[i] - style.pad_left - style.pad_right for i in range(14)]
    aligns = [d.RIGHT if i in RIGHT_COLUMNS else d.CENTER if i in CENTRE_COLUMNS else d.LEFT for i in range(14)]
    rows = []
    for line in table_rows(card):
        rows.append(d.Row([d.Cell(i, i, _text(text, inner[i], align=aligns[i])) for i, text in enumerate(line)],
                          style))
    if not rows:
        message = _text("Tidak ada barang tercatat di ruangan ini.", xs[-1] - style.pad_left - style.pad_right,
                        font=d.ITALIC, size=INFO_SIZE, leading=INFO_LEADING)
        rows.append(d.Row([d.Cell(0, 13, message)], style, min_height=EMPTY_ROW))
    totals = [Decimal(0)] * 3
    for item in card.items:
        totals[CONDITIONS.index(item.condition)] += item.quantity
    total_cells = [
        d.Cell(0, 7, _text("JUMLAH", xs[8] - style.pad_left - style.pad_right, font=d.BOLD)),
        d.Cell(8, 8, _text(qty_text(card.total_quantity), inner[8], font=d.BOLD, align=d.RIGHT)),
        d.Cell(9, 9, _text(rupiah(card.total_value, symbol=False, lang="id"), inner[9], font=d.BOLD, align=d.RIGHT)),
        *(d.Cell(10 + i, 10 + i, _text(qty_text(t) if t else "", inner[10 + i], align=d.CENTER))
          for i, t in enumerate(totals)),
        d.Cell(13, 13, None),
    ]
    rows.append(d.Row(total_cells, style, SUBTOTAL_BG, min_height=EMPTY_ROW))
    return rows


def _card_head(kir: Kir, card: RoomCard, width: float):
    """The title and the two columns of the card's header (province ... room; location code)."""
    title = d.Text([TITLE], d.BOLD, 12, 14.64, d.CENTER)
    pairs = kir.header(card)

    def block(items, value_width):
        rows = []
        for label, value in items:
            cells = (_text(label, 32 * mm - 2, font=d.BOLD, size=INFO_SIZE, leading=INFO_LEADING),
                     _text(":", 4 * mm - 2, size=INFO_SIZE, leading=INFO_LEADING),
                     _text(value, value_width - 2, size=INFO_SIZE, leading=INFO_LEADING))
            rows.append((max(c.height for c in cells) + 1.0, cells))
        return rows

    left = block(pairs[:5], width - 122 * mm)
    right = block(pairs[5:], 42 * mm)
    info_height = max(sum(h for h, _c in left), sum(h for h, _c in right)) + 6.0
    gap = 3 * mm
    height = title.height + 2.0 + gap + info_height + gap

    def paint(painter, w, h):
        title.paint(painter, 0.0, w, h)
        top = h - title.height - 2.0 - gap - 3.0
        for x0, rows in ((0.0, left), (w - 82 * mm, right)):
            y = top
            for row_height, cells in rows:
                bottom = y - row_height
                for x, text in zip((x0, x0 + 32 * mm, x0 + 36 * mm), cells):
                    text.paint(painter, x, x + 1000, bottom + 0.5 + text.height)  # bottom-aligned
                y = bottom

    return d.Drawn(width, height, paint, ordered=False)


class _Signatures(d.Block):
    """The three signers side by side, each line aligned across the columns: heading, title,
    room to sign, name underlined, NIP (as the platypus table had them: 9.5 pt, centred)."""

    PAD_X, PAD_Y = 10.0, 1.0

    def __init__(self, signers: list[Signer], width: float):
        self.col = width / len(signers)
        inner = self.col - 2 * self.PAD_X

        def text(value, font=d.FONT, underline=False):
            return d.Text.wrapped(value, inner, font, SIGN_SIZE, SIGN_LEADING, d.CENTER, underline=underline)

        self.rows = [
            [text(s.heading) if s.heading else d.Text([""], d.FONT, SIGN_SIZE, SIGN_LEADING) for s in signers],
            [text(s.title) for s in signers],
            [d.Text(["", "", ""], d.FONT, SIGN_SIZE, SIGN_LEADING) for _s in signers],
            [text(s.name, d.BOLD, underline=True) if s.name else text("(.............................................)",
                                                                      d.BOLD) for s in signers],
            [text("NIP. " + fmt_nip(s.nip) if s.nip else "NIP. ") for s in signers],
        ]
        self.heights = [max(t.height for t in row) + 2 * self.PAD_Y for row in self.rows]
        self.height = sum(self.heights)

    def paint(self, painter, x: float, top: float) -> None:
        y = top
        for r, (row, height) in enumerate(zip(self.rows, self.heights)):
            bottom = y - height
            for i, text in enumerate(row):
                x0 = x + i * self.col + self.PAD_X
                text_top = y - self.PAD_Y if r == 1 else bottom + self.PAD_Y + text.height
                text.paint(painter, x0, x0 + self.col - 2 * self.PAD_X, text_top)
            y = bottom
