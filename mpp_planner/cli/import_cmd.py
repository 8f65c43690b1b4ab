"""``mpp-planner import KIND FILE --from SOURCE.csv|.xlsx``: all rows or none.

Each KIND is a module under ``mpp_planner.importers`` that provides::

    HELP: str
    def prepare(project, source: Path, **options) -> Command   # raises ImportRefused(errors) when any row is bad

and, for options of its own, ``add_arguments(parser)`` and ``options(args) -> dict`` (the keyword
arguments of ``prepare``; ValueError for a bad option value). A command with ``warnings`` (what the
import left out) has them printed after it is done.

Exit 0 when imported; 1 with the row errors on stderr when refused; 2 when it cannot run.

``import plan FILE --from PLAN.dxf|.dwg [--floor NAME] [--layers A,B] [--units mm|cm|m]`` reads the
architect's drawing (``mpp_planner.importers.dxf``): rooms and underlay onto the floor as one step.
Exit 0 when imported (closed shapes the model refuses as rooms are listed as warnings); 2 when the
drawing cannot be imported (nothing changed).
"""

from __future__ import annotations

import importlib
import sys

from mpp_planner.i18n import _

IMPORTS: dict[str, str] = {
    "agencies": "mpp_planner.importers.agencies",
    "prices": "mpp_planner.importers.prices",
    "accounts": "mpp_planner.importers.accounts",
    "inventory": "mpp_planner.importers.inventory",
    "budget": "mpp_planner.importers.budget_lines",
    "survey": "mpp_planner.importers.survey",
}


def add_parser(sub) -> None:
    p = sub.add_parser("import", help=_("import agencies, prices or inventory from CSV/XLSX"),
                       description=_("Import rows into a project: all of them, or none when any row is wrong."))
    from mpp_planner.cli import add_project_argument

    kinds = p.add_subparsers(dest="kind", required=True, metavar="KIND", parser_class=type(p))
    for kind, module_name in IMPORTS.items():
        module = importlib.import_module(module_name)
        kp = kinds.add_parser(kind, help=_(module.HELP))
        add_project_argument(kp)
        kp.add_argument("--from", dest="source", required=True, metavar="SOURCE",
                        help=_("CSV or XLSX file to import"))
        if hasattr(module, "add_arguments"):
            module.add_arguments(kp)
        kp.set_defaults(func=run, import_module=module_name)
    _add_plan_parser(kinds)


def run(args) -> int:
    from mpp_planner.cli import EXIT_PROBLEMS, CliError, input_file, open_project_or_fail
    from mpp_planner.commands import History
    from mpp_planner.importers import ImportRefused

    module = importlib.import_module(args.import_module)
    try:
        options = module.options(args) if hasattr(module, "options") else {}
    except ValueError as exc:
        raise CliError(str(exc)) from None
    source = input_file(args.source)
    project = open_project_or_fail(args.file, readonly=False, password_prompt=args.password_prompt)
    try:
        try:
            command = module.prepare(project, source, **options)
            History(project).push(command)
        except ImportRefused as refused:
            print(_("Nothing was imported: {n} problem(s).").format(n=len(refused.errors)), file=sys.stderr)
            if refused.hint:
                print(refused.hint, file=sys.stderr)
            for error in refused.errors:
                print(f"  {error}", file=sys.stderr)
            return EXIT_PROBLEMS
        print(command.text, file=sys.stderr)
        for warning in getattr(command, "warnings", ()):  # what the import left out (e.g. unmatched SSH rows)
            print(_("Warning: {warning}").format(warning=warning), file=sys.stderr)
        return 0
    finally:
        project.close()


# --- import plan ------------------------------------------------------------------------------

def _add_plan_parser(kinds) -> None:
    from mpp_planner.importers.dxf import UNITS

    kp = kinds.add_parser("plan", help=_("the architect's floor plan from DXF (or DWG): rooms and underlay"),
                          description=_("Closed shapes on the room layers become rooms, named by the text inside "
                                        "them; everything else becomes the floor's underlay drawing. All or "
                                        "nothing, one undo step."))
    from mpp_planner.cli import add_project_argument

    add_project_argument(kp)
    kp.add_argument("--from", dest="source", required=True, metavar="PLAN",
                    help=_("DXF drawing (a DWG needs the ODA File Converter)"))
    kp.add_argument("--floor", metavar="NAME",
                    help=_("floor the plan goes to; made when the project has none of this name (default: the "
                           "first floor, or a new one)"))
    kp.add_argument("--layers", metavar="A,B",
                    help=_("layers whose closed shapes are rooms (default: the layers named like rooms)"))
    kp.add_argument("--units", choices=list(UNITS),
                    help=_("the drawing's units when it does not say them, or says them wrongly"))
    kp.set_defaults(func=run_plan)


def run_plan(args) -> int:
    from mpp_planner.cli import CliError, input_file, open_project_or_fail
    from mpp_planner.commands import History
    from mpp_planner.commands.plan import ImportPlan
    from mpp_planner.formats import number
    from mpp_planner.importers.dxf import DxfError, read_dxf, scan_dxf
    from mpp_planner.model import Floor, ValidationError
    from mpp_planner.model.geometry import area_m2

    source = input_file(args.source)
    layers = None
    if args.layers is not None:
        layers = [name.strip() for name in args.layers.split(",") if name.strip()]
        if not layers:
            raise CliError(_("--layers needs at least one layer name."))
    project = open_project_or_fail(args.file, readonly=False, password_prompt=args.password_prompt)
    try:
        try:
            if layers is not None:
                known = {info.name.casefold(): info.name for info in scan_dxf(source, units=args.units).layers}
                missing = [name for name in layers if name.casefold() not in known]
                if missing:
                    raise CliError(_("The drawing has no layer {names}. Its layers: {layers}.").format(
                        names=", ".join(missing), layers=", ".join(known.values())))
                layers = [known[name.casefold()] for name in layers]
            plan = read_dxf(source, room_layers=layers, units=args.units)
            floor = args.floor
            if floor is None:
                floors = project.all(Floor, Floor.order, Floor.id)
                floor = floors[0].name if floors else _("Floor {n}").format(n=1)
            command = ImportPlan(floor, plan, source.name)
            History(project).push(command)
        except DxfError as exc:
            message = str(exc)
            if exc.units_problem:
                message += " " + _("Give the units with --units mm, cm or m.")
            if exc.layers_problem:
                message += " " + _("Give the room layers with --layers A,B.")
            raise CliError(message) from None
        except (ValidationError, LookupError) as exc:
            raise CliError(str(exc)) from None
        for warning in plan.warnings:
            print(_("Warning: {warning}").format(warning=warning), file=sys.stderr)
        area = sum(area_m2(r.outline) for r in plan.rooms)
        print(_("Imported {rooms} room(s), {area} m² in all, and an underlay of {n} lines and texts onto {floor} "
                "({new}).").format(rooms=len(plan.rooms), area=number(area, 2), n=number(len(plan.underlay)),
                                   floor=command.floor_name,
                                   new=_("new floor") if command.floor_created else _("existing floor")),
              file=sys.stderr)
        return 0
    finally:
        project.close()
