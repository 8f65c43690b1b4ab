"""A second MPP built from nothing, only through `new` and the imports a new user has (agencies, prices,
the architect's DXF, the asset register as SIMDA exports it), then every export and the check: the files
read back and their totals agree with the project. Nothing here comes from the demo."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from mpp_planner.cli import main
from mpp_planner.model import Agency, Counter, Floor, InventoryItem, ItemType, Room
from mpp_planner.project import Project
from tests.importers.test_register_import import register_xlsx

ROOMS = [  # name, x0, y0, x1, y1 in metres (DXF: y up)
    ("Ruang Pelayanan", 0, 0, 20, 12), ("Ruang Tunggu", 20, 0, 32, 12), ("Ruang Laktasi", 32, 0, 36, 4),
    ("Ruang Bermain Anak", 32, 4, 36, 8), ("Toilet Difabel", 32, 8, 36, 12), ("Mushola", 0, 12, 8, 18),
    ("Ruang Rapat", 8, 12, 16, 18),
]
AGENCIES = """name,short_name,tier
Kantor Pelayanan Pajak Pratama Kraksaan,KPP Kraksaan,pusat
Dinas Kependudukan dan Pencatatan Sipil Kabupaten Probolinggo,Dispendukcapil,kab_kota
Bank Jatim Cabang Kraksaan,Bank Jatim,bumd
"""
PRICES = ("Kode;Nama Barang;Satuan;Harga Satuan\n"
          "kulkas;Lemari Es 2 Pintu;unit;4350000\nsofa_menyusui;Sofa;unit;3800000\n")


def architects_dxf(path: Path) -> Path:
    """What the architect sends: rooms as closed polylines on RUANG with their names as TEXT, walls and a
    door on other layers, in metres."""
    import ezdxf

    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 6  # metres
    msp = doc.modelspace()
    for name, x0, y0, x1, y1 in ROOMS:
        msp.add_lwpolyline([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], close=True, dxfattribs={"layer": "RUANG"})
        msp.add_text(name, height=0.3, dxfattribs={"layer": "TEKS-RUANG", "insert": ((x0 + x1) / 2 - 1, (y0 + y1) / 2)})
    msp.add_line((-0.2, -0.2), (36.2, -0.2), dxfattribs={"layer": "DINDING"})
    msp.add_line((-0.2, 18.2), (16.2, 18.2), dxfattribs={"layer": "DINDING"})
    msp.add_arc((20, 6), 0.9, 0, 90, dxfattribs={"layer": "PINTU"})
    doc.saveas(path)
    return path


def cli(*args) -> int:
    return main([str(a) for a in args])


def csv_rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return list(csv.reader(fh))


def money(text: str) -> Decimal:
    return Decimal(text.replace(",", "")) if text else Decimal(0)


@pytest.fixture(scope="module")
def kraksaan(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("kraksaan")
    f = tmp / "MPP Kabupaten Probolinggo.mpplan"
    assert cli("new", f, "--name", "MPP Kabupaten Probolinggo", "--government", "Pemerintah Kabupaten Probolinggo",
               "--office", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "--city", "Kraksaan",
               "--year", "2025") == 0
    (tmp / "instansi.csv").write_text(AGENCIES, encoding="utf-8")
    assert cli("import", "agencies", f, "--from", tmp / "instansi.csv") == 0
    (tmp / "ssh.csv").write_text(PRICES, encoding="utf-8")
    assert cli("import", "prices", f, "--from", tmp / "ssh.csv") == 0
    assert cli("import", "plan", f, "--from", architects_dxf(tmp / "denah lantai 1.dxf"), "--floor", "Lantai 1",
               "--layers", "RUANG") == 0
    rows = [(1, "1.3.2.05.02.04.001", "0001", "Lemari Es / Kulkas 2 Pintu", "Sharp", None, None, "Logam", 2021, 1,
             4350000, "Baik", "Ruang Laktasi", None),
            (2, "1.3.2.05.02.01.030", "0002", "Kursi Rapat", "Chitose", None, None, "Besi", 2019, 10, 4500000,
             "Kurang Baik", "Ruang Rapat", None),
            (3, "1.3.2.05.02.06.057", "0003", "Karpet Sajadah Masjid", None, None, None, "Wol", 2020, 12, 1800000, "B",
             "Mushola", None)]
    assert cli("import", "inventory", f, "--from", register_xlsx(tmp / "KIR 2024.xlsx", rows)) == 0
    # the counters and the budget a manager adds next, through the same commands the screens run
    from mpp_planner.commands import History
    from mpp_planner.commands.agencies import AssignAgency
    from mpp_planner.commands.budget import budget_gaps
    from mpp_planner.commands.inventory import needs_from_findings
    from mpp_planner.commands.plan import PlaceCounter
    from mpp_planner.reads.findings import check_standards

    project = Project.open(f)
    try:
        history = History(project)
        floor = project.all(Floor)[0]
        for i, agency in enumerate(project.all(Agency, Agency.id)):
            history.push(PlaceCounter(floor.id, 2000 + 3000 * i, 3000))
            counter = project.all(Counter, Counter.id)[-1]
            history.push(AssignAgency([counter.id], agency.id))
        result = needs_from_findings(project, check_standards(project).findings)
        history.push(result.command)
        from mpp_planner.reads.budget import open_gaps

        history.push(budget_gaps(project, [g.need.id for g in open_gaps(project)], 2025))
    finally:
        project.close()
    return f


def test_the_new_project_holds_what_was_imported_and_nothing_of_the_demo(kraksaan):
    project = Project.open(kraksaan, readonly=True)
    try:
        site = project.site
        assert (site.name, site.city, site.fiscal_year) == ("MPP Kabupaten Probolinggo", "Kraksaan", 2025)
        rooms = {r.name: r for r in project.all(Room)}
        assert set(rooms) == {name for name, *_ in ROOMS}
        assert abs(rooms["Ruang Pelayanan"].area_m2 - 240) < 0.01
        assert rooms["Ruang Laktasi"].kind == "lactation_room"
        assert {a.short_name for a in project.all(Agency)} == {"KPP Kraksaan", "Dispendukcapil", "Bank Jatim"}
        assert project.session.get(ItemType, project.all(ItemType)[0].id) is not None
        kulkas = next(t for t in project.all(ItemType) if t.key == "kulkas")
        assert kulkas.ref_price == Decimal("4350000")
        items = project.all(InventoryItem)
        assert sum(i.quantity for i in items) == 23
        assert not any("Probolinggo" in r.name for r in rooms.values())  # the demo's rooms are not here
    finally:
        project.close()


def test_every_export_writes_a_file_that_reads_back(kraksaan, tmp_path):
    outputs = {
        ("allocations", "pdf"), ("allocations", "xlsx"), ("allocations", "csv"), ("inventory", "pdf"),
        ("inventory", "xlsx"), ("inventory", "csv"), ("findings", "pdf"), ("findings", "csv"), ("budget", "pdf"),
        ("budget", "xlsx"), ("budget", "csv"), ("plan", "pdf"), ("plan", "dxf"),
    }
    for kind, fmt in sorted(outputs):
        out = tmp_path / f"{kind}.{fmt}"
        extra = ["--year", "2025"] if kind == "budget" else []
        assert cli("export", kind, kraksaan, "-o", out, *extra) == 0, (kind, fmt)
        assert out.stat().st_size > 0
    from pypdf import PdfReader

    for pdf in tmp_path.glob("*.pdf"):
        text = "".join(page.extract_text() or "" for page in PdfReader(pdf).pages)
        assert "Kraksaan" in text or "MPP Kabupaten Probolinggo" in text or "Probolinggo" in text, pdf.name
    import ezdxf

    doc = ezdxf.readfile(tmp_path / "plan.dxf")
    assert len(doc.modelspace().query('LWPOLYLINE[layer=="MPP-RUANG"]')) == len(ROOMS)


def test_totals_agree_with_the_project(kraksaan, tmp_path):
    project = Project.open(kraksaan, readonly=True)
    try:
        from mpp_planner.model import BudgetLine

        lines = [ln for ln in project.all(BudgetLine) if ln.fiscal_year == 2025]
        budget_total = sum(ln.amount for ln in lines)
        counters = project.all(Counter)
        quantities = sum(i.quantity for i in project.all(InventoryItem))
    finally:
        project.close()
    assert lines and budget_total > 0
    assert cli("export", "budget", kraksaan, "--year", "2025", "-o", tmp_path / "b.csv") == 0
    rows = csv_rows(tmp_path / "b.csv")
    header = rows[0]
    amount_col = next(i for i, h in enumerate(header) if h.lower() in ("amount", "jumlah", "jumlah (rp)"))
    listed = [r for r in rows[1:] if r and r[amount_col] and r[0]]
    assert sum(money(r[amount_col]) for r in listed) == budget_total
    assert cli("export", "allocations", kraksaan, "-o", tmp_path / "a.csv") == 0
    assert len(csv_rows(tmp_path / "a.csv")) - 1 >= len(counters) == 3
    assert cli("export", "inventory", kraksaan, "-o", tmp_path / "k.csv") == 0
    kir = csv_rows(tmp_path / "k.csv")
    qty_col = next(i for i, h in enumerate(kir[0]) if h.lower() in ("quantity", "jumlah", "jumlah barang", "qty"))
    assert sum(Decimal(r[qty_col]) for r in kir[1:] if r and r[qty_col]) == quantities


def test_the_check_runs_and_the_plan_round_trips_through_dxf(kraksaan, tmp_path):
    assert cli("check", kraksaan) in (0, 1)
    assert cli("export", "plan", kraksaan, "-o", tmp_path / "kembali.dxf") == 0
    copy = tmp_path / "salinan.mpplan"
    assert cli("new", copy, "--name", "Salinan") == 0
    assert cli("import", "plan", copy, "--from", tmp_path / "kembali.dxf") == 0
    a, b = Project.open(kraksaan, readonly=True), Project.open(copy, readonly=True)
    try:
        areas = {r.name: round(r.area_m2, 2) for r in a.all(Room)}
        assert {r.name: round(r.area_m2, 2) for r in b.all(Room)} == areas
    finally:
        a.close()
        b.close()
