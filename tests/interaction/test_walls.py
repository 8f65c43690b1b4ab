"""Walls, doors and windows with the tools, in plan mm and without Qt: drawing a wall (clicks, a loop,
Enter, Backspace, Escape, 15° steps with Shift, snapping onto wall ends and centrelines), setting a door or
window in the wall under the pointer, sliding one along its wall, reshaping a wall by a corner, moving a
wall with its doors, and the room a double-click finds inside walls."""

from __future__ import annotations

import math

import pytest
from sqlalchemy import select

from mpp_planner.commands.plan import (AddRoomFromWalls, AddWall, EditOpening, EditWall, MoveObjects,
                                       PlaceOpening)
from mpp_planner.commands.snap import Box, Snapper, edge_lines
from mpp_planner.interaction import (Button, DrawRoomTool, DrawWallTool, Handle, HandleRole, Keys, Mod,
                                     PlaceDoorTool, PlaceWindowTool, PlanObject, SelectTool)
from mpp_planner.interaction.walls import arrow_slide, constrained, nearest_wall, side_of
from mpp_planner.model import Room, Wall, WallOpening
from mpp_planner.model.wall_geometry import OpeningShape, WallShape, point_at, project
from tests.interaction.fakes import GRIP_PX, FakeView, click, double_click, drag, key, move, press, release

PICK_ORDER = ("annotation", "counter", "item", "opening", "wall", "room")  # topmost first, as the scene's z


class WallsView(FakeView):
    """The fake view with the floor's walls and doors, picked and snapped as the scene does: a wall by its
    body, a door by its box in the wall; a selected wall's grips are its corners; walls offer their ends to
    snap to (not their boxes)."""

    def __init__(self, project):
        self.thickness = 150
        self.door = "door"
        self.wall_shown = None
        self.opening_shown = None
        self.along: dict = {}
        super().__init__(project)

    def load(self) -> None:
        kept = list(self.selected)
        super().load()
        s, fid = self.project.session, self.floor
        for w in s.scalars(select(Wall).where(Wall.floor_id == fid)):
            points = tuple(tuple(p) for p in w.points)
            box = Box.around(points)
            h = w.thickness / 2
            self.add(PlanObject(("wall", w.id), Box(box.left - h, box.top - h, box.right + h, box.bottom + h),
                                points=points, thickness=w.thickness))
        for o in s.scalars(select(WallOpening).where(WallOpening.floor_id == fid)):
            x, y, *_rest = point_at(o.wall.points, o.offset)
            half = max(o.width, o.wall.thickness) / 2
            shape = OpeningShape(o.id, o.wall_id, o.kind, o.offset, o.width, o.hinge, o.side)
            self.add(PlanObject(("opening", o.id), Box(x - half, y - half, x + half, y + half),
                                points=tuple(tuple(p) for p in o.wall.points), thickness=o.wall.thickness,
                                opening=shape))
        self.selected = [r for r in kept if r in self.objects]

    # --- picking and snapping as the scene does ------------------------------------------
    def grips(self):
        if self.handles_on and len(self.selected) == 1 and self.selected[0][0] == "wall":
            pts = list(self.objects[self.selected[0]].points)
            if len(pts) > 2 and pts[0] == pts[-1]:
                pts = pts[:-1]
            return [(Handle(HandleRole.VERTEX, i), p) for i, p in enumerate(pts)]
        return super().grips()

    def _under(self, obj, x, y) -> bool:
        if obj.kind == "wall":
            return project(obj.points, x, y)[1] <= obj.thickness / 2
        if obj.kind == "opening":
            along, dist = project(obj.points, x, y)
            return dist <= obj.thickness / 2 and abs(along - obj.opening.offset) <= obj.opening.width / 2
        return super()._under(obj, x, y)

    def pick(self, x, y):
        for handle, (hx, hy) in self.grips():
            if abs(hx - x) + abs(hy - y) <= GRIP_PX / self.scale:
                return handle
        for kind in PICK_ORDER:
            for obj in reversed([o for o in self.objects.values() if o.kind == kind]):
                if self._under(obj, x, y):
                    return self._shown(obj.ref)
        return None

    def snapper(self, exclude=(), extra_vertices=()) -> Snapper:
        boxes, vertices, outlines = [], [], []
        for ref, obj in self.objects.items():
            if ref in set(exclude) or obj.kind == "opening":
                continue
            if obj.outline is not None:
                outlines.append(obj.outline)
            elif obj.kind == "wall":
                pts = list(obj.points)
                vertices += pts[:-1] if len(pts) > 2 and pts[0] == pts[-1] else pts
            else:
                boxes.append(obj.bounds)
        xs, ys = edge_lines(boxes, vertices, outlines, aligned=[tuple(p) for p in extra_vertices])
        return Snapper(grid=self.grid, xs=xs, ys=ys, tolerance=GRIP_PX / self.scale, enabled=self.snapping_on)

    # --- the wall protocol ---------------------------------------------------------------
    def walls(self):
        return [o for o in self.objects.values() if o.kind == "wall"]

    def wall_thickness(self) -> int:
        return self.thickness

    def door_kind(self) -> str:
        return self.door

    def show_wall(self, points, thickness=0) -> None:
        self.calls.append(("wall", None if points is None else [list(p) for p in points], thickness))
        self.wall_shown = None if points is None else ([list(p) for p in points], thickness)

    def show_opening(self, wall, opening=None) -> None:
        self.calls.append(("opening", wall, opening))
        self.opening_shown = None if wall is None else (wall, opening)

    def preview_opening(self, ref, offset) -> None:
        self.calls.append(("preview_opening", ref, offset))
        self.along[ref] = offset


