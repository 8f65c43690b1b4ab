"""The allocation list in CSV, XLSX and PDF: read back, every counter-and-weekday assignment
exactly once, totals, and bad output paths from the command line."""

import csv
import os
import re
import subprocess
import sys
from collections import Counter as Multiset
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from mpp_planner.cli import main
from mpp_planner.commands import History
from mpp_planner.commands.agencies import AssignAgency
from mpp_planner.model import Agency, Counter
from mpp_planner.model.allocation import load_allocation
from mpp_planner.reports.allocations import collect, render

ROOT = Path(__file__).resolve().parents[2]
EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
ID = ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min")


def parse_days(text, names, workweek):
    """Independent reading of "Mon–Wed, Fri" / "Senin–Jumat" into weekday numbers 0..6."""
    text = text.strip()
    if text == workweek:
        return set(range(5))
    days = set()
    for part in filter(None, (p.strip() for p in text.split(","))):
        if "–" in part:
            a, b = part.split("–")
            days |= set(range(names.index(a), names.index(b) + 1))
        else:
            days.add(names.index(part))
    return days


def expected_triples(project):
    """(agency short name, counter label, weekday) for every assigned day in the model."""
    out = Multiset()
    for line in load_allocation(project.session).agencies:
        for slot in line.slots:
            for d in range(7):
                if slot.weekdays & (1 << d):
                    out[(line.agency.short_name, slot.counter.label, d)] += 1
    return out


def triples_from_cells(short, counters_cell, weekdays_cell, names, workweek):
    out = Multiset()
    cell = ", ".join(g.split(":", 1)[-1] for g in (counters_cell or "").split(";"))  # "Lantai 1: a, b; ..."
    for m in re.finditer(r"\s*([^,(]+?)(?:\s*\(([^)]*)\))?\s*(?:,|$)", cell):
        label = m.group(1).strip().removesuffix("*")  # the mark of a shared counter
        if not label:
            continue
        days = parse_days(m.group(2) if m.group(2) else weekdays_cell, names, workweek)
        for d in days:
            out[(short, label, d)] += 1
    return out


@pytest.fixture
def busy_project(demo_project):
    """The demo plus an agency whose counters have different days and a double booking."""
    h = History(demo_project)
    s = demo_project.session
    kej = s.scalar(select(Agency).where(Agency.short_name == "Kejari"))
    pos = s.scalar(select(Agency).where(Agency.short_name == "Pos"))
    l214 = s.scalar(select(Counter).where(Counter.label == "L2-14"))
    l205 = s.scalar(select(Counter).where(Counter.label == "L2-05"))
    h.push(AssignAgency([l214.id], kej.id, 32))  # Kejari also on Saturday at L2-14
    h.push(AssignAgency([l205.id], pos.id, 16))  # Pos on Friday at L2-05: clashes with Dishub
    l118 = s.scalar(select(Counter).where(Counter.label == "L1-18"))
    h.push(AssignAgency([l118.id], kej.id, 32))  # and Kejari on Lantai 1 too: its counters by floor
    return demo_project


def test_csv_lists_every_assignment_exactly_once(busy_project, tmp_path):
    out = tmp_path / "alokasi.csv"
    render(collect(busy_project, date(2024, 1, 15)), out, "csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    for col in ("Tier", "Agency", "Short name", "Counters", "Floor(s)", "Weekdays", "Services", "Staff",
                "Desk area (m²)"):
        assert col in rows[0]
    got = Multiset()
    for r in rows:
        got += triples_from_cells(r["Short name"], r["Counters"], r["Weekdays"], EN, "Mon–Fri")
    assert got == expected_triples(busy_project)
    assert max(got.values()) == 1
    kej = next(r for r in rows if r["Short name"] == "Kejari")
    assert kej["Counters"] == "Lantai 1: L1-18 (Sat); Lantai 2: L2-05 (Mon–Wed), L2-14 (Sat)"  # data: no marks
    assert kej["Floor(s)"] == "Lantai 1, Lantai 2"
    assert len(rows) == len(busy_project.all(Agency))


def test_xlsx_table_subtotals_and_assignments(busy_project, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "alokasi.xlsx"
    render(collect(busy_project, date(2024, 1, 15)), out, "xlsx")
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == "No")
    header = [c.value for c in ws[header_row]]
    assert ws.freeze_panes == f"A{header_row + 1}"
    assert ws.auto_filter.ref.startswith(f"A{header_row}:")
    assert ws.column_dimensions["C"].width >= 30
    col = {h: i for i, h in enumerate(header)}
    got = Multiset()
    agency_rows, subtotals = [], {}
    for row in ws.iter_rows(min_row=header_row + 1, values_only=True):
        if isinstance(row[0], int):
            agency_rows.append(row)
            got += triples_from_cells(row[col["Short name"]], row[col["Counters"]], row[col["Weekdays"]], EN,
                                      "Mon–Fri")
        elif row[col["Agency"]] and str(row[col["Agency"]]).startswith("Subtotal"):
            subtotals[row[col["Tier"]]] = row
    assert got == expected_triples(busy_project) and max(got.values()) == 1
    alloc = load_allocation(busy_project.session)
    assert len(subtotals) == len(alloc.tiers)
    for tier_label, row in subtotals.items():
        members = [r for r in agency_rows if r[col["Tier"]] == tier_label]
        assert row[col["Staff"]] == sum(r[col["Staff"]] for r in members)
        assert round(row[col["Desk area (m²)"]], 2) == round(sum(r[col["Desk area (m²)"]] for r in members), 2)
    area_cell = ws.cell(header_row + 1, col["Desk area (m²)"] + 1)
    assert area_cell.number_format == "#,##0.00"
    assert [s.title for s in wb.worksheets] == ["Allocation", "Per tier", "Notes"]
    notes = {r[0]: r[1] for r in wb["Notes"].iter_rows(values_only=True)}
    assert "L2-05 on Fri: Dishub, Pos" in notes["Double bookings"] or "L2-05 on Fri: Pos, Dishub" in notes[
        "Double bookings"]
    assert "L2-15" in notes["Counters not yet allocated"] and "L2-14" not in notes["Counters not yet allocated"]


