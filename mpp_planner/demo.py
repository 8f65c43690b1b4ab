"""The built-in demo project, "MPP Kota Probolinggo", built from data files in resources/.

``build_demo(path, scale=K)`` repeats floors (with their rooms, counters and inventory),
needs and budget lines K times for load tests.

The 2024 budget request is one a finance verifier would pass (``mpp-planner check FILE --budget 2024``
finds nothing): no duplicated or overlapping lines, items below the capitalisation threshold on goods
accounts, two sub kegiatan (procurement and maintenance of the goods supporting the service). Every room
has its responsible officer, and the catalog items carry their kode barang (Permendagri 108/2016).

Each floor has walls drawn from its rooms (200 mm outer walls round the building, 150 mm partitions on the
edges rooms share, none between the public halls), a door into every enclosed room and windows in the
outer walls (``floors.json``'s "openings"), so the walking distances go through doors.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from mpp_planner.model import (Agency, BudgetCeiling, BudgetLine, Counter, CounterAssignment, Floor, InventoryItem,
                               Need, Room, Service, Signatory, SubActivity, SurveyAction, SurveyPeriod, SurveyResponse,
                               Visit, VisitFinding, Wall, WallOpening, Weekday)
from mpp_planner.project import Project
from mpp_planner.resources_path import resource
from mpp_planner.seed import load_account_codes, load_catalog, read_csv  # the one loader, shared with new projects

DAY_KEYS = {"mon": Weekday.MON, "tue": Weekday.TUE, "wed": Weekday.WED, "thu": Weekday.THU, "fri": Weekday.FRI,
            "sat": Weekday.SAT, "sun": Weekday.SUN}


def parse_days(text: str) -> int:
    if not text.strip():
        return int(Weekday.workdays())
    mask = 0
    for part in text.split(","):
        mask |= DAY_KEYS[part.strip().lower()[:3]]
    return int(mask)


def parse_factors(text: str) -> list[list[str]]:
    """"2 Unit x 12 Bulan" -> [["2", "Unit"], ["12", "Bulan"]]."""
    factors = []
    for part in text.split(" x "):
        qty, _, unit = part.strip().partition(" ")
        factors.append([qty.replace(",", "."), unit.strip() or "Unit"])
    return factors


def _opt_int(text: str | None):
    return int(float(text)) if text not in (None, "") else None


def load_agencies(session) -> dict[str, Agency]:
    agencies = {}
    for row in read_csv(resource("agencies.csv")):
        mou = row.get("mou_date") or ""
        agency = Agency(name=row["name"], short_name=row["short_name"], tier=row["tier"], colour=row["colour"],
                        contact_person=row.get("contact_person", ""), phone=row.get("phone", ""),
                        email=row.get("email", ""), mou_number=row.get("mou_number", ""),
                        mou_date=date.fromisoformat(mou) if mou else None)
        for name in (row.get("services") or "").split(";"):
            if name.strip():
                agency.services.append(Service(name=name.strip()))
        session.add(agency)
        agencies[agency.short_name] = agency
    return agencies


PROCUREMENT, MAINTENANCE = "2.18.01.2.07.0006", "2.18.01.2.09.0006"


def demo_sub_activity_for(account_code: str) -> str:
    """Maintenance accounts (5.1.02.03) go to the maintenance sub kegiatan, the rest to procurement. A
    ``sub_activity`` column in budget_2024.csv overrides this (the refill of the fire extinguishers is bought on
    a goods account but is maintenance)."""
    return MAINTENANCE if account_code.startswith("5.1.02.03.") else PROCUREMENT


def demo_sub_activities(site_data: dict, copy: int) -> dict[str, SubActivity]:
    """The demo's two sub kegiatan of 2024 (one per copy of the demo: the codes are unique in a year)."""
    from mpp_planner.model import nomenclature

    out = {}
    for pos, (code, target, prev, nxt) in enumerate((
            (PROCUREMENT, "49 Unit", "145000000", "160000000"), (MAINTENANCE, "41 Unit", "38500000", "42000000"))):
        # copies 2-99: 9020, 9021...; from copy 100 on (scale 100-500) four digits still: 1200, 1201... 2001
        serial = 9000 + copy * 10 + pos if copy < 100 else 1000 + copy * 2 + pos
        real = code if copy == 1 else code[:-4] + f"{serial:04d}"
        entry = nomenclature.entries()[code]
        out[code] = SubActivity(
            fiscal_year=2024, code=real, name=entry.name, **nomenclature.context(code),
            organisation="2.18.0.00.0.00.01.0000 " + site_data["operator_office"],
            unit="2.18.0.00.0.00.01.0000 " + site_data["operator_office"],
            funding_source="PAD - Pendapatan Asli Daerah", location=f"Kota {site_data['city']}",
            schedule="Januari s.d. Desember", output_indicator=entry.indicator, output_target=target,
            allocation_prev=Decimal(prev), allocation_next=Decimal(nxt), position=pos)
    return out


