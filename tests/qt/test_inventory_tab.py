"""The Inventory & Needs tab driven like a user: edits, dialogs, undo, the file after reopening,
the standards check with its plan overlay, visits, the catalog and the price import; refusals told
where the user is, storage failures in one dialog, exports and the check as cancellable jobs."""

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemDelegate, QComboBox, QDialog, QLineEdit, QMessageBox, QWidget
from sqlalchemy import func, select

from mpp_planner.model import InventoryItem, ItemType, Need, Room, Visit, VisitFinding
from mpp_planner.qt.inventory.catalog import CatalogDialog, PriceImportDialog
from mpp_planner.qt.inventory.dialogs import InventoryItemDialog, NeedDialog, VisitDialog, VisitFindingDialog
from mpp_planner.qt.jobs import running_jobs
from tests.conftest import reopen
from tests.helpers import file_rows, storage_fails
from tests.qt.plan_helpers import reopened


@pytest.fixture
def window(demo_window):
    demo_window.show_tab("inventory")
    return demo_window


@pytest.fixture
def warnings(monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[2]))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    return shown


def tab_of(window):
    return window.tab_widgets["inventory"]


def choose_room(tab, name):
    tree = tab.rooms
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        if top.text(0) == name:
            tree.setCurrentItem(top)
            return
        for c in range(top.childCount()):
            if top.child(c).text(0) == name:
                tree.setCurrentItem(top.child(c))
                return
    raise AssertionError(name)


def cell(view, model, row_pred, header):
    col = next(i for i, c in enumerate(model.columns) if c.header == header)
    row = next(i for i, obj in enumerate(model.rows) if row_pred(obj))
    proxy = view.model()
    return proxy.mapFromSource(model.index(row, col))


def open_editor(view):
    editors = [w for w in view.viewport().findChildren(QWidget) if isinstance(w, (QLineEdit, QComboBox))
               and w.parent() is view.viewport() and w.isVisible()]
    assert len(editors) == 1, editors
    return editors[0]


def type_into_cell(qtbot, view, index, text):
    view.setCurrentIndex(index)
    view.edit(index)
    editor = open_editor(view)
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState)  # the delegate commits queued


def count(project, cls):
    return project.session.scalar(select(func.count()).select_from(cls))


def finish(qtbot, handle):
    """Wait until a job has ended and its outcome was handed to the screen (in the GUI thread)."""
    assert handle is not None
    qtbot.waitUntil(lambda: handle not in running_jobs(), timeout=60_000)
    return handle


@pytest.fixture
def cancel_before_writing(monkeypatch):
    """The user presses Cancel just as the export has made its file (before it is moved into place)."""
    from mpp_planner import jobs
    from mpp_planner.reports import output

    real = output.checkpoint

    def cancel_then_check(*args, **kwargs):
        jobs.current().cancel()
        real(*args, **kwargs)

    monkeypatch.setattr(output, "checkpoint", cancel_then_check)


def test_rooms_grouped_by_floor_filter_the_tables(window):
    tab = tab_of(window)
    p = window.project
    assert tab.items_model.rowCount() == count(p, InventoryItem)
    choose_room(tab, "Ruang Laktasi")
    assert {i.room.name for i in tab.items_model.rows} == {"Ruang Laktasi"}
    assert {n.room.name for n in tab.needs_model.rows} == {"Ruang Laktasi"}
    assert tab.items_view.isColumnHidden(0)
    assert tab.needs_total.text().startswith("This room: 7 open gaps")
    choose_room(tab, "Lantai 2")
    assert {i.room.floor.name for i in tab.items_model.rows} == {"Lantai 2"}
    assert not tab.items_view.isColumnHidden(0)
    laktasi = next(tab.rooms.topLevelItem(1).child(c) for c in range(tab.rooms.topLevelItem(1).childCount())
                   if tab.rooms.topLevelItem(1).child(c).text(0) == "Ruang Laktasi")
    assert laktasi.text(1) == "2" and laktasi.text(2) == "19,900,000"


