"""Kartu Inventaris Ruangan (KIR): the inventory card of each room (MPP_REFERENCE.md §3).

One room per page (PDF: A4 landscape; XLSX: one sheet per room), a header naming the
province, city, unit, work unit, room and location code, the twelve KIR columns (the
condition split into B / KB / RB), a total line, then place and date and the signatures of
the room's responsible officer, the goods administrator (Pengurus Barang) and the head of
unit, each with name and NIP. Printed sheets are always in Indonesian.

"No. Kode Barang" holds the kode barang (Permendagri 108/2016: the row's own, else its item
type's) and the register number together, "1.3.2.05.01.04.001 / 0003", as the card prints them;
the CSV, read by machines, gives them in two columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mpp_planner.reports.output import add_paper_argument, date_option, iso_date
from mpp_planner.formats import long_date, nip as fmt_nip, number, rupiah
from mpp_planner.i18n import N_, _
from mpp_planner.model import Floor, InventoryItem, Room, Signatory
from mpp_planner.model.paper import paper as paper_named

FORMATS = ("pdf", "xlsx", "csv")
HELP = N_("the room inventory cards (KIR), one room per page")

TITLE = "KARTU INVENTARIS RUANGAN (KIR)"
COLUMNS = ("No", "Nama/Jenis Barang", "Merk/Model", "No. Seri Pabrik", "Ukuran", "Bahan",
           "Tahun Pembuatan/ Pembelian", "No. Kode Barang", "Jumlah Barang", "Harga Beli/ Perolehan (Rp)",
           "Keadaan Barang", "Keterangan")
CONDITIONS = ("B", "KB", "RB")
CONDITION_HEADS = ("Baik (B)", "Kurang Baik (KB)", "Rusak Berat (RB)")


def add_arguments(parser) -> None:
    parser.add_argument("--room", metavar="NAME", help=_("only the room(s) with this name"))
    parser.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD",
                        help=_("date printed above the signatures (default: today)"))
    add_paper_argument(parser)


@dataclass
class Signer:
    heading: str
    title: str
    name: str
    nip: str


@dataclass
class RoomCard:
    room: Room
    floor: Floor
    items: list[InventoryItem]

    @property
    def total_quantity(self) -> Decimal:
        return sum((i.quantity for i in self.items), Decimal(0))

    @property
    def total_value(self) -> Decimal:
        return sum((row_value(i) or Decimal(0) for i in self.items), Decimal(0))


@dataclass
class Kir:
    site: object
    cards: list[RoomCard]
    when: date
    signatories: dict[str, Signatory]
    paper: str = "A4"  # A4 or F4 (model.paper)

    def header(self, card: RoomCard) -> list[tuple[str, str]]:
        site = self.site
        return [
            ("PROVINSI", site.province.upper()),
            ("KABUPATEN/KOTA", city_name(site).upper()),
            ("UNIT", site.operator_office.upper()),
            ("SATUAN KERJA", (site.upt_name or site.name).upper()),
            ("RUANGAN", f"{card.room.name} ({card.floor.name})".upper()),
            ("NO. KODE LOKASI", card.room.location_code or "-"),
        ]

    def signers(self, card: RoomCard) -> list[Signer]:
        head = self.signatories.get("head")
        admin = self.signatories.get("goods_admin")
        officer = self.signatories.get("room_officer")
        room = card.room
        officer_name = room.officer_name or (officer.name if officer else "")
        officer_nip = room.officer_nip if room.officer_name else (officer.nip if officer else "")
        return [
            Signer("Mengetahui,", head.title if head else "Kepala Unit", head.name if head else "",
                   head.nip if head else ""),
            Signer("", admin.title if admin else "Pengurus Barang", admin.name if admin else "",
                   admin.nip if admin else ""),
            Signer(f"{self.site.city or '.................'}, {long_date(self.when, lang='id')}",
                   "Penanggung Jawab Ruangan", officer_name, officer_nip),
        ]


def city_name(site) -> str:
    """"KOTA PROBOLINGGO" from the government name "PEMERINTAH KOTA PROBOLINGGO", else the city."""
    gov = (site.government_name or "").strip()
    m = re.match(r"(?i)^pemerintah\s+(.*)$", gov)
    if m:
        return m.group(1)
    return site.city or gov


def row_value(item: InventoryItem) -> Decimal | None:
    """Acquisition value of a KIR row: unit purchase price x quantity."""
    if item.purchase_price is None:
        return None
    return (item.purchase_price * item.quantity).quantize(Decimal("0.01"))


def code_text(item: InventoryItem) -> str:
    """The "No. Kode Barang" cell: kode barang and register number, "1.3.2.05.01.04.001 / 0003" (either
    alone when the other is empty)."""
    return " / ".join(part for part in (item.kode_barang, item.register_code) if part)


def qty_text(q: Decimal) -> str:
    return number(q, 0 if q == q.to_integral_value() else 2, lang="id")


def collect(project, room_name: str | None = None, when: date | None = None) -> Kir:
    """The cards to print: rooms with inventory (or the named rooms, even when empty)."""
    s = project.session
    rows = s.execute(select(Room, Floor).join(Floor).order_by(Floor.order, Floor.id, Room.location_code,
                                                              Room.name)).all()
    if room_name:
        wanted = " ".join(room_name.lower().split())
        rows = [(r, f) for r, f in rows if " ".join(r.name.lower().split()) == wanted]
        if not rows:
            names = sorted({r.name for r, _f in s.execute(select(Room, Floor).join(Floor)).all()})
            raise LookupError(_("No room is called '{name}'. Rooms: {names}").format(
                name=room_name, names=", ".join(names)))
    items = s.scalars(select(InventoryItem).where(InventoryItem.room_id.is_not(None))
                      .options(selectinload(InventoryItem.item_type))
                      .order_by(InventoryItem.room_id, InventoryItem.id)).all()
    by_room: dict[int, list] = {}
    for item in items:
        by_room.setdefault(item.room_id, []).append(item)
    cards = [RoomCard(r, f, by_room.get(r.id, [])) for r, f in rows if room_name or by_room.get(r.id)]
    if not cards:
        raise LookupError(_("No room holds any inventory yet."))
    signatories = {sg.role: sg for sg in s.scalars(select(Signatory))}
    return Kir(project.site, cards, when or date.today(), signatories)


def table_rows(card: RoomCard) -> list[list[str]]:
    """The KIR lines of one room as text (Indonesian number formats)."""
    out = []
    for n, item in enumerate(card.items, 1):
        value = row_value(item)
        cond = ["", "", ""]
        cond[CONDITIONS.index(item.condition)] = qty_text(item.quantity)
        out.append([str(n), item.item_type.name, item.brand_model, item.serial_no, item.size, item.material,
                    str(item.year or ""), code_text(item), f"{qty_text(item.quantity)} {item.item_type.unit}",
                    rupiah(value, symbol=False, lang="id") if value is not None else "", *cond, item.notes])
    return out


def export(project, out: Path, fmt: str, args) -> None:
    from mpp_planner.reports.output import write_atomically

    from mpp_planner.reports.output import paper_option

    when = date_option(args)
    kir = collect(project, getattr(args, "room", None), when)
    kir.paper = paper_named(paper_option(args, project)).name
    if fmt == "pdf":
        write_atomically(out, lambda tmp: write_pdf(kir, tmp))
    elif fmt == "xlsx":
        write_atomically(out, lambda tmp: write_xlsx(kir, tmp))
    else:
        write_csv_file(kir, out)


# --- PDF ---------------------------------------------------------------------------------

def write_pdf(kir: Kir, path: Path) -> None:
    """Landscape on the KIR's paper (A4 or F4), one card per room (drawn by :mod:`mpp_planner.reports.kir_pdf`)."""
    from mpp_planner.reports.kir_pdf import write_pdf as write

    write(kir, path)


