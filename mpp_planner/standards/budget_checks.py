"""Checks a finance verifier makes on the budget request of one fiscal year, before it is signed.

Pure Python, no Qt. ``check_budget(project, year, sign_date=...)`` returns the findings, most severe
first. Rejected lines are not part of the request and are not checked.

1. ``duplicate``: two lines of the same year and location for the same thing: the same catalog item
   (through their needs) or the same description (case and spaces ignored).
   ``overlap``: a lump-sum line (unit Paket/Ls/Lumpsum, or a description starting "Pengadaan" or
   "Belanja") beside lines on the same account that itemise it: in the same location, or anywhere
   when the lump sum is for the whole MPP (no location).
2. ``capital_below_threshold``: a capital account (5.2...) whose unit price is below the project's
   capitalisation threshold. Land, buildings and roads (5.2.01, 5.2.03, 5.2.04), and any line priced per
   m², m or m³, price a part of one work, so there the amount of the line (before PPN) is compared instead.
   Aset Tetap Lainnya (5.2.05: library books, art) is capitalised whatever its price and is not checked.
   ``goods_above_threshold``: a goods account (5.1.02...) for an item the catalog books on a capital
   account, at a unit price at or above the threshold: it would become an asset.
3. ``above_ssh``: a unit price above the SSH reference price of the line's item type.
   ``account_not_allowed``: a line booked on an account its SSH entry does not allow (the item type's
   ``allowed_accounts``, filled by the import of SIPD's SSH export; an empty list is not checked).
2 and 3 need the line's item type: the need's item type when the line budgets a need, otherwise the
catalog item whose name equals the description (case and spaces ignored); each message says which.
3 looks first for the item type carrying the line's own SSH code (``standard_price_code``).
4. ``sign_date``: the sheet of fiscal year N is prepared and signed in year N-1.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mpp_planner.formats import rupiah
from mpp_planner.i18n import _
from mpp_planner.model import BudgetLine, ItemType, Need
from mpp_planner.model.budget import BudgetStatus
from mpp_planner.standards.findings import Severity

DUPLICATE, OVERLAP = "duplicate", "overlap"
CAPITAL_BELOW, GOODS_ABOVE = "capital_below_threshold", "goods_above_threshold"
ABOVE_SSH, ACCOUNT_NOT_ALLOWED, SIGN_DATE = "above_ssh", "account_not_allowed", "sign_date"
KINDS = (DUPLICATE, OVERLAP, CAPITAL_BELOW, GOODS_ABOVE, ABOVE_SSH, ACCOUNT_NOT_ALLOWED, SIGN_DATE)

LUMP_SUM_UNITS = frozenset({"paket", "ls", "lumpsum", "lump sum", "lump-sum"})
LUMP_SUM_WORDS = ("pengadaan", "belanja")
CAPITAL_PREFIX, GOODS_PREFIX = "5.2", "5.1.02"
#: capital accounts whose lines price a part of one work (per m², per stage): compare the line's amount
CAPITAL_WORKS = ("5.2.01", "5.2.03", "5.2.04")
#: Aset Tetap Lainnya (library books, works of art, animals and plants): capitalised whatever the unit price,
#: as regional accounting policies (Perwali/Perbup on kebijakan akuntansi) commonly set
CAPITAL_ALWAYS = ("5.2.05",)
#: units that price a part of one asset (carpet per m², cabling per metre): the line's amount is compared
PART_UNITS = frozenset({"m2", "m²", "meter persegi", "m", "meter", "m1", "m'", "lari", "m3", "m³"})


@dataclass(frozen=True)
class BudgetFinding:
    kind: str
    severity: Severity
    line_ids: tuple[int, ...]
    message: str
    advice: str  # what to do

    def sort_key(self):
        return (self.severity.rank, KINDS.index(self.kind), self.line_ids)


def _norm(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def is_lump_sum(line: BudgetLine) -> bool:
    unit = _norm(line.unit).split("/")[0].strip()
    return unit in LUMP_SUM_UNITS or _norm(line.description).startswith(LUMP_SUM_WORDS)


def capitalisation_threshold(project) -> Decimal:
    return project.site.capitalisation_threshold


def _names(lines) -> str:
    return "; ".join(f"#{b.id} {b.description}" for b in lines)


def _item_type(line: BudgetLine, by_name: dict[str, ItemType]) -> tuple[ItemType | None, str]:
    """The line's item type and how it was found (a translated phrase for the message)."""
    if line.need is not None:
        return line.need.item_type, _("through its need")
    it = by_name.get(_norm(line.description))
    return (it, _("by its description")) if it is not None else (None, "")


