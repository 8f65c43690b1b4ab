"""The SIPD entry points of the budget tab: export the rincian through the file dialog and a job; import a
lines file through the preview dialog (one undo step), a bad file listing its row errors with Import disabled."""

import csv
from decimal import Decimal

import pytest
from PySide6.QtWidgets import QFileDialog, QMainWindow
from sqlalchemy import func, select

from mpp_planner.commands import budget as cmd
from mpp_planner.model import BudgetLine
from mpp_planner.project import Project
from mpp_planner.qt.budget import sipd
from mpp_planner.qt.budget.sipd import BudgetLinesImportDialog
from mpp_planner.qt.jobs import running_jobs
from mpp_planner.reports import budget_sipd
from tests.helpers import open_for_screen
from tests.reports.test_budget_sipd import FRIDGE, MAINTENANCE, SERVICE, add_sample_lines


@pytest.fixture
def screen(qtbot, demo_file):
    """The demo (with the sample lines) opened as the app opens it, and a main window to parent the dialogs."""
    with open_for_screen(demo_file) as (project, signals, stack):
        add_sample_lines(project)
        window = QMainWindow()
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        yield project, stack, window


def wait(qtbot, handle) -> None:
    assert handle is not None
    qtbot.waitUntil(lambda: handle not in running_jobs(), timeout=60_000)


def on_disk(path, year=2024) -> tuple[int, list[str]]:
    other = Project.open(path, readonly=True)
    try:
        count = other.session.scalar(select(func.count()).select_from(BudgetLine).where(BudgetLine.fiscal_year == year))
        names = list(other.session.scalars(select(BudgetLine.description).where(BudgetLine.fiscal_year == year)))
        return count, names
    finally:
        other.close()


def the_dialog(window) -> BudgetLinesImportDialog:
    found = window.findChildren(BudgetLinesImportDialog)
    assert len(found) == 1
    return found[0]


def texts(table) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


# --- export -----------------------------------------------------------------------------------

def test_export_suggests_the_name_writes_in_a_job_and_says_where(qtbot, monkeypatch, screen, tmp_path):
    project, _stack, window = screen
    asked = []

    def save_as(parent, title, suggested, filters):
        asked.append((title, suggested, filters))
        return str(tmp_path / "untuk-sipd"), filters.split(";;")[1]  # no extension, the CSV filter chosen

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    wait(qtbot, sipd.export_sipd(window, project, 2024, MAINTENANCE))
    assert asked[0][1].endswith("rincian-sipd-2024.xlsx") and "*.csv" in asked[0][2]
    out = tmp_path / "untuk-sipd.csv"
    with open(out, newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["kode_sub_kegiatan"] for r in rows} == {MAINTENANCE} and SERVICE in {r["nama_komponen"] for r in rows}
    assert window.statusBar().currentMessage() == f"Written: {out}"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "semua.xlsx"), ""))
    wait(qtbot, sipd.export_sipd(window, project, 2024))
    assert (tmp_path / "semua.xlsx").stat().st_size > 0 and "semua.xlsx" in window.statusBar().currentMessage()


def test_export_cancelled_or_refused(qtbot, monkeypatch, screen, tmp_path, dialog_texts):
    project, _stack, window = screen
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    assert sipd.export_sipd(window, project, 2024) is None
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "x.xlsx"), ""))
    wait(qtbot, sipd.export_sipd(window, project, 2031))  # a year without lines: told, no file
    assert dialog_texts and "no budget lines" in dialog_texts[-1][1] and not (tmp_path / "x.xlsx").exists()


# --- import -----------------------------------------------------------------------------------

def open_import(qtbot, monkeypatch, screen, source) -> BudgetLinesImportDialog:
    project, stack, window = screen
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), ""))
    assert sipd.import_lines(window, project, stack, 2024) is None
    dialog = the_dialog(window)
    wait(qtbot, dialog.job)
    return dialog


def test_a_good_file_shows_what_it_adds_and_imports_as_one_undo_step(qtbot, monkeypatch, screen, tmp_path):
    project, stack, window = screen
    source = budget_sipd.write(project, tmp_path / "rincian.xlsx", "xlsx", year=2024, sub_activity=MAINTENANCE)
    imported = [b for b in cmd.lines_of_year(project, 2024) if b.sub_activity.code == MAINTENANCE
                and b.status != "rejected"]
    count, _names = on_disk(project.path)
    dialog = open_import(qtbot, monkeypatch, screen, source)
    assert dialog.isVisible() and dialog.import_button.isEnabled() and not dialog.errors.isVisible()
    total = sum((b.amount for b in imported), Decimal(0))
    assert [row[0] for row in texts(dialog.subs)] == [MAINTENANCE]
    assert texts(dialog.subs)[0][2:] == [str(len(imported)), sipd._money(total, symbol=False)]
    assert f"{len(imported)} line(s), {sipd._money(total)} in all" in dialog.summary.text()
    assert dialog.replace.isVisibleTo(dialog) and not dialog.replace.isChecked()

    dialog.import_button.click()
    assert not dialog.isVisible()
    assert on_disk(project.path)[0] == count + len(imported)
    assert stack.count() == 1 and stack.undoText().startswith(f"Import {len(imported)} budget lines")
    stack.undo()
    assert on_disk(project.path)[0] == count


def test_replace_the_year_from_the_dialog(qtbot, monkeypatch, screen, tmp_path):
    project, stack, window = screen
    source = budget_sipd.write(project, tmp_path / "rincian.csv", "csv", year=2024, sub_activity=MAINTENANCE)
    count, _names = on_disk(project.path)
    dialog = open_import(qtbot, monkeypatch, screen, source)
    dialog.replace.setChecked(True)
    dialog.import_button.click()
    after, names = on_disk(project.path)
    assert after < count and FRIDGE not in names and SERVICE in names
    stack.undo()
    assert on_disk(project.path)[0] == count


def test_a_bad_file_lists_its_row_errors_and_import_stays_disabled(qtbot, monkeypatch, screen, tmp_path):
    project, stack, window = screen
    good = budget_sipd.write(project, tmp_path / "rincian.csv", "csv", year=2024)
    with open(good, newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    rows[1][header.index("kode_akun")] = "5.2"
    rows[3][header.index("vol_1")] = "dua"
    bad = tmp_path / "salah.csv"
    with open(bad, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    before = on_disk(project.path)
    dialog = open_import(qtbot, monkeypatch, screen, bad)
    assert dialog.errors.isVisible() and not dialog.subs.isVisible()
    table = texts(dialog.errors)
    assert [row[:2] for row in table] == [["2", "kode_akun"], ["4", "vol_1"]]
    assert "5.2" in table[0][2] and "'dua' is not a number" in table[1][2]
    assert "Nothing will be imported: 2 problem(s)" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    dialog.do_import()  # even when called: nothing
    assert on_disk(project.path) == before and stack.count() == 0

    # a file-level refusal (a missing column) is listed the same way
    bad.write_text("kode_akun,nama_komponen,vol_1,sat_1\n5.2.02.05.02.0001,Kursi,1,Unit\n", encoding="utf-8")
    wait(qtbot, dialog.load(bad))
    assert texts(dialog.errors) == [["1", "", "Missing column(s): harga_satuan. Found: kode_akun, nama_komponen, "
                                               "vol_1, sat_1."]]
    assert not dialog.import_button.isEnabled()


def test_no_file_chosen_opens_no_dialog(qtbot, monkeypatch, screen):
    project, stack, window = screen
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    sipd.import_lines(window, project, stack, 2024)
    assert window.findChildren(BudgetLinesImportDialog) == []
