"""The official account code list from a spreadsheet: new codes added, names updated, codes in use kept,
a code outside the Permendagri 90/2019 structure refused with its row named, all rows or none."""

import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from mpp_planner.commands import History
from mpp_planner.importers import ImportRefused
from mpp_planner.importers import accounts
from mpp_planner.model import AccountCode, ValidationError
from mpp_planner.model.site import clean_account_code
from mpp_planner.resources_path import resource
from mpp_planner.seed import read_csv
from tests.conftest import reopen

ROOT = Path(__file__).resolve().parents[2]
PAPER = "5.1.02.01.01.0025"
ATK = "5.1.02.01.01.0024"
ATK_NEW = "Belanja Alat/Bahan untuk Kegiatan Kantor-Alat Tulis Kantor (revisi)"
NEW_CODE = "5.1.02.01.01.0032"
NEW_NAME = "Belanja Alat/Bahan untuk Kegiatan Kantor-Perlengkapan Dinas"


def codes(project) -> dict[str, str]:
    return dict(project.session.execute(select(AccountCode.code, AccountCode.name)).all())


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def write_xlsx(path: Path, rows) -> Path:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


# --- the structure check at the model boundary ------------------------------------------------

@pytest.mark.parametrize("code", ["5", "5.1", "5.1.02", "5.1.02.01", "5.1.02.01.01", "5.1.02.01.01.0025"])
def test_every_level_of_the_structure_is_an_account(code):
    assert AccountCode(code=code, name="Akun").code == code


@pytest.mark.parametrize("code", ["", "5.", "5.01", "5.1.2", "5.1.002", "5.1.02.1", "5.1.02.01.1",
                                  "5.1.02.01.01.025", "5.1.02.01.01.00025", "5.1.02.01.01.0025.01", "5-1-02",
                                  "5.1.02.01.0025", "A.1.02", "5 .1"])
def test_a_code_outside_the_structure_is_refused(code):
    with pytest.raises(ValidationError, match="90/2019"):
        AccountCode(code=code, name="Akun")


def test_lines_and_items_still_need_a_jenis_or_below():
    assert clean_account_code("5.2.02") == "5.2.02"
    for code in ("5", "5.2", "5.2.2"):
        with pytest.raises(ValidationError):
            clean_account_code(code)


def test_the_shipped_list_passes_and_has_the_hierarchy_and_official_names():
    rows = {r["code"]: r["name"] for r in read_csv(resource("account_codes.csv"))}
    for code, name in rows.items():
        AccountCode(code=code, name=name)
    assert rows["5"] == "BELANJA DAERAH" and rows["5.1"] == "BELANJA OPERASI" and rows["5.2"] == "BELANJA MODAL"
    assert rows[PAPER] == "Belanja Alat/Bahan untuk Kegiatan Kantor-Kertas dan Cover"
    assert rows["5.1.02.01.01.0029"] == "Belanja Alat/Bahan untuk Kegiatan Kantor-Bahan Komputer"
    # every code's parents are in the list too, so the RKA can print the hierarchy from the top
    for code in rows:
        parts = code.split(".")
        assert all(".".join(parts[:n]) in rows for n in range(1, len(parts))), code
    # every code the catalog books on is in the list
    assert {r["account_code"] for r in read_csv(resource("catalog.csv"))} <= set(rows)


# --- importing -----------------------------------------------------------------------------

def test_csv_adds_new_codes_and_updates_names_as_one_undo_step(demo_project, tmp_path):
    before = codes(demo_project)
    source = write_csv(tmp_path / "akun.csv", f"kode_akun;nama_akun\n{ATK};{ATK_NEW}\n{NEW_CODE};{NEW_NAME}\n"
                                              f"{PAPER};{before[PAPER]}\n")
    plan = accounts.preview(demo_project, source)
    assert plan.ok and plan.added == [(NEW_CODE, NEW_NAME)]
    assert plan.renamed == [(ATK, before[ATK], ATK_NEW)] and plan.unchanged == 1
    history = History(demo_project)
    history.push(accounts.prepare(demo_project, source))
    demo_project = reopen(demo_project)
    after = codes(demo_project)
    assert after[ATK] == ATK_NEW and after[NEW_CODE] == NEW_NAME
    # codes not in the file stay, whether used or not
    assert set(before) <= set(after) and len(after) == len(before) + 1
    history = History(demo_project)  # a new history on the reopened file: undo through the command itself
    command = accounts.prepare(demo_project, source)
    history.push(command)  # nothing left to change: a harmless step
    assert command.added == [] and command.renamed == {}


def test_undo_and_redo(demo_project, tmp_path):
    before = codes(demo_project)
    source = write_csv(tmp_path / "akun.csv", f"kode,uraian\n{ATK},{ATK_NEW}\n{NEW_CODE},{NEW_NAME}\n")
    history = History(demo_project)
    history.push(accounts.prepare(demo_project, source))
    assert history.undo()
    assert codes(demo_project) == before
    assert history.redo()
    assert codes(demo_project)[NEW_CODE] == NEW_NAME and codes(demo_project)[ATK] == ATK_NEW


