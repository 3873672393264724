"""What the benchmark ran on, and how much memory a process holds, read from /proc (Linux)."""
from __future__ import annotations

import json
import os
import platform
import statistics
import time
from pathlib import Path


def _first(path: str, prefix: str) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def describe_machine() -> dict:
    memory_kb = _first("/proc/meminfo", "MemTotal")
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "memory_gb": round(int(memory_kb.split()[0]) / 1024**2, 1) if memory_kb else None,
        "cpu_model": _first("/proc/cpuinfo", "model name") or platform.processor(),
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


def speed_probe() -> float:
    """CPU-seconds that a fixed piece of pure-Python work (dictionaries and JSON, like a worker's) takes
    now, the median of three tries. On a shared virtual machine the same work takes up to half as long
    again from one minute to the next: a burst and a ceiling measured minutes apart compare only as far
    as their probes agree."""
    def once() -> float:
        started = time.process_time()
        texts = {}
        for number in range(300_000):
            texts[number % 1000] = json.dumps([number, "x"])
        return time.process_time() - started

    return round(statistics.median(once() for _ in range(3)), 3)


def cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time the process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_mb(pid: int) -> dict:
    """Resident memory now (VmRSS) and its peak since the process started (VmHWM), in MB."""
    status = f"/proc/{pid}/status"
    return {
        name: round(int(value.split()[0]) / 1024, 1)
        for name, field in (("rss_mb", "VmRSS"), ("peak_rss_mb", "VmHWM"))
        if (value := _first(status, field))
    }


def with_children(pid: int) -> list[int]:
    """`pid` and the processes it started (a worker and its writer process, streams/writer_process.py)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if parent == pid:
            children.append(int(stat.parent.name))
    return [pid, *sorted(children)]


def worker_memory_mb(pid: int) -> dict:
    """A worker's resident memory with its writer process's: now, and the sum of their peaks (the
    most they can have held at once), with each process's own figures in `processes`."""
    each = [memory_mb(process) for process in with_children(pid)]
    return {
        "rss_mb": round(sum(m.get("rss_mb", 0.0) for m in each), 1),
        "peak_rss_mb": round(sum(m.get("peak_rss_mb", 0.0) for m in each), 1),
        "processes": each,
    }


def processes_named(name: str) -> list[int]:
    """Pids of the processes whose command name is `name` (e.g. every PostgreSQL server process)."""
    pids = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() == name:
                pids.append(int(comm.parent.name))
        except OSError:
            continue
    return pids
