"""Copy a project between a file and a server, both ways, verified.

``copy_project(SOURCE, DEST)`` where each is a ``.mpplan`` path or a ``postgresql://`` URL. Every row
of every table is copied with its id (plan, inventory, budget, backgrounds, surveys …), in the order
the foreign keys need, through the same SQLAlchemy tables and column types, so the copy means exactly
what the source meant. It is then verified: per table, the number of rows and a SHA-256 of every row in
key order, read back from the destination, must equal the source's; otherwise nothing is kept.

All or nothing: a server destination must be an empty database, and its schema (built by the same
migrations that upgrade files) and rows are written in one transaction; a file destination is written
to a temporary file beside it and put in place only when verified. A file source is read from a
consistent snapshot (SQLite's backup API), so a copy may run while the project is open in the app.
Progress and Cancel go through :func:`mpp_planner.jobs.checkpoint`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Table, func, insert, select, text

from mpp_planner.i18n import _
from mpp_planner.jobs import checkpoint
from mpp_planner.store.errors import ProjectFileError
from mpp_planner.store.server import is_server_url, safe_url

log = logging.getLogger(__name__)

BATCH = 2000


@dataclass
class TableCopy:
    name: str
    rows: int
    checksum: str


@dataclass
class CopyReport:
    source: str
    dest: str
    tables: list[TableCopy] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


class CopyError(ProjectFileError):
    """The copy could not be made or did not verify; nothing was kept at the destination."""


def _tables() -> list[Table]:
    from mpp_planner.model import Base

    return list(Base.metadata.sorted_tables)  # parents before children


def _key_order(table: Table):
    return [table.c[c.name] for c in table.primary_key.columns]


def _rows(con: Connection, table: Table) -> Iterable[list[dict]]:
    result = con.execution_options(yield_per=BATCH).execute(select(table).order_by(*_key_order(table)))
    for part in result.partitions():
        yield [dict(row._mapping) for row in part]


def _digest(con: Connection, table: Table) -> tuple[int, str]:
    """Rows and the SHA-256 of their values (as Python gives them back through the column types)."""
    sha, count = hashlib.sha256(), 0
    for part in _rows(con, table):
        count += _hash_rows(sha, table, part)
    return count, sha.hexdigest()


def _hash_rows(sha, table: Table, rows: list[dict]) -> int:
    names = [c.name for c in table.columns]
    for row in rows:
        sha.update(repr(tuple(row[n] for n in names)).encode("utf-8", "surrogatepass"))
        sha.update(b"\n")
    return len(rows)


def _copy_rows(src: Connection, dst: Connection, tables: list[Table]) -> list[TableCopy]:
    total = sum(src.execute(select(func.count()).select_from(t)).scalar_one() for t in tables) or 1
    done, copied = 0, []
    for table in tables:
        sha, count = hashlib.sha256(), 0
        for part in _rows(src, table):
            dst.execute(insert(table), part)
            count += _hash_rows(sha, table, part)
            done += len(part)
            checkpoint(done, 2 * total, _("Copying {table}…").format(table=table.name))
        copied.append(TableCopy(table.name, count, sha.hexdigest()))
    return copied


def _verify(dst: Connection, copied: list[TableCopy], tables: list[Table], total: int) -> None:
    done = total
    by_name = {t.name: t for t in tables}
    for want in copied:
        count, checksum = _digest(dst, by_name[want.name])
        done += want.rows
        checkpoint(done, 2 * max(total, 1), _("Checking {table}…").format(table=want.name))
        if (count, checksum) != (want.rows, want.checksum):
            raise CopyError(want.name, _("The copy of table '{table}' does not match its source ({got} rows "
                                         "instead of {want}, or other values); nothing was kept.").format(
                table=want.name, got=count, want=want.rows))


def _reset_sequences(dst: Connection, tables: list[Table]) -> None:
    """PostgreSQL: serial counters moved past the copied ids, so the next new row gets a fresh one."""
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1:
            continue
        col = keys[0].name
        seq = dst.execute(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": col}).scalar()
        if seq:
            dst.execute(text(f'SELECT setval(:s, COALESCE(MAX("{col}"), 1), MAX("{col}") IS NOT NULL) '
                             f'FROM "{table.name}"'), {"s": seq})


def copy_project(source: str | os.PathLike, dest: str | os.PathLike, *, overwrite: bool = False,
                 source_password: str | None = None, dest_password: str | None = None) -> CopyReport:
    """Copy the project at ``source`` to ``dest`` (each a file path or a server URL); see the module."""
    source, dest = str(source), str(dest)
    tables = _tables()
    with ExitStack() as stack:
        src_engine = _source_engine(source, source_password, stack)
        report = CopyReport(safe_url(source), safe_url(dest))
        with src_engine.connect() as src:
            if src.dialect.name == "postgresql":
                src = src.execution_options(isolation_level="REPEATABLE READ")  # one snapshot of every table
            with src.begin():
                if is_server_url(dest):
                    report.tables = _to_server(src, dest, dest_password, tables)
                else:
                    report.tables = _to_file(src, Path(dest), overwrite, tables)
    log.info("copied %s rows from %s to %s", report.rows, report.source, report.dest)
    return report


def _source_engine(source: str, password: str | None, stack: ExitStack):
    if is_server_url(source):
        from mpp_planner.store.server import open_server

        store = open_server(source, readonly=True, password=password)
        stack.callback(store.close)
        return store.engine
    from mpp_planner.store.file import backup_copy, inspect_file, make_engine

    info = inspect_file(source)
    if info.needs_upgrade:
        raise CopyError(source, _("'{path}' has an older schema ({old}); open it once in MPP Planner to upgrade it, "
                                  "then copy it.").format(path=source, old=info.revision))
    folder = Path(tempfile.mkdtemp(prefix="mpp-copy-"))
    stack.callback(lambda: _remove_tree(folder))
    snapshot = backup_copy(source, folder / "snapshot.mpplan")
    engine = make_engine(snapshot, readonly=True)
    stack.callback(engine.dispose)
    return engine


def _remove_tree(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


def _to_server(src: Connection, dest: str, password: str | None, tables: list[Table]) -> list[TableCopy]:
    from sqlalchemy.exc import DBAPIError

    from mpp_planner.store.server import (ServerError, create_server_schema, make_server_engine, server_message,
                                          server_revision)

    engine = make_server_engine(dest, password=password)
    try:
        try:
            revision, has_tables = server_revision(engine)
        except DBAPIError as exc:
            raise ServerError(dest, server_message(exc, dest)) from None
        if revision is not None or has_tables:
            raise CopyError(dest, _("The database '{url}' is not empty; a project is copied only into an empty "
                                    "database (create one with: createdb NAME).").format(url=safe_url(dest)))
        try:
            with engine.begin() as dst:  # schema and rows: one transaction
                create_server_schema(engine, connection=dst)
                copied = _copy_rows(src, dst, tables)
                _reset_sequences(dst, tables)
                _verify(dst, copied, tables, sum(t.rows for t in copied))
        except DBAPIError as exc:
            raise ServerError(dest, server_message(exc, dest)) from None
        return copied
    finally:
        engine.dispose()


def _to_file(src: Connection, dest: Path, overwrite: bool, tables: list[Table]) -> list[TableCopy]:
    from mpp_planner.store.file import create_project_file

    if dest.exists() and not overwrite:
        raise CopyError(dest, _("'{path}' already exists.").format(path=dest))
    if not dest.parent.is_dir():
        raise CopyError(dest, _("The folder '{path}' does not exist.").format(path=dest.parent))
    fd, name = tempfile.mkstemp(prefix=".mpplan-copy-", suffix=".mpplan", dir=dest.parent)
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()
    try:
        pfile = create_project_file(tmp)
        try:
            with pfile.engine.begin() as dst:
                copied = _copy_rows(src, dst, tables)
                _verify(dst, copied, tables, sum(t.rows for t in copied))
        finally:
            pfile.close()
        os.replace(tmp, dest)
        return copied
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
