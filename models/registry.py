"""The cooperative registry and the Satgas teams that supervise it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base

#: The registry's vocabulary, also the event contract's (streams/records.py), here without faust:
#: the sweep's start counts in a national burst.
COOPERATIVE_KINDS = ("KSP", "KSPPS", "produsen", "konsumen", "pemasaran", "jasa")
LEVELS = ("primer", "sekunder")
MEMBERSHIP_AREAS = ("kabupaten", "provinsi", "nasional")
STATUSES = ("aktif", "tidak_aktif", "dibubarkan")
DIBUBARKAN = "dibubarkan"


class Cooperative(Base):
    """A koperasi, identified by its NIK (Nomor Induk Koperasi)."""

    __tablename__ = "cooperatives"

    nik: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16))
    level: Mapped[str] = mapped_column(String(16))
    membership_area: Mapped[str] = mapped_column(String(16))
    regency_code: Mapped[str] = mapped_column(String(4), index=True)
    province_code: Mapped[str] = mapped_column(String(2), index=True)
    email: Mapped[str | None] = mapped_column(String(320))
    status: Mapped[str] = mapped_column(String(16))
    fiscal_year_end: Mapped[str] = mapped_column(String(5), default="12-31")
    updated_at: Mapped[datetime]


class Team(Base):
    """A Satgas Pengawas Koperasi team: of one regency, one province, or the national one."""

    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("level", "region_code"),)

    team_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))
    #: Regency code (4 digits), province code (2 digits) or "ID" for the national team.
    region_code: Mapped[str] = mapped_column(String(4))
    supervisor_emails: Mapped[list[str]] = mapped_column(JSON, default=list)
