"""``mpp-planner import KIND FILE --from SOURCE.csv|.xlsx``: all rows or none.

Each KIND is a module under ``mpp_planner.importers`` that provides::

    HELP: str
    def prepare(project, source: Path) -> Command   # raises ImportRefused(errors) when any row is bad

Exit 0 when imported; 1 with the row errors on stderr when refused; 2 when it cannot run.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from mpp_planner.i18n import _

IMPORTS: dict[str, str] = {
    "agencies": "mpp_planner.importers.agencies",
    "prices": "mpp_planner.importers.prices",
    "inventory": "mpp_planner.importers.inventory",
}


def add_parser(sub) -> None:
    p = sub.add_parser("import", help=_("import agencies, prices or inventory from CSV/XLSX"),
                       description=_("Import rows into a project: all of them, or none when any row is wrong."))
    kinds = p.add_subparsers(dest="kind", required=True, metavar="KIND", parser_class=type(p))
    for kind, module_name in IMPORTS.items():
        module = importlib.import_module(module_name)
        kp = kinds.add_parser(kind, help=_(module.HELP))
        kp.add_argument("file", metavar="FILE", help=_("project file (.mpplan)"))
        kp.add_argument("--from", dest="source", required=True, metavar="SOURCE",
                        help=_("CSV or XLSX file to import"))
        kp.set_defaults(func=run, import_module=module_name)


def run(args) -> int:
    from mpp_planner.cli import EXIT_PROBLEMS, open_project_or_fail
    from mpp_planner.commands import History
    from mpp_planner.importers import ImportRefused

    module = importlib.import_module(args.import_module)
    project = open_project_or_fail(args.file, readonly=False)
    try:
        try:
            command = module.prepare(project, Path(args.source))
            History(project).push(command)
        except ImportRefused as refused:
            print(_("Nothing was imported: {n} problem(s).").format(n=len(refused.errors)), file=sys.stderr)
            for error in refused.errors:
                print(f"  {error}", file=sys.stderr)
            return EXIT_PROBLEMS
        print(command.text, file=sys.stderr)
        return 0
    finally:
        project.close()
