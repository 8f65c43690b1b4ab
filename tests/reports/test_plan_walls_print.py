"""Walls, doors and windows on printed plans and in the DXF: the walls filled dark as one mass with the
gaps of their openings (its holes left open), door leaves with their swings and window lines in thin ink,
in the PDF, the SVG and the PNG alike; DINDING, PINTU and JENDELA in the DXF; and the demo's walls."""

from __future__ import annotations

import math
import subprocess

import pytest
from sqlalchemy import select

from mpp_planner.cli import main
from mpp_planner.model import Floor, Room, Wall, WallOpening, geometry
from mpp_planner.model.wall_geometry import walls_around
from mpp_planner.reports import plan
from mpp_planner.reports import plan_drawing as pd
from mpp_planner.reports.plan_primitives import PGroup, PShape
from tests.helpers import rect

MM = 72.0 / 25.4  # PDF points per mm
WALL_RGB = tuple(int(pd.WALL[i:i + 2], 16) for i in (1, 3, 5))
SCALE = 50


def export(*args) -> int:
    return main(["export", "plan", *map(str, args)])


@pytest.fixture
def walled(empty_project):
    """Two rooms 3 x 4 m side by side inside a 200 mm wall loop, a 150 mm partition between them with a
    door into the right one; below, a free-standing wall with a window, a sliding door and a double door.
    The loop, the partition and the door make one mass with one hole; the free wall is cut in four."""
    project = empty_project
    with project.edit() as s:
        floor = Floor(name="Lantai 1", order=1)
        floor.rooms.append(Room(name="Ruang Kerja", kind="back_office", outline=rect(0, 0, 3000, 4000)))
        floor.rooms.append(Room(name="Ruang Laktasi", kind="lactation_room", outline=rect(3000, 0, 3000, 4000)))
        s.add(floor)
        s.flush()
        loop = Wall(floor_id=floor.id, points=walls_around(rect(0, 0, 6000, 4000), 200), thickness=200)
        partition = Wall(floor_id=floor.id, points=[[3000, 0], [3000, 4000]], thickness=150)
        free = Wall(floor_id=floor.id, points=[[0, 7000], [8000, 7000]], thickness=150)
        s.add_all([loop, partition, free])
        partition.openings.append(WallOpening(floor_id=floor.id, kind="door", offset=2000, width=900))
        free.openings.append(WallOpening(floor_id=floor.id, kind="window", offset=2000, width=1200))
        free.openings.append(WallOpening(floor_id=floor.id, kind="sliding_door", offset=5000, width=1200))
        free.openings.append(WallOpening(floor_id=floor.id, kind="double_door", offset=7000, width=1600))
    return project


@pytest.fixture
def job(walled):
    return plan.prepare(walled, plan.PlanOptions(floor="Lantai 1", scale=SCALE, paper="A3"))


def items(drawing, kind):
    return [i for i in drawing.items if isinstance(i, kind)]


def ring_area(ring) -> float:
    return geometry.polygon_area_mm2(ring)


MASS_AREA = (6400 * 4400 - 6000 * 4000) + 150 * (4000 - 900) + 150 * (8000 - 1200 - 1200 - 1600)


# --- the drawing ------------------------------------------------------------------------------------
def test_the_drawing_holds_the_wall_mass_and_each_opening(walled, job):
    drawing = job.drawings[0]
    masses = items(drawing, pd.WallMass)
    assert len(masses) == 5 and all(m.layer == "walls" and m.fill == pd.WALL for m in masses)
    [building] = [m for m in masses if m.holes]
    assert len(building.holes) == 1  # the two rooms, joined through the door
    assert geometry.bounds(building.exterior) == (-200, -200, 6200, 4200)  # the loop's inner face on the rooms
    area = sum(ring_area(m.exterior) - sum(ring_area(h) for h in m.holes) for m in masses)
    assert area == pytest.approx(MASS_AREA, abs=1)
    openings = {o.kind: o for o in items(drawing, pd.Opening)}
    assert set(openings) == {"door", "window", "sliding_door", "double_door"}
    assert [len(openings[k].swings) for k in ("door", "double_door", "sliding_door", "window")] == [1, 2, 0, 0]
    door = openings["door"]
    swing = door.swings[0]
    assert swing.r == pytest.approx(900) and abs(swing.sweep) == pytest.approx(90)
    assert swing.cx == pytest.approx(3075)  # hinged on the partition's face towards the lactation room
    assert all(x >= 3075 - 1e-6 for x, _y in door.points())  # it swings into that room
    assert door.ref.kind == "opening" and door.ref.name == "Pintu"
    assert len(openings["window"].paths) == 3  # its two faces and the glass
    # the walls count in the extent and keep labels off them and off the door's swing
    x0, y0, _x1, y1 = drawing.bounds()
    assert (x0, y0) == (-200, -200) and y1 >= 7075
    assert (2925, -75, 3075, 4075) in drawing.obstacles  # the partition, its half-thickness all round
    assert any(o == pytest.approx((3075, 1550, 3975, 2450)) for o in drawing.obstacles)  # the swept square
    # rooms on a floor with walls are outlined thin and light: the walls read as walls
    rooms = [p for p in items(drawing, pd.Polygon) if p.ref is not None and p.ref.kind == "room"]
    assert rooms and all(p.stroke == pd.ROOM_LINE_WALLED and p.stroke_mm < 0.3 for p in rooms)
    # paint order: walls over the rooms, text over the walls
    order = [type(i) for i in drawing.items]
    assert order.index(pd.WallMass) > max(i for i, t in enumerate(order) if t is pd.Polygon)
    assert order.index(pd.Text) > max(i for i, t in enumerate(order) if t in (pd.WallMass, pd.Opening))


