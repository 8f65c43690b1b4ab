"""``mpp-planner new FILE.mpplan --name NAME [...]``: a new project, ready to use.

The file gets the MPP's identity and letterhead, the standard catalog with reference prices, the
account code list and the floors given (see ``mpp_planner.seed``). Exit 0 with one line saying what
was made; 2 with the reason when it cannot be made (nothing is left behind then).
"""

from __future__ import annotations

import os
import sys

from mpp_planner import FILE_SUFFIX
from mpp_planner.i18n import _
from mpp_planner.store.errors import write_failure


def add_parser(sub) -> None:
    p = sub.add_parser("new", help=_("create a new project with the standard catalog and account codes"),
                       description=_("Create a new project file, ready to use: the MPP's identity and letterhead, "
                                     "the standard catalog with reference prices, the account code list and the "
                                     "floors given. The catalog, the account codes and the floors can be edited "
                                     "afterwards."))
    p.add_argument("file", metavar="FILE" + FILE_SUFFIX, help=_("the project file to create"))
    p.add_argument("--name", required=True, help=_("name of the MPP, e.g. \"MPP Kabupaten Probolinggo\""))
    p.add_argument("--government", default="", help=_("the government, e.g. \"Pemerintah Kabupaten Probolinggo\""))
    p.add_argument("--office", default="", help=_("the office that runs the MPP (in the letterhead)"))
    p.add_argument("--city", default="", help=_("the city printed before the date of signatures"))
    p.add_argument("--province", default="", help=_("the province"))
    p.add_argument("--address", default="", help=_("the MPP's address (in the letterhead)"))
    p.add_argument("--year", metavar="YYYY", help=_("fiscal year the budget is planned for (default: next year)"))
    p.add_argument("--floor", dest="floors", action="extend", nargs="+", default=[], metavar="NAME",
                   help=_("a floor to create (repeat or list several)"))
    p.add_argument("--logo", metavar="IMAGE", help=_("logo for the letterhead (PNG or JPEG)"))
    p.add_argument("--force", action="store_true", help=_("overwrite FILE if it exists"))
    p.set_defaults(func=run)


def _year(text: str | None) -> int | None:
    from mpp_planner.cli import CliError

    if text is None:
        return None
    try:
        year = int(text.strip())
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        raise CliError(_("--year must be a year from 2000 to 2100 (got '{value}').").format(value=text))
    return year


def run(args) -> int:
    from mpp_planner.cli import CliError, input_file, new_project_file
    from mpp_planner.model import ValidationError
    from mpp_planner.reads.catalog import account_codes, item_types
    from mpp_planner.reads.site import project_counts
    from mpp_planner.seed import new_project
    from mpp_planner.store import ProjectFileError

    out = new_project_file(args.file)
    if args.logo and os.path.exists(args.logo):  # a missing logo is told by the letterhead's own check
        input_file(args.logo)  # a folder or a device (read without end) is not a logo
    if not args.name.strip():
        raise CliError(_("--name must not be empty: give the MPP's name, e.g. --name \"MPP Kabupaten Probolinggo\"."))
    if out.exists() and not args.force:
        raise CliError(_("'{path}' already exists; use --force to overwrite it.").format(path=out))
    try:
        project = new_project(out, name=args.name, government=args.government, office=args.office,
                              city=args.city, province=args.province, address=args.address, year=_year(args.year),
                              floors=args.floors, logo=args.logo, overwrite=args.force)
    except ValidationError as exc:
        raise CliError(exc.message) from None
    except ProjectFileError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(_("Cannot write '{path}': {error}").format(path=out, error=write_failure(exc) or exc)) from None
    try:
        site = project.site
        print(_("Created {path}: {name}, fiscal year {year}, {types} item types with reference prices, {codes} "
                "account codes, {floors} floor(s).").format(
            path=out, name=site.name, year=site.fiscal_year, types=len(item_types(project)),
            codes=len(account_codes(project)), floors=project_counts(project).floors), file=sys.stderr)
    finally:
        project.close()
    return 0
