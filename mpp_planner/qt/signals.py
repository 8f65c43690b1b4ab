"""Bridge from the project's plain-Python change notifications to a Qt signal."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal

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


SHOW = QEvent.Type.Show


class _WhenShown(QObject):
    """Holds changes for a widget hidden behind another tab and hands them over when it shows."""

    def __init__(self, widget, handler, topics: tuple[Topic, ...] = ()):
        super().__init__(widget)
        self.widget = widget
        self.handler = handler
        self.topics = topics
        self.pending: Changes | None = None  # while some, the widget's events pass here (to catch its Show)

    def on_changes(self, changes: Changes) -> None:
        if self.topics and not changes.about(*self.topics):
            return
        w = self.widget
        if w.window().isVisible() and not w.isVisible():  # in a shown window, but on a hidden tab
            if self.pending is None:
                w.installEventFilter(self)
            self.pending = (self.pending or Changes()).merge(changes)
            return
        self.handler(changes)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == SHOW and obj is self.widget and self.pending is not None:
            obj.removeEventFilter(self)  # nothing more to hand over: showing it again costs nothing here
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
