"""The fast XLSX writers (issue 22) write the same workbooks as the slower ones before them.

``xlsx_speedups_golden.json`` holds the KIR, the usulan sheet and the RKA rincian of the demo project as the
earlier writers made them (XlsxWriter for the KIR, openpyxl for the budget): every cell's value or formula and
its look (font, fill, borders, alignment, number format), merged ranges, row heights, column widths, frozen
panes and the print set-up, read back with openpyxl. The "edges" variant adds what the demo lacks: rooms whose
names clash or cannot be sheet names, formula-like user text, fractional quantities, a missing price, amounts
with sen. After an intended change of the workbooks, write the golden again with
``python -m tests.reports.test_xlsx_speedups`` and read its diff.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from mpp_planner.model import BudgetLine, InventoryItem, ItemType, Room, Signatory
from mpp_planner.reports import budget, kir

GOLDEN = Path(__file__).with_name("xlsx_speedups_golden.json")
SIGNED = date(2023, 12, 15)
KIR_DATE = date(2024, 1, 15)
VARIANTS = ("demo", "edges")


# --- the workbooks --------------------------------------------------------------------------

def edge_cases(project) -> set[int]:
    """Change the demo where the writers have choices to make; returns the rooms whose cards to compare."""
    with project.edit() as s:
        rooms = s.scalars(select(Room).join(InventoryItem, InventoryItem.room_id == Room.id).distinct()
                          .order_by(Room.id)).all()
        a, b, c, d, e = rooms[:5]
        b.name = a.name.upper()  # the same sheet name but for case: "(2)"
        c.name = "History"  # a name Excel keeps for itself
        d.name = "'Ruang [Arsip]: Lantai 2 / Gudang * Barang? Lama'"  # forbidden characters, over 31 long
        e.name = "Ruang Arsip: Lantai 2 / Gudang"
        e.officer_name, e.officer_nip = "=Petugas Ruang", "198001012005011002"
        items = s.scalars(select(InventoryItem).where(InventoryItem.room_id.in_([a.id, d.id]))
                          .order_by(InventoryItem.id)).all()
        items[0].notes = "=SUM(A1:A9) dipindah dari gudang"
        by_area = s.scalars(select(InventoryItem).join(InventoryItem.item_type).where(
            InventoryItem.room_id.is_not(None), ItemType.unit == "m2").order_by(InventoryItem.id)).first()
        by_area.quantity = Decimal("12.75")  # a fraction of its unit
        items[1].purchase_price = None
        items[1].condition = "KB"
        items[2].condition = "RB"
        items[2].brand_model = "+Merk dengan nama yang sangat panjang sekali sampai harus dibungkus beberapa baris"
        head = s.scalar(select(Signatory).where(Signatory.role == "head"))
        head.title = ("Plt. Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Probolinggo selaku "
                      "Kuasa Pengguna Barang Milik Daerah")
        lines = s.scalars(select(BudgetLine).where(BudgetLine.fiscal_year == 2024)
                          .order_by(BudgetLine.position, BudgetLine.id)).all()
        lines[0].unit_price = Decimal("999.99")  # amounts with sen: two decimals everywhere
        lines[0].description = '=HYPERLINK("http://x")'
        lines[1].justification = "+1 tambahan karena antrean panjang pada jam sibuk, lihat laporan SKM triwulan II"
        lines[2].specification = "-" + " ".join(["spesifikasi panjang"] * 12)
        lines[3].factors = [["2,5", "Unit"], ["12", "Bulan"]]
    return {a.id, b.id, c.id, d.id, e.id, by_area.room_id}


def write_workbooks(project, folder: Path, variant: str) -> dict[str, Path]:
    """The three workbooks of ``variant`` written by the current code."""
    keep = edge_cases(project) if variant == "edges" else None
    card = kir.collect(project, when=KIR_DATE)
    card.cards = [c for c in card.cards if c.room.id in keep] if keep is not None else card.cards[:8]
    out = {"kir": folder / f"{variant}-kir.xlsx", "usulan": folder / f"{variant}-usulan.xlsx",
           "rka": folder / f"{variant}-rka.xlsx"}
    kir.write_xlsx(card, out["kir"])
    budget.write(project, out["usulan"], "xlsx", year=2024, sign_date=SIGNED)
    budget.write(project, out["rka"], "xlsx", year=2024, sign_date=SIGNED, form="rka")
    return out


# --- reading a workbook back -----------------------------------------------------------------

def _rgb(color) -> str | None:
    if color is None or color.type != "rgb" or not isinstance(color.rgb, str):
        return None
    return color.rgb[-6:].upper()


def _style(cell) -> list:
    f, fill, b, a = cell.font, cell.fill, cell.border, cell.alignment
    sides = [[s.style, _rgb(s.color)] if s is not None and s.style else [None, None]
             for s in (b.left, b.right, b.top, b.bottom)]
    return [[f.name or "Calibri", float(f.sz or 11), bool(f.b), bool(f.i), f.u or None, _rgb(f.color)],
            [fill.fill_type, _rgb(fill.fgColor) if fill.fill_type else None], sides,
            [a.horizontal, a.vertical, bool(a.wrap_text), int(a.indent or 0)], cell.number_format]


DEFAULT_STYLE = [["Calibri", 11.0, False, False, None, None], [None, None], [[None, None]] * 4,
                 [None, None, False, 0], "General"]


def _value(cell) -> list | None:
    v = cell.value
    if v is None:
        return None
    if cell.data_type == "f":
        return ["f", str(v)]
    if isinstance(v, str):
        return ["s", v]
    if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
        return ["n", format(Decimal(str(v)).normalize(), "f")]
    return ["?", repr(v)]


def dump(path: Path) -> dict:
    """What a workbook holds and shows, as plain JSON data (merged cells: their first cell only)."""
    wb = load_workbook(path)
    sheets, styles = [], {json.dumps(DEFAULT_STYLE): 0}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell, MergedCell):
                    continue
                value, style = _value(cell), styles.setdefault(json.dumps(_style(cell)), len(styles))
                if value is not None or style:
                    cells[cell.coordinate] = [value, style]
        widths = {}
        for dim in ws.column_dimensions.values():
            if dim.width:
                for c in range(dim.min or 1, (dim.max or dim.min or 1) + 1):
                    widths[get_column_letter(c)] = round(dim.width, 4)
        ps, m = ws.page_setup, ws.page_margins
        sheets.append({
            "name": ws.title, "cells": cells,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "heights": {str(r): d.height for r, d in sorted(ws.row_dimensions.items()) if d.height is not None},
            "widths": widths, "freeze": ws.freeze_panes, "titles": ws.print_title_rows,
            "page": [ps.orientation, int(ps.paperSize or 0), int(ps.fitToWidth if ps.fitToWidth is not None else 1),
                     int(ps.fitToHeight if ps.fitToHeight is not None else 1),
                     bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage),
                     [m.left, m.right, m.top, m.bottom, m.header, m.footer], ws.oddFooter.center.text,
                     ws.oddFooter.center.size, ws.oddHeader.center.text, bool(ws.print_options.gridLines)],
        })
    return {"title": wb.properties.title, "creator": wb.properties.creator, "sheets": sheets,
            "styles": [json.loads(key) for key in styles]}


def differences(got: dict, want: dict, limit: int = 12) -> list[str]:
    """Where two dumps differ, as readable lines (at most ``limit`` of them)."""
    out = [f"{key}: {got[key]!r} != {want[key]!r}" for key in ("title", "creator") if got[key] != want[key]]
    names = [s["name"] for s in got["sheets"]], [s["name"] for s in want["sheets"]]
    if names[0] != names[1]:
        return out + [f"sheets {names[0]} != {names[1]}"]
    for g, w in zip(got["sheets"], want["sheets"], strict=True):
        for key in ("merged", "heights", "widths", "freeze", "titles", "page"):
            if g[key] != w[key]:
                out.append(f"{g['name']} {key}: {g[key]!r} != {w[key]!r}")
        for coord in sorted(set(g["cells"]) | set(w["cells"])):
            a, b = g["cells"].get(coord, [None, 0]), w["cells"].get(coord, [None, 0])
            a, b = [a[0], got["styles"][a[1]]], [b[0], want["styles"][b[1]]]
            if a != b:
                out.append(f"{g['name']}!{coord}: {a!r} != {b!r}")
    return out[:limit]


def write_golden() -> None:
    from mpp_planner.demo import build_demo
    from mpp_planner.i18n import set_language
    from mpp_planner.project import Project

    set_language("en")
    golden = {}
    with tempfile.TemporaryDirectory() as tmp:
        for variant in VARIANTS:
            project = Project.open(build_demo(Path(tmp) / f"{variant}.mpplan"))
            try:
                for kind, path in write_workbooks(project, Path(tmp), variant).items():
                    golden[f"{variant}-{kind}"] = dump(path)
            finally:
                project.close()
    GOLDEN.write_text(json.dumps(golden, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
                      .replace('],"', '],\n"') + "\n", encoding="utf-8")


# --- the workbooks are the ones from before ---------------------------------------------------

@pytest.mark.parametrize("variant", VARIANTS)
def test_workbooks_hold_what_the_earlier_writers_wrote(demo_project, tmp_path, variant):
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    for kind, path in write_workbooks(demo_project, tmp_path, variant).items():
        got = dump(path)
        assert differences(got, golden[f"{variant}-{kind}"]) == [], f"{variant} {kind}"


# --- cached results, progress, many sheets, the writer itself ------------------------------------

def _recalc_profile(folder: Path) -> str:
    """A LibreOffice user profile that recalculates every formula of an XLSX on load."""
    user = folder / "user"
    user.mkdir(parents=True)
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '<item oor:path="/org.openoffice.Office.Calc/Formula/Load">'
        '<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>\n'
        '</oor:items>\n', encoding="utf-8")
    return folder.as_uri()


def _spoiled(path: Path, out: Path) -> Path:
    """A copy of the workbook whose formulas' cached results are all -1: only a recalculation gives them."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"(<f>[^<]*</f><v>)[^<]*(</v>)", rb"\g<1>-1\g<2>", data)
            dst.writestr(info, data)
    return out


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_cached_results_are_what_libreoffice_computes(demo_project, tmp_path):
    """Every formula of the usulan sheet and the RKA (amounts with sen: rounding shows) carries the model's
    value as its cached result: LibreOffice, recalculating a copy whose cached results were spoiled, gets
    the same number in every formula cell."""
    books = write_workbooks(demo_project, tmp_path, "edges")
    for kind in ("usulan", "rka"):
        spoiled = _spoiled(books[kind], tmp_path / f"spoiled{kind}.xlsx")
        out = tmp_path / f"csv-{kind}"
        filt = "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1"
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation={_recalc_profile(tmp_path / f'lo{kind}')}",
                        "--convert-to", filt, "--outdir", str(out), str(spoiled)],
                       check=True, capture_output=True, timeout=240)
        formulas, cached = load_workbook(books[kind]), load_workbook(books[kind], data_only=True)
        checked = 0
        for ws in formulas.worksheets:
            with (out / f"{spoiled.stem}-{ws.title}.csv").open(encoding="utf-8") as fh:
                computed = list(csv.reader(fh))
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type != "f":
                        continue
                    want = cached[ws.title][cell.coordinate].value
                    got = computed[cell.row - 1][cell.column - 1]
                    assert want is not None and Decimal(got) == Decimal(str(want)), (kind, ws.title, cell.coordinate)
                    checked += 1
        assert checked > 100, kind


