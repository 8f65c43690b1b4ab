"""Issue 22: the findings PDF and the plan PDF are drawn faster, and say the same as before.

The "before" is the plain code the benchmark times as its baseline (``benchmarks/exports_bench.py``):
each finding's excerpt as a Drawing of its own, each label spot tried in full, every shape and text
through ReportLab's path and text objects. The sheets must hold the same text at the same places
(pdfplumber), look the same, and the labels must land on the same spots. Also: an export of many
floors is refused for its total, never by blaming one floor, and the long parts report progress.
No timings here: ``python -m benchmarks.exports_bench`` measures them.
"""

from __future__ import annotations

import random
from pathlib import Path
from types import SimpleNamespace

import pytest

from benchmarks import exports_bench as before
from mpp_planner.cli import main
from mpp_planner.reports import findings, plan, plan_layout
from mpp_planner.reports import plan_drawing as pd
from mpp_planner.reports import plan_primitives as prim
from mpp_planner.reports.plan_key import min_size
from mpp_planner.reports.plan_sheet import place_in_region

NEAR = 0.05  # pt: numbers written with fewer digits than ReportLab's own


def findings_pdf(project, out: Path) -> Path:
    findings.export(project, out, "pdf", SimpleNamespace(rules=None, date="2024-01-15", paper=None))
    return out


def plan_args(**kw) -> SimpleNamespace:
    values = dict(floor="all", scale=None, paper="A3", tiles=False, drawn_by="", drawing_number="",
                  orientation="auto", layers=None, colour="agency", dpi="150")
    values.update(kw)
    return SimpleNamespace(**values)


def chars(path: Path) -> list[list[tuple]]:
    """Per page: each character with its font, colour, turn and place."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [[(c["text"], c["fontname"].split("+")[-1], c["upright"], tuple(c["non_stroking_color"] or ()),
                  c["size"], c["x0"], c["top"]) for c in page.chars] for page in pdf.pages]


def page_texts(path: Path) -> list[str]:
    """Each page's text as pdfplumber reads it (by position) and as pypdf reads it (by text object)."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        by_place = [page.extract_text() for page in pdf.pages]
    return by_place + [page.extract_text() for page in _pdf_pages(path)]


def assert_same_chars(a: list[list[tuple]], b: list[list[tuple]]) -> None:
    assert len(a) == len(b)
    for n, (pa, pb) in enumerate(zip(a, b), start=1):
        assert len(pa) == len(pb), f"page {n}"
        for ca, cb in zip(pa, pb):
            assert ca[:4] == cb[:4], f"page {n}: {ca} / {cb}"
            assert all(abs(x - y) <= NEAR for x, y in zip(ca[4:], cb[4:])), f"page {n}: {ca} / {cb}"


def shapes(path: Path) -> list[list[tuple]]:
    """Per page: each line, rectangle and curve with its colours, line width and points."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [[(o["object_type"], bool(o.get("fill")), bool(o.get("stroke")), tuple(o.get("stroking_color") or ()),
                  tuple(o.get("non_stroking_color") or ()),
                  (o.get("linewidth") or 0.0, *(v for p in o.get("pts", []) for v in p)))
                 for o in page.rects + page.curves + page.lines] for page in pdf.pages]


def pixels_apart(a: Path, b: Path, dpi: int = 60) -> float:
    """The share of pixels of the two PDFs' pages that differ clearly."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]
    from PIL import ImageChops

    da, db = pdfium.PdfDocument(str(a)), pdfium.PdfDocument(str(b))
    differ = total = 0
    for pa, pb in zip(da, db):
        ia = pa.render(scale=dpi / 72).to_pil().convert("L")
        ib = pb.render(scale=dpi / 72).to_pil().convert("L")
        diff = ImageChops.difference(ia, ib).point(lambda v: 255 if v > 60 else 0)
        differ += diff.histogram()[255]
        total += ia.width * ia.height
    return differ / total


# --- the findings PDF -------------------------------------------------------------------------
def test_findings_pdf_says_the_same_as_with_an_excerpt_drawing_per_finding(demo_project, tmp_path):
    now = findings_pdf(demo_project, tmp_path / "now.pdf")
    with before.findings_before():
        old = findings_pdf(demo_project, tmp_path / "before.pdf")
    assert page_texts(now) == page_texts(old)
    assert_same_chars(chars(now), chars(old))  # the room names in the excerpts and the scale bars too
    assert "Ruang Laktasi" in page_texts(now)[1] and "2 m" in page_texts(now)[1]
    assert pixels_apart(now, old) < 0.002  # the excerpts look the same (edges of clipped shapes aside)


