"""Declarative read/edit table models: a list of rows and a list of columns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QTableView


@dataclass
class Column:
    header: str
    value: Callable[[Any], Any]  # the text shown
    sort: Callable[[Any], Any] | None = None  # sort key (defaults to the value)
    align: Qt.AlignmentFlag = Qt.AlignLeft | Qt.AlignVCenter
    colour: Callable[[Any], str | None] | None = None  # background swatch
    tooltip: Callable[[Any], str] | None = None
    width: int | None = None


RIGHT = Qt.AlignRight | Qt.AlignVCenter
CENTER = Qt.AlignCenter
SORT_ROLE = Qt.UserRole + 1


class RowTableModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[Column], parent=None):
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_object(self, row: int) -> Any:
        return self.rows[row]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(self.columns):
            return self.columns[section].header
        if orientation == Qt.Vertical and role == Qt.DisplayRole:
            return section + 1
        return None

    def data(self, index: QModelIndex, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        obj = self.rows[index.row()]
        col = self.columns[index.column()]
        if role == Qt.DisplayRole:
            value = col.value(obj)
            return "" if value is None else str(value)
        if role == SORT_ROLE:
            key = (col.sort or col.value)(obj)
            return "" if key is None else key
        if role == Qt.TextAlignmentRole:
            return int(col.align)
        if role == Qt.DecorationRole and col.colour is not None:
            c = col.colour(obj)
            return QColor(c) if c else None
        if role == Qt.ToolTipRole and col.tooltip is not None:
            return col.tooltip(obj)
        return None


class SortFilterProxy(QSortFilterProxyModel):
    """Sorts on each column's sort key; filters on any column's text (case-insensitive)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseInsensitive)
        self.setFilterKeyColumn(-1)

    def lessThan(self, left, right) -> bool:  # noqa: N802
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        try:
            return a < b
        except TypeError:
            return str(a) < str(b)


def make_table_view(model: RowTableModel, parent=None,
                    proxy_class: type[SortFilterProxy] = SortFilterProxy) -> tuple[QTableView, SortFilterProxy]:
    proxy = proxy_class(parent)
    proxy.setSourceModel(model)
    view = QTableView(parent)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QTableView.SelectRows)
    view.verticalHeader().setDefaultSectionSize(24)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.Interactive)
    view.sortByColumn(-1, Qt.AscendingOrder)
    return view, proxy


def fit_columns(view: QTableView, model: RowTableModel, max_width: int = 360) -> None:
    """Size columns to their content, looking at the first rows only (fast on 5,000-row tables)."""
    view.horizontalHeader().setResizeContentsPrecision(60)
    view.resizeColumnsToContents()
    for i, col in enumerate(model.columns):
        if col.width:
            view.setColumnWidth(i, col.width)
        elif view.columnWidth(i) > max_width:
            view.setColumnWidth(i, max_width)
