"""Respondents' forms from a file -> the forms of one survey period (``mpp-planner import survey FILE
--period "2024 Semester I" --from RESPONSES.csv|.xlsx``), all of them or none, as ONE undoable step.

Columns are found by their names (case, spaces and punctuation do not matter):

* the nine answers: ``u1``..``u9`` (also ``U1``, ``Unsur 1``, ``U1 - Persyaratan``), the unsur's name
  ("Waktu Penyelesaian"), or a header holding the unsur's question or name (Google Forms writes the whole
  question as the header); an answer is a digit 1..4 or one of the period's answer labels for that unsur
  ("Sangat sesuai", case does not matter); an empty cell is an unsur left unanswered;
* the respondent, by Indonesian or English names: nomor/number, tanggal/date/timestamp, jenis kelamin/gender
  (L/P, laki-laki/perempuan, male/female), umur/usia/age (a band, or an age in years put in its band),
  pendidikan/education, pekerjaan/occupation, instansi/agency (name or short name), layanan/service (a
  service of that agency, or one name unique in the register), loket/counter (its label), saran/catatan/note.

When the names differ the GUI shows :attr:`SurveyImportPlan.headers` and the detected
:attr:`SurveyImportPlan.mapping` and previews again with the user's mapping (target -> file column).

Refused with the row and column named, nothing imported: an answer outside 1..4, text that is no answer
label, a CSV row with another number of cells than the header, an unknown agency, service or counter, a form
number twice, a missing unsur column, an unknown period (``--create-period`` makes it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from mpp_planner.commands.base import Command, MacroCommand
from mpp_planner.commands.survey import AddResponses, AddSurveyPeriod, new_period, period_named, response_values
from mpp_planner.i18n import N_, _, ngettext
from mpp_planner.importers.agencies import MONTHS
from mpp_planner.importers.table import SCAN_ROWS, ImportRefused, RowError, Sheet, load_sheet, normalise_header
from mpp_planner.jobs import checkpoint
from mpp_planner.model import Agency, Counter, Service, SurveyPeriod, SurveyResponse, ValidationError
from mpp_planner.model.base import one_line
from mpp_planner.model.survey import UNSUR_COUNT, default_questionnaire

HELP = N_("add respondents' forms of a satisfaction survey (SKM) period")

UNSUR_TARGETS = tuple(f"u{n}" for n in range(1, UNSUR_COUNT + 1))
OTHER_TARGETS = ("number", "date", "gender", "age_band", "education", "occupation", "agency", "service", "counter",
                 "note")
TARGETS = UNSUR_TARGETS + OTHER_TARGETS
MAX_ERRORS = 100  # the plan lists this many row errors, then how many more

#: target -> whole column names (compared through ``normalise_header``)
ALIASES: dict[str, tuple[str, ...]] = {
    "number": ("number", "no", "nomor", "no_form", "nomor_form", "no_kuesioner", "nomor_kuesioner",
               "no_responden", "nomor_responden", "form_number", "form_no"),
    "date": ("date", "tanggal", "tgl", "tanggal_survei", "tanggal_pengisian", "timestamp", "stempel_waktu",
             "waktu_pengisian"),
    "gender": ("gender", "sex", "jenis_kelamin", "kelamin", "jk", "l_p"),
    "age_band": ("age_band", "age", "umur", "usia", "kelompok_umur", "kelompok_usia", "age_group"),
    "education": ("education", "pendidikan", "pendidikan_terakhir"),
    "occupation": ("occupation", "job", "pekerjaan", "pekerjaan_utama"),
    "agency": ("agency", "instansi", "nama_instansi", "opd", "instansi_layanan", "instansi_penyelenggara"),
    "service": ("service", "layanan", "jenis_layanan", "nama_layanan", "jenis_pelayanan", "pelayanan"),
    "counter": ("counter", "loket", "no_loket", "nomor_loket", "counter_label"),
    "note": ("note", "notes", "saran", "catatan", "komentar", "keterangan", "kritik_dan_saran", "saran_dan_masukan",
             "kritik_saran", "saran_masukan", "comment", "comments"),
}
#: target -> words that, inside a longer header ("Pendidikan terakhir Anda"), name it
KEYWORDS: dict[str, tuple[str, ...]] = {
    "gender": ("jenis_kelamin", "kelamin", "gender"), "age_band": ("umur", "usia", "age"),
    "education": ("pendidikan", "education"), "occupation": ("pekerjaan", "occupation"),
    "agency": ("instansi", "agency"), "service": ("layanan", "service"), "counter": ("loket", "counter"),
    "note": ("saran", "catatan", "komentar", "masukan", "kritik"), "date": ("tanggal", "timestamp"),
    "number": ("nomor_kuesioner", "nomor_responden"),
}
#: unsur -> distinctive words of its name, the last resort inside a longer header
UNSUR_KEYWORDS: dict[int, tuple[str, ...]] = {
    1: ("persyaratan",), 2: ("prosedur", "mekanisme"), 3: ("waktu_penyelesaian", "kecepatan"),
    4: ("biaya", "tarif"), 5: ("produk",), 6: ("kompetensi",), 7: ("perilaku", "kesopanan"),
    8: ("pengaduan",), 9: ("sarana", "prasarana")}
_UNSUR_NUMBER = re.compile(r"^(?:u|unsur|q|p|pertanyaan|question)_?([1-9])(?:_|$)")

GENDERS = {"l": "L", "p": "P", "laki_laki": "L", "lakilaki": "L", "laki": "L", "pria": "L", "male": "L", "m": "L",
           "perempuan": "P", "wanita": "P", "female": "P", "f": "P", "w": "P"}
_ANSWER_WITH_LABEL = re.compile(r"^([1-9])\s*(?:[-.):=]\s*(.*))?$")


def target_label(target: str) -> str:
    """A mapping target as the GUI lists it."""
    if target in UNSUR_TARGETS:
        return _("Unsur {n}").format(n=target[1:])
    return _({"number": N_("Form number"), "date": N_("Date"), "gender": N_("Gender"), "age_band": N_("Age"),
              "education": N_("Education"), "occupation": N_("Occupation"), "agency": N_("Agency"),
              "service": N_("Service"), "counter": N_("Counter"), "note": N_("Note")}[target])


@dataclass
class SurveyImportPlan:
    """What the file would add; import only when ``errors`` is empty."""

    source: Path
    period: str  # the period's name as it is (or will be) in the project
    headers: list[str] = field(default_factory=list)  # the file's column names
    mapping: dict[str, str] = field(default_factory=dict)  # target -> file column
    targets: tuple[str, ...] = TARGETS
    rows: list[dict[str, Any]] = field(default_factory=list)  # the forms, checked (commands.survey.response_values)
    errors: list[RowError] = field(default_factory=list)
    period_id: int | None = None  # None: the period is made by the import
    questionnaire: list[dict] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def creates_period(self) -> bool:
        return self.period_id is None

    def command(self, project=None) -> Command:
        """The one undoable step (the period first when it is made by the import)."""
        if self.errors:
            raise ImportRefused(self.errors)
        text = ngettext("Import {n} survey form from {file} into {period}",
                        "Import {n} survey forms from {file} into {period}", len(self.rows)).format(
            n=len(self.rows), file=self.source.name, period=self.period)
        if self.period_id is not None:
            return AddResponses.of_rows(text, self.rows)
        if project is None:
            raise ValueError("a plan that makes its period needs the project for the command")
        add_period = AddSurveyPeriod(new_period(project, self.period))
        return MacroCommand(text, [add_period, AddResponses.of_rows(text, self.rows, period=add_period.period)])


# --- the header -------------------------------------------------------------------------------

def _padded(text: str) -> str:
    return f"_{normalise_header(text)}_"


def detect_mapping(headers: list[str], questionnaire: list[dict]) -> dict[str, str]:
    """target -> column for the columns whose names say what they hold (each column, each target once)."""
    norm = [normalise_header(h) for h in headers]
    padded = [f"_{n}_" for n in norm]
    found: dict[str, int] = {}

    def take(target: str, col: int) -> None:
        if target not in found and col not in found.values():
            found[target] = col

    exact = {normalise_header(a): t for t, names in ALIASES.items() for a in names}
    names = {normalise_header(u["name"]): f"u{u['unsur']}" for u in questionnaire}
    for col, n in enumerate(norm):  # 1. whole names: u1, unsur 1, "Waktu Penyelesaian", jenis kelamin
        if not n:
            continue
        m = _UNSUR_NUMBER.match(n)
        if m:
            take(f"u{m[1]}", col)
        elif n in names:
            take(names[n], col)
        elif n in exact:
            take(exact[n], col)
    for col, p in enumerate(padded):  # 2. the question, or the unsur's whole name, inside the header
        if col in found.values() or p == "__":
            continue
        for u in questionnaire:
            if _padded(u["question"]).strip("_") in p or f"_{normalise_header(u['name'])}_" in p:
                take(f"u{u['unsur']}", col)
                break
    for col, p in enumerate(padded):  # 3. a respondent field's word inside the header
        if col in found.values():
            continue
        for target, words in KEYWORDS.items():
            if any(f"_{w}_" in p for w in words):
                take(target, col)
                break
    for col, p in enumerate(padded):  # 4. a distinctive word of an unsur's name
        if col in found.values():
            continue
        for unsur, words in UNSUR_KEYWORDS.items():
            if any(f"_{w}_" in p for w in words):
                take(f"u{unsur}", col)
                break
    return {t: headers[found[t]] for t in TARGETS if t in found}


def _score_for(questionnaire: list[dict]):
    def score(row: list[str]) -> int:
        return len(detect_mapping([str(c) for c in row], questionnaire))
    return score


def find_header(sheet: Sheet, questionnaire: list[dict]) -> int:
    """The 1-based header row: among the first rows, the one naming the most known columns."""
    score = _score_for(questionnaire)
    best, best_score = 0, 0
    for number in range(1, min(len(sheet.rows), SCAN_ROWS) + 1):
        s = score(sheet.rows[number - 1])
        if s > best_score:
            best, best_score = number, s
    if best:
        return best
    for number, row in enumerate(sheet.rows, start=1):
        if any(c.strip() for c in row):
            return number
    raise ImportRefused([RowError(0, "", _("The file is empty."))])


# --- cell values ------------------------------------------------------------------------------

def _label_key(text: str) -> str:
    return " ".join(one_line(text).split()).casefold()  # a zero-width space or a CR does not hide a name


def parse_answer(text: str, labels: dict[str, int], unsur: int, options: list[str]) -> int | None:
    """A digit 1..4, "4 - Sangat sesuai", or one of the unsur's answer labels; empty: not answered."""
    value = text.strip()
    if not value:
        return None
    if value.endswith(".0") and value[:-2].isdigit():
        value = value[:-2]
    if value.isdigit():
        if value in ("1", "2", "3", "4"):
            return int(value)
        raise ValidationError("answers", _("The answer to unsur {n} must be 1, 2, 3 or 4 (got '{value}').").format(
            n=unsur, value=value))
    key = _label_key(value)
    if key in labels:
        return labels[key]
    m = _ANSWER_WITH_LABEL.match(value)
    if m and m[1] in ("1", "2", "3", "4") and (not m[2] or _label_key(m[2]) in labels):
        return int(m[1])
    raise ValidationError("answers", _("'{value}' is no answer to unsur {n}: write 1, 2, 3 or 4, or one of: "
                                       "{labels}.").format(value=value, n=unsur, labels=", ".join(options)))


