"""Alerts on unexplained reads for the page tests: the service tests' worlds and helpers
(evaluation_support, access_alert_support), put on the import path here; and alerts stored
as detection stores them, for what needs many of them or a reader in another zone."""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))

from insider_support import raise_alerts, stray_burst  # noqa: E402, I001
from evaluation_support import PASSWORD, TODAY, World, build_world, person  # noqa: E402

from confianza.access.rules.alerts import AlertRead, NewAlert  # noqa: E402
from confianza.app.bootstrap import Container  # noqa: E402

__all__ = ["PASSWORD", "TODAY", "World", "build_world", "person", "raise_alerts",
           "store_alert", "stray_burst"]


def store_alert(container: Container, reader: str, role: str | None, day: date,
                reads: list[tuple[int, datetime]], *, points: float = 12.0) -> int:
    """An open alert on `reader`'s reads of (officer, instant) over the week to `day`, as
    detection stores one (a burst and an off-hours signal); its id."""
    behind = tuple(AlertRead(1_000 + n, officer, at, "officer:identity:read",
                             ("burst", "off_hours"))
                   for n, (officer, at) in enumerate(reads))
    alert = NewAlert(reader, role, day - timedelta(days=6), day, points, 10.0, (
        {"name": "burst", "points": points - 2, "reads": len(reads),
         "es": f"{len(reads)} expedientes abiertos en menos de una hora sin trabajo que lo "
               "explique",
         "en": f"{len(reads)} records opened within an hour with no work to explain them"},
        {"name": "off_hours", "points": 2.0, "reads": 1,
         "es": "1 consultas sin explicación fuera del horario laboral de su zona",
         "en": "1 unexplained reads outside working hours in their zone"}), behind)
    with container.uow().transaction() as tx:
        return tx.access.add_alert(alert, "test", tx.now)
