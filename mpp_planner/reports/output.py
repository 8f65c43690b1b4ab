"""Writing export files safely: all or nothing, and no spreadsheet formula injection."""

from __future__ import annotations

import csv
import logging
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from mpp_planner.i18n import _
from mpp_planner.jobs import checkpoint

log = logging.getLogger(__name__)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class OutputError(Exception):
    """The output file cannot be written (missing folder, read-only, unknown format)."""


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def xlsx_safe(cell, value):
    """Put ``value`` into an openpyxl ``cell`` so that no spreadsheet runs it as a formula.

    Text that starts like a formula (=, +, -, @, tab, CR) is neutralised as in CSV and the cell is
    forced to the string type (openpyxl would otherwise store "=..." as a formula). Characters
    that XLSX cannot hold (C0 controls) are dropped instead of failing the whole export. Numbers,
    dates and None are stored as they are. Returns the cell, for chaining.
    """
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        text = neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.value = text
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def xlsx_append(ws, values: Sequence) -> int:
    """Append a row of values to worksheet ``ws`` through :func:`xlsx_safe`; returns the row number."""
    row = ws.max_row + 1 if ws.max_row > 1 or ws.cell(1, 1).value is not None else 1
    for col, value in enumerate(values, start=1):
        xlsx_safe(ws.cell(row=row, column=col), value)
    return row


def check_output_path(path: str | os.PathLike, formats: Sequence[str]) -> tuple[Path, str]:
    """Return (path, format) or raise OutputError with a one-line message."""
    target = Path(path)
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in formats:
        raise OutputError(_("Unknown output format '{ext}'; use {formats}.").format(
            ext=target.suffix or target.name, formats=", ".join("." + f for f in formats)))
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(_("The folder '{path}' does not exist.").format(path=folder))
    if not os.access(folder, os.W_OK):
        raise OutputError(_("The folder '{path}' is read-only.").format(path=folder))
    if target.is_dir():
        raise OutputError(_("'{path}' is a folder.").format(path=target))
    return target, fmt


_FILE_MODE: int | None = None


def file_mode() -> int:
    """The mode a new file gets under the user's umask (temporary files start private, 0600)."""
    global _FILE_MODE
    if _FILE_MODE is None:
        mask = os.umask(0)
        os.umask(mask)
        _FILE_MODE = 0o666 & ~mask
    return _FILE_MODE


def write_atomically(path: str | os.PathLike, produce: Callable[[Path], None]) -> Path:
    """Call ``produce(tmp)`` and move the result into place only when it succeeded.

    On failure (a full disk, a cancelled job) the temporary file is removed, after closing what the
    writer left open (see :func:`close_abandoned_zips`). Temporaries of exports killed earlier are
    swept from the folder first (see :func:`sweep_stale_temporaries`)."""
    target = Path(path)
    sweep_stale_temporaries(target.parent if str(target.parent) else Path("."))
    tmp = temporary_beside(target)
    try:
        produce(tmp)
        checkpoint()  # a cancelled job leaves no file, even when its own loop never asked
        os.chmod(tmp, file_mode())
        os.replace(tmp, target)
    except BaseException as exc:
        close_abandoned_zips(exc)
        remove_temporaries([tmp])
        raise
    log.info("written: %s", target)
    return target


# --- temporary files ------------------------------------------------------------------------------
# An export writes ``.mpp-<pid>-XXXXXXXX.<ext>`` beside its target (hidden on Linux and macOS) and moves
# it into place when complete, or removes it when it fails. A process killed meanwhile (the power, the
# task manager) leaves it behind; the next export into that folder removes it when it is older than
# STALE_TEMPORARY_SECONDS and the process named in it no longer runs on this computer (a temporary of
# another computer sharing the folder: by its age alone; exports take seconds, the limit is minutes).
# Where an open file cannot be removed (Windows), one still being written is never touched.

TEMPORARY_PREFIX = ".mpp-"
STALE_TEMPORARY_SECONDS = 10 * 60
_TEMPORARY_NAME = re.compile(r"^\.mpp-(?:(\d{1,10})-)?[a-z0-9_]{8}\.[A-Za-z0-9]{1,8}$")


def temporary_beside(target: Path) -> Path:
    """A new empty temporary file for ``target`` in its folder (private until moved into place)."""
    folder = target.parent if str(target.parent) else Path(".")
    fd, name = tempfile.mkstemp(prefix=f"{TEMPORARY_PREFIX}{os.getpid()}-", suffix=target.suffix, dir=folder)
    os.close(fd)
    return Path(name)