def parse_date(text: str) -> date | None:
    """2024-03-05, 2024/03/05, 05/03/2024, 5 Maret 2024; a time after it (Google Forms) is ignored."""
    value = text.strip()
    if not value:
        return None
    value = re.split(r"[ T]\d{1,2}[:.]\d{2}", value, maxsplit=1)[0].strip()
    try:
        m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", value)
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", value)
        if m:
            first, second = int(m[1]), int(m[2])
            day, month = (second, first) if second > 12 >= first else (first, second)
            return date(int(m[3]), month, day)
        m = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})", value)
        if m and m[2].casefold() in MONTHS:
            return date(int(m[3]), MONTHS[m[2].casefold()], int(m[1]))
    except ValueError:
        pass
    raise ValidationError("date", _("'{value}' is not a date; write 2024-03-05 or 05/03/2024.").format(value=value))


def parse_gender(text: str) -> str:
    value = normalise_header(text)
    if not value:
        return ""
    if value in GENDERS:
        return GENDERS[value]
    raise ValidationError("gender", _("'{value}' is not a gender; write L or P (laki-laki, perempuan).").format(
        value=text.strip()))


def age_band(text: str, bands: list[str]) -> str:
    """A band as written, or an age in years put in its band of ``resources/skm_profile.csv``."""
    value = text.strip()
    if not value.isdigit() or not bands:
        return value
    age = int(value)
    if not 5 <= age <= 120:
        raise ValidationError("age_band", _("An age of {age} years cannot be right.").format(age=age))
    for band in bands:
        numbers = [int(n) for n in re.findall(r"\d+", band)]
        if band.lstrip().startswith("<") and numbers and age < numbers[0]:
            return band
        if len(numbers) == 2 and numbers[0] <= age <= numbers[1]:
            return band
        if band.lstrip().startswith(("≥", ">=")) and numbers and age >= numbers[0]:
            return band
    return value


