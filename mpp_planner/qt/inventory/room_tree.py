"""The rooms of the Inventory tab: "All rooms", then each floor with its rooms, each with its KIR row count
and the cost of its open gaps.

The count and gap columns are sized once, from the texts they were just given: a column sized to its
contents by the header would measure every room again each time the tab is shown (1,800 rooms at
scale 50)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import QHeaderView, QStyle, QTreeWidget, QTreeWidgetItem

from mpp_planner.formats import rupiah
from mpp_planner.i18n import _
from mpp_planner.model.gaps import GapTotal

ALL_ROOMS = -1
ID_ROLE = Qt.ItemDataRole.UserRole  # the room id of an entry (ALL_ROOMS for a floor and for all rooms)
FLOOR_ROLE = Qt.ItemDataRole.UserRole + 7  # the floor id of a floor's entry
NUMBER_ALIGN = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
GAP_COLOUR = QColor(Qt.GlobalColor.darkRed)


class RoomTree(QTreeWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setColumnCount(3)
        self.setHeaderLabels([_("Room"), _("Rows"), _("Gap (Rp)")])
        self.setRootIsDecorated(True)
        self.setIndentation(14)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)  # sized by show_totals
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)

    def room_id(self) -> int:
        """The chosen room's id, or ALL_ROOMS for "All rooms" and for a floor."""
        item = self.currentItem()
        if item is None or item.data(0, FLOOR_ROLE) is not None:
            return ALL_ROOMS
        return item.data(0, ID_ROLE)

    def floor_id(self) -> int | None:
        """The chosen floor's id (None unless a floor is chosen)."""
        item = self.currentItem()
        return item.data(0, FLOOR_ROLE) if item is not None else None

    def fill(self, rooms) -> None:
        """Show ``rooms`` (``reads.inventory.rooms_by_floor``), keeping the room or floor chosen; no signal."""
        current, current_floor = self.room_id(), self.floor_id()
        self.blockSignals(True)
        self.clear()
        top = QTreeWidgetItem([_("All rooms"), "", ""])
        top.setData(0, ID_ROLE, ALL_ROOMS)
        bold = top.font(0)
        bold.setBold(True)
        for c in range(3):
            top.setFont(c, bold)
        top.setForeground(2, GAP_COLOUR)
        chosen = top
        entries = [top]
        floors: dict[int, QTreeWidgetItem] = {}
        for rid, name, fid, floor in rooms:
            parent = floors.get(fid)
            if parent is None:
                parent = QTreeWidgetItem([floor, "", ""])
                parent.setData(0, ID_ROLE, ALL_ROOMS)
                parent.setData(0, FLOOR_ROLE, fid)
                for c in range(3):
                    parent.setFont(c, bold)
                parent.setTextAlignment(1, NUMBER_ALIGN)
                parent.setTextAlignment(2, NUMBER_ALIGN)
                parent.setForeground(2, GAP_COLOUR)
                entries.append(parent)
                floors[fid] = parent
                if current_floor == fid:
                    chosen = parent
            item = QTreeWidgetItem([name, "", ""])
            item.setData(0, ID_ROLE, rid)
            item.setToolTip(0, f"{name} ({floor})")
            item.setTextAlignment(1, NUMBER_ALIGN)
            item.setTextAlignment(2, NUMBER_ALIGN)
            item.setForeground(2, GAP_COLOUR)
            parent.addChild(item)
            if rid == current and current_floor is None:
                chosen = item
        self.addTopLevelItems(entries)
        for parent in floors.values():
            parent.setExpanded(True)
        self.setCurrentItem(chosen)
        self.blockSignals(False)

    def show_totals(self, counts: dict[int, int], all_rows: int, room_totals: dict[int, GapTotal],
                    total: GapTotal) -> None:
        """Each room's KIR rows (``counts``) and open gaps, summed per floor and for all rooms."""
        no_gap = GapTotal()
        shown: list[tuple[QTreeWidgetItem, str, str]] = []

        def show(entry, rows: int, gaps: GapTotal) -> None:
            shown.append((entry, str(rows) if rows else "", rupiah(gaps.cost, symbol=False) if gaps.cost else ""))

        for k in range(self.topLevelItemCount()):
            entry = self.topLevelItem(k)
            if entry.data(0, FLOOR_ROLE) is None:
                show(entry, all_rows, total)
                continue
            floor_rows, floor_total = 0, GapTotal()
            for c in range(entry.childCount()):
                child = entry.child(c)
                rid = child.data(0, ID_ROLE)
                gaps = room_totals.get(rid, no_gap)
                show(child, counts.get(rid, 0), gaps)
                floor_rows += counts.get(rid, 0)
                floor_total += gaps
            show(entry, floor_rows, floor_total)
        for entry, rows_text, cost_text in shown:
            entry.setText(1, rows_text)
            entry.setText(2, cost_text)
        self._fit_columns(shown)

    def _fit_columns(self, shown) -> None:
        """Size the count and gap columns to their widest text (in bold: the floors' and all rooms' totals
        are the widest)."""
        metrics = QFontMetrics(self.topLevelItem(0).font(0)) if self.topLevelItemCount() else self.fontMetrics()
        header = self.header()
        pad = 2 * self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 12
        for column in (1, 2):
            widest = max((metrics.horizontalAdvance(t) for t in {texts[column] for texts in shown}), default=0)
            self.setColumnWidth(column, max(widest + pad, header.sectionSizeHint(column)))
