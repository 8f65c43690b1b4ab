"""Export speed at scale 50: the KIR, the allocation list and the budget sheet in every format.

Run ``python -m benchmarks.reports_bench`` (after ``make bench``'s set-up). Builds the demo
project at scale 50 once (100 floors, ~1,700 rooms and counters, ~7,250 inventory rows,
~5,150 budget lines), then times each export function in-process and prints the median wall
and CPU seconds of ``BENCH_RUNS`` runs (default 3). Target (issue 10): each <= 3 s on a 2-core
machine. Not a test: numbers, no assertions.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

from benchmarks.timing import median_seconds

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SCALE = int(os.environ.get("BENCH_SCALE", "50"))
TARGET = 3.0

EXPORTS = (
    ("inventory", "pdf"), ("inventory", "xlsx"), ("inventory", "csv"),
    ("allocations", "pdf"), ("allocations", "xlsx"), ("allocations", "csv"),
    ("budget", "pdf"), ("budget", "xlsx"), ("budget", "csv"),
)


def pages_of(path: Path) -> str:
    if path.suffix != ".pdf":
        return f"{path.stat().st_size / 1024:.0f} kB"
    from pypdf import PdfReader

    return f"{len(PdfReader(str(path)).pages)} pages"


def main() -> int:
    import importlib

    from mpp_planner.cli.export import EXPORTS as REGISTRY
    from mpp_planner.demo import build_demo
    from mpp_planner.i18n import set_language
    from mpp_planner.project import Project

    set_language("en")
    kinds = sys.argv[1:] or None  # e.g. "inventory.pdf allocations.pdf" to time only those
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        path = build_demo(folder / "big.mpplan", scale=SCALE)
        print(f"built the scale-{SCALE} demo in {time.perf_counter() - t0:.1f} s; medians of {RUNS} runs")
        project = Project.open(path, readonly=True)
        results = []
        try:
            for kind, fmt in EXPORTS:
                if kinds and f"{kind}.{fmt}" not in kinds:
                    continue
                module = importlib.import_module(REGISTRY[kind])
                out = folder / f"{kind}.{fmt}"
                args = SimpleNamespace(room=None, date="2024-01-15", year=None)
                if kind == "budget":
                    from datetime import date

                    args.date = date(2024, 1, 15)
                wall, cpu = median_seconds(lambda: module.export(project, out, fmt, args), RUNS)  # noqa: B023 - called within the iteration
                results.append((f"export {kind} .{fmt}", wall, cpu, pages_of(out)))
                print(f"  {results[-1][0]:<26} {wall:6.2f} s wall {cpu:6.2f} s CPU  ({results[-1][3]})", flush=True)
        finally:
            project.close()
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"\nexports at scale {SCALE}, median of {RUNS} runs{load}, target <= {TARGET:.0f} s each:")
    for name, wall, cpu, size in results:
        mark = "ok" if wall <= TARGET else "SLOW"
        print(f"  {name:<26} {wall:6.2f} s wall {cpu:6.2f} s CPU  {mark:<4}  {size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
