"""The inventory and budget screens on a big project (issue 22): typing in the inventory filter, the first
showing of the inventory and budget tabs, and showing a tab again with nothing changed.

    python -m benchmarks.tabs_bench [--file big.mpplan] [--scale 50] [--runs 5] [--before REV]

Every figure is a median of CPU milliseconds (the machine is shared: CPU time, not wall time). The
baseline is the same screen doing the same steps on the same project before issue 22: the code of
``--before`` (default: the commit issue 22 started from) is unpacked with ``git archive`` into a temporary
folder, and child processes alternate round by round between it and this checkout, so a busy spell on
the machine hits both alike. ``--before none`` measures this checkout only. Numbers, no assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEFORE = "e42d07b2ee7905247201e372fe79e43dc308a3da"  # the commit issue 22 started from
RUNS = int(os.environ.get("BENCH_RUNS", "5"))

# What one child process measures, on the code it finds first on its path (this checkout, or the old one).
# Only what both versions have is used: the main window, its tabs, the filter field, the proxies.
CHILD = r'''
import gc, json, os, statistics, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow, QTabWidget, QTableView, QWidget
import mpp_planner
from mpp_planner.i18n import set_language

set_language("en")
app = QApplication([])
from sqlalchemy import event
from mpp_planner.project import Project
from mpp_planner.qt.main_window import MainWindow

gc.disable()  # as the app starts: no collection until the window shows, then start-up frozen
window = MainWindow(Project.open(sys.argv[1]))
window.resize(1400, 900)
window.show()
app.processEvents()
gc.freeze()
gc.enable()
import mpp_planner.qt.budget.tab, mpp_planner.qt.inventory.tab  # imported once, not counted as showing

def cpu(fn):
    start = time.process_time()
    fn()
    return (time.process_time() - start) * 1000

def show(key):
    window.show_tab(key)
    app.processEvents()

def idle(ms):
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()

def typed(text):
    tab.items_filter.setText(text)
    app.processEvents()

out = {"code": mpp_planner.__file__}
out["inventory_first"] = cpu(lambda: show("inventory"))
tab = window.tab_widgets["inventory"]
out["first_key"] = cpu(lambda: typed("k"))  # at once, before any idle moment
typed("")
tab.reload_tables()  # the rows read again (as after an added row): the first key 0.3 s later, as typed
idle(300)
out["first_key_later"] = cpu(lambda: typed("k"))
typed("")
idle(2000)
out["budget_first"] = cpu(lambda: show("budget"))
idle(500)

# Qt's own floor for showing a page again: a window as big holding one table of plain items
floor = QStandardItemModel(60, 15)
for r in range(60):
    for c in range(15):
        floor.setItem(r, c, QStandardItem(f"Kursi tunggu {r} {c}"))
other = QMainWindow()
pages = QTabWidget()
pages.addTab(QWidget(), "empty")
table = QTableView()
table.setModel(floor)
pages.addTab(table, "floor")
other.setCentralWidget(pages)
other.resize(1400, 900)
other.show()
app.processEvents()

def again(key):
    if key == "floor":
        pages.setCurrentIndex(0)
        app.processEvents()
        return cpu(lambda: (pages.setCurrentIndex(1), app.processEvents()))
    window.show_tab("plan")
    app.processEvents()
    return cpu(lambda: show(key))

statements = []
engine = window.project.file.engine
note = lambda *a: statements.append(1)
for key in ("inventory", "budget", "floor"):
    again(key)
event.listen(engine, "before_cursor_execute", note)
for key in ("inventory", "budget", "floor"):
    out["again_" + key] = statistics.median(again(key) for _ in range(9))
event.remove(engine, "before_cursor_execute", note)
out["again_queries"] = len(statements)

show("inventory")
texts = ["k", "ku", "kur", "kurs", "kursi", "kursi t", "zzz", ""]
out["keys"] = statistics.median(cpu(lambda t=t: typed(t)) for t in texts)
out["rows"] = tab.items_proxy.rowCount()
tab.items_view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
app.processEvents()
out["sorted_keys"] = statistics.median(cpu(lambda t=t: typed(t)) for t in ("k", "kursi", ""))
print("RESULT " + json.dumps(out))
'''

ROWS = [  # key, what, target
    ("keys", "typing in the inventory filter, per keystroke (each filter pass)", "<= 50 ms"),
    ("sorted_keys", "  the same with the KIR sorted by item", "<= 50 ms"),
    ("first_key", "  the first key at once after the tab showed", "<= 50 ms"),
    ("first_key_later", "  the first key 0.3 s after the rows were read again", "<= 50 ms"),
    ("inventory_first", "inventory tab, first show", "<= 300 ms"),
    ("budget_first", "budget tab, first show", "<= 300 ms"),
    ("again_inventory", "inventory tab shown again, nothing changed", "<= 20 ms"),
    ("again_budget", "budget tab shown again, nothing changed", "<= 20 ms"),
    ("again_floor", "  floor: a window's page with one plain 60x15 Qt table shown again", "(Qt's painting)"),
    ("again_queries", "SQL statements run while those two tabs are shown again (18 times)", "0"),
]


def unpack(rev: str, folder: Path) -> Path | None:
    """The package and resources as they were at ``rev``, in ``folder`` (None when git cannot give them)."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "mpp_planner", "resources"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"(no baseline: git archive {rev} failed: {exc})")
        return None
    return folder


