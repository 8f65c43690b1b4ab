"""The title block of a plan sheet: the MPP and floor, what the sheet shows, the scale bar, the
paper, date and sheet number, and the colour legend. Fixed texts are Indonesian: the sheet is an
official document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from mpp_planner.reports import plan_drawing as pd
from mpp_planner.reports.plan_layout import OVERLAP, Rect, Sheet, row_name
from mpp_planner.reports.plan_primitives import GREY, INK, PShape, PText, elide, rect_pts, text_width, wrap


@dataclass
class Heading:
    """What the title block says besides the drawing: the MPP, its office, the date."""

    mpp_name: str
    office: str = ""
    when: date = field(default_factory=date.today)
    paper: str = "A3"


def heading_from(project, paper: str, when: date | None = None) -> Heading:
    site = project.site
    office = site.operator_office or site.government_name or ""
    if site.city and office and site.city.lower() not in office.lower():
        office = f"{office} {site.city}"
    return Heading(site.name, office, when or date.today(), paper)



# --- title block --------------------------------------------------------------------------
def _nice_bar(scale: int, max_len_mm: float) -> tuple[float, int]:
    """(length in metres, segments) of the longest round scale bar that fits ``max_len_mm``."""
    best = (1.0, 4)
    for metres in (0.5, 1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if metres * 1000 / scale <= max_len_mm:
            best = (float(metres), 4 if str(metres)[0] == "2" else 5)
    return best


def scale_bar(x: float, y: float, scale: int, max_len: float) -> list:
    """Alternating black and white segments with metre marks, true to the sheet's scale."""
    metres, segments = _nice_bar(scale, max_len)
    length = metres * 1000 / scale
    seg = length / segments
    h = 1.6
    out: list = []
    for i in range(segments):
        out.append(PShape(rect_pts(Rect(x + i * seg, y, seg, h)), INK if i % 2 == 0 else "#FFFFFF", INK, 0.15))

    def num(v):
        from mpp_planner.formats import number

        return number(v, 0 if float(v).is_integer() else 1, lang="id")

    out.append(PText(x, y + h + 2.6, "0", 2.0, False, INK, "middle"))
    out.append(PText(x + length / 2, y + h + 2.6, num(metres / 2), 2.0, False, INK, "middle"))
    out.append(PText(x + length, y + h + 2.6, f"{num(metres)} m", 2.0, False, INK, "middle"))
    return out


def _fit_line(text: str, size: float, bold: bool, width: float, min_size: float) -> tuple[str, float]:
    s = size
    while s > min_size and text_width(text, s, bold) > width:
        s = max(min_size, s * 0.92)
    return elide(text, s, bold, width), s


def title_block(sheet: Sheet, heading: Heading) -> list:
    from mpp_planner.formats import long_date

    t = sheet.frame.title
    out: list = [PShape(rect_pts(t), "#FFFFFF", INK, 0.35)]
    drawing = sheet.drawing
    pad = 3.0
    if sheet.kind == "key":
        what = f"Lembar kunci: susunan {len(sheet.grid)} bagian"
        scale_value = f"1:{sheet.scale}"
        scale_note = f"bagian A1–{sheet.grid[-1][0].label} pada skala 1:{sheet.tile_scale}"
    elif sheet.kind == "tile":
        what = f"Bagian {sheet.tile.label} (baris {row_name(sheet.tile.row)}, kolom {sheet.tile.col + 1})"
        scale_value = f"1:{sheet.scale}"
        scale_note = ""
    else:
        what = ""
        scale_value = f"1:{sheet.scale}"
        scale_note = ""
    note = ""
    if sheet.kind == "tile":
        note = (f"Tepi lembar bertumpang tindih {OVERLAP:.0f} mm dengan lembar sebelah: potong pada garis "
                "putus-putus biru, lalu impitkan tanda lingkaran-silang.")
    cells = [("SKALA", scale_value),
             ("KERTAS", f"{heading.paper} {'lanskap' if sheet.frame.orientation == 'landscape' else 'potret'}"),
             ("TANGGAL", long_date(heading.when, lang="id")), ("LEMBAR", f"Lembar {sheet.number} dari {sheet.count}")]

    if sheet.frame.strip == "right":
        x, w = t.x + pad, t.w - 2 * pad
        y = t.y + pad
        y = _identity(out, heading, drawing, what, x, y, w, note)
        # bottom part: scale bar and the cells, anchored to the bottom
        cell_h = 9.0
        cells_top = t.bottom - 2 * cell_h
        bar_top = cells_top - (13.0 if not scale_note else 16.0)
        out.append(PShape([(t.x, bar_top - 3.0), (t.right, bar_top - 3.0)], None, INK, 0.25, closed=False))
        out.extend(scale_bar(x + 1.0, bar_top + 1.0, sheet.scale, w - 8.0))
        if scale_note:
            out.append(PText(x, bar_top + 9.4, *(_fit_line(scale_note, 2.0, False, w, 1.4)), False, GREY))
        _cells(out, cells, Rect(t.x, cells_top, t.w, 2 * cell_h), 2)
        _legend(out, drawing, Rect(x, y + 1.0, w, bar_top - 4.0 - (y + 1.0)))
    else:
        col1 = t.w * 0.36
        col3 = min(t.w * 0.30, 80.0)
        x1, w1 = t.x + pad, col1 - 2 * pad
        _identity(out, heading, drawing, what, x1, t.y + pad, w1, note)
        right = Rect(t.right - col3, t.y, col3, t.h)
        out.append(PShape([(right.x, t.y), (right.x, t.bottom)], None, INK, 0.25, closed=False))
        out.append(PShape([(t.x + col1, t.y), (t.x + col1, t.bottom)], None, INK, 0.25, closed=False))
        cell_h = 9.0
        cells_top = t.bottom - 2 * cell_h
        out.extend(scale_bar(right.x + pad + 1.0, t.y + pad + 1.5, sheet.scale, right.w - 2 * pad - 8.0))
        if scale_note:
            out.append(PText(right.x + pad, t.y + pad + 10.0, *(_fit_line(scale_note, 2.0, False, right.w - 2 * pad,
                                                                          1.4)), False, GREY))
        _cells(out, cells, Rect(right.x, cells_top, right.w, 2 * cell_h), 2)
        _legend(out, drawing, Rect(t.x + col1 + pad, t.y + pad, t.w - col1 - col3 - 2 * pad, t.h - 2 * pad))
    return out


