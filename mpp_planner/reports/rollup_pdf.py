"""The province roll-up as a PDF (ReportLab, landscape A4, Indonesian): the tables of the workbook with their
province total and average rows (a table too wide for the page continues in another block with the MPPs
repeated; coded headings are explained under it), the three charts drawn with ``reportlab.graphics``
(agencies per tier stacked, budget per MPP, IKM per MPP), the ranking tables two a row, and the files read
(modification time, SHA-256) and skipped (why).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.flowables import PageBreakIfNotEmpty

from mpp_planner.formats import long_date, number
from mpp_planner.model.rollup import TIER_GROUPS, Rollup
from mpp_planner.reports import pdf
from mpp_planner.reports.rollup_tables import (AREA, AVERAGE_LABEL, DEC, DUPLICATE_NOTE, IDENTITY_HEADINGS, INT,
                                               MONEY, TEXT, TIER_HEADINGS, TOTAL_LABEL, Column, Topic,
                                               column_average, column_total, column_values, counts_text, mpp_name,
                                               ranked, rankings, skip_text, subtitle, text_of, topics)
from mpp_planner.reports.rollup_xlsx import CHART_COLOURS, COPY_NOTE, TITLE

IDENTITY_MM = (8, 46, 26)
COLUMN_MM = {INT: 16, MONEY: 25, AREA: 19, DEC: 14, TEXT: 24}
SUM_BG = colors.HexColor("#DDE3EA")
AVG_BG = colors.HexColor("#F3F5F8")


def _style(name: str, size: float = 7, bold: bool = False, align=TA_LEFT, **kw) -> ParagraphStyle:
    kw.setdefault("fontName", pdf.FONT_BOLD if bold else pdf.FONT)
    return ParagraphStyle(name, fontSize=size, leading=size * 1.2, alignment=align, **kw)


S = {
    "cell": _style("r_cell"), "right": _style("r_right", align=TA_RIGHT),
    "head": _style("r_head", 6.5, bold=True, align=TA_CENTER), "bold": _style("r_bold", bold=True),
    "bold_right": _style("r_bold_right", bold=True, align=TA_RIGHT),
    "italic": _style("r_italic", fontName="Helvetica-Oblique"),
    "italic_right": _style("r_italic_right", fontName="Helvetica-Oblique", align=TA_RIGHT),
    "note": _style("r_note", 7, textColor=colors.HexColor("#555555")),
    "section": _style("r_section", 10.5, bold=True, spaceBefore=4, spaceAfter=3),
    "title": _style("r_title", 8.5, bold=True),
    "hash": _style("r_hash", 5.6, fontName="Courier"),
}


def P(text: Any, style: str = "cell") -> Paragraph:
    return Paragraph(pdf.esc(text), S[style])


def write_pdf(r: Rollup, target: str | Path, made: datetime | None = None) -> None:
    made = made or datetime.now()
    doc = pdf.SheetDoc(str(target), orientation="landscape", title=f"Rekap MPP {subtitle(r)}",
                       footer_left=f"Rekapitulasi MPP · {subtitle(r)}", margins_mm=(12, 12, 12, 16))
    width = doc.body_width

    def story():
        flow: list = [pdf.P(pdf.esc(TITLE), "title"), pdf.P(pdf.esc(subtitle(r)), "subtitle"),
                      P(f"{counts_text(r)} Dibuat {long_date(made.date(), lang='id')} pukul {made:%H.%M}.", "note"),
                      Spacer(1, 3 * mm)]
        for topic in topics(r):
            flow.extend(topic_flow(r, topic, width))
        flow.append(PageBreakIfNotEmpty())
        flow.extend(chart_flow(r, width, doc.height))
        flow.append(PageBreakIfNotEmpty())
        flow.extend(ranking_flow(r, width))
        flow.append(PageBreakIfNotEmpty())
        flow.extend(files_flow(r, width))
        return flow

    doc.build_story(story)


# --- topic tables -----------------------------------------------------------------------------------

def _chunks(columns: tuple[Column, ...], room: float, short: bool) -> list[list[Column]]:
    """Columns split into blocks that fit ``room`` (points) beside the MPP columns."""
    blocks: list[list[Column]] = [[]]
    used = 0.0
    for col in columns:
        w = _width(col, short)
        if blocks[-1] and used + w > room:
            blocks.append([])
            used = 0.0
        blocks[-1].append(col)
        used += w
    return blocks


def _width(col: Column, short: bool) -> float:
    base = float(COLUMN_MM[col.kind])
    if short and col.short and col.kind == MONEY:
        base = max(base, 3 + 1.6 * len(col.short) / 2)
    return base * mm


def topic_flow(r: Rollup, topic: Topic, width: float) -> list:
    identity = sum(IDENTITY_MM) * mm
    room = width - identity
    short = sum(_width(c, False) for c in topic.columns) > room and any(c.short for c in topic.columns)
    flow: list = [CondPageBreak(45 * mm), P(topic.title, "section")]
    if not topic.columns:
        flow.append(P("Tidak ada data pada tahun ini.", "note"))
        return flow
    for block in _chunks(topic.columns, room, short):
        flow.append(_table(r, block, short))
        flow.append(Spacer(1, 2 * mm))
    legends = list(dict.fromkeys(c.legend for c in topic.columns if short and c.legend))
    notes = [*topic.notes, *([DUPLICATE_NOTE] if r.duplicates else [])]
    if legends:
        flow.append(P("Keterangan kolom: " + "; ".join(legends) + ".", "note"))
    for note in notes:
        flow.append(P(note, "note"))
    flow.append(Spacer(1, 4 * mm))
    return flow


def _table(r: Rollup, columns: list[Column], short: bool) -> Table:
    """The MPPs as rows, then the province total and average; numbers as plain strings (thousands of cells:
    a paragraph each would cost seconds), names as paragraphs that may wrap."""
    head = [P(h, "head") for h in IDENTITY_HEADINGS] + [
        P((c.short if short and c.short else c.heading).replace("/", "/ "), "head") for c in columns]
    rows: list[list] = [head]
    values = [column_values(r, c) for c in columns]
    for i, s in enumerate(r.summaries):
        rows.append([str(i + 1), P(mpp_name(r, s)), P(s.identity.city)]
                    + [text_of(values[k][i], c.kind) for k, c in enumerate(columns)])
    n = len(r.summaries)
    if n:
        rows.append(["", P(TOTAL_LABEL, "bold"), ""] + [
            text_of(column_total(v), c.kind) if c.total else "" for v, c in zip(values, columns)])
        rows.append(["", P(AVERAGE_LABEL, "italic"), ""] + [
            text_of(column_average(v), DEC if c.kind in (INT, AREA) else c.kind) if c.average and c.kind != TEXT
            else "" for v, c in zip(values, columns)])
    widths = [w * mm for w in IDENTITY_MM] + [_width(c, short) for c in columns]
    first = len(IDENTITY_HEADINGS)
    extra: list[tuple] = [("FONTNAME", (0, 1), (-1, -1), pdf.FONT), ("FONTSIZE", (0, 1), (-1, -1), 7),
                          ("LEADING", (0, 1), (-1, -1), 8.4), ("ALIGN", (0, 1), (0, -1), "RIGHT"),
                          ("ALIGN", (first, 1), (-1, -1), "RIGHT")]
    extra += [("ALIGN", (first + k, 1), (first + k, -1), "LEFT") for k, c in enumerate(columns) if c.kind == TEXT]
    if n:
        extra += [("BACKGROUND", (0, n + 1), (-1, n + 1), SUM_BG), ("FONTNAME", (0, n + 1), (-1, n + 1), pdf.FONT_BOLD),
                  ("BACKGROUND", (0, n + 2), (-1, n + 2), AVG_BG),
                  ("FONTNAME", (0, n + 2), (-1, n + 2), "Helvetica-Oblique")]
    table = pdf.header_table(rows, widths, extra_styles=extra)
    table.hAlign = "LEFT"
    return table


# --- charts -----------------------------------------------------------------------------------------

def _millions(value: float) -> str:
    return number(value / 1_000_000, 0, lang="id") + " jt"


def bar_chart(title: str, names: list[str], series: list[tuple[str, list, str]], width: float, height: float, *,
              stacked: bool = False, value_max: float | None = None, label=None, unit: str = "") -> Drawing:
    """Horizontal bars, one row per MPP (the first on top), a legend under them."""
    d = Drawing(width, height)
    d.add(String(width / 2, height - 14, title, fontName=pdf.FONT_BOLD, fontSize=11, textAnchor="middle"))
    chart = HorizontalBarChart()
    chart.x, chart.y = 150, 52
    chart.width, chart.height = width - chart.x - 30, height - chart.y - 30
    chart.data = [tuple(float(v) if v is not None else 0.0 for v in values) for _n, values, _c in series]
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.fontName = pdf.FONT
    chart.categoryAxis.labels.fontSize = 6.5 if len(names) > 20 else 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.categoryAxis.style = "stacked" if stacked else "parallel"
    chart.valueAxis.valueMin = 0
    if value_max is not None:
        chart.valueAxis.valueMax = value_max
    chart.valueAxis.labels.fontName = pdf.FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = colors.HexColor("#DDDDDD")
    if label is not None:
        chart.valueAxis.labelTextFormat = label
    chart.barSpacing = 0.5
    chart.groupSpacing = 3
    for i, (_n, _v, colour) in enumerate(series):
        chart.bars[i].fillColor = colors.HexColor(colour)
        chart.bars[i].strokeColor = None
    d.add(chart)
    if unit:
        d.add(String(chart.x + chart.width / 2, 24, unit, fontName=pdf.FONT, fontSize=7.5, textAnchor="middle"))
    legend = Legend()
    legend.x, legend.y = chart.x, 10
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.fontName, legend.fontSize = pdf.FONT, 7.5
    legend.dx = legend.dy = 7
    legend.deltax = 95
    legend.colorNamePairs = [(colors.HexColor(c), n) for n, _v, c in series]
    d.add(legend)
    return d


def chart_flow(r: Rollup, width: float, page_height: float) -> list:
    y = r.year
    names = [mpp_name(r, s)[:38] for s in r.summaries]
    height = min(page_height - 14 * mm, max(70 * mm, (26 + 5.2 * len(names)) * mm))
    tiers = [(TIER_HEADINGS[g], [s.tier(g).agencies for s in r.summaries], CHART_COLOURS[g]) for g in TIER_GROUPS]
    budget = [("Usulan", [s.budget(y).requested for s in r.summaries], "#1F4E99"),
              ("Disetujui", [s.budget(y).approved for s in r.summaries], "#2E8B57")]
    periods = [s.skm(y) for s in r.summaries]
    ikm = [("IKM", [p.ikm if p is not None else None for p in periods], "#D98E04")]
    return [
        P("Grafik", "section"),
        bar_chart("Instansi per Tingkat", names, tiers, width, height, stacked=True, unit="Jumlah instansi",
                  label=lambda v: number(v, 0, lang="id")),
        PageBreak(),
        bar_chart(f"Usulan Anggaran per MPP Tahun {y}", names, budget, width, height, label=_millions,
                  unit="Rupiah (jt = juta)"),
        PageBreak(),
        bar_chart(f"Indeks Kepuasan Masyarakat per MPP Tahun {y}", names, ikm, width, height, value_max=100,
                  label=lambda v: number(v, 0, lang="id"), unit="IKM (25–100); kosong: belum ada SKM tahun ini"),
    ]


# --- rankings and files -------------------------------------------------------------------------------

def ranking_flow(r: Rollup, width: float) -> list:
    """The rankings two side by side, each pair one table (so a long pair continues on the next page)."""
    half = (width - 6 * mm) / 2
    blocks = []
    for ranking in rankings(r):
        found = ranked(r, ranking)
        cells = [[str(rank), P(mpp_name(r, s)), P(s.identity.city), text_of(value, ranking.kind)]
                 for rank, s, value in found]
        left_out = len(r.summaries) - len(found)
        note = f"{ranking.note} ({left_out} MPP)" if ranking.note and left_out else ""
        blocks.append((ranking.title, cells, note))
    side = [14 * mm, half - 14 * mm - 28 * mm - 24 * mm, 28 * mm, 24 * mm]
    flow: list = [P("Peringkat", "section")]
    for k in range(0, len(blocks), 2):
        pair = blocks[k:k + 2]
        head = ["Peringkat", "MPP", "Kabupaten/Kota", "Nilai"]
        rows: list[list] = [[], []]
        for title, _rows, _note in pair:
            rows[0] += [P(title, "title"), "", "", "", ""]
            rows[1] += [P(h, "head") for h in head] + [""]
        for i in range(max(len(b[1]) for b in pair)):
            line: list = []
            for _title, ranked_rows, _note in pair:
                line += (ranked_rows[i] if i < len(ranked_rows) else ["", "", "", ""]) + [""]
            rows.append(line)
        notes = [b[2] for b in pair]
        if any(notes):
            rows.append([cell for note in notes for cell in (P(note, "note"), "", "", "", "")])
        widths = (side + [6 * mm]) * len(pair)
        style: list[tuple] = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), pdf.FONT),
                              ("FONTSIZE", (0, 0), (-1, -1), 7), ("LEADING", (0, 0), (-1, -1), 8.4),
                              ("TOPPADDING", (0, 0), (-1, -1), 2),
                 ("BOTTOMPADDING", (0, 0), (-1, -1), 2), ("LEFTPADDING", (0, 0), (-1, -1), 3),
                 ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
        for j, (_title, ranked_rows, _note) in enumerate(pair):
            c0, c1 = 5 * j, 5 * j + 3
            style += [("SPAN", (c0, 0), (c1, 0)), ("BACKGROUND", (c0, 1), (c1, 1), pdf.HEADER_BG),
                      ("ALIGN", (c0, 2), (c0, -1), "RIGHT"), ("ALIGN", (c1, 2), (c1, -1), "RIGHT"),
                      ("GRID", (c0, 1), (c1, 1 + len(ranked_rows)), 0.5, pdf.GRID)]
            if any(notes):
                style.append(("SPAN", (c0, len(rows) - 1), (c1, len(rows) - 1)))
        table = Table(rows, colWidths=widths, repeatRows=2)
        table.setStyle(TableStyle(style))
        table.hAlign = "LEFT"
        flow += [table, Spacer(1, 5 * mm)]
    return flow[:-1]  # no space after the last (it could start a page of its own)


def files_flow(r: Rollup, width: float) -> list:
    same = {id(s): g for g in r.duplicates for s in g}
    rows: list[list] = [[P(h, "head") for h in ("No", "Berkas", "MPP", "Terakhir Diubah", "Ukuran (bita)",
                                                "SHA-256", "Skema", "Keterangan")]]
    for i, s in enumerate(r.summaries, start=1):
        src = s.source
        notes = [COPY_NOTE] if src.via_copy else []
        group = same.get(id(s))
        if group:
            notes.append("MPP sama dengan berkas: " + ", ".join(o.source.name for o in group if o is not s))
        rows.append([P(str(i), "right"), P(src.path), P(mpp_name(r, s)), P(f"{src.modified_at:%d/%m/%Y %H:%M:%S}"),
                     P(number(src.size, 0, lang="id"), "right"), P(src.sha256, "hash"), P(src.schema),
                     P("; ".join(notes))])
    widths = [8 * mm, 50 * mm, 36 * mm, 24 * mm, 17 * mm, 78 * mm, 11 * mm]
    widths.append(width - sum(widths))
    flow: list = [P("Berkas yang Dibaca", "section"), P(counts_text(r), "note"), pdf.header_table(rows, widths)]
    flow.append(Spacer(1, 5 * mm))
    skipped: list[list] = [[P(h, "head") for h in ("No", "Berkas", "Alasan", "Terakhir Diubah", "SHA-256")]]
    for i, skip in enumerate(r.skipped, start=1):
        when = f"{datetime.fromtimestamp(skip.modified):%d/%m/%Y %H:%M:%S}" if skip.modified is not None else "–"
        skipped.append([P(str(i), "right"), P(skip.path), P(skip_text(skip)), P(when), P(skip.sha256 or "–", "hash")])
    widths = [8 * mm, 70 * mm, 0, 24 * mm, 78 * mm]
    widths[2] = width - sum(widths)
    block = [P(f"Berkas yang Dilewati ({len(r.skipped)})", "section")]
    block.append(pdf.header_table(skipped, widths) if r.skipped else P("Tidak ada.", "note"))
    flow.append(KeepTogether(block[:2]) if len(block) > 1 else block[0])
    return flow
