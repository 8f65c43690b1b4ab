"""File ▸ Project settings…: the MPP's identity, letterhead and logo, who signs the sheets, the paper official
sheets print on (A4 or F4) and the decree the allocation list is attached to. One undoable edit on OK; a value
the model refuses is told in the dialog, which stays open."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSpinBox, QTableWidget,
                               QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from mpp_planner.formats import long_date
from mpp_planner.i18n import N_, _
from mpp_planner.model import ValidationError
from mpp_planner.model.paper import SHEET_PAPERS
from mpp_planner.qt.message_line import MessageLine
from mpp_planner.reads.site import site_settings
from mpp_planner.seed import ROLES, read_logo

ORIGIN = "settings"
LOGO_PREVIEW = (96, 96)
SIGNATORY_COLUMNS = ("title", "name", "rank", "nip")
ROLE_NAMES = {"head": N_("Head of the office"), "proposer": N_("Proposer"), "goods_admin": N_("Goods administrator"),
              "room_officer": N_("Room officer")}
PAPER_LABELS = {"A4": "A4 (210 × 297 mm)", "F4": "F4 / Folio (215 × 330 mm)"}


def parse_date(text: str) -> date | None:
    """A date typed as 31-12-2024, 31/12/2024 or 2024-12-31; empty is None; ValidationError otherwise."""
    raw = text.strip()
    if not raw:
        return None
    for sep in "-/.":
        parts = raw.split(sep)
        if len(parts) == 3 and all(p.strip().isdigit() for p in parts):
            a, b, c = (int(p) for p in parts)
            try:
                return date(a, b, c) if len(parts[0].strip()) == 4 else date(c, b, a)
            except ValueError:
                break
    raise ValidationError("decree_date", _("'{text}' is not a date (type it as 31-12-2024).").format(text=raw))


class ProjectSettingsDialog(QDialog):
    def __init__(self, project, undo_stack, parent=None):
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.setWindowTitle(_("Project settings"))
        self.settings = site_settings(project)
        v = self.settings.values
        self.logo: bytes | None = v["logo"]

        # --- identity and letterhead ---
        self.name = QLineEdit(v["name"])
        self.government = QLineEdit(v["government_name"])
        self.office = QLineEdit(v["operator_office"])
        self.upt = QLineEdit(v["upt_name"])
        self.city = QLineEdit(v["city"])
        self.province = QLineEdit(v["province"])
        self.address = QLineEdit(v["address"])
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(v["fiscal_year"])
        self.letterhead = QPlainTextEdit("\n".join(v["letterhead"]))
        self.letterhead.setTabChangesFocus(True)
        self.letterhead.setMinimumHeight(110)
        self.preview = QLabel()
        self.preview.setFixedSize(*LOGO_PREVIEW)
        self.preview.setAlignment(Qt.AlignCenter)
        self.preview.setStyleSheet("border: 1px solid #bbb; background: white;")
        choose = QPushButton(_("Choose logo…"))
        choose.clicked.connect(self.choose_logo)
        self.remove_logo = QPushButton(_("No logo"))
        self.remove_logo.clicked.connect(lambda: self.set_logo(None))
        logo_buttons = QVBoxLayout()
        logo_buttons.addWidget(choose)
        logo_buttons.addWidget(self.remove_logo)
        logo_buttons.addStretch(1)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.preview)
        logo_row.addLayout(logo_buttons)
        logo_row.addStretch(1)
        identity = QWidget()
        form = QFormLayout(identity)
        form.setFieldGrowthPolicy(QFormLayout.ExpandingFieldsGrow)
        form.addRow(_("Name of the MPP:"), self.name)
        form.addRow(_("Government:"), self.government)
        form.addRow(_("Office running the MPP:"), self.office)
        form.addRow(_("UPT MPP (if any):"), self.upt)
        form.addRow(_("City (before the date of signatures):"), self.city)
        form.addRow(_("Province:"), self.province)
        form.addRow(_("Address:"), self.address)
        form.addRow(_("Fiscal year:"), self.year)
        form.addRow(_("Letterhead lines:"), self.letterhead)
        form.addRow(_("Logo:"), logo_row)

        # --- signatories: one row per role ---
        self.signers = QTableWidget(len(ROLES), len(SIGNATORY_COLUMNS))
        self.signers.setObjectName("signatories")
        self.signers.setHorizontalHeaderLabels([_("Title"), _("Name"), _("Rank"), _("NIP")])
        self.signers.setVerticalHeaderLabels([_(ROLE_NAMES[role]) for role in ROLES])
        for row, role in enumerate(ROLES):
            self.signers.verticalHeaderItem(row).setToolTip(_(ROLES[role]))
            who = self.settings.signatories.get(role)
            for col, key in enumerate(SIGNATORY_COLUMNS):
                self.signers.setItem(row, col, QTableWidgetItem(getattr(who, key) if who else ""))
        header = self.signers.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeToContents)
        self.signers.setWordWrap(False)
        self.signers.setTextElideMode(Qt.ElideRight)
        signers = QWidget()
        sl = QVBoxLayout(signers)
        sl.addWidget(QLabel(_("Who signs the sheets. Empty title and name: nobody signs in that role.")))
        sl.addWidget(self.signers, 1)

        # --- printing ---
        self.paper = QComboBox()
        self.paper.setObjectName("paper")
        for name in SHEET_PAPERS:
            self.paper.addItem(PAPER_LABELS[name], name)
        self.paper.setCurrentIndex(max(0, self.paper.findData(v["paper"])))
        self.decree_title = QLineEdit(v["decree_title"])
        self.decree_title.setPlaceholderText(_("e.g. Keputusan Kepala Dinas Penanaman Modal dan PTSP"))
        self.decree_number = QLineEdit(v["decree_number"])
        self.decree_number.setPlaceholderText(_("e.g. 503/123/425.117/2024"))
        self.decree_date = QLineEdit(v["decree_date"].strftime("%d-%m-%Y") if v["decree_date"] else "")
        self.decree_date.setPlaceholderText(_("dd-mm-yyyy"))
        self.decree_date.textChanged.connect(self._show_date)
        self.decree_date_text = QLabel()
        self._show_date()
        printing = QWidget()
        pf = QFormLayout(printing)
        pf.setFieldGrowthPolicy(QFormLayout.ExpandingFieldsGrow)
        pf.addRow(_("Paper of official sheets:"), self.paper)
        pf.addRow(QLabel(_("The allocation list is an attachment (lampiran) of:")))
        pf.addRow(_("Decree or letter:"), self.decree_title)
        pf.addRow(_("Number:"), self.decree_number)
        date_row = QHBoxLayout()
        date_row.addWidget(self.decree_date)
        date_row.addWidget(self.decree_date_text, 1)
        pf.addRow(_("Date:"), date_row)

        self.tabs = QTabWidget()
        self.tabs.addTab(identity, _("Identity"))
        self.tabs.addTab(signers, _("Signatories"))
        self.tabs.addTab(printing, _("Printing"))
        self.message = MessageLine()
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton(_("Save"), QDialogButtonBox.AcceptRole)
        buttons.addButton(_("Cancel"), QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok.setEnabled(not project.readonly)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.set_logo(self.logo)
        self.resize(760, 560)

    # --- logo ---
    def choose_logo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Choose logo"), "",
                                                    _("Images (*.png *.jpg *.jpeg)") + ";;" + _("All files (*)"))
        if path:
            self.set_logo_file(path)

    def set_logo_file(self, path: str | Path) -> bool:
        self.message.hide()
        try:
            data = read_logo(path)
        except ValidationError as exc:
            self.message.tell(exc.message if hasattr(exc, "message") else str(exc))
            return False
        if not self.set_logo(data):
            self.message.tell(_("'{name}' cannot be read as an image.").format(name=Path(path).name))
            return False
        return True

    def set_logo(self, data: bytes | None) -> bool:
        if data is None:
            self.logo = None
            self.preview.clear()
            self.preview.setText(_("no logo"))
            self.remove_logo.setEnabled(False)
            return True
        pixmap = QPixmap()
        if not pixmap.loadFromData(data):
            return False
        self.logo = data
        self.preview.setPixmap(pixmap.scaled(*LOGO_PREVIEW, Qt.KeepAspectRatio, Qt.SmoothTransformation))
        self.remove_logo.setEnabled(True)
        return True

    def _show_date(self) -> None:
        try:
            when = parse_date(self.decree_date.text())
        except ValidationError:
            self.decree_date_text.setText(_("not a date"))
            return
        self.decree_date_text.setText(long_date(when) if when else "")

    # --- saving ---
    def typed(self) -> tuple[dict, dict]:
        """The Site fields and the signatories the dialog shows (dates parsed; ValidationError when not)."""
        fields = {
            "name": self.name.text(), "government_name": self.government.text(),
            "operator_office": self.office.text(), "upt_name": self.upt.text(), "city": self.city.text(),
            "province": self.province.text(), "address": self.address.text(), "fiscal_year": self.year.value(),
            "letterhead": [line.strip() for line in self.letterhead.toPlainText().splitlines() if line.strip()],
            "logo": self.logo, "paper": self.paper.currentData(), "decree_title": self.decree_title.text().strip(),
            "decree_number": self.decree_number.text().strip(), "decree_date": parse_date(self.decree_date.text()),
        }
        signers = {}
        for row, role in enumerate(ROLES):
            signers[role] = {key: self.signers.item(row, col).text() for col, key in enumerate(SIGNATORY_COLUMNS)}
        return fields, signers

    def accept(self) -> None:
        from mpp_planner.commands.site import edit_settings

        self.message.hide()

        def command():
            fields, signers = self.typed()
            return edit_settings(self.project, fields, signers)

        try:
            cmd = command()
        except Exception as exc:  # noqa: BLE001 - the stack's one handler: a refusal is shown here, a bug re-raised
            self.undo_stack.failed(exc, report=self.message.tell, parent=self, origin=ORIGIN)
            return
        if cmd is None or self.undo_stack.run(cmd, origin=ORIGIN, report=self.message.tell, parent=self):
            super().accept()
