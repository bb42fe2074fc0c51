"""The "Accesos" pages, on both databases: find an officer by CURP, read who touched the record
and why, one account's history with filters, and the printable due-process report."""

from __future__ import annotations

import html
import sys
from pathlib import Path

import pytest
from ui_support import open_client, sign_in

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))

from access_support import CLERK_PURPOSE, IA_PURPOSE, Accesses, seed_accesses  # noqa: E402

from confianza.app.bootstrap import Container  # noqa: E402
from confianza.core.web import strings
from confianza.trail.rules import AuditAction, AuditEntry  # noqa: E402

T = strings.TEXT


@pytest.fixture
def seeded(container: Container, agencies: dict[str, int]) -> Accesses:
    return seed_accesses(container, agencies)


def trail(container: Container) -> list[AuditEntry]:
    with container.uow().transaction() as tx:
        return tx.audit.entries(limit=100_000)


def page_text(body: str) -> str:
    return html.unescape(body)


def test_auditor_finds_an_officer_and_reads_who_looked(
    container: Container, seeded: Accesses
) -> None:
    for client in open_client(container):
        sign_in(client, "auditor")
        start = client.get("/access")
        assert start.status_code == 200
        assert 'href="/access"' in start.text and T["acc_officer_heading"] in start.text
        found = client.get("/access", params={"elemento": seeded.maria_curp.lower()})
        assert found.status_code == 303
        assert found.headers["location"] == f"/access/officers/{seeded.maria}"
        missing = client.get("/access", params={"elemento": "AAAA000000HDFXXX00"})
        assert missing.status_code == 404
        assert T["acc_officer_not_found"] in page_text(missing.text)
        report = client.get(f"/access/officers/{seeded.maria}")
        assert report.status_code == 200
        text = page_text(report.text)
        for expected in (CLERK_PURPOSE, IA_PURPOSE, strings.ACC_ACTION["officer:contact:read"],
                         strings.ACC_REACH["listed"], strings.ACC_REACH["named"],
                         T["acc_examined_all"], "ia.agent"):
            assert expected in text, expected
    last = trail(container)[-1]
    assert (last.actor, last.action, last.resource_id) == (
        "auditor", AuditAction.AUDIT_READ, str(seeded.maria))


def test_auditor_reads_an_accounts_history_with_filters(
    container: Container, seeded: Accesses
) -> None:
    for client in open_client(container):
        sign_in(client, "auditor")
        form = client.get("/access/users")
        assert form.status_code == 200
        redirected = client.get("/access", params={"usuario": "clerk"})
        assert redirected.headers["location"] == "/access/users?usuario=clerk"
        history = client.get("/access/users", params={"usuario": "clerk"})
        assert history.status_code == 200
        text = page_text(history.text)
        assert strings.ACC_ACTION["officer:identity:search"] in text and CLERK_PURPOSE in text
        only = client.get("/access/users", params={
            "usuario": "clerk", "accion": "officer:identity:read"})
        text = page_text(only.text)
        assert CLERK_PURPOSE not in text and strings.ACC_ACTION["officer:identity:read"] in text
        none = client.get("/access/users", params={"usuario": "clerk", "hasta": "2026-11-19"})
        assert T["acc_user_none"] in page_text(none.text)
        bad = client.get("/access/users", params={"usuario": "clerk", "desde": "ayer",
                                                  "accion": "officer"})
        assert bad.status_code == 422 and T["acc_bad_date"] in page_text(bad.text)
        wrong = client.get("/access/users", params={"usuario": "clerk", "accion": "officer%"})
        assert wrong.status_code == 422 and T["acc_bad_action"] in page_text(wrong.text)
    assert any(e.action == AuditAction.AUDIT_READ and e.detail.get("username") == "clerk"
               for e in trail(container))


def test_the_printable_report_names_roles_not_staff(
    container: Container, seeded: Accesses
) -> None:
    for client in open_client(container):
        sign_in(client, "jal.hr")
        response = client.get(f"/access/officers/{seeded.maria}/report")
        assert response.status_code == 200
        text = page_text(response.text)
        assert T["acc_report_title"] in text and seeded.maria_curp in text
        assert CLERK_PURPOSE in text and T["acc_report_withheld"] in text
        assert IA_PURPOSE not in text
        assert strings.ROLE["internal_affairs"] in text and "Jalisco" in text
        for username in ("ia.agent", ">clerk<", "jal.hr"):
            assert username not in text.replace(">jal.hr<", ""), username
        # HR may print the report but not browse the trail: no "Accesos" link for it.
        assert 'href="/access"' not in text
    last = trail(container)[-1]
    assert (last.actor, last.action) == ("jal.hr", AuditAction.OFFICER_ACCESS_REPORT)


def test_other_roles_are_refused_and_the_refusal_is_recorded(
    container: Container, seeded: Accesses
) -> None:
    for client in open_client(container):
        sign_in(client, "clerk")
        assert 'href="/access"' not in client.get("/").text
        for url in ("/access", f"/access/officers/{seeded.maria}",
                    "/access/users?usuario=auditor", f"/access/officers/{seeded.maria}/report"):
            before = len(trail(container))
            response = client.get(url)
            assert response.status_code == 403, url
            denied = trail(container)[before:]
            assert [(e.actor, e.action) for e in denied] == [
                ("clerk", AuditAction.ACCESS_DENIED)], url
