"""Salvage what can be read from a damaged project file into a new one.

The damaged file is never written: it is copied (with its write-ahead log, if any) to a
temporary folder and read there with plain ``sqlite3``, table by table and row by row. A scan
that hits a damaged page keeps the rows read so far, then probes further row ids to find where
readable rows start again (the rows in between are lost). Each row read is checked like any
edit: its values go through the model's validators, and a link to a row that was lost is
cleared when it is optional (a budget line's room) or drops the row when it is not (a counter
whose floor is gone). What survives is written, with the same ids, into a new file made by
``create_project_file``; the report says per table what was kept and what was lost.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections import Counter as Tally
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mpp_planner.i18n import N_, _, ngettext
from mpp_planner.store.file import SIDECARS, SQLITE_MAGIC, create_project_file, inspect_file

MAX_ROWID = 2 ** 62

TABLE_LABELS = {
    "site": N_("Project identity"), "signatory": N_("Signatories"), "account_code": N_("Account codes"),
    "budget_ceiling": N_("Budget ceilings"), "floor": N_("Floors"), "floor_background": N_("Floor backgrounds"),
    "room": N_("Rooms"), "counter": N_("Counters"), "annotation": N_("Plan annotations"),
    "agency": N_("Agencies"), "service": N_("Services"), "counter_service": N_("Services at counters"),
    "counter_assignment": N_("Counter assignments"), "item_type": N_("Catalog items"),
    "inventory_item": N_("Inventory items"), "visit": N_("Visits"), "visit_finding": N_("Visit findings"),
    "need": N_("Needs"), "budget_line": N_("Budget lines"),
}


class RepairError(Exception):
    """Repair cannot run or nothing could be read; ``str()`` is the one-line message."""


@dataclass
class TableReport:
    name: str
    kept: int = 0
    refused: int = 0  # rows read but invalid, or tied to a lost row
    links_cleared: int = 0  # kept rows whose optional link to a lost row was cleared
    damaged_parts: int = 0  # places where reading failed
    missing_ids: int = 0  # row ids skipped over damaged parts (an upper bound of rows lost there)
    table_lost: bool = False  # the table could not be read at all
    reasons: Tally = field(default_factory=Tally)

    @property
    def label(self) -> str:
        return _(TABLE_LABELS.get(self.name, self.name))

    @property
    def complete(self) -> bool:
        return not (self.refused or self.links_cleared or self.damaged_parts or self.table_lost)

    def describe(self) -> str:
        if self.table_lost:
            return _("{table}: could not be read; all its rows are lost.").format(table=self.label)
        text = _("{table}: {kept} kept").format(table=self.label, kept=self.kept)
        parts = []
        if self.damaged_parts:
            if self.missing_ids:
                parts.append(_("up to {n} lost in damaged parts").format(n=self.missing_ids))
            else:
                parts.append(_("rows in damaged parts lost"))
        if self.refused:
            parts.append(_("{n} refused").format(n=self.refused))
        if self.links_cleared:
            parts.append(ngettext("{n} link to lost rows cleared", "{n} links to lost rows cleared",
                                  self.links_cleared).format(n=self.links_cleared))
        if parts:
            text += "; " + ", ".join(parts)
        text += "."
        for reason, n in self.reasons.most_common(3):
            text += "\n    " + _("{n} × {reason}").format(n=n, reason=reason)
        return text


@dataclass
class RepairReport:
    source: Path
    output: Path
    tables: list[TableReport] = field(default_factory=list)
    placeholder_site: bool = False

    @property
    def complete(self) -> bool:
        return all(t.complete for t in self.tables) and not self.placeholder_site

    @property
    def kept(self) -> int:
        return sum(t.kept for t in self.tables)

    def lines(self) -> list[str]:
        out = [t.describe() for t in self.tables]
        if self.placeholder_site:
            out.append(_("The project's identity was lost; a placeholder name was written (edit it in the app)."))
        return out


def salvage(source: str | os.PathLike, output: str | os.PathLike) -> RepairReport:
    """Read what can be read from ``source`` into the new file ``output``; return the report."""
    src, out = Path(source), Path(output)
    if not src.is_file():
        raise RepairError(_("The file '{path}' does not exist.").format(path=src))
    if out.exists():
        raise RepairError(_("'{path}' already exists; choose a new file for the repaired project.").format(path=out))
    if not (out.parent if str(out.parent) else Path(".")).is_dir():
        raise RepairError(_("The folder '{path}' does not exist.").format(path=out.parent))
    try:
        with open(src, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise RepairError(_("'{path}' cannot be read: {error}").format(path=src, error=exc.strerror)) from None
    if head != SQLITE_MAGIC:
        raise RepairError(_("'{path}' is not a database; nothing can be read from it.").format(path=src))

    with tempfile.TemporaryDirectory(prefix="mpp-repair-") as work:
        copy = Path(work) / "source.mpplan"
        shutil.copyfile(src, copy)
        for suffix in ("-wal",):
            if Path(str(src) + suffix).exists():
                shutil.copyfile(str(src) + suffix, str(copy) + suffix)
        con = sqlite3.connect(copy)
        try:
            con.text_factory = bytes  # decode ourselves: a damaged text value must not stop the scan
            present = _tables(con, src)
            rows = {}
            report = RepairReport(src, out)
            for table in _model_tables():
                rep = TableReport(table.name)
                report.tables.append(rep)
                if table.name not in present:
                    rep.table_lost = True
                    continue
                rows[table.name] = _read_table(con, table, present[table.name], rep)
        finally:
            con.close()
    _write(report, rows, out)
    return report


def _model_tables():
    from mpp_planner.model import Base

    return list(Base.metadata.sorted_tables)


def _tables(con: sqlite3.Connection, src: Path) -> dict[str, set[str]]:
    """Our tables present in the file, with their columns; RepairError when none can be read."""
    try:
        names = [n.decode("utf-8", "replace") for (n,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table'")]
    except sqlite3.DatabaseError as exc:
        raise RepairError(_("Nothing can be read from '{path}': {error}").format(path=src, error=exc)) from None
    wanted = {t.name for t in _model_tables()}
    found: dict[str, set[str]] = {}
    for name in names:
        if name not in wanted:
            continue
        try:
            cols = {r[1].decode("utf-8", "replace") for r in con.execute(f'PRAGMA table_info("{name}")')}
        except sqlite3.DatabaseError:
            cols = set()
        found[name] = cols
    if not found:
        raise RepairError(_("'{path}' holds no MPP Planner tables; nothing can be read from it.").format(path=src))
    return found


def _read_table(con, table, have_cols: set[str], rep: TableReport) -> list[dict[str, Any]]:
    """All rows that can be read, converted and validated; damaged ranges are skipped."""
    cols = [c for c in table.columns if not have_cols or c.name in have_cols]
    names = ", ".join(f'"{c.name}"' for c in cols)
    sql = f'SELECT rowid, {names} FROM "{table.name}" WHERE rowid > ? ORDER BY rowid'
    one = sql + " LIMIT 1"  # reads exactly one row: the bulk scan reads one ahead and loses it on error
    raw: list[tuple] = []
    after = -MAX_ROWID
    for _round in range(1_000_000):  # every round makes progress; bounded for safety all the same
        try:
            for row in con.execute(sql, (after,)):
                raw.append(row)
                after = row[0]
            break
        except sqlite3.DatabaseError:
            pass
        try:
            row = con.execute(one, (after,)).fetchone()
        except sqlite3.DatabaseError:
            row = False
        if row is None:
            break
        if row is not False:
            raw.append(row)
            after = row[0]
            continue
        rep.damaged_parts += 1
        base = max(after, 0)
        resume = _next_readable(con, table.name, base)
        if resume is None:
            if not raw:
                rep.table_lost = True
            break
        rep.missing_ids += max(0, resume - base - 1)
        try:  # read the row found by key: a scan from just before it would seek into the damage again
            row = con.execute(f'SELECT rowid, {names} FROM "{table.name}" WHERE rowid = ?', (resume,)).fetchone()
        except sqlite3.DatabaseError:
            row = None
        if row is not None:
            raw.append(row)
        after = resume
    return [r for r in (_clean_row(table, cols, row[1:], rep) for row in raw) if r is not None]


def _probe(con, table: str, at: int) -> tuple[bool, int | None]:
    """(readable, first rowid >= at) — readable False when the seek hits a damaged page."""
    try:
        row = con.execute(f'SELECT rowid FROM "{table}" WHERE rowid >= ? ORDER BY rowid LIMIT 1', (at,)).fetchone()
    except sqlite3.DatabaseError:
        return False, None
    return True, (row[0] if row else None)


def _next_readable(con, table: str, after: int) -> int | None:
    """The first row id beyond a damaged part from which reading works again (None: nothing more)."""
    bad, step = after, 1
    while after + step < MAX_ROWID:
        ok, first = _probe(con, table, after + step)
        if ok:
            # narrow down between the last failing probe and this one: readable rows may start earlier
            lo, hi, best = bad + 1, after + step, first
            while lo < hi:
                mid = (lo + hi) // 2
                ok_mid, first_mid = _probe(con, table, mid)
                if ok_mid:
                    hi, best = mid, first_mid
                else:
                    lo = mid + 1
            if best is None:
                return None
            try:  # the row found must itself be readable by key
                con.execute(f'SELECT * FROM "{table}" WHERE rowid = ?', (best,)).fetchall()
            except sqlite3.DatabaseError:
                bad, after, step = best, best, 1
                continue
            return best
        bad = after + step
        step *= 2
    return None


def _clean_row(table, cols, values, rep: TableReport) -> dict[str, Any] | None:
    from sqlalchemy.dialects import sqlite as sqlite_dialect

    from mpp_planner.model import ValidationError

    dialect = sqlite_dialect.dialect()
    row: dict[str, Any] = {}
    try:
        for col, value in zip(cols, values):
            if isinstance(value, bytes) and not _is_blob(col):
                value = value.decode("utf-8")
            processor = col.type.dialect_impl(dialect).result_processor(dialect, None)
            row[col.name] = processor(value) if processor and value is not None else value
    except Exception:  # noqa: BLE001 - unreadable values: the row is lost
        rep.refused += 1
        rep.reasons[_("unreadable values")] += 1
        return None
    mapper = _mapper_for(table)
    for col in table.columns:
        if row.get(col.name) is None and not col.nullable and col.name in row:
            rep.refused += 1
            rep.reasons[_("a required value is empty")] += 1
            return None
    if mapper is None:
        return row
    obj = mapper.class_()
    try:
        for prop in mapper.column_attrs:
            col = prop.columns[0]
            if col.name in row and not (row[col.name] is None and col.nullable):
                setattr(obj, prop.key, row[col.name])
                row[col.name] = getattr(obj, prop.key)
    except ValidationError as exc:
        rep.refused += 1
        rep.reasons[exc.message] += 1
        return None
    except Exception:  # noqa: BLE001 - a value the model cannot take at all
        rep.refused += 1
        rep.reasons[_("unreadable values")] += 1
        return None
    return row


def _is_blob(col) -> bool:
    from sqlalchemy import LargeBinary

    return isinstance(col.type, LargeBinary)


def _mapper_for(table):
    from mpp_planner.model import Base

    for mapper in Base.registry.mappers:
        if mapper.local_table is table:
            return mapper
    return None


def _write(report: RepairReport, rows: dict[str, list[dict]], out: Path) -> None:
    """Write the kept rows (parents first, with links checked) to a temporary file, then move it to ``out``."""
    fd, tmp_name = tempfile.mkstemp(prefix=".repair-", suffix=".mpplan", dir=out.parent if str(out.parent) else ".")
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    try:
        pfile = create_project_file(tmp)
        try:
            _fill(pfile, report, rows)
        finally:
            pfile.close()
        inspect_file(tmp)
        if out.exists():
            raise RepairError(_("'{path}' already exists; choose a new file for the repaired project.").format(
                path=out))
        os.replace(tmp, out)
    finally:
        for suffix in ("", *SIDECARS):
            Path(str(tmp) + suffix).unlink(missing_ok=True)


def _fill(pfile, report: RepairReport, rows: dict[str, list[dict]]) -> None:
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    from mpp_planner.model import Site

    kept_keys: dict[str, dict[str, set]] = {}  # table -> referenced column -> values kept
    referenced: dict[str, set[str]] = {}
    for table in _model_tables():
        for fk in table.foreign_keys:
            referenced.setdefault(fk.column.table.name, set()).add(fk.column.name)
    by_name = {t.name: t for t in report.tables}
    with pfile.engine.begin() as conn:
        for table in _model_tables():
            rep = by_name[table.name]
            for row in rows.get(table.name, []):
                if not _check_links(table, row, kept_keys, rep):
                    continue
                try:
                    with conn.begin_nested():
                        conn.execute(insert(table).values(**row))
                except IntegrityError as exc:
                    rep.refused += 1
                    rep.reasons[_("conflicts with another row ({error})").format(
                        error=str(exc.orig).split(":")[0])] += 1
                    continue
                rep.kept += 1
                for col in referenced.get(table.name, ()):
                    kept_keys.setdefault(table.name, {}).setdefault(col, set()).add(row.get(col))
        if not by_name["site"].kept:
            report.placeholder_site = True
            conn.execute(insert(Site).values(id=1, name=_("Recovered project")))


def _check_links(table, row, kept_keys, rep: TableReport) -> bool:
    """Links to rows that were not kept: cleared when optional, the row refused when required."""
    for fk in table.foreign_keys:
        col = fk.parent
        value = row.get(col.name)
        if value is None:
            continue
        target = fk.column
        if value in kept_keys.get(target.table.name, {}).get(target.name, set()):
            continue
        if col.nullable:
            row[col.name] = None
            rep.links_cleared += 1
        else:
            rep.refused += 1
            rep.reasons[_("belongs to a lost {parent} row").format(
                parent=_(TABLE_LABELS.get(target.table.name, target.table.name)).lower())] += 1
            return False
    return True
