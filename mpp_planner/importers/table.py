"""Reading tabular files (CSV, XLSX) into rows keyed by canonical column names."""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from mpp_planner.i18n import _

MAX_BYTES = 20 * 1024 * 1024  # 20 MB: far above any real agency or price list
MAX_ROWS = 100_000


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
    """Nothing was imported; ``errors`` says why, row by row."""

    def __init__(self, errors: list[RowError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class Table:
    columns: list[str]  # canonical names found
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (row number, values)
    encoding: str = ""


def normalise_header(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(text or "").strip().lower()).strip("_")


def _decode(data: bytes) -> tuple[str, str]:
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _raw_rows(path: Path) -> tuple[list[list[str]], str]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path), "xlsx"
    if suffix not in (".csv", ".txt"):
        raise ImportRefused([RowError(0, "", _("Unsupported file type '{ext}'; use .csv or .xlsx.").format(
            ext=suffix or path.name))])
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise ImportRefused([RowError(0, "", _("This is not a text (CSV) file."))])
    text, enc = _decode(data)
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
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
    return rows, enc


def _xlsx_rows(path: Path) -> list[list[str]]:
    try:
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any reader error is a broken file to the user
        raise ImportRefused([RowError(0, "", _("Cannot read the spreadsheet: {error}").format(error=exc))]) from None
    try:
        if not wb.worksheets:
            raise ImportRefused([RowError(0, "", _("The spreadsheet has no sheet."))])
        rows = []
        for row in wb.worksheets[0].iter_rows(values_only=True):
            rows.append(["" if v is None
                         else (str(v) if not isinstance(v, float) or not v.is_integer() else str(int(v)))
                         for v in row])
            if len(rows) > MAX_ROWS + 1:
                raise ImportRefused([RowError(len(rows), "", _("Too many rows (at most {max}).").format(
                    max=MAX_ROWS))])
        return rows
    except ImportRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - damaged sheet data
        raise ImportRefused([RowError(0, "", _("Cannot read the spreadsheet: {error}").format(error=exc))]) from None
    finally:
        wb.close()


def read_table(path: str | os.PathLike, aliases: dict[str, list[str]], required: list[str]) -> Table:
    """Read ``path``; map headers through ``aliases`` (canonical -> accepted names)."""
    p = Path(path)
    if not p.is_file():
        raise ImportRefused([RowError(0, "", _("The file '{path}' does not exist.").format(path=p))])
    if p.stat().st_size > MAX_BYTES:
        raise ImportRefused([RowError(0, "", _("The file is too large ({mb:.0f} MB; at most {max} MB).").format(
            mb=p.stat().st_size / 1e6, max=MAX_BYTES // (1024 * 1024)))])
    raw, enc = _raw_rows(p)
    skipped = 0  # blank lines above the header still count in the row numbers users see
    while raw and not any(c.strip() for c in raw[0]):
        raw.pop(0)
        skipped += 1
    if not raw:
        raise ImportRefused([RowError(0, "", _("The file is empty."))])
    lookup = {normalise_header(name): canon for canon, names in aliases.items() for name in [canon, *names]}
    header = [lookup.get(normalise_header(h), "") for h in raw[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportRefused([RowError(1, "", _("Missing column(s): {cols}. Found: {found}.").format(
            cols=", ".join(missing), found=", ".join(h for h in raw[0] if h)))])
    table = Table([h for h in header if h], encoding=enc)
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
