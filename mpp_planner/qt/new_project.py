"""File ▸ New…: a wizard for a new project that is ready to use.

Pages: the MPP's identity; the letterhead with its logo; who signs (with NIP); the fiscal year and
the floors; where the file goes. Every page checks what it holds by the model's own rules (through
``mpp_planner.seed``) and says on the page what is wrong. Finish builds the project with
``seed.write_project`` in a job (``run_job``: a Cancel or a failure leaves no file), then hands the path
to ``on_created`` (the main window opens it).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QMessageBox, QPlainTextEdit, QPushButton,
                               QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWizard, QWizardPage)

from mpp_planner import FILE_SUFFIX, settings
from mpp_planner.i18n import _
from mpp_planner.model import ValidationError
from mpp_planner.qt.jobs import JobHandle, run_job, show_job_error
from mpp_planner.qt.message_line import MessageLine
from mpp_planner.seed import (ROLES, ProjectSpec, SignatorySpec, check_floors, check_project, check_signatories,
                              check_signatory, default_fiscal_year, default_letterhead, default_title, read_logo,
                              standard_sizes, write_project)
from mpp_planner.store import ProjectFileError
from mpp_planner.store.errors import STORAGE_FAILURES, storage_failure

LOGO_PREVIEW = (90, 100)  # pixels: about the size the logo takes in the letterhead


def _line(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit


class _AddOnEnter(QLineEdit):
    """A line whose Enter adds what it holds (``returnPressed``) without also pressing the wizard's Next."""

    def keyPressEvent(self, event) -> None:  # noqa: N802
        super().keyPressEvent(event)
        if event.key() in (Qt.Key_Return, Qt.Key_Enter):
            event.accept()


def _refusal(exc: ValidationError) -> str:
    return exc.message


class IdentityPage(QWizardPage):
    """Who the MPP is: its name (required), the government and office that run it, where it is."""

    def __init__(self):
        super().__init__()
        self.setTitle(_("The MPP"))
        self.setSubTitle(_("Its name and who runs it, as printed on the sheets."))
        self.name = _line("name", _("e.g. MPP Kabupaten Probolinggo"))
        self.government = _line("government", _("e.g. Pemerintah Kabupaten Probolinggo"))
        self.office = _line("office", _("e.g. Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"))
        self.city = _line("city", _("e.g. Kraksaan"))
        self.province = _line("province", _("e.g. Jawa Timur"))
        self.address = _line("address", _("street, town, postcode"))
        form = QFormLayout()
        form.addRow(_("Name of the MPP:"), self.name)
        form.addRow(_("Government:"), self.government)
        form.addRow(_("Office running the MPP:"), self.office)
        form.addRow(_("City (before the date of signatures):"), self.city)
        form.addRow(_("Province:"), self.province)
        form.addRow(_("Address:"), self.address)
        self.message = MessageLine()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.message)
        self.registerField("name*", self.name)  # Next stays off while the name is empty

    def values(self) -> dict[str, str]:
        return {"name": self.name.text(), "government": self.government.text(), "office": self.office.text(),
                "city": self.city.text(), "province": self.province.text(), "address": self.address.text()}

    def validatePage(self) -> bool:  # noqa: N802
        self.message.hide()
        try:
            check_project(**self.values())
        except ValidationError as exc:
            self.message.tell(_refusal(exc))
            return False
        return True


