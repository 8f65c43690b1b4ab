"""The SSH price-list import: a simple price list or SIPD's SSH export (``importers.prices``).

The list is read and matched in a worker (``run_job``) against a read-only view of the project. The
dialog shows what changes on the matched item types and, for a SIPD export, the rows no item type
matched, each with a combo box: an item type (the closest name is chosen for it), "Create new item type"
or "Skip". *Import* runs ``plan.command(mapping)`` on the main undo stack: every price and every new item
type in one step; a refusal stays in the dialog."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout,
                               QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSplitter, QVBoxLayout, QWidget)

from mpp_planner.formats import rupiah
from mpp_planner.i18n import _
from mpp_planner.importers import ImportRefused
from mpp_planner.importers.prices import SKIP, Create, PricePlan, SshEntry, preview
from mpp_planner.model.labels import picker_labels
from mpp_planner.qt.inventory.editing import ORIGIN, WARN, EditableRowModel, EditColumn, InlineDelegate
from mpp_planner.qt.jobs import JobHandle, run_job, show_job_error
from mpp_planner.qt.tables import RIGHT, Column, RowTableModel, fit_columns, make_table_view

CREATE_CHOICE = "create"  # the combo boxes' value for "Create new item type"
PERSISTENT_COMBOS = 100  # up to this many unmatched rows show their combo box at once; more open on a click


def _money_text(value: Decimal) -> str:
    return rupiah(value, symbol=False)


class CommitAtOnceDelegate(InlineDelegate):
    """:class:`InlineDelegate` whose combo boxes hand over each choice as it is made (they stay open)."""

    def createEditor(self, parent, option, index):  # noqa: N802
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QComboBox):
            editor.currentIndexChanged.connect(lambda _i, e=editor: self.commitData.emit(e))
        return editor

    def setEditorData(self, editor, index):  # noqa: N802
        editor.blockSignals(True)  # showing the model's value is no choice of the user's
        try:
            super().setEditorData(editor, index)
        finally:
            editor.blockSignals(False)


class PriceImportDialog(QDialog):
    """Choose an SSH price list, see every change (and every row error), say what the unmatched rows of a
    SIPD export become, then import all or nothing."""

    def __init__(self, project, undo_stack, parent=None, source: str | Path | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Import SSH prices"))
        self.project, self.undo_stack = project, undo_stack
        self.plan: PricePlan | None = None
        self.job: JobHandle | None = None  # the last reading of a price list
        self.targets: dict[int, int | str] = {}  # unmatched row -> item type id, CREATE_CHOICE or SKIP
        self.accounts: dict[int, str] = {}  # unmatched row -> the account of the item type made from it
        self.choices: list[tuple[str, int | str]] = []
        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.path.setPlaceholderText(_("Choose a CSV or XLSX price list (columns kode/key or nama/name, harga/price) "
                                       "or SIPD's SSH export"))
        browse = QPushButton(_("Choose file…"))
        browse.clicked.connect(self.choose)

        self.model = RowTableModel([
            Column(_("Row"), lambda c: c.row, align=RIGHT),
            Column(_("Key"), lambda c: c.key),
            Column(_("SSH code"), lambda c: c.code),
            Column(_("Item type"), lambda c: c.name, width=300),
            Column(_("Matched"), lambda c: c.how),
            Column(_("Unit"), lambda c: c.unit),
            Column(_("Current price (Rp)"), lambda c: _money_text(c.old_price), align=RIGHT,
                   sort=lambda c: c.old_price),
            Column(_("New price (Rp)"), lambda c: _money_text(c.new_price), align=RIGHT, sort=lambda c: c.new_price),
            Column(_("Change"), lambda c: self._change_text(c), align=RIGHT,
                   sort=lambda c: c.new_price - c.old_price),
            Column(_("Allowed accounts"), lambda c: ", ".join(c.accounts)),
        ], self)
        self.view, _proxy = make_table_view(self.model, self)
        fit_columns(self.view, self.model)  # headers readable before a file is chosen
        self.view.horizontalHeader().setResizeContentsPrecision(80)

        self.unmatched_model = EditableRowModel([
            EditColumn(_("Row"), lambda e: e.row, align=RIGHT),
            EditColumn(_("SSH code"), lambda e: e.code),
            EditColumn(_("Name"), lambda e: e.name, width=250, tooltip=lambda e: e.name),
            EditColumn(_("Unit"), lambda e: e.unit),
            EditColumn(_("Price (Rp)"), lambda e: _money_text(e.price), align=RIGHT, sort=lambda e: e.price),
            EditColumn(_("Import as"), self._target_text, width=300, field="target",
                       edit_value=lambda e: self.targets.get(e.row, SKIP), choices=lambda: self.choices),
            EditColumn(_("Account (new item)"), self._account_text, width=150, field="account",
                       edit_value=lambda e: self._account_of(e),
                       tooltip=lambda e: _("Only for “Create new item type”: the account it is booked on")),
            EditColumn(_("Allowed accounts"), lambda e: ", ".join(e.accounts)),
            EditColumn(_("Specification"), lambda e: e.specification, width=200, tooltip=lambda e: e.specification),
        ], self._choose, self)
        self.unmatched_view, self.unmatched_proxy = make_table_view(self.unmatched_model, self)
        self.unmatched_view.setItemDelegate(CommitAtOnceDelegate(self.unmatched_view))
        triggers = QAbstractItemView.EditTrigger
        self.unmatched_view.setEditTriggers(triggers.CurrentChanged | triggers.SelectedClicked | triggers.DoubleClicked)
        self.target_column = next(i for i, c in enumerate(self.unmatched_model.columns)
                                  if getattr(c, "field", None) == "target")
        self.unmatched_label = QLabel()
        self.unmatched_label.setWordWrap(True)
        skip_all = QPushButton(_("Skip all"))
        skip_all.clicked.connect(lambda: self.set_all(SKIP))
        create_rest = QPushButton(_("Create all skipped"))
        create_rest.setToolTip(_("Every row set to “Skip” becomes a new item type"))
        create_rest.clicked.connect(lambda: self.set_all(CREATE_CHOICE, only=SKIP))
        top = QHBoxLayout()
        top.addWidget(self.unmatched_label, 1)
        top.addWidget(skip_all)
        top.addWidget(create_rest)
        self.unmatched_box = QWidget()
        box = QVBoxLayout(self.unmatched_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(top)
        box.addWidget(self.unmatched_view)
        self.unmatched_box.hide()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.unmatched_box)

        self.status = QLabel(_("No file chosen."))
        self.status.setWordWrap(True)
        self.errors = QPlainTextEdit()
        self.errors.setReadOnly(True)
        self.errors.setStyleSheet(WARN)
        self.errors.setMaximumHeight(130)
        self.errors.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(_("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.do_import)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.errors)
        layout.addWidget(self.buttons)
        self.resize(1180, 680)
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

    # --- reading ----------------------------------------------------------------------------
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
        for header in (_("SSH code"), _("Matched"), _("Allowed accounts")):
            column = next(i for i, c in enumerate(self.model.columns) if c.header == header)
            self.view.setColumnHidden(column, not (plan is not None and plan.sipd))
        fit_columns(self.view, self.model)
        unmatched = plan.unmatched if plan is not None and not errors else []
        self.targets = {e.row: e.guess if e.guess is not None else SKIP for e in unmatched}
        self.accounts = {}
        self.choices = [(_("Skip"), SKIP), (_("Create new item type"), CREATE_CHOICE)]
        if plan is not None:
            types = list(plan.catalog.values())
            self.choices += sorted(zip(picker_labels([(t.name, t.unit) for t in types]), [t.id for t in types]),
                                   key=lambda c: str(c[0]).casefold())
        self.unmatched_model.set_rows(unmatched)
        self.unmatched_box.setVisible(bool(unmatched))
        if unmatched:
            fit_columns(self.unmatched_view, self.unmatched_model)
            if len(unmatched) <= PERSISTENT_COMBOS:
                for r in range(self.unmatched_proxy.rowCount()):
                    self.unmatched_view.openPersistentEditor(self.unmatched_proxy.index(r, self.target_column))
        if errors:
            self.errors.setPlainText("\n".join(str(e) for e in errors))
            self.errors.show()
            self.status.setText(_("Nothing will be imported: {n} problem(s). Correct the file and choose it again."
                                  ).format(n=len(errors)))
            self.import_button.setEnabled(False)
            return
        self._update_status()

    # --- the unmatched rows -----------------------------------------------------------------
    def _target_text(self, e: SshEntry) -> str:
        target = self.targets.get(e.row, SKIP)
        return next((label for label, value in self.choices if value == target), "")

    def _account_of(self, e: SshEntry) -> str:
        return self.accounts.get(e.row) or (e.accounts[0] if e.accounts else "")

    def _account_text(self, e: SshEntry) -> str:
        return self._account_of(e) if self.targets.get(e.row) == CREATE_CHOICE else ""

    def _choose(self, e: SshEntry, field: str, value) -> bool:
        """An unmatched row's combo box or account cell was changed: note it (nothing is imported yet)."""
        if field == "target":
            self.targets[e.row] = value
        else:
            self.accounts[e.row] = str(value or "").strip()
        self.unmatched_model.refresh_all()
        self._update_status()
        return True

    def set_all(self, target: str, only: str | None = None) -> None:
        """Every unmatched row (or those now set to ``only``) becomes ``target``."""
        for row, current in self.targets.items():
            if only is None or current == only:
                self.targets[row] = target
        self.unmatched_model.refresh_all()
        self._update_status()

    def combo_of(self, row: int) -> QComboBox | None:
        """The combo box of the unmatched row ``row`` (its number in the file), opened if it is not."""
        for r in range(self.unmatched_proxy.rowCount()):
            index = self.unmatched_proxy.index(r, self.target_column)
            if self.unmatched_model.row_object(self.unmatched_proxy.mapToSource(index).row()).row == row:
                self.unmatched_view.openPersistentEditor(index)
                widget = self.unmatched_view.indexWidget(index)
                return widget if isinstance(widget, QComboBox) else None
        return None

    def mapping(self) -> dict:
        """What each unmatched row becomes, as ``PricePlan.command`` takes it."""
        return {row: Create(self.accounts.get(row, "")) if target == CREATE_CHOICE else target
                for row, target in self.targets.items() if target != SKIP}

    def _update_status(self) -> None:
        plan = self.plan
        if plan is None or plan.errors:
            return
        changed = sum(1 for c in plan.changes if c.changed)
        text = _("{n} row(s) matched; {c} item type(s) will change.").format(n=len(plan.changes), c=changed)
        if plan.unmatched:
            values = list(self.targets.values())
            created = values.count(CREATE_CHOICE)
            skipped = values.count(SKIP)
            self.unmatched_label.setText(_(
                "Not matched: {n} row(s) of the list match no catalog item. Choose for each what it becomes: an "
                "item type of the catalog, a new item type, or nothing.").format(n=len(plan.unmatched)))
            text += " " + _("Not matched: {m} mapped to an item type, {k} new item type(s), {s} skipped.").format(
                m=len(values) - created - skipped, k=created, s=skipped)
        if plan.sipd and plan.year:
            text += " " + _("SSH of {year}.").format(year=plan.year)
        self.status.setText(text + " " + _("The import is one step you can undo."))
        self.import_button.setEnabled(plan.ok and (changed > 0 or bool(self.mapping())))

    # --- importing --------------------------------------------------------------------------
    def _command(self):
        assert self.plan is not None
        try:
            return self.plan.command(self.mapping(), self.project)
        except ImportRefused as refused:  # a mapping that cannot be done: named by row
            raise ValueError("\n".join(str(e) for e in refused.errors)) from None

    def do_import(self) -> None:
        if self.plan is None or not self.plan.ok:
            return
        self.errors.hide()
        if self.undo_stack.run(self._command, origin=ORIGIN, report=self._import_refused, parent=self):
            self.accept()

    def _import_refused(self, text: str) -> None:
        self.errors.setPlainText(text)
        self.errors.show()
