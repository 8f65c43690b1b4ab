"""The budget lines of one year as a tree, as SIPD shows them: a row per sub kegiatan (code, name and
its total), under it the account-code hierarchy with subtotals (requested and approved), and the line
rows, which edit through undoable commands."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from html import escape

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from mpp_planner.commands.budget import EditBudgetLines, line_field_changes
from mpp_planner.formats import rupiah
from mpp_planner.i18n import N_, _, ngettext
from mpp_planner.model import BudgetStatus, ValidationError
from mpp_planner.model.budget_input import parse_coefficient, parse_money
from mpp_planner.model.budget_summary import AccountNode, group_by_account, is_requested

LINE_ID_ROLE = Qt.ItemDataRole.UserRole + 10
KIND_ROLE = Qt.ItemDataRole.UserRole + 11  # "sub_activity", "account" or "line"
SUB_ACTIVITY_ROLE = Qt.ItemDataRole.UserRole + 12  # the id of the sub kegiatan a row is (or is under)
# roles and flags as module constants: PySide6 looks short names such as ``Qt.DisplayRole`` up slowly
# (about 10 µs each), and ``data()`` runs for every cell painted
DISPLAY = Qt.ItemDataRole.DisplayRole
EDIT = Qt.ItemDataRole.EditRole
ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
FONT = Qt.ItemDataRole.FontRole
BACKGROUND = Qt.ItemDataRole.BackgroundRole
FOREGROUND = Qt.ItemDataRole.ForegroundRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
CHECK = Qt.ItemDataRole.CheckStateRole
HORIZONTAL = Qt.Orientation.Horizontal
SELECTABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
CHECKABLE = SELECTABLE | Qt.ItemFlag.ItemIsUserCheckable
EDITABLE = SELECTABLE | Qt.ItemFlag.ItemIsEditable
RIGHT = Qt.AlignRight | Qt.AlignVCenter
LEFT = Qt.AlignLeft | Qt.AlignVCenter
CENTER = Qt.AlignCenter
PRIORITY_LABELS = {1: N_("1 – high"), 2: N_("2 – medium"), 3: N_("3 – low")}
ORIGIN = "budget"  # the budget screens' edits are announced as made here


@dataclass(frozen=True)
class Col:
    key: str
    header: str  # marked with N_, translated when shown
    align: Qt.AlignmentFlag = LEFT
    editable: bool = True
    width: int = 90


COLUMNS = (
    Col("no", N_("Account / No"), LEFT, False, 225),
    Col("description", N_("Description"), LEFT, True, 300),
    Col("location", N_("Location"), LEFT, True, 140),
    Col("coefficient", N_("Coefficient"), LEFT, True, 130),
    Col("unit", N_("Unit"), LEFT, True, 70),
    Col("unit_price", N_("Unit price (Rp)"), RIGHT, True, 110),
    Col("ppn", N_("PPN"), LEFT, True, 64),
    Col("amount", N_("Amount (Rp)"), RIGHT, False, 120),
    Col("approved_amount", N_("Approved (Rp)"), RIGHT, True, 115),
    Col("status", N_("Status"), LEFT, True, 85),
    Col("priority", N_("Priority"), LEFT, True, 85),
    Col("account_code", N_("Account code"), LEFT, True, 130),
    Col("specification", N_("Specification"), LEFT, True, 240),
    Col("justification", N_("Justification"), LEFT, True, 240),
    Col("need", N_("Need covered"), LEFT, True, 240),
)
COLUMN_INDEX = {c.key: i for i, c in enumerate(COLUMNS)}
COLUMN_COUNT = len(COLUMNS)
ALIGNS = [int(c.align) for c in COLUMNS]
SUB_BG = QColor("#C7D3E6")
ROOT_BG = QColor("#DDE3EC")
ACCOUNT_BG = QColor("#F1F3F7")
REJECTED = QColor("#8A8F98")
# what cells are painted with, made once (not for every cell painted)
SUB_BRUSH, ROOT_BRUSH, ACCOUNT_BRUSH, REJECTED_BRUSH = (QBrush(c) for c in (SUB_BG, ROOT_BG, ACCOUNT_BG, REJECTED))
CHECKED, UNCHECKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked
REJECTED_STATUS = BudgetStatus.REJECTED.value


@cache
def fonts() -> tuple[QFont, QFont, QFont]:
    """Bold (sub kegiatan and account rows), struck out and plain (a rejected line): made once, when the
    application (which a font needs) runs."""
    bold, struck = QFont(), QFont()
    bold.setBold(True)
    struck.setStrikeOut(True)
    return bold, struck, QFont()


def money(value: Decimal | None) -> str:
    return "" if value is None else rupiah(value, symbol=False, cents=value != value.to_integral_value())


class _Item:
    __slots__ = ("kind", "node", "line", "sub", "number", "parent", "children", "row")

    def __init__(self, kind, parent, row, node=None, line=None, number=0, sub=None):
        self.kind = kind
        self.parent = parent
        self.row = row
        self.node = node  # AccountNode of an account row
        self.line = line  # BudgetLine of a line row
        self.sub = sub  # SubActivityRow of a sub kegiatan row
        self.number = number
        self.children: list[_Item] = []

    @property
    def sub_activity_id(self) -> int | None:
        """The sub kegiatan this row is, or is under."""
        if self.kind == "line":
            return self.line.sub_activity_id
        item: _Item | None = self
        while item is not None and item.kind != "sub_activity":
            item = item.parent
        return item.sub.id if item is not None else None

    @property
    def key(self) -> tuple | None:
        """What the tab remembers a row's collapsed state by: the sub kegiatan, or the account within it."""
        if self.kind == "sub_activity":
            return ("sub_activity", self.sub.id)
        if self.kind == "account":
            return ("account", self.sub_activity_id, self.node.code)
        return None


