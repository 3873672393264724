"""Which emails to write, and when: case alerts, follow-up notices, weekly escalation, cooperatives' mail."""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import and_, exists, literal, select, update
from sqlalchemy.orm import Session

from models.cases import OPEN, InspectionCase
from models.filings import RatFiling
from models.mail import OutgoingEmail
from models.regions import regencies, timezone_of_regency
from models.registry import DIBUBARKAN, Cooperative, Team
from models.rules.cases import PRIORITIES
from models.rules.deadlines import latest_overdue_fiscal_year, report_deadline
from models.rules.assignment import KABUPATEN, PROVINSI
from notifications.chart import compliance_chart
from notifications.mailer import Mailer, team_emails
from notifications.rendering import Rendered, mime_message, render
from services.digest import week_start
from services.bulk_reads import among

CRITICAL = "critical"


def digest_of(parts) -> str:
    """A short fingerprint of what a grouped message lists: the same list is the same message."""
    return hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()[:20]


def _regency_name(code: str) -> str:
    regency = regencies().get(code)
    return regency.name if regency else code


def _case_reason(details: dict) -> str | None:
    if "anomalies" in details:
        return ", ".join(details["anomalies"])
    return details.get("deadline")


def queue_case_alerts(mailer: Mailer, limit: int = 20000) -> int:
    """New cases to their team: one grouped message per team per run, a critical case on its own, at once."""
    session = mailer.session
    rows = session.execute(
        select(InspectionCase, Cooperative.name)
        .join(Cooperative, Cooperative.nik == InspectionCase.nik)
        .where(InspectionCase.alerted_at.is_(None), InspectionCase.status == OPEN)
        .order_by(InspectionCase.case_id).limit(limit)
    ).all()
    if not rows:
        return 0
    teams = team_emails(session)
    by_team: dict[str | None, list[dict]] = defaultdict(list)
    for case, name in rows:
        by_team[case.assigned_team].append({
            "case_id": case.case_id, "nik": case.nik, "name": name, "rule": case.rule, "priority": case.priority,
            "fiscal_year": case.fiscal_year, "regency_name": _regency_name(case.regency_code),
            "opened": case.opened_at.astimezone(timezone_of_regency(case.regency_code)).date(),
            "reason": _case_reason(case.details or {}), "link": mailer.link(case.case_id),
        })
    for team_id, cases in by_team.items():
        team_name, recipients = teams.get(team_id, (team_id or "-", []))
        cases.sort(key=lambda c: (-PRIORITIES.index(c["priority"]), c["case_id"]))
        for case in (c for c in cases if c["priority"] == CRITICAL):
            mailer.queue("case_critical", f"case-critical:{case['case_id']}", recipients, "critical_subject",
                         {"case_id": case["case_id"], "name": case["name"]},
                         team_name=team_name, case=case)
        grouped = [c for c in cases if c["priority"] != CRITICAL]
        if grouped:
            shown = grouped[: mailer.settings.notifications.alert_table_rows]
            mailer.queue("case_alert", f"case-alert:{team_id}:{digest_of(c['case_id'] for c in grouped)}", recipients,
                         "alert_subject",
                         {"n": len(grouped), "team": team_name}, team_name=team_name, cases=shown,
                         total=len(grouped), more=len(grouped) - len(shown))
    if rows:
        alerted = among(InspectionCase.case_id, [case.case_id for case, _ in rows])
        session.execute(update(InspectionCase).where(alerted).values(alerted_at=mailer.now))
    return len(rows)


def queue_followup_notices(mailer: Mailer, kind: str, notices: Sequence, day: date) -> int:
    """kind "reminders" or "overdue"; notices are (follow-up, case state) pairs: one message per team."""
    if not notices:
        return 0
    teams = team_emails(mailer.session)
    names = dict(mailer.session.execute(
        select(Cooperative.nik, Cooperative.name).where(Cooperative.nik.in_({state.nik for _, state in notices}))
    ).tuples().all())
    by_team: dict[str | None, list[dict]] = defaultdict(list)
    for followup, state in notices:
        by_team[state.assigned_team].append({
            "case_id": state.case_id, "name": names.get(state.nik, state.nik), "kind": followup.kind,
            "due": followup.due_date, "link": mailer.link(state.case_id),
        })
    subject_key = "reminder_subject" if kind == "reminders" else "overdue_subject"
    for team_id, items in by_team.items():
        team_name, recipients = teams.get(team_id, (team_id or "-", []))
        items.sort(key=lambda item: (item["due"], item["case_id"]))
        occurrences = digest_of(f"{item['case_id']}/{item['kind']}@{item['due']}" for item in items)
        mailer.queue(f"followup_{kind}", f"followup-{kind}:{team_id}:{day.isoformat()}:{occurrences}",
                     recipients, subject_key, {"n": len(items), "day": items[0]["due"].isoformat()},
                     team_name=team_name, items=items)
    return len(notices)


