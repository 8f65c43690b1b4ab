"""Placing counters, catalog items and text labels at the snapped point."""

from mpp_planner.commands.plan import AddAnnotation, PlaceCounter, PlaceItem
from mpp_planner.interaction import Button, Mod, PlaceCounterTool, PlaceItemTool, TextTool
from mpp_planner.model import Counter, InventoryItem, ItemType, Room
from tests.interaction.fakes import click, move


def test_a_counter_lands_at_the_snapped_centre_and_the_tool_stays_on(view, plan):
    tool = PlaceCounterTool(view)
    move(tool, 5030, 6040, buttons=Button.NONE)
    assert view.ghost == ((5000, 6000), (1800, 800), "Counter")
    click(tool, 5030, 6040)
    (cmd,) = view.pushed
    assert isinstance(cmd, PlaceCounter) and (cmd.floor_id, cmd.x, cmd.y) == (view.floor, 5000, 6000)
    counter = plan.get(Counter, cmd.created[0][1])
    assert (counter.label, counter.x, counter.y, counter.width, counter.depth) == ("L1-04", 5000, 6000, 1800, 800)
    assert view.selected == cmd.created
    click(tool, 5030, 4040, Mod.ALT)  # Alt: exactly where the pointer is
    assert (view.pushed[-1].x, view.pushed[-1].y) == (5030, 4040)
    assert view.tool is None
    tool.deactivate()
    assert view.ghost is None and view.guides == (None, None)


def test_a_counter_lines_up_with_its_neighbours(view, counters):
    tool = PlaceCounterTool(view)
    click(tool, 13000, 4080)  # the left and right edges pull onto the counters' above (12.1, 13.9 m)
    assert (view.pushed[-1].x, view.pushed[-1].y) == (13000, 4100)
    move(tool, 12960, 4980, buttons=Button.NONE)  # just below the new one: its sides pull, its bottom too
    assert view.ghost[0] == (13000, 4900) and None not in view.guides
    move(tool, 12940, 7000, buttons=Button.NONE)  # counters 2 m away do not pull: the grid does
    assert view.ghost[0] == (12900, 7000) and view.guides == (None, None)


def test_an_item_joins_the_inventory_of_the_room_under_it(view, plan):
    chair = plan.all(ItemType, ItemType.id)[0]
    tool = PlaceItemTool(view, chair.id, chair.name, chair.width, chair.depth)
    move(tool, 5010, 5020, buttons=Button.NONE)
    assert view.ghost == ((5000, 5000), (500, 500), "Kursi Tunggu")
    click(tool, 5010, 5020)
    (cmd,) = view.pushed
    assert isinstance(cmd, PlaceItem) and (cmd.item_type_id, cmd.x, cmd.y) == (chair.id, 5000, 5000)
    item = plan.get(InventoryItem, cmd.created[0][1])
    lobby = {r.name: r.id for r in plan.all(Room)}["Lobi"]
    assert (item.x, item.y, item.room_id) == (5000, 5000, lobby)


def test_a_text_label_asks_for_its_text(view, plan):
    tool = TextTool(view)
    view.answers["text"] = "  Pintu Masuk "
    click(tool, 5030, 8630)
    (cmd,) = view.pushed
    assert isinstance(cmd, AddAnnotation)
    assert {k: cmd.values[k] for k in ("kind", "x1", "y1", "text")} == {
        "kind": "text", "x1": 5000, "y1": 8600, "text": "Pintu Masuk"}
    assert view.selected == cmd.created
    view.answers["text"] = "   "
    click(tool, 5000, 9000)
    view.answers["text"] = None  # cancelled
    click(tool, 5000, 9000)
    assert len(view.pushed) == 1 and view.messages == []
