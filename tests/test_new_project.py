"""A new project from nothing (``mpp-planner new`` and ``mpp_planner.seed``): ready to use, all or nothing,
and the demo built through the same catalog loader. The importers tell what to do on an empty project."""

from __future__ import annotations

import errno
import struct
import zlib
from datetime import date
from decimal import Decimal

import pytest

from mpp_planner.cli import main
from mpp_planner.project import Project
from mpp_planner.resources_path import resource
from mpp_planner.seed import default_fiscal_year, default_letterhead, new_project, read_csv
from tests.helpers import file_rows

NAME = "MPP Kabupaten Probolinggo"
GOV = "Pemerintah Kabupaten Probolinggo"
OFFICE = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
CATALOG_ROWS = len(read_csv(resource("catalog.csv")))
CODE_ROWS = len(read_csv(resource("account_codes.csv")))


def png_bytes(width=4, height=3) -> bytes:
    """A tiny valid PNG, made without any image library."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def leftovers(folder) -> list[str]:
    """Anything a failed or cancelled build could leave beside the target: temporary files, locks."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".mpplan") or p.suffix == ".lock")


def cli_new(tmp_path, *extra, name=NAME, file="kab.mpplan"):
    return main(["new", str(tmp_path / file), "--name", name, *extra])


# --- the command line ----------------------------------------------------------------------------

def test_cli_new_makes_a_project_ready_to_use(tmp_path, capsys):
    logo = tmp_path / "logo.png"
    logo.write_bytes(png_bytes())
    rc = cli_new(tmp_path, "--government", GOV, "--office", OFFICE, "--city", "Kraksaan", "--year", "2025",
                 "--address", "Jl. Panglima Sudirman No. 134, Kraksaan", "--floor", "Lantai 1",
                 "--floor", "Lantai 2", "Mezanin", "--logo", str(logo))
    assert rc == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "kab.mpplan" in err[0] and NAME in err[0]
    assert f"{CATALOG_ROWS} item types" in err[0] and f"{CODE_ROWS} account codes" in err[0] and "3 floor" in err[0]
    path = tmp_path / "kab.mpplan"
    assert leftovers(tmp_path) == []
    project = Project.open(path, readonly=True)
    try:
        site = project.site
        assert (site.name, site.government_name, site.operator_office, site.city, site.fiscal_year) == (
            NAME, GOV, OFFICE, "Kraksaan", 2025)
        assert site.ppn_rate == Decimal("11")
        assert site.letterhead == ["PEMERINTAH KABUPATEN PROBOLINGGO", OFFICE.upper(),
                                   "MPP Kabupaten Probolinggo, Jl. Panglima Sudirman No. 134, Kraksaan"]
        assert site.logo == logo.read_bytes()
    finally:
        project.close()
    # what is on disk, read without the app
    floors = sorted(file_rows(path, "floor"), key=lambda r: r[2])
    assert [(r[1], r[2]) for r in floors] == [("Lantai 1", 1), ("Lantai 2", 2), ("Mezanin", 3)]
    types = {r[1]: r for r in file_rows(path, "item_type")}
    catalog = read_csv(resource("catalog.csv"))
    assert len(types) == len(catalog) == CATALOG_ROWS > 50
    prices = dict(sqlite_rows(path, "SELECT key, ref_price FROM item_type"))
    assert all(prices[row["key"]] == int(Decimal(row["ref_price"]) * 100) for row in catalog)  # sen, exact
    codes = {r[0] for r in file_rows(path, "account_code")}
    assert len(codes) == CODE_ROWS and "5.2.02.05.02.0001" in codes
    assert {r["account_code"] for r in catalog} <= codes  # every catalog item's account is in the list
    for table in ("agency", "room", "counter", "inventory_item", "need", "budget_line", "signatory"):
        assert file_rows(path, table) == [], table  # nothing from the demo


def sqlite_rows(path, sql):
    import sqlite3

    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_defaults_next_fiscal_year_and_a_letterhead_from_the_identity(tmp_path):
    assert default_fiscal_year(date(2024, 7, 1)) == 2025
    assert default_fiscal_year(date(2024, 12, 31)) == 2025
    assert cli_new(tmp_path, "--government", GOV) == 0
    [(year, letterhead)] = sqlite_rows(tmp_path / "kab.mpplan", "SELECT fiscal_year, letterhead FROM site")
    assert year == date.today().year + 1
    assert "PEMERINTAH KABUPATEN PROBOLINGGO" in letterhead and NAME in letterhead
    assert default_letterhead(name="MPP X", city="Kraksaan") == ["MPP X, Kraksaan"]


