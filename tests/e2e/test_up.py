"""`satgas up` on the embedded defaults: input accepted while it is down is applied when it starts, the web front
end answers; Ctrl-C stops all."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter

import pytest
from sqlalchemy import func, select

from models.cases import InspectionCase
from models.database import build_engine
from models.mail import OutgoingEmail
from models.registry import Cooperative
from streams.embedded_broker import free_port, port_open
from tests.e2e.conftest import WORKER_READY_TIMEOUT, wait_until
from tests.e2e.test_pipeline import write_registry
from tests.factories import cooperative


@pytest.fixture
def embedded_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SATGAS_")}
    port, web_port = free_port(), free_port()
    env.update(SATGAS_DATA_DIR=str(tmp_path / "var"), SATGAS_KAFKA__EMBEDDED_PORT=str(port),
               SATGAS_KAFKA__SESSION_TIMEOUT_SECONDS="10", SATGAS_WEB__PORT=str(web_port))
    return env, port, web_port


def test_input_accepted_while_the_system_is_down_is_applied_by_satgas_up_and_ctrl_c_stops_everything(
    tmp_path, embedded_env
):
    env, port, web_port = embedded_env
    coops = [cooperative() for _ in range(25)]
    imported = subprocess.run(
        [sys.executable, "-m", "cli.main", "import-cooperatives", str(write_registry(tmp_path / "r.csv", coops))],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    assert imported.returncode == 0, imported.stderr
    assert "Kafka is not reachable" in imported.stderr and "stored" in imported.stderr

    log = tmp_path / "up.log"
    up = subprocess.Popen([sys.executable, "-m", "cli.main", "up"], cwd=tmp_path, env=env,
                          stdout=open(log, "wb"), stderr=subprocess.STDOUT)
    engine = build_engine(f"sqlite:///{tmp_path / 'var' / 'satgas.db'}")
    try:
        def stored() -> bool:
            with engine.connect() as connection:
                return connection.scalar(select(func.count()).select_from(Cooperative)) == 25

        wait_until(stored, WORKER_READY_TIMEOUT + 30, "the cooperatives imported while the system was down")
        wait_until(lambda: port_open(web_port), 60, "the web front end to listen")
        with urllib.request.urlopen(f"http://127.0.0.1:{web_port}/masuk", timeout=10) as login_page:
            assert login_page.status == 200 and "Masuk" in login_page.read().decode()
        up.send_signal(signal.SIGINT)
        assert up.wait(60) == 0, log.read_text()[-2000:]
    finally:
        if up.poll() is None:
            up.kill()
        engine.dispose()
    assert "Stopped." in log.read_text()
    assert "seeding the demo" not in log.read_text()  # the database held cooperatives already
    assert not port_open(port), "the embedded broker is still listening"
    assert not port_open(web_port), "the web front end is still listening"


def api(port: int, path: str, body: dict | None = None, token: str | None = None) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode() if body else None,
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


def run_up(tmp_path, env):
    log = tmp_path / "up.log"
    process = subprocess.Popen([sys.executable, "-m", "cli.main", "up"], cwd=tmp_path, env=env,
                               stdout=open(log, "wb"), stderr=subprocess.STDOUT)
    return process, log


def stop_up(process) -> int:
    process.send_signal(signal.SIGINT)
    try:
        return process.wait(60)
    finally:
        if process.poll() is None:
            process.kill()


def test_a_first_satgas_up_seeds_the_demo_province_and_alerts_each_team_once_while_the_scheduler_runs(
    tmp_path, embedded_env
):
    env, _, web_port = embedded_env
    # A scheduler composing every second would split the demo's cases over several alerts without the mail lock.
    up, log = run_up(tmp_path, {**env, "SATGAS_NOTIFICATIONS__COMPOSE_EVERY_SECONDS": "1",
                                "SATGAS_NOTIFICATIONS__DELIVER_EVERY_SECONDS": "1"})
    engine = build_engine(f"sqlite:///{tmp_path / 'var' / 'satgas.db'}")
    try:
        wait_until(lambda: "RAT compliance per regency" in log.read_text(errors="replace"),
                   WORKER_READY_TIMEOUT + 300, "the demo's summary")
        with engine.connect() as connection:
            missed = connection.scalar(select(func.count()).select_from(InspectionCase)
                                       .where(InspectionCase.rule.in_(("rat_missed", "rat_missed_repeat"))))
            alert_keys = connection.scalars(select(OutgoingEmail.message_key)
                                            .where(OutgoingEmail.kind == "case_alert")).all()
        [password] = re.findall(r"demo-kendari +password (\S+) \(shown once\)", log.read_text())
        supervisor = api(web_port, "/api/me", token=api(web_port, "/api/token", {"login": "demo-kendari",
                                                                                 "password": password})["access_token"])
        assert stop_up(up) == 0, log.read_text()[-2000:]
    finally:
        if up.poll() is None:
            up.kill()
        engine.dispose()
    assert (supervisor["role"], supervisor["team_id"]) == ("pengawas", "satgas-7471")
    text = log.read_text()
    assert "seeding the demo province" in text and "1880 for a missed RAT" in text
    assert f"Web front end: http://127.0.0.1:{web_port}" in text
    assert missed == 1880
    runs = Counter(key.split(":")[1] for key in {key.rsplit(":", 1)[0] for key in alert_keys})
    assert len(runs) == 19 and set(runs.values()) == {1}


def test_satgas_demo_0_leaves_an_empty_database_empty(tmp_path, embedded_env):
    env, _, web_port = embedded_env
    up, log = run_up(tmp_path, {**env, "SATGAS_DEMO": "0"})
    try:
        wait_until(lambda: "Ctrl-C stops everything" in log.read_text(errors="replace"), 60, "satgas up to start")
        time.sleep(3)
        assert stop_up(up) == 0
    finally:
        if up.poll() is None:
            up.kill()
    assert "seeding the demo" not in log.read_text()
