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


#: the Site fields the project settings dialog edits
SETTINGS_FIELDS = ("name", "government_name", "operator_office", "upt_name", "city", "province", "address",
                   "fiscal_year", "letterhead", "logo", "paper", "decree_title", "decree_number", "decree_date")


@dataclass(frozen=True)
class SignatoryRow:
    role: str
    title: str
    name: str
    rank: str
    nip: str


@dataclass(frozen=True)
class SiteSettings:
    values: dict  # SETTINGS_FIELDS -> stored value
    signatories: dict[str, SignatoryRow]  # role -> who signs


def site_settings(project: Project) -> SiteSettings:
    """The project's identity, letterhead, paper, decree and signatories, as the settings dialog shows them."""
    from mpp_planner.model import Signatory

    site = project.site
    values = {f: getattr(site, f) for f in SETTINGS_FIELDS}
    values["letterhead"] = list(values["letterhead"] or [])
    signatories = {s.role: SignatoryRow(s.role, s.title, s.name, s.rank, s.nip)
                   for s in project.session.scalars(select(Signatory))}
    return SiteSettings(values, signatories)


def sheet_paper(project: Project) -> str:
    """The paper official sheets print on by default (A4 or F4), as the project settings say."""
    return project.site.paper
