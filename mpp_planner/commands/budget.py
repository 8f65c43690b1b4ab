"""Undoable budget edits: lines, reordering, copying a year, budgeting open gaps, the account
code list, the ceiling (pagu) and the sheet settings.

Checks the model cannot make on one row are made here, inside the same transaction as the
edit, so a refused edit leaves nothing behind: a line's account code must be in the project's
account list (the model only checks its pattern) and its amount must stay below Rp1.000 triliun.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from mpp_planner.commands.base import Command, MacroCommand
from mpp_planner.commands.generic import AddObjects, DeleteObjects, SetFields
from mpp_planner.i18n import _
from mpp_planner.model import (AccountCode, BudgetCeiling, BudgetLine, BudgetStatus, ItemType, Site, SubActivity,
                               ValidationError)
from mpp_planner.model import nomenclature
from mpp_planner.model.base import MAX_MONEY
from mpp_planner.model.budget_input import check_title_template
from mpp_planner.project import Project, RowSnapshot
from mpp_planner.reads.budget import finding_priorities
from mpp_planner.reads.budget import OpenGap, need_budget_years, open_gaps  # noqa: F401 - callers import them here


# --- checks at the project boundary ---------------------------------------------------------

def account_names(project: Project) -> dict[str, str]:
    return dict(project.session.execute(select(AccountCode.code, AccountCode.name)).all())


def check_account_code(project: Project, code: str) -> None:
    if project.session.get(AccountCode, code) is None:
        raise ValidationError("account_code", _(
            "Account code '{code}' is not in the account code list; add it to the list first.").format(code=code))


def check_line(project: Project, line: BudgetLine) -> None:
    """What a line must satisfy beyond its own fields."""
    check_account_code(project, line.account_code)
    sub = line.sub_activity if line.sub_activity is not None else (
        project.session.get(SubActivity, line.sub_activity_id) if line.sub_activity_id is not None else None)
    if sub is None:
        raise ValidationError("sub_activity_id", _("Every budget line belongs to a sub kegiatan."))
    if sub.fiscal_year != line.fiscal_year:
        raise ValidationError("sub_activity_id", _(
            "Sub kegiatan {code} belongs to the budget of {year}, not {line_year}.").format(
                code=sub.code, year=sub.fiscal_year, line_year=line.fiscal_year))
    if line.amount > MAX_MONEY:
        raise ValidationError("amount", _(
            "The amount of '{line}' would be more than Rp1.000 triliun; check the coefficient and the "
            "unit price.").format(line=line.description))
    if line.approved_amount is not None and line.approved_amount > MAX_MONEY:
        raise ValidationError("approved_amount", _("Approved amount is too large."))


# --- lines ----------------------------------------------------------------------------------

class AddBudgetLines(AddObjects):
    """Add new lines (checked first: nothing is added when one is refused). A sub kegiatan made for
    them (a year that had none, a copied year) is added with them and goes with them on undo."""

    def redo(self, project: Project) -> None:
        if self.snapshot is not None:
            super().redo(project)
            return
        fresh = [line.sub_activity for line in self.objects
                 if isinstance(line, BudgetLine) and line.sub_activity is not None and line.sub_activity.id is None]
        self.objects = list(dict.fromkeys(fresh)) + [o for o in self.objects if o not in fresh]
        with project.edit():
            for sub in dict.fromkeys(fresh):
                check_sub_activity(project, sub)
            for line in self.objects:
                if isinstance(line, BudgetLine):
                    check_line(project, line)
            super().redo(project)

    @property
    def created_ids(self) -> list[Any]:
        """The ids of the added lines (not of a sub kegiatan made for them)."""
        return [ident for table, ident in self.ids if table == BudgetLine.__tablename__]


class EditBudgetLines(SetFields):
    """Set fields of budget lines ``{id: {field: value}}``; refused as a whole if one line fails."""

    def __init__(self, text: str, changes: dict[int, dict[str, Any]], merge_key=None):
        super().__init__(text, BudgetLine, changes, merge_key)

    def redo(self, project: Project) -> None:
        with project.edit():
            super().redo(project)
            for ident in self.new:
                check_line(project, project.get(BudgetLine, ident))


def line_field_changes(line: BudgetLine, field: str, value) -> dict[str, Any]:
    """The fields one cell edit sets. Typing an approved amount on a line that is not yet
    approved approves it; approving keeps the amount empty (= approved as requested)."""
    changes = {field: value}
    if field == "approved_amount" and value is not None and line.status != BudgetStatus.APPROVED.value:
        changes["status"] = BudgetStatus.APPROVED.value
    return changes


def new_line(project: Project, year: int, **values) -> BudgetLine:
    """A line with the project's defaults (PPN rate, next position, the year's first sub kegiatan, made
    from the nomenclature when the year has none) and ``values``."""
    site = project.site
    position = project.session.scalar(
        select(func.max(BudgetLine.position)).where(BudgetLine.fiscal_year == year)) or 0
    defaults = dict(fiscal_year=year, ppn_rate=site.ppn_rate, ppn_applied=True, priority=2,
                    status=BudgetStatus.REQUESTED.value, position=position + 1, unit="Unit")
    defaults.update(values)
    if defaults.get("sub_activity_id") is None and defaults.get("sub_activity") is None:
        defaults.pop("sub_activity_id", None)
        defaults["sub_activity"] = year_sub_activity(project, year)
    return BudgetLine(**defaults)


# --- sub kegiatan ---------------------------------------------------------------------------

DEFAULT_SUB_ACTIVITY = "2.18.01.2.07.0006"  # Pengadaan Peralatan dan Mesin Lainnya


def sub_activities_of_year(project: Project, year: int) -> list[SubActivity]:
    return list(project.session.scalars(select(SubActivity).where(SubActivity.fiscal_year == year)
                                        .order_by(SubActivity.position, SubActivity.code)))


def new_sub_activity(project: Project, year: int, code: str, **values) -> SubActivity:
    """A sub kegiatan of ``year`` filled from the nomenclature (names of its urusan, bidang, program and
    kegiatan, its output indicator) and the project (organisation, unit, location), then ``values``."""
    entry = nomenclature.entries().get(str(code).strip())
    site = project.site
    position = project.session.scalar(
        select(func.max(SubActivity.position)).where(SubActivity.fiscal_year == year))
    fields: dict[str, Any] = dict(
        fiscal_year=year, code=code, name=entry.name if entry else "",
        organisation=site.operator_office, unit=site.upt_name or site.operator_office, location=site.city,
        schedule="Januari s.d. Desember", output_indicator=entry.indicator if entry else "",
        position=0 if position is None else position + 1)
    fields.update(nomenclature.context(str(code).strip()))
    fields.update(values)
    return SubActivity(**fields)


def year_sub_activity(project: Project, year: int) -> SubActivity:
    """The year's first sub kegiatan; a new one (not yet added) when the year has none."""
    existing = sub_activities_of_year(project, year)
    return existing[0] if existing else new_sub_activity(project, year, DEFAULT_SUB_ACTIVITY)


