"""``mpp-planner rollup FILE_OR_FOLDER… -o OUT.xlsx|.pdf|.csv [--year YEAR]``: one provincial report over
many MPPs' project files (``mpp_planner.reads.rollup``), each read without being changed.

Progress lines on stderr, then the files skipped with why and the files that hold the same MPP. Exit 0 when
every file was read, 1 when some were skipped, 2 when none could be read (no report is written) or the
arguments are wrong.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mpp_planner.i18n import _
from mpp_planner.reports.output import fiscal_year

#: the report's formats (``reports.rollup_tables.FORMATS``), named here so that the files are being read before
#: the report modules (and SQLAlchemy) load in this process
FORMATS = ("xlsx", "pdf", "csv")


def add_parser(sub) -> None:
    p = sub.add_parser("rollup", help=_("roll many MPPs' project files up into one provincial report"),
                       description=_("Read many project files (or the folders holding them) without changing them and "
                                     "write one report comparing the MPPs: plan, counters, agencies per tier, "
                                     "findings, open needs, budget, SKM and PEKPPP. Exit status: 0 every file read, "
                                     "1 some skipped, 2 none read or cannot run."))
    p.add_argument("paths", nargs="+", metavar="FILE_OR_FOLDER", help=_("project files (.mpplan), or folders holding "
                                                                      "them"))
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help=_("the report; the format follows the extension (.xlsx, .pdf, .csv)"))
    p.add_argument("--year", type=fiscal_year, metavar="YEAR",
                   help=_("fiscal year of the budgets and surveys compared (default: the year most files plan for)"))
    p.set_defaults(func=run)


def _same_file(a: Path, b: Path) -> bool:
    return os.path.normcase(str(a.resolve())) == os.path.normcase(str(b.resolve()))


def run(args) -> int:
    from mpp_planner.cli import EXIT_ERROR, EXIT_PROBLEMS, CliError
    from mpp_planner.reads.rollup import expand, rollup
    from mpp_planner.reports.output import OutputError, check_output_path

    try:
        out, fmt = check_output_path(args.output, FORMATS)
    except OutputError as exc:
        raise CliError(str(exc)) from None
    files, _missing = expand(args.paths)
    if any(_same_file(out, f) for f in files):
        raise CliError(_("The report '{path}' would overwrite one of the files read; choose another name.").format(
            path=out))
    err = sys.stderr

    def progress(done: int, total: int, text: str) -> None:
        print(f"[{done}/{total}] {text}", file=err, flush=True)

    result = rollup(args.paths, args.year, progress)
    for skip in result.skipped:
        print(_("Skipped: {reason}").format(reason=skip.message), file=err)
    for group in result.duplicates:
        print(_("The same MPP ({name}) is in several files: {files}").format(
            name=group[0].identity.name, files=", ".join(s.source.path for s in group)), file=err)
    if not result.summaries:
        print(_("No project file could be read; no report was written."), file=err)
        return EXIT_ERROR
    from mpp_planner.reports.rollup_tables import write

    try:
        write(result, out, fmt)
    except OSError as exc:
        raise CliError(_("Cannot write '{path}': {error}").format(path=out, error=exc.strerror or exc)) from None
    print(_("Written: {path} ({mpps} file(s) read, {skipped} skipped, fiscal year {year})").format(
        path=out, mpps=len(result.summaries), skipped=len(result.skipped), year=result.year), file=err)
    return EXIT_PROBLEMS if result.skipped else 0