def build_demo(path: str | os.PathLike, *, scale: int = 1, overwrite: bool = False) -> Path:
    """Write the demo project to ``path``; returns the path."""
    if scale < 1 or scale > 500:
        raise ValueError("scale must be between 1 and 500")
    demo = resource("demo")
    site_data = json.loads((demo / "site.json").read_text(encoding="utf-8"))
    project = Project.create(path, site_name=site_data["name"], overwrite=overwrite)
    try:
        with project.edit() as s:
            site = project.site
            for key in ("city", "province", "government_name", "operator_office", "upt_name", "address"):
                setattr(site, key, site_data.get(key, ""))
            site.fiscal_year = int(site_data.get("fiscal_year", 2024))
            site.letterhead = list(site_data.get("letterhead", []))
            site.ppn_rate = Decimal(str(site_data.get("ppn_rate", "11")))
            for sig in site_data.get("signatories", []):
                s.add(Signatory(role=sig["role"], title=sig["title"], name=sig["name"],
                                rank=sig.get("rank", ""), nip=sig.get("nip", "")))
            for year, amount in site_data.get("ceilings", {}).items():
                s.add(BudgetCeiling(year=int(year), amount=Decimal(str(amount))))
            load_account_codes(s)
            types = load_catalog(s)
            agencies = load_agencies(s)
            s.flush()
            _build_plan(s, demo, types, agencies, scale)
            _build_survey(s, demo, agencies)
            _build_checklist(s)
        return project.path
    finally:
        project.close()


#: what the goods administrator ticked on the 2024 walk-round: (key, room name or None for the site, ticked, note)
DEMO_CHECKLIST = (
    ("parkir.tersedia", None, True, "Parkir roda dua dan roda empat di halaman eks Islamic Centre"),
    ("parkir.difabel", None, True, ""), ("parkir.marka", None, True, ""), ("parkir.petugas", None, True, ""),
    ("parkir.peneduh", None, False, "Belum ada kanopi parkir roda dua"),
    ("rambu_marka", None, True, ""), ("tempat_sampah_terpilah", None, False, "Tempat sampah belum dipilah"),
    ("tempat_cuci_tangan", None, True, ""), ("titik_kumpul", None, False, "Rambu titik kumpul belum dipasang"),
    ("toilet.bersih", None, True, ""), ("toilet.air", None, True, ""),
    ("penunjang.kantin", None, True, ""), ("penunjang.fotokopi", None, True, ""),
    ("skm.dipublikasikan", None, True, "Poster IKM semester I di ruang tunggu lantai 1"),
    ("laktasi.pintu_terkunci", "Ruang Laktasi", True, ""), ("laktasi.ventilasi", "Ruang Laktasi", True, ""),
    ("laktasi.cahaya", "Ruang Laktasi", True, ""), ("laktasi.lantai", "Ruang Laktasi", True, ""),
    ("laktasi.wastafel_air_mengalir", "Ruang Laktasi", False, "Wastafel masih di luar ruang laktasi"),
)


def _build_checklist(s) -> None:
    """The demo's checklist ticks (some items still open, so the findings and the assessment show them)."""
    from sqlalchemy import select

    from mpp_planner.model import ChecklistTick

    rooms = {name: ident for ident, name in s.execute(select(Room.id, Room.name))}
    for key, room, ticked, note in DEMO_CHECKLIST:
        if room is not None and room not in rooms:
            continue
        s.add(ChecklistTick(key=key, room_id=rooms.get(room) if room else None, ticked=ticked,
                            date=date(2024, 11, 18), checked_by="Agus Setiawan, S.E.", note=note))