def test_xlsx_with_title_rows_numbering_and_numeric_cells(demo_project, tmp_path):
    source = write_xlsx(tmp_path / "kepmendagri.xlsx", [
        ["LAMPIRAN KEPUTUSAN MENTERI DALAM NEGERI"],
        ["KLASIFIKASI, KODEFIKASI, DAN NOMENKLATUR AKUN"],
        [],
        ["No", "Kode", "Uraian"],
        [1, 2, 3],
        [1, 5, "BELANJA DAERAH"],  # Excel keeps these as numbers
        [2, 5.1, "BELANJA OPERASI"],
        [3, NEW_CODE + ".", "  " + NEW_NAME + "  "],  # a trailing dot and spaces as some exports write them
        [4, "5.1.02.01.01.0033", "Belanja Alat/Bahan untuk Kegiatan Kantor-Kaporlap dan Perlengkapan Satwa"],
    ])
    plan = accounts.preview(demo_project, source)
    assert plan.ok, plan.errors
    assert list(plan.rows) == ["5", "5.1", NEW_CODE, "5.1.02.01.01.0033"]
    History(demo_project).push(plan.command())
    demo_project = reopen(demo_project)
    assert codes(demo_project)[NEW_CODE] == NEW_NAME and codes(demo_project)["5.1.02.01.01.0033"].endswith("Satwa")


def test_bad_structure_is_refused_with_its_row_and_nothing_changes(demo_project, tmp_path):
    before = codes(demo_project)
    source = write_xlsx(tmp_path / "akun.xlsx", [
        ["Kode Akun", "Nama Akun"],
        [ATK, ATK_NEW],
        [NEW_CODE, NEW_NAME],
        ["5.1.2.01.01.0040", "Belanja Salah Struktur"],
        ["5.2.02.05.02.0001", ""],
        [NEW_CODE, "Dua Kali"],
    ])
    with pytest.raises(ImportRefused) as refused:
        accounts.prepare(demo_project, source)
    by_row = {e.row: e for e in refused.value.errors}
    assert set(by_row) == {4, 5, 6}
    assert "5.1.2.01.01.0040" in by_row[4].message and "90/2019" in by_row[4].message
    assert by_row[4].column == "Kode Akun" and by_row[5].column == "Nama Akun"
    assert "row 3" in by_row[6].message
    assert codes(reopen(demo_project)) == before


@pytest.mark.parametrize("text, words", [
    ("kode,harga\n5.1,1\n", "No header row"),
    ("kode,nama\n", "no rows"),
])
def test_file_level_refusals(demo_project, tmp_path, text, words):
    with pytest.raises(ImportRefused, match=words):
        accounts.prepare(demo_project, write_csv(tmp_path / "x.csv", text))


def test_an_existing_code_is_never_deleted_even_when_the_file_omits_it(demo_project, tmp_path):
    used = "5.2.02.05.02.0001"  # the demo books many lines on it
    source = write_csv(tmp_path / "akun.csv", f"code,name\n{NEW_CODE},{NEW_NAME}\n")
    History(demo_project).push(accounts.prepare(demo_project, source))
    assert used in codes(reopen(demo_project))


# --- the command line --------------------------------------------------------------------------

def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "mpp_planner", *args, "--lang", "en"], cwd=ROOT,
                          capture_output=True, text=True)


def test_cli_import_accounts_exit_codes(demo_file, tmp_path):
    from mpp_planner.project import Project

    good = write_csv(tmp_path / "good.csv", f"kode,nama\n{NEW_CODE},{NEW_NAME}\n{ATK},{ATK_NEW}\n")
    bad = write_csv(tmp_path / "bad.csv", f"kode,nama\n{NEW_CODE},{NEW_NAME}\n5.1.2,Belanja Salah\n")
    result = run_cli("import", "accounts", str(demo_file), "--from", str(bad))
    assert result.returncode == 1
    assert "Nothing was imported" in result.stderr and "row 3" in result.stderr and "5.1.2" in result.stderr
    p = Project.open(demo_file, readonly=True)
    try:
        assert NEW_CODE not in codes(p)
    finally:
        p.close()
    result = run_cli("import", "accounts", str(tmp_path / "nope.mpplan"), "--from", str(good))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    result = run_cli("import", "accounts", str(demo_file), "--from", str(good))
    assert result.returncode == 0, result.stderr
    assert "1 new, 1 renamed" in result.stderr
    p = Project.open(demo_file, readonly=True)
    try:
        assert codes(p)[NEW_CODE] == NEW_NAME and codes(p)[ATK] == ATK_NEW
    finally:
        p.close()


# --- a new project -----------------------------------------------------------------------------

def test_a_new_project_has_the_hierarchy_and_the_official_office_supply_accounts(tmp_path):
    from mpp_planner.seed import new_project

    project = new_project(tmp_path / "baru.mpplan", name="MPP Baru")
    try:
        names = codes(project)
    finally:
        project.close()
    for code in ("5", "5.1", "5.1.02", "5.1.02.01", "5.1.02.01.01", "5.2", "5.2.02", "5.2.03", "5.2.05"):
        assert code in names, code
    assert names[PAPER] == "Belanja Alat/Bahan untuk Kegiatan Kantor-Kertas dan Cover"
    assert names["5.1.02.01.01.0029"] == "Belanja Alat/Bahan untuk Kegiatan Kantor-Bahan Komputer"
    assert names[ATK] == "Belanja Alat/Bahan untuk Kegiatan Kantor-Alat Tulis Kantor"
