"""Fast entry of paper SKM forms, keyboard only: one row per respondent, the last row is the form being typed.

In an answer cell (U1..U9) a digit 1–4 is stored and the cursor moves on at once; 0 or Space leave the answer
empty (a missing answer, counted per unsur) and move on; Delete or Backspace empty it; any other key is refused
at once (a beep and the reason on the message line), never stored. In the profile cells: L/P for gender, a digit
picks the n-th usual value of age band, education and occupation (the list is in the column's tooltip), letters
open a text editor; agency, service and counter are typed with a completer. Enter — anywhere, also in an open
editor — saves the form as one undoable step and starts the next with the cursor on U1 (the number one higher;
date, agency, service and counter carried over, as a pile of forms comes from one day and one counter).
Typing in a saved row changes that form at once (one undoable step per cell).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (QAbstractItemDelegate, QApplication, QCompleter, QLineEdit, QStyledItemDelegate,
                               QTableView)

from mpp_planner.i18n import N_, _
from mpp_planner.model.survey import UNSUR_COUNT
from mpp_planner.reads.survey import EntryChoices

COL_NUMBER = 0
COL_U1 = 1
COL_GENDER = COL_U1 + UNSUR_COUNT
COL_AGE, COL_EDUCATION, COL_OCCUPATION, COL_AGENCY, COL_SERVICE, COL_COUNTER, COL_DATE = range(COL_GENDER + 1,
                                                                                               COL_GENDER + 8)
COLUMN_COUNT = COL_DATE + 1
PROFILE_HEADERS = (N_("Gender"), N_("Age"), N_("Education"), N_("Occupation"), N_("Agency"), N_("Service"),
                   N_("Counter"), N_("Date"))
#: the columns whose usual values are picked by their number
PICKED = {COL_AGE: "age_bands", COL_EDUCATION: "educations", COL_OCCUPATION: "occupations"}
FIELD_OF = {COL_GENDER: "gender", COL_AGE: "age_band", COL_EDUCATION: "education", COL_OCCUPATION: "occupation",
            COL_AGENCY: "agency_id", COL_SERVICE: "service_id", COL_COUNTER: "counter_id", COL_DATE: "date",
            COL_NUMBER: "number"}
#: carried over from one form to the next
STICKY = ("date", "agency_id", "service_id", "counter_id")
DRAFT_BG = QColor("#FFF8E1")
MISSING_BG = QColor("#F3F4F6")
# roles and flags as module constants (issue 22): PySide6 looks a short name such as ``Qt.DisplayRole`` up
# slowly (about 10 µs), and ``data()`` runs several times for every cell painted
_TEXT_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole)
_ALIGNMENT, _BACKGROUND, _FONT = (Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.BackgroundRole,
                                  Qt.ItemDataRole.FontRole)
_TOOLTIP, _VERTICAL = Qt.ItemDataRole.ToolTipRole, Qt.Orientation.Vertical
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_SELECTABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_EDITABLE = _SELECTABLE | Qt.ItemFlag.ItemIsEditable
DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d", "%d-%m-%y", "%d/%m/%y")


@dataclass
class Form:
    """One row of the entry table: a saved form (``id``) or the one being typed (``id`` None)."""
    id: int | None = None
    number: int = 0
    answers: list[int | None] = field(default_factory=lambda: [None] * UNSUR_COUNT)
    gender: str = ""
    age_band: str = ""
    education: str = ""
    occupation: str = ""
    agency_id: int | None = None
    service_id: int | None = None
    counter_id: int | None = None
    date: date | None = None
    note: str = ""

    @classmethod
    def of(cls, row) -> Form:
        answers = list(row.answers) + [None] * (UNSUR_COUNT - len(row.answers))
        return cls(row.id, row.number, answers[:UNSUR_COUNT], row.gender, row.age_band, row.education,
                   row.occupation, row.agency_id, row.service_id, row.counter_id, row.date, row.note)

    def fields(self) -> dict:
        return {"number": self.number, "answers": list(self.answers), "gender": self.gender,
                "age_band": self.age_band, "education": self.education, "occupation": self.occupation,
                "agency_id": self.agency_id, "service_id": self.service_id, "counter_id": self.counter_id,
                "date": self.date, "note": self.note}

    @property
    def empty(self) -> bool:
        return all(a is None for a in self.answers)


def parse_date(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("'{text}' is not a date: type it as 31-12-2024.").format(text=text))


class EntryModel(QAbstractTableModel):
    """The forms of a period plus the draft row. ``on_edit(form_id, fields) -> bool`` changes a saved form;
    ``on_refused(text)`` tells why a value was not taken."""

    def __init__(self, parent=None, *, on_edit: Callable[[int, dict], bool] | None = None,
                 on_refused: Callable[[str], None] | None = None):
        super().__init__(parent)
        self.forms: list[Form] = []
        self.draft = Form(number=1)
        self.choices = EntryChoices()
        self.unsur_names: list[str] = []
        self.on_edit = on_edit
        self.on_refused = on_refused
        self._agency_names: dict[int, str] = {}
        self._service_names: dict[int, str] = {}
        self._counter_names: dict[int, str] = {}

    # --- data in ----------------------------------------------------------------------------
    def set_choices(self, choices: EntryChoices) -> None:
        self.choices = choices
        self._agency_names = dict(choices.agencies)
        self._service_names = {i: name for i, _a, name in choices.services}
        self._counter_names = dict(choices.counters)
        self.headerDataChanged.emit(Qt.Horizontal, 0, COLUMN_COUNT - 1)

    def set_unsur_names(self, names: list[str]) -> None:
        self.unsur_names = list(names)
        self.headerDataChanged.emit(Qt.Horizontal, 0, COLUMN_COUNT - 1)

    def set_forms(self, rows, *, keep_draft: bool = True) -> None:
        self.beginResetModel()
        self.forms = [Form.of(r) for r in rows]
        if not keep_draft:
            self.draft = Form()
        if not self.draft.number or not keep_draft:
            self.draft.number = self.next_number()
        self.endResetModel()

    def next_number(self) -> int:
        return max((f.number for f in self.forms), default=0) + 1

    def start_next(self) -> None:
        """A new empty draft after the one just saved: the next number, the sticky fields kept."""
        kept = {k: getattr(self.draft, k) for k in STICKY}
        self.draft = Form(number=self.next_number(), **kept)
        row = self.draft_row
        self.dataChanged.emit(self.index(row, 0), self.index(row, COLUMN_COUNT - 1))

    @property
    def draft_row(self) -> int:
        return len(self.forms)

    def form_at(self, row: int) -> Form:
        return self.draft if row == len(self.forms) else self.forms[row]

    # --- Qt model ---------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.forms) + 1

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == _VERTICAL:
            if role == _TEXT_ROLES[0]:
                return "✎" if section == len(self.forms) else str(section + 1)
            return None
        if role == _TEXT_ROLES[0]:
            if section == COL_NUMBER:
                return _("No")
            if COL_U1 <= section < COL_GENDER:
                return f"U{section - COL_U1 + 1}"
            return _(PROFILE_HEADERS[section - COL_GENDER])
        if role == _TOOLTIP:
            return self.header_tip(section)
        return None

    def header_tip(self, section: int) -> str:
        if section == COL_NUMBER:
            return _("The number printed on the paper form (counts up by itself).")
        if COL_U1 <= section < COL_GENDER:
            n = section - COL_U1
            name = self.unsur_names[n] if n < len(self.unsur_names) else ""
            return _("U{n} {name}: type 1, 2, 3 or 4; 0 or Space leaves it empty.").format(n=n + 1, name=name)
        if section == COL_GENDER:
            return _("L (laki-laki) or P (perempuan); 0 or Space leaves it empty.")
        if section in PICKED:
            values = getattr(self.choices, PICKED[section])
            return _("Type the number, or letters for another value:") + "\n" + "\n".join(
                f"{i}  {v}" for i, v in enumerate(values, start=1))
        if section in (COL_AGENCY, COL_SERVICE, COL_COUNTER):
            return _("Type the first letters and pick with the arrow keys; carried over to the next form.")
        return _("Date of the form, e.g. 31-12-2024; carried over to the next form.")

    def flags(self, index: QModelIndex):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.column() in (COL_NUMBER, COL_AGE, COL_EDUCATION, COL_OCCUPATION, COL_AGENCY, COL_SERVICE,
                              COL_COUNTER, COL_DATE):
            return _EDITABLE
        return _SELECTABLE

    def display(self, form: Form, col: int) -> str:
        if col == COL_NUMBER:
            return str(form.number) if form.number else ""
        if COL_U1 <= col < COL_GENDER:
            a = form.answers[col - COL_U1]
            return "" if a is None else str(a)
        if col == COL_GENDER:
            return form.gender
        if col == COL_AGE:
            return form.age_band
        if col == COL_EDUCATION:
            return form.education
        if col == COL_OCCUPATION:
            return form.occupation
        if col == COL_AGENCY:
            return self._agency_names.get(form.agency_id, "") if form.agency_id else ""
        if col == COL_SERVICE:
            return self._service_names.get(form.service_id, "") if form.service_id else ""
        if col == COL_COUNTER:
            return self._counter_names.get(form.counter_id, "") if form.counter_id else ""
        return form.date.strftime("%d-%m-%Y") if form.date else ""

    def data(self, index: QModelIndex, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        form = self.form_at(index.row())
        col = index.column()
        if role in _TEXT_ROLES:
            return self.display(form, col)
        if role == _ALIGNMENT:
            return _CENTER if col < COL_AGE else _LEFT
        if role == _BACKGROUND:
            if form.id is None:
                return DRAFT_BG
            if COL_U1 <= col < COL_GENDER and form.answers[col - COL_U1] is None:
                return MISSING_BG
        if role == _FONT and COL_U1 <= col < COL_GENDER:
            font = QFont()
            font.setBold(True)
            return font
        return None

    # --- changes ----------------------------------------------------------------------------
    def value_of(self, col: int, value):
        """The stored value of what was typed in column ``col`` (raises ValueError with the reason)."""
        text = "" if value is None else str(value).strip()
        if col == COL_NUMBER:
            if text and not text.isdigit():
                raise ValueError(_("The form number is a whole number."))
            return int(text) if text else 0
        if col in (COL_AGENCY, COL_SERVICE, COL_COUNTER):
            return self.id_named(col, text)
        if col == COL_DATE:
            return parse_date(text)
        if col in PICKED:
            values = getattr(self.choices, PICKED[col])
            if text.isdigit() and 1 <= int(text) <= len(values):
                return values[int(text) - 1]
            return text
        return text

    def id_named(self, col: int, text: str) -> int | None:
        if not text:
            return None
        names = {COL_AGENCY: self._agency_names, COL_SERVICE: self._service_names,
                 COL_COUNTER: self._counter_names}[col]
        wanted = text.casefold()
        hits = [i for i, name in names.items() if name.casefold() == wanted]
        if not hits:
            hits = [i for i, name in names.items() if name.casefold().startswith(wanted)]
        if len(hits) != 1:
            what = {COL_AGENCY: _("agency"), COL_SERVICE: _("service"), COL_COUNTER: _("counter")}[col]
            raise ValueError(_("There is no {what} named '{text}'.").format(what=what, text=text) if not hits else
                             _("'{text}' fits more than one {what}: type more of the name.").format(what=what,
                                                                                                     text=text))
        return hits[0]

    def setData(self, index: QModelIndex, value, role=Qt.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.EditRole:
            return False
        col = index.column()
        try:
            stored = value if COL_U1 <= col < COL_GENDER or col == COL_GENDER else self.value_of(col, value)
        except ValueError as exc:
            if self.on_refused is not None:
                self.on_refused(str(exc.args[0]))
            return False
        return self.store(index.row(), col, stored)

    def store(self, row: int, col: int, stored) -> bool:
        """Put a checked value in the draft, or change a saved form through ``on_edit``."""
        form = self.form_at(row)
        changed = replace(form, answers=list(form.answers))
        if COL_U1 <= col < COL_GENDER:
            changed.answers[col - COL_U1] = stored
        else:
            setattr(changed, FIELD_OF[col], stored)
        if col == COL_AGENCY and changed.service_id is not None and stored is not None:
            owner = next((a for i, a, _n in self.choices.services if i == changed.service_id), None)
            if owner != stored:
                changed.service_id = None
        if col == COL_SERVICE and stored is not None:
            changed.agency_id = next((a for i, a, _n in self.choices.services if i == stored), changed.agency_id)
        if form.id is None:
            self.draft = changed
            self.dataChanged.emit(self.index(row, 0), self.index(row, COLUMN_COUNT - 1))
            return True
        if self.on_edit is None:
            return False
        new = changed.fields()
        old = form.fields()
        return self.on_edit(form.id, {k: v for k, v in new.items() if v != old[k]})

    def missing_per_unsur(self) -> list[int]:
        counted = [f for f in self.forms if not f.empty]
        return [sum(1 for f in counted if f.answers[i] is None) for i in range(UNSUR_COUNT)]


class EntryDelegate(QStyledItemDelegate):
    """Line editors; agency, service and counter get a completer of their names (service: the agency's)."""

    def __init__(self, model: EntryModel, parent=None):
        super().__init__(parent)
        self.entry = model

    def createEditor(self, parent, option, index):  # noqa: N802
        editor = QLineEdit(parent)
        col = index.column()
        names: list[str] = []
        if col == COL_AGENCY:
            names = [n for _i, n in self.entry.choices.agencies]
        elif col == COL_SERVICE:
            agency = self.entry.form_at(index.row()).agency_id
            names = [n for _i, a, n in self.entry.choices.services if agency is None or a == agency]
        elif col == COL_COUNTER:
            names = [n for _i, n in self.entry.choices.counters]
        elif col in PICKED:
            names = list(getattr(self.entry.choices, PICKED[col]))
        elif col == COL_DATE:
            editor.setPlaceholderText(_("dd-mm-yyyy"))
        if names:
            completer = QCompleter(names, editor)
            completer.setCaseSensitivity(Qt.CaseInsensitive)
            completer.setFilterMode(Qt.MatchContains)
            editor.setCompleter(completer)
        return editor


class EntryView(QTableView):
    """The keys of fast entry (see the module's docstring). ``refused(text)`` when a key is not taken;
    ``submitted(row)`` when Enter asks to save the form of ``row``."""

    refused = Signal(str)
    accepted_key = Signal()
    submitted = Signal(int)

    def __init__(self, model: EntryModel, parent=None):
        super().__init__(parent)
        self.entry = model
        self.setModel(model)
        self.setItemDelegate(EntryDelegate(model, self))
        self.setSelectionBehavior(QTableView.SelectItems)
        self.setSelectionMode(QTableView.SingleSelection)
        self.setEditTriggers(QTableView.AnyKeyPressed | QTableView.DoubleClicked | QTableView.EditKeyPressed)
        self.setTabKeyNavigation(True)
        self.verticalHeader().setDefaultSectionSize(24)
        self.horizontalHeader().setMinimumSectionSize(30)
        self.setObjectName("survey_entry")
        # one digit per unsur: narrow answer columns keep the profile columns on screen
        self.setColumnWidth(0, 56)
        for col in range(COL_U1, COL_U1 + 9):
            self.setColumnWidth(col, 40)
        for col in range(COL_U1 + 9, COLUMN_COUNT):
            self.setColumnWidth(col, 120)

    def go_to(self, row: int, col: int) -> None:
        index = self.entry.index(row, col)
        self.setCurrentIndex(index)
        self.scrollTo(index)

    def go_to_draft(self, col: int = COL_U1) -> None:
        self.go_to(self.entry.draft_row, col)

    def advance(self, index: QModelIndex) -> None:
        if index.column() + 1 < COLUMN_COUNT:
            self.go_to(index.row(), index.column() + 1)

    def refuse(self, text: str) -> None:
        QApplication.beep()
        self.refused.emit(text)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        index = self.currentIndex()
        key = event.key()
        mods = event.modifiers() & ~(Qt.KeypadModifier | Qt.ShiftModifier)
        if not index.isValid() or mods:
            super().keyPressEvent(event)
            return
        if key in (Qt.Key_Return, Qt.Key_Enter):
            self.submitted.emit(index.row())
            return
        col = index.column()
        text = event.text()
        if COL_U1 <= col <= COL_GENDER:
            if key in (Qt.Key_Delete, Qt.Key_Backspace):
                self.put(index, None, move=False)
                return
            if text in ("0", " "):
                self.put(index, None)
                return
            if col == COL_GENDER:
                if text.upper() in ("L", "P"):
                    self.put(index, text.upper())
                    return
            elif text in ("1", "2", "3", "4"):
                self.put(index, int(text))
                return
            if text and text.isprintable():
                self.refuse(_("'{key}' is not an answer: type 1, 2, 3 or 4 (0 or Space: no answer).").format(
                    key=text) if col != COL_GENDER else
                    _("'{key}' is not a gender: type L or P (0 or Space: not stated).").format(key=text))
                return
            super().keyPressEvent(event)
            return
        if col in PICKED and text and text.isdigit():
            values = getattr(self.entry.choices, PICKED[col])
            if text == "0":
                self.put(index, "")
                return
            if 1 <= int(text) <= len(values):
                self.put(index, values[int(text) - 1])
                return
            self.refuse(_("Type a number from 1 to {n} (the list is in the column's tooltip).").format(
                n=len(values)))
            return
        if col in PICKED and text == " ":
            self.put(index, "")
            return
        if key in (Qt.Key_Delete, Qt.Key_Backspace) and col != COL_NUMBER:
            self.put(index, None if col in (COL_AGENCY, COL_SERVICE, COL_COUNTER, COL_DATE) else "", move=False)
            return
        super().keyPressEvent(event)

    def put(self, index: QModelIndex, value, *, move: bool = True) -> None:
        if self.entry.store(index.row(), index.column(), value):
            self.accepted_key.emit()
            if move:
                self.advance(index)

    def closeEditor(self, editor, hint) -> None:  # noqa: N802
        """Enter in an open editor takes its text and saves the form too (one Enter, not two)."""
        index = self.currentIndex()
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.SubmitModelCache and index.isValid():
            self.submitted.emit(index.row())
