"""A province roll-up: many MPPs' project files read into small summaries, in parallel worker processes.

:func:`rollup` expands folders, reads the files in up to four spawned worker processes (SQLite's ``ATTACH``
is capped at ten databases, so each file gets its own connection in its own process), streams the summaries
back as they come (memory stays flat however many files there are) and lists every file it skipped with
why. Each file is read by :func:`summarise` (``reads.rollup_file``): opened read-only through the store, an
older schema through an upgraded temporary copy. Nothing is ever written to an input file.

This module loads no model, store or SQLAlchemy until a result comes back, so a command starts its workers at
once (they load those themselves).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from mpp_planner.i18n import _
from mpp_planner.jobs import Cancelled

if TYPE_CHECKING:
    from mpp_planner.model.rollup import MppSummary, Rollup, SkippedFile

log = logging.getLogger(__name__)

MAX_WORKERS = 4
#: files of a project that are not projects themselves: left out of a folder without a word
SIDECAR_ENDINGS = ("-wal", "-shm", "-journal", ".lock", ".lock.break")

Progress = Callable[[int, int, str], None]


def summarise(path: str | os.PathLike, year: int | None = None) -> MppSummary:
    """What the roll-up shows of the MPP in the project file ``path``: the budget and SKM of ``year`` (of
    every year the file plans when None). Raises the store's ProjectFileError when the file is not a
    project it can read, OSError when the file cannot be read at all (see ``reads.rollup_file``)."""
    from mpp_planner.reads.rollup_file import summarise as summarise_file

    return summarise_file(path, year)


def read_file(path: str, year: int | None) -> MppSummary | SkippedFile:
    """:func:`summarise`, or why the file is skipped."""
    from mpp_planner.reads.rollup_file import read_file as read

    return read(path, year)


# --- many files -----------------------------------------------------------------------------------

def expand(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[SkippedFile]]:
    """The files to read: each file given, and the files in each folder given (not its subfolders; a
    project's journal and lock files left out). A path given twice is read once; a missing one is skipped."""
    files: list[Path] = []
    skipped: list[SkippedFile] = []
    seen: set[str] = set()

    def add(p: Path) -> None:
        key = os.path.normcase(str(p.resolve()))
        if key not in seen:
            seen.add(key)
            files.append(p)

    for given in paths:
        p = Path(given)
        if p.is_dir():
            for child in sorted(p.iterdir(), key=lambda c: c.name.casefold()):
                if child.is_file() and not child.name.startswith(".") and not child.name.endswith(SIDECAR_ENDINGS):
                    add(child)
        elif p.exists():
            add(p)
        else:
            from mpp_planner.model.rollup import SKIP_MISSING, SkippedFile

            skipped.append(SkippedFile(str(p), SKIP_MISSING, _("The file '{path}' does not exist.").format(path=p)))
    return files, skipped


def worker_count(files: int) -> int:
    """Worker processes for ``files`` files: one per core, at most :data:`MAX_WORKERS`, never more than files."""
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS, files))


def rollup(paths: Sequence[str | os.PathLike], year: int | None = None, progress: Progress | None = None,
           cancel: Callable[[], bool] | None = None, *, workers: int | None = None) -> Rollup:
    """Read every project file of ``paths`` (files and folders) and roll them up for ``year`` (None: the
    fiscal year most files plan for). ``progress(done, total, text)`` is told after each file;
    ``cancel()`` is asked while files are read and a True answer raises :class:`Cancelled`. ``workers``:
    processes to read in (default :func:`worker_count`; 1 reads in this process)."""
    files, skipped = expand(paths)
    count = len(files)
    summaries: list[MppSummary] = []
    n = worker_count(count) if workers is None else max(1, min(workers, count or 1))
    if progress is not None:
        progress(0, count, _("Reading {n} file(s)…").format(n=count))
    for done, outcome in enumerate(_outcomes(files, year, n, cancel), start=1):
        from mpp_planner.model.rollup import SkippedFile  # once the workers run (a command starts them first)

        if isinstance(outcome, SkippedFile):
            skipped.append(outcome)
            log.warning("roll-up: skipped %s (%s): %s", outcome.path, outcome.reason, outcome.detail or outcome.message)
            text = _("Skipped {name}: {reason}").format(name=outcome.name, reason=outcome.message)
        else:
            summaries.append(outcome)
            text = _("Read {name}: {mpp}").format(name=outcome.source.name, mpp=outcome.identity.name)
        if progress is not None:
            progress(done, count, text)
    from mpp_planner.model.rollup import Rollup, usual_year

    chosen = year if year is not None else usual_year(summaries, date.today().year)
    log.info("roll-up of %d file(s) for %d: %d read, %d skipped", count, chosen, len(summaries), len(skipped))
    return Rollup(chosen, summaries, skipped)


