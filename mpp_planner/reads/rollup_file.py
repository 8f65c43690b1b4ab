"""One project file of a province roll-up read into its summary (``mpp_planner.reads.rollup`` reads many).

The file is opened read-only through the store, and what the roll-up shows of its MPP is gathered with the very
functions the per-file exports and checks use (allocation, standards findings, open gaps, budget totals, SKM,
PEKPPP), so the roll-up's numbers are the files' own. A file of an older schema is never upgraded in place: it is
copied to a temporary folder and the copy is upgraded and read. What cannot be read becomes a
:class:`~mpp_planner.model.rollup.SkippedFile` with why (:func:`read_file`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from mpp_planner.i18n import _
from mpp_planner.model.rollup import (SKIP_DAMAGED, SKIP_FAILED, SKIP_LOCKED, SKIP_MISSING, SKIP_NEWER,
                                      SKIP_NOT_PROJECT, SKIP_UNREADABLE, TIER_GROUPS, ZERO, AmountPair, Identity,
                                      MppSummary, RuleCount, Score, SkippedFile, SkmPeriod, SourceFile, TierCount,
                                      YearBudget, m2, tier_group)
from mpp_planner.project import Project

log = logging.getLogger(__name__)

#: the account levels the roll-up adds up: kelompok (5.1) and jenis (5.1.02)
ACCOUNT_LEVELS = (2, 3)
#: the PEKPPP aspect whose indicators are the facility scores (``resources/pekppp.toml``)
FACILITY_ASPECT = "sarpras"
HASH_CHUNK = 1 << 20


def source_of(path: Path) -> SourceFile:
    """Size, modification time and SHA-256 of ``path`` as it is now (read only; OSError when it cannot be)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        stat = os.fstat(fh.fileno())
        while chunk := fh.read(HASH_CHUNK):
            digest.update(chunk)
    return SourceFile(str(path), stat.st_size, stat.st_mtime, digest.hexdigest())


def summarise(path: str | os.PathLike, year: int | None = None) -> MppSummary:
    """What the roll-up shows of the MPP in the project file ``path``: the budget and SKM of ``year`` (of
    every year the file plans when None). Raises the store's ProjectFileError when the file is not a
    project it can read, OSError when the file cannot be read at all."""
    from mpp_planner.store import inspect_file

    p = Path(path)
    source = source_of(p)
    info = inspect_file(p)  # refuses what is not ours, newer or damaged, without writing a byte
    if not info.needs_upgrade:
        project = Project.open(p, readonly=True)
        try:
            return gather(project, year, replace(source, schema=info.revision))
        finally:
            project.close()
    # an older schema: a read-only open would need the file upgraded, so a copy is upgraded and read instead
    with tempfile.TemporaryDirectory(prefix="mpp-rollup-") as tmp:
        copy = Path(tmp) / "copy.mpplan"
        _copy_project(p, copy)
        project = Project.open(copy)
        try:
            return gather(project, year, replace(source, schema=info.revision, via_copy=True))
        finally:
            project.close()


def _copy_project(source: Path, dest: Path) -> None:
    from mpp_planner.store import backup_copy
    from mpp_planner.store.file import SIDECARS

    if any(Path(str(source) + s).exists() for s in SIDECARS):
        backup_copy(source, dest)  # committed edits may still be in the write-ahead log
    else:
        shutil.copyfile(source, dest)


def gather(project: Project, year: int | None, source: SourceFile) -> MppSummary:
    """The summary of an open project (``year`` None: the budgets and surveys of every year)."""
    site = project.site
    identity = Identity(site.name, site.city or "", site.province or "", site.government_name or "",
                        site.operator_office or "", site.fiscal_year)
    floors, rooms, room_area, service_area = _plan(project)
    counters, allocated, tiers = _allocation(project)
    needs, needs_cost = _open_needs(project)
    facilities, index = _pekppp(project)
    return MppSummary(
        source=source, identity=identity, floors=floors, rooms=rooms, room_area_m2=room_area,
        service_area_m2=service_area, counters=counters, counters_allocated=allocated,
        counters_unallocated=counters - allocated, tiers=tiers, findings=_findings(project), open_needs=needs,
        open_needs_cost=needs_cost, budgets=_budgets(project, year), skm_periods=_skm(project, year),
        facilities=facilities, pekppp_index=index)