def check_sub_activity(project: Project, sub: SubActivity) -> None:
    twin = project.session.scalar(select(SubActivity).where(
        SubActivity.fiscal_year == sub.fiscal_year, SubActivity.code == sub.code, SubActivity.id != sub.id))
    if twin is not None:
        raise ValidationError("code", _("The budget of {year} already has sub kegiatan {code}.").format(
            year=sub.fiscal_year, code=sub.code))


class AddSubActivity(AddObjects):
    """Add a sub kegiatan to a year's budget (refused when the year already has its code)."""

    def __init__(self, sub: SubActivity):
        super().__init__(_("Add sub kegiatan {code}").format(code=sub.code), [sub])

    def redo(self, project: Project) -> None:
        if self.snapshot is None:
            with project.edit():
                check_sub_activity(project, self.objects[0])
        super().redo(project)


class EditSubActivity(SetFields):
    """Set fields of one sub kegiatan (its context block); the code stays unique within the year."""

    def __init__(self, sub_id: int, fields: dict[str, Any]):
        super().__init__(_("Edit sub kegiatan"), SubActivity, {sub_id: fields})

    def redo(self, project: Project) -> None:
        with project.edit():
            super().redo(project)
            for ident in self.new:
                check_sub_activity(project, project.get(SubActivity, ident))


def delete_sub_activity(project: Project, sub_id: int) -> Command:
    """Delete a sub kegiatan with its lines (undo brings both back)."""
    sub = project.get(SubActivity, sub_id)
    return DeleteObjects(_("Delete sub kegiatan {code}").format(code=sub.code), SubActivity, [sub_id])


