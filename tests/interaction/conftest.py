"""A real project with the plan of ``tests.helpers.add_plan`` and three counters, shown by a
``FakeView``: the lobby (0..10 m), the desk room "Meja Info" (1..3 m) in it, the service hall
(10..16 m) and counters centred at x = 11, 13, 15 m, y = 2 m (1.8 x 0.8 m). The file is built
once and copied for each test."""

import shutil

import pytest

from mpp_planner.commands import History
from mpp_planner.commands.plan import PlaceCounter
from mpp_planner.model import Floor, Room
from mpp_planner.project import Project
from tests.helpers import add_plan
from tests.interaction.fakes import FakeView


@pytest.fixture(scope="session")
def plan_master(tmp_path_factory):
    path = tmp_path_factory.mktemp("interaction") / "plan.mpplan"
    project = Project.create(path, site_name="MPP Uji")
    add_plan(project)
    fid = project.all(Floor)[0].id
    history = History(project)
    for x in (11000, 13000, 15000):
        history.push(PlaceCounter(fid, x, 2000))
    project.close()
    return path


@pytest.fixture
def plan(plan_master, tmp_path):
    path = tmp_path / "plan.mpplan"
    shutil.copy2(plan_master, path)
    project = Project.open(path)
    yield project
    project.close()


@pytest.fixture
def view(plan):
    return FakeView(plan)


@pytest.fixture
def rooms(plan):
    return {r.name: ("room", r.id) for r in plan.all(Room)}


@pytest.fixture
def counters(view):
    return sorted(ref for ref in view.objects if ref[0] == "counter")
