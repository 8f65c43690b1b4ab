"""``mpp-planner assess``: one line per indicator, exit codes, -o writes the sheet."""

import re

from mpp_planner.cli import main


def run(capsys, *args):
    code = main(["assess", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_assess_prints_one_line_per_indicator(demo_file, capsys):
    from mpp_planner.standards.assessment import load_instrument

    code, out, err = run(capsys, demo_file)
    assert code == 0, err
    lines = out.strip().splitlines()
    names = [i.name for i in load_instrument().indicators]
    assert len(lines) == len(names) + 1
    for name, line in zip(names, lines):
        m = re.match(re.escape(name) + r": ([0-5])/5( — .+)?$", line)
        assert m, line
        assert (m.group(2) is None) == (m.group(1) == "5")
    assert lines[-1].startswith("Total:")


def test_broken_rule_file_exits_2_with_line(demo_file, tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('[aspects.a]\nname = "A"\n\n[indicators.x]\naspect = "a"\nname = "X"\nkind = "nope"\n'
                   'ladder = [1]\n', encoding="utf-8")
    code, out, err = run(capsys, demo_file, "--rules", bad)
    assert code == 2 and out == ""
    assert "bad.toml, line 7" in err and "nope" in err


def test_missing_project_exits_2(tmp_path, capsys):
    code, out, err = run(capsys, tmp_path / "none.mpplan")
    assert code == 2 and err


def test_output_writes_the_sheet(demo_file, tmp_path, capsys):
    out_file = tmp_path / "a.csv"
    code, out, err = run(capsys, demo_file, "-o", out_file)
    assert code == 0, err
    assert out_file.read_text(encoding="utf-8-sig").startswith("Aspek,Indikator,Nilai")
    code, out, err = run(capsys, demo_file, "-o", tmp_path / "a.doc")
    assert code == 2 and ".pdf" in err
