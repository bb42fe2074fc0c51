"""How fast CUP credentials are signed, and verified with their status checked, on one core.

1. Signing: COUNT CUP credentials are built (`cup_credential`, with a revocation and a suspension
   status entry each) and signed as vc+jwt with Ed25519 (`SigningKey.sign`), one after another in
   this one process. Prints credentials/s; the national issuance is 400,000 of them (target:
   under 3 minutes, so over 2,200/s, database aside).
2. Verification: every credential is checked with `verify_credential` as a checkpoint's verifier
   runs it: extract the token, verify the JWS, read the credential, check its dates and both of
   its status bits. The status lists (one revocation, one suspension per 131,072 credentials, a
   few bits set in each) are signed list credentials returned by a fetch function, so they are
   fetched and verified once and then served from the cache until their validUntil, as in a
   long-running verifier. One thread, one process: one core. Prints checks/s (target: 5,000/s)
   and, for reference, the bare Ed25519 signature check on the same tokens.

Rates are per second of this process's CPU time (`time.process_time`), so that other work on a
shared machine does not count against them; the wall-clock time is printed beside.

The verdicts are counted and compared with the bits that were set, so a fast wrong answer fails.

    python benchmarks/credential_verify.py [--count 20000] [--revoked-every 997]
        [--suspended-every 1499]
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from confianza.credentials.rules.credential import (
    MEDIA_TYPE,
    CupFacts,
    StatusLists,
    Verdict,
    cup_credential,
    verify_credential,
)
from confianza.kit.jose import KeySet, SigningKey, b64url_decode
from confianza.kit.status_list import (
    MIN_ENTRIES,
    REVOCATION,
    SUSPENSION,
    encode_list,
    set_bit,
    status_entry,
    status_list_credential,
)

ISSUER = "did:web:confianza.bench.example"
BASE = "https://confianza.bench.example/status"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def list_url(purpose: str, number: int) -> str:
    return f"{BASE}/{purpose}/{number}"


def facts(n: int) -> CupFacts:
    return CupFacts(certificate_number=f"CUP-2025-{n:07d}", name=f"Agente Número {n}",
                    agency="Secretaría de Seguridad Ciudadana", rank="Policía Segundo",
                    valid_from=date(2025, 6, 1), valid_until=date(2028, 5, 31))


def issue(key: SigningKey, count: int) -> tuple[list[str], float]:
    tokens = []
    started = time.process_time()
    for n in range(count):
        number, index = divmod(n, MIN_ENTRIES)
        status = [status_entry(list_url(REVOCATION, number), index, REVOCATION),
                  status_entry(list_url(SUSPENSION, number), index, SUSPENSION)]
        credential = cup_credential(issuer=ISSUER, credential_id=f"urn:uuid:bench-{n}",
                                    facts=facts(n), status=status)
        tokens.append(key.sign(credential, MEDIA_TYPE))
    return tokens, time.process_time() - started


def publish(key: SigningKey, count: int, revoked_every: int,
            suspended_every: int) -> tuple[dict[str, str], Counter[Verdict]]:
    """The signed status lists, by URL, and the verdicts their bits should produce."""
    lists = {}
    expected: Counter[Verdict] = Counter()
    for number in range((count + MIN_ENTRIES - 1) // MIN_ENTRIES):
        revocation, suspension = bytearray(MIN_ENTRIES // 8), bytearray(MIN_ENTRIES // 8)
        for index in range(min(MIN_ENTRIES, count - number * MIN_ENTRIES)):
            n = number * MIN_ENTRIES + index
            if n % revoked_every == revoked_every - 1:
                set_bit(revocation, index, True)
                expected[Verdict.REVOKED] += 1
            elif n % suspended_every == suspended_every - 1:
                set_bit(suspension, index, True)
                expected[Verdict.SUSPENDED] += 1
            else:
                expected[Verdict.VALID] += 1
        for purpose, bits in ((REVOCATION, revocation), (SUSPENSION, suspension)):
            url = list_url(purpose, number)
            lists[url] = key.sign(status_list_credential(
                issuer=ISSUER, list_url=url, purpose=purpose, encoded=encode_list(bytes(bits)),
                valid_from=NOW - timedelta(hours=1), valid_until=NOW + timedelta(days=1)),
                MEDIA_TYPE)
    return lists, expected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--revoked-every", type=int, default=997)
    parser.add_argument("--suspended-every", type=int, default=1499)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")

    key = SigningKey.generate("bench-2026")
    keys = KeySet.of(key.public_jwk())
    tokens, took = issue(key, args.count)
    print(f"signing: {args.count / took:,.0f}/s on one core ({args.count:,} CUP credentials "
          f"built and signed in {took:.2f} s of CPU; {took / args.count * 1e6:.0f} µs each; "
          f"400,000 would take {400_000 * took / args.count:.0f} s)", flush=True)

    lists, expected = publish(key, args.count, args.revoked_every, args.suspended_every)
    fetched: Counter[str] = Counter()

    def fetch(url: str) -> str:
        fetched[url] += 1
        return lists[url]

    status = StatusLists(keys, fetch, issuer=ISSUER)
    verdicts: Counter[Verdict] = Counter()
    started, wall = time.process_time(), time.perf_counter()
    for token in tokens:
        verdicts[verify_credential(token, keys, status, now=NOW).verdict] += 1
    took, wall = time.process_time() - started, time.perf_counter() - wall
    assert verdicts == expected, f"verdicts {dict(verdicts)}, expected {dict(expected)}"
    assert all(times == 1 for times in fetched.values()), f"lists fetched {dict(fetched)}"
    print(f"verification with status check: {args.count / took:,.0f}/s on one core "
          f"({args.count:,} credentials in {took:.2f} s of CPU, {wall:.2f} s of wall clock; "
          f"{took / args.count * 1e6:.0f} µs each; "
          f"{verdicts[Verdict.VALID]:,} valid, {verdicts[Verdict.REVOKED]:,} revoked, "
          f"{verdicts[Verdict.SUSPENDED]:,} suspended; {len(fetched)} lists fetched once each)",
          flush=True)

    # The floor: the Ed25519 check alone, on the same tokens, with nothing parsed.
    public = key._private.public_key()  # the benchmark may look inside; the product does not
    split = [token.rpartition(".") for token in tokens]
    pairs = [(b64url_decode(sig), signed.encode("ascii")) for signed, _, sig in split]
    started = time.process_time()
    for signature, signed in pairs:
        public.verify(signature, signed)
    alone = time.process_time() - started
    print(f"  for reference, the Ed25519 signature check alone: {args.count / alone:,.0f}/s; "
          f"the whole check takes {took / alone:.2f} times as long", flush=True)


if __name__ == "__main__":
    main()
