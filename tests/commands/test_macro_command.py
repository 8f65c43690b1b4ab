"""A command made of several steps is one transaction: the file never holds half of it."""

from __future__ import annotations

from mpp_planner.commands import History, MacroCommand, SetFields
from mpp_planner.model import Floor, ValidationError
from tests.helpers import file_rows


def floor_names(project):
    return sorted(name for (name,) in project.session.query(Floor.name))


def test_all_steps_are_committed_together(demo_project, monkeypatch):
    p = demo_project
    floors = p.all(Floor)
    commits = []
    real = p.session.commit
    monkeypatch.setattr(p.session, "commit", lambda: (commits.append(1), real())[1])
    macro = MacroCommand("rename", [SetFields("a", Floor, {floors[0].id: {"name": "Lantai A"}}),
                                    SetFields("b", Floor, {floors[1].id: {"name": "Lantai B"}})])
    History(p).push(macro)
    assert len(commits) == 1
    assert {"Lantai A", "Lantai B"} <= {r[1] for r in file_rows(p.path, "floor")}
    macro.undo(p)
    assert len(commits) == 2 and "Lantai A" not in floor_names(p)


def test_a_refused_step_leaves_nothing_of_the_earlier_ones(demo_project):
    p = demo_project
    floors = p.all(Floor)
    before = file_rows(p.path, "floor")
    macro = MacroCommand("rename", [SetFields("a", Floor, {floors[0].id: {"name": "Lantai A"}}),
                                    SetFields("b", Floor, {floors[1].id: {"name": ""}})])
    try:
        History(p).push(macro)
    except ValidationError:
        pass
    else:
        raise AssertionError("the empty name was not refused")
    assert file_rows(p.path, "floor") == before and "Lantai A" not in floor_names(p)
