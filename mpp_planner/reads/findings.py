"""The facility standards check as the Inventory screen shows it: the findings of a rule file with the
names of the suggested items (plain data, made in a worker on its own connection), which findings
are already planned as needs, and the shapes that outline them on the plan."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from mpp_planner.jobs import checkpoint
from mpp_planner.model import Counter, ItemType, Need, Room, geometry
from mpp_planner.project import Project
from mpp_planner.standards import Finding, load_rules, run_rules


@dataclass
class CheckResult:
    """What a check found: the findings (most severe first), the names of the item types they
    suggest (key -> name) and the positions of the findings already planned as needs."""

    findings: list[Finding]
    item_names: dict[str, str] = field(default_factory=dict)
    covered: set[int] = field(default_factory=set)


@dataclass
class FindingShapes:
    """What outlines the findings on the plan: room id -> outline, counter id -> (x, y, w, d, rotation)."""

    outlines: dict[int, list] = field(default_factory=dict)
    counters: dict[int, tuple] = field(default_factory=dict)


def check_standards(project: Project, rules: str | os.PathLike | None = None) -> CheckResult:
    """Check ``project`` against the rule file ``rules`` (None: the shipped standards).

    A broken rule file raises :class:`mpp_planner.standards.RuleFileError` before anything is read.
    Runs as a job: it may be cancelled between loading the rules, the project and checking.
    """
    from mpp_planner.standards.context import CheckContext

    ruleset = load_rules(rules)
    checkpoint(1, 3)
    ctx = CheckContext.load(project)
    checkpoint(2, 3)
    findings = run_rules(ruleset, ctx)
    checkpoint(3, 3)
    names = {key: t.name for key, t in ctx.item_types.items()}
    return CheckResult(findings, names, covered_findings(project, findings))


def covered_findings(project: Project, findings: Sequence[Finding]) -> set[int]:
    """Positions in ``findings`` of those whose suggested item (or one with the same purpose, by
    tag) is already planned as a need in the same room."""
    planned: dict[int, list[tuple[str, frozenset[str]]]] = {}
    for room_id, key, tags in project.session.execute(
            select(Need.room_id, ItemType.key, ItemType.tags).join(ItemType, Need.item_type_id == ItemType.id)):
        planned.setdefault(room_id, []).append((key, frozenset((tags or "").split())))
    covered = set()
    for i, f in enumerate(findings):
        sug = f.suggestion
        if sug is None or sug.room_id is None:
            continue
        wanted = set(sug.tags)
        if any(key == sug.item_key or (wanted and tags & wanted) for key, tags in planned.get(sug.room_id, [])):
            covered.add(i)
    return covered


def finding_shapes(project: Project, findings: Sequence[Finding]) -> FindingShapes:
    """The outlines of the rooms and the boxes of the counters the findings are about."""
    room_ids = {f.room_id for f in findings if f.room_id is not None}
    counter_ids = {c for f in findings for c in f.counter_ids}
    s = project.session
    outlines = {rid: outline for rid, outline in s.execute(
        select(Room.id, Room.outline).where(Room.id.in_(room_ids)))} if room_ids else {}
    counters = {cid: (x, y, w, d, r) for cid, x, y, w, d, r in s.execute(
        select(Counter.id, Counter.x, Counter.y, Counter.width, Counter.depth, Counter.rotation)
        .where(Counter.id.in_(counter_ids)))} if counter_ids else {}
    return FindingShapes(outlines, counters)


def room_centre(project: Project, room_id: int) -> tuple[float, float] | None:
    """The centre of a room's outline in plan millimetres, None when the room is gone."""
    outline = project.session.scalar(select(Room.outline).where(Room.id == room_id))
    return geometry.centroid(outline) if outline else None