class BudgetTreeModel(QAbstractItemModel):
    """Sub kegiatan over accounts (with subtotals) over lines; ``setData`` pushes an undoable command and
    reports a refused value through ``refused`` (index, message, the text that was typed)."""

    refused = Signal(QModelIndex, str, str)

    def __init__(self, project, undo_stack, parent=None):
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.roots: list[_Item] = []
        self.by_line: dict[int, _Item] = {}
        self.by_key: dict[tuple, _Item] = {}
        self.room_names: dict[int, str] = {}
        self.need_names: dict[int, str] = {}
        self.account_names: dict[str, str] = {}

    # --- content ------------------------------------------------------------------------
    def set_lines(self, lines, names: dict[str, str], room_names: dict[int, str], need_names: dict[int, str],
                  sub_activities=()):
        """Show ``lines`` under their sub kegiatan (``reads.budget.SubActivityRow``, in order; a sub kegiatan
        without lines is shown too). Lines whose sub kegiatan is not given stay at the top level. ``lines``
        are budget lines, or rows holding one as ``.line`` with its amount worked out (``reads.budget.priced``)."""
        self.beginResetModel()
        self.account_names = names
        self.room_names = room_names
        self.need_names = need_names
        self.roots, self.by_line, self.by_key = [], {}, {}
        counter = 0

        def build(node: AccountNode, parent: _Item | None, row: int) -> _Item:
            nonlocal counter
            item = _Item("account", parent, row, node=node)
            for line in node.lines:
                number = 0
                if is_requested(line):
                    counter += 1
                    number = counter
                child = _Item("line", item, len(item.children), line=getattr(line, "line", line), number=number)
                item.children.append(child)
                self.by_line[line.id] = child
            for sub in node.children:
                item.children.append(build(sub, item, len(item.children)))
            return item

        known = {sub.id for sub in sub_activities}
        by_sub: dict[int, list] = {}
        loose: list = []
        for line in lines:
            (by_sub.setdefault(line.sub_activity_id, []) if line.sub_activity_id in known else loose).append(line)
        for sub in sub_activities:
            top = _Item("sub_activity", None, len(self.roots), sub=sub)
            self.roots.append(top)
            for root in group_by_account(by_sub.get(sub.id, []), names):
                top.children.append(build(root, top, len(top.children)))
        for root in group_by_account(loose, names):
            self.roots.append(build(root, None, len(self.roots)))
        self._index_keys(self.roots)
        self.endResetModel()

    def _index_keys(self, items: list[_Item]) -> None:
        for item in items:
            if item.key is not None:
                self.by_key[item.key] = item
                self._index_keys(item.children)

    def item(self, index: QModelIndex) -> _Item | None:
        return index.internalPointer() if index.isValid() else None

    def line_at(self, index: QModelIndex):
        item = self.item(index)
        return item.line if item is not None and item.kind == "line" else None

    def index_of_line(self, line_id: int, column: int = 0) -> QModelIndex:
        item = self.by_line.get(line_id)
        return QModelIndex() if item is None else self.createIndex(item.row, column, item)

    def index_of_key(self, key: tuple, column: int = 0) -> QModelIndex:
        item = self.by_key.get(key)
        return QModelIndex() if item is None else self.createIndex(item.row, column, item)

    def index_of_sub_activity(self, sub_id: int, column: int = 0) -> QModelIndex:
        return self.index_of_key(("sub_activity", sub_id), column)

    def index_of_code(self, code: str, column: int = 0, sub_activity_id: int | None = None) -> QModelIndex:
        """The account row of ``code`` (under ``sub_activity_id``; else the first sub kegiatan that has it)."""
        for key, item in self.by_key.items():
            if key[0] == "account" and key[2] == code and sub_activity_id in (None, key[1]):
                return self.createIndex(item.row, column, item)
        return QModelIndex()

    # --- Qt model interface ------------------------------------------------------------
    def index(self, row, column, parent=QModelIndex()):  # noqa: A003
        siblings = self.roots if not parent.isValid() else parent.internalPointer().children
        if 0 <= row < len(siblings) and 0 <= column < COLUMN_COUNT:
            return self.createIndex(row, column, siblings[row])
        return QModelIndex()

    def parent(self, index=QModelIndex()):  # noqa: A003 - Qt's name
        if not index.isValid():
            return QModelIndex()
        up = index.internalPointer().parent
        return QModelIndex() if up is None else self.createIndex(up.row, 0, up)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        if not parent.isValid():
            return len(self.roots)
        return 0 if parent.column() > 0 else len(parent.internalPointer().children)

    def hasChildren(self, parent=QModelIndex()) -> bool:  # noqa: N802
        if not parent.isValid():
            return bool(self.roots)
        return parent.column() == 0 and bool(parent.internalPointer().children)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return COLUMN_COUNT

    def headerData(self, section, orientation, role=DISPLAY):  # noqa: N802
        if orientation == HORIZONTAL and 0 <= section < COLUMN_COUNT:
            if role == DISPLAY:
                return _(COLUMNS[section].header)
            if role == ALIGNMENT:
                return int(CENTER)
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        item = index.internalPointer()
        col = COLUMNS[index.column()]
        if item.kind == "line" and col.editable and not self.project.readonly:
            return CHECKABLE if col.key == "ppn" else EDITABLE
        return SELECTABLE

    def data(self, index, role=DISPLAY):
        if not index.isValid():
            return None
        item = index.internalPointer()
        col = COLUMNS[index.column()]
        if role == ALIGNMENT:
            return ALIGNS[index.column()]
        if role == KIND_ROLE:
            return item.kind
        if role == LINE_ID_ROLE:
            return item.line.id if item.kind == "line" else None
        if role == SUB_ACTIVITY_ROLE:
            return item.sub_activity_id
        if item.kind == "sub_activity":
            return self._sub_activity_data(item.sub, col, role)
        if item.kind == "account":
            return self._account_data(item.node, col, role)
        return self._line_data(item, col, role)

    def _sub_activity_data(self, sub, col: Col, role):
        if role == DISPLAY:
            if col.key == "no":
                return sub.code
            if col.key == "description":
                return sub.name
            if col.key == "amount":
                return money(sub.total)
            if col.key == "approved_amount":
                return money(sub.approved) if sub.approved else ""
            return None
        if role == FONT:
            return fonts()[0]
        if role == BACKGROUND:
            return SUB_BRUSH
        if role == TOOLTIP:
            return sub_activity_tooltip(sub)
        return None

    def _account_data(self, node: AccountNode, col: Col, role):
        if role == DISPLAY:
            if col.key == "no":
                return node.code
            if col.key == "description":
                return node.name or _("(not in the account list)")
            if col.key == "amount":
                return money(node.requested)
            if col.key == "approved_amount":
                return money(node.approved) if node.approved else ""
            return None
        if role == FONT:
            return fonts()[0]
        if role == BACKGROUND:
            return ROOT_BRUSH if node.depth == 0 else ACCOUNT_BRUSH
        if role == TOOLTIP and col.key in ("no", "description") and node.name:
            return f"{node.code} {node.name}"  # official names are long: the column cuts them
        if role == TOOLTIP and col.key in ("amount", "approved_amount"):
            return ngettext("{n} line requested · approved {app} · difference {diff}",
                            "{n} lines requested · approved {app} · difference {diff}", node.line_count).format(
                n=node.line_count, app=rupiah(node.approved), diff=rupiah(node.difference))
        return None

    def _line_data(self, item: _Item, col: Col, role):
        b = item.line
        key = col.key
        if role == DISPLAY:
            if key == "no":
                return str(item.number) if item.number else "—"
            if key == "location":
                return self.room_names.get(b.room_id, "") if b.room_id else ""
            if key == "coefficient":
                return b.coefficient_text
            if key == "unit_price":
                return money(b.unit_price)
            if key == "ppn":
                return f"{money(b.ppn_rate).rstrip('0').rstrip(',')} %" if b.ppn_applied else ""
            if key == "amount":
                return money(b.amount)
            if key == "priority":
                return _(PRIORITY_LABELS.get(b.priority, str(b.priority)))
            if key == "status":
                return BudgetStatus(b.status).label
            if key == "approved_amount":
                if b.status != BudgetStatus.APPROVED.value:
                    return ""
                return money(b.approved_amount) if b.approved_amount is not None else _("as requested")
            if key == "need":
                return self.need_names.get(b.need_id, "") if b.need_id else ""
            if key == "specification":
                return " ".join(b.specification.split())
            return getattr(b, key)
        if role == EDIT:
            if key == "location":
                return b.room_id
            if key == "coefficient":
                return b.coefficient_text
            if key in ("unit_price", "approved_amount"):
                value = getattr(b, key)
                return "" if value is None else money(value)
            if key == "need":
                return b.need_id
            if key in ("description", "specification", "justification", "unit", "account_code", "priority",
                       "status"):
                return getattr(b, key)
            return None
        if role == CHECK and key == "ppn":
            return CHECKED if b.ppn_applied else UNCHECKED
        if role == FOREGROUND and b.status == REJECTED_STATUS:
            return REJECTED_BRUSH
        if role == FONT and b.status == REJECTED_STATUS:
            return fonts()[1 if key in ("description", "amount") else 2]
        if role == TOOLTIP:
            if key == "amount":
                return _("{coef} × {price} = {base}; PPN {ppn}; amount {amount}").format(
                    coef=b.coefficient_text, price=rupiah(b.unit_price), base=rupiah(b.base_amount),
                    ppn=rupiah(b.ppn_amount), amount=rupiah(b.amount))
            if key in ("description", "specification", "justification"):
                return getattr(b, key) or None
            if key == "no" and not item.number:
                return _("Rejected lines are not part of the request and are not printed.")
        return None

    def setData(self, index, value, role=EDIT) -> bool:  # noqa: N802
        line = self.line_at(index)
        if line is None:
            return False
        key = COLUMNS[index.column()].key
        if not (role == EDIT or (role == CHECK and key == "ppn")):
            return False
        if self._unchanged(line, key, value, role):
            return True
        typed = "" if value is None else str(value)
        label = _(COLUMNS[index.column()].header)
        line_id = line.id

        def command() -> EditBudgetLines:
            return EditBudgetLines(_("Edit {field} of budget line").format(field=label),
                                   {line_id: self.changes(line, key, value, role)})

        return self.undo_stack.run(command, origin=ORIGIN,
                                   report=lambda text: self.refused.emit(index, text, typed))

    def changes(self, line, key: str, value, role=EDIT) -> dict:
        """The fields an edit of the cell sets; raises ValidationError with a clear message."""
        if role == CHECK:
            return {"ppn_applied": value in (Qt.Checked, Qt.Checked.value, 2, True)}
        return self.parse(line, key, value)

    def _unchanged(self, line, key: str, value, role) -> bool:
        """The value is what the line holds already: no edit (and no undo step). A refused value is
        not unchanged: the edit refuses it, with its reason."""
        try:
            changes = self.changes(line, key, value, role)
        except ValidationError:
            return False
        return all(getattr(line, f) == v for f, v in changes.items())

    def parse(self, line, key: str, value) -> dict:
        """The fields a typed or picked value sets; raises ValidationError with a clear message."""
        if key == "coefficient":
            return {"factors": parse_coefficient(str(value or ""), default_unit=line.unit)}
        if key == "unit_price":
            return {"unit_price": parse_money(value, "unit_price")}
        if key == "approved_amount":
            return line_field_changes(line, "approved_amount", parse_money(value, "approved_amount",
                                                                           allow_empty=True))
        if key == "location":
            return {"room_id": value if value not in ("", None) else None}
        if key == "need":
            return {"need_id": value if value not in ("", None) else None}
        if key == "priority":
            return {"priority": value}
        if key == "status":
            return {"status": value}
        if key in ("description", "specification", "justification", "unit", "account_code"):
            return {key: "" if value is None else str(value)}
        raise ValidationError(key, _("This column cannot be edited."))


def sub_activity_tooltip(sub) -> str:
    """The sub kegiatan's context block, as the row's tooltip (its name may be longer than the column)."""
    def rp(value):
        return rupiah(value) if value is not None else "–"

    rows = [(_("Sub kegiatan"), sub.label), (_("Program"), sub.program), (_("Activity (kegiatan)"), sub.activity),
            (_("Organisational unit"), sub.unit), (_("Funding source"), sub.funding_source),
            (_("Location"), sub.location),
            (_("Schedule"), sub.schedule),
            (_("Output"), " · ".join(t for t in (sub.output_indicator, sub.output_target) if t)),
            (_("Allocation {year}").format(year=sub.fiscal_year - 1), rp(sub.allocation_prev)),
            (_("Allocation {year}").format(year=sub.fiscal_year), rp(sub.total)),
            (_("Allocation {year}").format(year=sub.fiscal_year + 1), rp(sub.allocation_next))]
    body = "".join(f"<tr><td><b>{escape(label)}</b></td><td>{escape(value)}</td></tr>"
                   for label, value in rows if value)
    lines = ngettext("{n} line", "{n} lines", sub.lines).format(n=sub.lines)
    return f"<table>{body}</table><p>{escape(lines)}</p>"
