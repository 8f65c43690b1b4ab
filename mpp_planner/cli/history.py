"""``mpp-planner history FILE|URL [--table T [--id N]] [--limit N]``: who changed what, and when.

Prints the latest changes of the project (or of one table), newest first, one line each: the local time, who
on which computer, what happened to which object, and the command that did it. With ``--id`` the whole
history of one object. Exit 0 (also when nothing was logged), 2 when the project cannot be read.
"""

from __future__ import annotations

import sys

from mpp_planner.i18n import N_, _

DEFAULT_LIMIT = 50
VERB_WORDS = {"insert": N_("added"), "update": N_("changed"), "delete": N_("deleted")}


def add_parser(sub) -> None:
    from mpp_planner.cli import add_project_argument

    p = sub.add_parser("history", help=_("show who changed what, and when"),
                       description=_("Show the latest changes of a project, newest first: when, who on which "
                                     "computer, what changed and by which command."))
    add_project_argument(p)
    p.add_argument("--table", metavar="TABLE", help=_("only changes of this table (room, counter, agency, ...)"))
    p.add_argument("--id", metavar="N", help=_("the whole history of one object of --table (its id)"))
    p.add_argument("--limit", metavar="N", type=int, default=DEFAULT_LIMIT,
                   help=_("show at most N changes (default {n})").format(n=DEFAULT_LIMIT))
    p.set_defaults(func=run)


def format_entry(entry, what: str) -> str:
    """One line: local time, user@computer, the change and its object, the command (and the fields it set)."""
    when = entry.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    who = f"{entry.user}@{entry.computer}" if entry.computer else entry.user
    verb = _(VERB_WORDS.get(entry.verb, entry.verb))
    line = f"{when}  {who}  {verb} {what}"
    if entry.command:
        line += f"  · {entry.command}"
    if entry.fields and not entry.summary:
        line += "  [" + ", ".join(entry.fields) + "]"
    return line


def run(args) -> int:
    from mpp_planner.cli import CliError, open_project_or_fail
    from mpp_planner.model import Base
    from mpp_planner.model.history import describe_row
    from mpp_planner.model.labels import table_label
    from mpp_planner.reads.history import history, recent

    if args.id is not None and args.table is None:
        raise CliError(_("--id needs --table (which kind of object the id is of)."))
    if args.table is not None and args.table not in Base.metadata.tables:
        raise CliError(_("Unknown table '{name}' (choose from: {names}).").format(
            name=args.table, names=", ".join(sorted(Base.metadata.tables))))
    if args.limit < 1:
        raise CliError(_("--limit must be at least 1."))
    project = open_project_or_fail(args.file, readonly=True, password_prompt=getattr(args, "password_prompt", False))
    try:
        if args.id is not None:
            key = args.id.strip()
            entries = history(project, args.table, int(key) if key.isdigit() else key, limit=args.limit)
        else:
            entries = recent(project, args.table, args.limit)
        names: dict[tuple[str, str], str] = {}
        lines = []
        for e in entries:
            if e.summary:
                count = e.fields[0] if e.fields else "?"
                span = f" ({e.fields[1]})" if len(e.fields) > 1 else ""
                what = _("{n} × {kind}{span}").format(n=count, kind=table_label(e.table_name), span=span)
            else:
                what = names.get((e.table_name, e.row_key)) or ""
                if not what:
                    ident = int(e.row_key) if e.row_key.isdigit() else e.row_key
                    what = describe_row(project.session, e.table_name, ident)
                    names[(e.table_name, e.row_key)] = what
            lines.append(format_entry(e, what))
    finally:
        project.close()
    out = sys.stdout
    for line in lines:
        print(line, file=out)
    if not lines:
        print(_("No changes logged."), file=out)
    return 0
