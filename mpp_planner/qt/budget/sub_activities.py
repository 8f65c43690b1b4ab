"""The sub kegiatan of a fiscal year's budget: the list (code, name, lines, total) with Add, Edit and
Delete, and the form with the context block the RKA prints above its table (urusan, bidang urusan,
program, kegiatan, organisasi, unit, sumber pendanaan, lokasi, waktu pelaksanaan, keluaran, alokasi).

A new sub kegiatan is picked from the nomenclature list (``resources/sub_activities.csv``), which fills
its names; a code the list lacks can be typed (the model checks its pattern). Every change is one
undoable command run through the undo stack; a refusal is shown under the field it names."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QCompleter, QDialog, QDialogButtonBox, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout)

from mpp_planner.commands import budget as cmd
from mpp_planner.formats import rupiah
from mpp_planner.i18n import _, ngettext
from mpp_planner.model import ValidationError
from mpp_planner.model.budget_input import parse_money
from mpp_planner.project import Topic
from mpp_planner.qt.budget.dialogs import ERROR_STYLE, FieldForm, _buttons, _note
from mpp_planner.qt.budget.model import ORIGIN
from mpp_planner.reads import budget as reads

#: the fields the nomenclature list fills when a code is picked from it
FROM_THE_LIST = ("name", "affair", "affair_field", "program", "activity", "output_indicator")


class SubActivityDialog(QDialog):
    """Add a sub kegiatan to ``year`` (``sub`` None) or edit one (a ``reads.budget.SubActivityRow``).

    ``command`` is the edit made, None until saved; ``created_id`` the new sub kegiatan's id."""

    def __init__(self, project, undo_stack, year: int, sub=None, parent=None):
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.year = year
        self.sub = sub
        self.command = None
        self.created_id: int | None = None
        self._filling = False
        self.setWindowTitle(_("Edit sub kegiatan {code}").format(code=sub.code) if sub is not None
                            else _("New sub kegiatan for {year}").format(year=year))
        f = self.form = FieldForm()
        self.code = QComboBox()
        f.add("code", _("Code:"), self.code)
        self.code.setEditable(True)
        self.code.setInsertPolicy(QComboBox.NoInsert)
        for choice in reads.nomenclature_choices():
            self.code.addItem(f"{choice.code} — {choice.name}", choice.code)
        completer = self.code.completer()
        completer.setFilterMode(Qt.MatchContains)
        completer.setCaseSensitivity(Qt.CaseInsensitive)
        completer.setCompletionMode(QCompleter.PopupCompletion)
        self.code.lineEdit().setPlaceholderText(_("pick from the list or type a code, e.g. 2.18.01.2.07.0005"))
        self.code.setToolTip(_("Type part of a code or a name to filter the nomenclature list. A code the list "
                               "lacks can be typed; then fill in the names yourself."))
        self.code.currentIndexChanged.connect(self._picked)
        self.fields: dict[str, QLineEdit] = {}
        for key, label in ((
                "name", _("Name:")), ("affair", _("Government affair (urusan):")),
                ("affair_field", _("Affair field (bidang urusan):")), ("program", _("Program:")),
                ("activity", _("Activity (kegiatan):")), ("organisation", _("Organisation:")),
                ("unit", _("Organisational unit:")), ("funding_source", _("Funding source:")),
                ("location", _("Location:")),
                ("schedule", _("Schedule (waktu pelaksanaan):"))):
            edit = QLineEdit()
            self.fields[key] = edit
            f.add(key, label, edit)
        self.fields["funding_source"].setPlaceholderText(_("e.g. PAD - Pendapatan Asli Daerah"))
        self.fields["schedule"].setPlaceholderText(_("e.g. Januari s.d. Desember"))
        self.indicator = QPlainTextEdit()
        f.add("output_indicator", _("Output indicator (tolok ukur):"), self.indicator)
        self.indicator.setFixedHeight(54)
        self.target = QLineEdit()
        f.add("output_target", _("Output target:"), self.target)
        self.target.setPlaceholderText(_("e.g. 36 Unit"))
        self.previous = QLineEdit()
        f.add("allocation_prev", _("Allocation {year} (Rp):").format(year=year - 1), self.previous)
        self.previous.setPlaceholderText(_("empty = none"))
        self.allocation = QLabel()
        self.allocation.setObjectName("allocation")
        self.allocation.setToolTip(_("The sum of this sub kegiatan's budget lines (rejected lines do not count)."))
        f.addRow(_("Allocation {year} (Rp):").format(year=year), self.allocation)
        self.next = QLineEdit()
        f.add("allocation_next", _("Allocation {year} (Rp):").format(year=year + 1), self.next)
        self.next.setPlaceholderText(_("empty = none"))
        self.general_error = QLabel()
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(f)
        layout.addWidget(self.general_error)
        layout.addWidget(_buttons(self, _("Save") if sub is not None else _("Add sub kegiatan")))
        layout.addStretch(1)
        self.resize(780, self.sizeHint().height())
        if sub is not None:
            self._load(sub.values(), sub.total)
        else:
            self._load(self._template(), None)

    # --- filling the form ----------------------------------------------------------------------
    def _template(self) -> dict:
        """What a new sub kegiatan starts with: the first list entry the year does not have yet, its names,
        and the project's organisation, unit and location."""
        taken = {row.code for row in reads.sub_activities(self.project, self.year)}
        codes = [c.code for c in reads.nomenclature_choices()]
        code = next((c for c in codes if c not in taken), codes[0] if codes else cmd.DEFAULT_SUB_ACTIVITY)
        try:
            sub = cmd.new_sub_activity(self.project, self.year, code)
        except ValidationError:  # a project value too long for the field: start from the list alone
            return {"code": code, **reads.nomenclature_context(code)}
        return {key: getattr(sub, key) for key in reads.SUB_ACTIVITY_FIELDS}

    def _load(self, values: dict, total) -> None:
        self._filling = True
        at = self.code.findData(values.get("code"))
        if at >= 0:
            self.code.setCurrentIndex(at)
        else:
            self.code.setCurrentIndex(-1)
            self.code.setEditText(values.get("code") or "")
        self._filling = False
        for key, edit in self.fields.items():
            edit.setText(values.get(key) or "")
        self.indicator.setPlainText(values.get("output_indicator") or "")
        self.target.setText(values.get("output_target") or "")
        for edit, key in ((self.previous, "allocation_prev"), (self.next, "allocation_next")):
            value = values.get(key)
            edit.setText("" if value is None else rupiah(value, symbol=False, lang="id"))
        self.allocation.setText(rupiah(total) if total is not None else _("the sum of its lines (none yet)"))

    def _picked(self, index: int) -> None:
        """A code was picked from the list: its names fill the form (what was typed elsewhere stays)."""
        if self._filling or index < 0:
            return
        found = reads.nomenclature_context(self.code.itemData(index))
        for key in FROM_THE_LIST:
            if not found.get(key):
                continue
            if key == "output_indicator":
                self.indicator.setPlainText(found[key])
            else:
                self.fields[key].setText(found[key])

    def code_text(self) -> str:
        """The chosen code: a list entry's, else what was typed (its first word)."""
        text = self.code.currentText().strip()
        at = self.code.findText(text, Qt.MatchFixedString)
        if at >= 0:
            return self.code.itemData(at)
        return text.split()[0] if text else ""

    # --- saving ----------------------------------------------------------------------------------
    def values(self) -> dict:
        """The typed values, parsed; raises ValidationError naming the field."""
        values: dict = {key: edit.text() for key, edit in self.fields.items()}
        values.update(code=self.code_text(), output_indicator=self.indicator.toPlainText(),
                      output_target=self.target.text(),
                      allocation_prev=parse_money(self.previous.text(), "allocation_prev", allow_empty=True),
                      allocation_next=parse_money(self.next.text(), "allocation_next", allow_empty=True))
        return values

    def changed(self) -> dict:
        old = self.sub.values()
        return {k: v for k, v in self.values().items() if old.get(k) != v}

    def _unchanged(self) -> bool:
        try:
            return self.sub is not None and not self.changed()
        except ValidationError:
            return False  # told by the edit

    def _command(self):
        if self.sub is None:
            values = self.values()
            code = values.pop("code")
            return cmd.AddSubActivity(cmd.new_sub_activity(self.project, self.year, code, **values))
        return cmd.EditSubActivity(self.sub.id, self.changed())

    def _refused(self, message: str) -> None:
        self.form.show_refusal(message, self.general_error, "name")

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
            if isinstance(self.command, cmd.AddSubActivity):
                self.created_id = self.command.created_ids[0]
            super().accept()


