"""The findings report: grouped by severity, each finding with a plan excerpt of its room."""

import csv
from pathlib import Path
from types import SimpleNamespace

from pypdf import PdfReader

from mpp_planner.reports import findings as report
from mpp_planner.standards import Severity
from tests.standards.builders import Mpp


def export(project, out: Path, rules=None):
    report.export(project, out, out.suffix.lstrip("."), SimpleNamespace(rules=rules, date="2024-01-15"))
    return out


def text_of(path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(path)).pages)


def drawn_paths(path) -> int:
    """Filled polygons on the pages: the plan excerpts are vector drawings."""
    import re

    total = 0
    for page in PdfReader(str(path)).pages:
        data = page.get_contents().get_data().decode("latin-1")
        total += len(re.findall(r"(?m)\s(?:f|f\*|B|B\*)\s*$", data))
    return total


def test_demo_findings_pdf_is_grouped_by_severity_with_plan_excerpts(demo_project, tmp_path):
    out = export(demo_project, tmp_path / "temuan.pdf")
    text = text_of(out)
    assert "HASIL PEMERIKSAAN STANDAR SARANA DAN PRASARANA" in text
    assert "Keadaan per 15 Januari 2024" in text
    high, medium, low = (text.index(t) for t in ("Prioritas Tinggi (", "Prioritas Sedang (", "Prioritas Rendah ("))
    assert high < medium < low
    area = text.index("Luas Ruang Laktasi hanya 8,75 m²")  # the message is printed in Indonesian
    assert high < area < medium
    assert text.index("loket tanpa instansi") > low
    assert "Lokasi: Lantai 1 / Ruang Laktasi" in text and "Aturan: Luas ruang laktasi" in text
    assert "lactation_area" not in text  # rules by name, never by internal id
    assert ("Usulan kebutuhan: 1 unit Lemari Es / Kulkas 2 Pintu — perkiraan Rp4.000.000 (belum termasuk PPN "
            "11%)") in text
    # the room's name is drawn in its excerpt, and the excerpts are drawings
    assert text.count("Ruang Laktasi") > 6
    assert drawn_paths(out) > 300


def test_no_findings_says_so(empty_project, tmp_path):
    Mpp(empty_project)
    text = text_of(export(empty_project, tmp_path / "ok.pdf"))
    assert "Tidak ada temuan" in text
    assert "Prioritas Tinggi" in text and "Prioritas Tinggi (" not in text  # only the summary line


def test_findings_csv(demo_project, tmp_path):
    with open(export(demo_project, tmp_path / "temuan.csv"), encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:4] == ["Tingkat", "Aturan", "Lantai", "Ruangan"]
    assert {r[0] for r in rows[1:]} <= {"Tinggi", "Sedang", "Rendah"}
    kulkas = next(r for r in rows if r[5] == "kulkas")
    assert kulkas[3] == "Ruang Laktasi" and kulkas[8] == "4000000.00"
    assert kulkas[1] == "Perlengkapan ruang laktasi" and kulkas[7] == "1 unit Lemari Es / Kulkas 2 Pintu"
    assert rows[0][8] == "Perkiraan biaya (Rp, belum termasuk PPN 11%)"


def test_severity_ranks_high_first():
    assert Severity.HIGH.rank < Severity.MEDIUM.rank < Severity.LOW.rank
