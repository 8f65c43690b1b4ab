"""Budget lines from a file -> the lines of one fiscal year (``mpp-planner import budget FILE --year Y
--from LINES.xlsx|.csv``), all of them or none, as ONE undoable step.

Two shapes are read, told apart by nothing but their column names (case, spaces and underscores do not
matter; title lines above the header are skipped):

* SIPD's rincian field set, as ``export budget --form sipd`` writes it (:mod:`mpp_planner.reports.budget_sipd`):
  ``kode_sub_kegiatan, kode_akun, nama_akun, kode_standar_harga, nama_komponen, spek_komponen, satuan,
  harga_satuan, vol_1..vol_4, sat_1..sat_4, koefisien, pajak, rincian, subs_bl_teks, ket_bl_teks``;
* the request sheet's own CSV (``export budget -o x.csv``: Kode Rekening, Uraian, Spesifikasi, Lokasi,
  Koefisien, Volume, Satuan, Harga (Rp), PPN (%), Jumlah (Rp), Prioritas, Keterangan).

Required: the account (kode_akun), the item (nama_komponen), the price (harga_satuan) and the volume
(vol_1.. with sat_1.., or the koefisien text "2 Unit x 12 Bulan"). Numbers are read in Indonesian ("1.234,5")
or with a decimal point ("1234.5"); a lone dot before three digits ("1.500") is the Indonesian thousands
dot. Spreadsheet number cells are taken as they are.

The rules, row by row (every value also goes through the model's own checks):

* ``kode_sub_kegiatan`` names a sub kegiatan of the year, or one in the nomenclature list (then it is made,
  with the lines, filled from the list); an empty cell (or the request CSV, which has no such column) takes
  ``--sub-kegiatan CODE``, else the year's first sub kegiatan;
* ``kode_akun`` must be in the project's account code list;
* ``pajak`` is the PPN rate in percent (0 = no PPN; an empty cell too); without a pajak column the lines
  charge the project's PPN rate;
* ``rincian``, when given, must equal koefisien × harga + PPN within Rp1; ``koefisien`` next to ``vol_n``
  and the request CSV's ``Volume`` must give the same product;
* ``subs_bl_teks`` ("[#] Ruang Laktasi") or ``Lokasi`` names the line's room. A heading that names no room
  is not an error (SIPD headings are free text): the line gets no room and the heading is kept at the end of
  its justification ("Kelompok: …"), and the preview lists it.

Imported lines are new requests (status requested, no approved amount, priority 2 unless a Prioritas
column says otherwise). ``--replace`` replaces the year's lines instead of adding to them (the same one
undo step brings the old lines back).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Union

from sqlalchemy import func, select

from mpp_planner.commands.base import Command, MacroCommand
from mpp_planner.commands.budget import (DEFAULT_SUB_ACTIVITY, AddBudgetLines, delete_lines, new_sub_activity,
                                         sub_activities_of_year)
from mpp_planner.formats import rupiah
from mpp_planner.i18n import N_, _, ngettext
from mpp_planner.importers.table import (MAX_BYTES, MAX_ROWS, SCAN_ROWS, ImportRefused, RowError, cell_text,
                                         load_sheet, normalise_header)
from mpp_planner.jobs import checkpoint
from mpp_planner.model import AccountCode, BudgetLine, BudgetStatus, Room, SubActivity, ValidationError
from mpp_planner.model import nomenclature
from mpp_planner.model.base import MAX_MONEY
from mpp_planner.model.budget import MAX_FACTORS, clean_factors, clean_sub_activity_code
from mpp_planner.model.money import coefficient
from mpp_planner.model.site import clean_account_code
from mpp_planner.reports.budget_sipd import HEADING_MARK, heading_names
from mpp_planner.reports.output import FORMULA_START, fiscal_year

HELP = N_("add budget lines of a fiscal year from a SIPD rincian file or the budget request CSV")

Cell = Union[str, Decimal]

VOLS = tuple(f"vol_{n}" for n in range(1, MAX_FACTORS + 1))
SATS = tuple(f"sat_{n}" for n in range(1, MAX_FACTORS + 1))
#: canonical field -> the column names that mean it (compared through ``normalise_header``)
ALIASES: dict[str, list[str]] = {
    "kode_sub_kegiatan": ["kode_sub_kegiatan", "kode_subkegiatan", "kode_sub_giat", "sub_kegiatan"],
    "kode_akun": ["kode_akun", "kode_rekening", "kode_rek", "akun", "rekening"],
    "nama_akun": ["nama_akun", "nama_rekening"],  # read and left: names come from the account code list
    "kode_standar_harga": ["kode_standar_harga", "kode_ssh", "kode_komponen"],
    "nama_komponen": ["nama_komponen", "uraian", "komponen", "nama_standar_harga"],
    "spek_komponen": ["spek_komponen", "spesifikasi", "spek"],
    "satuan": ["satuan"],
    "harga_satuan": ["harga_satuan", "harga", "harga_rp", "harga_satuan_rp"],
    **{name: [name, name.replace("_", "")] for name in (*VOLS, *SATS)},
    "koefisien": ["koefisien"],
    "volume": ["volume"],
    "pajak": ["pajak", "ppn", "ppn_persen"],  # "PPN (%)" of the request CSV
    "rincian": ["rincian", "jumlah", "jumlah_rp", "total"],
    "subs_bl_teks": ["subs_bl_teks", "lokasi", "ruang", "ruangan"],
    "ket_bl_teks": ["ket_bl_teks", "keterangan", "ket"],
    "prioritas": ["prioritas", "priority"],
}
_LOOKUP = {normalise_header(alias): canon for canon, names in ALIASES.items() for alias in names}
REQUIRED = ("kode_akun", "nama_komponen", "harga_satuan")
#: the model's field -> the column its value came from (for the row errors)
FIELD_COLUMNS = {"account_code": "kode_akun", "standard_price_code": "kode_standar_harga",
                 "description": "nama_komponen", "specification": "spek_komponen", "unit": "satuan",
                 "unit_price": "harga_satuan", "ppn_rate": "pajak", "ppn_applied": "pajak", "priority": "prioritas",
                 "justification": "ket_bl_teks"}
FACTOR_SPLIT = re.compile(r"\s+[xX×]\s+|\s*×\s*")
FACTOR = re.compile(r"^([0-9][0-9.,]*)\s*(.*)$")
#: where a heading that names no room goes in the justification (data, so Indonesian)
HEADING_NOTE = "Kelompok: {heading}"


# --- numbers and text ----------------------------------------------------------------------

def parse_number(value: Cell) -> Decimal:
    """A number cell, or text in Indonesian ("1.234.567,5", "0,25", "1.500") or with a decimal point
    ("1234567.5", "1,234,567.5"); "Rp" and "%" are allowed around it. ValueError otherwise."""
    if isinstance(value, Decimal):
        return value
    t = re.sub(r"(?i)^rp\.?", "", str(value).strip()).replace(" ", "").replace("\u00a0", "").removesuffix("%")
    if "," in t and "." in t:
        if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})*,\d+", t):
            t = t.replace(".", "").replace(",", ".")
        elif re.fullmatch(r"[+-]?\d{1,3}(,\d{3})*\.\d+", t):
            t = t.replace(",", "")
        else:
            raise ValueError(value)
    elif t.count(",") > 1 or t.count(".") > 1:
        if not re.fullmatch(r"[+-]?\d{1,3}([.,]\d{3})+", t):
            raise ValueError(value)
        t = t.replace(",", "").replace(".", "")
    elif "," in t:
        t = t.replace(",", ".")
    elif re.fullmatch(r"[+-]?[1-9]\d{0,2}\.\d{3}", t):
        t = t.replace(".", "")
    if not re.fullmatch(r"[+-]?\d+(\.\d+)?", t):
        raise ValueError(value)
    try:
        return Decimal(t)
    except InvalidOperation:
        raise ValueError(value) from None


def text_of(value: Cell | None) -> str:
    """A text cell as typed: a number cell as plain digits, the apostrophe an export put before text that
    starts like a formula ("'- 2 pintu") taken off."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    text = value.strip()
    if text.startswith("'") and text[1:2] and text[1:2] in "".join(FORMULA_START):
        text = text[1:]
    return text


