"""An existing KIR spreadsheet -> inventory rows (added, all of them or none).

Each row names its room (``ruangan``, optionally with ``lantai``) and its item type by catalog
key or name; quantities are checked against the item type's unit (whole units take whole
numbers). Unknown rooms or item types and bad values are row errors; with any error nothing
is imported, otherwise all rows are added in ONE undoable command.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from mpp_planner.i18n import N_, _
from mpp_planner.importers.prices import _norm, parse_price
from mpp_planner.importers.table import ImportRefused, RowError, read_table
from mpp_planner.model import Floor, ItemType, Room, ValidationError
from mpp_planner.model.labels import FIELD_LABELS

HELP = N_("add inventory rows (KIR) from a spreadsheet")

ALIASES = {
    "floor": ["floor", "lantai"],
    "room": ["room", "ruangan", "ruang", "nama_ruangan", "lokasi"],
    "key": ["key", "item_key", "kode", "kode_item"],
    "name": ["name", "item", "nama", "nama_barang", "jenis_barang", "nama_jenis_barang", "barang"],
    "quantity": ["quantity", "qty", "jumlah", "jumlah_barang"],
    "condition": ["condition", "kondisi", "keadaan", "keadaan_barang"],
    "brand_model": ["brand_model", "brand", "merk", "merk_model", "merek", "merek_model", "model"],
    "serial_no": ["serial_no", "serial", "no_seri", "no_seri_pabrik", "nomor_seri"],
    "size": ["size", "ukuran"],
    "material": ["material", "bahan"],
    "year": ["year", "tahun", "tahun_pembelian", "tahun_pembuatan_pembelian", "tahun_pembuatan"],
    "register_code": ["register_code", "no_kode_barang", "kode_barang", "register", "no_register"],
    "purchase_price": ["purchase_price", "harga", "harga_beli", "harga_beli_perolehan", "harga_perolehan"],
    "notes": ["notes", "keterangan", "catatan"],
}
CONDITION_WORDS = {"b": "B", "baik": "B", "good": "B", "kb": "KB", "kurang baik": "KB", "fair": "KB",
                   "rb": "RB", "rusak berat": "RB", "rusak": "RB", "broken": "RB"}
TEXT_FIELDS = ("brand_model", "serial_no", "size", "material", "register_code", "notes")


def prepare(project, source: Path):
    from mpp_planner.commands.generic import AddObjects
    from mpp_planner.commands.inventory import new_inventory_item

    table = read_table(Path(source), ALIASES, ["room", "quantity"])
    if "key" not in table.columns and "name" not in table.columns:
        raise ImportRefused([RowError(1, "", _("The file needs an item column (kode/key or nama barang/name)."))])
    s = project.session
    types = list(s.scalars(select(ItemType)))
    by_key = {t.key.lower(): t for t in types}
    by_name: dict[str, list[ItemType]] = {}
    for t in types:
        by_name.setdefault(_norm(t.name), []).append(t)
    rooms: dict[str, list[tuple[str, Room]]] = {}
    for room, floor_name in s.execute(select(Room, Floor.name).join(Floor)):
        rooms.setdefault(_norm(room.name), []).append((_norm(floor_name), room))
    errors: list[RowError] = []
    items = []
    for number, row in table.rows:
        candidates = rooms.get(_norm(row.get("room", "")), [])
        if row.get("floor"):
            candidates = [c for c in candidates if c[0] == _norm(row["floor"])]
        if not candidates:
            where = f"{row.get('room', '')}" + (f" ({row['floor']})" if row.get("floor") else "")
            errors.append(RowError(number, "room", _("unknown room '{room}'.").format(room=where)))
            continue
        if len(candidates) > 1:
            errors.append(RowError(number, "room", _("several rooms are called '{room}'; add the floor (lantai)."
                                                     ).format(room=row["room"])))
            continue
        room = candidates[0][1]
        it = None
        if row.get("key"):
            it = by_key.get(row["key"].lower())
        elif row.get("name"):
            found = by_name.get(_norm(row["name"]), [])
            it = found[0] if len(found) == 1 else None
        if it is None:
            what = row.get("key") or row.get("name") or ""
            errors.append(RowError(number, "key" if row.get("key") else "name",
                                   _("unknown item type '{item}'.").format(item=what)))
            continue
        fields = {"item_type_id": it.id, "room_id": room.id, "quantity": row.get("quantity", "")}
        condition = row.get("condition", "").strip()
        if condition:
            fields["condition"] = CONDITION_WORDS.get(condition.lower(), condition)
        for name in TEXT_FIELDS:
            if row.get(name):
                fields[name] = row[name]
        if row.get("year"):
            fields["year"] = row["year"]
        try:
            if row.get("purchase_price"):
                try:
                    fields["purchase_price"] = parse_price(row["purchase_price"])
                except ValueError:
                    raise ValidationError("purchase_price", _("'{value}' is not a price.").format(
                        value=row["purchase_price"])) from None
            items.append(new_inventory_item(project, fields))
        except ValidationError as exc:
            errors.append(RowError(number, _(FIELD_LABELS.get(exc.field, exc.field)), exc.message))
    if not items and not errors:
        errors.append(RowError(0, "", _("The file has no rows.")))
    if errors:
        raise ImportRefused(errors)
    return AddObjects(_("Import {n} inventory row(s) from {file}").format(n=len(items), file=Path(source).name), items)
