"""Reading tabular files (CSV, XLSX): clean tables into rows keyed by canonical column names
(:func:`read_table`), and the raw first sheet of a register as the user keeps it (:func:`load_sheet`)."""

from __future__ import annotations

import contextlib

import csv
import io
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from xml.etree import ElementTree

from mpp_planner.i18n import _, current_language
from mpp_planner.jobs import checkpoint

MAX_BYTES = 20 * 1024 * 1024  # 20 MB: far above any real agency or price list
MAX_ROWS = 100_000
SCAN_ROWS = 30  # a register's header row is found among its first rows
MAX_COLUMNS = 200  # far beyond any register; a merge over the whole sheet width is cut here
DELIMITERS = (",", ";", "\t", "|")
SNIFF_CHARS = 4096  # csv.Sniffer looks at this much of a line
MAX_SNIFF = 1024 * 1024  # the header is looked for in this much of the text


@dataclass
class RowError:
    row: int  # row number as a spreadsheet shows it (header = 1)
    column: str
    message: str

    def __str__(self) -> str:
        where = _("row {row}").format(row=self.row) if self.row else _("file")
        if self.column:
            where += f", {self.column}"
        return f"{where}: {self.message}"


class ImportRefused(Exception):
    """Nothing was imported; ``errors`` says why, row by row; ``hint`` (may be empty) what to do."""

    def __init__(self, errors: list[RowError], hint: str = ""):
        super().__init__("\n".join([*(str(e) for e in errors), *([hint] if hint else [])]))
        self.errors = errors
        self.hint = hint


@dataclass
class Table:
    columns: list[str]  # canonical names found
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (row number, values)
    encoding: str = ""
    delimiter: str = ""  # CSV only


def normalise_header(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(text or "").strip().lower()).strip("_")


def _decode(data: bytes) -> tuple[str, str]:
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _raw_rows(path: Path, score: Callable[[list[str]], int]) -> tuple[list[list[str]], str, str]:
    """The rows, the encoding and the CSV delimiter (told by the header line, the first filled one)."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path), "xlsx", ""
    if suffix not in (".csv", ".txt"):
        raise ImportRefused([RowError(0, "", _("Unsupported file type '{ext}'; use .csv or .xlsx.").format(
            ext=suffix or path.name))])
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise ImportRefused([RowError(0, "", _("This is not a text (CSV) file."))])
    text, enc = _decode(data)
    delimiter = sniff_delimiter(text, score, rows=1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)  # any line ending: \n, \r\n, \r
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append([cell.replace("\x00", "") for cell in row])
            if len(rows) > MAX_ROWS + 1:
                raise ImportRefused([RowError(len(rows), "", _("Too many rows (at most {max}).").format(max=MAX_ROWS))])
    except csv.Error as exc:
        raise ImportRefused([RowError(reader.line_num, "", _("The CSV text cannot be read here: {error}").format(
            error=exc))]) from None
    return rows, enc, delimiter


@contextlib.contextmanager
def _first_sheet(path: Path):
    """The first worksheet of an XLSX file, read-only; any reader error becomes the user's refusal."""
    try:
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any reader error is a broken file to the user
        raise ImportRefused([RowError(0, "", _("Cannot read the spreadsheet: {error}").format(error=exc))]) from None
    try:
        if not wb.worksheets:
            raise ImportRefused([RowError(0, "", _("The spreadsheet has no sheet."))])
        yield wb.worksheets[0]
    except ImportRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - damaged sheet data
        raise ImportRefused([RowError(0, "", _("Cannot read the spreadsheet: {error}").format(error=exc))]) from None
    finally:
        wb.close()


def _xlsx_rows(path: Path) -> list[list[str]]:
    with _first_sheet(path) as ws:
        rows = []
        for row in ws.iter_rows(values_only=True):
            rows.append(["" if v is None
                         else (str(v) if not isinstance(v, float) or not v.is_integer() else str(int(v)))
                         for v in row])
            if len(rows) > MAX_ROWS + 1:
                raise ImportRefused([RowError(len(rows), "", _("Too many rows (at most {max}).").format(
                    max=MAX_ROWS))])
        return rows


def _require_file(path: Path) -> None:
    """Refuse a path that is not a readable regular file, saying what it is instead."""
    if path.is_dir():
        message = _("'{path}' is a folder, not a file.")
    elif not path.exists():
        message = _("The file '{path}' does not exist.")
    elif not path.is_file():
        message = _("'{path}' is not a regular file.")
    else:
        return
    raise ImportRefused([RowError(0, "", message.format(path=path))])


