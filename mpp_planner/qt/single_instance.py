"""One running copy per user: a second start hands its file to the running window and exits.

Double-clicking a ``.mpplan`` while MPP Planner runs starts a second process. Instead of meeting the
project lock, that process finds the running copy, sends it the file and exits (code 0, no window);
the running window comes to the front and opens the file, asking first when another project is open.

- *Who is the running copy* is decided by an OS lock on a small file in the user's data folder
  (``flock`` on Unix, a byte-range lock on Windows). The OS releases it when the process ends, crash
  or not, so nothing stale is ever obeyed. Only the holder listens: listening takes the name even
  from a live copy (a socket file left by a crashed copy is simply replaced).
- *Messages* travel over ``QLocalServer``/``QLocalSocket`` (a Unix socket; a named pipe on Windows),
  named after a hash of the user name and the settings folder, so two users of one Windows terminal
  server, or two installations, never meet. Only the user's own account may connect.
- *Protocol*: one line of UTF-8 JSON, ``{"open": "C:\\\\Data\\\\MPP B.mpplan"}``, or ``{}`` for "show
  yourself"; the answer is ``{"ok": true}`` once the message is queued. Anything else (not JSON, not
  an object, too long, cut off) is ignored and logged.

The check happens before the core is imported (a second copy exits in a fraction of the start-up)
and not for ``--screenshot``/``--quit-after-show`` runs, headless commands, or with
``MPP_PLANNER_SINGLE_INSTANCE=0`` (tests, benchmarks). PySide6 is imported only where needed: the
first copy's start-up imports it after the core on purpose (see ``qt.app._start``).
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mpp_planner import settings
from mpp_planner.i18n import _

log = logging.getLogger(__name__)

ENV = "MPP_PLANNER_SINGLE_INSTANCE"
TIMEOUT_MS = 1500  # to connect, and to wait for the answer (twice: the running copy may be busy starting)
STARTING_WAIT = 4.0  # s: how long a second copy waits for a first copy that holds the lock but is not listening yet
POLL = 0.25  # s between two tries meanwhile
MAX_MESSAGE = 64 * 1024  # bytes; a Windows path is at most 32,767 characters
DROP_AFTER_MS = 10_000  # a connection that sends no complete line in this time is dropped
HOLD_MS = 500  # while a dialog is open in the running copy, a request waits and is tried again this often
_WINDOWS = sys.platform == "win32"
_ANSWER_OK = b'{"ok": true}\n'
_ANSWER_REFUSED = b'{"ok": false}\n'


def enabled(args) -> bool:
    """Hand over at start-up? Not for screenshots and benchmark runs, nor with ``MPP_PLANNER_SINGLE_INSTANCE=0``."""
    if os.environ.get(ENV, "").strip().lower() in ("0", "no", "false", "off"):
        return False
    return not (getattr(args, "screenshot", None) or getattr(args, "quit_after_show", False))


def instance_key() -> str:
    """A short hash of the user name, the settings folder and the Windows session: one running copy per user,
    installation and session."""
    try:
        import getpass

        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in the environment nor the password database
        user = str(getattr(os, "getuid", lambda: "")())
    text = f"{user}\0{os.path.abspath(settings.config_dir())}\0{_windows_session()}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _windows_session() -> str:
    """The Windows session (one user signed in twice on a terminal server has two); "" elsewhere."""
    if not _WINDOWS:
        return ""
    try:
        import ctypes

        session = ctypes.c_ulong()
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
        if kernel32.ProcessIdToSessionId(os.getpid(), ctypes.byref(session)):
            return str(session.value)
    except Exception:  # noqa: BLE001 - then per user only
        log.debug("ProcessIdToSessionId failed", exc_info=True)
    return ""


def server_name() -> str:
    """The local server's name: a named pipe ``\\\\.\\pipe\\mpp-planner-…`` on Windows; on Unix a socket in
    ``$XDG_RUNTIME_DIR`` (private to the user) when there is one, else Qt's default in the temp folder."""
    name = "mpp-planner-" + instance_key()
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if not _WINDOWS and runtime and os.path.isdir(runtime):
        path = os.path.join(runtime, name)
        if len(path.encode("utf-8", "surrogatepass")) < 100:  # the limit of a Unix socket's path
            return path
    return name


def lock_path() -> Path:
    """The lock file (in the local data folder, not a roaming one): ``running-<key>.lock``."""
    return settings.data_dir() / f"running-{instance_key()}.lock"


