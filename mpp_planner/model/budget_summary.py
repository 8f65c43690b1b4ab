"""Budget lines grouped along the account-code hierarchy, and totals per room and priority.

Pure functions on line-like objects (``account_code``, ``amount``, ``status``,
``approved_amount``, ``priority``, ``position``, ``id``); Decimal only. The rules:

* the *request* is every line that is not rejected; rejected lines stay in the project but
  count in no request total and are not printed on the request sheet;
* a line's *approved* value is its approved amount when its status is approved (an approved
  line without an amount was approved as requested), else 0;
* every subtotal and total is the exact sum of line amounts (see :mod:`model.money`).

Account codes (Permendagri 90/2019) nest by prefix: 5.2.02 > 5.2.02.05 > 5.2.02.05.02 >
5.2.02.05.02.0001. A group row is made for the three-part root of every code used, for each
intermediate prefix that is in the account list, and for each code lines are booked on.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from mpp_planner.model.budget import BudgetStatus

ZERO = Decimal("0.00")
ROOT_PARTS = 3  # 5.2.02: akun.kelompok.jenis
PRIORITIES = (1, 2, 3)


def is_requested(line) -> bool:
    return line.status != BudgetStatus.REJECTED.value


def approved_value(line) -> Decimal:
    if line.status != BudgetStatus.APPROVED.value:
        return ZERO
    return line.amount if line.approved_amount is None else line.approved_amount


def code_key(code: str) -> tuple[int, ...]:
    """Sort account codes numerically by part: 5.2.2 < 5.2.02.05 < 5.2.10."""
    return tuple(int(p) if p.isdigit() else 0 for p in code.split("."))


def account_chain(code: str, known: Mapping[str, Any] | None = None) -> list[str]:
    """The group codes a line booked on ``code`` sits under, outermost first (``code`` last)."""
    parts = code.split(".")
    if len(parts) <= ROOT_PARTS:
        return [code]
    chain = [".".join(parts[:ROOT_PARTS])]
    for n in range(ROOT_PARTS + 1, len(parts)):
        prefix = ".".join(parts[:n])
        if known is None or prefix in known:
            chain.append(prefix)
    chain.append(code)
    return chain


@dataclass
class AccountNode:
    """One account row: its lines, its sub-accounts and the subtotals of everything below."""

    code: str
    name: str
    depth: int
    children: list["AccountNode"] = field(default_factory=list)
    lines: list = field(default_factory=list)
    requested: Decimal = ZERO
    approved: Decimal = ZERO
    line_count: int = 0  # lines below that are in the request

    @property
    def difference(self) -> Decimal:
        return self.requested - self.approved


def group_by_account(lines: Iterable, names: Mapping[str, str], *, include_rejected: bool = True) -> list[AccountNode]:
    """The account tree of ``lines`` (roots in code order); lines in position order inside a node."""
    nodes: dict[str, AccountNode] = {}
    roots: list[AccountNode] = []
    for line in sorted(lines, key=lambda b: (b.position, b.id or 0)):
        if not include_rejected and not is_requested(line):
            continue
        chain = account_chain(line.account_code, names)
        requested = is_requested(line)
        amount = line.amount if requested else ZERO  # computed once, added at every level
        approved = approved_value(line) if requested else ZERO
        parent: AccountNode | None = None
        for depth, code in enumerate(chain):
            node = nodes.get(code)
            if node is None:
                node = nodes[code] = AccountNode(code, names.get(code, ""), depth)
                (parent.children if parent is not None else roots).append(node)
            if requested:
                node.requested += amount
                node.approved += approved
                node.line_count += 1
            parent = node
        assert parent is not None  # account_chain() is never empty
        parent.lines.append(line)
    _sort(roots)
    return roots


def _sort(nodes: list[AccountNode]) -> None:
    nodes.sort(key=lambda n: code_key(n.code))
    for node in nodes:
        _sort(node.children)


@dataclass(frozen=True)
class SheetRow:
    """One printed row: an account (``node``) or an item (``line`` with its running number)."""

    kind: str  # "account" | "line"
    depth: int
    node: AccountNode | None = None
    line: Any = None
    number: int = 0


def flatten(roots: Iterable[AccountNode]) -> list[SheetRow]:
    """Rows in print order: each account, then its own lines, then its sub-accounts."""
    rows: list[SheetRow] = []
    counter = 0

    def visit(node: AccountNode) -> None:
        nonlocal counter
        rows.append(SheetRow("account", node.depth, node=node))
        for line in node.lines:
            counter += 1
            rows.append(SheetRow("line", node.depth + 1, line=line, number=counter))
        for child in node.children:
            visit(child)

    for root in roots:
        visit(root)
    return rows


@dataclass(frozen=True)
class Totals:
    requested: Decimal = ZERO
    approved: Decimal = ZERO
    lines: int = 0  # lines in the request (not rejected)
    rejected: int = 0

    @property
    def difference(self) -> Decimal:
        """Requested minus approved (what the approval cut, or what is still undecided)."""
        return self.requested - self.approved


def totals(lines: Iterable) -> Totals:
    requested = approved = ZERO
    count = rejected = 0
    for line in lines:
        if is_requested(line):
            requested += line.amount
            approved += approved_value(line)
            count += 1
        else:
            rejected += 1
    return Totals(requested, approved, count, rejected)


def totals_by(lines: Iterable, key: Callable[[Any], Hashable]) -> dict[Hashable, Totals]:
    groups: dict[Hashable, list] = {}
    for line in lines:
        groups.setdefault(key(line), []).append(line)
    return {k: totals(v) for k, v in groups.items()}


def totals_by_room(lines: Iterable, room: Callable[[Any], Hashable] = lambda b: b.room_id) -> dict[Hashable, Totals]:
    """Totals per room (``None``: lines for the whole MPP, not one room)."""
    return totals_by(lines, room)


def totals_by_priority(lines: Iterable) -> dict[int, Totals]:
    """Totals for priorities 1, 2 and 3 (all three present, empty ones zero)."""
    found = totals_by(lines, lambda b: b.priority)
    return {p: found.get(p, Totals()) for p in PRIORITIES}


@dataclass(frozen=True)
class CeilingCheck:
    ceiling: Decimal | None
    requested: Decimal

    @property
    def over(self) -> Decimal:
        """How much the request exceeds the ceiling (0 when within it or with no ceiling)."""
        if self.ceiling is None:
            return ZERO
        return max(self.requested - self.ceiling, ZERO)

    @property
    def remaining(self) -> Decimal | None:
        return None if self.ceiling is None else self.ceiling - self.requested

    @property
    def exceeded(self) -> bool:
        return self.over > 0


def budgeted_years(lines: Iterable) -> dict[int, list[int]]:
    """Need id -> the fiscal years (sorted) in which a line that is not rejected covers it."""
    years: dict[int, set[int]] = {}
    for line in lines:
        if line.need_id is not None and is_requested(line):
            years.setdefault(line.need_id, set()).add(line.fiscal_year)
    return {k: sorted(v) for k, v in years.items()}
