"""The budget tab's "Check" action: runs the budget checks in a job, lists the findings, and a
double-click on a finding selects its lines in the tree; the threshold is edited in the settings."""

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from mpp_planner.commands import budget as cmd
from mpp_planner.model import Room
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


def add_faulty_lines(tab):
    """The demo's request passes the checks: give it three findings, as a verifier would see them. A lump sum
    beside the two itemised furniture repairs (overlap), paper asked twice (duplicate) and reading-corner
    cushions on a capital account below the threshold."""
    p = tab.project
    pojok = p.session.scalar(select(Room).where(Room.name == "Pojok Baca"))
    lines = [cmd.new_line(p, 2024, account_code=code, description=text, factors=[[qty, unit]], unit=unit,
                          unit_price=Decimal(price), room_id=room)
             for code, text, qty, unit, price, room in (
                 ("5.1.02.03.02.0118", "Pemeliharaan Mebel MPP", "2", "Paket", "7500000", None),
                 ("5.1.02.01.01.0025", "Kertas HVS A4 70 gram", "60", "Rim", "52000", None),
                 ("5.2.02.05.02.0001", "Bantal Duduk Pojok Baca", "12", "Buah", "85000", pojok.id))]
    assert tab.undo_stack.run(cmd.AddBudgetLines("add", lines))
    return [b.id for b in lines]


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
    assert checks.list.topLevelItemCount() == 0 and "No findings" in checks.summary.text()
    checks.close()
    lump_id = add_faulty_lines(tab)[0]
    checks = run_check(qtbot, tab)
    rows = [checks.list.topLevelItem(i) for i in range(checks.list.topLevelItemCount())]
    assert len(rows) == 3 and "3" in checks.summary.text()
    lump = next(r for r in rows if "Pemeliharaan Mebel MPP" in r.text(2))
    ids = [int(part.strip(" #")) for part in lump.text(1).split(",")]
    assert len(ids) == 3 and ids[0] == lump_id  # the lump sum and the two repairs it overlaps
    checks.list.scrollToItem(lump)
    rect = checks.list.visualItemRect(lump)
    qtbot.mouseClick(checks.list.viewport(), Qt.LeftButton, pos=rect.center())
    assert checks.detail.text() == f"{lump.text(2)}\n→ {lump.text(3)}"  # the whole sentence the column cuts
    qtbot.mouseDClick(checks.list.viewport(), Qt.LeftButton, pos=rect.center())
    assert sorted(tab.selected_line_ids()) == sorted(ids)
    assert any("Bantal Duduk Pojok Baca" in r.text(2) for r in rows)


def test_threshold_set_in_the_settings_changes_the_findings(qtbot, tab):
    add_faulty_lines(tab)
    dialog = BudgetSettingsDialog(tab.project, tab.undo_stack, tab.current_year, tab)
    qtbot.addWidget(dialog)
    assert dialog.threshold.text() == "1.000.000"
    dialog.threshold.setText("80.000")
    dialog.accept()
    assert tab.project.site.capitalisation_threshold == Decimal("80000")
    checks = run_check(qtbot, tab)
    texts = [checks.list.topLevelItem(i).text(2) for i in range(checks.list.topLevelItemCount())]
    assert len(texts) == 2 and not any("capital account" in t for t in texts)  # the cushions are capital now
    tab.undo_stack.undo()
    assert tab.project.site.capitalisation_threshold == Decimal("1000000")


def test_threshold_refused_when_not_a_number(qtbot, tab):
    dialog = BudgetSettingsDialog(tab.project, tab.undo_stack, tab.current_year, tab)
    qtbot.addWidget(dialog)
    dialog.threshold.setText("banyak")
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert tab.project.site.capitalisation_threshold == Decimal("1000000")
