"""The SKM documents in ReportLab: the *Laporan Hasil SKM* (platypus, on ``SheetDoc``: letterhead, "Halaman x
dari y", signature) and the one-page publication poster (drawn on the canvas, legible from a few metres).

The charts are drawn with ``reportlab.graphics`` shapes: NRR per unsur as horizontal bars over the grade
bands (each band named by its letter, each bar by its value, so they read in black and white too) and the
IKM trend as a line with the grade thresholds. Import only when making a PDF: it loads ReportLab.
"""

from __future__ import annotations

from decimal import Decimal

from reportlab.graphics.shapes import Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from mpp_planner.formats import long_date
from mpp_planner.reports.pdf import FONT, FONT_BOLD
from mpp_planner.reports.survey import NOT_GIVEN, PROFILE_TITLES, STATUS_ID, SurveyReport, dec, percent, unsur_grade

INK = colors.HexColor("#1F2D3D")
BAR = colors.HexColor("#2E5A88")
BAR_WEAK = colors.HexColor("#B03A2E")
MUTED = colors.HexColor("#555555")
#: the grade bands on the 1..4 scale (the regulation's interval values) with a light fill each
NRR_BANDS = ((1.0, 2.5996, "D", colors.HexColor("#F6DDD9")), (2.5996, 3.0644, "C", colors.HexColor("#FBEBD3")),
             (3.0644, 3.5324, "B", colors.HexColor("#E3EEF8")), (3.5324, 4.0, "A", colors.HexColor("#DDF0E3")))
IKM_THRESHOLDS = ((65.0, "C"), (76.61, "B"), (88.31, "A"))
#: the interval table of PermenPANRB 14/2017 (nilai persepsi, NI, NIK, mutu, kinerja)
INTERVALS = (("1", "1,00 – 2,5996", "25,00 – 64,99", "D", "Tidak Baik"),
             ("2", "2,60 – 3,064", "65,00 – 76,60", "C", "Kurang Baik"),
             ("3", "3,0644 – 3,532", "76,61 – 88,30", "B", "Baik"),
             ("4", "3,5324 – 4,00", "88,31 – 100,00", "A", "Sangat Baik"))


def fit_size(text: str, font: str, size: float, width: float, smallest: float = 5.0) -> float:
    """The largest font size up to ``size`` at which ``text`` fits ``width``."""
    w = stringWidth(text, font, size)
    return size if w <= width else max(smallest, size * width / w)


