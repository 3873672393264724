"""The `satgas` command: every operator entry point."""
from __future__ import annotations

import importlib
import logging

import click
from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from config import get_settings
from config.logs import configure_logging, process_logging_config
from models.migrate import upgrade

#: Commands defined in their own modules, imported only when run (or listed by --help): a command
#: then starts without loading the others' dependencies (the web stack, spreadsheets, the demo).
LAZY_COMMANDS = {
    "import-cooperatives": "cli.intake:import_cooperatives",
    "import-teams": "cli.intake:import_teams",
    "submit-rat": "cli.intake:submit_rat",
    "sweep": "cli.sweep:sweep",
    "cases": "cli.cases:cases",
    "followups": "cli.followups:followups",
    "scheduler": "cli.duties:scheduler",
    "tick": "cli.duties:tick",
    "digest": "cli.duties:digest",
    "users": "cli.users:users",
    "mail": "cli.mail:mail",
    "dead-letter": "cli.dead_letters:dead_letter",
    "status": "cli.status:status",
    "demo": "cli.demo:demo",
}


class FriendlyErrors(click.Group):
    """Loads LAZY_COMMANDS on demand. Database outages and bad settings become one clear line, not a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in LAZY_COMMANDS:
            return super().get_command(ctx, name)
        module, attribute = LAZY_COMMANDS[name].split(":")
        return getattr(importlib.import_module(module), attribute)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except OperationalError as error:
            raise click.ClickException(
                f"cannot use the database at {make_url(get_settings().sqlalchemy_url)!r}: {error.orig}"
            ) from None
        except ValidationError as error:
            raise click.ClickException(f"invalid SATGAS_ setting: {error}") from None


@click.group(cls=FriendlyErrors)
@click.pass_context
def satgas(ctx: click.Context) -> None:
    """Satgas Pengawas Koperasi case tracker."""
    settings = get_settings()
    configure_logging(settings.log_format, logging.WARNING)
    logging.getLogger("kafka").setLevel(logging.CRITICAL)  # its retries are noise; failures are reported
    if ctx.invoked_subcommand not in ("up", "worker"):
        upgrade(settings.sqlalchemy_url)


@satgas.command()
def worker() -> None:
    """Run the stream worker: registry, filings and missed-RAT agents, and the outbox relay."""
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.sqlalchemy_url)
    from streams.publisher import BrokerUnavailable, ensure_topics

    try:
        ensure_topics(settings)
    except BrokerUnavailable as error:
        raise click.ClickException(f"{error}. Start everything with `satgas up`, or set SATGAS_KAFKA_BOOTSTRAP.")
    from faust.worker import Worker

    import streams.agents  # noqa: F401  (registers the agents)
    import streams.relay  # noqa: F401  (registers the outbox relay)
    from models.base import utcnow
    from services.handlers import warm_up
    from streams.app import app

    warm_up(utcnow().date())
    Worker(app, loglevel=settings.log_level, quiet=True,
           logging_config=process_logging_config(settings.log_format, settings.log_level)).execute_from_commandline()


@satgas.command()
def up() -> None:
    """Run the whole system: embedded broker (unless SATGAS_KAFKA_BOOTSTRAP is set), worker, scheduler, web."""
    from cli.up import run_everything

    raise SystemExit(run_everything(get_settings()))


@satgas.command()
def web() -> None:
    """Run the web front end and JSON API on SATGAS_WEB__HOST:SATGAS_WEB__PORT (default 127.0.0.1:8000)."""
    from web.server import serve

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    click.echo(f"Web front end on http://{settings.web.host}:{settings.web.port}/ (API: /api/docs).", err=True)
    serve(settings)


@satgas.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration (every command does this on start too)."""
    settings = get_settings()
    click.echo(f"Database at the latest schema: {make_url(settings.sqlalchemy_url)!r}")


if __name__ == "__main__":
    satgas()
