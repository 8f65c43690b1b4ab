"""Facility standards findings: PDF grouped by severity, each with a plan excerpt of the room
concerned (drawn from the model with reportlab.graphics), ending with the signatures; or CSV.

Fixed labels are Indonesian (printed sheets always are); the finding messages are rendered
through the Indonesian gettext catalogue (English msgids where it has no translation yet). Rules
are named by their Indonesian names (``name_id`` in the rule file), never by their internal ids;
counts read as Indonesian writes them ("3 unit Kamera CCTV", never "3 × cctv").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from mpp_planner.formats import long_date, number, rupiah
from mpp_planner.i18n import N_, _
from mpp_planner.model import geometry
from mpp_planner.reports.output import add_paper_argument, date_option, iso_date

FORMATS = ("pdf", "csv")
HELP = N_("the facility standards findings, grouped by severity, with plan excerpts")

SEVERITY_COLOURS = {"high": ("#C0392B", "#FADBD8"), "medium": ("#E67E22", "#FDEBD0"), "low": ("#B7950B", "#FCF3CF")}
SEVERITY_TITLES = {"high": "Prioritas Tinggi", "medium": "Prioritas Sedang", "low": "Prioritas Rendah"}


def add_arguments(parser) -> None:
    parser.add_argument("--rules", metavar="RULES.toml",
                        help=_("rule file to check against (default: the shipped one)"))
    parser.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD",
                        help=_("date printed on the report (default: today)"))
    add_paper_argument(parser)


@dataclass
class Report:
    site: object
    findings: list
    ctx: object  # standards.context.CheckContext
    when: date
    item_types: dict
    paper: str = "A4"
    head: object | None = None  # Signatory "head": Mengetahui
    proposer: object | None = None  # Signatory "proposer": place, date and the one who reports

    @property
    def ppn_rate(self) -> Decimal:
        return Decimal(getattr(self.site, "ppn_rate", 0) or 0)


def collect(project, rules=None, when: date | None = None, paper: str | None = None) -> Report:
    """Check ``project`` and gather what the sheet prints; an unknown ``paper`` is refused
    (ValidationError) before anything is checked."""
    from sqlalchemy import select

    from mpp_planner.model import Signatory
    from mpp_planner.model.paper import SHEET_PAPERS, clean_paper
    from mpp_planner.standards import load_rules, run_rules
    from mpp_planner.standards.context import CheckContext

    site = project.site
    paper_name = clean_paper(paper if paper else getattr(site, "paper", None) or "A4", SHEET_PAPERS)
    ruleset = load_rules(rules)
    ctx = CheckContext.load(project)
    signers = {sig.role: sig for sig in project.session.scalars(
        select(Signatory).where(Signatory.role.in_(("head", "proposer"))))}
    return Report(site, run_rules(ruleset, ctx), ctx, when or date.today(), ctx.item_types, paper_name,
                  signers.get("head"), signers.get("proposer"))


def export(project, out: Path, fmt: str, args) -> None:
    from mpp_planner.reports.output import write_atomically
    from mpp_planner.standards import RuleFileError

    when = date_option(args)
    try:
        report = collect(project, getattr(args, "rules", None), when, getattr(args, "paper", None))
    except RuleFileError as exc:
        raise ValueError(str(exc)) from None
    if fmt == "pdf":
        write_atomically(out, lambda tmp: write_pdf(report, tmp))
    else:
        write_csv_file(report, out)


# --- words ----------------------------------------------------------------------------------

_TIMES = re.compile(r"(\{\w+\}) × (\{\w+\})")


def sheet_gettext(tr):
    """``tr`` (the Indonesian catalogue) with counts written before what they count, as Indonesian
    does ("memiliki 1 kamera CCTV"), also for a rule file whose own texts still say "{have} × {what}"."""
    return lambda msgid: _TIMES.sub(r"\1 \2", tr(msgid))


def sheet_message(finding, tr) -> str:
    """The finding's message as the sheet prints it (Indonesian, counts in words)."""
    return finding.render(sheet_gettext(tr), "id")


def count_words(sug, item_types, lang: str | None = "id") -> str:
    """"3 unit Kursi Tunggu 4 Dudukan": quantity, the catalog unit and name; an item the catalog
    does not hold reads "3 kursi tunggu" (its key in words)."""
    q = sug.quantity
    qty = number(q, 0 if q == q.to_integral_value() else 2, lang=lang)
    it = item_types.get(sug.item_key)
    if it is None:
        return f"{qty} {sug.item_key.replace('_', ' ')}"
    unit = (it.unit or "").strip()
    return f"{qty} {unit} {it.name}" if unit else f"{qty} {it.name}"


