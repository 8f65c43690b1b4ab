"""The province roll-up as a workbook (XlsxWriter): one sheet per topic with the MPPs as rows and live province
rows (SUM and AVERAGE formulas under each column), the ranking tables (RANK formulas), three charts (agencies
per tier as stacked bars, budget per MPP, IKM per MPP) drawn from the topic sheets' cells, and a sheet
listing every file read with its modification time and SHA-256 and every file skipped with why.

The formulas' cached results are the model's exact values, so a reader that does not calculate still shows
them. Sheets are Indonesian and set up to print (landscape, fit to width, headings on every page).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from mpp_planner.model.agency import TIER_COLOURS, Tier
from mpp_planner.model.rollup import TIER_GROUPS, Rollup
from mpp_planner.reports.rollup_tables import (AREA, AVERAGE_LABEL, DEC, DUPLICATE_NOTE, IDENTITY_HEADINGS, INT,
                                               MONEY, TEXT, TIER_HEADINGS, TOTAL_LABEL, Topic, column_average,
                                               column_total, column_values, counts_text, mpp_name, ranked, rankings,
                                               skip_text, subtitle, topics)

TITLE = "REKAPITULASI MAL PELAYANAN PUBLIK (MPP)"
HEAD_ROW = 3  # 0-based: title, subtitle, counts, then the column headings
FIRST = HEAD_ROW + 1
IDENTITY_WIDTHS = (5, 34, 18)
WIDTHS = {INT: 11, MONEY: 17, AREA: 13, DEC: 10, TEXT: 16}
CHART_COLOURS = {g: TIER_COLOURS[Tier(g)] for g in TIER_GROUPS if g != "lainnya"} | {
    "lainnya": TIER_COLOURS[Tier.BADAN_HUKUM_PUBLIK]}
COPY_NOTE = "Skema lama: dibaca dari salinan sementara yang dimutakhirkan; berkas aslinya tidak diubah."


def write_xlsx(r: Rollup, target: str | Path, made: datetime | None = None) -> None:
    import xlsxwriter

    from mpp_planner.reports.xlsx_page import FONT_SIZE, setup_xlsxwriter

    made = made or datetime.now()
    wb = xlsxwriter.Workbook(str(target), {"strings_to_formulas": False, "strings_to_numbers": False,
                                           "strings_to_urls": False})
    wb.set_properties({"title": f"Rekap MPP {subtitle(r)}", "author": "MPP Planner"})
    base = {"font_size": FONT_SIZE}
    border = {"border": 1, "border_color": "#888888", **base}
    st: dict[str, Any] = {
        "title": wb.add_format({"bold": True, "font_size": 12}),
        "plain": wb.add_format(base),
        "note": wb.add_format({"font_color": "#555555", "italic": True, **base}),
        "head": wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True,
                               "bg_color": "#E4E9F0", **border}),
        "cell": wb.add_format({"valign": "top", **border}),
        "date": wb.add_format({"num_format": "dd/mm/yyyy hh:mm:ss", "valign": "top", **border}),
    }
    for kind, fmt in ((INT, "#,##0"), (MONEY, "#,##0"), (AREA, "#,##0.00"), (DEC, "0.00"), (TEXT, "@")):
        st[kind] = wb.add_format({"num_format": fmt, "valign": "top", **border})
        st["sum_" + kind] = wb.add_format({"num_format": fmt, "bold": True, "bg_color": "#DDE3EA", **border})
        st["avg_" + kind] = wb.add_format({"num_format": "#,##0.00" if kind != DEC else "0.00", "italic": True,
                                           "bg_color": "#F3F5F8", **border})
    st[MONEY + "_sen"] = wb.add_format({"num_format": "#,##0.00", "valign": "top", **border})
    st["sum_label"] = wb.add_format({"bold": True, "bg_color": "#DDE3EA", **border})
    st["avg_label"] = wb.add_format({"italic": True, "bg_color": "#F3F5F8", **border})

    written: dict[str, dict[str, int]] = {}  # sheet -> column heading -> 0-based column
    for topic in topics(r):
        ws = wb.add_worksheet(topic.sheet)
        written[topic.sheet] = _topic_sheet(ws, r, topic, st, made)
        setup_xlsxwriter(ws, HEAD_ROW, HEAD_ROW)
    ws = wb.add_worksheet("Peringkat")
    _ranking_sheet(ws, r, st)
    setup_xlsxwriter(ws, 0, 0)
    ws.set_portrait()
    ws = wb.add_worksheet("Grafik")
    _charts(wb, ws, r, st, written)
    setup_xlsxwriter(ws, 0, 0)
    ws.set_portrait()
    ws = wb.add_worksheet("Berkas")
    _files_sheet(ws, r, st)
    setup_xlsxwriter(ws, HEAD_ROW, HEAD_ROW)
    wb.close()


def _header(ws, r: Rollup, title: str, st, made: datetime) -> None:
    ws.write_string(0, 0, f"{TITLE} — {title}", st["title"])
    ws.write_string(1, 0, subtitle(r), st["plain"])
    ws.write_string(2, 0, f"{counts_text(r)} Dibuat {made:%d/%m/%Y %H:%M}.", st["note"])


def _topic_sheet(ws, r: Rollup, topic: Topic, st, made: datetime) -> dict[str, int]:
    """MPPs as rows from FIRST, then the province total and average rows; returns heading -> column."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    _header(ws, r, topic.title, st, made)
    for c, w in enumerate(IDENTITY_WIDTHS):
        ws.set_column(c, c, w)
    ws.write_row(HEAD_ROW, 0, IDENTITY_HEADINGS, st["head"])
    ws.set_row(HEAD_ROW, 54)
    n = len(r.summaries)
    last = FIRST + n - 1
    for i, s in enumerate(r.summaries):
        ws.write_number(FIRST + i, 0, i + 1, st[INT])
        ws.write_string(FIRST + i, 1, _safe(mpp_name(r, s)), st["cell"])
        ws.write_string(FIRST + i, 2, _safe(s.identity.city), st["cell"])
    columns: dict[str, int] = {}
    for k, col in enumerate(topic.columns):
        c = len(IDENTITY_HEADINGS) + k
        columns[col.heading] = c
        ws.set_column(c, c, WIDTHS[col.kind])
        ws.write_string(HEAD_ROW, c, col.heading, st["head"])
        values = column_values(r, col)
        cell_style = st[col.kind]
        if col.kind == MONEY and any(v is not None and v != v.to_integral_value() for v in values):
            cell_style = st[MONEY + "_sen"]
        for i, v in enumerate(values):
            if v is None:
                ws.write_blank(FIRST + i, c, None, cell_style)
            elif isinstance(v, str):
                ws.write_string(FIRST + i, c, _safe(v), st["cell"])
            else:
                ws.write_number(FIRST + i, c, v, cell_style)
        if not n:
            continue
        span = f"{xl_rowcol_to_cell(FIRST, c)}:{xl_rowcol_to_cell(last, c)}"
        if col.total:
            ws.write_formula(last + 1, c, f"=SUM({span})", st["sum_" + col.kind], column_total(values))
        else:
            ws.write_blank(last + 1, c, None, st["sum_label"])
        mean = column_average(values)
        if col.average and col.kind != TEXT:
            ws.write_formula(last + 2, c, f'=IFERROR(AVERAGE({span}),"")', st["avg_" + col.kind],
                             mean if mean is not None else "")
        else:
            ws.write_blank(last + 2, c, None, st["avg_label"])
    if n:
        for c in range(len(IDENTITY_HEADINGS)):
            ws.write_blank(last + 1, c, None, st["sum_label"])
            ws.write_blank(last + 2, c, None, st["avg_label"])
        ws.write_string(last + 1, 1, TOTAL_LABEL, st["sum_label"])
        ws.write_string(last + 2, 1, AVERAGE_LABEL, st["avg_label"])
    notes = list(topic.notes) + ([DUPLICATE_NOTE] if r.duplicates else [])
    for k, note in enumerate(notes):
        ws.write_string(last + 4 + k, 1, note, st["note"])
    ws.freeze_panes(FIRST, 2)
    return columns