def move_to_sub_activity(project: Project, line_ids, sub_id: int) -> Command:
    """Put the chosen lines under another sub kegiatan of the same year."""
    sub = project.get(SubActivity, sub_id)
    ids = [i for i in dict.fromkeys(line_ids) if project.get(BudgetLine, i).sub_activity_id != sub_id]
    if not ids:
        raise ValidationError("sub_activity_id", _("The chosen lines are already under {code}.").format(code=sub.code))
    return EditBudgetLines(_("Move {n} lines to sub kegiatan {code}").format(n=len(ids), code=sub.code),
                           {i: {"sub_activity_id": sub_id} for i in ids})


def delete_lines(ids) -> Command:
    ids = list(ids)
    return DeleteObjects(_("Delete {n} budget lines").format(n=len(ids)) if len(ids) > 1 else
                         _("Delete budget line"), BudgetLine, ids)


def lines_of_year(project: Project, year: int) -> list[BudgetLine]:
    return list(project.session.scalars(
        select(BudgetLine).where(BudgetLine.fiscal_year == year).order_by(BudgetLine.position, BudgetLine.id)))


def move_lines(project: Project, year: int, ids, step: int) -> Command | None:
    """Move the selected lines one place up (step -1) or down (+1) among the lines of the same
    account under the same sub kegiatan (the rows they are shown between). None when nothing can move."""
    lines = lines_of_year(project, year)
    chosen = set(ids)
    order = [b.id for b in lines]
    by_id = {b.id: b for b in lines}
    moved = False
    groups = {(by_id[i].sub_activity_id, by_id[i].account_code) for i in chosen if i in by_id}
    for group in groups:
        siblings = [i for i in order if (by_id[i].sub_activity_id, by_id[i].account_code) == group]
        slots = [order.index(i) for i in siblings]
        seq = list(siblings)
        rng = range(1, len(seq)) if step < 0 else range(len(seq) - 2, -1, -1)
        for k in rng:
            j = k + step
            if seq[k] in chosen and seq[j] not in chosen:
                seq[k], seq[j] = seq[j], seq[k]
                moved = True
        for slot, ident in zip(slots, seq):
            order[slot] = ident
    if not moved:
        return None
    changes = {ident: {"position": pos} for pos, ident in enumerate(order, start=1)
               if by_id[ident].position != pos}
    return EditBudgetLines(_("Move budget lines up") if step < 0 else _("Move budget lines down"), changes)


def copy_year(project: Project, source: int, target: int, *, include_rejected: bool = False) -> Command:
    """Copy the lines of ``source`` to ``target`` as new requests (status requested, no approved
    amount, the project's current PPN rate), after any lines ``target`` already has."""
    if source == target:
        raise ValidationError("fiscal_year", _("Choose another year to copy to."))
    rate = project.site.ppn_rate
    start = project.session.scalar(
        select(func.max(BudgetLine.position)).where(BudgetLine.fiscal_year == target)) or 0
    copies: list[BudgetLine] = []
    targets = {sub.code: sub for sub in sub_activities_of_year(project, target)}
    made: dict[int, SubActivity] = {}
    for sub in sub_activities_of_year(project, source):
        if sub.code not in targets:
            values = sub.column_values()
            values.pop("id")
            values.update(fiscal_year=target, allocation_prev=None, allocation_next=None)
            targets[sub.code] = SubActivity(**values)
        made[sub.id] = targets[sub.code]
    for line in lines_of_year(project, source):
        if not include_rejected and line.status == BudgetStatus.REJECTED.value:
            continue
        values = line.column_values()
        for key in ("id", "approved_amount"):
            values.pop(key)
        values.pop("sub_activity_id")
        values.update(fiscal_year=target, status=BudgetStatus.REQUESTED.value, ppn_rate=rate,
                      position=start + len(copies) + 1, sub_activity=made[line.sub_activity_id])
        copies.append(BudgetLine(**values))
    if not copies:
        raise ValidationError("fiscal_year", _("{year} has no lines to copy.").format(year=source))
    return AddBudgetLines(_("Copy {n} budget lines from {src} to {dst}").format(n=len(copies), src=source, dst=target),
                          copies)


# --- budgeting the gaps ---------------------------------------------------------------------

def unit_label(unit: str) -> str:
    """Catalog units are lower case ("unit"); the sheet writes "Unit". "m2" stays as it is."""
    return unit[:1].upper() + unit[1:] if unit.isalpha() else unit


