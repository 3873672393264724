"""The pages against the real app and database: login, the RAT form, the case page, and who may see what."""
from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select

from models.audit import CaseAudit
from models.cases import FollowUp, InspectionCase
from models.messaging import OutboxMessage
from models.submissions import RatSubmission
from tests.integration.web.conftest import PDF, csrf_of, log_in, report_fields


def post_report(browser, fields, pdf=PDF, **extra):
    form = browser.get("/koperasi/rat/baru").text
    data = {"csrf_token": csrf_of(form), "submission_key": extra.pop("submission_key", "f" * 16), **fields, **extra}
    files = {"document": ("laporan.pdf", pdf, "application/pdf")} if pdf is not None else None
    return browser.post("/koperasi/rat", data=data, files=files)


def submissions_of(world, nik) -> list[str]:
    with world.sessions() as session:
        return list(session.scalars(select(RatSubmission.filing_id).where(RatSubmission.nik == nik)))


def test_login_with_a_wrong_password_says_so_in_indonesian_and_keeps_the_login(client, world):
    response = log_in(client, world.kendari, "salah-sama-sekali")
    assert response.status_code == 400
    assert "Nama pengguna atau kata sandi salah." in response.text and world.kendari in response.text
    assert client.get("/kasus").headers["location"] == "/masuk?next=/kasus"


def test_the_session_cookie_is_signed_http_only_and_same_site(client, world):
    response = log_in(client, "pengawas-kendari")
    cookie = response.headers["set-cookie"]
    assert response.status_code == 303 and response.headers["location"] == "/kasus"
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    page = client.get("/kasus")
    assert page.headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in page.headers[
        "content-security-policy"]


def test_a_form_without_its_csrf_token_is_refused(browser_as, world):
    browser = browser_as(world.kendari)
    response = browser.post("/koperasi/rat", data=report_fields(submission_key="9" * 16),
                            files={"document": ("a.pdf", PDF, "application/pdf")})
    assert response.status_code == 403 and "Formulir kedaluwarsa" in response.text
    assert f"WEB-{world.kendari}-{'9' * 16}" not in submissions_of(world, world.kendari)
    case_id = world.case_of(world.kendari)
    assert browser_as("pengawas-kendari").post(f"/kasus/{case_id}/selesaikan", data={"reason": "x"}).status_code == 403


def test_a_wrong_report_comes_back_with_messages_by_each_field_and_nothing_typed_lost(browser_as, world):
    browser = browser_as(world.kendari)
    typed = report_fields(members_women="lima puluh", liabilities="", business_volume="1.2.3")
    response = post_report(browser, typed, submission_key="1" * 16)
    assert response.status_code == 400
    page = response.text
    assert "Jumlah anggota perempuan harus bilangan bulat 0 atau lebih." in page
    assert "Kewajiban (liabilitas) wajib diisi" in page and "Tulis jumlah rupiah seperti" in page
    for value in ("lima puluh", "1.2.3", "500.000.000", "25.000.000,50", "2025-03-15"):
        assert f'value="{value}"' in page
    assert "Berkas diterima: laporan.pdf" in page  # the upload is kept: no need to choose it again
    corrected = {**typed, "members_women": "50", "liabilities": "200.000.000", "business_volume": "900.000.000"}
    data = {"csrf_token": csrf_of(page), "submission_key": "1" * 16,
            "kept_upload": page.split('name="kept_upload" value="')[1].split('"')[0], **corrected}
    accepted = browser.post("/koperasi/rat", data=data)
    assert accepted.status_code == 303, accepted.text
    receipt = browser.get(accepted.headers["location"])
    assert f"WEB-{world.kendari}-{'1' * 16}" in receipt.text and "Sedang diproses" in receipt.text
    assert "Rp 25.000.000,50" in receipt.text


def test_a_cooperative_cannot_submit_or_read_for_another_nik_through_the_pages(browser_as, world):
    kendari, kolaka = browser_as(world.kendari), browser_as(world.kolaka)
    refused = post_report(kendari, report_fields(), nik=world.kolaka, submission_key="2" * 16)
    assert refused.status_code == 403 and "NIK-nya sendiri" in refused.text
    assert f"WEB-{world.kendari}-{'2' * 16}" not in submissions_of(world, world.kendari)
    theirs = post_report(kolaka, report_fields(), submission_key="3" * 16).headers["location"]
    filing_id = theirs.rsplit("/", 1)[1]
    assert kendari.get(theirs).status_code == 404
    assert kendari.get(f"/dokumen/{filing_id}").status_code == 404
    assert kolaka.get(f"/dokumen/{filing_id}").content == PDF
    assert filing_id not in kendari.get("/koperasi").text
    assert kendari.get("/kasus").status_code == 403