def test_walls_are_a_layer_shown_by_default(walled):
    assert "walls" in pd.LAYERS and "walls" in plan.PlanOptions().layers
    assert pd.parse_layers("walls, rooms") == ("rooms", "walls")
    ids = [walled.all(Floor)[0].id]
    without = pd.build_drawings(walled, ids, ("rooms", "furniture"))[0]
    assert not items(without, pd.WallMass) and not items(without, pd.Opening)
    rooms = [p for p in items(without, pd.Polygon) if p.ref is not None]
    assert all(p.stroke == pd.WALL for p in rooms)  # no walls drawn: the room outlines are the walls


# --- PDF, PNG, SVG ----------------------------------------------------------------------------------
def test_the_pdf_fills_the_wall_mass_and_draws_the_swings(job, tmp_path):
    """pdfplumber finds the mass filled in the wall colour (the building's outline with its hole as one
    path) and the door swings as curves on a circle round their hinges; a pixel in the room is not dark."""
    import pdfplumber

    out = tmp_path / "plan.pdf"
    plan.write(job, out, "pdf")
    sheet = job.sheets()[0]
    drawing = job.drawings[0]
    wall = tuple(round(c / 255, 2) for c in WALL_RGB)
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        x0, y0 = sheet.to_paper(-200, -200)
        x1, y1 = sheet.to_paper(6200, 4200)
        filled = [o for o in page.rects + page.curves if o.get("fill")
                  and tuple(round(c, 2) for c in o["non_stroking_color"]) == wall]
        # the four pieces of the free wall, and the building's outline and its hole: one even-odd path
        # (pdfplumber lists each of its sub-paths)
        assert len(filled) == 6 and sorted(o["object_type"] for o in filled) == ["curve"] * 2 + ["rect"] * 4
        outline, hole = sorted((o for o in filled if o["object_type"] == "curve"), key=lambda o: o["x0"])
        assert outline["evenodd"] and hole["evenodd"]
        assert (outline["x0"], outline["top"], outline["x1"], outline["bottom"]) == pytest.approx(
            (x0 * MM, y0 * MM, x1 * MM, y1 * MM), abs=0.05)
        inner = [v * MM for p in (sheet.to_paper(0, 0), sheet.to_paper(6000, 4000)) for v in p]
        assert (hole["x0"], hole["top"], hole["x1"], hole["bottom"]) == pytest.approx(inner, abs=0.05)
        swings = [s for o in items(drawing, pd.Opening) for s in o.swings]
        found = 0
        for s in swings:
            cx, cy = sheet.to_paper(s.cx, s.cy)
            r = s.r / SCALE
            arcs = [c for c in page.curves if not c.get("fill") and len(c["pts"]) >= 9
                    and all(abs(math.dist((px / MM, py / MM), (cx, cy)) - r) < 0.05 for px, py in c["pts"])]
            found += len(arcs)
        assert found == len(swings) == 3
    png = tmp_path / "page"
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-singlefile", str(out), str(png)], check=True)
    _look_at(png.with_suffix(".png"), sheet, 100)


def _look_at(path, sheet, dpi) -> None:
    """The wall is dark, the rooms inside it (its hole) and the window's gap are not."""
    from PIL import Image

    k = dpi / 25.4
    with Image.open(path) as img:
        img = img.convert("RGB")

        def at(x, y):
            px, py = sheet.to_paper(x, y)
            return img.getpixel((int(px * k), int(py * k)))

        def dark(c):
            return max(abs(a - b) for a, b in zip(c, WALL_RGB)) < 30

        assert dark(at(-100, 2000)) and dark(at(3000, 3500)) and dark(at(3000, 500))  # loop, partition
        assert not dark(at(1500, 2000)) and not dark(at(4500, 1000))  # inside both rooms
        assert not dark(at(3000, 2000))  # the door's gap
        assert dark(at(800, 7000)) and not dark(at(2000, 6950))  # the free wall, the window's gap


