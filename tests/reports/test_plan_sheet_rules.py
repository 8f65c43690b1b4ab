"""Plan sheets a bureau files as they are: the paper (A4, F4, A3, A2) and its page size, no text under
2 mm (measured in the PDF), labels too small moved to a numbered key, tile labels clear of room names,
the title block (north arrow, drawing number, Digambar / Diperiksa / Disetujui), every floor by
default, and the refusals: an unknown paper, a floor the paper cannot hold at the scale."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from mpp_planner.cli import main
from mpp_planner.model.paper import PAPERS

MM = 72.0 / 25.4
MIN_MM = 2.0


def export(*args) -> int:
    return main(["export", "plan", *map(str, args), "--lang", "en"])


def _rect(x, y, w, h):
    return [[x, y], [x + w, y], [x + w, y + h], [x, y + h]]


@pytest.fixture
def small_file(empty_project):
    """Lantai Uji (14 m x 6 m): a hall, a narrow store whose name cannot fit at 2 mm, a turned counter,
    three chairs of one type too small for their name, and no signatories."""
    from mpp_planner.model import Agency, Counter, CounterAssignment, Floor, InventoryItem, ItemType, Room

    p = empty_project
    with p.edit() as s:
        imm = Agency(name="Kantor Imigrasi Malang", short_name="Imigrasi", tier="pusat", colour="#1F4E99")
        floor = Floor(name="Lantai Uji", order=1)
        floor.rooms.append(Room(name="Aula Pelayanan", kind="counter_hall", outline=_rect(0, 0, 10000, 6000)))
        floor.rooms.append(Room(name="Gudang Arsip Dinas", kind="storage", outline=_rect(10000, 0, 900, 6000)))
        turned = Counter(label="LK-01", x=3000, y=1500, width=1800, depth=800, rotation=90)
        turned.assignments.append(CounterAssignment(agency=imm))
        floor.counters.append(turned)
        floor.counters.append(Counter(label="LK-02", x=6000, y=1500, width=1800, depth=800))
        s.add_all([imm, floor])
        s.flush()
        chair = ItemType(key="kursi", name="Kursi Tunggu Stainless", category="Mebel",
                         account_code="5.2.02.05.02.0001", width=500, depth=500)
        s.add(chair)
        s.flush()
        for x in (2000, 3000, 4000):
            s.add(InventoryItem(item_type=chair, room_id=floor.rooms[0].id, floor_id=floor.id, x=x, y=4500))
    path = p.path
    p.close()
    return path


# --- measuring the PDF -----------------------------------------------------------------------------
def font_size_mm(ch) -> float:
    """A character's font size on the page in mm, turned or not: pdfminer's box of a glyph is its
    advance by its font size, turned by the text matrix; solve the box for the font size."""
    _a, _b, c, d, _e, _f = ch["matrix"]
    k = math.hypot(c, d) or 1.0
    cos, sin = abs(d) / k, abs(c) / k
    w, h = ch["x1"] - ch["x0"], ch["bottom"] - ch["top"]
    if abs(cos * cos - sin * sin) < 0.2:  # near 45 degrees the box cannot tell; ReportLab's size is exact
        return ch["size"] / MM
    return (h * cos - w * sin) / (cos * cos - sin * sin) / MM


def smallest_text(path) -> tuple[float, str]:
    import pdfplumber

    smallest = (1e9, "")
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for ch in page.chars:
                if ch["text"].strip():
                    smallest = min(smallest, (font_size_mm(ch), ch["text"]))
    return smallest


def page_sizes_mm(path) -> list[tuple[float, float]]:
    from pypdf import PdfReader

    return [(round(float(p.mediabox.width) / MM, 1), round(float(p.mediabox.height) / MM, 1))
            for p in PdfReader(str(path)).pages]


def texts(path) -> list[str]:
    from pypdf import PdfReader

    return [p.extract_text() for p in PdfReader(str(path)).pages]


def test_the_measure_reads_turned_text(small_file, tmp_path):
    """LK-01 is turned a quarter: its characters are measured at their font size all the same."""
    import pdfplumber

    out = tmp_path / "plan.pdf"
    assert export(small_file, "-o", out, "--scale", "1:50", "--paper", "A3") == 0
    with pdfplumber.open(out) as pdf:
        turned = [c for c in pdf.pages[0].chars if not c["upright"]]
        assert turned, "the turned counter's label is in the PDF"
        assert all(MIN_MM - 1e-3 <= font_size_mm(c) <= 4.0 for c in turned)


# --- paper ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("paper", ["A4", "F4", "A3", "A2"])
def test_plan_page_size_is_the_paper(small_file, tmp_path, paper):
    out = tmp_path / f"plan-{paper}.pdf"
    assert export(small_file, "-o", out, "--paper", paper, "--scale", "fit") == 0
    w, h = PAPERS[paper].width_mm, PAPERS[paper].height_mm
    for size in page_sizes_mm(out):
        assert size in ((w, h), (h, w))
    assert f"{paper} " in texts(out)[0]  # the KERTAS cell names it


@pytest.mark.parametrize("paper", ["A4", "F4"])
def test_demo_plan_sheets_on_a4_and_f4(demo_file, tmp_path, paper):
    out = tmp_path / "plan.pdf"
    assert export(demo_file, "-o", out, "--paper", paper, "--scale", "fit") == 0
    w, h = PAPERS[paper].width_mm, PAPERS[paper].height_mm
    sizes = page_sizes_mm(out)
    assert len(sizes) >= 2 and all(size in ((w, h), (h, w)) for size in sizes)


def test_f4_is_folio_215_by_330():
    assert (PAPERS["F4"].width_mm, PAPERS["F4"].height_mm) == (215.0, 330.0)


def test_png_on_f4_has_the_papers_pixels(small_file, tmp_path):
    from PIL import Image

    out = tmp_path / "plan.png"
    assert export(small_file, "-o", out, "--paper", "F4", "--dpi", "50", "--orientation", "portrait") == 0
    with Image.open(out) as img:
        assert img.size == (round(215 / 25.4 * 50), round(330 / 25.4 * 50))


@pytest.mark.parametrize("paper", ["A5", "letter", "B4", ""])
def test_unknown_paper_exit_2_and_no_file(small_file, tmp_path, capsys, paper):
    folder = tmp_path / "out"
    folder.mkdir()
    assert export(small_file, "-o", folder / "plan.pdf", "--paper", paper) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "A4, F4, A3, A2" in err and "Traceback" not in err
    assert list(folder.iterdir()) == []


def test_paper_too_small_for_the_scale_exit_2_names_floor_size_and_a_way_out(demo_file, tmp_path, capsys):
    folder = tmp_path / "out"
    folder.mkdir()
    assert export(demo_file, "-o", folder / "plan.pdf", "--scale", "1:100", "--paper", "A4") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert re.search(r"Lantai 1 \([\d.]+ × [\d.]+ m\) does not fit on A4 at 1:100; choose A2 or 1:250", err), err
    assert list(folder.iterdir()) == []
    # what it proposes does fit
    assert export(demo_file, "-o", folder / "a2.pdf", "--floor", "Lantai 1", "--scale", "1:100", "--paper", "A2") == 0
    assert export(demo_file, "-o", folder / "250.pdf", "--floor", "Lantai 1", "--scale", "1:250", "--paper", "A4") == 0
    # and --tiles prints it in parts instead
    assert export(demo_file, "-o", folder / "tiles.pdf", "--scale", "1:100", "--paper", "A4", "--tiles") == 0


def test_paper_too_small_in_indonesian(demo_file, tmp_path, capsys):
    assert main(["export", "plan", str(demo_file), "-o", str(tmp_path / "p.pdf"), "--paper", "A4",
                 "--scale", "1:100", "--lang", "id"]) == 2
    err = capsys.readouterr().err
    assert "tidak muat pada A4 dengan skala 1:100" in err and not (tmp_path / "p.pdf").exists()


def test_without_a_chosen_scale_a_large_floor_goes_on_tiles_at_1_100(demo_file, tmp_path):
    out = tmp_path / "p.pdf"
    assert main(["export", "plan", str(demo_file), "-o", str(out), "--paper", "A4"]) == 0
    assert len(PdfReader(str(out)).pages) > 2  # key sheets and tiles


# --- no text under 2 mm ------------------------------------------------------------------------------
@pytest.mark.parametrize("args", [
    ("--scale", "1:200", "--paper", "A3"),
    ("--scale", "1:100", "--paper", "A3", "--tiles"),
    ("--scale", "fit", "--paper", "A4"),
    ("--scale", "1:250", "--paper", "F4"),
    ("--scale", "1:50", "--paper", "A4", "--tiles", "--floor", "Lantai 2"),
])
def test_no_text_under_2_mm_on_any_demo_sheet(demo_file, tmp_path, args):
    out = tmp_path / "plan.pdf"
    assert export(demo_file, "-o", out, *args) == 0
    size, char = smallest_text(out)
    assert size >= MIN_MM - 1e-3, f"{char!r} is {size:.2f} mm"


def test_no_text_under_2_mm_in_svg_either(demo_file, tmp_path):
    import xml.etree.ElementTree as ET

    out = tmp_path / "plan.svg"
    assert export(demo_file, "-o", out, "--scale", "1:200", "--paper", "A3") == 0
    files = sorted(tmp_path.glob("plan-*.svg"))
    sizes = [float(e.get("font-size")) for f in files for e in ET.parse(f).getroot().iter()
             if e.get("font-size")]
    assert files and sizes and min(sizes) >= MIN_MM - 1e-6


def test_labels_too_small_go_to_a_numbered_key(small_file, tmp_path):
    """At 1:200 the store's name, the counters' labels and the chairs' name do not fit at 2 mm: each is
    drawn as a number, the chairs share one, and the key lists every number with its label."""
    out = tmp_path / "plan.pdf"
    assert export(small_file, "-o", out, "--scale", "1:200", "--paper", "A4") == 0
    pages = texts(out)
    text = " ".join(pages)
    assert "Aula Pelayanan" in text  # it fits: drawn by name
    assert "Nomor pada denah" in text  # the key fits the title block here
    key = re.findall(r"(?m)^\s*(\d+)\n(\D.*)$", text.split("Nomor pada denah", 1)[1])
    labels = [label.strip() for _number, label in key]
    assert labels == ["Gudang Arsip Dinas (5,40 m²)", "Loket LK-01: Imigrasi", "Loket LK-02 (belum dialokasikan)",
                      "Kursi Tunggu Stainless"]  # rooms, counters, furniture; one number for the three chairs
    assert [int(n) for n, _label in key] == [1, 2, 3, 4]
    drawn = text.split("MPP UJI", 1)[0].split()  # the plan's texts come before the title block's
    assert drawn.count("4") == 3 and {"1", "2", "3"} <= set(drawn)
    size, char = smallest_text(out)
    assert size >= MIN_MM - 1e-3, char


def _job(demo_file, **options):
    from mpp_planner.project import Project
    from mpp_planner.reports import plan

    project = Project.open(demo_file, readonly=True)
    try:
        return plan.prepare(project, plan.PlanOptions(floor="Lantai 1", **options))
    finally:
        project.close()


def _drawn_numbers(page) -> set[str]:
    from mpp_planner.reports.plan_primitives import PText

    return {t.text for g in page.items if g.name == "plan" for layer in g.items for t in layer.items
            if isinstance(t, PText) and t.text.isdigit()}


def test_the_key_goes_beside_the_plan_when_the_sheet_has_room(demo_file):
    from mpp_planner.reports.plan_primitives import PText, boxes_meet
    from mpp_planner.reports.plan_sheet import compose

    job = _job(demo_file, scale=200, paper="A3", tiles=False)
    [sheet] = job.sheets()  # one sheet a bureau files as it is
    box = sheet.key_box
    assert box is not None and sheet.labels.entries
    page = compose(sheet, job.heading)
    key = next(g for g in page.items if g.name == "numbered-key")
    listed = [t.text for t in key.items if isinstance(t, PText)]
    for entry in sheet.labels.entries:  # every number is listed with its label, and drawn on the plan
        assert str(entry.number) in listed and entry.label in listed
    assert {str(e.number) for e in sheet.labels.entries} <= _drawn_numbers(page)
    x0, y0, x1, y1 = job.drawings[0].bounds()
    p0, p1 = sheet.to_paper(x0, y0), sheet.to_paper(x1, y1)
    assert not boxes_meet((p0[0], p0[1], p1[0], p1[1]), (box.x, box.y, box.right, box.bottom))
    a = sheet.frame.area
    assert a.x <= box.x and box.right <= a.right and a.y <= box.y and box.bottom <= a.bottom


def test_the_key_goes_to_a_notes_sheet_when_there_is_no_room(demo_file):
    from mpp_planner.reports.plan_sheet import compose

    job = _job(demo_file, scale=50, paper="A4")  # tiles: each full of plan, their title blocks small
    sheets = job.sheets()
    notes = [s for s in sheets if s.kind == "notes"]
    parts = [s for s in sheets if s.kind == "tile"]
    assert notes and sheets[-len(notes):] == notes  # after the floor's sheets
    assert notes[0].explains == tuple(s.number for s in parts)
    assert all(s.notes_sheet == notes[0].number for s in parts)
    listed = {t.text for page in notes for t in page.notes}
    entries = parts[0].labels.entries
    for entry in entries:
        assert str(entry.number) in listed and any(entry.label.startswith(t) for t in listed if len(t) > 3)
    drawn = set().union(*(_drawn_numbers(compose(s, job.heading)) for s in parts))
    assert {str(e.number) for e in entries} <= drawn
    block = " ".join(t.text for g in compose(parts[0], job.heading).items if g.name == "title-block"
                     for t in g.items if hasattr(t, "text"))
    assert f"lihat lembar {notes[0].number}" in block


def test_tile_labels_never_cover_room_names(demo_file):
    """On the key sheet of a tiled plan the tiles' names sit on white plates: none meets a room name."""
    from mpp_planner.project import Project
    from mpp_planner.reports import plan
    from mpp_planner.reports.plan_primitives import PShape, PText, boxes_meet, text_box
    from mpp_planner.reports.plan_sheet import compose

    project = Project.open(demo_file, readonly=True)
    try:
        job = plan.prepare(project, plan.PlanOptions(floor="Lantai 1", scale=100, paper="A3"))
    finally:
        project.close()
    key = job.sheets()[0]
    assert key.kind == "key"
    page = compose(key, job.heading)
    plan_group = next(g for g in page.items if g.name == "plan")
    names = [text_box(t) for layer in plan_group.items if layer.name == "rooms-text" for t in layer.items
             if isinstance(t, PText)]
    grid = next(g for g in page.items if g.name == "sheet-grid")
    plates = [s.points for s in grid.items if isinstance(s, PShape) and s.fill == "#FFFFFF"]
    labels = [t.text for t in grid.items if isinstance(t, PText)]
    assert names and sorted(labels) == sorted(t.label for t, _v in key.grid)  # every tile is named
    for pts in plates:
        box = (min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts))
        assert not any(boxes_meet(box, name) for name in names)


