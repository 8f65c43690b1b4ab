"""The one way to run an edit (UndoStack.run, undo, redo) and the one way to run a job (run_job):
refusals are told where the user is, storage failures in one dialog with the file unchanged, jobs
run off the GUI thread and a cancelled one leaves no file."""

from __future__ import annotations

import time

import pytest
from PySide6.QtWidgets import QApplication

from mpp_planner.commands.generic import SetFields
from mpp_planner.jobs import checkpoint
from mpp_planner.model import Site
from mpp_planner.project import Project, Topic
from mpp_planner.qt.jobs import run_job
from mpp_planner.reports.output import write_csv
from tests.helpers import file_rows, storage_fails


def rename(name: str) -> SetFields:
    return SetFields("Rename", Site, {1: {"name": name}})


def site_names(project: Project) -> list[str]:
    return [row[1] for row in file_rows(project.path, "site")]


def test_an_edit_is_made_undone_and_redone_through_the_runner(stack):
    heard = []
    stack.project.subscribe(heard.append, Topic.SITE)
    assert stack.run(rename("MPP Baru"), origin="budget")
    assert site_names(stack.project) == ["MPP Baru"] and heard[-1].origin == "budget"
    stack.undo()
    assert site_names(stack.project) == ["MPP Uji"] and stack.index() == 0 and heard[-1].origin == "undo"
    stack.redo()
    assert site_names(stack.project) == ["MPP Baru"] and stack.index() == 1


def test_a_refused_edit_is_told_where_the_user_is_and_not_kept(stack, dialog_texts):
    told = []
    assert not stack.run(rename("   "), report=told.append)
    assert told and "name" in told[0].lower()
    assert stack.count() == 0 and dialog_texts == []
    assert site_names(stack.project) == ["MPP Uji"]
    # without a message line of its own, the screen gets a warning box
    assert not stack.run(lambda: (_ for _ in ()).throw(LookupError("That room was deleted.")))
    assert dialog_texts[-1] == ("Not changed", "That room was deleted.")


@pytest.mark.parametrize("kind, words", [("full", "disk is full"), ("locked", "busy"),
                                         ("readonly", "read-only"), ("io", "could not be read or written")])
def test_a_storage_failure_shows_one_dialog_and_leaves_project_and_file_as_they_were(
        stack, dialog_texts, monkeypatch, kind, words):
    heard = []
    stack.project.subscribe(heard.append)
    storage_fails(monkeypatch, stack.project, kind)
    assert not stack.run(rename("MPP Baru"), report=lambda text: pytest.fail("not a refusal: " + text))
    title, text = dialog_texts[-1]
    assert title == "Change not saved" and words in text and "Nothing was changed" in text
    assert stack.count() == 0
    assert heard and heard[-1].reset  # screens drop what they previewed
    assert stack.project.site.name == "MPP Uji"  # the model shows the old value again
    assert site_names(stack.project) == ["MPP Uji"]


def test_a_failed_undo_leaves_the_history_where_it_was(stack, dialog_texts, monkeypatch):
    stack.run(rename("MPP Baru"))
    with monkeypatch.context() as m:
        storage_fails(m, stack.project, "full")
        stack.undo()
        assert dialog_texts and stack.index() == 1 and stack.canUndo()
        assert site_names(stack.project) == ["MPP Baru"]
    stack.undo()  # the disk has room again
    assert stack.index() == 0 and site_names(stack.project) == ["MPP Uji"]


def test_undo_action_goes_through_the_runner(stack, dialog_texts, monkeypatch):
    action = stack.make_undo_action(stack.window, "Undo")
    assert not action.isEnabled()
    stack.run(rename("MPP Baru"))
    assert action.isEnabled()
    storage_fails(monkeypatch, stack.project, "io")
    action.trigger()  # Qt's createUndoAction would have moved the stack although nothing was undone
    assert stack.index() == 1 and dialog_texts


def test_a_bug_is_not_swallowed(stack):
    with pytest.raises(ZeroDivisionError):
        stack.run(lambda: 1 / 0)


