"""Inventory (KIR rows) and needs with their gaps, per room or for the whole MPP."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QGroupBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QSplitter,
                               QVBoxLayout, QWidget)
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mpp_planner.formats import number, rupiah
from mpp_planner.i18n import _
from mpp_planner.model import Condition, Floor, InventoryItem, Need, NeedSource, Room
from mpp_planner.model.gaps import compute_gaps
from mpp_planner.project import Changes
from mpp_planner.qt.tables import CENTER, RIGHT, Column, RowTableModel, fit_columns, make_table_view

ALL_ROOMS = -1


def qty(value: Decimal) -> str:
    return number(value, 0) if value == value.to_integral_value() else number(value, 2)


class InventoryTab(QWidget):
    def __init__(self, project, signals, undo_stack, parent=None):
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.gaps = {}
        self.rooms = QListWidget()
        self.rooms.currentRowChanged.connect(lambda _r: self.reload_tables())
        self.count_kb = QCheckBox(_("Count fair (KB) items as usable"))
        self.count_kb.toggled.connect(lambda _c: self.reload_tables())

        self.items_model = RowTableModel([
            Column(_("Room"), lambda i: i.room.name if i.room else "—"),
            Column(_("Item"), lambda i: i.item_type.name),
            Column(_("Brand / model"), lambda i: i.brand_model),
            Column(_("Year"), lambda i: i.year or "", align=CENTER, sort=lambda i: i.year or 0),
            Column(_("Register code"), lambda i: i.register_code),
            Column(_("Qty"), lambda i: qty(i.quantity), align=RIGHT, sort=lambda i: i.quantity),
            Column(_("Unit"), lambda i: i.item_type.unit),
            Column(_("Condition"), lambda i: i.condition, align=CENTER,
                   tooltip=lambda i: Condition(i.condition).label),
            Column(_("Purchase price (Rp)"), lambda i: rupiah(i.purchase_price, symbol=False) if i.purchase_price
                   is not None else "", align=RIGHT, sort=lambda i: i.purchase_price or 0),
            Column(_("On plan"), lambda i: _("yes") if i.on_plan else "", align=CENTER),
            Column(_("Notes"), lambda i: i.notes),
        ], self)
        self.items_view, self.items_proxy = make_table_view(self.items_model, self)

        self.needs_model = RowTableModel([
            Column(_("Room"), lambda n: n.room.name),
            Column(_("Item"), lambda n: n.item_type.name),
            Column(_("Required"), lambda n: qty(n.quantity), align=RIGHT, sort=lambda n: n.quantity),
            Column(_("Usable"), lambda n: qty(self.gaps[n.id].usable), align=RIGHT,
                   sort=lambda n: self.gaps[n.id].usable),
            Column(_("Gap"), lambda n: qty(self.gaps[n.id].missing), align=RIGHT,
                   sort=lambda n: self.gaps[n.id].missing),
            Column(_("Gap cost (Rp)"), lambda n: rupiah(self.gaps[n.id].missing * n.item_type.ref_price, symbol=False),
                   align=RIGHT, sort=lambda n: self.gaps[n.id].missing * n.item_type.ref_price),
            Column(_("Source"), lambda n: NeedSource(n.source).label),
            Column(_("Reason"), lambda n: n.reason, width=360),
        ], self)
        self.needs_view, self.needs_proxy = make_table_view(self.needs_model, self)
        self.needs_total = QLabel()

        inv_box = QGroupBox(_("Inventory (KIR)"))
        QVBoxLayout(inv_box).addWidget(self.items_view)
        needs_box = QGroupBox(_("Needs and gaps"))
        nv = QVBoxLayout(needs_box)
        nv.addWidget(self.needs_view)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_kb)
        bottom.addStretch(1)
        bottom.addWidget(self.needs_total)
        nv.addLayout(bottom)

        right = QSplitter(Qt.Vertical)
        right.addWidget(inv_box)
        right.addWidget(needs_box)
        split = QSplitter(Qt.Horizontal)
        left = QGroupBox(_("Rooms"))
        QVBoxLayout(left).addWidget(self.rooms)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([240, 1100])
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self.reload_rooms()
        fit_columns(self.items_view, self.items_model)
        fit_columns(self.needs_view, self.needs_model)
        signals.changed.connect(self.apply_changes)

    def reload_rooms(self) -> None:
        current = self.selected_room_id()
        self.rooms.blockSignals(True)
        self.rooms.clear()
        all_item = QListWidgetItem(_("All rooms"))
        all_item.setData(Qt.UserRole, ALL_ROOMS)
        self.rooms.addItem(all_item)
        rows = self.project.session.execute(
            select(Room.id, Room.name, Floor.name).join(Floor).order_by(Floor.order, Room.name)).all()
        for rid, name, floor in rows:
            item = QListWidgetItem(f"{name} — {floor}")
            item.setData(Qt.UserRole, rid)
            self.rooms.addItem(item)
        self.rooms.blockSignals(False)
        index = next((i for i in range(self.rooms.count()) if self.rooms.item(i).data(Qt.UserRole) == current), 0)
        self.rooms.setCurrentRow(index)
        self.reload_tables()

    def selected_room_id(self) -> int:
        item = self.rooms.currentItem()
        return item.data(Qt.UserRole) if item is not None else ALL_ROOMS

    def reload_tables(self) -> None:
        room_id = self.selected_room_id()
        s = self.project.session
        items_stmt = select(InventoryItem).options(selectinload(InventoryItem.item_type),
                                                   selectinload(InventoryItem.room))
        needs_stmt = select(Need).options(selectinload(Need.item_type), selectinload(Need.room))
        if room_id != ALL_ROOMS:
            items_stmt = items_stmt.where(InventoryItem.room_id == room_id)
            needs_stmt = needs_stmt.where(Need.room_id == room_id)
        items = s.scalars(items_stmt.order_by(InventoryItem.room_id, InventoryItem.id)).all()
        needs = s.scalars(needs_stmt.order_by(Need.room_id, Need.id)).all()
        self.gaps = compute_gaps(needs, items, count_kb=self.count_kb.isChecked())
        self.items_model.set_rows(items)
        self.needs_model.set_rows(needs)
        cost = sum((self.gaps[n.id].missing * n.item_type.ref_price for n in needs), Decimal(0))
        missing = sum(1 for n in needs if self.gaps[n.id].missing > 0)
        self.needs_total.setText(_("{n} open gaps, cost at reference prices: {cost}").format(
            n=missing, cost=rupiah(cost)))

    def apply_changes(self, changes: Changes) -> None:
        if changes.touches("room", "floor"):
            self.reload_rooms()
        elif changes.touches("inventory_item", "need", "item_type"):
            self.reload_tables()
