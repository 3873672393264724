"""The case handlers against real SQLite and PostgreSQL: rules, idempotency, bad input."""
from __future__ import annotations

import json

from sqlalchemy import func, select

from models.cases import FollowUp, InspectionCase
from models.messaging import DeadLetter, OutboxMessage
from models.registry import Team
from services.queries import list_cases
from tests.factories import cooperative, filing, incoming, missed, random_nik


def cases_of(sync_sessions, nik):
    with sync_sessions() as session:
        return list_cases(session, nik=nik)


def case_events_of(sync_sessions, nik):
    with sync_sessions() as session:
        rows = session.scalars(
            select(OutboxMessage).where(OutboxMessage.topic == "case-events", OutboxMessage.key == nik)
        ).all()
        return [json.loads(row.value) for row in rows]


async def test_a_missed_rat_event_opens_one_case_with_its_follow_up_plan(pipeline, sync_sessions):
    coop = cooperative()
    await pipeline.cooperatives(coop)
    await pipeline.missed(missed(coop["nik"], 2024))

    [case] = cases_of(sync_sessions, coop["nik"])
    assert (case["case_id"], case["rule"], case["status"], case["priority"]) == (
        f"RAT-2024-{coop['nik']}", "rat_missed", "open", "normal",
    )
    assert [f["kind"] for f in case["followups"]] == ["teguran_1", "kunjungan_lapangan", "teguran_2", "teguran_3"]
    assert all(f["status"] == "planned" for f in case["followups"])
    [event] = case_events_of(sync_sessions, coop["nik"])
    assert (event["type"], event["case_id"]) == ("case_opened", case["case_id"])


async def test_a_duplicate_missed_rat_event_opens_no_second_case_follow_up_or_event(pipeline, sync_sessions):
    coop = cooperative()
    await pipeline.cooperatives(coop)
    event = missed(coop["nik"], 2024)
    await pipeline.missed(event, event)
    await pipeline.missed(event)

    [case] = cases_of(sync_sessions, coop["nik"])
    assert len(case["followups"]) == 4
    assert len(case_events_of(sync_sessions, coop["nik"])) == 1


async def test_a_second_missed_year_opens_a_critical_repeat_case_with_the_dissolution_notice(pipeline, sync_sessions):
    coop = cooperative()
    await pipeline.cooperatives(coop)
    await pipeline.missed(missed(coop["nik"], 2023))
    await pipeline.missed(missed(coop["nik"], 2024))

    by_year = {c["fiscal_year"]: c for c in cases_of(sync_sessions, coop["nik"])}
    assert by_year[2023]["rule"] == "rat_missed"
    assert (by_year[2024]["rule"], by_year[2024]["priority"]) == ("rat_missed_repeat", "critical")
    assert by_year[2024]["followups"][-1]["kind"] == "surat_rencana_pembubaran"


async def test_savings_and_loan_cooperatives_get_a_higher_priority(pipeline, sync_sessions):
    coop = cooperative(kind="KSP")
    await pipeline.cooperatives(coop)
    await pipeline.missed(missed(coop["nik"]))
    [case] = cases_of(sync_sessions, coop["nik"])
    assert case["priority"] == "high"


async def test_a_dissolved_cooperative_gets_no_rat_case_but_an_inactive_one_does(pipeline, sync_sessions):
    dissolved, inactive = cooperative(status="dibubarkan"), cooperative(status="tidak_aktif")
    await pipeline.cooperatives(dissolved, inactive)
    await pipeline.missed(missed(dissolved["nik"]), missed(inactive["nik"]))
    assert cases_of(sync_sessions, dissolved["nik"]) == []
    assert len(cases_of(sync_sessions, inactive["nik"])) == 1


async def test_a_filing_for_an_open_missed_case_resolves_it_as_filed_late(pipeline, sync_sessions):
    coop = cooperative()
    await pipeline.cooperatives(coop)
    await pipeline.missed(missed(coop["nik"], 2024))
    await pipeline.filings(filing(coop["nik"], 2024, rat_date="2025-08-20", submitted_at="2025-08-25T09:00:00+08:00"))

    [case] = cases_of(sync_sessions, coop["nik"])
    assert (case["status"], case["resolution"]) == ("resolved", "filed_late")
    assert {f["status"] for f in case["followups"]} == {"cancelled"}
    assert [e["type"] for e in case_events_of(sync_sessions, coop["nik"])] == ["case_opened", "case_resolved"]


