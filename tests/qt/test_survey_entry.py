"""Fast keyboard entry of paper SKM forms: 200 forms keyed without the mouse, refused keys, Enter to the next
form, missing answers counted per unsur, edits of saved forms and undo — asserted in the file after reopening."""

import time

import pytest
from PySide6.QtCore import Qt

from mpp_planner.commands.survey import AddSurveyPeriod, new_period
from mpp_planner.qt.survey.entry import COL_AGE, COL_GENDER, COL_U1
from tests.qt.plan_helpers import reopened


@pytest.fixture
def tab(qtbot, demo_window):
    """The Survey tab on a new, empty period "Uji Ketik"."""
    window = demo_window
    window.show_tab("survey")
    tab = window.tab_widgets["survey"]
    qtbot.waitUntil(tab.isVisible)
    made = AddSurveyPeriod(new_period(window.project, "Uji Ketik", population=400))
    assert window.undo_stack.run(made)
    tab.period.setCurrentIndex(tab.period.findData(made.period.id))
    assert tab.period_name == "Uji Ketik"
    tab.view.setFocus()
    return tab


def forms_on_disk(window, name="Uji Ketik"):
    from sqlalchemy import select

    from mpp_planner.model import SurveyPeriod, SurveyResponse

    with reopened(window) as again:
        pid = again.session.scalar(select(SurveyPeriod.id).where(SurveyPeriod.name == name))
        return [(r.number, list(r.answers), r.gender, r.age_band) for r in again.session.scalars(
            select(SurveyResponse).where(SurveyResponse.period_id == pid).order_by(SurveyResponse.number))]


def answers_of(i):
    """A varied but known form: digits 1..4 with a gap (0) in U3 on every 7th form."""
    digits = [str((i + k) % 4 + 1) for k in range(9)]
    if i % 7 == 0:
        digits[2] = "0"
    return "".join(digits)


def test_two_hundred_forms_keyboard_only(qtbot, tab):
    window = tab.window()
    view = tab.view
    assert view.currentIndex().column() == COL_U1
    start = time.perf_counter()
    for i in range(200):
        qtbot.keyClicks(view, answers_of(i))
        assert view.currentIndex().column() == COL_GENDER  # moved on by itself after each digit
        qtbot.keyClicks(view, "LP"[i % 2])
        qtbot.keyClicks(view, str(i % 6 + 1))  # age band by its number
        qtbot.keyClick(view, Qt.Key_Return)
        assert view.currentIndex().row() == tab.entry.draft_row and view.currentIndex().column() == COL_U1
    took = time.perf_counter() - start
    print(f"\n200 forms keyed in {took:.1f} s ({took / 200 * 1000:.0f} ms per form)")
    assert len(tab.entry.forms) == 200
    assert tab.entry.draft.number == 201
    missing_u3 = sum(1 for i in range(200) if i % 7 == 0)
    assert tab.entry.missing_per_unsur()[2] == missing_u3
    assert f"U3 {missing_u3}" in tab.summary.text() and "200" in tab.summary.text()
    bands = tab.entry.choices.age_bands
    expected = [(i + 1, [None if d == "0" else int(d) for d in answers_of(i)], "LP"[i % 2], bands[i % 6])
                for i in range(200)]
    assert forms_on_disk(window) == expected


def test_a_bad_key_is_refused_at_once(qtbot, tab):
    view = tab.view
    qtbot.keyClicks(view, "3")
    qtbot.keyClicks(view, "7")
    assert view.currentIndex().column() == COL_U1 + 1  # stayed
    assert tab.entry.draft.answers[:2] == [3, None]
    assert tab.message.isVisible() and "'7'" in tab.message.text()
    qtbot.keyClicks(view, "x")
    assert tab.entry.draft.answers[1] is None
    qtbot.keyClicks(view, "4")
    assert not tab.message.isVisible()  # the next good key hides the reason
    assert tab.entry.draft.answers[:2] == [3, 4]
    # gender takes L or P only
    view.go_to_draft(COL_GENDER)
    qtbot.keyClicks(view, "Q")
    assert tab.entry.draft.gender == "" and "'Q'" in tab.message.text()
    qtbot.keyClicks(view, "p")
    assert tab.entry.draft.gender == "P" and view.currentIndex().column() == COL_AGE
    qtbot.keyClicks(view, "9")  # there are six age bands
    assert tab.entry.draft.age_band == ""


def test_enter_saves_and_starts_the_next_form_undo_removes_it(qtbot, tab):
    window = tab.window()
    view = tab.view
    qtbot.keyClick(view, Qt.Key_Return)  # an empty form is not saved
    assert tab.entry.forms == [] and tab.message.isVisible()
    qtbot.keyClicks(view, "1234")
    qtbot.keyClick(view, Qt.Key_Space)  # U5 left empty
    qtbot.keyClicks(view, "1")
    qtbot.keyClick(view, Qt.Key_Return)
    assert [(f.number, f.answers) for f in tab.entry.forms] == [(1, [1, 2, 3, 4, None, 1, None, None, None])]
    assert tab.entry.draft.number == 2 and tab.entry.draft.empty
    assert tab.entry.missing_per_unsur() == [0, 0, 0, 0, 1, 0, 1, 1, 1]
    assert window.undo_stack.undoText() == "Add survey form 1"
    window.undo_stack.undo()
    assert tab.entry.forms == []
    window.undo_stack.redo()
    assert len(tab.entry.forms) == 1
    # typing over a saved answer changes that form (one undoable step)
    view.go_to(0, COL_U1 + 4)
    qtbot.keyClicks(view, "4")
    assert tab.entry.forms[0].answers[4] == 4
    window.undo_stack.undo()
    assert tab.entry.forms[0].answers[4] is None
    window.undo_stack.redo()
    assert forms_on_disk(window) == [(1, [1, 2, 3, 4, 4, 1, None, None, None], "", "")]