class SubActivitiesDialog(QDialog):
    """The sub kegiatan of one year: code, name, lines and total, with Add, Edit and Delete."""

    COLUMNS = 4

    def __init__(self, project, undo_stack, year: int, signals=None, parent=None, current: int | None = None):
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.year = year
        self.rows: list = []
        self.setWindowTitle(_("Sub kegiatan {year}").format(year=year))
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setHorizontalHeaderLabels([_("Code"), _("Name"), _("Lines"), _("Total (Rp)")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.cellDoubleClicked.connect(lambda _r, _c: self.edit())
        self.table.itemSelectionChanged.connect(self._update_enabled)
        self.add_button = QPushButton(_("Add…"))
        self.add_button.clicked.connect(lambda: self.add())
        self.edit_button = QPushButton(_("Edit…"))
        self.edit_button.clicked.connect(lambda: self.edit())
        self.delete_button = QPushButton(_("Delete"))
        self.delete_button.clicked.connect(lambda: self.delete())
        self.total = QLabel()
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.Close)
        close.button(QDialogButtonBox.Close).setText(_("Close"))
        close.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            bottom.addWidget(button)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(_note(_("Every budget line belongs to one sub kegiatan. The RKA rincian belanja prints one "
                                 "section per sub kegiatan, with the context entered here above its table.")))
        layout.addWidget(self.table)
        layout.addWidget(self.total)
        layout.addWidget(self.error)
        layout.addWidget(self.status)
        layout.addLayout(bottom)
        self.resize(860, 420)
        self.reload()
        if current is not None:
            self.select(current)
        if signals is not None:
            signals.changed.connect(self._changed)

    def _changed(self, changes) -> None:
        if changes.about(Topic.BUDGET, Topic.SITE) and self.isVisible():
            self.reload()

    def reload(self) -> None:
        chosen = self.selected_id()
        self.rows = reads.sub_activities(self.project, self.year)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            cells = [QTableWidgetItem(row.code), QTableWidgetItem(row.name), QTableWidgetItem(str(row.lines)),
                     QTableWidgetItem(rupiah(row.total, symbol=False))]
            cells[0].setData(Qt.UserRole, row.id)
            cells[1].setToolTip(row.name)
            for c in (2, 3):
                cells[c].setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            for c, cell in enumerate(cells):
                self.table.setItem(r, c, cell)
        total = sum((row.total for row in self.rows), Decimal(0))
        self.total.setText(_("{n} sub kegiatan · total {total}").format(n=len(self.rows), total=rupiah(total)))
        if chosen is not None:
            self.select(chosen)
        self._update_enabled()

    def _update_enabled(self) -> None:
        writable = not self.project.readonly
        self.add_button.setEnabled(writable)
        chosen = self.selected_id() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(writable and chosen)

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows(0) if self.table.selectionModel() else []
        return rows[0].data(Qt.UserRole) if rows else None

    def selected(self):
        ident = self.selected_id()
        return next((row for row in self.rows if row.id == ident), None)

    def select(self, sub_id: int) -> None:
        for r in range(self.table.rowCount()):
            cell = self.table.item(r, 0)
            if cell is not None and cell.data(Qt.UserRole) == sub_id:
                self.table.selectRow(r)
                return

    def _tell(self, text: str) -> None:
        self.error.clear()
        self.status.setText(text)

    def add(self) -> SubActivityDialog:
        dialog = SubActivityDialog(self.project, self.undo_stack, self.year, parent=self)
        if dialog.exec() and dialog.created_id is not None:
            self.reload()
            self.select(dialog.created_id)
            self._tell(_("Sub kegiatan {code} added.").format(code=dialog.code_text()))
        return dialog

    def edit(self) -> SubActivityDialog | None:
        row = self.selected()
        if row is None:
            return None
        dialog = SubActivityDialog(self.project, self.undo_stack, self.year, sub=row, parent=self)
        if self.project.readonly:
            dialog.setWindowTitle(_("Sub kegiatan {code} (read-only)").format(code=row.code))
        if dialog.exec() and dialog.command is not None:
            self.reload()
            self._tell(_("Sub kegiatan {code} saved.").format(code=row.code))
        return dialog

    def confirm(self, title: str, text: str) -> bool:
        return QMessageBox.question(self, title, text, QMessageBox.Yes | QMessageBox.No,
                                    QMessageBox.No) == QMessageBox.Yes

    def delete(self) -> bool:
        """Delete the chosen sub kegiatan with its lines, after saying how many lines go with it."""
        row = self.selected()
        if row is None:
            return False
        if row.lines:
            text = ngettext("Delete sub kegiatan {label} and its {n} budget line?",
                            "Delete sub kegiatan {label} and its {n} budget lines?", row.lines).format(
                label=row.label, n=row.lines)
        else:
            text = _("Delete sub kegiatan {label}? It has no budget lines.").format(label=row.label)
        if not self.confirm(_("Delete sub kegiatan"), text + "\n\n" + _("You can undo this.")):
            return False
        self.error.clear()
        if self.undo_stack.run(lambda: cmd.delete_sub_activity(self.project, row.id), origin=ORIGIN,
                               report=self.error.setText, parent=self):
            self.reload()
            self.status.setText(_("Sub kegiatan {code} deleted. Edit ▸ Undo brings it back.").format(code=row.code))
            return True
        return False
