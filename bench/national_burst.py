"""`make bench`: the national sweep burst, the bare-agent ceiling, filing latency and worker memory,
on the embedded broker and each database, printed as JSON.

    python -m bench.national_burst [--quick] [--coops N] [--databases sqlite,postgresql] [--pairs 3]
                                   [--workers 1] [--kill]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.latency import measure_latency
from bench.machine import cpu_seconds, describe_machine, processes_named, speed_probe, with_children, worker_memory_mb
from bench.registry import SWEEP_DAY, create_database, latency_niks, write_national_registry
from bench.takeover import SHORT_SESSION, exactly_once, kill_a_worker
from config import get_settings
from models.database import sync_url
from streams.embedded_broker import free_port, start_broker, stop_broker

ROOT = Path(__file__).resolve().parent.parent
DATABASES = ("sqlite", "postgresql")
POSTGRES_SERVER = os.environ.get("SATGAS_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
#: tansu answers a consumer group's first join after about 30 s, a rebalance after a while too.
JOIN_TIMEOUT = 180


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def wait_for(predicate, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")


class Run:
    """One database's run: its processes share a topic prefix, a consumer group and a data directory."""

    def __init__(self, database_url: str, bootstrap: str, broker_pid: int, workdir: Path, **extra_env: str):
        self.workdir = workdir
        self.broker_pid = broker_pid
        self.prefix = f"b{uuid.uuid4().hex[:8]}."
        self.bootstrap = bootstrap
        self.env = {
            **os.environ,
            "SATGAS_DATABASE_URL": database_url,
            "SATGAS_KAFKA_BOOTSTRAP": bootstrap,
            "SATGAS_KAFKA__TOPIC_PREFIX": self.prefix,
            "SATGAS_KAFKA__CONSUMER_GROUP": f"{self.prefix}worker",
            "SATGAS_DATA_DIR": str(workdir / "var"),
            "PYTHONPATH": str(ROOT),
            **extra_env,
        }
        self.engine = create_engine(sync_url(database_url))  # plain reads: no BEGIN IMMEDIATE beside the worker
        self.processes: list[subprocess.Popen] = []

    def start(self, args: list[str], name: str, ready: str = "[^Worker]: Ready") -> subprocess.Popen:
        log = self.workdir / f"{name}.log"
        process = subprocess.Popen(
            [sys.executable, *args], cwd=self.workdir, env=self.env, stdout=open(log, "wb"), stderr=subprocess.STDOUT
        )
        self.processes.append(process)

        def is_ready() -> bool:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
            return ready in log.read_text(errors="replace")

        wait_for(is_ready, JOIN_TIMEOUT, f"{name} to join its consumer group", interval=0.5)
        return process

    def scalar(self, sql: str) -> int:
        with self.engine.connect() as connection:
            return connection.execute(text(sql)).scalar_one()

    def database_backends(self) -> list[int]:
        """PostgreSQL server processes serving this database (none for SQLite, which runs in the worker)."""
        if self.engine.dialect.name != "postgresql":
            return []
        sql = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        with self.engine.connect() as connection:
            return list(connection.execute(text(sql)).scalars())

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.engine.dispose()


def reap(process: subprocess.Popen, block: bool):
    """The resource usage of `process` once it has ended (None while it runs), reaping it. Not the
    RUSAGE_CHILDREN difference: that also counts a worker killed and reaped meanwhile."""
    pid, status, usage = os.wait4(process.pid, 0 if block else os.WNOHANG)
    if pid == 0:
        return None
    process.returncode = os.waitstatus_to_exitcode(status)
    return usage


def worker_processes(workers: list[subprocess.Popen]) -> list[int]:
    """The workers' pids and their writer processes'."""
    return [pid for worker in workers for pid in with_children(worker.pid)]