def test_a_regency_supervisor_cannot_read_or_change_another_regencys_case_through_the_pages(browser_as, world):
    kendari = browser_as("pengawas-kendari")
    theirs = world.case_of(world.kolaka)
    assert kendari.get(f"/kasus/{theirs}").status_code == 404
    token = csrf_of(kendari.get("/kasus").text)
    for path, data in ((f"/kasus/{theirs}/selesaikan", {"reason": "bukan wewenang"}),
                       (f"/kasus/{theirs}/alihkan", {"team_id": "satgas-7471", "reason": "ambil alih"}),
                       (f"/kasus/{theirs}/tindak-lanjut/teguran_1/selesai", {"note": "surat"})):
        assert kendari.post(path, data={"csrf_token": token, **data}).status_code == 404, path
    with world.sessions() as session:
        assert session.get(InspectionCase, theirs).status == "open"
    assert theirs not in kendari.get("/kasus", params={"regency": "7401", "status": ""}).text


def test_a_supervisor_works_a_case_on_its_page(browser_as, world):
    browser, case_id = browser_as("pengawas-kendari"), world.case_of(world.kendari)
    assert browser.get(f"/cases/{case_id}").headers["location"] == f"/kasus/{case_id}"  # the emails' links
    page = browser.get(f"/kasus/{case_id}").text
    assert "Profil koperasi" in page and "Jejak audit" in page and "Kunjungan lapangan" in page
    token = csrf_of(page)
    empty = browser.post(f"/kasus/{case_id}/tindak-lanjut/teguran_2/selesai", data={"csrf_token": token, "note": " "})
    assert empty.status_code == 400 and "Tulis catatan" in empty.text
    weekend = browser.post(f"/kasus/{case_id}/tindak-lanjut/teguran_2/jadwal-ulang",
                           data={"csrf_token": token, "due_date": "2030-01-05"})
    assert weekend.status_code == 400 and "bukan hari kerja" in weekend.text and 'value="2030-01-05"' in weekend.text
    done = browser.post(f"/kasus/{case_id}/tindak-lanjut/teguran_2/selesai",
                        data={"csrf_token": token, "note": "Surat teguran II nomor 518/77"})
    assert done.status_code == 303
    assert "Tindak lanjut dicatat selesai." in browser.get(done.headers["location"]).text
    with world.sessions() as session:
        assert session.get(FollowUp, f"{case_id}/teguran_2").note == "Surat teguran II nomor 518/77"
        assert session.scalar(select(CaseAudit.actor).where(CaseAudit.followup_id == f"{case_id}/teguran_2",
                                                            CaseAudit.action == "done")) == "web:pengawas-kendari"
        assert session.scalar(select(OutboxMessage.message_id).where(
            OutboxMessage.message_id.like(f"{case_id}/teguran_2/done/%:followup_done")))


def test_the_case_list_and_dashboard_render_for_a_province(browser_as, world):
    browser = browser_as("pengawas-sultra")
    listed = browser.get("/kasus", params={"status": "", "priority": "high"}).text
    assert world.case_of(world.kolaka) in listed  # a KSP: high priority
    assert browser.get("/kasus", params={"setelah": "rusak"}).status_code == 400
    dashboard = browser.get("/dasbor", params={"tahun": "2024"})
    assert dashboard.status_code == 200 and "<svg" in dashboard.text and "Kota Kendari" in dashboard.text
    assert browser.get("/dasbor", params={"provinsi": "31"}).status_code == 404


def test_errors_are_indonesian_pages_without_stack_traces(app, client, world):
    broken = APIRouter()

    @broken.get("/rusak-untuk-uji")
    def fail():
        raise RuntimeError("rahasia internal")

    app.include_router(broken)
    for path, status, text in (("/tidak-ada", 404, "Halaman tidak ditemukan"),
                               ("/rusak-untuk-uji", 500, "Terjadi kesalahan")):
        response = client.get(path)
        assert response.status_code == status and text in response.text
        assert "Traceback" not in response.text and "rahasia internal" not in response.text
    assert client.get("/api/tidak-ada").json() == {"detail": "Halaman tidak ditemukan"}


def test_logging_out_ends_the_session(browser_as, world):
    browser = browser_as("pengawas-kendari")
    token = csrf_of(browser.get("/kasus").text)
    assert browser.post("/keluar", data={"csrf_token": token}).status_code == 303
    assert browser.get("/kasus").status_code == 303


def test_repeated_wrong_passwords_make_the_login_wait_on_pages_and_api(client, world):
    for _ in range(5):
        assert log_in(client, "pengawas-kolaka", "tebakan-salah-99").status_code == 400
    assert log_in(client, "pengawas-kolaka").status_code == 429  # even the right password waits now
    token = client.post("/api/token", json={"login": "pengawas-kolaka", "password": "x"})
    assert token.status_code == 429 and int(token.headers["retry-after"]) > 0
