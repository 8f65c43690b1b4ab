"""What the Survey tab, its reports and the ``survey`` command show, read in a few batched queries as plain
data: the periods with their IKM, a period's forms, its results (overall and per agency, service or
counter), the respondents' profile, the trend over the periods, the sample status and the follow-up actions.

Results never build ORM objects: the answers column is read as its JSON text, decoded and given to
:func:`mpp_planner.model.skm.compute` (20.000 forms recompute well under half a second).
"""

from __future__ import annotations

import csv
import json
from collections import Counter as Tally
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import Text, select, type_coerce

from mpp_planner.i18n import _
from mpp_planner.model import (Agency, BudgetLine, Counter, ItemType, Need, Room, Service, SurveyAction, SurveyPeriod,
                               SurveyResponse, VisitFinding)
from mpp_planner.model.inventory import FollowUp
from mpp_planner.model.skm import SkmResult, compute, minimum_sample
from mpp_planner.project import Project
from mpp_planner.resources_path import resource

PROFILE_FIELDS = ("gender", "age_band", "education", "occupation")
GROUPINGS = ("agency", "service", "counter")


class PeriodRow(NamedTuple):
    id: int
    name: str
    start_date: date | None
    end_date: date | None
    population: int | None
    respondents: int
    ikm: Decimal | None
    mutu: str


@dataclass(frozen=True)
class PeriodDetail:
    id: int
    name: str
    start_date: date | None
    end_date: date | None
    population: int | None
    questionnaire: list[dict]
    notes: str
    position: int

    @property
    def unsur_names(self) -> list[str]:
        return [u["name"] for u in self.questionnaire]


class ResponseRow(NamedTuple):
    id: int
    number: int
    date: date | None
    gender: str
    age_band: str
    education: str
    occupation: str
    agency_id: int | None
    service_id: int | None
    counter_id: int | None
    answers: list[int | None]
    note: str


class GroupResult(NamedTuple):
    """The result of the forms of one agency, service or counter (label "-" for forms that name none)."""
    label: str
    result: SkmResult


class TrendPoint(NamedTuple):
    name: str
    respondents: int
    ikm: Decimal | None
    mutu: str


class SampleStatus(NamedTuple):
    population: int | None
    minimum: int | None  # None when the population is not known
    respondents: int
    enough: bool  # False when the population is not known


class ActionRow(NamedTuple):
    id: int
    unsur: int
    unsur_name: str
    action: str
    owner: str
    deadline: date | None
    status: str
    finding_id: int | None
    need_id: int | None
    budget_line_id: int | None
    link: str  # what the linked finding, need or budget line is ("" without a link)


@dataclass(frozen=True)
class EntryChoices:
    """What the form entry offers: agencies (id, short name), services (id, agency id, name), counters
    (id, label) and the usual values of the profile fields (gender as (code, label))."""
    agencies: list[tuple[int, str]] = field(default_factory=list)
    services: list[tuple[int, int, str]] = field(default_factory=list)
    counters: list[tuple[int, str]] = field(default_factory=list)
    genders: list[tuple[str, str]] = field(default_factory=list)
    age_bands: list[str] = field(default_factory=list)
    educations: list[str] = field(default_factory=list)
    occupations: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LinkChoices:
    """What a follow-up action may point at: open visit findings, needs and budget lines as (id, text)."""
    findings: list[tuple[int, str]] = field(default_factory=list)
    needs: list[tuple[int, str]] = field(default_factory=list)
    budget_lines: list[tuple[int, str]] = field(default_factory=list)


# --- the usual profile values -----------------------------------------------------------------

@lru_cache(maxsize=1)
def profile_values() -> dict[str, tuple[tuple[str, str], ...]]:
    """``resources/skm_profile.csv``: field -> ((value as written on the form, English meaning), ...)."""
    out: dict[str, list[tuple[str, str]]] = {f: [] for f in PROFILE_FIELDS}
    with resource("skm_profile.csv").open(newline="", encoding="utf-8-sig") as fh:
        for r in csv.DictReader(fh):
            out.setdefault(r["field"].strip(), []).append((r["value"].strip(), r["english"].strip()))
    return {k: tuple(v) for k, v in out.items()}


def gender_label(code: str) -> str:
    return {"L": _("Male"), "P": _("Female")}.get(code, _("Not stated") if not code else code)


# --- reading answers --------------------------------------------------------------------------

_ANSWERS_TEXT = type_coerce(SurveyResponse.answers, Text)


def _decode(text: str | None) -> list:
    return json.loads(text) if text else []


def _answers(project: Project, period_id: int) -> list[list]:
    return [_decode(t) for t in project.session.scalars(
        select(_ANSWERS_TEXT).where(SurveyResponse.period_id == period_id))]


# --- periods ----------------------------------------------------------------------------------

def _period_order():
    return (SurveyPeriod.position, SurveyPeriod.start_date, SurveyPeriod.id)


