"""The numbered key of a plan sheet: no text on a plan sheet is smaller than 2 mm (``MIN_TEXT_MM``).

A room name, a counter's label or a piece of furniture's name that does not fit its room or box at
that size is not shrunk: it is drawn as a number, and the key lists "number — label". The key goes
in the title block when it fits there whole, else on a notes sheet ("Keterangan nomor") right after
the floor's sheets. Furniture of one name shares one number. On the key sheet of a tiled plan
(the small overview of how the tiles fit) such labels are left out: the tiles carry them.

:func:`finish` completes the sheets of an export: their label plans, the notes sheets, the sheet
numbers ("Lembar x dari y") and the drawing numbers ("MPP-01-1").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from mpp_planner.i18n import _
from mpp_planner.jobs import checkpoint
from mpp_planner.reports import plan_drawing as pd
from mpp_planner.reports.plan_layout import PAD, Rect, Sheet
from mpp_planner.reports.plan_primitives import (GREY, INK, MIN_TEXT_MM, PShape, PText, fit_block, text_width,
                                                 wrap)

KEY_LAYERS = ("rooms", "counters", "furniture")  # numbered in this order: rooms first


@dataclass(frozen=True)
class KeyEntry:
    number: int
    label: str
    layer: str  # "rooms", "counters" or "furniture"


@dataclass
class LabelPlan:
    """Which texts of a floor drawing are drawn by number at one scale (index in ``drawing.items``
    -> number; 0 = left out), the key entries, and where the room names that fit go."""

    scale: int
    numbers: dict[int, int] = field(default_factory=dict)
    entries: list[KeyEntry] = field(default_factory=list)
    placed: dict[int, tuple] = field(default_factory=dict)  # room text index -> ((x, y), laid lines)
    omit: bool = False


def min_size(item: pd.Text) -> float:
    """The smallest size the text's block may take so that its smallest line stays at MIN_TEXT_MM."""
    smallest = min((line.scale for line in item.lines), default=1.0) or 1.0
    return max(item.min_size_mm, MIN_TEXT_MM / smallest)


def complete(laid, lines) -> bool:
    """All of the text is there (perhaps wrapped): no line dropped, none shortened with "…"."""
    if not laid or any(t.endswith("…") for t, _s, _b in laid):
        return False
    return " ".join(t for t, _s, _b in laid).split() == " ".join(line.text for line in lines).split()


def plan_labels(drawing: pd.FloorDrawing, scale: int, *, omit: bool = False) -> LabelPlan:
    """Decide, at 1:``scale``, which room, counter and furniture labels fit at 2 mm or more and
    number the rest (or, with ``omit``, leave them out)."""
    from mpp_planner.reports.plan_sheet import place_in_region

    plan = LabelPlan(scale, omit=omit)
    shared: dict[str, int] = {}
    for layer in KEY_LAYERS:
        for index, item in enumerate(drawing.items):
            if not isinstance(item, pd.Text) or item.layer != layer or not item.key_label:
                continue
            smallest = min_size(item)
            size = max(item.size_mm, smallest)
            if item.region is not None:
                placed = place_in_region(item, scale, drawing.obstacles, size, smallest)
                if placed is not None and complete(placed[1], item.lines):
                    plan.placed[index] = placed
                    continue
            elif item.fit is not None:
                fitted = fit_block(item.lines, size, item.fit[0] / scale, item.fit[1] / scale, smallest, item.wrap)
                if fitted is not None and complete(fitted[1], item.lines):
                    continue
            else:
                continue
            if omit:
                plan.numbers[index] = 0
                continue
            if item.shared_key and item.key_label in shared:
                plan.numbers[index] = shared[item.key_label]
                continue
            number = len(plan.entries) + 1
            plan.entries.append(KeyEntry(number, item.key_label, layer))
            plan.numbers[index] = number
            if item.shared_key:
                shared[item.key_label] = number
    return plan


def labels_for(sheet: Sheet) -> LabelPlan:
    """The label plan of a sheet that :func:`finish` has not seen."""
    plan = plan_labels(sheet.drawing, sheet.scale, omit=sheet.kind == "key")
    sheet.labels = plan
    return plan


# --- the notes sheet ------------------------------------------------------------------------------
NOTE_SIZE = 2.6  # mm: the entries of a notes sheet
NOTE_ROW = NOTE_SIZE * 1.45
NOTE_PAD = 6.0
NOTE_COLUMN = 95.0  # mm: the width a column of entries wants
NOTE_TOP = 16.0  # the heading's depth


