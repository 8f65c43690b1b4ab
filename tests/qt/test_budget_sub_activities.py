"""Sub kegiatan in the budget tab, driven like a user: the list and its form (from the nomenclature, the
context block, allocations), deleting one with its lines, moving lines between them, a year without any,
budgeting gaps under a chosen one with a chosen priority, the two printed forms and the SIPD exchange."""

from __future__ import annotations

import importlib.util
import sys
import types
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog

from mpp_planner.commands import History
from mpp_planner.commands import budget as cmd
from mpp_planner.model import BudgetLine, nomenclature
from mpp_planner.project import Project
from mpp_planner.qt.budget.dialogs import BudgetLineDialog
from mpp_planner.qt.budget.gaps import GapsDialog
from mpp_planner.qt.budget.model import COLUMN_INDEX, SUB_ACTIVITY_ROLE
from mpp_planner.qt.budget.sub_activities import SubActivitiesDialog, SubActivityDialog
from mpp_planner.qt.budget.tab import BudgetTab
from mpp_planner.qt.jobs import running_jobs
from tests.helpers import open_for_screen

HAS_RKA = importlib.util.find_spec("mpp_planner.reports.budget_rka") is not None
MEBEL = "2.18.01.2.07.0005"  # Pengadaan Mebel: in the nomenclature list, not in the demo's budget


@pytest.fixture
def tab(qtbot, demo_file):
    with open_for_screen(demo_file) as (project, signals, stack):
        widget = BudgetTab(project, signals, stack)
        qtbot.addWidget(widget)
        widget.resize(1400, 800)
        widget.show()
        qtbot.waitExposed(widget)
        yield widget


def on_disk(tab, fn):
    """Read the file as it is on disk (a second connection), not the open session."""
    other = Project.open(tab.project.path, readonly=True)
    try:
        return fn(other)
    finally:
        other.close()


def subs_on_disk(tab, year=2024):
    return on_disk(tab, lambda p: {s.code: s.column_values() for s in cmd.sub_activities_of_year(p, year)})


def lines_on_disk(tab, year=2024):
    return on_disk(tab, lambda p: {b.id: b.sub_activity_id for b in cmd.lines_of_year(p, year)})


def modal(qtbot, kind, drive, trigger):
    """Run ``trigger`` (which opens a modal dialog of ``kind``) and let ``drive`` fill and close the dialog.
    A dialog ``drive`` leaves open is cancelled, so a failing step cannot hang the test."""
    seen, errors = [], []

    def step():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            errors.append(AssertionError(f"expected a {kind.__name__}, got {dialog!r}"))
            if dialog is not None:
                dialog.reject()
            return
        seen.append(dialog)
        try:
            drive(dialog)
        except BaseException as exc:  # noqa: BLE001 - re-raised below, after the dialog is closed
            errors.append(exc)
        if dialog.isVisible():
            dialog.reject()

    QTimer.singleShot(0, step)
    result = trigger()
    if errors:
        raise errors[0]
    assert seen, f"no {kind.__name__} was opened"
    return seen[0], result


def finished(qtbot, handle, timeout=30_000):
    assert handle is not None
    if handle in running_jobs():
        with qtbot.waitSignal(handle.finished, timeout=timeout):
            pass
    return handle


# --- the list and its form ------------------------------------------------------------------------