@pytest.mark.parametrize("kind", ["inventory", "usulan", "rka"])
def test_long_exports_tell_their_progress_and_stop_when_cancelled(demo_project, tmp_path, kind):
    from mpp_planner.jobs import Cancelled, Job
    from mpp_planner.reports import budget_rka

    module = kir if kind == "inventory" else budget
    if kind == "rka":  # one step per sub kegiatan: make a few more
        form = budget_rka.collect(demo_project, 2024, SIGNED)
        form.sections = form.sections * 3
        for i, section in enumerate(form.sections[2:], 2):
            form.sections[i] = budget_rka.RkaSection(
                type(section.sub)(code=f"{section.sub.code[:-4]}{9100 + i}", name=section.sub.name,
                                  fiscal_year=2024), section.rows, section.total)
    args = SimpleNamespace(room=None, date=KIR_DATE, year=2024, form=kind if kind != "inventory" else None,
                           sub_activity=None, paper=None)

    def export(out: Path) -> None:
        if kind == "rka":
            from mpp_planner.reports.budget_rka_xlsx import build_xlsx
            from mpp_planner.reports.output import write_atomically

            write_atomically(out, lambda tmp: build_xlsx(form, tmp))
        else:
            module.export(demo_project, out, "xlsx", args)

    seen: list[tuple[int, int, str]] = []
    job = Job(on_progress=lambda done, total, text: seen.append((done, total, text)))
    job.TELL_EVERY = 0  # every report reaches the list
    job.run(lambda: export(tmp_path / "whole.xlsx"))
    steps = [(done, total) for done, total, text in seen if text]
    assert steps and steps[0][0] == 0 and len({total for _done, total in steps}) == 1
    assert steps[-1][0] == steps[-1][1] - 1 or kind == "usulan"  # the usulan sheet tells every 500 rows
    assert (tmp_path / "whole.xlsx").stat().st_size > 1000

    folder = tmp_path / "cancelled"
    folder.mkdir()
    stopper = Job(on_progress=lambda done, total, text: stopper.cancel() if text else None)
    stopper.TELL_EVERY = 0
    with pytest.raises(Cancelled):
        stopper.run(lambda: export(folder / "kir.xlsx"))
    assert list(folder.iterdir()) == []  # neither the file nor its temporary copy


