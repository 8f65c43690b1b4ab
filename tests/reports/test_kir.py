"""The KIR (room inventory card): PDF read back as text, XLSX and CSV, and the export command."""

import csv
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from mpp_planner.model import InventoryItem, Room
from mpp_planner.reports import kir

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
    total = demo_project.session.query(InventoryItem).filter(InventoryItem.room_id.is_not(None)).count()
    assert len(rows) - 1 == total
    chairs = next(r for r in rows if r[4] == "Kursi Kerja Petugas Layanan" and r[11] == "19")
    assert chairs[13] == "30400000" and chairs[14] == "B"


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
