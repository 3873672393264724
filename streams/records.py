"""What travels over Kafka: the public event contract (docs/contract.md). Extend it; never rename or drop a field.

Values are JSON objects; keys are the cooperative's NIK. Dates are ISO 8601 (`2025-06-30`), instants
RFC 3339 with an offset (`2025-07-01T09:30:00+08:00`), rupiah amounts decimal strings (`"1250000.00"`).
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import faust

# The values of `kind`, `level`, `membership_area` and `status` are the registry's vocabulary (models/registry.py).


class CooperativeEvent(faust.Record, serializer="json", include_metadata=False):
    """A cooperative as the registry knows it now (topic `cooperatives`)."""

    nik: str  #: 16 digits
    name: str
    kind: str  #: one of COOPERATIVE_KINDS
    level: str  #: primer | sekunder
    membership_area: str  #: kabupaten | provinsi | nasional: who supervises it
    regency_code: str  #: 4-digit Kemendagri code of its seat
    email: str | None
    status: str  #: aktif | tidak_aktif | dibubarkan
    fiscal_year_end: str = "12-31"  #: MM-DD


class RatFilingEvent(faust.Record, serializer="json", include_metadata=False):
    """A cooperative's RAT report for one fiscal year (topic `rat-filings`)."""

    filing_id: str
    nik: str
    fiscal_year: int
    rat_date: str  #: the day the members' meeting was held
    submitted_at: str  #: RFC 3339 with offset
    members: int
    assets: str
    liabilities: str
    equity: str
    business_volume: str
    shu: str  #: Sisa Hasil Usaha, the year's surplus (may be negative)

    @property
    def rat_day(self) -> date:
        return date.fromisoformat(self.rat_date)

    @property
    def submitted(self) -> datetime:
        return datetime.fromisoformat(self.submitted_at)

    def amount(self, field: str) -> Decimal:
        return Decimal(getattr(self, field))


class RatMissedEvent(faust.Record, serializer="json", include_metadata=False):
    """No RAT report for a fiscal year by its deadline (topic `rat-missed`, published by the sweep)."""

    nik: str
    fiscal_year: int
    deadline: str  #: the last day the report was due
    detected_at: str  #: RFC 3339 with offset

    @property
    def detected(self) -> datetime:
        return datetime.fromisoformat(self.detected_at)


class CaseEvent(faust.Record, serializer="json", include_metadata=False):
    """A change to an inspection case (topic `case-events`), published from the outbox."""

    event_id: str  #: unique per change: consumers may drop repeats by it
    #: case_opened | case_resolved | case_stage_changed | followup_reminder | followup_due |
    #: followup_overdue | followup_done | followup_rescheduled (more may be added; ignore unknown ones)
    type: str
    case_id: str
    nik: str
    fiscal_year: int
    rule: str
    status: str
    priority: str
    regency_code: str
    assigned_team: str | None
    opened_at: str
    occurred_at: str
    escalation: str | None = None
    resolution: str | None = None
    stage: str | None = None  #: the case's place on the sanction ladder
    followup_id: str | None = None  #: set on followup_* events
    followup_kind: str | None = None
    due_date: str | None = None  #: the follow-up's due date
    actor: str | None = None  #: who made the change, e.g. "system:scheduler" or a supervisor
