"""Live refresh between users of one server project (team mode): PostgreSQL ``LISTEN/NOTIFY``.

Each committed edit on a server project sends one notice on the channel ``mpp_changes``, from inside the
edit's own transaction (``pg_notify``), so the server delivers it when, and only when, the edit commits.
The notice is the project's own change notice (tables → row ids, the meanings the commands declared) as
JSON, with who made it and a random token naming the sending :class:`~mpp_planner.project.Project`, so
that a project skips its own notices::

    {"v": 1, "origin_id": "…", "user": "ani", "added": {"room": [12]}, "updated": {"counter_service":
     [[3, 7]]}, "removed": {}, "declared": [["rooms", "moved"]], "reset": false}

Composite keys travel as JSON lists and come back as tuples. NOTIFY carries at most 8,000 bytes; a
notice longer than :data:`PAYLOAD_LIMIT` is sent as a reset ("anything may have changed, read again").

:class:`Listener` receives the notices in a daemon thread on its own connection (autocommit,
``LISTEN``), reconnecting with back-off when the server goes away, and only queues the raw payloads:
it never touches the project's session. The GUI thread drains the queue (``Project.poll_remote``).
Notices lost while the connection was down are made up for by a reset once it is back.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

CHANNEL = "mpp_changes"
VERSION = 1
PAYLOAD_LIMIT = 7500  # bytes of JSON; PostgreSQL's limit for a NOTIFY payload is 8,000
WAIT_S = 0.5  # how long the listener waits for a notice before looking whether it should stop
BACKOFF_S = (0.2, 0.5, 1.0, 2.0, 5.0, 10.0)  # waits between reconnection attempts, the last one repeated
KINDS = ("added", "updated", "removed")


@dataclass
class Notice:
    """One decoded notice: another project's committed edit (or a reset, when ``reset``)."""

    origin_id: str | None = None
    user: str = ""
    added: dict[str, set] = field(default_factory=dict)
    updated: dict[str, set] = field(default_factory=dict)
    removed: dict[str, set] = field(default_factory=dict)
    declared: list[tuple[str, str]] = field(default_factory=list)
    reset: bool = False
    users: list[str] = field(default_factory=list)  # of several notices gathered into one (see gather)


def _key(value: Any) -> Any:
    """A row id as it came back from JSON: a composite key (a list) as the tuple the project uses."""
    return tuple(value) if isinstance(value, list) else value


def _ids_out(ids: Iterable) -> list:
    return sorted((list(i) if isinstance(i, tuple) else i for i in ids), key=repr)


def encode(changes: Any, origin_id: str, user: str, *, limit: int = PAYLOAD_LIMIT) -> str:
    """The JSON text of ``changes`` (a ``project.Changes``: ``added``/``updated``/``removed`` tables → ids,
    ``declared`` meanings, ``reset``); a bare reset when it would be longer than ``limit`` bytes."""
    body: dict[str, Any] = {"v": VERSION, "origin_id": origin_id, "user": user}
    for kind in KINDS:
        tables: Mapping[str, set] = getattr(changes, kind)
        body[kind] = {table: _ids_out(ids) for table, ids in sorted(tables.items()) if ids}
    body["declared"] = sorted([str(topic), str(verb)] for topic, verb in changes.declared)
    body["reset"] = bool(changes.reset)
    text = json.dumps(body, separators=(",", ":"), default=str)
    if len(text.encode("utf-8")) > limit:
        text = json.dumps({"v": VERSION, "origin_id": origin_id, "user": user, "added": {}, "updated": {},
                           "removed": {}, "declared": [], "reset": True}, separators=(",", ":"))
    return text


def decode(payload: str) -> Notice:
    """The notice in ``payload``; a reset for anything this version cannot read (a newer sender, garbage)."""
    try:
        body = json.loads(payload)
        if not isinstance(body, dict):
            raise ValueError("not an object")
        notice = Notice(origin_id=body.get("origin_id"), user=str(body.get("user") or ""))
        if body.get("v") != VERSION:
            notice.reset = True
            return notice
        for kind in KINDS:
            tables = body.get(kind) or {}
            setattr(notice, kind, {str(t): {_key(i) for i in ids} for t, ids in tables.items()})
        notice.declared = [(str(topic), str(verb)) for topic, verb in body.get("declared") or ()]
        notice.reset = bool(body.get("reset"))
        return notice
    except (ValueError, TypeError, AttributeError):
        log.warning("unreadable change notice taken as a reset: %.200r", payload)
        return Notice(reset=True)


def gather(payloads: Iterable[str], own_id: str) -> Notice | None:
    """The notices in ``payloads`` but those sent by ``own_id`` (our own edits), folded into one; who made
    them in :attr:`Notice.users`. None when none is left."""
    merged: Notice | None = None
    for payload in payloads:
        notice = decode(payload)
        if notice.origin_id == own_id:
            continue
        if merged is None:
            merged = Notice(origin_id=None)
        if notice.user and notice.user not in merged.users:
            merged.users.append(notice.user)
        merged.reset = merged.reset or notice.reset
        for kind in KINDS:
            target = getattr(merged, kind)
            for table, ids in getattr(notice, kind).items():
                target.setdefault(table, set()).update(ids)
        merged.declared += [m for m in notice.declared if m not in merged.declared]
    return merged