@pytest.mark.parametrize("args, file, words", [
    (["--name", " "], "a.mpplan", "--name must not be empty"),
    (["--name", NAME, "--year", "abc"], "a.mpplan", "--year must be a year"),
    (["--name", NAME, "--year", "1999"], "a.mpplan", "from 2000 to 2100"),
    (["--name", NAME], "a.txt", "must be a .mpplan file"),
    (["--name", NAME], "a", "must be a .mpplan file"),
    (["--name", NAME], "no/such/folder/a.mpplan", "does not exist"),
    (["--name", NAME, "--floor", "Lantai 1", "--floor", "lantai 1"], "a.mpplan", "given twice"),
    (["--name", NAME, "--logo", "{tmp}/notes.txt"], "a.mpplan", "PNG or JPEG"),
    (["--name", NAME, "--logo", "{tmp}/missing.png"], "a.mpplan", "Cannot read the logo"),
    (["--name", "x" * 201], "a.mpplan", "too long"),
])
def test_refused_with_one_line_exit_2_and_no_file(tmp_path, capsys, args, file, words):
    (tmp_path / "notes.txt").write_text("not an image")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    rc = main(["new", str(tmp_path / file), *[a.replace("{tmp}", str(tmp_path)) for a in args]])
    err = capsys.readouterr().err.strip()
    assert rc == 2, err
    assert words in err and len(err.splitlines()) == 1, err
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_an_existing_file_is_kept_without_force_and_replaced_with_it(tmp_path, capsys):
    target = tmp_path / "kab.mpplan"
    target.write_bytes(b"precious")
    assert cli_new(tmp_path) == 2
    assert "already exists; use --force" in capsys.readouterr().err
    assert target.read_bytes() == b"precious"
    assert cli_new(tmp_path, "--force") == 0
    assert sqlite_rows(target, "SELECT name FROM site") == [(NAME,)]
    assert leftovers(tmp_path) == []


def test_an_unwritable_folder_is_told_and_leaves_nothing(tmp_path, capsys, monkeypatch):
    import tempfile

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)  # as a read-only folder answers (root ignores chmod)
    assert cli_new(tmp_path) == 2
    err = capsys.readouterr().err
    assert "Cannot write" in err and "Permission denied" in err
    assert list(tmp_path.iterdir()) == []


def test_a_failure_while_seeding_leaves_no_file_and_keeps_the_old_one(tmp_path, monkeypatch):
    from mpp_planner import seed

    target = tmp_path / "kab.mpplan"
    new_project(target, name="Lama").close()
    old = target.read_bytes()

    def full(session):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(seed, "load_catalog", full)
    with pytest.raises(OSError):
        new_project(target, name=NAME, overwrite=True)
    assert target.read_bytes() == old and leftovers(tmp_path) == []
    with pytest.raises(OSError):
        new_project(tmp_path / "other.mpplan", name=NAME)
    assert not (tmp_path / "other.mpplan").exists() and leftovers(tmp_path) == []


def test_a_cancelled_build_leaves_no_file(tmp_path):
    from mpp_planner.jobs import Cancelled, Job

    job = Job("new")
    seen = []

    def progress(done, total, text):
        seen.append(text)
        if "catalog" in text:
            job.cancel()  # while the catalog goes in

    job.on_progress = progress
    with pytest.raises(Cancelled):
        job.run(lambda: new_project(tmp_path / "kab.mpplan", name=NAME))
    assert any("catalog" in text for text in seen)
    assert list(tmp_path.iterdir()) == []


def test_the_project_open_here_is_not_replaced(tmp_path):
    from mpp_planner.store import ProjectFileError

    project = new_project(tmp_path / "kab.mpplan", name=NAME)
    try:
        with pytest.raises(ProjectFileError, match="open now"):
            new_project(tmp_path / "kab.mpplan", name="Other", overwrite=True)
        assert project.site.name == NAME
    finally:
        project.close()
    assert sqlite_rows(tmp_path / "kab.mpplan", "SELECT name FROM site") == [(NAME,)]


