"""One running copy: a second start hands its file to the running window over a local socket and exits.

Two real processes for the hand-over and for a copy that crashed; in this process, the running copy's
server driven by a QLocalSocket client (queue, answers, garbage), the window's side (show, ask, open),
the start-up decision (lock, wait for a copy still starting), and the Windows calls replaced."""

from __future__ import annotations

import argparse
import errno
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import types
import uuid
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalSocket
from PySide6.QtWidgets import QApplication, QDialog

from mpp_planner.qt import single_instance as si
from mpp_planner.store.lock import lock_path_for
from tests.qt.test_file_safety import press_in_dialog

ODD_NAME = "Rencana Gedung — Dinas Ñ é 2025.mpplan"  # spaces, a dash and letters beyond ASCII


@pytest.fixture
def short_dir():
    """A short folder for socket files (a Unix socket's path must stay under ~100 bytes)."""
    path = Path(tempfile.mkdtemp(prefix="mppsi"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


# --- two real processes ----------------------------------------------------------------------------------
@pytest.fixture
def office(tmp_path, short_dir, monkeypatch):
    """One user's environment for GUI processes: its own settings, data, logs and socket folder."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", MPP_PLANNER_CONFIG_DIR=str(tmp_path / "config"),
               MPP_PLANNER_DATA_DIR=str(tmp_path / "data"), XDG_STATE_HOME=str(tmp_path / "state"),
               XDG_RUNTIME_DIR=str(short_dir), MPP_PLANNER_LANG="en")
    env.pop(si.ENV, None)
    for key in ("MPP_PLANNER_CONFIG_DIR", "XDG_RUNTIME_DIR"):  # the same server name here as there
        monkeypatch.setenv(key, env[key])
    running: list[subprocess.Popen] = []

    def start(*args) -> subprocess.Popen:
        proc = subprocess.Popen([sys.executable, "-m", "mpp_planner", *map(str, args)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        running.append(proc)
        return proc

    def run(*args) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "mpp_planner", *map(str, args)], env=env,
                              capture_output=True, text=True, timeout=60)

    yield types.SimpleNamespace(start=start, run=run, log=tmp_path / "state" / "mpp-planner" / "mpp-planner.log")
    for proc in running:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
        proc.stderr.close()


def log_size(log: Path) -> int:
    return log.stat().st_size if log.exists() else 0


def wait_for_line(log: Path, text: str, proc: subprocess.Popen, since: int = 0, timeout: float = 60.0) -> None:
    """Until the log has a line containing ``text`` after its first ``since`` bytes (the process still running)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and text.encode("utf-8") in log.read_bytes()[since:]:
            return
        assert proc.poll() is None, f"the first copy ended ({proc.returncode}): {proc.stderr.read()}"
        time.sleep(0.1)
    raise AssertionError(f"no {text!r} in the log:\n{log.read_text(encoding='utf-8') if log.exists() else ''}")


def test_a_second_copy_hands_its_file_to_the_running_window_and_exits(office, demo_file, tmp_path):
    folder = tmp_path / "Data Umum"
    folder.mkdir()
    other = folder / ODD_NAME
    shutil.copy2(demo_file, other)
    first = office.start(demo_file)
    wait_for_line(office.log, "Listening for other copies on " + si.server_name(), first)

    second = office.run(other)
    assert second.returncode == 0, second.stderr
    # the running copy asks (another project is open); the second copy opened nothing itself
    wait_for_line(office.log, f"Hand-over: asking whether to open {other} instead of {demo_file}", first)
    assert not lock_path_for(other).exists()
    assert f"Opened {other.name} at start-up" not in office.log.read_text(encoding="utf-8")

    again = office.run(demo_file)  # the file already open: only shown (queued behind the question)
    assert again.returncode == 0, again.stderr
    assert f"Handed {demo_file} over to the running copy" in office.log.read_text(encoding="utf-8")
    bare = office.run()  # started from the menu again: the running window comes forward
    assert bare.returncode == 0, bare.stderr
    wait_for_line(office.log, "Another copy asks to come to the front", first)
    assert first.poll() is None  # still running, still the only window


def test_after_a_crash_the_next_copy_clears_the_dead_socket_and_takes_over(office, demo_file, tmp_path):
    other = tmp_path / ODD_NAME
    shutil.copy2(demo_file, other)
    name = si.server_name()
    crashed = office.start(demo_file)
    wait_for_line(office.log, "Listening for other copies on " + name, crashed)
    crashed.send_signal(signal.SIGKILL)
    crashed.wait(timeout=30)
    assert Path(name).exists()  # the crash left its socket file behind
    assert not si.hand_over(name, si.encode(other))  # ... which nobody answers

    mark = log_size(office.log)
    first = office.start(other)  # the lock went with the dead process: this one is the running copy now
    wait_for_line(office.log, "Listening for other copies on " + name, first, since=mark)
    second = office.run(demo_file)
    assert second.returncode == 0, second.stderr
    wait_for_line(office.log, f"Hand-over: asking whether to open {demo_file} instead of {other}", first)


# --- the running copy's server ---------------------------------------------------------------------------
@pytest.fixture
def server(qtbot):
    srv = si.InstanceServer(f"mpp-planner-test-{uuid.uuid4().hex[:12]}")
    assert srv.listen()
    yield srv
    srv.close()


def send(qtbot, name: str, payload: bytes, *, then_close: bool = False) -> bytes:
    """Send ``payload`` as another copy would (without blocking this process's event loop); the answer."""
    sock = QLocalSocket()
    sock.connectToServer(name)
    qtbot.waitUntil(lambda: sock.state() == QLocalSocket.ConnectedState)
    sock.write(payload)
    sock.flush()
    if then_close:
        sock.disconnectFromServer()
        qtbot.waitUntil(lambda: sock.state() == QLocalSocket.UnconnectedState)
        return b""
    answer = bytearray()

    def answered() -> bool:
        answer.extend(bytes(sock.readAll().data()))
        return b"\n" in answer

    qtbot.waitUntil(answered)
    sock.abort()
    return bytes(answer)


def test_requests_wait_until_the_window_serves_then_arrive_in_order(qtbot, server, tmp_path):
    odd = tmp_path / "Data Umum" / ODD_NAME
    assert send(qtbot, server.name, si.encode(odd)) == b'{"ok": true}\n'
    assert send(qtbot, server.name, b"{}\n") == b'{"ok": true}\n'
    assert [r.path for r in server.queue] == [str(odd), None]  # start-up still running: kept
    seen = []
    server.serve(lambda request: seen.append(request.path) or True)
    qtbot.waitUntil(lambda: len(seen) == 2)
    assert seen == [str(odd), None] and not server.queue
    assert Path(seen[0]) == odd  # spaces and letters beyond ASCII came through


def test_a_request_held_back_by_an_open_dialog_is_tried_again(qtbot, server):
    tries = []
    server.serve(lambda request: tries.append(request.path) or len(tries) > 2)
    send(qtbot, server.name, si.encode("/data/b.mpplan"))
    qtbot.waitUntil(lambda: len(tries) == 3)
    qtbot.wait(2 * si.HOLD_MS)
    assert tries == ["/data/b.mpplan"] * 3 and not server.queue


@pytest.mark.parametrize("payload, why", [
    (b"\xff\xfe\x00garbage\n", "utf-8"),
    (b"open /data/b.mpplan\n", "Expecting value"),
    (b'["/data/b.mpplan"]\n', "not a JSON object"),
    (b'{"open": 5}\n', "not a file path"),
    (b'{"open": ""}\n', "not a file path"),
    (b'{"open": "/data/b\\u0000.mpplan"}\n', "not a file path"),
    (b"x" * (si.MAX_MESSAGE + 1), "longer than"),
])
def test_garbage_is_refused_logged_and_the_server_goes_on(qtbot, server, caplog, payload, why):
    seen = []
    server.serve(lambda request: seen.append(request.path) or True)
    assert send(qtbot, server.name, payload) == b'{"ok": false}\n'
    assert not server.queue and seen == []
    assert any("Ignored a message from another copy" in r.message and why in r.message for r in caplog.records)
    assert send(qtbot, server.name, si.encode("/data/b.mpplan")) == b'{"ok": true}\n'
    qtbot.waitUntil(lambda: seen == ["/data/b.mpplan"])


def test_a_message_cut_off_is_ignored_and_logged(qtbot, server, caplog):
    seen = []
    server.serve(lambda request: seen.append(request.path) or True)
    send(qtbot, server.name, b'{"open": "/data/b.mpp', then_close=True)
    qtbot.waitUntil(lambda: any("cut off after 21 bytes" in r.message for r in caplog.records))
    assert seen == [] and not server.queue


def test_a_silent_connection_is_dropped(qtbot, server, caplog, monkeypatch):
    monkeypatch.setattr(si, "DROP_AFTER_MS", 50)
    sock = QLocalSocket()
    sock.connectToServer(server.name)
    qtbot.waitUntil(lambda: sock.state() == QLocalSocket.ConnectedState)
    qtbot.waitUntil(lambda: sock.state() == QLocalSocket.UnconnectedState)
    assert any("no complete message" in r.message for r in caplog.records)


# --- the window's side ------------------------------------------------------------------------------------
def test_the_open_file_handed_over_again_is_only_shown(demo_window, dialog_texts):
    demo_window.showMinimized()
    assert si.open_in_window(demo_window, si.Request(str(demo_window.project.path)))
    assert dialog_texts == [] and not demo_window.isMinimized()
    assert si.open_in_window(demo_window, si.Request(None))


def test_another_file_asks_then_opens_it(qtbot, demo_window, demo_file, tmp_path, server):
    other = tmp_path / "Data Umum" / ODD_NAME
    other.parent.mkdir()
    shutil.copy2(demo_file, other)
    server.serve(lambda request: si.open_in_window(demo_window, request))
    seen = []
    press_in_dialog("Open", seen)
    send(qtbot, server.name, si.encode(other))
    qtbot.waitUntil(lambda: demo_window.project is not None and demo_window.project.path == other)
    assert seen[0].startswith(f"Open “{ODD_NAME}”?\n\nThe current project “demo.mpplan” will be closed "
                              "(all changes are already saved).")
    assert str(other.parent) in seen[0]
    assert not lock_path_for(demo_file).exists() and lock_path_for(other).exists()


def test_cancel_keeps_the_current_project(demo_window, demo_file, tmp_path):
    other = tmp_path / ODD_NAME
    shutil.copy2(demo_file, other)
    seen = []
    press_in_dialog("Cancel", seen)
    assert si.open_in_window(demo_window, si.Request(str(other)))
    assert seen and demo_window.project.path == demo_file and not lock_path_for(other).exists()


def test_with_no_project_open_the_file_opens_without_a_question(qtbot, demo_file, dialog_texts):
    from mpp_planner.qt.main_window import MainWindow

    window = MainWindow(None)
    qtbot.addWidget(window)
    try:
        assert si.open_in_window(window, si.Request(str(demo_file)))
        assert dialog_texts == [] and window.project.path == demo_file
    finally:
        window.close()


def test_while_a_dialog_is_open_the_request_waits(qtbot, demo_window, demo_file, tmp_path, dialog_texts):
    other = tmp_path / ODD_NAME
    shutil.copy2(demo_file, other)
    dialog = QDialog(demo_window)
    dialog.setModal(True)
    dialog.show()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is dialog)
    request = si.Request(str(other))
    assert not si.open_in_window(demo_window, request)  # try again later
    assert request.waited and dialog_texts == [] and demo_window.project.path == demo_file
    dialog.close()


# --- start-up: who runs the window ------------------------------------------------------------------------
class FakeRunningCopy:
    """A running copy played by a plain Unix socket in a thread: records what it is sent, answers ``answer``."""

    def __init__(self, path: str, answer: bytes = b'{"ok": true}\n'):
        self.path, self.answer, self.received = path, answer, []
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.bind(path)
        self.sock.listen()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _addr = self.sock.accept()
        with conn:
            data = b""
            while b"\n" not in data and (chunk := conn.recv(4096)):
                data += chunk
            self.received.append(data)
            if self.answer:
                conn.sendall(self.answer)

    def close(self) -> None:
        self.sock.close()
        self.thread.join(timeout=10)
        os.unlink(self.path)


@pytest.fixture
def names(monkeypatch, short_dir, tmp_path):
    """The server name in a folder of its own, the lock file in the test's folder."""
    name = str(short_dir / "srv")
    monkeypatch.setattr(si, "server_name", lambda: name)
    monkeypatch.setattr(si, "lock_path", lambda: tmp_path / "running.lock")
    return name


def test_the_first_copy_takes_the_lock_and_nobody_else_can(names, tmp_path):
    first = si.start_or_hand_over(None)
    try:
        assert first is not None and first.lock is not None
        assert si.InstanceLock.acquire(tmp_path / "running.lock") is None
    finally:
        first.stop()
    again = si.InstanceLock.acquire(tmp_path / "running.lock")  # released with the copy
    assert again is not None
    again.release()


def test_a_copy_started_while_the_first_is_still_starting_waits_and_hands_over(names, tmp_path):
    held = si.InstanceLock.acquire(tmp_path / "running.lock")  # the first copy: started, not listening yet
    fake = []
    try:
        def first_copy_listens_now(_seconds):
            if not fake:
                fake.append(FakeRunningCopy(names))

        assert si.start_or_hand_over(str(tmp_path / ODD_NAME), wait=30, sleep=first_copy_listens_now) is None
        fake[0].thread.join(timeout=10)
        assert json.loads(fake[0].received[0].decode("utf-8")) == {"open": str(tmp_path / ODD_NAME)}
    finally:
        held.release()
        for f in fake:
            f.close()


def test_a_first_copy_that_never_answers_lets_this_one_run_separately(names, tmp_path, caplog):
    held = si.InstanceLock.acquire(tmp_path / "running.lock")
    try:
        result = si.start_or_hand_over(None, wait=0)
        assert result is not None and result.lock is None and result.listen(None) is None
        assert "does not answer" in caplog.text
    finally:
        held.release()


def test_a_refusal_is_not_a_hand_over(names):
    fake = FakeRunningCopy(names, answer=b'{"ok": false}\n')
    try:
        assert not si.hand_over(names, si.encode("/data/b.mpplan"))
    finally:
        fake.close()


def test_a_failure_while_talking_to_the_running_copy_lets_this_one_start(monkeypatch, caplog):
    def broken(*args):
        raise RuntimeError("pipe trouble")

    monkeypatch.setattr(si, "_send", broken)
    assert si.hand_over("mpp-planner-x", b"{}\n") is False
    assert "Could not talk to the running copy" in caplog.text


def test_a_dead_socket_is_removed_by_the_lock_holder_only(qtbot, names, short_dir, tmp_path):
    dead = socket.socket(socket.AF_UNIX)
    dead.bind(names)
    dead.close()  # a crashed copy's socket file: there, but nobody listens
    assert not si.hand_over(names, b"{}\n")
    without_lock = si.FirstCopy(names, None)  # could not lock: must not take a name that may be alive
    assert without_lock.listen(QApplication.instance()) is None and Path(names).exists()
    first = si.FirstCopy(names, si.InstanceLock.acquire(tmp_path / "running.lock"))
    try:
        server = first.listen(QApplication.instance())
        assert server is not None
        assert send(qtbot, names, b"{}\n") == b'{"ok": true}\n'
    finally:
        first.stop()
    assert not Path(names).exists()  # stopping removes the socket file


def test_the_gui_start_hands_over_and_builds_no_window(names, tmp_path, monkeypatch):
    from mpp_planner.qt import app as gui_app
    from mpp_planner.qt.main_window import MainWindow

    monkeypatch.chdir(tmp_path)
    held = si.InstanceLock.acquire(tmp_path / "running.lock")
    fake = FakeRunningCopy(names)
    try:
        args = argparse.Namespace(file=ODD_NAME, screenshot=None, tab="plan", size="1400x900", quit_after_show=False)
        assert gui_app._start(args) == 0
        fake.thread.join(timeout=10)
        assert json.loads(fake.received[0]) == {"open": str(tmp_path / ODD_NAME)}  # absolute, as given
        assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    finally:
        held.release()
        fake.close()


@pytest.mark.parametrize("environment, args, wanted", [
    ({}, {}, True),
    ({si.ENV: "0"}, {}, False),
    ({}, {"screenshot": "out.png"}, False),
    ({}, {"quit_after_show": True}, False),  # the benchmarks and the start-up tests
])
def test_when_the_check_runs(monkeypatch, environment, args, wanted):
    monkeypatch.delenv(si.ENV, raising=False)
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    values = {"file": None, "screenshot": None, "quit_after_show": False, **args}
    assert si.enabled(argparse.Namespace(**values)) is wanted


# --- names and Windows -------------------------------------------------------------------------------------
def test_names_differ_per_user_and_per_settings_folder(monkeypatch, tmp_path):
    import getpass

    monkeypatch.setattr(si, "_WINDOWS", True)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    monkeypatch.setenv("MPP_PLANNER_CONFIG_DIR", str(tmp_path / "a"))
    names = {}
    for user in ("sari", "budi"):
        monkeypatch.setattr(getpass, "getuser", lambda user=user: user)
        names[user] = si.server_name()
    assert names["sari"] != names["budi"]  # two users of one terminal server
    assert names["sari"].startswith("mpp-planner-") and os.sep not in names["sari"]  # a pipe name, no path
    monkeypatch.setenv("MPP_PLANNER_CONFIG_DIR", str(tmp_path / "b"))
    assert si.server_name() != names["budi"]  # another installation of the same user


def test_two_windows_sessions_of_one_user_do_not_meet(monkeypatch, tmp_path):
    import ctypes

    session = [1]

    def session_of(pid, out):
        out._obj.value = session[0]
        return 1

    fake_windll = types.SimpleNamespace(kernel32=types.SimpleNamespace(ProcessIdToSessionId=session_of))
    monkeypatch.setattr(ctypes, "windll", fake_windll, raising=False)
    monkeypatch.setattr(si, "_WINDOWS", True)
    first = si.server_name()
    session[0] = 2
    assert si.server_name() != first
    session[0] = 1
    assert si.server_name() == first


def test_windows_paths_travel_unchanged():
    unc = r"\\SERVER-DPMPTSP\Data Umum\MPP Kota — Gedung B\Rencana Ñ.mpplan"
    line = json.dumps({"open": unc}, ensure_ascii=False).encode("utf-8")  # raw UTF-8 from another writer
    assert si.decode(line).path == unc
    odd = "/data/bad\udcff name.mpplan"  # a Unix file name that is not UTF-8
    assert si.decode(si.encode(odd).rstrip(b"\n")).path == odd


def test_the_windows_lock_tells_held_from_broken(monkeypatch, tmp_path):
    calls = []

    def locking(fd, mode, size):
        calls.append((mode, size))
        raise OSError(outcome[0], "locking")

    monkeypatch.setitem(sys.modules, "msvcrt", types.SimpleNamespace(LK_NBLCK=2, locking=locking))
    monkeypatch.setattr(si, "_WINDOWS", True)
    fd = os.open(tmp_path / "x.lock", os.O_RDWR | os.O_CREAT)
    try:
        for code in (errno.EACCES, errno.EDEADLK):  # held by the running copy
            outcome = [code]
            assert si._lock(fd) is False
        outcome = [errno.EIO]  # something else: said, not taken for "held"
        with pytest.raises(OSError):
            si._lock(fd)
    finally:
        os.close(fd)
    assert calls == [(2, 1)] * 3


def test_windows_lets_the_running_copy_come_to_the_front(monkeypatch):
    import ctypes

    allowed = []
    fake_windll = types.SimpleNamespace(user32=types.SimpleNamespace(AllowSetForegroundWindow=allowed.append))
    monkeypatch.setattr(ctypes, "windll", fake_windll, raising=False)
    monkeypatch.setattr(si, "_WINDOWS", True)
    si.allow_foreground()
    assert allowed == [-1]  # ASFW_ANY
