"""Web logins for the demo, so the web front end can be tried at once: the province's supervisor, Kendari's,
and one Kendari cooperative that has not reported (file its RAT on the web and watch its case resolve).

Passwords are random and shown once, on the run that issues them; `satgas users reset-password` issues new ones.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from demo.province import DemoProvince
from models.accounts import KOPERASI, PENGAWAS, UserAccount
from services.accounts import add_cooperative_login, add_supervisor

SUPERVISORS = (
    ("demo-sultra", "satgas-74", "Pengawas Provinsi Sulawesi Tenggara (Contoh)"),
    ("demo-kendari", "satgas-7471", "Pengawas Kota Kendari (Contoh)"),
)
COOPERATIVE_REGENCY = "7471"


def cooperative_without_report(province: DemoProvince) -> dict[str, Any]:
    """The first Kendari cooperative of the Kendari team's with no RAT report in the demo."""
    reported = {filing["nik"] for filing in province.filings}
    return next(coop for coop in province.cooperatives
                if coop["regency_code"] == COOPERATIVE_REGENCY and coop["membership_area"] == "kabupaten"
                and coop["nik"] not in reported)


def issue_demo_logins(session: Session, province: DemoProvince, now: datetime) -> list[dict[str, Any]]:
    """Each login with its password when issued now, None when it existed already."""
    logins = []
    for login, team_id, name in SUPERVISORS:
        password = None
        if session.get(UserAccount, login) is None:
            password = add_supervisor(session, login, name, team_id, None, now).password
        logins.append({"login": login, "role": PENGAWAS, "team_id": team_id, "password": password})
    coop = cooperative_without_report(province)
    login = session.scalar(select(UserAccount.login).where(UserAccount.nik == coop["nik"]))
    password = None
    if login is None:
        issued = add_cooperative_login(session, coop["nik"], coop["name"], None, now)
        login, password = issued.login, issued.password
    logins.append({"login": login, "role": KOPERASI, "nik": coop["nik"], "password": password})
    return logins
