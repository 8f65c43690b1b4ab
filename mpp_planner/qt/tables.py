"""Declarative read/edit table models: a list of rows and a list of columns.

Tables of thousands of rows stay quick (issue 22): the texts a row shows are made once and kept until
the model says the row changed; the text filter looks for the typed text in one lower-cased string per
row (made while the app is idle, :meth:`RowTableModel.prepare_search`) and waits for typing to pause
(:class:`FilterDelay`); sorting orders the rows inside the model by keys made once per sort, so neither
filtering nor sorting calls Python once per cell or per comparison; a long table can be handed to its
view a batch at a time; and columns are sized from the texts of their first rows (:func:`fit_columns`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cmp_to_key
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QLineEdit, QStyle, QTableView


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
# roles as plain module constants: PySide6 finds a short name such as ``Qt.DisplayRole`` by searching every
# enum of ``Qt`` (about 10 µs a time), which made each call of ``data()`` cost tens of microseconds
DISPLAY = Qt.ItemDataRole.DisplayRole
EDIT = Qt.ItemDataRole.EditRole
ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
DECORATION = Qt.ItemDataRole.DecorationRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
HORIZONTAL = Qt.Orientation.Horizontal
VERTICAL = Qt.Orientation.Vertical
DESCENDING = Qt.SortOrder.DescendingOrder
#: joins a row's texts into its search string; a typed filter cannot hold it (a line edit takes no NUL)
SEPARATOR = "\x00"
#: how long the filter waits after a keystroke before filtering (a word typed is filtered once)
FILTER_DELAY_MS = 150
#: how many rows the column widths are fitted to (the first ones)
FIT_SAMPLE = 80
#: search strings made per turn of the event loop while idle (a few milliseconds' work)
PREPARE_ROWS = 200


def search_text(text: str) -> str:
    """The form in which filter texts are compared: lower case (so "KURSI", "Kursi" and "kursi" meet,
    and "É" meets "é")."""
    return text.lower()


class RowTableModel(QAbstractTableModel):
    """Rows of objects shown through ``columns``. The shown texts of a row are kept once made (until
    ``dataChanged``, a reset or new rows); :meth:`sort` orders the rows themselves from the order they were
    given in, as ``QSortFilterProxyModel`` did but without a Python call per comparison; with ``batch``, views
    get the rows a batch at a time (``canFetchMore``/``fetchMore``) as they scroll down."""

    def __init__(self, columns: Sequence[Column], parent=None, batch: int | None = None):
        super().__init__(parent)
        self.columns = list(columns)
        self._values = [col.value for col in self.columns]
        self.rows: list[Any] = []
        #: rows handed to the views at a time (None: all at once); views fetch more as they scroll to the end
        self.batch = batch
        self._count = 0  # rows handed out so far (what rowCount says)
        self._holding = False  # several rows change at once: sort once, after the last
        self._preparing: QTimer | None = None  # makes the search strings while the app is idle
        self._given: list[Any] = []  # the rows in the order set_rows got them (the unsorted order)
        self._texts: list[tuple[str, ...] | None] = []  # per row: the shown text of each column
        self._search: list[str | None] = []  # per row: its texts, lower-cased, in one string
        self._sorted_by: tuple[int, Qt.SortOrder] | None = None
        self.dataChanged.connect(self._rows_changed)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self._values = [col.value for col in self.columns]
        self.beginResetModel()
        self._given = list(rows)
        self.rows = self._in_order(self._given)
        self._count = len(self.rows) if self.batch is None else min(self.batch, len(self.rows))
        self._forget_all()
        self.endResetModel()

    def row_object(self, row: int) -> Any:
        return self.rows[row]

    def refresh_ids(self, ids) -> None:
        """Repaint the rows of these objects (matched on ``.id``: their values changed in place)."""
        self.changed_rows([row for row, obj in enumerate(self.rows) if obj.id in ids])

    def refresh_all(self) -> None:
        """Every row's values may have changed in place: texts made again, rows sorted again."""
        self._forget_all()
        if self._count:
            self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1, self.columnCount() - 1))
        elif self._sorted_by is not None:
            self._reorder()

    def changed_rows(self, rows: Sequence[int]) -> None:
        """These rows' objects changed in place: repaint them, then sort once."""
        self._holding = True
        try:
            last = self.columnCount() - 1
            for row in rows:
                self._texts[row] = self._search[row] = None
                self._prepare_later()
                if row < self._count:
                    self.dataChanged.emit(self.index(row, 0), self.index(row, last))
        finally:
            self._holding = False
        if rows and self._sorted_by is not None:
            self._reorder()

    # --- handing rows out a batch at a time -------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self._count

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: N802
        return not parent.isValid() and self._count < len(self.rows)

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: N802
        if not parent.isValid():
            self.fetch(self._count + (self.batch or len(self.rows)))

    def fetch(self, upto: int) -> None:
        """Hand out the rows before ``upto`` (a filter needs all of them: ``fetch(len(rows))``)."""
        upto = min(upto, len(self.rows))
        if upto > self._count:
            self.beginInsertRows(QModelIndex(), self._count, upto - 1)
            self._count = upto
            self.endInsertRows()

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=DISPLAY):  # noqa: N802
        if orientation == HORIZONTAL and role == DISPLAY and 0 <= section < len(self.columns):
            return self.columns[section].header
        if orientation == VERTICAL and role == DISPLAY:
            return section + 1
        return None

    def data(self, index: QModelIndex, role=DISPLAY):
        if not index.isValid():
            return None
        if role == DISPLAY:
            return self.texts(index.row())[index.column()]
        if role == ALIGNMENT:
            return int(self.columns[index.column()].align)
        col = self.columns[index.column()]
        if role == SORT_ROLE:
            return self.sort_key(self.rows[index.row()], col)
        if role == DECORATION and col.colour is not None:
            c = col.colour(self.rows[index.row()])
            return QColor(c) if c else None
        if role == TOOLTIP and col.tooltip is not None:
            return col.tooltip(self.rows[index.row()])
        return None

    # --- what rows show, made once ----------------------------------------------------------
    def texts(self, row: int) -> tuple[str, ...]:
        """The text each column shows for ``row`` (made when first asked, kept until the row changes)."""
        texts = self._texts[row]
        if texts is None:
            obj = self.rows[row]
            texts = self._texts[row] = tuple([_shown(value(obj)) for value in self._values])
        return texts

    def search_string(self, row: int) -> str:
        """Every text of ``row`` lower-cased, joined by :data:`SEPARATOR`: what the text filter looks in."""
        found = self._search[row]
        if found is None:
            found = self._search[row] = search_text(SEPARATOR.join(self.texts(row)))
        return found

    @staticmethod
    def sort_key(obj: Any, col: Column) -> Any:
        """The key a column sorts ``obj`` by (what ``SORT_ROLE`` gives)."""
        key = (col.sort or col.value)(obj)
        return "" if key is None else key

    def _forget_all(self) -> None:
        self._texts = [None] * len(self.rows)
        self._search = [None] * len(self.rows)
        self._prepare_later()

    def prepare_search(self, enabled: bool = True) -> None:
        """Make the search strings of rows not filtered yet while the app is idle, a few rows per turn
        of the event loop (the first letter typed in the filter then finds them made)."""
        if not enabled:
            self._preparing = None
            return
        if self._preparing is None:
            self._preparing = QTimer(self)
            self._preparing.setSingleShot(True)
            self._preparing.setInterval(0)
            self._preparing.timeout.connect(self._prepare_some)
        self._prepare_later()

    def _prepare_later(self) -> None:
        if self._preparing is not None:
            self._preparing.start()

    def _prepare_some(self) -> None:
        search, left = self._search, PREPARE_ROWS
        for row, found in enumerate(search):
            if found is None:
                self.search_string(row)
                left -= 1
                if not left:
                    self._prepare_later()  # the rest at the next idle turn
                    return

    def _rows_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, _roles=()) -> None:
        """Values changed in place: their texts are made again when next shown, and the rows move
        to where the sort puts them now."""
        first, last = max(top_left.row(), 0), min(bottom_right.row(), len(self.rows) - 1)
        for row in range(first, last + 1):
            self._texts[row] = None
            self._search[row] = None
        self._prepare_later()
        if self._sorted_by is not None and last >= first and not self._holding:
            self._reorder()

    # --- sorting the rows themselves ----------------------------------------------------------
    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Keep the rows sorted on ``column`` (ascending: equal keys as given; descending: that order
        backwards, as Qt's proxy sorted); -1: as given."""
        self._sorted_by = (column, order) if 0 <= column < len(self.columns) else None
        self._reorder()

    def _in_order(self, rows: list[Any]) -> list[Any]:
        if self._sorted_by is None:
            return list(rows)
        column, order = self._sorted_by
        col = self.columns[column]
        keys = [self.sort_key(obj, col) for obj in rows]
        positions = range(len(rows))
        try:
            ranked = sorted(positions, key=keys.__getitem__)
        except TypeError:  # keys that do not compare (a number and a text): as text, as the proxy did
            def compare(a: int, b: int) -> int:
                return -1 if _less(keys[a], keys[b]) else 1 if _less(keys[b], keys[a]) else 0

            ranked = sorted(positions, key=cmp_to_key(compare))
        if order == DESCENDING:
            ranked.reverse()  # as Qt's proxy: the ascending order backwards, equal keys too
        return [rows[i] for i in ranked]

    def _reorder(self) -> None:
        new_rows = self._in_order(self._given)
        if len(new_rows) == len(self.rows) and all(a is b for a, b in zip(new_rows, self.rows)):
            return
        self.layoutAboutToBeChanged.emit()
        where = {id(obj): row for row, obj in enumerate(new_rows)}
        old_texts, old_search = self._texts, self._search
        moved_to = [where[id(obj)] for obj in self.rows]
        self.rows = new_rows
        self._forget_all()
        for old, new in enumerate(moved_to):
            self._texts[new] = old_texts[old]
            self._search[new] = old_search[old]
        before = self.persistentIndexList()
        self.changePersistentIndexList(before, [self.index(moved_to[i.row()], i.column()) for i in before])
        self.layoutChanged.emit()


def _shown(value: Any) -> str:
    return value if value.__class__ is str else "" if value is None else str(value)


def _less(a: Any, b: Any) -> bool:
    try:
        return a < b
    except TypeError:
        return str(a) < str(b)


class SortFilterProxy(QSortFilterProxyModel):
    """Filters on any column's text (case-insensitive) and sorts on each column's sort key.

    Over a :class:`RowTableModel` the text is looked for in the model's search string of each row (one
    ``in`` per row, not a ``data()`` call per cell) and sorting is done by the model (see
    :meth:`RowTableModel.sort`), so a filter that widens again never compares rows one by one."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
        self.needle = ""  # the filter text, lower-cased
        self._rows: RowTableModel | None = None

    def setSourceModel(self, model) -> None:  # noqa: N802 - Qt's name
        self._rows = model if isinstance(model, RowTableModel) else None
        super().setSourceModel(model)

    def change_filter(self, change: Callable[[], None]) -> None:
        """Run ``change`` (which alters what the filter accepts) and filter every row again, as one
        layout change (one repaint, however scattered the rows that come and go)."""
        change()
        if self._rows is not None and self.filtering():
            self._rows.fetch(len(self._rows.rows))  # a filter looks at every row, fetched or not
        self.invalidate()  # nothing is sorted here (the model sorts itself): this only filters again

    def filtering(self) -> bool:
        """Whether some rows may be left out now."""
        return bool(self.needle)

    def setFilterFixedString(self, text: str) -> None:  # noqa: N802 - Qt's name
        if self._rows is None:
            super().setFilterFixedString(text)
            return
        needle = search_text(text or "")
        if needle != self.needle:
            self.change_filter(lambda: setattr(self, "needle", needle))

    def filterAcceptsRow(self, row, parent) -> bool:  # noqa: N802
        model = self._rows
        if model is None:
            return super().filterAcceptsRow(row, parent)
        return self.matches(model, row)

    def matches(self, model: RowTableModel, row: int) -> bool:
        """Whether ``row`` holds the filter text (in any one column)."""
        needle = self.needle
        if not needle:
            return True
        if SEPARATOR in needle:  # not typed; looked for within each column, as Qt does
            return any(needle in search_text(text) for text in model.texts(row))
        return needle in model.search_string(row)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        model = self._rows
        if model is None:
            super().sort(column, order)
        else:
            model.sort(column, order)

    def lessThan(self, left, right) -> bool:  # noqa: N802
        return _less(left.data(SORT_ROLE), right.data(SORT_ROLE))


def make_table_view(model: RowTableModel, parent=None,
                    proxy_class: type[SortFilterProxy] = SortFilterProxy) -> tuple[QTableView, SortFilterProxy]:
    proxy = proxy_class(parent)
    proxy.setSourceModel(model)
    view = QTableView(parent)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.verticalHeader().setDefaultSectionSize(24)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    return view, proxy


def fit_columns(view: QTableView, model: RowTableModel, max_width: int = 360, sample: int = FIT_SAMPLE) -> None:
    """Size columns to their header and to the texts of the first ``sample`` rows, measured with the
    view's font (no size hint asked of the delegate cell by cell: instant on 7,000-row tables). A column
    with its own ``width`` gets it; none gets wider than ``max_width``."""
    header = view.horizontalHeader()
    metrics = view.fontMetrics()
    style = view.style()
    margin = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1) + 2  # + Qt's slack
    icon = style.pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, view) + margin
    rows = [model.texts(r) for r in range(min(model.rowCount(), sample))]
    for i, col in enumerate(model.columns):
        if col.width:
            view.setColumnWidth(i, col.width)
            continue
        widest = max((metrics.horizontalAdvance(line) for texts in rows for line in texts[i].split("\n")),
                     default=0)
        width = widest + margin + (icon if col.colour is not None else 0)
        view.setColumnWidth(i, min(max(width, header.sectionSizeHint(i)), max_width))


class FilterDelay:
    """Filters as the user types, once typing pauses for :data:`FILTER_DELAY_MS`: a word typed quickly
    is filtered once, not once per letter. Text set by the program (and a cleared field) filters at once."""

    def __init__(self, edit: QLineEdit, apply: Callable[[str], None], delay_ms: int = FILTER_DELAY_MS):
        self.edit = edit
        self.apply = apply
        self.timer = QTimer(edit)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self.flush)
        edit.textChanged.connect(self._changed)

    def _changed(self, text: str) -> None:
        if self.edit.isModified() and text:  # typed: wait for the next key
            self.timer.start()
        else:
            self.flush()

    def flush(self) -> None:
        """Filter on the field's text now (what the timer does when typing pauses)."""
        self.timer.stop()
        self.apply(self.edit.text())
