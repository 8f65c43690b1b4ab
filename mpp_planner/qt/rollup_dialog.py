"""File ▸ Roll-up of Several MPPs…: choose project files or folders, the fiscal year and the report file, then
read them all as a job (progress and Cancel; the files are read in worker processes, none is changed) and write
one provincial report (XLSX, PDF or CSV). At the end the files skipped are told with why, and the report
can be opened. Needs no open project.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QListWidget, QMessageBox, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from mpp_planner import FILE_SUFFIX
from mpp_planner.i18n import N_, _
from mpp_planner.qt.jobs import JobHandle, run_job

ROLLUP_TEXT = N_("Ro&ll-up of Several MPPs…")
FILTERS = {"xlsx": N_("Excel workbook (*.xlsx)"), "pdf": N_("PDF (*.pdf)"), "csv": N_("CSV (*.csv)")}


def rollup_work(paths: list[str], year: int, out: Path, fmt: str):
    """The job: read every file (worker processes), then write the report unless no file could be read."""
    from mpp_planner.jobs import checkpoint, current
    from mpp_planner.reads.rollup import rollup
    from mpp_planner.reports.rollup_tables import write

    job = current()
    result = rollup(paths, year, progress=lambda done, total, text: checkpoint(done, total, text),
                    cancel=(lambda: job.cancelled) if job is not None else None)
    if result.summaries:
        checkpoint(0, 0, _("Writing {file}…").format(file=out.name))
        write(result, out, fmt)
    return result


class RollupDialog(QDialog):
    """The sources (files and folders), the year and the report file; "Make Roll-up" runs the job."""

    def __init__(self, parent: QWidget | None = None, *, year: int | None = None, folder: str | Path = ""):
        super().__init__(parent)
        self.setWindowTitle(_("Roll-up of Several MPPs"))
        self.folder = str(folder or Path.home())
        self.handle: JobHandle | None = None
        self.outcome = None  # the Rollup of the last run
        self.written: Path | None = None
        intro = QLabel(_("Choose the MPPs' project files, or folders holding them. Each file is read without being "
                         "changed; files that cannot be read are listed at the end."))
        intro.setWordWrap(True)
        self.sources = QListWidget()
        self.sources.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.sources.setMinimumHeight(140)
        add_files = QPushButton(_("Add Files…"))
        add_files.clicked.connect(self.choose_files)
        add_folder = QPushButton(_("Add Folder…"))
        add_folder.clicked.connect(self.choose_folder)
        remove = QPushButton(_("Remove"))
        remove.clicked.connect(self.remove_selected)
        side = QVBoxLayout()
        for button in (add_files, add_folder, remove):
            side.addWidget(button)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.sources, 1)
        row.addLayout(side)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(year or date.today().year)
        self.year.setToolTip(_("The budgets and surveys of this fiscal year are compared"))
        self.output = QLineEdit()
        self.output.setPlaceholderText(_("Report file (.xlsx, .pdf or .csv)"))
        self.output.setText(self._suggested(self.year.value()))
        self._year_shown = self.year.value()
        self.year.valueChanged.connect(self._year_changed)
        browse = QPushButton(_("Browse…"))
        browse.clicked.connect(self.choose_output)
        out_row = QHBoxLayout()
        out_row.addWidget(self.output, 1)
        out_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(_("Fiscal year:"), self.year)
        form.addRow(_("Report:"), out_row)
        buttons = QDialogButtonBox()
        self.run_button = buttons.addButton(_("Make Roll-up"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(640, 420)

    # --- choosing -------------------------------------------------------------------------------------
    def _suggested(self, year: int) -> str:
        return str(Path(self.folder) / f"Rekap MPP {year}.xlsx")

    def _year_changed(self, year: int) -> None:
        """The suggested report name follows the year until the user names the report."""
        if self.output.text() == self._suggested(self._year_shown):
            self.output.setText(self._suggested(year))
        self._year_shown = year

    def paths(self) -> list[str]:
        return [self.sources.item(i).text() for i in range(self.sources.count())]

    def add_paths(self, paths) -> None:
        have = set(self.paths())
        for p in paths:
            if p and str(p) not in have:
                self.sources.addItem(str(p))
                have.add(str(p))

    def choose_files(self) -> None:
        files, _chosen = QFileDialog.getOpenFileNames(
            self, _("Add project files"), self.folder,
            _("MPP Planner projects (*{suffix})").format(suffix=FILE_SUFFIX) + ";;" + _("All files (*)"))
        if files:
            self.folder = str(Path(files[0]).parent)
            self.add_paths(files)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Add a folder of project files"), self.folder)
        if folder:
            self.folder = folder
            self.add_paths([folder])

    def remove_selected(self) -> None:
        for item in self.sources.selectedItems():
            self.sources.takeItem(self.sources.row(item))

    def choose_output(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(self, _("Save the roll-up as"), self.output.text() or self.folder,
                                                   ";;".join(_(f) for f in FILTERS.values()))
        if path:
            if not Path(path).suffix:
                fmt = next((k for k, f in FILTERS.items() if _(f) == chosen), "xlsx")
                path += "." + fmt
            self.output.setText(path)

    # --- running --------------------------------------------------------------------------------------
    def start(self) -> JobHandle | None:
        """Check the choices and run the roll-up as a job; None when something is missing."""
        from mpp_planner.reads.rollup import expand
        from mpp_planner.reports.output import OutputError, check_output_path
        from mpp_planner.reports.rollup_tables import FORMATS

        title = _("Roll-up of Several MPPs")
        paths = self.paths()
        if not paths:
            QMessageBox.warning(self, title, _("Add the project files or a folder holding them first."))
            return None
        try:
            out, fmt = check_output_path(self.output.text().strip(), FORMATS)
        except OutputError as exc:
            QMessageBox.warning(self, title, str(exc))
            return None
        files, _missing = expand(paths)
        if any(out.resolve() == f.resolve() for f in files):
            QMessageBox.warning(self, title, _("The report '{path}' would overwrite one of the files read; choose "
                                               "another name.").format(path=out))
            return None
        self.outcome, self.written = None, None
        self.run_button.setEnabled(False)
        year = self.year.value()
        self.handle = run_job(self, title, lambda: rollup_work(paths, year, out, fmt),
                              label=_("Reading the project files…"), on_done=lambda result: self._done(result, out))
        self.handle.finished.connect(lambda: self.run_button.setEnabled(True))
        return self.handle

    def _done(self, result, out: Path) -> None:
        self.outcome = result
        title = _("Roll-up of Several MPPs")
        skipped = "\n".join(s.message for s in result.skipped)
        same = "\n".join(_("The same MPP ({name}) is in several files: {files}").format(
            name=g[0].identity.name, files=", ".join(s.source.name for s in g)) for g in result.duplicates)
        box = QMessageBox(self)
        box.setWindowTitle(title)
        if not result.summaries:
            box.setIcon(QMessageBox.Icon.Warning)
            box.setText(_("No project file could be read; no report was written."))
            box.setDetailedText(skipped)
            box.exec()
            return
        self.written = out
        text = _("{read} file(s) read, {skipped} skipped. The report is written to {path}.").format(
            read=len(result.summaries), skipped=len(result.skipped), path=out)
        if result.skipped:
            text += "\n\n" + _("Skipped:") + "\n" + "\n".join(f"• {s.name}" for s in result.skipped)
        if same:
            text += "\n\n" + same
        box.setIcon(QMessageBox.Icon.Warning if result.skipped else QMessageBox.Icon.Information)
        box.setText(text)
        if skipped:
            box.setDetailedText(skipped)
        open_button = box.addButton(_("Open the Report"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("Close"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is open_button:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(out)))


def show_rollup(window) -> RollupDialog:
    """Open the roll-up dialog over ``window`` (the open project's fiscal year and folder by default)."""
    project = getattr(window, "project", None)
    year, folder = None, ""
    if project is not None:
        from mpp_planner.reads.budget import default_year

        year, folder = default_year(project), str(project.path.parent)
    dialog = RollupDialog(window, year=year, folder=folder)
    dialog.show()
    return dialog


def rollup_action(window) -> QAction:
    """File ▸ Roll-up of Several MPPs… for the main window."""
    act = QAction(_(ROLLUP_TEXT), window)
    act.setStatusTip(_("Compare many MPPs' project files in one provincial report"))
    act.triggered.connect(lambda _checked=False: show_rollup(window))
    return act
