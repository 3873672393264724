"""Opens and resolves cases in bulk: cases, follow-up plans and their case events in one transaction."""
from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from operator import attrgetter
from typing import Any

import orjson
from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from config.settings import RuleSettings
from models.audit import WORKER, CaseAudit
from models.cases import CANCELLED, OPEN, PENDING, PLANNED, RESOLVED, FollowUp, InspectionCase, followup_id
from models.messaging import OutboxMessage
from models.registry import Team
from models.rules.assignment import Assignment, assign_team
from models.rules.cases import CaseOpening
from models.rules.followups import PlannedFollowUp, plan_followups
from models.rules.ladder import DIBUKA
from services import outbox
from services.bulk import NO_SESSION_SYNC, insert_missing, insert_new_rows, insert_rows
from services.bulk_reads import among, json_rows, rows_as_json

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
    found = rows_as_json(session.bind.dialect.name, ["level", "region_code", "team_id"])
    rows = await json_rows(session, f"SELECT {found} FROM {Team.__tablename__}")
    return {(level, region): team_id for level, region, team_id in rows}


@lru_cache(maxsize=1024)
def _isoformat(instant: datetime) -> str:
    """A batch's events share a few instants: their batch's, a sweep's detection time."""
    return instant.isoformat()


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
        "opened_at": _isoformat(state.opened_at),
        "occurred_at": _isoformat(occurred_at),
        "escalation": state.escalation,
        "resolution": state.resolution,
        "stage": state.stage,
        "followup_id": extra.get("followup_id"),
        "followup_kind": extra.get("followup_kind"),
        "due_date": extra.get("due_date"),
        "actor": extra.get("actor"),
    }


def case_event_message(event: dict[str, Any], now: datetime) -> dict[str, Any]:
    return dict(zip(outbox.MESSAGE_COLUMNS, case_event_row(event, now)))


def case_event_row(event: dict[str, Any], now: datetime) -> tuple:
    """The event's outbox row (outbox.MESSAGE_COLUMNS)."""
    return outbox.message_row(event["event_id"], "case-events", event["nik"], orjson.dumps(event), now)


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


#: Columns of a new case's rows, in the order CaseBatch builds them (tuples: a sweep builds 100,000s).
CASE_COLUMNS = (*CaseState.__dataclass_fields__, "assignment_note", "filing_id", "details")
_state_row = attrgetter(*CaseState.__dataclass_fields__)
FOLLOWUP_COLUMNS = ("followup_id", "case_id", "kind", "sequence", "due_date", "status")
OPENED_AUDIT_COLUMNS = ("entry_key", "case_id", "at", "actor", "action", "to_state", "reason")


@dataclass
class Opening:
    """A case the batch opens unless it exists already. Its plan, case event and audit entry are
    written only if its row turns out to be new."""

    state: CaseState
    row: tuple  #: CASE_COLUMNS
    plan: list[PlannedFollowUp]
    event: dict[str, Any]  #: its `case_opened` case event
    reason: str | None


@dataclass
class CaseBatch:
    """Collects one batch's case changes; `write` sends each kind of row in one statement."""

    rules: RuleSettings
    holiday_dates: Container[date]
    teams: dict[tuple[str, str], str]
    now: datetime
    states: dict[str, CaseState] = field(default_factory=dict)
    openings: dict[str, Opening] = field(default_factory=dict)
    resolutions: dict[str, list[str]] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    audit: list[dict[str, Any]] = field(default_factory=list)
    #: The plan depends only on the rule and the opening day, the team only on the membership area and
    #: the regency: most cases of a batch share them.
    plans: dict[tuple[str, date], list[PlannedFollowUp]] = field(default_factory=dict)
    assignments: dict[tuple[str, str], Assignment] = field(default_factory=dict)

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
        """Open a case the caller found missing (among `states`, or by a lookup of its own); a case
        known to the batch is left as it is."""
        if case_id in self.states:
            return
        area, regency_code = cooperative.membership_area, cooperative.regency_code
        assignment = self.assignments.get((area, regency_code))
        if assignment is None:
            assignment = self.assignments[(area, regency_code)] = assign_team(area, regency_code, self.teams)
        state = self.states[case_id] = CaseState(
            case_id, opening.rule, OPEN, None, opened_at, opening.priority, regency_code, assignment.team_id,
            opening.escalation, cooperative.nik, fiscal_year,
        )
        self.openings[case_id] = Opening(
            state=state,
            row=(*_state_row(state), assignment.note, filing_id, details or {}),
            plan=self._plan(opening.rule, opened_on),
            event=case_event(state, CASE_OPENED, self.now),
            reason=reason or assignment.note,
        )

    def _plan(self, rule: str, opened_on: date) -> list[PlannedFollowUp]:
        plan = self.plans.get((rule, opened_on))
        if plan is None:
            plan = self.plans[(rule, opened_on)] = plan_followups(rule, opened_on, self.rules, self.holiday_dates)
        return plan

    def resolve_case(self, case_id: str, resolution: str, reason: str | None = None) -> None:
        state = self.states[case_id]
        if state.status != OPEN:
            return
        state.status, state.resolution = RESOLVED, resolution
        self.resolutions.setdefault(resolution, []).append(case_id)
        self.events.append(case_event_message(case_event(state, CASE_RESOLVED, self.now), self.now))
        self.audit.append(
            audit_entry(f"{case_id}:resolved", case_id, "resolved", self.now, WORKER, from_state=OPEN,
                        to_state=resolution, reason=reason)
        )

    async def write(self, session: AsyncSession) -> None:
        dialect = session.bind.dialect.name
        await self._write_openings(session, dialect)
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

    async def _write_openings(self, session: AsyncSession, dialect: str) -> None:
        """The case rows first; the plan, event and audit entry only of those that were not there yet,
        which therefore need no conflict check. An opening is for a case the batch found missing (a
        replayed or repeated event finds its case and opens nothing)."""
        if not self.openings:
            return
        rows = [opening.row for opening in self.openings.values()]
        inserted = await insert_missing(session, InspectionCase.__table__, rows, CASE_COLUMNS, "case_id")
        opened = [(case_id, self.openings[case_id]) for case_id in inserted]
        if not opened:
            return
        now = self.now
        followups = [
            (followup_id(case_id, planned.kind), case_id, planned.kind, planned.sequence, planned.due_date, PLANNED)
            for case_id, opening in opened
            for planned in opening.plan
        ]
        events = [case_event_row(opening.event, now) for _, opening in opened]
        audit = [
            (f"{case_id}:opened", case_id, now, WORKER, "opened", opening.state.rule, opening.reason)
            for case_id, opening in opened
        ]
        for table, columns, new_rows in (
            (FollowUp.__table__, FOLLOWUP_COLUMNS, followups),
            (OutboxMessage.__table__, outbox.MESSAGE_COLUMNS, events),
            (CaseAudit.__table__, OPENED_AUDIT_COLUMNS, audit),
        ):
            if new_rows:
                await session.execute(*insert_rows(dialect, table, new_rows, columns))
