"""Dialogs of the budget tab: a budget line form, the account code list, the budget settings
(PPN rate, ceiling, sheet title) and copying a year. (Budgeting open gaps is in ``gaps``; the sub kegiatan
list and form are in ``sub_activities``.)

Every dialog runs its change as one undoable command through the undo stack's ``run``; a refused
value is shown in red in the dialog (under its field when the refusal names one) and the dialog stays
open with what was typed, nothing saved. A change that cannot be written gets the one storage dialog."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSpinBox,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from mpp_planner.commands import budget as cmd
from mpp_planner.formats import rupiah
from mpp_planner.i18n import _
from mpp_planner.model import BudgetLine, BudgetStatus, ValidationError
from mpp_planner.model.budget_input import format_title, parse_coefficient, parse_money, parse_rate
from mpp_planner.model.site import BOOKING_MIN_LEVEL
from mpp_planner.project import Topic
from mpp_planner.qt.budget.delegates import priority_choices, status_choices
from mpp_planner.qt.budget.model import ORIGIN
from mpp_planner.reads import budget as reads
from mpp_planner.standards.budget_checks import capitalisation_threshold

ERROR_STYLE = "color: #B03A2E;"


def refused_field() -> str | None:
    """The field the refusal being told names (``ValidationError.field``), if any.

    ``UndoStack.run`` calls ``report`` while it handles the refused exception, so that exception is
    at hand here: the dialog can put the reason under the field it is about."""
    return getattr(sys.exception(), "field", None)


class FieldForm(QFormLayout):
    """A form whose rows can show a red message under their field."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}

    def add(self, key: str, label: str, widget: QWidget) -> QWidget:
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(2)
        v.addWidget(widget)
        error = QLabel()
        error.setObjectName(f"error_{key}")
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        v.addWidget(error)
        self.addRow(label, box)
        self.fields[key] = widget
        self.errors[key] = error
        return widget

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()

    def show_error(self, field: str, message: str, fallback: str) -> None:
        key = field if field in self.errors else fallback
        self.errors[key].setText(message)
        self.errors[key].show()
        self.fields[key].setFocus()

    def error_text(self) -> str:
        return " ".join(e.text() for e in self.errors.values() if e.text())

    def show_refusal(self, message: str, general: QLabel | None = None, fallback: str = "",
                     aliases: dict[str, str] | None = None) -> None:
        """Show a refusal told by ``UndoStack.run``: under the field it names, else on ``general``
        (or under ``fallback``)."""
        field = refused_field()
        field = (aliases or {}).get(field, field)
        if field in self.errors or general is None:
            self.show_error(field, message, fallback)
        else:
            general.setText(message)
            general.show()


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    buttons.button(QDialogButtonBox.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.Cancel).setText(_("Cancel"))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def account_choices(project) -> list[tuple[str, str]]:
    """The codes a line can be booked on (jenis and below: the list's 5 and 5.1 only group them)."""
    return [(f"{code} — {name}", code) for code, name in reads.account_codes(project)
            if code.count(".") + 1 >= BOOKING_MIN_LEVEL]


def sub_activity_choices(project, year: int) -> list[tuple[str, int | None]]:
    """(label, id) of the sub kegiatan of ``year``; a year without any offers the one a new line makes
    (id None: it is added with the line)."""
    rows = reads.sub_activities(project, year)
    if rows:
        return [(row.label, row.id) for row in rows]
    sub = cmd.year_sub_activity(project, year)
    return [(_("{code} {name} (new)").format(code=sub.code, name=sub.name), None)]


def sub_activity_combo(project, year: int, current: int | None = None) -> QComboBox:
    """A pick list of the year's sub kegiatan; the names can be long, so the list is as wide as they are
    and the closed combo shows the full name as its tooltip."""
    combo = QComboBox()
    combo.setObjectName("sub_activity")
    for label, value in sub_activity_choices(project, year):
        combo.addItem(label, value)
        combo.setItemData(combo.count() - 1, label, Qt.ToolTipRole)
    combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(40)
    combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)
    combo.currentIndexChanged.connect(lambda i: combo.setToolTip(combo.itemText(i)))
    combo.setCurrentIndex(max(0, combo.findData(current)) if current is not None else 0)
    combo.setToolTip(combo.currentText())
    return combo