def parse_coefficient(text: str) -> list[list]:
    """"2 Unit x 12 Bulan" (or "1,5 m2") -> [[Decimal 2, "Unit"], [Decimal 12, "Bulan"]]; ValueError otherwise."""
    factors = []
    for part in FACTOR_SPLIT.split(text.strip()):
        m = FACTOR.match(part.strip())
        if m is None or not m.group(2).strip():
            raise ValueError(text)
        factors.append([parse_number(m.group(1)), m.group(2).strip()])
    if not factors:
        raise ValueError(text)
    return factors


def readings(text: str) -> set[Decimal]:
    """Every number ``text`` may mean: "1.125" is 1125 to :func:`parse_number`, but 1.125 to a program that
    writes a decimal point (the request CSV's Volume column)."""
    found = set()
    try:
        found.add(parse_number(text))
    except ValueError:
        pass
    if re.fullmatch(r"\d+\.\d+", text.strip()):
        found.add(Decimal(text.strip()))
    return found


def money_text(value: Decimal) -> str:
    return rupiah(value, cents=value != value.to_integral_value(), symbol=False)


def room_key(text: str) -> str:
    """Room names compared without case, spacing or punctuation ("Ruang Tunggu Lt.1" = "ruang tunggu lt 1")."""
    return " ".join(re.findall(r"[^\W_]+", str(text or "").lower()))


