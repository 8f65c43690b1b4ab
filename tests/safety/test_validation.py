"""Validation at the model boundary: every field a user can set is validated; random values are
either accepted (and read back from disk unchanged) or refused with ValidationError — never
another exception — and a refused value leaves the file and the open project unchanged."""

import shutil
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mpp_planner.store.file import SCHEMA_HEAD
from mpp_planner.commands import History, SetFields
from mpp_planner.model import (AccountCode, Agency, ChangeLog, ChecklistTick, Annotation, Base, BudgetCeiling,
                               BudgetLine, Counter, CounterAssignment, Floor, FloorBackground, FloorUnderlay,
                               InventoryItem, ItemType, Need, Room, Service, Signatory, Site, SubActivity, SurveyAction,
                               SurveyPeriod, SurveyResponse, Underlay, ValidationError, Visit, VisitFinding, Wall,
                               WallOpening)
from mpp_planner.project import Project

from tests.safety.dump import dump_file, dump_memory

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / f"schema-{SCHEMA_HEAD}.mpplan"
PNG = FIXTURE.read_bytes()[:0] or bytes.fromhex("89504e470d0a1a0a0000000d49484452")
STATS = {"validation": 0, "accepted": 0, "refused": 0}

from mpp_planner.model.survey import default_questionnaire  # noqa: E402

SANE = {
    AccountCode: {"code": "5.2.02.05.01.0005", "name": "Belanja Modal Meja"},
    Agency: {"colour": "#1f4e99", "contact_person": "Andi", "email": "a@b.go.id", "mou_date": date(2024, 1, 31),
             "mou_number": "180/1/2024", "name": "Dinas Sosial", "notes": "catatan\nbaris dua", "phone": "0335-1",
             "short_name": "Dinsos", "tier": "kab_kota"},
    Annotation: {"font_size": 300, "kind": "text", "text": "Pintu", "x1": -5000, "x2": 0, "y1": 100, "y2": 999_999},
    BudgetCeiling: {"amount": Decimal("1500000000.00"), "year": 2030},
    BudgetLine: {"account_code": "5.1.02.01.01.0024", "approved_amount": None, "description": "Kursi & Meja <b>",
                 "factors": [["2", "Unit"], ["12", "Bulan"]], "fiscal_year": 2025, "justification": "perlu",
                 "ppn_rate": Decimal("11"), "priority": 3, "specification": "", "status": "approved", "unit": "Unit",
                 "unit_price": Decimal("1250000.50"), "ppn_applied": False, "position": 7,
                 "standard_price_code": "1.1.7.01.03.01.001.00012", "sub_activity_id": 3},
    Counter: {"depth": 800, "label": "L-09", "notes": "", "rotation": 45.5, "staff_count": 2, "width": 1600,
              "x": 1234, "y": -50},
    CounterAssignment: {"weekdays": 31},
    Floor: {"name": "Lantai 3", "order": 3},
    FloorBackground: {"image": PNG, "image_format": "png", "mm_per_px": 2.5, "origin_x": 10, "origin_y": -10,
                      "opacity": 0.75, "visible": False},
    FloorUnderlay: {"source": "denah.dxf", "data": Underlay().encode(), "layers": ["DINDING", "0"], "entities": 12,
                    "visible": True, "printed": False},
    InventoryItem: {"brand_model": "Chitose", "condition": "RB", "depth": 600, "material": "besi", "notes": "",
                    "purchase_price": Decimal("99.99"), "quantity": Decimal("3"), "register_code": "02.06",
                    "rotation": 270.0, "serial_no": "SN1", "size": "120x60", "width": 1200, "x": 5, "y": 6,
                    "year": 2020, "asset_code": "1.3.2.05.01.05.001"},
    ItemType: {"account_code": "5.2.02.05.01.0005", "category": "Mebel", "depth": 500, "key": "meja-2",
               "name": "Meja", "ref_price": Decimal("1500000"), "seats": 4, "specification": "kayu",
               "tags": "table  public", "unit": "unit", "width": 1200, "standard_price_code": "",
               "allowed_accounts": ["5.2.02.05.01.0005", "5.1.02.01.01.0024"], "asset_code": "1.3.2.05.02.06.002"},
    Need: {"quantity": Decimal("2"), "reason": "kurang", "source": "standard", "rule_id": "R-01"},
    Room: {"kind": "waiting_area", "location_code": "L1-02", "name": "Ruang Tunggu", "officer_name": "Siti",
           "officer_nip": "1985 0505 2010 01 2 002", "outline": [[0, 0], [5000, 0], [5000, 4000]]},
    Service: {"name": "Paspor"},
    Signatory: {"name": "Budi", "nip": "", "rank": "Penata", "role": "goods_admin", "title": "Pengurus Barang"},
    Site: {"address": "Jl. Suroyo 1", "budget_title": "USULAN {mpp} {year}", "city": "Probolinggo",
           "capitalisation_threshold": Decimal("500000"), "paper": "f4", "decree_title": "Keputusan Kepala DPMPTSP",
           "decree_number": "503/12/425.117/2024", "decree_date": date(2024, 1, 2),
           "fiscal_year": 2025, "government_name": "PEMKOT", "name": "MPP Kota", "operator_office": "DPMPTSP",
           "ppn_rate": Decimal("12"), "province": "Jawa Timur", "upt_name": "UPT", "letterhead": ["A", "B"],
           "logo": PNG},
    SubActivity: {"fiscal_year": 2025, "code": "2.18.01.2.07.0005", "name": "Pengadaan Mebel",
                  "affair": "URUSAN WAJIB", "affair_field": "PENANAMAN MODAL", "program": "PROGRAM PENUNJANG",
                  "activity": "Pengadaan BMD", "organisation": "2.18.0.00.0.00.01.0000 DPMPTSP", "unit": "UPT MPP",
                  "funding_source": "PAD", "location": "Kota Probolinggo", "schedule": "Januari s.d. Desember",
                  "output_indicator": "Jumlah Paket Mebel yang Disediakan", "output_target": "12 Paket",
                  "allocation_prev": None, "allocation_next": Decimal("150000000"), "position": 0},
    ChecklistTick: {"key": "laktasi.pintu_terkunci", "ticked": False, "date": date(2024, 2, 1),
                    "checked_by": "Rina", "note": "kunci rusak"},
    Wall: {"points": [[0, 0], [4000, 0], [4000, 3000]], "thickness": 150},
    WallOpening: {"kind": "double_door", "offset": 2000, "width": 1600, "hinge": "end", "side": "right"},
    SurveyPeriod: {"name": "2024 Semester I", "start_date": date(2024, 1, 1), "end_date": date(2024, 6, 30),
                   "population": 12000, "questionnaire": list(default_questionnaire()), "notes": "", "position": 1},
    SurveyResponse: {"number": 17, "date": date(2024, 3, 5), "gender": "P", "age_band": "31-40 tahun",
                     "education": "S1", "occupation": "Wiraswasta", "answers": [4, 3, "3", None, 4, 4, 3, 2, 1],
                     "note": ""},
    SurveyAction: {"unsur": 9, "action": "Tambah kursi tunggu", "owner": "Kasubag Umum",
                   "deadline": date(2024, 9, 30), "status": "in_progress"},
    Visit: {"date": date(2024, 2, 29), "notes": "", "office": "KemenPAN-RB", "visitor": "Tim"},
    VisitFinding: {"planned_year": 2026, "status": "done", "text": "Perlu kursi roda"},
    ChangeLog: {"at": datetime(2024, 3, 5, 8, 15), "user": "alice", "computer": "PC-UPT-01", "table_name": "room",
                "row_key": "3/7", "verb": "update", "command": "Move counter L-01", "fields": ["x", "y"]},
}