# --- the title block --------------------------------------------------------------------------------
def test_title_block_has_north_arrow_drawing_number_and_sign_off(demo_file, tmp_path):
    out = tmp_path / "plan.pdf"
    assert export(demo_file, "-o", out, "--scale", "1:250", "--paper", "A3", "--drawn-by", "Budi Santoso") == 0
    pages = texts(out)
    first = pages[0]
    for expected in ("Digambar", "Budi Santoso", "Diperiksa", "Disetujui", "Tgl./Paraf", "NO. GAMBAR", "MPP-01-1",
                     "\nU\n"):
        assert expected in first, expected
    # Diperiksa: the proposer (Kepala Bidang), Disetujui: the head of the office, as the project names them
    from mpp_planner.model import Signatory
    from mpp_planner.project import Project

    project = Project.open(demo_file, readonly=True)
    try:
        people = {s.role: s for s in project.all(Signatory)}
    finally:
        project.close()
    checked, approved = people["proposer"].name, people["head"].name
    assert first.index("Diperiksa") < first.index(checked) < first.index("Disetujui") < first.index(approved)
    floor2 = next(p for p in pages if "DENAH LANTAI 2" in p)
    assert "MPP-02-1" in floor2


def test_sign_off_lines_without_signatories_and_a_chosen_drawing_number(small_file, tmp_path):
    from mpp_planner.project import Project
    from mpp_planner.reports import plan
    from mpp_planner.reports.plan_primitives import PShape, PText
    from mpp_planner.reports.plan_sheet import compose

    project = Project.open(small_file, readonly=True)
    try:
        job = plan.prepare(project, plan.PlanOptions(scale=100, paper="A3", drawing_number="DNH/07"))
    finally:
        project.close()
    [sheet] = job.sheets()
    block = next(g for g in compose(sheet, job.heading).items if g.name == "title-block")
    words = [t.text for t in block.items if isinstance(t, PText)]
    assert "DNH/07" in words and words.count("Tgl./Paraf") == 3
    dotted = [s for s in block.items if isinstance(s, PShape) and s.dash == (0.4, 0.6)]
    assert len(dotted) == 3  # nobody named: three lines to write the names on by hand


