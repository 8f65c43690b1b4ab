"""SSH price list (Standar Satuan Harga) -> reference prices of the catalog.

A simple list matches its rows to item types by key (``kode``/``key``) or, without a key, by name
(``nama``/``uraian``/``name``). A row with an unknown item type, a bad price, a unit that is not the
catalog's, or a second row for the same item type is a row error.

SIPD's SSH export (``kode_standar_harga, nama_standar_harga, spek, satuan, harga, kode_kel_standar_harga,
nama_kel_standar_harga, kelompok, tkdn, tahun_anggaran`` and the accounts an entry may be booked on,
``kode_akun``/``rekening``: one row per account, or several codes in one cell) is read as SSH entries.
An entry matches the item types carrying its code, else an item type by key (a key column, or the key
made from its code), else one by name; it sets their reference price, SSH code, allowed accounts, and
their own account when the SSH no longer allows it. Entries no item type matches are not errors: they
are listed (:attr:`PricePlan.unmatched`) for the user to map to an item type, create one from, or skip.

With any row error nothing is imported. Otherwise all prices (and new item types) change in ONE
undoable command.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from pathlib import Path

from sqlalchemy import select

from mpp_planner.commands.base import MacroCommand
from mpp_planner.formats import rupiah
from mpp_planner.i18n import N_, _
from mpp_planner.importers.table import ImportRefused, RowError, Table, read_table
from mpp_planner.jobs import checkpoint
from mpp_planner.model import ItemType, ValidationError
from mpp_planner.model.base import clean_money
from mpp_planner.model.site import clean_account_code, clean_standard_price_code

HELP = N_("update catalog reference prices from an SSH price list (also SIPD's SSH export)")

ALIASES = {
    "key": ["key", "kode", "kode_barang", "kode_item", "item_key", "code"],
    "name": ["name", "nama", "nama_barang", "uraian", "uraian_barang", "item", "barang", "jenis_barang",
             "nama_standar_harga"],
    "price": ["price", "harga", "harga_satuan", "harga_ssh", "ref_price", "reference_price", "unit_price", "nilai",
              "harga_rp", "harga_satuan_rp"],
    "unit": ["unit", "satuan"],
    "specification": ["specification", "spesifikasi", "spec", "spek"],
    "account_code": ["account_code", "kode_rekening", "rekening", "akun", "kode_akun"],
    # SIPD's own fields (MPP_REFERENCE §8)
    "kode_standar_harga": ["kode_standar_harga", "kode_ssh", "standard_price_code"],
    "id_standar_harga": ["id_standar_harga"],
    "kode_kel_standar_harga": ["kode_kel_standar_harga"],
    "nama_kel_standar_harga": ["nama_kel_standar_harga"],
    "kelompok": ["kelompok"],
    "tkdn": ["tkdn"],
    "tahun_anggaran": ["tahun_anggaran"],
}
#: any of these columns makes a file SIPD's SSH export
SIPD_COLUMNS = ("kode_standar_harga", "id_standar_harga", "kode_kel_standar_harga", "nama_kel_standar_harga")
#: the shared columns as SIPD names them, for messages about a SIPD file
SIPD_NAMES = {"name": "nama_standar_harga", "price": "harga", "unit": "satuan", "specification": "spek",
              "account_code": "kode_akun", "key": "kode", "ref_price": "harga", "standard_price_code":
              "kode_standar_harga", "allowed_accounts": "kode_akun", "category": "nama_kel_standar_harga"}

SKIP = "skip"  # a mapping target: leave the row out
DEFAULT_CATEGORY = "SSH"  # a new item type's category when the entry has no nama_kel_standar_harga
GUESS_AT = 0.6  # how alike two names must be (difflib ratio) to be offered as a guess
SHARED_WORDS = 0.4  # ... compared only when this share of their words is in both (Dice)
SHOW_SKIPPED = 50  # the command line lists this many skipped rows, then how many more


@dataclass(frozen=True)
class Create:
    """A mapping target: a new item type from the row, booked on ``account_code`` (empty: the first
    account the SSH entry allows)."""

    account_code: str = ""


CREATE = Create()


@dataclass
class PriceChange:
    row: int
    item_type_id: int
    key: str
    name: str
    unit: str
    old_price: Decimal
    new_price: Decimal
    fields: dict = field(default_factory=dict)  # what changes on the item type
    code: str = ""  # the SSH code of the row (SIPD export)
    how: str = ""  # how the row found its item type (a translated phrase; SIPD export)
    accounts: list[str] = field(default_factory=list)  # the accounts the SSH entry allows

    @property
    def changed(self) -> bool:
        return bool(self.fields)


@dataclass
class SshEntry:
    """One entry of a SIPD SSH export: its rows (one per allowed account) merged."""

    row: int  # its first row
    code: str
    name: str
    specification: str
    unit: str
    price: Decimal
    accounts: list[str] = field(default_factory=list)  # in file order
    group: str = ""  # nama_kel_standar_harga
    key: str = ""  # from a key column, when the file has one
    guess: int | None = None  # unmatched: the item type whose name comes closest (same unit), if any


@dataclass(frozen=True)
class CatalogEntry:
    """An item type as the plan saw it (the preview runs on a reader; the command on the project)."""

    id: int
    key: str
    name: str
    unit: str
    ref_price: Decimal
    specification: str
    account_code: str
    standard_price_code: str
    allowed_accounts: tuple[str, ...]

    @classmethod
    def of(cls, it: ItemType) -> CatalogEntry:
        return cls(it.id, it.key, it.name, it.unit, it.ref_price, it.specification, it.account_code,
                   it.standard_price_code, tuple(it.allowed_accounts or ()))


class ImportPrices(MacroCommand):
    """An SSH list as one undo step: the new item types, then the changed ones. ``warnings`` say what
    was left out (the command line prints them)."""

    def __init__(self, text: str, commands: list, warnings: list[str] | None = None):
        super().__init__(text, commands)
        self.warnings = list(warnings or [])


@dataclass
class PricePlan:
    """The preview: one change per matched row, the SIPD entries nothing matched, and the row errors
    (import only when none)."""

    source: Path
    changes: list[PriceChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    unmatched: list[SshEntry] = field(default_factory=list)
    sipd: bool = False  # read as SIPD's SSH export
    year: int | None = None  # its tahun_anggaran
    catalog: dict[int, CatalogEntry] = field(default_factory=dict)  # SIPD export: the item types, by id

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.changes or self.unmatched)

    def column(self, name: str) -> str:
        """A column as the file names it, for messages."""
        return SIPD_NAMES.get(name, name) if self.sipd else name

    def command(self, mapping: dict | None = None, project=None) -> ImportPrices:
        """The import as ONE command. ``mapping`` says what each unmatched row becomes: ``{row: item type id
        | CREATE | Create(account) | SKIP}`` (absent: SKIP). With ``project``, new keys are also kept apart
        from item types added since the preview. Raises :class:`ImportRefused` naming the rows whose mapping
        cannot be done."""
        from mpp_planner.commands.generic import AddObjects
        from mpp_planner.commands.inventory import EditObjects

        mapping = dict(mapping or {})
        by_row = {e.row: e for e in self.unmatched}
        if set(mapping) - set(by_row):
            raise ValueError(f"rows {sorted(set(mapping) - set(by_row))} are not unmatched rows of the plan")
        edits = {c.item_type_id: dict(c.fields) for c in self.changes if c.changed}
        taken = {c.item_type_id: c.row for c in self.changes}
        keys = {entry.key.lower() for entry in self.catalog.values()}
        if project is not None:
            keys |= {k.lower() for k in project.session.scalars(select(ItemType.key))}
        errors: list[RowError] = []
        new: list[ItemType] = []
        for e in self.unmatched:
            target = mapping.get(e.row, SKIP)
            if isinstance(target, Create):
                try:
                    new.append(self._new_item_type(e, target, keys))
                except ValidationError as exc:
                    errors.append(RowError(e.row, self.column(exc.field), exc.message))
            elif isinstance(target, int) and not isinstance(target, bool):
                it = self.catalog.get(target)
                if it is None or (project is not None and project.get(ItemType, target) is None):
                    errors.append(RowError(e.row, "", _("the chosen item type no longer exists.")))
                elif target in taken:
                    errors.append(RowError(e.row, "", _("'{name}' already takes the price of row {row}.").format(
                        name=it.name, row=taken[target])))
                elif _unit_differs(e, it):
                    errors.append(RowError(e.row, self.column("unit"), _unit_message(e, it)))
                else:
                    taken[target] = e.row
                    fields = _entry_fields(e, it)
                    if fields:
                        edits[target] = fields
            elif target != SKIP:
                raise ValueError(f"row {e.row}: {target!r} is not a mapping target")
        if errors:
            raise ImportRefused(errors)
        skipped = [e for e in self.unmatched if mapping.get(e.row, SKIP) == SKIP]
        commands: list = []
        if new:
            text = _("Import {n} price(s) and {m} new item type(s) from {file}").format(
                n=len(edits), m=len(new), file=self.source.name)
            commands.append(AddObjects(text, new))
        else:
            text = _("Import {n} price(s) from {file}").format(n=len(edits), file=self.source.name)
        commands.append(EditObjects(text, ItemType, edits))
        return ImportPrices(text, commands, skipped_warnings(skipped) if skipped else [])

    def _new_item_type(self, e: SshEntry, target: Create, keys: set[str]) -> ItemType:
        account = target.account_code.strip() or (e.accounts[0] if e.accounts else "")
        if not account:
            raise ValidationError("account_code", _(
                "the SSH entry names no account: choose the account the new item type is booked on."))
        key = base = entry_key(e)
        n = 1
        while key.lower() in keys:
            n += 1
            key = f"{base[:60 - len(str(n)) - 1]}_{n}"
        keys.add(key.lower())
        return ItemType(key=key, name=e.name, category=e.group or DEFAULT_CATEGORY, unit=e.unit or "unit",
                        ref_price=e.price, account_code=account, standard_price_code=e.code,
                        allowed_accounts=list(e.accounts), specification=e.specification, tags="", seats=0,
                        width=600, depth=600)


def skipped_warnings(skipped: list[SshEntry]) -> list[str]:
    """What the command line says about the rows it left out."""
    lines = [_("{n} SSH row(s) match no catalog item and were skipped: add them as new item types with "
               "--create-unmatched, or map them in Inventory & Needs ▸ Import SSH prices….").format(n=len(skipped))]
    for e in skipped[:SHOW_SKIPPED]:
        lines.append(_("row {row}: {code} '{name}' ({unit}, {price})").format(
            row=e.row, code=e.code or "-", name=e.name, unit=e.unit or "-", price=rupiah(e.price)))
    if len(skipped) > SHOW_SKIPPED:
        lines.append(_("… and {n} more.").format(n=len(skipped) - SHOW_SKIPPED))
    return lines


def parse_price(text: str) -> Decimal:
    """"Rp1.250.000", "1.250.000,00", "1,250,000.50", "1250000" -> Decimal; ValueError otherwise."""
    t = re.sub(r"(?i)^\s*rp\.?\s*", "", str(text or "")).replace(" ", "").replace("\u00a0", "")
    if not t:
        raise ValueError("empty")
    if "," in t and "." in t:
        if t.rfind(",") > t.rfind("."):
            t = t.replace(".", "").replace(",", ".")
        else:
            t = t.replace(",", "")
    elif "." in t:
        if re.fullmatch(r"\d{1,3}(\.\d{3})+", t):
            t = t.replace(".", "")
    elif "," in t:
        t = t.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+", t) else t.replace(",", ".")
    try:
        value = Decimal(t)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value


_ACCOUNT_SEPARATORS = re.compile(r"[,;\n\r]+")
_ACCOUNT_AT_START = re.compile(r"(\d[\d.]*)(.*)", re.S)


def parse_accounts(text: str) -> list[str]:
    """The account codes of one cell, in order: several separated by comma, semicolon or new line, each
    may be followed by its name ("5.1.02.01.01.0024 Belanja Alat Tulis Kantor"). ValidationError for a
    code out of the 90/2019 structure, ValueError for a cell that holds no code."""
    codes: list[str] = []
    for part in _ACCOUNT_SEPARATORS.split(text or ""):
        part = part.strip()
        if not part:
            continue
        m = _ACCOUNT_AT_START.match(part)
        if m is None:
            if codes:
                continue  # the rest of an account name that held a comma
            raise ValueError(part)
        code, rest = m.group(1).rstrip("."), m.group(2)
        if rest[:1].isalnum():
            code += rest.split()[0]  # "5.1.02x": let the model say what is wrong with it
        code = clean_account_code(code)
        if code not in codes:
            codes.append(code)
    return codes


def _norm(text: str) -> str:
    return " ".join(str(text or "").lower().split())


def _loose(text: str) -> str:
    """A name with case, accents and punctuation dropped: "Lemari Es/Kulkas" == "lemari es - kulkas"."""
    ascii_text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[0-9a-z]+", ascii_text.lower()))


def entry_key(e: SshEntry) -> str:
    """The key of a new item type made from an SSH entry: from its code, else from its name."""
    if e.code:
        return ("ssh_" + re.sub(r"[^0-9A-Za-z]+", "_", e.code).strip("_"))[:60]
    return (_loose(e.name).replace(" ", "_") or "ssh")[:60]


def require_catalog(project) -> None:
    """An empty catalog matches nothing: say so, and how to fill it, before reading any row."""
    if project.session.scalar(select(ItemType.id).limit(1)) is None:
        raise ImportRefused([RowError(0, "", _(
            "This project's catalog is empty (no item types), so no row can be matched. A project made with "
            "`mpp-planner new` or File ▸ New… starts with the standard catalog and its reference prices; here, "
            "add the item types first (Inventory & Needs ▸ Catalog…)."))])


def preview(project, source: Path) -> PricePlan:
    """Read ``source`` and match every row; never changes the project."""
    require_catalog(project)
    source = Path(source)
    table = read_table(source, ALIASES, ["price"])
    if any(c in table.columns for c in SIPD_COLUMNS):
        return _preview_sipd(project, source, table)
    if "key" not in table.columns and "name" not in table.columns:
        raise ImportRefused([RowError(1, "", _("The price list needs a key column (kode/key) or a name column "
                                               "(nama/uraian/name)."))])
    types = list(project.session.scalars(select(ItemType)))
    by_key = {t.key.lower(): t for t in types}
    by_name: dict[str, list[ItemType]] = {}
    for t in types:
        by_name.setdefault(_norm(t.name), []).append(t)
    plan = PricePlan(source)
    seen: dict[int, int] = {}
    for number, row in table.rows:
        key, name = row.get("key", ""), row.get("name", "")
        if key:
            it = by_key.get(key.lower())
            if it is None:
                plan.errors.append(RowError(number, "key", _("unknown item type '{key}'.").format(key=key)))
                continue
        elif name:
            matches = by_name.get(_norm(name), [])
            if not matches:
                plan.errors.append(RowError(number, "name", _("unknown item type '{name}'.").format(name=name)))
                continue
            if len(matches) > 1:
                plan.errors.append(RowError(number, "name", _("'{name}' matches several item types; use the key."
                                                              ).format(name=name)))
                continue
            it = matches[0]
        else:
            plan.errors.append(RowError(number, "", _("neither a key nor a name.")))
            continue
        if it.id in seen:
            plan.errors.append(RowError(number, "", _("'{name}' already appears in row {row}.").format(
                name=it.name, row=seen[it.id])))
            continue
        seen[it.id] = number
        try:
            price = clean_money("ref_price", parse_price(row.get("price", "")))
        except (ValueError, ValidationError) as exc:
            message = exc.message if isinstance(exc, ValidationError) else _(
                "'{value}' is not a price.").format(value=row.get("price", ""))
            plan.errors.append(RowError(number, "price", message))
            continue
        unit = row.get("unit", "")
        if unit and unit.strip().lower() != it.unit.lower():
            plan.errors.append(RowError(number, "unit", _(
                "the price is per '{unit}' but '{name}' is counted in '{catalog}'.").format(
                unit=unit, name=it.name, catalog=it.unit)))
            continue
        fields: dict = {}
        if price != it.ref_price:
            fields["ref_price"] = price
        spec = row.get("specification", "")
        if spec and spec != it.specification:
            fields["specification"] = spec
        code = row.get("account_code", "")
        if code:
            try:
                code = clean_account_code(code)
            except ValidationError as exc:
                plan.errors.append(RowError(number, "account_code", exc.message))
                continue
            if code != it.account_code:
                fields["account_code"] = code
        plan.changes.append(PriceChange(number, it.id, it.key, it.name, it.unit, it.ref_price, price, fields))
    if not plan.changes and not plan.errors:
        plan.errors.append(RowError(0, "", _("The price list has no rows.")))
    return plan


# --- SIPD's SSH export --------------------------------------------------------------------------

def _unit_differs(e: SshEntry, it: CatalogEntry) -> bool:
    return bool(e.unit) and e.unit.strip().lower() != it.unit.lower()


def _unit_message(e: SshEntry, it: CatalogEntry) -> str:
    return _("the price is per '{unit}' but '{name}' is counted in '{catalog}'.").format(
        unit=e.unit, name=it.name, catalog=it.unit)


def _entry_fields(e: SshEntry, it: CatalogEntry) -> dict:
    """What an SSH entry changes on the item type it prices: the price, the specification, the SSH code,
    the allowed accounts, and the item type's own account when the SSH does not allow it (the first allowed)."""
    fields: dict = {}
    if e.price != it.ref_price:
        fields["ref_price"] = e.price
    if e.specification and e.specification != it.specification:
        fields["specification"] = e.specification
    if e.code and e.code != it.standard_price_code:
        fields["standard_price_code"] = e.code
    if e.accounts:
        allowed = sorted(set(e.accounts))
        if allowed != list(it.allowed_accounts):
            fields["allowed_accounts"] = allowed
        if it.account_code not in allowed:
            fields["account_code"] = e.accounts[0]
    return fields


