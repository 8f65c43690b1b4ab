"""The catalog palette: item types grouped by category, searchable; click one to place it,
or drag it onto the plan."""

from __future__ import annotations

import re

from PySide6.QtCore import QByteArray, QMimeData, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from mpp_planner.formats import number
from mpp_planner.i18n import _
from mpp_planner.qt.plan.view import ITEM_TYPE_MIME
from mpp_planner.reads.plan import CatalogEntry, catalog_entries

TYPE_ROLE = Qt.UserRole + 1


class _CatalogTree(QTreeWidget):
    escaped = Signal()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key_Escape:
            self.clearSelection()
            self.escaped.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def mimeData(self, items) -> QMimeData:  # noqa: N802
        mime = QMimeData()
        ids = [i.data(0, TYPE_ROLE) for i in items if i.data(0, TYPE_ROLE) is not None]
        if ids:
            mime.setData(ITEM_TYPE_MIME, QByteArray(str(ids[0]).encode()))
        return mime

    def mimeTypes(self):  # noqa: N802
        return [ITEM_TYPE_MIME]


class CatalogPalette(QWidget):
    item_chosen = Signal(object)  # the CatalogEntry
    cancelled = Signal()  # Escape in the palette: no item is being placed any more

    def __init__(self, project, parent=None):
        super().__init__(parent)
        self.project = project
        self.types: dict[int, CatalogEntry] = {}
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search the catalog…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.filter)
        self.tree = _CatalogTree()
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(True)
        self.tree.setIndentation(12)
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragOnly)
        self.tree.setSelectionMode(QAbstractItemView.SingleSelection)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.itemActivated.connect(self._clicked)
        self.tree.escaped.connect(self.cancelled)
        hint = QLabel(_("Click an item, then click on the plan (or drag it there)."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #6C7A89; font-size: 11px;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        layout.addWidget(hint)
        self.reload()

    def reload(self) -> None:
        self.tree.clear()
        self.types = {}
        groups: dict[str, QTreeWidgetItem] = {}
        font = self.tree.font()
        font.setBold(True)
        for it in catalog_entries(self.project):
            self.types[it.id] = it
            group = groups.get(it.category)
            if group is None:
                group = QTreeWidgetItem([it.category])
                group.setFont(0, font)
                group.setFlags(Qt.ItemIsEnabled)
                self.tree.addTopLevelItem(group)
                groups[it.category] = group
            child = QTreeWidgetItem([it.name])
            child.setData(0, TYPE_ROLE, it.id)
            child.setToolTip(0, _("{name}\n{w} × {d} m on the plan").format(
                name=it.name, w=number(it.width / 1000, 2), d=number(it.depth / 1000, 2)))
            child.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsDragEnabled)
            group.addChild(child)
        self.tree.expandAll()
        self.filter(self.search.text())

    def filter(self, text: str) -> None:
        """Show items where every typed word starts a word of the name, category, key or tags
        ("ac" finds "AC Split", not "Rak Baca")."""
        words = text.lower().split()
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            shown = 0
            for j in range(group.childCount()):
                child = group.child(j)
                it = self.types[child.data(0, TYPE_ROLE)]
                hay = re.split(r"[^0-9a-z]+", f"{it.name} {it.category} {it.key} {it.tags}".lower())
                ok = all(any(h.startswith(w) for h in hay) for w in words)
                child.setHidden(not ok)
                shown += ok
            group.setHidden(shown == 0)
            if words and shown:
                group.setExpanded(True)

    def visible_names(self) -> list[str]:
        out = []
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            for j in range(group.childCount()):
                if not group.child(j).isHidden() and not group.isHidden():
                    out.append(group.child(j).text(0))
        return out

    def choose(self, item_type_id: int) -> None:
        it = self.types.get(item_type_id)
        if it is not None:
            self.item_chosen.emit(it)

    def _clicked(self, item, _column=0) -> None:
        type_id = item.data(0, TYPE_ROLE)
        if type_id is not None:
            self.choose(type_id)

    def clear_choice(self) -> None:
        self.tree.clearSelection()
