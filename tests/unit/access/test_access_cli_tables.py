"""The access commands' tables name every rule, role, reader and scenario in full: piped they
are printed at the width the other commands' lists use, and a column too narrow folds its text
rather than cutting it to "assign…" or "certif…" (80 columns cut all of them)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from confianza.access.cli import report_table, show
from confianza.access.rules.explanations import RULES, Report, Tally

ROLES = ("agency_hr", "auditor", "centre_coordinator", "certification_officer", "examiner",
         "registry_clerk")


def _tally(n: int) -> Tally:
    return Tally(1000 * n, 990 * n, Counter({rule.name: 900 * n for rule in RULES}))


def test_the_explanation_table_piped_names_every_rule_and_role_in_full(
        capsys: pytest.CaptureFixture[str]) -> None:
    report = Report(tuple(rule.name for rule in RULES), _tally(len(ROLES)),
                    {role: _tally(1) for role in ROLES}, ())
    show(report_table(report, date(2026, 12, 7), date(2027, 3, 7)))
    printed = capsys.readouterr().out
    assert "…" not in printed
    lines = printed.splitlines()
    header = next(line for line in lines if "agency_hr" in line)
    assert all(role in header for role in ROLES)
    for name in (*(rule.name for rule in RULES), "explained (any rule)"):
        assert any(line.startswith(f"│ {name} ") for line in lines), name
