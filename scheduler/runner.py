"""`satgas scheduler`: APScheduler with its jobs kept in the database, one scheduler at a time."""
from __future__ import annotations

import logging
import signal
import threading
from datetime import timezone

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from config import Settings, get_settings
from models.base import utcnow
from models.database import session_factory, sync_url
from models.regions import ZONES
from notifications.delivery import deliver_pending, outbox_folder, recover_interrupted
from scheduler.duties import clock, compose_emails, run_daily_duties, run_weekly_digests
from scheduler.lock import SchedulerLock

log = logging.getLogger("satgas.scheduler")
#: The jobs' table; Alembic leaves it to APScheduler (migrations/env.py).
JOBS_TABLE = "scheduler_jobs"


def daily_job(zone: str) -> None:
    run_daily_duties(get_settings(), session_factory(), zone, utcnow())


def weekly_job(zone: str) -> None:
    run_weekly_digests(get_settings(), session_factory(), zone, utcnow())


def compose_job() -> None:
    compose_emails(get_settings(), session_factory(), utcnow())


def deliver_job() -> None:
    deliver_pending(get_settings(), session_factory(), utcnow())


def wanted_jobs(settings: Settings) -> dict[str, tuple[str, object, list]]:
    """job id -> (function reference, trigger (in the zone's own time), arguments)."""
    daily, weekly = clock(settings.scheduler.daily_at), clock(settings.scheduler.weekly_at)
    every = settings.notifications
    jobs = {
        "compose-emails": ("scheduler.runner:compose_job", IntervalTrigger(seconds=every.compose_every_seconds), []),
        "deliver-emails": ("scheduler.runner:deliver_job", IntervalTrigger(seconds=every.deliver_every_seconds), []),
    }
    for zone, tz in ZONES.items():
        jobs[f"daily-{zone}"] = (
            "scheduler.runner:daily_job", CronTrigger(hour=daily.hour, minute=daily.minute, timezone=tz), [zone]
        )
        jobs[f"weekly-{zone}"] = (
            "scheduler.runner:weekly_job",
            CronTrigger(day_of_week=settings.scheduler.weekly_day, hour=weekly.hour, minute=weekly.minute, timezone=tz),
            [zone],
        )
    return jobs


def build_scheduler(settings: Settings) -> BackgroundScheduler:
    """Missed runs are coalesced into one, however late (the duties catch up on everything due)."""
    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=sync_url(settings.sqlalchemy_url), tablename=JOBS_TABLE)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        timezone=timezone.utc,
    )


def ensure_jobs(scheduler: BackgroundScheduler, settings: Settings) -> None:
    """Add missing jobs; keep stored ones (and their missed run times) unless their schedule changed."""
    for job_id, (function, trigger, args) in wanted_jobs(settings).items():
        job = scheduler.get_job(job_id)
        if job is None:
            scheduler.add_job(function, trigger, args=args, id=job_id, name=job_id)
        elif str(job.trigger) != str(trigger):
            scheduler.reschedule_job(job_id, trigger=trigger)


def run_scheduler(settings: Settings, announce=print) -> int:
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    lock = SchedulerLock(settings.sqlalchemy_url)
    if not lock.acquire(
        settings.scheduler.lock_retry_seconds,
        on_wait=lambda: announce("Another scheduler holds the lock; waiting to take over."),
        should_stop=stop.is_set,
    ):
        return 0
    if not settings.smtp.host:
        announce(f"No SMTP server configured (SATGAS_SMTP__HOST): emails are written to {outbox_folder(settings)}/")
    recover_interrupted(session_factory(), utcnow())
    scheduler = build_scheduler(settings)
    scheduler.start(paused=True)
    try:
        ensure_jobs(scheduler, settings)
        scheduler.resume()
        announce("Scheduler holds the lock. Next runs: " + ", ".join(
            f"{job.id} {job.next_run_time.isoformat()}" for job in sorted(scheduler.get_jobs(), key=lambda j: j.id)
        ))
        while not stop.wait(30):
            if not lock.still_held():
                announce("Lost the scheduler lock (database connection gone); stopping.")
                return 1
        return 0
    finally:
        scheduler.shutdown(wait=True)
        lock.release()
        announce("Scheduler stopped.")
