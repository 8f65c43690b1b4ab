"""Registers as asset officers keep them: find the table inside a real spreadsheet.

An exported register (SIMDA BMD, SIMBADA) or a hand-kept Excel sheet has a title block above the
header row ("KARTU INVENTARIS RUANGAN", "PEMERINTAH KABUPATEN …", "SKPD : …", blank rows), merged
cells, headers over two rows ("Nomor" over "Kode Barang | Register"), a column-number row
("1 | 2 | 3 …") under the header, and a totals row and the signatures below the data.

:func:`load_sheet` (reading is in :mod:`mpp_planner.importers.table`) gives the first sheet of an XLSX
(merged ranges filled with their value) or a CSV (delimiter ``,`` ``;`` or tab, told by the header
line) as rows of text. :func:`detect` finds the header row among the first :data:`HEADER_SCAN_ROWS`
rows (the row, or pair of rows, whose cells name the most known fields), maps columns to fields
through aliases (case, spacing and punctuation do not matter), and finds where the data ends. The
result is plain data, shown by the GUI as a preview and used by the importer; nothing here knows the project.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from mpp_planner.i18n import _
from mpp_planner.importers.table import MAX_ROWS, ImportRefused, RowError, Sheet, normalise_header, too_many_rows
from mpp_planner.importers.table import SCAN_ROWS as HEADER_SCAN_ROWS
from mpp_planner.importers.table import load_sheet as read_sheet
from mpp_planner.jobs import checkpoint

__all__ = ["IGNORE", "Layout", "Sheet", "detect", "load_sheet"]

IGNORE = "-"  # the field of a column the user chose not to import
#: a row whose first filled cell says this ends the data (the register's totals)
TOTAL_WORDS = frozenset({"jumlah", "total", "jumlah_total", "total_jumlah", "grand_total", "sub_total", "subtotal",
                         "jumlah_seluruhnya", "jumlah_keseluruhan", "total_keseluruhan", "jumlah_akhir",
                         "jumlah_halaman_ini", "jumlah_s_d_halaman_ini", "jumlah_sampai_halaman_ini"})


@dataclass
class Layout:
    """Where the table is: its header row(s), what each column holds, which rows are data."""

    header_top: int  # first header row (1-based); equals header_row for a one-row header
    header_row: int  # last header row
    headers: list[str]  # per column: its header text (two rows joined)
    mapping: dict[int, str]  # column (0-based) -> field
    data_rows: list[int] = field(default_factory=list)  # 1-based rows holding data
    end_row: int = 0  # the row that ended the data (a totals row or the blank run), 0 = the sheet's end
    end_reason: str = ""  # "totals", "blank" or ""
    skipped: list[int] = field(default_factory=list)  # column-number rows and repeated headers
    title: dict[str, str] = field(default_factory=dict)  # field -> value given once in the title block
    found: bool = True  # False when no row looked like a header (the first filled row is used)
    texts: list[list[str]] = field(default_factory=list)  # per column: what its header may be called

    @property
    def unmapped(self) -> list[int]:
        """Columns with a header but no field: shown in the preview, not imported."""
        return [c for c, text in enumerate(self.headers) if text and c not in self.mapping]

    def column_of(self, name: str) -> int | None:
        return next((c for c, f in self.mapping.items() if f == name), None)

    def header_of(self, name: str) -> str:
        """The file's own header of the column mapped to ``name`` ("" when none)."""
        col = self.column_of(name)
        return self.headers[col] if col is not None else ""

    def values(self, sheet: Sheet, row: int) -> dict[str, str]:
        """The mapped cells of ``row`` (stripped), field -> text."""
        return {name: sheet.cell(row, col).strip() for col, name in self.mapping.items() if name != IGNORE}


def load_sheet(path: str | Path, aliases: Mapping[str, Iterable[str]] | None = None) -> Sheet:
    """Read the register file (see :func:`mpp_planner.importers.table.load_sheet`); ``aliases``
    (field -> header names) tell a CSV's delimiter by its header line."""
    lookup = _lookup(aliases or {})
    return read_sheet(path, lambda row: len(_row_fields(row, lookup)))



