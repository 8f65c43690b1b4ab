"""What can go wrong when opening a project file, as messages a manager can act on."""

from __future__ import annotations

from mpp_planner.i18n import N_, _


class ProjectFileError(Exception):
    """Base: the file could not be opened as a project. ``str()`` is a user-facing message."""

    def __init__(self, path, message: str):
        super().__init__(message)
        self.path = str(path)
        self.message = message

    def __str__(self) -> str:
        return self.message


class FileMissingError(ProjectFileError):
    def __init__(self, path):
        super().__init__(path, _("The file '{path}' does not exist.").format(path=path))


class NotAProjectError(ProjectFileError):
    def __init__(self, path, detail: str = ""):
        msg = _("'{path}' is not an MPP Planner project file.").format(path=path)
        if detail:
            msg += " " + detail
        super().__init__(path, msg)


class DamagedProjectError(ProjectFileError):
    """The file is ours but cannot be used as it is; the message suggests a backup or a repair."""

    MAX_DETAIL = 300

    def __init__(self, path, detail: str = ""):
        msg = _("The project file '{path}' is damaged and cannot be opened.").format(path=path)
        detail = _one_line(detail, self.MAX_DETAIL)
        if detail:
            msg += " " + detail
        msg += " " + _("Open a backup copy, or save what can be read with: mpp-planner repair FILE -o NEW.mpplan")
        super().__init__(path, msg)
        self.detail = detail


def _one_line(text: str, limit: int) -> str:
    """SQLite's multi-line reports as one short line."""
    lines = [ln.strip() for ln in str(text or "").splitlines() if ln.strip() and not ln.strip().startswith("***")]
    line = "; ".join(lines)
    if len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    if line and line[-1] not in ".…":
        line += "."
    return line


class NewerSchemaError(ProjectFileError):
    def __init__(self, path, file_version: str, app_version: str):
        super().__init__(path, _(
            "'{path}' was saved by a newer MPP Planner (schema {file}); this version ({app}) reads schema "
            "{app_schema} and older. Please update MPP Planner.").format(
                path=path, file=file_version, app=_app_version(), app_schema=app_version))
        self.file_version = file_version
        self.app_version = app_version


class FolderReadOnlyError(ProjectFileError):
    """The project's folder cannot be written (a CD, a read-only share): it can only be opened read-only."""

    def __init__(self, path):
        from pathlib import Path

        self.folder = str(Path(path).parent)
        super().__init__(path, _("'{path}' is in a folder that cannot be written to ('{folder}'), so it can only be "
                                 "opened read-only.").format(path=path, folder=self.folder))


class FileReadOnlyError(ProjectFileError):
    """The project file itself cannot be written (its read-only attribute, its permissions) while its
    folder can: it can only be opened read-only."""

    def __init__(self, path, *, replacing: bool = False):
        if replacing:  # a new project was to take its place
            message = _("'{path}' is read-only (a file attribute or its permissions), so it cannot be overwritten.")
        else:
            message = _("'{path}' is read-only (a file attribute or its permissions), so it can only be opened "
                        "read-only.")
        super().__init__(path, message.format(path=path))


class ProjectLockedError(ProjectFileError):
    def __init__(self, path, holder: str):
        super().__init__(path, _("'{path}' is open in another MPP Planner ({holder}).").format(
            path=path, holder=holder))
        self.holder = holder


def _app_version() -> str:
    from mpp_planner import __version__

    return __version__


#: kinds of storage failure during an edit or a write, each with what the manager can do about it
STORAGE_FAILURES = {
    "locked": N_("The project file is busy (another program holds it). Wait a moment and try again."),
    "readonly": N_("The project file or its folder has become read-only, so the change cannot be saved."),
    "full": N_("The disk is full, so the change cannot be saved. Free some space and try again."),
    "io": N_("The disk could not be read or written (a removed USB stick, a lost network folder, a failing "
             "disk)."),
}


def storage_failure(exc: BaseException) -> str | None:
    """The kind of storage failure ``exc`` is ("locked", "readonly", "full", "io"), or None when it is
    not one (a refused edit, a bug). Looks through SQLAlchemy's wrapper to the driver's error."""
    import errno
    import sqlite3

    inner = getattr(exc, "orig", None) or wrapped_os_error(exc) or exc
    if isinstance(inner, OSError) and inner.errno is not None:  # (a refusal may be a PermissionError)
        if inner.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
            return "full"
        if inner.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return "readonly"
        return "io"
    if isinstance(inner, sqlite3.IntegrityError):
        return None  # a broken rule (a duplicate, a missing link): the edit is refused, storage is fine
    if isinstance(inner, sqlite3.Error):
        text = str(inner).lower()
        if "locked" in text or "busy" in text:
            return "locked"
        if "full" in text:
            return "full"
        if "readonly" in text or "read-only" in text:
            return "readonly"
        if isinstance(inner, (sqlite3.OperationalError, sqlite3.DatabaseError)):
            return "io"
    from sqlalchemy.exc import DBAPIError, OperationalError

    if isinstance(exc, (OperationalError, DBAPIError)) and inner is exc:
        return "io"
    return None


def storage_message(exc: BaseException) -> str | None:
    """One translated sentence for a storage failure (see :func:`storage_failure`), or None."""
    kind = storage_failure(exc)
    return _(STORAGE_FAILURES[kind]) if kind else None


def wrapped_os_error(exc: BaseException) -> OSError | None:
    """The operating system's error inside ``exc``: ``exc`` itself, or the OSError a writer library
    wrapped in its own exception (XlsxWriter's ``FileCreateError(oserror)``, ``raise X from oserror``)."""
    if isinstance(exc, OSError):
        return exc
    for inner in (exc.args[0] if exc.args else None, exc.__cause__):
        if isinstance(inner, OSError):
            return inner
    return None


#: why a file could not be written, for "Cannot write '{path}': {reason}" (other errors: the system's words)
WRITE_FAILURES = {
    "full": N_("the disk is full; free some space and try again"),
    "readonly_disk": N_("the disk is read-only"),
    "io": N_("the disk could not be written (a removed USB stick, a lost network folder, a failing disk)"),
}


def write_failure(exc: BaseException) -> str | None:
    """Why writing a file failed, as a short translated clause, when ``exc`` is (or wraps) an OSError;
    None otherwise (a refusal, a bug: not a failure of the disk)."""
    import errno

    error = wrapped_os_error(exc)
    if error is None:
        return None
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return _(WRITE_FAILURES["full"])
    if error.errno == errno.EROFS:
        return _(WRITE_FAILURES["readonly_disk"])
    if error.errno == errno.EIO:
        return _(WRITE_FAILURES["io"])
    return error.strerror or str(error) or type(error).__name__
