"""The Survey tab (Survei Kepuasan, SKM): a period chooser with New / Edit / Delete, and three pages — fast
keyboard entry of the paper forms, the results (IKM, mutu, the sample against Krejcie–Morgan, the NRR table
with the weakest unsur, IKM per agency / service / counter, and charts), and the follow-up actions.

Every change is one undoable command run by the undo stack (a refusal is told on the tab's message line); the
tab reads through :mod:`mpp_planner.reads.survey`; imports and exports run as jobs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (QComboBox, QFileDialog, QFrame, QGridLayout, QHBoxLayout, QHeaderView, QLabel,
                               QMessageBox, QPushButton, QScrollArea, QSplitter, QTableWidget, QTableWidgetItem,
                               QTabWidget, QVBoxLayout, QWidget)

from mpp_planner.commands.survey import (AddAction, AddResponses, AddSurveyPeriod, EditAction, EditResponses,
                                         EditSurveyPeriod, delete_actions, delete_period, delete_responses,
                                         new_action, new_period)
from mpp_planner.formats import number
from mpp_planner.i18n import N_, _, ngettext
from mpp_planner.model.skm import FOUR_PLACES, to_decimal
from mpp_planner.model.survey import UNSUR_COUNT, SurveyResponse
from mpp_planner.project import Changes, Topic
from mpp_planner.qt.jobs import JobHandle, run_job, show_job_error
from mpp_planner.qt.message_line import MessageLine
from mpp_planner.qt.signals import connect_when_visible
from mpp_planner.qt.survey.actions import ActionDialog, ActionsPanel
from mpp_planner.qt.survey.charts import GRADE_COLOURS, CountChart, NrrChart, TrendChart
from mpp_planner.qt.survey.entry import COL_U1, EntryModel, EntryView
from mpp_planner.qt.survey.periods import PeriodDialog
from mpp_planner.reads import survey as reads

ORIGIN = "survey"
#: what the tab shows: periods and forms, actions, and the names forms and actions point at
WATCHED = (Topic.SURVEY, Topic.SURVEY_ACTIONS, Topic.AGENCIES, Topic.COUNTERS, Topic.NEEDS, Topic.BUDGET,
           Topic.VISITS)
GROUPS = (("", N_("All forms")), ("agency", N_("By agency")), ("service", N_("By service")),
          ("counter", N_("By counter")))
PROFILE_TITLES = (("gender", N_("Gender")), ("age_band", N_("Age")), ("education", N_("Education")),
                  ("occupation", N_("Occupation")))
WEAK_BG = QColor("#FDECEA")
WARN_STYLE = "color: #B03A2E; font-weight: bold;"
OK_STYLE = "color: #1E7B4A;"


def write_survey(reader, out: Path, fmt: str, period: str, poster: bool = False, paper: str | None = None) -> Path:
    """The worker's part of the survey report or poster: read through the job's reader, write atomically."""
    from mpp_planner.reports.survey import write

    return write(reader, out, fmt, period=period, poster=poster, paper=paper)


def item(text: str, align=Qt.AlignLeft | Qt.AlignVCenter) -> QTableWidgetItem:
    cell = QTableWidgetItem(text)
    cell.setTextAlignment(align)
    cell.setFlags(cell.flags() & ~Qt.ItemIsEditable)
    return cell


RIGHT = Qt.AlignRight | Qt.AlignVCenter


class ResultsPanel(QWidget):
    """IKM (big), mutu and kinerja, the sample, the NRR table with the weakest unsur, IKM per group, charts."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.ikm = QLabel("–")
        self.ikm.setObjectName("ikm")
        font = self.ikm.font()
        font.setPointSizeF(font.pointSizeF() * 3.2)
        font.setBold(True)
        self.ikm.setFont(font)
        self.grade = QLabel()
        self.grade.setObjectName("grade")
        big = self.grade.font()
        big.setPointSizeF(big.pointSizeF() * 1.4)
        big.setBold(True)
        self.grade.setFont(big)
        self.sample = QLabel()
        self.sample.setObjectName("sample")
        self.sample.setWordWrap(True)
        card = QFrame()
        card.setFrameShape(QFrame.StyledPanel)
        cl = QVBoxLayout(card)
        caption = QLabel(_("IKM (Indeks Kepuasan Masyarakat)"))
        caption.setStyleSheet("color: #5A6470;")
        cl.addWidget(caption)
        cl.addWidget(self.ikm)
        cl.addWidget(self.grade)
        cl.addWidget(self.sample)

        self.nrr_table = QTableWidget(0, 5)
        self.nrr_table.setObjectName("nrr_table")
        self.nrr_table.setHorizontalHeaderLabels([_("Unsur"), _("NRR"), _("Weighted NRR"), _("Answered"),
                                                  _("Missing")])
        self.nrr_table.verticalHeader().setVisible(False)
        self.nrr_table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.nrr_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.nrr_table.setMinimumHeight(290)

        self.by = QComboBox()
        self.by.setObjectName("results_by")
        for key, label in GROUPS:
            self.by.addItem(_(label), key)
        self.group_table = QTableWidget(0, 4)
        self.group_table.setObjectName("group_table")
        self.group_table.setHorizontalHeaderLabels([_("Group"), _("Respondents"), _("IKM"), _("Mutu")])
        self.group_table.verticalHeader().setVisible(False)
        self.group_table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.group_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.group_table.setSortingEnabled(True)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(card)
        ll.addWidget(self.nrr_table, 2)
        by_row = QHBoxLayout()
        by_row.addWidget(QLabel(_("IKM per group:")))
        by_row.addWidget(self.by, 1)
        ll.addLayout(by_row)
        ll.addWidget(self.group_table, 1)

        self.nrr_chart = NrrChart()
        self.trend_chart = TrendChart()
        self.profile_charts = {key: CountChart(_(title)) for key, title in PROFILE_TITLES}
        charts = QWidget()
        grid = QGridLayout(charts)
        grid.addWidget(self.nrr_chart, 0, 0, 1, 2)
        grid.addWidget(self.trend_chart, 1, 0, 1, 2)
        for i, (key, _title) in enumerate(PROFILE_TITLES):
            grid.addWidget(self.profile_charts[key], 2 + i // 2, i % 2)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(charts)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(scroll)
        split.setSizes([480, 720])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

    def show_results(self, result, names: list[str], sample, groups, trend, profile) -> None:
        ikm = result.ikm
        self.ikm.setText(number(ikm, 2) if ikm is not None else "–")
        colour = GRADE_COLOURS.get(result.mutu, "#5A6470")
        self.ikm.setStyleSheet(f"color: {colour};")
        self.grade.setStyleSheet(f"color: {colour};")
        self.grade.setText(_("Mutu {mutu} · {kinerja}").format(mutu=result.mutu, kinerja=_(result.kinerja))
                           if ikm is not None else _("No result yet: every unsur needs at least one answer."))
        if sample.minimum is None:
            self.sample.setText(ngettext("{n} respondent. Give the number of service users of the period to see "
                                         "the minimum sample.", "{n} respondents. Give the number of service "
                                         "users of the period to see the minimum sample.",
                                         sample.respondents).format(n=number(sample.respondents)))
            self.sample.setStyleSheet("color: #5A6470;")
        elif sample.enough:
            self.sample.setText(_("{n} respondents; the minimum sample for {pop} service users is {min} "
                                  "(Krejcie–Morgan).").format(
                n=number(sample.respondents), pop=number(sample.population), min=number(sample.minimum)))
            self.sample.setStyleSheet(OK_STYLE)
        else:
            self.sample.setText(_("⚠ Too few respondents: {n} of the {min} needed for {pop} service users "
                                  "(Krejcie–Morgan). The result is not representative yet.").format(
                n=number(sample.respondents), min=number(sample.minimum), pop=number(sample.population)))
            self.sample.setStyleSheet(WARN_STYLE)
        weakest = {u.unsur for u in result.weakest(3)}
        self.nrr_table.setRowCount(UNSUR_COUNT)
        for r, u in enumerate(result.unsur):
            name = names[r] if r < len(names) else ""
            cells = [item(f"U{u.unsur} {name}"), item(number(u.nrr_decimal, 4) if u.nrr is not None else "–", RIGHT),
                     item(number(to_decimal(u.weighted, FOUR_PLACES), 4) if u.weighted is not None else "–", RIGHT),
                     item(number(u.answered), RIGHT), item(number(u.missing), RIGHT)]
            for c, cell in enumerate(cells):
                if u.unsur in weakest:
                    cell.setBackground(WEAK_BG)
                    cell.setToolTip(_("One of the three weakest unsur"))
                self.nrr_table.setItem(r, c, cell)
        self.nrr_table.resizeColumnsToContents()
        self.nrr_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.show_groups(groups)
        self.nrr_chart.set_data([(f"U{u.unsur} {names[i] if i < len(names) else ''}", u.nrr_decimal,
                                  u.unsur in weakest) for i, u in enumerate(result.unsur)])
        self.trend_chart.set_data([(p.name, p.ikm, p.mutu) for p in trend])
        for key, _title in PROFILE_TITLES:
            rows = profile.get(key, [])
            if key == "gender":
                rows = [(reads.gender_label(v), n) for v, n in rows]
            else:
                rows = [(v or _("Not stated"), n) for v, n in rows]
            self.profile_charts[key].set_data(rows)

    def show_groups(self, groups) -> None:
        self.group_table.setSortingEnabled(False)
        self.group_table.setRowCount(len(groups))
        for r, g in enumerate(groups):
            res = g.result
            resp = item(number(res.respondents), RIGHT)
            resp.setData(Qt.UserRole, res.respondents)
            self.group_table.setItem(r, 0, item(g.label))
            self.group_table.setItem(r, 1, resp)
            self.group_table.setItem(r, 2, item(number(res.ikm, 2) if res.ikm is not None else "–", RIGHT))
            self.group_table.setItem(r, 3, item(res.mutu, Qt.AlignCenter))
        self.group_table.setSortingEnabled(True)


class SurveyTab(QWidget):
    def __init__(self, project, signals, undo_stack, parent=None):
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.jobs: list[JobHandle] = []
        self.period_id: int | None = None
        self.detail = None
        self._results_stale = True
        self._build_actions()

        self.period = QComboBox()
        self.period.setObjectName("survey_period")
        self.period.setMinimumWidth(240)
        self.period.currentIndexChanged.connect(lambda _i: self.choose_period(self.period.currentData()))
        self.new_button = QPushButton(_("New period…"))
        self.edit_button = QPushButton(_("Edit period…"))
        self.delete_button = QPushButton(_("Delete period"))
        self.import_button = QPushButton(_("Import forms…"))
        self.import_button.setToolTip(_("Import forms from a CSV or XLSX file (e.g. an online form's export)"))
        self.new_button.clicked.connect(lambda: self.new_period())
        self.edit_button.clicked.connect(lambda: self.edit_period())
        self.delete_button.clicked.connect(lambda: self.delete_period())
        self.import_button.clicked.connect(lambda: self.import_forms())
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Period:")))
        top.addWidget(self.period)
        for b in (self.new_button, self.edit_button, self.delete_button, self.import_button):
            top.addWidget(b)
        top.addStretch(1)
        self.message = MessageLine()

        # --- entry page ---------------------------------------------------------------------
        self.entry = EntryModel(self, on_edit=self.edit_form, on_refused=self.show_refusal)
        self.view = EntryView(self.entry, self)
        self.view.refused.connect(self.show_refusal)
        self.view.accepted_key.connect(self.message.hide)
        self.view.submitted.connect(self.submit)
        self.summary = QLabel()
        self.summary.setObjectName("entry_summary")
        self.summary.setWordWrap(True)
        delete_forms = QPushButton(_("Delete selected form"))
        delete_forms.clicked.connect(lambda: self.delete_forms())
        self.delete_forms_button = delete_forms
        hint = QLabel(_("Keyboard only: 1–4 per unsur (the cursor moves on by itself), 0 or Space for no answer, "
                        "L/P for gender, a digit for age, education and occupation (see the column tooltips), "
                        "Enter saves the form and starts the next."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5A6470;")
        entry_page = QWidget()
        el = QVBoxLayout(entry_page)
        el.setContentsMargins(0, 0, 0, 0)
        el.addWidget(hint)
        el.addWidget(self.view, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(delete_forms)
        el.addLayout(bottom)

        self.results = ResultsPanel(self)
        self.results.by.currentIndexChanged.connect(lambda _i: self.refresh_groups())
        self.actions_panel = ActionsPanel(self)
        self.actions_panel.add_requested.connect(lambda: self.add_action())
        self.actions_panel.edit_requested.connect(lambda ident: self.edit_action(ident))
        self.actions_panel.delete_requested.connect(lambda ids: self.delete_actions(ids))
        self.actions_panel.go_to_requested.connect(lambda ident: self.go_to_link(ident))

        self.pages = QTabWidget()
        self.pages.addTab(entry_page, _("Form entry"))
        self.pages.addTab(self.results, _("Results"))
        self.pages.addTab(self.actions_panel, _("Follow-up"))
        self.pages.currentChanged.connect(lambda _i: self.refresh_results())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.pages, 1)

        self.reload_periods()
        connect_when_visible(signals, self, self.apply_changes, *WATCHED)

    # --- actions for the menus ------------------------------------------------------------------
    def _build_actions(self) -> None:
        self.act_export = QAction(_("Survey Report (PDF, XLSX, CSV)…"), self, triggered=lambda: self.export_dialog())
        self.act_export_poster = QAction(_("Survey Poster (PDF)…"), self,
                                         triggered=lambda: self.export_dialog(poster=True))
        self.act_print = QAction(_("Print Survey Report…"), self, triggered=lambda: self.print_dialog())
        self.act_preview = QAction(_("Print Preview of the Survey Report…"), self,
                                   triggered=lambda: self.print_preview())
        self.act_print_poster = QAction(_("Print Survey Poster…"), self,
                                        triggered=lambda: self.print_dialog(poster=True))

    def export_actions(self) -> list[QAction]:
        return [self.act_export, self.act_export_poster]

    def print_actions(self) -> list[QAction]:
        return [self.act_print, self.act_preview, self.act_print_poster]

    # --- data -----------------------------------------------------------------------------------
    @property
    def period_name(self) -> str:
        return self.detail.name if self.detail is not None else ""

    def reload_periods(self, select: int | None = None) -> None:
        rows = reads.periods(self.project)
        wanted = select if select is not None else self.period_id
        self.period.blockSignals(True)
        self.period.clear()
        for p in rows:
            ikm = f" — IKM {number(p.ikm, 2)} ({p.mutu})" if p.ikm is not None else ""
            self.period.addItem(f"{p.name}{ikm}", p.id)
        index = self.period.findData(wanted) if wanted is not None else -1
        if index < 0 and rows:
            index = len(rows) - 1  # the latest period
        self.period.setCurrentIndex(index)
        self.period.blockSignals(False)
        self.choose_period(self.period.currentData(), force=True)

    def choose_period(self, period_id: int | None, force: bool = False) -> None:
        if period_id == self.period_id and not force:
            return
        changed = period_id != self.period_id
        self.period_id = period_id
        self.detail = reads.period_detail(self.project, period_id) if period_id is not None else None
        if self.detail is None:
            self.period_id = None
        has = self.period_id is not None
        for w in (self.edit_button, self.delete_button, self.import_button, self.view, self.actions_panel):
            w.setEnabled(has)
        for act in (self.act_export, self.act_export_poster, self.act_print, self.act_preview, self.act_print_poster):
            act.setEnabled(has)
        self.reload_forms(keep_draft=not changed)
        self._results_stale = True
        self.refresh_results()

    def reload_forms(self, keep_draft: bool = True) -> None:
        current = self.view.currentIndex()
        on_draft = current.isValid() and current.row() == self.entry.draft_row
        col = current.column() if current.isValid() else COL_U1
        row = current.row() if current.isValid() else -1
        self.entry.set_choices(reads.entry_choices(self.project))
        self.entry.set_unsur_names(self.detail.unsur_names if self.detail else [])
        self.entry.set_forms(reads.responses(self.project, self.period_id) if self.period_id is not None else [],
                             keep_draft=keep_draft)
        if on_draft or row < 0:
            self.view.go_to_draft(col if on_draft else COL_U1)
        elif row < self.entry.rowCount():
            self.view.go_to(row, col)
        self.update_summary()

    def update_summary(self) -> None:
        forms = [f for f in self.entry.forms if not f.empty]
        missing = self.entry.missing_per_unsur()
        text = ngettext("{n} form", "{n} forms", len(forms)).format(n=number(len(forms)))
        text += " · " + _("missing answers:") + " " + ", ".join(f"U{i + 1} {m}" for i, m in enumerate(missing))
        self.summary.setText(text)

    def refresh_results(self) -> None:
        """Read the results again when their pages are seen (entry of 200 forms does not redo the charts)."""
        if not self._results_stale or self.pages.currentWidget() is self.pages.widget(0):
            return
        self._results_stale = False
        if self.period_id is None:
            self.actions_panel.set_rows([], [])
            return
        result = reads.results(self.project, self.period_id)
        names = self.detail.unsur_names if self.detail else []
        by = self.results.by.currentData()
        groups = reads.results_by(self.project, self.period_id, by) if by else []
        self.results.show_results(result, names, reads.sample_status(self.project, self.period_id), groups,
                                  reads.trend(self.project), reads.profile(self.project, self.period_id))
        self.results.group_table.setVisible(bool(by))
        weakest = [f"U{u.unsur} {names[u.unsur - 1] if u.unsur <= len(names) else ''}" for u in result.weakest(3)]
        self.actions_panel.set_rows(reads.actions(self.project, self.period_id), weakest)

    def refresh_groups(self) -> None:
        by = self.results.by.currentData()
        self.results.group_table.setVisible(bool(by))
        if self.period_id is not None and by:
            self.results.show_groups(reads.results_by(self.project, self.period_id, by))

    def apply_changes(self, changes: Changes) -> None:
        if changes.about(Topic.SURVEY) and changes.origin != ORIGIN or changes.about(Topic.AGENCIES, Topic.COUNTERS):
            self.reload_periods()
            return
        if changes.about(Topic.SURVEY):
            self.reload_forms()
            self._refresh_period_labels()
        self._results_stale = True
        self.refresh_results()

    def _refresh_period_labels(self) -> None:
        """The IKM in the period chooser follows the forms (cheap: one pass over the answers)."""
        for p in reads.periods(self.project):
            index = self.period.findData(p.id)
            if index >= 0:
                ikm = f" — IKM {number(p.ikm, 2)} ({p.mutu})" if p.ikm is not None else ""
                self.period.setItemText(index, f"{p.name}{ikm}")

    # --- edits ----------------------------------------------------------------------------------
    def show_refusal(self, text: str) -> None:
        self.message.tell(text)
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(text, 6000)

    def status(self, text: str) -> None:
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(text, 6000)

    def run(self, command) -> bool:
        self.message.hide()
        return self.undo_stack.run(command, origin=ORIGIN, report=self.show_refusal, parent=self)

    def run_dialog(self, dialog) -> int:
        """Show a modal dialog (tests replace this to drive it)."""
        return dialog.exec()

    def submit(self, row: int) -> bool:
        """Enter: save the draft as a new form (one undoable step) and start the next; on a saved row, go to
        the draft."""
        if row != self.entry.draft_row:
            self.view.go_to_draft()
            return False
        draft = self.entry.draft
        if draft.empty:
            self.show_refusal(_("Form {n} has no answers yet: type 1–4 for each unsur.").format(n=draft.number))
            self.view.go_to_draft()
            return False
        period_id = self.period_id
        fields = draft.fields()

        def build() -> AddResponses:
            return AddResponses(_("Add survey form {n}").format(n=fields["number"]),
                                [SurveyResponse(period_id=period_id, **fields)])

        if not self.run(build):
            return False
        self.entry.start_next()
        self.view.go_to_draft()
        self.update_summary()
        return True

    def edit_form(self, form_id: int, fields: dict) -> bool:
        if not fields:
            return True
        return self.run(lambda: EditResponses(_("Edit survey form"), {form_id: fields}))

    def delete_forms(self) -> bool:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedIndexes()} |
                      ({self.view.currentIndex().row()} if self.view.currentIndex().isValid() else set()))
        ids = [i for i in (self.entry.forms[r].id for r in rows if r < len(self.entry.forms)) if i is not None]
        if not ids:
            return False
        return self.run(lambda: delete_responses(ids))

    def new_period(self) -> bool:
        made: list[AddSurveyPeriod] = []

        def apply(fields) -> bool:
            def build() -> AddSurveyPeriod:
                made.append(AddSurveyPeriod(new_period(self.project, **fields)))
                return made[-1]

            return self.undo_stack.run(build, origin=ORIGIN, report=dialog.show_error, parent=dialog)

        dialog = PeriodDialog(self, on_accept=apply)
        if self.run_dialog(dialog) and made:
            self.reload_periods(select=made[-1].period.id)
            return True
        return False

    def edit_period(self) -> bool:
        if self.detail is None:
            return False
        period_id, old = self.detail.id, self.detail

        def apply(fields) -> bool:
            changed = {k: v for k, v in fields.items() if getattr(old, k) != v}
            if not changed:
                return True
            return self.undo_stack.run(lambda: EditSurveyPeriod(period_id, changed), origin=ORIGIN,
                                       report=dialog.show_error, parent=dialog)

        dialog = PeriodDialog(self, detail=old, on_accept=apply)
        if self.run_dialog(dialog):
            self.reload_periods()
            return True
        return False

    def delete_period(self) -> bool:
        if self.period_id is None:
            return False
        period_id, name = self.period_id, self.period_name
        n = len(self.entry.forms)
        if n and not self.ask(_("Delete survey period"), ngettext(
                "Delete the period {name} with its {n} form and its follow-up actions? (You can undo this.)",
                "Delete the period {name} with its {n} forms and its follow-up actions? (You can undo this.)",
                n).format(name=name, n=n)):
            return False
        if self.run(lambda: delete_period(self.project, period_id)):
            self.reload_periods()
            self.status(_("Deleted. Edit ▸ Undo brings it back."))
            return True
        return False

    def ask(self, title: str, text: str) -> bool:
        return QMessageBox.question(self, title, text, QMessageBox.Yes | QMessageBox.No,
                                    QMessageBox.No) == QMessageBox.Yes

    # --- follow-up actions --------------------------------------------------------------------
    def weakest_unsur(self) -> int:
        if self.period_id is None:
            return 1
        weak = reads.results(self.project, self.period_id).weakest(1)
        return weak[0].unsur if weak else 1

    def add_action(self) -> bool:
        if self.period_id is None:
            return False
        period_id = self.period_id

        def apply(fields) -> bool:
            unsur, text = fields.pop("unsur"), fields.pop("action")
            return self.undo_stack.run(lambda: AddAction(new_action(period_id, unsur, text, **fields)),
                                       origin=ORIGIN, report=dialog.show_error, parent=dialog)

        dialog = ActionDialog(self, unsur_names=self.detail.unsur_names if self.detail else [],
                              links=reads.link_choices(self.project), unsur=self.weakest_unsur(), on_accept=apply)
        return bool(self.run_dialog(dialog))

    def edit_action(self, action_id: int) -> bool:
        row = next((a for a in reads.actions(self.project, self.period_id) if a.id == action_id), None) \
            if self.period_id is not None else None
        if row is None:
            return False

        def apply(fields) -> bool:
            changed = {k: v for k, v in fields.items() if getattr(row, k) != v}
            if not changed:
                return True
            return self.undo_stack.run(lambda: EditAction(action_id, changed), origin=ORIGIN,
                                       report=dialog.show_error, parent=dialog)

        dialog = ActionDialog(self, unsur_names=self.detail.unsur_names if self.detail else [],
                              links=reads.link_choices(self.project), action=row, on_accept=apply)
        return bool(self.run_dialog(dialog))

    def delete_actions(self, ids: list[int]) -> bool:
        if not ids:
            return False
        return self.run(lambda: delete_actions(ids))

    def go_to_link(self, action_id: int) -> bool:
        """Show the linked budget line (Budget tab, its year) or need (Inventory tab) of an action."""
        row = next((a for a in reads.actions(self.project, self.period_id) if a.id == action_id), None) \
            if self.period_id is not None else None
        window = self.window()
        if row is None or not hasattr(window, "show_tab"):
            return False
        if row.budget_line_id is not None:
            text = dict(reads.link_choices(self.project).budget_lines).get(row.budget_line_id, "")
            window.show_tab("budget")
            budget = window.tab_widgets["budget"]
            year = text.partition(":")[0]
            if year.isdigit() and hasattr(budget, "set_year"):
                budget.set_year(int(year))
            if hasattr(budget, "reveal_lines"):
                budget.reveal_lines([row.budget_line_id])
            return True
        if row.need_id is not None:
            window.show_tab("inventory")
            inventory = window.tab_widgets["inventory"]
            return self._select_need(inventory, row.need_id)
        return False

    @staticmethod
    def _select_need(inventory, need_id: int) -> bool:
        from PySide6.QtCore import QItemSelectionModel

        model, proxy, view = (getattr(inventory, n, None) for n in ("needs_model", "needs_proxy", "needs_view"))
        if model is None or proxy is None or view is None:
            return False
        for r in range(model.rowCount()):
            if getattr(model.row_object(r), "id", None) == need_id:
                index = proxy.mapFromSource(model.index(r, 0))
                if index.isValid():
                    view.selectionModel().select(index, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
                    view.scrollTo(index)
                    return True
        return False

    # --- import -----------------------------------------------------------------------------------
    def import_forms(self, path: str | Path | None = None):
        """Choose a file, then the mapping dialog (it reads the file as a job); on Import the forms are added
        as one undoable step. Returns the dialog (tests drive it), None when no file was chosen."""
        from mpp_planner.qt.survey.import_dialog import SurveyImportDialog

        if self.period_id is None:
            return None
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(self, _("Import survey forms"), "",
                                                        _("Tables (*.csv *.xlsx);;All files (*)"))
            if not path:
                return None
        dialog = SurveyImportDialog(self.project, Path(path), self.period_name,
                                    self.detail.unsur_names if self.detail else [], self)
        self.import_dialog = dialog
        dialog.check()
        if self.run_dialog(dialog):
            self.finish_import(dialog)
        return dialog

    def finish_import(self, dialog) -> bool:
        from mpp_planner.importers import ImportRefused

        plan = dialog.plan
        if plan is None:
            return False
        try:
            command = plan.command()
        except ImportRefused as refused:
            QMessageBox.warning(self, _("Cannot import"), "\n".join(str(e) for e in refused.errors))
            return False
        if self.run(command):
            self.status(command.text)
            return True
        return False

    # --- export and print ---------------------------------------------------------------------
    def export_dialog(self, poster: bool = False) -> JobHandle | None:
        if self.period_id is None:
            return None
        stem = ("Poster SKM" if poster else "Laporan SKM") + f" - {self.period_name}"
        filters = _("PDF (*.pdf)") if poster else \
            _("PDF (*.pdf)") + ";;" + _("Excel workbook (*.xlsx)") + ";;" + _("CSV (*.csv)")
        path, chosen = QFileDialog.getSaveFileName(self, _("Export survey report"),
                                                   str(self.project.path.parent / f"{stem}.pdf"), filters)
        if not path:
            return None
        if not Path(path).suffix:
            path += {"xlsx": ".xlsx", "csv": ".csv"}.get(next((k for k in ("xlsx", "csv") if k in chosen.lower()),
                                                              ""), ".pdf")
        return self.start_export(Path(path), poster=poster)

    def start_export(self, out: Path, poster: bool = False) -> JobHandle | None:
        from mpp_planner.reports.output import OutputError, check_output_path
        from mpp_planner.reports.survey import FORMATS

        try:
            out, fmt = check_output_path(out, ("pdf",) if poster else FORMATS)
        except OutputError as exc:
            QMessageBox.warning(self, _("Cannot export"), str(exc))
            return None
        period = self.period_name
        handle = run_job(self, _("Export"), lambda reader: write_survey(reader, out, fmt, period, poster),
                         project=self.project, label=_("Writing {file}…").format(file=out.name),
                         on_done=lambda written: self.status(_("Written: {path}").format(path=written)),
                         on_failed=lambda exc: show_job_error(self, _("Cannot export"), exc))
        self.jobs.append(handle)
        handle.finished.connect(lambda: self.jobs.remove(handle) if handle in self.jobs else None)
        return handle

    def sheet_printing(self, poster: bool = False):
        from mpp_planner.qt.sheet_print import SheetPrinting
        from mpp_planner.reads.site import sheet_paper

        period = self.period_name
        title = _("Survey poster") if poster else _("Survey report")
        self.printing = SheetPrinting(self, self.project, title,
                                      lambda reader, path, paper: write_survey(reader, path, "pdf", period, poster,
                                                                               paper),
                                      default_paper=sheet_paper(self.project), landscape=False,
                                      on_refused=self.show_refusal)
        return self.printing

    def print_dialog(self, poster: bool = False):
        if self.period_id is None:
            return None
        return self.sheet_printing(poster).print_dialog()

    def print_preview(self):
        if self.period_id is None:
            return None
        return self.sheet_printing().preview()
