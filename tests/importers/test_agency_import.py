"""Importing agencies: headers in two languages, CSV/XLSX/encodings, row errors, all or nothing, CLI."""

import shutil
import sqlite3
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mpp_planner.commands import History
from mpp_planner.importers import ImportRefused
from mpp_planner.importers.agencies import parse_tier, prepare, read
from mpp_planner.model import Agency, Service
from mpp_planner.resources_path import resource
from tests.conftest import reopen

ROOT = Path(__file__).resolve().parents[2]

JATIM = """name,short_name,tier,typical_services,seen_at
Kantor Pelayanan Pajak Pratama Probolinggo,KPP Pratama,pusat,NPWP registration; tax consultation,Kota Probolinggo 2019
UPT Pendapatan Daerah Provinsi Jawa Timur Probolinggo (Samsat),Samsat,provinsi,annual vehicle tax (PKB),Kab. Probolinggo
Bank Jatim Cabang Probolinggo,Bank Jatim,bumd,tax and levy payments; accounts,Kota Probolinggo 2019
PT Pos Indonesia KCU Probolinggo,Pos,bumn,parcel delivery; payments,Kota Probolinggo 2019
BPJS Kesehatan Cabang Pasuruan,BPJS Kesehatan,badan_hukum_publik,membership registration,Kota Probolinggo 2019
Dinas Sosial Kota Probolinggo,Dinsos,kab_kota,social assistance data (DTKS),(typical)
"""

INDONESIAN = """Nama Instansi;Singkatan;Tingkat;Warna;Narahubung;Telepon;Nomor PKS;Tanggal PKS;Layanan
Kantor Imigrasi Malang;Imigrasi;Vertikal;#1a237e;Budi;0341-1;PKS/1/2020;20 Mei 2020;"Paspor baru; Penggantian paspor"
UPT Samsat;Samsat;Provinsi;2E8B57;;;;;PKB
Dinas Sosial;Dinsos;Kab/Kota;;;;;;DTKS
PT Taspen;Taspen;BUMN;;;;;;Pensiun
Bank Jatim;Bank Jatim;BUMD;;;;;;Rekening
BPJS Kesehatan;BPJS Kes;Badan Hukum Publik;;;;;;Kepesertaan
Notaris Bersama;Notaris;Swasta;#abc;;;;2021-03-04;
"""

ENGLISH = """Name,Short name,Type,Colour,Contact person,Phone,E-mail,MoU number,MoU date,Services,Notes
Regional Police,Polres,central,#3E2723,Aiptu B,0335-2,,B/27/2019,20/05/2019,Driving licence | Police clearance,ok
Civil Registry,Capil,City / regency,#D98E04,,,,,,ID card,
"""


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def count(project, cls=Agency):
    return project.session.scalar(select(func.count()).select_from(cls))


def snapshot(project):
    return [tuple(r) for r in project.session.execute(select(Agency.__table__).order_by(Agency.id))]


def test_the_demo_list_imports_into_an_empty_project_and_undo_removes_it(empty_project):
    cmd = prepare(empty_project, resource("agencies.csv"))
    h = History(empty_project)
    h.push(cmd)
    n = count(empty_project)
    assert n >= 25
    kpp = empty_project.session.scalar(select(Agency).where(Agency.short_name == "KPP Pratama"))
    assert kpp.tier == "pusat" and kpp.colour == "#1F4E99" and kpp.mou_date == date(2019, 5, 20)
    assert "Pendaftaran NPWP" in [s.name for s in kpp.services]
    h.undo()
    assert count(empty_project) == 0 and count(empty_project, Service) == 0
    h.redo()
    project = reopen(empty_project)
    try:
        assert count(project) == n
    finally:
        project.close()


def test_jatim_columns_typical_services_and_distinct_automatic_colours(empty_project, tmp_path):
    plan = read(empty_project, write(tmp_path, "jatim.csv", JATIM))
    assert plan.errors == []
    History(empty_project).push(plan.command())
    agencies = empty_project.all(Agency, Agency.id)
    assert [a.tier for a in agencies] == ["pusat", "provinsi", "bumd", "bumn", "badan_hukum_publik", "kab_kota"]
    assert len({a.colour for a in agencies}) == len(agencies)
    assert [s.name for s in agencies[0].services] == ["NPWP registration", "tax consultation"]


