"""Every setting of the product, with defaults that run the embedded setup with nothing set.

Environment variables use the prefix `SATGAS_`; nested groups use `__`, e.g.
`SATGAS_RULES__WARNING_INTERVAL_DAYS=21`. The most used ones have short names:
`SATGAS_DATABASE_URL`, `SATGAS_KAFKA_BOOTSTRAP` and `SATGAS_TOPIC_PREFIX`.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

TOPICS = ("cooperatives", "rat-filings", "rat-missed", "case-events", "dead-letter")


class KafkaSettings(BaseModel):
    #: host:port list of an existing cluster; empty means "start the embedded broker".
    bootstrap: str = ""
    embedded_port: int = 19092
    topic_prefix: str = "satgas."
    partitions: int = 4
    replication_factor: int = 1
    consumer_group: str = "satgas-worker"
    session_timeout_seconds: float = 60.0
    heartbeat_interval_seconds: float = 3.0
    #: Longest wait of a consumer fetch that finds nothing new (see streams/transport.py).
    fetch_max_wait_ms: int = 100

    def topic(self, name: str) -> str:
        return f"{self.topic_prefix}{name}"


class RuleSettings(BaseModel):
    """The numbers behind the rules of DOMAIN.md; each one an administrator may change."""

    #: Months after the fiscal year end by which the RAT must be held (legal ceiling: 6).
    rat_months: int = 6
    #: Stricter practice per cooperative level, e.g. {"primer": 3}; levels not named use rat_months.
    rat_months_by_level: dict[str, int] = Field(default_factory=dict)
    #: Months after the RAT deadline by which its result must be reported.
    report_months: int = 1
    #: Days from opening a case to written warning I (teguran I).
    warning_1_days: int = 7
    #: Days between warnings I -> II -> III and III -> notice of planned dissolution.
    warning_interval_days: int = 30
    #: Days from opening a case to the field visit.
    field_visit_days: int = 14
    #: The cooperative gets at least this many days' written notice before a visit.
    field_visit_min_notice_days: int = 3
    #: A member count below this share of the previous year's is an anomaly.
    member_drop_ratio: float = 0.5
    #: Days after warning III's due date before an open case escalates to the province...
    escalation_to_province_days: int = 30
    #: ...and days after that before it escalates to the national level.
    escalation_to_national_days: int = 30
    #: An open case older than this is past its SLA (reported in the weekly escalation run).
    case_sla_days: int = 90


class SchedulerSettings(BaseModel):
    """When the time-based duties run, in each province's own time zone."""

    #: Local time of the daily duties (deadline sweep, follow-ups due, reminders, ladder).
    daily_at: str = "00:05"
    #: Local weekday and time of the weekly escalation run.
    weekly_day: str = "mon"
    weekly_at: str = "08:00"
    #: Seconds between two attempts to take the scheduler lock held by another scheduler.
    lock_retry_seconds: float = 5.0


class WorkerSettings(BaseModel):
    #: Most events one database transaction applies (streams/in_order.py): a transaction takes what
    #: arrived while the one before was being written, up to this many.
    batch_size: int = 2000
    #: Seconds the consumer waits for more events before handing over what arrived.
    batch_within_seconds: float = 0.1
    #: Seconds between two relays of the outbox to Kafka.
    relay_interval_seconds: float = 0.1
    relay_batch_size: int = 5000
    #: While the agents have events waiting (a burst), the relay sends one batch this often and leaves
    #: the CPU and the database to them: case events then trail their cases by up to about this long,
    #: and the relay catches up once the burst is applied. Relaying takes about as much of both as
    #: writing the cases does (README, "National scale").
    relay_busy_interval_seconds: float = 10.0


class SmtpSettings(BaseModel):
    """Where emails go; with no host they are written as .eml files under data_dir/outbox."""

    host: str = ""
    port: int = 25
    #: none | starttls | ssl
    security: str = "none"
    user: str = ""
    password: SecretStr = SecretStr("")
    sender: str = "Satgas Pengawas Koperasi <satgas@localhost>"
    timeout_seconds: float = 20.0


class NotificationSettings(BaseModel):
    #: Base URL of the web front end, for links to cases in emails (none when empty).
    base_url: str = ""
    #: Language of recipients with no preference: "id" (Bahasa Indonesia) or "en".
    default_language: str = "id"
    #: Rows of a grouped case alert before "and N more".
    alert_table_rows: int = 200
    #: Days before a cooperative's report deadline on which it is reminded.
    cooperative_reminder_days: tuple[int, ...] = (30, 7)
    #: First and longest wait before retrying a message that could not be delivered.
    retry_first_seconds: float = 30.0
    retry_max_seconds: float = 1800.0
    #: Seconds between two composing runs and two delivery runs of the scheduler.
    compose_every_seconds: float = 60.0
    deliver_every_seconds: float = 15.0


class WebSettings(BaseModel):
    """The web front end (`satgas web`): pages for cooperatives and supervisors, and the JSON API."""

    host: str = "127.0.0.1"
    port: int = 8000
    #: Signs session cookies and API tokens; empty means a random key kept in data_dir/web-secret-key.
    secret_key: SecretStr = SecretStr("")
    #: Hours a login (session cookie or API token) stays valid.
    session_hours: int = 8
    #: Cookies only over HTTPS; set it behind a TLS-terminating proxy.
    secure_cookies: bool = False
    #: Largest RAT document (PDF) a cooperative may upload, in megabytes.
    max_upload_mb: int = 10


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SATGAS_", env_nested_delimiter="__", extra="ignore")

    data_dir: Path = Path("var")
    #: SQLAlchemy URL; empty means a SQLite file under data_dir.
    database_url: str = ""
    kafka_bootstrap: str = ""
    #: The contract's name for the topic prefix; when set it wins over SATGAS_KAFKA__TOPIC_PREFIX.
    topic_prefix: str | None = None
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    rules: RuleSettings = Field(default_factory=RuleSettings)
    worker: WorkerSettings = Field(default_factory=WorkerSettings)
    scheduler: SchedulerSettings = Field(default_factory=SchedulerSettings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    notifications: NotificationSettings = Field(default_factory=NotificationSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    log_level: str = "info"
    #: Log lines as key=value pairs ("logfmt") or JSON lines ("json").
    log_format: Literal["logfmt", "json"] = "logfmt"
    #: `satgas up` seeds the demo province when the database holds no cooperative yet; SATGAS_DEMO=0 turns it off.
    demo: bool = True

    @model_validator(mode="after")
    def _apply_topic_prefix(self) -> Settings:
        if self.topic_prefix is not None:
            self.kafka.topic_prefix = self.topic_prefix
        return self

    @property
    def bootstrap_servers(self) -> str:
        """The Kafka cluster to talk to: the configured one or the embedded broker."""
        return self.kafka_bootstrap or self.kafka.bootstrap or f"127.0.0.1:{self.kafka.embedded_port}"

    @property
    def uses_embedded_broker(self) -> bool:
        return not (self.kafka_bootstrap or self.kafka.bootstrap)

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'satgas.db').resolve()}"


@cache
def get_settings() -> Settings:
    return Settings()
