"""A real PostgreSQL server in a temporary folder, for the team-mode tests (``conftest.py``) and the server
benchmark (``benchmarks/server_bench.py``): Debian's ``initdb``/``pg_ctl`` (package ``postgresql``).

The server listens on a Unix socket in its own folder only (no TCP port, so parallel runs and other servers on
the machine do not meet), trusts local connections, and does not fsync (a test server). As root (CI containers)
it runs as the ``postgres`` user: PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

USER = "mpp"
PORT = 5432  # names the socket file only (listen_addresses is empty)


class Unavailable(Exception):
    """The server programs or the driver are missing here; ``str()`` says what to install."""


class StartFailed(Exception):
    """The server was there but did not start; ``str()`` holds its log."""


def programs() -> tuple[str, str] | None:
    """``initdb`` and ``pg_ctl``: on the PATH, or in Debian's versioned folder (the newest)."""
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        return initdb, pg_ctl
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True)
    for folder in folders:
        if Path(folder, "initdb").exists() and Path(folder, "pg_ctl").exists():
            return str(Path(folder, "initdb")), str(Path(folder, "pg_ctl"))
    return None


@dataclass
class Server:
    socket_dir: str
    port: int = PORT
    user: str = USER
    _names = itertools.count(1)

    def url(self, database: str = "postgres", user: str | None = None) -> str:
        return f"postgresql://{user or self.user}@/{database}?host={self.socket_dir}&port={self.port}"

    def connect(self, database: str = "postgres", user: str | None = None):
        """A psycopg connection in autocommit mode (to create databases and roles)."""
        import psycopg

        return psycopg.connect(host=self.socket_dir, port=self.port, user=user or self.user, dbname=database,
                               autocommit=True)

    def new_database(self, owner: str | None = None) -> str:
        """A fresh, empty database (owned by ``owner`` when given); its URL (as ``owner``)."""
        name = f"t{os.getpid()}_{next(self._names)}"
        with self.connect() as con:
            con.execute(f'CREATE DATABASE "{name}"' + (f' OWNER "{owner}"' if owner else ""))
        return self.url(name, owner)


@contextmanager
def running_server() -> Iterator[Server]:
    """Start a server in a temporary folder; stopped and removed on leaving. Raises :class:`Unavailable`
    when PostgreSQL's programs or psycopg are missing, :class:`StartFailed` when it does not start."""
    found = programs()
    if found is None:
        raise Unavailable("PostgreSQL's server programs (initdb, pg_ctl) are not installed: install Debian's "
                          "'postgresql' package to run the team-mode tests")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise Unavailable("the PostgreSQL driver psycopg is not installed (make test installs it)") from None
    initdb, pg_ctl = found
    folder = Path(tempfile.mkdtemp(prefix="mpp-pg-"))  # not under pytest's folder: the server user must reach it
    run_as: list[str] = []
    if os.geteuid() == 0:
        import pwd

        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(folder, ignore_errors=True)
            raise StartFailed("running as root, and there is no 'postgres' user to run the test server as") from None
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    data, log = folder / "data", folder / "server.log"
    try:
        subprocess.run([*run_as, initdb, "-D", str(data), "-A", "trust", "-U", USER, "-E", "UTF8", "--locale=C",
                        "--no-sync"], check=True, capture_output=True, timeout=120)
        options = f"-p {PORT} -k {folder} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
        subprocess.run([*run_as, pg_ctl, "-D", str(data), "-o", options, "-l", str(log), "-w", "-t", "60", "start"],
                       check=True, capture_output=True, timeout=90)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        logged = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        raise StartFailed(f"the test PostgreSQL server did not start: {exc}\n{detail.decode(errors='replace')}\n"
                          f"{logged}") from None
    try:
        yield Server(str(folder))
    finally:
        subprocess.run([*run_as, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True,
                       timeout=60)
        shutil.rmtree(folder, ignore_errors=True)
