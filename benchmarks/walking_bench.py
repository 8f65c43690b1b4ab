"""Walking-distance speed (issue 21): one floor of 50 rooms in five rows off four corridors, each room walled
with a door to its corridor (65 walls, 50 doors, 10 windows), checked by a walking-distance rule from the
lactation rooms in two corners to the play areas in the two others.

Run ``python -m benchmarks.walking_bench``. Prints the median of RUNS runs, beside a baseline measured in the
same run (the same rule measured in a straight line): the free space built from rooms, walls and doors; the
first route (the visibility graph worked out); one full check of the rule (target <= 200 ms); and, for scale,
routes from every room to the play areas. Not a test.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from benchmarks.timing import median_seconds

RUNS = 7
COLS, ROWS = 10, 5  # 50 rooms
ROOM_W, ROOM_H, CORRIDOR = 5000, 4000, 2000
TARGET_MS = 200.0
RULE = """
[rules.near]
kind = "room_near"
room_kinds = ["lactation_room"]
target_kinds = ["play_area"]
max_distance_m = 10
method = "{method}"
"""


def rect(x, y, w, h):
    return [[x, y], [x + w, y], [x + w, y + h], [x, y + h]]


def floor_plan():
    """Rooms (name, kind, outline), walls (points, thickness) and openings (wall index, kind, offset, width)."""
    rooms, walls, openings = [], [], []
    x0, width = CORRIDOR, COLS * ROOM_W
    height = ROWS * ROOM_H + (ROWS - 1) * CORRIDOR
    corners = {(0, 0): "lactation_room", (ROWS - 1, COLS - 1): "lactation_room", (0, COLS - 1): "play_area",
               (ROWS - 1, 0): "play_area"}
    for r in range(ROWS):
        y = r * (ROOM_H + CORRIDOR)
        for c in range(COLS):
            rooms.append((f"Ruang {r + 1}.{c + 1}", corners.get((r, c), "back_office"),
                          rect(x0 + c * ROOM_W, y, ROOM_W, ROOM_H)))
        top, bottom = len(walls), len(walls) + 1
        walls += [([[x0, y], [x0 + width, y]], 200), ([[x0, y + ROOM_H], [x0 + width, y + ROOM_H]], 150)]
        walls += [([[x0 + c * ROOM_W, y], [x0 + c * ROOM_W, y + ROOM_H]], 120) for c in range(COLS + 1)]
        for c in range(COLS):
            door_wall = bottom if r < ROWS - 1 else top
            openings.append((door_wall, "door", c * ROOM_W + 800 + (c * 700) % 3400, 900))
            if r == 0:
                openings.append((top, "window", c * ROOM_W + ROOM_W // 2, 1500))
        if r < ROWS - 1:
            rooms.append((f"Koridor {r + 1}", "corridor", rect(x0, y + ROOM_H, width, CORRIDOR)))
    rooms += [("Koridor Barat", "corridor", rect(0, 0, CORRIDOR, height)),
              ("Koridor Timur", "corridor", rect(x0 + width, 0, CORRIDOR, height))]
    return rooms, walls, openings


def build_project(path: Path):
    from mpp_planner.model import Floor, Room, Wall, WallOpening
    from mpp_planner.project import Project

    rooms, walls, openings = floor_plan()
    project = Project.create(path, site_name="MPP Bench")
    with project.edit() as s:
        floor = Floor(name="Lantai 1", order=1)
        s.add(floor)
        s.flush()
        s.add_all([Room(name=n, kind=k, outline=o, floor_id=floor.id) for n, k, o in rooms])
        rows = [Wall(floor_id=floor.id, points=p, thickness=t) for p, t in walls]
        s.add_all(rows)
        s.flush()
        s.add_all([WallOpening(wall_id=rows[w].id, floor_id=floor.id, kind=k, offset=o, width=wd)
                   for w, k, o, wd in openings])
    return project, floor.id


def main() -> int:
    from mpp_planner.i18n import set_language
    from mpp_planner.model.walking import WalkingMap
    from mpp_planner.standards import parse_rules, run_rules
    from mpp_planner.standards.context import CheckContext

    set_language("en")
    walking, straight = parse_rules(RULE.format(method="walking")), parse_rules(RULE.format(method="straight"))
    with tempfile.TemporaryDirectory() as tmp:
        project, floor_id = build_project(Path(tmp) / "walk.mpplan")
        try:
            ctx = CheckContext.load(project)
            walls, openings = ctx.walls_by_floor[floor_id], ctx.openings_by_floor[floor_id]
            outlines = [r.outline for r in ctx.rooms_by_floor[floor_id]]
            play = [r.outline for r in ctx.rooms_of_kinds({"play_area"}, floor_id)]
            lactation = ctx.rooms_of_kinds({"lactation_room"}, floor_id)[0].outline
            run_rules(walking, ctx)  # imports shapely and numpy once, as the first check in a session does
            findings = []

            def check(ruleset):
                def run():
                    ctx.add_walls(walls, openings)  # forget the floor's walking map: built afresh each run
                    findings[:] = run_rules(ruleset, ctx)
                return run

            def first_route():
                WalkingMap.of(outlines, walls, openings).nearest_room(lactation, play)

            def every_room():
                walk = WalkingMap.of(outlines, walls, openings)
                for outline in outlines:
                    walk.nearest_room(outline, play)

            results = {
                "baseline: the rule in a straight line": median_seconds(check(straight), RUNS),
                "free space (rooms ∪ doors − walls) and its corners": median_seconds(
                    lambda: WalkingMap.of(outlines, walls, openings), RUNS),
                "... and the first route (visibility graph built)": median_seconds(first_route, RUNS),
                "full check of the walking rule (2 rooms, nearest of 2)": median_seconds(check(walking), RUNS),
                "for scale: every room's route to its nearest play area": median_seconds(every_room, RUNS),
            }
            walk = WalkingMap.of(outlines, walls, openings)
        finally:
            project.close()
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"walking distance, one floor of {COLS * ROWS} rooms + {ROWS + 1} corridors, {len(walls)} walls, "
          f"{sum(o.kind != 'window' for o in openings)} doors, {sum(o.kind == 'window' for o in openings)} windows "
          f"({walk.corner_count} route corners), median of {RUNS} runs{load}:")
    width = max(len(k) for k in results)
    for name, (wall_s, cpu_s) in results.items():
        print(f"  {name.ljust(width)}  {wall_s * 1000:7.1f} ms wall  {cpu_s * 1000:7.1f} ms CPU")
    for f in findings:
        print(f"  finding: {f.message}")
    print(f"  target: full check <= {TARGET_MS:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
