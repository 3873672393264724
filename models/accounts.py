"""Who may log in to the web front end: Satgas supervisors (by team) and cooperatives (by NIK)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base

PENGAWAS = "pengawas"  #: a Satgas supervisor or Dinas officer: sees the cases of the team's regions
KOPERASI = "koperasi"  #: a cooperative's board: files its own RAT reports
ROLES = (PENGAWAS, KOPERASI)


class UserAccount(Base):
    """Credentials issued by the Dinas. The password is kept only as an argon2 hash."""

    __tablename__ = "user_accounts"

    login: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    #: The cooperative a `koperasi` login speaks for: one login per NIK.
    nik: Mapped[str | None] = mapped_column(String(16), unique=True)
    #: The team whose regions a `pengawas` login supervises (teams.team_id; no foreign key, since
    #: a re-import of teams replaces them and a login of a removed team simply sees nothing).
    team_id: Mapped[str | None] = mapped_column(String(64), index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    #: Raised when the password is reset or the login disabled: older sessions and tokens stop working.
    credentials_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime]