class LetterheadPage(QWizardPage):
    """The kop surat: its lines (proposed from the identity until edited) and a logo image."""

    def __init__(self, identity: IdentityPage):
        super().__init__()
        self.identity = identity
        self.setTitle(_("Letterhead"))
        self.setSubTitle(_("The lines at the top of every printed sheet, one per line, and the logo beside them."))
        self.lines = QPlainTextEdit()
        self.lines.setObjectName("letterhead")
        self.lines.setTabChangesFocus(True)
        self._proposed = ""  # the text we filled in; once the user changes it, it is theirs
        self.logo: bytes | None = None
        self.preview = QLabel()
        self.preview.setObjectName("logo_preview")
        self.preview.setFixedSize(*LOGO_PREVIEW)
        self.preview.setAlignment(Qt.AlignCenter)
        self.preview.setStyleSheet("border: 1px solid #bbb; background: white;")
        self.choose = QPushButton(_("Choose logo…"))
        self.choose.setObjectName("choose_logo")
        self.choose.clicked.connect(self.choose_logo)
        self.remove = QPushButton(_("No logo"))
        self.remove.setObjectName("remove_logo")
        self.remove.clicked.connect(self.clear_logo)
        self.message = MessageLine()
        buttons = QVBoxLayout()
        buttons.addWidget(self.choose)
        buttons.addWidget(self.remove)
        buttons.addStretch(1)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.preview)
        logo_row.addLayout(buttons)
        logo_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Letterhead lines:")))
        layout.addWidget(self.lines, 1)
        layout.addWidget(QLabel(_("Logo (PNG or JPEG, at most 2 MB):")))
        layout.addLayout(logo_row)
        layout.addWidget(self.message)
        self.clear_logo()

    def initializePage(self) -> None:  # noqa: N802
        if self.lines.toPlainText() == self._proposed:
            v = self.identity.values()
            self._proposed = "\n".join(default_letterhead(name=v["name"], government=v["government"],
                                                          office=v["office"], address=v["address"],
                                                          city=v["city"]))
            self.lines.setPlainText(self._proposed)

    def letterhead(self) -> list[str]:
        return [line.strip() for line in self.lines.toPlainText().splitlines() if line.strip()]

    def choose_logo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Choose logo"), "",
                                                    _("Images (*.png *.jpg *.jpeg)") + ";;" + _("All files (*)"))
        if path:
            self.set_logo_file(path)

    def set_logo_file(self, path: str | Path) -> bool:
        """Take the image at ``path`` as the logo (checked by the model's rules); False with a message if not."""
        self.message.hide()
        try:
            data = read_logo(path)
        except ValidationError as exc:
            self.message.tell(_refusal(exc))
            return False
        pixmap = QPixmap()
        if not pixmap.loadFromData(data):
            self.message.tell(_("'{name}' cannot be read as an image.").format(name=Path(path).name))
            return False
        self.logo = data
        self.preview.setPixmap(pixmap.scaled(*LOGO_PREVIEW, Qt.KeepAspectRatio, Qt.SmoothTransformation))
        self.remove.setEnabled(True)
        return True

    def clear_logo(self) -> None:
        self.logo = None
        self.preview.clear()
        self.preview.setText(_("no logo"))
        self.remove.setEnabled(False)

    def validatePage(self) -> bool:  # noqa: N802
        self.message.hide()
        try:
            check_project(**self.identity.values(), letterhead=self.letterhead(), logo=self.logo)
        except ValidationError as exc:
            self.message.tell(_refusal(exc))
            return False
        return True


SIGNATORY_COLUMNS = ("role", "title", "name", "rank", "nip")


class SignatoriesPage(QWizardPage):
    """Who signs the sheets: one person per role, each checked (an NIP has 18 digits) when added."""

    def __init__(self, identity: IdentityPage):
        super().__init__()
        self.identity = identity
        self.setTitle(_("Signatories"))
        self.setSubTitle(_("Who signs the budget request and the room inventory cards (KIR)."))
        self.signatories: list[SignatorySpec] = []
        self.role = QComboBox()
        self.role.setObjectName("role")
        for key, label in ROLES.items():
            self.role.addItem(_(label), key)
        self.title = _line("title")
        self.person = _line("person", _("full name with degrees, e.g. Dr. Siti Aminah, S.Sos., M.Si."))
        self.rank = _line("rank", _("e.g. Pembina Tingkat I"))
        self.nip = _line("nip", _("18 digits, e.g. 19780903 200701 2 001"))
        self.add_button = QPushButton(_("Add signatory"))
        self.add_button.setObjectName("add_signatory")
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton(_("Remove"))
        self.remove_button.setObjectName("remove_signatory")
        self.remove_button.clicked.connect(self.remove_selected)
        self.table = QTableWidget(0, len(SIGNATORY_COLUMNS))
        self.table.setObjectName("signatories")
        self.table.setHorizontalHeaderLabels([_("Role"), _("Title"), _("Name"), _("Rank"), _("NIP")])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.message = MessageLine()
        self._last_default = ""
        self.role.currentIndexChanged.connect(self._role_changed)
        form = QFormLayout()
        form.addRow(_("Role:"), self.role)
        form.addRow(_("Title:"), self.title)
        form.addRow(_("Name:"), self.person)
        form.addRow(_("Rank:"), self.rank)
        form.addRow(_("NIP:"), self.nip)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)

    def initializePage(self) -> None:  # noqa: N802
        self._role_changed()

    def _role_changed(self) -> None:
        """Propose the usual title of the role, unless the user typed their own."""
        proposed = default_title(self.role.currentData() or "", self.identity.office.text())
        if self.title.text() in ("", self._last_default):
            self.title.setText(proposed)
        self._last_default = proposed

    def typed(self) -> SignatorySpec:
        return SignatorySpec(role=self.role.currentData() or "", title=self.title.text(), name=self.person.text(),
                             rank=self.rank.text(), nip=self.nip.text())

    def add(self) -> bool:
        """Add the person typed above, checked by the model's rules; False (and why, on the page) if refused."""
        self.message.hide()
        try:
            sig = check_signatory(self.typed())
            check_signatories([*self.signatories, sig])
        except ValidationError as exc:
            self.message.tell(_refusal(exc))
            return False
        self.signatories.append(sig)
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, key in enumerate(SIGNATORY_COLUMNS):
            text = _(ROLES[sig.role]) if key == "role" and sig.role in ROLES else getattr(sig, key)
            self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        for edit in (self.person, self.rank, self.nip):
            edit.clear()
        used = {s.role for s in self.signatories}
        free = [i for i in range(self.role.count()) if self.role.itemData(i) not in used]
        if free:
            self.role.setCurrentIndex(free[0])
        return True

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
            del self.signatories[row]

    def validatePage(self) -> bool:  # noqa: N802
        self.message.hide()
        if self.person.text().strip() or self.nip.text().strip():
            self.message.tell(_("Add the signatory typed above (or clear the name and NIP) before going on."))
            return False
        return True


