"""The architect's plan from DXF: rooms from closed shapes named by the text inside them, the rest as the
floor's underlay; units, blocks, hatches, bad files, DWG through the ODA File Converter; the undoable
import command and ``mpp-planner import plan``. Every drawing is made here with ezdxf."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import ezdxf
import pytest
from ezdxf.enums import TextEntityAlignment
from sqlalchemy import func, select

from mpp_planner.cli import main
from mpp_planner.commands import History
from mpp_planner.commands.plan import ImportPlan, guess_room_kind, unique_name
from mpp_planner.importers import dxf
from mpp_planner.importers.dxf import DxfError, DxfPlan, DxfRoom, read_dxf, scan_dxf
from mpp_planner.jobs import Cancelled, Job
from mpp_planner.model import Floor, Room, ValidationError
from mpp_planner.model.geometry import area_m2
from mpp_planner.model.underlay import FloorUnderlay, Underlay, UnderlayPath, UnderlayText
from mpp_planner.project import Project, Topic
from tests.conftest import reopen

ROOT = Path(__file__).resolve().parents[2]
MM, CM, M = 4, 5, 6  # $INSUNITS


@pytest.fixture(autouse=True)
def _fresh_cache():
    dxf.forget_cache()
    yield
    dxf.forget_cache()
    dxf.FAST_READ = True


def new_doc(insunits=MM, version="R2010"):
    doc = ezdxf.new(version)
    doc.header["$INSUNITS"] = insunits
    return doc


def rect(x, y, w, h):
    return [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]


def room(msp, x, y, w, h, layer="RUANG", **kw):
    return msp.add_lwpolyline(rect(x, y, w, h), close=True, dxfattribs={"layer": layer, **kw})


def save(doc, path: Path) -> Path:
    doc.saveas(path)
    return path


def three_rooms(path: Path) -> Path:
    """Three rooms 6x4, 4x4 and 4x4 m on RUANG, named by a TEXT, an MTEXT and a block attribute; two
    walls; a small label that names nothing; the name tag block draws a circle."""
    doc = new_doc()
    msp = doc.modelspace()
    room(msp, 0, 0, 6000, 4000)
    msp.add_lwpolyline(rect(6000, 0, 4000, 4000) + [(6000, 0)], dxfattribs={"layer": "RUANG"})  # closed by repeat
    room(msp, 10000, 0, 4000, 4000)
    msp.add_text("Ruang Tunggu", height=300, dxfattribs={"layer": "TEKS", "insert": (1000, 2000)})
    msp.add_text("A-01", height=100, dxfattribs={"layer": "TEKS", "insert": (500, 500)})
    msp.add_mtext("Toilet\\PPria", dxfattribs={"layer": "TEKS", "insert": (7000, 3000), "char_height": 250})
    tag = doc.blocks.new("TAG")
    tag.add_circle((0, 0), 100)
    tag.add_attdef("NAMA", (0, 200), dxfattribs={"height": 250})
    ref = msp.add_blockref("TAG", (11000, 2000), dxfattribs={"layer": "TAGS"})
    ref.add_auto_attribs({"NAMA": "Ruang Laktasi"})
    msp.add_line((0, -200), (14000, -200), dxfattribs={"layer": "DINDING"})
    msp.add_line((0, 4200), (14000, 4200), dxfattribs={"layer": "DINDING"})
    return save(doc, path)


def by_name(plan: DxfPlan) -> dict[str, DxfRoom]:
    return {r.name: r for r in plan.rooms}


# --- rooms and their names ---------------------------------------------------------------------

def test_rooms_named_by_text_mtext_and_block_attribute(tmp_path):
    plan = read_dxf(three_rooms(tmp_path / "denah.dxf"))
    rooms = by_name(plan)
    assert set(rooms) == {"Ruang Tunggu", "Toilet Pria", "Ruang Laktasi"}
    # plan (x, y) = (X, -Y) moved so the drawing's top-left corner (X 0, Y 4200) is (0, 0)
    assert rooms["Ruang Tunggu"].outline == [(0, 4200), (6000, 4200), (6000, 200), (0, 200)]
    assert rooms["Toilet Pria"].outline == [(6000, 4200), (10000, 4200), (10000, 200), (6000, 200)]
    assert [area_m2(rooms[n].outline) for n in ("Ruang Tunggu", "Toilet Pria", "Ruang Laktasi")] == [24, 16, 16]
    assert {r.layer for r in plan.rooms} == {"RUANG"}
    assert plan.units == "mm" and plan.warnings == []
    # the underlay: walls, the tag's circle (on the block reference's layer), the label that named nothing
    u = plan.underlay
    assert sorted((p.layer, len(p.points), p.closed) for p in u.paths if p.layer == "DINDING") == [
        ("DINDING", 2, False), ("DINDING", 2, False)]
    assert [p.points[0] for p in u.paths if p.layer == "DINDING"] == [(0, 4400), (0, 0)]
    circle = [p for p in u.paths if p.layer == "TAGS"]
    assert len(circle) == 1 and circle[0].closed and len(circle[0].points) >= 8
    assert [(t.layer, t.text, t.x, t.y, t.height) for t in u.texts] == [("TEKS", "A-01", 500, 3700, 100)]
    assert not any(p.layer == "RUANG" for p in u.paths)  # the rooms are drawn by the plan itself


def test_the_tallest_text_names_a_room_and_ties_go_to_the_first(tmp_path):
    doc = new_doc()
    msp = doc.modelspace()
    room(msp, 0, 0, 5000, 5000)
    room(msp, 6000, 0, 5000, 5000)
    room(msp, 1000, 1000, 1000, 1000)  # a desk area inside the first room takes the text in it
    msp.add_text("luas 25 m2", height=150, dxfattribs={"insert": (3000, 4000)})
    msp.add_text("Ruang Rapat", height=350, dxfattribs={"insert": (3000, 3000)})
    msp.add_text("Meja", height=100, dxfattribs={"insert": (1500, 1500)})
    msp.add_text("Gudang", height=200, dxfattribs={"insert": (7000, 3000)})
    msp.add_text("Arsip", height=200, dxfattribs={"insert": (7000, 2000)})
    plan = read_dxf(save(doc, tmp_path / "a.dxf"))
    assert [r.name for r in plan.rooms] == ["Ruang Rapat", "Gudang", "Meja"]
    assert sorted(t.text for t in plan.underlay.texts) == ["Arsip", "luas 25 m2"]


def test_justified_text_stands_at_its_alignment_point(tmp_path):
    doc = new_doc()
    msp = doc.modelspace()
    room(msp, 0, 0, 4000, 4000)
    room(msp, 4000, 0, 4000, 4000)
    t = msp.add_text("Mushola", height=300)
    t.set_placement((6000, 2000), align=TextEntityAlignment.MIDDLE_CENTER)
    t.dxf.insert = (1000, 1000)  # in the first room, but centred text stands at its alignment point
    plan = read_dxf(save(doc, tmp_path / "a.dxf"))
    assert [r.name for r in plan.rooms] == ["Room 1", "Mushola"]


@pytest.mark.parametrize("insunits, k, units", [(MM, 1, "mm"), (CM, 10, "cm"), (M, 1000, "m")])
def test_units_from_the_header(tmp_path, insunits, k, units):
    doc = new_doc(insunits)
    msp = doc.modelspace()
    room(msp, 0, 0, 6000 / k, 4000 / k)
    msp.add_text("Lobi", height=300 / k, dxfattribs={"insert": (1000 / k, 1000 / k)})
    msp.add_text("Utara", height=500 / k, dxfattribs={"insert": (0, 5000 / k)})
    path = save(doc, tmp_path / "a.dxf")
    summary = scan_dxf(path)
    assert (summary.units, summary.units_from_header) == (units, True)
    assert summary.extents_mm == (0, 0, 6000, 5000)
    plan = read_dxf(path)
    assert plan.units == units
    assert plan.rooms == [DxfRoom("Lobi", [(0, 5000), (6000, 5000), (6000, 1000), (0, 1000)], "RUANG")]
    assert [(t.text, t.x, t.y, t.height) for t in plan.underlay.texts] == [("Utara", 0, 0, 500)]


def test_a_unitless_drawing_needs_units(tmp_path):
    doc = new_doc(0)
    room(doc.modelspace(), 0, 0, 6, 4)
    path = save(doc, tmp_path / "a.dxf")
    summary = scan_dxf(path)
    assert (summary.units, summary.units_from_header, summary.extents_mm) == (None, False, None)
    with pytest.raises(DxfError, match="does not say its units") as err:
        read_dxf(path)
    assert err.value.units_problem
    assert scan_dxf(path, units="m").extents_mm == (0, 0, 6000, 4000)
    assert area_m2(read_dxf(path, units="m").rooms[0].outline) == 24
    # given units win over the header's
    doc.header["$INSUNITS"] = MM
    assert read_dxf(save(doc, tmp_path / "b.dxf"), units="m").units == "m"
    doc.header["$INSUNITS"] = 14  # decimetres: not ours
    with pytest.raises(DxfError, match="code 14") as err:
        read_dxf(save(doc, tmp_path / "c.dxf"))
    assert err.value.units_problem
    with pytest.raises(DxfError, match="Unknown units"):
        read_dxf(path, units="furlong")


def test_hatch_boundaries_are_rooms_and_their_islands_underlay(tmp_path):
    doc = new_doc()
    msp = doc.modelspace()
    hatch = msp.add_hatch(color=3, dxfattribs={"layer": "RUANG"})
    hatch.paths.add_polyline_path(rect(0, 0, 8000, 5000), is_closed=True)
    hatch.paths.add_polyline_path(rect(1000, 1000, 400, 400), is_closed=True)  # a column
    room(msp, 0, 0, 8000, 5000)  # the same room drawn again as a polyline
    msp.add_text("Ruang Pelayanan", height=400, dxfattribs={"insert": (4000, 2500)})
    other = msp.add_hatch(dxfattribs={"layer": "ARSIR"})
    other.paths.add_polyline_path(rect(9000, 0, 1000, 1000), is_closed=True)
    plan = read_dxf(save(doc, tmp_path / "a.dxf"))
    assert [(r.name, area_m2(r.outline)) for r in plan.rooms] == [("Ruang Pelayanan", 40)]
    assert sorted((p.layer, p.points, p.closed) for p in plan.underlay.paths) == [
        ("ARSIR", ((9000, 5000), (10000, 5000), (10000, 4000), (9000, 4000)), True),
        ("RUANG", ((1000, 4000), (1400, 4000), (1400, 3600), (1000, 3600)), True)]
    assert scan_dxf(tmp_path / "a.dxf").layers == [dxf.LayerInfo("0", 1, 0), dxf.LayerInfo("ARSIR", 1, 1),
                                                   dxf.LayerInfo("RUANG", 3, 2)]


def test_rooms_inside_block_references(tmp_path):
    doc = new_doc()
    msp = doc.modelspace()
    unit = doc.blocks.new("UNIT", base_point=(0, 0))
    unit.add_lwpolyline(rect(0, 0, 3000, 3000), close=True)  # layer 0: takes the reference's layer
    unit.add_lwpolyline(rect(3000, 0, 2000, 3000), close=True)
    unit.add_text("Gudang", height=200, dxfattribs={"insert": (1500, 1500)})
    unit.add_text("Arsip", height=200, dxfattribs={"insert": (4000, 1500)})
    unit.add_line((0, 3000), (5000, 3000), dxfattribs={"layer": "DINDING"})
    msp.add_blockref("UNIT", (0, 0), dxfattribs={"layer": "RUANG"})
    msp.add_blockref("UNIT", (0, 10000), dxfattribs={"layer": "RUANG", "rotation": 90})
    msp.add_blockref("UNIT", (20000, 0), dxfattribs={"layer": "RUANG", "xscale": 2, "yscale": 2})
    outer = doc.blocks.new("LANTAI")
    outer.add_blockref("UNIT", (0, 0))  # nested, on layer 0 too
    msp.add_blockref("LANTAI", (40000, 0), dxfattribs={"layer": "RUANG"})
    path = save(doc, tmp_path / "a.dxf")
    assert scan_dxf(path).suggested_room_layers == ["RUANG"]
    plan = read_dxf(path)
    assert [(r.name, area_m2(r.outline)) for r in plan.rooms] == [
        ("Gudang", 9), ("Arsip", 6), ("Gudang", 9), ("Arsip", 6), ("Gudang", 36), ("Arsip", 24), ("Gudang", 9),
        ("Arsip", 6)]
    turned = plan.rooms[3].outline  # turned 90° about its insertion point: 3 m wide, 2 m deep
    xs, ys = [p[0] for p in turned], [p[1] for p in turned]
    assert (max(xs) - min(xs), max(ys) - min(ys)) == (3000, 2000)
    assert sum(1 for p in plan.underlay.paths if p.layer == "DINDING") == 4
    assert not plan.underlay.texts


def test_arcs_circles_dimensions_in_the_underlay(tmp_path):
    doc = new_doc()
    msp = doc.modelspace()
    room(msp, 0, 0, 6000, 4000)
    msp.add_arc((2000, 2000), 900, 0, 90, dxfattribs={"layer": "PINTU"})
    msp.add_circle((5000, 1000), 500, dxfattribs={"layer": "PERABOT"})
    msp.add_ellipse((3000, 3000), major_axis=(600, 0), ratio=0.5, dxfattribs={"layer": "PERABOT"})
    msp.add_spline([(0, 5000), (1000, 5500), (2000, 5000), (3000, 5500)], dxfattribs={"layer": "TAMAN"})
    msp.add_lwpolyline([(0, -500, 0), (2000, -500, 1), (4000, -500, 0)], format="xyb",
                       dxfattribs={"layer": "DINDING"})  # an arc inside a polyline
    dim = msp.add_linear_dim(base=(0, 1500), p1=(0, 1000), p2=(3000, 1000), dxfattribs={"layer": "DIM"})
    dim.render()
    msp.add_point((100, 100), dxfattribs={"layer": "TITIK"})
    msp.add_line((0, 6000), (6000, 6000), dxfattribs={"layer": "RAND"})  # the top edge of the drawing
    solid = msp.add_hatch(color=1, dxfattribs={"layer": "ARSIR"})
    solid.paths.add_polyline_path(rect(7000, 0, 500, 500), is_closed=True)
    plan = read_dxf(save(doc, tmp_path / "a.dxf"))
    assert [r.name for r in plan.rooms] == ["Room 1"]  # the dimension's figure names nothing
    u = plan.underlay
    layers = {p.layer for p in u.paths}
    assert layers == {"PINTU", "PERABOT", "TAMAN", "DINDING", "DIM", "ARSIR", "RAND"}  # no point, no room
    top = 6000
    (arc,) = [p for p in u.paths if p.layer == "PINTU"]
    centre = (2000, top - 2000)
    radii = [math.dist(p, centre) for p in arc.points]
    assert all(abs(r - 900) <= 1 for r in radii) and len(arc.points) >= 3 and not arc.closed
    for a, b in zip(arc.points, arc.points[1:]):  # each chord stays within 5 mm of the arc
        mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
        assert 900 - math.dist(mid, centre) <= dxf.FLATTEN_MM + 1
    circle, ellipse = [p for p in u.paths if p.layer == "PERABOT"]
    assert circle.closed and all(abs(math.dist(p, (5000, top - 1000)) - 500) <= 1 for p in circle.points)
    assert max(p[0] for p in ellipse.points) - min(p[0] for p in ellipse.points) == 1200
    (bulged,) = [p for p in u.paths if p.layer == "DINDING"]
    assert max(p[1] for p in bulged.points) == top + 500 + 1000  # a half circle of radius 1 m below the line
    assert [t.text for t in u.texts] == ["3000"] and u.texts[0].layer == "DIM"
    assert sum(1 for p in u.paths if p.layer == "DIM") >= 3  # dimension and extension lines, arrows


# --- which layers hold rooms ---------------------------------------------------------------------

def test_suggested_room_layers(tmp_path):
    doc = new_doc()
    msp = doc.modelspace()
    room(msp, 0, 0, 4000, 4000, layer="A-AREA")
    room(msp, 0, 0, 300, 300, layer="KOLOM")
    path = save(doc, tmp_path / "named.dxf")
    assert scan_dxf(path).suggested_room_layers == ["A-AREA"]
    doc = new_doc()
    msp = doc.modelspace()
    for i in range(3):
        room(msp, i * 5000, 0, 5000, 5000, layer="DENAH")
        room(msp, i * 5000 + 100, 100, 1000, 600, layer="FURNITURE")
        msp.add_text(f"R{i}", height=200, dxfattribs={"insert": (i * 5000 + 300, 300)})  # inside the table too
    room(msp, 20000, 0, 3000, 3000, layer="LAIN")
    summary = scan_dxf(save(doc, tmp_path / "texts.dxf"))
    assert summary.suggested_room_layers == ["DENAH"]  # most shapes holding a text, furniture aside
    assert {i.name: (i.entities, i.closed_shapes) for i in summary.layers} == {
        "DENAH": (3, 3), "FURNITURE": (3, 3), "LAIN": (1, 1), "0": (3, 0)}
    assert summary.entities == 10


# --- bad drawings: a clear message, nothing read ------------------------------------------------

def test_three_d_only(tmp_path):
    doc = new_doc()
    msp = doc.modelspace()
    msp.add_3dface([(0, 0, 0), (1000, 0, 0), (1000, 1000, 500), (0, 1000, 500)])
    mesh = msp.add_mesh()
    with mesh.edit_data() as data:
        data.vertices = [(0, 0, 0), (1, 0, 0), (1, 1, 1)]
        data.faces = [(0, 1, 2)]
    path = save(doc, tmp_path / "a.dxf")
    for call in (scan_dxf, read_dxf):
        with pytest.raises(DxfError, match="only 3D objects"):
            call(path)


@pytest.mark.parametrize("content", [b"", b"hello, this is no drawing\n", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
                                     b"PK\x03\x04zip"])
def test_not_a_dxf(tmp_path, content):
    path = tmp_path / "a.dxf"
    path.write_bytes(content)
    with pytest.raises(DxfError, match="is not a DXF drawing"):
        scan_dxf(path)


def test_missing_file(tmp_path):
    with pytest.raises(DxfError, match="does not exist"):
        read_dxf(tmp_path / "nothing.dxf")


def test_truncated_dxf(tmp_path):
    data = three_rooms(tmp_path / "a.dxf").read_bytes()
    cut = tmp_path / "cut.dxf"
    cut.write_bytes(data[:len(data) * 2 // 3])
    with pytest.raises(DxfError, match="incomplete"):
        read_dxf(cut)


def test_damaged_dxf_is_refused_or_repaired(tmp_path):
    lines = three_rooms(tmp_path / "a.dxf").read_text().split("\n")
    line = lines.index("LINE", lines.index("ENTITIES"))
    bad = list(lines)
    bad[bad.index(" 10", line) + 1] = "abc"  # a coordinate that is no number
    (tmp_path / "bad.dxf").write_text("\n".join(bad))
    with pytest.raises(DxfError, match="damaged"):
        read_dxf(tmp_path / "bad.dxf")
    fixable = list(lines)
    end = fixable.index("ENDSEC")  # the header section's end is missing: ezdxf.recover repairs it
    del fixable[end - 1:end + 1]
    (tmp_path / "fixable.dxf").write_text("\n".join(fixable))
    plan = read_dxf(tmp_path / "fixable.dxf")
    assert len(plan.rooms) == 3
    assert any("repaired" in w for w in plan.warnings)


def test_no_closed_shapes(tmp_path):
    doc = new_doc()
    msp = doc.modelspace()
    msp.add_line((0, 0), (5000, 0))
    msp.add_lwpolyline(rect(0, 0, 5000, 5000), dxfattribs={"layer": "RUANG"})  # open
    with pytest.raises(DxfError, match="no closed shapes"):
        read_dxf(save(doc, tmp_path / "a.dxf"))
    room(msp, 0, 0, 400, 400, layer="KOLOM")
    room(msp, 0, 1000, 400, 400, layer="Grid")
    path = save(doc, tmp_path / "b.dxf")
    with pytest.raises(DxfError, match=r"room layers \(none\).*: Grid, KOLOM\.") as err:
        read_dxf(path)  # neither is suggested: their names say columns and grid
    assert err.value.layers_problem
    with pytest.raises(DxfError, match="room layers RUANG"):
        read_dxf(path, room_layers=["RUANG"])
    assert len(read_dxf(path, room_layers=["kolom"]).rooms) == 1  # layer names compare without case


@pytest.mark.parametrize("insunits, size, words", [(MM, 6, "far too small"), (M, 6_000_000, "far too large")])
def test_absurd_size_says_check_the_units(tmp_path, insunits, size, words):
    doc = new_doc(insunits)
    room(doc.modelspace(), 0, 0, size, size * 2 / 3)
    path = save(doc, tmp_path / "a.dxf")
    with pytest.raises(DxfError, match=words) as err:
        read_dxf(path)
    assert err.value.units_problem and "units" in str(err.value)


def test_shapes_the_model_refuses_are_skipped_with_a_warning(tmp_path):
    doc = new_doc()
    msp = doc.modelspace()
    room(msp, 0, 0, 5000, 5000)
    msp.add_text("Lobi", height=300, dxfattribs={"insert": (1000, 1000)})
    msp.add_lwpolyline([(6000, 0), (10000, 4000), (10000, 0), (6000, 4000)], close=True,
                       dxfattribs={"layer": "RUANG"})  # a bow tie crosses itself
    msp.add_text("Gudang", height=300, dxfattribs={"insert": (9500, 2000)})
    room(msp, 11000, 0, 50, 50)  # 0.0025 m²: no area to speak of
    plan = read_dxf(save(doc, tmp_path / "a.dxf"))
    assert [r.name for r in plan.rooms] == ["Lobi"]
    assert len(plan.warnings) == 2
    assert "“Gudang”" in plan.warnings[0] and "RUANG" in plan.warnings[0] and "cross itself" in plan.warnings[0]
    assert "without a name" in plan.warnings[1] and "area" in plan.warnings[1]
    refused = [p for p in plan.underlay.paths if p.layer == "RUANG"]  # kept in the underlay
    assert len(refused) == 2 and all(p.closed for p in refused)
    assert [t.text for t in plan.underlay.texts] == ["Gudang"]
    doc = new_doc()
    msp = doc.modelspace()
    msp.add_lwpolyline([(6000, 0), (10000, 4000), (10000, 0), (6000, 4000)], close=True,
                       dxfattribs={"layer": "RUANG"})
    with pytest.raises(DxfError, match="The 1 closed shape on the room layers cannot be a room.*cross itself"):
        read_dxf(save(doc, tmp_path / "b.dxf"))


# --- the fast reader and ezdxf agree ------------------------------------------------------------

def rich_drawing(path: Path, version: str) -> Path:
    """Every kind of entity the import reads, in and out of blocks, with OCS and invisible ones."""
    doc = new_doc(MM, version)
    msp = doc.modelspace()
    r12 = version == "R12"

    def poly(points, closed, layer):
        if r12:
            return msp.add_polyline2d(points, close=closed, dxfattribs={"layer": layer})
        return msp.add_lwpolyline(points, close=closed, dxfattribs={"layer": layer})

    poly(rect(0, 0, 6000, 4000), True, "RUANG")
    if not r12:
        msp.add_line((0, 0), (1, 1), dxfattribs={"invisible": 1})
    poly(rect(6000, 0, 4000, 4000) + [(6000, 0)], False, "ruang")
    poly([(0, -300), (5000, -300), (5000, -600)], False, "DINDING")
    for i in range(30):
        msp.add_line((i * 300, 4100), (i * 300 + 200, 4300), dxfattribs={"layer": "DINDING"})
        msp.add_arc((i * 300, 5000), 100 + i, i * 10, 180 + i * 5, dxfattribs={"layer": "PINTU"})
        msp.add_circle((i * 300, 6000), 50 + i, dxfattribs={"layer": "PERABOT"})
        msp.add_point((i, i))
    msp.add_text("Ruang Tunggu", height=300, dxfattribs={"insert": (1000, 2000), "rotation": 15})
    msp.add_text("Gudang", height=250, dxfattribs={"insert": (7000, 1000)}).set_placement(
        (8000, 2000), align=TextEntityAlignment.TOP_RIGHT)
    msp.add_text("%%c50 pipa", height=100, dxfattribs={"insert": (500, 500)})
    msp.add_text("Kafé Ω", height=100, dxfattribs={"insert": (500, 4600)})  # cp1252 before R2007, Ω escaped
    msp.add_text("lebar", height=100, dxfattribs={"insert": (100, 4500)}).set_placement(
        (100, 4500), (900, 4500), align=TextEntityAlignment.FIT)
    msp.add_circle((3000, 3000), 200, dxfattribs={"layer": "CERMIN", "extrusion": (0, 0, -1)})
    msp.add_arc((3000, 3000), 300, 10, 100, dxfattribs={"layer": "CERMIN", "extrusion": (0, 0, -1)})
    msp.add_text("cermin", height=100, dxfattribs={"layer": "CERMIN", "insert": (3000, 3500),
                                                    "extrusion": (0, 0, -1)})
    if not r12:
        msp.add_lwpolyline([(0, -1000, 0.5), (2000, -1000, 0), (3000, -1000)], format="xyb",
                           dxfattribs={"layer": "DINDING"})
        msp.add_mtext("Kantor", dxfattribs={"insert": (11000, 3000), "char_height": 200})
        hatch = msp.add_hatch(dxfattribs={"layer": "RUANG"})
        hatch.paths.add_polyline_path(rect(10000, 0, 3000, 4000), is_closed=True)
    blk = doc.blocks.new("MEJA")
    blk.add_line((0, 0), (800, 0))
    blk.add_circle((400, 300), 100)
    blk.add_attdef("NO", (0, 0), dxfattribs={"height": 100})
    for i in range(5):
        ref = msp.add_blockref("MEJA", (1000 + i * 900, 1000), dxfattribs={"layer": "PERABOT", "rotation": 30 * i})
        ref.add_auto_attribs({"NO": f"M{i}"})
    msp.add_linear_dim(base=(0, -2000), p1=(0, -1500), p2=(6000, -1500), dxfattribs={"layer": "DIM"}).render()
    doc.paperspace().add_line((0, 0), (100000, 100000))
    return save(doc, path)


@pytest.mark.parametrize("version", ["R12", "R2000", "R2018"])
def test_the_fast_reader_gives_what_ezdxf_gives(tmp_path, version):
    path = rich_drawing(tmp_path / f"{version}.dxf", version)
    dxf.FAST_READ = False
    slow = scan_dxf(path, units="mm"), read_dxf(path, units="mm")
    dxf.forget_cache()
    dxf.FAST_READ = True
    fast = scan_dxf(path, units="mm"), read_dxf(path, units="mm")
    assert fast[0] == slow[0]
    assert fast[1].rooms == slow[1].rooms
    assert fast[1].underlay.paths == slow[1].underlay.paths
    assert fast[1].underlay.texts == slow[1].underlay.texts
    names = {r.name for r in fast[1].rooms}
    assert {"Ruang Tunggu", "Gudang"} <= names
    texts = {t.text for t in fast[1].underlay.texts}
    assert {"Ø50 pipa", "lebar", "cermin", "M0", "M4", "Kafé Ω"} <= texts
    assert max(x for p in fast[1].underlay.paths for x, _y in p.points) < 20000  # paper space stays out
    assert fast[0].entities == slow[0].entities == len(ezdxf.readfile(path).modelspace())


def test_binary_dxf(tmp_path):
    doc = ezdxf.readfile(three_rooms(tmp_path / "a.dxf"))
    doc.saveas(tmp_path / "bin.dxf", fmt="bin")
    assert (tmp_path / "bin.dxf").read_bytes().startswith(b"AutoCAD Binary DXF")
    assert read_dxf(tmp_path / "bin.dxf").rooms == read_dxf(tmp_path / "a.dxf").rooms


def test_progress_is_told_and_cancel_stops_the_reading(tmp_path):
    doc = new_doc()
    msp = doc.modelspace()
    room(msp, 0, 0, 30000, 30000)
    for i in range(3000):
        msp.add_line((i * 10, 0), (i * 10, 100), dxfattribs={"layer": "GARIS"})
    path = save(doc, tmp_path / "a.dxf")
    told: list[tuple[int, int, str]] = []
    job = Job(on_progress=lambda done, total, text: told.append((done, total, text)))
    job.TELL_EVERY = 0
    plan = job.run(lambda: read_dxf(path))
    assert len(plan.underlay.paths) == 3000
    counted = [(d, t) for d, t, _text in told if t]
    assert {t for _d, t in counted} == {3001}
    assert len(counted) >= 8 and max(d for d, _t in counted) >= 3000
    dxf.forget_cache()
    job = Job()
    job.TELL_EVERY = 0
    job.on_progress = lambda done, total, text: job.cancel() if done >= 1000 else None
    with pytest.raises(Cancelled):
        job.run(lambda: read_dxf(path))


def test_a_drawing_is_read_once_for_the_preview_and_the_import(tmp_path, monkeypatch):
    path = three_rooms(tmp_path / "a.dxf")
    calls = []
    real = dxf._read_content
    monkeypatch.setattr(dxf, "_read_content", lambda *a, **kw: calls.append(a) or real(*a, **kw))
    scan_dxf(path)
    read_dxf(path, room_layers=["RUANG"])
    read_dxf(path, units="mm")
    assert len(calls) == 1
    scan_dxf(path, units="m")  # other units: arcs are flattened for them again
    assert len(calls) == 2
    path.write_bytes(path.read_bytes() + b"\n")  # the file changed
    scan_dxf(path, units="m")
    assert len(calls) == 3


# --- DWG through the ODA File Converter --------------------------------------------------------

def fake_dwg(path: Path) -> Path:
    path.write_bytes(b"AC1032" + b"\x00" * 200)
    return path


def test_dwg_without_the_converter_says_save_as_dxf(tmp_path, monkeypatch):
    monkeypatch.setattr(dxf, "find_oda_converter", lambda: None)
    for name in ("plan.dwg", "plan.dxf"):  # a DWG is recognised by its first bytes too
        with pytest.raises(DxfError, match="save it as DXF"):
            read_dxf(fake_dwg(tmp_path / name))


def test_dwg_through_the_converter(tmp_path, monkeypatch):
    converted = three_rooms(tmp_path / "converted.dxf")
    seen = {}

    def run(args, **kwargs):
        exe, src, out, version, kind, recurse, audit, name = args
        seen.update(args=args, out=Path(out), kwargs=kwargs)
        assert (Path(src) / name).read_bytes()[:6] == b"AC1032"
        assert (version, kind, recurse, audit, name) == ("ACAD2018", "DXF", "0", "1", "drawing.dwg")
        shutil.copyfile(converted, Path(out) / "drawing.dxf")
        return subprocess.CompletedProcess(args, 0, b"", b"")

    monkeypatch.setattr(dxf, "find_oda_converter", lambda: Path("/opt/oda/ODAFileConverter"))
    monkeypatch.setattr(dxf.subprocess, "run", run)
    plan = read_dxf(fake_dwg(tmp_path / "plan.dwg"))
    assert {r.name for r in plan.rooms} == {"Ruang Tunggu", "Toilet Pria", "Ruang Laktasi"}
    assert seen["args"][0] == str(Path("/opt/oda/ODAFileConverter"))
    assert seen["kwargs"]["timeout"] == dxf.ODA_TIMEOUT_S
    assert not seen["out"].exists()  # the converted copy is gone


@pytest.mark.parametrize("outcome, words", [("fails", "could not convert"), ("hangs", "took too long"),
                                            ("missing", "could not be run")])
def test_dwg_converter_failures(tmp_path, monkeypatch, outcome, words):
    def run(args, **kwargs):
        if outcome == "hangs":
            raise subprocess.TimeoutExpired(args, kwargs["timeout"])
        if outcome == "missing":
            raise FileNotFoundError(2, "No such file or directory")
        (Path(args[2]) / "drawing.dxf").write_text("  0\nSECTION\n")  # half written
        return subprocess.CompletedProcess(args, 1, b"", b"error")

    monkeypatch.setattr(dxf, "find_oda_converter", lambda: Path("ODAFileConverter"))
    monkeypatch.setattr(dxf.subprocess, "run", run)
    with pytest.raises(DxfError, match=words) as err:
        read_dxf(fake_dwg(tmp_path / "plan.dwg"))
    assert "save it as DXF" in str(err.value)


def test_the_converter_is_found_in_its_windows_install_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(dxf.shutil, "which", lambda name: None)
    monkeypatch.setattr(dxf.sys, "platform", "win32")
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "pf"))
    monkeypatch.setenv("ProgramFiles(x86)", str(tmp_path / "pf86"))
    assert dxf.find_oda_converter() is None
    for version in ("9.1.0", "25.12.0", "21.6.0"):
        exe = tmp_path / "pf" / "ODA" / f"ODAFileConverter {version}" / "ODAFileConverter.exe"
        exe.parent.mkdir(parents=True)
        exe.write_bytes(b"MZ")
    assert dxf.find_oda_converter() == tmp_path / "pf" / "ODA" / "ODAFileConverter 25.12.0" / "ODAFileConverter.exe"
    monkeypatch.setattr(dxf.shutil, "which", lambda name: "/somewhere/ODAFileConverter")
    assert dxf.find_oda_converter() == Path("/somewhere/ODAFileConverter")


# --- room kinds and names ------------------------------------------------------------------------

def test_room_kinds_guessed_from_the_demo_names():
    floors = json.loads((ROOT / "resources" / "demo" / "floors.json").read_text(encoding="utf-8"))
    pairs = [(r["name"], r["kind"]) for f in floors for r in f["rooms"]]
    assert len(pairs) > 30
    assert [(name, guess_room_kind(name)) for name, _kind in pairs] == pairs


@pytest.mark.parametrize("name, kind", [
    ("TOILET DIFABEL", "accessible_toilet"), ("KM/WC Pria", "toilet"), ("R. Menyusui", "lactation_room"),
    ("Ruang ASI", "lactation_room"), ("Informasi", "information_desk"), ("LOBBY", "corridor"),
    ("Musholla", "prayer_room"), ("Ruang Server", "other"), ("", "other"), ("Loket 1-10", "counter_hall"),
    ("Ruang Tunggu Lt. 2", "waiting_area"), ("Ruang Tunggu Ibu Menyusui", "lactation_room"),
])
def test_room_kind_words(name, kind):
    assert guess_room_kind(name) == kind


def test_unique_names():
    taken = {"lobi", "gudang (2)"}
    assert [unique_name(n, taken) for n in ("Lobi", "Gudang", "Gudang", "LOBI")] == [
        "Lobi (2)", "Gudang", "Gudang (3)", "LOBI (3)"]
    assert len(unique_name("x" * 200, {"x" * 200})) == 200


# --- the command: one undoable step --------------------------------------------------------------

def counts(project) -> tuple[int, int, int]:
    s = project.session
    return tuple(s.scalar(select(func.count()).select_from(cls)) for cls in (Floor, Room, FloorUnderlay))


def test_import_plan_makes_the_floor_rooms_and_underlay_in_one_step(empty_project, tmp_path):
    p = empty_project
    plan = read_dxf(three_rooms(tmp_path / "denah.dxf"))
    heard = []
    p.subscribe(heard.append)
    history = History(p)
    command = ImportPlan(" Lantai 1 ", plan, str(tmp_path / "denah.dxf"))
    history.push(command)
    assert command.floor_created and command.text == "Import plan denah.dxf onto Lantai 1"
    assert heard[-1].topics >= {Topic.FLOORS, Topic.ROOMS, Topic.BACKGROUNDS} and len(heard) == 1

    def check(project):
        (floor,) = project.all(Floor)
        assert floor.name == "Lantai 1"
        rooms = {r.name: r for r in project.all(Room, Room.id)}
        assert {n: (r.kind, r.area_m2, r.floor_id) for n, r in rooms.items()} == {
            "Ruang Tunggu": ("waiting_area", 24, floor.id), "Toilet Pria": ("toilet", 16, floor.id),
            "Ruang Laktasi": ("lactation_room", 16, floor.id)}
        under = project.get(FloorUnderlay, floor.id)
        assert (under.source, under.entities, under.visible, under.printed) == ("denah.dxf", 4, True, False)
        assert under.layers == ["DINDING", "TAGS", "TEKS"]
        drawing = under.drawing()
        assert (len(drawing.paths), len(drawing.texts)) == (3, 1)
        assert drawing == plan.underlay
        return [r.id for r in rooms.values()]

    ids = check(p)
    assert command.room_ids == ids
    history.undo()
    assert counts(p) == (0, 0, 0)
    history.redo()
    assert check(p) == ids
    p = reopen(p)
    try:
        assert check(p) == ids
    finally:
        p.close()


def test_import_plan_reuses_the_floor_and_puts_back_the_replaced_underlay(empty_project, tmp_path):
    p = empty_project
    old = Underlay([UnderlayPath("LAMA", ((0, 0), (10, 10)))], [UnderlayText("LAMA", 0, 0, 100, "lama")])
    with p.edit() as s:
        floor = Floor(name="Lantai 1", order=1)
        floor.rooms.append(Room(name="ruang tunggu", kind="waiting_area", outline=[[0, 0], [900, 0], [900, 900]]))
        s.add(floor)
        s.flush()
        under = FloorUnderlay(floor_id=floor.id, source="lama.dxf", visible=False, printed=True)
        under.set_drawing(old)
        s.add(under)
    before = p.get(FloorUnderlay, floor.id).column_values()
    plan = read_dxf(three_rooms(tmp_path / "baru.dxf"))
    history = History(p)
    history.push(ImportPlan("LANTAI 1", plan, "baru.dxf"))
    assert counts(p) == (1, 4, 1)
    assert sorted(r.name for r in p.all(Room)) == ["Ruang Laktasi", "Ruang Tunggu (2)", "Toilet Pria", "ruang tunggu"]
    under = p.get(FloorUnderlay, floor.id)
    assert (under.source, under.visible, under.printed, under.drawing()) == ("baru.dxf", False, True, plan.underlay)
    history.undo()
    assert counts(p) == (1, 1, 1)
    assert p.get(FloorUnderlay, floor.id).column_values() == before
    history.redo()
    p = reopen(p)
    try:
        assert counts(p) == (1, 4, 1) and p.get(FloorUnderlay, floor.id).source == "baru.dxf"
    finally:
        p.close()


def test_import_plan_is_all_or_nothing(empty_project):
    p = empty_project
    plan = DxfPlan([DxfRoom("Lobi", [(0, 0), (5000, 0), (5000, 5000)], "R"),
                    DxfRoom("Silang", [(0, 0), (10, 10), (10, 0), (0, 10)], "R")],
                   Underlay([UnderlayPath("L", ((0, 0), (1, 1)))]), "mm")
    with pytest.raises(ValidationError, match="cross itself"):
        History(p).push(ImportPlan("Lantai 1", plan, "x.dxf"))
    assert counts(p) == (0, 0, 0)
    with pytest.raises(ValidationError):
        ImportPlan("", plan, "x.dxf")


# --- mpp-planner import plan -------------------------------------------------------------------------

def project_file(tmp_path) -> Path:
    Project.create(tmp_path / "p.mpplan", site_name="MPP Uji").close()
    return tmp_path / "p.mpplan"


def cli_counts(path) -> tuple[int, int, int]:
    project = Project.open(path, readonly=True)
    try:
        return counts(project)
    finally:
        project.close()


def test_cli_imports_a_plan(tmp_path, capsys):
    target = project_file(tmp_path)
    drawing = three_rooms(tmp_path / "denah.dxf")
    assert main(["import", "plan", str(target), "--from", str(drawing)]) == 0
    err = capsys.readouterr().err
    assert "Imported 3 room(s), 56.00 m² in all, and an underlay of 4 lines and texts onto Floor 1 (new floor)" in err
    assert cli_counts(target) == (1, 3, 1)
    assert main(["import", "plan", str(target), "--from", str(drawing), "--floor", "Lantai 2",
                 "--layers", "ruang"]) == 0
    assert "onto Lantai 2 (new floor)" in capsys.readouterr().err
    assert main(["import", "plan", str(target), "--from", str(drawing)]) == 0  # the first floor by default
    assert "onto Floor 1 (existing floor)" in capsys.readouterr().err
    assert cli_counts(target) == (2, 9, 2)


def test_cli_lists_skipped_shapes_as_warnings(tmp_path, capsys):
    doc = new_doc()
    msp = doc.modelspace()
    room(msp, 0, 0, 5000, 5000)
    room(msp, 6000, 0, 20, 20)
    target = project_file(tmp_path)
    assert main(["import", "plan", str(target), "--from", str(save(doc, tmp_path / "a.dxf"))]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("Warning: The closed shape without a name on layer “RUANG”")
    assert err[1].startswith("Imported 1 room(s)")


def drawing(tmp_path) -> Path:
    return three_rooms(tmp_path / "a.dxf")


def dwg(tmp_path) -> Path:
    return fake_dwg(tmp_path / "plan.dwg")


def unitless(tmp_path) -> Path:
    doc = new_doc(0)
    room(doc.modelspace(), 0, 0, 6, 4)
    return save(doc, tmp_path / "tanpa.dxf")


def no_rooms(tmp_path) -> Path:
    doc = new_doc()
    room(doc.modelspace(), 0, 0, 400, 400, layer="KOLOM")
    return save(doc, tmp_path / "kolom.dxf")


def tiny(tmp_path) -> Path:
    doc = new_doc(MM)
    room(doc.modelspace(), 0, 0, 6, 4)
    return save(doc, tmp_path / "kecil.dxf")


def not_dxf(tmp_path) -> Path:
    (tmp_path / "x.dxf").write_text("not a drawing")
    return tmp_path / "x.dxf"


@pytest.mark.parametrize("make, extra, words", [
    (unitless, [], "does not say its units; give them as mm, cm or m. Give the units with --units"),
    (no_rooms, [], "Give the room layers with --layers A,B."),
    (drawing, ["--layers", "RUANG,Dapur"], "The drawing has no layer Dapur. Its layers: "),
    (drawing, ["--layers", " , "], "--layers needs at least one layer name"),
    (tiny, [], "far too small for a building. Check the drawing's units. Give the units with --units"),
    (not_dxf, [], "x.dxf is not a DXF drawing."),
    (dwg, [], "save it as DXF"),
    (drawing, ["--floor", "x" * 101], "too long"),
])
def test_cli_refuses_with_one_line_and_changes_nothing(tmp_path, capsys, monkeypatch, make, extra, words):
    monkeypatch.setattr(dxf, "find_oda_converter", lambda: None)
    target = project_file(tmp_path)
    assert main(["import", "plan", str(target), "--from", str(make(tmp_path)), *extra]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err and err.startswith("mpp-planner: ")
    assert cli_counts(target) == (0, 0, 0)


def test_cli_units_option(tmp_path, capsys):
    target = project_file(tmp_path)
    assert main(["import", "plan", str(target), "--from", str(unitless(tmp_path)), "--units", "m"]) == 0
    assert "24.00 m²" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main(["import", "plan", str(target), "--from", str(unitless(tmp_path)), "--units", "yard"])
    assert exited.value.code == 2


def test_cli_as_a_process(tmp_path):
    target = project_file(tmp_path)
    result = subprocess.run([sys.executable, "-m", "mpp_planner", "import", "plan", str(target), "--from",
                             str(not_dxf(tmp_path))], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    result = subprocess.run([sys.executable, "-m", "mpp_planner", "import", "--help"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0 and "plan" in result.stdout
