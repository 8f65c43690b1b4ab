"""The budget tab driven like a user: cell editors, refused values, dialogs, undo, reopen, printing."""

from datetime import date
from decimal import Decimal

from mpp_planner import formats

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pypdf import PdfReader
from sqlalchemy import func, select

from mpp_planner.commands import budget as cmd
from mpp_planner.model import AccountCode, BudgetCeiling, BudgetLine
from mpp_planner.project import Project
from mpp_planner.qt.budget.dialogs import AccountCodesDialog, BudgetLineDialog, BudgetSettingsDialog, CopyYearDialog
from mpp_planner.qt.budget.gaps import GapsDialog
from mpp_planner.qt.budget.model import COLUMN_INDEX, SUB_ACTIVITY_ROLE
from mpp_planner.qt.budget.tab import BudgetTab
from mpp_planner.qt.jobs import running_jobs
from mpp_planner.qt.signals import ProjectSignals
from mpp_planner.qt.undo import UndoStack
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


def on_disk(tab, fn):
    """Read the file as it is on disk (a second connection), not the open session."""
    other = Project.open(tab.project.path, readonly=True)
    try:
        return fn(other)
    finally:
        other.close()


def finished(qtbot, handle, timeout=30_000):
    """Wait until a job started by the tab ended (its outcome handled in the GUI thread)."""
    assert handle is not None
    if handle in running_jobs():
        with qtbot.waitSignal(handle.finished, timeout=timeout):
            pass
    return handle


def first_requested(tab):
    return next(b for b in tab.lines if b.status == "requested")


def edit_cell(qtbot, tab, line_id, key, text):
    index = tab.index_for(line_id, key)
    tab.view.setCurrentIndex(index)
    tab.view.edit(index)
    editor = tab.view.focusWidget() if isinstance(tab.view.focusWidget(), QLineEdit) else \
        tab.view.findChild(QLineEdit, f"editor_{key}")
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key_Backspace)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key_Return)
    QApplication.processEvents()


def test_tree_groups_lines_by_sub_kegiatan_then_along_the_account_hierarchy(tab):
    model = tab.model
    subs = [model.index(r, 0) for r in range(model.rowCount())]
    assert [s.data() for s in subs] == ["2.18.01.2.07.0006", "2.18.01.2.09.0006"]
    assert [s.siblingAtColumn(COLUMN_INDEX["description"]).data() for s in subs] == [
        "Pengadaan Peralatan dan Mesin Lainnya", "Pemeliharaan Peralatan dan Mesin Lainnya"]
    lines = tab.project.all(BudgetLine)
    requested = [b for b in lines if b.status != "rejected"]
    for sub in subs:  # each sub kegiatan: the account roots of its own lines, with their subtotals
        own = [b for b in requested if b.sub_activity_id == sub.data(SUB_ACTIVITY_ROLE)]
        assert sub.siblingAtColumn(COLUMN_INDEX["amount"]).data() == formats.number(
            sum((b.amount for b in own), Decimal(0)), lang="en")
        roots = [model.index(r, 0, sub) for r in range(model.rowCount(sub))]
        assert [r.data() for r in roots] == sorted({".".join(b.account_code.split(".")[:3]) for b in own})
        for root in roots:
            expected = sum((b.amount for b in own if b.account_code.startswith(root.data() + ".")), Decimal(0))
            assert root.siblingAtColumn(COLUMN_INDEX["amount"]).data() == formats.number(expected, lang="en")
    maintenance = subs[1]
    assert all(model.index(r, 0, maintenance).data() == "5.1.02" for r in range(model.rowCount(maintenance)))
    assert "Program" in subs[0].data(Qt.ToolTipRole)
    assert tab.line_count() == len(lines)
    assert f"requested {formats.rupiah(sum((b.amount for b in requested), Decimal(0)), lang='en')}" in tab.totals.text()
    assert "left" in tab.ceiling_label.text()
    assert tab.priority_table.rowCount() == 3 and tab.room_table.rowCount() > 3


