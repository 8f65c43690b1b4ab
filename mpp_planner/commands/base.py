"""The command protocol and a Qt-free undo history with merging."""

from __future__ import annotations

from collections.abc import Hashable

from mpp_planner.i18n import _
from mpp_planner.project import Project, Step


class Command:
    """One undoable user action. Subclasses implement :meth:`redo` and :meth:`undo`."""

    text: str = ""
    #: commands with equal, non-None keys pushed one after another merge into one step
    merge_key: Hashable | None = None
    #: the rows its last do, undo or redo wrote (set by the undo stacks): the next undo or redo is refused
    #: when someone else changed them since (team mode; see Project.describing)
    step: Step | None = None

    def redo(self, project: Project) -> None:
        raise NotImplementedError

    def undo(self, project: Project) -> None:
        raise NotImplementedError

    def merge(self, other: "Command") -> bool:
        """Absorb ``other`` (already done) into this command; return False to refuse."""
        return False


class MacroCommand(Command):
    """Several commands as one undo step (undone in reverse order), written as ONE transaction: the
    project's edits nest, so a crash or a full disk half way leaves the file as it was before the step."""

    def __init__(self, text: str, commands: list[Command]):
        self.text = text
        self.commands = commands

    def redo(self, project: Project) -> None:
        with project.edit():
            for cmd in self.commands:
                cmd.redo(project)

    def undo(self, project: Project) -> None:
        with project.edit():
            for cmd in reversed(self.commands):
                cmd.undo(project)


class History:
    """Undo/redo stack without Qt. ``push`` runs the command first; a refused command is not kept."""

    def __init__(self, project: Project):
        self.project = project
        self.done: list[Command] = []
        self.undone: list[Command] = []

    def push(self, command: Command) -> None:
        with self.project.describing(command) as step:
            command.redo(self.project)
        command.step = step
        self.undone.clear()
        last = self.done[-1] if self.done else None
        if (last is not None and command.merge_key is not None and last.merge_key == command.merge_key
                and last.merge(command)):
            if last.step is None:
                last.step = step
            else:
                last.step.absorb(step)
            return
        self.done.append(command)

    def undo(self) -> bool:
        """Undo the last command; a refused undo (someone else changed its rows) leaves the history as it was."""
        if not self.done:
            return False
        cmd = self.done[-1]
        with self.project.describing(undo_text(cmd), check=cmd.step) as step:
            cmd.undo(self.project)
        cmd.step = step
        self.undone.append(self.done.pop())
        return True

    def redo(self) -> bool:
        if not self.undone:
            return False
        cmd = self.undone[-1]
        with self.project.describing(redo_text(cmd), check=cmd.step) as step:
            cmd.redo(self.project)
        cmd.step = step
        self.done.append(self.undone.pop())
        return True


def undo_text(command: Command) -> str:
    """What the change log says an undo of ``command`` was."""
    return _("Undo: {command}").format(command=command.text)


def redo_text(command: Command) -> str:
    return _("Redo: {command}").format(command=command.text)
