"""The budget tab's reads, without Qt: years, the lines of a year with the names they refer to, the
pick lists, the account code list, the settings and the open gaps — each in a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from mpp_planner.commands import History
from mpp_planner.commands import budget as cmd
from mpp_planner.model import AccountCode, BudgetLine, ItemType, Need, SubActivity, nomenclature
from mpp_planner.model.budget_summary import code_key
from mpp_planner.reads import budget as reads
from tests.helpers import sql_statements


def test_the_years_are_those_with_lines_or_a_ceiling_and_the_projects_own(demo_project):
    assert reads.default_year(demo_project) == 2024
    before = reads.budget_years(demo_project)
    assert 2024 in before and before == sorted(before)
    history = History(demo_project)
    history.push(cmd.AddBudgetLines("Add", [cmd.new_line(
        demo_project, 2027, account_code="5.2.02.05.02.0001", description="Rak", factors=[["1", "Unit"]],
        unit_price=Decimal("1000"))]))
    history.push(cmd.SetCeiling(2030, Decimal("5000000")))
    assert reads.budget_years(demo_project) == sorted({*before, 2027, 2030})
    assert reads.ceiling(demo_project, 2030) == Decimal("5000000") and reads.ceiling(demo_project, 2031) is None


def test_an_empty_project_shows_its_fiscal_year_with_no_lines(empty_project):
    year = reads.default_year(empty_project)
    assert reads.budget_years(empty_project) == [year]
    shown = reads.budget_year(empty_project, year)
    assert (shown.lines, shown.ceiling, shown.need_names) == ([], None, {})


def test_a_year_is_read_in_six_queries_whatever_its_size(demo_project):
    with sql_statements(demo_project) as seen:
        shown = reads.budget_year(demo_project, 2024)
        amounts = sum((b.amount for b in shown.lines), Decimal(0))  # everything shown is loaded already
        names = [(shown.room_names.get(b.room_id), shown.need_names.get(b.need_id)) for b in shown.lines]
        subs = [(s.label, s.lines, s.total) for s in shown.sub_activities]
    assert len(seen) == 6
    assert len(subs) == 2 and {b.sub_activity_id for b in shown.lines} == {s.id for s in shown.sub_activities}
    s = demo_project.session
    assert len(shown.lines) == s.scalar(select(func.count()).select_from(BudgetLine)
                                        .where(BudgetLine.fiscal_year == 2024)) > 10
    assert [(b.position, b.id) for b in shown.lines] == sorted((b.position, b.id) for b in shown.lines)
    assert amounts > 0 and any(need for _room, need in names)
    assert shown.ceiling == reads.ceiling(demo_project, 2024) is not None
    assert shown.account_names["5.2.02.05.02.0001"] == s.get(AccountCode, "5.2.02.05.02.0001").name
    need = s.scalars(select(Need)).first()
    assert shown.need_names[need.id] == f"{need.room.name} — {need.item_type.name}"
    assert reads.budget_line(demo_project, shown.lines[0].id) is shown.lines[0]
    assert reads.budget_line(demo_project, 10_000_000) is None


def test_pick_lists_of_the_line_editors(demo_project):
    codes = reads.account_codes(demo_project)
    assert [c for c, _name in codes] == sorted((c for c, _n in codes), key=code_key)
    places = reads.locations(demo_project)
    assert places and len({p.room_id for p in places}) == len(places)
    with sql_statements(demo_project) as seen:
        needs = reads.need_choices(demo_project)
    assert len(seen) == 2
    assert [n.name for n in needs] == sorted(n.name for n in needs)
    assert len(needs) == demo_project.session.scalar(select(func.count()).select_from(Need))
    budgeted = {n.need_id: n.years for n in needs if n.years}
    assert budgeted and all(2024 in years for years in budgeted.values())
    assert budgeted == {k: tuple(v) for k, v in reads.need_budget_years(demo_project).items()}


def test_a_rejected_line_does_not_count_as_budgeting_its_need(demo_project):
    need_id, years = next(iter(reads.need_budget_years(demo_project).items()))
    covering = [b.id for b in reads.budget_lines(demo_project, years[0]) if b.need_id == need_id]
    History(demo_project).push(cmd.EditBudgetLines("Reject", {i: {"status": "rejected"} for i in covering}))
    assert years[0] not in reads.need_budget_years(demo_project).get(need_id, [])


def test_account_code_list_with_its_use_in_three_queries(demo_project):
    with sql_statements(demo_project) as seen:
        rows = reads.account_code_rows(demo_project)
    assert len(seen) == 3
    s = demo_project.session
    assert [r.code for r in rows] == [c for c, _n in reads.account_codes(demo_project)]
    for row in rows:
        assert row.lines == s.scalar(select(func.count()).select_from(BudgetLine)
                                     .where(BudgetLine.account_code == row.code))
        assert row.items == s.scalar(select(func.count()).select_from(ItemType)
                                     .where(ItemType.account_code == row.code))
    assert any(r.lines for r in rows) and any(r.items for r in rows)


def test_settings_and_open_gaps(demo_project):
    settings = reads.budget_settings(demo_project, 2024)
    site = demo_project.site
    assert (settings.site_name, settings.ppn_rate, settings.title, settings.year) == (
        site.name, site.ppn_rate, site.budget_title, 2024)
    assert settings.ceiling == reads.ceiling(demo_project, 2024)
    with sql_statements(demo_project) as seen:
        gaps = reads.open_gaps(demo_project)
        shown = [(g.need.room.name, g.need.item_type.name, g.cost) for g in gaps]  # loaded already
    assert len(seen) == 5 and len(shown) == len(gaps) > 0
    assert all(g.missing > 0 for g in gaps)
    # the very gaps the budgeting command accepts
    assert [(g.need.id, g.missing, g.years) for g in gaps] == [
        (g.need.id, g.missing, g.years) for g in cmd.open_gaps(demo_project)]
    assert [g.need.id for g in reads.open_gaps(demo_project, count_kb=True)] == [
        g.need.id for g in cmd.open_gaps(demo_project, count_kb=True)]


# --- sub kegiatan ---------------------------------------------------------------------------------

def test_the_sub_kegiatan_of_a_year_with_their_lines_and_totals_in_two_queries(demo_project):
    history = History(demo_project)
    lines = reads.budget_lines(demo_project, 2024)
    history.push(cmd.EditBudgetLines("Reject", {lines[0].id: {"status": "rejected"}}))
    with sql_statements(demo_project) as seen:
        rows = reads.sub_activities(demo_project, 2024)
    assert len(seen) == 2
    s = demo_project.session
    subs = s.scalars(select(SubActivity).where(SubActivity.fiscal_year == 2024)
                     .order_by(SubActivity.position)).all()
    assert [r.id for r in rows] == [sub.id for sub in subs] and len(rows) == 2
    for row, sub in zip(rows, subs):
        own = [b for b in s.scalars(select(BudgetLine)).all() if b.sub_activity_id == sub.id]
        assert row.lines == len(own) > 0  # rejected lines count (they go with it when it is deleted)
        assert row.total == sum((b.amount for b in own if b.status != "rejected"), Decimal(0))
        assert row.values() == {key: getattr(sub, key) for key in reads.SUB_ACTIVITY_FIELDS}
        assert row.label == f"{sub.code} {sub.name}" and row.program and row.allocation_prev is not None
    assert sum(r.lines for r in rows) == len(lines)
    assert reads.sub_activities(demo_project, 2031) == []


def test_a_sub_kegiatan_without_lines_is_listed_with_nothing(demo_project):
    History(demo_project).push(cmd.AddSubActivity(cmd.new_sub_activity(demo_project, 2024, "2.18.01.2.07.0005")))
    row = reads.sub_activities(demo_project, 2024)[-1]
    assert (row.code, row.name, row.lines, row.total) == ("2.18.01.2.07.0005", "Pengadaan Mebel", 0, Decimal(0))
    assert row.activity == nomenclature.context("2.18.01.2.07.0005")["activity"] != ""


def test_the_nomenclature_choices_are_the_sub_kegiatan_of_the_list():
    choices = reads.nomenclature_choices()
    assert [c.code for c in choices] == [e.code for e in nomenclature.sub_activities()]
    assert all(c.code.count(".") == 5 for c in choices)
    mebel = next(c for c in choices if c.code == "2.18.01.2.07.0005")
    assert (mebel.name, mebel.label) == ("Pengadaan Mebel", "2.18.01.2.07.0005 Pengadaan Mebel")
    found = reads.nomenclature_context("2.18.01.2.07.0005")
    assert found["name"] == "Pengadaan Mebel" and found["program"].startswith("PROGRAM PENUNJANG")
    assert found["output_indicator"] == mebel.indicator
    assert reads.nomenclature_context("9.99.99.9.99.9999") == {
        "name": "", "output_indicator": "", "affair": "", "affair_field": "", "program": "", "activity": ""}
