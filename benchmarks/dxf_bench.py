"""Architect's plan import speed: a DXF of 100,000 entities (walls as lines, door arcs, furniture
circles, texts, and 200 closed rooms each named by a text) made with ezdxf, then read and imported.

Run ``python -m benchmarks.dxf_bench``. Prints the median seconds of three runs each, beside
``ezdxf.readfile`` alone (what reading every entity through ezdxf costs). Target on a 2-core machine:
the drawing read (preview and import) in a few seconds, <= 5 s. Not a test.
"""

from __future__ import annotations

import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.timing import median_seconds

ENTITIES = 100_000
ROOMS = 200
RUNS = 3


def make_drawing(path: Path, entities: int = ENTITIES, rooms: int = ROOMS) -> Path:
    """Rooms 4.8 x 5.8 m in a grid of 20 per row on layer RUANG, each with its name; the rest walls,
    door arcs, furniture circles and labels spread over the building, in millimetres."""
    import ezdxf

    rnd = random.Random(16)
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for i in range(rooms):
        x, y = (i % 20) * 5000, (i // 20) * 6000
        msp.add_lwpolyline([(x, y), (x + 4800, y), (x + 4800, y + 5800), (x, y + 5800)], close=True,
                           dxfattribs={"layer": "RUANG"})
        msp.add_text(f"Ruang {i + 1}", height=250, dxfattribs={"layer": "TEKS", "insert": (x + 500, y + 2900)})
    width, depth = 20 * 5000, (rooms // 20 + 1) * 6000
    for n in range(2 * rooms, entities):
        x, y = rnd.uniform(0, width), rnd.uniform(0, depth)
        r = rnd.random()
        if r < 0.6:
            msp.add_line((x, y), (x + rnd.uniform(-3000, 3000), y + rnd.uniform(-3000, 3000)),
                         dxfattribs={"layer": "DINDING"})
        elif r < 0.8:
            msp.add_arc((x, y), rnd.uniform(300, 1000), 0, 90, dxfattribs={"layer": "PINTU"})
        elif r < 0.85:
            msp.add_circle((x, y), rnd.uniform(100, 500), dxfattribs={"layer": "PERABOT"})
        else:
            msp.add_text(f"D{n}", height=100, dxfattribs={"layer": "TEKS", "insert": (x, y)})
    doc.saveas(path)
    return path


def main() -> int:
    import ezdxf

    from mpp_planner.commands import History
    from mpp_planner.commands.plan import ImportPlan
    from mpp_planner.i18n import set_language
    from mpp_planner.importers import dxf
    from mpp_planner.project import Project

    set_language("en")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        path = make_drawing(folder / "denah.dxf")
        size_mb = path.stat().st_size / 1e6
        print(f"(made a {ENTITIES:,}-entity drawing, {size_mb:.1f} MB, in {time.perf_counter() - t0:.1f} s)")

        def cold_scan() -> None:
            dxf.forget_cache()
            dxf.scan_dxf(path)

        def cold_both() -> None:
            dxf.forget_cache()
            dxf.scan_dxf(path)
            dxf.read_dxf(path)

        def ezdxf_only() -> None:
            dxf.forget_cache()
            dxf.FAST_READ = False
            try:
                dxf.scan_dxf(path)
            finally:
                dxf.FAST_READ = True

        results = {
            "ezdxf.readfile alone (baseline)": median_seconds(lambda: ezdxf.readfile(path), RUNS),
            "scan_dxf (preview: layers, units, size)": median_seconds(cold_scan, RUNS),
            "read_dxf after scan_dxf (rooms + underlay)": median_seconds(lambda: dxf.read_dxf(path), RUNS),
            "scan_dxf + read_dxf, first read": median_seconds(cold_both, RUNS),
            "scan_dxf with every entity through ezdxf": median_seconds(ezdxf_only, 1),
        }
        plan = dxf.read_dxf(path)
        n = 0

        def import_plan() -> None:
            nonlocal n
            n += 1
            project = Project.create(folder / f"p{n}.mpplan", site_name="MPP Bench")
            try:
                History(project).push(ImportPlan("Lantai 1", plan, path.name))
            finally:
                project.close()

        results["ImportPlan into a new project (committed)"] = median_seconds(import_plan, RUNS)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"DXF plan import, {len(plan.rooms)} rooms and {len(plan.underlay):,} underlay paths and texts, "
          f"median of {RUNS} runs{load}:")
    width = max(len(k) for k in results)
    for name, (wall, cpu) in results.items():
        print(f"  {name.ljust(width)}  {wall:6.2f} s wall  {cpu:6.2f} s CPU")
    print(f"  peak memory of this process: {peak:.0f} MB (target: scan + read <= 5 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
