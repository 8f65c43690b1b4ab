"""Exporting and printing the floor plan to scale from the GUI (the sheets come from
``mpp_planner.reports.plan``).

The main window adds ``plan_export_actions(window)`` to its menus: the first action
("plan_export") belongs in File ▸ Export, the second ("plan_print") in File ▸ Print.
"""

from __future__ import annotations

from mpp_planner.i18n import _

# PySide6 is imported inside the functions: importing this package (as pkgutil does when it walks
# mpp_planner) must not load Qt.


def current_floor_id(window) -> int | None:
    """The floor shown in the plan tab, if the tab is built and says which; else None (first floor)."""
    tabs = getattr(window, "tab_widgets", None)
    tab = dict.get(tabs, "plan") if isinstance(tabs, dict) else None
    if tab is None:
        return None
    for name in ("current_floor_id", "floor_id"):
        value = getattr(tab, name, None)
        value = value() if callable(value) else value
        if isinstance(value, int):
            return value
    try:
        value = tab.view.scene().floor_id
    except AttributeError:
        return None
    return value if isinstance(value, int) else None


def open_plan_dialog(window, *, for_print: bool = False):
    """Open the export/print dialog on the window's project; returns the dialog (or None)."""
    from PySide6.QtCore import Qt

    from mpp_planner.qt.plan_export.dialog import PlanExportDialog

    project = getattr(window, "project", None)
    if project is None:
        return None
    dialog = PlanExportDialog(project, window, floor_id=current_floor_id(window), for_print=for_print)
    dialog.setAttribute(Qt.WA_DeleteOnClose, True)
    dialog.open()
    return dialog


def plan_export_actions(window) -> list:
    """[export action, print action] (QActions) for File ▸ Export and File ▸ Print."""
    from PySide6.QtGui import QAction

    export = QAction(_("Plan (PDF/SVG/PNG)…"), window)
    export.setObjectName("plan_export")
    export.setStatusTip(_("Export the floor plan to scale with a title block"))
    export.triggered.connect(lambda: open_plan_dialog(window))
    print_ = QAction(_("Plan…"), window)
    print_.setObjectName("plan_print")
    print_.setStatusTip(_("Print the floor plan to scale"))
    print_.triggered.connect(lambda: open_plan_dialog(window, for_print=True))
    return [export, print_]