def _note_pages(sheet: Sheet, entries: list[KeyEntry], legend: list) -> list[list]:
    """The primitives of the entries on each notes sheet (the colour legend first, when given): as
    many pages as the entries need, columns filled top to bottom."""
    a = sheet.frame.area
    cols = max(1, int((a.w - 2 * NOTE_PAD) // NOTE_COLUMN))
    col_w = (a.w - 2 * NOTE_PAD) / cols
    top, bottom = a.y + NOTE_PAD + NOTE_TOP, a.bottom - NOTE_PAD
    blocks: list[tuple[str, Any, list[str]]] = []
    if legend:
        blocks.append(("heading", "Warna loket", ["Warna loket"]))
        blocks.extend(("colour", e, wrap(e.label, NOTE_SIZE, False, col_w - 9.0, 3)) for e in legend)
        blocks.append(("gap", None, [""]))
    if entries:
        blocks.append(("heading", "Nomor pada denah", ["Nomor pada denah"]))
    num_w = text_width(str(max((e.number for e in entries), default=0)), NOTE_SIZE, True) + 2.0
    blocks.extend(("entry", e, wrap(e.label, NOTE_SIZE, False, col_w - num_w - 3.0, 3)) for e in entries)
    pages: list[list] = [[]]
    col, y = 0, top
    for kind, data, lines in blocks:
        height = len(lines) * NOTE_ROW
        if y + height > bottom + 1e-6:
            col, y = col + 1, top
            if col >= cols:
                pages.append([])
                col = 0
            if kind == "gap":
                continue
        x = a.x + NOTE_PAD + col * col_w
        out = pages[-1]
        if kind == "heading":
            out.append(PText(x, y + NOTE_SIZE, str(data), NOTE_SIZE, True, INK))
        elif kind == "colour":
            out.append(PShape([(x, y + 0.4), (x + 5.0, y + 0.4), (x + 5.0, y + 0.4 + NOTE_SIZE),
                               (x, y + 0.4 + NOTE_SIZE)], data.colour, INK, 0.12))
            for k, line in enumerate(lines):
                out.append(PText(x + 7.0, y + NOTE_SIZE + k * NOTE_ROW, line, NOTE_SIZE, False, INK))
        elif kind == "entry":
            out.append(PText(x + num_w, y + NOTE_SIZE, str(data.number), NOTE_SIZE, True, INK, "end"))
            for k, line in enumerate(lines):
                out.append(PText(x + num_w + 2.5, y + NOTE_SIZE + k * NOTE_ROW, line, NOTE_SIZE, False, INK))
        y += height
    return [page for page in pages if page] or [[]]


def notes_items(sheet: Sheet) -> list:
    """What a notes sheet shows in its drawing area: a heading naming the sheets it explains, then
    its part of the key."""
    a = sheet.frame.area
    x, y = a.x + NOTE_PAD, a.y + NOTE_PAD
    out: list = [PText(x, y + 4.0, f"KETERANGAN NOMOR — DENAH {sheet.drawing.floor_name.upper()}", 4.0, True, INK)]
    explains = sheet_range(sheet.explains)
    if explains:
        out.append(PText(x, y + 9.5, f"Nomor pada denah {explains} menunjuk ruang, loket atau perabot berikut "
                                     f"(terlalu kecil untuk ditulis pada skala 1:{sheet.scale}).", 2.6, False, GREY))
    out.extend(sheet.notes)
    return out


def sheet_range(numbers) -> str:
    """(2,) -> "lembar 2"; (2, 3, 4) -> "lembar 2–4"."""
    numbers = sorted(numbers)
    if not numbers:
        return ""
    if len(numbers) == 1:
        return f"lembar {numbers[0]}"
    return f"lembar {numbers[0]}–{numbers[-1]}"


# --- the key beside the plan ---------------------------------------------------------------------
KEY_SIZE = 2.2  # mm: the entries of a key drawn beside the plan
KEY_ROW = KEY_SIZE * 1.5
KEY_HEAD = 6.0  # the key's heading
KEY_PAD = 2.0
KEY_GAP = 4.0  # between the plan and the key, and from the drawing area's edge
MAX_SHRINK = 2.0  # a plan fitted to the paper may go to half its size to make room for its key


def _key_column(entries: list[KeyEntry]) -> tuple[float, float]:
    """(width of one column of the key, width of its number column)."""
    num_w = text_width(str(max(e.number for e in entries)), KEY_SIZE, True) + 1.5
    return max(text_width(e.label, KEY_SIZE, False) for e in entries) + num_w + 1.5 + 2 * KEY_PAD + 2.0, num_w


def _key_beside(sheet: Sheet, entries: list[KeyEntry]) -> tuple[str, Rect, float, float] | None:
    """Where a key of ``entries`` fits in the drawing area next to the plan at the sheet's scale:
    ("right" or "below", its box, the width and the height left for the plan); None when it does not."""
    bounds = sheet.drawing.bounds()
    if bounds is None or not entries:
        return None
    a = sheet.frame.area
    x0, y0, x1, y1 = bounds
    pw, ph = (x1 - x0) / sheet.scale + 2 * PAD, (y1 - y0) / sheet.scale + 2 * PAD
    col_w, _num = _key_column(entries)
    rows = int((a.h - 2 * KEY_GAP - KEY_HEAD - 2 * KEY_PAD) // KEY_ROW)
    if rows >= 1:
        cols = math.ceil(len(entries) / rows)
        kw = cols * col_w
        if pw + kw + 2 * KEY_GAP <= a.w:
            used = math.ceil(len(entries) / cols)
            kh = KEY_HEAD + 2 * KEY_PAD + used * KEY_ROW
            return "right", Rect(a.right - KEY_GAP - kw, a.y + KEY_GAP, kw, kh), a.w - kw - KEY_GAP, a.h
    cols = int((a.w - 2 * KEY_GAP) // col_w)
    if cols >= 1:
        rows = math.ceil(len(entries) / cols)
        kh = KEY_HEAD + 2 * KEY_PAD + rows * KEY_ROW
        if ph + kh + 2 * KEY_GAP <= a.h:
            kw = math.ceil(len(entries) / rows) * col_w
            return "below", Rect(a.x + KEY_GAP, a.bottom - KEY_GAP - kh, kw, kh), a.w, a.h - kh - KEY_GAP
    return None


def place_key_beside(sheet: Sheet, plan: LabelPlan) -> bool:
    """Put the numbered key in the drawing area beside the plan when there is room, moving the plan
    over to make way (the scale stays); returns whether it went there."""
    spot = _key_beside(sheet, plan.entries)
    if spot is None:
        return False
    side, box, left_w, left_h = spot
    bounds = sheet.drawing.bounds()
    assert bounds is not None
    cx, cy = (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2
    n = sheet.scale
    a = sheet.frame.area
    if side == "right":
        sheet.origin = (cx - left_w / 2 * n, cy - a.h / 2 * n)
    else:
        sheet.origin = (cx - a.w / 2 * n, cy - left_h / 2 * n)
    sheet.key_box = box
    return True


def fit_beside_key(sheet: Sheet, plan: LabelPlan) -> LabelPlan | None:
    """A sheet fitted to the paper leaves room for its key: the scale shrinks until the plan and its
    key fit side by side (a few tries, as a smaller scale numbers more labels); the new label plan,
    or None (and the sheet as it was) when they do not."""
    bounds = sheet.drawing.bounds()
    if bounds is None:
        return None
    a = sheet.frame.area
    scale, origin = sheet.scale, sheet.origin
    found = _fit_beside_key(sheet, plan, bounds, a)
    if found is None:  # as it was: the key goes to a notes sheet
        sheet.scale, sheet.origin, sheet.key_box = scale, origin, None
    return found


def _fit_beside_key(sheet: Sheet, plan: LabelPlan, bounds, a: Rect) -> LabelPlan | None:
    from mpp_planner.reports.plan_layout import centred_origin, fit_scale, nice_scale

    limit = MAX_SHRINK * sheet.scale  # smaller than this, the plan reads better with a notes sheet
    for _attempt in range(4):
        if place_key_beside(sheet, plan):
            return plan
        col_w, _num = _key_column(plan.entries)
        rows = max(1, int((a.h - 2 * KEY_GAP - KEY_HEAD - 2 * KEY_PAD) // KEY_ROW))
        kw = math.ceil(len(plan.entries) / rows) * col_w
        beside = Rect(a.x, a.y, max(10.0, a.w - kw - 2 * KEY_GAP), a.h)
        cols = max(1, int((a.w - 2 * KEY_GAP) // col_w))
        kh = KEY_HEAD + 2 * KEY_PAD + math.ceil(len(plan.entries) / cols) * KEY_ROW
        below = Rect(a.x, a.y, a.w, max(10.0, a.h - kh - 2 * KEY_GAP))
        scale = max(sheet.scale + 1, min(fit_scale(bounds, beside), fit_scale(bounds, below)))
        if scale > limit:
            return None
        sheet.scale = nice_scale(scale)
        sheet.origin = centred_origin(bounds, a, sheet.scale)
        plan = plan_labels(sheet.drawing, sheet.scale)
        if not plan.entries:
            return plan
    return plan if place_key_beside(sheet, plan) else None


def key_items(sheet: Sheet) -> list:
    """The numbered key drawn beside the plan: a ruled white box headed "Nomor pada denah"."""
    box, labels = sheet.key_box, sheet.labels
    if box is None or labels is None or not labels.entries:
        return []
    entries = labels.entries
    col_w, num_w = _key_column(entries)
    rows = max(1, int((box.h - KEY_HEAD - 2 * KEY_PAD + 1e-6) // KEY_ROW))
    out: list = [PShape([(box.x, box.y), (box.right, box.y), (box.right, box.bottom), (box.x, box.bottom)],
                        "#FFFFFF", INK, 0.25),
                 PText(box.x + KEY_PAD, box.y + KEY_PAD + 2.6, "Nomor pada denah", 2.6, True, INK)]
    top = box.y + KEY_PAD + KEY_HEAD
    for i, e in enumerate(entries):
        c, r = divmod(i, rows)
        x, y = box.x + KEY_PAD + c * col_w, top + r * KEY_ROW + KEY_SIZE * 0.9
        out.append(PText(x + num_w, y, str(e.number), KEY_SIZE, True, INK, "end"))
        out.append(PText(x + num_w + 1.5, y, e.label, KEY_SIZE, False, INK))
    return out


# --- finishing an export's sheets -----------------------------------------------------------------
def finish(sheets: list[Sheet], heading, drawing_number: str | None = None) -> list[Sheet]:
    """The sheets with their label plans and, after the sheets of a floor whose numbered key (or colour
    legend) does not fit the title block, its notes sheets; all numbered, with drawing numbers."""
    from mpp_planner.reports.plan_title import legend_fits

    out: list[Sheet] = []
    groups: list[list[Sheet]] = []
    for sheet in sheets:
        if groups and groups[-1][0].drawing is sheet.drawing:
            groups[-1].append(sheet)
        else:
            groups.append([sheet])
    pending: list[tuple[list[Sheet], list[Sheet]]] = []
    for k, group in enumerate(groups):
        # the labels are most of the layout's time: say whose, and stop here when the job is cancelled
        checkpoint(k, len(groups), _("Placing the labels of {floor}…").format(floor=group[0].drawing.floor_name))
        drawn = [s for s in group if s.kind in ("single", "tile")]
        plan = plan_labels(group[0].drawing, drawn[0].scale) if drawn else None
        for s in group:
            s.labels = plan if s.kind != "key" else plan_labels(s.drawing, s.scale, omit=True)
        out.extend(group)
        if not drawn or plan is None:
            continue
        legend_whole = all(legend_fits(s, heading, with_key=False) for s in group if s.kind != "notes")
        key_whole = not plan.entries or all(legend_fits(s, heading, with_key=True) for s in drawn)
        if plan.entries and not key_whole and len(drawn) == 1 and drawn[0].kind == "single":
            # a sheet of its own: the key beside the plan when there is room (fitted: made room)
            sheet = drawn[0]
            beside = plan if place_key_beside(sheet, plan) else fit_beside_key(sheet, plan) if sheet.fitted else None
            if beside is not None:
                plan = sheet.labels = beside
                key_whole = True
        if legend_whole and key_whole:
            continue
        first = drawn[0]
        model = Sheet(first.frame, first.drawing, first.scale, first.origin, kind="notes")
        pages = _note_pages(model, plan.entries if not key_whole else [],
                            first.drawing.legend if not legend_whole else [])
        notes = [Sheet(first.frame, first.drawing, first.scale, first.origin, kind="notes", notes=page,
                       labels=plan) for page in pages]
        out.extend(notes)
        pending.append((group, notes))
    for i, sheet in enumerate(out, start=1):
        sheet.number, sheet.count = i, len(out)
    for group, notes in pending:
        for s in group:
            s.notes_sheet = notes[0].number
        for page in notes:
            page.explains = tuple(s.number for s in group if s.kind != "key")
    for group_sheets in _by_floor(out):
        for k, sheet in enumerate(group_sheets, start=1):
            if drawing_number:
                sheet.drawing_number = drawing_number if len(out) == 1 else f"{drawing_number}-{sheet.number}"
            else:
                sheet.drawing_number = f"MPP-{sheet.drawing.position:02d}-{k}"
    return out


def _by_floor(sheets: list[Sheet]) -> list[list[Sheet]]:
    groups: list[list[Sheet]] = []
    for sheet in sheets:
        if groups and groups[-1][0].drawing is sheet.drawing:
            groups[-1].append(sheet)
        else:
            groups.append([sheet])
    return groups


_SLUG = re.compile(r"[^0-9A-Za-z]+")


def file_tag(sheet: Sheet, notes_index: int = 0) -> str:
    """The part of a sheet's file name after the floor: "" (the floor's only sheet), "kunci", "A1",
    "keterangan" (or "keterangan-2")."""
    if sheet.kind == "key":
        return "kunci"
    if sheet.kind == "tile" and sheet.tile is not None:
        return sheet.tile.label
    if sheet.kind == "notes":
        return "keterangan" if notes_index <= 1 else f"keterangan-{notes_index}"
    return ""


def slug(name: str) -> str:
    """"Lantai 1 (Dasar)" -> "lantai-1-dasar"; a name of no letters or digits -> "lantai"."""
    return _SLUG.sub("-", name).strip("-").lower() or "lantai"
