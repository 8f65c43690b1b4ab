"""Asset registers as asset officers keep them: a title block above the header, merged cells, a
two-row header ("Nomor" over "Kode Barang | Register", "Jumlah" over "Barang | Harga"), a column-number
row, SIMDA BMD column names, conditions as words, a totals row and signatures below; CSV with ';'.
Detection, mapping (also by --map), unknown rooms refused or created, bad rows named, all or nothing.
The kode barang (Permendagri 108/2016) goes to the row's asset code, the register number to its register code."""

import subprocess
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mpp_planner.commands import History
from mpp_planner.importers import ImportRefused
from mpp_planner.importers import inventory as kir
from mpp_planner.importers.register import load_sheet
from mpp_planner.model import Floor, InventoryItem, ItemType, Room
from tests.conftest import reopen
from tests.helpers import file_rows

ROOT = Path(__file__).resolve().parents[2]

HEADER_TOP = ["No", "Nomor", None, "Nama Barang / Jenis Barang", "Merk/Type", "No. Seri Pabrik", "Ukuran", "Bahan",
              "Tahun Pembelian", "Jumlah", None, "Kondisi", "Ruangan", "Keterangan"]
HEADER_LOW = [None, "Kode Barang", "Register", None, None, None, None, None, None, "Barang", "Harga (Rp)"]
#: (No, kode barang, register, nama, merk, seri, ukuran, bahan, tahun, jumlah, jumlah harga, kondisi, ruangan, ket)
ROWS = [
    (1, "1.3.2.05.02.04.001", "0001", "Lemari Es / Kulkas 2 Pintu", "Sharp SJ-195", "SN-77", "180 L", "Logam", 2021,
     1, 3950000, "Baik", "Ruang Laktasi", "Hibah CSR"),
    (2, "1.3.2.05.02.01.048", "0002", "Sofa Menyusui", "Informa", None, None, "Kain", datetime(2022, 3, 1), 2,
     3000000.0, "Kurang Baik", "Ruang Laktasi", None),
    (3, "1.3.2.05.02.01.030", "0003", "Kursi Rapat Lipat Chitose", "Chitose", None, None, "Besi", 2019, 10, 4500000,
     "Rusak Berat", "Ruang Rapat", None),
    (4, "1.3.2.05.02.06.057", "0004", "Karpet Sajadah Masjid", None, None, "12,5 m2", "Wol", 2020, 12.5, 1875000,
     "B", "Mushola", None),
]
FIRST_DATA = 8  # the sheet row of ROWS[0]


