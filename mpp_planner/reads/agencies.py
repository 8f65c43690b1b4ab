"""What the Agencies tab shows: the register (agencies with their services) and the allocation
overview (who serves at which counter on which weekdays), each read in a few batched queries."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mpp_planner.model import Agency
from mpp_planner.model.allocation import Allocation, load_allocation
from mpp_planner.project import Project


def register(project: Project) -> list[Agency]:
    """Every agency by name, its services loaded with it (two queries, whatever the count)."""
    return list(project.session.scalars(
        select(Agency).order_by(Agency.name, Agency.id).options(selectinload(Agency.services))))


def agency(project: Project, agency_id: int) -> Agency | None:
    """One agency with its services (to fill the edit dialog), or None when it is gone."""
    return project.session.get(Agency, agency_id, options=[selectinload(Agency.services)])


def agencies(project: Project, ids: Iterable[int]) -> list[Agency]:
    """The agencies of ``ids`` that still exist, in the order given (one query)."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    found = {a.id: a for a in project.session.scalars(select(Agency).where(Agency.id.in_(wanted)))}
    return [found[i] for i in wanted if i in found]


def allocation(project: Project) -> Allocation:
    """Per agency, per tier and per counter: schedules, areas, staff and the warnings (four queries)."""
    return load_allocation(project.session)
