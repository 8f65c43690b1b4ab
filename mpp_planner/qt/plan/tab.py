"""The Plan tab: floors as tabs, the plan view, a legend by agency or tier."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QHBoxLayout, QSplitter, QTabBar, QToolBar, QVBoxLayout, QWidget

from mpp_planner.i18n import _
from mpp_planner.model import Floor
from mpp_planner.project import Changes
from mpp_planner.qt.plan.legend import Legend
from mpp_planner.qt.plan.scene import PlanScene
from mpp_planner.qt.plan.view import PlanView


class PlanTab(QWidget):
    def __init__(self, project, signals, undo_stack, parent=None):
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.scenes: dict[int, PlanScene] = {}
        self.colour_mode = "agency"
        self.floor_ids: list[int] = []

        self.toolbar = QToolBar(_("Plan"))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        self.act_fit = QAction(_("Fit to view"), self)
        self.act_fit.setShortcut("Ctrl+0")
        self.act_fit.triggered.connect(self.fit)
        self.toolbar.addAction(self.act_fit)
        self.act_zoom_in = QAction(_("Zoom in"), self, shortcut="Ctrl++", triggered=lambda: self.view.zoom_by(1.25))
        self.act_zoom_out = QAction(_("Zoom out"), self, shortcut="Ctrl+-", triggered=lambda: self.view.zoom_by(0.8))
        self.toolbar.addAction(self.act_zoom_in)
        self.toolbar.addAction(self.act_zoom_out)
        self.toolbar.addSeparator()
        group = QActionGroup(self)
        self.act_by_agency = QAction(_("Colour by agency"), self, checkable=True, checked=True)
        self.act_by_tier = QAction(_("Colour by tier"), self, checkable=True)
        for act, mode in ((self.act_by_agency, "agency"), (self.act_by_tier, "tier")):
            group.addAction(act)
            act.triggered.connect(lambda _=False, m=mode: self.set_colour_mode(m))
            self.toolbar.addAction(act)

        self.floor_bar = QTabBar()
        self.floor_bar.setExpanding(False)
        self.floor_bar.currentChanged.connect(self._show_floor)
        self.view = PlanView()
        self.legend = Legend(project)

        split = QSplitter(Qt.Horizontal)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.setSpacing(0)
        lv.addWidget(self.floor_bar)
        lv.addWidget(self.view)
        split.addWidget(left)
        split.addWidget(self.legend)
        split.setStretchFactor(0, 1)
        split.setSizes([1000, 200])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toolbar)
        layout.addWidget(split)
        self._load_floors()
        signals.changed.connect(self.apply_changes)

    def _load_floors(self) -> None:
        self.floor_bar.blockSignals(True)
        while self.floor_bar.count():
            self.floor_bar.removeTab(0)
        floors = self.project.all(Floor, Floor.order, Floor.id)
        self.floor_ids = [f.id for f in floors]
        for floor in floors:
            self.floor_bar.addTab(floor.name)
        self.floor_bar.blockSignals(False)
        if floors:
            self._show_floor(max(0, self.floor_bar.currentIndex()))

    def current_floor_id(self) -> int | None:
        i = self.floor_bar.currentIndex()
        return self.floor_ids[i] if 0 <= i < len(self.floor_ids) else None

    def scene_for(self, floor_id: int) -> PlanScene:
        scene = self.scenes.get(floor_id)
        if scene is None:
            scene = PlanScene(self.project, floor_id, self.colour_mode, self)
            self.scenes[floor_id] = scene
        return scene

    def _show_floor(self, index: int) -> None:
        if not 0 <= index < len(self.floor_ids):
            return
        self.view.setScene(self.scene_for(self.floor_ids[index]))
        self.fit()

    def fit(self) -> None:
        self.view.fit()

    def set_colour_mode(self, mode: str) -> None:
        self.colour_mode = mode
        for scene in self.scenes.values():
            scene.set_colour_mode(mode)
        self.legend.set_mode(mode)

    def apply_changes(self, changes: Changes) -> None:
        if changes.touches("floor"):
            for fid in changes.removed.get("floor", ()):
                self.scenes.pop(fid, None)
            self._load_floors()
        for scene in self.scenes.values():
            scene.apply_changes(changes)
        if changes.touches("agency", "counter_assignment"):
            self.legend.refresh()
