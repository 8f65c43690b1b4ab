"""Shared ReportLab pieces: page templates with letterhead and "Halaman x dari y", styles in
one place, escaping of user text, and the signature block every signed sheet ends with.

Import this module only when making a PDF: it loads ReportLab.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable

from mpp_planner.formats import long_date, nip as fmt_nip

rl_config.invariant = 1  # repeatable output: same input, same bytes (dates and ids fixed)

FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
GRID = colors.HexColor("#444444")
HEADER_BG = colors.HexColor("#E4E9F0")
SUBTOTAL_BG = colors.HexColor("#F3F5F8")


def esc(text) -> str:
    """User text made safe for ReportLab's mini-markup: ``<b>Kursi & Meja</b> < 5`` prints as typed."""
    return escape("" if text is None else str(text)).replace("\n", "<br/>")


def _style(name, size=9, leading=None, bold=False, align=TA_LEFT, **kw) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=FONT_BOLD if bold else FONT, fontSize=size,
                          leading=leading or size * 1.22, alignment=align, **kw)


STYLES = {
    "body": _style("body"),
    "small": _style("small", 7.5),
    "cell": _style("cell", 8),
    "cell_right": _style("cell_right", 8, align=TA_RIGHT),
    "cell_center": _style("cell_center", 8, align=TA_CENTER),
    "cell_bold": _style("cell_bold", 8, bold=True),
    "cell_bold_right": _style("cell_bold_right", 8, bold=True, align=TA_RIGHT),
    "head": _style("head", 8, bold=True, align=TA_CENTER),
    "title": _style("title", 12, bold=True, align=TA_CENTER, spaceBefore=4, spaceAfter=2),
    "subtitle": _style("subtitle", 10, align=TA_CENTER, spaceAfter=6),
    "lh_gov": _style("lh_gov", 13, bold=True, align=TA_CENTER),
    "lh_office": _style("lh_office", 14, bold=True, align=TA_CENTER),
    "lh_line": _style("lh_line", 8.5, align=TA_CENTER),
    "sign": _style("sign", 9.5, align=TA_CENTER),
    "sign_name": _style("sign_name", 9.5, bold=True, align=TA_CENTER),
}


def P(text: str, style: str = "cell") -> Paragraph:
    """A paragraph of *already escaped* markup."""
    return Paragraph(text, STYLES[style])


def T(text, style: str = "cell") -> Paragraph:
    """A paragraph of plain user text (escaped here)."""
    return Paragraph(esc(text), STYLES[style])


@dataclass
class Signer:
    heading: str  # "Mengetahui," or "Probolinggo, 15 Desember 2023"
    title: str
    name: str
    nip: str = ""
    rank: str = ""


def signer_from(signatory, heading: str) -> Signer:
    if signatory is None:
        return Signer(heading, "", "", "")
    return Signer(heading, signatory.title, signatory.name, signatory.nip, getattr(signatory, "rank", ""))


def signature_block(signers: Sequence[Signer], width: float) -> Table:
    """Signers side by side: heading, title, room to sign, name underlined, NIP."""
    cells = []
    for s in signers:
        name = f"<u>{esc(s.name)}</u>" if s.name else "(.............................................)"
        lines = [P(esc(s.heading), "sign"), P(esc(s.title), "sign"), Paragraph("<br/><br/><br/><br/>", STYLES["sign"]),
                 P(name, "sign_name")]
        if s.rank:
            lines.append(P(esc(s.rank), "sign"))
        lines.append(P("NIP. " + esc(fmt_nip(s.nip)) if s.nip else "NIP. ", "sign"))
        cells.append(lines)
    col = width / max(1, len(signers))
    table = Table([cells], colWidths=[col] * len(signers))
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 6),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 6)]))
    table.keepWithNext = False
    return table


