"""Import of survey forms with a mapping step: a file whose column names are not recognised shows the row
errors with Import disabled; choosing the columns and checking again gives the count and Import, one undoable
step whose forms are in the file after reopening."""

from PySide6.QtWidgets import QDialog

from mpp_planner.qt.survey.import_dialog import SurveyImportDialog
from mpp_planner.reads import survey as reads
from tests.qt.plan_helpers import reopened

LETTERS = "ABCDEFGHI"


def write_csv(path):
    head = ["Nomor Kuesioner"] + [f"Jawaban {c}" for c in LETTERS] + ["Kelamin"]
    rows = [head]
    for n in range(1, 6):
        rows.append([str(9000 + n)] + [str((n + k) % 4 + 1) for k in range(9)] + ["L" if n % 2 else "P"])
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_mapping_step_then_import_and_undo(qtbot, demo_window, tmp_path):
    window = demo_window
    window.show_tab("survey")
    tab = window.tab_widgets["survey"]
    qtbot.waitUntil(tab.isVisible)
    period_id = tab.period_id
    before = len(reads.responses(window.project, period_id))
    source = write_csv(tmp_path / "google_form.csv")
    dialogs = []

    def drive(dialog: SurveyImportDialog):
        dialogs.append(dialog)
        qtbot.waitUntil(lambda: dialog.plan is not None, timeout=30000)
        assert dialog.plan.errors and not dialog.import_button.isEnabled()
        assert dialog.errors.rowCount() == len(dialog.plan.errors)
        assert "Jawaban A" in [dialog.combos["u1"].itemText(i) for i in range(dialog.combos["u1"].count())]
        for n, c in enumerate(LETTERS, start=1):
            dialog.choose(f"u{n}", f"Jawaban {c}")
        dialog.choose("number", "Nomor Kuesioner")
        dialog.choose("gender", "Kelamin")
        first = dialog.plan
        dialog.check()
        qtbot.waitUntil(lambda: dialog.plan is not first, timeout=30000)
        assert dialog.plan.ok, [str(e) for e in dialog.plan.errors]
        assert dialog.plan.count == 5 and dialog.errors.rowCount() == 0
        assert dialog.import_button.isEnabled() and "5 forms" in dialog.summary.text()
        return QDialog.Accepted

    tab.run_dialog = drive
    tab.import_forms(source)
    assert dialogs
    assert len(reads.responses(window.project, period_id)) == before + 5
    window.undo_stack.undo()
    assert len(reads.responses(window.project, period_id)) == before
    window.undo_stack.redo()
    with reopened(window) as again:
        forms = reads.responses(again, period_id)
    assert len(forms) == before + 5
    imported = sorted((f for f in forms if f.note == "" and f.gender in "LP"), key=lambda f: f.id)[-5:]
    assert [f.answers for f in imported] == [[(n + k) % 4 + 1 for k in range(9)] for n in range(1, 6)]
