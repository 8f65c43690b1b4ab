"""Issue 22: the findings PDF and the plan PDF of all floors at scale 50, each beside its before-style
baseline measured in the same run.

    python -m benchmarks.exports_bench [--scale 50] [--file big.mpplan] [--runs 3] [--linear big200.mpplan]

The baselines are the exports as they were drawn before issue 22, swapped in for the run:

* findings PDF — each finding's plan excerpt built as a ReportLab Drawing of its own (every room and
  counter of its floor clipped and made a shape again, :func:`findings.plan_excerpt`) and every
  paragraph broken into lines again when drawn; now each floor is drawn once per document
  (:class:`findings.FloorArt`) and placed and clipped per finding;
* plan PDF, all floors — labels placed by trying each spot in full (spans, obstacles and text fitting
  worked out anew for each of the ~145 spots of a room), shapes and texts written through ReportLab's
  path and text objects, page streams ASCII85-encoded; now the spots share their rows and columns,
  spots that cannot beat the best one are passed over, text is measured once per text, and the
  operators are written directly. The sheets hold the same text at the same places either way.

Medians of CPU seconds (the machine is shared; wall seconds are printed too), runs interleaved
(baseline, now, baseline, now, ...) so a busy spell hits both alike. ``--linear`` times the plan
export of a second (larger) project too and prints seconds per sheet for both. Not a test.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

TARGETS = {"findings": 3.0, "plan": 10.0}


# --- the before-style code paths ----------------------------------------------------------------
# (tests/reports/test_export_speedups.py checks that the exports give the same sheets through these)
@contextlib.contextmanager
def swapped(swaps):
    """Each (module, name, value) set for the block, put back after it."""
    saved = [(module, name, getattr(module, name)) for module, name, _value in swaps]
    for module, name, value in swaps:
        setattr(module, name, value)
    try:
        yield
    finally:
        for module, name, value in saved:
            setattr(module, name, value)


def findings_before():
    """Excerpts as Drawings of their own, paragraphs broken into lines at each wrap."""
    from reportlab.platypus import Paragraph

    from mpp_planner.reports import findings

    def drawing(view, art, finding, report, step=(0, 0)):
        return findings.plan_excerpt(report, finding, view.width, view.height)

    return swapped([(findings, "excerpt_flowable", drawing), (findings, "_wrap_once_paragraph", lambda: Paragraph)])


def plain_wrap(text, size, bold, width, max_lines=3):
    from mpp_planner.reports.plan_primitives import text_width

    words: list[str] = []
    for word in text.split():
        if words and len(word) <= 2:
            words[-1] += " " + word
        else:
            words.append(word)
    if not words:
        return [text]
    lines, current = [], words[0]
    for word in words[1:]:
        trial = current + " " + word
        if text_width(trial, size, bold) <= width:
            current = trial
        else:
            lines.append(current)
            current = word
    lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines - 1] + [" ".join(lines[max_lines - 1:])]
    return lines


def plain_elide(text, size, bold, width):
    from mpp_planner.reports.plan_primitives import text_width

    if text_width(text, size, bold) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text_width(text[:mid].rstrip() + "…", size, bold) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…" if lo else ""


def plain_fit_block(lines, size, box_w, box_h, min_size, wrap_lines=False):
    from mpp_planner.reports.plan_primitives import block_size, text_width

    def lay(s):
        laid: list[tuple[str, float, bool]] = []
        for line in lines:
            ls = s * line.scale
            if wrap_lines and text_width(line.text, ls, line.bold) > box_w:
                laid.extend((t, ls, line.bold) for t in plain_wrap(line.text, ls, line.bold, box_w))
            else:
                laid.append((line.text, ls, line.bold))
        return laid

    s = size
    while True:
        laid = lay(s)
        w, h = block_size(laid)
        if w <= box_w + 1e-6 and h <= box_h + 1e-6:
            return s, laid
        if s <= min_size:
            break
        s = max(min_size, s * 0.9)
    laid = [(plain_elide(t, ls, b, box_w), ls, b) for t, ls, b in lay(s)]
    laid = [entry for entry in laid if entry[0]]
    while laid and block_size(laid)[1] > box_h + 1e-6:
        laid.pop()
    return (s, laid) if laid else None


def _plain_free_span(region, obstacles, x, y, band):
    from mpp_planner.reports import plan_drawing as pd

    span = None
    for a, b in pd.inside_spans(region, y):
        if a <= x <= b:
            span = (a, b)
    if span is None:
        return 0.0, 0.0
    a, b = span
    for ox0, oy0, ox1, oy1 in obstacles:
        if oy1 < y - band or oy0 > y + band:
            continue
        if ox0 <= x <= ox1:
            return 0.0, 0.0
        if ox1 < x:
            a = max(a, ox1)
        elif ox0 > x:
            b = min(b, ox0)
    return x - a, b - x


def plain_place_in_region(item, scale, obstacles, size, min_size):
    from mpp_planner.model import geometry
    from mpp_planner.reports.plan_primitives import block_size
    from mpp_planner.reports.plan_sheet import _rect_clear

    n = scale
    region = item.region
    bx0, by0, bx1, by1 = geometry.bounds(region)
    obstacles = [o for o in obstacles if o[0] < bx1 and o[2] > bx0 and o[1] < by1 and o[3] > by0]
    band = block_size([(line.text, size * line.scale, line.bold) for line in item.lines])[1] * n / 2
    grid = [(bx0 + (bx1 - bx0) * (i + 0.5) / 12, by0 + (by1 - by0) * (j + 0.5) / 12)
            for i in range(12) for j in range(12)]
    grid = [p for p in grid if geometry.point_in_polygon(p[0], p[1], region)]
    grid.sort(key=lambda p: (p[0] - item.x) ** 2 + (p[1] - item.y) ** 2)
    best = None
    for x, y in [(item.x, item.y), *grid]:
        left, right = _plain_free_span(region, obstacles, x, y, band)
        w = 2 * min(left, right) * 0.92
        lo, hi = _plain_free_span([(p[1], p[0]) for p in region], [(o[1], o[0], o[3], o[2]) for o in obstacles],
                                y, x, w / 2)
        h = 2 * min(lo, hi) * 0.9
        if w <= 0 or h <= 0 or best is not None and min(w / n, h / n) < best[0] * 0.5:
            continue
        fitted = plain_fit_block(item.lines, size, w / n, h / n, min_size, item.wrap)
        if fitted is None:
            continue
        s, laid = fitted
        bw, bh = block_size(laid)
        if not _rect_clear((x - bw * n / 2, y - bh * n / 2, x + bw * n / 2, y + bh * n / 2), region, obstacles):
            continue
        full = len(laid) >= len(item.lines) and all(not t.endswith("…") for t, _s, _b in laid)
        score = (full, round(s, 3), -len(laid))
        if best is None or score > best[1]:
            best = (s, score, (x, y), laid)
        if full and s >= size - 1e-6 and len(laid) == len(item.lines):
            break
    if best is None:
        fitted = plain_fit_block(item.lines, size, (bx1 - bx0) * 0.9 / n, (by1 - by0) * 0.9 / n, min_size, item.wrap)
        return None if fitted is None else ((item.x, item.y), fitted[1])
    return best[2], best[3]


def reference_write_pdf(pages, path, *, title="", progress=None):
    """The plan PDF through ReportLab's path and text objects, page streams ASCII85-encoded."""
    from reportlab.lib.colors import HexColor
    from reportlab.pdfgen.canvas import FILL_EVEN_ODD, Canvas

    from mpp_planner.reports import plan_pdf
    from mpp_planner.reports.plan_primitives import register_fonts

    class OldPainter(plan_pdf._Painter):
        def shape(self, s):
            if len(s.points) < 2 or (s.fill is None and (s.stroke is None or s.width <= 0)):
                return
            c = self.c
            p = c.beginPath()
            p.moveTo(*self.pt(*s.points[0]))
            for x, y in s.points[1:]:
                p.lineTo(*self.pt(x, y))
            if s.closed:
                p.close()
            for ring in s.holes if s.closed else ():
                if len(ring) >= 3:
                    p.moveTo(*self.pt(*ring[0]))
                    for x, y in ring[1:]:
                        p.lineTo(*self.pt(x, y))
                    p.close()
            fill, stroke = s.fill is not None and s.closed, s.stroke is not None and s.width > 0
            if fill:
                c.setFillColor(HexColor(s.fill))
            if stroke:
                c.setStrokeColor(HexColor(s.stroke))
                c.setLineWidth(s.width * plan_pdf.PT_PER_MM)
                c.setLineJoin(0 if s.closed else 1)
                c.setLineCap(0 if s.closed else 1)
                c.setDash([d * plan_pdf.PT_PER_MM for d in s.dash] if s.dash else [])
            c.drawPath(p, stroke=1 if stroke else 0, fill=1 if fill else 0,
                       fillMode=FILL_EVEN_ODD if s.holes else None)

        def text(self, t):
            if not t.text:
                return
            c = self.c
            c.saveState()
            c.setFillColor(HexColor(t.colour))
            c.setFont(self.bold if t.bold else self.regular, t.size * plan_pdf.PT_PER_MM)
            c.translate(*self.pt(t.x, t.y))
            if t.rotation:
                c.rotate(-t.rotation)
            {"start": c.drawString, "middle": c.drawCentredString, "end": c.drawRightString}[t.anchor](0, 0, t.text)
            c.restoreState()

    regular, bold = register_fonts()
    canvas = Canvas(str(path), invariant=1, pageCompression=1)
    canvas.setTitle(title)
    count = 0
    for page in pages:
        canvas.setPageSize((page.width * plan_pdf.PT_PER_MM, page.height * plan_pdf.PT_PER_MM))
        OldPainter(canvas, page.height, regular, bold).items(page.items)
        canvas.showPage()
        count += 1
        if progress is not None:
            progress(count)
    canvas.save()
    return count