async def test_a_late_filing_opens_a_rat_late_case(pipeline, sync_sessions):
    coop = cooperative()
    await pipeline.cooperatives(coop)
    await pipeline.filings(filing(coop["nik"], 2024, rat_date="2025-07-10", submitted_at="2025-07-20T09:00:00+08:00"))
    [case] = cases_of(sync_sessions, coop["nik"])
    assert (case["rule"], case["status"], case["escalation"]) == ("rat_late", "open", None)
    assert case["details"] == {"rat_held_late": True, "reported_late": False}


async def test_two_late_years_in_a_row_escalate_to_the_national_level(pipeline, sync_sessions):
    coop = cooperative()
    await pipeline.cooperatives(coop)
    await pipeline.filings(filing(coop["nik"], 2023, rat_date="2024-07-10", submitted_at="2024-07-20T09:00:00+08:00"))
    await pipeline.filings(filing(coop["nik"], 2024, rat_date="2025-06-10", submitted_at="2025-08-02T09:00:00+08:00"))
    by_year = {c["fiscal_year"]: c for c in cases_of(sync_sessions, coop["nik"])}
    assert by_year[2023]["escalation"] is None
    assert (by_year[2024]["rule"], by_year[2024]["escalation"]) == ("rat_late", "nasional")


async def test_an_on_time_filing_opens_no_case(pipeline, sync_sessions):
    coop = cooperative()
    await pipeline.cooperatives(coop)
    await pipeline.filings(filing(coop["nik"], 2024))
    assert cases_of(sync_sessions, coop["nik"]) == []


async def test_a_filing_that_arrives_before_its_cooperative_is_applied_when_the_cooperative_appears(
    pipeline, sync_sessions
):
    nik = random_nik()
    await pipeline.filings(filing(nik, 2024, equity="-5000000.00"))
    assert cases_of(sync_sessions, nik) == []

    await pipeline.cooperatives(cooperative(nik))
    [case] = cases_of(sync_sessions, nik)
    assert case["rule"] == "filing_anomaly"
    assert case["details"] == {"anomalies": ["negative_equity"]}


async def test_anomalies_open_one_case_per_filing_and_weigh_more_for_a_ksp(pipeline, sync_sessions):
    ksp = cooperative(kind="KSPPS")
    await pipeline.cooperatives(ksp)
    await pipeline.filings(filing(ksp["nik"], 2023, members=300))
    bad = filing(ksp["nik"], 2024, members=100, liabilities="900000000.00", equity="-400000000.00")
    await pipeline.filings(bad, bad)

    [case] = cases_of(sync_sessions, ksp["nik"])
    assert (case["case_id"], case["priority"]) == (f"ANM-{bad['filing_id']}", "critical")
    assert case["details"]["anomalies"] == ["negative_equity", "liabilities_exceed_assets", "members_dropped"]


async def test_bad_events_go_to_dead_letter_with_the_reason_and_the_rest_of_the_batch_is_applied(
    sessions, settings, sync_sessions
):
    from services.handlers import handle_cooperatives

    good = cooperative()
    messages = [
        incoming("cooperatives", b"{not json"),
        incoming("cooperatives", cooperative(nik="12345")),
        incoming("cooperatives", cooperative(regency_code="9999", nik="9999" + good["nik"][4:])),
        incoming("cooperatives", {k: v for k, v in cooperative().items() if k != "name"}),
        incoming("cooperatives", good),
    ]
    from tests.integration.conftest import NOW

    await handle_cooperatives(sessions, messages, settings, NOW)
    await handle_cooperatives(sessions, messages, settings, NOW)  # a replay records nothing twice

    with sync_sessions() as session:
        letters = session.scalars(
            select(DeadLetter).where(DeadLetter.source.in_([m.source for m in messages]))
        ).all()
        forwarded = session.scalar(
            select(func.count()).where(
                OutboxMessage.topic == "dead-letter",
                OutboxMessage.message_id.in_([f"dead-letter:{m.source}" for m in messages]),
            )
        )
    reasons = sorted(letter.reason for letter in letters)
    assert len(reasons) == 4 and forwarded == 4
    assert any(r.startswith("not valid JSON") for r in reasons)
    assert "NIK must be 16 digits, not '12345'" in reasons
    assert any("unknown regency code '9999'" in r for r in reasons)
    assert "missing field 'name'" in reasons
    assert {letter.original for letter in letters} >= {b"{not json"}
    assert cases_of(sync_sessions, good["nik"]) == []  # stored, no case by itself