@pytest.fixture
def view(plan):
    return WallsView(plan)


def walls(plan) -> list[Wall]:
    return list(plan.session.scalars(select(Wall).order_by(Wall.id)))


def openings(plan) -> list[WallOpening]:
    return list(plan.session.scalars(select(WallOpening).order_by(WallOpening.id)))


def add_wall(view, points, thickness=150) -> int:
    assert view.push(AddWall(view.floor, points, thickness))
    return view.pushed[-1].created[0][1]


def add_door(view, wall_id, offset, kind="door", side="left") -> int:
    assert view.push(PlaceOpening(wall_id, kind, offset, side=side))
    return view.pushed[-1].created[0][1]


BOX = [[1000, 13000], [5000, 13000], [5000, 16000], [1000, 16000]]  # a 4 x 3 m box below the rooms


# --- drawing walls ----------------------------------------------------------------------------

def test_an_l_wall_drawn_by_clicks_and_a_double_click(view, plan):
    tool = DrawWallTool(view)
    click(tool, 1020, 13030)
    move(tool, 4000, 13040, buttons=Button.NONE)
    assert view.wall_shown == ([[1000, 13000], [4000, 13000]], 150)  # snapped, the toolbar's thickness
    assert view.asked("status")[-1] == ("Length 3.00 m, angle 0°",)
    click(tool, 4980, 12960)
    double_click(tool, 5010, 16030)
    (cmd,) = view.pushed
    assert isinstance(cmd, AddWall)
    (wall,) = walls(plan)
    assert wall.points == [[1000, 13000], [5000, 13000], [5000, 16000]] and wall.thickness == 150
    assert view.selected == [("wall", wall.id)]
    assert view.wall_shown is None and tool.points == []


def test_a_click_on_the_first_point_closes_a_loop_at_the_chosen_thickness(view, plan):
    view.thickness = 200
    tool = DrawWallTool(view)
    for x, y in BOX:
        click(tool, x, y)
    click(tool, 1080, 13050)  # 130 mm = 6.5 px from the first point: within 9 px
    (wall,) = walls(plan)
    assert wall.points == BOX + [BOX[0]] and wall.closed and wall.thickness == 200
    for x, y in BOX:  # a double-click on the first point: its first click closes the loop, that is all
        click(tool, x, y + 5000)
    double_click(tool, 1000, 18000)
    assert walls(plan)[1].points == [[x, y + 5000] for x, y in BOX + [BOX[0]]]
    assert len(walls(plan)) == 2 and view.messages == [] and tool.points == []


