"""Pushes the demo province through the real pipeline, as an operator would, and waits for the worker.

Teams go straight to the database (like `satgas import-teams`); cooperatives and filings go through the
outbox and Kafka (like `import-cooperatives` and `submit-rat`); the sweep publishes the missed-RAT events;
the worker opens the cases; then the emails are composed and delivered as the scheduler would. Every step
is idempotent: running the demo again changes nothing.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Collection, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from demo.logins import issue_demo_logins
from demo.province import DemoProvince
from models.base import utcnow
from models.filings import RatFiling
from models.messaging import OutboxMessage
from models.registry import Cooperative, Team
from notifications.compose import queue_weekly_email
from notifications.delivery import deliver_pending
from notifications.mailer import Mailer
from scheduler.duties import compose_emails
from scheduler.lock import mail_lock
from services.bulk import chunks
from services.digest import iso_week, weekly_digest
from services.intake import accept_cooperatives, accept_filings
from services.sweep import overdue_cooperatives
from services.teams import upsert_teams, validate_team
from streams.publisher import Publisher, ensure_topics, relay_outbox
from streams.sweep import publish_overdue
from streams.validation import validate_cooperative, validate_filing

#: progress(label, total) -> a context manager giving advance(steps).
Progress = Callable[[str, int], AbstractContextManager[Callable[[int], object]]]


class DemoRefused(RuntimeError):
    """The database holds data that is not this demo's."""


class DemoTimeout(RuntimeError):
    """The worker did not apply the demo's events in time."""


@dataclass
class DemoRun:
    settings: Settings
    sessions: sessionmaker[Session]
    progress: Progress
    say: Callable[[str], object]
    timeout: float = 300.0
    counts: dict[str, Any] = field(default_factory=dict)

    def count_in(self, column, values: Collection[str], *where, distinct: bool = False) -> int:
        counted = func.count(func.distinct(column)) if distinct else func.count()
        with self.sessions() as session:
            return sum(session.scalar(select(counted).where(column.in_(chunk), *where)) or 0
                       for chunk in chunks(sorted(values)))

    def wait_for(self, label: str, total: int, done: Callable[[], int]) -> None:
        deadline = time.monotonic() + self.timeout
        with self.progress(label, total) as advance:
            shown = 0
            while (now_done := done()) < total:
                advance(now_done - shown)
                shown = now_done
                if time.monotonic() > deadline:
                    raise DemoTimeout(f"{label}: {now_done} of {total} after {self.timeout:.0f}s. Is a worker "
                                      "running? `satgas status` shows the workers and their lag.")
                time.sleep(0.5)
            advance(total - shown)

    def relay(self, expected: int) -> int:
        ensure_topics(self.settings)
        with Publisher(self.settings) as publisher, self.progress("Publishing", expected) as advance:
            return relay_outbox(self.sessions, publisher, progress=advance)

    def submit(self, accept: Callable, events: Sequence) -> int:
        """Through the outbox, as the import commands do; returns how many were new."""
        new = 0
        for chunk in chunks(list(events), 1000):
            with self.sessions.begin() as session:
                new += accept(session, chunk, utcnow()).new
        self.relay(new)
        return new


def refuse_foreign_teams(run: DemoRun, province: DemoProvince) -> None:
    """The demo's teams would replace a real team of the same region: refuse any team that is not the demo's."""
    ours = {team["team_id"]: validate_team(team) for team in province.teams}
    with run.sessions() as session:
        foreign = [team.team_id for team in session.scalars(select(Team))
                   if team.team_id not in ours or list(team.supervisor_emails or []) !=
                   ours[team.team_id]["supervisor_emails"]]
    if foreign:
        raise DemoRefused(f"the database already holds {len(foreign)} Satgas teams that are not this demo's (e.g. "
                          f"{foreign[0]}); run the demo on an empty database, e.g. with SATGAS_DATA_DIR=var-demo")


