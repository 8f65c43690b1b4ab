"""Budget commands against a real project file: checks at the boundary, undo/redo, reopen."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from mpp_planner.commands import History
from mpp_planner.commands import budget as cmd
from mpp_planner.model import AccountCode, BudgetCeiling, BudgetLine, Need, ValidationError
from tests.conftest import reopen


def count_lines(project, year=2024):
    return project.session.scalar(select(func.count()).select_from(BudgetLine).where(BudgetLine.fiscal_year == year))


def test_unknown_account_code_is_refused_and_nothing_is_saved(demo_project):
    history = History(demo_project)
    before = count_lines(demo_project)
    good = cmd.new_line(demo_project, 2024, account_code="5.2.02.05.02.0001", description="Kursi",
                        factors=[["2", "Unit"]], unit_price=Decimal("850000"))
    bad = cmd.new_line(demo_project, 2024, account_code="5.2.02.99.99.9999", description="Kursi",
                       factors=[["2", "Unit"]], unit_price=Decimal("850000"))
    with pytest.raises(ValidationError, match="not in the account code list"):
        history.push(cmd.AddBudgetLines("Add", [good, bad]))
    assert not history.done
    project = reopen(demo_project)
    try:
        assert count_lines(project) == before
    finally:
        project.close()


def test_edit_refuses_absurd_amounts_and_keeps_the_old_values(demo_project):
    history = History(demo_project)
    line = cmd.lines_of_year(demo_project, 2024)[0]
    old = (line.factors, line.unit_price)
    # each value is fine alone, together the amount passes Rp1.000 triliun
    with pytest.raises(ValidationError, match="more than Rp1.000 triliun"):
        history.push(cmd.EditBudgetLines("Edit", {line.id: {"factors": [["100000", "Unit"], ["100000", "Bulan"]],
                                                            "unit_price": Decimal("999999999")}}))
    with pytest.raises(ValidationError, match="too large"):
        history.push(cmd.EditBudgetLines("Edit", {line.id: {"unit_price": Decimal("1e16")}}))
    with pytest.raises(ValidationError, match="must not be empty"):
        history.push(cmd.EditBudgetLines("Edit", {line.id: {"description": " "}}))
    ident = line.id
    project = reopen(demo_project)
    try:
        again = project.get(BudgetLine, ident)
        assert (again.factors, again.unit_price) == old
    finally:
        project.close()


def test_edit_undo_redo_and_file(demo_project):
    history = History(demo_project)
    line = next(b for b in cmd.lines_of_year(demo_project, 2024) if b.status == "requested")
    ident, old_price = line.id, line.unit_price
    history.push(cmd.EditBudgetLines("Price", {ident: cmd.line_field_changes(line, "approved_amount",
                                                                            Decimal("1000"))}))
    assert demo_project.get(BudgetLine, ident).status == "approved"
    history.undo()
    assert demo_project.get(BudgetLine, ident).approved_amount is None
    assert demo_project.get(BudgetLine, ident).status == "requested"
    history.push(cmd.EditBudgetLines("Price", {ident: {"unit_price": Decimal("123456")}}))
    history.undo()
    history.redo()
    project = reopen(demo_project)
    try:
        assert project.get(BudgetLine, ident).unit_price == Decimal("123456.00") != old_price
    finally:
        project.close()


def test_move_lines_within_their_account(demo_project):
    history = History(demo_project)
    lines = cmd.lines_of_year(demo_project, 2024)
    code = "5.2.02.05.02.0001"
    siblings = [b.id for b in lines if b.account_code == code]
    history.push(cmd.move_lines(demo_project, 2024, [siblings[2]], -1))
    after = [b.id for b in cmd.lines_of_year(demo_project, 2024) if b.account_code == code]
    assert after[:3] == [siblings[0], siblings[2], siblings[1]]
    assert cmd.move_lines(demo_project, 2024, [siblings[0]], -1) is None  # already first
    history.undo()
    assert [b.id for b in cmd.lines_of_year(demo_project, 2024) if b.account_code == code] == siblings


def test_copy_year_and_undo(demo_project):
    history = History(demo_project)
    lines = cmd.lines_of_year(demo_project, 2024)
    history.push(cmd.copy_year(demo_project, 2024, 2025))
    copies = cmd.lines_of_year(demo_project, 2025)
    assert len(copies) == len([b for b in lines if b.status != "rejected"])
    assert {b.status for b in copies} == {"requested"}
    assert all(b.approved_amount is None for b in copies)
    assert [b.description for b in copies] == [b.description for b in lines if b.status != "rejected"]
    history.undo()
    assert count_lines(demo_project, 2025) == 0
    history.redo()
    project = reopen(demo_project)
    try:
        assert count_lines(project, 2025) == len(copies)
        with pytest.raises(ValidationError, match="no lines"):
            cmd.copy_year(project, 2030, 2031)
    finally:
        project.close()


def test_budget_the_gaps(demo_project):
    history = History(demo_project)
    gaps = cmd.open_gaps(demo_project)
    assert gaps and all(g.missing > 0 for g in gaps)
    by_need = {g.need.id: g for g in gaps}
    chosen = [g.need.id for g in gaps[:3]]
    history.push(cmd.budget_gaps(demo_project, chosen, 2025))
    new = cmd.lines_of_year(demo_project, 2025)
    assert [b.need_id for b in new] == chosen
    for b in new:
        g = by_need[b.need_id]
        assert b.unit_price == g.need.item_type.ref_price
        assert b.account_code == g.need.item_type.account_code
        assert b.coefficient == g.missing
        assert b.ppn_rate == demo_project.site.ppn_rate
        assert b.justification == g.need.reason
    years = cmd.need_budget_years(demo_project)
    assert all(2025 in years[n] for n in chosen)
    history.undo()
    assert count_lines(demo_project, 2025) == 0
    assert all(2025 not in cmd.need_budget_years(demo_project).get(n, []) for n in chosen)
    with pytest.raises(ValidationError, match="no open gap"):
        cmd.budget_gaps(demo_project, [999999], 2025)
    with pytest.raises(ValidationError, match="at least one"):
        cmd.budget_gaps(demo_project, [], 2025)


def test_gaps_with_an_unknown_catalog_code_are_refused(demo_project):
    gap = cmd.open_gaps(demo_project)[0]
    code = gap.need.item_type.account_code
    with demo_project.edit():
        gap.need.item_type.account_code = "5.9.99"
    with pytest.raises(ValidationError, match="not in the account code list"):
        cmd.budget_gaps(demo_project, [gap.need.id], 2025)
    assert code


def test_account_code_list_add_rename_delete(demo_project):
    history = History(demo_project)
    history.push(cmd.add_account_code(demo_project, "5.2.02.99", "Uji"))
    assert demo_project.get(AccountCode, "5.2.02.99").name == "Uji"
    with pytest.raises(ValidationError, match="already in the list"):
        history.push(cmd.add_account_code(demo_project, "5.2.02.99", "Lagi"))
    with pytest.raises(ValidationError, match="pattern"):
        cmd.add_account_code(demo_project, "5-2-02", "Salah")
    history.push(cmd.rename_account_code("5.2.02.99", "Uji Coba"))
    with pytest.raises(ValidationError, match="still used by"):
        history.push(cmd.DeleteAccountCodes(["5.2.02.05.02.0001"]))
    history.push(cmd.DeleteAccountCodes(["5.2.02.99"]))
    assert demo_project.get(AccountCode, "5.2.02.99") is None
    history.undo()
    assert demo_project.get(AccountCode, "5.2.02.99").name == "Uji Coba"
    history.undo()
    history.undo()
    assert demo_project.get(AccountCode, "5.2.02.99") is None
    history.redo()
    assert demo_project.get(AccountCode, "5.2.02.99").name == "Uji"


def test_settings_rate_ceiling_title_one_undo_step(demo_project):
    history = History(demo_project)
    site = demo_project.site
    history.push(cmd.budget_settings(demo_project, year=2024, ppn_rate=Decimal("12"), ceiling=Decimal("1000"),
                                     title="USULAN {mpp} TA {year}"))
    assert (site.ppn_rate, site.budget_title) == (Decimal("12.00"), "USULAN {mpp} TA {year}")
    assert demo_project.get(BudgetCeiling, 2024).amount == Decimal("1000.00")
    assert {b.ppn_rate for b in cmd.lines_of_year(demo_project, 2024) if b.ppn_applied} == {Decimal("12.00")}
    with pytest.raises(ValidationError, match="Unknown placeholder"):
        history.push(cmd.budget_settings(demo_project, year=2024, ppn_rate=Decimal("11"), ceiling=None,
                                         title="USULAN {kota}"))
    assert site.ppn_rate == Decimal("12.00")  # the refused macro left nothing behind
    history.undo()
    assert site.ppn_rate == Decimal("11.00")
    assert demo_project.get(BudgetCeiling, 2024).amount == Decimal("2950000000.00")
    history.push(cmd.budget_settings(demo_project, year=2030, ppn_rate=Decimal("11"), ceiling=Decimal("5"),
                                     title=site.budget_title))
    assert demo_project.get(BudgetCeiling, 2030).amount == Decimal("5.00")
    history.undo()
    assert demo_project.get(BudgetCeiling, 2030) is None


def test_deleting_a_need_keeps_the_line(demo_project):
    line = next(b for b in cmd.lines_of_year(demo_project, 2024) if b.need_id)
    history = History(demo_project)
    from mpp_planner.commands import DeleteObjects

    history.push(DeleteObjects("Delete need", Need, [line.need_id]))
    assert demo_project.get(BudgetLine, line.id).need_id is None
    history.undo()
    assert demo_project.get(BudgetLine, line.id).need_id is not None


# --- gaps to lines keep the finding's priority ------------------------------------------------

def needs_of_every_severity(project, history):
    """Needs made from a high, a medium and a low standards finding (the shipped rule ids and their
    severities) and one typed in by hand; their ids in that order."""
    from mpp_planner.commands.generic import AddObjects
    from mpp_planner.commands.inventory import needs_from_findings
    from mpp_planner.model import ItemType, NeedSource, Room
    from mpp_planner.standards import Finding, Severity, SuggestedNeed

    findings = [Finding(rule, severity, "test", suggestion=SuggestedNeed(item, Decimal(2), room))
                for rule, severity, item, room in (("cctv_per_floor", Severity.HIGH, "kipas_angin", 7),
                                                   ("ac_public_rooms", Severity.MEDIUM, "tempat_sampah", 8),
                                                   ("banners", Severity.LOW, "papan_petunjuk", 9))]
    result = needs_from_findings(project, findings)
    assert len(result.created) == 3
    history.push(result.command)
    manual = Need(source=NeedSource.MANUAL.value, reason="typed in")
    manual.item_type = project.session.scalar(select(ItemType).where(ItemType.key == "dispenser"))
    manual.room = project.get(Room, 10)
    manual.quantity = Decimal(1)
    history.push(AddObjects("Add need", [manual]))
    return [n.id for n in result.created] + [manual.id]


def priorities(project, year, ids):
    by_need = {b.need_id: b.priority for b in cmd.lines_of_year(project, year)}
    return [by_need.get(i) for i in ids]


def test_gaps_take_the_priority_of_their_finding(demo_project):
    history = History(demo_project)
    ids = needs_of_every_severity(demo_project, history)
    history.push(cmd.budget_gaps(demo_project, ids, 2027))  # priority=None: from the finding, others 2
    assert priorities(demo_project, 2027, ids) == [1, 2, 3, 2]
    history.undo()
    assert count_lines(demo_project, 2027) == 0
    history.push(cmd.budget_gaps(demo_project, ids, 2027, default_priority=3))  # the hand-typed need only
    assert priorities(demo_project, 2027, ids) == [1, 2, 3, 3]
    history.undo()
    history.push(cmd.budget_gaps(demo_project, ids, 2027, priority=3))  # one priority for all
    assert priorities(demo_project, 2027, ids) == [3, 3, 3, 3]
    project = reopen(demo_project)
    try:
        assert priorities(project, 2027, ids) == [3, 3, 3, 3]
    finally:
        project.close()


def test_the_severity_is_read_from_the_rule_set_when_the_lines_are_made(demo_project):
    from mpp_planner.standards import parse_rules

    history = History(demo_project)
    ids = needs_of_every_severity(demo_project, history)
    needs = [demo_project.get(Need, i) for i in ids]
    assert cmd.finding_priorities(needs) == {ids[0]: 1, ids[1]: 2, ids[2]: 3}
    # the rule now says low: the need follows the rule, a rule no longer in the set gives the default
    rules = parse_rules('[rules.cctv_per_floor]\nkind = "counters_have_agency"\nseverity = "low"\n')
    assert cmd.finding_priorities(needs, rules) == {ids[0]: 3}
    with demo_project.edit():
        needs[1].rule_id = "retired_rule"
    history.push(cmd.budget_gaps(demo_project, ids[:2], 2027))
    assert priorities(demo_project, 2027, ids[:2]) == [1, 2]
