"""RAT reports as filed by cooperatives."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class RatFiling(Base):
    """One RAT report. Kept even when its cooperative is not known yet; evaluated once it is."""

    __tablename__ = "rat_filings"
    __table_args__ = (Index("ix_rat_filings_nik_fiscal_year", "nik", "fiscal_year"),)

    filing_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    nik: Mapped[str] = mapped_column(String(16))
    fiscal_year: Mapped[int]
    rat_date: Mapped[date]
    submitted_at: Mapped[datetime]
    members: Mapped[int]
    assets: Mapped[Decimal]
    liabilities: Mapped[Decimal]
    equity: Mapped[Decimal]
    business_volume: Mapped[Decimal]
    shu: Mapped[Decimal]
    received_at: Mapped[datetime]
    #: When the case rules ran on it; NULL while its cooperative is unknown.
    evaluated_at: Mapped[datetime | None] = mapped_column(index=True)
    #: Whether the RAT was held or reported after its deadline (set on evaluation).
    late: Mapped[bool | None]
    #: When the cooperative's receipt was composed (NULL: not yet).
    receipt_queued_at: Mapped[datetime | None] = mapped_column(index=True)
