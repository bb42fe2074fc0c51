"""A process that writes audit entries or integrates the log until it is killed, for the
sequencing tests (test_log_sequencing.py): `log_worker.py URL write|integrate SECONDS`."""

from __future__ import annotations

import sys
import time

from confianza.app.bootstrap import build
from confianza.app.settings import Environment, Settings
from confianza.trail.rules import PendingEntry
from confianza.transparency.rules import PublicLog
from confianza.transparency.service import log as transparency


def main() -> None:
    url, role, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    container = build(Settings(environment=Environment.TEST, database_url=url))
    public = PublicLog(container.log_keys().public_log().key)
    end = time.monotonic() + seconds
    n = 0
    print("working", flush=True)
    while time.monotonic() < end:
        if role == "write":
            with container.uow().transaction() as tx:
                tx.audit.write_many([PendingEntry("worker", "system", "x:y:z", "officer",
                                                  str(n + k)) for k in range(3)])
            n += 3
        else:
            transparency.integrate(container.uow(), public, batch=16)


if __name__ == "__main__":
    main()
