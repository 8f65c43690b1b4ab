"""``mpp-planner check FILE``: exit 0 without findings, 1 with findings, 2 when it cannot run."""

import subprocess
import sys
from pathlib import Path

from mpp_planner.cli import main
from mpp_planner.standards import default_rules_path
from tests.standards.builders import Mpp

ROOT = Path(__file__).resolve().parent.parent


def run(*args):
    return subprocess.run([sys.executable, "-m", "mpp_planner", "check", *args, "--lang", "en"], cwd=ROOT,
                          capture_output=True, text=True)


def test_demo_has_findings_exit_1(demo_file):
    result = run(str(demo_file))
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert "lactation_area · Lantai 1 / Ruang Laktasi: Ruang Laktasi measures 8.75 m²" in out
    assert "has no refrigerator" in out and "→ suggested: Lemari Es / Kulkas 2 Pintu × 1" in out
    assert "from Ruang Bermain Anak" in out
    assert out.index("[High]") < out.index("[Medium]") < out.index("[Low]")
    assert out.strip().splitlines()[-1].endswith("finding(s) from 11 rule(s).")


def test_compliant_project_exit_0(empty_project, capsys):
    Mpp(empty_project)
    path = empty_project.path
    empty_project.close()
    assert main(["check", str(path), "--lang", "en"]) == 0
    assert "No findings" in capsys.readouterr().out


def test_broken_rule_file_exit_2_names_the_line(demo_file, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text(default_rules_path().read_text(encoding="utf-8").replace(
        'kind = "room_min_area"', 'kind = "room_max_area"'), encoding="utf-8")
    result = run(str(demo_file), "--rules", str(rules))
    assert result.returncode == 2
    assert result.stdout == ""  # no check ran, nothing half printed
    assert "rules.toml, line" in result.stderr and "room_max_area" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    rules.write_text("[rules.x\nkind = 1\n", encoding="utf-8")
    result = run(str(demo_file), "--rules", str(rules))
    assert result.returncode == 2 and "line 1" in result.stderr


def test_missing_or_foreign_project_exit_2(tmp_path):
    result = run(str(tmp_path / "missing.mpplan"))
    assert result.returncode == 2 and "does not exist" in result.stderr
    bad = tmp_path / "bad.mpplan"
    bad.write_bytes(b"not a project")
    result = run(str(bad))
    assert result.returncode == 2 and "Traceback" not in result.stderr
