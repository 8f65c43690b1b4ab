"""argparse's own words ("usage:", "options", "show this help message and exit", its error
messages) through our catalogue, so ``--help`` and argument errors speak the UI language.

argparse looks its strings up through the module-level names ``_`` and ``ngettext`` at call
time; :func:`install` points them at :mod:`mpp_planner.i18n`. The strings are listed below with
``N_()`` only so that extraction puts them into the catalogue (they must match argparse's text
exactly; a string a future Python changes simply stays English).
"""

from __future__ import annotations

import argparse

from mpp_planner import i18n
from mpp_planner.i18n import N_

ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"),
    N_("expected at least one argument"),
    N_("expected at most one argument"),
    N_("expected %s argument"),
    N_("expected %s arguments"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("ignored explicit argument %r"),
    N_("can't open '%(filename)s': %(error)s"),
)


def install() -> None:
    """Make argparse translate through the current catalogue."""
    argparse._ = i18n._
    argparse.ngettext = i18n.ngettext
