"""The `satgas` command: every operator entry point."""
from __future__ import annotations

import gc
import logging
from datetime import date, datetime

import click
from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from cli.cases import cases
from cli.dead_letters import dead_letter
from cli.demo import demo
from cli.duties import digest, scheduler, tick
from cli.followups import followups
from cli.mail import mail
from cli.intake import import_cooperatives, import_teams, submit_rat
from cli.users import users
from cli.output import print_json, progress
from cli.status import status
from config import get_settings
from config.logs import configure_logging, process_logging_config
from models.database import session_factory
from models.migrate import upgrade
from models.regions import WIB
from services.sweep import overdue_cooperatives
from streams.publisher import BrokerUnavailable, ensure_topics
from streams.sweep import publish_overdue


class FriendlyErrors(click.Group):
    """Database outages and bad settings become one clear line, not a traceback."""

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
    try:
        ensure_topics(settings)
    except BrokerUnavailable as error:
        raise click.ClickException(f"{error}. Start everything with `satgas up`, or set SATGAS_KAFKA_BOOTSTRAP.")
    from faust.worker import Worker

    import streams.agents  # noqa: F401  (registers the agents)
    import streams.relay  # noqa: F401  (registers the outbox relay)
    from streams.app import app

    # A batch allocates hundreds of thousands of short-lived objects: collect the young generation less
    # often, and never rescan what start-up loaded (regions, holidays, the app), which lives as long as we do.
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
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


@satgas.command()
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The day of the sweep (default: today in WIB). Reports due before it are overdue.")
@click.option("--province", help="Only the cooperatives of this 2-digit province code.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def sweep(as_of: datetime | None, province: str | None, as_json: bool) -> None:
    """Publish a missed-RAT event for every cooperative whose RAT report is overdue on that date."""
    settings = get_settings()
    day: date = as_of.date() if as_of else datetime.now(WIB).date()
    with session_factory()() as session:
        overdue = overdue_cooperatives(session, day, settings.rules, [province] if province else None)
    try:
        with progress(len(overdue), "Publishing") as bar:
            result = publish_overdue(settings, overdue, day, progress=bar.update)
    except BrokerUnavailable as error:
        raise click.ClickException(f"{error}; nothing was published. Run the sweep again once Kafka is up.")
    if as_json:
        print_json(result.as_dict())
    else:
        click.echo(f"Sweep as of {day.isoformat()}: {result.published} missed-RAT events published "
                   f"(fiscal years {result.fiscal_years}).")


satgas.add_command(import_cooperatives)
satgas.add_command(import_teams)
satgas.add_command(submit_rat)
satgas.add_command(cases)
satgas.add_command(followups)
satgas.add_command(scheduler)
satgas.add_command(tick)
satgas.add_command(digest)
satgas.add_command(users)
satgas.add_command(mail)
satgas.add_command(dead_letter)
satgas.add_command(status)
satgas.add_command(demo)

if __name__ == "__main__":
    satgas()
