"""``mpp-planner check FILE [--rules RULES.toml]``: the facility standards findings, headless.

Prints one line per finding (most severe first) and a summary. Exit 0 when there are no
findings, 1 when there are, 2 when the check cannot run (unreadable project, broken rule file).
With ``--budget YEAR [--date YYYY-MM-DD]`` only the budget checks of that year run instead
(a year without lines: a note and exit 0).
"""

from __future__ import annotations

import sys

from mpp_planner.i18n import _


def add_parser(sub) -> None:
    p = sub.add_parser("check", help=_("check the plan and inventory against the facility standards"),
                       description=_("Check a project against the facility standards and print the findings. "
                                     "Exit status: 0 no findings, 1 findings, 2 cannot run."))
    from mpp_planner.cli import add_project_argument

    add_project_argument(p)
    p.add_argument("--rules", metavar="RULES.toml", help=_("rule file to use instead of the shipped one"))
    p.add_argument("--budget", metavar="YEAR", type=int,
                   help=_("check only the budget request of this fiscal year (duplicates, capitalisation, SSH prices)"))
    p.add_argument("--date", metavar="YYYY-MM-DD", help=_("signing date of the budget sheet to check (with --budget)"))
    p.set_defaults(func=run)


def format_finding(finding, item_types) -> str:
    """One line: severity, the rule's name (not its internal id), place, message, suggested need."""
    from mpp_planner.reports.findings import count_words

    place = finding.place or _("whole MPP")
    line = f"[{finding.severity.label}] {finding.rule_title()} · {place}: {finding.message}"
    sug = finding.suggestion
    if sug is not None:
        line += "  " + _("→ suggested: {items}").format(items=count_words(sug, item_types, lang=None))
    return line


def format_budget_finding(finding) -> str:
    lines = ", ".join(f"#{i}" for i in finding.line_ids) or "-"
    return f"[{finding.severity.label}] {finding.kind} · {lines}: {finding.message}  → {finding.advice}"


def run_budget(args) -> int:
    from datetime import date

    from sqlalchemy import func, select

    from mpp_planner.cli import EXIT_PROBLEMS, CliError, open_project_or_fail
    from mpp_planner.model import BudgetLine
    from mpp_planner.standards.budget_checks import check_budget

    if args.rules:
        raise CliError(_("--rules and --budget cannot be used together."))
    try:
        sign_date = date.fromisoformat(args.date) if args.date else None
    except ValueError:
        raise CliError(_("Date '{date}' is not YYYY-MM-DD.").format(date=args.date)) from None
    project = open_project_or_fail(args.file, readonly=True, password_prompt=args.password_prompt)
    try:
        count = project.session.scalar(select(func.count()).select_from(BudgetLine)
                                       .where(BudgetLine.fiscal_year == args.budget))
        findings = check_budget(project, args.budget, sign_date=sign_date) if count else []
    finally:
        project.close()
    out = sys.stdout
    if not count:
        print(_("No budget lines in {year}: nothing to check.").format(year=args.budget), file=out)
        return 0
    for f in findings:
        print(format_budget_finding(f), file=out)
    if not findings:
        print(_("No budget findings: {n} line(s) of {year} checked.").format(n=count, year=args.budget), file=out)
        return 0
    print(_("{n} budget finding(s) in {year}.").format(n=len(findings), year=args.budget), file=out)
    return EXIT_PROBLEMS


def run(args) -> int:
    from mpp_planner.cli import EXIT_PROBLEMS, CliError, input_file, open_project_or_fail
    from mpp_planner.standards import RuleFileError, load_rules, run_rules
    from mpp_planner.standards.context import CheckContext

    if args.budget is not None:
        return run_budget(args)
    if args.date:
        raise CliError(_("--date needs --budget YEAR."))
    if args.rules:
        input_file(args.rules)
    try:
        ruleset = load_rules(args.rules)  # the whole rule file is checked before the project is read
    except RuleFileError as exc:
        raise CliError(str(exc)) from None
    project = open_project_or_fail(args.file, readonly=True, password_prompt=args.password_prompt)
    try:
        ctx = CheckContext.load(project)
        findings = run_rules(ruleset, ctx)
        lines = [format_finding(f, ctx.item_types) for f in findings]
    finally:
        project.close()
    out = sys.stdout
    for line in lines:
        print(line, file=out)
    if not findings:
        print(_("No findings: {n} rule(s) checked.").format(n=len(ruleset.enabled)), file=out)
        return 0
    print(_("{n} finding(s) from {r} rule(s).").format(n=len(findings), r=len(ruleset.enabled)), file=out)
    return EXIT_PROBLEMS
