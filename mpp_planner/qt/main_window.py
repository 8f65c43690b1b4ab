"""The main window: menus, the six tabs of an open project, the status bar."""

from __future__ import annotations

import gc
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QFileDialog, QLabel, QMainWindow, QMessageBox, QPushButton, QTabWidget,
                               QVBoxLayout, QWidget)

from mpp_planner import APP_NAME, FILE_SUFFIX, __version__, settings
from mpp_planner.i18n import N_, _
from mpp_planner.project import Changes, Project, Topic
from mpp_planner.qt.a11y import name_controls
from mpp_planner.qt.file_safety import BackupSettingsDialog, automatic_backup, backup_now, open_project_interactive
from mpp_planner.qt.signals import ProjectSignals
from mpp_planner.qt.undo import UndoStack
from mpp_planner.reads.site import project_counts, site_name

# tab key -> "module:class"; a tab's module is imported when the tab is first built
TAB_CLASSES = {"plan": "mpp_planner.qt.plan.tab:PlanTab", "agencies": "mpp_planner.qt.agencies.tab:AgencyTab",
               "inventory": "mpp_planner.qt.inventory.tab:InventoryTab",
               "budget": "mpp_planner.qt.budget.tab:BudgetTab", "survey": "mpp_planner.qt.survey.tab:SurveyTab",
               "assessment": "mpp_planner.qt.assessment.tab:AssessmentTab"}


def tab_class(key: str):
    import importlib

    module, _sep, name = TAB_CLASSES[key].partition(":")
    return getattr(importlib.import_module(module), name)
TAB_KEYS = tuple(TAB_CLASSES)
TAB_LABELS = (("plan", N_("Plan")), ("agencies", N_("Agencies")), ("inventory", N_("Inventory && Needs")),
              ("budget", N_("Budget")), ("survey", N_("Survey")), ("assessment", N_("Assessment")))


class LazyTabs(dict):
    """``tab_widgets[key]`` builds the tab on first access; ``values()`` lists the built ones."""

    def __init__(self, build):
        super().__init__()
        self._build = build

    def __missing__(self, key):
        return self._build(key)


def file_filter() -> str:
    return _("MPP Planner projects (*{suffix})").format(suffix=FILE_SUFFIX) + ";;" + _("All files (*)")