def test_typing_in_a_cell_edits_with_undo_and_reaches_the_file(window, qtbot):
    tab = tab_of(window)
    choose_room(tab, "Ruang Pelayanan Lt. 1")
    index = cell(tab.items_view, tab.items_model, lambda i: i.item_type.key == "pc" and i.condition == "B", "Qty")
    item = tab.items_model.row_object(tab.items_view.model().mapToSource(index).row())
    type_into_cell(qtbot, tab.items_view, index, "9")
    assert item.quantity == Decimal("9.00")
    assert index.data() == "9"
    assert "Edit inventory" in window.act_undo.text()
    # the PC need's gap follows at once: 3 required, 9 good PCs -> gap 0
    pc_need = next(n for n in tab.needs_model.rows if n.item_type.key == "pc")
    assert tab.gaps[pc_need.id].missing == 0
    window.act_undo.trigger()
    assert item.quantity == Decimal("8.00")
    window.act_redo.trigger()
    item_id = item.id
    p = reopen(window.project)
    try:
        assert p.get(InventoryItem, item_id).quantity == Decimal("9.00")
    finally:
        p.close()


def test_refused_cell_edit_keeps_the_value_and_pushes_nothing(window, qtbot, warnings):
    tab = tab_of(window)
    choose_room(tab, "Ruang Laktasi")
    index = cell(tab.items_view, tab.items_model, lambda i: i.item_type.key == "kursi_plastik", "Qty")
    steps = window.undo_stack.count()
    type_into_cell(qtbot, tab.items_view, index, "1.5")
    # the reason is told on the tab's message line, under the table the user typed in: no box
    assert tab.message.isVisible() and "whole number" in tab.message.text()
    assert warnings == []
    assert index.data() == "1"
    type_into_cell(qtbot, tab.items_view, index, "-2")
    assert "negative" in tab.message.text()
    price = cell(tab.items_view, tab.items_model, lambda i: i.item_type.key == "kursi_plastik", "Purchase price (Rp)")
    type_into_cell(qtbot, tab.items_view, price, "abc")
    assert "'abc' is not a price." in tab.message.text()
    assert window.undo_stack.count() == steps
    item_id = tab.items_model.row_object(tab.items_view.model().mapToSource(index).row()).id
    p = reopen(window.project)
    try:
        assert p.get(InventoryItem, item_id).quantity == Decimal("1.00")
    finally:
        p.close()


def test_condition_combo_edit_changes_the_gap(window, qtbot):
    tab = tab_of(window)
    choose_room(tab, "Ruang Pelayanan Lt. 1")
    index = cell(tab.items_view, tab.items_model, lambda i: i.item_type.key == "pc" and i.condition == "B", "Condition")
    item = tab.items_model.row_object(tab.items_view.model().mapToSource(index).row())
    tab.items_view.setCurrentIndex(index)
    tab.items_view.edit(index)
    editor = open_editor(tab.items_view)
    assert isinstance(editor, QComboBox)
    editor.setCurrentIndex(editor.findData("RB"))
    tab.items_view.commitData(editor)
    tab.items_view.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
    assert item.condition == "RB"
    pc_need = next(n for n in tab.needs_model.rows if n.item_type.key == "pc")
    assert tab.gaps[pc_need.id].missing == Decimal(3)  # no good PC left in the room
    tab.count_kb.setChecked(True)
    assert tab.gaps[pc_need.id].missing == Decimal(0)  # the three fair ones count now
    window.act_undo.trigger()
    assert item.condition == "B"


