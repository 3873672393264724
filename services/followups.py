"""Follow-ups over time: reminders, due and overdue states, the ladder, and the outcomes supervisors record."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Container, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from config.settings import RuleSettings
from models.audit import CaseAudit
from models.cases import DONE, DUE, OPEN, OVERDUE, PENDING, PLANNED, FollowUp, InspectionCase
from models.regions import timezone_of_regency
from models.rules.followups import TEGURAN_1, TEGURAN_2, TEGURAN_3
from models.rules.ladder import ESCALATION_OF_STAGE, check_visit_notice, ladder_stage, stage_rank
from models.rules.workdays import is_working_day, next_working_day
from services import outbox
from services.bulk import insert_new_rows
from services.bulk_reads import among
from services.casework import CaseState, audit_entry, case_event, case_event_message

WARNINGS = (TEGURAN_1, TEGURAN_2, TEGURAN_3)
_CASE_COLUMNS = [getattr(InspectionCase, name) for name in CaseState.__dataclass_fields__]


class FollowUpError(ValueError):
    """An action on a follow-up that cannot be done, in words a supervisor understands."""


@dataclass
class Transitions:
    """Audit entries and case events of one duty, written with one statement each."""

    now: datetime
    actor: str
    audit: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    #: (follow-up, case) pairs that someone must be told about: "reminders" and "overdue".
    notices: dict[str, list] = field(default_factory=lambda: {"reminders": [], "overdue": []})

    def record(self, state: CaseState, key: str, event_type: str, action: str, *, followup=None,
               from_state=None, to_state=None, reason=None) -> None:
        extra = {}
        if followup is not None:
            extra = {"followup_id": followup.followup_id, "followup_kind": followup.kind,
                     "due_date": followup.due_date.isoformat()}
        self.events.append(case_event_message(
            case_event(state, event_type, self.now, event_id=f"{key}:{event_type}", actor=self.actor, **extra), self.now
        ))
        self.audit.append(audit_entry(
            f"{key}:{action}", state.case_id, action, self.now, self.actor,
            followup_id=followup.followup_id if followup is not None else None,
            from_state=from_state, to_state=to_state, reason=reason,
        ))

    def write(self, session: Session) -> None:
        dialect = session.bind.dialect.name
        if self.audit:
            session.execute(*insert_new_rows(dialect, CaseAudit.__table__, self.audit))
        if self.events:
            session.execute(*outbox.insert_messages(dialect, self.events))


def _occurrence(followup: FollowUp) -> str:
    """A follow-up at its current due date: once rescheduled, it is reminded, due and overdue afresh."""
    return f"{followup.followup_id}@{followup.due_date.isoformat()}"


def _in_provinces(provinces: Collection[str]):
    return func.substr(InspectionCase.regency_code, 1, 2).in_(sorted(provinces))


def _pending_followups(session: Session, provinces: Collection[str], *conditions) -> list:
    statement = (
        select(FollowUp, *_CASE_COLUMNS)
        .join(InspectionCase, InspectionCase.case_id == FollowUp.case_id)
        .where(InspectionCase.status == OPEN, _in_provinces(provinces), *conditions)
        .order_by(FollowUp.followup_id)
    )
    return [(row[0], _state(row)) for row in session.execute(statement)]


def _state(source) -> CaseState:
    """The case fields of a result row or a loaded case."""
    return CaseState(**{name: getattr(source, name) for name in CaseState.__dataclass_fields__})


def _set_status(session: Session, ids: Sequence[str], from_states: Collection[str], **values) -> None:
    if ids:
        session.execute(
            update(FollowUp).where(among(FollowUp.followup_id, ids), FollowUp.status.in_(from_states)).values(**values)
        )


def remind_followups(session: Session, provinces: Collection[str], today: date, changes: Transitions,
                     holiday_dates: Container[date]) -> int:
    """Follow-ups due on the next working day: the assigned team is reminded once."""
    tomorrow = next_working_day(today + timedelta(days=1), holiday_dates)
    rows = _pending_followups(session, provinces, FollowUp.status == PLANNED, FollowUp.reminded_at.is_(None),
                              FollowUp.due_date > today, FollowUp.due_date <= tomorrow)
    if rows:
        session.execute(update(FollowUp)
                        .where(among(FollowUp.followup_id, [f.followup_id for f, _ in rows]), FollowUp.reminded_at.is_(None))
                        .values(reminded_at=changes.now))
    for followup, state in rows:
        changes.record(state, _occurrence(followup), "followup_reminder", "reminded", followup=followup,
                       reason=f"{followup.kind} due {followup.due_date.isoformat()}")
    changes.notices["reminders"].extend(rows)
    return len(rows)


def mark_due_and_overdue(session: Session, provinces: Collection[str], today: date, changes: Transitions) -> tuple[int, int]:
    """A follow-up whose day has come is due; one whose day has passed undone is overdue (SLA breach)."""
    due = _pending_followups(session, provinces, FollowUp.status == PLANNED, FollowUp.due_date == today)
    overdue = _pending_followups(session, provinces, FollowUp.status.in_((PLANNED, DUE)), FollowUp.due_date < today)
    for rows, new_status in ((due, DUE), (overdue, OVERDUE)):
        for followup, state in rows:
            changes.record(state, _occurrence(followup), f"followup_{new_status}", new_status, followup=followup,
                           from_state=followup.status, to_state=new_status,
                           reason=f"due {followup.due_date.isoformat()}")
    _set_status(session, [f.followup_id for f, _ in due], (PLANNED,), status=DUE)
    _set_status(session, [f.followup_id for f, _ in overdue], (PLANNED, DUE), status=OVERDUE)
    changes.notices["overdue"].extend(overdue)
    return len(due), len(overdue)


def climb_ladder(session: Session, provinces: Collection[str], today: date, changes: Transitions,
                 rules: RuleSettings, holiday_dates: Container[date]) -> int:
    """Move every open case to the ladder stage its warnings' due dates have reached."""
    statement = (
        select(FollowUp.kind, FollowUp.due_date, *_CASE_COLUMNS)
        .join(InspectionCase, InspectionCase.case_id == FollowUp.case_id)
        .where(InspectionCase.status == OPEN, _in_provinces(provinces), FollowUp.kind.in_(WARNINGS))
    )
    due_dates: dict[str, dict[str, date]] = defaultdict(dict)
    states: dict[str, CaseState] = {}
    for row in session.execute(statement.execution_options(yield_per=10000)):
        due_dates[row.case_id][row.kind] = row.due_date
        states.setdefault(row.case_id, _state(row))
    climbed: dict[str, list[CaseState]] = defaultdict(list)
    for case_id, state in states.items():
        stage = ladder_stage(due_dates[case_id], today, rules, holiday_dates)
        if stage_rank(stage) > stage_rank(state.stage):
            climbed[stage].append(state)
    for stage, climbing in climbed.items():
        escalation = ESCALATION_OF_STAGE.get(stage)
        climbing_ids = [state.case_id for state in climbing]
        session.execute(update(InspectionCase).where(among(InspectionCase.case_id, climbing_ids)).values(stage=stage))
        if escalation:
            keep_national = InspectionCase.escalation.is_distinct_from("nasional")
            session.execute(update(InspectionCase).where(among(InspectionCase.case_id, climbing_ids), keep_national)
                            .values(escalation=escalation))
        for state in climbing:
            previous, state.stage = state.stage, stage
            if escalation and state.escalation != "nasional":
                state.escalation = escalation
            changes.record(state, f"{state.case_id}/stage/{stage}", "case_stage_changed", "stage",
                           from_state=previous, to_state=stage, reason=f"reached on {today.isoformat()}")
    return sum(len(c) for c in climbed.values())


