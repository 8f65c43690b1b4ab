"""``mpp-planner assess FILE [--rules RULES.toml] [-o OUT.pdf|.xlsx|.csv]``: the PEKPPP self-assessment.

Prints one line per indicator ("name: N/5 — next step") and the total; with ``-o`` also writes the sheet
(the format from the extension). Exit 0, or 2 when it cannot run (unreadable project, broken rule file,
unwritable output).
"""

from __future__ import annotations

import sys
from pathlib import Path

from mpp_planner.formats import number
from mpp_planner.i18n import _
from mpp_planner.store.errors import write_failure


def add_parser(sub) -> None:
    p = sub.add_parser("assess", help=_("score the PEKPPP self-assessment indicators (0-5)"),
                       description=_("Score the PEKPPP self-assessment indicators the plan, inventory, checklist "
                                     "and survey can show. Exit status: 0 done, 2 cannot run."))
    from mpp_planner.cli import add_project_argument

    add_project_argument(p)
    p.add_argument("--rules", metavar="RULES.toml", help=_("assessment instrument to use instead of the shipped one"))
    p.add_argument("-o", "--output", metavar="OUT", help=_("also write the assessment sheet (.pdf, .xlsx or .csv)"))
    p.set_defaults(func=run)


def format_result(result) -> str:
    line = _("{name}: {score}/{max}").format(name=result.name, score=result.score, max=result.max_score)
    if result.next_step:
        line += f" — {result.next_step}"
    return line


def run(args) -> int:
    from mpp_planner.cli import CliError, input_file, open_project_or_fail
    from mpp_planner.standards.assessment import assess, load_instrument
    from mpp_planner.standards.ruleset import RuleFileError

    fmt = None
    if args.output:
        from mpp_planner.reports.assessment import FORMATS

        fmt = Path(args.output).suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise CliError(_("Output '{out}': use a .pdf, .xlsx or .csv file.").format(out=args.output))
    if args.rules:
        input_file(args.rules)
    try:
        instrument = load_instrument(args.rules)
    except RuleFileError as exc:
        raise CliError(str(exc)) from None
    project = open_project_or_fail(args.file, readonly=True, password_prompt=args.password_prompt)
    try:
        result = assess(project, instrument)
        if fmt is not None:
            from mpp_planner.reports.assessment import write

            try:
                write(project, Path(args.output), fmt, rules=instrument)
            except OSError as exc:
                raise CliError(_("Cannot write '{out}': {error}").format(out=args.output,
                                                                        error=write_failure(exc) or exc)) from None
    finally:
        project.close()
    out = sys.stdout
    for r in result.indicators:
        print(format_result(r), file=out)
    print(_("Total: {total}/{max}; weighted index {index}/5.").format(
        total=result.total, max=result.max_total, index=number(result.weighted_index, 2)), file=out)
    return 0