def test_edit_description_and_coefficient_in_place_with_undo_and_reopen(qtbot, tab):
    line = first_requested(tab)
    ident = line.id
    edit_cell(qtbot, tab, ident, "description", "Meja Baru")
    edit_cell(qtbot, tab, ident, "coefficient", "3 Unit x 2 Tahun")
    edit_cell(qtbot, tab, ident, "unit_price", "1.250.000")
    b = tab.project.get(BudgetLine, ident)
    assert (b.description, b.factors, b.unit_price) == ("Meja Baru", [["3", "Unit"], ["2", "Tahun"]],
                                                        Decimal("1250000.00"))
    assert on_disk(tab, lambda p: p.get(BudgetLine, ident).description) == "Meja Baru"
    assert tab.index_for(ident, "amount").data() == "8,325,000"
    tab.undo_stack.undo()
    tab.undo_stack.undo()
    assert on_disk(tab, lambda p: p.get(BudgetLine, ident).factors) == line.factors
    tab.undo_stack.undo()
    assert on_disk(tab, lambda p: p.get(BudgetLine, ident).description) != "Meja Baru"
    tab.undo_stack.redo()
    assert on_disk(tab, lambda p: p.get(BudgetLine, ident).description) == "Meja Baru"


@pytest.mark.parametrize("key, text, words", [
    ("coefficient", "dua unit", "does not start with a number"),
    ("coefficient", "-3 Unit", "above 0"),
    ("unit_price", "1e16", "must be a number"),
    ("unit_price", "10000000000000000", "too large"),
    ("unit_price", "murah", "must be a number"),
    ("description", "", "must not be empty"),
    ("approved_amount", "-1", "negative"),
])
def test_bad_values_are_refused_at_the_field(qtbot, tab, key, text, words):
    line = first_requested(tab)
    before = on_disk(tab, lambda p: p.get(BudgetLine, line.id).column_values())
    edit_cell(qtbot, tab, line.id, key, text)
    assert tab.message.isVisible() and words in tab.message.text()
    qtbot.waitUntil(lambda: tab.view.findChild(QLineEdit, f"editor_{key}") is not None)
    assert tab.view.findChild(QLineEdit, f"editor_{key}").text() == text  # the editor is back with the typed text
    assert on_disk(tab, lambda p: p.get(BudgetLine, line.id).column_values()) == before
    assert tab.undo_stack.count() == 0


def test_unknown_account_code_is_refused(tab):
    line = first_requested(tab)
    index = tab.index_for(line.id, "account_code")
    assert tab.model.setData(index, "5.2.02.99.99.9999") is False
    assert "not in the account code list" in tab.message.text()
    assert tab.project.get(BudgetLine, line.id).account_code != "5.2.02.99.99.9999"


def test_pick_lists_ppn_toggle_status_and_priority(tab):
    line = first_requested(tab)
    ident = line.id
    choices = dict((v, k) for k, v in tab.choices("account_code"))
    assert "5.2.02.05.02.0001" in choices
    tab.model.setData(tab.index_for(ident, "ppn"), Qt.Unchecked, Qt.CheckStateRole)
    assert tab.project.get(BudgetLine, ident).ppn_applied is False
    tab.model.setData(tab.index_for(ident, "status"), "approved")
    tab.model.setData(tab.index_for(ident, "priority"), 1)
    tab.model.setData(tab.index_for(ident, "account_code"), "5.2.02.05.01.0005")
    b = on_disk(tab, lambda p: p.get(BudgetLine, ident).column_values())
    assert (b["ppn_applied"], b["status"], b["priority"], b["account_code"]) == (False, "approved", 1,
                                                                                 "5.2.02.05.01.0005")
    assert tab.index_for(ident, "approved_amount").data() == "as requested"
    for _ in range(4):
        tab.undo_stack.undo()
    assert on_disk(tab, lambda p: p.get(BudgetLine, ident).column_values()) == line.column_values()


