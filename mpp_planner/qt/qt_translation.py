"""Qt's own words (standard buttons, the edit context menu, Qt's file, colour and print dialogs and its print
preview) through our gettext catalogue — Qt ships no Indonesian translation of its base strings.

A ``QTranslator`` whose ``translate()`` looks the listed (context, text) pairs up with ``_()``;
anything not listed, or not translated, returns None (a null QString) so Qt keeps its own text —
an empty string would count as a translation and blank Qt's words (even "Ctrl" in shortcuts).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

from mpp_planner.i18n import N_, _, current_language

_EDIT_MENU = (N_("&Undo"), N_("&Redo"), N_("Cu&t"), N_("&Copy"), N_("&Paste"), N_("Delete"), N_("Select All"))

QT_MESSAGES: dict[str, tuple[str, ...]] = {
    # "Open" is left out: the same English word is a follow-up status ("Terbuka") in our catalogue.
    "QPlatformTheme": (N_("OK"), N_("Cancel"), N_("Close"), N_("Save"), N_("Apply"), N_("&Yes"), N_("&No")),
    "QMessageBox": (N_("Show Details..."), N_("Hide Details...")),
    "QLineEdit": _EDIT_MENU,
    "QWidgetTextControl": _EDIT_MENU,
    "QAbstractSpinBox": (N_("&Select All"), N_("&Step up"), N_("Step &down")),
    "QProgressDialog": (N_("Cancel"),),
    "QInputDialog": (N_("Enter a value:"),),
    "QFileDialog": (
        N_("&Look in:"), N_("File &name:"), N_("Files of &type:"), N_("&Open"), N_("&Save"), N_("Back"),
        N_("Forward"), N_("Parent Directory"), N_("Create New Folder"), N_("List View"), N_("Detail View"),
        N_("All Files (*)"), N_("&New Folder"), N_("&Delete"), N_("&Rename"), N_("Show &hidden files"),
        N_("Go back"), N_("Go forward"), N_("Go to the parent directory"), N_("Create a New Folder"),
        N_("Change to list view mode"), N_("Change to detail view mode"), N_("Files"), N_("Sidebar"),
        N_("List of places and bookmarks"),
    ),
    "QFileSystemModel": (N_("Name"), N_("Size"), N_("Type"), N_("Date Modified"), N_("Computer")),
    "QAbstractFileIconProvider": (N_("Folder"), N_("Drive")),
    "QColorDialog": (
        N_("Select Color"), N_("&Basic colors"), N_("&Custom colors"), N_("&Add to Custom Colors"),
        N_("&Pick Screen Color"), N_("Hu&e:"), N_("&Sat:"), N_("&Val:"), N_("&Red:"), N_("&Green:"),
        N_("Bl&ue:"), N_("A&lpha channel:"), N_("&HTML:"),
    ),
    "QTabBar": (N_("Scroll Left"), N_("Scroll Right")),
    # the print preview (Qt's own on every platform), and the print and page setup dialogs where they are Qt's
    # (Linux; Windows and macOS show their own, in the language of the system)
    "QPrintPreviewDialog": (
        N_("Print Preview"), N_("Next page"), N_("Previous page"), N_("First page"), N_("Last page"),
        N_("Fit width"), N_("Fit page"), N_("Zoom in"), N_("Zoom out"), N_("Portrait"), N_("Landscape"),
        N_("Show single page"), N_("Show facing pages"), N_("Show overview of all pages"), N_("Print"),
        N_("Page setup"), N_("Page Setup"),
    ),
    "QPrintDialog": (
        N_("Print"), N_("&Print"), N_("&Options >>"), N_("&Options <<"), N_("Print to File (PDF)"),
        N_("Local file"), N_("Write PDF file"), N_("All Pages"), N_("Odd Pages"), N_("Even Pages"),
        N_("Left to Right, Top to Bottom"), N_("Left to Right, Bottom to Top"), N_("Right to Left, Bottom to Top"),
        N_("Right to Left, Top to Bottom"), N_("Bottom to Top, Left to Right"), N_("Bottom to Top, Right to Left"),
        N_("Top to Bottom, Left to Right"), N_("Top to Bottom, Right to Left"),
    ),
    "QPrintWidget": (N_("Printer"), N_("&Name:"), N_("P&roperties"), N_("Location:"), N_("Preview"), N_("Type:"),
                     N_("Output &file:")),
    "QPrintSettingsOutput": (
        N_("Copies"), N_("Print range"), N_("Print all"), N_("Pages from"), N_("to"), N_("Pages"),
        N_("Specify pages or ranges separated by commas. Ranges are specified by two numbers separated by a "
           "hyphen. E.g: 3,5-7,9 prints pages 3, 5, 6, 7 and 9."),
        N_("Current Page"), N_("Selection"), N_("Output Settings"), N_("Copies:"), N_("Collate"), N_("Reverse"),
        N_("Options"), N_("Color Mode"), N_("Color"), N_("Grayscale"), N_("Double Sided Printing"), N_("Off"),
        N_("Long side binding"), N_("Short side binding"), N_("Page &Set:"),
    ),
    "QPrintPropertiesDialog": (N_("Printer Properties"), N_("Job Options")),
    "QPrintPropertiesWidget": (N_("Page"), N_("Advanced"),
                               N_("There are conflicts in some options. Please fix them.")),
    "QPageSetupWidget": (
        N_("Paper"), N_("Page size:"), N_("Width:"), N_("Height:"), N_("Paper source:"), N_("Orientation"),
        N_("Portrait"), N_("Landscape"), N_("Reverse landscape"), N_("Reverse portrait"), N_("Margins"),
        N_("top margin"), N_("left margin"), N_("right margin"), N_("bottom margin"), N_("Page Layout"),
        N_("Page &order:"), N_("Pages &per sheet:"), N_("Custom"), N_("Millimeters (mm)"), N_("Points (pt)"),
        N_("Inches (in)"), N_("Pica (P̸)"),
    ),
    "QCupsJobWidget": (
        N_("Job"), N_("Job Control"), N_("Scheduled &printing:"), N_("&Billing information:"), N_("Job &priority:"),
        N_("Banner Pages"), N_("&Start:"), N_("&End:"), N_("Print Immediately"), N_("Hold Indefinitely"),
        N_("Day (06:00 to 17:59)"), N_("Night (18:00 to 05:59)"), N_("Second Shift (16:00 to 23:59)"),
        N_("Third Shift (00:00 to 07:59)"), N_("Weekend (Saturday to Sunday)"), N_("Specific Time"), N_("None"),
        N_("Standard"), N_("Unclassified"), N_("Confidential"), N_("Classified"), N_("Secret"), N_("Top Secret"),
    ),
}

_LOOKUP = {(context, text) for context, texts in QT_MESSAGES.items() for text in texts}


class CatalogueTranslator(QTranslator):
    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: D401 - Qt override
        if (context, source_text) not in _LOOKUP:
            return None
        text = _(source_text)
        return None if text == source_text else text

    def isEmpty(self) -> bool:  # noqa: N802 - Qt override
        return False


_installed: CatalogueTranslator | None = None


def install(app: QCoreApplication) -> None:
    """Translate Qt's own strings when the UI language is not English (once per application)."""
    global _installed
    if current_language() == "en" or _installed is not None:
        return
    _installed = CatalogueTranslator(app)
    app.installTranslator(_installed)
