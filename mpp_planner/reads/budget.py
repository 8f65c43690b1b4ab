"""What the budget screen shows: the fiscal years, the sub kegiatan of a year with their totals, the
lines of one year with the names they refer to, the pick lists of the line editors (and the sub kegiatan
nomenclature), the account code list with its use, the settings and the open gaps to budget. Each
answer is read in a few batched queries (no query per line)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from mpp_planner.i18n import _
from mpp_planner.model import (AccountCode, BudgetCeiling, BudgetLine, Floor, InventoryItem, ItemType, Need, NeedSource,
                               Room, SubActivity, ValidationError, nomenclature)
from mpp_planner.model.budget_summary import budgeted_years, code_key, totals
from mpp_planner.model.gaps import Gap, compute_gaps
from mpp_planner.project import Project
from mpp_planner.standards import RuleFileError, RuleSet, load_rules


# --- years ----------------------------------------------------------------------------------

def default_year(project: Project) -> int:
    """The project's own fiscal year (shown first, and when no other is chosen)."""
    return project.site.fiscal_year


def budget_years(project: Project) -> list[int]:
    """Every year with lines or a ceiling, and the project's fiscal year, in order."""
    s = project.session
    years = set(s.scalars(select(BudgetLine.fiscal_year).distinct()))
    years |= set(s.scalars(select(BudgetCeiling.year)))
    years.add(default_year(project))
    return sorted(years)


def ceiling(project: Project, year: int) -> Decimal | None:
    """The ceiling (pagu) of ``year``, None when none is set."""
    return project.session.scalar(select(BudgetCeiling.amount).where(BudgetCeiling.year == year))


# --- the lines of one year --------------------------------------------------------------------

def budget_lines(project: Project, year: int) -> list[BudgetLine]:
    """The lines of ``year`` in their order on the sheet."""
    return list(project.session.scalars(select(BudgetLine).where(BudgetLine.fiscal_year == year)
                                        .order_by(BudgetLine.position, BudgetLine.id)))


def budget_line(project: Project, line_id: int) -> BudgetLine | None:
    return project.session.get(BudgetLine, line_id)


def account_names(project: Project) -> dict[str, str]:
    """Account code -> name, for the account rows of the tree."""
    return dict(project.session.execute(select(AccountCode.code, AccountCode.name)).all())


def room_names(project: Project) -> dict[int, str]:
    return dict(project.session.execute(select(Room.id, Room.name)).all())


def need_names(project: Project) -> dict[int, str]:
    """Need id -> "room — item", as the "need covered" column shows it."""
    rows = project.session.execute(select(Need.id, Room.name, ItemType.name)
                                   .outerjoin(Room, Need.room_id == Room.id)
                                   .join(ItemType, Need.item_type_id == ItemType.id)).all()
    return {nid: f"{room or '?'} — {item}" for nid, room, item in rows}


# --- the sub kegiatan of one year ---------------------------------------------------------------

#: the context fields of a sub kegiatan, in the order of the RKA's context block
SUB_ACTIVITY_FIELDS = ("code", "name", "affair", "affair_field", "program", "activity", "organisation", "unit",
                       "funding_source", "location", "schedule", "output_indicator", "output_target",
                       "allocation_prev", "allocation_next")


@dataclass(frozen=True)
class SubActivityRow:
    """One sub kegiatan of a year with its context and what its lines add up to. Its allocation of the
    year itself (alokasi tahun n) is ``total``: the lines that are not rejected."""

    id: int
    fiscal_year: int
    code: str
    name: str
    affair: str
    affair_field: str
    program: str
    activity: str
    organisation: str
    unit: str
    funding_source: str
    location: str
    schedule: str
    output_indicator: str
    output_target: str
    allocation_prev: Decimal | None
    allocation_next: Decimal | None
    position: int
    lines: int  # every line under it, rejected ones too (they go with it when it is deleted)
    total: Decimal  # the lines that are not rejected
    approved: Decimal

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"

    def values(self) -> dict:
        """The editable fields, by name (what ``EditSubActivity`` sets)."""
        return {key: getattr(self, key) for key in SUB_ACTIVITY_FIELDS}


