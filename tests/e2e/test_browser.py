"""In headless Chromium (Debian's, driven by Playwright): a cooperative reports its RAT through the form, and
its supervisor then sees the missed-RAT case resolved. Real broker, worker, `satgas web` and database."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from streams.embedded_broker import free_port, port_open
from tests.e2e.conftest import wait_until
from tests.e2e.test_pipeline import write_registry
from tests.factories import cooperative, random_nik

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(scope="module")
def worker(system):
    return system.start_worker()


@pytest.fixture(scope="module")
def web(system):
    """`satgas web` as an operator starts it, on a free local port."""
    port = free_port()
    log = system.workdir / "web.log"
    process = subprocess.Popen([sys.executable, "-m", "cli.main", "web"], cwd=system.workdir,
                               env={**system.env, "SATGAS_WEB__PORT": str(port)},
                               stdout=open(log, "wb"), stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: port_open(port) or process.poll() is not None, 60, "satgas web to listen")
        assert process.poll() is None, log.read_text()
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(30)


@pytest.fixture(scope="module")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is needed: `make .venv/bin/satgas` installs it (as root), "
                    "or `apt-get install chromium`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def issue_login(system, *args: str) -> dict:
    return json.loads(system.satgas("users", *args, "--json").stdout)


def log_in(page: Page, base: str, login: str, password: str) -> None:
    page.goto(f"{base}/masuk")
    page.get_by_label("Nama pengguna").fill(login)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def reload_until(page: Page, text: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while text not in page.content():
        if time.monotonic() > deadline:
            raise AssertionError(f"'{text}' did not appear on {page.url} within {timeout:.0f}s")
        time.sleep(1)
        page.reload()


def test_a_cooperative_reports_its_rat_and_its_supervisor_sees_the_missed_rat_case_resolved(
    system, worker, web, chromium, tmp_path
):
    (system.workdir / "teams.csv").write_text("team_id,name,level,region_code\n"
                                              "satgas-7471,Satgas Kota Kendari,kabupaten,7471\n")
    system.satgas("import-teams", str(system.workdir / "teams.csv"))
    coop = cooperative(random_nik("7471"), name="KSP Maju Bersama", kind="KSP")
    system.satgas("import-cooperatives", str(write_registry(tmp_path / "koperasi.csv", [coop])))
    case_id = f"RAT-2024-{coop['nik']}"

    def missed_case_opened() -> bool:
        system.satgas("sweep", "--as-of", "2025-08-01")
        return case_id in system.satgas("cases", "list", "--nik", coop["nik"]).stdout

    wait_until(missed_case_opened, 120, "the missed-RAT case", interval=2)
    cooperative_login = issue_login(system, "add-cooperative", coop["nik"])
    supervisor_login = issue_login(system, "add-supervisor", "rina", "--team", "satgas-7471", "--name", "Rina")
    minutes = tmp_path / "notulen-rat-2024.pdf"
    minutes.write_bytes(PDF)

    page = chromium.new_page()
    log_in(page, web, cooperative_login["login"], cooperative_login["password"])
    page.get_by_role("link", name="Laporkan RAT").first.click()
    page.get_by_label("Tahun buku").fill("2024")
    page.get_by_label("Tanggal RAT").fill("2025-05-20")
    page.get_by_label("Jumlah anggota laki-laki").fill("140")
    page.get_by_label("Jumlah anggota perempuan").fill("172")
    for label, amount in (("Aset", "3.250.000.000"), ("Kewajiban", "1.900.000.000"), ("Ekuitas", "1.350.000.000"),
                          ("Volume usaha", "5.120.000.000"), ("Sisa Hasil Usaha", "85.000.000")):
        page.get_by_label(label).fill(amount)
    page.get_by_label("Notulen RAT dan laporan keuangan").set_input_files(minutes)
    page.get_by_role("button", name="Kirim laporan").click()

    receipt = page.locator("#receipt-number").inner_text()
    assert receipt.startswith(f"WEB-{coop['nik']}-")
    assert "Rp 85.000.000" in page.content() and "312" in page.content()
    reload_until(page, "Terlambat")  # reported in 2026 for fiscal year 2024: after the deadline
    page.get_by_role("button", name="Keluar").click()

    log_in(page, web, "rina", supervisor_login["password"])
    page.goto(f"{web}/kasus/{case_id}")
    reload_until(page, "Laporan RAT masuk terlambat")
    assert page.locator("#case-status").inner_text().startswith("Selesai")
    assert receipt in page.content()  # the filing is in the cooperative's history on the case page
    page.close()
