"""``mpp-planner export plan``: the floor plan to scale as PDF, SVG or PNG, with a title block, or
as DXF for the architect's CAD program.

Without ``--floor`` every floor is drawn, one sheet (PDF page) each. PDF holds every sheet in one
file. SVG and PNG hold one sheet per file: when the export has several sheets they are written as
OUT-<floor>.svg (OUT-lantai-1.svg, OUT-lantai-2.svg; a floor of several sheets adds the part:
OUT-lantai-1-kunci.svg, OUT-lantai-1-A1.svg, OUT-lantai-1-keterangan.svg) and OUT itself is not
written; the command prints every file written. All files appear together or not at all.

A floor that does not fit the paper at the chosen scale is refused with its size and a paper or
scale that would do, unless ``--tiles`` asks for it in parts (a key sheet and overlapping tiles to
glue together; the export dialog always allows that). No text on a sheet is under 2 mm: labels
that do not fit go to a numbered key (:mod:`mpp_planner.reports.plan_key`).

DXF holds the plan itself in millimetres (no sheet, so paper, scale, orientation, colour and DPI do
not apply and are ignored): see :mod:`mpp_planner.reports.plan_dxf`.

Layers: without ``--layers`` a sheet shows every layer but the underlay, plus the underlay of each
floor whose underlay is marked to print (FloorUnderlay.printed); a DXF holds every layer, the
underlay included (the raster background is never in a DXF). An explicit ``--layers`` list is
exactly what is drawn.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mpp_planner.i18n import N_, _
from mpp_planner.jobs import Cancelled, checkpoint  # noqa: F401 - Cancelled: this module's callers catch it

FORMATS = ("pdf", "svg", "png", "dxf")
HELP = N_("the floor plan to scale, with title block (PDF, SVG, PNG), or for CAD (DXF)")
DEFAULT_DPI = 150


@dataclass
class PlanOptions:
    floor: str | None = None  # None or "all": every floor; else a floor's name
    scale: int | None = 100  # None: fit to the paper
    paper: str = "A3"
    orientation: str = "auto"
    layers: tuple[str, ...] = ("background", "rooms", "walls", "counters", "furniture", "dimensions", "labels")
    colour: str = "agency"
    dpi: int = DEFAULT_DPI
    printed_underlays: bool = True  # "underlay" not in layers: still draw the underlays marked to print
    tiles: bool = True  # a floor larger than the paper at this scale goes on tiles (else: refused)
    drawn_by: str = ""  # the name in the "Digambar" box
    drawing_number: str = ""  # "" : MPP-<floor>-<sheet>


def add_arguments(parser) -> None:
    parser.add_argument("--floor", default=None, metavar="NAME|all",
                        help=_("floor to draw (default: all floors, one sheet each)"))
    parser.add_argument("--scale", default=None, metavar="1:N|fit",
                        help=_("drawing scale: 1:50, 1:100 (default; a floor larger than the paper then goes on "
                               "tiles), 1:200, any 1:N, or fit to the paper (not for DXF, which is in millimetres)"))
    parser.add_argument("--paper", default="A3", metavar="A4|F4|A3|A2",
                        help=_("paper size (default A3; not for DXF)"))
    parser.add_argument("--tiles", action="store_true",
                        help=_("print a floor larger than the paper at this scale on several sheets to glue "
                               "together (default: refuse it and name a paper or scale that fits)"))
    parser.add_argument("--drawn-by", dest="drawn_by", default="", metavar="NAME",
                        help=_("name in the title block's 'Digambar' box (default: a line to write on)"))
    parser.add_argument("--drawing-number", dest="drawing_number", default="", metavar="TEXT",
                        help=_("drawing number in the title block (default: MPP-<floor>-<sheet>); several "
                               "sheets get TEXT-1, TEXT-2, ..."))
    parser.add_argument("--orientation", default="auto", metavar="auto|portrait|landscape",
                        help=_("paper orientation (default: whichever needs fewer sheets; not for DXF)"))
    parser.add_argument("--layers", default=None, metavar="LIST",
                        help=_("comma-separated layers to show: background, rooms, walls, counters, furniture, "
                               "dimensions, labels, underlay, or all (default: all but underlay, which is "
                               "added for floors whose underlay is marked to print; DXF: all but background)"))
    parser.add_argument("--colour", "--color", dest="colour", default="agency", metavar="agency|tier",
                        help=_("colour counters by agency (default) or by tier"))
    parser.add_argument("--dpi", default=str(DEFAULT_DPI), metavar="N",
                        help=_("PNG resolution in dots per inch, 1 to 1200 (default 150)"))


def options_from_args(args) -> PlanOptions:
    """Check every option; a ValueError carries the one-line message for the user."""
    from mpp_planner.reports.plan_drawing import COLOUR_MODES, parse_layers
    from mpp_planner.reports.plan_layout import parse_orientation, parse_paper, parse_scale
    from mpp_planner.reports.plan_png import parse_dpi

    colour = str(getattr(args, "colour", "agency") or "agency").strip().lower()
    if colour == "color":
        colour = "agency"
    if colour not in COLOUR_MODES:
        raise ValueError(_("Colour '{value}' is not valid; use agency or tier.").format(value=colour))
    floor = getattr(args, "floor", None)
    layers = getattr(args, "layers", None)
    return PlanOptions(floor=floor.strip() if isinstance(floor, str) and floor.strip() else None,
                       scale=parse_scale(getattr(args, "scale", None) or "1:100"),
                       paper=parse_paper(getattr(args, "paper", "A3")),
                       orientation=parse_orientation(getattr(args, "orientation", "auto")),
                       layers=parse_layers(layers),
                       colour=colour,
                       dpi=parse_dpi(getattr(args, "dpi", DEFAULT_DPI)),
                       printed_underlays=layers is None,
                       # the command line asks for tiles with --tiles (or leaves the scale to us: 1:100 on tiles,
                       # as before); a scale the user chose that does not fit is refused; the dialog shows tiles
                       tiles=bool(getattr(args, "tiles", True)) or getattr(args, "scale", "1:100") is None,
                       drawn_by=_sheet_text(getattr(args, "drawn_by", ""), "--drawn-by", 80),
                       drawing_number=_sheet_text(getattr(args, "drawing_number", ""), "--drawing-number", 40))


def _sheet_text(value, option: str, limit: int) -> str:
    """A short line of text for the title block; control characters and overlong text are refused."""
    text = "" if value is None else str(value).strip()
    if len(text) > limit or any(ord(ch) < 32 for ch in text):
        raise ValueError(_("{option} must be one line of at most {n} characters.").format(option=option, n=limit))
    return text


def floor_choices(project) -> list[tuple[int, str]]:
    from sqlalchemy import select

    from mpp_planner.model import Floor

    return [(fid, name) for fid, name in project.session.execute(
        select(Floor.id, Floor.name).order_by(Floor.order, Floor.id))]


def resolve_floors(project, floor: str | None) -> list[int]:
    """Floor ids for ``--floor``: None or "all" -> every floor, else the floor of that name."""
    floors = floor_choices(project)
    if not floors:
        raise ValueError(_("This project has no floors to draw."))
    if floor is None or floor.strip().lower() == "all":
        return [fid for fid, _name in floors]
    for fid, name in floors:
        if name == floor:
            return [fid]
    matches = [fid for fid, name in floors if name.casefold() == floor.strip().casefold()]
    if len(matches) == 1:
        return matches
    raise ValueError(_("There is no floor named '{name}'; the floors are: {names}.").format(
        name=floor, names=", ".join(name for _fid, name in floors)))


@dataclass
class PlanJob:
    """Everything read from the project (plain data): safe to lay out and render in another thread."""

    drawings: list
    heading: object
    options: PlanOptions

    def sheets(self):
        """Every sheet, numbered: the floors' sheets, each floor's notes sheet where its numbered key
        does not fit the title block. A floor too large for the paper without tiles: ValueError."""
        from mpp_planner.reports.plan_key import finish
        from mpp_planner.reports.plan_layout import layout

        sheets = layout(self.drawings, paper=self.options.paper, orientation=self.options.orientation,
                        scale=self.options.scale, tiles=self.options.tiles)
        return finish(sheets, self.heading, self.options.drawing_number or None)

    def pages(self, sheets=None) -> Iterator:
        from mpp_planner.reports.plan_sheet import compose

        for sheet in sheets if sheets is not None else self.sheets():
            yield compose(sheet, self.heading)


def prepare(project, options: PlanOptions, when: date | None = None, floor_ids: list[int] | None = None) -> PlanJob:
    """Read the floors from the project (batched queries); raises ValueError for an unknown floor.

    ``floor_ids`` (from the GUI) overrides ``options.floor``."""
    from mpp_planner.reports.plan_drawing import build_drawings
    from mpp_planner.reports.plan_title import heading_from

    ids = list(floor_ids) if floor_ids else resolve_floors(project, options.floor)
    positions = {fid: i for i, (fid, _name) in enumerate(floor_choices(project), start=1)}
    drawings = build_drawings(project, ids, options.layers, options.colour,
                              printed_underlays=options.printed_underlays, positions=positions)
    return PlanJob(drawings, heading_from(project, options.paper, when, options.drawn_by), options)


def sheet_paths(out: Path, sheets) -> list[Path]:
    """OUT itself for one sheet; for several, OUT-<floor>[-<part>] per sheet (see the module's
    docstring), with the sheet number added where two names would be the same."""
    from mpp_planner.reports.plan_key import file_tag, slug

    sheets = list(sheets)
    if len(sheets) == 1:
        return [out]
    names: list[str] = []
    notes_seen: dict[int, int] = {}
    for sheet in sheets:
        index = 0
        if sheet.kind == "notes":
            index = notes_seen[id(sheet.drawing)] = notes_seen.get(id(sheet.drawing), 0) + 1
        tag = file_tag(sheet, index)
        names.append(slug(sheet.drawing.floor_name) + (f"-{tag}" if tag else ""))
    width = len(str(len(sheets)))
    twice = {name for name in names if names.count(name) > 1}  # two floors of one slug
    names = [f"{name}-{sheet.number:0{width}d}" if name in twice else name for name, sheet in zip(names, sheets)]
    return [out.with_name(f"{out.stem}-{name}{out.suffix}") for name in names]


def write(job: PlanJob, out: Path, fmt: str, *, progress: Callable[[int, int], None] | None = None,
          cancelled: Callable[[], bool] | None = None) -> list[Path]:
    """Lay out, render and write; returns the files written. Nothing is left behind on error."""
    from mpp_planner.reports.output import (file_mode, remove_temporaries, sweep_stale_temporaries, temporary_beside,
                                            write_atomically)

    out = Path(out)
    total = 0

    def step(done: int) -> None:
        if cancelled is not None and cancelled():
            raise Cancelled()
        checkpoint(done, total)
        if progress is not None:
            progress(done, total)

    if fmt == "dxf":  # no sheets: the plan itself, in millimetres
        from mpp_planner.reports.plan_dxf import write_drawings

        def dxf_step(done: int, total: int) -> None:
            if cancelled is not None and cancelled():
                raise Cancelled()
            if progress is not None:
                progress(done, total)

        write_atomically(out, lambda tmp: write_drawings(job.drawings, tmp, title=job.heading.mpp_name,
                                                         progress=dxf_step))
        return [out]
    sheets = job.sheets()
    total = len(sheets)
    step(0)
    if fmt == "pdf":
        from mpp_planner.reports.plan_pdf import write_pdf

        title = f"Denah {job.heading.mpp_name}"
        write_atomically(out, lambda tmp: write_pdf(job.pages(sheets), tmp, title=title, progress=step))
        return [out]
    if fmt == "png":
        from mpp_planner.reports.plan_layout import PAPERS
        from mpp_planner.reports.plan_png import check_size

        check_size(*PAPERS[job.options.paper], job.options.dpi, job.options.paper)
    paths = sheet_paths(out, sheets)
    sweep_stale_temporaries(out.parent)  # left by exports killed before (see reports.output)
    temps: list[Path] = []
    try:
        for i, page in enumerate(job.pages(sheets), start=1):
            tmp = temporary_beside(out)
            temps.append(tmp)
            if fmt == "svg":
                from mpp_planner.reports.plan_svg import svg_text

                tmp.write_text(svg_text(page), encoding="utf-8")
            else:
                from mpp_planner.reports.plan_png import write_png

                write_png(page, tmp, job.options.dpi)
            os.chmod(tmp, file_mode())
            step(i)
        for tmp, path in zip(temps, paths):
            os.replace(tmp, path)
    except BaseException:
        remove_temporaries(temps)
        raise
    return paths


def export(project, out: Path, fmt: str, args) -> list[Path]:
    options = options_from_args(args)
    if fmt == "dxf":
        from mpp_planner.reports.plan_dxf import DXF_LAYERS

        if getattr(args, "layers", None) is None:
            options.layers, options.printed_underlays = DXF_LAYERS, False
    job = prepare(project, options)
    return write(job, Path(out), fmt)