def test_rooms_of_one_name_each_get_a_sheet_of_their_own(demo_project, tmp_path):
    card = kir.collect(demo_project, when=KIR_DATE)
    room = card.cards[0]
    room.room.name = "Ruang Pelayanan Terpadu Satu Pintu Lantai Dasar"  # cut to 31 characters, then numbered
    card.cards = [room] * 120
    kir.write_xlsx(card, tmp_path / "kir.xlsx")
    wb = load_workbook(tmp_path / "kir.xlsx")
    names = wb.sheetnames
    assert len(names) == len({n.lower() for n in names}) == 120
    assert names[0] == "Ruang Pelayanan Terpadu Satu Pi" and names[1] == "Ruang Pelayanan Terpadu Sat (2)"
    assert names[-1] == "Ruang Pelayanan Terpadu S (120)" and all(len(n) <= 31 for n in names)
    last, total = wb[names[-1]], 12 + len(room.items)  # the items from row 12, then JUMLAH
    assert last.print_title_rows == "$10:$11" and last[f"I{total}"].value == f"=SUM(I12:I{total - 1})"
    # the numbers tried per name are remembered; a name already ending in a number is still told apart
    used, tried = {"history"}, {}
    titles = [kir.sheet_title(n, used, tried) for n in ("Ruang A", "RUANG A", "Ruang A (2)", "ruang a", "History",
                                                        "Gudang: Arsip/Lama", "Gudang  Arsip Lama", "'Q'")]
    assert titles == ["Ruang A", "RUANG A (2)", "Ruang A (2) (2)", "ruang a (3)", "History (2)",
                      "Gudang  Arsip Lama", "Gudang  Arsip Lama (2)", "Q"]


