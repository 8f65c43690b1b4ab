"""The Plan tab: floors as tabs, the editor (tools, snapping, clipboard), the catalog palette,
the properties panel, the legend, the Floor and Background menus (``floor_menu``,
``background_menu``) and the controls for walls and doors (``wall_bar``). After an edit that leaves
counters or furniture standing in each other, the message line names them and the plan outlines them
until an edit parts them."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence, QPainter
from PySide6.QtWidgets import (QComboBox, QDockWidget, QHBoxLayout, QLabel, QMainWindow, QMenu, QSizePolicy, QTabBar,
                               QToolBar, QToolButton, QVBoxLayout, QWidget)

from mpp_planner import settings
from mpp_planner.commands.plan import Overlap, ReorderFloors, find_overlaps, overlapping
from mpp_planner.formats import number
from mpp_planner.i18n import _
from mpp_planner.project import Changes, Topic
from mpp_planner.qt.plan.background_menu import BackgroundMenu
from mpp_planner.qt.plan.editor import PlanEditor
from mpp_planner.qt.plan.floor_menu import FloorMenu
from mpp_planner.qt.plan.icons import TOOL_ICONS
from mpp_planner.qt.plan.items import CounterItem, FurnitureItem, set_furniture_labels
from mpp_planner.qt.plan.legend import Legend
from mpp_planner.qt.plan.palette import TYPE_ROLE, CatalogPalette
from mpp_planner.qt.plan.properties import PropertiesPanel
from mpp_planner.qt.plan.scene import PlanScene
from mpp_planner.qt.plan.view import PlanView
from mpp_planner.qt.plan.wall_bar import WallControls
from mpp_planner.qt.signals import connect_when_visible
from mpp_planner.reads.plan import floor_list

#: what the floors' scenes draw (a counter's colour comes from its agencies, a piece of furniture's name
#: from the catalog)
FURNITURE_LABELS = "plan_furniture_labels"  # the view toggle, remembered
SCENE_TOPICS = (Topic.ROOMS, Topic.WALLS, Topic.COUNTERS, Topic.INVENTORY, Topic.ANNOTATIONS, Topic.BACKGROUNDS,
                Topic.ALLOCATION, Topic.AGENCIES, Topic.CATALOG)
GRID_SIZES = (10, 50, 100, 250, 500, 1000)
#: edits that can leave counters or furniture standing in each other (a catalog item may change size)
OVERLAP_TOPICS = (Topic.COUNTERS, Topic.INVENTORY, Topic.CATALOG)
NAMED_OVERLAPS = 3  # the message line names this many overlaps, then says how many more
TOOL_KEYS = (("select", "V"), ("pan", "H"), ("room", "R"), ("wall", "W"), ("door", "D"), ("window", None),
             ("counter", "C"), ("dimension", "M"), ("text", "T"))


class ElidedLabel(QWidget):
    """One line of text shortened with "…"; a new text repaints it alone (a QLabel would lay the window out again
    at every mouse move). ``reserve``: a text as wide as any it shows (it keeps that width); none: the room left."""

    def __init__(self, reserve: str = "", parent=None):
        super().__init__(parent)
        self._text, self._reserve = "", reserve
        self.setSizePolicy(QSizePolicy.Policy.Preferred if reserve else QSizePolicy.Policy.Ignored,
                           QSizePolicy.Policy.Fixed)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:  # noqa: N802 - QLabel's name
        if text != self._text:
            self._text = text
            self.update()

    def sizeHint(self):  # noqa: N802
        metrics = self.fontMetrics()
        return QSize(max(40, metrics.horizontalAdvance(self._reserve) + 4), metrics.height() + 2)

    minimumSizeHint = sizeHint  # noqa: N815

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        text = self.fontMetrics().elidedText(self._text, Qt.ElideRight, self.width())
        painter.drawText(self.rect(), Qt.AlignLeft | Qt.AlignVCenter, text)
        tip = self._text if text != self._text else ""
        if tip != self.toolTip():
            self.setToolTip(tip)


def tool_names() -> dict[str, str]:
    return {"select": _("Select"), "pan": _("Pan"), "room": _("Room"), "wall": _("Wall"), "door": _("Door"),
            "window": _("Window"), "counter": _("Counter"),
            "item": _("Item"), "dimension": _("Dimension"), "text": _("Text"), "calibrate": _("Calibrate"),
            "origin": _("Set origin")}


class PlanTab(QWidget):
    def __init__(self, project, signals, undo_stack, parent=None):
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.scenes: dict[int, PlanScene] = {}
        self.colour_mode = "agency"
        self.floor_ids: list[int] = []
        self._view_states: dict[int, tuple] = {}
        self._overlaps: dict[int, list[Overlap]] = {}  # floor id -> the overlaps outlined there

        self.view = PlanView()
        self.editor = PlanEditor(project, undo_stack, self.view, self)
        prefs = settings.load()
        self.editor.grid_size = prefs.get("plan_grid_mm", 100) if prefs.get("plan_grid_mm") in GRID_SIZES else 100

        self.inner = QMainWindow()
        self.inner.setWindowFlags(Qt.Widget)
        self.inner.setDockOptions(QMainWindow.AnimatedDocks | QMainWindow.AllowTabbedDocks)
        self._build_actions()
        self._build_toolbars()
        self._build_docks()
        self._build_centre()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.inner)

        self.editor.selection_changed.connect(self._selection_changed)
        self.editor.tool_changed.connect(self._tool_changed)
        self.editor.status.connect(self.hint_label.setText)
        self.editor.message.connect(self._message)
        self.editor.edit_requested.connect(self._edit_requested)
        self.view.cursor_moved.connect(self._cursor_moved)
        self.view.zoomed.connect(self._zoomed)
        self.view.context_menu.connect(self._context_menu)
        self.view.item_type_dropped.connect(self._item_dropped)
        QGuiApplication.clipboard().dataChanged.connect(self._update_actions)
        self._load_floors()
        self.editor.set_tool("select")
        connect_when_visible(signals, self, self.apply_changes, Topic.FLOORS, *SCENE_TOPICS)
        self._build_routes(signals)

    # --- actions ----------------------------------------------------------------------
    def _act(self, text, slot=None, shortcut=None, checkable=False, tip=None) -> QAction:
        act = QAction(text, self)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        if checkable:
            act.setCheckable(True)
        if slot is not None:
            act.triggered.connect(slot)
        if tip:
            act.setToolTip(tip)
            act.setStatusTip(tip)
        return act

    def _build_actions(self) -> None:
        ed = self.editor
        names = tool_names()
        self.tool_group = QActionGroup(self)
        self.tool_actions: dict[str, QAction] = {}
        for key, short in TOOL_KEYS + (("calibrate", None), ("origin", None)):
            act = self._act(names[key], lambda _=False, k=key: self.editor.set_tool(k), short, checkable=True)
            act.setIcon(TOOL_ICONS[key]())
            act.setShortcutContext(Qt.WidgetWithChildrenShortcut)
            tip = names[key] + (f" ({short})" if short else "")
            act.setToolTip(tip)
            self.tool_group.addAction(act)
            self.tool_actions[key] = act
            self.addAction(act)
        self.tool_actions["item"] = self._act(names["item"], self._item_tool, checkable=True)
        self.tool_actions["item"].setIcon(TOOL_ICONS["item"]())
        self.tool_actions["item"].setToolTip(_("Place an item from the catalog"))
        self.tool_group.addAction(self.tool_actions["item"])
        self.tool_actions["calibrate"].setToolTip(_("Calibrate the background: two points and their real distance"))
        self.tool_actions["origin"].setToolTip(_("Set the background's origin (0, 0)"))
        self.walls = WallControls(self)  # the wall thickness, the door kind, walls around a room, flipping a door

        # view
        self.act_fit = self._act(_("Fit to view"), self.fit, "Ctrl+0")
        self.act_zoom_sel = self._act(_("Zoom to selection"), ed.zoom_to_selection, "Ctrl+Shift+0")
        self.act_zoom_in = self._act(_("Zoom in"), lambda: self.view.zoom_by(1.25), "Ctrl++")
        self.act_zoom_out = self._act(_("Zoom out"), lambda: self.view.zoom_by(0.8), "Ctrl+-")
        self.act_grid = self._act(_("Grid"), self._toggle_grid, checkable=True, tip=_("Show the grid"))
        self.act_grid.setChecked(True)
        self.act_snap = self._act(_("Snap"), self._toggle_snap, checkable=True,
                                  tip=_("Snap to the grid and to other objects' edges (hold Alt to place freely)"))
        self.act_snap.setChecked(True)
        self.act_lock = self._act(_("Lock rooms"), self._toggle_lock, checkable=True,
                                  tip=_("Lock the base layer: rooms and the background cannot be picked"))
        self.act_labels = self._act(_("Furniture names"), self._toggle_furniture_labels, checkable=True,
                                    tip=_("Write each piece of furniture's name on it where the name fits whole"))
        self.act_labels.setChecked(settings.load().get(FURNITURE_LABELS, True) is not False)
        FurnitureItem.labels_shown = self.act_labels.isChecked()
        group = QActionGroup(self)
        self.act_by_agency = self._act(_("Colour by agency"), checkable=True)
        self.act_by_agency.setChecked(True)
        self.act_by_tier = self._act(_("Colour by tier"), checkable=True)
        for act, mode in ((self.act_by_agency, "agency"), (self.act_by_tier, "tier")):
            group.addAction(act)
            act.triggered.connect(lambda _=False, m=mode: self.set_colour_mode(m))
        for act in (self.act_fit, self.act_zoom_sel, self.act_zoom_in, self.act_zoom_out):
            act.setShortcutContext(Qt.WidgetWithChildrenShortcut)
            self.addAction(act)

        # edit (the main window puts these in its Edit menu)
        self.act_cut = self._act(_("Cu&t"), ed.cut_selection, QKeySequence.Cut)
        self.act_copy = self._act(_("&Copy"), ed.copy_selection, QKeySequence.Copy)
        self.act_paste = self._act(_("&Paste"), lambda: ed.paste(), QKeySequence.Paste)
        self.act_duplicate = self._act(_("D&uplicate"), ed.duplicate_selection, "Ctrl+D")
        self.act_delete = self._act(_("&Delete"), lambda: ed.delete_selection(), QKeySequence.Delete)
        self.act_select_all = self._act(_("Select &All"), ed.select_all, QKeySequence.SelectAll)
        self.act_rotate = self._act(_("Rotate 90°"), lambda: ed.rotate_selection(90), "Ctrl+R")
        self.act_remove_from_plan = self._act(_("Remove from Plan (Keep in Inventory)"), ed.remove_from_plan)
        self.align_menu = QMenu(_("A&lign"), self)
        self.align_actions = {}
        for mode, text in (("left", _("Left")), ("right", _("Right")), ("top", _("Top")), ("bottom", _("Bottom")),
                           ("hcenter", _("Centres horizontally")), ("vcenter", _("Centres vertically"))):
            act = self._act(text, lambda _=False, m=mode: ed.align(m))
            self.align_menu.addAction(act)
            self.align_actions[mode] = act
        self.distribute_menu = QMenu(_("Dist&ribute"), self)
        self.distribute_actions = {}
        for axis, text in (("horizontal", _("Horizontally")), ("vertical", _("Vertically"))):
            act = self._act(text, lambda _=False, a=axis: ed.distribute(a))
            self.distribute_menu.addAction(act)
            self.distribute_actions[axis] = act

        # the Floor and Background menus; the background's entries stay reachable here too
        self.floor_menu = FloorMenu(self)
        bg = self.background_menu = BackgroundMenu(self)
        self.act_bg_import, self.act_bg_calibrate = bg.act_bg_import, bg.act_bg_calibrate
        self.act_bg_origin, self.act_bg_show = bg.act_bg_origin, bg.act_bg_show
        self.act_bg_remove, self.opacity = bg.act_bg_remove, bg.opacity
        self.act_dxf_import, self.act_underlay_show = bg.act_dxf_import, bg.act_underlay_show
        self.act_underlay_print, self.act_underlay_remove = bg.act_underlay_print, bg.act_underlay_remove

    def edit_actions(self) -> list[QAction]:
        """Entries for the main window's Edit menu."""
        sep = QAction(self)
        sep.setSeparator(True)
        return [self.act_cut, self.act_copy, self.act_paste, self.act_duplicate, self.act_delete,
                self.act_select_all, sep, self.align_menu.menuAction(), self.distribute_menu.menuAction(),
                self.act_rotate, self.act_remove_from_plan]

    def view_actions(self) -> list[QAction]:
        """Entries for the main window's View menu (the tool bar has no room left for them)."""
        return [self.act_labels]

    def _build_toolbars(self) -> None:
        tools = QToolBar(_("Tools"))
        tools.setObjectName("plan-tools")
        tools.setMovable(False)
        tools.setToolButtonStyle(Qt.ToolButtonTextUnderIcon)
        tools.setIconSize(QSize(26, 26))
        for key in ("select", "pan", "room", "wall", "door", "window", "counter", "item", "dimension", "text"):
            tools.addAction(self.tool_actions[key])
        self.inner.addToolBar(Qt.LeftToolBarArea, tools)
        self.tools_bar = tools

        bar = QToolBar(_("Plan"))
        bar.setObjectName("plan-view")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        bar.addAction(self.act_fit)
        bar.addAction(self.act_zoom_sel)
        bar.addAction(self.act_zoom_in)
        bar.addAction(self.act_zoom_out)
        bar.addSeparator()
        bar.addAction(self.act_snap)
        self.grid_combo = QComboBox()
        self.grid_combo.setToolTip(_("Grid size"))
        for size in GRID_SIZES:
            self.grid_combo.addItem(_("{n} mm").format(n=size) if size < 1000 else _("1 m"), size)
        self.grid_combo.setCurrentIndex(self.grid_combo.findData(self.editor.grid_size))
        self.grid_combo.currentIndexChanged.connect(self._grid_changed)
        bar.addWidget(self.grid_combo)
        bar.addAction(self.act_grid)
        bar.addAction(self.act_lock)
        bar.addSeparator()
        bar.addAction(self.act_by_agency)
        bar.addAction(self.act_by_tier)
        bar.addSeparator()
        for text, menu in ((_("Floor"), self.floor_menu), (_("Background"), self.background_menu)):
            button = QToolButton()
            button.setText(text)
            button.setMenu(menu)
            button.setPopupMode(QToolButton.InstantPopup)
            bar.addWidget(button)
        self.inner.addToolBar(Qt.TopToolBarArea, bar)
        self.view_bar = bar
        self.walls.add_to(tools, bar)

    def cancel_placing(self) -> None:
        """Escape in the catalog: an item armed for placing is put down (back to Select), so a later click on
        the plan places nothing."""
        if self.editor.tool is not None and self.editor.tool.key == "item":
            self.editor.set_tool("select")

    def _build_docks(self) -> None:
        self.palette = CatalogPalette(self.project)
        self.palette.item_chosen.connect(self.editor.place_item_tool)
        self.palette.cancelled.connect(self.cancel_placing)
        self.properties = PropertiesPanel(self.editor)
        self.legend = Legend(self.project)
        self.docks = {}
        for key, title, widget, area in (("catalog", _("Catalog"), self.palette, Qt.LeftDockWidgetArea),
                                         ("properties", _("Properties"), self.properties, Qt.RightDockWidgetArea),
                                         ("legend", _("Legend"), self.legend, Qt.RightDockWidgetArea)):
            dock = QDockWidget(title, self.inner)
            dock.setObjectName(f"plan-{key}")
            dock.setWidget(widget)
            dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable)
            self.inner.addDockWidget(area, dock)
            self.docks[key] = dock
        self.inner.resizeDocks([self.docks["catalog"], self.docks["properties"]], [230, 250], Qt.Horizontal)
        self.inner.resizeDocks([self.docks["properties"], self.docks["legend"]], [330, 300], Qt.Vertical)

    def _build_centre(self) -> None:
        self.floor_bar = QTabBar()
        self.floor_bar.setExpanding(False)
        self.floor_bar.setMovable(True)
        self.floor_bar.setUsesScrollButtons(True)
        self.floor_bar.currentChanged.connect(self._show_floor)
        self.floor_bar.tabMoved.connect(self._floor_moved)
        self.floor_bar.tabBarDoubleClicked.connect(lambda i: self.rename_floor())
        self._floor_drag = 0
        self.floor_bar.installEventFilter(self)
        self.floor_bar.setContextMenuPolicy(Qt.CustomContextMenu)
        self.floor_bar.customContextMenuRequested.connect(
            lambda pos: self.floor_menu.exec(self.floor_bar.mapToGlobal(pos)))
        add = QToolButton()
        add.setText("+")
        add.setToolTip(_("Add a floor"))
        add.setAutoRaise(True)
        add.clicked.connect(self.add_floor)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(2)
        top.addWidget(self.floor_bar)
        top.addWidget(add)
        top.addStretch(1)

        self.hint_label = ElidedLabel()
        self.hint_label.setStyleSheet("color: #4A5561;")
        self.coords_label = ElidedLabel(_("X {x} m   Y {y} m").format(x=number(-888.88, 2), y=number(-888.88, 2)))
        self.coords_label.setStyleSheet("color: #4A5561;")
        self.snap_label = QLabel()
        self.snap_label.setStyleSheet("color: #4A5561;")
        status = QHBoxLayout()
        status.setContentsMargins(6, 2, 6, 2)
        status.addWidget(self.hint_label, 1)
        status.addWidget(self.snap_label)
        status.addSpacing(12)
        status.addWidget(self.coords_label)

        centre = QWidget()
        cv = QVBoxLayout(centre)
        cv.setContentsMargins(0, 0, 0, 0)
        cv.setSpacing(0)
        cv.addLayout(top)
        cv.addWidget(self.view, 1)
        cv.addLayout(status)
        self.inner.setCentralWidget(centre)
        self._update_snap_label()

    # --- floors -----------------------------------------------------------------------
    def _load_floors(self) -> None:
        keep = self.current_floor_id()
        old_index = self.floor_bar.currentIndex()
        floors = floor_list(self.project)
        if [f.id for f in floors] == self.floor_ids and self.floor_bar.count() == len(floors):
            # same floors in the same order (a rename, or the bar was just dragged): keep the bar
            for i, floor in enumerate(floors):
                if self.floor_bar.tabText(i) != floor.name:
                    self.floor_bar.setTabText(i, floor.name)
            self._update_actions()
            return
        self.floor_bar.blockSignals(True)
        while self.floor_bar.count():
            self.floor_bar.removeTab(0)
        self.floor_ids = [f.id for f in floors]
        for floor in floors:
            self.floor_bar.addTab(floor.name)
        if keep in self.floor_ids:
            index = self.floor_ids.index(keep)
        else:
            index = min(max(old_index, 0), len(floors) - 1)
        self.floor_bar.setCurrentIndex(index)
        self.floor_bar.blockSignals(False)
        gone = [self.scenes.pop(fid) for fid in list(self.scenes) if fid not in self.floor_ids]
        if floors:
            self._show_floor(index)
        else:
            self.editor.set_scene(None)
            self.view.show_message(_("This project has no floor yet. Add one with the + next to the floor tabs."),
                                   error=False)
        for scene in gone:  # deleted floors: free their scenes once nothing shows them
            self._view_states.pop(scene.floor_id, None)
            self._overlaps.pop(scene.floor_id, None)
            scene.deleteLater()
        self._update_actions()

    def current_floor_id(self) -> int | None:
        i = self.floor_bar.currentIndex()
        return self.floor_ids[i] if 0 <= i < len(self.floor_ids) else None

    def scene_for(self, floor_id: int) -> PlanScene:
        scene = self.scenes.get(floor_id)
        if scene is None:
            scene = PlanScene(self.project, floor_id, self.colour_mode, self)
            scene.show_grid = self.act_grid.isChecked()
            self.scenes[floor_id] = scene
        elif scene.dirty:
            scene.reload()
        return scene

    def _show_floor(self, index: int) -> None:
        if not 0 <= index < len(self.floor_ids):
            return
        fid = self.floor_ids[index]
        old = self.view.scene()
        if old is not None and old.floor_id == fid and not old.dirty:
            return
        if old is not None:
            centre = self.view.mapToScene(self.view.viewport().rect().center())
            self._view_states[old.floor_id] = (self.view.transform(), centre, self.view._fitted)
        self.editor.set_scene(self.scene_for(fid))
        state = self._view_states.get(fid)
        if state is None:
            self.fit()
        else:
            transform, centre, fitted = state
            self.view.setTransform(transform)
            self.view.centerOn(centre)
            self.view._fitted = fitted
            self.view.zoomed.emit()
        if self._overlaps.get(fid):
            self.check_overlaps()  # edited while another floor was shown: parted ones lose their outline
        self.background_menu.update_actions()
        self._update_actions()

    def show_floor(self, floor_id: int) -> None:
        """Bring ``floor_id``'s tab forward and fit its plan to the view (after an import)."""
        if floor_id not in self.floor_ids:
            self._load_floors()
        if floor_id in self.floor_ids:
            self.floor_bar.setCurrentIndex(self.floor_ids.index(floor_id))
            self._show_floor(self.floor_ids.index(floor_id))
            self.fit()

    def _floor_moved(self, src: int, dst: int) -> None:
        order = list(self.floor_ids)
        order.insert(dst, order.pop(src))
        self.floor_ids = order  # the bar shows this order already
        if not self.editor.push(ReorderFloors(order, merge_key=("floor-drag", self._floor_drag))):
            self.floor_ids = []
            QTimer.singleShot(0, self._load_floors)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if obj is self.floor_bar and event.type() == QEvent.MouseButtonPress:
            self._floor_drag += 1  # a new drag of a tab: a new undo step
        return super().eventFilter(obj, event)

    # --- the Floor and Background menus' entry points, under the names callers use ------
    def add_floor(self) -> bool:
        return self.floor_menu.add_floor()

    def rename_floor(self) -> bool:
        return self.floor_menu.rename_floor()

    def move_floor(self, step: int) -> bool:
        return self.floor_menu.move_floor(step)

    def delete_floor(self) -> bool:
        return self.floor_menu.delete_floor()

    def import_dxf(self):
        """Open the DXF import dialog for the floor shown; returns the dialog."""
        return self.background_menu.import_dxf()

    # --- view toggles -----------------------------------------------------------------
    def fit(self) -> None:
        self.view.fit()

    def _build_routes(self, signals) -> None:
        """The view toggle "Walking distances" (remembered; next to Lock rooms): each distance rule's route on
        the floor shown, measured again after edits (``routes_overlay``)."""
        from mpp_planner.qt.plan.routes_overlay import TOPICS, RoutesOverlay

        self.routes = RoutesOverlay(self.project, self.view, self, report=self.editor.report)
        self.act_routes = self.routes.action
        acts = self.view_bar.actions()
        if self.act_lock in acts[:-1]:
            self.view_bar.insertAction(acts[acts.index(self.act_lock) + 1], self.act_routes)
        else:
            self.view_bar.addAction(self.act_routes)
        self.floor_bar.currentChanged.connect(lambda _i: self.routes.follow())
        connect_when_visible(signals, self, self.routes.apply_changes, *TOPICS)

    def _toggle_grid(self, on: bool) -> None:
        for scene in self.scenes.values():
            scene.show_grid = on
        self.view.resetCachedContent()
        self.view.viewport().update()

    def _toggle_furniture_labels(self, on: bool) -> None:
        settings.save({FURNITURE_LABELS: bool(on)})
        for scene in self.scenes.values():
            set_furniture_labels(scene, on)

    def _toggle_snap(self, on: bool) -> None:
        self.editor.snapping = on
        self._update_snap_label()

    def _grid_changed(self, _index: int) -> None:
        size = self.grid_combo.currentData()
        self.editor.grid_size = size
        for scene in self.scenes.values():
            scene.grid_size = size
        self.view.resetCachedContent()
        self.view.viewport().update()
        settings.save({"plan_grid_mm": size})
        self._update_snap_label()

    def _toggle_lock(self, locked: bool) -> None:
        self.editor.locked = locked
        for scene in self.scenes.values():
            scene.set_locked(locked)

    def _update_snap_label(self) -> None:
        if self.editor.snapping:
            self.snap_label.setText(_("Snap: grid {n} mm and edges — hold Alt to place freely").format(
                n=self.editor.grid_size))
        else:
            self.snap_label.setText(_("Snap off"))

    def set_colour_mode(self, mode: str) -> None:
        self.colour_mode = mode
        for scene in self.scenes.values():
            scene.set_colour_mode(mode)
        self.legend.set_mode(mode)

    # --- reacting -----------------------------------------------------------------------
    def _item_tool(self) -> None:
        chosen = self.palette.tree.currentItem()
        if chosen is not None and chosen.data(0, TYPE_ROLE) is not None:
            self.palette.choose(chosen.data(0, TYPE_ROLE))
        else:
            self.docks["catalog"].show()
            self.palette.search.setFocus()
            self.editor.report(_("Choose an item in the catalog, then click on the plan."), error=False)
            self.tool_actions[self.editor.tool.key if self.editor.tool else "select"].setChecked(True)

    def _tool_changed(self, key: str) -> None:
        act = self.tool_actions.get(key)
        if act is not None:
            act.setChecked(True)
        self.walls.tool_changed(key)
        if key != "item":
            self.palette.clear_choice()

    def _selection_changed(self) -> None:
        self.properties.set_selection(self.editor.selected_refs())
        self._update_actions()

    def _update_actions(self) -> None:
        active = self.isVisible() and self.view.scene() is not None
        refs = self.editor.selected_refs() if active else []
        n = len(refs)
        for act in (self.act_cut, self.act_copy, self.act_delete, self.act_duplicate, self.act_zoom_sel):
            act.setEnabled(n > 0)
        self.act_rotate.setEnabled(any(k in ("counter", "item") for k, _i in refs))
        self.act_remove_from_plan.setEnabled(any(k == "item" for k, _i in refs))
        self.act_paste.setEnabled(active and self.editor.clipboard_has_plan())
        self.act_select_all.setEnabled(active)
        self.align_menu.setEnabled(n >= 2)
        self.distribute_menu.setEnabled(n >= 3)
        self.floor_menu.update_actions()
        self.act_bg_import.setEnabled(self.current_floor_id() is not None)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self._update_actions()

    def hideEvent(self, event) -> None:  # noqa: N802
        super().hideEvent(event)
        self._update_actions()

    def _message(self, text: str, error: bool) -> None:
        window = self.window()
        if isinstance(window, QMainWindow) and window is not self.inner:
            window.statusBar().showMessage(text, 8000)

    def _zoomed(self) -> None:
        scene = self.view.scene()
        if scene is not None:
            scene.update_handles()  # the rotation grip sits a fixed number of pixels away

    def _cursor_moved(self, pos: QPointF) -> None:
        self.coords_label.setText(_("X {x} m   Y {y} m").format(
            x=number(pos.x() / 1000, 2), y=number(pos.y() / 1000, 2)))

    def _edit_requested(self, item) -> None:
        self.docks["properties"].show()
        self.docks["properties"].raise_()
        first = next(iter(self.properties.widgets.values()), None)
        if first is not None:
            first.setFocus()

    def _item_dropped(self, type_id: int, pos: QPointF) -> None:
        from mpp_planner.commands.plan import PlaceItem

        if self.current_floor_id() is None:
            return
        snap = self.editor.snapper().point(pos.x(), pos.y())
        cmd = PlaceItem(self.current_floor_id(), type_id, snap.x, snap.y)
        if self.editor.push(cmd):
            self.view.scene().select_refs(cmd.created)

    def _context_menu(self, global_pos, scene_pos: QPointF) -> None:
        hit = self.editor.hit(scene_pos)
        scene = self.view.scene()
        if scene is None:
            return
        if hit is not None and hasattr(hit, "ref") and not hit.isSelected():
            scene.select_refs([hit.ref])
        menu = QMenu(self)
        for act in (self.act_cut, self.act_copy):
            menu.addAction(act)
        paste_here = menu.addAction(_("Paste Here"))
        paste_here.setEnabled(self.editor.clipboard_has_plan())
        paste_here.triggered.connect(lambda: self.editor.paste(at=scene_pos))
        for act in (self.act_duplicate, self.act_delete):
            menu.addAction(act)
        menu.addSeparator()
        menu.addMenu(self.align_menu)
        menu.addMenu(self.distribute_menu)
        menu.addAction(self.act_rotate)
        menu.addAction(self.act_remove_from_plan)
        for act in self.walls.menu_actions():  # walls around a room; a door's hinge and swing flipped
            menu.addAction(act)
        menu.addSeparator()
        menu.addAction(self.act_select_all)
        menu.addAction(self.act_zoom_sel)
        menu.addAction(self.act_fit)
        self._update_actions()
        self.context = menu
        menu.popup(global_pos)

    # --- counters and furniture standing in each other -----------------------------------
    def check_overlaps(self, changed=frozenset()) -> list[Overlap]:
        """Outline the counters and furniture of the floor shown that overlap: those outlined before
        and still overlapping, and new overlaps of the ``changed`` objects (refs), which the message
        line names. Returns the new overlaps."""
        scene = self.view.scene()
        if scene is None:
            return []
        fid = scene.floor_id
        boxes = scene.box_items()  # what the model says (the scene follows every edit before this)
        now = find_overlaps({b.ref: b.box for b in boxes})
        before = set(self._overlaps.get(fid, ()))
        new = [p for p in now if p not in before and (p.first in changed or p.second in changed)]
        flagged = [p for p in now if p in before or p in new]
        self._overlaps[fid] = flagged
        scene.show_overlaps(overlapping(flagged))
        if new:
            names = {b.ref: b.label if isinstance(b, CounterItem) else b.name for b in boxes}
            pairs = [(p.second, p.first) if p.first not in changed else (p.first, p.second) for p in new]
            parts = [_("{a} overlaps {b}").format(a=names[a], b=names[b]) for a, b in pairs[:NAMED_OVERLAPS]]
            text = "; ".join(parts)
            if len(new) > NAMED_OVERLAPS:
                text = _("{overlaps} and {n} more").format(overlaps=text, n=len(new) - NAMED_OVERLAPS)
            self.editor.report(text + ".", error=False)
        return new

    def overlaps_shown(self) -> list[Overlap]:
        """The overlaps outlined on the floor shown."""
        return list(self._overlaps.get(self.current_floor_id(), ()))

    @staticmethod
    def _changed_boxes(changes: Changes) -> set:
        """The counters and furniture an edit added or changed."""
        out = set()
        for kind, topic in (("counter", Topic.COUNTERS), ("item", Topic.INVENTORY)):
            out |= {(kind, i) for i in changes.ids(topic, "added") | changes.ids(topic, "updated")}
        return out

    def apply_changes(self, changes: Changes) -> None:
        if changes.about(Topic.FLOORS):
            self._load_floors()
        current = self.view.scene()
        drawn = changes.about(*SCENE_TOPICS)
        if drawn:
            for scene in self.scenes.values():
                if scene is current:
                    scene.apply_changes(changes)
                else:
                    scene.dirty = True
        if current is not None and changes.about(*OVERLAP_TOPICS):
            self.check_overlaps(self._changed_boxes(changes))
        if changes.about(Topic.AGENCIES, Topic.ALLOCATION):
            self.legend.refresh()
        if changes.about(Topic.CATALOG):
            self.palette.reload()
        if drawn and self.properties.refs:
            self.properties.refresh()
        if changes.about(Topic.BACKGROUNDS):
            self.background_menu.update_actions()
        self._update_actions()


__all__ = ["PlanTab"]
