"""The open document: one facade that runs each edit in a transaction, commits it to the
file at once, and announces what changed (tables and row ids) to whoever listens."""

from __future__ import annotations

import logging
import os
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import delete, event, insert, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.attributes import get_history
from sqlalchemy.orm import MANYTOONE, Session
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.orm.util import identity_key

from mpp_planner.i18n import _
from mpp_planner.model import Base, Site
from mpp_planner.model.base import VERSION_COLUMN
from mpp_planner.model.history import (CONFLICT_STATES, ChangeRecorder, changed_since, conflict_text, stale_held,
                                       stale_row, whoami)
from mpp_planner.model.history import EditConflict as EditConflict, Step as Step  # defined there, used from here
from mpp_planner.store import ProjectFile, create_project_file, open_project_file
from mpp_planner.store.file import make_engine
from mpp_planner.store.server import ServerStore, safe_url


log = logging.getLogger(__name__)


class ReadOnlyError(PermissionError):
    def __init__(self):
        super().__init__(_("This project is open read-only; changes are not allowed."))


class Topic(StrEnum):
    """What an edit is about, in the words of the screens (not the tables that hold it)."""

    SITE = "site"  # identity, letterhead, signatories, settings
    FLOORS = "floors"
    BACKGROUNDS = "backgrounds"  # scanned plans under a floor
    ROOMS = "rooms"
    COUNTERS = "counters"
    ANNOTATIONS = "annotations"  # dimensions and text on the plan
    WALLS = "walls"  # walls and the doors and windows in them
    AGENCIES = "agencies"  # the register: agencies and their services
    ALLOCATION = "allocation"  # counters assigned to agencies
    CATALOG = "catalog"  # item types, their sizes and prices
    INVENTORY = "inventory"  # KIR rows, also furniture placed on the plan
    VISITS = "visits"  # inspection visits and their findings
    NEEDS = "needs"
    BUDGET = "budget"  # budget lines
    CEILINGS = "ceilings"  # budget ceilings per year
    ACCOUNTS = "accounts"  # account codes
    SURVEY = "survey"  # satisfaction survey periods and their forms
    SURVEY_ACTIONS = "survey_actions"  # follow-up actions on the weak unsur
    CHECKLIST = "checklist"  # ticked checklist items (what the plan cannot show)
    HISTORY = "history"  # the change log: who changed what, and when


#: the table that holds each topic's objects first (its ids are the topic's ids), then the others
TOPIC_TABLES: dict[Topic, tuple[str, ...]] = {
    Topic.SITE: ("site", "signatory"),
    Topic.FLOORS: ("floor",),
    Topic.BACKGROUNDS: ("floor_background", "floor_underlay"),
    Topic.ROOMS: ("room",),
    Topic.COUNTERS: ("counter",),
    Topic.ANNOTATIONS: ("annotation",),
    Topic.WALLS: ("wall", "wall_opening"),
    Topic.AGENCIES: ("agency", "service"),
    Topic.ALLOCATION: ("counter_assignment", "counter_service"),
    Topic.CATALOG: ("item_type",),
    Topic.INVENTORY: ("inventory_item",),
    Topic.VISITS: ("visit", "visit_finding"),
    Topic.NEEDS: ("need",),
    Topic.BUDGET: ("budget_line", "sub_activity"),
    Topic.CEILINGS: ("budget_ceiling",),
    Topic.ACCOUNTS: ("account_code",),
    Topic.SURVEY: ("survey_response", "survey_period"),
    Topic.SURVEY_ACTIONS: ("survey_action",),
    Topic.CHECKLIST: ("checklist_tick",),
    Topic.HISTORY: ("change_log",),
}
_TOPIC_OF_TABLE = {t: topic for topic, tables in TOPIC_TABLES.items() for t in tables}
_VERBS = {"added": "added", "updated": "changed", "removed": "removed"}


class Meaning(NamedTuple):
    """One thing an edit did, e.g. ``Meaning(Topic.ROOMS, "moved")`` or ``(Topic.BUDGET, "added")``."""

    topic: Topic
    verb: str  # added, changed, removed, or a command's own word (moved, assigned, ...)


