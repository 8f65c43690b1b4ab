"""The rule kinds: what each checks, its parameters (with defaults) and its findings.

A kind is a small class; the rule file picks a kind and sets its parameters. Messages are
English msgids formatted with named parameters (see :mod:`mpp_planner.standards.findings`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from decimal import ROUND_CEILING, Decimal

from mpp_planner.i18n import N_, _
from mpp_planner.model import geometry
from mpp_planner.model.plan import PUBLIC_ROOM_KINDS, ROOM_KIND_LABELS, RoomKind
from mpp_planner.model.walking import Route
from mpp_planner.standards.context import CheckContext
from mpp_planner.standards.findings import Finding, Num, Severity, SuggestedNeed, Term, tags_term
from mpp_planner.standards.ruleset import (CONDITIONS, PUBLIC, REQUIRED, ROOM_KINDS, TAGS, Param, ParamError, Rule,
                                           _choice, _item_key, _number, _positive, _table, _whole)

USABLE = ["B", "KB"]  # default: broken (RB) items do not count as present


def expand_kinds(kinds) -> set[str]:
    out = set()
    for k in kinds:
        if k == PUBLIC:
            out |= {rk.value for rk in PUBLIC_ROOM_KINDS}
        else:
            out.add(k)
    return out


def kind_term(kind: str) -> Term:
    return Term(ROOM_KIND_LABELS[RoomKind(kind)])


def preferred_room(ctx: CheckContext, floor_id: int, kinds):
    """The largest room of the first listed kind the floor has; else the floor's largest room."""
    for kind in kinds:
        room = ctx.largest_room(floor_id, expand_kinds([kind]))
        if room is not None:
            return room
    return ctx.largest_room(floor_id)


def ceil_div(a, b) -> int:
    return int(math.ceil(float(a) / float(b) - 1e-9)) if b else 0


def whole(value) -> Decimal:
    return Decimal(value).to_integral_value(rounding=ROUND_CEILING)


def _area(m2: float) -> Num:
    return Num(m2, 0 if float(m2).is_integer() else 2, "m²")


def _metres(m: float) -> Num:
    return Num(m, 0 if float(m).is_integer() else 1, "m")


def _qty(q) -> Num:
    q = Decimal(q)
    return Num(q, 0 if q == q.to_integral_value() else 2)


REQUIREMENT = _table({
    "tags": (TAGS, REQUIRED),
    "suggest": (_item_key, ""),
    "quantity": (_positive, 1),
    "area_per_unit_m2": (_number, 0),
})


class Kind:
    name = ""
    title = ""  # readable name (msgid) of a rule of this kind the rule file gives no name
    severity = Severity.MEDIUM
    params: dict[str, Param] = {}
    doc = ""

    def validate(self, params: dict) -> None:
        """Checks across parameters (after each was converted); raise ParamError."""

    def check(self, rule: Rule, ctx: CheckContext) -> list[Finding]:
        raise NotImplementedError

    @staticmethod
    def finding(rule: Rule, ctx: CheckContext, template: str, *, room=None, floor_id=None, suggestion=None,
                **kw) -> Finding:
        if room is not None:
            floor_id = room.floor_id
        return Finding(rule.id, rule.severity, template, kw.pop("params", {}), floor_id=floor_id,
                       floor_name=ctx.floor_name(floor_id), room_id=room.id if room is not None else None,
                       room_name=room.name if room is not None else "", suggestion=suggestion,
                       rule_name=rule.title("en"), rule_name_id=rule.title("id"), **kw)


class RequiredRoomKinds(Kind):
    name = "required_room_kinds"
    title = N_("Required room kinds")
    severity = Severity.HIGH
    doc = "Every listed room kind exists somewhere on the plan."
    params = {"room_kinds": Param(ROOM_KINDS)}

    def check(self, rule, ctx):
        present = {r.kind for r in ctx.rooms}
        out = []
        for kind in sorted(expand_kinds(rule["room_kinds"]), key=lambda k: list(RoomKind).index(RoomKind(k))):
            if kind not in present:
                out.append(self.finding(rule, ctx, N_("The plan has no room of the kind “{kind}”."),
                                        params={"kind": kind_term(kind)}))
        return out


class RoomMinArea(Kind):
    name = "room_min_area"
    title = N_("Minimum room area")
    severity = Severity.HIGH
    doc = "Rooms of the listed kinds measure at least min_area_m2."
    params = {"room_kinds": Param(ROOM_KINDS), "min_area_m2": Param(_positive)}

    def check(self, rule, ctx):
        out = []
        for room in ctx.rooms_of_kinds(expand_kinds(rule["room_kinds"])):
            if room.area_m2 + 1e-9 < rule["min_area_m2"]:
                out.append(self.finding(rule, ctx, N_("{room} measures {area}; at least {min} is required."),
                                        room=room, params={"room": room.name, "area": _area(room.area_m2),
                                                           "min": _area(rule["min_area_m2"])}))
        return out


