"""Long jobs (exports, imports, checks, repairs) without Qt: progress reports and cancellation.

A job is a plain function run in a worker thread by the GUI's job runner (or directly by the command
line). The work reports how far it is and where it may stop through :func:`checkpoint`, which reads the
job of the *current thread*, so a report deep inside an export needs no extra argument: outside a job
it does nothing. :func:`mpp_planner.reports.output.write_atomically` calls it just before moving the
finished file into place, so a cancelled export leaves no file behind even when its own loop never asks.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

_local = threading.local()


class Cancelled(Exception):
    """The user cancelled the job; whatever it was writing has been dropped."""


@dataclass
class Job:
    """What a worker shares with the screen that started it: progress one way, cancel the other."""

    title: str = ""
    on_progress: Callable[[int, int, str], None] | None = None
    _cancelled: threading.Event | None = None
    _last_told: float = 0.0
    _last_text: str = ""

    #: progress is passed on at most this often (seconds): a screen cannot show more, and a flood of
    #: cross-thread notices would keep the window's thread from the interpreter (it stops repainting)
    TELL_EVERY = 0.05

    def __post_init__(self) -> None:
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        assert self._cancelled is not None
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        assert self._cancelled is not None
        return self._cancelled.is_set()

    def step(self, done: int = 0, total: int = 0, text: str = "") -> None:
        """Report progress (``total`` 0 = unknown) and stop here if the user cancelled."""
        if self.cancelled:
            raise Cancelled()
        if self.on_progress is None:
            return
        now = time.monotonic()
        if (text and text != self._last_text) or (total and done >= total) or now - self._last_told >= self.TELL_EVERY:
            self._last_told, self._last_text = now, text or self._last_text
            self.on_progress(done, total, text)

    def run(self, work: Callable[[], object]) -> object:
        """Run ``work()`` as this thread's current job (so :func:`checkpoint` reaches it)."""
        previous = getattr(_local, "job", None)
        _local.job = self
        try:
            self.step()
            return work()
        finally:
            _local.job = previous


def current() -> Job | None:
    """The job the calling thread runs, or None (the command line, a test, the GUI thread)."""
    return getattr(_local, "job", None)


def checkpoint(done: int = 0, total: int = 0, text: str = "") -> None:
    """Report progress to the current job and raise :class:`Cancelled` if it was cancelled."""
    job = current()
    if job is not None:
        job.step(done, total, text)