def periods(project: Project) -> list[PeriodRow]:
    """Every period in order with its respondents, IKM and mutu (two queries)."""
    s = project.session
    rows = s.execute(select(SurveyPeriod.id, SurveyPeriod.name, SurveyPeriod.start_date, SurveyPeriod.end_date,
                            SurveyPeriod.population).order_by(*_period_order())).all()
    forms: dict[int, list[list]] = {r.id: [] for r in rows}
    for pid, text in s.execute(select(SurveyResponse.period_id, _ANSWERS_TEXT)):
        forms.setdefault(pid, []).append(_decode(text))
    out = []
    for r in rows:
        res = compute(forms[r.id])
        out.append(PeriodRow(r.id, r.name, r.start_date, r.end_date, r.population, res.respondents, res.ikm,
                             res.mutu))
    return out


def period_id_named(project: Project, name: str) -> int | None:
    """The id of the period called ``name`` (case and surrounding spaces do not matter)."""
    wanted = str(name).strip().lower()
    for pid, pname in project.session.execute(select(SurveyPeriod.id, SurveyPeriod.name)):
        if pname.lower() == wanted:
            return pid
    return None


def period_detail(project: Project, period_id: int) -> PeriodDetail | None:
    """All fields of one period (to fill its dialog and the report headers), None when it is gone."""
    p = project.session.get(SurveyPeriod, period_id)
    if p is None:
        return None
    return PeriodDetail(p.id, p.name, p.start_date, p.end_date, p.population, [dict(u) for u in p.questionnaire],
                        p.notes, p.position)


def responses(project: Project, period_id: int) -> list[ResponseRow]:
    """The forms of a period in form-number order (one query)."""
    r = SurveyResponse
    return [ResponseRow(row.id, row.number, row.date, row.gender, row.age_band, row.education, row.occupation,
                        row.agency_id, row.service_id, row.counter_id, _decode(row.answers), row.note)
            for row in project.session.execute(
                select(r.id, r.number, r.date, r.gender, r.age_band, r.education, r.occupation, r.agency_id,
                       r.service_id, r.counter_id, _ANSWERS_TEXT.label("answers"), r.note)
                .where(r.period_id == period_id).order_by(r.number, r.id))]


# --- results ----------------------------------------------------------------------------------

def results(project: Project, period_id: int) -> SkmResult:
    """The SKM result of a period's forms (one query, no ORM objects)."""
    return compute(_answers(project, period_id))


def results_by(project: Project, period_id: int, by: str) -> list[GroupResult]:
    """The result per agency, service or counter (``by``), in name order; forms naming none come last
    under "-" (two queries)."""
    if by not in GROUPINGS:
        raise ValueError(f"results_by: unknown grouping {by!r}")
    s = project.session
    key = {"agency": SurveyResponse.agency_id, "service": SurveyResponse.service_id,
           "counter": SurveyResponse.counter_id}[by]
    forms: dict[int | None, list[list]] = {}
    for ident, text in s.execute(select(key, _ANSWERS_TEXT).where(SurveyResponse.period_id == period_id)):
        forms.setdefault(ident, []).append(_decode(text))
    ids = [i for i in forms if i is not None]
    labels: dict[int, str] = {}
    if ids:
        if by == "agency":
            labels = {i: n for i, n in s.execute(select(Agency.id, Agency.short_name).where(Agency.id.in_(ids)))}
        elif by == "service":
            labels = {i: f"{a} - {n}" for i, n, a in s.execute(
                select(Service.id, Service.name, Agency.short_name).join(Agency, Service.agency_id == Agency.id)
                .where(Service.id.in_(ids)))}
        else:
            labels = {i: n for i, n in s.execute(select(Counter.id, Counter.label).where(Counter.id.in_(ids)))}
    out = sorted((GroupResult(labels.get(i, "-"), compute(f)) for i, f in forms.items() if i is not None),
                 key=lambda g: (g.label.lower(), g.label))
    if None in forms:
        out.append(GroupResult("-", compute(forms[None])))
    return out


def profile(project: Project, period_id: int) -> dict[str, list[tuple[str, int]]]:
    """Per profile field (gender, age_band, education, occupation): (value, forms) with the usual values
    first in their order, then the others by count; forms leaving it empty count under "" (last). One query."""
    r = SurveyResponse
    tallies: dict[str, Tally] = {f: Tally() for f in PROFILE_FIELDS}
    for row in project.session.execute(select(r.gender, r.age_band, r.education, r.occupation)
                                       .where(r.period_id == period_id)):
        for f, v in zip(PROFILE_FIELDS, row):
            tallies[f][v or ""] += 1
    usual = profile_values()
    out: dict[str, list[tuple[str, int]]] = {}
    for f in PROFILE_FIELDS:
        tally = tallies[f]
        known = [v for v, _en in usual.get(f, ())]
        rows = [(v, tally[v]) for v in known if tally[v]]
        rows += sorted(((v, n) for v, n in tally.items() if v and v not in known), key=lambda x: (-x[1], x[0]))
        if tally[""]:
            rows.append(("", tally[""]))
        out[f] = rows
    return out


def trend(project: Project) -> list[TrendPoint]:
    """The IKM of every period in period order (two queries)."""
    return [TrendPoint(p.name, p.respondents, p.ikm, p.mutu) for p in periods(project)]