def sweep_stale_temporaries(folder: Path, *, now: float | None = None) -> list[Path]:
    """Remove the temporaries that killed exports left in ``folder`` (the rule above); returns them.
    Never fails: what cannot be looked at or removed is left as it is."""
    from mpp_planner.store.lock import pid_alive

    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = [e for e in os.scandir(folder) if _TEMPORARY_NAME.match(e.name)]
    except OSError:
        return removed
    for entry in entries:
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode) or now - info.st_mtime < STALE_TEMPORARY_SECONDS:
                continue
            match = _TEMPORARY_NAME.match(entry.name)
            pid = int(match.group(1)) if match and match.group(1) else 0
            if pid and pid_alive(pid):
                continue
            os.unlink(entry.path)
        except OSError:  # gone meanwhile, held open, not ours to remove
            continue
        removed.append(Path(entry.path))
        log.info("removed a stale temporary file: %s", entry.path)
    return removed


def remove_temporaries(paths: Iterable[Path]) -> None:
    """Remove the temporaries of a failed export; one that cannot be removed is logged, and the
    error being raised stays the one the user is told."""
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("cannot remove the temporary file %s: %s", path, exc)


def close_abandoned_zips(exc: BaseException) -> None:
    """Close, without finishing them, the zip files a failed writer left open in its frames (openpyxl's
    and XlsxWriter's XLSX). Left to the garbage collector, such a zip tries to write its directory, fails
    again on a full disk and prints a stray "Exception ignored in: ZipFile.__del__" traceback; on
    Windows its open handle would also keep the temporary file from being removed."""
    import zipfile

    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        error = pending.pop()
        if error is None or id(error) in seen:
            continue
        seen.add(id(error))
        pending += [error.__cause__, error.__context__]
        tb = error.__traceback__
        while tb is not None:
            for value in list(tb.tb_frame.f_locals.values()):
                if isinstance(value, zipfile.ZipFile) and value.mode != "r":  # (one being read is not ours)
                    abandon_zip(value)
            tb = tb.tb_next


def abandon_zip(archive) -> None:
    """Close a ``zipfile.ZipFile`` being written without writing anything more (its file is removed)."""
    fp, archive.fp = archive.fp, None
    if fp is not None:
        try:
            fp.close()  # flushes what is buffered: fails again on a full disk, and closes all the same
        except OSError:
            pass


def write_csv(path: str | os.PathLike, header: Sequence[str], rows: Iterable[Sequence]) -> Path:
    """UTF-8 CSV (with BOM so Excel reads it right), formula-safe, written atomically."""

    def produce(tmp: Path) -> None:
        with open(tmp, "w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.writer(fh)
            writer.writerow([neutralise(h) for h in header])
            for row in rows:
                writer.writerow(["" if v is None else neutralise(v) for v in row])

    return write_atomically(path, produce)


def fiscal_year(text: str) -> int:
    """argparse ``type`` for ``--year YYYY`` (a fiscal year, 2000..2100)."""
    import argparse

    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("'{value}' is not a year").format(value=text)) from None
    if not 2000 <= year <= 2100:
        raise argparse.ArgumentTypeError(_("the year must be between 2000 and 2100"))
    return year


def iso_date(text: str):
    """argparse ``type`` for ``--date YYYY-MM-DD`` (the date printed above the signatures)."""
    import argparse
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("--date must look like 2024-01-31 (got '{value}').").format(value=text)) from None


def date_option(args):
    """The ``--date`` of an export's arguments as a date (None = today); strings are parsed, so
    callers that build arguments by hand are held to the same rule as the command line."""
    import argparse

    value = getattr(args, "date", None) if args is not None else None
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return iso_date(value)
        except argparse.ArgumentTypeError as exc:
            raise ValueError(str(exc)) from None
    return value


def add_paper_argument(parser, allowed: tuple[str, ...] | None = None, default_text: str | None = None) -> None:
    """``--paper A4|F4`` (or the ``allowed`` names): an unknown name is an argument error (exit 2, no file)
    with the model's message."""
    import argparse

    from mpp_planner.model import ValidationError
    from mpp_planner.model.paper import SHEET_PAPERS, clean_paper

    names = allowed or SHEET_PAPERS

    def paper_type(text: str) -> str:
        try:
            return clean_paper(text, names)
        except ValidationError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parser.add_argument("--paper", type=paper_type, metavar="|".join(names),
                        help=default_text or _("paper size (default: the project's setting)"))


def paper_option(args, project) -> str:
    """The ``--paper`` of an export's arguments, else the project's paper for official sheets."""
    return (getattr(args, "paper", None) if args is not None else None) or project.site.paper