def test_add_item_dialog_with_a_refused_value_then_accepted(window, qtbot):
    tab = tab_of(window)
    p = window.project
    choose_room(tab, "Ruang Laktasi")
    before = len(tab.items_model.rows)
    dialog = InventoryItemDialog(p, window.undo_stack, None, tab.selected_room_id(), tab)
    qtbot.addWidget(dialog)
    dialog.item_type.setCurrentIndex(dialog.item_type.findText("Lemari Es / Kulkas 2 Pintu"))
    assert dialog.unit.text() == "unit"
    dialog.quantity.setText("-1")
    dialog.accept()
    assert not dialog.error.isHidden() and "negative" in dialog.error.text()
    assert len(tab.items_model.rows) == before
    dialog.quantity.setText("1")
    dialog.brand.setText("Sharp SJ-195")
    dialog.price.setText("3.950.000")
    dialog.year.setText("2024")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert len(tab.items_model.rows) == before + 1
    new = next(i for i in tab.items_model.rows if i.brand_model == "Sharp SJ-195")
    assert (new.room.name, new.purchase_price, new.year) == ("Ruang Laktasi", Decimal("3950000.00"), 2024)
    kulkas_need = next(n for n in tab.needs_model.rows if n.item_type.key == "kulkas")
    assert tab.gaps[kulkas_need.id].missing == 0
    window.act_undo.trigger()
    assert len(tab.items_model.rows) == before


def test_delete_key_removes_selected_rows_and_undo_restores(window, qtbot):
    tab = tab_of(window)
    choose_room(tab, "Mushola")
    assert len(tab.items_model.rows) == 3
    tab.items_view.setFocus()
    tab.items_view.selectAll()
    qtbot.keyClick(tab.items_view, Qt.Key_Delete)
    assert len(tab.items_model.rows) == 0
    window.act_undo.trigger()
    assert len(tab.items_model.rows) == 3
    assert {i.item_type.key for i in tab.items_model.rows} == {"ac_split_2pk", "rak_mukena", "karpet_sajadah"}


def test_needs_add_edit_delete_with_totals(window, qtbot):
    tab = tab_of(window)
    p = window.project
    choose_room(tab, "Mushola")
    assert tab.needs_model.rows == []
    dialog = NeedDialog(p, window.undo_stack, None, tab.selected_room_id(), tab)
    qtbot.addWidget(dialog)
    dialog.item_type.setCurrentIndex(dialog.item_type.findText("Karpet Sajadah Masjid"))
    dialog.quantity.setText("40")
    dialog.reason.setPlainText("Perluasan shaf")
    dialog.accept()
    [need] = tab.needs_model.rows
    assert tab.gaps[need.id].missing == Decimal(10)  # 30 m² good
    assert "This room: 1 open gaps, cost at reference prices: Rp2,650,000" in tab.needs_total.text()
    index = cell(tab.needs_view, tab.needs_model, lambda n: n.id == need.id, "Required")
    type_into_cell(qtbot, tab.needs_view, index, "35,5")
    assert need.quantity == Decimal("35.50")
    assert "Rp1,457,500" in tab.needs_total.text()
    tab.needs_view.setFocus()
    tab.needs_view.selectRow(0)
    qtbot.keyClick(tab.needs_view, Qt.Key_Delete)
    assert tab.needs_model.rows == []
    window.act_undo.trigger()
    window.act_undo.trigger()
    assert tab.needs_model.rows[0].quantity == Decimal("40.00")
    need_id = tab.needs_model.rows[0].id
    p2 = reopen(window.project)
    try:
        assert p2.get(Need, need_id).reason == "Perluasan shaf"
    finally:
        p2.close()


