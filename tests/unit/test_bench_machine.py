"""What the bench reads off /proc: a worker counted with the processes it started."""
from __future__ import annotations

import os
import subprocess

from bench.machine import with_children, worker_memory_mb


def test_a_process_is_counted_with_the_processes_it_started_and_their_memory_added_up():
    child = subprocess.Popen(["sleep", "30"])
    try:
        pids = with_children(os.getpid())
        memory = worker_memory_mb(os.getpid())
    finally:
        child.kill()
        child.wait()

    assert pids[0] == os.getpid() and child.pid in pids
    assert len(memory["processes"]) == len(pids)
    assert memory["peak_rss_mb"] == round(sum(one["peak_rss_mb"] for one in memory["processes"]), 1)
    assert memory["peak_rss_mb"] > memory["processes"][0]["peak_rss_mb"] > 0
