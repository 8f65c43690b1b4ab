"""Counted messages read right for one ("1 rejected line is …", not "1 rejected lines are …"; issue 23):
every ``ngettext`` pair has both English forms in the catalogue (Indonesian has one form), and the sites
that count lines, forms, links and agencies pick the singular for 1."""

import ast
import string
from pathlib import Path

import pytest

from mpp_planner import i18n
from mpp_planner.i18n_catalog import PACKAGE, po_path, read_po


def ngettext_pairs() -> list[tuple[str, str, str]]:
    """(where, singular, plural) of every ngettext call with two literal forms in the package."""
    pairs = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and len(node.args) >= 2
                    and getattr(node.func, "id", getattr(node.func, "attr", None)) == "ngettext"):
                continue
            singular, plural = node.args[:2]
            if isinstance(singular, ast.Constant) and isinstance(plural, ast.Constant) \
                    and isinstance(singular.value, str) and isinstance(plural.value, str):
                pairs.append((f"{path.relative_to(PACKAGE.parent)}:{node.lineno}", singular.value, plural.value))
    return pairs


def fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


@pytest.fixture
def indonesian():
    i18n.set_language("id")
    yield
    i18n.set_language("en")


def test_every_plural_pair_is_in_the_catalogue_with_both_forms():
    catalogue = read_po(po_path("id"))
    assert "Plural-Forms: nplurals=1; plural=0;" in po_path("id").read_text(encoding="utf-8")
    pairs = ngettext_pairs()
    assert len(pairs) >= 20
    for where, singular, plural in pairs:
        assert catalogue.get(singular) and catalogue.get(plural), where
        assert fields(singular) == fields(plural) == fields(catalogue[singular]) == fields(catalogue[plural]), where


@pytest.mark.parametrize("singular, plural, one, many, indonesian_one", [
    ("{n} rejected line is not part of the request and is not printed.",
     "{n} rejected lines are not part of the request and are not printed.",
     "1 rejected line is not part of the request and is not printed.",
     "2 rejected lines are not part of the request and are not printed.",
     "1 baris yang ditolak tidak termasuk usulan dan tidak dicetak."),
    ("{n} link to lost rows cleared", "{n} links to lost rows cleared", "1 link to lost rows cleared",
     "2 links to lost rows cleared", "1 tautan ke baris yang hilang dikosongkan"),
])
def test_ngettext_picks_the_form_and_translates_both(singular, plural, one, many, indonesian_one):
    assert i18n.ngettext(singular, plural, 1).format(n=1) == one
    assert i18n.ngettext(singular, plural, 2).format(n=2) == many
    i18n.set_language("id")
    try:
        assert i18n.ngettext(singular, plural, 1).format(n=1) == indonesian_one
        assert i18n.ngettext(singular, plural, 2).format(n=2) == indonesian_one.replace("1 ", "2 ", 1)
    finally:
        i18n.set_language("en")


def test_budget_tab_counts_its_one_rejected_line(qtbot, demo_file):
    from mpp_planner.qt.budget.tab import BudgetTab
    from tests.helpers import open_for_screen

    with open_for_screen(demo_file) as (project, signals, stack):  # the demo's 2024 has one rejected line
        tab = BudgetTab(project, signals, stack)
        qtbot.addWidget(tab)
        text = tab.totals.text()
        tab.close()
    assert "1 rejected line is not part of the request and is not printed." in text
    assert "rejected lines" not in text


def test_repair_report_counts_one_link():
    from mpp_planner.store.repair import TableReport

    one = TableReport("budget_line", kept=3, links_cleared=1).describe()
    assert one.endswith("3 kept; 1 link to lost rows cleared.")
    assert TableReport("budget_line", kept=3, links_cleared=2).describe().endswith("2 links to lost rows cleared.")


def test_survey_import_of_one_form(demo_project, tmp_path):
    from mpp_planner.importers.survey import preview

    src = tmp_path / "skm.csv"
    src.write_text("No,Tanggal," + ",".join(f"U{i}" for i in range(1, 10)) + "\n3001,05/03/2024,4,3,2,4,3,3,4,3,2\n",
                   encoding="utf-8")
    plan = preview(demo_project, src, "2024 Semester I")
    assert plan.ok, plan.errors
    assert plan.command(demo_project).text == "Import 1 survey form from skm.csv into 2024 Semester I"


def test_cli_survey_by_counter_with_one_respondent(capsys, demo_file, tmp_path):
    from mpp_planner.cli import main

    src = tmp_path / "skm.csv"
    src.write_text("No,Tanggal," + ",".join(f"U{i}" for i in range(1, 10)) + "\n3001,05/03/2024,4,3,2,4,3,3,4,3,2\n",
                   encoding="utf-8")
    assert main(["import", "survey", str(demo_file), "--from", str(src), "--period", "Satu", "--create-period"]) == 0
    capsys.readouterr()
    assert main(["survey", str(demo_file), "--period", "Satu", "--by", "agency"]) == 0
    out = capsys.readouterr().out
    assert "1 respondent" in out and "1 respondents" not in out


def test_import_of_one_budget_line_names_one_line(demo_project, tmp_path):
    from mpp_planner.importers import budget_lines

    src = tmp_path / "rincian.csv"
    src.write_text("kode_akun,nama_komponen,harga_satuan,vol_1,sat_1\n5.1.02.01.01.0024,Kertas HVS,50000,2,Rim\n",
                   encoding="utf-8")
    command = budget_lines.prepare(demo_project, src, year=2024)
    assert command.text == "Import 1 budget line from rincian.csv"


def test_sources_have_no_bare_plural_for_a_count_of_one():
    """The sites changed for issue 23 keep using ngettext (a plain _() with "{n} …s" would come back)."""
    sites = {Path(where.split(":")[0]).as_posix() for where, _s, _p in ngettext_pairs()}
    assert {"mpp_planner/qt/budget/tab.py", "mpp_planner/qt/budget/model.py", "mpp_planner/importers/budget_lines.py",
            "mpp_planner/importers/dxf.py", "mpp_planner/importers/survey.py", "mpp_planner/cli/survey.py",
            "mpp_planner/store/file.py", "mpp_planner/store/repair.py", "mpp_planner/qt/agencies/tab.py",
            "mpp_planner/qt/inventory/findings_panel.py"} <= sites
