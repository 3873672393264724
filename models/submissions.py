"""RAT reports handed in through the web, with what the wire record does not carry: members by sex and the document."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class RatSubmission(Base):
    """One web submission; its filing travels the pipeline like any other (rat_filings once the worker has it)."""

    __tablename__ = "rat_submissions"

    filing_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    nik: Mapped[str] = mapped_column(String(16), index=True)
    fiscal_year: Mapped[int]
    members_men: Mapped[int]
    members_women: Mapped[int]
    submitted_at: Mapped[datetime]
    #: The login that submitted it.
    submitted_by: Mapped[str] = mapped_column(String(64))
    #: The uploaded minutes and financial statements (PDF), stored under SATGAS_DATA_DIR.
    document_name: Mapped[str] = mapped_column(String(200))
    #: Relative to SATGAS_DATA_DIR, e.g. "documents/7471010000000123/<sha256>.pdf".
    document_path: Mapped[str] = mapped_column(String(300))
    document_sha256: Mapped[str] = mapped_column(String(64))
    document_bytes: Mapped[int]
