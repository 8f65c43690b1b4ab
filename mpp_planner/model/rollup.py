"""A province roll-up over many MPPs' project files: what one file tells about its MPP (:class:`MppSummary`),
the files that could not be read (:class:`SkippedFile`) and the roll-up of them all (:class:`Rollup`).

Plain frozen values (str, int, Decimal, dates, tuples), so a summary made in a worker process is pickled back
in a few kilobytes. Money is Decimal; areas are Decimal square metres to the hundredth. The province figures
(ranks, the columns found in any file, the usual fiscal year) are pure functions here; the reading is in
``mpp_planner.reads.rollup``, the documents in ``mpp_planner.reports.rollup_*``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter as Tally
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0.00")
CENT = Decimal("0.01")

#: the tiers a province compares (MPP_REFERENCE §1): BPJS (badan hukum publik) and private firms count as "other"
TIER_GROUPS = ("pusat", "provinsi", "kab_kota", "bumn", "bumd", "lainnya")
_GROUP_OF_TIER = {"pusat": "pusat", "provinsi": "provinsi", "kab_kota": "kab_kota", "bumn": "bumn", "bumd": "bumd"}

#: why a file was skipped
SKIP_MISSING = "missing"
SKIP_NOT_PROJECT = "not_project"
SKIP_DAMAGED = "damaged"
SKIP_NEWER = "newer"
SKIP_UNREADABLE = "unreadable"
SKIP_LOCKED = "locked"  # held for editing where a reader cannot share it (a project in a network folder)
SKIP_FAILED = "failed"  # the file opened but could not be summarised (the log has the details)
SKIP_REASONS = (SKIP_MISSING, SKIP_NOT_PROJECT, SKIP_DAMAGED, SKIP_NEWER, SKIP_LOCKED, SKIP_UNREADABLE, SKIP_FAILED)

#: the severities of the standards findings, most severe first (``standards.findings.Severity``)
SEVERITIES = ("high", "medium", "low")


def tier_group(tier: str) -> str:
    """The roll-up group of an agency's tier: pusat, provinsi, kab_kota, bumn, bumd, or lainnya."""
    return _GROUP_OF_TIER.get(tier, "lainnya")


def m2(value: float) -> Decimal:
    """Square metres (a float sum of polygon areas) as Decimal to the hundredth, half up."""
    return Decimal(repr(float(value))).quantize(CENT, rounding=ROUND_HALF_UP)


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").casefold()
    return " ".join(re.findall(r"[0-9a-z]+", "".join(c for c in text if not unicodedata.combining(c))))


# --- one file -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SourceFile:
    """A file as it was found: where, how big, when last changed, its SHA-256, and the schema it was read at."""

    path: str
    size: int
    modified: float  # POSIX time stamp
    sha256: str
    schema: str = ""
    via_copy: bool = False  # an older schema: read through an upgraded temporary copy, the file untouched

    @property
    def modified_at(self) -> datetime:
        return datetime.fromtimestamp(self.modified)

    @property
    def name(self) -> str:
        return re.split(r"[\\/]", self.path)[-1]


@dataclass(frozen=True)
class SkippedFile:
    """A file that is not in the roll-up, with why (one of :data:`SKIP_REASONS`) and the store's sentence."""

    path: str
    reason: str
    message: str  # in the language of the window or command
    detail: str = ""  # what the store found, in its own words (SQLite's report, the newer schema's number)
    size: int | None = None
    modified: float | None = None
    sha256: str = ""

    @property
    def name(self) -> str:
        return re.split(r"[\\/]", self.path)[-1]


@dataclass(frozen=True)
class Identity:
    """Who the MPP is, as its project settings say."""

    name: str
    city: str = ""
    province: str = ""
    government: str = ""
    office: str = ""
    fiscal_year: int = 0

    @property
    def key(self) -> tuple[str, str, str]:
        """Two files with the same key are the same MPP (case, accents and punctuation do not matter)."""
        return _plain(self.name), _plain(self.city), _plain(self.province)


@dataclass(frozen=True)
class TierCount:
    group: str  # one of TIER_GROUPS
    agencies: int
    services: int


@dataclass(frozen=True)
class RuleCount:
    """How many findings one standards rule gave."""

    rule_id: str
    name: str  # the rule's Indonesian name (printed sheets)
    severity: str  # high, medium, low
    count: int