class MainWindow(QMainWindow):
    def __init__(self, project: Project | None = None):
        super().__init__()
        self.project: Project | None = None
        self.signals: ProjectSignals | None = None
        self.undo_stack: UndoStack | None = None
        self.tabs: QTabWidget | None = None
        self.tab_widgets: dict[str, QWidget] = {}
        self._edit_extra: list = []
        self._pages: dict[str, QWidget] = {}
        self.resize(1400, 900)
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label)
        self._build_actions()
        self._build_menus()
        self._lock_warned = False
        self._lock_timer = QTimer(self, interval=30_000, timeout=self._check_lock)
        self._lock_timer.start()
        self.set_project(project)

    # --- actions and menus ------------------------------------------------------------
    def _build_actions(self) -> None:
        self.act_new = QAction(_("&New…"), self, shortcut=QKeySequence.New, triggered=self.new_project)
        self.act_open = QAction(_("&Open…"), self, shortcut=QKeySequence.Open, triggered=self.open_dialog)
        self.act_save_as = QAction(_("Save &As…"), self, shortcut=QKeySequence.SaveAs, triggered=self.save_as)
        self.act_backup = QAction(_("&Back Up Now"), self, triggered=self.backup_now)
        self.act_backup_settings = QAction(_("Backup &Settings…"), self, triggered=self.backup_settings)
        self.act_project_settings = QAction(_("Project Se&ttings…"), self, triggered=self.project_settings)
        self.act_close = QAction(_("&Close"), self, shortcut=QKeySequence.Close, triggered=self.close_project)
        self.act_quit = QAction(_("&Quit"), self, shortcut=QKeySequence.Quit, triggered=self.close)
        self.act_undo = QAction(_("&Undo"), self, shortcut=QKeySequence.Undo, enabled=False)
        self.act_redo = QAction(_("&Redo"), self, enabled=False)
        # Ctrl+Y and Ctrl+Shift+Z on every platform (the platform's own Redo key first, for the menu's text)
        redo_keys = [QKeySequence(QKeySequence.Redo), QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")]
        self.act_redo.setShortcuts(list(dict.fromkeys(k for k in redo_keys if not k.isEmpty())))
        self.act_undo.triggered.connect(lambda: self.undo_stack and self.undo_stack.undo())
        self.act_redo.triggered.connect(lambda: self.undo_stack and self.undo_stack.redo())
        self.act_about = QAction(_("&About MPP Planner"), self, triggered=self.about)
        self.tab_actions = []
        names = (_("&Plan"), _("&Agencies"), _("&Inventory && Needs"), _("&Budget"), _("&Survey"),
                 _("Assess&ment"))
        for i, name in enumerate(names):
            act = QAction(name, self, shortcut=f"Ctrl+{i + 1}")
            act.triggered.connect(lambda _=False, i=i: self.tabs and self.tabs.setCurrentIndex(i))
            self.tab_actions.append(act)
        for text, keys, step in ((_("Ne&xt Tab"), ("Ctrl+Tab", "Ctrl+PgDown"), 1),
                                 (_("Pre&vious Tab"), ("Ctrl+Shift+Tab", "Ctrl+PgUp"), -1)):
            act = QAction(text, self)
            act.setShortcuts([QKeySequence(k) for k in keys])  # from anywhere in the window
            act.triggered.connect(lambda _=False, step=step: self.tabs and self.tabs.setCurrentIndex(
                (self.tabs.currentIndex() + step) % self.tabs.count()))
            self.addAction(act)
            self.tab_actions.append(act)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        m_file = bar.addMenu(_("&File"))
        m_file.addAction(self.act_new)
        m_file.addAction(self.act_open)
        from mpp_planner.qt.server_dialog import server_actions

        # File ▸ Open from Server… and Copy to Server… (team mode, issue 25)
        self.act_open_server, self.act_copy_server = server_actions(self)
        m_file.addAction(self.act_open_server)
        self.recent_menu = m_file.addMenu(_("Open &Recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        m_file.addSeparator()
        self.import_menu = m_file.addMenu(_("&Import"))
        self.export_menu = m_file.addMenu(_("&Export"))
        self.print_menu = m_file.addMenu(_("&Print"))
        for menu in (self.export_menu, self.print_menu):
            menu.aboutToShow.connect(self.build_all_tabs)
        from mpp_planner.qt.rollup_dialog import rollup_action

        m_file.addAction(rollup_action(self))  # File ▸ Roll-up of Several MPPs… (issue 24)
        m_file.addSeparator()
        m_file.addAction(self.act_project_settings)
        m_file.addSeparator()
        m_file.addAction(self.act_save_as)
        m_file.addAction(self.act_copy_server)
        m_file.aboutToShow.connect(lambda: self.act_copy_server.setEnabled(self.project is not None))
        m_file.addAction(self.act_backup)
        m_file.addAction(self.act_backup_settings)
        m_file.addAction(self.act_close)
        m_file.addSeparator()
        from mpp_planner.qt.preferences import preferences_action

        m_file.addAction(preferences_action(self))
        m_file.addSeparator()
        m_file.addAction(self.act_quit)
        self.menu_file = m_file
        m_edit = bar.addMenu(_("&Edit"))
        m_edit.aboutToShow.connect(self.build_all_tabs)
        m_edit.addAction(self.act_undo)
        m_edit.addAction(self.act_redo)
        self.menu_edit = m_edit
        m_view = bar.addMenu(_("&View"))
        m_view.aboutToShow.connect(self.build_all_tabs)
        for act in self.tab_actions:
            m_view.addAction(act)
        self.menu_view = m_view
        m_help = bar.addMenu(_("&Help"))
        from mpp_planner.qt.help import help_actions

        # Help ▸ Manual: the manual's contents; F1 (Help on This Tab): the page of the tab on screen
        self.act_manual, self.act_help_tab = help_actions(self, self.current_tab_key)
        m_help.addAction(self.act_manual)
        m_help.addAction(self.act_help_tab)
        m_help.addSeparator()
        m_help.addAction(self.act_about)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = settings.recent_files()
        if not recent:
            act = self.recent_menu.addAction(_("(none)"))
            act.setEnabled(False)
        for path in recent:
            act = self.recent_menu.addAction(path)
            act.triggered.connect(lambda _=False, p=path: self.open_path(p))

    # --- project lifecycle ------------------------------------------------------------
    def set_project(self, project: Project | None) -> None:
        old = self.project
        if self.signals is not None:
            self.signals.detach()
        if self.undo_stack is not None:  # the old stack must not touch our actions any more
            self.undo_stack.dispose()
            self.undo_stack.deleteLater()
        self.tab_widgets = {}
        self._clear_tab_actions()
        if old is not None and old is not project:
            from mpp_planner.qt.jobs import cancel_all_and_wait

            cancel_all_and_wait()  # a job reading the old project stops first (and leaves no file)
            old.close()
            # the project shown at start-up was frozen out of garbage collection with the rest of
            # start-up (see qt.app.startup_memory); give its objects back so they can be freed
            gc.unfreeze()
        self.project = project
        self._lock_warned = False
        if project is None:
            self.signals = self.undo_stack = self.tabs = None
            self.setCentralWidget(self._welcome())
        else:
            self.signals = ProjectSignals(project, self)
            self.undo_stack = UndoStack(project, self)
            self.undo_stack.canUndoChanged.connect(self._can_undo)
            self.undo_stack.canRedoChanged.connect(self._can_redo)
            self.undo_stack.undoTextChanged.connect(self._undo_text)
            self.undo_stack.redoTextChanged.connect(self._redo_text)
            self.tabs = QTabWidget()
            self.tabs.setDocumentMode(True)
            self.tab_widgets = LazyTabs(self._build_tab)
            self._pages = {}
            for key, label in TAB_LABELS:
                page = QWidget()
                layout = QVBoxLayout(page)
                layout.setContentsMargins(0, 0, 0, 0)
                self._pages[key] = page
                self.tabs.addTab(page, _(label))
            self.setCentralWidget(self.tabs)
            self.tabs.currentChanged.connect(lambda i: self.tab_widgets[TAB_KEYS[i]] if i >= 0 else None)
            self.tab_widgets["plan"]  # the first tab is built now; the others when first needed
            from mpp_planner.qt.plan_export import plan_export_actions

            export_plan, print_plan = plan_export_actions(self)
            self.export_menu.addAction(export_plan)
            self.print_menu.addAction(print_plan)
            from mpp_planner.qt.plan.dxf_import import dxf_import_action

            self.import_menu.clear()
            self.import_menu.addAction(dxf_import_action(self))
            self.signals.changed.connect(self._on_changes)
            settings.add_recent(project.file.display if self._on_server() else project.path)
        for act in (self.act_save_as, self.act_backup, self.act_close, self.act_project_settings, *self.tab_actions):
            act.setEnabled(project is not None)
        self.import_menu.setEnabled(project is not None)
        self.export_menu.setEnabled(project is not None)
        self.print_menu.setEnabled(project is not None)
        self.act_undo.setEnabled(False)
        self.act_redo.setEnabled(False)
        self._update_title()
        self._update_status()
        self._follow_remote(project)

    def _follow_remote(self, project: Project | None) -> None:
        """Team mode: other users' edits of a server project show here within a second (the project hears
        them in a thread of its own; a timer applies them here, see ``Project.poll_remote``)."""
        timer = getattr(self, "_remote_timer", None)
        if timer is None:
            timer = self._remote_timer = QTimer(self)
            timer.setInterval(250)
            timer.timeout.connect(self._poll_remote)
        if project is not None and project.listen_remote():
            timer.start()
        else:
            timer.stop()

    def _poll_remote(self) -> None:
        changes = self.project.poll_remote() if self.project is not None else None
        if changes is not None and self.project is not None and self.project.remote_users:
            self.statusBar().showMessage(_("{user} changed the project").format(
                user=", ".join(self.project.remote_users)), 8000)

    def _from_current_stack(self) -> bool:
        return self.undo_stack is not None and self.sender() is self.undo_stack

    def _can_undo(self, enabled: bool) -> None:
        if self._from_current_stack():
            self.act_undo.setEnabled(enabled)

    def _can_redo(self, enabled: bool) -> None:
        if self._from_current_stack():
            self.act_redo.setEnabled(enabled)

    def _undo_text(self, text: str) -> None:
        if self._from_current_stack():
            self.act_undo.setText(_("&Undo {action}").format(action=text) if text else _("&Undo"))

    def _redo_text(self, text: str) -> None:
        if self._from_current_stack():
            self.act_redo.setText(_("&Redo {action}").format(action=text) if text else _("&Redo"))

    def _build_tab(self, key: str) -> QWidget:
        """Make a tab's widget the first time it is needed (start-up builds the plan only)."""
        if self.project is None or key not in TAB_CLASSES:
            raise KeyError(key)
        # a tab reads its tables into thousands of objects that live as long as it, and leaves next to no
        # cyclic garbage: collections meanwhile would walk them all again and free nothing (a third of
        # the first showing of the budget at scale 200, measured)
        collecting = gc.isenabled()
        gc.disable()
        try:
            widget = tab_class(key)(self.project, self.signals, self.undo_stack, self)
        finally:
            if collecting:
                gc.enable()
        dict.__setitem__(self.tab_widgets, key, widget)
        self._pages[key].layout().addWidget(widget)
        name_controls(widget)  # what a screen reader calls its buttons, fields and tables
        self._collect_tab_actions(widget)
        return widget

    def build_all_tabs(self) -> None:
        if self.project is not None:
            for key in TAB_KEYS:
                self.tab_widgets[key]

    def _collect_tab_actions(self, widget: QWidget) -> None:
        """Tabs contribute menu entries: ``export_actions()``, ``print_actions()``, ``edit_actions()``,
        ``view_actions()``."""
        for hook, menu in (("export_actions", self.export_menu), ("print_actions", self.print_menu),
                           ("edit_actions", self.menu_edit), ("view_actions", self.menu_view)):
            actions = getattr(widget, hook, lambda: [])()
            shared = menu is self.menu_edit or menu is self.menu_view  # entries of their own stay
            if actions and shared:
                self._edit_extra.append((menu, menu.addSeparator()))
            for act in actions:
                menu.addAction(act)
                if shared:
                    self._edit_extra.append((menu, act))

    def _clear_tab_actions(self) -> None:
        self.export_menu.clear()
        self.print_menu.clear()
        for menu, act in getattr(self, "_edit_extra", []):
            menu.removeAction(act)
        self._edit_extra = []

    def _welcome(self) -> QWidget:
        w = QWidget()
        layout = QVBoxLayout(w)
        layout.addStretch(1)
        title = QLabel(f"<h2>{APP_NAME}</h2><p>{_('No project is open.')}</p>")
        title.setAlignment(Qt.AlignCenter)
        layout.addWidget(title)
        for text, slot in ((_("Open a project…"), self.open_dialog), (_("New project…"), self.new_project)):
            b = QPushButton(text)
            b.clicked.connect(slot)
            b.setMaximumWidth(260)
            layout.addWidget(b, 0, Qt.AlignHCenter)
        layout.addStretch(2)
        return w

    def _update_title(self) -> None:
        if self.project is None:
            self.setWindowTitle(APP_NAME)
            return
        ro = " " + _("[read-only]") if self.project.readonly else ""
        where = self.project.path.name
        if self._on_server():  # "database @ host"
            from mpp_planner.qt.server_dialog import server_title

            where = server_title(self.project.file.url)
        self.setWindowTitle(f"{site_name(self.project)} — {where}{ro} — {APP_NAME}")

    def _on_server(self) -> bool:
        """Whether the open project is on a PostgreSQL server (team mode)."""
        return self.project is not None and getattr(self.project.file, "is_server", False)

    def _update_status(self, counts: bool = True) -> None:
        if self.project is None:
            self.status_label.setText("")
            return
        if counts:
            n = project_counts(self.project)
            self.status_label.setText(_("{f} floors · {r} rooms · {c} counters · {a} agencies").format(
                f=n.floors, r=n.rooms, c=n.counters, a=n.agencies))
        saved = _("All changes are saved in {path}").format(path=self.project.path)
        if self._on_server():
            saved = _("All changes are saved on the server {url}").format(url=self.project.file.display)
        elif self.project.file.network and not self.project.readonly:  # held exclusively (see store.network)
            saved += " · " + _("Network folder: exclusive mode, other computers can open it once it is closed here")
        self.statusBar().showMessage(saved)

    def _on_changes(self, changes: Changes) -> None:
        if changes.about(Topic.SITE):
            self._update_title()
        self._update_status(counts=changes.about(Topic.FLOORS, Topic.ROOMS, Topic.COUNTERS, Topic.AGENCIES))

    def show_tab(self, key: str) -> None:
        if self.tabs is not None and key in TAB_KEYS:
            self.tabs.setCurrentIndex(TAB_KEYS.index(key))

    def current_tab_key(self) -> str:
        """The key of the tab on screen (``plan`` …); ``welcome`` when no project is open (for F1)."""
        if self.tabs is None or self.tabs.currentIndex() < 0:
            return "welcome"
        return TAB_KEYS[self.tabs.currentIndex()]

    # --- file commands ----------------------------------------------------------------
    def open_path(self, path: str | Path) -> bool:
        """Open for editing (read-only if the user so chooses when it is open elsewhere); back it up first.
        A server project's address is opened as a job (True: started; the dialog asks for what is missing)."""
        from mpp_planner.store.server import is_server_url

        if is_server_url(str(path)):
            from mpp_planner.qt.server_dialog import open_server_url

            open_server_url(self, str(path))
            return True
        project = open_project_interactive(self, path)
        if project is None:
            return False
        self.set_project(project)
        self.after_open()
        return True

    def after_open(self) -> None:
        """The automatic backup of a project just opened (see File ▸ Backup Settings)."""
        if self.project is None:
            return
        _path, message = automatic_backup(self.project)
        if message:
            self.statusBar().showMessage(message, 8000)

    def backup_now(self):
        """File ▸ Back Up Now, as a job (a big project takes a moment); returns its handle."""
        if self.project is None:
            return None

        def done(path) -> None:
            self.statusBar().showMessage(_("Backup copy: {path}").format(path=path), 8000)

        return backup_now(self, self.project, on_done=done)

    def backup_settings(self) -> None:
        BackupSettingsDialog(self.project, self).exec()

    def project_settings(self) -> None:
        """File ▸ Project settings…: identity, letterhead, signatories, paper, decree (one undoable edit)."""
        from mpp_planner.qt.project_settings import ProjectSettingsDialog

        if self.project is not None:
            self.settings_dialog = ProjectSettingsDialog(self.project, self.undo_stack, self)
            self.settings_dialog.exec()

    def _check_lock(self) -> None:
        """Warn once if another computer judged our lock stale and took the project over."""
        if self.project is None or self._lock_warned or not self.project.file.lock_lost:
            return
        self._lock_warned = True
        QMessageBox.warning(self, _("Project taken over"), _(
            "Another MPP Planner has taken over “{name}” (this computer did not answer for a long time). "
            "Your changes so far are saved. Close the project and open it again to go on safely.").format(
                name=self.project.path.name))

    def open_dialog(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Open project"), "", file_filter())
        if path:
            self.open_path(path)

    def new_project(self):
        """File ▸ New…: the wizard (identity, letterhead, signatories, fiscal year, floors, file) makes a project
        with the standard catalog and account codes in a job, then it is opened here. Returns the wizard, which
        is shown window-modal and not waited for."""
        from mpp_planner.qt.new_project import NewProjectWizard

        folder = str(self.project.path.parent) if self.project is not None else ""
        wizard = NewProjectWizard(self, on_created=self.open_path, folder=folder)
        wizard.open()
        return wizard

    def save_as(self):
        """File ▸ Save As: a consistent copy made as a job, then opened; returns the job's handle."""
        if self.project is None:
            return None
        path, _filter = QFileDialog.getSaveFileName(self, _("Save project as"), str(self.project.path.parent),
                                                    file_filter())
        if not path:
            return None
        if not path.endswith(FILE_SUFFIX):
            path += FILE_SUFFIX
        from mpp_planner.qt.jobs import run_job

        if self._on_server():  # a local file of the server project (``ServerStore.backup_to``); the server stays open
            return run_job(self, _("Save project as"), lambda reader: reader.save_as(path), project=self.project,
                           on_done=lambda p: self.statusBar().showMessage(_(
                               "A copy of the server project was saved as {path}").format(path=p), 8000),
                           label=_("Copying the project to {path}…").format(path=path))
        if Path(path).resolve() == self.project.path.resolve():
            return None
        # the copy is read on its own connection in a worker; the copy is opened when it is complete
        return run_job(self, _("Save project as"), lambda reader: reader.save_as(path), project=self.project,
                       on_done=self.open_path, label=_("Copying the project to {path}…").format(path=path))

    def close_project(self) -> None:
        self.set_project(None)

    def about(self) -> None:
        QMessageBox.about(self, _("About MPP Planner"), f"<b>{APP_NAME}</b> {__version__}<br>" + _(
            "Floor plans, counter allocation, inventory and budget requests for a public service mall (MPP)."))

    def closeEvent(self, event) -> None:  # noqa: N802
        self.set_project(None)
        super().closeEvent(event)
