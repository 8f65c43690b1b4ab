"""Survey reads: results equal skm.compute on the same answers, per agency/service/counter, trend, profile,
sample status, actions and choices, each in a bounded number of queries."""

import json
import sqlite3

from sqlalchemy import select

from mpp_planner.commands import History
from mpp_planner.commands.survey import AddResponses, AddSurveyPeriod, new_period
from mpp_planner.model import Counter, SurveyResponse
from mpp_planner.model.skm import compute, minimum_sample
from mpp_planner.reads import survey as reads
from tests.helpers import sql_statements


def _ids(project):
    return {p.name: p.id for p in reads.periods(project)}


def _file_answers(path, period_id):
    con = sqlite3.connect(path)
    try:
        return [json.loads(a) for (a,) in con.execute("SELECT answers FROM survey_response WHERE period_id = ?",
                                                      (period_id,))]
    finally:
        con.close()


def test_results_equal_compute_on_the_file_answers(demo_project):
    ids = _ids(demo_project)
    assert list(ids) == ["2024 Semester I", "2024 Semester II"]
    for pid in ids.values():
        expected = compute(_file_answers(demo_project.path, pid))
        with sql_statements(demo_project) as seen:
            got = reads.results(demo_project, pid)
        assert got == expected and len(seen) == 1
    first = reads.results(demo_project, ids["2024 Semester I"])
    assert first.respondents == 152 and [u.unsur for u in first.weakest(2)] == [9, 3]


def test_results_by_agency_service_counter(demo_project):
    pid = _ids(demo_project)["2024 Semester I"]
    by_agency = reads.results_by(demo_project, pid, "agency")
    assert sum(g.result.respondents for g in by_agency) == 152
    dukcapil = next(g for g in by_agency if g.label == "Dispendukcapil")
    forms = [r.answers for r in reads.responses(demo_project, pid)
             if r.agency_id == next(i for i, n in reads.entry_choices(demo_project).agencies if n == "Dispendukcapil")]
    assert dukcapil.result == compute(forms)
    by_service = reads.results_by(demo_project, pid, "service")
    assert sum(g.result.respondents for g in by_service) == 152 and all(" - " in g.label for g in by_service)
    # counters: put three forms on the first counter
    counter = demo_project.session.scalars(select(Counter).order_by(Counter.id)).first()
    h = History(demo_project)
    h.push(AddResponses("Add", [SurveyResponse(period_id=pid, answers=[4] * 9, counter_id=counter.id)] * 1
                        + [SurveyResponse(period_id=pid, answers=[3] * 9, counter_id=counter.id) for _ in range(2)]))
    with sql_statements(demo_project) as seen:
        by_counter = reads.results_by(demo_project, pid, "counter")
    assert len(seen) <= 2
    assert by_counter[0].label == counter.label and by_counter[0].result.respondents == 3
    assert by_counter[0].result.ikm == compute([[4] * 9, [3] * 9, [3] * 9]).ikm
    assert by_counter[-1].label == "-" and by_counter[-1].result.respondents == 152


def test_trend_over_two_periods_and_periods_batched(demo_project):
    with sql_statements(demo_project) as seen:
        trend = reads.trend(demo_project)
    assert len(seen) == 2
    assert [t.name for t in trend] == ["2024 Semester I", "2024 Semester II"]
    assert [t.respondents for t in trend] == [152, 181]
    assert trend[0].ikm is not None and trend[1].ikm is not None
    assert trend[0].ikm < trend[1].ikm and trend[1].mutu == "B"
    h = History(demo_project)
    h.push(AddSurveyPeriod(new_period(demo_project, "2025 Semester I")))
    assert reads.trend(demo_project)[-1] == reads.TrendPoint("2025 Semester I", 0, None, "-")


def test_profile_counts(demo_project):
    pid = _ids(demo_project)["2024 Semester II"]
    rows = reads.responses(demo_project, pid)
    with sql_statements(demo_project) as seen:
        prof = reads.profile(demo_project, pid)
    assert len(seen) == 1
    assert set(prof) == {"gender", "age_band", "education", "occupation"}
    for field in prof:
        assert sum(n for _v, n in prof[field]) == 181
        assert dict(prof[field]) == {v: sum(1 for r in rows if getattr(r, field) == v) for v, _n in prof[field]}
    assert [v for v, _n in prof["gender"]] == ["L", "P"]
    assert prof["age_band"][0][0] == "< 20 tahun"  # the usual order, not by count


def test_sample_status(demo_project):
    ids = _ids(demo_project)
    status = reads.sample_status(demo_project, ids["2024 Semester I"])
    assert status == reads.SampleStatus(18_450, minimum_sample(18_450), 152, False)
    h = History(demo_project)
    cmd = AddSurveyPeriod(new_period(demo_project, "Kecil", population=10))
    h.push(cmd)
    h.push(AddResponses("Add", [SurveyResponse(period_id=cmd.period.id, answers=[3] * 9) for _ in range(10)]))
    assert reads.sample_status(demo_project, cmd.period.id) == reads.SampleStatus(10, 10, 10, True)
    h.push(AddSurveyPeriod(new_period(demo_project, "Tanpa populasi")))
    unknown = reads.sample_status(demo_project, _ids(demo_project)["Tanpa populasi"])
    assert unknown.minimum is None and unknown.enough is False


def test_actions_detail_and_choices(demo_project):
    pid = _ids(demo_project)["2024 Semester I"]
    with sql_statements(demo_project) as seen:
        acts = reads.actions(demo_project, pid)
    assert len(seen) <= 5
    linked = next(a for a in acts if a.unsur == 9)
    assert linked.unsur_name == "Sarana dan Prasarana" and linked.budget_line_id and "AC Floor Standing" in linked.link
    detail = reads.period_detail(demo_project, pid)
    assert detail is not None
    assert detail.population == 18_450 and detail.unsur_names[2] == "Waktu Penyelesaian"
    assert reads.period_detail(demo_project, 99999) is None
    choices = reads.entry_choices(demo_project)
    assert ("L", "Male") in choices.genders or ("L", "Laki-laki") in choices.genders
    assert "SMA/SMK" in choices.educations and choices.agencies and choices.services and choices.counters
    links = reads.link_choices(demo_project)
    assert links.findings and links.needs and links.budget_lines
    rows = reads.responses(demo_project, pid)
    assert len(rows) == 152 and [r.number for r in rows] == sorted(r.number for r in rows)
