"""The checklist as the screen shows it: the items that apply to a room (or the site) with their state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from mpp_planner.i18n import current_language
from mpp_planner.model import Room
from mpp_planner.model.checklist import ChecklistTick
from mpp_planner.project import Project
from mpp_planner.standards.checklist import ChecklistItem, applicable, load_checklist


@dataclass(frozen=True)
class ChecklistRow:
    key: str
    name: str  # in the UI language
    source: str
    severity: str
    ticked: bool
    date: date | None
    checked_by: str
    note: str
    optional: bool = False  # evidence for the self-assessment; no finding while not ticked


def checklist_rows(project: Project, room_id: int | None, items: list[ChecklistItem] | None = None,
                   lang: str | None = None) -> list[ChecklistRow]:
    """The items that apply to room ``room_id`` (None: the whole site), in checklist order, with their state."""
    room = project.session.get(Room, room_id) if room_id is not None else None
    if room_id is not None and room is None:
        return []
    items = load_checklist() if items is None else items
    where = ChecklistTick.room_id.is_(None) if room_id is None else ChecklistTick.room_id == room_id
    ticks = {t.key: t for t in project.session.scalars(select(ChecklistTick).where(where)
                                                        .order_by(ChecklistTick.id.desc()))}
    lang = lang or current_language()
    out = []
    for item in applicable(items, room):
        t = ticks.get(item.key)
        out.append(ChecklistRow(item.key, item.title(lang), item.source, item.severity.value,
                                bool(t and t.ticked), t.date if t else None, t.checked_by if t else "",
                                t.note if t else "", item.optional))
    return out


def rooms_with_items(project: Project, items: list[ChecklistItem] | None = None) -> list[tuple[int, str]]:
    """(id, name) of the rooms some checklist item applies to, in plan order."""
    items = load_checklist() if items is None else items
    kinds = {i.applies_to for i in items if not i.for_site}
    return [(r.id, r.name) for r in project.session.scalars(select(Room).order_by(Room.floor_id, Room.id))
            if r.kind in kinds]


def default_checker(project: Project) -> str:
    """Who ticks by default: the goods administrator (Pengurus Barang) of the signatories, else the OS user."""
    import getpass

    from mpp_planner.model import Signatory

    name = project.session.scalars(select(Signatory.name).where(Signatory.role == "goods_admin")).first()
    if name and name.strip():
        return name.strip()
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name known to the system
        return ""