def clip(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width``."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


# --- charts ---------------------------------------------------------------------------------------

def nrr_chart(report: SurveyReport, width: float, height: float, *, size: float = 7.5, places: int = 4,
              mark_weakest: bool = True) -> Drawing:
    """NRR per unsur: one horizontal bar each over the D/C/B/A bands, the value at the bar's end (``places``
    decimals); with ``mark_weakest`` the three weakest unsur in another shade, outlined and their value in bold,
    so they stand out in grey too."""
    res = report.result
    d = Drawing(width, height)
    known = [float(u.nrr) for u in res.unsur if u.nrr is not None]
    low = 1.0 if not known or min(known) < 2.0 else 2.0
    labels = [f"U{u.unsur} {report.unsur_name(u.unsur)}" for u in res.unsur]
    label_w = min(max(stringWidth(t, FONT, size) for t in labels) + 4, width * 0.42)
    value_w = stringWidth("4,0000", FONT_BOLD, size) + 6
    x0, x1 = label_w, width - value_w
    top_pad, bottom_pad = size * 1.9, size * 2.2
    y0, y1 = bottom_pad, height - top_pad
    row_h = (y1 - y0) / len(res.unsur)

    def xs(v: float) -> float:
        return x0 + (v - low) / (4.0 - low) * (x1 - x0)

    for lo, hi, letter, fill in NRR_BANDS:
        lo = max(lo, low)
        if hi <= low:
            continue
        d.add(Rect(xs(lo), y0, xs(hi) - xs(lo), y1 - y0, fillColor=fill, strokeColor=None))
        d.add(String((xs(lo) + xs(hi)) / 2, y1 + size * 0.6, letter, fontName=FONT_BOLD, fontSize=size * 1.15,
                     fillColor=INK, textAnchor="middle"))
        if lo > low:
            d.add(Line(xs(lo), y0, xs(lo), y1 + size * 0.3, strokeColor=MUTED, strokeWidth=0.5,
                       strokeDashArray=[2, 2]))
    weakest = {u.unsur for u in res.weakest(3)} if mark_weakest else set()
    for i, u in enumerate(res.unsur):
        yc = y1 - (i + 0.5) * row_h
        d.add(String(x0 - 4, yc - size * 0.35, clip(labels[i], FONT, size, label_w - 4), fontName=FONT,
                     fontSize=size, fillColor=INK, textAnchor="end"))
        bar_h = row_h * 0.62
        if u.nrr is None:
            d.add(String(x0 + 3, yc - size * 0.35, "tidak ada jawaban", fontName=FONT, fontSize=size * 0.9,
                         fillColor=MUTED))
            continue
        v = float(u.nrr)
        weak = u.unsur in weakest
        d.add(Rect(x0, yc - bar_h / 2, xs(v) - x0, bar_h, fillColor=BAR_WEAK if weak else BAR,
                   strokeColor=colors.black if weak else None, strokeWidth=0.8))
        text = dec(u.nrr, places)
        font = FONT_BOLD if weak else FONT
        d.add(Rect(xs(v) + 1.5, yc - size * 0.6, stringWidth(text, font, size) + 3, size * 1.2,
                   fillColor=colors.white, strokeColor=None))  # the value stays legible over a threshold
        d.add(String(xs(v) + 3, yc - size * 0.35, text, fontName=font, fontSize=size, fillColor=INK))
    # the scale below
    d.add(Line(x0, y0, x1, y0, strokeColor=INK, strokeWidth=0.6))
    tick = low
    while tick <= 4.0001:
        d.add(Line(xs(tick), y0, xs(tick), y0 - 2.5, strokeColor=INK, strokeWidth=0.6))
        d.add(String(xs(tick), y0 - size * 1.25, dec(Decimal(str(tick)), 1), fontName=FONT, fontSize=size * 0.9,
                     fillColor=INK, textAnchor="middle"))
        tick += 0.5
    return d


def trend_chart(report: SurveyReport, width: float, height: float, *, size: float = 7.5) -> Drawing:
    """The IKM of each period up to this one: a line over the grade thresholds, each point with its value."""
    points = [p for p in report.trend if p.ikm is not None]
    d = Drawing(width, height)
    values = [float(p.ikm) for p in points]  # type: ignore[arg-type]
    low = min(60.0, (min(values) // 5) * 5 if values else 60.0)
    x0, x1 = size * 3.2, width - size * 2.5
    y0, y1 = size * 3.0, height - size * 1.2

    def ys(v: float) -> float:
        return y0 + (v - low) / (100.0 - low) * (y1 - y0)

    d.add(Rect(x0, y0, x1 - x0, y1 - y0, fillColor=None, strokeColor=MUTED, strokeWidth=0.5))
    for tick in range(int(low), 101, 10):
        d.add(String(x0 - 3, ys(tick) - size * 0.35, str(tick), fontName=FONT, fontSize=size * 0.9, fillColor=INK,
                     textAnchor="end"))
        d.add(Line(x0 - 2, ys(tick), x0, ys(tick), strokeColor=INK, strokeWidth=0.5))
    for threshold, letter in IKM_THRESHOLDS:
        if threshold > low:
            d.add(Line(x0, ys(threshold), x1, ys(threshold), strokeColor=MUTED, strokeWidth=0.5,
                       strokeDashArray=[3, 2]))
            d.add(String(x1 + 3, ys(threshold) + 1, letter, fontName=FONT_BOLD, fontSize=size, fillColor=INK))
    n = len(points)
    step = (x1 - x0) / n
    coords = []
    for i, p in enumerate(points):
        x, y = x0 + step * (i + 0.5), ys(float(p.ikm))  # type: ignore[arg-type]
        coords.append((x, y))
        name = clip(p.name, FONT, size * 0.9, step - 2)
        d.add(String(x, y0 - size * 1.3, name, fontName=FONT, fontSize=size * 0.9, fillColor=INK,
                     textAnchor="middle"))
    if len(coords) > 1:
        d.add(PolyLine([v for c in coords for v in c], strokeColor=BAR, strokeWidth=1.6))
    for (x, y), p in zip(coords, points, strict=True):
        d.add(Rect(x - 2.5, y - 2.5, 5, 5, fillColor=colors.white, strokeColor=BAR, strokeWidth=1.4))
        d.add(String(x, y + 5, f"{dec(p.ikm, 2)} ({p.mutu})", fontName=FONT_BOLD, fontSize=size, fillColor=INK,
                     textAnchor="middle"))
    return d


def share_bar(part: int, whole: int, width: float, height: float) -> Drawing:
    """A small bar of ``part`` out of ``whole`` for the profile tables."""
    d = Drawing(width, height)
    d.add(Rect(0, 1, width, height - 2, fillColor=colors.HexColor("#EEF1F5"), strokeColor=None))
    if whole:
        d.add(Rect(0, 1, width * part / whole, height - 2, fillColor=BAR, strokeColor=None))
    return d


# --- the report -----------------------------------------------------------------------------------

def build_report(report: SurveyReport, target) -> None:
    """*Laporan Hasil SKM*: portrait on the report's paper, sections 1–4 and the head's signature."""
    from pathlib import Path

    from reportlab.platypus import CondPageBreak, KeepTogether, Spacer, Table, TableStyle

    from mpp_planner.model.paper import paper as paper_named
    from mpp_planner.reports import pdf
    from mpp_planner.reports.pdf import P, esc

    if isinstance(target, Path):
        target = str(target)
    site = report.site
    res = report.result
    doc = pdf.SheetDoc(target, title=f"Laporan Hasil SKM {report.period} — {site.name}",
                       footer_left=f"Laporan Hasil SKM · {site.name} · {report.period}",
                       pagesize=paper_named(report.paper).points)
    width = doc.body_width
    n = res.respondents

    def heading(text: str):
        return P(f"<b>{esc(text)}</b>", "body")

    def gap(h=3):
        return Spacer(1, h * mm)

    def story():
        flow = list(pdf.letterhead(site, width))
        flow.append(P("LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT (SKM)", "title"))
        flow.append(P(f"{esc(site.name.upper())}<br/>Periode {esc(report.period_text)}", "subtitle"))
        flow.append(_summary_box(report, width))
        flow.append(gap(5))

        # 1. Metode
        method = [heading("1. Metode"), gap(1.5), P(
            "Survei dilaksanakan menurut Peraturan Menteri PANRB Nomor 14 Tahun 2017 tentang Pedoman Penyusunan "
            "Survei Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik. Kuesioner memuat sembilan unsur "
            "pelayanan; setiap unsur dinilai responden dengan skala 1 sampai 4. Nilai rata-rata unsur (NRR) "
            "adalah jumlah nilai dibagi jumlah responden yang menjawab unsur itu; setiap NRR diberi bobot yang "
            "sama, 1/9. Nilai indeks adalah jumlah NRR tertimbang (skala 1–4), dan IKM = nilai indeks × 25 "
            "(skala 25–100). Perhitungan memakai pecahan eksak dan dibulatkan satu kali pada akhir (IKM dua "
            "angka desimal).", "body"), gap(2)]
        rows = [[P(h, "head") for h in ("Nilai persepsi", "Nilai interval (NI)", "Nilai interval konversi (NIK)",
                                         "Mutu pelayanan", "Kinerja unit pelayanan")]]
        for values in INTERVALS:
            rows.append([P(esc(v), "cell_center") for v in values])
        col = width / 5
        method.append(pdf.header_table(rows, [col] * 5))
        method.append(gap(2))
        method.append(P(esc(_sample_text(report)), "body"))
        flow.append(KeepTogether(method))
        flow.append(gap(5))

        # 2. Profil responden
        flow.append(CondPageBreak(60 * mm))
        flow.append(heading("2. Profil responden"))
        flow.append(gap(1.5))
        flow.append(P(f"Jumlah responden: <b>{dec(n, 0)}</b> orang (formulir yang memuat sekurang-kurangnya satu "
                      "jawaban).", "body"))
        flow.append(gap(2))
        tables = [_profile_table(title, report.profile[key], n, (width - 6 * mm) / 2) for key, title in PROFILE_TITLES]
        grid = Table([[tables[0], tables[1]], [tables[2], tables[3]]], colWidths=[width / 2] * 2)
        grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                  ("RIGHTPADDING", (0, 0), (-1, -1), 6 * mm / 2),
                                  ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm)]))
        flow.append(grid)
        flow.append(gap(3))

        # 3. Hasil
        flow.append(CondPageBreak(90 * mm))
        flow.append(heading("3. Hasil survei"))
        flow.append(gap(1.5))
        flow.append(_nrr_table(report, width))
        flow.append(gap(2))
        ikm_text = dec(res.ikm, 2)
        flow.append(P(f"Nilai indeks = {dec(res.index, 4)}; IKM = nilai indeks × 25 = <b>{ikm_text}</b>. "
                      f"Mutu pelayanan <b>{res.mutu}</b> (kinerja unit pelayanan <b>{res.kinerja}</b>).", "body"))
        flow.append(gap(3))
        chart = nrr_chart(report, width, 68 * mm)
        flow.append(KeepTogether([P("<b>Grafik 1.</b> Nilai rata-rata (NRR) per unsur dengan batas mutu "
                                    "pelayanan (huruf A–D di atas grafik); tiga unsur terendah berwarna merah, "
                                    "bergaris tepi dan nilainya dicetak tebal.",
                                    "small"), gap(1), chart]))
        figure = 2
        if len(report.trend) > 1:
            flow.append(gap(4))
            flow.append(KeepTogether([P(f"<b>Grafik {figure}.</b> Perkembangan IKM per periode survei "
                                        "(garis putus-putus: batas mutu C, B dan A).", "small"), gap(1),
                                      trend_chart(report, width, 52 * mm)]))
            figure += 1
        if report.by_agency:
            flow.append(gap(4))
            flow.append(CondPageBreak(40 * mm))
            flow.append(P("<b>IKM per instansi</b> (formulir yang menyebut instansi yang dilayani)", "body"))
            flow.append(gap(1.5))
            flow.append(_group_table(report, width, "Instansi"))
        flow.append(gap(5))

        # 4. Unsur terlemah dan tindak lanjut
        weak = res.weakest(3)
        block = [heading("4. Unsur dengan nilai terendah dan rencana tindak lanjut"), gap(1.5)]
        rows = [[P(h, "head") for h in ("Peringkat", "Unsur", "NRR", "IKM unsur", "Mutu")]]
        for rank, u in enumerate(weak, start=1):
            rows.append([P(str(rank), "cell_center"), P(f"U{u.unsur} {esc(report.unsur_name(u.unsur))}", "cell"),
                         P(dec(u.nrr, 4), "cell_right"), P(dec(None if u.nrr is None else u.nrr * 25, 2), "cell_right"),
                         P(unsur_grade(u.nrr), "cell_center")])
        block.append(pdf.header_table(rows, [18 * mm, width - 18 * mm - 3 * 24 * mm, 24 * mm, 24 * mm, 24 * mm]))
        flow.append(KeepTogether(block))
        flow.append(gap(3))
        if report.actions:
            table = _actions_table(report, width)
            flow.append(KeepTogether([P("Rencana tindak lanjut periode ini:", "body"), gap(1.5), table]))
        else:
            flow.append(P("Belum ada rencana tindak lanjut yang dicatat untuk periode ini.", "body"))

        # signature: the head of office, at the right
        flow.append(gap(8))
        flow.append(CondPageBreak(45 * mm))
        signer = pdf.signer_from(report.head, report.place_and_date)
        sign = Table([["", pdf.signature_block([signer], width / 2)]], colWidths=[width / 2] * 2)
        sign.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        flow.append(sign)
        return flow

    doc.build_story(story)