# --- XLSX --------------------------------------------------------------------------------

def sheet_title(name: str, used: set[str], tried: dict[str, int] | None = None) -> str:
    """A sheet name for the room ``name`` not in ``used`` (lower case; the name is added): characters a sheet
    name cannot hold become spaces, at most 31 characters, " (2)", " (3)"... after a name already taken.
    ``tried``: the next number to try per name, so the 200th room of one name (scale 200) does not try
    " (2)" to " (199)" again."""
    base = re.sub(r"[\[\]:*?/\\]", " ", name).strip().strip("'").strip()[:31] or "Ruangan"
    title = base
    if title.lower() in used:
        key = base.lower()
        n = tried.get(key, 2) if tried is not None else 2
        while True:
            suffix = f" ({n})"
            title = base[:31 - len(suffix)] + suffix
            if title.lower() not in used:
                break
            n += 1
        if tried is not None:
            tried[key] = n + 1
    used.add(title.lower())
    return title


# Column widths (characters of the default font) for 9 pt text on A4 landscape: about 143
# together, so fit-to-width prints near 100 %. KIR_WRAP: the columns whose text wraps, with the
# 9 pt characters one line of each holds (for the row heights).
KIR_WIDTHS = (4, 22, 15, 12, 9, 10, 9, 17, 7, 12, 4, 4, 4, 16)
SIGN_BLOCKS = ((0, 3), (4, 8), (9, 13))  # columns under each of the three signatures
#: 10 pt characters one line of each signature block holds (its columns' widths are in 11 pt characters)
SIGN_CHARS = tuple(int(sum(KIR_WIDTHS[left:right + 1]) * 1.15) for left, right in SIGN_BLOCKS)
KIR_WRAP = {1: 28, 2: 20, 3: 16, 4: 12, 5: 13, 7: 22, 13: 21}