class RoomContains(Kind):
    name = "room_contains"
    title = N_("Required room equipment")
    severity = Severity.HIGH
    doc = ("Each room of the listed kinds holds, for every entry of 'items', at least one usable item with one of "
           "the entry's tags. 'public' stands for every room the public uses.")
    params = {"room_kinds": Param(ROOM_KINDS), "items": Param(lambda k, v: [REQUIREMENT(k, x) for x in _list(k, v)]),
              "conditions": Param(CONDITIONS, lambda: list(USABLE))}

    def check(self, rule, ctx):
        out = []
        for room in ctx.rooms_of_kinds(expand_kinds(rule["room_kinds"])):
            for req in rule["items"]:
                if ctx.quantity_in_room(room.id, req["tags"], rule["conditions"]) > 0:
                    continue
                qty = req["quantity"]
                if req["area_per_unit_m2"]:
                    qty = max(qty, ceil_div(room.area_m2, req["area_per_unit_m2"]))
                suggestion = SuggestedNeed(req["suggest"], whole(qty), room.id, tuple(req["tags"])) \
                    if req["suggest"] else None
                out.append(self.finding(rule, ctx, N_("{room} has no {what}."), room=room, suggestion=suggestion,
                                        params={"room": room.name, "what": tags_term(req["tags"])}))
        return out


def _list(key, v):
    if not isinstance(v, list) or not v:
        raise ParamError(key, _("'{key}' must be a non-empty list.").format(key=key))
    return v


class RoomNear(Kind):
    name = "room_near"
    title = N_("Distance between rooms")
    severity = Severity.MEDIUM
    doc = ("Each room of 'room_kinds' lies within max_distance_m of a room of 'target_kinds' on the same floor, "
           "measured between room centres walking through the doors (around the walls; where a floor has no "
           "walls, through the drawn rooms) or in a straight line. 'grid_mm' is no longer used.")
    params = {"room_kinds": Param(ROOM_KINDS), "target_kinds": Param(ROOM_KINDS),
              "max_distance_m": Param(_positive), "method": Param(_choice(["straight", "walking"]), "straight"),
              "grid_mm": Param(_whole, 250)}  # kept so that rule files written for the old walking grid load

    def validate(self, params):
        if not 50 <= params["grid_mm"] <= 2000:
            raise ParamError("grid_mm", _("'grid_mm' must be between 50 and 2000."))

    def check(self, rule, ctx):
        out = []
        walking = rule["method"] == "walking"
        method = Term(N_("walking")) if walking else Term(N_("straight line"))
        target_term = Term(ROOM_KIND_LABELS[RoomKind(sorted(self.target_kinds(rule))[0])]) \
            if len(self.target_kinds(rule)) == 1 else Term(N_("target room"))
        limit_mm = rule["max_distance_m"] * 1000
        for room, targets, best_room, route in self.pairs(rule, ctx):
            if not targets:
                out.append(self.finding(rule, ctx, N_("{room} has no {target} on the same floor."), room=room,
                                        params={"room": room.name, "target": target_term}))
            elif best_room is None or route is None:
                out.append(self.finding(rule, ctx, N_("{room} has no walking path to a {target} on the plan."),
                                        room=room, params={"room": room.name, "target": target_term},
                                        related_room_ids=tuple(t.id for t in targets)))
            elif route.length_mm > limit_mm + 1e-6:
                out.append(self.finding(
                    rule, ctx, N_("{room} is {distance} from {target_room} ({method}); at most {max} is allowed."),
                    room=room, related_room_ids=(best_room.id,), route=route.points, route_length_mm=route.length_mm,
                    params={"room": room.name, "distance": _metres(round(route.length_mm / 1000, 1)),
                            "target_room": best_room.name, "method": method, "max": _metres(rule["max_distance_m"])}))
        return out

    @staticmethod
    def target_kinds(rule) -> set[str]:
        return expand_kinds(rule["target_kinds"])

    def pairs(self, rule, ctx: CheckContext, floor_id: int | None = None):
        """For each room the rule is about (on ``floor_id``, or all): the room, the target rooms on its floor,
        the nearest of them by the rule's method (None: none reachable) and the route to it."""
        targets_kinds = self.target_kinds(rule)
        for room in ctx.rooms_of_kinds(expand_kinds(rule["room_kinds"]), floor_id):
            targets = [t for t in ctx.rooms_of_kinds(targets_kinds, room.floor_id) if t.id != room.id]
            if not targets:
                yield room, targets, None, None
            elif rule["method"] == "walking":
                found = ctx.walking_map(room.floor_id).nearest_room(room.outline, [t.outline for t in targets])
                yield (room, targets, *((targets[found[0]], found[1]) if found is not None else (None, None)))
            else:
                a = geometry.centroid(room.outline)
                ends = [geometry.centroid(t.outline) for t in targets]
                i = min(range(len(targets)), key=lambda k: geometry.distance(a, ends[k]))
                yield room, targets, targets[i], Route((a, ends[i]), geometry.distance(a, ends[i]))