def _ssh_item_types(line: BudgetLine, by_name: dict[str, ItemType],
                    by_code: dict[str, ItemType]) -> list[tuple[ItemType, str]]:
    """The item types whose SSH entry may price the line, most certain first: the one carrying the line's
    SSH code, then the one :func:`_item_type` finds."""
    found = []
    if line.standard_price_code and line.standard_price_code in by_code:
        found.append((by_code[line.standard_price_code], _("by its SSH code {code}").format(
            code=line.standard_price_code)))
    it, how = _item_type(line, by_name)
    if it is not None and all(it is not other for other, _how in found):
        found.append((it, how))
    return found


def check_budget(project, year: int, *, sign_date: date | None = None) -> list[BudgetFinding]:
    lines = [b for b in project.session.scalars(
        select(BudgetLine).where(BudgetLine.fiscal_year == year)
        .options(selectinload(BudgetLine.need).selectinload(Need.item_type))
        .order_by(BudgetLine.position, BudgetLine.id)) if b.status != BudgetStatus.REJECTED.value]
    types = list(project.session.scalars(select(ItemType).order_by(ItemType.id)))
    by_name = {_norm(it.name): it for it in types}
    by_code: dict[str, ItemType] = {}
    for it in types:
        if it.standard_price_code:
            by_code.setdefault(it.standard_price_code, it)
    threshold = capitalisation_threshold(project)
    findings: list[BudgetFinding] = []
    findings += _duplicates(lines)
    findings += _overlaps(lines)
    findings += _thresholds(lines, by_name, threshold)
    findings += _above_ssh(lines, by_name, by_code)
    findings += _not_allowed(lines, by_name, by_code)
    if sign_date is not None:
        findings += _sign_date(year, sign_date)
    return sorted(findings, key=BudgetFinding.sort_key)


def _duplicates(lines) -> list[BudgetFinding]:
    groups: dict[tuple, list[BudgetLine]] = defaultdict(list)
    for b in lines:
        groups[("desc", b.room_id, _norm(b.description))].append(b)
        if b.need is not None:
            groups[("item", b.room_id, b.need.item_type_id)].append(b)
    seen: set[tuple[int, ...]] = set()
    out = []
    for group in groups.values():
        ids = tuple(sorted(b.id for b in group))
        if len(ids) < 2 or ids in seen:
            continue
        seen.add(ids)
        out.append(BudgetFinding(
            DUPLICATE, Severity.HIGH, ids,
            _("Duplicate lines for the same item in the same location: {lines}.").format(lines=_names(group)),
            _("Keep one line and add the quantities together.")))
    return out


def _overlaps(lines) -> list[BudgetFinding]:
    out = []
    for lump in lines:
        if not is_lump_sum(lump):
            continue
        parts = [b for b in lines if b.id != lump.id and b.account_code == lump.account_code
                 and (lump.room_id is None or b.room_id == lump.room_id)]
        if parts:
            out.append(BudgetFinding(
                OVERLAP, Severity.HIGH, (lump.id, *(b.id for b in parts)),
                _("The lump sum '{lump}' overlaps lines on the same account that itemise it: {lines}.").format(
                    lump=lump.description, lines=_names(parts)),
                _("Remove the lump sum or the itemised lines, or narrow the lump sum to what the others do not "
                  "cover.")))
    return out


