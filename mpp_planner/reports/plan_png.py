"""A composed plan sheet as a PNG (Pillow), at a chosen DPI, with the physical size recorded so
that printing it at 100 % keeps the scale. Drawn at twice the size and reduced for smooth edges
when that stays small enough.
"""

from __future__ import annotations

import math
from functools import lru_cache
from io import BytesIO

from PIL import Image, ImageColor, ImageDraw, ImageFont

from mpp_planner.i18n import _
from mpp_planner.model.base import one_line, storable
from mpp_planner.reports.plan_primitives import Page, PGroup, PImage, PPaths, PrimitiveWalker, PShape, PText, font_path

MIN_DPI, MAX_DPI = 1, 1200
MAX_PIXELS = 20_000  # per side
SUPERSAMPLE_LIMIT = 12_000  # draw at 2x only while the big image stays below this per side


def parse_dpi(value) -> int:
    """A whole number from 1 to 1200, or a ValueError with a one-line message."""
    text = "" if value is None else str(value).strip()
    try:
        dpi = int(text)
    except ValueError:
        dpi = None
    if dpi is None or not MIN_DPI <= dpi <= MAX_DPI:
        raise ValueError(_("DPI must be a whole number from {low} to {high} (got '{value}').").format(
            low=MIN_DPI, high=MAX_DPI, value=text))
    return dpi


def pixel_size(page_w_mm: float, page_h_mm: float, dpi: int) -> tuple[int, int]:
    return max(1, round(page_w_mm / 25.4 * dpi)), max(1, round(page_h_mm / 25.4 * dpi))


def check_size(width_mm: float, height_mm: float, dpi: int, paper: str = "") -> None:
    """Refuse sheets larger than ``MAX_PIXELS`` per side before anything is drawn."""
    w, h = pixel_size(width_mm, height_mm, dpi)
    if max(w, h) > MAX_PIXELS:
        raise ValueError(_("{paper} at {dpi} DPI would be {w} x {h} pixels; the limit is {limit} per side. Choose a "
                           "lower DPI.").format(paper=paper or _("The sheet"), dpi=dpi, w=w, h=h, limit=MAX_PIXELS))


@lru_cache(maxsize=256)
def _font(bold: bool, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font_path(bold), max(1, px))


def render(page: Page, dpi: int) -> Image.Image:
    """The sheet as an RGB image of exactly ``pixel_size(page, dpi)``."""
    w, h = pixel_size(page.width, page.height, dpi)
    ss = 2 if max(w, h) * 2 <= SUPERSAMPLE_LIMIT else 1
    scale = (w * ss) / page.width  # px per mm (the same on both axes up to rounding)
    base = Image.new("RGBA", (w * ss, h * ss), (255, 255, 255, 255))
    _Painter(base, scale, 0, 0).items(page.items)
    image = base.convert("RGB")
    if ss > 1:
        image = image.reduce(ss)
    if image.size != (w, h):
        image = image.resize((w, h), Image.LANCZOS)
    return image


def png_bytes(page: Page, dpi: int) -> bytes:
    buf = BytesIO()
    render(page, dpi).save(buf, "PNG", dpi=(dpi, dpi))
    return buf.getvalue()


def write_png(page: Page, path, dpi: int) -> None:
    render(page, dpi).save(str(path), "PNG", dpi=(dpi, dpi))


