"""One translation mechanism for the whole product: GNU gettext.

The GUI, the CLI and the reports all call ``_()``; catalogues live in
``resources/locale/<lang>/LC_MESSAGES/mpp_planner.po`` and are compiled to
``.mo`` when the package is built or first used. ``N_()`` marks a string for
extraction without translating it at import time.
"""

from __future__ import annotations

import gettext as _gettext

DOMAIN = "mpp_planner"
LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"

_translation: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"


def _(message: str) -> str:
    """Translate ``message`` into the current UI language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The English form for ``n`` (singular for 1, else plural), translated.

    The catalogue keeps both English forms as ordinary entries (Indonesian has a single form,
    so both usually get the same translation), hence a plain lookup of the chosen form.
    """
    return _translation.gettext(singular if n == 1 else plural)


def N_(message: str) -> str:
    """Mark ``message`` for translation; translate later with ``_()``."""
    return message


def current_language() -> str:
    return _language


def set_language(language: str) -> None:
    """Switch the catalogue used by ``_()``; unknown languages fall back to English."""
    global _translation, _language
    from mpp_planner.resources_path import locale_dir

    _language = language if language in LANGUAGES else "en"
    if _language == "en":
        _translation = _gettext.NullTranslations()
        return
    directory = locale_dir()
    from mpp_planner.i18n_catalog import ensure_compiled

    ensure_compiled(directory)
    try:
        _translation = _gettext.translation(DOMAIN, localedir=str(directory), languages=[_language])
    except OSError:
        _translation = _gettext.NullTranslations()
