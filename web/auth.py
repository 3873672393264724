"""Who is asking: the logged-in user from the session cookie (pages) or the bearer token (API), checked each time."""
from __future__ import annotations

from dataclasses import dataclass

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from models.accounts import KOPERASI, PENGAWAS, UserAccount
from models.registry import Team
from models.rules.jurisdiction import Jurisdiction, team_jurisdiction
from web.database import db

SESSION_LOGIN = "login"
SESSION_VERSION = "v"
bearer = HTTPBearer(auto_error=False, description="A token from POST /api/token.")


class LoginRequired(Exception):
    """A page that needs a login was asked for without one: the error handler sends to the login page."""


@dataclass(frozen=True)
class CurrentUser:
    login: str
    role: str
    name: str
    nik: str | None
    team_id: str | None
    team_name: str | None
    #: The regions a supervisor may see; None when the team no longer exists (sees nothing).
    jurisdiction: Jurisdiction | None

    @property
    def is_cooperative(self) -> bool:
        return self.role == KOPERASI

    @property
    def is_supervisor(self) -> bool:
        return self.role == PENGAWAS


def load_user(session: Session, login: str, credentials_version: int) -> CurrentUser | None:
    """The user, if the login still exists, is active and the credentials were not changed since."""
    account = session.get(UserAccount, login)
    if account is None or not account.active or account.credentials_version != credentials_version:
        return None
    team = session.get(Team, account.team_id) if account.team_id else None
    jurisdiction = team_jurisdiction(team.level, team.region_code) if team else None
    return CurrentUser(account.login, account.role, account.name, account.nik, account.team_id,
                       team.name if team else None, jurisdiction)


def user_from_session(request: Request, session: Session) -> CurrentUser | None:
    login, version = request.session.get(SESSION_LOGIN), request.session.get(SESSION_VERSION)
    if not isinstance(login, str) or not isinstance(version, int):
        return None
    return load_user(session, login, version)


def page_user(request: Request, session: Session = Depends(db)) -> CurrentUser:
    user = user_from_session(request, session)
    if user is None:
        request.session.pop(SESSION_LOGIN, None)
        raise LoginRequired()
    return user


def cooperative_page_user(user: CurrentUser = Depends(page_user)) -> CurrentUser:
    if not user.is_cooperative:
        raise HTTPException(403, "Halaman ini untuk koperasi.")
    return user


def supervisor_page_user(user: CurrentUser = Depends(page_user)) -> CurrentUser:
    if not user.is_supervisor:
        raise HTTPException(403, "Halaman ini untuk pengawas Satgas.")
    return user


def api_user(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
             session: Session = Depends(db)) -> CurrentUser:
    claims = request.app.state.signer.read_api_token(credentials.credentials) if credentials else None
    user = load_user(session, *claims) if claims else None
    if user is None:
        raise HTTPException(401, "A valid bearer token is needed (POST /api/token).",
                            headers={"WWW-Authenticate": "Bearer"})
    return user


def api_cooperative(user: CurrentUser = Depends(api_user)) -> CurrentUser:
    if not user.is_cooperative:
        raise HTTPException(403, "Only a cooperative's login may do this.")
    return user


def api_supervisor(user: CurrentUser = Depends(api_user)) -> CurrentUser:
    if not user.is_supervisor:
        raise HTTPException(403, "Only a supervisor's login may do this.")
    return user
