"""`satgas sweep`: the deadline sweep, run by hand."""
from __future__ import annotations

from datetime import date, datetime

import click

from cli.output import print_json, progress
from config import get_settings
from models.database import reading, session_factory
from models.regions import WIB
from services.sweep import overdue_cooperatives
from streams.publisher import BrokerUnavailable
from streams.sweep import publish_overdue


@click.command()
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The day of the sweep (default: today in WIB). Reports due before it are overdue.")
@click.option("--province", help="Only the cooperatives of this 2-digit province code.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def sweep(as_of: datetime | None, province: str | None, as_json: bool) -> None:
    """Publish a missed-RAT event for every cooperative whose RAT report is overdue on that date."""
    settings = get_settings()
    day: date = as_of.date() if as_of else datetime.now(WIB).date()
    with reading(session_factory()) as session:
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
