"""What the register and the overview show of each agency's allocation line (its counters, floors,
weekdays, desk area, staff), worked out once per reload rather than in every cell the views draw,
measure, sort or filter."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from mpp_planner.model.allocation import AgencyLine, Allocation
from mpp_planner.qt.agencies.assign import days_ui


class LineTexts(NamedTuple):
    counters: str = ""  # "L1-03, L1-04" (Allocation.counters_text); "" without a counter
    slots: int = 0  # how many counters it serves at
    floors: str = ""  # "Lantai 1, Lantai 2"
    weekdays: str = ""  # "Mon–Fri"; "" when it serves on no day
    days: int = 0  # how many weekdays it serves on
    area_m2: Decimal = Decimal("0.00")
    staff: int = 0


NO_LINE = LineTexts()


def line_texts(allocation: Allocation, line: AgencyLine) -> LineTexts:
    mask = line.weekdays
    return LineTexts(allocation.counters_text(line, days_ui), len(line.slots), ", ".join(line.floors),
                     days_ui(mask) if mask else "", bin(mask).count("1"), line.area_m2, line.staff)


def texts_by_agency(allocation: Allocation) -> dict[int, LineTexts]:
    """Agency id -> what its line shows."""
    return {ln.agency.id: line_texts(allocation, ln) for ln in allocation.agencies}
