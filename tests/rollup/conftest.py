"""Three generated MPPs of different sizes and identities in one folder, beside a damaged file and a text file:
the demo (MPP Kota Probolinggo), a regency built from nothing through `new`, the imports and commands (MPP
Kabupaten Malang), and the demo at scale 2 renamed through the settings command (MPP Kota Batu)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from mpp_planner.cli import main

YEAR = 2024
GOOD = ("batu.mpplan", "malang.mpplan", "probolinggo.mpplan")
DAMAGED, TEXT = "rusak.mpplan", "catatan.txt"
MALANG_AGENCIES = """name,short_name,tier,services
Kantor Pelayanan Pajak Pratama Kepanjen,KPP Kepanjen,pusat,NPWP;Konsultasi pajak
Polres Malang,Polres,pusat,SKCK
UPT Bapenda Jawa Timur Malang,Samsat,provinsi,Pajak kendaraan
Dinas Kependudukan dan Pencatatan Sipil Kabupaten Malang,Dispendukcapil,kab_kota,KTP-el;Kartu Keluarga;Akta Kelahiran
PT Pos Indonesia,Pos,bumn,Pengiriman
Bank Jatim Cabang Kepanjen,Bank Jatim,bumd,Pembayaran PBB
BPJS Kesehatan,BPJS Kesehatan,badan_hukum_publik,Kepesertaan
"""


def cli(*args) -> int:
    return main([str(a) for a in args])


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def build_malang(path: Path, work: Path) -> Path:
    """A regency made only through `new`, the imports a new user has and the commands the screens run: seven
    agencies, one counter each but the last (and one counter left unallocated), the needs the check finds and
    their budget lines for 2024, two of them approved."""
    from tests.test_second_mpp import architects_dxf

    assert cli("new", path, "--name", "MPP Kabupaten Malang", "--government", "Pemerintah Kabupaten Malang",
               "--office", "DPMPTSP Kabupaten Malang", "--city", "Kepanjen", "--province", "Jawa Timur",
               "--year", str(YEAR)) == 0
    (work / "instansi.csv").write_text(MALANG_AGENCIES, encoding="utf-8")
    assert cli("import", "agencies", path, "--from", work / "instansi.csv") == 0
    assert cli("import", "plan", path, "--from", architects_dxf(work / "denah.dxf"), "--floor", "Lantai 1",
               "--layers", "RUANG") == 0
    from mpp_planner.commands import History
    from mpp_planner.commands.agencies import AssignAgency
    from mpp_planner.commands.budget import EditBudgetLines, budget_gaps
    from mpp_planner.commands.inventory import needs_from_findings
    from mpp_planner.commands.plan import PlaceCounter
    from mpp_planner.model import Agency, BudgetLine, Counter, Floor
    from mpp_planner.project import Project
    from mpp_planner.reads.budget import open_gaps
    from mpp_planner.reads.findings import check_standards

    project = Project.open(path)
    try:
        history = History(project)
        floor = project.all(Floor)[0]
        agencies = project.all(Agency, Agency.id)
        for i, agency in enumerate(agencies[:-1]):
            history.push(PlaceCounter(floor.id, 2000 + 2500 * i, 3000))
            counter = project.all(Counter, Counter.id)[-1]
            history.push(AssignAgency([counter.id], agency.id))
        history.push(PlaceCounter(floor.id, 2000, 9000))  # not allocated yet
        history.push(needs_from_findings(project, check_standards(project).findings).command)
        history.push(budget_gaps(project, [g.need.id for g in open_gaps(project)], YEAR))
        lines = project.all(BudgetLine, BudgetLine.id)
        history.push(EditBudgetLines("approve", {lines[0].id: {"status": "approved"},
                                                 lines[1].id: {"status": "approved",
                                                               "approved_amount": lines[1].amount / 2},
                                                 lines[2].id: {"status": "rejected"}}))
    finally:
        project.close()
    return path


def build_batu(path: Path) -> Path:
    """The demo at scale 2 (twice the floors, rooms, counters and lines), renamed through the settings command."""
    from mpp_planner.commands import History
    from mpp_planner.commands.site import edit_settings
    from mpp_planner.demo import build_demo
    from mpp_planner.project import Project

    build_demo(path, scale=2)
    project = Project.open(path)
    try:
        History(project).push(edit_settings(project, {"name": "MPP Kota Batu", "city": "Batu",
                                                      "government_name": "PEMERINTAH KOTA BATU"}, {}))
    finally:
        project.close()
    return path


def damage(source: Path, dest: Path) -> Path:
    """A project file cut short, as a broken download or a full USB stick leaves it."""
    dest.write_bytes(Path(source).read_bytes()[:6000])
    return dest


@pytest.fixture(scope="session")
def mpp_master(tmp_path_factory, demo_master) -> Path:
    """The folder as it arrives at the province: three MPPs, a damaged file and a note. Built once; tests that
    change it work on a copy (``mpp_folder``)."""
    work = tmp_path_factory.mktemp("rollup_build")
    folder = work / "mpp"
    folder.mkdir()
    shutil.copy2(demo_master, folder / "probolinggo.mpplan")
    build_malang(folder / "malang.mpplan", work)
    build_batu(folder / "batu.mpplan")
    damage(demo_master, folder / DAMAGED)
    (folder / TEXT).write_text("MPP yang belum mengirim berkas: Kota Blitar, Kabupaten Ngawi\n", encoding="utf-8")
    return folder


@pytest.fixture
def mpp_folder(mpp_master, tmp_path) -> Path:
    folder = tmp_path / "berkas MPP"
    shutil.copytree(mpp_master, folder)
    return folder
