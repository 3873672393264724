"""The supervisor's actions on a case, shared by pages and API: checked in the user's reach, then applied.

Messages are in Bahasa Indonesia; the rules themselves live in services/ and models/rules/.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from config.settings import RuleSettings
from models.cases import PENDING
from models.regions import timezone_of_regency
from models.rules.followups import KUNJUNGAN_LAPANGAN
from models.rules.ladder import NoticeTooShort
from models.rules.workdays import is_working_day, national_holidays, next_working_day
from models.cases import FollowUp, followup_id
from services.case_actions import MAX_REASON_LENGTH, CaseActionError, reassign_case, resolve_case, teams_for_regency
from services.followups import FollowUpError, record_followup_done, reschedule_followup
from web.auth import CurrentUser
from web.case_access import case_in_reach, followup_kind
from web.labels import tanggal


class ActionRefused(ValueError):
    """The action cannot be done; the message says why, for the supervisor."""


def actor(user: CurrentUser) -> str:
    return f"web:{user.login}"


def _text(value: str | None, missing: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ActionRefused(missing)
    if len(text) > MAX_REASON_LENGTH:
        raise ActionRefused(f"Paling banyak {MAX_REASON_LENGTH} karakter.")
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in text):
        raise ActionRefused("Teks berisi karakter kendali yang tidak sah.")
    return text


def _pending_followup(session: Session, user: CurrentUser, case_id: str, kind: str) -> FollowUp:
    case_in_reach(session, user, case_id)
    followup = session.get(FollowUp, followup_id(case_id, followup_kind(kind)))
    if followup is None:
        raise ActionRefused("Kasus ini tidak punya tindak lanjut tersebut.")
    if followup.status not in PENDING:
        raise ActionRefused("Tindak lanjut ini sudah selesai atau dibatalkan.")
    return followup


def _apply(session: Session, action, *args) -> None:
    try:
        action(session, *args)
        session.commit()
    except (FollowUpError, CaseActionError, NoticeTooShort) as error:
        session.rollback()
        raise ActionRefused(f"Tindakan tidak dapat dilakukan: {error}") from None


def record_done(session: Session, user: CurrentUser, case_id: str, kind: str, note: str | None, now: datetime) -> None:
    note = _text(note, "Tulis catatan: nomor surat teguran, atau apa yang ditemukan saat kunjungan.")
    _pending_followup(session, user, case_id, kind)
    _apply(session, record_followup_done, followup_id(case_id, kind), note, actor(user), now)


def parse_day(text: str | None) -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise ActionRefused("Pilih tanggal yang valid.") from None


def reschedule(session: Session, user: CurrentUser, case_id: str, kind: str, new_day: date, now: datetime,
               rules: RuleSettings) -> None:
    case = case_in_reach(session, user, case_id)
    _pending_followup(session, user, case_id, kind)
    today = now.astimezone(timezone_of_regency(case.regency_code)).date()
    holidays = national_holidays()
    if new_day < today:
        raise ActionRefused("Tanggal itu sudah lewat.")
    earliest = today + timedelta(days=rules.field_visit_min_notice_days)
    if kind == KUNJUNGAN_LAPANGAN and new_day < earliest:
        raise ActionRefused(f"Kunjungan lapangan perlu pemberitahuan tertulis paling sedikit "
                            f"{rules.field_visit_min_notice_days} hari: tanggal paling awal {tanggal(earliest)}.")
    if not is_working_day(new_day, holidays):
        raise ActionRefused(f"{tanggal(new_day)} bukan hari kerja; hari kerja berikutnya "
                            f"{tanggal(next_working_day(new_day, holidays))}.")
    _apply(session, reschedule_followup, followup_id(case_id, kind), new_day, actor(user), now, rules, holidays)


def reassign(session: Session, user: CurrentUser, case_id: str, team_id: str | None, reason: str | None,
             now: datetime) -> None:
    case = case_in_reach(session, user, case_id)
    reason = _text(reason, "Tulis alasan pengalihan.")
    targets = {team.team_id for team in teams_for_regency(session, case.regency_code)} - {case.assigned_team}
    if team_id not in targets:
        raise ActionRefused("Pilih tim yang mengawasi wilayah kasus ini.")
    _apply(session, reassign_case, case_id, team_id, reason, actor(user), now)


def resolve(session: Session, user: CurrentUser, case_id: str, reason: str | None, now: datetime) -> None:
    case_in_reach(session, user, case_id)
    reason = _text(reason, "Tulis alasan kasus ini diselesaikan.")
    _apply(session, resolve_case, case_id, reason, actor(user), now)
