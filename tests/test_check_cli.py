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
    assert "Lactation room size · Lantai 1 / Ruang Laktasi: Ruang Laktasi measures 8.75 m²" in out
    assert "has no refrigerator" in out and "→ suggested: 1 unit Lemari Es / Kulkas 2 Pintu" in out
    assert "lactation_area" not in out and "_" not in out  # rules by name, never by their internal ids
    assert "from Ruang Bermain Anak" in out
    assert out.index("[High]") < out.index("[Medium]") < out.index("[Low]")
    # 11 rules before, then the PermenPUPR facilities, the bins per floor and the checklist
    assert out.strip().splitlines()[-1].endswith("finding(s) from 14 rule(s).")


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


def test_findings_name_their_rule_in_the_users_language(demo_file):
    """The rule's name from the rule file (name / name_id), never its id: English and Indonesian."""
    from mpp_planner.standards import load_rules

    ids = [r.id for r in load_rules().rules]
    english = run(str(demo_file)).stdout
    result = subprocess.run([sys.executable, "-m", "mpp_planner", "check", str(demo_file), "--lang", "id"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 1
    indonesian = result.stdout
    assert "[High] Lactation room size · Lantai 1 / Ruang Laktasi" in english
    assert "[Tinggi] Luas ruang laktasi · Lantai 1 / Ruang Laktasi" in indonesian
    assert "Kamera CCTV di setiap lantai · Lantai 2" in indonesian and "→ usulan: 2 " in indonesian
    for rule_id in ids:
        assert rule_id not in english and rule_id not in indonesian, rule_id


def test_a_rule_file_without_names_shows_the_kind(demo_file, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text('[rules.r1]\nkind = "room_min_area"\nroom_kinds = ["lactation_room"]\nmin_area_m2 = 12\n'
                     '[rules.r2]\nname = "Big lactation room"\nkind = "room_min_area"\n'
                     'room_kinds = ["lactation_room"]\nmin_area_m2 = 20\n', encoding="utf-8")
    out = run(str(demo_file), "--rules", str(rules)).stdout
    assert "[High] Minimum room area · Lantai 1 / Ruang Laktasi" in out
    assert "[High] Big lactation room · Lantai 1 / Ruang Laktasi" in out
    assert "r1" not in out and "r2" not in out


def test_rule_names_must_be_text(demo_file, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text('[rules.r1]\nkind = "room_min_area"\nname_id = 5\nroom_kinds = ["lactation_room"]\n'
                     'min_area_m2 = 12\n', encoding="utf-8")
    result = run(str(demo_file), "--rules", str(rules))
    assert result.returncode == 2 and "line 3" in result.stderr and "name_id" in result.stderr
