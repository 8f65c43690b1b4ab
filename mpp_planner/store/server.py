"""Projects on a PostgreSQL server (team mode): the same model and the same Alembic migrations as the
``.mpplan`` file, one database per MPP.

A server project is named by its URL, ``postgresql://user@host[:port]/database`` (``postgres://`` too).
The password comes from the URL, from libpq's own places (``PGPASSWORD``, the ``.pgpass`` /
``pgpass.conf`` file) or from the caller (the GUI asks, or takes it from the system keyring). libpq's
default ``sslmode=prefer`` gives TLS whenever the server offers it. The driver (psycopg 3) is imported
only here, when a server project is opened: nothing else in the app needs it.

:class:`ServerStore` stands where :class:`~mpp_planner.store.file.ProjectFile` stands for a file (an
engine, ``readonly``, ``close``, ``backup_to``), so :class:`~mpp_planner.project.Project` runs every
command, export, check and import on it unchanged.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from mpp_planner.i18n import _
from mpp_planner.store.errors import NewerSchemaError, NotAProjectError, ProjectFileError

log = logging.getLogger(__name__)

SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
CONNECT_TIMEOUT_S = 10
UPGRADE_LOCK = 0x4D5050  # "MPP": one client upgrades the schema at a time (a transaction-level advisory lock)


def is_server_url(value) -> bool:
    """Whether ``value`` names a server project rather than a file."""
    return isinstance(value, str) and value.lower().startswith(SCHEMES)


class ServerError(ProjectFileError):
    """The server cannot be reached or refuses us; ``str()`` is one line for the manager."""


def driver_url(url: str, password: str | None = None) -> URL:
    """``url`` for SQLAlchemy with the psycopg 3 driver (and ``password`` when given)."""
    try:
        parsed = make_url(url.replace("postgres://", "postgresql://", 1) if url.startswith("postgres://") else url)
    except ArgumentError:
        raise ServerError(url, _("'{url}' is not a server address (postgresql://user@host/database).").format(
            url=safe_url(url))) from None
    if not parsed.database:
        raise ServerError(url, _("The server address '{url}' names no database "
                                 "(postgresql://user@host/database).").format(url=safe_url(url)))
    parsed = parsed.set(drivername="postgresql+psycopg")
    if password is not None:
        parsed = parsed.set(password=password)
    return parsed


def safe_url(url: str | URL) -> str:
    """The address without its password, as shown in titles, messages and logs."""
    if isinstance(url, URL):
        return url.set(drivername="postgresql").render_as_string(hide_password=True).replace(":***@", "@")
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1@", str(url))


def user_of(url: str | URL) -> str:
    """The database user a server project is opened as (libpq's default: the login name)."""
    parsed = url if isinstance(url, URL) else driver_url(url)
    return parsed.username or os.environ.get("PGUSER") or _login_name()


def _login_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "?"


def make_server_engine(url: str | URL, *, readonly: bool = False, password: str | None = None) -> Engine:
    """The only place a server engine is made: psycopg 3, a short connect timeout, connections checked
    before use (a server restarted overnight), read-only transactions for a read-only opener."""
    target = url if isinstance(url, URL) else driver_url(url, password)
    engine = create_engine(target, pool_pre_ping=True, pool_size=2, max_overflow=4,
                           connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "MPP Planner"})
    if readonly:
        @event.listens_for(engine, "connect")
        def _read_only(dbapi_conn, _record) -> None:
            with dbapi_conn.cursor() as cur:
                cur.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            dbapi_conn.commit()
    return engine


def server_message(exc: BaseException, url: str) -> str:
    """One line for a failure to reach or use the server (psycopg's own first line kept: it names the
    cause — refused, timeout, password, unknown database)."""
    inner = getattr(exc, "orig", None) or exc
    first = next((ln.strip() for ln in str(inner).splitlines() if ln.strip()), type(inner).__name__)
    first = re.sub(r'connection to server .*? failed: ', "", first)
    return _("The server project '{url}' cannot be opened: {reason}").format(url=safe_url(url), reason=first)


def server_revision(engine: Engine) -> tuple[str | None, bool]:
    """The schema revision stamped in the database (None when unstamped) and whether it holds any table."""
    with engine.connect() as con:
        names = inspect(con).get_table_names()
        if "alembic_version" not in names:
            return None, bool(names)
        row = con.execute(text("SELECT version_num FROM alembic_version")).first()
        return (row[0] if row else None), True