@dataclass
class Changes:
    """What one edit changed, told by meaning (:meth:`about`, :meth:`ids`, :attr:`meanings`) and
    by which screen made it (:attr:`origin`). Row ids per table are kept for the project's own use."""

    added: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    updated: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    removed: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    reset: bool = False  # everything may have changed (reload)
    origin: str | None = None  # the screen that made the edit ("plan", "budget", ...), None if unknown
    declared: set[Meaning] = field(default_factory=set)  # what the commands said they did

    @property
    def tables(self) -> set[str]:
        return set(self.added) | set(self.updated) | set(self.removed)

    @property
    def topics(self) -> set[Topic]:
        found = {_TOPIC_OF_TABLE[t] for t in self.tables if t in _TOPIC_OF_TABLE}
        return found | {m.topic for m in self.declared}

    @property
    def meanings(self) -> set[Meaning]:
        """Every (topic, verb) this edit did: derived from the rows it wrote, plus what commands declared."""
        found = set(self.declared)
        for kind, verb in _VERBS.items():
            for table, ids in getattr(self, kind).items():
                if ids and table in _TOPIC_OF_TABLE:
                    found.add(Meaning(_TOPIC_OF_TABLE[table], verb))
        return found

    def about(self, *topics: Topic) -> bool:
        """Whether this edit concerns any of ``topics`` (always, after a reset)."""
        return self.reset or bool(self.topics & set(topics))

    def did(self, topic: Topic, verb: str) -> bool:
        return Meaning(topic, verb) in self.meanings

    def ids(self, topic: Topic, kind: str | None = None) -> set:
        """Ids of the topic's own objects (its first table) that were ``kind`` (added, updated,
        removed), or touched in any way when ``kind`` is None."""
        table = TOPIC_TABLES[topic][0]
        kinds = (kind,) if kind else ("added", "updated", "removed")
        out: set = set()
        for k in kinds:
            out |= getattr(self, k).get(table, set())
        return out

    def merge(self, more: "Changes") -> "Changes":
        """Fold ``more`` into this notice (for a screen that catches up later); returns self."""
        self.reset = self.reset or more.reset
        for kind in ("added", "updated", "removed"):
            target = getattr(self, kind)
            for table, ids in getattr(more, kind).items():
                target[table] |= set(ids)
        self.declared |= more.declared
        if self.origin != more.origin:
            self.origin = None
        return self

    def touches(self, *tables: str) -> bool:
        """By table name: for the layers below the screens (the screens ask :meth:`about`)."""
        return self.reset or bool(self.tables & set(tables))

    def __bool__(self) -> bool:
        return self.reset or bool(self.tables) or bool(self.declared)


@dataclass
class RowSnapshot:
    """Rows removed by a delete (with everything that cascaded) and the links it set to NULL,
    parent rows first, so that ``Project.restore_rows`` can put them back exactly."""

    rows: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    nulled: list[tuple[str, dict[str, Any], str, Any]] = field(default_factory=list)  # table, pk, column, old


def _pk_filter(table, pk: dict[str, Any]):
    return [table.c[k] == v for k, v in pk.items()]


