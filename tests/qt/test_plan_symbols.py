"""Furniture on the plan drawn as the symbols of its kind (a chair, a sofa, a desk, a toilet...) at its
size and turn, with its name only when the whole name fits: rendered to images and looked at."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from mpp_planner.model import Floor, InventoryItem, ItemType, Room
from mpp_planner.project import Project
from mpp_planner.qt.plan.items import FurnitureItem, set_furniture_labels
from tests.helpers import rect
from tests.qt.plan_helpers import open_window

# key, name, tags, seats, width, depth, where (x, y), rotation
PIECES = [
    ("kursi_pemohon", "Kursi Pemohon", "chair", 1, 500, 550, (1000, 1000), 0),
    ("sofa_tunggu", "Sofa Tunggu 3 Dudukan", "seat sofa", 3, 2000, 800, (4000, 1000), 0),
    ("meja_kerja", "Meja Kerja", "table desk", 0, 1200, 600, (7500, 1000), 0),
    ("kloset", "Kloset Duduk", "", 0, 400, 700, (10000, 1000), 0),
    ("meja_baca", "Meja Baca Bundar", "table", 0, 900, 900, (12000, 1000), 0),
    ("wastafel", "Wastafel", "sink", 0, 600, 450, (14000, 1000), 0),
    ("barang", "Barang Lain", "", 0, 800, 600, (16000, 1000), 0),  # no symbol: the plain box
    ("kursi_putar", "Kursi Pemohon Putar", "chair", 1, 500, 550, (1000, 4000), 90),
    ("sensor", "Sensor Asap Ruang Pelayanan Terpadu Lantai Satu", "", 0, 150, 150, (4000, 4000), 0),
    ("kulkas", "Lemari Es 2 Pintu", "refrigerator", 0, 700, 700, (7000, 4000), 0),
    ("tv", "Televisi LED 43 inci", "tv", 0, 970, 100, (10000, 4000), 0),
]
GROUND = QColor("#FFFFFF")  # the scene's background: no room under the pieces
PX_PER_MM = 0.2


@pytest.fixture
def pieces_file(tmp_path):
    path = tmp_path / "symbols.mpplan"
    project = Project.create(path, site_name="MPP Uji")
    with project.edit() as s:
        floor = Floor(name="Lantai 1", order=1)
        s.add(floor)
        s.flush()
        for key, name, tags, seats, w, d, (x, y), rotation in PIECES:
            t = ItemType(key=key, name=name, category="Lain-lain", unit="unit", ref_price=Decimal(1),
                         account_code="5.2.02.05.02.0001", width=w, depth=d, tags=tags, seats=seats)
            s.add(t)
            s.add(InventoryItem(item_type=t, floor_id=floor.id, x=x, y=y, rotation=rotation))
    project.close()
    return path


@pytest.fixture
def scene(qtbot, pieces_file):
    window = open_window(qtbot, pieces_file)
    yield window.tab_widgets["plan"].view.scene()
    window.close()
    FurnitureItem.labels_shown = True


def furniture(scene) -> dict[str, FurnitureItem]:
    return {i.name: i for i in scene.items() if isinstance(i, FurnitureItem)}


def render(scene, box: QRectF, scale: float = PX_PER_MM) -> QImage:
    image = QImage(int(box.width() * scale), int(box.height() * scale), QImage.Format_ARGB32)
    image.fill(GROUND)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.Antialiasing, False)
    scene.render(painter, QRectF(0, 0, image.width(), image.height()), box)
    painter.end()
    return image


def kinds(image: QImage, inset: int = 0) -> dict[str, int]:
    """Pixels inside the image (less ``inset`` px at each edge): white (a piece's fill), ground (what
    is under it), ink (its lines and solids)."""
    out = {"white": 0, "ground": 0, "ink": 0}
    for y in range(inset, image.height() - inset):
        for x in range(inset, image.width() - inset):
            c = image.pixelColor(x, y)
            if c.red() > 245 and c.green() > 245 and c.blue() > 245:
                out["white"] += 1  # (the ground is white too: told apart by the box's corners below)
            elif c.lightness() < 200:
                out["ink"] += 1
            else:
                out["ground"] += 1
    return out


def item_image(scene, item: FurnitureItem, scale: float = PX_PER_MM) -> QImage:
    return render(scene, item.sceneBoundingRect(), scale)


def test_each_kind_is_drawn_as_its_symbol_not_a_box(scene):
    items = furniture(scene)
    assert {name: item.symbol for name, item in items.items() if name in (
        "Kursi Pemohon", "Sofa Tunggu 3 Dudukan", "Meja Kerja", "Kloset Duduk", "Meja Baca Bundar", "Wastafel",
        "Barang Lain")} == {
        "Kursi Pemohon": "chair", "Sofa Tunggu 3 Dudukan": "sofa", "Meja Kerja": "desk", "Kloset Duduk": "toilet",
        "Meja Baca Bundar": "table_round", "Wastafel": "sink", "Barang Lain": "box"}
    set_furniture_labels(scene, False)  # the symbols alone
    plain = kinds(item_image(scene, items["Barang Lain"]), inset=3)
    assert plain["ink"] == 0  # a box: lines on its edge only, white inside
    for name in ("Kursi Pemohon", "Sofa Tunggu 3 Dudukan", "Meja Kerja", "Kloset Duduk", "Meja Baca Bundar",
                 "Wastafel"):
        inside = kinds(item_image(scene, items[name]), inset=3)
        total = sum(inside.values())
        assert inside["ink"] > 0.01 * total, (name, inside)  # lines inside the box: a seat, a basin, a screen


def corner_colours(image: QImage) -> list[QColor]:
    w, h = image.width(), image.height()
    return [image.pixelColor(x, y) for x, y in ((1, 1), (w - 2, 1), (w - 2, h - 2), (1, h - 2))]


def test_round_shapes_leave_the_box_corners_empty(scene, monkeypatch):
    """A round table and a toilet bowl do not fill their boxes: their corners show what is under them
    (here a coloured floor), where a box would be white."""
    items = furniture(scene)
    scene.setBackgroundBrush(QColor("#C8D6E5"))
    for name, empty in (("Meja Baca Bundar", 4), ("Kloset Duduk", 2), ("Barang Lain", 0)):
        image = item_image(scene, items[name], 0.5)
        floor = [c for c in corner_colours(image) if c.name() == "#c8d6e5"]
        assert len(floor) == empty, name


def test_a_turned_chair_has_its_backrest_where_it_is_turned(scene):
    """Turned 90 degrees (clockwise), the chair's back is on its right: the backrest reaches the top
    and bottom edges of the box there, the narrower seat leaves the floor showing on the left."""
    set_furniture_labels(scene, False)
    scene.setBackgroundBrush(QColor("#C8D6E5"))
    chair = furniture(scene)["Kursi Pemohon Putar"]
    image = item_image(scene, chair, 0.5)
    w, h = image.width(), image.height()
    for inner, outer in ((14, 5), (h - 15, h - 6)):  # inside the 10 px lines (20 mm)
        assert image.pixelColor(w - 25, inner).name() == "#ffffff"  # the backrest
        assert image.pixelColor(25, outer).name() == "#c8d6e5"  # beside the seat


def test_a_small_piece_with_a_long_name_shows_no_text(scene):
    """The smoke sensor (15 x 15 cm) cannot hold its long name: no label at all, however far one
    zooms in; the desk holds its name whole."""
    items = furniture(scene)
    sensor, desk = items["Sensor Asap Ruang Pelayanan Terpadu Lantai Satu"], items["Meja Kerja"]
    assert sensor._label is None
    with_labels = item_image(scene, sensor, 2.0)
    set_furniture_labels(scene, False)
    without = item_image(scene, sensor, 2.0)
    assert with_labels == without  # nothing but the symbol, at 2 px per mm (a 10 cm letter is 200 px)
    set_furniture_labels(scene, True)
    font, lines, turned = desk._label
    assert " ".join(lines) == "Meja Kerja" and not turned
    shown = item_image(scene, desk, 1.0)
    set_furniture_labels(scene, False)
    assert item_image(scene, desk, 1.0) != shown  # the name is drawn...
    assert FurnitureItem.labels_shown is False


def test_labels_are_left_out_when_too_small_to_read(scene):
    desk = furniture(scene)["Meja Kerja"]
    font = desk._label[0]
    tiny = 5.0 / font.pixelSize()  # the label would be 5 px tall
    with_labels = item_image(scene, desk, tiny * 4)  # 20 px: read
    set_furniture_labels(scene, False)
    assert item_image(scene, desk, tiny * 4) != with_labels
    set_furniture_labels(scene, True)
    small = item_image(scene, desk, tiny)
    set_furniture_labels(scene, False)
    assert item_image(scene, desk, tiny) == small  # 5 px: left out


def test_demo_labels_are_whole_and_inside_their_pieces(demo_window):
    """No name on the demo's plan is cut short or reaches past its piece's box."""
    from PySide6.QtGui import QFontMetricsF

    scene = demo_window.tab_widgets["plan"].view.scene()
    pieces = [i for i in scene.items() if isinstance(i, FurnitureItem)]
    assert len(pieces) > 50
    labelled = 0
    for item in pieces:
        if item._label is None:
            continue
        labelled += 1
        font, lines, turned = item._label
        assert " ".join(lines).split() == item.name.split() and "…" not in "".join(lines)
        fm = QFontMetricsF(font)
        r = item.rect()
        long, short = (r.height(), r.width()) if turned else (r.width(), r.height())
        assert max(fm.horizontalAdvance(line) for line in lines) <= long
        assert fm.height() * len(lines) <= short
    assert labelled > 20


def test_a_resized_piece_redraws_its_symbol_at_the_new_size(scene):
    sofa = furniture(scene)["Sofa Tunggu 3 Dudukan"]
    before = sofa._groups
    sofa.set_box(4000, 1000, 2600, 900, 0)  # a resize preview
    assert sofa._groups is not before and sofa.rect().width() == 2600
    sofa.clear_preview()
    assert sofa._groups is before  # the shared paths of that symbol and size


def test_a_thousand_symbols_are_drawn_at_fit(qtbot, tmp_path):
    """1,000 pieces of furniture of many kinds on a 60 x 40 m floor are all drawn at fit (the time a repaint
    takes is measured in benchmarks/plan_paint_bench.py, not asserted here: a busy machine would fail it)."""
    import csv

    from mpp_planner.resources_path import resource

    path = tmp_path / "many.mpplan"
    project = Project.create(path, site_name="MPP Uji")
    rows = list(csv.DictReader(open(resource("catalog.csv"), encoding="utf-8")))
    with project.edit() as s:
        floor = Floor(name="Lantai 1", order=1)
        floor.rooms.append(Room(name="Aula", kind="waiting_area", outline=rect(0, 0, 60000, 40000)))
        s.add(floor)
        s.flush()
        types = []
        for row in rows:
            t = ItemType(key=row["key"], name=row["name"], category=row["category"], unit="unit",
                         ref_price=Decimal(1), account_code="5.2.02.05.02.0001", tags=row["tags"],
                         seats=int(row["seats"]), width=min(1500, int(row["width"])),
                         depth=min(1500, int(row["depth"])))
            s.add(t)
            types.append(t)
        for n in range(1000):
            s.add(InventoryItem(item_type=types[n % len(types)], floor_id=floor.id, x=1000 + (n % 40) * 1450,
                                y=1000 + (n // 40) * 1500, rotation=(n % 4) * 90))
    project.close()
    window = open_window(qtbot, path)
    try:
        tab = window.tab_widgets["plan"]
        assert len([i for i in tab.view.scene().items() if isinstance(i, FurnitureItem)]) == 1000
        tab.fit()
        view = tab.view
        image = QImage(view.viewport().size(), QImage.Format_ARGB32_Premultiplied)

        def render() -> None:
            image.fill(0)
            painter = QPainter(image)
            view.render(painter)
            painter.end()

        render()
        with_symbols = image.copy()
        for item in tab.view.scene().items():
            if isinstance(item, FurnitureItem):
                item.setVisible(False)
        render()
        changed = sum(1 for y in range(0, image.height(), 2) for x in range(0, image.width(), 2)
                      if image.pixel(x, y) != with_symbols.pixel(x, y))
        assert changed > 5000, changed  # the symbols were drawn: the time is not that of a blank view
    finally:
        window.close()
