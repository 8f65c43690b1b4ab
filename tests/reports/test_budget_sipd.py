"""The rincian in SIPD's field set (issue 17): CSV and XLSX read back field by field."""

import csv
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from mpp_planner.commands import budget as cmd
from mpp_planner.model import BudgetLine, Floor, Room
from mpp_planner.reports import budget_sipd
from mpp_planner.reports.budget_sipd import FIELDS, plain
from tests.helpers import rect

PROCUREMENT = "2.18.01.2.07.0006"
MAINTENANCE = "2.18.01.2.09.0006"
SSH = "1.1.7.01.03.01.001.00012"
FRIDGE, SERVICE, BOOKS, REJECTED = ("Kulkas ASI Uji 2 Pintu", "Servis AC Uji", "Buku Bacaan Uji", "Videotron Uji")


def add_sample_lines(project, year=2024) -> str:
    """Four lines of known content on top of the demo's (which may change): one with a room and an SSH code,
    one of two factors with a volume of three decimals, a price with sen, PPN 12 % and text that starts like a formula,
    one of four factors without PPN, and a rejected one. Returns the room's name."""
    subs = {s.code: s for s in cmd.sub_activities_of_year(project, year)}
    room = min(project.all(Room, Room.name), key=lambda r: (r.name != "Ruang Laktasi", r.name))
    rate = project.site.ppn_rate
    start = max((b.position for b in cmd.lines_of_year(project, year)), default=0)
    rows = [
        dict(sub_activity=subs[PROCUREMENT], account_code="5.2.02.05.02.0004", description=FRIDGE,
             specification="Kulkas 2 pintu, 250 liter", room_id=room.id, factors=[["1", "Unit"]], unit="Unit",
             unit_price=Decimal("4000000"), standard_price_code=SSH, justification="Penyimpanan ASI perah."),
        dict(sub_activity=subs[MAINTENANCE], account_code="5.1.02.03.02.0121", description=SERVICE,
             specification="- freon R32, 2 PK", factors=[["1.125", "Unit"], ["4", "Kali"]], unit="Unit",
             unit_price=Decimal("175000.55"), ppn_rate=Decimal("12"), justification=""),
        dict(sub_activity=subs[PROCUREMENT], account_code="5.2.05.01.01.0001", description=BOOKS,
             specification="Buku anak", room_id=room.id, unit="Buah", unit_price=Decimal("85000"),
             factors=[["2", "Rak"], ["10", "Buah"], ["3", "Judul"], ["0.5", "Paket"]], ppn_applied=False,
             justification="Pojok baca; buku dibebaskan PPN."),
        dict(sub_activity=subs[PROCUREMENT], account_code="5.2.02.05.02.0004", description=REJECTED,
             factors=[["6", "m2"]], unit="m2", unit_price=Decimal("22000000"), status="rejected"),
    ]
    with project.edit() as s:
        for i, values in enumerate(rows, start=1):
            s.add(cmd.new_line(project, year, position=start + i, **{"ppn_rate": rate, **values}))
    return room.name


