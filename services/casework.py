"""Opens and resolves cases in bulk: cases, follow-up plans and their case events in one transaction."""
from __future__ import annotations

import json
from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from config.settings import RuleSettings
from models.audit import WORKER, CaseAudit
from models.cases import CANCELLED, OPEN, PENDING, PLANNED, RESOLVED, FollowUp, InspectionCase, followup_id
from models.registry import Team
from models.rules.assignment import assign_team
from models.rules.cases import CaseOpening
from models.rules.followups import PlannedFollowUp, plan_followups
from models.rules.ladder import DIBUKA
from services import outbox
from services.bulk import NO_SESSION_SYNC, among, insert_new_rows

CASE_OPENED = "case_opened"
CASE_RESOLVED = "case_resolved"


@dataclass
class CaseState:
    """What a batch needs to know of a case that already exists."""

    case_id: str
    rule: str
    status: str
    resolution: str | None
    opened_at: datetime
    priority: str
    regency_code: str
    assigned_team: str | None
    escalation: str | None
    nik: str
    fiscal_year: int
    stage: str = DIBUKA


async def load_case_states(session: AsyncSession, case_ids: Sequence[str]) -> dict[str, CaseState]:
    columns = [getattr(InspectionCase, name) for name in CaseState.__dataclass_fields__]
    rows = await session.execute(select(*columns).where(among(InspectionCase.case_id, set(case_ids))))
    return {row.case_id: CaseState(**row._asdict()) for row in rows}


async def load_team_index(session: AsyncSession) -> dict[tuple[str, str], str]:
    """(level, region code) -> team id, for every configured Satgas team."""
    rows = await session.execute(select(Team.level, Team.region_code, Team.team_id))
    return {(level, region): team_id for level, region, team_id in rows}


def case_event(
    state: CaseState, event_type: str, occurred_at: datetime, event_id: str | None = None, **extra: str | None
) -> dict[str, Any]:
    """The JSON object of a `CaseEvent` record (every field, in order). Built as a plain dict: a national
    sweep writes over 100,000 of them, and a faust record costs three times as much to build and serialise."""
    return {
        "event_id": event_id or f"{state.case_id}:{event_type}",
        "type": event_type,
        "case_id": state.case_id,
        "nik": state.nik,
        "fiscal_year": state.fiscal_year,
        "rule": state.rule,
        "status": state.status,
        "priority": state.priority,
        "regency_code": state.regency_code,
        "assigned_team": state.assigned_team,
        "opened_at": state.opened_at.isoformat(),
        "occurred_at": occurred_at.isoformat(),
        "escalation": state.escalation,
        "resolution": state.resolution,
        "stage": state.stage,
        "followup_id": extra.get("followup_id"),
        "followup_kind": extra.get("followup_kind"),
        "due_date": extra.get("due_date"),
        "actor": extra.get("actor"),
    }


def case_event_message(event: dict[str, Any], now: datetime) -> dict[str, Any]:
    value = json.dumps(event, separators=(",", ":")).encode()
    return outbox.message(event["event_id"], "case-events", event["nik"], value, now)


