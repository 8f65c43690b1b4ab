"""Who changed what, and when (schema 0009): one ``change_log`` row per row an edit inserted, updated or
deleted, written in the edit's own transaction by :class:`~mpp_planner.project.Project`.

A row names the table and the row's key as text (``"12"``; ``"3/7"`` for a two-column key), the verb
(insert, update, delete), the attributes an update set, the command the user ran ("Move counter L-01"),
who ran it (the database user on a server, the login name on a file), on which computer, and when (UTC).
A command that writes many rows of one table at once (an import of thousands of survey forms) writes one
summary row for that table instead: row key ``*``, and in ``fields`` the number of rows and the range of
their ids, ``["20000", "101-20100"]`` (see :data:`BULK_ROWS`; per row, the import of 20,000 forms took a
third more time). Read it with ``mpp_planner.reads.history``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import DateTime, Index, insert, select
from sqlalchemy.orm import Mapped, mapped_column, validates
from sqlalchemy.types import TypeDecorator

from mpp_planner.i18n import _
from mpp_planner.model.base import (Base, JSONList, SingleLine, ValidationError, clean_choice, clean_name,
                                    field_label, one_line, storable)

VERBS = ("insert", "update", "delete")
BULK_KEY = "*"  # the row key of a summary row
#: more rows than this of one table and one verb in one edit are logged as one summary row
BULK_ROWS = 500
MAX_COMMAND = 300
MAX_WHO = 100
# PostgreSQL's words for "another transaction got there first": serialization failure, deadlock, lock not available
CONFLICT_STATES = ("40001", "40P01", "55P03")


class EditConflict(ValueError):
    """Someone else changed (or deleted) a row an edit writes since the project read it (team mode), or since
    the project's own last write of it (an undo): nothing was saved; what the project held is read again and
    a reset announced, so the screens show their version. ``str()`` is one line for the user. (Raised by
    ``mpp_planner.project.Project.edit``; a ``ValueError``, so the undo stack shows it as a refusal.)"""

    def __init__(self, message: str, table: str | None = None, ident: Any = None, user: str | None = None):
        super().__init__(message)
        self.table, self.ident, self.user = table, ident, user


@dataclass
class Step:
    """The rows one undoable command wrote (table -> ids): before it is undone or redone, each must still
    hold the version the project's own last write left, else someone else changed it meanwhile (see
    ``Project.describing``). A merged command's step takes in the other's (:meth:`absorb`)."""

    rows: dict[str, set] = field(default_factory=lambda: defaultdict(set))

    def absorb(self, other: "Step | None") -> None:
        for table, ids in (other.rows.items() if other is not None else ()):
            self.rows[table] |= ids


class UtcTime(TypeDecorator):
    """A moment in UTC: stored without a zone (SQLite has none), read back as an aware UTC datetime."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


def clean_moment(field: str, value: Any) -> datetime:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, datetime):
        raise ValidationError(field, _("{field} must be a date and time.").format(field=field_label(field)))
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


class ChangeLog(Base):
    """One row inserted, updated or deleted by one edit (or a summary of many, see :data:`BULK_KEY`)."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_row", "table_name", "row_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcTime)
    user: Mapped[str] = mapped_column(SingleLine(MAX_WHO), default="")
    computer: Mapped[str] = mapped_column(SingleLine(MAX_WHO), default="")
    table_name: Mapped[str] = mapped_column(SingleLine(60))
    row_key: Mapped[str] = mapped_column(SingleLine(100))
    verb: Mapped[str] = mapped_column(SingleLine(10))
    command: Mapped[str] = mapped_column(SingleLine(MAX_COMMAND), default="")
    fields: Mapped[list] = mapped_column(JSONList, default=list)

    @validates("at")
    def _v_at(self, key, value):
        return clean_moment(key, value)

    @validates("user", "computer")
    def _v_who(self, key, value):
        return clean_name(key, value, required=False, max_len=MAX_WHO)

    @validates("table_name")
    def _v_table(self, key, value):
        name = clean_name(key, value, max_len=60)
        if name not in Base.metadata.tables:
            raise ValidationError(key, _("{field}: unknown table '{name}'.").format(field=field_label(key), name=name))
        return name

    @validates("row_key")
    def _v_row_key(self, key, value):
        return clean_name(key, value, max_len=100)

    @validates("verb")
    def _v_verb(self, key, value):
        return clean_choice(key, value, VERBS)

    @validates("command")
    def _v_command(self, key, value):
        return clean_name(key, value, required=False, max_len=MAX_COMMAND)

    @validates("fields")
    def _v_fields(self, key, value):
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise ValidationError(key, _("{field} must be a list of names.").format(field=field_label(key)))
        return [clean_name(key, v, max_len=60) for v in value]


def row_key(ident: Any) -> str:
    """A row's key as the change log writes it: ``"12"``, or ``"3/7"`` for a two-column key."""
    if isinstance(ident, tuple):
        return "/".join(str(part) for part in ident)
    return str(ident)


