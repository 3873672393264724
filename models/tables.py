"""Every table, imported once so that Base.metadata knows them all (Alembic, tests)."""
from models.accounts import UserAccount
from models.audit import CaseAudit
from models.base import Base
from models.cases import FollowUp, InspectionCase
from models.digests import WeeklyDigest
from models.filings import RatFiling
from models.mail import MailPreference, OutgoingEmail
from models.messaging import DeadLetter, OutboxMessage
from models.registry import Cooperative, Team
from models.submissions import RatSubmission

__all__ = ["Base", "CaseAudit", "Cooperative", "DeadLetter", "FollowUp", "InspectionCase", "MailPreference",
           "OutboxMessage", "OutgoingEmail", "RatFiling", "RatSubmission", "Team", "UserAccount", "WeeklyDigest"]
