"""docker-compose.yml and the Dockerfile, read as files (no Docker engine here): the production topology
the scale-out issue names, and an image that holds every package the `satgas` command can load."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_kafka_runs_in_kraft_mode_from_the_official_image_with_enough_partitions():
    kafka = SERVICES["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    assert kafka["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert int(SERVICES["worker"]["environment"]["SATGAS_KAFKA__PARTITIONS"]) >= 4


def test_every_service_the_product_needs_is_there_and_the_stateful_ones_keep_volumes():
    assert {"kafka", "postgres", "mailpit", "migrate", "worker", "scheduler", "web"} <= set(SERVICES)
    for name in ("kafka", "postgres"):
        volume = SERVICES[name]["volumes"][0].split(":")[0]
        assert volume in COMPOSE["volumes"]


def test_kafka_postgres_and_the_web_front_end_report_their_health():
    for name in ("kafka", "postgres", "web"):
        assert SERVICES[name]["healthcheck"]["test"], name


def test_workers_scale_and_one_scheduler_sends_mail_through_mailpit():
    worker = SERVICES["worker"]
    assert "container_name" not in worker and "ports" not in worker  # `--scale worker=N` needs both absent
    assert worker["command"] == ["satgas", "worker"]
    scheduler = SERVICES["scheduler"]
    assert scheduler["command"] == ["satgas", "scheduler"]
    assert scheduler["environment"]["SATGAS_SMTP__HOST"] == "mailpit"
    for name in ("worker", "scheduler", "web"):
        assert SERVICES[name]["environment"]["SATGAS_KAFKA_BOOTSTRAP"] == "kafka:9092"
        assert SERVICES[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_the_image_copies_every_package_the_project_installs():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = {pattern.rstrip("*") for pattern in patterns}
    copied = set(re.findall(r"^COPY (\w+) \./\1$", (ROOT / "Dockerfile").read_text(), re.M))
    assert packages <= copied, f"the Dockerfile leaves out {sorted(packages - copied)}"