def added_line_ids(command) -> list[int]:
    """The ids of the lines an ``AddBudgetLines`` made (not of a sub kegiatan made for them)."""
    return [obj.id for obj in command.objects if isinstance(obj, BudgetLine)]


def _note(text: str) -> QLabel:
    """An explanation above a dialog's content; wraps, so a longer translation does not widen the dialog."""
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class BudgetLineDialog(QDialog):
    """Add a line (or edit one) with every field at once."""

    def __init__(self, project, undo_stack, year: int, choices, line: BudgetLine | None = None,
                 account_code: str | None = None, sub_activity_id: int | None = None, parent=None):
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.year = year
        self.line = line
        self.setWindowTitle(_("Edit budget line") if line else _("New budget line for {year}").format(year=year))
        self.form = FieldForm()
        f = self.form
        self.sub_activity = f.add("sub_activity_id", _("Sub kegiatan:"), sub_activity_combo(
            project, line.fiscal_year if line is not None else year,
            line.sub_activity_id if line is not None else sub_activity_id))
        self.account = f.add("account_code", _("Account code:"), QComboBox())
        for label, value in choices("account_code"):
            self.account.addItem(label, value)
        self.description = f.add("description", _("Description:"), QLineEdit())
        self.specification = f.add("specification", _("Specification:"), QPlainTextEdit())
        self.specification.setFixedHeight(60)
        self.location = f.add("room_id", _("Location:"), QComboBox())
        for label, value in choices("location"):
            self.location.addItem(label, value)
        self.coefficient = f.add("factors", _("Coefficient:"), QLineEdit())
        self.coefficient.setPlaceholderText(_("e.g. 2 Unit x 12 Bulan"))
        self.unit = f.add("unit", _("Unit:"), QLineEdit())
        self.price = f.add("unit_price", _("Unit price (Rp):"), QLineEdit())
        self.price.setPlaceholderText(_("e.g. 1.250.000"))
        rate = reads.budget_settings(project, year).ppn_rate
        self.ppn = f.add("ppn_applied", _("PPN:"), QCheckBox(_("charge PPN at {rate} %").format(
            rate=str(rate.normalize()).replace(".", ","))))
        self.priority = f.add("priority", _("Priority:"), QComboBox())
        for label, value in priority_choices():
            self.priority.addItem(label, value)
        self.status = f.add("status", _("Status:"), QComboBox())
        for label, value in status_choices():
            self.status.addItem(label, value)
        self.approved = f.add("approved_amount", _("Approved amount (Rp):"), QLineEdit())
        self.approved.setPlaceholderText(_("empty = as requested"))
        self.justification = f.add("justification", _("Justification:"), QPlainTextEdit())
        self.justification.setFixedHeight(60)
        self.need = f.add("need_id", _("Need covered:"), QComboBox())
        for label, value in choices("need"):
            self.need.addItem(label, value)
        self.general_error = QLabel()
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(f)
        layout.addWidget(self.general_error)
        layout.addStretch(1)
        layout.addWidget(_buttons(self, _("Save") if line else _("Add line")))
        self.resize(max(620, self.sizeHint().width()), self.sizeHint().height())
        if line is not None:
            self._load(line)
        else:
            self.unit.setText("Unit")
            self.ppn.setChecked(True)
            self.priority.setCurrentIndex(self.priority.findData(2))
            if account_code:
                self.account.setCurrentIndex(max(0, self.account.findData(account_code)))
        self.command = None

    @property
    def line_ids(self) -> list[int]:
        """The line added (empty when editing or not yet added)."""
        return added_line_ids(self.command) if isinstance(self.command, cmd.AddBudgetLines) else []

    def _load(self, b: BudgetLine) -> None:
        self.account.setCurrentIndex(max(0, self.account.findData(b.account_code)))
        self.description.setText(b.description)
        self.specification.setPlainText(b.specification)
        self.location.setCurrentIndex(max(0, self.location.findData(b.room_id)))
        self.coefficient.setText(b.coefficient_text)
        self.unit.setText(b.unit)
        self.price.setText(rupiah(b.unit_price, symbol=False, lang="id"))
        self.ppn.setChecked(b.ppn_applied)
        self.priority.setCurrentIndex(self.priority.findData(b.priority))
        self.status.setCurrentIndex(self.status.findData(b.status))
        if b.approved_amount is not None:
            self.approved.setText(rupiah(b.approved_amount, symbol=False, lang="id"))
        self.justification.setPlainText(b.justification)
        self.need.setCurrentIndex(max(0, self.need.findData(b.need_id)))

    def values(self) -> dict:
        """The typed values, parsed; raises ValidationError naming the field."""
        unit = self.unit.text().strip()
        values = {
            "sub_activity_id": self.sub_activity.currentData(),
            "account_code": self.account.currentData() or "",
            "description": self.description.text(),
            "specification": self.specification.toPlainText(),
            "room_id": self.location.currentData(),
            "factors": parse_coefficient(self.coefficient.text(), default_unit=unit or "Unit"),
            "unit": unit,
            "unit_price": parse_money(self.price.text(), "unit_price"),
            "ppn_applied": self.ppn.isChecked(),
            "priority": self.priority.currentData(),
            "status": self.status.currentData(),
            "approved_amount": parse_money(self.approved.text(), "approved_amount", allow_empty=True),
            "justification": self.justification.toPlainText(),
            "need_id": self.need.currentData(),
        }
        if values["approved_amount"] is not None and values["status"] == BudgetStatus.REQUESTED.value:
            values["status"] = BudgetStatus.APPROVED.value
        return values

    def changed(self) -> dict:
        """The fields the form changes on the edited line (parsed; raises ValidationError)."""
        return {k: v for k, v in self.values().items() if getattr(self.line, k) != v}

    def _unchanged(self) -> bool:
        """An edited line whose form holds its saved values (a refused value is told by the edit)."""
        try:
            return self.line is not None and not self.changed()
        except ValidationError:
            return False

    def _command(self):
        if self.line is None:
            return cmd.AddBudgetLines(_("Add budget line"), [cmd.new_line(self.project, self.year, **self.values())])
        return cmd.EditBudgetLines(_("Edit budget line"), {self.line.id: self.changed()})

    def _refused(self, message: str) -> None:
        self.form.show_refusal(message, self.general_error, "description")

    def accept(self) -> None:
        self.form.clear_errors()
        self.general_error.hide()
        if self._unchanged():
            super().accept()
            return
        made = []

        def build():
            made.append(self._command())
            return made[-1]

        if self.undo_stack.run(build, origin=ORIGIN, report=self._refused, parent=self):
            self.command = made[-1]
            super().accept()