def test_the_png_leaves_the_hole_of_the_mass_open(job, tmp_path):
    out = tmp_path / "plan.png"
    job.options.dpi = 100
    plan.write(job, out, "png")
    _look_at(out, job.sheets()[0], 100)


def test_the_svg_has_the_mass_as_an_even_odd_path_and_names_the_openings(walled, job, tmp_path):
    out = tmp_path / "plan.svg"
    plan.write(job, out, "svg")
    text = out.read_text(encoding="utf-8")
    assert 'id="layer-walls"' in text
    assert text.count('fill-rule="evenodd"') == 1 and f'fill-rule="evenodd" fill="{pd.WALL}"' in text
    assert text.count(f'" fill="{pd.WALL}"/>') >= 5  # the building and the free wall's four pieces
    for opening in walled.all(WallOpening):
        assert f'id="opening-{opening.id}" data-kind="opening"' in text
    assert 'data-name="Pintu ganda"' in text and 'data-name="Jendela"' in text and 'data-name="Pintu geser"' in text


def test_the_composed_sheet_draws_walls_before_the_names(job):
    page = next(job.pages())
    plan_group = page.items[0]
    names = [g.name for g in plan_group.items if isinstance(g, PGroup)]
    assert names.index("walls") > names.index("rooms") and names.index("walls") < names.index("rooms-text")
    walls = next(g for g in plan_group.items if g.name == "walls")
    shapes = [s for s in walls.items if isinstance(s, PShape)]
    assert sum(1 for s in shapes if s.holes) == 1
    thin = [s for s in shapes if s.fill != pd.WALL]
    assert thin and all(s.stroke == pd.OPENING_LINE and s.width <= 0.25 for s in thin)


def test_cli_layers_switch_the_walls_off(walled, tmp_path):
    walled.close()
    on, off = tmp_path / "on.svg", tmp_path / "off.svg"
    assert export(walled.path, "-o", on, "--scale", "1:50") == 0
    assert export(walled.path, "-o", off, "--scale", "1:50", "--layers", "rooms,counters,furniture") == 0
    assert 'id="layer-walls"' in on.read_text(encoding="utf-8")
    assert 'id="layer-walls"' not in off.read_text(encoding="utf-8")
    assert export(walled.path, "-o", tmp_path / "w.svg", "--layers", "walls") == 0


# --- DXF --------------------------------------------------------------------------------------------
def test_the_dxf_has_walls_doors_and_windows_on_their_layers(walled, tmp_path):
    import ezdxf

    from mpp_planner.reports.plan_dxf import write_dxf

    out = tmp_path / "denah.dxf"
    write_dxf(walled, out)
    doc = ezdxf.readfile(out)
    msp = doc.modelspace()
    assert {"DINDING", "PINTU", "JENDELA"} <= {layer.dxf.name for layer in doc.layers}
    outlines = [[(x, -y) for x, y in e.get_points("xy")] for e in msp.query('LWPOLYLINE[layer=="DINDING"]')]
    assert all(e.closed for e in msp.query('LWPOLYLINE[layer=="DINDING"]'))
    hatches = list(msp.query('HATCH[layer=="DINDING"]'))
    assert len(hatches) == 5 and all(h.dxf.solid_fill == 1 for h in hatches)
    assert sum(len(h.paths) for h in hatches) == len(outlines) == 6  # five outer rings and the one hole
    # outer rings less the hole: the mass's area (the largest ring holds the hole)
    areas = sorted(ring_area(r) for r in outlines)
    hole = min(areas, key=lambda a: abs(a - 6000 * 4000 + 150 * 4000))  # the rooms less the partition
    assert sum(areas) - 2 * hole == pytest.approx(MASS_AREA, abs=1)
    # doors: each swing an ARC from the leaf's tip back to the wall, centred on its hinge
    arcs = list(msp.query('ARC[layer=="PINTU"]'))
    leaves = [[tuple(p) for p in e.get_points("xy")] for e in msp.query('LWPOLYLINE[layer=="PINTU"]')
              if not e.closed and len(e) == 2]
    assert len(arcs) == 3
    for arc in arcs:
        c = arc.dxf.center
        assert (arc.dxf.end_angle - arc.dxf.start_angle) % 360 == pytest.approx(90)
        ends = [(p.x, p.y) for p in (arc.start_point, arc.end_point)]
        assert any(math.dist(leaf[0], (c.x, c.y)) < 1e-6 and min(math.dist(leaf[1], e) for e in ends) < 1e-3
                   for leaf in leaves)
    door = next(a for a in arcs if a.dxf.radius == pytest.approx(900))
    assert door.dxf.center.x == pytest.approx(3075) and door.dxf.center.y < 0  # plan y down is DXF y up
    assert all(p.x >= 3075 - 1e-6 for p in (door.start_point, door.end_point))
    panels = [e for e in msp.query('LWPOLYLINE[layer=="PINTU"]') if e.closed]
    assert len(panels) == 2  # the sliding door's two panels
    assert len(msp.query('LWPOLYLINE[layer=="JENDELA"]')) == 3