def _read_entries(plan: PricePlan, table: Table) -> list[SshEntry]:
    """The rows as SSH entries (rows of one code merged); row errors go to the plan."""
    col = plan.column
    entries: dict[str, SshEntry] = {}
    years: dict[int, int] = {}  # tahun_anggaran -> its first row
    for i, (number, row) in enumerate(table.rows):
        if i % 500 == 0:
            checkpoint(i, len(table.rows), _("Reading row {n}…").format(n=number))
        before = len(plan.errors)
        try:
            code = clean_standard_price_code(row.get("kode_standar_harga", ""))
        except ValidationError as exc:
            plan.errors.append(RowError(number, "kode_standar_harga", exc.message))
            code = ""
        try:
            price = clean_money("ref_price", parse_price(row.get("price", "")))
        except (ValueError, ValidationError) as exc:
            plan.errors.append(RowError(number, col("price"), exc.message if isinstance(exc, ValidationError) else _(
                "'{value}' is not a price.").format(value=row.get("price", ""))))
            price = Decimal(0)
        accounts: list[str] = []
        try:
            accounts = parse_accounts(row.get("account_code", ""))
        except ValidationError as exc:
            plan.errors.append(RowError(number, col("account_code"), exc.message))
        except ValueError:
            plan.errors.append(RowError(number, col("account_code"), _("'{value}' holds no account code.").format(
                value=row.get("account_code", ""))))
        year_text = row.get("tahun_anggaran", "")
        if year_text:
            if re.fullmatch(r"(19|20|21)\d\d", year_text):
                years.setdefault(int(year_text), number)
            else:
                plan.errors.append(RowError(number, "tahun_anggaran", _("'{value}' is not a year.").format(
                    value=year_text)))
        name, key = " ".join(row.get("name", "").split()), row.get("key", "")
        if not code and not name and not key:
            plan.errors.append(RowError(number, "", _("neither an SSH code nor a name.")))
        if len(plan.errors) > before:
            continue
        ident = code or (f"id:{row['id_standar_harga']}" if row.get("id_standar_harga") else f"row:{number}")
        entry = entries.get(ident)
        if entry is None:
            entries[ident] = SshEntry(number, code, name, row.get("specification", ""), row.get("unit", ""), price,
                                      accounts, row.get("nama_kel_standar_harga", ""), key)
        elif price != entry.price:
            plan.errors.append(RowError(number, col("price"), _(
                "SSH entry {code} costs {price} here but {other} in row {row}.").format(
                code=code or name, price=rupiah(price), other=rupiah(entry.price), row=entry.row)))
        else:
            entry.accounts += [a for a in accounts if a not in entry.accounts]
    if len(years) > 1:
        plan.errors.append(RowError(0, "tahun_anggaran", _(
            "The list holds the SSH of several years ({years}); export one year.").format(
            years=", ".join(str(y) for y in sorted(years)))))
    plan.year = next(iter(years), None)
    return list(entries.values())