class YearFloorsPage(QWizardPage):
    """The fiscal year the budget is planned for, and the floors to start with."""

    def __init__(self):
        super().__init__()
        self.setTitle(_("Fiscal year and floors"))
        self.setSubTitle(_("The budget request is drawn up for the next fiscal year. Floors can also be added later "
                           "in the Plan tab, or come with the architect's plan."))
        self.year = QSpinBox()
        self.year.setObjectName("year")
        self.year.setRange(2000, 2100)
        self.year.setValue(default_fiscal_year())
        self.floor_name = _AddOnEnter()
        self.floor_name.setObjectName("floor_name")
        self.floor_name.setPlaceholderText(_("e.g. Lantai 1"))
        self.floor_name.returnPressed.connect(self.add_floor)
        self.add_button = QPushButton(_("Add floor"))
        self.add_button.setObjectName("add_floor")
        self.add_button.clicked.connect(self.add_floor)
        self.remove_button = QPushButton(_("Remove"))
        self.remove_button.setObjectName("remove_floor")
        self.remove_button.clicked.connect(self.remove_floor)
        self.floor_list = QListWidget()
        self.floor_list.setObjectName("floors")
        self.message = MessageLine()
        form = QFormLayout()
        form.addRow(_("Fiscal year:"), self.year)
        row = QHBoxLayout()
        row.addWidget(self.floor_name, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(_("Floors, from the bottom up:")))
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.floor_list, 1)

    def floors(self) -> list[str]:
        return [self.floor_list.item(i).text() for i in range(self.floor_list.count())]

    def add_floor(self) -> bool:
        self.message.hide()
        try:
            names = check_floors([*self.floors(), self.floor_name.text()])
        except ValidationError as exc:
            self.message.tell(_refusal(exc))
            return False
        self.floor_list.addItem(QListWidgetItem(names[-1]))
        self.floor_name.clear()
        return True

    def remove_floor(self) -> None:
        for item in self.floor_list.selectedItems():
            self.floor_list.takeItem(self.floor_list.row(item))

    def validatePage(self) -> bool:  # noqa: N802
        self.message.hide()
        if self.floor_name.text().strip():
            self.message.tell(_("Add the floor typed above (or clear it) before going on."))
            return False
        return True


class FilePage(QWizardPage):
    """Where the project file goes, and what it will hold."""

    def __init__(self, wizard: "NewProjectWizard", folder: str):
        super().__init__()
        self._wizard = wizard
        self.folder = folder
        self.setTitle(_("Project file"))
        self.setSubTitle(_("The whole project lives in this one file; every change is saved in it as it is made."))
        self.path = _line("path")
        self._proposed = ""
        self.browse = QPushButton(_("Browse…"))
        self.browse.setObjectName("browse")
        self.browse.clicked.connect(self.choose_path)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.message = MessageLine()
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("File:")))
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addStretch(1)
        layout.addWidget(self.message)

    def initializePage(self) -> None:  # noqa: N802
        if self.path.text() == self._proposed:
            name = "".join(c for c in self._wizard.identity.name.text().strip() if c not in '<>:"/\\|?*') or "MPP"
            self._proposed = str(Path(self.folder or Path.home()) / (name + FILE_SUFFIX))
            self.path.setText(self._proposed)
        types, codes = standard_sizes()
        w = self._wizard
        self.summary.setText(_("The new project holds {name}, fiscal year {year}, {signers} signatory(ies), "
                               "{floors} floor(s), the standard catalog of {types} item types with reference "
                               "prices and {codes} account codes.").format(
            name=w.identity.name.text().strip(), year=w.year_floors.year.value(),
            signers=len(w.signatories.signatories), floors=len(w.year_floors.floors()), types=types, codes=codes))

    def choose_path(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("New project"), self.path.text(),
                                                    _("MPP Planner projects (*{suffix})").format(suffix=FILE_SUFFIX))
        if path:
            self.path.setText(path)

    def target(self) -> Path:
        """The file to create ({suffix} added when missing); ValidationError when there is none."""
        text = self.path.text().strip()
        if not text:
            raise ValidationError("path", _("Choose where to save the project file."))
        path = Path(text).expanduser()
        if path.suffix.lower() != FILE_SUFFIX:
            path = path.with_name(path.name + FILE_SUFFIX)
        return path


