"""The rincian belanja of one fiscal year in SIPD's own field set (MPP_REFERENCE.md §8), so the lines can be
keyed into SIPD or moved there by a browser helper without retyping, and read back with
``mpp-planner import budget`` (:mod:`mpp_planner.importers.budget_lines`).

One row per line that is not rejected, sub kegiatan by sub kegiatan, then by account code, then in the
lines' own order. ``koefisien`` is the text ("2 Unit x 12 Bulan"); ``vol_n``/``sat_n`` are its factors (empty
beyond their count); ``pajak`` is the PPN rate in percent where the line charges PPN, else 0; ``rincian`` is
the line amount (koefisien × harga + PPN, rounded as in :mod:`mpp_planner.model.money`); ``subs_bl_teks`` is
the group heading ``[#] <room>`` (the floor is added in brackets when two floors have a room of that name);
``ket_bl_teks`` the justification. Field names and values are data, so they are never translated.

XLSX: one sheet ``rincian``, the field names in row 1 (bold, frozen), numbers as numbers. CSV: UTF-8 with
BOM, comma separated, plain numbers with a decimal point and no thousands separator.

``mpp-planner export budget FILE --year 2024 --form sipd -o OUT.xlsx|.csv``
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mpp_planner.i18n import _
from mpp_planner.model import AccountCode, BudgetLine, Room, SubActivity
from mpp_planner.model.budget import MAX_FACTORS
from mpp_planner.model.budget_summary import code_key, is_requested
from mpp_planner.reports.output import write_atomically, write_csv

FORMATS = ("xlsx", "csv")
FIELDS = ("kode_sub_kegiatan", "kode_akun", "nama_akun", "kode_standar_harga", "nama_komponen", "spek_komponen",
          "satuan", "harga_satuan", "vol_1", "vol_2", "vol_3", "vol_4", "sat_1", "sat_2", "sat_3", "sat_4",
          "koefisien", "pajak", "rincian", "subs_bl_teks", "ket_bl_teks")
NUMBER_FIELDS = frozenset({"harga_satuan", "vol_1", "vol_2", "vol_3", "vol_4", "pajak", "rincian"})
MONEY_FIELDS = frozenset({"harga_satuan", "rincian"})
#: long text that wraps in the spreadsheet (so that nothing spills past the last column on paper)
WRAPPED_FIELDS = frozenset({"nama_akun", "nama_komponen", "spek_komponen", "koefisien", "subs_bl_teks",
                            "ket_bl_teks"})
#: the mark SIPD puts before a group heading (subs_bl_teks)
HEADING_MARK = "[#]"
SHEET = "rincian"
# widths in characters, in FIELDS order
XLSX_WIDTHS = (18, 19, 40, 22, 34, 34, 9, 13, 7, 7, 7, 7, 8, 8, 8, 8, 20, 7, 15, 28, 40)


def heading_names(project) -> dict[int, str]:
    """Room id -> the group heading's text: the room's name, with its floor where the name is not unique."""
    rooms = project.session.scalars(select(Room).options(selectinload(Room.floor))).all()
    counts = Counter(r.name.casefold() for r in rooms)
    return {r.id: (f"{r.name} ({r.floor.name})" if counts[r.name.casefold()] > 1 and r.floor is not None
                   else r.name) for r in rooms}


def heading(name: str) -> str:
    """``[#] Ruang Laktasi``: a group heading as SIPD writes it (empty for no group)."""
    return f"{HEADING_MARK} {name}" if name else ""


def rows(project, year: int, sub_activity: str | None = None) -> list[list]:
    """The rows in FIELDS order: text as ``str``, numbers as ``Decimal``, an unused vol_n as None.

    ``sub_activity``: only the lines of this sub kegiatan code (None: every sub kegiatan of the year).
    ValueError when there is nothing to write."""
    s = project.session
    subs = {sub.id: sub for sub in s.scalars(select(SubActivity).where(SubActivity.fiscal_year == year))}
    if sub_activity is not None:
        code = str(sub_activity).strip()
        chosen = [sid for sid, sub in subs.items() if sub.code == code]
        if not chosen:
            raise ValueError(_("The budget of {year} has no sub kegiatan {code}.").format(year=year, code=code))
        subs = {chosen[0]: subs[chosen[0]]}
    lines = [b for b in s.scalars(select(BudgetLine).where(BudgetLine.fiscal_year == year)
                                  .order_by(BudgetLine.position, BudgetLine.id))
             if b.sub_activity_id in subs and is_requested(b)]
    if not lines:
        raise ValueError(_("There are no budget lines to request in {year}.").format(year=year))
    names = dict(s.execute(select(AccountCode.code, AccountCode.name)).all())
    headings = heading_names(project) if any(b.room_id is not None for b in lines) else {}

    def order(b: BudgetLine):
        sub = subs[b.sub_activity_id]
        return sub.position, sub.code, code_key(b.account_code), b.position, b.id

    out = []
    for b in sorted(lines, key=order):
        factors = [(Decimal(str(qty)), unit) for qty, unit in b.factors]
        vols = [qty for qty, _unit in factors] + [None] * (MAX_FACTORS - len(factors))
        sats = [unit for _qty, unit in factors] + [""] * (MAX_FACTORS - len(factors))
        out.append([subs[b.sub_activity_id].code, b.account_code, names.get(b.account_code, ""),
                    b.standard_price_code, b.description, b.specification, b.unit, b.unit_price, *vols, *sats,
                    b.coefficient_text, b.ppn_rate if b.ppn_applied else Decimal(0), b.amount,
                    heading(headings.get(b.room_id, "")) if b.room_id is not None else "", b.justification])
    return out


def plain(value: Decimal) -> str:
    """A number as SIPD and spreadsheets read it everywhere: "1500000", "1500.5", "0.25" (no thousands
    separator). Three decimals get a trailing zero ("1.1250"), so that the importer, which reads
    "1.125" as the Indonesian thousand-and-125, reads the number that was written."""
    text = format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
        if len(text.partition(".")[2]) == 3:
            text += "0"
    return text


def csv_rows(table: list[list]):
    for row in table:
        yield ["" if v is None else (plain(v) if isinstance(v, Decimal) else v) for v in row]


def write(project, out, fmt: str, *, year: int, sub_activity: str | None = None) -> Path:
    """Write the rincian of ``year`` (or of one sub kegiatan) to ``out`` (all or nothing)."""
    table = rows(project, year, sub_activity)
    if fmt == "xlsx":
        return write_atomically(out, lambda tmp: build_xlsx(table, tmp, year))
    if fmt == "csv":
        return write_csv(out, FIELDS, csv_rows(table))
    raise ValueError(_("Unknown format '{fmt}'.").format(fmt=fmt))


def build_xlsx(table: list[list], target, year: int) -> None:
    """One sheet: the field names in row 1 (bold, frozen), a row per line, numbers as numbers; set up to
    print landscape, fit to width, the field names on every page."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from mpp_planner.reports.output import xlsx_safe
    from mpp_planner.reports.xlsx_page import FONT_SIZE, setup_openpyxl

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    bold = Font(name="Calibri", size=FONT_SIZE, bold=True)
    font = Font(name="Calibri", size=FONT_SIZE)
    top, wrap = Alignment(vertical="top"), Alignment(vertical="top", wrap_text=True)
    with_sen = any(row[i] != row[i].to_integral_value() for row in table
                   for i, name in enumerate(FIELDS) if name in MONEY_FIELDS)
    money_fmt = "#,##0.00" if with_sen else "#,##0"
    for c, name in enumerate(FIELDS, start=1):
        cell = ws.cell(1, c, name)
        cell.font = bold
    for r, row in enumerate(table, start=2):
        for c, (name, value) in enumerate(zip(FIELDS, row), start=1):
            cell = xlsx_safe(ws.cell(r, c), value)
            cell.font = font
            cell.alignment = wrap if name in WRAPPED_FIELDS else top
            if name in MONEY_FIELDS:
                cell.number_format = money_fmt
    for i, width in enumerate(XLSX_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.print_area = f"A1:{get_column_letter(len(FIELDS))}{len(table) + 1}"
    ws.print_options.gridLines = True
    setup_openpyxl(ws, 1, 1)
    wb.properties.title = f"Rincian belanja SIPD {year}"
    wb.properties.creator = "MPP Planner"
    wb.save(target)