# a few values every validator must refuse with a message (kinds of bad input)
BAD = {
    # control characters are normalised (tests/safety/test_control_characters.py); a name of nothing else is empty
    (Agency, "name"): ["", "   ", "x" * 201, "\u200b\r\n\t\x00\ufeff", "Dinas\ud800", ["Dinas"], b"Dinas"],
    (Agency, "short_name"): ["\u202e\u2066\x85", "x" * 55 + "\u200b" * 10 + "y" * 6],
    (Agency, "mou_date"): ["31-01-2024", "2024-02-30", date(1850, 1, 1), 20240101, "kemarin"],
    (Agency, "colour"): ["red", "#12345", "#GGGGGG"],
    (Agency, "tier"): ["kecamatan", None],
    (Signatory, "nip"): ["12345", "1970010119900310011", "19700101199003100A"],
    (ItemType, "account_code"): ["5.2", "5-2-02", "5.2.02.05.01.001", "abc"],
    (ItemType, "ref_price"): [Decimal("-1"), "-0.01", Decimal("1E16"), float("nan"), float("inf"), "Rp 5.000", None],
    (InventoryItem, "quantity"): [Decimal("-1"), 100_001, "abc", float("nan")],
    (Counter, "x"): [float("nan"), float("inf"), 10 ** 400, 1_000_001, "1e3", Decimal("1.5"), b"1"],
    (Counter, "width"): [0, 49, 100_001, -1600],
    (Counter, "rotation"): [float("nan"), "lurus", 10 ** 400],
    (Room, "outline"): [[], [[0, 0], [1, 1]], [[0, 0], [100, 0], [0, 100], [100, 100]], 5, "0,0 1,1 2,2",
                        [[0, 0], [10, 0], [20, 0]], [[0, 0]] * 1001],
    (BudgetLine, "factors"): [[], 5, "2 Unit", [["0", "Unit"]], [["x", "Unit"]], [["1", "U"]] * 5],
    (BudgetLine, "priority"): [0, 4, 2.5],
    (BudgetLine, "ppn_rate"): [Decimal("100.01"), Decimal("-1")],
    (BudgetLine, "ppn_applied"): ["yes", 2, None],
    (Visit, "date"): [None, "2024-13-01", datetime(2201, 1, 1)],
    (FloorBackground, "opacity"): [1.5, -0.1, float("nan")],
    (FloorBackground, "mm_per_px"): [0, -2, float("inf")],
    (FloorBackground, "image"): [b"", "gambar.png", None],
    (FloorUnderlay, "data"): ["bukan bytes", None],
    (Site, "capitalisation_threshold"): [-1, "banyak", None],
    (FloorUnderlay, "entities"): [-1, "banyak"],
    (FloorUnderlay, "layers"): ["DINDING", [""], None],
    (Site, "letterhead"): ["satu baris", [["x"]], ["a"] * 9],
    (Site, "logo"): ["logo.png", 5],
    (CounterAssignment, "weekdays"): [0, 128, "Senin", -1],
    (BudgetCeiling, "year"): [1999, 2101, "tahun"],
    (BudgetLine, "standard_price_code"): ["1.1..7", "kode harga", "1." * 40, ".1.2"],
    (BudgetLine, "sub_activity_id"): [None, 0, "satu"],
    (ItemType, "asset_code"): ["1.3.2.05.01.05", "1.3.2.5.1.5.1", "13205010500", "1.3.2.05.01.05.0001"],
    (ItemType, "allowed_accounts"): ["5.2.02", ["5.2"], [["5.2.02"]]],
    (InventoryItem, "asset_code"): ["kode", "1.3.2.05.01.05.01"],
    (SubActivity, "code"): ["2.18.01.2.07.05", "2.18.01.07.0005", "", "X.XX.01.2.07.0005", None],
    (SubActivity, "name"): ["", "x" * 301],
    (SubActivity, "allocation_next"): [-1, "banyak"],
    (Site, "paper"): ["Letter", "A5", "", None, "A3"],
    (SurveyResponse, "answers"): [[4] * 8, [5] * 9, [0] * 9, ["empat"] * 9, "443344334", [True] * 9, [2.5] * 9],
    (SurveyResponse, "gender"): ["X", "laki-laki"],
    (SurveyPeriod, "name"): ["", "x" * 101],
    (SurveyPeriod, "questionnaire"): [[], [{"name": "A", "question": "?", "answers": ["a", "b", "c"]}] * 9, "U1"],
    (SurveyPeriod, "population"): [0, -5, "banyak"],
    (SurveyAction, "unsur"): [0, 10, "sarana"],
    (SurveyAction, "status"): ["selesai"],
    (ChecklistTick, "key"): ["", "pintu terkunci", "a" * 61],
    (ChecklistTick, "ticked"): ["ya", 2, None],
    (Wall, "points"): [[[0, 0]], [[0, 0], [0, 0]], [[0, 0], [50, 0]], [[0, 0], [2_000_000, 0]], "0,0 1,1",
                       [[0, 0], [True, 5]], [[0, 0, 0], [1, 1, 1]]],
    (Wall, "thickness"): [0, 49, 1001, float("nan"), "tebal"],
    (WallOpening, "kind"): ["pintu", ""],
    (WallOpening, "offset"): [-1, float("inf"), "tengah"],
    (WallOpening, "width"): [299, 6001, None],
    (WallOpening, "hinge"): ["kiri", None],
    (WallOpening, "side"): ["dalam", ""],
    (ChangeLog, "at"): ["kemarin", date(2024, 1, 1), None],
    (ChangeLog, "table_name"): ["ruangan", ""],
    (ChangeLog, "verb"): ["rename", ""],
    (ChangeLog, "fields"): ["x", [1], None],
    (ChangeLog, "row_key"): ["", "x" * 101],
    (Site, "decree_date"): ["2 Januari 2024", "2024-02-30"],
}