def register_xlsx(path: Path, rows=ROWS, *, room_header="Ruangan") -> Path:
    """A KIR as SIMDA BMD exports it (see the module docstring), rows from FIRST_DATA on."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws["A1"] = "KARTU INVENTARIS RUANGAN (KIR)"
    ws.merge_cells("A1:N1")
    ws["A2"] = "PEMERINTAH KABUPATEN PROBOLINGGO"
    ws.merge_cells("A2:N2")
    ws["A3"], ws["B3"], ws["C3"] = "SKPD", ":", "Dinas Penanaman Modal dan PTSP"
    for c, text in enumerate(HEADER_TOP, start=1):
        ws.cell(5, c, text if c != 13 else room_header)
    for c, text in enumerate(HEADER_LOW, start=1):
        if text:
            ws.cell(6, c, text)
    ws.merge_cells("B5:C5")
    ws.merge_cells("J5:K5")
    for col in "ADEFGHILMN":
        ws.merge_cells(f"{col}5:{col}6")
    for c in range(1, 15):
        ws.cell(7, c, c)  # the column-number row
    for r, row in enumerate(rows, start=FIRST_DATA):
        for c, value in enumerate(row, start=1):
            ws.cell(r, c, value)
    end = FIRST_DATA + len(rows)
    ws.cell(end, 1, "JUMLAH")
    ws.merge_cells(f"A{end}:I{end}")
    ws.cell(end, 10, sum(float(r[9]) for r in rows))
    ws.cell(end + 2, 2, "Mengetahui,")
    ws.cell(end + 3, 2, "Kepala SKPD")
    ws.cell(end + 6, 2, "NIP. 19700101 199003 1 001")
    wb.save(path)
    return path


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def count(project, cls) -> int:
    return project.session.scalar(select(func.count()).select_from(cls))


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "mpp_planner", *args, "--lang", "en"], cwd=ROOT,
                          capture_output=True, text=True)


# --- detection -------------------------------------------------------------------------------

def test_detects_the_header_under_a_title_block_with_merged_two_row_headers(tmp_path):
    sheet, layout = kir.read_register(register_xlsx(tmp_path / "kir.xlsx"))
    assert sheet.merged >= 14
    assert (layout.header_top, layout.header_row, layout.found) == (5, 6, True)
    by_header = {layout.headers[c]: f for c, f in layout.mapping.items()}
    assert by_header == {
        "Nomor Kode Barang": "asset_code", "Nomor Register": "register_code", "Nama Barang / Jenis Barang": "name",
        "Merk/Type": "brand_model", "No. Seri Pabrik": "serial_no", "Ukuran": "size", "Bahan": "material",
        "Tahun Pembelian": "year", "Jumlah Barang": "quantity", "Jumlah Harga (Rp)": "total_price",
        "Kondisi": "condition", "Ruangan": "room", "Keterangan": "notes"}
    assert [layout.headers[c] for c in layout.unmapped] == ["No"]
    assert layout.skipped == [7]  # the 1 | 2 | 3 … row
    assert layout.data_rows == [8, 9, 10, 11]
    assert (layout.end_row, layout.end_reason) == (12, "totals")  # the signatures below are never read


def test_csv_with_semicolons_and_title_lines(tmp_path):
    src = write(tmp_path / "simbada.csv",
                "PEMERINTAH KABUPATEN PROBOLINGGO\n"
                "DAFTAR BARANG INVENTARIS, per 31 Desember 2024\n"
                ";;;;\n"
                "No;Kode Barang;Register;Nama Barang;Merk/Type;Tahun Perolehan;Jumlah;Harga Satuan;Kondisi;"
                "Lokasi;Keterangan\n"
                "1;1.3.2.05.02.04.004;0007;AC Split 1,5 PK;Daikin FTKC35;2023;1;5.250.000;B;Ruang Rapat;\n"
                "2;1.3.2.05.02.04.004;0008;AC Split 1,5 PK;Daikin FTKC35;2023;1;5.250.000;KB;Ruang Rapat;bocor\n"
                "\n"
                "3;1.3.2.05.02.01.030;0009;Kursi Rapat;;2019;2 unit;650.000;Baik;Ruang Rapat;\n")
    sheet, layout = kir.read_register(src)
    assert sheet.delimiter == ";"
    assert layout.header_row == 4 and layout.data_rows == [5, 6, 8]  # one blank row inside the data is skipped
    assert {layout.headers[c] for c in layout.unmapped} == {"No"}
    tabbed = write(tmp_path / "tabbed.csv", "Daftar\nRuangan\tNama Barang\tJumlah\nMushola\tKarpet Sajadah Masjid\t4\n")
    sheet, layout = kir.read_register(tabbed)
    assert sheet.delimiter == "\t" and layout.header_row == 2 and layout.data_rows == [3]


def test_data_ends_at_a_blank_run_and_repeated_page_headers_are_skipped(tmp_path):
    src = write(tmp_path / "pages.csv",
                "Ruangan,Nama Barang,Jumlah,Kondisi\n"
                "Mushola,Karpet Sajadah Masjid,4,B\n"
                "Ruangan,Nama Barang,Jumlah,Kondisi\n"  # the header again on the next printed page
                "Mushola,Rak Mukena dan Al-Qur'an,1,B\n"
                "\n"
                ",Mengetahui,,\n"  # after a blank row: no item, no quantity -> the signatures
                ",Kepala Dinas,,\n")
    _sheet, layout = kir.read_register(src)
    assert layout.data_rows == [2, 4] and layout.skipped == [3] and layout.end_reason == "blank"
    src = write(tmp_path / "gap.csv", "Ruangan,Nama Barang,Jumlah\nMushola,Karpet Sajadah Masjid,4\n\n\n"
                                      "Mushola,Karpet Sajadah Masjid,4\n")
    _sheet, layout = kir.read_register(src)
    assert layout.data_rows == [2]  # two blank rows end the data


def test_room_given_once_in_the_title_block(demo_project, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["KARTU INVENTARIS RUANGAN"])
    ws.append(["RUANGAN", ":", "Ruang Laktasi"])
    ws.append(["LANTAI : Lantai 1"])
    ws.append([])
    ws.append(["No", "Nama Barang", "Jumlah Barang", "Keadaan Barang (B, KB, RB)"])
    ws.append([1, "Kulkas", 1, "Baik (B)"])
    ws.append([2, "Sterilisator Botol Susu", 1, "rusak berat"])
    wb.save(tmp_path / "card.xlsx")
    _sheet, layout = kir.read_register(tmp_path / "card.xlsx")
    assert layout.title == {"room": "Ruang Laktasi", "floor": "Lantai 1"}
    p = demo_project
    before = count(p, InventoryItem)
    History(p).push(kir.prepare(p, tmp_path / "card.xlsx"))
    added = p.session.scalars(select(InventoryItem).order_by(InventoryItem.id.desc()).limit(2)).all()
    assert count(p, InventoryItem) == before + 2
    assert {(i.room.name, i.item_type.key, i.condition) for i in added} == {
        ("Ruang Laktasi", "kulkas", "B"), ("Ruang Laktasi", "sterilizer", "RB")}


@pytest.mark.parametrize("text, expected", [
    ("B", "B"), ("baik", "B"), ("Baik (B)", "B"), ("KURANG BAIK", "KB"), ("Kurang  Baik", "KB"), ("kb", "KB"),
    ("Rusak Berat", "RB"), ("RB", "RB"), ("(RB)", "RB"), ("Rusak Ringan", None), ("sedang", None), ("", None),
])
def test_conditions_as_codes_or_words(text, expected):
    assert kir.parse_condition(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("2019", "2019"), ("2019.0", "2019"), ("2022-03-01", "2022"), ("01/03/2022", "2022"), ("th 2019", "th 2019")])
def test_year_from_a_year_or_a_date(text, expected):
    assert kir.parse_year(text) == expected


# --- importing ---------------------------------------------------------------------------------

def test_simda_register_imports_every_row_as_one_undo_step(demo_project, tmp_path):
    p = demo_project
    before = count(p, InventoryItem)
    history = History(p)
    command = kir.prepare(p, register_xlsx(tmp_path / "kir.xlsx"))
    history.push(command)
    assert command.text == "Import 4 inventory row(s) from kir.xlsx"
    assert count(p, InventoryItem) == before + 4
    added = {i.register_code: i for i in p.session.scalars(select(InventoryItem).where(
        InventoryItem.asset_code.like("1.3.2.05.%")))}
    fridge = added["0001"]
    assert (fridge.item_type.key, fridge.room.name, fridge.brand_model, fridge.serial_no, fridge.size,
            fridge.material, fridge.year, fridge.quantity, fridge.purchase_price, fridge.condition, fridge.notes,
            fridge.asset_code) == (
        "kulkas", "Ruang Laktasi", "Sharp SJ-195", "SN-77", "180 L", "Logam", 2021, Decimal("1.00"),
        Decimal("3950000.00"), "B", "Hibah CSR", "1.3.2.05.02.04.001")
    sofa = added["0002"]  # a name inside the catalog's; a date as the year; the total per unit
    assert (sofa.item_type.key, sofa.year, sofa.quantity, sofa.purchase_price, sofa.condition) == (
        "sofa_menyusui", 2022, Decimal("2.00"), Decimal("1500000.00"), "KB")
    chairs = added["0003"]  # the catalog's name inside the register's
    assert (chairs.item_type.key, chairs.room.name, chairs.condition, chairs.purchase_price, chairs.kode_barang) == (
        "kursi_rapat", "Ruang Rapat", "RB", Decimal("450000.00"), "1.3.2.05.02.01.030")
    assert added["0004"].quantity == Decimal("12.50")  # m2 take fractions
    history.undo()
    assert count(p, InventoryItem) == before
    history.redo()
    p = reopen(p)
    try:
        assert count(p, InventoryItem) == before + 4
        assert {(i.asset_code, i.register_code) for i in p.session.scalars(select(InventoryItem).where(
            InventoryItem.asset_code != ""))} == {(r[1], r[2]) for r in ROWS}
    finally:
        p.close()


def test_kode_barang_and_register_number_columns(demo_project, tmp_path):
    """The usual headers; a kode barang with the register number after it is split when no register
    column gives the number; an empty kode barang leaves the item type's to show."""
    p = demo_project
    src = write(tmp_path / "kode.csv",
                "Ruangan;Nama Barang;Jumlah;No. Kode Barang;No. Register\n"
                "Ruang Laktasi;Kulkas;1;1.3.2.05.02.04.001;000012\n"
                "Ruang Laktasi;Kulkas;1;1.3.2.05.02.04.001.000013;\n"
                "Ruang Laktasi;Kulkas;1;1.3.2.05.02.04.001 / 14;\n"
                "Ruang Laktasi;Kulkas;1;;000015\n")
    _sheet, layout = kir.read_register(src)
    assert {layout.headers[c]: f for c, f in layout.mapping.items() if f in ("asset_code", "register_code")} == {
        "No. Kode Barang": "asset_code", "No. Register": "register_code"}
    with p.edit() as s:  # the catalog's fridge carries a kode barang of its own
        fridge_type = s.scalar(select(ItemType).where(ItemType.key == "kulkas"))
        fridge_type.asset_code = "1.3.2.05.02.04.011"
    History(p).push(kir.prepare(p, src))
    p = reopen(p)
    try:
        rows = p.session.scalars(select(InventoryItem).order_by(InventoryItem.id.desc()).limit(4)).all()[::-1]
        assert [(i.asset_code, i.register_code, i.kode_barang) for i in rows] == [
            ("1.3.2.05.02.04.001", "000012", "1.3.2.05.02.04.001"),
            ("1.3.2.05.02.04.001", "000013", "1.3.2.05.02.04.001"),
            ("1.3.2.05.02.04.001", "14", "1.3.2.05.02.04.001"),
            ("", "000015", "1.3.2.05.02.04.011")]
    finally:
        p.close()
    # the other spellings of the headers, and --map by the field's short words
    for header in ("kode_barang", "Kode Barang", "Nomor Kode Barang", "Kode Aset"):
        _sheet, layout = kir.read_register(write(tmp_path / "h.csv", f"Ruangan,Nama Barang,{header},Register\n"
                                                                         "Mushola,Karpet Sajadah Masjid,,1\n"))
        assert layout.header_of("asset_code") == header and layout.header_of("register_code") == "Register"
    assert kir.parse_map(["Kode=code,Nomor=register"]) == {"Kode": "asset_code", "Nomor": "register_code"}
    assert kir.split_asset_code("1.3.2.10.01.02.002.000007", "") == ("1.3.2.10.01.02.002", "000007")
    assert kir.split_asset_code("1.3.2.10.01.02.002.000007", "0009") == ("1.3.2.10.01.02.002", "0009")
    assert kir.split_asset_code("02.06.02.01.05", "") == ("02.06.02.01.05", "")  # not a 108 code: left to the model


