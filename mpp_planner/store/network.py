"""Project files in shared network folders: recognise one, and open it the way SQLite says is safe there.

SQLite's guidance (https://www.sqlite.org/wal.html, https://www.sqlite.org/useovernet.html): the
write-ahead log needs memory shared between every process that uses the file, so WAL does not work
over a network filesystem, and a reader on another computer cannot use the writer's index either.
A project in a network folder is therefore opened without WAL (see ``store.file.make_engine``):

* a writer uses the rollback journal (``journal_mode=DELETE``) with ``locking_mode=EXCLUSIVE`` and
  takes the exclusive lock at once: while it has the project open, no other computer reads a
  half-written state, nor reads at all; its own lock file (``store.lock``) still keeps other writers out;
* a read-only opener reads the plain file and is refused, with a clear message, while a writer holds it
  or while the file is still in WAL mode (:func:`check_open`, called before anything touches the file);
* jobs of the same window (exports, Save As) read a copy taken through SQLite's backup API
  (``ProjectFile.snapshot_engine``), since the writer's lock keeps even this process's other connections out.

Detection (:func:`network_kind`): Windows UNC paths and mapped drives (``GetDriveTypeW``), on Linux the
filesystem type of the mount holding the file (``/proc/self/mountinfo``), on macOS the type ``mount``
lists. ``MPP_PLANNER_NETWORK=1`` (or ``0``) overrides it, for tests and for shares the detection misses.
"""

from __future__ import annotations

import logging
import ntpath
import os
import re
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from mpp_planner.i18n import _
from mpp_planner.store.errors import ProjectFileError

log = logging.getLogger(__name__)

NETWORK_ENV = "MPP_PLANNER_NETWORK"
MOUNTINFO = Path("/proc/self/mountinfo")
MOUNTS = Path("/proc/mounts")  # the older table, when mountinfo is missing
DRIVE_REMOTE = 4  # GetDriveTypeW: a network drive
PROBE_TIMEOUT = 0.5  # seconds a read-only probe waits for a writer's lock before calling the file busy

#: filesystem types (as Linux and macOS name them) whose files live on another computer or are shared
#: with other computers: SQLite's shared memory and byte-range locks cannot be trusted on them
NETWORK_FILESYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "ncpfs", "afs", "openafs", "coda", "ceph",
    "fuse.ceph", "glusterfs", "fuse.glusterfs", "lustre", "gpfs", "beegfs", "orangefs", "pvfs2", "ocfs2", "gfs2",
    "9p",  # also WSL 2's view of Windows drives (/mnt/c), where SQLite's locking is unreliable too
    "drvfs",  # WSL 1's view of Windows drives
    "fuse.sshfs", "sshfs", "osxfuse.sshfs", "davfs", "fuse.davfs2", "webdav", "fuse.rclone", "fuse.s3fs",
    "afpfs",  # macOS: Apple Filing Protocol
})


# --- detection ---------------------------------------------------------------------------------

def network_kind(path: str | os.PathLike) -> str | None:
    """What makes ``path`` a network location (``\\\\server\\share``, ``Z:``, ``nfs4``...), or None when it is
    local. ``MPP_PLANNER_NETWORK=1`` makes every path a network one, ``=0`` none."""
    forced = os.environ.get(NETWORK_ENV, "").strip()
    if forced == "1":
        return f"{NETWORK_ENV}=1"
    if forced == "0":
        return None
    platform = sys.platform
    try:
        if platform == "win32":
            return _windows_kind(str(path))
        if platform == "darwin":
            return _fstype_kind(_darwin_mounts(), os.path.realpath(path))
        return _fstype_kind(_linux_mounts(), os.path.realpath(path))
    except OSError as exc:  # an unreadable mount table: local, as before
        log.warning("cannot tell whether %s is in a network folder: %s", path, exc)
        return None


def is_network_path(path: str | os.PathLike) -> bool:
    return network_kind(path) is not None


def _windows_kind(path: str) -> str | None:
    """A UNC path (``\\\\server\\share``, ``//server/share``, ``\\\\?\\UNC\\server\\share``) or a drive
    that Windows reports as remote (a mapped network drive)."""
    text = path.replace("/", "\\")
    if text.upper().startswith("\\\\?\\UNC\\"):
        return _unc_root(text[len("\\\\?\\UNC\\"):])
    if text.startswith(("\\\\?\\", "\\\\.\\")):  # a long-path or device prefix before a drive
        text = text[4:]
    elif text.startswith("\\\\"):
        return _unc_root(text[2:])
    drive, _rest = ntpath.splitdrive(ntpath.abspath(text))
    if len(drive) == 2 and drive[1] == ":" and _drive_type(drive + "\\") == DRIVE_REMOTE:
        return drive.upper()
    return None


