"""`satgas users`: the Dinas issues logins for supervisors (by team) and cooperatives (by NIK)."""
from __future__ import annotations

import sys

import click

from cli.output import print_json, print_table
from models.base import utcnow
from models.database import session_factory
from models.registry import Cooperative
from services.accounts import (AccountError, add_cooperative_login, add_supervisor, disable, list_accounts,
                               reset_password)


def _password(from_stdin: bool) -> str | None:
    """From stdin (scripts), else None: a random one is generated and shown once."""
    return sys.stdin.readline().rstrip("\r\n") if from_stdin else None


def _issued(issued, generated: bool, as_json: bool, extra: dict) -> None:
    if as_json:
        print_json({"login": issued.login, **extra, **({"password": issued.password} if generated else {})})
        return
    click.echo(f"Login '{issued.login}' ready.")
    if generated:
        click.echo(f"Password (shown once, hand it over securely): {issued.password}")


@click.group()
def users() -> None:
    """Logins to the web front end."""


@users.command("add-supervisor")
@click.argument("login")
@click.option("--team", "team_id", required=True, help="Team id from `satgas import-teams`, e.g. satgas-7471.")
@click.option("--name", default="", help="The person's name, shown on the pages.")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin instead of generating one.")
@click.option("--json", "as_json", is_flag=True)
def add_supervisor_command(login: str, team_id: str, name: str, password_stdin: bool, as_json: bool) -> None:
    """A Satgas supervisor: sees and works the cases of the team's regions."""
    try:
        with session_factory().begin() as session:
            issued = add_supervisor(session, login, name, team_id, _password(password_stdin), utcnow())
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    _issued(issued, not password_stdin, as_json, {"role": "pengawas", "team_id": team_id})


@users.command("add-cooperative")
@click.argument("nik")
@click.option("--login", default=None, help="Login name (default: the NIK).")
@click.option("--name", default=None, help="Shown on the pages (default: the registry's name).")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin instead of generating one.")
@click.option("--json", "as_json", is_flag=True)
def add_cooperative_command(nik: str, login: str | None, name: str | None, password_stdin: bool, as_json: bool) -> None:
    """A cooperative's login: files RAT reports and sees only its own NIK."""
    try:
        with session_factory().begin() as session:
            registered = session.get(Cooperative, nik)
            issued = add_cooperative_login(session, nik, name or (registered.name if registered else None),
                                           _password(password_stdin), utcnow(), login)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    if registered is None:
        click.echo(f"Note: {nik} is not in the registry yet; its reports are judged once it is.", err=True)
    _issued(issued, not password_stdin, as_json, {"role": "koperasi", "nik": nik})


@users.command("reset-password")
@click.argument("login")
@click.option("--password-stdin", is_flag=True, help="Read the new password from stdin instead of generating one.")
@click.option("--json", "as_json", is_flag=True)
def reset_password_command(login: str, password_stdin: bool, as_json: bool) -> None:
    """A new password (and the login enabled again); earlier sessions and tokens end."""
    try:
        with session_factory().begin() as session:
            issued = reset_password(session, login, _password(password_stdin))
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    _issued(issued, not password_stdin, as_json, {})


@users.command("disable")
@click.argument("login")
def disable_command(login: str) -> None:
    """The login can no longer be used; its sessions and tokens end at once."""
    try:
        with session_factory().begin() as session:
            disable(session, login)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Login '{login}' disabled.")


@users.command("list")
@click.option("--json", "as_json", is_flag=True)
def list_command(as_json: bool) -> None:
    """Every login, without passwords."""
    with session_factory()() as session:
        rows = [{"login": a.login, "role": a.role, "name": a.name, "nik": a.nik, "team_id": a.team_id,
                 "active": a.active} for a in list_accounts(session)]
    if as_json:
        print_json(rows)
    else:
        print_table([(r["login"], r["role"], r["name"], r["nik"] or r["team_id"], "yes" if r["active"] else "no")
                     for r in rows], ["LOGIN", "ROLE", "NAME", "NIK / TEAM", "ACTIVE"])
