"""Exports killed half-way leave hidden ``.mpp-*`` temporaries beside their target; the next export
into that folder removes those older than ten minutes whose process no longer runs, and nothing else:
not a fresh one, not one of a running process, not a file of the user's that looks alike."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mpp_planner.cli import main
from mpp_planner.reports.output import STALE_TEMPORARY_SECONDS, sweep_stale_temporaries, temporary_beside

OLD = time.time() - STALE_TEMPORARY_SECONDS - 60
ROOT = Path(__file__).resolve().parents[2]


def dead_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def plant(folder: Path, name: str, *, old: bool) -> Path:
    path = folder / name
    path.write_bytes(b"%PDF-1.4 half written")
    if old:
        os.utime(path, (OLD, OLD))
    return path


@pytest.fixture
def planted(tmp_path):
    """An export folder with what killed exports (and the user) left in it."""
    folder = tmp_path / "keluaran"
    folder.mkdir()
    dead = dead_pid()
    stale = [plant(folder, ".mpp-k3j_9x2a.pdf", old=True),  # a name from before the process id was in it
             plant(folder, f".mpp-{dead}-abcd1234.xlsx", old=True),
             plant(folder, f".mpp-{dead}-zz_00000.PNG", old=True)]
    kept = [plant(folder, ".mpp-fresh000.pdf", old=False),  # maybe being written right now
            plant(folder, f".mpp-{dead}-fresh111.svg", old=False),
            plant(folder, f".mpp-{os.getpid()}-live0000.pdf", old=True),  # its process still runs
            plant(folder, ".mpp-catatan.txt", old=True),  # the user's own files
            plant(folder, "laporan.mpp-abcd1234.pdf", old=True),
            plant(folder, ".mpplan-abcd1234.tmp", old=True)]
    (folder / ".mpp-dir00000.pdf").mkdir()  # not a file
    os.utime(folder / ".mpp-dir00000.pdf", (OLD, OLD))
    kept.append(folder / ".mpp-dir00000.pdf")
    return folder, stale, kept


def test_an_export_removes_only_the_stale_temporaries(demo_file, planted, capsys):
    folder, stale, kept = planted
    assert main(["export", "allocations", str(demo_file), "-o", str(folder / "loket.csv")]) == 0
    left = {p.name for p in folder.iterdir()}
    assert not {p.name for p in stale} & left
    assert {p.name for p in kept} | {"loket.csv"} == left


def test_the_plan_export_of_several_sheets_sweeps_too(demo_file, planted, capsys):
    folder, stale, kept = planted
    assert main(["export", "plan", str(demo_file), "-o", str(folder / "denah.svg")]) == 0
    left = {p.name for p in folder.iterdir()}
    assert not {p.name for p in stale} & left
    assert {p.name for p in kept} <= left
    assert [name for name in left if name.startswith("denah-")]  # one SVG per floor


def test_a_temporary_left_by_a_killed_export_goes_once_it_is_old(tmp_path):
    """A process makes its temporary and dies without removing it (as under the task manager)."""
    target = tmp_path / "usulan.pdf"
    code = ("import os, sys; from pathlib import Path; from mpp_planner.reports.output import temporary_beside; "
            "print(temporary_beside(Path(sys.argv[1]))); os._exit(9)")
    result = subprocess.run([sys.executable, "-c", code, str(target)], cwd=ROOT, capture_output=True, text=True)
    left = Path(result.stdout.strip())
    assert left.exists() and left.parent == tmp_path and left.name.startswith(".mpp-")
    assert sweep_stale_temporaries(tmp_path) == []  # fresh: it could still be in use
    os.utime(left, (OLD, OLD))
    assert sweep_stale_temporaries(tmp_path) == [left]
    assert list(tmp_path.iterdir()) == []


def test_own_temporaries_are_named_for_the_sweep(tmp_path):
    tmp = temporary_beside(tmp_path / "Rencana Anggaran.xlsx")
    try:
        assert tmp.name.startswith(f".mpp-{os.getpid()}-") and tmp.suffix == ".xlsx"
        os.utime(tmp, (OLD, OLD))
        assert sweep_stale_temporaries(tmp_path) == []  # this process runs: its file stays
    finally:
        tmp.unlink()


def test_a_folder_that_cannot_be_listed_is_no_error(tmp_path):
    assert sweep_stale_temporaries(tmp_path / "tidak-ada") == []
