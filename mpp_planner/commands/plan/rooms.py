"""Rooms: draw one, reshape its outline. The furniture inside follows (see ``room_links``)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from mpp_planner.commands.plan.objects import CreatePlanObjects, EditPlan
from mpp_planner.i18n import _
from mpp_planner.model import Room
from mpp_planner.model.plan import RoomKind


def _unique_name(base: str, taken: set[str]) -> str:
    n = 1
    while base.format(n=n) in taken:
        n += 1
    return base.format(n=n)


class AddRoom(CreatePlanObjects):
    """A room drawn on the plan (rectangle or polygon); named "Room N" until renamed."""

    def __init__(self, floor_id: int, outline: Sequence[Sequence[int]], name: str | None = None,
                 kind: str = RoomKind.OTHER.value):
        super().__init__(_("Draw room"), floor_id)
        self.outline = [list(p) for p in outline]
        self.name = name
        self.kind = kind

    def build(self, session):
        names = set(session.scalars(select(Room.name).where(Room.floor_id == self.floor_id)))
        name = self.name or _unique_name(_("Room {n}"), names)
        return [("room", Room(floor_id=self.floor_id, name=name, kind=self.kind, outline=self.outline))]


class EditRoomOutline(EditPlan):
    """A room's corners moved (vertex handles); furniture follows the new outline."""

    def __init__(self, room_id: int, outline: Sequence[Sequence[int]]):
        super().__init__(_("Reshape room"), {("room", room_id): {"outline": [list(p) for p in outline]}})
