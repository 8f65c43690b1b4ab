"""The public satisfaction survey (SKM) of one period as printed documents: the *Laporan Hasil SKM* (PDF,
A4/F4: method, respondent profile, NRR table, IKM and mutu, charts, the weakest unsur, the follow-up and the
signature), the one-page publication poster for the service hall, a workbook with the raw forms and the
computation as live formulas, and CSV of the raw forms in the columns the survey importer reads back.

``mpp-planner export survey FILE --period "2024 Semester I" -o OUT.pdf|.xlsx|.csv [--poster]``. The index is
``model.skm.compute`` (exact fractions, rounded once); fixed labels are Indonesian whatever the UI language.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mpp_planner.formats import long_date, number
from mpp_planner.i18n import N_, _
from mpp_planner.reports.output import add_paper_argument, date_option, iso_date, paper_option, write_atomically

if TYPE_CHECKING:
    from mpp_planner.model.skm import SkmResult

FORMATS = ("pdf", "xlsx", "csv")
HELP = N_("public satisfaction survey (SKM) of one period: report or poster (PDF), XLSX with formulas, CSV")

UNSUR = 9
GENDER_ID = {"L": "Laki-laki", "P": "Perempuan"}
NOT_GIVEN = "Tidak diisi"
STATUS_ID = {"planned": "Direncanakan", "in_progress": "Sedang berjalan", "done": "Selesai"}
PROFILE_TITLES = (("gender", "Jenis kelamin"), ("age_band", "Usia"), ("education", "Pendidikan terakhir"),
                  ("occupation", "Pekerjaan utama"))
#: the columns of the raw-data CSV, as the survey importer reads them back
CSV_HEADER = ("no", "tanggal", "jenis_kelamin", "usia", "pendidikan", "pekerjaan", "instansi", "layanan", "loket",
              *(f"u{i}" for i in range(1, UNSUR + 1)), "catatan")


def add_arguments(parser) -> None:
    parser.add_argument("--period", required=True, metavar="NAME",
                        help=_("the survey period, e.g. \"2024 Semester I\""))
    parser.add_argument("--poster", action="store_true",
                        help=_("the one-page publication poster for the service hall instead of the report (PDF)"))
    add_paper_argument(parser)
    parser.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD",
                        help=_("date printed above the signature and on the poster (default: today)"))


def export(project, out: Path, fmt: str, args) -> Path:
    return write(project, out, fmt, period=args.period, poster=bool(getattr(args, "poster", False)),
                 paper=paper_option(args, project), sign_date=date_option(args))


def write(project, out, fmt: str, *, period: str, poster: bool = False, paper: str | None = None,
          sign_date: date | None = None) -> Path:
    """Write the report (or with ``poster`` the poster) of the period named ``period`` to ``out``, all or
    nothing. Refused (ValueError) for an unknown period, a period without forms, or a poster not in PDF."""
    if fmt not in FORMATS:
        raise ValueError(_("Unknown format '{fmt}'.").format(fmt=fmt))
    if poster and fmt != "pdf":
        raise ValueError(_("The poster is a PDF: use an output file ending in .pdf."))
    report = collect(project, period, sign_date=sign_date, paper=paper)
    if fmt == "pdf":
        from mpp_planner.reports import survey_pdf

        build = survey_pdf.build_poster if poster else survey_pdf.build_report
        return write_atomically(out, lambda tmp: build(report, tmp))
    if fmt == "xlsx":
        return write_atomically(out, lambda tmp: build_xlsx(report, tmp))
    from mpp_planner.reports.output import write_csv

    return write_csv(out, CSV_HEADER, csv_rows(report))


# --- the data of one report ---------------------------------------------------------------------

@dataclass(frozen=True)
class Form:
    """One respondent's form as printed (names resolved, answers decoded)."""

    number: int
    date: date | None
    gender: str
    age_band: str
    education: str
    occupation: str
    agency: str
    service: str
    counter: str
    answers: tuple[int | None, ...]
    note: str


@dataclass(frozen=True)
class Group:
    label: str
    result: SkmResult


@dataclass(frozen=True)
class TrendPoint:
    name: str
    respondents: int
    ikm: Decimal | None
    mutu: str


@dataclass(frozen=True)
class Action:
    unsur: int
    action: str
    owner: str
    deadline: date | None
    status: str