def weekly_recipients(session: Session, province_code: str) -> list[str]:
    """The province team's escalation list and the lead (first email) of each of its regency teams."""
    teams = session.scalars(select(Team).where(
        ((Team.level == PROVINSI) & (Team.region_code == province_code))
        | ((Team.level == KABUPATEN) & Team.region_code.startswith(province_code))
    )).all()
    recipients = [email for team in teams if team.level == PROVINSI for email in team.supervisor_emails or []]
    recipients += [team.supervisor_emails[0] for team in teams if team.level == KABUPATEN and team.supervisor_emails]
    return recipients


def weekly_email(digest: dict, language: str) -> Rendered:
    start = week_start(digest["week"])
    chart = compliance_chart([(row["name"], row["compliance_rate"]) for row in digest["regencies"]],
                             f"RAT {digest['fiscal_year']}: {digest['province_name']}")
    return render("weekly_escalation", language, "weekly_subject",
                  {"province": digest["province_name"], "week": digest["week"]},
                  digest=digest, week_start=start, week_end=start + timedelta(days=6), images={"chart": chart})


def queue_weekly_email(mailer: Mailer, digest: dict) -> None:
    mailer.queue_rendered(
        "weekly_escalation", f"weekly:{digest['province_code']}:{digest['week']}",
        weekly_recipients(mailer.session, digest["province_code"]), lambda language: weekly_email(digest, language),
    )


def write_weekly_preview(settings, digest: dict) -> Path:
    """`satgas digest --dry-run`: the email as an .eml file, in the default language."""
    key = f"weekly:{digest['province_code']}:{digest['week']}:preview"
    message = mime_message(weekly_email(digest, settings.notifications.default_language), settings.smtp.sender,
                           "preview@localhost", key)
    path = settings.data_dir / "previews" / f"weekly-{digest['province_code']}-{digest['week']}.eml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(message)
    return path


def queue_cooperative_reminders(mailer: Mailer, provinces: Collection[str], today: date) -> None:
    """Each cooperative that has not reported is reminded 30 and 7 days before its report deadline, once each."""
    session, rules = mailer.session, mailer.settings.rules
    groups = session.execute(select(Cooperative.fiscal_year_end, Cooperative.level).distinct()).all()
    for fiscal_year_end, level in groups:
        last_overdue = latest_overdue_fiscal_year(today, fiscal_year_end, level, rules)
        fiscal_year = (last_overdue or today.year - 2) + 1
        deadline = report_deadline(fiscal_year, fiscal_year_end, level, rules)
        days_left = (deadline - today).days
        thresholds = [d for d in sorted(mailer.settings.notifications.cooperative_reminder_days) if d >= days_left]
        if days_left < 0 or not thresholds:
            continue
        days = thresholds[0]
        key_prefix = f"coop-reminder:{fiscal_year}:{days}:"
        already = exists().where(OutgoingEmail.message_key == literal(key_prefix) + Cooperative.nik + literal(":")
                                 + Cooperative.email)
        filed = exists().where(and_(RatFiling.nik == Cooperative.nik, RatFiling.fiscal_year == fiscal_year))
        cooperatives = session.execute(select(Cooperative.nik, Cooperative.name, Cooperative.email).where(
            Cooperative.fiscal_year_end == fiscal_year_end, Cooperative.level == level,
            Cooperative.province_code.in_(sorted(provinces)), Cooperative.status != DIBUBARKAN,
            Cooperative.email.is_not(None), ~filed, ~already,
        )).all()
        for nik, name, email in cooperatives:
            mailer.queue("cooperative_reminder", f"{key_prefix}{nik}", [email], "coop_reminder_subject",
                                   {"year": fiscal_year, "day": deadline.isoformat()}, name=name, nik=nik,
                                   fiscal_year=fiscal_year, deadline=deadline, days=days_left)


def queue_receipts(mailer: Mailer, limit: int = 5000) -> int:
    """A receipt to the cooperative for each filing the worker has accepted and evaluated."""
    rows = mailer.session.execute(
        select(RatFiling, Cooperative.name, Cooperative.email)
        .join(Cooperative, Cooperative.nik == RatFiling.nik)
        .where(RatFiling.evaluated_at.is_not(None), RatFiling.receipt_queued_at.is_(None))
        .order_by(RatFiling.filing_id).limit(limit)
    ).all()
    for filing, name, email in rows:
        values = {column: getattr(filing, column) for column in (
            "filing_id", "nik", "fiscal_year", "rat_date", "members", "assets", "liabilities", "equity",
            "business_volume", "shu", "late")}
        mailer.queue("filing_receipt", f"receipt:{filing.filing_id}", [email] if email else [], "receipt_subject",
                     {"filing_id": filing.filing_id}, name=name, filing=values)
    if rows:
        receipted = among(RatFiling.filing_id, [filing.filing_id for filing, _, _ in rows])
        mailer.session.execute(update(RatFiling).where(receipted).values(receipt_queued_at=mailer.now))
    return len(rows)