def read_csv(path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def by_item(rows, description):
    found = [r for r in rows if r["nama_komponen"] == description]
    assert len(found) == 1, description
    return found[0]


def line(project, description) -> BudgetLine:
    return next(b for b in cmd.lines_of_year(project, 2024) if b.description == description)


def requested(project, year=2024) -> list[BudgetLine]:
    return [b for b in cmd.lines_of_year(project, year) if b.status != "rejected"]


def test_csv_has_the_sipd_fields_and_one_row_per_requested_line(demo_project, tmp_path):
    room = add_sample_lines(demo_project)
    out = budget_sipd.write(demo_project, tmp_path / "rincian.csv", "csv", year=2024)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    assert raw.decode("utf-8-sig").splitlines()[0] == ",".join(FIELDS)
    rows = read_csv(out)
    lines = requested(demo_project)
    assert len(rows) == len(lines) > 4
    assert not [r for r in rows if r["nama_komponen"] == REJECTED]  # rejected: not requested
    total = sum((Decimal(r["rincian"]) for r in rows), Decimal(0))
    assert total == sum((b.amount for b in lines), Decimal(0))

    fridge = by_item(rows, FRIDGE)
    assert (fridge["kode_sub_kegiatan"], fridge["kode_akun"], fridge["kode_standar_harga"]) == \
        (PROCUREMENT, "5.2.02.05.02.0004", SSH)
    assert fridge["nama_akun"] == "Belanja Modal Alat Pendingin"  # the official name, from the account list
    assert (fridge["spek_komponen"], fridge["satuan"]) == ("Kulkas 2 pintu, 250 liter", "Unit")
    assert (fridge["harga_satuan"], fridge["vol_1"], fridge["sat_1"], fridge["vol_2"], fridge["sat_2"]) == \
        ("4000000", "1", "Unit", "", "")
    assert (fridge["koefisien"], fridge["pajak"], fridge["rincian"]) == ("1 Unit", "11", "4440000")
    assert fridge["subs_bl_teks"] == f"[#] {room}"
    assert fridge["ket_bl_teks"] == "Penyimpanan ASI perah."
    # two factors: vol_n / sat_n one to one, koefisien as text; sen kept; no room, no heading
    service = by_item(rows, SERVICE)
    assert [service[f] for f in ("vol_1", "sat_1", "vol_2", "sat_2", "vol_3", "sat_3")] == \
        ["1.1250", "Unit", "4", "Kali", "", ""]
    assert service["koefisien"] == "1,125 Unit x 4 Kali" and service["kode_sub_kegiatan"] == MAINTENANCE
    assert (service["harga_satuan"], service["pajak"], service["rincian"]) == \
        ("175000.55", "12", "882002.78")  # 787.502,48 + 12 % = 94.500,30
    assert service["subs_bl_teks"] == "" and service["spek_komponen"] == "'- freon R32, 2 PK"  # formula-safe
    # no PPN: pajak 0, rincian = koefisien x harga; four factors
    books = by_item(rows, BOOKS)
    assert (books["pajak"], books["rincian"]) == ("0", "2550000")
    assert [books[f"vol_{n}"] for n in range(1, 5)] == ["2", "10", "3", "0.5"]
    assert books["koefisien"] == "2 Rak x 10 Buah x 3 Judul x 0,5 Paket"
    # sub kegiatan by sub kegiatan, then by account code
    keys = [(r["kode_sub_kegiatan"], tuple(int(p) for p in r["kode_akun"].split("."))) for r in rows]
    assert keys == sorted(keys)


def test_one_sub_kegiatan_and_the_refusals(demo_project, tmp_path):
    out = budget_sipd.write(demo_project, tmp_path / "pemeliharaan.csv", "csv", year=2024, sub_activity=MAINTENANCE)
    rows = read_csv(out)
    assert rows and {r["kode_sub_kegiatan"] for r in rows} == {MAINTENANCE}
    assert len(rows) == len([b for b in requested(demo_project) if b.sub_activity.code == MAINTENANCE])
    with pytest.raises(ValueError, match="no sub kegiatan 2.18.01.2.07.0005"):
        budget_sipd.write(demo_project, tmp_path / "x.csv", "csv", year=2024, sub_activity="2.18.01.2.07.0005")
    with pytest.raises(ValueError, match="no budget lines"):
        budget_sipd.write(demo_project, tmp_path / "x.csv", "csv", year=2031)
    assert not (tmp_path / "x.csv").exists()


def test_xlsx_one_sheet_numbers_as_numbers_header_bold_and_frozen(demo_project, tmp_path):
    add_sample_lines(demo_project)
    with demo_project.edit():
        line(demo_project, BOOKS).specification = "=HYPERLINK(\"http://x\")"  # never run as a formula
    out = budget_sipd.write(demo_project, tmp_path / "rincian.xlsx", "xlsx", year=2024)
    wb = load_workbook(out)
    assert wb.sheetnames == ["rincian"]
    ws = wb["rincian"]
    assert [c.value for c in ws[1]] == list(FIELDS)
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1"
    assert ws.print_area == f"'rincian'!$A$1:$U${ws.max_row}"  # nothing spills past ket_bl_teks on paper
    assert ws.max_row == len(requested(demo_project)) + 1
    col = {name: i for i, name in enumerate(FIELDS)}
    rows = {r[col["nama_komponen"]].value: r for r in ws.iter_rows(min_row=2)}
    fridge = rows[FRIDGE]
    for name in ("harga_satuan", "vol_1", "pajak", "rincian"):
        assert isinstance(fridge[col[name]].value, (int, float)), name
    assert fridge[col["harga_satuan"]].value == 4000000 and fridge[col["rincian"]].value == 4440000
    assert fridge[col["vol_2"]].value is None and fridge[col["sat_2"]].value in (None, "")
    service = rows[SERVICE]
    assert service[col["vol_1"]].value == pytest.approx(1.125) and service[col["koefisien"]].value == \
        "1,125 Unit x 4 Kali"
    assert service[col["harga_satuan"]].number_format == "#,##0.00"
    assert Decimal(str(service[col["rincian"]].value)) == line(demo_project, SERVICE).amount
    spec = rows[BOOKS][col["spek_komponen"]]
    assert spec.data_type == "s" and spec.value.startswith("'=")


def test_plain_numbers_never_look_like_a_thousands_group():
    assert [plain(Decimal(v)) for v in ("4000000.00", "1500.50", "0.25", "12", "1.125", "0.125", "11.00")] == \
        ["4000000", "1500.5", "0.25", "12", "1.1250", "0.1250", "11"]


def test_a_room_name_on_two_floors_gets_its_floor_in_the_heading(demo_project, tmp_path):
    name = add_sample_lines(demo_project)
    floor_name = line(demo_project, FRIDGE).room.floor.name
    with demo_project.edit() as s:
        floor = Floor(name="Lantai 3", order=3)
        floor.rooms.append(Room(name=name, kind="lactation_room", outline=rect(0, 0, 3000, 4000)))
        s.add(floor)
    rows = read_csv(budget_sipd.write(demo_project, tmp_path / "r.csv", "csv", year=2024))
    assert by_item(rows, FRIDGE)["subs_bl_teks"] == f"[#] {name} ({floor_name})"
