"""``mpp-planner``: the GUI by default, headless subcommands for demo, exports, checks, imports.

Exit codes: 0 done; 1 the command ran and found problems (findings, refused import rows);
2 it could not run (bad arguments, unreadable or foreign file, unwritable output).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from mpp_planner import __version__
from mpp_planner.i18n import _

# subcommand name -> module under mpp_planner.cli providing add_parser(subparsers)
SUBCOMMANDS = {
    "new": "mpp_planner.cli.new",
    "demo": "mpp_planner.cli.demo",
    "export": "mpp_planner.cli.export",
    "import": "mpp_planner.cli.import_cmd",
    "check": "mpp_planner.cli.check",
    "repair": "mpp_planner.cli.repair",
    "survey": "mpp_planner.cli.survey",
    "assess": "mpp_planner.cli.assess",
}

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2
log = logging.getLogger(__name__)


class CliError(Exception):
    """A one-line message for stderr; exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, no usage dump noise beyond argparse's
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{self.prog}: {_('error')}: {message}\n")


def _setup_language(argv: list[str]) -> None:
    from mpp_planner.i18n import set_language
    from mpp_planner.settings import preferred_language

    lang = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    set_language(lang or preferred_language())
    from mpp_planner.cli.argparse_i18n import install

    install()


def _strip_lang(argv: list[str]) -> list[str]:
    out, skip = [], False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg == "--lang":
            skip = True
            continue
        if arg.startswith("--lang="):
            continue
        out.append(arg)
    return out


def gui_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="mpp-planner", description=_(
        "MPP Planner: floor plans, counter allocation, inventory and budget requests for a public service mall."),
        epilog=_("Headless commands: {names}. Run 'mpp-planner COMMAND --help' for details.").format(
            names=", ".join(SUBCOMMANDS)))
    p.add_argument("file", nargs="?", help=_("project file (.mpplan) to open"))
    p.add_argument("--version", action="version", version=f"MPP Planner {__version__}")
    p.add_argument("--lang", choices=["id", "en"], help=_("interface language"))
    p.add_argument("--screenshot", metavar="OUT.png", help=_("render the main window to a PNG and exit"))
    p.add_argument("--tab", choices=["plan", "agencies", "inventory", "budget", "survey", "assessment"], default="plan",
                   help=_("tab to show (with --screenshot)"))
    p.add_argument("--size", default="1400x900", help=_("window size WxH (with --screenshot)"))
    p.add_argument("--quit-after-show", action="store_true", help=argparse.SUPPRESS)  # benchmarks
    return p


def command_parser(name: str) -> argparse.ArgumentParser:
    p = _Parser(prog="mpp-planner")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    importlib.import_module(SUBCOMMANDS[name]).add_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _setup_language(argv)
    argv = _strip_lang(argv)
    if argv and argv[0] in SUBCOMMANDS:
        args = command_parser(argv[0]).parse_args(argv)
        from mpp_planner.logs import install_excepthook, setup_logging

        setup_logging()
        install_excepthook()  # headless: logged, and one line on stderr
        log.info("Command: %s", " ".join(argv))
        try:
            return int(args.func(args) or 0)
        except CliError as exc:
            log.warning("%s: %s", argv[0], exc)
            print(f"mpp-planner: {exc}", file=sys.stderr)
            return EXIT_ERROR
        except KeyboardInterrupt:
            return 130
    args = gui_parser().parse_args(argv)
    from mpp_planner.qt.app import run_gui

    return run_gui(args)


def open_project_or_fail(path: str, *, readonly: bool = True):
    """Open a project for a headless command, turning file errors into one-line CliErrors."""
    from mpp_planner.project import Project
    from mpp_planner.store import ProjectFileError

    try:
        return Project.open(path, readonly=readonly)
    except ProjectFileError as exc:
        raise CliError(str(exc)) from None
