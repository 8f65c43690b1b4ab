"""Reading and checking the human-editable rule file (``resources/standards.toml``).

The whole file is parsed and every rule validated before any check runs: a syntax error,
an unknown rule kind, an unknown or ill-typed parameter gives one :class:`RuleFileError`
naming the file and the line, and no check runs at all.

Layout of the file::

    [rules.lactation_area]          # the table name is the rule id (internal: never printed)
    name = "Lactation room size"    # optional: the name shown on screen (English)
    name_id = "Luas ruang laktasi"  # optional: the name on printed sheets (Indonesian)
    kind = "room_min_area"          # one of the kinds in mpp_planner.standards.kinds
    severity = "high"               # high | medium | low (optional: the kind's default)
    enabled = true                  # optional
    room_kinds = ["lactation_room"] # parameters of the kind
    min_area_m2 = 12
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mpp_planner.i18n import _
from mpp_planner.model.inventory import Condition
from mpp_planner.model.plan import RoomKind
from mpp_planner.standards.findings import Severity

RULE_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,60}$")
ITEM_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{1,60}$")
PUBLIC = "public"  # in room_kinds: every kind in mpp_planner.model.plan.PUBLIC_ROOM_KINDS
REQUIRED = object()


class RuleFileError(Exception):
    """The rule file cannot be used; the message names the file and the line."""

    def __init__(self, message: str, *, path: str | os.PathLike | None = None, line: int | None = None):
        self.path = Path(path) if path is not None else None
        self.line = line
        self.detail = message
        where = self.path.name if self.path is not None else _("rule file")
        if line:
            where = _("{file}, line {line}").format(file=where, line=line)
        super().__init__(f"{where}: {message}")


class ParamError(ValueError):
    """A parameter value is wrong; ``key`` is the (innermost) key to point at."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key


# --- parameter types ---------------------------------------------------------------------

def _number(key, v):
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0 or v != v or v == float("inf"):
        raise ParamError(key, _("'{key}' must be a number of 0 or more (got {value!r}).").format(key=key, value=v))
    return v


def _positive(key, v):
    _number(key, v)
    if v <= 0:
        raise ParamError(key, _("'{key}' must be above 0 (got {value!r}).").format(key=key, value=v))
    return v


def _whole(key, v):
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise ParamError(key, _("'{key}' must be a whole number of 0 or more (got {value!r}).").format(
            key=key, value=v))
    return v


def _bool(key, v):
    if not isinstance(v, bool):
        raise ParamError(key, _("'{key}' must be true or false (got {value!r}).").format(key=key, value=v))
    return v


def _string(key, v):
    if not isinstance(v, str) or not v.strip():
        raise ParamError(key, _("'{key}' must be a non-empty text in quotes (got {value!r}).").format(
            key=key, value=v))
    return v.strip()


def _list_of(item: Callable, *, allow_empty: bool = False):
    def check(key, v):
        if not isinstance(v, list) or (not v and not allow_empty):
            raise ParamError(key, _("'{key}' must be a list such as [\"a\", \"b\"] (got {value!r}).").format(
                key=key, value=v))
        return [item(key, x) for x in v]
    return check


def _choice(values: list[str]):
    def check(key, v):
        if v not in values:
            raise ParamError(key, _("'{key}': unknown value {value!r} (allowed: {allowed}).").format(
                key=key, value=v, allowed=", ".join(values)))
        return v
    return check


def _room_kind(key, v):
    return _choice([k.value for k in RoomKind])(key, v)


def _room_kind_or_public(key, v):
    return _choice([PUBLIC] + [k.value for k in RoomKind])(key, v)


def _item_key(key, v):
    if not isinstance(v, str) or not ITEM_KEY_RE.match(v):
        raise ParamError(key, _("'{key}' must be a catalog item key such as \"kulkas\" (got {value!r}).").format(
            key=key, value=v))
    return v