@dataclass(frozen=True)
class AmountPair:
    """Requested and approved money of one account (kode rekening) or one sub kegiatan."""

    code: str
    name: str
    requested: Decimal
    approved: Decimal


@dataclass(frozen=True)
class YearBudget:
    """The budget request of one fiscal year (``model.budget_summary`` rules: rejected lines count nowhere)."""

    year: int
    ceiling: Decimal | None = None
    requested: Decimal = ZERO
    approved: Decimal = ZERO
    lines: int = 0  # lines in the request (not rejected)
    rejected: int = 0
    accounts: tuple[AmountPair, ...] = ()  # per kelompok (5.1) and jenis (5.1.02), in code order
    sub_activities: tuple[AmountPair, ...] = ()  # per sub kegiatan code; "" for lines under none

    def account(self, code: str) -> AmountPair | None:
        return next((a for a in self.accounts if a.code == code), None)

    def sub_activity(self, code: str) -> AmountPair | None:
        return next((a for a in self.sub_activities if a.code == code), None)


@dataclass(frozen=True)
class SkmPeriod:
    """One survey period's result (``model.skm``)."""

    name: str
    start: date | None
    end: date | None
    respondents: int
    ikm: Decimal | None
    mutu: str
    kinerja: str

    def in_year(self, year: int) -> bool:
        """The period falls in ``year``: by its dates, or by its name ("2024 Semester I") when it has none."""
        if self.start is not None or self.end is not None:
            return any(d is not None and d.year == year for d in (self.start, self.end))
        return re.search(rf"(?<!\d){year}(?!\d)", self.name) is not None


@dataclass(frozen=True)
class Score:
    """One PEKPPP indicator's score (0..max)."""

    key: str
    name: str
    score: int
    max_score: int


@dataclass(frozen=True)
class MppSummary:
    """Everything the roll-up shows of one MPP, read from one project file."""

    source: SourceFile
    identity: Identity
    floors: int = 0
    rooms: int = 0
    room_area_m2: Decimal = ZERO
    service_area_m2: Decimal = ZERO  # rooms the public uses (``model.plan.PUBLIC_ROOM_KINDS``)
    counters: int = 0
    counters_allocated: int = 0
    counters_unallocated: int = 0
    tiers: tuple[TierCount, ...] = ()  # one per TIER_GROUPS entry, in that order
    findings: tuple[RuleCount, ...] = ()  # rules with findings
    open_needs: int = 0
    open_needs_cost: Decimal = ZERO  # missing quantities at reference prices, before PPN
    budgets: tuple[YearBudget, ...] = ()  # the years the file plans (or the one asked for)
    skm_periods: tuple[SkmPeriod, ...] = ()  # in period order
    facilities: tuple[Score, ...] = ()  # PEKPPP sarana prasarana indicators
    pekppp_index: Decimal | None = None  # the weighted index of the whole instrument, 0..5

    @property
    def agencies(self) -> int:
        return sum(t.agencies for t in self.tiers)

    @property
    def services(self) -> int:
        return sum(t.services for t in self.tiers)

    def tier(self, group: str) -> TierCount:
        return next((t for t in self.tiers if t.group == group), TierCount(group, 0, 0))

    def findings_of(self, severity: str | None = None) -> int:
        return sum(r.count for r in self.findings if severity is None or r.severity == severity)

    def rule_count(self, rule_id: str) -> int:
        return next((r.count for r in self.findings if r.rule_id == rule_id), 0)

    def budget(self, year: int) -> YearBudget:
        """The request of ``year`` (an empty one when the file has none)."""
        return next((b for b in self.budgets if b.year == year), YearBudget(year))

    def skm(self, year: int) -> SkmPeriod | None:
        """The latest survey period of ``year`` with respondents (None when the file has none)."""
        found = [p for p in self.skm_periods if p.in_year(year) and p.respondents]
        return found[-1] if found else None

    @property
    def facility_score(self) -> int:
        return sum(s.score for s in self.facilities)

    @property
    def facility_max(self) -> int:
        return sum(s.max_score for s in self.facilities)

    def facility(self, key: str) -> Score | None:
        return next((s for s in self.facilities if s.key == key), None)


# --- many files -----------------------------------------------------------------------------------

