"""The KIR (room inventory card): PDF read back as text, XLSX and CSV, and the export command."""

import csv
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from mpp_planner.model import InventoryItem, ItemType, Room
from mpp_planner.reports import kir
from tests.conftest import reopen

ROOT = Path(__file__).resolve().parents[2]


def export(project, out: Path, room=None, when="2024-01-15"):
    kir.export(project, out, out.suffix.lstrip("."), SimpleNamespace(room=room, date=when))
    return out


def pdf_pages(path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages]


def test_one_room_card_with_header_columns_and_signatures(demo_project, tmp_path):
    pages = pdf_pages(export(demo_project, tmp_path / "laktasi.pdf", room="ruang laktasi"))
    assert len(pages) == 1
    text = pages[0]
    assert "KARTU INVENTARIS RUANGAN (KIR)" in text
    for label, value in (("PROVINSI", "JAWA TIMUR"), ("KABUPATEN/KOTA", "KOTA PROBOLINGGO"),
                         ("UNIT", "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU"),
                         ("SATUAN KERJA", "MPP KOTA PROBOLINGGO"), ("RUANGAN", "RUANG LAKTASI (LANTAI 1)"),
                         ("NO. KODE LOKASI", "R.1.01")):
        assert f"{label} : {value}" in text
    for column in ("No", "Nama/Jenis Barang", "Merk/Model", "No. Seri Pabrik", "Ukuran", "Bahan",
                   "Tahun Pembuatan/", "No. Kode Barang", "Jumlah Barang", "Harga Beli/", "Keadaan Barang",
                   "Keterangan"):
        assert column in text
    assert "Kursi Plastik (Bangku)" in text and "Meja Kecil / Meja Samping" in text
    assert "JUMLAH" in text
    # footer: place and date, the three signers with name and NIP
    assert "Probolinggo, 15 Januari 2024" in text
    assert "Mengetahui," in text and "Muhammad Abas" in text and "NIP. 19680512 199403 1 007" in text
    assert "Pengurus Barang" in text and "Agus Setiawan, S.E." in text and "NIP. 19870922 201101 1 003" in text
    assert "Penanggung Jawab Ruangan" in text and "Rina Puspitasari, S.AP." in text
    assert "Halaman 1 dari 1" in text


def test_every_room_with_inventory_gets_its_own_pages(demo_project, tmp_path):
    pages = pdf_pages(export(demo_project, tmp_path / "kir.pdf"))
    rooms = demo_project.session.scalars(select(Room).where(
        Room.id.in_(select(InventoryItem.room_id)))).all()
    starts = [p for p in pages if "KARTU INVENTARIS RUANGAN (KIR) PROVINSI" in p]
    assert len(starts) == len(rooms)  # one card per room, each starting a page
    for room in rooms:
        assert sum(f"RUANGAN : {room.name.upper()} (" in p for p in starts) == 1
    # a long card continues on the next page with its header rows and its name
    cont = [p for p in pages if "(lanjutan)" in p]
    assert any("RUANG PELAYANAN LT. 1" in p and "Nama/Jenis Barang" in p for p in cont)
    assert f"Halaman {len(pages)} dari {len(pages)}" in pages[-1]


def test_room_officer_of_the_room_wins_over_the_site_signatory(demo_project, tmp_path):
    with demo_project.edit():
        room = demo_project.session.scalar(select(Room).where(Room.name == "Mushola"))
        room.officer_name = "H. Ahmad Fauzi"
        room.officer_nip = "198001012005011002"
    text = pdf_pages(export(demo_project, tmp_path / "m.pdf", room="Mushola"))[0]
    assert "H. Ahmad Fauzi" in text and "NIP. 19800101 200501 1 002" in text
    assert "Rina Puspitasari" not in text


def test_unknown_room_is_refused(demo_project, tmp_path):
    with pytest.raises(LookupError, match="No room is called 'Ruang Rahasia'"):
        export(demo_project, tmp_path / "x.pdf", room="Ruang Rahasia")
    assert not (tmp_path / "x.pdf").exists()


def test_xlsx_has_a_sheet_per_room(demo_project, tmp_path):
    from openpyxl import load_workbook

    wb = load_workbook(export(demo_project, tmp_path / "kir.xlsx"))
    assert "Ruang Laktasi" in wb.sheetnames
    ws = wb["Ruang Laktasi"]
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert "KARTU INVENTARIS RUANGAN (KIR)" in cells
    assert "Kursi Plastik (Bangku)" in cells and "Keadaan Barang" in cells
    assert "Rina Puspitasari, S.AP." in cells
    assert ws.page_setup.orientation == "landscape"


def test_csv_lists_every_row(demo_project, tmp_path):
    out = export(demo_project, tmp_path / "kir.csv")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:5] == ["Lantai", "Ruangan", "No. Kode Lokasi", "No", "Nama/Jenis Barang"]
    assert rows[0][10:13] == ["No. Kode Barang", "No. Register", "Jumlah Barang"]
    total = demo_project.session.query(InventoryItem).filter(InventoryItem.room_id.is_not(None)).count()
    assert len(rows) - 1 == total
    chairs = next(r for r in rows if r[4] == "Kursi Kerja Petugas Layanan" and r[12] == "19")
    assert chairs[14] == "30400000" and chairs[15] == "B"


