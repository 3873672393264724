"""What the database says about the running system (for `satgas status`): backlogs, failures, next runs."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import func, inspect, select, text
from sqlalchemy.orm import Session

from models.mail import FAILED, PENDING, SENDING, OutgoingEmail
from models.messaging import DeadLetter, OutboxMessage

#: APScheduler's table (scheduler/runner.py JOBS_TABLE); read without unpickling its jobs.
JOBS_TABLE = "scheduler_jobs"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def dead_letter_counts(session: Session) -> dict[str, Any]:
    by_topic = dict(session.execute(
        select(DeadLetter.topic, func.count()).where(DeadLetter.replayed_at.is_(None)).group_by(DeadLetter.topic)
    ).tuples().all())
    return {
        "total": session.scalar(select(func.count()).select_from(DeadLetter)),
        "not_replayed": sum(by_topic.values()),
        "not_replayed_by_topic": by_topic,
        "latest_at": _iso(session.scalar(select(func.max(DeadLetter.received_at)))),
    }


def outbox_backlog(session: Session) -> dict[str, Any]:
    """Messages stored but not yet published to Kafka."""
    waiting = OutboxMessage.sent_at.is_(None)
    return {
        "pending": session.scalar(select(func.count()).select_from(OutboxMessage).where(waiting)),
        "pending_by_topic": dict(session.execute(
            select(OutboxMessage.topic, func.count()).where(waiting).group_by(OutboxMessage.topic)).tuples().all()),
        "oldest_pending_at": _iso(session.scalar(select(func.min(OutboxMessage.created_at)).where(waiting))),
    }


def email_counts(session: Session) -> dict[str, Any]:
    counts = dict(session.execute(
        select(OutgoingEmail.status, func.count()).group_by(OutgoingEmail.status)).tuples().all())
    return {"pending": counts.get(PENDING, 0), "sending": counts.get(SENDING, 0), "failed": counts.get(FAILED, 0),
            "sent": counts.get("sent", 0)}


def scheduler_next_runs(session: Session) -> list[dict[str, Any]] | None:
    """Each job's next run (UTC), soonest first; None before any scheduler has started on this database."""
    if not inspect(session.connection()).has_table(JOBS_TABLE):
        return None
    rows = session.execute(text(f"SELECT id, next_run_time FROM {JOBS_TABLE} ORDER BY next_run_time")).all()
    return [
        {"job": job_id, "next_run_at": datetime.fromtimestamp(at, timezone.utc).isoformat() if at else None}
        for job_id, at in rows
    ]


def database_health(session: Session) -> dict[str, Any]:
    return {
        "dead_letters": dead_letter_counts(session),
        "outbox": outbox_backlog(session),
        "emails": email_counts(session),
        "scheduler": {"next_runs": scheduler_next_runs(session)},
    }
