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
        "    if (m.name.startswith(('mpp_planner.qt', 'mpp_planner.store.migrations'))\n"
        "            or m.name == 'mpp_planner.__main__'):\n"
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


def _qt_sources():
    import ast

    for path in sorted((ROOT / "mpp_planner" / "qt").rglob("*.py")):
        yield path.relative_to(ROOT), ast.parse(path.read_text(encoding="utf-8"))


def test_widgets_read_through_the_application_layer_never_the_session():
    """The Qt layer neither imports SQLAlchemy nor touches a session: it asks mpp_planner.reads."""
    import ast

    found = []
    for path, tree in _qt_sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "session":
                found.append(f"{path}:{node.lineno} .session")
            elif isinstance(node, ast.Import) and any(a.name.split(".")[0] == "sqlalchemy" for a in node.names):
                found.append(f"{path}:{node.lineno} import sqlalchemy")
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlalchemy":
                found.append(f"{path}:{node.lineno} from sqlalchemy")
    assert found == []


def test_screens_hear_changes_by_meaning_not_by_table():
    """No table names in the Qt layer's change handling: Changes.about / ids by Topic instead."""
    import ast

    found = []
    for path, tree in _qt_sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("touches", "tables"):
                found.append(f"{path}:{node.lineno} .{node.attr}")
            elif (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute)
                  and node.value.attr in ("added", "updated", "removed")):
                found.append(f"{path}:{node.lineno} .{node.value.attr}[...]")
    assert found == []


def test_contracts_catch_what_they_are_for(tmp_path):
    """The import-linter contracts are not vacuous. In a copy of the package: a report importing a
    plan command breaks the layers; a new module importing PySide6 breaks the Qt rule although no
    contract names it; and, not placed on a layer, it breaks the exhaustive layers contract."""
    import os
    import shutil

    shutil.copytree(ROOT / "mpp_planner", tmp_path / "mpp_planner", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    with open(tmp_path / "mpp_planner" / "reports" / "__init__.py", "a", encoding="utf-8") as f:
        f.write("\nfrom mpp_planner.commands.plan import MoveObjects  # planted\n")
    (tmp_path / "mpp_planner" / "unplaced.py").write_text("import PySide6  # planted\n", encoding="utf-8")
    exe = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(exe), "--no-cache"], cwd=tmp_path, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(tmp_path)})  # the copy before the installed one
    out = "\n".join(line for line in result.stdout.splitlines() if line.strip())
    assert result.returncode != 0, out
    assert "mpp_planner.reports is not allowed to import mpp_planner.commands" in out, out
    assert "mpp_planner.reports -> mpp_planner.commands.plan" in out, out
    assert "Illegal imports of protected package PySide6:\n- mpp_planner.unplaced -> PySide6" in out, out
    assert "not listed as layers:\n- mpp_planner.unplaced\n" in out, out
