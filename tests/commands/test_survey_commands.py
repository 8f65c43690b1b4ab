"""Survey commands: periods (unique names), forms in bulk as one undo step, follow-up actions; the file
after reopening."""

import pytest
from sqlalchemy import select

from mpp_planner.commands import History
from mpp_planner.commands.survey import (AddAction, AddResponses, AddSurveyPeriod, EditAction, EditResponses,
                                         EditSurveyPeriod, delete_actions, delete_period, delete_responses,
                                         new_action, new_period, response_values)
from mpp_planner.model import (Agency, BudgetLine, SurveyAction, SurveyPeriod, SurveyResponse,
                               ValidationError)
from mpp_planner.model.survey import default_questionnaire
from tests.conftest import reopen
from tests.helpers import file_rows


def _period(project, history, name="2025 Semester I", **values):
    cmd = AddSurveyPeriod(new_period(project, name, **values))
    history.push(cmd)
    return cmd.period.id


def _forms(period_id, n, **values):
    return [SurveyResponse(period_id=period_id, number=i + 1, answers=[1 + (i + k) % 4 for k in range(9)], **values)
            for i in range(n)]


def test_add_edit_delete_period_with_undo(empty_project):
    h = History(empty_project)
    pid = _period(empty_project, h, population=500)
    period = empty_project.get(SurveyPeriod, pid)
    assert period.questionnaire == list(default_questionnaire()) and period.population == 500
    h.push(EditSurveyPeriod(pid, {"name": "2025 Semester II", "population": 800}))
    assert empty_project.get(SurveyPeriod, pid).name == "2025 Semester II"
    h.undo()
    assert empty_project.get(SurveyPeriod, pid).name == "2025 Semester I"
    project = reopen(empty_project)
    try:
        assert [r[1] for r in file_rows(project.path, "survey_period")] == ["2025 Semester I"]
    finally:
        project.close()


def test_duplicate_period_name_refused_naming_it(empty_project):
    h = History(empty_project)
    pid = _period(empty_project, h)
    other = _period(empty_project, h, "2025 Semester II")
    with pytest.raises(ValidationError, match="'2025 semester i'"):
        h.push(AddSurveyPeriod(new_period(empty_project, "2025 semester i")))
    with pytest.raises(ValidationError, match="already a survey period named '2025 Semester I'"):
        h.push(EditSurveyPeriod(other, {"name": "2025 Semester I"}))
    assert empty_project.get(SurveyPeriod, other).name == "2025 Semester II"
    assert len(h.done) == 2 and pid
    with pytest.raises(ValidationError):
        h.push(EditSurveyPeriod(pid, {"start_date": "2025-06-30", "end_date": "2025-01-01"}))


def test_200_forms_one_undo_step_and_redo(demo_project):
    h = History(demo_project)
    pid = _period(demo_project, h)
    agency = demo_project.session.scalars(select(Agency).order_by(Agency.id)).first()
    service = agency.services[0]
    cmd = AddResponses("Add forms", _forms(pid, 200, agency_id=agency.id, service_id=service.id, gender="P"))
    h.push(cmd)
    assert len(h.done) == 2 and len(cmd.created_ids) == 200
    count = lambda: len(demo_project.session.scalars(  # noqa: E731
        select(SurveyResponse.id).where(SurveyResponse.period_id == pid)).all())
    assert count() == 200
    h.undo()
    assert count() == 0
    h.redo()
    assert count() == 200
    project = reopen(demo_project)
    try:
        rows = [r for r in file_rows(project.path, "survey_response") if r[1] == pid]
        assert len(rows) == 200 and {r[4] for r in rows} == {"P"}
        assert sorted(r[0] for r in rows) == sorted(cmd.created_ids)
    finally:
        project.close()


def test_forms_checked_inside_the_transaction(demo_project):
    h = History(demo_project)
    pid = _period(demo_project, h)
    a, b = demo_project.session.scalars(select(Agency).order_by(Agency.id).limit(2)).all()
    forms = _forms(pid, 3) + [SurveyResponse(period_id=pid, number=9, answers=[4] * 9, agency_id=a.id,
                                             service_id=b.services[0].id)]
    with pytest.raises(ValidationError, match="form no. 9"):
        h.push(AddResponses("Add forms", forms))
    with pytest.raises(ValidationError, match="no longer exists"):
        h.push(AddResponses("Add", [SurveyResponse(period_id=pid, answers=[4] * 9, agency_id=99999)]))
    assert demo_project.session.scalars(select(SurveyResponse.id).where(SurveyResponse.period_id == pid)).all() == []
    with pytest.raises(ValidationError):
        SurveyResponse(period_id=pid, answers=[5] * 9)
    with pytest.raises(ValidationError):
        response_values(period_id=pid, answers=[1, 2, 3])


