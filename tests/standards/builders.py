"""Small projects for the standards tests: a compliant MPP and ways to break it, one rule at a time."""

from __future__ import annotations

from decimal import Decimal

from mpp_planner.demo import load_catalog
from mpp_planner.model import Agency, Counter, CounterAssignment, Floor, InventoryItem, ItemType, Room
from tests.helpers import rect


def catalog(project) -> dict[str, ItemType]:
    with project.edit() as s:
        return load_catalog(s)


def add_room(project, floor, name, kind, outline) -> Room:
    with project.edit() as s:
        room = Room(name=name, kind=kind, outline=outline, floor_id=floor.id)
        s.add(room)
    return room


def add_item(project, room, key, quantity=1, condition="B") -> InventoryItem:
    with project.edit() as s:
        from sqlalchemy import select

        it = s.scalar(select(ItemType).where(ItemType.key == key))
        item = InventoryItem(item_type=it, room=room, quantity=Decimal(quantity), condition=condition)
        s.add(item)
    return item


def add_counter(project, floor, label, x, y, agency=None) -> Counter:
    with project.edit() as s:
        counter = Counter(floor_id=floor.id, label=label, x=x, y=y)
        if agency is not None:
            counter.assignments.append(CounterAssignment(agency=agency))
        s.add(counter)
    return counter


def tick_checklist(project, lactation) -> list:
    """Every shipped checklist item ticked: the site's, and the lactation room's."""
    from mpp_planner.model.checklist import ChecklistTick
    from mpp_planner.standards.checklist import load_checklist

    ticks = [ChecklistTick(key=item.key, room_id=None if item.for_site else lactation.id, checked_by="Uji")
             for item in load_checklist() if item.for_site or item.applies_to == "lactation_room"]
    with project.edit() as s:
        s.add_all(ticks)
    return ticks


class Mpp:
    """A one-floor MPP that meets every shipped rule; attributes give its parts."""

    def __init__(self, project):
        self.project = project
        catalog(project)
        with project.edit() as s:
            self.floor = Floor(name="Lantai 1", order=1)
            s.add(self.floor)
            self.agency = Agency(name="Dinas Uji", short_name="DU", tier="kab_kota", colour="#1F4E99")
            s.add(self.agency)
        f = self.floor
        self.waiting = add_room(project, f, "Ruang Tunggu", "waiting_area", rect(0, 0, 10000, 6000))
        self.hall = add_room(project, f, "Ruang Pelayanan", "counter_hall", rect(0, 6000, 10000, 6000))
        self.lactation = add_room(project, f, "Ruang Laktasi", "lactation_room", rect(10000, 0, 3000, 4000))
        self.play = add_room(project, f, "Ruang Bermain Anak", "play_area", rect(13000, 0, 4000, 4000))
        self.toilet = add_room(project, f, "Toilet Difabel", "accessible_toilet", rect(10000, 4000, 3000, 3000))
        self.prayer = add_room(project, f, "Mushola", "prayer_room", rect(13000, 4000, 4000, 3000))
        self.info = add_room(project, f, "Meja Informasi", "information_desk", rect(10000, 7000, 3000, 2000))
        self.complaint = add_room(project, f, "Ruang Pengaduan", "complaint_room", rect(13000, 7000, 4000, 2000))
        self.corridor = add_room(project, f, "Koridor", "corridor", rect(0, 12000, 17000, 2000))
        self.counters = [add_counter(project, f, f"L-0{i}", 2000 + 3000 * i, 8000, self.agency) for i in (1, 2)]
        self.seats = [add_item(project, self.waiting, "kursi_tunggu_4") for _i in range(3)]  # 12 seats = 2 x 6
        self.acs = {room.id: add_item(project, room, "ac_split_2pk")
                    for room in (self.waiting, self.hall, self.lactation, self.play, self.prayer, self.info,
                                 self.complaint)}
        self.lactation_items = {key: add_item(project, self.lactation, key)
                                for key in ("kulkas", "wastafel", "kasur_bayi", "kursi_menyusui")}
        self.cctv = add_item(project, self.corridor, "cctv", 2)
        self.apar = add_item(project, self.corridor, "apar", 2)
        self.access = {key: add_item(project, self.corridor, key, q)
                       for key, q in (("ramp", 6), ("kursi_roda", 1), ("guiding_block", 20))}
        # PermenPUPR 14/2017 Lampiran III: signs, the assembly point sign and bins; every checklist item ticked
        self.facilities = {key: add_item(project, self.corridor, key, q)
                           for key, q in (("papan_petunjuk", 4), ("titik_kumpul", 1), ("tempat_sampah_pilah", 2))}
        self.ticks = tick_checklist(project, self.lactation)

    def set(self, obj, **fields):
        with self.project.edit():
            for k, v in fields.items():
                setattr(obj, k, v)

    def delete(self, *objs):
        for obj in objs:
            self.project.delete_rows(obj.__table__.name, [obj.id])
