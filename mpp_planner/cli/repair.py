"""``mpp-planner repair FILE -o NEW.mpplan``: salvage what can be read from a damaged project.

The damaged file is only read. Exit 0 when everything was recovered, 1 when something was
lost (the report says what), 2 when nothing could be read or the output cannot be written.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mpp_planner import FILE_SUFFIX
from mpp_planner.i18n import _
from mpp_planner.store.errors import write_failure


def add_parser(sub) -> None:
    p = sub.add_parser("repair", help=_("salvage what can be read from a damaged project into a new file"),
                       description=_("Read a damaged project file table by table and row by row, write what "
                                     "can be saved into a new project file, and report what was lost. "
                                     "The damaged file is not changed."))
    p.add_argument("file", metavar="FILE", help=_("the damaged project file"))
    p.add_argument("-o", "--output", required=True, metavar="NEW" + FILE_SUFFIX,
                   help=_("the new project file to write (must not exist)"))
    p.set_defaults(func=run)


def run(args) -> int:
    from mpp_planner.cli import EXIT_OK, EXIT_PROBLEMS, CliError, input_file
    from mpp_planner.store import ProjectFileError, inspect_file
    from mpp_planner.store.repair import RepairError, salvage

    out = Path(args.output)
    if out.suffix.lower() != FILE_SUFFIX:
        raise CliError(_("The repaired project must be a {suffix} file (got '{path}').").format(
            suffix=FILE_SUFFIX, path=out))
    input_file(args.file)
    try:
        inspect_file(args.file)
        sound = True
    except ProjectFileError:
        sound = False
    try:
        report = salvage(args.file, out)
    except (RepairError, ProjectFileError) as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(_("Cannot write '{path}': {error}").format(path=out, error=write_failure(exc) or exc)) from None
    for line in report.lines():
        print(line)
    if sound:
        print(_("Note: '{path}' opens normally; it did not need a repair.").format(path=args.file), file=sys.stderr)
    if report.complete:
        print(_("Everything was recovered into {path}.").format(path=out), file=sys.stderr)
        return EXIT_OK
    print(_("Recovered {n} rows into {path}; some data was lost (see above). Check the new file before "
            "using it.").format(n=report.kept, path=out), file=sys.stderr)
    return EXIT_PROBLEMS
