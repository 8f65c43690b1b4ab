"""Import of survey forms from a CSV or XLSX file (an online form's export), with a mapping step when the
file's column names differ from ours: each target field (U1..U9, number, date, gender...) gets a combo of the
file's columns, prefilled with what was recognised. "Check again" reads the file with the chosen mapping (as a
job); the row errors (row, column, problem) are listed and Import stays disabled until there are none."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from mpp_planner.i18n import N_, _, ngettext
from mpp_planner.qt.jobs import JobHandle, run_job, show_job_error

TARGET_LABELS = {"number": N_("Form number"), "date": N_("Date"), "gender": N_("Gender"), "age_band": N_("Age"),
                 "education": N_("Education"), "occupation": N_("Occupation"), "agency": N_("Agency"),
                 "service": N_("Service"), "counter": N_("Counter"), "note": N_("Note")}
OK_STYLE = "color: #1E7B4A; font-weight: bold;"
BAD_STYLE = "color: #B03A2E; font-weight: bold;"


def target_label(target: str, unsur_names: list[str]) -> str:
    if target.startswith("u") and target[1:].isdigit():
        n = int(target[1:])
        name = unsur_names[n - 1] if 0 < n <= len(unsur_names) else ""
        return f"U{n} {name}".strip()
    return _(TARGET_LABELS[target]) if target in TARGET_LABELS else target


def read_preview(reader, path: Path, period: str, mapping: dict[str, str] | None):
    """The worker's part: read and check every row of the file with ``mapping`` (no change yet)."""
    from mpp_planner.importers.survey import preview

    return preview(reader, path, period=period, mapping=mapping)


class SurveyImportDialog(QDialog):
    """File → mapping → preview → Import. The plan of the last check is :attr:`plan`; on OK the tab runs
    ``plan.command()`` through the undo stack."""

    def __init__(self, project, path: Path, period: str, unsur_names: list[str], parent=None):
        super().__init__(parent)
        self.project = project
        self.path = Path(path)
        self.period = period
        self.unsur_names = unsur_names
        self.plan = None
        self.job: JobHandle | None = None
        self.combos: dict[str, QComboBox] = {}
        self.setWindowTitle(_("Import survey forms — {file}").format(file=self.path.name))
        self.resize(1000, 640)
        self.summary = QLabel(_("Reading the file…"))
        self.summary.setWordWrap(True)

        self.mapping_table = QTableWidget(0, 2)
        self.mapping_table.setObjectName("survey_import_mapping")
        self.mapping_table.setHorizontalHeaderLabels([_("Field"), _("Column in the file")])
        self.mapping_table.verticalHeader().setVisible(False)
        self.mapping_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.recheck = QPushButton(_("Check again"))
        self.recheck.setToolTip(_("Read the file again with the columns chosen here"))
        self.recheck.clicked.connect(lambda: self.check())
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(QLabel(_("Which column of the file holds each field:")))
        ll.addWidget(self.mapping_table, 1)
        ll.addWidget(self.recheck)

        self.errors = QTableWidget(0, 3)
        self.errors.setObjectName("survey_import_errors")
        self.errors.setHorizontalHeaderLabels([_("Row"), _("Column"), _("Problem")])
        self.errors.verticalHeader().setVisible(False)
        self.errors.setEditTriggers(QTableWidget.NoEditTriggers)
        self.errors.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(QLabel(_("Problems found:")))
        rl.addWidget(self.errors, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([420, 580])

        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.import_button = buttons.button(QDialogButtonBox.Ok)
        self.import_button.setText(_("Import"))
        self.import_button.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Into period: {name}").format(name=period)))
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)

    # --- checking -----------------------------------------------------------------------------
    def mapping(self) -> dict[str, str]:
        """Target field -> file column, as chosen in the combos (unmapped fields left out)."""
        return {t: c.currentData() for t, c in self.combos.items() if c.currentData()}

    def check(self, mapping: dict[str, str] | None = None) -> JobHandle:
        """Read the file (with the chosen mapping once one is shown) as a job; :meth:`show_plan` shows it."""
        if mapping is None and self.combos:
            mapping = self.mapping()
        self.import_button.setEnabled(False)
        self.recheck.setEnabled(False)
        self.summary.setText(_("Reading the file…"))
        self.summary.setStyleSheet("")
        path, period = self.path, self.period
        self.job = run_job(self, _("Import survey forms"), lambda reader: read_preview(reader, path, period, mapping),
                           project=self.project, on_done=self.show_plan, on_failed=self._failed)
        return self.job

    def _failed(self, exc: BaseException) -> None:
        from mpp_planner.importers import ImportRefused

        self.recheck.setEnabled(True)
        if isinstance(exc, ImportRefused):
            self.summary.setText("\n".join(str(e) for e in exc.errors))
            self.summary.setStyleSheet(BAD_STYLE)
        else:
            show_job_error(self, _("Cannot import"), exc)
            self.summary.setText(_("The file could not be read."))
            self.summary.setStyleSheet(BAD_STYLE)

    def show_plan(self, plan) -> None:
        self.plan = plan
        self.recheck.setEnabled(True)
        self._fill_mapping(plan)
        self.errors.setRowCount(len(plan.errors))
        for r, err in enumerate(plan.errors):
            for c, text in enumerate((str(err.row) if err.row else "", err.column, err.message)):
                item = QTableWidgetItem(text)
                if c == 0:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.errors.setItem(r, c, item)
        self.errors.resizeColumnToContents(0)
        self.errors.resizeColumnToContents(1)
        if plan.errors:
            self.summary.setText(ngettext(
                "{n} problem found, so nothing will be imported. Choose other columns and check again, or "
                "correct the file.", "{n} problems found, so nothing will be imported. Choose other columns and "
                "check again, or correct the file.", len(plan.errors)).format(n=len(plan.errors)))
            self.summary.setStyleSheet(BAD_STYLE)
        elif not plan.count:
            self.summary.setText(_("The file has no forms."))
            self.summary.setStyleSheet(BAD_STYLE)
        else:
            self.summary.setText(ngettext("{n} form is ready to be added (one step you can undo).",
                                          "{n} forms are ready to be added (one step you can undo).",
                                          plan.count).format(n=plan.count))
            self.summary.setStyleSheet(OK_STYLE)
        self.import_button.setEnabled(bool(plan.ok and plan.count and not plan.errors))

    def _fill_mapping(self, plan) -> None:
        chosen = dict(plan.mapping)
        targets = list(plan.targets)
        if list(self.combos) != targets:
            self.combos = {}
            self.mapping_table.setRowCount(len(targets))
            for r, target in enumerate(targets):
                item = QTableWidgetItem(target_label(target, self.unsur_names))
                item.setFlags(item.flags() & ~Qt.ItemIsEditable)
                self.mapping_table.setItem(r, 0, item)
                combo = QComboBox()
                combo.setObjectName(f"map_{target}")
                self.mapping_table.setCellWidget(r, 1, combo)
                self.combos[target] = combo
        for target, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_("(not in the file)"), "")
            for header in plan.headers:
                combo.addItem(header, header)
            index = combo.findData(chosen.get(target, ""))
            combo.setCurrentIndex(max(0, index))
            combo.blockSignals(False)
        self.mapping_table.resizeColumnToContents(0)

    def choose(self, target: str, column: str) -> None:
        """Pick ``column`` of the file for ``target`` (as the user does in its combo)."""
        combo = self.combos[target]
        combo.setCurrentIndex(max(0, combo.findData(column)))