# --- jobs -----------------------------------------------------------------------------------

def rows_of(reader: Project) -> list[list]:
    return [[reader.site.name]]


def test_a_job_reads_the_project_on_its_own_connection_and_writes_its_file(qtbot, empty_project, tmp_path):
    out = tmp_path / "site.csv"
    done = []

    def work(reader):
        assert reader is not empty_project and reader.readonly
        return write_csv(out, ["name"], rows_of(reader))

    handle = run_job(None, "Export", work, project=empty_project, on_done=done.append)
    with qtbot.waitSignal(handle.finished, timeout=10_000):
        pass
    assert done == [out] and "MPP Uji" in out.read_text(encoding="utf-8-sig")


def test_the_window_keeps_turning_while_a_job_runs(qtbot):
    """The GUI thread's event loop keeps running timers while 0.6 s of work runs in the job (work run
    on the GUI thread would let none through). How long the longest pause is, is measured by
    ``make bench`` (a busy machine stretches it; a test must not flake on that)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QLabel, QMainWindow

    window = QMainWindow()
    window.setCentralWidget(QLabel("MPP"))
    qtbot.addWidget(window)
    window.show()
    handles = []
    ticks_while_running = []

    def tick():
        if handles and handles[0].running:
            ticks_while_running.append(time.perf_counter())

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(10)

    def work():
        end = time.perf_counter() + 0.6
        x = 0
        while time.perf_counter() < end:  # pure-Python work that holds the GIL in short slices
            x += 1
            if x % 10_000 == 0:
                checkpoint()
        return x

    handles.append(run_job(window, "Busy", work))
    with qtbot.waitSignal(handles[0].finished, timeout=10_000):
        pass
    timer.stop()
    assert handles[0].result
    assert len(ticks_while_running) >= 3


def test_a_cancelled_job_leaves_no_file_and_calls_nothing(qtbot, tmp_path, empty_project):
    out = tmp_path / "big.csv"
    started, done = [], []

    def work(reader):
        def rows():
            for i in range(1_000_000):
                if i == 0:
                    started.append(True)
                if i % 1000 == 0:
                    checkpoint(i, 1_000_000)
                yield [i]
        return write_csv(out, ["n"], rows())

    handle = run_job(None, "Export", work, project=empty_project, on_done=done.append)
    qtbot.waitUntil(lambda: bool(started), timeout=10_000)
    handle.cancel()
    with qtbot.waitSignal(handle.finished, timeout=10_000):
        pass
    assert handle.cancelled and done == []
    assert list(tmp_path.iterdir()) == [empty_project.path] or not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".csv"]


def test_a_failed_job_is_shown_with_its_reason(qtbot, dialog_texts, tmp_path):
    from mpp_planner.reports.output import OutputError

    def work():
        raise OutputError("The folder 'x' is read-only.")

    handle = run_job(None, "Export", work)
    with qtbot.waitSignal(handle.finished, timeout=10_000):
        pass
    assert dialog_texts[-1] == ("Export", "The folder 'x' is read-only.")
    QApplication.processEvents()


def test_the_cyclic_collector_waits_while_jobs_run_and_comes_back_after(qtbot):
    """A full collection stops every thread (100-170 ms pauses of the window at scale 50): it waits
    while any job runs, and is switched back on when the last one ends (not when it was off before)."""
    import gc
    import threading

    release = threading.Event()
    seen = []

    def work():
        seen.append(gc.isenabled())
        release.wait(10)

    assert gc.isenabled()
    first = run_job(None, "One", work)
    second = run_job(None, "Two", lambda: seen.append(gc.isenabled()))
    with qtbot.waitSignal(second.finished, timeout=10_000):
        pass
    assert not gc.isenabled()  # the first one still runs
    release.set()
    with qtbot.waitSignal(first.finished, timeout=10_000):
        pass
    assert seen == [False, False] and gc.isenabled()
    gc.disable()
    try:
        with qtbot.waitSignal(run_job(None, "Three", lambda: None).finished, timeout=10_000):
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
