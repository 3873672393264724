"""The JSON shapes of cases, their actions and the dashboard, as the API's OpenAPI description publishes them."""
from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from web.api.schemas import Filing

Rule = Literal["rat_missed", "rat_missed_repeat", "rat_late", "filing_anomaly"]
CaseStatus = Literal["open", "resolved"]
Priority = Literal["low", "normal", "high", "critical"]
FollowUpKind = Literal["teguran_1", "kunjungan_lapangan", "teguran_2", "teguran_3", "surat_rencana_pembubaran"]


class CaseSummary(BaseModel):
    case_id: str
    nik: str
    cooperative_name: str | None
    fiscal_year: int
    rule: str
    status: str
    priority: str
    stage: str
    regency_code: str
    assigned_team: str | None
    opened_at: str
    overdue: bool
    resolution: str | None


class CasePage(BaseModel):
    items: list[CaseSummary]
    total: int
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last page")


class FollowUp(BaseModel):
    followup_id: str
    case_id: str
    kind: str
    due_date: str
    status: str
    reminded_at: str | None
    done_at: str | None
    done_by: str | None
    note: str | None


class AuditEntry(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    at: str
    actor: str
    action: str
    followup_id: str | None
    from_state: str | None = Field(alias="from")
    to: str | None
    reason: str | None


class CooperativeProfile(BaseModel):
    nik: str
    name: str
    kind: str
    level: str
    membership_area: str
    regency_code: str
    regency_name: str | None
    province_name: str | None
    email: str | None
    status: str
    fiscal_year_end: str


class TeamChoice(BaseModel):
    team_id: str
    name: str
    level: str


class CaseDetail(BaseModel):
    case_id: str
    nik: str
    fiscal_year: int
    rule: str
    status: str
    priority: str
    regency_code: str
    regency_name: str | None
    assigned_team: str | None
    assignment_note: str | None
    escalation: str | None
    opened_at: str
    resolved_at: str | None
    resolution: str | None
    filing_id: str | None
    details: dict
    stage: str
    followups: list[FollowUp]
    audit: list[AuditEntry]
    cooperative: CooperativeProfile | None
    filings: list[Filing]
    reassign_to: list[TeamChoice]


class NoteIn(BaseModel):
    note: str = Field(description="what was done: the letter's number, what the visit found")


class RescheduleIn(BaseModel):
    due_date: date


class ReassignIn(BaseModel):
    team_id: str
    reason: str


class ResolveIn(BaseModel):
    reason: str


class RegencyCompliance(BaseModel):
    regency_code: str
    name: str
    cooperatives: int
    reported: int
    on_time: int
    compliance_rate: float | None
    on_time_rate: float | None
    open_cases: int
    overdue_cases: int
    rank: int | None


class WeekPoint(BaseModel):
    week: str
    compliance_rate: float | None
    new_cases: int | None
    overdue_followups: int | None
    cases_past_sla: int | None


class Dashboard(BaseModel):
    province_code: str
    province_name: str
    fiscal_year: int
    cooperatives: int
    reported: int
    compliance_rate: float | None
    open_cases: int
    overdue_cases: int
    regencies: list[RegencyCompliance]
    trend: list[WeekPoint]
