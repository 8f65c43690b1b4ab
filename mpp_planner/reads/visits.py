"""Visitation notes as the Inventory screen shows them: the visits with their findings, the needs
linked to each finding, and the pick lists of the need and finding forms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mpp_planner.model import ItemType, Need, Room, Visit, VisitFinding
from mpp_planner.project import Project


@dataclass(frozen=True)
class FindingChoice:
    """A visit finding as the need form offers it: the visit's date and the finding's text."""

    id: int
    visit_date: date
    text: str


@dataclass(frozen=True)
class NeedChoice:
    """A need as the finding form lists it (ticked when linked to the finding)."""

    id: int
    room_name: str
    item_name: str
    quantity: Decimal
    visit_finding_id: int | None


def visits(project: Project) -> list[Visit]:
    """Every visit, newest first, with its findings and their rooms; loaded afresh."""
    return list(project.session.scalars(
        select(Visit).order_by(Visit.date.desc(), Visit.id)
        .options(selectinload(Visit.findings).selectinload(VisitFinding.room))
        .execution_options(populate_existing=True)))


def needs_by_finding(project: Project) -> dict[int, list[Need]]:
    """Visit finding id -> the needs linked to it (with item type and room), in id order."""
    linked = project.session.scalars(
        select(Need).where(Need.visit_finding_id.is_not(None))
        .options(selectinload(Need.item_type), selectinload(Need.room))
        .order_by(Need.id).execution_options(populate_existing=True))
    out: dict[int, list[Need]] = {}
    for n in linked:
        assert n.visit_finding_id is not None  # the query keeps linked needs only
        out.setdefault(n.visit_finding_id, []).append(n)
    return out


def finding_choices(project: Project) -> list[FindingChoice]:
    """Every visit finding with its visit's date, by visit and finding."""
    rows = project.session.execute(select(VisitFinding.id, Visit.date, VisitFinding.text).join(Visit)
                                   .order_by(VisitFinding.visit_id, VisitFinding.id)).all()
    return [FindingChoice(*row) for row in rows]


def need_choices(project: Project) -> list[NeedChoice]:
    """Every need with its room and item names, by room and id."""
    rows = project.session.execute(
        select(Need.id, Room.name, ItemType.name, Need.quantity, Need.visit_finding_id)
        .join(Room, Need.room_id == Room.id).join(ItemType, Need.item_type_id == ItemType.id)
        .order_by(Need.room_id, Need.id)).all()
    return [NeedChoice(*row) for row in rows]


def default_planned_year(project: Project) -> int:
    """The fiscal year a new finding is planned for: the project's own."""
    return project.site.fiscal_year
