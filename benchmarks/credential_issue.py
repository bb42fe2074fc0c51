"""How fast the registry signs a CUP credential for every current certificate.

Builds the synthetic registry (services.synthetic.generate, as `confianza demo`) with no
signing key, so no certificate has a credential yet; then times `confianza certificates
issue` (services.credentials.issue_missing): for each certificate, its facts read in batches,
a status index reserved, the vc+jwt signed with Ed25519, the row and its audit entry written,
one transaction per 20,000. Prints credentials/s and what that makes for the 400,000 officers
of the national registry (target: under 3 minutes), then checks a sample of them as the public
verification page does.

    python benchmarks/credential_issue.py [--scale national] [--seed 2018] [--sample 200]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
import uuid
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from confianza.accounts.rules.permissions import system_actor
from confianza.app.bootstrap import build, credential_issuer
from confianza.app.settings import Environment, Settings
from confianza.core.db import migrate
from confianza.credentials import service as credentials
from confianza.credentials.rules.credential import Verdict
from confianza.demo.rules.force import Scale
from confianza.demo.service import generate
from confianza.kit.jose import SigningKey

OFFICERS = 400_000


def run(url: str, scale: Scale, seed: int, sample: int) -> None:
    settings = Settings(environment=Environment.TEST, database_url=url,
                        public_url="https://confianza.example.gob.mx",
                        credential_key=SecretStr(json.dumps(
                            SigningKey.generate("bench").to_jwk())))
    container = build(settings)
    try:
        migrate.upgrade(container.engine)
        started = time.perf_counter()
        # Built without an issuer, so that the credentials are signed below, timed apart.
        report = generate(container.uow(), system_actor("benchmark"), scale=scale, seed=seed,
                          issuer=None)
        print(f"{container.engine.dialect.name}: built {report.counts['officers']:,} officers, "
              f"{report.counts['cup_certificates']:,} certificates in "
              f"{time.perf_counter() - started:.0f} s (no credentials yet)", flush=True)
        issuer = container.issuer or credential_issuer(settings)
        wall, cpu = time.perf_counter(), time.process_time()
        issued = credentials.issue_missing(container.uow(), system_actor("benchmark"),
                                           issuer=issuer)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        rate = issued / wall
        print(f"  issued {issued:,} credentials in {wall:.1f} s ({cpu:.1f} s CPU in this "
              f"process): {rate:,.0f}/s; {OFFICERS:,} officers would take "
              f"{OFFICERS / rate:.0f} s", flush=True)
        check_sample(container.uow(), sample, issuer)
    finally:
        container.dispose()


def check_sample(uow: object, sample: int, issuer: object) -> None:
    from confianza.app.unit_of_work import SqlUnitOfWork
    from confianza.credentials.rules.issuer import Issuer

    assert isinstance(uow, SqlUnitOfWork) and isinstance(issuer, Issuer)
    with uow.transaction(read_only=True) as tx:
        count = tx.credentials.count()
        rows = tx.session.execute(text("SELECT token FROM cup_credentials")).scalars().all()
    tokens = random.Random(1).sample(list(rows), min(sample, count))
    started = time.perf_counter()
    verdicts = [credentials.check(uow, token, issuer=issuer).verdict for token in tokens]
    took = time.perf_counter() - started
    bad = [v for v in verdicts if v not in (Verdict.VALID, Verdict.SUSPENDED)]
    assert not bad, f"issued credentials that do not verify: {bad[:5]}"
    print(f"  {len(tokens)} of them checked as the verification page does (keys and status "
          f"lists read from the registry): {len(tokens) / took:,.0f}/s, all authentic",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=Scale, default=Scale.NATIONAL, choices=list(Scale))
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--postgres", metavar="ADMIN_URL", help="also run on this server")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as folder:
        run(f"sqlite:///{Path(folder) / 'credentials.db'}", args.scale, args.seed, args.sample)
    if args.postgres:
        name = f"confianza_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(args.postgres).set(database=name).render_as_string(
                hide_password=False)
            run(url, args.scale, args.seed, args.sample)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
