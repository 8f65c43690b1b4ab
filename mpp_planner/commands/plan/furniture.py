"""Furniture: inventory items drawn on the plan. Placing one adds an inventory row in the room
under it; taking one off the plan keeps it in its room's inventory."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from mpp_planner.commands.plan.objects import CreatePlanObjects, EditPlan
from mpp_planner.commands.plan.refs import Ref, describe
from mpp_planner.i18n import _
from mpp_planner.model import InventoryItem, ItemType


class PlaceItem(CreatePlanObjects):
    """A catalog item put on the plan: a new inventory row (quantity 1, condition B) in the
    room under it."""

    def __init__(self, floor_id: int, item_type_id: int, x: int, y: int, rotation: float = 0.0):
        super().__init__(_("Place item"), floor_id)
        self.item_type_id, self.x, self.y, self.rotation = item_type_id, x, y, rotation

    def build(self, session):
        it = session.get(ItemType, self.item_type_id)
        if it is None:
            raise LookupError(_("This catalog item no longer exists."))
        self.text = _("Place {name}").format(name=it.name)
        return [("item", InventoryItem(item_type=it, floor_id=self.floor_id, x=self.x, y=self.y,
                                       rotation=self.rotation, quantity=Decimal("1"), condition="B"))]


class RemoveFromPlan(EditPlan):
    """Take furniture off the plan but keep it in its room's inventory."""

    def __init__(self, refs: Iterable[Ref]):
        refs = [r for r in refs if r[0] == "item"]
        super().__init__(_("Remove {what} from the plan").format(what=describe(refs)),
                         {ref: {"x": None, "y": None, "floor_id": None} for ref in refs})
