"""Canonical dumps of a project, to compare what is in memory with what is on disk."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from mpp_planner.model import Base


def freeze(value):
    """Hashable and comparable: JSON lists become tuples, JSON objects sorted (key, value) tuples."""
    if isinstance(value, (list, tuple)):
        return tuple(freeze(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, freeze(v)) for k, v in value.items()))
    return value


def _order(table):
    return [c for c in table.primary_key.columns]


def _columns(table):
    """The columns dumped: all (an association table's links without their version, which memory does not hold)."""
    return [c for c in table.columns if table.name != "counter_service" or c.name != "row_version"]


def dump_connection(conn) -> dict[str, list[tuple]]:
    """Every row of every model table through the column types, ordered by primary key."""
    return {t.name: [tuple(freeze(v) for v in r) for r in conn.execute(select(*_columns(t)).order_by(*_order(t)))]
            for t in Base.metadata.sorted_tables}


def content(dump: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """``dump`` without what every edit, undo and redo adds by itself — the row versions and the change log —
    to compare a project after undoing everything with what it was."""
    out = {}
    for t in Base.metadata.sorted_tables:
        if t.name == "change_log":
            continue
        keep = [i for i, c in enumerate(_columns(t)) if c.name != "row_version"]
        out[t.name] = [tuple(r[i] for i in keep) for r in dump[t.name]]
    return out


def dump_file(path: str | Path, engine=None) -> dict[str, list[tuple]]:
    """What a fresh read-only open of the file shows (``engine``: a read-only engine to reuse)."""
    from mpp_planner.store.file import make_engine

    own = engine is None
    engine = engine or make_engine(Path(path), readonly=True)
    try:
        with engine.connect() as conn:
            return dump_connection(conn)
    finally:
        if own:
            engine.dispose()


def dump_memory(project) -> dict[str, list[tuple]]:
    """What the open project's objects say (attributes as held in the session), ordered like dump_file.

    Rows come from the session's identity map where loaded, so stale in-memory state shows up."""
    out = {}
    mapped = {m.local_table.name: m for m in Base.registry.mappers}
    s = project.session
    for table in Base.metadata.sorted_tables:
        mapper = mapped.get(table.name)
        if mapper is None:  # association table: read it through the ORM relationships in memory
            continue
        objs = list(s.scalars(select(mapper.class_)))
        cols = list(table.columns)
        props = {mapper.get_property_by_column(c).key: c for c in cols}
        rows = []
        for obj in objs:
            values = {c.name: getattr(obj, key) for key, c in props.items()}
            rows.append(tuple(freeze(values[c.name]) for c in cols))
        pk_idx = [cols.index(c) for c in _order(table)]
        out[table.name] = sorted(rows, key=lambda r: tuple(r[i] for i in pk_idx))
    from mpp_planner.model import Counter

    links = sorted((c.id, svc.id) for c in s.scalars(select(Counter)) for svc in c.services)
    out["counter_service"] = links
    return out
