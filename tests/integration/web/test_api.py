"""The JSON API against the real app and database: filings, cases, actions and who may do what."""
from __future__ import annotations

import hashlib
import json

from sqlalchemy import select

from models.audit import CaseAudit
from models.cases import InspectionCase
from models.messaging import OutboxMessage
from services.intake import filing_message_id
from tests.integration.web.conftest import PASSWORD, PDF, report_fields


def submit(api, fields=None, pdf=PDF, **extra):
    files = {"document": ("notulen-rat.pdf", pdf, "application/pdf")} if pdf is not None else None
    return api.post("/api/filings", data={**(fields or report_fields()), **extra}, files=files)


def outbox_value(world, filing_id):
    with world.sessions() as session:
        message_id = filing_message_id(filing_id)
        return session.scalar(select(OutboxMessage.value).where(OutboxMessage.message_id == message_id))


def test_a_token_needs_the_right_password_and_names_its_user(client, world):
    assert client.post("/api/token", json={"login": world.kendari, "password": "salah-sekali-123"}).status_code == 401
    assert client.post("/api/token", json={"login": "a\x00b", "password": PASSWORD}).status_code == 401
    assert client.get("/api/me").status_code == 401
    token = client.post("/api/token", json={"login": world.kendari, "password": PASSWORD}).json()["access_token"]
    me = client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert (me["role"], me["nik"]) == ("koperasi", world.kendari)


def test_a_cooperative_files_through_the_pipeline_and_gets_a_receipt(api_as, world, relays, web_settings):
    api, before = api_as(world.kendari), relays.count
    response = submit(api, submission_key="a" * 16)
    assert response.status_code == 201, response.text
    receipt = response.json()
    assert receipt["new"] and receipt["filing_id"] == f"WEB-{world.kendari}-{'a' * 16}"
    sent = json.loads(outbox_value(world, receipt["filing_id"]))
    assert (sent["nik"], sent["members"], sent["shu"], sent["assets"]) == (world.kendari, 120, "25000000.50",
                                                                         "500000000.00")
    assert sent["submitted_at"].endswith("+08:00")  # Kendari is WITA
    assert relays.count == before + 1
    document = receipt["filing"]["document"]
    assert document["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert (web_settings.data_dir / "documents" / world.kendari / f"{document['sha256']}.pdf").read_bytes() == PDF
    history = api.get("/api/filings").json()
    assert [(f["filing_id"], f["timeliness"]) for f in history if f["filing_id"] == receipt["filing_id"]] == [
        (receipt["filing_id"], "diproses")]
    assert api.get(f"/api/filings/{receipt['filing_id']}/document").content == PDF


def test_the_same_submission_sent_twice_is_one_filing(api_as, world, relays):
    api = api_as(world.kendari)
    first = submit(api, submission_key="b" * 16)
    relayed = relays.count
    again = submit(api, submission_key="b" * 16)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["new"] is False and relays.count == relayed


def test_a_wrong_report_is_refused_field_by_field_in_indonesian_and_nothing_is_stored(api_as, world):
    api = api_as(world.kendari)
    response = submit(api, report_fields(rat_date="2024-12-01", members_men="tujuh puluh", assets="-5",
                                         shu="banyak"), pdf=b"GIF89a not a pdf", submission_key="c" * 16)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"rat_date", "members_men", "assets", "shu", "document"}
    assert "setelah tahun buku berakhir" in errors["rat_date"]
    assert errors["assets"] == "Aset tidak boleh negatif."
    assert "bukan PDF" in errors["document"]
    assert outbox_value(world, f"WEB-{world.kendari}-{'c' * 16}") is None


def test_an_upload_over_the_limit_is_refused(api_as, world):
    api = api_as(world.kendari)
    over_limit = submit(api, pdf=PDF + b"0" * (1024 * 1024))
    assert over_limit.status_code == 422 and "lebih dari 1 MB" in over_limit.json()["errors"]["document"]
    too_large = submit(api, pdf=PDF + b"0" * (3 * 1024 * 1024))
    assert too_large.status_code == 413 and too_large.json() == {"detail": "Berkas atau isian terlalu besar."}


