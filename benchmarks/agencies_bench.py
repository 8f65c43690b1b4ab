"""Agencies tab speed on a big project (issue 22): the tab's first show, its Allocation page's first
show and a reload after an edit, each beside a before-style baseline measured in the same run.

The baseline is the tab as it was before issue 22, put back for its runs: the counter schedule's
cells worked out in every ``data()`` call, the schedule sized by ``resizeColumnsToContents`` over
its first 1,000 rows, the register and the overview's agencies sized by Qt over every cell, and each
agency's counters text made again in every cell that shows or sorts it. Runs alternate between the
two, so a busy spell on the shared machine hits both alike; medians of CPU seconds of the process
(and of wall seconds). Importing the tab's modules happens once, before the runs. Numbers only.

    python -m benchmarks.agencies_bench [--scale 50] [--file big.mpplan] [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

TARGET_FIRST_SHOW = "<= 300 ms"


# --- the tab as it was: the baseline -----------------------------------------------------------

def legacy_schedule_model():
    """The counter schedule's model before issue 22 (every cell worked out in ``data()``)."""
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
    from PySide6.QtGui import QColor

    from mpp_planner.i18n import _
    from mpp_planner.model.agency import WEEKDAY_SHORT
    from mpp_planner.qt.agencies.allocation_view import CLASH, COUNTER_ROLE
    from mpp_planner.qt.agencies.assign import ink_for
    from mpp_planner.qt.tables import RIGHT

    class LegacyScheduleModel(QAbstractTableModel):
        def __init__(self, parent=None):
            super().__init__(parent)
            self.allocation = None
            self.days = 6

        def set_allocation(self, allocation) -> None:
            self.beginResetModel()
            self.allocation = allocation
            sunday = any(mask & 64 for rows in allocation.schedule.values() for _a, mask in rows)
            self.days = 7 if sunday else 6
            self.endResetModel()

        def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
            return 0 if parent.isValid() or self.allocation is None else len(self.allocation.counters)

        def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
            return 0 if parent.isValid() else 3 + self.days

        def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
            if orientation != Qt.Horizontal or role != Qt.DisplayRole:
                return None
            if section == 0:
                return _("Counter")
            if section == 1:
                return _("Floor")
            if section == 2 + self.days:
                return _("Staff")
            return _(WEEKDAY_SHORT[section - 2])

        def who(self, row: int, day: int):
            counter = self.allocation.counters[row]
            return [a for a, mask in self.allocation.schedule.get(counter.id, []) if mask & (1 << day)]

        def data(self, index, role=Qt.DisplayRole):
            if not index.isValid() or self.allocation is None:
                return None
            counter = self.allocation.counters[index.row()]
            col = index.column()
            if role == COUNTER_ROLE:
                return counter.id
            if col == 0:
                return self.allocation.counter_name(counter) if role == Qt.DisplayRole else None
            if col == 1:
                return counter.floor_name if role == Qt.DisplayRole else None
            if col == 2 + self.days:
                if role == Qt.DisplayRole:
                    return str(counter.staff)
                return int(RIGHT) if role == Qt.TextAlignmentRole else None
            who = self.who(index.row(), col - 2)
            if role == Qt.DisplayRole:
                return " / ".join(a.short_name for a in who)
            if role == Qt.TextAlignmentRole:
                return int(Qt.AlignCenter)
            if role in (Qt.BackgroundRole, Qt.ForegroundRole) and who:
                colour = QColor(who[0].colour if len(who) == 1 else CLASH)
                return colour if role == Qt.BackgroundRole else ink_for(colour)
            if role == Qt.ToolTipRole and len(who) > 1:
                return _("Double booking: {agencies}").format(agencies=", ".join(a.name for a in who))
            if role == Qt.ToolTipRole and who:
                return who[0].name
            return None

    return LegacyScheduleModel


def legacy_fit_columns(view, model, max_width: int = 360) -> None:
    """``qt/tables.fit_columns`` as it was: Qt measures every cell of the first 60 rows."""
    view.horizontalHeader().setResizeContentsPrecision(60)
    view.resizeColumnsToContents()
    for i, col in enumerate(model.columns):
        if col.width:
            view.setColumnWidth(i, col.width)
        elif view.columnWidth(i) > max_width:
            view.setColumnWidth(i, max_width)


def legacy_fit_schedule(self) -> None:
    self.schedule_view.resizeColumnsToContents()
    for col in range(2, 2 + self.schedule_model.days):
        self.schedule_view.setColumnWidth(col, max(self.schedule_view.columnWidth(col), 80))


class PerCellTexts:
    """Each agency line's texts made again on every look-up, as the columns did before."""

    def __init__(self, allocation):
        self.allocation = allocation
        self.lines = {ln.agency.id: ln for ln in allocation.agencies}

    def get(self, agency_id, default=None):
        from mpp_planner.qt.agencies.lines import line_texts

        line = self.lines.get(agency_id)
        return default if line is None else line_texts(self.allocation, line)


