"""The PEKPPP self-assessment as the Evaluasi screen shows it: the scores of the rule file's indicators now and,
for the before/after column, the scores the project would reach if its open needs were all met (plain data, made
in a worker on its own connection)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from mpp_planner.jobs import checkpoint
from mpp_planner.model import ItemType
from mpp_planner.project import Project
from mpp_planner.standards.assessment import Assessment, assess, load_instrument


def assessment(project: Project, rules_path: str | os.PathLike | None = None,
               assume_open_needs_met: bool = False) -> Assessment:
    """Score ``project`` with the PEKPPP file ``rules_path`` (None: the shipped ``resources/pekppp.toml``).

    A broken file raises the rule file error (naming the line) before anything is read."""
    instrument = load_instrument(Path(rules_path) if rules_path is not None else None)
    return assess(project, instrument, assume_open_needs_met=assume_open_needs_met)


@dataclass
class BeforeAfter:
    """The assessment of the project as it is (``now``) and as it would be with its open needs met (``after``)."""

    now: Assessment
    after: Assessment
    item_names: dict[str, str] = field(default_factory=dict)  # catalog key -> name, for the suggestions

    def after_score(self, key: str) -> int | None:
        """An indicator's score with the open needs met (None when the indicator is not in ``after``)."""
        return next((r.score for r in self.after.indicators if r.key == key), None)


def before_after(project: Project, rules_path: str | os.PathLike | None = None) -> BeforeAfter:
    """Both assessments, the rule file read once (a job: it may be cancelled between the steps)."""
    instrument = load_instrument(Path(rules_path) if rules_path is not None else None)
    checkpoint(1, 3)
    now = assess(project, instrument)
    checkpoint(2, 3)
    after = assess(project, instrument, assume_open_needs_met=True)
    checkpoint(3, 3)
    keys = {sug.item_key for r in now.indicators for sug in r.suggestions}
    names = {key: name for key, name in project.session.execute(
        select(ItemType.key, ItemType.name).where(ItemType.key.in_(keys)))} if keys else {}
    return BeforeAfter(now, after, names)
