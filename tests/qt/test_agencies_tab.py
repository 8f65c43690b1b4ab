"""The Agencies tab driven like a user: drag an agency onto a counter, Assign to… with weekdays,
the register dialogs, delete with unassign, import preview, export — with undo and the file on disk."""

from datetime import date

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialog
from sqlalchemy import func, select

from mpp_planner.model import Agency, Counter, CounterAssignment, Service
from mpp_planner.qt.agencies.assign import AssignDialog, ScheduleDialog
from mpp_planner.qt.agencies.dialog import AgencyDialog
from mpp_planner.qt.agencies.drop import AGENCY_MIME
from mpp_planner.qt.agencies.import_dialog import ImportPreviewDialog
from mpp_planner.qt.jobs import running_jobs
from mpp_planner.qt.plan.items import CounterItem
from tests.helpers import file_rows, storage_fails
from tests.qt.plan_helpers import reopened

MON, TUE, WED, THU, FRI, SAT = 1, 2, 4, 8, 16, 32
WORK = 31


@pytest.fixture
def window(demo_window):
    return demo_window


def by_short(project, short):
    return project.session.scalar(select(Agency).where(Agency.short_name == short))


def counter_id(project, label):
    return project.session.scalar(select(Counter.id).where(Counter.label == label))


def schedule(project, label):
    rows = project.session.execute(
        select(Agency.short_name, CounterAssignment.weekdays).join(Agency)
        .where(CounterAssignment.counter_id == counter_id(project, label)).order_by(CounterAssignment.id)).all()
    return {short: days for short, days in rows}


def on_disk(window, label):
    with reopened(window) as again:
        return schedule(again, label)


def counter_item(window, label):
    plan = window.tab_widgets["plan"]
    project = window.project
    cid = counter_id(project, label)
    floor_id = project.get(Counter, cid).floor_id
    plan.floor_bar.setCurrentIndex(plan.floor_ids.index(floor_id))
    return next(i for i in plan.view.scene().items() if isinstance(i, CounterItem) and i.object_id == cid)


def finished(qtbot, handle, timeout=30000):
    """Wait until a job started by the tab ended (its on_done has run in the GUI thread)."""
    assert handle is not None
    if handle in running_jobs():
        with qtbot.waitSignal(handle.finished, timeout=timeout):
            pass
    return handle


def agency_mime(agency_id):
    mime = QMimeData()
    mime.setData(AGENCY_MIME, str(agency_id).encode())
    return mime


