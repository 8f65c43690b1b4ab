"""Undoable edits of the satisfaction survey (SKM): periods, respondents' forms and follow-up actions.

Checks the model cannot make on one row are made here, inside the same transaction as the edit, so a
refused edit leaves nothing behind: a period's name is unique (whatever its case), a form's agency,
service and counter exist (and the service belongs to the agency), an action's links exist.

Forms are added in bulk (a Core insert of rows already checked by the model's validators), so an import
of 20.000 forms is one quick step; undo deletes them by id and redo puts the very same rows back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy import inspect as sa_inspect

from mpp_planner.commands.base import Command
from mpp_planner.commands.generic import AddObjects, DeleteObjects, SetFields
from mpp_planner.i18n import _
from mpp_planner.model import (Agency, Base, BudgetLine, Counter, Need, Service, SurveyAction, SurveyPeriod,
                               SurveyResponse, ValidationError, VisitFinding)
from mpp_planner.model.survey import ActionStatus
from mpp_planner.project import Project

#: the columns of a form row, in table order (besides the id)
RESPONSE_FIELDS = ("period_id", "number", "date", "gender", "age_band", "education", "occupation", "agency_id",
                   "service_id", "counter_id", "answers", "note")
RESPONSE_DEFAULTS: dict[str, Any] = {"number": 0, "date": None, "gender": "", "age_band": "", "education": "",
                                     "occupation": "", "agency_id": None, "service_id": None, "counter_id": None,
                                     "note": ""}
RESPONSE_TABLE: Table = Base.metadata.tables["survey_response"]
#: rows per statement when deleting by id (below SQLite's limit on bound parameters)
CHUNK = 5000


# --- periods ----------------------------------------------------------------------------------

def new_period(project: Project, name: str, **values) -> SurveyPeriod:
    """A period named ``name`` with the regulation's questionnaire, placed after the others, then ``values``."""
    position = project.session.scalar(select(func.max(SurveyPeriod.position)))
    fields: dict[str, Any] = dict(name=name, position=0 if position is None else position + 1)
    fields.update(values)
    return SurveyPeriod(**fields)


def check_period(project: Project, period: SurveyPeriod) -> None:
    with project.session.no_autoflush:  # the edit is checked before it is written
        _check_period(project, period)


def _check_period(project: Project, period: SurveyPeriod) -> None:
    twin = project.session.scalar(select(SurveyPeriod.id).where(
        func.lower(SurveyPeriod.name) == period.name.lower(), SurveyPeriod.id != period.id)
        if period.id is not None else
        select(SurveyPeriod.id).where(func.lower(SurveyPeriod.name) == period.name.lower()))
    if twin is not None:
        raise ValidationError("name", _("There is already a survey period named '{name}'.").format(name=period.name))
    if period.start_date is not None and period.end_date is not None and period.end_date < period.start_date:
        raise ValidationError("end_date", _("The period of '{name}' ends before it starts.").format(name=period.name))


def period_named(project: Project, name: str) -> SurveyPeriod | None:
    """The period called ``name`` (case and surrounding spaces do not matter), None when there is none."""
    return project.session.scalar(select(SurveyPeriod).where(
        func.lower(SurveyPeriod.name) == str(name).strip().lower()))


class AddSurveyPeriod(AddObjects):
    """Add a survey period (refused when another period has its name)."""

    def __init__(self, period: SurveyPeriod):
        super().__init__(_("Add survey period {name}").format(name=period.name), [period])

    def redo(self, project: Project) -> None:
        if self.snapshot is None:
            with project.edit():
                check_period(project, self.objects[0])
                super().redo(project)
            return
        super().redo(project)

    @property
    def period(self) -> SurveyPeriod:
        return self.objects[0]


class EditSurveyPeriod(SetFields):
    """Set fields of one period (name, dates, population, questionnaire, notes); the name stays unique."""

    def __init__(self, period_id: int, fields: dict[str, Any]):
        super().__init__(_("Edit survey period"), SurveyPeriod, {period_id: fields})

    def redo(self, project: Project) -> None:
        with project.edit():
            super().redo(project)
            for ident in self.new:
                check_period(project, project.get(SurveyPeriod, ident))


def delete_period(project: Project, period_id: int) -> Command:
    """Delete a period with its forms and follow-up actions (undo brings all back)."""
    period = project.get(SurveyPeriod, period_id)
    if period is None:
        raise LookupError(_("The survey period no longer exists."))
    return DeleteObjects(_("Delete survey period {name}").format(name=period.name), SurveyPeriod, [period_id])


# --- forms ------------------------------------------------------------------------------------

def _exists(project: Project, cls, ids: set[int]) -> set[int]:
    found: set[int] = set()
    wanted = sorted(i for i in ids if i is not None)
    for start in range(0, len(wanted), CHUNK):
        part = wanted[start:start + CHUNK]
        found.update(project.session.scalars(select(cls.id).where(cls.id.in_(part))))
    return found


