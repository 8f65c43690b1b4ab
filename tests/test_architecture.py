"""Layering: only mpp_planner.qt imports PySide6, and the core runs with no Qt at all."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_linter_contracts_hold():
    exe = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(exe), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and "0 broken" in result.stdout


def test_core_and_headless_cli_never_load_qt(tmp_path):
    code = (
        "import sys, pkgutil, importlib\n"
        "import mpp_planner\n"
        "for m in pkgutil.walk_packages(mpp_planner.__path__, 'mpp_planner.'):\n"
        "    if m.name.startswith(('mpp_planner.qt', 'mpp_planner.store.migrations')) or m.name == 'mpp_planner.__main__':\n"
        "        continue\n"
        "    importlib.import_module(m.name)\n"
        "from mpp_planner.cli import main\n"
        f"rc = main(['demo', r'{tmp_path / 'd.mpplan'}'])\n"
        "assert rc == 0, rc\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "assert not bad, bad\n"
        "print('clean')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "clean" in result.stdout


def test_startup_does_not_import_heavy_report_libraries():
    code = ("import sys\nimport mpp_planner.cli, mpp_planner.project, mpp_planner.qt.main_window\n"
            "heavy = [m for m in ('reportlab', 'openpyxl', 'alembic') if m in sys.modules]\n"
            "print(heavy)\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
