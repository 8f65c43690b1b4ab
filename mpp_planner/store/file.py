"""Create, recognise and check, open (locked for writing), migrate and copy ``.mpplan`` files."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import weakref
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import StaticPool

from mpp_planner.i18n import _, ngettext
from mpp_planner.jobs import checkpoint
from mpp_planner.store import network
from mpp_planner.store.errors import (STORAGE_FAILURES, DamagedProjectError, FileMissingError, FileReadOnlyError,
                                     NewerSchemaError, NotAProjectError, ProjectFileError, storage_failure)

APPLICATION_ID = 0x4D50504C  # "MPPL" in the SQLite header: marks our files
# Every schema revision ever released, oldest first; the last is what this app writes.
# tests/store/test_files.py checks this list against the Alembic scripts; tests/fixtures holds a file of each.
SCHEMA_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009")
SCHEMA_HEAD = SCHEMA_REVISIONS[-1]
SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class FileInfo:
    path: Path
    revision: str

    @property
    def needs_upgrade(self) -> bool:
        return self.revision != SCHEMA_HEAD


def inspect_file(path: str | os.PathLike, *, deep: bool = True) -> FileInfo:
    """Recognise a project file without changing a byte of it; raise a ProjectFileError if it is not one.

    ``deep`` also checks the tables against the model (at the current schema) and runs SQLite's
    ``quick_check``, so a damaged file is refused before anything writes to it.
    """
    p = Path(path)
    if not p.exists():
        raise FileMissingError(p)
    if p.is_dir():
        raise NotAProjectError(p, _("It is a folder."))
    try:
        with open(p, "rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise ProjectFileError(p, _("'{path}' cannot be read: {error}").format(path=p, error=exc.strerror)) from None
    if len(head) == 0:
        raise NotAProjectError(p, _("The file is empty."))
    if not head.startswith(SQLITE_MAGIC):
        raise NotAProjectError(p)
    if len(head) < 100:
        raise DamagedProjectError(p, _("The file is truncated."))
    app_id = int.from_bytes(head[68:72], "big")
    if app_id != APPLICATION_ID:
        raise NotAProjectError(p, _("It is a database of another program."))
    try:
        con = _read_only_connection(p)
        try:
            has_version = con.execute(
                "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone()[0]
            rows = con.execute("SELECT version_num FROM alembic_version").fetchall() if has_version else []
            if len(rows) != 1:
                raise DamagedProjectError(p, _("Its schema version is missing."))
            revision = rows[0][0]
            if revision not in SCHEMA_REVISIONS:
                raise NewerSchemaError(p, revision, SCHEMA_HEAD)
            if deep:
                if revision == SCHEMA_HEAD:
                    problems = schema_problems(con)
                    if problems:
                        raise DamagedProjectError(p, " ".join(problems))
                result = [str(r[0]) for r in con.execute("PRAGMA quick_check(20)").fetchall()]
                if result != ["ok"]:
                    found = [line for r in result for line in r.splitlines() if not line.startswith("***")]
                    more = len(found) - 1
                    raise DamagedProjectError(p, _("SQLite's check reports: {first}{more}").format(
                        first=found[0] if found else "?",
                        more=ngettext(" (and {n} more problem)", " (and {n} more problems)", more).format(n=more)
                        if more > 0 else ""))
        finally:
            con.close()
    except ProjectFileError:
        raise
    except (sqlite3.Error, ValueError) as exc:  # ValueError: text in the schema that is not UTF-8
        raise DamagedProjectError(p, str(exc)) from None
    return FileInfo(p, revision)


SIDECARS = ("-wal", "-shm", "-journal")


def _read_only_connection(p: Path) -> sqlite3.Connection:
    """A connection that cannot change the file. When no journal files lie beside it, ``immutable``
    also keeps SQLite from creating any; otherwise (open elsewhere, or left by a crash) a plain
    read-only connection reads the committed state from the write-ahead log too."""
    live = any(Path(str(p) + s).exists() for s in SIDECARS)
    query = "mode=ro" if live else "mode=ro&immutable=1"
    return sqlite3.connect(network.sqlite_uri(p, query), uri=True)  # (a Windows UNC path too)


def _read_only_query(p: Path) -> str:
    """How a read-only engine opens ``p``: ``immutable`` too when this user cannot write the file and no
    journal lies beside it (nobody edits it now), so that reading a write-ahead-log file makes no
    ``-wal``/``-shm`` companions: left read-only beside it, they would keep it from being edited later."""
    if not os.access(p, os.W_OK) and not any(Path(str(p) + s).exists() for s in SIDECARS):
        return "mode=ro&immutable=1"
    return "mode=ro"


def schema_problems(con: sqlite3.Connection) -> list[str]:
    """Tables and columns of the file that differ from the model, as sentences (empty when it matches)."""
    from mpp_planner.model import Base

    found = {name for (name,) in con.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")}
    expected = set(Base.metadata.tables) | {"alembic_version"}
    problems = []
    missing = sorted(expected - found)
    extra = sorted(found - expected)
    if missing:
        problems.append(_("Missing table(s): {names}.").format(names=", ".join(missing)))
    if extra:
        problems.append(_("Unexpected table(s): {names}.").format(names=", ".join(extra)))
    for name in sorted(expected & found - {"alembic_version"}):
        have = {row[1] for row in con.execute(f'PRAGMA table_info("{name}")')}
        want = {c.name for c in Base.metadata.tables[name].columns}
        if have != want:
            lacking = ", ".join(sorted(want - have))
            surplus = ", ".join(sorted(have - want))
            detail = "; ".join(x for x in (
                _("missing {cols}").format(cols=lacking) if lacking else "",
                _("unexpected {cols}").format(cols=surplus) if surplus else "") if x)
            problems.append(_("Table {name} has other columns than expected ({detail}).").format(
                name=name, detail=detail))
    return problems


NETWORK_READ_TIMEOUT_MS = 1000  # a reader in a network folder waits this long for a writer before it gives up


def _set_pragmas(dbapi_conn, _record, *, readonly: bool, network: bool = False) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    if network:  # SQLite's guidance: no write-ahead log over a network (its index is shared memory)
        cur.execute(f"PRAGMA busy_timeout={NETWORK_READ_TIMEOUT_MS if readonly else 5000}")
        if not readonly:
            # exclusive before the first access: a log left by a crash is then read without shared memory
            cur.execute("PRAGMA locking_mode=EXCLUSIVE")
            cur.execute("PRAGMA journal_mode=DELETE")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("BEGIN EXCLUSIVE")  # take the whole file now; exclusive mode keeps it until closed
            cur.execute("COMMIT")
        cur.close()
        return
    if not readonly:
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def make_engine(path: Path, *, readonly: bool = False) -> Engine:
    """The only place an engine is made. Foreign keys on; WAL journal; full sync for power cuts.

    In a network folder (``store.network``) no WAL: a writer uses the rollback journal and holds the file
    exclusively, through one connection (a second one would wait for that lock forever); a reader of a
    file this process edits there reads a copy (:meth:`ProjectFile.snapshot_engine`)."""
    kind = network.network_kind(path)
    if readonly:
        writer = network.writer_for(path)
        if writer is not None:
            return writer.snapshot_engine()
        # immutable: a file this user cannot write, with no journal beside it, gets no companions; but
        # never in a network folder, where it would ignore the lock of a writer on another computer
        query = "mode=ro" if kind else _read_only_query(path)
        engine = create_engine(f"sqlite:///{network.sqlite_uri(path, query)}&uri=true")
    elif kind:
        engine = create_engine(f"sqlite:///{path}", poolclass=StaticPool)
    else:
        engine = create_engine(f"sqlite:///{path}")

    def connected(dbapi_conn, record) -> None:
        _set_pragmas(dbapi_conn, record, readonly=readonly, network=kind is not None)
        if kind and not readonly:
            _WRITER_CONNECTIONS[engine] = dbapi_conn
            try:  # the index of a log taken in (a crash, an older version): with the file held, nobody uses it
                Path(str(path) + "-shm").unlink(missing_ok=True)
            except OSError:
                pass

    event.listen(engine, "connect", connected)
    if kind:
        _NETWORK_KINDS[engine] = kind
    return engine


SNAPSHOT_PREFIX = "mpp-planner-reader-"
SNAPSHOT_KEEP_SECONDS = 24 * 3600  # older copies were left by a process that was killed during a job


def _sweep_snapshots() -> None:
    """Copies read by jobs (:meth:`ProjectFile.snapshot_engine`) that a killed process left in the temporary folder."""
    import time

    for folder in Path(tempfile.gettempdir()).glob(SNAPSHOT_PREFIX + "*"):
        try:
            if time.time() - folder.stat().st_mtime > SNAPSHOT_KEEP_SECONDS:
                shutil.rmtree(folder)
        except OSError:
            pass


# engines made for a network folder -> what makes it one; their writers' one driver connection
_NETWORK_KINDS: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()
_WRITER_CONNECTIONS: weakref.WeakKeyDictionary[Engine, sqlite3.Connection] = weakref.WeakKeyDictionary()


class ProjectFile:
    """An open project file: its path, its engine, whether it may be written, and its lock
    (a writable file is locked against other instances; see ``store.lock``). ``network_kind`` says
    what makes its folder a network one (None when local): there it is opened without WAL and a
    writer holds the whole file exclusively (see ``store.network``)."""

    def __init__(self, path: Path, engine: Engine, readonly: bool, lock=None):
        self.path = path
        self.engine = engine
        self.readonly = readonly
        self.lock = lock
        self.closed = False
        self.network_kind: str | None = _NETWORK_KINDS.get(engine)
        if self.network and not readonly:
            network.register_writer(path, self)

    @property
    def network(self) -> bool:
        """Opened in a network folder (a rollback journal; a writer holds the file exclusively)."""
        return self.network_kind is not None

    @property
    def lock_lost(self) -> bool:
        """True when another instance judged our lock stale and took the file over."""
        return bool(self.lock is not None and self.lock.lost)

    def close(self) -> None:
        """Fold the WAL back into the file and leave it in rollback-journal mode, so the
        closed .mpplan is one self-contained file (safe to copy, mail or put on a stick).
        Then remove the lock. (In a network folder there is no WAL: closing the connection
        releases the file and removes its journal.)"""
        if self.closed:
            return
        self.closed = True
        try:
            if not self.readonly and not self.network:
                self.engine.dispose()  # other pooled connections would block the mode switch
                try:
                    con = sqlite3.connect(self.path)
                    try:
                        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                        con.execute("PRAGMA journal_mode=DELETE")
                    finally:
                        con.close()
                except sqlite3.Error:  # another process has it open: the WAL stays valid as it is
                    pass
            self.engine.dispose()
        finally:
            if self.network and not self.readonly:
                network.unregister_writer(self.path, self)
            if self.lock is not None:
                self.lock.release()
                self.lock = None

    def snapshot_engine(self) -> Engine:
        """A read-only engine on a copy of this project in a local temporary folder (removed with the
        engine), for a job's reader while this writer holds the network file exclusively: no other
        connection can read it meanwhile, in this process neither. The copy is taken on the writer's own
        connection through SQLite's backup API, which waits while an edit is being written."""
        source = _WRITER_CONNECTIONS.get(self.engine)
        if source is None:  # not connected yet
            with self.engine.connect():
                source = _WRITER_CONNECTIONS[self.engine]
        _sweep_snapshots()
        folder = Path(tempfile.mkdtemp(prefix=SNAPSHOT_PREFIX))
        try:
            copy = folder / self.path.name
            _backup_connection(source, copy)
            engine = make_engine(copy, readonly=True)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        event.listen(engine, "engine_disposed", lambda _engine: shutil.rmtree(folder, ignore_errors=True))
        return engine

    def backup_to(self, dest: str | os.PathLike) -> Path:
        """Copy the live database to ``dest`` through SQLite's backup API (consistent while open)."""
        dest = Path(dest)
        raw = self.engine.raw_connection()
        try:
            source = raw.driver_connection
            assert isinstance(source, sqlite3.Connection)  # pysqlite: the only driver make_engine uses
            _backup_connection(source, dest)
        finally:
            raw.close()
        return dest


