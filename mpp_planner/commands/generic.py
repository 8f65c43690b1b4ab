"""Generic edits most user actions are made of: set fields, add objects, delete objects."""

from __future__ import annotations

from typing import Any

from mpp_planner.commands.base import Command
from mpp_planner.i18n import _
from mpp_planner.model import Base
from mpp_planner.project import Project, RowSnapshot


class SetFields(Command):
    """Set attributes on objects of one class: ``{id: {field: new_value}}``.

    Old values are read when first done. With a ``merge_key``, consecutive pushes on the
    same objects merge (a drag or a run of nudges is one step).
    """

    def __init__(self, text: str, cls, changes: dict[Any, dict[str, Any]], merge_key=None):
        self.text = text
        self.cls = cls
        self.new = {k: dict(v) for k, v in changes.items()}
        self.old: dict[Any, dict[str, Any]] | None = None
        self.merge_key = merge_key

    def redo(self, project: Project) -> None:
        with project.edit():
            first = self.old is None
            old: dict[Any, dict[str, Any]] = {}
            for ident, fields in self.new.items():
                obj = project.get(self.cls, ident)
                if obj is None:
                    raise LookupError(_("Some of the objects to change no longer exist (they were deleted)."))
                if first:
                    old[ident] = {f: getattr(obj, f) for f in fields}
                self.apply(project, obj, fields, checking=first)
            if first:
                self.old = old

    def undo(self, project: Project) -> None:
        with project.edit():
            for ident, fields in (self.old or {}).items():
                self.apply(project, project.get(self.cls, ident), fields, checking=False)

    def apply(self, project: Project, obj, fields: dict[str, Any], *, checking: bool) -> None:
        """Set ``fields`` on ``obj``; subclasses add cross-field checks (``checking`` on the first do)."""
        for f, v in fields.items():
            setattr(obj, f, v)

    def merge(self, other: Command) -> bool:
        if not isinstance(other, SetFields) or other.cls is not self.cls or set(other.new) != set(self.new):
            return False
        # both are done (History and the Qt stack merge after the push), so both hold their old values
        assert self.old is not None and other.old is not None
        for ident, fields in other.new.items():
            self.new[ident].update(fields)
            for f in fields:
                self.old[ident].setdefault(f, other.old[ident][f])
        return True


class AddObjects(Command):
    """Add new ORM objects (built by the caller, not yet in the session).

    The first redo inserts them and records their ids; undo deletes them (and anything
    that came to depend on them); a later redo restores the very same rows.
    """

    def __init__(self, text: str, objects: list):
        self.text = text
        self.objects = objects
        self.snapshot: RowSnapshot | None = None
        self.ids: list[tuple[str, Any]] = []

    def redo(self, project: Project) -> None:
        if self.snapshot is not None:
            project.restore_rows(self.snapshot)
            return
        with project.edit() as s:
            s.add_all(self.objects)
            s.flush()
            self.ids = [(o.__table__.name, o.id) for o in self.objects]

    def undo(self, project: Project) -> None:
        by_table: dict[str, list] = {}
        for table, ident in self.ids:
            by_table.setdefault(table, []).append(ident)
        snap = RowSnapshot()
        with project.edit():
            # parents first, so the combined snapshot restores parents before children
            for table in [t.name for t in Base.metadata.sorted_tables if t.name in by_table]:
                part = project.delete_rows(table, by_table[table])
                snap.rows.extend(part.rows)
                snap.nulled.extend(part.nulled)
        self.snapshot = snap

    @property
    def created_ids(self) -> list[Any]:
        return [ident for _t, ident in self.ids]


class DeleteObjects(Command):
    """Delete objects of one class by id, with everything that cascades; undo restores all."""

    def __init__(self, text: str, cls, ids):
        self.text = text
        self.cls = cls
        self.ids = list(ids)
        self.snapshot: RowSnapshot | None = None

    def redo(self, project: Project) -> None:
        self.snapshot = project.delete_rows(self.cls.__tablename__, self.ids)

    def undo(self, project: Project) -> None:
        if self.snapshot is not None:
            project.restore_rows(self.snapshot)
