"""Bridge from the project's plain-Python change notifications to a Qt signal."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from mpp_planner.project import Changes, Project, Topic


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


class _WhenShown(QObject):
    """Holds changes for a widget hidden behind another tab and hands them over when it shows."""

    def __init__(self, widget, handler, topics: tuple[Topic, ...] = ()):
        super().__init__(widget)
        self.widget = widget
        self.handler = handler
        self.topics = topics
        self.pending: Changes | None = None
        widget.installEventFilter(self)

    def on_changes(self, changes: Changes) -> None:
        if self.topics and not changes.about(*self.topics):
            return
        w = self.widget
        if w.window().isVisible() and not w.isVisible():  # in a shown window, but on a hidden tab
            self.pending = (self.pending or Changes()).merge(changes)
            return
        self.handler(changes)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        from PySide6.QtCore import QEvent

        if obj is self.widget and event.type() == QEvent.Show and self.pending is not None:
            pending, self.pending = self.pending, None
            self.handler(pending)
        return False


def connect_when_visible(signals: ProjectSignals, widget, handler, *topics: Topic) -> None:
    """Call ``handler(changes)`` after edits about ``topics`` (any edit when none are given): now if
    ``widget`` can be seen, else once it is shown again.

    Tabs in the background would otherwise redo their (sometimes large) tables on every edit.
    """
    relay = _WhenShown(widget, handler, topics)
    signals.changed.connect(relay.on_changes)
