"""Bridge from the project's plain-Python change notifications to a Qt signal."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from mpp_planner.project import Changes, Project


class ProjectSignals(QObject):
    changed = Signal(object)  # Changes

    def __init__(self, project: Project, parent=None):
        super().__init__(parent)
        self.project = project
        project.subscribe(self._on_changes)

    def _on_changes(self, changes: Changes) -> None:
        self.changed.emit(changes)

    def detach(self) -> None:
        self.project.unsubscribe(self._on_changes)
