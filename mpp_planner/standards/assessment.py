"""PEKPPP self-assessment (PermenPANRB 29/2022): the indicators a plan, the inventory, the checklist
and the SKM can show, scored 0..5 from a data file (``resources/pekppp.toml``).

Layout of the file::

    [aspects.sarpras]                 # the aspect's key
    name = "Sarana Prasarana"         # printed name (Indonesian)
    weight = 15                       # weight in the weighted index (data; not verified)

    [indicators.rentan]               # the indicator's key
    aspect = "sarpras"
    name = "Sarana khusus kelompok rentan"
    kind = "count"                    # count | skm_done | skm_followed_up
    ladder = [1, 4, 7, 10, 13]        # lowest count for score 1, 2, ... (strictly increasing)
    scores = [1, 2, 3, 4, 5]          # optional: the score of each step (default 1..5 for 5 steps)
    room_kinds = ["waiting_area"]     # where suggested items go (first kind present)
    required = [ ...entries ]         # count kind: all must be present, else the score is 0
    items = [ ...entries ]            # count kind: the facilities counted

An entry ``{ label = "Kursi roda", tags = ["wheelchair"], items = ["kursi_roda"], room_kinds = [...],
in_rooms = [...], checklist = "key", suggest = "kursi_roda", quantity = 1 }`` is present when a usable
item (conditions B/KB) with one of the tags or item keys is there (in a room of ``in_rooms`` when given),
or a room of one of ``room_kinds`` exists, or the checklist key is ticked (for the site or any room).
A bad file raises :class:`RuleFileError` naming the line; nothing is assessed.
"""

from __future__ import annotations

import csv
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mpp_planner.i18n import N_, _
from mpp_planner.model import InventoryItem, ItemType, Need, Room
from mpp_planner.model.checklist import ChecklistTick
from mpp_planner.model.inventory import Condition
from mpp_planner.model.plan import RoomKind
from mpp_planner.standards.findings import SuggestedNeed, gettext_for
from mpp_planner.standards.ruleset import (REQUIRED, ParamError, RuleFileError, _choice, _item_key, _key_line,
                                           _list_of, _positive, _string, _tag, _whole)

KEY_RE = re.compile(r"^[A-Za-z0-9_-]{1,60}$")
CHECK_KEY_RE = re.compile(r"^[A-Za-z0-9_.-]{1,60}$")
MAX_SCORE = 5
EVIDENCE_PER_ENTRY = 3  # places named per facility; the rest counted
USABLE = (Condition.B.value, Condition.KB.value)
KINDS = ("count", "skm_done", "skm_followed_up")

# next-step templates (rendered in the UI language on screen, in Indonesian on the sheet)
MORE_ITEMS = N_("{n} more: {items}")
MISSING_REQUIRED = N_("first provide: {items}")
SKM_NO_PERIOD = N_("run a survey period with at least the minimum sample")
SKM_MORE_RESPONSES = N_("{n} more respondent(s) in “{period}” (minimum sample {min})")
SKM_NO_POPULATION = N_("enter the population of “{period}” to check the minimum sample")
SKM_ACTIONS = N_("follow-up actions on the weakest unsur: {unsur}")
SKM_DONE_ACTIONS = N_("carry out the follow-up actions on unsur {unsur}")


