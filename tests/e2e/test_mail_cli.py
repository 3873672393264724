"""`satgas digest --send/--dry-run` and `satgas mail`, as an operator runs them, against a real SMTP server."""
from __future__ import annotations

import email
import email.policy
import json
import os
import subprocess
import sys

import pytest

from tests.integration.test_mail_delivery import SmtpServer


@pytest.fixture
def run(database_url, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SATGAS_")}
    env.update(SATGAS_DATABASE_URL=database_url, SATGAS_DATA_DIR=str(tmp_path / "var"))

    def satgas(*args: str, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=tmp_path, env={**env, **extra},
                              capture_output=True, text=True, timeout=120)

    return satgas


def test_a_weekly_email_can_be_previewed_as_a_file_and_sent_by_hand(run, tmp_path):
    teams = tmp_path / "teams.csv"
    teams.write_text("team_id,name,level,region_code,supervisor_emails\n"
                     "satgas-76,Satgas Sulbar,provinsi,76,kepala@sulbarprov.go.id\n")
    assert run("import-teams", str(teams)).returncode == 0
    assert run("mail", "language", "kepala@sulbarprov.go.id", "en").returncode == 0

    preview = run("digest", "--week", "2025-W32", "--province", "76", "--dry-run")
    assert preview.returncode == 0, preview.stderr
    path = tmp_path / "var" / "previews" / "weekly-76-2025-W32.eml"
    assert f"Written to {path}" in preview.stderr
    assert email.message_from_bytes(path.read_bytes())["Subject"].startswith("Laporan eskalasi mingguan Sulawesi Barat")

    server = SmtpServer()
    server.start()
    try:
        sent = run("digest", "--week", "2025-W32", "--province", "76", "--send",
                   SATGAS_SMTP__HOST="127.0.0.1", SATGAS_SMTP__PORT=str(server.port))
        again = run("digest", "--week", "2025-W32", "--province", "76", "--send",
                    SATGAS_SMTP__HOST="127.0.0.1", SATGAS_SMTP__PORT=str(server.port))
    finally:
        server.stop()
    assert "1 weekly emails queued; sent 1, failed 0" in sent.stderr
    assert "0 weekly emails queued; sent 0" in again.stderr
    [message] = server.to("kepala@sulbarprov.go.id")
    assert message["Subject"] == "Weekly escalation report Sulawesi Barat, week 2025-W32"

    listed = json.loads(run("mail", "list", "--json").stdout)
    assert [(m["kind"], m["status"], m["language"]) for m in listed] == [("weekly_escalation", "sent", "en")]


def test_a_bad_week_or_province_is_refused_in_plain_words(run):
    bad_week = run("digest", "--week", "2025-32", "--province", "74")
    bad_province = run("digest", "--week", "2025-W32", "--province", "99")
    assert bad_week.returncode == 2 and "a week is written like 2025-W32, not '2025-32'" in bad_week.stderr
    assert bad_province.returncode == 2 and "unknown province code '99'" in bad_province.stderr
