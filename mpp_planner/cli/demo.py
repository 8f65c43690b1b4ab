"""``mpp-planner demo OUT.mpplan [--scale K]``: write the built-in demo project (OUT must end in .mpplan)."""

from __future__ import annotations

import sys

from mpp_planner.i18n import _
from mpp_planner.store.errors import write_failure


def add_parser(sub) -> None:
    p = sub.add_parser("demo", help=_("write the demo project (MPP Kota Probolinggo)"),
                       description=_("Write the built-in demo project to a new file."))
    p.add_argument("out", metavar="OUT.mpplan", help=_("file to create"))
    p.add_argument("--scale", type=int, default=1, metavar="K",
                   help=_("repeat floors, rooms, counters, inventory and budget lines K times (1-500)"))
    p.add_argument("--force", action="store_true", help=_("overwrite OUT if it exists"))
    p.set_defaults(func=run)


def run(args) -> int:
    from mpp_planner.cli import CliError, new_project_file
    from mpp_planner.demo import build_demo
    from mpp_planner.store import ProjectFileError

    if not 1 <= args.scale <= 500:
        raise CliError(_("--scale must be between 1 and 500 (got {k}).").format(k=args.scale))
    out = new_project_file(args.out)  # "d.txt" would be a project nobody can open by its name
    if out.exists() and not args.force:
        raise CliError(_("'{path}' already exists; use --force to overwrite it.").format(path=out))
    try:
        build_demo(out, scale=args.scale, overwrite=args.force)
    except ProjectFileError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(_("Cannot write '{path}': {error}").format(path=out, error=write_failure(exc) or exc)) from None
    print(_("Demo project written to {path}").format(path=out), file=sys.stderr)
    return 0