def sample_status(project: Project, period_id: int) -> SampleStatus:
    """The respondents against the Krejcie-Morgan minimum for the period's population (two queries)."""
    population = project.session.scalar(select(SurveyPeriod.population).where(SurveyPeriod.id == period_id))
    respondents = results(project, period_id).respondents
    minimum = minimum_sample(population) if population else None
    return SampleStatus(population, minimum, respondents, minimum is not None and respondents >= minimum)


# --- follow-up actions ------------------------------------------------------------------------

def _finding_text(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:79] + "…"


def _link_texts(project: Project, finding_ids: Iterable[int], need_ids: Iterable[int],
                line_ids: Iterable[int]) -> tuple[dict[int, str], dict[int, str], dict[int, str]]:
    s = project.session
    finding_ids, need_ids, line_ids = list(set(finding_ids)), list(set(need_ids)), list(set(line_ids))
    findings = {i: _finding_text(t) for i, t in s.execute(
        select(VisitFinding.id, VisitFinding.text).where(VisitFinding.id.in_(finding_ids)))} if finding_ids else {}
    needs = {i: _("{item} in {room} ({qty})").format(item=item, room=room, qty=f"{qty.normalize():f}")
             for i, item, room, qty in s.execute(
                 select(Need.id, ItemType.name, Room.name, Need.quantity)
                 .join(ItemType, Need.item_type_id == ItemType.id).join(Room, Need.room_id == Room.id)
                 .where(Need.id.in_(need_ids)))} if need_ids else {}
    lines = {i: f"{year}: {desc}" for i, year, desc in s.execute(
        select(BudgetLine.id, BudgetLine.fiscal_year, BudgetLine.description)
        .where(BudgetLine.id.in_(line_ids)))} if line_ids else {}
    return findings, needs, lines


def actions(project: Project, period_id: int) -> list[ActionRow]:
    """A period's follow-up actions by unsur, with what each is linked to (at most five queries)."""
    s = project.session
    questionnaire = s.scalar(select(SurveyPeriod.questionnaire).where(SurveyPeriod.id == period_id)) or []
    names = {u["unsur"]: u["name"] for u in questionnaire}
    a = SurveyAction
    rows = s.execute(select(a.id, a.unsur, a.action, a.owner, a.deadline, a.status, a.finding_id, a.need_id,
                            a.budget_line_id).where(a.period_id == period_id).order_by(a.unsur, a.id)).all()
    findings, needs, lines = _link_texts(project, (r.finding_id for r in rows if r.finding_id),
                                         (r.need_id for r in rows if r.need_id),
                                         (r.budget_line_id for r in rows if r.budget_line_id))
    out = []
    for r in rows:
        links = [text for text in (findings.get(r.finding_id), needs.get(r.need_id), lines.get(r.budget_line_id))
                 if text]
        out.append(ActionRow(r.id, r.unsur, names.get(r.unsur, str(r.unsur)), r.action, r.owner, r.deadline,
                             r.status, r.finding_id, r.need_id, r.budget_line_id, "; ".join(links)))
    return out


# --- choices ----------------------------------------------------------------------------------

def entry_choices(project: Project) -> EntryChoices:
    """What the form entry offers (three queries)."""
    s = project.session
    agencies = [(i, short or name) for i, short, name in s.execute(
        select(Agency.id, Agency.short_name, Agency.name).order_by(Agency.short_name, Agency.name, Agency.id))]
    services = [(i, a, n) for i, a, n in s.execute(
        select(Service.id, Service.agency_id, Service.name).order_by(Service.agency_id, Service.name, Service.id))]
    counters = [(i, label) for i, label in s.execute(select(Counter.id, Counter.label).order_by(Counter.label,
                                                                                                Counter.id))]
    usual = profile_values()
    return EntryChoices(agencies, services, counters, [(g, gender_label(g)) for g in ("L", "P")],
                        [v for v, _en in usual.get("age_band", ())], [v for v, _en in usual.get("education", ())],
                        [v for v, _en in usual.get("occupation", ())])


def link_choices(project: Project) -> LinkChoices:
    """What a follow-up action may point at: open visit findings, needs and budget lines (three queries)."""
    s = project.session
    findings = [(i, _finding_text(t)) for i, t in s.execute(
        select(VisitFinding.id, VisitFinding.text).where(VisitFinding.status == FollowUp.OPEN.value)
        .order_by(VisitFinding.id))]
    needs = [(i, _("{item} in {room} ({qty})").format(item=item, room=room, qty=f"{qty.normalize():f}"))
             for i, item, room, qty in s.execute(
                 select(Need.id, ItemType.name, Room.name, Need.quantity)
                 .join(ItemType, Need.item_type_id == ItemType.id).join(Room, Need.room_id == Room.id)
                 .order_by(Room.name, ItemType.name, Need.id))]
    lines = [(i, f"{year}: {desc}") for i, year, desc in s.execute(
        select(BudgetLine.id, BudgetLine.fiscal_year, BudgetLine.description)
        .order_by(BudgetLine.fiscal_year, BudgetLine.position, BudgetLine.id))]
    return LinkChoices(findings, needs, lines)