def drag_and_drop(view, pos: QPoint, mime) -> tuple[bool, bool]:
    """Enter, move and drop at ``pos`` of the viewport; returns (move accepted, drop accepted)."""
    vp = view.viewport()
    enter = QDragEnterEvent(pos, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(vp, enter)
    move = QDragMoveEvent(pos, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(vp, move)
    drop = QDropEvent(QPointF(pos), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(vp, drop)
    return move.isAccepted(), drop.isAccepted()


def test_register_rows_carry_the_agency_id_for_dragging(window):
    tab = window.tab_widgets["agencies"]
    row = next(r for r, a in enumerate(tab.model.rows) if a.short_name == "Imigrasi")
    mime = tab.model.mimeData([tab.model.index(row, 0), tab.model.index(row, 1)])
    assert bytes(mime.data(AGENCY_MIME)).decode() == str(tab.model.rows[row].id)
    assert tab.model.flags(tab.model.index(row, 0)) & Qt.ItemIsDragEnabled


def test_drag_agency_from_register_onto_a_free_counter(window, qtbot):
    project = window.project
    tab = window.tab_widgets["agencies"]
    window.show_tab("agencies")
    # while dragging, hovering the Plan tab opens it
    bar = window.tabs.tabBar()
    mime = agency_mime(by_short(project, "BPS").id)
    at = bar.tabRect(0).center()
    QApplication.sendEvent(bar, QDragEnterEvent(at, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier))
    QApplication.sendEvent(bar, QDragMoveEvent(at, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier))
    assert window.tabs.currentIndex() == 0
    item = counter_item(window, "L1-18")
    view = window.tab_widgets["plan"].view
    qtbot.wait(10)
    pos = view.mapFromScene(item.sceneBoundingRect().center())
    # over empty floor the drop is refused and nothing changes
    empty = view.mapFromScene(item.sceneBoundingRect().center() + QPointF(0, 2500))
    assert drag_and_drop(view, empty, mime) == (False, False)
    assert schedule(project, "L1-18") == {}
    assert drag_and_drop(view, pos, mime) == (True, True)
    assert schedule(project, "L1-18") == {"BPS": WORK}
    assert item.agency_text == "BPS"
    assert "BPS" not in tab.overview.summary.text() or "2 without" in tab.summary.text()
    assert [x.short_name for x in tab.allocation.idle_agencies] == ["PLN", "INI"]
    window.act_undo.trigger()
    assert schedule(project, "L1-18") == {} and item.agency_text == ""
    window.act_redo.trigger()
    assert on_disk(window, "L1-18") == {"BPS": WORK}


def test_drop_on_a_counter_others_serve_opens_assign_with_free_days(window, qtbot, monkeypatch):
    project = window.project
    tab = window.tab_widgets["agencies"]
    seen = {}

    def run_dialog(dialog):
        assert isinstance(dialog, AssignDialog)
        seen["days"] = dialog.weekdays()
        seen["agency"] = dialog.agency_id()
        return QDialog.Accepted

    monkeypatch.setattr(tab, "run_dialog", run_dialog)
    item = counter_item(window, "L2-02")  # Imigrasi Tue+Thu, Taspen Wed
    view = window.tab_widgets["plan"].view
    pos = view.mapFromScene(item.sceneBoundingRect().center())
    pos_agency = by_short(project, "Kejari").id
    assert drag_and_drop(view, pos, agency_mime(pos_agency)) == (True, True)
    qtbot.waitUntil(lambda: "days" in seen)
    assert seen == {"days": MON | FRI, "agency": pos_agency}
    assert schedule(project, "L2-02") == {"Imigrasi": TUE | THU, "Taspen": WED, "Kejari": MON | FRI}
    window.act_undo.trigger()
    assert schedule(project, "L2-02") == {"Imigrasi": TUE | THU, "Taspen": WED}


def test_assign_to_from_the_edit_menu_with_weekdays_undo_and_reopen(window, monkeypatch):
    project = window.project
    tab = window.tab_widgets["agencies"]
    assign = next(a for a in window.menu_edit.actions() if a.text().startswith("Assign Counters"))
    a14, a15 = counter_item(window, "L2-14"), counter_item(window, "L2-15")
    a14.setSelected(True)
    a15.setSelected(True)
    imi = by_short(project, "Imigrasi")

    def run_dialog(dialog):
        assert isinstance(dialog, AssignDialog)
        assert {c.label for c in dialog.counters} == {"L2-14", "L2-15"}
        dialog.agency.setCurrentIndex(dialog.agency.findData(imi.id))
        dialog.set_days(0)
        assert not dialog.ok_button.isEnabled()  # no weekday: cannot assign
        dialog.days[0].setChecked(True)  # Mon
        dialog.days[5].setChecked(True)  # Sat
        assert dialog.ok_button.isEnabled()
        return QDialog.Accepted

    monkeypatch.setattr(tab, "run_dialog", run_dialog)
    assign.trigger()
    assert schedule(project, "L2-14") == {"Imigrasi": MON | SAT} == schedule(project, "L2-15")
    assert "Imigrasi" in a14.agency_text
    line = tab.lines[imi.id]
    assert tab.allocation.counters_text(line, str) .count("L2-1") == 2
    window.act_undo.trigger()
    assert schedule(project, "L2-14") == {} == schedule(project, "L2-15")
    window.act_redo.trigger()
    # unassign from the same menu
    unassign = next(a for a in window.menu_edit.actions() if a.text().startswith("Unassign"))
    unassign.trigger()
    assert schedule(project, "L2-14") == {}
    window.act_undo.trigger()
    assert on_disk(window, "L2-15") == {"Imigrasi": MON | SAT}


def test_assign_without_a_plan_selection_explains(window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))
    window.tab_widgets["agencies"].act_assign.trigger()
    assert shown and "Select one or more counters" in shown[0]


def test_assign_dialog_warns_about_clashes(window):
    tab = window.tab_widgets["agencies"]
    project = window.project
    dialog = AssignDialog(tab.allocation, [counter_id(project, "L2-05")], by_short(project, "Pos").id, tab)
    assert dialog.weekdays() == WORK  # no free day at L2-05: proposes the week, shows who loses it
    assert "taken from" in dialog.note.text() and "Kejari" in dialog.note.text()
    dialog.exclusive.setChecked(False)
    assert "Double booking" in dialog.note.text()


def test_the_overview_speaks_the_allocation_lists_terms(window):
    """Issue 18: one set of terms across the sheets and the GUI; the area is the counter desk's."""
    tab = window.tab_widgets["agencies"]
    tab.refresh()
    overview = tab.overview
    tiers = overview.tier_model
    heads = [tiers.headerData(c, Qt.Horizontal) for c in range(tiers.columnCount())]
    assert {"Agencies with a counter", "Desk area (m²)", "Share of desk area"} <= set(heads)
    assert tiers.index(tiers.rowCount() - 1, 0).data() == "Counters not yet allocated"
    agencies = overview.agency_model
    heads = [agencies.headerData(c, Qt.Horizontal) for c in range(agencies.columnCount())]
    area_col = heads.index("Desk area (m²)")
    assert "footprint of the counter desk" in agencies.index(0, area_col).data(Qt.ToolTipRole)
    warnings = [overview.warnings.item(i).text() for i in range(overview.warnings.count())]
    assert "4 counter(s) not yet allocated: L1-18, L2-14, L2-15, L2-16" in warnings
    assert "counters allocated" in overview.summary.text()


def test_counter_schedule_dialog_from_the_overview(window, monkeypatch):
    project = window.project
    tab = window.tab_widgets["agencies"]

    def run_dialog(dialog):
        assert isinstance(dialog, ScheduleDialog)
        taspen = next(r for r in range(dialog.table.rowCount())
                      if dialog.table.cellWidget(r, 0).currentText().startswith("Taspen"))
        dialog.set_day(taspen, 4, True)  # Fri
        dialog.set_day(taspen, 1, True)  # Tue: clashes with Imigrasi
        assert "Double booking on Tue" in dialog.note.text()
        dialog.set_day(taspen, 1, False)
        return QDialog.Accepted

    monkeypatch.setattr(tab, "run_dialog", run_dialog)
    tab.overview.counter_activated.emit(counter_id(project, "L2-02"))
    assert schedule(project, "L2-02") == {"Imigrasi": TUE | THU, "Taspen": WED | FRI}


def test_add_edit_and_refused_duplicate_in_the_dialog(window, monkeypatch):
    project = window.project
    tab = window.tab_widgets["agencies"]
    window.show_tab("agencies")  # the register is refreshed while it is seen
    n0 = tab.model.rowCount()
    results = []

    def fill_new(dialog):
        assert isinstance(dialog, AgencyDialog)
        dialog.name.setText("Polres Probolinggo Kota")  # exists
        dialog.short_name.setText("BNN")
        dialog.tier.setCurrentIndex(dialog.tier.findData("pusat"))
        dialog.accept()
        results.append(dialog.error.text())
        assert dialog.result() != QDialog.Accepted
        dialog.name.setText("Badan Narkotika Nasional Kota Probolinggo")
        dialog.colour.setText("#12AB34")
        dialog.mou_number.setText("PKS/07/2024")
        dialog.has_mou_date.setChecked(True)
        dialog.mou_date.setDate(date(2024, 3, 1))
        dialog.service_entry.setText("Tes urine")
        dialog.add_service()
        dialog.service_entry.setText("Konsultasi P4GN")
        dialog.add_service()
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(tab, "run_dialog", fill_new)
    tab.act_add.trigger()
    assert "already exists" in results[0]
    assert tab.model.rowCount() == n0 + 1
    bnn = by_short(project, "BNN")
    assert bnn.colour == "#12AB34" and bnn.mou_date == date(2024, 3, 1)
    assert [s.name for s in bnn.services] == ["Tes urine", "Konsultasi P4GN"]
    assert tab.selected_ids() == [bnn.id]

    def edit(dialog):
        assert dialog.name.text() == "Badan Narkotika Nasional Kota Probolinggo"
        dialog.short_name.setText("BNNK")
        dialog.services.takeItem(0)
        dialog.services.item(0).setText("Konsultasi dan Rehabilitasi")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(tab, "run_dialog", edit)
    tab.act_edit.trigger()
    bnn = project.get(Agency, bnn.id)
    assert bnn.short_name == "BNNK" and [s.name for s in bnn.services] == ["Konsultasi dan Rehabilitasi"]
    window.act_undo.trigger()
    bnn = project.get(Agency, bnn.id)
    assert bnn.short_name == "BNN" and len(bnn.services) == 2
    window.act_undo.trigger()
    assert project.get(Agency, bnn.id) is None and tab.model.rowCount() == n0


def test_delete_agency_holding_counters_asks_then_unassigns_undoably(window, monkeypatch):
    project = window.project
    tab = window.tab_widgets["agencies"]
    capil = by_short(project, "Dispendukcapil")
    tab.select_ids([capil.id])
    asked = []
    monkeypatch.setattr(tab, "ask", lambda title, text: asked.append(text) or False)
    tab.act_delete.trigger()
    assert asked and "L1-03, L1-04, L1-05" in asked[0]
    assert project.get(Agency, capil.id) is not None
    monkeypatch.setattr(tab, "ask", lambda title, text: True)
    tab.act_delete.trigger()
    assert by_short(project, "Dispendukcapil") is None
    assert schedule(project, "L1-03") == {}
    assert "L1-03" in [c.label for c in tab.allocation.unassigned]
    window.act_undo.trigger()
    assert schedule(project, "L1-03") == {"Dispendukcapil": WORK}
    assert project.session.scalar(select(func.count()).select_from(Service)
                                  .where(Service.agency_id == capil.id)) == 5
    # an agency without counters goes without asking
    bps = by_short(project, "BPS")
    tab.select_ids([bps.id])
    monkeypatch.setattr(tab, "ask", lambda *a: pytest.fail("should not ask"))
    tab.act_delete.trigger()
    assert by_short(project, "BPS") is None


def test_tier_filter_and_search(window, qtbot):
    tab = window.tab_widgets["agencies"]
    tab.tier_filter.setCurrentIndex(tab.tier_filter.findData("bumn"))
    assert tab.proxy.rowCount() == 4
    qtbot.keyClicks(tab.search, "Pos")
    assert tab.proxy.rowCount() == 1
    tab.tier_filter.setCurrentIndex(0)
    tab.search.clear()
    assert tab.proxy.rowCount() == tab.model.rowCount()
    # sorting by tier follows the tier order, not the label
    tab.view.sortByColumn(2, Qt.AscendingOrder)
    first = tab.model.rows[tab.proxy.mapToSource(tab.proxy.index(0, 0)).row()]
    assert first.tier == "pusat"


def test_import_preview_refuses_bad_rows_and_imports_good_ones_as_one_step(window, qtbot, tmp_path, monkeypatch):
    project = window.project
    tab = window.tab_widgets["agencies"]
    window.show_tab("agencies")
    n0 = tab.model.rowCount()
    bad = tmp_path / "bad.csv"
    bad.write_text("nama,singkatan,tingkat,warna\nBNN,BNN,vertikal,#123456\nDesa,Desa,kelurahan,merah\n")
    seen = {}

    def preview(dialog):
        assert isinstance(dialog, ImportPreviewDialog)
        seen["enabled"] = dialog.import_button.isEnabled()
        seen["status"] = dialog.table.item(1, 6).text()
        return QDialog.Rejected

    monkeypatch.setattr(tab, "run_dialog", preview)
    finished(qtbot, tab.import_agencies(bad))  # the file is read as a job, then previewed
    assert seen["enabled"] is False and "kelurahan" in seen["status"]
    assert tab.model.rowCount() == n0
    good = tmp_path / "good.csv"
    good.write_text("nama,singkatan,tingkat,layanan\nBadan Narkotika Nasional,BNN,vertikal,Tes urine\n"
                    "Dinas Koperasi,Diskop,kab/kota,UMKM; Koperasi\n", encoding="cp1252")
    monkeypatch.setattr(tab, "run_dialog", lambda d: QDialog.Accepted if d.import_button.isEnabled() else 0)
    finished(qtbot, tab.import_agencies(good))
    assert tab.model.rowCount() == n0 + 2
    assert {a.short_name for a in tab.model.rows if a.id in tab.selected_ids()} == {"BNN", "Diskop"}
    assert len(by_short(project, "Diskop").services) == 2
    window.act_undo.trigger()
    assert tab.model.rowCount() == n0 and by_short(project, "BNN") is None


def test_export_from_the_gui_runs_off_the_gui_thread(window, qtbot, tmp_path):
    from pypdf import PdfReader

    tab = window.tab_widgets["agencies"]
    assert tab.act_export in window.export_menu.actions()
    out = tmp_path / "alokasi.pdf"
    job = tab.start_export(out)
    assert job is not None
    qtbot.waitUntil(lambda: not tab.jobs, timeout=30000)
    assert "DAFTAR ALOKASI LOKET" in PdfReader(out).pages[0].extract_text()
    from PySide6.QtWidgets import QMessageBox

    shown = []
    original = QMessageBox.warning
    QMessageBox.warning = staticmethod(lambda *a: shown.append(a[2]))
    try:
        assert tab.start_export(tmp_path / "nope" / "x.xlsx") is None
    finally:
        QMessageBox.warning = original
    assert shown and "does not exist" in shown[0]


def test_schedule_from_the_counter_properties_panel(window, monkeypatch):
    """Issue 4: the agency can also be set in the counter's properties on the plan."""
    from PySide6.QtWidgets import QPushButton

    project = window.project
    plan = window.tab_widgets["plan"]
    cid = counter_id(project, "L2-02")
    plan.floor_bar.setCurrentIndex(1)
    item = next(i for i in plan.view.scene().items() if isinstance(i, CounterItem) and i.object_id == cid)
    plan.view.scene().clearSelection()
    item.setSelected(True)
    QApplication.processEvents()
    panel = plan.properties
    button = next(b for b in panel.findChildren(QPushButton) if b.text() == "Schedule…")
    tab = window.tab_widgets["agencies"]

    def run_dialog(dialog):
        assert isinstance(dialog, ScheduleDialog)
        taspen = next(r for r in range(dialog.table.rowCount())
                      if dialog.table.cellWidget(r, 0).currentText().startswith("Taspen"))
        dialog.set_day(taspen, 4, True)  # Fri
        return QDialog.Accepted

    monkeypatch.setattr(tab, "run_dialog", run_dialog)
    button.click()
    assert schedule(project, "L2-02") == {"Imigrasi": TUE | THU, "Taspen": WED | FRI}
    window.undo_stack.undo()
    assert schedule(project, "L2-02") == {"Imigrasi": TUE | THU, "Taspen": WED}


# --- the edit runner and the job runner (one way to run an edit, one way to run a job) -----------

def test_a_failed_save_in_the_edit_dialog_keeps_the_dialog_open_and_the_file_unchanged(
        window, monkeypatch, dialog_texts):
    project = window.project
    tab = window.tab_widgets["agencies"]
    window.show_tab("agencies")
    bps = by_short(project, "BPS")
    before = file_rows(project.path, "agency")
    tab.select_ids([bps.id])
    storage_fails(monkeypatch, project, "full")
    seen = {}

    def edit(dialog):
        dialog.short_name.setText("BPS Kota")
        dialog.accept()  # OK: the commit fails like on a full disk
        seen["open"] = dialog.result() != QDialog.Accepted
        seen["typed"] = dialog.short_name.text()
        return dialog.result()

    monkeypatch.setattr(tab, "run_dialog", edit)
    tab.act_edit.trigger()
    [(title, text)] = dialog_texts
    assert title == "Change not saved" and "disk is full" in text and "Nothing was changed" in text
    assert seen == {"open": True, "typed": "BPS Kota"}  # what was typed is still there to try again
    assert by_short(project, "BPS") is not None and by_short(project, "BPS Kota") is None
    row = next(r for r, a in enumerate(tab.model.rows) if a.id == bps.id)
    assert tab.model.index(row, 1).data() == "BPS"  # the register shows the old value
    assert window.undo_stack.count() == 0
    monkeypatch.undo()
    assert file_rows(project.path, "agency") == before


def test_a_refused_drop_says_why_in_the_status_bar_and_on_the_tab(qtbot, demo_file, dialog_texts):
    from mpp_planner.project import Project
    from mpp_planner.qt.main_window import MainWindow

    window = MainWindow(Project.open(demo_file, readonly=True))
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    try:
        project = window.project
        tab = window.tab_widgets["agencies"]
        item = counter_item(window, "L1-18")  # free: the drop would assign at once
        view = window.tab_widgets["plan"].view
        pos = view.mapFromScene(item.sceneBoundingRect().center())
        assert drag_and_drop(view, pos, agency_mime(by_short(project, "BPS").id)) == (True, True)
        assert "read-only" in window.statusBar().currentMessage()  # seen on the plan, where the user is
        assert "read-only" in tab.message.text()  # and on the tab when the user goes there
        assert dialog_texts == [] and schedule(project, "L1-18") == {} and window.undo_stack.count() == 0
    finally:
        window.close()


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_the_allocation_list_is_read_and_written_in_a_job(window, qtbot, tmp_path, monkeypatch, suffix):
    import threading

    from mpp_planner.reports import allocations

    tab = window.tab_widgets["agencies"]
    seen = []
    real_collect = allocations.collect

    def collect(project, *args, **kwargs):
        seen.append((threading.current_thread() is threading.main_thread(), project is window.project,
                     project.readonly))
        return real_collect(project, *args, **kwargs)

    monkeypatch.setattr(allocations, "collect", collect)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / f"alokasi.{suffix}"
    finished(qtbot, tab.start_export(out))
    assert seen == [(False, False, True)]  # in the worker, on its own read-only connection
    assert out.exists() and not tab.jobs
    assert window.statusBar().currentMessage() == f"Written: {out}"
    assert [p.name for p in folder.iterdir()] == [out.name]


def test_a_cancelled_allocation_list_export_leaves_no_file(window, qtbot, tmp_path, monkeypatch, dialog_texts):
    from mpp_planner import jobs
    from mpp_planner.reports import output

    tab = window.tab_widgets["agencies"]
    real = output.checkpoint

    def cancel_then_check(*args):  # the user presses Cancel while the file is being written
        jobs.current().cancel()
        real(*args)

    monkeypatch.setattr(output, "checkpoint", cancel_then_check)
    window.statusBar().clearMessage()
    folder = tmp_path / "out"
    folder.mkdir()
    handle = finished(qtbot, tab.start_export(folder / "alokasi.xlsx"))
    assert handle.cancelled and handle.error is None
    assert list(folder.iterdir()) == []  # neither the file nor its temporary
    assert dialog_texts == [] and "Written" not in window.statusBar().currentMessage() and not tab.jobs


def test_a_cancelled_import_shows_no_preview_and_adds_nothing(window, qtbot, tmp_path, monkeypatch):
    from mpp_planner import jobs
    from mpp_planner.qt.agencies import tab as tab_module

    tab = window.tab_widgets["agencies"]
    window.show_tab("agencies")
    n0 = tab.model.rowCount()
    good = tmp_path / "good.csv"
    good.write_text("nama,singkatan,tingkat\nBadan Narkotika Nasional,BNN,vertikal\n")
    real = tab_module.read_import

    def read_then_cancel(reader, path):
        plan = real(reader, path)
        jobs.current().cancel()  # Cancel pressed while the file was read
        jobs.checkpoint()
        return plan

    monkeypatch.setattr(tab_module, "read_import", read_then_cancel)
    monkeypatch.setattr(tab, "run_dialog", lambda d: pytest.fail("no preview after Cancel"))
    assert finished(qtbot, tab.import_agencies(good)).cancelled
    assert tab.model.rowCount() == n0 and window.undo_stack.count() == 0


def test_an_unreadable_import_file_is_refused_with_its_reason(window, qtbot, tmp_path, dialog_texts):
    tab = window.tab_widgets["agencies"]
    empty = tmp_path / "kosong.csv"
    empty.write_text("warna\n#123456\n")  # none of the required columns
    finished(qtbot, tab.import_agencies(empty))
    [(title, text)] = dialog_texts
    assert title == "Cannot import" and text