def test_findings_pdf_draws_each_floor_once_and_places_it_per_finding(demo_project, tmp_path, monkeypatch):
    built: list[int] = []
    layers = findings.FloorArt.layers

    def counted(self, floor_id):
        if floor_id not in self._floors:
            built.append(floor_id)
        return layers(self, floor_id)

    monkeypatch.setattr(findings.FloorArt, "layers", counted)
    report = findings.collect(demo_project, when=None)
    on_floors = [f for f in report.findings if findings.excerpt_view(report, f, 100, 70) is not None]
    findings.write_pdf(report, tmp_path / "temuan.pdf")
    assert len(on_floors) > len(set(built)) and sorted(built) == sorted({f.floor_id for f in on_floors})
    # each floor's operators, once in the file per finding on it: placed by a transformation, clipped
    content = b"".join(page.get_contents().get_data() for page in _pdf_pages(tmp_path / "temuan.pdf"))
    assert content.count(b" re W n") >= len(on_floors) and content.count(b" cm") >= 2 * len(on_floors)


def _pdf_pages(path: Path):
    from pypdf import PdfReader

    return PdfReader(str(path)).pages


def test_findings_progress_counts_the_findings_drawn(demo_project, tmp_path):
    from mpp_planner.jobs import Job

    told: list[tuple[int, int]] = []
    job = Job("findings", on_progress=lambda done, total, text: told.append((done, total)))
    job.TELL_EVERY = 0.0
    job.run(lambda: findings_pdf(demo_project, tmp_path / "temuan.pdf"))
    count = len(findings.collect(demo_project).findings)
    steps = [done for done, total in told if total == count]
    assert steps and steps == sorted(steps) and steps[-1] >= count - 2


# --- label placement: the same spots as the plain search ------------------------------------------
def test_room_labels_land_where_the_plain_search_puts_them(demo_project):
    job = plan.prepare(demo_project, plan.options_from_args(plan_args()))
    tried = 0
    for drawing in job.drawings:
        rooms = [item for item in drawing.items if isinstance(item, pd.Text) and item.region is not None]
        assert rooms
        for item in rooms:
            for scale in (20, 50, 100, 150, 210, 300, 500):
                for size, least in ((max(item.size_mm, min_size(item)), min_size(item)), (2.4, 2.0)):
                    got = place_in_region(item, scale, drawing.obstacles, size, least)
                    want = before.plain_place_in_region(item, scale, drawing.obstacles, size, least)
                    assert got == want, (item.lines[0].text, scale, size)
                    tried += 1
    assert tried > 400


TEXTS = ["Ruang Pelayanan Lt. 1", "Toilet Difabel Lt. 2", "Ruang Server dan Panel Listrik", "WC", "A", "", "  ",
         "Mushola", "Ruang Laktasi (Ibu Menyusui) Lantai 3 Gedung B", "Loket 12 — Kantor Imigrasi Kelas I"]


def test_text_fitting_gives_what_it_gave_before():
    rnd = random.Random(22)
    for _ in range(5000):
        text, size, bold, width = rnd.choice(TEXTS), rnd.choice([2.0, 2.4, 3.0]), rnd.random() < 0.5, rnd.uniform(0, 80)
        assert prim.wrap(text, size, bold, width) == before.plain_wrap(text, size, bold, width)
        assert prim.elide(text, size, bold, width) == before.plain_elide(text, size, bold, width)
    for _ in range(5000):
        lines = tuple(pd.TextLine(rnd.choice(TEXTS), rnd.choice([1.0, 0.8]), rnd.random() < 0.5)
                      for _k in range(rnd.randint(0, 3)))
        size = rnd.choice([2.0, 2.5, 3.0, 3.6])
        least, wraps = rnd.choice([2.0, 2.5, size]), rnd.random() < 0.7
        box_w, box_h = rnd.uniform(0, 60), rnd.uniform(0, 20)
        assert (prim.fit_block(lines, size, box_w, box_h, least, wraps)
                == before.plain_fit_block(lines, size, box_w, box_h, least, wraps)), (lines, size, box_w, box_h)