def test_a_bad_kode_barang_is_a_row_error_and_nothing_is_added(demo_project, tmp_path):
    rows = list(ROWS)
    rows[1] = rows[1][:1] + ("02.06.02.01.06",) + rows[1][2:]  # sheet row 9: an old (17/2007) code
    rows[3] = rows[3][:1] + ("1.3.2.5.2.6.57",) + rows[3][2:]  # sheet row 11: levels without their zeros
    before = file_rows(demo_project.path, "inventory_item")
    with pytest.raises(ImportRefused) as info:
        kir.prepare(demo_project, register_xlsx(tmp_path / "kode.xlsx", rows))
    assert [str(e) for e in info.value.errors] == [
        "row 9, Nomor Kode Barang: Asset code '02.06.02.01.06' does not match the Permendagri 108/2016 pattern "
        "1.3.2.05.01.05.001.",
        "row 11, Nomor Kode Barang: Asset code '1.3.2.5.2.6.57' does not match the Permendagri 108/2016 pattern "
        "1.3.2.05.01.05.001."]
    assert file_rows(demo_project.path, "inventory_item") == before
    # leaving the column out imports the rest, without codes
    command = kir.prepare(demo_project, register_xlsx(tmp_path / "kode.xlsx", rows), names={"Kode Barang": "-"})
    assert len(command.objects) == 4 and not any(i.asset_code for i in command.objects)
    assert [i.register_code for i in command.objects] == ["0001", "0002", "0003", "0004"]