#: the demo's survey periods: (name, start, end, service users in the period)
SURVEY_PERIODS = (("2024 Semester I", date(2024, 1, 1), date(2024, 6, 30), 18_450),
                  ("2024 Semester II", date(2024, 7, 1), date(2024, 12, 31), 21_300))


def _build_survey(s, demo: Path, agencies: dict[str, Agency]) -> None:
    """Two SKM periods of 2024 with the respondents' forms of ``survey_2024.csv`` (Sarana dan Prasarana and
    Waktu Penyelesaian the weakest unsur) and follow-up actions, one carried out by a budget line."""
    periods = {}
    for pos, (name, start, end, population) in enumerate(SURVEY_PERIODS):
        periods[name] = SurveyPeriod(name=name, start_date=start, end_date=end, population=population,
                                     position=pos)
        s.add(periods[name])
    s.flush()
    services = {(a.short_name, sv.name): sv for a in agencies.values() for sv in a.services}
    forms = []
    for row in read_csv(demo / "survey_2024.csv"):
        agency = agencies[row["agency"]] if row.get("agency") else None
        service = services[(row["agency"], row["service"])] if agency is not None and row.get("service") else None
        forms.append(SurveyResponse(
            period_id=periods[row["period"]].id, number=int(row["number"]), date=date.fromisoformat(row["date"]),
            gender=row["gender"], age_band=row["age_band"], education=row["education"],
            occupation=row["occupation"], agency_id=agency.id if agency else None,
            service_id=service.id if service else None,
            answers=[int(row[f"u{n}"]) if row[f"u{n}"] else None for n in range(1, 10)], note=row.get("note", "")))
    s.add_all(forms)
    first, second = periods[SURVEY_PERIODS[0][0]], periods[SURVEY_PERIODS[1][0]]
    waiting_ac = s.scalars(select(BudgetLine).where(BudgetLine.description.like("AC Floor Standing%"))
                           .order_by(BudgetLine.id)).first()
    seats = s.scalars(select(Need).join(Room, Need.room_id == Room.id)
                      .where(Room.name == "Ruang Tunggu Lt. 1").order_by(Need.id)).first()
    s.add_all([
        SurveyAction(period_id=first.id, unsur=9, action="Pendinginan ruang tunggu Lantai 2 (AC floor standing) "
                     "dan penambahan tempat duduk ruang tunggu Lantai 1", owner="Kepala UPT MPP",
                     deadline=date(2024, 12, 31), status="in_progress",
                     budget_line_id=waiting_ac.id if waiting_ac is not None else None,
                     need_id=seats.id if seats is not None else None),
        SurveyAction(period_id=first.id, unsur=3, action="Penambahan jam layanan loket Dispendukcapil dan Samsat "
                     "pada hari Senin dan Jumat", owner="Koordinator Pelayanan", deadline=date(2024, 9, 30),
                     status="done"),
        SurveyAction(period_id=second.id, unsur=9, action="Perbaikan toilet pengunjung dan penambahan stasiun "
                     "pengisian daya di ruang tunggu", owner="Pengelola Gedung", deadline=date(2025, 6, 30)),
        SurveyAction(period_id=second.id, unsur=3, action="Sistem antrean daring terintegrasi untuk layanan SIM dan "
                     "Samsat", owner="Koordinator Pelayanan", deadline=date(2025, 6, 30)),
    ])
    s.flush()


