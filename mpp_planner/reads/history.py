"""Who changed what, and when: the change log (``model.history``) per object, newest first.

``history(project, "room", 12)`` lists every logged change of room 12: its own rows, and the summary rows
of bulk commands (an import of thousands of rows) whose id range holds it. ``recent(project)`` lists the
latest changes of the whole project (or of one table), for ``mpp-planner history``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from mpp_planner.model.history import BULK_KEY, ChangeLog, covers, row_key
from mpp_planner.project import Project


@dataclass(frozen=True)
class HistoryEntry:
    """One logged change: when (UTC), who, on which computer, insert/update/delete, by which command, and the
    attributes it set (for a summary row of a bulk command: the number of rows and their id range)."""

    at: datetime
    user: str
    computer: str
    verb: str
    command: str
    fields: tuple[str, ...]
    table_name: str = ""
    row_key: str = ""

    @property
    def summary(self) -> bool:
        """A bulk command's one row for many rows of its table."""
        return self.row_key == BULK_KEY


def _entry(row: ChangeLog) -> HistoryEntry:
    return HistoryEntry(row.at, row.user, row.computer, row.verb, row.command, tuple(row.fields), row.table_name,
                        row.row_key)


def history(project: Project, table_name: str, key: Any, limit: int | None = None) -> list[HistoryEntry]:
    """Every logged change of one row (``key``: its id, or a tuple for a two-column key), newest first."""
    text = row_key(key)
    stmt = (select(ChangeLog).where(ChangeLog.table_name == table_name, ChangeLog.row_key.in_([text, BULK_KEY]))
            .order_by(ChangeLog.id.desc()))
    out = []
    for row in project.session.scalars(stmt):
        if covers(row.row_key, row.fields, text):
            out.append(_entry(row))
            if limit is not None and len(out) >= limit:
                break
    return out


def last_change(project: Project, table_name: str, key: Any) -> HistoryEntry | None:
    """The latest logged change of one row, or None when none was logged."""
    found = history(project, table_name, key, limit=1)
    return found[0] if found else None


def recent(project: Project, table_name: str | None = None, limit: int = 50) -> list[HistoryEntry]:
    """The latest ``limit`` changes of the project (or of one table), newest first."""
    stmt = select(ChangeLog).order_by(ChangeLog.id.desc()).limit(limit)
    if table_name is not None:
        stmt = stmt.where(ChangeLog.table_name == table_name)
    return [_entry(row) for row in project.session.scalars(stmt)]


def logged_tables(project: Project) -> list[str]:
    """The tables the change log names, sorted."""
    return sorted(project.session.scalars(select(ChangeLog.table_name).distinct()))
