"""The public satisfaction survey (SKM, PermenPANRB 14/2017): periods with their questionnaire, the
respondents' forms and the follow-up actions (rencana tindak lanjut) on the weak unsur."""

from __future__ import annotations

import csv
from datetime import date
from enum import StrEnum
from functools import lru_cache

from sqlalchemy import Date, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from mpp_planner.i18n import N_, _
from mpp_planner.model.base import (Base, JSONList, MultiLine, SingleLine, ValidationError, clean_choice, clean_date,
                                    clean_int, clean_name, clean_text)
from mpp_planner.resources_path import resource

UNSUR_COUNT = 9
ANSWERS = (1, 2, 3, 4)
MAX_POPULATION = 100_000_000
MAX_FORM_NUMBER = 10_000_000


class Gender(StrEnum):
    MALE = "L"
    FEMALE = "P"
    UNKNOWN = ""


class ActionStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"

    @property
    def label(self) -> str:
        return _(ACTION_STATUS_LABELS[self])


ACTION_STATUS_LABELS = {ActionStatus.PLANNED: N_("Planned"), ActionStatus.IN_PROGRESS: N_("In progress"),
                        ActionStatus.DONE: N_("Done")}


@lru_cache(maxsize=1)
def default_questionnaire() -> tuple[dict, ...]:
    """The nine unsur with the regulation's wording and four answer labels (``resources/skm_questionnaire.csv``):
    ``{"unsur": 1, "name": "Persyaratan", "question": "...", "answers": ["Tidak sesuai", ...]}``."""
    with resource("skm_questionnaire.csv").open(newline="", encoding="utf-8-sig") as fh:
        rows = [{"unsur": int(r["unsur"]), "name": r["name"].strip(), "question": r["question"].strip(),
                 "answers": [r[f"answer_{i}"].strip() for i in ANSWERS]} for r in csv.DictReader(fh)]
    return tuple(clean_questionnaire(rows))


def clean_questionnaire(value) -> list[dict]:
    """Nine unsur in order 1..9, each with a name, a question and four answer labels."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)) or len(value) != UNSUR_COUNT:
        raise ValidationError("questionnaire", _("A questionnaire has exactly nine unsur."))
    out = []
    for n, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            raise ValidationError("questionnaire", _("Unsur {n} of the questionnaire is not readable.").format(n=n))
        answers = item.get("answers")
        if not isinstance(answers, (list, tuple)) or len(answers) != len(ANSWERS):
            raise ValidationError("questionnaire", _("Unsur {n} needs four answer labels.").format(n=n))
        out.append({"unsur": n, "name": clean_name("name", item.get("name"), max_len=100),
                    "question": clean_text("question", item.get("question"), max_len=500),
                    "answers": [clean_name("answer", a, max_len=100) for a in answers]})
    return out


def clean_answers(value) -> list[int | None]:
    """Nine answers, each 1..4 or None (not answered)."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)) or len(value) != UNSUR_COUNT:
        raise ValidationError("answers", _("A form has nine answers (one per unsur); empty ones may be left out."))
    out: list[int | None] = []
    for n, a in enumerate(value, start=1):
        if a is None or a == "":
            out.append(None)
            continue
        if isinstance(a, bool) or not isinstance(a, (int, str)) or str(a).strip() not in ("1", "2", "3", "4"):
            raise ValidationError("answers", _("The answer to unsur {n} must be 1, 2, 3 or 4 (got '{value}').").format(
                n=n, value=a))
        out.append(int(str(a).strip()))
    return out