def _outcomes(files: list[Path], year: int | None, workers: int,
              cancel: Callable[[], bool] | None) -> Iterator[MppSummary | SkippedFile]:
    """The result of each file, in the order they finish: in worker processes, or here with one worker (and,
    should the workers not start or die, for the files they did not finish)."""
    def check() -> None:
        if cancel is not None and cancel():
            raise Cancelled()

    left = files
    if workers > 1 and len(files) > 1:
        left = yield from _in_workers(files, year, workers, check)
        if left:
            # a worker died, or could not start (a frozen build without freeze_support() at its entry point)
            log.warning("roll-up: the worker processes stopped; reading %d file(s) in this process", len(left))
    for f in left:
        check()
        yield read_file(str(f), year)


def _in_workers(files: list[Path], year: int | None, workers: int,
                check: Callable[[], None]) -> Generator[MppSummary | SkippedFile, None, list[Path]]:
    """Read ``files`` in spawned worker processes, a few queued at a time so that results stream back (memory
    stays flat). Yields each result; returns the files left unread if the workers break down."""
    from mpp_planner.i18n import current_language

    waiting = list(reversed(files))
    running: dict[Future, Path] = {}
    try:
        executor = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_start_worker, initargs=(current_language(),))
    except (OSError, RuntimeError):
        log.exception("roll-up: no worker processes")
        return files
    try:
        while waiting or running:
            while waiting and len(running) < 2 * workers:  # a few queued, so no worker waits; the rest later
                f = waiting[-1]
                try:
                    running[executor.submit(_read_in_worker, str(f), year)] = f
                except (BrokenProcessPool, OSError, RuntimeError):
                    log.exception("roll-up: a worker process could not be started")
                    return [*running.values(), *reversed(waiting)]
                waiting.pop()
            done, _pending = wait(list(running), timeout=0.2, return_when=FIRST_COMPLETED)
            check()
            again: list[Path] = []
            for future in done:
                f = running.pop(future)
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    again.append(f)
                    continue
                yield outcome
            if again:
                return [*again, *running.values(), *reversed(waiting)]
        return []
    finally:
        # files not started are dropped; the workers end on their own (their last file, then exit) while the
        # caller goes on writing the report (a cancelled job returns at once)
        executor.shutdown(wait=False, cancel_futures=True)


def _start_worker(language: str) -> None:
    """A worker speaks the language of the window or command that started it."""
    from mpp_planner.i18n import set_language

    set_language(language)


_worker_warm = False


def _read_in_worker(path: str, year: int | None) -> MppSummary | SkippedFile:
    """:func:`read_file` in a worker process. After the first file, what the worker has loaded (the modules,
    the rule files) stays for its whole life: it is frozen out of the cyclic collector's passes (a tenth less
    CPU a file; memory stays flat, as it does not with a collector that runs less often)."""
    global _worker_warm
    outcome = read_file(path, year)
    if not _worker_warm:
        import gc

        _worker_warm = True
        gc.collect()
        gc.freeze()
    return outcome