def _build_plan(s, demo: Path, types, agencies, scale: int) -> None:
    floors_data = json.loads((demo / "floors.json").read_text(encoding="utf-8"))
    counters = read_csv(demo / "counters.csv")
    inventory = read_csv(demo / "inventory.csv")
    needs = read_csv(demo / "needs.csv")
    budget = read_csv(demo / "budget_2024.csv")
    visits = json.loads((demo / "visits.json").read_text(encoding="utf-8"))
    site_data = json.loads((demo / "site.json").read_text(encoding="utf-8"))

    order = 0
    for copy in range(1, scale + 1):
        rooms: dict[tuple[str, str], Room] = {}
        floors: dict[str, Floor] = {}
        for fd in floors_data:
            order += 1
            name = fd["name"] if copy == 1 else f"{fd['name']} ({copy})"
            floor = Floor(name=name, order=order)
            s.add(floor)
            floors[fd["name"]] = floor
            for rd in fd["rooms"]:
                room = Room(name=rd["name"], kind=rd["kind"], outline=rd["outline"],
                            location_code=rd.get("location_code", ""), officer_name=rd.get("officer_name", ""),
                            officer_nip=rd.get("officer_nip", ""))
                floor.rooms.append(room)
                rooms[(fd["name"], rd["name"])] = room
        s.flush()
        for fd in floors_data:
            _build_walls(s, floors[fd["name"]], fd)
        for row in counters:
            floor = floors[row["floor"]]
            counter = Counter(floor=floor, label=row["label"], x=int(row["x"]), y=int(row["y"]),
                              width=int(row["width"]), depth=int(row["depth"]),
                              rotation=float(row.get("rotation") or 0), staff_count=int(row.get("staff") or 1))
            for entry in filter(None, (row.get("schedule") or "").split("|")):
                short, _, days = entry.partition(":")
                agency = agencies[short.strip()]
                counter.assignments.append(CounterAssignment(agency=agency, weekdays=parse_days(days)))
                counter.services.extend(agency.services)
            s.add(counter)
        for row in inventory:
            room = rooms[(row["floor"], row["room"])]
            it = types[row["item_key"]]
            item = InventoryItem(item_type=it, room=room, quantity=Decimal(row["quantity"] or "1"),
                                 condition=row.get("condition") or "B", brand_model=row.get("brand_model", ""),
                                 serial_no=row.get("serial_no", ""), size=row.get("size", ""),
                                 material=row.get("material", ""), year=_opt_int(row.get("year")),
                                 register_code=row.get("register_code", ""), asset_code=row.get("asset_code", ""),
                                 purchase_price=Decimal(row["purchase_price"]) if row.get("purchase_price") else None,
                                 notes=row.get("notes", ""))
            if row.get("x") and row.get("y"):
                item.floor_id = room.floor_id
                item.x, item.y = int(float(row["x"])), int(float(row["y"]))
                item.rotation = float(row.get("rotation") or 0)
            s.add(item)
        findings: dict[tuple[str, str], VisitFinding] = {}
        if copy == 1:
            for vd in visits:
                visit = Visit(date=date.fromisoformat(vd["date"]), office=vd["office"], visitor=vd.get("visitor", ""),
                              notes=vd.get("notes", ""))
                for fd in vd.get("findings", []):
                    where = rooms.get((fd.get("floor", ""), fd.get("room", "")))
                    finding = VisitFinding(text=fd["text"], room=where, status=fd.get("status", "open"),
                                           planned_year=fd.get("planned_year"))
                    visit.findings.append(finding)
                    if where is not None:
                        findings.setdefault((fd.get("floor", ""), fd.get("room", "")), finding)
                s.add(visit)
        need_by_key: dict[tuple[str, str, str], Need] = {}
        for row in needs:
            room = rooms[(row["floor"], row["room"])]
            need = Need(item_type=types[row["item_key"]], room=room, quantity=Decimal(row["quantity"]),
                        source=row.get("source") or "manual", reason=row.get("reason", ""))
            if need.source == "visitation":
                need.visit_finding = findings.get((row["floor"], row["room"]))
            s.add(need)
            need_by_key[(row["floor"], row["room"], row["item_key"])] = need
        s.flush()
        subs = demo_sub_activities(site_data, copy)
        s.add_all(subs.values())
        for pos, row in enumerate(budget, start=1):
            where = rooms.get((row.get("floor", ""), row.get("room", "")))
            budgets = need_by_key.get((row.get("floor", ""), row.get("room", ""), row.get("need_item_key", "")))
            line = BudgetLine(fiscal_year=2024, account_code=row["account_code"], description=row["description"],
                              specification=row.get("specification", ""), room=where,
                              factors=parse_factors(row["factors"]), unit=row.get("unit") or "Unit",
                              unit_price=Decimal(row["unit_price"]), ppn_applied=row.get("ppn", "1") == "1",
                              ppn_rate=Decimal("11"), priority=int(row.get("priority") or 2),
                              status=row.get("status") or "requested",
                              approved_amount=Decimal(row["approved_amount"]) if row.get("approved_amount") else None,
                              justification=row.get("justification", ""), need=budgets,
                              standard_price_code=row.get("standard_price_code", ""),
                              sub_activity=subs[row.get("sub_activity") or demo_sub_activity_for(row["account_code"])],
                              position=pos + (copy - 1) * len(budget))
            s.add(line)
        s.flush()