def _thresholds(lines, by_name, threshold: Decimal) -> list[BudgetFinding]:
    out = []
    limit = rupiah(threshold)
    for b in lines:
        if b.account_code.startswith(CAPITAL_ALWAYS):
            continue
        if b.account_code.startswith(CAPITAL_PREFIX):
            works = b.account_code.startswith(CAPITAL_WORKS) or _norm(b.unit) in PART_UNITS
            value = b.base_amount if works else b.unit_price
            if value < threshold:
                message = (_("'{line}' is booked on the capital account {code}, but the work costs {value}, below "
                             "the capitalisation threshold {limit}.") if works else
                           _("'{line}' is booked on the capital account {code}, but its unit price {value} is below "
                             "the capitalisation threshold {limit}."))
                out.append(BudgetFinding(
                    CAPITAL_BELOW, Severity.MEDIUM, (b.id,),
                    message.format(line=b.description, code=b.account_code, value=rupiah(value), limit=limit),
                    _("Book it on a goods account (5.1.02), or check the price and the threshold.")))
        elif b.account_code.startswith(GOODS_PREFIX):
            it, how = _item_type(b, by_name)
            if it is not None and it.account_code.startswith(CAPITAL_PREFIX) and b.unit_price >= threshold:
                out.append(BudgetFinding(
                    GOODS_ABOVE, Severity.MEDIUM, (b.id,),
                    _("'{line}' is booked on the goods account {code}, but its unit price {value} is at or above "
                      "the capitalisation threshold {limit} and the catalog books '{item}' (found {how}) on "
                      "{item_code}.").format(line=b.description, code=b.account_code, value=rupiah(b.unit_price),
                                             limit=limit, item=it.name, how=how, item_code=it.account_code),
                    _("Book it on the capital account {code}.").format(code=it.account_code)))
    return out


def _above_ssh(lines, by_name, by_code) -> list[BudgetFinding]:
    out = []
    for b in lines:
        it, how = next(iter(_ssh_item_types(b, by_name, by_code)), (None, ""))
        if it is not None and it.ref_price > 0 and b.unit_price > it.ref_price:
            out.append(BudgetFinding(
                ABOVE_SSH, Severity.HIGH, (b.id,),
                _("The unit price of '{line}', {price}, is above the SSH reference {ref} of '{item}' (found "
                  "{how}).").format(line=b.description, price=rupiah(b.unit_price), ref=rupiah(it.ref_price),
                                    item=it.name, how=how),
                _("Lower the price to the SSH reference, or attach the price quotations that justify it.")))
    return out


def _not_allowed(lines, by_name, by_code) -> list[BudgetFinding]:
    out = []
    for b in lines:
        it, how = next(((it, how) for it, how in _ssh_item_types(b, by_name, by_code) if it.allowed_accounts),
                       (None, ""))
        if it is None or b.account_code in it.allowed_accounts:
            continue
        allowed = ", ".join(it.allowed_accounts)
        out.append(BudgetFinding(
            ACCOUNT_NOT_ALLOWED, Severity.HIGH, (b.id,),
            _("'{line}' is booked on {code}, but the SSH entry of '{item}' (found {how}) allows only {allowed}."
              ).format(line=b.description, code=b.account_code, item=it.name, how=how, allowed=allowed),
            _("Book it on {allowed}, or ask for the SSH entry to be extended to {code}.").format(
                allowed=allowed, code=b.account_code)))
    return out


def _sign_date(year: int, sign_date: date) -> list[BudgetFinding]:
    if sign_date.year == year - 1:
        return []
    return [BudgetFinding(
        SIGN_DATE, Severity.MEDIUM, (),
        _("The sheet for fiscal year {year} is signed on {date}, outside its preparation period "
          "(1 January to 31 December {prep}).").format(year=year, date=sign_date.isoformat(), prep=year - 1),
        _("Date the sheet within {prep}.").format(prep=year - 1))]


__all__ = ["BudgetFinding", "check_budget", "capitalisation_threshold", "is_lump_sum", "KINDS"]
