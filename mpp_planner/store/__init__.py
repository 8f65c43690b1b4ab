"""The project file: one SQLite database per MPP (``.mpplan``).

Only this package opens engines. It creates files (schema + Alembic stamp),
recognises and refuses what is not ours (foreign, newer or damaged files stay
untouched), locks a file against a second writer (``lock``), migrates older files
after a backup, makes backup copies (``backup``) and salvages damaged files (``repair``).
"""

from mpp_planner.store.errors import (FileMissingError, FolderReadOnlyError, NewerSchemaError, NotAProjectError,
                                     ProjectFileError, DamagedProjectError, ProjectLockedError)
from mpp_planner.store.file import (APPLICATION_ID, SCHEMA_HEAD, ProjectFile, backup_copy, create_project_file,
                                    inspect_file, open_project_file)

__all__ = [
    "APPLICATION_ID", "SCHEMA_HEAD", "ProjectFile", "ProjectFileError", "NotAProjectError", "NewerSchemaError",
    "FileMissingError", "DamagedProjectError", "ProjectLockedError", "FolderReadOnlyError", "backup_copy",
    "create_project_file", "inspect_file", "open_project_file",
]
