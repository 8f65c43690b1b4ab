"""Plan editor speed on a big project (``mpp-planner demo big.mpplan --scale 50``).

Prints: opening the project with the plan shown, a full repaint of the busiest floor at
fit-to-view (median of 10 renders to a QImage), a committed move of a 100-object selection
(median ms, the command and the scene refresh) and its undo. Numbers only, no assertions.

    python -m benchmarks.plan_bench [--scale 50] [--file big.mpplan]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"repaint": 50.0, "move": 10.0}


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000.0


def measure_move(app, project, stack, scene, refs, runs, MoveObjects) -> None:  # noqa: N803
    """Median times of pushing a move of ``refs`` (and of its undo), with a breakdown."""
    scene.select_refs(refs)
    app.processEvents()
    kinds = {}
    for kind, _id in refs:
        kinds[kind] = kinds.get(kind, 0) + 1
    what = ", ".join(f"{n} {k}" for k, n in kinds.items())
    commit_ms: list[float] = []
    refresh_ms: list[float] = []
    real_commit = project.session.commit
    real_announce = project._announce

    def timed_commit():
        t = time.perf_counter()
        real_commit()
        commit_ms.append(_ms(t))

    def timed_announce(changes):
        t = time.perf_counter()
        real_announce(changes)
        refresh_ms.append(_ms(t))

    project.session.commit = timed_commit
    project._announce = timed_announce
    moves, undos, paints, fsyncs, refreshes = [], [], [], [], []
    for i in range(runs):
        commit_ms.clear()
        refresh_ms.clear()
        t0 = time.perf_counter()
        stack.push_command(MoveObjects(refs, 100 if i % 2 == 0 else -100, 50))
        moves.append(_ms(t0))
        fsyncs.append(sum(commit_ms))
        refreshes.append(sum(refresh_ms))
        t0 = time.perf_counter()
        app.processEvents()
        paints.append(_ms(t0))
        t0 = time.perf_counter()
        stack.undo()
        undos.append(_ms(t0))
        app.processEvents()
        stack.redo()
        app.processEvents()
    del project.session.commit
    del project._announce
    move = statistics.median(moves)
    fsync = statistics.median(fsyncs)
    refresh = statistics.median(refreshes)
    committed = statistics.median(m - r for m, r in zip(moves, refreshes))
    print(f"committed move of {len(refs)} objects ({what}) through the command layer, median: "
          f"{committed:.1f} ms (target ≤ {TARGETS['move']:.0f} ms); with the plan and panels refreshed: "
          f"{move:.1f} ms")
    print(f"  model edit (validation, relinking furniture, SQL): {move - fsync - refresh:.1f} ms; "
          f"SQLite commit (WAL, synchronous=FULL, waits for the disk): {fsync:.1f} ms; "
          f"plan refresh (items, properties panel): {refresh:.1f} ms")
    print(f"  repaint after the move, median: {statistics.median(paints):.1f} ms; "
          f"undo of the move, median: {statistics.median(undos):.1f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=50)
    parser.add_argument("--file", help="use this project (a copy is edited) instead of building one")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QRect
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import func, select

    from mpp_planner.commands.plan import MoveObjects
    from mpp_planner.demo import build_demo
    from mpp_planner.i18n import set_language
    from mpp_planner.model import Annotation, Counter, Floor, InventoryItem, Room
    from mpp_planner.project import Project
    from mpp_planner.qt.main_window import MainWindow

    set_language("en")
    tmp = Path(tempfile.mkdtemp(prefix="mpp-bench-"))
    os.environ.setdefault("MPP_PLANNER_CONFIG_DIR", str(tmp / "config"))
    path = tmp / "big.mpplan"
    if args.file:
        import shutil

        shutil.copy2(args.file, path)
    else:
        t0 = time.perf_counter()
        build_demo(path, scale=args.scale)
        print(f"built demo --scale {args.scale}: {_ms(t0):.0f} ms")

    app = QApplication.instance() or QApplication(sys.argv[:1])
    s_counts = Project.open(path)
    counts = {}
    for cls in (Room, Counter, InventoryItem, Annotation):
        for fid, n in s_counts.session.execute(select(cls.floor_id, func.count()).group_by(cls.floor_id)):
            if fid is not None:
                counts[fid] = counts.get(fid, 0) + n
    floors = s_counts.session.scalar(select(func.count()).select_from(Floor))
    s_counts.close()
    busiest = max(counts, key=counts.get)
    first = min(counts)  # shown when the plan opens
    other = max((f for f in counts if f != first), key=counts.get)
    print(f"project: {floors} floors, {sum(counts.values())} plan objects; busiest floor {counts[busiest]}")

    # --- the plan editor on its own (what this benchmark is about) ---------------------
    from PySide6.QtWidgets import QMainWindow

    from mpp_planner.qt.plan.tab import PlanTab
    from mpp_planner.qt.signals import ProjectSignals
    from mpp_planner.qt.undo import UndoStack

    t0 = time.perf_counter()
    project = Project.open(path)
    signals = ProjectSignals(project)
    stack = UndoStack(project)
    host = QMainWindow()
    tab = PlanTab(project, signals, stack)
    host.setCentralWidget(tab)
    host.resize(1400, 900)
    host.show()
    app.processEvents()
    print(f"open the project and show the plan: {_ms(t0):.0f} ms")
    t0 = time.perf_counter()
    tab.floor_bar.setCurrentIndex(tab.floor_ids.index(other))
    app.processEvents()
    print(f"show another floor ({counts[other]} objects; its scene is built on first show): {_ms(t0):.0f} ms")
    tab.floor_bar.setCurrentIndex(tab.floor_ids.index(busiest))
    app.processEvents()
    tab.fit()
    app.processEvents()
    view = tab.view
    size = view.viewport().size()
    image = QImage(size, QImage.Format_ARGB32_Premultiplied)

    def render_ms() -> list[float]:
        times = []
        for _ in range(args.runs):
            image.fill(0)
            t0 = time.perf_counter()
            painter = QPainter(image)
            view.render(painter, image.rect(), QRect(0, 0, size.width(), size.height()))
            painter.end()
            times.append(_ms(t0))
        return times

    times = render_ms()
    print(f"full repaint at fit-to-view ({size.width()}x{size.height()} px to a QImage), median of {args.runs}: "
          f"{statistics.median(times):.1f} ms (target ≤ {TARGETS['repaint']:.0f} ms)")
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        view.viewport().repaint()
        times.append(_ms(t0))
    print(f"  the same on screen (viewport repaint), median: {statistics.median(times):.1f} ms")
    from PySide6.QtWidgets import QGraphicsItem, QGraphicsView

    modes = [(item, item.cacheMode()) for item in view.scene().items()]
    for item, _mode in modes:
        item.setCacheMode(QGraphicsItem.NoCache)
    view.setCacheMode(QGraphicsView.CacheNone)
    times = render_ms()
    for item, mode in modes:
        item.setCacheMode(mode)
    view.setCacheMode(QGraphicsView.CacheBackground)
    print(f"  the same with every cache off (what a first paint costs), median: {statistics.median(times):.1f} ms")

    scene = view.scene()
    boxes = [ref for ref in scene.items_by_key if ref[0] in ("counter", "item")]
    others = [ref for ref in scene.items_by_key if ref[0] not in ("counter", "item")]
    selections = [(boxes + others)[:100], boxes[:100]]
    for refs in selections:
        measure_move(app, project, stack, scene, refs, args.runs, MoveObjects)
    host.close()
    signals.detach()
    project.close()

    # --- the same in the whole main window (every tab listens to every change) ---------
    t0 = time.perf_counter()
    project = Project.open(path)
    window = MainWindow(project)
    window.resize(1400, 900)
    window.show_tab("plan")
    window.show()
    app.processEvents()
    print(f"main window (all four tabs) open: {_ms(t0):.0f} ms")
    tab = window.tab_widgets["plan"]
    tab.floor_bar.setCurrentIndex(tab.floor_ids.index(busiest))
    app.processEvents()
    moves = []
    for i in range(max(3, args.runs // 2)):
        t0 = time.perf_counter()
        window.undo_stack.push_command(MoveObjects(selections[0], 100 if i % 2 == 0 else -100, 50))
        app.processEvents()
        moves.append(_ms(t0))
    print(f"  committed move of the first selection with every tab refreshing, median: "
          f"{statistics.median(moves):.0f} ms")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