# --- header detection ----------------------------------------------------------------------

def header_variants(text: str) -> list[str]:
    """Normalised forms of a header to look up: as written, without "(Rp)"-style parentheses, each
    part of "Merk/Type", and without a trailing currency word."""
    text = str(text or "")
    plain = re.sub(r"\([^)]*\)", " ", text)
    out = [normalise_header(text), normalise_header(plain)]
    out += [normalise_header(part) for part in re.split(r"[/\\|]", plain)]
    out += [re.sub(r"_(rp|idr|rupiah)$", "", v) for v in list(out)]
    return [v for v in dict.fromkeys(out) if v]


def _lookup(aliases: Mapping[str, Iterable[str]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for name, names in aliases.items():
        for alias in [name, *names]:
            table.setdefault(normalise_header(alias), name)
    return table


def field_of(text: str, lookup: Mapping[str, str]) -> str | None:
    for variant in header_variants(text):
        if variant in lookup:
            return lookup[variant]
    return None


def _row_fields(row: list[str], lookup: Mapping[str, str]) -> set[str]:
    return {f for f in (field_of(c, lookup) for c in row if c.strip()) if f}


def header_texts(sheet: Sheet, top: int, bottom: int, col: int) -> list[str]:
    """What a column's header may be called, best first: both header rows joined ("Jumlah Harga"),
    then the lower ("Kode Barang" under "Nomor"), then the upper."""
    upper, lower = sheet.cell(top, col).strip(), sheet.cell(bottom, col).strip()
    if bottom > top and upper and lower and normalise_header(upper) != normalise_header(lower):
        return [f"{upper} {lower}", lower, upper]
    return [lower or upper]


def _header(sheet: Sheet, top: int, bottom: int, lookup: Mapping[str, str]) -> tuple[list[str], dict[int, str]]:
    """Header texts and column -> field for header rows ``top``..``bottom`` (first column wins a field)."""
    width = max(len(sheet.rows[top - 1]), len(sheet.rows[bottom - 1]))
    headers: list[str] = []
    mapping: dict[int, str] = {}
    for col in range(width):
        texts = header_texts(sheet, top, bottom, col)
        headers.append(texts[0])
        for text in texts:
            name = field_of(text, lookup)
            if name is not None:
                if name not in mapping.values():
                    mapping[col] = name
                break
    return headers, mapping


def _score(sheet: Sheet, top: int, bottom: int, lookup: Mapping[str, str]) -> int:
    return len(set(_header(sheet, top, bottom, lookup)[1].values()))


def _upper_half(sheet: Sheet, row: int, lookup: Mapping[str, str]) -> bool:
    """Is the row above ``row`` the upper half of its header? Cells merged over both rows were filled
    into both, so they agree in several columns ("No", "Nama Barang" over two rows, "Nomor" above
    "Kode Barang | Register")."""
    if row <= 1:
        return False
    same = sum(1 for a, b in zip(sheet.rows[row - 2], sheet.rows[row - 1]) if a.strip() and a.strip() == b.strip())
    return same >= 2 and _score(sheet, row - 1, row, lookup) >= _score(sheet, row, row, lookup)


def _find_header(sheet: Sheet, lookup: Mapping[str, str]) -> tuple[int, int, bool]:
    """(top, bottom, found): the row or pair of rows naming the most fields among the first rows."""
    best = (0, 0, 0)  # score, top, bottom
    last = min(len(sheet.rows), HEADER_SCAN_ROWS)
    for r in range(1, last + 1):
        single = _score(sheet, r, r, lookup)
        if single > best[0]:
            best = (single, r, r)
        if r < len(sheet.rows):
            pair = _score(sheet, r, r + 1, lookup)
            below = len(_row_fields(sheet.rows[r], lookup))
            if pair > max(single, below) and pair > best[0]:
                best = (pair, r, r + 1)
    if best[0] >= 2:
        if best[1] == best[2] and _upper_half(sheet, best[1], lookup):
            return best[1] - 1, best[2], True
        return best[1], best[2], True
    first = next(i for i, row in enumerate(sheet.rows, start=1) if any(c.strip() for c in row))
    return first, first, False


def _is_blank(row: list[str]) -> bool:
    return not any(c.strip() for c in row)


def _is_numbering(row: list[str]) -> bool:
    """The "1 | 2 | 3 …" row many forms print under the header."""
    cells = [re.sub(r"^\((.*)\)$", r"\1", c.strip()) for c in row if c.strip()]
    if len(cells) < 3 or not all(c.isdigit() for c in cells):
        return False
    numbers = [int(c) for c in cells]
    return all(b == a + 1 for a, b in zip(numbers, numbers[1:]))


def is_totals(row: list[str]) -> bool:
    first = next((c for c in row if c.strip()), "")
    return normalise_header(first) in TOTAL_WORDS


def _title_values(sheet: Sheet, top: int, labels: Mapping[str, str]) -> dict[str, str]:
    """Fields given once above the header ("RUANGAN : Ruang Laktasi", or label, ":" and value in
    cells); ``labels``: label -> field."""
    lookup = {normalise_header(k): v for k, v in labels.items()}
    found: dict[str, str] = {}
    for row in sheet.rows[:top - 1]:
        cells = [c.strip() for c in row]
        for i, cell in enumerate(cells):
            if not cell:
                continue
            label, sep, rest = cell.partition(":")
            name = lookup.get(normalise_header(label))
            if name is None or name in found:
                continue
            value = rest.strip() if sep else ""
            if not value:
                after = [c for c in cells[i + 1:] if c and c != ":"]
                value = after[0].lstrip(":").strip() if after else ""
            if value:
                found[name] = value
    return found


def detect(sheet: Sheet, aliases: Mapping[str, Iterable[str]], *, names: Mapping[str, str] | None = None,
           header_row: int | None = None, data_fields: Iterable[str] = (), title_labels: Mapping[str, str] | None = None
           ) -> Layout:
    """Find the header and the data of ``sheet``.

    ``names`` (a column's header text or letter -> field) overrides the aliases, as ``--map`` and the
    GUI's mapping step do; ``header_row`` forces the (last) header row. A row is data while one of
    ``data_fields`` has a value; ``title_labels`` (label -> field) find fields given once in the title
    block instead of in a column ("RUANGAN : Ruang Laktasi").
    """
    lookup = _lookup(aliases)
    explicit = {normalise_header(k): v for k, v in (names or {}).items() if not _is_letter(k)}
    lookup.update({k: v for k, v in explicit.items() if v != IGNORE})
    if header_row is not None:
        if not 1 <= header_row <= len(sheet.rows):
            raise ImportRefused([RowError(0, "", _("There is no row {row} in the file.").format(row=header_row))])
        top, bottom, found = header_row, header_row, True
        if _upper_half(sheet, header_row, lookup) or (header_row > 1 and _score(
                sheet, header_row - 1, header_row, lookup) > _score(sheet, header_row, header_row, lookup)):
            top = header_row - 1  # the upper half of a two-row header
    else:
        top, bottom, found = _find_header(sheet, lookup)
    headers, mapping = _header(sheet, top, bottom, lookup)
    layout = Layout(top, bottom, headers, mapping, found=found,
                    texts=[header_texts(sheet, top, bottom, c) for c in range(len(headers))])
    if names:
        apply_names(layout, names)
    layout.title = _title_values(sheet, top, title_labels or {})  # used for a field no column gives
    find_data(sheet, layout, data_fields)
    return layout


def _is_letter(name: str) -> bool:
    return bool(re.fullmatch(r"[A-Z]{1,2}", name.strip()))


def column_letter(col: int) -> str:
    """0 -> "A", 26 -> "AA"."""
    text = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        text = chr(65 + rest) + text
    return text


def apply_names(layout: Layout, names: Mapping[str, str]) -> None:
    """Map the columns named in ``names`` (header text, or a column letter such as "C") as told: the
    chosen field leaves any other column; IGNORE leaves the column unmapped."""
    for name, target in names.items():
        col = find_column(layout, name)
        if col is None:
            raise ImportRefused([RowError(layout.header_row, "", _(
                "There is no column '{name}' in the header row (row {row}); the columns are: {cols}.").format(
                name=name, row=layout.header_row, cols=", ".join(h for h in layout.headers if h)))])
        set_field(layout, col, target)


def set_field(layout: Layout, col: int, name: str) -> None:
    for other in [c for c, f in layout.mapping.items() if f == name]:
        del layout.mapping[other]
    if name == IGNORE:
        layout.mapping.pop(col, None)
    else:
        layout.mapping[col] = name


def find_column(layout: Layout, name: str) -> int | None:
    """The column a user means by ``name``: its header, one of its two header rows ("Kode Barang"
    under "Nomor"), a part of it ("Merk" of "Merk/Type"), or its letter."""
    key = normalise_header(name)
    texts = layout.texts or [[h] for h in layout.headers]
    tiers = ([c for c, t in enumerate(texts) if t and t[0] and normalise_header(t[0]) == key],
             [c for c, t in enumerate(texts) if any(normalise_header(x) == key for x in t[1:])],
             [c for c, t in enumerate(texts) if any(key in header_variants(x) for x in t if x)])
    matches = next((tier for tier in tiers if tier), [])
    if len(matches) > 1:
        raise ImportRefused([RowError(layout.header_row, "", _(
            "Several columns are called '{name}' ({cols}); name the column by its letter instead.").format(
            name=name, cols=", ".join(column_letter(c) for c in matches)))])
    if matches:
        return matches[0]
    if _is_letter(name):
        col = 0
        for ch in name.strip():
            col = col * 26 + ord(ch) - 64
        return col - 1
    return None


def find_data(sheet: Sheet, layout: Layout, data_fields: Iterable[str] = ()) -> None:
    """Fill ``layout.data_rows``: from under the header to a totals row or a blank run.

    One blank row inside the data is skipped; two in a row end it, and so does a blank row after which
    no row looks like data (the place, date and signatures under a register: one cell per row). A row
    looks like data when two mapped cells are filled, one of them of ``data_fields``. Column-number rows
    and header rows repeated on every printed page are skipped."""
    wanted = [c for c, f in layout.mapping.items() if f in set(data_fields)] or list(layout.mapping)
    mapped = list(layout.mapping)

    def data_like(row_number: int) -> bool:
        filled = [c for c in mapped if sheet.cell(row_number, c).strip()]
        return len(filled) >= 2 and any(c in wanted for c in filled)

    def more_data(start: int) -> bool:
        """Does a row from ``start`` on, before the next blank run, look like data?"""
        blank = 0
        for r in range(start, len(sheet.rows) + 1):
            if _is_blank(sheet.rows[r - 1]):
                blank += 1
                if blank >= 2:
                    return False
                continue
            blank = 0
            if is_totals(sheet.rows[r - 1]) or data_like(r):
                return True
        return False

    heads = {c: {normalise_header(sheet.cell(r, c)) for r in (layout.header_top, layout.header_row)} for c in mapped}

    def repeated_header(row_number: int) -> bool:
        return len(mapped) >= 2 and all(normalise_header(sheet.cell(row_number, c)) in heads[c] for c in mapped)

    layout.data_rows, layout.skipped = [], []
    layout.end_row, layout.end_reason = 0, ""
    blank_run = 0
    for r in range(layout.header_row + 1, len(sheet.rows) + 1):
        row = sheet.rows[r - 1]
        if _is_blank(row):
            blank_run += 1
            if blank_run >= 2 and layout.data_rows:
                layout.end_row, layout.end_reason = r - 1, "blank"
                return
            continue
        if is_totals(row):
            layout.end_row, layout.end_reason = r, "totals"
            return
        if _is_numbering(row) or repeated_header(r):
            layout.skipped.append(r)
            blank_run = 0
            continue
        if blank_run and layout.data_rows and not more_data(r):
            layout.end_row, layout.end_reason = r - blank_run, "blank"
            return
        blank_run = 0
        layout.data_rows.append(r)
        if len(layout.data_rows) % 5000 == 0:
            checkpoint()
    if len(layout.data_rows) > MAX_ROWS:
        raise too_many_rows(layout.data_rows[MAX_ROWS])
