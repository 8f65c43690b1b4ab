"""Timing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time


def median_seconds(fn, runs: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of ``runs`` calls (CPU time shows the cost when other jobs
    share the cores)."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)
