"""Inspection cases and their follow-up plans."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base

OPEN = "open"
RESOLVED = "resolved"
FILED_LATE = "filed_late"  #: resolution of a missed-RAT case whose report came in after all
FILED = "filed"  #: resolution of a missed-RAT case whose report turns out to have been on time
#: Resolutions that mean the RAT was held after all.
RAT_HELD = (FILED, FILED_LATE)

#: Follow-up states: planned -> due (its day has come) -> done; overdue when its day passed undone.
PLANNED = "planned"
DUE = "due"
OVERDUE = "overdue"
DONE = "done"
CANCELLED = "cancelled"
#: States of a follow-up that still waits for someone to act.
PENDING = (PLANNED, DUE, OVERDUE)


def rat_case_id(nik: str, fiscal_year: int) -> str:
    """One RAT case per cooperative and fiscal year: the id itself keeps it unique."""
    return f"RAT-{fiscal_year}-{nik}"


def anomaly_case_id(filing_id: str) -> str:
    return f"ANM-{filing_id}"


class InspectionCase(Base):
    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_regency_status", "regency_code", "status"),
        Index("ix_cases_nik_fiscal_year", "nik", "fiscal_year"),
        #: Keyset paging of case lists, newest first (the web's case list at national scale).
        Index("ix_cases_opened_at_case_id", "opened_at", "case_id"),
    )

    case_id: Mapped[str] = mapped_column(String(96), primary_key=True)
    nik: Mapped[str] = mapped_column(String(16))
    fiscal_year: Mapped[int]
    rule: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default=OPEN)
    priority: Mapped[str] = mapped_column(String(16))
    regency_code: Mapped[str] = mapped_column(String(4))
    assigned_team: Mapped[str | None] = mapped_column(String(64), index=True)
    #: Why the team is not the one the rule names (a visible fallback), if so.
    assignment_note: Mapped[str | None] = mapped_column(String(300))
    #: "nasional" when a copy goes to the national Deputy for supervision.
    escalation: Mapped[str | None] = mapped_column(String(16))
    filing_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    opened_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[str | None] = mapped_column(String(32))
    #: When its team's supervisors were alerted (NULL: not yet).
    alerted_at: Mapped[datetime | None] = mapped_column(index=True)
    #: Where the case stands on the sanction ladder (models.rules.ladder.STAGES).
    stage: Mapped[str] = mapped_column(String(32), default="dibuka", server_default="dibuka")

    followups: Mapped[list[FollowUp]] = relationship(
        back_populates="case", order_by="FollowUp.sequence", lazy="selectin",
        primaryjoin="InspectionCase.case_id == foreign(FollowUp.case_id)",
    )


class FollowUp(Base):
    """One step of a case's plan: a warning letter, a field visit, a dissolution notice."""

    __tablename__ = "followups"
    __table_args__ = (
        #: "planned and due today", "not done and due before today": the scheduler's daily questions.
        Index("ix_followups_status_due_date", "status", "due_date"),
    )

    followup_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    #: Its case; no foreign key: a follow-up is only written in the transaction that opens its case, and
    #: the key's check cost a national sweep a fifth of its database time (migration 0006).
    case_id: Mapped[str] = mapped_column(String(96), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    sequence: Mapped[int]
    due_date: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), default=PLANNED)
    #: When the assigned team was reminded (the working day before the due date).
    reminded_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    done_by: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(Text)

    case: Mapped[InspectionCase] = relationship(
        back_populates="followups", primaryjoin="InspectionCase.case_id == foreign(FollowUp.case_id)"
    )


def followup_id(case_id: str, kind: str) -> str:
    return f"{case_id}/{kind}"
