"""Undoable edits of the project's own settings: identity, letterhead, paper, decree and signatories."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from mpp_planner.commands.base import Command, MacroCommand
from mpp_planner.commands.generic import AddObjects, DeleteObjects, SetFields
from mpp_planner.i18n import _
from mpp_planner.model import Signatory, Site, ValidationError
from mpp_planner.model.site import clean_nip
from mpp_planner.project import Project

SIGNATORY_FIELDS = ("title", "name", "rank", "nip")


def edit_settings(project: Project, fields: dict[str, Any], signatories: dict[str, dict[str, str]]) -> Command | None:
    """One command for what the settings dialog says: the Site ``fields`` that differ, and per signatory role
    (``{role: {title, name, rank, nip}}``) a new, changed or — when both title and name are empty — removed
    signatory. None when nothing changes. The model validates every value when the command runs."""
    site = project.site
    changed = {k: v for k, v in fields.items() if getattr(site, k) != v}
    steps: list[Command] = []
    if changed:
        steps.append(SetFields(_("Edit project settings"), Site, {site.id: changed}))
    existing = {s.role: s for s in project.session.scalars(select(Signatory))}
    adds: list[Signatory] = []
    for role, typed in signatories.items():
        typed = {k: (typed.get(k) or "").strip() for k in SIGNATORY_FIELDS}
        try:
            typed["nip"] = clean_nip(typed["nip"])  # "19780903 200701 2 001" is stored as its digits
        except ValidationError:
            pass  # refused with the model's message when the command runs
        empty = not typed["title"] and not typed["name"]
        current = existing.get(role)
        if current is None:
            if not empty:
                adds.append(Signatory(role=role, **typed))
        elif empty:
            steps.append(DeleteObjects(_("Remove signatory"), Signatory, [current.id]))
        else:
            diff = {k: v for k, v in typed.items() if getattr(current, k) != v}
            if diff:
                steps.append(SetFields(_("Edit signatory"), Signatory, {current.id: diff}))
    if adds:
        steps.append(AddObjects(_("Add signatory"), adds))
    if not steps:
        return None
    return steps[0] if len(steps) == 1 else MacroCommand(_("Edit project settings"), steps)
