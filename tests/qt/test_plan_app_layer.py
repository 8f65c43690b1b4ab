"""The plan tab on the application layer: its edits go through the one edit runner (a refusal told on
the plan, a storage failure in one dialog with nothing changed), it follows changes by meaning, and
the plan export and print run as jobs that can be cancelled without leaving a file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from mpp_planner import jobs
from mpp_planner.commands.plan import PlaceCounter
from mpp_planner.model import Counter
from mpp_planner.project import Project
from mpp_planner.qt.plan_export.dialog import PlanExportDialog
from mpp_planner.reads.plan import floor_list
from tests.helpers import file_rows, storage_fails
from tests.qt.plan_helpers import drag, plan_file, reopened, tab, window, zoom  # noqa: F401


@pytest.fixture
def counters(tab, window):
    """Three counters in the service hall at x = 11, 13, 15 m, y = 2 m."""
    fid = floor_list(window.project)[0].id
    ids = []
    for x in (11000, 13000, 15000):
        cmd = PlaceCounter(fid, x, 2000)
        window.undo_stack.push_command(cmd)
        ids.append(cmd.created[0][1])
    window.undo_stack.clear()
    return ids


# --- edits --------------------------------------------------------------------------------------

def test_a_drag_that_cannot_be_saved_shows_one_dialog_and_changes_nothing(tab, window, counters, monkeypatch,
                                                                           dialog_texts):
    view = tab.view
    project = window.project
    zoom(view, 0.1, (13000, 3500))
    before = file_rows(project.path, "counter")
    drag(view, (10050, 1000), (15950, 3000))  # select the three counters
    storage_fails(monkeypatch, project, "full")
    drag(view, (13000, 2000), (13000, 5000), steps=6)  # and move them down 3 m: the disk is full
    assert [title for title, _text in dialog_texts] == ["Change not saved"]
    assert "The disk is full" in dialog_texts[0][1] and "Nothing was changed" in dialog_texts[0][1]
    # the plan shows the counters where they were (the preview of the drag is gone), the model too
    items = [view.scene().item_for(("counter", cid)) for cid in counters]
    assert [(i.pos().x(), i.pos().y()) for i in items] == [(11000, 2000), (13000, 2000), (15000, 2000)]
    assert [project.get(Counter, cid).y for cid in counters] == [2000, 2000, 2000]
    assert window.undo_stack.count() == 0 and not window.act_undo.isEnabled()
    assert tab.editor.last_error == ""  # not told twice (the dialog said it)
    assert file_rows(project.path, "counter") == before
    with reopened(window) as again:
        assert sorted(again.get(Counter, c).y for c in counters) == [2000, 2000, 2000]


def test_a_refused_edit_is_told_on_the_plan_and_in_the_status_bar(tab, window, monkeypatch, dialog_texts):
    fid = tab.current_floor_id()
    monkeypatch.setattr(tab.editor, "ask_text", lambda *a, **k: "   ")  # the user clears the floor's name
    assert not tab.rename_floor()
    assert "name" in tab.view.banner.text().lower() and tab.view.banner.isVisible()
    assert tab.view.banner.text() == window.statusBar().currentMessage() == tab.editor.last_error
    assert dialog_texts == []  # no box: the reason is where the user looks
    assert tab.floor_bar.tabText(tab.floor_ids.index(fid)) == "Lantai 1"
    assert window.undo_stack.count() == 0


def test_edits_are_announced_as_made_by_the_plan(tab, window, counters):
    seen = []
    window.project.subscribe(seen.append)
    tab.view.scene().select_refs([("counter", counters[0])])
    assert tab.editor.rotate_selection(90)
    assert seen and seen[-1].origin == "plan"
    window.project.unsubscribe(seen.append)


def test_a_hidden_plan_catches_up_when_shown(tab, window, counters):
    """Edits made on another tab reach the plan once it is shown again (not while it is hidden)."""
    window.show_tab("agencies")
    QCoreApplication.processEvents()
    assert not tab.isVisible()
    fid = tab.current_floor_id()
    window.undo_stack.push_command(PlaceCounter(fid, 12000, 6000))
    cid = max(c.id for c in window.project.all(Counter))
    assert tab.view.scene().item_for(("counter", cid)) is None  # not yet: the plan is hidden
    window.show_tab("plan")
    QCoreApplication.processEvents()
    assert tab.view.scene().item_for(("counter", cid)) is not None


# --- export and print as jobs ---------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _no_leftovers_from_other_modules(qtbot):
    """Windows closed by earlier tests are deleted when the event loop next runs: let that happen first."""
    with qtbot.capture_exceptions():
        QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
        QCoreApplication.processEvents()


@pytest.fixture
def demo(demo_file):
    p = Project.open(demo_file)
    yield p
    p.close()


@pytest.fixture
def dialog(qtbot, demo):
    d = PlanExportDialog(demo)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    d.scale.setCurrentIndex(d.scale.findData("1:200"))
    qtbot.waitUntil(lambda: d.sheet_label.text().startswith("Sheet 1 of 1"))
    yield d
    d.done(0)


@pytest.fixture
def folder(tmp_path):
    """An empty folder for the exported files (the demo project lies in tmp_path)."""
    out = tmp_path / "out"
    out.mkdir()
    return out


def finished(qtbot, dialog, handle):
    with qtbot.waitSignal(handle.finished, timeout=60_000):
        pass
    assert dialog.export_job is None


def cancel_at(monkeypatch, module, calls_before: int = 0):
    """Cancel the running job from inside ``module``'s checkpoint, after ``calls_before`` calls (the user
    presses Cancel at that very moment)."""
    real = module.checkpoint
    calls = []

    def checkpoint(*args, **kwargs):
        calls.append(args)
        if len(calls) > calls_before:
            jobs.current().cancel()
        real(*args, **kwargs)

    monkeypatch.setattr(module, "checkpoint", checkpoint)
    return calls


def test_export_runs_as_a_job_and_writes_the_file(qtbot, dialog, folder, dialog_texts):
    out = folder / "denah.pdf"
    assert dialog.export_to(out)
    handle = dialog.export_job
    assert handle is not None and not dialog.export_button.isEnabled()
    finished(qtbot, dialog, handle)
    assert out.exists() and dialog.last_written == [str(out)]
    assert not handle.cancelled and handle.error is None and dialog_texts == []
    assert "Written: denah.pdf" in dialog.summary.text()
    assert dialog.export_button.isEnabled()


def test_export_cancelled_just_before_the_file_is_moved_into_place_leaves_no_file(qtbot, dialog, folder,
                                                                                  monkeypatch, dialog_texts):
    from mpp_planner.reports import output

    calls = cancel_at(monkeypatch, output)  # the atomic writer's last check, once the PDF is written
    out = folder / "denah.pdf"
    assert dialog.export_to(out)
    handle = dialog.export_job
    finished(qtbot, dialog, handle)
    assert calls and handle.cancelled
    assert list(folder.iterdir()) == []  # neither the file nor its temporary copy
    assert dialog.last_written == [] and "Written" not in dialog.summary.text() and dialog_texts == []
    assert dialog.export_button.isEnabled()


def test_svg_export_cancelled_after_the_first_sheet_leaves_no_sheet(qtbot, dialog, folder, monkeypatch):
    from mpp_planner.reports import plan as plan_report

    dialog.scale.setCurrentIndex(dialog.scale.findData("1:100"))
    qtbot.waitUntil(lambda: dialog.sheet_label.text().startswith("Sheet 1 of 3"))
    dialog.format.setCurrentIndex(dialog.format.findData("svg"))
    calls = cancel_at(monkeypatch, plan_report, calls_before=1)  # step(0), then cancel at step(1)
    assert dialog.export_to(folder / "denah.svg")
    handle = dialog.export_job
    finished(qtbot, dialog, handle)
    assert handle.cancelled and len(calls) == 2
    assert list(folder.iterdir()) == []


def test_a_running_export_is_cancelled_from_its_handle(qtbot, dialog, folder, monkeypatch):
    """What the progress dialog's Cancel does: the job stops at its next checkpoint, no file."""
    import threading

    from mpp_planner.reports import plan as plan_report

    started, go_on = threading.Event(), threading.Event()
    real = plan_report.checkpoint

    def held(*args, **kwargs):  # the worker waits at its first step until the user has pressed Cancel
        started.set()
        go_on.wait(10)
        real(*args, **kwargs)

    monkeypatch.setattr(plan_report, "checkpoint", held)
    out = folder / "denah.pdf"
    assert dialog.export_to(out)
    handle = dialog.export_job
    assert started.wait(30)
    handle.cancel()
    go_on.set()
    finished(qtbot, dialog, handle)
    assert handle.cancelled and not out.exists() and list(folder.iterdir()) == []


