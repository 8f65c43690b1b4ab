"""Walls, doors and windows of a floor as plan drawing items (``plan_drawing``): the walls joined into one
dark mass with the gaps of their doors and windows (``model.wall_geometry``), door leaves open at 90° with
their swings, sliding panels and window lines in thin ink.

The walls are read once for all floors as plain shapes, so the drawing holds no ORM object. The walls and
the door swings are obstacles the room names keep clear of.
"""

from __future__ import annotations

import math

from mpp_planner.model import geometry
from mpp_planner.model.wall_geometry import OpeningShape, WallShape, opening_paths, wall_mass
from mpp_planner.reports.plan_drawing import (OPENING_LINE, FloorDrawing, Opening, Polygon, Ref, Swing, WallMass)

# Official sheets are in Indonesian whatever the UI language (the SVG names each opening).
OPENING_NAMES_ID = {"door": "Pintu", "double_door": "Pintu ganda", "sliding_door": "Pintu geser",
                    "window": "Jendela"}
STROKE_MM = {"leaf": 0.25, "panel": 0.15, "arrow": 0.13, "sill": 0.13, "glass": 0.2}  # on paper
SWING_MM = 0.13
OBSTACLE_PIECE = 1000.0  # mm: a slanted wall keeps labels away in pieces about this long


def load_walls(session, floor_ids) -> dict[int, tuple[list[WallShape], list[OpeningShape]]]:
    """By floor id (floors with walls only): their walls and the doors and windows in them, as plain shapes."""
    from sqlalchemy import select

    from mpp_planner.model import Wall, WallOpening

    out: dict[int, tuple[list[WallShape], list[OpeningShape]]] = {}
    stmt = select(Wall.id, Wall.floor_id, Wall.points, Wall.thickness).where(Wall.floor_id.in_(floor_ids))
    for wid, fid, points, thickness in session.execute(stmt.order_by(Wall.id)):
        out.setdefault(fid, ([], []))[0].append(WallShape(wid, [tuple(p) for p in points], thickness))
    if out:
        stmt = (select(WallOpening.id, WallOpening.floor_id, WallOpening.wall_id, WallOpening.kind, WallOpening.offset,
                       WallOpening.width, WallOpening.hinge, WallOpening.side)
                .where(WallOpening.floor_id.in_(list(out))).order_by(WallOpening.id))
        for oid, fid, wall_id, kind, offset, width, hinge, side in session.execute(stmt):
            out[fid][1].append(OpeningShape(oid, wall_id, kind, offset, width, hinge, side))
    return out


def add_walls(drawing: FloorDrawing, walls: list[WallShape], openings: list[OpeningShape]) -> None:
    """The floor's wall mass, then each door and window that fits its wall; walls and door swings become
    label obstacles."""
    for area in wall_mass(walls, openings):
        drawing.items.append(WallMass("walls", list(area.exterior), [list(h) for h in area.holes]))
    by_id = {w.id: w for w in walls}
    for opening in openings:
        wall = by_id.get(opening.wall_id)
        item = _opening(wall, opening) if wall is not None else None
        if item is None:
            continue
        drawing.items.append(item)
        for swing in item.swings:
            drawing.obstacles.append(_swing_box(swing))
    drawing.obstacles.extend(wall_boxes(walls))


def _opening(wall: WallShape, opening: OpeningShape) -> Opening | None:
    """The door's or window's strokes (the jambs are the mass's edges) and its leaves' swings."""
    paths: list[Polygon] = []
    swings: list[Swing] = []
    hinge = tip = None
    for path in opening_paths(wall, opening):
        if path.role == "jamb":
            continue
        if path.role == "swing":
            if hinge is None or tip is None:
                continue
            r = math.dist(hinge, tip)
            start = math.degrees(math.atan2(tip[1] - hinge[1], tip[0] - hinge[0]))
            end = path.points[-1]
            stop = math.degrees(math.atan2(end[1] - hinge[1], end[0] - hinge[0]))
            swings.append(Swing(hinge[0], hinge[1], r, start, (stop - start + 180.0) % 360.0 - 180.0))
            continue
        if path.role == "leaf":
            hinge, tip = path.points[0], path.points[-1]
        fill = "#FFFFFF" if path.closed and path.role == "panel" else None
        paths.append(Polygon("walls", list(path.points), fill, OPENING_LINE, STROKE_MM.get(path.role, 0.15),
                             closed=path.closed))
    if not paths and not swings:
        return None
    kind = str(opening.kind)
    ref = Ref("opening", opening.id, OPENING_NAMES_ID.get(kind, "Bukaan"), f"{round(opening.width)} mm")
    return Opening("walls", kind, paths, swings, ref)


def _swing_box(swing: Swing) -> tuple[float, float, float, float]:
    """The square a door leaf sweeps through."""
    a, b = swing.points(1)[0], swing.points(1)[-1]
    corner = (a[0] + b[0] - swing.cx, a[1] + b[1] - swing.cy)
    return geometry.bounds([(swing.cx, swing.cy), a, b, corner])


def wall_boxes(walls: list[WallShape]) -> list[tuple[float, float, float, float]]:
    """Boxes covering the walls' bodies, for labels to keep clear of: a straight run along an axis is
    one box (exact), a slanted one a row of short pieces."""
    out = []
    for wall in walls:
        h = float(wall.thickness) / 2
        pts = wall.points
        for (ax, ay), (bx, by) in zip(pts, pts[1:]):
            length = math.hypot(bx - ax, by - ay)
            if length <= 0:
                continue
            slanted = abs(bx - ax) > 1 and abs(by - ay) > 1
            n = max(1, math.ceil(length / OBSTACLE_PIECE)) if slanted else 1
            for k in range(n):
                x0, y0 = ax + (bx - ax) * k / n, ay + (by - ay) * k / n
                x1, y1 = ax + (bx - ax) * (k + 1) / n, ay + (by - ay) * (k + 1) / n
                out.append((min(x0, x1) - h, min(y0, y1) - h, max(x0, x1) + h, max(y0, y1) + h))
    return out