def create_server_schema(engine: Engine, connection=None) -> None:
    """Build the schema of an empty database with the migrations (the same scripts that upgrade files),
    under the upgrade lock, in one transaction: PostgreSQL's DDL is transactional, all or nothing."""
    from mpp_planner.store.migrate import upgrade_on

    if connection is not None:
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": UPGRADE_LOCK})
        upgrade_on(connection)
        return
    with engine.begin() as con:
        con.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": UPGRADE_LOCK})
        upgrade_on(con)


class ServerStore:
    """An open server project: its URL, engine and whether it may be written. No lock file: the
    server arbitrates between users (optimistic versions and row locks, see ``project``)."""

    is_server = True
    lock = None
    lock_lost = False

    def __init__(self, url: str, engine: Engine, readonly: bool, password: str | None = None):
        self.url = url
        self.engine = engine
        self.readonly = readonly
        self.password = password
        self.closed = False
        self.user = user_of(url)
        parsed = driver_url(url)
        # A stand-in path for what the app derives from a file's path (default export folders and names):
        # the user's documents folder and the database name. Nothing is written there by opening.
        self.path = _documents() / f"{parsed.database}.mpplan"

    @property
    def display(self) -> str:
        return safe_url(self.url)

    def twin(self, *, readonly: bool = True) -> "ServerStore":
        """Another connection pool to the same database (a job's reader in another thread)."""
        engine = make_server_engine(self.url, readonly=readonly, password=self.password)
        return ServerStore(self.url, engine, readonly, self.password)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.engine.dispose()

    def backup_to(self, dest: str | os.PathLike) -> Path:
        """A ``.mpplan`` file holding everything in the database now (see ``store.copy``)."""
        from mpp_planner.store.copy import copy_project

        copy_project(self.url, dest, source_password=self.password, overwrite=True)
        return Path(dest)


def _documents() -> Path:
    home = Path.home()
    for name in ("Documents", "Dokumen"):
        if (home / name).is_dir():
            return home / name
    return home


def open_server(url: str, *, readonly: bool = False, password: str | None = None) -> ServerStore:
    """Open the server project at ``url``: reachable, ours, not newer than this app; an older schema is
    upgraded (by a writer, in one transaction, one client at a time). Errors are one-line
    :class:`ProjectFileError` messages."""
    from mpp_planner.store.file import SCHEMA_HEAD, SCHEMA_REVISIONS

    engine = make_server_engine(url, readonly=readonly, password=password)
    try:
        revision, has_tables = server_revision(engine)
    except DBAPIError as exc:
        engine.dispose()
        raise ServerError(url, server_message(exc, url)) from None
    shown = safe_url(url)
    if revision is None:
        engine.dispose()
        detail = (_("The database holds other tables.") if has_tables else
                  _("The database is empty: copy a project into it with: mpp-planner copy FILE.mpplan {url}").format(
                      url=shown))
        raise NotAProjectError(shown, detail)
    if revision not in SCHEMA_REVISIONS:
        engine.dispose()
        raise NewerSchemaError(shown, revision, SCHEMA_HEAD)
    if revision != SCHEMA_HEAD:
        if readonly:
            engine.dispose()
            raise ProjectFileError(shown, _(
                "The server project '{url}' has an older schema ({old}); open it for editing once to upgrade "
                "it.").format(url=shown, old=revision))
        try:
            create_server_schema(engine)  # upgrades from the stamped revision to head
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) == "42501":  # insufficient privilege: an editor, not the owner
                with engine.connect() as con:
                    owner = con.execute(text("SELECT pg_get_userbyid(datdba) FROM pg_database "
                                             "WHERE datname = current_database()")).scalar()
                engine.dispose()
                raise ServerError(url, _(
                    "The server project '{url}' has an older schema ({old}) and only the database's owner ({owner}) "
                    "may upgrade it: ask them to open it once with this version of MPP Planner.").format(
                        url=shown, old=revision, owner=owner)) from None
            engine.dispose()
            raise ServerError(url, server_message(exc, url)) from None
        log.info("server schema upgraded from %s to %s: %s", revision, SCHEMA_HEAD, shown)
    return ServerStore(url, engine, readonly, password)
