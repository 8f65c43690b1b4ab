"""What the main window shows of the whole project: its name and the counts in the status bar."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from mpp_planner.model import Agency, Counter, Floor, Room
from mpp_planner.project import Project


@dataclass(frozen=True)
class ProjectCounts:
    floors: int
    rooms: int
    counters: int
    agencies: int


def project_counts(project: Project) -> ProjectCounts:
    """Floors, rooms, counters and agencies, in one query (it runs after every edit)."""
    counts = select(*(select(func.count()).select_from(cls).scalar_subquery()
                      for cls in (Floor, Room, Counter, Agency)))
    return ProjectCounts(*project.session.execute(counts).one())


def site_name(project: Project) -> str:
    """The MPP's name, as in the title bar and on every sheet."""
    return project.site.name
