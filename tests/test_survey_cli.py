"""``mpp-planner survey FILE --period P`` (exit 0; 2 on error) and ``import survey`` (exit 0; 1 refused)."""

import subprocess
import sys
from pathlib import Path

from mpp_planner.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_survey_prints_ikm_mutu_nrr_in_english(demo_file, capsys):
    assert main(["survey", str(demo_file), "--period", "2024 semester i", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Survey period: 2024 Semester I" in out
    assert "Respondents: 152 (minimum sample for 18,450 service users: 377, not enough)" in out
    assert "IKM: 79.18" in out and "mutu B: Baik" in out
    assert "U9 Sarana dan Prasarana" in out and "2.6447" in out
    assert "Weakest unsur: U9 Sarana dan Prasarana (2.6447), U3 Waktu Penyelesaian (2.8750)" in out


def test_survey_indonesian_decimal_comma_and_by_agency(demo_file, capsys):
    assert main(["survey", str(demo_file), "--period", "2024 Semester II", "--by", "agency", "--lang", "id"]) == 0
    out = capsys.readouterr().out
    assert "81,29" in out and "21.300" in out and "81.29" not in out
    assert "Dispendukcapil: IKM" in out


def test_unknown_period_exit_2_lists_periods(demo_file):
    result = subprocess.run([sys.executable, "-m", "mpp_planner", "survey", str(demo_file), "--period", "2031",
                             "--lang", "en"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2
    assert "There is no survey period '2031'. Periods: 2024 Semester I, 2024 Semester II." in result.stderr


def test_unreadable_file_exit_2(tmp_path, capsys):
    bad = tmp_path / "x.mpplan"
    bad.write_text("not a project")
    assert main(["survey", str(bad), "--period", "P", "--lang", "en"]) == 2


def test_import_survey_command_line(demo_file, tmp_path, capsys):
    src = tmp_path / "r.csv"
    src.write_text("u1,u2,u3,u4,u5,u6,u7,u8,u9\n4,4,4,4,4,4,4,4,4\n3,3,3,3,3,3,3,3,3\n", encoding="utf-8")
    assert main(["import", "survey", str(demo_file), "--period", "2025 Semester I", "--from", str(src),
                 "--lang", "en"]) == 1
    assert "no survey period '2025 Semester I'" in capsys.readouterr().err
    assert main(["import", "survey", str(demo_file), "--period", "2025 Semester I", "--create-period",
                 "--from", str(src), "--lang", "en"]) == 0
    assert main(["survey", str(demo_file), "--period", "2025 Semester I", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Respondents: 2" in out and "IKM: 87.50" in out
