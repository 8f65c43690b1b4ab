"""Qt's undo stack around our plain commands."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand, QUndoStack

from mpp_planner.commands import Command
from mpp_planner.project import Project


class _QtCommand(QUndoCommand):
    _MERGE_IDS: dict = {}

    def __init__(self, project: Project, command: Command):
        super().__init__(command.text)
        self.project = project
        self.command = command
        self._first = True

    def id(self) -> int:  # noqa: A003 - Qt's name
        key = self.command.merge_key
        if key is None:
            return -1
        return _QtCommand._MERGE_IDS.setdefault(key, len(_QtCommand._MERGE_IDS) + 1)

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        if not isinstance(other, _QtCommand) or other.command.merge_key != self.command.merge_key:
            return False
        return self.command.merge(other.command)

    def redo(self) -> None:
        if self._first:  # already done by UndoStack.push_command
            self._first = False
            return
        self.command.redo(self.project)

    def undo(self) -> None:
        self.command.undo(self.project)


class UndoStack(QUndoStack):
    """``push_command`` runs the command first: a refused edit raises and is never pushed."""

    def __init__(self, project: Project, parent=None):
        super().__init__(parent)
        self.project = project

    def push_command(self, command: Command) -> None:
        command.redo(self.project)
        self.push(_QtCommand(self.project, command))
