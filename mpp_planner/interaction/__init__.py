"""Plan interaction without Qt: each mouse mode of the plan editor (select, draw room, draw wall,
place a counter, a door or a window, measure...) as a small state machine over plan millimetres.

A tool receives plain events (``events``: Press, Move, Release, Key) and talks to a view
protocol (``view.ToolView``: pick, select, show a preview, push a command). The Qt tools in
``mpp_planner.qt.plan.tools`` only convert events and draw; the rules are tested here with
plain Python (``tests/interaction``). Commands are made here and pushed through the view.
"""

from mpp_planner.interaction.draw import DrawRoomTool, outline_ok
from mpp_planner.interaction.events import Button, Key, Keys, Mod, Move, Press, Release
from mpp_planner.interaction.measure import CalibrateTool, DimensionTool, SetOriginTool, TwoPointTool
from mpp_planner.interaction.place import PlaceCounterTool, PlaceItemTool, PlaceTool, TextTool
from mpp_planner.interaction.select import SelectTool
from mpp_planner.interaction.tool import DRAG_PX, PanTool, Tool
from mpp_planner.interaction.view import Cursor, Handle, HandleRole, PlanObject, ToolView
from mpp_planner.interaction.walls import DrawWallTool, PlaceDoorTool, PlaceOpeningTool, PlaceWindowTool

TOOLS: dict[str, type[Tool]] = {cls.key: cls for cls in (
    SelectTool, PanTool, DrawRoomTool, PlaceCounterTool, DimensionTool, TextTool, CalibrateTool, SetOriginTool,
    DrawWallTool, PlaceDoorTool, PlaceWindowTool)}

__all__ = ["TOOLS", "Tool", "SelectTool", "PanTool", "DrawRoomTool", "PlaceTool", "PlaceCounterTool",
           "PlaceItemTool", "TextTool", "TwoPointTool", "DimensionTool", "CalibrateTool", "SetOriginTool",
           "DrawWallTool", "PlaceOpeningTool", "PlaceDoorTool", "PlaceWindowTool",
           "Press", "Move", "Release", "Key", "Keys", "Mod", "Button", "ToolView", "PlanObject", "Handle",
           "HandleRole", "Cursor", "DRAG_PX", "outline_ok"]
