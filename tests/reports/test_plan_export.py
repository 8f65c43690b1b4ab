"""The floor plan to scale: lengths measured in the PDF, SVG content, tiling, PNG size, title block,
layers, and bad input on the command line."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from argparse import Namespace
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest

from mpp_planner.cli import main
from mpp_planner.formats import long_date
from mpp_planner.reports import plan, plan_layout

ROOT = Path(__file__).resolve().parents[2]
MM = 72.0 / 25.4
SVG = "{http://www.w3.org/2000/svg}"


# --- a small, exactly known plan ------------------------------------------------------------
def _rect(x, y, w, h):
    return [[x, y], [x + w, y], [x + w, y + h], [x, y + h]]


@pytest.fixture
def test_file(empty_project, tmp_path):
    """Lantai Uji: a 10 m x 6 m hall at the origin, an L-shaped room east of it, a counter shared by
    two agencies, an unassigned counter, a chair, a dimension line, a text label and a scan."""
    from PIL import Image

    from mpp_planner.model import (Agency, Annotation, Counter, CounterAssignment, Floor, FloorBackground,
                                   InventoryItem, ItemType, Room, Weekday)

    p = empty_project
    buf = BytesIO()
    Image.new("RGB", (140, 60), (200, 40, 40)).save(buf, "PNG")
    with p.edit() as s:
        imm = Agency(name="Kantor Imigrasi Malang", short_name="Imigrasi", tier="pusat", colour="#1F4E99")
        tas = Agency(name="PT Taspen (Persero)", short_name="Taspen", tier="bumn", colour="#8E44AD")
        floor = Floor(name="Lantai Uji", order=1)
        floor.rooms.append(Room(name="Aula Pelayanan", kind="counter_hall", outline=_rect(0, 0, 10000, 6000)))
        floor.rooms.append(Room(name="Ruang Sudut", kind="lactation_room",
                                outline=[[10000, 0], [14000, 0], [14000, 6000], [12000, 6000], [12000, 3000],
                                         [10000, 3000]]))
        shared = Counter(label="LK-01", x=3000, y=1500, width=1800, depth=800)
        shared.assignments.append(CounterAssignment(agency=imm, weekdays=int(Weekday.TUE | Weekday.THU)))
        shared.assignments.append(CounterAssignment(agency=tas, weekdays=int(Weekday.WED)))
        floor.counters.append(shared)
        floor.counters.append(Counter(label="LK-02", x=6000, y=1500, width=1800, depth=800))
        s.add_all([imm, tas, floor])
        s.flush()
        chair = ItemType(key="kursi", name="Kursi Tunggu", category="Mebel", account_code="5.2.02.05.02.0001",
                         width=1800, depth=600)
        s.add(chair)
        s.flush()
        s.add(InventoryItem(item_type=chair, room_id=floor.rooms[0].id, floor_id=floor.id, x=5000, y=4500))
        s.add(Annotation(floor_id=floor.id, kind="dimension", x1=0, y1=7000, x2=10000, y2=7000))
        s.add(Annotation(floor_id=floor.id, kind="text", x1=500, y1=6300, text="Pintu darurat", font_size=300))
        s.add(FloorBackground(floor_id=floor.id, image=buf.getvalue(), mm_per_px=100.0, origin_x=0, origin_y=0,
                              opacity=0.3))
    path = p.path
    return path


def export(*args) -> int:
    return main(["export", "plan", *map(str, args)])


# --- true to scale ---------------------------------------------------------------------------
def _shapes(page):
    return [o for o in page.rects + page.curves]


def _find_box(page, w_mm, h_mm, tol=0.1):
    return [o for o in _shapes(page)
            if abs(o["width"] / MM - w_mm) <= tol and abs(o["height"] / MM - h_mm) <= tol]


@pytest.mark.parametrize("n", [50, 100])
def test_pdf_lengths_are_true_to_scale(test_file, tmp_path, n):
    import pdfplumber

    out = tmp_path / f"plan-{n}.pdf"
    assert export(test_file, "-o", out, "--scale", f"1:{n}", "--paper", "A3") == 0
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        hall = _find_box(page, 10000 / n, 6000 / n)
        assert len(hall) == 1, "the 10 m x 6 m hall is drawn once, 10 m long on paper / n"
        edge = hall[0]["width"] / MM
        assert abs(edge - 10000 / n) <= 0.1  # 200 mm at 1:50, 100 mm at 1:100
        corner = [o for o in page.curves if len(set(o["pts"])) == 6]  # the L-shaped room
        assert len(corner) == 1
        # the L-shaped room starts exactly 10 m (on paper: 10 m / n) right of the hall's west wall
        assert abs((corner[0]["x0"] - hall[0]["x0"]) / MM - 10000 / n) <= 0.1
        assert abs(corner[0]["width"] / MM - 4000 / n) <= 0.1
        # both counters are 1.8 m x 0.8 m, 3 m apart centre to centre
        boxes = sorted(_find_box(page, 1800 / n, 800 / n), key=lambda o: o["x0"])
        outlines = [b for b in boxes if b["stroke"]]
        assert len(outlines) == 2
        assert abs((outlines[1]["x0"] - outlines[0]["x0"]) / MM - 3000 / n) <= 0.1


def test_pdf_text_and_title_block(test_file, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "plan.pdf"
    assert export(test_file, "-o", out) == 0
    reader = PdfReader(out)
    text = reader.pages[0].extract_text()
    for expected in ("MPP UJI", "DENAH LANTAI UJI", "1:100", long_date(date.today(), lang="id"), "Lembar 1 dari 1",
                     "Aula Pelayanan", "60,00 m²", "LK-01", "Imigrasi / Taspen", "Pintu darurat", "10,00 m",
                     "Imigrasi — Kantor Imigrasi Malang", "Loket belum dialokasikan", "A3",
                     "NO. GAMBAR", "MPP-01-1", "Digambar", "Diperiksa", "Disetujui", "Tgl./Paraf"):
        assert expected in text, expected
    assert "Loket belum ditetapkan" not in text  # PUEBI: the allocation list's term
    assert reader.metadata.title.startswith("Denah")


def test_floor_all_one_pdf_sheet_x_of_y(demo_file, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "all.pdf"
    assert export(demo_file, "-o", out, "--floor", "all", "--scale", "fit", "--paper", "A4") == 0
    pages = [p.extract_text() for p in PdfReader(out).pages]
    assert len(pages) == 2  # each floor with the key of its labels too small for 2 mm beside the plan
    assert "DENAH LANTAI 1" in pages[0] and "DENAH LANTAI 2" in pages[1]
    assert "Lembar 1 dari 2" in pages[0] and "Lembar 2 dari 2" in pages[1]
    assert "Nomor pada denah" in pages[0] and "Laktasi" in pages[0] and "Rapat" in pages[1]
    # without --floor every floor is drawn, too
    again = tmp_path / "default.pdf"
    assert export(demo_file, "-o", again, "--scale", "fit", "--paper", "A4") == 0
    assert [p.extract_text() for p in PdfReader(again).pages] == pages


# --- tiling ------------------------------------------------------------------------------------
def _plan_bounds(project, floor_name):
    from mpp_planner.model import Counter, Floor, InventoryItem

    floor = next(f for f in project.all(Floor) if f.name == floor_name)
    pts = [tuple(p) for r in floor.rooms for p in r.outline]
    from mpp_planner.model.geometry import box_corners

    for c in project.all(Counter):
        if c.floor_id == floor.id:
            pts += box_corners(c.x, c.y, c.width, c.depth, c.rotation)
    for it in project.all(InventoryItem):
        if it.floor_id == floor.id and it.x is not None:
            pts += box_corners(it.x, it.y, it.plan_width, it.plan_depth, it.rotation)
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return max(xs) - min(xs), max(ys) - min(ys)


def _expected_sheets(width_mm, height_mm, paper, scale):
    """Sheets for one floor: the fewest over the allowed frames; tiles step by (area - overlap)."""
    best = None
    for f in plan_layout.frames(paper, "auto"):
        ew = width_mm / scale + 2 * plan_layout.PAD
        eh = height_mm / scale + 2 * plan_layout.PAD
        cols = 1 if ew <= f.area.w else 1 + math.ceil((ew - f.area.w) / (f.area.w - plan_layout.OVERLAP))
        rows = 1 if eh <= f.area.h else 1 + math.ceil((eh - f.area.h) / (f.area.h - plan_layout.OVERLAP))
        best = cols * rows if best is None else min(best, cols * rows)
    return best if best == 1 else best + 1  # tiles and their key sheet


def test_tiled_export_has_the_expected_sheets(demo_file, tmp_path):
    from pypdf import PdfReader

    from mpp_planner.project import Project

    project = Project.open(demo_file, readonly=True)
    w, h = _plan_bounds(project, "Lantai 1")
    project.close()
    out = tmp_path / "tiles.pdf"
    assert export(demo_file, "-o", out, "--scale", "1:50", "--paper", "A4", "--floor", "Lantai 1", "--tiles") == 0
    everything = [p.extract_text() for p in PdfReader(out).pages]
    pages = [text for text in everything if "KETERANGAN NOMOR" not in text]  # notes sheets come last
    assert everything[:len(pages)] == pages
    expected = _expected_sheets(w, h, "A4", 50)
    assert expected > 2  # 42 m x 26 m at 1:50 is 84 cm x 52 cm: it cannot fit one A4
    assert len(pages) == expected
    assert "Lembar kunci" in pages[0] and "1:50" in pages[0]
    for i, text in enumerate(everything, start=1):
        assert f"Lembar {i} dari {len(everything)}" in text
    labels = [t.split("Bagian ", 1)[1].split()[0] for t in pages[1:]]
    assert labels[0] == "A1" and len(set(labels)) == expected - 1
    # every tile names its neighbours in the margins, so the sheets can be put together
    assert "A2" in pages[1] and "B1" in pages[1]
    # the key sheet draws every tile's name over the whole floor
    for label in labels:
        assert label in pages[0]


def test_single_sheet_when_the_plan_fits(test_file, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "one.pdf"
    assert export(test_file, "-o", out, "--scale", "1:100", "--paper", "A4") == 0
    assert len(PdfReader(out).pages) == _expected_sheets(14000, 7000, "A4", 100) == 1


# --- SVG ----------------------------------------------------------------------------------------
def test_svg_parses_and_holds_every_room_and_counter(demo_file, tmp_path):
    from mpp_planner.model import Counter, Floor
    from mpp_planner.project import Project

    out = tmp_path / "plan.svg"
    assert export(demo_file, "-o", out, "--scale", "1:200", "--floor", "Lantai 2") == 0
    root = ET.parse(out).getroot()
    assert root.get("width") == "420mm" and root.get("height") == "297mm"
    assert root.get("viewBox") == "0 0 420 297"
    elements = list(root.iter())
    rooms = {e.get("data-name") for e in elements if e.get("data-kind") == "room"}
    counters = {e.get("data-name") for e in elements if e.get("data-kind") == "counter"}
    project = Project.open(demo_file, readonly=True)
    floor = next(f for f in project.all(Floor) if f.name == "Lantai 2")
    assert rooms == {r.name for r in floor.rooms}
    assert counters == {c.label for c in project.all(Counter) if c.floor_id == floor.id}
    project.close()
    texts = " ".join(e.text or "" for e in root.iter(SVG + "text"))
    assert "DENAH LANTAI 2" in texts and "Lembar 1 dari 1" in texts and "1:200" in texts


def test_svg_is_true_to_scale(test_file, tmp_path):
    out = tmp_path / "plan.svg"
    assert export(test_file, "-o", out, "--scale", "1:100", "--layers", "rooms") == 0
    root = ET.parse(out).getroot()
    hall = next(e for e in root.iter(SVG + "polygon") if e.get("data-name") == "Aula Pelayanan")
    xs = [float(p.split(",")[0]) for p in hall.get("points").split()]
    assert max(xs) - min(xs) == pytest.approx(100.0, abs=0.01)  # viewBox units are mm


def test_several_svg_sheets_are_files_named_after_their_floor(demo_file, tmp_path, capsys):
    out = tmp_path / "plan.svg"
    assert export(demo_file, "-o", out, "--scale", "1:200", "--paper", "A2", "--lang", "en") == 0
    assert not out.exists()
    files = sorted(p.name for p in tmp_path.glob("plan-*.svg"))
    assert files == ["plan-lantai-1.svg", "plan-lantai-2.svg"]  # A2 at 1:200: every label fits, no notes
    second = ET.parse(tmp_path / "plan-lantai-2.svg").getroot()
    assert "Lembar 2 dari 2" in " ".join(e.text or "" for e in second.iter(SVG + "text"))
    err = capsys.readouterr().err  # the command says which files it wrote
    assert all(f"Written: {tmp_path / name}" in err for name in files)


def test_failed_multi_sheet_export_leaves_no_file(demo_file, tmp_path, monkeypatch):
    from mpp_planner.reports import plan_svg

    calls = []

    def flaky(page):
        calls.append(page)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return "<svg/>"

    monkeypatch.setattr(plan_svg, "svg_text", flaky)
    (tmp_path / "out").mkdir()
    assert export(demo_file, "-o", tmp_path / "out" / "plan.svg", "--floor", "all", "--scale", "1:200",
                  "--paper", "A2") == 2
    assert list((tmp_path / "out").iterdir()) == []


# --- PNG ------------------------------------------------------------------------------------------
def test_png_size_follows_dpi_and_scale(test_file, tmp_path):
    from PIL import Image

    from mpp_planner.reports.plan_drawing import ROOM_FILL

    out = tmp_path / "plan.png"
    assert export(test_file, "-o", out, "--scale", "1:100", "--paper", "A4", "--dpi", "100",
                  "--layers", "rooms", "--orientation", "landscape") == 0
    with Image.open(out) as img:
        assert img.size == (round(297 / 25.4 * 100), round(210 / 25.4 * 100))
        assert tuple(round(v) for v in img.info["dpi"]) == (100, 100)
        rgb = img.convert("RGB")
        fill = tuple(int(ROOM_FILL["counter_hall"][i:i + 2], 16) for i in (1, 3, 5))
        # the widest row of the hall's fill colour
        best = 0
        for y in range(rgb.height):
            count = sum(1 for x in range(rgb.width) if rgb.getpixel((x, y)) == fill)
            best = max(best, count)
        # 10 m at 1:100 = 100 mm = 393.7 px at 100 dpi, less the wall line (0.5 mm, ~2 px)
        assert 100 / 25.4 * 100 - 5 <= best <= 100 / 25.4 * 100 + 1


@pytest.mark.parametrize("dpi", ["0", "100000", "-5", "abc", "1201"])
def test_png_bad_dpi(test_file, tmp_path, capsys, dpi):
    out = tmp_path / "out" / "plan.png"
    out.parent.mkdir()
    assert export(test_file, "-o", out, "--dpi", dpi) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "DPI" in err and "1 to 1200" in err
    assert list(out.parent.iterdir()) == []


def test_png_too_many_pixels_refused(test_file, tmp_path, capsys):
    out = tmp_path / "out" / "plan.png"
    out.parent.mkdir()
    assert export(test_file, "-o", out, "--dpi", "1200", "--paper", "A2") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "20000" in err
    assert list(out.parent.iterdir()) == []


# --- layers -----------------------------------------------------------------------------------------
def _svg(test_file, tmp_path, *extra):
    out = tmp_path / "layers.svg"
    assert export(test_file, "-o", out, *extra) == 0
    root = ET.parse(out).getroot()
    kinds = {e.get("data-kind") for e in root.iter() if e.get("data-kind")}
    texts = " ".join(e.text or "" for e in root.iter(SVG + "text"))
    images = list(root.iter(SVG + "image"))
    out.unlink()
    return kinds, texts, images


def test_layers_switch_content_on_and_off(test_file, tmp_path):
    kinds, texts, images = _svg(test_file, tmp_path)
    assert kinds == {"room", "counter", "item"}
    assert "Pintu darurat" in texts and "10,00 m" in texts and "Aula Pelayanan" in texts and len(images) == 1
    kinds, texts, images = _svg(test_file, tmp_path, "--layers", "rooms")
    assert kinds == {"room"} and "LK-01" not in texts and "Pintu darurat" not in texts and not images
    assert "Imigrasi" not in texts  # no counters: no legend either
    kinds, texts, images = _svg(test_file, tmp_path, "--layers", "counters,labels")
    assert kinds == {"counter"} and "Aula Pelayanan" not in texts and "Pintu darurat" in texts
    kinds, texts, images = _svg(test_file, tmp_path, "--layers", "dimensions,background")
    assert kinds == set() and "10,00 m" in texts and len(images) == 1
    kinds, texts, images = _svg(test_file, tmp_path, "--layers", "furniture")
    assert kinds == {"item"}


def test_colour_by_tier_uses_tier_colours_and_legend(test_file, tmp_path):
    from mpp_planner.model.agency import TIER_COLOURS, Tier

    out = tmp_path / "tier.svg"
    assert export(test_file, "-o", out, "--colour", "tier", "--layers", "counters") == 0
    text = out.read_text(encoding="utf-8")
    assert TIER_COLOURS[Tier.PUSAT] in text and TIER_COLOURS[Tier.BUMN] in text
    assert "Instansi pusat / vertikal" in text and "BUMN" in text and "menurut tingkat instansi" in text


# --- scale parsing and bad input --------------------------------------------------------------------
@pytest.mark.parametrize("text, value", [("1:50", 50), (" 1 : 200 ", 200), ("fit", None), ("FIT", None),
                                         ("1:10000", 10000), ("1:1", 1), ("1:137", 137)])
def test_scale_accepted(text, value):
    assert plan_layout.parse_scale(text) == value


@pytest.mark.parametrize("text", ["1:0", "abc", "-1:100", "1:-5", "100", "1:10001", "2:100", "1:1.5", ""])
def test_scale_refused(text):
    with pytest.raises(ValueError, match="not valid"):
        plan_layout.parse_scale(text)


def test_fit_scale_is_round_and_fits():
    area = plan_layout.frame("A4", "landscape", "right").area
    n = plan_layout.fit_scale((0, 0, 42000, 26000), area)
    assert n % 5 == 0
    assert 42000 / n + 2 * plan_layout.PAD <= area.w and 26000 / n + 2 * plan_layout.PAD <= area.h
    assert plan_layout.nice_scale(137.4) == 140 and plan_layout.nice_scale(23.2) == 25


@pytest.mark.parametrize("args, words", [
    (["--floor", "Lantai 9"], "no floor named 'Lantai 9'"),
    (["--scale", "1:0"], "Scale '1:0' is not valid"),
    (["--scale", "abc"], "Scale 'abc' is not valid"),
    (["--paper", "A5"], "Paper 'A5'"),
    (["--orientation", "sideways"], "Orientation"),
    (["--layers", "rooms,roof"], "Unknown layer 'roof'"),
    (["--colour", "rainbow"], "Colour"),
])
def test_cli_bad_options(test_file, tmp_path, capsys, args, words):
    out = tmp_path / "out" / "plan.pdf"
    out.parent.mkdir()
    assert export(test_file, "-o", out, *args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err and "Traceback" not in err
    assert list(out.parent.iterdir()) == []


def test_cli_missing_folder(test_file, tmp_path, capsys):
    assert export(test_file, "-o", tmp_path / "no" / "such" / "plan.pdf") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not exist" in err
    assert not (tmp_path / "no").exists()


def test_cli_read_only_folder(test_file, tmp_path, capsys, monkeypatch):
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() == 0:  # root may write anywhere: make the folder read-only as the check sees it
        real_access = os.access
        monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if Path(p) == folder and mode & os.W_OK
                            else real_access(p, mode, **kw))
    else:
        folder.chmod(0o555)
    try:
        assert export(test_file, "-o", folder / "plan.pdf") == 2
    finally:
        folder.chmod(0o755)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "read-only" in err
    assert list(folder.iterdir()) == []


def test_cli_process_unknown_floor_one_line_exit_2(test_file, tmp_path):
    out = tmp_path / "plan.pdf"
    result = subprocess.run([sys.executable, "-m", "mpp_planner", "--lang", "en", "export", "plan", str(test_file),
                             "--floor", "Basement", "-o", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Basement" in result.stderr and "Lantai Uji" in result.stderr
    assert not out.exists()


def test_options_default_to_every_floor_1_100_a3(demo_file):
    from mpp_planner.project import Project

    options = plan.options_from_args(Namespace(floor=None, scale="1:100", paper="A3", orientation="auto",
                                               layers="all", colour="agency", dpi="150"))
    assert (options.scale, options.paper, options.dpi) == (100, "A3", 150)
    project = Project.open(demo_file, readonly=True)
    try:
        job = plan.prepare(project, options)
        assert [d.floor_name for d in job.drawings] == ["Lantai 1", "Lantai 2"]
        assert plan.resolve_floors(project, "lantai 2") == plan.resolve_floors(project, "Lantai 2")
    finally:
        project.close()


def test_drawing_reads_with_a_fixed_number_of_queries(demo_file):
    from sqlalchemy import event

    from mpp_planner.project import Project
    from mpp_planner.reports.plan_drawing import build_drawings

    project = Project.open(demo_file, readonly=True)
    statements = []
    engine = project.session.get_bind()
    listener = lambda *a, **k: statements.append(a[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        ids = [fid for fid, _n in plan.floor_choices(project)]
        statements.clear()
        one = build_drawings(project, ids[:1])
        n_one = len(statements)
        statements.clear()
        both = build_drawings(project, ids)
        n_both = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
        project.close()
    assert len(one) == 1 and len(both) == 2
    assert n_both == n_one <= 12  # batched: the number of queries does not grow with floors or objects


# --- tiles fit together ---------------------------------------------------------------------------
def _tiled_sheets(demo_file, scale=50, paper="A4"):
    from mpp_planner.project import Project

    project = Project.open(demo_file, readonly=True)
    try:
        job = plan.prepare(project, plan.PlanOptions(floor="Lantai 1", scale=scale, paper=paper))
    finally:
        project.close()
    return job, job.sheets()


def test_tiles_cover_the_plan_and_overlap_exactly(demo_file):
    job, sheets = _tiled_sheets(demo_file)
    key, tiles = sheets[0], [s for s in sheets[1:] if s.kind != "notes"]
    assert key.kind == "key" and all(s.kind == "tile" for s in tiles)
    bx0, by0, bx1, by1 = job.drawings[0].bounds()
    views = {s.tile.label: s.view for s in tiles}
    assert min(v[0] for v in views.values()) < bx0 and max(v[2] for v in views.values()) > bx1
    assert min(v[1] for v in views.values()) < by0 and max(v[3] for v in views.values()) > by1
    overlap = plan_layout.OVERLAP * 50  # plan mm
    assert views["A1"][2] - views["A2"][0] == pytest.approx(overlap)
    assert views["A1"][3] - views["B1"][1] == pytest.approx(overlap)
    assert views["A1"][1] == views["A2"][1] and views["A1"][0] == views["B1"][0]
    assert [t for t, _v in key.grid] == [s.tile for s in tiles]
    kx0, ky0, kx1, ky1 = key.view
    assert all(kx0 <= v[0] and v[2] <= kx1 and ky0 <= v[1] and v[3] <= ky1 for v in views.values())


def test_registration_marks_match_on_neighbouring_sheets(demo_file):
    from mpp_planner.reports.plan_sheet import PGroup, PShape, compose

    job, sheets = _tiled_sheets(demo_file)
    by_label = {s.tile.label: s for s in sheets[1:] if s.tile is not None}

    def targets(sheet):
        page = compose(sheet, job.heading)
        marks = next(g for g in page.items if isinstance(g, PGroup) and g.name == "assembly-marks")
        a = sheet.frame.area
        out = set()
        for shape in marks.items:
            if isinstance(shape, PShape) and len(shape.points) == 36:  # the circles
                u = sum(p[0] for p in shape.points) / 36
                v = sum(p[1] for p in shape.points) / 36
                out.add((round(sheet.origin[0] + (u - a.x) * sheet.scale, 3),
                         round(sheet.origin[1] + (v - a.y) * sheet.scale, 3)))
        return out

    a1, a2, b1 = targets(by_label["A1"]), targets(by_label["A2"]), targets(by_label["B1"])
    shared_right = a1 & a2
    shared_down = a1 & b1
    assert len(shared_right) == 2 and len(shared_down) == 2  # two targets on every glued edge


def test_cancelled_export_leaves_nothing(demo_file, tmp_path):
    job, _sheets = _tiled_sheets(demo_file)
    folder = tmp_path / "out"
    folder.mkdir()
    for fmt in ("pdf", "svg"):
        done = []
        with pytest.raises(plan.Cancelled):  # the user cancels after three sheets
            plan.write(job, folder / f"plan.{fmt}", fmt,
                       progress=lambda d, t: done.append(d),  # noqa: B023 - called within the iteration
                       cancelled=lambda: len(done) >= 3)  # noqa: B023 - called within the iteration
        assert done == [0, 1, 2]
    assert list(folder.iterdir()) == []


def test_written_files_follow_the_umask(test_file, tmp_path):
    out = tmp_path / "plan.pdf"
    assert export(test_file, "-o", out) == 0
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask


def test_room_names_stay_inside_their_rooms(demo_file):
    """Each room's label is drawn inside its outline and clear of the counters, at 1:100."""
    from mpp_planner.reports import plan_drawing as pd
    from mpp_planner.reports.plan_sheet import _text

    job, sheets = _tiled_sheets(demo_file, scale=200, paper="A3")
    sheet = sheets[0]
    drawing = job.drawings[0]
    labels = sheet.labels
    counters = [i.bbox() for i in drawing.items if isinstance(i, pd.Box) and i.layer == "counters"]
    for index, item in enumerate(drawing.items):
        if isinstance(item, pd.Text) and item.region is not None:
            # the name, or (a room too small for its name at 2 mm) its number in the key
            lines = _text(item, sheet, labels.numbers.get(index), labels.placed.get(index))
            assert lines, item.lines[0].text
            for line in lines:
                x = sheet.origin[0] + (line.x - sheet.frame.area.x) * sheet.scale
                y = sheet.origin[1] + (line.y - sheet.frame.area.y) * sheet.scale
                from mpp_planner.model.geometry import point_in_polygon

                assert point_in_polygon(x, y, item.region), item.lines[0].text
                assert not any(c[0] <= x <= c[2] and c[1] <= y <= c[3] for c in counters), item.lines[0].text