class _Painter(PrimitiveWalker):
    def __init__(self, image: Image.Image, scale: float, ox: float, oy: float):
        self.image = image
        self.draw = ImageDraw.Draw(image)
        self.k = scale
        self.ox, self.oy = ox, oy  # page mm at the image's top-left

    def px(self, x: float, y: float) -> tuple[float, float]:
        return (x - self.ox) * self.k, (y - self.oy) * self.k

    def group(self, g: PGroup) -> None:
        if g.clip is None:
            self.items(g.items)
            return
        x0, y0 = self.px(g.clip.x, g.clip.y)
        x1, y1 = self.px(g.clip.right, g.clip.bottom)
        ix0, iy0, ix1, iy1 = (max(0, int(round(v))) for v in (x0, y0, x1, y1))
        if ix1 <= ix0 or iy1 <= iy0:
            return
        layer = Image.new("RGBA", (ix1 - ix0, iy1 - iy0), (0, 0, 0, 0))
        _Painter(layer, self.k, self.ox + ix0 / self.k, self.oy + iy0 / self.k).items(g.items)
        self.image.alpha_composite(layer, (ix0, iy0))

    def _width(self, w_mm: float) -> int:
        return max(1, round(w_mm * self.k))

    def shape(self, s: PShape) -> None:
        if len(s.points) < 2:
            return
        pts = [self.px(x, y) for x, y in s.points]
        if s.fill and s.closed and len(pts) >= 3:
            if s.holes:
                self._fill_holed(pts, [[self.px(x, y) for x, y in ring] for ring in s.holes], s.fill)
            else:
                self.draw.polygon(pts, fill=s.fill)
        if s.stroke and s.width > 0:
            width = self._width(s.width)
            path = pts + [pts[0]] if s.closed else pts
            if s.dash:
                self._dashed(path, width, s.stroke, s.dash[0] * self.k, s.dash[1] * self.k)
            else:
                self.draw.line(path, fill=s.stroke, width=width, joint="curve" if width > 2 else None)

    def _fill_holed(self, ring, holes, colour: str) -> None:
        """Fill a ring less its holes (even-odd) through a mask the size of the ring's box on the image."""
        W, H = self.image.size
        xs, ys = [x for x, _y in ring], [y for _x, y in ring]
        x0, y0 = max(0, math.floor(min(xs))), max(0, math.floor(min(ys)))
        x1, y1 = min(W, math.ceil(max(xs)) + 1), min(H, math.ceil(max(ys)) + 1)
        if x1 <= x0 or y1 <= y0:
            return
        mask = Image.new("L", (x1 - x0, y1 - y0), 0)
        draw = ImageDraw.Draw(mask)
        draw.polygon([(x - x0, y - y0) for x, y in ring], fill=255)
        for hole in holes:
            if len(hole) >= 3:
                draw.polygon([(x - x0, y - y0) for x, y in hole], fill=0)
        self.image.paste(ImageColor.getcolor(colour, self.image.mode), (x0, y0, x1, y1), mask)

    def paths(self, p: PPaths) -> None:
        if p.width <= 0:
            return
        width = self._width(p.width)
        line = self.draw.line
        k, ox, oy = self.k, self.ox, self.oy
        for points, closed in zip(p.lines, p.closed):
            pts = [((x - ox) * k, (y - oy) * k) for x, y in points]
            line(pts + [pts[0]] if closed else pts, fill=p.stroke, width=width)

    def _dashed(self, path, width: int, colour: str, on: float, off: float) -> None:
        for (x1, y1), (x2, y2) in zip(path, path[1:]):
            length = math.hypot(x2 - x1, y2 - y1)
            if length == 0:
                continue
            ux, uy = (x2 - x1) / length, (y2 - y1) / length
            pos = 0.0
            while pos < length:
                end = min(length, pos + on)
                self.draw.line([(x1 + ux * pos, y1 + uy * pos), (x1 + ux * end, y1 + uy * end)], fill=colour,
                               width=width)
                pos = end + off

    def text(self, t: PText) -> None:
        # one line, whatever reached the sheet (a file written before the text rule, a command-line option,
        # a DXF text): raqm's layout fails on a CR or NEL and Pillow refuses an anchor on several lines
        text = storable(one_line(t.text))
        if not text:
            return
        size_px = t.size * self.k
        if size_px < 2:
            return
        font = _font(t.bold, int(round(size_px)))
        anchor = {"start": "ls", "middle": "ms", "end": "rs"}[t.anchor]
        x, y = self.px(t.x, t.y)
        if not t.rotation:
            self.draw.text((x, y), text, font=font, fill=t.colour, anchor=anchor)
            return
        r = int(math.ceil(font.getlength(text) + size_px * 2))
        stamp = Image.new("RGBA", (2 * r, 2 * r), (0, 0, 0, 0))
        ImageDraw.Draw(stamp).text((r, r), text, font=font, fill=t.colour, anchor=anchor)
        stamp = stamp.rotate(-t.rotation, resample=Image.BICUBIC, center=(r, r))
        dx, dy = int(round(x)) - r, int(round(y)) - r
        self._composite(stamp, dx, dy)

    def _composite(self, stamp: Image.Image, dx: int, dy: int) -> None:
        """alpha_composite that tolerates stamps reaching past the image's edges."""
        W, H = self.image.size
        sx0, sy0 = max(0, -dx), max(0, -dy)
        sx1, sy1 = min(stamp.width, W - dx), min(stamp.height, H - dy)
        if sx1 <= sx0 or sy1 <= sy0:
            return
        part = stamp.crop((sx0, sy0, sx1, sy1))
        self.image.alpha_composite(part, (dx + sx0, dy + sy0))

    def draw_image(self, im: PImage) -> None:
        x0, y0 = self.px(im.x, im.y)
        x1, y1 = self.px(im.x + im.w, im.y + im.h)
        w, h = max(1, round(x1 - x0)), max(1, round(y1 - y0))
        with Image.open(BytesIO(im.data)) as src:
            pic = src.convert("RGBA").resize((w, h), Image.BILINEAR)
        self._composite(pic, int(round(x0)), int(round(y0)))
