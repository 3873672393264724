"""`satgas up`: the embedded broker (unless a cluster is configured), the worker, the scheduler and the web front
end, stopped together on Ctrl-C."""
from __future__ import annotations

import signal
import subprocess
import sys
import time

import click
from sqlalchemy.engine import make_url

from config import Settings
from models.database import session_factory
from models.migrate import upgrade
from services.outbox import requeue_unapplied_statement
from streams.embedded_broker import start_broker, stop_broker
from streams.publisher import ensure_topics


def requeue_user_input() -> int:
    """The fresh in-memory broker holds nothing: resend user input that no worker has applied yet."""
    with session_factory().begin() as session:
        return session.execute(requeue_unapplied_statement()).rowcount or 0


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
            time.sleep(0.5)
    finally:
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
