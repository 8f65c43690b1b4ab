"""``mpp-planner export plan``: the floor plan to scale as PDF, SVG or PNG, with a title block, or
as DXF for the architect's CAD program.

PDF holds every sheet (all floors, key sheets and tiles) in one file. SVG and PNG hold one sheet
per file: when the export has several sheets they are written as OUT-1.svg, OUT-2.svg, ... (the
number is the sheet number printed in the title block, zero-padded when there are ten or more)
and OUT itself is not written. All files appear together or not at all.

DXF holds the plan itself in millimetres (no sheet, so paper, scale, orientation, colour and DPI do
not apply and are ignored): see :mod:`mpp_planner.reports.plan_dxf`.

Layers: without ``--layers`` a sheet shows every layer but the underlay, plus the underlay of each
floor whose underlay is marked to print (FloorUnderlay.printed); a DXF holds every layer, the
underlay included (the raster background is never in a DXF). An explicit ``--layers`` list is
exactly what is drawn.
"""

from __future__ import annotations

import os
import tempfile
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
    floor: str | None = None  # None: the first floor; "all": every floor
    scale: int | None = 100  # None: fit to the paper
    paper: str = "A3"
    orientation: str = "auto"
    layers: tuple[str, ...] = ("background", "rooms", "counters", "furniture", "dimensions", "labels")
    colour: str = "agency"
    dpi: int = DEFAULT_DPI
    printed_underlays: bool = True  # "underlay" not in layers: still draw the underlays marked to print


def add_arguments(parser) -> None:
    parser.add_argument("--floor", default=None, metavar="NAME|all",
                        help=_("floor to draw (default: the first floor); 'all' puts every floor in the file"))
    parser.add_argument("--scale", default="1:100", metavar="1:N|fit",
                        help=_("drawing scale: 1:50, 1:100 (default), 1:200, any 1:N, or fit to the paper "
                               "(not for DXF, which is in millimetres)"))
    parser.add_argument("--paper", default="A3", metavar="A4|A3|A2",
                        help=_("paper size (default A3; not for DXF)"))
    parser.add_argument("--orientation", default="auto", metavar="auto|portrait|landscape",
                        help=_("paper orientation (default: whichever needs fewer sheets; not for DXF)"))
    parser.add_argument("--layers", default=None, metavar="LIST",
                        help=_("comma-separated layers to show: background, rooms, counters, furniture, "
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
                       scale=parse_scale(getattr(args, "scale", "1:100")),
                       paper=parse_paper(getattr(args, "paper", "A3")),
                       orientation=parse_orientation(getattr(args, "orientation", "auto")),
                       layers=parse_layers(layers),
                       colour=colour,
                       dpi=parse_dpi(getattr(args, "dpi", DEFAULT_DPI)),
                       printed_underlays=layers is None)


def floor_choices(project) -> list[tuple[int, str]]:
    from sqlalchemy import select

    from mpp_planner.model import Floor

    return [(fid, name) for fid, name in project.session.execute(
        select(Floor.id, Floor.name).order_by(Floor.order, Floor.id))]


def resolve_floors(project, floor: str | None) -> list[int]:
    """Floor ids for ``--floor``: None -> the first floor, "all" -> every floor, else by name."""
    floors = floor_choices(project)
    if not floors:
        raise ValueError(_("This project has no floors to draw."))
    if floor is None:
        return [floors[0][0]]
    if floor.strip().lower() == "all":
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
        from mpp_planner.reports.plan_layout import layout

        return layout(self.drawings, paper=self.options.paper, orientation=self.options.orientation,
                      scale=self.options.scale)

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
    drawings = build_drawings(project, ids, options.layers, options.colour,
                              printed_underlays=options.printed_underlays)
    return PlanJob(drawings, heading_from(project, options.paper, when), options)


def sheet_paths(out: Path, count: int) -> list[Path]:
    """OUT itself for one sheet; OUT-1, OUT-2... (zero-padded from ten sheets on) for several."""
    if count == 1:
        return [out]
    width = len(str(count))
    return [out.with_name(f"{out.stem}-{i:0{width}d}{out.suffix}") for i in range(1, count + 1)]


def write(job: PlanJob, out: Path, fmt: str, *, progress: Callable[[int, int], None] | None = None,
          cancelled: Callable[[], bool] | None = None) -> list[Path]:
    """Lay out, render and write; returns the files written. Nothing is left behind on error."""
    from mpp_planner.reports.output import file_mode, write_atomically

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
    paths = sheet_paths(out, total)
    temps: list[Path] = []
    try:
        for i, page in enumerate(job.pages(sheets), start=1):
            fd, name = tempfile.mkstemp(prefix=".mpp-", suffix=out.suffix, dir=str(out.parent) or ".")
            os.close(fd)
            tmp = Path(name)
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
        for tmp in temps:
            tmp.unlink(missing_ok=True)
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