# --- the lock ---------------------------------------------------------------------------------------------
class InstanceLock:
    """An OS lock held for the life of the process (released by the OS however the process ends)."""

    def __init__(self, fd: int):
        self.fd = fd

    @classmethod
    def acquire(cls, path: Path) -> InstanceLock | None:
        """The lock, or None when another process holds it. Raises OSError when it cannot be tried
        (folder not writable, a file system without locks)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            held = _lock(fd)
        except BaseException:
            os.close(fd)
            raise
        if not held:
            os.close(fd)
            return None
        return cls(fd)

    def release(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)  # closing the descriptor releases the lock (both kinds)
            self.fd = -1


def _lock(fd: int) -> bool:
    """Lock without waiting: True when locked, False when another process holds it."""
    if _WINDOWS:
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined,unused-ignore]  # byte 0 of a fresh descriptor
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EDEADLK):  # EDEADLOCK: held by another process
                return False
            raise
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


# --- the second copy ---------------------------------------------------------------------------------------
def encode(path: str | os.PathLike | None) -> bytes:
    """The message for ``path`` (absolute, as this process sees it), or "show yourself" for None."""
    if path is None or str(path) == "":
        return b"{}\n"
    # ASCII JSON (a subset of UTF-8): non-ASCII names travel as escapes, and so does a file name
    # that is not valid UTF-8 on Unix (its surrogate escapes come back as they went)
    return json.dumps({"open": os.path.abspath(path)}).encode("ascii") + b"\n"


def decode(line: bytes) -> Request:
    """The request in one line; ValueError for anything that is not a message of ours."""
    data = json.loads(line.decode("utf-8"))  # UnicodeDecodeError and JSONDecodeError are ValueErrors
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    path = data.get("open")
    if path is None:
        return Request(None)
    if not isinstance(path, str) or not path or "\0" in path:
        raise ValueError("'open' is not a file path")
    return Request(path)


def allow_foreground() -> None:
    """Windows lets only the process the user just started bring a window to the front: pass that right
    on, so the running copy's window can come forward rather than only flash in the taskbar."""
    if not _WINDOWS:
        return
    try:
        import ctypes

        ctypes.windll.user32.AllowSetForegroundWindow(-1)  # type: ignore[attr-defined,unused-ignore]  # ASFW_ANY
    except Exception:  # noqa: BLE001 - only cosmetic: the window flashes instead
        log.debug("AllowSetForegroundWindow failed", exc_info=True)


def hand_over(name: str, message: bytes, timeout_ms: int = TIMEOUT_MS) -> bool:
    """Send ``message`` to the copy listening on ``name``. True when it took it (it answered, or it has the
    message but is still too busy starting to answer); False when nobody listens or it refused."""
    try:
        return _send(name, message, timeout_ms)
    except Exception:  # noqa: BLE001 - whatever goes wrong here, this copy can still start on its own
        log.warning("Could not talk to the running copy on %s", name, exc_info=True)
        return False


def _send(name: str, message: bytes, timeout_ms: int) -> bool:
    # blocking calls, no event loop and no QApplication yet: QLocalSocket supports that use
    from PySide6.QtNetwork import QLocalSocket

    allow_foreground()
    sock = QLocalSocket()
    sock.connectToServer(name)
    if not sock.waitForConnected(timeout_ms):
        return False
    try:
        sock.write(message)
        while sock.bytesToWrite() and sock.waitForBytesWritten(timeout_ms):
            pass
        if sock.bytesToWrite():
            log.info("The running copy did not take the message")
            return False
        connected = QLocalSocket.LocalSocketState.ConnectedState
        answer = b""
        for _attempt in range(3):  # what has come, then wait twice: the running copy answers from its event loop
            answer += bytes(sock.readAll().data())
            if b"\n" in answer or sock.state() != connected:
                break
            sock.waitForReadyRead(timeout_ms)
        answer += bytes(sock.readAll().data())
        if b"\n" in answer:
            return answer.split(b"\n", 1)[0].strip() == _ANSWER_OK.strip()
        if sock.state() != connected:
            log.info("The running copy closed the connection without an answer")
            return False
        log.info("The running copy has the message but did not answer yet (busy starting?)")
        return True
    finally:
        if sock.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            sock.disconnectFromServer()  # what was written stays readable for the running copy


