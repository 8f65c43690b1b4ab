"""One writer per project file: a lock file beside it, on this machine and through shared folders.

``<name>.mpplan.lock`` is created atomically (``O_CREAT | O_EXCL``, which is atomic on local disks
and on SMB/NFS shares) and holds JSON: host, pid, user, app version, time and a random token.
It is removed when the project is closed or the app exits normally.

While a project is open, a background thread touches the lock's modification time every
:data:`HEARTBEAT_SECONDS`. An existing lock is honoured (``ProjectLockedError``) when

* it was made on this host by a process that is still running and its heartbeat is fresh, or
* it was made on another host and its heartbeat is fresh (younger than :data:`STALE_SECONDS`).

Otherwise it is stale (the app crashed, the laptop lost power) and is cleared: under a short
``.lock.break`` guard, the lock is removed only if it still holds the very bytes judged stale,
so two instances clearing the same stale lock cannot remove each other's fresh lock. Clocks of
machines sharing a folder should agree within a few minutes. Several ``Project`` objects of one
process may hold the same file (they share the lock); read-only opens never take it.
"""

from __future__ import annotations

import atexit
import errno
import getpass
import glob
import json
import os
import secrets
import socket
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from mpp_planner.i18n import _
from mpp_planner.store.errors import FolderReadOnlyError, ProjectFileError, ProjectLockedError

LOCK_SUFFIX = ".lock"
HEARTBEAT_SECONDS = 60.0
STALE_SECONDS = 10 * 60.0  # ten missed heartbeats
UNREADABLE_GRACE_SECONDS = 5.0  # a lock just created and not yet written is not stale
BREAK_STALE_SECONDS = 30.0


def lock_path_for(path: str | os.PathLike) -> Path:
    p = Path(path)
    return p.with_name(p.name + LOCK_SUFFIX)


def _host() -> str:
    return socket.gethostname() or "?"


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some service accounts
        return "?"


def pid_alive(pid: int) -> bool:
    """Is a process with this id running on this machine?"""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - Windows
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    except OSError:
        return False
    return True


@dataclass(frozen=True)
class LockInfo:
    """What a lock file says about its holder (fields may be missing in a damaged lock)."""

    host: str
    pid: int
    user: str
    app_version: str
    time: str
    token: str
    age: float  # seconds since the last heartbeat (modification time)
    raw: bytes

    def describe(self) -> str:
        when = self.time
        try:
            when = datetime.fromisoformat(self.time).strftime("%Y-%m-%d %H:%M")
        except (TypeError, ValueError):
            pass
        return _("{user} on {host}, since {time}").format(user=self.user or "?", host=self.host or "?",
                                                          time=when or "?")


def read_lock(lock: Path) -> LockInfo | None:
    """The lock's content, or None when there is no lock. Unparseable content gives empty fields."""
    try:
        raw = lock.read_bytes()
        mtime = lock.stat().st_mtime
    except FileNotFoundError:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError
    except (UnicodeDecodeError, ValueError):
        data = {}
    try:
        pid = int(data.get("pid", 0))
    except (TypeError, ValueError):
        pid = 0
    return LockInfo(host=str(data.get("host", "")), pid=pid, user=str(data.get("user", "")),
                    app_version=str(data.get("app_version", "")), time=str(data.get("time", "")),
                    token=str(data.get("token", "")), age=max(0.0, time.time() - mtime), raw=raw)


def is_stale(info: LockInfo) -> bool:
    """Does this lock belong to nobody any more? (See the module docstring for the rules.)"""
    if not info.token:  # empty or garbled: stale once it is clearly not being written right now
        return info.age > UNREADABLE_GRACE_SECONDS
    if info.age > STALE_SECONDS:
        return True
    if info.host == _host():
        if info.pid == os.getpid():
            return info.token not in _HELD_TOKENS  # a previous process that had our pid
        return not pid_alive(info.pid)
    return False


class ProjectLock:
    """The lock of one project file, held by this process."""

    def __init__(self, path: Path, lock: Path, token: str):
        self.path = path
        self.lock = lock
        self.token = token
        self.users = 1
        self.lost = False  # someone removed or replaced our lock (we were judged stale)

    def release(self) -> None:
        with _REGISTRY_LOCK:
            self.users -= 1
            if self.users > 0:
                return
            _HELD.pop(_key(self.path), None)
            _HELD_TOKENS.discard(self.token)
        info = read_lock(self.lock)
        if info is not None and info.token == self.token:
            try:
                self.lock.unlink()
            except FileNotFoundError:
                pass

    def heartbeat(self) -> None:
        info = read_lock(self.lock)
        if info is None or info.token != self.token:
            self.lost = True
            return
        try:
            os.utime(self.lock)
        except OSError:
            pass


_REGISTRY_LOCK = threading.RLock()
_HELD: dict[str, ProjectLock] = {}
_HELD_TOKENS: set[str] = set()
_heartbeat_thread: threading.Thread | None = None
_heartbeat_pid: int | None = None


def _key(path: Path) -> str:
    return os.path.normcase(str(path.resolve()))


def acquire(path: str | os.PathLike) -> ProjectLock:
    """Take the lock of ``path`` or raise ``ProjectLockedError`` naming the holder."""
    target = Path(path)
    lock = lock_path_for(target)
    with _REGISTRY_LOCK:
        held = _HELD.get(_key(target))
        if held is not None and not held.lost:
            held.users += 1
            return held
    for _attempt in range(5):
        token = secrets.token_hex(16)
        if _create(lock, token):
            plock = ProjectLock(target, lock, token)
            with _REGISTRY_LOCK:
                _HELD[_key(target)] = plock
                _HELD_TOKENS.add(token)
            _ensure_heartbeat()
            return plock
        info = read_lock(lock)
        if info is None:
            continue  # released meanwhile: try again
        if not is_stale(info):
            raise ProjectLockedError(target, info.describe())
        _break(lock, info)
    info = read_lock(lock)
    raise ProjectLockedError(target, info.describe() if info else "?")


