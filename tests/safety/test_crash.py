"""Crash safety: a worker editing the project is SIGKILLed at random moments, again and again.

After every kill the file must open with Project.open, pass PRAGMA integrity_check and hold
every edit whose "committed N" line was read (and at most the one edit after it). Runs chain:
each worker continues the file the previous one was killed over (its stale lock and WAL
included); every other check reopens read-only so the next worker has to recover on its own.
"""

import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from mpp_planner.project import Project
from mpp_planner.store import lock as locking

from tests.safety.crash_child import actual_state, base_project, expected_state

ROOT = Path(__file__).resolve().parents[2]
KILL_RUNS = int(os.environ.get("CRASH_RUNS", "60"))  # CRASH_RUNS=500 for a longer hunt

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")


class Server:
    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.safety.crash_child"], cwd=ROOT,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, bufsize=1)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line.split())
        self.lines.put(["eof"])

    def next(self, timeout=30.0):
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError("crash child stopped talking: " + self.proc.stderr.read()) from None

    def run(self, path) -> int:
        self.proc.stdin.write(f"run {path}\n")
        self.proc.stdin.flush()
        msg = self.next()
        assert msg[0] == "pid", msg
        return int(msg[1])

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


def integrity(path) -> str:
    con = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def test_sigkill_at_random_moments_never_loses_a_committed_edit(tmp_path, capsys):
    path = tmp_path / "crash.mpplan"
    base_project(path)
    rng = random.Random(int(os.environ.get("CRASH_SEED", "20240501")))
    server = Server()
    survived = during_open = total_edits = 0
    last_n = 0
    try:
        for run in range(KILL_RUNS):
            pid = server.run(path)
            early = rng.random() < 0.2
            committed = None
            ready = None
            if early:  # somewhere inside opening: recovery, stale lock, migration checks
                time.sleep(rng.uniform(0, 0.06))
            else:
                msg = server.next()
                assert msg[0] == "ready", msg
                ready = int(msg[1])
                time.sleep(rng.uniform(0, 0.15))
            os.kill(pid, signal.SIGKILL)
            while True:  # drain what the worker wrote before it died
                msg = server.next()
                if msg[0] == "committed":
                    committed = int(msg[1])
                elif msg[0] == "ready":
                    ready = int(msg[1])
                elif msg[0] == "error":
                    raise AssertionError(" ".join(msg))
                elif msg[0] == "exited":
                    assert int(msg[1]) == pid
                    assert os.WEXITSTATUS(int(msg[2])) == 0 and os.WIFSIGNALED(int(msg[2])), msg
                    break
            if ready is None:
                during_open += 1
            else:
                assert ready == last_n, "the worker started from what the last check saw"

            readonly = run % 2 == 1
            project = Project.open(path, readonly=readonly)
            try:
                state = actual_state(project)
            finally:
                project.close()
            assert integrity(path) == "ok"
            floor = committed if committed is not None else last_n
            assert floor <= state["n"] <= floor + 1, (run, committed, state["n"])
            assert state == expected_state(state["n"])
            total_edits += state["n"] - last_n
            last_n = state["n"]
            if not readonly:
                assert not locking.lock_path_for(path).exists()
            survived += 1
    finally:
        server.close()
    assert survived == KILL_RUNS
    assert last_n > KILL_RUNS, "the workers got real work done between kills"
    with capsys.disabled():
        print(f"\n[crash safety] {survived} SIGKILL runs survived ({during_open} while opening), "
              f"{total_edits} committed edits verified")
