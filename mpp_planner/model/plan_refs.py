"""Plan objects by reference ``(kind, id)``, kind one of ``room``, ``counter``, ``item`` (an inventory
item drawn on the plan), ``annotation``, ``wall`` or ``opening`` (a door or window in a wall): the class
of each kind and loading many at once. The plan
commands load what they edit and the plan reads load what they draw through :func:`load_objects`."""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from mpp_planner.model.inventory import InventoryItem
from mpp_planner.model.plan import Annotation, Counter, Room
from mpp_planner.model.walls import Wall, WallOpening

Ref = tuple[str, int]

KIND_MODEL: dict[str, Any] = {"room": Room, "counter": Counter, "item": InventoryItem, "annotation": Annotation,
                              "wall": Wall, "opening": WallOpening}
TABLE_KIND = {"room": "room", "counter": "counter", "inventory_item": "item", "annotation": "annotation",
              "wall": "wall", "wall_opening": "opening"}
KIND_TABLE = {kind: table for table, kind in TABLE_KIND.items()}


#: what a kind's object reads besides its own columns (loaded with it)
NEEDS: dict[Any, tuple[str, ...]] = {InventoryItem: ("item_type",), WallOpening: ("wall",)}


def _chunks(ids: Sequence, size: int = 500):
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def held_object(session: Session, cls, ident, needs: Iterable[str] = ()):
    """The object if the session already holds it fully loaded (no query needed), else None."""
    obj = session.identity_map.get(session.identity_key(cls, ident))
    if obj is None:
        return None
    state = sa_inspect(obj)
    if state.expired_attributes or not all(n in state.dict for n in needs):
        return None
    return obj


def load_objects(session: Session, refs: Iterable[Ref]) -> dict[Ref, Any]:
    """The ORM objects for ``refs``: those the session holds, then one query per kind for the
    rest (never one query per object)."""
    by_kind: dict[str, list[int]] = defaultdict(list)
    out: dict[Ref, Any] = {}
    for kind, ident in refs:
        cls = KIND_MODEL[kind]
        obj = held_object(session, cls, ident, NEEDS.get(cls, ()))
        if obj is not None:
            out[(kind, ident)] = obj
        else:
            by_kind[kind].append(ident)
    for kind, ids in by_kind.items():
        cls = KIND_MODEL[kind]
        for chunk in _chunks(sorted(set(ids))):
            stmt = select(cls).where(cls.id.in_(chunk))
            if cls is InventoryItem:
                stmt = stmt.options(selectinload(InventoryItem.item_type))
            elif cls is WallOpening:
                stmt = stmt.options(selectinload(WallOpening.wall))
            for obj in session.scalars(stmt):
                out[(kind, obj.id)] = obj
    _keep_recent(session, out)
    return out


RECENT_LIMIT = 5000


def _keep_recent(session: Session, objs: Mapping[Ref, Any]) -> None:
    """Hold the objects last edited on the plan strongly: the session's identity map is weak, so
    without this a drag or a run of nudges would load the same objects again at every step."""
    recent = session.info.setdefault("plan_recent", OrderedDict())
    for ref, obj in objs.items():
        recent[ref] = obj
        recent.move_to_end(ref)
    while len(recent) > RECENT_LIMIT:
        recent.popitem(last=False)
