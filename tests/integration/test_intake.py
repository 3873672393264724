"""What the CLI accepts into the outbox: changed registry rows are sent, a filing id is used once."""
from __future__ import annotations

from sqlalchemy import func, select

from models.messaging import OutboxMessage
from services.intake import accept_cooperatives, accept_filings
from streams.validation import validate_cooperative, validate_filing
from tests.factories import cooperative, filing
from tests.integration.conftest import NOW


def messages_for(sync_sessions, nik: str) -> int:
    with sync_sessions() as session:
        return session.scalar(select(func.count()).where(OutboxMessage.key == nik))


async def test_a_registry_row_that_returns_to_an_earlier_version_is_sent_again(sync_sessions, pipeline):
    a = cooperative(name="Koperasi Lama")
    b = {**a, "name": "Koperasi Baru"}
    for version in (a, b, a):
        with sync_sessions.begin() as session:
            assert accept_cooperatives(session, [validate_cooperative(version)], NOW).new == 1
        await pipeline.cooperatives(version)
    assert messages_for(sync_sessions, a["nik"]) == 3


async def test_a_registry_row_already_held_as_given_is_not_sent(sync_sessions, pipeline):
    coop = cooperative()
    await pipeline.cooperatives(coop)
    with sync_sessions.begin() as session:
        result = accept_cooperatives(session, [validate_cooperative(coop)], NOW)
    assert (result.new, result.unchanged) == (0, 1)


def test_a_filing_is_received_once_and_other_figures_under_its_id_are_refused(sync_sessions):
    original = validate_filing(filing(cooperative()["nik"]))
    corrected = validate_filing({**original.asdict(), "members": original.members + 1})
    with sync_sessions.begin() as session:
        first = accept_filings(session, [original], NOW)
        again = accept_filings(session, [original], NOW)
        conflict = accept_filings(session, [corrected], NOW)
    assert (first.new, again.new, again.unchanged) == (1, 0, 1)
    assert conflict.new == 0
    assert "already received with other figures" in conflict.refused[original.filing_id]