def _load_followup(session: Session, followup_id: str) -> tuple[FollowUp, InspectionCase]:
    followup = session.get(FollowUp, followup_id, with_for_update=session.bind.dialect.name == "postgresql")
    if followup is None:
        raise FollowUpError(f"no follow-up {followup_id}")
    return followup, session.get(InspectionCase, followup.case_id)


def record_followup_done(session: Session, followup_id: str, note: str, actor: str, now: datetime) -> FollowUp:
    """A supervisor records that a warning was sent or a visit happened."""
    if not note.strip():
        raise FollowUpError("say what was done in a note, e.g. the letter's number or what the visit found")
    followup, case = _load_followup(session, followup_id)
    if followup.status == DONE:
        raise FollowUpError(f"{followup_id} was already recorded as done on "
                            f"{followup.done_at.astimezone(timezone_of_regency(case.regency_code)):%Y-%m-%d} "
                            f"by {followup.done_by}")
    if followup.status not in PENDING:
        raise FollowUpError(f"{followup_id} was {followup.status} (the case is {case.status}): nothing to record")
    previous = followup.status
    followup.status, followup.done_at, followup.done_by, followup.note = DONE, now, actor, note.strip()
    changes = Transitions(now, actor)
    changes.record(_state(case), f"{followup_id}/done/{now.isoformat()}", "followup_done", "done",
                   followup=followup, from_state=previous, to_state=DONE, reason=note.strip())
    changes.write(session)
    return followup


def reschedule_followup(session: Session, followup_id: str, new_date: date, actor: str, now: datetime,
                        rules: RuleSettings, holiday_dates: Container[date]) -> FollowUp:
    """Move a pending follow-up to another working day; a field visit keeps its minimum notice."""
    followup, case = _load_followup(session, followup_id)
    if followup.status not in PENDING:
        raise FollowUpError(f"{followup_id} is {followup.status}: only a pending follow-up can be moved")
    today = now.astimezone(timezone_of_regency(case.regency_code)).date()
    check_visit_notice(followup.kind, new_date, today, rules)
    if new_date < today:
        raise FollowUpError(f"{new_date.isoformat()} has passed")
    if not is_working_day(new_date, holiday_dates):
        raise FollowUpError(f"{new_date.isoformat()} is not a working day; the next one is "
                            f"{next_working_day(new_date, holiday_dates).isoformat()}")
    old = followup.due_date
    followup.due_date, followup.status, followup.reminded_at = new_date, PLANNED, None
    changes = Transitions(now, actor)
    changes.record(_state(case), f"{followup_id}/rescheduled/{now.isoformat()}", "followup_rescheduled",
                   "rescheduled", followup=followup, from_state=old.isoformat(), to_state=new_date.isoformat())
    changes.write(session)
    return followup