def test_add_a_sub_kegiatan_from_the_nomenclature_list(qtbot, tab):
    site = tab.project.site
    listing = SubActivitiesDialog(tab.project, tab.undo_stack, 2024, tab.signals, tab)
    qtbot.addWidget(listing)
    listing.show()
    assert listing.table.rowCount() == 2 and listing.windowTitle() == "Sub kegiatan 2024"

    def pick(form: SubActivityDialog):
        assert form.code_text() not in {"2.18.01.2.07.0006", "2.18.01.2.09.0006"}  # one the year lacks
        assert form.fields["organisation"].text() == site.operator_office  # the project's defaults
        form.code.setCurrentIndex(form.code.findData(MEBEL))  # picked from the list
        assert form.fields["name"].text() == "Pengadaan Mebel"
        assert form.fields["activity"].text() == nomenclature.context(MEBEL)["activity"] != ""
        assert form.indicator.toPlainText() == nomenclature.entries()[MEBEL].indicator
        form.fields["funding_source"].setText("PAD - Pendapatan Asli Daerah")
        form.target.setText("12 Paket")
        form.next.setText("Rp25.000.000")
        form.accept()

    form, _ = modal(qtbot, SubActivityDialog, pick, listing.add)
    assert form.result() == SubActivityDialog.Accepted and form.created_id is not None
    saved = subs_on_disk(tab)[MEBEL]
    context = nomenclature.context(MEBEL)
    assert (saved["name"], saved["affair"], saved["affair_field"], saved["program"], saved["activity"]) == (
        "Pengadaan Mebel", context["affair"], context["affair_field"], context["program"], context["activity"])
    assert (saved["organisation"], saved["funding_source"], saved["output_target"], saved["allocation_next"]) == (
        site.operator_office, "PAD - Pendapatan Asli Daerah", "12 Paket", Decimal("25000000.00"))
    assert listing.table.rowCount() == 3 and listing.selected_id() == form.created_id
    assert MEBEL in listing.status.text()
    # the tree shows it at once, empty, and the forms can be made for it
    index = tab.model.index_of_sub_activity(form.created_id)
    assert index.data() == MEBEL and tab.model.rowCount(index) == 0
    assert tab.scope.findData(MEBEL) > 0
    tab.undo_stack.undo()
    assert MEBEL not in subs_on_disk(tab) and listing.table.rowCount() == 2


def test_typing_part_of_a_name_filters_the_nomenclature_list(qtbot, tab):
    form = SubActivityDialog(tab.project, tab.undo_stack, 2024, parent=tab)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.code.lineEdit().clear()
    qtbot.keyClicks(form.code.lineEdit(), "mebel")
    completer = form.code.completer()
    found = [completer.completionModel().index(r, 0).data() for r in range(completer.completionCount())]
    assert found == [f"{c.code} — {c.name}" for c in nomenclature.sub_activities() if "Mebel" in c.name]
    assert len(found) == 2
    completer.popup().hide()


def test_a_code_the_list_lacks_can_be_typed_and_a_bad_one_is_refused(qtbot, tab):
    form = SubActivityDialog(tab.project, tab.undo_stack, 2024, parent=tab)
    qtbot.addWidget(form)
    form.show()
    form.code.setEditText("2.18.1")
    form.accept()
    assert form.isVisible() and "does not match" in form.form.errors["code"].text()
    form.code.setEditText("2.18.01.2.07.0099")
    form.fields["name"].setText("")
    form.accept()
    assert form.isVisible() and "must not be empty" in form.form.errors["name"].text()
    form.fields["name"].setText("Pengadaan Sarana Antrean")
    form.previous.setText("seribu")
    form.accept()
    assert form.isVisible() and "must be a number" in form.form.errors["allocation_prev"].text()
    assert tab.undo_stack.count() == 0 and "2.18.01.2.07.0099" not in subs_on_disk(tab)
    form.previous.setText("1.250.000")
    form.accept()
    assert form.result() == SubActivityDialog.Accepted
    saved = subs_on_disk(tab)["2.18.01.2.07.0099"]
    assert (saved["name"], saved["allocation_prev"]) == ("Pengadaan Sarana Antrean", Decimal("1250000.00"))
    duplicate = SubActivityDialog(tab.project, tab.undo_stack, 2024, parent=tab)
    qtbot.addWidget(duplicate)
    duplicate.show()
    duplicate.code.setEditText("2.18.01.2.07.0006")  # the year has it already
    duplicate.accept()
    assert duplicate.isVisible() and "already has sub kegiatan" in duplicate.form.errors["code"].text()