def test_enter_finishes_backspace_takes_a_point_back_escape_cancels(view, plan):
    tool = DrawWallTool(view)
    for x, y in ((1000, 13000), (5000, 13000), (5000, 16000)):
        click(tool, x, y)
    assert key(tool, Keys.BACKSPACE)
    assert view.wall_shown == ([[1000, 13000], [5000, 13000]], 150)
    assert key(tool, Keys.ENTER)
    assert walls(plan)[0].points == [[1000, 13000], [5000, 13000]]
    click(tool, 1000, 17000)
    key(tool, Keys.ESCAPE)
    assert tool.points == [] and view.wall_shown is None and view.tool is None
    key(tool, Keys.ENTER)  # nothing to finish
    assert len(walls(plan)) == 1
    key(tool, Keys.ESCAPE)
    assert view.tool == "select"


def test_a_single_point_is_not_a_wall(view, plan):
    tool = DrawWallTool(view)
    click(tool, 1000, 13000)
    key(tool, Keys.ENTER)
    assert walls(plan) == [] and view.messages[-1][0] == "A wall needs a second point: click where it ends."


def test_a_wall_too_short_is_refused_with_the_models_message(view, plan):
    tool = DrawWallTool(view)
    view.snapping_on = False
    click(tool, 1000, 13000)
    double_click(tool, 1050, 13000)
    assert walls(plan) == [] and "at least 10 cm long" in view.messages[-1][0]
    assert tool.points == [[1000, 13000], [1050, 13000]]  # kept for the user to go on


def test_shift_keeps_the_segment_to_15_degree_steps(view, plan):
    tool = DrawWallTool(view)
    click(tool, 1000, 13000)
    move(tool, 3000, 13500, mods=Mod.SHIFT, buttons=Button.NONE)  # 14° and 2.06 m: 15° and 2.1 m
    end = [1000 + round(2100 * math.cos(math.radians(15))), 13000 + round(2100 * math.sin(math.radians(15)))]
    assert view.wall_shown[0] == [[1000, 13000], end] == [[1000, 13000], [3028, 13544]]
    assert view.asked("status")[-1] == ("Length 2.10 m, angle 345°",)
    assert constrained((0, 0), 1000, 1050) == (1025, 1025)  # 45°, no grid
    click(tool, 3000, 13500, Mod.SHIFT)
    assert tool.points[-1] == end


def test_points_snap_to_wall_ends_and_onto_a_walls_centreline(view, plan):
    add_wall(view, [[1050, 13050], [5050, 13050]])  # off the grid
    add_wall(view, [[0, 20000], [3000, 24000]])  # a slanted one
    tool = DrawWallTool(view)
    click(tool, 1110, 13120)  # within 8 px of the end: onto it, not the grid
    assert tool.points == [[1050, 13050]]
    click(tool, 1560, 22090)  # 6 mm from the slanted wall: the grid point (1600, 22100) onto its centreline
    assert tool.points[-1] == [1584, 22112]
    offset, dist = project([[0, 20000], [3000, 24000]], 1584, 22112)
    assert dist < 1
    view.snapping_on = False
    click(tool, 1234, 17777)
    assert tool.points[-1] == [1234, 17777]


def test_a_press_dragged_starts_the_wall_at_the_press(view, plan):
    tool = DrawWallTool(view)
    drag(tool, (1000, 13000), (4000, 13000))
    assert tool.points == [[1000, 13000], [4000, 13000]]
    key(tool, Keys.ENTER)
    assert walls(plan)[0].points == [[1000, 13000], [4000, 13000]]


# --- doors and windows ------------------------------------------------------------------------