def _sample_text(report: SurveyReport) -> str:
    n = report.result.respondents
    if not report.population:
        return (f"Jumlah responden {dec(n, 0)} orang. Jumlah pengguna layanan pada periode ini tidak dicatat, "
                "sehingga kecukupan sampel menurut tabel Krejcie–Morgan tidak dinilai.")
    minimum = report.minimum or 0
    verdict = "memenuhi" if n >= minimum else f"belum memenuhi (kurang {dec(minimum - n, 0)} responden)"
    return (f"Jumlah pengguna layanan (populasi) {dec(report.population, 0)} orang; sampel minimum menurut tabel "
            f"Krejcie–Morgan {dec(minimum, 0)} responden. Jumlah responden {dec(n, 0)} orang: {verdict} "
            "sampel minimum.")


def _summary_box(report: SurveyReport, width: float):
    """The result in one boxed line: IKM, mutu, kinerja, respondents."""
    from reportlab.platypus import Table, TableStyle

    from mpp_planner.reports.pdf import STYLES, P

    res = report.result
    big = STYLES["title"].clone("big", fontSize=20, leading=24)
    from reportlab.platypus import Paragraph

    cells = [[P("IKM", "head"), P("Mutu pelayanan", "head"), P("Kinerja unit pelayanan", "head"),
              P("Responden", "head")],
             [Paragraph(dec(res.ikm, 2), big), Paragraph(res.mutu, big),
              Paragraph(res.kinerja, STYLES["title"]), Paragraph(dec(res.respondents, 0), STYLES["title"])]]
    table = Table(cells, colWidths=[width / 4] * 4)
    table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.2, INK), ("INNERGRID", (0, 0), (-1, -1), 0.5, MUTED),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E4E9F0")),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 1), (-1, 1), 5),
                               ("BOTTOMPADDING", (0, 1), (-1, 1), 7)]))
    return table