def check_responses(project: Project, rows: list[dict[str, Any]]) -> None:
    """What forms must satisfy beyond their own fields: their period, agency, service and counter exist and
    a form's service is one of its agency's. The message names the form (its number, or its place)."""
    with project.session.no_autoflush:  # the edit is checked before it is written
        _check_responses(project, rows)


def _check_responses(project: Project, rows: list[dict[str, Any]]) -> None:
    def form(i: int, row: dict[str, Any]) -> str:
        return _("form no. {n}").format(n=row["number"]) if row.get("number") else _("form {n}").format(n=i + 1)

    periods = _exists(project, SurveyPeriod, {r["period_id"] for r in rows})
    agencies = _exists(project, Agency, {r["agency_id"] for r in rows if r["agency_id"] is not None})
    counters = _exists(project, Counter, {r["counter_id"] for r in rows if r["counter_id"] is not None})
    service_ids = sorted({r["service_id"] for r in rows if r["service_id"] is not None})
    services: dict[int, int] = {}
    for start in range(0, len(service_ids), CHUNK):
        services.update((i, a) for i, a in project.session.execute(select(Service.id, Service.agency_id).where(
            Service.id.in_(service_ids[start:start + CHUNK]))))
    for i, r in enumerate(rows):
        if r["period_id"] not in periods:
            raise ValidationError("period_id", _("The survey period of {form} no longer exists.").format(
                form=form(i, r)))
        if r["agency_id"] is not None and r["agency_id"] not in agencies:
            raise ValidationError("agency_id", _("The agency of {form} no longer exists.").format(form=form(i, r)))
        if r["counter_id"] is not None and r["counter_id"] not in counters:
            raise ValidationError("counter_id", _("The counter of {form} no longer exists.").format(form=form(i, r)))
        if r["service_id"] is not None:
            owner = services.get(r["service_id"])
            if owner is None:
                raise ValidationError("service_id", _("The service of {form} no longer exists.").format(
                    form=form(i, r)))
            if r["agency_id"] is not None and owner != r["agency_id"]:
                raise ValidationError("service_id", _(
                    "The service of {form} is not one of its agency's services.").format(form=form(i, r)))
    # a paper form's number is entered once per period (0: not numbered)
    numbered: dict[int, set[int]] = {}
    for r in rows:
        if r.get("number"):
            numbered.setdefault(r["period_id"], set())
    own = [r["id"] for r in rows if r.get("id")]  # an edit checks the form against the others only
    for period_id in numbered:
        numbered[period_id] = set(project.session.scalars(select(SurveyResponse.number).where(
            SurveyResponse.period_id == period_id, SurveyResponse.number > 0, SurveyResponse.id.notin_(own))))
    for r in rows:
        n = r.get("number")
        if n:
            if n in numbered[r["period_id"]]:
                raise ValidationError("number", _(
                    "Form no. {n} is already entered in this period; give the form its own number.").format(n=n))
            numbered[r["period_id"]].add(n)


def response_values(**values) -> dict[str, Any]:
    """The table row of a form from ``values``, each field checked by the model's own validators (what
    ``SurveyResponse(**values)`` checks, without building the object: an import of 20.000 forms stays quick).
    Raises :class:`ValidationError` naming the field."""
    validators: Mapping[str, Any] = sa_inspect(SurveyResponse).validators
    row: dict[str, Any] = {}
    for f in RESPONSE_FIELDS:
        value = values.get(f, RESPONSE_DEFAULTS.get(f))
        if f in validators:
            value = validators[f][0](None, f, value)
        row[f] = value
    unknown = set(values) - set(RESPONSE_FIELDS)
    if unknown:
        raise TypeError(f"response_values: unknown field(s) {sorted(unknown)}")
    return row


def response_row(response: SurveyResponse) -> dict[str, Any]:
    """The table row of a form built (and so already checked field by field) by the model."""
    row: dict[str, Any] = {}
    for f in RESPONSE_FIELDS:
        value = getattr(response, f)
        row[f] = RESPONSE_DEFAULTS[f] if value is None and f in RESPONSE_DEFAULTS else value
    if row["answers"] is None:
        raise ValidationError("answers", _("A form has nine answers (one per unsur); empty ones may be left out."))
    return row