def send(connection: Any, payload: str) -> None:
    """``NOTIFY`` inside the caller's transaction (delivered at its commit): ``connection`` is a
    SQLAlchemy session or connection on the server."""
    from sqlalchemy import text

    connection.execute(text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": payload})


#: a reconnection's stand-in for the notices missed while the connection was down
RECONNECTED = json.dumps({"v": VERSION, "origin_id": None, "user": "", "reset": True})


class Listener:
    """``LISTEN mpp_changes`` on a connection of its own, in one daemon thread; payloads go to :attr:`queue`.

    ``connect`` returns a new psycopg connection in autocommit mode (see :func:`connector`).
    """

    def __init__(self, connect: Callable[[], Any], *, name: str = "mpp-live"):
        self.queue: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._connect = connect
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._conn: Any = None
        self.connected = threading.Event()  # set while listening (tests wait for it)
        self.reconnects = 0
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> "Listener":
        self.thread.start()
        return self

    @property
    def backend_pid(self) -> int | None:
        """The server process of the listening connection (None while not connected)."""
        conn = self._conn
        return conn.info.backend_pid if conn is not None and self.connected.is_set() else None

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the thread to stop and wait for it (it looks every :data:`WAIT_S`)."""
        self._stop.set()
        if self.thread.is_alive() and threading.current_thread() is not self.thread:
            self.thread.join(timeout)
            if self.thread.is_alive():
                log.warning("the live-refresh listener did not stop within %s s", timeout)

    @property
    def running(self) -> bool:
        return self.thread.is_alive() and not self._stop.is_set()

    def _run(self) -> None:
        failures = 0
        attempt = 0
        while not self._stop.is_set():
            attempt += 1
            try:
                self._listen(again=attempt > 1)
            except Exception as exc:  # noqa: BLE001 - the server went away, a timeout, a refused login: retry
                if self._stop.is_set():
                    break
                if self.connected.is_set():  # it was listening: the waits start over
                    failures = 0
                wait = BACKOFF_S[min(failures, len(BACKOFF_S) - 1)]
                failures += 1
                reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                log.info("live refresh: no connection to the server (%s); trying again in %s s", reason, wait)
                self._close()
                self._stop.wait(wait)
            finally:
                self._close()

    def _listen(self, *, again: bool) -> None:
        conn = self._connect()
        with self._lock:
            self._conn = conn
        conn.execute(f"LISTEN {CHANNEL}")
        self.connected.set()
        if again:
            self.reconnects += 1
            self.queue.put(RECONNECTED)  # what was committed meanwhile was not heard: read everything again
            log.info("live refresh: listening again")
        while not self._stop.is_set():
            for notice in conn.notifies(timeout=WAIT_S):
                self.queue.put(notice.payload)
                if self._stop.is_set():
                    break
            if conn.closed or conn.broken:
                raise ConnectionError("the connection was closed")

    def _close(self) -> None:
        with self._lock:
            conn, self._conn = self._conn, None
        self.connected.clear()
        if conn is not None:
            try:
                conn.close()
            except Exception:  # noqa: BLE001 - already broken
                pass

    def drain(self) -> list[str]:
        """Every payload received so far (the GUI thread's side)."""
        out: list[str] = []
        while True:
            try:
                out.append(self.queue.get_nowait())
            except queue.Empty:
                return out


def connector(engine: Any) -> Callable[[], Any]:
    """A function opening a new autocommit psycopg connection to ``engine``'s database, with the engine's
    own address, user and password (for the listener; never through the engine's pool)."""
    from mpp_planner.store.server import CONNECT_TIMEOUT_S

    _args, kwargs = engine.dialect.create_connect_args(engine.url)
    kwargs.pop("context", None)
    kwargs.setdefault("connect_timeout", CONNECT_TIMEOUT_S)
    kwargs.setdefault("application_name", "MPP Planner (live refresh)")

    def connect():
        import psycopg

        return psycopg.connect(autocommit=True, **kwargs)

    return connect


_HOLDERS: dict[str, list[tuple[type, str]]] = {}


def _holders(table: str) -> list[tuple[type, str]]:
    """(class, attribute) of every relationship that holds rows of ``table`` from the other side: a parent's
    collection (``Floor.rooms``), a one-to-one back reference, a many-to-many through it (``Counter.services``)."""
    found = _HOLDERS.get(table)
    if found is None:
        from sqlalchemy.orm import MANYTOONE

        from mpp_planner.model import Base

        found = []
        for mapper in Base.registry.mappers:
            for rel in mapper.relationships:
                through = rel.secondary is not None and getattr(rel.secondary, "name", None) == table
                target = getattr(rel.mapper.local_table, "name", None)
                if through or (rel.direction is not MANYTOONE and target == table):
                    found.append((mapper.class_, rel.key))
        _HOLDERS[table] = found
    return found


def forget(session: Any, notice: Notice | Any) -> int:
    """Make ``session`` read again what another user changed: the named rows are expired (removed ones
    leave the session), and so are the collections that may hold them. Returns how many loaded objects
    were touched. A reset expires everything."""
    from sqlalchemy import inspect as sa_inspect
    from sqlalchemy.orm.util import identity_key

    from mpp_planner.model import Base

    if notice.reset:
        session.expire_all()
        return len(session.identity_map)
    classes = {getattr(m.local_table, "name", None): m.class_ for m in Base.registry.mappers}
    touched = 0
    holders: dict[type, set[str]] = {}
    for kind in KINDS:
        for table, ids in getattr(notice, kind).items():
            for cls, key in _holders(table):
                holders.setdefault(cls, set()).add(key)
            mapped = classes.get(table)
            if mapped is None or kind == "added":
                continue
            for ident in ids:
                obj = session.identity_map.get(identity_key(mapped, ident))
                if obj is None:
                    continue
                touched += 1
                if kind == "removed" and obj in session:
                    session.expunge(obj)
                else:
                    session.expire(obj)
    if holders:
        for obj in list(session.identity_map.values()):
            keys = holders.get(type(obj))
            if keys:
                loaded = [k for k in keys if k in sa_inspect(obj).dict]  # nothing to forget when never loaded
                if loaded:
                    session.expire(obj, loaded)
                    touched += 1
    return touched