class SurveyPeriod(Base):
    """One survey round, e.g. "2024 Semester I", with its questionnaire and the service users it covers."""

    __tablename__ = "survey_period"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(SingleLine(100), unique=True)
    start_date: Mapped[date | None] = mapped_column(Date, default=None)
    end_date: Mapped[date | None] = mapped_column(Date, default=None)
    #: service users in the period (the population of the Krejcie-Morgan sample size); None: not known
    population: Mapped[int | None] = mapped_column(Integer, default=None)
    questionnaire: Mapped[list] = mapped_column(JSONList, default=lambda: list(default_questionnaire()))
    notes: Mapped[str] = mapped_column(MultiLine, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    responses: Mapped[list[SurveyResponse]] = relationship(back_populates="period", cascade="all, delete-orphan",
                                                           passive_deletes=True)

    @validates("name")
    def _v_name(self, key, value):
        return clean_name(key, value, max_len=100)

    @validates("start_date", "end_date")
    def _v_dates(self, key, value):
        return clean_date(key, value, allow_none=True)

    @validates("population")
    def _v_population(self, key, value):
        return None if value in (None, "") else clean_int(key, value, 1, MAX_POPULATION)

    @validates("questionnaire")
    def _v_questionnaire(self, key, value):
        return clean_questionnaire(value)

    @validates("notes")
    def _v_notes(self, key, value):
        return clean_text(key, value)

    @validates("position")
    def _v_position(self, key, value):
        return clean_int(key, value, 0, 1_000_000)


class SurveyResponse(Base):
    """One respondent's form: the nine answers (1..4, or None when left empty) and who answered."""

    __tablename__ = "survey_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("survey_period.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer, default=0)  # the paper form's number (0: none)
    date: Mapped[date | None] = mapped_column(Date, default=None)
    gender: Mapped[str] = mapped_column(SingleLine(1), default="")
    age_band: Mapped[str] = mapped_column(SingleLine(40), default="")
    education: Mapped[str] = mapped_column(SingleLine(60), default="")
    occupation: Mapped[str] = mapped_column(SingleLine(60), default="")
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="SET NULL"), index=True)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id", ondelete="SET NULL"), index=True)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counter.id", ondelete="SET NULL"), index=True)
    answers: Mapped[list] = mapped_column(JSONList)
    note: Mapped[str] = mapped_column(MultiLine, default="")

    period: Mapped[SurveyPeriod] = relationship(back_populates="responses")

    @validates("number")
    def _v_number(self, key, value):
        return clean_int(key, value, 0, MAX_FORM_NUMBER)

    @validates("date")
    def _v_date(self, key, value):
        return clean_date(key, value, allow_none=True)

    @validates("gender")
    def _v_gender(self, key, value):
        return clean_choice(key, "" if value is None else value, Gender)

    @validates("age_band", "education", "occupation")
    def _v_profile(self, key, value):
        return clean_name(key, value, required=False, max_len=60)

    @validates("answers")
    def _v_answers(self, key, value):
        return clean_answers(value)

    @validates("note")
    def _v_note(self, key, value):
        return clean_text(key, value)


class SurveyAction(Base):
    """A follow-up action (rencana tindak lanjut) on one unsur of a period; on Sarana dan Prasarana it may point
    at the finding, need or budget line that carries it out."""

    __tablename__ = "survey_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("survey_period.id", ondelete="CASCADE"), index=True)
    unsur: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(MultiLine)
    owner: Mapped[str] = mapped_column(SingleLine(200), default="")  # penanggung jawab
    deadline: Mapped[date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(SingleLine(20), default=ActionStatus.PLANNED.value)
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("visit_finding.id", ondelete="SET NULL"), index=True)
    need_id: Mapped[int | None] = mapped_column(ForeignKey("need.id", ondelete="SET NULL"), index=True)
    budget_line_id: Mapped[int | None] = mapped_column(ForeignKey("budget_line.id", ondelete="SET NULL"), index=True)

    @validates("unsur")
    def _v_unsur(self, key, value):
        return clean_int(key, value, 1, UNSUR_COUNT)

    @validates("action")
    def _v_action(self, key, value):
        return clean_name(key, value, max_len=2000, multiline=True)  # typed in a multi-line box

    @validates("owner")
    def _v_owner(self, key, value):
        return clean_name(key, value, required=False)

    @validates("deadline")
    def _v_deadline(self, key, value):
        return clean_date(key, value, allow_none=True)

    @validates("status")
    def _v_status(self, key, value):
        return clean_choice(key, value, ActionStatus)
