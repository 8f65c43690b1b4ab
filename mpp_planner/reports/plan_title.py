"""The title block of a plan sheet: the MPP and floor, what the sheet shows, the colour legend and
the numbered key (plan_key), the scale bar and a north arrow, the sign-off boxes (*Digambar*,
*Diperiksa*, *Disetujui*, each with a name and room for date and initials), and the cells for scale,
paper, date, sheet and drawing number. Fixed texts are Indonesian: the sheet is an official
document. No text is smaller than 2 mm (``MIN_TEXT_MM``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from mpp_planner.reports import plan_drawing as pd
from mpp_planner.reports.plan_layout import OVERLAP, Rect, Sheet, row_name
from mpp_planner.reports.plan_primitives import (GREY, INK, MIN_TEXT_MM, PShape, PText, elide, rect_pts, text_width,
                                                 wrap)


@dataclass(frozen=True)
class Signoff:
    """Who a sign-off box names: a name and a title (both may be empty: a line to write on)."""

    name: str = ""
    title: str = ""


@dataclass
class Heading:
    """What the title block says besides the drawing: the MPP, its office, the date, who drew,
    checks and approves the plan."""

    mpp_name: str
    office: str = ""
    when: date = field(default_factory=date.today)
    paper: str = "A3"
    drawn_by: str = ""  # Digambar
    checked_by: Signoff = field(default_factory=Signoff)  # Diperiksa: the proposer (Kepala Bidang)
    approved_by: Signoff = field(default_factory=Signoff)  # Disetujui: the head of the office


def heading_from(project, paper: str, when: date | None = None, drawn_by: str = "") -> Heading:
    """The heading of ``project``'s plan sheets: *Diperiksa* names the signatory who proposes (the head
    of the service division), *Disetujui* the head of the office; lines to sign by hand without them."""
    from sqlalchemy import select

    from mpp_planner.model import Signatory

    site = project.site
    office = site.operator_office or site.government_name or ""
    if site.city and office and site.city.lower() not in office.lower():
        office = f"{office} {site.city}"
    signers = {sig.role: Signoff(sig.name, sig.title) for sig in project.session.scalars(
        select(Signatory).where(Signatory.role.in_(("proposer", "head"))))}
    return Heading(site.name, office, when or date.today(), paper, (drawn_by or "").strip(),
                   signers.get("proposer", Signoff()), signers.get("head", Signoff()))


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
    min_size = max(min_size, MIN_TEXT_MM)
    while s > min_size and text_width(text, s, bold) > width:
        s = max(min_size, s * 0.92)
    return elide(text, s, bold, width), s


def north_arrow(cx: float, cy: float, height: float = 9.0) -> list:
    """A north arrow centred on (cx, cy): a split arrowhead pointing up the sheet with "U" (Utara)
    above it. The plan's top is north."""
    w = height * 0.5
    tip, base = (cx, cy - height / 2 + 3.4), cy + height / 2
    notch = (cx, base - height * 0.25)
    return [PShape([tip, (cx - w / 2, base), notch], INK, INK, 0.15),
            PShape([tip, (cx + w / 2, base), notch], "#FFFFFF", INK, 0.15),
            PText(cx, tip[1] - 0.8, "U", 3.0, True, INK, "middle")]


@dataclass
class Parts:
    """Where the title block's parts go on the sheet (paper mm)."""

    identity: tuple[float, float, float]  # x, y, width
    legend: Rect
    bar: Rect  # scale bar and north arrow
    signoff: Rect
    cells: Rect
    lines: list  # separating rules: ((x0, y0), (x1, y1))


CELL_H = 8.5


def _what_and_note(sheet: Sheet) -> tuple[str, str, str]:
    """(what the sheet is, a note under it, a note under the scale bar)."""
    from mpp_planner.reports.plan_key import sheet_range

    what = note = scale_note = ""
    if sheet.kind == "key":
        what = f"Lembar kunci: susunan {len(sheet.grid)} bagian"
        scale_note = f"bagian A1–{sheet.grid[-1][0].label} pada skala 1:{sheet.tile_scale}"
        labels = sheet.labels
        if labels is not None and any(n == 0 for n in labels.numbers.values()):
            note = "Nama yang tidak terbaca pada skala ini tercantum pada lembar bagian."
    elif sheet.kind == "tile":
        what = f"Bagian {sheet.tile.label} (baris {row_name(sheet.tile.row)}, kolom {sheet.tile.col + 1})"
        note = (f"Tepi lembar bertumpang tindih {OVERLAP:.0f} mm dengan lembar sebelah: potong pada garis "
                "putus-putus biru, lalu impitkan tanda lingkaran-silang.")
    elif sheet.kind == "notes":
        what = f"Keterangan nomor pada denah {sheet_range(sheet.explains)}".strip()
    return what, note, scale_note


