"""Composed plan sheets as one vector PDF (ReportLab canvas): exact scale, text stays text.

1 mm on paper is 72/25.4 pt, so at 1:100 a 10 m wall is drawn exactly 100 mm long.
Import only when making a PDF: it loads ReportLab.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from functools import lru_cache
from io import BytesIO

from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from mpp_planner.reports.plan_primitives import (Page, PGroup, PImage, PPaths, PrimitiveWalker, PShape, PText,
                                                 register_fonts)

PT_PER_MM = 72.0 / 25.4
PATHS_PER_PDF_PATH = 2000  # underlay polylines drawn as one PDF path (one stroke operator)


def write_pdf(pages: Iterable[Page], path, *, title: str = "", progress: Callable[[int], None] | None = None) -> int:
    """Write every page to ``path``; returns the page count."""
    regular, bold = register_fonts()
    from mpp_planner.reports.recording import canvas_class

    canvas = canvas_class(Canvas)(str(path), invariant=1, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor("MPP Planner")
    canvas.setCreator("MPP Planner")
    canvas.setSubject("Denah (gambar berskala)")
    count = 0
    fonts = _Fonts(canvas)
    for page in pages:
        canvas.setPageSize((page.width * PT_PER_MM, page.height * PT_PER_MM))
        painter = _Painter(canvas, page.height, regular, bold, fonts)
        painter.items(page.items)
        canvas.showPage()
        count += 1
        if progress is not None:
            progress(count)
    a85 = rl_config.useA85
    rl_config.useA85 = 0  # binary (zlib only) page streams: ASCII85 in pure Python costs seconds on 300 sheets
    try:
        canvas.save()
    finally:
        rl_config.useA85 = a85
    return count


# stroke, fill -> the painting operator; filled even-odd, as ReportLab's canvas fills by default
_PAINT = {(True, True): "B*", (True, False): "S", (False, True): "f*", (False, False): "n"}


@lru_cache(maxsize=256)
def _colour(hex_colour: str, op: str) -> str:
    """"0.1 0.2 0.3 rg": a sheet colour ("#1A334D") as a PDF colour operator ("rg" fill, "RG" stroke)."""
    c = HexColor(hex_colour)
    return f"{fp_str(c.red, c.green, c.blue)} {op}"


@lru_cache(maxsize=1024)
def _number(value: float) -> str:
    return fp_str(value)


@lru_cache(maxsize=256)
def _turn(rotation: float) -> str:
    """The matrix of ReportLab's canvas.rotate(-rotation): text turned clockwise on the sheet."""
    r = math.radians(-rotation)
    c, s = math.cos(r), math.sin(r)
    return fp_str(c, s, -s, c, 0, 0)


_ANCHOR_SHIFT = {"start": 0.0, "middle": -0.5, "end": -1.0}  # of the text's width


class _Fonts:
    """The sheet fonts of one document: each text's width and its show operators, worked out once (a
    TrueType font gives each character its code in the document's subset the first time it is used,
    and keeps it)."""

    def __init__(self, canvas: Canvas):
        from reportlab.pdfbase import pdfmetrics

        self.canvas = canvas
        self.font = pdfmetrics.getFont
        self._widths: dict[tuple[str, str], float] = {}
        self._shown: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self._sizes: dict[float, str] = {}

    def width(self, font: str, text: str, size: float) -> float:
        unit = self._widths.get((font, text))
        if unit is None:
            unit = self._widths[font, text] = self.font(font).stringWidth(text, 1000.0) / 1000.0
        return unit * size

    def show(self, font: str, text: str, size: float) -> str:
        """"/F1+0 8.5 Tf 10.2 TL (…) Tj" for each subset the text's characters are in (leading 1.2 × size,
        ReportLab's own)."""
        parts = self._shown.get((font, text))
        if parts is None:
            face, doc = self.font(font), self.canvas._doc
            parts = self._shown[font, text] = [(face.getSubsetInternalName(subset, doc), self.canvas._escape(chunk))
                                               for subset, chunk in face.splitString(text, doc)]
        points = self._sizes.get(size)
        if points is None:
            points = self._sizes[size] = f"{fp_str(size)} Tf {fp_str(size * 1.2)} TL"
        return " ".join(f"{name} {points} ({chunk}) Tj" for name, chunk in parts)


