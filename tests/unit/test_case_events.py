"""The case event the worker writes has exactly the shape of the `CaseEvent` record (the wire contract)."""
from __future__ import annotations

import json
from datetime import datetime, timezone

from services.casework import CaseState, case_event
from streams.records import CaseEvent


def test_a_case_event_has_every_field_of_the_record_and_nothing_else():
    state = CaseState(
        case_id="RAT-2024-7471000000000001", rule="rat_missed", status="open", resolution=None,
        opened_at=datetime(2025, 8, 1, tzinfo=timezone.utc), priority="normal", regency_code="7471",
        assigned_team="satgas-7471", escalation=None, nik="7471000000000001", fiscal_year=2024,
    )
    event = case_event(state, "case_opened", datetime(2025, 8, 1, 0, 0, 2, tzinfo=timezone.utc))
    assert list(event) == list(CaseEvent._options.fields)
    assert CaseEvent.loads(json.dumps(event).encode()).asdict() == event
