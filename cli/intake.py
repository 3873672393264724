"""`satgas import-cooperatives`, `import-teams` and `submit-rat`: read, validate, store, relay."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import click

from cli.output import print_json, progress, report_problems
from cli.json_files import read_json_items, validate_filing_item
from cli.spreadsheets import UnreadableFile, count_data_rows, read_rows
from config import get_settings
from models.base import utcnow
from models.database import session_factory
from services.bulk import chunks
from services.intake import Acceptance, accept_cooperatives, accept_filings
from services.teams import upsert_teams, validate_team
from streams.publisher import BrokerUnavailable, Publisher, ensure_topics, relay_outbox
from streams.validation import InvalidEvent, validate_cooperative


def validate_all(
    items: Iterator[tuple[str, dict[str, Any]]], validate: Callable, total: int, key: Callable[[Any], str]
) -> tuple[list[tuple[str, Any]], list[tuple[str, str]]]:
    """(where, record) for every valid item; a repeated key is refused, naming where it first appeared."""
    good, problems, first_seen = [], [], {}
    with progress(total, "Checking") as bar:
        for where, data in items:
            bar.update(1)
            try:
                record = validate(data)
            except InvalidEvent as error:
                problems.append((where, str(error)))
                continue
            if key(record) in first_seen:
                problems.append((where, f"duplicate of {first_seen[key(record)]} ({key(record)}); the first one is kept"))
                continue
            first_seen[key(record)] = where
            good.append((where, record))
    return good, problems


def store_and_relay(
    items: Sequence[tuple[str, Any]], accept: Callable, key: Callable[[Any], str], what: str
) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Store in the outbox (durable), then publish; if Kafka is down the worker's relay publishes later."""
    totals, problems = Acceptance(), []
    where_of = {key(record): where for where, record in items}
    sessions = session_factory()
    with progress(len(items), "Storing") as bar:
        for chunk in chunks([record for _, record in items]):
            with sessions.begin() as session:
                result = accept(session, chunk, utcnow())
            totals.new += result.new
            totals.unchanged += result.unchanged
            problems += [(where_of[k], reason) for k, reason in result.refused.items()]
            bar.update(len(chunk))
    relayed = relay_stored(totals.new, what)
    accepted = len(items) - len(problems)
    summary = {"accepted": accepted, "new": totals.new, "already_received": totals.unchanged, "published": relayed}
    return summary, problems


def relay_stored(expected: int, what: str) -> int:
    """Relay every pending outbox message; when Kafka is down the worker's relay publishes them later."""
    try:
        settings = get_settings()
        ensure_topics(settings)
        with Publisher(settings) as publisher, progress(expected, "Publishing") as bar:
            return relay_outbox(session_factory(), publisher, progress=bar.update)
    except BrokerUnavailable as error:
        click.echo(f"Kafka is not reachable ({error}); the {what} are stored and the worker will publish them.", err=True)
        return 0


def finish(summary: dict[str, Any], problems: list[tuple[str, str]], as_json: bool, what: str,
           dry_run: bool = False) -> None:
    """Print the summary; rejected rows go to stderr (every one of them on a dry run) and make the exit code 1."""
    summary["rejected"] = len(problems)
    if as_json:
        print_json({**summary, "problems": [{"where": w, "reason": r} for w, r in problems]})
    elif dry_run:
        click.echo(f"Dry run, nothing imported: {summary['accepted']} {what} would be accepted, "
                   f"{len(problems)} rejected.")
    else:
        click.echo(
            f"{summary['accepted']} {what} accepted ({summary.get('new', 0)} new or changed, "
            f"{summary.get('already_received', 0)} already held as given), {len(problems)} rejected."
        )
    if problems:
        click.echo(f"Rejected {what} (fix them and import the file again"
                   f"{'' if dry_run else '; the good ones are in'}):", err=True)
        report_problems(problems, limit=None if dry_run else 50)
        raise SystemExit(1)


def by_nik(cooperative) -> str:
    return cooperative.nik


def by_filing_id(filing) -> str:
    return filing.filing_id


def _validated_spreadsheet(path: Path, validate, key) -> tuple[list, list[tuple[str, str]]]:
    """(good rows, problems) of a CSV or XLSX file; a file that cannot be read is one clear error."""
    try:
        total = count_data_rows(path)
        rows = ((f"row {number}", row) for number, row in read_rows(path))
        return validate_all(rows, validate, total, key=key)
    except (UnreadableFile, OSError) as error:
        raise click.ClickException(str(error)) from None


@click.command("import-cooperatives")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and report problems; import nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def import_cooperatives(file: Path, dry_run: bool, as_json: bool) -> None:
    """Import the cooperative registry from a CSV or XLSX file (one row per cooperative)."""
    good, problems = _validated_spreadsheet(file, validate_cooperative, key=by_nik)
    if dry_run:
        finish({"accepted": len(good)}, problems, as_json, "cooperatives", dry_run=True)
        return
    summary, refused = store_and_relay(good, accept_cooperatives, by_nik, "cooperatives")
    finish(summary, problems + refused, as_json, "cooperatives")


def one_team_per_region(teams: list[tuple[str, dict]]) -> tuple[list[tuple[str, dict]], list[tuple[str, str]]]:
    """A second team for the same level and region would replace the first: refuse it, naming the row kept."""
    kept, problems, first_seen = [], [], {}
    for where, team in teams:
        region = (team["level"], team["region_code"])
        if region in first_seen:
            problems.append((where, f"a second {team['level']} team for {team['region_code']}: "
                                    f"{first_seen[region]} is kept"))
            continue
        first_seen[region] = where
        kept.append((where, team))
    return kept, problems


@click.command("import-teams")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and report problems; import nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def import_teams(file: Path, dry_run: bool, as_json: bool) -> None:
    """Import Satgas teams (team_id, name, level, region_code, supervisor_emails) from CSV or XLSX."""
    good, problems = _validated_spreadsheet(file, validate_team, key=lambda t: t["team_id"])
    good, second_teams = one_team_per_region(good)
    problems = sorted(problems + second_teams, key=lambda problem: int(problem[0].split()[-1]))
    if dry_run:
        finish({"accepted": len(good)}, problems, as_json, "teams", dry_run=True)
        return
    with session_factory().begin() as session:
        upsert_teams(session, [team for _, team in good])
    finish({"accepted": len(good), "new": len(good)}, problems, as_json, "teams")


@click.command("submit-rat")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def submit_rat(file: Path, as_json: bool) -> None:
    """Submit RAT filings from a JSON file: one object, an array, or JSON lines."""
    items = list(read_json_items(file))
    good, problems = validate_all(iter(items), validate_filing_item, len(items), key=by_filing_id)
    summary, refused = store_and_relay(good, accept_filings, by_filing_id, "filings")
    finish(summary, problems + refused, as_json, "filings")
