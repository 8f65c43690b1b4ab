"""The catalog editor (item types with SSH reference prices) and the SSH price-list import.

Edits run on the main undo stack (``undo_stack.run``); a refusal is shown on the dialog's own message
line. The price list is read in a worker (``run_job``) against a read-only view of the project."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout,
                               QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSpinBox, QTableView, QToolButton,
                               QVBoxLayout)

from mpp_planner.commands.inventory import add_item_type, delete_item_types, edit_item_type
from mpp_planner.formats import rupiah
from mpp_planner.i18n import _
from mpp_planner.importers import ImportRefused
from mpp_planner.importers.prices import PricePlan, parse_price, preview
from mpp_planner.model import ItemType, ValidationError
from mpp_planner.project import Changes, Topic
from mpp_planner.qt.inventory.dialogs import qty_edit_text
from mpp_planner.qt.inventory.editing import (ORIGIN, WARN, EditableRowModel, EditColumn, FilterProxy, FormDialog,
                                              InlineDelegate)
from mpp_planner.qt.jobs import run_job, show_job_error
from mpp_planner.qt.message_line import MessageLine
from mpp_planner.qt.tables import RIGHT, Column, RowTableModel, fit_columns, make_table_view
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
    """Add or edit one item type: name, category, unit, reference price, account code,
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
                "specification": self.spec.toPlainText(), "tags": self.tags.text(), "seats": self.seats.value(),
                "width": self.width.value(), "depth": self.depth.value()}

    def command(self):
        fields = self.values()
        if self.it is None:
            return add_item_type(self.project, fields)
        changed = {k: v for k, v in fields.items() if getattr(self.it, k) != v}
        return edit_item_type(self.it.id, changed) if changed else None


class PriceImportDialog(QDialog):
    """Choose an SSH price list, see every change (and every row error), then import all or nothing."""

    def __init__(self, project, undo_stack, parent=None, source: str | Path | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Import SSH prices"))
        self.project, self.undo_stack = project, undo_stack
        self.plan: PricePlan | None = None
        self.job = None  # the last reading of a price list (a JobHandle)
        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.path.setPlaceholderText(_("Choose a CSV or XLSX price list (columns kode/key or nama/name, harga/price)"))
        browse = QPushButton(_("Choose file…"))
        browse.clicked.connect(self.choose)
        self.model = RowTableModel([
            Column(_("Row"), lambda c: c.row, align=RIGHT),
            Column(_("Key"), lambda c: c.key),
            Column(_("Item type"), lambda c: c.name, width=320),
            Column(_("Unit"), lambda c: c.unit),
            Column(_("Current price (Rp)"), lambda c: _money_text(c.old_price), align=RIGHT,
                   sort=lambda c: c.old_price),
            Column(_("New price (Rp)"), lambda c: _money_text(c.new_price), align=RIGHT, sort=lambda c: c.new_price),
            Column(_("Change"), lambda c: self._change_text(c), align=RIGHT,
                   sort=lambda c: c.new_price - c.old_price),
        ], self)
        self.view, _proxy = make_table_view(self.model, self)
        fit_columns(self.view, self.model)  # headers readable before a file is chosen
        self.view.horizontalHeader().setResizeContentsPrecision(80)
        self.status = QLabel(_("No file chosen."))
        self.status.setWordWrap(True)
        self.errors = QPlainTextEdit()
        self.errors.setReadOnly(True)
        self.errors.setStyleSheet(WARN)
        self.errors.setMaximumHeight(130)
        self.errors.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.Cancel)
        self.import_button = self.buttons.addButton(_("Import"), QDialogButtonBox.AcceptRole)
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.do_import)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.view)
        layout.addWidget(self.status)
        layout.addWidget(self.errors)
        layout.addWidget(self.buttons)
        self.resize(980, 560)
        if source is not None:
            self.load(source)

    @staticmethod
    def _change_text(c) -> str:
        if c.new_price == c.old_price:
            return "—"
        if not c.old_price:
            return _("new")
        pct = (c.new_price - c.old_price) / c.old_price * 100
        return f"{pct:+.1f} %"

    def choose(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("SSH price list"), "",
                                                    _("Price lists (*.csv *.xlsx);;All files (*)"))
        if path:
            self.load(path)

    def load(self, path):
        """Read the price list in a worker and show the preview when it is done; returns the job."""
        self.path.setText(str(path))
        self.errors.hide()
        self.import_button.setEnabled(False)
        source = Path(path)
        self.job = run_job(self, _("Import SSH prices"), lambda reader: preview(reader, source), project=self.project,
                           on_done=self._show_plan, on_failed=self._refused)
        return self.job

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, ImportRefused):
            self._show_plan(None, exc.errors)
        else:
            show_job_error(self, _("Import SSH prices"), exc)

    def _show_plan(self, plan: PricePlan | None, errors=None) -> None:
        self.plan = plan
        errors = plan.errors if plan is not None else errors
        self.model.set_rows(plan.changes if plan else [])
        fit_columns(self.view, self.model)
        if errors:
            self.errors.setPlainText("\n".join(str(e) for e in errors))
            self.errors.show()
            self.status.setText(_("Nothing will be imported: {n} problem(s). Correct the file and choose it again."
                                  ).format(n=len(errors)))
            self.import_button.setEnabled(False)
            return
        changed = sum(1 for c in plan.changes if c.changed)
        self.status.setText(_("{n} row(s) matched; {c} item type(s) will change. The import is one step you can "
                              "undo.").format(n=len(plan.changes), c=changed))
        self.import_button.setEnabled(changed > 0)

    def do_import(self) -> None:
        if self.plan is None or not self.plan.ok:
            return
        plan = self.plan
        if self.undo_stack.run(plan.command, origin=ORIGIN, report=self._import_refused, parent=self):
            self.accept()

    def _import_refused(self, text: str) -> None:
        self.errors.setPlainText(text)
        self.errors.show()