def test_edit_and_delete_forms(demo_project):
    h = History(demo_project)
    pid = _period(demo_project, h)
    cmd = AddResponses("Add", _forms(pid, 5))
    h.push(cmd)
    first = cmd.created_ids[0]
    h.push(EditResponses("Edit", {first: {"answers": [4] * 9, "note": "ok"}}))
    assert demo_project.get(SurveyResponse, first).answers == [4] * 9
    with pytest.raises(ValidationError):
        h.push(EditResponses("Edit", {first: {"agency_id": 99999}}))
    assert demo_project.get(SurveyResponse, first).agency_id is None
    h.push(delete_responses(cmd.created_ids[:2]))
    assert demo_project.get(SurveyResponse, first) is None
    h.undo()
    assert demo_project.get(SurveyResponse, first).note == "ok"


def test_delete_period_takes_forms_and_actions_undo_restores(demo_project):
    h = History(demo_project)
    pid = _period(demo_project, h)
    h.push(AddResponses("Add", _forms(pid, 10)))
    line = demo_project.session.scalars(select(BudgetLine).order_by(BudgetLine.id)).first()
    add = AddAction(new_action(pid, 9, "Tambah kursi tunggu", budget_line_id=line.id))
    h.push(add)
    h.push(delete_period(demo_project, pid))
    assert demo_project.get(SurveyPeriod, pid) is None
    assert demo_project.session.scalars(select(SurveyAction).where(SurveyAction.period_id == pid)).all() == []
    h.undo()
    project = reopen(demo_project)
    try:
        assert len([r for r in file_rows(project.path, "survey_response") if r[1] == pid]) == 10
        assert [r[3] for r in file_rows(project.path, "survey_action") if r[1] == pid] == ["Tambah kursi tunggu"]
    finally:
        project.close()


def test_actions_add_edit_delete(demo_project):
    h = History(demo_project)
    pid = _period(demo_project, h)
    add = AddAction(new_action(pid, 3, "Tambah loket"))
    h.push(add)
    aid = add.created_ids[0]
    h.push(EditAction(aid, {"status": "done", "owner": "Koordinator"}))
    assert demo_project.get(SurveyAction, aid).status == "done"
    with pytest.raises(ValidationError, match="budget line"):
        h.push(EditAction(aid, {"budget_line_id": 999999}))
    with pytest.raises(ValidationError):
        h.push(AddAction(new_action(pid, 10, "x")))
    h.push(delete_actions([aid]))
    assert demo_project.get(SurveyAction, aid) is None
    h.undo()
    assert demo_project.get(SurveyAction, aid).owner == "Koordinator"


def test_a_form_number_is_entered_once_per_period(demo_project):
    from mpp_planner.commands import History
    from mpp_planner.commands import survey as cmd
    from mpp_planner.model import SurveyResponse, ValidationError
    from mpp_planner.reads.survey import periods, responses

    p = demo_project
    period = periods(p)[0]
    taken = next(r.number for r in responses(p, period.id) if r.number)
    before = len(responses(p, period.id))
    twin = SurveyResponse(period_id=period.id, number=taken, answers=[4] * 9)
    with pytest.raises(ValidationError, match=str(taken)):
        History(p).push(cmd.AddResponses("add", [twin]))
    pair = [SurveyResponse(period_id=period.id, number=9001, answers=[3] * 9),
            SurveyResponse(period_id=period.id, number=9001, answers=[2] * 9)]
    with pytest.raises(ValidationError, match="9001"):
        History(p).push(cmd.AddResponses("add", pair))
    assert len(responses(p, period.id)) == before
    History(p).push(cmd.AddResponses("add", [SurveyResponse(period_id=period.id, number=0, answers=[3] * 9),
                                             SurveyResponse(period_id=period.id, number=0, answers=[3] * 9)]))
    assert len(responses(p, period.id)) == before + 2