def test_an_export_that_cannot_write_says_which_file(qtbot, dialog, folder, monkeypatch, dialog_texts):
    import errno

    from mpp_planner.reports import plan_pdf

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(plan_pdf, "write_pdf", no_space)
    out = folder / "denah.pdf"
    assert dialog.export_to(out)
    finished(qtbot, dialog, dialog.export_job)
    assert dialog_texts == [("Cannot export the plan", f"Cannot write '{out}': No space left on device")]
    assert not out.exists()


def test_print_runs_as_a_job_and_cancelled_prints_nothing(qtbot, dialog, folder, monkeypatch):
    from PySide6.QtPrintSupport import QPrinter

    from mpp_planner.qt.plan_export import dialog as dialog_module

    def printer_to(path):
        printer = QPrinter(QPrinter.HighResolution)
        printer.setOutputFormat(QPrinter.PdfFormat)
        printer.setOutputFileName(str(path))
        printer.setResolution(72)
        return printer

    printed = folder / "printed.pdf"
    handle = dialog.print_to(printer_to(printed))
    finished(qtbot, dialog, handle)
    assert dialog.last_printed == 1 and printed.exists()

    cancel_at(monkeypatch, dialog_module)  # Cancel while the first sheet is being drawn
    other = folder / "cancelled.pdf"
    handle = dialog.print_to(printer_to(other))
    finished(qtbot, dialog, handle)
    assert handle.cancelled and dialog.last_printed == 0 and not other.exists()