def test_edit_the_context_block_of_a_sub_kegiatan(qtbot, tab):
    listing = SubActivitiesDialog(tab.project, tab.undo_stack, 2024, tab.signals, tab)
    qtbot.addWidget(listing)
    listing.show()
    listing.table.selectRow(1)
    row = listing.selected()
    before = subs_on_disk(tab)[row.code]

    def edit(form: SubActivityDialog):
        assert form.fields["program"].text() == row.program and form.code_text() == row.code
        assert form.previous.text() and form.next.text()  # the demo's n-1 and n+1
        for key, value in (("organisation", "2.18.0.00.0.00.01.0000 DPMPTSP Kota Probolinggo"),
                           ("unit", "UPT Mal Pelayanan Publik"), ("funding_source", "DAU"),
                           ("location", "Kota Probolinggo, Kec. Kanigaran"), ("schedule", "Maret s.d. November"),
                           ("program", "PROGRAM PENUNJANG (diubah)")):
            form.fields[key].setText(value)
        form.indicator.setPlainText("Jumlah Peralatan yang Dipelihara")
        form.target.setText("80 Unit")
        form.previous.setText("Rp40.000.000")
        form.next.setText("")
        form.accept()

    modal(qtbot, SubActivityDialog, edit, listing.edit)
    saved = subs_on_disk(tab)[row.code]
    assert (saved["unit"], saved["funding_source"], saved["location"], saved["schedule"], saved["program"]) == (
        "UPT Mal Pelayanan Publik", "DAU", "Kota Probolinggo, Kec. Kanigaran", "Maret s.d. November",
        "PROGRAM PENUNJANG (diubah)")
    assert (saved["output_indicator"], saved["output_target"], saved["allocation_prev"], saved["allocation_next"]) \
        == ("Jumlah Peralatan yang Dipelihara", "80 Unit", Decimal("40000000.00"), None)
    assert tab.undo_stack.count() == 1  # one step
    tab.undo_stack.undo()
    assert subs_on_disk(tab)[row.code] == before


def test_the_form_shows_allocation_n_as_the_total_of_the_lines(qtbot, tab):
    row = tab.sub_activities[0]
    form = SubActivityDialog(tab.project, tab.undo_stack, 2024, sub=row, parent=tab)
    qtbot.addWidget(form)
    requested = sum((b.amount for b in tab.lines if b.sub_activity_id == row.id and b.status != "rejected"),
                    Decimal(0))
    from mpp_planner.formats import rupiah

    assert form.allocation.text() == rupiah(requested) and row.total == requested
    assert form.fields["name"].text() == row.name
    form.accept()  # nothing changed: no edit, no undo step
    assert form.result() == SubActivityDialog.Accepted and tab.undo_stack.count() == 0


def test_delete_a_sub_kegiatan_with_its_lines_then_undo(qtbot, tab, monkeypatch):
    listing = SubActivitiesDialog(tab.project, tab.undo_stack, 2024, tab.signals, tab)
    qtbot.addWidget(listing)
    listing.show()
    listing.table.selectRow(1)
    row = listing.selected()
    lines = {i for i, sub in lines_on_disk(tab).items() if sub == row.id}
    assert len(lines) == row.lines > 0
    asked = []
    monkeypatch.setattr(listing, "confirm", lambda title, text: asked.append(text) or False)
    assert listing.delete() is False and row.code in subs_on_disk(tab)  # "No" keeps it
    assert f"its {row.lines} budget lines" in asked[0] and row.code in asked[0]
    monkeypatch.setattr(listing, "confirm", lambda title, text: True)
    assert listing.delete()
    assert row.code not in subs_on_disk(tab) and not lines & set(lines_on_disk(tab))
    assert listing.table.rowCount() == 1 and "Undo" in listing.status.text()
    assert tab.model.index_of_sub_activity(row.id).isValid() is False
    tab.undo_stack.undo()
    assert row.code in subs_on_disk(tab) and lines <= set(lines_on_disk(tab))
    assert {i for i, sub in lines_on_disk(tab).items() if sub == row.id} == lines
    assert tab.model.index_of_sub_activity(row.id).isValid()


def test_the_toolbar_opens_the_list_and_a_double_click_on_a_sub_kegiatan_row_its_form(qtbot, tab):
    second = tab.sub_activities[1]
    tab.view.setCurrentIndex(tab.model.index_of_line(next(b.id for b in tab.lines
                                                          if b.sub_activity_id == second.id)))

    def look(listing: SubActivitiesDialog):
        assert listing.selected_id() == second.id  # the sub kegiatan of the current row
        assert [listing.table.item(r, 0).text() for r in range(2)] == [s.code for s in tab.sub_activities]
        assert listing.table.item(1, 2).text() == str(second.lines)
        listing.reject()

    modal(qtbot, SubActivitiesDialog, look, tab.act_sub_activities.trigger)

    def rename(form: SubActivityDialog):
        assert form.code_text() == second.code
        form.fields["name"].setText("Pemeliharaan Sarana Pelayanan")
        form.accept()

    index = tab.model.index_of_sub_activity(second.id, COLUMN_INDEX["description"])
    modal(qtbot, SubActivityDialog, rename, lambda: tab.view.doubleClicked.emit(index))
    assert subs_on_disk(tab)[second.code]["name"] == "Pemeliharaan Sarana Pelayanan"
    assert tab.model.index_of_sub_activity(second.id, COLUMN_INDEX["description"]).data() == \
        "Pemeliharaan Sarana Pelayanan"


