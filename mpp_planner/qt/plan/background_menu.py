"""The Plan tab's Background menu: the floor's background image (import, calibrate, set origin, show,
opacity, remove) and its underlay drawing (import a plan from DXF, show, print, remove)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMenu, QSlider, QWidget, QWidgetAction

from mpp_planner.commands.plan import (RemoveBackground, RemoveUnderlay, SetBackgroundOpacity, SetBackgroundVisible,
                                       SetUnderlay)
from mpp_planner.i18n import _
from mpp_planner.model import FloorBackground
from mpp_planner.reads.plan import floor_background, floor_underlay


class BackgroundMenu(QMenu):
    """Acts on the floor the Plan tab shows. ``tab`` is the PlanTab: its floor, editor and calibrate and
    origin tools; the actions belong to it, as its other actions do."""

    def __init__(self, tab):
        super().__init__(_("Background"), tab)
        self.tab = tab
        self.act_bg_import = tab._act(_("Import Image…"), self.import_background)
        self.act_bg_calibrate = tab.tool_actions["calibrate"]
        self.act_bg_origin = tab.tool_actions["origin"]
        self.act_bg_show = tab._act(_("Show Background"), self._toggle_background, checkable=True)
        self.act_bg_remove = tab._act(_("Remove Background"), self.remove_background)
        self.opacity = QSlider(Qt.Horizontal)
        self.opacity.setRange(5, 100)
        self.opacity.setFixedWidth(140)
        self.opacity.valueChanged.connect(self._opacity_changed)
        self.addAction(self.act_bg_import)
        self.addAction(self.act_bg_calibrate)
        self.addAction(self.act_bg_origin)
        self.addAction(self.act_bg_show)
        opacity_box = QWidget()
        ob = QHBoxLayout(opacity_box)
        ob.setContentsMargins(24, 4, 8, 4)
        ob.addWidget(QLabel(_("Opacity")))
        ob.addWidget(self.opacity)
        wa = QWidgetAction(tab)
        wa.setDefaultWidget(opacity_box)
        self.addAction(wa)
        self.addSeparator()
        self.addAction(self.act_bg_remove)

        # the underlay drawing: an architect's CAD plan under the rooms
        self.act_dxf_import = tab._act(_("Import Plan from DXF…"), self.import_dxf,
                                       tip=_("Rooms and the drawing under them from a DXF (or DWG) file"))
        self.act_underlay_show = tab._act(_("Show Underlay Drawing"), self._toggle_underlay, checkable=True,
                                          tip=_("Show the imported CAD drawing under the rooms"))
        self.act_underlay_print = tab._act(_("Print Underlay Drawing"), self._toggle_underlay_print,
                                           checkable=True, tip=_("Draw the underlay drawing on plan sheets too"))
        self.act_underlay_remove = tab._act(_("Remove Underlay Drawing"), self.remove_underlay)
        self.addSeparator()
        for act in (self.act_dxf_import, self.act_underlay_show, self.act_underlay_print, self.act_underlay_remove):
            self.addAction(act)

    # --- background -------------------------------------------------------------------
    def _background(self) -> FloorBackground | None:
        fid = self.tab.current_floor_id()
        return floor_background(self.tab.project, fid) if fid is not None else None

    def import_background(self) -> bool:
        if self.tab.current_floor_id() is None:
            return False
        path, _filter = QFileDialog.getOpenFileName(self.tab, _("Import background image"), "",
                                                    _("Images (*.png *.jpg *.jpeg)") + ";;" + _("All files (*)"))
        if not path:
            return False
        return self.tab.editor.import_background(path)

    def remove_background(self) -> bool:
        fid = self.tab.current_floor_id()
        if fid is None or self._background() is None:
            return False
        return self.tab.editor.push(RemoveBackground(fid))

    def _toggle_background(self, visible: bool) -> None:
        fid = self.tab.current_floor_id()
        bg = self._background()
        if bg is not None and bool(bg.visible) != visible:
            self.tab.editor.push(SetBackgroundVisible(fid, visible))

    def _opacity_changed(self, value: int) -> None:
        bg = self._background()
        if bg is not None and round(bg.opacity * 100) != value:
            self.tab.editor.push(SetBackgroundOpacity(bg.floor_id, value / 100))

    # --- underlay drawing -------------------------------------------------------------
    def import_dxf(self):
        """Open the DXF import dialog for the floor shown; returns the dialog."""
        from mpp_planner.qt.plan.dxf_import import DxfImportDialog

        tab = self.tab
        dialog = DxfImportDialog(tab.project, tab.undo_stack, tab, floor_id=tab.current_floor_id())
        dialog.imported.connect(tab.show_floor)
        dialog.setAttribute(Qt.WA_DeleteOnClose, True)
        dialog.open()
        return dialog

    def _toggle_underlay(self, visible: bool) -> None:
        fid = self.tab.current_floor_id()
        shown = floor_underlay(self.tab.project, fid) if fid is not None else None
        if shown is not None and shown.visible != visible:
            self.tab.editor.push(SetUnderlay(fid, visible=visible))
        self.update_actions()  # a refused edit puts the tick back

    def _toggle_underlay_print(self, printed: bool) -> None:
        fid = self.tab.current_floor_id()
        shown = floor_underlay(self.tab.project, fid) if fid is not None else None
        if shown is not None and shown.printed != printed:
            self.tab.editor.push(SetUnderlay(fid, printed=printed))
        self.update_actions()

    def remove_underlay(self) -> bool:
        fid = self.tab.current_floor_id()
        if fid is None or floor_underlay(self.tab.project, fid) is None:
            return False
        return self.tab.editor.push(RemoveUnderlay(fid))

    def update_actions(self) -> None:
        """Enable and tick the entries for the floor shown (Import Image… follows the tab's actions)."""
        bg = self._background()
        has = bg is not None
        for act in (self.act_bg_calibrate, self.act_bg_origin, self.act_bg_show, self.act_bg_remove):
            act.setEnabled(has)
        self.opacity.setEnabled(has)
        self.opacity.blockSignals(True)
        self.opacity.setValue(round(bg.opacity * 100) if has else 50)
        self.opacity.blockSignals(False)
        self.act_bg_show.setChecked(bool(bg.visible) if has else False)
        fid = self.tab.current_floor_id()
        underlay = floor_underlay(self.tab.project, fid) if fid is not None else None
        for act in (self.act_underlay_show, self.act_underlay_print, self.act_underlay_remove):
            act.setEnabled(underlay is not None)
        self.act_underlay_show.setChecked(underlay is not None and underlay.visible)
        self.act_underlay_print.setChecked(underlay is not None and underlay.printed)
