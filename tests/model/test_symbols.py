"""Furniture plan symbols: which symbol a catalog entry gets, and the symbols' geometry (no Qt)."""

from __future__ import annotations

import csv
import math

import pytest

from mpp_planner.model import geometry, symbols
from mpp_planner.model.symbols import DARK, LIGHT, SYMBOLS, placed_paths, symbol_for, symbol_paths
from mpp_planner.resources_path import resource

CATALOG = list(csv.DictReader(open(resource("catalog.csv"), encoding="utf-8")))


def _of(row) -> str:
    return symbol_for(row["key"], row["tags"], row["category"], row["name"], int(row["seats"]))


# --- choosing -----------------------------------------------------------------------------------
EXPECTED = {  # the shipped catalog, as an architect would draw it
    "meja_layanan": "counter", "meja_informasi": "counter", "kursi_petugas": "office_chair",
    "kursi_pemohon": "chair", "kursi_rapat": "chair", "kursi_lipat": "chair", "kursi_menyusui": "chair",
    "kursi_prioritas": "chair", "kursi_plastik": "stool", "kursi_tunggu_3": "seat_row", "kursi_tunggu_4": "seat_row",
    "sofa_tunggu": "sofa", "sofa_menyusui": "sofa", "meja_kerja": "desk", "meja_kecil": "table",
    "meja_rapat": "table_oval", "meja_baca": "table_round", "lemari_arsip": "cabinet", "filing_cabinet": "cabinet",
    "kabinet_bayi": "cabinet", "rak_buku": "shelf", "rak_mainan": "shelf", "kulkas": "refrigerator",
    "wastafel": "sink", "wastafel_portable": "sink", "kasur_bayi": "bed", "matras_bermain": "play_mat",
    "karpet_sajadah": "mat", "ac_split_2pk": "ac", "ac_standing_5pk": "ac_floor", "tv_43": "screen",
    "layar_led_55": "screen", "videotron": "screen", "display_antrian": "screen", "pc": "computer",
    "printer": "printer", "scanner": "printer", "dispenser": "dispenser", "tempat_sampah": "bin",
    "tempat_sampah_pilah": "bin", "apar": "extinguisher", "cctv": "round_device", "nvr": "equipment",
    "kursi_roda": "wheelchair", "ramp": "ramp", "guiding_block": "guide_strip", "grab_bar": "bar",
    "tirai": "curtain", "banner_stand": "banner", "papan_maklumat": "panel", "partisi": "panel",
    "kios_antrian": "kiosk", "kios_skm": "kiosk", "kipas_angin": "fan", "bean_bag": "beanbag",
    "perosotan": "toys", "sound_system": "speaker",
}


@pytest.mark.parametrize("row", CATALOG, ids=lambda r: r["key"])
def test_every_catalog_entry_gets_a_symbol_it_can_draw(row):
    symbol = _of(row)
    assert symbol in SYMBOLS
    if row["key"] in EXPECTED:
        assert symbol == EXPECTED[row["key"]]
    if int(row["seats"]) or "chair" in row["tags"] or row["category"] == "Meja & Kursi":
        assert symbol != symbols.GENERIC, "seats and tables are never drawn as bare boxes"


def test_the_catalog_is_mostly_drawn_as_symbols():
    generic = [row["key"] for row in CATALOG if _of(row) == symbols.GENERIC]
    assert len(generic) <= 3, generic