def _backup_connection(source: sqlite3.Connection, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".mpplan-", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    try:
        target = sqlite3.connect(tmp)
        try:  # in steps, so that a job's progress moves and its Cancel is heard
            source.backup(target, pages=1024, progress=lambda _status, left, total: checkpoint(total - left, total))
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
        checkpoint()
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def backup_copy(path: str | os.PathLike, dest: str | os.PathLike) -> Path:
    """Consistent copy of a (possibly open) project file."""
    src = sqlite3.connect(network.sqlite_uri(path, "mode=ro"), uri=True)  # sees the WAL too (a UNC path too)
    try:
        _backup_connection(src, Path(dest))
    finally:
        src.close()
    return Path(dest)


def create_project_file(path: str | os.PathLike, *, overwrite: bool = False) -> ProjectFile:
    """Create an empty project at ``path`` (schema at head, stamped), lock it and open it."""
    from mpp_planner.model import Base
    from mpp_planner.store import lock as locking

    target = Path(path)
    if target.exists() and not overwrite:
        raise ProjectFileError(target, _("'{path}' already exists.").format(path=target))
    if target.is_file() and not os.access(target, os.W_OK):  # kept read-only on purpose (Windows could not replace it)
        raise FileReadOnlyError(target, replacing=True)
    if not target.parent.exists():
        raise ProjectFileError(target, _("The folder '{path}' does not exist.").format(path=target.parent))
    fd, tmp_name = tempfile.mkstemp(prefix=".mpplan-", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    plock = None
    try:
        engine = make_engine(tmp)
        with engine.begin() as conn:
            Base.metadata.create_all(conn)
            conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
            conn.exec_driver_sql(
                "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))")
            conn.exec_driver_sql("INSERT INTO alembic_version VALUES (?)", (SCHEMA_HEAD,))
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.exec_driver_sql("PRAGMA journal_mode=DELETE")
        engine.dispose()
        plock = locking.acquire(target)  # an existing file held by another instance is not replaced
        for suffix in SIDECARS:
            Path(str(target) + suffix).unlink(missing_ok=True)
        os.replace(tmp, target)
    except BaseException:
        for suffix in ("", "-wal", "-shm"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
        if plock is not None:
            plock.release()
        raise
    return ProjectFile(target, make_engine(target), readonly=False, lock=plock)


def open_project_file(path: str | os.PathLike, *, readonly: bool = False) -> ProjectFile:
    """Open an existing project.

    The file is recognised and checked read-only first (a refused file stays byte-identical and
    gets no companions). A writable open then takes the lock; an older schema is copied to a
    timestamped backup beside the file and upgraded (the original comes back if that fails).
    """
    from mpp_planner.store import lock as locking

    network.check_open(path, readonly=readonly)  # held exclusively in a network folder: refused untouched
    info = inspect_file(path)
    target = info.path
    if info.needs_upgrade and readonly:
        raise ProjectFileError(target, _("'{path}' needs an upgrade and cannot be opened read-only.").format(
            path=target))
    if not readonly:  # os.access sees permissions and, on Windows, the read-only attribute
        for part in (target, *(Path(str(target) + s) for s in SIDECARS)):  # (a journal file made read-only too)
            if part.exists() and not os.access(part, os.W_OK):
                raise FileReadOnlyError(part)
    plock = None if readonly else locking.acquire(target)
    try:
        if info.needs_upgrade:
            upgrade_with_backup(target, info.revision)
        engine = make_engine(target, readonly=readonly)
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
        except Exception as exc:  # noqa: BLE001 - any driver error means the file cannot be used
            engine.dispose()
            kind = storage_failure(exc)
            if kind == "readonly" and not readonly:  # denied by what os.access does not see
                raise FileReadOnlyError(target) from None  # (a Windows permission, a read-only share)
            if kind == "locked":  # the file is sound, but another program holds it
                raise ProjectFileError(target, _(STORAGE_FAILURES[kind])) from None
            if kind == "full":  # no room for its journal
                raise ProjectFileError(target, _("The disk of '{path}' is full, so it cannot be opened for editing. "
                                                 "Free some space and try again.").format(path=target)) from None
            raise DamagedProjectError(target, str(getattr(exc, "orig", None) or exc)) from None
    except BaseException:
        if plock is not None:
            plock.release()
        raise
    return ProjectFile(target, engine, readonly, lock=plock)


def schema_backup_path(target: Path, revision: str) -> Path:
    """``<name>.backup-YYYYmmdd-HHMMSS-schema<rev>.mpplan`` beside the file (never an existing name)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = target.with_name(f"{target.stem}.backup-{stamp}-schema{revision}{target.suffix}")
    n = 2
    while candidate.exists():
        candidate = target.with_name(f"{target.stem}.backup-{stamp}-{n}-schema{revision}{target.suffix}")
        n += 1
    return candidate


def upgrade_with_backup(target: Path, revision: str) -> Path:
    """Back the file up beside itself, upgrade it to the current schema, check the result.

    On any failure the original file is put back from the backup and a DamagedProjectError says why."""
    backup = schema_backup_path(target, revision)
    if any(Path(str(target) + s).exists() for s in SIDECARS):
        backup_copy(target, backup)  # committed edits may still be in the write-ahead log
    else:
        shutil.copy2(target, backup)  # the very bytes the user had
    try:
        upgrade(target)
        con = _read_only_connection(target)
        try:
            problems = schema_problems(con)
        finally:
            con.close()
        if problems:
            raise DamagedProjectError(target, " ".join(problems))
    except Exception as exc:  # noqa: BLE001 - restore, then explain
        _restore(backup, target)
        if isinstance(exc, ProjectFileError):
            raise
        raise DamagedProjectError(target, _("It could not be upgraded ({error}); it was left as it was.").format(
            error=exc)) from None
    return backup


def _restore(backup: Path, target: Path) -> None:
    for suffix in ("-wal", "-shm", "-journal"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".mpplan-", suffix=".tmp", dir=target.parent)
    os.close(fd)
    shutil.copyfile(backup, tmp)
    os.replace(tmp, target)


def upgrade(path: Path) -> None:
    """Run the Alembic migrations up to head (imported only when a file needs it)."""
    from mpp_planner.store.migrate import upgrade_to_head

    engine = make_engine(path)
    try:
        upgrade_to_head(engine)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