class Project:
    """An open ``.mpplan`` project. Every edit goes through :meth:`edit` and is committed at once."""

    def __init__(self, pfile: "ProjectFile | ServerStore"):
        self.file = pfile
        self.session = Session(pfile.engine, expire_on_commit=False, autoflush=True)
        self._listeners: list[tuple[Callable[[Changes], None], frozenset[Topic]]] = []
        self._pending: Changes | None = None
        self._origin: str | None = None
        self._depth = 0
        self._stale: set = set()
        # who changed what (change_log) and the row versions our edits left (the undo check; see Step)
        self._log = ChangeRecorder()
        self._command: Any = ""  # the command running now, or its text (describing)
        self._who: tuple[str, str] | None = None
        self._held: list = []  # (state, version read) of the rows the running flush updates or deletes
        self._written: dict[tuple[str, Any], int | None] = {}  # this edit's rows -> version left (None: unknown)
        self._left: dict[tuple[str, Any], int] = {}  # committed: row -> the version our last write left
        self._step: Step | None = None
        self._check: Step | None = None
        event.listen(self.session, "before_flush", self._before_flush)
        event.listen(self.session, "after_flush", self._after_flush)

    # --- opening and closing --------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike, *, readonly: bool = False, password: str | None = None) -> "Project":
        """Open the project file at ``path``, or the server project when ``path`` is a
        ``postgresql://`` URL (``password`` when it is not in the URL or libpq's own places)."""
        from mpp_planner.store.server import is_server_url

        if is_server_url(path):
            from mpp_planner.store.server import open_server

            project = cls(open_server(str(path), readonly=readonly, password=password))
            log.info("server project opened%s: %s", " read-only" if readonly else "", safe_url(str(path)))
            return project
        project = cls(open_project_file(path, readonly=readonly))
        log.info("project opened%s: %s", " read-only" if readonly else "", project.path)
        return project

    @classmethod
    def create(cls, path: str | os.PathLike, *, site_name: str = "MPP", overwrite: bool = False) -> "Project":
        project = cls(create_project_file(path, overwrite=overwrite))
        with project.edit():
            project.session.add(Site(id=1, name=site_name))
        return project

    @property
    def path(self) -> Path:
        return self.file.path

    @property
    def readonly(self) -> bool:
        return self.file.readonly

    def close(self) -> None:
        self.stop_remote()
        self.session.close()
        self.file.close()
        log.debug("project closed: %s", self.path)

    @contextmanager
    def reader(self) -> Iterator["Project"]:
        """A read-only view of the committed project on its own connection, for a job that runs in
        another thread (a session must never be shared between threads). Closed on leaving."""
        if isinstance(self.file, ServerStore):
            other = Project(self.file.twin(readonly=True))
        else:
            other = Project(ProjectFile(self.path, make_engine(self.path, readonly=True), readonly=True))
        try:
            yield other
        finally:
            other.close()

    def save_as(self, dest: str | os.PathLike) -> Path:
        """Copy the project to ``dest`` through SQLite's backup API."""
        path = self.file.backup_to(dest)
        log.info("project copied to %s", path)
        return path

    # --- observing ------------------------------------------------------------------
    def subscribe(self, listener: Callable[[Changes], None], *topics: Topic) -> None:
        """Call ``listener(changes)`` after every edit, or only after edits about ``topics``."""
        self._listeners.append((listener, frozenset(topics)))

    def unsubscribe(self, listener: Callable[[Changes], None]) -> None:
        self._listeners = [(fn, t) for fn, t in self._listeners if fn != listener]

    def _announce(self, changes: Changes) -> None:
        if changes:
            for listener, topics in list(self._listeners):
                if not topics or changes.about(*topics):
                    listener(changes)

    def announce_reset(self, origin: str | None = None) -> None:
        """Tell every listener that anything may have changed (after a failed edit was rolled back)."""
        self._announce(Changes(reset=True, origin=origin))

    @contextmanager
    def acting_for(self, origin: str | None) -> Iterator[None]:
        """Edits made inside are announced as made by the screen ``origin`` ("plan", "budget" ...)."""
        previous, self._origin = self._origin, origin
        try:
            yield
        finally:
            self._origin = previous

    def declare(self, topic: Topic, verb: str) -> None:
        """Inside :meth:`edit`: say what the edit means beyond the rows it wrote ("rooms moved")."""
        if self._pending is not None:
            self._pending.declared.add(Meaning(topic, verb))

    def _before_flush(self, session, _ctx, _objects) -> None:
        """The versions of the rows this flush will update or delete, as read: to name the row when one of them
        turns out changed by someone else (the flush fails and forgets them)."""
        held = []
        for obj in (*session.dirty, *session.deleted):
            state = sa_inspect(obj)
            version = state.committed_state.get(VERSION_COLUMN, state.dict.get(VERSION_COLUMN))
            if isinstance(version, int):
                held.append((state, version))
        self._held = held

    def _after_flush(self, session, _ctx) -> None:
        self._note_stale_parents(session)
        if self._pending is None:
            return
        log, written = self._log, self._written
        for obj in session.new:
            table, ident = obj.__table__.name, _ident(obj)
            self._pending.added[table].add(ident)
            log.add(table, ident, "insert")
            written[(table, ident)] = obj.__dict__.get(VERSION_COLUMN)
        for obj in session.dirty:
            # committed_state holds the original values of the attributes set in this flush: far
            # cheaper than session.is_modified(), which diffs every attribute of every object
            changed = sa_inspect(obj).committed_state
            if changed:
                table, ident = obj.__table__.name, _ident(obj)
                self._pending.updated[table].add(ident)
                log.add(table, ident, "update", [k for k in changed if k != VERSION_COLUMN])
                written[(table, ident)] = obj.__dict__.get(VERSION_COLUMN)
        for obj in session.deleted:
            table, ident = obj.__table__.name, _ident(obj)
            self._pending.removed[table].add(ident)
            log.add(table, ident, "delete")
            written[(table, ident)] = None

    def _note_stale_parents(self, session) -> None:
        """Rows added, moved or removed by id (``Room(floor_id=...)``) do not touch the parent's loaded
        collection (``floor.rooms``); remember such parents so their collections reload after the commit."""
        for obj in (*session.new, *session.deleted):
            self._note_parents(obj, None)
        for obj in session.dirty:
            changed = sa_inspect(obj).committed_state
            if changed:  # only an edit of a foreign key moves the row to another parent
                self._note_parents(obj, changed)

    def _note_parents(self, obj, changed) -> None:
        for rel, key in _many_to_one_keys(type(obj)):
            if changed is not None and key not in changed:
                continue
            hist = get_history(obj, key)
            if changed is not None and not (hist.added or hist.deleted):
                continue
            for value in (*hist.added, *hist.deleted, *hist.unchanged):
                if value is not None:
                    self._stale.add(identity_key(rel.mapper.class_, value))

    def _refresh_stale_parents(self) -> None:
        stale, self._stale = self._stale, set()
        for key in stale:
            parent = self.session.identity_map.get(key)
            if parent is None:
                continue
            names = [r.key for r in sa_inspect(parent).mapper.relationships if r.uselist]
            if names:
                self.session.expire(parent, names)

    # --- editing --------------------------------------------------------------------
    @contextmanager
    def edit(self) -> Iterator[Session]:
        """Run an edit as one transaction: commit on success, roll back on any error.

        Nested calls join the outer edit. Listeners hear about the edit after the commit. Every row it
        wrote gets a ``change_log`` row in the same transaction. A row someone else changed since it was
        read raises :class:`EditConflict` (after the rollback: the project reads everything afresh and
        announces a reset).
        """
        if self.readonly:
            raise ReadOnlyError()
        if self._depth:
            self._depth += 1
            try:
                yield self.session
            finally:
                self._depth -= 1
            return
        self._depth = 1
        self._pending = Changes(origin=self._origin)
        try:
            if self._check is not None:  # an undo or redo: nobody else changed the step's rows since
                step, self._check = self._check, None
                self._verify(step)
            yield self.session
            self.session.flush()
            self._write_log()
            self._send_remote(self._pending)  # team mode: other users hear of it at the commit
            self.session.commit()
        except BaseException as exc:
            self.session.rollback()
            self._pending = None
            self._stale.clear()
            held, self._held = self._held, []
            self._log, self._written = ChangeRecorder(), {}
            conflict = self._as_conflict(exc, held)
            if conflict is None:
                raise
            self.session.expire_all()  # the next read shows what the other user made
            self._depth = 0
            log.info("edit refused, conflict: %s", conflict)
            self.announce_reset(self._origin)
            raise conflict from exc
        finally:
            self._depth = 0
        self._held = []
        self._keep_versions()
        self._refresh_stale_parents()
        changes, self._pending = self._pending, None
        self._announce(changes)

    def note(self, table: str, kind: str, ids) -> None:
        """Record a change made with Core statements inside :meth:`edit` (for the notice and the change log)."""
        if self._pending is not None:
            ids = list(ids)
            getattr(self._pending, kind)[table].update(ids)
            verb = {"added": "insert", "updated": "update", "removed": "delete"}[kind]
            for ident in ids:
                self._log.add(table, ident, verb)
                self._written[(table, ident)] = None  # a version we did not see

    # --- who changed what, and conflicts ------------------------------------------------
    @property
    def who(self) -> tuple[str, str]:
        """(user, computer) written in the change log: the database user on a server, the login name on a file."""
        if self._who is None:
            self._who = whoami(getattr(self.file, "user", None))
        return self._who

    @contextmanager
    def describing(self, text: Any, *, check: Step | None = None) -> Iterator[Step]:
        """Edits made inside are logged as made by the command ``text`` (or a command: its ``text`` when written);
        yields the :class:`Step` gathering the rows they wrote. ``check``: the step of the command being undone
        or redone, refused with :class:`EditConflict` when someone else changed one of its rows since this
        project last wrote it."""
        step = Step()
        previous = (self._command, self._step, self._check)
        self._command, self._step, self._check = text, step, check
        try:
            yield step
        finally:
            self._command, self._step, self._check = previous

    def _write_log(self) -> None:
        if self._log:
            user, computer = self.who
            command = self._command if isinstance(self._command, str) else str(getattr(self._command, "text", ""))
            self._log.write(self.session, at=datetime.now(timezone.utc), user=user, computer=computer, command=command)

    def _keep_versions(self) -> None:
        """After a commit: remember the versions this edit left (for undo checks) and add its rows to the step."""
        written, self._written = self._written, {}
        for (table, ident), version in written.items():
            if self._step is not None:
                self._step.rows[table].add(ident)
            if version is None:
                self._left.pop((table, ident), None)
            else:
                self._left[(table, ident)] = version

    def _verify(self, step: Step) -> None:
        found = changed_since(self.session, step.rows, self._left)
        if found is not None:
            raise self.conflict(*found)

    def conflict(self, table: str, ident: Any, deleted: bool = False) -> EditConflict:
        """The refusal for a row someone else changed (or ``deleted``), naming who and when from the change log."""
        text, user = conflict_text(self.session, table, ident, deleted)
        return EditConflict(text, table, ident, user)

    def _as_conflict(self, exc: BaseException, held: list) -> EditConflict | None:
        """``exc`` as the refusal to show, when it says someone else got there first; None otherwise."""
        if isinstance(exc, EditConflict):
            return exc
        if isinstance(exc, StaleDataError):
            found = stale_row(self.session, held)
            if found is not None:
                return self.conflict(*found)
        elif not (isinstance(exc, DBAPIError) and getattr(exc.orig, "sqlstate", None) in CONFLICT_STATES):
            return None
        return EditConflict(conflict_text(self.session, None, None, False)[0])

    # --- row-level delete and restore (undo of deletes and adds) --------------------
    def delete_rows(self, table_name: str, ids) -> RowSnapshot:
        """Delete rows by primary key with everything that cascades; return what was removed."""
        snap = RowSnapshot()
        tables = Base.metadata.tables
        with self.edit() as s:
            self._collect(s, tables[table_name], list(ids), snap, set())
            stale = stale_held(s, table_name, [row for tname, row in snap.rows if tname == table_name])
            if stale is not None:  # someone else changed it since this project read it: not deleted unseen
                raise self.conflict(table_name, stale)
            # delete children first (reverse of collection order), then parents
            gone: dict[str, set] = defaultdict(set)
            for tname, row in reversed(snap.rows):
                table = tables[tname]
                pk = {c.name: row[c.name] for c in table.primary_key.columns}
                s.execute(delete(table).where(*_pk_filter(table, pk)))
                gone[tname].add(_row_ident(table, row))
                self.note(tname, "removed", [_row_ident(table, row)])
            for tname, pk, _col, _old in snap.nulled:
                self.note(tname, "updated", [_row_ident(tables[tname], pk)])
            # loaded objects of deleted rows are stale: drop them from the session
            for obj in list(s.identity_map.values()):
                state = sa_inspect(obj)
                ident = state.identity
                key = ident[0] if ident and len(ident) == 1 else ident
                if key in gone.get(state.mapper.local_table.name, ()) and obj in s:  # may have gone by cascade
                    s.expunge(obj)
            s.expire_all()
        return snap

    def _collect(self, s: Session, table, ids: list, snap: RowSnapshot, seen: set) -> None:
        if not ids:
            return
        pk_cols = list(table.primary_key.columns)
        if len(pk_cols) != 1:
            raise ValueError(f"delete_rows needs a single-column key on {table.name}")
        pk = pk_cols[0]
        rows = [dict(r._mapping) for r in s.execute(select(table).where(pk.in_(ids)))]
        fresh = [r for r in rows if (table.name, r[pk.name]) not in seen]
        for r in fresh:
            seen.add((table.name, r[pk.name]))
            snap.rows.append((table.name, r))
        keys = [r[pk.name] for r in fresh]
        if not keys:
            return
        for child in Base.metadata.sorted_tables:
            for fk in child.foreign_keys:
                if fk.column.table is not table:
                    continue
                col = fk.parent
                if fk.ondelete == "CASCADE":
                    child_pk = list(child.primary_key.columns)
                    if len(child_pk) == 1:
                        child_ids = [r[0] for r in s.execute(select(child_pk[0]).where(col.in_(keys)))]
                        self._collect(s, child, child_ids, snap, seen)
                    else:  # association table: snapshot rows, they go with the parent
                        for link in s.execute(select(child).where(col.in_(keys))):
                            snap.rows.append((child.name, dict(link._mapping)))
                elif fk.ondelete == "SET NULL":
                    child_pk = list(child.primary_key.columns)
                    for ref in s.execute(select(*child_pk, col).where(col.in_(keys))):
                        m = dict(ref._mapping)
                        pkd = {c.name: m[c.name] for c in child_pk}
                        snap.nulled.append((child.name, pkd, col.name, m[col.name]))

    def restore_rows(self, snap: RowSnapshot) -> None:
        """Put back what :meth:`delete_rows` removed, with the same ids and links."""
        tables = Base.metadata.tables
        with self.edit() as s:
            for tname, row in snap.rows:
                s.execute(insert(tables[tname]).values(**row))
                ident = _row_ident(tables[tname], row)
                self.note(tname, "added", [ident])
                self._written[(tname, ident)] = row.get(VERSION_COLUMN)  # back with the version it had
            for tname, pk, col, old in snap.nulled:
                table = tables[tname]
                s.execute(update(table).where(*_pk_filter(table, pk))
                          .values({col: old, VERSION_COLUMN: table.c[VERSION_COLUMN] + 1}))
                self.note(tname, "updated", [_row_ident(table, pk)])
            s.expire_all()

    # --- reading --------------------------------------------------------------------
    @property
    def site(self) -> Site:
        site = self.session.get(Site, 1)
        if site is None:
            raise LookupError("project has no site row")
        return site

    def get(self, cls, ident):
        return self.session.get(cls, ident)

    def all(self, cls, *order_by):
        stmt = select(cls)
        if order_by:
            stmt = stmt.order_by(*order_by)
        return list(self.session.scalars(stmt))

    # --- live refresh between users of a server project (see store.notify) ----------
    _remote: Any = None  # the store.notify.Listener while listening
    _remote_token: str | None = None
    remote_users: tuple[str, ...] = ()  # who made the changes the last poll_remote() applied

    @property
    def remote_id(self) -> str:
        """A random token naming this open project in its change notices (so that it skips its own)."""
        if self._remote_token is None:
            import secrets

            self._remote_token = secrets.token_hex(8)
        return self._remote_token

    def _send_remote(self, changes: Changes | None) -> None:
        """Inside :meth:`edit`, before the commit: tell the other users of a server project what this edit
        changed (delivered by the server at the commit, and only then). Nothing for a file."""
        if changes and isinstance(self.file, ServerStore):
            from mpp_planner.store.notify import encode, send

            send(self.session, encode(changes, self.remote_id, self.file.user))

    def listen_remote(self) -> bool:
        """Hear the other users' edits of a server project (a thread on a connection of its own; apply them
        with :meth:`poll_remote`). False for a file, which only this program edits."""
        if not isinstance(self.file, ServerStore):
            return False
        if self._remote is None or not self._remote.running:
            from mpp_planner.store.notify import Listener, connector

            self._remote = Listener(connector(self.file.engine)).start()
        return True

    def stop_remote(self) -> None:
        """Stop hearing other users' edits (waits for the listening thread to end)."""
        listener, self._remote = self._remote, None
        if listener is not None:
            listener.stop()

    def poll_remote(self) -> Changes | None:
        """In the GUI thread: apply the edits other users committed since the last call — the rows they
        changed are read again when next used — and announce them (origin ``"remote"``) as one notice,
        which is returned. None when nothing came (or during an edit: they wait for the next call)."""
        if self._remote is None or self._depth:
            return None
        from mpp_planner.store.notify import forget, gather

        notice = gather(self._remote.drain(), self.remote_id)  # our own notices left out
        if notice is None:
            return None
        changes = Changes(reset=notice.reset, origin="remote", declared={
            Meaning(Topic(t), v) for t, v in notice.declared if t in Topic._value2member_map_})
        for kind in ("added", "updated", "removed"):
            getattr(changes, kind).update(getattr(notice, kind))
        forget(self.session, notice)
        self.remote_users = tuple(notice.users)
        self._announce(changes)
        return changes


_M2O_KEYS: dict[type, list] = {}


def _many_to_one_keys(cls) -> list:
    """(relationship, foreign-key attribute) pairs of a mapped class's single-column many-to-one links."""
    keys = _M2O_KEYS.get(cls)
    if keys is None:
        mapper = sa_inspect(cls)
        keys = []
        for rel in mapper.relationships:
            if rel.direction is MANYTOONE and len(rel.local_remote_pairs) == 1:
                local, _remote = rel.local_remote_pairs[0]
                keys.append((rel, mapper.get_property_by_column(local).key))
        _M2O_KEYS[cls] = keys
    return keys


def _ident(obj) -> Any:
    pk = obj.__mapper__.primary_key
    values = tuple(getattr(obj, c.key) for c in pk)
    return values[0] if len(values) == 1 else values


def _row_ident(table, row: dict) -> Any:
    values = tuple(row[c.name] for c in table.primary_key.columns)
    return values[0] if len(values) == 1 else values
