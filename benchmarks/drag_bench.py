"""Dragging a selection on the plan (issue 22): each mouse move while dragging, and the commit on release.

The whole main window on the scale-50 demo (``mpp-planner demo big.mpplan --scale 50``), its busiest
floor at fit-to-view, the real select tool driven by mouse events on the viewport: press on a selected
object, ``--moves`` moves of the pointer, release. Measured per move: the tool's handling of the event
and the repaint that follows (CPU time of the process, so other jobs on the machine do not count);
per commit: the release (the command, its SQL, the notices, the scene, the overlap check, the panels)
and the repaint after it, in CPU time and in wall time (the wall time includes SQLite waiting for the
disk). The baseline is the same drag of one counter, in the same run, rounds taken in turn.

A floor of the scale-50 demo holds 85 counters and pieces of furniture: the 100-object selection is
those and 15 rooms (furniture standing in a moved room goes with it). Numbers only, no assertions.

    python -m benchmarks.drag_bench [--scale 50] [--file big.mpplan] [--rounds 5] [--moves 20]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

TARGET_MOVE_MS = 16.0
TARGET_COMMIT_MS = 30.0
STEP_MM = (150, 75)  # how far the pointer goes per move


def _cpu_ms(fn) -> float:
    t = time.process_time()
    fn()
    return (time.process_time() - t) * 1000.0


class Dragger:
    """Mouse events on the plan view, in plan millimetres, as a user's hand makes them."""

    def __init__(self, app, view):
        self.app, self.view = app, view

    def send(self, kind, x: float, y: float, button, buttons) -> None:
        from PySide6.QtCore import QPointF, Qt
        from PySide6.QtGui import QMouseEvent
        from PySide6.QtWidgets import QApplication

        viewport = self.view.viewport()
        pos = QPointF(self.view.mapFromScene(QPointF(x, y)))
        event = QMouseEvent(kind, pos, QPointF(viewport.mapToGlobal(pos.toPoint())), button, buttons, Qt.NoModifier)
        QApplication.sendEvent(viewport, event)

    def drag(self, start, moves: int, sign: int) -> dict[str, list[float]]:
        """Press at ``start``, move ``moves`` times, release. CPU ms of each move (its handling, its repaint)
        and of the commit (the release, then the repaint after it); wall ms of each move and of the commit
        (disk included)."""
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QMouseEvent

        app, (x0, y0) = self.app, start
        self.send(QMouseEvent.MouseButtonPress, x0, y0, Qt.LeftButton, Qt.LeftButton)
        app.processEvents()
        handle, paint, walls = [], [], []
        x = y = 0.0
        for i in range(1, moves + 1):
            x, y = x0 + sign * STEP_MM[0] * i, y0 + sign * STEP_MM[1] * i
            wall = time.perf_counter()
            handle.append(_cpu_ms(lambda: self.send(QMouseEvent.MouseMove, x, y, Qt.NoButton,  # noqa: B023
                                                    Qt.LeftButton)))
            paint.append(_cpu_ms(app.processEvents))
            walls.append((time.perf_counter() - wall) * 1000.0)
        wall = time.perf_counter()
        release = _cpu_ms(lambda: self.send(QMouseEvent.MouseButtonRelease, x, y, Qt.LeftButton, Qt.NoButton))
        after = _cpu_ms(app.processEvents)
        return {"move": [h + p for h, p in zip(handle, paint)], "handle": handle, "paint": paint, "move_wall": walls,
                "commit": [release + after], "release": [release], "wall": [(time.perf_counter() - wall) * 1000.0]}