def parts(sheet: Sheet, heading: Heading) -> Parts:
    t = sheet.frame.title
    pad = 3.0
    what, note, scale_note = _what_and_note(sheet)
    if sheet.frame.strip == "right":
        x, w = t.x + pad, t.w - 2 * pad
        cells = Rect(t.x, t.bottom - 3 * CELL_H, t.w, 3 * CELL_H)
        signoff = Rect(t.x, cells.y - 33.0, t.w, 33.0)
        bar = Rect(t.x, signoff.y - (18.0 if scale_note else 15.0), t.w, 18.0 if scale_note else 15.0)
        y = _identity([], heading, sheet.drawing, what, x, t.y + pad, w, note)
        legend = Rect(x, y + 1.0, w, max(0.0, bar.y - 2.0 - (y + 1.0)))
        lines = [((t.x, bar.y), (t.right, bar.y)), ((t.x, signoff.y), (t.right, signoff.y))]
        return Parts((x, t.y + pad, w), legend, bar, signoff, cells, lines)
    col1 = min(90.0, max(50.0, t.w * 0.28))
    col3 = min(80.0, max(52.0, t.w * 0.24))
    sign_w = min(70.0, max(44.0, t.w * 0.22))
    right = Rect(t.right - col3, t.y, col3, t.h)
    cells = Rect(right.x, t.bottom - 3 * CELL_H, col3, 3 * CELL_H)
    bar = Rect(right.x, t.y, col3, cells.y - t.y)
    signoff = Rect(right.x - sign_w, t.y, sign_w, t.h)
    legend = Rect(t.x + col1 + pad, t.y + pad, max(0.0, signoff.x - (t.x + col1) - 2 * pad), t.h - 2 * pad)
    lines = [((t.x + col1, t.y), (t.x + col1, t.bottom)), ((signoff.x, t.y), (signoff.x, t.bottom)),
             ((right.x, t.y), (right.x, t.bottom))]
    return Parts((t.x + pad, t.y + pad, col1 - 2 * pad), legend, bar, signoff, cells, lines)


def title_block(sheet: Sheet, heading: Heading) -> list:
    from mpp_planner.formats import long_date

    t = sheet.frame.title
    out: list = [PShape(rect_pts(t), "#FFFFFF", INK, 0.35)]
    drawing = sheet.drawing
    what, note, scale_note = _what_and_note(sheet)
    p = parts(sheet, heading)
    x, y, w = p.identity
    _identity(out, heading, drawing, what, x, y, w, note)
    for a, b in p.lines:
        out.append(PShape([a, b], None, INK, 0.25, closed=False))
    if sheet.kind != "notes":
        _bar(out, sheet, p.bar, scale_note)
        _legend(out, sheet, heading, p.legend)
    _signoff(out, heading, p.signoff)
    orientation = "lanskap" if sheet.frame.orientation == "landscape" else "potret"
    cells = [("SKALA", f"1:{sheet.scale}" if sheet.kind != "notes" else "–"),
             ("KERTAS", f"{sheet.frame.paper} {orientation}"),
             ("TANGGAL", long_date(heading.when, lang="id")), ("LEMBAR", f"Lembar {sheet.number} dari {sheet.count}"),
             ("NO. GAMBAR", sheet.drawing_number or f"MPP-{drawing.position:02d}-{sheet.number}")]
    _cells(out, cells, p.cells, 2)
    return out


def _bar(out: list, sheet: Sheet, box: Rect, scale_note: str) -> None:
    """The scale bar (left) and the north arrow (right) in ``box``."""
    pad = 3.0
    arrow_w = 10.0
    top = box.y + (pad if box.h < 20 else box.h / 2 - 7.0)
    out.extend(scale_bar(box.x + pad + 1.0, top + 1.5, sheet.scale, box.w - 2 * pad - arrow_w - 6.0))
    if scale_note:
        text, size = _fit_line(scale_note, 2.0, False, box.w - 2 * pad - arrow_w - 2.0, 2.0)
        out.append(PText(box.x + pad, top + 9.6, text, size, False, GREY))
    out.extend(north_arrow(box.right - pad - arrow_w / 2, top + 5.0))