def _payload(token: str) -> bytes:
    return json.dumps({
        "host": _host(), "pid": os.getpid(), "user": _user(), "app_version": _app_version(),
        "time": datetime.now().astimezone().isoformat(timespec="seconds"), "token": token,
    }, ensure_ascii=False).encode("utf-8")


def _create(lock: Path, token: str) -> bool:
    """Create the lock atomically, already holding its content: the JSON is written to a private
    file that is then hard-linked to the lock name (fails if it exists; NFS-safe). Where hard links
    are not available (some SMB shares), ``O_CREAT | O_EXCL`` is used instead."""
    payload = _payload(token)
    _sweep_temporaries(lock)
    tmp = lock.with_name(f"{lock.name}.{token}.tmp")
    try:
        _write_new(tmp, payload)
    except PermissionError:
        raise FolderReadOnlyError(lock.with_name(lock.name[: -len(LOCK_SUFFIX)])) from None
    except OSError as exc:
        raise _cannot_lock(lock, exc) from None
    try:
        os.link(tmp, lock)
        return True
    except FileExistsError:
        return False
    except (OSError, NotImplementedError, AttributeError):
        pass  # no hard links here
    finally:
        try:
            tmp.unlink()
        except OSError:
            pass
    try:
        _write_new(lock, payload)
    except FileExistsError:
        return False
    except PermissionError:
        raise FolderReadOnlyError(lock.with_name(lock.name[: -len(LOCK_SUFFIX)])) from None
    except OSError as exc:
        raise _cannot_lock(lock, exc) from None
    return True


def _write_new(path: Path, payload: bytes) -> None:
    """Create ``path`` holding ``payload``. When that fails after the file was made (a full disk gives
    the name but not the bytes), the empty or partial file is removed again."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o644)
    try:
        try:
            if os.write(fd, payload) != len(payload):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        try:
            path.unlink()
        except OSError:
            pass
        raise


def _cannot_lock(lock: Path, exc: OSError) -> ProjectFileError:
    """The lock could not be written: a full disk in the user's words, anything else in the system's."""
    target = lock.with_name(lock.name[: -len(LOCK_SUFFIX)])
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return ProjectFileError(target, _("The disk of '{path}' is full, so it cannot be opened for editing. Free "
                                          "some space and try again.").format(path=target))
    return ProjectFileError(lock, _("Cannot lock '{path}': {error}").format(path=lock, error=exc.strerror or exc))


def _sweep_temporaries(lock: Path) -> None:
    """Private lock files left by a crash between writing and linking (older than a minute)."""
    try:
        for tmp in lock.parent.glob(glob.escape(lock.name) + ".*.tmp"):
            if time.time() - tmp.stat().st_mtime > 60:
                tmp.unlink()
    except OSError:
        pass


def _break(lock: Path, stale: LockInfo) -> None:
    """Remove a stale lock, but only if it still is the very lock judged stale."""
    guard = lock.with_name(lock.name + ".break")
    try:
        fd = os.open(guard, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        _clear_dead_guard(guard)
        time.sleep(0.05)
        return
    except OSError:
        return
    try:
        os.write(fd, json.dumps({"host": _host(), "pid": os.getpid()}).encode())
        current = read_lock(lock)
        if current is not None and current.raw == stale.raw:
            try:
                lock.unlink()
            except FileNotFoundError:
                pass
    finally:
        os.close(fd)
        try:
            guard.unlink()
        except FileNotFoundError:
            pass


def _clear_dead_guard(guard: Path) -> None:
    """A guard left by a process that died while breaking a stale lock."""
    try:
        age = time.time() - guard.stat().st_mtime
    except FileNotFoundError:
        return
    except OSError:
        age = 0.0
    try:
        data = json.loads(guard.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    try:
        pid = int(data.get("pid") or 0)
    except (TypeError, ValueError):
        pid = 0
    dead_here = bool(data) and data.get("host") == _host() and not pid_alive(pid)
    if dead_here or age > BREAK_STALE_SECONDS or (not data and age > UNREADABLE_GRACE_SECONDS):
        try:
            guard.unlink()
        except FileNotFoundError:
            pass


def _ensure_heartbeat() -> None:
    global _heartbeat_thread, _heartbeat_pid
    with _REGISTRY_LOCK:
        if _heartbeat_thread is not None and _heartbeat_thread.is_alive() and _heartbeat_pid == os.getpid():
            return
        _heartbeat_pid = os.getpid()
        _heartbeat_thread = threading.Thread(target=_heartbeat_loop, name="mpp-lock-heartbeat", daemon=True)
        _heartbeat_thread.start()


def _heartbeat_loop() -> None:
    while True:
        time.sleep(HEARTBEAT_SECONDS)
        beat_now()


def beat_now() -> None:
    """Touch every lock this process holds (the heartbeat thread calls this)."""
    with _REGISTRY_LOCK:
        held = list(_HELD.values())
    for plock in held:
        plock.heartbeat()


def held_locks() -> list[ProjectLock]:
    with _REGISTRY_LOCK:
        return list(_HELD.values())


@atexit.register
def release_all() -> None:
    """On a normal exit, remove every lock still held (a crash leaves a stale one)."""
    with _REGISTRY_LOCK:
        held = list(_HELD.values())
    for plock in held:
        plock.users = 1
        plock.release()


def _app_version() -> str:
    from mpp_planner import __version__

    return __version__