def selections(tab) -> dict[str, list]:
    """The baseline (one counter) and the 100-object selection, each led by an object that a press at its
    centre picks (nothing else on top of it there)."""
    from PySide6.QtCore import QPointF

    scene = tab.view.scene()
    boxes = [ref for ref in scene.items_by_key if ref[0] in ("counter", "item")]
    rooms = [ref for ref in scene.items_by_key if ref[0] == "room"]

    def picked(ref) -> bool:
        item = scene.item_for(ref)
        return tab.editor.hit(QPointF(item.model_box.cx, item.model_box.cy)) is item

    lead = next(ref for ref in boxes if ref[0] == "counter" and picked(ref))
    big = ([lead] + [r for r in boxes if r != lead] + rooms)[:100]
    return {"1 counter": [lead], f"{len(big)} objects": big}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=50)
    parser.add_argument("--file", help="use this project (a copy is edited) instead of building one")
    parser.add_argument("--rounds", type=int, default=5, help="drags of each selection")
    parser.add_argument("--moves", type=int, default=20, help="pointer moves per drag")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    tmp = Path(tempfile.mkdtemp(prefix="mpp-drag-bench-"))
    os.environ.setdefault("MPP_PLANNER_CONFIG_DIR", str(tmp / "config"))

    from PySide6.QtWidgets import QApplication

    from mpp_planner.demo import build_demo
    from mpp_planner.i18n import set_language
    from mpp_planner.project import Project
    from mpp_planner.qt.app import startup_memory
    from mpp_planner.qt.main_window import MainWindow

    set_language("en")
    path = tmp / "big.mpplan"
    if args.file:
        shutil.copy2(args.file, path)
    else:
        t0 = time.perf_counter()
        build_demo(path, scale=args.scale)
        print(f"built demo --scale {args.scale}: {time.perf_counter() - t0:.0f} s")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with startup_memory():  # as the app starts: what lives as long as it is frozen out of the collector
        window = MainWindow(Project.open(path))
    try:
        window.resize(1400, 900)
        window.show_tab("plan")
        window.show()
        app.processEvents()
        tab = window.tab_widgets["plan"]
        sizes = [len(tab.scene_for(fid).items_by_key) for fid in tab.floor_ids]
        tab.floor_bar.setCurrentIndex(sizes.index(max(sizes)))
        app.processEvents()
        tab.fit()
        app.processEvents()
        scene = tab.view.scene()
        chosen = selections(tab)
        print(f"busiest floor: {len(scene.items_by_key)} plan objects; view at fit "
              f"({tab.view.current_scale() * 1000:.1f} px per m); {args.rounds} drags of {args.moves} moves each")
        dragger = Dragger(app, tab.view)
        results: dict[str, dict[str, list[float]]] = {name: {} for name in chosen}
        for i in range(args.rounds + 1):  # the first round warms the caches and is not counted
            for name, refs in chosen.items():
                scene.select_refs(refs)
                app.processEvents()
                lead = scene.item_for(refs[0]).model_box
                r = dragger.drag((lead.cx, lead.cy), args.moves, 1 if i % 2 == 0 else -1)
                if len(scene.selected_refs()) != len(refs):
                    raise RuntimeError(f"the drag of {name} lost the selection")
                if i == 0:
                    continue
                for key, values in r.items():
                    results[name].setdefault(key, []).extend(values)
    finally:
        window.close()
        app.processEvents()
        shutil.rmtree(tmp, ignore_errors=True)

    base, now = results["1 counter"], results[next(n for n in results if n != "1 counter")]
    big_name = next(n for n in results if n != "1 counter")
    rows = [
        (f"drag {big_name}: per mouse move (CPU)", "move", f"<= {TARGET_MOVE_MS:.0f} ms"),
        ("  the select tool's handling", "handle", ""),
        ("  the repaint", "paint", ""),
        ("  the same move in wall time", "move_wall", ""),
        (f"drag {big_name}: commit on release, plan refreshed and repainted (CPU)", "commit",
         f"<= {TARGET_COMMIT_MS:.0f} ms"),
        ("  the release alone (command, SQL, notices, scene, panels)", "release", ""),
        ("  the same commit in wall time (SQLite waits for the disk)", "wall", ""),
    ]
    width = max(len(r[0]) for r in rows)
    print()
    print(f"{'what'.ljust(width)}  {'baseline':>9}  {'now':>9}  target")
    print("-" * (width + 36))
    for what, key, target in rows:
        print(f"{what.ljust(width)}  {statistics.median(base[key]):>6.1f} ms  {statistics.median(now[key]):>6.1f} ms  "
              f"{target}")
    print("\nbaseline: the same drag of one counter, in the same run (medians; CPU time of the process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