def measure_burst(run: Run, overdue: int, workers: list[subprocess.Popen], kill: bool = False) -> dict:
    """`satgas sweep` through the real CLI; done when every case and follow-up is committed. With `kill`,
    a worker is killed with SIGKILL once a third of the cases are committed (see bench/takeover.py)."""
    busy = {"worker": worker_processes(workers), "broker": [run.broker_pid], "database": run.database_backends()}
    cpu_before = {pid: cpu_seconds(pid) or 0.0 for pids in busy.values() for pid in pids}
    #: CPU used by processes that end during the burst (the killed worker and its database backends).
    cpu_at_exit: dict[int, float] = {}
    started = time.monotonic()
    sweep = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "sweep", "--as-of", SWEEP_DAY.isoformat(), "--json"],
        cwd=run.workdir, env=run.env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    sweep_seconds, sweep_usage = None, None

    def committed_cases() -> int:
        nonlocal sweep_seconds, sweep_usage
        if sweep_usage is None and (sweep_usage := reap(sweep, block=False)) is not None:
            sweep_seconds = time.monotonic() - started
        return run.scalar("SELECT count(*) FROM cases")

    def all_committed() -> float | None:
        """When every case was seen committed. Counting is a scan, so poll twice a second, and
        closely only for the last few percent."""
        committed = committed_cases()
        if committed >= overdue:
            return time.monotonic()
        time.sleep(0.5 if committed < 0.95 * overdue else 0.02)
        return None

    def a_third_committed() -> int | None:
        committed = committed_cases()
        return committed if committed >= overdue // 3 else None

    if kill:
        killed_at_cases = wait_for(a_third_committed, 900, "a third of the cases", interval=0.05)
        busy["database"] = sorted(set(busy["database"]) | set(run.database_backends()))
        cpu_at_exit = {pid: cpu for pids in busy.values() for pid in pids if (cpu := cpu_seconds(pid)) is not None}
        killed_at, taken_over_by = kill_a_worker(run, workers)
        busy["worker"].extend(pid for pid in worker_processes(workers) if pid not in busy["worker"])
        killed = {"killed_at_cases": killed_at_cases, "killed_after_s": round(killed_at - started, 2), **taken_over_by}
    finished = wait_for(all_committed, 900, f"{overdue} cases", interval=0)
    if kill:
        killed["finished_after_kill_s"] = round(finished - killed_at, 2)
    seconds = finished - started
    memory = [worker_memory_mb(worker.pid) for worker in workers]
    busy["worker"].extend(pid for pid in worker_processes(workers) if pid not in busy["worker"])
    busy["database"] = sorted(set(busy["database"]) | set(run.database_backends()))

    def cpu_used(pid: int) -> float:
        """CPU used in the burst; a process that has ended counts up to its reading before the kill, or nothing."""
        before = cpu_before.get(pid, 0.0)
        now = cpu_seconds(pid)
        return (cpu_at_exit.get(pid, before) if now is None else now) - before

    cpu = {role: round(sum(map(cpu_used, pids)), 1) for role, pids in busy.items()}
    with sweep.stdout:
        output = sweep.stdout.read()
    if sweep_usage is None:
        sweep_usage = reap(sweep, block=True)
        sweep_seconds = time.monotonic() - started
    published = json.loads(output)["published"]
    cpu["sweep"] = round(sweep_usage.ru_utime + sweep_usage.ru_stime, 1)
    followups = run.scalar("SELECT count(*) FROM followups")
    relayed_by = wait_for(
        lambda: run.scalar("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0 and time.monotonic(), 600,
        "the outbox relay",
    )
    return {
        "events": published,
        "seconds": round(seconds, 2),
        "events_per_s": round(published / seconds),
        "sweep_process_seconds": round(sweep_seconds, 2),
        "cases": run.scalar("SELECT count(*) FROM cases"),
        "followups": followups,
        "every_case_has_its_plan": followups == 4 * overdue,
        "case_events_relayed_after_s": round(relayed_by - started, 2),
        "worker_memory": memory,
        "cpu_seconds": cpu,
        **({"kill": killed} if kill else {}),
        "exactly_once": exactly_once(run.scalar, overdue),
    }


def wait_until_quiet(run: Run, workers: list[subprocess.Popen], timeout: float = 300) -> float:
    """Wait until the workers, the broker and the database together use under a tenth of a core for 2 s
    running, and return how long that took. After a burst PostgreSQL vacuums and analyses the new rows
    and SQLite checkpoints: the bare agent's ceiling is measured on a quiet machine, not beside that."""
    started = time.monotonic()
    quiet_for = 0.0
    while quiet_for < 2.0 and time.monotonic() - started < timeout:
        pids = worker_processes(workers) + [run.broker_pid] + (processes_named("postgres") if run.database_backends() else [])
        before = sum(cpu_seconds(pid) or 0.0 for pid in pids)
        time.sleep(0.5)
        used = sum(cpu_seconds(pid) or 0.0 for pid in pids) - before
        quiet_for = quiet_for + 0.5 if used < 0.05 else 0.0
    return round(time.monotonic() - started, 1)


def measure_ceiling(run: Run, events: int, runs: int) -> dict:
    """The bare agent's rate, best of `runs` runs one after the other: its CPU per event varies from run
    to run on this machine, and the best run is the ceiling (the ratio is then the lowest of them)."""
    measured = []
    for number in range(1, runs + 1):
        result = run.workdir / f"ceiling-{number}.json"
        probe = speed_probe()
        agent = run.start(
            ["-m", "bench.ceiling_agent", f"{run.prefix}rat-missed", str(events), str(result)], f"ceiling-agent-{number}"
        )
        try:
            counted = json.loads(wait_for(lambda: result.exists() and result.read_text(), 600, "the bare agent"))
            measured.append({**counted, "speed_probe_s": probe})
        finally:
            agent.terminate()
            agent.wait(30)
    best = max(measured, key=lambda one: one["events_per_s"] or 0)
    return {**best, "runs": measured}


def measure_pair(kind: str, args: argparse.Namespace, bootstrap: str, broker_pid: int, workdir: Path,
                 latency: bool) -> dict:
    """On a new database: the burst, then the bare agent's ceiling on the same events, and with `latency`
    the filing latency last, on the same worker."""
    url, drop = create_database(kind, workdir, args.postgres)
    run = None
    try:
        say(f"{workdir.name}: writing {args.coops} cooperatives directly (set-up, not measured)")
        started = time.monotonic()
        registry = write_national_registry(url, args.coops)
        registry["setup_seconds"] = round(time.monotonic() - started, 1)
        run = Run(url, bootstrap, broker_pid, workdir, **(SHORT_SESSION if args.kill else {}))
        say(f"{workdir.name}: starting {args.workers} worker(s)")
        workers = [run.start(["-m", "cli.main", "worker"], f"worker-{i}") for i in range(args.workers)]
        say(f"{workdir.name}: burst (satgas sweep --as-of {SWEEP_DAY})")
        probe = speed_probe()
        burst = {**measure_burst(run, registry["overdue"], workers, kill=args.kill), "speed_probe_s": probe}
        say(f"{workdir.name}: burst {burst['events']} events in {burst['seconds']} s; ceiling next, once the "
            "machine is quiet")
        quiet_after = wait_until_quiet(run, workers)
        ceiling = {**measure_ceiling(run, burst["events"], args.ceiling_runs), "measured_after_quiet_s": quiet_after}
        pair = {
            "registry": registry,
            "burst": burst,
            "ceiling": ceiling,
            "burst_to_ceiling": round(burst["events_per_s"] / ceiling["events_per_s"], 2),
        }
        say(f"{workdir.name}: burst/ceiling {pair['burst_to_ceiling']}")
        if latency:
            say(f"{workdir.name}: latency, {args.latency_rate:g} filings/s for {args.latency_seconds:g} s")
            niks = latency_niks(args.coops, int(args.latency_rate * args.latency_seconds))
            pair["latency"] = asyncio.run(
                measure_latency(bootstrap, run.prefix, niks, args.latency_rate, args.latency_seconds)
            )
        return pair
    finally:
        if run:
            run.stop()
        drop()


def median_pair(pairs: list[dict]) -> dict:
    """The pair of median burst/ceiling ratio; of an even number, the lower of the middle two."""
    return sorted(pairs, key=lambda pair: pair["burst_to_ceiling"])[(len(pairs) - 1) // 2]


def run_on_database(kind: str, args: argparse.Namespace, bootstrap: str, broker_pid: int, workdir: Path) -> dict:
    """`args.pairs` bursts, each on a new database and followed by its own ceiling: this machine's speed
    drifts by half from one minute to the next, so a burst is compared with a ceiling measured right
    after it, and the run reports the pair of median ratio, with every pair in `pairs`."""
    pairs = []
    for number in range(1, args.pairs + 1):
        pair_dir = workdir / f"{kind}-{number}"
        pair_dir.mkdir(parents=True)
        pairs.append(measure_pair(kind, args, bootstrap, broker_pid, pair_dir, latency=number == args.pairs))
    median = median_pair(pairs)
    return {
        **{name: median[name] for name in ("registry", "burst", "ceiling", "burst_to_ceiling")},
        "burst_to_ceiling_of_each_pair": [pair["burst_to_ceiling"] for pair in pairs],
        "latency": pairs[-1]["latency"],
        "pairs": [{name: value for name, value in pair.items() if name != "latency"} for pair in pairs],
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="20,000 cooperatives and 15 s of latency")
    parser.add_argument("--coops", type=int, default=None, help="cooperatives in the registry (default 250,000)")
    parser.add_argument("--databases", default=",".join(DATABASES))
    parser.add_argument("--workers", type=int, default=1, help="workers in the consumer group")
    parser.add_argument("--kill", action="store_true", help="SIGKILL a worker once a third of the cases are "
                        "committed: the others take over, or with --workers 1 a replacement is started")
    parser.add_argument("--pairs", type=int, default=None, help="bursts, each on a new database and followed by "
                        "its ceiling; the median pair counts (default 3, 1 with --quick)")
    parser.add_argument("--ceiling-runs", type=int, default=1,
                        help="runs of the bare agent after each burst; the fastest counts")
    parser.add_argument("--latency-rate", type=float, default=200.0, help="filings per second")
    parser.add_argument("--latency-seconds", type=float, default=None, help="default 60 (15 with --quick)")
    parser.add_argument("--postgres", default=POSTGRES_SERVER, help="server in which to create the database")
    args = parser.parse_args(argv)
    for wrong, message in (
        (args.ceiling_runs < 1, "--ceiling-runs must be at least 1: the ratio needs a ceiling"),
        (args.pairs is not None and args.pairs < 1, "--pairs must be at least 1"),
        (args.coops is not None and args.coops < 2, "--coops must be at least 2: half of them are overdue"),
        (args.workers < 1, "--workers must be at least 1"),
        (args.latency_rate <= 0, "--latency-rate must be more than 0 filings per second"),
        (args.latency_seconds is not None and args.latency_seconds <= 0, "--latency-seconds must be more than 0"),
        (not set(args.databases.split(",")) <= set(DATABASES),
         f"--databases takes {' and/or '.join(DATABASES)}, comma-separated, not {args.databases!r}"),
    ):
        if wrong:
            parser.error(message)
    if args.coops is None:
        args.coops = 20_000 if args.quick else 250_000
    if args.pairs is None:
        args.pairs = 1 if args.quick else 3
    if args.latency_seconds is None:
        args.latency_seconds = 15.0 if args.quick else 60.0
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    settings = get_settings()
    workdir = Path(tempfile.mkdtemp(prefix="satgas-bench-"))
    port = free_port()
    broker = start_broker(port, log_file=workdir / "broker.log")
    report = {
        "command": " ".join(["python -m bench.national_burst", *(argv if argv is not None else sys.argv[1:])]),
        "machine": describe_machine(),
        "broker": "embedded (tansu, in memory)",
        "setup": "cooperatives and on-time FY2024 filings written directly to the database in bulk; measured: "
        "`satgas sweep` publishing missed-RAT events until every case and follow-up plan is committed",
        "worker": {
            "processes": args.workers,
            "partitions": settings.kafka.partitions,
            "batch_size": settings.worker.batch_size,
            "batch_within_seconds": settings.worker.batch_within_seconds,
            "session_timeout_seconds": float(SHORT_SESSION["SATGAS_KAFKA__SESSION_TIMEOUT_SECONDS"]) if args.kill
            else settings.kafka.session_timeout_seconds,
        },
        "runs": {},
    }
    try:
        for kind in args.databases.split(","):
            report["runs"][kind] = run_on_database(kind, args, f"127.0.0.1:{port}", broker.pid, workdir)
    finally:
        stop_broker(broker)
    print(json.dumps(report, indent=2))
    if not all(pair["burst"]["exactly_once"]["holds"] for run in report["runs"].values() for pair in run["pairs"]):
        say("exactly once does NOT hold: see exactly_once in the bursts above")
        sys.exit(1)


if __name__ == "__main__":
    main()
