"""The item catalog as the screens show it: the item types with how often each is used, the pick lists
of the item-type form (categories, units, account codes) and the item types as choices of other forms."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from mpp_planner.model import AccountCode, InventoryItem, ItemType, Need
from mpp_planner.project import Project


@dataclass(frozen=True)
class ItemTypeChoice:
    """An item type as a form offers it: ``name (key)``, with the unit it is counted in."""

    id: int
    key: str
    name: str
    unit: str


def item_types(project: Project) -> list[ItemType]:
    """Every item type by category and name; loaded afresh (the catalog edits them in place)."""
    return list(project.session.scalars(select(ItemType).order_by(ItemType.category, ItemType.name)
                                        .execution_options(populate_existing=True)))


def item_type_usage(project: Project) -> dict[int, int]:
    """Item type id -> how many KIR rows and needs use it (unused types are absent)."""
    usage: dict[int, int] = {}
    for cls in (InventoryItem, Need):
        for type_id, n in project.session.execute(select(cls.item_type_id, func.count()).group_by(cls.item_type_id)):
            usage[type_id] = usage.get(type_id, 0) + n
    return usage


def item_type_choices(project: Project) -> list[ItemTypeChoice]:
    """The item types a KIR row or a need may be of, by category and name."""
    rows = project.session.execute(select(ItemType.id, ItemType.key, ItemType.name, ItemType.unit)
                                   .order_by(ItemType.category, ItemType.name)).all()
    return [ItemTypeChoice(*row) for row in rows]


def categories(project: Project) -> list[str]:
    """The categories in use, sorted."""
    return sorted(set(project.session.scalars(select(ItemType.category).distinct())))


def units(project: Project) -> list[str]:
    """The units in use, sorted."""
    return sorted(set(project.session.scalars(select(ItemType.unit).distinct())))


def account_codes(project: Project) -> list[tuple[str, str]]:
    """(code, name) of every account code, by code."""
    return [(code, name) for code, name in project.session.execute(
        select(AccountCode.code, AccountCode.name).order_by(AccountCode.code))]
