"""Imported officers are found by name in any order (ADR 0028): the bulk import writes the words
of their names with them, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from test_importing_roster import _import, _line, _write

from confianza.accounts.rules.permissions import Actor
from confianza.app.bootstrap import Container
from confianza.registry.service.officers import OfficerQuery, search_officers


def test_imported_officers_are_found_by_their_names_in_any_order(
    container: Container, operator: Actor, agencies: dict[str, int], tmp_path: Path
) -> None:
    report = _import(container, operator, _write(tmp_path, [_line(0), _line(1), _line(2)]))
    assert report.officers == 3
    uow = container.uow()
    for typed, expected in (("Rosa Pérez Muñoz", "ROSA"), ("munoz rosa", "ROSA"),
                            ("María Díaz", "ANA MARÍA"), ("luna ana ma", "ANA MARÍA")):
        page = search_officers(uow, operator, OfficerQuery(name=typed))
        assert [o.given_names for o in page.items] == [expected], typed
