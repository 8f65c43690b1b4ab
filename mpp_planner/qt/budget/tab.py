"""Budget lines of one fiscal year with totals against the ceiling (pagu)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mpp_planner.formats import rupiah
from mpp_planner.i18n import _
from mpp_planner.model import BudgetCeiling, BudgetLine, BudgetStatus
from mpp_planner.model.money import total
from mpp_planner.project import Changes
from mpp_planner.qt.tables import CENTER, RIGHT, Column, RowTableModel, fit_columns, make_table_view


def money_cell(value: Decimal | None) -> str:
    return "" if value is None else rupiah(value, symbol=False)


class BudgetTab(QWidget):
    def __init__(self, project, signals, undo_stack, parent=None):
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.year = QComboBox()
        self.year.currentIndexChanged.connect(lambda _i: self.reload())
        self.model = RowTableModel([
            Column(_("No"), lambda b: b.position, align=RIGHT),
            Column(_("Account code"), lambda b: b.account_code),
            Column(_("Description"), lambda b: b.description, width=300,
                   tooltip=lambda b: b.specification),
            Column(_("Location"), lambda b: b.room.name if b.room else ""),
            Column(_("Coefficient"), lambda b: b.coefficient_text),
            Column(_("Unit"), lambda b: b.unit),
            Column(_("Price (Rp)"), lambda b: money_cell(b.unit_price), align=RIGHT, sort=lambda b: b.unit_price),
            Column(_("PPN (Rp)"), lambda b: money_cell(b.ppn_amount), align=RIGHT, sort=lambda b: b.ppn_amount),
            Column(_("Amount (Rp)"), lambda b: money_cell(b.amount), align=RIGHT, sort=lambda b: b.amount),
            Column(_("Priority"), lambda b: b.priority, align=CENTER),
            Column(_("Status"), lambda b: BudgetStatus(b.status).label),
            Column(_("Approved (Rp)"), lambda b: money_cell(b.approved_amount), align=RIGHT,
                   sort=lambda b: b.approved_amount or 0),
        ], self)
        self.view, self.proxy = make_table_view(self.model, self)
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Fiscal year:")))
        top.addWidget(self.year)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view)
        layout.addWidget(self.totals)
        self.reload_years()
        fit_columns(self.view, self.model)
        signals.changed.connect(self.apply_changes)

    def reload_years(self) -> None:
        years = set(self.project.session.scalars(select(BudgetLine.fiscal_year).distinct()))
        years.add(self.project.site.fiscal_year)
        current = self.year.currentData() or self.project.site.fiscal_year
        self.year.blockSignals(True)
        self.year.clear()
        for y in sorted(years):
            self.year.addItem(str(y), y)
        self.year.setCurrentIndex(max(0, self.year.findData(current)))
        self.year.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        year = self.year.currentData()
        if year is None:
            return
        lines = self.project.session.scalars(
            select(BudgetLine).where(BudgetLine.fiscal_year == year)
            .order_by(BudgetLine.position, BudgetLine.id).options(selectinload(BudgetLine.room))).all()
        self.model.set_rows(lines)
        requested = total(b.amount for b in lines if b.status != BudgetStatus.REJECTED.value)
        approved = total(b.approved_amount or Decimal(0) for b in lines if b.status == BudgetStatus.APPROVED.value)
        ceiling = self.project.session.get(BudgetCeiling, year)
        text = _("{n} lines · requested {req} · approved {app}").format(
            n=len(lines), req=rupiah(requested), app=rupiah(approved))
        if ceiling is not None:
            text += " · " + _("ceiling (pagu) {pagu}").format(pagu=rupiah(ceiling.amount))
            if requested > ceiling.amount:
                text += " — " + _("the request exceeds the ceiling by {d}").format(d=rupiah(requested - ceiling.amount))
                self.totals.setStyleSheet("color: #B03A2E; font-weight: bold;")
            else:
                self.totals.setStyleSheet("")
        self.totals.setText(text)

    def apply_changes(self, changes: Changes) -> None:
        if changes.touches("budget_line", "budget_ceiling", "site", "room"):
            self.reload_years()
