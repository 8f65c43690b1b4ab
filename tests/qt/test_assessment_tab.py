"""The Evaluasi (Assessment) tab: registered in the main window (Ctrl+6), the scores shown equal
reads.assessment (now and with the open needs met), the evidence pane, "Create needs from the assessment" as
one undoable step (the needs in the file, gone again after undo), a bad rule file told with its line, and the
sheet exported as a job."""

import sqlite3

import pytest
from PySide6.QtCore import Qt

from mpp_planner.qt.assessment.tab import COL_AFTER, COL_NAME, COL_NEXT, COL_SCORE, KEY_ROLE
from mpp_planner.reads import assessment as reads
from tests.helpers import file_rows


def wait_computed(qtbot, tab) -> None:
    qtbot.waitUntil(lambda: tab.result is not None and not tab.busy, timeout=30000)
    qtbot.wait(10)  # the job's end is handed over through the event loop


def assessment_tab(qtbot, window):
    window.show_tab("assessment")
    tab = window.tab_widgets["assessment"]
    qtbot.waitUntil(tab.isVisible)
    wait_computed(qtbot, tab)
    return tab


def shown_rows(tab) -> dict[str, tuple[str, str, str, str]]:
    """Indicator key -> (name, score, score with the open needs met, next step) as the tables show them."""
    rows = {}
    for table in tab.aspect_tables.values():
        for r in range(table.rowCount()):
            key = table.item(r, COL_NAME).data(KEY_ROLE)
            rows[key] = tuple(table.item(r, c).text() for c in (COL_NAME, COL_SCORE, COL_AFTER, COL_NEXT))
    return rows


def standard_needs(path) -> list[tuple]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT room_id, item_type_id, quantity FROM need WHERE source = 'standard' "
                           "ORDER BY id").fetchall()
    finally:
        con.close()


def test_the_tab_is_registered_and_ctrl6_shows_it(qtbot, demo_window):
    window = demo_window
    assert window.tabs.tabText(5) == "Assessment"
    qtbot.keyClick(window, Qt.Key_6, Qt.ControlModifier)
    assert window.tabs.currentIndex() == 5
    tab = window.tab_widgets["assessment"]
    wait_computed(qtbot, tab)
    texts = [a.text() for a in window.export_menu.actions()] + [a.text() for a in window.print_menu.actions()]
    assert "Assessment Sheet (PDF, XLSX, CSV)…" in texts and "Print Assessment Sheet…" in texts


def test_scores_shown_equal_the_reads_now_and_with_open_needs_met(qtbot, demo_window):
    tab = assessment_tab(qtbot, demo_window)
    project = demo_window.project
    now = reads.assessment(project)
    after = reads.assessment(project, assume_open_needs_met=True)
    rows = shown_rows(tab)
    assert list(rows) == [r.key for r in now.indicators] or set(rows) == {r.key for r in now.indicators}
    for r in now.indicators:
        name, score, with_needs, step = rows[r.key]
        assert name == r.name
        assert score == f"{r.score}/5"
        assert with_needs == f"{after.result(r.key).score}/5"
        assert step == (r.next_step or "Highest level reached.")
    # one table per aspect, titled with the aspect's name
    assert set(tab.aspect_tables) == set(now.by_aspect)
    assert f"{now.total} of {now.max_total} points" in tab.total.text()
    # the demo has room to improve, and its open needs raise some score
    assert any(r.score < 5 for r in now.indicators)
    assert after.total > now.total and str(after.total) in tab.total_after.text()


def test_the_evidence_pane_lists_what_counted(qtbot, demo_window):
    tab = assessment_tab(qtbot, demo_window)
    now = reads.assessment(demo_window.project)
    ind = max(now.indicators, key=lambda r: len(r.evidence))
    assert ind.evidence
    assert tab.select_key(ind.key)
    assert [tab.evidence.item(i).text() for i in range(tab.evidence.count())] == ind.evidence
    assert tab.next_step.text() == (ind.next_step or "Highest level reached.")
    assert tab.suggestions.count() == len(ind.suggestions)
    assert tab.selected_key() == ind.key


