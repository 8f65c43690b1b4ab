"""One writer per project: the lock file beside it, other processes, stale locks, read-only opens."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mpp_planner.project import Project
from mpp_planner.store import FolderReadOnlyError, ProjectLockedError
from mpp_planner.store import lock as locking
from tests.helpers import deny_lock_files

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(os.name == "nt", reason="uses POSIX signals")

HOLDER = r"""
import sys
from mpp_planner.project import Project
p = Project.open(sys.argv[1])
print("ready", flush=True)
cmd = sys.stdin.readline().strip()
if cmd == "close":
    p.close()
    print("closed", flush=True)
elif cmd == "exit":   # no close(): the lock must still go away on a normal exit
    sys.exit(0)
sys.stdin.readline()
"""


def start_holder(path):
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert line.strip() == "ready", proc.stderr.read()
    return proc


def lock_of(path):
    return locking.lock_path_for(path)


def test_lock_file_while_open_and_gone_after_close(demo_file):
    p = Project.open(demo_file)
    lock = lock_of(demo_file)
    data = json.loads(lock.read_text(encoding="utf-8"))
    assert data["pid"] == os.getpid()
    assert data["host"] == socket.gethostname()
    assert {"user", "app_version", "time", "token"} <= set(data)
    p.close()
    assert not lock.exists()


def test_readonly_open_takes_no_lock(demo_file):
    p = Project.open(demo_file, readonly=True)
    assert not lock_of(demo_file).exists()
    p.close()
    assert sorted(x.name for x in demo_file.parent.iterdir()) == [demo_file.name]


def test_second_process_is_refused_but_may_read(demo_file):
    holder = start_holder(demo_file)
    try:
        with pytest.raises(ProjectLockedError) as err:
            Project.open(demo_file)
        message = str(err.value)
        assert "open in another MPP Planner" in message and socket.gethostname() in message
        # the refusal changed nothing: the holder's lock is still there
        assert json.loads(lock_of(demo_file).read_text())["pid"] == holder.pid
        ro = Project.open(demo_file, readonly=True)
        assert ro.site.name == "MPP Kota Probolinggo"
        ro.close()
        holder.stdin.write("close\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "closed"
        assert not lock_of(demo_file).exists()
        p = Project.open(demo_file)
        p.close()
    finally:
        holder.kill()
        holder.wait()


def test_lock_goes_away_on_normal_exit_without_close(demo_file):
    holder = start_holder(demo_file)
    holder.stdin.write("exit\n")
    holder.stdin.flush()
    holder.wait(timeout=20)
    assert not lock_of(demo_file).exists()


def test_stale_lock_of_a_killed_process_is_cleared(demo_file):
    holder = start_holder(demo_file)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    stale = json.loads(lock_of(demo_file).read_text())
    assert stale["pid"] == holder.pid
    p = Project.open(demo_file)
    try:
        now = json.loads(lock_of(demo_file).read_text())
        assert now["pid"] == os.getpid() and now["token"] != stale["token"]
    finally:
        p.close()
    assert not lock_of(demo_file).exists()


def _write_lock(path, **fields):
    data = {"host": "KANTOR-PC-2", "pid": 4242, "user": "budi", "app_version": "0.1.0",
            "time": "2024-05-01T09:30:00+07:00", "token": "abc"}
    data.update(fields)
    lock_of(path).write_text(json.dumps(data), encoding="utf-8")


def test_lock_from_another_computer_is_honoured_while_its_heartbeat_is_fresh(demo_file):
    _write_lock(demo_file)
    with pytest.raises(ProjectLockedError) as err:
        Project.open(demo_file)
    assert "budi on KANTOR-PC-2, since 2024-05-01 09:30" in str(err.value)
    old = time.time() - locking.STALE_SECONDS - 60
    os.utime(lock_of(demo_file), (old, old))  # no heartbeat for more than the timeout: that app is gone
    p = Project.open(demo_file)
    assert json.loads(lock_of(demo_file).read_text())["pid"] == os.getpid()
    p.close()


def test_lock_of_a_hung_process_on_this_machine_goes_stale_without_heartbeat(demo_file):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        _write_lock(demo_file, host=socket.gethostname(), pid=sleeper.pid)
        with pytest.raises(ProjectLockedError):
            Project.open(demo_file)
        old = time.time() - locking.STALE_SECONDS - 60
        os.utime(lock_of(demo_file), (old, old))
        Project.open(demo_file).close()
    finally:
        sleeper.kill()
        sleeper.wait()


def test_garbled_lock_is_honoured_briefly_then_cleared(demo_file):
    lock_of(demo_file).write_bytes(b"")  # created, not yet written (or cut by a power loss)
    with pytest.raises(ProjectLockedError):
        Project.open(demo_file)
    old = time.time() - 60
    os.utime(lock_of(demo_file), (old, old))
    Project.open(demo_file).close()
    assert not lock_of(demo_file).exists()


def test_a_lock_left_by_an_earlier_process_with_our_pid_is_stale(demo_file):
    _write_lock(demo_file, host=socket.gethostname(), pid=os.getpid(), token="not-ours")
    Project.open(demo_file).close()


def test_same_process_opens_share_the_lock(demo_file):
    a = Project.open(demo_file)
    b = Project.open(demo_file)
    a.close()
    assert lock_of(demo_file).exists()
    b.close()
    assert not lock_of(demo_file).exists()


def test_heartbeat_touches_the_lock_and_notices_a_takeover(demo_file):
    p = Project.open(demo_file)
    try:
        old = time.time() - 300
        os.utime(lock_of(demo_file), (old, old))
        locking.beat_now()
        assert time.time() - lock_of(demo_file).stat().st_mtime < 60
        assert not p.file.lock_lost
        _write_lock(demo_file, token="someone-else")  # another computer judged us stale
        locking.beat_now()
        assert p.file.lock_lost
        assert json.loads(lock_of(demo_file).read_text())["token"] == "someone-else"
    finally:
        p.close()
    # our close does not remove the other instance's lock
    assert json.loads(lock_of(demo_file).read_text())["token"] == "someone-else"


def test_create_does_not_overwrite_a_project_held_elsewhere(demo_file):
    _write_lock(demo_file)
    before = demo_file.read_bytes()
    with pytest.raises(ProjectLockedError):
        Project.create(demo_file, overwrite=True)
    assert demo_file.read_bytes() == before
    assert not [x for x in demo_file.parent.iterdir() if x.name.startswith(".mpplan-")]


def test_refused_open_releases_the_lock(tmp_path, demo_file, monkeypatch):
    from mpp_planner.store import file as store_file

    def broken(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(store_file, "make_engine", broken)
    with pytest.raises(RuntimeError):
        Project.open(demo_file)
    assert not lock_of(demo_file).exists()


def test_read_only_folder_gives_a_clear_message(tmp_path, demo_master):
    if os.geteuid() == 0:
        pytest.skip("root writes everywhere")
    folder = tmp_path / "ro"
    folder.mkdir()
    f = folder / "p.mpplan"
    f.write_bytes(demo_master.read_bytes())
    folder.chmod(0o555)
    try:
        with pytest.raises(FolderReadOnlyError) as err:
            Project.open(f)
        assert "read-only" in str(err.value) and str(f) in str(err.value)
        Project.open(f, readonly=True).close()
    finally:
        folder.chmod(0o755)


def test_headless_open_for_exports_is_read_only_and_ignores_the_lock(demo_file):
    from mpp_planner.cli import open_project_or_fail

    holder = start_holder(demo_file)
    try:
        p = open_project_or_fail(str(demo_file))
        assert p.readonly
        p.close()
    finally:
        holder.kill()
        holder.wait()


def test_unwritable_folder_is_reported_as_such(demo_file, monkeypatch):
    deny_lock_files(monkeypatch)
    with pytest.raises(FolderReadOnlyError) as err:
        Project.open(demo_file)
    assert "only be opened read-only" in str(err.value) and demo_file.name in str(err.value)
    Project.open(demo_file, readonly=True).close()


def test_headless_import_into_a_project_held_elsewhere_is_one_clear_error(demo_file):
    from mpp_planner.cli import CliError, open_project_or_fail

    _write_lock(demo_file)
    with pytest.raises(CliError) as err:
        open_project_or_fail(str(demo_file), readonly=False)
    assert "open in another MPP Planner (budi on KANTOR-PC-2" in str(err.value)


def test_lock_is_never_seen_empty_and_leaves_no_temporaries(demo_file):
    p = Project.open(demo_file)
    assert json.loads(lock_of(demo_file).read_text())["token"]
    p.close()
    assert sorted(x.name for x in demo_file.parent.iterdir()) == [demo_file.name]


def test_guard_left_by_a_process_that_died_while_clearing_a_stale_lock(demo_file):
    _write_lock(demo_file, host=socket.gethostname(), pid=999_999_999)  # stale: no such process
    guard = lock_of(demo_file).with_name(lock_of(demo_file).name + ".break")
    guard.write_text(json.dumps({"host": socket.gethostname(), "pid": 999_999_998}))
    Project.open(demo_file).close()
    assert sorted(x.name for x in demo_file.parent.iterdir()) == [demo_file.name]