def plan_before():
    from mpp_planner.reports import plan_key, plan_pdf, plan_sheet, plan_title

    return swapped([(plan_sheet, "place_in_region", plain_place_in_region), (plan_sheet, "fit_block", plain_fit_block),
                    (plan_key, "fit_block", plain_fit_block), (plan_key, "wrap", plain_wrap),
                    (plan_title, "wrap", plain_wrap), (plan_title, "elide", plain_elide),
                    (plan_pdf, "write_pdf", reference_write_pdf)])


# --- measuring ----------------------------------------------------------------------------------
def timed(fn) -> tuple[float, float]:
    start, start_cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - start, time.process_time() - start_cpu


def side_by_side(before, now, runs: int) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) seconds of ``before`` and ``now``, run in turn."""
    got: dict[str, list[tuple[float, float]]] = {"before": [], "now": []}
    for _ in range(runs):
        got["before"].append(timed(before))
        got["now"].append(timed(now))
    return {k: (statistics.median(w for w, _c in v), statistics.median(c for _w, c in v)) for k, v in got.items()}


def findings_export(project, out: Path):
    from mpp_planner.reports import findings

    return lambda: findings.export(project, out, "pdf", SimpleNamespace(rules=None, date="2024-01-15", paper=None))


def plan_export(project, out: Path):
    from mpp_planner.reports import plan

    args = SimpleNamespace(floor="all", scale=None, paper="A3", tiles=False, drawn_by="", drawing_number="",
                           orientation="auto", layers=None, colour="agency", dpi="150")
    return lambda: plan.export(project, out, "pdf", args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=int(os.environ.get("BENCH_SCALE", "50")))
    parser.add_argument("--file", help="use this project instead of building the demo at --scale")
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "3")))
    parser.add_argument("--linear", metavar="FILE", help="also time the plan export of this (larger) project")
    args = parser.parse_args(argv)

    from mpp_planner.demo import build_demo
    from mpp_planner.i18n import set_language
    from mpp_planner.project import Project

    set_language("en")
    rows = []
    with tempfile.TemporaryDirectory(prefix="mpp-exports-bench-") as tmp:
        folder = Path(tmp)
        path = Path(args.file) if args.file else build_demo(folder / "big.mpplan", scale=args.scale)
        project = Project.open(path, readonly=True)
        try:
            now = findings_export(project, folder / "findings.pdf")
            before = findings_export(project, folder / "findings-before.pdf")

            def findings_before_run():
                with findings_before():
                    before()

            m = side_by_side(findings_before_run, now, args.runs)
            rows.append(("findings PDF", m, TARGETS["findings"]))
            now = plan_export(project, folder / "plan.pdf")
            before = plan_export(project, folder / "plan-before.pdf")

            def plan_before_run():
                with plan_before():
                    before()

            m = side_by_side(plan_before_run, now, args.runs)
            rows.append(("plan PDF, all floors", m, TARGETS["plan"]))
            sheets = _pages(folder / "plan.pdf")
        finally:
            project.close()
        per_sheet = []
        if args.linear:
            big = Project.open(Path(args.linear), readonly=True)
            try:
                _wall, cpu = timed(plan_export(big, folder / "plan-linear.pdf"))
                per_sheet.append((args.linear, _pages(folder / "plan-linear.pdf"), cpu))
            finally:
                big.close()
    load = f"load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"\nexports at {'--file ' + args.file if args.file else f'scale {args.scale}'}, median of {args.runs} "
          f"interleaved runs, {load}")
    print(f"{'what':<22} {'before CPU s':>13} {'now CPU s':>10} {'speed-up':>9} {'before wall s':>14} "
          f"{'now wall s':>11}  target")
    for name, m, target in rows:
        (bw, bc), (nw, nc) = m["before"], m["now"]
        print(f"{name:<22} {bc:>13.2f} {nc:>10.2f} {bc / nc:>8.1f}x {bw:>14.2f} {nw:>11.2f}  <= {target:.0f} s "
              f"{'ok' if nc <= target else 'SLOW'}")
    if per_sheet:
        plan_cpu = rows[-1][1]["now"][1]
        print(f"\nlinear growth, plan PDF of all floors: {sheets} sheets {plan_cpu:.2f} s = "
              f"{plan_cpu / sheets * 1000:.1f} ms a sheet")
        for name, count, cpu in per_sheet:
            print(f"  {name}: {count} sheets {cpu:.2f} s = {cpu / count * 1000:.1f} ms a sheet")
    return 0


def _pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


if __name__ == "__main__":
    sys.exit(main())
