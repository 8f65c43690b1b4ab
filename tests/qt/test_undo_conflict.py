"""The undo stack in team mode: every edit is logged with its command's text, and an undo or redo of a command
whose object someone else changed since is a refusal — told in the "Not changed" box, the stack where it was,
the screens reset to the other person's version."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone


from mpp_planner.commands.generic import SetFields
from mpp_planner.model import Site
from mpp_planner.reads.history import history
from tests.helpers import file_rows


class Rename(SetFields):
    """A command whose text is only known as it runs (as AssignAgency's)."""

    def __init__(self, name: str):
        super().__init__("Rename", Site, {1: {"name": name}})

    def apply(self, project, obj, fields, *, checking: bool) -> None:
        if checking:
            self.text = f"Rename the MPP to {fields['name']}"
        super().apply(project, obj, fields, checking=checking)


def alice_renames(path, name: str) -> None:
    con = sqlite3.connect(path)
    try:
        con.execute("UPDATE site SET name = ?, row_version = row_version + 1 WHERE id = 1", (name,))
        con.execute('INSERT INTO change_log (at, "user", computer, table_name, row_key, verb, command, fields) '
                    "VALUES (?, 'alice', 'PC-ALICE', 'site', '1', 'update', 'Rename', '[\"name\"]')",
                    (datetime.now(timezone.utc).replace(tzinfo=None).isoformat(sep=" "),))
        con.commit()
    finally:
        con.close()


def test_the_log_names_the_command_with_its_final_text(stack):
    assert stack.run(Rename("MPP Baru"))
    stack.undo()
    stack.redo()
    assert [e.command for e in history(stack.project, "site", 1, limit=3)] == [
        "Redo: Rename the MPP to MPP Baru", "Undo: Rename the MPP to MPP Baru", "Rename the MPP to MPP Baru"]


def test_an_undo_of_something_someone_else_changed_since_is_refused_in_the_box(stack, dialog_texts):
    heard = []
    stack.project.subscribe(heard.append)
    assert stack.run(Rename("MPP Baru"))
    alice_renames(stack.project.path, "MPP Alice")
    stack.undo()
    title, text = dialog_texts[-1]
    assert title == "Not changed" and text.startswith("alice changed site MPP Alice at ")
    assert "your change was not saved and the screen now shows theirs" in text
    assert stack.index() == 1 and stack.canUndo()
    assert heard[-1].reset and stack.project.site.name == "MPP Alice"
    assert [row[1] for row in file_rows(stack.project.path, "site")] == ["MPP Alice"]


def test_a_redo_of_something_someone_else_changed_since_is_refused_too(stack, dialog_texts):
    assert stack.run(Rename("MPP Baru"))
    stack.undo()
    alice_renames(stack.project.path, "MPP Alice")
    stack.redo()
    assert dialog_texts[-1][1].startswith("alice changed site MPP Alice at ")
    assert stack.index() == 0 and stack.canRedo()
    assert [row[1] for row in file_rows(stack.project.path, "site")] == ["MPP Alice"]
