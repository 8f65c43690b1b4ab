"""Composed plan sheets as one vector PDF (ReportLab canvas): exact scale, text stays text.

1 mm on paper is 72/25.4 pt, so at 1:100 a 10 m wall is drawn exactly 100 mm long.
Import only when making a PDF: it loads ReportLab.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from io import BytesIO

from reportlab.lib.colors import HexColor
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import FILL_EVEN_ODD, Canvas

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
    for page in pages:
        canvas.setPageSize((page.width * PT_PER_MM, page.height * PT_PER_MM))
        painter = _Painter(canvas, page.height, regular, bold)
        painter.items(page.items)
        canvas.showPage()
        count += 1
        if progress is not None:
            progress(count)
    canvas.save()
    return count


class _Painter(PrimitiveWalker):
    def __init__(self, canvas: Canvas, page_height: float, regular: str, bold: str):
        self.c = canvas
        self.h = page_height
        self.regular, self.bold = regular, bold

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
        if len(s.points) < 2 or (s.fill is None and (s.stroke is None or s.width <= 0)):
            return
        c = self.c
        path = c.beginPath()
        path.moveTo(*self.pt(*s.points[0]))
        for x, y in s.points[1:]:
            path.lineTo(*self.pt(x, y))
        if s.closed:
            path.close()
        for ring in s.holes if s.closed else ():
            if len(ring) >= 3:
                path.moveTo(*self.pt(*ring[0]))
                for x, y in ring[1:]:
                    path.lineTo(*self.pt(x, y))
                path.close()
        fill = s.fill is not None and s.closed
        stroke = s.stroke is not None and s.width > 0
        if fill:
            c.setFillColor(HexColor(s.fill))
        if stroke:
            c.setStrokeColor(HexColor(s.stroke))
            c.setLineWidth(s.width * PT_PER_MM)
            c.setLineJoin(0 if s.closed else 1)
            c.setLineCap(0 if s.closed else 1)
            c.setDash([d * PT_PER_MM for d in s.dash] if s.dash else [])
        c.drawPath(path, stroke=1 if stroke else 0, fill=1 if fill else 0,
                   fillMode=FILL_EVEN_ODD if s.holes else None)

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
        if not t.text:
            return
        c = self.c
        c.saveState()
        c.setFillColor(HexColor(t.colour))
        c.setFont(self.bold if t.bold else self.regular, t.size * PT_PER_MM)
        x, y = self.pt(t.x, t.y)
        c.translate(x, y)
        if t.rotation:
            c.rotate(-t.rotation)
        draw = {"start": c.drawString, "middle": c.drawCentredString, "end": c.drawRightString}[t.anchor]
        draw(0, 0, t.text)
        c.restoreState()

    def draw_image(self, im: PImage) -> None:
        x, y = self.pt(im.x, im.y + im.h)
        self.c.drawImage(ImageReader(BytesIO(im.data)), x, y, im.w * PT_PER_MM, im.h * PT_PER_MM)