def test_bad_rows_are_named_by_sheet_row_and_file_column_and_nothing_is_added(demo_project, tmp_path):
    rows = list(ROWS)
    rows[2] = rows[2][:11] + ("Rusak Ringan",) + rows[2][12:]  # sheet row 10
    rows[3] = rows[3][:3] + ("Mesin Fotokopi",) + rows[3][4:9] + (-1,) + rows[3][10:]  # sheet row 11
    src = register_xlsx(tmp_path / "bad.xlsx", rows)
    before = count(demo_project, InventoryItem)
    with pytest.raises(ImportRefused) as info:
        kir.prepare(demo_project, src)
    text = [str(e) for e in info.value.errors]
    assert "row 10, Kondisi: 'Rusak Ringan' is not B, KB or RB (Baik, Kurang Baik, Rusak Berat)." in text
    assert "row 11, Nama Barang / Jenis Barang: unknown item type 'Mesin Fotokopi'." in text
    assert len(text) == 2
    assert count(demo_project, InventoryItem) == before
    rows[3] = ROWS[3][:9] + (-1,) + ROWS[3][10:]
    with pytest.raises(ImportRefused) as info:
        kir.prepare(demo_project, register_xlsx(tmp_path / "bad2.xlsx", rows))
    assert any(e.row == 11 and e.column == "Jumlah Barang" and "negative" in e.message for e in info.value.errors)


