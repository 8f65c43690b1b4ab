"""The standards check in the Inventory tab: run the rules, list the findings, turn them into
needs (one undoable step) and highlight them on the plan.

The check and the findings report run as jobs (``run_job``): the rules read the project in a
worker through a read-only view and hand back plain findings (``reads.findings.check_standards``).

While the findings are outlined on the plan, every edit the rules read (from any tab) redraws the
outlines at once where the rooms and counters now are (a deleted room loses its outline), and a
moment after the last of a run of edits the check runs again by itself and the outlines and the
list show what it finds."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

from PySide6.QtCore import QPointF, QTimer, Signal
from PySide6.QtWidgets import (QCheckBox, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout,
                               QWidget)

from mpp_planner.commands.inventory import needs_from_findings
from mpp_planner.i18n import _, ngettext
from mpp_planner.model.labels import item_name
from mpp_planner.project import Changes, Topic
from mpp_planner.qt.inventory.editing import ORIGIN, say_written
from mpp_planner.qt.inventory.plan_overlay import SEVERITY_COLOURS, FindingsOverlay
from mpp_planner.qt.jobs import run_job, running_jobs, show_job_error
from mpp_planner.qt.tables import Column, RowTableModel, fit_columns, make_table_view
from mpp_planner.reads import findings as reads
from mpp_planner.standards import RuleFileError

log = logging.getLogger(__name__)

# what the rules read: an edit about any of these can change the findings
WATCHED = (Topic.ROOMS, Topic.FLOORS, Topic.COUNTERS, Topic.ALLOCATION, Topic.INVENTORY, Topic.CATALOG, Topic.NEEDS,
           Topic.CHECKLIST)
#: edits after which the findings shown on the plan are checked again (walls: walking distances)
REFRESHED_BY = (*WATCHED, Topic.WALLS)
REFRESH_MS = 500  # the check runs again this long after the last edit of a run (a run of nudges)


class FindingsPanel(QWidget):
    findings_changed = Signal()

    def __init__(self, project, undo_stack, count_kb, parent=None, report=None, signals=None):
        """``signals``: the project's change signals (default: the parent tab's), which keep the
        findings on the plan up to date whichever tab is shown."""
        super().__init__(parent)
        self.project, self.undo_stack = project, undo_stack
        self.count_kb = count_kb  # callable -> bool (the tab's toggle)
        self.report = report  # where a refused edit is told (the tab's message line)
        self.rules_path: Path | None = None
        self.findings: list = []
        self.item_names: dict[str, str] = {}  # catalog key -> name, for the suggestions
        self.covered: set[int] = set()  # id() of the findings already planned as needs
        self.job = None  # the last check or export (a JobHandle)
        self.overlays: dict[int, FindingsOverlay] = {}
        self.checked_at: datetime | None = None
        self.outdated = False
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setSingleShot(True)
        self.refresh_timer.setInterval(REFRESH_MS)
        self.refresh_timer.timeout.connect(self.refresh_check)
        signals = signals if signals is not None else getattr(parent, "signals", None)
        if signals is not None:
            signals.changed.connect(self._project_changed)

        self.model = RowTableModel([
            Column(_("Severity"), lambda f: f.severity.label, sort=lambda f: f.severity.rank,
                   colour=lambda f: SEVERITY_COLOURS.get(f.severity.value)),
            Column(_("Rule"), lambda f: f.rule_title(), tooltip=lambda f: f.rule_title()),
            Column(_("Floor"), lambda f: f.floor_name),
            Column(_("Room"), lambda f: f.room_name or ("" if f.floor_name else _("whole MPP"))),
            Column(_("Finding"), lambda f: f.message, width=520, tooltip=lambda f: f.message),
            Column(_("Suggested need"), self._suggestion_text, width=260, tooltip=self._suggestion_text),
            Column(_("Planned"), lambda f: _("yes") if id(f) in self.covered else "",
                   tooltip=lambda f: _("A need for this (or an item with the same purpose) already exists.")
                   if id(f) in self.covered else ""),
        ], self)
        self.view, self.proxy = make_table_view(self.model, self)
        self.view.horizontalHeader().setResizeContentsPrecision(80)
        self.view.doubleClicked.connect(lambda index: self.show_on_plan(self.finding_at(index), switch=True))

        self.btn_check = QPushButton(_("Check standards"))
        self.btn_check.clicked.connect(self.run_check)
        self.btn_needs = QPushButton(_("Create needs from findings"))
        self.btn_needs.setToolTip(_("Add a need for every finding with a suggested item that is not planned yet "
                                    "(one step you can undo)."))
        self.btn_needs.clicked.connect(self.create_needs)
        self.btn_needs.setEnabled(False)
        self.highlight = QCheckBox(_("Highlight on plan"))
        self.highlight.setChecked(True)
        self.highlight.toggled.connect(self._highlight_toggled)
        self.btn_rules = QPushButton(_("Rule file…"))
        self.btn_rules.setToolTip(_("Check against another rule file (TOML)"))
        self.btn_rules.clicked.connect(self.choose_rules)
        self.rules_label = QLabel()
        self.rules_label.setStyleSheet("color: #566573;")
        self.status = QLabel(_("Press “Check standards” to check the plan and the inventory against the rules."))
        self.status.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.btn_check)
        top.addWidget(self.btn_needs)
        top.addWidget(self.highlight)
        self.btn_export = QPushButton(_("Export…"))
        self.btn_export.setToolTip(_("The findings as PDF (with plan excerpts) or CSV"))
        self.btn_export.clicked.connect(self.export_pdf)
        top.addWidget(self.btn_export)
        top.addStretch(1)
        top.addWidget(self.rules_label)
        top.addWidget(self.btn_rules)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view)
        layout.addWidget(self.status)
        self._show_rules_name()
        fit_columns(self.view, self.model)

    # --- running the check ---------------------------------------------------------------
    def _show_rules_name(self) -> None:
        name = self.rules_path.name if self.rules_path else _("shipped standards")
        self.rules_label.setText(_("Rules: {name}").format(name=name))

    def choose_rules(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Rule file"), "", _("Rule files (*.toml);;All files (*)"))
        if path:
            self.rules_path = Path(path)
            self._show_rules_name()
            self.run_check()

    def run_check(self):
        """Check in a worker (the whole rule file is validated first); the findings are shown when
        it is done. On a broken rule file, or when cancelled, nothing changes. Returns the job."""
        rules = self.rules_path
        self.job = run_job(self, _("Check standards"), lambda reader: reads.check_standards(reader, rules),
                           project=self.project, on_done=self.show_findings, on_failed=self._check_failed)
        return self.job

    # --- keeping the findings on the plan up to date ---------------------------------------
    def on_plan(self) -> bool:
        """Whether findings are outlined on the plan now."""
        return self.checked_at is not None and self.highlight.isChecked() and bool(self.overlays)

    def _project_changed(self, changes: Changes) -> None:
        if not self.on_plan() or not changes.about(*REFRESHED_BY):
            return
        self.outdated = True
        self.show_on_plan()  # the outlines follow moved rooms and counters now; deleted ones go
        self._update_status()
        self.refresh_timer.start()  # (again): the check runs once the edits pause

    def refresh_check(self):
        """Check again for the plan's outlines (after edits): quietly — a failure leaves the findings
        shown, marked as outdated. Returns the job, or None when nothing is shown any more."""
        if not self.on_plan():
            return None
        if self.job is not None and self.job in running_jobs():
            self.refresh_timer.start()  # a check or an export is running: once it is done
            return None
        rules = self.rules_path
        self.job = run_job(self, _("Check standards"), lambda reader: reads.check_standards(reader, rules),
                           project=self.project, on_done=self.show_findings, on_failed=self._refresh_failed)
        return self.job

    def _refresh_failed(self, exc: BaseException) -> None:
        log.warning("the findings on the plan were not checked again: %s", exc)

    def _check_failed(self, exc: BaseException) -> None:
        if isinstance(exc, RuleFileError):
            QMessageBox.warning(self, _("Cannot check"), str(exc))
        else:
            show_job_error(self, _("Check standards"), exc)

    def show_findings(self, result: reads.CheckResult) -> None:
        """Show what a check found (plain data from the worker)."""
        self.findings = result.findings
        self.item_names = result.item_names
        self.covered = {id(self.findings[i]) for i in result.covered}
        self.checked_at = datetime.now()
        self.outdated = False
        self.model.set_rows(self.findings)
        fit_columns(self.view, self.model, max_width=520)
        self._update_status()
        self.btn_needs.setEnabled(any(f.suggestion for f in self.findings))
        if self.highlight.isChecked():
            self.show_on_plan()
        self.findings_changed.emit()

    def _update_covered(self) -> None:
        self.covered = {id(self.findings[i]) for i in reads.covered_findings(self.project, self.findings)}

    def _update_status(self) -> None:
        if self.checked_at is None:
            return
        counts = {}
        for f in self.findings:
            counts[f.severity] = counts.get(f.severity, 0) + 1
        parts = ", ".join(f"{n} {s.label.lower()}" for s, n in sorted(counts.items(), key=lambda kv: kv[0].rank))
        if self.findings:
            text = ngettext("{n} finding ({parts}); {p} already planned as needs. Checked at {time}.",
                            "{n} findings ({parts}); {p} already planned as needs. Checked at {time}.",
                            len(self.findings)).format(
                n=len(self.findings), parts=parts, p=len(self.covered), time=self.checked_at.strftime("%H:%M"))
        else:
            text = _("No findings: the plan and the inventory meet every rule. Checked at {time}.").format(
                time=self.checked_at.strftime("%H:%M"))
        if self.outdated:
            text += " " + _("The project has changed since: check again.")
            self.status.setStyleSheet("color: #B9770E;")
        else:
            self.status.setStyleSheet("")
        self.status.setText(text)

    def _suggestion_text(self, f) -> str:
        sug = f.suggestion
        if sug is None:
            return ""
        qty = format(sug.quantity.normalize(), "f")
        return f"{item_name(sug.item_key, self.item_names)} × {qty}"

    def apply_changes(self, changes: Changes) -> None:
        if self.checked_at is not None and changes.about(*WATCHED):
            self.outdated = True
            if changes.about(Topic.NEEDS):
                self._update_covered()
                if self.model.rows:
                    self.model.dataChanged.emit(self.model.index(0, 0),
                                                self.model.index(len(self.model.rows) - 1, len(self.model.columns) - 1))
            self._update_status()

    def finding_at(self, index):
        return self.model.row_object(self.proxy.mapToSource(index).row()) if index.isValid() else None

    # --- needs ------------------------------------------------------------------------------
    def create_needs(self) -> None:
        if not self.findings:
            return
        result = needs_from_findings(self.project, self.findings, count_kb=self.count_kb())
        notes = []
        if result.covered:
            notes.append(_("{n} already planned").format(n=result.covered))
        if result.without_suggestion:
            notes.append(_("{n} without a suggested item").format(n=result.without_suggestion))
        if result.unknown_items:
            notes.append(_("not in the catalog: {keys}").format(keys=", ".join(result.unknown_items)))
        if result.command is None:
            QMessageBox.information(self, _("Create needs from findings"),
                                    _("No need was added ({why}).").format(why="; ".join(notes) or "—"))
            return
        if not self.undo_stack.run(result.command, origin=ORIGIN, report=self.report, parent=self):
            return
        text = _("{n} need(s) added.").format(n=len(result.created))
        if notes:
            text += " " + _("Left out: {why}.").format(why="; ".join(notes))
        self.status.setText(text)

    # --- the plan ---------------------------------------------------------------------------
    def _plan(self):
        window = self.window()
        tabs = getattr(window, "tab_widgets", None) or {}
        return tabs.get("plan")

    @staticmethod
    def _scene_for(plan, floor_id: int):
        """The plan tab's scene of a floor, found by duck typing (the plan tab may change)."""
        if hasattr(plan, "scene_for"):
            try:
                return plan.scene_for(floor_id)
            except Exception:  # noqa: BLE001 - an unknown plan tab: no highlight rather than a crash
                pass
        scenes = getattr(plan, "scenes", None)
        if isinstance(scenes, dict) and floor_id in scenes:
            return scenes[floor_id]
        view = getattr(plan, "view", None)
        scene = view.scene() if view is not None else None
        return scene if getattr(scene, "floor_id", None) == floor_id else None

    def clear_plan(self) -> None:
        for overlay in self.overlays.values():
            overlay.clear()
        self.overlays.clear()

    def _highlight_toggled(self, on: bool) -> None:
        if on:
            self.show_on_plan()
        else:
            self.clear_plan()

    def show_on_plan(self, focus=None, *, switch: bool = False) -> int:
        """Outline the findings on the plan; with ``switch``, go to the plan and centre on ``focus``."""
        plan = self._plan()
        if plan is None:
            return 0
        self.clear_plan()
        shapes = 0
        floor_ids = {f.floor_id for f in self.findings if f.floor_id is not None}
        if self.highlight.isChecked() and floor_ids:
            found = reads.finding_shapes(self.project, self.findings)
            for fid in floor_ids:
                scene = self._scene_for(plan, fid)
                if scene is None:
                    continue
                overlay = FindingsOverlay(scene, fid)
                shapes += overlay.show(self.findings, found.outlines, found.counters)
                self.overlays[fid] = overlay
        if switch and focus is not None:
            self._go_to(plan, focus)
        return shapes

    def _go_to(self, plan, finding) -> None:
        window = self.window()
        if finding.floor_id is None:
            return
        if hasattr(plan, "show_floor"):
            plan.show_floor(finding.floor_id)
        elif hasattr(plan, "floor_ids") and hasattr(plan, "floor_bar") and finding.floor_id in plan.floor_ids:
            plan.floor_bar.setCurrentIndex(plan.floor_ids.index(finding.floor_id))
        if hasattr(window, "show_tab"):
            window.show_tab("plan")
        centre = reads.room_centre(self.project, finding.room_id) if finding.room_id else None
        view = getattr(plan, "view", None)
        if centre is not None and view is not None:
            view.centerOn(QPointF(*centre))

    # --- export -----------------------------------------------------------------------------
    def export_pdf(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Export findings"), "temuan-standar.pdf",
                                                    _("PDF (*.pdf);;CSV (*.csv)"))
        if not path:
            return
        self.export_to(path)

    def export_to(self, path):
        """Write the findings report in a worker (the rules run again on what is saved); returns the
        job, or None when the file cannot be written there."""
        from mpp_planner.reports import findings as report
        from mpp_planner.reports.output import OutputError, check_output_path

        try:
            out, fmt = check_output_path(path, report.FORMATS)
        except OutputError as exc:
            QMessageBox.critical(self, _("Cannot export"), str(exc))
            return None
        args = SimpleNamespace(rules=self.rules_path, date=None)
        self.job = run_job(self, _("Export findings"), lambda reader: report.export(reader, out, fmt, args),
                           project=self.project, on_done=lambda _r: say_written(self, out))
        return self.job
