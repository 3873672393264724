"""Every table, imported once so that Base.metadata knows them all (Alembic, tests)."""
from models.base import Base
from models.cases import FollowUp, InspectionCase
from models.filings import RatFiling
from models.messaging import DeadLetter, OutboxMessage
from models.registry import Cooperative, Team

__all__ = ["Base", "Cooperative", "DeadLetter", "FollowUp", "InspectionCase", "OutboxMessage", "RatFiling", "Team"]
