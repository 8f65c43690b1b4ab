"""MPP Planner: plan, allocate, inventory and budget a Mal Pelayanan Publik.

Layers (see README "Layout"; import-linter holds them): model <- store <- project <- standards <- reports
<- reads <- commands <- interaction | importers <- qt <- cli. Only ``mpp_planner.qt`` imports PySide6;
widgets read through ``reads``, edit through ``commands`` run by ``qt.undo.UndoStack.run`` and do long work
through ``qt.jobs.run_job``.
"""

__version__ = "0.1.0"
APP_NAME = "MPP Planner"
FILE_SUFFIX = ".mpplan"
