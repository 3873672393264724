"""The audit trail: every transition of a case or follow-up, with who, when and why."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.messaging import AutoId

#: Who acts when no person does.
WORKER = "system:worker"
SCHEDULER = "system:scheduler"


class CaseAudit(Base):
    __tablename__ = "case_audit"

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    #: Makes an automatic transition recorded twice a no-op, e.g. "RAT-2024-.../teguran_1:due".
    entry_key: Mapped[str] = mapped_column(String(200), unique=True)
    case_id: Mapped[str] = mapped_column(String(96), index=True)
    followup_id: Mapped[str | None] = mapped_column(String(128))
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
