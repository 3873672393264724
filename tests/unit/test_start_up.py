"""What a process loads before its first event: a national burst is timed from the sweep's start."""
from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_sweep_command_loads_neither_faust_nor_the_region_tables():
    loaded = _run("import sys, cli.main, cli.sweep; print(sorted(m for m in ('faust', 'aiohttp', 'lokal') "
                  "if m in sys.modules))")
    assert loaded == "[]"


def test_the_worker_warm_up_fills_in_the_holiday_years_and_the_regions_before_the_first_batch():
    found = _run(
        "import sys; from datetime import date; from services.handlers import warm_up; "
        "from models.rules.workdays import national_holidays; from models.regions import regencies; "
        "warm_up(date(2026, 12, 1)); "
        "print(sorted(national_holidays().years), regencies.cache_info().currsize, 'lokal' in sys.modules)"
    )
    assert found == "[2024, 2025, 2026, 2027, 2028] 1 True"


def test_the_worker_warm_up_sets_the_garbage_collector_for_batches():
    found = _run(
        "import gc; from datetime import date; from services.handlers import warm_up; "
        "before = gc.get_freeze_count(); warm_up(date(2026, 12, 1)); "
        "print(gc.get_threshold(), gc.get_freeze_count() > before)"
    )
    assert found == "(20000, 20, 20) True"