def suggestion_text(finding, item_types, lang: str = "id") -> tuple[str, Decimal | None]:
    """"1 unit Lemari Es / Kulkas 2 Pintu" and the estimated cost at the reference price (no PPN)."""
    sug = finding.suggestion
    if sug is None:
        return "", None
    it = item_types.get(sug.item_key)
    text = count_words(sug, item_types, lang)
    if it is None:
        return text, None
    return text, (it.ref_price * sug.quantity).quantize(Decimal("0.01"))


def ppn_note(report: Report) -> str:
    """"belum termasuk PPN 11%" when the project charges PPN on its purchases, else ""."""
    rate = report.ppn_rate
    if rate <= 0:
        return ""
    return f"belum termasuk PPN {number(rate, 0 if rate == rate.to_integral_value() else 2, lang='id')}%"


# --- the plan excerpt ----------------------------------------------------------------------

def plan_excerpt(report: Report, finding, width: float, height: float):
    """A small drawing of the floor around the room concerned (``None`` for site-wide findings)."""
    from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
    from reportlab.lib import colors

    ctx = report.ctx
    if finding.floor_id is None:
        return None
    rooms = ctx.rooms_by_floor.get(finding.floor_id, [])
    if not rooms:
        return None
    focus = [ctx.room_by_id[i] for i in ((finding.room_id,) if finding.room_id else ()) if i in ctx.room_by_id]
    related = [ctx.room_by_id[i] for i in finding.related_room_ids if i in ctx.room_by_id]
    counters = [c for c in ctx.counters_by_floor.get(finding.floor_id, [])]
    marked_counters = set(finding.counter_ids)
    shown = focus + related or rooms
    pts = [p for r in shown for p in r.outline]
    bx0, by0, bx1, by1 = geometry.bounds(pts)
    margin = max(2000.0, 0.25 * max(bx1 - bx0, by1 - by0))
    if not (focus or related):
        margin = 500.0
    vx0, vy0, vx1, vy1 = bx0 - margin, by0 - margin, bx1 + margin, by1 + margin
    # keep the drawing's aspect: widen the view in the short direction
    vw, vh = vx1 - vx0, vy1 - vy0
    if vw / vh < width / height:
        extra = vh * width / height - vw
        vx0, vx1 = vx0 - extra / 2, vx1 + extra / 2
    else:
        extra = vw * height / width - vh
        vy0, vy1 = vy0 - extra / 2, vy1 + extra / 2
    scale = width / (vx1 - vx0)

    def tx(p):
        return ((p[0] - vx0) * scale, height - (p[1] - vy0) * scale)

    def poly(points, **kw):
        clipped = geometry.clip_to_box(points, vx0, vy0, vx1, vy1)
        if len(clipped) < 3:
            return None
        flat = [v for p in clipped for v in tx(p)]
        return Polygon(flat, **kw)

    stroke, fill = SEVERITY_COLOURS.get(finding.severity.value, ("#C0392B", "#FADBD8"))
    d = Drawing(width, height)
    d.add(Rect(0, 0, width, height, fillColor=colors.white, strokeColor=colors.HexColor("#999999"),
               strokeWidth=0.5))
    for room in rooms:
        if room in focus or room in related:
            continue
        shape = poly(room.outline, fillColor=colors.HexColor("#F4F5F7"), strokeColor=colors.HexColor("#7F8C8D"),
                     strokeWidth=0.6)
        if shape is not None:
            d.add(shape)
    for room in related:
        shape = poly(room.outline, fillColor=colors.HexColor("#EAF2FB"), strokeColor=colors.HexColor("#2E86C1"),
                     strokeWidth=1.2, strokeDashArray=[3, 2])
        if shape is not None:
            d.add(shape)
    for room in focus:
        shape = poly(room.outline, fillColor=colors.HexColor(fill), strokeColor=colors.HexColor(stroke),
                     strokeWidth=2)
        if shape is not None:
            d.add(shape)
    for c in counters:
        corners = geometry.box_corners(c.x, c.y, c.width, c.depth, c.rotation)
        mark = c.id in marked_counters
        shape = poly(corners, fillColor=colors.HexColor(stroke if mark else "#D5D8DC"),
                     strokeColor=colors.HexColor("#1B2631" if mark else "#566573"), strokeWidth=0.8 if mark else 0.3)
        if shape is not None:
            d.add(shape)
    for room in focus:
        for item in ctx.items_by_room.get(room.id, []):
            if item.x is None or item.y is None:
                continue
            shape = poly(geometry.box_corners(item.x, item.y, item.plan_width, item.plan_depth, item.rotation),
                         fillColor=colors.white, strokeColor=colors.HexColor("#566573"), strokeWidth=0.3)
            if shape is not None:
                d.add(shape)
    if focus and related and finding.rule_id and len(focus) == 1:
        a = tx(geometry.centroid(focus[0].outline))
        for r in related[:1]:
            b = tx(geometry.centroid(r.outline))
            d.add(Line(a[0], a[1], b[0], b[1], strokeColor=colors.HexColor("#2E86C1"), strokeWidth=0.8,
                       strokeDashArray=[2, 2]))
    for room in focus + related:
        cx, cy = tx(geometry.centroid(room.outline))
        if 0 <= cx <= width and 0 <= cy <= height:
            label = room.name if len(room.name) <= 28 else room.name[:27] + "…"
            d.add(Rect(cx - len(label) * 1.75 - 1.5, cy - 2.5, len(label) * 3.5 + 3, 8,
                       fillColor=colors.Color(1, 1, 1, alpha=0.8), strokeColor=None))
            d.add(String(cx, cy, label, fontName="Helvetica-Bold", fontSize=6, textAnchor="middle",
                         fillColor=colors.HexColor("#1B2631")))
    # scale bar: a round number of metres, about a quarter of the width
    metres = (vx1 - vx0) / 1000 / 4
    step = next((s for s in (1, 2, 5, 10, 20, 50, 100) if s >= metres * 0.6), 100)
    bar = step * 1000 * scale
    d.add(Line(4, 4, 4 + bar, 4, strokeColor=colors.black, strokeWidth=1))
    d.add(Line(4, 2.5, 4, 5.5, strokeColor=colors.black, strokeWidth=0.8))
    d.add(Line(4 + bar, 2.5, 4 + bar, 5.5, strokeColor=colors.black, strokeWidth=0.8))
    d.add(String(6 + bar, 2.8, f"{step} m", fontName="Helvetica", fontSize=5.5))
    return d