@pytest.mark.parametrize("name, tags, category, seats, expected", [
    ("Kursi Tunggu Besi", "", "", 3, "seat_row"),
    ("Waiting bench 3 seats", "", "", 3, "bench"),
    ("Office chair", "", "", 0, "office_chair"),
    ("Dining chair", "", "", 0, "chair"),
    ("Kursi Kerja Putar", "", "", 0, "office_chair"),
    ("Tanaman Hias dalam Pot", "", "Dekorasi", 0, "plant"),
    ("Potted plant", "", "", 0, "plant"),
    ("Kloset Duduk", "", "Sanitasi", 0, "toilet"),
    ("Toilet", "", "", 0, "toilet"),
    ("Water dispenser", "", "", 0, "dispenser"),
    ("Lemari Es 1 Pintu", "", "", 0, "refrigerator"),
    ("Lemari Pakaian", "", "", 0, "cabinet"),
    ("Loker Karyawan 12 Pintu", "", "", 0, "cabinet"),
    ("TV LED 55 inci", "", "", 0, "screen"),
    ("Meja Bundar", "", "", 0, "table_round"),
    ("Round table", "", "", 0, "table_round"),
    ("Single bed", "", "", 0, "bed"),
    ("Trash bin", "", "", 0, "bin"),
    ("Fire extinguisher", "", "", 0, "extinguisher"),
    ("Bangku Taman", "", "", 0, "bench"),
    ("AC Cassette", "", "", 0, "ac"),
    ("Wastafel Keramik", "", "", 0, "sink"),
    ("Kasur Busa", "", "", 0, "bed"),
    ("Sofa 2 Dudukan", "", "", 2, "sofa"),
])
def test_indonesian_and_english_words_choose_the_symbol(name, tags, category, seats, expected):
    assert symbol_for("", tags, category, name, seats) == expected


def test_the_category_counts_only_when_the_name_says_nothing():
    # "Meja & Kursi" names both a table and a chair: the name decides
    assert symbol_for("x1", "", "Meja & Kursi", "Meja Kecil") == "table"
    assert symbol_for("x2", "", "Meja & Kursi", "Kursi Lipat") == "chair"
    assert symbol_for("x3", "", "Meja & Kursi", "Barang Lain") == "chair"  # the category is all there is


def test_unknown_kinds_fall_back_to_a_box_or_an_equipment_box():
    assert symbol_for("", "", "Lain-lain", "Barang Aneh") == symbols.GENERIC
    assert symbol_for("", "", "Elektronik", "Alat Aneh") == "equipment"
    assert symbol_paths("no such symbol", 600, 400) == symbol_paths(symbols.GENERIC, 600, 400)


def test_symbol_of_reads_an_item_type():
    from mpp_planner.model import ItemType

    t = ItemType(key="kulkas_kecil", name="Kulkas Mini", category="Ibu & Anak", tags="", seats=0)
    assert symbols.symbol_of(t) == "refrigerator"


# --- geometry -----------------------------------------------------------------------------------
SIZES = [(600, 600), (1800, 600), (450, 450), (2400, 1200), (300, 3300), (1000, 100), (120, 80)]


@pytest.mark.parametrize("symbol", SYMBOLS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_symbols_stay_inside_their_box(symbol, size):
    w, d = size
    paths = symbol_paths(symbol, w, d)
    assert paths
    for p in paths:
        assert len(p.points) >= (3 if p.closed and p.fill else 2)
        assert p.fill in (LIGHT, DARK, None) and p.weight in (symbols.THIN, symbols.NORMAL)
        for x, y in p.points:
            assert -w / 2 - 1e-6 <= x <= w / 2 + 1e-6 and -d / 2 - 1e-6 <= y <= d / 2 + 1e-6, (x, y)
        if p.fill:  # filled outlines turn one way: nested ones (a basin in a sink) fill together
            assert geometry.polygon_area_mm2(p.points) > 0
            area2 = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(p.points, p.points[1:] + p.points[:1]))
            assert area2 >= 0


def test_symbols_are_not_plain_boxes():
    """Each symbol draws something a bare box does not: more paths, or a shape that is not the box."""
    box = symbol_paths(symbols.GENERIC, 800, 600)
    for symbol in SYMBOLS:
        if symbol == symbols.GENERIC:
            continue
        paths = symbol_paths(symbol, 800, 600)
        assert paths != box, symbol


def test_curves_look_round_at_1_50():
    """At 1:50 a 0.03 mm chord error on paper is 1.5 mm on the plan: the middle of every chord of a
    round table stays that close to the circle."""
    rim = symbol_paths("table_round", 1200, 1200)[0].points
    for (x0, y0), (x1, y1) in zip(rim, rim[1:] + rim[:1]):
        assert math.hypot(x0, y0) == pytest.approx(600, abs=1e-6)
        assert 600 - math.hypot((x0 + x1) / 2, (y0 + y1) / 2) <= 1.5 + 1e-6
    small = symbol_paths("stool", 300, 300)[0].points
    assert 12 <= len(small) <= len(rim) <= 96