@pytest.mark.parametrize("option", ["--drawn-by", "--drawing-number"])
def test_title_block_texts_are_one_short_line(small_file, tmp_path, capsys, option):
    assert export(small_file, "-o", tmp_path / "p.pdf", option, "x" * 200) == 2
    assert option in capsys.readouterr().err and not (tmp_path / "p.pdf").exists()


# --- every floor by default ------------------------------------------------------------------------
def test_png_of_every_floor_one_file_each_named_after_it(demo_file, tmp_path, capsys):
    out = tmp_path / "denah.png"
    assert export(demo_file, "-o", out, "--scale", "1:200", "--paper", "A2", "--dpi", "20") == 0
    files = sorted(p.name for p in tmp_path.glob("*.png"))
    assert files == ["denah-lantai-1.png", "denah-lantai-2.png"]
    err = capsys.readouterr().err
    assert err.count("Written:") == 2 and all(name in err for name in files)


def test_one_floor_by_name_is_one_file(demo_file, tmp_path):
    out = tmp_path / "denah.png"
    assert export(demo_file, "-o", out, "--scale", "1:200", "--paper", "A2", "--dpi", "20",
                  "--floor", "Lantai 2") == 0
    assert [p.name for p in tmp_path.glob("*.png")] == ["denah.png"]
    assert Path(out).stat().st_size > 0
