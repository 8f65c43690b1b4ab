"""The item catalog as the screens show it: the item types with how often each is used, the pick lists
of the item-type form (categories, units, account codes, the kode barang list) and the item types as
choices of other forms."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from mpp_planner.model import AccountCode, InventoryItem, ItemType, Need
from mpp_planner.model import asset_codes
from mpp_planner.model.asset_codes import AssetCode
from mpp_planner.project import Project


@dataclass(frozen=True)
class ItemTypeChoice:
    """An item type as a form offers it: ``name (key)``, with the unit it is counted in and its kode barang
    (what a KIR row of it carries unless the row has its own)."""

    id: int
    key: str
    name: str
    unit: str
    asset_code: str = ""


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
    rows = project.session.execute(select(ItemType.id, ItemType.key, ItemType.name, ItemType.unit, ItemType.asset_code)
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


def asset_code_choices() -> list[AssetCode]:
    """The full kode barang (Permendagri 108/2016) a catalog item or a KIR row may carry, with their names
    (``resources/asset_codes.csv``; the same for every project)."""
    return asset_codes.choices()


def asset_code_name(code: str) -> str:
    """The listed name of a kode barang ("" when the list does not hold it)."""
    return asset_codes.name_of(code)
