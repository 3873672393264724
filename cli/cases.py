"""`satgas cases list` and `satgas cases show`: read straight from the database."""
from __future__ import annotations

import click

from cli.output import print_json, print_table
from models.database import session_factory
from services.queries import get_case, list_cases


@click.group()
def cases() -> None:
    """Inspection cases."""


@cases.command("list")
@click.option("--regency", help="4-digit regency code, e.g. 7471.")
@click.option("--status", type=click.Choice(["open", "resolved"]), help="Only cases with this status.")
@click.option("--nik", help="Only the cases of this cooperative.")
@click.option("--limit", type=int, default=0, help="At most this many cases (0: all).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the public contract).")
def list_command(regency: str | None, status: str | None, nik: str | None, limit: int, as_json: bool) -> None:
    """List cases, filtered by regency and status."""
    with session_factory()() as session:
        found = list_cases(session, regency=regency, status=status, nik=nik, limit=limit or None)
    if as_json:
        print_json(found)
        return
    if not found:
        click.echo("No cases match.")
        return
    print_table(
        [
            (
                c["case_id"], c["rule"], c["status"], c["priority"], c["regency_code"], c["assigned_team"],
                c["opened_at"][:10], next((f"{f['kind']} {f['due_date']}" for f in c["followups"] if f["status"] == "planned"), None),
            )
            for c in found
        ],
        ["CASE", "RULE", "STATUS", "PRIORITY", "REGENCY", "TEAM", "OPENED", "NEXT FOLLOW-UP"],
    )
    click.echo(f"{len(found)} cases.")


@cases.command("show")
@click.argument("case_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the public contract).")
def show_command(case_id: str, as_json: bool) -> None:
    """Show one case with its follow-up plan."""
    with session_factory()() as session:
        case = get_case(session, case_id)
    if case is None:
        raise click.ClickException(f"no case {case_id}")
    if as_json:
        print_json(case)
        return
    for field in ("case_id", "nik", "fiscal_year", "rule", "status", "priority", "stage", "regency_code",
                  "assigned_team", "assignment_note", "escalation", "opened_at", "resolution", "details"):
        click.echo(f"{field:>16}: {case[field] if case[field] is not None else '-'}")
    click.echo("\nFollow-ups:")
    print_table([(f["followup_id"].split("/")[-1], f["due_date"], f["status"], f["done_by"], f["note"])
                 for f in case["followups"]], ["KIND", "DUE", "STATUS", "DONE BY", "NOTE"])
    click.echo("\nAudit trail:")
    print_table([(a["at"][:16], a["actor"], a["action"], a["followup_id"], a["to"], a["reason"])
                 for a in case["audit"]], ["AT", "WHO", "WHAT", "FOLLOW-UP", "TO", "WHY"])