def _ranking_sheet(ws, r: Rollup, st) -> None:
    """One block per ranking: Peringkat (a RANK formula over the block's values), MPP, Kabupaten/Kota, Nilai."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    for c, w in enumerate((10, 34, 18, 17)):
        ws.set_column(c, c, w)
    ws.write_string(0, 0, f"{TITLE} — Peringkat", st["title"])
    ws.write_string(1, 0, subtitle(r), st["plain"])
    row = 3
    for ranking in rankings(r):
        rows = ranked(r, ranking)
        ws.write_string(row, 0, ranking.title, st["title"])
        ws.write_row(row + 1, 0, ("Peringkat", "MPP", "Kabupaten/Kota", "Nilai"), st["head"])
        first, last = row + 2, row + 1 + len(rows)
        span = f"{xl_rowcol_to_cell(first, 3, True, True)}:{xl_rowcol_to_cell(last, 3, True, True)}"
        order = 0 if ranking.descending else 1
        for i, (rank, s, value) in enumerate(rows):
            rr = first + i
            ws.write_formula(rr, 0, f"=RANK({xl_rowcol_to_cell(rr, 3)},{span},{order})", st[INT], rank)
            ws.write_string(rr, 1, _safe(mpp_name(r, s)), st["cell"])
            ws.write_string(rr, 2, _safe(s.identity.city), st["cell"])
            ws.write_number(rr, 3, value, st[ranking.kind])
        row = last + 1
        left_out = len(r.summaries) - len(rows)
        if ranking.note and left_out:
            ws.write_string(row, 1, f"{ranking.note} ({left_out} MPP)", st["note"])
            row += 1
        row += 2


def _charts(wb, ws, r: Rollup, st, written: dict[str, dict[str, int]]) -> None:
    """Agencies per tier (stacked bars), budget per MPP, IKM per MPP: series read from the topic sheets."""
    n = len(r.summaries)
    ws.write_string(0, 0, f"{TITLE} — Grafik", st["title"])
    ws.write_string(1, 0, subtitle(r), st["plain"])
    if not n:
        return
    last = FIRST + n - 1
    height = max(320, 110 + 22 * n)
    names = lambda sheet: [sheet, FIRST, 1, last, 1]  # noqa: E731 - the MPP names of a topic sheet

    tiers = wb.add_chart({"type": "bar", "subtype": "stacked"})
    cols = written["Instansi"]
    for g in TIER_GROUPS:
        c = cols[f"Instansi {TIER_HEADINGS[g]}"]
        tiers.add_series({"name": TIER_HEADINGS[g], "categories": names("Instansi"),
                          "values": ["Instansi", FIRST, c, last, c], "fill": {"color": CHART_COLOURS[g]},
                          "gap": 60})
    _finish(tiers, "Instansi per Tingkat", "Jumlah instansi", height)

    budget = wb.add_chart({"type": "bar"})
    cols = written["Anggaran"]
    for heading, colour in (("Usulan (Rp)", "#1F4E99"), ("Disetujui (Rp)", "#2E8B57")):
        c = cols[heading]
        budget.add_series({"name": heading.replace(" (Rp)", ""), "categories": names("Anggaran"),
                           "values": ["Anggaran", FIRST, c, last, c], "fill": {"color": colour}, "gap": 60})
    _finish(budget, f"Usulan Anggaran per MPP Tahun {r.year} (Rp)", "Rupiah", height)
    budget.set_x_axis({"name": "Rupiah", "num_format": "#,##0", "major_gridlines": {"visible": True}})

    ikm = wb.add_chart({"type": "bar"})
    c = written["SKM"]["IKM"]
    ikm.add_series({"name": "IKM", "categories": names("SKM"), "values": ["SKM", FIRST, c, last, c],
                    "fill": {"color": "#D98E04"}, "gap": 60,
                    "data_labels": {"value": True, "num_format": "0.00"}})
    _finish(ikm, f"Indeks Kepuasan Masyarakat per MPP Tahun {r.year}", "IKM (25–100)", height)
    ikm.set_x_axis({"name": "IKM (25–100)", "min": 0, "max": 100, "major_gridlines": {"visible": True}})

    rows_per_chart = int(height / 20) + 3
    for k, chart in enumerate((tiers, budget, ikm)):
        ws.insert_chart(3 + k * rows_per_chart, 0, chart)
    ws.set_h_pagebreaks([3 + k * rows_per_chart - 1 for k in (1, 2)])  # one chart a page


def _finish(chart, title: str, axis: str, height: int) -> None:
    chart.set_title({"name": title, "name_font": {"size": 12}})
    # the first MPP on top, as in the tables, with the value axis still at the bottom
    chart.set_y_axis({"reverse": True, "crossing": "max", "num_font": {"size": 8}})
    chart.set_x_axis({"name": axis, "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 720, "height": height})


def _files_sheet(ws, r: Rollup, st) -> None:
    """The files read (size, modification time, SHA-256, schema) and the files skipped with why."""
    for c, w in enumerate((5, 30, 40, 30, 12, 19, 66, 8, 50)):
        ws.set_column(c, c, w)
    ws.write_string(0, 0, f"{TITLE} — Berkas yang Dibaca", st["title"])
    ws.write_string(1, 0, subtitle(r), st["plain"])
    ws.write_string(2, 0, counts_text(r), st["note"])
    ws.write_row(HEAD_ROW, 0, ("No", "Nama Berkas", "Folder", "MPP", "Ukuran (bita)", "Terakhir Diubah",
                               "SHA-256", "Skema", "Keterangan"), st["head"])
    same = {id(s): g for g in r.duplicates for s in g}
    row = FIRST
    for i, s in enumerate(r.summaries, start=1):
        src = s.source
        notes = [COPY_NOTE] if src.via_copy else []
        group = same.get(id(s))
        if group:
            others = ", ".join(o.source.name for o in group if o is not s)
            notes.append(f"MPP sama dengan berkas: {others}")
        ws.write_number(row, 0, i, st[INT])
        ws.write_string(row, 1, _safe(src.name), st["cell"])
        ws.write_string(row, 2, _safe(str(Path(src.path).parent)), st["cell"])
        ws.write_string(row, 3, _safe(mpp_name(r, s)), st["cell"])
        ws.write_number(row, 4, src.size, st[INT])
        ws.write_datetime(row, 5, src.modified_at, st["date"])
        ws.write_string(row, 6, src.sha256, st["cell"])
        ws.write_string(row, 7, src.schema, st["cell"])
        ws.write_string(row, 8, _safe("; ".join(notes)), st["cell"])
        row += 1
    row += 2
    ws.write_string(row, 0, f"Berkas yang Dilewati ({len(r.skipped)})", st["title"])
    ws.write_row(row + 1, 0, ("No", "Nama Berkas", "Folder", "Alasan", "Ukuran (bita)", "Terakhir Diubah",
                              "SHA-256"), st["head"])
    row += 2
    for i, skip in enumerate(r.skipped, start=1):
        ws.write_number(row, 0, i, st[INT])
        ws.write_string(row, 1, _safe(skip.name), st["cell"])
        ws.write_string(row, 2, _safe(str(Path(skip.path).parent)), st["cell"])
        ws.write_string(row, 3, _safe(skip_text(skip)), st["cell"])
        if skip.size is not None:
            ws.write_number(row, 4, skip.size, st[INT])
        else:
            ws.write_blank(row, 4, None, st["cell"])
        if skip.modified is not None:
            ws.write_datetime(row, 5, datetime.fromtimestamp(skip.modified), st["date"])
        else:
            ws.write_blank(row, 5, None, st["cell"])
        ws.write_string(row, 6, skip.sha256, st["cell"])
        row += 1
    if not r.skipped:
        ws.write_string(row, 1, "Tidak ada.", st["note"])
    ws.freeze_panes(FIRST, 0)


def _safe(text: str) -> str:
    from mpp_planner.reports.output import neutralise

    return neutralise(text or "")
