"""What a check reports: a finding with severity, rule, place, message and a suggested need.

Messages are kept as an English template (the gettext msgid) plus parameters, and rendered
when shown: in the UI language on screen (``finding.message``), in Indonesian on printed
sheets (``finding.render(gettext_for("id"), "id")``). Parameters that need translating or
number formatting are small value objects (:class:`Term`, :class:`AnyOf`, :class:`Num`).
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from mpp_planner.formats import number
from mpp_planner.i18n import DOMAIN, N_, _, current_language

Gettext = Callable[[str], str]


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def label(self) -> str:
        return _(SEVERITY_LABELS[self])

    @property
    def rank(self) -> int:
        """0 for the most severe; sorts findings."""
        return list(Severity).index(self)


SEVERITY_LABELS = {Severity.HIGH: N_("High"), Severity.MEDIUM: N_("Medium"), Severity.LOW: N_("Low")}
# printed sheets are always Indonesian
SEVERITY_ID = {Severity.HIGH: "Tinggi", Severity.MEDIUM: "Sedang", Severity.LOW: "Rendah"}


class Term(str):
    """A parameter that is itself a msgid (a room kind, an item description)."""

    def render(self, gettext: Gettext, lang: str) -> str:
        return gettext(str(self))


OR_TEMPLATE = N_("{a} or {b}")


class AnyOf(tuple):
    """Alternatives joined with "or": ``AnyOf([Term("mattress"), Term("sofa")])``."""

    def render(self, gettext: Gettext, lang: str) -> str:
        parts = [p.render(gettext, lang) if hasattr(p, "render") else str(p) for p in self]
        if len(parts) <= 1:
            return "".join(parts)
        return gettext(OR_TEMPLATE).format(a=", ".join(parts[:-1]), b=parts[-1])


@dataclass(frozen=True)
class Num:
    """A number printed the way the reader's language writes it, with an optional unit."""

    value: float | int | Decimal
    decimals: int = 0
    unit: str = ""

    def render(self, gettext: Gettext, lang: str) -> str:
        text = number(self.value, self.decimals, lang=lang)
        return f"{text} {self.unit}" if self.unit else text


@dataclass(frozen=True)
class SuggestedNeed:
    """Add ``quantity`` of the catalog item ``item_key`` to room ``room_id``."""

    item_key: str
    quantity: Decimal  # to add to what the room has
    room_id: int | None
    tags: tuple[str, ...] = ()  # a planned need for an item with one of these tags covers the finding


@dataclass
class Finding:
    rule_id: str
    severity: Severity
    template: str  # English msgid with {named} parameters
    params: dict[str, Any] = field(default_factory=dict)
    floor_id: int | None = None
    floor_name: str = ""
    room_id: int | None = None
    room_name: str = ""
    related_room_ids: tuple[int, ...] = ()  # e.g. the play area a lactation room is far from
    counter_ids: tuple[int, ...] = ()
    suggestion: SuggestedNeed | None = None
    rule_name: str = ""  # the rule's readable name in English (the id is internal, never shown)
    rule_name_id: str = ""  # ... and in Indonesian, for printed sheets
    route: tuple[tuple[float, float], ...] = ()  # a distance rule's path (plan mm), drawn dashed on the plan
    route_length_mm: float | None = None  # its length: walking, or straight between the rooms' centres

    def rule_title(self, lang: str | None = None) -> str:
        """The rule's name in ``lang`` (default: the UI language), never its id."""
        lang = lang or current_language()
        first, other = (self.rule_name_id, self.rule_name) if lang == "id" else (self.rule_name, self.rule_name_id)
        return first or other or self.rule_id.replace("_", " ")

    def render(self, gettext: Gettext = _, lang: str | None = None) -> str:
        lang = lang or current_language()
        values = {k: (v.render(gettext, lang) if hasattr(v, "render") else v) for k, v in self.params.items()}
        return gettext(self.template).format(**values)

    @property
    def message(self) -> str:
        """The message in the UI language."""
        return self.render()

    @property
    def place(self) -> str:
        return " / ".join(p for p in (self.floor_name, self.room_name) if p)

    def sort_key(self):
        return (self.severity.rank, self.floor_name, self.room_name, self.rule_id)


def gettext_for(lang: str) -> Gettext:
    """The gettext function of ``lang`` (English msgids where no catalogue is installed)."""
    if lang == "en":
        return lambda s: s
    from mpp_planner.resources_path import locale_dir

    try:
        return _gettext.translation(DOMAIN, localedir=str(locale_dir()), languages=[lang], fallback=True).gettext
    except (OSError, FileNotFoundError):
        return lambda s: s


# Readable names of the catalog tags the rules look for (catalog.csv ``tags``).
TAG_LABELS = {
    "wayfinding": N_("direction signs"),
    "assembly_point": N_("assembly-point sign"),
    "refrigerator": N_("refrigerator"),
    "sink": N_("sink or washbasin"),
    "mattress": N_("soft mattress"),
    "sofa": N_("sofa"),
    "chair_backrest": N_("chair with backrest"),
    "ac": N_("air conditioning (AC)"),
    "cctv": N_("CCTV camera"),
    "fire_extinguisher": N_("fire extinguisher (APAR)"),
    "banner": N_("banner"),
    "led_screen": N_("LED screen"),
    "acrylic_frame": N_("acrylic frame"),
    "ramp": N_("wheelchair ramp"),
    "wheelchair": N_("wheelchair"),
    "guiding_block": N_("guiding block"),
    "seat": N_("waiting seat"),
    "curtain": N_("curtain or partition"),
    "bin": N_("lidded bin"),
    "dispenser": N_("drinking water dispenser"),
    "queue_kiosk": N_("queue kiosk"),
    "survey_kiosk": N_("satisfaction survey kiosk"),
    "evacuation_sign": N_("evacuation sign"),
    "grab_bar": N_("grab bar"),
}


def tag_term(tag: str) -> Term:
    """A translatable name for ``tag``; unknown tags print as written (underscores as spaces)."""
    return Term(TAG_LABELS.get(tag, tag.replace("_", " ")))


def tags_term(tags) -> AnyOf:
    return AnyOf(tag_term(t) for t in tags)