def test_check_standards_create_needs_and_overlay(window, qtbot):
    from mpp_planner.qt.inventory.plan_overlay import SEVERITY_COLOURS

    tab = tab_of(window)
    p = window.project
    tab.act_check.trigger()
    panel = tab.findings_panel
    finish(qtbot, panel.job)
    assert tab.pages.currentWidget() is panel
    assert panel.model.rowCount() == len(panel.findings) >= 15
    assert any(f.rule_id == "lactation_area" for f in panel.findings)
    assert "findings" in panel.status.text()
    # the plan shows the findings; the lactation room is outlined in red
    plan = window.tab_widgets["plan"]
    scene = panel._scene_for(plan, next(f.floor_id for f in panel.findings if f.room_name == "Ruang Laktasi"))
    overlay = [i for i in scene.items() if i.data(0) == "findings-overlay"]
    assert overlay
    laktasi = p.session.scalar(select(Room).where(Room.name == "Ruang Laktasi"))
    red = [i for i in overlay if i.pen().color().name().upper() == SEVERITY_COLOURS["high"]]
    assert any(i.boundingRect().contains(1250, 1750) for i in red)
    assert any("8.75 m²" in i.toolTip() for i in red)
    assert laktasi.id
    # the overlay does not take clicks from the plan
    assert all(i.acceptedMouseButtons() == Qt.NoButton for i in overlay)
    panel.highlight.setChecked(False)
    assert not [i for i in scene.items() if i.data(0) == "findings-overlay"]
    panel.highlight.setChecked(True)
    assert [i for i in scene.items() if i.data(0) == "findings-overlay"]
    # create needs: one step, the status says what was left out
    before = count(p, Need)
    panel.create_needs()
    added = count(p, Need) - before
    assert added > 0 and "need(s) added" in panel.status.text() and "already planned" in panel.status.text()
    window.act_undo.trigger()
    assert count(p, Need) == before
    window.act_redo.trigger()
    assert count(p, Need) == before + added
    # double-click a finding: the plan tab shows its floor
    row = next(i for i, f in enumerate(panel.model.rows) if f.floor_name == "Lantai 2")
    index = panel.proxy.mapFromSource(panel.model.index(row, 0))
    panel.view.doubleClicked.emit(index)
    assert window.tabs.currentIndex() == 0 and window.tab_widgets["plan"] is plan
    shown = plan.view.scene() if hasattr(plan, "view") else None
    assert getattr(shown, "floor_id", panel.model.rows[row].floor_id) == panel.model.rows[row].floor_id


def test_broken_rule_file_shows_the_line_and_keeps_the_findings(window, qtbot, tmp_path, warnings):
    from mpp_planner.standards import RuleFileError

    panel = tab_of(window).findings_panel
    assert finish(qtbot, panel.run_check()).error is None
    before = list(panel.findings)
    bad = tmp_path / "rules.toml"
    bad.write_text('[rules.x]\nkind = "room_min_area"\nroom_kinds = ["lactation_room"]\nmin_area = 12\n')
    panel.rules_path = bad
    assert isinstance(finish(qtbot, panel.run_check()).error, RuleFileError)
    assert "rules.toml, line 4" in warnings[-1]
    assert panel.findings == before


def test_overlay_survives_a_plan_reload(window, qtbot):
    panel = tab_of(window).findings_panel
    finish(qtbot, panel.run_check())
    for overlay in panel.overlays.values():
        overlay.scene.clear()  # the plan redraws itself and drops (deletes) the overlay items
    panel.clear_plan()  # must not touch deleted items
    assert panel.show_on_plan() > 0


def test_visit_with_finding_linked_needs_and_follow_up(window, qtbot):
    from datetime import date

    from PySide6.QtCore import QDate

    tab = tab_of(window)
    p = window.project
    visits = tab.visits_panel
    dialog = VisitDialog(p, window.undo_stack, None, visits)
    qtbot.addWidget(dialog)
    dialog.accept()
    assert "must not be empty" in dialog.error.text()
    dialog.date.setDate(QDate(2024, 6, 3))
    dialog.office.setText("Ombudsman RI Perwakilan Jawa Timur")
    dialog.visitor.setText("Tim Penilaian Kepatuhan")
    dialog.accept()
    assert visits.current_visit().office == "Ombudsman RI Perwakilan Jawa Timur"  # newest first, selected
    vid = visits.current_visit().id
    fdialog = VisitFindingDialog(p, window.undo_stack, vid, None, visits)
    qtbot.addWidget(fdialog)
    fdialog.text.setPlainText("Ruang laktasi belum ada kulkas.")
    fdialog.room.setCurrentIndex(fdialog.room.findText("Ruang Laktasi — Lantai 1"))
    for i in range(fdialog.needs.count()):
        if "Lemari Es" in fdialog.needs.item(i).text():
            fdialog.needs.item(i).setCheckState(Qt.Checked)
    fdialog.accept()
    [finding] = visits.findings_model.rows
    assert finding.room.name == "Ruang Laktasi" and finding.planned_year == p.site.fiscal_year
    assert "Lemari Es / Kulkas 2 Pintu × 1" in visits._needs_text(finding)
    # follow-up status edited in the table
    index = visits.findings_proxy.mapFromSource(visits.findings_model.index(0, 2))
    assert visits.findings_proxy.setData(index, "budgeted")
    assert p.get(VisitFinding, finding.id).status == "budgeted"
    window.act_undo.trigger()
    assert p.get(VisitFinding, finding.id).status == "open"
    window.act_undo.trigger()  # the finding
    window.act_undo.trigger()  # the visit
    assert p.get(Visit, vid) is None
    window.act_redo.trigger()
    window.act_redo.trigger()
    p2 = reopen(window.project)
    try:
        f = p2.get(VisitFinding, finding.id)
        assert f.visit.date == date(2024, 6, 3) and f.text == "Ruang laktasi belum ada kulkas."
        assert p2.session.scalar(select(func.count()).select_from(Need).where(Need.visit_finding_id == f.id)) == 1
    finally:
        p2.close()