def test_create_needs_adds_them_in_one_step_and_undo_removes_them(qtbot, demo_window, dialog_texts):
    window = demo_window
    tab = assessment_tab(qtbot, window)
    path = window.project.path
    before = file_rows(path, "need")
    standard_before = standard_needs(path)
    assert tab.btn_needs.isEnabled()
    with qtbot.waitSignal(tab.computed, timeout=30000):  # the edit of the needs makes it assess again
        qtbot.mouseClick(tab.btn_needs, Qt.LeftButton)
    n = len(file_rows(path, "need")) - len(before)
    assert n > 0 and len(standard_needs(path)) == len(standard_before) + n  # all of source "standard"
    title, text = dialog_texts[-1]
    assert title == "Create needs from the assessment"
    assert text == f"{n} need(s) added; see Inventory & Needs."
    # the needs made every suggestion planned: the "with open needs met" column shows it
    after = reads.assessment(window.project, assume_open_needs_met=True)
    assert {k: v[2] for k, v in shown_rows(tab).items()} == {r.key: f"{r.score}/5" for r in after.indicators}
    assert window.undo_stack.count() == 1
    # again: everything suggested is planned now, so nothing is added and no step is pushed
    assert not tab.create_needs()
    assert dialog_texts[-1][1].startswith("No need was added") and window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert file_rows(path, "need") == before
    window.undo_stack.redo()
    assert len(file_rows(path, "need")) == len(before) + n


def test_a_bad_rule_file_is_told_with_its_line_and_the_former_stays(qtbot, demo_window, dialog_texts, tmp_path):
    tab = assessment_tab(qtbot, demo_window)
    shown = shown_rows(tab)
    bad = tmp_path / "pekppp-bad.toml"
    bad.write_text('[aspects.sarpras]\nname = "Sarana"\nweight = 1\n\n[indicators.x]\naspect = "sarpras"\n'
                   'name = "X"\nkind = "guesswork"\nladder = [1, 2, 3, 4, 5]\n', encoding="utf-8")
    tab.use_rules(bad)
    qtbot.waitUntil(lambda: not tab.busy, timeout=30000)
    qtbot.waitUntil(lambda: bool(dialog_texts), timeout=5000)
    title, text = dialog_texts[-1]
    assert title == "Cannot assess"
    assert "pekppp-bad.toml, line 8" in text and "guesswork" in text
    assert tab.message.isVisibleTo(tab) and "line 8" in tab.message.text()
    assert tab.rules_path is None and "shipped" in tab.rules_label.text()
    assert shown_rows(tab) == shown

    # a good copy of another file is used, and named
    from mpp_planner.standards.assessment import default_instrument_path

    good = tmp_path / "pekppp-mine.toml"
    good.write_text(default_instrument_path().read_text(encoding="utf-8"), encoding="utf-8")
    tab.use_rules(good)
    qtbot.waitUntil(lambda: not tab.busy, timeout=30000)
    qtbot.wait(10)
    assert tab.rules_path == good and "pekppp-mine.toml" in tab.rules_label.text()
    assert not tab.message.isVisibleTo(tab)


@pytest.mark.parametrize("suffix", ["csv", "pdf"])
def test_the_sheet_is_exported_as_a_job(qtbot, demo_window, tmp_path, suffix):
    tab = assessment_tab(qtbot, demo_window)
    out = tmp_path / f"evaluasi.{suffix}"
    handle = tab.start_export(out)
    assert handle is not None
    qtbot.waitUntil(lambda: not tab.jobs, timeout=60000)
    assert out.is_file() and out.stat().st_size > 0
    if suffix == "csv":
        text = out.read_text(encoding="utf-8-sig")
        for r in reads.assessment(demo_window.project).indicators:
            assert r.name in text
