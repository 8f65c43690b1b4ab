"""A composed plan sheet as hand-written SVG, true to scale: width and height in mm with a
matching viewBox. Rooms and counters are <polygon> elements whose id and data- attributes name
them; text is <text>; layers are <g> groups (Inkscape sees them as layers); the background scan
is embedded as a data: URI.
"""

from __future__ import annotations

import base64
from xml.sax.saxutils import escape, quoteattr

from mpp_planner.model.base import one_line, storable
from mpp_planner.reports.plan_primitives import (FONT_FAMILY_SVG, Page, PGroup, PImage, PPaths, PrimitiveWalker,
                                                 PShape, PText)


def _n(v: float) -> str:
    text = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _line(text: str) -> str:
    """One line of characters XML can hold, whatever reached the sheet (a file written before the text rule
    in ``model/base.py``, a command-line option, a DXF text)."""
    return storable(one_line(text))


def svg_text(page: Page) -> str:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" version="1.1" '
        f'width="{_n(page.width)}mm" height="{_n(page.height)}mm" viewBox="0 0 {_n(page.width)} {_n(page.height)}">',
        f"<title>{escape(_line(page.title))} — {escape(_line(page.label))}</title>",
        f'<rect x="0" y="0" width="{_n(page.width)}" height="{_n(page.height)}" fill="#FFFFFF"/>',
    ]
    writer = _Writer(out)
    writer.items(page.items)
    out.append("</svg>")
    return "\n".join(out) + "\n"


class _Writer(PrimitiveWalker):
    def __init__(self, out: list[str]):
        self.out = out
        self.clips = 0

    def group(self, g: PGroup) -> None:
        attrs = ""
        if g.name:
            name = _line(g.name)
            attrs += f' id={quoteattr("layer-" + name)} inkscape:groupmode="layer" inkscape:label={quoteattr(name)}'
        if g.clip is not None:
            self.clips += 1
            cid = f"clip{self.clips}"
            r = g.clip
            self.out.append(f'<clipPath id="{cid}"><rect x="{_n(r.x)}" y="{_n(r.y)}" width="{_n(r.w)}" '
                            f'height="{_n(r.h)}"/></clipPath>')
            attrs += f' clip-path="url(#{cid})"'
        self.out.append(f"<g{attrs}>")
        self.items(g.items)
        self.out.append("</g>")

    def shape(self, s: PShape) -> None:
        if len(s.points) < 2:
            return
        holed = bool(s.holes) and s.closed  # a ring with holes (a wall mass): one path, filled even-odd
        if holed:
            d = " ".join("M" + " L".join(f"{_n(x)} {_n(y)}" for x, y in ring) + " Z"
                         for ring in (s.points, *s.holes) if len(ring) >= 2)
            geometry = f'd="{d}" fill-rule="evenodd"'
        else:
            geometry = 'points="' + " ".join(f"{_n(x)},{_n(y)}" for x, y in s.points) + '"'
        fill = s.fill if (s.fill and s.closed) else "none"
        attrs = f'{geometry} fill="{fill}"'
        if s.stroke and s.width > 0:
            attrs += f' stroke="{s.stroke}" stroke-width="{_n(s.width)}"'
            attrs += ' stroke-linejoin="miter"' if s.closed else ' stroke-linecap="round"'
            if s.dash:
                attrs += f' stroke-dasharray="{_n(s.dash[0])} {_n(s.dash[1])}"'
        if s.ref is not None:
            attrs = (f'id="{s.ref.kind}-{s.ref.id}" data-kind="{s.ref.kind}" data-name={quoteattr(_line(s.ref.name))} '
                     f'data-info={quoteattr(_line(s.ref.info))} ') + attrs
        tag = "path" if holed else "polygon" if s.closed else "polyline"
        self.out.append(f"<{tag} {attrs}/>")

    def paths(self, p: PPaths) -> None:
        """The underlay as one <path> of many sub-paths: a 100,000-line drawing stays one element."""
        if not p.lines or p.width <= 0:
            return
        d = []
        for points, closed in zip(p.lines, p.closed):
            d.append("M" + " L".join(f"{_n(x)} {_n(y)}" for x, y in points) + (" Z" if closed else ""))
        self.out.append(f'<path d="{" ".join(d)}" fill="none" stroke="{p.stroke}" stroke-width="{_n(p.width)}" '
                        'stroke-linejoin="round" stroke-linecap="round"/>')

    def text(self, t: PText) -> None:
        text = _line(t.text)
        if not text:
            return
        anchor = {"start": "start", "middle": "middle", "end": "end"}[t.anchor]
        attrs = (f'x="{_n(t.x)}" y="{_n(t.y)}" font-family="{FONT_FAMILY_SVG}" font-size="{_n(t.size)}" '
                 f'fill="{t.colour}" text-anchor="{anchor}"')
        if t.bold:
            attrs += ' font-weight="bold"'
        if t.rotation:
            attrs += f' transform="rotate({_n(t.rotation)} {_n(t.x)} {_n(t.y)})"'
        self.out.append(f'<text {attrs} xml:space="preserve">{escape(text)}</text>')

    def draw_image(self, im: PImage) -> None:
        data = base64.b64encode(im.data).decode("ascii")
        self.out.append(f'<image x="{_n(im.x)}" y="{_n(im.y)}" width="{_n(im.w)}" height="{_n(im.h)}" '
                        f'preserveAspectRatio="none" xlink:href="data:image/png;base64,{data}"/>')
