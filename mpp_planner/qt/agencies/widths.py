"""Column widths from the texts a column holds: the width ``resizeColumnToContents`` gives after
looking at every row, for the cost of measuring each distinct text once with the font and asking
the view's size hint for the few widest cells only (Qt's own measure asks ``data()`` for every role
of every cell it looks at: 72,000 calls for the counter schedule at scale 50)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractProxyModel
from PySide6.QtWidgets import QTableView

from mpp_planner.qt.tables import RowTableModel

CANDIDATES = 3  # widest texts whose cells are measured (the font's advance and the drawn width may differ by a pixel)


def fit_to_texts(view: QTableView, column: int, texts: Sequence[str], minimum: int = 0,
                 maximum: int | None = None) -> None:
    """Size ``column`` of ``view`` for ``texts`` (the column's text of each row of the view's source
    model, in source order), never below the header, nor below ``minimum`` or above ``maximum``."""
    metrics = view.fontMetrics()
    widths: dict[str, int] = {}
    for text in texts:
        if text not in widths:
            widths[text] = metrics.horizontalAdvance(text)
    widest = set(sorted(widths, key=widths.__getitem__, reverse=True)[:CANDIDATES])
    shown = view.model()
    source = shown.sourceModel() if isinstance(shown, QAbstractProxyModel) else None
    content = 0
    for row, text in enumerate(texts):
        if text not in widest:
            continue
        widest.discard(text)
        index = source.index(row, column) if source is not None else shown.index(row, column)
        if source is not None:
            index = shown.mapFromSource(index)
        if index.isValid():  # a row the filter hides does not widen the column
            content = max(content, view.sizeHintForIndex(index).width())
    if content and view.showGrid():
        content += 1  # as QTableView.sizeHintForColumn
    width = max(content, view.horizontalHeader().sectionSizeHint(column), minimum)
    view.setColumnWidth(column, width if maximum is None else min(width, maximum))


def fit_rows(view: QTableView, model: RowTableModel, max_width: int = 360) -> None:
    """Every column of a :class:`RowTableModel` fitted to its texts; a column with a set width keeps it,
    the others at most ``max_width`` (as :func:`mpp_planner.qt.tables.fit_columns`)."""
    for i, col in enumerate(model.columns):
        if col.width:
            view.setColumnWidth(i, col.width)
            continue
        texts = []
        for row in model.rows:
            value = col.value(row)
            texts.append("" if value is None else str(value))
        fit_to_texts(view, i, texts, maximum=max_width)
