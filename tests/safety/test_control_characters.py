"""Control characters in every text field (issue 23): a carriage return in an agency name made the PNG plan
export fail in Pillow's raqm layout. The text rule of ``mpp_planner/model/base.py`` — single-line fields get
line breaks and tabs as one space, multi-line fields keep line breaks as LF, zero-width, bidi and other control
characters go, NFC — holds for every text column whatever wrote it: the validators, the column types (Core
statements, files written before the rule), the commands, every importer; and every export of a project
holding such text succeeds, as does the PNG of an old file that still has a raw CR in it."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import sys
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import String, Text, insert, select, update

from mpp_planner.cli import main
from mpp_planner.commands import History, SetFields
from mpp_planner.commands.agencies import EditAgency
from mpp_planner.model import Agency, Base, Room, Site
from mpp_planner.model.base import MultiLine, SingleLine, multi_line, one_line
from mpp_planner.project import Project
from tests.safety.test_validation import SANE

#: every character the rule must not let through as it is (controls, format characters, line/paragraph separators)
CONTROLS = [chr(cp) for cp in range(sys.maxunicode + 1)
            if unicodedata.category(chr(cp)) in ("Cc", "Cf", "Zl", "Zp")]
#: what people paste: a Mac CSV's CR, Windows CRLF, a tab from a spreadsheet, zero-width and bidi marks from web
#: pages and PDFs, a BOM from Notepad, NEL from an old mainframe export, decomposed accents
NASTY = ["\r", "\r\n", "\n", "\t", "\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\u200b", "\u200c", "\u200d",
         "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
         "\u2069", "\ufeff", "\x00", "\x01", "\x1b", "\x1f", "\x7f", "\x80", "\x9f", "\u00ad", "\u2060"]
KEEPS_BREAK = "\r\n\x0b\x0c\x85\u2028\u2029"  # what multi-line text keeps as a line break
TEXT_WITH_CONTROLS = st.text(st.one_of(st.characters(exclude_categories=("Cs",)), st.sampled_from(CONTROLS + [" "])),
                             max_size=40)
FUZZ = settings(max_examples=200, deadline=None)


def invisible(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")


def assert_clean(text: str, *, lines: bool) -> None:
    assert not any(invisible(ch) and not (lines and ch == "\n") for ch in text), repr(text)


# --- the rule -------------------------------------------------------------------------------------------
def test_every_control_and_format_character_is_removed_or_becomes_a_space_or_line_break():
    for ch in CONTROLS:
        single, multi = one_line(f"a{ch}b"), multi_line(f"a{ch}b")
        assert single == ("a b" if ch in KEEPS_BREAK + "\t" else "ab"), repr(ch)
        assert multi == ("a\nb" if ch in KEEPS_BREAK else "a b" if ch == "\t" else "ab"), repr(ch)


@pytest.mark.parametrize("raw, single, multi", [
    ("Dinas\rSosial", "Dinas Sosial", "Dinas\nSosial"),
    ("  Dinas \r\n\t Sosial  ", "Dinas Sosial", "Dinas\n  Sosial"),  # a line's indent is the writer's
    ("Catatan satu\r\nbaris dua \u2028baris\ttiga", "Catatan satu baris dua baris tiga",
     "Catatan satu\nbaris dua\nbaris tiga"),
    ("\ufeffBPJS\u200b Kese\u00adhatan\u202e", "BPJS Kesehatan", "BPJS Kesehatan"),
    ("\u2066Polres\u2069\x00 Kota\x1b", "Polres Kota", "Polres Kota"),
    ("Cafe\u0301", "Caf\u00e9", "Caf\u00e9"),  # decomposed accent composed (NFC)
    ("a\x85b", "a b", "a\nb"),
    ("\r\n\t\u200b", "", ""),
])
def test_examples(raw, single, multi):
    assert one_line(raw) == single and multi_line(raw) == multi


@FUZZ
@given(text=TEXT_WITH_CONTROLS)
def test_normalised_text_has_no_control_character_and_stays_as_it_is(text):
    single, multi = one_line(text), multi_line(text)
    assert_clean(single, lines=False)
    assert_clean(multi, lines=True)
    assert one_line(single) == single and multi_line(multi) == multi  # idempotent: the column types change nothing
    assert "  " not in single and single == single.strip()
    assert unicodedata.is_normalized("NFC", single) and unicodedata.is_normalized("NFC", multi)
    assert one_line(multi) == single  # a multi-line text read as one line is the single-line text


# --- the validators: normalise, never refuse what they would take without the controls --------------------
def text_fields():
    out = []
    for mapper in sorted(Base.registry.mappers, key=lambda m: m.class_.__name__):
        for prop in mapper.column_attrs:
            col = prop.columns[0]
            if isinstance(col.type, (SingleLine, MultiLine)) and prop.key in mapper.validators:
                out.append((mapper.class_, prop.key, isinstance(col.type, MultiLine)))
    return out


TEXT_FIELDS = text_fields()


def test_every_text_column_has_a_normalising_type():
    """A plain String/Text column would let a Core statement store a control character; the one exception is
    the account code key (digits and dots only, checked by its pattern), which a type must not rewrite."""
    plain = [f"{t.name}.{c.name}" for t in Base.metadata.sorted_tables for c in t.columns
             if type(c.type) in (String, Text)]
    assert plain == ["account_code.code"]
    assert len(TEXT_FIELDS) > 90  # every name, code and note of every model


@pytest.mark.parametrize("cls, field, lines", TEXT_FIELDS, ids=lambda x: getattr(x, "__name__", str(x)))
def test_text_field_normalises_control_characters(cls, field, lines):
    sane = SANE[cls][field]
    clean = cls()
    setattr(clean, field, sane)
    dirty = cls()
    setattr(dirty, field, "\ufeff\u200b" + sane + "\u202e\r\n\t\x85")  # around a valid value: dropped
    assert getattr(dirty, field) == getattr(clean, field)
    free = cls()
    try:
        setattr(free, field, "Satu Dua Tiga")
    except Exception:  # a code, a key or a choice: its own pattern decides
        return
    setattr(free, field, "Sa\u200btu\r\nDua\t\u2066Tiga\u2069")
    assert getattr(free, field) == ("Satu\nDua Tiga" if lines else "Satu Dua Tiga")


def test_length_is_counted_after_normalising():
    agency = Agency()
    agency.short_name = "x" * 55 + "\u200b" * 10  # 65 characters typed, 55 kept: within the 60 allowed
    assert agency.short_name == "x" * 55


@FUZZ
@given(text=TEXT_WITH_CONTROLS)
def test_any_text_is_stored_clean_or_refused_as_empty(text):
    from mpp_planner.model import ValidationError

    agency = Agency()
    try:
        agency.name = text
    except ValidationError as exc:
        assert not one_line(text) and exc.field == "name"
        return
    assert agency.name == one_line(text)
    agency.notes = text
    assert agency.notes == multi_line(text)


# --- the column types: Core statements and old files --------------------------------------------------------
def raw(path, sql):
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_core_statements_that_skip_the_validators_store_normalised_text(empty_project):
    p = empty_project
    with p.edit() as s:
        s.execute(insert(Agency).values(name="Dinas\rSosial\u200b", short_name="Din\tsos", tier="kab_kota",
                                        notes="satu\r\ndua\u2028tiga\tempat\u202e"))
        s.execute(update(Site).values(name="MPP\x85Kota", letterhead=["PEMERINTAH\rKOTA\u200b", "DPMPTSP"]))
    assert raw(p.path, "SELECT name, short_name, notes FROM agency") == [
        ("Dinas Sosial", "Din sos", "satu\ndua\ntiga empat")]
    name, letterhead = raw(p.path, "SELECT name, letterhead FROM site")[0]
    assert name == "MPP Kota" and json.loads(letterhead) == ["PEMERINTAH\nKOTA", "DPMPTSP"]


def write_old_rows(path: Path) -> None:
    """What a file written before the text rule may hold: raw control characters, put there with sqlite3."""
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE agency SET name = 'Kantor Pajak' || char(13) || 'Pratama', "
                    "short_name = 'KPP' || char(13) || char(10) || 'Pratama' WHERE id = 1")
        con.execute("UPDATE agency SET name = name || char(8238) || char(9), short_name = char(65279) || short_name "
                    "WHERE id = 2")
        con.execute("UPDATE service SET name = name || char(8203) || char(13)")
        con.execute("UPDATE room SET name = replace(name, ' ', char(9))")
        con.execute("UPDATE counter SET label = label || char(133)")
        con.execute("UPDATE item_type SET name = replace(name, ' ', char(13))")
        con.execute("UPDATE inventory_item SET notes = 'cat' || char(13) || 'atan' || char(1)")
        con.execute("UPDATE budget_line SET description = replace(description, ' ', char(8232)), "
                    "justification = 'baris' || char(13) || 'dua' || char(12)")
        con.execute("UPDATE signatory SET name = replace(name, ' ', char(9))")
        con.execute("UPDATE site SET name = 'MPP' || char(8233) || 'Kota Probolinggo', "
                    "address = 'Jl. Suroyo' || char(13) || char(10) || 'No. 1' || char(11), "
                    "letterhead = '[\"PEMERINTAH\\rKOTA\\u200bPROBOLINGGO\", \"DPMPTSP\"]'")
    con.close()


@pytest.fixture(scope="module")
def old_file(demo_master, tmp_path_factory):
    path = tmp_path_factory.mktemp("old") / "lama.mpplan"
    shutil.copy2(demo_master, path)
    write_old_rows(path)
    assert "\r" in raw(path, "SELECT name FROM agency WHERE id = 1")[0][0]
    return path


def test_an_old_file_reads_as_normalised_text(old_file):
    p = Project.open(old_file, readonly=True)
    try:
        kpp = p.session.get(Agency, 1)
        assert (kpp.name, kpp.short_name) == ("Kantor Pajak Pratama", "KPP Pratama")
        assert p.site.name == "MPP Kota Probolinggo" and p.site.address == "Jl. Suroyo\nNo. 1"
        assert p.site.letterhead == ["PEMERINTAH\nKOTAPROBOLINGGO", "DPMPTSP"]
        assert all("\t" not in r.name for r in p.session.scalars(select(Room)))
    finally:
        p.close()


def test_an_old_file_with_a_carriage_return_exports_the_png_plan(old_file, tmp_path, capsys):
    """The reported crash: ``RuntimeError: raqm_layout() failed``, exit 1, no PNG."""
    out = tmp_path / "denah.png"
    assert main(["export", "plan", str(old_file), "-o", str(out), "--dpi", "60"]) == 0, capsys.readouterr().err
    sheets = sorted(tmp_path.glob("denah*.png"))
    assert sheets and all(Image.open(s).size[0] > 100 for s in sheets)


# --- the printing backends stay defensive (text that never was in a file: options, DXF texts, old blobs) ----
def sheet_with(texts: list[str]):
    from mpp_planner.reports.plan_primitives import Page, PText

    items = [PText(5.0, 8.0 + 6.0 * i, t, 4.0, bool(i % 2), "#000000", ("start", "middle", "end")[i % 3],
                   30.0 * (i % 2)) for i, t in enumerate(texts)]
    return Page(60.0, 8.0 + 6.0 * len(texts), items, "Denah\r1", "A1\u202e")


def test_png_and_svg_draw_control_characters_as_one_line():
    from mpp_planner.reports.plan_png import render
    from mpp_planner.reports.plan_svg import svg_text

    texts = [f"Dinas{c}Sosial" for c in NASTY] + ["Loket\ud800 1", "\r\n", "baris\nsatu\ndua"]
    image = render(sheet_with(texts), 100)
    assert image.getextrema() != ((255, 255), (255, 255), (255, 255))  # the names were drawn
    root = ET.fromstring(svg_text(sheet_with(texts)))  # well-formed XML: no C0 control, no lone surrogate
    drawn = [el.text or "" for el in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Dinas Sosial" in drawn and "DinasSosial" in drawn and "baris satu dua" in drawn
    assert all(not any(invisible(ch) for ch in t) for t in drawn)


@settings(max_examples=60, deadline=None)
@given(text=TEXT_WITH_CONTROLS)
def test_png_draws_any_text(text):
    from mpp_planner.reports.plan_png import render

    render(sheet_with([text, text]), 60)


def test_png_plan_with_a_control_character_in_an_option(demo_file, tmp_path, capsys):
    """--drawing-number refuses C0 controls but not NEL (U+0085), which raqm cannot lay out either."""
    out = tmp_path / "denah.png"
    assert main(["export", "plan", str(demo_file), "-o", str(out), "--floor", "Lantai 1", "--dpi", "60",
                 "--drawing-number", "MPP\x8501\u202e", "--drawn-by", "Budi\x85Santoso"]) == 0, \
        capsys.readouterr().err
    assert list(tmp_path.glob("denah*.png"))


# --- commands (what the GUI runs) ---------------------------------------------------------------------------
def test_commands_store_normalised_text_and_undo_restores_it(demo_file):
    p = Project.open(demo_file)
    try:
        history = History(p)
        history.push(EditAgency(1, {"name": "Kantor\rPajak\u200b Pratama", "notes": "satu\r\ndua\ttiga\u2029"}))
        history.push(SetFields("edit", Room, {1: {"name": "Ruang\tLaktasi\u202e"}}))
        assert raw(demo_file, "SELECT name, notes FROM agency WHERE id = 1") == [
            ("Kantor Pajak Pratama", "satu\ndua tiga")]
        assert raw(demo_file, "SELECT name FROM room WHERE id = 1") == [("Ruang Laktasi",)]
        before = p.session.get(Agency, 2).name
        with pytest.raises(Exception, match="already"):  # a zero-width space does not make another name
            history.push(EditAgency(2, {"name": "Kantor Pajak\u200b Pratama"}))
        assert p.session.get(Agency, 2).name == before
        history.undo()
        history.undo()
        assert raw(demo_file, "SELECT name FROM agency WHERE id = 1")[0][0] != "Kantor Pajak Pratama"
        history.redo()
        assert raw(demo_file, "SELECT name FROM agency WHERE id = 1") == [("Kantor Pajak Pratama",)]
    finally:
        p.close()


# --- every importer, then every export --------------------------------------------------------------------
def write_csv(path: Path, rows) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


def nasty_dxf(path: Path) -> Path:
    import ezdxf

    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for layer in ("RUANG\u200b", "TEKS\u202e", "DIN\tDING", "GARIS\u2028B"):
        doc.layers.add(layer)
    msp.add_lwpolyline([(0, 0), (5000, 0), (5000, 4000), (0, 4000)], close=True, dxfattribs={"layer": "RUANG\u200b"})
    msp.add_text("Ruang\u200bArsip\u202e\tB", dxfattribs={"layer": "RUANG\u200b", "insert": (2000, 2000),
                                                         "height": 300})
    msp.add_text("catatan\u2028x\x85y", dxfattribs={"layer": "TEKS\u202e", "insert": (6000, 2000), "height": 300})
    msp.add_mtext("baris satu\\Pbaris\tdua\u200b", dxfattribs={"layer": "DIN\tDING", "insert": (6000, 5000),
                                                               "char_height": 300})
    msp.add_line((0, 5000), (5000, 5000), dxfattribs={"layer": "GARIS\u2028B"})
    doc.saveas(path)
    return path


def imports(d: Path, target: Path) -> list[list[str]]:
    """One command per importer, each file holding control characters in its text cells."""
    run = str(target)
    main(["export", "budget", run, "-o", str(d / "usulan.csv"), "--year", "2024", "--date", "2023-12-01"])
    main(["export", "survey", run, "-o", str(d / "skm.csv"), "--period", "2024 Semester I"])
    budget = list(csv.reader((d / "usulan.csv").open(encoding="utf-8-sig")))
    head, line = budget[0], budget[1]
    for column, text in (("Uraian", "Isi\rUlang\u200b APAR"), ("Spesifikasi", "spek\r\nbaris\u2028dua\ttab\u202e"),
                         ("Keterangan", "ket\x85erangan\ufeff")):
        line[head.index(column)] = text
    survey = list(csv.reader((d / "skm.csv").open(encoding="utf-8-sig")))
    head_s, form = survey[0], survey[1]
    form[head_s.index("catatan")] = "saran\r\nbaris\u2029dua\x85\u202e"
    form[head_s.index("pekerjaan")] = "Peg\rawai\u200b"
    agency, service = head_s.index("instansi"), head_s.index("layanan")  # looked up in the register: still found
    form[agency] = form[agency][:3] + "\u200b" + form[agency][3:] + "\r\n"
    form[service] = "\ufeff" + form[service].replace(" ", "\t")
    return [
        ["agencies", "--from", str(write_csv(d / "instansi.csv", [
            ["nama", "singkatan", "tingkat", "narahubung", "keterangan", "layanan"],
            ["Dinas\rKoperasi\u200b Kota", "Dis\tKop", "kota", "Bu\u202eSri", "satu\r\ndua\u2028tiga\x85empat\tlima",
             "KTP\u2066 baru\u2069; KK\ufeff"]]))],
        ["accounts", "--from", str(write_csv(d / "rekening.csv", [
            ["kode", "nama"], ["5.2.02.05.01.0099\u200b", "Belanja\rModal\tKhusus\u202e"]]))],
        ["prices", "--create-unmatched", "--from", str(write_csv(d / "ssh.csv", [
            ["kode_standar_harga", "nama_standar_harga", "spek", "satuan", "harga", "kode_akun"],
            ["1.1.7.01.03.01.001.09999", "Rak\rArsip\u200b Besi", "Spek\r\nbaris\tdua\u2029tiga", "unit\u200b",
             "1500000", "5.2.02.05.01.0005"]]))],
        ["inventory", "--from", str(write_csv(d / "kir.csv", [
            ["ruangan", "kode", "jumlah", "merk", "keterangan"],
            ["Ruang\u200b Laktasi", "meja_kerja", "2", "Meja\rMerk\u200b", "cat\r\natan\x85x\u202e"]]))],
        ["budget", "--year", "2024", "--from", str(write_csv(d / "baris.csv", [head, line]))],
        ["survey", "--period", "2025\u200b Semester\rI", "--create-period",
         "--from", str(write_csv(d / "formulir.csv", [head_s, form]))],
        ["plan", "--floor", "Lantai\r3", "--layers", "RUANG", "--from", str(nasty_dxf(d / "denah.dxf"))],
    ]


def scan_text(path: Path) -> list[tuple[str, str, str]]:
    """Every text value in the file (JSON lists opened) holding a control character other than a line break."""
    bad = []

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            for v in value:
                yield from strings(v)
        elif isinstance(value, dict):
            for v in value.values():
                yield from strings(v)

    con = sqlite3.connect(path)
    try:
        for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            cols = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
            for row in con.execute(f'SELECT * FROM "{table}"'):  # noqa: S608 - the file's own tables
                for col, value in zip(cols, row):
                    if not isinstance(value, str):
                        continue
                    texts = [value]
                    if value[:1] in "[{":
                        try:
                            texts = list(strings(json.loads(value)))
                        except ValueError:
                            pass
                    bad += [(table, col, t) for t in texts if any(invisible(ch) and ch != "\n" for ch in t)]
    finally:
        con.close()
    return bad


@pytest.fixture(scope="module")
def imported(demo_master, tmp_path_factory):
    """The demo with text holding control characters from every importer and from the commands."""
    d = tmp_path_factory.mktemp("nasty")
    target = d / "proyek.mpplan"
    shutil.copy2(demo_master, target)
    for argv in imports(d, target):
        assert main(["import", argv[0], str(target), *argv[1:]]) == 0, argv[0]
    p = Project.open(target)
    try:
        History(p).push(EditAgency(1, {"name": "Kantor\rPajak\u200b Pratama", "short_name": "KPP\u202e\tPratama",
                                       "notes": "satu\r\ndua"}))
    finally:
        p.close()
    return target


def test_every_importer_stores_normalised_text(imported):
    assert scan_text(imported) == []
    assert raw(imported, "SELECT short_name, notes FROM agency WHERE name = 'Dinas Koperasi Kota'") == [
        ("Dis Kop", "satu\ndua\ntiga\nempat lima")]
    assert raw(imported, "SELECT name FROM service WHERE name LIKE 'KTP%' OR name = 'KK' ORDER BY name") == [
        ("KK",), ("KTP baru",)]
    assert raw(imported, "SELECT name FROM account_code WHERE code = '5.2.02.05.01.0099'") == [
        ("Belanja Modal Khusus",)]
    assert raw(imported, "SELECT name, specification FROM item_type WHERE name = 'Rak Arsip Besi'") == [
        ("Rak Arsip Besi", "Spek\nbaris dua\ntiga")]
    assert ("Meja Merk", "cat\natan\nx") in raw(imported, "SELECT brand_model, notes FROM inventory_item")
    assert ("Isi Ulang APAR", "spek\nbaris\ndua tab") in raw(imported, "SELECT description, specification "
                                                                      "FROM budget_line")
    assert raw(imported, "SELECT occupation, note FROM survey_response WHERE note LIKE 'saran%'") == [
        ("Peg awai", "saran\nbaris\ndua")]
    assert raw(imported, "SELECT name FROM survey_period WHERE name LIKE '2025%'") == [("2025 Semester I",)]
    assert raw(imported, "SELECT name FROM floor WHERE name LIKE 'Lantai 3'") == [("Lantai 3",)]
    assert raw(imported, "SELECT r.name FROM room r JOIN floor f ON f.id = r.floor_id WHERE f.name = 'Lantai 3'") == [
        ("RuangArsip B",)]
    layers = json.loads(raw(imported, "SELECT layers FROM floor_underlay")[0][0])
    assert layers == ["DIN DING", "GARIS B", "TEKS"]
    p = Project.open(imported, readonly=True)
    try:
        from mpp_planner.model.underlay import FloorUnderlay

        drawing = p.session.scalars(select(FloorUnderlay)).one().drawing()
        assert sorted({t.layer for t in drawing.texts} | {x.layer for x in drawing.paths}) == layers
        assert sorted(t.text for t in drawing.texts) == ["baris satu\nbaris dua", "catatan\nx\ny"]
    finally:
        p.close()


EXPORTS = [
    ["allocations", ".csv"], ["allocations", ".xlsx"], ["allocations", ".pdf"],
    ["inventory", ".pdf"], ["inventory", ".xlsx"], ["inventory", ".csv"],
    ["findings", ".pdf"], ["findings", ".csv"],
    ["budget", ".pdf"], ["budget", ".xlsx"], ["budget", ".csv"], ["budget", ".pdf", "--form", "rka"],
    ["budget", ".xlsx", "--form", "rka"], ["budget", ".xlsx", "--form", "sipd"], ["budget", ".csv", "--form", "sipd"],
    ["survey", ".pdf"], ["survey", ".xlsx"], ["survey", ".csv"], ["survey", ".pdf", "--poster"],
    ["plan", ".pdf"], ["plan", ".svg"], ["plan", ".png"], ["plan", ".dxf"],
]
OPTIONS = {"budget": ["--year", "2024", "--date", "2023-12-01"], "survey": ["--period", "2025 Semester I"]}


def check_output(path: Path) -> None:
    """The file is what its kind says and carries no control character where a reader would trip on it."""
    kind = path.suffix
    if kind == ".csv":
        text = path.read_text(encoding="utf-8-sig")
        assert "\x00" not in text
        for row in csv.reader(io.StringIO(text, newline="")):
            assert all(not any(invisible(ch) and ch != "\n" for ch in cell) for cell in row), row
    elif kind == ".xlsx":
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.endswith(".xml"):
                    ET.fromstring(z.read(name))  # XML 1.0 holds no C0 control
    elif kind == ".pdf":
        assert path.read_bytes().startswith(b"%PDF")
    elif kind == ".svg":
        ET.fromstring(path.read_bytes())
    elif kind == ".dxf":
        import ezdxf

        ezdxf.readfile(path)


@pytest.mark.parametrize("argv", EXPORTS, ids=lambda a: "-".join(x.lstrip("-") for x in a))
def test_every_export_of_a_project_holding_such_text_succeeds(imported, tmp_path, capsys, argv):
    kind, suffix, *extra = argv
    extra = [*extra, *OPTIONS.get(kind, []), *(["--dpi", "50"] if suffix == ".png" else [])]
    out = tmp_path / f"keluaran{suffix}"
    assert main(["export", kind, str(imported), "-o", str(out), *extra]) == 0, capsys.readouterr().err
    written = sorted(tmp_path.glob(f"keluaran*{suffix}"))
    assert written
    for path in written:
        check_output(path)


OLD_EXPORTS = [["allocations", ".csv"], ["allocations", ".xlsx"], ["allocations", ".pdf"], ["inventory", ".pdf"],
               ["budget", ".xlsx"], ["plan", ".svg"], ["plan", ".dxf"]]


@pytest.mark.parametrize("argv", OLD_EXPORTS, ids=lambda a: "-".join(x.lstrip("-") for x in a))
def test_exports_of_an_old_file_succeed(old_file, tmp_path, capsys, argv):
    kind, suffix = argv
    out = tmp_path / f"keluaran{suffix}"
    extra = ["--year", "2024", "--date", "2023-12-01"] if kind == "budget" else []
    assert main(["export", kind, str(old_file), "-o", str(out), *extra]) == 0, capsys.readouterr().err
    for path in sorted(tmp_path.glob(f"keluaran*{suffix}")):
        check_output(path)
    if suffix == ".csv":
        assert "Kantor Pajak Pratama" in out.read_text(encoding="utf-8-sig")
