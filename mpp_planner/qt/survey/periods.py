"""The survey period dialog: name, dates, the number of service users (for the minimum sample) and notes, with
the questionnaire's unsur names, questions and answer labels editable in a table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QHeaderView, QLabel, QLineEdit,
                               QPlainTextEdit, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout)

from mpp_planner.i18n import N_, _
from mpp_planner.model.survey import MAX_POPULATION, default_questionnaire
from mpp_planner.qt.message_line import MessageLine

NO_DATE = QDate(2000, 1, 1)  # the date edit's "not set" value (shown empty)
QUESTION_HEADERS = (N_("Unsur"), N_("Name"), N_("Question"), N_("Answer 1"), N_("Answer 2"), N_("Answer 3"),
                    N_("Answer 4"))


def date_edit(value: date | None) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd-MM-yyyy")
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText(" ")
    edit.setDate(QDate(value.year, value.month, value.day) if value else NO_DATE)
    return edit


def date_of(edit: QDateEdit) -> date | None:
    d = edit.date()
    return None if d == NO_DATE else date(d.year(), d.month(), d.day())


class PeriodDialog(QDialog):
    """New or edit a period. ``on_accept(fields) -> bool`` makes the edit; a refusal keeps the dialog open with
    the reason shown (:meth:`show_error`)."""

    def __init__(self, parent=None, *, detail=None, on_accept: Callable[[dict], bool] | None = None):
        super().__init__(parent)
        self.on_accept = on_accept
        self.setWindowTitle(_("Edit survey period") if detail is not None else _("New survey period"))
        self.resize(980, 620)
        self.message = MessageLine()
        self.name = QLineEdit(getattr(detail, "name", ""))
        self.name.setPlaceholderText(_("e.g. 2024 Semester I"))
        self.start = date_edit(getattr(detail, "start_date", None))
        self.end = date_edit(getattr(detail, "end_date", None))
        self.population = QSpinBox()
        self.population.setRange(0, MAX_POPULATION)
        self.population.setGroupSeparatorShown(True)
        self.population.setSpecialValueText(_("not known"))
        self.population.setValue(getattr(detail, "population", None) or 0)
        self.population.setToolTip(_("How many people used the services in the period: the minimum number of "
                                     "respondents (Krejcie–Morgan) follows from it."))
        self.notes = QPlainTextEdit(getattr(detail, "notes", ""))
        self.notes.setMaximumHeight(70)
        form = QFormLayout()
        form.addRow(_("Name:"), self.name)
        form.addRow(_("From:"), self.start)
        form.addRow(_("To:"), self.end)
        form.addRow(_("Service users:"), self.population)
        form.addRow(_("Notes:"), self.notes)

        questionnaire = list(getattr(detail, "questionnaire", None) or default_questionnaire())
        self.questions = QTableWidget(len(questionnaire), len(QUESTION_HEADERS))
        self.questions.setHorizontalHeaderLabels([_(h) for h in QUESTION_HEADERS])
        self.questions.verticalHeader().setVisible(False)
        self.questions.setWordWrap(True)
        for r, item in enumerate(questionnaire):
            cells = [str(item["unsur"]), item["name"], item["question"], *item["answers"]]
            for c, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if c == 0:
                    cell.setFlags(cell.flags() & ~Qt.ItemIsEditable)
                    cell.setTextAlignment(Qt.AlignCenter)
                self.questions.setItem(r, c, cell)
        header = self.questions.horizontalHeader()
        self.questions.resizeColumnsToContents()
        self.questions.setColumnWidth(1, 190)
        self.questions.setColumnWidth(2, 300)
        for c in range(3, 7):
            self.questions.setColumnWidth(c, 110)
        header.setSectionResizeMode(2, QHeaderView.Stretch)

        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(form)
        layout.addWidget(QLabel(_("Questionnaire (double-click a cell to change its wording):")))
        layout.addWidget(self.questions, 1)
        layout.addWidget(buttons)

    def questionnaire(self) -> list[dict]:
        out = []
        for r in range(self.questions.rowCount()):
            text = [self.questions.item(r, c).text().strip() if self.questions.item(r, c) else ""
                    for c in range(len(QUESTION_HEADERS))]
            out.append({"unsur": r + 1, "name": text[1], "question": text[2], "answers": text[3:7]})
        return out

    def fields(self) -> dict:
        population = self.population.value()
        return {"name": self.name.text().strip(), "start_date": date_of(self.start), "end_date": date_of(self.end),
                "population": population or None, "notes": self.notes.toPlainText().strip(),
                "questionnaire": self.questionnaire()}

    def show_error(self, text: str) -> None:
        self.message.tell(text)

    def accept(self) -> None:
        fields = self.fields()
        if not fields["name"]:
            self.show_error(_("Give the period a name."))
            self.name.setFocus()
            return
        if fields["start_date"] and fields["end_date"] and fields["end_date"] < fields["start_date"]:
            self.show_error(_("The period ends before it starts."))
            return
        if self.on_accept is not None and not self.on_accept(fields):
            return
        super().accept()
