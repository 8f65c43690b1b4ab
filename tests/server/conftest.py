"""A real PostgreSQL server for the team-mode tests, started by the tests themselves in a temporary
folder with Debian's ``initdb``/``pg_ctl`` (package ``postgresql``, installed by ``.ci/run``).

The server listens on a Unix socket in its own folder only (no TCP port, so parallel runs and other
servers on the machine do not meet), trusts local connections, and does not fsync (a test server).
When the programs are missing the tests are skipped and say why; under CI (``CI`` set) that is a failure.
As root (CI containers) the server runs as the ``postgres`` user: PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import os

import pytest

from tests.server.pg import PORT, USER, Server, StartFailed, Unavailable, running_server
from tests.server.pg import programs as _programs

__all__ = ["PORT", "USER", "Server", "_programs", "pg_server", "server_url"]


@pytest.fixture(scope="session")
def pg_server():
    """The test server (``tests/server/pg.py``), started once for the session."""
    try:
        with running_server() as server:
            yield server
    except Unavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    except StartFailed as exc:
        pytest.fail(str(exc))


@pytest.fixture
def server_url(pg_server) -> str:
    """The URL of a fresh, empty database on the test server."""
    return pg_server.new_database()