def test_explicit_mapping_when_names_do_not_match(demo_project, tmp_path):
    src = write(tmp_path / "own.csv",
                "Daftar barang milik daerah\n"
                "Urut,Barang Inventaris,Tempat,Banyak,Kondisi\n"
                "1,Lemari Es / Kulkas 2 Pintu,Ruang Laktasi,1,B\n"
                "2,Kursi Rapat,Ruang Rapat,6,B\n")
    with pytest.raises(ImportRefused, match="Missing column"):
        kir.prepare(demo_project, src)
    names = kir.parse_map(["Barang Inventaris=item,Tempat=room", "D=jumlah"])
    assert names == {"Barang Inventaris": "name", "Tempat": "room", "D": "quantity"}
    _sheet, layout = kir.read_register(src, names)
    assert layout.header_row == 2  # the mapped names find the header row too
    command = kir.prepare(demo_project, src, names=names)
    items = command.objects
    assert [(i.item_type.key, i.room.name, i.quantity) for i in items] == [
        ("kulkas", "Ruang Laktasi", Decimal("1.00")), ("kursi_rapat", "Ruang Rapat", Decimal("6.00"))]
    # "-" leaves a column out; a column or field that is not there is told
    command = kir.prepare(demo_project, src, names={**names, "Kondisi": "-"})
    assert all(i.condition == "B" for i in command.objects)
    with pytest.raises(ImportRefused, match="no column 'Lokasi'"):
        kir.prepare(demo_project, src, names={"Lokasi": "room"})
    with pytest.raises(ValueError, match="unknown field 'ruangx'"):
        kir.parse_map(["Tempat=ruangx"])
    with pytest.raises(ValueError, match="COLUMN=FIELD"):
        kir.parse_map(["Tempat"])


def test_unknown_rooms_are_refused_or_created(demo_project, tmp_path):
    p = demo_project
    src = write(tmp_path / "rooms.csv",
                "Ruangan;Lantai;Nama Barang;Jumlah\n"
                "Ruang Laktasi;;Kulkas;1\n"
                "Ruang Arsip Kepegawaian;;Filing Cabinet Besi 4 Laci;2\n"
                "RUANG ARSIP KEPEGAWAIAN;;Lemari Arsip Besi 2 Pintu Kaca;1\n"
                "Ruang Kepala;Lantai 2;Meja Kerja 1/2 Biro;1\n"
                "Ruang Atap;Lantai 3;Kursi Lipat Besi;4\n")
    rooms, floors, items = count(p, Room), count(p, Floor), count(p, InventoryItem)
    with pytest.raises(ImportRefused) as info:
        kir.prepare(p, src)
    assert [e.row for e in info.value.errors] == [3, 4, 5, 6]
    assert info.value.errors[0].column == "Ruangan"
    assert info.value.hint == ("Unknown rooms: Ruang Arsip Kepegawaian, Ruang Kepala (Lantai 2), "
                               "Ruang Atap (Lantai 3); use --create-rooms or draw them in the Plan tab.")
    assert (count(p, Room), count(p, Floor), count(p, InventoryItem)) == (rooms, floors, items)

    history = History(p)
    command = kir.prepare(p, src, create_rooms=True)
    history.push(command)
    assert command.text == "Import 5 inventory row(s) and 3 new room(s) from rooms.csv"
    assert (count(p, Room), count(p, Floor), count(p, InventoryItem)) == (rooms + 3, floors + 2, items + 5)
    made = {r.name: r for r in p.session.scalars(select(Room).order_by(Room.id.desc()).limit(3))}
    assert {n: r.floor.name for n, r in made.items()} == {
        "Ruang Arsip Kepegawaian": "Belum ditempatkan", "Ruang Kepala": "Lantai 2", "Ruang Atap": "Lantai 3"}
    assert all(round(r.area_m2, 1) == 9.0 for r in made.values())
    # beside what is drawn on Lantai 2, not on top of it
    drawn = [pt[0] for r in p.session.scalars(select(Room).where(Room.floor_id == made["Ruang Kepala"].floor_id))
             if r.name != "Ruang Kepala" for pt in r.outline]
    assert min(pt[0] for pt in made["Ruang Kepala"].outline) > max(drawn)
    archive = made["Ruang Arsip Kepegawaian"]
    assert count(p, InventoryItem) and p.session.scalar(
        select(func.count()).select_from(InventoryItem).where(InventoryItem.room_id == archive.id)) == 2
    history.undo()
    assert (count(p, Room), count(p, Floor), count(p, InventoryItem)) == (rooms, floors, items)
    history.redo()
    p = reopen(p)
    try:
        assert (count(p, Room), count(p, Floor), count(p, InventoryItem)) == (rooms + 3, floors + 2, items + 5)
        # a second import finds the rooms made by the first, and the floor for unplaced rooms is reused
        src2 = write(tmp_path / "more.csv", "Ruangan;Nama Barang;Jumlah\nRuang Arsip Kepegawaian;Kursi Lipat Besi;1\n"
                                            "Ruang Baru;Kursi Lipat Besi;1\n")
        History(p).push(kir.prepare(p, src2, create_rooms=True))
        assert count(p, Floor) == floors + 2 and count(p, Room) == rooms + 4
    finally:
        p.close()