def refuse_foreign_data(run: DemoRun, province: DemoProvince) -> None:
    """Made-up cooperatives go only into a database that holds none but the demo's, nor has others on the way."""
    refuse_foreign_teams(run, province)
    ours = {coop["nik"] for coop in province.cooperatives}
    imported = OutboxMessage.topic == "cooperatives"
    with run.sessions() as session:
        total = session.scalar(select(func.count()).select_from(Cooperative))
        sent = session.scalar(select(func.count(func.distinct(OutboxMessage.key))).where(imported))
    foreign = max(total - run.count_in(Cooperative.nik, ours),
                  sent - run.count_in(OutboxMessage.key, ours, imported, distinct=True))
    if foreign:
        raise DemoRefused(f"the database already holds {foreign} cooperatives (registered or on their way) that "
                          "are not this demo's: another --seed, or real data. Run the demo on an empty database, "
                          "e.g. with SATGAS_DATA_DIR=var-demo")


def seed_registry(run: DemoRun, province: DemoProvince) -> None:
    with run.sessions.begin() as session:
        upsert_teams(session, [validate_team(team) for team in province.teams])
        run.counts["logins"] = issue_demo_logins(session, province, utcnow())
    run.say(f"{len(province.teams)} Satgas teams: one per regency and city, the province's and the national one; "
            f"web logins {', '.join(login['login'] for login in run.counts['logins'])}.")
    events = [validate_cooperative(row) for row in province.cooperatives]
    run.counts["cooperatives_new"] = run.submit(accept_cooperatives, events)
    niks = {event.nik for event in events}
    run.say(f"{len(events)} active cooperatives ({run.counts['cooperatives_new']} new) sent through the outbox; "
            "the worker stores them.")
    run.wait_for("Cooperatives stored", len(niks), lambda: run.count_in(Cooperative.nik, niks))


def submit_filings(run: DemoRun, province: DemoProvince) -> None:
    events = [validate_filing(row) for row in province.filings]
    run.counts["filings_new"] = run.submit(accept_filings, events)
    ids = {event.filing_id for event in events}
    run.say(f"{len(events)} RAT reports ({run.counts['filings_new']} new) submitted: a few late, a few with negative "
            "equity or no members.")
    run.wait_for("RAT reports evaluated", len(ids),
                 lambda: run.count_in(RatFiling.filing_id, ids, RatFiling.evaluated_at.is_not(None)))


def sweep_province(run: DemoRun, province: DemoProvince, as_of: date) -> None:
    def still_overdue() -> int:
        with run.sessions() as session:
            return len(overdue_cooperatives(session, as_of, run.settings.rules, [province.province_code]))

    with run.sessions() as session:
        events = overdue_cooperatives(session, as_of, run.settings.rules, [province.province_code])
    overdue = len(events)
    result = publish_overdue(run.settings, events, as_of)
    run.counts["missed_published"] = result.published
    run.say(f"Deadline sweep as of {as_of.isoformat()}: {result.published} missed-RAT events published.")
    run.wait_for("Missed-RAT cases opened", overdue, lambda: overdue - still_overdue())


def send_emails(run: DemoRun, province: DemoProvince, as_of: date) -> dict[str, Any]:
    """Case alerts, receipts and this week's escalation email, composed and delivered now."""
    composed = compose_emails(run.settings, run.sessions, utcnow())
    with run.sessions.begin() as session:
        digest = weekly_digest(session, province.province_code, iso_week(as_of), run.settings.rules)
        with Mailer(session, run.settings, utcnow()) as mailer:
            queue_weekly_email(mailer, digest)
    delivered = {"sent": 0, "failed": 0, "waiting": 0, "outbox_folder": None}
    while (report := deliver_pending(run.settings, run.sessions, utcnow())).sent + report.failed:
        delivered["sent"] += report.sent
        delivered["failed"] += report.failed
        delivered["outbox_folder"] = report.outbox_folder or delivered["outbox_folder"]
    delivered["waiting"] = report.deferred
    run.say(f"{composed + mailer.queued} emails composed, {delivered['sent']} delivered.")
    return {"composed": composed + mailer.queued, **delivered}


def run_demo(run: DemoRun, province: DemoProvince, as_of: date) -> dict[str, Any]:
    ensure_topics(run.settings)  # Kafka answers: nothing is written before that is known
    refuse_foreign_data(run, province)
    seed_registry(run, province)
    # From the first case to the last alert: a scheduler's mail jobs skip their runs, so each team's
    # cases go out in one grouped alert.
    lock = mail_lock(run.settings.sqlalchemy_url)
    lock.acquire(0.5)
    try:
        submit_filings(run, province)
        sweep_province(run, province, as_of)
        emails = send_emails(run, province, as_of)
    finally:
        lock.release()
    return {**run.counts, "emails": emails}