@contextmanager
def before_style():
    """The tab's modules patched back to their pre-issue-22 ways while the block runs."""
    from mpp_planner.qt.agencies import allocation_view, tab

    saved = [(allocation_view, "ScheduleModel"), (allocation_view.AllocationView, "fit_schedule"),
             (allocation_view, "fit_rows"), (tab, "fit_rows"), (allocation_view, "texts_by_agency"),
             (tab, "texts_by_agency")]
    old = [(owner, name, getattr(owner, name)) for owner, name in saved]
    allocation_view.ScheduleModel = legacy_schedule_model()
    allocation_view.AllocationView.fit_schedule = legacy_fit_schedule
    allocation_view.fit_rows = tab.fit_rows = legacy_fit_columns
    allocation_view.texts_by_agency = tab.texts_by_agency = PerCellTexts
    try:
        yield
    finally:
        for owner, name, value in old:
            setattr(owner, name, value)


@contextmanager
def as_now():
    yield


# --- measuring -----------------------------------------------------------------------------------

def one_run(app, host, project, signals, stack) -> dict[str, tuple[float, float]]:
    """CPU and wall seconds of: the tab built and shown (register page), its Allocation page shown,
    and a reload after an edit with the Allocation page in view."""
    from mpp_planner.qt.agencies.tab import AgencyTab

    out: dict[str, tuple[float, float]] = {}

    def timed(key, fn) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        app.processEvents()
        out[key] = (time.process_time() - cpu, time.perf_counter() - wall)

    holder: list[AgencyTab] = []

    def build() -> None:
        holder.append(AgencyTab(project, signals, stack, host))
        host.setCentralWidget(holder[0])

    timed("first", build)
    tab = holder[0]
    timed("allocation", lambda: tab.pages.setCurrentIndex(1))
    timed("reload", tab.reload)
    view = tab.overview.schedule_view
    timed("scroll", lambda: view.scrollToBottom())
    host.takeCentralWidget()
    tab.deleteLater()
    app.processEvents()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=50)
    parser.add_argument("--file", help="use this project (opened read-only) instead of building one")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtWidgets import QApplication, QMainWindow
    from sqlalchemy import func, select

    from mpp_planner.demo import build_demo
    from mpp_planner.i18n import set_language
    from mpp_planner.model import Agency, Counter
    from mpp_planner.project import Project
    from mpp_planner.qt.signals import ProjectSignals
    from mpp_planner.qt.undo import UndoStack

    set_language("en")
    tmp = Path(tempfile.mkdtemp(prefix="mpp-agencies-bench-"))
    os.environ.setdefault("MPP_PLANNER_CONFIG_DIR", str(tmp / "config"))
    if args.file:
        path = Path(args.file)
    else:
        path = tmp / "big.mpplan"
        t0 = time.perf_counter()
        build_demo(path, scale=args.scale)
        print(f"built demo --scale {args.scale}: {time.perf_counter() - t0:.0f} s")

    app = QApplication.instance() or QApplication(sys.argv[:1])
    project = Project.open(path, readonly=True)
    counters = project.session.scalar(select(func.count()).select_from(Counter))
    agencies = project.session.scalar(select(func.count()).select_from(Agency))
    signals = ProjectSignals(project)
    stack = UndoStack(project)
    host = QMainWindow()
    host.resize(1400, 900)
    host.show()
    app.processEvents()
    t0 = time.process_time()
    import mpp_planner.qt.agencies.tab  # noqa: F401 - imported once, as the app does on the first show

    imports = time.process_time() - t0
    results: dict[str, dict[str, list[tuple[float, float]]]] = {"before": {}, "now": {}}
    for ctx in (before_style, as_now):  # warm-up: caches, fonts, mappers
        with ctx():
            one_run(app, host, project, signals, stack)
    for _run in range(args.runs):
        for style, ctx in (("before", before_style), ("now", as_now)):
            with ctx():
                for key, value in one_run(app, host, project, signals, stack).items():
                    results[style].setdefault(key, []).append(value)
    project.close()
    import shutil

    shutil.rmtree(tmp, ignore_errors=True)  # the built project (a scale-200 one is large)

    rows = [("first", "agencies tab, first show (register page)", TARGET_FIRST_SHOW),
            ("allocation", "  then its Allocation page, first shown", TARGET_FIRST_SHOW),
            ("reload", "reload after an edit (Allocation page in view)", "(no target)"),
            ("scroll", "scroll the counter schedule to the bottom", "(no target)")]
    load = f"load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    source = Path(args.file).name if args.file else f"scale {args.scale}"
    print(f"agencies tab, {source}: {agencies} agencies, {counters} counters; "
          f"medians of {args.runs} runs, {load}; importing the tab's modules (once): {imports * 1000:.0f} ms CPU")
    width = max(len(r[1]) for r in rows)
    print(f"{'what'.ljust(width)}  {'before CPU':>10}  {'now CPU':>9}  {'before wall':>11}  {'now wall':>9}  target")
    print("-" * (width + 62))
    for key, what, target in rows:
        before = results["before"][key]
        now = results["now"][key]
        med = [statistics.median(v[i] for v in series) * 1000 for series in (before, now) for i in (0, 1)]
        print(f"{what.ljust(width)}  {med[0]:>7.0f} ms  {med[2]:>6.0f} ms  {med[1]:>8.0f} ms  {med[3]:>6.0f} ms  "
              f"{target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
