"""The Plan tab's controls for walls, doors and windows: the wall thickness for the wall tool (shown on the
toolbar while it is on), the kind of door the door tool places (the Door button's menu), and the context
menu's entries: walls around a room, and flipping a door's hinge or swing side."""

from __future__ import annotations

from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QLabel, QMenu, QSpinBox, QToolBar, QToolButton

from mpp_planner.commands.plan import EditOpening, WallsAroundRoom
from mpp_planner.i18n import _
from mpp_planner.model.walls import DEFAULT_THICKNESS, MAX_THICKNESS, MIN_THICKNESS, OpeningKind
from mpp_planner.qt.plan.icons import door_icon

DOOR_KINDS = (OpeningKind.DOOR, OpeningKind.DOUBLE_DOOR, OpeningKind.SLIDING_DOOR)
FLIPPED = {"hinge": {"start": "end", "end": "start"}, "side": {"left": "right", "right": "left"}}


class WallControls:
    """Belongs to the PlanTab (``tab``): its editor keeps the chosen thickness and door kind, which the tools
    read when they draw."""

    def __init__(self, tab):
        self.tab = tab
        editor = tab.editor
        self.thickness = QSpinBox()
        self.thickness.setRange(MIN_THICKNESS, MAX_THICKNESS)
        self.thickness.setSingleStep(10)
        self.thickness.setSuffix(" mm")
        self.thickness.setValue(DEFAULT_THICKNESS)
        self.thickness.setToolTip(_("Thickness of the walls drawn next"))
        self.thickness.setAccessibleName(_("Wall thickness"))
        self.thickness.valueChanged.connect(lambda v: setattr(editor, "wall_thickness", int(v)))
        self.door_menu = QMenu(_("Door kind"), tab)
        group = QActionGroup(self.door_menu)
        self.door_actions = {}
        for kind in DOOR_KINDS:
            act = self.door_menu.addAction(door_icon(kind.value), kind.label)
            act.setCheckable(True)
            act.setChecked(kind is OpeningKind.DOOR)
            act.triggered.connect(lambda _=False, k=kind.value: self.choose_door(k))
            group.addAction(act)
            self.door_actions[kind.value] = act
        self.act_walls_around = tab._act(_("Walls Around Room"), self.walls_around_room,
                                         tip=_("Draw walls along the selected room's outline"))
        self.act_flip_hinge = tab._act(_("Flip Hinge"), lambda: self.flip("hinge"),
                                       tip=_("Hinge the door on its other jamb"))
        self.act_flip_side = tab._act(_("Flip Swing Side"), lambda: self.flip("side"),
                                      tip=_("Swing the door to the wall's other face"))

    def add_to(self, tools: QToolBar, bar: QToolBar) -> None:
        """The door kinds on the Door button (a menu arrow beside it), the thickness on the plan's top bar."""
        button = tools.widgetForAction(self.tab.tool_actions["door"])
        if isinstance(button, QToolButton):
            button.setMenu(self.door_menu)
            button.setPopupMode(QToolButton.MenuButtonPopup)
        self.thickness_label = QLabel(_("Wall thickness:"))
        self.thickness_actions = [bar.addSeparator(), bar.addWidget(self.thickness_label),
                                  bar.addWidget(self.thickness)]
        self.tool_changed(self.tab.editor.tool.key if self.tab.editor.tool is not None else "select")

    def tool_changed(self, key: str) -> None:
        """The thickness shows while walls are drawn."""
        for act in getattr(self, "thickness_actions", ()):
            act.setVisible(key == "wall")

    def choose_door(self, kind: str) -> None:
        """Place doors of this kind from now on (the door tool comes on)."""
        self.tab.editor.door_kind = kind
        self.door_actions[kind].setChecked(True)
        self.tab.tool_actions["door"].setIcon(door_icon(kind))
        self.tab.editor.set_tool("door")

    # --- the context menu -------------------------------------------------------------------
    def _selected(self, kind: str) -> list[int]:
        return [ident for k, ident in self.tab.editor.selected_refs() if k == kind]

    def _doors(self) -> list:
        scene = self.tab.view.scene()
        items = [scene.item_for(("opening", i)) for i in self._selected("opening")] if scene is not None else []
        return [item for item in items if item is not None and item.opening.kind != OpeningKind.WINDOW.value]

    def update_actions(self) -> None:
        self.act_walls_around.setEnabled(len(self._selected("room")) == 1)
        doors = bool(self._doors())
        self.act_flip_hinge.setEnabled(doors)
        self.act_flip_side.setEnabled(doors)

    def menu_actions(self) -> list:
        """What the context menu offers for the selection (nothing when it holds no room or door)."""
        self.update_actions()
        return [act for act in (self.act_walls_around, self.act_flip_hinge, self.act_flip_side) if act.isEnabled()]

    def walls_around_room(self) -> bool:
        rooms = self._selected("room")
        if len(rooms) != 1:
            return False
        cmd = WallsAroundRoom(rooms[0], self.tab.editor.wall_thickness)
        if self.tab.editor.push(cmd):
            self.tab.view.scene().select_refs(cmd.created)
            return True
        return False

    def flip(self, field: str) -> bool:
        """The selected door's hinge (or swing side) to the other jamb (face): one undo step per door."""
        doors = self._doors()
        text = _("Flip hinge") if field == "hinge" else _("Flip swing side")
        done = False
        for item in doors:
            value = getattr(item.opening, field)
            done = self.tab.editor.push(EditOpening(item.object_id, {field: FLIPPED[field][value]}, text)) or done
        return done


__all__ = ["WallControls", "DOOR_KINDS"]
