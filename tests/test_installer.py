"""build_installer.py builds the Linux bundle and its smoke test passes (slow: about a minute)."""

import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_bundle_builds_and_passes_its_smoke_test():
    pytest.importorskip("PyInstaller")
    if sys.platform != "linux":
        pytest.skip("CI builds the Linux bundle")
    result = subprocess.run([sys.executable, "build_installer.py", "--check"], cwd=ROOT, capture_output=True,
                            text=True, timeout=1500)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "smoke test passed" in result.stdout
    package = next((ROOT / "dist").glob("mpp-planner-*-linux-*.tar.gz"))
    names = tarfile.open(package).getnames()
    assert "mpp-planner.desktop" in names and "mpp-planner.png" in names
    assert "mpp-planner/mpp-planner" in names
    assert any(n.endswith("resources/catalog.csv") for n in names)
    assert any(n.endswith("migrations/versions/0001_initial_schema.py") for n in names)
    assert any(n.endswith("LC_MESSAGES/mpp_planner.mo") for n in names)