def test_add_line_dialog_refuses_bad_input_then_adds(qtbot, tab):
    count = on_disk(tab, lambda p: p.session.scalar(select(func.count()).select_from(BudgetLine)))
    dialog = BudgetLineDialog(tab.project, tab.undo_stack, 2024, tab.choices, account_code="5.2.02.05.02.0001")
    qtbot.addWidget(dialog)
    dialog.description.setText("Rak Arsip")
    dialog.coefficient.setText("4 Unit")
    dialog.price.setText("seratus ribu")
    dialog.accept()
    assert dialog.isVisible() or dialog.result() == 0
    assert "must be a number" in dialog.form.errors["unit_price"].text()
    assert on_disk(tab, lambda p: p.session.scalar(select(func.count()).select_from(BudgetLine))) == count
    dialog.price.setText("2.150.000")
    dialog.accept()
    assert dialog.result() == 1
    new_id = dialog.line_ids[0]
    b = on_disk(tab, lambda p: p.get(BudgetLine, new_id).column_values())
    assert (b["description"], b["unit_price"], b["ppn_rate"], b["fiscal_year"]) == (
        "Rak Arsip", Decimal("2150000.00"), Decimal("11.00"), 2024)
    tab.undo_stack.undo()
    assert on_disk(tab, lambda p: p.get(BudgetLine, new_id)) is None


def test_delete_and_move_through_actions(tab):
    code = "5.2.02.05.02.0001"
    ids = [b.id for b in tab.lines if b.account_code == code]
    tab.select_lines([ids[1]])
    tab.act_up.trigger()
    assert [b.id for b in tab.lines if b.account_code == code][:2] == [ids[1], ids[0]]
    assert tab.selected_line_ids() == [ids[1]]
    tab.act_delete.trigger()
    assert on_disk(tab, lambda p: p.get(BudgetLine, ids[1])) is None
    tab.undo_stack.undo()
    tab.undo_stack.undo()
    assert [b.id for b in tab.lines if b.account_code == code] == ids


def test_years_copy_and_ceiling_warning(qtbot, tab):
    dialog = CopyYearDialog(tab.project, tab.undo_stack, 2024)
    qtbot.addWidget(dialog)
    dialog.accept()
    copied = sum(1 for b in tab.project.all(BudgetLine) if b.fiscal_year == 2024 and b.status != "rejected")
    assert on_disk(tab, lambda p: len(cmd.lines_of_year(p, 2025))) == copied
    tab.set_year(2025)
    assert tab.line_count() == copied and tab.year.currentData() == 2025
    settings = BudgetSettingsDialog(tab.project, tab.undo_stack, 2025)
    qtbot.addWidget(settings)
    settings.ceiling.setText("1.000.000.000")
    settings.rate.setText("abc")
    settings.accept()
    assert "must be a number" in settings.form.errors["ppn_rate"].text()
    settings.rate.setText("12")
    settings.title.setText("USULAN {mpp} TA {year}")
    assert settings.preview.text() == "USULAN MPP KOTA PROBOLINGGO TA 2025"
    settings.accept()
    assert on_disk(tab, lambda p: p.get(BudgetCeiling, 2025).amount) == Decimal("1000000000.00")
    assert "exceeds the ceiling" in tab.ceiling_label.text()
    assert {b.ppn_rate for b in tab.lines if b.ppn_applied} == {Decimal("12.00")}
    tab.undo_stack.undo()
    assert "No ceiling" in tab.ceiling_label.text()
    tab.set_year(2031)
    assert tab.line_count() == 0 and not tab.act_print.isEnabled()


def test_budget_open_gaps_dialog(qtbot, tab):
    tab.set_year(2026)
    dialog = GapsDialog(tab.project, tab.undo_stack, 2026)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == len(cmd.open_gaps(tab.project)) > 0
    assert dialog.checked_ids() == []  # every open gap of the demo is already budgeted in 2024
    assert dialog.table.item(0, 6).text() == "2024"
    dialog.set_checked([g.need.id for g in dialog.gaps[:2]])
    dialog.accept()
    assert tab.line_count() == 2
    assert {b.need_id for b in tab.lines} == {g.need.id for g in dialog.gaps[:2]}
    assert all(tab.index_for(b.id, "need").data() for b in tab.lines)
    tab.undo_stack.undo()
    assert tab.line_count() == 0


