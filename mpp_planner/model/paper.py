"""Paper sizes of printed sheets (MPP_REFERENCE §9): A4 and F4/Folio for every official sheet, A3 and A2
also for plan drawings. One table for the PDF page size, the spreadsheet page setup and the printer."""

from __future__ import annotations

from dataclasses import dataclass

from mpp_planner.i18n import _
from mpp_planner.model.base import ValidationError, one_line

MM_PER_POINT = 25.4 / 72


@dataclass(frozen=True)
class Paper:
    name: str
    width_mm: float  # portrait
    height_mm: float
    xlsx_index: int  # the spreadsheet page-setup paper number (ECMA-376)
    qt_page_size: str  # the name in Qt's QPageSize.PageSizeId

    @property
    def points(self) -> tuple[float, float]:
        """Portrait (width, height) in PostScript points, as ReportLab wants a page size."""
        return self.width_mm / MM_PER_POINT, self.height_mm / MM_PER_POINT

    def landscape(self) -> tuple[float, float]:
        w, h = self.points
        return h, w


PAPERS: dict[str, Paper] = {
    "A4": Paper("A4", 210.0, 297.0, 9, "A4"),
    # F4 / Folio, 215 x 330 mm (8,5 x 13 in); Qt calls the 8,5 x 13 in sheet FanFoldGermanLegal
    "F4": Paper("F4", 215.0, 330.0, 14, "FanFoldGermanLegal"),
    "A3": Paper("A3", 297.0, 420.0, 8, "A3"),
    "A2": Paper("A2", 420.0, 594.0, 66, "A2"),
}
#: papers for official sheets (budget, KIR, allocation list, findings, survey, assessment)
SHEET_PAPERS = ("A4", "F4")
#: plan drawings may also go on large paper
PLAN_PAPERS = ("A4", "F4", "A3", "A2")
DEFAULT_PAPER = "A4"


def clean_paper(value, allowed: tuple[str, ...] = SHEET_PAPERS, field: str = "paper") -> str:
    """A paper name such as ``F4`` (case and spaces ignored); anything else is refused with the choices."""
    name = one_line(value).upper().replace(" ", "")
    if name == "FOLIO":
        name = "F4"
    if name not in allowed:
        raise ValidationError(field, _("Unknown paper '{value}' (choose {allowed}).").format(
            value=value, allowed=", ".join(allowed)))
    return name


def paper(name: str | None, allowed: tuple[str, ...] = SHEET_PAPERS) -> Paper:
    return PAPERS[clean_paper(name or DEFAULT_PAPER, allowed)]