OUTER_WALL, PARTITION = 200, 150  # mm
#: rooms open to one another (no wall between two of them): the public halls and the corners in them
OPEN_KINDS = frozenset({"counter_hall", "waiting_area", "corridor", "information_desk", "play_area", "reading_corner"})


def demo_walls(rooms) -> list[tuple[list[list[int]], int]]:
    """The walls of a floor drawn from its rooms ((kind, outline) pairs), as (points, thickness): a loop of
    outer wall whose inner face follows the building's outline, and partitions centred on the edges two
    rooms share (unless both are open kinds), one wall per straight run, so a shared edge has one wall."""
    import shapely
    from shapely.geometry import Polygon

    from mpp_planner.model.wall_geometry import walls_around

    polys = [Polygon(outline) for _kind, outline in rooms]
    building = shapely.unary_union(polys)
    out = [(walls_around([(round(x), round(y)) for x, y in part.exterior.coords], OUTER_WALL), OUTER_WALL)
           for part in shapely.get_parts(building) if part.geom_type == "Polygon"]
    runs: dict[tuple[str, int], list[list[int]]] = defaultdict(list)  # ("x", 6000): spans of y along x = 6000
    for i in range(len(rooms)):
        for j in range(i + 1, len(rooms)):
            if rooms[i][0] in OPEN_KINDS and rooms[j][0] in OPEN_KINDS:
                continue
            shared = polys[i].boundary.intersection(polys[j].boundary)
            for line in shapely.get_parts(shared):
                if line.geom_type != "LineString":
                    continue
                pts = [(round(x), round(y)) for x, y in line.coords]
                for (ax, ay), (bx, by) in zip(pts, pts[1:]):
                    if ax == bx:
                        runs[("x", ax)].append(sorted((ay, by)))
                    elif ay == by:
                        runs[("y", ay)].append(sorted((ax, bx)))
                    else:
                        out.append(([[ax, ay], [bx, by]], PARTITION))
    for (axis, at), spans in sorted(runs.items()):
        spans.sort()
        merged = [spans[0]]
        for lo, hi in spans[1:]:
            if lo <= merged[-1][1]:
                merged[-1] = [merged[-1][0], max(merged[-1][1], hi)]
            else:
                merged.append([lo, hi])
        out.extend(([[at, lo], [at, hi]] if axis == "x" else [[lo, at], [hi, at]], PARTITION) for lo, hi in merged)
    return out


def _build_walls(s, floor: Floor, fd: dict) -> None:
    """The floor's walls (see :func:`demo_walls`) and the doors and windows of ``fd["openings"]``: each at a
    point of the wall's face or centreline, swinging into its room (``"out"``: away from it)."""
    from mpp_planner.model import geometry
    from mpp_planner.model.wall_geometry import OpeningShape, WallShape, fits, opening_frame, project

    outlines = {rd["name"]: rd["outline"] for rd in fd["rooms"]}
    walls = [Wall(floor_id=floor.id, points=points, thickness=t)
             for points, t in demo_walls([(rd["kind"], rd["outline"]) for rd in fd["rooms"]])]
    s.add_all(walls)
    for od in fd.get("openings", []):
        x, y, width = od["x"], od["y"], od["width"]
        found = min(((project(w.points, x, y), w) for w in walls), key=lambda f: f[0][1])
        (offset, distance), wall = found
        if distance > wall.thickness / 2 + 1 or not fits(wall, offset, width):
            raise ValueError(f"{fd['name']}: the {od['kind']} at ({x}, {y}) is not on a wall")
        opening = WallOpening(floor_id=floor.id, kind=od["kind"], offset=round(offset), width=width,
                              hinge=od.get("hinge", "start"), side="left")
        if "room" in od:
            frame = opening_frame(WallShape(0, wall.points, wall.thickness),
                                  OpeningShape(0, 0, od["kind"], round(offset), width))
            assert frame is not None
            reach = wall.thickness / 2 + 100
            probe = (frame.centre[0] + frame.normal[0] * reach, frame.centre[1] + frame.normal[1] * reach)
            into = geometry.point_in_polygon(probe[0], probe[1], outlines[od["room"]])
            opening.side = "left" if into != bool(od.get("out")) else "right"
        wall.openings.append(opening)