def validated_fields():
    out = []
    for mapper in sorted(Base.registry.mappers, key=lambda m: m.class_.__name__):
        for key in sorted(mapper.validators):
            out.append((mapper.class_, key))
    return out


FIELDS = validated_fields()


def test_every_user_settable_column_is_validated():
    """Ids and links are the database's business; every other column goes through a validator."""
    missing = []
    for mapper in Base.registry.mappers:
        for prop in mapper.column_attrs:
            col = prop.columns[0]
            if prop.key in ("id", "row_version") or col.foreign_keys:  # row_version: the ORM's (version_id_col)
                continue
            if prop.key not in mapper.validators:
                missing.append(f"{mapper.class_.__name__}.{prop.key}")
    assert missing == []


def test_every_validated_field_has_a_sane_value():
    assert {(c, f) for c, f in FIELDS} == {(c, f) for c, fields in SANE.items() for f in fields}


@pytest.mark.parametrize("cls, field", FIELDS, ids=lambda x: getattr(x, "__name__", x))
def test_sane_value_is_accepted(cls, field):
    obj = cls()
    setattr(obj, field, SANE[cls][field])


@pytest.mark.parametrize("cls, field, value", [(c, f, v) for (c, f), vs in BAD.items() for v in vs],
                         ids=lambda x: getattr(x, "__name__", repr(x)[:20]))
