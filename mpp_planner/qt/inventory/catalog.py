"""The catalog editor (item types with SSH reference prices); its SSH price-list import lives in
``qt.inventory.ssh_import``.

Edits run on the main undo stack (``undo_stack.run``); a refusal is shown on the dialog's own message
line."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QHBoxLayout,
                               QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSpinBox, QTableView, QToolButton,
                               QVBoxLayout)

from mpp_planner.commands.inventory import add_item_type, delete_item_types, edit_item_type
from mpp_planner.formats import rupiah
from mpp_planner.i18n import _
from mpp_planner.importers.prices import parse_price
from mpp_planner.model import ItemType, ValidationError
from mpp_planner.project import Changes, Topic
from mpp_planner.qt.inventory.dialogs import AssetCodeField, qty_edit_text
from mpp_planner.qt.inventory.editing import (ORIGIN, EditableRowModel, EditColumn, FilterProxy, FormDialog,
                                              InlineDelegate)
from mpp_planner.qt.inventory.ssh_import import PriceImportDialog
from mpp_planner.qt.message_line import MessageLine
from mpp_planner.qt.tables import RIGHT, fit_columns
from mpp_planner.reads import catalog as reads


def _money_text(value: Decimal) -> str:
    return rupiah(value, symbol=False)


class CatalogDialog(QDialog):
    """All item types, editable in place; add, delete (when unused), import an SSH price list.
    Every change is an undoable command on the main undo stack."""

    def __init__(self, project, signals, undo_stack, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("Item catalog"))
        self.project, self.signals, self.undo_stack = project, signals, undo_stack
        self.usage: dict[int, int] = {}
        self.model = EditableRowModel([
            EditColumn(_("Key"), lambda t: t.key, field="key"),
            EditColumn(_("Name"), lambda t: t.name, field="name", width=300),
            EditColumn(_("Category"), lambda t: t.category, field="category"),
            EditColumn(_("Unit"), lambda t: t.unit, field="unit"),
            EditColumn(_("Reference price (Rp)"), lambda t: _money_text(t.ref_price), align=RIGHT,
                       sort=lambda t: t.ref_price, field="ref_price", edit_value=lambda t: qty_edit_text(t.ref_price)),
            EditColumn(_("Account code"), lambda t: t.account_code, field="account_code"),
            EditColumn(_("Asset code"), lambda t: t.asset_code, field="asset_code",
                       tooltip=lambda t: reads.asset_code_name(t.asset_code)),
            EditColumn(_("SSH code"), lambda t: t.standard_price_code,
                       tooltip=lambda t: _("SIPD kode_standar_harga, set by the SSH price import")),
            EditColumn(_("Tags"), lambda t: t.tags, field="tags"),
            EditColumn(_("Seats"), lambda t: t.seats or "", align=RIGHT, sort=lambda t: t.seats, field="seats"),
            EditColumn(_("Width (mm)"), lambda t: t.width, align=RIGHT, field="width"),
            EditColumn(_("Depth (mm)"), lambda t: t.depth, align=RIGHT, field="depth"),
            EditColumn(_("In use"), lambda t: self.usage.get(t.id, 0) or "", align=RIGHT,
                       sort=lambda t: self.usage.get(t.id, 0),
                       tooltip=lambda t: _("inventory rows and needs using this item type")),
            EditColumn(_("Specification"), lambda t: t.specification, field="specification", width=420,
                       tooltip=lambda t: t.specification),
        ], self._commit, self)
        self.proxy = FilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setResizeContentsPrecision(80)
        self.view.setItemDelegate(InlineDelegate(self.view))
        self.view.sortByColumn(-1, Qt.AscendingOrder)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Filter item types…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.summary = QLabel()
        self.message = MessageLine()  # why the last edit was refused

        add = QPushButton(_("Add…"))
        add.clicked.connect(self.add)
        edit = QPushButton(_("Edit…"))
        edit.clicked.connect(self.edit_selected)
        delete = QPushButton(_("Delete"))
        delete.clicked.connect(self.delete_selected)
        imp = QPushButton(_("Import SSH prices…"))
        imp.clicked.connect(self.import_prices)
        undo = QToolButton()
        undo.setDefaultAction(undo_stack.make_undo_action(self, _("Undo")))
        redo = QToolButton()
        redo.setDefaultAction(undo_stack.make_redo_action(self, _("Redo")))
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        for w in (add, edit, delete, imp, undo, redo):
            top.addWidget(w)
        close = QDialogButtonBox(QDialogButtonBox.Close)
        close.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view)
        layout.addWidget(self.message)
        layout.addLayout(bottom)
        self.reload()
        fit_columns(self.view, self.model)
        self.resize(1250, 640)
        signals.changed.connect(self.apply_changes)
        self.view.doubleClicked.connect(self._double_clicked)

    def done(self, result) -> None:
        try:
            self.signals.changed.disconnect(self.apply_changes)
        except (RuntimeError, TypeError):
            pass
        super().done(result)

    def reload(self) -> None:
        types = reads.item_types(self.project)
        self.usage = reads.item_type_usage(self.project)
        self.model.set_rows(types)
        self.summary.setText(_("{n} item types in {c} categories").format(
            n=len(types), c=len({t.category for t in types})))

    def apply_changes(self, changes: Changes) -> None:
        came_or_went = changes.ids(Topic.CATALOG, "added") or changes.ids(Topic.CATALOG, "removed")
        if not changes.reset and changes.about(Topic.CATALOG) and not came_or_went:
            self.model.refresh_ids(changes.ids(Topic.CATALOG, "updated"))
        elif changes.about(Topic.CATALOG, Topic.INVENTORY, Topic.NEEDS):
            self.reload()

    def show_message(self, text: str) -> None:
        self.message.tell(text)

    def _run(self, command) -> bool:
        """Run an edit of the catalog; a refusal is told on the dialog's message line."""
        self.message.hide()
        return self.undo_stack.run(command, origin=ORIGIN, report=self.show_message, parent=self)

    def _commit(self, it: ItemType, field: str, value) -> bool:
        def command():
            parsed = value
            if field == "ref_price":
                try:
                    parsed = parse_price(value)
                except ValueError:
                    raise ValidationError(field, _("'{value}' is not a price.").format(value=value)) from None
            return edit_item_type(it.id, {field: parsed})

        return self._run(command)

    def selected(self) -> list[ItemType]:
        rows = sorted({self.proxy.mapToSource(i).row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.row_object(r) for r in rows]

    def _double_clicked(self, index) -> None:
        if not (self.proxy.flags(index) & Qt.ItemIsEditable):
            self.edit_selected()

    def add(self) -> None:
        ItemTypeDialog(self.project, self.undo_stack, None, self).exec()

    def edit_selected(self) -> None:
        chosen = self.selected()
        if chosen:
            ItemTypeDialog(self.project, self.undo_stack, chosen[0], self).exec()

    def delete_selected(self) -> None:
        chosen = self.selected()
        if chosen:
            ids = [t.id for t in chosen]
            self._run(lambda: delete_item_types(self.project, ids))

    def import_prices(self) -> None:
        PriceImportDialog(self.project, self.undo_stack, self).exec()


class ItemTypeDialog(FormDialog):
    """Add or edit one item type: name, category, unit, reference price, account code, kode barang,
    specification, tags, seats and plan size."""

    def __init__(self, project, undo_stack, item_type: ItemType | None = None, parent=None):
        super().__init__(_("Edit item type") if item_type else _("Add item type"), undo_stack, parent)
        self.project, self.it = project, item_type
        t = item_type
        self.key = QLineEdit(t.key if t else "")
        self.key.setPlaceholderText(_("letters, digits, _ and -; e.g. kursi_tunggu_3"))
        self.name = QLineEdit(t.name if t else "")
        self.category = self._combo(reads.categories(project), t.category if t else "")
        self.unit = self._combo(sorted(set(reads.units(project)) | {"unit", "set", "buah", "paket", "m2"}),
                                t.unit if t else "unit")
        self.price = QLineEdit(qty_edit_text(t.ref_price) if t else "")
        self.price.setPlaceholderText(_("e.g. 1.250.000"))
        self.account = QComboBox()
        self.account.setEditable(True)
        for code, name in reads.account_codes(project):
            self.account.addItem(f"{code} {name}", code)
        self.account.setCurrentIndex(max(0, self.account.findData(t.account_code if t else "5.2.02.05.02.0001")))
        self.asset_code = AssetCodeField(t.asset_code if t else "")
        self.asset_code.setPlaceholderText(_("e.g. 1.3.2.05.01.04.001, or type a name"))
        self.spec = QPlainTextEdit(t.specification if t else "")
        self.spec.setFixedHeight(70)
        self.tags = QLineEdit(t.tags if t else "")
        self.tags.setPlaceholderText(_("space separated, e.g. seat chair_backrest"))
        self.seats = QSpinBox()
        self.seats.setRange(0, 100)
        self.seats.setValue(t.seats if t else 0)
        self.width = QSpinBox()
        self.depth = QSpinBox()
        for box, value in ((self.width, t.width if t else 600), (self.depth, t.depth if t else 600)):
            box.setRange(50, 100_000)
            box.setSuffix(" mm")
            box.setValue(value)
        size = QHBoxLayout()
        size.addWidget(self.width)
        size.addWidget(QLabel("×"))
        size.addWidget(self.depth)
        self.form.addRow(_("Key:"), self.key)
        self.form.addRow(_("Name:"), self.name)
        self.form.addRow(_("Category:"), self.category)
        self.form.addRow(_("Unit:"), self.unit)
        self.form.addRow(_("Reference price (Rp):"), self.price)
        self.form.addRow(_("Account code:"), self.account)
        self.form.addRow(_("Asset code (kode barang):"), self.asset_code)
        self.form.addRow(_("Specification:"), self.spec)
        self.form.addRow(_("Tags:"), self.tags)
        self.form.addRow(_("Seats:"), self.seats)
        self.form.addRow(_("Size on the plan:"), size)
        self.resize(620, self.sizeHint().height())

    @staticmethod
    def _combo(values, current) -> QComboBox:
        combo = QComboBox()
        combo.setEditable(True)
        combo.addItems(values)
        combo.setCurrentText(current)
        return combo

    def values(self) -> dict:
        price = self.price.text().strip()
        try:
            ref_price = parse_price(price) if price else Decimal(0)
        except ValueError:
            raise ValidationError("ref_price", _("'{value}' is not a price.").format(value=price)) from None
        i = self.account.findText(self.account.currentText())
        code = self.account.itemData(i) if i >= 0 else self.account.currentText().split(" ")[0]
        return {"key": self.key.text().strip(), "name": self.name.text(), "category": self.category.currentText(),
                "unit": self.unit.currentText(), "ref_price": ref_price, "account_code": code,
                "asset_code": self.asset_code.code(),
                "specification": self.spec.toPlainText(), "tags": self.tags.text(), "seats": self.seats.value(),
                "width": self.width.value(), "depth": self.depth.value()}

    def command(self):
        fields = self.values()
        if self.it is None:
            return add_item_type(self.project, fields)
        changed = {k: v for k, v in fields.items() if getattr(self.it, k) != v}
        return edit_item_type(self.it.id, changed) if changed else None

