"""Qt's own words (standard buttons, the edit context menu, Qt's file and colour dialogs) through
our gettext catalogue — Qt ships no Indonesian translation of its base strings.

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
