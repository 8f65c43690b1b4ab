"""MPP Planner: plan, allocate, inventory and budget a Mal Pelayanan Publik.

Layers (see README): model <- store <- project <- commands <- qt; reports and
standards read the model. Only ``mpp_planner.qt`` imports PySide6.
"""

__version__ = "0.1.0"
APP_NAME = "MPP Planner"
FILE_SUFFIX = ".mpplan"