def test_a_read_only_project_shows_the_list_but_offers_no_edits(qtbot, demo_file):
    with open_for_screen(demo_file, readonly=True) as (project, signals, stack):
        listing = SubActivitiesDialog(project, stack, 2024, signals)
        qtbot.addWidget(listing)
        listing.table.selectRow(0)
        assert listing.table.rowCount() == 2
        assert not listing.add_button.isEnabled() and not listing.delete_button.isEnabled()
        assert listing.edit_button.isEnabled()  # to read the context


# --- lines and sub kegiatan -------------------------------------------------------------------------

def test_move_two_lines_to_the_other_sub_kegiatan_then_undo(qtbot, tab):
    first, second = tab.sub_activities
    ids = [b.id for b in tab.lines if b.sub_activity_id == first.id][:2]
    tab.select_lines(ids)
    assert tab.act_move_sub.isEnabled()

    def choose(dialog: QInputDialog):
        assert dialog.comboBoxItems() == [first.label, second.label]
        assert dialog.textValue() == second.label  # the other one is offered
        assert "Move 2 lines" in dialog.labelText()
        dialog.accept()

    modal(qtbot, QInputDialog, choose, tab.act_move_sub.trigger)
    assert {lines_on_disk(tab)[i] for i in ids} == {second.id}
    assert sorted(tab.selected_line_ids()) == sorted(ids)
    assert all(tab.model.index_of_line(i).data(SUB_ACTIVITY_ROLE) == second.id for i in ids)
    assert tab.message.text() == f"2 lines moved to sub kegiatan {second.code}"
    tab.undo_stack.undo()
    assert {lines_on_disk(tab)[i] for i in ids} == {first.id}
    assert not tab.message.isVisible()
    tab.select_lines(ids)
    modal(qtbot, QInputDialog, lambda dialog: dialog.reject(), tab.move_to_sub_activity)  # cancelled: nothing
    assert {lines_on_disk(tab)[i] for i in ids} == {first.id} and tab.undo_stack.count() == 1


def test_moving_lines_already_there_is_refused_on_the_message_line(tab):
    first = tab.sub_activities[0]
    ids = [b.id for b in tab.lines if b.sub_activity_id == first.id][:1]
    tab.select_lines(ids)
    assert tab.move_to_sub_activity(first.id) is False
    assert tab.message.isVisible() and "already under" in tab.message.text()
    assert tab.undo_stack.count() == 0


def test_move_up_stays_within_the_account_of_its_sub_kegiatan(tab):
    """Two sub kegiatan with lines on the same account: Move up swaps lines within the account row shown,
    not with a line of the other sub kegiatan that sits between them in the year's order."""
    first, second = tab.sub_activities
    by_code: dict[str, list[int]] = {}
    for b in tab.lines:
        if b.sub_activity_id == first.id:
            by_code.setdefault(b.account_code, []).append(b.id)
    code, mine = max(by_code.items(), key=lambda kv: len(kv[1]))
    assert len(mine) >= 3, "the demo has an account with three lines"
    tab.select_lines([mine[1]])
    assert tab.move_to_sub_activity(second.id)  # the middle line goes to the other sub kegiatan
    tab.select_lines([mine[2]])
    tab.act_up.trigger()
    shown = [b.id for b in tab.lines if b.sub_activity_id == first.id and b.account_code == code]
    assert shown[:2] == [mine[2], mine[0]]
    assert tab.selected_line_ids() == [mine[2]]