def test_catalog_edit_price_updates_gap_costs_and_refuses_deleting_used_types(window, qtbot, warnings):
    tab = tab_of(window)
    p = window.project
    dialog = CatalogDialog(p, window.signals, window.undo_stack, tab)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.search.setText("kulkas")
    assert dialog.proxy.rowCount() == 1
    index = dialog.proxy.index(0, 4)
    type_into_cell(qtbot, dialog.view, index, "4.500.000")
    kulkas = p.session.scalar(select(ItemType).where(ItemType.key == "kulkas"))
    assert kulkas.ref_price == Decimal("4500000.00")
    choose_room(tab, "Ruang Laktasi")
    need = next(n for n in tab.needs_model.rows if n.item_type.key == "kulkas")
    index = cell(tab.needs_view, tab.needs_model, lambda n: n.id == need.id, "Gap cost (Rp)")
    assert index.data() == "4,500,000"
    dialog.view.selectRow(0)
    dialog.delete_selected()
    assert dialog.message.isVisible() and "is used by" in dialog.message.text()  # told in the catalog
    assert warnings == []
    window.act_undo.trigger()
    assert kulkas.ref_price == Decimal("4000000.00")
    assert index.data() == "4,000,000"
    dialog.close()


def test_price_import_dialog_previews_then_imports_all_or_nothing(window, qtbot, tmp_path):
    p = window.project
    bad = tmp_path / "bad.csv"
    bad.write_text("kode,harga\nkulkas,4350000\nkulkas_mini,1000\n", encoding="utf-8")
    dialog = PriceImportDialog(p, window.undo_stack, tab_of(window), source=bad)
    qtbot.addWidget(dialog)
    finish(qtbot, dialog.job)  # the list is read in a worker
    assert not dialog.import_button.isEnabled()
    assert "row 3" in dialog.errors.toPlainText() and "kulkas_mini" in dialog.errors.toPlainText()
    good = tmp_path / "good.csv"
    good.write_text("kode,harga\nkulkas,4350000\nwastafel,3250000\n", encoding="utf-8")
    finish(qtbot, dialog.load(good))
    assert dialog.import_button.isEnabled() and dialog.model.rowCount() == 2
    assert "1 item type(s) will change" in dialog.status.text()
    qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
    assert p.session.scalar(select(ItemType.ref_price).where(ItemType.key == "kulkas")) == Decimal("4350000.00")
    assert "Import 1 price(s)" in window.act_undo.text()
    window.act_undo.trigger()
    assert p.session.scalar(select(ItemType.ref_price).where(ItemType.key == "kulkas")) == Decimal("4000000.00")


def test_menu_actions_and_exports(window, qtbot, tmp_path):
    tab = tab_of(window)
    edit_texts = [a.text() for a in window.menu_edit.actions()]
    assert tab.act_catalog.text() in edit_texts and tab.act_check.text() in edit_texts
    assert tab.act_export_kir in window.export_menu.actions()
    finish(qtbot, tab.export_kir_to(tmp_path / "kir.pdf", "Ruang Laktasi"))
    assert (tmp_path / "kir.pdf").stat().st_size > 1000
    finish(qtbot, tab.findings_panel.export_to(tmp_path / "temuan.pdf"))
    assert (tmp_path / "temuan.pdf").read_bytes().startswith(b"%PDF")