class _Painter(PrimitiveWalker):
    def __init__(self, canvas: Canvas, page_height: float, regular: str, bold: str, fonts: _Fonts | None = None):
        self.c = canvas
        self.h = page_height
        self.regular, self.bold = regular, bold
        self.fonts = fonts or _Fonts(canvas)

    def pt(self, x: float, y: float) -> tuple[float, float]:
        return x * PT_PER_MM, (self.h - y) * PT_PER_MM

    def group(self, group: PGroup) -> None:
        c = self.c
        c.saveState()
        if group.clip is not None:
            r = group.clip
            path = c.beginPath()
            x, y = self.pt(r.x, r.bottom)
            path.rect(x, y, r.w * PT_PER_MM, r.h * PT_PER_MM)
            c.clipPath(path, stroke=0, fill=0)
        self.items(group.items)
        c.restoreState()

    def shape(self, s: PShape) -> None:
        """Written as PDF operators directly, as ReportLab's path object would write them (it formats
        each number in Python: most of the time of a sheet of a thousand shapes)."""
        if len(s.points) < 2 or (s.fill is None and (s.stroke is None or s.width <= 0)):
            return
        fill = s.fill is not None and s.closed
        stroke = s.stroke is not None and s.width > 0
        h = self.h
        ops = []
        if fill:
            ops.append(_colour(s.fill, "rg"))
        if stroke:
            ops.append(f"{_colour(s.stroke, 'RG')} {_number(s.width * PT_PER_MM)} w {0 if s.closed else 1} j "
                       f"{0 if s.closed else 1} J "
                       f"[{' '.join(_number(d * PT_PER_MM) for d in s.dash) if s.dash else ''}] 0 d")
        op = "m"
        for x, y in s.points:
            ops.append(f"{x * PT_PER_MM:.2f} {(h - y) * PT_PER_MM:.2f} {op}")
            op = "l"
        if s.closed:
            ops.append("h")
            for ring in s.holes:
                if len(ring) >= 3:
                    op = "m"
                    for x, y in ring:
                        ops.append(f"{x * PT_PER_MM:.2f} {(h - y) * PT_PER_MM:.2f} {op}")
                        op = "l"
                    ops.append("h")
        ops.append(_PAINT[stroke, fill])
        self.c.addLiteral("\n".join(ops))

    def paths(self, p: PPaths) -> None:
        """Written as PDF path operators directly (ReportLab's path object formats each number in
        Python, ten times slower for a 100,000-line underlay); one stroke per chunk of lines."""
        if not p.lines or p.width <= 0:
            return
        c = self.c
        c.setStrokeColor(HexColor(p.stroke))
        c.setLineWidth(p.width * PT_PER_MM)
        c.setLineJoin(1)
        c.setLineCap(1)
        c.setDash([])
        h = self.h
        for start in range(0, len(p.lines), PATHS_PER_PDF_PATH):
            ops = []
            for points, closed in zip(p.lines[start:start + PATHS_PER_PDF_PATH],
                                      p.closed[start:start + PATHS_PER_PDF_PATH]):
                op = "m"
                for x, y in points:
                    ops.append(f"{x * PT_PER_MM:.2f} {(h - y) * PT_PER_MM:.2f} {op}")
                    op = "l"
                if closed:
                    ops.append("h")
            ops.append("S")
            c.addLiteral("\n".join(ops))

    def text(self, t: PText) -> None:
        """The operators ReportLab's drawString writes in a moved (and turned) graphics state, written
        directly: the same text objects, so any reader of the PDF reads the same lines."""
        if not t.text:
            return
        size = t.size * PT_PER_MM
        font = self.bold if t.bold else self.regular
        x, y = self.pt(t.x, t.y)
        shift = _ANCHOR_SHIFT[t.anchor] * self.fonts.width(font, t.text, size)
        turn = f"{_turn(t.rotation)} cm\n" if t.rotation else ""
        self.c.addLiteral(f"q\n{_colour(t.colour, 'rg')}\n1 0 0 1 {x:.4f} {y:.4f} cm\n{turn}"
                          f"BT 1 0 0 1 {shift:.4f} 0 Tm {self.fonts.show(font, t.text, size)} T* ET\nQ")

    def draw_image(self, im: PImage) -> None:
        x, y = self.pt(im.x, im.y + im.h)
        self.c.drawImage(ImageReader(BytesIO(im.data)), x, y, im.w * PT_PER_MM, im.h * PT_PER_MM)