def test_a_door_follows_the_pointer_along_the_wall_and_swings_to_its_side(view, plan):
    wall_id = add_wall(view, BOX + [BOX[0]])
    tool = PlaceDoorTool(view)
    move(tool, 3030, 13040, buttons=Button.NONE)  # below the top wall: its right face (looking east)
    wall, ghost = view.opening_shown
    assert wall == WallShape(wall_id, ((1000, 13000), (5000, 13000), (5000, 16000), (1000, 16000), (1000, 13000)),
                             150)
    assert ghost == OpeningShape(0, wall_id, "door", 2000, 900, "start", "right")
    assert view.asked("status")[-1] == ("Door 0.90 m wide, 2.00 m from the wall's start",)
    move(tool, 3030, 12960, buttons=Button.NONE)
    assert view.opening_shown[1].side == "left"
    click(tool, 3030, 13040)
    (door,) = openings(plan)
    assert (door.wall_id, door.kind, door.offset, door.width, door.hinge, door.side) == \
        (wall_id, "door", 2000, 900, "start", "right")
    assert view.selected == [("opening", door.id)]


def test_near_a_corner_the_door_is_slid_to_fit_and_the_kind_is_the_toolbars(view, plan):
    wall_id = add_wall(view, BOX)
    view.door = "double_door"
    tool = PlaceDoorTool(view)
    click(tool, 4900, 13000)  # 3.9 m along: a 1.6 m door fits up to 3.2 m on the first side
    door = openings(plan)[0]
    assert (door.kind, door.width, door.offset) == ("double_door", 1600, 3200)
    assert "double door" in tool.hint()
    window = PlaceWindowTool(view)
    move(window, 5020, 14500, buttons=Button.NONE)
    assert view.opening_shown[1] == OpeningShape(0, wall_id, "window", 5500, 1200, "start", "left")
    click(window, 5020, 14500)
    assert [(o.kind, o.offset) for o in openings(plan)] == [("double_door", 3200), ("window", 5500)]


def test_away_from_walls_the_door_tool_says_so(view, plan):
    add_wall(view, [[1000, 13000], [1500, 13000]])  # too short for a door
    tool = PlaceDoorTool(view)
    move(tool, 8000, 20000, buttons=Button.NONE)
    assert view.opening_shown is None and view.asked("status")[-1] == ("Point at a wall.",)
    click(tool, 8000, 20000)
    assert view.messages[-1] == ("Point at a wall: doors and windows are set in walls.", True)
    move(tool, 1200, 13000, buttons=Button.NONE)
    assert view.opening_shown is None
    assert view.asked("status")[-1] == ("This wall is too short for it (0.90 m wide).",)
    click(tool, 1200, 13000)
    assert openings(plan) == [] and view.pushed[-1].__class__ is AddWall


def test_wall_helpers(view, plan):
    wall_id = add_wall(view, BOX)
    (wall,) = view.walls()
    assert nearest_wall([wall], 3000, 13070, 0)[0].ref == ("wall", wall_id)  # within its half thickness + 0
    assert nearest_wall([wall], 3000, 13080, 0) is None and nearest_wall([wall], 3000, 13080, 10) is not None
    assert side_of(wall, 2000, 3000, 12000) == "left" and side_of(wall, 5500, 6000, 14500) == "left"
    assert side_of(wall, 5500, 4000, 14500) == "right"


# --- with the select tool -----------------------------------------------------------------------

def test_dragging_a_door_slides_it_along_its_wall(view, plan):
    wall_id = add_wall(view, BOX)
    door_id = add_door(view, wall_id, 2000)
    tool = SelectTool(view)
    click(tool, 3000, 13000)
    assert view.selected == [("opening", door_id)]
    drag(tool, (3000, 13000), (3530, 13150))
    assert view.along[("opening", door_id)] == 2500  # the grid step along the wall
    cmd = view.pushed[-1]
    assert isinstance(cmd, EditOpening) and cmd.text == "Slide door"
    assert openings(plan)[0].offset == 2500
    drag(tool, (3500, 13000), (9000, 13000))  # past the corner: kept on the wall, slid to fit
    assert openings(plan)[0].offset == 3550
    view.history.undo()
    view.history.undo()
    assert openings(plan)[0].offset == 2000