def _preview_sipd(project, source: Path, table: Table) -> PricePlan:
    plan = PricePlan(source, sipd=True)
    if not {"kode_standar_harga", "name", "key"} & set(table.columns):
        raise ImportRefused([RowError(1, "", _("The SSH list needs a kode_standar_harga or a nama_standar_harga "
                                               "column."))])
    entries = _read_entries(plan, table)
    types = [CatalogEntry.of(t) for t in project.session.scalars(select(ItemType).order_by(ItemType.id))]
    plan.catalog = {t.id: t for t in types}
    by_code: dict[str, list[CatalogEntry]] = {}
    by_key = {t.key.lower(): t for t in types}
    by_name: dict[str, list[CatalogEntry]] = {}
    by_loose: dict[str, list[CatalogEntry]] = {}
    for t in types:
        if t.standard_price_code:
            by_code.setdefault(t.standard_price_code, []).append(t)
        by_name.setdefault(_norm(t.name), []).append(t)
        by_loose.setdefault(_loose(t.name), []).append(t)
    taken: dict[int, int] = {}  # item type id -> the row that prices it
    found: list[tuple[SshEntry, CatalogEntry, str]] = []

    def take(e: SshEntry, it: CatalogEntry, how: str) -> None:
        taken[it.id] = e.row
        found.append((e, it, how))

    rest: list[SshEntry] = []
    for e in entries:  # 1. by code: every item type carrying it (a code never stays unmatched when one does)
        if e.code and by_code.get(e.code):
            for it in by_code[e.code]:
                take(e, it, _("by SSH code"))
        else:
            rest.append(e)
    left: list[SshEntry] = []
    for e in rest:  # 2. by key: a key column, or the key a new item type gets from the code
        keys = [k.lower() for k in (e.key, entry_key(e) if e.code else "") if k]
        hit = next((by_key[k] for k in keys if k in by_key and by_key[k].id not in taken), None)
        if hit is not None:
            take(e, hit, _("by key"))
        else:
            left.append(e)
    for e in left:  # 3. by name: one item type, not priced by another row
        candidates = [t for t in by_name.get(_norm(e.name), []) if t.id not in taken] if e.name else []
        if not candidates and e.name:
            candidates = [t for t in by_loose.get(_loose(e.name), []) if t.id not in taken]
        if len(candidates) == 1:
            take(e, candidates[0], _("by name"))
        else:
            plan.unmatched.append(e)
    for e, it, how in sorted(found, key=lambda f: (f[0].row, f[1].id)):
        if _unit_differs(e, it):
            plan.errors.append(RowError(e.row, plan.column("unit"), _unit_message(e, it)))
            continue
        plan.changes.append(PriceChange(e.row, it.id, it.key, it.name, it.unit, it.ref_price, e.price,
                                        _entry_fields(e, it), e.code, how, list(e.accounts)))
    plan.unmatched.sort(key=lambda e: e.row)
    _guess(plan.unmatched, [t for t in types if t.id not in taken])
    if not entries and not plan.errors:
        plan.errors.append(RowError(0, "", _("The price list has no rows.")))
    return plan


