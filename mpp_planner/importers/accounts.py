"""The official account code list (kode rekening, Permendagri 90/2019 as updated by Kepmendagri) ->
the project's account list, when the government publishes an update.

The file has a code column (``kode``/``kode_akun``/``code``) and a name column (``nama``/``nama_akun``/
``uraian``/``name``); the header row is found among the first rows, so title lines above it are fine.
Every code is checked against the 90/2019 structure by the model (5, 5.1, 5.1.02 … 5.1.02.01.01.0001).
All or nothing: with any bad row nothing changes. Otherwise new codes are added and the names of codes
already in the list are updated, as ONE undoable step; codes missing from the file are kept (budget lines
and catalog items may be booked on them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from mpp_planner.i18n import N_, _
from mpp_planner.importers.table import SCAN_ROWS, ImportRefused, RowError, Sheet, load_sheet, normalise_header
from mpp_planner.model import AccountCode, ValidationError

HELP = N_("update the account code list (kode rekening) from the official list")

ALIASES = {
    "code": ["code", "kode", "kode_akun", "kode_rekening", "kode_rek", "kd_akun", "account_code"],
    "name": ["name", "nama", "nama_akun", "uraian", "uraian_akun", "nama_rekening", "uraian_rekening",
             "account_name"],
}
_LOOKUP = {normalise_header(alias): canon for canon, names in ALIASES.items() for alias in names}


@dataclass
class AccountPlan:
    """What the file would change; import only when ``errors`` is empty."""

    source: Path
    rows: dict[str, str] = field(default_factory=dict)  # code -> name, in file order
    added: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # (code, old name, new name)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def command(self):
        from mpp_planner.commands.budget import ImportAccountCodes

        text = _("Import account codes from {file}: {added} new, {renamed} renamed").format(
            file=self.source.name, added=len(self.added), renamed=len(self.renamed))
        return ImportAccountCodes(text, self.rows)


def _columns(row: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for col, text in enumerate(row):
        canon = _LOOKUP.get(normalise_header(text))
        if canon and canon not in found:
            found[canon] = col
    return found


def _score(row: list[str]) -> int:
    return len(_columns(row))


def find_header(sheet: Sheet) -> tuple[int, dict[str, int]]:
    """The 1-based header row (the first holding a code and a name column) and its columns."""
    for number in range(1, min(len(sheet.rows), SCAN_ROWS) + 1):
        cols = _columns(sheet.rows[number - 1])
        if len(cols) == len(ALIASES):
            return number, cols
    raise ImportRefused([RowError(0, "", _(
        "No header row with a code column (kode, kode_akun, code) and a name column (nama, nama_akun, uraian, "
        "name) in the first {n} rows.").format(n=SCAN_ROWS))])


def read_rows(source: str | Path) -> tuple[list[tuple[int, str, str]], str, str]:
    """(row number, code, name) of every filled row below the header, and the two header texts."""
    sheet = load_sheet(Path(source), _score)
    header, cols = find_header(sheet)
    rows = []
    for number in range(header + 1, len(sheet.rows) + 1):
        code = sheet.cell(number, cols["code"]).strip().rstrip(".").strip()
        name = " ".join(sheet.cell(number, cols["name"]).split())
        if not code and not name:
            continue
        if number == header + 1 and code.isdigit() and name.isdigit():
            continue  # the column numbering line (1 2 3 …) some official tables have under the header
        rows.append((number, code, name))
    return rows, sheet.cell(header, cols["code"]), sheet.cell(header, cols["name"])


def preview(project, source: str | Path) -> AccountPlan:
    """Read and check ``source`` against the project's list; never changes the project."""
    source = Path(source)
    rows, code_header, name_header = read_rows(source)
    current = dict(project.session.execute(select(AccountCode.code, AccountCode.name)).all())
    plan = AccountPlan(source)
    seen: dict[str, int] = {}
    for number, code, name in rows:
        try:
            checked = AccountCode(code=code, name=name)  # the model's own checks
        except ValidationError as exc:
            column = name_header if exc.field == "name" else code_header
            plan.errors.append(RowError(number, column, exc.message))
            continue
        code, name = checked.code, checked.name
        if code in seen:
            plan.errors.append(RowError(number, code_header, _("account code {code} already appears in row {row}."
                                                               ).format(code=code, row=seen[code])))
            continue
        seen[code] = number
        plan.rows[code] = name
        if code not in current:
            plan.added.append((code, name))
        elif current[code] != name:
            plan.renamed.append((code, current[code], name))
        else:
            plan.unchanged += 1
    if not rows:
        plan.errors.append(RowError(0, "", _("The account list has no rows.")))
    return plan


def prepare(project, source: Path):
    """The registry entry point: the one command, or ImportRefused with every row error."""
    plan = preview(project, source)
    if plan.errors:
        raise ImportRefused(plan.errors)
    return plan.command()
