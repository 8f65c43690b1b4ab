"""Jobs without Qt: progress, cancellation at checkpoints, and no file left by a cancelled export."""

from __future__ import annotations

import threading

import pytest

from mpp_planner.jobs import Cancelled, Job, checkpoint, current
from mpp_planner.reports.output import write_atomically, write_csv


def test_checkpoint_outside_a_job_does_nothing():
    assert current() is None
    checkpoint(1, 2, "x")


def test_progress_reaches_the_job_of_the_current_thread_only():
    seen = []
    job = Job(on_progress=lambda d, t, s: seen.append((d, t, s)))

    def work():
        checkpoint(1, 3, "a")
        other = threading.Thread(target=lambda: checkpoint(2, 3, "other thread"))
        other.start()
        other.join()
        checkpoint(3, 3)
        return "done"

    assert job.run(work) == "done"
    assert seen == [(0, 0, ""), (1, 3, "a"), (3, 3, "")]
    assert current() is None


def test_a_cancelled_job_stops_at_its_next_checkpoint():
    job = Job()
    steps = []

    def work():
        for i in range(10):
            checkpoint(i, 10)
            steps.append(i)
            if i == 2:
                job.cancel()

    with pytest.raises(Cancelled):
        job.run(work)
    assert steps == [0, 1, 2]


def test_a_cancelled_export_leaves_no_file_even_without_checkpoints_of_its_own(tmp_path):
    out = tmp_path / "out.csv"
    job = Job()

    def work():
        job.cancel()  # the user pressed Cancel while the rows were written
        write_csv(out, ["a"], [[1], [2]])

    with pytest.raises(Cancelled):
        job.run(work)
    assert list(tmp_path.iterdir()) == []


def test_a_finished_export_is_written(tmp_path):
    out = tmp_path / "out.txt"
    Job().run(lambda: write_atomically(out, lambda tmp: tmp.write_text("ok")))
    assert out.read_text() == "ok"


def test_progress_is_passed_on_at_most_every_50_ms_but_the_end_and_new_texts_always():
    """A flood of cross-thread progress notices would keep the window from repainting."""
    seen = []
    job = Job(on_progress=lambda d, t, s: seen.append((d, t, s)))

    def work():
        for i in range(1, 100_001):
            checkpoint(i, 100_000)
        checkpoint(0, 0, "Writing")
        checkpoint(0, 0, "Writing")

    job.run(work)
    assert len(seen) < 100  # ~0.1 s of work: a handful, not 100,000
    assert (100_000, 100_000, "") in seen and seen[-1] == (0, 0, "Writing")
    assert seen.count((0, 0, "Writing")) == 1
