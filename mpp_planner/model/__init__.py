"""The domain: SQLAlchemy typed declarative classes and value types. No Qt.

Lengths are integer millimetres everywhere (plan coordinates, sizes); areas are
reported in square metres. Money is ``Decimal`` (Rupiah, two decimals).
"""

from mpp_planner.model.base import Base, ValidationError
from mpp_planner.model.site import Site, Signatory, AccountCode, BudgetCeiling
from mpp_planner.model.plan import Floor, FloorBackground, Room, RoomKind, Counter, Annotation
from mpp_planner.model.agency import Agency, Tier, Service, CounterAssignment, Weekday
from mpp_planner.model.inventory import (ItemType, InventoryItem, Condition, Need, NeedSource, Visit, VisitFinding,
                                         FollowUp)
from mpp_planner.model.budget import BudgetLine, BudgetStatus, SubActivity
from mpp_planner.model.checklist import ChecklistTick
from mpp_planner.model.survey import SurveyAction, SurveyPeriod, SurveyResponse
from mpp_planner.model.walls import OpeningKind, Wall, WallOpening
from mpp_planner.model.underlay import FloorUnderlay, Underlay, UnderlayPath, UnderlayText
from mpp_planner.model.history import ChangeLog

__all__ = [
    "Base", "ValidationError", "Site", "Signatory", "AccountCode", "BudgetCeiling",
    "Floor", "FloorBackground", "Room", "RoomKind", "Counter", "Annotation",
    "Agency", "Tier", "Service", "CounterAssignment", "Weekday",
    "ItemType", "InventoryItem", "Condition", "Need", "NeedSource", "Visit", "VisitFinding",
    "FollowUp", "BudgetLine", "BudgetStatus", "SubActivity",
    "FloorUnderlay", "SurveyPeriod", "SurveyResponse", "SurveyAction", "ChecklistTick", "Underlay", "UnderlayPath",
    "UnderlayText", "Wall", "WallOpening", "OpeningKind", "ChangeLog",
]
