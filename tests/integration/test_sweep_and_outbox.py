"""The deadline sweep query, the outbox around a broker restart, reconciliation and the migrations."""
from __future__ import annotations

import threading
import time
from datetime import date, datetime, timezone

import pytest

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import OperationalError

from models.cases import InspectionCase
from models.filings import RatFiling
from models.messaging import OutboxMessage
from models.tables import Base
from services import outbox
from services.handlers import handle_filings, reconcile
from services.intake import accept_filings
from services.sweep import overdue_cooperatives
from streams.validation import validate_filing
from tests.factories import cooperative, filing, incoming, missed
from tests.integration.conftest import NOW


async def test_the_sweep_finds_cooperatives_overdue_without_a_filing_or_a_case(pipeline, sync_sessions, settings):
    province = "19"  # Kepulauan Bangka Belitung: nobody else's test data lives there
    overdue, filed, dissolved, has_case = (cooperative(nik=f"1971{i:012d}") for i in range(4))
    dissolved["status"] = "dibubarkan"
    june_year = cooperative(nik="1971000000000099", fiscal_year_end="06-30")
    await pipeline.cooperatives(overdue, filed, dissolved, has_case, june_year)
    await pipeline.filings(filing(filed["nik"], 2024))
    await pipeline.missed(missed(has_case["nik"], 2024))

    with sync_sessions() as session:
        on_deadline = overdue_cooperatives(session, date(2025, 7, 31), settings.rules, [province])
        day_after = overdue_cooperatives(session, date(2025, 8, 1), settings.rules, [province])

    # On 31 July 2025 the calendar-year cooperatives' FY2024 report is still due today, not overdue.
    assert {(o.nik, o.fiscal_year) for o in on_deadline if o.fiscal_year == 2024} == {(june_year["nik"], 2024)}
    assert {(o.nik, o.fiscal_year, o.deadline) for o in day_after} == {
        (overdue["nik"], 2024, date(2025, 7, 31)),
        (june_year["nik"], 2024, date(2025, 1, 31)),
    }


async def test_user_input_sent_but_never_applied_is_sent_again_after_a_broker_restart(
    sessions, sync_sessions, pipeline, settings
):
    coop = cooperative()
    applied, lost = filing(coop["nik"]), filing(coop["nik"], 2023)
    with sync_sessions.begin() as session:
        accept_filings(session, [validate_filing(applied), validate_filing(lost)], NOW)
        ids = dict(session.execute(select(OutboxMessage.message_id, OutboxMessage.id)).all())
        session.execute(update(OutboxMessage).values(sent_at=NOW).where(OutboxMessage.sent_at.is_(None)))
    applied_id = ids[f"rat-filings:{applied['filing_id']}"]
    lost_id = ids[f"rat-filings:{lost['filing_id']}"]

    await pipeline.cooperatives(coop)
    header = {outbox.OUTBOX_ID_HEADER: str(applied_id).encode()}
    await handle_filings(sessions, [incoming("rat-filings", applied, header)], settings, NOW)
    with sync_sessions.begin() as session:
        session.execute(outbox.requeue_unapplied_statement())
        unsent = set(session.scalars(select(OutboxMessage.id).where(OutboxMessage.sent_at.is_(None))))
    assert lost_id in unsent and applied_id not in unsent


async def test_reconciliation_resolves_a_missed_case_whose_filing_raced_past_it(
    sessions, sync_sessions, pipeline, settings
):
    coop = cooperative()
    await pipeline.cooperatives(coop)
    # The filings agent stored and evaluated the filing while the missed-RAT agent, not seeing it yet,
    # wrote its case: the filings agent's own late case lost the race for the case id.
    with sync_sessions.begin() as session:
        late = validate_filing(filing(coop["nik"], 2024, submitted_at="2025-08-03T10:00:00+08:00"))
        session.add(
            RatFiling(
                filing_id=late.filing_id, nik=late.nik, fiscal_year=2024, rat_date=late.rat_day,
                submitted_at=late.submitted, members=late.members, received_at=NOW, evaluated_at=NOW, late=True,
                **{name: late.amount(name) for name in ("assets", "liabilities", "equity", "business_volume", "shu")},
            )
        )
        session.add(
            InspectionCase(
                case_id=f"RAT-2024-{coop['nik']}", nik=coop["nik"], fiscal_year=2024, rule="rat_missed",
                status="open", priority="normal", regency_code=coop["regency_code"],
                opened_at=datetime(2025, 8, 1, tzinfo=timezone.utc), details={},
            )
        )
    await reconcile(sessions, settings, NOW)
    with sync_sessions() as session:
        case = session.get(InspectionCase, f"RAT-2024-{coop['nik']}")
    assert (case.status, case.resolution) == ("resolved", "filed_late")