def _usual(field_name: str, value: str, usual: dict[str, str]) -> str:
    """A profile value written as one of the usual values (whatever its case) takes that spelling."""
    return usual.get(_label_key(value), value) if value else ""


# --- reading ----------------------------------------------------------------------------------

@dataclass
class _Register:
    agencies: dict[str, int]  # name or short name (folded) -> id
    services: dict[tuple[int, str], int]  # (agency id, folded name) -> id
    service_names: dict[str, list[int]]  # folded name -> ids
    counters: dict[str, int]  # folded label -> id

    @classmethod
    def load(cls, project) -> _Register:
        s = project.session
        agencies: dict[str, int] = {}
        for i, name, short in s.execute(select(Agency.id, Agency.name, Agency.short_name)):
            agencies.setdefault(_label_key(name), i)
            if short:
                agencies.setdefault(_label_key(short), i)
        services: dict[tuple[int, str], int] = {}
        service_names: dict[str, list[int]] = {}
        for i, agency_id, name in s.execute(select(Service.id, Service.agency_id, Service.name)):
            services.setdefault((agency_id, _label_key(name)), i)
            service_names.setdefault(_label_key(name), []).append(i)
        counters = {_label_key(label): i for i, label in s.execute(select(Counter.id, Counter.label))}
        return cls(agencies, services, service_names, counters)