def test_account_codes_dialog(qtbot, tab):
    dialog = AccountCodesDialog(tab.project, tab.undo_stack, tab.signals)
    qtbot.addWidget(dialog)
    rows = dialog.table.rowCount()
    dialog.code.setText("5.2.02.98")
    dialog.name.setText("Belanja Modal Uji")
    dialog.add_code()
    assert dialog.table.rowCount() == rows + 1
    assert on_disk(tab, lambda p: p.get(AccountCode, "5.2.02.98").name) == "Belanja Modal Uji"
    dialog.code.setText("5/2/02")
    dialog.name.setText("Salah")
    dialog.add_code()
    assert "pattern" in dialog.error.text()
    used = next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 0).text() == "5.2.02.05.02.0001")
    dialog.table.selectRow(used)
    dialog.delete_selected()
    assert "still used" in dialog.error.text()
    assert ("5.2.02.98 — Belanja Modal Uji", "5.2.02.98") in tab.choices("account_code")


def test_print_to_pdf_file_with_qprinter(qtbot, tab, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    from mpp_planner.reports.budget import write

    printer = tab.sheet_printing().make_printer()  # the project's paper, landscape, as Print… starts it
    printer.setOutputFormat(QPrinter.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    finished(qtbot, tab.paint_sheet(printer, date(2023, 12, 15)))  # laid out in a job, painted here
    reference = tmp_path / "reference.pdf"
    write(tab.project, reference, "pdf", year=2024, sign_date=date(2023, 12, 15))
    printed = PdfReader(out)
    assert len(printed.pages) == len(PdfReader(reference).pages)
    box = printed.pages[0].mediabox
    assert float(box.width) > float(box.height)  # A4 landscape
    text = " ".join(" ".join(p.extract_text().split()) for p in printed.pages)
    assert "USULAN KEBUTUHAN SARANA DAN PRASARANA MPP KOTA PROBOLINGGO TAHUN ANGGARAN 2024" in text
    from mpp_planner.reports.terbilang import terbilang

    total = sum((b.amount for b in tab.project.all(BudgetLine) if b.fiscal_year == 2024 and b.status != "rejected"),
                Decimal(0))
    assert formats.number(total, lang="id") in text
    assert terbilang(total)[:40] in text
    assert "NIP. 19680512 199403 1 007" in text
    assert f"Halaman 1 dari {len(printed.pages)}" in text


def test_main_window_menus_offer_budget_export_and_print(qtbot, demo_file):
    from mpp_planner.qt.main_window import MainWindow

    window = MainWindow(Project.open(demo_file))
    qtbot.addWidget(window)
    window.export_menu.aboutToShow.emit()  # opening the menu builds the tabs that contribute to it
    exports = [a.text() for a in window.export_menu.actions()]
    prints = [a.text() for a in window.print_menu.actions()]
    assert any("Budget request sheet (PDF)" in t for t in exports)
    assert any("XLSX" in t for t in exports) and any("CSV" in t for t in exports)
    assert any("Print budget request" in t for t in prints)
    tab = window.tab_widgets["budget"]
    out = finished(qtbot, tab.export_to(tmp_out := demo_file.with_name("gui.xlsx"), "xlsx")).result
    assert out == tmp_out and out.stat().st_size > 0
    window.close()


def test_print_preview_shows_every_page(qtbot, tab, monkeypatch):
    from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget

    seen = {}

    def fake_exec(dialog):
        dialog.show()
        QApplication.processEvents()
        widget = dialog.findChild(QPrintPreviewWidget)
        seen["pages"] = widget.pageCount()
        dialog.close()
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", fake_exec)
    finished(qtbot, tab.print_preview())
    from mpp_planner.reports.budget import recorded_pages

    assert seen["pages"] == len(recorded_pages(tab.project, 2024)) >= 3


# --- the one edit runner: storage failures and refusals, where the user is ----------------------

def test_a_cell_edit_that_cannot_be_saved_shows_the_storage_dialog_and_keeps_the_old_value(
        qtbot, tab, monkeypatch, dialog_texts):
    from tests.helpers import file_rows, storage_fails

    line = first_requested(tab)
    ident, old = line.id, line.description
    before = file_rows(tab.project.path, "budget_line")
    storage_fails(monkeypatch, tab.project, "full")
    edit_cell(qtbot, tab, ident, "description", "Meja Hilang")
    assert [title for title, _text in dialog_texts] == ["Change not saved"]
    assert "Nothing was changed" in dialog_texts[0][1]
    assert tab.index_for(ident, "description").data() == old  # the tree shows what the file holds
    assert tab.undo_stack.count() == 0 and not tab.message.isVisible()
    monkeypatch.undo()
    assert file_rows(tab.project.path, "budget_line") == before
    assert on_disk(tab, lambda p: p.get(BudgetLine, ident).description) == old


def test_a_dialog_edit_that_cannot_be_saved_keeps_the_dialog_open(qtbot, tab, monkeypatch, dialog_texts):
    from tests.helpers import file_rows, storage_fails

    before = file_rows(tab.project.path, "budget_ceiling")
    settings = BudgetSettingsDialog(tab.project, tab.undo_stack, 2024, parent=tab)
    qtbot.addWidget(settings)
    settings.show()
    storage_fails(monkeypatch, tab.project, "locked")
    settings.ceiling.setText("2.000.000.000")
    settings.accept()
    assert dialog_texts and dialog_texts[-1][0] == "Change not saved"
    assert settings.isVisible() and settings.ceiling.text() == "2.000.000.000"  # nothing typed is lost
    monkeypatch.undo()
    assert file_rows(tab.project.path, "budget_ceiling") == before


def test_a_refused_tab_edit_is_told_on_the_message_line(qtbot, tmp_path, demo_file, dialog_texts):
    """The project is open read-only: deleting lines is refused with the reason above the tree."""
    project = Project.open(demo_file, readonly=True)
    signals = ProjectSignals(project)
    stack = UndoStack(project)
    widget = BudgetTab(project, signals, stack)
    qtbot.addWidget(widget)
    widget.show()
    try:
        count = widget.line_count()
        widget.select_lines([widget.lines[0].id])
        widget.delete_lines()
        assert widget.message.isVisible() and "read-only" in widget.message.text()
        assert dialog_texts == [] and widget.line_count() == count
    finally:
        stack.dispose()
        signals.detach()
        project.close()


def test_a_refused_dialog_edit_keeps_the_dialog_open_with_its_reason(qtbot, tab):
    line = first_requested(tab)
    dialog = BudgetLineDialog(tab.project, tab.undo_stack, 2024, tab.choices, line=line, parent=tab)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.description.setText("")  # refused by the model when the edit sets it
    dialog.accept()
    assert dialog.isVisible() and "must not be empty" in dialog.form.errors["description"].text()
    dialog.description.setText(line.description)
    dialog.coefficient.setText("100000 Unit x 100 Bulan")
    dialog.price.setText("900.000.000.000")  # each value passes; the amount is too large for the command
    dialog.accept()
    assert dialog.isVisible() and "triliun" in dialog.general_error.text(), dialog.form.error_text()
    assert tab.undo_stack.count() == 0
    codes = AccountCodesDialog(tab.project, tab.undo_stack, tab.signals, parent=tab)
    qtbot.addWidget(codes)
    codes.show()
    codes.code.setText("5.2.02.05.02.0001")  # already in the list
    codes.name.setText("Dua Kali")
    codes.add_code()
    assert codes.isVisible() and codes.error.text() and tab.undo_stack.count() == 0


# --- exports and printing run as jobs ----------------------------------------------------------

@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "csv"])
def test_export_runs_as_a_job_and_says_where_it_wrote(qtbot, demo_window, fmt, tmp_path):
    tab = demo_window.tab_widgets["budget"]
    out = tmp_path / f"usulan.{fmt}"
    handle = tab.export_to(out, fmt)
    assert handle is not None
    finished(qtbot, handle)
    assert handle.error is None and handle.result == out and out.stat().st_size > 0
    assert str(out) in demo_window.statusBar().currentMessage()


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "csv"])
def test_a_cancelled_export_leaves_no_file(qtbot, tab, fmt, tmp_path, monkeypatch, dialog_texts):
    """The user cancels while the sheet is being read: the job stops before the file is moved into place."""
    from mpp_planner import jobs
    from mpp_planner.reports import budget as report

    collect = report.collect

    def cancel_then_collect(*args, **kwargs):
        jobs.current().cancel()  # as the Cancel button does, from the GUI thread, while the job runs
        return collect(*args, **kwargs)

    monkeypatch.setattr(report, "collect", cancel_then_collect)
    folder = tmp_path / "out"
    folder.mkdir()
    handle = finished(qtbot, tab.export_to(folder / f"usulan.{fmt}", fmt))
    assert handle.cancelled and handle.result is None
    assert list(folder.iterdir()) == []  # neither the file nor a temporary one
    assert dialog_texts == []