# --- one way to run an edit: storage failures and refusals --------------------------------------

def test_disk_full_while_typing_a_quantity_shows_one_dialog_and_changes_nothing(window, qtbot, monkeypatch,
                                                                                dialog_texts):
    tab = tab_of(window)
    choose_room(tab, "Ruang Laktasi")
    index = cell(tab.items_view, tab.items_model, lambda i: i.item_type.key == "kursi_plastik", "Qty")
    item_id = tab.items_model.row_object(tab.items_view.model().mapToSource(index).row()).id
    before = file_rows(window.project.path, "inventory_item")
    steps = window.undo_stack.count()
    storage_fails(monkeypatch, window.project, "full")
    type_into_cell(qtbot, tab.items_view, index, "7")
    [(title, text)] = dialog_texts  # one dialog, nothing else
    assert title == "Change not saved" and "The disk is full" in text and "Nothing was changed" in text
    index = cell(tab.items_view, tab.items_model, lambda i: i.id == item_id, "Qty")
    assert index.data() == "1"  # the table shows what the file holds
    assert window.project.get(InventoryItem, item_id).quantity == Decimal("1.00")
    assert window.undo_stack.count() == steps and not tab.message.isVisible()
    assert file_rows(window.project.path, "inventory_item") == before
    monkeypatch.undo()
    with reopened(window) as p:
        assert p.get(InventoryItem, item_id).quantity == Decimal("1.00")


def test_file_locked_while_adding_a_need_keeps_the_dialog_open(window, qtbot, monkeypatch, dialog_texts):
    tab = tab_of(window)
    choose_room(tab, "Mushola")
    before = file_rows(window.project.path, "need")
    dialog = NeedDialog(window.project, window.undo_stack, None, tab.selected_room_id(), tab)
    qtbot.addWidget(dialog)
    dialog.item_type.setCurrentIndex(dialog.item_type.findText("Karpet Sajadah Masjid"))
    dialog.quantity.setText("40")
    storage_fails(monkeypatch, window.project, "locked")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted  # still open: the user can try again
    assert [t for t, _text in dialog_texts] == ["Change not saved"]
    assert "busy" in dialog_texts[0][1]
    assert tab.needs_model.rows == [] and file_rows(window.project.path, "need") == before
    monkeypatch.undo()
    dialog.accept()  # the file is free again
    assert dialog.result() == QDialog.DialogCode.Accepted and len(tab.needs_model.rows) == 1


def test_refusals_are_told_where_the_user_is_and_cleared_by_the_next_edit(window, qtbot, warnings):
    tab = tab_of(window)
    visits = tab.visits_panel
    tab.pages.setCurrentWidget(visits)
    status = visits.findings_proxy.mapFromSource(visits.findings_model.index(0, 2))  # "Follow-up"
    steps = window.undo_stack.count()
    # what the cell editor hands over is refused by the model: told on the tab's line, under this page
    assert not visits.findings_proxy.setData(status, "nonsense")
    assert tab.message.isVisible() and tab.message.text().startswith("⚠ ")
    assert visits.isVisible() and warnings == [] and window.undo_stack.count() == steps
    # the next edit that goes through clears it
    assert visits.findings_proxy.setData(status, "done")
    assert not tab.message.isVisible() and window.undo_stack.count() == steps + 1


# --- one way to run a job: exports and the check in a worker, with Cancel ------------------------

