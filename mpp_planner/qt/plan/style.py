"""Colours and fonts of the plan, in one place (scene units are millimetres)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont

from mpp_planner.model.agency import TIER_COLOURS, Tier
from mpp_planner.model.plan import RoomKind

ROOM_FILL = {
    RoomKind.COUNTER_HALL: "#EEF3FA",
    RoomKind.WAITING_AREA: "#F3F7EC",
    RoomKind.LACTATION_ROOM: "#FCEFF4",
    RoomKind.PLAY_AREA: "#FFF6DC",
    RoomKind.TOILET: "#EDF4F7",
    RoomKind.ACCESSIBLE_TOILET: "#E3EFF6",
    RoomKind.PRAYER_ROOM: "#EEF5EE",
    RoomKind.INFORMATION_DESK: "#F0ECF7",
    RoomKind.COMPLAINT_ROOM: "#F7EFE8",
    RoomKind.READING_CORNER: "#F6F1E4",
    RoomKind.MEETING_ROOM: "#EFEFF4",
    RoomKind.BACK_OFFICE: "#F2F2F2",
    RoomKind.STORAGE: "#EBEBEB",
    RoomKind.CORRIDOR: "#FAFAFA",
    RoomKind.OTHER: "#F5F5F5",
}
WALL = QColor("#3C4650")
ROOM_ALPHA = 200  # of 255: room fills let the background scan and the grid show through
UNASSIGNED = "#D5D8DC"
FURNITURE_FILL = QColor("#FFFFFF")
FURNITURE_LINE = QColor("#6C7A89")
SELECTION = QColor("#E67E22")


def room_fill(kind: str) -> QColor:
    try:
        return QColor(ROOM_FILL[RoomKind(kind)])
    except ValueError:
        return QColor(ROOM_FILL[RoomKind.OTHER])


def tier_colour(tier: str) -> str:
    try:
        return TIER_COLOURS[Tier(tier)]
    except ValueError:
        return UNASSIGNED


def text_on(colour: QColor) -> QColor:
    """Black or white, whichever reads better on ``colour``."""
    luminance = 0.299 * colour.red() + 0.587 * colour.green() + 0.114 * colour.blue()
    return QColor("#1B1F23") if luminance > 150 else QColor("#FFFFFF")


def scene_font(height_mm: float, bold: bool = False) -> QFont:
    font = QFont("DejaVu Sans")
    font.setPixelSize(max(1, int(height_mm)))
    font.setBold(bold)
    return font

# --- the editor ---------------------------------------------------------------------------
GRID_MINOR = QColor("#EEF1F4")
GRID_MAJOR = QColor("#DCE1E6")
GUIDE = QColor("#E74C3C")  # a snap guide: lined up with another object's edge
HANDLE_FILL = QColor("#FFFFFF")
HANDLE_LINE = QColor("#E67E22")
PREVIEW_LINE = QColor("#2980B9")
PREVIEW_FILL = QColor(41, 128, 185, 40)
INVALID_LINE = QColor("#C0392B")
DIMENSION = QColor("#34495E")
ANNOTATION_TEXT = QColor("#2C3E50")
RULER_BG = QColor("#F4F5F7")
RULER_LINE = QColor("#9AA5B1")
RULER_TEXT = QColor("#4A5561")
CALIBRATION = QColor("#8E44AD")