def test_empty_file_and_unreadable_files(demo_project, tmp_path):
    with pytest.raises(ImportRefused, match="empty"):
        kir.prepare(demo_project, write(tmp_path / "e.csv", "\n\n"))
    with pytest.raises(ImportRefused, match="no rows"):
        kir.prepare(demo_project, write(tmp_path / "h.csv", "Ruangan,Nama Barang,Jumlah\n"))
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    with pytest.raises(ImportRefused, match="Cannot read the spreadsheet"):
        load_sheet(tmp_path / "broken.xlsx")
    with pytest.raises(ImportRefused, match="Unsupported file type"):
        kir.prepare(demo_project, write(tmp_path / "k.ods", "x"))


# --- the command line ------------------------------------------------------------------------

def test_cli_exit_codes_and_nothing_written_on_refusal(demo_file, tmp_path):
    tables = ("inventory_item", "room", "floor")

    def snapshot():
        return {t: file_rows(demo_file, t) for t in tables}

    before = snapshot()
    rows = list(ROWS)
    rows[2] = rows[2][:11] + ("Rusak Ringan",) + rows[2][12:]
    rows[3] = rows[3][:12] + ("Ruang Kepala Dinas",) + rows[3][13:]
    bad = register_xlsx(tmp_path / "bad.xlsx", rows)
    result = run_cli("import", "inventory", str(demo_file), "--from", str(bad))
    assert result.returncode == 1, result.stderr
    assert "Nothing was imported: 2 problem(s)." in result.stderr
    assert "Unknown rooms: Ruang Kepala Dinas; use --create-rooms or draw them in the Plan tab." in result.stderr
    assert "row 10, Kondisi: 'Rusak Ringan' is not B, KB or RB" in result.stderr
    assert "row 11, Ruangan: unknown room 'Ruang Kepala Dinas'." in result.stderr
    assert snapshot() == before
    result = run_cli("import", "inventory", str(demo_file), "--from", str(bad), "--map", "Kondisi=-")
    assert result.returncode == 1 and "Kondisi" not in result.stderr  # the condition is no longer read
    result = run_cli("import", "inventory", str(demo_file), "--from", str(bad), "--map", "Kondisi=state")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "unknown field 'state'" in result.stderr
    result = run_cli("import", "inventory", str(tmp_path / "nope.mpplan"), "--from", str(bad))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert snapshot() == before
    result = run_cli("import", "inventory", str(demo_file), "--from", str(bad), "--map", "Kondisi=-",
                     "--create-rooms")
    assert result.returncode == 0, result.stderr
    assert "Import 4 inventory row(s) and 1 new room(s) from bad.xlsx" in result.stderr
    after = snapshot()
    assert len(after["inventory_item"]) == len(before["inventory_item"]) + 4
    assert len(after["room"]) == len(before["room"]) + 1 and len(after["floor"]) == len(before["floor"]) + 1
