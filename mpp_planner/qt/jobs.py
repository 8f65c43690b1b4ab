"""The one way to run a long job (an export, an import, a check, a repair) from a screen.

:func:`run_job` runs plain work in a worker thread behind a progress dialog with Cancel, so the
window keeps repainting. Work that reads the project gets its own read-only connection
(:meth:`Project.reader`): a session is never shared between threads. The work reports progress and
stops where it may through :func:`mpp_planner.jobs.checkpoint`; a cancelled export leaves no file
(the atomic writer checks before moving the file into place). Failures are told in one place:
a refusal (a bad file, a bad value) as a warning, a storage failure as the storage dialog, anything
else logged with its traceback and shown as an error.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from mpp_planner.i18n import _
from mpp_planner.jobs import Cancelled, Job
from mpp_planner.project import Project
from mpp_planner.store.errors import storage_failure

log = logging.getLogger(__name__)

SHOW_AFTER_MS = 300  # a job that ends sooner shows no dialog at all

_running: set["JobHandle"] = set()
_collector_was_on = False


def _hold_collector() -> None:
    """While jobs run, Python's cyclic garbage collector waits. A full collection stops every thread,
    and a worker that allocates (an export at scale 50) triggers one every few hundred milliseconds,
    each pausing the window for 100-170 ms (measured); with it waiting, the window keeps turning.
    Reference counting still frees almost everything at once; the rest is collected after the job."""
    global _collector_was_on
    if not _running:
        _collector_was_on = gc.isenabled()
        gc.disable()


def _release_collector() -> None:
    if not _running and _collector_was_on:
        gc.enable()


class _Worker(QThread):
    progressed = Signal(int, int, str)

    def __init__(self, handle: "JobHandle", work: Callable[..., Any], project: Project | None):
        super().__init__()
        self.handle, self.work, self.project = handle, work, project

    def run(self) -> None:
        job = self.handle.job
        job.on_progress = self.progressed.emit
        try:
            if self.project is not None:
                with self.project.reader() as reader:
                    self.handle.result = job.run(lambda: self.work(reader))
            else:
                self.handle.result = job.run(self.work)
        except Cancelled:
            self.handle.cancelled = True
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, told to the user
            self.handle.error = exc
            if storage_failure(exc) is None:
                log.error("job %r failed", job.title, exc_info=exc)


class JobHandle(QObject):
    """A running job: ``finished`` is emitted in the GUI thread once it ended, whatever the outcome."""

    finished = Signal()

    def __init__(self, title: str, parent: QWidget | None):
        super().__init__(parent)
        self.job = Job(title=title)
        self.result: Any = None
        self.error: BaseException | None = None
        self.cancelled = False
        self.dialog: QProgressDialog | None = None
        self.worker: _Worker | None = None

    @property
    def running(self) -> bool:
        return self.worker is not None and self.worker.isRunning()

    def cancel(self) -> None:
        self.job.cancel()
        if self.dialog is not None:
            self.dialog.setLabelText(_("Cancelling…"))

    def wait(self, ms: int = 60_000) -> bool:
        """Block until the worker ends (tests, closing the window); True when it did."""
        return self.worker.wait(ms) if self.worker is not None else True


def run_job(parent: QWidget | None, title: str, work: Callable[..., Any], *, project: Project | None = None,
            on_done: Callable[[Any], None] | None = None, on_failed: Callable[[BaseException], None] | None = None,
            label: str = "") -> JobHandle:
    """Run ``work()`` (or ``work(reader)`` with a read-only view of ``project``) off the GUI thread.

    ``on_done(result)`` runs in the GUI thread after success; a cancelled job calls neither callback.
    Without ``on_failed`` a failure is shown over ``parent`` (see the module's docstring).
    """
    handle = JobHandle(title, parent)
    worker = _Worker(handle, work, project)
    handle.worker = worker
    dialog = QProgressDialog(label or title, _("Cancel"), 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setObjectName("job_progress")
    dialog.setWindowModality(Qt.WindowModal)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.canceled.connect(handle.cancel)
    handle.dialog = dialog

    def progressed(done: int, total: int, text: str) -> None:
        if total > 0:
            dialog.setMaximum(total)
            dialog.setValue(min(done, total))
        if text:
            dialog.setLabelText(text)

    def ended() -> None:
        _running.discard(handle)
        _release_collector()
        dialog.canceled.disconnect(handle.cancel)
        dialog.close()
        dialog.deleteLater()
        handle.dialog = None
        worker.deleteLater()
        if handle.cancelled:
            log.info("job %r cancelled", title)
        elif handle.error is not None:
            (on_failed or (lambda exc: show_job_error(parent, title, exc)))(handle.error)
        elif on_done is not None:
            on_done(handle.result)
        handle.finished.emit()

    worker.progressed.connect(progressed)
    worker.finished.connect(ended)
    _hold_collector()
    _running.add(handle)
    worker.start()
    QTimer.singleShot(0, lambda: None)  # let the dialog's own timer start from the event loop
    return handle


def show_job_error(parent: QWidget | None, title: str, exc: BaseException) -> None:
    """How a failed job is told: a refusal as a warning, a storage failure as the storage dialog."""
    from mpp_planner.qt.undo import REFUSALS, refusal_text, show_storage_error
    from mpp_planner.reports.output import OutputError

    if storage_failure(exc) is not None:
        show_storage_error(parent, exc, title)
    elif isinstance(exc, (OutputError, *REFUSALS)):
        QMessageBox.warning(parent, title, refusal_text(exc))
    else:
        QMessageBox.critical(parent, title, _("The job stopped because of an unexpected error: {error}").format(
            error=str(exc).splitlines()[0] if str(exc) else type(exc).__name__))


def running_jobs() -> list[JobHandle]:
    return list(_running)


def cancel_all_and_wait(ms: int = 10_000) -> None:
    """On closing a project or the window: stop every job and wait for it (no file left half-written)."""
    for handle in running_jobs():
        handle.cancel()
        handle.wait(ms)