# --- reading the file ----------------------------------------------------------------------

def _xlsx_cells(path: Path) -> list[list[Cell]]:
    """The first sheet's rows with number cells kept as numbers (``Decimal``), everything else as text."""
    try:
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any reader error is a broken file to the user
        raise ImportRefused([RowError(0, "", _("Cannot read the spreadsheet: {error}").format(error=exc))]) from None
    try:
        if not wb.worksheets:
            raise ImportRefused([RowError(0, "", _("The spreadsheet has no sheet."))])
        rows: list[list[Cell]] = []
        for values in wb.worksheets[0].iter_rows(values_only=True):
            rows.append([Decimal(str(v)) if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)
                         else cell_text(v) for v in values])
            if len(rows) > MAX_ROWS + SCAN_ROWS:
                raise ImportRefused([RowError(len(rows), "", _("Too many rows (at most {max}).").format(
                    max=MAX_ROWS))])
        return rows
    except ImportRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - damaged sheet data
        raise ImportRefused([RowError(0, "", _("Cannot read the spreadsheet: {error}").format(error=exc))]) from None
    finally:
        wb.close()


def _columns(row: list[Cell]) -> dict[str, int]:
    found: dict[str, int] = {}
    for col, value in enumerate(row):
        canon = _LOOKUP.get(normalise_header(text_of(value)))
        if canon and canon not in found:
            found[canon] = col
    return found


def _score(row: list[str]) -> int:
    return len(_columns(list(row)))


@dataclass
class LineTable:
    """The rows below the header: (row number as the spreadsheet shows it, field -> cell)."""

    headers: dict[str, str]  # field -> the column's name in the file
    rows: list[tuple[int, dict[str, Cell]]]

    def column(self, name: str) -> str:
        """How the row errors name a column: as the file names it, else by its SIPD name."""
        return self.headers.get(name, name)


