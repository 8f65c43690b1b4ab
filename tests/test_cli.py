"""The command line: --version, demo, bad input (one line on stderr, exit 2)."""

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from mpp_planner import __version__
from mpp_planner.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "mpp_planner", *args], cwd=kw.get("cwd", ROOT),
                          capture_output=True, text=True)


def test_version():
    result = run("--version")
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_demo_writes_a_sound_project(tmp_path, capsys):
    out = tmp_path / "x.mpplan"
    assert main(["demo", str(out)]) == 0
    con = sqlite3.connect(out)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("SELECT count(*) FROM agency").fetchone()[0] >= 25
    assert con.execute("SELECT count(*) FROM counter").fetchone()[0] >= 30
    assert con.execute("SELECT count(*) FROM floor").fetchone()[0] == 2
    assert con.execute("SELECT count(DISTINCT tier) FROM agency").fetchone()[0] == 7
    con.close()


def test_demo_scale_multiplies_plan_objects(tmp_path):
    out = tmp_path / "big.mpplan"
    assert main(["demo", str(out), "--scale", "3"]) == 0
    con = sqlite3.connect(out)
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("floor", "room", "counter", "inventory_item", "budget_line", "need")}
    con.close()
    one = tmp_path / "one.mpplan"
    main(["demo", str(one)])
    con = sqlite3.connect(one)
    base = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in counts}
    con.close()
    assert counts == {t: 3 * n for t, n in base.items()}


@pytest.mark.parametrize("args, words", [
    (["demo", "{tmp}/x.mpplan", "--scale", "0"], "--scale"),
    (["demo", "{tmp}/no/such/dir/x.mpplan"], "does not exist"),
    (["demo", "{tmp}/exists.mpplan"], "already exists"),
    (["demo", "{tmp}/x.mpplan", "--scale", "abc"], "invalid int"),
])
def test_demo_bad_input(tmp_path, args, words):
    (tmp_path / "exists.mpplan").write_text("keep")
    result = run(*[a.format(tmp=tmp_path) for a in args])
    assert result.returncode == 2
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "exists.mpplan").read_text() == "keep"
    assert not (tmp_path / "x.mpplan").exists()


@pytest.mark.parametrize("content", [b"", b"\x00\x01garbage" * 100, b"SQLite format 3\x00" + b"\x00" * 10])
def test_screenshot_of_a_non_project_fails_cleanly(tmp_path, content):
    bad = tmp_path / "bad.mpplan"
    bad.write_bytes(content)
    result = run(str(bad), "--screenshot", str(tmp_path / "s.png"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert bad.read_bytes() == content
    assert not (tmp_path / "s.png").exists()


def test_screenshot_of_a_missing_file(tmp_path):
    result = run(str(tmp_path / "missing.mpplan"), "--screenshot", str(tmp_path / "s.png"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr


def test_indonesian_by_default(tmp_path):
    import os

    env = {k: v for k, v in os.environ.items() if k != "MPP_PLANNER_LANG"}
    env["MPP_PLANNER_CONFIG_DIR"] = str(tmp_path / "cfg")  # first run: nothing saved
    result = subprocess.run([sys.executable, "-m", "mpp_planner", "demo", str(tmp_path / "x.mpplan")], cwd=ROOT,
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0
    assert "Proyek contoh ditulis" in result.stderr
    result = subprocess.run([sys.executable, "-m", "mpp_planner", "demo", str(tmp_path / "x.mpplan")], cwd=ROOT,
                            capture_output=True, text=True, env=env)
    assert result.returncode == 2 and "sudah ada" in result.stderr
