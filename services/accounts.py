"""Logins the Dinas issues: create, check a password, reset, disable. Passwords are hashed with argon2id."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.accounts import KOPERASI, PENGAWAS, UserAccount
from models.registry import Team
from streams.validation import NIK_PATTERN

MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()
#: Checked when the login does not exist, so that an unknown login takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A login that cannot be created or changed, said plainly."""


@dataclass(frozen=True)
class IssuedLogin:
    login: str
    #: Shown once to whoever issues it; only its hash is stored.
    password: str


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")


def _add(session: Session, account: UserAccount) -> None:
    if session.get(UserAccount, account.login) is not None:
        raise AccountError(f"login '{account.login}' already exists")
    session.add(account)


def add_supervisor(session: Session, login: str, name: str, team_id: str, password: str | None,
                   now: datetime) -> IssuedLogin:
    """A supervisor of an imported Satgas team: sees the cases of that team's regions."""
    login = login.strip()
    if not login or len(login) > 64:
        raise AccountError("a login is 1 to 64 characters")
    if session.get(Team, team_id) is None:
        raise AccountError(f"no team '{team_id}': import it first with `satgas import-teams`")
    password = password or generate_password()
    _check_password(password)
    _add(session, UserAccount(login=login, role=PENGAWAS, name=name.strip() or login, team_id=team_id,
                              password_hash=_hasher.hash(password), created_at=now))
    return IssuedLogin(login, password)


def add_cooperative_login(session: Session, nik: str, name: str | None, password: str | None, now: datetime,
                          login: str | None = None) -> IssuedLogin:
    """The one login of a cooperative; by default its NIK is the login name."""
    if not NIK_PATTERN.match(nik):
        raise AccountError(f"NIK must be 16 digits, not '{nik}'")
    if session.scalar(select(UserAccount.login).where(UserAccount.nik == nik)) is not None:
        raise AccountError(f"cooperative {nik} already has a login")
    password = password or generate_password()
    _check_password(password)
    login = (login or nik).strip()
    _add(session, UserAccount(login=login, role=KOPERASI, name=(name or "").strip() or f"Koperasi {nik}", nik=nik,
                              password_hash=_hasher.hash(password), created_at=now))
    return IssuedLogin(login, password)


def authenticate(session: Session, login: str, password: str) -> UserAccount | None:
    """The active account with this login and password, else None (in the same time either way)."""
    # No login holds a NUL character, and PostgreSQL refuses to compare one: such a login is just unknown.
    account = session.get(UserAccount, login.strip()) if login and "\x00" not in login else None
    try:
        _hasher.verify(account.password_hash if account else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if account is None or not account.active:
        return None
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = _hasher.hash(password)
    return account


def _existing(session: Session, login: str) -> UserAccount:
    account = session.get(UserAccount, login, with_for_update=session.bind.dialect.name == "postgresql")
    if account is None:
        raise AccountError(f"no login '{login}'")
    return account


def reset_password(session: Session, login: str, password: str | None) -> IssuedLogin:
    """A new password; sessions and API tokens issued before stop working."""
    account = _existing(session, login)
    password = password or generate_password()
    _check_password(password)
    account.password_hash = _hasher.hash(password)
    account.active = True
    account.credentials_version += 1
    return IssuedLogin(login, password)


def disable(session: Session, login: str) -> None:
    account = _existing(session, login)
    account.active = False
    account.credentials_version += 1


def list_accounts(session: Session) -> list[UserAccount]:
    return list(session.scalars(select(UserAccount).order_by(UserAccount.role, UserAccount.login)))