def _profile_table(title: str, values: list[tuple[str, int]], whole: int, width: float):
    from mpp_planner.reports import pdf
    from mpp_planner.reports.pdf import P, esc

    bar_w = 24 * mm
    rows = [[P(esc(title), "head"), P("Jumlah", "head"), P("%", "head"), P("", "head")]]
    for value, count in values:
        style = "cell" if value != NOT_GIVEN else "cell"
        rows.append([P(esc(value) if value != NOT_GIVEN else f"<i>{esc(value)}</i>", style),
                     P(dec(count, 0), "cell_right"), P(percent(count, whole), "cell_right"),
                     share_bar(count, whole, bar_w, 8)])
    rows.append([P("Jumlah", "cell_bold"), P(dec(whole, 0), "cell_bold_right"), P("100,0%", "cell_bold_right"),
                 P("", "cell")])
    widths = [width - bar_w - 2 * 15 * mm - 6, 15 * mm, 15 * mm, bar_w + 6]
    return pdf.header_table(rows, widths, extra_styles=[("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
                                                        ("BACKGROUND", (0, -1), (-1, -1), pdf.SUBTOTAL_BG)])


def _nrr_table(report: SurveyReport, width: float):
    from mpp_planner.reports import pdf
    from mpp_planner.reports.pdf import P, esc

    res = report.result
    heads = ("No", "Unsur pelayanan", "Jumlah nilai", "Responden menjawab", "NRR", "NRR tertimbang (NRR × 1/9)",
             "Mutu unsur")
    rows = [[P(h, "head") for h in heads]]
    for u in res.unsur:
        rows.append([P(str(u.unsur), "cell_center"), P(esc(report.unsur_name(u.unsur)), "cell"),
                     P(dec(u.total, 0), "cell_right"), P(dec(u.answered, 0), "cell_right"),
                     P(dec(u.nrr_decimal, 4), "cell_right"), P(dec(u.weighted, 4), "cell_right"),
                     P(unsur_grade(u.nrr), "cell_center")])
    rows.append([P("", "cell"), P("Nilai indeks (jumlah NRR tertimbang)", "cell_bold"), P("", "cell"), P("", "cell"),
                 P("", "cell"), P(dec(res.index, 4), "cell_bold_right"), P("", "cell")])
    rows.append([P("", "cell"), P("IKM = nilai indeks × 25", "cell_bold"), P("", "cell"), P("", "cell"),
                 P("", "cell"), P(dec(res.ikm, 2), "cell_bold_right"), P(res.mutu, "cell_bold")])
    fixed = [9 * mm, 20 * mm, 22 * mm, 20 * mm, 30 * mm, 16 * mm]
    widths = [fixed[0], width - sum(fixed), *fixed[1:]]
    return pdf.header_table(rows, widths, extra_styles=[
        ("BACKGROUND", (0, -2), (-1, -1), pdf.SUBTOTAL_BG), ("VALIGN", (0, 1), (-1, -1), "MIDDLE")])


def _group_table(report: SurveyReport, width: float, what: str):
    from mpp_planner.reports import pdf
    from mpp_planner.reports.pdf import P, esc

    rows = [[P(h, "head") for h in (what, "Responden", "IKM", "Mutu", "Kinerja")]]
    for g in report.by_agency:
        r = g.result
        label = f"<i>{esc(g.label)}</i>" if g.label == NOT_GIVEN else esc(g.label)
        rows.append([P(label, "cell"), P(dec(r.respondents, 0), "cell_right"), P(dec(r.ikm, 2), "cell_right"),
                     P(r.mutu, "cell_center"), P(r.kinerja, "cell")])
    fixed = [22 * mm, 20 * mm, 16 * mm, 28 * mm]
    return pdf.header_table(rows, [width - sum(fixed), *fixed])


def _actions_table(report: SurveyReport, width: float):
    from mpp_planner.reports import pdf
    from mpp_planner.reports.pdf import P, esc

    rows = [[P(h, "head") for h in ("Unsur", "Tindakan", "Penanggung jawab", "Tenggat", "Status")]]
    for a in report.actions:
        rows.append([P(f"U{a.unsur} {esc(report.unsur_name(a.unsur))}", "cell"), P(esc(a.action), "cell"),
                     P(esc(a.owner) or "-", "cell"),
                     P(long_date(a.deadline, lang="id") if a.deadline else "-", "cell"),
                     P(esc(STATUS_ID.get(a.status, a.status)), "cell")])
    fixed = [38 * mm, 32 * mm, 28 * mm, 26 * mm]
    return pdf.header_table(rows, [fixed[0], width - sum(fixed), *fixed[1:]])


# --- the poster -----------------------------------------------------------------------------------

def build_poster(report: SurveyReport, target) -> None:
    """One portrait page for the service hall: the MPP, the period, the IKM very large, the mutu, the grade
    scale (the achieved grade boxed in black), the respondents, NRR per unsur and a thank-you line."""
    from pathlib import Path

    from reportlab.graphics import renderPDF
    from reportlab.pdfgen.canvas import Canvas

    from mpp_planner.model.paper import paper as paper_named

    if isinstance(target, Path):
        target = str(target)
    site, res = report.site, report.result
    w, h = paper_named(report.paper).points
    c = Canvas(target, pagesize=(w, h))
    c.setTitle(f"IKM {report.period} — {site.name}")
    c.setAuthor("MPP Planner")
    margin = 16 * mm
    inner = w - 2 * margin

    def centred(text: str, y: float, font: str, size: float, colour=INK) -> None:
        size = fit_size(text, font, size, inner)
        c.setFont(font, size)
        c.setFillColor(colour)
        c.drawCentredString(w / 2, y, text)

    # the band at the top: government and the MPP
    band = 34 * mm
    c.setFillColor(INK)
    c.rect(0, h - band, w, band, stroke=0, fill=1)
    gov = site.government_name or ""
    if gov:
        centred(gov.upper(), h - 13 * mm, FONT_BOLD, 14, colors.white)
    centred(site.name.upper(), h - (25 if gov else 20) * mm, FONT_BOLD, 22, colors.white)

    y = h - band - 17 * mm
    centred("INDEKS KEPUASAN MASYARAKAT (IKM)", y, FONT_BOLD, 30)
    y -= 11 * mm
    centred(f"Periode {report.period}", y, FONT, 18)
    if report.start_date and report.end_date:
        y -= 7 * mm
        centred(f"{long_date(report.start_date, lang='id')} – {long_date(report.end_date, lang='id')}", y, FONT, 12,
                MUTED)

    # the IKM, very large, in a box
    box_h = 62 * mm
    y -= 8 * mm + box_h
    c.setStrokeColor(INK)
    c.setLineWidth(3)
    c.roundRect(margin + inner * 0.12, y, inner * 0.76, box_h, 6 * mm, stroke=1, fill=0)
    c.setFillColor(INK)
    c.setFont(FONT_BOLD, 118)
    c.drawCentredString(w / 2, y + box_h * 0.27, dec(res.ikm, 2))
    c.setFont(FONT, 13)
    c.drawCentredString(w / 2, y + 6 * mm, "nilai IKM (skala 25–100)")

    y -= 15 * mm
    centred(f"Mutu Pelayanan: {res.mutu} ({res.kinerja})", y, FONT_BOLD, 30)
    y -= 6 * mm
    _grade_scale(c, res.mutu, margin + inner * 0.08, y - 15 * mm, inner * 0.84, 15 * mm)
    y -= 15 * mm + 11 * mm
    centred(f"Berdasarkan {dec(res.respondents, 0)} responden survei kepuasan masyarakat", y, FONT, 15)

    # NRR per unsur, compact
    y -= 9 * mm
    c.setFont(FONT_BOLD, 13)
    c.setFillColor(INK)
    c.drawString(margin, y, "Nilai rata-rata per unsur pelayanan (skala 1–4)")
    footer_top = 34 * mm
    chart_h = y - 3 * mm - footer_top
    if chart_h > 40 * mm:
        chart = nrr_chart(report, inner, chart_h, size=min(11.0, chart_h / 9 / 2.0), places=2,
                          mark_weakest=False)
        renderPDF.draw(chart, c, margin, footer_top)

    # the thank-you line and the date
    c.setStrokeColor(INK)
    c.setLineWidth(1)
    c.line(margin, footer_top - 3 * mm, w - margin, footer_top - 3 * mm)
    centred("Terima kasih atas partisipasi Anda", footer_top - 14 * mm, FONT_BOLD, 20)
    published = report.place_and_date
    centred(f"{published} · Survei menurut PermenPANRB Nomor 14 Tahun 2017", footer_top - 22 * mm, FONT, 10, MUTED)
    c.showPage()
    c.save()


def _grade_scale(c, mutu: str, x: float, y: float, width: float, height: float) -> None:
    """Four boxes D C B A with their IKM ranges; the achieved one filled dark, its text white, a thick
    border — readable without colour."""
    ranges = {"D": "25,00–64,99", "C": "65,00–76,60", "B": "76,61–88,30", "A": "88,31–100"}
    box_w = width / 4
    for i, letter in enumerate(("D", "C", "B", "A")):
        bx = x + i * box_w
        achieved = letter == mutu
        c.setLineWidth(3 if achieved else 0.8)
        c.setStrokeColor(INK)
        c.setFillColor(INK if achieved else colors.white)
        c.rect(bx + 1.5, y, box_w - 3, height, stroke=1, fill=1)
        c.setFillColor(colors.white if achieved else INK)
        c.setFont(FONT_BOLD, 16)
        c.drawCentredString(bx + box_w / 2, y + height * 0.52, letter)
        c.setFont(FONT, 9)
        c.drawCentredString(bx + box_w / 2, y + height * 0.16, ranges[letter])
