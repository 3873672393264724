"""The web app against a real database: a small world (teams, cooperatives, cases made by the real handlers),
logins for each role, and HTTP clients that speak to the app in-process."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.orm import sessionmaker

from config import Settings
from models.database import build_async_engine, build_engine
from services.accounts import add_cooperative_login, add_supervisor
from services.handlers import handle_cooperatives, handle_missed
from services.teams import upsert_teams
from tests.factories import cooperative, incoming, missed, random_nik
from web.app import create_app

PASSWORD = "kata-sandi-uji-123"
OPENED = datetime(2025, 8, 1, 1, 0, tzinfo=timezone.utc)
#: A tiny, valid PDF: what a cooperative uploads in the tests.
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
TEAMS = [
    {"team_id": "satgas-7471", "name": "Satgas Kota Kendari", "level": "kabupaten", "region_code": "7471"},
    {"team_id": "satgas-7401", "name": "Satgas Kabupaten Kolaka", "level": "kabupaten", "region_code": "7401"},
    {"team_id": "satgas-74", "name": "Satgas Sulawesi Tenggara", "level": "provinsi", "region_code": "74"},
    {"team_id": "satgas-nasional", "name": "Satgas Nasional", "level": "nasional", "region_code": "ID"},
]


@dataclass
class World:
    """Two cooperatives in two regencies of Sulawesi Tenggara, each with an open missed-RAT case for 2024."""

    kendari: str  #: NIK of a cooperative in Kota Kendari (7471)
    kolaka: str  #: NIK of a cooperative in Kabupaten Kolaka (7401)
    sessions: sessionmaker

    def case_of(self, nik: str) -> str:
        return f"RAT-2024-{nik}"


async def _seed(database_url: str) -> tuple[str, str]:
    kendari, kolaka = cooperative(random_nik("7471")), cooperative(random_nik("7401"), kind="KSP")
    engine = build_async_engine(database_url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    settings = Settings()
    await handle_cooperatives(sessions, [incoming("cooperatives", c) for c in (kendari, kolaka)], settings, OPENED)
    await handle_missed(sessions, [incoming("rat-missed", missed(c["nik"], 2024)) for c in (kendari, kolaka)],
                        settings, OPENED)
    await engine.dispose()
    return kendari["nik"], kolaka["nik"]


@pytest.fixture(scope="module")
async def world(database_url) -> World:
    engine = build_engine(database_url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    with sessions.begin() as session:
        upsert_teams(session, TEAMS)
    kendari, kolaka = await _seed(database_url)
    result = World(kendari, kolaka, sessions)
    with sessions.begin() as session:
        for login, team in (("pengawas-kendari", "satgas-7471"), ("pengawas-kolaka", "satgas-7401"),
                            ("pengawas-sultra", "satgas-74"), ("pengawas-pusat", "satgas-nasional")):
            add_supervisor(session, login, login.title(), team, PASSWORD, OPENED)
        for nik in (kendari, kolaka):
            add_cooperative_login(session, nik, None, PASSWORD, OPENED)
    yield result
    engine.dispose()


class Relays:
    """Stands in for the Kafka relay: counts how often the app asked for one."""

    def __init__(self):
        self.count = 0

    def __call__(self) -> None:
        self.count += 1


@pytest.fixture(scope="module")
def relays() -> Relays:
    return Relays()


@pytest.fixture(scope="module")
def web_settings(database_url, tmp_path_factory) -> Settings:
    return Settings(database_url=database_url, data_dir=tmp_path_factory.mktemp("web"),
                    web={"secret_key": "uji-" + "x" * 40, "max_upload_mb": 1})


@pytest.fixture(scope="module")
def app(world, web_settings, relays):
    return create_app(web_settings, relay=relays)


@pytest.fixture
def client(app):
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as fresh:
        yield fresh


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def log_in(client: TestClient, login: str, password: str = PASSWORD):
    token = csrf_of(client.get("/masuk").text)
    return client.post("/masuk", data={"csrf_token": token, "login": login, "password": password, "next": ""})


def _clients(app, sign_in):
    """A factory of TestClients signed in by `sign_in(client, login)`, closed after the test."""
    opened = []

    def make(login: str) -> TestClient:
        fresh = TestClient(app, raise_server_exceptions=False, follow_redirects=False)
        opened.append(fresh)
        sign_in(fresh, login)
        return fresh

    yield make
    for fresh in opened:
        fresh.close()


def _with_session_cookie(client: TestClient, login: str) -> None:
    assert log_in(client, login).status_code == 303


def _with_bearer_token(client: TestClient, login: str) -> None:
    token = client.post("/api/token", json={"login": login, "password": PASSWORD}).json()["access_token"]
    client.headers["Authorization"] = f"Bearer {token}"


@pytest.fixture
def browser_as(app):
    """browser_as(login): a TestClient with that user's session cookie, like a logged-in browser."""
    yield from _clients(app, _with_session_cookie)


@pytest.fixture
def api_as(app):
    """api_as(login): a TestClient sending that user's bearer token."""
    yield from _clients(app, _with_bearer_token)


def report_fields(**changes) -> dict[str, str]:
    """A correct RAT report for fiscal year 2024 as a cooperative types it."""
    return {"fiscal_year": "2024", "rat_date": "2025-03-15", "members_men": "70", "members_women": "50",
            "assets": "500.000.000", "liabilities": "200.000.000", "equity": "300.000.000",
            "business_volume": "900.000.000", "shu": "25.000.000,50", **changes}
