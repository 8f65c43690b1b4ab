"""Wall geometry speed (issue 21): a floor of 500 walls with 200 doors and windows.

Run ``python -m benchmarks.walls_bench``. Prints the median milliseconds (wall clock and CPU) of: the joined
wall mass with its door and window gaps (``wall_mass``, what the plan fills dark), each wall's own body
(``wall_bodies``), the room found by a double-click inside the walls (``room_at``) and every opening's
symbol (``opening_paths``), beside a baseline measured in the same run: the plain union of the walls
buffered with no joins and no gaps. Target: ``wall_mass`` well under 50 ms. Not a test.
"""

from __future__ import annotations

import random
import sys

from benchmarks.timing import median_seconds

COLUMNS, ROWS = 15, 15  # rooms of 4 x 3 m: 480 walls on the grid
ROOM_W, ROOM_H = 4000, 3000
PARTITIONS = 20  # free-standing L-shaped partitions inside rooms: 500 walls in all
OPENINGS = 200
RUNS = 15
TARGET_MS = 50.0


def build_floor(seed: int = 21):
    """(walls, openings) of a grid of rooms: 2-point walls meeting in L corners, T junctions and crossings,
    a few L-shaped partitions, doors in the inner walls and windows in the outer ones."""
    from mpp_planner.model.wall_geometry import OpeningShape, WallShape

    rng = random.Random(seed)
    walls = []
    for row in range(ROWS + 1):
        for col in range(COLUMNS):
            y, x = row * ROOM_H, col * ROOM_W
            walls.append(WallShape(len(walls) + 1, [[x, y], [x + ROOM_W, y]], 200 if row in (0, ROWS) else 150))
    for col in range(COLUMNS + 1):
        for row in range(ROWS):
            x, y = col * ROOM_W, row * ROOM_H
            walls.append(WallShape(len(walls) + 1, [[x, y], [x, y + ROOM_H]], 200 if col in (0, COLUMNS) else 150))
    for k in range(PARTITIONS):
        x, y = (k % COLUMNS) * ROOM_W + 1000, (k // COLUMNS * 5 + 2) * ROOM_H + 800
        walls.append(WallShape(len(walls) + 1, [[x, y], [x + 1500, y], [x + 1500, y + 1200]], 100))
    outer = [w for w in walls[:-PARTITIONS] if w.thickness == 200]
    inner = [w for w in walls[:-PARTITIONS] if w.thickness == 150]
    openings = []
    for n, wall in enumerate(rng.sample(inner, OPENINGS - 60) + rng.sample(outer, 60)):
        kind = "window" if wall.thickness == 200 else ("door", "double_door", "sliding_door")[n % 3]
        length = ROOM_W if wall.points[0][1] == wall.points[1][1] else ROOM_H
        width = {"door": 900, "double_door": 1600, "sliding_door": 1200, "window": 1200}[kind]
        openings.append(OpeningShape(n + 1, wall.id, kind, rng.randint(width // 2 + 200, length - width // 2 - 200),
                                     width, rng.choice(("start", "end")), rng.choice(("left", "right"))))
    return walls, openings


def main() -> int:
    import shapely

    from mpp_planner.model import wall_geometry as wg

    walls, openings = build_floor()
    print(f"a floor of {len(walls)} walls and {len(openings)} doors and windows "
          f"({COLUMNS} x {ROWS} rooms of {ROOM_W // 1000} x {ROOM_H // 1000} m), medians of {RUNS} runs")
    wg.wall_mass(walls[:4], [])  # shapely imported and warmed up

    def plain_union():
        lines = shapely.linestrings([w.points for w in walls[:-PARTITIONS]])
        shapely.union_all(shapely.buffer(lines, 75, cap_style="flat"))

    base, _cpu = median_seconds(plain_union, RUNS)
    mass = wg.wall_mass(walls, openings)
    holes = sum(len(area.holes) for area in mass)
    rows = []
    for name, fn in [
        ("wall_mass (joined walls, 200 gaps)", lambda: wg.wall_mass(walls, openings)),
        ("  mass_geometry (the same, no coordinates out)", lambda: wg.mass_geometry(walls, openings)),
        ("wall_bodies (each wall's joined outline)", lambda: wg.wall_bodies(walls)),
        ("room_at (double-click in the middle room)",
         lambda: wg.room_at(walls, (COLUMNS // 2 + 0.5) * ROOM_W, (ROWS // 2 + 0.5) * ROOM_H)),
        ("opening_paths (all 200 symbols)",
         lambda: [wg.opening_paths(walls[o.wall_id - 1], o) for o in openings]),
    ]:
        wall, cpu = median_seconds(fn, RUNS)
        rows.append((name, wall * 1000, cpu * 1000))
    room = wg.room_at(walls, (COLUMNS // 2 + 0.5) * ROOM_W, (ROWS // 2 + 0.5) * ROOM_H)
    print(f"mass: {len(mass)} polygon(s) with {holes} holes (rooms); middle room found: {room}")
    width = max(len(r[0]) for r in rows)
    print(f"{'measure'.ljust(width)}  {'wall ms':>8}  {'cpu ms':>8}  {'x base':>7}")
    for name, wall_ms, cpu_ms in rows:
        print(f"{name.ljust(width)}  {wall_ms:>8.1f}  {cpu_ms:>8.1f}  {wall_ms / (base * 1000):>6.1f}x")
    print(f"baseline: plain union of the {len(walls) - PARTITIONS} grid walls buffered, no joins, no gaps: "
          f"{base * 1000:.1f} ms; target for wall_mass: well under {TARGET_MS:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
