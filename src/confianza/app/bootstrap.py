"""The composition root: the one place that wires settings, engine, clock and units of work."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property, partial
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from confianza.accounts.service import users as user_service
from confianza.app.parallel import SpawnedParts
from confianza.app.settings import Environment, Settings, get_settings
from confianza.app.unit_of_work import SqlUnitOfWork
from confianza.certification.rules.cup import CupPolicy
from confianza.certification.rules.decisions import ValidityPolicy
from confianza.core.civil_time import civil_date, system_now, zone_named
from confianza.core.db.database import SoleHolder, make_engine, writer_lock
from confianza.core.errors import DomainError
from confianza.credentials.rules.issuer import Issuer, did_web, full_kid
from confianza.kit.jose import SigningKey
from confianza.kit.signed_note import NoteError, Signer, Verifier
from confianza.transparency.contracts import ReaderOpener
from confianza.transparency.repository import log_reader
from confianza.transparency.rules import generate_key, parse_key
from confianza.transparency.service.log import LogKeys
from confianza.vetting.rules.evaluations import BatteryPolicy, RankLevel
from confianza.vetting.rules.policy import WorkflowPolicy


def utc_now() -> datetime:
    return system_now()


@dataclass
class Container:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    clock: Callable[[], datetime]
    writer_lock: AbstractContextManager[object] | None = None
    # The trust-control policy and the credential issuer are handed to the use cases that
    # need them (the unit of work holds only the transaction and its repositories). The
    # issuer is None where no signing key is configured: credentials are then issued later,
    # by `confianza certificates issue`.
    policy: WorkflowPolicy = field(default_factory=WorkflowPolicy)
    issuer: Issuer | None = None

    @cached_property
    def zone(self) -> ZoneInfo:
        """The deployment's civil time zone (CONFIANZA_TIME_ZONE), looked up once: every unit
        of work is handed it."""
        return zone_named(self.settings.time_zone)

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        """Today's civil date in the deployment's zone (not UTC's, which runs ahead of Mexico
        from 18:00 to midnight)."""
        return civil_date(self.clock(), self.zone)

    def uow(self, request_id: str | None = None) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.session_factory, self.clock, request_id, self.writer_lock,
                          self.zone)

    def dispose(self) -> None:
        self.engine.dispose()

    def log_reader_opener(self) -> ReaderOpener:
        """Opens a reader of the log over a connection of its own, in any process (picklable:
        `audit verify` hands it to its worker processes)."""
        return partial(log_reader, self.engine.url.render_as_string(hide_password=False))

    def in_parts(self) -> SpawnedParts:
        """Runs a read-only job over parts of the registry in processes of their own, each
        with a connection of its own to this database (`work.InParts`)."""
        return SpawnedParts(self.engine.url.render_as_string(hide_password=False),
                            self.settings.time_zone)

    def sole_holder(self, name: str) -> SoleHolder:
        """A lock at most one process holds per database (the periodic checkpoints take it)."""
        return SoleHolder(self.engine, name)

    def log_keys(self) -> LogKeys:
        """The audit log's name and keys (read from the settings each time: it is cheap)."""
        return log_keys(self.settings)

    def model_key(self) -> bytes:
        """The key that seals early-intervention models (risk/rules/storage.py): derived from
        the deployment's pseudonym key, a secret the database never holds, so that no second
        secret has to be kept; HKDF with a label of its own keeps the two uses apart."""
        from cryptography.hazmat.primitives.hashes import SHA256
        from cryptography.hazmat.primitives.kdf.hkdf import HKDF

        secret = self.log_keys().public_log_key()
        return HKDF(algorithm=SHA256(), length=32, salt=None,
                    info=b"confianza/risk-model-seal/v1").derive(secret)


def build(
    settings: Settings | None = None, clock: Callable[[], datetime] = utc_now
) -> Container:
    settings = settings or get_settings()
    engine = make_engine(settings.database_url, echo=settings.sql_echo)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    lock = writer_lock(engine)
    user_service.TOKENS.ttl = settings.token_cache_seconds
    user_service.SESSIONS.ttl = settings.session_cache_seconds
    if settings.environment is Environment.TEST:
        user_service.use_test_hashing()
    return Container(settings, engine, factory, clock, lock, workflow_policy(settings),
                     credential_issuer(settings))