def _guess(entries: list[SshEntry], types: list[CatalogEntry]) -> None:
    """Offer each unmatched entry the item type whose name comes closest, in the same unit; each item type
    to one entry at most (the closest pair first). Names are compared only when they share a word."""
    by_id = {t.id: t for t in types}
    names = {t.id: _loose(t.name) for t in types}
    matchers = {t.id: SequenceMatcher(None, "", names[t.id], autojunk=False) for t in types}  # the b side is kept
    words_of = {t.id: set(names[t.id].split()) for t in types}
    index: dict[str, list[int]] = {}
    for t in types:
        for word in words_of[t.id]:
            index.setdefault(word, []).append(t.id)
    pairs = []
    for i, e in enumerate(entries):
        if i % 500 == 0:
            checkpoint(i, len(entries), _("Matching row {n}…").format(n=e.row))
        name = _loose(e.name)
        words = set(name.split())
        shared = Counter(type_id for word in words for type_id in index.get(word, ()))
        for type_id, n in shared.most_common(20):
            matcher = matchers[type_id]
            if 2 * n < SHARED_WORDS * (len(words) + len(words_of[type_id])):
                break  # too few words in common here, and below (most in common first)
            if e.unit and e.unit.strip().lower() != by_id[type_id].unit.lower():
                continue
            matcher.set_seq1(name)
            if matcher.real_quick_ratio() >= GUESS_AT and matcher.quick_ratio() >= GUESS_AT:
                score = matcher.ratio()
                if score >= GUESS_AT:
                    pairs.append((-score, e.row, type_id, e))
    used_rows: set[int] = set()
    used_types: set[int] = set()
    for _score, row, type_id, e in sorted(pairs, key=lambda p: p[:3]):
        if row not in used_rows and type_id not in used_types:
            e.guess = type_id
            used_rows.add(row)
            used_types.add(type_id)


