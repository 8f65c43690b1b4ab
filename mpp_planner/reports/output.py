"""Writing export files safely: all or nothing, and no spreadsheet formula injection."""

from __future__ import annotations

import csv
import logging
import os
import tempfile
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
    """Call ``produce(tmp)`` and move the result into place only when it succeeded."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".mpp-", suffix=target.suffix, dir=target.parent if str(target.parent) else ".")
    os.close(fd)
    try:
        produce(Path(tmp))
        checkpoint()  # a cancelled job leaves no file, even when its own loop never asked
        os.chmod(tmp, file_mode())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    log.info("written: %s", target)
    return target


def write_csv(path: str | os.PathLike, header: Sequence[str], rows: Iterable[Sequence]) -> Path:
    """UTF-8 CSV (with BOM so Excel reads it right), formula-safe, written atomically."""

    def produce(tmp: Path) -> None:
        with open(tmp, "w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.writer(fh)
            writer.writerow([neutralise(h) for h in header])
            for row in rows:
                writer.writerow(["" if v is None else neutralise(v) for v in row])

    return write_atomically(path, produce)


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
