"""Backup copies of a project: on demand (File ▸ Back up now) and automatically when opened.

Copies go to a ``Cadangan`` folder beside the project (where a manager looks for them, and
they travel with the project folder); when that folder cannot be written (a read-only share)
the caller may give a fallback folder. Each copy is a complete, closed ``.mpplan`` made through
SQLite's backup API, so it is consistent even while the project is open:

* ``<name>.YYYYmmdd-HHMMSS.mpplan``       made on demand, never deleted by the app;
* ``<name>.auto-YYYYmmdd-HHMMSS.mpplan``  made on open; only the newest *keep* are kept, and a copy
  identical to the previous automatic one is not kept twice.
"""

from __future__ import annotations

import filecmp
import glob
import os
import re
from datetime import datetime
from pathlib import Path

from mpp_planner.store.file import ProjectFile

BACKUP_FOLDER = "Cadangan"
DEFAULT_KEEP = 5
AUTO_TAG = "auto-"


def backup_folder(project_path: str | os.PathLike) -> Path:
    return Path(project_path).parent / BACKUP_FOLDER


def _writable_folder(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK)


def _unique(folder: Path, stem: str, tag: str, suffix: str) -> Path:
    """``<stem>.<tag>YYYYmmdd-HHMMSS<suffix>``; copies within the same second get -2, -3... after the
    highest number already used, so names keep sorting by age even after older ones were deleted."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base = f"{stem}.{tag}{stamp}"
    taken = [_age_key(p)[1] for p in folder.glob(f"{glob.escape(base)}*{suffix}")] if folder.is_dir() else []
    if not taken:
        return folder / f"{base}{suffix}"
    return folder / f"{base}-{max(taken) + 1}{suffix}"


def _age_key(path: Path) -> tuple:
    """Order by the time stamp in the name, then by the ``-2``, ``-3``... of copies made in the same second."""
    match = re.search(r"(\d{8}-\d{6})(?:-(\d+))?$", path.stem)
    if not match:
        return ("", 0, path.name)
    return (match.group(1), int(match.group(2) or 1), path.name)


def auto_backups(folder: Path, project_path: Path) -> list[Path]:
    """Automatic backups of this project in ``folder``, oldest first."""
    stem, suffix = project_path.stem, project_path.suffix
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.glob(f"{stem}.{AUTO_TAG}*{suffix}") if p.is_file()), key=_age_key)


def choose_folder(pfile: ProjectFile, fallback: Path | None = None) -> Path:
    folder = backup_folder(pfile.path)
    if _writable_folder(folder) or fallback is None:
        return folder
    return fallback


def backup_now(pfile: ProjectFile, *, folder: Path | None = None, fallback: Path | None = None) -> Path:
    """A copy made on demand; returns its path. Raises OSError when it cannot be written."""
    folder = folder or choose_folder(pfile, fallback)
    dest = _unique(folder, pfile.path.stem, "", pfile.path.suffix)
    return pfile.backup_to(dest)


def auto_backup(pfile: ProjectFile, keep: int = DEFAULT_KEEP, *, folder: Path | None = None,
                fallback: Path | None = None) -> Path | None:
    """The copy made when a project is opened; keeps the newest ``keep`` (0 = off).

    Returns the path of the newest automatic backup (None when off)."""
    if keep <= 0:
        return None
    folder = folder or choose_folder(pfile, fallback)
    previous = auto_backups(folder, pfile.path)
    dest = _unique(folder, pfile.path.stem, AUTO_TAG, pfile.path.suffix)
    pfile.backup_to(dest)
    if previous and filecmp.cmp(previous[-1], dest, shallow=False):
        dest.unlink()  # nothing changed since the last one: keep the older copy of the same state
        dest = previous[-1]
    for old in auto_backups(folder, pfile.path)[:-keep]:
        try:
            old.unlink()
        except OSError:
            pass
    return dest
