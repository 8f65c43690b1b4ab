"""Satisfaction survey speed (issue 19): 20,000 respondents' forms imported from CSV, and the results of
the period recomputed.

Run ``python -m benchmarks.survey_bench``. Prints the median seconds of three runs each, beside a baseline
measured in the same run: the same CSV read by the csv module and written by plain sqlite3 ``executemany``
(no checks, no undo), and the answers read by plain sqlite3 and summed. Targets: import <= 3 s, results
<= 0.5 s. Not a test.
"""

from __future__ import annotations

import csv
import json
import os
import random
import sqlite3
import sys
import tempfile
from pathlib import Path

from benchmarks.timing import median_seconds

FORMS = 20_000
RUNS = 3
AGENCIES = ("Dispendukcapil", "Samsat", "Polres", "BPJS Kesehatan", "Imigrasi")


def write_csv(path: Path, forms: int = FORMS) -> Path:
    """A Google-Forms-like export: Indonesian respondent columns, U1..U9 as digits."""
    rng = random.Random(19)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["No", "Tanggal", "Jenis Kelamin", "Umur", "Pendidikan", "Pekerjaan", "Instansi",
                    *[f"U{i}" for i in range(1, 10)], "Saran"])
        for i in range(forms):
            w.writerow([i + 1, f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", rng.choice("LP"), rng.randint(17, 75),
                        rng.choice(["SMA/SMK", "D4/S1", "SMP"]), rng.choice(["Wiraswasta", "PNS", "Lainnya"]),
                        rng.choice(AGENCIES), *[rng.choices((1, 2, 3, 4), (1, 3, 10, 6))[0] for _ in range(9)],
                        ""])
    return path


def baseline_import(db: Path, source: Path) -> None:
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE IF NOT EXISTS forms (id INTEGER PRIMARY KEY, number INT, date TEXT, gender TEXT, "
                "age TEXT, education TEXT, occupation TEXT, agency TEXT, answers TEXT, note TEXT)")
    con.execute("DELETE FROM forms")
    with open(source, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))[1:]
    con.executemany("INSERT INTO forms (number, date, gender, age, education, occupation, agency, answers, note) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(int(r[0]), *r[1:7], json.dumps([int(a) for a in r[7:16]]), r[16]) for r in rows])
    con.commit()
    con.close()


def baseline_results(db: Path) -> None:
    con = sqlite3.connect(db)
    totals = [0] * 9
    for (text,) in con.execute("SELECT answers FROM forms"):
        for i, a in enumerate(json.loads(text)):
            totals[i] += a
    con.close()


def main() -> int:
    from mpp_planner.commands import History
    from mpp_planner.demo import build_demo
    from mpp_planner.i18n import set_language
    from mpp_planner.importers.survey import prepare
    from mpp_planner.project import Project
    from mpp_planner.reads import survey as reads

    set_language("en")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        master = build_demo(folder / "master.mpplan")
        source = write_csv(folder / "responses.csv")
        n = 0
        ikm = None

        def import_forms() -> None:
            nonlocal n
            n += 1
            path = folder / f"p{n}.mpplan"
            path.write_bytes(master.read_bytes())
            project = Project.open(path)
            try:
                History(project).push(prepare(project, source, period="Bench", create_period=True))
            finally:
                project.close()

        results = {"baseline: csv module + sqlite3 executemany": median_seconds(
            lambda: baseline_import(folder / "base.db", source), RUNS)}
        results["import survey, 20,000 forms (checked, one undo step, committed)"] = median_seconds(
            import_forms, RUNS)
        results["baseline: sqlite3 read + json decode + sums"] = median_seconds(
            lambda: baseline_results(folder / "base.db"), RUNS)
        project = Project.open(folder / f"p{n}.mpplan", readonly=True)
        try:
            pid = reads.period_id_named(project, "Bench")
            assert pid is not None

            def recompute() -> None:
                nonlocal ikm
                ikm = reads.results(project, pid).ikm

            results["results of the period (reads.survey.results)"] = median_seconds(recompute, RUNS)
            results["periods list with every IKM (reads.survey.periods)"] = median_seconds(
                lambda: reads.periods(project), RUNS)
        finally:
            project.close()
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"survey, {FORMS:,} forms (IKM {ikm}), median of {RUNS} runs{load}:")
    width = max(len(k) for k in results)
    for name, (wall, cpu) in results.items():
        print(f"  {name.ljust(width)}  {wall:6.2f} s wall  {cpu:6.2f} s CPU")
    print("  targets: import <= 3 s, results <= 0.5 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