class SeatsPerCounter(Kind):
    name = "seats_per_counter"
    title = N_("Waiting seats per counter")
    severity = Severity.MEDIUM
    doc = ("On each floor with counters, the waiting rooms hold at least seats_per_counter seats per counter "
           "(seats = the catalog's 'seats' of each usable item x its quantity).")
    params = {"seats_per_counter": Param(_positive), "waiting_kinds": Param(ROOM_KINDS, lambda: ["waiting_area"]),
              "suggest": Param(_item_key, ""), "conditions": Param(CONDITIONS, lambda: list(USABLE))}

    def check(self, rule, ctx):
        out = []
        kinds = expand_kinds(rule["waiting_kinds"])
        for floor in ctx.floors:
            counters = ctx.counters_by_floor.get(floor.id, [])
            if not counters:
                continue
            waiting = ctx.rooms_of_kinds(kinds, floor.id)
            if not waiting:
                out.append(self.finding(rule, ctx, N_("{floor} has {counters} counters but no waiting area."),
                                        floor_id=floor.id, params={"floor": floor.name, "counters": len(counters)},
                                        counter_ids=tuple(c.id for c in counters)))
                continue
            seats = Decimal(0)
            for room in waiting:
                for item in ctx.items_by_room.get(room.id, []):
                    if item.condition in rule["conditions"]:
                        seats += item.item_type.seats * item.quantity
            needed = whole(Decimal(str(rule["seats_per_counter"])) * len(counters))
            if seats >= needed:
                continue
            short = needed - seats
            target = max(waiting, key=lambda r: r.area_m2)
            suggestion = None
            it = ctx.item_types.get(rule["suggest"]) if rule["suggest"] else None
            if rule["suggest"]:
                per = it.seats if it is not None and it.seats else 1
                suggestion = SuggestedNeed(rule["suggest"], whole(short / per), target.id, ("seat",))
            out.append(self.finding(
                rule, ctx, N_("{floor}: {seats} waiting seats for {counters} counters; {ratio} per counter means "
                              "{needed} seats ({short} short)."),
                room=target, suggestion=suggestion, related_room_ids=tuple(r.id for r in waiting if r is not target),
                params={"floor": floor.name, "seats": _qty(seats), "counters": len(counters),
                        "ratio": _qty(Decimal(str(rule["seats_per_counter"]))), "needed": _qty(needed),
                        "short": _qty(short)}))
        return out


class FloorItems(Kind):
    name = "floor_items"
    title = N_("Items on every floor")
    severity = Severity.HIGH
    doc = ("Each floor holds at least min_per_floor usable items with one of 'tags', and one per "
           "area_per_unit_m2 of floor area when that is above 0.")
    params = {"tags": Param(TAGS), "min_per_floor": Param(_whole, 1), "area_per_unit_m2": Param(_number, 0),
              "suggest": Param(_item_key, ""),
              "place_in_kinds": Param(ROOM_KINDS, lambda: ["corridor", "waiting_area", "counter_hall"]),
              "conditions": Param(CONDITIONS, lambda: list(USABLE))}

    def check(self, rule, ctx):
        out = []
        for floor in ctx.floors:
            if not ctx.rooms_by_floor.get(floor.id):
                continue
            area = ctx.floor_area_m2(floor.id)
            need = rule["min_per_floor"]
            if rule["area_per_unit_m2"]:
                need = max(need, ceil_div(area, rule["area_per_unit_m2"]))
            have = ctx.quantity_on_floor(floor.id, rule["tags"], rule["conditions"])
            if have >= need:
                continue
            place = preferred_room(ctx, floor.id, rule["place_in_kinds"])
            suggestion = SuggestedNeed(rule["suggest"], whole(need - have), place.id, tuple(rule["tags"])) \
                if rule["suggest"] and place is not None else None
            params = {"floor": floor.name, "have": _qty(have), "what": tags_term(rule["tags"]), "need": need,
                      "min": rule["min_per_floor"], "area": _area(round(area, 2)),
                      "per": _area(rule["area_per_unit_m2"])}
            template = (N_("{floor} has {have} {what}; {need} are required (at least {min} per floor and one "
                           "per {per} of its {area}).") if rule["area_per_unit_m2"]
                        else N_("{floor} has {have} {what}; at least {need} are required per floor."))
            out.append(self.finding(rule, ctx, template, floor_id=floor.id, suggestion=suggestion, params=params))
        return out