def read_lines(source: str | Path) -> LineTable:
    """Read ``source`` and find its header row (no project needed: the GUI runs this in a worker)."""
    path = Path(source)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        if not path.is_file():
            raise ImportRefused([RowError(0, "", _("The file '{path}' does not exist.").format(path=path))])
        if path.stat().st_size > MAX_BYTES:
            raise ImportRefused([RowError(0, "", _("The file is too large ({mb:.0f} MB; at most {max} MB).").format(
                mb=path.stat().st_size / 1e6, max=MAX_BYTES // (1024 * 1024)))])
        cells = _xlsx_cells(path)
    else:
        cells = [list(r) for r in load_sheet(path, _score).rows]
    header, cols = 0, {}
    for number in range(1, min(len(cells), SCAN_ROWS) + 1):
        found = _columns(cells[number - 1])
        if len(found) >= 3:
            header, cols = number, found
            break
    if not header:
        raise ImportRefused([RowError(0, "", _(
            "No header row with the budget line columns (kode_akun, nama_komponen, harga_satuan, vol_1, sat_1, "
            "koefisien …) in the first {n} rows.").format(n=SCAN_ROWS))])
    missing = [name for name in REQUIRED if name not in cols]
    if "vol_1" not in cols and "koefisien" not in cols:
        missing.append(_("{a} or {b}").format(a="vol_1", b="koefisien"))
    if missing:
        found_names = ", ".join(t for t in (text_of(v) for v in cells[header - 1]) if t)
        raise ImportRefused([RowError(header, "", _("Missing column(s): {cols}. Found: {found}.").format(
            cols=", ".join(missing), found=found_names))])
    headers = {name: text_of(cells[header - 1][col]) for name, col in cols.items()}
    rows = []
    for number in range(header + 1, len(cells) + 1):
        row = cells[number - 1]
        values = {name: row[col] for name, col in cols.items() if col < len(row)}
        if not any(text_of(v) for v in values.values()):
            continue
        rows.append((number, values))
    return LineTable(headers, rows)


# --- checking against the project ------------------------------------------------------------

@dataclass
class PlannedLine:
    """One file row, checked: plain values only (it may have been read on another connection)."""

    row: int
    sub_activity: str  # code
    fields: dict[str, Any]  # BudgetLine fields, cleaned by the model
    amount: Decimal
    room: str  # the room's heading text, "" for none


@dataclass
class PlannedSub:
    code: str
    name: str
    new: bool  # made by the import (from the nomenclature)
    lines: int = 0
    total: Decimal = Decimal("0.00")


@dataclass
class LinePlan:
    """What the file would add; import only when ``errors`` is empty."""

    source: Path
    year: int
    lines: list[PlannedLine] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notes: list[RowError] = field(default_factory=list)  # headings that name no room (kept as text)
    subs: dict[str, PlannedSub] = field(default_factory=dict)
    existing_lines: int = 0  # the year's lines before the import
    existing_total: Decimal = Decimal("0.00")

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.lines)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    def command(self, project, *, replace: bool = False) -> Command:
        """The one undoable step on ``project`` (the GUI's main connection). ValueError when the project
        changed since the check so that the plan no longer fits (a sub kegiatan or room gone)."""
        if not self.ok:
            raise ImportRefused(self.errors or [RowError(0, "", _("The file has no budget lines."))])
        s = project.session
        existing = {sub.code: sub for sub in sub_activities_of_year(project, self.year)}
        position = max((sub.position for sub in existing.values()), default=-1)
        subs: dict[str, SubActivity] = {}
        for code in dict.fromkeys(line.sub_activity for line in self.lines):
            if code in existing:
                subs[code] = existing[code]
            elif code in nomenclature.entries():
                position += 1
                subs[code] = new_sub_activity(project, self.year, code, position=position)
            else:
                raise ValueError(_("Sub kegiatan {code} was deleted since the file was checked; choose the file "
                                   "again.").format(code=code))
        rooms = {line.fields["room_id"] for line in self.lines if line.fields["room_id"] is not None}
        if rooms and set(s.scalars(select(Room.id).where(Room.id.in_(rooms)))) != rooms:
            raise ValueError(_("A room the file names was deleted since the file was checked; choose the file "
                               "again."))
        old = list(s.scalars(select(BudgetLine.id).where(BudgetLine.fiscal_year == self.year))) if replace else []
        start = 0 if replace else (s.scalar(select(func.max(BudgetLine.position))
                                            .where(BudgetLine.fiscal_year == self.year)) or 0)
        lines = [BudgetLine(fiscal_year=self.year, status=BudgetStatus.REQUESTED.value, position=start + i,
                            sub_activity=subs[planned.sub_activity], **planned.fields)
                 for i, planned in enumerate(self.lines, start=1)]
        add = AddBudgetLines(ngettext("Import {n} budget line from {file}", "Import {n} budget lines from {file}",
                                      len(lines)).format(n=len(lines), file=self.source.name), lines)
        command = add if not old else MacroCommand(
            _("Replace the {old} budget lines of {year} by {n} lines from {file}").format(
                old=len(old), year=self.year, n=len(lines), file=self.source.name), [delete_lines(old), add])
        setattr(command, "warnings", [str(note) for note in self.notes])  # noqa: B010 - told by `mpp-planner import`
        return command


@dataclass
class _Context:
    """What every row is checked against, read once."""

    year: int
    default_sub: str
    year_subs: dict[str, str]  # code -> name
    accounts: set[str]
    headings: dict[str, int]  # room_key(heading text) -> room id
    names: dict[str, list[int]]  # room_key(room name) -> room ids
    ppn_rate: Decimal


def _context(project, year: int, sub_activity: str | None) -> _Context:
    s = project.session
    year_subs = dict(s.execute(select(SubActivity.code, SubActivity.name).where(SubActivity.fiscal_year == year)
                               .order_by(SubActivity.position, SubActivity.code)).all())
    if sub_activity:
        try:
            default = clean_sub_activity_code(sub_activity)
        except ValidationError as exc:
            raise ImportRefused([RowError(0, "--sub-kegiatan", exc.message)]) from None
        if default not in year_subs and not _listed(default):
            raise ImportRefused([RowError(0, "--sub-kegiatan", _unknown_sub(default, year))])
    else:
        default = next(iter(year_subs), DEFAULT_SUB_ACTIVITY)
    rooms = s.execute(select(Room.id, Room.name)).all()
    names: dict[str, list[int]] = {}
    for rid, name in rooms:
        names.setdefault(room_key(name), []).append(rid)
    headings = {room_key(text): rid for rid, text in heading_names(project).items()}
    accounts = set(s.scalars(select(AccountCode.code)))
    return _Context(year, default, year_subs, accounts, headings, names, project.site.ppn_rate)


def _listed(code: str) -> bool:
    entry = nomenclature.entries().get(code)
    return entry is not None and entry.level == "sub_activity"


def _unknown_sub(code: str, year: int) -> str:
    return _("unknown sub kegiatan {code}: it is neither in the budget of {year} nor in the sub kegiatan list."
             ).format(code=code, year=year)


def preview(project, source: str | Path, *, year: int | None = None, sub_activity: str | None = None) -> LinePlan:
    """Read ``source`` and check every row against the project; never changes the project."""
    source = Path(source)
    year = year or project.site.fiscal_year
    table = read_lines(source)
    ctx = _context(project, year, sub_activity)
    plan = LinePlan(source, year)
    s = project.session
    plan.existing_lines = s.scalar(select(func.count()).select_from(BudgetLine)
                                   .where(BudgetLine.fiscal_year == year)) or 0
    plan.existing_total = sum((b.amount for b in s.scalars(select(BudgetLine).where(BudgetLine.fiscal_year == year))),
                              Decimal("0.00"))
    for i, (number, cells) in enumerate(table.rows):
        if i % 200 == 0:
            checkpoint(i, len(table.rows), _("Checking row {n}…").format(n=number))
        line = _check_row(number, cells, table, ctx, plan)
        if line is None:
            continue
        plan.lines.append(line)
        sub = plan.subs.get(line.sub_activity)
        if sub is None:
            entry = nomenclature.entries().get(line.sub_activity)
            new = line.sub_activity not in ctx.year_subs
            name = entry.name if new and entry else ctx.year_subs.get(line.sub_activity, "")
            sub = plan.subs[line.sub_activity] = PlannedSub(line.sub_activity, name, new)
        sub.lines += 1
        sub.total += line.amount
    if not table.rows:
        plan.errors.append(RowError(0, "", _("The file has no budget lines.")))
    return plan


def _check_row(number: int, cells: Mapping[str, Cell], table: LineTable, ctx: _Context,
               plan: LinePlan) -> PlannedLine | None:
    """One row -> a planned line, or None with its errors added to ``plan``."""
    errors: list[RowError] = []

    def error(name: str, message: str) -> None:
        errors.append(RowError(number, table.column(name), message))

    def text(name: str) -> str:
        return text_of(cells.get(name))

    def number_in(name: str) -> Decimal | None:
        raw = text(name)
        if not raw:
            return None
        try:
            return parse_number(cells[name])
        except ValueError:
            error(name, _("'{value}' is not a number.").format(value=raw))
            return None

    # sub kegiatan
    code = text("kode_sub_kegiatan") or ctx.default_sub
    try:
        code = clean_sub_activity_code(code)
    except ValidationError as exc:
        error("kode_sub_kegiatan", exc.message)
    else:
        if code not in ctx.year_subs and not _listed(code):
            error("kode_sub_kegiatan", _unknown_sub(code, ctx.year))
    # account
    account = text("kode_akun")
    try:
        account = clean_account_code(account)
    except ValidationError as exc:
        error("kode_akun", exc.message)
    else:
        if account not in ctx.accounts:
            error("kode_akun", _("account code {code} is not in the account code list; add it there first (or "
                                 "import the official list).").format(code=account))
    # volume: vol_n with sat_n, else the koefisien text
    factors: list[list] = []
    before = len(errors)  # the volume's own errors are those after this
    coef_text = text("koefisien")
    from_volumes = any(text(name) for name in (*VOLS, *SATS))
    factor_column = "vol_1" if from_volumes or "koefisien" not in table.headers else "koefisien"
    if from_volumes:
        for vol, sat in zip(VOLS, SATS):
            qty, unit = number_in(vol), text(sat)
            if not text(vol):
                if unit:
                    error(vol, _("{sat} is '{unit}' but {vol} is empty.").format(
                        sat=table.column(sat), unit=unit, vol=table.column(vol)))
            elif not unit:
                error(sat, _("{vol} needs its unit in {sat}.").format(vol=table.column(vol), sat=table.column(sat)))
            elif qty is not None:
                factors.append([qty, unit])
        if coef_text and len(errors) == before:
            try:
                stated = parse_coefficient(coef_text)
            except ValueError:
                stated = []  # free text next to the volumes: the volumes count
            if stated and coefficient(stated) != coefficient(factors):
                error("koefisien", _("koefisien '{text}' does not match the volumes ({product}).").format(
                    text=coef_text, product=" x ".join(f"{text_of(q)} {u}" for q, u in factors)))
    elif coef_text:
        try:
            factors = parse_coefficient(coef_text)
        except ValueError:
            error("koefisien", _("'{value}' is not a coefficient such as '2 Unit x 12 Bulan'.").format(
                value=coef_text))
    else:
        error(factor_column, _("no volume: fill {vol} and {sat}, or {coef}.").format(
            vol=table.column("vol_1"), sat=table.column("sat_1"), coef=table.column("koefisien")))
    if factors and len(errors) == before:
        try:
            factors = clean_factors(factors)
        except ValidationError as exc:
            error(factor_column, exc.message)
    if text("volume"):
        stated_volume = readings(text("volume"))
        if not stated_volume:
            error("volume", _("'{value}' is not a number.").format(value=text("volume")))
        elif factors and len(errors) == before and coefficient(factors) not in stated_volume:
            error("volume", _("volume {volume} is not the product of the coefficient ({product}).").format(
                volume=text("volume"), product=text_of(coefficient(factors))))
    # price, tax, priority
    price = number_in("harga_satuan")
    if price is None and not text("harga_satuan"):
        error("harga_satuan", _("the unit price is empty."))
    if "pajak" in table.headers:
        rate = number_in("pajak") if text("pajak") else Decimal(0)
    else:
        rate = ctx.ppn_rate
    priority: Any = text("prioritas") or 2
    stated_amount = number_in("rincian")
    # room: the group heading
    justification = text("ket_bl_teks")
    heading = text("subs_bl_teks")
    if heading.startswith(HEADING_MARK):
        heading = heading[len(HEADING_MARK):].strip()
    room_id = None
    if heading:
        room_id = ctx.headings.get(room_key(heading))
        if room_id is None:
            same = ctx.names.get(room_key(heading), [])
            if len(same) > 1:
                error("subs_bl_teks", _("{n} rooms are called '{name}'; add the floor in brackets, e.g. '{name} "
                                        "(Lantai 1)'.").format(n=len(same), name=heading))
            else:
                plan.notes.append(RowError(number, table.column("subs_bl_teks"), _(
                    "'{heading}' is not a room of the plan: the line gets no room and the heading is kept in its "
                    "justification.").format(heading=heading)))
                note = HEADING_NOTE.format(heading=heading)
                justification = f"{justification}\n{note}" if justification else note
    if errors or price is None or rate is None:
        plan.errors.extend(errors)
        return None
    values = dict(account_code=account, standard_price_code=text("kode_standar_harga"),
                  description=text("nama_komponen"), specification=text("spek_komponen"), room_id=room_id,
                  factors=factors, unit=text("satuan") or factors[0][1], unit_price=price,
                  ppn_applied=rate > 0, ppn_rate=rate if rate > 0 else ctx.ppn_rate, priority=priority,
                  justification=justification)
    try:
        line = BudgetLine(**values)  # every value through the model's own checks
    except ValidationError as exc:
        plan.errors.append(RowError(number, table.column(FIELD_COLUMNS.get(exc.field, exc.field)), exc.message))
        return None
    amount = line.amount
    if amount > MAX_MONEY:
        plan.errors.append(RowError(number, table.column("harga_satuan"), _(
            "the amount would be more than Rp1.000 triliun; check the volume and the unit price.")))
        return None
    if stated_amount is not None and abs(stated_amount - amount) > 1:
        plan.errors.append(RowError(number, table.column("rincian"), _(
            "rincian {stated} does not equal koefisien × harga + pajak = {computed}.").format(
                stated=money_text(stated_amount), computed=money_text(amount))))
        return None
    fields = {key: getattr(line, key) for key in values}
    return PlannedLine(number, code, fields, amount, heading if room_id is not None else "")


# --- the registry entry points -----------------------------------------------------------------

def add_arguments(parser) -> None:
    parser.add_argument("--year", type=fiscal_year, metavar="YEAR",
                        help=_("fiscal year the lines go to (default: the project's fiscal year)"))
    parser.add_argument("--sub-kegiatan", dest="sub_activity", metavar="CODE",
                        help=_("sub kegiatan of the rows that name none, e.g. 2.18.01.2.07.0006 (default: the "
                               "year's first)"))
    parser.add_argument("--replace", action="store_true",
                        help=_("replace the year's lines instead of adding to them (one undo step)"))


def options(args) -> dict:
    """``prepare``'s keyword arguments from the parsed command line."""
    return {"year": getattr(args, "year", None), "sub_activity": getattr(args, "sub_activity", None),
            "replace": bool(getattr(args, "replace", False))}


def prepare(project, source: Path, *, year: int | None = None, sub_activity: str | None = None,
            replace: bool = False) -> Command:
    """The registry entry point: the one command, or ImportRefused with every row error."""
    plan = preview(project, source, year=year, sub_activity=sub_activity)
    if plan.errors:
        raise ImportRefused(plan.errors)
    return plan.command(project, replace=replace)