def test_a_year_with_nothing_to_print_is_told_on_the_message_line(qtbot, tab, dialog_texts):
    tab.set_year(2031)
    finished(qtbot, tab.sheet_printing().lay_out("A4", lambda pages: pytest.fail("nothing to print")))
    assert "no budget lines to request in 2031" in tab.message.text() and dialog_texts == []


def test_a_sheet_dated_outside_its_preparation_period_is_told_before_printing(qtbot, tab):
    tab.set_year(2024)
    tab.sheet_printing(sign_date=date(2023, 12, 15))
    assert tab.message.isHidden()
    tab.sheet_printing()  # today: outside 2023
    assert "2023" in tab.message.text() and not tab.message.isHidden()


def test_budget_screens_do_not_query_the_database():
    from pathlib import Path

    import mpp_planner.qt.budget as package

    for path in Path(package.__file__).parent.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "sqlalchemy" not in text and ".session" not in text, path.name


def gaps_dialog_run(qtbot, tab, drive):
    """Open the gaps dialog from the tab's action (modal, as the user does) and let ``drive`` fill it."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialogButtonBox

    seen = []

    def step():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, GapsDialog)
        seen.append(dialog)
        drive(dialog)
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)

    QTimer.singleShot(0, step)
    tab.act_gaps.trigger()
    assert seen and seen[0].result() == GapsDialog.Accepted, seen and seen[0].error.text()
    return seen[0]


def test_gaps_keep_the_finding_priority_and_the_new_lines_are_shown(qtbot, tab):
    from mpp_planner.commands import History
    from tests.commands.test_budget_commands import needs_of_every_severity

    ids = needs_of_every_severity(tab.project, History(tab.project))  # high, medium, low finding; by hand
    tab.set_year(2027)
    shown = {}

    def from_the_finding(dialog):
        assert dialog.priority.currentData() is None and dialog.priority.currentText() == "From the finding (high → 1)"
        assert dialog.default_priority.isEnabled() and dialog.default_priority.currentData() == 2
        rows = {dialog.table.item(r, 0).data(Qt.UserRole): r for r in range(dialog.table.rowCount())}
        dialog.default_priority.setCurrentIndex(dialog.default_priority.findData(3))
        shown.update({i: dialog.table.item(rows[i], 7).text() for i in ids})
        dialog.set_checked(ids)

    dialog = gaps_dialog_run(qtbot, tab, from_the_finding)
    assert [shown[i] for i in ids] == ["1 – high", "2 – medium", "3 – low", "3 – low"]
    new = dialog.line_ids
    assert sorted(tab.selected_line_ids()) == sorted(new) and len(new) == 4
    assert tab.message.isVisible() and tab.message.text() == "4 lines added"
    by_need = {b.need_id: b for b in tab.lines}
    assert [by_need[i].priority for i in ids] == [1, 2, 3, 3]
    assert [tab.index_for(by_need[i].id, "priority").data() for i in ids] == ["1 – high", "2 – medium", "3 – low",
                                                                                "3 – low"]
    tab.undo_stack.undo()
    assert tab.line_count() == 0 and not tab.message.isVisible()

    def one_for_all(dialog):
        dialog.priority.setCurrentIndex(dialog.priority.findData(1))
        assert not dialog.default_priority.isEnabled()
        dialog.set_checked(ids[2:])
        assert {dialog.table.item(r, 7).text() for r in range(dialog.table.rowCount())} == {"1 – high"}

    dialog = gaps_dialog_run(qtbot, tab, one_for_all)
    assert tab.message.text() == "2 lines added"
    assert sorted(tab.selected_line_ids()) == sorted(dialog.line_ids)
    saved = on_disk(tab, lambda p: {b.need_id: b.priority for b in cmd.lines_of_year(p, 2027)})
    assert saved == {ids[2]: 1, ids[3]: 1}
