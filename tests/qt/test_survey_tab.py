"""The Survey tab: registered in the main window (Ctrl+5), the period dialog (a duplicate name refused in it),
the results panel equal to reads.survey, the charts painted, a follow-up action on unsur 9 linked to a need,
undo of each edit, and the report export as a job."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from mpp_planner.reads import survey as reads
from mpp_planner.formats import number
from tests.helpers import file_rows
from tests.qt.plan_helpers import reopened


def survey_tab(qtbot, window):
    window.show_tab("survey")
    tab = window.tab_widgets["survey"]
    qtbot.waitUntil(tab.isVisible)
    return tab


def test_the_tab_is_registered_and_ctrl5_shows_it(qtbot, demo_window):
    window = demo_window
    assert window.tabs.tabText(4) == "Survey"
    qtbot.keyClick(window, Qt.Key_5, Qt.ControlModifier)
    assert window.tabs.currentIndex() == 4
    tab = window.tab_widgets["survey"]
    assert tab.period.count() == len(reads.periods(window.project)) >= 1
    texts = [a.text() for a in window.export_menu.actions()] + [a.text() for a in window.print_menu.actions()]
    assert "Survey Report (PDF, XLSX, CSV)…" in texts and "Print Survey Poster…" in texts


def test_period_dialog_adds_refuses_a_duplicate_and_edits(qtbot, demo_window):
    window = demo_window
    tab = survey_tab(qtbot, window)
    seen = []

    def drive(dialog):
        dialog.name.setText(seen[-1])
        dialog.population.setValue(1000)
        dialog.questions.item(8, 1).setText("Sarana Prasarana")
        dialog.accept()
        seen.append(dialog.message.text() if not dialog.message.isHidden() else "")
        return dialog.result() == QDialog.Accepted

    tab.run_dialog = drive
    existing = reads.periods(window.project)[0].name
    seen.append(existing.upper())  # the same name in other case
    assert not tab.new_period()
    assert "already a survey period" in seen[-1]
    seen.append("2025 Semester I")
    assert tab.new_period()
    assert tab.period_name == "2025 Semester I"
    assert tab.detail.population == 1000 and tab.detail.unsur_names[8] == "Sarana Prasarana"
    assert window.undo_stack.undoText() == "Add survey period 2025 Semester I"
    window.undo_stack.undo()
    assert "2025 Semester I" not in [p.name for p in reads.periods(window.project)]
    window.undo_stack.redo()
    tab.period.setCurrentIndex(tab.period.findText("2025 Semester I", Qt.MatchStartsWith))
    # edit: a new name
    seen.append("2025 Semester 1")
    assert tab.edit_period()
    assert tab.period_name == "2025 Semester 1"
    with reopened(window) as again:
        names = [p.name for p in reads.periods(again)]
    assert "2025 Semester 1" in names and "2025 Semester I" not in names


def test_results_panel_shows_what_reads_computes(qtbot, demo_window, tmp_path):
    window = demo_window
    tab = survey_tab(qtbot, window)
    tab.pages.setCurrentIndex(1)
    result = reads.results(window.project, tab.period_id)
    assert tab.results.ikm.text() == number(result.ikm, 2)
    assert result.mutu in tab.results.grade.text()
    table = tab.results.nrr_table
    for r, u in enumerate(result.unsur):
        assert table.item(r, 1).text() == number(u.nrr_decimal, 4)
        assert table.item(r, 4).text() == str(u.missing)
    weak = {u.unsur for u in result.weakest(3)}
    marked = {r + 1 for r in range(9) if table.item(r, 0).background().color().name() == "#fdecea"}
    assert marked == weak
    sample = reads.sample_status(window.project, tab.period_id)
    if not sample.enough:
        assert "Too few respondents" in tab.results.sample.text()
    tab.results.by.setCurrentIndex(tab.results.by.findData("agency"))
    groups = reads.results_by(window.project, tab.period_id, "agency")
    assert tab.results.group_table.rowCount() == len(groups)
    # the charts paint (look at them: tmp_path/*.png)
    for name, chart in (("nrr", tab.results.nrr_chart), ("trend", tab.results.trend_chart),
                        ("age", tab.results.profile_charts["age_band"])):
        image = chart.grab().toImage()
        image.save(str(tmp_path / f"{name}.png"))
        colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
        assert len(colours) > 5, name
    assert tab.results.nrr_chart.rows[0][1] == result.unsur[0].nrr_decimal


def test_action_on_unsur_9_linked_to_a_need_with_undo(qtbot, demo_window):
    window = demo_window
    tab = survey_tab(qtbot, window)
    tab.pages.setCurrentIndex(2)
    need_id, need_text = reads.link_choices(window.project).needs[0]
    before = len(reads.actions(window.project, tab.period_id))

    def drive(dialog):
        dialog.unsur.setCurrentIndex(8)
        assert dialog.need.isEnabled()
        dialog.text.setPlainText("Tambah kursi tunggu")
        dialog.owner.setText("Kasubag Umum")
        dialog.need.setCurrentIndex(dialog.need.findData(need_id))
        dialog.accept()
        return dialog.result() == QDialog.Accepted

    tab.run_dialog = drive
    assert tab.add_action()
    rows = reads.actions(window.project, tab.period_id)
    assert len(rows) == before + 1
    made = next(a for a in rows if a.action == "Tambah kursi tunggu")
    assert made.unsur == 9 and made.need_id == need_id and need_text in made.link
    assert any(r.id == made.id for r in tab.actions_panel.model.rows)

    def set_done(dialog):
        dialog.status.setCurrentIndex(dialog.status.findData("done"))
        dialog.accept()
        return True

    tab.run_dialog = set_done
    assert tab.edit_action(made.id)
    assert next(a for a in reads.actions(window.project, tab.period_id) if a.id == made.id).status == "done"
    window.undo_stack.undo()
    assert next(a for a in reads.actions(window.project, tab.period_id) if a.id == made.id).status == "planned"
    # Go to: the Inventory tab with the need selected
    assert tab.go_to_link(made.id)
    assert window.tabs.currentIndex() == 2
    inventory = window.tab_widgets["inventory"]
    assert [n.id for n in inventory.selected_needs()] == [need_id]
    window.show_tab("survey")
    assert tab.delete_actions([made.id])
    window.undo_stack.undo()
    path = window.project.path
    window.close_project()
    assert any(r[0] == made.id and r[3] == "Tambah kursi tunggu" for r in file_rows(path, "survey_action"))


def test_export_report_as_a_job(qtbot, demo_window, tmp_path):
    window = demo_window
    tab = survey_tab(qtbot, window)
    out = tmp_path / "laporan.xlsx"
    handle = tab.start_export(out)
    assert handle is not None
    qtbot.waitUntil(lambda: not tab.jobs, timeout=60000)
    assert out.exists() and out.stat().st_size > 0
