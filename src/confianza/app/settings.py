"""Settings, declared once with their help text; read from CONFIANZA_* environment variables.

Defaults are the safe ones: production behaviour, no debug output, no secret. Development is the
mode you ask for (`CONFIANZA_ENVIRONMENT=development`, which `make demo` sets).
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONFIANZA_", extra="ignore")

    environment: Environment = Field(
        Environment.PRODUCTION,
        description="development, test or production; development relaxes cookie security, "
        "test also hashes passwords cheaply (for the test suite only: never serve real "
        "accounts with it).",
    )
    database_url: str = Field(
        "sqlite:///var/confianza.db",
        description="SQLAlchemy URL: sqlite:///path.db (embedded) or "
        "postgresql+psycopg://user@host/db (production).",
    )
    session_idle_minutes: int = Field(
        30, ge=1, le=24 * 60, description="Minutes of inactivity after which a session ends."
    )
    session_max_hours: int = Field(
        12, ge=1, le=24 * 7, description="Hours after which a session ends however active."
    )
    login_max_failures: int = Field(
        5, ge=1, description="Failed sign-ins for one account within 15 minutes before refusing."
    )
    token_cache_seconds: float = Field(
        10, ge=0, le=300,
        description="Seconds a resolved API token is remembered by a server process (0: never). "
        "A revocation reaches other processes within this time.",
    )
    session_cache_seconds: float = Field(
        10, ge=0, le=300,
        description="Seconds a signed-in session is remembered by a server process (0: never). "
        "Signing out or a deactivation reaches other processes within this time.",
    )
    page_size_max: int = Field(500, ge=10, description="Largest page the API returns.")
    validity_years_basic: int = Field(
        3, ge=1, le=10, description="Years an approved evaluation lasts for the basic scale."
    )
    validity_years_command: int = Field(
        2, ge=1, le=10,
        description="Years an approved evaluation lasts for middle and senior commanders.",
    )
    reevaluation_months: int = Field(
        6, ge=1, le=24,
        description="Months before an approval ends that an officer joins the re-evaluation list.",
    )
    appeal_days: int = Field(
        15, ge=1, le=365,
        description="Days after a confirmed not-approved decision within which an appeal is "
        "accepted.",
    )
    cup_skills_years: int = Field(
        3, ge=1, le=10, description="Years the skills component of the CUP lasts."
    )
    cup_performance_years: int = Field(
        3, ge=1, le=10, description="Years the performance component of the CUP lasts."
    )
    battery_policy: dict[str, Any] = Field(
        default_factory=dict,
        description='Which exams each evaluation needs, as JSON: {"base": {"special": '
        '["polygraph", "toxicology"]}, "for_command": [...], "for_sensitive_access": [...]}; '
        "what is not given keeps the default (all five exams; special: polygraph, toxicology, "
        "socio-economic).",
    )
    time_zone: str = Field(
        "America/Mexico_City",
        description="The deployment's civil time zone (an IANA name): every civil date the "
        "system states or computes (today, validity, deadlines, re-evaluation windows, the "
        "dates shown and printed) is a day of this zone. Timestamps are stored and returned in "
        "UTC with their offset whatever it is.",
    )
    host: str = Field("127.0.0.1", description="Address `confianza serve` listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port `confianza serve` listens on.")
    # Checked by `serve` (app/serve.py check_workers), which names the bad value and its source.
    workers: int = Field(
        1, description="Server processes `confianza serve` runs (its --workers), 1 to 64: one "
        "per core on PostgreSQL uses every core (README, Sizing the workers).",
    )
    log_level: str = Field("info", description="Log level: debug, info, warning or error.")
    sql_echo: bool = Field(False, description="Log every SQL statement (development only).")
    log_origin: str = Field(
        "confianza.local/audit-log",
        description="The name of the audit log: the first line of its checkpoints and the name "
        "of its signing key. Production sets its own, under a domain it controls (e.g. "
        "registro.example.gob.mx/audit-log), so no two logs share a name.",
    )
    log_signing_key: SecretStr | None = Field(
        None,
        description="Secret. The Ed25519 key that signs the audit log's checkpoints, as a C2SP "
        "signer key string named after the origin (PRIVATE+KEY+origin+keyID+base64); "
        "`confianza audit keygen` makes one. Needed by `confianza serve` (when it makes "
        "checkpoints) and `confianza audit checkpoint`; only development makes one by "
        "itself, once, in var/log-signing.key.",
    )
    log_verifier_keys: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="More verifier keys (name+keyID+base64) whose checkpoints are "
        "accepted, such as the log's earlier keys after a rotation; comma-separated.",
    )
    log_pseudonym_key: SecretStr | None = Field(
        None,
        description="Secret. The key (hexadecimal, 32 bytes or more) under which the audit "
        "log's public form names people and records by pseudonym and binds each leaf to its "
        "stored row (ADR 0012); `confianza audit keygen --pseudonym` makes one. Needed to "
        "integrate and verify the log; it never changes for the life of the log. Only "
        "development makes one by itself, once, in var/log-pseudonym.key.",
    )
    log_checkpoint_seconds: int = Field(
        60, ge=0, le=24 * 3600,
        description="Seconds between the checkpoints `confianza serve` integrates and signs "
        "(0: none; then schedule `confianza audit checkpoint` instead).",
    )
    log_sequence_seconds: float = Field(
        1.0, gt=0, le=3600,
        description="Seconds between the moments the checkpoint process of `confianza serve` "
        "places newly committed audit entries in the log and folds them into its Merkle tree, "
        "between checkpoints (ADR 0023): how long an entry may stay in the trail without a "
        "place in the log, protected by the database's triggers alone.",
    )
    log_export_dir: Path | None = Field(
        None,
        description="A directory where `confianza serve` keeps the audit log's public copy as "
        "C2SP tlog-tiles (the latest signed checkpoint, its hash tiles and entry bundles of "
        "public forms), brought up to date after every checkpoint with only the new files; "
        "serve it with any static web server. Unset: no export (`confianza audit export` "
        "writes one on demand).",
    )

    public_url: str | None = Field(
        None,
        description="The address the public reaches this system at (https://...). Credentials "
        "name their issuer (a did:web), status lists and verification page after it, so it "
        "must not change once credentials are issued. Needed with CONFIANZA_CREDENTIAL_KEY; "
        "development and tests default to http://HOST:PORT.",
    )
    credential_key: SecretStr | None = Field(
        None,
        description="Secret. The Ed25519 private key (a JWK, as JSON, with a `kid`) that signs "
        "CUP credentials and their status lists; `confianza certificates keygen` makes one. To "
        "rotate, set a new key with a new kid: the earlier key stays published while "
        "credentials it signed can be valid. Unset: certificates are issued without "
        "credentials until one is set and `confianza certificates issue` runs. Only "
        "development makes one by itself, once, in var/credential-key.jwk.",
    )
    risk_flag_share: float = Field(
        0.02, gt=0, lt=1,
        description="The share of active officers `confianza risk score` flags for a "
        "supervisor's review, highest scores first (early intervention, ADR 0034). A flag "
        "changes nothing by itself.",
    )
    access_alert_threshold: float = Field(
        10.0, gt=0,
        description="The points a reader's unexplained reads over a week must reach before "
        "insider detection (`confianza access detect`, ADR 0037) puts an alert in the "
        "auditors' queue.",
    )
    risk_rule_count: int = Field(
        3, ge=1, le=100,
        description="The department's threshold rule that `confianza risk score --rule "
        "threshold` flags by while no model is promoted: this many complaints or more ... "
        "(ADR 0034, second addendum). The default is the rule the evaluation reports as its "
        "threshold baseline.",
    )
    risk_rule_months: int = Field(
        12, ge=1, le=60,
        description="... in this many months (a month is a twelfth of 365 days): with "
        "CONFIANZA_RISK_RULE_COUNT, the threshold rule.",
    )
    # Asset declarations (issue 20, ADR 0038): the checks' thresholds, the rates, the pay scale.
    declarations_rates: str = Field(
        "USD=18.5,EUR=20,CAD=13.5,GBP=23.5,GTQ=2.4,COP=0.0045",
        description="Pesos per unit of each currency a declaration's amounts may be in "
        "(CODE=RATE, comma-separated; MXN is always 1). `confianza declarations import` "
        "refuses an amount in any other currency; the rates used are kept with each "
        "declaration.",
    )
    declarations_living_share: float = Field(
        0.6, ge=0, lt=1,
        description="The share of declared income a household is taken to spend on living: "
        "the rest is what it could save or pay debts with (unexplained growth, fast debt "
        "repayment).",
    )
    declarations_growth_ratio: float = Field(
        0.5, gt=0,
        description="Net-worth growth between two declarations that income less living costs "
        "does not explain is flagged above this many times a year's declared income.",
    )
    declarations_salary_tolerance: float = Field(
        0.3, gt=0,
        description="Declared public pay further than this share from the pay scale's for the "
        "officer's rank is flagged.",
    )
    declarations_cash_share: float = Field(
        2.0, gt=0,
        description="Assets bought outright (de contado) since the last declaration are "
        "flagged above this many times a year's declared income.",
    )
    declarations_repayment_share: float = Field(
        1.0, gt=0,
        description="Debt paid off between two declarations is flagged above this many times "
        "what income less living costs left to pay it with.",
    )
    declarations_min_amount: float = Field(
        50_000, ge=0,
        description="Pesos: no amount below this is flagged by the wealth checks.",
    )
    declarations_since: str = Field(
        "2020-01-01",
        description="The day from which declarations are owed (missing and late "
        "declarations: an initial one 60 days after taking office, a modification by 31 May "
        "of every year, a conclusion 60 days after leaving).",
    )
    declarations_pay_scale: str = Field(
        "federal=19000,state=16000,municipal=12500",
        description="The pay scale the declared public income is compared with: monthly "
        "gross pesos of the lowest rank at each agency level in "
        "CONFIANZA_DECLARATIONS_PAY_YEAR; each rank above it is "
        "CONFIANZA_DECLARATIONS_PAY_STEP higher, each later year "
        "CONFIANZA_DECLARATIONS_PAY_RAISE.",
    )
    declarations_pay_year: int = Field(2024, ge=1990, description="The pay scale's year.")
    declarations_pay_step: float = Field(
        0.14, ge=0, description="The pay scale's rise from one rank to the next (0.14: 14%).")
    declarations_pay_raise: float = Field(
        0.05, ge=-0.5, le=1, description="The pay scale's rise from one year to the next.")

    @field_validator("log_verifier_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        # Key strings hold neither commas nor spaces, so a plain list separated by either reads
        # unambiguously from one environment variable.
        if isinstance(value, str):
            return [part for part in value.replace(",", " ").split() if part]
        return value

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        # Refused when the settings are read, not at the first date the server computes.
        from confianza.core.civil_time import zone_named

        try:
            return zone_named(value).key
        except ValueError as exc:
            raise ValueError(f"CONFIANZA_TIME_ZONE: {exc}") from None

    @field_validator("log_export_dir", mode="before")
    @classmethod
    def _blank_dir_is_none(cls, value: object) -> object:
        # An empty variable would otherwise be the current directory.
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @model_validator(mode="after")
    def _refuse_development_switches_in_production(self) -> Settings:
        if self.sql_echo and self.environment is Environment.PRODUCTION:
            raise ValueError("CONFIANZA_SQL_ECHO is refused in production: it would log data")
        # Refuse a bad battery policy when the settings are read, not at the first request.
        from confianza.vetting.rules.evaluations import BatteryPolicy

        try:
            BatteryPolicy.from_config(self.battery_policy)
        except ValueError as exc:
            raise ValueError(f"CONFIANZA_BATTERY_POLICY: {exc}") from None
        self._check_log_keys()
        self._check_credential_key()
        return self

    def _check_credential_key(self) -> None:
        """Refuse a malformed address or key when the settings are read, never echoing the
        key."""
        from confianza.credentials.rules.issuer import did_web
        from confianza.kit.jose import SigningKey

        if self.public_url is not None:
            try:
                did_web(self.public_url)
            except ValueError as exc:
                raise ValueError(f"CONFIANZA_PUBLIC_URL: {exc}") from None
        if self.credential_key is None:
            return
        try:
            SigningKey.from_jwk(self.credential_key.get_secret_value())
        except ValueError as exc:
            raise ValueError(f"CONFIANZA_CREDENTIAL_KEY: {exc}") from None
        if self.public_url is None and self.environment is Environment.PRODUCTION:
            raise ValueError("CONFIANZA_CREDENTIAL_KEY needs CONFIANZA_PUBLIC_URL: credentials "
                             "name the address they are verified at")

    def base_url(self) -> str | None:
        """Where credentials send people: the public address, or in development and tests
        this server's own."""
        if self.public_url is not None:
            return self.public_url.rstrip("/")
        if self.environment is Environment.PRODUCTION:
            return None
        return f"http://{self.host}:{self.port}"

    def _check_log_keys(self) -> None:
        """Refuse a malformed origin or key when the settings are read, naming the variable
        and never echoing a private key."""
        from confianza.kit.signed_note import NoteError, Signer, Verifier, is_valid_key_name

        if not is_valid_key_name(self.log_origin) or not self.log_origin.isprintable():
            raise ValueError("CONFIANZA_LOG_ORIGIN must be a non-empty name without spaces, "
                             "'+' or control characters")
        try:
            for text in self.log_verifier_keys:
                Verifier.parse(text)
        except NoteError as exc:
            raise ValueError(f"CONFIANZA_LOG_VERIFIER_KEYS: {exc}") from None
        if self.log_pseudonym_key is not None:
            from confianza.transparency.rules import parse_key

            try:
                parse_key(self.log_pseudonym_key.get_secret_value())
            except ValueError as exc:
                raise ValueError(f"CONFIANZA_LOG_PSEUDONYM_KEY: {exc}") from None
        if self.log_signing_key is None:
            return
        try:
            signer = Signer.parse(self.log_signing_key.get_secret_value().strip())
        except NoteError as exc:
            raise ValueError(f"CONFIANZA_LOG_SIGNING_KEY: {exc}") from None
        if signer.name != self.log_origin:
            raise ValueError(
                f"CONFIANZA_LOG_SIGNING_KEY is named {signer.name!r} but CONFIANZA_LOG_ORIGIN "
                f"is {self.log_origin!r}: a log's key carries the log's name"
            )

    @property
    def secure_cookies(self) -> bool:
        return self.environment is Environment.PRODUCTION


@cache
def get_settings() -> Settings:
    return Settings()