def test_the_dxf_walls_do_not_come_back_as_rooms(walled, tmp_path):
    """Read back by the plan importer, the rooms are the rooms: the walls' outlines on DINDING are not."""
    from mpp_planner.importers import dxf as dxf_import
    from mpp_planner.reports.plan_dxf import write_dxf

    out = tmp_path / "denah.dxf"
    write_dxf(walled, out)
    dxf_import.forget_cache()
    read = dxf_import.read_dxf(out)
    assert sorted(r.name for r in read.rooms) == ["Ruang Kerja", "Ruang Laktasi"]


# --- the demo ---------------------------------------------------------------------------------------
def test_the_demo_has_one_set_of_walls_and_a_door_into_every_enclosed_room(demo_project):
    from mpp_planner.demo import OPEN_KINDS, OUTER_WALL, PARTITION
    from mpp_planner.model.wall_geometry import opening_frame

    s = demo_project.session
    for floor in demo_project.all(Floor):
        walls = list(s.scalars(select(Wall).where(Wall.floor_id == floor.id)))
        loops = [w for w in walls if w.closed]
        assert len(loops) == 1 and loops[0].thickness == OUTER_WALL
        partitions = [w for w in walls if not w.closed]
        assert partitions and all(w.thickness == PARTITION and len(w.points) == 2 for w in partitions)
        # no edge drawn twice: collinear partitions never overlap
        for i, a in enumerate(partitions):
            for b in partitions[i + 1:]:
                (ax0, ay0), (ax1, ay1) = a.points
                (bx0, by0), (bx1, by1) = b.points
                if ax0 == ax1 == bx0 == bx1:
                    assert max(min(ay0, ay1), min(by0, by1)) >= min(max(ay0, ay1), max(by0, by1))
                if ay0 == ay1 == by0 == by1:
                    assert max(min(ax0, ax1), min(bx0, bx1)) >= min(max(ax0, ax1), max(bx0, bx1))
        by_id = {w.id: w for w in walls}
        openings = list(s.scalars(select(WallOpening).where(WallOpening.floor_id == floor.id)))
        doors = [opening_frame(by_id[o.wall_id], o) for o in openings if o.kind != "window"]
        assert all(f is not None for f in doors)
        windows = [o for o in openings if o.kind == "window"]
        assert windows and all(by_id[o.wall_id].closed for o in windows)  # windows in the outer walls
        for room in floor.rooms:
            if room.kind in OPEN_KINDS:
                continue
            ring = [*map(tuple, room.outline), tuple(room.outline[0])]
            near = [f for f in doors if min(_segment_distance(f.centre, ring[k], ring[k + 1])
                                            for k in range(len(ring) - 1)) < 1]
            assert near, f"{floor.name}: {room.name} has no door"


def _segment_distance(p, a, b) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(ax + dx * t - px, ay + dy * t - py)


def test_the_demo_lactation_room_walks_out_through_its_door(demo_project):
    """The walking route from the lactation room to the play area leaves the room through its door."""
    from shapely.geometry import LineString, Polygon

    from mpp_planner.model.wall_geometry import opening_frame
    from mpp_planner.standards import run_checks

    [far] = [f for f in run_checks(demo_project) if f.rule_id == "lactation_near_play_area"]
    assert far.route and far.route_length_mm > 40_000
    room = demo_project.session.scalars(select(Room).where(Room.name == "Ruang Laktasi")).one()
    door = next(o for o in demo_project.all(WallOpening) if o.kind == "door"
                and (f := opening_frame(o.wall, o)) is not None and Polygon(room.outline).exterior.distance(
                    _point(f.centre)) < 1)
    frame = opening_frame(door.wall, door)
    crossing = LineString(far.route).intersection(Polygon(room.outline).exterior)
    assert not crossing.is_empty
    assert crossing.distance(_point(frame.centre)) < door.width / 2


def _point(p):
    from shapely.geometry import Point

    return Point(p)


def test_the_demo_prints_with_its_walls(demo_project, tmp_path):
    job = plan.prepare(demo_project, plan.PlanOptions(floor="all", scale=100, paper="A2"))
    for drawing in job.drawings:
        assert items(drawing, pd.WallMass) and items(drawing, pd.Opening)
        x0, y0, x1, y1 = drawing.bounds()
        assert (x0, y0) == (-200, -200) and x1 == 42200  # the outer walls stand outside the rooms
    out = tmp_path / "demo.pdf"
    assert plan.write(job, out, "pdf")