def test_indonesian_headers_semicolons_and_tier_words(empty_project, tmp_path):
    plan = read(empty_project, write(tmp_path, "instansi.csv", INDONESIAN))
    assert plan.errors == [], plan.errors
    History(empty_project).push(plan.command())
    by_short = {a.short_name: a for a in empty_project.all(Agency)}
    assert {k: a.tier for k, a in by_short.items()} == {
        "Imigrasi": "pusat", "Samsat": "provinsi", "Dinsos": "kab_kota", "Taspen": "bumn", "Bank Jatim": "bumd",
        "BPJS Kes": "badan_hukum_publik", "Notaris": "swasta"}
    imi = by_short["Imigrasi"]
    assert imi.colour == "#1A237E" and imi.mou_date == date(2020, 5, 20) and imi.mou_number == "PKS/1/2020"
    assert [s.name for s in imi.services] == ["Paspor baru", "Penggantian paspor"]
    assert by_short["Samsat"].colour == "#2E8B57" and by_short["Notaris"].colour == "#AABBCC"
    assert by_short["Notaris"].mou_date == date(2021, 3, 4)


def test_english_headers(empty_project, tmp_path):
    History(empty_project).push(prepare(empty_project, write(tmp_path, "en.csv", ENGLISH)))
    polres = empty_project.session.scalar(select(Agency).where(Agency.short_name == "Polres"))
    assert polres.tier == "pusat" and polres.mou_date == date(2019, 5, 20) and polres.notes == "ok"
    assert [s.name for s in polres.services] == ["Driving licence", "Police clearance"]


def test_xlsx_with_date_cells(empty_project, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["nama", "singkatan", "jenis", "warna", "tanggal_mou", "layanan"])
    ws.append(["Kantor Pertanahan", "BPN", "pusat", "#5D4037", datetime(2019, 5, 20), "Sertifikat; Informasi"])
    ws.append([None, None, None, None, None, None])
    ws.append(["Dinas Kesehatan", "Dinkes", "kab_kota", None, None, "Izin"])
    path = tmp_path / "instansi.xlsx"
    wb.save(path)
    History(empty_project).push(prepare(empty_project, path))
    bpn = empty_project.session.scalar(select(Agency).where(Agency.short_name == "BPN"))
    assert bpn.mou_date == date(2019, 5, 20) and len(bpn.services) == 2
    assert count(empty_project) == 2


def test_windows_1252_and_bom(empty_project, tmp_path):
    text = "name,short_name,tier\nCafé Layanan – Swasta,Café,swasta\n"
    History(empty_project).push(prepare(empty_project, write(tmp_path, "cp.csv", text, "cp1252")))
    assert empty_project.all(Agency)[0].name == "Café Layanan – Swasta"
    text = "name,short_name,tier\nDinas Perhubungan,Dishub,kab_kota\n"
    History(empty_project).push(prepare(empty_project, write(tmp_path, "bom.csv", text, "utf-8-sig")))
    assert {a.short_name for a in empty_project.all(Agency)} == {"Café", "Dishub"}


def test_empty_rows_are_skipped(empty_project, tmp_path):
    text = "\nname,short_name,tier\n,,\nDinas Sosial,Dinsos,kab_kota\n , \n\n,,\nDinas Kesehatan,Dinkes,kab_kota\n"
    plan = read(empty_project, write(tmp_path, "gaps.csv", text))
    assert [r.row for r in plan.rows] == [4, 8] and plan.errors == []