def test_pdf_table_signature_and_plans(busy_project, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "alokasi.pdf"
    render(collect(busy_project, date(2024, 1, 15)), out, "pdf")
    reader = PdfReader(out)
    pages = [p.extract_text() for p in reader.pages]
    text = "\n".join(pages)
    assert "DAFTAR ALOKASI LOKET INSTANSI" in pages[0] and "PEMERINTAH KOTA PROBOLINGGO" in pages[0]
    assert f"Halaman 1 dari {len(pages)}" in pages[0]
    assert "Probolinggo, 15 Januari 2024" in text and "Muhammad Abas" in text and "NIP. 19680512 199403 1 007" in text
    for heading in ("Instansi Pusat/Vertikal", "Pemerintah Kabupaten/Kota", "JUMLAH SELURUHNYA"):
        assert heading in text
    main_part, _sep, appendix = text.partition("LAMPIRAN: DENAH ALOKASI LOKET")
    assert appendix and "Lantai 1" in appendix and "Lantai 2" in appendix
    table = main_part.split("Rekapitulasi per Tingkat Instansi")[0]
    flat = " ".join(table.split())
    alloc = load_allocation(busy_project.session)
    for counter in alloc.counters:
        serving = len(alloc.schedule.get(counter.id, []))
        found = len(re.findall(rf"(?<![\w-]){re.escape(counter.label)}(?![\w-])", flat))
        assert found == serving, (counter.label, found, serving)
    assert len(re.findall(r"L2-05\* \(Sen–Rab\), L2-14 \(Sab\)", flat)) == 1  # Kejari's counters: L2-05 shared
    assert "Jadwal ganda di loket L2-05 hari Jum" in " ".join(text.split())
    # the plan appendix's key names every counter: under each agency serving it, or as not yet allocated
    for counter in alloc.counters:
        expected = len(alloc.schedule.get(counter.id, [])) or 1
        assert len(re.findall(rf"(?<![\w-]){re.escape(counter.label)}(?![\w-])", appendix)) == expected


def test_empty_project_exports(empty_project, tmp_path):
    for fmt in ("csv", "xlsx", "pdf"):
        out = tmp_path / f"kosong.{fmt}"
        render(collect(empty_project), out, fmt)
        assert out.stat().st_size > 0


def run(*args):
    return subprocess.run([sys.executable, "-m", "mpp_planner", "--lang", "en", *args], cwd=ROOT,
                          capture_output=True, text=True)


def test_cli_export_each_format(demo_file, tmp_path):
    for fmt in ("csv", "xlsx", "pdf"):
        out = tmp_path / f"a.{fmt}"
        result = run("export", "allocations", str(demo_file), "-o", str(out), "--date", "2024-01-15")
        assert result.returncode == 0, result.stderr
        assert out.exists() and out.stat().st_size > 200
        assert oct(out.stat().st_mode & 0o044) == oct(0o044)  # readable like any file the user saves


@pytest.mark.parametrize("target, words", [
    ("a.docx", "Unknown output format"),
    ("no/such/folder/a.pdf", "does not exist"),
])
def test_cli_export_bad_output(demo_file, tmp_path, target, words):
    result = run("export", "allocations", str(demo_file), "-o", str(tmp_path / target))
    assert result.returncode == 2
    assert words in result.stderr and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.mpplan"]


def test_cli_export_bad_date_and_not_a_project(demo_file, tmp_path):
    result = run("export", "allocations", str(demo_file), "-o", str(tmp_path / "a.csv"), "--date", "15/01/2024")
    assert result.returncode == 2 and "--date" in result.stderr
    bad = tmp_path / "x.mpplan"
    bad.write_text("hello")
    result = run("export", "allocations", str(bad), "-o", str(tmp_path / "a.csv"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert not (tmp_path / "a.csv").exists()


def test_cli_export_into_a_read_only_folder(demo_file, tmp_path, monkeypatch, capsys):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        real_access = os.access
        # root may write anywhere: make the folder read-only for this check as it is for users
        monkeypatch.setattr(os, "access", lambda p, mode, *a, **k: False if Path(p) == folder
                            else real_access(p, mode, *a, **k))
        assert main(["export", "allocations", str(demo_file), "-o", str(folder / "a.pdf")]) == 2
        assert "read-only" in capsys.readouterr().err
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


@pytest.mark.skipif(not Path("/sys").is_dir() or os.name != "posix", reason="needs a read-only system folder")
def test_cli_export_where_writing_fails_leaves_nothing(demo_file):
    result = run("export", "allocations", str(demo_file), "-o", "/sys/a.csv")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "/sys" in result.stderr and result.stderr.count("\n") == 1
    assert not Path("/sys/a.csv").exists()
