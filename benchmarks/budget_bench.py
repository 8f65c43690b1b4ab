"""Budget request sheet speed: a 5,000-line budget exported to PDF and XLSX.

Run ``python -m benchmarks.budget_bench`` (or ``make bench``). Prints the median seconds of
five runs each; targets on a 2-core machine: PDF <= 3 s, XLSX <= 2 s. Not a test.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

from benchmarks.timing import median_seconds

LINES = 5000
RUNS = 5


def build_project(folder: Path, lines: int = LINES) -> Path:
    """The demo project plus generated lines up to ``lines`` in its fiscal year."""
    from sqlalchemy import func, select

    from mpp_planner.demo import build_demo
    from mpp_planner.model import BudgetLine, ItemType, Room
    from mpp_planner.project import Project

    path = build_demo(folder / "bench.mpplan")
    project = Project.open(path)
    try:
        year = project.site.fiscal_year
        s = project.session
        have = s.scalar(select(func.count()).select_from(BudgetLine).where(BudgetLine.fiscal_year == year))
        types = s.scalars(select(ItemType).order_by(ItemType.id)).all()
        rooms = s.scalars(select(Room).order_by(Room.id)).all()
        from mpp_planner.commands.budget import year_sub_activity

        with project.edit():
            sub = year_sub_activity(project, year)
            if sub.id is None:
                s.add(sub)
                s.flush()
            for i in range(lines - have):
                it = types[i % len(types)]
                room = rooms[i % len(rooms)]
                s.add(BudgetLine(
                    fiscal_year=year, sub_activity_id=sub.id, account_code=it.account_code,
                    description=f"{it.name} {room.name} #{i + 1}",
                    specification=it.specification, room_id=room.id,
                    factors=[[str(1 + i % 7), "Unit"]] + ([[str(1 + i % 12), "Bulan"]] if i % 5 == 0 else []),
                    unit="Unit", unit_price=it.ref_price or Decimal("100000"), ppn_applied=i % 9 != 0,
                    ppn_rate=Decimal("11"), priority=1 + i % 3, status="requested", position=have + i + 1))
        return path
    finally:
        project.close()


def main() -> int:
    from mpp_planner.project import Project
    from mpp_planner.reports import budget

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = build_project(folder)
        project = Project.open(path, readonly=True)
        try:
            year = project.site.fiscal_year
            n = len(budget.collect(project, year).lines)
            results = {}
            for fmt in ("pdf", "xlsx"):
                out = folder / f"sheet.{fmt}"
                results[fmt] = median_seconds(
                    lambda: budget.write(project, out, fmt, year=year, sign_date=date(2023, 12, 15)),  # noqa: B023 - called within the iteration
                    RUNS)
            from pypdf import PdfReader

            pages = len(PdfReader(folder / "sheet.pdf").pages)
        finally:
            project.close()
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"budget sheet, {n} lines, median of {RUNS} runs{load}:")
    print(f"  PDF  {results['pdf'][0]:.2f} s wall, {results['pdf'][1]:.2f} s CPU ({pages} pages; target <= 3 s)")
    print(f"  XLSX {results['xlsx'][0]:.2f} s wall, {results['xlsx'][1]:.2f} s CPU (target <= 2 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