@dataclass
class FirstCopy:
    """This process runs the window. Holding the lock, it listens for other copies; without it (no lock
    to be had here, or the running copy does not answer) it runs on its own and listens to nobody."""

    name: str
    lock: InstanceLock | None
    server: InstanceServer | None = None

    def listen(self, app) -> InstanceServer | None:
        """Start listening (once the QApplication exists: the server needs its event dispatcher) until the
        application quits; the server, or None."""
        if self.lock is None:  # only the lock holder may take the name (listening replaces a live copy's)
            return None
        server = InstanceServer(self.name, app)
        if not server.listen():
            server.close()
            return None
        self.server = server
        app.aboutToQuit.connect(lambda: self.stop())  # the connection keeps this object (and the server) alive
        return server

    def stop(self) -> None:
        """Stop listening (removes the socket file on Unix) and release the lock."""
        if self.server is not None:
            self.server.close()
            self.server = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def start_or_hand_over(file: str | None, *, wait: float = STARTING_WAIT,
                       sleep: Callable[[float], None] = time.sleep) -> FirstCopy | None:
    """At GUI start: None when a running copy took ``file`` (this process should exit 0 without a window);
    otherwise this process is the first copy. A copy that holds the lock but is not listening yet is
    still starting: wait for it (up to ``wait`` s). If it never answers, this copy runs separately."""
    name, message = server_name(), encode(file)
    deadline = time.monotonic() + wait
    while True:
        try:
            lock = InstanceLock.acquire(lock_path())
        except OSError as exc:  # no lock to be had here: talk to a running copy if one listens, else run
            log.warning("No single-instance lock (%s): other copies will not find this one", exc)
            if hand_over(name, message):
                log.info("Handed %s over to the running copy", os.path.abspath(file) if file else "(show)")
                return None
            return FirstCopy(name, None)
        if lock is not None:
            return FirstCopy(name, lock)
        if hand_over(name, message):
            log.info("Handed %s over to the running copy", os.path.abspath(file) if file else "(show)")
            return None
        if time.monotonic() >= deadline:
            log.warning("Another copy of MPP Planner runs but does not answer on %s; starting separately", name)
            return FirstCopy(name, None)
        sleep(POLL)


# --- the running copy --------------------------------------------------------------------------------------
@dataclass
class Request:
    """A file to open (None: only come to the front), as another copy sent it."""

    path: str | None
    waited: bool = False  # True once it was held back because a dialog was open


