"""Furniture on the printed plan: the plan symbol of each kind at its size and turn, in the PDF, the
PNG and the SVG, its name optional."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mpp_planner.model import InventoryItem, ItemType, geometry
from mpp_planner.reports import plan
from mpp_planner.reports import plan_drawing as pd
from mpp_planner.reports.plan_primitives import PGroup, PShape

MM = 72.0 / 25.4


@pytest.fixture
def job(demo_project):
    return plan.prepare(demo_project, plan.PlanOptions(floor="Lantai 1", scale=100, paper="A2"))


def first_of(project, key: str) -> InventoryItem:
    return project.session.scalars(select(InventoryItem).join(ItemType).where(ItemType.key == key)
                                   .order_by(InventoryItem.id)).first()


def furniture(job) -> dict[int, pd.Furniture]:
    return {i.ref.id: i for i in job.drawings[0].items if isinstance(i, pd.Furniture)}


def paper_box(sheet, piece: pd.Furniture, grow: float = 0.3) -> tuple[float, float, float, float]:
    """The piece's box on the sheet (mm from the top-left corner), grown by ``grow`` mm."""
    x0, y0, x1, y1 = geometry.bounds([sheet.to_paper(x, y) for x, y in piece.corners()])
    return x0 - grow, y0 - grow, x1 + grow, y1 + grow


def test_the_drawing_holds_each_piece_as_its_symbol(demo_project, job):
    pieces = furniture(job)
    floor_id = job.drawings[0].floor_id
    placed = demo_project.session.scalars(select(InventoryItem).where(InventoryItem.x.is_not(None),
                                                                       InventoryItem.floor_id == floor_id))
    assert set(pieces) == {i.id for i in placed}
    row = pieces[first_of(demo_project, "kursi_tunggu_4").id]
    assert row.symbol == "seat_row" and len(row.paths) == 8
    assert pieces[first_of(demo_project, "meja_kerja").id].symbol == "desk"
    for piece in pieces.values():
        x0, y0, x1, y1 = piece.bbox()
        for path in piece.paths:
            assert len(path.points) >= 2
            for x, y in path.points:
                assert x0 - 1 <= x <= x1 + 1 and y0 - 1 <= y <= y1 + 1
        assert any(p.closed and p.fill for p in piece.paths) or piece.symbol in ("curtain",)
    symbols = {p.symbol for p in pieces.values()}
    assert {"seat_row", "desk", "shelf", "screen", "ac", "extinguisher", "table_round", "ramp"} <= symbols


def test_the_pdf_draws_the_symbols(demo_project, job, tmp_path):
    """pdfplumber finds a row of seats as its seats and backrests, a desk with its dark screen, and the
    plain box of an unknown kind as one rectangle."""
    import pdfplumber

    out = tmp_path / "plan.pdf"
    plan.write(job, out, "pdf")
    sheet = job.sheets()[0]
    pieces = furniture(job)

    def inside(page, piece):
        x0, y0, x1, y1 = paper_box(sheet, piece)
        return [o for o in page.rects + page.curves + page.lines
                if o["x0"] >= x0 * MM and o["x1"] <= x1 * MM and o["top"] >= y0 * MM and o["bottom"] <= y1 * MM]

    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        row = inside(page, pieces[first_of(demo_project, "kursi_tunggu_4").id])
        assert len([o for o in row if o["object_type"] == "curve"]) >= 8  # 4 rounded seats, 4 backrests
        desk = inside(page, pieces[first_of(demo_project, "meja_kerja").id])
        dark = [o for o in desk if o.get("fill") and tuple(round(c, 2) for c in o["non_stroking_color"])
                == tuple(round(int(pd.FURNITURE_LINE[i:i + 2], 16) / 255, 2) for i in (1, 3, 5))]
        assert len(desk) >= 2 and dark  # the top and its screen
        plain = inside(page, pieces[first_of(demo_project, "kotak_saran").id])
        assert [o["object_type"] for o in plain] == ["rect"]  # no symbol for a suggestion box: its box


def test_the_png_shows_a_round_table_round(demo_project, job, tmp_path):
    """On the PNG the round reading table leaves its box's corners to the room's colour and is white
    in the middle; a plain box is white right into its corners."""
    from PIL import Image

    out = tmp_path / "plan.png"
    job.options.dpi = 200
    plan.write(job, out, "png")
    sheet = job.sheets()[0]
    k = 200 / 25.4
    pieces = furniture(job)
    with Image.open(out) as img:
        img = img.convert("RGB")

        def looks(piece):
            x0, y0, x1, y1 = paper_box(sheet, piece, 0)
            w, h = x1 - x0, y1 - y0
            near_corner = img.getpixel((int((x0 + w / 8) * k), int((y0 + h / 8) * k)))
            middle = img.getpixel((int((x0 + w / 2 + w / 5) * k), int((y0 + h / 2 + h / 5) * k)))
            return near_corner, middle

        corner, middle = looks(pieces[first_of(demo_project, "meja_baca").id])
        assert middle == (255, 255, 255) and corner != (255, 255, 255)
        corner, middle = looks(pieces[first_of(demo_project, "rak_buku").id])
        assert corner == (255, 255, 255)  # a shelf fills its box


def test_open_lines_stay_open_on_paper(demo_project, job, tmp_path):
    """The front and the bays of a shelf are open lines: polylines in the SVG, not closed polygons."""
    page = next(job.pages())

    def shapes(items):
        for item in items:
            if isinstance(item, PGroup):
                yield from shapes(item.items)
            elif isinstance(item, PShape):
                yield item

    group = next(g for g in page.items[0].items if g.name == "furniture")
    open_lines = [s for s in shapes(group.items) if not s.closed]
    assert open_lines and all(s.fill is None for s in open_lines)
    out = tmp_path / "plan.svg"
    plan.write(job, out, "svg")
    text = out.read_text(encoding="utf-8")
    shelf = first_of(demo_project, "rak_buku")
    assert f'id="item-{shelf.id}" data-kind="item"' in text and "<polyline" in text


def test_furniture_names_can_be_left_out(demo_project, job):
    ids = [job.drawings[0].floor_id]
    with_names = pd.build_drawings(demo_project, ids)[0]
    without = pd.build_drawings(demo_project, ids, furniture_labels=False)[0]
    assert [t for t in with_names.items if isinstance(t, pd.Text) and t.layer == "furniture"]
    assert not [t for t in without.items if isinstance(t, pd.Text) and t.layer == "furniture"]
    assert len([i for i in without.items if isinstance(i, pd.Furniture)]) == \
        len([i for i in with_names.items if isinstance(i, pd.Furniture)])
    assert [t for t in without.items if isinstance(t, pd.Text) and t.layer == "rooms"]  # rooms keep theirs
