"""Undoable edits: one small class per user action, plain Python, run against a Project.

A command's ``redo`` makes the change through the project facade (which validates and
commits); ``undo`` puts things back. ``merge_key`` lets a drag or a run of nudges
collapse into one undo step. The Qt layer wraps these in ``QUndoCommand``; the
:class:`History` here is the same stack for tests, the CLI and fuzzing.
"""

from mpp_planner.commands.base import Command, History, MacroCommand
from mpp_planner.commands.generic import AddObjects, DeleteObjects, SetFields

__all__ = ["Command", "History", "MacroCommand", "AddObjects", "DeleteObjects", "SetFields"]
