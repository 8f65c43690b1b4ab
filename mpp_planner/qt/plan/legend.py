"""Legend of agency or tier colours, shared by the plan and the allocation views."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from mpp_planner.i18n import _
from mpp_planner.model.agency import Tier
from mpp_planner.qt.plan import style
from mpp_planner.reads.plan import legend_agencies


def swatch(colour: str, size: int = 14) -> QIcon:
    pix = QPixmap(size, size)
    pix.fill(QColor(colour))
    return QIcon(pix)


class Legend(QWidget):
    def __init__(self, project, parent=None):
        super().__init__(parent)
        self.project = project
        self.mode = "agency"
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold;")
        self.list = QListWidget()
        self.list.setIconSize(QSize(14, 14))
        self.list.setSelectionMode(QListWidget.NoSelection)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.list)
        self.refresh()

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        if self.mode == "tier":
            self.title.setText(_("Legend: tier"))
            for tier in Tier:
                self.list.addItem(QListWidgetItem(swatch(style.tier_colour(tier.value)), tier.label))
        else:
            self.title.setText(_("Legend: agency"))
            for agency in legend_agencies(self.project):
                self.list.addItem(QListWidgetItem(swatch(agency.colour), agency.short_name))
        item = QListWidgetItem(swatch(style.UNASSIGNED), _("Counters not yet allocated"))
        self.list.addItem(item)
        self.list.setMinimumWidth(170)
        self.list.setTextElideMode(Qt.ElideRight)