class AddResponses(Command):
    """Add respondents' forms as one step (checked first: nothing is added when one is refused).

    The forms are model objects built with ``period_id`` (their validators have checked each field; do not
    set their ``period`` relationship); they are written with one bulk insert. Forms without a ``period_id``
    go to ``period`` (a period added earlier in the same step, e.g. by an import that creates it).
    """

    def __init__(self, text: str, responses: list[SurveyResponse], period: SurveyPeriod | None = None):
        self.text = text
        self.responses = responses
        self.period = period
        self.rows: list[dict[str, Any]] | None = None
        self.fresh_rows: list[dict[str, Any]] | None = None

    @classmethod
    def of_rows(cls, text: str, rows: list[dict[str, Any]], period: SurveyPeriod | None = None) -> AddResponses:
        """The command for rows made by :func:`response_values` (already checked field by field)."""
        cmd = cls(text, [], period)
        cmd.fresh_rows = [dict(r) for r in rows]
        return cmd

    def redo(self, project: Project) -> None:
        table = RESPONSE_TABLE
        with project.edit() as s:
            if self.rows is None:
                rows = [response_row(r) for r in self.responses] + (self.fresh_rows or [])
                self.fresh_rows = None
                if self.period is not None:
                    for row in rows:
                        if row["period_id"] is None:
                            row["period_id"] = self.period.id
                check_responses(project, rows)
                first = (s.scalar(select(func.max(SurveyResponse.id))) or 0) + 1
                for i, row in enumerate(rows):
                    row["id"] = first + i
                self.rows = rows
                self.responses = []  # the rows are what is kept (and restored) from now on
            if self.rows:
                s.execute(insert(table), self.rows)
                project.note(table.name, "added", [r["id"] for r in self.rows])
                # loaded SurveyPeriod.responses collections are stale now
                s.expire_all()

    def undo(self, project: Project) -> None:
        table = RESPONSE_TABLE
        ids = [r["id"] for r in self.rows or []]
        with project.edit() as s:
            for start in range(0, len(ids), CHUNK):
                s.execute(delete(table).where(table.c.id.in_(ids[start:start + CHUNK])))
            project.note(table.name, "removed", ids)
            for obj in [o for o in s.identity_map.values() if isinstance(o, SurveyResponse)]:
                s.expunge(obj)
            s.expire_all()

    @property
    def created_ids(self) -> list[int]:
        return [r["id"] for r in self.rows or []]


class EditResponses(SetFields):
    """Set fields of forms ``{id: {field: value}}``; refused as a whole if one form fails."""

    def __init__(self, text: str, changes: dict[int, dict[str, Any]], merge_key=None):
        super().__init__(text, SurveyResponse, changes, merge_key)

    def redo(self, project: Project) -> None:
        with project.edit():
            super().redo(project)
            rows = []
            for ident in self.new:
                obj = project.get(SurveyResponse, ident)
                rows.append({"id": ident, **{f: getattr(obj, f) for f in RESPONSE_FIELDS}})
            check_responses(project, rows)


def delete_responses(ids: Iterable[int]) -> Command:
    """Delete forms by id (undo brings them back)."""
    ids = list(dict.fromkeys(ids))
    text = _("Delete survey form") if len(ids) == 1 else _("Delete {n} survey forms").format(n=len(ids))
    return DeleteObjects(text, SurveyResponse, ids)


# --- follow-up actions ------------------------------------------------------------------------

def check_action(project: Project, action: SurveyAction) -> None:
    with project.session.no_autoflush:  # the edit is checked before it is written
        _check_action(project, action)


def _check_action(project: Project, action: SurveyAction) -> None:
    if action.period_id is None or project.get(SurveyPeriod, action.period_id) is None:
        raise ValidationError("period_id", _("The survey period of the action no longer exists."))
    for field, cls, message in (
            ("finding_id", VisitFinding, _("The visit finding the action points at no longer exists.")),
            ("need_id", Need, _("The need the action points at no longer exists.")),
            ("budget_line_id", BudgetLine, _("The budget line the action points at no longer exists."))):
        ident = getattr(action, field)
        if ident is not None and project.get(cls, ident) is None:
            raise ValidationError(field, message)


def new_action(period_id: int, unsur: int, action: str, **values) -> SurveyAction:
    """A planned follow-up action on ``unsur`` of a period."""
    fields: dict[str, Any] = dict(period_id=period_id, unsur=unsur, action=action, owner="",
                                  status=ActionStatus.PLANNED.value)
    fields.update(values)
    return SurveyAction(**fields)


class AddAction(AddObjects):
    """Add a follow-up action (its period and links checked first)."""

    def __init__(self, action: SurveyAction):
        super().__init__(_("Add follow-up action"), [action])

    def redo(self, project: Project) -> None:
        if self.snapshot is None:
            with project.edit():
                check_action(project, self.objects[0])
                super().redo(project)
            return
        super().redo(project)


class EditAction(SetFields):
    """Set fields of one follow-up action (status, owner, deadline, links...)."""

    def __init__(self, action_id: int, fields: dict[str, Any], merge_key=None):
        super().__init__(_("Edit follow-up action"), SurveyAction, {action_id: fields}, merge_key)

    def redo(self, project: Project) -> None:
        with project.edit():
            super().redo(project)
            for ident in self.new:
                check_action(project, project.get(SurveyAction, ident))


def delete_actions(ids: Iterable[int]) -> Command:
    """Delete follow-up actions by id (undo brings them back)."""
    ids = list(dict.fromkeys(ids))
    text = _("Delete follow-up action") if len(ids) == 1 else _("Delete {n} follow-up actions").format(n=len(ids))
    return DeleteObjects(text, SurveyAction, ids)
