"""``mpp-planner export budget --form usulan|rka|sipd [--sub-kegiatan CODE]``: the forms, the choice of one sub
kegiatan, and the refusals (one line on stderr, exit 2, no file)."""

import csv
import sys
import types

import pdfplumber
import pytest
from openpyxl import load_workbook

import mpp_planner.reports
from mpp_planner.cli import main

PROCUREMENT, MAINTENANCE = "2.18.01.2.07.0006", "2.18.01.2.09.0006"


def export(demo_file, out, *args):
    return main(["export", "budget", str(demo_file), "--year", "2024", "--date", "2023-12-15", *args, "-o", str(out)])


def test_rka_form_in_every_format(demo_file, tmp_path, capsys):
    for ext in ("pdf", "xlsx", "csv"):
        out = tmp_path / f"rka.{ext}"
        assert export(demo_file, out, "--form", "rka") == 0
        assert f"Written: {out}" in capsys.readouterr().err
    with pdfplumber.open(tmp_path / "rka.pdf") as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "RINCIAN BELANJA SUB KEGIATAN" in text and "Probolinggo, 15 Desember 2023" in text
    assert f"Sub Kegiatan : {PROCUREMENT}" in text and f"Sub Kegiatan : {MAINTENANCE}" in text
    assert load_workbook(tmp_path / "rka.xlsx").sheetnames == ["Ringkasan", PROCUREMENT, MAINTENANCE]
    with open(tmp_path / "rka.csv", encoding="utf-8-sig", newline="") as fh:
        assert {row["kode_sub_kegiatan"] for row in csv.DictReader(fh)} == {PROCUREMENT, MAINTENANCE}
    # the default form is still the usulan sheet
    assert export(demo_file, tmp_path / "usulan.pdf") == 0
    with pdfplumber.open(tmp_path / "usulan.pdf") as pdf:
        assert "USULAN KEBUTUHAN SARANA DAN PRASARANA" in pdf.pages[0].extract_text()


def test_sub_kegiatan_picks_one(demo_file, tmp_path):
    assert export(demo_file, tmp_path / "one.csv", "--form", "rka", "--sub-kegiatan", MAINTENANCE) == 0
    with open(tmp_path / "one.csv", encoding="utf-8-sig", newline="") as fh:
        assert {row["kode_sub_kegiatan"] for row in csv.DictReader(fh)} == {MAINTENANCE}
    assert export(demo_file, tmp_path / "one.xlsx", "--form", "rka", "--sub-kegiatan", f" {PROCUREMENT} ") == 0
    assert load_workbook(tmp_path / "one.xlsx").sheetnames == ["Ringkasan", PROCUREMENT]


@pytest.mark.parametrize("args, out, words", [
    (["--form", "rka", "--sub-kegiatan", "2.18.01.2.07.0099"], "n.pdf",
     "There is no sub kegiatan 2.18.01.2.07.0099 in 2024"),
    (["--form", "rka", "--sub-kegiatan", "bukan kode"], "n.xlsx", "There is no sub kegiatan bukan kode in 2024"),
    (["--form", "sipd"], "n.pdf", "the SIPD form is a data file: use .xlsx or .csv"),
    (["--sub-kegiatan", PROCUREMENT], "n.pdf", "choose the rka or sipd form"),
])
def test_refusals_exit_2_with_one_line(demo_file, tmp_path, capsys, args, out, words):
    assert export(demo_file, tmp_path / out, *args) == 2
    err = capsys.readouterr().err
    assert words.lower() in err.lower() and "Traceback" not in err
    assert list(tmp_path.iterdir()) == [tmp_path / "demo.mpplan"]


def test_unknown_form_is_an_argument_error(demo_file, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        export(demo_file, tmp_path / "n.pdf", "--form", "dpa")
    assert exc.value.code == 2
    assert "invalid choice: 'dpa'" in capsys.readouterr().err


def test_sipd_form_goes_to_the_sipd_module(demo_file, tmp_path, monkeypatch):
    calls = []
    fake = types.ModuleType("mpp_planner.reports.budget_sipd")

    def write(project, out, fmt, *, year, sub_activity=None):
        calls.append((out.name, fmt, year, sub_activity))
        out.write_text("kode_sub_kegiatan\n")
        return out

    fake.write = write
    monkeypatch.setitem(sys.modules, "mpp_planner.reports.budget_sipd", fake)
    monkeypatch.setattr(mpp_planner.reports, "budget_sipd", fake, raising=False)
    assert export(demo_file, tmp_path / "sipd.csv", "--form", "sipd", "--sub-kegiatan", MAINTENANCE) == 0
    assert export(demo_file, tmp_path / "sipd.xlsx", "--form", "sipd") == 0
    assert calls == [("sipd.csv", "csv", 2024, MAINTENANCE), ("sipd.xlsx", "xlsx", 2024, None)]