def test_background_scan_is_placed_to_scale_in_the_pdf(test_file, tmp_path):
    import pdfplumber

    out = tmp_path / "bg.pdf"
    assert export(test_file, "-o", out, "--scale", "1:100", "--layers", "background,rooms") == 0
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        assert len(page.images) == 1
        image = page.images[0]
        # 140 x 60 px at 100 mm per px = 14 m x 6 m, so 140 mm x 60 mm at 1:100, its corner on the hall's
        hall = _find_box(page, 100, 60)[0]
        assert abs(image["width"] / MM - 140) <= 0.1 and abs(image["height"] / MM - 60) <= 0.1
        assert abs(image["x0"] - hall["x0"]) / MM <= 0.1 and abs(image["top"] - hall["top"]) / MM <= 0.1


def test_background_opacity_and_unfilled_rooms_in_png(test_file, tmp_path):
    from PIL import Image

    out = tmp_path / "bg.png"
    assert export(test_file, "-o", out, "--scale", "1:100", "--layers", "background,rooms", "--dpi", "50",
                  "--paper", "A4") == 0
    with Image.open(out) as img:
        colours = img.convert("RGB").getcolors(1_000_000)
    # the red scan (200, 40, 40) at 30 % over white, with no room fill hiding it
    blended = (round(255 - 0.3 * 55), round(255 - 0.3 * 215), round(255 - 0.3 * 215))
    near = sum(n for n, c in colours if all(abs(a - b) <= 3 for a, b in zip(c, blended)))
    assert near > 5000


def test_an_empty_floor_prints_a_note(empty_project, tmp_path):
    from pypdf import PdfReader

    from mpp_planner.model import Floor

    with empty_project.edit() as s:
        s.add(Floor(name="Lantai Kosong", order=1))
    path = empty_project.path
    empty_project.close()
    out = tmp_path / "empty.pdf"
    assert export(path, "-o", out) == 0
    text = PdfReader(out).pages[0].extract_text()
    assert "belum memiliki gambar denah" in text and "Lembar 1 dari 1" in text


def test_a_project_without_floors_is_refused(empty_project, tmp_path, capsys):
    path = empty_project.path
    empty_project.close()
    assert export(path, "-o", tmp_path / "x.pdf") == 2
    assert "no floors" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
