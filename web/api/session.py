"""POST /api/token for a bearer token; GET /api/me for who it stands for."""
from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from sqlalchemy.orm import Session

from services.accounts import authenticate
from web.api.schemas import Me, Token, TokenRequest, problem_responses
from web.auth import CurrentUser, api_user
from web.database import db

router = APIRouter(tags=["session"])


@router.post("/token", response_model=Token, responses=problem_responses(400, 401, 422, 429))
def issue_token(credentials: TokenRequest, request: Request, session: Session = Depends(db)) -> Token:
    """A token valid for SATGAS_WEB__SESSION_HOURS; a password reset or a disabled login ends it early.
    After 5 wrong passwords for a login within 15 minutes, that login answers 429 for a while."""
    throttle, login = request.app.state.login_throttle, credentials.login.strip()
    if wait := throttle.seconds_to_wait(login):
        raise HTTPException(429, "too many wrong passwords for this login; try again later",
                            headers={"Retry-After": str(wait)})
    account = authenticate(session, login, credentials.password)
    if account is None:
        throttle.failed(login)
        raise HTTPException(401, "wrong login or password", headers={"WWW-Authenticate": "Bearer"})
    throttle.succeeded(login)
    session.commit()
    signer = request.app.state.signer
    return Token(access_token=signer.api_token(account.login, account.credentials_version),
                 expires_in=signer.max_age)


@router.get("/me", response_model=Me, responses=problem_responses(401))
def me(user: CurrentUser = Depends(api_user)) -> Me:
    scope = user.jurisdiction
    return Me(login=user.login, role=user.role, name=user.name, nik=user.nik, team_id=user.team_id,
              team_level=scope.level if scope else None, team_region=scope.region_code if scope else None)
