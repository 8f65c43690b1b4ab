"""The plan as DXF (export plan -o OUT.dxf), its round trip through the DXF import, and the vector
underlay drawn on plan sheets (--layers ...,underlay)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mpp_planner.cli import main
from mpp_planner.model import geometry

ezdxf = pytest.importorskip("ezdxf")

MM = 72.0 / 25.4
KIND_LAYERS = {"MPP-RUANG", "MPP-LABEL", "MPP-LUAS", "MPP-LOKET", "MPP-PERABOT", "MPP-DIMENSI", "MPP-TEKS",
               "MPP-LANTAI"}


def export(*args) -> int:
    return main(["export", "plan", *map(str, args)])


def _plan(path):
    """(rooms, counters, items) of a project file per floor name, read from the model."""
    from sqlalchemy import select

    from mpp_planner.model import Counter, Floor, InventoryItem, Room
    from mpp_planner.project import Project

    project = Project.open(path, readonly=True)
    try:
        s = project.session
        floors = {f.id: f.name for f in s.scalars(select(Floor))}
        rooms = [(floors[r.floor_id], r.name, geometry.polygon_area_mm2(r.outline), [tuple(p) for p in r.outline])
                 for r in s.scalars(select(Room).order_by(Room.id))]
        counters = [(floors[c.floor_id], c.label, " / ".join(a.short_name for a in c.agencies))
                    for c in s.scalars(select(Counter).order_by(Counter.id))]
        items = [(floors[i.floor_id], i.item_type.name)
                 for i in s.scalars(select(InventoryItem).where(InventoryItem.x.is_not(None),
                                                                InventoryItem.y.is_not(None)))]
    finally:
        project.close()
    return rooms, counters, items


def _polylines(msp, layer):
    return [[tuple(p) for p in e.get_points("xy")] for e in msp.query(f'LWPOLYLINE[layer=="{layer}"]')]


def _texts(msp, layer):
    """(plain text, DXF point) of each TEXT on the layer; the point is where it is aligned."""
    out = []
    for e in msp.query(f'TEXT[layer=="{layer}"]'):
        point = e.dxf.align_point if e.dxf.hasattr("align_point") and e.dxf.halign else e.dxf.insert
        out.append((e.plain_text(), (point[0], point[1])))
    return out


def _inside(point, outline) -> bool:
    return geometry.point_in_polygon(point[0], point[1], outline)


# --- the demo as DXF --------------------------------------------------------------------------
def test_demo_reads_back_with_rooms_counters_and_furniture_on_their_layers(demo_file, tmp_path):
    out = tmp_path / "denah.dxf"
    assert export(demo_file, "-o", out, "--floor", "all") == 0
    rooms, counters, items = _plan(demo_file)
    doc = ezdxf.readfile(out)
    msp = doc.modelspace()
    assert doc.header["$INSUNITS"] == 4 and doc.units == 4  # millimetres
    assert KIND_LAYERS <= {layer.dxf.name for layer in doc.layers}
    # one layer per kind: nothing lands on layer 0 or on another kind's layer
    kinds = {(e.dxftype(), e.dxf.layer) for e in msp}
    assert kinds == {("LWPOLYLINE", "MPP-RUANG"), ("TEXT", "MPP-LABEL"), ("TEXT", "MPP-LUAS"),
                     ("LWPOLYLINE", "MPP-LOKET"), ("TEXT", "MPP-LOKET"), ("LWPOLYLINE", "MPP-PERABOT"),
                     ("TEXT", "MPP-PERABOT"), ("TEXT", "MPP-LANTAI"), ("LWPOLYLINE", "DINDING"),
                     ("HATCH", "DINDING"), ("LWPOLYLINE", "PINTU"), ("ARC", "PINTU"), ("LWPOLYLINE", "JENDELA")}

    # rooms: closed polylines with the model's areas, each named by the label inside it
    outlines = list(msp.query('LWPOLYLINE[layer=="MPP-RUANG"]'))
    assert len(outlines) == len(rooms) and all(e.closed for e in outlines)
    shapes = _polylines(msp, "MPP-RUANG")
    assert sorted(geometry.polygon_area_mm2(s) for s in shapes) == pytest.approx(sorted(r[2] for r in rooms),
                                                                                  abs=1e-6)
    labels = _texts(msp, "MPP-LABEL")
    assert sorted(t for t, _p in labels) == sorted(r[1] for r in rooms)
    for name, point in labels:
        holder = min((s for s in shapes if _inside(point, s)), key=geometry.polygon_area_mm2)
        assert geometry.polygon_area_mm2(holder) in [pytest.approx(r[2]) for r in rooms if r[1] == name], name

    # counters: a rectangle each, labelled with the counter and its agencies' short names
    boxes = _polylines(msp, "MPP-LOKET")
    assert len(boxes) == len(counters) and all(len(b) == 4 for b in boxes)
    texts = _texts(msp, "MPP-LOKET")
    found = sorted(tuple(sorted(t for t, p in texts if _inside(p, box))) for box in boxes)
    expected = sorted(tuple(sorted(filter(None, (label, names)))) for _f, label, names in counters)
    assert found == expected
    assert any("Dispendukcapil" in t for t, _p in texts)

    # furniture: a rectangle each with the item's name inside
    boxes = _polylines(msp, "MPP-PERABOT")
    assert len(boxes) == len(items)
    names = _texts(msp, "MPP-PERABOT")
    assert sorted(t for t, _p in names) == sorted(name for _f, name in items)
    assert all(any(_inside(p, b) for b in boxes) for _t, p in names)

    # each floor can be found: its name above it and a named view
    assert sorted(t for t, _p in _texts(msp, "MPP-LANTAI")) == ["Lantai 1", "Lantai 2"]
    assert sorted(v.dxf.name for v in doc.views) == ["Lantai 1", "Lantai 2"]


def test_one_floor_keeps_plan_coordinates_and_all_floors_sit_side_by_side(demo_file, tmp_path):
    rooms, _counters, _items = _plan(demo_file)
    one, both = tmp_path / "one.dxf", tmp_path / "both.dxf"
    assert export(demo_file, "-o", one, "--floor", "Lantai 2") == 0
    assert export(demo_file, "-o", both, "--floor", "all") == 0
    msp = ezdxf.readfile(one).modelspace()
    shapes = _polylines(msp, "MPP-RUANG")
    upstairs = [r for r in rooms if r[0] == "Lantai 2"]
    assert 0 < len(upstairs) < len(rooms)
    # written as (x, -y) in millimetres, nothing moved
    assert sorted(shapes) == sorted([(float(x), float(-y)) for x, y in r[3]] for r in upstairs)
    assert [t for t, _p in _texts(msp, "MPP-LANTAI")] == ["Lantai 2"]

    msp = ezdxf.readfile(both).modelspace()
    per_floor = {}
    for name, point in _texts(msp, "MPP-LANTAI"):
        per_floor[name] = point
    assert set(per_floor) == {"Lantai 1", "Lantai 2"}
    shapes = _polylines(msp, "MPP-RUANG")
    assert len(shapes) == len(rooms)
    # the first floor in place, the second to the right of it with a gap: no room of one overlaps the other
    first = [s for s in shapes if sorted(s) in [sorted((float(x), float(-y)) for x, y in r[3])
                                                for r in rooms if r[0] == "Lantai 1"]]
    assert len(first) == len(rooms) - len(upstairs)
    right_edge = max(x for s in first for x, _y in s)
    second = [s for s in shapes if s not in first]
    assert min(x for s in second for x, _y in s) >= right_edge + 5000
    assert per_floor["Lantai 2"][0] > right_edge


def test_a_room_name_stays_out_of_the_room_drawn_inside_it(empty_project, tmp_path):
    """The lobby's middle is the desk area drawn inside it: the lobby's name goes beside the desk
    (and clear of the counter), so that reading the DXF back names each room right."""
    from mpp_planner.model import Counter, Floor, Room

    with empty_project.edit() as s:
        floor = Floor(name="Lantai 1", order=1)
        floor.rooms.append(Room(name="Lobi", kind="waiting_area",
                                outline=[[0, 0], [12000, 0], [12000, 8000], [0, 8000]]))
        floor.rooms.append(Room(name="Meja Informasi", kind="information_desk",
                                outline=[[4500, 2500], [7500, 2500], [7500, 5500], [4500, 5500]]))
        floor.counters.append(Counter(label="LK-01", x=6000, y=2000, width=1600, depth=800))
        s.add(floor)
    path = empty_project.path
    empty_project.close()
    out = tmp_path / "lobi.dxf"
    assert export(path, "-o", out) == 0
    msp = ezdxf.readfile(out).modelspace()
    shapes = _polylines(msp, "MPP-RUANG")
    counter = _polylines(msp, "MPP-LOKET")[0]
    for name, point in _texts(msp, "MPP-LABEL"):
        holder = min((s for s in shapes if _inside(point, s)), key=geometry.polygon_area_mm2)
        assert geometry.polygon_area_mm2(holder) == {"Lobi": 96e6, "Meja Informasi": 9e6}[name]
        assert not _inside(point, counter)


# --- text that survives ---------------------------------------------------------------------------
@pytest.mark.parametrize("text, as_text", [
    ("Ruang Laktasi — Ibu & Anak ✓ 子", None),
    ("Diskon 50%% d", None),
    ("A^J b^c", None),
    ("C:\\denah {lama}", None),
    ("bel\x07 nol\x00 esc\x1b del\x7f", "bel nol esc del"),
    ("dua\nbaris\r\ntiga", "dua baris tiga"),
])
def test_text_reads_back_the_same(tmp_path, text, as_text):
    from mpp_planner.reports.plan_dxf import clean_text

    doc = ezdxf.new("R2013")
    doc.modelspace().add_text(clean_text(text))
    doc.modelspace().add_mtext(clean_text(text, mtext=True))
    doc.saveas(tmp_path / "t.dxf")
    back = ezdxf.readfile(tmp_path / "t.dxf").modelspace()
    expected = as_text if as_text is not None else text
    assert back.query("TEXT")[0].plain_text() == expected
    assert back.query("MTEXT")[0].plain_text() == (expected if "\n" not in text else "dua\nbaris\ntiga")


def test_names_and_notes_with_odd_characters(empty_project, tmp_path):
    from mpp_planner.model import Annotation, Floor, Room

    with empty_project.edit() as s:
        floor = Floor(name="Lantai Uji", order=1)
        floor.rooms.append(Room(name="Ruang Laktasi — Ibu & Anak ✓ 50%%", kind="lactation_room",
                                outline=[[0, 0], [4000, 0], [4000, 3000], [0, 3000]]))
        s.add(floor)
        s.flush()
        s.add(Annotation(floor_id=floor.id, kind="text", x1=100, y1=3500, text="Pintu {darurat}\nke \\ tangga",
                         font_size=250))
        s.add(Annotation(floor_id=floor.id, kind="dimension", x1=0, y1=3200, x2=4000, y2=3200))
        s.add(Annotation(floor_id=floor.id, kind="dimension", x1=0, y1=-200, x2=0, y2=3000, text="tinggi 3 m"))
    path = empty_project.path
    empty_project.close()
    out = tmp_path / "uji.dxf"
    assert export(path, "-o", out) == 0
    msp = ezdxf.readfile(out).modelspace()
    assert [t for t, _p in _texts(msp, "MPP-LABEL")] == ["Ruang Laktasi — Ibu & Anak ✓ 50%%"]
    assert [t for t, _p in _texts(msp, "MPP-LUAS")] == ["12,00 m²"]
    notes = list(msp.query('MTEXT[layer=="MPP-TEKS"]'))
    assert [n.plain_text() for n in notes] == ["Pintu {darurat}\nke \\ tangga"]
    assert notes[0].dxf.char_height == 250 and tuple(notes[0].dxf.insert)[:2] == (100, -3500)
    dims = sorted(msp.query('DIMENSION[layer=="MPP-DIMENSI"]'), key=lambda d: d.get_measurement())
    assert [round(d.get_measurement()) for d in dims] == [3200, 4000]
    assert [d.dxf.text for d in dims] == ["tinggi 3 m", "<>"]  # a written text, else CAD's own measurement


# --- refusals, cancel -------------------------------------------------------------------------------
@pytest.mark.parametrize("target, words", [
    ("missing/denah.dxf", "does not exist"),
    ("denah.dwg", "Unknown output format"),
])
def test_bad_output_exit_2_and_no_file(demo_file, tmp_path, capsys, target, words):
    out = tmp_path / target
    assert export(demo_file, "-o", out) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1
    assert not out.exists() and not list(tmp_path.glob("**/*.dxf")) and not list(tmp_path.glob("**/.mpp-*"))


def test_unknown_floor_and_bad_layer_exit_2_and_no_file(demo_file, tmp_path, capsys):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "denah.dxf"
    assert export(demo_file, "-o", out, "--floor", "Basement") == 2
    assert "Basement" in capsys.readouterr().err
    assert export(demo_file, "-o", out, "--layers", "rooms,roof") == 2
    assert "roof" in capsys.readouterr().err
    assert list(folder.iterdir()) == []


def test_paper_and_scale_do_not_change_a_dxf(demo_file, tmp_path):
    a, b = tmp_path / "a.dxf", tmp_path / "b.dxf"
    assert export(demo_file, "-o", a) == 0
    assert export(demo_file, "-o", b, "--scale", "1:50", "--paper", "A2", "--orientation", "portrait") == 0
    geometry_of = [sorted(map(tuple, _polylines(ezdxf.readfile(p).modelspace(), "MPP-RUANG"))) for p in (a, b)]
    assert geometry_of[0] == geometry_of[1] and geometry_of[0]


@pytest.mark.parametrize("when", [0.25, 0.75])  # while the drawing is built, while it is saved
def test_cancelled_dxf_export_leaves_no_file(demo_file, tmp_path, when):
    from mpp_planner.jobs import Cancelled, Job
    from mpp_planner.project import Project
    from mpp_planner.reports.plan_dxf import write_dxf

    _set_underlay(demo_file, _grid_underlay(60, 40))  # 2,400 paths: progress is told on the way
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "denah.dxf"
    told = []
    job = Job("dxf")
    job.TELL_EVERY = 0  # every report reaches on_progress, however fast the machine

    def on_progress(done, total, text):
        told.append((done, total))
        if total and done >= total * when:
            job.cancel()

    job.on_progress = on_progress
    project = Project.open(demo_file, readonly=True)
    try:
        with pytest.raises(Cancelled):
            job.run(lambda: write_dxf(project, out))
    finally:
        project.close()
    assert told[-1][1] * when <= told[-1][0] < told[-1][1], "stopped on the way"
    assert list(folder.iterdir()) == []
    # and without cancelling the same export completes
    project = Project.open(demo_file, readonly=True)
    try:
        Job("dxf").run(lambda: write_dxf(project, out, floors=["Lantai 1"]))
    finally:
        project.close()
    assert [p.name for p in folder.iterdir()] == ["denah.dxf"]


def test_a_dxf_from_a_prepared_job_as_the_export_dialog_runs_it(demo_file, tmp_path):
    """plan.write(job, OUT, "dxf") writes from the job's plain drawings (a worker thread's job),
    reports progress in objects, and leaves nothing when cancelled."""
    from mpp_planner.project import Project
    from mpp_planner.reports import plan
    from mpp_planner.reports.plan_dxf import DXF_LAYERS

    project = Project.open(demo_file, readonly=True)
    try:
        job = plan.prepare(project, plan.PlanOptions(floor="all", layers=DXF_LAYERS))
    finally:
        project.close()
    out = tmp_path / "out" / "denah.dxf"
    out.parent.mkdir()
    told = []
    with pytest.raises(plan.Cancelled):
        plan.write(job, out, "dxf", progress=lambda d, t: told.append((d, t)), cancelled=lambda: len(told) >= 1)
    assert list(out.parent.iterdir()) == []
    told.clear()
    assert plan.write(job, out, "dxf", progress=lambda d, t: told.append((d, t))) == [out]
    assert told[-1][0] == told[-1][1] > 300  # every object built and saved
    assert len(ezdxf.readfile(out).modelspace().query('LWPOLYLINE[layer=="MPP-RUANG"]')) == len(_plan(demo_file)[0])


# --- round trip through the importer -----------------------------------------------------------------
def test_round_trip_export_import_same_rooms(demo_file, tmp_path):
    dxf_import = pytest.importorskip(
        "mpp_planner.importers.dxf", reason="the DXF importer (mpp_planner.importers.dxf) is not written yet")
    from sqlalchemy import select

    from mpp_planner.commands import History
    from mpp_planner.commands.plan import ImportPlan
    from mpp_planner.model import Floor, FloorUnderlay, Room
    from mpp_planner.project import Project

    rooms, counters, items = _plan(demo_file)
    downstairs = [r for r in rooms if r[0] == "Lantai 1"]
    out = tmp_path / "lantai1.dxf"
    assert export(demo_file, "-o", out, "--floor", "Lantai 1") == 0
    plan = dxf_import.read_dxf(out)  # the layers it suggests: MPP-RUANG only
    assert plan.units == "mm"
    expected = sorted((r[1], round(r[2])) for r in downstairs)
    assert sorted((r.name, round(geometry.polygon_area_mm2(r.outline))) for r in plan.rooms) == expected

    project = Project.create(tmp_path / "baru.mpplan", site_name="MPP Kabupaten Probolinggo")
    try:
        History(project).push(ImportPlan("Lantai 1", plan, source=out.name))
    finally:
        project.close()
    project = Project.open(tmp_path / "baru.mpplan", readonly=True)
    try:
        s = project.session
        assert [f.name for f in s.scalars(select(Floor))] == ["Lantai 1"]
        new_rooms = [(r.name, [tuple(p) for p in r.outline]) for r in s.scalars(select(Room))]
        underlay = s.scalars(select(FloorUnderlay)).one().drawing()
    finally:
        project.close()
    got = sorted((name, geometry.polygon_area_mm2(outline)) for name, outline in new_rooms)
    assert [n for n, _a in got] == [n for n, _a in expected]
    assert all(abs(a - b) <= 1.0 for (_n, a), (_m, b) in zip(got, expected))
    # the same shapes in the same places: one shift for the whole floor (the import puts the
    # drawing's top-left corner at 0, 0)
    shifts = set()
    for name, outline in new_rooms:
        old = next(r[3] for r in downstairs if r[1] == name and len(r[3]) == len(outline))
        shifts |= {(a[0] - b[0], a[1] - b[1]) for a, b in zip(outline, old)}
    assert len(shifts) == 1
    # counters are not rooms: their rectangles and labels came in as the underlay, like the furniture
    assert not {label for _f, label, _n in counters} & {name for name, _o in new_rooms}
    loket = [p for p in underlay.paths if p.layer == "MPP-LOKET"]
    assert len(loket) == sum(1 for c in counters if c[0] == "Lantai 1") and all(p.closed for p in loket)
    assert len([p for p in underlay.paths if p.layer == "MPP-PERABOT"]) == sum(1 for i in items
                                                                                if i[0] == "Lantai 1")
    assert {t.text for t in underlay.texts if t.layer == "MPP-LOKET"} >= {n for f, _l, n in counters
                                                                           if f == "Lantai 1" and n}


# --- the underlay on plan sheets ------------------------------------------------------------------------
def _grid_underlay(cols: int, rows: int, *, step: int = 700, text: str = "DINDING UTAMA"):
    """Short wall strokes on a grid (a closed box every seventh), on two layers, and one text."""
    from mpp_planner.model import Underlay
    from mpp_planner.model.underlay import UnderlayPath, UnderlayText

    paths = []
    for r in range(rows):
        for c in range(cols):
            x, y = c * step, r * step
            if (r * cols + c) % 7 == 0:
                paths.append(UnderlayPath("PINTU", ((x, y), (x + 300, y), (x + 300, y + 300), (x, y + 300)), True))
            else:
                paths.append(UnderlayPath("DINDING", ((x, y), (x + 500, y + 100)), False))
    paths.append(UnderlayPath("DINDING", ((5, 5),), False))  # a lone point is not a line: left out
    return Underlay(paths, [UnderlayText("TEKS", 1000, -400, 250, text, 0.0)])


def _set_underlay(path, underlay, *, printed=False, floor="Lantai 1"):
    from sqlalchemy import select

    from mpp_planner.model import Floor, FloorUnderlay
    from mpp_planner.project import Project

    project = Project.open(path)
    try:
        with project.edit() as s:
            fid = s.scalar(select(Floor.id).where(Floor.name == floor))
            row = FloorUnderlay(floor_id=fid, source="denah.dxf", data=b"", printed=printed)
            row.set_drawing(underlay)
            s.add(row)
    finally:
        project.close()


@pytest.fixture
def sheet_file(empty_project):
    """Lantai 1: a 10 m x 6 m hall; the underlay is added by each test."""
    from mpp_planner.model import Floor, Room

    with empty_project.edit() as s:
        floor = Floor(name="Lantai 1", order=1)
        floor.rooms.append(Room(name="Aula", kind="counter_hall",
                                outline=[[0, 0], [10000, 0], [10000, 6000], [0, 6000]]))
        s.add(floor)
    path = empty_project.path
    empty_project.close()
    return path


def _grey_lines(page):
    from mpp_planner.reports.plan_drawing import UNDERLAY_LINE

    grey = tuple(int(UNDERLAY_LINE[i:i + 2], 16) / 255 for i in (1, 3, 5))
    out = []
    for o in page.lines + page.rects + page.curves:
        colour = o.get("stroking_color")
        if o.get("stroke") and colour and len(colour) == 3 and all(abs(a - b) < 0.01 for a, b in zip(colour, grey)):
            out.append(o)
    return out


def _expected_per_sheet(path, layers, scale, paper="A3"):
    """How many underlay paths meet each sheet's view, worked out from the paths' points."""
    from argparse import Namespace

    from sqlalchemy import select

    from mpp_planner.model import FloorUnderlay
    from mpp_planner.project import Project
    from mpp_planner.reports import plan

    project = Project.open(path, readonly=True)
    try:
        options = plan.options_from_args(Namespace(floor=None, scale=scale, paper=paper, orientation="auto",
                                                   layers=layers, colour="agency", dpi="150"))
        job = plan.prepare(project, options)
        sheets = job.sheets()
        underlay = project.session.scalars(select(FloorUnderlay)).one().drawing()
    finally:
        project.close()
    counts = []
    for sheet in sheets:
        vx0, vy0, vx1, vy1 = sheet.view
        counts.append(sum(1 for p in underlay.paths if len(p.points) >= 2
                          and max(x for x, _y in p.points) >= vx0 and min(x for x, _y in p.points) <= vx1
                          and max(y for _x, y in p.points) >= vy0 and min(y for _x, y in p.points) <= vy1))
    return counts


def test_underlay_lines_on_the_pdf_only_with_the_layer(sheet_file, tmp_path):
    import pdfplumber

    underlay = _grid_underlay(20, 12)  # 240 paths over 13.8 m x 7.7 m
    _set_underlay(sheet_file, underlay)
    with_layer, without = tmp_path / "with.pdf", tmp_path / "without.pdf"
    assert export(sheet_file, "-o", with_layer, "--layers", "rooms,underlay", "--scale", "1:100") == 0
    assert export(sheet_file, "-o", without, "--layers", "rooms", "--scale", "1:100") == 0
    with pdfplumber.open(with_layer) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        lines = _grey_lines(page)
        assert len(lines) == 240
        assert all(abs(o["linewidth"] - 0.1 * MM) < 0.01 for o in lines)
        closed = [o for o in lines if o["object_type"] == "rect"]
        assert len(closed) == sum(1 for p in underlay.paths if p.closed)
        # true to scale: the 300 mm door boxes are 3 mm on paper at 1:100
        assert all(abs(o["width"] / MM - 3.0) < 0.05 and abs(o["height"] / MM - 3.0) < 0.05 for o in closed)
        assert "DINDING UTAMA" in page.extract_text()
        # under the rooms: the hall is drawn without fill so the drawing shows through
        hall = [o for o in page.rects if abs(o["width"] / MM - 100) < 0.1 and abs(o["height"] / MM - 60) < 0.1]
        assert hall and not any(o["fill"] for o in hall)
    with pdfplumber.open(without) as pdf:
        page = pdf.pages[0]
        assert _grey_lines(page) == [] and "DINDING UTAMA" not in page.extract_text()


def test_underlay_is_clipped_to_each_tile(sheet_file, tmp_path):
    import pdfplumber

    _set_underlay(sheet_file, _grid_underlay(20, 12))
    out = tmp_path / "tiles.pdf"
    assert export(sheet_file, "-o", out, "--layers", "rooms,underlay", "--scale", "1:25", "--paper", "A4",
                  "--tiles") == 0
    expected = _expected_per_sheet(sheet_file, "rooms,underlay", "1:25", "A4")
    assert len(expected) > 3  # a key sheet and several tiles
    with pdfplumber.open(out) as pdf:
        counts = [len(_grey_lines(page)) for page in pdf.pages]
    assert counts == expected
    assert all(0 < n < counts[0] for n in counts[1:])  # the key sheet shows the whole plan, a tile its part


def test_printed_flag_puts_the_underlay_on_sheets_by_default(sheet_file, tmp_path):
    from xml.etree import ElementTree as ET

    from sqlalchemy import select

    from mpp_planner.commands import History
    from mpp_planner.commands.plan.backgrounds import SetUnderlay
    from mpp_planner.model import Floor
    from mpp_planner.project import Project

    ns = "{http://www.w3.org/2000/svg}"

    def underlay_paths(*args):
        out = tmp_path / "p.svg"
        assert export(sheet_file, "-o", out, *args) == 0
        layer = [g for g in ET.parse(out).getroot().iter(ns + "g") if g.get("id") == "layer-underlay"]
        return sum(p.get("d").count("M") for g in layer for p in g.iter(ns + "path"))

    _set_underlay(sheet_file, _grid_underlay(20, 12))  # shown on screen, not printed: the defaults
    assert underlay_paths() == 0
    project = Project.open(sheet_file)
    try:
        fid = project.session.scalars(select(Floor.id)).one()
        History(project).push(SetUnderlay(fid, visible=False, printed=True))  # hidden on screen, printed
    finally:
        project.close()
    assert underlay_paths() == 240  # no --layers: what the floor says
    assert underlay_paths("--layers", "background,rooms,counters") == 0  # a chosen list is what is drawn
    assert underlay_paths("--layers", "all") == 240


def test_underlay_in_png(sheet_file, tmp_path):
    from PIL import Image

    from mpp_planner.reports.plan_drawing import UNDERLAY_LINE

    _set_underlay(sheet_file, _grid_underlay(20, 12))
    on, off = tmp_path / "on.png", tmp_path / "off.png"
    assert export(sheet_file, "-o", on, "--layers", "rooms,underlay", "--dpi", "300", "--paper", "A4") == 0
    assert export(sheet_file, "-o", off, "--layers", "rooms", "--dpi", "300", "--paper", "A4") == 0
    grey = tuple(int(UNDERLAY_LINE[i:i + 2], 16) for i in (1, 3, 5))

    def exact_grey(path):
        with Image.open(path) as img:
            return sum(n for n, c in img.convert("RGB").getcolors(10_000_000)
                       if all(abs(x - y) <= 6 for x, y in zip(c, grey)))

    # the strokes, in the underlay's grey (only smoothed wall edges come close without them)
    assert exact_grey(on) > 1000 and exact_grey(on) > 4 * exact_grey(off)


def test_underlay_in_the_dxf_on_its_own_layers(sheet_file, tmp_path):
    _set_underlay(sheet_file, _grid_underlay(5, 4, text="Ruang Arsip ✓"))
    out = tmp_path / "u.dxf"
    assert export(sheet_file, "-o", out) == 0
    msp = ezdxf.readfile(out).modelspace()
    assert len(msp.query('LWPOLYLINE[layer=="DASAR-DINDING"]')) == 17
    doors = list(msp.query('LWPOLYLINE[layer=="DASAR-PINTU"]'))
    assert len(doors) == 3 and all(d.closed for d in doors)
    assert [t for t, _p in _texts(msp, "DASAR-TEKS")] == ["Ruang Arsip ✓"]
    assert [tuple(d.get_points("xy"))[0] for d in doors][0] == (0, 0)
    assert export(sheet_file, "-o", out, "--layers", "rooms") == 0
    assert not [e for e in ezdxf.readfile(out).modelspace() if e.dxf.layer.startswith("DASAR-")]


def test_sheet_with_100000_underlay_paths_draws_only_its_part(sheet_file, tmp_path):
    """A 100,000-path drawing: each tile gets the paths meeting it; the key sheet all of them."""
    import time

    from mpp_planner.project import Project
    from mpp_planner.reports import plan
    from mpp_planner.reports.plan_sheet import PGroup, PPaths, compose

    _set_underlay(sheet_file, _grid_underlay(400, 250, step=100))  # 40 m x 25 m of strokes
    project = Project.open(sheet_file, readonly=True)
    try:
        job = plan.prepare(project, plan.PlanOptions(scale=20, paper="A3", layers=("rooms", "underlay")))
    finally:
        project.close()
    sheets = job.sheets()
    assert len(sheets) > 2
    started = time.perf_counter()
    counts = []
    for sheet in sheets:
        page = compose(sheet, job.heading)
        group = next(g for g in page.items if isinstance(g, PGroup) and g.name == "plan")
        lines = [p for g in group.items if g.name == "underlay" for p in g.items if isinstance(p, PPaths)]
        counts.append(sum(len(p.lines) for p in lines))
    elapsed = time.perf_counter() - started
    assert all(0 < n < counts[0] for n in counts[1:])
    whole = sum(1 for x in range(400) for y in range(250) if x * 100 <= 10_000 + 2_000 and y * 100 <= 6000 + 2_000)
    assert counts[0] <= 100_000 and sum(counts[1:]) < whole * 1.6  # a tile holds its part, not the drawing
    assert elapsed < 30  # measured about 2 s for all sheets; generous for a busy machine


def test_layers_option_names_underlay():
    from mpp_planner.reports.plan_drawing import ALL_LAYERS, LAYERS, parse_layers

    assert parse_layers(None) == LAYERS and "underlay" not in LAYERS
    assert parse_layers("all") == ALL_LAYERS and "underlay" in ALL_LAYERS
    assert parse_layers("underlay, rooms") == ("rooms", "underlay")


@pytest.fixture(autouse=True)
def _no_stray_files(tmp_path):
    yield
    assert not list(Path(tmp_path).glob("**/.mpp-*")), "a temporary file was left behind"
