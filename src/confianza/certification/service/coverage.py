"""The lists an agency and the nation act on: alerts, re-evaluations, coverage figures.

Each read names the officers it returned in its audit entry, as a search does: a list of people
without valid certification is itself sensitive.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from confianza.accounts.rules.permissions import Actor, Holder, Permission
from confianza.accounts.service.authorization import require
from confianza.certification.rules.coverage import (
    AlertLine,
    CoverageRow,
    ReevaluationLine,
    alert_reasons,
    coverage_rows,
)
from confianza.certification.rules.decisions import Verdict, add_months
from confianza.core.errors import FieldError, NotFound, ValidationFailed
from confianza.core.pagination import Page, decode_cursor, encode_cursor
from confianza.dashboard.rules.tallies import Summary
from confianza.registry.rules.officers import listed_name
from confianza.registry.service.agencies import holder_of
from confianza.trail.rules import AuditAction
from confianza.vetting.rules.policy import WorkflowPolicy
from confianza.work import Transaction, UnitOfWork


@dataclass(frozen=True)
class ListFilter:
    agency_id: int | None = None
    state_code: str | None = None


def _check_filter(tx: Transaction, actor: Actor, where: ListFilter) -> None:
    require(actor, Permission.COVERAGE_READ, resource_type="certification")
    if where.agency_id is not None:
        agency = tx.agencies.get(where.agency_id)
        if agency is None:
            raise NotFound(f"agency {where.agency_id} does not exist")
        require(actor, Permission.COVERAGE_READ, holder_of(agency), resource_type="agency",
                resource_id=agency.id)
    if where.state_code is not None:
        if len(where.state_code) != 2 or not where.state_code.isdigit():
            raise ValidationFailed(FieldError("state", "must be a two-digit INEGI state code"))
        require(actor, Permission.COVERAGE_READ,
                Holder(state_codes=frozenset({where.state_code})),
                resource_type="state", resource_id=where.state_code)


def alert_line(row: tuple[Any, ...], today: date) -> AlertLine:
    """One row of the alert list (as the repository gives it) with its reasons."""
    (oid, first, second, given, curp, _status, agency_id, code, state, rank, verdict,
     approved_until, cup_until) = row
    return AlertLine(
        int(oid), listed_name(first, second, given), curp, int(agency_id), code, state, rank,
        approved_until, cup_until,
        alert_reasons(Verdict(verdict) if verdict else None, approved_until, cup_until, today),
    )


def alert_list(
    uow: UnitOfWork, actor: Actor, where: ListFilter = ListFilter(), *,
    cursor: str | None = None, limit: int = 100,
) -> Page[AlertLine]:
    """Officers on active duty without a valid approved evaluation or a current CUP."""
    after = decode_cursor(cursor)
    with uow.transaction() as tx:
        _check_filter(tx, actor, where)
        rows = list(tx.certification.alerts(
            today=tx.today, scope=actor.scope, agency_id=where.agency_id,
            state_code=where.state_code, after=after[1] if after else None, limit=limit + 1,
        ))
        more = len(rows) > limit
        lines = [alert_line(r, tx.today) for r in rows[:limit]]
        tx.audit.record(actor, AuditAction.ALERTS_READ, "certification", None,
                        detail={"agency_id": where.agency_id, "state": where.state_code,
                                "results": [line.officer_id for line in lines]})
        next_cursor = encode_cursor(("", lines[-1].officer_id)) if more and lines else None
        return Page(lines, next_cursor)


def export_alerts(uow: UnitOfWork, actor: Actor, where: ListFilter = ListFilter()
                  ) -> Iterator[AlertLine]:
    """The whole alert list at once (for a report or a file); audited like a page of it."""
    with uow.transaction() as tx:
        _check_filter(tx, actor, where)
        lines = [alert_line(r, tx.today) for r in tx.certification.alerts(
            today=tx.today, scope=actor.scope, agency_id=where.agency_id,
            state_code=where.state_code, after=None, limit=None,
        )]
        tx.audit.record(actor, AuditAction.ALERTS_READ, "certification", None,
                        detail={"agency_id": where.agency_id, "state": where.state_code,
                                "export": True, "count": len(lines),
                                "results": [line.officer_id for line in lines]})
    yield from lines


def reevaluation_line(row: tuple[Any, ...]) -> ReevaluationLine:
    """One row of the re-evaluation list, as the repository gives it."""
    oid, first, second, given, agency_id, code, rank, ends, open_id = row
    return ReevaluationLine(int(oid), listed_name(first, second, given), int(agency_id), code,
                            rank, ends, int(open_id) if open_id is not None else None)


def reevaluation_list(
    uow: UnitOfWork, actor: Actor, where: ListFilter = ListFilter(), *,
    policy: WorkflowPolicy, cursor: str | None = None, limit: int = 100,
) -> Page[ReevaluationLine]:
    """Officers whose approval ends within the re-evaluation window (the policy's), soonest
    first."""
    raw = decode_cursor(cursor)
    after = None
    if raw is not None:
        try:
            after = (date.fromisoformat(raw[0]), raw[1])
        except ValueError:
            raise ValidationFailed(FieldError("cursor", "is not a cursor this server issued")
                                   ) from None
    with uow.transaction() as tx:
        _check_filter(tx, actor, where)
        until = add_months(tx.today, policy.validity.reevaluation_months)
        rows = tx.certification.reevaluation(
            today=tx.today, until=until, scope=actor.scope, agency_id=where.agency_id,
            limit=limit + 1, after=after,
        )
        more = len(rows) > limit
        lines = [reevaluation_line(r) for r in rows[:limit]]
        tx.audit.record(actor, AuditAction.REEVALUATION_LIST_READ, "certification", None,
                        detail={"agency_id": where.agency_id,
                                "results": [line.officer_id for line in lines]})
        next_cursor = (encode_cursor((lines[-1].approved_until.isoformat(),
                                      lines[-1].officer_id)) if more and lines else None)
        return Page(lines, next_cursor)


def coverage(uow: UnitOfWork, actor: Actor, *, by: str = "state",
             where: ListFilter = ListFilter(),
             summary: Callable[[], Summary] | None = None) -> list[CoverageRow]:
    """Officers, evaluated, approved, expired, not approved, never evaluated, certified, and
    on duty without valid certification: per state, or per agency.

    With `summary` (the app's kept summary of the force, ADR 0017) the figures are cut from it,
    at most a minute old, instead of read afresh: a national read is a second's pass over every
    officer holding a post, too slow for a page. The summary is fetched before the transaction
    so that a first, slow load never runs inside it."""
    if by not in ("state", "agency"):
        raise ValidationFailed(FieldError("by", "must be state or agency"))
    kept = summary() if summary is not None else None
    with uow.transaction() as tx:
        _check_filter(tx, actor, where)
        if kept is not None:
            rows = coverage_rows(kept, actor.scope, by=by, state_code=where.state_code,
                                 agency_id=where.agency_id)
        else:
            rows = tx.certification.coverage(today=tx.today, scope=actor.scope, by=by,
                                             state_code=where.state_code,
                                             agency_id=where.agency_id)
        tx.audit.record(actor, AuditAction.COVERAGE_READ, "certification", None,
                        detail={"by": by, "state": where.state_code, "groups": len(rows)})
        return rows