def test_signatories_are_checked_by_the_model_and_stored(tmp_path):
    from mpp_planner.model import ValidationError

    bad = {"role": "head", "title": "Kepala Dinas", "name": "Drs. Budi", "nip": "1968051219940310"}
    with pytest.raises(ValidationError, match="18 digits"):
        new_project(tmp_path / "kab.mpplan", name=NAME, signatories=[bad])
    assert list(tmp_path.iterdir()) == []
    twice = [dict(bad, nip="196805121994031007"), dict(bad, name="Other", nip="")]
    with pytest.raises(ValidationError, match="role 'head'"):
        new_project(tmp_path / "kab.mpplan", name=NAME, signatories=twice)
    new_project(tmp_path / "kab.mpplan", name=NAME, signatories=[dict(bad, nip="19680512 199403 1 007")]).close()
    assert [(r[1], r[3], r[5]) for r in file_rows(tmp_path / "kab.mpplan", "signatory")] == [
        ("head", "Drs. Budi", "196805121994031007")]


# --- the demo goes through the same loader ---------------------------------------------------------

def test_the_demo_builds_its_catalog_through_the_shared_loader(tmp_path, demo_master):
    """Before the loaders moved, the demo had 73 item types; it still has, and the account list of
    ``resources/`` (hierarchy rows included), row for row the same as a new project's."""
    new_project(tmp_path / "kab.mpplan", name=NAME).close()
    assert len(file_rows(demo_master, "item_type")) == 73 == CATALOG_ROWS
    assert len(file_rows(demo_master, "account_code")) == CODE_ROWS
    assert file_rows(demo_master, "item_type") == file_rows(tmp_path / "kab.mpplan", "item_type")
    assert file_rows(demo_master, "account_code") == file_rows(tmp_path / "kab.mpplan", "account_code")


# --- messages that meet an empty catalog or plan say what to do next ------------------------------

def test_import_prices_on_an_empty_catalog_says_how_to_fill_it(tmp_path, capsys):
    Project.create(tmp_path / "empty.mpplan", site_name="MPP Uji").close()
    (tmp_path / "ssh.csv").write_text("kode,harga\nkulkas,4500000\n", encoding="utf-8")
    assert main(["import", "prices", str(tmp_path / "empty.mpplan"), "--from", str(tmp_path / "ssh.csv")]) == 1
    err = capsys.readouterr().err
    assert "catalog is empty" in err and "mpp-planner new" in err and "Catalog…" in err
    assert "unknown item type" not in err


def test_import_prices_works_on_a_new_project(tmp_path, capsys):
    assert cli_new(tmp_path) == 0
    (tmp_path / "ssh.csv").write_text("kode,harga\nkursi_petugas,Rp1.725.000\n", encoding="utf-8")
    assert main(["import", "prices", str(tmp_path / "kab.mpplan"), "--from", str(tmp_path / "ssh.csv")]) == 0
    assert sqlite_rows(tmp_path / "kab.mpplan", "SELECT ref_price FROM item_type WHERE key='kursi_petugas'") == [
        (172_500_000,)]


def test_import_inventory_without_rooms_says_to_draw_or_import_the_plan(tmp_path, capsys):
    assert cli_new(tmp_path, "--floor", "Lantai 1") == 0
    capsys.readouterr()
    (tmp_path / "kir.csv").write_text("ruangan,kode,jumlah\nLobi,kursi_petugas,2\n", encoding="utf-8")
    assert main(["import", "inventory", str(tmp_path / "kab.mpplan"), "--from", str(tmp_path / "kir.csv")]) == 1
    err = capsys.readouterr().err
    assert "no rooms yet" in err and "Plan tab" in err and "mpp-planner import plan FILE --from PLAN.dxf" in err
    assert "unknown room" not in err
    assert file_rows(tmp_path / "kab.mpplan", "inventory_item") == []


def test_import_inventory_with_rooms_but_no_catalog_says_the_catalog_is_empty(empty_project, tmp_path):
    from mpp_planner.importers import ImportRefused
    from mpp_planner.importers.inventory import prepare
    from tests.helpers import add_floor_with_room

    add_floor_with_room(empty_project)
    (tmp_path / "kir.csv").write_text("ruangan,kode,jumlah\nAula,kursi_petugas,2\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        prepare(empty_project, tmp_path / "kir.csv")
    assert "catalog is empty" in str(refused.value)


def test_the_no_rooms_message_stays_out_of_the_way_when_the_import_creates_rooms(tmp_path):
    from mpp_planner.importers.inventory import require_rooms_and_catalog

    project = new_project(tmp_path / "kab.mpplan", name=NAME)
    try:
        require_rooms_and_catalog(project, create_rooms=True)  # nothing to say: rooms will be made
    finally:
        project.close()
