"""Replaying dead letters through the outbox: each one once, however often an operator asks."""
from __future__ import annotations

import json
from datetime import datetime, timezone

from sqlalchemy import select

from models.messaging import DeadLetter, OutboxMessage
from services.dead_letter_replay import PENDING, find_dead_letters, replay, replay_message_id
from services.handlers import handle_missed
from tests.factories import incoming, missed, random_nik

LATER = datetime(2025, 8, 2, 3, 0, tzinfo=timezone.utc)


async def dead_letter_for_unknown_nik(sessions, sync_sessions, settings) -> DeadLetter:
    refused = incoming("rat-missed", missed(random_nik(), 2024))
    await handle_missed(sessions, [refused], settings, LATER)
    with sync_sessions() as session:
        return session.scalars(select(DeadLetter).where(DeadLetter.source == refused.source)).one()


def replay_ids(sync_sessions, ids):
    with sync_sessions.begin() as session:
        return replay(session, find_dead_letters(session, ids=ids), LATER, asked_for=ids)


def outbox_rows(sync_sessions, letter_id):
    with sync_sessions() as session:
        return session.scalars(select(OutboxMessage).where(OutboxMessage.message_id == replay_message_id(letter_id))
                               ).all()


async def test_a_replayed_dead_letter_goes_back_to_its_topic_once_with_its_original_bytes(sessions, sync_sessions, settings):
    letter = await dead_letter_for_unknown_nik(sessions, sync_sessions, settings)
    first = replay_ids(sync_sessions, [letter.id])
    second = replay_ids(sync_sessions, [letter.id])

    assert (first.replayed, first.already_replayed) == ([letter.id], [])
    assert (second.replayed, second.already_replayed) == ([], [letter.id])
    [message] = outbox_rows(sync_sessions, letter.id)
    assert (message.topic, message.value, message.sent_at) == ("rat-missed", letter.original, None)
    assert message.headers == {"satgas-replay-of": str(letter.id)}
    with sync_sessions() as session:
        assert session.get(DeadLetter, letter.id).replayed_at == LATER


async def test_an_unknown_id_is_named_and_the_others_are_replayed(sessions, sync_sessions, settings):
    letter = await dead_letter_for_unknown_nik(sessions, sync_sessions, settings)
    result = replay_ids(sync_sessions, [letter.id, 987654321])
    assert (result.replayed, result.unknown) == ([letter.id], [987654321])


async def test_replaying_every_pending_dead_letter_skips_the_replayed_ones(sessions, sync_sessions, settings):
    done = await dead_letter_for_unknown_nik(sessions, sync_sessions, settings)
    replay_ids(sync_sessions, [done.id])
    waiting = await dead_letter_for_unknown_nik(sessions, sync_sessions, settings)
    with sync_sessions.begin() as session:
        result = replay(session, find_dead_letters(session, status=PENDING), LATER)
    assert waiting.id in result.replayed and done.id not in result.replayed + result.already_replayed
    assert len(outbox_rows(sync_sessions, done.id)) == 1


async def test_a_replayed_event_refused_again_names_the_dead_letter_it_replays(sessions, sync_sessions, settings):
    again = incoming("rat-missed", missed(random_nik(), 2024), headers={"satgas-replay-of": b"41"})
    await handle_missed(sessions, [again], settings, LATER)
    with sync_sessions() as session:
        letter = session.scalars(select(DeadLetter).where(DeadLetter.source == again.source)).one()
    assert letter.details == {"replay_of": "41"}
    assert json.loads(letter.original)["nik"] == json.loads(again.value)["nik"]
