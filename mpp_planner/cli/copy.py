"""``mpp-planner copy SOURCE DEST [--force] [--password-prompt]``: a project copied between a file and a
PostgreSQL server, both ways (``store.copy``), verified table by table.

SOURCE and DEST are each a ``.mpplan`` file or a server address (``postgresql://user@host/database``). A server
destination must be an empty database; a file destination must not exist unless ``--force``. Progress lines go
to stderr, then one line saying what was copied. Passwords come from the address, ``PGPASSWORD`` or the
``.pgpass`` file (libpq's own places), or are asked on the terminal with ``--password-prompt``.
Exit 0 copied and verified; 2 it could not be done (nothing is kept at the destination then).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import cast

from mpp_planner import FILE_SUFFIX
from mpp_planner.i18n import _, ngettext


def add_parser(sub) -> None:
    p = sub.add_parser("copy", help=_("copy a project between a file and a PostgreSQL server (team mode)"),
                       description=_("Copy a project from a file to an empty database on a PostgreSQL server, or "
                                     "from a server back to a file, with every row and id; the copy is verified "
                                     "table by table (row counts and SHA-256). Exit status: 0 copied, 2 cannot "
                                     "copy (nothing is kept then)."))
    p.add_argument("source", metavar="SOURCE", help=_("project file (.mpplan) or server address "
                                                      "(postgresql://user@host/database)"))
    p.add_argument("dest", metavar="DEST", help=_("new project file (.mpplan), or the address of an empty "
                                                  "database on a server"))
    p.add_argument("--force", action="store_true", help=_("overwrite DEST if it is a file that exists"))
    p.add_argument("--password-prompt", action="store_true",
                   help=_("ask for the server passwords on the terminal (else: from the address, PGPASSWORD or the "
                          ".pgpass file)"))
    p.set_defaults(func=run)


class ProgressLines:
    """The job's progress as lines on stderr: one line rewritten in place on a terminal, else a line at each
    tenth of the way (a log stays short)."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.shown = -1
        self.width = 0
        self.text = ""

    def __call__(self, done: int, total: int, text: str) -> None:
        self.text = text or self.text
        if not self.text:  # the snapshot of a file source: quick, and nothing to name yet
            return
        percent = min(100, done * 100 // total) if total > 0 else 0
        line = f"[{percent:3d}%] {self.text}"
        if self.tty:
            self.stream.write("\r" + line.ljust(self.width))
            self.width = max(self.width, len(line))
            self.stream.flush()
        elif percent // 10 != self.shown:
            self.shown = percent // 10
            print(line, file=self.stream, flush=True)

    def end(self) -> None:
        if self.tty and self.width:
            self.stream.write("\n")
            self.stream.flush()


def _check_ends(source: str, dest: str, force: bool) -> None:
    """Refuse at once what the copy would refuse late: a missing source file, a destination file that is not
    a .mpplan or exists (without --force), the source copied onto itself."""
    from mpp_planner.cli import CliError, input_file
    from mpp_planner.store.server import is_server_url, safe_url

    if not is_server_url(source):
        input_file(source)
    if is_server_url(dest):
        if is_server_url(source) and safe_url(source) == safe_url(dest):
            raise CliError(_("SOURCE and DEST are the same database."))
        return
    out = Path(dest)
    if out.suffix.lower() != FILE_SUFFIX or not out.stem:
        raise CliError(_("The copy must be a {suffix} file or a server address (got '{path}').").format(
            suffix=FILE_SUFFIX, path=dest))
    if out.is_dir():
        raise CliError(_("'{path}' is a folder, not a file.").format(path=out))
    if not is_server_url(source) and out.exists() and os.path.samefile(source, out):
        raise CliError(_("SOURCE and DEST are the same file."))
    if out.exists() and not force:
        raise CliError(_("'{path}' already exists; use --force to overwrite it.").format(path=out))


def run(args) -> int:
    from mpp_planner.cli import CliError, ask_password, server_failure_message
    from mpp_planner.jobs import Job
    from mpp_planner.store.copy import CopyReport, copy_project
    from mpp_planner.store.errors import ProjectFileError, write_failure
    from mpp_planner.store.server import is_server_url, safe_url

    source, dest = args.source, args.dest
    _check_ends(source, dest, args.force)
    passwords: dict[str, str | None] = {"source_password": None, "dest_password": None}
    if args.password_prompt:
        for key, url in (("source_password", source), ("dest_password", dest)):
            if is_server_url(url):
                passwords[key] = ask_password(url)
    progress = ProgressLines()
    job = Job(title="copy", on_progress=progress)
    start = time.perf_counter()
    try:
        report = cast(CopyReport, job.run(lambda: copy_project(source, dest, overwrite=args.force, **passwords)))
    except ProjectFileError as exc:
        progress.end()
        raise CliError(server_failure_message(exc)) from None
    except OSError as exc:
        progress.end()
        raise CliError(_("Cannot write '{path}': {error}").format(path=dest, error=write_failure(exc) or exc)) from None
    progress.end()
    from mpp_planner.formats import number

    rows = ngettext("{n} row", "{n} rows", report.rows).format(n=number(report.rows))
    tables = ngettext("{n} table", "{n} tables", len(report.tables)).format(n=number(len(report.tables)))
    print(_("Copied {rows} in {tables} to {dest}, verified (row counts and SHA-256 per table) in {seconds} s.").format(
        rows=rows, tables=tables, dest=safe_url(dest) if is_server_url(dest) else dest,
        seconds=number(time.perf_counter() - start, 1)), file=sys.stderr)
    return 0
