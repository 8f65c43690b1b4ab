"""An existing KIR or asset register -> inventory rows (added, all of them or none).

The register may be a clean table or a real export (SIMDA BMD / SIMBADA, or Excel kept by hand):
:mod:`mpp_planner.importers.register` finds the header under the title block, fills merged cells,
and maps columns by Indonesian or English names (or as the user maps them). Each row names its room
(``Ruangan``, optionally with ``Lantai``; or one room for the whole card in the title block) and its
item type by catalog key or name (exactly, else the one catalog name the row's name contains or is
contained in). Quantities are checked against the item type's unit (whole units take whole numbers).

The kode barang (Permendagri 108/2016, "Kode Barang" / "No. Kode Barang") becomes the row's asset code
and the register number ("Register" / "No. Register") its register code; a kode barang written with the
register number after it ("1.3.2.05.01.04.001.000003", "… / 0003") is split when no register column
gives the number. A code the model refuses (not seven levels, e.g. an old 17/2007 code) is a row error.

Unknown item types and bad values are row errors. Unknown rooms are row errors too, unless the
import creates them: on the floor the row names, else on the floor "Belum ditempatkan" (a room must
have an outline, so each gets a 3 x 3 m square beside the drawn plan, to be reshaped or redrawn).
With any error nothing is imported, otherwise everything is added in ONE undoable command.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from mpp_planner.i18n import N_, _
from mpp_planner.importers.prices import parse_price
from mpp_planner.importers.register import IGNORE, Layout, Sheet, detect, load_sheet
from mpp_planner.importers.table import ImportRefused, RowError, normalise_header
from mpp_planner.jobs import checkpoint
from mpp_planner.model import Floor, ItemType, Room, ValidationError
from mpp_planner.model.labels import FIELD_LABELS

HELP = N_("add inventory rows (KIR) from a spreadsheet")

ALIASES = {
    "floor": ["floor", "lantai", "nama_lantai"],
    "room": ["room", "ruangan", "ruang", "nama_ruangan", "nama_ruang", "lokasi", "lokasi_ruangan", "room_name"],
    "key": ["key", "item_key", "kode", "kode_item", "kode_katalog"],
    "name": ["name", "item", "nama", "nama_barang", "jenis_barang", "nama_jenis_barang", "barang",
             "nama_jenis", "jenis_nama_barang", "uraian", "uraian_barang", "item_name"],
    "quantity": ["quantity", "qty", "jumlah", "jumlah_barang", "banyaknya", "banyak_barang", "volume"],
    "condition": ["condition", "kondisi", "keadaan", "keadaan_barang", "kondisi_barang"],
    "brand_model": ["brand_model", "brand", "merk", "merk_model", "merek", "merek_model", "model", "merk_type",
                    "merk_tipe", "merek_tipe", "merek_type", "type", "tipe"],
    "serial_no": ["serial_no", "serial", "no_seri", "no_seri_pabrik", "nomor_seri", "nomor_seri_pabrik"],
    "size": ["size", "ukuran"],
    "material": ["material", "bahan"],
    "year": ["year", "tahun", "tahun_pembelian", "tahun_pembuatan_pembelian", "tahun_pembuatan", "tahun_perolehan",
             "tahun_pengadaan", "tahun_beli"],
    "asset_code": ["asset_code", "no_kode_barang", "kode_barang", "nomor_kode_barang", "kode_aset", "kd_barang",
                   "kd_brg", "kode_brg", "kode_barang_108"],
    "register_code": ["register_code", "register", "no_register", "nomor_register", "no_reg", "reg", "register_no",
                      "kode_inventaris", "no_inventaris", "nomor_inventaris"],
    "purchase_price": ["purchase_price", "harga", "harga_beli", "harga_beli_perolehan", "harga_perolehan",
                       "harga_satuan", "harga_satuan_perolehan", "nilai_perolehan", "unit_price", "price"],
    "total_price": ["total_price", "jumlah_harga", "harga_total", "total_harga", "nilai", "nilai_total",
                    "jumlah_nilai", "jumlah_harga_perolehan", "nilai_aset"],
    "notes": ["notes", "keterangan", "catatan", "ket"],
}
#: the fields in the order the mapping step offers them, with their names there
FIELDS = {
    "room": N_("Room"), "floor": N_("Floor"), "name": N_("Item (name)"), "key": N_("Item (catalog key)"),
    "quantity": N_("Quantity"), "condition": N_("Condition"), "brand_model": N_("Brand / model"),
    "serial_no": N_("Serial number"), "size": N_("Size"), "material": N_("Material"), "year": N_("Year"),
    "asset_code": N_("Item code (kode barang)"), "register_code": N_("Register number"),
    "purchase_price": N_("Unit price"), "total_price": N_("Total price"), "notes": N_("Notes"),
}
#: words ``--map`` accepts for a field besides its name and the header aliases
FIELD_WORDS = {"item": "name", "code": "asset_code", "price": "purchase_price", "total": "total_price",
               "serial": "serial_no", "register": "register_code"}
IGNORE_WORDS = frozenset({"-", "ignore", "none", "skip", "abaikan", "lewati"})
#: labels of a field given once in the title block of a room's card
TITLE_LABELS = {"ruangan": "room", "ruang": "room", "nama_ruangan": "room", "nama_ruang": "room", "room": "room",
                "lantai": "floor", "floor": "floor"}
DATA_FIELDS = ("key", "name", "quantity")
CONDITION_WORDS = {"b": "B", "baik": "B", "good": "B", "kb": "KB", "kurang baik": "KB", "fair": "KB",
                   "rb": "RB", "rusak berat": "RB", "rusak": "RB", "broken": "RB"}
TEXT_FIELDS = ("brand_model", "serial_no", "size", "material", "notes")
#: a kode barang with the register number written after it: "1.3.2.05.01.04.001.000003", "… / 0003"
CODE_WITH_REGISTER = re.compile(r"^(\d\.\d\.\d\.\d{2}\.\d{2}\.\d{2}\.\d{3})\s*[./\-]\s*(\d+)$")
#: the floor that takes created rooms when the row names none (data, so always Indonesian)
UNPLACED_FLOOR = "Belum ditempatkan"
NEW_ROOM_SIZE, NEW_ROOM_GAP, NEW_ROOMS_PER_ROW = 3000, 1000, 6  # mm


def key_of(text: str) -> str:
    """Names compared without case, spacing or punctuation ("Gudang Lt.1" = "GUDANG LT. 1")."""
    return " ".join(re.findall(r"[^\W_]+", str(text or "").lower()))


def field_label(name: str) -> str:
    return _(FIELDS.get(name) or FIELD_LABELS.get(name, name))


# --- reading and mapping -------------------------------------------------------------------

def read_register(source: str | Path, names: Mapping[str, str] | None = None,
                  header_row: int | None = None) -> tuple[Sheet, Layout]:
    """Read the file and find its table (no project needed: the GUI runs this in a worker)."""
    sheet = load_sheet(Path(source), ALIASES)
    return sheet, layout_of(sheet, names, header_row)


def layout_of(sheet: Sheet, names: Mapping[str, str] | None = None, header_row: int | None = None) -> Layout:
    return detect(sheet, ALIASES, names=names, header_row=header_row, data_fields=DATA_FIELDS,
                  title_labels=TITLE_LABELS)


def resolve_field(text: str) -> str | None:
    """A field from what a user calls it: its name, a header alias, "item", or "-"/"ignore"."""
    word = normalise_header(text)
    if text.strip() in IGNORE_WORDS or word in IGNORE_WORDS:
        return IGNORE
    if word in FIELDS:
        return word
    if word in FIELD_WORDS:
        return FIELD_WORDS[word]
    return next((f for f, names in ALIASES.items() if word in names), None)


def parse_map(specs: Iterable[str]) -> dict[str, str]:
    """``["Nama Barang=item,Ruang=room", "C=-"]`` -> {column: field}; ValueError names a bad part."""
    names: dict[str, str] = {}
    for spec in specs:
        for part in spec.split(","):
            if not part.strip():
                continue
            column, sep, target = part.rpartition("=")
            if not sep or not column.strip():
                raise ValueError(_("'{part}' is not COLUMN=FIELD (e.g. \"Nama Barang=item\").").format(
                    part=part.strip()))
            name = resolve_field(target)
            if name is None:
                raise ValueError(_("unknown field '{field}'; the fields are: {fields}, or '-' to skip a column."
                                   ).format(field=target.strip(), fields=", ".join(FIELDS)))
            names[column.strip()] = name
    return names


# --- checking ------------------------------------------------------------------------------

@dataclass
class PlannedRow:
    """One register row, checked: plain values only (it may have been read on another connection)."""

    row: int
    item_type_id: int
    item_name: str
    room_id: int | None  # an existing room, or None with ``new_room``
    new_room: tuple[str, str] | None  # (floor key, room key) of a room the import would create
    fields: dict


@dataclass
class NewRoom:
    name: str
    floor: str  # as the file writes it; "" = no floor given
    rows: list[int] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.floor})" if self.floor else self.name


@dataclass
class InventoryPlan:
    """What the import would add, and why it would not (the preview and the import use the same)."""

    source: Path
    layout: Layout
    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[RowError] = field(default_factory=list)  # every row error but unknown rooms
    new_rooms: dict[tuple[str, str], NewRoom] = field(default_factory=dict)

    def errors(self, create_rooms: bool = False) -> list[RowError]:
        errors = list(self.problems)
        if not create_rooms:
            column = self.layout.header_of("room") or field_label("room")
            for room in self.new_rooms.values():
                errors += [RowError(r, column, _("unknown room '{room}'.").format(room=room.label))
                           for r in room.rows]
        if not errors and not self.rows:
            errors.append(RowError(0, "", _("The file has no rows.")))
        return sorted(errors, key=lambda e: e.row)

    def ok(self, create_rooms: bool = False) -> bool:
        return not self.errors(create_rooms)

    def unknown_rooms_text(self) -> str:
        return ", ".join(r.label for r in self.new_rooms.values())

    def refusal(self, create_rooms: bool, hint: str = "") -> ImportRefused:
        return ImportRefused(self.errors(create_rooms), hint if self.new_rooms and not create_rooms else "")

    def command(self, project, create_rooms: bool = False):
        """The import as ONE command on ``project`` (built again here, so it belongs to ``project``'s
        session); raises :class:`ImportRefused` when any row is refused."""
        from mpp_planner.commands.generic import AddObjects
        from mpp_planner.commands.inventory import new_inventory_item

        if not self.ok(create_rooms):
            raise self.refusal(create_rooms)
        floors, rooms = _new_rooms(project, self.new_rooms.values()) if create_rooms else ([], {})
        items, errors = [], []
        for planned in self.rows:
            fields = dict(planned.fields, item_type_id=planned.item_type_id)
            if planned.room_id is not None:
                fields["room_id"] = planned.room_id
            try:
                item = new_inventory_item(project, fields)
            except ValidationError as exc:  # the project changed since the check
                errors.append(RowError(planned.row, field_label(exc.field), exc.message))
                continue
            if planned.new_room is not None:
                item.room = rooms[planned.new_room]
            items.append(item)
        if errors:
            raise ImportRefused(errors)
        new = [*floors, *rooms.values()]
        if new:
            text = _("Import {n} inventory row(s) and {r} new room(s) from {file}").format(
                n=len(items), r=len(rooms), file=self.source.name)
        else:
            text = _("Import {n} inventory row(s) from {file}").format(n=len(items), file=self.source.name)
        return AddObjects(text, [*new, *items])


def _new_rooms(project, wanted: Iterable[NewRoom]) -> tuple[list[Floor], dict[tuple[str, str], Room]]:
    """Rooms for the rows whose room is unknown: on the floor the row names (created when missing),
    else on :data:`UNPLACED_FLOOR`; 3 x 3 m squares in rows to the right of what the floor holds."""
    s = project.session
    floors = {key_of(f.name): f for f in s.scalars(select(Floor))}
    order = max((f.order for f in floors.values()), default=0)
    created: list[Floor] = []
    slots: dict[str, list[int]] = {}  # floor key -> [left, top, rooms placed]
    rooms: dict[tuple[str, str], Room] = {}
    for new in wanted:
        floor_name = new.floor or UNPLACED_FLOOR
        fkey = key_of(floor_name)
        floor = floors.get(fkey)
        if floor is None:
            order += 1
            floor = floors[fkey] = Floor(name=floor_name, order=order)
            created.append(floor)
        if fkey not in slots:
            xs, ys = [], []
            if floor.id is not None:
                for outline in s.scalars(select(Room.outline).where(Room.floor_id == floor.id)):
                    xs += [p[0] for p in outline]
                    ys += [p[1] for p in outline]
            slots[fkey] = [max(xs) + 2 * NEW_ROOM_GAP if xs else 0, min(ys) if ys else 0, 0]
        left, top, n = slots[fkey]
        slots[fkey][2] += 1
        x = left + (n % NEW_ROOMS_PER_ROW) * (NEW_ROOM_SIZE + NEW_ROOM_GAP)
        y = top + (n // NEW_ROOMS_PER_ROW) * (NEW_ROOM_SIZE + NEW_ROOM_GAP)
        size = NEW_ROOM_SIZE
        room = Room(name=new.name, kind="other", outline=[[x, y], [x + size, y], [x + size, y + size], [x, y + size]])
        if floor.id is None:
            room.floor = floor  # both new: added together
        else:
            room.floor_id = floor.id  # never through the relationship: that would put the room in the session now
        rooms[(key_of(new.floor), key_of(new.name))] = room
    return created, rooms


def parse_condition(text: str) -> str | None:
    """"B", "Baik", "Baik (B)", "kurang baik", "RB" … -> B/KB/RB; None when it is none of them."""
    words = {normalise_header(k): v for k, v in CONDITION_WORDS.items()}
    t = str(text or "").strip()
    inner = re.findall(r"\(([^)]*)\)", t)
    for variant in (t, re.sub(r"\([^)]*\)", " ", t), *inner):
        found = words.get(normalise_header(variant))
        if found:
            return found
    return None


def split_asset_code(code: str, register: str) -> tuple[str, str]:
    """(kode barang, register number) from a register's two cells: a kode barang with a number after
    it gives that number when the register cell is empty ("1.3.2.05.01.04.001.000003", "")."""
    m = CODE_WITH_REGISTER.match(code.strip())
    if m is None:
        return code.strip(), register.strip()
    return m.group(1), register.strip() or m.group(2)


def parse_year(text: str) -> str:
    """A year from "2019", "2019.0", or a date ("2019-05-01", "01/05/2019"); else the text as written."""
    t = str(text or "").strip()
    if re.fullmatch(r"\d{4}(\.0+)?", t):
        return t[:4]
    if re.fullmatch(r"[\d\s./-]+", t):
        years = re.findall(r"(?<!\d)(?:19|20)\d{2}(?!\d)", t)
        if len(years) == 1:
            return years[0]
    return t


def parse_quantity(text: str) -> str:
    """"2", "2 unit", "2 Bh" -> "2" (the unit word is the catalog's business)."""
    m = re.fullmatch(r"\s*(\d[\d.,]*)\s*[^\W\d_]+\.?\s*", str(text or ""))
    return m.group(1) if m else str(text or "").strip()


class _Catalog:
    """Item types by key and by name; a name that is neither finds the one type it contains or is part of."""

    def __init__(self, types: list[ItemType]):
        self.by_key = {t.key.lower(): t for t in types}
        self.by_name: dict[str, list[ItemType]] = {}
        self.tokens: list[tuple[frozenset[str], ItemType]] = []
        for t in types:
            self.by_name.setdefault(key_of(t.name), []).append(t)
            self.tokens.append((frozenset(key_of(t.name).split()), t))
        self._found: dict[str, tuple[ItemType | None, str]] = {}

    def find(self, key: str, name: str) -> tuple[ItemType | None, str]:
        """(item type, "") or (None, why)."""
        if key:
            it = self.by_key.get(key.strip().lower())
            if it is not None or not name:
                return it, _("unknown item type '{item}'.").format(item=key)
        return self.by_text(name)

    def by_text(self, name: str) -> tuple[ItemType | None, str]:
        k = key_of(name)
        if k not in self._found:
            self._found[k] = self._match(name, k)
        return self._found[k]

    def _match(self, name: str, k: str) -> tuple[ItemType | None, str]:
        found = self.by_name.get(k, [])
        if len(found) == 1:
            return found[0], ""
        if len(found) > 1:
            return None, _("'{name}' matches several item types; use the key.").format(name=name)
        it = self.by_key.get(name.strip().lower())
        if it is not None:
            return it, ""
        words = frozenset(k.split())
        if words:
            # the catalog name is part of the row's ("Kursi Tunggu 3 Dudukan Besi"): the longest such name
            inside = [(len(w), t) for w, t in self.tokens if w and w <= words]
            if inside:
                longest = max(n for n, _t in inside)
                best = [t for n, t in inside if n == longest]
                if len(best) == 1:
                    return best[0], ""
                return None, self._several(name, best)
            # the row's name is part of one catalog name ("Kulkas" in "Lemari Es / Kulkas 2 Pintu")
            around = [t for w, t in self.tokens if words <= w]
            if len(around) == 1:
                return around[0], ""
            if around:
                return None, self._several(name, around)
        return None, _("unknown item type '{item}'.").format(item=name)

    @staticmethod
    def _several(name: str, types: list[ItemType]) -> str:
        shown = ", ".join(f"{t.name} ({t.key})" for t in types[:5]) + (", …" if len(types) > 5 else "")
        return _("'{name}' could be any of: {types}; write the catalog key or the exact name.").format(
            name=name, types=shown)


def _refused_name(cls, name: str, field_name: str) -> tuple[str, str] | None:
    try:
        cls(name=name)
    except ValidationError as exc:
        return field_name, exc.message
    return None


def check(project, sheet: Sheet, layout: Layout) -> InventoryPlan:
    """Match and check every data row against ``project`` (never changes it)."""
    from mpp_planner.commands.inventory import new_inventory_item

    plan = InventoryPlan(sheet.source, layout)
    given = set(layout.mapping.values()) | {f for f in layout.title if f in ("room", "floor")}
    missing = []
    if "room" not in given:
        missing.append(field_label("room"))
    if "key" not in given and "name" not in given:
        missing.append(field_label("name"))
    if missing:
        found = ", ".join(h for h in layout.headers if h)
        plan.problems.append(RowError(layout.header_row, "", _(
            "Missing column(s): {cols}. Found: {found}. Choose the column of each (--map \"COLUMN=FIELD\").").format(
            cols=", ".join(missing), found=found or "—")))
        return plan
    s = project.session
    catalog = _Catalog(list(s.scalars(select(ItemType))))
    rooms: dict[str, list[tuple[str, Room]]] = {}
    for room, floor_name in s.execute(select(Room, Floor.name).join(Floor)):
        rooms.setdefault(key_of(room.name), []).append((key_of(floor_name), room))

    def column(name: str) -> str:
        return layout.header_of(name) or field_label(name)

    total = len(layout.data_rows)
    for i, number in enumerate(layout.data_rows):
        if i % 500 == 0:
            checkpoint(i, total, _("Checking row {n} of {total}…").format(n=i + 1, total=total))
        row = layout.values(sheet, number)
        for name in ("room", "floor"):
            if not row.get(name) and layout.title.get(name):
                row[name] = layout.title[name]

        def fail(name: str, message: str) -> None:
            plan.problems.append(RowError(number, column(name), message))  # noqa: B023 - called within the iteration

        room_name, floor_name = row.get("room", ""), row.get("floor", "")
        room_id, new_room = None, None
        if not room_name:
            fail("room", _("no room given."))
        else:
            candidates = rooms.get(key_of(room_name), [])
            if floor_name:
                candidates = [c for c in candidates if c[0] == key_of(floor_name)]
            if len(candidates) > 1:
                fail("room", _("several rooms are called '{room}'; add the floor (lantai).").format(room=room_name))
            elif candidates:
                room_id = candidates[0][1].id
            else:
                bad = _refused_name(Room, room_name, "room") or (floor_name and _refused_name(
                    Floor, floor_name, "floor"))  # a name the model refuses is an error, not a room to create
                if bad:
                    fail(*bad)
                else:
                    new_room = (key_of(floor_name), key_of(room_name))
                    plan.new_rooms.setdefault(new_room, NewRoom(room_name, floor_name)).rows.append(number)
        it, why = catalog.find(row.get("key", ""), row.get("name", ""))
        if it is None:
            if not row.get("key") and not row.get("name"):
                why = _("no item given.")
            fail("key" if row.get("key") and "key" in layout.mapping.values() else "name", why)
            continue
        fields: dict = {"quantity": parse_quantity(row["quantity"]) if "quantity" in row else 1}
        condition = row.get("condition", "")
        if condition:
            code = parse_condition(condition)
            if code is None:
                fail("condition", _("'{value}' is not B, KB or RB (Baik, Kurang Baik, Rusak Berat).").format(
                    value=condition))
                continue
            fields["condition"] = code
        for name in TEXT_FIELDS:
            if row.get(name):
                fields[name] = row[name]
        asset_code, register = split_asset_code(row.get("asset_code", ""), row.get("register_code", ""))
        if asset_code:
            fields["asset_code"] = asset_code
        if register:
            fields["register_code"] = register
        if row.get("year"):
            fields["year"] = parse_year(row["year"])
        price_field = "purchase_price" if row.get("purchase_price") else "total_price" if row.get(
            "total_price") else ""
        try:
            price = None
            if price_field:
                try:
                    price = parse_price(row[price_field])
                except ValueError:
                    raise ValidationError(price_field, _("'{value}' is not a price.").format(
                        value=row[price_field])) from None
            item = new_inventory_item(project, {**fields, "item_type_id": it.id})
            if price is not None and price_field == "total_price":
                if not item.quantity:
                    raise ValidationError(price_field, _("a total price needs a quantity above zero."))
                price = (price / item.quantity).quantize(Decimal("0.01"))
            if price is not None:
                item.purchase_price = price
                fields["purchase_price"] = item.purchase_price
        except ValidationError as exc:
            fail(exc.field, exc.message)
            continue
        plan.rows.append(PlannedRow(number, it.id, it.name, room_id, new_room, fields))
    return plan


def unknown_rooms_hint(plan: InventoryPlan) -> str:
    return _("Unknown rooms: {rooms}; use --create-rooms or draw them in the Plan tab.").format(
        rooms=plan.unknown_rooms_text())


def add_arguments(parser) -> None:
    """The inventory import's own options on the command line."""
    parser.add_argument("--map", dest="column_map", action="append", default=[], metavar="COLUMN=FIELD,…",
                        help=_("which column holds which field when the names are not recognised, e.g. "
                               "\"Nama Barang=item,Ruang=room\" (a column by its header or letter; '-' skips it)"))
    parser.add_argument("--create-rooms", action="store_true",
                        help=_("create the rooms the plan does not have yet (on the floor the row names, "
                               "else on the floor 'Belum ditempatkan')"))


def options(args) -> dict:
    """``prepare``'s keyword arguments from the parsed command line; ValueError for a bad --map."""
    return {"names": parse_map(getattr(args, "column_map", None) or []),
            "create_rooms": bool(getattr(args, "create_rooms", False))}


def require_rooms_and_catalog(project, create_rooms: bool = False) -> None:
    """Rows name a room and an item type: with no rooms (and none to be created) or an empty catalog,
    say what to do first instead of refusing every row."""
    from mpp_planner.importers.prices import require_catalog

    if not create_rooms and project.session.scalar(select(Room.id).limit(1)) is None:
        raise ImportRefused([RowError(0, "", _(
            "This project has no rooms yet, so no row can find its room: draw them in the Plan tab, import the "
            "architect's plan with `mpp-planner import plan FILE --from PLAN.dxf`, or let this import create "
            "them (--create-rooms)."))])
    require_catalog(project)


def prepare(project, source: Path, *, names: Mapping[str, str] | None = None, create_rooms: bool = False):
    """The registry entry point: the one command, or ImportRefused with every row error."""
    require_rooms_and_catalog(project, create_rooms)
    sheet, layout = read_register(source, names)
    plan = check(project, sheet, layout)
    if not plan.ok(create_rooms):
        raise plan.refusal(create_rooms, unknown_rooms_hint(plan))
    return plan.command(project, create_rooms)
