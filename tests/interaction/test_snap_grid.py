"""Grid snapping lands on grid multiples: an object's edge pulls only what comes near that object (its
side, its corner), never a point across the floor that happens to be in line with it (issue 21: points
snapped to 35,925 m on a 100 mm grid). The outline being drawn still lines up across the plan."""

from mpp_planner.commands.plan import PlaceCounter
from mpp_planner.commands.snap import Box, SnapLine, Snapper, edge_lines
from mpp_planner.interaction import Button, DimensionTool, DrawRoomTool, PlaceItemTool, SelectTool
from mpp_planner.model import Annotation, InventoryItem, ItemType, Room
from tests.interaction.fakes import click, drag, move, release

ODD = Box(10075, 1600, 11925, 2400)  # a counter 1.85 m wide: its sides are off the 100 mm grid


def snapper(boxes=(ODD,), vertices=(), outlines=(), aligned=(), tolerance=160) -> Snapper:
    xs, ys = edge_lines(boxes, vertices, outlines, aligned)
    return Snapper(grid=100, xs=xs, ys=ys, tolerance=tolerance)


def point(s: Snapper, x, y):
    r = s.point(x, y)
    return (r.x, r.y), (r.guide_x, r.guide_y)


def test_a_point_in_line_with_a_far_edge_lands_on_the_grid():
    s = snapper()
    assert point(s, 11930, 9030) == ((11900, 9000), (None, None))  # 6.6 m below the counter
    assert point(s, 11930, 2620) == ((11900, 2600), (None, None))  # 220 mm below: out of reach
    assert point(s, 11930, 2500) == ((11925, 2400), (11925, 2400))  # 100 mm from its corner: onto it
    assert point(s, 11990, 2130) == ((11925, 2000), (11925, 2000))  # beside it: its side and centre line
    assert point(s, 11000, 2390) == ((11000, 2400), (11000, 2400))  # on it: its centre line and bottom edge
    assert point(s, 9000, 2030) == ((9000, 2000), (None, None))  # 1 m left of it, level with its centre: grid


def test_room_sides_pull_along_their_length_and_slanted_ones_at_their_corners():
    hall = [(0, 0), (10000, 0), (10000, 8000), (0, 8000)]
    s = snapper(boxes=(), outlines=[hall])
    assert point(s, 9950, 4030) == ((10000, 4000), (10000, None))  # the middle of the right wall
    assert point(s, 10130, 12000) == ((10100, 12000), (None, None))  # below the hall, in line with its wall
    wedge = [(0, 0), (5050, 1030), (0, 3000)]
    s = snapper(boxes=(), outlines=[wedge])
    assert point(s, 5000, 1000) == ((5050, 1030), (5050, 1030))  # at its corner
    assert point(s, 2600, 500) == ((2600, 500), (None, None))  # along a slanted side: the grid


def test_aligned_points_line_up_across_the_whole_plan():
    s = snapper(boxes=(), aligned=[(11925, 2400)])
    assert point(s, 11930, 9030) == ((11925, 9000), (11925, None))


def test_plain_values_are_lines_across_the_plan():
    s = Snapper(grid=100, xs=[11925], ys=[], tolerance=160)
    assert s.xs == [SnapLine(11925)] and point(s, 11930, 9030)[0] == (11925, 9000)


def test_a_moved_box_snaps_onto_boxes_beside_it_only():
    s = snapper()
    chair = Box(0, 0, 500, 500)
    r = s.move(chair, 9520, 1800)  # its right edge 55 mm short of the counter's left side, beside it
    assert (r.x, r.y, r.guide_x, r.guide_y) == (9575, 1750, 10075, 2000)  # centres level too
    r = s.move(chair, 9520, 7000)  # the same, 4.6 m below: onto the grid
    assert (r.x, r.y, r.guide_x, r.guide_y) == (9500, 7000, None, None)


def test_a_resized_side_snaps_onto_a_side_beside_it():
    s = snapper()
    # a box 1600..2650 high, its right side dragged by the grip 250 mm below the counter's corner
    r = s.point(10040, 2660, reach=Box(8000, 1600, 10040, 2660))
    assert (r.x, r.y, r.guide_x) == (10075, 2700, 10075)
    r = s.point(10040, 2660)  # the grip alone is out of reach
    assert (r.x, r.guide_x) == (10000, None)


# --- through the tools, on a floor of the test project -----------------------------------------

def odd_item(view) -> None:
    """A 650 mm square counter centred at (5, 5) m: sides at 4.675 and 5.325 m (in the model, which the
    fake view reads back after each command)."""
    assert view.push(PlaceCounter(view.floor, 5000, 5000, label="X", size=(650, 650)))


def test_dimension_ends_far_from_objects_are_grid_multiples(view, plan):
    odd_item(view)
    tool = DimensionTool(view)
    click(tool, 5330, 9030)
    click(tool, 8040, 8990)
    click(tool, 5330, 5400)  # next to the cabinet's corner: onto it
    click(tool, 5360, 8000)  # in line with the first end (which is off the grid): it lines up
    dims = sorted((a.x1, a.y1, a.x2, a.y2) for a in plan.all(Annotation))
    assert dims == [(5300, 9000, 8000, 9000), (5325, 5325, 5325, 8000)]


def test_room_corners_far_from_objects_are_grid_multiples(view, plan):
    odd_item(view)
    tool = DrawRoomTool(view)
    for x, y in [(4670, 9000), (8000, 9030), (8000, 12000), (4680, 12000)]:
        click(tool, x, y)
    release(tool, 4680, 12000)
    tool.finish()
    room = [r for r in plan.all(Room) if r.outline[0] == [4700, 9000]]
    assert room and room[0].outline == [[4700, 9000], [8000, 9000], [8000, 12000], [4700, 12000]]


def test_placed_and_moved_items_land_on_the_grid_away_from_others(view, plan):
    odd_item(view)
    chair = plan.all(ItemType, ItemType.id)[0]  # 500 x 500 mm
    tool = PlaceItemTool(view, chair.id, chair.name, chair.width, chair.depth)
    move(tool, 5310, 7010, buttons=Button.NONE)  # its centre in line with the cabinet's side, 2 m below
    assert view.ghost[0] == (5300, 7000) and view.guides == (None, None)  # the grid, not 5.325 m
    click(tool, 5310, 7010)
    placed = plan.get(InventoryItem, view.pushed[-1].created[0][1])
    assert (placed.x, placed.y) == (5300, 7000)
    select = SelectTool(view)
    drag(select, (5300, 7000), (5320, 11010))  # straight down: the grid
    moved = plan.get(InventoryItem, placed.id)
    assert (moved.x, moved.y) == (5300, 11000)
    drag(select, (5300, 11000), (5620, 5010))  # up beside the cabinet: its left edge onto the cabinet's right
    moved = plan.get(InventoryItem, placed.id)
    assert (moved.x, moved.y) == (5325 + 250, 5000)
