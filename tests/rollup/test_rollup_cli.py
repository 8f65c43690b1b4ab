"""``mpp-planner rollup FILE_OR_FOLDER… -o OUT``: exit 0 when every file was read, 1 when some were skipped
(listed on stderr), 2 when none could be read or the arguments are wrong; progress lines on stderr."""

from __future__ import annotations

import csv
import shutil

import pytest

from tests.rollup.conftest import DAMAGED, GOOD, TEXT, YEAR, cli, sha256


def test_every_file_read_exits_0(mpp_master, tmp_path, capsys):
    out = tmp_path / "rekap.csv"
    assert cli("rollup", *(mpp_master / name for name in GOOD), "-o", out, "--year", YEAR) == 0
    err = capsys.readouterr().err
    assert "[3/3]" in err and "Skipped" not in err and f"Written: {out}" in err
    with open(out, newline="", encoding="utf-8-sig") as fh:
        assert len(list(csv.DictReader(fh))) == 3


def test_a_folder_with_files_that_are_not_projects_exits_1_and_lists_them(mpp_folder, tmp_path, capsys):
    out = tmp_path / "rekap.xlsx"
    before = {p.name: sha256(p) for p in mpp_folder.iterdir()}
    assert cli("rollup", mpp_folder, "-o", out) == 1
    err = capsys.readouterr().err
    assert "[0/5]" in err and "[5/5]" in err
    skipped = [line for line in err.splitlines() if line.startswith("Skipped: ")]
    assert len(skipped) == 2
    assert any(DAMAGED in line and "damaged" in line for line in skipped)
    assert any(TEXT in line and "is not an MPP Planner project file" in line for line in skipped)
    assert "fiscal year 2024" in err  # the year most files plan for
    assert out.stat().st_size > 0
    assert {p.name: sha256(p) for p in mpp_folder.iterdir()} == before


def test_the_same_mpp_in_two_files_is_told(mpp_folder, tmp_path, capsys):
    shutil.copy2(mpp_folder / "batu.mpplan", tmp_path / "batu lama.mpplan")
    assert cli("rollup", mpp_folder / "batu.mpplan", tmp_path / "batu lama.mpplan", "-o", tmp_path / "r.csv") == 0
    err = capsys.readouterr().err
    assert "The same MPP (MPP Kota Batu) is in several files" in err


def test_no_file_read_exits_2_and_writes_nothing(mpp_folder, tmp_path, capsys):
    out = tmp_path / "rekap.pdf"
    assert cli("rollup", mpp_folder / TEXT, mpp_folder / DAMAGED, "-o", out) == 2
    err = capsys.readouterr().err
    assert "No project file could be read; no report was written." in err
    assert not out.exists() and list(tmp_path.iterdir()) == [mpp_folder]


@pytest.mark.parametrize("args, message", [
    (["-o", "rekap.docx"], "Unknown output format '.docx'"),
    (["-o", "tidak-ada/rekap.xlsx"], "does not exist"),
])
def test_bad_arguments_exit_2(mpp_folder, tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    assert cli("rollup", mpp_folder, *args) == 2
    assert message in capsys.readouterr().err


def test_a_bad_year_exits_2(mpp_folder, tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        cli("rollup", mpp_folder, "-o", tmp_path / "r.xlsx", "--year", "1999")
    assert stop.value.code == 2
    assert "the year must be between 2000 and 2100" in capsys.readouterr().err


def test_the_report_never_overwrites_a_file_read(mpp_folder, capsys):
    listing = mpp_folder / "daftar.csv"
    listing.write_text("no,mpp\n1,Kota Batu\n", encoding="utf-8")
    assert cli("rollup", mpp_folder, "-o", listing) == 2
    assert "would overwrite one of the files read" in capsys.readouterr().err
    assert listing.read_text(encoding="utf-8") == "no,mpp\n1,Kota Batu\n"


def test_the_command_knows_the_report_formats():
    from mpp_planner.cli.rollup import FORMATS
    from mpp_planner.reports.rollup_tables import FORMATS as WRITTEN

    assert FORMATS == WRITTEN