class AccountCodesDialog(QDialog):
    """The editable account code list (kode rekening): add, rename, delete unused codes."""

    def __init__(self, project, undo_stack, signals=None, parent=None):
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.setWindowTitle(_("Account codes"))
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([_("Code"), _("Name"), _("Used by")])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.itemChanged.connect(self._renamed)
        self.code = QLineEdit()
        self.code.setPlaceholderText(_("e.g. 5.2.02.05.02.0001"))
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("Name of the account"))
        add = QPushButton(_("Add"))
        add.clicked.connect(self.add_code)
        self.delete_button = QPushButton(_("Delete selected"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.import_button = QPushButton(_("Import…"))
        self.import_button.setToolTip(_("Update the list from the official account list (CSV or XLSX with code and "
                                        "name columns): new codes are added, names updated, no code is removed."))
        self.import_button.clicked.connect(lambda: self.import_codes())
        self.job = None
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        new_row = QHBoxLayout()
        new_row.addWidget(QLabel(_("New code:")))
        new_row.addWidget(self.code, 1)
        new_row.addWidget(self.name, 2)
        new_row.addWidget(add)
        close = QDialogButtonBox(QDialogButtonBox.Close)
        close.button(QDialogButtonBox.Close).setText(_("Close"))
        close.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.delete_button)
        bottom.addWidget(self.import_button)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(_note(_("Budget lines can only be booked on codes in this list. Names are printed on "
                                 "the account rows of the request sheet.")))
        layout.addWidget(self.table)
        layout.addLayout(new_row)
        layout.addWidget(self.error)
        layout.addWidget(self.status)
        layout.addLayout(bottom)
        self.resize(760, 560)
        self.reload()
        if signals is not None:
            signals.changed.connect(self._changed)

    def _changed(self, changes) -> None:
        if changes.about(Topic.ACCOUNTS, Topic.BUDGET, Topic.CATALOG) and self.isVisible():
            self.reload()

    def reload(self) -> None:
        rows = reads.account_code_rows(self.project)
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            code_item = QTableWidgetItem(row.code)
            code_item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
            name_item = QTableWidgetItem(row.name)
            name_item.setData(Qt.UserRole, row.code)
            use = QTableWidgetItem(_("budget lines: {lines} · catalog items: {items}").format(
                lines=row.lines, items=row.items))
            use.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
            self.table.setItem(r, 0, code_item)
            self.table.setItem(r, 1, name_item)
            self.table.setItem(r, 2, use)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(2)
        self.table.blockSignals(False)

    def _run(self, command) -> bool:
        """Run an edit of the list; a refusal is shown on the dialog's message line."""
        self.error.clear()
        return self.undo_stack.run(command, origin=ORIGIN, report=self.error.setText, parent=self)

    def add_code(self) -> None:
        if self._run(lambda: cmd.add_account_code(self.project, self.code.text(), self.name.text())):
            self.code.clear()
            self.name.clear()
        self.reload()

    def _renamed(self, item: QTableWidgetItem) -> None:
        code = item.data(Qt.UserRole)
        if code is None:
            return
        self._run(lambda: cmd.rename_account_code(code, item.text()))
        self.reload()

    def delete_selected(self) -> None:
        codes = sorted({self.table.item(i.row(), 0).text() for i in self.table.selectedIndexes()})
        if codes:
            self._run(cmd.DeleteAccountCodes(codes))
            self.reload()

    def import_codes(self, path=None):
        """Read an updated official account list in a worker (:func:`run_job`), then apply it as one undo
        step; a refusal names its rows on the message line and changes nothing. Returns the job (None
        when no file was chosen)."""
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog

        from mpp_planner.importers.accounts import preview
        from mpp_planner.qt.jobs import run_job

        if path is None:
            path, _filter = QFileDialog.getOpenFileName(self, _("Import account codes"), "",
                                                        _("Tables (*.csv *.xlsx);;All files (*)"))
            if not path:
                return None
        source = Path(path)
        self.error.clear()
        self.status.clear()
        self.job = run_job(self, _("Import account codes"), lambda reader: preview(reader, source),
                           project=self.project, on_done=self._apply_import, on_failed=self._import_failed)
        return self.job

    def _import_failed(self, exc: BaseException) -> None:
        from mpp_planner.importers import ImportRefused
        from mpp_planner.qt.jobs import show_job_error

        if isinstance(exc, ImportRefused):
            self._show_refusal(exc.errors)
        else:
            show_job_error(self, _("Import account codes"), exc)

    def _show_refusal(self, errors) -> None:
        shown = "\n".join(str(e) for e in errors[:20])
        more = "\n…" if len(errors) > 20 else ""
        self.error.setText(_("Nothing was imported: {n} problem(s).").format(n=len(errors)) + "\n" + shown + more)

    def _apply_import(self, plan) -> None:
        if plan.errors:
            self._show_refusal(plan.errors)
            return
        if self._run(plan.command):
            self.status.setText(_("{added} code(s) added, {renamed} name(s) updated, {same} unchanged. Undo takes "
                                  "the whole import back.").format(added=len(plan.added), renamed=len(plan.renamed),
                                                                   same=plan.unchanged))
        self.reload()


class BudgetSettingsDialog(QDialog):
    """PPN rate, the ceiling (pagu) of the year and the wording of the sheet title."""

    def __init__(self, project, undo_stack, year: int, parent=None):
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.year = year
        self.settings = settings = reads.budget_settings(project, year)
        self.setWindowTitle(_("Budget settings"))
        f = self.form = FieldForm()
        self.rate = f.add("ppn_rate", _("PPN rate (%):"),
                          QLineEdit(str(settings.ppn_rate.normalize()).replace(".", ",")))
        self.apply_rate = QCheckBox(_("Apply the rate to the lines of {year} that charge PPN").format(year=year))
        self.apply_rate.setChecked(True)
        f.addRow("", self.apply_rate)
        self.ceiling = f.add("ceiling", _("Ceiling (pagu) {year} (Rp):").format(year=year), QLineEdit(
            rupiah(settings.ceiling, symbol=False, lang="id") if settings.ceiling is not None else ""))
        self.ceiling.setPlaceholderText(_("empty = no ceiling"))
        self.threshold = f.add("capitalisation_threshold", _("Capitalisation threshold (Rp):"), QLineEdit(
            rupiah(capitalisation_threshold(project), symbol=False, lang="id")))
        self.threshold.setToolTip(_("Items cheaper than this are goods spending (5.1.02), not capital (5.2)."))
        self.title = f.add("budget_title", _("Sheet title:"), QLineEdit(settings.title))
        self.title.setMinimumWidth(520)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setStyleSheet("color: #444;")
        f.addRow(_("Printed as:"), self.preview)
        hint = QLabel(_("{mpp} is replaced by the MPP name in capitals, {year} by the fiscal year."))
        hint.setStyleSheet("color: #666;")
        f.addRow("", hint)
        self.title.textChanged.connect(self._preview)
        self._preview()
        layout = QVBoxLayout(self)
        layout.addLayout(f)
        layout.addWidget(_buttons(self, _("Save")))

    def _preview(self) -> None:
        self.preview.setText(format_title(self.title.text(), self.settings.site_name, self.year))

    def _command(self):
        """The settings edit (parsed; raises ValidationError naming the field); empty when nothing changes."""
        rate = parse_rate(self.rate.text())
        ceiling = parse_money(self.ceiling.text(), "ceiling", allow_empty=True)
        threshold = parse_money(self.threshold.text(), "capitalisation_threshold")
        return cmd.budget_settings(self.project, year=self.year, ppn_rate=rate, ceiling=ceiling,
                                   title=self.title.text(), apply_rate_to_year=self.apply_rate.isChecked(),
                                   threshold=threshold)

    def _unchanged(self) -> bool:
        try:
            return not self._command().commands
        except ValidationError:
            return False  # told by the edit below

    def _refused(self, message: str) -> None:
        self.form.show_refusal(message, fallback="budget_title", aliases={"amount": "ceiling"})

    def accept(self) -> None:
        self.form.clear_errors()
        if self._unchanged() or self.undo_stack.run(self._command, origin=ORIGIN, report=self._refused,
                                                    parent=self):
            super().accept()


class CopyYearDialog(QDialog):
    def __init__(self, project, undo_stack, year: int, parent=None):
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.year = year
        self.setWindowTitle(_("Copy budget lines of {year}").format(year=year))
        self.target = QSpinBox()
        self.target.setRange(2000, 2100)
        self.target.setValue(year + 1)
        self.rejected_too = QCheckBox(_("Also copy rejected lines"))
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Copy to fiscal year:"), self.target)
        form.addRow("", self.rejected_too)
        layout = QVBoxLayout(self)
        layout.addWidget(_note(_("The copies are new requests: status Requested, no approved amount, the "
                                 "project's current PPN rate. Lines the target year already has are kept.")))
        self.setMinimumWidth(560)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, _("Copy")))

    def accept(self) -> None:
        self.error.clear()
        target, rejected_too = self.target.value(), self.rejected_too.isChecked()
        if self.undo_stack.run(lambda: cmd.copy_year(self.project, self.year, target, include_rejected=rejected_too),
                               origin=ORIGIN, report=self.error.setText, parent=self):
            super().accept()