def _unc_root(rest: str) -> str:
    parts = [p for p in rest.split("\\") if p]
    return "\\\\" + "\\".join(parts[:2])


def _drive_type(root: str) -> int:
    """``GetDriveTypeW(root)`` (0, "unknown", off Windows)."""
    if sys.platform == "win32":  # pragma: no cover - Windows
        import ctypes

        return int(ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)))
    return 0


def _fstype_kind(mounts: list[tuple[str, str]], path: str) -> str | None:
    fstype = fstype_of(path, mounts)
    return fstype if fstype is not None and fstype.lower() in NETWORK_FILESYSTEMS else None


def fstype_of(path: str, mounts: list[tuple[str, str]]) -> str | None:
    """The filesystem type of the longest mount point holding ``path`` (absolute, symbolic links resolved)."""
    best: tuple[int, str] | None = None
    for point, fstype in mounts:
        inside = point == "/" or path == point or path.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) > best[0]):
            best = (len(point), fstype)
    return best[1] if best else None


_OCTAL = re.compile(r"\\([0-7]{3})")


def _unescape(field: str) -> str:
    """Mount tables write a space as ``\\040`` (and tab, newline, backslash likewise)."""
    return _OCTAL.sub(lambda m: chr(int(m.group(1), 8)), field)


def parse_mountinfo(text: str) -> list[tuple[str, str]]:
    """(mount point, filesystem type) of each line of ``/proc/self/mountinfo``:
    ``36 35 98:0 /root /mnt/point rw,noatime shared:1 - nfs4 server:/export rw,...``"""
    mounts = []
    for line in text.splitlines():
        before, sep, after = line.partition(" - ")
        fields, tail = before.split(), after.split()
        if sep and len(fields) >= 5 and tail:
            mounts.append((_unescape(fields[4]), tail[0]))
    return mounts


def parse_proc_mounts(text: str) -> list[tuple[str, str]]:
    """(mount point, filesystem type) of each line of ``/proc/mounts``: ``server:/x /mnt/x nfs4 rw 0 0``"""
    mounts = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            mounts.append((_unescape(fields[1]), fields[2]))
    return mounts


_DARWIN_LINE = re.compile(r"^(?P<source>.+?) on (?P<point>.+) \((?P<fstype>[^,()]+)")


def parse_darwin_mount(text: str) -> list[tuple[str, str]]:
    """(mount point, filesystem type) of each line ``mount`` prints on macOS:
    ``//user@server/share on /Volumes/share (smbfs, nodev, nosuid, mounted by user)``"""
    mounts = []
    for line in text.splitlines():
        m = _DARWIN_LINE.match(line)
        if m:
            mounts.append((m.group("point"), m.group("fstype").strip()))
    return mounts


def _linux_mounts() -> list[tuple[str, str]]:
    if MOUNTINFO.exists():
        return parse_mountinfo(MOUNTINFO.read_text(encoding="utf-8", errors="replace"))
    if MOUNTS.exists():
        return parse_proc_mounts(MOUNTS.read_text(encoding="utf-8", errors="replace"))
    return []  # no mount table (another Unix): local, as before


def _darwin_mounts() -> list[tuple[str, str]]:
    """``os.statvfs`` cannot tell a filesystem's type on macOS; ``mount`` lists every mount with it."""
    try:
        out = subprocess.run(["/sbin/mount"], capture_output=True, text=True, timeout=5, check=False).stdout
    except (subprocess.SubprocessError, ValueError) as exc:
        raise OSError(str(exc)) from None
    return parse_darwin_mount(out)


def sqlite_uri(path: str | os.PathLike, query: str) -> str:
    """A ``file:`` URI of ``path`` with ``query`` that SQLite accepts, Windows UNC paths included."""
    return f"{fix_unc_uri(Path(path).resolve().as_uri())}?{query}"


def fix_unc_uri(uri: str) -> str:
    """SQLite refuses a URI authority (``file://server/share/x`` is "invalid uri authority: server"), which
    is how Python writes a UNC path; with an empty authority the server moves into the path,
    ``file:////server/share/x``, which Windows opens as ``\\\\server\\share\\x``."""
    if uri.startswith("file://") and not uri.startswith("file:///"):
        return "file:////" + uri[len("file://"):]
    return uri


# --- writers of this process -------------------------------------------------------------------