# --- the plan PDF ---------------------------------------------------------------------------
@pytest.mark.parametrize("extra", [[], ["--scale", "fit", "--paper", "A4"]])
def test_plan_pdf_holds_the_same_sheets_as_through_reportlabs_objects(demo_file, tmp_path, extra):
    out = tmp_path / "denah.pdf"
    assert main(["export", "plan", str(demo_file), "-o", str(out), *extra]) == 0
    from mpp_planner.project import Project

    project = Project.open(demo_file, readonly=True)
    try:
        options = plan.options_from_args(plan_args(scale=extra[1] if extra else None,
                                                    paper=extra[3] if extra else "A3"))
        with before.plan_before():
            old = plan.write(plan.prepare(project, options), tmp_path / "before.pdf", "pdf")[0]
    finally:
        project.close()
    assert page_texts(out) == page_texts(old)
    assert_same_chars(chars(out), chars(old))
    for n, (now_page, old_page) in enumerate(zip(shapes(out), shapes(old)), start=1):
        assert len(now_page) == len(old_page), f"page {n}"
        for a, b in zip(now_page, old_page):
            assert a[:5] == b[:5], f"page {n}: {a[:5]} / {b[:5]}"
            assert len(a[5]) == len(b[5]) and all(abs(x - y) <= NEAR for x, y in zip(a[5], b[5])), f"page {n}"


def test_plan_layout_reports_each_floor_then_each_sheet(demo_project, tmp_path):
    from mpp_planner.jobs import Job

    told: list[tuple[int, int, str]] = []
    job = Job("plan", on_progress=lambda done, total, text: told.append((done, total, text)))
    job.TELL_EVERY = 0.0
    prepared = plan.prepare(demo_project, plan.options_from_args(plan_args()))
    job.run(lambda: plan.write(prepared, tmp_path / "denah.pdf", "pdf"))
    floors = [d.floor_name for d in prepared.drawings]
    texts = [text for _done, _total, text in told if text]
    assert [t for t in texts if t.startswith("Placing")] == [f"Placing the labels of {f}…" for f in floors]
    sheets = [(done, total) for done, total, _text in told if total == 6]
    assert sheets[-1] == (6, 6)


# --- how many sheets one export may hold ----------------------------------------------------------
def _hall(name: str, width: float) -> pd.FloorDrawing:
    hall = pd.Polygon("rooms", [(0, 0), (width, 0), (width, 20_000), (0, 20_000)], "#FFFFFF", "#000000", 0.3)
    return pd.FloorDrawing(floor_id=1, floor_name=name, items=[hall])


def test_many_floors_are_refused_for_their_total_not_by_blaming_one(monkeypatch):
    monkeypatch.setattr(plan_layout, "MAX_EXPORT_SHEETS", 20)
    floors = [_hall(f"Lantai {n}", 60_000) for n in range(1, 9)]  # each: a key sheet and tiles on A4 at 1:100
    each = len(plan_layout.layout(floors[:1], paper="A4"))
    assert 1 < each <= 20
    with pytest.raises(ValueError) as refused:
        plan_layout.layout(floors, paper="A4")
    message = str(refused.value)
    assert f"The 8 floors need {8 * each} sheets at 1:100 on A4, more than the 20 one export holds" in message
    assert "Lantai" not in message
    assert len(plan_layout.layout(floors[:20 // each], paper="A4")) == 20 // each * each


def test_one_floor_of_too_many_tiles_is_named(monkeypatch):
    monkeypatch.setattr(plan_layout, "MAX_SHEETS", 3)
    with pytest.raises(ValueError, match="The plan of 'Lantai Besar' needs"):
        plan_layout.layout([_hall("Lantai Kecil", 20_000), _hall("Lantai Besar", 200_000)], paper="A4")


def test_the_command_line_says_the_whole_export_is_too_large(demo_file, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(plan_layout, "MAX_SHEETS", 3)  # a floor of the demo needs 3 sheets: still allowed
    out = tmp_path / "denah.pdf"
    assert main(["export", "plan", str(demo_file), "-o", str(out), "--floor", "all"]) == 0
    assert len(_pdf_pages(out)) == 6
    monkeypatch.setattr(plan_layout, "MAX_EXPORT_SHEETS", 5)
    out.unlink()
    assert main(["export", "plan", str(demo_file), "-o", str(out), "--floor", "all"]) != 0
    err = capsys.readouterr().err
    assert "The 2 floors need 6 sheets at 1:100 on A3, more than the 5 one export holds" in err
    assert "Lantai 1" not in err
    assert not out.exists()