def test_an_arrow_key_slides_a_door_along_its_wall(view, plan):
    wall_id = add_wall(view, BOX)
    door_id = add_door(view, wall_id, 2000)
    (door,) = [o for o in view.objects.values() if o.kind == "opening"]
    cmd = arrow_slide(door, 1, 0, 100, merge_key="k")
    assert isinstance(cmd, EditOpening) and cmd.new == {("opening", door_id): {"offset": 2100}}
    assert arrow_slide(door, -1, 0, 1000).new == {("opening", door_id): {"offset": 1000}}
    assert arrow_slide(door, 0, 1, 100) is None  # across the wall
    assert arrow_slide(door, -1, 0, 5000).new == {("opening", door_id): {"offset": 450}}  # as far as it fits
    view.push(PlaceOpening(wall_id, "door", 4500))  # on the second side (going down)
    second = [o for o in view.objects.values() if o.kind == "opening"][-1]
    assert arrow_slide(second, 0, 1, 100).new[second.ref] == {"offset": 4600}


def test_dragging_a_wall_moves_it_and_its_doors_go_along(view, plan):
    wall_id = add_wall(view, BOX)
    door_id = add_door(view, wall_id, 2000)
    tool = SelectTool(view)
    drag(tool, (5000, 14500), (6000, 15000))
    assert isinstance(view.pushed[-1], MoveObjects) and view.pushed[-1].deltas == {("wall", wall_id): (1000, 500)}
    assert walls(plan)[0].points == [[x + 1000, y + 500] for x, y in BOX]
    door = plan.session.get(WallOpening, door_id)
    assert door.offset == 2000 and point_at(door.wall.points, door.offset)[:2] == (4000, 13500)


def test_dragging_a_corner_reshapes_the_wall_and_a_loop_keeps_closed(view, plan):
    wall_id = add_wall(view, BOX + [BOX[0]])
    tool = SelectTool(view)
    click(tool, 3000, 16000)
    assert view.selected == [("wall", wall_id)]
    drag(tool, (5000, 16000), (6030, 17020))
    assert view.asked("preview_points")[-1] == (("wall", wall_id), [[1000, 13000], [5000, 13000], [6000, 17000],
                                                                    [1000, 16000], [1000, 13000]])
    assert isinstance(view.pushed[-1], EditWall)
    assert walls(plan)[0].points == [[1000, 13000], [5000, 13000], [6000, 17000], [1000, 16000], [1000, 13000]]
    drag(tool, (1000, 13000), (500, 12500))  # the first point: the last follows
    assert walls(plan)[0].points == [[500, 12500], [5000, 13000], [6000, 17000], [1000, 16000], [500, 12500]]


def test_a_reshape_the_model_refuses_is_told_and_taken_back(view, plan):
    wall_id = add_wall(view, [[1000, 13000], [5000, 13000]])
    add_door(view, wall_id, 2000)
    tool = SelectTool(view)
    click(tool, 2000, 13000)
    assert view.selected == [("wall", wall_id)]
    drag(tool, (5000, 13000), (1500, 13000))  # 0.5 m long: shorter than its door
    assert "shorter than its door" in view.messages[-1][0]
    assert ("clear_preview", [("wall", wall_id)]) in view.calls
    assert walls(plan)[0].points == [[1000, 13000], [5000, 13000]]


# --- rooms from walls ---------------------------------------------------------------------------

def test_a_double_click_inside_walls_makes_the_room_they_enclose(view, plan):
    add_wall(view, BOX + [BOX[0]])
    tool = DrawRoomTool(view)
    double_click(tool, 3000, 14500)
    cmd = view.pushed[-1]
    assert isinstance(cmd, AddRoomFromWalls)
    room = plan.session.get(Room, cmd.created[0][1])
    assert room.outline == [[1075, 13075], [4925, 13075], [4925, 15925], [1075, 15925]]
    assert view.selected == [("room", room.id)] and tool.points == [] and view.outline is None
    assert "double-click inside walls" in tool.hint()


def test_a_double_click_where_no_walls_enclose_says_so(view, plan):
    add_wall(view, BOX)  # open on one side
    tool = DrawRoomTool(view)
    double_click(tool, 3000, 14500)
    assert view.messages[-1][0] == "No walls enclose this point: draw the room's corners instead."
    assert tool.points == [] and len(plan.all(Room)) == 3
    press(tool, 0, 0)  # the tool goes on as before
    release(tool, 0, 0)
    assert tool.points == [[0, 0]]