# --- PDF -----------------------------------------------------------------------------------

def write_pdf(report: Report, path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, KeepTogether, Spacer, Table, TableStyle

    from mpp_planner.model.paper import PAPERS
    from mpp_planner.reports.pdf import (GRID, HEADER_BG, P, SheetDoc, esc, header_table, letterhead, place_and_date,
                                         signature_block, signer_from)
    from mpp_planner.standards import Severity, gettext_for

    tr = gettext_for("id")
    site = report.site
    doc = SheetDoc(str(path), title=f"Hasil Pemeriksaan Standar Sarana dan Prasarana — {site.name}",
                   footer_left=f"Hasil pemeriksaan standar sarana dan prasarana · {site.name}",
                   pagesize=PAPERS[report.paper].points)
    width = doc.body_width
    ex_w, ex_h = 62 * mm, 44 * mm
    no_ppn = ppn_note(report)

    def story():
        flow = letterhead(site, width)
        flow.append(P("HASIL PEMERIKSAAN STANDAR SARANA DAN PRASARANA", "title"))
        flow.append(P(f"{esc(site.name.upper())}<br/>Keadaan per {long_date(report.when, lang='id')}", "subtitle"))
        counts = {s: sum(1 for f in report.findings if f.severity == s) for s in Severity}
        total_cost = sum((suggestion_text(f, report.item_types)[1] or Decimal(0) for f in report.findings),
                         Decimal(0))
        summary = [[P("Tingkat", "head"), P("Jumlah temuan", "head")]]
        for s in Severity:
            summary.append([P(SEVERITY_TITLES[s.value], "cell"), P(str(counts[s]), "cell_right")])
        summary.append([P("Jumlah", "cell_bold"), P(str(len(report.findings)), "cell_bold_right")])
        flow.append(header_table(summary, [60 * mm, 30 * mm], extra_styles=[
            ("BACKGROUND", (0, len(summary) - 1), (-1, len(summary) - 1), colors.HexColor("#F3F5F8"))]))
        flow.append(Spacer(1, 2 * mm))
        if report.findings:
            basis = f"harga referensi SSH, {no_ppn}" if no_ppn else "harga referensi SSH"
            flow.append(P(f"Perkiraan biaya usulan pemenuhan ({basis}): "
                          f"<b>{rupiah(total_cost, lang='id')}</b>. Temuan tanpa usulan barang memerlukan "
                          f"penataan ruang atau tindak lanjut administrasi.", "body"))
        else:
            flow.append(P("Tidak ada temuan: seluruh aturan standar terpenuhi.", "body"))
        number_ = 0
        for s in Severity:
            group = [f for f in report.findings if f.severity == s]
            if not group:
                continue
            stroke, fill = SEVERITY_COLOURS[s.value]
            heading = Table([[P(f"<font color='white'><b>{SEVERITY_TITLES[s.value]} ({len(group)} temuan)</b></font>",
                                "body")]], colWidths=[width])
            heading.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(stroke)),
                                         ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
            blocks = []
            for f in group:
                number_ += 1
                excerpt = plan_excerpt(report, f, ex_w, ex_h)
                sug, cost = suggestion_text(f, report.item_types)
                place = f.place or "Seluruh gedung"
                lines = [P(f"<b>{number_}. {esc(sheet_message(f, tr))}</b>", "body"),
                         P(f"Lokasi: {esc(place)}", "small"),
                         P(f"Aturan: {esc(f.rule_title('id'))}", "small")]
                if sug:
                    cost_text = ""
                    if cost is not None:
                        cost_text = f" — perkiraan {rupiah(cost, lang='id')}" + (f" ({no_ppn})" if no_ppn else "")
                    lines.append(P(f"Usulan kebutuhan: {esc(sug)}{cost_text}", "small"))
                cell = excerpt if excerpt is not None else P("<i>(berlaku untuk seluruh gedung)</i>", "small")
                row = Table([[cell, lines]], colWidths=[ex_w + 4 * mm, width - ex_w - 4 * mm])
                row.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                         ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID),
                                         ("LEFTPADDING", (0, 0), (0, 0), 0),
                                         ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
                blocks.append(row)
            flow.append(Spacer(1, 5 * mm))
            flow.append(KeepTogether([heading, blocks[0]]))
            flow.extend(blocks[1:])
        flow.append(Spacer(1, 4 * mm))
        legend = Table([[P("Keterangan gambar: ruangan yang bersangkutan diberi warna sesuai tingkat temuan; "
                           "ruangan terkait (misalnya ruang bermain anak) bergaris putus-putus biru; loket yang "
                           "belum dialokasikan berwarna sesuai tingkat temuan.", "small")]], colWidths=[width])
        legend.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), HEADER_BG)]))
        flow.append(legend)
        # the signatures: who acknowledges (left) and who reports, with place and date (right)
        flow.append(Spacer(1, 6 * mm))
        flow.append(CondPageBreak(48 * mm))
        flow.append(signature_block([signer_from(report.head, "Mengetahui,"),
                                     signer_from(report.proposer, place_and_date(site, report.when)
                                                 if getattr(site, "city", "") else long_date(report.when, lang="id"))],
                                    width))
        return flow

    doc.build_story(story)


# --- CSV -----------------------------------------------------------------------------------

def write_csv_file(report: Report, path: Path) -> None:
    from mpp_planner.reports.output import write_csv
    from mpp_planner.standards import gettext_for
    from mpp_planner.standards.findings import SEVERITY_ID

    tr = gettext_for("id")
    rows = []
    for f in report.findings:
        sug, cost = suggestion_text(f, report.item_types)
        rows.append([SEVERITY_ID[f.severity], f.rule_title("id"), f.floor_name, f.room_name, sheet_message(f, tr),
                     f.suggestion.item_key if f.suggestion else "",
                     format(f.suggestion.quantity, "f") if f.suggestion else "", sug,
                     format(cost, "f") if cost is not None else ""])
    cost_head = "Perkiraan biaya (Rp)"
    if ppn_note(report):
        cost_head = f"Perkiraan biaya (Rp, {ppn_note(report)})"
    write_csv(path, ("Tingkat", "Aturan", "Lantai", "Ruangan", "Temuan", "Kode barang usulan", "Jumlah usulan",
                     "Usulan kebutuhan", cost_head), rows)
