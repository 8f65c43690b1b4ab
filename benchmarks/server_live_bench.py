"""Live refresh between two users of one server project (issue 25): how long from an edit's commit in one
open project to the change applied in another (``Project.poll_remote``: the notice heard, the rows expired,
the change announced, the new value read), median of 20 edits. Beside it, in the same run: the committed
edit itself with its NOTIFY, and without (what telling the others costs the user who edits).

The second project polls as fast as it can here; in the window a timer polls every 250 ms, which adds up to
250 ms (125 on average) to what a user sees. Target: other users' changes appear within a second.

    python -m benchmarks.server_live_bench [--url postgresql://user@host/empty_database] [--runs 20]

Without ``--url`` a PostgreSQL server is started in a temporary folder (Debian's ``initdb``/``pg_ctl``, as the
team-mode tests do) and stopped afterwards. Numbers only; not a test.
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

TARGET = "<= 1 s (plus the window's 250 ms timer)"


@contextmanager
def temporary_server():
    """A throwaway PostgreSQL server on a Unix socket in a temporary folder; yields an empty database's URL."""
    initdb, pg_ctl = shutil.which("initdb") or "", shutil.which("pg_ctl") or ""
    if not (initdb and pg_ctl):
        folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
        if not folders:
            raise SystemExit("PostgreSQL's initdb and pg_ctl are not installed (Debian: apt install postgresql)")
        initdb, pg_ctl = str(Path(folders[-1], "initdb")), str(Path(folders[-1], "pg_ctl"))
    folder = Path(tempfile.mkdtemp(prefix="mpp-pg-bench-"))
    run_as: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(folder, "postgres", "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    try:
        subprocess.run([*run_as, initdb, "-D", str(data), "-A", "trust", "-U", "mpp", "-E", "UTF8", "--locale=C",
                        "--no-sync"], check=True, capture_output=True)
        subprocess.run([*run_as, pg_ctl, "-D", str(data), "-o", f"-p 5432 -k {folder} -c listen_addresses=''",
                        "-l", str(folder / "server.log"), "-w", "start"], check=True, capture_output=True)
        import psycopg

        with psycopg.connect(host=str(folder), port=5432, user="mpp", dbname="postgres", autocommit=True) as con:
            con.execute("CREATE DATABASE bench")
        yield f"postgresql://mpp@/bench?host={folder}&port=5432"
    finally:
        subprocess.run([*run_as, pg_ctl, "-D", str(data), "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def build(path: Path, rooms: int = 40) -> Path:
    from mpp_planner.model import Floor, Room
    from mpp_planner.project import Project

    project = Project.create(path, site_name="MPP Bench")
    with project.edit() as s:
        floor = Floor(name="Lantai 1", order=1)
        for i in range(rooms):
            x = (i % 10) * 4000
            y = (i // 10) * 4000
            floor.rooms.append(Room(name=f"Ruang {i + 1}", kind="back_office",
                                    outline=[[x, y], [x + 3000, y], [x + 3000, y + 3000], [x, y + 3000]]))
        s.add(floor)
    project.close()
    return path


def measure(url: str, runs: int) -> None:
    from mpp_planner.model import Room
    from mpp_planner.project import Project

    a, b = Project.open(url), Project.open(url)
    try:
        b.listen_remote()
        if not b._remote.connected.wait(10):
            raise SystemExit("the listener did not connect")
        rooms_a = a.all(Room, Room.id)
        rooms_b = {r.id: r for r in b.all(Room)}
        latencies, with_notify, without = [], [], []
        quiet = a._send_remote
        for i in range(runs):
            room = rooms_a[i % len(rooms_a)]
            # the edit without telling anyone (a baseline; B never hears of it, so it is put back the same way)
            a._send_remote = lambda changes: None  # type: ignore[method-assign]
            start = time.perf_counter()
            with a.edit():
                room.name = f"tanpa {i}"
            without.append(time.perf_counter() - start)
            a._send_remote = quiet  # type: ignore[method-assign]
            name = f"Ruang {i + 1} ({i})"
            start = time.perf_counter()
            with a.edit():
                room.name = name
            committed = time.perf_counter()
            with_notify.append(committed - start)
            while b.poll_remote() is None:
                time.sleep(0.0005)
            if rooms_b[room.id].name != name:
                raise SystemExit("the second project did not read the new value")
            latencies.append(time.perf_counter() - committed)
    finally:
        a.close()
        b.close()
    ms = lambda values: statistics.median(values) * 1000  # noqa: E731
    print(f"commit in A -> applied in B       median {ms(latencies):7.2f} ms  max {max(latencies) * 1000:7.2f} ms"
          f"  (target {TARGET})")
    print(f"committed edit with its NOTIFY    median {ms(with_notify):7.2f} ms")
    print(f"committed edit, nobody told       median {ms(without):7.2f} ms  (baseline, same run)")
    print(f"runs: {runs}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="an EMPTY database to copy the bench project into")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    from mpp_planner.store.copy import copy_project

    with tempfile.TemporaryDirectory() as tmp:
        source = build(Path(tmp) / "bench.mpplan")
        if args.url:
            copy_project(source, args.url)
            measure(args.url, args.runs)
            return
        with temporary_server() as url:
            copy_project(source, url)
            measure(url, args.runs)


if __name__ == "__main__":
    main()