class ChangeRecorder:
    """The rows one edit changed, gathered as it flushes, written to ``change_log`` before it commits."""

    __slots__ = ("rows",)

    def __init__(self) -> None:
        self.rows: dict[tuple[str, Any], list] = {}  # (table, ident) -> [verb, set of attribute names]

    def __bool__(self) -> bool:
        return bool(self.rows)

    def add(self, table: str, ident: Any, verb: str, fields: Iterable[str] = ()) -> None:
        """One row ``verb``-ed; several changes of one row in one edit make one entry (an insert then an
        update is an insert, an insert then a delete nothing, a delete then an insert an update)."""
        key = (table, ident)
        entry = self.rows.get(key)
        if entry is None:
            self.rows[key] = [verb, set(fields)]
            return
        was = entry[0]
        if was == "insert" and verb == "delete":
            del self.rows[key]
            return
        if was == "delete" and verb == "insert":
            entry[0] = "update"
        elif was != "insert":
            entry[0] = verb
        entry[1].update(fields)

    def add_many(self, table: str, idents: Iterable[Any], verb: str) -> None:
        for ident in idents:
            self.add(table, ident, verb)

    def records(self, *, at: datetime, user: str, computer: str, command: str) -> list[dict[str, Any]]:
        """The ``change_log`` rows: one per row, or one summary per table and verb beyond :data:`BULK_ROWS`."""
        common = {"at": at, "user": user[:MAX_WHO], "computer": computer[:MAX_WHO], "command": command[:MAX_COMMAND]}
        groups: dict[tuple[str, str], list] = {}
        for (table, ident), (verb, _fields) in self.rows.items():
            groups.setdefault((table, verb), []).append(ident)
        out: list[dict[str, Any]] = []
        for (table, ident), (verb, fields) in self.rows.items():
            idents = groups[(table, verb)]
            if len(idents) <= BULK_ROWS:
                out.append({**common, "table_name": table, "row_key": row_key(ident), "verb": verb,
                            "fields": sorted(fields)})
            elif idents[0] == ident:  # one summary row, where the first of its rows was
                numbers = [i for i in idents if isinstance(i, int)]
                span = [f"{min(numbers)}-{max(numbers)}"] if len(numbers) == len(idents) else []
                out.append({**common, "table_name": table, "row_key": BULK_KEY, "verb": verb,
                            "fields": [str(len(idents)), *span]})
        return out

    def write(self, session, **who) -> None:
        """Insert the rows in ``session``'s transaction (one statement, through the driver: a drag of 100 objects
        logs 100 rows, and SQLAlchemy's typed insert took 2 ms of its 30); then start afresh."""
        if not self.rows:
            return
        connection = session.connection()
        records = self.records(**who)
        if connection.dialect.name not in ("sqlite", "postgresql"):  # pragma: no cover - the two stores we have
            connection.execute(insert(Base.metadata.tables["change_log"]), records)
        else:
            connection.exec_driver_sql(_insert_sql(connection.dialect.paramstyle),
                                       _driver_rows(records, text_time=connection.dialect.name == "sqlite"))
        self.rows = {}


_COLUMNS = ("at", "user", "computer", "table_name", "row_key", "verb", "command", "fields")


def _insert_sql(paramstyle: str) -> str:
    marks = ", ".join("?" if paramstyle == "qmark" else "%s" for _c in _COLUMNS)
    return f'INSERT INTO change_log ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in _COLUMNS)}) VALUES ({marks})'


def _driver_rows(records: list[dict[str, Any]], *, text_time: bool) -> list[tuple]:
    """``records`` as their column types would store them: the UTC time (as SQLite's text), SingleLine text, JSON
    fields. What a person typed (the command, the names) is cleaned; table names, keys, verbs and attribute names
    are the program's own. Every row of one edit has the same time, user, computer and command: done once."""
    def clean(text: str) -> str:
        return storable(one_line(text))

    common: dict[Any, tuple] = {}
    names: dict[tuple, str] = {}
    out = []
    for r in records:
        key = (r["at"], r["user"], r["computer"], r["command"])
        who = common.get(key)
        if who is None:
            at = r["at"].astimezone(timezone.utc).replace(tzinfo=None)
            who = common[key] = (at.isoformat(sep=" ", timespec="microseconds") if text_time else at,
                                 clean(r["user"]), clean(r["computer"]), clean(r["command"]))
        fields = tuple(r["fields"])
        text = names.get(fields)
        if text is None:
            text = names[fields] = json.dumps(list(fields), ensure_ascii=False, separators=(",", ":"))
        out.append((who[0], who[1], who[2], r["table_name"], r["row_key"], r["verb"], who[3], text))
    return out


def covers(row_key_: str, fields: list, key: str) -> bool:
    """Whether a change log row is about the row ``key``: its own row, or a summary whose id range holds it."""
    if row_key_ == key:
        return True
    if row_key_ != BULK_KEY or len(fields) < 2 or not key.isdigit():
        return False
    lo, _sep, hi = str(fields[1]).partition("-")
    return lo.isdigit() and hi.isdigit() and int(lo) <= int(key) <= int(hi)


