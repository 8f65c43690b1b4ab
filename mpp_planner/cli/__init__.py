"""``mpp-planner``: the GUI by default, headless subcommands for demo, exports, checks, imports.

Exit codes: 0 done; 1 the command ran and found problems (findings, refused import rows);
2 it could not run (bad arguments, unreadable or foreign file, unwritable output).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from pathlib import Path

from mpp_planner import FILE_SUFFIX, __version__
from mpp_planner.i18n import N_, _

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
    "rollup": "mpp_planner.cli.rollup",
    "history": "mpp_planner.cli.history",
    "copy": "mpp_planner.cli.copy",
}

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2
log = logging.getLogger(__name__)


class CliError(Exception):
    """A one-line message for stderr; exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, no usage dump noise beyond argparse's
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{self.prog}: {_('error')}: {message}\n")


def _lang_option(argv: list[str]) -> tuple[str | None, str]:
    """The ``--lang`` value given (the last one wins; None when none) and what is wrong with it
    ("" when nothing). ``--lang`` is read before argparse so that argparse speaks the language."""
    from mpp_planner.i18n import LANGUAGES

    lang, problem = None, ""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang":
            if i + 1 >= len(argv) or argv[i + 1].startswith("-"):
                problem = problem or _("expected one argument")
                continue
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        else:
            continue
        if value in LANGUAGES:
            lang = value
        else:
            problem = problem or _("unknown language '{value}' (choose {choices})").format(
                value=value, choices=_("{a} or {b}").format(a=LANGUAGES[0], b=LANGUAGES[1]))
    return lang, problem


def _setup_language(argv: list[str]) -> None:
    from mpp_planner.i18n import set_language
    from mpp_planner.settings import preferred_language

    lang, _problem = _lang_option(argv)  # a wrong --lang is refused by _strip_lang, in this language
    set_language(lang or preferred_language())
    from mpp_planner.cli.argparse_i18n import install

    install()


def _strip_lang(argv: list[str]) -> list[str]:
    """``argv`` without ``--lang``; a ``--lang`` without a value or with an unknown one is an argument
    error (exit 2) of the command, or of the GUI, that the rest of ``argv`` asks for."""
    out, skip = [], False
    for i, arg in enumerate(argv):
        if skip:
            skip = False
            continue
        if arg == "--":
            out.extend(argv[i:])
            break
        if arg == "--lang":
            skip = i + 1 < len(argv) and not argv[i + 1].startswith("-")
            continue
        if arg.startswith("--lang="):
            continue
        out.append(arg)
    _lang, problem = _lang_option(argv)
    if problem:
        parser = command_parser(out[0]) if out and out[0] in SUBCOMMANDS else gui_parser()
        parser.error(_("argument %(argument_name)s: %(message)s") % {"argument_name": "--lang", "message": problem})
    return out


class _SizeAction(argparse.Action):
    """``--size WxH`` checked as it is parsed: a malformed or unusable size is an argument error."""

    def __call__(self, parser, namespace, values, option_string=None):
        from mpp_planner.qt.app import parse_size  # no Qt: the GUI's own rule for a window size

        try:
            setattr(namespace, self.dest, parse_size(str(values)))
        except ValueError as exc:
            parser.error(str(exc))


def new_project_file(path: str | os.PathLike) -> Path:
    """``path`` for a project a command creates (``new``, ``demo``): a name ending in .mpplan."""
    out = Path(path)
    if out.suffix.lower() != FILE_SUFFIX or not out.stem:
        raise CliError(_("The new project must be a {suffix} file (got '{path}').").format(suffix=FILE_SUFFIX,
                                                                                          path=out))
    return out


def input_file(path: str | os.PathLike) -> Path:
    """``path`` as a file a command reads (``--from``, ``--rules``, ``--logo``, a damaged project),
    else a :class:`CliError` saying what it is instead: missing, a folder, or not a regular file
    (a device such as /dev/zero, a pipe), which would otherwise be read without end."""
    p = Path(path)
    try:
        if p.is_dir():
            message = _("'{path}' is a folder, not a file.")
        elif not p.exists():
            message = _("The file '{path}' does not exist.")
        elif not p.is_file():
            message = _("'{path}' is not a regular file.")
        else:
            return p
    except OSError as exc:  # e.g. a folder on the way that may not be looked into
        raise CliError(_("Cannot read {file}: {error}").format(file=p, error=exc.strerror or exc)) from None
    raise CliError(message.format(path=p))


