"""Resources are found from a checkout and from a normal (non-editable) install."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_resources_found_in_checkout():
    from mpp_planner.resources_path import resources_dir

    assert (resources_dir() / "catalog.csv").exists()
    assert (resources_dir() / "demo" / "floors.json").exists()


@pytest.mark.slow
def test_wheel_carries_resources_and_finds_them(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    wheel = next(tmp_path.glob("mpp_planner-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("mpp_planner/resources/catalog.csv", "mpp_planner/resources/demo/floors.json",
                   "mpp_planner/store/migrations/versions/0001_initial_schema.py",
                   "mpp_planner/store/migrations/script.py.mako"):
        assert needed in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = ("from mpp_planner.resources_path import resources_dir; import mpp_planner.demo as d, sys;"
            "p = resources_dir(); print(p); d.build_demo(sys.argv[1])")
    run = subprocess.run([sys.executable, "-c", code, str(tmp_path / "w.mpplan")], cwd=tmp_path,
                         env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert str(site) in run.stdout
    assert (tmp_path / "w.mpplan").exists()
