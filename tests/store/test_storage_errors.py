"""Storage failures are told apart from refused edits, through SQLAlchemy's wrapper to the driver."""

from __future__ import annotations

import errno
import sqlite3

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from mpp_planner.model import ValidationError
from mpp_planner.project import ReadOnlyError
from mpp_planner.store.errors import storage_failure, storage_message


def wrapped(text: str, cls=sqlite3.OperationalError):
    return OperationalError("COMMIT", {}, cls(text))


@pytest.mark.parametrize("exc, kind", [
    (wrapped("database is locked"), "locked"),
    (wrapped("database or disk is full"), "full"),
    (wrapped("attempt to write a readonly database"), "readonly"),
    (wrapped("disk I/O error"), "io"),
    (OSError(errno.ENOSPC, "No space left on device"), "full"),
    (OSError(errno.EROFS, "Read-only file system"), "readonly"),
    (OSError(errno.EIO, "Input/output error"), "io"),
])
def test_storage_failures_are_recognised(exc, kind):
    assert storage_failure(exc) == kind
    assert storage_message(exc)


@pytest.mark.parametrize("exc", [
    ValidationError("name", "must not be empty"), LookupError("gone"), ValueError("bad"), ReadOnlyError(),
    IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE constraint failed")), RuntimeError("bug"),
])
def test_refusals_and_bugs_are_not_storage_failures(exc):
    assert storage_failure(exc) is None
    assert storage_message(exc) is None
