"""PEKPPP self-assessment sheet: aspect, indicator, score, evidence, next step, and the score once the open
needs are bought ("setelah usulan"); PDF with letterhead and signatures, XLSX, or CSV. Printed in Indonesian."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mpp_planner.formats import long_date
from mpp_planner.i18n import N_, _
from mpp_planner.reports.output import add_paper_argument, date_option, iso_date

if TYPE_CHECKING:
    from mpp_planner.standards.assessment import Assessment

FORMATS = ("pdf", "xlsx", "csv")
HELP = N_("the PEKPPP self-assessment: scores, evidence, next steps, before and after the planned needs")
HEADER = ("Aspek", "Indikator", "Nilai", "Nilai setelah usulan", "Bukti", "Langkah berikutnya")


def add_arguments(parser) -> None:
    parser.add_argument("--rules", metavar="RULES.toml",
                        help=_("assessment instrument to use (default: the shipped one)"))
    parser.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD",
                        help=_("date printed on the report (default: today)"))
    add_paper_argument(parser)


@dataclass
class Report:
    site: Any
    before: Assessment
    after: Assessment  # with the open needs counted as bought
    when: date
    paper: str = "A4"
    head: object | None = None
    proposer: object | None = None

    def rows(self) -> list[list[str]]:
        out = []
        for b in self.before.indicators:
            a = self.after.result(b.key)
            out.append([self.before.aspects[b.aspect].name, b.name, f"{b.score}/{b.max_score}",
                        f"{a.score}/{a.max_score}", "; ".join(b.evidence) or "-", b.next_step_id or "-"])
        return out


def collect(project, rules=None, when: date | None = None, paper: str | None = None) -> Report:
    from sqlalchemy import select

    from mpp_planner.model import Signatory
    from mpp_planner.model.paper import SHEET_PAPERS, clean_paper
    from mpp_planner.standards.assessment import Instrument, assess, load_instrument

    site = project.site
    paper_name = clean_paper(paper if paper else getattr(site, "paper", None) or "A4", SHEET_PAPERS)
    instrument = rules if isinstance(rules, Instrument) else load_instrument(rules)
    signers = {sig.role: sig for sig in project.session.scalars(
        select(Signatory).where(Signatory.role.in_(("head", "proposer"))))}
    return Report(site, assess(project, instrument), assess(project, instrument, assume_open_needs_met=True),
                  when or date.today(), paper_name, signers.get("head"), signers.get("proposer"))


def write(project, out: Path, fmt: str, *, rules=None, paper: str | None = None,
          sign_date: date | None = None) -> Path:
    """Write the sheet in ``fmt`` (``FORMATS``) atomically; a broken instrument raises RuleFileError."""
    from mpp_planner.reports.output import write_atomically

    report = collect(project, rules, sign_date, paper)
    if fmt == "pdf":
        return write_atomically(out, lambda tmp: write_pdf(report, tmp))
    if fmt == "xlsx":
        return write_atomically(out, lambda tmp: write_xlsx(report, tmp))
    if fmt == "csv":
        return write_csv_file(report, out)
    raise ValueError(_("Unknown format '{fmt}'.").format(fmt=fmt))


def export(project, out: Path, fmt: str, args) -> None:
    from mpp_planner.standards.ruleset import RuleFileError

    try:
        write(project, out, fmt, rules=getattr(args, "rules", None), paper=getattr(args, "paper", None),
              sign_date=date_option(args))
    except RuleFileError as exc:
        raise ValueError(str(exc)) from None


def summary_line(report: Report) -> str:
    b, a = report.before, report.after
    return (f"Jumlah nilai {b.total}/{b.max_total} (indeks tertimbang {b.weighted_index}/5); "
            f"setelah usulan dipenuhi {a.total}/{a.max_total} (indeks {a.weighted_index}/5).")


def write_pdf(report: Report, path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, Spacer

    from mpp_planner.model.paper import PAPERS
    from mpp_planner.reports.pdf import (P, SheetDoc, esc, header_table, letterhead, place_and_date, signature_block,
                                         signer_from)

    site = report.site
    # landscape: the evidence of a well-equipped waiting room is a long list; it needs the width
    doc = SheetDoc(str(path), title=f"Penilaian Mandiri PEKPPP — {site.name}", orientation="landscape",
                   footer_left=f"Penilaian mandiri PEKPPP · {site.name}", pagesize=PAPERS[report.paper].points)
    width = doc.body_width

    def story():
        flow = letterhead(site, width)
        flow.append(P("PENILAIAN MANDIRI PEMANTAUAN DAN EVALUASI KINERJA PENYELENGGARAAN PELAYANAN PUBLIK", "title"))
        flow.append(P(f"{esc(site.name.upper())}<br/>Keadaan per {long_date(report.when, lang='id')}", "subtitle"))
        widths = [26 * mm, 42 * mm, 13 * mm, 16 * mm]
        widths += [(width - sum(widths)) * 0.62, (width - sum(widths)) * 0.38]
        rows = [[P(h, "head") for h in HEADER]]
        for r in report.rows():
            rows.append([P(esc(r[0]), "cell"), P(esc(r[1]), "cell"), P(r[2], "cell_right"), P(r[3], "cell_right"),
                         P(esc(r[4]), "cell"), P(esc(r[5]), "cell")])
        b, a = report.before, report.after
        rows.append([P("Jumlah", "cell_bold"), P("", "cell"), P(f"{b.total}/{b.max_total}", "cell_bold_right"),
                     P(f"{a.total}/{a.max_total}", "cell_bold_right"),
                     P(f"Indeks tertimbang {b.weighted_index}/5; setelah usulan {a.weighted_index}/5", "cell"),
                     P("", "cell")])
        flow.append(header_table(rows, widths, extra_styles=[
            ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), colors.HexColor("#F3F5F8"))]))
        flow.append(Spacer(1, 3 * mm))
        flow.append(P("Nilai 0–5 per indikator dihitung dari denah, inventaris (kondisi B/KB), daftar periksa dan "
                      "SKM. \"Nilai setelah usulan\": nilai bila seluruh usulan kebutuhan yang tercatat dipenuhi. "
                      "Bobot aspek mengikuti berkas instrumen dan perlu disesuaikan dengan instrumen evaluator.",
                      "small"))
        flow.append(Spacer(1, 6 * mm))
        flow.append(CondPageBreak(48 * mm))
        flow.append(signature_block([signer_from(report.head, "Mengetahui,"),
                                     signer_from(report.proposer, place_and_date(site, report.when)
                                                 if getattr(site, "city", "") else long_date(report.when, lang="id"))],
                                    width))
        return flow

    doc.build_story(story)


def write_xlsx(report: Report, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from mpp_planner.model.paper import PAPERS
    from mpp_planner.reports.output import xlsx_append
    from mpp_planner.reports.xlsx_page import setup_openpyxl

    wb = Workbook()
    ws = wb.active
    ws.title = "PEKPPP"
    xlsx_append(ws, ["PENILAIAN MANDIRI PEKPPP"])
    xlsx_append(ws, [f"{report.site.name} — keadaan per {long_date(report.when, lang='id')}"])
    ws["A1"].font = Font(bold=True, size=12)
    header_row = xlsx_append(ws, list(HEADER))
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    for r in report.rows():
        row = xlsx_append(ws, r)
        for cell in ws[row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    b, a = report.before, report.after
    total = xlsx_append(ws, ["Jumlah", "", f"{b.total}/{b.max_total}", f"{a.total}/{a.max_total}",
                             f"Indeks tertimbang {b.weighted_index}/5; setelah usulan {a.weighted_index}/5", ""])
    for cell in ws[total]:
        cell.font = Font(bold=True)
    for col, w in zip("ABCDEF", (22, 36, 8, 10, 60, 45)):
        ws.column_dimensions[col].width = w
    setup_openpyxl(ws, header_row, header_row, PAPERS[report.paper].xlsx_index)
    wb.save(path)


def write_csv_file(report: Report, path: Path) -> Path:
    from mpp_planner.reports.output import write_csv

    b, a = report.before, report.after
    rows = report.rows() + [["Jumlah", "", f"{b.total}/{b.max_total}", f"{a.total}/{a.max_total}", "", ""]]
    return write_csv(path, HEADER, rows)
