"""`make bench` itself, at a small size: it runs end to end and reports what it measured, and exactly once."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.e2e.conftest import ROOT

pytestmark = pytest.mark.slow


def test_the_benchmark_measures_a_small_burst_and_reports_it_as_json(tmp_path):
    command = [sys.executable, "-m", "bench.national_burst", "--quick", "--coops", "4000", "--databases", "sqlite",
               "--latency-seconds", "3", "--ceiling-runs", "1"]
    environment = {**os.environ, "SATGAS_DATA_DIR": str(tmp_path)}
    finished = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=480)
    assert finished.returncode == 0, finished.stderr[-3000:]
    report = json.loads(finished.stdout)
    run = report["runs"]["sqlite"]

    assert run["registry"]["overdue"] == 2000
    assert run["burst"]["events"] == 2000 and run["burst"]["exactly_once"]["holds"]
    assert run["burst"]["seconds"] > 0 and run["burst"]["events_per_s"] > 0
    assert [one["counted"] >= 2000 for one in run["ceiling"]["runs"]] == [True]
    assert run["ceiling"]["events_per_s"] == max(one["events_per_s"] for one in run["ceiling"]["runs"])
    assert run["burst_to_ceiling"] == round(run["burst"]["events_per_s"] / run["ceiling"]["events_per_s"], 2)
    # --quick measures one burst and its ceiling: the pair reported is the only one.
    assert [pair["burst_to_ceiling"] for pair in run["pairs"]] == run["burst_to_ceiling_of_each_pair"] == [
        run["burst_to_ceiling"]]
    assert run["latency"]["filings"] > 0 and 0 < run["latency"]["p50_s"] <= run["latency"]["p99_s"]
    # The worker's memory counts its writer process (and multiprocessing's resource tracker) with it.
    [memory] = run["burst"]["worker_memory"]
    assert len(memory["processes"]) >= 2
    assert memory["peak_rss_mb"] == round(sum(one["peak_rss_mb"] for one in memory["processes"]), 1)
    # How fast the machine was just before the burst and each bare-agent run: the two are minutes apart.
    assert [probe > 0 for probe in (run["burst"]["speed_probe_s"], *(one["speed_probe_s"] for one in
                                                                     run["ceiling"]["runs"]))] == [True, True]


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_the_handler_cost_bench_times_the_sweep_events_and_each_kind_of_statement(tmp_path, database):
    command = [sys.executable, "-m", "bench.handler_cost", "--coops", "600", "--database", database]
    environment = {**os.environ, "SATGAS_DATA_DIR": str(tmp_path)}
    finished = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr[-3000:]
    report = json.loads(finished.stdout)

    assert (report["database"], report["events"]) == (database, 300)
    assert report["exactly_once"]["holds"] and report["exactly_once"]["cases"] == 300
    inserts = {kind: spent["count"] for kind, spent in report["statements"].items() if kind.startswith("INSERT")}
    assert inserts == {"INSERT INTO cases": 1, "INSERT INTO followups": 1, "INSERT INTO outbox": 1,
                       "INSERT INTO case_audit": 1}
    # The time inside statements and outside them add up to the whole (each rounded to a microsecond).
    assert abs(report["us_per_event"] - report["statements_us_per_event"]
               - report["outside_statements_us_per_event"]) <= 1
    assert report["statements_us_per_event"] > 0 and report["process_cpu_us_per_event"] > 0