def test_the_line_dialog_puts_a_line_under_the_chosen_sub_kegiatan(qtbot, tab):
    first, second = tab.sub_activities
    line = next(b for b in tab.lines if b.sub_activity_id == first.id)
    tab.view.setCurrentIndex(tab.model.index_of_sub_activity(second.id))
    assert tab.current_sub_activity_id() == second.id

    def add(dialog: BudgetLineDialog):
        assert dialog.sub_activity.currentData() == second.id  # the sub kegiatan of the current row
        assert [dialog.sub_activity.itemData(i) for i in range(dialog.sub_activity.count())] == [first.id, second.id]
        dialog.description.setText("Rak Arsip")
        dialog.coefficient.setText("2 Unit")
        dialog.price.setText("1.500.000")
        dialog.accept()

    dialog, _ = modal(qtbot, BudgetLineDialog, add, tab.act_add.trigger)
    assert dialog.line_ids, dialog.form.error_text() + dialog.general_error.text()
    (new_id,) = dialog.line_ids
    assert lines_on_disk(tab)[new_id] == second.id and tab.selected_line_ids() == [new_id]
    edit = BudgetLineDialog(tab.project, tab.undo_stack, 2024, tab.choices, line=line, parent=tab)
    qtbot.addWidget(edit)
    assert edit.sub_activity.currentData() == first.id
    edit.sub_activity.setCurrentIndex(edit.sub_activity.findData(second.id))
    edit.accept()
    assert lines_on_disk(tab)[line.id] == second.id
    tab.undo_stack.undo()
    assert lines_on_disk(tab)[line.id] == first.id


def test_add_line_in_a_year_without_sub_kegiatan_makes_the_default_one(qtbot, tab):
    tab.set_year(2029)
    assert tab.sub_activities == [] and tab.model.rowCount() == 0

    def add(dialog: BudgetLineDialog):
        assert dialog.sub_activity.count() == 1 and dialog.sub_activity.currentData() is None
        assert dialog.sub_activity.currentText().startswith(cmd.DEFAULT_SUB_ACTIVITY)
        assert "(new)" in dialog.sub_activity.currentText()
        dialog.description.setText("Kursi Tunggu")
        dialog.coefficient.setText("10 Unit")
        dialog.price.setText("750.000")
        dialog.accept()

    dialog, _ = modal(qtbot, BudgetLineDialog, add, tab.add_line)
    (new_id,) = dialog.line_ids  # the sub kegiatan made with it is not taken for a line
    subs = subs_on_disk(tab, 2029)
    assert list(subs) == [cmd.DEFAULT_SUB_ACTIVITY]
    assert subs[cmd.DEFAULT_SUB_ACTIVITY]["program"] == nomenclature.context(cmd.DEFAULT_SUB_ACTIVITY)["program"]
    assert lines_on_disk(tab, 2029) == {new_id: subs[cmd.DEFAULT_SUB_ACTIVITY]["id"]}
    assert tab.model.rowCount() == 1 and tab.model.index(0, 0).data() == cmd.DEFAULT_SUB_ACTIVITY
    assert tab.selected_line_ids() == [new_id]
    tab.undo_stack.undo()  # the line and the sub kegiatan made for it go together
    assert subs_on_disk(tab, 2029) == {} and lines_on_disk(tab, 2029) == {}


def test_collapsed_rows_are_remembered_per_sub_kegiatan(tab):
    first, second = tab.sub_activities
    tab.view.collapse(tab.model.index_of_sub_activity(second.id))
    code = tab.model.index(0, 0, tab.model.index_of_sub_activity(first.id)).data()
    tab.view.collapse(tab.model.index_of_code(code, sub_activity_id=first.id))
    line = next(b for b in tab.lines if b.sub_activity_id == first.id)
    tab.model.setData(tab.index_for(line.id, "description"), "Meja Baru")  # the tree is read again
    assert not tab.view.isExpanded(tab.model.index_of_sub_activity(second.id))
    assert not tab.view.isExpanded(tab.model.index_of_code(code, sub_activity_id=first.id))
    assert tab.view.isExpanded(tab.model.index_of_sub_activity(first.id))


# --- gaps -----------------------------------------------------------------------------------------

