"""Every time-based duty as a function of an instant: the scheduler and `satgas tick` run the same code.

Duties catch up: each one handles everything due up to the instant, so a run missed while the system
was down is made good by the next one, and running a duty twice changes nothing. Their case events go
to the outbox, which the worker relays.
"""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from models.audit import SCHEDULER
from models.digests import WeeklyDigest
from models.regions import ZONES, provinces_in_zone
from models.rules.workdays import national_holidays
from notifications.compose import (
    queue_case_alerts, queue_cooperative_reminders, queue_followup_notices, queue_receipts, queue_weekly_email,
)
from notifications.delivery import deliver_pending
from notifications.mailer import Mailer
from services.digest import iso_week, store_digest, weekly_digest
from services.followups import Transitions, climb_ladder, mark_due_and_overdue, remind_followups
from streams.publisher import BrokerUnavailable
from streams.sweep import sweep

log = logging.getLogger("satgas.scheduler")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def clock(hhmm: str) -> time:
    hours, minutes = hhmm.split(":")
    return time(int(hours), int(minutes))


def duty_day(now: datetime, zone_name: str, daily_at: str) -> date:
    """The local day whose daily duties are due at `now`: today once `daily_at` has passed, else yesterday."""
    local = now.astimezone(ZONES[zone_name])
    return local.date() if local.time() >= clock(daily_at) else local.date() - timedelta(days=1)


def digest_week(now: datetime, zone_name: str, weekday: str, at: str) -> str:
    """The week whose escalation run is due at `now`: the last full week before the latest weekly run."""
    local = now.astimezone(ZONES[zone_name])
    run_day = local.date() - timedelta(days=(local.weekday() - WEEKDAYS.index(weekday)) % 7)
    if run_day == local.date() and local.time() < clock(at):
        run_day -= timedelta(days=7)
    return iso_week(run_day - timedelta(days=7))


@dataclass
class DailyReport:
    zone: str
    day: str
    swept: int | None = None
    reminded: int = 0
    due: int = 0
    overdue: int = 0
    climbed: int = 0
    emails: int = 0
    problems: list[str] = field(default_factory=list)


def run_daily_duties(settings: Settings, sessions: sessionmaker[Session], zone_name: str, now: datetime) -> DailyReport:
    """Deadline sweep, reminders, due and overdue follow-ups and the ladder, for one time zone."""
    day = duty_day(now, zone_name, settings.scheduler.daily_at)
    zone_provinces = provinces_in_zone(zone_name)
    report = DailyReport(zone_name, day.isoformat())
    holidays = national_holidays()
    with sessions.begin() as session:
        changes = Transitions(now, SCHEDULER)
        report.reminded = remind_followups(session, zone_provinces, day, changes, holidays)
        report.due, report.overdue = mark_due_and_overdue(session, zone_provinces, day, changes)
        report.climbed = climb_ladder(session, zone_provinces, day, changes, settings.rules, holidays)
        changes.write(session)
        with Mailer(session, settings, now) as mailer:
            for kind, notices in changes.notices.items():
                queue_followup_notices(mailer, kind, notices, day)
            queue_cooperative_reminders(mailer, zone_provinces, day)
        report.emails = mailer.queued
    try:
        report.swept = sweep(settings, sessions, day, zone_provinces).published
    except BrokerUnavailable as error:
        report.problems.append(f"{error}: the sweep waits for the next run")
        log.warning("%s %s: %s", zone_name, day, report.problems[-1])
    log.info("daily duties %s", asdict(report))
    return report


def run_weekly_digests(settings: Settings, sessions: sessionmaker[Session], zone_name: str, now: datetime) -> list[str]:
    """The weekly escalation data of every province in the zone, computed once per week."""
    week = digest_week(now, zone_name, settings.scheduler.weekly_day, settings.scheduler.weekly_at)
    stored = []
    with sessions.begin() as session:
        done = set(session.scalars(select(WeeklyDigest.province_code).where(WeeklyDigest.week == week)))
        for province_code in provinces_in_zone(zone_name):
            if province_code not in done:
                digest = weekly_digest(session, province_code, week, settings.rules)
                store_digest(session, digest)
                with Mailer(session, settings, now) as mailer:
                    queue_weekly_email(mailer, digest)
                stored.append(f"{province_code}/{week}")
    if stored:
        log.info("weekly escalation data for %s", ", ".join(stored))
    return stored


def compose_emails(settings: Settings, sessions: sessionmaker[Session], now: datetime) -> int:
    """Alerts for cases opened since the last run (grouped per team) and receipts for accepted filings."""
    with sessions.begin() as session:
        with Mailer(session, settings, now) as mailer:
            queue_case_alerts(mailer)
            queue_receipts(mailer)
        return mailer.queued


def run_due_duties(settings: Settings, sessions: sessionmaker[Session], now: datetime) -> dict:
    """Everything due at `now`, in every zone, exactly as the scheduler's jobs run it, then the mail."""
    zones = {
        zone: {
            "daily": asdict(run_daily_duties(settings, sessions, zone, now)),
            "weekly": run_weekly_digests(settings, sessions, zone, now),
        }
        for zone in ZONES
    }
    composed = compose_emails(settings, sessions, now)
    return {"zones": zones, "emails": {"composed": composed, **asdict(deliver_pending(settings, sessions, now))}}
