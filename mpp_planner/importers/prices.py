"""SSH price list (Standar Satuan Harga) -> reference prices of the catalog.

Rows are matched to item types by key (``kode``/``key``) or, without a key, by name
(``nama``/``uraian``/``name``). A row with an unknown item type, a bad price, a unit that is
not the catalog's, or a second row for the same item type is a row error; with any error
nothing is imported. Otherwise all prices change in ONE undoable command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import select

from mpp_planner.i18n import N_, _
from mpp_planner.importers.table import ImportRefused, RowError, read_table
from mpp_planner.model import ItemType, ValidationError
from mpp_planner.model.base import clean_money
from mpp_planner.model.site import clean_account_code

HELP = N_("update catalog reference prices from an SSH price list")

ALIASES = {
    "key": ["key", "kode", "kode_barang", "kode_item", "item_key", "code"],
    "name": ["name", "nama", "nama_barang", "uraian", "uraian_barang", "item", "barang", "jenis_barang"],
    "price": ["price", "harga", "harga_satuan", "harga_ssh", "ref_price", "reference_price", "unit_price", "nilai",
              "harga_rp", "harga_satuan_rp"],
    "unit": ["unit", "satuan"],
    "specification": ["specification", "spesifikasi", "spec"],
    "account_code": ["account_code", "kode_rekening", "rekening", "akun"],
}


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

    @property
    def changed(self) -> bool:
        return bool(self.fields)


@dataclass
class PricePlan:
    """The preview: one change per matched row, and the row errors (import only when none)."""

    source: Path
    changes: list[PriceChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.changes)

    def command(self):
        from mpp_planner.commands.inventory import EditObjects

        changes = {c.item_type_id: c.fields for c in self.changes if c.changed}
        text = _("Import {n} price(s) from {file}").format(n=len(changes), file=self.source.name)
        return EditObjects(text, ItemType, changes)


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


def _norm(text: str) -> str:
    return " ".join(str(text or "").lower().split())


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
        fields = {}
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


def prepare(project, source: Path):
    """The registry entry point: the one command, or ImportRefused with every row error."""
    plan = preview(project, source)
    if plan.errors:
        raise ImportRefused(plan.errors)
    return plan.command()