def _plan(project: Project) -> tuple[int, int, Decimal, Decimal]:
    from sqlalchemy import func, select

    from mpp_planner.model import Floor, Room, geometry
    from mpp_planner.model.plan import PUBLIC_ROOM_KINDS

    s = project.session
    floors = s.scalar(select(func.count()).select_from(Floor)) or 0
    public = {k.value for k in PUBLIC_ROOM_KINDS}
    rooms, area, service = 0, 0.0, 0.0
    for kind, outline in s.execute(select(Room.kind, Room.outline)):
        rooms += 1
        size = geometry.area_m2(outline) if outline else 0.0  # as Room.area_m2 measures it
        area += size
        if kind in public:
            service += size
    return floors, rooms, m2(area), m2(service)


def _allocation(project: Project) -> tuple[int, int, tuple[TierCount, ...]]:
    """Counters, counters allocated, and agencies and services per tier group (``model.allocation``, as the
    allocation list counts them)."""
    from mpp_planner.model.allocation import load_allocation

    a = load_allocation(project.session)
    agencies = dict.fromkeys(TIER_GROUPS, 0)
    services = dict.fromkeys(TIER_GROUPS, 0)
    for t in a.tiers:
        agencies[tier_group(t.tier)] += t.agencies
        services[tier_group(t.tier)] += t.services
    return len(a.counters), a.assigned_counters, tuple(TierCount(g, agencies[g], services[g]) for g in TIER_GROUPS)


def _findings(project: Project) -> tuple[RuleCount, ...]:
    """Findings per rule of the shipped rule file: what ``mpp-planner check`` reports."""
    from mpp_planner.standards import load_rules, run_rules
    from mpp_planner.standards.context import CheckContext

    counts: dict[str, RuleCount] = {}
    for f in run_rules(load_rules(), CheckContext.load(project)):
        known = counts.get(f.rule_id)
        counts[f.rule_id] = RuleCount(f.rule_id, f.rule_title("id"), f.severity.value,
                                      (known.count if known else 0) + 1)
    return tuple(counts.values())


def _open_needs(project: Project) -> tuple[int, Decimal]:
    """Needs whose room still lacks items and the cost of closing their gaps (as the inventory tab adds it)."""
    from mpp_planner.model.gaps import gap_cost
    from mpp_planner.reads.budget import open_gaps

    gaps = open_gaps(project)
    return len(gaps), sum((gap_cost(g.need, g.gap) for g in gaps), ZERO)


def _budgets(project: Project, year: int | None) -> tuple[YearBudget, ...]:
    from mpp_planner.reads.budget import budget_years

    years = [year] if year is not None else budget_years(project)
    return tuple(budget_of_year(project, y) for y in years)


def budget_of_year(project: Project, year: int) -> YearBudget:
    """The request of ``year``: totals, per account level and per sub kegiatan (``model.budget_summary``)."""
    from mpp_planner.model.budget_summary import approved_value, code_key, is_requested, totals
    from mpp_planner.reads.budget import account_names, budget_lines, ceiling, sub_activities

    lines = budget_lines(project, year)
    t = totals(lines)
    names = account_names(project)
    levels: dict[str, list[Decimal]] = {}
    loose = [ZERO, ZERO]  # requested lines under no sub kegiatan
    any_loose = False
    for line in lines:
        if not is_requested(line):
            continue
        amount, approved = line.amount, approved_value(line)
        parts = line.account_code.split(".")
        for level in ACCOUNT_LEVELS:
            if len(parts) >= level:
                pair = levels.setdefault(".".join(parts[:level]), [ZERO, ZERO])
                pair[0] += amount
                pair[1] += approved
        if line.sub_activity_id is None:
            any_loose = True
            loose[0] += amount
            loose[1] += approved
    accounts = tuple(AmountPair(code, names.get(code, ""), req, app)
                     for code, (req, app) in sorted(levels.items(), key=lambda kv: code_key(kv[0])))
    subs = [AmountPair(r.code, r.name, r.total, r.approved) for r in sub_activities(project, year)]
    if any_loose:
        subs.append(AmountPair("", "", loose[0], loose[1]))
    return YearBudget(year, ceiling(project, year), t.requested, t.approved, t.lines, t.rejected, accounts,
                      tuple(subs))


