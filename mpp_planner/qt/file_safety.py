"""Opening projects safely from the GUI: the "open elsewhere" question, automatic and manual
backups, and the small backup settings dialog."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QMessageBox, QPushButton,
                               QSpinBox, QVBoxLayout, QWidget)

from mpp_planner import settings
from mpp_planner.i18n import _
from mpp_planner.project import Project
from mpp_planner.store import FolderReadOnlyError, ProjectFileError, ProjectLockedError
from mpp_planner.store import backup as backups
from mpp_planner.store.errors import FileReadOnlyError


def fallback_backup_folder() -> Path:
    """Where backups go when the project's own folder cannot be written (a read-only share)."""
    return settings.data_dir() / backups.BACKUP_FOLDER


def ask_open_read_only(parent: QWidget | None, error: ProjectFileError) -> bool:
    """The project cannot be opened for editing (open in another MPP Planner, the file or its folder
    is read-only): open it read-only (True) or cancel (False)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Warning)
    name = Path(error.path).name
    if isinstance(error, ProjectLockedError):
        box.setWindowTitle(_("Project in use"))
        box.setText(_("“{name}” is already open in another MPP Planner.").format(name=name))
        box.setInformativeText(_(
            "Opened by {holder}.\n\nOnly one copy of MPP Planner can change a project at a time. You can open "
            "it read-only to look at it, print and export, or cancel and try again when it is closed there.").format(
                holder=error.holder))
    elif isinstance(error, FileReadOnlyError):
        box.setWindowTitle(_("Read-only file"))
        box.setText(_("“{name}” is read-only (a file attribute or its permissions).").format(name=name))
        box.setInformativeText(_(
            "You can open it read-only to look at it, print and export, or cancel and make it writable first "
            "(in Windows: right-click the file ▸ Properties, clear “Read-only”)."))
    else:
        folder = getattr(error, "folder", "") or str(Path(error.path).parent)
        box.setWindowTitle(_("Read-only folder"))
        box.setText(_("“{name}” is in a folder that cannot be written to:\n{folder}").format(name=name, folder=folder))
        box.setInformativeText(_("You can open it read-only to look at it, print and export, or cancel and copy "
                                 "it to a folder of your own first."))
    read_only = box.addButton(_("Open &Read-Only"), QMessageBox.AcceptRole)
    box.addButton(_("Cancel"), QMessageBox.RejectRole)
    box.setDefaultButton(read_only)
    box.exec()
    return box.clickedButton() is read_only


def open_project_interactive(parent: QWidget | None, path: str | os.PathLike) -> Project | None:
    """Open ``path`` for editing; when another instance holds it, offer read-only or cancel.

    Other refusals (damaged, foreign, newer) are shown as an error. Returns None when not opened."""
    try:
        return Project.open(path)
    except ProjectFileError as exc:
        return answer_open_failure(parent, path, exc)


def answer_open_failure(parent: QWidget | None, path: str | os.PathLike, error: ProjectFileError) -> Project | None:
    """``Project.open(path)`` refused with ``error``: a project held elsewhere (or a read-only file, or
    one in a read-only folder) may be opened read-only if the user says so; any other refusal is shown
    as an error."""
    if not isinstance(error, (ProjectLockedError, FolderReadOnlyError, FileReadOnlyError)):
        QMessageBox.critical(parent, _("Cannot open project"), str(error))
        return None
    if not ask_open_read_only(parent, error):
        return None
    try:
        return Project.open(path, readonly=True)
    except ProjectFileError as exc:
        QMessageBox.critical(parent, _("Cannot open project"), str(exc))
        return None


def automatic_backup(project: Project) -> tuple[Path | None, str]:
    """The backup made when a project is opened (keeps the last N, see settings); returns (path, message)."""
    if getattr(project.file, "is_server", False):  # a copy of the whole database at each opening: no; the
        # server's own backups apply (File ▸ Back Up Now or Save As… still write a local file)
        return None, _("Server project: no automatic backup copy on this computer; the server's own backups apply.")
    keep = settings.backup_keep()
    if project.readonly or keep <= 0:
        return None, ""
    try:
        path = backups.auto_backup(project.file, keep, fallback=fallback_backup_folder())
    except (OSError, ProjectFileError) as exc:
        return None, _("Automatic backup failed: {error}").format(error=getattr(exc, "strerror", None) or exc)
    return path, _("Backup copy: {path}").format(path=path)


def backup_now(parent: QWidget | None, project: Project, on_done=None):
    """File ▸ Back Up Now: a copy in the backup folder made as a job (read on its own connection),
    confirmed with where it went. Returns the job's handle."""
    from mpp_planner.qt.jobs import run_job

    fallback = fallback_backup_folder()

    def done(path: Path) -> None:
        QMessageBox.information(parent, _("Backup saved"), _(
            "A copy of the project was saved as\n{path}\n\nTo go back to it, open that file (or copy it "
            "elsewhere first).").format(path=path))
        if on_done is not None:
            on_done(path)

    def failed(exc: BaseException) -> None:
        QMessageBox.critical(parent, _("Backup failed"), _("The backup copy could not be written: {error}").format(
            error=getattr(exc, "strerror", None) or exc))

    return run_job(parent, _("Back Up Now"), lambda reader: backups.backup_now(reader.file, fallback=fallback),
                   project=project, on_done=done, on_failed=failed)


class BackupSettingsDialog(QDialog):
    """How many automatic backups to keep, and where they are."""

    def __init__(self, project: Project | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Backups"))
        self.project = project
        layout = QVBoxLayout(self)
        intro = QLabel(_(
            "Each time a project is opened for editing, MPP Planner saves a copy of it first. "
            "Copies are kept in the folder “{folder}” beside the project file; File ▸ Back Up Now "
            "adds a copy that is never deleted automatically.").format(folder=backups.BACKUP_FOLDER))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.keep = QSpinBox()
        self.keep.setRange(0, settings.MAX_BACKUP_KEEP)
        self.keep.setValue(settings.backup_keep())
        self.keep.setSpecialValueText(_("none (off)"))
        self.keep.setSuffix(_(" copies"))
        form.addRow(_("Automatic copies to keep:"), self.keep)
        layout.addLayout(form)
        self.open_folder = QPushButton(_("Show Backup Folder"))
        self.open_folder.clicked.connect(self._show_folder)
        self.open_folder.setEnabled(project is not None)
        row = QHBoxLayout()
        row.addWidget(self.open_folder)
        row.addStretch(1)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)

    def folder(self) -> Path | None:
        return backups.backup_folder(self.project.path) if self.project is not None else None

    def _show_folder(self) -> None:
        folder = self.folder()
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def accept(self) -> None:
        settings.set_backup_keep(self.keep.value())
        super().accept()
