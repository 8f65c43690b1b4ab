"""The standards check in the Inventory tab: run the rules, list the findings, turn them into
needs (one undoable step) and highlight them on the plan."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout,
                               QWidget)
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mpp_planner.commands.inventory import needs_from_findings
from mpp_planner.i18n import _
from mpp_planner.model import Counter, Need, Room, geometry
from mpp_planner.project import Changes
from mpp_planner.qt.inventory.editing import REFUSALS, refuse
from mpp_planner.qt.inventory.plan_overlay import SEVERITY_COLOURS, FindingsOverlay
from mpp_planner.qt.tables import Column, RowTableModel, fit_columns, make_table_view
from mpp_planner.standards import RuleFileError, load_rules, run_rules
from mpp_planner.standards.context import CheckContext

# tables whose changes can change the findings
WATCHED = ("room", "floor", "counter", "counter_assignment", "inventory_item", "item_type", "need")


class FindingsPanel(QWidget):
    findings_changed = Signal()

    def __init__(self, project, undo_stack, count_kb, parent=None):
        super().__init__(parent)
        self.project, self.undo_stack = project, undo_stack
        self.count_kb = count_kb  # callable -> bool (the tab's toggle)
        self.rules_path: Path | None = None
        self.findings: list = []
        self.item_types: dict = {}
        self.covered: set[int] = set()
        self.overlays: dict[int, FindingsOverlay] = {}
        self.checked_at: datetime | None = None
        self.outdated = False

        self.model = RowTableModel([
            Column(_("Severity"), lambda f: f.severity.label, sort=lambda f: f.severity.rank,
                   colour=lambda f: SEVERITY_COLOURS.get(f.severity.value)),
            Column(_("Rule"), lambda f: f.rule_id),
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

    def run_check(self) -> bool:
        """Load and validate the whole rule file, then check; on a broken file nothing changes."""
        try:
            ruleset = load_rules(self.rules_path)
        except RuleFileError as exc:
            QMessageBox.warning(self, _("Cannot check"), str(exc))
            return False
        ctx = CheckContext.load(self.project)
        self.findings = run_rules(ruleset, ctx)
        self.item_types = ctx.item_types
        self.checked_at = datetime.now()
        self.outdated = False
        self._update_covered()
        self.model.set_rows(self.findings)
        fit_columns(self.view, self.model, max_width=520)
        self._update_status()
        self.btn_needs.setEnabled(any(f.suggestion for f in self.findings))
        if self.highlight.isChecked():
            self.show_on_plan()
        self.findings_changed.emit()
        return True

    def _update_covered(self) -> None:
        needs = self.project.session.scalars(select(Need).options(selectinload(Need.item_type))).all()
        planned: dict[int, list] = {}
        for n in needs:
            planned.setdefault(n.room_id, []).append(n.item_type)
        covered = set()
        for f in self.findings:
            sug = f.suggestion
            if sug is None or sug.room_id is None:
                continue
            wanted = set(sug.tags)
            if any(t.key == sug.item_key or (wanted and t.tag_set & wanted) for t in planned.get(sug.room_id, [])):
                covered.add(id(f))
        self.covered = covered

    def _update_status(self) -> None:
        if self.checked_at is None:
            return
        counts = {}
        for f in self.findings:
            counts[f.severity] = counts.get(f.severity, 0) + 1
        parts = ", ".join(f"{n} {s.label.lower()}" for s, n in sorted(counts.items(), key=lambda kv: kv[0].rank))
        if self.findings:
            text = _("{n} findings ({parts}); {p} already planned as needs. Checked at {time}.").format(
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
        it = self.item_types.get(sug.item_key)
        qty = format(sug.quantity.normalize(), "f")
        return f"{it.name if it else sug.item_key} × {qty}"

    def apply_changes(self, changes: Changes) -> None:
        if self.checked_at is not None and changes.touches(*WATCHED):
            self.outdated = True
            if changes.touches("need"):
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
        try:
            self.undo_stack.push_command(result.command)
        except REFUSALS as exc:
            refuse(self, exc)
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
            s = self.project.session
            room_ids = {f.room_id for f in self.findings if f.room_id is not None}
            outlines = {rid: outline for rid, outline in s.execute(
                select(Room.id, Room.outline).where(Room.id.in_(room_ids)))}
            counter_ids = {c for f in self.findings for c in f.counter_ids}
            counters = {cid: (x, y, w, d, r) for cid, x, y, w, d, r in s.execute(
                select(Counter.id, Counter.x, Counter.y, Counter.width, Counter.depth, Counter.rotation)
                .where(Counter.id.in_(counter_ids)))}
            for fid in floor_ids:
                scene = self._scene_for(plan, fid)
                if scene is None:
                    continue
                overlay = FindingsOverlay(scene, fid)
                shapes += overlay.show(self.findings, outlines, counters)
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
        room = self.project.get(Room, finding.room_id) if finding.room_id else None
        view = getattr(plan, "view", None)
        if room is not None and view is not None:
            cx, cy = geometry.centroid(room.outline)
            view.centerOn(QPointF(cx, cy))

    # --- export -----------------------------------------------------------------------------
    def export_pdf(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Export findings"), "temuan-standar.pdf",
                                                    _("PDF (*.pdf);;CSV (*.csv)"))
        if not path:
            return
        self.export_to(path)

    def export_to(self, path) -> bool:
        from mpp_planner.reports import findings as report
        from mpp_planner.reports.output import OutputError, check_output_path

        try:
            out, fmt = check_output_path(path, report.FORMATS)
            report.export(self.project, out, fmt, SimpleNamespace(rules=self.rules_path, date=None))
        except (OutputError, ValueError, OSError) as exc:
            QMessageBox.critical(self, _("Cannot export"), str(exc))
            return False
        return True
