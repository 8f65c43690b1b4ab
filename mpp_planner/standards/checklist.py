"""Checklist items the plan cannot show (``resources/checklist.toml``) and the findings for those not ticked.

The file is a list of ``[[items]]`` tables (key, name in Indonesian, name_en, applies_to: "site" or a room
kind, source, severity). Like the rule file, the whole file is read and checked first; a problem gives one
:class:`~mpp_planner.standards.ruleset.RuleFileError` naming the file and the line.

The rule kind ``checklist`` (registered here into :data:`mpp_planner.standards.kinds.KINDS`) gives a finding
for every applicable item not ticked: once for a site item, once per room for a room-kind item.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from mpp_planner.i18n import N_, _
from mpp_planner.model.checklist import ChecklistTick
from mpp_planner.model.plan import RoomKind
from mpp_planner.standards.findings import Finding, Severity
from mpp_planner.standards.kinds import KINDS, Kind
from mpp_planner.standards.ruleset import RuleFileError

SITE = "site"  # applies_to of an item checked once for the whole MPP
KEY_RE = re.compile(r"^[A-Za-z0-9_.-]{1,60}$")
FIELDS = ("key", "name", "name_en", "applies_to", "source", "severity", "optional")


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    name: str  # Indonesian
    name_en: str
    applies_to: str  # SITE or a room kind
    source: str = ""
    severity: Severity = Severity.MEDIUM
    line: int | None = None
    optional: bool = False  # listed for ticking (PEKPPP evidence) but no finding while not ticked

    def title(self, lang: str = "en") -> str:
        return self.name if lang == "id" else (self.name_en or self.name)

    @property
    def for_site(self) -> bool:
        return self.applies_to == SITE


@dataclass(frozen=True)
class ItemText:
    """A checklist item's name as a finding parameter: Indonesian on printed sheets, else English."""

    name: str
    name_en: str

    def render(self, gettext, lang: str) -> str:
        return self.name if lang == "id" else (self.name_en or self.name)


def default_checklist_path() -> Path:
    from mpp_planner.resources_path import resource

    return resource("checklist.toml")


def _item_lines(lines: list[str]) -> list[int]:
    """Line (1-based) of each ``[[items]]`` header, in order."""
    header = re.compile(r"^\s*\[\[\s*items\s*\]\]")
    return [i for i, text in enumerate(lines, 1) if header.match(text)]


def _key_line(lines: list[str], start: int, key: str) -> int:
    pattern = re.compile(r"^\s*[\"']?" + re.escape(key) + r"[\"']?\s*=")
    for i in range(start, len(lines)):
        text = lines[i]
        if re.match(r"^\s*\[", text):
            break
        if pattern.match(text):
            return i + 1
    return start


