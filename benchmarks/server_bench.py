"""Team mode on a PostgreSQL server beside the SQLite file (issue 25), medians side by side:

* a committed edit: move one counter (``SetFields`` through the history, committed; on the server with its
  version check, change log and NOTIFY), and its undo — target <= 10 ms on the server;
* opening the scale-50 project: the process started until the window is shown (``mpp-planner URL
  --quit-after-show``, interleaved with the file), and in this process ``Project.open`` plus the main window's
  first screen — target <= 2x the file;
* copying the scale-50 project file into an empty database (``mpp-planner copy``'s work: schema, rows,
  sequences, verification), and back to a file — target <= 10 s.

The server is started in a temporary folder as the team-mode tests start it (``tests/server/pg.py``: Debian's
``initdb``/``pg_ctl``, a Unix socket, no fsync — a test server: a real one syncs its commits, which adds the
disk's flush time to each edit), or given with ``--url`` (an empty database; more are made beside it for the
copies). ``uptime`` is printed with the numbers: other work on the machine slows every figure. Not a test.

    python -m benchmarks.server_bench [--scale 50] [--runs 5] [--url postgresql://user@host/empty_database]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
rows: list[tuple[str, float, float, str, str]] = []


def record(name: str, server: float, file: float, unit: str, target: str) -> None:
    rows.append((name, server, file, unit, target))


def new_database(url: str, number: int) -> str:
    """An empty database beside the one ``url`` names; its URL."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    name = f"{parsed.database}_{os.getpid()}_{number}"
    query = {k: (v[0] if isinstance(v, tuple) else v) for k, v in parsed.query.items()}
    with psycopg.connect(host=parsed.host or query.get("host"), port=parsed.port or query.get("port"),
                         user=parsed.username, password=parsed.password, dbname=parsed.database,
                         autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    return parsed.set(database=name).render_as_string(hide_password=False)


def bench_copy(big: Path, url: str, runs: int, tmp: Path) -> str:
    """File -> server (a fresh database each run) and server -> file; the last database is kept for the rest."""
    from mpp_planner.store.copy import copy_project

    there, back, target = [], [], ""
    for i in range(runs):
        target = new_database(url, i + 1)
        t = time.perf_counter()
        report = copy_project(big, target)
        there.append(time.perf_counter() - t)
        out = tmp / f"back-{i}.mpplan"
        t = time.perf_counter()
        copy_project(target, out)
        back.append(time.perf_counter() - t)
        out.unlink()
    print(f"(copied {report.rows:,} rows in {len(report.tables)} tables)")
    base = []
    for _ in range(runs):  # the floor: a plain file copy of the same project
        t = time.perf_counter()
        (tmp / "plain.mpplan").write_bytes(big.read_bytes())
        base.append(time.perf_counter() - t)
    record("copy scale-50 file -> server (verified)", statistics.median(there), statistics.median(base), "s",
           "<= 10 s (file: plain byte copy)")
    record("copy scale-50 server -> file (verified)", statistics.median(back), statistics.median(base), "s",
           "(file: plain byte copy)")
    return target


def bench_edit(source: str, runs: int) -> tuple[float, float]:
    from mpp_planner.commands import History, SetFields
    from mpp_planner.model import Counter
    from mpp_planner.project import Project

    project = Project.open(source)
    try:
        history = History(project)
        counter = min(project.all(Counter), key=lambda c: c.id)
        cid, x0 = counter.id, counter.x
        moves, undos = [], []
        for i in range(max(runs, 20)):
            t = time.perf_counter()
            history.push(SetFields("Move counter", Counter, {cid: {"x": x0 + 100 * (i % 2 + 1)}}))
            moves.append(time.perf_counter() - t)
            t = time.perf_counter()
            history.undo()
            undos.append(time.perf_counter() - t)
    finally:
        project.close()
    return statistics.median(moves), statistics.median(undos)


def open_in_process(source: str) -> float:
    """``Project.open`` and the main window's first screen (the plan tab), then closed."""
    from PySide6.QtWidgets import QApplication

    from mpp_planner.project import Project
    from mpp_planner.qt.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    t = time.perf_counter()
    window = MainWindow(Project.open(source))
    window.show()
    app.processEvents()
    elapsed = time.perf_counter() - t
    window.close()
    window.deleteLater()
    app.processEvents()
    return elapsed


def open_process(source: str, env) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mpp_planner", source, "--quit-after-show"], env=env, check=True,
                   capture_output=True, timeout=300)
    return time.perf_counter() - t


def bench_open(big: Path, target: str, runs: int, env) -> None:
    open_process(str(big), env)  # warm the file cache and the server's
    open_process(target, env)
    files, servers = [], []
    for _ in range(runs):  # interleaved: a slow moment of the machine hits both
        files.append(open_process(str(big), env))
        servers.append(open_process(target, env))
    record("open scale-50 (process start -> window shown)", statistics.median(servers), statistics.median(files), "s",
           "<= 2x the file")
    files, servers = [], []
    open_in_process(str(big))
    for _ in range(runs):
        files.append(open_in_process(str(big)))
        servers.append(open_in_process(target))
    record("open scale-50 (Project.open + first screen, in process)", statistics.median(servers),
           statistics.median(files), "s", "<= 2x the file")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Team mode: the server beside the file.")
    parser.add_argument("--scale", type=int, default=50)
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "5")))
    parser.add_argument("--url", help="an empty database on a server to use instead of a temporary test server")
    args = parser.parse_args(argv)
    from mpp_planner.demo import build_demo
    from mpp_planner.i18n import set_language

    set_language("en")
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        if args.url:
            url = args.url
        else:
            sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
            from tests.server.pg import Unavailable, running_server

            try:
                server = stack.enter_context(running_server())
            except Unavailable as exc:
                print(f"server_bench: {exc}", file=sys.stderr)
                return 2
            url = server.url()
        env = dict(os.environ, MPP_PLANNER_CONFIG_DIR=str(tmp / "cfg"), MPP_PLANNER_DATA_DIR=str(tmp / "data"),
                   QT_QPA_PLATFORM="offscreen", MPP_PLANNER_SINGLE_INSTANCE="0")
        big = tmp / "big.mpplan"
        t0 = time.perf_counter()
        build_demo(big, scale=args.scale)
        print(f"(built the scale-{args.scale} project in {time.perf_counter() - t0:.1f} s)")
        target = bench_copy(big, url, args.runs, tmp)
        (s_move, s_undo), (f_move, f_undo) = bench_edit(target, args.runs), bench_edit(str(big), args.runs)
        record("edit: move one counter (command, committed)", s_move * 1000, f_move * 1000, "ms", "<= 10 ms")
        record("edit: undo that move (committed)", s_undo * 1000, f_undo * 1000, "ms", "<= 10 ms")
        bench_open(big, target, args.runs, env)
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    width = max(len(r[0]) for r in rows)
    print(f"\nserver vs file, medians of {args.runs} runs (edits: of 20) · {os.cpu_count()} cores · uptime: {uptime}")
    print(f"{'measure'.ljust(width)}  {'server':>11}  {'file':>11}  {'ratio':>6}  target")
    print("-" * (width + 50))
    for name, server_value, file_value, unit, target in rows:
        ratio = server_value / file_value if file_value else float("nan")
        print(f"{name.ljust(width)}  {server_value:>8.3f} {unit:<2} {file_value:>8.3f} {unit:<2} {ratio:>5.1f}x  "
              f"{target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