def budget_gaps(project: Project, need_ids, year: int, *, count_kb: bool = False, priority: int | None = None,
                default_priority: int = 2, sub_activity_id: int | None = None) -> Command:
    """New lines for the open gaps of the chosen needs: the missing quantity at the catalog
    price (ItemType.ref_price) on the catalog's account code, linked to the need.

    ``priority`` 1/2/3 is given to every line; None takes it from the need's standards finding
    (high 1, medium 2, low 3, see ``reads.budget.finding_priorities``), and needs without one
    (typed in by hand, from a visitation note) get ``default_priority``."""
    wanted = list(dict.fromkeys(need_ids))
    if not wanted:
        raise ValidationError("need", _("Choose at least one need to budget."))
    found = {g.need.id: g for g in open_gaps(project, count_kb=count_kb)}
    start = project.session.scalar(
        select(func.max(BudgetLine.position)).where(BudgetLine.fiscal_year == year)) or 0
    rate = project.site.ppn_rate
    missing = [n for n in wanted if n not in found]
    if missing:
        raise ValidationError("need", _("Need {id} has no open gap (it is met or no longer exists).").format(
            id=missing[0]))
    from_findings = finding_priorities([found[n].need for n in wanted]) if priority is None else {}
    sub = project.get(SubActivity, sub_activity_id) if sub_activity_id is not None else \
        year_sub_activity(project, year)
    lines: list[BudgetLine] = []
    for need_id in wanted:
        entry = found[need_id]
        it: ItemType = entry.need.item_type
        if project.session.get(AccountCode, it.account_code) is None:
            raise ValidationError("account_code", _(
                "The catalog item '{item}' is booked on account code '{code}', which is not in the account code "
                "list; add the code first.").format(item=it.name, code=it.account_code))
        unit = unit_label(it.unit)
        lines.append(BudgetLine(
            fiscal_year=year, account_code=it.account_code, description=it.name, specification=it.specification,
            room_id=entry.need.room_id, factors=[[format(entry.missing.normalize(), "f"), unit]], unit=unit,
            unit_price=it.ref_price, ppn_applied=True, ppn_rate=rate,
            priority=priority if priority is not None else from_findings.get(need_id, default_priority),
            status=BudgetStatus.REQUESTED.value, justification=entry.need.reason, need_id=need_id,
            position=start + len(lines) + 1, sub_activity=sub, standard_price_code=it.standard_price_code))
    text = _("Budget {n} open gaps in {year}").format(n=len(lines), year=year) if len(lines) > 1 else \
        _("Budget open gap in {year}").format(year=year)
    return AddBudgetLines(text, lines)


# --- rows keyed by something else than an integer id ----------------------------------------

class AddRow(Command):
    """Add one row of a table whose key is not ``id`` (account codes, ceilings)."""

    def __init__(self, text: str, obj, key):
        self.text = text
        self.obj = obj
        self.key = key
        self.snapshot: RowSnapshot | None = None

    def redo(self, project: Project) -> None:
        if self.snapshot is not None:
            project.restore_rows(self.snapshot)
            return
        cls = type(self.obj)
        with project.edit() as s:
            if s.get(cls, self.key) is not None:
                raise ValidationError("code", _("'{key}' is already in the list.").format(key=self.key))
            s.add(self.obj)

    def undo(self, project: Project) -> None:
        self.snapshot = project.delete_rows(type(self.obj).__tablename__, [self.key])


class SetCeiling(Command):
    """Set, change or remove (``None``) the ceiling (pagu) of one fiscal year."""

    def __init__(self, year: int, amount: Decimal | None):
        self.text = _("Set the ceiling for {year}").format(year=year)
        self.year = year
        self.amount = amount
        self.old: Decimal | None = None
        self._first = True

    def _apply(self, project: Project, amount: Decimal | None) -> None:
        with project.edit() as s:
            row = s.get(BudgetCeiling, self.year)
            if amount is None:
                if row is not None:
                    s.delete(row)
            elif row is None:
                s.add(BudgetCeiling(year=self.year, amount=amount))
            else:
                row.amount = amount

    def redo(self, project: Project) -> None:
        if self._first:
            row = project.session.get(BudgetCeiling, self.year)
            self.old = row.amount if row is not None else None
        self._apply(project, self.amount)
        self._first = False

    def undo(self, project: Project) -> None:
        self._apply(project, self.old)


def add_account_code(project: Project, code: str, name: str) -> Command:
    obj = AccountCode(code=code, name=name)  # validates the pattern and the name
    return AddRow(_("Add account code {code}").format(code=obj.code), obj, obj.code)


