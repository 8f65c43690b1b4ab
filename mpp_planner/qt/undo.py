"""The one way to run an edit: Qt's undo stack around our plain commands.

:meth:`UndoStack.run` is what every screen calls. A refused edit (the model's validation, a missing
object, a read-only project) is told where the user is (the screen's own message line, or a box over
the dialog); a storage failure (file locked, read-only, disk full, I/O) gets one dialog and a log line.
Either way the project's transaction was rolled back, so the file and the screens stay as they were.
Undo and redo go through the same handling: a failed undo leaves the stack where it was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtGui import QAction, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from mpp_planner.commands import Command
from mpp_planner.commands.base import redo_text, undo_text
from mpp_planner.i18n import _
from mpp_planner.model import ValidationError
from mpp_planner.project import Project
from mpp_planner.store.errors import storage_failure, storage_message

log = logging.getLogger(__name__)

#: what a command raises when the edit is not allowed (shown as the reason, never as a crash)
REFUSALS = (ValidationError, LookupError, ValueError, PermissionError)

Report = Callable[[str], None]


def refusal_text(exc: BaseException) -> str:
    """The reason a refused edit gives, as one line for the user."""
    if isinstance(exc, ValidationError):
        return exc.message
    return str(exc.args[0]) if exc.args else (str(exc) or type(exc).__name__)


def show_storage_error(parent: QWidget | None, exc: BaseException, what: str = "") -> None:
    """The one dialog for a change that could not be written: what happened, and that nothing was lost.
    (SQLite's own words go to the log, not into the dialog.)"""
    text = storage_message(exc) or _("The change could not be saved.")
    body = (what + "\n\n" if what else "") + text + "\n\n" + _(
        "Nothing was changed: the project is as it was before this step, and everything saved earlier is safe.")
    box = QMessageBox(QMessageBox.Critical, _("Change not saved"), body, QMessageBox.Ok, parent)
    box.setObjectName("storage_error")
    box.exec()


class _QtCommand(QUndoCommand):
    _MERGE_IDS: dict = {}

    def __init__(self, project: Project, command: Command):
        super().__init__(command.text)
        self.project = project
        self.command = command
        self.done_by_stack = True  # the stack ran it already (push_command, or undo/redo below)

    def id(self) -> int:  # noqa: A003 - Qt's name
        key = self.command.merge_key
        if key is None:
            return -1
        return _QtCommand._MERGE_IDS.setdefault(key, len(_QtCommand._MERGE_IDS) + 1)

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        if not isinstance(other, _QtCommand) or other.command.merge_key != self.command.merge_key:
            return False
        if not self.command.merge(other.command):
            return False
        if self.command.step is None:
            self.command.step = other.command.step
        else:
            self.command.step.absorb(other.command.step)
        return True

    def redo(self) -> None:
        if self.done_by_stack:
            self.done_by_stack = False
            return
        self.command.redo(self.project)

    def undo(self) -> None:
        if self.done_by_stack:
            self.done_by_stack = False
            return
        self.command.undo(self.project)


class UndoStack(QUndoStack):
    """The project's undo history and its edit runner (one per open project)."""

    def __init__(self, project: Project, parent=None):
        super().__init__(parent)
        self.project = project
        self.window: QWidget | None = parent if isinstance(parent, QWidget) else None

    def dispose(self) -> None:
        """Drop the history now, while every command is alive. Qt deletes the commands it holds when the
        stack goes; left to Python's cycle collector, that can happen after some of the commands' Python
        halves were already torn down (a crash seen in the test suite). Call when the project closes."""
        self.blockSignals(True)
        self.clear()

    # --- running edits ---------------------------------------------------------------
    def run(self, command: Command | Callable[[], Command], *, origin: str | None = None,
            report: Report | None = None, parent: QWidget | None = None) -> bool:
        """Run ``command`` (or build it first, when given a function) and keep it for undo.

        Returns True when the edit was made. A refusal goes to ``report`` (the screen's message line)
        or, without one, to a warning box over ``parent``; a storage failure to one error dialog.
        """
        try:
            cmd = command if isinstance(command, Command) else command()
            with self.project.acting_for(origin):
                self.push_command(cmd)
        except BaseException as exc:  # noqa: BLE001 - every failure is told to the user, then logged
            self.failed(exc, report=report, parent=parent, origin=origin)
            return False
        return True

    def push_command(self, command: Command) -> None:
        """Run the command first: a refused edit raises and is never pushed. (Screens call :meth:`run`.)
        The change log names the command for every row it wrote."""
        with self.project.describing(command) as step:
            command.redo(self.project)
        command.step = step
        self.push(_QtCommand(self.project, command))

    def failed(self, exc: BaseException, *, report: Report | None = None, parent: QWidget | None = None,
               origin: str | None = None) -> None:
        """Tell the user why an edit did not happen (see :meth:`run`); re-raise what is not ours."""
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise exc
        kind = storage_failure(exc)
        if kind is not None:
            log.warning("edit not saved (%s)", kind, exc_info=exc)
            self.project.announce_reset(origin)  # screens drop any preview of the lost change
            show_storage_error(parent or self.window, exc)
            return
        if isinstance(exc, REFUSALS):
            text = refusal_text(exc)
            log.info("edit refused: %s", text)
            if report is not None:
                report(text)
            else:
                QMessageBox.warning(parent or self.window, _("Not changed"), text)
            return
        raise exc  # a bug: the crash handler logs it and offers a report

    # --- undo and redo with the same handling ----------------------------------------------
    def undo(self) -> None:
        self._step(-1)

    def redo(self) -> None:
        self._step(+1)

    def _step(self, direction: int) -> None:
        index = self.index()
        target = index - 1 if direction < 0 else index
        if not 0 <= target < self.count():
            return
        qcmd = self.command(target)
        if not isinstance(qcmd, _QtCommand):  # pragma: no cover - only our commands are pushed
            QUndoStack.undo(self) if direction < 0 else QUndoStack.redo(self)
            return
        cmd = qcmd.command
        try:  # refused (EditConflict) when someone else changed what the command wrote since
            with self.project.acting_for("undo"), self.project.describing(
                    undo_text(cmd) if direction < 0 else redo_text(cmd), check=cmd.step) as step:
                if direction < 0:
                    cmd.undo(self.project)
                else:
                    cmd.redo(self.project)
        except BaseException as exc:  # noqa: BLE001 - told to the user; the stack stays where it was
            self.failed(exc)
            return
        cmd.step = step
        qcmd.done_by_stack = True  # Qt's own undo()/redo() calls it next: already done
        if direction < 0:
            QUndoStack.undo(self)
        else:
            QUndoStack.redo(self)

    def make_undo_action(self, parent, text: str) -> QAction:
        """An Undo action wired to this stack's :meth:`undo` (Qt's createUndoAction would bypass it)."""
        return self._make_action(parent, text, self.undo, self.canUndoChanged, self.canUndo)

    def make_redo_action(self, parent, text: str) -> QAction:
        return self._make_action(parent, text, self.redo, self.canRedoChanged, self.canRedo)

    @staticmethod
    def _make_action(parent, text, slot, changed, can) -> QAction:
        action = QAction(text, parent)
        action.setEnabled(can())
        changed.connect(action.setEnabled)
        action.triggered.connect(slot)
        return action
