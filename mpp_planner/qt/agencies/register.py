"""The agency register's table: one row per agency (dragged onto a plan counter to assign it), its
columns (the register's fields with the agency's counters and weekdays), and the search and tier filter."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QMimeData, QSortFilterProxyModel, Qt

from mpp_planner.formats import long_date
from mpp_planner.i18n import _
from mpp_planner.model.agency import Tier
from mpp_planner.qt.agencies.drop import AGENCY_MIME
from mpp_planner.qt.agencies.lines import LineTexts
from mpp_planner.qt.tables import RIGHT, Column, RowTableModel, SortFilterProxy

TIER_ORDER = {t.value: i for i, t in enumerate(Tier)}


def register_columns(texts: Callable[[object], LineTexts]) -> list[Column]:
    """The register's columns; ``texts(agency)`` is what its allocation line shows (:data:`NO_LINE`
    without one), worked out once per reload: the cells only look it up."""
    return [
        Column(_("Name"), lambda a: a.name, width=330),
        Column(_("Short name"), lambda a: a.short_name),
        Column(_("Tier"), lambda a: Tier(a.tier).label, sort=lambda a: TIER_ORDER.get(a.tier, 99)),
        Column(_("Colour"), lambda a: a.colour, colour=lambda a: a.colour),
        Column(_("Counters"), lambda a: texts(a).counters or "—", sort=lambda a: texts(a).slots),
        Column(_("Weekdays"), lambda a: texts(a).weekdays, sort=lambda a: texts(a).days),
        Column(_("Contact person"), lambda a: a.contact_person),
        Column(_("Phone"), lambda a: a.phone),
        Column(_("MoU/PKS number"), lambda a: a.mou_number),
        Column(_("MoU/PKS date"), lambda a: long_date(a.mou_date) if a.mou_date else "",
               sort=lambda a: a.mou_date.isoformat() if a.mou_date else ""),
        Column(_("Services"), lambda a: len(a.services), align=RIGHT,
               tooltip=lambda a: "\n".join(s.name for s in a.services)),
    ]


class AgencyTableModel(RowTableModel):
    """Register rows; a row can be dragged (its agency id travels as :data:`AGENCY_MIME`)."""

    def flags(self, index):
        flags = super().flags(index)
        return flags | Qt.ItemIsDragEnabled if index.isValid() else flags

    def mimeTypes(self):  # noqa: N802
        return [AGENCY_MIME]

    def supportedDragActions(self):  # noqa: N802
        return Qt.CopyAction

    def mimeData(self, indexes):  # noqa: N802
        agencies = []
        for index in indexes:
            agency = self.rows[index.row()]
            if agency not in agencies:
                agencies.append(agency)
        mime = QMimeData()
        if agencies:
            mime.setData(AGENCY_MIME, str(agencies[0].id).encode("ascii"))
            mime.setText(agencies[0].short_name)
        return mime


class RegisterProxy(SortFilterProxy):
    """Text search over every column plus a tier filter."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.tier: str | None = None

    def set_tier(self, tier: str | None) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10+
            self.beginFilterChange()
            self.tier = tier
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.tier = tier
            self.invalidateFilter()

    def filterAcceptsRow(self, row, parent) -> bool:  # noqa: N802
        if self.tier is not None and self.sourceModel().rows[row].tier != self.tier:
            return False
        return super().filterAcceptsRow(row, parent)
