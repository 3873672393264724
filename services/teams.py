"""Satgas teams and their supervisors, imported from a file (teams are configuration, not events)."""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from models.regions import provinces, regency
from models.registry import Team
from models.rules.assignment import KABUPATEN, NATIONAL_REGION, PROVINSI, TEAM_LEVELS
from services.bulk import upsert
from streams.validation import EMAIL_PATTERN, InvalidEvent


def validate_team(data: dict[str, Any]) -> dict[str, Any]:
    team_id = (data.get("team_id") or "").strip()
    name = (data.get("name") or "").strip()
    level = (data.get("level") or "").strip().lower()
    # "Kode Wilayah" arrives as regency_code (the cooperative registry's name for it), "Kode Provinsi" as
    # province_code: a file may have both columns, filled in by level.
    region = (data.get("region_code") or (data.get("province_code") if level == PROVINSI else None)
              or data.get("regency_code") or "").strip().upper()
    if not team_id:
        raise InvalidEvent("missing field 'team_id'")
    if not name:
        raise InvalidEvent("missing field 'name'")
    if level not in TEAM_LEVELS:
        raise InvalidEvent(f"'level' must be one of {', '.join(TEAM_LEVELS)}, not '{level}'")
    if level == KABUPATEN and regency(region.zfill(4)) is None:
        raise InvalidEvent(f"unknown regency code '{region}'")
    if level == PROVINSI and region.zfill(2) not in provinces():
        raise InvalidEvent(f"unknown province code '{region}'")
    region = {KABUPATEN: region.zfill(4), PROVINSI: region.zfill(2)}.get(level, NATIONAL_REGION)
    emails = [e for e in re.split(r"[;,\s]+", data.get("supervisor_emails") or "") if e]
    bad = [e for e in emails if not EMAIL_PATTERN.match(e)]
    if bad:
        raise InvalidEvent(f"not an email address: {', '.join(bad)}")
    return {"team_id": team_id, "name": name, "level": level, "region_code": region, "supervisor_emails": emails}


def upsert_teams(session: Session, teams: Sequence[dict[str, Any]]) -> None:
    """One team per (level, region): a re-import replaces the team of that region."""
    by_region = {(team["level"], team["region_code"]): team for team in teams}
    for team in by_region.values():
        session.query(Team).filter(
            Team.level == team["level"], Team.region_code == team["region_code"], Team.team_id != team["team_id"]
        ).delete()
    if by_region:
        statement = upsert(
            session.bind.dialect.name, Team.__table__, ["team_id"], ["name", "level", "region_code", "supervisor_emails"]
        )
        session.execute(statement, list(by_region.values()))
