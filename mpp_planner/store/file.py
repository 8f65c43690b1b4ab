"""Create, recognise and check, open (locked for writing), migrate and copy ``.mpplan`` files."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, event

from mpp_planner.i18n import _
from mpp_planner.jobs import checkpoint
from mpp_planner.store.errors import (DamagedProjectError, FileMissingError, NewerSchemaError, NotAProjectError,
                                     ProjectFileError)

APPLICATION_ID = 0x4D50504C  # "MPPL" in the SQLite header: marks our files
# Every schema revision ever released, oldest first; the last is what this app writes.
# tests/store/test_files.py checks this list against the Alembic scripts; tests/fixtures holds a file of each.
SCHEMA_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008")
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
                        more=_(" (and {n} more problems)").format(n=more) if more > 0 else ""))
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
    return sqlite3.connect(f"{p.resolve().as_uri()}?{query}", uri=True)


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


def _set_pragmas(dbapi_conn, _record, *, readonly: bool) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    if not readonly:
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def make_engine(path: Path, *, readonly: bool = False) -> Engine:
    """The only place an engine is made. Foreign keys on; WAL journal; full sync for power cuts."""
    if readonly:
        url = f"sqlite:///{path.resolve().as_uri()}?mode=ro&uri=true"
    else:
        url = f"sqlite:///{path}"
    engine = create_engine(url)
    event.listen(engine, "connect", lambda c, r: _set_pragmas(c, r, readonly=readonly))
    return engine


class ProjectFile:
    """An open project file: its path, its engine, whether it may be written, and its lock
    (a writable file is locked against other instances; see ``store.lock``)."""

    def __init__(self, path: Path, engine: Engine, readonly: bool, lock=None):
        self.path = path
        self.engine = engine
        self.readonly = readonly
        self.lock = lock
        self.closed = False

    @property
    def lock_lost(self) -> bool:
        """True when another instance judged our lock stale and took the file over."""
        return bool(self.lock is not None and self.lock.lost)

    def close(self) -> None:
        """Fold the WAL back into the file and leave it in rollback-journal mode, so the
        closed .mpplan is one self-contained file (safe to copy, mail or put on a stick).
        Then remove the lock."""
        if self.closed:
            return
        self.closed = True
        try:
            if not self.readonly:
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
            if self.lock is not None:
                self.lock.release()
                self.lock = None

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
    src = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)  # sees the WAL too
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

    info = inspect_file(path)
    target = info.path
    if info.needs_upgrade and readonly:
        raise ProjectFileError(target, _("'{path}' needs an upgrade and cannot be opened read-only.").format(
            path=target))
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
            raise DamagedProjectError(target, str(exc)) from None
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
