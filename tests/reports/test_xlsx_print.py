"""The budget request and KIR spreadsheets print: page setup read back, KIR totals formulas.

When LibreOffice (``soffice``) is installed the KIR workbook is also recalculated by it and the
JUMLAH row compared with the model's totals; without it that test is skipped.
"""

import csv
import re
import shutil
import subprocess
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from mpp_planner.model import InventoryItem
from mpp_planner.reports import budget as budget_mod
from mpp_planner.reports import kir
from mpp_planner.reports import xlsx_page

SUM_COLUMNS = {"I": "quantity", "J": "value", "K": "B", "L": "KB", "M": "RB"}


def _mixed_conditions(project) -> None:
    """Give the demo's first room some KB and RB rows, so every condition total is non-zero."""
    items = project.session.scalars(select(InventoryItem).where(InventoryItem.room_id.is_not(None))
                                    .order_by(InventoryItem.room_id, InventoryItem.id)).all()
    room = items[0].room_id
    same = [i for i in items if i.room_id == room]
    same[0].condition = "KB"
    same[-1].condition = "RB"
    project.session.flush()


@pytest.fixture
def kir_book(demo_project, tmp_path):
    _mixed_conditions(demo_project)
    out = tmp_path / "kir.xlsx"
    kir.export(demo_project, out, "xlsx", SimpleNamespace(room=None, date="2024-01-15"))
    return out, kir.collect(demo_project, when=date(2024, 1, 15))


def expected_totals(card) -> dict[str, Decimal]:
    out = {"quantity": card.total_quantity, "value": card.total_value, "B": Decimal(0), "KB": Decimal(0),
           "RB": Decimal(0)}
    for item in card.items:
        out[item.condition] += item.quantity
    return out


def table_rows(ws) -> tuple[int, int, int]:
    """(first heading row, first item row, JUMLAH row), 1-based."""
    head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "No")
    total = next(r for r in range(head, ws.max_row + 1) if ws.cell(r, 1).value == "JUMLAH")
    return head, head + 2, total


def assert_prints(ws, title_rows: str) -> None:
    ps = ws.page_setup
    assert ps.orientation == "landscape"
    assert int(ps.paperSize) == xlsx_page.PAPER == 9  # A4 by default
    # an absent fitToWidth / fitToHeight means 1 (the OOXML default)
    assert int(ps.fitToWidth if ps.fitToWidth is not None else 1) == 1 and int(ps.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == title_rows
    assert ws.oddFooter.center.text == "Halaman &P dari &N"
    assert ws.page_margins.left <= 0.5 and ws.page_margins.right <= 0.5


def test_budget_xlsx_page_setup(demo_project, tmp_path):
    out = tmp_path / "usulan.xlsx"
    budget_mod.write(demo_project, out, "xlsx", year=2024, sign_date=date(2023, 12, 15))
    ws = load_workbook(out).active
    assert_prints(ws, "$4:$4")
    widths = [ws.column_dimensions[chr(ord("A") + i)].width for i in range(15)]
    assert sum(widths) <= 180  # fit to width then prints at about 80 % on A4
    line = next(r for r in range(5, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, int))
    for col in (3, 4, 5, 6, 15):  # Uraian, Spesifikasi, Lokasi, Koefisien, Keterangan wrap
        assert ws.cell(line, col).alignment.wrap_text
    for r in range(4, line + 10):
        for c in range(1, 16):
            if ws.cell(r, c).value is not None:
                assert ws.cell(r, c).font.sz >= 9
    tall = [r for r in range(line, ws.max_row + 1)
            if len(str(ws.cell(r, 15).value or "")) > 3 * 26]
    assert tall and all(ws.row_dimensions[r].height >= 36 for r in tall)


def test_kir_xlsx_page_setup_and_row_heights(kir_book):
    path, model = kir_book
    wb = load_workbook(path)
    assert len(wb.sheetnames) == len(model.cards)
    for ws, card in zip(wb.worksheets, model.cards, strict=True):
        head, first, total = table_rows(ws)
        assert_prints(ws, f"${head}:${head + 1}")
        assert ws.cell(head, 8).value == "No. Kode Barang"
        for r, item in zip(range(first, total), card.items, strict=True):
            code = ws.cell(r, 8)
            assert code.value == (kir.code_text(item) or None) and code.number_format == "@"
            assert ws.cell(r, 2).font.sz >= 9 and ws.cell(r, 2).alignment.wrap_text
            longest = max(len(item.item_type.name), len(item.notes or ""), len(item.brand_model or ""))
            if longest > 40:
                assert ws.row_dimensions[r].height >= 27


def test_kir_totals_formulas_point_at_the_item_rows(kir_book):
    path, model = kir_book
    formulas, cached = load_workbook(path), load_workbook(path, data_only=True)
    mixed = 0
    for ws, wc, card in zip(formulas.worksheets, cached.worksheets, model.cards, strict=True):
        _head, first, total = table_rows(ws)
        assert total - first == len(card.items)
        want = expected_totals(card)
        mixed += bool(want["KB"] and want["RB"])
        for col, key in SUM_COLUMNS.items():
            assert ws[f"{col}{total}"].value == f"=SUM({col}{first}:{col}{total - 1})"
            computed = sum((Decimal(str(ws[f"{col}{r}"].value or 0)) for r in range(first, total)), Decimal(0))
            assert computed == want[key], (ws.title, col)
            assert Decimal(str(wc[f"{col}{total}"].value)) == want[key]  # the cached result
    assert mixed  # the KB / RB columns were exercised


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


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_kir_totals_compute_in_libreoffice(kir_book, tmp_path):
    path, model = kir_book
    # the cached results are the model's totals: spoil them so only a recalculation can pass
    spoiled = tmp_path / "spoiled.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(spoiled, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                text = data.decode("utf-8")
                text = re.sub(r"(<f>SUM\([^<]*\)</f><v>)[^<]*(</v>)", r"\g<1>-1\g<2>", text)
                data = text.encode("utf-8")
            dst.writestr(info, data)
    out = tmp_path / "csv"
    filt = "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={_recalc_profile(tmp_path / 'lo')}",
                    "--convert-to", filt, "--outdir", str(out), str(spoiled)],
                   check=True, capture_output=True, timeout=240)
    titles = load_workbook(path, read_only=True).sheetnames
    for title, card in zip(titles, model.cards, strict=True):
        with (out / f"spoiled-{title}.csv").open(encoding="utf-8") as f:
            rows = list(csv.reader(f))
        jumlah = next(row for row in rows if row and row[0] == "JUMLAH")
        want = expected_totals(card)
        for col, key in SUM_COLUMNS.items():
            got = Decimal(jumlah[ord(col) - ord("A")])
            assert got == want[key], (title, col, got, want[key])
