"""The budget tab's "Check" action: runs the budget checks in a job, lists the findings, and a
double-click on a finding selects its lines in the tree; the threshold is edited in the settings."""

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from mpp_planner.qt.budget.dialogs import BudgetSettingsDialog
from mpp_planner.qt.budget.tab import BudgetTab
from mpp_planner.qt.jobs import running_jobs
from tests.helpers import open_for_screen


@pytest.fixture
def tab(qtbot, demo_file):
    with open_for_screen(demo_file) as (project, signals, stack):
        widget = BudgetTab(project, signals, stack)
        qtbot.addWidget(widget)
        widget.resize(1400, 800)
        widget.show()
        qtbot.waitExposed(widget)
        yield widget
        if widget.checks is not None:
            widget.checks.close()


def run_check(qtbot, tab):
    handle = tab.check_budget()
    if handle in running_jobs():
        with qtbot.waitSignal(handle.finished, timeout=30_000):
            pass
    qtbot.waitUntil(lambda: tab.checks is not None and tab.checks.isVisible())
    return tab.checks


def test_check_lists_the_findings_and_selects_their_lines(qtbot, tab):
    assert tab.current_year == 2024 and tab.act_check.isEnabled()
    checks = run_check(qtbot, tab)
    rows = [checks.list.topLevelItem(i) for i in range(checks.list.topLevelItemCount())]
    assert len(rows) == 8 and "8" in checks.summary.text()
    lump = next(r for r in rows if "Pemeliharaan Mebel MPP" in r.text(2))
    ids = [int(part.strip(" #")) for part in lump.text(1).split(",")]
    assert len(ids) == 9
    checks.list.scrollToItem(lump)
    rect = checks.list.visualItemRect(lump)
    qtbot.mouseClick(checks.list.viewport(), Qt.LeftButton, pos=rect.center())
    assert checks.detail.text() == f"{lump.text(2)}\n→ {lump.text(3)}"  # the whole sentence the column cuts
    qtbot.mouseDClick(checks.list.viewport(), Qt.LeftButton, pos=rect.center())
    assert sorted(tab.selected_line_ids()) == sorted(ids)
    assert any("Buku Bacaan Pojok Baca" in r.text(2) for r in rows)


def test_threshold_set_in_the_settings_changes_the_findings(qtbot, tab):
    dialog = BudgetSettingsDialog(tab.project, tab.undo_stack, tab.current_year, tab)
    qtbot.addWidget(dialog)
    assert dialog.threshold.text() == "1.000.000"
    dialog.threshold.setText("80.000")
    dialog.accept()
    assert tab.project.site.capitalisation_threshold == Decimal("80000")
    checks = run_check(qtbot, tab)
    texts = [checks.list.topLevelItem(i).text(2) for i in range(checks.list.topLevelItemCount())]
    assert len(texts) == 3 and not any("capital account" in t for t in texts)
    tab.undo_stack.undo()
    assert tab.project.site.capitalisation_threshold == Decimal("1000000")


def test_threshold_refused_when_not_a_number(qtbot, tab):
    dialog = BudgetSettingsDialog(tab.project, tab.undo_stack, tab.current_year, tab)
    qtbot.addWidget(dialog)
    dialog.threshold.setText("banyak")
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert tab.project.site.capitalisation_threshold == Decimal("1000000")