@dataclass
class Rollup:
    """The MPPs read (sorted by name and city) and the files skipped, for one fiscal year."""

    year: int
    summaries: list[MppSummary] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.summaries.sort(key=lambda s: (_plain(s.identity.name), _plain(s.identity.city), s.source.path))
        self.skipped.sort(key=lambda s: s.path)

    @property
    def duplicates(self) -> list[list[MppSummary]]:
        """Groups of files that hold the same MPP (same identity), each group in row order."""
        groups: dict[tuple, list[MppSummary]] = {}
        for s in self.summaries:
            groups.setdefault(s.identity.key, []).append(s)
        return [g for g in groups.values() if len(g) > 1]

    def is_duplicate(self, summary: MppSummary) -> bool:
        return any(summary in group for group in self.duplicates)

    @property
    def province(self) -> str:
        """The province most MPPs name ("" when none does)."""
        names = Tally(s.identity.province.strip() for s in self.summaries if s.identity.province.strip())
        return names.most_common(1)[0][0] if names else ""

    def rule_columns(self) -> list[tuple[str, str, str]]:
        """(rule id, Indonesian name, severity) of every rule with findings in any file, most severe first."""
        found: dict[str, tuple[str, str, str]] = {}
        for s in self.summaries:
            for r in s.findings:
                found.setdefault(r.rule_id, (r.rule_id, r.name, r.severity))
        order = {sev: i for i, sev in enumerate(SEVERITIES)}
        return sorted(found.values(), key=lambda r: (order.get(r[2], 9), r[1].casefold(), r[0]))

    def account_columns(self) -> list[tuple[str, str]]:
        """(code, name) of every account level any file's request of the year uses, in code order."""
        found: dict[str, str] = {}
        for s in self.summaries:
            for a in s.budget(self.year).accounts:
                if not found.get(a.code):
                    found[a.code] = a.name
        return sorted(found.items(), key=lambda kv: code_key(kv[0]))

    def sub_activity_columns(self) -> list[tuple[str, str]]:
        """(code, name) of every sub kegiatan of the year in any file, in code order (lines under none last)."""
        found: dict[str, str] = {}
        for s in self.summaries:
            for a in s.budget(self.year).sub_activities:
                if not found.get(a.code):
                    found[a.code] = a.name
        return sorted(found.items(), key=lambda kv: (kv[0] == "", code_key(kv[0])))

    def facility_columns(self) -> list[tuple[str, str]]:
        """(key, name) of the PEKPPP facility indicators in the files' order."""
        found: dict[str, str] = {}
        for s in self.summaries:
            for f in s.facilities:
                found.setdefault(f.key, f.name)
        return list(found.items())


def code_key(code: str) -> tuple[int, ...]:
    """Account and sub kegiatan codes in numeric order: 5.2.2 < 5.2.02.05 < 5.2.10."""
    return tuple(int(p) if p.isdigit() else 0 for p in code.split("."))


def usual_year(summaries: Iterable[MppSummary], default: int) -> int:
    """The fiscal year most files plan for (the latest on a tie); ``default`` without files."""
    years = Tally(s.identity.fiscal_year for s in summaries if s.identity.fiscal_year)
    if not years:
        return default
    top = max(years.values())
    return max(y for y, n in years.items() if n == top)


def competition_ranks(values: Sequence[Decimal | int | None], *, descending: bool = True) -> list[int | None]:
    """Ranks as a spreadsheet's RANK gives them ("1224": equal values share a rank, the next one skips);
    None for a missing value (not ranked)."""
    known = [v for v in values if v is not None]
    out: list[int | None] = []
    for v in values:
        if v is None:
            out.append(None)
        else:
            out.append(1 + sum(1 for w in known if (w > v if descending else w < v)))
    return out


def average(values: Iterable[Decimal | int | None]) -> Decimal | None:
    """The mean of the known values to the hundredth (half up), None when none is known."""
    known = [Decimal(v) for v in values if v is not None]
    if not known:
        return None
    return (sum(known, Decimal(0)) / len(known)).quantize(CENT, rounding=ROUND_HALF_UP)


def total(values: Iterable[Decimal | int | None]) -> Decimal | int:
    """The exact sum of the known values (int when they all are)."""
    known = [v for v in values if v is not None]
    if all(isinstance(v, int) for v in known):
        return sum(known, 0)
    return sum((Decimal(v) for v in known), Decimal(0))


#: reads a value of one summary (for ranks, totals and the documents' columns)
Getter = Callable[[MppSummary], "Decimal | int | str | None"]