@lru_cache(maxsize=1)
def catalog_keys_and_tags() -> tuple[frozenset[str], frozenset[str]]:
    """The shipped catalog's item keys and tags (what the instrument may name)."""
    from mpp_planner.resources_path import resource

    keys: set[str] = set()
    tags: set[str] = set()
    with resource("catalog.csv").open(newline="", encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            keys.add(row["key"])
            tags.update((row.get("tags") or "").split())
    return frozenset(keys), frozenset(tags)


def _known_item(key, v):
    v = _item_key(key, v)
    if v not in catalog_keys_and_tags()[0]:
        raise ParamError(key, _("unknown catalog item {value!r}.").format(value=v))
    return v


def _known_tag(key, v):
    v = _tag(key, v)
    if v not in catalog_keys_and_tags()[1]:
        raise ParamError(key, _("unknown catalog tag {value!r}.").format(value=v))
    return v


def _check_key(key, v):
    if not isinstance(v, str) or not CHECK_KEY_RE.match(v):
        raise ParamError(key, _("'{key}' must be a checklist key such as \"skm.dipublikasikan\" (got {value!r})."
                                ).format(key=key, value=v))
    return v


def _room_kind(key, v):
    return _choice([k.value for k in RoomKind])(key, v)


ENTRY_FIELDS: dict[str, tuple[Callable, Any]] = {
    "label": (_string, REQUIRED),
    "tags": (_list_of(_known_tag), list),
    "items": (_list_of(_known_item), list),
    "room_kinds": (_list_of(_room_kind), list),
    "in_rooms": (_list_of(_room_kind), list),
    "checklist": (_check_key, ""),
    "suggest": (_known_item, ""),
    "quantity": (_positive, 1),
}


def _entry(key, v) -> "Entry":
    if not isinstance(v, dict):
        raise ParamError(key, _("'{key}' must be a list of tables such as {{ label = \"…\", tags = [\"…\"] }}."
                                ).format(key=key))
    for k in v:
        if k not in ENTRY_FIELDS:
            raise ParamError(k, _("unknown parameter '{key}' in '{outer}' (known: {known}).").format(
                key=k, outer=key, known=", ".join(ENTRY_FIELDS)))
    out: dict[str, Any] = {}
    for k, (conv, default) in ENTRY_FIELDS.items():
        if k in v:
            out[k] = conv(k, v[k])
        elif default is REQUIRED:
            raise ParamError(key, _("'{outer}' entry lacks '{key}'.").format(outer=key, key=k))
        else:
            out[k] = default() if callable(default) else default
    if not (out["tags"] or out["items"] or out["room_kinds"] or out["checklist"]):
        raise ParamError(key, _("entry “{label}” needs tags, items, room_kinds or checklist.").format(
            label=out["label"]))
    out["quantity"] = Decimal(str(out["quantity"]))
    return Entry(**out)


@dataclass(frozen=True)
class Entry:
    label: str
    tags: list[str]
    items: list[str]
    room_kinds: list[str]
    in_rooms: list[str]
    checklist: str
    suggest: str
    quantity: Decimal


@dataclass
class Aspect:
    key: str
    name: str
    weight: Decimal


@dataclass
class Indicator:
    key: str
    aspect: str
    name: str
    kind: str
    ladder: list[int]
    scores: list[int]
    room_kinds: list[str] = field(default_factory=list)
    required: list[Entry] = field(default_factory=list)
    items: list[Entry] = field(default_factory=list)
    weakest: int = 3
    line: int | None = None

    def score_of(self, count: int) -> int:
        score = 0
        for threshold, s in zip(self.ladder, self.scores):
            if count >= threshold:
                score = s
        return score

    def next_threshold(self, score: int) -> int | None:
        """The count the next score needs (None at the top)."""
        for threshold, s in zip(self.ladder, self.scores):
            if s > score:
                return threshold
        return None


@dataclass
class Instrument:
    aspects: dict[str, Aspect]
    indicators: list[Indicator]
    path: Path | None = None


INDICATOR_PARAMS: dict[str, tuple[Callable, Any]] = {
    "aspect": (_string, REQUIRED),
    "name": (_string, REQUIRED),
    "kind": (_string, REQUIRED),
    "ladder": (_list_of(_whole), REQUIRED),
    "scores": (_list_of(_whole), None),
    "room_kinds": (_list_of(_room_kind), list),
    "required": (_list_of(_entry, allow_empty=True), list),
    "items": (_list_of(_entry, allow_empty=True), list),
    "weakest": (_positive, 3),
}
KIND_PARAMS = {"count": {"required", "items", "room_kinds"}, "skm_done": set(), "skm_followed_up": {"weakest"}}


def _header(lines: list[str], section: str, key: str) -> int | None:
    pat = re.compile(r"^\s*\[\s*" + section + r"\s*\.\s*[\"']?" + re.escape(key) + r"[\"']?\s*\]")
    for i, text in enumerate(lines, 1):
        if pat.match(text):
            return i
    return None


def default_instrument_path() -> Path:
    from mpp_planner.resources_path import resource

    return resource("pekppp.toml")


def parse_instrument(text: str, path: str | os.PathLike | None = None) -> Instrument:
    """Parse and validate the instrument; raise :class:`RuleFileError` naming the line of the first problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise RuleFileError(_("not a valid TOML file: {error}").format(error=getattr(exc, "msg", str(exc))),
                            path=path, line=getattr(exc, "lineno", None) or (int(m.group(1)) if m else None)
                            ) from None
    lines = text.splitlines()
    for key in data:
        if key not in ("aspects", "indicators"):
            raise RuleFileError(_("unknown section '{key}'; use [aspects.KEY] and [indicators.KEY].").format(key=key),
                                path=path, line=None)
    aspects: dict[str, Aspect] = {}
    for key, table in (data.get("aspects") or {}).items():
        line = _header(lines, "aspects", key)
        try:
            if not isinstance(table, dict):
                raise ParamError("aspects", _("aspect '{key}' must be a table.").format(key=key))
            for k in table:
                if k not in ("name", "weight"):
                    raise ParamError(k, _("aspect '{key}': unknown parameter '{param}' (known: name, weight)."
                                          ).format(key=key, param=k))
            name = _string("name", table.get("name"))
            weight = table.get("weight", 1)
            if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight < 0:
                raise ParamError("weight", _("'weight' must be a number of 0 or more (got {value!r}).").format(
                    value=weight))
        except ParamError as exc:
            raise RuleFileError(str(exc), path=path, line=_key_line(lines, (line - 1) if line else None, exc.key)
                                or line) from None
        aspects[key] = Aspect(key, name, Decimal(str(weight)))
    indicators: list[Indicator] = []
    for key, table in (data.get("indicators") or {}).items():
        line = _header(lines, "indicators", key)
        start = (line - 1) if line else None
        try:
            if not KEY_RE.match(key) or not isinstance(table, dict):
                raise ParamError("indicators", _("indicator '{key}' must be a table [indicators.KEY] with a "
                                                 "key of letters, digits, '_' and '-'.").format(key=key))
            kind = table.get("kind")
            if kind not in KINDS:
                raise ParamError("kind", _("indicator '{key}': unknown indicator kind {kind!r} (known: {known})."
                                           ).format(key=key, kind=kind, known=", ".join(KINDS)))
            allowed = {"aspect", "name", "kind", "ladder", "scores"} | KIND_PARAMS[kind]
            for k in table:
                if k not in allowed:
                    raise ParamError(k, _("indicator '{key}': unknown parameter '{param}' for kind '{kind}' "
                                          "(known: {known}).").format(key=key, param=k, kind=kind,
                                                                      known=", ".join(sorted(allowed))))
            p: dict[str, Any] = {}
            for k, (conv, default) in INDICATOR_PARAMS.items():
                if k in table:
                    p[k] = conv(k, table[k])
                elif default is REQUIRED:
                    raise ParamError("kind", _("indicator '{key}' needs '{param}'.").format(key=key, param=k))
                else:
                    p[k] = default() if callable(default) else default
            if p["aspect"] not in aspects:
                raise ParamError("aspect", _("indicator '{key}': unknown aspect {aspect!r} (known: {known})."
                                             ).format(key=key, aspect=p["aspect"], known=", ".join(aspects)))
            ladder = p["ladder"]
            if not ladder or len(ladder) > MAX_SCORE or any(b <= a for a, b in zip(ladder, ladder[1:])):
                raise ParamError("ladder", _("indicator '{key}': the ladder must be 1 to 5 counts, each above "
                                             "the one before (got {value!r}).").format(key=key, value=ladder))
            scores = p["scores"]
            if scores is None:
                scores = list(range(MAX_SCORE - len(ladder) + 1, MAX_SCORE + 1))
            if (len(scores) != len(ladder) or any(b <= a for a, b in zip(scores, scores[1:]))
                    or scores[0] < 1 or scores[-1] > MAX_SCORE):
                raise ParamError("scores", _("indicator '{key}': 'scores' needs one score (1 to 5, increasing) "
                                             "per ladder step.").format(key=key))
            if kind == "count" and not p["items"]:
                raise ParamError("items", _("indicator '{key}' needs 'items'.").format(key=key))
        except ParamError as exc:
            raise RuleFileError(str(exc), path=path, line=_key_line(lines, start, exc.key) or line) from None
        indicators.append(Indicator(key, p["aspect"], p["name"], kind, ladder, scores, p["room_kinds"],
                                    p["required"], p["items"], int(p["weakest"]), line))
    if not indicators:
        raise RuleFileError(_("the file has no [indicators.KEY]."), path=path)
    return Instrument(aspects, indicators, Path(path) if path is not None else None)


def load_instrument(path: str | os.PathLike | None = None) -> Instrument:
    """Read and validate the instrument (the shipped ``pekppp.toml`` by default)."""
    p = Path(path) if path is not None else default_instrument_path()
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise RuleFileError(_("the rule file does not exist."), path=p) from None
    except OSError as exc:
        raise RuleFileError(_("cannot read the rule file: {error}").format(error=exc.strerror or exc), path=p) from None
    except UnicodeDecodeError:
        raise RuleFileError(_("the rule file must be UTF-8 text."), path=p) from None
    return parse_instrument(text, p)


# --- results ---------------------------------------------------------------------------------

@dataclass
class IndicatorResult:
    key: str
    aspect: str
    name: str  # Indonesian, as the instrument names it
    score: int
    max_score: int = MAX_SCORE
    evidence: list[str] = field(default_factory=list)
    next_step: str = ""  # in the UI language; '' at 5
    next_step_id: str = ""  # in Indonesian, for printed sheets
    suggestions: list[SuggestedNeed] = field(default_factory=list)
    count: int = 0


@dataclass
class AspectResult:
    key: str
    name: str
    weight: Decimal
    score: int
    max_score: int


@dataclass
class Assessment:
    indicators: list[IndicatorResult]
    aspects: dict[str, Aspect]

    @property
    def total(self) -> int:
        return sum(r.score for r in self.indicators)

    @property
    def max_total(self) -> int:
        return sum(r.max_score for r in self.indicators)

    @property
    def by_aspect(self) -> dict[str, AspectResult]:
        out: dict[str, AspectResult] = {}
        for r in self.indicators:
            a = self.aspects[r.aspect]
            res = out.setdefault(r.aspect, AspectResult(a.key, a.name, a.weight, 0, 0))
            res.score += r.score
            res.max_score += r.max_score
        return out

    @property
    def weighted_index(self) -> Decimal:
        """0..5: the aspects' mean scores weighted by the instrument's weights."""
        aspects = list(self.by_aspect.values())
        weights = sum((a.weight for a in aspects), Decimal(0))
        if not weights:
            return Decimal(0)
        value = sum((a.weight * Decimal(a.score) * MAX_SCORE / Decimal(a.max_score) for a in aspects if a.max_score),
                    Decimal(0)) / weights
        return value.quantize(Decimal("0.01"))

    def result(self, key: str) -> IndicatorResult:
        return next(r for r in self.indicators if r.key == key)


@dataclass
class _Thing:
    """An item present (or planned, with assume_open_needs_met)."""

    key: str
    tags: frozenset[str]
    room: Room | None
    quantity: Decimal
    planned: bool = False


@dataclass
class _Context:
    rooms: list[Room]
    things: list[_Thing]
    ticks: set[str]
    types: dict[str, ItemType]
    project: Any

    @classmethod
    def load(cls, project, assume_open_needs_met: bool) -> "_Context":
        s = project.session
        rooms = list(s.scalars(select(Room).order_by(Room.floor_id, Room.id)))
        by_id = {r.id: r for r in rooms}
        things = [_Thing(i.item_type.key, frozenset(i.item_type.tag_set), by_id.get(i.room_id) if i.room_id else None,
                         i.quantity)
                  for i in s.scalars(select(InventoryItem).order_by(InventoryItem.id)
                                     .options(selectinload(InventoryItem.item_type)))
                  if i.condition in USABLE]
        if assume_open_needs_met:
            things += [_Thing(n.item_type.key, frozenset(n.item_type.tag_set), by_id.get(n.room_id), n.quantity, True)
                       for n in s.scalars(select(Need).order_by(Need.id).options(selectinload(Need.item_type)))]
        ticks = {t.key for t in s.scalars(select(ChecklistTick).where(ChecklistTick.ticked.is_(True)))}
        types = {t.key: t for t in s.scalars(select(ItemType))}
        return cls(rooms, things, ticks, types, project)

    def preferred_room(self, kinds) -> Room | None:
        for kind in kinds:
            rooms = [r for r in self.rooms if r.kind == kind]
            if rooms:
                return max(rooms, key=lambda r: r.area_m2)
        return None


def _entry_evidence(entry: Entry, ctx: _Context) -> list[str]:
    """What makes the entry present (empty: absent)."""
    out: list[str] = []
    if entry.tags or entry.items:
        wanted = set(entry.tags)
        found: dict[str, Decimal] = {}
        for t in ctx.things:
            if not (t.key in entry.items or t.tags & wanted):
                continue
            if entry.in_rooms and (t.room is None or t.room.kind not in entry.in_rooms):
                continue
            name = ctx.types[t.key].name if t.key in ctx.types else t.key
            where = t.room.name if t.room is not None else "-"
            label = f"{name} ({where})" + (" [usulan]" if t.planned else "")
            found[label] = found.get(label, Decimal(0)) + t.quantity
        out += [f"{label} ×{qty.normalize():f}" for label, qty in found.items()]
    if entry.room_kinds:
        out += [r.name for r in ctx.rooms if r.kind in entry.room_kinds]
    if entry.checklist and entry.checklist in ctx.ticks:
        out.append(_("checklist “{key}”").format(key=entry.checklist))
    if len(out) > EVIDENCE_PER_ENTRY:
        out = out[:EVIDENCE_PER_ENTRY] + [_("{n} more").format(n=len(out) - EVIDENCE_PER_ENTRY)]
    return out


def _suggest(entry: Entry, ind: Indicator, ctx: _Context) -> SuggestedNeed | None:
    if not entry.suggest:
        return None
    room = ctx.preferred_room(entry.in_rooms or ind.room_kinds)
    return SuggestedNeed(entry.suggest, entry.quantity, room.id if room is not None else None,
                         tuple(entry.tags))


def _render(template: str, **params) -> tuple[str, str]:
    """(UI language, Indonesian)."""
    return _(template).format(**params), gettext_for("id")(template).format(**params)


def _count(ind: Indicator, ctx: _Context) -> IndicatorResult:
    res = IndicatorResult(ind.key, ind.aspect, ind.name, 0)
    missing_required = []
    for entry in ind.required:
        ev = _entry_evidence(entry, ctx)
        if ev:
            res.evidence.append(f"{entry.label}: " + "; ".join(ev))
        else:
            missing_required.append(entry)
    missing = []
    for entry in ind.items:
        ev = _entry_evidence(entry, ctx)
        if ev:
            res.count += 1
            res.evidence.append(f"{entry.label}: " + "; ".join(ev))
        else:
            missing.append(entry)
    if missing_required:
        names = ", ".join(e.label for e in missing_required)
        res.next_step, res.next_step_id = _render(MISSING_REQUIRED, items=names)
        res.suggestions = [s for e in missing_required if (s := _suggest(e, ind, ctx)) is not None]
        return res
    res.score = ind.score_of(res.count)
    target = ind.next_threshold(res.score)
    if target is not None:
        # entries the catalog can supply to a room the site has first, then the others, in file order
        def order(e: Entry) -> int:
            return 0 if e.suggest and ctx.preferred_room(e.in_rooms or ind.room_kinds) else 1 if e.suggest else 2
        chosen = sorted(missing, key=order)[:max(target - res.count, 0)]
        res.next_step, res.next_step_id = _render(MORE_ITEMS, n=len(chosen),
                                                  items=", ".join(e.label for e in chosen))
        res.suggestions = [s for e in chosen if (s := _suggest(e, ind, ctx)) is not None]
    return res


def _skm_done(ind: Indicator, ctx: _Context) -> IndicatorResult:
    from mpp_planner.model.skm import minimum_sample
    from mpp_planner.model.survey import SurveyPeriod

    res = IndicatorResult(ind.key, ind.aspect, ind.name, 0)
    periods = list(ctx.project.session.scalars(select(SurveyPeriod).order_by(SurveyPeriod.position, SurveyPeriod.id)
                                               .options(selectinload(SurveyPeriod.responses))))
    best_gap = None
    for p in periods:
        n = len(p.responses)
        if not n:
            continue
        if p.population:
            need = minimum_sample(p.population)
            res.evidence.append(_("{period}: {n} respondent(s), minimum sample {min}").format(
                period=p.name, n=n, min=need))
            if n >= need:
                res.count = max(res.count, 2)
            else:
                res.count = max(res.count, 1)
                gap = (need - n, p.name, need)
                best_gap = gap if best_gap is None or gap < best_gap else best_gap
        else:
            res.evidence.append(_("{period}: {n} respondent(s), population unknown").format(period=p.name, n=n))
            res.count = max(res.count, 1)
            if best_gap is None:
                best_gap = (0, p.name, 0)
    res.score = ind.score_of(res.count)
    if res.score < MAX_SCORE:
        if best_gap is None:
            res.next_step, res.next_step_id = _render(SKM_NO_PERIOD)
        elif best_gap[2] == 0:
            res.next_step, res.next_step_id = _render(SKM_NO_POPULATION, period=best_gap[1])
        else:
            res.next_step, res.next_step_id = _render(SKM_MORE_RESPONSES, n=best_gap[0], period=best_gap[1],
                                                      min=best_gap[2])
    return res


def _skm_followed_up(ind: Indicator, ctx: _Context) -> IndicatorResult:
    """count = weakest unsur of the latest period with an action + those whose action is done."""
    from mpp_planner.model import skm
    from mpp_planner.model.survey import ActionStatus, SurveyAction, SurveyPeriod

    res = IndicatorResult(ind.key, ind.aspect, ind.name, 0)
    s = ctx.project.session
    periods = [p for p in s.scalars(select(SurveyPeriod).order_by(SurveyPeriod.position, SurveyPeriod.id)
                                    .options(selectinload(SurveyPeriod.responses))) if p.responses]
    if not periods:
        res.next_step, res.next_step_id = _render(SKM_NO_PERIOD)
        return res
    period = periods[-1]
    result = skm.compute(r.answers for r in period.responses)
    weakest = [u.unsur for u in result.weakest(ind.weakest)]
    actions = list(s.scalars(select(SurveyAction).where(SurveyAction.period_id == period.id)))
    without, not_done = [], []
    for u in weakest:
        mine = [a for a in actions if a.unsur == u]
        if mine:
            res.count += 1
            res.evidence.append(_("{period}, unsur {u}: {action}").format(period=period.name, u=u,
                                                                           action=mine[0].action))
            if all(a.status == ActionStatus.DONE.value for a in mine):
                res.count += 1
            else:
                not_done.append(u)
        else:
            without.append(u)
    res.score = ind.score_of(res.count)
    if res.score < MAX_SCORE:
        if without:
            res.next_step, res.next_step_id = _render(SKM_ACTIONS, unsur=", ".join(f"U{u}" for u in without))
        elif not_done:
            res.next_step, res.next_step_id = _render(SKM_DONE_ACTIONS, unsur=", ".join(f"U{u}" for u in not_done))
    return res


ASSESSORS = {"count": _count, "skm_done": _skm_done, "skm_followed_up": _skm_followed_up}


def assess(project, instrument: Instrument | None = None, *, assume_open_needs_met: bool = False) -> Assessment:
    """Score every indicator of ``instrument`` (the shipped one by default) on ``project``."""
    instrument = instrument or load_instrument()
    ctx = _Context.load(project, assume_open_needs_met)
    return Assessment([ASSESSORS[ind.kind](ind, ctx) for ind in instrument.indicators], instrument.aspects)
