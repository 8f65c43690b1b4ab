"""Undoable edits of the agency register and of the counters' weekday schedules.

Agencies: :class:`AddAgency`, :class:`EditAgency` (fields and the services list),
:class:`DeleteAgency` (its counters are unassigned with it; undo puts everything back),
:class:`AddAgencies` (an import: many agencies, one step).

Schedules: :class:`AssignAgency` (counters, agency, weekdays), :class:`UnassignAgency` and
:class:`SetSchedule` all describe the wanted assignment rows of some counters; the shared
:class:`ScheduleCommand` applies the difference and remembers the rows before and after, so undo
and redo restore exactly the same rows (same ids). When an agency newly serves at a counter its
services are linked to the counter; when it leaves, they are unlinked.

Two people changing one counter's schedule at once (team mode) never both succeed: on a server the
counters' rows are locked first (the second waits for the first to commit), a counter changed since this
project read it refuses the step (``EditConflict``), and a counter's ``row_version`` goes up whenever its
schedule changes, so a stale session fails on the counter too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm.util import identity_key

from mpp_planner.commands.base import Command
from mpp_planner.commands.generic import AddObjects, DeleteObjects, SetFields
from mpp_planner.i18n import _, ngettext
from mpp_planner.model import Agency, Counter, CounterAssignment, Service, ValidationError, Weekday
from mpp_planner.model.agency import counter_service
from mpp_planner.model.base import one_line
from mpp_planner.project import Project, Topic

AGENCY_FIELDS = ("name", "short_name", "tier", "colour", "contact_person", "phone", "email", "mou_number",
                 "mou_date", "notes")
WORKDAYS = int(Weekday.workdays())


def name_key(text: str) -> str:
    """Names compare without case and runs of spaces: "BPJS  kesehatan" == "BPJS Kesehatan"."""
    return " ".join(one_line(text).split()).casefold()  # one_line: a zero-width space does not make a new name


def check_unique(session, name: str, short_name: str, exclude_id: int | None = None) -> None:
    """Agency names and short names are unique (the plan and the legend show short names)."""
    for ident, other_name, other_short in session.execute(select(Agency.id, Agency.name, Agency.short_name)):
        if ident == exclude_id:
            continue
        if name_key(other_name) == name_key(name):
            raise ValidationError("name", _("An agency named '{name}' already exists.").format(name=other_name))
        if name_key(other_short) == name_key(short_name):
            raise ValidationError("short_name", _("The short name '{short}' is already used by {name}.").format(
                short=other_short, name=other_name))


def build_agency(fields: dict[str, Any], services: Iterable[str] = ()) -> Agency:
    """A new Agency (validated by the model) with its services; not yet in a session."""
    unknown = set(fields) - set(AGENCY_FIELDS)
    if unknown:
        raise ValueError(f"unknown agency fields: {sorted(unknown)}")
    agency = Agency(**fields)
    for name in services:
        if str(name).strip():
            agency.services.append(Service(name=name))
    return agency


class AddAgencies(AddObjects):
    """Add new agencies (with services) in one step, refusing duplicate names."""

    def __init__(self, agencies: Sequence[Agency], text: str | None = None):
        super().__init__(text or ngettext("Add {n} agency", "Add {n} agencies", len(agencies)).format(
            n=len(agencies)), list(agencies))

    def redo(self, project: Project) -> None:
        if self.snapshot is not None:
            super().redo(project)
            return
        with project.edit() as s:
            seen: dict[str, str] = {}
            for agency in self.objects:
                check_unique(s, agency.name, agency.short_name)
                for key in (name_key(agency.name), "short:" + name_key(agency.short_name)):
                    if key in seen:
                        raise ValidationError("name", _("'{name}' is given twice.").format(name=agency.name))
                    seen[key] = agency.name
            super().redo(project)


class AddAgency(AddAgencies):
    def __init__(self, fields: dict[str, Any], services: Iterable[str] = ()):
        agency = build_agency(fields, services)
        super().__init__([agency], _("Add agency {name}").format(name=agency.short_name))

    @property
    def agency_id(self) -> int | None:
        return self.created_ids[0] if self.ids else None


class AtomicMacro(Command):
    """Sub-commands run in one transaction: one commit, one change notice, all or nothing."""

    def __init__(self, text: str, commands: list[Command]):
        self.text = text
        self.commands = commands

    def redo(self, project: Project) -> None:
        with project.edit() as s:
            for cmd in self.commands:
                cmd.redo(project)
                s.flush()

    def undo(self, project: Project) -> None:
        with project.edit() as s:
            for cmd in reversed(self.commands):
                cmd.undo(project)
                s.flush()


class EditAgency(Command):
    """Change an agency's fields and, when ``services`` is given, its services list.

    ``services`` is the wanted list as ``(service_id or None, name)``: ids kept are renamed if
    needed, ids left out are deleted (unlinking them from counters), ``None`` adds a service.
    """

    def __init__(self, agency_id: int, fields: dict[str, Any],
                 services: Sequence[tuple[int | None, str]] | None = None):
        unknown = set(fields) - set(AGENCY_FIELDS)
        if unknown:
            raise ValueError(f"unknown agency fields: {sorted(unknown)}")
        self.agency_id = agency_id
        self.fields = dict(fields)
        self.services = None if services is None else [(i, str(n).strip()) for i, n in services if str(n).strip()]
        self.macro: AtomicMacro | None = None
        self.text = _("Edit agency")

    def _build(self, project: Project) -> AtomicMacro:
        agency = project.get(Agency, self.agency_id)
        if agency is None:
            raise LookupError(_("The agency no longer exists."))
        self.text = _("Edit agency {name}").format(name=self.fields.get("short_name", agency.short_name))
        changed = {f: v for f, v in self.fields.items() if getattr(agency, f) != v}
        commands: list[Command] = []
        if changed:
            commands.append(SetFields(self.text, Agency, {self.agency_id: changed}))
        if self.services is not None:
            current = {s.id: s.name for s in agency.services}
            wanted_ids = {i for i, _n in self.services if i is not None}
            stray = wanted_ids - set(current)
            if stray:
                raise LookupError(_("A service of this agency no longer exists."))
            renames = {i: {"name": n} for i, n in self.services if i is not None and current[i] != n}
            if renames:
                commands.append(SetFields(self.text, Service, renames))
            removed = [i for i in current if i not in wanted_ids]
            if removed:
                commands.append(DeleteObjects(self.text, Service, removed))
            added = [Service(agency_id=self.agency_id, name=n) for i, n in self.services if i is None]
            if added:
                commands.append(AddObjects(self.text, added))
        return AtomicMacro(self.text, commands)

    @property
    def changes_anything(self) -> bool:
        return bool(self.macro and self.macro.commands)

    def redo(self, project: Project) -> None:
        with project.edit() as s:
            if self.macro is None:
                agency = project.get(Agency, self.agency_id)
                if agency is None:
                    raise LookupError(_("The agency no longer exists."))
                check_unique(s, self.fields.get("name", agency.name), self.fields.get("short_name", agency.short_name),
                             exclude_id=self.agency_id)
                self.macro = self._build(project)
            self.macro.redo(project)

    def undo(self, project: Project) -> None:
        if self.macro is not None:
            self.macro.undo(project)


class DeleteAgency(DeleteObjects):
    """Delete agencies with their services; their counters are unassigned (undo restores all)."""

    def __init__(self, agency_ids: Iterable[int], names: Sequence[str] = ()):
        ids = list(agency_ids)
        if len(ids) == 1 and names:
            text = _("Delete agency {name}").format(name=names[0])
        else:
            text = ngettext("Delete {n} agency", "Delete {n} agencies", len(ids)).format(n=len(ids))
        super().__init__(text, Agency, ids)


# --- weekday schedules ---------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    """One assignment row: agency serves at counter on weekdays (``id`` None: not yet stored)."""

    id: int | None
    counter_id: int
    agency_id: int
    weekdays: int


def _read_rows(session, counter_ids) -> list[Row]:
    stmt = (select(CounterAssignment.id, CounterAssignment.counter_id, CounterAssignment.agency_id,
                   CounterAssignment.weekdays)
            .where(CounterAssignment.counter_id.in_(list(counter_ids))).order_by(CounterAssignment.id))
    return [Row(*r) for r in session.execute(stmt)]


def _read_links(session, counter_ids) -> set[tuple[int, int]]:
    stmt = select(counter_service.c.counter_id, counter_service.c.service_id).where(
        counter_service.c.counter_id.in_(list(counter_ids)))
    return {(c, s) for c, s in session.execute(stmt)}


class ScheduleCommand(Command):
    """Change the assignment rows of some counters. Subclasses say what the rows become."""

    verb = "scheduled"  # what the change notice says happened to the allocation

    def __init__(self, text: str, counter_ids: Iterable[int]):
        self.text = text
        self.counter_ids = sorted(set(counter_ids))
        if not self.counter_ids:
            raise ValueError(_("Select at least one counter."))
        self.before: list[Row] | None = None
        self.after: list[Row] | None = None
        self.links_before: set[tuple[int, int]] = set()
        self.links_after: set[tuple[int, int]] = set()

    # subclasses ------------------------------------------------------------------------
    def plan(self, session, rows: list[Row]) -> list[Row]:
        raise NotImplementedError

    # machinery -------------------------------------------------------------------------
    def redo(self, project: Project) -> None:
        with project.edit() as s:
            self._take_turns(project, s)
            if self.before is None:
                found = set(s.scalars(select(Counter.id).where(Counter.id.in_(self.counter_ids))))
                if found != set(self.counter_ids):
                    raise LookupError(_("A counter no longer exists."))
                before = _read_rows(s, self.counter_ids)
                after = self.plan(s, before)
                for row in after:
                    if not 1 <= row.weekdays <= 127:
                        raise ValidationError("weekdays", _("Choose at least one weekday."))
                links = _read_links(s, self.counter_ids)
                self.links_before = links
                self.links_after = self._relink(s, before, after, links)
                self.before = before
                self.after = self._apply(project, s, after, self.links_after)
            else:
                assert self.after is not None  # set together with self.before on the first redo
                self._apply(project, s, self.after, self.links_after)
            project.declare(Topic.ALLOCATION, self.verb)

    def undo(self, project: Project) -> None:
        with project.edit() as s:
            assert self.before is not None, "undo before the first redo"
            self._take_turns(project, s)
            self._apply(project, s, self.before, self.links_before)
            project.declare(Topic.ALLOCATION, self.verb)

    @property
    def changes_anything(self) -> bool:
        return self.before != self.after or self.links_before != self.links_after

    def _take_turns(self, project: Project, s) -> None:
        """On a server: lock our counters' rows until the commit (someone changing one of their schedules now
        is waited for), then refuse when one is not at the version this project saw before waiting — held in
        the session, else read just before — because then someone else changed its schedule meanwhile."""
        if s.get_bind().dialect.name != "postgresql":
            return  # a file has one writer: nobody to take turns with
        stmt = select(Counter.id, Counter.row_version).where(Counter.id.in_(self.counter_ids)).order_by(Counter.id)
        seen = dict(s.execute(stmt).all())
        for cid in self.counter_ids:
            held = s.identity_map.get(identity_key(Counter, cid))
            if held is not None and isinstance(held.__dict__.get("row_version"), int):
                seen[cid] = held.__dict__["row_version"]
        now = dict(s.execute(stmt.with_for_update()).all())
        for cid, version in seen.items():
            if now.get(cid) != version:
                raise project.conflict("counter", cid, deleted=cid not in now)

    def _relink(self, s, before: list[Row], after: list[Row], links: set) -> set:
        """Services follow agencies: added when an agency arrives at a counter, dropped when it leaves."""
        had = {(r.counter_id, r.agency_id) for r in before}
        has = {(r.counter_id, r.agency_id) for r in after}
        arrived, left = has - had, had - has
        agencies = {a for _c, a in arrived | left}
        if not agencies:
            return set(links)
        by_agency: dict[int, list[int]] = {}
        for sid, aid in s.execute(select(Service.id, Service.agency_id).where(Service.agency_id.in_(agencies))):
            by_agency.setdefault(aid, []).append(sid)
        result = set(links)
        for counter_id, agency_id in left:
            result -= {(counter_id, sid) for sid in by_agency.get(agency_id, [])}
        for counter_id, agency_id in arrived:
            result |= {(counter_id, sid) for sid in by_agency.get(agency_id, [])}
        return result

    def _apply(self, project: Project, s, target: list[Row], links: set) -> list[Row]:
        """Make the rows of our counters equal ``target``; returns it with the new ids."""
        current = {r.id: r for r in _read_rows(s, self.counter_ids)}
        touched = {c for c in self.counter_ids if {r for r in current.values() if r.counter_id == c}
                   != {r for r in target if r.counter_id == c}}
        keep = {r.id for r in target if r.id is not None}
        gone = [i for i in current if i not in keep]
        for ident in gone:
            obj = s.get(CounterAssignment, ident)
            s.delete(obj)
        s.flush()
        result = []
        for row in target:
            old = current.get(row.id) if row.id is not None else None
            if old is not None:
                if old != row:
                    obj = s.get(CounterAssignment, row.id)
                    obj.agency_id = row.agency_id
                    obj.weekdays = row.weekdays
                result.append(row)
            else:
                obj = CounterAssignment(counter_id=row.counter_id, agency_id=row.agency_id, weekdays=row.weekdays)
                if row.id is not None:
                    obj.id = row.id
                s.add(obj)
                s.flush()
                result.append(Row(obj.id, row.counter_id, row.agency_id, row.weekdays))
        s.flush()
        now = _read_links(s, self.counter_ids)
        drop, add = now - links, links - now
        for counter_id, service_id in drop:
            s.execute(delete(counter_service).where(counter_service.c.counter_id == counter_id,
                                                    counter_service.c.service_id == service_id))
        if add:
            s.execute(insert(counter_service), [{"counter_id": c, "service_id": sv} for c, sv in sorted(add)])
        if drop or add:
            project.note("counter_service", "updated", {c for c, _sv in drop | add})
            project.note("counter", "updated", {c for c, _sv in drop | add})
        touched |= {c for c, _sv in drop | add}
        # a counter's version counts its schedule's changes too: a stale session fails on it (EditConflict)
        for counter in s.scalars(select(Counter).where(Counter.id.in_(touched))):
            counter.row_version = counter.row_version + 1
        s.flush()
        # loaded Counter.assignments / Agency.assignments collections are stale now
        s.expire_all()
        return result


def _merged(rows: list[Row]) -> list[Row]:
    """One row per (counter, agency): several rows of one agency on one counter are merged."""
    out: dict[tuple[int, int], Row] = {}
    for r in rows:
        key = (r.counter_id, r.agency_id)
        if key in out:
            prev = out[key]
            out[key] = Row(prev.id, r.counter_id, r.agency_id, prev.weekdays | r.weekdays)
        else:
            out[key] = r
    return list(out.values())


class AssignAgency(ScheduleCommand):
    """The agency serves at these counters on exactly ``weekdays``.

    ``exclusive``: those days are taken from the other agencies at these counters (an agency
    left with no day leaves the counter), so no double booking arises. Otherwise the others keep
    their days and a clash shows up as a double booking in the allocation overview.
    """

    verb = "assigned"

    def __init__(self, counter_ids: Iterable[int], agency_id: int, weekdays: int = WORKDAYS, *,
                 exclusive: bool = False, text: str | None = None):
        self.agency_id = agency_id
        self.weekdays = int(weekdays)
        self.exclusive = exclusive
        if not 1 <= self.weekdays <= 127:
            raise ValidationError("weekdays", _("Choose at least one weekday."))
        super().__init__(text or _("Assign counters"), counter_ids)

    def plan(self, session, rows: list[Row]) -> list[Row]:
        agency = session.get(Agency, self.agency_id)
        if agency is None:
            raise LookupError(_("The agency no longer exists."))
        labels = list(session.scalars(select(Counter.label).where(Counter.id.in_(self.counter_ids))
                                      .order_by(Counter.label)))
        self.text = _("Assign {counters} to {agency}").format(
            counters=", ".join(labels[:3]) + ("…" if len(labels) > 3 else ""), agency=agency.short_name)
        out: list[Row] = []
        for cid in self.counter_ids:
            mine = [r for r in rows if r.counter_id == cid and r.agency_id == self.agency_id]
            others = [r for r in rows if r.counter_id == cid and r.agency_id != self.agency_id]
            for r in others:
                days = r.weekdays & ~self.weekdays if self.exclusive else r.weekdays
                if days:
                    out.append(Row(r.id, r.counter_id, r.agency_id, days))
            out.append(Row(mine[0].id if mine else None, cid, self.agency_id, self.weekdays))
        return _merged(out)


class UnassignAgency(ScheduleCommand):
    """Take ``agency_id`` (or every agency, when None) off these counters, on ``weekdays``
    (or on every day, when None)."""

    verb = "unassigned"

    def __init__(self, counter_ids: Iterable[int], agency_id: int | None = None, weekdays: int | None = None):
        self.agency_id = agency_id
        self.weekdays = weekdays
        super().__init__(_("Unassign counters"), counter_ids)

    def plan(self, session, rows: list[Row]) -> list[Row]:
        labels = list(session.scalars(select(Counter.label).where(Counter.id.in_(self.counter_ids))
                                      .order_by(Counter.label)))
        names = ", ".join(labels[:3]) + ("…" if len(labels) > 3 else "")
        if self.agency_id is not None:
            agency = session.get(Agency, self.agency_id)
            self.text = _("Unassign {agency} from {counters}").format(
                agency=agency.short_name if agency else "?", counters=names)
        else:
            self.text = _("Unassign {counters}").format(counters=names)
        out = []
        for r in rows:
            if self.agency_id is not None and r.agency_id != self.agency_id:
                out.append(r)
                continue
            days = 0 if self.weekdays is None else r.weekdays & ~self.weekdays
            if days:
                out.append(Row(r.id, r.counter_id, r.agency_id, days))
        return _merged(out)


class SetSchedule(ScheduleCommand):
    """Set one counter's whole schedule: ``{agency_id: weekdays}`` (empty: nobody serves there)."""

    def __init__(self, counter_id: int, schedule: dict[int, int]):
        self.schedule = {int(a): int(m) for a, m in schedule.items() if m}
        super().__init__(_("Change counter schedule"), [counter_id])

    def plan(self, session, rows: list[Row]) -> list[Row]:
        missing = [a for a in self.schedule if session.get(Agency, a) is None]
        if missing:
            raise LookupError(_("The agency no longer exists."))
        cid = self.counter_ids[0]
        label = session.scalar(select(Counter.label).where(Counter.id == cid))
        self.text = _("Change schedule of {counter}").format(counter=label)
        existing = {r.agency_id: r for r in _merged(rows)}
        return [Row(existing[a].id if a in existing else None, cid, a, m) for a, m in self.schedule.items()]
