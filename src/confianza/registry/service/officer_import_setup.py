"""Setting up the agencies a roster needs, in one command or one section of a mapping file."""

from __future__ import annotations

import csv
import io
import tomllib
from dataclasses import dataclass
from pathlib import Path

from confianza.accounts.rules.permissions import Actor
from confianza.app.unit_of_work import Transaction, UnitOfWork
from confianza.core.errors import FieldError, ValidationFailed
from confianza.registry.rules.agencies import NewAgency
from confianza.registry.rules.import_mapping import parse_agency_specs
from confianza.registry.service.agencies import add_agency


@dataclass(frozen=True)
class AgencyLoadReport:
    created: tuple[str, ...]
    existing: tuple[str, ...]


def read_agency_file(path: Path) -> tuple[NewAgency, ...]:
    """Agencies from a TOML file ([[agencies]] tables) or a CSV file with a header row
    (code, name, level, state_code, municipality_key, parent_code)."""
    try:
        data = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ValidationFailed(FieldError(path.name, f"cannot be read: {exc.strerror}")) from exc
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise ValidationFailed(FieldError(f"{path.name}:{line}", "is not valid UTF-8")) from exc
    if path.suffix.lower() == ".csv":
        rows = [dict(r) for r in csv.DictReader(io.StringIO(data))]
        return parse_agency_specs(rows, path.name, "rows")
    try:
        parsed = tomllib.loads(data)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationFailed(FieldError(path.name, str(exc))) from exc
    return parse_agency_specs(parsed.get("agencies", []), path.name)


def ensure_agencies(
    tx: Transaction, actor: Actor, specs: tuple[NewAgency, ...]
) -> AgencyLoadReport:
    """Create, inside an open transaction, every listed agency that does not exist yet.

    Agencies are created in the order listed, so a parent listed before its children works.
    An agency that already exists is left as it is: set-up files are meant to be re-run.
    """
    created: list[str] = []
    existing: list[str] = []
    for spec in specs:
        if tx.agencies.by_code(spec.code) is not None:
            existing.append(spec.code)
            continue
        add_agency(tx, actor, spec)
        created.append(spec.code)
    return AgencyLoadReport(tuple(created), tuple(existing))


def load_agencies(
    uow: UnitOfWork, actor: Actor, specs: tuple[NewAgency, ...]
) -> AgencyLoadReport:
    """Create the missing agencies of a set-up file, all or none."""
    with uow.transaction() as tx:
        return ensure_agencies(tx, actor, specs)
