"""Province roll-up speed and memory (issue 24): 38 project files at demo size rolled up into one report.

Run ``python -m benchmarks.rollup_bench``. One demo is built into a temporary folder and copied 38 times, each
copy given its own identity (name and city) with plain sqlite3. Prints, median of three runs each:

* the roll-up (files read in worker processes, ``reads.rollup.rollup``) beside a baseline measured in the same
  run: the same 38 files read one by one in this process (``workers=1``);
* writing the workbook and the PDF of the 38 MPPs;
* the whole command, ``mpp-planner rollup FOLDER -o OUT.xlsx``, as a user runs it (one run);
* peak memory of the roll-up of 10, 38 and 76 files, each in a fresh process: the process that rolls up and its
  largest worker (flat: the summaries are a few kilobytes each and the files are read one at a time a worker).

Target: 38 files in <= 10 s on 2 cores. ``uptime`` is printed with the numbers (other work on the machine
slows every figure). Not a test.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.timing import median_seconds

FILES = 38
RUNS = 3
YEAR = 2024
CITIES = ("Surabaya", "Malang", "Batu", "Blitar", "Kediri", "Madiun", "Mojokerto", "Pasuruan", "Probolinggo",
          "Bangkalan", "Banyuwangi", "Bojonegoro", "Bondowoso", "Gresik", "Jember", "Jombang", "Lamongan", "Lumajang",
          "Magetan", "Nganjuk", "Ngawi", "Pacitan", "Pamekasan", "Ponorogo", "Sampang", "Sidoarjo", "Situbondo",
          "Sumenep", "Trenggalek", "Tuban", "Tulungagung", "Kabupaten Blitar", "Kabupaten Kediri",
          "Kabupaten Madiun", "Kabupaten Malang", "Kabupaten Mojokerto", "Kabupaten Pasuruan",
          "Kabupaten Probolinggo")

MEMORY_PROBE = """
import json, resource, sys
from mpp_planner.reads.rollup import rollup
if __name__ == "__main__":
    files = sys.argv[2:]
    r = rollup(files, int(sys.argv[1]))
    import multiprocessing  # the workers end on their own: wait for them so their peak is counted
    for child in multiprocessing.active_children():
        child.join()
    print(json.dumps({"read": len(r.summaries), "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def make_folder(root: Path, count: int = FILES) -> list[Path]:
    """One demo built, then copied ``count`` times with its own name and city each."""
    from mpp_planner.demo import build_demo

    master = root / "demo.mpplan"
    build_demo(master)
    folder = root / "mpp"
    folder.mkdir()
    files = []
    for i in range(count):
        city = CITIES[i % len(CITIES)]
        path = folder / f"mpp-{i + 1:02d}-{city.lower().replace(' ', '-')}.mpplan"
        shutil.copyfile(master, path)
        con = sqlite3.connect(path)
        try:
            kind = "Kabupaten" if city.startswith("Kabupaten") else "Kota"
            con.execute("UPDATE site SET name = ?, city = ?", (f"MPP {kind} {city.replace('Kabupaten ', '')}", city))
            con.commit()
        finally:
            con.close()
        files.append(path)
    return files


def _children_cpu() -> float:
    """CPU seconds of the worker processes ended so far (the last run's are waited for first)."""
    import multiprocessing
    import resource

    for child in multiprocessing.active_children():
        child.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def memory(files: list[Path]) -> dict:
    """Peak memory (MB) of a roll-up of ``files`` in a fresh process, and of its largest worker."""
    out = subprocess.run([sys.executable, "-c", MEMORY_PROBE, str(YEAR), *map(str, files)], capture_output=True,
                         text=True, check=True, cwd=Path(__file__).resolve().parent.parent)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    from mpp_planner.reads.rollup import rollup, worker_count
    from mpp_planner.reports.rollup_tables import write

    with tempfile.TemporaryDirectory(prefix="rollup-bench-") as tmp:
        root = Path(tmp)
        files = make_folder(root)
        folder = files[0].parent
        print(f"Roll-up of {FILES} demo-size files ({files[0].stat().st_size / 1024:.0f} KB each), "
              f"{os.cpu_count()} cores, {worker_count(FILES)} worker processes; median of {RUNS}:")
        results = []
        before = _children_cpu()
        parallel, parallel_cpu = median_seconds(lambda: results.append(rollup([folder], YEAR)), RUNS)
        workers_cpu = (_children_cpu() - before) / RUNS
        serial, serial_cpu = median_seconds(lambda: rollup([folder], YEAR, workers=1), RUNS)
        r = results[-1]
        assert len(r.summaries) == FILES and not r.skipped and not r.duplicates, (len(r.summaries), r.skipped)
        print(f"  roll-up, worker processes        {parallel:6.2f} s  (CPU: this process {parallel_cpu:5.2f} s, "
              f"the workers {workers_cpu:5.2f} s a run)")
        print(f"  baseline, one by one in-process  {serial:6.2f} s  (CPU {serial_cpu:5.2f} s)  "
              f"-> {serial / parallel:.1f}x")
        for fmt in ("xlsx", "pdf"):
            out = root / f"rekap.{fmt}"
            wall, _cpu = median_seconds(lambda fmt=fmt, out=out: write(r, out, fmt), RUNS)
            size = out.stat().st_size / 1024
            print(f"  write the {fmt.upper():4} of {FILES} MPPs       {wall:6.2f} s  ({size:.0f} KB)")
        start = time.perf_counter()
        cmd = subprocess.run([sys.executable, "-m", "mpp_planner", "rollup", str(folder), "-o", str(root / "cli.xlsx")],
                             capture_output=True, text=True)
        total = time.perf_counter() - start
        print(f"  mpp-planner rollup FOLDER -o OUT.xlsx (whole command, one run)  {total:6.2f} s  exit {cmd.returncode}"
              f"   target <= 10 s")
        more = root / "more"
        more.mkdir()
        doubled = files + [Path(shutil.copyfile(f, more / f.name)) for f in files]  # 76: flat beyond 38 too
        for n in (10, FILES, 2 * FILES):
            peak = memory(doubled[:n])
            print(f"  peak memory, {n:2} files: roll-up process {peak['self_mb']:6.1f} MB, largest worker "
                  f"{peak['worker_mb']:6.1f} MB")
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