def test_gaps_go_under_the_chosen_sub_kegiatan_with_the_chosen_priority_and_are_shown(qtbot, tab):
    from tests.commands.test_budget_commands import needs_of_every_severity

    ids = needs_of_every_severity(tab.project, History(tab.project))[:2]  # a high and a medium finding
    first, second = tab.sub_activities
    tab.view.collapseAll()  # the new lines must be opened to be seen
    tab.view.scrollToTop()

    def choose(dialog: GapsDialog):
        assert dialog.sub_activity.currentData() == first.id
        assert [dialog.sub_activity.itemText(i) for i in range(dialog.sub_activity.count())] == [
            first.label, second.label]
        assert dialog.priority.currentText() == "From the finding (high → 1)"
        dialog.sub_activity.setCurrentIndex(dialog.sub_activity.findData(second.id))
        dialog.priority.setCurrentIndex(dialog.priority.findData(1))
        dialog.set_checked(ids)
        dialog.accept()

    dialog, _ = modal(qtbot, GapsDialog, choose, tab.act_gaps.trigger)
    new = dialog.line_ids
    assert len(new) == 2
    saved = on_disk(tab, lambda p: {b.id: (b.sub_activity_id, b.priority, b.need_id)
                                    for b in cmd.lines_of_year(p, 2024) if b.id in new})
    assert sorted(saved.values()) == sorted((second.id, 1, need) for need in ids)
    assert sorted(tab.selected_line_ids()) == sorted(new) and tab.message.text() == "2 lines added"
    viewport = tab.view.viewport().rect()
    for ident in new:
        index = tab.model.index_of_line(ident)
        parent = index.parent()
        while parent.isValid():
            assert tab.view.isExpanded(parent)
            parent = parent.parent()
        assert tab.index_for(ident, "priority").data() == "1 – high"
    assert tab.view.visualRect(tab.model.index_of_line(new[0])).intersects(viewport)
    tab.undo_stack.undo()
    assert not set(new) & set(lines_on_disk(tab))


def test_gaps_in_a_year_without_sub_kegiatan_make_the_default_one(qtbot, tab):
    from tests.commands.test_budget_commands import needs_of_every_severity

    ids = needs_of_every_severity(tab.project, History(tab.project))
    tab.set_year(2028)

    def choose(dialog: GapsDialog):
        assert dialog.sub_activity.count() == 1 and dialog.sub_activity.currentData() is None
        dialog.set_checked(ids[:1])
        dialog.accept()

    dialog, _ = modal(qtbot, GapsDialog, choose, tab.act_gaps.trigger)
    assert len(dialog.line_ids) == 1 and tab.selected_line_ids() == dialog.line_ids
    assert list(subs_on_disk(tab, 2028)) == [cmd.DEFAULT_SUB_ACTIVITY]
    assert on_disk(tab, lambda p: p.get(BudgetLine, dialog.line_ids[0]).priority) == 1  # high finding


# --- forms, exports, SIPD -------------------------------------------------------------------------

def test_the_form_choice_and_the_file_names_it_suggests(tab):
    assert [tab.form.itemData(i) for i in range(tab.form.count())] == ["usulan", "rka"]
    assert tab.current_form == "usulan" and tab.suggested_name("pdf") == "usulan-2024.pdf"
    assert tab.suggested_name("pdf", "rka") == "rka-2024.pdf"
    assert tab.suggested_name("xlsx", "rka") == "rka-2024.xlsx"
    tab.scope.setCurrentIndex(tab.scope.findData(tab.sub_activities[1].code))
    assert tab.scope_code == tab.sub_activities[1].code
    assert tab.suggested_name("pdf", "rka") == f"rka-2024-{tab.sub_activities[1].code}.pdf"
    assert [tab.scope.itemData(i) for i in range(tab.scope.count())] == [None] + [
        s.code for s in tab.sub_activities]


def test_main_window_menus_offer_both_forms_and_the_sipd_export(qtbot, demo_window):
    demo_window.export_menu.aboutToShow.emit()
    exports = [a.text() for a in demo_window.export_menu.actions()]
    prints = [a.text() for a in demo_window.print_menu.actions()]
    assert any("Budget request sheet (PDF)" in t for t in exports)
    assert any("RKA rincian belanja (PDF)" in t for t in exports)
    assert any("RKA rincian belanja with formulas (XLSX)" in t for t in exports)
    assert any("Export for SIPD" in t for t in exports)
    assert any("Print RKA rincian belanja" in t for t in prints)
    assert any("Print budget request" in t for t in prints)


