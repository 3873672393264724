"""`satgas up`: the embedded broker (unless a cluster is configured), the worker, the scheduler and the web front
end, stopped together on Ctrl-C; on a first run of the embedded setup, `satgas demo` too."""
from __future__ import annotations

import signal
import subprocess
import sys
import time

import click
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from config import Settings
from models.database import session_factory
from models.migrate import upgrade
from models.messaging import OutboxMessage
from models.registry import Cooperative, Team
from services.outbox import requeue_unapplied_statement
from streams.embedded_broker import start_broker, stop_broker
from streams.publisher import ensure_topics


def requeue_user_input() -> int:
    """The fresh in-memory broker holds nothing: resend user input that no worker has applied yet."""
    with session_factory().begin() as session:
        return session.execute(requeue_unapplied_statement()).rowcount or 0


def nothing_imported_yet() -> bool:
    """No team and no cooperative, in the registry or on its way to it (imported while the system was down)."""
    with session_factory()() as session:
        return not (session.scalar(select(func.count()).select_from(Cooperative))
                    or session.scalar(select(func.count()).select_from(Team))
                    or session.scalar(select(func.count()).where(OutboxMessage.topic == "cooperatives")))


def start_demo_if_empty(settings: Settings) -> subprocess.Popen | None:
    """A first run shows the system at work: `satgas demo` once the worker and the scheduler are started.

    Only on the embedded broker (a newcomer's `make run`): against a real cluster the database may be a
    production one on its first day, and made-up cooperatives have no place there."""
    if not (settings.demo and settings.uses_embedded_broker and nothing_imported_yet()):
        return None
    click.echo("The database holds no team and no cooperative yet: seeding the demo province with `satgas demo` "
               "(SATGAS_DEMO=0 turns this off).")
    return subprocess.Popen([sys.executable, "-m", "cli.main", "demo"])


def run_everything(settings: Settings) -> int:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.sqlalchemy_url)
    broker = None
    if settings.uses_embedded_broker:
        broker = start_broker(settings.kafka.embedded_port, log_file=settings.data_dir / "broker.log")
        click.echo(f"Embedded Kafka broker on {settings.bootstrap_servers} (log in memory; input kept in the database).")
        requeued = requeue_user_input()
        if requeued:
            click.echo(f"Resending {requeued} accepted messages that no worker had applied before the restart.")
    ensure_topics(settings)
    children = [subprocess.Popen([sys.executable, "-m", "cli.main", role]) for role in ("worker", "scheduler", "web")]
    click.echo(f"Worker (pid {children[0].pid}), scheduler (pid {children[1].pid}) and web front end "
               f"(pid {children[2].pid}, http://{settings.web.host}:{settings.web.port}/) started; "
               f"database {make_url(settings.sqlalchemy_url)!r}. Ctrl-C stops everything.")
    demo = start_demo_if_empty(settings)

    stopping = False

    def stop(_signum, _frame) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exit_code = 0
    try:
        while not stopping:
            for child in children:
                if child.poll() is not None:
                    click.echo(f"process {child.args[-1]} exited with code {child.returncode}; stopping.", err=True)
                    exit_code = child.returncode or 1
                    stopping = True
            if demo is not None and demo.poll() is not None:
                if demo.returncode:
                    click.echo(f"The demo stopped with code {demo.returncode} (see above); the system keeps "
                               "running.", err=True)
                demo = None
            time.sleep(0.5)
    finally:
        if demo is not None and demo.poll() is None:
            demo.terminate()
            try:
                demo.wait(timeout=30)
            except subprocess.TimeoutExpired:
                demo.kill()
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
        if broker is not None:
            stop_broker(broker)
        click.echo("Stopped.")
    return exit_code