@dataclass
class SurveyReport:
    site: Any  # model.Site
    period: str
    start_date: date | None
    end_date: date | None
    population: int | None
    questionnaire: list[dict]
    forms: list[Form]
    result: SkmResult
    profile: dict[str, list[tuple[str, int]]]
    by_agency: list[Group]
    trend: list[TrendPoint]
    actions: list[Action]
    head: Any  # Signatory "head" or None
    sign_date: date
    paper: str = "A4"
    minimum: int | None = None  # the Krejcie-Morgan minimum sample for the population
    groups_by: dict = field(default_factory=dict)

    def unsur_name(self, n: int) -> str:
        return str(self.questionnaire[n - 1].get("name", f"Unsur {n}"))

    @property
    def period_text(self) -> str:
        """"2024 Semester I (1 Januari 2024 – 30 Juni 2024)"."""
        if self.start_date and self.end_date:
            return (f"{self.period} ({long_date(self.start_date, lang='id')} – "
                    f"{long_date(self.end_date, lang='id')})")
        return self.period

    @property
    def place_and_date(self) -> str:
        city = getattr(self.site, "city", "") or ""
        when = long_date(self.sign_date, lang="id")
        return f"{city}, {when}" if city else when


def collect(project, period: str, *, sign_date: date | None = None, paper: str | None = None) -> SurveyReport:
    """Everything the documents show, in a few batched queries (columns only, no ORM object per form)."""
    from sqlalchemy import select

    from mpp_planner.model import Agency, Signatory
    from mpp_planner.model.agency import Service
    from mpp_planner.model.paper import paper as paper_named
    from mpp_planner.model.plan import Counter
    from mpp_planner.model.skm import compute, minimum_sample
    from mpp_planner.model.survey import SurveyAction, SurveyPeriod, SurveyResponse

    s = project.session
    periods = s.execute(select(SurveyPeriod.id, SurveyPeriod.name, SurveyPeriod.start_date, SurveyPeriod.end_date,
                               SurveyPeriod.population, SurveyPeriod.questionnaire, SurveyPeriod.position)).all()
    chosen = next((p for p in periods if p.name == period), None)
    if chosen is None:
        wanted = (period or "").strip().casefold()
        chosen = next((p for p in periods if p.name.casefold() == wanted), None)
    if chosen is None:
        names = ", ".join(f"\"{p.name}\"" for p in _ordered(periods)) or _("none yet")
        raise ValueError(_("There is no survey period \"{name}\" in this project (periods: {names}).").format(
            name=period, names=names))
    agencies = dict(s.execute(select(Agency.id, Agency.short_name)).all())
    services = dict(s.execute(select(Service.id, Service.name)).all())
    counters = dict(s.execute(select(Counter.id, Counter.label)).all())
    raw = select(SurveyResponse.number, SurveyResponse.date, SurveyResponse.gender, SurveyResponse.age_band,
                 SurveyResponse.education, SurveyResponse.occupation, SurveyResponse.agency_id,
                 SurveyResponse.service_id, SurveyResponse.counter_id, SurveyResponse.note,
                 answers_text()).where(SurveyResponse.period_id == chosen.id) \
        .order_by(SurveyResponse.number, SurveyResponse.id)
    forms = [Form(r[0], r[1], r[2] or "", r[3] or "", r[4] or "", r[5] or "", agencies.get(r[6], ""),
                  services.get(r[7], ""), counters.get(r[8], ""), tuple(json.loads(r[10])), r[9] or "")
             for r in s.execute(raw)]
    if not forms:
        raise ValueError(_("The survey period \"{name}\" has no forms yet: enter or import the respondents' "
                           "forms first.").format(name=chosen.name))
    result = compute(f.answers for f in forms)
    if result.respondents == 0:
        raise ValueError(_("The forms of the survey period \"{name}\" hold no answers.").format(name=chosen.name))
    trend = _trend(s, periods, chosen, result, compute)
    action_rows = s.execute(select(SurveyAction.unsur, SurveyAction.action, SurveyAction.owner,
                                   SurveyAction.deadline, SurveyAction.status)
                            .where(SurveyAction.period_id == chosen.id)
                            .order_by(SurveyAction.unsur, SurveyAction.deadline, SurveyAction.id)).all()
    head = s.scalars(select(Signatory).where(Signatory.role == "head")).first()
    site = project.site
    return SurveyReport(
        site=site, period=chosen.name, start_date=chosen.start_date, end_date=chosen.end_date,
        population=chosen.population, questionnaire=list(chosen.questionnaire), forms=forms, result=result,
        profile=profile(forms), by_agency=groups(forms, "agency", compute), trend=trend,
        actions=[Action(*r) for r in action_rows], head=head, sign_date=sign_date or date.today(),
        paper=paper_named(paper or site.paper).name,
        minimum=minimum_sample(chosen.population) if chosen.population else None)


