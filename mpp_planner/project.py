"""The open document: one facade that runs each edit in a transaction, commits it to the
file at once, and announces what changed (tables and row ids) to whoever listens."""

from __future__ import annotations

import logging
import os
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import delete, event, insert, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm.attributes import get_history
from sqlalchemy.orm import MANYTOONE, Session
from sqlalchemy.orm.util import identity_key

from mpp_planner.i18n import _
from mpp_planner.model import Base, Site
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

    def _after_flush(self, session, _ctx) -> None:
        self._note_stale_parents(session)
        if self._pending is None:
            return
        for obj in session.new:
            self._pending.added[obj.__table__.name].add(_ident(obj))
        for obj in session.dirty:
            # committed_state holds the original values of the attributes set in this flush: far
            # cheaper than session.is_modified(), which diffs every attribute of every object
            if sa_inspect(obj).committed_state:
                self._pending.updated[obj.__table__.name].add(_ident(obj))
        for obj in session.deleted:
            self._pending.removed[obj.__table__.name].add(_ident(obj))

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

        Nested calls join the outer edit. Listeners hear about the edit after the commit.
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
            yield self.session
            self.session.flush()
            self.session.commit()
        except BaseException:
            self.session.rollback()
            self._pending = None
            self._stale.clear()
            raise
        finally:
            self._depth = 0
        self._refresh_stale_parents()
        changes, self._pending = self._pending, None
        self._announce(changes)

    def note(self, table: str, kind: str, ids) -> None:
        """Record a change made with Core statements inside :meth:`edit`."""
        if self._pending is not None:
            getattr(self._pending, kind)[table].update(ids)

    # --- row-level delete and restore (undo of deletes and adds) --------------------
    def delete_rows(self, table_name: str, ids) -> RowSnapshot:
        """Delete rows by primary key with everything that cascades; return what was removed."""
        snap = RowSnapshot()
        tables = Base.metadata.tables
        with self.edit() as s:
            self._collect(s, tables[table_name], list(ids), snap, set())
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
                self.note(tname, "added", [_row_ident(tables[tname], row)])
            for tname, pk, col, old in snap.nulled:
                table = tables[tname]
                s.execute(update(table).where(*_pk_filter(table, pk)).values({col: old}))
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