class PricedLine(NamedTuple):
    """A line as the totals and the account tree (``model.budget_summary``) read it, its amount worked out
    once: the screen adds the year up per sub kegiatan, per account, in all, per priority and per room."""

    id: int
    status: str
    amount: Decimal
    approved_amount: Decimal | None
    priority: int
    room_id: int | None
    sub_activity_id: int | None
    account_code: str
    position: int
    line: BudgetLine  # the line itself


def priced(lines) -> list[PricedLine]:
    return [PricedLine(b.id, b.status, b.amount, b.approved_amount, b.priority, b.room_id, b.sub_activity_id,
                       b.account_code, b.position, b) for b in lines]


def _sub_activity_rows(subs, lines) -> list[SubActivityRow]:
    by_sub: dict[int, list] = {}
    for line in lines:
        by_sub.setdefault(line.sub_activity_id, []).append(line)
    rows = []
    for sub in subs:
        own = by_sub.get(sub.id, [])
        t = totals(own)
        rows.append(SubActivityRow(
            id=sub.id, fiscal_year=sub.fiscal_year, position=sub.position, lines=len(own), total=t.requested,
            approved=t.approved, **{key: getattr(sub, key) for key in SUB_ACTIVITY_FIELDS}))
    return rows


def _subs_of_year(project: Project, year: int) -> list[SubActivity]:
    return list(project.session.scalars(select(SubActivity).where(SubActivity.fiscal_year == year)
                                        .order_by(SubActivity.position, SubActivity.code)))


def sub_activities(project: Project, year: int) -> list[SubActivityRow]:
    """The sub kegiatan of ``year`` in their order, each with its line count and totals; in two queries."""
    return _sub_activity_rows(_subs_of_year(project, year), budget_lines(project, year))


@dataclass(frozen=True)
class NomenclatureChoice:
    code: str
    name: str
    indicator: str  # the output indicator (tolok ukur) the list gives

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


def nomenclature_choices() -> list[NomenclatureChoice]:
    """The sub kegiatan of the nomenclature list (``resources/sub_activities.csv``), in code order."""
    return [NomenclatureChoice(e.code, e.name, e.indicator) for e in nomenclature.sub_activities()]


def nomenclature_context(code: str) -> dict[str, str]:
    """What the nomenclature list says about ``code``: its name, output indicator and the names of its
    urusan, bidang urusan, program and kegiatan (empty strings for what the list lacks)."""
    entry = nomenclature.entries().get(code.strip())
    return {"name": entry.name if entry else "", "output_indicator": entry.indicator if entry else "",
            **nomenclature.context(code.strip())}


# --- everything one year shows ------------------------------------------------------------------

@dataclass(frozen=True)
class BudgetYear:
    """Everything the tree and the summary of one year show."""

    year: int
    lines: list[BudgetLine]
    account_names: dict[str, str]
    room_names: dict[int, str]
    need_names: dict[int, str]
    ceiling: Decimal | None
    sub_activities: list[SubActivityRow]
    priced: list[PricedLine] = field(default_factory=list)  # the lines as the totals read them


def budget_year(project: Project, year: int) -> BudgetYear:
    lines = budget_lines(project, year)
    shown = priced(lines)
    return BudgetYear(year=year, lines=lines, account_names=account_names(project),
                      room_names=room_names(project), need_names=need_names(project),
                      ceiling=ceiling(project, year),
                      sub_activities=_sub_activity_rows(_subs_of_year(project, year), shown), priced=shown)


# --- pick lists of the line editors -----------------------------------------------------------

def account_codes(project: Project) -> list[tuple[str, str]]:
    """(code, name) of the account code list, in the numeric order of the codes."""
    rows = project.session.execute(select(AccountCode.code, AccountCode.name)).all()
    return sorted(((code, name) for code, name in rows), key=lambda r: code_key(r[0]))


@dataclass(frozen=True)
class Location:
    room_id: int
    room: str
    floor: str


def locations(project: Project) -> list[Location]:
    """The rooms a line can be located in, floor by floor."""
    rows = project.session.execute(select(Room.id, Room.name, Floor.name).join(Floor, Room.floor_id == Floor.id)
                                   .order_by(Floor.order, Room.name)).all()
    return [Location(rid, name, floor) for rid, name, floor in rows]