def _identity(out: list, heading: Heading, drawing, what: str, x: float, y: float, w: float, note: str = "") -> float:
    """MPP name, office, "DENAH <floor>" and what this sheet is; returns the y below them."""
    for line in wrap(heading.mpp_name.upper(), 3.6, True, w, 2):
        text, size = _fit_line(line, 3.6, True, w, 2.4)
        y += size * 1.05
        out.append(PText(x, y, text, size, True, INK))
        y += size * 0.25
    if heading.office:
        for line in wrap(heading.office, 2.3, False, w, 2):
            text, size = _fit_line(line, 2.3, False, w, 2.0)
            y += size * 1.15
            out.append(PText(x, y, text, size, False, GREY))
    y += 4.2
    text, size = _fit_line(f"DENAH {drawing.floor_name.upper()}", 4.0, True, w, 2.4)
    y += size * 0.9
    out.append(PText(x, y, text, size, True, INK))
    if what:
        for line in wrap(what, 2.4, False, w, 2):
            text, size = _fit_line(line, 2.4, False, w, 2.0)
            y += size * 1.5
            out.append(PText(x, y, text, size, False, INK))
    if note:
        y += 0.8
        for line in wrap(note, 2.0, False, w, 4):
            y += 2.0 * 1.3
            out.append(PText(x, y, elide(line, 2.0, False, w), 2.0, False, GREY))
    return y + 2.5


def _cells(out: list, cells, box: Rect, columns: int) -> None:
    """Caption-and-value cells, ``columns`` to a row; a last row with one cell spans the width."""
    rows = (len(cells) + columns - 1) // columns
    cw, ch = box.w / columns, box.h / rows
    out.append(PShape([(box.x, box.y), (box.right, box.y)], None, INK, 0.25, closed=False))
    for r in range(1, rows):
        out.append(PShape([(box.x, box.y + r * ch), (box.right, box.y + r * ch)], None, INK, 0.2, closed=False))
    for i, (caption, value) in enumerate(cells):
        r, c = divmod(i, columns)
        last_alone = r == rows - 1 and len(cells) - r * columns == 1
        width = box.w if last_alone else cw
        if c > 0:
            out.append(PShape([(box.x + c * cw, box.y + r * ch), (box.x + c * cw, box.y + (r + 1) * ch)], None, INK,
                              0.2, closed=False))
        x, y = box.x + c * cw + 2.0, box.y + r * ch
        out.append(PText(x, y + 2.9, caption, 2.0, False, GREY))
        text, size = _fit_line(value, 3.0, True, width - 4.0, 2.0)
        out.append(PText(x, y + ch - 1.6, text, size, True, INK))


SIGNOFF = (("Digambar", "drawn"), ("Diperiksa", "checked"), ("Disetujui", "approved"))


def _signoff(out: list, heading: Heading, box: Rect) -> None:
    """Three boxes, one under the other: Digambar, Diperiksa, Disetujui, each with the name (and title)
    or a dotted line to write it on, and a "Tgl./Paraf" column for the date and initials."""
    people = {"drawn": Signoff(heading.drawn_by), "checked": heading.checked_by, "approved": heading.approved_by}
    row_h = box.h / 3
    paraf_w = min(24.0, max(16.0, box.w * 0.3))
    px = box.right - paraf_w
    out.append(PShape([(px, box.y), (px, box.bottom)], None, INK, 0.2, closed=False))
    for i, (caption, key) in enumerate(SIGNOFF):
        y = box.y + i * row_h
        if i:
            out.append(PShape([(box.x, y), (box.right, y)], None, INK, 0.2, closed=False))
        x, w = box.x + 2.0, px - box.x - 4.0
        person = people[key]
        out.append(PText(x, y + 2.8, caption, 2.0, False, GREY))
        out.append(PText(px + 1.5, y + 2.8, "Tgl./Paraf", 2.0, False, GREY))
        if not person.name:  # a line to write the name on
            line_y = y + min(row_h - 2.0, 6.8)
            out.append(PShape([(x, line_y), (x + w, line_y)], None, GREY, 0.15, closed=False, dash=(0.4, 0.6)))
            continue
        # the name, then the title, each on two lines where the box is deep enough
        two = row_h >= 15.0
        lines = [(t, 2.4, True, INK) for t in wrap(person.name, 2.4, True, w, 2 if two else 1)]
        lines += [(t, 2.0, False, GREY) for t in wrap(person.title, 2.0, False, w, 2 if two else 1)] \
            if person.title else []
        base = y + 6.2
        for text, size, bold, colour in lines:
            if base > y + row_h - 0.8:
                break
            out.append(PText(x, base, elide(text, size, bold, w), size, bold, colour))
            base += size * 1.22 if bold else size * 1.2


