"""Logging in and out of the pages; the home page sends each role to its own start page."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from models.accounts import KOPERASI
from services.accounts import authenticate
from web.auth import SESSION_LOGIN, SESSION_VERSION, user_from_session
from web.csrf import renew_csrf_token, verify_csrf
from web.database import db
from web.templating import flash

router = APIRouter()


def home_of(role: str) -> str:
    return "/koperasi" if role == KOPERASI else "/kasus"


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: never an open redirect to another host."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def _login_refused(request: Request, login: str, next: str, error: str, status_code: int) -> Response:
    return request.app.state.templates.TemplateResponse(
        request, "login.html", {"user": None, "login": login, "error": error, "next": next}, status_code=status_code)


@router.get("/")
def home(request: Request, session: Session = Depends(db)) -> Response:
    user = user_from_session(request, session)
    return RedirectResponse(home_of(user.role) if user else "/masuk", 303)


@router.get("/masuk")
def login_page(request: Request, next: str | None = None) -> Response:
    return request.app.state.templates.TemplateResponse(
        request, "login.html", {"user": None, "login": "", "error": None, "next": _safe_next(next) or ""})


@router.post("/masuk", dependencies=[Depends(verify_csrf)])
def login(request: Request, login: str = Form(""), password: str = Form(""), next: str = Form(""),
          session: Session = Depends(db)) -> Response:
    throttle, login = request.app.state.login_throttle, login.strip()[:64]
    if wait := throttle.seconds_to_wait(login):
        return _login_refused(request, login, next, f"Terlalu banyak percobaan yang salah. Coba lagi dalam "
                                                    f"{wait // 60 + 1} menit.", 429)
    account = authenticate(session, login, password[:1024])
    if account is None:
        throttle.failed(login)
        return _login_refused(request, login, next, "Nama pengguna atau kata sandi salah.", 400)
    throttle.succeeded(login)
    session.commit()  # a password hash upgraded on login is kept
    request.session.clear()
    request.session.update({SESSION_LOGIN: account.login, SESSION_VERSION: account.credentials_version})
    renew_csrf_token(request)
    return RedirectResponse(_safe_next(next) or home_of(account.role), 303)


@router.post("/keluar", dependencies=[Depends(verify_csrf)])
def logout(request: Request) -> Response:
    request.session.clear()
    renew_csrf_token(request)
    flash(request, "Anda sudah keluar.")
    return RedirectResponse("/masuk", 303)