def test_bad_value_is_refused_with_a_message(cls, field, value):
    with pytest.raises(ValidationError) as err:
        setattr(cls(), field, value)
    assert err.value.message and err.value.field


def test_datetime_and_iso_text_become_dates():
    v = Visit()
    v.date = datetime(2024, 5, 1, 13, 30)
    assert type(v.date) is date and v.date == date(2024, 5, 1)
    v.date = "2024-05-02"
    assert v.date == date(2024, 5, 2)


ANYTHING = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(-10 ** 30, 10 ** 30).map(lambda i: i * 10 ** 300),
    st.floats(), st.decimals(), st.text(), st.text(alphabet=st.characters(codec="utf-8")).map(str.upper),
    st.text(max_size=3).map(lambda t: "5.2.02" + t), st.from_regex(r"\A\d{1,20}\Z"),
    st.from_regex(r"\A#[0-9a-fA-F]{6}\Z"), st.from_regex(r"\A-?\d{1,7}([.,]\d{1,3})?\Z"),
    st.binary(max_size=64), st.dates(), st.datetimes(), st.dates().map(date.isoformat),
    st.lists(st.integers(-10 ** 7, 10 ** 7), max_size=4),
    st.lists(st.lists(st.integers(-10 ** 6, 10 ** 6), min_size=2, max_size=2), max_size=8),
    st.lists(st.tuples(st.from_regex(r"\A\d{1,4}\Z"), st.text(max_size=8)), max_size=5),
    st.lists(st.text(max_size=20), max_size=10), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    path = tmp_path_factory.mktemp("val") / "v.mpplan"
    shutil.copy2(FIXTURE, path)
    p = Project.open(path)
    from mpp_planner.store.file import make_engine

    p.reader = make_engine(path, readonly=True)  # another reader of the same file: what is on disk
    yield p
    p.reader.dispose()
    p.close()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.sampled_from(FIELDS), value=ANYTHING)
def test_random_values_are_accepted_or_refused_and_refusals_change_nothing(project, target, value):
    cls, field = target
    STATS["validation"] += 1
    # the bare model: accepted, or a ValidationError — nothing else
    try:
        setattr(cls(), field, value)
    except ValidationError:
        pass
    # through an edit of the open project: refused edits leave disk and memory as they were
    obj = project.session.scalars(select(cls).limit(1)).one()
    before = dump_file(project.path, project.reader)
    try:
        with project.edit():
            setattr(obj, field, value)
    except (ValidationError, IntegrityError):
        STATS["refused"] += 1
        assert dump_file(project.path, project.reader) == before
        assert dump_memory(project) == before
        return
    STATS["accepted"] += 1
    # accepted: what memory holds is exactly what a fresh read of the file shows
    assert dump_memory(project) == dump_file(project.path, project.reader)


@pytest.mark.parametrize("cls, field, value", [
    (Counter, "width", -5), (Agency, "name", ""), (Site, "fiscal_year", 1800),
    (BudgetLine, "unit_price", "banyak"), (Room, "outline", [[0, 0], [1, 1]]),
])
def test_refused_command_is_not_pushed_and_changes_nothing(project, cls, field, value):
    obj = project.session.scalars(select(cls).limit(1)).one()
    ident = project.session.identity_key(instance=obj)[1]
    history = History(project)
    before = dump_file(project.path, project.reader)
    with pytest.raises(ValidationError):
        history.push(SetFields("edit", cls, {ident if len(ident) > 1 else ident[0]: {field: value}}))
    assert history.done == []
    assert dump_file(project.path, project.reader) == before and dump_memory(project) == before


def test_report_validation_examples(capsys):
    with capsys.disabled():
        print(f"\n[validation fuzz] {STATS['validation']} random values tried "
              f"({STATS['accepted']} accepted, {STATS['refused']} refused)")