@pytest.fixture
def out(tmp_path):
    """An empty folder for the exports (the project file lives beside it)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.mark.parametrize("name", ["kir.pdf", "kir.xlsx", "kir.csv"])
def test_kir_export_runs_as_a_job_and_says_where_it_wrote(window, qtbot, out, name):
    tab = tab_of(window)
    handle = finish(qtbot, tab.export_kir_to(out / name))
    assert handle.error is None and not handle.cancelled
    assert (out / name).stat().st_size > 500
    assert window.statusBar().currentMessage() == f"Written: {out / name}"


@pytest.mark.parametrize("name", ["kir.pdf", "kir.xlsx", "kir.csv"])
def test_cancelled_kir_export_leaves_no_file(window, qtbot, out, cancel_before_writing, dialog_texts, name):
    tab = tab_of(window)
    handle = finish(qtbot, tab.export_kir_to(out / name))
    assert handle.cancelled and handle.error is None
    assert list(out.iterdir()) == []  # neither the file nor its temporary copy
    assert dialog_texts == [] and not window.statusBar().currentMessage().startswith("Written")


def test_kir_export_of_an_unknown_room_is_refused_in_a_box(window, qtbot, out, dialog_texts):
    handle = finish(qtbot, tab_of(window).export_kir_to(out / "kir.pdf", "Gudang"))
    assert isinstance(handle.error, LookupError)
    [(title, text)] = dialog_texts
    assert title == "Export KIR" and "No room is called 'Gudang'" in text
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("name", ["temuan.pdf", "temuan.csv"])
def test_findings_export_runs_as_a_job(window, qtbot, out, name):
    panel = tab_of(window).findings_panel
    handle = finish(qtbot, panel.export_to(out / name))
    assert handle.error is None and (out / name).stat().st_size > 200
    assert window.statusBar().currentMessage() == f"Written: {out / name}"


@pytest.mark.parametrize("name", ["temuan.pdf", "temuan.csv"])
def test_cancelled_findings_export_leaves_no_file(window, qtbot, out, cancel_before_writing, dialog_texts,
                                                  name):
    panel = tab_of(window).findings_panel
    handle = finish(qtbot, panel.export_to(out / name))
    assert handle.cancelled and list(out.iterdir()) == [] and dialog_texts == []


def test_cancelled_check_keeps_what_was_shown(window, qtbot, monkeypatch, dialog_texts):
    from mpp_planner import jobs
    from mpp_planner.reads import findings

    panel = tab_of(window).findings_panel
    finish(qtbot, panel.run_check())
    shown, status = list(panel.findings), panel.status.text()
    real = findings.checkpoint

    def cancel_midway(done=0, total=0, text=""):
        if done == 2:  # the project is read, the rules have not run yet
            jobs.current().cancel()
        real(done, total, text)

    monkeypatch.setattr(findings, "checkpoint", cancel_midway)
    handle = finish(qtbot, panel.run_check())
    assert handle.cancelled and handle.result is None
    assert panel.findings == shown and panel.model.rows == shown and panel.status.text() == status
    assert dialog_texts == []


def test_the_catalogs_undo_button_goes_through_the_stacks_handling(window, qtbot, monkeypatch, dialog_texts):
    from PySide6.QtWidgets import QToolButton

    p = window.project
    dialog = CatalogDialog(p, window.signals, window.undo_stack, tab_of(window))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.search.setText("kulkas")
    type_into_cell(qtbot, dialog.view, dialog.proxy.index(0, 4), "4.500.000")
    undo = next(b.defaultAction() for b in dialog.findChildren(QToolButton) if b.text() == "Undo")
    assert undo.isEnabled()
    index = window.undo_stack.index()
    saved = file_rows(p.path, "item_type")
    storage_fails(monkeypatch, p, "io")
    undo.trigger()
    assert [t for t, _text in dialog_texts] == ["Change not saved"]
    assert window.undo_stack.index() == index  # the stack stays where it was
    assert file_rows(p.path, "item_type") == saved
    kulkas = p.session.scalar(select(ItemType).where(ItemType.key == "kulkas"))
    assert kulkas.ref_price == Decimal("4500000.00") and dialog.proxy.index(0, 4).data() == "4,500,000"
    monkeypatch.undo()
    undo.trigger()
    assert kulkas.ref_price == Decimal("4000000.00") and window.undo_stack.index() == index - 1
    dialog.close()