def _tag(key, v):
    if not isinstance(v, str) or not v.strip() or " " in v.strip():
        raise ParamError(key, _("'{key}' must hold tags without spaces, such as \"refrigerator\" (got {value!r})."
                                ).format(key=key, value=v))
    return v.strip()


def _table(fields: dict[str, tuple[Callable, Any]]):
    """An inline table such as ``{ tags = ["sink"], suggest = "wastafel" }`` with known keys."""
    def check(key, v):
        if not isinstance(v, dict):
            raise ParamError(key, _("'{key}' must be a list of tables such as {{ tags = [\"sink\"] }}.").format(
                key=key))
        out = {}
        for k in v:
            if k not in fields:
                raise ParamError(k, _("unknown parameter '{key}' in '{outer}' (known: {known}).").format(
                    key=k, outer=key, known=", ".join(fields)))
        for k, (conv, default) in fields.items():
            if k in v:
                out[k] = conv(k, v[k])
            elif default is REQUIRED:
                raise ParamError(key, _("'{outer}' entry lacks '{key}'.").format(outer=key, key=k))
            else:
                out[k] = default
        return out
    return check


ROOM_KINDS = _list_of(_room_kind_or_public)
TAGS = _list_of(_tag)
CONDITIONS = _list_of(_choice([c.value for c in Condition]))
SEVERITY = _choice([s.value for s in Severity])


@dataclass
class Param:
    convert: Callable[[str, Any], Any]
    default: Any = REQUIRED
    help: str = ""


@dataclass
class Rule:
    """One configured rule: its id, kind, severity and validated parameters."""

    id: str
    kind: str
    severity: Severity
    enabled: bool
    params: dict[str, Any]
    line: int | None = None
    name: str = ""  # English, as the screen and ``check`` show it
    name_id: str = ""  # Indonesian, as printed sheets show it

    def __getitem__(self, key: str) -> Any:
        return self.params[key]

    def title(self, lang: str = "en") -> str:
        """The rule's readable name in ``lang`` (never its id): the name the file gives it in that
        language, else its other name, else the name of its kind."""
        from mpp_planner.standards.findings import gettext_for
        from mpp_planner.standards.kinds import KINDS

        first, other = (self.name_id, self.name) if lang == "id" else (self.name, self.name_id)
        if first or other:
            return first or other
        kind = KINDS.get(self.kind)
        return gettext_for(lang)(kind.title) if kind is not None and kind.title else self.kind.replace("_", " ")


@dataclass
class RuleSet:
    rules: list[Rule] = field(default_factory=list)
    path: Path | None = None

    @property
    def enabled(self) -> list[Rule]:
        return [r for r in self.rules if r.enabled]


def default_rules_path() -> Path:
    from mpp_planner.resources_path import resource

    return resource("standards.toml")


def _header_line(lines: list[str], rule_id: str) -> int | None:
    """Line (1-based) of the ``[rules.ID]`` header, or of the first mention of ID."""
    rid = re.escape(rule_id)
    header = re.compile(r"^\s*\[\s*rules\s*\.\s*(" + rid + r"|\"" + rid + r"\"|'" + rid + r"')\s*\]")
    for i, text in enumerate(lines, 1):
        if header.match(text):
            return i
    mention = re.compile(r"(^|[.\s\"'\[])" + rid + r"($|[.\s\"'\]=])")
    for i, text in enumerate(lines, 1):
        if mention.search(text.split("#", 1)[0]):
            return i
    return None


def _key_line(lines: list[str], start: int | None, key: str) -> int | None:
    """Line of ``key = ...`` inside the table that starts at ``start`` (up to the next header)."""
    if start is None:
        return None
    pattern = re.compile(r"(^|[{,\s])[\"']?" + re.escape(key) + r"[\"']?\s*=")
    for i in range(start + 1, len(lines)):
        text = lines[i].split("#", 1)[0]
        if re.match(r"^\s*\[\[?\s*[A-Za-z0-9_.\"' -]+\]\]?\s*$", text):  # the next table header
            break
        if pattern.search(text):
            return i + 1
    return start + 1