def letterhead(site, width: float) -> list:
    """Kop surat: government, office, address lines, a double rule."""
    flow = []
    lines = [line for line in (site.letterhead or []) if line.strip()]
    if not lines:
        lines = [site.government_name, site.operator_office.upper(), site.address]
        lines = [line for line in lines if line]
    for i, line in enumerate(lines):
        style = "lh_gov" if i == 0 else ("lh_office" if i == 1 else "lh_line")
        flow.append(P(esc(line), style))
    if site.logo:
        from io import BytesIO

        from reportlab.platypus import Image

        try:
            img = Image(BytesIO(site.logo), width=18 * mm, height=20 * mm)
            flow = [Table([[img, flow]], colWidths=[22 * mm, width - 22 * mm],
                          style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE")])]
        except Exception:  # noqa: BLE001 - a broken logo must not stop the sheet
            pass
    flow.append(HRFlowable(width="100%", thickness=2, color=colors.black, spaceBefore=3, spaceAfter=1))
    flow.append(HRFlowable(width="100%", thickness=0.6, color=colors.black, spaceAfter=6))
    return flow


class SheetDoc(BaseDocTemplate):
    """A4 (or ``pagesize``: a portrait (width, height) in points) document whose footer reads
    "<footer_left> · Halaman x dari y" on every page.

    ``build_story`` lays the story out once: its canvas keeps each finished page and writes the
    page numbers when the total is known, at save time (see :func:`numbered_canvas`). A caller
    that sets ``total_pages`` itself before ``build`` gets the numbers drawn at once.
    """

    def __init__(self, filename, *, orientation: str = "portrait", title: str = "", footer_left: str = "",
                 page_word: str = "Halaman {page} dari {pages}", margins_mm=(15, 15, 15, 18), pagesize=None, **kw):
        sheet = tuple(pagesize or A4)
        size = landscape(sheet) if orientation == "landscape" else sheet
        left, right, top, bottom = (m * mm for m in margins_mm)
        super().__init__(filename, pagesize=size, leftMargin=left, rightMargin=right, topMargin=top,
                         bottomMargin=bottom, title=title, author="MPP Planner", creator="MPP Planner", **kw)
        self.footer_left = footer_left
        self.page_word = page_word
        self.total_pages = 0
        frame = Frame(left, bottom, size[0] - left - right, size[1] - top - bottom, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._footer)])

    @property
    def body_width(self) -> float:
        return self.width

    def _footer(self, canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(FOOTER_INK)
        if self.footer_left:
            canvas.drawString(self.leftMargin, self.bottomMargin - 9 * mm, self.footer_left)
        canvas.restoreState()
        if self.total_pages or not getattr(canvas, "defers_page_numbers", False):
            self.draw_page_number(canvas, doc.page, self.total_pages or doc.page)

    def draw_page_number(self, canvas, page: int, pages: int) -> None:
        """"Halaman x dari y" at the right of the footer line."""
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(FOOTER_INK)
        canvas.drawRightString(self.pagesize[0] - self.rightMargin, self.bottomMargin - 9 * mm,
                               self.page_word.format(page=page, pages=pages))
        canvas.restoreState()

    def build_story(self, story_factory, canvasmaker=None) -> None:
        """Lay the story out once; "x dari y" is filled in when the last page is known."""
        from mpp_planner.reports.recording import canvas_class

        self.total_pages = 0
        numbered = numbered_canvas(canvasmaker or canvas_class(Canvas))
        super().build(story_factory(), canvasmaker=lambda *a, **kw: numbered(*a, numbering=self, **kw))


FOOTER_INK = colors.HexColor("#555555")
_NUMBERED: dict[type, type] = {}


def numbered_canvas(base: type) -> type:
    """``base`` (a ReportLab Canvas class) made to hold its pages until ``save`` and then draw
    each page's number through ``numbering.draw_page_number(canvas, page, pages)`` (the document,
    given as ``numbering=`` when the canvas is made; it also gets ``total_pages``) — the
    classic "NumberedCanvas": one layout pass instead of two. Binary (zlib only) page streams:
    ASCII85 in pure Python costs seconds on a thousand pages."""
    cls = _NUMBERED.get(base)
    if cls is None:

        class NumberedCanvas(base):
            defers_page_numbers = True

            def __init__(self, *args, numbering=None, **kw):
                super().__init__(*args, **kw)
                self._numbering = numbering
                self._held_pages: list[dict] = []

            def showPage(self):  # noqa: N802 - ReportLab's name
                self._held_pages.append(dict(self.__dict__))
                self._startPage()

            def save(self):
                held, self._held_pages = self._held_pages, []
                doc, total = self._numbering, len(held)
                if doc is not None:
                    doc.total_pages = total
                for state in held:
                    self.__dict__.update(state)
                    if doc is not None:
                        doc.draw_page_number(self, state["_pageNumber"], total)
                    base.showPage(self)
                self._held_pages = []
                self.__dict__.pop("_doctemplate", None)
                a85 = rl_config.useA85
                rl_config.useA85 = 0
                try:
                    base.save(self)
                finally:
                    rl_config.useA85 = a85

        NumberedCanvas.__name__ = f"Numbered{base.__name__}"
        cls = _NUMBERED[base] = NumberedCanvas
    return cls


def header_table(rows, col_widths, *, header_rows: int = 1, extra_styles=()) -> Table:
    """A ruled table whose header rows repeat on every page."""
    table = Table(rows, colWidths=col_widths, repeatRows=header_rows)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_BG),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    table.setStyle(TableStyle(style + list(extra_styles)))
    return table


def place_and_date(site, when: date | None = None) -> str:
    """"Probolinggo, 15 Desember 2023" — always Indonesian on official sheets."""
    when = when or date.today()
    return f"{site.city}, {long_date(when, lang='id')}"