def test_a_cooperative_cannot_file_or_read_for_another_nik(api_as, world):
    kendari, kolaka = api_as(world.kendari), api_as(world.kolaka)
    assert submit(kendari, nik=world.kolaka, submission_key="d" * 16).status_code == 403
    assert outbox_value(world, f"WEB-{world.kendari}-{'d' * 16}") is None
    theirs = submit(kolaka, submission_key="e" * 16).json()["filing_id"]
    assert kendari.get(f"/api/filings/{theirs}").status_code == 404
    assert kendari.get(f"/api/filings/{theirs}/document").status_code == 404
    assert kendari.get(f"/api/cooperatives/{world.kolaka}/filings").status_code == 404
    assert theirs not in {f["filing_id"] for f in kendari.get("/api/filings").json()}
    assert kendari.get("/api/cases").status_code == 403


def test_a_regency_supervisor_sees_only_its_regency(api_as, world):
    kendari, sultra = api_as("pengawas-kendari"), api_as("pengawas-sultra")
    mine = {c["case_id"] for c in kendari.get("/api/cases", params={"status": "open"}).json()["items"]}
    assert world.case_of(world.kendari) in mine and world.case_of(world.kolaka) not in mine
    assert kendari.get(f"/api/cases/{world.case_of(world.kolaka)}").status_code == 404
    assert kendari.get(f"/api/cooperatives/{world.kolaka}/filings").status_code == 404
    assert sultra.get(f"/api/cooperatives/{world.kolaka}/filings").status_code == 200
    seen = {c["case_id"] for c in sultra.get("/api/cases").json()["items"]}
    assert {world.case_of(world.kendari), world.case_of(world.kolaka)} <= seen


def test_a_regency_supervisor_cannot_change_another_regencys_case(api_as, world):
    kendari, case_id = api_as("pengawas-kendari"), world.case_of(world.kolaka)
    attempts = [
        (f"/api/cases/{case_id}/resolve", {"reason": "bukan wewenang"}),
        (f"/api/cases/{case_id}/reassign", {"team_id": "satgas-7471", "reason": "ambil alih"}),
        (f"/api/cases/{case_id}/followups/teguran_1/done", {"note": "surat 1"}),
        (f"/api/cases/{case_id}/followups/kunjungan_lapangan/reschedule", {"due_date": "2030-01-07"}),
    ]
    for path, body in attempts:
        assert kendari.post(path, json=body).status_code == 404, path
    with world.sessions() as session:
        case = session.get(InspectionCase, case_id)
        assert (case.status, case.assigned_team) == ("open", "satgas-7401")
        assert session.scalars(select(CaseAudit.actor).where(CaseAudit.case_id == case_id,
                                                             CaseAudit.actor.like("web:%"))).all() == []


