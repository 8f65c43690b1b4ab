"""``mpp-planner export KIND FILE -o OUT.ext``: documents from a project, headless.

Each KIND is a module under ``mpp_planner.reports`` that provides::

    FORMATS: tuple[str, ...]                 # e.g. ("csv", "xlsx", "pdf")
    HELP: str                                # one line for --help (marked with N_)
    def add_arguments(parser) -> None        # its own options (may be absent)
    def export(project, out: Path, fmt: str, args) -> None
    def warnings(project, args) -> list[str]  # told on stderr before writing (may be absent)

The module must import ReportLab/openpyxl inside ``export``, not at the top. The output
is written to a temporary file and moved into place only when complete.
"""

from __future__ import annotations

import importlib
import sys

from mpp_planner.i18n import _

EXPORTS: dict[str, str] = {
    "allocations": "mpp_planner.reports.allocations",
    "inventory": "mpp_planner.reports.kir",
    "findings": "mpp_planner.reports.findings",
    "budget": "mpp_planner.reports.budget",
    "plan": "mpp_planner.reports.plan",
    "survey": "mpp_planner.reports.survey",
}


def add_parser(sub) -> None:
    p = sub.add_parser("export", help=_("export a document (PDF, XLSX, CSV, SVG, PNG)"),
                       description=_("Export a document from a project file."))
    from mpp_planner.cli import add_project_argument

    kinds = p.add_subparsers(dest="kind", required=True, metavar="KIND", parser_class=type(p))
    for kind, module_name in EXPORTS.items():
        module = importlib.import_module(module_name)
        kp = kinds.add_parser(kind, help=_(module.HELP))
        add_project_argument(kp)
        kp.add_argument("-o", "--output", required=True, metavar="OUT",
                        help=_("output file; the format follows the extension ({formats})").format(
                            formats=", ".join("." + f for f in module.FORMATS)))
        if hasattr(module, "add_arguments"):
            module.add_arguments(kp)
        kp.set_defaults(func=run, export_module=module_name)


def run(args) -> int:
    from mpp_planner.cli import CliError, open_project_or_fail
    from mpp_planner.model import ValidationError
    from mpp_planner.reports.output import OutputError, check_output_path
    from mpp_planner.store.errors import write_failure

    module = importlib.import_module(args.export_module)
    try:
        out, fmt = check_output_path(args.output, module.FORMATS)
    except OutputError as exc:
        raise CliError(str(exc)) from None
    project = open_project_or_fail(args.file, readonly=True, password_prompt=args.password_prompt)
    try:
        for warning in (module.warnings(project, args) if hasattr(module, "warnings") else []):
            print(_("Warning: {text}").format(text=warning), file=sys.stderr)
        written = module.export(project, out, fmt, args)
    except (OutputError, ValidationError, ValueError, LookupError) as exc:
        raise CliError(str(exc)) from None
    except Exception as exc:  # the disk refused the output (also when a writer library wrapped its OSError)
        reason = write_failure(exc)
        if reason is None:
            raise
        raise CliError(_("Cannot write '{path}': {error}").format(path=out, error=reason)) from None
    finally:
        project.close()
    for path in written if isinstance(written, list) else [out]:  # an export may write several files
        print(_("Written: {path}").format(path=path), file=sys.stderr)
    return 0
