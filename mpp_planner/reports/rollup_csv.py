"""The province roll-up as one flat CSV table: a row per MPP (per file read) with every column of every topic
("Topic: heading"), then the file it came from, its SHA-256 and modification time. Plain numbers with a
decimal point, for other programs; UTF-8 with BOM, formula-safe, written atomically."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mpp_planner.model.rollup import Rollup
from mpp_planner.reports.rollup_tables import topics

IDENTITY = ("No", "MPP", "Kabupaten/Kota", "Provinsi", "Pemerintah", "Perangkat Daerah", "Tahun Anggaran Berkas")
FILE = ("Berkas", "SHA-256", "Terakhir Diubah", "Ukuran (bita)", "Skema", "MPP Sama dengan Berkas Lain")


def header_and_rows(r: Rollup) -> tuple[list[str], list[list[Any]]]:
    columns = [(t.sheet, c) for t in topics(r) if t.sheet != "Ringkasan" for c in t.columns]
    header = [*IDENTITY, *(f"{sheet}: {c.heading}" for sheet, c in columns), *FILE]
    rows = []
    for i, s in enumerate(r.summaries, start=1):
        ident, src = s.identity, s.source
        rows.append([i, ident.name, ident.city, ident.province, ident.government, ident.office, ident.fiscal_year,
                     *(_plain(c.value(s)) for _sheet, c in columns),
                     src.path, src.sha256, src.modified_at.isoformat(timespec="seconds"), src.size, src.schema,
                     "ya" if r.is_duplicate(s) else ""])
    return header, rows


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    return format(value, "f") if not isinstance(value, (int, str)) else value


def write_csv_file(r: Rollup, out: str | Path) -> Path:
    from mpp_planner.reports.output import write_csv

    header, rows = header_and_rows(r)
    return write_csv(out, header, rows)