@pytest.mark.skipif(not HAS_RKA, reason="reports.budget_rka (helper H1) is not there yet")
@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "csv"])
def test_export_the_rka_form_chosen_in_the_toolbar(qtbot, tab, tmp_path, fmt, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    tab.form.setCurrentIndex(tab.form.findData("rka"))
    asked = []

    def save_as(parent, caption, suggested, filters):
        asked.append(suggested)
        return str(tmp_path / f"rka-2024.{fmt}"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_as))
    tab.act_export_form[fmt].trigger()
    assert asked and asked[0].endswith(f"rka-2024.{fmt}")
    out = tmp_path / f"rka-2024.{fmt}"
    qtbot.waitUntil(lambda: not running_jobs(), timeout=30_000)
    assert out.stat().st_size > 0
    assert "Jumlah Anggaran Sub Kegiatan" in text_of(out, fmt)


def text_of(path, fmt: str) -> str:
    if fmt == "pdf":
        from pypdf import PdfReader

        return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)
    if fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path)
        return " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row
                        if c.value is not None)
    return path.read_text(encoding="utf-8-sig")


@pytest.mark.skipif(not HAS_RKA, reason="reports.budget_rka (helper H1) is not there yet")
def test_export_the_rka_of_one_sub_kegiatan(qtbot, tab, tmp_path):
    code = tab.sub_activities[1].code
    tab.scope.setCurrentIndex(tab.scope.findData(code))
    out = tmp_path / "rka.csv"
    handle = finished(qtbot, tab.export_to(out, "csv", "rka"))
    assert handle.error is None, handle.error
    text = out.read_text(encoding="utf-8-sig")
    assert code in text and tab.sub_activities[0].code not in text


@pytest.mark.skipif(not HAS_RKA, reason="reports.budget_rka (helper H1) is not there yet")
def test_print_preview_of_the_rka_goes_through_the_same_pages(qtbot, tab, monkeypatch):
    from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget

    from mpp_planner.reports.budget import recorded_pages

    seen = {}

    def fake_exec(dialog):
        dialog.show()
        QApplication.processEvents()
        seen["pages"] = dialog.findChild(QPrintPreviewWidget).pageCount()
        seen["title"] = dialog.windowTitle()
        dialog.close()
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", fake_exec)
    tab.form.setCurrentIndex(tab.form.findData("rka"))
    tab.act_preview.trigger()  # the toolbar's preview makes the form chosen in the toolbar
    qtbot.waitUntil(lambda: "pages" in seen, timeout=30_000)
    assert seen["pages"] == len(recorded_pages(tab.project, 2024, form="rka")) >= 2
    assert "RKA" in seen["title"]


def test_the_sipd_actions_call_the_sipd_screens_with_the_year_and_sub_kegiatan(tab, monkeypatch):
    calls = []
    fake = types.ModuleType("mpp_planner.qt.budget.sipd")
    fake.export_sipd = lambda parent, project, year, sub_activity=None: calls.append(
        ("export", parent, project, year, sub_activity))
    fake.import_lines = lambda parent, project, undo_stack, year: calls.append(
        ("import", parent, project, undo_stack, year))
    monkeypatch.setitem(sys.modules, "mpp_planner.qt.budget.sipd", fake)
    import mpp_planner.qt.budget as package

    monkeypatch.setattr(package, "sipd", fake, raising=False)
    tab.act_export_sipd.trigger()
    code = tab.sub_activities[0].code
    tab.scope.setCurrentIndex(tab.scope.findData(code))
    tab.act_export_sipd.trigger()
    tab.act_import.trigger()
    assert calls == [("export", tab, tab.project, 2024, None), ("export", tab, tab.project, 2024, code),
                     ("import", tab, tab.project, tab.undo_stack, 2024)]


def test_a_sub_kegiatan_name_is_readable_in_the_tree(tab):
    """Long names are elided in the column; the whole name and the context are in the tooltip."""
    sub = tab.sub_activities[0]
    index = tab.model.index_of_sub_activity(sub.id, COLUMN_INDEX["description"])
    assert index.data() == sub.name
    tip = index.data(Qt.ToolTipRole)
    assert sub.name in tip and sub.program in tip and sub.funding_source in tip
    width = tab.view.fontMetrics().horizontalAdvance(sub.code) + 2 * tab.view.indentation()
    assert tab.view.columnWidth(0) >= width  # the code is not cut