def parse_rules(text: str, path: str | os.PathLike | None = None) -> RuleSet:
    """Parse and validate a rule file's text; raise :class:`RuleFileError` on the first problem."""
    from mpp_planner.standards.kinds import KINDS

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
        if key != "rules":
            raise RuleFileError(_("unknown section '{key}'; rules are tables named [rules.ID].").format(key=key),
                                path=path, line=_header_line(lines, key))
    rules_table = data.get("rules", {})
    if not isinstance(rules_table, dict):
        raise RuleFileError(_("'rules' must be tables named [rules.ID]."), path=path, line=_header_line(lines, "rules"))
    ruleset = RuleSet(path=Path(path) if path is not None else None)
    for rule_id, table in rules_table.items():
        line = _header_line(lines, rule_id)
        if not RULE_ID_RE.match(rule_id):
            raise RuleFileError(_("rule id '{id}' may hold letters, digits, '_' and '-' only.").format(id=rule_id),
                                path=path, line=line)
        if not isinstance(table, dict):
            raise RuleFileError(_("rule '{id}' must be a table [rules.{id}].").format(id=rule_id), path=path,
                                line=line)
        kind_name = table.get("kind")
        if kind_name is None:
            raise RuleFileError(_("rule '{id}' has no 'kind'.").format(id=rule_id), path=path, line=line)
        kind = KINDS.get(kind_name) if isinstance(kind_name, str) else None
        if kind is None:
            raise RuleFileError(_("rule '{id}': unknown rule kind {kind!r} (known: {known}).").format(
                id=rule_id, kind=kind_name, known=", ".join(sorted(KINDS))), path=path,
                line=_key_line(lines, (line or 1) - 1 if line else None, "kind") or line)
        params: dict[str, Any] = {}
        severity = kind.severity
        enabled = True
        names = {"name": "", "name_id": ""}
        try:
            for key, value in table.items():
                if key == "kind":
                    continue
                if key in names:
                    names[key] = _string(key, value)
                elif key == "severity":
                    severity = Severity(SEVERITY(key, value))
                elif key == "enabled":
                    enabled = _bool(key, value)
                elif key not in kind.params:
                    raise ParamError(key, _("rule '{id}': unknown parameter '{key}' for kind '{kind}' "
                                            "(known: {known}).").format(
                        id=rule_id, key=key, kind=kind_name,
                        known=", ".join(["name", "name_id", "severity", "enabled", *kind.params])))
                else:
                    params[key] = kind.params[key].convert(key, value)
            for key, spec in kind.params.items():
                if key not in params:
                    if spec.default is REQUIRED:
                        raise ParamError("kind", _("rule '{id}' needs the parameter '{key}'.").format(
                            id=rule_id, key=key))
                    params[key] = spec.default() if callable(spec.default) else spec.default
            kind.validate(params)
        except ParamError as exc:
            message = str(exc)
            if not message.startswith(_("rule '{id}'").format(id=rule_id)):
                message = _("rule '{id}': {problem}").format(id=rule_id, problem=message)
            raise RuleFileError(message, path=path,
                                line=_key_line(lines, (line - 1) if line else None, exc.key) or line) from None
        ruleset.rules.append(Rule(rule_id, kind_name, severity, enabled, params, line, names["name"],
                                  names["name_id"]))
    return ruleset


def load_rules(path: str | os.PathLike | None = None) -> RuleSet:
    """Read and validate a rule file (the shipped ``standards.toml`` by default)."""
    p = Path(path) if path is not None else default_rules_path()
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise RuleFileError(_("the rule file does not exist."), path=p) from None
    except OSError as exc:
        raise RuleFileError(_("cannot read the rule file: {error}").format(error=exc.strerror or exc), path=p) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RuleFileError(_("the rule file must be UTF-8 text."), path=p) from None
    return parse_rules(text, p)