class InstanceServer:
    """Listens for other copies and queues what they send until a handler (the window) takes it.

    The handler returns False to be asked again later (a dialog is open in the running copy)."""

    def __init__(self, name: str, parent=None):
        from PySide6.QtNetwork import QLocalServer

        self.name = name
        self.server = QLocalServer(parent)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)
        self.queue: deque[Request] = deque()
        self.handler: Callable[[Request], bool] | None = None
        self._busy = False
        self._connections: set = set()

    def listen(self) -> bool:
        """Listen on our name, first removing a socket file a crashed copy left on Unix. Only while holding
        the lock: the name is taken even from a live copy (Qt replaces the socket file when it restricts
        access to the user; on Windows a second pipe of the same name would share the clients)."""
        from PySide6.QtNetwork import QLocalServer

        if QLocalServer.removeServer(self.name):
            log.debug("Removed the server name %s before listening", self.name)
        if not self.server.listen(self.name):
            log.warning("Cannot listen for other copies on %s: %s", self.name, self.server.errorString())
            return False
        log.info("Listening for other copies on %s", self.server.fullServerName())
        return True

    def close(self) -> None:
        self.server.close()
        for sock in list(self._connections):
            sock.abort()
        self._connections.clear()

    def serve(self, handler: Callable[[Request], bool]) -> None:
        """From now on, requests go to ``handler`` (those that came during start-up first)."""
        from PySide6.QtCore import QTimer

        self.handler = handler
        QTimer.singleShot(0, self._dispatch)

    # --- connections
    def _accept(self) -> None:
        from PySide6.QtCore import QTimer

        while self.server.hasPendingConnections():
            sock = self.server.nextPendingConnection()
            buffer = bytearray()
            self._connections.add(sock)
            sock.readyRead.connect(lambda s=sock, b=buffer: self._read(s, b))
            sock.disconnected.connect(lambda s=sock, b=buffer: self._gone(s, b))
            QTimer.singleShot(DROP_AFTER_MS, sock, lambda s=sock, b=buffer: self._drop(s, b))
            self._read(sock, buffer)  # what came with the connection

    def _read(self, sock, buffer: bytearray) -> None:
        from PySide6.QtCore import QTimer

        if sock not in self._connections:
            return
        buffer += bytes(sock.readAll().data())
        if b"\n" not in buffer:
            if len(buffer) > MAX_MESSAGE:
                log.warning("Ignored a message from another copy: longer than %d bytes", MAX_MESSAGE)
                self._finish(sock, _ANSWER_REFUSED)
            return
        line = bytes(buffer.split(b"\n", 1)[0])
        try:
            request = decode(line)
        except ValueError as exc:
            log.warning("Ignored a message from another copy (%s): %r", exc, line[:200])
            self._finish(sock, _ANSWER_REFUSED)
            return
        log.info("Another copy asks to %s", f"open {request.path}" if request.path else "come to the front")
        self.queue.append(request)
        self._finish(sock, _ANSWER_OK)
        # not from inside the socket's signal: the handler may ask a question (a nested event loop) in
        # which this very socket is deleted
        QTimer.singleShot(0, self._dispatch)

    def _finish(self, sock, answer: bytes) -> None:
        self._connections.discard(sock)
        sock.write(answer)
        sock.disconnectFromServer()  # after what is written has gone out

    def _gone(self, sock, buffer: bytearray) -> None:
        if sock in self._connections:  # closed before a complete line
            self._connections.discard(sock)
            if buffer:
                log.warning("Ignored a message from another copy: cut off after %d bytes", len(buffer))
        sock.deleteLater()

    def _drop(self, sock, buffer: bytearray) -> None:
        if sock in self._connections:
            log.warning("Dropped a connection from another copy: no complete message in %d ms", DROP_AFTER_MS)
            self._connections.discard(sock)
            sock.abort()

    # --- requests
    def _dispatch(self) -> None:
        from PySide6.QtCore import QTimer

        if self.handler is None or self._busy or not self.queue:
            return
        request = self.queue.popleft()
        self._busy = True  # the handler may ask a question (a nested event loop): no second request meanwhile
        try:
            done = self.handler(request)
        finally:
            self._busy = False
        if not done:
            self.queue.appendleft(request)
            QTimer.singleShot(HOLD_MS, self._dispatch)
        elif self.queue:
            QTimer.singleShot(0, self._dispatch)


# --- what the window does with a request -----------------------------------------------------------------
def bring_to_front(window) -> None:
    """Show the window, restored if minimised, raised and active."""
    from PySide6.QtCore import Qt

    if window.isMinimized():
        window.setWindowState((window.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive)
    window.show()
    window.raise_()
    window.activateWindow()


def same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them is gone or unreachable: compare the names
        return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def ask_to_switch(window, path: Path, current: Path) -> bool:
    """"Open X? The current project Y will be closed": True for Open. (Every edit is committed when it is
    made, see ``Project.edit``: closing loses nothing but the undo history.)"""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Question, _("Open project"), _(
        "Open “{name}”?\n\nThe current project “{current}” will be closed (all changes are already saved).").format(
            name=path.name, current=current.name), QMessageBox.StandardButton.NoButton, window)
    box.setObjectName("hand_over_question")
    box.setInformativeText(str(path.parent))
    open_button = box.addButton(_("&Open"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(open_button)
    box.exec()
    return box.clickedButton() is open_button


def open_in_window(window, request: Request) -> bool:
    """Bring ``window`` (a MainWindow) forward and open the requested file: shown if it is the open one,
    asked first if another project is open. False (try later) while a dialog is open in the window."""
    from PySide6.QtWidgets import QApplication

    if QApplication.activeModalWidget() is not None:  # finish that first; show where it is, once
        if not request.waited:
            request.waited = True
            bring_to_front(window)
        return False
    bring_to_front(window)
    if request.path is None:
        return True
    path = Path(request.path)
    current = window.project.path if window.project is not None else None
    if current is not None and same_file(current, path):
        log.info("Hand-over: %s is already open", path)
        return True
    if current is not None:
        log.info("Hand-over: asking whether to open %s instead of %s", path, current)
        if not ask_to_switch(window, path, current):
            log.info("Hand-over: %s not opened (the user kept %s)", path, current)
            return True
    opened = window.open_path(path)
    log.info("Hand-over: %s %s", path, "opened" if opened else "not opened")
    return True