def audit_entry(
    entry_key: str, case_id: str, action: str, now: datetime, actor: str, *,
    followup_id: str | None = None, from_state: str | None = None, to_state: str | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    return {
        "entry_key": entry_key, "case_id": case_id, "followup_id": followup_id, "at": now, "actor": actor,
        "action": action, "from_state": from_state, "to_state": to_state, "reason": reason,
    }


async def write_audit(session: AsyncSession, entries: Sequence[dict[str, Any]]) -> None:
    if entries:
        await session.execute(*insert_new_rows(session.bind.dialect.name, CaseAudit.__table__, entries))


@dataclass
class CaseBatch:
    """Collects one batch's case changes; `write` sends each kind of row in one statement."""

    rules: RuleSettings
    holiday_dates: Container[date]
    teams: dict[tuple[str, str], str]
    now: datetime
    states: dict[str, CaseState] = field(default_factory=dict)
    new_cases: list[dict[str, Any]] = field(default_factory=list)
    new_followups: list[dict[str, Any]] = field(default_factory=list)
    resolutions: dict[str, list[str]] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    audit: list[dict[str, Any]] = field(default_factory=list)
    #: The plan depends only on the rule and the opening day, which most cases of a batch share.
    plans: dict[tuple[str, date], list[PlannedFollowUp]] = field(default_factory=dict)

    def open_case(
        self,
        case_id: str,
        cooperative: Row,  #: services.registry.RULE_COLUMNS
        fiscal_year: int,
        opening: CaseOpening,
        opened_at: datetime,
        opened_on: date,
        filing_id: str | None = None,
        details: dict[str, Any] | None = None,
        reason: str | None = None,
    ) -> None:
        if case_id in self.states:
            return
        assignment = assign_team(cooperative.membership_area, cooperative.regency_code, self.teams)
        state = CaseState(
            case_id=case_id,
            rule=opening.rule,
            status=OPEN,
            resolution=None,
            opened_at=opened_at,
            priority=opening.priority,
            regency_code=cooperative.regency_code,
            assigned_team=assignment.team_id,
            escalation=opening.escalation,
            nik=cooperative.nik,
            fiscal_year=fiscal_year,
        )
        self.states[case_id] = state
        self.new_cases.append(
            {
                **{name: getattr(state, name) for name in CaseState.__dataclass_fields__},
                "assignment_note": assignment.note,
                "filing_id": filing_id,
                "details": details or {},
            }
        )
        for planned in self._plan(opening.rule, opened_on):
            self.new_followups.append(
                {
                    "followup_id": followup_id(case_id, planned.kind),
                    "case_id": case_id,
                    "kind": planned.kind,
                    "sequence": planned.sequence,
                    "due_date": planned.due_date,
                    "status": PLANNED,
                }
            )
        self._publish(state, CASE_OPENED)
        self.audit.append(
            audit_entry(f"{case_id}:opened", case_id, "opened", self.now, WORKER, to_state=opening.rule,
                        reason=reason or assignment.note)
        )

    def _plan(self, rule: str, opened_on: date) -> list[PlannedFollowUp]:
        """The plan depends only on the rule and the opening day, which most cases of a batch share."""
        if (rule, opened_on) not in self.plans:
            self.plans[(rule, opened_on)] = plan_followups(rule, opened_on, self.rules, self.holiday_dates)
        return self.plans[(rule, opened_on)]

    def resolve_case(self, case_id: str, resolution: str, reason: str | None = None) -> None:
        state = self.states[case_id]
        if state.status != OPEN:
            return
        state.status, state.resolution = RESOLVED, resolution
        self.resolutions.setdefault(resolution, []).append(case_id)
        self._publish(state, CASE_RESOLVED)
        self.audit.append(
            audit_entry(f"{case_id}:resolved", case_id, "resolved", self.now, WORKER, from_state=OPEN,
                        to_state=resolution, reason=reason)
        )

    def _publish(self, state: CaseState, event_type: str) -> None:
        self.events.append(case_event_message(case_event(state, event_type, self.now), self.now))

    async def write(self, session: AsyncSession) -> None:
        dialect = session.bind.dialect.name
        if self.new_cases:
            await session.execute(*insert_new_rows(dialect, InspectionCase.__table__, self.new_cases))
        if self.new_followups:
            await session.execute(*insert_new_rows(dialect, FollowUp.__table__, self.new_followups))
        for resolution, case_ids in self.resolutions.items():
            await session.execute(
                update(InspectionCase)
                .where(among(InspectionCase.case_id, case_ids), InspectionCase.status == OPEN)
                .values(status=RESOLVED, resolution=resolution, resolved_at=self.now),
                execution_options=NO_SESSION_SYNC,
            )
            await session.execute(
                update(FollowUp)
                .where(among(FollowUp.case_id, case_ids), FollowUp.status.in_(PENDING))
                .values(status=CANCELLED),
                execution_options=NO_SESSION_SYNC,
            )
        await outbox.enqueue(session, self.events)
        await write_audit(session, self.audit)
