"""Facility standards: a data-driven rule set (``resources/standards.toml``) checked against the
plan and the inventory, giving findings with severity, place, message and a suggested need.

Pure Python, no Qt. ``run_checks(project)`` loads the rule file, validates all of it, loads
the project once and runs every enabled rule; it returns all findings or raises, never a part.
"""

from __future__ import annotations

import os

from mpp_planner.standards.findings import Finding, Severity, SuggestedNeed, gettext_for
from mpp_planner.standards.ruleset import Rule, RuleFileError, RuleSet, default_rules_path, load_rules, parse_rules


def run_rules(ruleset: RuleSet, ctx) -> list[Finding]:
    """All findings of the enabled rules, most severe first."""
    from mpp_planner.standards.kinds import KINDS

    findings: list[Finding] = []
    for rule in ruleset.enabled:
        findings.extend(KINDS[rule.kind].check(rule, ctx))
    return sorted(findings, key=Finding.sort_key)


def run_checks(project, rules: RuleSet | str | os.PathLike | None = None) -> list[Finding]:
    """Check ``project`` against ``rules`` (a RuleSet, a rule file path, or the shipped file)."""
    from mpp_planner.standards.context import CheckContext

    ruleset = rules if isinstance(rules, RuleSet) else load_rules(rules)
    return run_rules(ruleset, CheckContext.load(project))


__all__ = ["Finding", "Severity", "SuggestedNeed", "Rule", "RuleSet", "RuleFileError", "load_rules", "parse_rules",
           "default_rules_path", "run_checks", "run_rules", "gettext_for"]