def need_budget_years(project: Project) -> dict[int, list[int]]:
    """Need id -> the fiscal years in which a line (not rejected) covers it."""
    rows = project.session.execute(select(BudgetLine.need_id, BudgetLine.fiscal_year, BudgetLine.status)
                                   .where(BudgetLine.need_id.is_not(None))).all()
    return budgeted_years(rows)


@dataclass(frozen=True)
class NeedChoice:
    need_id: int
    name: str  # "room — item"
    years: tuple[int, ...]  # where it is budgeted already


def need_choices(project: Project) -> list[NeedChoice]:
    """Every need a line can cover, by name, with the years it is budgeted in."""
    years = need_budget_years(project)
    names = need_names(project)
    return [NeedChoice(nid, name, tuple(years.get(nid, ()))) for nid, name in sorted(names.items(),
                                                                                       key=lambda kv: kv[1])]


# --- the account code list ----------------------------------------------------------------------

@dataclass(frozen=True)
class AccountCodeRow:
    code: str
    name: str
    lines: int  # budget lines booked on it
    items: int  # catalog items booked on it


def account_code_rows(project: Project) -> list[AccountCodeRow]:
    """The account code list with how often each code is used (a used code cannot be deleted)."""
    s = project.session
    used = dict(s.execute(select(BudgetLine.account_code, func.count()).group_by(BudgetLine.account_code)).all())
    items = dict(s.execute(select(ItemType.account_code, func.count()).group_by(ItemType.account_code)).all())
    return [AccountCodeRow(code, name, used.get(code, 0), items.get(code, 0)) for code, name in account_codes(project)]


# --- settings -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class BudgetSettings:
    site_name: str
    ppn_rate: Decimal
    title: str  # the sheet title template ({mpp}, {year})
    year: int
    ceiling: Decimal | None  # of ``year``


def budget_settings(project: Project, year: int) -> BudgetSettings:
    site = project.site
    return BudgetSettings(site_name=site.name, ppn_rate=site.ppn_rate, title=site.budget_title, year=year,
                          ceiling=ceiling(project, year))


# --- open gaps ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OpenGap:
    need: Need  # with its room and item type loaded
    gap: Gap
    years: tuple[int, ...]  # fiscal years with a line covering this need (not rejected)

    @property
    def missing(self) -> Decimal:
        return self.gap.missing

    @property
    def cost(self) -> Decimal:
        """The missing quantity at the catalog price, before PPN."""
        return self.gap.missing * self.need.item_type.ref_price


def open_gaps(project: Project, *, count_kb: bool = False) -> list[OpenGap]:
    """Needs whose room still lacks items (the rule: ``model.gaps.compute_gaps``), with the years they
    are budgeted in; in five queries."""
    s = project.session
    needs = s.scalars(select(Need).options(selectinload(Need.item_type), selectinload(Need.room))
                      .order_by(Need.id)).all()
    gaps = compute_gaps(needs, s.scalars(select(InventoryItem)).all(), count_kb=count_kb)
    years = need_budget_years(project)
    return [OpenGap(n, gaps[n.id], tuple(years.get(n.id, ()))) for n in needs if gaps[n.id].missing > 0]


#: the priority of a budget line made for a need that came from a standards finding
PRIORITY_OF_SEVERITY = {"high": 1, "medium": 2, "low": 3}


def finding_priorities(needs, rules: RuleSet | None = None) -> dict[int, int]:
    """The line priority each need's standards finding asks for (high 1, medium 2, low 3), by need id.

    A need keeps only the id of the rule that found it, not the severity, so the severity is read
    from the rule set (``rules``, else the shipped rule file) when the lines are made. Needs typed
    in by hand, needs from visitation notes (which have no severity) and needs whose rule is no
    longer in the rule set are left out: they get the default the user chose. A rule file that
    cannot be read is refused (ValidationError on ``priority``), so no line silently loses its
    priority."""
    found = [n for n in needs if n.source == NeedSource.STANDARD.value and n.rule_id]
    if not found:
        return {}
    if rules is None:
        try:
            rules = load_rules()
        except RuleFileError as exc:
            raise ValidationError("priority", _(
                "The priority cannot be taken from the findings, the rule file cannot be read ({error}); "
                "choose one priority for all lines.").format(error=exc)) from None
    severity = {r.id: str(r.severity) for r in rules.rules}
    return {n.id: PRIORITY_OF_SEVERITY[severity[n.rule_id]] for n in found if n.rule_id in severity}