def gui_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="mpp-planner", description=_(
        "MPP Planner: floor plans, counter allocation, inventory and budget requests for a public service mall."),
        epilog=_("Headless commands: {names}. Run 'mpp-planner COMMAND --help' for details.").format(
            names=", ".join(SUBCOMMANDS)))
    p.add_argument("file", nargs="?", help=_("project file (.mpplan) to open, or a server project's address "
                                             "(postgresql://user@host/database)"))
    p.add_argument("--version", action="version", version=f"MPP Planner {__version__}")
    p.add_argument("--lang", choices=["id", "en"], help=_("interface language"))
    p.add_argument("--screenshot", metavar="OUT.png", help=_("render the main window to a PNG and exit"))
    p.add_argument("--tab", choices=["plan", "agencies", "inventory", "budget", "survey", "assessment"], default="plan",
                   help=_("tab to show (with --screenshot)"))
    p.add_argument("--size", default=(1400, 900), action=_SizeAction, metavar="WxH",
                   help=_("window size WxH (with --screenshot)"))
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
        except Exception as exc:  # a failing disk (full, read-only, removed, busy): one line, exit 2
            message = _storage_failure(argv[0], exc)
            if message is None:
                raise  # a bug: to the error hook (logged with its traceback, one line on stderr)
            print(f"mpp-planner: {message}", file=sys.stderr)
            return EXIT_ERROR
    args = gui_parser().parse_args(argv)
    from mpp_planner.qt.app import run_gui

    return run_gui(args)


def _storage_failure(command: str, exc: Exception) -> str | None:
    """What to tell when a command met a failing disk (the edit it was making was rolled back with its
    transaction), logged with the traceback; None when ``exc`` is not a storage failure."""
    from mpp_planner.store.errors import storage_message

    message = storage_message(exc)
    if message is not None:
        log.warning("%s: %s", command, message, exc_info=exc)
    return message


#: the help of the project argument of every command that reads or changes a project
PROJECT_HELP = N_("project file (.mpplan), or a server project's address (postgresql://user@host/database)")


def add_project_argument(parser) -> None:
    """The project a command works on (``args.file``): a file or a server address, and ``--password-prompt``."""
    parser.add_argument("file", metavar="FILE", help=_(PROJECT_HELP))
    parser.add_argument("--password-prompt", action="store_true",
                        help=_("ask for the server password on the terminal (else: from the address, PGPASSWORD or "
                               "the .pgpass file)"))


def ask_password(url: str) -> str:
    """The password of the server project at ``url``, asked on the terminal (not echoed)."""
    import getpass

    from mpp_planner.store.server import safe_url

    try:
        return getpass.getpass(_("Password for {url}: ").format(url=safe_url(url)))
    except EOFError:
        raise CliError(_("No password was given for {url}.").format(url=safe_url(url))) from None


def server_failure_message(exc: Exception) -> str:
    """A refusal to open or copy, in one line; when the server asked for a password that was not given,
    where to give it."""
    message = str(exc)
    cause = getattr(exc, "__context__", None)
    pgconn = getattr(getattr(cause, "orig", cause), "pgconn", None)
    if pgconn is not None and getattr(pgconn, "needs_password", False):
        message = message.rstrip(".") + ". " + _(
            "Give the password with --password-prompt, in PGPASSWORD or in the .pgpass file.")
    return message


def open_project_or_fail(path: str, *, readonly: bool = True, password_prompt: bool = False):
    """Open a project for a headless command (a file, or a server project named by its address),
    turning file and server errors into one-line CliErrors."""
    from mpp_planner.project import Project
    from mpp_planner.store import ProjectFileError
    from mpp_planner.store.server import is_server_url

    password = ask_password(path) if password_prompt and is_server_url(path) else None
    try:
        return Project.open(path, readonly=readonly, password=password)
    except ProjectFileError as exc:
        raise CliError(server_failure_message(exc)) from None
