"""The Plan tab's Floor menu (the Floor button and the floor tabs' context menu): add, rename, reorder
and delete the project's floors."""

from __future__ import annotations

from PySide6.QtWidgets import QMenu

from mpp_planner.commands.plan import AddFloor, DeleteFloor, RenameFloor, ReorderFloors
from mpp_planner.i18n import _, ngettext
from mpp_planner.reads.plan import floor_contents, floor_name


class FloorMenu(QMenu):
    """Acts on the Plan tab's floors. ``tab`` is the PlanTab: its floor tabs, editor and project; the
    actions belong to it, as its other actions do."""

    def __init__(self, tab):
        super().__init__(_("Floor"), tab)
        self.tab = tab
        self.act_floor_add = tab._act(_("Add Floor…"), self.add_floor)
        self.act_floor_rename = tab._act(_("Rename Floor…"), self.rename_floor)
        self.act_floor_left = tab._act(_("Move Floor Left"), lambda: self.move_floor(-1))
        self.act_floor_right = tab._act(_("Move Floor Right"), lambda: self.move_floor(1))
        self.act_floor_delete = tab._act(_("Delete Floor…"), self.delete_floor)
        for act in (self.act_floor_add, self.act_floor_rename, self.act_floor_left, self.act_floor_right):
            self.addAction(act)
        self.addSeparator()
        self.addAction(self.act_floor_delete)

    def update_actions(self) -> None:
        """Enable the entries for the floor shown and its place among the tabs."""
        has_floor = self.tab.current_floor_id() is not None
        for act in (self.act_floor_rename, self.act_floor_delete):
            act.setEnabled(has_floor)
        i = self.tab.floor_bar.currentIndex()
        self.act_floor_left.setEnabled(i > 0)
        self.act_floor_right.setEnabled(0 <= i < len(self.tab.floor_ids) - 1)

    def _ask_name(self, title: str, text: str = "") -> str | None:
        return self.tab.editor.ask_text(title, _("Name of the floor:"), text)

    def add_floor(self) -> bool:
        tab = self.tab
        name = self._ask_name(_("Add floor"), _("Floor {n}").format(n=len(tab.floor_ids) + 1))
        if name is None:
            return False
        cmd = None

        def make():
            nonlocal cmd
            cmd = AddFloor(name)
            return cmd

        if not tab.editor.push(make):
            return False
        if cmd.floor_id in tab.floor_ids:
            tab.floor_bar.setCurrentIndex(tab.floor_ids.index(cmd.floor_id))
        return True

    def rename_floor(self) -> bool:
        fid = self.tab.current_floor_id()
        if fid is None:
            return False
        old = floor_name(self.tab.project, fid)
        name = self._ask_name(_("Rename floor"), old)
        if name is None or name == old:
            return False
        return self.tab.editor.push(lambda: RenameFloor(fid, name))

    def move_floor(self, step: int) -> bool:
        ids = self.tab.floor_ids
        i = self.tab.floor_bar.currentIndex()
        j = i + step
        if not (0 <= i < len(ids) and 0 <= j < len(ids)):
            return False
        order = list(ids)
        order[i], order[j] = order[j], order[i]
        return self.tab.editor.push(ReorderFloors(order))

    def delete_floor(self) -> bool:
        project = self.tab.project
        fid = self.tab.current_floor_id()
        if fid is None:
            return False
        held = floor_contents(project, fid)
        parts = []
        if held.rooms:
            parts.append(ngettext("{n} room", "{n} rooms", held.rooms).format(n=held.rooms))
        if held.counters:
            parts.append(ngettext("{n} counter", "{n} counters", held.counters).format(n=held.counters))
        if held.items:
            parts.append(ngettext("{n} item of the inventory", "{n} items of the inventory",
                                  held.items).format(n=held.items))
        if held.annotations:
            parts.append(ngettext("{n} label", "{n} labels", held.annotations).format(n=held.annotations))
        if held.walls:
            parts.append(ngettext("{n} wall", "{n} walls", held.walls).format(n=held.walls))
        if held.background:
            parts.append(_("a background image"))
        if parts and not self.tab.editor.confirm(
                _("Delete floor"),
                _("Floor “{name}” holds {what}. Delete the floor with all of it? (Edit ▸ Undo brings it back.)")
                .format(name=floor_name(project, fid), what=", ".join(parts))):
            return False
        return self.tab.editor.push(lambda: DeleteFloor(project, fid))