def workflow_policy(settings: Settings) -> WorkflowPolicy:
    """The trust-control policy the settings describe."""
    command = settings.validity_years_command
    return WorkflowPolicy(
        battery=BatteryPolicy.from_config(settings.battery_policy),
        validity=ValidityPolicy(
            years={RankLevel.BASIC: settings.validity_years_basic,
                   RankLevel.MIDDLE_COMMAND: command, RankLevel.SENIOR_COMMAND: command},
            reevaluation_months=settings.reevaluation_months,
        ),
        cup=CupPolicy(skills_years=settings.cup_skills_years,
                      performance_years=settings.cup_performance_years),
        appeal_days=settings.appeal_days,
    )


#: Where development keeps the log's keys it made, so checkpoints verify across restarts.
DEV_LOG_KEY_FILE = Path("var/log-signing.key")
DEV_PSEUDONYM_KEY_FILE = Path("var/log-pseudonym.key")


def log_keys(settings: Settings, dev_key_file: Path = DEV_LOG_KEY_FILE,
             dev_pseudonym_file: Path = DEV_PSEUDONYM_KEY_FILE) -> LogKeys:
    """The audit log's keys: the configured signer and pseudonym key, or in development the
    ones kept in the `dev_*` files (made on first use); then the extra verifier keys, without
    repeats."""
    signer: Signer | None = None
    pseudonym_key: bytes | None = None
    development = settings.environment is Environment.DEVELOPMENT
    if settings.log_signing_key is not None:
        # The settings have already refused a malformed key or one named after another origin.
        signer = Signer.parse(settings.log_signing_key.get_secret_value().strip())
    elif development:
        signer = _development_signer(settings.log_origin, dev_key_file)
    if settings.log_pseudonym_key is not None:
        pseudonym_key = parse_key(settings.log_pseudonym_key.get_secret_value())
    elif development:
        pseudonym_key = _development_pseudonym_key(dev_pseudonym_file)
    verifiers: list[Verifier] = [signer.verifier] if signer is not None else []
    for text in settings.log_verifier_keys:
        verifier = Verifier.parse(text)
        if verifier not in verifiers:
            verifiers.append(verifier)
    return LogKeys(settings.log_origin, signer, tuple(verifiers), pseudonym_key)


def _development_secret(path: Path, make: Callable[[], str]) -> str:
    """Read a development key file, or make it once. The new key is written to a private
    temporary file and linked into place, so two processes starting together (a server and
    its reloader) agree on one key and neither reads a half-written file."""
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fresh = make()
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as file:
            file.write(fresh + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:
            return _development_secret(path, make)
        finally:
            temporary.unlink()
        return fresh


def _development_pseudonym_key(path: Path) -> bytes:
    try:
        return parse_key(_development_secret(path, generate_key))
    except ValueError as exc:
        raise SigningKeyProblem(f"{path}: {exc}; delete the file to make a new key "
                                "(only while the log is empty: the key names its leaves)"
                                ) from None


def _development_signer(origin: str, path: Path) -> Signer:
    text = _development_secret(path, lambda: Signer.generate(origin).key_string())
    try:
        signer = Signer.parse(text)
    except NoteError as exc:
        raise SigningKeyProblem(f"{path}: {exc}; delete the file to make a new key") from None
    if signer.name != origin:
        raise SigningKeyProblem(
            f"{path} holds the key of {signer.name!r}, not of CONFIANZA_LOG_ORIGIN {origin!r}; "
            "delete the file to make a new key"
        )
    return signer


DEV_CREDENTIAL_KEY_FILE = Path("var/credential-key.jwk")


def credential_issuer(settings: Settings,
                      dev_key_file: Path = DEV_CREDENTIAL_KEY_FILE) -> Issuer | None:
    """Who signs credentials here: the configured key (in development, one kept in
    `dev_key_file`, made on first use) under the public address; None without a key."""
    base_url = settings.base_url()
    if settings.credential_key is not None:
        text = settings.credential_key.get_secret_value()
    elif settings.environment is Environment.DEVELOPMENT:
        text = _development_secret(dev_key_file, lambda: json.dumps(
            SigningKey.generate(f"key-{utc_now():%Y%m%d}").to_jwk()))
    else:
        return None
    if base_url is None:
        return None  # the settings refuse a key without an address in production
    try:
        key = SigningKey.from_jwk(text)
    except ValueError as exc:
        raise SigningKeyProblem(f"{dev_key_file}: {exc}; delete the file to make a new key"
                                ) from None
    # Keys are named `<did>#<name>`; a key made with a bare name is put under this issuer.
    named = full_kid(did_web(base_url), key.kid)
    if named != key.kid:
        key = SigningKey.from_jwk({**key.to_jwk(), "kid": named})
    return Issuer(base_url, key)


class SigningKeyProblem(DomainError):
    """The development key file cannot be used; the message says how to recover."""

    title = "Audit log key unusable"