def answers_text():
    """The answers column as its stored JSON text (one json.loads per form, no type processing)."""
    from sqlalchemy import Text, type_coerce

    from mpp_planner.model.survey import SurveyResponse

    return type_coerce(SurveyResponse.answers, Text)


def _ordered(periods):
    return sorted(periods, key=lambda p: (p.position, p.start_date or date.min, p.id))


def _trend(session, periods, chosen, result, compute) -> list[TrendPoint]:
    """The IKM of every period up to this one (in period order), this one's from ``result``."""
    from sqlalchemy import select

    from mpp_planner.model.survey import SurveyResponse

    ordered = _ordered(periods)
    earlier = ordered[:[p.id for p in ordered].index(chosen.id)]
    answers: dict[int, list] = {p.id: [] for p in earlier}
    if earlier:
        rows = session.execute(select(SurveyResponse.period_id, answers_text())
                               .where(SurveyResponse.period_id.in_(list(answers))))
        for period_id, text in rows:
            answers[period_id].append(json.loads(text))
    points = []
    for p in earlier:
        r = compute(answers[p.id])
        if r.respondents:
            points.append(TrendPoint(p.name, r.respondents, r.ikm, r.mutu))
    points.append(TrendPoint(chosen.name, result.respondents, result.ikm, result.mutu))
    return points


def usual_values() -> dict[str, list[str]]:
    """The usual profile values in their order (``resources/skm_profile.csv``: field, value, english)."""
    import csv

    from mpp_planner.resources_path import resource

    out: dict[str, list[str]] = {}
    with resource("skm_profile.csv").open(newline="", encoding="utf-8-sig") as fh:
        for r in csv.DictReader(fh):
            out.setdefault(r["field"].strip(), []).append(r["value"].strip())
    return out


def profile(forms: list[Form]) -> dict[str, list[tuple[str, int]]]:
    """Respondents by gender, age band, education and occupation: (printed value, count)."""
    usual = usual_values()
    answered = [f for f in forms if any(a is not None for a in f.answers)]
    out: dict[str, list[tuple[str, int]]] = {}
    for key, _title in PROFILE_TITLES:
        counts: dict[str, int] = {}
        for f in answered:
            value = getattr(f, key)
            counts[value] = counts.get(value, 0) + 1
        known = usual.get(key, [])
        rows = [(v, counts[v]) for v in known if counts.get(v)]
        rows += sorted(((v, c) for v, c in counts.items() if v and v not in known),
                       key=lambda item: (-item[1], item[0].casefold()))
        if counts.get(""):
            rows.append(("", counts[""]))
        out[key] = [((GENDER_ID.get(v, v) if key == "gender" else v) or NOT_GIVEN, c) for v, c in rows]
    return out


def groups(forms: list[Form], by: str, compute) -> list[Group]:
    """The result per agency / service / counter named on the forms (none when no form names one)."""
    if not any(getattr(f, by) for f in forms):
        return []
    buckets: dict[str, list] = {}
    for f in forms:
        buckets.setdefault(getattr(f, by) or "", []).append(f.answers)
    named = sorted((k for k in buckets if k), key=str.casefold)
    out = [Group(k, compute(buckets[k])) for k in named]
    if "" in buckets:
        out.append(Group(NOT_GIVEN, compute(buckets[""])))
    return [g for g in out if g.result.respondents]


# --- numbers as printed -------------------------------------------------------------------------

def dec(value, places: int) -> str:
    """A number with ``places`` decimals in Indonesian writing ("3,2500"); "-" for None."""
    if value is None:
        return "-"
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return number(value, places, lang="id")


def percent(part: int, whole: int) -> str:
    return dec(Decimal(part * 100) / Decimal(whole), 1) + "%" if whole else "-"


def unsur_grade(nrr: Fraction | None) -> str:
    """The mutu of one unsur: its NRR x 25 graded like the IKM."""
    from mpp_planner.model.skm import grade, to_decimal

    return "-" if nrr is None else grade(to_decimal(nrr * 25))[0]


# --- XLSX ---------------------------------------------------------------------------------------

DATA_HEADER = ("No", "Tanggal", "Jenis Kelamin", "Usia", "Pendidikan", "Pekerjaan", "Instansi", "Layanan", "Loket",
               *(f"U{i}" for i in range(1, UNSUR + 1)), "Catatan")
DATA_WIDTHS = (7, 11, 9, 10, 14, 16, 16, 28, 8, *([4.5] * UNSUR), 30)
FIRST_U = 9  # 0-based column of U1 on the Data sheet