class NewProjectWizard(QWizard):
    """File ▸ New…; ``on_created(path)`` is called with the finished file (the window opens it)."""

    def __init__(self, parent=None, *, on_created: Callable[[Path], object] | None = None, folder: str = ""):
        super().__init__(parent)
        self.setObjectName("new_project_wizard")
        self.setWindowTitle(_("New project"))
        self.setWizardStyle(QWizard.ClassicStyle)
        self.setOption(QWizard.NoBackButtonOnStartPage)
        for button, text in ((QWizard.BackButton, _("< &Back")), (QWizard.NextButton, _("&Next >")),
                             (QWizard.FinishButton, _("&Finish")), (QWizard.CancelButton, _("Cancel"))):
            self.setButtonText(button, text)  # Qt's own words would stay English in the Indonesian interface
        self.on_created = on_created
        self.handle: JobHandle | None = None
        self.created: Path | None = None
        if not folder:
            recent = settings.recent_files()
            folder = str(Path(recent[0]).parent) if recent else ""
        self.identity = IdentityPage()
        self.letterhead = LetterheadPage(self.identity)
        self.signatories = SignatoriesPage(self.identity)
        self.year_floors = YearFloorsPage()
        self.file = FilePage(self, folder)
        for page in (self.identity, self.letterhead, self.signatories, self.year_floors, self.file):
            self.addPage(page)
        self.resize(720, 560)
        self.finished.connect(self._finished)

    def spec(self) -> ProjectSpec:
        """Everything the pages hold, checked together by the model's rules."""
        return check_project(**self.identity.values(), letterhead=self.letterhead.letterhead(),
                             logo=self.letterhead.logo, year=self.year_floors.year.value(),
                             floors=self.year_floors.floors(), signatories=self.signatories.signatories)

    def accept(self) -> None:
        """Finish: build the project in a job; the wizard closes once the file is complete."""
        if self.handle is not None and self.handle.running:
            return
        self.file.message.hide()
        try:
            spec = self.spec()
            target = self.file.target()
        except ValidationError as exc:
            self.file.message.tell(_refusal(exc))
            return
        overwrite = False
        if target.exists():
            answer = QMessageBox.question(self, _("New project"), _(
                "'{path}' already exists. Replace it with the new project? Its contents will be lost.").format(
                    path=target), QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
            if answer != QMessageBox.Yes:
                return
            overwrite = True

        def work() -> Path:
            write_project(target, spec, overwrite=overwrite).close()
            return target

        self.handle = run_job(self, _("New project"), work, on_done=self._created, on_failed=self._failed,
                              label=_("Creating {path}…").format(path=target.name))
        self.handle.finished.connect(self._job_ended)

    def _created(self, path: Path) -> None:
        self.created = path
        super().accept()
        if self.on_created is not None:
            self.on_created(path)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            text = exc.message
        elif isinstance(exc, ProjectFileError):
            text = str(exc)
        elif isinstance(exc, OSError) and storage_failure(exc) is not None:
            text = _("Cannot create project") + ": " + _(STORAGE_FAILURES[storage_failure(exc) or "io"])
        else:
            show_job_error(self, _("Cannot create project"), exc)
            return
        self.file.message.tell(text)

    def _job_ended(self) -> None:
        if self.handle is not None and self.handle.cancelled:
            self.file.message.tell(_("Cancelled: no project file was made."))

    def reject(self) -> None:
        if self.handle is not None and self.handle.running:
            self.handle.cancel()  # the job ends, removes its temporary file, and the wizard stays open
            return
        super().reject()

    def _finished(self) -> None:
        self.deleteLater()