def _identity(out: list, heading: Heading, drawing, what: str, x: float, y: float, w: float, note: str = "") -> float:
    """MPP name, office, "DENAH <floor>" and what this sheet is; returns the y below them."""
    for line in wrap(heading.mpp_name.upper(), 3.6, True, w, 2):
        text, size = _fit_line(line, 3.6, True, w, 2.4)
        y += size * 1.05
        out.append(PText(x, y, text, size, True, INK))
        y += size * 0.25
    if heading.office:
        for line in wrap(heading.office, 2.3, False, w, 2):
            text, size = _fit_line(line, 2.3, False, w, 1.6)
            y += size * 1.15
            out.append(PText(x, y, text, size, False, GREY))
    y += 4.2
    text, size = _fit_line(f"DENAH {drawing.floor_name.upper()}", 4.0, True, w, 2.4)
    y += size * 0.9
    out.append(PText(x, y, text, size, True, INK))
    if what:
        text, size = _fit_line(what, 2.4, False, w, 1.6)
        y += size * 1.5
        out.append(PText(x, y, text, size, False, INK))
    if note:
        y += 0.8
        for line in wrap(note, 1.9, False, w, 4):
            y += 1.9 * 1.3
            out.append(PText(x, y, elide(line, 1.9, False, w), 1.9, False, GREY))
    return y + 2.5


def _cells(out: list, cells, box: Rect, columns: int) -> None:
    rows = (len(cells) + columns - 1) // columns
    cw, ch = box.w / columns, box.h / rows
    out.append(PShape([(box.x, box.y), (box.right, box.y)], None, INK, 0.25, closed=False))
    for r in range(1, rows):
        out.append(PShape([(box.x, box.y + r * ch), (box.right, box.y + r * ch)], None, INK, 0.2, closed=False))
    for c in range(1, columns):
        out.append(PShape([(box.x + c * cw, box.y), (box.x + c * cw, box.bottom)], None, INK, 0.2, closed=False))
    for i, (caption, value) in enumerate(cells):
        r, c = divmod(i, columns)
        x, y = box.x + c * cw + 2.0, box.y + r * ch
        out.append(PText(x, y + 2.9, caption, 1.8, False, GREY))
        text, size = _fit_line(value, 3.0, True, cw - 4.0, 1.8)
        out.append(PText(x, y + ch - 2.0, text, size, True, INK))


def _legend(out: list, drawing, box: Rect) -> None:
    entries = drawing.legend
    if not entries or box.h < 8 or box.w < 20:
        return
    out.append(PText(box.x, box.y + 2.6, drawing.legend_title, 2.4, True, INK))
    top = box.y + 5.0
    avail_h = box.bottom - top
    for size in (2.4, 2.2, 2.0, 1.8, 1.6):
        row_h = size * 1.55
        rows = max(1, int(avail_h // row_h))
        cols = (len(entries) + rows - 1) // rows
        col_w = box.w / cols
        if col_w >= size * 12 or size == 1.6:
            break
    shown = entries
    if col_w < size * 12:  # too many even at the smallest size: show what fits, say how many are left
        cols = max(1, int(box.w // (size * 12)))
        col_w = box.w / cols
        keep = rows * cols - 1
        shown = entries[:keep] + [pd.LegendEntry("#FFFFFF", f"dan {len(entries) - keep} lainnya")]
    rows = max(1, (len(shown) + cols - 1) // cols)
    sw = size * 1.5
    room = col_w - sw - 2.5
    # one style for the whole legend: "DPMPTSP — Dinas ..." when the columns are wide, else short names
    short = col_w < size * 22 and any(text_width(e.label, size, False) > room for e in shown)
    for i, entry in enumerate(shown):
        c, r = divmod(i, rows)
        x, y = box.x + c * col_w, top + r * row_h
        out.append(PShape(rect_pts(Rect(x, y, sw, size * 1.05)), entry.colour, INK, 0.12))
        text = elide(entry.short if short and entry.short else entry.label, size, False, room)
        out.append(PText(x + sw + 1.2, y + size * 0.9, text, size, False, INK))
