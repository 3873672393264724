"""What the weekly escalation run collected for a province, kept for its email and for next week's change."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.messaging import AutoId


class WeeklyDigest(Base):
    __tablename__ = "weekly_digests"
    __table_args__ = (UniqueConstraint("province_code", "week"),)

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    province_code: Mapped[str] = mapped_column(String(2))
    #: ISO week, e.g. "2025-W32".
    week: Mapped[str] = mapped_column(String(8))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]