_WRITERS_LOCK = threading.Lock()
_WRITERS: dict[str, Any] = {}  # key of a path -> the ProjectFile holding it exclusively


def _key(path: str | os.PathLike) -> str:
    return os.path.normcase(os.path.realpath(path))


def register_writer(path: str | os.PathLike, pfile: Any) -> None:
    with _WRITERS_LOCK:
        _WRITERS[_key(path)] = pfile


def unregister_writer(path: str | os.PathLike, pfile: Any) -> None:
    with _WRITERS_LOCK:
        if _WRITERS.get(_key(path)) is pfile:
            del _WRITERS[_key(path)]


def writer_for(path: str | os.PathLike) -> Any:
    """The ``ProjectFile`` of this process that holds ``path`` in a network folder, or None."""
    with _WRITERS_LOCK:
        return _WRITERS.get(_key(path))


# --- before opening -----------------------------------------------------------------------------

class NetworkFileInUseError(ProjectFileError):
    """A project in a network folder is open for editing elsewhere (or in this window): it cannot be opened
    now, not even read-only, because its writer holds the whole file."""

    def __init__(self, path, holder: str = "", *, here: bool = False):
        if here:
            msg = _("'{path}' is already open in this MPP Planner. A project in a network folder can be open only "
                    "once at a time.").format(path=path)
        elif holder:
            msg = _("'{path}' is being edited by {holder}. While a project in a network folder is open for "
                    "editing, no other computer can open it, not even read-only. Try again when it is closed "
                    "there.").format(path=path, holder=holder)
        else:
            msg = _("'{path}' is held by another program or computer. Try again when it is closed "
                    "there.").format(path=path)
        super().__init__(path, msg)
        self.holder = holder


class NetworkJournalError(ProjectFileError):
    """A read-only open of a network file still in WAL mode: that needs shared memory over the network."""

    def __init__(self, path):
        super().__init__(path, _(
            "'{path}' is in a network folder but still uses a write-ahead log, which cannot be read safely over a "
            "network. Open it for editing once (MPP Planner then switches it to a mode that is safe there), or "
            "open it on the computer that holds the folder.").format(path=path))


def check_open(path: str | os.PathLike, *, readonly: bool) -> None:
    """Refuse, before anything reads it, a project that a writer in exclusive mode holds (this window,
    another computer, another program) or a network file in WAL mode opened read-only. Anything else
    (a missing, foreign or damaged file) is left to ``inspect_file`` to tell."""
    p = Path(path)
    try:
        with open(p, "rb") as fh:
            head = fh.read(100)
    except OSError:
        return
    if len(head) < 100 or not head.startswith(b"SQLite format 3\x00"):
        return
    if writer_for(p) is not None:
        raise NetworkFileInUseError(p, here=True)
    wal = head[18] == 2 or head[19] == 2 or Path(str(p) + "-wal").exists()
    if is_network_path(p):
        holder = lock_holder(p)
        if holder is not None:
            raise NetworkFileInUseError(p, holder)
        if wal and readonly:
            raise NetworkJournalError(p)
    if wal:
        return
    # A local path too: the file server's own user meets a client's lock. A writer in exclusive mode keeps
    # its emptied journal beside the file; with a live lock of ours too, it is held even where the network
    # does not pass SQLite's locks on to the server (sshfs, for one), so the probe below would not see it.
    holder = lock_holder(p) if Path(str(p) + "-journal").exists() else None
    if holder is not None or _held_exclusively(p):
        raise NetworkFileInUseError(p, holder or lock_holder(p) or "")


def lock_holder(p: Path) -> str | None:
    """Who holds the project's lock file, when that is another MPP Planner that is still alive."""
    from mpp_planner.store import lock as locking

    info = locking.read_lock(locking.lock_path_for(p))
    if info is None or locking.is_stale(info) or info.token in {h.token for h in locking.held_locks()}:
        return None
    return info.describe()


def _held_exclusively(p: Path) -> bool:
    """Does a connection elsewhere hold the file's lock so that it cannot even be read? A read-only
    probe of a file in rollback-journal mode (it creates no companion files) that waits only briefly."""
    try:
        con = sqlite3.connect(sqlite_uri(p, "mode=ro"), uri=True, timeout=PROBE_TIMEOUT)
    except sqlite3.Error:
        return False
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        text = str(exc).lower()
        return "locked" in text or "busy" in text
    except (sqlite3.Error, ValueError):  # ValueError: damaged schema text that is not UTF-8 (inspect_file says so)
        return False
    finally:
        con.close()
    return False
