"""Undoable edits of the catalog, the per-room inventory (KIR), needs and visitation notes.

The generic commands do most of the work; what is here keeps the model's rules whole:
an item's quantity is checked against its item type's unit (whole units take whole numbers)
also when the item type changes, an item drawn on the plan keeps the room its position gives
it, a catalog entry in use cannot be deleted, and a unit cannot become whole while fractional
quantities of it exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from mpp_planner.commands.base import Command, MacroCommand
from mpp_planner.commands.generic import AddObjects, DeleteObjects, SetFields
from mpp_planner.i18n import _
from mpp_planner.model import (Condition, InventoryItem, ItemType, Need, NeedSource, Room, ValidationError, Visit,
                               VisitFinding)
from mpp_planner.model.inventory import WHOLE_UNITS
from mpp_planner.project import Project

# Fields in the order they must be set: the item type before the quantity it validates.
ITEM_FIELDS = ("item_type_id", "room_id", "quantity", "condition", "brand_model", "serial_no", "size", "material",
               "year", "register_code", "purchase_price", "notes")
NEED_FIELDS = ("item_type_id", "room_id", "quantity", "source", "reason", "rule_id", "visit_finding_id")


def get_item_type(project: Project, ident) -> ItemType:
    it = project.get(ItemType, ident) if ident not in (None, "") else None
    if it is None:
        raise ValidationError("item_type_id", _("Choose an item type from the catalog."))
    return it


def get_room(project: Project, ident, *, required: bool) -> Room | None:
    if ident in (None, ""):
        if required:
            raise ValidationError("room_id", _("Choose a room."))
        return None
    room = project.get(Room, ident)
    if room is None:
        raise ValidationError("room_id", _("The room no longer exists."))
    return room


def _ordered(fields: dict[str, Any], order: Iterable[str]) -> list[tuple[str, Any]]:
    order = list(order)
    return sorted(fields.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))


def _apply_item(project: Project, obj: InventoryItem, fields: dict[str, Any], *, checking: bool) -> None:
    for name, value in _ordered(fields, ITEM_FIELDS):
        if name == "item_type_id":
            obj.item_type = get_item_type(project, value)
        elif name == "room_id":
            if checking and obj.on_plan and value != obj.room_id:
                raise ValidationError("room_id", _(
                    "This item is drawn on the plan: its room follows its position. Move it on the plan instead."))
            obj.room = get_room(project, value, required=False)
        else:
            setattr(obj, name, value)
    if "item_type_id" in fields and "quantity" not in fields:
        obj.quantity = obj.quantity  # check the quantity against the new unit


def _apply_need(project: Project, obj: Need, fields: dict[str, Any], *, checking: bool) -> None:
    for name, value in _ordered(fields, NEED_FIELDS):
        if name == "item_type_id":
            obj.item_type = get_item_type(project, value)
        elif name == "room_id":
            obj.room = get_room(project, value, required=True)
        elif name == "visit_finding_id":
            if value is not None and project.get(VisitFinding, value) is None:
                raise ValidationError("visit_finding_id", _("The visit finding no longer exists."))
            obj.visit_finding_id = value
        else:
            setattr(obj, name, value)
    if "item_type_id" in fields and "quantity" not in fields:
        obj.quantity = obj.quantity


def _apply_item_type(project: Project, obj: ItemType, fields: dict[str, Any], *, checking: bool) -> None:
    if checking and "key" in fields and fields["key"] != obj.key:
        other = project.session.scalar(select(ItemType).where(ItemType.key == str(fields["key"]).strip(),
                                                              ItemType.id != obj.id))
        if other is not None:
            raise ValidationError("key", _("The key '{key}' is already used by '{name}'.").format(
                key=fields["key"], name=other.name))
    for name, value in fields.items():
        setattr(obj, name, value)
    if checking and "unit" in fields and obj.unit.lower() in WHOLE_UNITS:
        s = project.session
        for cls in (InventoryItem, Need):
            qtys = s.scalars(select(cls.quantity).where(cls.item_type_id == obj.id))
            if any(q != q.to_integral_value() for q in qtys):
                raise ValidationError("unit", _(
                    "'{unit}' is counted in whole numbers, but some inventory rows or needs of '{name}' hold "
                    "fractions.").format(unit=obj.unit, name=obj.name))


APPLY: dict[type, Callable[..., None]] = {InventoryItem: _apply_item, Need: _apply_need, ItemType: _apply_item_type}


class EditObjects(SetFields):
    """:class:`SetFields` for inventory rows, needs and item types, with their cross-field checks."""

    def apply(self, project: Project, obj, fields: dict[str, Any], *, checking: bool) -> None:
        special = APPLY.get(self.cls)
        if special is None:
            super().apply(project, obj, fields, checking=checking)
        else:
            special(project, obj, fields, checking=checking)


# --- inventory rows --------------------------------------------------------------------

def new_inventory_item(project: Project, fields: dict[str, Any]) -> InventoryItem:
    """A checked, not yet added KIR row (item type set first so the quantity is checked against its unit)."""
    item = InventoryItem(condition=Condition.B.value)
    fields = {"quantity": 1, **fields}
    _apply_item(project, item, fields, checking=True)
    return item


def add_inventory_item(project: Project, fields: dict[str, Any]) -> AddObjects:
    item = new_inventory_item(project, fields)
    return AddObjects(_("Add {item}").format(item=item.item_type.name), [item])


def edit_inventory_item(item_id: int, fields: dict[str, Any], text: str | None = None) -> EditObjects:
    return EditObjects(text or _("Edit inventory"), InventoryItem, {item_id: fields})


def delete_inventory_items(ids: Iterable[int]) -> DeleteObjects:
    ids = list(ids)
    return DeleteObjects(_("Delete {n} inventory row(s)").format(n=len(ids)), InventoryItem, ids)


# --- needs -----------------------------------------------------------------------------

def new_need(project: Project, fields: dict[str, Any]) -> Need:
    need = Need(source=NeedSource.MANUAL.value)
    _apply_need(project, need, {"quantity": 1, **fields}, checking=True)
    if need.room is None:
        raise ValidationError("room_id", _("Choose a room."))
    return need


def add_need(project: Project, fields: dict[str, Any]) -> AddObjects:
    need = new_need(project, fields)
    return AddObjects(_("Add need for {item}").format(item=need.item_type.name), [need])


def edit_need(need_id: int, fields: dict[str, Any], text: str | None = None) -> EditObjects:
    return EditObjects(text or _("Edit need"), Need, {need_id: fields})


def delete_needs(ids: Iterable[int]) -> DeleteObjects:
    ids = list(ids)
    return DeleteObjects(_("Delete {n} need(s)").format(n=len(ids)), Need, ids)


@dataclass
class NeedsFromFindings:
    """What "Create needs from findings" will do: the command (None when nothing to add) and why
    the other findings were left out."""

    command: Command | None
    created: list[Need] = field(default_factory=list)
    covered: int = 0  # a need for the item (or an item with the same purpose) already exists
    without_suggestion: int = 0
    unknown_items: list[str] = field(default_factory=list)


def needs_from_findings(project: Project, findings, *, count_kb: bool = False) -> NeedsFromFindings:
    """One undoable step adding a need per finding with a suggestion, unless already planned.

    The need's quantity is what the room must hold: the usable quantity there now plus the
    finding's shortfall, so the gap equals the shortfall.
    """
    s = project.session
    types = {t.key: t for t in s.scalars(select(ItemType))}
    existing = s.scalars(select(Need).options(selectinload(Need.item_type))).all()
    planned: dict[int, list[ItemType]] = {}
    for n in existing:
        planned.setdefault(n.room_id, []).append(n.item_type)
    usable_conditions = [Condition.B.value] + ([Condition.KB.value] if count_kb else [])
    have: dict[tuple[int, int], Decimal] = {}
    for room_id, type_id, qty in s.execute(
            select(InventoryItem.room_id, InventoryItem.item_type_id, InventoryItem.quantity)
            .where(InventoryItem.condition.in_(usable_conditions), InventoryItem.room_id.is_not(None))):
        assert room_id is not None  # the query keeps rows with a room only
        have[(room_id, type_id)] = have.get((room_id, type_id), Decimal(0)) + qty
    result = NeedsFromFindings(None)
    for f in findings:
        sug = f.suggestion
        if sug is None or sug.room_id is None:
            result.without_suggestion += 1
            continue
        it = types.get(sug.item_key)
        if it is None:
            if sug.item_key not in result.unknown_items:
                result.unknown_items.append(sug.item_key)
            continue
        wanted = set(sug.tags)
        if any(t.id == it.id or (wanted and t.tag_set & wanted) for t in planned.get(sug.room_id, [])):
            result.covered += 1
            continue
        room = project.get(Room, sug.room_id)
        if room is None:
            result.without_suggestion += 1
            continue
        now = have.get((room.id, it.id), Decimal(0))
        need = Need(source=NeedSource.STANDARD.value)
        need.item_type = it
        need.room = room
        need.quantity = now + sug.quantity
        need.rule_id = f.rule_id
        need.reason = f.message
        result.created.append(need)
        planned.setdefault(room.id, []).append(it)
    if result.created:
        result.command = AddObjects(_("Create {n} need(s) from findings").format(n=len(result.created)),
                                    result.created)
    return result


# --- the catalog -----------------------------------------------------------------------

def new_item_type(project: Project, fields: dict[str, Any]) -> ItemType:
    key = str(fields.get("key", "")).strip()
    if key and project.session.scalar(select(ItemType).where(ItemType.key == key)) is not None:
        raise ValidationError("key", _("The key '{key}' is already used.").format(key=key))
    values = {"unit": "unit", "ref_price": Decimal(0), "specification": "", "tags": "", "seats": 0, "width": 600,
              "depth": 600, **fields}
    return ItemType(**values)


def add_item_type(project: Project, fields: dict[str, Any]) -> AddObjects:
    it = new_item_type(project, fields)
    return AddObjects(_("Add catalog item {name}").format(name=it.name), [it])


def edit_item_type(type_id: int, fields: dict[str, Any], text: str | None = None) -> EditObjects:
    return EditObjects(text or _("Edit catalog item"), ItemType, {type_id: fields})


def delete_item_types(project: Project, ids: Iterable[int]) -> DeleteObjects:
    """Refuses (ValidationError) when an inventory row or a need still uses one of them."""
    ids = list(ids)
    s = project.session
    for it in s.scalars(select(ItemType).where(ItemType.id.in_(ids))):
        n_items = s.scalar(select(func.count()).select_from(InventoryItem).where(InventoryItem.item_type_id == it.id))
        n_needs = s.scalar(select(func.count()).select_from(Need).where(Need.item_type_id == it.id))
        if n_items or n_needs:
            raise ValidationError("item_type_id", _(
                "'{name}' is used by {items} inventory row(s) and {needs} need(s); it cannot be deleted.").format(
                name=it.name, items=n_items, needs=n_needs))
    return DeleteObjects(_("Delete {n} catalog item(s)").format(n=len(ids)), ItemType, ids)


# --- visits and their findings ---------------------------------------------------------

def add_visit(fields: dict[str, Any]) -> AddObjects:
    visit = Visit(**{"visitor": "", "notes": "", **fields})
    return AddObjects(_("Add visit of {office}").format(office=visit.office), [visit])


def edit_visit(visit_id: int, fields: dict[str, Any]) -> SetFields:
    return SetFields(_("Edit visit"), Visit, {visit_id: fields})


def delete_visit(visit_id: int) -> DeleteObjects:
    return DeleteObjects(_("Delete visit"), Visit, [visit_id])


def add_visit_finding(project: Project, visit_id: int, fields: dict[str, Any],
                      need_ids: Iterable[int] = ()) -> Command:
    if project.get(Visit, visit_id) is None:
        raise ValidationError("visit_id", _("The visit no longer exists."))
    room_id = fields.get("room_id")
    if room_id is not None:
        get_room(project, room_id, required=False)
    finding = VisitFinding(visit_id=visit_id, **{"status": "open", **fields})
    add = AddObjects(_("Add visit finding"), [finding])
    need_ids = list(need_ids)
    if not need_ids:
        return add
    return MacroCommand(add.text, [add, _LinkNewFinding(add, need_ids)])


class _LinkNewFinding(Command):
    """Link needs to a finding that the preceding AddObjects created (its id is known only then)."""

    def __init__(self, add: AddObjects, need_ids: list[int]):
        self.add = add
        self.need_ids = need_ids
        self.inner: SetFields | None = None

    def redo(self, project: Project) -> None:
        fid = self.add.created_ids[0]
        self.inner = SetFields("", Need, {nid: {"visit_finding_id": fid} for nid in self.need_ids})
        self.inner.redo(project)

    def undo(self, project: Project) -> None:
        if self.inner is not None:
            self.inner.undo(project)


def edit_visit_finding(project: Project, finding_id: int, fields: dict[str, Any],
                       need_ids: Iterable[int] | None = None) -> Command:
    """Change a finding; with ``need_ids``, make exactly those needs link to it."""
    if "room_id" in fields and fields["room_id"] is not None:
        get_room(project, fields["room_id"], required=False)
    commands: list[Command] = []
    if fields:
        commands.append(SetFields(_("Edit visit finding"), VisitFinding, {finding_id: fields}))
    if need_ids is not None:
        wanted = set(need_ids)
        linked = set(project.session.scalars(select(Need.id).where(Need.visit_finding_id == finding_id)))
        changes: dict[int, dict[str, int | None]] = {nid: {"visit_finding_id": finding_id} for nid in wanted - linked}
        changes.update({nid: {"visit_finding_id": None} for nid in linked - wanted})
        if changes:
            commands.append(SetFields(_("Link needs"), Need, changes))
    if len(commands) == 1:
        return commands[0]
    return MacroCommand(_("Edit visit finding"), commands)


def delete_visit_findings(ids: Iterable[int]) -> DeleteObjects:
    ids = list(ids)
    return DeleteObjects(_("Delete {n} visit finding(s)").format(n=len(ids)), VisitFinding, ids)