def test_a_row_of_seats_has_one_chair_per_seat():
    assert len(symbol_paths("seat_row", 2400, 650)) == 4 * 2  # seat and backrest each
    assert len(symbol_paths("seat_row", 1800, 600)) == 3 * 2
    cushions = [p for p in symbol_paths("sofa", 2000, 800) if not p.closed]
    assert len(cushions) == 1 + 2  # the arms and back, two cushion joints


def test_the_backrest_is_at_the_back():
    seat, back = symbol_paths("chair", 500, 550)
    assert max(y for _x, y in back.points) < max(y for _x, y in seat.points)
    assert min(y for _x, y in back.points) == pytest.approx(-275)


def test_paths_are_cached_per_symbol_and_size():
    assert symbol_paths("sofa", 2000, 800) is symbol_paths("sofa", 2000, 800)
    assert symbol_paths("sofa", 2000, 800) is not symbol_paths("sofa", 2100, 800)
    assert symbol_paths("chair", 0, 500) == ()


@pytest.mark.parametrize("rotation", [0, 30, 90, 180, 270])
def test_placed_paths_turn_and_move_like_the_box(rotation):
    x, y, w, d = 5000, 3000, 900, 400
    placed = placed_paths(symbols.GENERIC, x, y, w, d, rotation)
    corners = geometry.box_corners(x, y, w, d, rotation)
    assert len(placed) == 1
    assert sorted((round(px, 6), round(py, 6)) for px, py in placed[0].points) == \
        sorted((round(px, 6), round(py, 6)) for px, py in corners)


def test_placed_chair_faces_where_it_is_turned():
    """A chair turned 90 degrees (clockwise on screen) has its back on the right of its centre."""
    seat, back = placed_paths("chair", 1000, 1000, 500, 500, 90)
    assert min(px for px, _py in back.points) > 1000
    assert geometry.bounds(list(back.points))[2] == pytest.approx(1250)


# --- where the name goes ------------------------------------------------------------------------
def _crosses(path, zone) -> bool:
    """Whether a line of ``path`` runs through the inside of ``zone`` (x0, y0, x1, y1), sampled."""
    x0, y0, x1, y1 = zone
    pts = list(path.points) + ([path.points[0]] if path.closed else [])
    for (ax, ay), (bx, by) in zip(pts, pts[1:]):
        for k in range(41):
            x, y = ax + (bx - ax) * k / 40, ay + (by - ay) * k / 40
            if x0 + 1 < x < x1 - 1 and y0 + 1 < y < y1 - 1:
                return True
    return False


@pytest.mark.parametrize("symbol", sorted(symbols.ZONES))
@pytest.mark.parametrize("size", [(600, 600), (500, 550), (1800, 600), (2400, 650), (1200, 600), (2000, 800),
                                  (1200, 4800), (4800, 1200), (900, 900), (400, 700), (1050, 300), (970, 100),
                                  (2400, 1200), (1200, 800)],
                         ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_label_box_is_clear_of_the_symbols_lines(symbol, size):
    w, d = size
    cx, cy, zw, zd = symbols.label_box(symbol, w, d)
    zone = (cx - zw / 2, cy - zd / 2, cx + zw / 2, cy + zd / 2)
    assert -w / 2 - 1e-6 <= zone[0] <= zone[2] <= w / 2 + 1e-6 and -d / 2 - 1e-6 <= zone[1] <= zone[3] <= d / 2 + 1e-6
    for path in symbol_paths(symbol, w, d):
        assert not _crosses(path, zone), (symbol, path)


def test_the_label_box_of_a_plain_box_is_the_box():
    assert symbols.label_box(symbols.GENERIC, 800, 600) == (0, 0, 800, 600)
    assert symbols.label_box("cabinet", 900, 450) == (0, 0, 900, 450)
    cx, cy, zw, zd = symbols.label_box("desk", 1200, 600)
    assert cx == 0 and cy > 0 and zw == 1200 and zd < 600  # before the screen
    assert symbols.label_box("extinguisher", 300, 300)[2:] == (0, 0)  # never over its dark middle