@pytest.mark.parametrize("body, words", [
    ("A,Aa,pusat\nB,Bb,kecamatan\n", ["row 3", "unknown tier 'kecamatan'"]),
    ("A,Aa,pusat,merah\n", ["row 2", "Colour", "'merah' is not a colour"]),
    ("A,Aa,pusat,#12345G\n", ["'#12345G' is not a colour"]),
    ("A,Aa,pusat\nB,Bb,swasta\na ,Cc,pusat\n", ["row 4", "'a' is also in row 2"]),
    ("A,Aa,pusat\nB,AA,swasta\n", ["row 3", "short name 'AA' is also in row 2"]),
    ("Polres Probolinggo Kota,Pol,pusat\n", ["already in the project"]),
    ("X,BPJS Kesehatan,pusat\n", ["already used by"]),
    (",Aa,pusat\n", ["Name must not be empty"]),
    ("A,Aa,\n", ["Tier must not be empty"]),
], ids=["tier", "colour-word", "colour-hex", "dup-name", "dup-short", "dup-project", "dup-project-short",
        "empty-name", "empty-tier"])
def test_row_errors_refuse_everything(demo_project, tmp_path, body, words):
    header = "name,short_name,tier,colour\n" if "colour" in words[-1] or "#" in body else "name,short_name,tier\n"
    path = write(tmp_path, "bad.csv", header + body)
    before = snapshot(demo_project)
    with pytest.raises(ImportRefused) as exc:
        History(demo_project).push(prepare(demo_project, path))
    message = str(exc.value)
    for w in words:
        assert w in message
    assert snapshot(demo_project) == before


def test_bad_date_and_missing_columns(empty_project, tmp_path):
    with pytest.raises(ImportRefused, match="not a date"):
        prepare(empty_project, write(tmp_path, "d.csv", "nama,singkatan,tingkat,tanggal_pks\nA,B,pusat,31/02/2020\n"))
    with pytest.raises(ImportRefused, match="Missing column"):
        prepare(empty_project, write(tmp_path, "m.csv", "nama,warna\nA,#000000\n"))


def test_a_50_mb_file_is_refused_at_once(empty_project, tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as fh:
        fh.write(b"name,short_name,tier\n")
        fh.truncate(50 * 1024 * 1024)
    with pytest.raises(ImportRefused, match="too large"):
        prepare(empty_project, path)
    assert count(empty_project) == 0


def test_tier_words():
    assert parse_tier("Pusat / Vertikal") == "pusat"
    assert parse_tier("KAB/KOTA") == "kab_kota"
    assert parse_tier("badan_hukum_publik") == "badan_hukum_publik"
    assert parse_tier("Central / vertical") == "pusat"
    assert parse_tier("desa") is None


def dump(path):
    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
                for t in ("agency", "service", "counter", "counter_assignment", "counter_service")}
    finally:
        con.close()


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "mpp_planner", "--lang", "en", *args], cwd=ROOT,
                          capture_output=True, text=True)


def test_cli_import_exit_codes(demo_file, tmp_path):
    good = write(tmp_path, "good.csv", "nama,singkatan,tingkat\nBadan Narkotika Nasional,BNN,vertikal\n")
    bad = write(tmp_path, "bad.csv", "nama,singkatan,tingkat\nA,Aa,pusat\nB,Bb,kecamatan\nC,Cc,pusat,#zz\n")
    before = dump(demo_file)
    result = run_cli("import", "agencies", str(demo_file), "--from", str(bad))
    assert result.returncode == 1
    assert "Nothing was imported" in result.stderr and "row 3" in result.stderr and "kecamatan" in result.stderr
    assert "Traceback" not in result.stderr
    assert dump(demo_file) == before
    result = run_cli("import", "agencies", str(demo_file), "--from", str(good))
    assert result.returncode == 0, result.stderr
    assert "Import 1 agency from good.csv" in result.stderr
    after = dump(demo_file)
    assert len(after["agency"]) == len(before["agency"]) + 1 and after["counter"] == before["counter"]
    notproject = write(tmp_path, "x.mpplan", "hello")
    result = run_cli("import", "agencies", str(notproject), "--from", str(good))
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    shutil.copy(good, tmp_path / "again.csv")
    result = run_cli("import", "agencies", str(demo_file), "--from", str(tmp_path / "again.csv"))
    assert result.returncode == 1 and "already in the project" in result.stderr
