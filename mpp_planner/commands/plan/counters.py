"""Counters: place one, labelled with its floor's next number (L1-1, L1-2...)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from mpp_planner.commands.plan.floors import floor_position
from mpp_planner.commands.plan.objects import CreatePlanObjects
from mpp_planner.commands.snap import next_label
from mpp_planner.i18n import _
from mpp_planner.model import Counter

DEFAULT_COUNTER_SIZE = (1800, 800)  # a standard service desk, mm


def counter_labels(session: Session, floor_id: int) -> list[str]:
    return list(session.scalars(select(Counter.label).where(Counter.floor_id == floor_id)))


class PlaceCounter(CreatePlanObjects):
    """A new counter centred on (x, y), labelled with the floor's next number (L1-19)."""

    def __init__(self, floor_id: int, x: int, y: int, rotation: float = 0.0, label: str | None = None,
                 size: tuple[int, int] = DEFAULT_COUNTER_SIZE):
        super().__init__(_("Place counter"), floor_id)
        self.x, self.y, self.rotation, self.label, self.size = x, y, rotation, label, size

    def build(self, session):
        label = self.label or next_label(counter_labels(session, self.floor_id),
                                         f"L{floor_position(session, self.floor_id)}-")
        return [("counter", Counter(floor_id=self.floor_id, label=label, x=self.x, y=self.y, width=self.size[0],
                                    depth=self.size[1], rotation=self.rotation))]