def write_xlsx(kir: Kir, path: Path) -> None:
    """One sheet per room, laid out like the printed card and set up to print (A4 landscape,
    fit to width, header rows on every page, page numbers, row heights for the wrapped text).

    The JUMLAH row holds live formulas: SUM of Jumlah Barang, Harga and of each of the B / KB /
    RB columns (the quantity in that condition), with the model's totals as the cached results.
    The No. Kode Barang is text, as entered: kode barang and register number in one cell ("code / reg"),
    wrapped, its row as tall as the lines need.

    Streamed sheet by sheet (``xlsx_page.XlsxBook``): time and memory grow with the rooms, not faster
    (XlsxWriter kept all 5,600 sheets of a scale-200 MPP until the end: 26 s, 500 MB). Text is stored as
    text only (never a formula), formula-like user text neutralised as everywhere else.
    """
    from mpp_planner.jobs import checkpoint
    from mpp_planner.reports.output import neutralise
    from mpp_planner.reports.xlsx_page import FONT_SIZE, LINE_PT, Formula, XlsxBook, char_width, wrapped_lines

    with XlsxBook(path) as book:
        border = {"border": 1, "border_color": "#444444", "font_size": FONT_SIZE}
        title_style = book.style(bold=True, font_size=12, align="center")
        label_style = book.style(bold=True, font_size=FONT_SIZE + 1)
        value_style = book.style(font_size=FONT_SIZE + 1)
        head_style = book.style(bold=True, align="center", valign="vcenter", text_wrap=True, bg_color="#E4E9F0",
                                **border)
        body_style = book.style(text_wrap=True, valign="top", **border)
        center_style = book.style(align="center", valign="top", **border)
        code_style = book.style(text_wrap=True, valign="top", num_format="@", **border)
        number_style = book.style(valign="top", **border)
        money_style = book.style(valign="top", num_format="#,##0", **border)
        total_style = book.style(bold=True, align="center", **border)
        total_number_style = book.style(bold=True, **border)
        total_money_style = book.style(bold=True, num_format="#,##0", **border)
        sign_style = book.style(align="center", valign="top", text_wrap=True, font_size=FONT_SIZE + 1)
        across_style = book.style(align="center_across", font_size=FONT_SIZE + 1)
        name_style = book.style(align="center_across", bold=True, underline=1, font_size=FONT_SIZE + 1)
        styles = [center_style, body_style, body_style, body_style, body_style, body_style, center_style,
                  code_style, number_style, money_style, number_style, number_style, number_style, body_style]
        widths = [char_width(w) for w in KIR_WIDTHS]
        wrap_columns = tuple(KIR_WRAP.items())
        paper = paper_named(kir.paper).xlsx_index
        used: set[str] = {"history"}  # a name Excel keeps for itself
        tried: dict[str, int] = {}
        total = len(kir.cards)
        for done, card in enumerate(kir.cards):
            checkpoint(done, total, _("Writing the room inventory cards…"))
            header = kir.header(card)
            top = 3 + len(header)  # the column headings: two rows
            ws = book.sheet(sheet_title(card.room.name, used, tried), widths, titles=(top, top + 1), paper=paper)
            ws.merge(0, 0, 0, 13, TITLE, title_style)
            for r, (label, value) in enumerate(header, 2):
                ws.cell(r, 0, label, label_style)  # runs on over the empty column B
                ws.cell(r, 2, ": " + value if value else ":", value_style)
            ws.height(top, 36)
            for c in range(10):
                ws.merge(top, c, top + 1, c, COLUMNS[c], head_style)
            ws.merge(top, 10, top, 12, "Keadaan Barang", head_style)
            ws.merge(top, 13, top + 1, 13, "Keterangan", head_style)
            ws.row(top + 1, CONDITIONS, head_style, first=10)
            r = first = top + 2
            for n, item in enumerate(card.items, 1):
                price = row_value(item)
                quantity = _plain_number(item.quantity)
                values: list = [n, item.item_type.name, item.brand_model, item.serial_no, item.size,
                                item.material, item.year, code_text(item), quantity, price, None, None, None,
                                item.notes]
                values[10 + CONDITIONS.index(item.condition)] = quantity
                lines = 1
                for c, chars in wrap_columns:
                    v = values[c]
                    if v and isinstance(v, str) and len(v) > chars:
                        lines = max(lines, wrapped_lines(v, chars))
                if lines > 1:
                    ws.height(r, LINE_PT * lines + 3)
                ws.row(r, [None if v == "" else neutralise(v) for v in values], styles)
                r += 1
            ws.merge(r, 0, r, 7, "JUMLAH", total_style)
            by_condition = {c: Decimal(0) for c in CONDITIONS}
            for item in card.items:
                by_condition[item.condition] += item.quantity
            totals = [card.total_quantity, card.total_value, *by_condition.values()]
            for c, cached in zip((8, 9, 10, 11, 12), totals, strict=True):
                fmt = total_money_style if c == 9 else total_number_style
                letter = "IJKLM"[c - 8]
                ws.cell(r, c, Formula(f"SUM({letter}{first + 1}:{letter}{r})", _plain_number(cached)) if r > first
                        else 0, fmt)
            ws.cell(r, 13, None, total_style)
            r += 3
            signers = kir.signers(card)
            # the titles are merged across their block and wrapped: the row as tall as the longest needs
            title_lines = max(2, *(wrapped_lines(sg.title, chars)
                                   for sg, chars in zip(signers, SIGN_CHARS, strict=True)))
            ws.height(r + 1, round(LINE_PT * (FONT_SIZE + 1) / FONT_SIZE * title_lines + 3, 1))
            blocks = [(left, right, (signer.heading, signer.title, "", "", "", signer.name,
                                     "NIP. " + fmt_nip(signer.nip) if signer.nip else "NIP."))
                      for (left, right), signer in zip(SIGN_BLOCKS, signers, strict=True)]
            for k in range(7):
                for left, right, texts in blocks:
                    text = texts[k]
                    if k == 1:
                        ws.merge(r + k, left, r + k, right, neutralise(text) or None, sign_style)
                    elif text:  # one line: centred across the block (cheaper than a merge)
                        fmt = name_style if k == 5 else across_style
                        ws.row(r + k, [neutralise(text)] + [None] * (right - left), fmt, first=left)


def _plain_number(value: Decimal) -> int | Decimal:
    """A whole number as an int (written "3", not "3.00")."""
    return int(value) if value == value.to_integral_value() else value


# --- CSV ---------------------------------------------------------------------------------

CSV_HEADER = ("Lantai", "Ruangan", "No. Kode Lokasi", "No", "Nama/Jenis Barang", "Merk/Model", "No. Seri Pabrik",
              "Ukuran", "Bahan", "Tahun Pembuatan/Pembelian", "No. Kode Barang", "No. Register", "Jumlah Barang",
              "Satuan", "Harga Beli/Perolehan", "Keadaan Barang", "Keterangan")


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")


def write_csv_file(kir: Kir, path: Path) -> None:
    from mpp_planner.reports.output import write_csv

    rows = []
    for card in kir.cards:
        for n, item in enumerate(card.items, 1):
            rows.append([card.floor.name, card.room.name, card.room.location_code, n, item.item_type.name,
                         item.brand_model, item.serial_no, item.size, item.material, item.year or "",
                         item.kode_barang, item.register_code, _plain(item.quantity), item.item_type.unit,
                         _plain(row_value(item)), item.condition, item.notes])
    write_csv(path, CSV_HEADER, rows)
