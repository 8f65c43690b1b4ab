"""Add or edit one agency: every field of the register, the colour with a picker, the services list."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QColorDialog, QComboBox, QDateEdit, QDialog,
                               QDialogButtonBox, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget)

from mpp_planner.i18n import _
from mpp_planner.model.agency import COLOUR_RE, TIER_COLOURS, Tier

SERVICE_ID = Qt.UserRole + 10


class ColourButton(QPushButton):
    """A swatch that opens the colour picker; the hex code beside it can be typed as well."""

    def __init__(self, edit: QLineEdit, parent=None):
        super().__init__(parent)
        self.edit = edit
        self.setFixedSize(44, 24)
        self.setToolTip(_("Choose a colour…"))
        self.clicked.connect(self.pick)
        edit.textChanged.connect(self._paint)

    def _paint(self, text: str) -> None:
        colour = text.strip() if COLOUR_RE.match(text.strip()) else "#FFFFFF"
        self.setStyleSheet(f"QPushButton {{ background: {colour}; border: 1px solid #56606B; border-radius: 3px; }}")

    def pick(self) -> None:
        current = QColor(self.edit.text().strip())
        chosen = QColorDialog.getColor(current if current.isValid() else QColor("#7F8C8D"), self.window(),
                                       _("Agency colour"))
        if chosen.isValid():
            self.edit.setText(chosen.name().upper())


class ServiceEntry(QLineEdit):
    """The "New service" field: Enter adds the service typed (``returnPressed``) and goes no further — a
    QLineEdit lets the key on to the dialog, whose OK button would take it."""

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().keyPressEvent(event)
        if event.key() in (Qt.Key_Return, Qt.Key_Enter):
            event.accept()


class AgencyDialog(QDialog):
    """``on_accept(fields, services)`` makes the change (through the undo stack) and returns True, or
    returns False after telling why (:meth:`show_error`, or the storage error dialog); the dialog
    then stays open with what was typed."""

    def __init__(self, parent=None, *, agency=None, used_colours: set[str] | None = None,
                 on_accept: Callable[[dict, list], bool] | None = None):
        super().__init__(parent)
        self.on_accept = on_accept
        self.setWindowTitle(_("Edit agency") if agency is not None else _("New agency"))
        self.setMinimumWidth(620)
        self.name = QLineEdit()
        self.short_name = QLineEdit()
        self.short_name.setMaximumWidth(220)
        self.tier = QComboBox()
        for t in Tier:
            self.tier.addItem(t.label, t.value)
        self.colour = QLineEdit()
        self.colour.setPlaceholderText("#1F4E99")
        self.colour.setMaximumWidth(100)
        self.colour_button = ColourButton(self.colour)
        self.contact_person = QLineEdit()
        self.phone = QLineEdit()
        self.email = QLineEdit()
        self.mou_number = QLineEdit()
        self.has_mou_date = QCheckBox(_("Signed on"))
        self.mou_date = QDateEdit()
        self.mou_date.setCalendarPopup(True)
        self.mou_date.setDisplayFormat("dd/MM/yyyy")
        self.mou_date.setDate(QDate.currentDate())
        self.mou_date.setEnabled(False)
        self.has_mou_date.toggled.connect(self.mou_date.setEnabled)
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(56)

        self.services = QListWidget()
        self.services.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed
                                      | QAbstractItemView.SelectedClicked)
        self.services.setDragDropMode(QAbstractItemView.InternalMove)
        self.services.setMinimumHeight(120)
        add = QPushButton(_("Add"))
        add.clicked.connect(self.add_service)
        remove = QPushButton(_("Remove"))
        remove.clicked.connect(self.remove_service)
        self.service_entry = ServiceEntry()
        self.service_entry.setPlaceholderText(_("New service, then Enter"))
        self.service_entry.returnPressed.connect(self.add_service)

        self.error = QLabel()
        self.error.setStyleSheet("color: #B03A2E; font-weight: bold;")
        self.error.setWordWrap(True)
        self.error.hide()

        ident = QGroupBox(_("Agency"))
        form = QFormLayout(ident)
        form.addRow(_("Name:"), self.name)
        form.addRow(_("Short name:"), self.short_name)
        form.addRow(_("Tier:"), self.tier)
        crow = QHBoxLayout()
        crow.addWidget(self.colour_button)
        crow.addWidget(self.colour)
        crow.addStretch(1)
        form.addRow(_("Colour:"), crow)
        contact = QGroupBox(_("Contact and agreement"))
        grid = QGridLayout(contact)
        grid.addWidget(QLabel(_("Contact person:")), 0, 0)
        grid.addWidget(self.contact_person, 0, 1, 1, 3)
        grid.addWidget(QLabel(_("Phone:")), 1, 0)
        grid.addWidget(self.phone, 1, 1)
        grid.addWidget(QLabel(_("E-mail:")), 1, 2)
        grid.addWidget(self.email, 1, 3)
        grid.addWidget(QLabel(_("MoU/PKS number:")), 2, 0)
        grid.addWidget(self.mou_number, 2, 1, 1, 3)
        grid.addWidget(QLabel(_("MoU/PKS date:")), 3, 0)
        drow = QHBoxLayout()
        drow.addWidget(self.has_mou_date)
        drow.addWidget(self.mou_date)
        drow.addStretch(1)
        grid.addLayout(drow, 3, 1, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        svc = QGroupBox(_("Services"))
        sv = QVBoxLayout(svc)
        sv.addWidget(self.services)
        srow = QHBoxLayout()
        srow.addWidget(self.service_entry, 1)
        srow.addWidget(add)
        srow.addWidget(remove)
        sv.addLayout(srow)
        hint = QLabel(_("Double-click a service to rename it; drag to reorder."))
        hint.setStyleSheet("color: #5A6470;")
        sv.addWidget(hint)
        notes_box = QGroupBox(_("Notes"))
        QVBoxLayout(notes_box).addWidget(self.notes)

        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.Ok)
        layout = QVBoxLayout(self)
        layout.addWidget(ident)
        layout.addWidget(contact)
        layout.addWidget(svc, 1)
        layout.addWidget(notes_box)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        if agency is not None:
            self.load(agency)
        else:
            self.suggest_colour(used_colours or set())
        self.name.setFocus()

    # --- filling and reading ----------------------------------------------------------------
    def load(self, agency) -> None:
        self.name.setText(agency.name)
        self.short_name.setText(agency.short_name)
        self.tier.setCurrentIndex(max(0, self.tier.findData(agency.tier)))
        self.colour.setText(agency.colour)
        self.contact_person.setText(agency.contact_person or "")
        self.phone.setText(agency.phone or "")
        self.email.setText(agency.email or "")
        self.mou_number.setText(agency.mou_number or "")
        if agency.mou_date:
            self.has_mou_date.setChecked(True)
            self.mou_date.setDate(QDate(agency.mou_date.year, agency.mou_date.month, agency.mou_date.day))
        self.notes.setPlainText(agency.notes or "")
        for service in agency.services:
            self._add_item(service.name, service.id)

    def suggest_colour(self, used: set[str]) -> None:
        """A distinct colour no other agency uses (the plan tells agencies apart by colour)."""
        from mpp_planner.importers.agencies import PALETTE

        free = [c for c in PALETTE if c not in {u.upper() for u in used}]
        self.colour.setText(free[0] if free else TIER_COLOURS[Tier(self.tier.currentData())])

    def _add_item(self, name: str, ident: int | None) -> QListWidgetItem:
        item = QListWidgetItem(name)
        item.setData(SERVICE_ID, ident)
        item.setFlags(item.flags() | Qt.ItemIsEditable)
        self.services.addItem(item)
        return item

    def add_service(self) -> None:
        text = self.service_entry.text().strip()
        if text:
            self._add_item(text, None)
            self.service_entry.clear()
        else:
            item = self._add_item(_("New service"), None)
            self.services.setCurrentItem(item)
            self.services.editItem(item)

    def remove_service(self) -> None:
        for item in self.services.selectedItems():
            self.services.takeItem(self.services.row(item))

    def fields(self) -> dict:
        qd = self.mou_date.date()
        return {
            "name": self.name.text(), "short_name": self.short_name.text(), "tier": self.tier.currentData(),
            "colour": self.colour.text().strip().upper(), "contact_person": self.contact_person.text(),
            "phone": self.phone.text(), "email": self.email.text(), "mou_number": self.mou_number.text(),
            "mou_date": date(qd.year(), qd.month(), qd.day()) if self.has_mou_date.isChecked() else None,
            "notes": self.notes.toPlainText(),
        }

    def service_rows(self) -> list[tuple[int | None, str]]:
        rows = []
        for i in range(self.services.count()):
            item = self.services.item(i)
            if item.text().strip():
                rows.append((item.data(SERVICE_ID), item.text().strip()))
        return rows

    # --- accepting ----------------------------------------------------------------------------
    def field_widget(self, field: str) -> QWidget | None:
        return {"name": self.name, "short_name": self.short_name, "tier": self.tier, "colour": self.colour,
                "contact_person": self.contact_person, "phone": self.phone, "email": self.email,
                "mou_number": self.mou_number, "mou_date": self.mou_date, "notes": self.notes}.get(field)

    def accept(self) -> None:
        self.error.hide()
        if self.on_accept is not None and not self.on_accept(self.fields(), self.service_rows()):
            return  # refused or not saved: the reason is shown, what was typed stays
        super().accept()

    def show_error(self, message: str, field: str = "") -> None:
        """Show why the change was refused; the field it names gets the focus, its text left as it is (not
        selected: what is typed next is never lost in it)."""
        self.error.setText(message)
        self.error.show()
        widget = self.field_widget(field)
        if widget is not None:
            widget.setFocus()
            if isinstance(widget, QLineEdit):
                widget.deselect()
                widget.end(False)