def _skm(project: Project, year: int | None) -> tuple[SkmPeriod, ...]:
    from mpp_planner.model.skm import grade
    from mpp_planner.reads.survey import periods

    out = tuple(SkmPeriod(p.name, p.start_date, p.end_date, p.respondents, p.ikm, p.mutu,
                          grade(p.ikm)[1] if p.ikm is not None else "-") for p in periods(project))
    return out if year is None else tuple(p for p in out if p.in_year(year))


def _pekppp(project: Project) -> tuple[tuple[Score, ...], Decimal | None]:
    from mpp_planner.standards.assessment import assess

    result = assess(project)
    scores = tuple(Score(r.key, r.name, r.score, r.max_score) for r in result.indicators
                   if r.aspect == FACILITY_ASPECT)
    return scores, result.weighted_index


def read_file(path: str, year: int | None) -> MppSummary | SkippedFile:
    """:func:`summarise`, or why the file is skipped (what a worker process runs for one file)."""
    from mpp_planner.store import (DamagedProjectError, FileMissingError, NewerSchemaError, NotAProjectError,
                                   ProjectFileError)

    p = Path(path)
    try:
        return summarise(p, year)
    except FileMissingError as exc:
        return _skipped(p, SKIP_MISSING, str(exc))
    except NotAProjectError as exc:
        return _skipped(p, SKIP_NOT_PROJECT, str(exc))
    except DamagedProjectError as exc:
        return _skipped(p, SKIP_DAMAGED, str(exc), exc.detail)
    except NewerSchemaError as exc:
        return _skipped(p, SKIP_NEWER, str(exc), exc.file_version)
    except ProjectFileError as exc:
        return _skipped(p, SKIP_LOCKED if _held_by_a_writer(exc) else SKIP_UNREADABLE, str(exc))
    except OSError as exc:
        return _skipped(p, SKIP_UNREADABLE, _("'{path}' cannot be read: {error}").format(
            path=p, error=exc.strerror or exc), exc.strerror or str(exc))
    except Exception as exc:  # noqa: BLE001 - one odd file must not stop the roll-up of the others
        log.exception("roll-up: %s could not be summarised", p)
        return _skipped(p, SKIP_FAILED, _("'{path}' could not be read: {error}").format(path=p, error=exc),
                        str(exc))


def _held_by_a_writer(exc: Exception) -> bool:
    """The file is sound but a writer holds it so that no reader can share it (in a network folder)."""
    from mpp_planner.store.errors import STORAGE_FAILURES, ProjectLockedError

    kinds: list[type] = [ProjectLockedError]
    try:
        from mpp_planner.store.network import NetworkFileInUseError

        kinds.append(NetworkFileInUseError)
    except ImportError:  # a store without network folders
        pass
    return isinstance(exc, tuple(kinds)) or str(exc) == _(STORAGE_FAILURES["locked"])


def _skipped(p: Path, reason: str, message: str, detail: str = "") -> SkippedFile:
    try:
        source: SourceFile | None = source_of(p)
    except OSError:
        source = None
    return SkippedFile(str(p), reason, message, detail=detail, size=source.size if source else None,
                       modified=source.modified if source else None, sha256=source.sha256 if source else "")