def parse_checklist(text: str, path: str | os.PathLike | None = None) -> list[ChecklistItem]:
    """Parse and check a checklist file's text; raise :class:`RuleFileError` on the first problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        if line is None:
            m = re.search(r"line (\d+)", str(exc))
            line = int(m.group(1)) if m else None
        detail = getattr(exc, "msg", None) or re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise RuleFileError(_("not a valid TOML file: {error}").format(error=detail), path=path, line=line) from None
    lines = text.splitlines()
    for key in data:
        if key != "items":
            line = next((i for i, t in enumerate(lines, 1) if key in t.split("#", 1)[0]), None)
            raise RuleFileError(_("unknown section '{key}'; checklist items are [[items]] tables.").format(key=key),
                                path=path, line=line)
    raw = data.get("items", [])
    if not isinstance(raw, list):
        raise RuleFileError(_("'items' must be [[items]] tables."), path=path)
    headers = _item_lines(lines)
    kinds = [SITE] + [k.value for k in RoomKind]
    items: list[ChecklistItem] = []
    seen: set[str] = set()
    for n, table in enumerate(raw):
        start = headers[n] if n < len(headers) else None

        def fail(message: str, key: str | None = None, start=start) -> RuleFileError:
            line = _key_line(lines, start, key) if start is not None and key else start
            return RuleFileError(message, path=path, line=line)

        if not isinstance(table, dict):
            raise fail(_("checklist item {n} must be a table.").format(n=n + 1))
        for key in table:
            if key not in FIELDS:
                raise fail(_("unknown field '{key}' (known: {known}).").format(key=key, known=", ".join(FIELDS)), key)
        optional = table.get("optional", False)
        if not isinstance(optional, bool):
            raise fail(_("'optional' must be true or false (got {value!r}).").format(value=optional), "optional")
        values: dict[str, Any] = {}
        for key in FIELDS[:-1]:
            value = table.get(key, "")
            if not isinstance(value, str):
                raise fail(_("'{key}' must be a text in quotes (got {value!r}).").format(key=key, value=value), key)
            values[key] = value.strip()
        for key in ("key", "name", "applies_to"):
            if not values[key]:
                raise fail(_("checklist item {n} lacks '{key}'.").format(n=n + 1, key=key), key if key in table
                           else None)
        if not KEY_RE.match(values["key"]):
            raise fail(_("key '{key}' may hold letters, digits, '_', '-' and '.' only.").format(key=values["key"]),
                       "key")
        if values["key"] in seen:
            raise fail(_("the key '{key}' is used twice.").format(key=values["key"]), "key")
        seen.add(values["key"])
        if values["applies_to"] not in kinds:
            raise fail(_("'applies_to': unknown value {value!r} (allowed: {allowed}).").format(
                value=values["applies_to"], allowed=", ".join(kinds)), "applies_to")
        severity = Severity.MEDIUM
        if values["severity"]:
            if values["severity"] not in [s.value for s in Severity]:
                raise fail(_("'severity': unknown value {value!r} (allowed: {allowed}).").format(
                    value=values["severity"], allowed=", ".join(s.value for s in Severity)), "severity")
            severity = Severity(values["severity"])
        items.append(ChecklistItem(values["key"], values["name"], values["name_en"], values["applies_to"],
                                   values["source"], severity, start, optional))
    return items


def load_checklist(path: str | os.PathLike | None = None) -> list[ChecklistItem]:
    """Read and check a checklist file (the shipped ``checklist.toml`` by default)."""
    p = Path(path) if path is not None else default_checklist_path()
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise RuleFileError(_("the checklist file does not exist."), path=p) from None
    except UnicodeDecodeError:
        raise RuleFileError(_("the checklist file must be UTF-8 text."), path=p) from None
    except OSError as exc:
        raise RuleFileError(_("cannot read the checklist file: {error}").format(error=exc.strerror or exc),
                            path=p) from None
    return parse_checklist(text, p)


def applicable(items: list[ChecklistItem], room) -> list[ChecklistItem]:
    """The items that apply to ``room`` (None: the whole site)."""
    if room is None:
        return [i for i in items if i.for_site]
    return [i for i in items if i.applies_to == room.kind]


def ticked_keys(ticks) -> set[tuple[str, int | None]]:
    return {(t.key, t.room_id) for t in ticks if t.ticked}


SITE_TEMPLATE = N_("Not confirmed on the walk-round yet: {item}.")
ROOM_TEMPLATE = N_("{room}: not confirmed on the walk-round yet: {item}.")


def findings_for(items: list[ChecklistItem], rooms, ticks, *, rule=None, ctx=None) -> list[Finding]:
    """A finding for every item that applies (to the site, or to a room of its kind) and is not ticked."""
    done = ticked_keys(ticks)
    rule_id = rule.id if rule is not None else "checklist"
    names = (rule.title("en"), rule.title("id")) if rule is not None else ("Checklist", "Daftar periksa")
    out: list[Finding] = []
    for item in items:
        if item.optional:
            continue
        text = ItemText(item.name, item.name_en)
        if item.for_site:
            if (item.key, None) not in done:
                out.append(Finding(rule_id, item.severity, SITE_TEMPLATE, {"item": text}, rule_name=names[0],
                                   rule_name_id=names[1]))
            continue
        for room in rooms:
            if room.kind != item.applies_to or (item.key, room.id) in done:
                continue
            floor_name = ctx.floor_name(room.floor_id) if ctx is not None else (
                room.floor.name if getattr(room, "floor", None) is not None else "")
            out.append(Finding(rule_id, item.severity, ROOM_TEMPLATE, {"room": room.name, "item": text},
                               floor_id=room.floor_id, floor_name=floor_name, room_id=room.id, room_name=room.name,
                               rule_name=names[0], rule_name_id=names[1]))
    return sorted(out, key=Finding.sort_key)


def checklist_findings(project, items: list[ChecklistItem] | None = None) -> list[Finding]:
    """The findings for the applicable checklist items of ``project`` not ticked."""
    from mpp_planner.model import Room

    items = load_checklist() if items is None else items
    s = project.session
    rooms = list(s.scalars(select(Room).order_by(Room.floor_id, Room.id)))
    return findings_for(items, rooms, list(s.scalars(select(ChecklistTick))))


def _file(key, v):
    if not isinstance(v, str) or not v.strip():
        from mpp_planner.standards.ruleset import ParamError

        raise ParamError(key, _("'{key}' must be a file name in quotes (got {value!r}).").format(key=key, value=v))
    return v.strip()


class ChecklistItems(Kind):
    name = "checklist"
    title = N_("Checklist items not ticked")
    severity = Severity.MEDIUM
    doc = ("Every item of the checklist (resources/checklist.toml, or 'file') that applies to the site or to a room "
           "of its kind is ticked (Inventory ▸ Checklist). Each item's severity comes from the checklist.")
    params: dict = {}  # filled below (Param lives in ruleset)

    def validate(self, params: dict) -> None:
        if params.get("file"):
            try:
                load_checklist(params["file"])
            except RuleFileError as exc:
                from mpp_planner.standards.ruleset import ParamError

                raise ParamError("file", str(exc)) from None

    def check(self, rule, ctx):
        items = load_checklist(rule.params.get("file") or None)
        return findings_for(items, ctx.rooms, getattr(ctx, "checklist_ticks", []), rule=rule, ctx=ctx)


def _register() -> None:
    from mpp_planner.standards.ruleset import Param

    ChecklistItems.params = {"file": Param(_file, "")}
    KINDS.setdefault(ChecklistItems.name, ChecklistItems())


_register()
