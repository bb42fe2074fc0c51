"""What the roster-refresh tests share: a mapping, people, and rows of a roster edition."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from confianza.accounts.rules.permissions import Actor
from confianza.app.bootstrap import Container
from confianza.kit.curp import build_curp
from confianza.registry.cli.files import read_roster
from confianza.registry.rules.import_mapping import ImportMapping, parse_mapping
from confianza.registry.service.officer_import import ImportReport, import_officers

MAPPING_PATH = Path(__file__).parents[2] / "data" / "refresh" / "refresh.toml"
MAPPING_TEXT = MAPPING_PATH.read_text(encoding="utf-8")
CHANGES_ONLY = parse_mapping(MAPPING_TEXT, "roster.toml")
COMPLETE = parse_mapping(MAPPING_TEXT + "[roster]\ncomplete = true\n", "complete.toml")
HEADER = ["curp", "nombres", "paterno", "materno", "sexo", "nacimiento", "grado", "ingreso",
          "baja", "motivo", "situacion", "corporacion", "unidad", "unidad_nombre", "placa"]
PEOPLE = [("ROSA", "PÉREZ", "MUÑOZ", date(1980, 1, 2), "M"),
          ("LUIS", "GÓMEZ", "RUIZ", date(1979, 5, 6), "H"),
          ("ANA MARÍA", "DÍAZ", "LUNA", date(1990, 7, 8), "M")]


def curp(i: int) -> str:
    given, first, second, born, sex = PEOPLE[i]
    return build_curp(first, second, given, born, sex, "JC")


def line(i: int, **changes: str) -> list[str]:
    given, first, second, born, sex = PEOPLE[i]
    values = {"curp": curp(i), "nombres": given, "paterno": first, "materno": second,
              "sexo": sex, "nacimiento": born.isoformat(), "grado": "POLICÍA",
              "ingreso": "2015-02-01", "baja": "", "motivo": "", "situacion": "",
              "corporacion": "JAL-SSP", "unidad": "Z1", "unidad_nombre": "Zona 1",
              "placa": str(500 + i)}
    values.update(changes)
    return [values[h] for h in HEADER]


def write(tmp_path: Path, rows: list[list[str]], name: str = "roster.csv") -> Path:
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def apply(container: Container, operator: Actor, path: Path,
          mapping: ImportMapping = CHANGES_ONLY, **options: Any) -> ImportReport:
    return import_officers(container.uow(), operator, read_roster(path, mapping.encoding),
                           mapping, **options)


def officer_id(container: Container, i: int) -> int:
    with container.uow().transaction() as tx:
        found = tx.officers.id_by_curp(curp(i))
        assert found is not None
        return found


def entries(container: Container) -> list[tuple[str, str | None, dict[str, Any]]]:
    """(action, resource id, detail) of every audit entry, oldest first."""
    with container.uow().transaction() as tx:
        found = tx.audit.entries(limit=10_000)
    return [(e.action, e.resource_id, dict(e.detail)) for e in found]