def child(code_root: Path, project: Path, env: dict) -> dict | None:
    """One child's measures (the code under ``code_root`` first on its path), None if it failed."""
    run = subprocess.run([sys.executable, "-c", CHILD, str(project)], cwd=code_root, capture_output=True,
                         text=True, env=dict(env, PYTHONPATH=str(code_root)))
    for line in run.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    print(f"(a run under {code_root} failed: {run.stderr.strip().splitlines()[-1:]})")
    return None


def measure(args, tmp: Path) -> dict[str, list[dict]]:
    """Every child's measures, by variant ("now", "before"), the project and the old code put in ``tmp``."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", MPP_PLANNER_CONFIG_DIR=str(tmp / "config"),
               MPP_PLANNER_DATA_DIR=str(tmp / "data"))
    project = tmp / "big.mpplan"
    if args.file:
        import shutil

        shutil.copy2(args.file, project)
    else:
        from mpp_planner.demo import build_demo

        t0 = time.perf_counter()
        build_demo(project, scale=args.scale)
        print(f"(built the demo at scale {args.scale} in {time.perf_counter() - t0:.0f} s)")
    before = None if args.before == "none" else unpack(args.before, tmp / "before")
    variants = {"now": ROOT, **({"before": before} if before else {})}
    found: dict[str, list[dict]] = {name: [] for name in variants}
    for _round in range(args.runs):
        for name, code_root in variants.items():
            result = child(code_root, project, env)
            if result is not None:
                found[name].append(result)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=50)
    parser.add_argument("--file", help="measure on this project (a copy) instead of building one")
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--before", default=BEFORE, help="the code of the baseline: a git revision, or none")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mpp-tabs-bench-") as folder:
        found = measure(args, Path(folder))
    if not found["now"]:
        print("no run of this checkout succeeded")
        return 1
    rows = found["now"][0]["rows"]
    print(f"\nInventory and budget screens, scale-{args.scale if not args.file else '?'} project ({rows} KIR rows), "
          f"CPU ms, median of {len(found['now'])} runs; baseline: the code of {args.before[:10]} in the same run")
    width = max(len(what) for _key, what, _target in ROWS)
    print(f"{'what'.ljust(width)}  {'baseline':>9}  {'now':>9}  target")
    print("-" * (width + 36))

    def median(name: str, key: str) -> str:
        values = [r[key] for r in found.get(name, []) if key in r]
        return f"{statistics.median(values):9.1f}" if values else f"{'n/a':>9}"

    for key, what, target in ROWS:
        print(f"{what.ljust(width)}  {median('before', key)}  {median('now', key)}  {target}")
    print(f"(load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
