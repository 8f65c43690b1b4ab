"""``mpp-planner survey FILE --period P [--by agency|service|counter]``: a period's satisfaction survey
result, headless.

Prints the respondents (and the minimum sample when the period's population is known), the IKM with its
mutu and kinerja, the NRR of each unsur and the three weakest unsur; with ``--by`` also the IKM per agency,
service or counter. Numbers in the user's language (``--lang id``: decimal comma). Exit 0; 2 when it cannot
run (unreadable project, unknown period: the periods are listed).
"""

from __future__ import annotations

import sys

from mpp_planner.i18n import _, ngettext


def add_parser(sub) -> None:
    p = sub.add_parser("survey", help=_("print the satisfaction survey (SKM) result of a period"),
                       description=_("Print a survey period's IKM, mutu and the NRR of each unsur. Exit status: 0 "
                                     "printed, 2 cannot run."))
    from mpp_planner.cli import add_project_argument

    add_project_argument(p)
    p.add_argument("--period", required=True, metavar="NAME",
                   help=_("the survey period to print, e.g. \"2024 Semester I\""))
    p.add_argument("--by", choices=["agency", "service", "counter"],
                   help=_("also print the IKM per agency, service or counter"))
    p.set_defaults(func=run)


def _num(value, decimals: int) -> str:
    from mpp_planner.formats import number

    return "-" if value is None else number(value, decimals)


def report_lines(project, period_id: int, by: str | None = None) -> list[str]:
    """The printed result of one period (one line a list item)."""
    from mpp_planner.formats import number
    from mpp_planner.reads import survey as reads

    detail = reads.period_detail(project, period_id)
    if detail is None:
        raise LookupError(period_id)
    result = reads.results(project, period_id)
    sample = reads.sample_status(project, period_id)
    names = detail.unsur_names
    lines = [_("Survey period: {name}").format(name=detail.name)]
    if sample.minimum is not None and sample.population is not None:
        lines.append(_("Respondents: {n} (minimum sample for {population} service users: {minimum}, {verdict})")
                     .format(n=number(result.respondents), population=number(sample.population),
                             minimum=number(sample.minimum),
                             verdict=_("enough") if sample.enough else _("not enough")))
    else:
        lines.append(_("Respondents: {n}").format(n=number(result.respondents)))
    if result.ikm is None:
        lines.append(_("IKM: - (every unsur needs at least one answer)"))
    else:
        lines.append(_("IKM: {ikm} (index {index}), mutu {mutu}: {kinerja}").format(
            ikm=_num(result.ikm, 2), index=_num(result.index_decimal, 4), mutu=result.mutu,
            kinerja=result.kinerja))
    lines.append(_("NRR per unsur:"))
    width = max(len(n) for n in names)
    for u in result.unsur:
        lines.append(f"  U{u.unsur} {names[u.unsur - 1]:<{width}}  {_num(u.nrr_decimal, 4):>6}  " + _(
            "({answered} answers)").format(answered=number(u.answered)))
    weakest = result.weakest(3)
    if weakest:
        lines.append(_("Weakest unsur: {list}").format(list=", ".join(
            f"U{u.unsur} {names[u.unsur - 1]} ({_num(u.nrr_decimal, 4)})" for u in weakest)))
    if by:
        heading = {"agency": _("IKM per agency:"), "service": _("IKM per service:"),
                   "counter": _("IKM per counter:")}[by]
        lines.append(heading)
        for group in reads.results_by(project, period_id, by):
            r = group.result
            lines.append("  " + ngettext("{label}: IKM {ikm} ({mutu}), {n} respondent",
                                         "{label}: IKM {ikm} ({mutu}), {n} respondents", r.respondents).format(
                label=group.label, ikm=_num(r.ikm, 2), mutu=r.mutu, n=number(r.respondents)))
    return lines


def run(args) -> int:
    from mpp_planner.cli import CliError, open_project_or_fail
    from mpp_planner.reads import survey as reads

    project = open_project_or_fail(args.file, readonly=True, password_prompt=args.password_prompt)
    try:
        period_id = reads.period_id_named(project, args.period)
        if period_id is None:
            names = [p.name for p in reads.periods(project)]
            raise CliError(_("There is no survey period '{name}'. Periods: {names}.").format(
                name=args.period, names=", ".join(names) if names else _("none")))
        lines = report_lines(project, period_id, args.by)
    finally:
        project.close()
    for line in lines:
        print(line, file=sys.stdout)
    return 0