# --- kode barang (Permendagri 108/2016) with the register number -------------------------------

def give_laktasi_codes(project):
    """The lactation room's rows numbered 0001…; the chair's and the table's types get a kode barang, the
    table row its own too (it wins over its type's). Returns item name -> (kode barang, register number)."""
    with project.edit() as s:
        types = {t.key: t for t in s.scalars(select(ItemType))}
        types["kursi_plastik"].asset_code = "1.3.2.05.02.01.029"
        types["meja_kecil"].asset_code = "1.3.2.05.02.01.016"
        room = s.scalar(select(Room).where(Room.name == "Ruang Laktasi"))
        items = s.scalars(select(InventoryItem).where(InventoryItem.room_id == room.id)
                          .order_by(InventoryItem.id)).all()
        for n, item in enumerate(items, 1):
            item.register_code = f"{n:04d}"
            if item.item_type.key == "meja_kecil":
                item.asset_code = "1.3.2.05.02.01.048"
    return {i.item_type.name: (i.kode_barang, i.register_code) for i in items}


def test_kir_prints_the_kode_barang_with_the_register_number(demo_project, tmp_path):
    codes = give_laktasi_codes(demo_project)
    assert codes["Kursi Plastik (Bangku)"] == ("1.3.2.05.02.01.029", "0001")
    assert codes["Meja Kecil / Meja Samping"] == ("1.3.2.05.02.01.048", "0002")  # the row's own beats its type's
    project = reopen(demo_project)  # what the file holds
    try:
        text = pdf_pages(export(project, tmp_path / "laktasi.pdf", room="Ruang Laktasi"))[0]
        # two lines in the narrow cell ("code /" then the number), one text when read back
        assert "1.3.2.05.02.01.029 / 0001" in text and "1.3.2.05.02.01.048 / 0002" in text
        assert "1.3.2.05.02.01.016" not in text

        from openpyxl import load_workbook

        ws = load_workbook(export(project, tmp_path / "laktasi.xlsx", room="Ruang Laktasi"))["Ruang Laktasi"]
        head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 8).value == "No. Kode Barang")
        cells = {ws.cell(r, 2).value: ws.cell(r, 8) for r in range(head + 2, ws.max_row + 1) if ws.cell(r, 8).value}
        chair = cells["Kursi Plastik (Bangku)"]
        assert chair.value == "1.3.2.05.02.01.029 / 0001" and chair.number_format == "@"
        assert chair.alignment.wrap_text and ws.row_dimensions[chair.row].height >= 27  # two lines tall
        assert cells["Meja Kecil / Meja Samping"].value == "1.3.2.05.02.01.048 / 0002"

        with open(export(project, tmp_path / "laktasi.csv", room="Ruang Laktasi"), encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
        by_name = {r["Nama/Jenis Barang"]: (r["No. Kode Barang"], r["No. Register"]) for r in rows}
        assert by_name == codes
    finally:
        project.close()


def test_code_cell_holds_what_there_is():
    def row(own="", of_type="", register=""):
        return SimpleNamespace(kode_barang=own or of_type, register_code=register)

    assert kir.code_text(row("1.3.2.05.01.04.001", register="0003")) == "1.3.2.05.01.04.001 / 0003"
    assert kir.code_text(row(of_type="1.3.2.10.01.02.001")) == "1.3.2.10.01.02.001"
    assert kir.code_text(row(register="02.06.01.05.08.0003")) == "02.06.01.05.08.0003"
    assert kir.code_text(row()) == ""


def test_long_signer_titles_get_a_row_tall_enough(demo_project, tmp_path):
    from openpyxl import load_workbook

    from mpp_planner.model import Signatory

    with demo_project.edit() as s:
        head = s.scalar(select(Signatory).where(Signatory.role == "head"))
        head.title = ("Plt. Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Probolinggo selaku "
                      "Kuasa Pengguna Barang Milik Daerah pada Unit Pelaksana Teknis Mal Pelayanan Publik")
    ws = load_workbook(export(demo_project, tmp_path / "m.xlsx", room="Mushola"))["Mushola"]
    title = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == head.title)
    assert ws.cell(title, 1).alignment.wrap_text
    assert ws.row_dimensions[title].height >= 3 * 12  # three lines of 10 pt


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "mpp_planner", *args, "--lang", "en"], cwd=ROOT,
                          capture_output=True, text=True)


def test_cli_export_inventory(demo_file, tmp_path):
    out = tmp_path / "kir.pdf"
    result = run_cli("export", "inventory", str(demo_file), "--room", "Ruang Laktasi", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert len(PdfReader(str(out)).pages) == 1
    result = run_cli("export", "inventory", str(demo_file), "--room", "Tidak Ada", "-o", str(tmp_path / "y.pdf"))
    assert result.returncode == 2 and "No room is called" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "y.pdf").exists()
    result = run_cli("export", "inventory", str(demo_file), "-o", str(tmp_path / "kir.docx"))
    assert result.returncode == 2 and "Unknown output format" in result.stderr