def _period(project, name: str, create: bool) -> tuple[int | None, list[dict], str, list[RowError]]:
    """(id or None when made, questionnaire, name, errors)."""
    wanted = " ".join(str(name or "").split())
    if not wanted:
        return None, list(default_questionnaire()), wanted, [RowError(0, "", _("Name the survey period."))]
    period = period_named(project, wanted)
    if period is not None:
        return period.id, [dict(u) for u in period.questionnaire], period.name, []
    if create:
        try:
            SurveyPeriod(name=wanted)
        except ValidationError as exc:
            return None, list(default_questionnaire()), wanted, [RowError(0, "", exc.message)]
        return None, list(default_questionnaire()), wanted, []
    names = [n for (n,) in project.session.execute(select(SurveyPeriod.name).order_by(SurveyPeriod.position,
                                                                                      SurveyPeriod.id))]
    return None, list(default_questionnaire()), wanted, [RowError(0, "", _(
        "There is no survey period '{name}'. Periods: {names}. Give --create-period to make it.").format(
            name=wanted, names=", ".join(names) if names else _("none")))]


def preview(project, source: str | Path, period: str, mapping: Mapping[str, str] | None = None, *,
            create_period: bool = False) -> SurveyImportPlan:
    """Read and check ``source`` for the forms of ``period``; never changes the project. ``mapping``
    (target -> file column) replaces the detected one."""
    from mpp_planner.reads.survey import profile_values

    source = Path(source)
    period_id, questionnaire, period_name, errors = _period(project, period, create_period)
    plan = SurveyImportPlan(source, period_name, period_id=period_id, questionnaire=questionnaire)
    plan.errors.extend(errors)
    sheet = load_sheet(source, _score_for(questionnaire))
    header_row = find_header(sheet, questionnaire)
    header = [h.strip() for h in sheet.rows[header_row - 1]]
    while header and not header[-1]:
        header.pop()
    plan.headers = [h for h in header if h]
    if mapping is None:
        plan.mapping = detect_mapping(header, questionnaire)
    else:
        plan.mapping = {}
        for target, column in mapping.items():
            if target not in TARGETS:
                plan.errors.append(RowError(0, "", _("'{target}' is not a field of a survey form.").format(
                    target=target)))
            elif column:
                if column not in header:
                    plan.errors.append(RowError(header_row, column, _("The file has no column '{column}'.").format(
                        column=column)))
                else:
                    plan.mapping[target] = column
    missing = [t for t in UNSUR_TARGETS if t not in plan.mapping]
    if missing:
        names = {f"u{u['unsur']}": u["name"] for u in questionnaire}
        plan.errors.append(RowError(header_row, "", _(
            "No column for {unsur}. Name the answer columns u1..u9, 'Unsur 1'.., or by the unsur's name. "
            "Found: {found}.").format(unsur=", ".join(f"{t} ({names[t]})" for t in missing),
                                      found=", ".join(plan.headers))))
    if plan.errors:
        return plan

    columns = {t: header.index(c) for t, c in plan.mapping.items()}
    labels = [{_label_key(a): i for i, a in enumerate(u["answers"], start=1)} for u in questionnaire]
    options = [list(u["answers"]) for u in questionnaire]
    register = _Register.load(project)
    usual = {f: {_label_key(v): v for v, _en in values} for f, values in profile_values().items()}
    bands = [v for v, _en in profile_values().get("age_band", ())]
    band_of: dict[str, str] = {}  # the cell -> its band (ages repeat: each is worked out once)
    numbers: dict[int, int] = {}
    if period_id is not None:
        numbers = {n: 0 for (n,) in project.session.execute(
            select(SurveyResponse.number).where(SurveyResponse.period_id == period_id, SurveyResponse.number > 0))}
    is_csv = bool(sheet.delimiter)
    width = len(header)
    more = 0

    def refuse(row: int, target: str, message: str) -> None:
        nonlocal more
        if len(plan.errors) < MAX_ERRORS:
            column = plan.mapping.get(target, "") if target else ""
            plan.errors.append(RowError(row, column, message))
        else:
            more += 1

    for number in range(header_row + 1, len(sheet.rows) + 1):
        cells = sheet.rows[number - 1]
        if not any(c.strip() for c in cells):
            continue
        if number % 2000 == 0:
            checkpoint(0, 0, _("Reading row {n}…").format(n=number))
        if is_csv and (len(cells) < width or any(c.strip() for c in cells[width:])):
            refuse(number, "", _("The row has {n} cells where the header has {width}.").format(
                n=len(cells), width=width))
            continue

        def cell(target: str, cells: list[str] = cells) -> str:
            col = columns.get(target)
            return cells[col].strip() if col is not None and col < len(cells) else ""

        values: dict[str, Any] = {"period_id": period_id}
        bad = False
        answers: list[int | None] = []
        for i, target in enumerate(UNSUR_TARGETS):
            try:
                answers.append(parse_answer(cell(target), labels[i], i + 1, options[i]))
            except ValidationError as exc:
                refuse(number, target, exc.message)
                bad = True
        values["answers"] = answers
        try:
            text = cell("number")
            values["number"] = int(text[:-2] if text.endswith(".0") else text) if text else 0
        except ValueError:
            refuse(number, "number", _("'{value}' is not a form number.").format(value=cell("number")))
            bad = True
        for target, parse in (("date", parse_date), ("gender", parse_gender)):
            try:
                values[target] = parse(cell(target))
            except ValidationError as exc:
                refuse(number, target, exc.message)
                bad = True
        try:
            text = cell("age_band")
            if text not in band_of:
                band_of[text] = _usual("age_band", age_band(text, bands), usual.get("age_band", {}))
            values["age_band"] = band_of[text]
        except ValidationError as exc:
            refuse(number, "age_band", exc.message)
            bad = True
        values["education"] = _usual("education", cell("education"), usual.get("education", {}))
        values["occupation"] = _usual("occupation", cell("occupation"), usual.get("occupation", {}))
        values["note"] = cell("note")
        agency = cell("agency")
        values["agency_id"] = register.agencies.get(_label_key(agency)) if agency else None
        if agency and values["agency_id"] is None:
            refuse(number, "agency", _("There is no agency '{name}' in the register.").format(name=agency))
            bad = True
        service = cell("service")
        values["service_id"] = None
        if service:
            key = _label_key(service)
            if values["agency_id"] is not None:
                values["service_id"] = register.services.get((values["agency_id"], key))
                if values["service_id"] is None:
                    refuse(number, "service", _("'{name}' is not a service of {agency}.").format(
                        name=service, agency=agency))
                    bad = True
            else:
                ids = register.service_names.get(key, [])
                if len(ids) == 1:
                    values["service_id"] = ids[0]
                else:
                    refuse(number, "service", (_("There is no service '{name}' in the register.") if not ids else
                                               _("Several agencies have a service '{name}'; give the agency too."))
                           .format(name=service))
                    bad = True
        counter = cell("counter")
        values["counter_id"] = register.counters.get(_label_key(counter)) if counter else None
        if counter and values["counter_id"] is None:
            refuse(number, "counter", _("There is no counter '{label}' on the plan.").format(label=counter))
            bad = True
        if bad:
            continue
        form_number = values["number"]
        if form_number:
            if form_number in numbers:
                where = numbers[form_number]
                refuse(number, "number", (_("Form number {n} is already in row {row}.").format(n=form_number, row=where)
                                          if where else
                                          _("Form number {n} is already in the period.").format(n=form_number)))
                continue
            numbers[form_number] = number
        if not any(a is not None for a in answers):
            refuse(number, "", _("The form answers no unsur."))
            continue
        try:
            plan.rows.append(response_values(**values))
        except ValidationError as exc:
            target = {"answers": "", "age_band": "age_band", "education": "education", "occupation": "occupation",
                      "note": "note", "number": "number", "date": "date", "gender": "gender"}.get(exc.field, "")
            refuse(number, target, exc.message)
    if more:
        plan.errors.append(RowError(0, "", ngettext("... and {n} more problem.", "... and {n} more problems.",
                                                    more).format(n=more)))
    if not plan.rows and not plan.errors:
        plan.errors.append(RowError(0, "", _("The file has no forms.")))
    return plan


# --- the command line -------------------------------------------------------------------------

def add_arguments(parser) -> None:
    parser.add_argument("--period", required=True, metavar="NAME",
                        help=_("the survey period the forms belong to, e.g. \"2024 Semester I\""))
    parser.add_argument("--create-period", dest="create_period", action="store_true",
                        help=_("make the period when the project has none of this name"))


def options(args) -> dict:
    """``prepare``'s keyword arguments from the parsed command line."""
    return {"period": args.period, "create_period": bool(getattr(args, "create_period", False))}


def prepare(project, source: Path, *, period: str, create_period: bool = False,
            mapping: Mapping[str, str] | None = None) -> Command:
    """The registry entry point: the one command, or ImportRefused with every row error."""
    plan = preview(project, source, period, mapping, create_period=create_period)
    if plan.errors:
        raise ImportRefused(plan.errors)
    return plan.command(project)