async def test_a_missed_event_for_an_unknown_cooperative_goes_to_dead_letter(pipeline, sync_sessions):
    nik = random_nik()
    await pipeline.missed(missed(nik))
    with sync_sessions() as session:
        [letter] = session.scalars(
            select(DeadLetter).where(DeadLetter.reason == f"no cooperative with NIK {nik} in the registry")
        ).all()
    assert json.loads(letter.original)["nik"] == nik


async def test_assignment_follows_the_membership_area_and_falls_back_visibly(pipeline, sync_sessions):
    with sync_sessions.begin() as session:
        session.merge(Team(team_id="satgas-7403", name="Satgas Muna", level="kabupaten", region_code="7403"))
        session.merge(Team(team_id="satgas-74", name="Satgas Sultra", level="provinsi", region_code="74"))
    own_team = cooperative(nik=random_nik("7403"))
    no_regency_team = cooperative(nik=random_nik("7404"))
    provincial = cooperative(nik=random_nik("7403"), membership_area="provinsi")
    await pipeline.cooperatives(own_team, no_regency_team, provincial)
    await pipeline.missed(*(missed(c["nik"]) for c in (own_team, no_regency_team, provincial)))

    [a] = cases_of(sync_sessions, own_team["nik"])
    [b] = cases_of(sync_sessions, no_regency_team["nik"])
    [c] = cases_of(sync_sessions, provincial["nik"])
    assert (a["assigned_team"], a["assignment_note"]) == ("satgas-7403", None)
    assert b["assigned_team"] == "satgas-74" and "no kabupaten team for 7404" in b["assignment_note"]
    assert (c["assigned_team"], c["assignment_note"]) == ("satgas-74", None)


async def test_a_batch_costs_the_same_number_of_statements_whatever_its_size(sessions, settings, pipeline):
    from sqlalchemy import event

    from services.handlers import handle_missed
    from tests.integration.conftest import NOW

    async def statements_for(size: int) -> int:
        coops = [cooperative() for _ in range(size)]
        await pipeline.cooperatives(*coops)
        counter = {"n": 0}
        engine = sessions.kw["bind"].sync_engine

        def count(*_):
            counter["n"] += 1

        event.listen(engine, "before_cursor_execute", count)
        try:
            await handle_missed(sessions, [incoming("rat-missed", missed(c["nik"])) for c in coops], settings, NOW)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return counter["n"]

    small, large = await statements_for(10), await statements_for(1000)
    assert large <= small + 10, (small, large)


async def test_a_previous_year_whose_report_turned_out_on_time_does_not_make_a_repeat_case(pipeline, sync_sessions):
    coop = cooperative()
    await pipeline.cooperatives(coop)
    await pipeline.missed(missed(coop["nik"], 2023))
    await pipeline.filings(filing(coop["nik"], 2023))  # held and reported in time, entered late
    await pipeline.missed(missed(coop["nik"], 2024))
    by_year = {c["fiscal_year"]: c for c in cases_of(sync_sessions, coop["nik"])}
    assert by_year[2023]["resolution"] == "filed"
    assert by_year[2024]["rule"] == "rat_missed"


async def test_a_dissolved_cooperative_gets_no_late_case_but_its_anomalies_still_open_one(pipeline, sync_sessions):
    coop = cooperative(status="dibubarkan")
    await pipeline.cooperatives(coop)
    await pipeline.filings(
        filing(coop["nik"], 2024, submitted_at="2025-09-01T10:00:00+08:00", equity="-1.00")
    )
    [case] = cases_of(sync_sessions, coop["nik"])
    assert case["rule"] == "filing_anomaly"
