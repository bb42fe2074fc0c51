"""`confianza certification`: who is on duty uncertified, who is due, coverage, the CUP.

The lists name people, so each read is audited with the officers it returned, as in the web.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from pathlib import Path

import typer

from confianza.app.cli import operator, out
from confianza.certification.rules.coverage import AlertLine, CoverageRow, ReevaluationLine
from confianza.certification.rules.cup import CupComponent
from confianza.certification.service import certificates as certificate_service
from confianza.certification.service import coverage as coverage_service
from confianza.certification.service.coverage import ListFilter
from confianza.vetting.cli.support import (
    PREVIEW_ROWS,
    Listing,
    agency_id,
    csv_option,
    json_option,
    opened,
    print_json,
    print_listing,
    show_rows,
    write_csv,
)

app = typer.Typer(help="Certification: alerts, re-evaluations, coverage, CUP components.",
                  no_args_is_help=True)

#: An officer on the alert list as a row (reasons by their codes).
ALERTS: Listing[AlertLine] = Listing(
    ("officer_id", lambda line: line.officer_id),
    ("name", lambda line: line.name),
    ("curp", lambda line: line.curp),
    ("agency", lambda line: line.agency_code),
    ("state", lambda line: line.state_code),
    ("rank", lambda line: line.rank),
    ("approved_until", lambda line: line.approved_until),
    ("cup_until", lambda line: line.cup_until),
    ("reasons", lambda line: " ".join(r.value for r in line.reasons)),
)
#: An officer due for re-evaluation as a row.
REEVALUATIONS: Listing[ReevaluationLine] = Listing(
    ("officer_id", lambda line: line.officer_id),
    ("name", lambda line: line.name),
    ("agency", lambda line: line.agency_code),
    ("rank", lambda line: line.rank),
    ("approved_until", lambda line: line.approved_until),
    ("open_evaluation", lambda line: line.open_evaluation_id),
)


#: A state's or agency's figures as a row: its key and name, the counts, the approved share.
COVERAGE: Listing[CoverageRow] = Listing(
    ("key", lambda row: row.key),
    ("name", lambda row: row.name),
    ("officers", lambda row: row.officers),
    ("evaluated", lambda row: row.evaluated),
    ("approved", lambda row: row.approved),
    ("expired", lambda row: row.expired),
    ("not_approved", lambda row: row.not_approved),
    ("never_evaluated", lambda row: row.never_evaluated),
    ("certified", lambda row: row.certified),
    ("on_duty_uncertified", lambda row: row.on_duty_uncertified),
    ("approved_share", lambda row: f"{row.approved_share:.1%}"),
)
_PAGE = 1_000


class GroupBy(StrEnum):
    STATE = "state"
    AGENCY = "agency"


class ManualComponent(StrEnum):
    """The components an agency records by hand (trust control comes from its decision)."""

    SKILLS = "skills"
    PERFORMANCE = "performance"
    INITIAL_TRAINING = "initial_training"


def _state(value: str | None) -> str | None:
    return value.strip().zfill(2) if value else None


@app.command("alerts")
def alerts(
    agency: str | None = typer.Option(None, "--agency", help="Only officers of this agency."),
    state: str | None = typer.Option(None, "--state", help="Only this state (INEGI code, 14)."),
    csv_path: Path | None = csv_option(),
    as_json: bool = json_option(),
) -> None:
    """Officers on active duty without a valid approved evaluation or a current certificate.

    Prints the count and the first rows; --csv writes the whole list to a file.
    """
    with opened() as built:
        where = ListFilter(agency_id(built, agency) if agency else None, _state(state))
        lines = list(coverage_service.export_alerts(built.uow(), operator(), where))
    if as_json:
        print_json(lines)
        return
    officers = "officer" if len(lines) == 1 else "officers"
    out.print(f"{len(lines)} {officers} on duty without valid certification")
    if csv_path is not None:
        written = write_csv(csv_path, ALERTS, lines)
        out.print(f"{written} rows written to {csv_path}", markup=False)
    if lines:
        shown = lines[:PREVIEW_ROWS]
        print_listing(f"Alerts: the first {len(shown)} of {len(lines)}", ALERTS, shown)


@app.command("reevaluations")
def reevaluations(
    agency: str | None = typer.Option(None, "--agency", help="Only officers of this agency."),
    csv_path: Path | None = csv_option(),
    as_json: bool = json_option(),
) -> None:
    """Officers whose approval ends within the re-evaluation window, soonest first."""
    with opened() as built:
        where = ListFilter(agency_id(built, agency) if agency else None)
        lines: list[ReevaluationLine] = []
        cursor: str | None = None
        while True:
            page = coverage_service.reevaluation_list(built.uow(), operator(), where,
                                                      policy=built.policy, cursor=cursor,
                                                      limit=_PAGE)
            lines.extend(page.items)
            cursor = page.next_cursor
            if cursor is None:
                break
    if as_json:
        print_json(lines)
        return
    show_rows("Due for re-evaluation", REEVALUATIONS, lines, csv_path)


@app.command("coverage", help="Certification figures per state or per agency.\n\n"
                              "Officers, evaluated, approved, expired, not approved, never "
                              "evaluated, certified, and on duty without valid certification.")
def coverage(
    by: GroupBy = typer.Option(GroupBy.STATE, "--by", help="One row per state or per agency."),
    state: str | None = typer.Option(None, "--state", help="Only this state (INEGI code, 14)."),
    csv_path: Path | None = csv_option(),
    as_json: bool = json_option(),
) -> None:
    with opened() as built:
        rows = coverage_service.coverage(built.uow(), operator(), by=by.value,
                                         where=ListFilter(state_code=_state(state)))
    if as_json:
        # As the table, but the share as a number: a script computes with it.
        print_json([{**COVERAGE.as_dict(r), "approved_share": round(r.approved_share, 4)}
                    for r in rows])
        return
    show_rows(f"Coverage by {by.value}", COVERAGE, rows, csv_path)


@app.command("component")
def component(
    officer_id: int = typer.Argument(..., metavar="OFFICER_ID", help="The officer's id."),
    kind: ManualComponent = typer.Argument(..., metavar="COMPONENT",
                                           help="skills, performance or initial_training."),
    on: datetime = typer.Option(..., "--on", formats=["%Y-%m-%d"],
                                help="When it was completed (YYYY-MM-DD)."),
    hours: int | None = typer.Option(None, "--hours", help="Hours of initial training."),
    score: int | None = typer.Option(None, "--score", help="Score, 0 to 100."),
) -> None:
    """Record a CUP component: skills test, performance evaluation or initial training.

    The officer's certificate is issued, renewed or ended to match.
    """
    with opened() as built:
        view = certificate_service.record_component(
            built.uow(), operator(), officer_id, CupComponent(kind.value), on.date(),
            hours=hours, score=score, policy=built.policy, issuer=built.issuer)
    out.print(f"recorded {kind.value} for officer {officer_id}", markup=False)
    current = view.current
    if current is None:
        out.print("no certificate: not every component is current")
    else:
        out.print(f"certificate {current.number} valid until {current.valid_until.isoformat()}")


@app.command("sweep", help="Record the expiry of lapsed certificates; meant to run daily from "
                           "cron.\n\n"
                           "Ends every certificate whose end date has passed, with an audit entry "
                           "for each. Schedule it once a day, e.g. `15 0 * * * confianza "
                           "certification sweep`. A second run the same day finds nothing more to "
                           "do.")
def sweep() -> None:
    with opened() as built:
        ended = certificate_service.sweep_certificates(built.uow(), operator())
    out.print(f"{ended} certificates expired")