def test_the_migrations_create_exactly_the_tables_the_models_describe(sync_sessions):
    with sync_sessions() as session:
        connection = session.connection()
        differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata)
    assert differences == []


def test_the_fast_path_of_upgrade_knows_the_newest_migration():
    from alembic.script import ScriptDirectory

    from models.migrate import alembic_config, head_revision

    assert head_revision() == ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


async def test_the_relay_reads_pending_messages_oldest_first_with_their_exact_bytes_and_headers(sessions):
    odd = bytes(range(256))  # not UTF-8: the value travels as hex
    stamp = f"{id(odd)}"
    async with sessions() as session, session.begin():
        await outbox.enqueue(session, [
            outbox.message(f"pending-{stamp}-1", "rat-filings", "7471000000000001", b'{"a":"\xc3\xa9"}', NOW,
                           {"satgas-submission": "web", "trace": "x y"}),
            outbox.message(f"pending-{stamp}-2", "dead-letters", None, odd, NOW),
        ])
    async with sessions() as session, session.begin():
        mine = await outbox.pending(session, 10_000)
        ids = dict((await session.execute(
            select(OutboxMessage.message_id, OutboxMessage.id).where(OutboxMessage.message_id.like(f"pending-{stamp}-%"))
        )).all())
    by_id = {row.id: row for row in mine}
    first, second = by_id[ids[f"pending-{stamp}-1"]], by_id[ids[f"pending-{stamp}-2"]]
    assert [row.id for row in mine] == sorted(row.id for row in mine)
    assert (first.topic, first.key, first.value) == ("rat-filings", "7471000000000001", b'{"a":"\xc3\xa9"}')
    assert first.headers == {"satgas-submission": "web", "trace": "x y"}
    assert (second.topic, second.key, second.value, second.headers) == ("dead-letters", None, odd, {})


@pytest.mark.parametrize("marking, first", [(outbox.mark_sent_statement, 990_001),
                                            (outbox.mark_applied_statement, 991_001)])
def test_marking_the_outbox_locks_rows_in_id_order_so_relays_and_consumers_cannot_deadlock(
    sync_sessions, marking, first
):
    """CI once saw the demo's relay and the worker's relay deadlock on PostgreSQL: each locked the rows it
    marked in the order its plan scanned them. Marked in id order, whoever waits holds only lower ids."""
    if sync_sessions.kw["bind"].dialect.name != "postgresql":
        pytest.skip("SQLite locks the whole database: no row locks to order")
    ids = [first + 4, first + 3, first + 2, first + 1, first]  # stored, and named, highest first
    with sync_sessions.begin() as session:
        session.add_all(OutboxMessage(id=id, message_id=f"lock-order:{id}", topic="case-events",
                                      value=b"{}", headers={}, created_at=NOW) for id in ids)
    holder, marker, probe = sync_sessions(), sync_sessions(), sync_sessions()
    try:
        holder.execute(update(OutboxMessage).where(OutboxMessage.id == first + 2).values(created_at=NOW))
        marking_pid = marker.scalar(text("SELECT pg_backend_pid()"))
        marked = threading.Thread(target=lambda: marker.execute(marking(ids, NOW)))
        marked.start()
        waiting = text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid AND wait_event_type = 'Lock'")
        deadline = time.monotonic() + 10
        while not probe.scalar(waiting, {"pid": marking_pid}):
            assert time.monotonic() < deadline, "the marking never waited for the held row"
            time.sleep(0.05)
        probe.rollback()

        def locked(id: int) -> bool:
            try:
                probe.execute(select(OutboxMessage.id).where(OutboxMessage.id == id).with_for_update(nowait=True))
                return False
            except OperationalError:
                return True
            finally:
                probe.rollback()

        assert [id for id in sorted(ids) if locked(id)] == [first, first + 1, first + 2]
        holder.commit()
        marked.join(timeout=10)
        marker.commit()
    finally:
        for session in (holder, marker, probe):
            session.close()
    column = OutboxMessage.sent_at if marking is outbox.mark_sent_statement else OutboxMessage.applied_at
    with sync_sessions() as session:
        assert session.scalar(select(func.count()).where(OutboxMessage.id.in_(ids), column.is_not(None))) == 5