# --- legend and numbered key ---------------------------------------------------------------------
def legend_fits(sheet: Sheet, heading: Heading, *, with_key: bool) -> bool:
    """Whether the title block holds the whole colour legend (and, ``with_key``, the whole numbered
    key) without a notes sheet."""
    probe = Sheet(sheet.frame, sheet.drawing, sheet.scale, sheet.origin, sheet.kind, sheet.tile, sheet.grid,
                  sheet.tile_scale, sheet.number, sheet.count, sheet.labels if with_key else None)
    return _legend([], probe, heading, parts(probe, heading).legend)


def _key_entries(sheet: Sheet) -> list:
    labels = sheet.labels
    if labels is None or labels.omit or sheet.kind not in ("single", "tile") or sheet.key_box is not None:
        return []  # (a key beside the plan is drawn there)
    return list(labels.entries)


def _legend(out: list, sheet: Sheet, heading: Heading, box: Rect) -> bool:
    """The colour legend, then the numbered key (or where to find them), in ``box``; returns whether
    everything was shown whole."""
    drawing = sheet.drawing
    entries = drawing.legend
    key = _key_entries(sheet)
    refer = sheet.notes_sheet  # the notes sheet that lists what does not fit here
    if box.h < 8 or box.w < 20:
        return not entries and not key
    top = box.y
    whole = True
    if entries:
        out.append(PText(box.x, box.y + 2.6, *_fit_line(drawing.legend_title, 2.4, True, box.w, 2.0), True, INK))
        top = box.y + 5.0
        reserve = (2 if key and refer else 0) * 2.0 * 1.55
        avail_h = box.bottom - top - reserve
        for size in (2.4, 2.2, 2.0):
            row_h = size * 1.55
            rows = max(1, int(avail_h // row_h))
            cols = (len(entries) + rows - 1) // rows
            col_w = box.w / cols
            if col_w >= size * 12:
                break
        shown = entries
        if col_w < size * 12:  # too many even at 2 mm: show what fits, say how many are left and where
            whole = False
            cols = max(1, int(box.w // (size * 12)))
            col_w = box.w / cols
            keep = max(0, rows * cols - 1)
            more = f"dan {len(entries) - keep} lainnya" + (f": lihat lembar {refer}" if refer else "")
            shown = entries[:keep] + [pd.LegendEntry("", more)]
        rows = max(1, (len(shown) + cols - 1) // cols)
        sw = size * 1.5
        room = col_w - sw - 2.5
        # one style for the whole legend: "DPMPTSP — Dinas ..." when the columns are wide, else short names
        short = col_w < size * 22 and any(text_width(e.label, size, False) > room for e in shown)
        for i, entry in enumerate(shown):
            c, r = divmod(i, rows)
            x, y = box.x + c * col_w, top + r * row_h
            if entry.colour:
                out.append(PShape(rect_pts(Rect(x, y, sw, size * 1.05)), entry.colour, INK, 0.12))
            text = elide(entry.short if short and entry.short else entry.label, size, False, room)
            out.append(PText(x + sw + 1.2, y + size * 0.9, text, size, False, INK))
        top += rows * row_h + 1.5
    if not key:
        return whole
    first, last = key[0].number, key[-1].number
    if refer:
        span = f"{first}–{last}" if last > first else f"{first}"
        for k, line in enumerate(wrap(f"Nomor {span} pada denah: lihat lembar {refer} (keterangan nomor).", 2.0,
                                      False, box.w, 2)):
            out.append(PText(box.x, top + 2.0 + k * 3.1, elide(line, 2.0, False, box.w), 2.0, False, INK))
        return False
    size, row_h = 2.0, 3.1
    num_w = text_width(str(last), size, True) + 1.5
    need_w = max(text_width(e.label, size, False) for e in key) + num_w + 4.0
    cols = int(box.w // need_w)
    rows_avail = int((box.bottom - top - 4.0) // row_h)
    if cols < 1 or rows_avail < 1 or math.ceil(len(key) / cols) > rows_avail:
        out.append(PText(box.x, top + 2.4, "Nomor pada denah: daftar pada lembar keterangan.", 2.0, False, INK))
        return False
    out.append(PText(box.x, top + 2.6, "Nomor pada denah", 2.4, True, INK))
    top += 4.0
    rows = math.ceil(len(key) / cols)
    col_w = box.w / cols
    for i, e in enumerate(key):
        c, r = divmod(i, rows)
        x, y = box.x + c * col_w, top + r * row_h + size * 0.9
        out.append(PText(x + num_w, y, str(e.number), size, True, INK, "end"))
        out.append(PText(x + num_w + 1.5, y, e.label, size, False, INK))
    return whole
