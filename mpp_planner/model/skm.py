"""The SKM index (PermenPANRB 14/2017, MPP_REFERENCE §6), computed exactly.

NRR of an unsur = the mean of its answers (1..4) over the respondents who answered it; the index = the mean
of the nine NRR (weight exactly 1/9 each, on the 1..4 scale); IKM = index x 25 (25..100). Everything is
kept as exact fractions and rounded ONCE at the end (IKM to 2 decimals, half up): a public implementation
that rounds NRR to 4 places and weighs by 0,111 gets another IKM, sometimes another grade. Grades:
IKM >= 88,31 A (Sangat Baik), >= 76,61 B (Baik), >= 65,00 C (Kurang Baik), else D (Tidak Baik).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache

from mpp_planner.i18n import N_, _
from mpp_planner.model.survey import UNSUR_COUNT
from mpp_planner.resources_path import resource

#: (lowest IKM, mutu, kinerja) from the best grade down
GRADES = ((Decimal("88.31"), "A", N_("Sangat Baik")), (Decimal("76.61"), "B", N_("Baik")),
          (Decimal("65.00"), "C", N_("Kurang Baik")), (Decimal("25.00"), "D", N_("Tidak Baik")))
TWO_PLACES = Decimal("0.01")
FOUR_PLACES = Decimal("0.0001")


def to_decimal(value: Fraction, places: Decimal = TWO_PLACES) -> Decimal:
    """An exact fraction rounded half up to ``places`` (the one rounding of the method)."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(places, rounding=ROUND_HALF_UP) \
        if value.denominator != 1 else Decimal(value.numerator).quantize(places)


def grade(ikm: Decimal) -> tuple[str, str]:
    """(mutu, kinerja) of an IKM already rounded to two decimals, e.g. ("B", "Baik")."""
    for lowest, mutu, kinerja in GRADES:
        if ikm >= lowest:
            return mutu, kinerja
    return GRADES[-1][1], GRADES[-1][2]


@dataclass(frozen=True)
class UnsurResult:
    unsur: int
    answered: int  # respondents who answered it
    missing: int  # forms that left it empty
    total: int  # sum of the answers
    nrr: Fraction | None  # exact mean (None: nobody answered)

    @property
    def nrr_decimal(self) -> Decimal | None:
        """The NRR as printed (4 decimals); the index is never computed from it."""
        return None if self.nrr is None else to_decimal(self.nrr, FOUR_PLACES)

    @property
    def weighted(self) -> Fraction | None:
        """NRR x 1/9 (the "NRR tertimbang")."""
        return None if self.nrr is None else self.nrr / UNSUR_COUNT


@dataclass(frozen=True)
class SkmResult:
    respondents: int  # forms counted
    unsur: tuple[UnsurResult, ...]
    index: Fraction | None  # exact, on the 1..4 scale; None when an unsur has no answer at all

    @property
    def ikm(self) -> Decimal | None:
        """IKM = index x 25, rounded once to two decimals."""
        return None if self.index is None else to_decimal(self.index * 25)

    @property
    def index_decimal(self) -> Decimal | None:
        return None if self.index is None else to_decimal(self.index, FOUR_PLACES)

    @property
    def mutu(self) -> str:
        return grade(self.ikm)[0] if self.ikm is not None else "-"

    @property
    def kinerja(self) -> str:
        """The performance word in Indonesian, as the regulation prints it (Sangat Baik, Baik, ...)."""
        return grade(self.ikm)[1] if self.ikm is not None else "-"

    def weakest(self, n: int = 3) -> list[UnsurResult]:
        """The ``n`` unsur with the lowest NRR (ties: the lower unsur number first)."""
        known = [u for u in self.unsur if u.nrr is not None]
        return sorted(known, key=lambda u: (u.nrr, u.unsur))[:n]


def compute(forms: Iterable[Sequence[int | None]]) -> SkmResult:
    """The result of the forms' answers (nine per form, 1..4 or None). A form with no answer at all is not a
    respondent."""
    totals = [0] * UNSUR_COUNT
    counts = [0] * UNSUR_COUNT
    respondents = 0
    for answers in forms:
        seen = False
        for i, a in enumerate(answers):
            if a is not None:
                totals[i] += a
                counts[i] += 1
                seen = True
        respondents += seen
    unsur = tuple(UnsurResult(i + 1, counts[i], respondents - counts[i], totals[i],
                              Fraction(totals[i], counts[i]) if counts[i] else None) for i in range(UNSUR_COUNT))
    index = None
    if respondents and all(u.nrr is not None for u in unsur):
        index = sum((u.nrr for u in unsur if u.nrr is not None), Fraction(0)) / UNSUR_COUNT
    return SkmResult(respondents, unsur, index)


@lru_cache(maxsize=1)
def sample_table() -> tuple[tuple[int, int], ...]:
    """Krejcie & Morgan (1970): (population, minimum sample), ``resources/krejcie_morgan.csv``."""
    with resource("krejcie_morgan.csv").open(newline="", encoding="utf-8-sig") as fh:
        return tuple(sorted((int(r["population"]), int(r["sample"])) for r in csv.DictReader(fh)))


def minimum_sample(population: int) -> int:
    """The minimum number of respondents for ``population`` service users: the sample of the smallest tabled
    population at or above it (the table's last sample beyond its end)."""
    if population <= 0:
        raise ValueError(_("The number of service users must be above 0."))
    for n, s in sample_table():
        if n >= population:
            return min(s, population)
    return sample_table()[-1][1]
