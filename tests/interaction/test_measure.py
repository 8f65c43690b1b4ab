"""Two-point tools: dimension lines and calibrating the background; setting its origin."""

from mpp_planner.commands.plan import AddAnnotation, CalibrateBackground, SetBackgroundOrigin
from mpp_planner.interaction import Button, CalibrateTool, DimensionTool, Keys, Mod, SetOriginTool
from mpp_planner.model import Annotation
from tests.interaction.fakes import FakeView, click, drag, key, move

NO_BACKGROUND = ("This floor has no background image; import one first.", True)


def dims(plan):
    return [(a.kind, a.x1, a.y1, a.x2, a.y2) for a in plan.all(Annotation, Annotation.id)]


def test_a_dimension_line_by_two_clicks_or_by_a_drag(view, plan):
    tool = DimensionTool(view)
    click(tool, 0, -1000)
    assert view.pushed == [] and view.measure == ((0, -1000), None)  # waits for the second point
    move(tool, 5020, -1000, buttons=Button.NONE)
    assert view.measure == ((0, -1000), (5000, -1000))
    assert view.asked("status")[-1] == ("5.00 m",)
    click(tool, 10000, -1000)
    assert view.measure is None
    drag(tool, (0, -2000), (5000, -2000))
    assert all(isinstance(c, AddAnnotation) for c in view.pushed)
    assert dims(plan) == [("dimension", 0, -1000, 10000, -1000), ("dimension", 0, -2000, 5000, -2000)]
    assert view.selected == view.pushed[-1].created


def test_shift_keeps_the_line_straight_and_the_same_point_twice_is_nothing(view, plan):
    tool = DimensionTool(view)
    click(tool, 0, -1000)
    click(tool, 5000, -1300, Mod.SHIFT)
    click(tool, 0, -3000)
    click(tool, 200, -5000, Mod.SHIFT)
    assert dims(plan) == [("dimension", 0, -1000, 5000, -1000), ("dimension", 0, -3000, 0, -5000)]
    click(tool, 3000, -3000)
    click(tool, 3010, -3020)  # snaps onto the first point
    assert len(view.pushed) == 2 and view.messages == []


def test_escape_drops_the_first_point_then_returns_to_select(view):
    tool = DimensionTool(view)
    click(tool, 0, -1000)
    key(tool, Keys.ESCAPE)
    assert view.measure is None and view.tool is None
    click(tool, 4000, -1000)  # a new first point, not the end of the old line
    assert view.pushed == []
    key(tool, Keys.ESCAPE)
    key(tool, Keys.ESCAPE)
    assert view.tool == "select"


def test_calibrating_needs_a_background():
    view = FakeView(background=False)
    tool = CalibrateTool(view)
    click(tool, 1000, 1000)
    assert view.messages == [NO_BACKGROUND] and view.measure is None
    click(tool, 3000, 1000)
    assert view.pushed == []


def test_calibrating_takes_two_unsnapped_points_and_the_typed_distance():
    view = FakeView(background=True)
    tool = CalibrateTool(view)
    view.answers["distance"] = "5,5"
    click(tool, 1003, 2007)
    assert view.pushed == []  # one point is not enough
    click(tool, 3001, 2004)
    (cmd,) = view.pushed
    assert isinstance(cmd, CalibrateBackground)
    assert (cmd.floor_id, cmd.p1, cmd.p2, cmd.metres) == (1, (1003, 2007), (3001, 2004), 5.5)
    assert view.messages == [("Background calibrated.", False)] and view.tool == "select"


def test_calibrating_stops_when_the_distance_is_cancelled_or_refused():
    view = FakeView(background=True)
    tool = CalibrateTool(view)
    click(tool, 1000, 1000)
    click(tool, 3000, 1000)
    view.answers["distance"] = "lima"
    click(tool, 1000, 1000)
    click(tool, 3000, 1000)
    assert view.pushed == [] and view.tool is None
    assert view.messages == [("The distance must be a number of metres.", True)]


def test_the_origin_is_the_clicked_point_of_the_background():
    view = FakeView(background=False)
    tool = SetOriginTool(view)
    click(tool, 1234.4, 567.6)
    assert view.messages == [NO_BACKGROUND] and view.pushed == []
    view.background = True
    click(tool, 1234.4, 567.6)
    (cmd,) = view.pushed
    assert isinstance(cmd, SetBackgroundOrigin) and (cmd.floor_id, cmd.point) == (1, (1234, 568))
    assert view.tool == "select"