# --- the command line ---------------------------------------------------------------------------

def add_arguments(parser) -> None:
    """The price import's own option on the command line."""
    parser.add_argument("--create-unmatched", action="store_true",
                        help=_("SIPD's SSH export: add the entries no catalog item matches as new item types "
                               "(default: list them as a warning and skip them)"))


def options(args) -> dict:
    return {"create_unmatched": bool(getattr(args, "create_unmatched", False))}


def prepare(project, source: Path, *, create_unmatched: bool = False):
    """The registry entry point: the one command, or ImportRefused with every row error. Unmatched SSH
    entries are created (``create_unmatched``) or skipped, and the command's ``warnings`` list them; when
    nothing matched and nothing is created, that is a refusal."""
    plan = preview(project, source)
    if plan.errors:
        raise ImportRefused(plan.errors)
    if plan.unmatched and not plan.changes and not create_unmatched:
        raise ImportRefused([RowError(e.row, plan.column("name"), _("no catalog item matches {code} '{name}'.").format(
            code=e.code or "-", name=e.name)) for e in plan.unmatched], _(
            "Use --create-unmatched to add them as new item types, or map them in Inventory & Needs ▸ Import SSH "
            "prices…."))
    mapping = {e.row: CREATE for e in plan.unmatched} if create_unmatched else {}
    return plan.command(mapping, project)