class ReplaceItems(Kind):
    name = "replace_items"
    title = N_("Items to replace")
    severity = Severity.LOW
    doc = "Items with one of 'tags' in rooms of 'room_kinds' should give way to items with one of 'instead_tags'."
    params = {"tags": Param(TAGS), "instead_tags": Param(TAGS), "room_kinds": Param(ROOM_KINDS, lambda: [PUBLIC]),
              "suggest": Param(_item_key, ""), "units_per_item": Param(_positive, 1),
              "conditions": Param(CONDITIONS, lambda: list(USABLE))}

    def check(self, rule, ctx):
        out = []
        for room in ctx.rooms_of_kinds(expand_kinds(rule["room_kinds"])):
            n = ctx.quantity_in_room(room.id, rule["tags"], rule["conditions"])
            if n <= 0:
                continue
            suggestion = SuggestedNeed(rule["suggest"], whole(n * Decimal(str(rule["units_per_item"]))), room.id,
                                       tuple(rule["instead_tags"])) \
                if rule["suggest"] else None
            out.append(self.finding(rule, ctx, N_("{room}: {n} {what} in use; replace with {alternatives}."),
                                    room=room, suggestion=suggestion,
                                    params={"room": room.name, "n": _qty(n), "what": tags_term(rule["tags"]),
                                            "alternatives": tags_term(rule["instead_tags"])}))
        return out


class CountersHaveAgency(Kind):
    name = "counters_have_agency"
    title = N_("Every counter allocated to an agency")
    severity = Severity.LOW
    doc = "Every counter is assigned to at least one agency (reported per room)."
    params = {}

    def check(self, rule, ctx):
        groups: dict[tuple, list] = defaultdict(list)
        for c in ctx.counters:
            if c.assignments:
                continue
            room = ctx.room_at(c.floor_id, c.x, c.y)
            groups[(c.floor_id, room.id if room is not None else None)].append(c)
        out = []
        for (floor_id, room_id), counters in groups.items():
            room = ctx.room_by_id.get(room_id) if room_id is not None else None
            labels = ", ".join(c.label for c in counters)
            where = room.name if room is not None else ctx.floor_name(floor_id)
            out.append(self.finding(rule, ctx, N_("{where}: {n} counter(s) without an agency ({labels})."),
                                    room=room, floor_id=floor_id, counter_ids=tuple(c.id for c in counters),
                                    params={"where": where, "n": len(counters), "labels": labels}))
        return out


class SiteItems(Kind):
    name = "site_items"
    title = N_("Items the MPP must have")
    severity = Severity.HIGH
    doc = "The MPP holds, somewhere, at least one usable item for each entry of 'items'."
    params = {"items": Param(lambda k, v: [REQUIREMENT(k, x) for x in _list(k, v)]),
              "place_in_kinds": Param(ROOM_KINDS, lambda: ["corridor", "waiting_area"]),
              "conditions": Param(CONDITIONS, lambda: list(USABLE))}

    def check(self, rule, ctx):
        out = []
        first = ctx.first_floor_id()
        place = None
        if first is not None:
            place = preferred_room(ctx, first, rule["place_in_kinds"])
        for req in rule["items"]:
            if ctx.quantity_anywhere(req["tags"], rule["conditions"]) > 0:
                continue
            suggestion = SuggestedNeed(req["suggest"], whole(req["quantity"]), place.id, tuple(req["tags"])) \
                if req["suggest"] and place is not None else None
            out.append(self.finding(rule, ctx, N_("The MPP has no {what}."), suggestion=suggestion,
                                    params={"what": tags_term(req["tags"])}))
        return out


KINDS: dict[str, Kind] = {k.name: k() for k in (RequiredRoomKinds, RoomMinArea, RoomContains, RoomNear, SeatsPerCounter,
                                                 FloorItems, ReplaceItems, CountersHaveAgency, SiteItems)}

# the "checklist" kind (items the plan cannot show) registers itself into KINDS
import mpp_planner.standards.checklist  # noqa: E402,F401