def test_the_streamed_writer_keeps_text_as_text_and_rows_in_order(tmp_path):
    from mpp_planner.reports.xlsx_page import Formula, XlsxBook

    path = tmp_path / "book.xlsx"
    with XlsxBook(path, title="Uji & <coba>", creator="MPP Planner") as book:
        boxed = book.style(border=1, border_color="#444444", bold=True, bg_color="#E4E9F0")
        ws = book.sheet("Satu", [10, 20], titles=(1, 1), freeze=2)
        ws.merge(0, 0, 1, 1, "Judul", boxed)
        ws.height(3, 40)
        ws.cell(2, 1, "=1+1")  # text that looks like a formula stays text
        ws.cell(2, 0, "  spasi di tepi\x01 ")  # kept, but for the control character
        ws.cell(4, 0, Decimal("1234.50"))
        ws.cell(4, 1, Formula("A5*2", Decimal("2469.00")))
        with pytest.raises(ValueError):
            ws.cell(3, 0, "earlier row")
        with pytest.raises(ValueError):
            book.sheet("satu")  # the same name but for case
        book.sheet("Dua").cell(0, 0, 1)
    wb, values = load_workbook(path), load_workbook(path, data_only=True)
    one = wb["Satu"]
    assert wb.properties.title == "Uji & <coba>" and wb.sheetnames == ["Satu", "Dua"]
    assert one["B3"].value == "=1+1" and one["B3"].data_type == "s"
    assert one["A3"].value == "  spasi di tepi "
    assert one["A5"].value == 1234.5 and one["B5"].value == "=A5*2" and values["Satu"]["B5"].value == 2469
    assert [r.coord for r in one.merged_cells.ranges] == ["A1:B2"] and one["B2"].border.bottom.style == "thin"
    assert one.row_dimensions[4].height == 39.75 and one.freeze_panes == "A3"
    assert one.print_title_rows == "$2:$2" and one.dimensions == "A1:B5"


if __name__ == "__main__":
    write_golden()
    sys.exit(0)