def test_a_supervisor_records_a_warning_moves_a_visit_and_sees_the_audit_trail(api_as, world):
    api, case_id = api_as("pengawas-kendari"), world.case_of(world.kendari)
    done = api.post(f"/api/cases/{case_id}/followups/teguran_1/done", json={"note": "Surat 518/12/2025"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    again = api.post(f"/api/cases/{case_id}/followups/teguran_1/done", json={"note": "lagi"})
    assert again.status_code == 409
    too_soon = api.post(f"/api/cases/{case_id}/followups/kunjungan_lapangan/reschedule",
                        json={"due_date": "2025-08-02"})
    assert too_soon.status_code == 409
    moved = api.post(f"/api/cases/{case_id}/followups/kunjungan_lapangan/reschedule", json={"due_date": "2030-01-07"})
    assert moved.status_code == 200 and moved.json()["due_date"] == "2030-01-07"
    case = api.get(f"/api/cases/{case_id}").json()
    actions = [(a["actor"], a["action"]) for a in case["audit"]]
    assert ("web:pengawas-kendari", "done") in actions and ("web:pengawas-kendari", "rescheduled") in actions
    assert case["cooperative"]["nik"] == world.kendari and case["regency_name"]


def test_a_supervisor_reassigns_and_resolves_with_a_reason_through_the_outbox(api_as, world):
    api, case_id = api_as("pengawas-sultra"), world.case_of(world.kolaka)
    choices = {t["team_id"] for t in api.get(f"/api/cases/{case_id}").json()["reassign_to"]}
    assert choices == {"satgas-74", "satgas-nasional"}
    refused = api.post(f"/api/cases/{case_id}/reassign", json={"team_id": "satgas-7471", "reason": "salah"})
    assert refused.status_code == 409
    moved = api.post(f"/api/cases/{case_id}/reassign", json={"team_id": "satgas-74", "reason": "KSP besar"})
    assert moved.status_code == 200 and moved.json()["assigned_team"] == "satgas-74"
    resolved = api.post(f"/api/cases/{case_id}/resolve", json={"reason": "Koperasi sudah dibina"}).json()
    assert (resolved["status"], resolved["resolution"]) == ("resolved", "closed_by_supervisor")
    assert {f["status"] for f in resolved["followups"]} == {"cancelled"}
    assert api.post(f"/api/cases/{case_id}/resolve", json={"reason": "lagi"}).status_code == 409
    with world.sessions() as session:
        events = [json.loads(v) for v in session.scalars(select(OutboxMessage.value).where(
            OutboxMessage.topic == "case-events", OutboxMessage.key == world.kolaka))]
    by_type = {e["type"]: e for e in events}
    assert by_type["case_reassigned"]["assigned_team"] == "satgas-74"
    assert by_type["case_resolved"]["resolution"] == "closed_by_supervisor"
    assert by_type["case_resolved"]["actor"] == "web:pengawas-sultra"


def test_the_case_list_pages_by_cursor_and_filters(api_as, world):
    api = api_as("pengawas-pusat")
    total = api.get("/api/cases").json()["total"]
    seen, cursor = [], None
    while True:
        page = api.get("/api/cases", params={"limit": 1, **({"cursor": cursor} if cursor else {})}).json()
        seen += [c["case_id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == total >= 2
    assert api.get("/api/cases", params={"cursor": "bukan-kursor"}).status_code == 400
    filtered = api.get("/api/cases", params={"regency": "7401", "rule": "rat_missed"}).json()["items"]
    assert {c["regency_code"] for c in filtered} == {"7401"}


def test_the_dashboard_shows_only_the_regencies_in_reach(api_as, world):
    kendari, sultra = api_as("pengawas-kendari"), api_as("pengawas-sultra")
    mine = kendari.get("/api/dashboard/74", params={"fiscal_year": 2024}).json()
    assert [r["regency_code"] for r in mine["regencies"]] == ["7471"]
    assert kendari.get("/api/dashboard/73").status_code == 404
    province = sultra.get("/api/dashboard/74", params={"fiscal_year": 2024}).json()
    assert len(province["regencies"]) == 17 and province["cooperatives"] >= 2


def test_a_password_reset_ends_earlier_tokens(api_as, world, client):
    from services.accounts import reset_password

    api = api_as("pengawas-pusat")
    with world.sessions.begin() as session:
        reset_password(session, "pengawas-pusat", PASSWORD)
    assert api.get("/api/me").status_code == 401
    assert client.post("/api/token", json={"login": "pengawas-pusat", "password": PASSWORD}).status_code == 200


def test_text_the_database_cannot_store_is_refused_not_a_server_error(api_as, client, browser_as, world):
    supervisor, cooperative = api_as("pengawas-sultra"), api_as(world.kendari)
    answers = [
        client.post("/api/token", json={"login": "a\u0000b", "password": "x"}),
        supervisor.get("/api/cases/RAT%00x"),
        supervisor.post(f"/api/cases/{world.case_of(world.kendari)}/resolve", json={"reason": "a\u0000"}),
        cooperative.get("/api/filings/x%00y"),
        browser_as("pengawas-sultra").get("/kasus/RAT%00x"),
    ]
    assert all(answer.status_code in (400, 401, 404, 409) for answer in answers), [a.status_code for a in answers]
    assert answers[2].status_code == 409  # a control character in a reason is refused on every database