def account_code_usage(project: Project, code: str) -> tuple[int, int]:
    """(budget lines, catalog items) booked on ``code``."""
    s = project.session
    lines = s.execute(select(func.count()).select_from(BudgetLine).where(BudgetLine.account_code == code)).scalar_one()
    items = s.execute(select(func.count()).select_from(ItemType).where(ItemType.account_code == code)).scalar_one()
    return lines, items


class DeleteAccountCodes(Command):
    """Remove codes from the list; refused while budget lines or catalog items use them."""

    def __init__(self, codes):
        self.codes = list(codes)
        self.text = _("Delete account code {code}").format(code=self.codes[0]) if len(self.codes) == 1 else \
            _("Delete {n} account codes").format(n=len(self.codes))
        self.snapshot: RowSnapshot | None = None

    def redo(self, project: Project) -> None:
        for code in self.codes:
            lines, items = account_code_usage(project, code)
            if lines or items:
                raise ValidationError("code", _(
                    "Account code {code} is still used by {lines} budget lines and {items} catalog items; "
                    "book them on another code first.").format(code=code, lines=lines, items=items))
        self.snapshot = project.delete_rows(AccountCode.__tablename__, self.codes)

    def undo(self, project: Project) -> None:
        if self.snapshot is not None:
            project.restore_rows(self.snapshot)


def rename_account_code(code: str, name: str) -> Command:
    AccountCode(code=code, name=name)  # validates the name before anything is written
    return SetFields(_("Rename account code {code}").format(code=code), AccountCode, {code: {"name": name}})


class ImportAccountCodes(Command):
    """An updated official account list as one step: codes not in the list are added and the names of
    codes already there are replaced. No code is removed, so lines and items booked on a code keep it."""

    def __init__(self, text: str, rows: dict[str, str]):
        self.text = text
        self.rows = {}
        for code, name in rows.items():
            obj = AccountCode(code=code, name=name)  # validates the structure and the name
            self.rows[obj.code] = obj.name
        self.added: list[str] = []
        self.renamed: dict[str, str] = {}  # code -> the name it had

    def redo(self, project: Project) -> None:
        with project.edit() as s:
            added, renamed = [], {}
            for code, name in self.rows.items():
                row = s.get(AccountCode, code)
                if row is None:
                    s.add(AccountCode(code=code, name=name))
                    added.append(code)
                elif row.name != name:
                    renamed[code] = row.name
                    row.name = name
            self.added, self.renamed = added, renamed

    def undo(self, project: Project) -> None:
        with project.edit() as s:
            for code, old in self.renamed.items():
                row = s.get(AccountCode, code)
                if row is not None:
                    row.name = old
            if self.added:
                project.delete_rows(AccountCode.__tablename__, self.added)


# --- budget settings: PPN rate, ceiling, sheet title ----------------------------------------

class _SiteSettings(SetFields):
    def redo(self, project: Project) -> None:
        for fields in self.new.values():
            if "budget_title" in fields:
                fields["budget_title"] = check_title_template(fields["budget_title"])
        super().redo(project)


def budget_settings(project: Project, *, year: int, ppn_rate: Decimal, ceiling: Decimal | None, title: str,
                    apply_rate_to_year: bool = True, threshold: Decimal | None = None) -> Command:
    """One undo step for the settings dialog. With ``apply_rate_to_year`` the lines of ``year``
    that charge PPN take the new rate too (new lines always take the project's rate). ``threshold``
    (the capitalisation threshold) is left as it is when None."""
    site = project.site
    commands: list[Command] = []
    fields: dict[str, Any] = {}
    if Decimal(ppn_rate) != site.ppn_rate:
        fields["ppn_rate"] = ppn_rate
    if title != site.budget_title:
        fields["budget_title"] = title
    if threshold is not None and Decimal(threshold) != site.capitalisation_threshold:
        fields["capitalisation_threshold"] = threshold
    if fields:
        commands.append(_SiteSettings(_("Change budget settings"), Site, {site.id: fields}))
    if apply_rate_to_year:
        changes = {b.id: {"ppn_rate": ppn_rate} for b in lines_of_year(project, year)
                   if b.ppn_applied and b.ppn_rate != Decimal(ppn_rate)}
        if changes:
            commands.append(EditBudgetLines(_("Apply the PPN rate"), changes))
    row = project.session.get(BudgetCeiling, year)
    if (row.amount if row is not None else None) != ceiling:
        commands.append(SetCeiling(year, ceiling))
    return MacroCommand(_("Change budget settings"), commands)
