"""The findings sheet as a bureau files it: on the project's paper (A4 or F4, or --paper), rules by
their Indonesian names (never an internal id), counts in words ("1 unit Lemari Es"), the cost note
"belum termasuk PPN", and the signatures; an unknown paper is refused with no file."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest
from pypdf import PdfReader

from mpp_planner.cli import main
from mpp_planner.model.paper import PAPERS
from mpp_planner.standards import load_rules
from tests.standards.builders import Mpp

MM = 72.0 / 25.4
RULE_IDS = [r.id for r in load_rules().rules]


def export(path, out, *extra) -> int:
    """The exit status of ``mpp-planner export findings`` (an argument error exits at once with 2)."""
    try:
        return main(["export", "findings", str(path), "-o", str(out), "--date", "2024-01-15", *map(str, extra),
                     "--lang", "en"])
    except SystemExit as exc:
        return int(exc.code or 0)


def text_of(path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(path)).pages)


def sizes_mm(path) -> set[tuple[float, float]]:
    return {(round(float(p.mediabox.width) / MM, 1), round(float(p.mediabox.height) / MM, 1))
            for p in PdfReader(str(path)).pages}


def set_site(path, **values) -> None:
    from mpp_planner.project import Project

    project = Project.open(path)
    try:
        with project.edit():
            for key, value in values.items():
                setattr(project.site, key, value)
    finally:
        project.close()


@pytest.mark.parametrize("paper", ["A4", "F4"])
def test_paper_option_sets_every_page(demo_file, tmp_path, paper):
    out = tmp_path / "temuan.pdf"
    assert export(demo_file, out, "--paper", paper) == 0
    assert sizes_mm(out) == {(PAPERS[paper].width_mm, PAPERS[paper].height_mm)}
    assert len(PdfReader(str(out)).pages) >= 3


def test_the_projects_paper_is_the_default(demo_file, tmp_path):
    set_site(demo_file, paper="F4")
    out = tmp_path / "temuan.pdf"
    assert export(demo_file, out) == 0
    assert sizes_mm(out) == {(215.0, 330.0)}
    assert export(demo_file, tmp_path / "a4.pdf", "--paper", "a4") == 0  # the option wins
    assert sizes_mm(tmp_path / "a4.pdf") == {(210.0, 297.0)}


@pytest.mark.parametrize("paper", ["A3", "A5", "letter"])
def test_unknown_paper_exit_2_and_no_file(demo_file, tmp_path, capsys, paper):
    folder = tmp_path / "out"
    folder.mkdir()
    assert export(demo_file, folder / "temuan.pdf", "--paper", paper) == 2
    err = capsys.readouterr().err
    reason = err.strip().splitlines()[-1]  # argparse shows the usage above the one-line reason
    assert f"paper '{paper}'" in reason and "A4, F4" in reason and "Traceback" not in err
    assert list(folder.iterdir()) == []


def test_no_rule_id_in_the_pdf_or_the_csv(demo_file, tmp_path):
    pdf, table = tmp_path / "temuan.pdf", tmp_path / "temuan.csv"
    assert export(demo_file, pdf) == 0 and export(demo_file, table) == 0
    text = text_of(pdf)
    with open(table, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    flat = " ".join(" ".join(r) for r in rows)
    for rule_id in RULE_IDS:
        assert rule_id not in text and rule_id not in flat, rule_id
    rules = load_rules()
    names = {r.name_id for r in rules.rules}
    assert {r[1] for r in rows[1:]} <= names  # the Aturan column: the rules' Indonesian names
    assert "Aturan: Kamera CCTV di setiap lantai" in text and "Aturan: Alokasi loket kepada instansi" in text


def test_counts_are_words_not_times_signs(demo_file, tmp_path):
    out = tmp_path / "temuan.pdf"
    assert export(demo_file, out) == 0
    text = text_of(out)
    assert " × " not in text and " x " not in text.lower()
    assert "Usulan kebutuhan: 1 unit Lemari Es / Kulkas 2 Pintu" in text
    assert "Lantai 2 memiliki 3 kamera CCTV; diperlukan 5" in text  # "3 × kamera CCTV" reads as Indonesian


def test_cost_note_follows_the_ppn_rate(demo_file, tmp_path):
    out = tmp_path / "temuan.pdf"
    assert export(demo_file, out) == 0
    text = text_of(out)
    assert "harga referensi SSH, belum termasuk PPN 11%" in text
    assert "perkiraan Rp4.000.000 (belum termasuk PPN 11%)" in text
    set_site(demo_file, ppn_rate=Decimal("0"))
    assert export(demo_file, out) == 0
    assert "PPN" not in text_of(out)  # no PPN charged: nothing to note


def test_signatures_close_the_sheet(demo_file, tmp_path):
    from mpp_planner.model import Signatory
    from mpp_planner.project import Project

    project = Project.open(demo_file, readonly=True)
    try:
        people = {s.role: s for s in project.all(Signatory)}
        city = project.site.city
    finally:
        project.close()
    out = tmp_path / "temuan.pdf"
    assert export(demo_file, out) == 0
    last = " ".join(PdfReader(str(out)).pages[-1].extract_text().split())
    assert "Mengetahui," in last and f"{city}, 15 Januari 2024" in last
    assert people["head"].name in last and people["proposer"].name in last
    assert last.index("Mengetahui,") < last.index(people["head"].name)


def test_without_signatories_lines_to_sign_by_hand(empty_project, tmp_path):
    Mpp(empty_project)
    path = empty_project.path
    empty_project.close()
    out = tmp_path / "ok.pdf"
    assert export(path, out) == 0
    text = text_of(out)
    assert "Mengetahui," in text and text.count("(....") == 2 and "15 Januari 2024" in text


def test_a_rule_without_names_is_named_by_its_kind(demo_file, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text('[rules.r_laktasi]\nkind = "room_min_area"\nroom_kinds = ["lactation_room"]\n'
                     'min_area_m2 = 12\n', encoding="utf-8")
    out = tmp_path / "temuan.csv"
    assert export(demo_file, out, "--rules", rules) == 0
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    assert rows and {r[1] for r in rows} == {"Luas minimum ruang"}
    assert "r_laktasi" not in out.read_text(encoding="utf-8-sig")