def last_change(session, table: str, key: str) -> tuple[str, datetime, str] | None:
    """``(user, at, verb)`` of the latest logged change of one row (its own, or a summary that covers it)."""
    log = Base.metadata.tables["change_log"]
    rows = session.execute(
        select(log.c.user, log.c.at, log.c.verb, log.c.row_key, log.c.fields)
        .where(log.c.table_name == table, log.c.row_key.in_([key, BULK_KEY]))
        .order_by(log.c.id.desc()).limit(50))
    for user, at, verb, found, fields in rows:
        if covers(found, fields, key):
            return user, at, verb
    return None


#: columns that name a row in messages, by preference
NAME_COLUMNS = ("label", "short_name", "name", "code", "key", "description", "number", "year", "text")


def describe_row(session, table_name: str, ident: Any) -> str:
    """What to call one row in a message: its kind and name ("counter L-01", "room Ruang Tunggu"), or its
    kind and number when it has no name (or is gone)."""
    from mpp_planner.model.labels import table_label

    table = Base.metadata.tables[table_name]
    kind = table_label(table_name)
    pk = list(table.primary_key.columns)
    values = ident if isinstance(ident, tuple) else (ident,)
    name_col = next((table.c[n] for n in NAME_COLUMNS if n in table.c), None)
    if name_col is not None and len(pk) == len(values):
        name = session.execute(select(name_col).where(*[c == v for c, v in zip(pk, values)])).scalar()
        if name not in (None, ""):
            return f"{kind} {name}"
    return f"{kind} #{row_key(ident)}"


def whoami(user: str | None = None) -> tuple[str, str]:
    """(user, computer) for the change log: ``user`` (a server's database user), else the login name."""
    import getpass
    import platform

    if not user:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = "?"
    return user, platform.node()


def changed_since(session, rows: dict[str, set], left: dict[tuple[str, Any], int]) -> tuple[str, Any, bool] | None:
    """The first of ``rows`` (table -> ids) whose version is no longer the one ``left`` says our last write
    left: ``(table, id, deleted)``; None when nobody else touched them. Rows without a known version pass."""
    for table_name, idents in rows.items():
        mine = {i: left[(table_name, i)] for i in idents if (table_name, i) in left}
        table = Base.metadata.tables[table_name]
        pk = list(table.primary_key.columns)
        if not mine or len(pk) != 1:
            continue
        keys = list(mine)
        now: dict = {}
        for start in range(0, len(keys), 500):
            now.update(session.execute(select(pk[0], table.c.row_version)
                                       .where(pk[0].in_(keys[start:start + 500]))).all())
        for ident, version in mine.items():
            if now.get(ident) != version:
                return table_name, ident, ident not in now
    return None


def stale_row(session, held) -> tuple[str, Any, bool] | None:
    """Which of the rows a failed flush meant to write (``(state, version read)`` pairs) someone else changed
    or deleted meanwhile: ``(table, id, deleted)`` of the first, or None."""
    for state, version in held:
        if state.identity is None:
            continue
        table = state.mapper.local_table
        pk = list(table.primary_key.columns)
        now = session.execute(select(table.c.row_version).where(*[c == v for c, v in zip(pk, state.identity)])).scalar()
        if now != version:
            ident = state.identity[0] if len(state.identity) == 1 else tuple(state.identity)
            return table.name, ident, now is None
    return None


def stale_held(session, table_name: str, rows: list[dict[str, Any]]) -> Any:
    """The id of the first of ``rows`` (as read now) whose object ``session`` holds at another version, or None."""
    from sqlalchemy.orm.util import identity_key

    mapper = next((m for m in Base.registry.mappers if getattr(m.local_table, "name", None) == table_name), None)
    pk = list(Base.metadata.tables[table_name].primary_key.columns)
    if mapper is None or len(pk) != 1:
        return None
    for row in rows:
        held = session.identity_map.get(identity_key(mapper.class_, row[pk[0].name]))
        version = held.__dict__.get("row_version") if held is not None else None
        if isinstance(version, int) and version != row.get("row_version"):
            return row[pk[0].name]
    return None


def conflict_text(session, table: str | None, ident: Any, deleted: bool) -> tuple[str, str | None]:
    """The one-line refusal for a row someone else changed (or ``deleted``) and that user's name, from the change
    log ("alice changed room Lobby at 14:02 while you were editing it; ..."); ``table`` None: not known which."""
    if table is None:
        return _("Someone else changed this at the same moment; your change was not saved and the screen now "
                 "shows theirs."), None
    found = last_change(session, table, row_key(ident))
    what = describe_row(session, table, ident)
    if found is None:
        return _("{what} was changed by someone else while you were editing it; your change was not saved and the "
                 "screen now shows theirs.").format(what=what[:1].upper() + what[1:]), None
    user, at, verb = found
    local = at.astimezone()
    when = local.strftime("%H:%M" if local.date() == datetime.now().date() else "%Y-%m-%d %H:%M")
    if deleted or verb == "delete":
        text = _("{user} deleted {what} at {time} while you were editing it; your change was not saved and the "
                 "screen now shows theirs.")
    else:
        text = _("{user} changed {what} at {time} while you were editing it; your change was not saved and the "
                 "screen now shows theirs.")
    return text.format(user=user, what=what, time=when), user