def column_name(canon: str, aliases: dict[str, list[str]]) -> str:
    """The header a user of the interface language writes for column ``canon``: the canonical
    (English) name, or in Indonesian the first alias other than it (aliases list it first)."""
    if current_language() == "en":
        return canon
    return next((name for name in aliases.get(canon, ()) if normalise_header(name) != canon), canon)


def read_table(path: str | os.PathLike, aliases: dict[str, list[str]], required: list[str]) -> Table:
    """Read ``path``; map headers through ``aliases`` (canonical -> accepted names, the Indonesian
    header first: missing columns are named with it in the Indonesian interface)."""
    p = Path(path)
    _require_file(p)
    if p.stat().st_size > MAX_BYTES:
        raise ImportRefused([RowError(0, "", _("The file is too large ({mb:.0f} MB; at most {max} MB).").format(
            mb=p.stat().st_size / 1e6, max=MAX_BYTES // (1024 * 1024)))])
    lookup = {normalise_header(name): canon for canon, names in aliases.items() for name in [canon, *names]}
    raw, enc, delimiter = _raw_rows(p, lambda row: len({lookup[k] for k in map(normalise_header, row) if k in lookup}))
    skipped = 0  # blank lines above the header still count in the row numbers users see
    while raw and not any(c.strip() for c in raw[0]):
        raw.pop(0)
        skipped += 1
    if not raw:
        raise ImportRefused([RowError(0, "", _("The file is empty."))])
    header = [lookup.get(normalise_header(h), "") for h in raw[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportRefused([RowError(1, "", _("Missing column(s): {cols}. Found: {found}.").format(
            cols=", ".join(column_name(c, aliases) for c in missing), found=", ".join(h for h in raw[0] if h)))])
    table = Table([h for h in header if h], encoding=enc, delimiter=delimiter)
    for number, row in enumerate(raw[1:], start=2 + skipped):
        if not any((c or "").strip() for c in row):
            continue  # empty rows are skipped
        values = {}
        for canon, cell in zip(header, row):
            if canon:
                values[canon] = (cell or "").strip()
        table.rows.append((number, values))
        if len(table.rows) > MAX_ROWS:
            raise ImportRefused([RowError(number, "", _("Too many rows (at most {max}).").format(max=MAX_ROWS))])
    return table


@dataclass
class Sheet:
    """Every row of the register's first sheet as text; ``rows[i]`` is the spreadsheet's row i + 1."""

    source: Path
    rows: list[list[str]]
    encoding: str = ""
    delimiter: str = ""  # CSV only
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # XLSX: (top, left, bottom, right), 1-based

    @property
    def merged(self) -> int:
        """How many merged ranges were filled with their value."""
        return len(self.merges)

    def cell(self, row: int, col: int) -> str:
        """The text at 1-based ``row`` and 0-based ``col`` ("" outside the sheet)."""
        if 1 <= row <= len(self.rows) and 0 <= col < len(self.rows[row - 1]):
            return self.rows[row - 1][col]
        return ""

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows[:SCAN_ROWS + 50]), default=0)


# --- the raw sheet of a register (importers.register finds the table in it) --------------------

def load_sheet(path: str | Path, score: Callable[[list[str]], int] | None = None) -> Sheet:
    """Every row of the file's first sheet as text, merged cells filled; file-level problems raise
    :class:`ImportRefused`. ``score(row)`` (how many known column names a row holds) tells a CSV's
    delimiter by its header line."""
    p = Path(path)
    _require_file(p)
    if p.stat().st_size > MAX_BYTES:
        raise ImportRefused([RowError(0, "", _("The file is too large ({mb:.0f} MB; at most {max} MB).").format(
            mb=p.stat().st_size / 1e6, max=MAX_BYTES // (1024 * 1024)))])
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        sheet = _load_xlsx(p)
    elif suffix in (".csv", ".txt", ".tsv"):
        sheet = _load_csv(p, score or (lambda row: 0))
    else:
        raise ImportRefused([RowError(0, "", _("Unsupported file type '{ext}'; use .csv or .xlsx.").format(
            ext=suffix or p.name))])
    if not any(any(c.strip() for c in row) for row in sheet.rows):
        raise ImportRefused([RowError(0, "", _("The file is empty."))])
    return sheet


def too_many_rows(row: int) -> ImportRefused:
    return ImportRefused([RowError(row, "", _("Too many rows (at most {max}).").format(max=MAX_ROWS))])


def cell_text(value) -> str:
    """A spreadsheet value as the text a person reads in the cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\x00", "")


def _load_xlsx(path: Path) -> Sheet:
    with _first_sheet(path) as ws:
        rows: list[list[str]] = []
        for values in ws.iter_rows(values_only=True):
            row = [cell_text(v) for v in values[:MAX_COLUMNS]]
            while row and not row[-1]:
                row.pop()
            rows.append(row)
            if len(rows) % 2000 == 0:
                checkpoint(0, 0, _("Reading row {n}…").format(n=len(rows)))
            if len(rows) > MAX_ROWS + SCAN_ROWS:
                raise too_many_rows(len(rows))
        while rows and not rows[-1]:
            rows.pop()
        merges = _merged_ranges(path, getattr(ws, "_worksheet_path", ""))
    for top, left, bottom, right in merges:
        if top > len(rows):
            continue
        value = rows[top - 1][left - 1] if left - 1 < len(rows[top - 1]) else ""
        for r in range(top, min(bottom, len(rows)) + 1):
            row = rows[r - 1]
            if len(row) < right:
                row.extend([""] * (right - len(row)))
            for c in range(left, right + 1):
                row[c - 1] = value
    return Sheet(path, rows, encoding="xlsx", merges=merges)


_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def _cell_ref(ref: str) -> tuple[int, int]:
    m = _CELL.match(ref)
    if m is None:
        raise ValueError(ref)
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def _merged_ranges(path: Path, sheet_path: str) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges (top, left, bottom, right; 1-based), read from its XML: the fast
    read-only reader does not give them, and a full load of a large register costs far more."""
    if not sheet_path:
        return []
    ranges = []
    with zipfile.ZipFile(path) as archive:
        with archive.open(sheet_path.lstrip("/")) as src:
            for _event, elem in ElementTree.iterparse(src):
                tag = elem.tag.rsplit("}", 1)[-1]
                if tag == "mergeCell":
                    ref = elem.get("ref", "")
                    if ":" in ref:
                        try:
                            (top, left), (bottom, right) = (_cell_ref(p) for p in ref.split(":", 1))
                        except ValueError:
                            continue
                        right = min(right, MAX_COLUMNS)
                        if top <= bottom and left <= right:
                            ranges.append((top, left, bottom, right))
                elif tag == "row":
                    elem.clear()  # cell data is not needed here: keep memory flat
    return ranges


def _load_csv(path: Path, score: Callable[[list[str]], int]) -> Sheet:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise ImportRefused([RowError(0, "", _("This is not a text (CSV) file."))])
    text, enc = _decode(data)
    delimiter = sniff_delimiter(text, score)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append([c.replace("\x00", "") for c in row[:MAX_COLUMNS]])
            if len(rows) > MAX_ROWS + SCAN_ROWS:
                raise too_many_rows(len(rows))
    except csv.Error as exc:
        raise ImportRefused([RowError(reader.line_num, "", _("The CSV text cannot be read here: {error}").format(
            error=exc))]) from None
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    return Sheet(path, rows, encoding=enc, delimiter=delimiter)


def sniff_delimiter(text: str, score: Callable[[list[str]], int], rows: int = SCAN_ROWS) -> str:
    """``,`` ``;`` tab or ``|``: the one that splits the header line into the most known column names
    (``score``), looked for among the first ``rows`` filled lines (title lines may stand above it);
    else what :class:`csv.Sniffer` tells from the first line it can tell; else ``,``. Only header
    lines count, so ";" or "," inside the cells below ("A; B; C", "1.500.000,00") cannot win."""
    best = (0, 0, ",")
    for delimiter in DELIMITERS:
        for row in _filled_rows(text, delimiter, rows):
            known = score(row)
            if known and (known, len(row)) > best[:2]:
                best = (known, len(row), delimiter)
    if best[0]:
        return best[2]
    for line in [ln for ln in text[:MAX_SNIFF].splitlines() if ln.strip()][:rows]:
        try:
            return csv.Sniffer().sniff(line[:SNIFF_CHARS], delimiters="".join(DELIMITERS)).delimiter
        except csv.Error:
            continue
    return ","


def _filled_rows(text: str, delimiter: str, limit: int) -> list[list[str]]:
    """The first ``limit`` rows with a filled cell, split at ``delimiter`` (fewer when the text breaks)."""
    found: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text[:MAX_SNIFF], newline=""), delimiter=delimiter):
            cells = [c for c in row if c.strip()]
            if cells:
                found.append(cells)
                if len(found) >= limit:
                    break
    except csv.Error:
        pass
    return found