def build_xlsx(report: SurveyReport, target) -> None:
    """Sheet "Data": one row per form, U1..U9 as numbers (empty when not answered); sheet "Perhitungan":
    per unsur COUNT, SUM, NRR = SUM/COUNT, NRR tertimbang = NRR/9, the index = their SUM, IKM =
    ROUND(index*25, 2) and the mutu by IF thresholds — live formulas whose cached results are the exact
    ``model.skm`` values. Both sheets set up to print (XlsxWriter: 20,000 rows in about a second)."""
    import xlsxwriter
    from xlsxwriter.utility import xl_col_to_name

    from mpp_planner.model.paper import paper as paper_named
    from mpp_planner.model.skm import GRADES
    from mpp_planner.reports.output import neutralise
    from mpp_planner.reports.xlsx_page import FONT_SIZE, setup_xlsxwriter

    paper_index = paper_named(report.paper).xlsx_index
    # constant_memory: each row goes to disk as soon as the next one starts (rows are written in order)
    wb = xlsxwriter.Workbook(str(target), {"constant_memory": True, "strings_to_formulas": False,
                                           "strings_to_numbers": False, "strings_to_urls": False})
    base = {"font_size": FONT_SIZE}
    border = {"border": 1, "border_color": "#444444", **base}
    title_style = wb.add_format({"bold": True, "font_size": 12})
    text_style = wb.add_format(base)
    note_style = wb.add_format({"font_color": "#555555", "text_wrap": True, "valign": "top", **base})
    head_style = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True,
                                "bg_color": "#E4E9F0", **border})
    date_style = wb.add_format({"num_format": "dd/mm/yyyy", **base})
    cell = wb.add_format(border)
    center = wb.add_format({"align": "center", **border})
    four = wb.add_format({"num_format": "0.0000", **border})
    two_bold = wb.add_format({"num_format": "0.00", "bold": True, **border})
    four_bold = wb.add_format({"num_format": "0.0000", "bold": True, **border})
    bold = wb.add_format({"bold": True, **border})
    bold_center = wb.add_format({"bold": True, "align": "center", **border})

    # --- Data
    ws = wb.add_worksheet("Data")
    for i, w in enumerate(DATA_WIDTHS):
        ws.set_column(i, i, w)
    ws.write_row(0, 0, DATA_HEADER, head_style)
    for r, f in enumerate(report.forms, start=1):
        ws.write_number(r, 0, f.number, text_style) if f.number else ws.write_blank(r, 0, None, text_style)
        if f.date:
            ws.write_datetime(r, 1, f.date, date_style)
        for c, value in enumerate((f.gender, f.age_band, f.education, f.occupation, f.agency, f.service, f.counter),
                                  start=2):
            if value:
                ws.write_string(r, c, neutralise(value))
        for c, a in enumerate(f.answers, start=FIRST_U):
            if a is not None:
                ws.write_number(r, c, a)
        if f.note:
            ws.write_string(r, FIRST_U + UNSUR, neutralise(f.note))
    last = len(report.forms) + 1  # 1-based row of the last form
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, last - 1, len(DATA_HEADER) - 1)
    setup_xlsxwriter(ws, 0, 0, paper_index)

    # --- Perhitungan
    res = report.result
    wc = wb.add_worksheet("Perhitungan")
    for i, w in enumerate((7, 34, 12, 12, 12, 12, 14, 9)):
        wc.set_column(i, i, w)
    wc.write_string(0, 0, neutralise(f"Perhitungan Indeks Kepuasan Masyarakat — {report.period}"), title_style)
    wc.write_string(1, 0, neutralise(report.site.name), text_style)
    wc.write_string(2, 0, "NRR = jumlah nilai / responden yang menjawab; NRR tertimbang = NRR × 1/9; "
                          "IKM = ROUND(jumlah NRR tertimbang × 25; 2) (PermenPANRB 14/2017).", note_style)
    head = 4
    wc.write_row(head, 0, ("Unsur", "Nama unsur", "Responden menjawab", "Tidak menjawab", "Jumlah nilai", "NRR",
                           "NRR tertimbang", "Mutu unsur"), head_style)
    wc.set_row(head, 27)
    first = head + 1
    summary_row = first + UNSUR + 2  # 0-based: respondents, IKM, mutu, kinerja below the table
    respondents_cell, ikm_cell = f"C{summary_row + 1}", f"C{summary_row + 2}"
    for i, u in enumerate(res.unsur):
        r = first + i
        row = r + 1  # 1-based
        col = xl_col_to_name(FIRST_U + i)
        span = f"Data!{col}2:{col}{last}"
        wc.write_number(r, 0, u.unsur, center)
        wc.write_string(r, 1, neutralise(report.unsur_name(u.unsur)), cell)
        wc.write_formula(r, 2, f"=COUNT({span})", cell, u.answered)
        wc.write_formula(r, 3, f"={respondents_cell}-C{row}", cell, u.missing)
        wc.write_formula(r, 4, f"=SUM({span})", cell, u.total)
        nrr = float(u.nrr) if u.nrr is not None else "#DIV/0!"
        wc.write_formula(r, 5, f"=E{row}/C{row}", four, nrr)
        wc.write_formula(r, 6, f"=F{row}/9", four, float(u.weighted) if u.weighted is not None else "#DIV/0!")
        wc.write_formula(r, 7, _grade_formula(f"ROUND(F{row}*25,2)", GRADES, 1), center, unsur_grade(u.nrr))
    end = first + UNSUR - 1  # 0-based row of unsur 9
    r = end + 1
    total_row = r + 1
    wc.write_string(r, 0, "", bold)
    wc.write_string(r, 1, "Indeks (jumlah NRR tertimbang)", bold)
    for c in range(2, 6):
        wc.write_blank(r, c, None, bold)
    wc.write_formula(r, 6, f"=SUM(G{first + 1}:G{end + 1})", four_bold,
                     float(res.index) if res.index is not None else "#DIV/0!")
    wc.write_blank(r, 7, None, bold)
    # the summary below the table (labels in B, values in C)
    r = summary_row
    blanks_check = ",".join(f"Data!{xl_col_to_name(FIRST_U + i)}2:{xl_col_to_name(FIRST_U + i)}{last},\"\""
                            for i in range(UNSUR))
    summary = [
        ("Jumlah responden", f"=ROWS(Data!A2:A{last})-COUNTIFS({blanks_check})", res.respondents, bold),
        ("IKM (indeks × 25)", f"=ROUND(G{total_row}*25,2)", float(res.ikm) if res.ikm is not None else "#DIV/0!",
         two_bold),
        ("Mutu pelayanan", _grade_formula(ikm_cell, GRADES, 1), res.mutu, bold_center),
        ("Kinerja unit pelayanan", _grade_formula(ikm_cell, GRADES, 2), res.kinerja, bold_center),
    ]
    for k, (label, formula, cached, style) in enumerate(summary):
        wc.write_string(r + k, 1, label, bold)
        wc.write_formula(r + k, 2, formula, style, cached)
    r += len(summary) + 1
    if report.population:
        wc.write_string(r, 1, "Jumlah populasi (pengguna layanan)", text_style)
        wc.write_number(r, 2, report.population, text_style)
        wc.write_string(r + 1, 1, "Sampel minimum (Krejcie–Morgan)", text_style)
        wc.write_number(r + 1, 2, report.minimum or 0, text_style)
        r += 3
    wc.write_row(r, 1, ("Nilai interval IKM", "Mutu", "Kinerja"), head_style)
    bands = _bands(GRADES)
    for k, (low, high, mutu, kinerja) in enumerate(bands, start=1):
        wc.write_string(r + k, 1, f"{dec(low, 2)} – {dec(high, 2)}", cell)
        wc.write_string(r + k, 2, mutu, center)
        wc.write_string(r + k, 3, kinerja, cell)
    setup_xlsxwriter(wc, head, head, paper_index)
    wc.set_portrait()
    wb.set_properties({"title": f"Hasil SKM {report.period}", "author": "MPP Planner"})
    wb.close()


def _grade_formula(ref: str, grades, what: int) -> str:
    """=IF(x>=88.31,"A",IF(x>=76.61,"B",IF(x>=65,"C","D"))) (``what`` 1: mutu, 2: kinerja)."""
    text = f"\"{grades[-1][what]}\""
    for lowest, *labels in reversed(grades[:-1]):
        text = f"IF({ref}>={lowest},\"{labels[what - 1]}\",{text})"
    return "=" + text


def _bands(grades) -> list[tuple[Decimal, Decimal, str, str]]:
    """(lowest, highest, mutu, kinerja) of each grade, A first: 88,31–100,00 A Sangat Baik ..."""
    out = []
    high = Decimal("100.00")
    for lowest, mutu, kinerja in grades:
        out.append((lowest, high, mutu, kinerja))
        high = lowest - Decimal("0.01")
    return out


# --- CSV ----------------------------------------------------------------------------------------

def csv_rows(report: SurveyReport):
    """One row per form in the importer's columns: answers as digits, empty when not answered."""
    for f in report.forms:
        yield [f.number or "", f.date.isoformat() if f.date else "", f.gender, f.age_band, f.education,
               f.occupation, f.agency, f.service, f.counter, *("" if a is None else a for a in f.answers), f.note]
