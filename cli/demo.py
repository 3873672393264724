"""`satgas demo`: seed Sulawesi Tenggara through the real pipeline, then say where to look and what happened."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from cli.output import print_json, print_table, progress
from config import Settings, get_settings
from demo.pipeline import DemoRefused, DemoRun, DemoTimeout, run_demo
from demo.province import build_demo_province, demo_fiscal_year
from demo.summary import demo_summary
from models.database import session_factory
from models.regions import WIB
from models.rules.cases import PRIORITIES
from notifications.delivery import outbox_folder
from services.digest import iso_week
from streams.embedded_broker import port_open
from streams.publisher import BrokerUnavailable

EMAIL_KINDS = {"case_alert": "case alerts", "case_critical": "critical-case alerts",
               "weekly_escalation": "weekly escalation emails", "filing_receipt": "receipts to cooperatives"}


def web_address(settings: Settings) -> tuple[str | None, str]:
    """(the web front end's URL if it answers, what to tell the reader)."""
    web = getattr(settings, "web", None)  # the web settings come with the web front end (`satgas web`)
    if web is None:
        return None, "not running (this installation has no web front end yet)"
    host = "127.0.0.1" if web.host in ("", "0.0.0.0") else web.host
    url = f"http://{host}:{web.port}"
    return (url, url) if port_open(web.port, host) else (None, f"not running (`satgas web` serves it on {url})")


@contextmanager
def progress_bar(label: str, total: int):
    with progress(total, label) as bar:
        yield bar.update


def print_where_to_look(summary: dict[str, Any], where: dict[str, Any]) -> None:
    emails = summary["emails"]["by_kind"]
    kinds = ", ".join(f"{emails[kind]} {words}" for kind, words in EMAIL_KINDS.items() if emails.get(kind))
    click.echo("\nWhere to look")
    click.echo(f"  Web front end: {where['web_note']}")
    for login in where["logins"]:
        who = (f"supervisor of {login['team_id']}" if login["role"] == "pengawas"
               else f"cooperative {login['nik']}, which has not reported: file its RAT and watch its case resolve")
        secret = (f"password {login['password']} (shown once)" if login["password"]
                  else "password shown on the first run; `satgas users reset-password` issues a new one")
        click.echo(f"    {login['login']:<17} {secret}; {who}")
    click.echo(f"  Emails:        {where['outbox_folder']}/  ({kinds}; one .eml file per recipient)")
    click.echo(f"  Command line:  satgas cases list --regency 7471 | satgas digest --province 74 --week "
               f"{iso_week(date.fromisoformat(summary['as_of']))} | satgas status")


def print_summary(summary: dict[str, Any]) -> None:
    cases = summary["cases"]
    click.echo(f"\nCases in {summary['province_name']} by rule and priority ({cases['total']} in all, "
               f"{cases['missed_rat']} for a missed RAT)")
    rows = [(rule, *(counts[p] for p in PRIORITIES), counts["total"]) for rule, counts in cases["by_rule"].items()]
    print_table(rows, ["RULE", *(p.upper() for p in PRIORITIES), "TOTAL"])
    compliance = summary["compliance"]
    click.echo(f"\nRAT compliance per regency, fiscal year {summary['fiscal_year']}: {compliance['reported']} of "
               f"{compliance['cooperatives']} reported ({compliance['rate']}%)")
    print_table([(r["rank"], r["regency_code"], r["name"], r["cooperatives"], r["reported"],
                  f"{r['compliance_rate']:.2f}%") for r in compliance["regencies"]],
                ["RANK", "CODE", "REGENCY", "COOPERATIVES", "REPORTED", "RATE"])


@click.command()
@click.option("--seed", type=int, default=74, show_default=True, help="The same seed makes the same province.")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The demo day (default: today in WIB); the fiscal year is the last one overdue on it.")
@click.option("--timeout", type=float, default=300, show_default=True,
              help="Seconds to wait for the worker at each step.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def demo(seed: int, as_of: datetime | None, timeout: float, as_json: bool) -> None:
    """Seed Sulawesi Tenggara (2,300 cooperatives, 420 RAT reports) through the running system: a worker
    must be running (satgas up). Names, NIKs and emails are made up; running it again changes nothing."""
    settings = get_settings()
    day = as_of.date() if as_of else datetime.now(WIB).date()
    province = build_demo_province(seed, day, settings.rules)
    click.echo(f"Satgas demo: Sulawesi Tenggara (74), fiscal year {demo_fiscal_year(day, 'primer', settings.rules)}, "
               f"as of {day.isoformat()}, seed {seed}.", err=True)
    run = DemoRun(settings, session_factory(), progress_bar, lambda line: click.echo(f"  {line}", err=True), timeout)
    try:
        outcome = run_demo(run, province, day)
    except BrokerUnavailable as error:
        raise click.ClickException(f"{error}. The demo needs the running system: start it with `make run` "
                                   "(satgas up), which runs the demo by itself on an empty database.") from None
    except (DemoRefused, DemoTimeout) as error:
        raise click.ClickException(str(error)) from None
    with session_factory()() as session:
        summary = demo_summary(session, province.province_code, day, settings.rules)
    web, web_note = web_address(settings)
    where = {"web": web, "outbox_folder": None if settings.smtp.host else str(Path(outbox_folder(settings)).resolve())}
    if as_json:
        print_json({**summary, "run": outcome, "where": where})
        return
    print_where_to_look(summary, {**where, "web_note": web_note, "logins": outcome["logins"]})
    print_summary(summary)
